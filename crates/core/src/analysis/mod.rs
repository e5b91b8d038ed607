//! The analysis: from a [`Session`] to a [`Report`], as a pipeline of
//! named stages:
//!
//! 1. **match** — `[match]` sessions get their frames paired with readings
//!    by time ([`matching`]);
//! 2. **measure** — every frame is decoded once; the target, the ETRS and
//!    the whole frame are measured, and the preview and temporal stack are
//!    taken from the same decode ([`measure`]);
//! 3. **pair** — each used observation with its value from every source
//!    ([`pairing`]);
//! 4. **steps** — the step table ([`steps`]); none for a clinical study
//!    ([`clinical`]), whose verdict rests on the ISO 80601-2-56 statistics;
//! 5. **judge** — an accuracy block and the detectors' findings per source,
//!    then the detectors that look at the session as a whole ([`sources`]);
//!    a device with a declared transfer is judged against it, and the
//!    declaration's own screening consequence is a finding ([`declared`]);
//! 6. **battery** — the IEC 80601-2-59 items ([`iec`]);
//! 7. **verdict** ([`verdict`]).
//!
//! Frames are opened here and nowhere else in the library. Writes nothing.

pub(crate) mod accuracy;
pub(crate) mod ambient;
pub(crate) mod clinical;
pub(crate) mod decision;
pub(crate) mod declared;
pub(crate) mod iec;
pub(crate) mod judged;
pub(crate) mod matching;
pub(crate) mod measure;
pub(crate) mod pairing;
pub(crate) mod preview;
pub(crate) mod sources;
pub(crate) mod stack;
pub(crate) mod steps;
pub(crate) mod uncertainty;
pub(crate) mod verdict;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};

use crate::detect::{all_detectors, detectors_not_run, run_session, SessionInput};
use crate::model::{
    Accuracy, Counts, Finding, Report, SessionKind, SessionSummary, Severity, Tool, SCHEMA,
    SCHEMA_VERSION,
};
use crate::session::{DistinctLabels, Observation, Session};
use fevercheck_io::error::Result;
use fevercheck_io::timings;
use fevercheck_thermal::formats::DecodeOptions;
use measure::{measure_frames, MeasuredFrames};
use pairing::Paired;
use sources::{assess_sources, Claims};

pub(crate) use crate::model::{RADIOMETRIC, RADIOMETRIC_ETRS, REPORTED};

/// How to analyse: how frames are decoded and who hears of progress.
#[derive(Default)]
pub struct AnalysisOptions<'a> {
    /// Decoding of the session's frames (limits, radiometry overrides, scales).
    pub decode: DecodeOptions,
    /// Called with (frames done, frames in all) while frames are measured.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// The kind of study, over session.toml's `kind` (`--kind`).
    pub kind: Option<SessionKind>,
}

/// Analyses a session with default options and returns its report.
pub fn analyze(session: &Session) -> Result<Report> {
    analyze_with(session, &AnalysisOptions::default())
}

