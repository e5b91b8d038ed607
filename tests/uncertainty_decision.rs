//! The uncertainty budget of each step (GUM) and the decision rule
//! (ILAC-G8): each decision reached by a constructed session, the budget
//! checked against hand-computed values.
//!
//! The sessions: three steps (36, 37, 38 °C) of three identical readings,
//! so a step has no repeatability term; the blackbody's U = 0.20 °C at
//! k = 2 (u = 0.10 °C) and a 0.1 °C display (u = 0.1/√12 = 0.028868 °C)
//! give u_c = √(0.01 + 0.00083333) = 0.104083 °C with infinite degrees of
//! freedom, k = 1.959964 and U = 0.204000 °C at every step.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

use fevercheck::analyze;
use fevercheck::model::{Decision, DecisionRule};
use fevercheck::session::Session;

const U: f64 = 0.204_000;

const MANIFEST: &str = "[device]
stated_accuracy_c = 0.5
display_resolution_c = 0.1
[reference]
uncertainty_c = 0.2
";

/// A session whose steps read `errors` above their references.
fn session(dir: &Path, errors: [f64; 3], extra_manifest: &str) -> Session {
    let mut csv = String::from("reference_c,reported_c\n");
    for (reference, error) in [36.0, 37.0, 38.0].into_iter().zip(errors) {
        for _ in 0..3 {
            csv.push_str(&format!("{reference:.2},{:.2}\n", reference + error));
        }
    }
    fs::write(dir.join("readings.csv"), csv).unwrap();
    fs::write(
        dir.join("session.toml"),
        format!("{MANIFEST}{extra_manifest}"),
    )
    .unwrap();
    Session::load(dir).unwrap()
}

#[test]
fn every_step_carries_the_hand_computed_budget() {
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&session(dir.path(), [0.1, 0.2, 0.25], "")).unwrap();
    for step in &report.steps {
        let budget = step
            .reported
            .as_ref()
            .unwrap()
            .uncertainty
            .as_ref()
            .unwrap();
        assert!((budget.u_c - 0.104_083).abs() < 1e-6, "{}", budget.u_c);
        assert_eq!(budget.dof, None);
        assert!((budget.k - 1.959_964).abs() < 1e-6);
        assert!((budget.expanded_c - U).abs() < 1e-6);
        let names: Vec<&str> = budget
            .contributions
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["reference", "display resolution"]);
        assert!((budget.contributions[0].share - 0.01 / 0.010_833_33).abs() < 1e-5);
    }
    let a = &report.accuracy["reported"];
    assert_eq!(a.decision_rule, DecisionRule::Guarded);
    assert!(a.uncertainty.is_some());
}

#[test]
fn within_the_claim_by_more_than_u_is_a_pass() {
    // Largest |error| + U = 0.25 + 0.204 = 0.454 ≤ 0.5.
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&session(dir.path(), [0.1, 0.2, 0.25], "")).unwrap();
    assert_eq!(report.verdict.decision, Some(Decision::Pass));
    assert_eq!(report.verdict.accuracy_pass, Some(true));
}

#[test]
fn beyond_the_claim_by_more_than_u_is_a_fail() {
    // 0.80 − 0.204 = 0.596 > 0.5.
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&session(dir.path(), [0.1, 0.2, 0.8], "")).unwrap();
    assert_eq!(report.verdict.decision, Some(Decision::Fail));
    assert_eq!(report.verdict.accuracy_pass, Some(false));
    assert!(report
        .findings
        .iter()
        .any(|f| f.detector == "step_error" && f.severity.name() == "accuracy"));
}

