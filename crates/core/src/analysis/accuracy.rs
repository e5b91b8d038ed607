//! The `accuracy.<source>` block of the report: every statistic of
//! docs/science.md §2 for one source of device values against the reference.
//!
//! All statistics are over all paired observations, except the accuracy
//! verdict, which compares step means — the mean of the readings at one
//! reference step — with the stated accuracy (docs/science.md §2).

use rayon::prelude::*;

use super::clinical::ISO_LOA_MULTIPLIER;
use super::decision::decide;
use crate::model::{Accuracy, DecisionRule, RepeatabilityBlock, Step};
use fevercheck_stats::bland_altman::{bland_altman, LoaIntervalMethod, LOA_Z};
use fevercheck_stats::deming::{deming, DEFAULT_ERROR_RATIO};
use fevercheck_stats::descriptive::{ErrorSummary, Summary};
use fevercheck_stats::differences;
use fevercheck_stats::passing_bablok::passing_bablok;
use fevercheck_stats::regression::{confidence_band, ols};
use fevercheck_stats::repeatability::repeatability;
use fevercheck_stats::rounds::round_effects;
use fevercheck_stats::screening::{screening_sorted, ByDeviceValue};
use fevercheck_stats::subject_agreement::subject_bland_altman;

/// Stated accuracy used when session.toml states none, ±°C: the IEC
/// 80601-2-59 laboratory accuracy limit (docs/science.md §1).
pub(crate) const DEFAULT_STATED_ACCURACY_C: f64 = 0.5;

/// Points of the OLS confidence band kept in the report for charts.
const BAND_POINTS: usize = 25;

/// What the accuracy block needs besides the pairs.
#[derive(Debug, Clone)]
pub(crate) struct AccuracyContext<'a> {
    /// Stated accuracy, ±°C.
    pub stated_accuracy_c: f64,
    /// The device's alarm threshold, °C.
    pub alarm_threshold_c: f64,
    /// All thresholds to evaluate, ascending.
    pub thresholds_c: &'a [f64],
    /// Group of each pair for repeatability (subject or step, numbered as
    /// their names sort), and what the groups are.
    pub repeat_groups: (&'a [usize], &'a str),
    /// The step table (for the verdict on step means).
    pub steps: &'a [Step],
    /// Name of the source (`reported`), to read its step statistics.
    pub source: &'a str,
    /// The decision rule of the pass/fail.
    pub rule: DecisionRule,
    /// What the display showed, pair by pair, when the device values are
    /// judged against a declared transfer: the screening statistics ask
    /// whether the display itself alarms.
    pub displayed: Option<&'a [f64]>,
    /// Whether the pairs are a clinical study: limits with ISO
    /// 80601-2-56's multiplier, and subjects read repeatedly as clusters.
    pub clinical: bool,
    /// The round (visit) of each pair, when a clinical study has rounds.
    pub rounds: Option<&'a [String]>,
}

