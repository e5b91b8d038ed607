//! `order_effect`: the output depends on what the device saw before (an
//! adaptive baseline), so the same target reads differently in an upward and
//! a downward sweep (docs/science.md §3).
//!
//! Needs a `sweep` column with at least two labels. For each pair of labels,
//! the steps visited in both give differences of cell means
//! `d_k = mean_a,k − mean_b,k`. An honest device has `d_k` centred on 0; an
//! adaptive baseline shifts them all one way. Flags when the mean difference
//! is more than [`T_MIN`] standard errors from 0 (`t = d̄/(s_d/√k)`) and larger
//! than the display resolution. Evidence includes the largest single-step
//! difference, the figure the first version of this detector judged on
//! (docs/science.md §3 says why the mean is used).

use std::collections::BTreeMap;

use serde_json::json;

use super::sweep_view::SweepView;
use super::{Detector, DetectorInput};
use crate::model::{Finding, Severity};
use crate::stats::descriptive::Summary;

/// Standard errors the mean sweep difference must exceed. docs/science.md §3
/// suggests 3 × the pooled SE for the largest step difference; over 21 steps
/// that fires on honest devices several percent of the time, so the test is
/// on the mean difference, and 4 SE keeps the false-positive rate of the
/// seeded calibration (tests/calibration.rs) well under 1 %.
pub const T_MIN: f64 = 4.0;

/// Fewest steps visited by both sweeps.
pub const MIN_SHARED_STEPS: usize = 3;

/// Detects output that depends on the order of targets.
pub struct OrderEffectDetector;

/// The comparison of two sweeps.
struct SweepPair {
    first: String,
    second: String,
    shared_steps: usize,
    mean_difference: f64,
    t: f64,
    largest: (f64, f64, f64, f64),
}

impl Detector for OrderEffectDetector {
    fn id(&self) -> &'static str {
        "order_effect"
    }

    fn tests_manipulation(&self) -> bool {
        true
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let cells = cell_means(input);
        let labels: Vec<&String> = cells.keys().collect();
        if labels.len() < 2 {
            return vec![Finding::new(
                self.id(),
                input.source,
                Severity::Warning,
                "cannot test for order effects: the session has no `sweep` column with two or more \
                 sweeps. Sweep the blackbody up and then down, labelling the rows `up` and `down`, \
                 to test whether readings depend on what the device saw before"
                    .to_string(),
                json!({ "sweeps": labels.len() }),
            )];
        }
        let references: Vec<f64> = input.steps.iter().map(|s| s.reference_c).collect();
        let pairs = compare_all(&cells, &references);
        let Some(best) = pairs
            .into_iter()
            .max_by(|a, b| a.t.abs().total_cmp(&b.t.abs()))
        else {
            return vec![Finding::new(
                self.id(),
                input.source,
                Severity::Warning,
                format!(
                    "cannot test for order effects: no two sweeps share {MIN_SHARED_STEPS} or more steps"
                ),
                json!({ "sweeps": labels.len() }),
            )];
        };
        let resolution = view.resolution_c;
        if !(best.t.abs() > T_MIN && best.mean_difference.abs() > resolution) {
            return Vec::new();
        }
        let (at, a, b, d) = best.largest;
        let message = format!(
            "the same target reads differently depending on the sweep: at {at:.2} °C the `{}` sweep \
             read {a:.2} °C and the `{}` sweep {b:.2} °C ({d:+.2} °C); over {} shared steps \
             `{}` − `{}` = {:+.2} °C on average (t = {:.1}). The output depends on what the device \
             saw before (an adaptive baseline), not only on the target",
            best.first,
            best.second,
            best.shared_steps,
            best.first,
            best.second,
            best.mean_difference,
            best.t,
        );
        let evidence = json!({
            "sweeps": [best.first, best.second],
            "shared_steps": best.shared_steps,
            "mean_difference_c": best.mean_difference,
            "t": best.t,
            "largest_difference": {"reference_c": at, "first_c": a, "second_c": b, "difference_c": d},
            "display_resolution_c": resolution,
            "thresholds": {"t_min": T_MIN},
        });
        vec![Finding::new(
            self.id(),
            input.source,
            Severity::Manipulation,
            message,
            evidence,
        )]
    }
}

/// Mean device value per sweep label and step index.
fn cell_means(input: &DetectorInput) -> BTreeMap<String, BTreeMap<usize, f64>> {
    let mut sums: BTreeMap<String, BTreeMap<usize, (f64, usize)>> = BTreeMap::new();
    for ((observation, &value), &step) in input
        .observations
        .iter()
        .zip(input.device)
        .zip(input.step_of)
    {
        if let Some(label) = &observation.sweep {
            let cell = sums
                .entry(label.clone())
                .or_default()
                .entry(step)
                .or_default();
            cell.0 += value;
            cell.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(label, cells)| {
            (
                label,
                cells
                    .into_iter()
                    .map(|(k, (s, n))| (k, s / n as f64))
                    .collect(),
            )
        })
        .collect()
}

/// Every pair of sweeps that share enough steps.
fn compare_all(
    cells: &BTreeMap<String, BTreeMap<usize, f64>>,
    references: &[f64],
) -> Vec<SweepPair> {
    let labels: Vec<&String> = cells.keys().collect();
    let mut pairs = Vec::new();
    for (i, first) in labels.iter().enumerate() {
        for second in &labels[i + 1..] {
            let shared: Vec<(usize, f64, f64)> = cells[*first]
                .iter()
                .filter_map(|(k, a)| cells[*second].get(k).map(|b| (*k, *a, *b)))
                .collect();
            if shared.len() < MIN_SHARED_STEPS {
                continue;
            }
            let differences: Vec<f64> = shared.iter().map(|(_, a, b)| a - b).collect();
            let Some(summary) = Summary::of(&differences) else {
                continue;
            };
            let se = summary.sd.unwrap_or(0.0) / (shared.len() as f64).sqrt();
            let t = if se > 0.0 {
                summary.mean / se
            } else if summary.mean != 0.0 {
                f64::INFINITY.copysign(summary.mean)
            } else {
                0.0
            };
            let (k, a, b) = shared
                .iter()
                .copied()
                .max_by(|x, y| (x.1 - x.2).abs().total_cmp(&(y.1 - y.2).abs()))
                .unwrap_or((0, 0.0, 0.0));
            pairs.push(SweepPair {
                first: (*first).clone(),
                second: (*second).clone(),
                shared_steps: shared.len(),
                mean_difference: summary.mean,
                t,
                largest: (references.get(k).copied().unwrap_or(f64::NAN), a, b, a - b),
            });
        }
    }
    pairs
}
