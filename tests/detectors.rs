//! Each manipulation detector on hand-made readings just inside and just
//! outside its thresholds, and its warning when it cannot decide.

use fevercheck::analyze;
use fevercheck::model::{Finding, Severity};
use fevercheck::session::{Manifest, Observation, Session};

/// The 11-step sweep 35.0, 35.5, …, 40.0 °C.
fn sweep() -> Vec<f64> {
    (0..11).map(|i| 35.0 + 0.5 * i as f64).collect()
}

/// A session of (reference, reading, sweep label) with a stated display resolution.
fn session(rows: &[(f64, f64, Option<&str>)], resolution_c: f64) -> Session {
    let mut manifest = Manifest::default();
    manifest.device.display_resolution_c = Some(resolution_c);
    let observations = rows
        .iter()
        .enumerate()
        .map(|(i, &(x, y, sweep))| {
            let mut o = Observation::new(i as u64 + 2, x, Some(y));
            o.sweep = sweep.map(str::to_string);
            o
        })
        .collect();
    Session::from_observations("hand-made", manifest, observations)
}

/// Findings of `detector` for readings `f(x)` over the 11-step sweep.
fn findings_for(detector: &str, f: impl Fn(f64) -> f64) -> Vec<Finding> {
    let rows: Vec<(f64, f64, Option<&str>)> =
        sweep().into_iter().map(|x| (x, f(x), None)).collect();
    findings_of(detector, &session(&rows, 0.1))
}

fn findings_of(detector: &str, session: &Session) -> Vec<Finding> {
    analyze(session)
        .unwrap()
        .findings
        .into_iter()
        .filter(|f| f.detector == detector)
        .collect()
}

fn fires(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|f| f.severity == Severity::Manipulation)
}

/// A small deterministic wobble so that fits are not exact.
fn wobble(x: f64) -> f64 {
    0.01 * (7.0 * x).sin()
}

#[test]
fn compression_fires_below_slope_0_6_and_not_above() {
    let inside = findings_for("compression", |x| 37.0 + 0.61 * (x - 37.0) + wobble(x));
    let outside = findings_for("compression", |x| 37.0 + 0.58 * (x - 37.0) + wobble(x));
    assert!(!fires(&inside), "{inside:?}");
    assert!(fires(&outside), "{outside:?}");
    let message = &outside[0].message;
    assert!(message.starts_with("readings rose 2.9"), "{message}");
    assert!(
        message.contains("pulled toward 37.0 °C") && message.contains("a 38.50 °C target read"),
        "{message}"
    );
    assert!(outside[0].evidence["range_ratio"].as_f64().unwrap() < 0.6);
}

#[test]
fn compression_cannot_decide_on_a_narrow_sweep() {
    let rows: Vec<(f64, f64, Option<&str>)> = (0..6)
        .map(|i| 36.0 + 0.5 * i as f64)
        .map(|x| (x, 37.0, None))
        .collect();
    let findings = findings_of("compression", &session(&rows, 0.1));
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(
        findings[0].message.contains("spans only 2.50 °C"),
        "{}",
        findings[0].message
    );
}

#[test]
fn clamp_fires_for_a_ceiling_below_38_and_not_at_38() {
    let below = findings_for("clamp", |x| x.min(37.5));
    let at = findings_for("clamp", |x| x.min(38.0));
    assert!(fires(&below), "{below:?}");
    assert!(!fires(&at), "{at:?}");
    assert_eq!(below[0].evidence["side"], "ceiling");
    assert_eq!(below[0].evidence["knee_c"], 37.5);
    assert!(
        below[0].message.contains("stop rising"),
        "{}",
        below[0].message
    );
}

#[test]
fn clamp_needs_a_flat_top_slope_under_0_2() {
    let flat = findings_for("clamp", |x| {
        if x <= 37.0 {
            x
        } else {
            37.0 + 0.19 * (x - 37.0)
        }
    });
    let rising = findings_for("clamp", |x| {
        if x <= 37.0 {
            x
        } else {
            37.0 + 0.21 * (x - 37.0)
        }
    });
    assert!(fires(&flat), "{flat:?}");
    assert!(!fires(&rising), "{rising:?}");
}

