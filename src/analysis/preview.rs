//! A small copy of one frame kept in the report, so the frame chart can be
//! drawn from the report alone: the frame of the warmest reference, averaged
//! down to at most [`MAX_PREVIEW_SIDE`] pixels a side, with the ROIs used.

use super::radiometric::frame_reference;
use crate::error::Result;
use crate::formats::{open, DecodeOptions};
use crate::model::Shape;
use crate::model::{FramePreview, FrameResult};
use crate::session::Session;

/// Longest side of the preview, pixels: enough to see the scene and the
/// ROIs, small enough for report.json.
pub const MAX_PREVIEW_SIDE: usize = 160;

/// The preview of the frame with the warmest reference.
pub fn preview(
    session: &Session,
    frames: &[FrameResult],
    options: &DecodeOptions,
) -> Result<Option<FramePreview>> {
    let with_frames: Vec<_> = session
        .observations
        .iter()
        .filter(|o| o.frame.is_some())
        .collect();
    let Some((position, observation)) = with_frames
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.reference_c.total_cmp(&b.1.reference_c))
    else {
        return Ok(None);
    };
    let (Some(result), Some(name)) = (frames.get(position), observation.frame.as_deref()) else {
        return Ok(None);
    };
    let folder = session.folder();
    let (file, index) = frame_reference(name);
    let frame = open(&folder.join(file), options)?.read_frame(index.unwrap_or(0))?;
    let (rows, columns) = frame.temperatures.dim();
    let factor = rows.max(columns).div_ceil(MAX_PREVIEW_SIDE).max(1);
    let (width, height) = (columns.div_ceil(factor), rows.div_ceil(factor));
    let mut values = Vec::with_capacity(width * height);
    for pr in 0..height {
        for pc in 0..width {
            let (mut sum, mut n) = (0.0f64, 0usize);
            for r in pr * factor..((pr + 1) * factor).min(rows) {
                for c in pc * factor..((pc + 1) * factor).min(columns) {
                    let v = frame.temperatures[[r, c]];
                    if !v.is_nan() {
                        sum += v as f64;
                        n += 1;
                    }
                }
            }
            values.push((n > 0).then(|| (sum / n as f64) as f32));
        }
    }
    let roi = &session.manifest.roi;
    let target = match result.found {
        Some(f) => Some(Shape::Circle(f.cx, f.cy, f.r)),
        None => roi.get("target").and_then(Shape::from_spec),
    };
    Ok(Some(FramePreview {
        frame: name.to_string(),
        reference_c: observation.reference_c,
        factor,
        size: (width, height),
        values,
        target,
        etrs: roi.get("etrs").and_then(Shape::from_spec),
    }))
}
