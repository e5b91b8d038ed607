//! The step table: observations grouped by reference step, with the device's
//! mean, spread and error at each step.
//!
//! A step is identified by the set-point when the session has one, else by the
//! reference. Sorted keys start a new step when a key is more than
//! [`STEP_MERGE_TOLERANCE_C`] above the first key of the current step, so a
//! reference thermometer that wanders by a few hundredths at one set-point
//! still gives one step. The step's reference is the mean reference of its
//! observations; its error is `mean(y) − reference`.

use serde::{Deserialize, Serialize};

use super::descriptive::Summary;
use super::uncertainty::Budget;

/// Largest spread of keys inside one step, °C. Sweeps step by 0.25 °C
/// (Healy et al. 2021) and blackbodies hold a set-point within ±0.05 °C
/// (IEC 80601-2-59 asks ETRS stability ≤ 0.1 °C), so 0.05 °C separates
/// steps without splitting one.
pub const STEP_MERGE_TOLERANCE_C: f64 = 0.05;

/// The device's readings at one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepStats {
    /// Readings at this step.
    pub n: usize,
    /// Mean reading, °C.
    pub mean_c: f64,
    /// Standard deviation of the readings (n − 1), °C; `None` for one reading.
    pub sd_c: Option<f64>,
    /// Lowest reading, °C.
    pub min_c: f64,
    /// Highest reading, °C.
    pub max_c: f64,
    /// `mean_c − reference`, °C.
    pub error_c: f64,
    /// Standard error of the mean reading `sd/√n`; `None` for one reading.
    pub se_c: Option<f64>,
    /// The uncertainty budget of `error_c` (GUM), when one can be made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Budget>,
    /// Standard deviation (n − 1) of the paired differences reading −
    /// reference, °C, when the reference varies within the step (a
    /// reference thermometer's log): the step's repeatability then, since
    /// the readings' own scatter also holds the reference's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference_sd_c: Option<f64>,
}

impl StepStats {
    /// Statistics of `readings` at a step whose reference is `reference_c`.
    pub fn of(readings: &[f64], reference_c: f64) -> Option<StepStats> {
        let s = Summary::of(readings)?;
        Some(StepStats {
            n: s.n,
            mean_c: s.mean,
            sd_c: s.sd,
            min_c: s.min,
            max_c: s.max,
            error_c: s.mean - reference_c,
            se_c: s.sd.map(|sd| sd / (s.n as f64).sqrt()),
            uncertainty: None,
            difference_sd_c: None,
        })
    }

    /// [`StepStats::of`], with each reading's own reference: where the
    /// references differ, the sd of the differences is kept as well.
    pub fn of_paired(readings: &[f64], references: &[f64], reference_c: f64) -> Option<StepStats> {
        let mut stats = StepStats::of(readings, reference_c)?;
        let varies = references.windows(2).any(|w| w[0] != w[1]);
        if varies && references.len() == readings.len() {
            let differences: Vec<f64> = readings
                .iter()
                .zip(references)
                .map(|(y, x)| y - x)
                .collect();
            stats.difference_sd_c = Summary::of(&differences).and_then(|s| s.sd);
        }
        Some(stats)
    }
}

/// Groups observation indexes into steps by their keys, in ascending order.
pub fn group_into_steps(keys: &[f64]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(a.cmp(&b)));
    let mut steps: Vec<Vec<usize>> = Vec::new();
    let mut first_key = f64::NEG_INFINITY;
    for index in order {
        if keys[index] - first_key > STEP_MERGE_TOLERANCE_C || steps.is_empty() {
            first_key = keys[index];
            steps.push(Vec::new());
        }
        if let Some(step) = steps.last_mut() {
            step.push(index);
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_within_the_tolerance_share_a_step() {
        let keys = [35.25, 35.0, 35.02, 35.27, 35.5, 35.04];
        assert_eq!(
            group_into_steps(&keys),
            vec![vec![1, 2, 5], vec![0, 3], vec![4]]
        );
        assert!(group_into_steps(&[]).is_empty());
    }

    #[test]
    fn step_statistics_by_hand() {
        // Readings 37.0, 37.2, 37.4 at reference 37.5: mean 37.2, sd 0.2,
        // se 0.2/√3 = 0.11547, error −0.3.
        let s = StepStats::of(&[37.0, 37.2, 37.4], 37.5).unwrap();
        assert!((s.mean_c - 37.2).abs() < 1e-12);
        assert!((s.sd_c.unwrap() - 0.2).abs() < 1e-12);
        assert!((s.se_c.unwrap() - 0.2 / 3f64.sqrt()).abs() < 1e-12);
        assert!((s.error_c - -0.3).abs() < 1e-12);
        assert_eq!(s.min_c, 37.0);
    }
}
