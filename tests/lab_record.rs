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

/// Analyses `session` into `out` (no chart files), expecting a pass, and
/// returns report.md.
fn passing_report(session: &std::path::Path, out: &std::path::Path) -> String {
    fevercheck()
        .arg("analyze")
        .arg(session)
        .args(["-q", "--plots", "none", "--out"])
        .arg(out)
        .assert()
        .code(0);
    fs::read_to_string(out.join("report.md")).unwrap()
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
    let markdown = passing_report(&session, &out);
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

#[test]
fn the_report_ends_with_a_sign_off_and_every_reading() {
    // Three readings, hand-checked: errors +0.10, −0.20 and 0.00 °C; the
    // operator of [test] is filled in the sign-off, the other roles left
    // for ink; a time given as an offset-less text is a note, not a warning.
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fs::create_dir(&session).unwrap();
    fs::write(
        session.join("readings.csv"),
        "time,reference_c,reported_c\n\
         2026-03-01 09:00:00,36.00,36.10\n\
         2026-03-01 09:01:00,37.00,36.80\n\
         2026-03-01 09:02:00,38.00,38.00\n",
    )
    .unwrap();
    fs::write(
        session.join("session.toml"),
        "[device]\nstated_accuracy_c = 0.5\n[test]\noperator = \"A. Tester\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let markdown = passing_report(&session, &out);
    let sign_off = markdown.find("## Sign-off").expect("a sign-off section");
    let appendix = markdown
        .find("## Appendix: every reading")
        .expect("an appendix");
    assert!(sign_off < appendix);
    let sign_off_text = &markdown[sign_off..appendix];
    assert!(
        sign_off_text.contains("| Tested by | A. Tester |  |  |"),
        "{sign_off_text}"
    );
    assert!(
        sign_off_text.contains("| Reviewed by |  |  |  |"),
        "{sign_off_text}"
    );
    let rows: Vec<&str> = markdown[appendix..]
        .lines()
        .filter(|l| l.starts_with("| 2 ") || l.starts_with("| 3 ") || l.starts_with("| 4 "))
        .collect();
    assert_eq!(
        rows,
        [
            "| 2 | 0 | 36.00 | 36.10 | +0.10 |",
            "| 3 | 60 | 37.00 | 36.80 | -0.20 |",
            "| 4 | 120 | 38.00 | 38.00 | 0.00 |",
        ],
        "{}",
        &markdown[appendix..]
    );
    // The times without an offset: a note on how the file was read, apart
    // from the warnings that bear on the verdict.
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let notes = json["session"]["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n.as_str().unwrap().contains("read as UTC")));
    let warnings = json["session"]["warnings"].as_array().unwrap();
    assert!(warnings
        .iter()
        .all(|w| !w.as_str().unwrap().contains("UTC")));
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let notes_at = html.find("<h2>How the files were read</h2>").unwrap();
    assert!(html[notes_at..].contains("read as UTC"));
}

#[test]
fn a_log_too_long_to_print_lists_its_first_readings_and_says_where_the_rest_are() {
    // 10 050 readings: the appendix of report.md and report.html stops at
    // 10 000 and says so; report.json keeps all of them.
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("long");
    fs::create_dir(&session).unwrap();
    let rows: String = (0..10_050)
        .map(|i| {
            let reference = 35.0 + (i % 21) as f64 * 0.25;
            format!("{reference:.2},{:.1}\n", reference + 0.1)
        })
        .collect();
    fs::write(
        session.join("readings.csv"),
        format!("reference_c,reported_c\n{rows}"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let markdown = passing_report(&session, &out);
    let appendix = markdown
        .find("## Appendix: the first 10000 of 10050 readings")
        .expect("the appendix says it is cut");
    assert!(markdown[appendix..].contains("All 10050 are in report.json"));
    let listed = markdown[appendix..]
        .lines()
        .filter(|l| l.starts_with("| ") && l[2..].starts_with(|c: char| c.is_ascii_digit()))
        .count();
    assert_eq!(listed, 10_000);
    assert!(
        markdown[appendix..].contains("| 10001 |"),
        "line 10 001 is the last listed"
    );
    assert!(!markdown[appendix..].contains("| 10002 |"));
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h2>Appendix: the first 10000 of 10050 readings</h2>"));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["observations"].as_array().unwrap().len(), 10_050);
}
