//! A lab's spreadsheet exported the way Excel writes it on a European
//! Windows (issue #26): Windows-1252 with `°` in the header, or UTF-16 with
//! a byte-order mark, gives the same report as the UTF-8 file, with a
//! warning that names the encoding read.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use fevercheck::analyze;
use fevercheck::session::{ColumnSpec, Session};

/// A semicolon-delimited sweep with decimal commas and `°C` in the header.
fn sweep_text() -> String {
    let mut csv = String::from("Referenz °C;Anzeige °C\n");
    for step in 0..11 {
        let reference = 35.0 + 0.5 * step as f64;
        let shown = 36.0 + 0.25 * (reference - 37.0);
        writeln!(csv, "{reference:.2};{shown:.1}").unwrap();
    }
    csv.replace('.', ",")
}

fn spec() -> ColumnSpec {
    ColumnSpec {
        reference: "Referenz °C".into(),
        reported: vec!["Anzeige °C".into()],
        ..ColumnSpec::default()
    }
}

fn load(path: &Path) -> Session {
    Session::load_named_columns(path, &spec(), None).unwrap()
}

#[test]
fn windows_1252_and_utf16_read_as_the_utf8_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let text = sweep_text();
    let utf8 = dir.path().join("utf8.csv");
    fs::write(&utf8, &text).unwrap();
    // Windows-1252: every character here is ASCII but `°`, the byte 0xB0.
    let cp1252_bytes: Vec<u8> = text
        .chars()
        .map(|c| if c == '°' { 0xB0 } else { c as u8 })
        .collect();
    let cp1252 = dir.path().join("cp1252.csv");
    fs::write(&cp1252, cp1252_bytes).unwrap();
    let mut utf16_bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16_bytes.extend(unit.to_le_bytes());
    }
    let utf16 = dir.path().join("utf16.csv");
    fs::write(&utf16, utf16_bytes).unwrap();

    let expected = analyze(&load(&utf8)).unwrap();
    for (path, encoding) in [(&cp1252, "windows-1252"), (&utf16, "UTF-16LE")] {
        let session = load(path);
        assert!(
            session
                .notes
                .iter()
                .any(|w| w.contains("not UTF-8; read as") && w.contains(encoding)),
            "{:?}",
            session.notes
        );
        let report = analyze(&session).unwrap();
        assert_eq!(report.observations, expected.observations);
        assert_eq!(report.accuracy, expected.accuracy);
        assert_eq!(report.verdict.accuracy, expected.verdict.accuracy);
        assert_eq!(report.verdict.summary, expected.verdict.summary);
    }
    // The compressing device (slope 0.25) is found the same way in all three.
    assert!(expected.verdict.is_manipulation_suspected());
}
