//! What the frames of a session showed, as the report keeps it: one
//! [`FrameResult`] per observation with a frame, and a small [`FramePreview`]
//! of one frame for the frame chart.

use serde::{Deserialize, Serialize};

use fevercheck_thermal::pixel::{FoundSource, RegionStats, Shape};

/// What the frame of one observation showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FrameResult {
    /// Line of readings.csv.
    pub line: u64,
    /// The frame as named in readings.csv.
    pub frame: String,
    /// The radiometric temperature of the target by its statistic, °C.
    pub target_c: Option<f64>,
    /// The statistic used (`mean`, `max`, `p90`).
    pub statistic: String,
    /// Statistics of the target ROI.
    pub target: RegionStats,
    /// Where `auto` found the target, when it was found automatically.
    pub found: Option<FoundSource>,
    /// ETRS: mean seen, known temperature and the corrected target, °C.
    pub etrs: Option<EtrsCorrection>,
    /// Statistics of the whole frame.
    pub whole_frame: RegionStats,
    /// Frame size (columns, rows).
    pub size: (usize, usize),
}

/// The in-scene reference source of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EtrsCorrection {
    /// Mean temperature the camera saw in the ETRS ROI, °C.
    pub seen_c: f64,
    /// The ETRS's known temperature, °C.
    pub known_c: f64,
    /// Target temperature corrected by the ETRS, °C.
    pub corrected_target_c: f64,
}

/// One frame, averaged down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FramePreview {
    /// The frame as named in readings.csv.
    pub frame: String,
    /// Reference temperature of its observation, °C.
    pub reference_c: f64,
    /// Original pixels per preview pixel (each direction).
    pub factor: usize,
    /// Preview width and height.
    pub size: (usize, usize),
    /// Temperatures, row-major, °C (null = no valid pixel).
    pub values: Vec<Option<f32>>,
    /// The target ROI in original pixel coordinates.
    pub target: Option<Shape>,
    /// The ETRS ROI in original pixel coordinates.
    pub etrs: Option<Shape>,
}
