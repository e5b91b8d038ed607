//! Quantiles of the distributions behind the confidence intervals, from statrs.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

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
        assert!(normal_quantile(1.0).is_none());
    }
}
