//! The room: skin temperature follows the room's (about 0.1–0.3 °C per °C,
//! docs/science.md), so an uncompensated camera's readings rise with the
//! ambient temperature its log records; a camera that shows normal values
//! whatever it measures does not. Some honest cameras compensate for the
//! room by design, so this slope is shown as evidence, never decisive.

use super::{HonestRange, Indicator, Kind};
use crate::state::{CameraState, HUNDREDTHS};

/// Slopes of an uncompensated camera's readings on the room temperature,
/// °C per °C (skin follows the room by about 0.1–0.3 °C per °C).
pub const AMBIENT_SLOPE_HONEST_C_PER_C: (f64, f64) = (0.1, 0.3);

/// Fewest readings with a room temperature for the slope to be shown.
const EVENTS_MIN: u64 = 500;

/// Smallest sd of the room temperature over the log, °C, for a slope to
/// mean anything.
const AMBIENT_SD_MIN_C: f64 = 1.0;

/// The straight line of the readings on the room temperature.
#[derive(Debug, Clone, Copy)]
pub(super) struct RoomFit {
    /// Readings with a room temperature.
    pub(super) events: u64,
    /// sd of the room temperature, °C.
    pub(super) ambient_sd: f64,
    /// °C of reading per °C of room.
    pub(super) slope: f64,
    /// Standard error of the slope.
    pub(super) slope_se: f64,
}

impl RoomFit {
    /// The fit of `state`'s readings with a room temperature; `None` with
    /// fewer than [`EVENTS_MIN`] of them or a constant room.
    pub(super) fn of(state: &CameraState) -> Option<RoomFit> {
        let n = state.ambient_events;
        if n < EVENTS_MIN {
            return None;
        }
        let count = i128::from(n);
        // Centred sums times n, exact in integers (hundredths²).
        let sxx = count * state.ambient_square_sum - i128::from(state.ambient_sum).pow(2);
        let sxy =
            count * state.cross_sum - i128::from(state.ambient_sum) * i128::from(state.reading_sum);
        let syy = count * state.reading_square_sum - i128::from(state.reading_sum).pow(2);
        if sxx <= 0 {
            return None;
        }
        let nf = n as f64;
        let slope = sxy as f64 / sxx as f64;
        let residual = (syy as f64 - slope * sxy as f64).max(0.0) / (nf * (nf - 2.0));
        Some(RoomFit {
            events: n,
            ambient_sd: (sxx as f64 / (nf * (nf - 1.0))).sqrt() / HUNDREDTHS,
            slope,
            slope_se: (residual / (sxx as f64 / nf)).sqrt(),
        })
    }

    /// The variance of the readings the room explains, °C².
    pub(super) fn explained_variance(&self) -> f64 {
        (self.slope * self.ambient_sd).powi(2)
    }
}

/// The room-temperature indicator: shown, never decisive.
const AMBIENT_SLOPE: Kind = Kind {
    id: "ambient_slope",
    name: "slope of the readings on the room temperature",
    unit: "°C/°C",
    honest: HonestRange {
        at_least: Some(AMBIENT_SLOPE_HONEST_C_PER_C.0),
        at_most: Some(AMBIENT_SLOPE_HONEST_C_PER_C.1),
    },
    decisive: false,
};

/// The room-temperature indicator of `state`.
pub(super) fn assess(state: &CameraState) -> Indicator {
    let (low, high) = AMBIENT_SLOPE_HONEST_C_PER_C;
    let Some(fit) = RoomFit::of(state) else {
        return AMBIENT_SLOPE.not_judged(format!(
            "{} readings carry a room temperature, which must vary; {EVENTS_MIN} are needed",
            state.ambient_events
        ));
    };
    let RoomFit {
        events: n,
        ambient_sd,
        slope,
        slope_se: se,
    } = fit;
    if ambient_sd.is_nan() || ambient_sd < AMBIENT_SD_MIN_C {
        return AMBIENT_SLOPE.not_judged( format!(
            "the room temperature varied by {ambient_sd:.2} °C (sd) over the log; at least {AMBIENT_SD_MIN_C} °C is needed"
        ));
    }
    let within = slope + 2.0 * se >= low;
    AMBIENT_SLOPE.judged(
        slope,
        !within,
        format!(
            "{n} readings over a room temperature of sd {ambient_sd:.2} °C: {slope:+.3} ± {:.3} °C per °C; \
             uncompensated skin readings rise {low}–{high} °C per °C{}",
            2.0 * se,
            if within { "" } else { "; this camera's readings ignore the room (or it compensates by design)" }
        ),
    )
}
