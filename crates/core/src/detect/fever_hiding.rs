//! `fever_hiding`: a transfer that bends or steps away from a straight line
//! so that febrile targets read lower than a straight line would show them —
//! whatever the shape (docs/science.md §3, "Shape-free departure from
//! linearity"). An honest device, however badly calibrated, is a straight
//! line in the reference (offset and gain); the shape detectors each fit one
//! manipulation, this one asks only whether the step means depart from their
//! best line in a way that hides fevers.
//!
//! On the step means, the best line is compared with the best of two
//! alternatives that assume no particular manipulation: a line that bends
//! once (hinge, any knee) and a line with one jump (any step). The departure
//! is measured in noise units: `Δχ² = Σ (r_line² − r_alt²)/v` where `v` is
//! the larger of a step mean's squared standard error and the variance the
//! alternative leaves unexplained (an F-like ratio, so that a slow ambient
//! ripple is not a departure). Flags when
//! - `Δχ²` exceeds [`MIN_CHI_SQUARE`] (the knee or step search included,
//!   honest linear devices stay far below it), and the alternative also
//!   beats the best line plus an honest ambient ripple by
//!   [`MIN_CHI_SQUARE_OVER_RIPPLE`] (a time effect is not a shape) or is a
//!   jump down too sudden for such a ripple (by [`JUMP_SE_MULTIPLE`]
//!   standard errors), and
//! - at targets at or above the alarm threshold, the alternative reads more
//!   than the stated accuracy below its own lower part continued (what the
//!   device would show had it kept the calibration it has below the bend or
//!   jump), and
//! - some target at or above the alarm threshold reads below it: the fever
//!   range the bend or step hides is reported.

use serde_json::json;

