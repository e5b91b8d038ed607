//! The accuracy detectors on hand-made readings just inside and just outside
//! their thresholds (stated accuracy ±0.30 °C).

use fevercheck::analyze;
use fevercheck::model::Severity;
use fevercheck::model::{Decision, DecisionRule, Report};
use fevercheck::session::{Manifest, Observation, Session};

/// A session of (reference, reported) pairs with a stated accuracy of 0.3 °C,
/// each pair read twice alike: the repeatability is then measured as zero,
/// and the decisions rest on the display resolution alone, as computed
/// beside each test (read once, three steps would take their Type A term
/// from the scatter about a line with one degree of freedom, and decide
/// nothing).
fn session(pairs: &[(f64, f64)]) -> Session {
    let twice: Vec<(f64, f64)> = pairs.iter().flat_map(|&p| [p, p]).collect();
    let pairs = twice.as_slice();
    let mut manifest = Manifest::default();
    manifest.device.stated_accuracy_c = Some(0.3);
    let observations = pairs
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| Observation::new(i as u64 + 2, x, Some(y)))
        .collect();
    Session::from_observations("hand-made", manifest, observations)
}

/// Detectors that raised an accuracy or manipulation finding (these short
/// hand-made sweeps also get "cannot decide" warnings from the shape detectors).
fn detectors_that_fired(report: &Report) -> Vec<&str> {
    report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Warning)
        .map(|f| f.detector.as_str())
        .collect()
}

#[test]
fn an_offset_just_inside_the_claim_passes() {
    let report = analyze(&session(&[(36.0, 36.29), (37.0, 37.29), (38.0, 38.29)])).unwrap();
    assert!(
        detectors_that_fired(&report).is_empty(),
        "{:?}",
        report.findings
    );
    assert_eq!(report.verdict.accuracy_pass, Some(true));
    assert!(!report.has_findings());
}

#[test]
fn an_offset_just_outside_the_claim_is_a_calibration_error() {
    let report = analyze(&session(&[(36.0, 36.31), (37.0, 37.31), (38.0, 38.31)])).unwrap();
    assert_eq!(detectors_that_fired(&report), ["step_error", "bias"]);
    assert_eq!(report.verdict.accuracy_pass, Some(false));
    assert!(!report.verdict.is_manipulation_suspected());
    let bias = report
        .findings
        .iter()
        .find(|f| f.detector == "bias")
        .unwrap();
    assert!(
        bias.message
            .contains("a calibration error, not a manipulation"),
        "{}",
        bias.message
    );
    assert_eq!(bias.evidence["constant_offset"], true);
    assert!(report.has_findings());
}

#[test]
fn one_step_outside_fails_accuracy_without_a_bias_finding() {
    // Errors 0, 0, +0.31: bias 0.103 is within ±0.3, the 38 °C step is not.
    let report = analyze(&session(&[(36.0, 36.0), (37.0, 37.0), (38.0, 38.31)])).unwrap();
    assert_eq!(detectors_that_fired(&report), ["step_error"]);
    let finding = report
        .findings
        .iter()
        .find(|f| f.detector == "step_error")
        .unwrap();
    assert!(
        finding
            .message
            .starts_with("a 38.00 °C target read 38.31 °C (mean of 2 readings), 0.31 °C high"),
        "{}",
        finding.message
    );
    assert_eq!(finding.evidence["steps_outside"], 1);
}

#[test]
fn the_verdict_uses_step_means_where_readings_repeat() {
    // Single readings miss by ±0.4 °C, but each step's mean is exact.
    let pairs = [
        (36.0, 35.6),
        (36.0, 36.4),
        (37.0, 36.6),
        (37.0, 37.4),
        (38.0, 37.6),
        (38.0, 38.4),
    ];
    let mut simple = session(&pairs);
    simple.manifest.decision.rule = Some(DecisionRule::Simple);
    let report = analyze(&simple).unwrap();
    let a = &report.accuracy["reported"];
    assert!((a.max_abs_error_c - 0.4).abs() < 1e-9);
    assert!(a.max_abs_step_error_c.unwrap() < 1e-9);
    assert_eq!(report.verdict.accuracy_pass, Some(true));
    assert!(detectors_that_fired(&report).is_empty());
    // With the default guarded acceptance, four readings at each step,
    // two 0.4 °C low and two 0.4 °C high (s = √(0.64/3) = 0.462 pooled over
    // 3 steps, ν = 9), leave each step mean uncertain by U ≈ t(0.975; 9)·
    // 0.462/√4 = 2.262·0.231 = 0.52 °C (with the 0.1 °C display's 0.029):
    // every step mean is exact, within the claim, but not by U — ILAC-G8's
    // conditional pass, said without holding it against the device.
    let report = analyze(&session(&pairs)).unwrap();
    assert_eq!(report.verdict.decision, Some(Decision::ConditionalPass));
    assert!(detectors_that_fired(&report).is_empty());
}
