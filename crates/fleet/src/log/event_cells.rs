//! One log line's cells by role, turned into an [`Event`]: shared by the
//! delimited and the JSON Lines readers, so both read a cell the same way
//! and name a bad one the same way.

use std::path::Path;

use super::columns::{ColumnRole, Unit};
use super::values::{flag, hour};
use crate::event::{camera_name, Event};
use fevercheck_io::error::{Error, Location, Result};

/// Roles a line's cells are looked up by.
pub(super) const ROLES: [ColumnRole; 10] = [
    ColumnRole::Camera,
    ColumnRole::Temperature,
    ColumnRole::TemperatureCelsius,
    ColumnRole::TemperatureFahrenheit,
    ColumnRole::Time,
    ColumnRole::AmbientCelsius,
    ColumnRole::AmbientFahrenheit,
    ColumnRole::Alarm,
    ColumnRole::Threshold,
    ColumnRole::Site,
];

/// Index of `role` in [`ROLES`].
pub(super) fn slot(role: ColumnRole) -> usize {
    ROLES.iter().position(|r| *r == role).unwrap_or(0)
}

/// One cell: its text, and where it is for a message: its line, and its
/// column (1-based index) where the log has columns, and its name.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cell<'a> {
    pub(super) text: &'a str,
    pub(super) line: u64,
    pub(super) column: Option<usize>,
    pub(super) name: &'a str,
}

/// What a line gave: an event, or nothing because its temperature cell was
/// empty.
pub(super) enum LineEvent {
    Event(Event),
    WithoutTemperature,
}

/// The event of one line at `line` of `file`, from its cells by role.
pub(super) fn event_of(
    cells: &[Option<Cell<'_>>; 10],
    file: &Path,
    line: u64,
    unit: Unit,
) -> Result<LineEvent> {
    let at = |cell: &Cell<'_>| match cell.column {
        Some(column) => Location::cell(file, cell.line, column, cell.name),
        None => Location::line(file, cell.line),
    };
    let number = |role: ColumnRole, what: &str| -> Result<Option<f64>> {
        let Some(cell) = cells[slot(role)] else {
            return Ok(None);
        };
        let text = cell.text.trim().trim_matches('"');
        if text.is_empty() {
            return Ok(None);
        }
        match fevercheck_io::delimited::number(text, b',') {
            Some(value) => Ok(Some(value)),
            None => Err(Error::invalid(
                at(&cell),
                format!(
                    "expected {what}, found {:?}",
                    fevercheck_io::escape::terminal::inline(text)
                ),
            )),
        }
    };
    let site = cells[slot(ColumnRole::Site)].map(|c| c.text);
    let camera = match cells[slot(ColumnRole::Camera)] {
        Some(cell) => camera_name(site, cell.text).ok_or_else(|| {
            Error::invalid(at(&cell), "expected the camera's name, found an empty cell")
        })?,
        None => {
            return Err(Error::invalid(
                Location::line(file, line),
                "the line has no camera",
            ))
        }
    };
    let reading = if let Some(c) = number(ColumnRole::TemperatureCelsius, "a temperature in °C")? {
        Some((c, Unit::Celsius))
    } else if let Some(f) = number(ColumnRole::TemperatureFahrenheit, "a temperature in °F")? {
        Some((f, Unit::Fahrenheit))
    } else {
        number(ColumnRole::Temperature, "a temperature")?.map(|t| (t, unit))
    };
    let Some((reading, reading_unit)) = reading else {
        return Ok(LineEvent::WithoutTemperature);
    };
    let ambient = match number(ColumnRole::AmbientCelsius, "a room temperature in °C")? {
        Some(c) => Some(c),
        None => number(ColumnRole::AmbientFahrenheit, "a room temperature in °F")?
            .map(|f| Unit::Fahrenheit.celsius(f)),
    };
    let threshold =
        number(ColumnRole::Threshold, "an alarm threshold")?.map(|t| reading_unit.celsius(t));
    let mut hour_of_day = None;
    if let Some(cell) = cells[slot(ColumnRole::Time)].filter(|c| !c.text.trim().is_empty()) {
        hour_of_day = Some(hour(cell.text).ok_or_else(|| {
            Error::invalid(
                at(&cell),
                format!(
                    "expected a time (2021-03-04T09:15:00, 2021-03-04 09:15 or seconds since 1970), found {:?}",
                    fevercheck_io::escape::terminal::inline(cell.text.trim())
                ),
            )
        })?);
    }
    let mut alarm = None;
    if let Some(cell) = cells[slot(ColumnRole::Alarm)].filter(|c| !c.text.trim().is_empty()) {
        alarm = Some(flag(cell.text).ok_or_else(|| {
            Error::invalid(
                at(&cell),
                format!(
                    "expected an alarm flag (true/false, yes/no, 1/0), found {:?}",
                    fevercheck_io::escape::terminal::inline(cell.text.trim())
                ),
            )
        })?);
    }
    Ok(LineEvent::Event(Event {
        camera,
        hour: hour_of_day,
        temperature_c: reading_unit.celsius(reading),
        ambient_c: ambient,
        alarm,
        threshold_c: threshold,
    }))
}
