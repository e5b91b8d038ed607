//! Detectors: each looks at one source of device values and returns findings
//! with the numbers behind them.
//!
//! One detector per file behind the [`Detector`] trait. A finding's severity
//! says who should act: `manipulation` (the output is shaped, not just
//! inaccurate), `accuracy` (a calibration or precision problem beyond the
//! stated accuracy), `warning` (something a person should know, e.g. a test
//! that could not decide). Thresholds are named constants in each file with
//! the reason for their value.

mod bias;
pub mod calibration;
mod clamp;
mod compression;
mod decrement;
pub mod display_mismatch;
pub mod frame_clipping;
mod order_effect;
mod quantisation;
mod step_error;
pub mod sweep_view;

use crate::model::Accuracy;
use crate::model::Step;
use crate::model::{Device, Finding};
use crate::session::Observation;

/// What a detector sees of one source.
#[derive(Debug, Clone, Copy)]
pub struct DetectorInput<'a> {
    /// Name of the source (`reported`).
    pub source: &'a str,
    /// Reference temperatures, °C, one per pair.
    pub reference: &'a [f64],
    /// Device temperatures, °C, one per pair.
    pub device: &'a [f64],
    /// The observation of each pair (sweep labels, times, order).
    pub observations: &'a [&'a Observation],
    /// The step table.
    pub steps: &'a [Step],
    /// Index into `steps` of each pair.
    pub step_of: &'a [usize],
    /// The accuracy statistics of this source.
    pub accuracy: &'a Accuracy,
    /// What session.toml says about the device.
    pub device_info: &'a Device,
}

/// A detector of one signature.
pub trait Detector {
    /// Short id used in findings (`step_error`, `compression` ...).
    fn id(&self) -> &'static str;
    /// The findings for one source; empty when nothing is wrong.
    fn detect(&self, input: &DetectorInput) -> Vec<Finding>;
    /// Whether this detector looks for manipulation (and can raise that severity).
    fn tests_manipulation(&self) -> bool {
        false
    }
}

/// Every detector that works on one source, in the order their findings are
/// listed: manipulation signatures first, then accuracy. (`display_mismatch`
/// and `frame_clipping` compare two sources or look at pixels; the frame
/// sessions call them directly.)
pub fn all_detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(compression::CompressionDetector),
        Box::new(clamp::ClampDetector),
        Box::new(decrement::DecrementDetector),
        Box::new(quantisation::QuantisationDetector),
        Box::new(order_effect::OrderEffectDetector),
        Box::new(step_error::StepErrorDetector),
        Box::new(bias::BiasDetector),
    ]
}

/// Runs every detector on one source.
pub fn run_all(input: &DetectorInput) -> Vec<Finding> {
    all_detectors()
        .iter()
        .flat_map(|d| d.detect(input))
        .collect()
}

/// What the device's alarm behaviour means for a febrile person, from the
/// accuracy block: "this device would report no fever (≥ 37.5 °C) for any
/// target up to 40.00 °C" or "it first alarms (≥ 37.5 °C) at a 39.50 °C target".
pub(crate) fn alarm_consequence(input: &DetectorInput) -> String {
    let a = input.accuracy;
    let warmest = input
        .reference
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    match a.first_alarm_reference_c {
        None => format!(
            "this device would report no fever (≥ {:.1} °C) for any target up to {warmest:.2} °C",
            a.alarm_threshold_c
        ),
        Some(first) => format!(
            "it first alarms (≥ {:.1} °C) at a {first:.2} °C target",
            a.alarm_threshold_c
        ),
    }
}

/// Formats a temperature difference with its sign, e.g. `+0.62 °C`.
pub(crate) fn signed_c(value: f64) -> String {
    format!("{value:+.2} °C")
}
