//! Hikvision's event notifications in XML: ISAPI `EventNotificationAlert`
//! documents, one per event — a file of one, many concatenated, or an alert
//! stream saved as it came (multipart boundaries and part headers between
//! the documents are passed over). The envelope Hikvision documents
//! (Device Network SDK developer guides, "EventNotificationAlert message
//! with alarm/event information in XML format") names the device
//! (`ipAddress`, `macAddress`, `channelID`) and the time (`dateTime`,
//! ISO 8601 with its offset); the event's own elements follow, nested by
//! event type.
//!
//! Each alert's leaf elements, at any depth, are its cells, looked up by the
//! names a log's columns have (`currTemperature`, `isAbnomalTemperature`,
//! `alarmTemperature`, `dateTime` …; first in document order wins); a
//! `thermometryUnit` element (`celsius`, `fahrenheit`, `kelvin`) gives the
//! unit of its temperatures. The camera is an element named as a log's
//! camera column (`deviceID` …), else the alert's `deviceName` or
//! `serialNumber`, else its MAC or IP address, with its `channelID` where
//! one is given (`10.0.0.7 channel 2`): an NVR reports many cameras
//! ([`super::leaves`]). An alert without a current temperature (a motion
//! event in the same stream) is left out and counted.
//!
//! No real export has been checked against this reader yet: its tests build
//! alerts from the documented envelope.

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;

use super::columns::normalised;
use super::event_cells::LineEvent;
use super::leaves::{event_of_leaves, Leaf};
use super::{FileSummary, LogOptions};
use crate::fleet_state::FleetState;
use fevercheck_io::error::{Error, Location, Result};

/// The element each event is.
const ALERT: &str = "eventnotificationalert";

/// Reads the XML event file `path` from `reader`.
pub(super) fn read(
    path: &Path,
    reader: impl BufRead,
    options: LogOptions,
) -> Result<(FleetState, FileSummary)> {
    let mut xml = Reader::from_reader(reader);
    let mut buffer = Vec::new();
    let mut fleet = FleetState::default();
    let mut summary = FileSummary::default();
    let mut line = 1u64;
    // Inside an alert: the line it began on, the open elements below it
    // (name, line, whether a child element opened) and the leaves so far.
    let mut alert: Option<u64> = None;
    let mut open: Vec<(String, u64, bool)> = Vec::new();
    let mut text = String::new();
    let mut leaves: Vec<Leaf> = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buffer).map_err(|e| {
            Error::invalid(
                Location::byte(path, xml.error_position(), None),
                format!("expected Hikvision event notifications in XML: {e}"),
            )
        })?;
        let starts_on = line;
        line += event.bytes().filter(|b| *b == b'\n').count() as u64;
        match event {
            XmlEvent::Start(element) => {
                let name = element.local_name().as_ref().to_string();
                match alert {
                    None if normalised(&name) == ALERT => {
                        alert = Some(starts_on);
                        leaves.clear();
                    }
                    None => {}
                    Some(_) => {
                        if let Some(parent) = open.last_mut() {
                            parent.2 = true;
                        }
                        open.push((name, starts_on, false));
                        text.clear();
                    }
                }
            }
            XmlEvent::Empty(element) if alert.is_some() => {
                if let Some(parent) = open.last_mut() {
                    parent.2 = true;
                }
                leaves.push(Leaf {
                    key: element.local_name().as_ref().to_string(),
                    text: String::new(),
                    line: starts_on,
                    column: None,
                });
            }
            XmlEvent::Text(content) if alert.is_some() => text.push_str(&content.xml10_content()),
            XmlEvent::CData(content) if alert.is_some() => text.push_str(&content.into_inner()),
            XmlEvent::GeneralRef(reference) if alert.is_some() => {
                text.push_str(&resolved(&reference, path, starts_on)?)
            }
            XmlEvent::End(_) if alert.is_some() => match open.pop() {
                Some((name, opened_on, has_children)) => {
                    if !has_children {
                        leaves.push(Leaf {
                            key: name,
                            text: text.trim().to_string(),
                            line: opened_on,
                            column: None,
                        });
                    }
                    text.clear();
                }
                None => {
                    let began_on = alert.take().unwrap_or(starts_on);
                    match event_of_leaves(&leaves, path, began_on, options)? {
                        LineEvent::Event(event) => {
                            fleet.add(&event);
                            summary.events += 1;
                        }
                        LineEvent::WithoutTemperature => summary.without_temperature += 1,
                    }
                }
            },
            XmlEvent::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if let Some(began_on) = alert {
        return Err(Error::invalid(
            Location::line(path, began_on),
            "the file ends inside this EventNotificationAlert: expected its closing tag",
        ));
    }
    if summary.events == 0 && summary.without_temperature == 0 {
        return Err(Error::invalid(
            Location::file(path),
            "expected Hikvision event notifications (<EventNotificationAlert> elements); the file holds none",
        ));
    }
    Ok((fleet, summary))
}

