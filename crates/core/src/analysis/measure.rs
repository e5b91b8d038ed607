//! The one pass over a session's frames. Each observation's frame is
//! decoded once, and from that decode come:
//! - its [`FrameResult`]: the target ROI (declared, or found with `auto`)
//!   gives the radiometric temperature by its statistic (`mean` by default,
//!   `max`, `p90`); an ETRS ROI with a known temperature gives the corrected
//!   value `T + (T_etrs_known − T_etrs_seen)` (docs/science.md §4); the whole
//!   frame's statistics are kept. Region statistics are computed on the raw
//!   counts where the format has them ([`frame_region_stats`]);
//! - the report's preview, when it is the frame of the warmest reference;
//! - the temporal stack's per-pixel moments, when it belongs to the step
//!   with the most frames.
//!
//! Frames are read file by file in parallel chunks (rayon), one frame at a
//! time per worker, so memory stays bounded however long the session. A
//! frame that cannot be read is an error naming the readings line and the
//! frame. This is the only place the analysis decodes frames.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::preview::{downsample, preview, previewed_position, Downsampled};
use super::stack::{finish, stack_members, StepStack};
use crate::model::{EtrsCorrection, FramePreview, FrameResult, RoiSpec, Shape};
use crate::session::{Observation, Session, READINGS_FILE};
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::escape::terminal::quoted;
use fevercheck_thermal::calibrated_range::OutsideRange;
use fevercheck_thermal::formats::{open, DecodeOptions};
use fevercheck_thermal::frame::Frame;
use fevercheck_thermal::pixel::temporal::PixelMoments;
use fevercheck_thermal::pixel::{find_source, frame_region_stats, Region, RegionScratch};

/// Most readings lines named in a warning.
const LINES_NAMED: usize = 10;

/// The warning for frames that gave no target temperature (no source
/// found by `auto`, or a ROI without one valid pixel): they are left out of
/// the radiometric statistics, which a reader must know.
pub(crate) fn frames_without_target(results: &[FrameResult]) -> Option<String> {
    let missing: Vec<u64> = results
        .iter()
        .filter(|r| r.target_c.is_none())
        .map(|r| r.line)
        .collect();
    if missing.is_empty() {
        return None;
    }
    Some(format!(
        "{} of {} frame(s) gave no target temperature (no source was found, or the target \
         ROI holds no valid pixel) and are left out of the radiometric statistics ({READINGS_FILE} \
         lines {})",
        missing.len(),
        results.len(),
        lines_named(&missing)
    ))
}

/// The warning for frames whose target holds pixels outside the camera's
/// calibrated range: their temperatures are extrapolations the camera's
/// own software does not show, so the reader must know what was done.
pub(crate) fn targets_outside_range(
    results: &[FrameResult],
    policy: OutsideRange,
) -> Option<String> {
    let lines: Vec<u64> = results
        .iter()
        .filter(|r| r.target.outside_range > 0)
        .map(|r| r.line)
        .collect();
    if lines.is_empty() {
        return None;
    }
    let pixels: usize = results.iter().map(|r| r.target.outside_range).sum();
    let treatment = match policy {
        OutsideRange::Nan => "they are left out of the target's statistics",
        OutsideRange::Clip => "they count at the nearest limit of the range",
        _ => "their extrapolated values are used as they are",
    };
    Some(format!(
        "{pixels} target pixel(s) in {} frame(s) lie outside the camera's calibrated range (its \
         clip limits): {treatment} ({READINGS_FILE} lines {}); check the camera's range setting",
        lines.len(),
        lines_named(&lines)
    ))
}

/// The first [`LINES_NAMED`] of `lines`, with `…` when there are more.
fn lines_named(lines: &[u64]) -> String {
    let named: Vec<String> = lines.iter().take(LINES_NAMED).map(u64::to_string).collect();
    let more = if lines.len() > LINES_NAMED {
        ", …"
    } else {
        ""
    };
    format!("{}{more}", named.join(", "))
}

/// Observations of one file handled by one worker: enough to spread a long
/// sequence over the cores, few enough that re-walking a SEQ per chunk costs
/// little.
const CHUNK: usize = 64;

/// How the target and ETRS are measured, from session.toml.
struct Plan {
    target: Option<Shape>,
    statistic: String,
    etrs: Option<(Shape, f64)>,
}

