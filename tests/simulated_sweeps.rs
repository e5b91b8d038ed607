//! The analysis on simulated sweeps whose statistics are known by
//! construction: noise and display rounding switched off, so every number
//! follows from the camera model's formula (derivations beside each check).

use fevercheck::analyze;
use fevercheck::model::Report;
use fevercheck::session::Session;
use fevercheck_report::simulate::{CameraModel, Simulation, SweepOrder};

fn exact(model: CameraModel) -> Simulation {
    let mut simulation = Simulation::new(model, 1);
    simulation.noise_sd_c = 0.0;
    simulation.resolution = 0.0;
    simulation
}

fn analyse(simulation: &Simulation) -> Report {
    let dir = tempfile::tempdir().unwrap();
    simulation.write_session(dir.path(), false).unwrap();
    analyze(&Session::load(dir.path()).unwrap()).unwrap()
}

fn close(actual: Option<f64>, expected: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what} missing"));
    assert!(
        (actual - expected).abs() < 1e-6,
        "{what}: {actual} vs {expected}"
    );
}

#[test]
fn an_honest_camera_has_slope_one_and_healys_range_and_variance() {
    // 21 steps 35.00–40.00 × 3 readings: range 5. One reading per step has
    // n−1 variance 2.40625 (population variance 2.40625·20/21); three copies
    // keep the population variance, so the n−1 variance is 2.40625·20/21·63/62.
    let report = analyse(&exact(CameraModel::Honest));
    let a = &report.accuracy["reported"];
    assert_eq!(a.n, 63);
    assert_eq!(report.steps.len(), 21);
    close(Some(a.bias_c), 0.0, "bias");
    close(a.slope, 1.0, "slope");
    close(a.adj_r2, 1.0, "adjusted R²");
    close(Some(a.range_c), 5.0, "range");
    close(
        a.variance_c,
        2.40625 * 20.0 / 21.0 * 63.0 / 62.0,
        "variance",
    );
    close(a.first_alarm_reference_c, 37.5, "first alarm");
    close(a.sensitivity, 1.0, "sensitivity");
    close(a.specificity, 1.0, "specificity");
    let normal = a.screening[0].normal_output_interval_c.unwrap();
    close(
        Some(normal.high),
        37.25,
        "highest normal reference at 37.5 °C",
    );
    assert_eq!(report.verdict.accuracy_pass, Some(true));
}

#[test]
fn a_compressing_camera_has_the_slope_it_was_given() {
    // y = 37 + 0.2(x − 37): slope 0.2, intercept 29.6, range 0.2·5 = 1.0,
    // diff slope −0.8; y ≥ 37.5 needs x ≥ 39.5, so the first alarm is at 39.5;
    // y never reaches 37.8 (max 37.6); at 40 °C the error is −2.4 °C.
    let report = analyse(&exact(CameraModel::Compressing {
        slope: 0.2,
        set_point_c: 37.0,
    }));
    let a = &report.accuracy["reported"];
    close(a.slope, 0.2, "slope");
    close(a.intercept, 29.6, "intercept");
    close(Some(a.range_c), 1.0, "range");
    close(a.diff_slope, -0.8, "difference slope");
    close(a.first_alarm_reference_c, 39.5, "first alarm");
    let at_37_8 = a
        .screening
        .iter()
        .find(|s| (s.threshold_c - 37.8).abs() < 1e-9)
        .unwrap();
    assert_eq!(at_37_8.first_alarm_reference_c, None);
    close(at_37_8.sensitivity, 0.0, "sensitivity at 37.8");
    close(a.max_abs_step_error_c, 2.4, "largest step error");
    close(
        a.passing_bablok.map(|f| f.slope),
        0.2,
        "Passing–Bablok slope",
    );
    close(a.deming.map(|f| f.slope), 0.2, "Deming slope");
    assert_eq!(report.verdict.accuracy_pass, Some(false));
}

#[test]
fn a_clamping_camera_never_alarms() {
    let report = analyse(&exact(CameraModel::Clamping {
        ceiling_c: 37.3,
        floor_c: None,
    }));
    let a = &report.accuracy["reported"];
    close(
        Some(a.range_c),
        37.3 - 35.0,
        "range (35.0 to the 37.3 ceiling)",
    );
    assert_eq!(a.first_alarm_reference_c, None);
    close(
        a.max_abs_step_error_c,
        2.7,
        "largest step error (40 − 37.3)",
    );
}

#[test]
fn fahrenheit_display_single_readings_and_both_sweeps_read_back_in_celsius() {
    // An honest camera shown in °F, one reading per step, up then down: the
    // °F values converted back are the references, so bias is 0 and each of
    // the 21 steps holds 2 readings.
    let mut simulation = exact(CameraModel::Honest);
    simulation.fahrenheit = true;
    simulation.repeats = 1;
    simulation.sweeps = vec![SweepOrder::Up, SweepOrder::Down];
    let report = analyse(&simulation);
    let a = &report.accuracy["reported"];
    assert_eq!(a.n, 42);
    assert_eq!(report.session.counts.sweeps, 2);
    assert!(report.steps.iter().all(|s| s.n == 2));
    close(Some(a.max_abs_error_c), 0.0, "max error");
}

