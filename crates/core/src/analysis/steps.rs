//! The report's step table: one row per reference step with the device's
//! statistics at that step, for each source of device values.

use rayon::prelude::*;

use crate::model::Step;
use crate::session::Observation;
use fevercheck_stats::descriptive::Summary;
use fevercheck_stats::steps::{group_into_steps, StepStats};

/// Neighbouring steps closer than this, °C, grouped from references alone,
/// may be one set-point split by a wandering reference: sweeps step by
/// 0.25 °C or more (Healy et al. 2021) and IEC 80601-2-59 asks a blackbody
/// to hold within 0.1 °C.
pub(crate) const CLOSE_STEPS_C: f64 = 0.15;

/// The steps of `observations` (with the reported and the radiometric value
/// of each, when it has one), for each observation its step's index, and a
/// warning when steps grouped from references alone are ambiguous.
pub(crate) fn build_steps(
    observations: &[&Observation],
    reported: &[Option<f64>],
    radiometric: &[Option<f64>],
) -> (Vec<Step>, Vec<usize>, Vec<String>) {
    let keys: Vec<f64> = observations.par_iter().map(|o| o.step_key_c()).collect();
    let grouping = group_into_steps(&keys);
    // Each step's statistics on whichever core is free.
    let steps: Vec<Step> = grouping
        .steps
        .par_iter()
        .map(|members| step(members, observations, reported, radiometric))
        .collect();
    let mut step_of = vec![0; observations.len()];
    for (step_index, members) in grouping.steps.iter().enumerate() {
        for &i in members {
            step_of[i] = step_index;
        }
    }
    // Every observation is in a step, and a step has a set-point when one
    // of its observations has.
    let from_references = steps.iter().all(|step| step.setpoint_c.is_none());
    let warnings = if from_references {
        ambiguous_steps(&steps).into_iter().collect()
    } else {
        Vec::new()
    };
    (steps, step_of, warnings)
}

/// The step of the observations at `members`.
fn step(
    members: &[usize],
    observations: &[&Observation],
    reported: &[Option<f64>],
    radiometric: &[Option<f64>],
) -> Step {
    let mut references = Vec::with_capacity(members.len());
    let mut setpoints = Vec::new();
    let (mut shown, mut shown_references) = (Vec::new(), Vec::new());
    let (mut measured, mut measured_references) = (Vec::new(), Vec::new());
    for &i in members {
        let o = observations[i];
        references.push(o.reference_c);
        setpoints.extend(o.setpoint_c);
        if let Some(value) = reported.get(i).copied().flatten() {
            shown.push(value);
            shown_references.push(o.reference_c);
        }
        if let Some(value) = radiometric.get(i).copied().flatten() {
            measured.push(value);
            measured_references.push(o.reference_c);
        }
    }
    let reference_c = mean(&references);
    Step {
        reference_c,
        setpoint_c: (!setpoints.is_empty()).then(|| mean(&setpoints)),
        n: members.len(),
        reference_sd_c: Summary::of(&references)
            .and_then(|s| s.sd)
            .filter(|&sd| sd > 0.0),
        reported: StepStats::of_paired(&shown, &shown_references, reference_c),
        radiometric: StepStats::of_paired(&measured, &measured_references, reference_c),
    }
}

/// The warning for neighbouring steps closer than [`CLOSE_STEPS_C`].
fn ambiguous_steps(steps: &[Step]) -> Option<String> {
    let close: Vec<(f64, f64)> = steps
        .windows(2)
        .map(|w| (w[0].reference_c, w[1].reference_c))
        .filter(|(low, high)| high - low < CLOSE_STEPS_C)
        .collect();
    let &(low, high) = close.first()?;
    let pairs = close.len();
    Some(format!(
        "the steps were grouped from the reference values alone, and {pairs} pair{} of \
         neighbouring steps lie{} less than {CLOSE_STEPS_C} °C apart (first {low:.2} and \
         {high:.2} °C): if such readings belong to one set-point read by a wandering \
         reference, add a `setpoint_c` column (the blackbody's set-point) so they are one step",
        if pairs == 1 { "" } else { "s" },
        if pairs == 1 { "s" } else { "" },
    ))
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_setpoints_and_average_references() {
        let mut a = Observation::new(2, 36.02, Some(36.1));
        a.setpoint_c = Some(36.0);
        let mut b = Observation::new(3, 35.98, Some(36.3));
        b.setpoint_c = Some(36.0);
        let mut c = Observation::new(4, 37.01, Some(37.0));
        c.setpoint_c = Some(37.0);
        let (steps, step_of, warnings) =
            build_steps(&[&c, &a, &b], &[Some(37.0), Some(36.1), Some(36.3)], &[]);
        assert!(warnings.is_empty(), "set-points given: {warnings:?}");
        assert_eq!(step_of, vec![1, 0, 0]);
        assert_eq!(steps.len(), 2);
        assert!((steps[0].reference_c - 36.0).abs() < 1e-12);
        assert_eq!(steps[0].setpoint_c, Some(36.0));
        let reported = steps[0].reported.clone().unwrap();
        assert!((reported.mean_c - 36.2).abs() < 1e-12);
        assert!((reported.error_c - 0.2).abs() < 1e-12);
    }

    #[test]
    fn steps_close_together_without_set_points_are_named() {
        // References 37.40, 37.50 (single readings) and 38.0: no clear break
        // (gaps 0.1 and 0.5 but merging would span 0.1), two steps 0.10 apart.
        let observations: Vec<Observation> = [37.4, 37.5, 38.0]
            .iter()
            .enumerate()
            .map(|(i, &x)| Observation::new(i as u64 + 2, x, Some(x)))
            .collect();
        let refs: Vec<&Observation> = observations.iter().collect();
        let reported: Vec<Option<f64>> = observations.iter().map(|o| o.reported_c).collect();
        let (steps, _, warnings) = build_steps(&refs, &reported, &[]);
        assert_eq!(steps.len(), 3);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("1 pair of neighbouring steps lies less than 0.15 °C apart")
                && warnings[0].contains("first 37.40 and 37.50 °C")
                && warnings[0].contains("`setpoint_c`"),
            "{}",
            warnings[0]
        );
    }
}