impl Plan {
    fn from(session: &Session) -> Result<Plan> {
        let roi = &session.manifest.roi;
        let bad = |message: String| {
            Error::invalid(Location::file(&session.path.join("session.toml")), message)
        };
        let target = roi.get("target");
        let statistic = target
            .and_then(|t| t.statistic.clone())
            .unwrap_or_else(|| "mean".into());
        if !["mean", "max", "p90"].contains(&statistic.as_str()) {
            return Err(bad(format!(
                "[roi.target] statistic = \"{statistic}\"; expected \"mean\", \"max\" or \"p90\""
            )));
        }
        let target_shape = target.and_then(|t| {
            if t.auto == Some(true) {
                None
            } else {
                Shape::from_spec(t)
            }
        });
        let etrs = match roi.get("etrs") {
            Some(RoiSpec {
                temperature_c: Some(known),
                ..
            }) => {
                let shape = roi.get("etrs").and_then(Shape::from_spec).ok_or_else(|| {
                    bad("[roi.etrs] needs rect = [x, y, w, h] or circle = [cx, cy, r]".into())
                })?;
                Some((shape, *known))
            }
            Some(_) => {
                return Err(bad(
                    "[roi.etrs] needs temperature_c, the ETRS's known temperature".into(),
                ))
            }
            None => None,
        };
        Ok(Plan {
            target: target_shape,
            statistic,
            etrs,
        })
    }

