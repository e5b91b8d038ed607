//! Measurement uncertainty by the GUM (JCGM 100:2008): standard
//! uncertainties of independent input quantities combined in quadrature,
//! the effective degrees of freedom by Welch–Satterthwaite, the coverage
//! factor from Student's t for 95 %, and the expanded uncertainty
//! (docs/science.md §6).
//!
//! - `u_c = √(Σ u_i²)` (GUM 5.1.2 with unit sensitivity coefficients: every
//!   input adds to the error of a step mean in °C);
//! - `ν_eff = u_c⁴ / Σ (u_i⁴ / ν_i)` over the inputs with finite degrees of
//!   freedom (GUM G.4.1); a Type B input from a stated expanded uncertainty
//!   or a rectangular resolution has ν = ∞ and drops out; ν_eff is
//!   truncated to the next lower integer, as GUM G.4.1 allows;
//! - `k = t(0.975; ν_eff)` (GUM G.3), 1.96 when every input has ν = ∞;
//! - `U = k·u_c`.
//!
//! The probability that a true error lies beyond a tolerance, given the
//! measured error and its budget, is read from the same t distribution
//! (JCGM 106:2012 §7.3, with the measured value as the best estimate).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::distribution::{normal_quantile, t_critical};

/// One input of a budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// What it is (`reference`, `display resolution` …).
    pub name: String,
    /// Its standard uncertainty, °C.
    pub u_c: f64,
    /// Its degrees of freedom; `None` = infinite (a Type B estimate).
    pub dof: Option<f64>,
    /// Its share of the combined variance, `u_i² / u_c²`.
    pub share: f64,
}

/// A combined budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// Combined standard uncertainty, °C.
    pub u_c: f64,
    /// Coverage factor for 95 %.
    pub k: f64,
    /// Expanded uncertainty `U = k·u_c`, °C.
    pub expanded_c: f64,
    /// Effective degrees of freedom (truncated); `None` = infinite.
    pub dof: Option<f64>,
    /// The inputs, largest first.
    pub contributions: Vec<Contribution>,
}

/// An input before combination: name, standard uncertainty (°C) and
/// degrees of freedom (`None` = infinite).
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// What it is.
    pub name: String,
    /// Standard uncertainty, °C.
    pub u_c: f64,
    /// Degrees of freedom; `None` = infinite.
    pub dof: Option<f64>,
}

impl Input {
    /// An input of standard uncertainty `u_c` with `dof` degrees of freedom.
    pub fn new(name: &str, u_c: f64, dof: Option<f64>) -> Self {
        Input {
            name: name.to_string(),
            u_c,
            dof,
        }
    }
}

/// Combines `inputs` (those with a finite, non-negative uncertainty);
/// `None` when no input has one above zero.
pub fn combine(inputs: &[Input]) -> Option<Budget> {
    let usable: Vec<&Input> = inputs
        .iter()
        .filter(|i| i.u_c.is_finite() && i.u_c > 0.0)
        .collect();
    let variance: f64 = usable.iter().map(|i| i.u_c * i.u_c).sum();
    if variance <= 0.0 {
        return None;
    }
    let u_c = variance.sqrt();
    let denominator: f64 = usable
        .iter()
        .filter_map(|i| i.dof.map(|dof| i.u_c.powi(4) / dof.max(1.0)))
        .sum();
    let dof = (denominator > 0.0).then(|| (variance * variance / denominator).floor().max(1.0));
    let k = coverage_factor(dof)?;
    let mut contributions: Vec<Contribution> = usable
        .iter()
        .map(|i| Contribution {
            name: i.name.clone(),
            u_c: i.u_c,
            dof: i.dof,
            share: i.u_c * i.u_c / variance,
        })
        .collect();
    contributions.sort_by(|a, b| b.share.total_cmp(&a.share));
    Some(Budget {
        u_c,
        k,
        expanded_c: k * u_c,
        dof,
        contributions,
    })
}

/// Degrees of freedom up to which coverage factors are kept in a table.
const TABULATED_DOF: usize = 1000;

/// `t(0.975; ν)` for a truncated ν (`None` = ∞: the normal 1.959964). The
/// inverse t is iterative; a sweep's steps share a few ν, so each value up
/// to [`TABULATED_DOF`] is computed once, when first needed.
fn coverage_factor(dof: Option<f64>) -> Option<f64> {
    static TABLE: [OnceLock<Option<f64>>; TABULATED_DOF + 1] =
        [const { OnceLock::new() }; TABULATED_DOF + 1];
    match dof {
        None => normal_quantile(0.975),
        Some(dof) if dof <= TABULATED_DOF as f64 => {
            *TABLE[dof as usize].get_or_init(|| t_critical(dof.floor()))
        }
        Some(dof) => {
            // Beyond the table the inverse t converges too slowly (statrs'
            // inverse incomplete beta); the Cornish–Fisher expansion in 1/ν
            // (Abramowitz & Stegun 26.7.5) is exact to 1e-8 there.
            let z = normal_quantile(0.975)?;
            Some(
                z + (z.powi(3) + z) / (4.0 * dof)
                    + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * dof * dof),
            )
        }
    }
}

