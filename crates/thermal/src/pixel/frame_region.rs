//! Region statistics of a decoded frame by the fastest exact route: on the
//! raw counts when the frame has them and a non-decreasing raw → °C table
//! ([`raw_region_stats`]), else on the temperatures ([`region_stats`], with
//! the 0.01 °C histogram for percentiles).

use super::described::RegionStats;
use super::histogram::Histogram;
use super::raw_region::{raw_region_stats, RawHistogram};
use super::region::{region_stats, ClipLimits, Region};
use crate::frame::Frame;

/// Scratch space of both passes, one per worker thread.
#[derive(Debug, Clone, Default)]
pub struct RegionScratch {
    /// Bins of the temperature pass.
    pub histogram: Histogram,
    /// Bins of the raw-count pass.
    pub raw: RawHistogram,
}

/// The clip limits a frame's metadata declares (infinite where it declares none).
pub fn clip_limits(frame: &Frame) -> ClipLimits {
    let limits = &frame.meta.limits;
    ClipLimits {
        low: limits.clip_min_c.map_or(f32::NEG_INFINITY, |v| v as f32),
        high: limits.clip_max_c.map_or(f32::INFINITY, |v| v as f32),
    }
}

/// Statistics of `region` of `frame`.
pub fn frame_region_stats(
    frame: &Frame,
    region: &Region,
    scratch: &mut RegionScratch,
) -> RegionStats {
    let clip = clip_limits(frame);
    match (&frame.raw, &frame.raw_table) {
        (Some(raw), Some(table))
            if table.is_non_decreasing() && raw.dim() == frame.temperatures.dim() =>
        {
            raw_region_stats(raw, region, table, clip, &mut scratch.raw)
        }
        _ => region_stats(&frame.temperatures, region, clip, &mut scratch.histogram),
    }
}
