//! Bland–Altman agreement (Bland & Altman 1986, Lancet 327:307–310) of
//! pairs read once each.
//!
//! Limits of agreement `d̄ ± k·s_d`, `k` = 1.96 (Bland & Altman) or 2 (ISO
//! 80601-2-56's clinical limits; see `super::agreement`). 95 % CI of the
//! bias `d̄ ± t(n−1, .975)·s_d/√n`. The 95 % CI of each limit is exact
//! (Carkeet 2015, Optom Vis Sci 92:e71–e80): `d̄ + k·s_d` has the interval
//! `d̄ + s_d·t'_q(n−1, k√n)/√n` for q = 0.025 and 0.975, `t'` the
//! non-central t ([`super::noncentral_t`]); the lower limit mirrors it. (Bland
//! & Altman 1999's approximation `± t·s_d·sqrt(1/n + k²/(2(n−1)))` is
//! narrower by 0.41 °C at n = 6.) Proportional bias: OLS slope of `d` on the
//! pair means `(x + y)/2`. Needs n ≥ 2 (`None` otherwise); the
//! proportional-bias fit needs n ≥ 3.

use serde::{Deserialize, Serialize};

use super::descriptive::Summary;
use super::distribution::t_critical;
use super::noncentral_t::noncentral_t_quantile;
use super::regression::{ols, LinearFit};
use super::{differences, Interval, CONFIDENCE};

/// The z value of the 95 % limits of agreement, as Bland & Altman define them.
pub const LOA_Z: f64 = 1.96;

/// How the confidence intervals of the limits of agreement were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoaIntervalMethod {
    /// Exact, from the non-central t (Carkeet 2015): pairs read once each.
    ExactNoncentralT,
    /// MOVER over the between- and within-subject variance components
    /// (Zou 2013, Stat Methods Med Res 22:630–642): subjects read repeatedly.
    MoverSubjectClusters,
    /// Bland & Altman 1999's normal approximation (reports written before
    /// the exact interval).
    Approximate,
}

impl LoaIntervalMethod {
    /// How a report names the method.
    pub fn describe(self) -> &'static str {
        match self {
            LoaIntervalMethod::ExactNoncentralT => "exact, non-central t (Carkeet 2015)",
            LoaIntervalMethod::MoverSubjectClusters => {
                "MOVER over subject variance components (Zou 2013)"
            }
            LoaIntervalMethod::Approximate => "normal approximation (Bland & Altman 1999)",
        }
    }
}

/// Bland–Altman statistics of paired measurements.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BlandAltman {
    /// Number of pairs.
    pub n: usize,
    /// Mean difference `d̄` (device − reference).
    pub bias: f64,
    /// Standard deviation of the differences: of all pairs (n − 1), or the
    /// total of the subject variance components when subjects repeat.
    pub sd: f64,
    /// The multiplier `k` of the limits.
    pub multiplier: f64,
    /// Lower limit of agreement `d̄ − k·s_d`.
    pub loa_low: f64,
    /// Upper limit of agreement `d̄ + k·s_d`.
    pub loa_high: f64,
    /// 95 % CI of the bias.
    pub bias_ci: Interval,
    /// 95 % CI of the lower limit.
    pub loa_low_ci: Interval,
    /// 95 % CI of the upper limit.
    pub loa_high_ci: Interval,
    /// How the limits' intervals were computed.
    pub loa_ci_method: LoaIntervalMethod,
    /// OLS of `d` on `(x + y)/2`; a slope whose CI excludes 0 is proportional bias.
    pub proportional_bias: Option<LinearFit>,
}

/// Computes the Bland–Altman statistics of reference `x` and device `y`,
/// each pair read once, with limits `d̄ ± multiplier·s_d`.
pub fn bland_altman(x: &[f64], y: &[f64], multiplier: f64) -> Option<BlandAltman> {
    let d = differences(x, y);
    let summary = Summary::of(&d)?;
    let sd = summary.sd?;
    let n = d.len() as f64;
    let t = t_critical(n - 1.0)?;
    let bias = summary.mean;
    let (loa_low, loa_high) = (bias - multiplier * sd, bias + multiplier * sd);
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let factor =
        |p: f64| noncentral_t_quantile(p, n - 1.0, multiplier * n.sqrt()).map(|q| q / n.sqrt());
    let (near, far) = (factor(tail)?, factor(1.0 - tail)?);
    Some(BlandAltman {
        n: d.len(),
        bias,
        sd,
        multiplier,
        loa_low,
        loa_high,
        bias_ci: Interval::around(bias, t * sd / n.sqrt()),
        loa_low_ci: Interval {
            low: bias - far * sd,
            high: bias - near * sd,
        },
        loa_high_ci: Interval {
            low: bias + near * sd,
            high: bias + far * sd,
        },
        loa_ci_method: LoaIntervalMethod::ExactNoncentralT,
        proportional_bias: proportional_bias(x, y),
    })
}

