//! Logs as JSON: one object per line (JSON Lines, keys named as a
//! delimited log's columns), an array of such objects, or event documents
//! spread over several lines —
//! a Hikvision event notification in JSON, pretty-printed, one after
//! another, or an alert stream saved as it came (once a multipart boundary
//! line `--…` has been seen, boundaries and part headers between documents
//! are passed over).
//!
//! A document's values are read at any depth ([`super::leaves`]): its own
//! first, then those of the objects inside it, level by level (Hikvision
//! nests a face-temperature event's values in `AccessControllerEvent`). A
//! document holding arrays of objects (an event search's `InfoList`) is one
//! event per object of those arrays, each with the document's values
//! outside the arrays as well. Values may be strings, numbers or booleans.

use std::io::BufRead;
use std::path::Path;

use serde_json::{Map, Value};

use super::event_cells::LineEvent;
use super::leaves::{event_of_leaves, Leaf};
use super::{FileSummary, LogOptions};
use crate::fleet_state::FleetState;
use fevercheck_io::error::{Error, Location, Result};

/// Largest JSON document read, bytes: 64 MiB, far above any event's.
const DOCUMENT_BYTES_MAX: usize = 64 << 20;

/// The opening and closing brackets of a document as its lines come:
/// depth outside strings.
#[derive(Debug, Default)]
struct Brackets {
    depth: i64,
    in_string: bool,
    escaped: bool,
}

impl Brackets {
    fn scan(&mut self, text: &str) {
        for byte in text.bytes() {
            if self.in_string {
                match (self.escaped, byte) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => self.depth -= 1,
                _ => {}
            }
        }
    }

    fn closed(&self) -> bool {
        self.depth <= 0 && !self.in_string
    }
}

/// A MIME part header between the documents of an alert stream
/// (`Content-Type: application/json`).
fn is_part_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Reads the JSON log `path` from `reader`.
pub(super) fn read(
    path: &Path,
    reader: impl BufRead,
    options: LogOptions,
) -> Result<(FleetState, FileSummary)> {
    let mut fleet = FleetState::default();
    let mut summary = FileSummary::default();
    let mut document = String::new();
    let mut brackets = Brackets::default();
    let mut began_on = 0u64;
    let mut multipart = false;
    let expected = |line: u64, what: String| {
        Error::invalid(
            Location::line(path, line),
            format!("expected one JSON object per line, or whole JSON documents: {what}"),
        )
    };
    for (index, line) in reader.lines().enumerate() {
        let number = index as u64 + 1;
        let line = line.map_err(|e| expected(number, format!("cannot read the line: {e}")))?;
        let text = line.trim_start_matches('\u{feff}');
        if document.is_empty() {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with("--") {
                multipart = true;
                continue;
            }
            if multipart && is_part_header(trimmed) {
                continue;
            }
            began_on = number;
        } else if document.starts_with('{') && text.starts_with(['{', '[']) {
            // A new document at the line's start while an object is open
            // (an array's items may start lines): the open one is broken;
            // say why where it began.
            return Err(parse_error(&document, began_on, &expected));
        }
        document.push_str(text);
        document.push('\n');
        brackets.scan(text);
        if document.len() > DOCUMENT_BYTES_MAX {
            return Err(expected(
                began_on,
                format!("the document that begins here is longer than {DOCUMENT_BYTES_MAX} bytes"),
            ));
        }
        if brackets.closed() {
            let objects = parse(&document, began_on, &expected)?;
            let single_line = number == began_on && objects.len() == 1;
            for object in &objects {
                for leaves in events_in(object, began_on, single_line) {
                    match event_of_leaves(&leaves, path, began_on, options)? {
                        LineEvent::Event(event) => {
                            fleet.add(&event);
                            summary.events += 1;
                        }
                        LineEvent::WithoutTemperature => summary.without_temperature += 1,
                    }
                }
            }
            document.clear();
            brackets = Brackets::default();
        }
    }
    if !document.is_empty() {
        return Err(parse_error(&document, began_on, &expected));
    }
    Ok((fleet, summary))
}

/// The objects `document` holds: itself, or those of the array it is.
fn parse(
    document: &str,
    began_on: u64,
    expected: &impl Fn(u64, String) -> Error,
) -> Result<Vec<Map<String, Value>>> {
    let value: Value =
        serde_json::from_str(document).map_err(|e| expected(began_on, e.to_string()))?;
    match value {
        Value::Object(object) => Ok(vec![object]),
        Value::Array(values) => values
            .into_iter()
            .enumerate()
            .map(|(index, value)| match value {
                Value::Object(object) => Ok(object),
                other => Err(expected(
                    began_on,
                    format!(
                        "item {} of the array is not an object but {}",
                        index + 1,
                        kind_of(&other)
                    ),
                )),
            })
            .collect(),
        other => Err(expected(began_on, format!("found {}", kind_of(&other)))),
    }
}

/// What a JSON value is, for a message.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Why `document` is not an object (it cannot be).
fn parse_error(document: &str, began_on: u64, expected: &impl Fn(u64, String) -> Error) -> Error {
    match parse(document, began_on, expected) {
        Err(error) => error,
        Ok(_) => expected(began_on, "the document is not closed".into()),
    }
}

