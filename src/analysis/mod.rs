//! The analysis: from a [`Session`] to a [`Report`].
//!
//! Pairs each observation's reference with its reported value, builds the
//! step table, computes the accuracy block, runs the detectors and states the
//! verdict. Pure: reads nothing from disk and writes nothing.

pub mod accuracy;
pub mod steps;

use std::collections::BTreeSet;

use crate::detect::{run_all, DetectorInput, Finding, Severity};
use crate::error::{Error, Result};
use crate::report::{Counts, ObservationRecord, Report, SessionSummary, Tool, Verdict, SCHEMA};
use crate::session::{Observation, Session};
use crate::stats::screening::{thresholds, DEFAULT_ALARM_THRESHOLD_C};
use accuracy::{accuracy, Accuracy, AccuracyContext, DEFAULT_STATED_ACCURACY_C};

/// Name of the source of values the device displayed or logged.
pub const REPORTED: &str = "reported";

/// Analyses a session and returns its report.
pub fn analyze(session: &Session) -> Result<Report> {
    let paired: Vec<&Observation> = session
        .observations
        .iter()
        .filter(|o| o.reported_c.is_some())
        .collect();
    if paired.is_empty() {
        return Err(Error::Unusable {
            path: session.path.clone(),
            message: "no observation has a reported temperature; this version analyses \
                      reported values (frames are listed but not yet read)"
                .into(),
        });
    }
    let device = &session.manifest.device;
    let stated_accuracy_c = device
        .stated_accuracy_c
        .unwrap_or(DEFAULT_STATED_ACCURACY_C);
    let alarm_threshold_c = device
        .alarm_threshold_c
        .unwrap_or(DEFAULT_ALARM_THRESHOLD_C);
    let extra = session
        .manifest
        .screening
        .thresholds_c
        .clone()
        .unwrap_or_default();
    let thresholds_c = thresholds(alarm_threshold_c, &extra);

    let (steps, step_of) = steps::build_steps(&paired);
    let reference: Vec<f64> = paired.iter().map(|o| o.reference_c).collect();
    let reported: Vec<f64> = paired.iter().filter_map(|o| o.reported_c).collect();
    let has_subjects = paired.iter().any(|o| o.subject.is_some());
    let (labels, grouping): (Vec<String>, &str) = if has_subjects {
        (
            paired
                .iter()
                .map(|o| o.subject.clone().unwrap_or_default())
                .collect(),
            "subject",
        )
    } else {
        (
            step_of.iter().map(|s| format!("step {s}")).collect(),
            "step",
        )
    };
    let context = AccuracyContext {
        stated_accuracy_c,
        alarm_threshold_c,
        thresholds_c: &thresholds_c,
        repeat_groups: (&labels, grouping),
        steps: &steps,
        source: REPORTED,
    };
    let reported_accuracy = accuracy(&reference, &reported, &context).expect("paired is not empty");
    let mut findings = run_all(&DetectorInput {
        source: REPORTED,
        reference: &reference,
        device: &reported,
        observations: &paired,
        steps: &steps,
        step_of: &step_of,
        accuracy: &reported_accuracy,
        device_info: device,
    });
    // Manipulation first, then accuracy, then warnings; detector order within.
    findings.sort_by_key(|f| f.severity);
    let verdict = verdict(&reported_accuracy, &findings);
    Ok(Report {
        schema: SCHEMA.to_string(),
        tool: Tool::current(),
        session: summary(
            session,
            &paired,
            steps.len(),
            stated_accuracy_c,
            alarm_threshold_c,
        ),
        accuracy: [(REPORTED.to_string(), reported_accuracy)]
            .into_iter()
            .collect(),
        steps,
        observations: observation_records(&paired),
        detectors: crate::detect::all_detectors()
            .iter()
            .map(|d| d.id().to_string())
            .collect(),
        findings,
        verdict,
    })
}

fn summary(
    session: &Session,
    paired: &[&Observation],
    steps: usize,
    stated_accuracy_c: f64,
    alarm_threshold_c: f64,
) -> SessionSummary {
    let distinct = |f: fn(&Observation) -> Option<&String>| {
        session
            .observations
            .iter()
            .filter_map(f)
            .collect::<BTreeSet<_>>()
            .len()
    };
    let times: Vec<_> = session.observations.iter().filter_map(|o| o.time).collect();
    SessionSummary {
        name: session.name.clone(),
        path: session.path.display().to_string(),
        device: session.manifest.device.clone(),
        reference: session.manifest.reference.clone(),
        stated_accuracy_c,
        stated_accuracy_is_default: session.manifest.device.stated_accuracy_c.is_none(),
        alarm_threshold_c,
        counts: Counts {
            observations: session.observations.len(),
            reported: paired.len(),
            frames: session
                .observations
                .iter()
                .filter(|o| o.frame.is_some())
                .count(),
            steps,
            subjects: distinct(|o| o.subject.as_ref()),
            sweeps: distinct(|o| o.sweep.as_ref()),
        },
        first_time: times.iter().min().map(|t| t.to_rfc3339()),
        last_time: times.iter().max().map(|t| t.to_rfc3339()),
        warnings: session.warnings.clone(),
    }
}

/// The paired observations as the report keeps them.
fn observation_records(paired: &[&Observation]) -> Vec<ObservationRecord> {
    let first = paired.iter().filter_map(|o| o.time).min();
    paired
        .iter()
        .map(|o| ObservationRecord {
            line: o.line,
            reference_c: o.reference_c,
            reported_c: o.reported_c.unwrap_or(f64::NAN),
            elapsed_s: o
                .time
                .zip(first)
                .map(|(t, f)| (t - f).num_milliseconds() as f64 / 1000.0),
            sweep: o.sweep.clone(),
            subject: o.subject.clone(),
        })
        .collect()
}

/// The verdict from the accuracy block and the findings.
fn verdict(accuracy: &Accuracy, findings: &[Finding]) -> Verdict {
    let manipulation_suspected = findings
        .iter()
        .any(|f| f.severity == Severity::Manipulation);
    let accuracy_pass = accuracy.accuracy_pass;
    let accuracy_text = match (accuracy_pass, accuracy.max_abs_step_error_c) {
        (true, Some(error)) => format!(
            "accurate within the stated ±{:.2} °C (largest step error {error:.2} °C)",
            accuracy.stated_accuracy_c
        ),
        (_, Some(error)) => format!(
            "not accurate: a step error of {error:.2} °C at {:.2} °C exceeds the stated ±{:.2} °C",
            accuracy.max_abs_step_error_reference_c.unwrap_or(f64::NAN),
            accuracy.stated_accuracy_c
        ),
        (_, None) => "accuracy could not be judged".to_string(),
    };
    let manipulation_text = if manipulation_suspected {
        let signatures: Vec<&str> = findings
            .iter()
            .filter(|f| f.severity == Severity::Manipulation)
            .map(|f| f.detector.as_str())
            .collect();
        format!("its output shows manipulation ({})", signatures.join(", "))
    } else if !accuracy_pass {
        match crate::detect::calibration::explanation(accuracy) {
            Some(cause) => format!(
                "no manipulation signature was found: {cause} is a calibration error, not a manipulation"
            ),
            None => "no manipulation signature was found".to_string(),
        }
    } else {
        "no manipulation signature was found".to_string()
    };
    Verdict {
        manipulation_suspected,
        accuracy_pass: Some(accuracy_pass),
        summary: format!("The device is {accuracy_text}; {manipulation_text}."),
    }
}
