//! The verdict: whether the device is accurate within its stated accuracy,
//! whether its output shows manipulation, and one sentence that says both —
//! naming a calibration error as such when the device is inaccurate but
//! shows no manipulation signature.

use crate::detect::calibration::explanation;
use crate::model::{Accuracy, Finding, Severity, Verdict};

/// The verdict from the primary source's accuracy block and the findings.
pub fn verdict(accuracy: &Accuracy, findings: &[Finding]) -> Verdict {
    let manipulation: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::Manipulation)
        .map(|f| f.detector.as_str())
        .collect();
    let accuracy_pass = accuracy.accuracy_pass;
    let manipulation_text = if !manipulation.is_empty() {
        format!(
            "its output shows manipulation ({})",
            manipulation.join(", ")
        )
    } else if !accuracy_pass {
        match explanation(accuracy) {
            Some(cause) => format!(
                "no manipulation signature was found: {cause} is a calibration error, not a manipulation"
            ),
            None => "no manipulation signature was found".to_string(),
        }
    } else {
        "no manipulation signature was found".to_string()
    };
    Verdict {
        manipulation_suspected: !manipulation.is_empty(),
        accuracy_pass: Some(accuracy_pass),
        summary: format!(
            "The device is {}; {manipulation_text}.",
            accuracy_text(accuracy)
        ),
    }
}

fn accuracy_text(accuracy: &Accuracy) -> String {
    match (accuracy.accuracy_pass, accuracy.max_abs_step_error_c) {
        (true, Some(error)) => format!(
            "accurate within the stated ±{:.2} °C (largest step error {error:.2} °C)",
            accuracy.stated_accuracy_c
        ),
        (_, Some(error)) => format!(
            "not accurate: a step error of {error:.2} °C at {:.2} °C exceeds the stated ±{:.2} °C",
            accuracy.max_abs_step_error_reference_c.unwrap_or(f64::NAN),
            accuracy.stated_accuracy_c
        ),
        (_, None) => "accuracy could not be judged".to_string(),
    }
}
