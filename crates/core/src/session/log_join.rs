//! Two logs joined by time: the reference's log (a blackbody controller's
//! or a thermometer's: time, measured reference, optionally the set-point)
//! and the device's own export (time, displayed temperature), named in
//! `session.toml` as `[reference] log` and `[device] log`.
//!
//! Each device reading is paired with the reference at its instant: linear
//! interpolation between the two reference samples around it, both at most
//! `[match] tolerance_s` away (a sample at the very instant is taken as it
//! is). A reading with no such samples is *unmatched*. With `[match]
//! settle_s`, a reading counts only if the reference moved less than
//! `stable_c` over the `settle_s` seconds before it (the samples in that
//! window and the interpolated values at both ends); otherwise it is
//! *excluded as unstable* — taken while the blackbody was still settling.
//! The counts are reported as `session.pairing`, and every pair is an
//! observation of the report (its line is the device log's line).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::cells::{missing_cells_warning, temperature};
use super::clock_offset::{estimate_offset, is_material};
use super::csv_table::CsvTable;
use super::elapsed::seconds_between;
use super::known_keys::edit_distance;
use super::observation::Observation;
use super::row_errors::RowErrors;
use super::time_reader::{assumed_utc_warning, time_cell, TimeReader};
use super::Manifest;
use crate::model::{ClockOffset, LogPairing};
use crate::units::TemperatureUnit;
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::escape::terminal::quoted;

/// Largest gap to the reference samples around a device reading when
/// session.toml gives none, seconds: blackbody controllers log every 1–10 s,
/// so 30 s is three or more samples.
pub(super) const DEFAULT_TOLERANCE_S: f64 = 30.0;

/// Largest movement of the reference over `settle_s` for a reading to count,
/// °C, when session.toml gives none: a blackbody settled within its ±0.05 °C
/// stability (IEC 80601-2-59 asks for ±0.1 °C of ETRS stability).
pub(super) const DEFAULT_STABLE_C: f64 = 0.05;

/// Reference-log names fevercheck knows.
const REFERENCE_NAMES: [&str; 4] = ["time", "reference_c", "reference_f", "setpoint_c"];
/// Device-log names fevercheck knows.
const DEVICE_NAMES: [&str; 3] = ["time", "reported_c", "reported_f"];

/// The observations of a session given as two logs, and how the join went.
#[derive(Debug, Clone)]
pub(super) struct JoinedLogs {
    /// One per paired device reading, in the device log's order.
    pub observations: Vec<Observation>,
    /// Paired, unstable and unmatched counts.
    pub pairing: LogPairing,
    /// Messages about readings left out.
    pub warnings: Vec<String>,
    /// Notes on how the logs were read (encodings, times read as UTC).
    pub notes: Vec<String>,
}

/// A reference sample with the instant it was logged.
type TimedSample = (DateTime<FixedOffset>, Sample);

/// One reference sample.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sample {
    /// Seconds since the reference log's first sample.
    pub(super) seconds: f64,
    /// The reference's value, °C.
    pub(super) reference_c: f64,
    /// The set-point logged with it, °C.
    pub(super) setpoint_c: Option<f64>,
}