/// The events a document describes, each as its values: one per object in
/// the document's arrays of objects, or the document itself when it has
/// none.
fn events_in(object: &Map<String, Value>, line: u64, single_line: bool) -> Vec<Vec<Leaf>> {
    let mut outside = Vec::new();
    let mut items = Vec::new();
    collect(object, line, single_line, &mut outside, &mut items);
    if items.is_empty() {
        return vec![outside];
    }
    items
        .iter()
        .map(|item| {
            let mut leaves = Vec::new();
            let mut nested = Vec::new();
            collect(item, line, false, &mut leaves, &mut nested);
            leaves.extend(outside.iter().cloned());
            leaves
        })
        .collect()
}

/// The scalar values of `object` level by level (its own first, then its
/// objects'), and the objects of its arrays.
fn collect<'a>(
    object: &'a Map<String, Value>,
    line: u64,
    single_line: bool,
    leaves: &mut Vec<Leaf>,
    items: &mut Vec<&'a Map<String, Value>>,
) {
    let mut level = vec![object];
    let mut top = true;
    while !level.is_empty() {
        let mut next = Vec::new();
        for map in level {
            for (position, (key, value)) in map.iter().enumerate() {
                let text = match value {
                    Value::Object(inner) => {
                        next.push(inner);
                        continue;
                    }
                    Value::Array(values) => {
                        items.extend(values.iter().filter_map(Value::as_object));
                        continue;
                    }
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                leaves.push(Leaf {
                    key: key.clone(),
                    text,
                    line,
                    column: (top && single_line).then_some(position + 1),
                });
            }
        }
        level = next;
        top = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;

    fn read_text(text: &str) -> Result<(FleetState, FileSummary)> {
        read(
            Path::new("events.json"),
            std::io::Cursor::new(text.as_bytes().to_vec()),
            LogOptions::default(),
        )
    }

    fn event(camera: &str, hour: u8, celsius: f64, alarm: bool) -> Event {
        Event {
            camera: camera.into(),
            hour: Some(hour),
            temperature_c: celsius,
            ambient_c: None,
            alarm: Some(alarm),
            threshold_c: None,
        }
    }

    #[test]
    fn nested_multi_line_documents_and_alert_streams_are_read() {
        let stream = "--MIME_boundary\r\n\
            Content-Type: application/json; charset=\"UTF-8\"\r\n\
            Content-Length: 300\r\n\r\n\
            {\n  \"ipAddress\": \"10.0.0.9\",\n  \"channelID\": 1,\n  \"dateTime\": \"2021-03-04T10:05:00+08:00\",\n  \
            \"eventType\": \"AccessControllerEvent\",\n  \"AccessControllerEvent\": {\n    \"currTemperature\": 98.9,\n    \
            \"thermometryUnit\": \"fahrenheit\",\n    \"isAbnomalTemperature\": false,\n    \"name\": \"a \\\"}\\\" b\"\n  }\n}\r\n\
            --MIME_boundary\r\n\r\n\
            {\"AcsEvent\": {\"deviceID\": \"door-2\", \"InfoList\": [\
            {\"time\": \"2021-03-04T11:00:00\", \"currTemperature\": 36.4, \"isAbnomalTemperature\": false},\
            {\"time\": \"2021-03-04T12:00:00\", \"currTemperature\": 38.2, \"isAbnomalTemperature\": true}]}}\n";
        let (fleet, summary) = read_text(stream).unwrap();
        assert_eq!((summary.events, summary.without_temperature), (3, 0));
        let mut expected = FleetState::default();
        expected.add(&event("10.0.0.9 channel 1", 10, (98.9 - 32.0) / 1.8, false));
        expected.add(&event("door-2", 11, 36.4, false));
        expected.add(&event("door-2", 12, 38.2, true));
        assert_eq!(fleet, expected);
    }

    #[test]
    fn json_lines_keep_their_columns_and_broken_documents_their_line() {
        let lines = "{\"camera\":\"A\",\"temperature\":36.5}\n{\"camera\":\"A\",\"temperature\":\"warm\"}\n";
        let error = read_text(lines).unwrap_err().to_string();
        assert!(
            error.contains("events.json, line 2, column 2 (temperature)")
                && error.contains("\"warm\""),
            "{error}"
        );
        let open = "{\"camera\":\"A\",\"temperature\":36.5}\n{\"camera\":\"A\",\n{\"camera\":\"B\",\"temperature\":36.5}\n";
        let error = read_text(open).unwrap_err().to_string();
        assert!(
            error.contains("line 2: expected one JSON object per line"),
            "{error}"
        );
        let cut = "{\"camera\":\"A\",\n \"temperature\": 36.5\n";
        let error = read_text(cut).unwrap_err().to_string();
        assert!(
            error.contains("line 1: expected one JSON object per line"),
            "{error}"
        );
        // An array of events, and an array holding something else.
        let array = "[\n{\"camera\": \"A\", \"temperature\": 36.5},\n{\"camera\": \"B\", \"temperature\": 36.7}\n]\n";
        assert_eq!(read_text(array).unwrap().1.events, 2);
        let error = read_text("[{\"camera\": \"A\", \"temperature\": 36.5}, 7]\n").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("item 2 of the array is not an object but a number"),
            "{error}"
        );
        // Without a boundary first, a line that is not JSON is refused.
        let error =
            read_text("{\"camera\":\"A\",\"temperature\":36.5}\nContent-Type: x\n").unwrap_err();
        assert!(error.to_string().contains("line 2"), "{error}");
    }
}
