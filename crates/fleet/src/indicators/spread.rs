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
/// population sd 0.45–0.6 °C shrunk to 0.85 of itself, 0.1 °C displays,
/// at 1 000 events) with room to spare; people spread about 0.5 °C.
pub const SPREAD_HONEST_MIN_C: f64 = 0.28;

/// The spread indicator.
const SPREAD: Kind = Kind {
    id: "spread",
    name: "spread of the readings (interquartile range / 1.349, without the room's part)",
    unit: "°C",
    honest: at_least(SPREAD_HONEST_MIN_C),
    decisive: true,
};

/// The spread indicator of `readings`.
pub(super) fn assess(readings: &ReadingDistribution, state: &CameraState) -> Indicator {
    let whole = readings.robust_sd();
    let room = RoomFit::of(state)
        .filter(|fit| fit.events as f64 >= ROOM_SHARE_MIN * state.in_range() as f64);
    let sd = match room {
        Some(fit) => (whole.powi(2) - fit.explained_variance()).max(0.0).sqrt(),
        None => whole,
    };
    let beyond = sd < SPREAD_HONEST_MIN_C;
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
