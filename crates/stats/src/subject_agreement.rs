//! Agreement when subjects are read more than once (Bland & Altman 2007,
//! "Agreement between methods of measurement with multiple observations per
//! individual", J Biopharm Stat 17:571–582): readings of one subject are not
//! independent, so the subject is the unit of the intervals.
//!
//! One-way analysis of variance of the differences `d_ij = y − x` by
//! subject i (n subjects, N readings, m_i per subject, d̄ the mean of all):
//! - `MS_b = Σ m_i (d̄_i − d̄)² / (n − 1)`, `MS_w = Σ (d_ij − d̄_i)² / (N − n)`;
//! - `λ = (N² − Σ m_i²) / ((n − 1)·N)` (λ = m when every subject has m);
//! - within-subject variance `σ²_w = MS_w`, between-subject variance
//!   `σ²_b = max(0, (MS_b − MS_w)/λ)`, total `σ² = σ²_b + σ²_w`.
//!
//! The bias is d̄ (ISO 80601-2-56's clinical bias, the mean of all
//! differences); its variance under that model is
//! `(σ²_b·Σ m_i² + σ²_w·N) / N²` — for equal m_i the variance of the
//! subject means over n — with t on n − 1 degrees of freedom (the subjects).
//! The limits are `d̄ ± k·σ`. Their 95 % intervals by MOVER (Zou 2013, Stat
//! Methods Med Res 22:630–642): `σ² = MS_b/λ + (1 − 1/λ)·MS_w`, a sum of two
//! mean squares with n − 1 and N − n degrees of freedom, each with its
//! chi-square interval, combined by MOVER; then MOVER again for `d̄ ± k·σ`.
//! When `σ²_b` is 0 the total is `MS_w` alone, with its own interval.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bland_altman::{proportional_bias, BlandAltman, LoaIntervalMethod};
use super::distribution::{chi_square_quantile, t_critical};
use super::{differences, Interval, CONFIDENCE};

/// The variance components of the differences over subjects.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SubjectComponents {
    /// Subjects (clusters).
    pub subjects: usize,
    /// Readings over all subjects.
    pub observations: usize,
    /// Subjects read more than once.
    pub repeated_subjects: usize,
    /// Between-subject mean square `MS_b`, °C².
    pub between_mean_square_c2: f64,
    /// Within-subject mean square `MS_w`, °C².
    pub within_mean_square_c2: f64,
    /// The divisor λ of Bland & Altman 2007.
    pub divisor: f64,
    /// Between-subject standard deviation `σ_b`, °C.
    pub between_sd_c: f64,
    /// Within-subject standard deviation `σ_w`, °C.
    pub within_sd_c: f64,
    /// Total standard deviation of one difference `sqrt(σ²_b + σ²_w)`, °C.
    pub total_sd_c: f64,
}

