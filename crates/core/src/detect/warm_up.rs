//! `warm_up`: a device that had not stabilised when the session began
//! (docs/science.md §3, "Warm-up is an honest time effect"). An uncooled
//! thermal camera settles over its first minutes; IEC 80601-2-59 asks for
//! the warm-up its maker states before testing. A settling is honest, so
//! this detector only warns, with the minutes to discard; the manipulation
//! detectors count it among the honest time effects (`time_effect`,
//! `honest_model`).
//!
//! The afebrile readings (targets below the alarm threshold, where even a
//! fever-hiding device is honest) are fitted by a line in the reference
//! plus a drift in time, with and without a settling `A·e^{−t/τ}` (t from
//! the session's first reading, τ over [`WARM_UP_TIME_CONSTANTS_S`]); the
//! settling is reported when it improves the fit by more than
//! [`WARM_UP_CHI_SQUARE`] squared residual standard deviations, moves the
//! first reading by at least [`MIN_SETTLING_C`], and fits better than a
//! slow ambient ripple of the honest size would. On a stability run (one
//! target) the line is a constant.

use rayon::prelude::*;
use serde_json::json;

use super::sweep_view::SweepView;
use super::time_effect::{
    TimeBasis, PLAUSIBLE_RIPPLE_C, RIPPLE_PERIODS_S, SECONDS_PER_HOUR, WARM_UP_TIME_CONSTANTS_S,
};
use super::{About, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::linear_system::solve;

/// Smallest improvement of the fit, in squared residual standard
/// deviations, that shows a settling: the 99.9 % point of χ² with 2
/// degrees of freedom (amplitude and time constant), 13.82.
pub(super) const WARM_UP_CHI_SQUARE: f64 = 13.82;

/// Smallest settling reported, °C: one step of a 0.1 °C display.
pub(super) const MIN_SETTLING_C: f64 = 0.1;

/// What is left of a settling when it no longer matters, °C: half a step
/// of a 0.1 °C display. The minutes to discard run until the settling is
/// this small.
pub(super) const NEGLIGIBLE_SETTLING_C: f64 = 0.05;

/// Time constants tried, log-spaced over [`WARM_UP_TIME_CONSTANTS_S`] (a
/// step of 7 %).
const TIME_CONSTANT_GRID: usize = 40;

/// Most readings fitted: a longer session is thinned to every k-th
/// reading, which keeps a settling of a minute or more (a reading every
/// few seconds at most over a typical day's log) and keeps the 140 fits
/// (time constants and ripple periods) to about a second.
const MAX_READINGS_FITTED: usize = 20_000;

/// Fewest readings: four coefficients and enough left for the noise.
const MIN_READINGS: usize = 10;

/// Warns when a device was still settling at the start of a session.
pub(super) struct WarmUpDetector;

/// A settling found in the readings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Settling {
    /// How far the first reading lies from the settled device, °C
    /// (negative: it read low).
    pub amplitude_c: f64,
    /// Time constant, seconds.
    pub tau_s: f64,
    /// Improvement of the fit, in squared residual standard deviations.
    pub chi_square: f64,
}

impl Settling {
    /// Seconds from the first reading until the settling is below
    /// [`NEGLIGIBLE_SETTLING_C`].
    pub(super) fn discard_s(&self) -> f64 {
        self.tau_s
            * (self.amplitude_c.abs() / NEGLIGIBLE_SETTLING_C)
                .ln()
                .max(0.0)
    }
}

impl Detector for WarmUpDetector {
    fn about(&self) -> About {
        About::accuracy("warm_up", true)
    }