/// Analyses a session and returns its report.
pub fn analyze_with(session: &Session, options: &AnalysisOptions) -> Result<Report> {
    let mut decode = options.decode.clone();
    decode.radiometry = decode.radiometry.on_top_of(&session.manifest.radiometry);
    let session = match_frames(session, &decode)?;
    let silent = |_: usize, _: usize| {};
    let frames = measure_frames(&session, &decode, options.progress.unwrap_or(&silent))?;
    let paired = Paired::of(&session, &frames.results)?;
    timings::done("observations paired");
    let claims = Claims::of(&session);
    let kind = options.kind.or(session.manifest.kind).unwrap_or_default();
    // The grouping of steps is mostly one pass on one core; the other
    // counts the elapsed times.
    let ((mut steps, step_of, step_warnings), elapsed_s) = rayon::join(
        || match kind {
            SessionKind::Sweep => {
                steps::build_steps(&paired.used, &paired.reported, &paired.radiometric)
            }
            SessionKind::Clinical => (Vec::new(), vec![0; paired.used.len()], Vec::new()),
        },
        || paired.elapsed_s(),
    );
    timings::done("steps built");
    let budget_claims = uncertainty::BudgetClaims {
        reference: &session.manifest.reference,
        display_resolution_c: claims.device.display_resolution_c,
        transfer: paired.transfer.as_ref(),
        reflected_c: decode.radiometry.reflected_c,
    };
    let shown = || paired.displayed().iter().flatten().copied().collect();
    let roi_u_c = per_step_rms(&paired.roi_u_c, &step_of, steps.len());
    let budget_warnings = uncertainty::annotate_steps(&mut steps, &budget_claims, shown, &roi_u_c);
    // The report's records and the session's summary are made on the cores
    // the statistics and detectors leave free.
    let ((accuracy, mut findings), (records, seen)) = rayon::join(
        || assess_sources(&paired, &elapsed_s, &steps, &step_of, &claims, kind),
        || {
            rayon::join(
                || paired.records(&elapsed_s),
                || Seen::of(&session.observations),
            )
        },
    );
    timings::done("statistics, detectors and records");
    findings.extend(session_findings(&paired, &frames, &claims));
    let declared_finding = paired.transfer.as_ref().and_then(|transfer| {
        let hottest_swept = paired
            .used
            .iter()
            .map(|o| o.reference_c)
            .fold(f64::NEG_INFINITY, f64::max);
        let hottest_declared = transfer.points.last().map_or(f64::NEG_INFINITY, |p| p[0]);
        declared::screening_finding(
            transfer,
            claims.alarm_threshold_c,
            hottest_swept.max(hottest_declared),
        )
    });
    // First among the warnings: it says what the device can screen for.
    findings.splice(0..0, declared_finding.clone());
    let primary = primary_block(&accuracy);
    let mut findings = tidy(findings, primary_source(&accuracy));
    let iec = match kind {
        SessionKind::Sweep => iec::battery(
            best_block(&accuracy),
            &steps,
            &frames.results,
            &session.observations,
            frames.stack.as_ref(),
        ),
        SessionKind::Clinical => Vec::new(),
    };
    let mut summary = summary(&session, seen, &paired, steps.len(), &claims, kind);
    if kind == SessionKind::Sweep && session.manifest.reference.uncertainty_c.is_none() {
        summary
            .warnings
            .push(uncertainty::REFERENCE_NOT_STATED.to_string());
    }
    if session.manifest.kind.is_none() && options.kind.is_none() {
        summary
            .warnings
            .extend(clinical::looks_clinical(&summary.counts, &steps));
    }
    summary
        .warnings
        .extend(measure::frames_without_target(&frames.results));
    summary.warnings.extend(measure::targets_outside_range(
        &frames.results,
        decode.radiometry.outside_range.unwrap_or_default(),
    ));
    if kind == SessionKind::Sweep {
        summary.warnings.extend(step_warnings);
        summary.warnings.extend(budget_warnings);
    }
    let mut verdict = match kind {
        SessionKind::Sweep => verdict::verdict(primary, &findings),
        SessionKind::Clinical => clinical::verdict(primary, &summary.counts, &findings),
    };
    let mut not_judged_because =
        judged::manipulation_not_judged_because(kind, &steps, claims.alarm_threshold_c);
    not_judged_because.extend(judged::unsettled_readings(&findings));
    judged::limit_manipulation(&mut verdict, not_judged_because);
    let device = &session.manifest.device;
    judged::name_assumed_claims(
        &mut verdict,
        &mut findings,
        device.stated_accuracy_c.is_some(),
        device.alarm_threshold_c.is_some(),
    );
    if let Some(transfer) = &paired.transfer {
        let screening = declared_finding
            .as_ref()
            .and_then(declared::screening_sentence)
            .map(|s| format!(" {s}"))
            .unwrap_or_default();
        verdict.summary = format!(
            "{} {}{screening}",
            declared::judged_against(transfer),
            verdict.summary
        );
    }
    let not_run = detectors_not_run(kind);
    Ok(Report {
        schema: SCHEMA.to_string(),
        schema_version: SCHEMA_VERSION.to_string(),
        tool: Tool::current(),
        session: summary,
        verdict,
        observations: records,
        accuracy,
        steps,
        frames: frames.results,
        frame_preview: frames.preview,
        iec,
        detectors: all_detectors()
            .iter()
            .map(|d| d.id().to_string())
            .filter(|id| !not_run.iter().any(|n| &n.detector == id))
            .collect(),
        detectors_not_run: not_run,
        findings,
    })
}

/// The root mean square of each step's values (by `step_of`), where the
/// step has any.
fn per_step_rms(values: &[Option<f64>], step_of: &[usize], steps: usize) -> Vec<Option<f64>> {
    let mut sums = vec![(0.0, 0usize); steps];
    for (value, &step) in values.iter().zip(step_of) {
        if let (Some(v), Some(sum)) = (value, sums.get_mut(step)) {
            sum.0 += v * v;
            sum.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(squares, n)| (n > 0).then(|| (squares / n as f64).sqrt()))
        .collect()
}

/// Stage 1: a `[match]` session with its frames paired by time; any other
/// session as it is.
fn match_frames<'a>(session: &'a Session, decode: &DecodeOptions) -> Result<Cow<'a, Session>> {
    if session
        .manifest
        .matching
        .as_ref()
        .is_none_or(|m| m.frames.is_none())
    {
        return Ok(Cow::Borrowed(session));
    }
    let mut matched = session.clone();
    matching::match_frames(&mut matched, decode)?;
    Ok(Cow::Owned(matched))
}

