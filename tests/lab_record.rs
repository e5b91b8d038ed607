//! The lab's record of a test (`[test]` in session.toml, issue #26): id,
//! operator, date, ambient conditions and the equipment with its
//! certificates, shown at the top of report.md and report.html and kept in
//! report.json; an ambient temperature that is no room temperature is
//! refused.

use std::fs;

use assert_cmd::Command;

const RECORD: &str = "
[test]
id = \"LAB-2026-031\"
operator = \"A. Tester\"
date = \"2026-03-01\"
ambient_c = 22.5
relative_humidity = 45
notes = \"Camera mounted 1.5 m from the blackbody.\"

[[test.equipment]]
name = \"Blackbody BB-37, serial 1123\"
certificate = \"DKD-K-12345\"
calibrated_until = \"2027-01\"

[[test.equipment]]
name = \"Reference thermometer PT-100\"
";

fn fevercheck() -> Command {
    Command::cargo_bin("fevercheck").unwrap()
}

#[test]
fn the_test_record_heads_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fevercheck()
        .args([
            "simulate", "--model", "honest", "--seed", "5", "-q", "--out",
        ])
        .arg(&session)
        .assert()
        .success();
    let manifest = fs::read_to_string(session.join("session.toml")).unwrap();
    fs::write(session.join("session.toml"), format!("{manifest}{RECORD}")).unwrap();
    let out = dir.path().join("out");
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .args(["-q", "--plots", "none", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let markdown = fs::read_to_string(out.join("report.md")).unwrap();
    let head: Vec<&str> = markdown.lines().take(10).collect();
    for line in [
        "- Test: LAB-2026-031",
        "- Operator: A. Tester",
        "- Date of the test: 2026-03-01",
        "- Ambient: 22.5 °C, 45 % relative humidity",
        "- Equipment: Blackbody BB-37, serial 1123 (certificate DKD-K-12345, valid until 2027-01)",
        "- Equipment: Reference thermometer PT-100 (no certificate given)",
    ] {
        assert!(head.contains(&line), "{line:?} not at the top: {head:#?}");
    }
    assert!(markdown.find("- Test: LAB").unwrap() < markdown.find("## Verdict").unwrap());
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<dt>Operator</dt><dd>A. Tester</dd>"));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["session"]["test"]["id"], "LAB-2026-031");
    assert_eq!(
        json["session"]["test"]["equipment"][0]["certificate"],
        "DKD-K-12345"
    );

    // 73 is °F: refused, naming the key.
    let wrong = RECORD.replace("ambient_c = 22.5", "ambient_c = 73");
    fs::write(session.join("session.toml"), format!("{manifest}{wrong}")).unwrap();
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .args(["-q", "--out"])
        .arg(dir.path().join("refused"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`test.ambient_c` = 73 is not usable",
        ));
}