/// The joined logs when session.toml names both; `None` when it names
/// neither; an error when it names one only.
pub(crate) fn join_logs(
    folder: &Path,
    manifest: &Manifest,
    rule: &mut super::paths::PathRule,
) -> Result<Option<JoinedLogs>> {
    let (reference_log, device_log) = match (&manifest.reference.log, &manifest.device.log) {
        (None, None) => return Ok(None),
        (Some(r), Some(d)) => (folder.join(r), folder.join(d)),
        (Some(_), None) | (None, Some(_)) => {
            return Err(Error::invalid(
                Location::file(&folder.join(super::MANIFEST_FILE)),
                "`[reference] log` and `[device] log` go together: name both files (the \
                 reference's log and the device's export) to join them by time",
            ))
        }
    };
    let manifest_path = folder.join(super::MANIFEST_FILE);
    for log in [&reference_log, &device_log] {
        rule.check(log, &Location::file(&manifest_path))?;
    }
    let matching = manifest.matching.clone().unwrap_or_default();
    let tolerance_s = matching.tolerance_s.unwrap_or(DEFAULT_TOLERANCE_S);
    let settle_s = matching.settle_s.unwrap_or(0.0);
    let stable_c = matching.stable_c.unwrap_or(DEFAULT_STABLE_C);
    let offset_s = matching.offset_s.unwrap_or(0.0);
    if !(offset_s.is_finite() && offset_s.abs() <= 86_400.0) {
        return Err(Error::invalid(
            Location::file(&manifest_path),
            format!(
                "`match.offset_s` = {offset_s} is not usable; expected the seconds the device's \
                 clock is ahead of the reference's (negative when behind), within a day"
            ),
        ));
    }
    for (key, value) in [
        ("match.tolerance_s", tolerance_s),
        ("match.settle_s", settle_s),
    ] {
        if !(value >= 0.0 && value.is_finite()) {
            return Err(Error::invalid(
                Location::file(&manifest_path),
                format!("`{key}` = {value} is not usable; expected seconds, 0 or more"),
            ));
        }
    }

    let times = TimeReader::new(&manifest.time, &manifest_path)?;
    let mut assumed_utc = 0;
    let reference = CsvTable::read(&reference_log, 1)?;
    let names = checked_names(
        &manifest.reference.columns,
        &REFERENCE_NAMES,
        "reference",
        &manifest_path,
    )?;
    let (samples, reference_utc, reference_missing) =
        reference_samples(&reference, &names, &times)?;
    let device = CsvTable::read(&device_log, 1)?;
    let names = checked_names(
        &manifest.device.columns,
        &DEVICE_NAMES,
        "device",
        &manifest_path,
    )?;
    let time = column(&device, &names, "time")?;
    let reported = temperature_column(&device, &names, "reported")?;

    let mut pairing = LogPairing {
        offset_applied_s: offset_s,
        ..LogPairing::default()
    };
    let mut observations = Vec::new();
    let mut unmatched_lines = Vec::new();
    let mut unstable_lines = Vec::new();
    let mut missing_lines = Vec::new();
    let mut timed_readings = Vec::new();
    let origin = samples.first().map(|s| s.0);
    let samples: Vec<Sample> = samples.into_iter().map(|s| s.1).collect();
    let mut errors = RowErrors::new(&device.path);
    for row in device.rows() {
        let read = errors.note(time_cell(&device, row.line, time, row.cell(time), &times));
        let shown = errors.note(temperature(
            &device,
            row.line,
            reported.0,
            row.cell(reported.0),
            reported.1,
        ));
        let (Some(read), Some(shown)) = (read, shown) else {
            continue;
        };
        let (Some(read), Some(shown)) = (read, shown) else {
            missing_lines.push(row.line);
            continue;
        };
        let when = read.time - chrono::Duration::milliseconds((offset_s * 1000.0).round() as i64);
        assumed_utc += usize::from(read.assumed_utc);
        let seconds = origin.map_or(0.0, |o| seconds_between(o, when));
        timed_readings.push((seconds, shown));
        let Some((reference_c, setpoint_c)) = interpolate(&samples, seconds, tolerance_s) else {
            pairing.unmatched += 1;
            unmatched_lines.push(row.line);
            continue;
        };
        if settle_s > 0.0 && !stable(&samples, seconds, settle_s, stable_c, tolerance_s) {
            pairing.excluded_unstable += 1;
            unstable_lines.push(row.line);
            continue;
        }
        pairing.paired += 1;
        let mut observation = Observation::new(row.line, reference_c, Some(shown));
        observation.setpoint_c = setpoint_c;
        observation.time = Some(when);
        observations.push(observation);
    }
    errors.finish()?;
    if observations.is_empty() {
        return Err(Error::Unusable {
            path: device_log,
            message: format!(
                "no device reading could be paired with the reference log {}: {} had no \
                 reference sample within {tolerance_s} s, {} came while the reference was \
                 settling; check that both logs cover the same period in the same time zone",
                reference_log.display(),
                pairing.unmatched,
                pairing.excluded_unstable
            ),
        });
    }
    let mut notes: Vec<String> = reference.reading_notes();
    notes.extend(device.reading_notes());
    notes.extend(
        [
            assumed_utc_warning(&reference_log, reference_utc),
            assumed_utc_warning(&device_log, assumed_utc),
        ]
        .into_iter()
        .flatten(),
    );
    let mut warnings: Vec<String> = [
        missing_cells_warning(&reference_log, &reference_missing),
        missing_cells_warning(&device_log, &missing_lines),
    ]
    .into_iter()
    .flatten()
    .collect();
    pairing.clock_offset = estimate_offset(&samples, &timed_readings, tolerance_s);
    if let Some(offset) = pairing.clock_offset.as_ref().filter(|o| is_material(o)) {
        warnings.push(offset_warning(
            &device_log,
            &reference_log,
            offset,
            offset_s,
        ));
    }
    let lines = |lines: &[u64]| {
        let shown: Vec<String> = lines.iter().take(10).map(u64::to_string).collect();
        let more = if lines.len() > 10 { ", …" } else { "" };
        format!("{}{more}", shown.join(", "))
    };
    if !unmatched_lines.is_empty() {
        warnings.push(format!(
            "{}: {} device reading(s) had no reference sample within {tolerance_s} s and were \
             left out (lines {})",
            device_log.display(),
            unmatched_lines.len(),
            lines(&unmatched_lines)
        ));
    }
    if !unstable_lines.is_empty() {
        warnings.push(format!(
            "{}: {} device reading(s) came while the reference moved {stable_c} °C or more over \
             the {settle_s} s before them and were left out (lines {})",
            device_log.display(),
            unstable_lines.len(),
            lines(&unstable_lines)
        ));
    }
    Ok(Some(JoinedLogs {
        observations,
        pairing,
        warnings,
        notes,
    }))
}

