//! One row of the report's step table: a reference step and the device's
//! statistics at it, per source.

use serde::{Deserialize, Serialize};

use super::{RADIOMETRIC, REPORTED};
use fevercheck_stats::steps::StepStats;

/// One reference step of the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Step {
    /// Mean reference temperature of the step's observations, °C.
    pub reference_c: f64,
    /// Mean blackbody set-point, °C, when the session has set-points.
    pub setpoint_c: Option<f64>,
    /// Observations at this step.
    pub n: usize,
    /// Standard deviation of the step's reference readings (n − 1), °C,
    /// when they vary: the reference's stability over the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_sd_c: Option<f64>,
    /// Statistics of the reported (displayed) values.
    pub reported: Option<StepStats>,
    /// Statistics of the radiometric values measured in the frames.
    pub radiometric: Option<StepStats>,
}

impl Step {
    /// The statistics of the named source (`reported`) at this step.
    pub fn source(&self, name: &str) -> Option<&StepStats> {
        match name {
            REPORTED => self.reported.as_ref(),
            RADIOMETRIC => self.radiometric.as_ref(),
            _ => None,
        }
    }
}
