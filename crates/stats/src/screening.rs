//! Screening performance at a fever threshold θ (docs/science.md §2).
//!
//! Febrile means reference ≥ θ; an alarm means device ≥ θ. Sensitivity =
//! alarms among febrile, specificity = no alarm among afebrile (`None` when
//! the class is empty). First alarm reference temperature `min{x : y ≥ θ}`
//! (`None` = the device never alarmed). Normal-output interval: the lowest and
//! highest reference at which the device showed a normal value (`y < θ`);
//! a device that hides fever shows normal values far above θ (Beall et al.
//! 2022). ROC AUC (Mann–Whitney, ties counted ½) when each class has at least
//! [`MIN_CLASS_SIZE_FOR_AUC`] observations.

use serde::{Deserialize, Serialize};

use super::Interval;

/// Fever thresholds always evaluated, °C: 37.5, 37.8 (healthcare) and 38.0
/// (100.4 °F) are in use (docs/science.md §1).
pub const STANDARD_THRESHOLDS_C: [f64; 3] = [37.5, 37.8, 38.0];

/// Threshold used as the device's alarm threshold when session.toml states
/// none: 37.5 °C, the lowest threshold in use (docs/science.md §1).
pub const DEFAULT_ALARM_THRESHOLD_C: f64 = 37.5;

/// Smallest class size for a ROC AUC; below it the AUC is mostly noise.
pub const MIN_CLASS_SIZE_FOR_AUC: usize = 5;

/// Screening results at one threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    /// The threshold θ, °C.
    pub threshold_c: f64,
    /// Observations with reference ≥ θ.
    pub febrile: usize,
    /// Observations with reference < θ.
    pub afebrile: usize,
    /// Febrile and alarmed.
    pub true_positive: usize,
    /// Febrile and not alarmed (missed fever).
    pub false_negative: usize,
    /// Afebrile and not alarmed.
    pub true_negative: usize,
    /// Afebrile and alarmed.
    pub false_positive: usize,
    /// `TP / (TP + FN)`; `None` without febrile observations.
    pub sensitivity: Option<f64>,
    /// `TN / (TN + FP)`; `None` without afebrile observations.
    pub specificity: Option<f64>,
    /// Lowest reference at which the device alarmed; `None` = never.
    pub first_alarm_reference_c: Option<f64>,
    /// Lowest and highest reference at which the device showed a normal value.
    pub normal_output_interval_c: Option<Interval>,
    /// Width of that interval, °C.
    pub normal_output_width_c: Option<f64>,
    /// Area under the ROC curve of the device output for febrile vs afebrile.
    pub roc_auc: Option<f64>,
}

/// The pairs of reference `x` and device `y` in ascending order of the
/// device value: the ROC of every threshold reads them in this order, so
/// they are sorted once for all thresholds.
#[derive(Debug, Clone)]
pub struct ByDeviceValue {
    /// `(device, reference)`, ascending by device value.
    pairs: Vec<(f64, f64)>,
}

impl ByDeviceValue {
    /// The pairs of `x` and `y`, sorted.
    pub fn of(x: &[f64], y: &[f64]) -> Self {
        let mut pairs: Vec<(f64, f64)> = y.iter().copied().zip(x.iter().copied()).collect();
        pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        ByDeviceValue { pairs }
    }
}

/// Evaluates screening of reference `x` by device `y` at `threshold_c`.
pub fn screening(x: &[f64], y: &[f64], threshold_c: f64) -> Screening {
    screening_sorted(x, y, &ByDeviceValue::of(x, y), threshold_c)
}

/// Evaluates screening of reference `x` by device `y` at `threshold_c`,
/// the pairs already sorted (`sorted` is [`ByDeviceValue::of`] the same
/// `x` and `y`).
pub fn screening_sorted(
    x: &[f64],
    y: &[f64],
    sorted: &ByDeviceValue,
    threshold_c: f64,
) -> Screening {
    let (mut tp, mut fn_, mut tn, mut fp) = (0, 0, 0, 0);
    let mut first_alarm: Option<f64> = None;
    let mut normal: Option<Interval> = None;
    for (&xi, &yi) in x.iter().zip(y) {
        let febrile = xi >= threshold_c;
        let alarm = yi >= threshold_c;
        match (febrile, alarm) {
            (true, true) => tp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
            (false, true) => fp += 1,
        }
        if alarm {
            first_alarm = Some(first_alarm.map_or(xi, |f| f.min(xi)));
        } else {
            normal = Some(match normal {
                None => Interval { low: xi, high: xi },
                Some(i) => Interval {
                    low: i.low.min(xi),
                    high: i.high.max(xi),
                },
            });
        }
    }
    let ratio = |a: usize, b: usize| (a + b > 0).then(|| a as f64 / (a + b) as f64);
    Screening {
        threshold_c,
        febrile: tp + fn_,
        afebrile: tn + fp,
        true_positive: tp,
        false_negative: fn_,
        true_negative: tn,
        false_positive: fp,
        sensitivity: ratio(tp, fn_),
        specificity: ratio(tn, fp),
        first_alarm_reference_c: first_alarm,
        normal_output_interval_c: normal,
        normal_output_width_c: normal.map(|i| i.high - i.low),
        roc_auc: roc_auc(sorted, threshold_c, tp + fn_, tn + fp),
    }
}