/// The warning for clocks found apart: by how much, and the key that
/// corrects it.
fn offset_warning(
    device_log: &Path,
    reference_log: &Path,
    offset: &ClockOffset,
    applied_s: f64,
) -> String {
    let direction = if offset.estimate_s > 0.0 {
        "ahead of"
    } else {
        "behind"
    };
    let already = if applied_s == 0.0 {
        String::new()
    } else {
        format!(" after the {applied_s} s of `[match] offset_s`")
    };
    let alternatives = if offset.alternatives_s.is_empty() {
        String::new()
    } else {
        let others: Vec<String> = offset
            .alternatives_s
            .iter()
            .map(|o| format!("{:.0} s", applied_s + o))
            .collect();
        format!(
            "; evenly timed steps line up as well at {} — check which one the clocks show",
            others.join(", ")
        )
    };
    format!(
        "{}: the device's clock appears {:.0} s {direction} the clock of {}{already} (the \
         reference's edges line up with the device's readings for offsets of {:.0} to {:.0} s); \
         readings near a change of set-point are paired with the wrong reference unless \
         session.toml's `[match] offset_s = {:.0}` says so{alternatives}",
        device_log.display(),
        offset.estimate_s.abs(),
        reference_log.display(),
        offset.low_s,
        offset.high_s,
        applied_s + offset.estimate_s
    )
}

/// The log's column names by fevercheck name: the user's mapping checked
/// against the names fevercheck knows (a typo is an error with the nearest
/// name), the fevercheck name itself otherwise.
fn checked_names(
    mapping: &BTreeMap<String, String>,
    known: &[&str],
    section: &str,
    manifest: &Path,
) -> Result<BTreeMap<String, String>> {
    for name in mapping.keys() {
        if !known.contains(&name.as_str()) {
            let nearest = known
                .iter()
                .min_by_key(|k| edit_distance(name, k))
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            return Err(Error::UnknownKeys {
                path: manifest.to_path_buf(),
                listing: format!(
                    "unknown column name {}{nearest} (known: {})",
                    quoted(&format!("{section}.columns.{name}")),
                    known.join(", ")
                ),
            });
        }
    }
    Ok(known
        .iter()
        .map(|k| {
            let written = mapping.get(*k).cloned().unwrap_or_else(|| k.to_string());
            (k.to_string(), written)
        })
        .collect())
}