/// The findings of the detectors that look at the session as a whole (the
/// display against the frames, the frames' pixels).
fn session_findings(paired: &Paired, frames: &MeasuredFrames, claims: &Claims) -> Vec<Finding> {
    let (shown, measured): (Vec<f64>, Vec<f64>) = paired
        .reported
        .iter()
        .zip(&paired.radiometric)
        .filter_map(|(r, m)| r.zip(*m))
        .unzip();
    run_session(&SessionInput {
        reported: &shown,
        radiometric: &measured,
        frames: &frames.results,
        stated_accuracy_c: claims.stated_accuracy_c,
    })
}

/// Findings as the report lists them: a warning that does not depend on the
/// source is said once; manipulation first, then accuracy, then warnings,
/// detector order within.
///
/// Manipulation findings come first, led by the signature that best
/// explains the readings: the primary source's findings before the others',
/// each in order of their shape fit (smallest AICc first; findings without a
/// fit after those with one, in detector order).
fn tidy(mut findings: Vec<Finding>, primary_source: &str) -> Vec<Finding> {
    let mut seen = BTreeSet::new();
    findings.retain(|f| {
        f.severity != Severity::Warning || seen.insert((f.detector.clone(), f.message.clone()))
    });
    findings.sort_by(|a, b| {
        let rank = |f: &Finding| {
            let manipulation = f.severity == Severity::Manipulation;
            let other_source = manipulation && f.source != primary_source;
            let aicc = match (manipulation, f.fit) {
                (true, Some(fit)) => fit.aicc,
                (true, None) => f64::INFINITY,
                (false, _) => 0.0,
            };
            (f.severity, other_source, aicc)
        };
        let (a, b) = (rank(a), rank(b));
        a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2))
    });
    findings
}

/// The source the verdict rests on (see [`primary_block`]).
fn primary_source(blocks: &BTreeMap<String, Accuracy>) -> &'static str {
    if blocks.contains_key(REPORTED) {
        REPORTED
    } else {
        RADIOMETRIC
    }
}

/// The block the verdict rests on: what the device displayed, else what its
/// frames show.
fn primary_block(blocks: &BTreeMap<String, Accuracy>) -> &Accuracy {
    blocks
        .get(primary_source(blocks))
        .expect("pairing keeps only observations with a reported or radiometric value")
}

/// The most accurate source for the laboratory accuracy item: ETRS-corrected,
/// else radiometric, else reported.
fn best_block(blocks: &BTreeMap<String, Accuracy>) -> Option<(&'static str, &Accuracy)> {
    [RADIOMETRIC_ETRS, RADIOMETRIC, REPORTED]
        .into_iter()
        .find_map(|name| blocks.get(name).map(|block| (name, block)))
}

/// What was analysed, as the report's `session` block.
fn summary(
    session: &Session,
    seen: Seen,
    paired: &Paired,
    steps: usize,
    claims: &Claims,
    kind: SessionKind,
) -> SessionSummary {
    SessionSummary {
        name: session.name.clone(),
        kind,
        path: session.path.display().to_string(),
        device: session.manifest.device.clone(),
        reference: session.manifest.reference.clone(),
        stated_accuracy_c: claims.stated_accuracy_c,
        stated_accuracy_is_default: claims.device.stated_accuracy_c.is_none(),
        alarm_threshold_c: claims.alarm_threshold_c,
        counts: Counts {
            observations: session.observations.len(),
            reported: paired.reported.iter().flatten().count(),
            frames: seen.frames,
            steps,
            subjects: seen.subjects.count(),
            sweeps: seen.sweeps.count(),
        },
        first_time: seen.first_time.map(|t| t.to_rfc3339()),
        last_time: seen.last_time.map(|t| t.to_rfc3339()),
        warnings: session.warnings.clone(),
        notes: session.notes.clone(),
        excluded: session.excluded.clone(),
        pairing: session.pairing.clone(),
        test: session.manifest.test.clone(),
    }
}

/// What the session's observations hold, found in one pass over them (a
/// million observations are 180 MB to read: one pass, not five).
struct Seen<'a> {
    frames: usize,
    subjects: DistinctLabels<'a>,
    sweeps: DistinctLabels<'a>,
    first_time: Option<DateTime<FixedOffset>>,
    last_time: Option<DateTime<FixedOffset>>,
}

impl<'a> Seen<'a> {
    fn of(observations: &'a [Observation]) -> Self {
        let mut seen = Seen {
            frames: 0,
            subjects: DistinctLabels::default(),
            sweeps: DistinctLabels::default(),
            first_time: None,
            last_time: None,
        };
        for o in observations {
            seen.frames += usize::from(o.frame.is_some());
            if let Some(subject) = &o.subject {
                seen.subjects.add(subject);
            }
            if let Some(sweep) = &o.sweep {
                seen.sweeps.add(sweep);
            }
            if let Some(time) = o.time {
                seen.first_time = Some(seen.first_time.map_or(time, |t| t.min(time)));
                seen.last_time = Some(seen.last_time.map_or(time, |t| t.max(time)));
            }
        }
        seen
    }
}
