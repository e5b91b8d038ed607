//! The spread of the readings: people's temperatures differ, so an honest
//! camera's readings spread (the FDA study's thermograph: T_Max1 sd 0.51 °C
//! over 533 subjects, fixtures/real); a camera that pulls readings toward a
//! normal value narrows them. Measured robustly, as the interquartile range
//! over 1.349, so fevers and misreads do not widen it; where the log gives
//! the room temperature, the variance the room explains (slope² × its
//! variance) is taken out first, so a room that changed over months does
//! not widen a narrowed camera back into people's range.

use super::ambient::RoomFit;
use super::{at_least, Indicator, Kind};
use crate::distribution::ReadingDistribution;
use crate::state::CameraState;

/// Share of the readings in range that must carry a room temperature for
/// the room's part of the spread to be taken out.
const ROOM_SHARE_MIN: f64 = 0.9;

/// Narrowest robust sd of an honest camera's readings, °C: below the
/// lowest of the simulated honest cameras (README "Fleet calibration":
/// 0.29 °C at 1 000 events and 0.32 °C at 10 000, a population 0.75 times
/// as wide as the FDA subjects'); people spread about 0.5 °C.
pub const SPREAD_HONEST_MIN_C: f64 = 0.28;

/// Standard errors the spread must lie below [`SPREAD_HONEST_MIN_C`] to be
/// beyond it: the IQR-based sd of n normal readings has a standard error of
/// about 1.166 σ/√n (its asymptotic variance is 1.3578 σ²/n; Rousseeuw &
/// Croux 1993, Table 1), 0.011 °C for 1 000 readings of sd 0.3 °C.
const STANDARD_ERRORS: f64 = 2.0;

/// The standard error of the IQR-based sd, in sds, times √n.
const IQR_SD_ERROR: f64 = 1.166;

/// The spread indicator.
const SPREAD: Kind = Kind {
    id: "spread",
    name: "spread of the readings (interquartile range / 1.349, without the room's part)",
    unit: "°C",
    honest: at_least(SPREAD_HONEST_MIN_C),
    decisive: true,
};

/// Display step the spread's threshold was set on, °C: readings shown to
/// 0.1 °C (or 0.1 °F, finer).
const CALIBRATED_STEP_C: f64 = 0.1;

/// `sd` without the variance a display coarser than [`CALIBRATED_STEP_C`]
/// adds: rounding to a step h adds h²/12 to a distribution's variance
/// (Sheppard's correction; Kendall & Stuart, The Advanced Theory of
/// Statistics, vol. 1, §3.18), of which the calibrated step's share is
/// already in the threshold.
fn coarse_display_corrected(sd: f64, step: f64) -> f64 {
    let excess = (step.powi(2) - CALIBRATED_STEP_C.powi(2)).max(0.0) / 12.0;
    (sd.powi(2) - excess).max(0.0).sqrt()
}

/// The spread indicator of `readings`.
pub(super) fn assess(readings: &ReadingDistribution, state: &CameraState) -> Indicator {
    let whole = readings.robust_sd();
    let room = RoomFit::of(state)
        .filter(|fit| fit.events as f64 >= ROOM_SHARE_MIN * state.in_range() as f64);
    let sd = match room {
        Some(fit) => (whole.powi(2) - fit.explained_variance()).max(0.0).sqrt(),
        None => whole,
    };
    // The error is that of the spread observed; the correction for a
    // coarse display is then taken from the value, not from its error.
    let error = IQR_SD_ERROR * sd / readings.count().sqrt();
    let sd = coarse_display_corrected(sd, readings.display_step());
    let beyond = sd + STANDARD_ERRORS * error < SPREAD_HONEST_MIN_C;
    SPREAD.judged(
        sd,
        beyond,
        format!(
            "the middle half of {:.0} readings spans {:.2} °C ({:.2} to {:.2} °C), a robust sd of {whole:.3} °C{}; \
             people's readings spread about 0.5 °C, an honest camera's at least {SPREAD_HONEST_MIN_C} °C",
            readings.count(),
            readings.quantile(0.75) - readings.quantile(0.25),
            readings.quantile(0.25),
            readings.quantile(0.75),
            match room {
                Some(fit) => format!(
                    ", {sd:.3} °C without the room's part ({:+.3} °C/°C over a room of sd {:.2} °C)",
                    fit.slope, fit.ambient_sd
                ),
                None => String::new(),
            }
        ),
    )
}
