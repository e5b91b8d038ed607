//! Measuring the target in the frames of a session: each observation's
//! frame is read, the target ROI (declared, or found with `auto`) gives the
//! radiometric temperature by its statistic (`mean` by default, `max`,
//! `p90`), an ETRS ROI with a known temperature gives the corrected value
//! `T + (T_etrs_known − T_etrs_seen)` (SCIENCE.md §4), and the whole frame's
//! statistics are kept. Frames are read file by file in parallel chunks
//! (rayon), one frame at a time per worker, so memory stays bounded however
//! long the session; a frame that cannot be read is an error naming the
//! readings line and the frame.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::detect::frame_clipping::RoiPixelCounts;
use crate::error::{Error, Location, Result};
use crate::formats::{open, DecodeOptions};
use crate::frame::Frame;
use crate::model::Roi;
use crate::model::{EtrsCorrection, FrameResult, Shape};
use crate::pixel::{find_source, region_stats, ClipLimits, Histogram, Region};
use crate::session::{Session, READINGS_FILE};

/// Observations of one file handled by one worker: enough to spread a long
/// sequence over the cores, few enough that re-walking a SEQ per chunk costs
/// little.
const CHUNK: usize = 64;

impl FrameResult {
    /// The target ROI's counts for the frame-clipping decision.
    pub fn target_counts(&self) -> RoiPixelCounts {
        RoiPixelCounts {
            pixels: self.target.valid,
            at_clip_limit: self.target.clipped,
            most_common_value_count: self.target.most_common_count,
            most_common_value_c: self.target.most_common_c.unwrap_or(f64::NAN),
            span_c: self
                .target
                .max_c
                .zip(self.target.min_c)
                .map_or(0.0, |(a, b)| a - b),
            is_target: true,
        }
    }
}

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
            Some(Roi {
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

    fn measure(
        &self,
        frame: &Frame,
        line: u64,
        name: &str,
        histogram: &mut Histogram,
    ) -> FrameResult {
        let (rows, columns) = frame.temperatures.dim();
        let limits = &frame.meta.limits;
        let clip = ClipLimits {
            low: limits.clip_min_c.map_or(f32::NEG_INFINITY, |v| v as f32),
            high: limits.clip_max_c.map_or(f32::INFINITY, |v| v as f32),
        };
        let (region, found) = match self.target {
            Some(shape) => (shape.region(rows, columns), None),
            None => match find_source(&frame.temperatures, histogram) {
                Some(f) => (
                    Shape::Circle(f.cx, f.cy, f.r).region(rows, columns),
                    Some(f),
                ),
                None => (Region::default(), None),
            },
        };
        let target = region_stats(&frame.temperatures, &region, clip, histogram);
        let target_c = match self.statistic.as_str() {
            "max" => target.max_c,
            "p90" => target.p90_c,
            _ => target.mean_c,
        };
        let etrs = self.etrs.and_then(|(shape, known)| {
            let seen = region_stats(
                &frame.temperatures,
                &shape.region(rows, columns),
                clip,
                histogram,
            )
            .mean_c?;
            Some(EtrsCorrection {
                seen_c: seen,
                known_c: known,
                corrected_target_c: target_c? + (known - seen),
            })
        });
        let whole_frame = region_stats(
            &frame.temperatures,
            &Region::whole(rows, columns),
            clip,
            histogram,
        );
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
pub fn frame_reference(text: &str) -> (&str, Option<usize>) {
    match text.rsplit_once('#') {
        Some((file, index)) if index.parse::<usize>().is_ok() => (file, index.parse().ok()),
        _ => (text, None),
    }
}

/// Measures every observation's frame; `progress(done, total)` is called as
/// frames are finished. Results are in the order of the observations with frames.
pub fn measure_frames(
    session: &Session,
    options: &DecodeOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<FrameResult>> {
    let plan = Plan::from(session)?;
    let folder = session.folder();
    let mut by_file: BTreeMap<PathBuf, Vec<Task>> = BTreeMap::new();
    let mut order = 0;
    for o in &session.observations {
        if let Some(name) = &o.frame {
            let (file, index) = frame_reference(name);
            by_file.entry(folder.join(file)).or_default().push(Task {
                position: order,
                line: o.line,
                name: name.clone(),
                index: index.unwrap_or(0),
            });
            order += 1;
        }
    }
    let total = order;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let readings = folder.join(READINGS_FILE);
    let chunks: Vec<(&PathBuf, &[Task])> = by_file
        .iter()
        .flat_map(|(path, items)| items.chunks(CHUNK).map(move |c| (path, c)))
        .collect();
    let results: Vec<Vec<(usize, FrameResult)>> = chunks
        .par_iter()
        .map(|(path, items)| {
            let located = |line: u64, name: &str, e: Error| {
                Error::invalid(
                    Location::line(&readings, line),
                    format!("frame `{name}`: {e}"),
                )
            };
            let mut source =
                open(path, options).map_err(|e| located(items[0].line, &items[0].name, e))?;
            let mut histogram = Histogram::default();
            let mut measured = Vec::with_capacity(items.len());
            for task in items.iter() {
                let frame = source
                    .read_frame(task.index)
                    .map_err(|e| located(task.line, &task.name, e))?;
                measured.push((
                    task.position,
                    plan.measure(&frame, task.line, &task.name, &mut histogram),
                ));
                let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(finished, total);
            }
            Ok(measured)
        })
        .collect::<Result<_>>()?;
    let mut flat: Vec<(usize, FrameResult)> = results.into_iter().flatten().collect();
    flat.sort_by_key(|(position, _)| *position);
    Ok(flat.into_iter().map(|(_, result)| result).collect())
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
