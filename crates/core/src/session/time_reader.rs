//! Reading the times of a session's files: ISO 8601 by default, or any
//! strftime layout given as `[time] format` (a European spreadsheet writes
//! `01.03.2026 09:00:00`); a time without an offset is in `[time] zone` —
//! a fixed offset (`+01:00`) or an IANA name (`Europe/Brussels`, daylight
//! saving included, from the tz database of the `chrono-tz` crate).
//!
//! fevercheck never guesses between day-first and month-first: without a
//! format only ISO 8601 (year first) is read. A time without an offset while
//! no zone is declared is read as UTC, and the session says so in a warning:
//! two logs in different zones would otherwise pair the wrong readings.

use std::str::FromStr;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::csv_table::CsvTable;
use super::time_layouts::layout_hint;
use crate::model::TimeSettings;
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::escape::terminal::quoted;

/// ISO 8601 layouts without an offset read when no format is given.
const ISO_LAYOUTS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"];

/// Where a time without an offset is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    Fixed(FixedOffset),
    Named(Tz),
}

/// How a session's times are read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeReader {
    format: Option<String>,
    zone: Option<Zone>,
}

/// Why a text is not a time.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeProblem {
    /// It does not fit the layout.
    Layout,
    /// The local time does not exist in the zone (skipped by the change to
    /// daylight saving time).
    Skipped(String),
}

/// A time read, and whether it carried its own offset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadTime {
    /// The instant.
    pub time: DateTime<FixedOffset>,
    /// True when neither the text nor session.toml gave a zone (read as UTC).
    pub assumed_utc: bool,
}

impl TimeReader {
    /// The reader `[time]` describes; an unknown zone or a layout chrono
    /// cannot use is an error naming the key.
    pub fn new(settings: &TimeSettings, manifest: &std::path::Path) -> Result<TimeReader> {
        TimeReader::checked(settings, |key, value, expected| {
            Error::invalid(
                Location::file(manifest),
                format!("`time.{key}` = \"{value}\" is not usable; expected {expected}"),
            )
        })
    }

    /// Checks the command line's `--time-format` and `--time-zone`, blaming
    /// the option, not session.toml, for a value that cannot be used.
    pub fn check_options(settings: &TimeSettings) -> Result<()> {
        TimeReader::checked(settings, |key, value, expected| {
            let option = if key == "zone" {
                "--time-zone"
            } else {
                "--time-format"
            };
            Error::parameter(
                option,
                format!("\"{value}\" is not usable; expected {expected}"),
            )
        })
        .map(|_| ())
    }

    /// The reader of `settings`; `bad(key, value, expected)` makes the
    /// error of a value that cannot be used.
    fn checked(
        settings: &TimeSettings,
        bad: impl Fn(&str, &str, &str) -> Error,
    ) -> Result<TimeReader> {
        if let Some(format) = &settings.format {
            let broken = StrftimeItems::new(format).any(|item| matches!(item, Item::Error));
            if broken || format.is_empty() {
                return Err(bad(
                    "format",
                    format,
                    "a strftime layout such as \"%d.%m.%Y %H:%M:%S\"",
                ));
            }
        }
        let zone = match &settings.zone {
            None => None,
            Some(text) => Some(parse_zone(text).ok_or_else(|| {
                bad(
                    "zone",
                    text,
                    "an offset such as \"+01:00\" or an IANA zone such as \"Europe/Brussels\"",
                )
            })?),
        };
        Ok(TimeReader {
            format: settings.format.clone(),
            zone,
        })
    }

    /// What the layout is, for messages.
    pub fn expected(&self) -> String {
        match &self.format {
            Some(format) => format!("a time in the layout \"{format}\" ([time] format)"),
            None => "ISO 8601 such as 2026-03-01T09:30:00Z (or declare [time] format in session.toml, or --time-format)".to_string(),
        }
    }

