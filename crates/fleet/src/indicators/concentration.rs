//! How many display values hold the readings: the effective number of
//! 0.1 °C values, exp(H) of the Shannon entropy H of the tenths (Hill's
//! number of order 1). People spread over about 20 tenths (a normal
//! distribution of sd σ has exp(H) = √(2πe)·σ / 0.1 = 41σ/°C); a camera
//! that shows a constant, or a handful of normal values, holds its readings
//! on a few.

use super::{at_least, Indicator, Kind};
use crate::distribution::ReadingDistribution;

/// Fewest effective 0.1 °C values an honest camera's readings take: the
/// narrowest honest spread (0.28 °C) covers 11.5; the simulated honest
/// cameras never went below 14 (README "Fleet calibration").
pub const EFFECTIVE_VALUES_HONEST_MIN: f64 = 9.0;

/// The display-values indicator.
const DISPLAY_VALUES: Kind = Kind {
    id: "display_values",
    name: "effective number of 0.1 °C values",
    unit: "values",
    honest: at_least(EFFECTIVE_VALUES_HONEST_MIN),
    decisive: true,
};

/// Coarsest display step on which the count of tenths means anything, °C:
/// a display of 0.5 °C or 1 °F cannot show more than a few values, whatever
/// the people read (tenths of °F, 0.056 °C, and tenths of °C pass).
pub const FINEST_STEP_JUDGED_C: f64 = 0.12;

/// The display-values indicator of `readings`.
pub(super) fn assess(readings: &ReadingDistribution) -> Indicator {
    let step = readings.display_step();
    if step > FINEST_STEP_JUDGED_C {
        return DISPLAY_VALUES.not_judged(format!(
            "the display shows steps of {step:.2} °C, too coarse to hold many tenths; the spread judges it instead"
        ));
    }
    let tenths = readings.tenths();
    let total = readings.count();
    let entropy: f64 = tenths
        .iter()
        .filter(|(_, count)| *count > 0.0)
        .map(|(_, count)| {
            let p = count / total;
            -p * p.ln()
        })
        .sum();
    let effective = entropy.exp();
    let (top_value, top_count) =
        tenths.iter().copied().fold(
            (f64::NAN, 0.0),
            |best, bin| if bin.1 > best.1 { bin } else { best },
        );
    DISPLAY_VALUES.judged(
        effective,
        effective < EFFECTIVE_VALUES_HONEST_MIN,
        format!(
            "the readings fall on {} tenths of a degree, as evenly as {effective:.1} would; \
             the commonest, {top_value:.1} °C, holds {:.1} % of them",
            tenths.len(),
            100.0 * top_count / total,
        ),
    )
}
