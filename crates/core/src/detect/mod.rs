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
pub(crate) mod calibration_error;
pub mod carry_over;
mod clamp;
mod compression;
mod decrement;
mod display_mismatch;
mod drift;
mod febrile_shortfall;
mod fever_hiding;
mod frame_clipping;
mod honest_model;
mod order_effect;
mod quantisation;
mod step_error;
mod sweep_pairs;
mod sweep_view;
mod time_effect;
pub use time_effect::{ReadingTimes, TimeBasis};
mod warm_up;

use rayon::prelude::*;

use crate::model::Step;
use crate::model::{Accuracy, Decision, Severity};
use crate::model::{DetectorNotRun, Device, Finding, FrameResult, SessionKind};
use crate::session::Observation;
pub use display_mismatch::display_mismatch;
pub use frame_clipping::{frame_clipping, RoiPixelCounts};
pub use sweep_view::{SweepView, MIN_STEPS, MIN_SWEEP_SPAN_C};

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
    /// When each pair was read ([`ReadingTimes::of`] the observations).
    pub times: &'a ReadingTimes,
    /// What session.toml says about the device.
    pub device_info: &'a Device,
}

/// What the detectors that look at the whole session see.
#[derive(Debug, Clone, Copy)]
pub struct SessionInput<'a> {
    /// Reported values of the observations that also have a radiometric value, °C.
    pub reported: &'a [f64],
    /// The radiometric values of the same observations, °C.
    pub radiometric: &'a [f64],
    /// What each frame showed.
    pub frames: &'a [FrameResult],
    /// Stated accuracy, ±°C.
    pub stated_accuracy_c: f64,
}

/// What a detector is, apart from what it computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// Short id used in findings.
    pub id: &'static str,
    /// Whether it looks for manipulation (and can raise that severity).
    pub tests_manipulation: bool,
    /// For a detector of the transfer's shape, what it looks for.
    pub looks_for: Option<&'static str>,
    /// Whether it reads a sweep (and so does not run on a clinical session).
    pub needs_sweep: bool,
}

impl About {
    /// A detector of the transfer's shape across a sweep: it tests for
    /// manipulation and looks for `shape`.
    pub const fn shape(id: &'static str, shape: &'static str) -> About {
        About {
            id,
            tests_manipulation: true,
            looks_for: Some(shape),
            needs_sweep: true,
        }
    }

    /// A detector of manipulation that is not about the transfer's shape;
    /// `needs_sweep` when it reads steps or revisited sweeps.
    pub const fn manipulation(id: &'static str, needs_sweep: bool) -> About {
        About {
            id,
            tests_manipulation: true,
            looks_for: None,
            needs_sweep,
        }
    }

    /// A detector of accuracy or of a condition a person should know.
    pub const fn accuracy(id: &'static str, needs_sweep: bool) -> About {
        About {
            id,
            tests_manipulation: false,
            looks_for: None,
            needs_sweep,
        }
    }
}

/// A detector of one signature. A detector looks at one source of device
/// values at a time ([`Detector::on_source`]), at the session as a whole
/// ([`Detector::on_session`]: the display against the frames, the frames'
/// pixels), or both; the registry calls every detector both ways.
pub trait Detector: Send + Sync {
    /// What the detector is, as data: its id, whether it tests for
    /// manipulation, what shape it looks for, whether it needs a sweep.
    fn about(&self) -> About;
    /// Short id used in findings (`step_error`, `compression` ...).
    fn id(&self) -> &'static str {
        self.about().id
    }
    /// Whether this detector looks for manipulation (and can raise that severity).
    fn tests_manipulation(&self) -> bool {
        self.about().tests_manipulation
    }
    /// For a detector of the transfer's shape, what it looks for across the
    /// sweep ("a ceiling or floor"). Such a detector runs only on a sweep
    /// wide enough to decide; otherwise the registry says so as a warning.
    fn looks_for(&self) -> Option<&'static str> {
        self.about().looks_for
    }
    /// Whether the detector reads a sweep: steps of a reference source, or
    /// sweeps that revisit them. Such a detector does not run on a clinical
    /// session. Every detector of the transfer's shape does.
    fn needs_sweep(&self) -> bool {
        self.about().needs_sweep
    }
    /// A finding of this detector on `input`'s source.
    fn new_finding(
        &self,
        input: &DetectorInput,
        severity: Severity,
        message: String,
        evidence: serde_json::Value,
    ) -> Finding {
        Finding::new(self.id(), input.source, severity, message, evidence)
    }
    /// The findings for one source; empty when nothing is wrong.
    fn on_source(&self, _input: &DetectorInput, _view: &SweepView) -> Vec<Finding> {
        Vec::new()
    }
    /// The findings for the session as a whole; empty when nothing is wrong.
    fn on_session(&self, _input: &SessionInput) -> Vec<Finding> {
        Vec::new()
    }
}

