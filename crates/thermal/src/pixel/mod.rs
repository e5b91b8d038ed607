//! Per-pixel analysis of radiometric frames (docs/science.md §4): region
//! statistics in one pass, the 0.01 °C histogram, ROIs and the blackbody
//! finder. These are the hot loops the criterion benchmarks measure.

pub mod described;
pub mod frame_region;
pub mod histogram;
pub mod raw_region;
pub mod region;
pub mod roi;
pub mod temporal;

pub use described::{FoundSource, RegionStats, RoiSpec, Shape};
pub use frame_region::{clip_limits, frame_region_stats, RegionScratch};
pub use histogram::Histogram;
pub use region::{region_stats, ClipLimits, Region};
pub use roi::find_source;