use super::sweep_view::SweepView;
use super::time_effect::{best_ripple_fit, largest_ripple_change_c, SLOW_RIPPLE_S};
use super::{alarm_consequence, About, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::hinge::{hinge_fit, solve3};
use fevercheck_stats::regression::ols;

/// Smallest improvement of the weighted residual sum of squares, in squared
/// standard errors, that counts as a departure from a line: one extra
/// parameter chosen among ~20 knees or steps makes an honest device exceed
/// χ²₁ = 30 with a probability near 1e-6.
pub(super) const MIN_CHI_SQUARE: f64 = 30.0;

/// Smallest improvement over the best line plus an honest ambient ripple
/// (±0.3 °C, periods 15–60 min: `time_effect::best_ripple_fit`), in squared
/// standard errors. In a single sweep time and target rise together, so a
/// slow ripple bends the transfer like a soft ceiling or a jump; a shape
/// that a ripple fits as well is not evidence of manipulation. Measured
/// 2026-11-29 on honest devices with a ±0.3 °C ripple of period 10–60 min
/// and drift, 3 000 seeded runs: of the 19 that passed every other test,
/// the largest improvement over the ripple was 2.2; of 2 287 manipulated
/// runs that passed them (tests/calibration.rs), 2 260 exceed 6.
pub(super) const MIN_CHI_SQUARE_OVER_RIPPLE: f64 = 6.0;

/// Standard errors of the difference of two step means by which a jump
/// must exceed what a slow ripple changes between them (3: a one-sided
/// normal tail of 0.13 %).
pub(super) const JUMP_SE_MULTIPLE: f64 = 3.0;

/// Fewest steps on each side of a jump.
const MIN_STEPS_PER_SIDE: usize = 3;

/// Finds transfers that bend or step to hide fevers.
pub(super) struct FeverHidingDetector;

/// The best alternative to a line.
struct Alternative {
    kind: &'static str,
    at_c: f64,
    fitted: Vec<f64>,
    /// Parameters of the alternative.
    parameters: usize,
    /// For a jump, the last step before it and the first fully after it.
    jump_steps: Option<(usize, usize)>,
    /// The alternative's own lower part continued past the bend or jump:
    /// what the device would read if it kept its calibration.
    continued: Vec<f64>,
}

impl Alternative {
    /// Residual sum of squares of the step means `y`.
    fn sse(&self, y: &[f64]) -> f64 {
        self.fitted
            .iter()
            .zip(y)
            .map(|(f, v)| (v - f).powi(2))
            .sum()
    }
}

impl Detector for FeverHidingDetector {
    fn about(&self) -> About {
        About::shape(
            "fever_hiding",
            "a transfer that departs from a straight line",
        )
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let (x, y) = (&view.references, &view.means);
        let Some(line) = ols(x, y) else {
            return Vec::new();
        };
        let Some(alternative) = best_alternative(x, y, &view.counts) else {
            return Vec::new();
        };
        let threshold = input.accuracy.alarm_threshold_c;
        let febrile: Vec<usize> = (0..x.len()).filter(|&i| x[i] >= threshold).collect();
        let pulled_down = febrile
            .iter()
            .map(|&i| alternative.continued[i] - alternative.fitted[i])
            .fold(f64::NEG_INFINITY, f64::max);
        let hidden: Vec<usize> = febrile
            .iter()
            .copied()
            .filter(|&i| y[i] < threshold)
            .collect();
        let stated = input.accuracy.stated_accuracy_c;
        // The cheap conditions first: the ripple competitor costs a sine per
        // reading and period, seconds for a million readings.
        let pulled_beyond_stated = pulled_down > stated;
        if !pulled_beyond_stated || hidden.is_empty() {
            return Vec::new();
        }
        let departure = departure(view, &alternative);
        let chi_square = departure.over_line;
        if !(chi_square > MIN_CHI_SQUARE
            && (departure.over_ripple > MIN_CHI_SQUARE_OVER_RIPPLE
                || jump_beyond_ripple(view, &alternative, pulled_down, &departure)))
        {
            return Vec::new();
        }
        let (low, high) = (x[hidden[0]], x[hidden[hidden.len() - 1]]);
        let message = format!(
            "the readings depart from a straight line with a {} at {:.2} °C: febrile targets read \
             up to {pulled_down:.2} °C below the device's own calibration continued ({chi_square:.0} \
             squared standard errors better than any line, {:.0} better than a line with an ambient \
             ripple); targets {low:.2}–{high:.2} °C read below the {threshold:.1} °C alarm \
             threshold; {}. An honest device, however badly calibrated, is a straight line",
            alternative.kind,
            alternative.at_c,
            departure.over_ripple,
            alarm_consequence(input),
        );
        let evidence = json!({
            "shape": alternative.kind,
            "at_c": alternative.at_c,
            "chi_square_improvement": chi_square,
            "chi_square_improvement_over_ripple": departure.over_ripple,
            "largest_pull_below_line_c": pulled_down,
            "hidden_targets_c": [low, high],
            "line": {"slope": line.slope, "intercept": line.intercept},
            "thresholds": {
                "min_chi_square": MIN_CHI_SQUARE,
                "min_chi_square_over_ripple": MIN_CHI_SQUARE_OVER_RIPPLE,
                "stated_accuracy_c": stated,
            },
        });
        vec![self
            .new_finding(input, Severity::Manipulation, message, evidence)
            .flagging(low, high)
            .with_fit(view.shape_fit(&alternative.fitted, alternative.parameters))]
    }
}

/// The improvement of the alternative over the line in squared standard
/// errors. The variance of a step mean is the larger of what the readings'
/// noise gives (`SE²`) and what the alternative leaves unexplained (its
/// residual variance, `SSE/(m − 4)`): a slow ripple or any other systematic
/// wobble that no bend explains then counts as noise, not as departure.
///
/// The improvement is counted twice with the same variances: over the best
/// line, and over the best line plus an honest ambient ripple
/// (`time_effect::best_ripple_fit`), which the alternative must also beat.
fn departure(view: &SweepView, alternative: &Alternative) -> Departure {
    let (x, y) = (&view.references, &view.means);
    let m = y.len();
    let unexplained = alternative.sse(y) / (m.saturating_sub(alternative.parameters).max(1)) as f64;
    let weights: Vec<f64> = (0..m)
        .map(|i| 1.0 / view.step_se(i).powi(2).max(unexplained).max(1e-12))
        .collect();
    let Some(honest) = best_ripple_fit(x, y, &view.step_times_s, &weights) else {
        return Departure::default();
    };
    let alternative_chi_square: f64 = (0..m)
        .map(|i| (y[i] - alternative.fitted[i]).powi(2) * weights[i])
        .sum();
    Departure {
        over_line: honest.line_only - alternative_chi_square,
        over_ripple: honest.with_ripple - alternative_chi_square,
        largest_variance: weights.iter().map(|w| 1.0 / w).fold(0.0, f64::max),
    }
}

/// How much better the alternative fits, in squared standard errors.
#[derive(Debug, Clone, Copy, Default)]
struct Departure {
    /// Than the best line.
    over_line: f64,
    /// Than the best line with an honest ambient ripple.
    over_ripple: f64,
    /// The largest variance a step mean was given, °C².
    largest_variance: f64,
}

/// Whether the alternative is a jump down that no slow ambient ripple can
/// make: between the two steps around it a ripple of period 15 minutes or
/// more (the competitor's range) moves a reading by at most
/// `time_effect::largest_ripple_change_c`, and the jump must exceed that by
/// [`JUMP_SE_MULTIPLE`] standard errors of the difference of two step means.
/// A local test: the least-squares competitor spreads its ±0.3 °C over the
/// whole sweep and so takes part of a real step's misfit.
fn jump_beyond_ripple(
    view: &SweepView,
    alternative: &Alternative,
    jump_c: f64,
    departure: &Departure,
) -> bool {
    let Some((before, after)) = alternative.jump_steps else {
        return false;
    };
    let gap = view.time_between_steps_s(before, after);
    let allowed = largest_ripple_change_c(gap, SLOW_RIPPLE_S)
        + JUMP_SE_MULTIPLE * (2.0 * departure.largest_variance).sqrt();
    jump_c > allowed
}

/// Parameters of an alternative: three coefficients and the knee or step.
const ALTERNATIVE_PARAMETERS: usize = 4;

/// The better (smaller residual) of the best hinge and the best jump.
fn best_alternative(x: &[f64], y: &[f64], counts: &[usize]) -> Option<Alternative> {
    let hinge = hinge_fit(x, y).map(|h| Alternative {
        kind: "bend",
        at_c: h.knee,
        parameters: ALTERNATIVE_PARAMETERS,
        jump_steps: None,
        fitted: x.iter().map(|&v| h.value_at(v)).collect(),
        continued: x
            .iter()
            .map(|v| h.value_at_knee + h.slope_before * (v - h.knee))
            .collect(),
    });
    let jump = best_jump(x, y, counts);
    match (hinge, jump) {
        (Some(h), Some(j)) => Some(if j.sse(y) < h.sse(y) { j } else { h }),
        (h, j) => h.or(j),
    }
}

/// The best line with one jump `y = a + b·x + d·[x ≥ k]`, over the knees
/// leaving [`MIN_STEPS_PER_SIDE`] steps on each side; each jump is also
/// tried with its first step in transition (fitted by its own mean, one
/// parameter more) where that step has several readings: a device that
/// switches on what it measures switches for some readings of the step
/// nearest its threshold and not for others. (With one reading per step a
/// free step is one noisy point left out; measured, it accused one honest
/// device with 0.4 °C noise in 200 on 11 × 1.)
fn best_jump(x: &[f64], y: &[f64], counts: &[usize]) -> Option<Alternative> {
    let n = x.len();
    (MIN_STEPS_PER_SIDE..=n.checked_sub(MIN_STEPS_PER_SIDE)?)
        .flat_map(|split| {
            let transition = counts.get(split).is_some_and(|&c| c >= 2);
            [
                jump_at(x, y, split, false),
                transition.then(|| jump_at(x, y, split, true)).flatten(),
            ]
        })
        .flatten()
        .min_by(|a, b| a.sse(y).total_cmp(&b.sse(y)))
}

/// The least-squares jump at step `split`; with `in_transition` that step is
/// left out of the fit and fitted by its own mean.
fn jump_at(x: &[f64], y: &[f64], split: usize, in_transition: bool) -> Option<Alternative> {
    let at = x[split];
    let basis = |v: f64| [1.0, v, if v >= at { 1.0 } else { 0.0 }];
    let (mut m, mut r) = ([[0.0f64; 3]; 3], [0.0f64; 3]);
    for (index, (&xi, &yi)) in x.iter().zip(y).enumerate() {
        if in_transition && index == split {
            continue;
        }
        let b = basis(xi);
        for i in 0..3 {
            r[i] += b[i] * yi;
            for j in 0..3 {
                m[i][j] += b[i] * b[j];
            }
        }
    }
    let c = solve3(m, r)?;
    let fitted = x.iter().enumerate().map(|(index, &v)| {
        if in_transition && index == split {
            return y[index];
        }
        let b = basis(v);
        c[0] * b[0] + c[1] * b[1] + c[2] * b[2]
    });
    Some(Alternative {
        kind: "jump",
        at_c: at,
        parameters: ALTERNATIVE_PARAMETERS + usize::from(in_transition),
        jump_steps: Some((split.checked_sub(1)?, split + usize::from(in_transition))),
        fitted: fitted.collect(),
        continued: x.iter().map(|&v| c[0] + c[1] * v).collect(),
    })
}
