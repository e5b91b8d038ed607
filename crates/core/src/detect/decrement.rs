//! `decrement`: readings fall as the target warms toward fever (Healy et al.
//! 2021: "decremented readings as the target neared the febrile range";
//! docs/science.md §3).
//!
//! Evidence: the significant drops between consecutive steps (a step mean
//! lower than the previous one by more than `max(2·SE of the difference,
//! display resolution)` plus what an honest ambient ripple could change in
//! the time between the two steps, `time_effect::largest_ripple_change_c`),
//! Spearman's ρ of step mean against reference over
//! the steps at or above [`REGION_START_C`], and the fall from the highest
//! step mean there to the warmest step. Flags with at least
//! [`MIN_SIGNIFICANT_DROPS`] significant drops, or with ρ ≤ 0 over a region
//! spanning at least [`MIN_REGION_SPAN_C`] and a fall larger than the display
//! resolution (so a flat, noisy output is not called a fall).

use serde_json::json;

use super::sweep_view::SweepView;
use super::time_effect::{largest_ripple_change_c, RIPPLE_PERIODS_S};
use super::{alarm_consequence, About, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::hinge::hinge_fit;
use fevercheck_stats::rank::spearman;

/// Fewest significant step-to-step drops that flag (docs/science.md §3).
pub(super) const MIN_SIGNIFICANT_DROPS: usize = 2;

/// Multiple of the standard error a drop must exceed (docs/science.md §3: 2·SE).
pub(super) const DROP_SE_MULTIPLE: f64 = 2.0;

/// Start of the region where a rising target must give rising readings, °C
/// (docs/science.md §3: Spearman ρ "over the steps with x ≥ 37 °C").
pub(super) const REGION_START_C: f64 = 37.0;

/// Narrowest region span on which ρ decides, °C (docs/science.md §3: "over at least 2 °C of the sweep").
pub(super) const MIN_REGION_SPAN_C: f64 = 2.0;

/// Detects readings that fall while the target warms.
pub(super) struct DecrementDetector;

/// One significant drop between consecutive steps.
struct Drop {
    /// Index of the step before the drop.
    from: usize,
    /// Index of the step after it.
    to: usize,
    from_c: f64,
    to_c: f64,
    fall_c: f64,
}

impl Detector for DecrementDetector {
    fn about(&self) -> About {
        About::shape("decrement", "falling readings")
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let drops = significant_drops(view);
        let region: Vec<usize> = (0..view.references.len())
            .filter(|&i| view.references[i] >= REGION_START_C)
            .collect();
        let region_span = match (region.first(), region.last()) {
            (Some(&a), Some(&b)) => view.references[b] - view.references[a],
            _ => 0.0,
        };
        let refs: Vec<f64> = region.iter().map(|&i| view.references[i]).collect();
        let means: Vec<f64> = region.iter().map(|&i| view.means[i]).collect();
        let rho = (region_span >= MIN_REGION_SPAN_C)
            .then(|| spearman(&refs, &means))
            .flatten();
        // Peak and warmest step of the region (of the whole sweep when no
        // step reaches the region).
        let scope: Vec<usize> = if region.is_empty() {
            (0..view.references.len()).collect()
        } else {
            region
        };
        let Some(&warmest) = scope.last() else {
            return Vec::new();
        };
        let peak = scope
            .iter()
            .copied()
            .max_by(|&a, &b| view.means[a].total_cmp(&view.means[b]))
            .unwrap_or(warmest);
        let fall = view.means[peak] - view.means[warmest];
        let falls_overall = rho.is_some_and(|r| r <= 0.0) && fall > view.resolution_c;
        if drops.len() < MIN_SIGNIFICANT_DROPS && !falls_overall {
            return Vec::new();
        }
        // The fall to cite: from the peak to the warmest step, or the
        // largest significant drop when the warmest step is the peak.
        let (high, low) = match drops.iter().max_by(|a, b| a.fall_c.total_cmp(&b.fall_c)) {
            Some(d) if fall <= view.resolution_c => (d.from, d.to),
            _ => (peak, warmest),
        };
        let message = format!(
            "readings fall while the target warms: a {:.2} °C target read {:.2} °C but a {:.2} °C \
             target read {:.2} °C ({} significant step-to-step drop(s){}); a febrile target reads \
             lower than a normal one; {}",
            view.references[high],
            view.means[high],
            view.references[low],
            view.means[low],
            drops.len(),
            rho.map(|r| format!(", Spearman ρ = {r:.2} from {REGION_START_C:.1} °C up"))
                .unwrap_or_default(),
            alarm_consequence(input),
        );
        // The shape: a rise and then a fall (the best hinge).
        let fit = hinge_fit(&view.references, &view.means).and_then(|h| view.hinge_shape_fit(&h));
        let evidence = json!({
            "significant_drops": drops.iter().map(|d| json!({"from_c": d.from_c, "to_c": d.to_c, "fall_c": d.fall_c})).collect::<Vec<_>>(),
            "spearman_rho": rho,
            "region_c": [REGION_START_C, view.references.last()],
            "peak": {"reference_c": view.references[peak], "reading_c": view.means[peak]},
            "warmest": {"reference_c": view.references[warmest], "reading_c": view.means[warmest]},
            "fall_c": fall,
            "noise_sd_c": view.noise_sd_c,
            "display_resolution_c": view.resolution_c,
        });
        vec![self
            .new_finding(input, Severity::Manipulation, message, evidence)
            .flagging(view.references[high], view.references[low])
            .with_fit(fit)]
    }
}

/// Consecutive steps whose mean drops by more than the noise allows.
fn significant_drops(view: &SweepView) -> Vec<Drop> {
    (1..view.means.len())
        .filter_map(|i| {
            let fall = view.means[i - 1] - view.means[i];
            let se = (view.step_se(i - 1).powi(2) + view.step_se(i).powi(2)).sqrt();
            let gap = view.time_between_steps_s(i - 1, i);
            let ripple = largest_ripple_change_c(gap, RIPPLE_PERIODS_S.0);
            (fall > (DROP_SE_MULTIPLE * se).max(view.resolution_c) + ripple).then(|| Drop {
                from: i - 1,
                to: i,
                from_c: view.references[i - 1],
                to_c: view.references[i],
                fall_c: fall,
            })
        })
        .collect()
}
