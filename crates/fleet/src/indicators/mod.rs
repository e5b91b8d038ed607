//! The indicators of a normalising camera, each computed from a camera's
//! mergeable state alone (docs/science.md, "Fleet audit"): the spread of its
//! readings, how many display values hold them, the upper tail, a wall
//! where the tail should go on, and the dependence on the room.
//!
//! An indicator is decisive when an honest camera's log cannot show it
//! (calibrated on simulated honest fleets, README "Fleet calibration");
//! the room-temperature slope is shown but never decisive, because some
//! honest cameras compensate for the room by design.

mod ambient;
mod concentration;
mod spread;
mod tail;
mod wall;

use serde::Serialize;

use crate::distribution::ReadingDistribution;
use crate::state::CameraState;

pub use ambient::AMBIENT_SLOPE_HONEST_C_PER_C;
pub use concentration::{EFFECTIVE_VALUES_HONEST_MIN, FINEST_STEP_JUDGED_C};
pub use spread::SPREAD_HONEST_MIN_C;
pub use tail::{TAIL_RATIO_HONEST_MIN, TAIL_Z};
pub use wall::WALL_CONTINUATION_HONEST_MIN;

/// What an indicator says of a camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorState {
    /// Within the range honest cameras show.
    Within,
    /// Beyond it.
    Beyond,
    /// The log cannot tell (too few events, no room temperature).
    NotJudged,
}

/// The range of an indicator's value that honest cameras show.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HonestRange {
    /// Lowest value an honest camera shows, when bounded below.
    pub at_least: Option<f64>,
    /// Highest value an honest camera shows, when bounded above.
    pub at_most: Option<f64>,
}

/// One indicator's value for one camera, and what it shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Stable identifier (`spread`, `display_values`, `upper_tail`, `wall`,
    /// `ambient_slope`).
    pub id: &'static str,
    /// What it measures, in words.
    pub name: &'static str,
    /// Its value, when it could be computed.
    pub value: Option<f64>,
    /// Unit of the value.
    pub unit: &'static str,
    /// The range honest cameras show.
    pub honest: HonestRange,
    /// Within, beyond, or not judged.
    pub state: IndicatorState,
    /// Whether being beyond the honest range flags the camera.
    pub decisive: bool,
    /// The numbers behind the state, in a sentence.
    pub evidence: String,
}

/// Every indicator of one camera's state, decisive ones first.
pub fn assess(state: &CameraState, readings: Option<&ReadingDistribution>) -> Vec<Indicator> {
    let Some(readings) = readings else {
        return Vec::new();
    };
    vec![
        spread::assess(readings, state),
        concentration::assess(readings),
        tail::assess(readings),
        wall::assess(readings),
        ambient::assess(state),
    ]
}

/// Events in range a camera needs before its readings are judged: the
/// upper tail then expects about 23 readings beyond its cut (1000 ×
/// 2.3 %), enough for the Poisson test to tell a missing tail from chance.
pub const MIN_EVENTS: u64 = 1000;

/// What an indicator is, before any camera's value: its identity, unit,
/// honest range and whether it decides.
pub(crate) struct Kind {
    id: &'static str,
    name: &'static str,
    unit: &'static str,
    honest: HonestRange,
    decisive: bool,
}

impl Kind {
    /// The indicator not judged, and why.
    fn not_judged(&self, why: String) -> Indicator {
        self.with(None, IndicatorState::NotJudged, why)
    }

    /// The indicator at `value`, beyond its honest range or within it.
    fn judged(&self, value: f64, beyond: bool, evidence: String) -> Indicator {
        let state = if beyond {
            IndicatorState::Beyond
        } else {
            IndicatorState::Within
        };
        self.with(Some(value), state, evidence)
    }

    fn with(&self, value: Option<f64>, state: IndicatorState, evidence: String) -> Indicator {
        Indicator {
            id: self.id,
            name: self.name,
            value,
            unit: self.unit,
            honest: self.honest,
            state,
            decisive: self.decisive,
            evidence,
        }
    }
}

/// A chance in words: "of 2.7e-119", or "below 1e-300" where it underflows.
fn chance_text(chance: f64) -> String {
    if chance > 0.0 {
        format!("of {chance:.1e}")
    } else {
        "below 1e-300".into()
    }
}

/// A range bounded below.
const fn at_least(low: f64) -> HonestRange {
    HonestRange {
        at_least: Some(low),
        at_most: None,
    }
}
