//! Reading one cell of a table as a temperature, with errors that name the
//! file, line, column and value; and the cells that mean "no value".
//!
//! Spreadsheets and controllers write a missing value in many ways: an empty
//! cell, `NA` (R), `N/A`, `#N/A` and the other `#…!` error values (Excel,
//! LibreOffice), `NaN` (numpy, MATLAB), `-`, `null`, `Err` (data loggers).
//! Those cells ([`MISSING_MARKERS`], case-insensitive, surrounding blanks
//! ignored) are missing data: the observation is left out and its line
//! listed in a warning. Any other text that is not a number is an error.

use std::path::Path;

use super::csv_table::CsvTable;
use crate::units::TemperatureUnit;
use fevercheck_io::delimited::number;
use fevercheck_io::error::{Error, Result};
use fevercheck_io::escape::terminal::quoted;

/// What a cell may hold to say it has no value (besides nothing at all).
pub(super) const MISSING_MARKERS: [&str; 19] = [
    "na", "n/a", "n.a.", "nan", "-", "--", "—", "?", "null", "none", "missing", "err", "error",
    "#n/a", "#na", "#value!", "#div/0!", "#ref!", "#num!",
];

/// Whether a cell holds no value: empty, blank, or one of [`MISSING_MARKERS`].
pub(super) fn is_missing(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || MISSING_MARKERS.iter().any(|m| text.eq_ignore_ascii_case(m))
}

/// The warning for observations left out for missing cells, naming the
/// first ten lines; `None` when there are none.
pub(super) fn missing_cells_warning(path: &Path, lines: &[u64]) -> Option<String> {
    if lines.is_empty() {
        return None;
    }
    let mut shown: Vec<String> = lines.iter().take(10).map(u64::to_string).collect();
    if lines.len() > 10 {
        shown.push(format!("… ({} in all)", lines.len()));
    }
    Some(format!(
        "{}: {} observation(s) skipped because a cell they need was empty or marked missing \
         (NA, N/A, -, NaN, #N/A, Err, …) (line{} {})",
        path.display(),
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        shown.join(", ")
    ))
}

/// Parses the cell at `column` of a row as a temperature in `unit`, returning
/// °C. A missing cell ([`is_missing`]) is `None`; other text that is not a
/// finite number is an error.
/// A decimal comma (`37,2`) is read where the table is not comma-delimited.
pub(super) fn temperature(
    table: &CsvTable,
    line: u64,
    column: usize,
    text: &str,
    unit: TemperatureUnit,
) -> Result<Option<f64>> {
    // A plain finite number, the common case, is taken before the markers
    // of missing values are compared (none of them is a finite number).
    if let Some(value) = text.trim().parse::<f64>().ok().filter(|v| v.is_finite()) {
        return Ok(Some(unit.to_celsius(value)));
    }
    if is_missing(text) {
        return Ok(None);
    }
    let text = text.trim();
    let unit_name = match unit {
        TemperatureUnit::Celsius => "°C",
        TemperatureUnit::Fahrenheit => "°F",
    };
    let parsed = text
        .parse::<f64>()
        .ok()
        .or_else(|| number(text, table.delimiter));
    let value: f64 = parsed.ok_or_else(|| {
        let hint = if text.contains(',') && text.replace(',', ".").parse::<f64>().is_ok() {
            " (a decimal comma is read only where the fields are separated by `;` or tabs)"
        } else {
            ""
        };
        Error::invalid(
            table.cell_location(line, column),
            format!(
                "{} is not a number; expected a temperature in {unit_name} such as 37.2{hint}",
                quoted(text)
            ),
        )
    })?;
    if !value.is_finite() {
        return Err(Error::invalid(
            table.cell_location(line, column),
            format!(
                "{} is not a finite number; expected a temperature in {unit_name}",
                quoted(text)
            ),
        ));
    }
    Ok(Some(unit.to_celsius(value)))
}