    /// Reads `text` as a time.
    pub fn read(&self, text: &str) -> std::result::Result<ReadTime, TimeProblem> {
        let text = text.trim();
        let written = |time| ReadTime {
            time,
            assumed_utc: false,
        };
        let naive = match &self.format {
            Some(format) => {
                if let Ok(time) = DateTime::parse_from_str(text, format) {
                    return Ok(written(time));
                }
                NaiveDateTime::parse_from_str(text, format).map_err(|_| TimeProblem::Layout)?
            }
            None => match plain_seconds(text) {
                Some((time, true)) => {
                    return Ok(written(Utc.from_utc_datetime(&time).fixed_offset()));
                }
                Some((naive, false)) => naive,
                None => {
                    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
                        return Ok(written(time));
                    }
                    ISO_LAYOUTS
                        .iter()
                        .find_map(|layout| NaiveDateTime::parse_from_str(text, layout).ok())
                        .ok_or(TimeProblem::Layout)?
                }
            },
        };
        let local = |result: LocalResult<DateTime<FixedOffset>>| match result {
            // In the hour repeated when daylight saving ends, the earlier.
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(written(t)),
            LocalResult::None => Err(TimeProblem::Skipped(text.to_string())),
        };
        match self.zone {
            None => Ok(ReadTime {
                time: Utc.from_utc_datetime(&naive).fixed_offset(),
                assumed_utc: true,
            }),
            Some(Zone::Fixed(offset)) => local(offset.from_local_datetime(&naive)),
            Some(Zone::Named(tz)) => {
                local(tz.from_local_datetime(&naive).map(|t| t.fixed_offset()))
            }
        }
    }
}

