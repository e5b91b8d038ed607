//! The non-central t distribution, for exact confidence intervals of the
//! limits of agreement (Carkeet 2015, Optom Vis Sci 92:e71–e80).
//!
//! `T = (Z + δ) / U` with `Z` standard normal and `U = sqrt(V/ν)`, `V`
//! chi-square with ν degrees of freedom, independent. Its distribution
//! function is the integral over `U`'s density of the normal one:
//! `F(t) = ∫₀^∞ Φ(t·u − δ) f_U(u) du`, with
//! `ln f_U(u) = ln 2 + (ν/2)·ln(ν/2) − lnΓ(ν/2) + (ν − 1)·ln u − ν·u²/2`.
//! The integral is taken by composite Simpson over ± `SPREAD_WIDTHS`
//! standard deviations of `U` around its mode, where all of its mass lies;
//! quantiles by bisection. statrs has no non-central t.

use statrs::function::erf::erfc;
use statrs::function::gamma::ln_gamma;

/// Half-width of the integration range in standard deviations of `U`
/// (about `1/√(2ν)`): the chi density beyond 14 of them is below 1e-40.
const SPREAD_WIDTHS: f64 = 14.0;

/// Fewest Simpson intervals over that range: the chi density is smooth and
/// 800 give the distribution function to 1e-10 of scipy's `nct` (tests
/// below). Every accuracy block computes two quantiles, so this is what the
/// calibration's thousands of sessions pay for.
const MIN_SIMPSON_INTERVALS: usize = 800;

/// Simpson intervals per unit of `|t|`·range: the normal factor
/// `Φ(t·u − δ)` turns over within `1/|t|` of `u`, which 16 intervals
/// resolve (df 2, t 30 to 1e-11 of scipy).
const INTERVALS_PER_TURN: f64 = 16.0;

/// Most Simpson intervals.
const MAX_SIMPSON_INTERVALS: usize = 40_000;

/// Relative width of the bracket at which the quantile search stops.
const QUANTILE_TOLERANCE: f64 = 1e-11;

/// Most steps of the quantile search (the Illinois method converges in
/// about ten from the normal approximation's bracket).
const QUANTILE_STEPS: usize = 200;

/// `P(T ≤ t)` for the non-central t with `df` degrees of freedom and
/// non-centrality `delta`; `None` unless `df` is finite and at least 1
/// (below 1 the density of `U` is unbounded at 0).
pub fn noncentral_t_cdf(t: f64, df: f64, delta: f64) -> Option<f64> {
    if !(df >= 1.0 && df.is_finite() && t.is_finite() && delta.is_finite()) {
        return None;
    }
    let log_norm = std::f64::consts::LN_2 + df / 2.0 * (df / 2.0).ln() - ln_gamma(df / 2.0);
    let density = |u: f64| {
        if u <= 0.0 {
            // The density at 0 is finite only for one degree of freedom.
            return if u == 0.0 && df == 1.0 {
                log_norm.exp()
            } else {
                0.0
            };
        }
        (log_norm + (df - 1.0) * u.ln() - df * u * u / 2.0).exp()
    };
    let normal_cdf = |z: f64| 0.5 * erfc(-z / std::f64::consts::SQRT_2);
    let mode = ((df - 1.0).max(0.0) / df).sqrt();
    let spread = SPREAD_WIDTHS / (2.0 * df).sqrt();
    let (low, high) = ((mode - spread).max(0.0), mode + spread);
    let wanted = ((high - low) * t.abs() * INTERVALS_PER_TURN).ceil() as usize;
    let intervals = (wanted.clamp(MIN_SIMPSON_INTERVALS, MAX_SIMPSON_INTERVALS) + 1) & !1;
    let h = (high - low) / intervals as f64;
    let integrand = |u: f64| normal_cdf(t * u - delta) * density(u);
    let mut sum = integrand(low) + integrand(high);
    for i in 1..intervals {
        let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += weight * integrand(low + i as f64 * h);
    }
    Some((sum * h / 3.0).clamp(0.0, 1.0))
}