/// Every detector, in the order their findings are listed: manipulation
/// signatures first, then accuracy.
pub fn all_detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(compression::CompressionDetector),
        Box::new(clamp::ClampDetector),
        Box::new(decrement::DecrementDetector),
        Box::new(quantisation::QuantisationDetector),
        Box::new(fever_hiding::FeverHidingDetector),
        Box::new(febrile_shortfall::FebrileShortfallDetector),
        Box::new(order_effect::OrderEffectDetector),
        Box::new(display_mismatch::DisplayMismatchDetector),
        Box::new(frame_clipping::FrameClippingDetector),
        Box::new(step_error::StepErrorDetector),
        Box::new(bias::BiasDetector),
        Box::new(drift::DriftDetector),
        Box::new(warm_up::WarmUpDetector),
    ]
}

/// Why a detector that reads a sweep is not run on a clinical session.
pub const NO_SWEEP_IN_A_CLINICAL_STUDY: &str =
    "a clinical study has no sweep: each subject is measured at their own temperature, not \
     at set-points of a reference source, so the transfer's shape across set-points, step \
     errors and revisited steps do not exist";

/// The detectors that do not run on a session of `kind`, with the reason.
pub fn detectors_not_run(kind: SessionKind) -> Vec<DetectorNotRun> {
    match kind {
        SessionKind::Sweep => Vec::new(),
        SessionKind::Clinical => all_detectors()
            .iter()
            .filter(|d| d.needs_sweep())
            .map(|d| DetectorNotRun {
                detector: d.id().to_string(),
                reason: NO_SWEEP_IN_A_CLINICAL_STUDY.to_string(),
            })
            .collect(),
    }
}

/// Runs every detector that applies to a session of `kind` on one source.
/// The sweep view is built once; a shape detector on a sweep that cannot
/// decide gives its warning instead, and none runs on readings that had
/// not settled at each step (`carry_over`: one warning says so).
pub fn run_all(input: &DetectorInput, kind: SessionKind) -> Vec<Finding> {
    let view = SweepView::of(input);
    let detectors: Vec<Box<dyn Detector>> = all_detectors()
        .into_iter()
        .filter(|d| kind == SessionKind::Sweep || !d.needs_sweep())
        .collect();
    let shape_ids: Vec<&str> = detectors
        .iter()
        .filter(|d| d.looks_for().is_some())
        .map(|d| d.id())
        .collect();
    let carried = (kind == SessionKind::Sweep)
        .then(|| carry_over::warning(input, &shape_ids))
        .flatten();
    // The detectors are independent: each runs on a core of its own when
    // one is free, and the findings keep the registry's order.
    let mut findings: Vec<Finding> = detectors
        .par_iter()
        .filter(|d| carried.is_none() || d.looks_for().is_none())
        .flat_map_iter(|d| {
            let undecidable = d
                .looks_for()
                .and_then(|what| view.cannot_decide(d.id(), input.source, what));
            match undecidable {
                Some(warning) => vec![warning],
                None => d.on_source(input, &view),
            }
        })
        .collect();
    findings.extend(carried);
    findings
}

/// Runs every detector on the session as a whole.
pub fn run_session(input: &SessionInput) -> Vec<Finding> {
    all_detectors()
        .iter()
        .flat_map(|d| d.on_session(input))
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

/// The severity of an accuracy finding: a warning when the step decision
/// weighing the uncertainty is conditional (the steps cannot decide, so the
/// error is said, not held against the device), else accuracy.
pub(crate) fn accuracy_severity(accuracy: &Accuracy) -> Severity {
    if accuracy.decision.is_some_and(Decision::is_conditional) {
        Severity::Warning
    } else {
        Severity::Accuracy
    }
}

/// Formats a temperature difference with its sign, e.g. `+0.62 °C`.
pub(crate) fn signed_c(value: f64) -> String {
    format!("{value:+.2} °C")
}