    fn on_source(&self, input: &DetectorInput, _view: &SweepView) -> Vec<Finding> {
        let times = input.times;
        // Where the device is honest if anywhere: below the alarm threshold
        // (a device that hides fevers bends its febrile readings, which a
        // settling in a single sweep would mimic).
        let threshold = input.accuracy.alarm_threshold_c;
        let mut afebrile: Vec<usize> = (0..input.reference.len())
            .filter(|&i| input.reference[i] < threshold)
            .collect();
        let every = afebrile.len().div_ceil(MAX_READINGS_FITTED).max(1);
        if every > 1 {
            afebrile = afebrile.into_iter().step_by(every).collect();
        }
        let pick = |values: &[f64]| afebrile.iter().map(|&i| values[i]).collect::<Vec<f64>>();
        let found = settling(
            &pick(input.reference),
            &pick(input.device),
            &pick(&times.seconds),
        );
        let Some(settling) = found else {
            return Vec::new();
        };
        if !(settling.chi_square > WARM_UP_CHI_SQUARE
            && settling.amplitude_c.abs() >= MIN_SETTLING_C)
        {
            return Vec::new();
        }
        let minutes = settling.discard_s() / 60.0;
        let assumed = match times.basis {
            TimeBasis::Clock => "",
            TimeBasis::ReadingOrder => " (no `time` column: one reading a minute assumed)",
        };
        let message = format!(
            "the device had not stabilised when the session began: its first readings lie \
             {:.2} °C {} what it settles to, settling with a time constant of {:.1} min{assumed} \
             ({:.0} squared standard errors better than a line and a drift alone); discard the \
             first {minutes:.0} minutes of readings (until the settling is below \
             {NEGLIGIBLE_SETTLING_C:.2} °C) or warm the device up for longer before testing \
             (IEC 80601-2-59 asks for the warm-up its maker states). A settling is an honest \
             time effect: no manipulation finding comes of it",
            settling.amplitude_c.abs(),
            if settling.amplitude_c < 0.0 {
                "below"
            } else {
                "above"
            },
            settling.tau_s / 60.0,
            settling.chi_square,
        );
        let evidence = json!({
            "amplitude_c": settling.amplitude_c,
            "time_constant_s": settling.tau_s,
            "chi_square_improvement": settling.chi_square,
            "discard_first_s": settling.discard_s(),
            "time_basis": times.basis.name(),
            "thresholds": {
                "warm_up_chi_square": WARM_UP_CHI_SQUARE,
                "min_settling_c": MIN_SETTLING_C,
                "negligible_settling_c": NEGLIGIBLE_SETTLING_C,
            },
        });
        vec![self.new_finding(input, Severity::Warning, message, evidence)]
    }
}

/// The best settling `A·e^{−t/τ}` beside a line in the reference `x` and a
/// drift in time, fitted to readings `y` at times `t_s` (seconds from the
/// session's first reading); `None` with too few readings, or when a slow
/// ambient ripple of up to [`PLAUSIBLE_RIPPLE_C`] fits the readings better
/// (a room's cycle is not a settling).
pub(super) fn settling(x: &[f64], y: &[f64], t_s: &[f64]) -> Option<Settling> {
    let n = x.len();
    if n < MIN_READINGS {
        return None;
    }
    let hours: Vec<f64> = t_s.iter().map(|t| t / SECONDS_PER_HOUR).collect();
    // Without a spread of targets (a stability run) the line is a constant:
    // the column of targets drops out of the fit as degenerate.
    let (without, _) = centred_fit(&[x, &hours], y)?;
    let (shortest, longest) = WARM_UP_TIME_CONSTANTS_S;
    let ratio = (longest / shortest).ln();
    // Every time constant fitted on whichever core is free (the detectors
    // that finish sooner leave this one last); the best is the first of
    // the smallest, as the grid is read in order.
    let (fits, ripple_sse) = rayon::join(
        || {
            (0..TIME_CONSTANT_GRID)
                .into_par_iter()
                .map(|index| {
                    let tau =
                        shortest * (ratio * index as f64 / (TIME_CONSTANT_GRID - 1) as f64).exp();
                    let settling: Vec<f64> = t_s.iter().map(|t| (-t / tau).exp()).collect();
                    centred_fit(&[x, &hours, &settling], y).map(|(sse, beta)| (sse, beta[2], tau))
                })
                .collect::<Vec<_>>()
        },
        || best_ripple_sse(x, &hours, t_s, y),
    );
    let mut best: Option<(f64, f64, f64)> = None;
    for (sse, amplitude_c, tau_s) in fits.into_iter().flatten() {
        if best.is_none_or(|(best_sse, _, _)| sse < best_sse) {
            best = Some((sse, amplitude_c, tau_s));
        }
    }
    let (sse, amplitude_c, tau_s) = best?;
    if ripple_sse.is_some_and(|ripple| ripple < sse) {
        return None;
    }
    let parameters = 5;
    let variance = sse / n.saturating_sub(parameters).max(1) as f64;
    Some(Settling {
        amplitude_c,
        tau_s,
        chi_square: (without - sse) / variance.max(1e-300),
    })
}

/// Periods of the ripple competitor, log-spaced over [`RIPPLE_PERIODS_S`]
/// (a step of 2.5 %).
const RIPPLE_PERIOD_GRID: usize = 100;

