//! What a declared transfer (`[device.transfer]`) means for the report:
//! the sentence at the top that says the device is judged against its
//! declaration, and the screening finding when the declaration itself
//! shows febrile targets as normal.
//!
//! The declaration is disclosed, so its shape is never a manipulation
//! finding (the detectors see only the departure from it, see
//! [`super::pairing`]). But a declared mapping that keeps febrile targets
//! below the alarm threshold makes the device unfit to screen for them,
//! and the lab must read that before anything else.

use serde_json::json;

use crate::model::{Finding, ReferenceRange, Severity, Transfer, REPORTED};

/// The id under which the declaration's own screening finding is listed.
pub(crate) const DECLARED_TRANSFER: &str = "declared_transfer";

/// The sentence that opens the verdict of a device judged against its
/// declared transfer.
pub(crate) fn judged_against(transfer: &Transfer) -> String {
    format!(
        "Judged against its declared transfer ({}), not the identity line: errors are \
         readings minus the declared reading.",
        transfer.describe()
    )
}

/// The screening finding of a declaration that shows febrile targets —
/// targets at or above the alarm threshold, up to `highest_c` (the hottest
/// target swept or declared) — below the threshold; `None` when it alarms
/// for every one.
pub(crate) fn screening_finding(
    transfer: &Transfer,
    alarm_threshold_c: f64,
    highest_c: f64,
) -> Option<Finding> {
    let hidden = transfer.normal_looking_febrile_targets(alarm_threshold_c, highest_c);
    let (first, last) = (hidden.first()?, hidden.last()?);
    let ranges: Vec<String> = hidden
        .iter()
        .map(|(low, high)| format!("{low:.2}–{high:.2} °C"))
        .collect();
    let message = format!(
        "by its declared transfer, targets {} read below the alarm threshold of \
         {alarm_threshold_c:.2} °C: the declaration itself shows these febrile targets as \
         normal, so the device cannot screen for them however faithfully it follows it",
        ranges.join(" and ")
    );
    let mut finding = Finding::new(
        DECLARED_TRANSFER,
        REPORTED,
        Severity::Warning,
        message,
        json!({
            "alarm_threshold_c": alarm_threshold_c,
            "targets_shown_normal_c": hidden.iter().map(|(l, h)| [l, h]).collect::<Vec<_>>(),
            "declared_points_c": transfer.points,
        }),
    );
    finding.flagged_reference_c = Some(ReferenceRange {
        low_c: first.0,
        high_c: last.1,
    });
    Some(finding)
}

/// The sentence the verdict adds for the screening finding.
pub(crate) fn screening_sentence(finding: &Finding) -> Option<String> {
    let range = finding.flagged_reference_c?;
    Some(format!(
        "By its declared transfer, targets {:.2}–{:.2} °C read below the alarm threshold.",
        range.low_c, range.high_c
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_that_hides_fever_is_a_screening_finding() {
        // 37.0 °C at a 36 °C target, then 0.1 °C per °C: 37.5 °C is
        // reached at 41 °C, so 37.5–41 °C read normal (by hand).
        let t = Transfer {
            points: vec![[30.0, 30.0], [36.0, 37.0], [40.0, 37.4]],
        };
        let finding = screening_finding(&t, 37.5, 42.0).unwrap();
        assert_eq!(finding.severity, Severity::Warning);
        assert!(
            finding.message.contains("37.50–41.00 °C"),
            "{}",
            finding.message
        );
        assert_eq!(
            screening_sentence(&finding).unwrap(),
            "By its declared transfer, targets 37.50–41.00 °C read below the alarm threshold."
        );
        let honest = Transfer {
            points: vec![[34.0, 36.8], [40.0, 38.6]],
        };
        assert!(screening_finding(&honest, 37.5, 42.0).is_none());
    }
}
