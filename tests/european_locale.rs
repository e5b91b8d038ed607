//! A European spreadsheet's export — byte-order mark, semicolons, decimal
//! commas, CRLF line ends, day-first local times in Brussels — reads as the
//! same session as its ISO original: fixtures/european-locale is
//! fixtures/honest-21x3 written that way (times + 1 h, CET in January).

use std::path::PathBuf;

use fevercheck::analyze;
use fevercheck::session::Session;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

#[test]
fn a_european_export_is_the_same_session_as_its_iso_original() {
    let european = Session::load(&fixture("european-locale")).unwrap();
    let original = Session::load(&fixture("honest-21x3")).unwrap();
    assert_eq!(european.observations.len(), original.observations.len());
    for (e, o) in european.observations.iter().zip(&original.observations) {
        assert_eq!(e.reference_c, o.reference_c, "line {}", e.line);
        assert_eq!(e.reported_c, o.reported_c, "line {}", e.line);
        // 05.01.2026 10:00:00 in Brussels is 09:00:00 UTC.
        assert_eq!(e.time, o.time, "line {}", e.line);
    }
    // The zone was declared: no warning about times read as UTC.
    assert!(european.warnings.is_empty(), "{:?}", european.warnings);
    assert!(european.notes.is_empty(), "{:?}", european.notes);
    let (e, o) = (analyze(&european).unwrap(), analyze(&original).unwrap());
    assert_eq!(e.accuracy["reported"].bias_c, o.accuracy["reported"].bias_c);
    assert_eq!(e.verdict.accuracy_pass, o.verdict.accuracy_pass);
}

#[test]
fn local_times_without_a_declared_zone_are_read_as_utc_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("readings.csv"),
        "time;reference_c;reported_c\n2026-03-01 09:00:00;36,0;36,1\n2026-03-01 09:00:30;37,0;37,1\n",
    )
    .unwrap();
    let session = Session::load(dir.path()).unwrap();
    assert_eq!(session.observations[1].reported_c, Some(37.1));
    assert!(
        session
            .notes
            .iter()
            .any(|w| w.contains("2 time(s) without an offset were read as UTC")),
        "{:?}",
        session.notes
    );
    // Day-first without a declared layout is refused, never guessed.
    std::fs::write(
        dir.path().join("readings.csv"),
        "time;reference_c;reported_c\n01.03.2026 09:00:00;36,0;36,1\n",
    )
    .unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("line 2, column 1 (time)"), "{err}");
    assert!(err.contains("declare [time] format"), "{err}");
}

#[test]
fn the_time_layout_and_zone_can_be_given_on_the_command_line() {
    // The European readings without their session.toml: refused as they
    // are, read as the original with --time-format and --time-zone.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("european-locale").join("readings.csv"),
        dir.path().join("readings.csv"),
    )
    .unwrap();
    let run = |extra: &[&str], out: &str| {
        assert_cmd::Command::cargo_bin("fevercheck")
            .unwrap()
            .arg("analyze")
            .arg(dir.path())
            .args(["-q", "--out"])
            .arg(dir.path().join(out))
            .args(extra)
            .assert()
    };
    let refused = run(&[], "refused");
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert_eq!(refused.get_output().status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("declare [time] format"), "{stderr}");
    run(
        &[
            "--time-format",
            "%d.%m.%Y %H:%M:%S",
            "--time-zone",
            "Europe/Brussels",
        ],
        "read",
    )
    .code(0);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("read/report.json")).unwrap())
            .unwrap();
    // 05.01.2026 10:00:00 in Brussels is 09:00:00 UTC, as in honest-21x3.
    let original = analyze(&Session::load(&fixture("honest-21x3")).unwrap()).unwrap();
    let instant = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap();
    assert_eq!(
        instant(report["session"]["first_time"].as_str().unwrap()),
        instant(original.session.first_time.as_deref().unwrap())
    );
    // The zone was given: no time was read as UTC.
    let warnings = report["session"]["warnings"].as_array().unwrap();
    assert!(
        !warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("read as UTC")),
        "{warnings:?}"
    );
}

#[test]
fn without_its_time_layout_the_export_names_the_layout_and_its_lines_once() {
    // The same export with session.toml left behind: every time is day-first
    // local time, so every row fails the same way; the error lists them as
    // one entry and names the --time-format that reads them.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("european-locale").join("readings.csv"),
        dir.path().join("readings.csv"),
    )
    .unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("63 rows cannot be read"), "{err}");
    assert!(
        err.contains("lines 2–21, column 1 (time): `05.01.2026 10:00:00` is not a time"),
        "{err}"
    );
    assert!(
        err.contains("`--time-format \"%d.%m.%Y %H:%M:%S\"`"),
        "{err}"
    );
    assert_eq!(err.matches("is not a time").count(), 1, "{err}");
}

#[test]
fn a_time_zone_option_that_is_no_zone_is_blamed_on_the_option() {
    let options = fevercheck::session::LoadOptions {
        time: fevercheck::model::TimeSettings {
            format: None,
            zone: Some("Europe/Brusels".into()),
        },
        ..Default::default()
    };
    let err = Session::load_with(&fixture("honest-21x3"), &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("`--time-zone`: \"Europe/Brusels\" is not usable"),
        "{err}"
    );
    assert!(!err.contains("session.toml"), "{err}");
}
