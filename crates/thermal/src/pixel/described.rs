//! The data of the per-pixel pass: where a session declares a region
//! (`[roi.NAME]` in session.toml), the shapes regions are drawn with, and
//! what the pass reports about a region of a frame.

use serde::{Deserialize, Serialize};

/// Statistics of one region of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RegionStats {
    /// Pixels in the region.
    pub pixels: usize,
    /// Pixels with a valid temperature.
    pub valid: usize,
    /// Pixels without one (NaN).
    pub nan: usize,
    /// Lowest temperature, °C.
    pub min_c: Option<f64>,
    /// Where: (row, column).
    pub min_at: Option<(usize, usize)>,
    /// Highest temperature, °C.
    pub max_c: Option<f64>,
    /// Where: (row, column).
    pub max_at: Option<(usize, usize)>,
    /// Mean, °C.
    pub mean_c: Option<f64>,
    /// Standard deviation (n − 1), °C.
    pub sd_c: Option<f64>,
    /// Median (0.01 °C resolution), °C.
    pub median_c: Option<f64>,
    /// 90th percentile (0.01 °C resolution), °C.
    pub p90_c: Option<f64>,
    /// Pixels at or beyond the frame's clip limits.
    pub clipped: usize,
    /// Pixels outside the camera's calibrated range (counted on raw
    /// counts; NaN and so left out unless the decode kept or clipped them).
    #[serde(default)]
    pub outside_range: usize,
    /// Pixels in the tallest 0.01 °C histogram bin.
    pub most_common_count: usize,
    /// That bin's temperature, °C.
    pub most_common_c: Option<f64>,
}

/// A shape in pixel coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// `x, y, width, height`.
    Rect(i64, i64, i64, i64),
    /// Centre x, centre y, radius.
    Circle(f64, f64, f64),
}

/// Where `auto` found the source.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FoundSource {
    /// Centroid column.
    pub cx: f64,
    /// Centroid row.
    pub cy: f64,
    /// Radius of the ROI used, pixels.
    pub r: f64,
    /// Pixels of the blob.
    pub blob_pixels: usize,
}

/// `[roi.NAME]`: where a target is in each frame (used once frames are read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoiSpec {
    /// `[x, y, w, h]` in pixels.
    pub rect: Option<[u32; 4]>,
    /// `[cx, cy, r]` in pixels.
    pub circle: Option<[u32; 3]>,
    /// Find the blackbody automatically.
    pub auto: Option<bool>,
    /// `max`, `mean` or `p90`.
    pub statistic: Option<String>,
    /// Known temperature of an in-scene reference source, °C.
    pub temperature_c: Option<f64>,
}
