//! Events given column by column, as an Arrow record batch holds them (one
//! array per field, the camera names dictionary-encoded): the path of the
//! Python package's `fevercheck.fleet.partial` and so of Spark's and Dask's
//! partitions. Each column is a plain slice, a missing value written as the
//! column's sentinel (NaN, or −1 for small integers), so no Arrow library
//! is needed here and the accumulation runs at the state's own speed: a
//! dictionary index picks the camera's state, no name is looked up per
//! event.
//!
//! The values mean what the log readers' cells mean ([`crate::log`]): the
//! same units, the same camera name (`site/camera` where a site is given),
//! and an event without a reported temperature is left out and counted.

use std::collections::HashMap;

use thiserror::Error;

use crate::event::{camera_name, Event};
use crate::fleet_state::FleetState;
use crate::log::Unit;
use crate::state::CameraState;

/// A missing hour or alarm flag.
pub const MISSING: i8 = -1;

/// A batch of events, column by column; every column given has one value
/// per event.
#[derive(Debug, Clone, Copy)]
pub struct EventColumns<'a> {
    /// The distinct camera names (an Arrow dictionary's values).
    pub camera_names: &'a [String],
    /// Per event, its camera's index in `camera_names` (negative: missing, refused).
    pub camera: &'a [i32],
    /// The distinct sites and, per event, its site's index (negative: none).
    pub sites: Option<(&'a [String], &'a [i32])>,
    /// Per event, the reported temperature in `unit`; NaN where the log has none.
    pub temperature: &'a [f64],
    /// The unit of `temperature` and `threshold`.
    pub unit: Unit,
    /// Per event, the hour of the day (0–23), or [`MISSING`].
    pub hour: Option<&'a [i8]>,
    /// Per event, the room temperature in `ambient_unit`; NaN where none.
    pub ambient: Option<&'a [f64]>,
    /// The unit of `ambient`.
    pub ambient_unit: Unit,
    /// Per event, 1 when the alarm was raised, 0 when not, or [`MISSING`].
    pub alarm: Option<&'a [i8]>,
    /// Per event, the alarm threshold in `unit`; NaN where none.
    pub threshold: Option<&'a [f64]>,
}

/// What a batch held besides its events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Events counted.
    pub events: u64,
    /// Events without a reported temperature, left out.
    pub without_temperature: u64,
}

/// A batch that cannot be read: which column, which event, and why.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BatchError {
    /// A column's length differs from the camera column's.
    #[error("column {column} has {found} values, the camera column {expected}")]
    Length {
        /// The column.
        column: &'static str,
        /// Its length.
        found: usize,
        /// The camera column's length.
        expected: usize,
    },
    /// A value no event can have.
    #[error("event {row}: {column} {message}")]
    Value {
        /// The column.
        column: &'static str,
        /// 0-based index of the event in the batch.
        row: usize,
        /// What was wrong.
        message: String,
    },
}

/// The state of the batch's cameras: `columns`' events counted as the log
/// readers count a log's.
pub fn accumulate(columns: &EventColumns<'_>) -> Result<(FleetState, BatchSummary), BatchError> {
    check_lengths(columns)?;
    let (names, slot_of_event) = camera_slots(columns)?;
    let mut states: Vec<CameraState> = vec![CameraState::default(); names.len()];
    let mut summary = BatchSummary::default();
    let mut event = Event::new(String::new(), f64::NAN);
    for (row, &slot) in slot_of_event.iter().enumerate() {
        let reading = columns.temperature[row];
        if reading.is_nan() {
            summary.without_temperature += 1;
            continue;
        }
        if !reading.is_finite() {
            return Err(value_error("temperature", row, "is infinite"));
        }
        event.temperature_c = columns.unit.celsius(reading);
        event.hour = small_value(columns.hour, row, "hour", 23)?;
        event.alarm = small_value(columns.alarm, row, "alarm", 1)?.map(|flag| flag == 1);
        event.ambient_c = columns
            .ambient
            .map(|a| a[row])
            .filter(|a| !a.is_nan())
            .map(|a| columns.ambient_unit.celsius(a));
        event.threshold_c = columns
            .threshold
            .map(|t| t[row])
            .filter(|t| !t.is_nan())
            .map(|t| columns.unit.celsius(t));
        states[slot].add(&event);
        summary.events += 1;
    }
    let mut fleet = FleetState::default();
    for (name, state) in names.into_iter().zip(states) {
        if state.events > 0 {
            fleet.merge(FleetState {
                cameras: [(name, state)].into(),
            });
        }
    }
    Ok((fleet, summary))
}