#[test]
fn clamp_finds_a_floor() {
    let floor = findings_for("clamp", |x| x.max(36.5));
    assert!(fires(&floor), "{floor:?}");
    assert_eq!(floor[0].evidence["side"], "floor");
    let honest = findings_for("clamp", |x| x + wobble(x));
    assert!(!fires(&honest), "{honest:?}");
}

#[test]
fn decrement_fires_when_the_fall_exceeds_the_display_resolution() {
    // Readings follow the target to 37.5 °C, then fall at rate r. The fall
    // from 37.5 to 40.0 °C is 2.5·r: 0.075 °C (r = 0.03) is within the 0.1 °C
    // display resolution, 0.125 °C (r = 0.05) is beyond it.
    let decrement = |rate: f64| {
        move |x: f64| {
            if x <= 37.5 {
                x
            } else {
                37.5 - rate * (x - 37.5)
            }
        }
    };
    let inside = findings_for("decrement", decrement(0.03));
    let outside = findings_for("decrement", decrement(0.05));
    assert!(!fires(&inside), "{inside:?}");
    assert!(fires(&outside), "{outside:?}");
    let strong = findings_for("decrement", decrement(0.5));
    assert!(
        strong[0]
            .message
            .contains("a 37.50 °C target read 37.50 °C but a 40.00 °C target read 36.25 °C"),
        "{}",
        strong[0].message
    );
    assert!(strong[0].evidence["spearman_rho"].as_f64().unwrap() < 0.0);
}

#[test]
fn a_plateau_is_not_a_decrement() {
    let plateau = findings_for("decrement", |x| x.min(37.5));
    assert!(!fires(&plateau), "{plateau:?}");
}

/// A 21-step sweep (0.25 °C) whose readings are `values[step · len / 21]`.
fn table_session(values: &[f64], resolution_c: f64) -> Session {
    let rows: Vec<(f64, f64, Option<&str>)> = (0..21)
        .map(|i| (35.0 + 0.25 * i as f64, values[i * values.len() / 21], None))
        .collect();
    session(&rows, resolution_c)
}

#[test]
fn quantisation_fires_for_a_five_value_table() {
    let findings = findings_of(
        "quantisation",
        &table_session(&[36.5, 36.7, 36.9, 37.1, 37.3], 0.1),
    );
    assert!(fires(&findings), "{findings:?}");
    assert_eq!(findings[0].evidence["distinct_values"], 5);
    assert!(
        findings[0].message.contains("only 5 distinct values"),
        "{}",
        findings[0].message
    );
}

#[test]
fn quantisation_needs_fewer_than_0_6_distinct_values_per_step() {
    // 21 steps: 12 distinct values (< 12.6) fire, 13 do not.
    let twelve: Vec<f64> = (0..12).map(|j| 36.5 + 0.08 * j as f64).collect();
    let thirteen: Vec<f64> = (0..13).map(|j| 36.5 + 0.07 * j as f64).collect();
    assert!(fires(&findings_of(
        "quantisation",
        &table_session(&twelve, 0.01)
    )));
    assert!(!fires(&findings_of(
        "quantisation",
        &table_session(&thirteen, 0.01)
    )));
}

#[test]
fn every_display_value_in_the_range_is_compression_not_a_table() {
    // 11 consecutive 0.1 °C values: few, but all the display can show there.
    let values: Vec<f64> = (0..11).map(|j| 36.5 + 0.1 * j as f64).collect();
    assert!(!fires(&findings_of(
        "quantisation",
        &table_session(&values, 0.1)
    )));
}

/// Up then down over the 11-step sweep; the down sweep reads `shift` lower.
fn up_down(shift: f64, alternate: f64) -> Session {
    let mut rows = Vec::new();
    for (k, x) in sweep().into_iter().enumerate() {
        let wiggle = if k % 2 == 0 { alternate } else { -alternate };
        rows.push((x, x + wiggle, Some("up")));
    }
    for x in sweep().into_iter().rev() {
        rows.push((x, x - shift, Some("down")));
    }
    session(&rows, 0.1)
}

