//! `bias`: the device reads high or low on average by more than its stated
//! accuracy (Bland–Altman bias, docs/science.md §2). A constant offset is a
//! calibration error, not a manipulation: the message says so when the
//! difference regression shows no dependence on temperature.

use serde_json::json;

use super::sweep_view::SweepView;
use super::{accuracy_severity, signed_c, About, Detector, DetectorInput};
use crate::model::Finding;

/// Largest |slope| of the difference regression `(y − x) ~ x` for which an
/// offset is called constant: a gain error of 0.9–1.1 is a calibration
/// problem (docs/science.md §3), so |slope − 1| ≤ 0.1 keeps the "offset" wording.
const CONSTANT_OFFSET_MAX_DIFF_SLOPE: f64 = 0.1;

/// Flags a mean error larger than the stated accuracy.
pub(super) struct BiasDetector;

impl Detector for BiasDetector {
    fn about(&self) -> About {
        About::accuracy("bias", false)
    }

    fn on_source(&self, input: &DetectorInput, _view: &SweepView) -> Vec<Finding> {
        let a = input.accuracy;
        if a.bias_c.abs() <= a.stated_accuracy_c {
            return Vec::new();
        }
        let direction = if a.bias_c > 0.0 { "high" } else { "low" };
        let ci = a
            .bias_ci_c
            .map(|ci| format!(" (95 % CI {:.2} to {:.2} °C)", ci.low, ci.high))
            .unwrap_or_default();
        let constant = a
            .diff_slope
            .is_some_and(|s| s.abs() <= CONSTANT_OFFSET_MAX_DIFF_SLOPE);
        let nature = if constant {
            format!(
                "an offset of {} that does not change with temperature: a calibration error, \
                 not a manipulation; recalibrate or correct by the offset",
                signed_c(a.bias_c)
            )
        } else {
            "the error changes with temperature (see the regression slope)".to_string()
        };
        let message = format!(
            "the device reads {:.2} °C {direction} on average{ci}, more than the stated ±{:.2} °C; {nature}",
            a.bias_c.abs(),
            a.stated_accuracy_c,
        );
        let evidence = json!({
            "bias_c": a.bias_c,
            "bias_ci_c": a.bias_ci_c,
            "stated_accuracy_c": a.stated_accuracy_c,
            "diff_slope": a.diff_slope,
            "constant_offset": constant,
        });
        // The step decision weighs the uncertainty; a bias beyond the claim
        // that the steps cannot decide on is said, not held against the device.
        let severity = accuracy_severity(a);
        vec![self.new_finding(input, severity, message, evidence)]
    }
}