/// The probability that the true error lies outside `±tolerance` when the
/// measured error is `error` with this budget: `1 − [F((T − e)/u_c) −
/// F((−T − e)/u_c)]`, F the t distribution with the budget's degrees of
/// freedom (the normal one for infinite, or beyond `TABULATED_DOF`,
/// where the two differ by under 0.3 %).
pub fn probability_beyond(error: f64, budget: &Budget, tolerance: f64) -> f64 {
    let (high, low) = (
        (tolerance - error) / budget.u_c,
        (-tolerance - error) / budget.u_c,
    );
    let inside = match budget.dof.filter(|&dof| dof <= TABULATED_DOF as f64) {
        Some(dof) => StudentsT::new(0.0, 1.0, dof)
            .map(|t| t.cdf(high) - t.cdf(low))
            .unwrap_or(f64::NAN),
        None => Normal::new(0.0, 1.0)
            .map(|n| n.cdf(high) - n.cdf(low))
            .unwrap_or(f64::NAN),
    };
    (1.0 - inside).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dominant_reference_term_gives_k_of_the_normal_distribution() {
        // Blackbody U = 0.20 °C at k = 2 → u = 0.10; display 0.1 °C → 0.1/√12
        // = 0.028868; 10 readings with s = 0.05 → 0.05/√10 = 0.015811, ν = 9.
        // u_c = √(0.01 + 0.00083333 + 0.00025) = 0.105277;
        // ν_eff = 0.0110833² / (0.015811⁴ / 9) = 17 689, k = t(0.975; 17 689)
        // = 1.9601 (1.95996 at ν = ∞), U = 0.20635 °C; the reference's share
        // 0.01 / 0.0110833 = 90.23 %.
        let budget = combine(&[
            Input::new("reference", 0.10, None),
            Input::new("display resolution", 0.1 / 12f64.sqrt(), None),
            Input::new("repeatability", 0.05 / 10f64.sqrt(), Some(9.0)),
        ])
        .unwrap();
        assert!((budget.u_c - 0.105_277).abs() < 1e-6, "{}", budget.u_c);
        let dof = budget.dof.unwrap();
        assert!((17_688.0..=17_689.0).contains(&dof), "{dof}");
        assert!((budget.k - 1.9601).abs() < 1e-3, "{}", budget.k);
        assert!(
            (budget.expanded_c - 0.20635).abs() < 2e-4,
            "{}",
            budget.expanded_c
        );
        assert_eq!(budget.contributions[0].name, "reference");
        assert!((budget.contributions[0].share - 0.902_256).abs() < 1e-5);
        assert_eq!(budget.contributions[2].dof, Some(9.0));
        let shares: f64 = budget.contributions.iter().map(|c| c.share).sum();
        assert!((shares - 1.0).abs() < 1e-12);
    }

    #[test]
    fn few_readings_dominating_give_a_coverage_factor_above_two() {
        // 3 readings with s = 0.20 → u = 0.20/√3 = 0.115470, ν = 2; display
        // 0.1 °C → 0.028868. u_c = √(0.0133333 + 0.00083333) = 0.119024;
        // ν_eff = 0.119024⁴ / (0.115470⁴ / 2) = 2.2578 → 2 (truncated);
        // k = t(0.975; 2) = 4.3027 (printed tables: 4.303); U = 0.51212 °C.
        let budget = combine(&[
            Input::new("repeatability", 0.20 / 3f64.sqrt(), Some(2.0)),
            Input::new("display resolution", 0.1 / 12f64.sqrt(), None),
        ])
        .unwrap();
        assert!((budget.u_c - 0.119_024).abs() < 1e-6, "{}", budget.u_c);
        assert_eq!(budget.dof, Some(2.0));
        assert!((budget.k - 4.3027).abs() < 1e-3, "{}", budget.k);
        assert!(
            (budget.expanded_c - 0.51212).abs() < 5e-4,
            "{}",
            budget.expanded_c
        );
    }

    #[test]
    fn coverage_factors_beyond_the_table_continue_it() {
        // t(0.975; 1000) = 1.962339 (tables); the expansion at 1001 must
        // be just below, and tend to z = 1.959964.
        let tabulated = coverage_factor(Some(1000.0)).unwrap();
        assert!((tabulated - 1.962_339).abs() < 1e-5, "{tabulated}");
        let beyond = coverage_factor(Some(1001.0)).unwrap();
        assert!(beyond < tabulated && tabulated - beyond < 1e-5, "{beyond}");
        let far = coverage_factor(Some(1e12)).unwrap();
        assert!((far - 1.959_964).abs() < 1e-6, "{far}");
    }

    #[test]
    fn nothing_to_combine_is_no_budget() {
        assert!(combine(&[]).is_none());
        assert!(combine(&[Input::new("reference", 0.0, None)]).is_none());
    }

    #[test]
    fn the_probability_of_lying_beyond_the_tolerance() {
        let budget = combine(&[Input::new("reference", 0.1, None)]).unwrap();
        // Measured exactly at the tolerance: half the distribution is beyond.
        assert!((probability_beyond(0.5, &budget, 0.5) - 0.5).abs() < 1e-9);
        // One standard uncertainty inside: Φ(−1) = 0.158655 beyond (the far
        // side, 9 u_c away, adds nothing measurable).
        assert!((probability_beyond(0.4, &budget, 0.5) - 0.158_655).abs() < 1e-5);
        assert!(probability_beyond(0.0, &budget, 0.5) < 1e-6);
    }
}
