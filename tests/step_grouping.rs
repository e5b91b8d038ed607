//! Steps as a lab means them (issue #26): a reference thermometer read back
//! at each set-point wanders by a few hundredths, and those readings are one
//! step; steps that cannot be told apart from the references alone are
//! named, with the `setpoint_c` column that settles them.

use std::fmt::Write as _;
use std::fs;

use fevercheck::analyze;
use fevercheck::session::Session;

/// A session folder holding `readings.csv` with `text`.
fn load(text: &str) -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("readings.csv"), text).unwrap();
    let session = Session::load(dir.path()).unwrap();
    (dir, session)
}

#[test]
fn eleven_set_points_read_back_with_jitter_are_eleven_steps() {
    // 35.0 … 40.0 by 0.5 °C, three readings each; the reference reads the
    // set-point −0.03, +0.01, +0.03 °C off (rotated) and the device reads the
    // set-point + 0.1 exactly. Before, the fixed 0.05 °C rule made 19 steps
    // of this; the gaps (≤ 0.06 inside a step, ≥ 0.44 between) give 11, each
    // of three readings, and the step reference is the mean of its three.
    let offsets = [-0.03, 0.01, 0.03];
    let mut csv = String::from("reference_c,reported_c\n");
    for step in 0..11 {
        let setpoint = 35.0 + 0.5 * step as f64;
        for k in 0..3 {
            let reference = setpoint + offsets[(step + k) % 3];
            writeln!(csv, "{reference:.2},{:.1}", setpoint + 0.1).unwrap();
        }
    }
    let (_dir, session) = load(&csv);
    let report = analyze(&session).unwrap();
    assert_eq!(report.steps.len(), 11);
    for (i, step) in report.steps.iter().enumerate() {
        assert_eq!(step.n, 3);
        // Mean offset (−0.03 + 0.01 + 0.03)/3 = 0.00333.
        let expected = 35.0 + 0.5 * i as f64 + 0.01 / 3.0;
        assert!(
            (step.reference_c - expected).abs() < 1e-9,
            "{}",
            step.reference_c
        );
    }
    assert!(
        !report
            .session
            .warnings
            .iter()
            .any(|w| w.contains("setpoint_c")),
        "{:?}",
        report.session.warnings
    );
}

#[test]
fn steps_that_the_references_cannot_separate_are_named_with_the_remedy() {
    // Single readings at 36.0, 36.5, 37.0, 37.4, 37.5, 38.0, 38.5: two steps
    // 0.05 °C apart may be one set-point or two.
    let mut csv = String::from("reference_c,reported_c\n");
    for reference in [36.0, 36.5, 37.0, 37.4, 37.5, 38.0, 38.5] {
        writeln!(csv, "{reference:.2},{reference:.1}").unwrap();
    }
    let (_dir, session) = load(&csv);
    let report = analyze(&session).unwrap();
    let warning = report
        .session
        .warnings
        .iter()
        .find(|w| w.contains("setpoint_c"))
        .unwrap_or_else(|| panic!("{:?}", report.session.warnings));
    assert!(warning.contains("first 37.40 and 37.50 °C"), "{warning}");

    // With the set-point column the question does not arise.
    let mut csv = String::from("reference_c,setpoint_c,reported_c\n");
    for reference in [36.0, 36.5, 37.0, 37.4, 37.5, 38.0, 38.5] {
        writeln!(csv, "{reference:.2},{reference:.2},{reference:.1}").unwrap();
    }
    let (_dir, session) = load(&csv);
    let report = analyze(&session).unwrap();
    assert!(!report
        .session
        .warnings
        .iter()
        .any(|w| w.contains("setpoint_c")));
}
