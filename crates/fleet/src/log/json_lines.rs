//! Logs as JSON Lines: one object per line, its keys named as a delimited
//! log's columns (a camera's event export, flattened). Values may be
//! strings, numbers or booleans.

use std::io::BufRead;
use std::path::Path;

use super::columns::role_of;
use super::event_cells::{event_of, slot, Cell, LineEvent};
use super::{FileSummary, LogOptions};
use crate::fleet_state::FleetState;
use fevercheck_io::error::{Error, Location, Result};

/// Reads the JSON Lines log `path` from `reader`.
pub(super) fn read(
    path: &Path,
    reader: impl BufRead,
    options: LogOptions,
) -> Result<(FleetState, FileSummary)> {
    let mut fleet = FleetState::default();
    let mut summary = FileSummary::default();
    for (index, line) in reader.lines().enumerate() {
        let number = index as u64 + 1;
        let line = line.map_err(|e| {
            Error::invalid(
                Location::line(path, number),
                format!("cannot read the line: {e}"),
            )
        })?;
        let text = line.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)
            .map_err(|e| {
                Error::invalid(
                    Location::line(path, number),
                    format!("expected one JSON object per line: {e}"),
                )
            })?;
        // Each value as text, so both readers read a cell the same way.
        let texts: Vec<(String, String)> = object
            .iter()
            .map(|(key, value)| {
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (key.clone(), text)
            })
            .collect();
        let mut cells: [Option<Cell<'_>>; 10] = [None; 10];
        for (position, (key, text)) in texts.iter().enumerate() {
            if let Some(role) = role_of(key) {
                cells[slot(role)].get_or_insert(Cell {
                    text,
                    line: number,
                    column: Some(position + 1),
                    name: key,
                });
            }
        }
        match event_of(&cells, path, number, options.unit)? {
            LineEvent::Event(event) => {
                fleet.add(&event);
                summary.events += 1;
            }
            LineEvent::WithoutTemperature => summary.without_temperature += 1,
        }
    }
    Ok((fleet, summary))
}
