//! A device in a declared body-temperature mode (`[device.transfer]`) is
//! judged against its declaration: a device that follows it passes and
//! shows no manipulation, one that departs from it fails, the same mapping
//! undeclared is a manipulation finding, and a declaration that shows
//! febrile targets as normal is a screening finding at the top.
//!
//! The sweep: 34.0 to 40.0 °C in 0.5 °C steps, three readings a step at
//! the declared reading −0.04, +0.00 and +0.04 °C, written to 0.1 °C as a
//! display shows them.

use std::fs;
use std::path::Path;

use fevercheck::analyze;
use fevercheck::model::{Decision, Report, Severity};
use fevercheck::session::Session;

/// The body-mode line of the issue: 34 °C → 36.8 °C, 40 °C → 38.6 °C.
const BODY_MODE: &str = "[device.transfer]\npoints = [[34.0, 36.8], [40.0, 38.6]]\n";

fn body_mode(reference: f64) -> f64 {
    36.8 + 0.3 * (reference - 34.0)
}

fn references() -> Vec<f64> {
    (0..=12).map(|i| 34.0 + 0.5 * i as f64).collect()
}

/// A session whose device shows `shown(reference)` (±0.04 °C), judged with
/// `extra` added to session.toml.
fn report(dir: &Path, shown: impl Fn(f64) -> f64, extra: &str) -> Report {
    let mut csv = String::from("reference_c,reported_c\n");
    for reference in references() {
        for wobble in [-0.04, 0.0, 0.04] {
            csv.push_str(&format!(
                "{reference:.2},{:.1}\n",
                shown(reference) + wobble
            ));
        }
    }
    fs::write(dir.join("readings.csv"), csv).unwrap();
    fs::write(
        dir.join("session.toml"),
        format!(
            "[device]\nstated_accuracy_c = 0.3\ndisplay_resolution_c = 0.1\n\
             [reference]\nuncertainty_c = 0.1\n{extra}"
        ),
    )
    .unwrap();
    analyze(&Session::load(dir).unwrap()).unwrap()
}

/// The report decides `decision` and suspects no manipulation.
fn assert_decided_without_manipulation(report: &Report, decision: Decision) {
    assert_eq!(
        report.verdict.decision,
        Some(decision),
        "{:?}",
        report.verdict
    );
    assert!(
        !report.verdict.is_manipulation_suspected(),
        "{:?}",
        report.findings
    );
}

#[test]
fn a_device_that_follows_its_declaration_passes_without_manipulation() {
    let dir = tempfile::tempdir().unwrap();
    let report = report(dir.path(), body_mode, BODY_MODE);
    assert_decided_without_manipulation(&report, Decision::Pass);
    assert!(
        report.verdict.summary.starts_with(
            "Judged against its declared transfer (34.00 → 36.80 °C, 40.00 → 38.60 °C)"
        ),
        "{}",
        report.verdict.summary
    );
    let a = &report.accuracy["reported"];
    // Errors against the declaration are the ±0.04 wobble and the 0.1 °C
    // rounding: at most 0.04 + 0.05 = 0.09 °C.
    assert!(a.max_abs_step_error_c.unwrap() < 0.09, "{a:?}");
    // The reference term carries the declared slope 0.3 as its
    // sensitivity: 0.3 × 0.1/2 = 0.015 °C.
    let budget = report.steps[0]
        .reported
        .as_ref()
        .unwrap()
        .uncertainty
        .clone()
        .unwrap();
    let reference = budget
        .contributions
        .iter()
        .find(|c| c.name == "reference")
        .unwrap();
    assert!((reference.u_c - 0.015).abs() < 1e-12, "{budget:?}");
    // The observations keep what the display showed beside the value judged.
    let first = &report.observations[0];
    assert_eq!(first.displayed_c, Some(36.8));
    assert!((first.reported_c.unwrap() - (34.0 + 36.8 - 36.8)).abs() < 1e-9);
    // The screening statistics ask what the display showed: from a 34 °C
    // target the display reads 36.8 °C, above 37.5 °C from 36.5 °C (37.55).
    assert_eq!(a.first_alarm_reference_c, Some(36.5));
    assert!(!report
        .findings
        .iter()
        .any(|f| f.detector == "declared_transfer"));
}