/// The `p` quantile of the non-central t; `None` when `p` is outside
/// (0, 1) or `df` is below 1 or not finite.
///
/// Starts from the normal approximation `δ + z_p·sqrt(1 + δ²/(2ν))`
/// (Johnson, Kotz & Balakrishnan 1995, ch. 31), brackets the root of
/// `F(t) − p` by widening around it, and closes the bracket by the
/// Illinois variant of regula falsi.
pub fn noncentral_t_quantile(p: f64, df: f64, delta: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let excess = |t: f64| noncentral_t_cdf(t, df, delta).map(|f| f - p);
    let spread = (1.0 + delta * delta / (2.0 * df)).sqrt() * (1.0 + 3.0 / df);
    let guess = delta + super::distribution::normal_quantile(p)? * spread;
    let (mut low, mut high) = (guess - spread, guess + spread);
    let (mut f_low, mut f_high) = (excess(low)?, excess(high)?);
    let mut widen = spread;
    while f_low > 0.0 {
        widen *= 2.0;
        low -= widen;
        f_low = excess(low)?;
        if widen > 1e12 {
            return None;
        }
    }
    widen = spread;
    while f_high < 0.0 {
        widen *= 2.0;
        high += widen;
        f_high = excess(high)?;
        if widen > 1e12 {
            return None;
        }
    }
    // Illinois: regula falsi, halving the value kept twice on one side.
    let mut kept_side = 0i8;
    for _ in 0..QUANTILE_STEPS {
        if high - low <= QUANTILE_TOLERANCE * high.abs().max(low.abs()).max(1.0) {
            break;
        }
        let mut next = (low * f_high - high * f_low) / (f_high - f_low);
        if !(next > low && next < high) {
            next = 0.5 * (low + high);
        }
        let f_next = excess(next)?;
        if f_next == 0.0 {
            return Some(next);
        }
        if f_next < 0.0 {
            low = next;
            f_low = f_next;
            if kept_side == 1 {
                f_high /= 2.0;
            }
            kept_side = 1;
        } else {
            high = next;
            f_high = f_next;
            if kept_side == -1 {
                f_low /= 2.0;
            }
            kept_side = -1;
        }
    }
    Some((low * f_high - high * f_low) / (f_high - f_low))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy_nct() {
        // scipy 1.17.1 (`from scipy.stats import nct`; `from math import sqrt`):
        //   nct.cdf(2.0, 5, 1.0)                 = 0.7780746626162148
        //   nct.cdf(-1.5, 1, 0.5)                = 0.09568426600492963
        //   nct.cdf(30, 2, 3)                    = 0.9889737625794848
        //   nct.ppf(0.025, 5, 1.96*sqrt(6))      = 2.427940023278211
        //   nct.ppf(0.975, 5, 1.96*sqrt(6))      = 12.519253227411642
        //   nct.ppf(0.025, 16, 1.96*sqrt(17))    = 5.422125161570978
        //   nct.ppf(0.975, 16, 1.96*sqrt(17))    = 12.980871542805119
        //   nct.ppf(0.025, 2138, 2*sqrt(2139))   = 89.1880379219339
        //   nct.ppf(0.975, 2138, 2*sqrt(2139))   = 95.9835515177003
        let cdf = |t: f64, df: f64, delta: f64| noncentral_t_cdf(t, df, delta).unwrap();
        assert!((cdf(2.0, 5.0, 1.0) - 0.778_074_662_616_214_8).abs() < 1e-9);
        assert!((cdf(-1.5, 1.0, 0.5) - 0.095_684_266_004_929_63).abs() < 1e-9);
        assert!((cdf(30.0, 2.0, 3.0) - 0.988_973_762_579_484_8).abs() < 1e-9);
        let quantile = |p: f64, df: f64, delta: f64| noncentral_t_quantile(p, df, delta).unwrap();
        let cases = [
            (0.025, 5.0, 1.96 * 6f64.sqrt(), 2.427_940_023_278_211),
            (0.975, 5.0, 1.96 * 6f64.sqrt(), 12.519_253_227_411_642),
            (0.025, 16.0, 1.96 * 17f64.sqrt(), 5.422_125_161_570_978),
            (0.975, 16.0, 1.96 * 17f64.sqrt(), 12.980_871_542_805_119),
            (0.025, 2138.0, 2.0 * 2139f64.sqrt(), 89.188_037_921_933_9),
            (0.975, 2138.0, 2.0 * 2139f64.sqrt(), 95.983_551_517_700_3),
        ];
        for (p, df, delta, expected) in cases {
            let q = quantile(p, df, delta);
            assert!(
                (q - expected).abs() < 1e-7 * expected,
                "{p} {df}: {q} vs {expected}"
            );
        }
        // Central t: t(0.975; 10) = 2.228138851986274.
        assert!((quantile(0.975, 10.0, 0.0) - 2.228_138_851_986_274).abs() < 1e-8);
        assert!(noncentral_t_cdf(1.0, 0.0, 1.0).is_none());
        assert!(noncentral_t_quantile(1.0, 5.0, 1.0).is_none());
    }
}
