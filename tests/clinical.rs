//! Clinical studies analysed as their own kind (ISO 80601-2-56): no steps,
//! no step verdict, no sweep detectors, the words of a clinical study; and a
//! sweep that looks clinical is told so.
//!
//! Expected values: the FDA data set's statistics as computed outside the
//! project with numpy/scipy (tests/fda_clinical_csv.rs says how), and a
//! hand-computed repeatability.

use crate::common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

use fevercheck::model::{AccuracyState, ManipulationState, SessionKind, Severity};
use fevercheck::session::{ColumnSpec, Session};
use fevercheck::stats::bland_altman::LoaIntervalMethod;
use fevercheck::{analyze, analyze_with, AnalysisOptions};

fn fda_session() -> Session {
    let spec = ColumnSpec {
        reference: "aveOralM".into(),
        reported: vec!["T_Max1".into()],
        subject: Some("SubjectID".into()),
        header_row: 3,
        ..ColumnSpec::default()
    };
    Session::load_named_columns(&common::real("fda_irt_FLIR_group1.csv"), &spec, None).unwrap()
}

fn clinical() -> AnalysisOptions<'static> {
    AnalysisOptions {
        kind: Some(SessionKind::Clinical),
        ..AnalysisOptions::default()
    }
}

const SWEEP_DETECTORS: [&str; 10] = [
    "febrile_shortfall",
    "warm_up",
    "compression",
    "clamp",
    "decrement",
    "quantisation",
    "fever_hiding",
    "order_effect",
    "step_error",
    "drift",
];

#[test]
fn the_fda_data_as_a_clinical_study_has_no_steps_and_no_step_verdict() {
    let report = analyze_with(&fda_session(), &clinical()).unwrap();
    assert_eq!(report.session.kind, SessionKind::Clinical);
    assert!(report.steps.is_empty());
    assert!(report.iec.is_empty());
    // Judged as ISO 80601-2-56 judges clinical accuracy (issue #24): limits
    // of agreement -1.93 to -0.61 °C beyond the default ±0.50 °C, a fail;
    // manipulation is not judged on people.
    assert_eq!(report.verdict.accuracy, AccuracyState::Fail);
    assert_eq!(report.verdict.accuracy_pass, Some(false));
    assert_eq!(report.verdict.manipulation, ManipulationState::NotJudged);
    assert_eq!(report.verdict.manipulation_suspected, None);
    assert!(report.verdict.not_judged_because[0].contains("clinical study"));
    assert!(report
        .verdict
        .summary
        .starts_with("The device is not accurate on people"));
    assert!(report.has_findings(), "a clinical fail exits 1");
    // The bias a sweep analysis computes (numpy); the limits with ISO
    // 80601-2-56's multiplier 2 and their exact intervals (numpy 2.4, scipy
    // 1.17.1: d̄ ± 2·d.std(ddof=1); d̄ + s·nct.ppf([.025, .975], 532,
    // 2·√533)/√533): −1.9333001606468612 [−1.9845695617, −1.8870458694],
    // −0.61154036468147 [−0.6577946559, −0.5602709636].
    let a = &report.accuracy["reported"];
    assert!((a.bias_c - -1.2724202626641656).abs() < 1e-9);
    assert_eq!(a.loa_multiplier, 2.0);
    assert!((a.loa_low_c.unwrap() - -1.9333001606468612).abs() < 1e-9);
    assert!((a.loa_high_c.unwrap() - -0.61154036468147).abs() < 1e-9);
    let (low, high) = (a.loa_low_ci_c.unwrap(), a.loa_high_ci_c.unwrap());
    assert!((low.low - -1.984_569_561_7).abs() < 1e-7, "{low:?}");
    assert!((low.high - -1.887_045_869_4).abs() < 1e-7, "{low:?}");
    assert!((high.low - -0.657_794_655_9).abs() < 1e-7, "{high:?}");
    assert!((high.high - -0.560_270_963_6).abs() < 1e-7, "{high:?}");
    assert_eq!(a.loa_ci_method, LoaIntervalMethod::ExactNoncentralT);
    assert!(a.subject_components.is_none(), "one reading per subject");
    assert_eq!(a.max_abs_step_error_c, None);
    // Every sweep detector is listed as not run, with the reason, and none ran.
    for id in SWEEP_DETECTORS {
        assert!(
            report
                .detectors_not_run
                .iter()
                .any(|n| n.detector == id && n.reason.contains("no sweep")),
            "{id} not listed as not run: {:?}",
            report.detectors_not_run
        );
        assert!(!report.detectors.iter().any(|d| d == id), "{id} ran");
        assert!(!report.findings.iter().any(|f| f.detector == id));
    }
    assert!(report.detectors.iter().any(|d| d == "bias"));
    // The verdict reads as a clinical study: numbers from the numpy check
    // (sensitivity 3 of 44 febrile readings at 37.5 °C, AUC 0.949).
    let summary = &report.verdict.summary;
    for words in [
        "533 subjects",
        "reference thermometer",
        "clinical bias -1.27 °C",
        "limits of agreement -1.93 to -0.61 °C",
        "sensitivity 7 % (3 of 44 febrile readings)",
        "ROC AUC 0.95",
        "judged by its limits of agreement",
    ] {
        assert!(summary.contains(words), "{words:?} missing from {summary}");
    }
    assert!(!summary.contains("blackbody") && !summary.contains("target"));
    assert!(!report.verdict.is_manipulation_suspected());
    assert!(report
        .findings
        .iter()
        .all(|f| f.severity != Severity::Manipulation));
}

