//! Workbooks — `.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods` — read as tables,
//! one sheet at a time (calamine): labs keep their sweeps in workbooks.
//!
//! Each cell becomes the text a CSV export would hold: numbers in the
//! shortest form that reads back to the same value, dates and times as ISO
//! 8601 without a zone (read as UTC unless `--time-zone` says otherwise, as
//! for any time without an offset), `TRUE`/`FALSE`, and an error value
//! (`#N/A`, `#DIV/0!`, …) as `#N/A`, a missing value. The sheet's own row
//! numbers are the lines of messages, and the sheet is named beside the
//! file. The first sheet is read unless one is named; a workbook of several
//! sheets says which was read.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::csv_table::{Assembly, CsvTable};
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::escape::terminal::quoted;

/// File extensions read as workbooks (case-insensitive).
pub(super) const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a workbook by its extension.
pub(super) fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        WORKBOOK_EXTENSIONS
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// A sheet read as a table, and a note when the workbook has other sheets.
pub(super) struct SheetTable {
    /// The table; its path names the file and the sheet.
    pub table: CsvTable,
    /// Which sheet was read of several, when none was named.
    pub note: Option<String>,
}

/// Reads `sheet` (the first when `None`) of the workbook `bytes` from `path`.
pub(super) fn read_sheet(
    path: &Path,
    bytes: Vec<u8>,
    header_row: usize,
    sheet: Option<&str>,
) -> Result<SheetTable> {
    let unreadable = |detail: String| {
        Error::invalid(
            Location::file(path),
            format!("not a workbook fevercheck can read ({detail}); expected .xlsx, .xlsm, .xlsb, .xls or .ods"),
        )
    };
    let opened = catch_unwind(AssertUnwindSafe(
        || -> Result<(Vec<String>, String, calamine::Range<Data>)> {
            let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
                .map_err(|e| unreadable(e.to_string()))?;
            let names = workbook.sheet_names();
            let chosen = match sheet {
                Some(name) => names
                    .iter()
                    .find(|n| n.as_str() == name)
                    .cloned()
                    .ok_or_else(|| {
                        Error::parameter(
                            "sheet",
                            format!(
                                "{} has no sheet {}; its sheets: {}",
                                path.display(),
                                quoted(name),
                                names
                                    .iter()
                                    .map(|n| quoted(n))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })?,
                None => names
                    .first()
                    .cloned()
                    .ok_or_else(|| unreadable("it holds no sheet".to_string()))?,
            };
            let range = workbook
                .worksheet_range(&chosen)
                .map_err(|e| unreadable(e.to_string()))?;
            Ok((names, chosen, range))
        },
    ));
    let (names, chosen, range) = match opened {
        Ok(result) => result?,
        Err(_) => return Err(unreadable("its structure is damaged".to_string())),
    };
    let shown = PathBuf::from(format!("{} (sheet {})", path.display(), quoted(&chosen)));
    let mut assembly = Assembly::new(&shown, header_row);
    let first_row = range.start().map_or(0, |(row, _)| row as u64);
    let first_column = range.start().map_or(0, |(_, column)| column as usize);
    for (index, row) in range.rows().enumerate() {
        // Columns left of the used range are empty in the sheet, too.
        let cells: Vec<String> = std::iter::repeat_n(String::new(), first_column)
            .chain(row.iter().map(cell_text))
            .collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        assembly.push(first_row + index as u64 + 1, cells.iter().copied())?;
    }
    // No field separator: a decimal comma in a text cell (`36,5`) is
    // unambiguous, read as a tab-separated table reads it.
    let table = assembly.finish(b'\t')?;
    let note = (sheet.is_none() && names.len() > 1).then(|| {
        format!(
            "{} holds {} sheets ({}); read the first, {} (name another with --sheet)",
            path.display(),
            names.len(),
            names
                .iter()
                .map(|n| quoted(n))
                .collect::<Vec<_>>()
                .join(", "),
            quoted(&chosen)
        )
    });
    Ok(SheetTable { table, note })
}

/// The text a CSV export would hold for a cell.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => value.to_string(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(when) => match when.as_datetime() {
            Some(time) => time.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
            None => when.as_f64().to_string(),
        },
        Data::Error(_) => "#N/A".to_string(),
    }
}
