//! A radiometric frame: temperatures in °C as `Array2<f32>` (rows × columns,
//! NaN = no valid value) with what the file said about it.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use ndarray::Array2;
use serde::Serialize;

use crate::radiometry::{RadiometricParams, RawToCelsius};

/// One frame decoded from a file.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Temperatures, °C, `[row, column]`; NaN where there is no valid value.
    pub temperatures: Array2<f32>,
    /// Raw sensor counts, where the format has them.
    pub raw: Option<Array2<u16>>,
    /// The table that turned `raw` into `temperatures`, shared by the frames
    /// that use it; region statistics are then computed on the counts.
    pub raw_table: Option<Arc<RawToCelsius>>,
    /// What the file said about the frame.
    pub meta: FrameMeta,
}

impl Frame {
    /// A frame of temperatures only (formats without raw counts).
    pub fn from_temperatures(temperatures: Array2<f32>, meta: FrameMeta) -> Self {
        Frame {
            temperatures,
            raw: None,
            raw_table: None,
            meta,
        }
    }

    /// Image width, pixels.
    pub fn width(&self) -> usize {
        self.temperatures.ncols()
    }

    /// Image height, pixels.
    pub fn height(&self) -> usize {
        self.temperatures.nrows()
    }
}

/// Metadata of a frame.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrameMeta {
    /// Short name of the file format (`flir_rjpeg`, `flir_seq`, `tiff` …).
    pub format: String,
    /// 0-based index of the frame in its file.
    pub index: usize,
    /// Image width, pixels.
    pub width: usize,
    /// Image height, pixels.
    pub height: usize,
    /// Camera model and serial number, when the file names them.
    pub camera: Camera,
    /// When the frame was taken, when the file says.
    pub time: Option<DateTime<FixedOffset>>,
    /// Radiometric parameters used for the temperatures (FLIR formats).
    pub radiometry: Option<RadiometricParams>,
    /// Temperature limits of the camera's range and clipping, °C.
    pub limits: TemperatureLimits,
    /// How the pixel values were stored (e.g. `u16 little-endian`, `png byte-swapped`).
    pub encoding: String,
    /// Pixels whose temperature lies outside the camera's calibrated range
    /// (see [`crate::calibrated_range`]); shown as the decode options said.
    pub outside_range: usize,
}

/// Camera identity.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Camera {
    /// Model name.
    pub model: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
}

impl Camera {
    /// A camera text field as the file stores it, or `None` when it says
    /// nothing: empty, blank, or a placeholder of `*`, `-`, `?` or `0`
    /// characters (FLIR tools write `*` where a field was never set).
    pub fn field(text: String) -> Option<String> {
        let trimmed = text.trim();
        let placeholder = trimmed.chars().all(|c| matches!(c, '*' | '-' | '?' | '0'));
        (!placeholder).then(|| trimmed.to_string())
    }
}

/// Temperature limits a camera reports, °C.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TemperatureLimits {
    /// Lower end of the calibrated range.
    pub range_min_c: Option<f64>,
    /// Upper end of the calibrated range.
    pub range_max_c: Option<f64>,
    /// Values at or below this are clipped.
    pub clip_min_c: Option<f64>,
    /// Values at or above this are clipped.
    pub clip_max_c: Option<f64>,
    /// Values at or below this are saturated.
    pub saturated_min_c: Option<f64>,
    /// Values at or above this are saturated.
    pub saturated_max_c: Option<f64>,
}

/// Whole-frame statistics as `inspect` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrameSummary {
    /// 0-based frame index.
    pub frame: usize,
    /// Lowest valid temperature, °C (null when every pixel is NaN).
    pub min_c: Option<f64>,
    /// Highest valid temperature, °C.
    pub max_c: Option<f64>,
    /// Mean of the valid temperatures (accumulated in f64), °C.
    pub mean_c: Option<f64>,
    /// Temperature at row height/2, column width/2 (integer division), °C.
    pub centre_c: Option<f64>,
    /// Pixels without a valid temperature (those outside the calibrated
    /// range among them, when they are shown as NaN).
    pub nan: usize,
    /// Pixels whose temperature lies outside the camera's calibrated range.
    pub outside_range: usize,
}

/// Lanes of the summary's loop: eight f32 values, one AVX register.
const SUMMARY_LANES: usize = 8;

impl FrameSummary {
    /// Summarises `frame` in one branch-free pass the compiler vectorises
    /// (NaN adds nothing to the sums and never replaces an extreme).
    pub fn of(frame: &Frame) -> Self {
        let mut sums = [0.0f64; SUMMARY_LANES];
        let mut valid = [0u32; SUMMARY_LANES];
        let mut min = [f32::INFINITY; SUMMARY_LANES];
        let mut max = [f32::NEG_INFINITY; SUMMARY_LANES];
        let owned;
        let values: &[f32] = match frame.temperatures.as_slice() {
            Some(values) => values,
            None => {
                owned = frame.temperatures.iter().copied().collect::<Vec<f32>>();
                &owned
            }
        };
        let chunks = values.chunks_exact(SUMMARY_LANES);
        let remainder = chunks.remainder();
        for chunk in chunks {
            for j in 0..SUMMARY_LANES {
                let t = chunk[j];
                let ok = !t.is_nan();
                sums[j] += if ok { t as f64 } else { 0.0 };
                valid[j] += u32::from(ok);
                min[j] = if t < min[j] { t } else { min[j] };
                max[j] = if t > max[j] { t } else { max[j] };
            }
        }
        for (j, &t) in remainder.iter().enumerate() {
            if !t.is_nan() {
                sums[j] += t as f64;
                valid[j] += 1;
                min[j] = min[j].min(t);
                max[j] = max[j].max(t);
            }
        }
        let valid = valid.iter().map(|&v| v as usize).sum::<usize>();
        let min = min.iter().copied().fold(f32::INFINITY, f32::min);
        let max = max.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f64 = sums.iter().sum();
        let centre = frame
            .temperatures
            .get((frame.height() / 2, frame.width() / 2))
            .copied();
        FrameSummary {
            frame: frame.meta.index,
            min_c: (valid > 0).then_some(min as f64),
            max_c: (valid > 0).then_some(max as f64),
            mean_c: (valid > 0).then(|| sum / valid as f64),
            centre_c: centre.filter(|c| !c.is_nan()).map(f64::from),
            nan: values.len() - valid,
            outside_range: frame.meta.outside_range,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_camera_fields_are_absent() {
        for said_nothing in ["", "   ", "*", "********", "-", "??", "0000"] {
            assert_eq!(
                Camera::field(said_nothing.to_string()),
                None,
                "{said_nothing:?}"
            );
        }
        assert_eq!(Camera::field(" T540 ".into()), Some("T540".into()));
        assert_eq!(Camera::field("000123".into()), Some("000123".into()));
        assert_eq!(Camera::field("*T*".into()), Some("*T*".into()));
    }
}
