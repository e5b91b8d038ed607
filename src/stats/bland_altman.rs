//! Bland–Altman agreement (Bland & Altman 1986, Lancet 327:307–310).
//!
//! Limits of agreement `d̄ ± 1.96·s_d`. 95 % CI of the bias
//! `d̄ ± t(n−1, .975)·s_d/√n`; of each limit
//! `LoA ± t(n−1, .975)·s_d·sqrt(1/n + 1.96²/(2(n−1)))` (docs/science.md §2).
//! Proportional bias: OLS slope of `d` on the pair means `(x + y)/2`. Needs
//! n ≥ 2 (`None` otherwise); the proportional-bias fit needs n ≥ 3.

use serde::{Deserialize, Serialize};

use super::descriptive::Summary;
use super::distribution::t_critical;
use super::regression::{ols, LinearFit};
use super::{differences, Interval};

/// The z value of the 95 % limits of agreement, as Bland & Altman define them.
pub const LOA_Z: f64 = 1.96;

/// Bland–Altman statistics of paired measurements.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BlandAltman {
    /// Number of pairs.
    pub n: usize,
    /// Mean difference `d̄` (device − reference).
    pub bias: f64,
    /// Standard deviation of the differences (n − 1).
    pub sd: f64,
    /// Lower limit of agreement `d̄ − 1.96·s_d`.
    pub loa_low: f64,
    /// Upper limit of agreement `d̄ + 1.96·s_d`.
    pub loa_high: f64,
    /// 95 % CI of the bias.
    pub bias_ci: Interval,
    /// 95 % CI of the lower limit.
    pub loa_low_ci: Interval,
    /// 95 % CI of the upper limit.
    pub loa_high_ci: Interval,
    /// OLS of `d` on `(x + y)/2`; a slope whose CI excludes 0 is proportional bias.
    pub proportional_bias: Option<LinearFit>,
}

/// Computes the Bland–Altman statistics of reference `x` and device `y`.
pub fn bland_altman(x: &[f64], y: &[f64]) -> Option<BlandAltman> {
    let d = differences(x, y);
    let summary = Summary::of(&d)?;
    let sd = summary.sd?;
    let n = d.len() as f64;
    let t = t_critical(n - 1.0)?;
    let bias = summary.mean;
    let (loa_low, loa_high) = (bias - LOA_Z * sd, bias + LOA_Z * sd);
    let loa_half_width = t * sd * (1.0 / n + LOA_Z * LOA_Z / (2.0 * (n - 1.0))).sqrt();
    let means: Vec<f64> = x.iter().zip(y).map(|(x, y)| (x + y) / 2.0).collect();
    Some(BlandAltman {
        n: d.len(),
        bias,
        sd,
        loa_low,
        loa_high,
        bias_ci: Interval::around(bias, t * sd / n.sqrt()),
        loa_low_ci: Interval::around(loa_low, loa_half_width),
        loa_high_ci: Interval::around(loa_high, loa_half_width),
        proportional_bias: ols(&means, &d),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bland & Altman 1986, Table 1: PEFR (l/min) of 17 subjects, first reading
    /// with the mini Wright meter and with the Wright meter.
    const MINI_WRIGHT: [f64; 17] = [
        512.0, 430.0, 520.0, 428.0, 500.0, 600.0, 364.0, 380.0, 658.0, 445.0, 432.0, 626.0, 260.0,
        477.0, 259.0, 350.0, 451.0,
    ];
    const WRIGHT: [f64; 17] = [
        494.0, 395.0, 516.0, 434.0, 476.0, 557.0, 413.0, 442.0, 650.0, 433.0, 417.0, 656.0, 267.0,
        478.0, 178.0, 423.0, 427.0,
    ];

    #[test]
    fn reproduces_the_lancet_1986_worked_example() {
        // The paper: mean difference (Wright − mini) −2.1 l/min, SD 38.8; 95 % CI
        // of the bias −2.1 ± 2.12 × 9.4 = −22.0 to 17.8.
        let ba = bland_altman(&MINI_WRIGHT, &WRIGHT).unwrap();
        assert_eq!(ba.n, 17);
        assert!((ba.bias - -2.1).abs() < 0.05, "{}", ba.bias);
        assert!((ba.sd - 38.8).abs() < 0.05, "{}", ba.sd);
        assert!((ba.bias_ci.low - -22.0).abs() < 0.1, "{:?}", ba.bias_ci);
        assert!((ba.bias_ci.high - 17.8).abs() < 0.1, "{:?}", ba.bias_ci);
    }

    #[test]
    fn limits_and_their_intervals_by_hand_on_the_lancet_data() {
        // Differences sum to −36, so d̄ = −36/17 = −2.117647; their sum of
        // squares about the mean is 24 043.765, s_d = sqrt(24 043.765/16) =
        // 38.7651. LoA = d̄ ∓ 1.96·s_d = −78.0973 and 73.8620. Half-width of each
        // limit's CI: t(0.975;16) = 2.119905 × 38.7651 × sqrt(1/17 + 3.8416/32)
        // = 34.7561. (The paper's −114.3 to −45.1 uses 2 s_d and the cruder
        // SE sqrt(3 s_d²/n); the formula here is docs/science.md's.)
        let ba = bland_altman(&MINI_WRIGHT, &WRIGHT).unwrap();
        assert!((ba.bias - -36.0 / 17.0).abs() < 1e-12);
        assert!((ba.loa_low - -78.0973).abs() < 1e-3, "{}", ba.loa_low);
        assert!((ba.loa_high - 73.8620).abs() < 1e-3, "{}", ba.loa_high);
        let half = (ba.loa_low_ci.high - ba.loa_low_ci.low) / 2.0;
        assert!((half - 34.7561).abs() < 1e-3, "{half}");
        assert!((ba.loa_high_ci.low - (73.8620 - 34.7561)).abs() < 2e-3);
    }

    #[test]
    fn a_constant_offset_has_no_proportional_bias() {
        let x = [35.0, 36.0, 37.0, 38.0, 39.0];
        let y = [34.2, 35.1, 36.2, 37.1, 38.2];
        let ba = bland_altman(&x, &y).unwrap();
        let pb = ba.proportional_bias.unwrap();
        assert!(pb.slope_ci.contains(0.0), "{:?}", pb.slope_ci);
        assert!(bland_altman(&[37.0], &[37.2]).is_none());
    }
}
