//! Clinical studies (ISO 80601-2-56): subjects measured by the device and
//! by a reference thermometer. There are no set-points, so no steps and no
//! step verdict; the verdict states the clinical statistics — clinical bias
//! with its confidence interval, limits of agreement, repeatability over
//! subjects measured more than once, and screening at the alarm threshold —
//! and compares the limits of agreement with the stated accuracy.
//!
//! A session not declared clinical whose data look like one (many subjects,
//! or references that fall on no grid of set-points) gets a warning that
//! suggests `--kind clinical`: read as a sweep, each subject would become a
//! "step" of one reading and the step verdict would rest on single people.

use super::judged::NOTHING_FOUND;
use super::verdict::Signatures;
use crate::model::{Accuracy, AccuracyState, Counts, Finding, Step, Verdict};
use fevercheck_stats::descriptive::Summary;

/// The multiplier of ISO 80601-2-56's limits of agreement: clinical bias
/// ± 2·σ_d (ISO 80601-2-56:2017, clinical accuracy, following ASTM
/// E1965-98), where Bland & Altman's limits take 1.96.
pub(crate) const ISO_LOA_MULTIPLIER: f64 = 2.0;

/// Subjects from which a session looks like a clinical study: a lab sweep
/// names targets, if anything, not dozens of subjects (the FDA data set
/// has 544; a blackbody sweep has one target).
pub(crate) const CLINICAL_SUBJECTS_MIN: usize = 20;

/// Steps from which single-reading steps suggest a clinical study: a sweep
/// has 5–25 set-points (IEC 80601-2-59 asks for at least 4 over its
/// range), each read several times.
pub(crate) const CLINICAL_STEPS_MIN: usize = 30;

/// Coefficient of variation of the gaps between neighbouring step
/// references above which they fall on no grid: set-points are evenly
/// spaced (CV near 0), the temperatures of people scatter (gaps between
/// sorted random values have a CV near 1).
pub(crate) const IRREGULAR_GAPS_CV: f64 = 0.5;

/// The warning that suggests `--kind clinical`, when the data look like a
/// clinical study: at least [`CLINICAL_SUBJECTS_MIN`] subjects, or at least
/// [`CLINICAL_STEPS_MIN`] steps of which most hold a single reading, at
/// references on no grid ([`IRREGULAR_GAPS_CV`]).
pub(crate) fn looks_clinical(counts: &Counts, steps: &[Step]) -> Option<String> {
    let single = steps.iter().filter(|s| s.n == 1).count();
    let many_subjects = counts.subjects >= CLINICAL_SUBJECTS_MIN;
    let no_grid = steps.len() >= CLINICAL_STEPS_MIN
        && 2 * single > steps.len()
        && gaps_cv(steps) > IRREGULAR_GAPS_CV;
    if !(many_subjects || no_grid) {
        return None;
    }
    let evidence = if many_subjects {
        format!("{} subjects", counts.subjects)
    } else {
        format!(
            "{} of {} reference values read only once, on no grid of set-points",
            single,
            steps.len()
        )
    };
    Some(format!(
        "these data look like a clinical study ({evidence}) but are analysed as a sweep, \
         each reference value a step: analyse them with `--kind clinical` (or `kind = \
         \"clinical\"` in session.toml) for the ISO 80601-2-56 statistics without a step verdict"
    ))
}

