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
            .warnings
            .iter()
            .any(|w| w.contains("2 time(s) without an offset were read as UTC")),
        "{:?}",
        session.warnings
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