/// The smallest residual sum of squares of a line, a drift and an ambient
/// ripple `c·sin ωt + d·cos ωt` of amplitude at most [`PLAUSIBLE_RIPPLE_C`]
/// (a larger fitted ripple is scaled down to it and the line refitted).
fn best_ripple_sse(x: &[f64], hours: &[f64], t_s: &[f64], y: &[f64]) -> Option<f64> {
    let (shortest, longest) = RIPPLE_PERIODS_S;
    let ratio = (longest / shortest).ln();
    (0..RIPPLE_PERIOD_GRID)
        .into_par_iter()
        .filter_map(|index| {
            let period = shortest * (ratio * index as f64 / (RIPPLE_PERIOD_GRID - 1) as f64).exp();
            let omega = std::f64::consts::TAU / period;
            let (sines, cosines): (Vec<f64>, Vec<f64>) =
                t_s.iter().map(|t| (omega * t).sin_cos()).unzip();
            let (sse, beta) = centred_fit(&[x, hours, &sines, &cosines], y)?;
            let amplitude = beta[2].hypot(beta[3]);
            if amplitude <= PLAUSIBLE_RIPPLE_C {
                return Some(sse);
            }
            let shrink = PLAUSIBLE_RIPPLE_C / amplitude;
            let rest: Vec<f64> = y
                .iter()
                .zip(sines.iter().zip(&cosines))
                .map(|(v, (s, c))| v - shrink * (beta[2] * s + beta[3] * c))
                .collect();
            centred_fit(&[x, hours], &rest).map(|(sse, _)| sse)
        })
        .min_by(f64::total_cmp)
}

/// Least squares of `y` on a constant and `columns`, by centring every
/// column (the constant drops out): the residual sum of squares and one
/// coefficient per column. A column that does not vary (no spread of
/// targets, one time) is left out, its coefficient 0.
fn centred_fit(columns: &[&[f64]], y: &[f64]) -> Option<(f64, Vec<f64>)> {
    let centred = |v: &[f64]| {
        let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
        v.iter().map(|a| a - mean).collect::<Vec<f64>>()
    };
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let yc = centred(y);
    let all: Vec<Vec<f64>> = columns.iter().map(|c| centred(c)).collect();
    let used: Vec<usize> = (0..all.len())
        .filter(|&i| dot(&all[i], &all[i]) > 1e-12 * all[i].len() as f64)
        .collect();
    let gram: Vec<Vec<f64>> = used
        .iter()
        .map(|&i| used.iter().map(|&j| dot(&all[i], &all[j])).collect())
        .collect();
    let right: Vec<f64> = used.iter().map(|&i| dot(&all[i], &yc)).collect();
    let solved = if used.is_empty() {
        Vec::new()
    } else {
        solve(gram, right.clone())?
    };
    let explained: f64 = solved.iter().zip(&right).map(|(b, r)| b * r).sum();
    let mut beta = vec![0.0; columns.len()];
    for (&i, b) in used.iter().zip(&solved) {
        beta[i] = *b;
    }
    Some(((dot(&yc, &yc) - explained).max(0.0), beta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settling_stability_run_is_found_and_the_minutes_to_discard_counted() {
        // One target (31.6 °C), a reading every 30 s for 40 min; the device
        // reads 0.8 °C low at the start, settling with τ = 300 s (on the grid:
        // 60·15^(k/39) for k = 23 is 299.0 s, near enough to fit within noise).
        let t: Vec<f64> = (0..80).map(|i| 30.0 * f64::from(i)).collect();
        let x = vec![31.6; 80];
        let y: Vec<f64> = t.iter().map(|t| 31.6 - 0.8 * (-t / 300.0).exp()).collect();
        let found = settling(&x, &y, &t).unwrap();
        assert!((found.amplitude_c + 0.8).abs() < 0.02, "{found:?}");
        assert!((found.tau_s - 300.0).abs() < 15.0, "{found:?}");
        assert!(found.chi_square > WARM_UP_CHI_SQUARE);
        // 0.8 → 0.05 °C takes τ·ln 16 = 2.77 τ, 13.9 minutes at τ = 300 s.
        let s = Settling {
            amplitude_c: -0.8,
            tau_s: 300.0,
            chi_square: 100.0,
        };
        assert!((s.discard_s() - 300.0 * 16f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn a_straight_drifting_device_shows_no_settling() {
        // A line in the target plus a drift of 0.5 °C/h and a small
        // alternating noise: a settling improves nothing that matters.
        let t: Vec<f64> = (0..63).map(|i| 30.0 * f64::from(i)).collect();
        let x: Vec<f64> = (0..63).map(|i| 35.0 + 0.25 * f64::from(i / 3)).collect();
        let y: Vec<f64> = x
            .iter()
            .zip(&t)
            .enumerate()
            .map(|(i, (x, t))| x + 0.5 * t / 3600.0 + if i % 2 == 0 { 0.05 } else { -0.05 })
            .collect();
        let found = settling(&x, &y, &t).unwrap();
        assert!(
            found.chi_square < WARM_UP_CHI_SQUARE || found.amplitude_c.abs() < MIN_SETTLING_C,
            "{found:?}"
        );
    }
}
