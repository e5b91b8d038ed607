//! An event described by named values at any depth of a document — an XML
//! alert's leaf elements, a JSON event's scalar values — read as a log
//! line's cells are: the same column names (first in the document wins),
//! plus what vendors' event documents add: the unit of their temperatures
//! (`thermometryUnit`) and a camera named by its device and channel when no
//! value names the camera itself.

use std::path::Path;

use super::columns::{normalised, role_of, ColumnRole, Unit};
use super::event_cells::{event_of, slot, Cell, LineEvent};
use super::LogOptions;
use fevercheck_io::error::{Error, Location, Result};

/// Values naming the device, most specific first (normalised names):
/// Hikvision's envelope gives the device's MAC and IP address. (Not
/// `serialNo`: in Hikvision's event lists it numbers the event.)
const DEVICE_NAMES: [&str; 5] = [
    "deviceid",
    "devicename",
    "serialnumber",
    "macaddress",
    "ipaddress",
];

/// The value holding the channel of a device that reports several (an NVR).
const CHANNEL: &str = "channelid";

/// The value giving the unit of the event's temperatures.
const UNIT: &str = "thermometryunit";

/// One named value of an event document.
#[derive(Debug, Clone)]
pub(super) struct Leaf {
    /// Its name as the document writes it.
    pub(super) key: String,
    /// Its text.
    pub(super) text: String,
    /// Its line in the file.
    pub(super) line: u64,
    /// Its column (1-based position), where the document is a flat row.
    pub(super) column: Option<usize>,
}

impl Leaf {
    fn is(&self, name: &str) -> bool {
        normalised(&self.key) == name
    }
}

/// The event the `leaves` of one document (beginning at `line`) describe.
pub(super) fn event_of_leaves(
    leaves: &[Leaf],
    path: &Path,
    line: u64,
    options: LogOptions,
) -> Result<LineEvent> {
    let find = |name: &str| {
        leaves
            .iter()
            .find(|leaf| leaf.is(name) && !leaf.text.is_empty())
    };
    let unit = match find(UNIT) {
        Some(leaf) => unit_named(leaf, path)?,
        None => options.unit,
    };
    let named_camera = leaves
        .iter()
        .find(|leaf| role_of(&leaf.key) == Some(ColumnRole::Camera))
        .map(|leaf| (leaf.text.clone(), leaf));
    let camera = named_camera.or_else(|| {
        DEVICE_NAMES
            .iter()
            .find_map(|name| find(name))
            .map(|device| {
                let text = match find(CHANNEL) {
                    Some(channel) => format!("{} channel {}", device.text, channel.text),
                    None => device.text.clone(),
                };
                (text, device)
            })
    });
    let mut cells: [Option<Cell<'_>>; 10] = [None; 10];
    if let Some((text, leaf)) = &camera {
        cells[slot(ColumnRole::Camera)] = Some(cell(text, leaf));
    }
    for leaf in leaves {
        match role_of(&leaf.key) {
            Some(ColumnRole::Camera) | None => {}
            Some(role) => {
                cells[slot(role)].get_or_insert(cell(&leaf.text, leaf));
            }
        }
    }
    event_of(&cells, path, line, unit)
}

/// A cell of `text` where `leaf` is.
fn cell<'a>(text: &'a str, leaf: &'a Leaf) -> Cell<'a> {
    Cell {
        text,
        line: leaf.line,
        column: leaf.column,
        name: &leaf.key,
    }
}

/// The unit a `thermometryUnit` value names.
fn unit_named(leaf: &Leaf, path: &Path) -> Result<Unit> {
    match leaf.text.trim().to_ascii_lowercase().as_str() {
        "celsius" | "c" => Ok(Unit::Celsius),
        "fahrenheit" | "f" => Ok(Unit::Fahrenheit),
        "kelvin" | "k" => Ok(Unit::Kelvin),
        other => {
            let at = match leaf.column {
                Some(column) => Location::cell(path, leaf.line, column, &leaf.key),
                None => Location::line(path, leaf.line),
            };
            Err(Error::invalid(
                at,
                format!(
                    "expected the thermometry unit (celsius, fahrenheit or kelvin), found {:?}",
                    fevercheck_io::escape::terminal::inline(other)
                ),
            ))
        }
    }
}