#[test]
fn within_u_of_the_claim_is_conditional_with_its_probability() {
    // 0.55 is beyond ±0.5 but 0.55 − 0.204 = 0.346 is not: conditional.
    // P(true error outside ±0.5) = 1 − [Φ((0.5 − 0.55)/0.104083) −
    // Φ((−0.5 − 0.55)/0.104083)] = Φ(0.48038) = 0.68452.
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&session(dir.path(), [0.1, 0.2, 0.55], "")).unwrap();
    assert_eq!(report.verdict.decision, Some(Decision::ConditionalFail));
    assert_eq!(report.verdict.accuracy_pass, None);
    // 0.55 beyond the claim, within U of it: ILAC-G8's conditional fail.
    assert_eq!(report.verdict.accuracy_label(), "CONDITIONAL FAIL");
    let p = report.accuracy["reported"]
        .out_of_tolerance_probability
        .unwrap();
    assert!((p - 0.684_52).abs() < 1e-4, "{p}");
    assert!(
        report
            .verdict
            .summary
            .contains("not decidable at this uncertainty"),
        "{}",
        report.verdict.summary
    );
    // The step error is a warning, but a conditional fail (the device more
    // likely outside its claim than in: 68 %) exits 1 (ILAC-G8 §4.2.3).
    assert!(report.has_findings(), "{:?}", report.findings);
    let out = dir.path().join("out");
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(dir.path())
        .args(["-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let markdown = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(markdown.contains("Uncertainty and decision"), "{markdown}");
    assert!(
        markdown.contains("| decision | conditional fail |"),
        "{markdown}"
    );
}

#[test]
fn simple_acceptance_decides_without_a_guard_band() {
    let dir = tempfile::tempdir().unwrap();
    let rule = "[decision]\nrule = \"simple\"\n";
    let report = analyze(&session(dir.path(), [0.1, 0.2, 0.55], rule)).unwrap();
    assert_eq!(report.verdict.decision, Some(Decision::Fail));
    let report = analyze(&session(dir.path(), [0.1, 0.2, 0.45], rule)).unwrap();
    assert_eq!(report.verdict.decision, Some(Decision::Pass));
    assert_eq!(
        report.accuracy["reported"].decision_rule,
        DecisionRule::Simple
    );
}

#[test]
fn few_scattered_readings_give_a_coverage_factor_above_two() {
    // One step: 37.0, 37.2, 37.4 at 37.0 °C (s = 0.2, n = 3, ν = 2) on a
    // 0.1 °C display, no reference uncertainty stated: u_c = √(0.04/3 +
    // 0.01/12) = 0.119024, ν_eff = 2.26 → 2, k = t(0.975; 2) = 4.3027,
    // U = 0.51212 °C.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("readings.csv"),
        "reference_c,reported_c\n37.0,37.0\n37.0,37.2\n37.0,37.4\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("session.toml"),
        "[device]\ndisplay_resolution_c = 0.1\n",
    )
    .unwrap();
    let report = analyze(&Session::load(dir.path()).unwrap()).unwrap();
    let budget = report.steps[0]
        .reported
        .as_ref()
        .unwrap()
        .uncertainty
        .clone()
        .unwrap();
    assert!((budget.u_c - 0.119_024).abs() < 1e-6, "{}", budget.u_c);
    assert_eq!(budget.dof, Some(2.0));
    assert!((budget.k - 4.3027).abs() < 1e-3);
    assert!((budget.expanded_c - 0.51212).abs() < 5e-4);
    assert_eq!(budget.contributions[0].name, "repeatability");
    // Error +0.2 °C: 0.2 + 0.512 > 0.5 but 0.2 − 0.512 < 0.5, and 0.2 is
    // within the claim: a conditional pass.
    assert_eq!(report.verdict.decision, Some(Decision::ConditionalPass));
    // The reference's uncertainty was not stated: said at the top.
    assert!(report
        .session
        .warnings
        .iter()
        .any(|w| w.contains("reference's uncertainty is not stated")));
}

#[test]
fn the_blackbody_emissivity_enters_through_plancks_law() {
    // ε = 0.98 ± 0.01 (k = 2) seen against a 20 °C room: at 37 °C the
    // apparent temperature moves 15.7336/0.98 °C per unit emissivity (a
    // finite difference of Planck's law at 10 µm, outside the project), so
    // u = 16.0547 × 0.005 = 0.080274 °C.
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&session(
        dir.path(),
        [0.0, 0.0, 0.0],
        "emissivity = 0.98\nemissivity_uncertainty = 0.01\n",
    ))
    .unwrap();
    let step = report.steps.iter().find(|s| s.reference_c == 37.0).unwrap();
    let budget = step.reported.as_ref().unwrap().uncertainty.clone().unwrap();
    let term = budget
        .contributions
        .iter()
        .find(|c| c.name == "blackbody emissivity")
        .expect("an emissivity term");
    assert!(
        (term.u_c - 15.7336 / 0.98 * 0.005).abs() < 1e-4,
        "{}",
        term.u_c
    );
}

