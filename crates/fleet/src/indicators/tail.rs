//! The upper tail: beyond two robust standard deviations (of the upper
//! half, so people coming in from the cold do not widen it) above the median
//! a normal distribution holds 2.3 % of its readings, and people's
//! temperatures hold at least that (the FDA thermograph's readings have a
//! heavier upper tail than a normal's, and fevers add to it). A camera that
//! hides high readings — clamps them, or shows a normal value instead —
//! leaves the tail nearly empty.

use super::{at_least, chance_text, Indicator, Kind};
use crate::distribution::ReadingDistribution;
use fevercheck_stats::distribution::{normal_upper_tail, poisson_lower_tail};

/// Where the tail starts, robust standard deviations above the median.
pub const TAIL_Z: f64 = 2.0;

/// Lowest ratio of the readings beyond the cut to a normal's count that an
/// honest camera shows: the simulated honest cameras kept at least 0.7 of
/// it (README "Fleet calibration"); the ratio is judged against half that.
pub const TAIL_RATIO_HONEST_MIN: f64 = 0.6;

/// Fewest readings a normal distribution puts beyond the cut before the
/// tail is judged (fewer cannot tell an empty tail from chance).
const EXPECTED_MIN: f64 = 20.0;

/// Largest chance that a camera whose tail holds [`TAIL_RATIO_HONEST_MIN`]
/// of a normal's shows as few readings beyond the cut: one in 100 000 per
/// camera. Honest cameras' tails hold 0.93 or more of it at 10 000 events (README "Fleet
/// calibration"), so their chance is far smaller still.
const CHANCE_MAX: f64 = 1e-5;

/// The upper-tail indicator.
const UPPER_TAIL: Kind = Kind {
    id: "upper_tail",
    name: "readings in the upper tail, against a normal distribution's",
    unit: "ratio",
    honest: at_least(TAIL_RATIO_HONEST_MIN),
    decisive: true,
};

/// The upper-tail indicator of `readings`.
pub(super) fn assess(readings: &ReadingDistribution) -> Indicator {
    let median = readings.quantile(0.5);
    let sd = readings.upper_sd();
    let cut = median + TAIL_Z * sd;
    let expected = readings.count() * normal_upper_tail(TAIL_Z);
    let observed = readings.mass_above(cut);
    let ratio = observed / expected;
    if expected < EXPECTED_MIN || sd <= 0.0 {
        return UPPER_TAIL.not_judged(format!(
            "a normal distribution would put {expected:.1} readings above {cut:.2} °C; \
                 at least {EXPECTED_MIN} are needed to judge the tail"
        ));
    }
    let chance = poisson_lower_tail(observed.floor() as u64, TAIL_RATIO_HONEST_MIN * expected)
        .unwrap_or(1.0);
    let beyond = ratio < TAIL_RATIO_HONEST_MIN && chance < CHANCE_MAX;
    UPPER_TAIL.judged(
        ratio,
        beyond,
        format!(
            "{observed:.0} readings above {cut:.2} °C (median {median:.2} + {TAIL_Z} × {sd:.3} °C) \
             where a normal distribution puts {expected:.0}: {:.0} % of it{}",
            100.0 * ratio,
            if beyond {
                format!("; an honest camera's tail would show so few with a chance {}", chance_text(chance))
            } else {
                String::new()
            }
        ),
    )
}
