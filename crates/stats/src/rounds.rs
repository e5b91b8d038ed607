//! Rounds (visits) of a clinical study: each subject read once per round,
//! the rounds a fixed effect (Bland & Altman 2007 treat a visit as such).
//!
//! A shift of the device between rounds (the FDA data set's four rounds
//! have biases −1.27, −1.11, −1.10 and −0.45 °C) is not scatter within a
//! subject: pooled within subjects it would inflate σr from 0.24 to 0.44
//! °C. The differences `d` are fitted by the additive model
//! `d = μ + s_subject + r_round + e` (least squares, by alternating the two
//! sets of means until they settle — Gauss–Seidel on the normal equations,
//! which converges for any design); σr is the residual sd with
//! `N − n − (R − 1)` degrees of freedom (N readings, n subjects, R rounds).
//! Each round's bias is the plain mean of its differences.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::repeatability::{Repeatability, REPEATABILITY_COEFFICIENT};

/// Largest change of any effect, °C, below which the alternation stops:
/// far below the 0.01 °C of any display.
const SETTLED_C: f64 = 1e-12;

/// Alternations at most: a complete balanced design settles in two, the FDA
/// file's four rounds (a few readings missing) in eight.
const MAX_ALTERNATIONS: usize = 10_000;

/// The bias of one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundBias {
    /// The round's label (its column name, or the `round` cell).
    pub round: String,
    /// Readings in the round.
    pub n: usize,
    /// Mean difference (device − reference) of the round, °C.
    pub bias_c: f64,
}

/// What rounds do to the differences.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundEffects {
    /// Each round's bias, in label order.
    pub biases: Vec<RoundBias>,
    /// Repeatability within subjects with the round effects removed.
    pub repeatability: Repeatability,
}

/// Round biases and the within-subject repeatability with round effects
/// removed; `None` with fewer than two rounds or no residual degree of
/// freedom (no subject read in two rounds).
pub fn round_effects<S: Ord, R: Ord + ToString>(
    subjects: &[S],
    rounds: &[R],
    d: &[f64],
) -> Option<RoundEffects> {
    let subject_index = index_of(subjects);
    let round_index = index_of(rounds);
    let (n, r, big_n) = (count(&subject_index), count(&round_index), d.len());
    if r < 2 {
        return None;
    }
    let df = big_n.checked_sub(n + r - 1).filter(|&df| df > 0)?;
    let mut subject_effect = vec![0.0; n];
    let mut round_effect = vec![0.0; r];
    for _ in 0..MAX_ALTERNATIONS {
        let mut change: f64 = 0.0;
        change = change.max(update(
            &mut subject_effect,
            &subject_index,
            &round_effect,
            &round_index,
            d,
        ));
        change = change.max(update(
            &mut round_effect,
            &round_index,
            &subject_effect,
            &subject_index,
            d,
        ));
        if change < SETTLED_C {
            break;
        }
    }
    let squares: f64 = (0..big_n)
        .map(|i| (d[i] - subject_effect[subject_index[i]] - round_effect[round_index[i]]).powi(2))
        .sum();
    let sd_c = (squares / df as f64).sqrt();
    let mut per_subject = vec![0usize; n];
    for &s in &subject_index {
        per_subject[s] += 1;
    }
    let repeated: Vec<usize> = per_subject.into_iter().filter(|&m| m > 1).collect();
    let labels: BTreeMap<&R, usize> = rounds
        .iter()
        .zip(&round_index)
        .map(|(l, &i)| (l, i))
        .collect();
    let biases = labels
        .iter()
        .map(|(label, &i)| {
            let values: Vec<f64> = (0..big_n)
                .filter(|&k| round_index[k] == i)
                .map(|k| d[k])
                .collect();
            RoundBias {
                round: label.to_string(),
                n: values.len(),
                bias_c: values.iter().sum::<f64>() / values.len() as f64,
            }
        })
        .collect();
    Some(RoundEffects {
        biases,
        repeatability: Repeatability {
            groups: repeated.len(),
            observations: repeated.iter().sum(),
            df,
            sd_c,
            coefficient_c: REPEATABILITY_COEFFICIENT * sd_c,
        },
    })
}

/// Dense indices of the labels, in label order.
fn index_of<L: Ord>(labels: &[L]) -> Vec<usize> {
    let mut order: BTreeMap<&L, usize> = labels.iter().map(|l| (l, 0)).collect();
    for (i, value) in order.values_mut().enumerate() {
        *value = i;
    }
    labels.iter().map(|l| order[l]).collect()
}

/// Number of distinct indices.
fn count(index: &[usize]) -> usize {
    index.iter().max().map_or(0, |m| m + 1)
}

/// Sets each effect to the mean of `d` less the other factor's effect over
/// its readings; returns the largest change.
fn update(
    effect: &mut [f64],
    index: &[usize],
    other: &[f64],
    other_index: &[usize],
    d: &[f64],
) -> f64 {
    let mut sums = vec![(0.0, 0usize); effect.len()];
    for k in 0..d.len() {
        let slot = &mut sums[index[k]];
        slot.0 += d[k] - other[other_index[k]];
        slot.1 += 1;
    }
    let mut change: f64 = 0.0;
    for (value, (sum, n)) in effect.iter_mut().zip(sums) {
        let new = sum / n as f64;
        change = change.max((new - *value).abs());
        *value = new;
    }
    change
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_between_rounds_is_not_scatter_within_subjects() {
        // Three subjects read in two rounds; round B reads 0.5 higher.
        // Differences a: −1.0, −0.5; b: −0.8, −0.2; c: −1.2, −0.8. A complete
        // two-way table: residual e = d − subject mean − round mean + grand
        // mean (−0.75; subject means −0.75, −0.5, −1.0; round means −1.0, −0.5):
        // a: 0, 0; b: −0.05, +0.05; c: +0.05, −0.05. SSE = 0.01, df = 6 − 3 − 1
        // = 2, σr = sqrt(0.005). Pooled within subjects without the rounds:
        // SS 0.125 + 0.18 + 0.08 = 0.385 over 3 df.
        let subjects = ["a", "a", "b", "b", "c", "c"];
        let rounds = ["A", "B", "A", "B", "A", "B"];
        let d = [-1.0, -0.5, -0.8, -0.2, -1.2, -0.8];
        let effects = round_effects(&subjects, &rounds, &d).unwrap();
        let r = effects.repeatability;
        assert_eq!((r.groups, r.observations, r.df), (3, 6, 2));
        assert!((r.sd_c - 0.005f64.sqrt()).abs() < 1e-10, "{}", r.sd_c);
        assert_eq!(effects.biases.len(), 2);
        assert_eq!(effects.biases[0].round, "A");
        assert!((effects.biases[0].bias_c - -1.0).abs() < 1e-12);
        assert!((effects.biases[1].bias_c - -0.5).abs() < 1e-12);
        let pooled = crate::repeatability::repeatability(&subjects, &d).unwrap();
        assert!((pooled.sd_c - (0.385f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!(round_effects(&["a", "b"], &["A", "A"], &[0.1, 0.2]).is_none());
    }
}