/// The index of the column fevercheck calls `name`.
fn column(table: &CsvTable, names: &BTreeMap<String, String>, name: &str) -> Result<usize> {
    find(table, names, name).ok_or_else(|| missing(table, names, &[name]))
}

/// The index of a column, if the header has it.
fn find(table: &CsvTable, names: &BTreeMap<String, String>, name: &str) -> Option<usize> {
    let written = names.get(name).map_or(name, String::as_str);
    table.header.iter().position(|h| h == written)
}

/// The column `<stem>_c` or `<stem>_f`, with its unit.
fn temperature_column(
    table: &CsvTable,
    names: &BTreeMap<String, String>,
    stem: &str,
) -> Result<(usize, TemperatureUnit)> {
    let celsius = format!("{stem}_c");
    let fahrenheit = format!("{stem}_f");
    find(table, names, &celsius)
        .map(|i| (i, TemperatureUnit::Celsius))
        .or_else(|| find(table, names, &fahrenheit).map(|i| (i, TemperatureUnit::Fahrenheit)))
        .ok_or_else(|| missing(table, names, &[&celsius, &fahrenheit]))
}

/// The error for a header without the column(s) `wanted`.
fn missing(table: &CsvTable, names: &BTreeMap<String, String>, wanted: &[&str]) -> Error {
    let written: Vec<String> = wanted
        .iter()
        .map(|w| quoted(names.get(*w).map_or(*w, String::as_str)))
        .collect();
    Error::invalid(
        table.header_location(),
        format!(
            "no column {} in the header ({}); name this file's own columns in session.toml, \
             e.g. `[device.columns] time = \"Timestamp\"`",
            written.join(" or "),
            table.header.join(", ")
        ),
    )
}

/// The reference samples, sorted by time, each with its time; how many
/// times were read as UTC for want of a zone; and the lines left out for a
/// missing time or reference.
fn reference_samples(
    table: &CsvTable,
    names: &BTreeMap<String, String>,
    times: &TimeReader,
) -> Result<(Vec<TimedSample>, usize, Vec<u64>)> {
    let time = column(table, names, "time")?;
    let (value, unit) = temperature_column(table, names, "reference")?;
    let setpoint = find(table, names, "setpoint_c");
    let mut rows = Vec::new();
    let mut assumed_utc = 0;
    let mut missing_lines = Vec::new();
    let mut errors = RowErrors::new(&table.path);
    for row in table.rows() {
        let read = errors.note(time_cell(table, row.line, time, row.cell(time), times));
        let reference_c = errors.note(temperature(table, row.line, value, row.cell(value), unit));
        let setpoint_c = match setpoint {
            Some(i) => errors.note(temperature(
                table,
                row.line,
                i,
                row.cell(i),
                TemperatureUnit::Celsius,
            )),
            None => Some(None),
        };
        let (Some(read), Some(reference_c), Some(setpoint_c)) = (read, reference_c, setpoint_c)
        else {
            continue;
        };
        let (Some(read), Some(reference_c)) = (read, reference_c) else {
            missing_lines.push(row.line);
            continue;
        };
        assumed_utc += usize::from(read.assumed_utc);
        rows.push((read.time, reference_c, setpoint_c));
    }
    errors.finish()?;
    rows.sort_by_key(|r| r.0);
    let Some(origin) = rows.first().map(|r| r.0) else {
        return Err(Error::invalid(
            table.header_location(),
            "the reference log has no rows with a time and a reference value",
        ));
    };
    let samples = rows
        .into_iter()
        .map(|(when, reference_c, setpoint_c)| {
            let sample = Sample {
                seconds: seconds_between(origin, when),
                reference_c,
                setpoint_c,
            };
            (when, sample)
        })
        .collect();
    Ok((samples, assumed_utc, missing_lines))
}

