//! `compression`: readings pulled toward a set point, the signature Healy et
//! al. 2021 found in all seven devices (docs/science.md §3).
//!
//! Evidence: OLS slope of device on reference with its 95 % CI, the range
//! ratio (range of the step means / range of the step references), the
//! attractor `a/(1 − b)` (the temperature the device pulls toward), the
//! difference regression's adjusted R². Flags when the slope's CI upper bound
//! is below [`SLOPE_CI_HIGH_MAX`] and the range ratio below
//! [`RANGE_RATIO_MAX`], on a sweep of at least 3 °C.

use serde_json::json;

use super::sweep_view::SweepView;
use super::{alarm_consequence, About, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::regression::ols;

/// Largest upper 95 % bound of the slope that counts as compression
/// (docs/science.md §3). An honest device has slope ≈ 1 and a gain error of
/// 0.9–1.1 is calibration; Healy's devices had slopes far below 0.6.
pub(super) const SLOPE_CI_HIGH_MAX: f64 = 0.6;

/// Largest range ratio that counts as compression (docs/science.md §3).
pub(super) const RANGE_RATIO_MAX: f64 = 0.6;

/// Largest upper 95 % bound of the slope that no calibration error gives:
/// emissivity and gain errors keep an honest radiometric device's slope
/// within 0.9–1.1 (`calibration_error::CALIBRATION_GAIN`), and 0.05 more leaves
/// room for the interval of a gain of 0.9 on a short sweep. Between this and
/// [`SLOPE_CI_HIGH_MAX`] the compression is named, as a warning: beyond any
/// calibration error, short of the slopes Healy et al. 2021 measured.
pub(super) const CALIBRATION_SLOPE_CI_HIGH_MAX: f64 = 0.85;

/// The warning for a slope toward normal beyond any calibration error but
/// short of the manipulation threshold; `None` for a plausible slope.
fn beyond_calibration(source: &str, slope: f64, low: f64, high: f64) -> Option<Finding> {
    if high >= CALIBRATION_SLOPE_CI_HIGH_MAX {
        return None;
    }
    let (gain_low, gain_high) = super::calibration_error::CALIBRATION_GAIN;
    Some(Finding::new(
        "compression",
        source,
        Severity::Warning,
        format!(
            "readings rise only {slope:.2} °C per °C of target (95 % CI {low:.2} to {high:.2}): \
             no radiometric calibration error compresses that much (emissivity and gain errors \
             keep the slope within {gain_low:.1}–{gain_high:.1}), so febrile targets are shown \
             closer to normal than they are, though less so than the slopes below \
             {SLOPE_CI_HIGH_MAX:.1} that are called manipulation. A device that openly shows an \
             estimated body temperature is judged against the mapping its vendor declares \
             ([device.transfer] in session.toml)"
        ),
        json!({
            "slope": slope,
            "slope_ci": {"low": low, "high": high},
            "plausible_calibration_slope": [gain_low, gain_high],
            "thresholds": {
                "calibration_slope_ci_high_max": CALIBRATION_SLOPE_CI_HIGH_MAX,
                "slope_ci_high_max": SLOPE_CI_HIGH_MAX,
            },
        }),
    ))
}

/// Target temperature used as the example in the message, °C: a clearly
/// febrile target (Healy's press example was 38.0 °C shown as ~36.7 °C).
const EXAMPLE_TARGET_C: f64 = 38.5;

/// Parameters of a line: intercept and slope.
const LINE_PARAMETERS: usize = 2;

/// Detects readings pulled toward a set point.
pub(super) struct CompressionDetector;

impl Detector for CompressionDetector {
    fn about(&self) -> About {
        About::shape("compression", "compression")
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let a = input.accuracy;
        let (Some(slope), Some(ci), Some(intercept)) = (a.slope, a.slope_ci, a.intercept) else {
            return Vec::new();
        };
        let range_ratio = view.mean_range_c() / view.reference_span_c();
        if !(ci.high < SLOPE_CI_HIGH_MAX && range_ratio < RANGE_RATIO_MAX) {
            return beyond_calibration(input.source, slope, ci.low, ci.high)
                .into_iter()
                .collect();
        }
        let attractor = (slope < 1.0).then(|| intercept / (1.0 - slope));
        let example = view.nearest_step(EXAMPLE_TARGET_C);
        let example_text = example
            .map(|i| {
                format!(
                    "; a {:.2} °C target read {:.2} °C",
                    view.references[i], view.means[i]
                )
            })
            .unwrap_or_default();
        let attractor_text = attractor
            .map(|t| format!("; readings are pulled toward {t:.1} °C"))
            .unwrap_or_default();
        let message = format!(
            "readings rose {:.2} °C while the target rose {:.2} °C (slope {slope:.2}, 95 % CI \
             {:.2} to {:.2}){attractor_text}{example_text}; {}. A calibration error does not do \
             this: the output is compressed toward normal",
            view.mean_range_c(),
            view.reference_span_c(),
            ci.low,
            ci.high,
            alarm_consequence(input),
        );
        let evidence = json!({
            "slope": slope,
            "slope_ci": ci,
            "range_ratio": range_ratio,
            "device_step_range_c": view.mean_range_c(),
            "reference_span_c": view.reference_span_c(),
            "attractor_c": attractor,
            "diff_adj_r2": a.diff_adj_r2,
            "example": example.map(|i| json!({"reference_c": view.references[i], "reading_c": view.means[i]})),
            "first_alarm_reference_c": a.first_alarm_reference_c,
            "thresholds": {"slope_ci_high_max": SLOPE_CI_HIGH_MAX, "range_ratio_max": RANGE_RATIO_MAX},
        });
        // The shape: a straight line through the step means.
        let fitted: Option<Vec<f64>> = ols(&view.references, &view.means).map(|line| {
            let at = |x: &f64| line.intercept + line.slope * x;
            view.references.iter().map(at).collect()
        });
        let fit = fitted.and_then(|f| view.shape_fit(&f, LINE_PARAMETERS));
        vec![self
            .new_finding(input, Severity::Manipulation, message, evidence)
            .with_fit(fit)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slope_beyond_calibration_is_named_and_a_gain_error_is_not() {
        // Slope 0.70 (CI 0.66 to 0.74): beyond any calibration error.
        let warning = beyond_calibration("reported", 0.70, 0.66, 0.74).unwrap();
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.message.contains("no radiometric calibration error"));
        // A gain of 0.90 (CI 0.87 to 0.93): calibration.
        assert!(beyond_calibration("reported", 0.90, 0.87, 0.93).is_none());
    }
}