/// The text an entity or character reference stands for.
fn resolved(reference: &quick_xml::events::BytesRef<'_>, path: &Path, line: u64) -> Result<String> {
    let unknown = || {
        Error::invalid(
            Location::line(path, line),
            format!(
                "unknown reference &{};",
                fevercheck_io::escape::terminal::inline(reference)
            ),
        )
    };
    if let Some(character) = reference.resolve_char_ref().map_err(|_| unknown())? {
        return Ok(character.to_string());
    }
    let text = match &**reference {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return Err(unknown()),
    };
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;

    /// One thermometry alert in the documented envelope; `inner` is the
    /// event's own part.
    fn alert(ip: &str, channel: u32, time: &str, inner: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <EventNotificationAlert version=\"2.0\" xmlns=\"http://www.isapi.org/ver20/XMLSchema\">\n\
             <ipAddress>{ip}</ipAddress>\n<portNo>80</portNo>\n<protocol>HTTP</protocol>\n\
             <macAddress>44:19:b6:00:00:01</macAddress>\n<channelID>{channel}</channelID>\n\
             <dateTime>{time}</dateTime>\n<activePostCount>1</activePostCount>\n\
             <eventType>TMA</eventType>\n<eventState>active</eventState>\n\
             <eventDescription>Temperature Measurement Alarm</eventDescription>\n{inner}\n\
             </EventNotificationAlert>\n"
        )
    }

    fn read_text(text: &str) -> Result<(FleetState, FileSummary)> {
        read(
            Path::new("alerts.xml"),
            std::io::Cursor::new(text.as_bytes().to_vec()),
            LogOptions::default(),
        )
    }

    #[test]
    fn alerts_are_read_as_the_same_events_in_a_log() {
        let stream = [
            alert(
                "10.0.0.7",
                2,
                "2021-03-04T09:15:00+08:00",
                "<Thermometry><currTemperature>36.6</currTemperature>\
                 <isAbnomalTemperature>false</isAbnomalTemperature>\
                 <alarmTemperature>37.3</alarmTemperature>\
                 <thermometryUnit>celsius</thermometryUnit></Thermometry>",
            ),
            // Between alerts, a multipart boundary and part headers.
            "--MIME_boundary\r\nContent-Type: application/xml; charset=\"UTF-8\"\r\nContent-Length: 512\r\n\r\n".to_string(),
            alert(
                "10.0.0.7",
                2,
                "2021-03-04T23:59:59+08:00",
                "<Thermometry><currTemperature>100.4</currTemperature>\
                 <isAbnomalTemperature>true</isAbnomalTemperature>\
                 <thermometryUnit>fahrenheit</thermometryUnit></Thermometry>",
            ),
            alert(
                "10.0.0.8",
                1,
                "2021-03-05T07:00:00Z",
                "<Face><name>A &amp; B</name><currTemperature>309.75</currTemperature>\
                 <thermometryUnit>kelvin</thermometryUnit></Face>",
            ),
            // A motion alert in the same stream: no temperature.
            alert("10.0.0.8", 1, "2021-03-05T07:01:00Z", "<DetectionRegionList/>"),
        ]
        .concat();
        let (fleet, summary) = read_text(&stream).unwrap();
        assert_eq!((summary.events, summary.without_temperature), (3, 1));
        let mut expected = FleetState::default();
        expected.add(&Event {
            camera: "44:19:b6:00:00:01 channel 2".into(),
            hour: Some(9),
            temperature_c: 36.6,
            ambient_c: None,
            alarm: Some(false),
            threshold_c: Some(37.3),
        });
        expected.add(&Event {
            camera: "44:19:b6:00:00:01 channel 2".into(),
            hour: Some(23),
            temperature_c: 38.0,
            ambient_c: None,
            alarm: Some(true),
            threshold_c: None,
        });
        expected.add(&Event {
            camera: "44:19:b6:00:00:01 channel 1".into(),
            hour: Some(7),
            temperature_c: 36.6,
            ambient_c: None,
            alarm: None,
            threshold_c: None,
        });
        assert_eq!(fleet, expected);
    }

    #[test]
    fn bad_alerts_are_refused_with_their_line() {
        let bad_reading = alert(
            "10.0.0.7",
            1,
            "2021-03-04T09:15:00Z",
            "<currTemperature>warm</currTemperature>",
        );
        let error = read_text(&bad_reading).unwrap_err().to_string();
        assert!(
            error.contains("alerts.xml, line 13") && error.contains("\"warm\""),
            "{error}"
        );
        let unit = alert(
            "10.0.0.7",
            1,
            "2021-03-04T09:15:00Z",
            "<currTemperature>36.5</currTemperature>\n<thermometryUnit>rankine</thermometryUnit>",
        );
        let error = read_text(&unit).unwrap_err().to_string();
        assert!(
            error.contains("line 14") && error.contains("rankine"),
            "{error}"
        );
        let cut = bad_reading
            .trim_end()
            .trim_end_matches("</EventNotificationAlert>");
        let error = read_text(cut).unwrap_err().to_string();
        assert!(
            error.contains("line 2") && error.contains("ends inside"),
            "{error}"
        );
        let none = "<?xml version=\"1.0\"?><Other><a>1</a></Other>";
        let error = read_text(none).unwrap_err().to_string();
        assert!(error.contains("holds none"), "{error}");
        let broken = "<EventNotificationAlert><a>1</b></EventNotificationAlert>";
        let error = read_text(broken).unwrap_err().to_string();
        assert!(error.contains("byte"), "{error}");
    }
}
