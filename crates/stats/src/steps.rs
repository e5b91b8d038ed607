//! The step table: observations grouped by reference step, with the device's
//! mean, spread and error at each step.
//!
//! A step is identified by the set-point when the session has one, else by the
//! reference. A reference thermometer read back at one set-point wanders by a
//! few hundredths, so the sorted keys are grouped by their gaps
//! ([`group_into_steps`]): where the gaps fall into two clear sizes — small
//! ones inside a step, large ones between steps — they are split at the
//! break; otherwise a key more than [`STEP_MERGE_TOLERANCE_C`] above the
//! first key of the current step starts a new one. The step's reference is
//! the mean reference of its observations; its error is `mean(y) − reference`.

use serde::{Deserialize, Serialize};

use super::descriptive::Summary;
use super::uncertainty::Budget;

/// Largest spread of keys inside one step, °C. Sweeps step by 0.25 °C
/// (Healy et al. 2021) and blackbodies hold a set-point within ±0.05 °C
/// (IEC 80601-2-59 asks ETRS stability ≤ 0.1 °C), so 0.05 °C separates
/// steps without splitting one.
pub const STEP_MERGE_TOLERANCE_C: f64 = 0.05;

/// Gaps between sorted keys below this are ties, °C: references are written
/// to 0.01 °C at best, so a smaller gap carries no size to compare.
const TIE_GAP_C: f64 = 0.005;

/// How many times larger than the largest gap inside a step the smallest
/// gap between steps must be for the two sizes to count as a clear break: a
/// reference's jitter of ±0.03 °C against 0.25 °C steps gives 0.06 against
/// 0.19 (above 3); gaps of people's temperatures grow smoothly (no break).
const NATURAL_BREAK_RATIO: f64 = 3.0;

/// Largest span of the keys of one step grouped by a break, °C: below IEC
/// 80601-2-59's 0.1 °C stability of a blackbody, so two set-points 0.1 °C
/// apart are never merged by it.
const MAX_STEP_SPAN_C: f64 = 0.08;

/// How the keys were grouped into steps.
#[derive(Debug, Clone, PartialEq)]
pub struct StepGrouping {
    /// Observation indexes per step, steps in ascending key order.
    pub steps: Vec<Vec<usize>>,
    /// The gap, °C, above which neighbouring keys were split when the gaps
    /// showed a clear break; `None` when the fixed tolerance was used.
    pub split_above_c: Option<f64>,
}

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
///
/// The positive gaps between sorted keys (ties below `TIE_GAP_C` left
/// out) are sorted; the largest ratio between neighbouring gap sizes where
/// the smaller is at most [`STEP_MERGE_TOLERANCE_C`]·2 and the larger above
/// [`STEP_MERGE_TOLERANCE_C`] is a break when it reaches
/// `NATURAL_BREAK_RATIO`: keys split where their gap exceeds the
/// geometric mean of the two sizes, as long as no step then spans more than
/// `MAX_STEP_SPAN_C`. Without such a break, the fixed tolerance.
pub fn group_into_steps(keys: &[f64]) -> StepGrouping {
    let order = ascending_order(keys);
    if let Some(split) = natural_break(keys, &order) {
        let steps = split_at_gaps(keys, &order, split);
        let widest = steps
            .iter()
            .map(|members| span(keys, members))
            .fold(0.0, f64::max);
        if widest <= MAX_STEP_SPAN_C {
            return StepGrouping {
                steps,
                split_above_c: Some(split),
            };
        }
    }
    StepGrouping {
        steps: within_tolerance_of_first(keys, &order),
        split_above_c: None,
    }
}

/// The indexes of `keys` in ascending order of key, ties by position (the
/// order a stable sort gives). Keys already in order (a sweep read upward)
/// are checked in one pass; others are sorted with each key beside its
/// index, so the comparisons read neighbouring memory.
fn ascending_order(keys: &[f64]) -> Vec<usize> {
    if keys.is_sorted_by(|a, b| a.total_cmp(b).is_le()) {
        return (0..keys.len()).collect();
    }
    let mut keyed: Vec<(f64, usize)> = keys.iter().copied().zip(0..).collect();
    // The order is total (ties broken by position), so the faster unstable
    // sort gives the one order a stable sort would.
    keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, index)| index).collect()
}

/// The gap size between the two clusters of gap sizes, when there is one.
fn natural_break(keys: &[f64], order: &[usize]) -> Option<f64> {
    let mut gaps: Vec<f64> = order
        .windows(2)
        .map(|w| keys[w[1]] - keys[w[0]])
        .filter(|&g| g >= TIE_GAP_C)
        .collect();
    gaps.sort_by(f64::total_cmp);
    gaps.windows(2)
        .filter(|w| w[0] <= 2.0 * STEP_MERGE_TOLERANCE_C && w[1] > STEP_MERGE_TOLERANCE_C)
        .map(|w| (w[1] / w[0], (w[0] * w[1]).sqrt()))
        .filter(|&(ratio, _)| ratio >= NATURAL_BREAK_RATIO)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, split)| split)
}

