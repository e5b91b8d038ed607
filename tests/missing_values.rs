//! Missing values as spreadsheets and loggers write them (issue #26): an
//! empty cell, `NA`, `N/A`, `-`, `NaN`, `#N/A`, `Err` … leave the observation
//! out, its line named in a warning, in every layout; any other text that is
//! not a number is still an error naming the cell.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use fevercheck::session::{ColumnSpec, Session};

/// Eleven complete rows 35.0 … 40.0 °C, then the rows of `extra`.
fn readings(extra: &[&str]) -> String {
    let mut csv = String::from("reference_c,reported_c\n");
    for step in 0..11 {
        let reference = 35.0 + 0.5 * step as f64;
        writeln!(csv, "{reference:.1},{:.1}", reference + 0.1).unwrap();
    }
    for row in extra {
        writeln!(csv, "{row}").unwrap();
    }
    csv
}

#[test]
fn readings_with_missing_markers_are_left_out_with_their_lines_named() {
    let dir = tempfile::tempdir().unwrap();
    // Lines 13 … 19: missing reported values and a missing reference.
    let extra = [
        "36.0,NA",
        "36.5,",
        "37.0,-",
        "37.5, n/a ",
        "38.0,#N/A",
        "NaN,38.6",
        "39.0,Err",
    ];
    fs::write(dir.path().join("readings.csv"), readings(&extra)).unwrap();
    let session = Session::load(dir.path()).unwrap();
    assert_eq!(session.observations.len(), 11);
    let warning = session
        .warnings
        .iter()
        .find(|w| w.contains("skipped"))
        .unwrap_or_else(|| panic!("{:?}", session.warnings));
    assert!(
        warning.contains("7 observation(s) skipped")
            && warning.contains("lines 13, 14, 15, 16, 17, 18, 19"),
        "{warning}"
    );
    // Text that is no number and no missing marker is still an error.
    fs::write(dir.path().join("readings.csv"), readings(&["36.0,abc"])).unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("line 13, column 2 (reported_c): `abc` is not a number"),
        "{err}"
    );
    // A file whose rows are all incomplete says so.
    fs::write(
        dir.path().join("readings.csv"),
        "reference_c,reported_c\n36.0,NA\n",
    )
    .unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("every data row lacks its reference or its reported value"),
        "{err}"
    );
}

#[test]
fn named_columns_go_on_past_a_missing_marker() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    let csv = "id,oral,ir\na,36.8,NA\nb,37.0,36.4\nc,#N/A,36.9\nd,37.4,36.8\n";
    fs::write(&path, csv).unwrap();
    let spec = ColumnSpec {
        reference: "oral".into(),
        reported: vec!["ir".into()],
        subject: Some("id".into()),
        ..ColumnSpec::default()
    };
    let session = Session::load_named_columns(&path, &spec, None).unwrap();
    assert_eq!(session.observations.len(), 2);
    assert!(
        session
            .warnings
            .iter()
            .any(|w| w.contains("2 observation(s) skipped") && w.contains("lines 2, 4")),
        "{:?}",
        session.warnings
    );
}

#[test]
fn two_logs_leave_out_readings_marked_missing() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/two-logs");
    let dir = tempfile::tempdir().unwrap();
    for file in ["blackbody.csv", "session.toml"] {
        fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
    }
    // Device line 16 (paired in the fixture) reads `Err`.
    let device = fs::read_to_string(fixture.join("device.csv")).unwrap();
    let device = device.replace("2026-03-01T09:04:52Z,35.6", "2026-03-01T09:04:52Z,Err");
    fs::write(dir.path().join("device.csv"), device).unwrap();
    let session = Session::load(dir.path()).unwrap();
    assert_eq!(
        session.pairing.unwrap().paired,
        45,
        "46 in the fixture, one missing"
    );
    assert!(session.observations.iter().all(|o| o.line != 16));
    assert!(
        session.warnings.iter().any(|w| w.contains("device.csv")
            && w.contains("1 observation(s) skipped")
            && w.contains("line 16")),
        "{:?}",
        session.warnings
    );
}
