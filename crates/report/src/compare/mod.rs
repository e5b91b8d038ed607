//! `fevercheck compare`: many devices at once — the 2021 study's table (range,
//! variance, mean, adjusted R² and coefficient of device ~ target and of
//! (device − target) ~ target, one row per device) and figure (every
//! device's readings against the target on shared axes), from session
//! folders (analysed here) or saved report.json files (read as they are).
//!
//! Every number of a row is copied from its device's report, never
//! recomputed, so the table agrees with the single-session reports exactly.

mod export;
mod plot;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use fevercheck::analyze;
use fevercheck::model::Severity;
use fevercheck::model::REPORTED;
use fevercheck::model::{AccuracyState, Decision, ManipulationState, Report, SCHEMA};
use fevercheck::session::Session;
use fevercheck_io::error::{Error, Location, Result};

pub use export::{summary_line, write_comparison, COMPARISON_FILES};
pub use plot::comparison_charts;

/// Schema id of comparison.json.
pub const COMPARISON_SCHEMA: &str = "fevercheck.comparison/1";

/// One device of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    /// `[device] model` of session.toml, else the folder name.
    pub device: String,
    /// Where the report came from.
    pub source: String,
    /// The accuracy block used (`reported`, else `radiometric`).
    pub values: String,
    /// Pairs.
    pub n: usize,
    /// Range of the device values, °C.
    pub range_c: f64,
    /// Variance of the device values, °C².
    pub variance_c: Option<f64>,
    /// Mean of the device values, °C.
    pub mean_c: f64,
    /// Adjusted R² of device ~ reference.
    pub adj_r2: Option<f64>,
    /// Coefficient (slope) of device ~ reference.
    pub slope: Option<f64>,
    /// Adjusted R² of (device − reference) ~ reference.
    pub diff_adj_r2: Option<f64>,
    /// Coefficient (slope) of (device − reference) ~ reference.
    pub diff_slope: Option<f64>,
    /// Mean error, °C.
    pub bias_c: f64,
    /// Lower limit of agreement, °C.
    pub loa_low_c: Option<f64>,
    /// Upper limit of agreement, °C.
    pub loa_high_c: Option<f64>,
    /// Largest step-mean error, °C.
    pub max_abs_step_error_c: Option<f64>,
    /// Stated accuracy, ±°C.
    pub stated_accuracy_c: f64,
    /// First reference at which the device alarmed; null = never.
    pub first_alarm_reference_c: Option<f64>,
    /// Alarm threshold used, °C.
    pub alarm_threshold_c: f64,
    /// Whether the device is accurate within its claim.
    pub accuracy_pass: Option<bool>,
    /// The decision under the session's rule (`pass`, `fail`, `conditional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// Whether a manipulation signature was found.
    pub manipulation_suspected: bool,
    /// The accuracy state of the verdict.
    #[serde(default)]
    pub accuracy: AccuracyState,
    /// The manipulation state of the verdict.
    #[serde(default)]
    pub manipulation: ManipulationState,
    /// Detectors with manipulation or accuracy findings.
    pub findings: Vec<String>,
    /// Step references and step means, for the combined chart.
    pub steps: Vec<(f64, f64)>,
    /// Reference and device value of every observation, for the small multiples.
    pub points: Vec<(f64, f64)>,
    /// A note, e.g. that the report was written by another schema.
    pub note: Option<String>,
}

/// The comparison of several devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Always [`COMPARISON_SCHEMA`].
    pub schema: String,
    /// One row per device, in the order given.
    pub devices: Vec<DeviceRow>,
}

impl Comparison {
    /// Whether any device failed (or conditionally failed) its claim, is
    /// suspected of manipulation or has such a finding (exit 1).
    pub fn any_flagged(&self) -> bool {
        self.devices.iter().any(|d| {
            !d.findings.is_empty()
                || d.manipulation_suspected
                || matches!(
                    d.accuracy,
                    AccuracyState::Fail | AccuracyState::ConditionalFail
                )
        })
    }
}

/// Builds the comparison of `inputs`: session folders (or readings files) and
/// report.json files.
pub fn compare(inputs: &[PathBuf]) -> Result<Comparison> {
    let mut devices: Vec<DeviceRow> = inputs
        .iter()
        .map(|input| device_row(input))
        .collect::<Result<_>>()?;
    number_namesakes(&mut devices);
    Ok(Comparison {
        schema: COMPARISON_SCHEMA.into(),
        devices,
    })
}

/// Devices that share a name get ` #1`, ` #2` … in input order, so every
/// row, legend entry and panel names one device.
fn number_namesakes(devices: &mut [DeviceRow]) {
    let names: Vec<String> = devices.iter().map(|d| d.device.clone()).collect();
    for (i, device) in devices.iter_mut().enumerate() {
        if names.iter().filter(|n| **n == names[i]).count() > 1 {
            let number = names[..=i].iter().filter(|n| **n == names[i]).count();
            device.device = format!("{} #{number}", names[i]);
        }
    }
}

fn device_row(input: &Path) -> Result<DeviceRow> {
    let (report, note) = if input.extension().is_some_and(|e| e == "json") {
        read_report(input)?
    } else {
        (analyze(&Session::load(input)?)?, None)
    };
    row_of(&report, input, note)
}