/// A session of one reading per step at `references`, reading `errors`
/// above them, on a 0.1 °C display with an exact reference.
fn single_readings(dir: &Path, references: &[f64], errors: &[f64]) -> Session {
    let mut csv = String::from("reference_c,reported_c\n");
    for (reference, error) in references.iter().zip(errors) {
        csv.push_str(&format!("{reference:.2},{:.2}\n", reference + error));
    }
    fs::write(dir.join("readings.csv"), csv).unwrap();
    fs::write(
        dir.join("session.toml"),
        "[device]\nstated_accuracy_c = 0.5\ndisplay_resolution_c = 0.1\n",
    )
    .unwrap();
    Session::load(dir).unwrap()
}

#[test]
fn one_reading_per_step_takes_its_type_a_term_from_the_scatter() {
    // Issue #25: six steps 35–40 °C read once, errors +0.3, −0.3, … By
    // hand: the errors' slope on x is Σ(x − x̄)e/Sxx = −0.9/17.5, so the
    // scatter about the line is SSE = 0.54 − 0.9²/17.5 = 0.493714 over
    // 4 degrees of freedom, s = 0.351324 °C; with the display's
    // 0.028868 °C, u_c = 0.352508 °C, ν_eff = 4·(u_c²/s²)² = 4.05 → 4,
    // k = t(0.975; 4) = 2.776445, U = 0.978721 °C. The resolution alone
    // gave U = 0.057 °C and a pass; |0.3| + 0.98 > 0.5 > 0.3 − 0.98:
    // conditional (within the claim: a conditional pass).
    let dir = tempfile::tempdir().unwrap();
    let references = [35.0, 36.0, 37.0, 38.0, 39.0, 40.0];
    let errors = [0.3, -0.3, 0.3, -0.3, 0.3, -0.3];
    let report = analyze(&single_readings(dir.path(), &references, &errors)).unwrap();
    for step in &report.steps {
        let budget = step
            .reported
            .as_ref()
            .unwrap()
            .uncertainty
            .as_ref()
            .unwrap();
        let mut names: Vec<&str> = budget
            .contributions
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "display resolution",
                "repeatability (scatter about the fitted line)"
            ]
        );
        assert!((budget.u_c - 0.352_508).abs() < 1e-5, "{}", budget.u_c);
        assert!((budget.k - 2.776_445).abs() < 1e-5, "{}", budget.k);
        assert!(
            (budget.expanded_c - 0.978_721).abs() < 1e-4,
            "{}",
            budget.expanded_c
        );
    }
    assert_eq!(report.verdict.decision, Some(Decision::ConditionalPass));
    assert_eq!(report.verdict.accuracy_label(), "CONDITIONAL PASS");
    // Two steps read once leave no scatter about a line: the report says so.
    let dir = tempfile::tempdir().unwrap();
    let report = analyze(&single_readings(dir.path(), &[36.0, 38.0], &[0.1, 0.1])).unwrap();
    assert!(
        report
            .session
            .warnings
            .iter()
            .any(|w| w.contains("no Type A term can be estimated")),
        "{:?}",
        report.session.warnings
    );
}

#[test]
fn a_reference_that_varies_within_a_step_is_counted_once_through_the_differences() {
    // Issue #25: three readings per step, each 0.2 °C above its own
    // reference reading, the reference varying by ±0.05 °C: the paired
    // differences have no scatter, so the Type A term is 0 and no
    // separate reference-stability term is added (the readings' own sd,
    // 0.05, would otherwise count the reference's variation twice).
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("setpoint_c,reference_c,reported_c\n");
    for setpoint in [36.0, 37.0, 38.0] {
        for wobble in [-0.05, 0.0, 0.05] {
            let reference: f64 = setpoint + wobble;
            csv.push_str(&format!(
                "{setpoint:.2},{reference:.2},{:.2}\n",
                reference + 0.2
            ));
        }
    }
    fs::write(dir.path().join("readings.csv"), csv).unwrap();
    fs::write(dir.path().join("session.toml"), MANIFEST).unwrap();
    let report = analyze(&Session::load(dir.path()).unwrap()).unwrap();
    for step in &report.steps {
        let stats = step.reported.as_ref().unwrap();
        assert!(stats.difference_sd_c.unwrap() < 1e-9);
        let budget = stats.uncertainty.as_ref().unwrap();
        let names: Vec<&str> = budget
            .contributions
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert!(!names.contains(&"reference stability"), "{names:?}");
        // Reference and display as in the sessions above, plus a zero Type A.
        assert!((budget.u_c - 0.104_083).abs() < 1e-6, "{}", budget.u_c);
    }
    // The accuracy block's repeatability pools the same differences.
    let repeatability = report.accuracy["reported"].repeatability.as_ref().unwrap();
    assert!(repeatability.stats.sd_c < 1e-9);
}