/// OLS of the differences on the pair means.
pub fn proportional_bias(x: &[f64], y: &[f64]) -> Option<LinearFit> {
    let d = differences(x, y);
    let means: Vec<f64> = x.iter().zip(y).map(|(x, y)| (x + y) / 2.0).collect();
    ols(&means, &d)
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
        let ba = bland_altman(&MINI_WRIGHT, &WRIGHT, LOA_Z).unwrap();
        assert_eq!(ba.n, 17);
        assert!((ba.bias - -2.1).abs() < 0.05, "{}", ba.bias);
        assert!((ba.sd - 38.8).abs() < 0.05, "{}", ba.sd);
        assert!((ba.bias_ci.low - -22.0).abs() < 0.1, "{:?}", ba.bias_ci);
        assert!((ba.bias_ci.high - 17.8).abs() < 0.1, "{:?}", ba.bias_ci);
    }

    #[test]
    fn limits_and_their_exact_intervals_on_the_lancet_data() {
        // Differences sum to −36, so d̄ = −36/17 = −2.117647; their sum of
        // squares about the mean is 24 043.765, s_d = sqrt(24 043.765/16) =
        // 38.7651. LoA = d̄ ∓ 1.96·s_d = −78.0973 and 73.8620. Exact CI of the
        // upper limit: d̄ + s_d·t'/√17 with scipy 1.17.1's
        // nct.ppf(0.025, 16, 1.96*sqrt(17)) = 5.422125161570978 and
        // nct.ppf(0.975, …) = 12.980871542805119: [48.86077, 119.92753]; the
        // lower limit mirrors it: [−124.16283, −53.09606].
        let ba = bland_altman(&MINI_WRIGHT, &WRIGHT, LOA_Z).unwrap();
        assert!((ba.bias - -36.0 / 17.0).abs() < 1e-12);
        assert!((ba.loa_low - -78.0973).abs() < 1e-3, "{}", ba.loa_low);
        assert!((ba.loa_high - 73.8620).abs() < 1e-3, "{}", ba.loa_high);
        let sd = ba.sd;
        let root = 17f64.sqrt();
        let high = (
            ba.bias + sd * 5.422_125_161_570_978 / root,
            ba.bias + sd * 12.980_871_542_805_119 / root,
        );
        assert!(
            (ba.loa_high_ci.low - high.0).abs() < 1e-6,
            "{:?}",
            ba.loa_high_ci
        );
        assert!(
            (ba.loa_high_ci.high - high.1).abs() < 1e-6,
            "{:?}",
            ba.loa_high_ci
        );
        assert!((high.0 - 48.86077).abs() < 1e-4 && (high.1 - 119.92753).abs() < 1e-4);
        assert!(
            (ba.loa_low_ci.low - -124.16283).abs() < 1e-4,
            "{:?}",
            ba.loa_low_ci
        );
        assert!(
            (ba.loa_low_ci.high - -53.09606).abs() < 1e-4,
            "{:?}",
            ba.loa_low_ci
        );
        assert_eq!(ba.loa_ci_method, LoaIntervalMethod::ExactNoncentralT);
    }

    #[test]
    fn six_pairs_exact_against_the_1999_approximation() {
        // Errors ±0.3 alternating (s_d = 0.328634, d̄ = 0): exact upper
        // limit CI 0 + s_d·[2.427940023278211, 12.519253227411642]/√6 (scipy
        // nct.ppf at 0.025 and 0.975, 5 df, δ = 1.96√6) = [0.325742, 1.679634];
        // the 1999 approximation t(0.975;5)·s_d·sqrt(1/6 + 1.96²/10) = 0.627
        // around 0.644 gives [0.017, 1.271]: 0.41 °C apart at the top (the
        // audit's figure).
        let x = [35.0, 35.5, 36.0, 36.5, 37.0, 37.5];
        let y = [35.3, 35.2, 36.3, 36.2, 37.3, 37.2];
        let ba = bland_altman(&x, &y, LOA_Z).unwrap();
        assert!((ba.sd - 0.328_633_534_503_099_6).abs() < 1e-9, "{}", ba.sd);
        assert!(
            (ba.loa_high_ci.low - 0.325_742).abs() < 1e-5,
            "{:?}",
            ba.loa_high_ci
        );
        assert!(
            (ba.loa_high_ci.high - 1.679_634).abs() < 1e-5,
            "{:?}",
            ba.loa_high_ci
        );
        let approximate_high =
            ba.loa_high + 2.570_581_835_636_314 * ba.sd * (1.0 / 6.0 + LOA_Z * LOA_Z / 10.0).sqrt();
        assert!((ba.loa_high_ci.high - approximate_high - 0.41).abs() < 0.01);
    }

    #[test]
    fn a_constant_offset_has_no_proportional_bias() {
        let x = [35.0, 36.0, 37.0, 38.0, 39.0];
        let y = [34.2, 35.1, 36.2, 37.1, 38.2];
        let ba = bland_altman(&x, &y, LOA_Z).unwrap();
        let pb = ba.proportional_bias.unwrap();
        assert!(pb.slope_ci.contains(0.0), "{:?}", pb.slope_ci);
        assert!(bland_altman(&[37.0], &[37.2], LOA_Z).is_none());
    }
}