/// Computes the accuracy block of device values `y` against reference `x`,
/// all but its Passing–Bablok fit ([`with_passing_bablok`]). `None` when
/// there are no pairs.
pub(crate) fn accuracy(x: &[f64], y: &[f64], context: &AccuracyContext) -> Option<Accuracy> {
    if x.is_empty() || y.is_empty() {
        return None;
    }
    let d = differences(x, y);
    let (labels, grouping) = context.repeat_groups;
    let multiplier = if context.clinical {
        ISO_LOA_MULTIPLIER
    } else {
        LOA_Z
    };
    // The summaries, the agreement and the fits; Deming's jackknife; each
    // threshold's ROC; the repeatability groups: four independent
    // computations over every pair, run side by side on the free cores.
    let summaries = || {
        let clustered = (context.clinical && grouping == "subject")
            .then(|| subject_bland_altman(labels, x, y, multiplier))
            .flatten();
        let (ba, subject_components) = match clustered {
            Some((agreement, components)) => (Some(agreement), Some(components)),
            None => (bland_altman(x, y, multiplier), None),
        };
        (
            (ErrorSummary::of(&d), Summary::of(y), Summary::of(x)),
            (ba, subject_components),
            (ols(x, y), ols(x, &d)),
        )
    };
    let shown = context.displayed.unwrap_or(y);
    let screenings = || {
        let sorted = ByDeviceValue::of(x, shown);
        let at = |threshold_c: f64| screening_sorted(x, shown, &sorted, threshold_c);
        let all: Vec<_> = context.thresholds_c.par_iter().map(|&t| at(t)).collect();
        let at_alarm = all
            .iter()
            .find(|s| s.threshold_c == context.alarm_threshold_c)
            .copied()
            .unwrap_or_else(|| at(context.alarm_threshold_c));
        (all, at_alarm)
    };
    let ((summarised, deming), ((screenings, at_alarm), repeatability)) = rayon::join(
        || rayon::join(summaries, || deming(x, y, DEFAULT_ERROR_RATIO)),
        || {
            rayon::join(screenings, || {
                repeatability_block(labels, grouping, &d, context.rounds)
            })
        },
    );
    let ((errors, device, reference), (ba, subject_components), (fit, diff_fit)) = summarised;
    let (errors, device, reference) = (errors?, device?, reference?);
    let outcome = decide(
        context.steps,
        context.source,
        context.stated_accuracy_c,
        context.rule,
    );
    let worst_step = worst_step(context.steps, context.source);
    let steps_outside = context
        .steps
        .iter()
        .filter_map(|s| s.source(context.source))
        .filter(|s| s.error_c.abs() > context.stated_accuracy_c)
        .count();
    Some(Accuracy {
        n: errors.n,
        bias_c: errors.bias,
        sd_c: errors.sd,
        rmse_c: errors.rmse,
        mae_c: errors.mae,
        max_abs_error_c: errors.max_abs_error,
        loa_low_c: ba.map(|b| b.loa_low),
        loa_high_c: ba.map(|b| b.loa_high),
        loa_multiplier: multiplier,
        loa_ci_method: ba.map_or(LoaIntervalMethod::ExactNoncentralT, |b| b.loa_ci_method),
        subject_components,
        bias_ci_c: ba.map(|b| b.bias_ci),
        loa_low_ci_c: ba.map(|b| b.loa_low_ci),
        loa_high_ci_c: ba.map(|b| b.loa_high_ci),
        proportional_bias_slope: ba.and_then(|b| b.proportional_bias).map(|f| f.slope),
        proportional_bias_slope_ci: ba.and_then(|b| b.proportional_bias).map(|f| f.slope_ci),
        slope: fit.map(|f| f.slope),
        slope_ci: fit.map(|f| f.slope_ci),
        intercept: fit.map(|f| f.intercept),
        intercept_ci: fit.map(|f| f.intercept_ci),
        r2: fit.and_then(|f| f.r2),
        adj_r2: fit.and_then(|f| f.adj_r2),
        residual_sd_c: fit.map(|f| f.residual_sd),
        ols_band: fit
            .map(|f| confidence_band(x, &f, BAND_POINTS))
            .unwrap_or_default(),
        diff_slope: diff_fit.map(|f| f.slope),
        diff_intercept: diff_fit.map(|f| f.intercept),
        diff_adj_r2: diff_fit.and_then(|f| f.adj_r2),
        range_c: device.range(),
        variance_c: device.variance,
        mean_c: device.mean,
        reference_range_c: reference.range(),
        deming,
        // The costliest statistic, read by no detector: the caller has it
        // computed while the detectors run ([`with_passing_bablok`]).
        passing_bablok: None,
        alarm_threshold_c: context.alarm_threshold_c,
        first_alarm_reference_c: at_alarm.first_alarm_reference_c,
        sensitivity: at_alarm.sensitivity,
        specificity: at_alarm.specificity,
        screening: screenings,
        repeatability,
        stated_accuracy_c: context.stated_accuracy_c,
        max_abs_step_error_c: worst_step.map(|(error, _)| error.abs()),
        max_abs_step_error_reference_c: worst_step.map(|(_, reference)| reference),
        steps_outside_stated_accuracy: steps_outside,
        accuracy_pass: steps_outside == 0,
        decision_rule: context.rule,
        decision: outcome.as_ref().map(|o| o.decision),
        out_of_tolerance_probability: outcome
            .as_ref()
            .and_then(|o| o.out_of_tolerance_probability),
        uncertainty: outcome.and_then(|o| o.budget),
        ambient: None,
    })
}

/// `block` with the Passing–Bablok fit of `x` and `y`, computed (on
/// another core when one is free) while `also` looks at the block without
/// it; returns what `also` found too.
pub(crate) fn with_passing_bablok<T: Send>(
    mut block: Accuracy,
    x: &[f64],
    y: &[f64],
    also: impl FnOnce(&Accuracy) -> T + Send,
) -> (Accuracy, T) {
    let (fit, found) = rayon::join(|| passing_bablok(x, y), || also(&block));
    block.passing_bablok = fit;
    (block, found)
}

/// Repeatability over the groups; within subjects with the round effects
/// removed, and the round biases, when the pairs have rounds.
fn repeatability_block(
    labels: &[usize],
    grouping: &str,
    d: &[f64],
    rounds: Option<&[String]>,
) -> Option<RepeatabilityBlock> {
    let pooled = repeatability(labels, d)?;
    let effects = rounds.and_then(|rounds| round_effects(labels, rounds, d));
    Some(match effects {
        Some(effects) => RepeatabilityBlock {
            grouping: grouping.to_string(),
            stats: effects.repeatability,
            rounds: effects.biases,
            sd_with_round_shifts_c: Some(pooled.sd_c),
        },
        None => RepeatabilityBlock {
            grouping: grouping.to_string(),
            stats: pooled,
            rounds: Vec::new(),
            sd_with_round_shifts_c: None,
        },
    })
}

/// The step error of largest magnitude and the step's reference.
fn worst_step(steps: &[Step], source: &str) -> Option<(f64, f64)> {
    steps
        .iter()
        .filter_map(|step| step.source(source).map(|s| (s.error_c, step.reference_c)))
        .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()))
}