    /// Refuses a declared ROI that reaches beyond the frame: clipped
    /// silently, a ROI larger than the frame measured the background (and
    /// one outside it measured nothing).
    fn check_fits(&self, frame: &Frame) -> Result<()> {
        let (rows, columns) = frame.temperatures.dim();
        let declared = [("target", self.target), ("etrs", self.etrs.map(|(s, _)| s))];
        for (name, shape) in declared {
            if let Some(shape) = shape.filter(|s| !s.fits(rows, columns)) {
                return Err(Error::invalid(
                    Location::file(Path::new("session.toml")),
                    format!(
                        "[roi.{name}] {} reaches beyond the {columns}×{rows} frame; expected a \
                         region inside the frame (columns 0–{}, rows 0–{})",
                        shape.describe(),
                        columns.saturating_sub(1),
                        rows.saturating_sub(1)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn measure(
        &self,
        frame: &Frame,
        line: u64,
        name: &str,
        scratch: &mut RegionScratch,
    ) -> FrameResult {
        let (rows, columns) = frame.temperatures.dim();
        let (region, found) = match self.target {
            Some(shape) => (shape.region(rows, columns), None),
            None => match find_source(&frame.temperatures, &mut scratch.histogram) {
                Some(f) => (
                    Shape::Circle(f.cx, f.cy, f.r).region(rows, columns),
                    Some(f),
                ),
                None => (Region::default(), None),
            },
        };
        let target = frame_region_stats(frame, &region, scratch);
        let target_c = match self.statistic.as_str() {
            "max" => target.max_c,
            "p90" => target.p90_c,
            _ => target.mean_c,
        };
        let etrs = self.etrs.and_then(|(shape, known)| {
            let seen = frame_region_stats(frame, &shape.region(rows, columns), scratch).mean_c?;
            Some(EtrsCorrection {
                seen_c: seen,
                known_c: known,
                corrected_target_c: target_c? + (known - seen),
            })
        });
        let whole_frame = frame_region_stats(frame, &Region::whole(rows, columns), scratch);
        FrameResult {
            line,
            frame: name.to_string(),
            target_c,
            statistic: self.statistic.clone(),
            target,
            found,
            etrs,
            whole_frame,
            size: (columns, rows),
        }
    }
}

/// One frame to measure: its place among the frames, its readings line,
/// its name in readings.csv and its index in its file.
struct Task {
    position: usize,
    line: u64,
    name: String,
    index: usize,
}

/// Splits `frames/rec.seq#12` into the file and the frame index (0 without `#`).
pub(crate) fn frame_reference(text: &str) -> (&str, Option<usize>) {
    match text.rsplit_once('#') {
        Some((file, index)) if index.parse::<usize>().is_ok() => (file, index.parse().ok()),
        _ => (text, None),
    }
}

/// What the pass produced.
#[derive(Debug, Default)]
pub(crate) struct MeasuredFrames {
    /// One result per observation with a frame, in observation order.
    pub results: Vec<FrameResult>,
    /// The preview of the warmest reference's frame.
    pub preview: Option<FramePreview>,
    /// The temporal stack of the step with the most frames.
    pub stack: Option<StepStack>,
}

/// Which frames the pass keeps more of than their result.
struct Keep {
    preview: Option<usize>,
    stack: Vec<bool>,
}

/// What one worker gathered; merged across workers at the end.
#[derive(Default)]
struct Harvest {
    measured: Vec<(usize, FrameResult)>,
    preview: Option<Downsampled>,
    moments: Option<PixelMoments>,
    /// A stack frame had another size than the others: no stack.
    stack_unusable: bool,
}

impl Harvest {
    fn keep_extras(&mut self, keep: &Keep, position: usize, frame: &Frame) {
        if keep.preview == Some(position) {
            self.preview = Some(downsample(&frame.temperatures));
        }
        if keep.stack[position] {
            let (rows, columns) = frame.temperatures.dim();
            let moments = self
                .moments
                .get_or_insert_with(|| PixelMoments::new(rows, columns));
            self.stack_unusable |= !moments.add(&frame.temperatures);
        }
    }

    fn merge(mut self, other: Harvest) -> Harvest {
        self.measured.extend(other.measured);
        self.preview = self.preview.or(other.preview);
        self.stack_unusable |= other.stack_unusable;
        self.moments = match (self.moments, other.moments) {
            (Some(mut a), Some(b)) => {
                self.stack_unusable |= !a.merge(&b);
                Some(a)
            }
            (a, b) => a.or(b),
        };
        self
    }
}

/// Measures every observation's frame in one pass; `progress(done, total)`
/// is called as frames are finished.
pub(crate) fn measure_frames(
    session: &Session,
    options: &DecodeOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<MeasuredFrames> {
    // Looked for on every core: a million readings without frames are
    // 180 MB to read through.
    let with_frames: Vec<&Observation> = session
        .observations
        .par_iter()
        .filter(|o| o.frame.is_some())
        .collect();
    if with_frames.is_empty() {
        return Ok(MeasuredFrames::default());
    }
    let plan = Plan::from(session)?;
    let members = stack_members(&with_frames);
    let mut keep = Keep {
        preview: previewed_position(&with_frames),
        stack: vec![false; with_frames.len()],
    };
    members.iter().for_each(|&i| keep.stack[i] = true);
    let harvest = read_all(session, &with_frames, &plan, &keep, options, progress)?;
    let mut measured = harvest.measured;
    measured.sort_by_key(|(position, _)| *position);
    let results: Vec<FrameResult> = measured.into_iter().map(|(_, result)| result).collect();
    let preview = keep.preview.zip(harvest.preview).map(|(position, pixels)| {
        preview(session, with_frames[position], &results[position], pixels)
    });
    let stack = match (&harvest.moments, harvest.stack_unusable) {
        (Some(moments), false) => finish(session, &with_frames, &results, &members, moments),
        _ => None,
    };
    Ok(MeasuredFrames {
        results,
        preview,
        stack,
    })
}

/// Decodes and measures every frame, file by file in parallel chunks.
fn read_all(
    session: &Session,
    with_frames: &[&Observation],
    plan: &Plan,
    keep: &Keep,
    options: &DecodeOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Harvest> {
    let folder = session.folder();
    let mut by_file: BTreeMap<PathBuf, Vec<Task>> = BTreeMap::new();
    for (position, o) in with_frames.iter().enumerate() {
        let name = o.frame.clone().unwrap_or_default();
        let (file, index) = frame_reference(&name);
        by_file.entry(folder.join(file)).or_default().push(Task {
            position,
            line: o.line,
            index: index.unwrap_or(0),
            name,
        });
    }
    let done = AtomicUsize::new(0);
    let readings = folder.join(READINGS_FILE);
    let chunks: Vec<(&PathBuf, &[Task])> = by_file
        .iter()
        .flat_map(|(path, items)| items.chunks(CHUNK).map(move |c| (path, c)))
        .collect();
    // One harvest (and one scratch space) per rayon split, merged at the end.
    chunks
        .par_iter()
        .try_fold(
            || (Harvest::default(), RegionScratch::default()),
            |(mut harvest, mut scratch), (path, items)| {
                let located = |task: &Task, e: Error| {
                    Error::invalid(
                        Location::line(&readings, task.line),
                        format!("frame {}: {e}", quoted(&task.name)),
                    )
                };
                let mut source = open(path, options).map_err(|e| located(&items[0], e))?;
                for task in items.iter() {
                    let frame = source
                        .read_frame(task.index)
                        .map_err(|e| located(task, e))?;
                    plan.check_fits(&frame).map_err(|e| located(task, e))?;
                    let result = plan.measure(&frame, task.line, &task.name, &mut scratch);
                    harvest.measured.push((task.position, result));
                    harvest.keep_extras(keep, task.position, &frame);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, with_frames.len());
                }
                Ok((harvest, scratch))
            },
        )
        .map(|folded: Result<(Harvest, RegionScratch)>| folded.map(|(harvest, _)| harvest))
        .try_reduce(Harvest::default, |a, b| Ok(a.merge(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_references_split_at_a_numeric_hash() {
        assert_eq!(
            frame_reference("frames/a.seq#12"),
            ("frames/a.seq", Some(12))
        );
        assert_eq!(frame_reference("frames/a.npy"), ("frames/a.npy", None));
        assert_eq!(
            frame_reference("frames/#odd.npy"),
            ("frames/#odd.npy", None)
        );
    }
}