#[test]
fn order_effect_needs_a_difference_beyond_a_plausible_drift_and_ripple() {
    // Constant up − down differences (no noise along the steps). Without a
    // time column a row counts as one minute: the down visit of step k is
    // 21 − 2k minutes after the up one (k = 0…10), 0.183 h on average, and
    // an honest drift of up to 1 °C/h explains 0.183 °C of difference. A
    // ±0.3 °C ambient ripple explains at most 0.6·max|mean sin(π·Δt_k/P)|
    // over periods P of 5–60 min: 0.436 °C (P ≈ 29.6 min, computed outside
    // the project). Together 0.619 °C: 0.60 °C is within, 0.65 °C beyond
    // (and beyond the 0.1 °C display resolution).
    assert!(!fires(&findings_of("order_effect", &up_down(0.60, 0.0))));
    let findings = findings_of("order_effect", &up_down(0.65, 0.0));
    assert!(fires(&findings), "{findings:?}");
    assert!(findings[0].message.contains("`down`") && findings[0].message.contains("`up`"));
}

#[test]
fn readings_behind_the_change_of_target_are_a_slow_response_not_manipulation() {
    // The down sweep reads 0.8 °C higher than the up sweep: rising targets
    // read low, falling ones high — what a sensor that has not settled does.
    let findings = findings_of("order_effect", &up_down(-0.8, 0.0));
    assert!(!fires(&findings), "{findings:?}");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(
        findings[0].message.contains("lag"),
        "{}",
        findings[0].message
    );
}

#[test]
fn order_effect_needs_a_consistent_difference() {
    // d_k = shift ± 0.3 alternating (six +, five −): successive differences
    // all ±0.6, so the noise sd is √(10·0.36/20) = 0.424 and the SE 0.128;
    // the mean is shift + 0.027. Beyond the 0.619 °C drift and ripple
    // bound: shift 1.0 by (1.027 − 0.619)/0.128 = 3.2 standard errors (no),
    // shift 1.3 by 5.5 (yes).
    assert!(!fires(&findings_of("order_effect", &up_down(1.0, 0.3))));
    assert!(fires(&findings_of("order_effect", &up_down(1.3, 0.3))));
}

#[test]
fn order_effect_warns_without_two_sweeps() {
    let findings = findings_for("order_effect", |x| x);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(findings[0].message.contains("no `sweep` column"));
}

/// The 11-step sweep read by `device`, with a ±0.05 °C alternation as noise.
fn shaped(device: impl Fn(f64) -> f64) -> Session {
    let rows: Vec<(f64, f64, Option<&str>)> = sweep()
        .into_iter()
        .enumerate()
        .map(|(k, x)| (x, device(x) + if k % 2 == 0 { 0.05 } else { -0.05 }, None))
        .collect();
    session(&rows, 0.01)
}

#[test]
fn a_soft_ceiling_hides_fevers_whatever_the_detectors_were_written_for() {
    // Honest to 37.3 °C, then slope 0.2 (± 0.05 alternating): 37.5, 38.0
    // and 38.5 °C read 37.29, 37.49 and 37.49 — below the 37.5 °C alarm —
    // and 39.0 °C reads 37.69; at 40 °C the device shows 0.8 × 2.7 = 2.2 °C
    // less than its own calibration continued.
    let findings = findings_of(
        "fever_hiding",
        &shaped(|x| {
            if x <= 37.3 {
                x
            } else {
                37.3 + 0.2 * (x - 37.3)
            }
        }),
    );
    assert!(fires(&findings), "{findings:?}");
    let range = findings[0].flagged_reference_c.unwrap();
    assert_eq!(
        (range.low_c, range.high_c),
        (37.5, 38.5),
        "{}",
        findings[0].message
    );
}

#[test]
fn a_straight_but_miscalibrated_device_is_not_fever_hiding() {
    // 1 °C low everywhere also reads febrile targets as normal, but it is a
    // straight line: a calibration error, reported on the accuracy side.
    assert!(!fires(&findings_of("fever_hiding", &shaped(|x| x - 1.0))));
    assert!(!fires(&findings_of(
        "fever_hiding",
        &shaped(|x| 37.0 + 0.9 * (x - 37.0))
    )));
}