/// The date and time of `text` when it is written exactly
/// `YYYY-MM-DDTHH:MM:SSZ` (then `true`: in UTC, as RFC 3339 reads it) or
/// `YYYY-MM-DDTHH:MM:SS` / `YYYY-MM-DD HH:MM:SS` without an offset (then
/// `false`, as the ISO layouts read it) — what loggers and fevercheck's
/// simulator write, read a million times in a long log. `None` for any
/// other text (a leap second, an impossible date, a fraction, an offset,
/// another layout), which the full parsers then read or refuse.
fn plain_seconds(text: &str) -> Option<(NaiveDateTime, bool)> {
    let bytes = text.as_bytes();
    let zulu = match (bytes.len(), bytes.get(10)) {
        (20, Some(b'T')) if bytes[19] == b'Z' => true,
        (19, Some(b'T' | b' ')) => false,
        _ => return None,
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators
        .iter()
        .any(|&(at, separator)| bytes[at] != separator)
    {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        bytes[from..to].iter().try_fold(0u32, |value, &digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?;
    let time = date.and_hms_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?)?;
    Some((time, zulu))
}

/// Parses an ISO 8601 timestamp: RFC 3339 with an offset, or a date and time
/// without one (`2026-03-01T09:30:00`, `2026-03-01 09:30:00.5`), read as UTC.
pub fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    TimeReader::default().read(text).ok().map(|read| read.time)
}

/// The time in a cell of `table`; `None` when empty or marked missing; an error naming the
/// cell and the layout expected otherwise.
pub(super) fn time_cell(
    table: &CsvTable,
    line: u64,
    column: usize,
    text: &str,
    times: &TimeReader,
) -> Result<Option<ReadTime>> {
    if super::cells::is_missing(text) {
        return Ok(None);
    }
    match times.read(text.trim()) {
        Ok(read) => Ok(Some(read)),
        Err(TimeProblem::Layout) => Err(Error::invalid(
            table.cell_location(line, column),
            format!(
                "{} is not a time; expected {}{}",
                quoted(text),
                times.expected(),
                layout_hint(text)
            ),
        )),
        Err(TimeProblem::Skipped(_)) => Err(Error::invalid(
            table.cell_location(line, column),
            format!(
                "{} does not exist in the declared [time] zone: the clocks skipped it \
                 when daylight saving time began",
                quoted(text)
            ),
        )),
    }
}

/// The warning for `count` times of `path` read as UTC for want of a zone.
pub(super) fn assumed_utc_warning(path: &std::path::Path, count: usize) -> Option<String> {
    (count > 0).then(|| {
        format!(
            "{}: {count} time(s) without an offset were read as UTC; if they are local times, \
             declare their zone in session.toml (`[time] zone = \"Europe/Brussels\"` or \
             \"+01:00\")",
            path.display()
        )
    })
}

/// `+01:00`, `-0500`, `Z`, `UTC`, or an IANA name.
fn parse_zone(text: &str) -> Option<Zone> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0).map(Zone::Fixed);
    }
    if let Some(sign) = text.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let hours: i32 = digits[..2].parse().ok()?;
        let minutes: i32 = digits[2..].parse().ok()?;
        let seconds = (hours * 60 + minutes) * 60 * if sign == '-' { -1 } else { 1 };
        return FixedOffset::east_opt(seconds).map(Zone::Fixed);
    }
    Tz::from_str(text).ok().map(Zone::Named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_reading_of_utc_seconds_agrees_with_rfc_3339() {
        let texts = [
            "2026-01-05T09:00:00Z",
            "1999-12-31T23:59:59Z",
            "2024-02-29T12:00:00Z",
            "2026-02-29T12:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-05T24:00:00Z",
            "2026-01-05T09:60:00Z",
            "2016-12-31T23:59:60Z",
            "2026-01-05t09:00:00Z",
            "2026-01-05T09:00:00z",
            "2026-01-05 09:00:00Z",
            "2026-01-05T09:00:0aZ",
            "+026-01-05T09:00:00Z",
            "2026-01-05T09:00:00+01:00",
            "2026-01-05T09:00:00.5Z",
            "0000-01-01T00:00:00Z",
        ];
        for text in texts {
            let fast = plain_seconds(text)
                .filter(|&(_, zulu)| zulu)
                .map(|(time, _)| Utc.from_utc_datetime(&time).fixed_offset());
            let full = DateTime::parse_from_rfc3339(text).ok();
            // The fast path reads a text only as RFC 3339 does, and leaves
            // the rest (leap second, fractions, offsets) to it.
            if let Some(time) = fast {
                assert_eq!(Some(time), full, "{text}");
            }
            // And the reader, fast path first, reads what RFC 3339 reads.
            let read = TimeReader::default().read(text).ok().map(|r| r.time);
            if full.is_some() {
                assert_eq!(read, full, "{text}");
            }
        }
        assert!(plain_seconds("2026-01-05T09:00:00Z").is_some());
        assert!(plain_seconds("2016-12-31T23:59:60Z").is_none());
    }

    #[test]
    fn the_fast_reading_of_times_without_offset_agrees_with_the_iso_layouts() {
        let texts = [
            "2026-01-05T09:00:00",
            "2026-01-05 09:00:00",
            "1999-12-31 23:59:59",
            "2024-02-29T12:00:00",
            "2026-02-29T12:00:00",
            "2026-13-01 00:00:00",
            "2026-01-05T24:00:00",
            "2016-12-31T23:59:60",
            "2016-12-31 23:59:60",
            "2026-01-05t09:00:00",
            "2026-01-05_09:00:00",
            "2026-01-05T09:00:0a",
            "+026-01-05T09:00:00",
            "2026-01-05T09:00:00.5",
            "0000-01-01 00:00:00",
            "2026-1-5 9:00:00:00",
        ];
        let brussels = reader(None, Some("Europe/Brussels"));
        for text in texts {
            let full = ISO_LAYOUTS
                .iter()
                .find_map(|layout| NaiveDateTime::parse_from_str(text, layout).ok());
            if let Some((time, zulu)) = plain_seconds(text) {
                assert!(!zulu, "{text}");
                assert_eq!(Some(time), full, "{text}");
            }
            // The reader, fast path first, reads what the layouts read: as
            // UTC (saying so) without a zone, in the zone with one.
            let read = TimeReader::default().read(text).ok();
            assert_eq!(
                read.map(|r| (r.time, r.assumed_utc)),
                full.map(|t| (Utc.from_utc_datetime(&t).fixed_offset(), true)),
                "{text}"
            );
            let local = full.and_then(|t| {
                let tz: Tz = "Europe/Brussels".parse().unwrap();
                tz.from_local_datetime(&t)
                    .earliest()
                    .map(|t| t.fixed_offset())
            });
            assert_eq!(brussels.read(text).ok().map(|r| r.time), local, "{text}");
        }
        assert!(plain_seconds("2026-01-05 09:00:00").is_some());
        assert!(plain_seconds("2016-12-31T23:59:60").is_none());
    }

    fn reader(format: Option<&str>, zone: Option<&str>) -> TimeReader {
        let settings = TimeSettings {
            format: format.map(str::to_string),
            zone: zone.map(str::to_string),
        };
        TimeReader::new(&settings, std::path::Path::new("session.toml")).unwrap()
    }

    fn utc(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn timestamps_with_and_without_offset_parse() {
        let with_offset = parse_timestamp("2026-03-01T09:30:00+01:00").unwrap();
        let naive = parse_timestamp("2026-03-01 08:30:00").unwrap();
        assert_eq!(with_offset.timestamp(), naive.timestamp());
        assert!(parse_timestamp("2026-03-01T08:30:00.250").is_some());
        assert!(parse_timestamp("yesterday").is_none());
        assert!(parse_timestamp("2026-13-01T08:30:00").is_none());
    }

    #[test]
    fn iso_times_read_as_written_and_without_offset_as_utc() {
        let plain = reader(None, None);
        let t = plain.read("2026-03-01T09:00:00+01:00").unwrap();
        assert_eq!(t.time, utc("2026-03-01T08:00:00Z"));
        assert!(!t.assumed_utc);
        let t = plain.read("2026-03-01 09:00:00").unwrap();
        assert_eq!(t.time, utc("2026-03-01T09:00:00Z"));
        assert!(t.assumed_utc);
        // Day-first is never guessed.
        assert_eq!(plain.read("01.03.2026 09:00:00"), Err(TimeProblem::Layout));
    }

    #[test]
    fn a_declared_layout_and_zone_read_a_european_spreadsheet() {
        let brussels = reader(Some("%d.%m.%Y %H:%M:%S"), Some("Europe/Brussels"));
        // 1 March: CET, UTC+1.
        let t = brussels.read("01.03.2026 09:00:00").unwrap();
        assert_eq!(t.time, utc("2026-03-01T08:00:00Z"));
        assert!(!t.assumed_utc);
        // 1 July: CEST, UTC+2.
        assert_eq!(
            brussels.read("01.07.2026 09:00:00").unwrap().time,
            utc("2026-07-01T07:00:00Z")
        );
        // 29 March 2026, 02:30 does not exist in Brussels (clocks go from
        // 02:00 to 03:00).
        assert!(matches!(
            brussels.read("29.03.2026 02:30:00"),
            Err(TimeProblem::Skipped(_))
        ));
        let fixed = reader(Some("%d/%m/%Y %H:%M"), Some("-05:00"));
        assert_eq!(
            fixed.read("13/01/2026 10:15").unwrap().time,
            utc("2026-01-13T15:15:00Z")
        );
        // An offset in the layout wins over the zone.
        let with_offset = reader(Some("%d.%m.%Y %H:%M:%S %z"), Some("Europe/Brussels"));
        assert_eq!(
            with_offset.read("01.03.2026 09:00:00 +0000").unwrap().time,
            utc("2026-03-01T09:00:00Z")
        );
    }

    #[test]
    fn unusable_settings_are_errors_naming_the_key() {
        let path = std::path::Path::new("session.toml");
        let zone = TimeSettings {
            format: None,
            zone: Some("Europe/Brusels".into()),
        };
        let err = TimeReader::new(&zone, path).unwrap_err().to_string();
        assert!(
            err.contains("time.zone") && err.contains("Europe/Brusels"),
            "{err}"
        );
        let format = TimeSettings {
            format: Some("%d.%m.%Q".into()),
            zone: None,
        };
        let err = TimeReader::new(&format, path).unwrap_err().to_string();
        assert!(err.contains("time.format"), "{err}");
        assert_eq!(
            parse_zone("+0130"),
            FixedOffset::east_opt(5400).map(Zone::Fixed)
        );
        assert_eq!(parse_zone("+1"), None);
    }
}
