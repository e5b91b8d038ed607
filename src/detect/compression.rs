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
use super::{alarm_consequence, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use crate::stats::regression::ols;

/// Largest upper 95 % bound of the slope that counts as compression
/// (docs/science.md §3). An honest device has slope ≈ 1 and a gain error of
/// 0.9–1.1 is calibration; Healy's devices had slopes far below 0.6.
pub const SLOPE_CI_HIGH_MAX: f64 = 0.6;

/// Largest range ratio that counts as compression (docs/science.md §3).
pub const RANGE_RATIO_MAX: f64 = 0.6;

/// Target temperature used as the example in the message, °C: a clearly
/// febrile target (Healy's press example was 38.0 °C shown as ~36.7 °C).
const EXAMPLE_TARGET_C: f64 = 38.5;

/// Parameters of a line: intercept and slope.
const LINE_PARAMETERS: usize = 2;

/// Detects readings pulled toward a set point.
pub struct CompressionDetector;

impl Detector for CompressionDetector {
    fn id(&self) -> &'static str {
        "compression"
    }

    fn tests_manipulation(&self) -> bool {
        true
    }

    fn looks_for(&self) -> Option<&'static str> {
        Some("compression")
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let a = input.accuracy;
        let (Some(slope), Some(ci), Some(intercept)) = (a.slope, a.slope_ci, a.intercept) else {
            return Vec::new();
        };
        let range_ratio = view.mean_range_c() / view.reference_span_c();
        if !(ci.high < SLOPE_CI_HIGH_MAX && range_ratio < RANGE_RATIO_MAX) {
            return Vec::new();
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
        vec![Finding::new(
            self.id(),
            input.source,
            Severity::Manipulation,
            message,
            evidence,
        )
        .with_fit(fit)]
    }
}
