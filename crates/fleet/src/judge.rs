//! The judgement of each camera from its state: `consistent` when every
//! decisive indicator it could be judged on lies where honest cameras'
//! do, `normalising` when one lies beyond, and `not_judged` when the log
//! cannot tell — too few readings, or no decisive indicator computable.
//! A flagged camera is not proven to manipulate: the audit recommends a
//! blackbody sweep for it (docs/science.md, "Fleet audit").

use serde::Serialize;

use crate::distribution::ReadingDistribution;
use crate::fleet_state::FleetState;
use crate::indicators::{assess, Indicator, IndicatorState, MIN_EVENTS};
use crate::state::CameraState;

/// Version of fleet.json's contract (CHANGELOG.md).
pub const SCHEMA_VERSION: &str = "1.0.0";

/// What the audit says of one camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CameraJudgement {
    /// Its readings look like people's.
    Consistent,
    /// Its readings show what normalising cameras leave: test it with a
    /// blackbody sweep.
    Normalising,
    /// Its log cannot tell.
    NotJudged,
}

/// One camera's audit.
#[derive(Debug, Clone, Serialize)]
pub struct CameraAudit {
    /// The camera's name in the logs.
    pub camera: String,
    /// The judgement.
    pub state: CameraJudgement,
    /// Why it was not judged, when it was not.
    pub not_judged_because: Option<String>,
    /// Events read.
    pub events: u64,
    /// Events whose reading lay in 30–45 °C, the ones judged.
    pub events_in_range: u64,
    /// Median reading, °C.
    pub median_c: Option<f64>,
    /// Mean reading, °C.
    pub mean_c: Option<f64>,
    /// Standard deviation of the readings, °C.
    pub sd_c: Option<f64>,
    /// Share of events with the alarm raised, where the log says.
    pub alarm_share: Option<f64>,
    /// The alarm threshold the log gave, °C, when it never changed.
    pub threshold_c: Option<f64>,
    /// Events per hour of the day (0–23), where the log gives a time.
    pub events_by_hour: [u64; 24],
    /// The indicators, decisive ones first.
    pub indicators: Vec<Indicator>,
    /// Readings per 0.1 °C (centre, count), for the chart.
    pub histogram: Vec<(f64, f64)>,
    /// How suspicious, for sorting: the number of decisive indicators
    /// beyond their honest range.
    pub indicators_beyond: usize,
}

/// The whole fleet's audit.
#[derive(Debug, Clone, Serialize)]
pub struct FleetAudit {
    /// fleet.json's contract version.
    pub schema_version: &'static str,
    /// Events read over all cameras.
    pub events: u64,
    /// Count of cameras per judgement.
    pub counts: Counts,
    /// Cameras, most suspicious first.
    pub cameras: Vec<CameraAudit>,
    /// What an event log cannot show, said in every audit.
    pub limits: Vec<&'static str>,
    /// Notes on how the logs were read.
    pub notes: Vec<String>,
}

/// Cameras per judgement.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    /// Consistent cameras.
    pub consistent: usize,
    /// Normalising cameras.
    pub normalising: usize,
    /// Cameras not judged.
    pub not_judged: usize,
}

/// What an event log cannot show.
pub const LIMITS: [&str; 6] = [
    "An event log cannot prove manipulation: a flagged camera needs a blackbody sweep (fevercheck analyze) before anyone is accused.",
    "An honest camera screening an unusual population (one age group, people coming in from the cold, a queue after exercise) can show a narrow or shifted spread.",
    "A camera pointed at the wrong spot (a hat, the neck, too far away) reports low, narrow readings that look like normalising.",
    "A log that leaves out the screenings that raised the alarm (exported separately) looks like a clamp: audit the complete log.",
    "A camera that openly estimates core temperature from skin with a slope below 1 narrows its readings as a normalising one does; a sweep with its declared transfer tells them apart.",
    "A consistent camera may still be inaccurate: a constant offset or a wrong emissivity leaves the shape of people's readings intact; only a sweep measures accuracy.",
];

/// Judges one camera's state.
pub fn judge_camera(camera: &str, state: &CameraState) -> CameraAudit {
    let readings = ReadingDistribution::of(state);
    let mut indicators = assess(state, readings.as_ref());
    let in_range = state.in_range();
    let mut not_judged_because = None;
    if in_range < MIN_EVENTS {
        not_judged_because = Some(format!(
            "{in_range} readings in 30–45 °C; at least {MIN_EVENTS} are needed to judge a camera"
        ));
        for indicator in &mut indicators {
            indicator.state = IndicatorState::NotJudged;
        }
    }
    let decisive = || indicators.iter().filter(|i| i.decisive);
    let beyond = decisive()
        .filter(|i| i.state == IndicatorState::Beyond)
        .count();
    let judged = decisive()
        .filter(|i| i.state != IndicatorState::NotJudged)
        .count();
    let state_of_camera = if beyond > 0 {
        CameraJudgement::Normalising
    } else if judged == 0 {
        if not_judged_because.is_none() {
            not_judged_because =
                Some("no decisive indicator could be computed from the log".into());
        }
        CameraJudgement::NotJudged
    } else {
        CameraJudgement::Consistent
    };
    CameraAudit {
        camera: camera.to_string(),
        state: state_of_camera,
        not_judged_because,
        events: state.events,
        events_in_range: in_range,
        median_c: readings.as_ref().map(|r| r.quantile(0.5)),
        mean_c: readings.as_ref().map(|r| r.mean()),
        sd_c: readings.as_ref().map(|r| r.sd()),
        alarm_share: (state.alarm_reported > 0)
            .then(|| state.alarm_raised as f64 / state.alarm_reported as f64),
        threshold_c: state.threshold_c(),
        events_by_hour: state.per_hour,
        indicators,
        histogram: readings.as_ref().map(|r| r.tenths()).unwrap_or_default(),
        indicators_beyond: beyond,
    }
}

/// Judges every camera of `fleet`; cameras are sorted most suspicious
/// first (normalising by indicators beyond, then not judged, then
/// consistent), by name within each.
pub fn judge(fleet: &FleetState, notes: Vec<String>) -> FleetAudit {
    use rayon::prelude::*;
    let mut cameras: Vec<CameraAudit> = fleet
        .cameras
        .par_iter()
        .map(|(camera, state)| judge_camera(camera, state))
        .collect();
    let rank = |c: &CameraAudit| match c.state {
        CameraJudgement::Normalising => 0,
        CameraJudgement::NotJudged => 1,
        CameraJudgement::Consistent => 2,
    };
    cameras.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(b.indicators_beyond.cmp(&a.indicators_beyond))
            .then(a.camera.cmp(&b.camera))
    });
    let mut counts = Counts::default();
    for camera in &cameras {
        match camera.state {
            CameraJudgement::Consistent => counts.consistent += 1,
            CameraJudgement::Normalising => counts.normalising += 1,
            CameraJudgement::NotJudged => counts.not_judged += 1,
        }
    }
    FleetAudit {
        schema_version: SCHEMA_VERSION,
        events: fleet.events(),
        counts,
        cameras,
        limits: LIMITS.to_vec(),
        notes,
    }
}
