//! Quantiles of the distributions behind the confidence intervals, from statrs.

use statrs::distribution::{
    Binomial, ChiSquared, Continuous, ContinuousCDF, DiscreteCDF, Normal, Poisson, StudentsT,
};

/// Degrees of freedom above which the chi-square quantile starts from the
/// Wilson–Hilferty approximation (Abramowitz & Stegun 26.4.17; relative
/// error below 1e-4 there) instead of statrs' iterative inverse, which slows
/// down for large df.
const WILSON_HILFERTY_FROM_DF: f64 = 1000.0;

/// Newton steps that polish statrs' chi-square quantile (quadratic
/// convergence: three take 1e-5 to the limit of f64).
const NEWTON_STEPS: usize = 3;

/// The `p` quantile of Student's t with `df` degrees of freedom; `None` when
/// `df` is not positive or `p` is outside (0, 1).
pub fn t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    StudentsT::new(0.0, 1.0, df).ok().map(|t| t.inverse_cdf(p))
}

/// The `p` quantile of the standard normal distribution.
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    Normal::new(0.0, 1.0).ok().map(|n| n.inverse_cdf(p))
}

/// The `p` quantile of the chi-square distribution with `df` degrees of
/// freedom; `None` when `df` is not positive or `p` is outside (0, 1).
pub fn chi_square_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0 && df > 0.0 && df.is_finite()) {
        return None;
    }
    let chi = ChiSquared::new(df).ok()?;
    // Both starting points are close (statrs' inverse stops at about 1e-5
    // relative, Wilson–Hilferty at 1e-4); Newton steps on the accurate
    // distribution function finish the job.
    let mut x = if df > WILSON_HILFERTY_FROM_DF {
        let z = normal_quantile(p)?;
        let a = 2.0 / (9.0 * df);
        df * (1.0 - a + z * a.sqrt()).powi(3)
    } else {
        chi.inverse_cdf(p)
    };
    for _ in 0..NEWTON_STEPS {
        let density = chi.pdf(x);
        if density.is_nan() || density <= 0.0 {
            break;
        }
        let next = x - (chi.cdf(x) - p) / density;
        if !(next > 0.0 && next.is_finite()) {
            break;
        }
        x = next;
    }
    Some(x)
}

/// `P(X ≥ k)` for `X` binomial with `n` trials of probability `p`: how
/// often chance alone gives `k` or more; `None` when `p` is outside [0, 1].
pub fn binomial_upper_tail(k: u64, n: u64, p: f64) -> Option<f64> {
    if k == 0 {
        return Some(1.0);
    }
    if k > n {
        return Some(0.0);
    }
    Binomial::new(p, n).ok().map(|b| b.sf(k - 1))
}

/// `P(Z > z)` for a standard normal `Z`.
pub fn normal_upper_tail(z: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.sf(z))
}

/// `P(X ≤ k)` for `X` Poisson with mean `mean`: how often chance alone gives
/// `k` or fewer; `None` when the mean is not positive and finite.
pub fn poisson_lower_tail(k: u64, mean: f64) -> Option<f64> {
    Poisson::new(mean).ok().map(|p| p.cdf(k))
}

/// The two-sided critical value of t for [`super::CONFIDENCE`].
pub fn t_critical(df: f64) -> Option<f64> {
    t_quantile(1.0 - (1.0 - super::CONFIDENCE) / 2.0, df)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_printed_tables() {
        // Student's t table (e.g. NIST/SEMATECH e-Handbook §1.3.6.7.2):
        // t(0.975; 1) = 12.706, t(0.975; 10) = 2.228, t(0.975; 62) = 1.999.
        assert!((t_quantile(0.975, 1.0).unwrap() - 12.706).abs() < 5e-4);
        assert!((t_quantile(0.975, 10.0).unwrap() - 2.228).abs() < 5e-4);
        assert!((t_critical(62.0).unwrap() - 1.999).abs() < 5e-4);
        // z(0.975) = 1.959964.
        assert!((normal_quantile(0.975).unwrap() - 1.959964).abs() < 1e-6);
        assert!(t_quantile(0.975, 0.0).is_none());
        // P(X ≥ 3) for n = 33, p = 0.001: 1 − Σ_{i<3} C(33,i)·0.001^i·0.999^(33−i)
        // = 5.33e-6 (hand-computed: C(33,3)·1e-9·0.999^30 = 5456e-9·0.970 is
        // the leading term, 5.29e-6, and the next adds 0.04e-6).
        let tail = binomial_upper_tail(3, 33, 0.001).unwrap();
        assert!((tail - 5.33e-6).abs() < 0.02e-6, "{tail}");
        assert_eq!(binomial_upper_tail(0, 10, 0.5), Some(1.0));
        assert_eq!(binomial_upper_tail(11, 10, 0.5), Some(0.0));
        // Half of ten fair coins or more: 638/1024.
        assert!((binomial_upper_tail(5, 10, 0.5).unwrap() - 638.0 / 1024.0).abs() < 1e-12);
        assert!(binomial_upper_tail(1, 10, 1.5).is_none());
        // Chi-square table (NIST/SEMATECH §1.3.6.7.4): χ²(0.025; 4) = 0.484,
        // χ²(0.975; 4) = 11.143, χ²(0.975; 10) = 20.483; for 2000 df the
        // start from the approximation, polished (scipy: 2125.842302450; for
        // 1595 df at 0.025: 1486.207378129).
        assert!((chi_square_quantile(0.025, 4.0).unwrap() - 0.484).abs() < 5e-4);
        assert!((chi_square_quantile(0.975, 4.0).unwrap() - 11.143).abs() < 5e-4);
        assert!((chi_square_quantile(0.975, 10.0).unwrap() - 20.483).abs() < 5e-4);
        assert!((chi_square_quantile(0.975, 2000.0).unwrap() - 2_125.842_302_450).abs() < 1e-8);
        assert!((chi_square_quantile(0.025, 1595.0).unwrap() - 1_486.207_378_129).abs() < 1e-8);
        assert!(chi_square_quantile(0.5, 0.0).is_none());
        // To 1e-9 against scipy 1.17.1's chi2.ppf: (0.975, 8) 17.534546139485,
        // (0.025, 5) 0.831211613487, (0.025, 10) 3.246972780237.
        for (p, df, expected) in [
            (0.975, 8.0, 17.534_546_139_485),
            (0.025, 5.0, 0.831_211_613_487),
            (0.025, 10.0, 3.246_972_780_237),
        ] {
            let q = chi_square_quantile(p, df).unwrap();
            assert!((q - expected).abs() < 1e-9, "{p} {df}: {q}");
        }
        assert!(normal_quantile(1.0).is_none());
    }

    #[test]
    fn normal_and_poisson_tails_match_the_tables() {
        // Abramowitz & Stegun table 26.1: Q(2) = 0.02275013.
        assert!((normal_upper_tail(2.0) - 0.022_750_13).abs() < 1e-8);
        // P(X ≤ 2 | mean 5) = e⁻⁵ (1 + 5 + 12.5) = 0.124652.
        let by_hand = (-5.0f64).exp() * 18.5;
        assert!((poisson_lower_tail(2, 5.0).unwrap() - by_hand).abs() < 1e-12);
        assert!(poisson_lower_tail(2, 0.0).is_none());
    }
}
