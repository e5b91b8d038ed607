//! Passing–Bablok regression (Passing & Bablok 1983, J Clin Chem Clin Biochem
//! 21:709–720): a robust method-comparison line from the pairwise slopes.
//!
//! For every pair i < j with `x_i ≠ x_j`, `S_ij = (y_j − y_i)/(x_j − x_i)`;
//! slopes equal to −1 are dropped. With N slopes sorted and K of them < −1,
//! the slope is the median shifted by K: `S₍(N+1)/2+K₎` for odd N, the mean of
//! `S₍N/2+K₎` and `S₍N/2+1+K₎` for even N (1-based). 95 % CI of the slope:
//! `C = z(.975)·sqrt(n(n−1)(2n+5)/18)`, `M1 = round((N − C)/2)`,
//! `M2 = N − M1 + 1`, interval `[S₍M1+K₎, S₍M2+K₎]` (indices clamped to 1…N when
//! n is too small for an exact interval). Intercept `median(y − b·x)`; its CI
//! uses the slope's ends: `[median(y − b_high·x), median(y − b_low·x)]`.
//!
//! Departure from the paper, on purpose: pairs with equal `x` are left out
//! instead of counted as ±∞. Repeated readings at one blackbody step share
//! their `x`, and the sign the paper gives such a pair depends on the row
//! order, which would make the result depend on the order of the file.
//!
//! `None` when fewer than 3 pairs, no usable slope, or more than half the
//! slopes below −1 (the method assumes positively related methods), or when
//! n exceeds [`MAX_PAIRS`].

use super::deming::MethodFit;
use super::descriptive::median;
use super::distribution::normal_quantile;
use super::{Interval, CONFIDENCE};

/// Largest number of pairs for which Passing–Bablok is computed: n pairs give
/// n(n−1)/2 slopes, 12.5 million (100 MB) at n = 5000. Larger sessions (a
/// clinical data set of thousands of subjects) get no Passing–Bablok line.
pub const MAX_PAIRS: usize = 5000;

/// Fits a Passing–Bablok line of reference `x` and device `y`.
pub fn passing_bablok(x: &[f64], y: &[f64]) -> Option<MethodFit> {
    let n = x.len().min(y.len());
    if !(3..=MAX_PAIRS).contains(&n) {
        return None;
    }
    let slopes = sorted_pairwise_slopes(&x[..n], &y[..n]);
    let big_n = slopes.len();
    let k = slopes.iter().filter(|&&s| s < -1.0).count();
    if big_n == 0 || 2 * k >= big_n {
        return None;
    }
    // 1-based order statistic, as in the paper.
    let order = |i: usize| slopes[i.clamp(1, big_n) - 1];
    let slope = if big_n % 2 == 1 {
        order(big_n.div_ceil(2) + k)
    } else {
        (order(big_n / 2 + k) + order(big_n / 2 + 1 + k)) / 2.0
    };
    let z = normal_quantile(1.0 - (1.0 - CONFIDENCE) / 2.0)?;
    let nf = n as f64;
    let c = z * (nf * (nf - 1.0) * (2.0 * nf + 5.0) / 18.0).sqrt();
    let m1 = ((big_n as f64 - c) / 2.0).round().max(1.0) as usize;
    let m2 = big_n + 1 - m1;
    let slope_ci = Interval {
        low: order(m1 + k),
        high: order(m2 + k),
    };
    let intercept_at = |b: f64| {
        let residuals: Vec<f64> = x[..n].iter().zip(&y[..n]).map(|(x, y)| y - b * x).collect();
        median(&residuals)
    };
    Some(MethodFit {
        slope,
        intercept: intercept_at(slope)?,
        slope_ci,
        intercept_ci: Interval {
            low: intercept_at(slope_ci.high)?,
            high: intercept_at(slope_ci.low)?,
        },
    })
}

/// All pairwise slopes with distinct `x`, except those equal to −1, sorted.
fn sorted_pairwise_slopes(x: &[f64], y: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let dx = x[j] - x[i];
            if dx == 0.0 {
                continue;
            }
            let slope = (y[j] - y[i]) / dx;
            if slope != -1.0 {
                slopes.push(slope);
            }
        }
    }
    slopes.sort_unstable_by(f64::total_cmp);
    slopes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_five_point_example() {
        // x = 1..5, y = 1.0, 2.2, 2.9, 4.1, 5.0. The 10 slopes sorted:
        // 0.7, 0.9, 0.9333, 0.95, 0.95, 1.0, 1.0333, 1.05, 1.2, 1.2; K = 0.
        // N even: b = (S5 + S6)/2 = (0.95 + 1.0)/2 = 0.975.
        // y − 0.975x = 0.025, 0.25, −0.025, 0.2, 0.125 → a = 0.125.
        // C = 1.959964·sqrt(5·4·15/18) = 8.0015; M1 = round(0.999) = 1,
        // M2 = 10: slope CI [0.7, 1.2]. Intercept CI: median(y − 1.2x) = −0.7,
        // median(y − 0.7x) = 0.8.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 2.2, 2.9, 4.1, 5.0];
        let fit = passing_bablok(&x, &y).unwrap();
        assert!((fit.slope - 0.975).abs() < 1e-12, "{}", fit.slope);
        assert!((fit.intercept - 0.125).abs() < 1e-12, "{}", fit.intercept);
        assert!((fit.slope_ci.low - 0.7).abs() < 1e-12 && (fit.slope_ci.high - 1.2).abs() < 1e-12);
        assert!(
            (fit.intercept_ci.low - -0.7).abs() < 1e-12,
            "{:?}",
            fit.intercept_ci
        );
        assert!(
            (fit.intercept_ci.high - 0.8).abs() < 1e-12,
            "{:?}",
            fit.intercept_ci
        );
    }

    #[test]
    fn the_median_is_shifted_by_the_slopes_below_minus_one() {
        // x = 1, 2, 3; y = 3, 1, 2: slopes −2, −0.5, 1; K = 1 (−2 < −1).
        // N = 3 odd: b = S((3+1)/2 + 1) = S3 = 1. Unshifted it would be −0.5.
        let fit = passing_bablok(&[1.0, 2.0, 3.0], &[3.0, 1.0, 2.0]).unwrap();
        assert!((fit.slope - 1.0).abs() < 1e-12, "{}", fit.slope);
    }

    #[test]
    fn an_exact_line_is_recovered_and_equal_x_pairs_are_ignored() {
        let x = [35.0, 35.0, 36.0, 36.0, 37.0, 37.0, 38.0];
        let y: Vec<f64> = x.iter().map(|v| 2.0 + 0.95 * v).collect();
        let fit = passing_bablok(&x, &y).unwrap();
        assert!((fit.slope - 0.95).abs() < 1e-12);
        assert!((fit.intercept - 2.0).abs() < 1e-10);
        assert!(passing_bablok(&[37.0; 4], &[36.0, 37.0, 38.0, 36.5]).is_none());
    }
}
