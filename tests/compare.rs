//! `fevercheck compare`: a table whose numbers are exactly those of the
//! single-session reports, from session folders and from saved reports.

use std::fs;

use assert_cmd::Command;
use predicates::str::contains;

fn fevercheck() -> Command {
    Command::cargo_bin("fevercheck").unwrap()
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn the_comparison_table_equals_the_single_session_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    for (name, model, seed) in [
        ("honest", "honest", "1"),
        ("kiosk", "compressing", "2"),
        ("clamp", "clamping", "3"),
    ] {
        let session = dir.path().join(name);
        fevercheck()
            .args(["simulate", "--model", model, "--seed", seed, "--out"])
            .arg(&session)
            .assert()
            .success();
        fevercheck()
            .arg("analyze")
            .arg(&session)
            .args(["--quiet", "--plots", "none"])
            .assert()
            .code(if model == "honest" { 0 } else { 1 });
        reports.push(session.join("fevercheck-report/report.json"));
    }
    // One device without a model in session.toml: named by the session's
    // own name (session.toml's `name`), never by a folder above it.
    let unnamed = dir.path().join("honest/session.toml");
    let text = fs::read_to_string(&unnamed)
        .unwrap()
        .replace("model = \"fevercheck simulated honest camera\"\n", "");
    fs::write(&unnamed, text).unwrap();

    let out = dir.path().join("cmp");
    fevercheck()
        .arg("compare")
        .args([
            dir.path().join("honest"),
            reports[1].clone(),
            dir.path().join("clamp"),
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(contains("MANIPULATION (compression"));
    let comparison = json(&out.join("comparison.json"));
    let devices = comparison["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 3);
    assert_eq!(devices[0]["device"], "Simulated honest camera (seed 1)");
    assert_eq!(
        devices[1]["device"],
        "fevercheck simulated compressing camera"
    );
    for (device, report) in devices.iter().zip(&reports) {
        let a = &json(report)["accuracy"]["reported"];
        for key in [
            "n",
            "range_c",
            "variance_c",
            "mean_c",
            "adj_r2",
            "slope",
            "diff_adj_r2",
            "diff_slope",
            "bias_c",
            "loa_low_c",
            "first_alarm_reference_c",
        ] {
            assert_eq!(device[key], a[key], "{key} of {}", device["device"]);
        }
    }
    assert_eq!(devices[0]["manipulation_suspected"], false);
    assert_eq!(devices[1]["manipulation_suspected"], true);
    let csv = fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv
        .lines()
        .nth(2)
        .unwrap()
        .starts_with("fevercheck simulated compressing camera,63,1.00,"));
    let html = fs::read_to_string(out.join("comparison.html")).unwrap();
    assert!(
        html.contains("id=\"chart-comparison\"")
            && html.contains("id=\"chart-devices\"")
            && html.contains("<script>")
    );
    assert!(out.join("plots/comparison.png").exists() && out.join("plots/devices.svg").exists());
}

#[test]
fn a_report_of_another_schema_is_read_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fevercheck()
        .args(["simulate", "--out"])
        .arg(&session)
        .assert()
        .success();
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .args(["--quiet", "--plots", "none"])
        .assert()
        .code(0);
    let path = session.join("fevercheck-report/report.json");
    let mut report = json(&path);
    report["schema"] = serde_json::json!("fevercheck.report/0");
    let old = dir.path().join("old.json");
    fs::write(&old, serde_json::to_vec(&report).unwrap()).unwrap();
    let out = dir.path().join("cmp");
    fevercheck()
        .arg("compare")
        .arg(&old)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let comparison = json(&out.join("comparison.json"));
    assert!(comparison["devices"][0]["note"]
        .as_str()
        .unwrap()
        .contains("fevercheck.report/0"));
    // A report whose accuracy block is empty: refused, not a panic.
    report["accuracy"] = serde_json::json!({});
    report["schema"] = serde_json::json!("fevercheck.report/1");
    fs::write(&old, serde_json::to_vec(&report).unwrap()).unwrap();
    fevercheck()
        .arg("compare")
        .arg(&old)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("no accuracy block"));
    fs::write(&old, "{\"schema\": \"fevercheck.report/1\"}").unwrap();
    fevercheck()
        .arg("compare")
        .arg(&old)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("re-run `fevercheck analyze`"));
}