/// Reads a saved report, parsed as it is read (a report of 400 000
/// observations is never held whole as text, nor as a JSON tree); says so
/// when another schema wrote it.
fn read_report(path: &Path) -> Result<(Report, Option<String>)> {
    let parsed: serde_json::Result<Report> = serde_json::from_reader(
        fevercheck_io::input::buffered(path, fevercheck::model::MAX_REPORT_BYTES)?,
    );
    let report = match parsed {
        Ok(report) => report,
        Err(e) if e.is_syntax() || e.is_eof() || e.is_io() => {
            return Err(Error::invalid(
                Location::line(path, e.line() as u64),
                format!("column {}: not a JSON report ({e})", e.column()),
            ))
        }
        Err(e) => {
            // Well-formed JSON this version cannot read: name its schema.
            #[derive(serde::Deserialize)]
            struct Schema {
                schema: Option<String>,
            }
            let schema: Option<Schema> = serde_json::from_reader(fevercheck_io::input::buffered(
                path,
                fevercheck::model::MAX_REPORT_BYTES,
            )?)
            .ok();
            let schema = schema
                .and_then(|s| s.schema)
                .unwrap_or_else(|| "none".into());
            return Err(Error::invalid(
                Location::file(path),
                format!("a report of schema `{schema}` that this version cannot read ({e}); re-run `fevercheck analyze` on its session"),
            ));
        }
    };
    let note = (report.schema != SCHEMA)
        .then(|| format!("written by schema `{}`, read as `{SCHEMA}`", report.schema));
    Ok((with_states_of_its_booleans(report), note))
}

/// A report written before the verdict had states carries only its
/// booleans; its states are read from them (a report whose booleans are
/// null says not judged, as a new one would).
fn with_states_of_its_booleans(mut report: Report) -> Report {
    // A conditional decision is a conditional pass or fail by the largest
    // step error against the claim (ILAC-G8).
    let within = report
        .accuracy
        .get(REPORTED)
        .or_else(|| report.accuracy.values().next())
        .and_then(|a| Some(a.max_abs_step_error_c? <= a.stated_accuracy_c));
    let verdict = &mut report.verdict;
    if verdict.accuracy == AccuracyState::NotJudged {
        verdict.accuracy = match (verdict.accuracy_pass, verdict.decision, within) {
            (Some(true), _, _) => AccuracyState::Pass,
            (Some(false), _, _) => AccuracyState::Fail,
            (None, Some(Decision::ConditionalPass), _) => AccuracyState::ConditionalPass,
            (None, Some(Decision::ConditionalFail), _) => AccuracyState::ConditionalFail,
            (None, Some(Decision::Conditional), Some(true)) => AccuracyState::ConditionalPass,
            (None, Some(Decision::Conditional), Some(false)) => AccuracyState::ConditionalFail,
            _ => AccuracyState::NotJudged,
        };
    }
    if verdict.manipulation == ManipulationState::NotJudged {
        verdict.manipulation = match verdict.manipulation_suspected {
            Some(true) => ManipulationState::Suspected,
            Some(false) => ManipulationState::NotSuspected,
            None => ManipulationState::NotJudged,
        };
    }
    report
}

/// The row of one report: numbers copied from its accuracy block.
pub fn row_of(report: &Report, input: &Path, note: Option<String>) -> Result<DeviceRow> {
    let (values, a) = report
        .accuracy
        .get_key_value(REPORTED)
        .or_else(|| report.accuracy.iter().next())
        .ok_or_else(|| {
            Error::invalid(
                Location::file(input),
                "the report has no accuracy block; re-run `fevercheck analyze` on its session",
            )
        })?;
    Ok(DeviceRow {
        // Named as the charts name it: the device model in session.toml,
        // else the session's name (session.toml's `name`, else the session
        // folder or file it was analysed from) — never a folder above it.
        device: report.device_name(),
        source: input.display().to_string(),
        values: values.clone(),
        n: a.n,
        range_c: a.range_c,
        variance_c: a.variance_c,
        mean_c: a.mean_c,
        adj_r2: a.adj_r2,
        slope: a.slope,
        diff_adj_r2: a.diff_adj_r2,
        diff_slope: a.diff_slope,
        bias_c: a.bias_c,
        loa_low_c: a.loa_low_c,
        loa_high_c: a.loa_high_c,
        max_abs_step_error_c: a.max_abs_step_error_c,
        stated_accuracy_c: a.stated_accuracy_c,
        first_alarm_reference_c: a.first_alarm_reference_c,
        alarm_threshold_c: a.alarm_threshold_c,
        accuracy_pass: report.verdict.accuracy_pass,
        decision: report.verdict.decision,
        manipulation_suspected: report.verdict.is_manipulation_suspected(),
        accuracy: report.verdict.accuracy,
        manipulation: report.verdict.manipulation,
        findings: report
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Warning)
            .map(|f| f.detector.clone())
            .collect(),
        steps: report
            .steps
            .iter()
            .filter_map(|s| s.source(values).map(|v| (s.reference_c, v.mean_c)))
            .collect(),
        points: report
            .observations
            .iter()
            .filter_map(|o| {
                let y = if values == REPORTED {
                    o.reported_c
                } else {
                    o.radiometric_c
                };
                y.map(|y| (o.reference_c, y))
            })
            .collect(),
        note,
    })
}
