//! Two sweeps of one session compared at the steps both visited, with the
//! device's drift in time separated from an order effect (docs/science.md
//! §3, "Drift is not manipulation").
//!
//! Per sweep and step, the *settled* readings are kept: when a step has two
//! or more readings in a sweep, its first one (taken while a slow sensor may
//! still be following the change of target) is left out. For each shared
//! step k, `D_k` is the difference of the two sweeps' mean readings and
//! `Δt_k` the difference of their mean times. A drifting device gives
//! `D_k = c·Δt_k`, so `D_k = γ + c·Δt_k` is fitted by OLS over the shared
//! steps: `c` is the drift (°C per hour, with its 95 % interval, for the
//! `drift` detector) and `γ` the difference at equal times (evidence). With
//! one reading per step, an adaptive baseline's difference also shrinks
//! toward the turnaround and so leaks into `c`; `order_effect` therefore
//! judges the mean difference against a bound on honest drift instead of
//! trusting `γ`. Times are the `time` column's, else the reading order.
//!
//! When the time differences cannot separate drift from order (all equal,
//! or too few steps), `γ` is the mean difference and no drift is estimated.

use std::collections::BTreeMap;

use super::time_effect::{ripple_periods_s, TimeBasis, SECONDS_PER_HOUR};
use super::DetectorInput;
use crate::session::DistinctLabels;
use fevercheck_stats::descriptive::{successive_difference_sd, Summary};
use fevercheck_stats::rank::spearman;
use fevercheck_stats::regression::ols;
use fevercheck_stats::Interval;

/// Fewest steps visited by both sweeps.
pub(super) const MIN_SHARED_STEPS: usize = 3;

/// Two sweeps compared.
#[derive(Debug, Clone)]
pub(super) struct SweepContrast {
    /// The first sweep's label.
    pub first: String,
    /// The second sweep's label.
    pub second: String,
    /// Steps visited by both.
    pub shared_steps: usize,
    /// Mean of `D_k`, °C (first − second, drift included).
    pub mean_difference_c: f64,
    /// `γ`: first − second at equal times, °C.
    pub order_effect_c: f64,
    /// The drift `c`, °C per hour (reading order: one minute per reading).
    pub drift_per_hour: Option<f64>,
    /// Its 95 % interval.
    pub drift_ci: Option<Interval>,
    /// What the times are.
    pub time_basis: TimeBasis,
    /// Largest single-step difference: (reference, first, second, difference), °C.
    pub largest: (f64, f64, f64, f64),
    /// Whether a first reading per step and sweep was left out somewhere.
    pub settled_only: bool,
    /// Direction of each sweep's references over time: +1 rising, −1
    /// falling, 0 neither (random order).
    pub directions: (i8, i8),
    /// Mean of `Δt_k`, hours (reading order: one minute per reading).
    pub mean_gap_h: f64,
    /// Standard error of the mean of `D_k`, °C, from the noise of `D_k`
    /// along the steps (successive differences: the slow pattern an order
    /// effect or a drift draws across the steps does not count as noise).
    pub mean_difference_se_c: f64,
    /// Mean times of the two sweeps' visits at each shared step, seconds.
    pub visit_times_s: Vec<(f64, f64)>,
}

impl SweepContrast {
    /// Whether the mean difference has the sign a slow but honest sensor
    /// gives: readings behind the change of target — the rising sweep lower
    /// than the falling one.
    pub(super) fn looks_like_slow_response(&self) -> bool {
        match self.directions {
            (1, -1) => self.mean_difference_c < 0.0,
            (-1, 1) => self.mean_difference_c > 0.0,
            _ => false,
        }
    }

    /// Largest mean difference `|mean D_k|` that an ambient ripple
    /// `A·sin(2πt/P + φ)` alone could give at these visit times, for any
    /// phase and any period `P` of [`ripple_periods_s`].
    ///
    /// The two visits of step k differ by
    /// `2A·cos(ω·m_k + φ)·sin(ω·Δt_k/2)` (`ω = 2π/P`, `m_k` the visits'
    /// midpoint, `Δt_k` their gap); averaged over k this is
    /// `2A·(a·cos φ − b·sin φ)` with `a`, `b` the means of
    /// `cos(ω·m_k)·sin(ω·Δt_k/2)` and `sin(ω·m_k)·sin(ω·Δt_k/2)`, whose
    /// largest value over φ is `2A·√(a² + b²)`.
    pub(super) fn largest_ripple_difference_c(&self, amplitude_c: f64) -> f64 {
        let n = self.visit_times_s.len() as f64;
        if n == 0.0 {
            return 0.0;
        }
        ripple_periods_s()
            .map(|period| {
                let omega = std::f64::consts::TAU / period;
                let (a, b) =
                    self.visit_times_s
                        .iter()
                        .fold((0.0, 0.0), |(a, b), &(first, second)| {
                            let midpoint = omega * (first + second) / 2.0;
                            let half_gap = (omega * (first - second) / 2.0).sin();
                            (a + midpoint.cos() * half_gap, b + midpoint.sin() * half_gap)
                        });
                2.0 * amplitude_c * (a * a + b * b).sqrt() / n
            })
            .fold(0.0, f64::max)
    }
}

/// Mean settled reading and mean time of one sweep at one step.
#[derive(Debug, Clone, Copy)]
struct Cell {
    value: f64,
    time: f64,
}