#[test]
fn the_clinical_report_has_no_step_or_lab_battery_tables() {
    let report = analyze_with(&fda_session(), &clinical()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    fevercheck_report::write::write_report(
        &report,
        dir.path(),
        fevercheck_report::write::PlotFiles::Png,
    )
    .unwrap();
    let markdown = fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(!markdown.contains("## Steps"));
    assert!(!markdown.contains("IEC 80601-2-59"));
    assert!(markdown.contains("clinical bias (device − reference thermometer)"));
    assert!(markdown.contains("Not run: compression"));
    assert!(!markdown.contains("largest step error"));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(json["session"]["kind"], "clinical");
    assert_eq!(json["verdict"]["accuracy_pass"], false);
    assert_eq!(json["verdict"]["accuracy"], "fail");
    assert_eq!(json["verdict"]["manipulation"], "not_judged");
    assert!(json["verdict"]["manipulation_suspected"].is_null());
    assert!(!dir.path().join("plots/step_response.png").exists());
    assert!(dir.path().join("plots/bland_altman.png").exists());
}

#[test]
fn the_fda_data_read_as_a_sweep_get_a_warning_that_suggests_clinical() {
    let report = analyze(&fda_session()).unwrap();
    assert_eq!(report.session.kind, SessionKind::Sweep);
    assert!(
        report
            .session
            .warnings
            .iter()
            .any(|w| w.contains("look like a clinical study (533 subjects)")
                && w.contains("--kind clinical")),
        "{:?}",
        report.session.warnings
    );
}

#[test]
fn lab_sweeps_are_not_told_they_look_clinical() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for name in ["honest-21x3", "two-logs", "quantising-random-order"] {
        let report = analyze(&Session::load(&root.join(name)).unwrap()).unwrap();
        assert!(
            !report
                .session
                .warnings
                .iter()
                .any(|w| w.contains("clinical")),
            "{name}: {:?}",
            report.session.warnings
        );
    }
}

/// Three subjects: A read twice (errors +0.1, +0.3), B twice (−0.2, 0.0),
/// C once. Pooled within-subject sd = √((0.1² + 0.1² + 0.1² + 0.1²)/2) =
/// √0.02 = 0.1414 °C over 2 subjects; clinical bias = (0.1 + 0.3 − 0.2 +
/// 0.0 + 0.5)/5 = +0.14 °C.
const SMALL_STUDY: &str = "subject,reference_c,reported_c
A,36.8,36.9
A,36.8,37.1
B,37.9,37.7
B,37.9,37.9
C,38.4,38.9
";

#[test]
fn kind_clinical_in_session_toml_gives_the_within_subject_repeatability() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("readings.csv"), SMALL_STUDY).unwrap();
    fs::write(dir.path().join("session.toml"), "kind = \"clinical\"\n").unwrap();
    let report = analyze(&Session::load(dir.path()).unwrap()).unwrap();
    assert_eq!(report.session.kind, SessionKind::Clinical);
    let a = &report.accuracy["reported"];
    assert!((a.bias_c - 0.14).abs() < 1e-9, "{}", a.bias_c);
    let r = a.repeatability.as_ref().unwrap();
    assert_eq!((r.grouping.as_str(), r.stats.groups), ("subject", 2));
    assert!(
        (r.stats.sd_c - 0.02f64.sqrt()).abs() < 1e-9,
        "{}",
        r.stats.sd_c
    );
    assert!(report
        .verdict
        .summary
        .contains("repeatability σr 0.14 °C over 2 subjects"));
}

