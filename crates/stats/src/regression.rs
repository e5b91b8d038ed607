//! Ordinary least squares `y = a + b·x` with standard errors, 95 % confidence
//! intervals, R² and adjusted R² (docs/science.md §2).
//!
//! Sums of squares are accumulated around the means (centred co-moments), so
//! temperatures near 37 °C and the NIST StRD "Norris" data fit to 12 digits.
//! Adjusted R² = `1 − (1 − R²)(n − 1)/(n − 2)`. Needs n ≥ 3 and some spread in
//! `x` (`None` otherwise). When `y` has no spread, R² is undefined (`None`).

use serde::{Deserialize, Serialize};

use super::centred_sums::CentredSums;
use super::distribution::t_critical;
use super::Interval;

/// A fitted straight line with its uncertainties.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LinearFit {
    /// Number of pairs.
    pub n: usize,
    /// Slope `b`.
    pub slope: f64,
    /// Intercept `a`.
    pub intercept: f64,
    /// Standard error of the slope.
    pub slope_se: f64,
    /// Standard error of the intercept.
    pub intercept_se: f64,
    /// 95 % confidence interval of the slope, `b ± t(n−2)·SE`.
    pub slope_ci: Interval,
    /// 95 % confidence interval of the intercept.
    pub intercept_ci: Interval,
    /// Residual standard deviation `sqrt(SSE/(n−2))`.
    pub residual_sd: f64,
    /// Coefficient of determination; `None` when `y` is constant.
    pub r2: Option<f64>,
    /// Adjusted R²; `None` when `y` is constant.
    pub adj_r2: Option<f64>,
}

impl LinearFit {
    /// The fitted value at `x`.
    pub fn predict(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }
}

/// Fits `y = a + b·x` by ordinary least squares.
pub fn ols(x: &[f64], y: &[f64]) -> Option<LinearFit> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let (x, y) = (&x[..n], &y[..n]);
    let CentredSums {
        mean_x,
        mean_y,
        sxx,
        sxy,
        syy,
        ..
    } = CentredSums::of(x, y);
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let sse: f64 = x
        .iter()
        .zip(y)
        .map(|(xi, yi)| (yi - intercept - slope * xi).powi(2))
        .sum();
    let df = (n - 2) as f64;
    let residual_sd = (sse / df).sqrt();
    let slope_se = residual_sd / sxx.sqrt();
    let intercept_se = residual_sd * (1.0 / n as f64 + mean_x * mean_x / sxx).sqrt();
    let t = t_critical(df)?;
    let r2 = (syy > 0.0).then(|| 1.0 - sse / syy);
    Some(LinearFit {
        n,
        slope,
        intercept,
        slope_se,
        intercept_se,
        slope_ci: Interval::around(slope, t * slope_se),
        intercept_ci: Interval::around(intercept, t * intercept_se),
        residual_sd,
        r2,
        adj_r2: r2.map(|r2| 1.0 - (1.0 - r2) * (n - 1) as f64 / df),
    })
}

/// One point of a confidence band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BandPoint {
    /// Where, on the x axis.
    pub x: f64,
    /// Lower edge of the band.
    pub low: f64,
    /// Upper edge of the band.
    pub high: f64,
}