/// The thresholds to evaluate: the standard ones, the device's own and any
/// extra, each once, ascending.
pub fn thresholds(alarm_threshold_c: f64, extra: &[f64]) -> Vec<f64> {
    let mut all: Vec<f64> = STANDARD_THRESHOLDS_C.to_vec();
    all.push(alarm_threshold_c);
    all.extend_from_slice(extra);
    all.sort_by(f64::total_cmp);
    all.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    all
}

/// Mann–Whitney estimate of P(y_febrile > y_afebrile) + ½ P(tie), from the
/// pairs in ascending order of the device value: each run of equal device
/// values adds, for each febrile pair in it, the afebrile pairs below it
/// and half of those tied with it. Every partial sum is a whole or half
/// number below 2⁵³, so the sum is exact in any order.
fn roc_auc(
    sorted: &ByDeviceValue,
    threshold_c: f64,
    febrile: usize,
    afebrile: usize,
) -> Option<f64> {
    if febrile < MIN_CLASS_SIZE_FOR_AUC || afebrile < MIN_CLASS_SIZE_FOR_AUC {
        return None;
    }
    let pairs = &sorted.pairs;
    let (mut wins, mut afebrile_below, mut start) = (0.0, 0usize, 0);
    while start < pairs.len() {
        let value = pairs[start].0;
        let run = pairs[start..]
            .iter()
            .position(|pair| pair.0 != value)
            .unwrap_or(pairs.len() - start);
        let febrile_in_run = pairs[start..start + run]
            .iter()
            .filter(|pair| pair.1 >= threshold_c)
            .count();
        let afebrile_in_run = run - febrile_in_run;
        wins += (febrile_in_run * afebrile_below) as f64
            + 0.5 * (febrile_in_run * afebrile_in_run) as f64;
        afebrile_below += afebrile_in_run;
        start += run;
    }
    Some(wins / (febrile * afebrile) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_counted_confusion_table() {
        // θ = 37.5. Pairs (x, y): (36.0, 36.1) TN, (37.0, 37.6) FP,
        // (37.5, 37.4) FN, (38.0, 37.2) FN, (38.5, 38.4) TP.
        let x = [36.0, 37.0, 37.5, 38.0, 38.5];
        let y = [36.1, 37.6, 37.4, 37.2, 38.4];
        let s = screening(&x, &y, 37.5);
        assert_eq!(
            (
                s.true_positive,
                s.false_negative,
                s.true_negative,
                s.false_positive
            ),
            (1, 2, 1, 1)
        );
        assert_eq!(s.sensitivity, Some(1.0 / 3.0));
        assert_eq!(s.specificity, Some(0.5));
        assert_eq!(s.first_alarm_reference_c, Some(37.0));
        assert_eq!(
            s.normal_output_interval_c,
            Some(Interval {
                low: 36.0,
                high: 38.0
            })
        );
        assert_eq!(s.normal_output_width_c, Some(2.0));
        assert_eq!(s.roc_auc, None);
    }

    #[test]
    fn a_device_that_never_alarms_has_no_first_alarm() {
        let s = screening(&[37.0, 39.0, 40.0], &[36.8, 37.0, 37.1], 37.5);
        assert_eq!(s.first_alarm_reference_c, None);
        assert_eq!(s.sensitivity, Some(0.0));
    }

    #[test]
    fn roc_auc_by_hand() {
        // Afebrile outputs 36.0, 36.5, 37.0, 37.2, 37.6; febrile 37.4, 37.6,
        // 38.0, 38.2, 38.5. Wins per febrile value: 37.4 beats 4; 37.6 beats 4
        // and ties 1 (4.5); the other three beat 5. AUC = 23.5/25 = 0.94.
        let x = [36.0, 36.5, 37.0, 37.2, 37.4, 38.0, 38.1, 38.5, 39.0, 39.5];
        let y = [36.0, 36.5, 37.0, 37.2, 37.6, 37.4, 37.6, 38.0, 38.2, 38.5];
        assert!((screening(&x, &y, 37.8).roc_auc.unwrap() - 0.94).abs() < 1e-12);
    }

    #[test]
    fn roc_auc_equals_the_count_over_every_febrile_afebrile_pair() {
        // Readings on a 0.1 °C display (many ties), counted pair by pair.
        let mut state = 7u64;
        let mut next = |span: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % span
        };
        let x: Vec<f64> = (0..400).map(|_| 35.0 + next(50) as f64 / 10.0).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|&r| r + (next(9) as f64 - 4.0) / 10.0)
            .collect();
        for threshold in [37.5, 37.8, 38.0] {
            let (mut wins, mut pairs) = (0.0, 0.0);
            for (_, &yf) in x.iter().zip(&y).filter(|(&r, _)| r >= threshold) {
                for (_, &ya) in x.iter().zip(&y).filter(|(&r, _)| r < threshold) {
                    wins += if yf > ya {
                        1.0
                    } else if yf == ya {
                        0.5
                    } else {
                        0.0
                    };
                    pairs += 1.0;
                }
            }
            let auc = screening(&x, &y, threshold).roc_auc.unwrap();
            assert_eq!(auc, wins / pairs, "threshold {threshold}");
        }
    }

    #[test]
    fn thresholds_are_unique_and_sorted() {
        assert_eq!(thresholds(37.5, &[37.3]), vec![37.3, 37.5, 37.8, 38.0]);
        assert_eq!(thresholds(38.2, &[]), vec![37.5, 37.8, 38.0, 38.2]);
    }
}
