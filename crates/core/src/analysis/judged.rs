//! What a session can show, and so what its verdict may claim. A verdict
//! says `not_judged` on an axis the data cannot decide, with the reason in
//! plain words and what would decide it — never a green "not suspected"
//! for manipulation that was not tested:
//!
//! - **Manipulation** hides fevers, so it is judged only on a sweep whose
//!   targets reach well below and well above the alarm threshold, wide and
//!   fine enough for the detectors of the transfer's shape to run. A
//!   clinical study (people at their own temperatures) or a narrow sweep
//!   leaves it not judged, unless a detector that needs no sweep found a
//!   signature (then it is suspected all the same).
//! - **Claims fevercheck assumed**: without a stated accuracy or an alarm
//!   threshold the defaults are used, and every sentence that uses them
//!   says so.

use crate::detect::{MIN_STEPS, MIN_SWEEP_SPAN_C};
use crate::model::{Finding, ManipulationState, SessionKind, Step, Verdict};

/// How far below and above the alarm threshold a sweep must reach for
/// fever hiding to be judged, °C: the band where a hiding device pulls
/// readings down (Healy et al. 2021 found 38.0 °C targets shown as
/// 36.7 °C) lies within 1 °C above a 37.5 °C threshold, and the device's
/// honest behaviour must be seen as far below it to compare.
pub(crate) const MARGIN_AROUND_ALARM_C: f64 = 1.0;

/// Why manipulation cannot be judged on this session; empty when it can.
pub(crate) fn manipulation_not_judged_because(
    kind: SessionKind,
    steps: &[Step],
    alarm_threshold_c: f64,
) -> Vec<String> {
    if kind == SessionKind::Clinical {
        return vec![format!(
            "manipulation is not judged on a clinical study: its subjects are at their own \
             temperatures, not at targets swept across the {alarm_threshold_c:.1} °C alarm \
             threshold; test the device on a blackbody sweep from at least {:.1} to {:.1} °C",
            alarm_threshold_c - MARGIN_AROUND_ALARM_C - 1.0,
            alarm_threshold_c + MARGIN_AROUND_ALARM_C + 1.0
        )];
    }
    let references: Vec<f64> = steps.iter().map(|s| s.reference_c).collect();
    let low = references.iter().copied().fold(f64::INFINITY, f64::min);
    let high = references.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut reasons = Vec::new();
    let needed_low = alarm_threshold_c - MARGIN_AROUND_ALARM_C;
    let needed_high = alarm_threshold_c + MARGIN_AROUND_ALARM_C;
    if references.is_empty() || low > needed_low || high < needed_high {
        let reached = if references.is_empty() {
            "no target".to_string()
        } else {
            format!("the targets reach {low:.2} to {high:.2} °C")
        };
        reasons.push(format!(
            "manipulation is not judged: {reached}, and hidden fevers show only on a sweep \
             from at least {needed_low:.1} to {needed_high:.1} °C, {MARGIN_AROUND_ALARM_C:.1} °C \
             either side of the {alarm_threshold_c:.1} °C alarm threshold (the 2021 study \
             swept 35 to 40 °C)"
        ));
    }
    let span = if references.is_empty() {
        0.0
    } else {
        high - low
    };
    if references.len() < MIN_STEPS || span < MIN_SWEEP_SPAN_C {
        reasons.push(format!(
            "manipulation is not judged: the detectors of the transfer's shape could not run on \
             {} step(s) over {span:.2} °C, where they need at least {MIN_STEPS} steps over \
             {MIN_SWEEP_SPAN_C:.1} °C",
            references.len()
        ));
    }
    reasons
}

/// Why manipulation cannot be judged from the findings: readings that had
/// not settled at each step (`carry_over`) fake a compression, so the
/// tests of the transfer's shape were not made on them.
pub(crate) fn unsettled_readings(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .find(|f| f.detector == crate::detect::carry_over::ID)
        .map(|f| {
            format!(
                "manipulation is not judged: the {} readings had not settled at each step, and                  readings that carry part of the previous target look compressed whatever the                  device does; let every step settle before reading it",
                f.source
            )
        })
        .into_iter()
        .collect()
}

