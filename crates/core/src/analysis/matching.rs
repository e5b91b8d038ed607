//! `[match]`: frames matched to the reference log by time, for labs whose
//! camera records frames on its own clock while readings.csv logs the
//! reference (and perhaps the display) with times.
//!
//! Frame times come from the files' metadata (FLIR files carry a capture
//! time) or, failing that, from a date and time in the file name
//! (`20260301T093000`, `2026-03-01_09-30-00.250` …, read as UTC like naive
//! times in readings.csv). Each frame goes to the reading nearest in time
//! within `tolerance_s`; a frame between two readings whose references
//! differ by more than `stable_c` was taken while the reference was still
//! changing and is excluded. Both kinds of frames left out are counted. The
//! nearest frame of a reading is attached to it; other matched frames become
//! observations of their own with the reading's reference. A camera whose
//! clock is ahead of the readings' by a known amount is corrected by
//! `[match] offset_s` (subtracted from the frames' times).

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::session::{Observation, Session, READINGS_FILE};
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_thermal::formats::{frame_files, open, DecodeOptions};

/// Default largest gap between a frame and its reading, s: blackbody
/// readings are logged every few seconds to a minute.
pub(crate) const DEFAULT_TOLERANCE_S: f64 = 30.0;
/// Default largest change of the reference around a frame, °C: a blackbody
/// holds its set-point within ±0.05 °C once stable.
pub(crate) const DEFAULT_STABLE_C: f64 = 0.05;

/// What matching did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct MatchSummary {
    /// Frames found.
    pub frames: usize,
    /// Frames matched to a reading.
    pub matched: usize,
    /// Frames with no reading within the tolerance.
    pub unmatched: usize,
    /// Frames taken while the reference was changing.
    pub excluded_changing: usize,
    /// Frames without a time in their metadata or name.
    pub without_time: usize,
}

/// Matches the frames of `[match]` to the session's readings.
pub(crate) fn match_frames(
    session: &mut Session,
    options: &DecodeOptions,
) -> Result<Option<MatchSummary>> {
    let Some((matching, frames)) = session
        .manifest
        .matching
        .clone()
        .and_then(|m| m.frames.clone().map(|f| (m, f)))
    else {
        return Ok(None);
    };
    let folder = session.folder();
    let rule = Rule {
        tolerance_s: matching.tolerance_s.unwrap_or(DEFAULT_TOLERANCE_S),
        stable_c: matching.stable_c.unwrap_or(DEFAULT_STABLE_C),
        offset_s: matching.offset_s.unwrap_or(0.0),
    };
    if !rule.offset_s.is_finite() {
        return Err(Error::invalid(
            Location::file(&folder.join(crate::session::MANIFEST_FILE)),
            "`match.offset_s` is not a number of seconds",
        ));
    }
    let readings = reading_times(session, &folder)?;
    let mut summary = MatchSummary::default();
    let mut assignment = Assignment::new(session.observations.len());
    for (name, time) in frame_times(&folder, &frames, options)? {
        summary.frames += 1;
        let time = time.map(|t| t - rule.offset_s);
        match place(session, &readings, time, &rule) {
            Placement::WithoutTime => summary.without_time += 1,
            Placement::TooFar => summary.unmatched += 1,
            Placement::WhileChanging => summary.excluded_changing += 1,
            Placement::Reading { index, gap_s, time } => {
                summary.matched += 1;
                assignment.add(index, gap_s, name, time);
            }
        }
    }
    assignment.apply(session);
    session.warnings.push(format!(
        "[match]: {} frame(s) found, {} matched, {} with no reading within {} s, {} taken while \
         the reference was changing (more than {} °C between readings), {} without a time",
        summary.frames,
        summary.matched,
        summary.unmatched,
        rule.tolerance_s,
        summary.excluded_changing,
        rule.stable_c,
        summary.without_time
    ));
    Ok(Some(summary))
}

/// How far a frame may be from its reading, and how stable the reference
/// must be around it.
struct Rule {
    tolerance_s: f64,
    stable_c: f64,
    /// Seconds the camera's clock is ahead of the readings' (`[match]
    /// offset_s`), subtracted from the frames' times.
    offset_s: f64,
}

/// The readings' times (s) with their observation index, in time order.
fn reading_times(session: &Session, folder: &Path) -> Result<Vec<(f64, usize)>> {
    let mut readings: Vec<(f64, usize)> = session
        .observations
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.time.map(|t| (seconds(&t), i)))
        .collect();
    if readings.is_empty() {
        return Err(Error::invalid(
            Location::file(&folder.join(READINGS_FILE)),
            "[match] needs a `time` column in readings.csv to match frames by time",
        ));
    }
    readings.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(readings)
}

/// Where one frame goes.
enum Placement {
    /// The frame has no time.
    WithoutTime,
    /// No reading within the tolerance.
    TooFar,
    /// Between two readings whose references differ by more than allowed.
    WhileChanging,
    /// To the reading of observation `index`, `gap_s` away.
    Reading { index: usize, gap_s: f64, time: f64 },
}