/// Bland–Altman statistics with subjects as clusters, and the components;
/// `None` when fewer than two subjects or no subject is read twice (then
/// the pairs are independent: [`super::bland_altman::bland_altman`]).
pub fn subject_bland_altman<L: Ord>(
    subjects: &[L],
    x: &[f64],
    y: &[f64],
    multiplier: f64,
) -> Option<(BlandAltman, SubjectComponents)> {
    let d = differences(x, y);
    let mut groups: BTreeMap<&L, Vec<f64>> = BTreeMap::new();
    for (subject, &value) in subjects.iter().zip(&d) {
        groups.entry(subject).or_default().push(value);
    }
    let (n, big_n) = (groups.len(), d.len());
    if n < 2 || n == big_n {
        return None;
    }
    let (nf, big_nf) = (n as f64, big_n as f64);
    let mean = d.iter().sum::<f64>() / big_nf;
    let (mut between, mut within, mut sum_m2) = (0.0, 0.0, 0.0);
    for values in groups.values() {
        let m = values.len() as f64;
        let subject_mean = values.iter().sum::<f64>() / m;
        between += m * (subject_mean - mean).powi(2);
        within += values
            .iter()
            .map(|v| (v - subject_mean).powi(2))
            .sum::<f64>();
        sum_m2 += m * m;
    }
    let (df_between, df_within) = (nf - 1.0, big_nf - nf);
    let ms_between = between / df_between;
    let ms_within = within / df_within;
    let divisor = (big_nf * big_nf - sum_m2) / (df_between * big_nf);
    let between_var = ((ms_between - ms_within) / divisor).max(0.0);
    let total_var = between_var + ms_within;
    let sd = total_var.sqrt();

    let bias_se = ((between_var * sum_m2 + ms_within * big_nf) / (big_nf * big_nf)).sqrt();
    let bias_ci = Interval::around(mean, t_critical(df_between)? * bias_se);

    // Chi-square interval of one mean square scaled by `weight`.
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let scaled = |weight: f64, mean_square: f64, df: f64| -> Option<(f64, f64, f64)> {
        let value = weight * mean_square;
        let low = value * df / chi_square_quantile(1.0 - tail, df)?;
        let high = value * df / chi_square_quantile(tail, df)?;
        Some((value, low, high))
    };
    let terms = if between_var > 0.0 {
        vec![
            scaled(1.0 / divisor, ms_between, df_between)?,
            scaled(1.0 - 1.0 / divisor, ms_within, df_within)?,
        ]
    } else {
        vec![scaled(1.0, ms_within, df_within)?]
    };
    let variance: f64 = terms.iter().map(|t| t.0).sum();
    let variance_low = variance
        - terms
            .iter()
            .map(|(v, low, _)| (v - low).powi(2))
            .sum::<f64>()
            .sqrt();
    let variance_high = variance
        + terms
            .iter()
            .map(|(v, _, high)| (high - v).powi(2))
            .sum::<f64>()
            .sqrt();
    let (sd_low, sd_high) = (variance_low.max(0.0).sqrt(), variance_high.sqrt());
    let k = multiplier;
    let (below, above) = (mean - bias_ci.low, bias_ci.high - mean);
    let loa_high = mean + k * sd;
    let loa_low = mean - k * sd;
    let loa_high_ci = Interval {
        low: loa_high - (below.powi(2) + (k * (sd - sd_low)).powi(2)).sqrt(),
        high: loa_high + (above.powi(2) + (k * (sd_high - sd)).powi(2)).sqrt(),
    };
    let loa_low_ci = Interval {
        low: loa_low - (below.powi(2) + (k * (sd_high - sd)).powi(2)).sqrt(),
        high: loa_low + (above.powi(2) + (k * (sd - sd_low)).powi(2)).sqrt(),
    };
    let agreement = BlandAltman {
        n: big_n,
        bias: mean,
        sd,
        multiplier,
        loa_low,
        loa_high,
        bias_ci,
        loa_low_ci,
        loa_high_ci,
        loa_ci_method: LoaIntervalMethod::MoverSubjectClusters,
        proportional_bias: proportional_bias(x, y),
    };
    let components = SubjectComponents {
        subjects: n,
        observations: big_n,
        repeated_subjects: groups.values().filter(|v| v.len() > 1).count(),
        between_mean_square_c2: ms_between,
        within_mean_square_c2: ms_within,
        divisor,
        between_sd_c: between_var.sqrt(),
        within_sd_c: ms_within.sqrt(),
        total_sd_c: sd,
    };
    Some((agreement, components))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Subjects, their one reference each and their repeated device readings.
    fn pairs(data: &[(&'static str, f64, &[f64])]) -> (Vec<&'static str>, Vec<f64>, Vec<f64>) {
        let (mut subjects, mut x, mut y) = (Vec::new(), Vec::new(), Vec::new());
        for &(subject, reference, readings) in data {
            for &reading in readings {
                subjects.push(subject);
                x.push(reference);
                y.push(reading);
            }
        }
        (subjects, x, y)
    }

    #[test]
    fn balanced_subjects_agree_with_a_reml_mixed_model() {
        // Five subjects read three times. statsmodels 0.15.0
        // `smf.mixedlm('d ~ 1', df, groups=df['s']).fit(reml=True)` gives
        // intercept −0.626666666666667, SE 0.0945163, σ²_b 0.0315556,
        // σ²_w 0.0393333 — the ANOVA components here, as they must be for
        // balanced data.
        let (s, x, y) = pairs(&[
            ("p", 36.5, &[36.0, 36.2, 35.9]),
            ("q", 37.0, &[36.1, 36.6, 36.4]),
            ("r", 37.6, &[37.2, 37.1, 37.4]),
            ("s", 36.9, &[36.0, 35.9, 36.3]),
            ("u", 38.2, &[37.2, 37.6, 37.3]),
        ]);
        let (ba, c) = subject_bland_altman(&s, &x, &y, 1.96).unwrap();
        assert!((ba.bias - -0.626_666_666_666_667).abs() < 1e-12);
        let se = (ba.bias_ci.high - ba.bias) / 2.776_445_105_197_793;
        assert!((se - 0.094_516_3).abs() < 1e-6, "{se}");
        assert!((c.between_sd_c.powi(2) - 0.031_555_6).abs() < 1e-6);
        assert!((c.within_sd_c.powi(2) - 0.039_333_3).abs() < 1e-6);
        assert_eq!(
            (c.subjects, c.observations, c.repeated_subjects),
            (5, 15, 5)
        );
        assert!((c.divisor - 3.0).abs() < 1e-12);
        // MOVER limits (script below): lower [−1.912171, −0.854109],
        // upper [−0.399224, 0.658838].
        assert!((ba.loa_low_ci.low - -1.912_171_464_5).abs() < 1e-8);
        assert!((ba.loa_low_ci.high - -0.854_109_462_7).abs() < 1e-8);
        assert!((ba.loa_high_ci.low - -0.399_223_870_6).abs() < 1e-8);
        assert!((ba.loa_high_ci.high - 0.658_838_131_2).abs() < 1e-8);
    }

    #[test]
    fn unbalanced_subjects_by_an_independent_script() {
        // numpy 2.4 / scipy 1.17.1, the formulas of the module head written
        // out independently:
        //   d̄ = d.mean(); MS_b = Σ m_i(d̄_i − d̄)²/(n−1); MS_w = Σ(d − d̄_i)²/(N−n)
        //   λ = (N² − Σm²)/((n−1)N); σ²_b = max(0, (MS_b − MS_w)/λ)
        //   se = sqrt((σ²_b Σm² + MS_w N)/N²); CI d̄ ± t.ppf(.975, n−1)·se
        //   terms (MS_b/λ, n−1), ((1−1/λ)MS_w, N−n); chi2.ppf for each; MOVER
        // n 6, N 14, MS_b 0.0547142857, MS_w 0.02875, λ 2.2857142857,
        // σ_b 0.1065803687, σ_w 0.1695582496, σ 0.2002732508,
        // d̄ −0.678571428571, se 0.0643427327, CI [−0.8439696884, −0.5131731688],
        // LoA (k = 2) −1.0791179302, −0.2780249269,
        // lower CI [−1.5290803020, −0.8874459813], upper [−0.4696968759, 0.1719374448].
        let (s, x, y) = pairs(&[
            ("a", 36.8, &[36.1, 36.3, 36.0]),
            ("b", 37.2, &[36.9, 36.6]),
            ("c", 36.5, &[35.8, 36.0, 35.7]),
            ("d", 38.1, &[37.0, 37.3]),
            ("e", 37.0, &[36.2]),
            ("f", 36.6, &[36.1, 35.8, 36.0]),
        ]);
        let (ba, c) = subject_bland_altman(&s, &x, &y, 2.0).unwrap();
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        close(c.between_mean_square_c2, 0.054_714_285_71);
        close(c.within_mean_square_c2, 0.028_75);
        close(c.divisor, 2.285_714_285_714);
        close(c.between_sd_c, 0.106_580_368_7);
        close(c.within_sd_c, 0.169_558_249_6);
        close(ba.sd, 0.200_273_250_8);
        close(ba.bias, -0.678_571_428_571);
        close(ba.bias_ci.low, -0.843_969_688_4);
        close(ba.bias_ci.high, -0.513_173_168_8);
        close(ba.loa_low, -1.079_117_930_2);
        close(ba.loa_high, -0.278_024_926_9);
        close(ba.loa_low_ci.low, -1.529_080_302_0);
        close(ba.loa_low_ci.high, -0.887_445_981_3);
        close(ba.loa_high_ci.low, -0.469_696_875_9);
        close(ba.loa_high_ci.high, 0.171_937_444_8);
        assert_eq!(c.repeated_subjects, 5);
        assert_eq!(ba.loa_ci_method, LoaIntervalMethod::MoverSubjectClusters);
        // One reading per subject is not clustered data.
        assert!(subject_bland_altman(&["a", "b"], &[36.0, 37.0], &[36.1, 37.2], 2.0).is_none());
    }
}
