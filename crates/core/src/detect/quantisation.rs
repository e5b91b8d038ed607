//! `quantisation`: the device shows a few values from a lookup table instead
//! of a measurement (docs/science.md §3).
//!
//! Evidence: the number of distinct displayed values against the number of
//! steps, and the largest share of readings inside one 1 °C band. Flags when
//! the steps are further apart than the display resolution (so an honest
//! device would show a new value at each step), the distinct values are
//! fewer than [`DISTINCT_PER_STEP_MAX`] × steps and more than
//! [`BAND_SHARE_MIN`] of readings sit in one [`BAND_WIDTH_C`] band, on a sweep
//! of at least 3 °C — and the values leave gaps (docs/science.md §3 says why): fewer
//! than [`OCCUPANCY_MAX`] of the values the display could show between the
//! lowest and highest output are used. A compressing device with a 0.1 °C
//! display also shows few values, but every one in its range; that is the
//! compression detector's finding, not a table.

use serde_json::json;

use super::sweep_view::SweepView;
use super::{About, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::descriptive::median;

/// Largest ratio of distinct values to steps that flags (docs/science.md §3).
pub(super) const DISTINCT_PER_STEP_MAX: f64 = 0.6;

/// Width of the band readings are squeezed into, °C (docs/science.md §3): the
/// normal band 36.5–37.5 °C is about this wide.
pub(super) const BAND_WIDTH_C: f64 = 1.0;

/// Smallest share of readings in that band that flags (docs/science.md §3).
pub(super) const BAND_SHARE_MIN: f64 = 0.7;

/// Largest share of the displayable values (range/resolution + 1) a table
/// may use: a table of 5 values over 36.5–37.3 °C at 0.1 °C uses 5 of 9.
pub(super) const OCCUPANCY_MAX: f64 = 0.75;

/// Most distinct values listed in a message.
const MAX_VALUES_LISTED: usize = 8;

/// Detects outputs taken from a short table.
pub(super) struct QuantisationDetector;

impl Detector for QuantisationDetector {
    fn about(&self) -> About {
        About::shape("quantisation", "a lookup table")
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let spacing: Vec<f64> = view.references.windows(2).map(|w| w[1] - w[0]).collect();
        let step_spacing = median(&spacing).unwrap_or(0.0);
        if step_spacing <= view.resolution_c {
            return Vec::new();
        }
        let values = distinct_values(input.device, view.resolution_c / 2.0);
        if values.is_empty() {
            return Vec::new();
        }
        let steps = view.references.len();
        let (band_low, share) = densest_band(input.device, BAND_WIDTH_C);
        let (lowest, highest) = (values[0], values[values.len() - 1]);
        let displayable = ((highest - lowest) / view.resolution_c).round() + 1.0;
        let occupancy = values.len() as f64 / displayable;
        let few = (values.len() as f64) < DISTINCT_PER_STEP_MAX * steps as f64;
        if !(few && share > BAND_SHARE_MIN && occupancy < OCCUPANCY_MAX) {
            return Vec::new();
        }
        let listed: Vec<String> = values
            .iter()
            .take(MAX_VALUES_LISTED)
            .map(|v| format!("{v:.2}"))
            .collect();
        let more = if values.len() > MAX_VALUES_LISTED {
            ", …"
        } else {
            ""
        };
        let message = format!(
            "the device showed only {} distinct values ({}{more} °C) for {steps} target steps from \
             {:.2} to {:.2} °C, {:.0} % of readings within {band_low:.2}–{:.2} °C: like a lookup \
             table, its output does not follow the measurement",
            values.len(),
            listed.join(", "),
            view.references[0],
            view.references[steps - 1],
            100.0 * share,
            band_low + BAND_WIDTH_C,
        );
        let evidence = json!({
            "distinct_values": values.len(),
            "values_c": values,
            "steps": steps,
            "step_spacing_c": step_spacing,
            "display_resolution_c": view.resolution_c,
            "band_c": [band_low, band_low + BAND_WIDTH_C],
            "share_in_band": share,
            "occupancy": occupancy,
            "thresholds": {"distinct_per_step_max": DISTINCT_PER_STEP_MAX, "band_share_min": BAND_SHARE_MIN},
        });
        // The shape: each step shows the table value nearest its mean; a
        // table of L values has L levels and L − 1 places where it changes.
        let nearest = |mean: &f64| {
            values
                .iter()
                .copied()
                .min_by(|a, b| (a - mean).abs().total_cmp(&(b - mean).abs()))
                .unwrap_or(*mean)
        };
        let fitted: Vec<f64> = view.means.iter().map(nearest).collect();
        let fit = view.shape_fit(&fitted, 2 * values.len() - 1);
        vec![self
            .new_finding(input, Severity::Manipulation, message, evidence)
            .with_fit(fit)]
    }
}

/// Distinct values, ascending; values closer than `tolerance` count once.
fn distinct_values(values: &[f64], tolerance: f64) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut distinct: Vec<f64> = Vec::new();
    for v in sorted {
        if distinct.last().is_none_or(|last| v - last > tolerance) {
            distinct.push(v);
        }
    }
    distinct
}

/// The lowest edge and the share of the `width`-wide band holding most values.
fn densest_band(values: &[f64], width: f64) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut best = (sorted.first().copied().unwrap_or(0.0), 0usize);
    let mut end = 0;
    for start in 0..sorted.len() {
        while end < sorted.len() && sorted[end] <= sorted[start] + width + 1e-9 {
            end += 1;
        }
        if end - start > best.1 {
            best = (sorted[start], end - start);
        }
    }
    (best.0, best.1 as f64 / sorted.len().max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_distinct_values_by_hand() {
        let values = [36.5, 36.5, 36.7, 37.1, 37.6, 38.9];
        assert_eq!(
            distinct_values(&values, 0.05),
            vec![36.5, 36.7, 37.1, 37.6, 38.9]
        );
        // 36.5–37.5 holds 4 of 6; 36.7–37.7 holds 3 (36.7, 37.1, 37.6).
        let (low, share) = densest_band(&values, 1.0);
        assert_eq!(low, 36.5);
        assert!((share - 4.0 / 6.0).abs() < 1e-12);
    }
}
