//! Per-pixel analysis of radiometric frames (SCIENCE.md §4): region
//! statistics in one pass, the 0.01 °C histogram, ROIs and the blackbody
//! finder. These are the hot loops the criterion benchmarks measure.

pub mod histogram;
pub mod region;
pub mod roi;
pub mod temporal;

pub use histogram::Histogram;
pub use region::{region_stats, ClipLimits, Region};
pub use roi::find_source;
