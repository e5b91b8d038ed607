//! The data that passes between fevercheck's layers: what a session declares
//! (`session.toml` sections), what the per-pixel pass reports about a region,
//! the report and everything in it (accuracy blocks, steps, frame results,
//! IEC items, findings, the verdict).
//!
//! This is the bottom of the architecture (docs/design.md): it holds plain
//! data and imports nothing of fevercheck but the result types of `stats`.
//! The code that computes these values lives in the layers above.

mod accuracy;
mod decision;
mod finding;
mod frame_result;
mod iec;
mod kind;
mod manifest;
mod report;
mod step;
mod suspect;
mod transfer;
mod verdict_state;

pub use accuracy::{Accuracy, AmbientDependence, RepeatabilityBlock};
pub use decision::{Decision, DecisionRule, DecisionSettings};
pub use fevercheck_thermal::pixel::{FoundSource, RegionStats, RoiSpec, Shape};
pub use fevercheck_thermal::RadiometryOverrides;
pub use finding::{Finding, FittedShape, ReferenceRange, Severity, ShapeFit};
pub use frame_result::{EtrsCorrection, FramePreview, FrameResult};
pub use iec::IecItem;
pub use kind::SessionKind;
pub use manifest::{
    ColumnNames, Device, Equipment, Matching, OneOrMore, PathSettings, Reference, Screening,
    TestRecord, TimeSettings,
};
pub use report::{
    ClockOffset, Counts, DetectorNotRun, LogPairing, ObservationRecord, Report, SessionSummary,
    Tool, Verdict, MAX_REPORT_BYTES, SCHEMA, SCHEMA_VERSION,
};
pub use step::Step;
pub use suspect::SuspectValue;
pub use transfer::{DeclaredTransfer, Transfer};
pub use verdict_state::{AccuracyState, ManipulationState};

/// Name of the source of values the device displayed or logged.
pub const REPORTED: &str = "reported";
/// Name of the source of values measured in the camera's own frames.
pub const RADIOMETRIC: &str = "radiometric";
/// The radiometric values corrected by an in-scene reference source.
pub const RADIOMETRIC_ETRS: &str = "radiometric_etrs";
