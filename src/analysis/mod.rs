//! The analysis: from a [`Session`] to a [`Report`].
//!
//! Reads the frames the session names (see [`radiometric`]), pairs each
//! observation's reference with its reported value and with the radiometric
//! value measured in its frame, builds the step table, computes an accuracy
//! block per source, runs the detectors on each source, compares the display
//! with the camera's own data, and states the verdict. Writes nothing.

pub mod accuracy;
pub mod iec;
pub mod matching;
pub mod preview;
pub mod radiometric;
pub mod stack;
pub mod steps;

use std::collections::BTreeSet;

use crate::detect::display_mismatch::display_mismatch;
use crate::detect::frame_clipping::frame_clipping;
use crate::detect::{run_all, DetectorInput};
use crate::error::{Error, Result};
use crate::formats::DecodeOptions;
use crate::model::{Accuracy, Finding, FrameResult, Severity};
use crate::model::{Counts, ObservationRecord, Report, SessionSummary, Tool, Verdict, SCHEMA};
use crate::session::{Observation, Session};
use crate::stats::screening::{thresholds, DEFAULT_ALARM_THRESHOLD_C};
use accuracy::{accuracy, AccuracyContext, DEFAULT_STATED_ACCURACY_C};
use radiometric::measure_frames;

pub use crate::model::{RADIOMETRIC, RADIOMETRIC_ETRS, REPORTED};

/// How to analyse: how frames are decoded and who hears of progress.
#[derive(Default)]
pub struct AnalysisOptions<'a> {
    /// Decoding of the session's frames (limits, radiometry overrides, scales).
    pub decode: DecodeOptions,
    /// Called with (frames done, frames in all) while frames are measured.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// Analyses a session with default options and returns its report.
pub fn analyze(session: &Session) -> Result<Report> {
    analyze_with(session, &AnalysisOptions::default())
}

/// One source of device values: its value for each used observation.
struct Source {
    name: &'static str,
    values: Vec<Option<f64>>,
}