/// The reading nearest in time to a frame taken at `time`, if the rule allows.
fn place(
    session: &Session,
    readings: &[(f64, usize)],
    time: Option<f64>,
    rule: &Rule,
) -> Placement {
    let Some(t) = time else {
        return Placement::WithoutTime;
    };
    let after = readings.partition_point(|r| r.0 < t);
    let candidates = [
        after.checked_sub(1),
        (after < readings.len()).then_some(after),
    ];
    let nearest = candidates
        .iter()
        .flatten()
        .map(|&i| readings[i])
        .min_by(|a, b| (a.0 - t).abs().total_cmp(&(b.0 - t).abs()));
    let Some((reading_time, index)) = nearest.filter(|r| (r.0 - t).abs() <= rule.tolerance_s)
    else {
        return Placement::TooFar;
    };
    if let [Some(before), Some(next)] = candidates {
        let observations = &session.observations;
        let change = observations[readings[before].1].reference_c
            - observations[readings[next].1].reference_c;
        if change.abs() > rule.stable_c {
            return Placement::WhileChanging;
        }
    }
    Placement::Reading {
        index,
        gap_s: (reading_time - t).abs(),
        time: t,
    }
}

/// Frames placed so far: the nearest one of each reading, and the others.
struct Assignment {
    nearest: Vec<Option<(f64, String, f64)>>,
    extra: Vec<(usize, String, f64)>,
}

impl Assignment {
    fn new(observations: usize) -> Self {
        Assignment {
            nearest: vec![None; observations],
            extra: Vec::new(),
        }
    }

    /// Places frame `name` taken at `time`, `gap_s` from reading `index`.
    fn add(&mut self, index: usize, gap_s: f64, name: String, time: f64) {
        match &self.nearest[index] {
            Some((best, _, _)) if *best <= gap_s => self.extra.push((index, name, time)),
            _ => {
                if let Some((_, previous, pt)) = self.nearest[index].replace((gap_s, name, time)) {
                    self.extra.push((index, previous, pt));
                }
            }
        }
    }

    /// Attaches each reading's nearest frame to it; other frames become
    /// observations of their own with the reading's reference.
    fn apply(self, session: &mut Session) {
        for (index, best) in self.nearest.into_iter().enumerate() {
            if let Some((_, name, _)) = best {
                session.observations[index].frame = Some(name);
            }
        }
        for (index, name, t) in self.extra {
            let reading = &session.observations[index];
            let mut o = Observation::new(reading.line, reading.reference_c, None);
            o.setpoint_c = reading.setpoint_c;
            o.sweep = reading.sweep.clone();
            o.subject = reading.subject.clone();
            o.time = Utc
                .timestamp_millis_opt((t * 1000.0) as i64)
                .single()
                .map(|u| u.fixed_offset());
            o.frame = Some(name);
            session.observations.push(o);
        }
    }
}

fn seconds(time: &DateTime<FixedOffset>) -> f64 {
    time.timestamp_millis() as f64 / 1000.0
}

/// Every frame of `target` (a folder or one file) with its time, if any.
fn frame_times(
    folder: &Path,
    target: &str,
    options: &DecodeOptions,
) -> Result<Vec<(String, Option<f64>)>> {
    let path = folder.join(target);
    let files = frame_files(&path)?;
    let mut frames = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(folder)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let mut source = open(&file, options)?;
        let count = source.frame_count();
        let name_time = file
            .file_stem()
            .and_then(|s| time_in_name(&s.to_string_lossy()));
        for index in 0..count {
            let metadata_time = source
                .read_meta(index)
                .ok()
                .and_then(|m| m.time)
                .map(|t| seconds(&t));
            let name = if count > 1 {
                format!("{relative}#{index}")
            } else {
                relative.clone()
            };
            frames.push((
                name,
                metadata_time.or(if count == 1 { name_time } else { None }),
            ));
        }
    }
    Ok(frames)
}

/// A date and time in a file name: the digits of the name, when they start
/// with YYYYMMDDHHMMSS (any separators), optionally followed by milliseconds.
pub(crate) fn time_in_name(name: &str) -> Option<f64> {
    let digits: String = name.chars().filter(|c| c.is_ascii_digit()).collect();
    let stamp = digits.get(..14)?;
    let naive = NaiveDateTime::parse_from_str(stamp, "%Y%m%d%H%M%S").ok()?;
    let millis = digits
        .get(14..17)
        .and_then(|m| m.parse::<f64>().ok())
        .unwrap_or(0.0);
    Some(Utc.from_utc_datetime(&naive).timestamp() as f64 + millis / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_from_file_names() {
        let t = time_in_name("IR_20260301T093000").unwrap();
        assert_eq!(t, time_in_name("2026-03-01_09-30-00").unwrap());
        assert_eq!(
            time_in_name("frame_2026-03-01_09-30-00-250").unwrap(),
            t + 0.25
        );
        assert_eq!(time_in_name("frame_0001"), None);
        assert_eq!(time_in_name("20261399000000"), None);
    }
}
