//! Reading cameras' screening logs into a [`FleetState`]: delimited text
//! (CSV, TSV, semicolons) with named columns, JSON Lines with the same
//! names as keys or JSON event documents (nested, over several lines), and
//! Hikvision's XML event notifications. A log is streamed, never held
//! whole: a fleet's logs are far larger than memory. Files are read on all
//! cores and their states merged.
//!
//! Columns, by their header (case and spaces ignored; first match wins):
//! the camera (required), the reported temperature in °C or °F (required),
//! and optionally the time (its hour of the day is kept), the room
//! temperature, whether the alarm was raised, the alarm threshold and the
//! site (which then prefixes the camera's name). A line that cannot be read
//! is an error naming the file, the line and the column.

mod columns;
mod delimited;
mod event_cells;
mod json_lines;
mod leaves;
mod values;
mod xml_events;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::fleet_state::FleetState;
use fevercheck_io::error::Result;

pub use columns::{required_columns_present, role_of, ColumnRole, Unit, COLUMN_NAMES};
pub use values::{flag as alarm_flag, hour as hour_of_time};

/// The opening of a Hikvision event notification, which marks a file as
/// XML events even when a multipart boundary comes first.
const XML_ALERT_TAG: &[u8] = b"<EventNotificationAlert";

/// Largest log file read, bytes: 64 GiB, far above any one camera's.
pub const LOG_BYTES_MAX: u64 = 64 << 30;

/// How the logs are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogOptions {
    /// The unit of a temperature column whose name does not say (`temperature`).
    pub unit: Unit,
}

/// What reading one file found.
#[derive(Debug, Default)]
pub struct FileSummary {
    /// Events counted.
    pub events: u64,
    /// Lines with no reported temperature (an empty cell), left out.
    pub without_temperature: u64,
}

/// Reads every log in `paths` (in parallel) into one fleet state, with a
/// note per file that left lines out.
pub fn read_logs(paths: &[PathBuf], options: LogOptions) -> Result<(FleetState, Vec<String>)> {
    let states: Vec<(FleetState, FileSummary, &PathBuf)> = paths
        .par_iter()
        .map(|path| read_log(path, options).map(|(state, summary)| (state, summary, path)))
        .collect::<Result<_>>()?;
    let mut fleet = FleetState::default();
    let mut notes = Vec::new();
    for (state, summary, path) in states {
        if summary.without_temperature > 0 {
            notes.push(format!(
                "{}: {} event(s) without a reported temperature were left out",
                fevercheck_io::error::shown(path),
                summary.without_temperature
            ));
        }
        fleet.merge(state);
    }
    Ok((fleet, notes))
}

/// Reads one log: Hikvision's XML event notifications when the file's
/// start holds an `<EventNotificationAlert` or its first non-blank byte is
/// `<`; JSON (lines or documents) when that byte is `{` or `[`, or when the file
/// starts with a multipart boundary (`--`) followed by a `{` before any
/// `<`; delimited text otherwise.
pub fn read_log(path: &Path, options: LogOptions) -> Result<(FleetState, FileSummary)> {
    let mut reader = fevercheck_io::input::buffered(path, LOG_BYTES_MAX)?;
    let kind = {
        use std::io::BufRead;
        let head = reader
            .fill_buf()
            .map_err(|e| fevercheck_io::error::Error::read(path, e))?;
        let start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let first = start.iter().copied().find(|b| !b.is_ascii_whitespace());
        let first_bracket = start.iter().copied().find(|b| *b == b'{' || *b == b'<');
        if start
            .windows(XML_ALERT_TAG.len())
            .any(|w| w == XML_ALERT_TAG)
        {
            LogKind::Xml
        } else {
            match first {
                Some(b'{' | b'[') => LogKind::Json,
                Some(b'<') => LogKind::Xml,
                Some(b'-') if start.starts_with(b"--") && first_bracket == Some(b'{') => {
                    LogKind::Json
                }
                _ => LogKind::Delimited,
            }
        }
    };
    match kind {
        LogKind::Json => json_lines::read(path, reader, options),
        LogKind::Xml => xml_events::read(path, reader, options),
        LogKind::Delimited => delimited::read(path, reader, options),
    }
}

/// How a log is written.
enum LogKind {
    Delimited,
    Json,
    Xml,
}