fn value_error(column: &'static str, row: usize, message: impl Into<String>) -> BatchError {
    BatchError::Value {
        column,
        row,
        message: message.into(),
    }
}

fn check_lengths(columns: &EventColumns<'_>) -> Result<(), BatchError> {
    let expected = columns.camera.len();
    let lengths = [
        ("temperature", Some(columns.temperature.len())),
        ("site", columns.sites.map(|(_, s)| s.len())),
        ("hour", columns.hour.map(<[i8]>::len)),
        ("ambient", columns.ambient.map(<[f64]>::len)),
        ("alarm", columns.alarm.map(<[i8]>::len)),
        ("threshold", columns.threshold.map(<[f64]>::len)),
    ];
    for (column, found) in lengths {
        if let Some(found) = found.filter(|found| *found != expected) {
            return Err(BatchError::Length {
                column,
                found,
                expected,
            });
        }
    }
    Ok(())
}

/// A small integer column's value at `row`: `None` when [`MISSING`], an
/// error outside `0..=highest`.
fn small_value(
    column: Option<&[i8]>,
    row: usize,
    name: &'static str,
    highest: i8,
) -> Result<Option<u8>, BatchError> {
    match column.map(|c| c[row]) {
        None | Some(MISSING) => Ok(None),
        Some(value) if (0..=highest).contains(&value) => Ok(Some(value as u8)),
        Some(value) => Err(value_error(
            name,
            row,
            format!("is {value}; expected 0–{highest}, or {MISSING} where the log has none"),
        )),
    }
}