/// Analyses a session and returns its report.
pub fn analyze_with(session: &Session, options: &AnalysisOptions) -> Result<Report> {
    let mut decode = options.decode.clone();
    decode.radiometry = merged_radiometry(&session.manifest.radiometry, &decode.radiometry);
    let mut matched;
    let session = if session.manifest.matching.is_some() {
        matched = session.clone();
        matching::match_frames(&mut matched, &decode)?;
        &matched
    } else {
        session
    };
    let silent = |_: usize, _: usize| {};
    let frames = if session.observations.iter().any(|o| o.frame.is_some()) {
        measure_frames(session, &decode, options.progress.unwrap_or(&silent))?
    } else {
        Vec::new()
    };
    let frame_preview = preview::preview(session, &frames, &decode)?;
    let mut frame_results = frames.iter();
    let mut used: Vec<&Observation> = Vec::new();
    let (mut reported, mut radiometric, mut corrected) = (Vec::new(), Vec::new(), Vec::new());
    for o in &session.observations {
        let frame = if o.frame.is_some() {
            frame_results.next()
        } else {
            None
        };
        let measured = frame.and_then(|f| f.target_c);
        if o.reported_c.is_none() && measured.is_none() {
            continue;
        }
        used.push(o);
        reported.push(o.reported_c);
        radiometric.push(measured);
        corrected.push(frame.and_then(|f| f.etrs.map(|e| e.corrected_target_c)));
    }
    if used.is_empty() {
        return Err(Error::Unusable {
            path: session.path.clone(),
            message:
                "no observation has a reported temperature or a frame in which the target was found"
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
    let (steps, step_of) = steps::build_steps(&used, &radiometric);

    let sources = [
        Source {
            name: REPORTED,
            values: reported.clone(),
        },
        Source {
            name: RADIOMETRIC,
            values: radiometric.clone(),
        },
        Source {
            name: RADIOMETRIC_ETRS,
            values: corrected,
        },
    ];
    let mut blocks = std::collections::BTreeMap::new();
    let mut findings = Vec::new();
    for source in &sources {
        let index: Vec<usize> = (0..used.len())
            .filter(|&i| source.values[i].is_some())
            .collect();
        if index.is_empty() {
            continue;
        }
        let observations: Vec<&Observation> = index.iter().map(|&i| used[i]).collect();
        let reference: Vec<f64> = observations.iter().map(|o| o.reference_c).collect();
        let values: Vec<f64> = index.iter().filter_map(|&i| source.values[i]).collect();
        let source_step_of: Vec<usize> = index.iter().map(|&i| step_of[i]).collect();
        let (labels, grouping) = repeat_groups(&observations, &source_step_of);
        let step_source = if source.name == RADIOMETRIC_ETRS {
            RADIOMETRIC
        } else {
            source.name
        };
        let context = AccuracyContext {
            stated_accuracy_c,
            alarm_threshold_c,
            thresholds_c: &thresholds_c,
            repeat_groups: (&labels, grouping),
            steps: &steps,
            source: step_source,
        };
        let block = accuracy(&reference, &values, &context).expect("the source has pairs");
        if source.name != RADIOMETRIC_ETRS {
            findings.extend(run_all(&DetectorInput {
                source: source.name,
                reference: &reference,
                device: &values,
                observations: &observations,
                steps: &steps,
                step_of: &source_step_of,
                accuracy: &block,
                device_info: device,
            }));
        }
        blocks.insert(source.name.to_string(), block);
    }
    findings.extend(compare_display_with_frames(
        &reported,
        &radiometric,
        stated_accuracy_c,
    ));
    findings.extend(clipped_frames(&frames));
    // A warning that does not depend on the source (no sweeps) is said once.
    let mut seen = BTreeSet::new();
    findings.retain(|f| {
        f.severity != Severity::Warning || seen.insert((f.detector.clone(), f.message.clone()))
    });
    // Manipulation first, then accuracy, then warnings; detector order within.
    findings.sort_by_key(|f| f.severity);
    let best = [RADIOMETRIC_ETRS, RADIOMETRIC, REPORTED]
        .into_iter()
        .find_map(|name| blocks.get(name).map(|block| (name, block)));
    let stack = stack::step_stack(session, &frames, &decode)?;
    let iec = iec::battery(
        best,
        &steps,
        &frames,
        &session.observations.iter().collect::<Vec<_>>(),
        stack.as_ref(),
    );
    let primary = blocks
        .get(REPORTED)
        .or_else(|| blocks.get(RADIOMETRIC))
        .expect("one source exists");
    let verdict = verdict(primary, &findings);
    Ok(Report {
        schema: SCHEMA.to_string(),
        tool: Tool::current(),
        session: summary(
            session,
            &used,
            steps.len(),
            stated_accuracy_c,
            alarm_threshold_c,
        ),
        accuracy: blocks,
        steps,
        observations: observation_records(&used, &reported, &radiometric),
        frames,
        frame_preview,
        iec,
        detectors: crate::detect::all_detectors()
            .iter()
            .map(|d| d.id().to_string())
            .collect(),
        findings,
        verdict,
    })
}

/// Repeatability groups: subjects when the session names them, else steps.
fn repeat_groups(observations: &[&Observation], step_of: &[usize]) -> (Vec<String>, &'static str) {
    if observations.iter().any(|o| o.subject.is_some()) {
        (
            observations
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
    }
}

/// `[radiometry]` of session.toml with the command line's values on top.
fn merged_radiometry(
    session: &crate::model::Radiometry,
    command_line: &crate::model::Radiometry,
) -> crate::model::Radiometry {
    crate::model::Radiometry {
        emissivity: command_line.emissivity.or(session.emissivity),
        reflected_c: command_line.reflected_c.or(session.reflected_c),
        atmospheric_c: command_line.atmospheric_c.or(session.atmospheric_c),
        distance_m: command_line.distance_m.or(session.distance_m),
        relative_humidity: command_line.relative_humidity.or(session.relative_humidity),
    }
}

/// The display-mismatch finding over observations with both values.
fn compare_display_with_frames(
    reported: &[Option<f64>],
    radiometric: &[Option<f64>],
    stated: f64,
) -> Option<Finding> {
    let (shown, measured): (Vec<f64>, Vec<f64>) = reported
        .iter()
        .zip(radiometric)
        .filter_map(|(r, m)| r.zip(*m))
        .unzip();
    if shown.len() < 3 {
        return None;
    }
    display_mismatch(&shown, &measured, stated)
}

/// One frame-clipping finding for the worst frame, counting the others.
fn clipped_frames(frames: &[FrameResult]) -> Option<Finding> {
    let flagged: Vec<(&FrameResult, Finding)> = frames
        .iter()
        .filter_map(|f| {
            frame_clipping("target", &f.frame, &f.target_counts()).map(|finding| (f, finding))
        })
        .collect();
    let count = flagged.len();
    let (_, mut worst) = flagged
        .into_iter()
        .max_by_key(|(f, _)| f.target.clipped.max(f.target.most_common_count))?;
    if count > 1 {
        worst.message = format!("{} ({count} frames in all)", worst.message);
        worst
            .evidence
            .insert("frames_flagged".into(), serde_json::json!(count));
    }
    Some(worst)
}

fn summary(
    session: &Session,
    used: &[&Observation],
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
            reported: used.iter().filter(|o| o.reported_c.is_some()).count(),
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

/// The used observations as the report keeps them.
fn observation_records(
    used: &[&Observation],
    reported: &[Option<f64>],
    radiometric: &[Option<f64>],
) -> Vec<ObservationRecord> {
    let first = used.iter().filter_map(|o| o.time).min();
    used.iter()
        .zip(reported.iter().zip(radiometric))
        .map(|(o, (&reported_c, &radiometric_c))| ObservationRecord {
            line: o.line,
            reference_c: o.reference_c,
            reported_c,
            radiometric_c,
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
