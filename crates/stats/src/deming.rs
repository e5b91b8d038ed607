//! Deming regression: a straight line when both methods have error.
//!
//! With error-variance ratio δ (var(error of y)/var(error of x); δ = 1 is
//! orthogonal regression) and centred sums `s_xx, s_yy, s_xy` (docs/science.md §2;
//! Linnet 1990, Stat Med 9:1463):
//! `b = [s_yy − δ s_xx + sqrt((s_yy − δ s_xx)² + 4δ s_xy²)] / (2 s_xy)`,
//! `a = ȳ − b x̄`. Confidence intervals by the jackknife: leave-one-out fits
//! `b₍₋ᵢ₎`, `SE = sqrt((n−1)/n · Σ(b₍₋ᵢ₎ − mean)²)`, interval
//! `b ± t(n−2, .975)·SE` (the same for `a`). Needs n ≥ 3 and `s_xy ≠ 0`
//! (`None` otherwise: a device whose output does not co-vary with the
//! reference has no Deming line).

use serde::{Deserialize, Serialize};

use super::centred_sums::CentredSums;
use super::distribution::t_critical;
use super::Interval;

/// Error-variance ratio used when none is known: both methods equally precise.
pub const DEFAULT_ERROR_RATIO: f64 = 1.0;

/// A method-comparison line with confidence intervals of slope and intercept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MethodFit {
    /// Slope.
    pub slope: f64,
    /// Intercept.
    pub intercept: f64,
    /// 95 % confidence interval of the slope.
    pub slope_ci: Interval,
    /// 95 % confidence interval of the intercept.
    pub intercept_ci: Interval,
}

/// The Deming line of a sample's centred sums, without intervals.
fn line(sums: &CentredSums, delta: f64) -> Option<(f64, f64)> {
    if sums.sxy == 0.0 {
        return None;
    }
    let u = sums.syy - delta * sums.sxx;
    let slope = (u + (u * u + 4.0 * delta * sums.sxy * sums.sxy).sqrt()) / (2.0 * sums.sxy);
    Some((slope, sums.mean_y - slope * sums.mean_x))
}

/// Fits a Deming line with error ratio `delta` and jackknife intervals.
///
/// The n leave-one-out fits come from downdated sums (`CentredSums::without`),
/// so the whole fit is O(n) rather than the O(n²) of refitting each subset.
pub fn deming(x: &[f64], y: &[f64], delta: f64) -> Option<MethodFit> {
    let n = x.len().min(y.len());
    if n < 3 || delta <= 0.0 {
        return None;
    }
    let sums = CentredSums::of(&x[..n], &y[..n]);
    let (slope, intercept) = line(&sums, delta)?;
    let leave_out = x[..n]
        .iter()
        .zip(&y[..n])
        .map(|(&xi, &yi)| line(&sums.without(xi, yi), delta))
        .collect::<Option<Vec<(f64, f64)>>>()?;
    let t = t_critical((n - 2) as f64)?;
    let slope_se = jackknife_se(leave_out.iter().map(|p| p.0));
    let intercept_se = jackknife_se(leave_out.iter().map(|p| p.1));
    Some(MethodFit {
        slope,
        intercept,
        slope_ci: Interval::around(slope, t * slope_se),
        intercept_ci: Interval::around(intercept, t * intercept_se),
    })
}

/// Jackknife standard error of leave-one-out estimates.
fn jackknife_se(estimates: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = estimates.clone().count() as f64;
    let mean = estimates.clone().sum::<f64>() / n;
    ((n - 1.0) / n * estimates.map(|e| (e - mean).powi(2)).sum::<f64>()).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 10-pair example; the expected values below were computed outside
    /// the project with scipy.odr (orthogonal distance regression, equal
    /// weights, which is Deming with δ = 1) and a jackknife loop over scipy.odr
    /// fits in Python, t(0.975; 8) = 2.306004. ODR is iterative and agrees
    /// with the closed form to about 1e-8 in the slope, hence the tolerances.
    const X: [f64; 10] = [35.0, 35.5, 36.0, 36.5, 37.0, 37.5, 38.0, 38.5, 39.0, 39.5];
    const Y: [f64; 10] = [35.3, 35.6, 36.4, 36.5, 37.3, 37.4, 38.3, 38.4, 39.3, 39.4];

    #[test]
    fn matches_orthogonal_distance_regression() {
        let fit = deming(&X, &Y, 1.0).unwrap();
        assert!((fit.slope - EXPECTED_SLOPE).abs() < 1e-7, "{}", fit.slope);
        assert!(
            (fit.intercept - EXPECTED_INTERCEPT).abs() < 1e-5,
            "{}",
            fit.intercept
        );
        assert!(
            (fit.slope_ci.low - EXPECTED_SLOPE_CI.0).abs() < 1e-6,
            "{:?}",
            fit.slope_ci
        );
        assert!(
            (fit.slope_ci.high - EXPECTED_SLOPE_CI.1).abs() < 1e-6,
            "{:?}",
            fit.slope_ci
        );
        assert!((fit.intercept_ci.low - EXPECTED_INTERCEPT_CI.0).abs() < 1e-4);
        assert!((fit.intercept_ci.high - EXPECTED_INTERCEPT_CI.1).abs() < 1e-4);
    }

    #[test]
    fn recovers_an_exact_line_and_refuses_no_covariance() {
        let x = [35.0, 36.0, 37.0, 38.0];
        let y: Vec<f64> = x.iter().map(|v| 7.4 + 0.8 * v).collect();
        let fit = deming(&x, &y, 1.0).unwrap();
        assert!((fit.slope - 0.8).abs() < 1e-12 && (fit.intercept - 7.4).abs() < 1e-10);
        assert!(deming(&x, &[37.0; 4], 1.0).is_none());
        assert!(deming(&x[..2], &y[..2], 1.0).is_none());
    }

    const EXPECTED_SLOPE: f64 = 0.9566403722729336;
    const EXPECTED_INTERCEPT: f64 = 1.7551461334891312;
    const EXPECTED_SLOPE_CI: (f64, f64) = (0.8546668883468802, 1.058613856198987);
    const EXPECTED_INTERCEPT_CI: (f64, f64) = (-1.9939631523972432, 5.5042554193755056);
}
