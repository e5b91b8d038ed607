//! The FDA clinical fever-screening data set (Wang et al. 2022, PhysioNet
//! face-oral-temp-data 1.0.0, IRT-1 group) read through named columns.
//!
//! Expected values were computed outside the project with numpy 2.4 and
//! scipy 1.17 from the same file: rows whose `aveOralM` or `T_Max1` is empty
//! dropped (11 rows), `d = T_Max1 − aveOralM`, `np.std(ddof=1)`,
//! `scipy.stats.linregress` for the regressions, adjusted R² from its r²,
//! `scipy.stats.mannwhitneyu(...).statistic / (n₁ n₀)` for the ROC AUC.
//! The file is CC0 and kept in `fixtures/real/`.

mod common;

use std::path::PathBuf;

use fevercheck::analyze;
use fevercheck::session::{ColumnSpec, Session};
use fevercheck::units::TemperatureUnit;

fn sample() -> PathBuf {
    common::real("fda_irt_FLIR_group1.csv")
}

fn spec(reported: &[&str]) -> ColumnSpec {
    ColumnSpec {
        reference: "aveOralM".into(),
        reported: reported.iter().map(|s| s.to_string()).collect(),
        subject: Some("SubjectID".into()),
        header_row: 3,
        unit: TemperatureUnit::Celsius,
    }
}

fn close(actual: Option<f64>, expected: f64, tolerance: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what} is missing"));
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} vs {expected}"
    );
}

#[test]
fn facial_maximum_against_oral_temperature_matches_numpy() {
    let path = sample();
    let session = Session::load_named_columns(&path, &spec(&["T_Max1"]), None).unwrap();
    assert!(
        session
            .warnings
            .iter()
            .any(|w| w.contains("11 observation(s) skipped")),
        "{:?}",
        session.warnings
    );
    let report = analyze(&session).unwrap();
    let a = &report.accuracy["reported"];
    assert_eq!(a.n, 533);
    close(Some(a.bias_c), -1.2724202626641656, 1e-9, "bias");
    close(a.sd_c, 0.3304399489913478, 1e-9, "sd");
    close(Some(a.rmse_c), 1.3145489813583386, 1e-9, "rmse");
    close(Some(a.mae_c), 1.2724202626641656, 1e-9, "mae");
    close(Some(a.max_abs_error_c), 2.59, 1e-9, "max |error|");
    close(a.loa_low_c, -1.9200825626872073, 1e-9, "lower LoA");
    close(a.loa_high_c, -0.6247579626411239, 1e-9, "upper LoA");
    close(a.slope, 0.8461994709029131, 1e-9, "slope");
    close(a.intercept, 4.414295146650957, 1e-7, "intercept");
    close(a.adj_r2, 0.6044139459226341, 1e-9, "adjusted R²");
    close(a.diff_slope, -0.1538005290970907, 1e-9, "difference slope");
    close(
        a.diff_adj_r2,
        0.04639836871986669,
        1e-9,
        "difference adjusted R²",
    );
    close(Some(a.range_c), 4.67, 1e-9, "range");
    close(a.variance_c, 0.26321528516412973, 1e-9, "variance");
    close(Some(a.mean_c), 35.70219512195121, 1e-9, "mean");
    let at = |t: f64| {
        a.screening
            .iter()
            .find(|s| (s.threshold_c - t).abs() < 1e-9)
            .unwrap()
    };
    assert_eq!(at(37.5).febrile, 44);
    close(
        at(37.5).sensitivity,
        3.0 / 44.0,
        1e-12,
        "sensitivity at 37.5",
    );
    close(at(37.5).specificity, 1.0, 1e-12, "specificity at 37.5");
    close(at(37.5).roc_auc, 0.948968209704406, 1e-9, "AUC at 37.5");
    assert_eq!(at(38.0).febrile, 17);
    close(
        at(38.0).sensitivity,
        2.0 / 17.0,
        1e-12,
        "sensitivity at 38.0",
    );
    close(at(38.0).roc_auc, 0.9910510715914272, 1e-9, "AUC at 38.0");
    close(
        at(38.0).first_alarm_reference_c,
        38.94,
        1e-9,
        "first alarm at 38.0",
    );
    // Passing–Bablok as published, in exact decimal arithmetic (Python's
    // fractions.Fraction on the file's two-decimal values, issue #25):
    // pairs with equal oral temperature count as infinite slopes, slopes of
    // exactly −1 are left out: b = 1.22, CI [1.128571…, 1.32], a = −9.3868.
    // Floating point misses some of those −1 slopes by ~1e-13 (kept, they
    // gave 1.219 [1.129, 1.320], −9.352, as R's mcr does).
    //   pts = [(Fraction(oral), Fraction(t_max1)) for each complete row]
    //   slopes = sorted(dy/dx for i<j if dx != 0 and dy/dx != -1); inf = #(dx == 0, dy != 0)
    //   K = #(slopes < −1); N = len(slopes) + inf; b = mean of the N/2-th and
    //   N/2+1-th (+K); C = 1.959964·√(n(n−1)(2n+5)/18); M1 = round((N−C)/2),
    //   M2 = N − M1 + 1; a = median(y − b·x).
    let pb = a.passing_bablok.expect("Passing–Bablok fit");
    close(Some(pb.slope), 1.22, 1e-9, "Passing–Bablok slope");
    close(
        Some(pb.slope_ci.low),
        1.128_571_428_571_428_6,
        1e-9,
        "Passing–Bablok slope CI low",
    );
    close(
        Some(pb.slope_ci.high),
        1.32,
        1e-9,
        "Passing–Bablok slope CI high",
    );
    close(
        Some(pb.intercept),
        -9.3868,
        1e-9,
        "Passing–Bablok intercept",
    );
    // The IRT reads 1.27 °C below oral: an accuracy finding, not manipulation.
    assert_eq!(report.verdict.accuracy_pass, Some(false));
    assert!(!report.verdict.is_manipulation_suspected());
}

#[test]
fn four_rounds_give_the_within_subject_repeatability() {
    let path = sample();
    let rounds = ["T_Max1", "T_Max2", "T_Max3", "T_Max4"];
    let session = Session::load_named_columns(&path, &spec(&rounds), None).unwrap();
    let report = analyze(&session).unwrap();
    let a = &report.accuracy["reported"];
    assert_eq!(a.n, 2139);
    let r = a.repeatability.as_ref().unwrap();
    assert_eq!(r.grouping, "subject");
    assert_eq!((r.stats.groups, r.stats.df), (544, 1595));
    close(
        Some(r.stats.sd_c),
        0.4361092823652111,
        1e-9,
        "pooled within-subject sd",
    );
}
