//! The [`Report`]: everything fevercheck concluded about one session, the
//! contract that tests, scripts and other tools read. `report.json` is this
//! struct serialised; its key names are fixed (docs/design.md) and keys are
//! only ever added.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    Accuracy, AccuracyState, Decision, Device, Finding, FramePreview, FrameResult, IecItem,
    ManipulationState, Reference, SessionKind, Severity, Step, SuspectValue, TestRecord,
};

/// Largest report.json read back (by `compare` and `check`), bytes: a
/// report of 10⁶ readings is about 300 MB.
pub const MAX_REPORT_BYTES: u64 = 1024 * 1024 * 1024;

/// Schema id written into every report.
pub const SCHEMA: &str = "fevercheck.report/1";

/// Version of the report's contract within [`SCHEMA`], `1.MINOR.PATCH`:
/// the minor grows with every key added (keys are never removed or
/// renamed within a schema), the patch with a clarified meaning. Each
/// version's additions are listed in CHANGELOG.md.
pub const SCHEMA_VERSION: &str = "1.2.0";

/// The contract version of a report written before versions were recorded.
fn first_schema_version() -> String {
    "1.0.0".to_string()
}

/// Everything fevercheck concluded about one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The contract version ([`SCHEMA_VERSION`] when written by this
    /// version; "1.0.0" in reports written before versions were recorded).
    #[serde(default = "first_schema_version")]
    pub schema_version: String,
    /// The program that wrote the report.
    pub tool: Tool,
    /// What was analysed.
    pub session: SessionSummary,
    /// One block per source of device values (`reported`).
    pub accuracy: BTreeMap<String, Accuracy>,
    /// Per reference step.
    pub steps: Vec<Step>,
    /// Every used observation, in file order (what the charts draw).
    pub observations: Vec<ObservationRecord>,
    /// What the frames showed, one per observation with a frame.
    pub frames: Vec<FrameResult>,
    /// A small copy of the warmest frame, for the frame chart.
    pub frame_preview: Option<FramePreview>,
    /// The IEC 80601-2-59 laboratory battery, as far as the session shows it.
    pub iec: Vec<IecItem>,
    /// Ids of the detectors that ran.
    pub detectors: Vec<String>,
    /// The detectors that did not run on this session, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detectors_not_run: Vec<DetectorNotRun>,
    /// What the detectors found.
    pub findings: Vec<Finding>,
    /// The conclusion.
    pub verdict: Verdict,
}

impl Report {
    /// The device the report is about: `[device] model` with its serial,
    /// else the session's name (with the serial when only that is given).
    pub fn device_name(&self) -> String {
        let device = &self.session.device;
        match (&device.model, &device.serial) {
            (Some(model), Some(serial)) => format!("{model} ({serial})"),
            (Some(model), None) => model.clone(),
            (None, Some(serial)) => format!("{} ({serial})", self.session.name),
            (None, None) => self.session.name.clone(),
        }
    }

    /// What a manipulation finding is to the verdict: the first one is the
    /// signature that best explains the readings ("primary signature"), the
    /// others support it ("supporting"); `None` for other findings.
    pub fn signature_role(&self, finding: &Finding) -> Option<&'static str> {
        if finding.severity != Severity::Manipulation {
            return None;
        }
        let first = self
            .findings
            .iter()
            .find(|f| f.severity == Severity::Manipulation);
        Some(if first.is_some_and(|f| std::ptr::eq(f, finding)) {
            "primary signature"
        } else {
            "supporting"
        })
    }

    /// The alarm headline of the source the verdict rests on (what the
    /// device displayed, else what its frames show), e.g. "alarms (≥ 37.5
    /// °C) on 2 of 18 febrile readings (first at 37.50 °C)".
    pub fn alarm_headline(&self) -> Option<String> {
        let accuracy = [super::REPORTED, super::RADIOMETRIC]
            .iter()
            .find_map(|source| self.accuracy.get(*source))?;
        let reference = (self.session.kind == super::SessionKind::Clinical)
            .then(|| self.session.kind.reference_name());
        Some(accuracy.alarm_headline(reference))
    }

    /// Whether the device failed its claim (fail or conditional fail),
    /// manipulation is suspected, or any finding is of severity manipulation
    /// or accuracy: exit code 1.
    pub fn has_findings(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity != Severity::Warning)
            || matches!(
                self.verdict.accuracy,
                AccuracyState::Fail | AccuracyState::ConditionalFail
            )
            || self.verdict.is_manipulation_suspected()
    }
}

/// The program that wrote a report and how it was called.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// `fevercheck`.
    pub name: String,
    /// The crate version.
    pub version: String,
    /// The command line, when run from the command line.
    pub command_line: Option<String>,
}

impl Tool {
    /// This build of fevercheck, without a command line.
    pub fn current() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command_line: None,
        }
    }
}

/// What was analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionSummary {
    /// Session name.
    pub name: String,
    /// `sweep` or `clinical`.
    #[serde(default)]
    pub kind: SessionKind,
    /// Folder or file analysed, as given.
    pub path: String,
    /// `[device]` of session.toml.
    pub device: Device,
    /// `[reference]` of session.toml.
    pub reference: Reference,
    /// Stated accuracy used, ±°C.
    pub stated_accuracy_c: f64,
    /// True when no accuracy was stated and the 0.5 °C default was used.
    pub stated_accuracy_is_default: bool,
    /// Alarm threshold used, °C.
    pub alarm_threshold_c: f64,
    /// How much data there was.
    pub counts: Counts,
    /// Earliest observation time (RFC 3339), when the session has times.
    pub first_time: Option<String>,
    /// Latest observation time.
    pub last_time: Option<String>,
    /// Warnings raised while reading the session.
    pub warnings: Vec<String>,
    /// Notes on how the files were read (encodings, sheets, times read as
    /// UTC), apart from the warnings: no bearing on the verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Values left out as mistakes in the file, when asked to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<SuspectValue>,
    /// How the device log was joined to the reference log by time, for a
    /// session given as two logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairing: Option<LogPairing>,
    /// The lab's record of the test (`[test]` in session.toml).
    #[serde(default, skip_serializing_if = "TestRecord::is_empty")]
    pub test: TestRecord,
}