/// The 95 % confidence band of the fitted mean at `points` evenly spaced x
/// values over the range of `x`: `ŷ ± t(n−2)·s·sqrt(1/n + (x − x̄)²/Sxx)`
/// (the band charts draw around the OLS line). Empty when the fit is undefined.
pub fn confidence_band(x: &[f64], fit: &LinearFit, points: usize) -> Vec<BandPoint> {
    let n = x.len();
    if n < 3 || points < 2 {
        return Vec::new();
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    let sxx: f64 = x.iter().map(|v| (v - mean).powi(2)).sum();
    let Some(t) = t_critical((n - 2) as f64) else {
        return Vec::new();
    };
    let low = x.iter().copied().fold(f64::INFINITY, f64::min);
    let high = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (0..points)
        .map(|i| {
            let at = low + (high - low) * i as f64 / (points - 1) as f64;
            let half = t * fit.residual_sd * (1.0 / n as f64 + (at - mean).powi(2) / sxx).sqrt();
            BandPoint {
                x: at,
                low: fit.predict(at) - half,
                high: fit.predict(at) + half,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NIST/ITL StRD data set "Norris" (calibration of ozone monitors), 36
    /// observations; certified values from the StRD Norris.dat file.
    const NORRIS_X: [f64; 36] = [
        0.2, 337.4, 118.2, 884.6, 10.1, 226.5, 666.3, 996.3, 448.6, 777.0, 558.2, 0.4, 0.6, 775.5,
        666.9, 338.0, 447.5, 11.6, 556.0, 228.1, 995.8, 887.6, 120.2, 0.3, 0.3, 556.8, 339.1,
        887.2, 999.0, 779.0, 11.1, 118.3, 229.2, 669.1, 448.9, 0.5,
    ];
    const NORRIS_Y: [f64; 36] = [
        0.1, 338.8, 118.1, 888.0, 9.2, 228.1, 668.5, 998.5, 449.1, 778.9, 559.2, 0.3, 0.1, 778.1,
        668.8, 339.3, 448.9, 10.8, 557.7, 228.3, 998.0, 888.8, 119.6, 0.3, 0.6, 557.6, 339.3,
        888.0, 998.5, 778.9, 10.2, 117.6, 228.9, 668.4, 449.2, 0.2,
    ];

    #[test]
    fn reproduces_the_nist_strd_norris_certified_values() {
        let fit = ols(&NORRIS_X, &NORRIS_Y).unwrap();
        let close = |a: f64, b: f64| ((a - b) / b).abs() < 1e-10;
        assert!(
            close(fit.intercept, -0.262323073774029),
            "{}",
            fit.intercept
        );
        assert!(close(fit.slope, 1.00211681802045), "{}", fit.slope);
        assert!(
            close(fit.intercept_se, 0.232818234301152),
            "{}",
            fit.intercept_se
        );
        assert!(
            close(fit.slope_se, 0.429796848199937e-3),
            "{}",
            fit.slope_se
        );
        assert!(
            close(fit.residual_sd, 0.884796396144373),
            "{}",
            fit.residual_sd
        );
        assert!(close(fit.r2.unwrap(), 0.999993745883712), "{:?}", fit.r2);
    }

    #[test]
    fn adjusted_r2_and_intervals_follow_their_formulas_on_norris() {
        // adj R² = 1 − (1 − 0.999993745883712)·35/34 = 0.999993561938...;
        // slope CI = b ± t(0.975; 34)·SE with t(0.975; 34) = 2.032245 (t table).
        let fit = ols(&NORRIS_X, &NORRIS_Y).unwrap();
        let adj = 1.0 - (1.0 - 0.999993745883712) * 35.0 / 34.0;
        assert!((fit.adj_r2.unwrap() - adj).abs() < 1e-12);
        let half = 2.032245 * 0.429796848199937e-3;
        assert!((fit.slope_ci.high - (1.00211681802045 + half)).abs() < 1e-8);
        assert!((fit.slope_ci.low - (1.00211681802045 - half)).abs() < 1e-8);
    }

    #[test]
    fn a_hand_computed_three_point_fit() {
        // x = 35, 37, 39; y = 36.6, 37.0, 37.4: b = 0.8/4 = 0.2, a = 37 − 0.2·37
        // = 29.6, residuals zero so SE = 0 and R² = 1 (a compressing device).
        let fit = ols(&[35.0, 37.0, 39.0], &[36.6, 37.0, 37.4]).unwrap();
        assert!((fit.slope - 0.2).abs() < 1e-12);
        assert!((fit.intercept - 29.6).abs() < 1e-10);
        assert!(fit.slope_se < 1e-10);
        assert!((fit.r2.unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_band_is_narrowest_at_the_mean_and_matches_its_formula() {
        // x = 1..5, y = 2, 4, 5, 4, 5: b = 0.6, a = 2.2, SSE = 2.4, s² = 0.8,
        // x̄ = 3, Sxx = 10, t(0.975; 3) = 3.182446. At x = 3 the half-width is
        // 3.182446·sqrt(0.8)·sqrt(1/5) = 1.27298; at x = 1, ·sqrt(1/5 + 4/10).
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let fit = ols(&x, &[2.0, 4.0, 5.0, 4.0, 5.0]).unwrap();
        let band = confidence_band(&x, &fit, 5);
        assert_eq!(band.len(), 5);
        let middle = band[2];
        assert!((middle.x - 3.0).abs() < 1e-12);
        assert!(((middle.high - middle.low) / 2.0 - 1.27298).abs() < 1e-4);
        let edge = (band[0].high - band[0].low) / 2.0;
        assert!((edge - 3.182446 * 0.8f64.sqrt() * 0.6f64.sqrt()).abs() < 1e-4);
    }

    #[test]
    fn undefined_fits_are_none() {
        assert!(ols(&[1.0, 2.0], &[1.0, 2.0]).is_none());
        assert!(ols(&[37.0; 5], &[36.0, 37.0, 38.0, 37.0, 36.5]).is_none());
        let flat = ols(&[35.0, 36.0, 37.0], &[37.0; 3]).unwrap();
        assert_eq!(flat.slope, 0.0);
        assert_eq!(flat.r2, None);
    }
}