#[test]
fn random_step_order_gives_the_same_statistics_as_an_up_sweep() {
    let up = analyse(&exact(CameraModel::Gain { gain: 0.9 }));
    let mut shuffled = exact(CameraModel::Gain { gain: 0.9 });
    shuffled.sweeps = vec![SweepOrder::Random];
    let random = analyse(&shuffled);
    let (a, b) = (&up.accuracy["reported"], &random.accuracy["reported"]);
    close(b.slope, a.slope.unwrap(), "slope");
    close(b.slope, 0.9, "slope = gain");
    close(b.variance_c, a.variance_c.unwrap(), "variance");
    assert_eq!(up.steps, random.steps);
}

#[test]
fn the_verdict_leads_with_the_signature_that_fits_best() {
    // A clamp at 37.3 °C read with 0.1 °C noise: its step means are a line
    // up to the knee and flat above it, so the hinge of `clamp` (4
    // parameters) leaves only the noise while the straight line of
    // `compression` misses the corner by tenths of a degree. A compressing
    // camera is a straight line: `compression` alone.
    let clamp = analyse(&Simulation::new(
        CameraModel::Clamping {
            ceiling_c: 37.3,
            floor_c: None,
        },
        7,
    ));
    assert_eq!(clamp.verdict.primary_signature.as_deref(), Some("clamp"));
    assert!(clamp
        .verdict
        .supporting_signatures
        .contains(&"compression".to_string()));
    let first = &clamp.findings[0];
    assert_eq!(clamp.signature_role(first), Some("primary signature"));
    let compression = clamp
        .findings
        .iter()
        .find(|f| f.detector == "compression")
        .unwrap();
    assert_eq!(clamp.signature_role(compression), Some("supporting"));
    assert!(first.fit.unwrap().aicc < compression.fit.unwrap().aicc);
    assert!(first.fit.unwrap().rms_c < 0.1, "{:?}", first.fit);
    assert!(clamp.verdict.summary.contains("best explained by clamp"));

    let compressing = analyse(&Simulation::new(
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        7,
    ));
    assert_eq!(
        compressing.verdict.primary_signature.as_deref(),
        Some("compression")
    );
    assert!(compressing.verdict.supporting_signatures.is_empty());

    let honest = analyse(&Simulation::new(CameraModel::Honest, 7));
    assert_eq!(honest.verdict.primary_signature, None);
}

#[test]
fn a_band_of_fevers_shown_as_normal_is_judged_by_its_consequence() {
    // Issue #24: 37.5–38.5 °C shown as normal-looking values, hotter
    // targets honestly. No noise and no rounding: the honest model fitted on
    // the afebrile readings is the identity, so a febrile reading falls
    // short exactly when it shows no fever and reads more than the stated
    // 0.50 °C below its target — counted here from the readings themselves.
    let mut simulation = exact(CameraModel::BandHiding {
        from_c: 37.5,
        to_c: 38.5,
    });
    simulation.sweeps = vec![SweepOrder::Up, SweepOrder::Down];
    let dir = tempfile::tempdir().unwrap();
    simulation.write_session(dir.path(), false).unwrap();
    let session = Session::load(dir.path()).unwrap();
    let report = analyze(&session).unwrap();
    let febrile: Vec<(f64, f64)> = session
        .observations
        .iter()
        .filter(|o| o.reference_c >= 37.5)
        .map(|o| (o.reference_c, o.reported_c.unwrap()))
        .collect();
    let short = febrile
        .iter()
        .filter(|(x, y)| *y < 37.5 && x - y > 0.5)
        .count();
    // 11 febrile steps × 3 readings × 2 sweeps; the 4 hidden steps' 24
    // readings are shown 0.3–1.75 °C low, most beyond the claim.
    assert_eq!(febrile.len(), 66);
    assert!(short >= 12, "{short}");
    let finding = report
        .findings
        .iter()
        .find(|f| f.detector == "febrile_shortfall")
        .expect("a febrile_shortfall finding");
    assert_eq!(finding.evidence["short_readings"], short);
    assert_eq!(finding.evidence["febrile_readings"], 66);
    assert_eq!(finding.evidence["afebrile_readings"], 60);
    assert!(report.verdict.is_manipulation_suspected());
    // The headline counts the alarms: every reading from 38.5 °C on alarms.
    assert_eq!(
        report.alarm_headline().unwrap(),
        "alarms (≥ 37.5 °C) on 42 of 66 febrile readings (first at 38.50 °C)"
    );
}

#[test]
fn an_honest_device_still_warming_up_is_told_what_to_discard_and_not_accused() {
    // Issue #24: reads 1.0 °C low at the start, settling with τ = 5 min,
    // swept up then down without noise. The settling is found on the grid
    // of time constants (within 7 %), and the minutes to discard are
    // τ·ln(1.0/0.05) = 5·3.0 = 15 min.
    let mut simulation = exact(CameraModel::Honest);
    simulation.sweeps = vec![SweepOrder::Up, SweepOrder::Down];
    simulation.warm_up = Some((1.0, 5.0));
    let report = analyse(&simulation);
    assert!(!report.verdict.is_manipulation_suspected());
    let warning = report
        .findings
        .iter()
        .find(|f| f.detector == "warm_up")
        .expect("a warm_up warning");
    let amplitude = warning.evidence["amplitude_c"].as_f64().unwrap();
    let tau = warning.evidence["time_constant_s"].as_f64().unwrap();
    assert!((amplitude + 1.0).abs() < 0.05, "{amplitude}");
    assert!((tau - 300.0).abs() < 21.0, "{tau}");
    let discard = warning.evidence["discard_first_s"].as_f64().unwrap() / 60.0;
    assert!((discard - 5.0 * 20f64.ln()).abs() < 1.2, "{discard}");
    assert!(warning.message.contains("not stabilised"));
}