/// Each camera's name (with its site, as the log readers name it) and,
/// per event, the index of its camera's state. Without sites the
/// dictionary index is the slot; with them, each (site, camera) pair met
/// gets one.
fn camera_slots(columns: &EventColumns<'_>) -> Result<(Vec<String>, Vec<usize>), BatchError> {
    let dictionary = |index: i32, row: usize, column: &'static str, names: &[String]| {
        if index < 0 {
            return Err(value_error(column, row, "is missing"));
        }
        usize::try_from(index)
            .ok()
            .filter(|i| *i < names.len())
            .ok_or_else(|| {
                value_error(
                    column,
                    row,
                    format!(
                        "index {index} is outside its dictionary of {} names",
                        names.len()
                    ),
                )
            })
    };
    let name_of = |camera: usize, site: Option<&str>, row: usize| {
        camera_name(site, &columns.camera_names[camera])
            .ok_or_else(|| value_error("camera", row, "is empty"))
    };
    let mut names = Vec::new();
    let mut slots = Vec::with_capacity(columns.camera.len());
    match columns.sites {
        None => {
            let mut slot_of_camera: Vec<Option<usize>> = vec![None; columns.camera_names.len()];
            for (row, &index) in columns.camera.iter().enumerate() {
                let camera = dictionary(index, row, "camera", columns.camera_names)?;
                let slot = match slot_of_camera[camera] {
                    Some(slot) => slot,
                    None => {
                        names.push(name_of(camera, None, row)?);
                        slot_of_camera[camera] = Some(names.len() - 1);
                        names.len() - 1
                    }
                };
                slots.push(slot);
            }
        }
        Some((site_names, site_of_event)) => {
            let mut slot_of_pair: HashMap<(usize, Option<usize>), usize> = HashMap::new();
            for (row, (&index, &site)) in columns.camera.iter().zip(site_of_event).enumerate() {
                let camera = dictionary(index, row, "camera", columns.camera_names)?;
                let site = match site {
                    s if s < 0 => None,
                    s => Some(dictionary(s, row, "site", site_names)?),
                };
                let slot = match slot_of_pair.get(&(camera, site)) {
                    Some(slot) => *slot,
                    None => {
                        names.push(name_of(camera, site.map(|s| site_names[s].as_str()), row)?);
                        slot_of_pair.insert((camera, site), names.len() - 1);
                        names.len() - 1
                    }
                };
                slots.push(slot);
            }
        }
    }
    Ok((names, slots))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn columns<'a>(
        camera_names: &'a [String],
        camera: &'a [i32],
        temperature: &'a [f64],
    ) -> EventColumns<'a> {
        EventColumns {
            camera_names,
            camera,
            sites: None,
            temperature,
            unit: Unit::Celsius,
            hour: None,
            ambient: None,
            ambient_unit: Unit::Celsius,
            alarm: None,
            threshold: None,
        }
    }

    #[test]
    fn columns_count_as_the_same_events_one_by_one() {
        let cameras = names(&["gate-1", "gate-2"]);
        let camera = [0, 1, 0, 0, 1];
        let temperature = [97.9, 98.6, f64::NAN, 99.5, 100.4];
        let hour = [9, MISSING, 10, 23, 0];
        let ambient = [20.0, f64::NAN, 21.0, 22.5, 19.0];
        let alarm = [0, 1, MISSING, 0, 1];
        let threshold = [100.4, 100.4, f64::NAN, f64::NAN, 99.5];
        let batch = EventColumns {
            unit: Unit::Fahrenheit,
            hour: Some(&hour),
            ambient: Some(&ambient),
            alarm: Some(&alarm),
            threshold: Some(&threshold),
            ..columns(&cameras, &camera, &temperature)
        };
        let (fleet, summary) = accumulate(&batch).unwrap();
        assert_eq!(
            summary,
            BatchSummary {
                events: 4,
                without_temperature: 1
            }
        );
        let mut expected = FleetState::default();
        for row in [0, 1, 3, 4] {
            expected.add(&Event {
                camera: cameras[camera[row] as usize].clone(),
                hour: u8::try_from(hour[row]).ok(),
                temperature_c: (temperature[row] - 32.0) / 1.8,
                ambient_c: Some(ambient[row]).filter(|a| !a.is_nan()),
                alarm: u8::try_from(alarm[row]).ok().map(|a| a == 1),
                threshold_c: Some(threshold[row])
                    .filter(|t| !t.is_nan())
                    .map(|t| (t - 32.0) / 1.8),
            });
        }
        assert_eq!(fleet, expected);
        // 98.6 °F = 37.00 °C: bin 700 of gate-2.
        assert_eq!(fleet.cameras["gate-2"].histogram[700], 1);
    }

    #[test]
    fn sites_prefix_camera_names_as_the_log_readers_do() {
        let cameras = names(&["gate-1", " \"gate-2\" "]);
        let sites = names(&["LHR", ""]);
        let camera = [0, 0, 1, 1, 0];
        let site = [0, -1, 0, 1, 0];
        let temperature = [36.5, 36.6, 36.7, 36.8, 36.9];
        let batch = EventColumns {
            sites: Some((&sites, &site)),
            ..columns(&cameras, &camera, &temperature)
        };
        let (fleet, _) = accumulate(&batch).unwrap();
        let counts: Vec<(&str, u64)> = fleet
            .cameras
            .iter()
            .map(|(name, state)| (name.as_str(), state.events))
            .collect();
        assert_eq!(
            counts,
            [
                ("LHR/gate-1", 2),
                ("LHR/gate-2", 1),
                ("gate-1", 1),
                ("gate-2", 1)
            ]
        );
    }

    #[test]
    fn bad_columns_are_refused_with_the_column_and_the_event() {
        let cameras = names(&["gate-1", "  "]);
        let temperature = [36.5, 36.6];
        let short = [36.5];
        let error = accumulate(&columns(&cameras, &[0, 0], &short)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "column temperature has 1 values, the camera column 2"
        );
        let error = accumulate(&columns(&cameras, &[0, 2], &temperature)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "event 1: camera index 2 is outside its dictionary of 2 names"
        );
        let error = accumulate(&columns(&cameras, &[0, 1], &temperature)).unwrap_err();
        assert_eq!(error.to_string(), "event 1: camera is empty");
        let error = accumulate(&columns(&cameras, &[-1, 0], &temperature)).unwrap_err();
        assert_eq!(error.to_string(), "event 0: camera is missing");
        let hour = [3, 24];
        let batch = EventColumns {
            hour: Some(&hour),
            ..columns(&cameras, &[0, 0], &temperature)
        };
        assert_eq!(
            accumulate(&batch).unwrap_err().to_string(),
            "event 1: hour is 24; expected 0–23, or -1 where the log has none"
        );
        let infinite = [36.5, f64::INFINITY];
        let error = accumulate(&columns(&cameras, &[0, 0], &infinite)).unwrap_err();
        assert_eq!(error.to_string(), "event 1: temperature is infinite");
    }
}