/// Sets the manipulation axis of `verdict` to not judged, with `reasons`,
/// unless a signature was found (a finding outweighs a thin session).
pub(crate) fn limit_manipulation(verdict: &mut Verdict, reasons: Vec<String>) {
    if reasons.is_empty() || verdict.manipulation == ManipulationState::Suspected {
        return;
    }
    verdict.manipulation = ManipulationState::NotJudged;
    verdict.manipulation_suspected = None;
    verdict.summary = verdict
        .summary
        .replace(NOTHING_FOUND, NOTHING_FOUND_UNTESTED);
    verdict.not_judged_because.extend(reasons);
}

/// The verdict's words when no signature was found …
pub(crate) const NOTHING_FOUND: &str = "no manipulation signature was found";

/// … and what they become when the session could not have shown one.
const NOTHING_FOUND_UNTESTED: &str = "manipulation was not judged: this session cannot show it";

/// Names an assumed claim wherever the verdict and the findings state it:
/// "the stated ±0.50 °C" becomes "the assumed (default, no accuracy was
/// stated) ±0.50 °C", and the first "alarm threshold" of each text says it
/// is a default.
pub(crate) fn name_assumed_claims(
    verdict: &mut Verdict,
    findings: &mut [Finding],
    stated_given: bool,
    alarm_given: bool,
) {
    let name = |text: &mut String| {
        if !stated_given {
            *text = text.replacen(
                "the stated ±",
                "the assumed (default, no accuracy was stated) ±",
                1,
            );
        }
        if !alarm_given {
            *text = text.replacen(
                " alarm threshold",
                " alarm threshold (a default: the device's was not given)",
                1,
            );
        }
    };
    name(&mut verdict.summary);
    for finding in findings {
        name(&mut finding.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(references: &[f64]) -> Vec<Step> {
        references
            .iter()
            .map(|&r| Step {
                reference_c: r,
                setpoint_c: None,
                n: 3,
                reference_sd_c: None,
                reported: None,
                radiometric: None,
            })
            .collect()
    }

    #[test]
    fn a_narrow_sweep_and_a_clinical_study_leave_manipulation_not_judged() {
        // 36–38 °C in 9 steps (issue #24): short of 38.5 °C above the
        // threshold, and 2 °C wide where the shape detectors need 3 °C.
        let narrow: Vec<f64> = (0..9).map(|i| 36.0 + 0.25 * i as f64).collect();
        let reasons = manipulation_not_judged_because(SessionKind::Sweep, &steps(&narrow), 37.5);
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(
            reasons[0].contains("the targets reach 36.00 to 38.00 °C"),
            "{reasons:?}"
        );
        assert!(reasons[1].contains("9 step(s) over 2.00 °C"), "{reasons:?}");
        // 36.5–39.5 °C in 13 steps: judged on both counts.
        let enough: Vec<f64> = (0..13).map(|i| 36.5 + 0.25 * i as f64).collect();
        assert!(
            manipulation_not_judged_because(SessionKind::Sweep, &steps(&enough), 37.5).is_empty()
        );
        // 35–37 °C: never above the threshold.
        let low: Vec<f64> = (0..9).map(|i| 35.0 + 0.25 * i as f64).collect();
        let reasons = manipulation_not_judged_because(SessionKind::Sweep, &steps(&low), 37.5);
        assert!(
            reasons[0].contains("from at least 36.5 to 38.5 °C"),
            "{reasons:?}"
        );
        // 35–40 °C in 21 steps: judged.
        let full: Vec<f64> = (0..21).map(|i| 35.0 + 0.25 * i as f64).collect();
        assert!(
            manipulation_not_judged_because(SessionKind::Sweep, &steps(&full), 37.5).is_empty()
        );
        let clinical = manipulation_not_judged_because(SessionKind::Clinical, &[], 37.5);
        assert!(clinical[0].contains("clinical study"), "{clinical:?}");
    }
}
