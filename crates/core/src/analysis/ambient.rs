//! The room temperature of each reading, when the session logs it: does
//! the device's error follow the room? A camera that does not compensate
//! for its own temperature reads high in a warm room and low in a cold one
//! (skin also follows the room, but a blackbody does not). The slope of the
//! error on the ambient is taken with the reference held fixed, so that a
//! sweep whose room warmed as the blackbody rose does not mistake a
//! compressing transfer for an ambient effect.

use rayon::prelude::*;

use crate::model::AmbientDependence;
use crate::session::Observation;
use fevercheck_stats::partial_slope::partial_slope;

/// Smallest spread of the ambient, °C, over which a slope is reported: a
/// room held within ±0.5 °C cannot show how the device follows it.
pub(crate) const MIN_AMBIENT_SPAN_C: f64 = 1.0;

/// Fewest readings with an ambient for a slope (three coefficients and
/// enough left for its interval).
const MIN_READINGS: usize = 8;

/// The error's dependence on the ambient over the readings that carry one;
/// `None` with too few or too narrow a spread.
pub(crate) fn ambient_dependence(
    observations: &[&Observation],
    reference: &[f64],
    device: &[f64],
) -> Option<AmbientDependence> {
    // Looked for on every core: most sessions have no room temperatures,
    // and a million readings are 180 MB to read through.
    let with_ambient: Vec<(f64, f64, f64)> = observations
        .par_iter()
        .zip(reference)
        .zip(device)
        .filter_map(|((observation, &x), &y)| observation.ambient_c.map(|a| (y - x, x, a)))
        .collect();
    let errors: Vec<f64> = with_ambient.iter().map(|&(error, _, _)| error).collect();
    let references: Vec<f64> = with_ambient.iter().map(|&(_, x, _)| x).collect();
    let ambients: Vec<f64> = with_ambient.iter().map(|&(_, _, a)| a).collect();
    let min_c = ambients.iter().copied().fold(f64::INFINITY, f64::min);
    let max_c = ambients.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if ambients.len() < MIN_READINGS || max_c - min_c < MIN_AMBIENT_SPAN_C {
        return None;
    }
    let fit = partial_slope(&errors, &references, &ambients)?;
    Some(AmbientDependence {
        n: fit.n,
        min_c,
        max_c,
        slope: fit.slope,
        slope_ci: fit.ci,
    })
}