/// The reference (and the nearest sample's set-point) at `seconds`: a sample
/// at that instant, else linear interpolation between the samples before
/// and after it when both are within `tolerance_s`.
pub(super) fn interpolate(
    samples: &[Sample],
    seconds: f64,
    tolerance_s: f64,
) -> Option<(f64, Option<f64>)> {
    let after = samples.partition_point(|s| s.seconds < seconds);
    if let Some(exact) = samples.get(after).filter(|s| s.seconds == seconds) {
        return Some((exact.reference_c, exact.setpoint_c));
    }
    let (before, next) = (samples.get(after.checked_sub(1)?)?, samples.get(after)?);
    if seconds - before.seconds > tolerance_s || next.seconds - seconds > tolerance_s {
        return None;
    }
    let fraction = (seconds - before.seconds) / (next.seconds - before.seconds);
    let value = before.reference_c + fraction * (next.reference_c - before.reference_c);
    let nearest = if fraction <= 0.5 { before } else { next };
    Some((value, nearest.setpoint_c))
}

/// Whether the reference moved less than `stable_c` over the `settle_s`
/// seconds before `seconds`: the samples inside the window and the values at
/// both ends. A window reaching before the log (or across a gap wider than
/// the tolerance) cannot show stability.
fn stable(
    samples: &[Sample],
    seconds: f64,
    settle_s: f64,
    stable_c: f64,
    tolerance_s: f64,
) -> bool {
    let start = seconds - settle_s;
    let (Some((at_start, _)), Some((at_end, _))) = (
        interpolate(samples, start, tolerance_s),
        interpolate(samples, seconds, tolerance_s),
    ) else {
        return false;
    };
    let inside = samples
        .iter()
        .filter(|s| s.seconds > start && s.seconds < seconds)
        .map(|s| s.reference_c);
    let (low, high) = inside
        .chain([at_start, at_end])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    high - low < stable_c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(points: &[(f64, f64)]) -> Vec<Sample> {
        points
            .iter()
            .map(|&(seconds, reference_c)| Sample {
                seconds,
                reference_c,
                setpoint_c: None,
            })
            .collect()
    }

    #[test]
    fn readings_between_samples_are_interpolated_within_the_tolerance() {
        let log = samples(&[(0.0, 36.0), (10.0, 37.0), (40.0, 37.0), (100.0, 38.0)]);
        // 2.5 s after 36.0 toward 37.0 ten seconds later: 36.25.
        assert!((interpolate(&log, 2.5, 30.0).unwrap().0 - 36.25).abs() < 1e-12);
        assert_eq!(interpolate(&log, 10.0, 30.0).unwrap().0, 37.0);
        // 70 s: 30 s from both neighbours, at the tolerance: 37.5.
        assert!((interpolate(&log, 70.0, 30.0).unwrap().0 - 37.5).abs() < 1e-12);
        // 71 s: 31 s after the sample before it.
        assert_eq!(interpolate(&log, 71.0, 30.0), None);
        // Outside the log.
        assert_eq!(interpolate(&log, -1.0, 30.0), None);
        assert_eq!(interpolate(&log, 101.0, 30.0), None);
    }

    #[test]
    fn a_reading_counts_only_after_the_reference_settled() {
        // The blackbody steps from 36 to 37 °C between 10 and 20 s.
        let log = samples(&[
            (0.0, 36.0),
            (10.0, 36.0),
            (20.0, 37.0),
            (30.0, 37.0),
            (90.0, 37.02),
        ]);
        // At 60 s, 30 s back reaches 30 s: 37.0 there, none inside, 37.0067
        // at 60 s (a third of the way to 37.02): range 0.0067 < 0.05.
        assert!(stable(&log, 60.0, 30.0, 0.05, 30.0));
        // 45 s back from 60 s reaches 15 s: 36.5, range 0.51.
        assert!(!stable(&log, 60.0, 45.0, 0.05, 30.0));
        // Before the log began: cannot show it.
        assert!(!stable(&log, 5.0, 30.0, 0.05, 30.0));
    }
}
