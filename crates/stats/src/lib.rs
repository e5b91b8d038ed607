//! Method-comparison statistics (docs/science.md §2) as pure functions on slices.
//!
//! Conventions shared by every function here: `x` is the reference, `y` the
//! device, both in °C and of equal length; `d = y − x`. Inputs are finite
//! (the session reader refuses non-finite values). A statistic that is not
//! defined for the data (too few pairs, no spread in `x`) is `None`, never NaN
//! and never a panic. Confidence intervals are two-sided 95 %.
//!
//! This crate knows nothing of cameras or files; `fevercheck` (the
//! analysis) builds its accuracy blocks from these functions.
//!
//! ```
//! use fevercheck_stats::bland_altman::bland_altman;
//!
//! // Reference blackbody and device readings, °C.
//! let reference = [35.0, 36.0, 37.0, 38.0, 39.0, 40.0];
//! let device = [35.2, 36.1, 37.3, 38.1, 39.4, 40.2];
//! let agreement = bland_altman(&reference, &device, 1.96).unwrap();
//! // Differences 0.2, 0.1, 0.3, 0.1, 0.4, 0.2 °C: mean 1.3 / 6, sample SD
//! // √(0.0683333 / 5) = 0.1169045, upper limit 0.2166667 + 1.96 × 0.1169045.
//! assert!((agreement.bias - 0.216667).abs() < 1e-6);
//! assert!((agreement.sd - 0.1169045).abs() < 1e-6);
//! assert!((agreement.loa_high - 0.4457995).abs() < 1e-6);
//! ```
//!
//! # Layering
//!
//! The bottom of the workspace: this crate depends on no other of
//! fevercheck's, so reaching for one does not compile:
//!
//! ```compile_fail
//! use fevercheck_io::Error;
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod bland_altman;
pub mod centred_sums;
pub mod deming;
pub mod descriptive;
pub mod distribution;
pub mod hinge;
pub mod linear_system;
pub mod noncentral_t;
pub mod pairwise_slopes;
pub mod partial_slope;
pub mod passing_bablok;
pub mod rank;
pub mod regression;
pub mod repeatability;
pub mod rounds;
pub mod screening;
pub mod steps;
pub mod subject_agreement;
pub mod uncertainty;

use serde::{Deserialize, Serialize};

/// Confidence level of every interval fevercheck reports.
pub const CONFIDENCE: f64 = 0.95;

/// A closed interval, e.g. a 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    /// `centre ± half_width`.
    pub fn around(centre: f64, half_width: f64) -> Self {
        Interval {
            low: centre - half_width,
            high: centre + half_width,
        }
    }

    /// Whether `value` lies in the interval (ends included).
    pub fn contains(&self, value: f64) -> bool {
        (self.low..=self.high).contains(&value)
    }
}

/// The differences `y − x` of paired slices.
pub fn differences(x: &[f64], y: &[f64]) -> Vec<f64> {
    x.iter().zip(y).map(|(x, y)| y - x).collect()
}