#[test]
fn the_same_mapping_undeclared_is_a_manipulation_finding() {
    let dir = tempfile::tempdir().unwrap();
    let report = report(dir.path(), body_mode, "");
    assert!(
        report.verdict.is_manipulation_suspected(),
        "{}",
        report.verdict.summary
    );
    assert!(!report.verdict.summary.contains("declared"));
    assert!(report.observations.iter().all(|o| o.displayed_c.is_none()));
}

#[test]
fn a_device_off_its_declaration_fails() {
    // 0.6 °C above its declaration at every target: 0.6 − U > 0.3.
    let dir = tempfile::tempdir().unwrap();
    let report = report(dir.path(), |r| body_mode(r) + 0.6, BODY_MODE);
    assert_decided_without_manipulation(&report, Decision::Fail);
    let a = &report.accuracy["reported"];
    assert!((a.bias_c - 0.6).abs() < 0.06, "{}", a.bias_c);
}

#[test]
fn a_declaration_that_hides_fever_is_said_at_the_top() {
    // 37.0 °C at 36 °C, then 0.1 °C per °C: the declaration itself shows
    // every target from 37.5 to 40 °C (the hottest swept) below 37.5 °C.
    let table = "[device.transfer]\npoints = [[30.0, 30.0], [36.0, 37.0], [40.0, 37.4]]\n";
    let declared = |r: f64| {
        if r < 36.0 {
            30.0 + 7.0 / 6.0 * (r - 30.0)
        } else {
            37.0 + 0.1 * (r - 36.0)
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let report = report(dir.path(), declared, table);
    assert!(
        !report.verdict.is_manipulation_suspected(),
        "{:?}",
        report.findings
    );
    let finding = report
        .findings
        .iter()
        .find(|f| f.detector == "declared_transfer")
        .expect("a screening finding");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding
            .message
            .contains("targets 37.50–40.00 °C read below"),
        "{}",
        finding.message
    );
    assert!(
        report.verdict.summary.ends_with(
            "By its declared transfer, targets 37.50–40.00 °C read below the alarm threshold."
        ),
        "{}",
        report.verdict.summary
    );
    assert_eq!(report.accuracy["reported"].sensitivity, Some(0.0));
}

#[test]
fn points_in_fahrenheit_are_the_same_declaration() {
    // 93.2 °F = 34 °C, 98.24 °F = 36.8 °C, 104 °F = 40 °C, 101.48 °F = 38.6 °C.
    let dir = tempfile::tempdir().unwrap();
    let report = report(
        dir.path(),
        body_mode,
        "[device.transfer]\nunit = \"F\"\npoints = [[93.2, 98.24], [104.0, 101.48]]\n",
    );
    assert_eq!(report.verdict.decision, Some(Decision::Pass));
    assert!(report.verdict.summary.contains("34.00 → 36.80 °C"));
}

#[test]
fn an_unusable_declaration_is_refused_naming_the_key() {
    let cases = [
        ("points = [[34.0, 36.8]]", "1 point(s) given"),
        (
            "points = [[40.0, 38.6], [34.0, 36.8]]",
            "not above that of point 1",
        ),
        (
            "points = [[93.2, 98.2], [104.0, 101.5]]",
            "add unit = \"F\"",
        ),
    ];
    for (points, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("readings.csv"),
            "reference_c,reported_c\n36,36\n",
        )
        .unwrap();
        fs::write(
            dir.path().join("session.toml"),
            format!("[device.transfer]\n{points}\n"),
        )
        .unwrap();
        let err = Session::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("device.transfer.points"), "{err}");
        assert!(err.contains(expected), "{points}: {err}");
    }
}