/// How the device readings of a two-log session were paired with the
/// reference log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LogPairing {
    /// Readings paired with an interpolated reference.
    pub paired: usize,
    /// Readings taken while the reference was still settling.
    pub excluded_unstable: usize,
    /// Readings with no reference sample within the tolerance.
    pub unmatched: usize,
    /// Seconds subtracted from the device log's times (`[match] offset_s`:
    /// the device's clock ahead of the reference's).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset_applied_s: f64,
    /// The offset still between the clocks, estimated from the reference's
    /// edges as the device shows them; absent when the data cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_offset: Option<ClockOffset>,
}

/// Whether an applied offset is none (for serde).
fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

/// The offset of the device's clock from the reference's that best lines up
/// the edges of the two logs: an interval of equally good offsets and its
/// middle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClockOffset {
    /// Middle of the interval: seconds the device's clock is ahead of the
    /// reference's, after any offset already applied.
    pub estimate_s: f64,
    /// Smallest offset as good as the best, s.
    pub low_s: f64,
    /// Largest offset as good as the best, s.
    pub high_s: f64,
    /// Middles of other intervals as good (a staircase of evenly timed
    /// steps lines up as well a whole step early or late), nearest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives_s: Vec<f64>,
    /// The residual variance of the readings on the reference at zero
    /// offset over the best: how much worse the logs fit as their clocks
    /// read (1 when zero is as good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misfit_at_zero: Option<f64>,
}

impl ClockOffset {
    /// Whether the clocks agree: the interval holds 0.
    pub fn holds_zero(&self) -> bool {
        self.low_s <= 0.0 && 0.0 <= self.high_s
    }
}

/// Counts of the session's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// Observations read.
    pub observations: usize,
    /// Observations with a reported value.
    pub reported: usize,
    /// Observations with a frame.
    pub frames: usize,
    /// Reference steps.
    pub steps: usize,
    /// Distinct subjects.
    pub subjects: usize,
    /// Distinct sweep labels.
    pub sweeps: usize,
}

/// One paired observation as the report keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationRecord {
    /// Line of the input file.
    pub line: u64,
    /// Reference temperature, °C.
    pub reference_c: f64,
    /// Reported temperature, °C; for a device with a declared transfer, its
    /// departure from the declaration put on the identity line (the
    /// reference plus displayed − declared reading), which every statistic
    /// uses.
    pub reported_c: Option<f64>,
    /// What the device displayed, °C, when it is judged against a declared
    /// transfer (otherwise `reported_c` is what it displayed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displayed_c: Option<f64>,
    /// Temperature measured in the frame (target ROI statistic), °C.
    pub radiometric_c: Option<f64>,
    /// Seconds since the session's first time, when the session has times.
    pub elapsed_s: Option<f64>,
    /// Sweep label.
    pub sweep: Option<String>,
    /// Subject id.
    pub subject: Option<String>,
    /// Room temperature when it was taken, °C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambient_c: Option<f64>,
}

impl ObservationRecord {
    /// The device value the charts draw: the reported value, else the
    /// radiometric one.
    pub fn device_c(&self) -> Option<f64> {
        self.reported_c.or(self.radiometric_c)
    }
}

/// A detector left out of a session it does not apply to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectorNotRun {
    /// Its id.
    pub detector: String,
    /// Why it did not run.
    pub reason: String,
}

/// The conclusion of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// Accuracy: `pass`, `conditional_pass`, `conditional_fail`, `fail` or
    /// `not_judged`.
    #[serde(default)]
    pub accuracy: AccuracyState,
    /// Manipulation: `suspected`, `not_suspected` or `not_judged`.
    #[serde(default)]
    pub manipulation: ManipulationState,
    /// Why an axis is `not_judged`: plain sentences, each saying what the
    /// session would need.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_judged_because: Vec<String>,
    /// True when a manipulation signature was found, false when the session
    /// could show one and none was found, null when not judged (kept for
    /// readers of earlier reports; `manipulation` says the same).
    pub manipulation_suspected: Option<bool>,
    /// Whether the device is within its stated accuracy under the decision
    /// rule: true for `pass`, false for `fail`; null when the data cannot
    /// decide (the conditional zones) or accuracy is not judged (kept for
    /// readers of earlier reports; `accuracy` says more).
    pub accuracy_pass: Option<bool>,
    /// The decision: `pass`, `fail` or `conditional` (ILAC-G8); absent
    /// without steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The manipulation detector whose shape best explains the readings
    /// (the first manipulation finding); absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_signature: Option<String>,
    /// The other manipulation detectors that fired: supporting evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting_signatures: Vec<String>,
    /// One sentence.
    pub summary: String,
}

impl Verdict {
    /// "PASS", "CONDITIONAL PASS", "CONDITIONAL FAIL", "FAIL" or "NOT JUDGED".
    pub fn accuracy_label(&self) -> &'static str {
        self.accuracy.label()
    }

    /// "SUSPECTED", "not suspected" or "NOT JUDGED".
    pub fn manipulation_label(&self) -> &'static str {
        self.manipulation.label()
    }

    /// Whether a manipulation signature was found.
    pub fn is_manipulation_suspected(&self) -> bool {
        self.manipulation == ManipulationState::Suspected
    }
}
