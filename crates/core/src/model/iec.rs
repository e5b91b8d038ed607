//! One item of the IEC 80601-2-59 laboratory battery as the report keeps it.

use serde::{Deserialize, Serialize};

use fevercheck_stats::Interval;

/// One item of the battery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IecItem {
    /// Short id (`laboratory_accuracy` …).
    pub item: String,
    /// The measured value, when measurable.
    pub value: Option<f64>,
    /// Unit of value and limit.
    pub unit: String,
    /// The 95 % interval of the value, or for a time the frames either
    /// side of it, where the session gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// The limit, when docs/science.md gives one.
    pub limit: Option<f64>,
    /// Whether the value meets the limit; null when not judged.
    pub pass: Option<bool>,
    /// How it was measured, or why it could not be.
    pub note: String,
}
