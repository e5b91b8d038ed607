//! Repeatability: the pooled within-group standard deviation of the errors
//! `d = y − x` over groups with repeated observations (docs/science.md §2; ISO
//! 80601-2-56 clinical repeatability; Wang et al. 2022 Sensors 22:215).
//!
//! `s_w = sqrt(Σ_i Σ_j (d_ij − d̄_i)² / Σ_i (n_i − 1))` over groups with n_i ≥ 2.
//! Repeatability coefficient `1.96·√2·s_w` (≈ 2.77 s_w; Bland & Altman 1999,
//! Stat Methods Med Res 8:135): the largest difference expected between two
//! readings of the same target, 95 % of the time. `None` when no group repeats.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The repeatability coefficient per unit of `s_w`: `1.96·√2` (Bland &
/// Altman 1999): the difference of two readings has sd `√2·s_w`.
pub const REPEATABILITY_COEFFICIENT: f64 = 1.96 * std::f64::consts::SQRT_2;

/// Repeatability of a device over repeated observations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Repeatability {
    /// Groups with at least two observations.
    pub groups: usize,
    /// Observations in those groups.
    pub observations: usize,
    /// Degrees of freedom `Σ (n_i − 1)`.
    pub df: usize,
    /// Pooled within-group standard deviation, °C.
    pub sd_c: f64,
    /// Repeatability coefficient `1.96·√2·s_w`, °C.
    pub coefficient_c: f64,
}

/// Computes the repeatability of `errors` grouped by `labels`.
pub fn repeatability<L: Ord>(labels: &[L], errors: &[f64]) -> Option<Repeatability> {
    let mut groups: BTreeMap<&L, Vec<f64>> = BTreeMap::new();
    for (label, &d) in labels.iter().zip(errors) {
        groups.entry(label).or_default().push(d);
    }
    let (mut squares, mut df, mut group_count, mut observations) = (0.0, 0, 0, 0);
    for values in groups.values().filter(|v| v.len() >= 2) {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        squares += values.iter().map(|d| (d - mean).powi(2)).sum::<f64>();
        df += values.len() - 1;
        group_count += 1;
        observations += values.len();
    }
    if df == 0 {
        return None;
    }
    let sd_c = (squares / df as f64).sqrt();
    Some(Repeatability {
        groups: group_count,
        observations,
        df,
        sd_c,
        coefficient_c: REPEATABILITY_COEFFICIENT * sd_c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooled_sd_by_hand() {
        // Group a: 0.1, 0.3 (mean 0.2, squares 0.02); group b: −0.2, 0.0, 0.2
        // (mean 0, squares 0.08); group c: single, ignored. df = 1 + 2 = 3;
        // s_w = sqrt(0.10/3) = 0.182574.
        let labels = ["a", "a", "b", "b", "b", "c"];
        let errors = [0.1, 0.3, -0.2, 0.0, 0.2, 0.9];
        let r = repeatability(&labels, &errors).unwrap();
        assert_eq!((r.groups, r.observations, r.df), (2, 5, 3));
        assert!((r.sd_c - (0.1f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!((r.coefficient_c - 2.771859 * r.sd_c).abs() < 1e-5);
        assert!(repeatability(&["a", "b"], &[0.1, 0.2]).is_none());
    }
}
