//! The verdict: whether the device is accurate within its stated accuracy,
//! whether its output shows manipulation, and one sentence that says both —
//! naming a calibration error as such when the device is inaccurate but
//! shows no manipulation signature.

use super::judged::NOTHING_FOUND;
use crate::detect::calibration_error::explanation;
use crate::model::{
    Accuracy, AccuracyState, Decision, Finding, ManipulationState, Severity, Verdict,
};

/// The verdict from the primary source's accuracy block and the findings.
///
/// `findings` come in the order `tidy` gives them: the first manipulation
/// finding is the signature that best explains the readings, the others
/// support it.
pub(crate) fn verdict(accuracy: &Accuracy, findings: &[Finding]) -> Verdict {
    let signatures = Signatures::of(findings);
    let decision = accuracy.decision;
    let state = accuracy_state(accuracy);
    let manipulation_text = if let Some(text) = signatures.text() {
        text
    } else if !accuracy.accuracy_pass {
        match explanation(accuracy) {
            Some(cause) => {
                format!("{NOTHING_FOUND}: {cause} is a calibration error, not a manipulation")
            }
            None => NOTHING_FOUND.to_string(),
        }
    } else {
        NOTHING_FOUND.to_string()
    };
    let manipulation = signatures.state();
    let not_judged_because = match state {
        AccuracyState::NotJudged => vec![
            "accuracy is not judged: no step has both a reference and a device value".to_string(),
        ],
        _ => Vec::new(),
    };
    Verdict {
        accuracy: state,
        manipulation,
        not_judged_because,
        manipulation_suspected: manipulation.as_suspected(),
        accuracy_pass: state.as_pass(),
        decision,
        primary_signature: signatures.primary.map(|f| f.detector.clone()),
        supporting_signatures: signatures.supporting,
        summary: format!(
            "The device is {}; {manipulation_text}.",
            accuracy_text(accuracy)
        ),
    }
}

/// The accuracy state of a sweep from its decision (ILAC-G8): a
/// conditional decision is a conditional pass when the largest step error
/// is within the claim, a conditional fail when it is beyond.
fn accuracy_state(accuracy: &Accuracy) -> AccuracyState {
    let Some(error) = accuracy.max_abs_step_error_c else {
        return AccuracyState::NotJudged;
    };
    match accuracy.decision {
        Some(Decision::Pass) => AccuracyState::Pass,
        Some(Decision::Fail) => AccuracyState::Fail,
        Some(Decision::ConditionalPass) => AccuracyState::ConditionalPass,
        Some(Decision::ConditionalFail) => AccuracyState::ConditionalFail,
        Some(Decision::Conditional) if error <= accuracy.stated_accuracy_c => {
            AccuracyState::ConditionalPass
        }
        Some(Decision::Conditional) => AccuracyState::ConditionalFail,
        None if accuracy.accuracy_pass => AccuracyState::Pass,
        None => AccuracyState::Fail,
    }
}

/// The manipulation findings as the verdict names them: the first is the
/// signature that best explains the readings, the other detectors that
/// fired support it.
pub(crate) struct Signatures<'a> {
    /// The first manipulation finding.
    pub primary: Option<&'a Finding>,
    /// The other detectors with a manipulation finding, each once.
    pub supporting: Vec<String>,
}

impl<'a> Signatures<'a> {
    /// The signatures among `findings` (in the order `tidy` gives them).
    pub(crate) fn of(findings: &'a [Finding]) -> Self {
        let mut manipulation = findings
            .iter()
            .filter(|f| f.severity == Severity::Manipulation);
        let primary = manipulation.next();
        let mut supporting: Vec<String> = Vec::new();
        for finding in manipulation {
            let same_as_primary = primary.is_some_and(|p| p.detector == finding.detector);
            if !same_as_primary && !supporting.contains(&finding.detector) {
                supporting.push(finding.detector.clone());
            }
        }
        Signatures {
            primary,
            supporting,
        }
    }

    /// Suspected when there is a signature, else not suspected (the
    /// session's reach may still make it not judged: [`super::judged`]).
    pub(crate) fn state(&self) -> ManipulationState {
        if self.primary.is_some() {
            ManipulationState::Suspected
        } else {
            ManipulationState::NotSuspected
        }
    }

    /// "its output shows manipulation, best explained by …", when any.
    pub(crate) fn text(&self) -> Option<String> {
        let primary = self.primary?;
        let fit = primary
            .fit
            .map(|fit| format!(", which fits the step means within {:.2} °C rms", fit.rms_c))
            .unwrap_or_default();
        let also = if self.supporting.is_empty() {
            String::new()
        } else {
            format!("; supported by {}", self.supporting.join(", "))
        };
        Some(format!(
            "its output shows manipulation, best explained by {}{fit}{also}",
            primary.detector
        ))
    }
}

fn accuracy_text(accuracy: &Accuracy) -> String {
    let stated = accuracy.stated_accuracy_c;
    let Some(error) = accuracy.max_abs_step_error_c else {
        return "accuracy could not be judged".to_string();
    };
    let at = accuracy.max_abs_step_error_reference_c.unwrap_or(f64::NAN);
    let expanded = accuracy.uncertainty.as_ref().map(|b| b.expanded_c);
    let with_u = |what: &str| match expanded {
        Some(u) => format!(" ({what} U = {u:.2} °C, {})", accuracy.decision_rule),
        None => String::new(),
    };
    match accuracy.decision {
        Some(d) if d.is_conditional() => format!(
            "not decidable at this uncertainty: the largest step error {error:.2} °C at \
             {at:.2} °C is within its uncertainty of the stated ±{stated:.2} °C{}{}",
            with_u("expanded"),
            accuracy
                .out_of_tolerance_probability
                .map(|p| format!(
                    "; {:.0} % probability that a step is really outside",
                    100.0 * p
                ))
                .unwrap_or_default()
        ),
        Some(Decision::Pass) | None if accuracy.accuracy_pass => format!(
            "accurate within the stated ±{stated:.2} °C (largest step error {error:.2} °C{})",
            expanded
                .map(|u| format!(", U = {u:.2} °C, {}", accuracy.decision_rule))
                .unwrap_or_default()
        ),
        _ => format!(
            "not accurate: a step error of {error:.2} °C at {at:.2} °C exceeds the stated \
             ±{stated:.2} °C{}",
            with_u("beyond its")
        ),
    }
}
