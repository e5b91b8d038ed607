//! Reading one cell of a table as a temperature, with errors that name the
//! file, line, column and value.

use super::csv_table::CsvTable;
use crate::error::{Error, Result};
use crate::units::TemperatureUnit;

/// Lowest and highest plausible reference temperature, °C. Fever screening
/// targets sit at 30–42 °C; outside 20–50 °C a value is probably in the wrong
/// unit or column (issue #2), so it is reported as a warning.
pub const PLAUSIBLE_REFERENCE_RANGE_C: (f64, f64) = (20.0, 50.0);

/// Parses the cell at `column` of a row as a temperature in `unit`, returning
/// °C. An empty cell is `None`; text that is not a finite number is an error.
pub fn temperature(
    table: &CsvTable,
    line: u64,
    column: usize,
    text: &str,
    unit: TemperatureUnit,
) -> Result<Option<f64>> {
    if text.is_empty() {
        return Ok(None);
    }
    let unit_name = match unit {
        TemperatureUnit::Celsius => "°C",
        TemperatureUnit::Fahrenheit => "°F",
    };
    let value: f64 = text.parse().map_err(|_| {
        let hint = if text.contains(',') && text.replace(',', ".").parse::<f64>().is_ok() {
            " (write the decimal separator as a point)"
        } else {
            ""
        };
        Error::invalid(
            table.cell_location(line, column),
            format!("`{text}` is not a number; expected a temperature in {unit_name} such as 37.2{hint}"),
        )
    })?;
    if !value.is_finite() {
        return Err(Error::invalid(
            table.cell_location(line, column),
            format!("`{text}` is not a finite number; expected a temperature in {unit_name}"),
        ));
    }
    Ok(Some(unit.to_celsius(value)))
}

/// Builds the warning for references outside [`PLAUSIBLE_REFERENCE_RANGE_C`],
/// naming up to five lines.
pub fn implausible_reference_warning(
    table: &CsvTable,
    column: &str,
    outliers: &[(u64, f64)],
) -> Option<String> {
    let (&(first_line, first_value), _) = outliers.split_first()?;
    let lines: Vec<String> = outliers
        .iter()
        .take(5)
        .map(|(l, _)| l.to_string())
        .collect();
    let more = if outliers.len() > 5 {
        format!(" and {} more", outliers.len() - 5)
    } else {
        String::new()
    };
    let (low, high) = PLAUSIBLE_REFERENCE_RANGE_C;
    Some(format!(
        "{}: {} reference value(s) in `{column}` outside {low}–{high} °C (line {first_line}: \
         {first_value:.2} °C; lines {}{more}); check the unit and the column",
        table.path.display(),
        outliers.len(),
        lines.join(", "),
    ))
}
