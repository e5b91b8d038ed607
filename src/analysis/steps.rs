//! The report's step table: one row per reference step with the device's
//! statistics at that step, for each source of device values.

use crate::model::Step;
use crate::session::Observation;
use crate::stats::descriptive::Summary;
use crate::stats::steps::{group_into_steps, StepStats};

/// The steps of `observations` (with the reported and the radiometric value
/// of each, when it has one) and, for each observation, its step's index.
pub fn build_steps(
    observations: &[&Observation],
    reported: &[Option<f64>],
    radiometric: &[Option<f64>],
) -> (Vec<Step>, Vec<usize>) {
    let keys: Vec<f64> = observations.iter().map(|o| o.step_key_c()).collect();
    let mut step_of = vec![0; observations.len()];
    let steps = group_into_steps(&keys)
        .into_iter()
        .enumerate()
        .map(|(step_index, members)| {
            let mut references = Vec::with_capacity(members.len());
            let mut setpoints = Vec::new();
            let (mut shown, mut shown_references) = (Vec::new(), Vec::new());
            let (mut measured, mut measured_references) = (Vec::new(), Vec::new());
            for &i in &members {
                step_of[i] = step_index;
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
        })
        .collect();
    (steps, step_of)
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
        let (steps, step_of) =
            build_steps(&[&c, &a, &b], &[Some(37.0), Some(36.1), Some(36.3)], &[]);
        assert_eq!(step_of, vec![1, 0, 0]);
        assert_eq!(steps.len(), 2);
        assert!((steps[0].reference_c - 36.0).abs() < 1e-12);
        assert_eq!(steps[0].setpoint_c, Some(36.0));
        let reported = steps[0].reported.clone().unwrap();
        assert!((reported.mean_c - 36.2).abs() < 1e-12);
        assert!((reported.error_c - 0.2).abs() < 1e-12);
    }
}