/// Every pair of sweeps sharing at least [`MIN_SHARED_STEPS`] steps.
pub(super) fn sweep_contrasts(input: &DetectorInput) -> Vec<SweepContrast> {
    let (cells, time_basis, settled_only) = cells(input);
    let labels: Vec<&String> = cells.keys().collect();
    let references: Vec<f64> = input.steps.iter().map(|s| s.reference_c).collect();
    let mut contrasts = Vec::new();
    for (i, first) in labels.iter().enumerate() {
        for second in &labels[i + 1..] {
            let shared: Vec<(usize, Cell, Cell)> = cells[*first]
                .iter()
                .filter_map(|(k, a)| cells[*second].get(k).map(|b| (*k, *a, *b)))
                .collect();
            if let Some(contrast) = contrast(first, second, &shared, &references, time_basis) {
                contrasts.push(SweepContrast {
                    settled_only,
                    directions: (direction(input, first), direction(input, second)),
                    ..contrast
                });
            }
        }
    }
    contrasts
}

/// Number of distinct sweep labels of the source's observations.
pub(super) fn sweep_count(input: &DetectorInput) -> usize {
    let mut labels = DistinctLabels::default();
    for sweep in input.observations.iter().filter_map(|o| o.sweep.as_deref()) {
        labels.add(sweep);
    }
    labels.count()
}

/// The comparison of two sweeps over their shared steps.
fn contrast(
    first: &str,
    second: &str,
    shared: &[(usize, Cell, Cell)],
    references: &[f64],
    time_basis: TimeBasis,
) -> Option<SweepContrast> {
    if shared.len() < MIN_SHARED_STEPS {
        return None;
    }
    let differences: Vec<f64> = shared.iter().map(|(_, a, b)| a.value - b.value).collect();
    let gaps_h: Vec<f64> = shared
        .iter()
        .map(|(_, a, b)| (a.time - b.time) / SECONDS_PER_HOUR)
        .collect();
    let summary = Summary::of(&differences)?;
    let (order_effect_c, drift_per_hour, drift_ci) =
        match ols(&gaps_h, &differences).filter(|_| shared.len() > MIN_SHARED_STEPS) {
            Some(fit) => (fit.intercept, Some(fit.slope), Some(fit.slope_ci)),
            None => (summary.mean, None, None),
        };
    let (k, a, b) = shared
        .iter()
        .map(|(k, a, b)| (*k, a.value, b.value))
        .max_by(|x, y| (x.1 - x.2).abs().total_cmp(&(y.1 - y.2).abs()))?;
    Some(SweepContrast {
        first: first.to_string(),
        second: second.to_string(),
        shared_steps: shared.len(),
        mean_difference_c: summary.mean,
        order_effect_c,
        drift_per_hour,
        drift_ci,
        time_basis,
        largest: (references.get(k).copied().unwrap_or(f64::NAN), a, b, a - b),
        settled_only: false,
        directions: (0, 0),
        mean_gap_h: gaps_h.iter().sum::<f64>() / gaps_h.len() as f64,
        mean_difference_se_c: successive_difference_sd(&differences).unwrap_or(0.0)
            / (shared.len() as f64).sqrt(),
        visit_times_s: shared.iter().map(|(_, a, b)| (a.time, b.time)).collect(),
    })
}

/// Smallest |Spearman ρ| of reference against reading order for a sweep to
/// count as rising or falling (a random order has ρ near 0).
const MONOTONE_RHO_MIN: f64 = 0.8;

/// +1 when the sweep's references rise in reading order, −1 when they fall,
/// 0 otherwise.
fn direction(input: &DetectorInput, label: &str) -> i8 {
    let references: Vec<f64> = input
        .observations
        .iter()
        .filter(|o| o.sweep.as_deref() == Some(label))
        .map(|o| o.reference_c)
        .collect();
    let order: Vec<f64> = (0..references.len()).map(|i| i as f64).collect();
    match spearman(&order, &references) {
        Some(rho) if rho >= MONOTONE_RHO_MIN => 1,
        Some(rho) if rho <= -MONOTONE_RHO_MIN => -1,
        _ => 0,
    }
}

/// Settled mean value and mean time per sweep label and step index; the
/// time basis; whether any first reading was left out.
fn cells(input: &DetectorInput) -> (BTreeMap<String, BTreeMap<usize, Cell>>, TimeBasis, bool) {
    let times = input.times;
    // Readings per (label, step), in file order: (value, time). Rows come
    // in runs of one label and step: each run's group is looked up once.
    let mut groups: BTreeMap<(&str, usize), Vec<(f64, f64)>> = BTreeMap::new();
    let (mut run_key, mut run) = (None, Vec::new());
    for (((observation, &value), &step), &time) in input
        .observations
        .iter()
        .zip(input.device)
        .zip(input.step_of)
        .zip(&times.seconds)
    {
        let Some(label) = observation.sweep.as_deref() else {
            continue;
        };
        let key = (label, step);
        if run_key != Some(key) {
            if let Some(done) = run_key.replace(key) {
                groups.entry(done).or_default().append(&mut run);
            }
        }
        run.push((value, time));
    }
    if let Some(done) = run_key {
        groups.entry(done).or_default().append(&mut run);
    }
    let mut settled_only = false;
    let mut cells: BTreeMap<String, BTreeMap<usize, Cell>> = BTreeMap::new();
    for ((label, step), readings) in groups {
        let kept = if readings.len() >= 2 {
            settled_only = true;
            &readings[1..]
        } else {
            &readings[..]
        };
        let n = kept.len() as f64;
        let cell = Cell {
            value: kept.iter().map(|r| r.0).sum::<f64>() / n,
            time: kept.iter().map(|r| r.1).sum::<f64>() / n,
        };
        cells
            .entry(label.to_string())
            .or_default()
            .insert(step, cell);
    }
    (cells, times.basis, settled_only)
}
