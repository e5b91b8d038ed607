//! `step_error`: the device misses the reference by more than its stated
//! accuracy at some step (docs/science.md §2, accuracy verdict; IEC 80601-2-59
//! laboratory accuracy). Step means are used where a step has repeats, so
//! noise within the claim does not fail the device.

use serde_json::json;

use super::sweep_view::SweepView;
use super::{accuracy_severity, About, Detector, DetectorInput};
use crate::model::{Decision, Finding};

/// Fails the device when a step mean misses its reference by more than the
/// stated accuracy.
pub(super) struct StepErrorDetector;

impl Detector for StepErrorDetector {
    fn about(&self) -> About {
        About::accuracy("step_error", true)
    }

    fn on_source(&self, input: &DetectorInput, _view: &SweepView) -> Vec<Finding> {
        let a = input.accuracy;
        if a.accuracy_pass {
            return Vec::new();
        }
        let (Some(error), Some(at)) = (a.max_abs_step_error_c, a.max_abs_step_error_reference_c)
        else {
            return Vec::new();
        };
        let worst = input
            .steps
            .iter()
            .find(|s| s.reference_c == at)
            .and_then(|s| s.source(input.source).cloned());
        let signed = worst.as_ref().map_or(error, |s| s.error_c);
        let (shown, readings) = match &worst {
            Some(s) if s.n > 1 => (
                format!("{:.2} °C (mean of {} readings)", s.mean_c, s.n),
                s.n,
            ),
            Some(s) => (format!("{:.2} °C", s.mean_c), 1),
            None => ("?".into(), 0),
        };
        let direction = if signed < 0.0 { "low" } else { "high" };
        let conditional = a.decision.is_some_and(Decision::is_conditional);
        let consequence = if conditional {
            format!(
                "but within the step's expanded uncertainty (U = {:.2} °C) of the claim, so \
                 the decision is conditional: a smaller uncertainty (more readings, a better \
                 characterised reference) would decide it",
                worst
                    .as_ref()
                    .and_then(|s| s.uncertainty.as_ref())
                    .map_or(0.0, |b| b.expanded_c)
            )
        } else {
            "Check the device's calibration against the blackbody before trusting its readings"
                .to_string()
        };
        let message =
            format!(
            "a {at:.2} °C target read {shown}, {:.2} °C {direction}, beyond the stated ±{:.2} °C; \
             {} of {} steps are outside the claim. {consequence}",
            signed.abs(),
            a.stated_accuracy_c,
            a.steps_outside_stated_accuracy,
            input.steps.iter().filter(|s| s.source(input.source).is_some()).count(),
        );
        let evidence = json!({
            "stated_accuracy_c": a.stated_accuracy_c,
            "max_abs_step_error_c": error,
            "step_error_c": signed,
            "at_reference_c": at,
            "steps_outside": a.steps_outside_stated_accuracy,
            "readings_at_step": readings,
            "decision": a.decision,
        });
        let severity = accuracy_severity(a);
        vec![self.new_finding(input, severity, message, evidence)]
    }
}