/// Steps split wherever neighbouring keys are more than `split` apart.
fn split_at_gaps(keys: &[f64], order: &[usize], split: f64) -> Vec<Vec<usize>> {
    let mut steps: Vec<Vec<usize>> = Vec::new();
    let mut previous = f64::NEG_INFINITY;
    for &index in order {
        if keys[index] - previous > split || steps.is_empty() {
            steps.push(Vec::new());
        }
        previous = keys[index];
        if let Some(step) = steps.last_mut() {
            step.push(index);
        }
    }
    steps
}

/// Steps that start at a key more than the tolerance above the first key of
/// the current step.
fn within_tolerance_of_first(keys: &[f64], order: &[usize]) -> Vec<Vec<usize>> {
    let mut steps: Vec<Vec<usize>> = Vec::new();
    let mut first_key = f64::NEG_INFINITY;
    for &index in order {
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

/// Highest minus lowest key of a step.
fn span(keys: &[f64], members: &[usize]) -> f64 {
    let values = members.iter().map(|&i| keys[i]);
    let high = values.clone().fold(f64::NEG_INFINITY, f64::max);
    let low = values.fold(f64::INFINITY, f64::min);
    high - low
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ordered_ties_by_position_sorted_or_not() {
        assert_eq!(
            ascending_order(&[2.0, 1.0, 2.0, 0.5, 1.0]),
            vec![3, 1, 4, 0, 2]
        );
        assert_eq!(ascending_order(&[1.0, 1.0, 2.0]), vec![0, 1, 2]);
        assert_eq!(ascending_order(&[]), Vec::<usize>::new());
        // As a stable sort orders them, on a shuffled sweep with repeats.
        let keys: Vec<f64> = (0..500).map(|i| f64::from((i * 37) % 21) * 0.25).collect();
        let mut stable: Vec<usize> = (0..keys.len()).collect();
        stable.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
        assert_eq!(ascending_order(&keys), stable);
    }

    #[test]
    fn keys_within_the_tolerance_share_a_step() {
        let keys = [35.25, 35.0, 35.02, 35.27, 35.5, 35.04];
        let grouping = group_into_steps(&keys);
        assert_eq!(grouping.steps, vec![vec![1, 2, 5], vec![0, 3], vec![4]]);
        // Gaps 0.02, 0.02, 0.21, 0.02, 0.23: a break between 0.02 and 0.21.
        let split = grouping.split_above_c.unwrap();
        assert!((split - (0.02f64 * 0.21).sqrt()).abs() < 1e-9, "{split}");
        assert!(group_into_steps(&[]).steps.is_empty());
    }

    #[test]
    fn a_wandering_reference_at_eleven_set_points_gives_eleven_steps() {
        // Set-points 35.0 … 40.0 by 0.5, each read three times with the
        // reference off by −0.03, +0.01, +0.03 (rotated per step): the old
        // rule (0.05 above the first key) split 36.47/36.49/36.52-like
        // triples; the gaps (≤ 0.06 inside, ≥ 0.44 between) break clearly.
        let offsets = [-0.03, 0.01, 0.03];
        let keys: Vec<f64> = (0..11)
            .flat_map(|step| {
                (0..3).map(move |k| 35.0 + 0.5 * step as f64 + offsets[(step + k) % 3])
            })
            .collect();
        let grouping = group_into_steps(&keys);
        assert_eq!(grouping.steps.len(), 11);
        assert!(grouping.steps.iter().all(|members| members.len() == 3));
        assert!(grouping.split_above_c.is_some());
        // The lookup-table case of the issue: 36.47, 36.49, 36.52 and 37.0.
        let grouping = group_into_steps(&[36.47, 36.49, 36.52, 37.0, 37.02]);
        assert_eq!(grouping.steps, vec![vec![0, 1, 2], vec![3, 4]]);
    }

    #[test]
    fn set_points_a_tenth_apart_are_never_merged_by_a_break() {
        // Single readings 0.1 apart near the threshold and 0.5 apart
        // elsewhere: the gap sizes 0.1 and 0.5 differ by 5×, but merging the
        // 0.1 gaps would make steps 0.2 wide, beyond MAX_STEP_SPAN_C.
        let keys = [36.0, 36.5, 37.0, 37.4, 37.5, 37.6, 38.0, 38.5];
        let grouping = group_into_steps(&keys);
        assert_eq!(grouping.steps.len(), 8);
        assert_eq!(grouping.split_above_c, None);
        // People's temperatures: no break, the fixed tolerance.
        let people = [36.1, 36.14, 36.22, 36.35, 36.51, 36.7, 36.93, 37.2];
        assert_eq!(group_into_steps(&people).split_above_c, None);
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
