//! Workbooks read directly (issue #26): fixtures/workbook/sweep.xlsx (made by
//! its make.py with openpyxl) gives the report its CSV export sweep.csv
//! gives; `--sheet` picks another sheet, read with named columns; a sheet
//! that is not there is named with the sheets that are.

use std::path::PathBuf;

use assert_cmd::Command;
use fevercheck::analyze;
use fevercheck::session::{ColumnSpec, LoadOptions, Session};
use predicates::str::contains;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/workbook")
        .join(name)
}

#[test]
fn a_workbook_sweep_gives_the_report_of_its_csv_export() {
    let from_csv = Session::load(&fixture("sweep.csv")).unwrap();
    let from_book = Session::load(&fixture("sweep.xlsx")).unwrap();
    assert_eq!(from_book.observations, from_csv.observations);
    // The book has two sheets: which one was read is said.
    assert!(
        from_book
            .notes
            .iter()
            .any(|w| w.contains("holds 2 sheets") && w.contains("read the first, `Sweep`")),
        "{:?}",
        from_book.notes
    );
    let (csv_report, book_report) = (analyze(&from_csv).unwrap(), analyze(&from_book).unwrap());
    assert_eq!(book_report.accuracy, csv_report.accuracy);
    assert_eq!(book_report.steps, csv_report.steps);
    assert_eq!(book_report.verdict.summary, csv_report.verdict.summary);
    // make.py's device compresses above 36.5 °C: found from the workbook too.
    assert!(book_report.verdict.is_manipulation_suspected());
    assert_eq!(book_report.steps.len(), 11);
}

#[test]
fn another_sheet_is_read_with_named_columns() {
    let spec = ColumnSpec {
        reference: "Referenz °C".into(),
        reported: vec!["Anzeige °C".into()],
        header_row: 3,
        ..ColumnSpec::default()
    };
    let options = LoadOptions {
        sheet: Some("Lab export".into()),
        ..LoadOptions::default()
    };
    let session =
        Session::load_named_columns_with(&fixture("sweep.xlsx"), &spec, None, &options).unwrap();
    // 33 rows, one `NA` (sheet row 8) left out and named with its sheet.
    assert_eq!(session.observations.len(), 32);
    assert!(
        session
            .warnings
            .iter()
            .any(|w| w.contains("(sheet `Lab export`)")
                && w.contains("1 observation(s) skipped")
                && w.contains("(line 8)")),
        "{:?}",
        session.warnings
    );
    let first = &session.observations[0];
    assert_eq!(
        (first.line, first.reference_c, first.reported_c),
        (4, 35.0, Some(35.1))
    );
}

#[test]
fn a_sheet_that_is_not_there_is_refused_with_the_sheets_that_are() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(fixture("sweep.xlsx"))
        .args(["--sheet", "Sweeep", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(contains(
            "has no sheet `Sweeep`; its sheets: `Sweep`, `Lab export`",
        ));
}
