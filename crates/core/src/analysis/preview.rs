//! A small copy of one frame kept in the report, so the frame chart can be
//! drawn from the report alone: the frame of the warmest reference, averaged
//! down to at most [`MAX_PREVIEW_SIDE`] pixels a side, with the ROIs used.
//! The measuring pass hands this module the frame when it decodes it; no
//! file is opened here.

use ndarray::Array2;

use crate::model::{FramePreview, FrameResult, Shape};
use crate::session::{Observation, Session};

/// Longest side of the preview, pixels: enough to see the scene and the
/// ROIs, small enough for report.json.
pub(crate) const MAX_PREVIEW_SIDE: usize = 160;

/// A frame averaged down by `factor` in each direction.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Downsampled {
    factor: usize,
    size: (usize, usize),
    values: Vec<Option<f32>>,
}

/// The position, among the observations with a frame, of the one whose
/// frame is previewed: the warmest reference (the last of equals).
pub(crate) fn previewed_position(with_frames: &[&Observation]) -> Option<usize> {
    with_frames
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.reference_c.total_cmp(&b.1.reference_c))
        .map(|(position, _)| position)
}

/// `temperatures` averaged over blocks of `factor × factor` pixels (NaN
/// pixels left out; a block without a valid pixel is `None`).
pub(crate) fn downsample(temperatures: &Array2<f32>) -> Downsampled {
    let (rows, columns) = temperatures.dim();
    let factor = rows.max(columns).div_ceil(MAX_PREVIEW_SIDE).max(1);
    let (width, height) = (columns.div_ceil(factor), rows.div_ceil(factor));
    let mut values = Vec::with_capacity(width * height);
    for pr in 0..height {
        for pc in 0..width {
            let (mut sum, mut n) = (0.0f64, 0usize);
            for r in pr * factor..((pr + 1) * factor).min(rows) {
                for c in pc * factor..((pc + 1) * factor).min(columns) {
                    let v = temperatures[[r, c]];
                    if !v.is_nan() {
                        sum += v as f64;
                        n += 1;
                    }
                }
            }
            values.push((n > 0).then(|| (sum / n as f64) as f32));
        }
    }
    Downsampled {
        factor,
        size: (width, height),
        values,
    }
}

/// The preview of the frame measured as `result` for `observation`, with
/// the ROIs of the session.
pub(crate) fn preview(
    session: &Session,
    observation: &Observation,
    result: &FrameResult,
    pixels: Downsampled,
) -> FramePreview {
    let roi = &session.manifest.roi;
    let target = match result.found {
        Some(f) => Some(Shape::Circle(f.cx, f.cy, f.r)),
        None => roi.get("target").and_then(Shape::from_spec),
    };
    FramePreview {
        frame: result.frame.clone(),
        reference_c: observation.reference_c,
        factor: pixels.factor,
        size: pixels.size,
        values: pixels.values,
        target,
        etrs: roi.get("etrs").and_then(Shape::from_spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_frame_is_averaged_down_to_the_preview_side() {
        let mut t = Array2::from_elem((480, 640), 20.0f32);
        t[[0, 0]] = f32::NAN;
        t[[0, 1]] = 24.0;
        let d = downsample(&t);
        assert_eq!(d.factor, 4);
        assert_eq!(d.size, (160, 120));
        // Block (0, 0): 15 valid pixels, one of 24 °C: (14·20 + 24)/15.
        assert!((d.values[0].unwrap() - (14.0 * 20.0 + 24.0) / 15.0).abs() < 1e-5);
        let all_nan = downsample(&Array2::from_elem((2, 2), f32::NAN));
        assert_eq!((all_nan.factor, all_nan.values), (1, vec![None; 4]));
    }
}