#[test]
fn the_command_line_takes_kind_and_refuses_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("readings.csv"), SMALL_STUDY).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(dir.path())
        .args(["--kind", "clinical", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["session"]["kind"], "clinical");
    // Differences A 0.1, 0.3; B -0.2, 0.0; C 0.5: mean 0.14. Subjects as
    // clusters (Bland & Altman 2007), by hand: MS_b = (2·0.06² + 2·0.24² +
    // 0.36²)/2 = 0.126, MS_w = (0.02 + 0.02)/2 = 0.02, λ = (25 − 9)/(2·5) =
    // 1.6, σ²_b = 0.106/1.6 = 0.06625, σ = sqrt(0.08625) = 0.293684; limits
    // (ISO 80601-2-56) 0.14 ± 2σ = -0.45 to 0.73 °C, beyond ±0.50: a fail
    // (exit 1).
    let high = json["accuracy"]["reported"]["loa_high_c"].as_f64().unwrap();
    assert!(
        (high - (0.14 + 2.0 * 0.08625f64.sqrt())).abs() < 1e-9,
        "{high}"
    );
    assert_eq!(json["verdict"]["accuracy"], "fail");
    let refused = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(dir.path())
        .args(["--kind", "blackbody"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains("expected `sweep` or `clinical`"),
        "{stderr}"
    );
}

/// Three subjects read in two rounds, round B 0.5 °C higher: differences
/// a −1.0, −0.5; b −0.8, −0.2; c −1.2, −0.8 (stats::rounds works the same
/// table by hand: σr = sqrt(0.005) with the shift removed, sqrt(0.385/3)
/// pooled with it; round biases −1.0 and −0.5).
const ROUNDS_STUDY: &str = "subject,round,oral,reading
a,A,37.0,36.0
a,B,37.0,36.5
b,A,36.8,36.0
b,B,36.8,36.6
c,A,37.2,36.0
c,B,37.2,36.4
";

#[test]
fn a_round_column_separates_the_shift_between_rounds_from_repeatability() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("study.csv");
    fs::write(&csv, ROUNDS_STUDY).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(&csv)
        .args([
            "--reference",
            "oral",
            "--reported",
            "reading",
            "--subject",
            "subject",
        ])
        .args(["--round", "round", "--kind", "clinical", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    let r = &json["accuracy"]["reported"]["repeatability"];
    assert!(
        (r["sd_c"].as_f64().unwrap() - 0.005f64.sqrt()).abs() < 1e-9,
        "{r}"
    );
    assert_eq!(r["df"], 2);
    let pooled = r["sd_with_round_shifts_c"].as_f64().unwrap();
    assert!((pooled - (0.385f64 / 3.0).sqrt()).abs() < 1e-9, "{r}");
    assert_eq!(r["rounds"][0]["round"], "A");
    assert!((r["rounds"][1]["bias_c"].as_f64().unwrap() - -0.5).abs() < 1e-9);

    // The same study as readings.csv with a `round` column.
    let session_dir = dir.path().join("session");
    fs::create_dir(&session_dir).unwrap();
    let readings = ROUNDS_STUDY.replace("oral,reading", "reference_c,reported_c");
    fs::write(session_dir.join("readings.csv"), readings).unwrap();
    fs::write(session_dir.join("session.toml"), "kind = \"clinical\"\n").unwrap();
    let report = analyze(&Session::load(&session_dir).unwrap()).unwrap();
    let r = report.accuracy["reported"].repeatability.as_ref().unwrap();
    assert!((r.stats.sd_c - 0.005f64.sqrt()).abs() < 1e-9);
    assert_eq!(r.rounds.len(), 2);

    // Several reported columns are rounds already: a round column as well is refused.
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(&csv)
        .args([
            "--reference",
            "oral",
            "--reported",
            "reading,oral",
            "--round",
            "round",
        ])
        .args(["--kind", "clinical", "-q", "--out"])
        .arg(dir.path().join("refused"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already name the rounds"));
}