/// The verdict of a clinical study from the primary source's block.
pub(crate) fn verdict(accuracy: &Accuracy, counts: &Counts, findings: &[Finding]) -> Verdict {
    let signatures = Signatures::of(findings);
    let subjects = if counts.subjects > 0 {
        counts.subjects
    } else {
        accuracy.n
    };
    let clusters = accuracy
        .subject_components
        .map(|c| format!(", {} subjects as clusters", c.subjects))
        .unwrap_or_default();
    let mut parts = vec![format!(
        "a clinical study of {subjects} subjects against a reference thermometer (ISO \
         80601-2-56): clinical bias {:+.2} °C{}",
        accuracy.bias_c,
        accuracy
            .bias_ci_c
            .map(|ci| format!(" (95 % CI {:+.2} to {:+.2}{clusters})", ci.low, ci.high))
            .unwrap_or_default()
    )];
    let within = within_claim(accuracy);
    if let (Some(low), Some(high), Some(within)) = (accuracy.loa_low_c, accuracy.loa_high_c, within)
    {
        let stated = accuracy.stated_accuracy_c;
        parts.push(format!(
            "limits of agreement {low:+.2} to {high:+.2} °C (bias ± {} sd), {} the stated \
             ±{stated:.2} °C",
            accuracy.loa_multiplier,
            if within { "within" } else { "beyond" }
        ));
    }
    parts.push(match &accuracy.repeatability {
        Some(r) if r.grouping == "subject" => {
            let rounds = match r.sd_with_round_shifts_c {
                Some(with) => format!(
                    ", the shifts between its {} rounds removed (round biases {} °C; {with:.2} \
                     °C with them)",
                    r.rounds.len(),
                    r.rounds
                        .iter()
                        .map(|b| format!("{:+.2}", b.bias_c))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => String::new(),
            };
            format!(
                "repeatability σr {:.2} °C over {} subjects measured more than once{rounds}",
                r.stats.sd_c, r.stats.groups
            )
        }
        _ => "no subject was measured twice, so repeatability σr is not measurable".to_string(),
    });
    parts.push(screening_text(accuracy));
    let manipulation = signatures
        .text()
        .unwrap_or_else(|| NOTHING_FOUND.to_string());
    let state = match within {
        Some(true) => AccuracyState::Pass,
        Some(false) => AccuracyState::Fail,
        None => AccuracyState::NotJudged,
    };
    let verdict_word = match state {
        AccuracyState::Pass => "The device is accurate within its claim on people",
        AccuracyState::Fail => "The device is not accurate on people",
        _ => "The device's accuracy on people is not judged",
    };
    let not_judged_because = match state {
        AccuracyState::NotJudged => vec![
            "accuracy is not judged: the limits of agreement need at least two subjects with \
             both readings"
                .to_string(),
        ],
        _ => Vec::new(),
    };
    Verdict {
        accuracy: state,
        manipulation: signatures.state(),
        not_judged_because,
        manipulation_suspected: signatures.state().as_suspected(),
        accuracy_pass: state.as_pass(),
        decision: None,
        primary_signature: signatures.primary.map(|f| f.detector.clone()),
        supporting_signatures: signatures.supporting,
        summary: format!(
            "{verdict_word}: {}; {manipulation} (a clinical study has no set-points: it is \
             judged by its limits of agreement, and the detectors of a sweep's shape do not \
             apply).",
            parts.join("; ")
        ),
    }
}

/// Whether a clinical study is within the claim, as ISO 80601-2-56 judges
/// clinical accuracy: the limits of agreement (clinical bias ±
/// [`ISO_LOA_MULTIPLIER`] sd of the differences) within ± the stated
/// accuracy; `None` without limits.
pub(crate) fn within_claim(accuracy: &Accuracy) -> Option<bool> {
    let (low, high) = (accuracy.loa_low_c?, accuracy.loa_high_c?);
    let stated = accuracy.stated_accuracy_c;
    Some(low >= -stated && high <= stated)
}

/// Sensitivity and specificity at the alarm threshold, with the ROC AUC.
fn screening_text(accuracy: &Accuracy) -> String {
    let threshold = accuracy.alarm_threshold_c;
    let at = accuracy
        .screening
        .iter()
        .find(|s| (s.threshold_c - threshold).abs() < 1e-9);
    let Some(s) = at else {
        return format!("no screening at the {threshold:.1} °C alarm threshold");
    };
    let rate = |value: Option<f64>, hits: usize, of: usize, class: &str| match value {
        Some(v) => format!("{:.0} % ({hits} of {of} {class} readings)", 100.0 * v),
        None => format!("not measurable (no {class} readings)"),
    };
    let auc = s
        .roc_auc
        .map(|a| format!(", ROC AUC {a:.2}"))
        .unwrap_or_default();
    format!(
        "at the {threshold:.1} °C alarm threshold sensitivity {} and specificity {}{auc}",
        rate(s.sensitivity, s.true_positive, s.febrile, "febrile"),
        rate(s.specificity, s.true_negative, s.afebrile, "afebrile"),
    )
}

/// Coefficient of variation of the gaps between neighbouring step references.
fn gaps_cv(steps: &[Step]) -> f64 {
    let mut references: Vec<f64> = steps.iter().map(|s| s.reference_c).collect();
    references.sort_by(f64::total_cmp);
    let gaps: Vec<f64> = references.windows(2).map(|w| w[1] - w[0]).collect();
    match Summary::of(&gaps) {
        Some(Summary {
            mean, sd: Some(sd), ..
        }) if mean > 0.0 => sd / mean,
        _ => 0.0,
    }
}
