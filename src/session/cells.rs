//! Reading one cell of a table as a temperature, with errors that name the
//! file, line, column and value.

use super::csv_table::CsvTable;
use crate::delimited::number;
use crate::error::{Error, Result};
use crate::escape::terminal::quoted;
use crate::units::TemperatureUnit;

/// Parses the cell at `column` of a row as a temperature in `unit`, returning
/// °C. An empty cell is `None`; text that is not a finite number is an error.
/// A decimal comma (`37,2`) is read where the table is not comma-delimited.
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
