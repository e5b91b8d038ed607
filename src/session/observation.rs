//! One observation of a session: what the reference said and what the device
//! said about the same target at the same moment.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

/// One row of `readings.csv` (or of a named-column table), converted to °C.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// 1-based line of the input file this observation came from.
    pub line: u64,
    /// Reference temperature of the target, °C.
    pub reference_c: f64,
    /// Temperature the device displayed or logged, °C, when the row has one.
    pub reported_c: Option<f64>,
    /// Blackbody set-point, °C, when the reference is a separate thermometer.
    pub setpoint_c: Option<f64>,
    /// Path of a radiometric frame, relative to the session folder.
    pub frame: Option<String>,
    /// When the observation was taken.
    pub time: Option<DateTime<FixedOffset>>,
    /// Sweep label (`up`, `down`, `random`, ...).
    pub sweep: Option<String>,
    /// Subject or target id.
    pub subject: Option<String>,
}

impl Observation {
    /// An observation with only a reference and a reported value.
    pub fn new(line: u64, reference_c: f64, reported_c: Option<f64>) -> Self {
        Observation {
            line,
            reference_c,
            reported_c,
            setpoint_c: None,
            frame: None,
            time: None,
            sweep: None,
            subject: None,
        }
    }

    /// The temperature that identifies this observation's step: the set-point
    /// when there is one, otherwise the reference.
    pub fn step_key_c(&self) -> f64 {
        self.setpoint_c.unwrap_or(self.reference_c)
    }
}

/// Parses an ISO 8601 timestamp: RFC 3339 with an offset, or a date and time
/// without one (`2026-03-01T09:30:00`, `2026-03-01 09:30:00.5`), read as UTC.
pub fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time);
    }
    const NAIVE_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"];
    NAIVE_FORMATS.iter().find_map(|format| {
        NaiveDateTime::parse_from_str(text, format)
            .ok()
            .map(|naive| Utc.from_utc_datetime(&naive).fixed_offset())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_and_without_offset_parse() {
        let with_offset = parse_timestamp("2026-03-01T09:30:00+01:00").unwrap();
        let naive = parse_timestamp("2026-03-01 08:30:00").unwrap();
        assert_eq!(with_offset.timestamp(), naive.timestamp());
        assert!(parse_timestamp("2026-03-01T08:30:00.250").is_some());
        assert!(parse_timestamp("yesterday").is_none());
        assert!(parse_timestamp("2026-13-01T08:30:00").is_none());
    }
}
