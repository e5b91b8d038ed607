//! Logs as delimited text: a header row naming the columns, then one
//! screening per line. The delimiter (comma, semicolon or tab) is chosen
//! from the first lines as for the lab's tables.

use std::io::BufRead;
use std::path::Path;

use super::columns::{required_columns_present, role_of};
use super::event_cells::{event_of, slot, Cell, LineEvent};
use super::{FileSummary, LogOptions};
use crate::fleet_state::FleetState;
use fevercheck_io::error::{Error, Location, Result};

/// Reads the delimited log `path` from `reader`.
pub(super) fn read(
    path: &Path,
    mut reader: impl BufRead,
    options: LogOptions,
) -> Result<(FleetState, FileSummary)> {
    let head = reader.fill_buf().map_err(|e| Error::read(path, e))?;
    let sample = String::from_utf8_lossy(head);
    let delimiter = fevercheck_io::delimited::sniff_delimiter(sample.lines().take(20));
    let mut records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(reader);
    let mut record = csv::StringRecord::new();
    let read_record = |records: &mut csv::Reader<_>, record: &mut csv::StringRecord| {
        records.read_record(record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::invalid(
                Location::line(path, line),
                format!("cannot read the line: {e}"),
            )
        })
    };
    if !read_record(&mut records, &mut record)? {
        return Err(Error::invalid(
            Location::file(path),
            "the log is empty: expected a header row naming its columns",
        ));
    }
    let header: Vec<String> = record.iter().map(str::to_string).collect();
    let mut columns: [Option<usize>; 10] = [None; 10];
    for (index, name) in header.iter().enumerate() {
        if let Some(role) = role_of(name) {
            columns[slot(role)].get_or_insert(index);
        }
    }
    required_columns_present(&header).map_err(|m| Error::invalid(Location::line(path, 1), m))?;
    let mut fleet = FleetState::default();
    let mut summary = FileSummary::default();
    while read_record(&mut records, &mut record)? {
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut cells: [Option<Cell<'_>>; 10] = [None; 10];
        for (role_slot, column) in columns.iter().enumerate() {
            if let Some(index) = *column {
                cells[role_slot] = record.get(index).map(|text| Cell {
                    text,
                    line,
                    column: Some(index + 1),
                    name: &header[index],
                });
            }
        }
        match event_of(&cells, path, line, options.unit)? {
            LineEvent::Event(event) => {
                fleet.add(&event);
                summary.events += 1;
            }
            LineEvent::WithoutTemperature => summary.without_temperature += 1,
        }
    }
    Ok((fleet, summary))
}
