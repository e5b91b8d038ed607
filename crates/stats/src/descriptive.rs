//! Descriptive statistics of one sample and of paired errors `d = y − x`.
//!
//! Variance and standard deviation use the n − 1 divisor (docs/science.md §2) and
//! are computed around the mean in two passes, which keeps full precision for
//! temperatures near 37 °C. Empty input gives `None`; a single value has no
//! variance (`None` inside).

use serde::{Deserialize, Serialize};

/// Location and spread of one sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample variance (n − 1); `None` for one value.
    pub variance: Option<f64>,
    /// Sample standard deviation (n − 1); `None` for one value.
    pub sd: Option<f64>,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Summary {
    /// Summarises `values`; `None` when empty.
    pub fn of(values: &[f64]) -> Option<Summary> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let variance = (n > 1)
            .then(|| values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64);
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Summary {
            n,
            mean,
            variance,
            sd: variance.map(f64::sqrt),
            min,
            max,
        })
    }

    /// `max − min`.
    pub fn range(&self) -> f64 {
        self.max - self.min
    }
}

/// How far a device is from the reference: the descriptive error statistics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErrorSummary {
    /// Number of pairs.
    pub n: usize,
    /// Mean error `d̄`.
    pub bias: f64,
    /// Standard deviation of the errors (n − 1); `None` for one pair.
    pub sd: Option<f64>,
    /// Root mean square error `sqrt(mean d²)`.
    pub rmse: f64,
    /// Mean absolute error `mean |d|`.
    pub mae: f64,
    /// Largest absolute error `max |d|`.
    pub max_abs_error: f64,
}

impl ErrorSummary {
    /// Summarises the errors `d`; `None` when empty.
    pub fn of(errors: &[f64]) -> Option<ErrorSummary> {
        let summary = Summary::of(errors)?;
        let n = errors.len() as f64;
        Some(ErrorSummary {
            n: errors.len(),
            bias: summary.mean,
            sd: summary.sd,
            rmse: (errors.iter().map(|d| d * d).sum::<f64>() / n).sqrt(),
            mae: errors.iter().map(|d| d.abs()).sum::<f64>() / n,
            max_abs_error: errors.iter().fold(0.0, |m: f64, d| m.max(d.abs())),
        })
    }
}

/// The median of `values` (mean of the two middle values for even n); `None`
/// when empty. Selects the middle of a copy (Hoare's selection, O(n))
/// rather than sorting it.
pub fn median(values: &[f64]) -> Option<f64> {
    median_in_place(&mut values.to_vec())
}

/// [`median`] of values the caller no longer needs in their order: they are
/// reordered instead of copied.
pub fn median_in_place(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (below, &mut middle, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(middle);
    }
    // For even n, the lower middle value is the largest of those below.
    let lower = below.iter().copied().max_by(f64::total_cmp)?;
    Some((lower + middle) / 2.0)
}

/// Standard deviation of the noise of a sequence from its successive
/// differences, `√(Σ(x_{i+1} − x_i)² / (2(n − 1)))` (von Neumann, Kent,
/// Bellinson & Hart 1941, "The mean square successive difference"). For
/// white noise it estimates the same σ as the sample sd; a trend that moves
/// slowly along the sequence barely enters it, where it inflates the sample
/// sd. `None` below two values.
pub fn successive_difference_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let squares: f64 = values.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
    Some((squares / (2.0 * (values.len() - 1) as f64)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successive_differences_ignore_a_trend() {
        // 1, 2, 4, 7: differences 1, 2, 3; squares 14; 14 / (2·3) = 7/3.
        let sd = successive_difference_sd(&[1.0, 2.0, 4.0, 7.0]).unwrap();
        assert!((sd - (7.0f64 / 3.0).sqrt()).abs() < 1e-12);
        // A straight line 0, 1, …, 9: every difference 1, so σ² = 9/18 = 0.5,
        // where the sample variance is 55/6 ≈ 9.17.
        let line: Vec<f64> = (0..10).map(f64::from).collect();
        assert!((successive_difference_sd(&line).unwrap() - 0.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(successive_difference_sd(&[3.0]), None);
    }

    #[test]
    fn summary_of_a_hand_computed_sample() {
        // 36.0, 36.5, 37.0, 38.5: mean 148/4 = 37.0; squared deviations
        // 1 + 0.25 + 0 + 2.25 = 3.5; variance 3.5/3 = 1.1667.
        let s = Summary::of(&[36.0, 36.5, 37.0, 38.5]).unwrap();
        assert_eq!(s.n, 4);
        assert!((s.mean - 37.0).abs() < 1e-12);
        assert!((s.variance.unwrap() - 3.5 / 3.0).abs() < 1e-12);
        assert!((s.range() - 2.5).abs() < 1e-12);
        assert!(Summary::of(&[]).is_none());
        assert_eq!(Summary::of(&[37.0]).unwrap().sd, None);
    }

    #[test]
    fn honest_sweep_has_healy_range_and_variance() {
        // docs/science.md §2: an honest device on the 21-step 35–40 °C sweep has
        // range 5.0 and variance ≈ 2.41 (exactly 0.25² · 21·22/12 = 2.40625).
        let sweep: Vec<f64> = (0..21).map(|i| 35.0 + 0.25 * i as f64).collect();
        let s = Summary::of(&sweep).unwrap();
        assert!((s.range() - 5.0).abs() < 1e-12);
        assert!((s.variance.unwrap() - 2.40625).abs() < 1e-12);
    }

    #[test]
    fn error_summary_of_hand_computed_errors() {
        // d = −0.2, 0.1, 0.4: bias 0.1, sd sqrt((0.09+0+0.09)/2) = 0.3,
        // rmse sqrt((0.04+0.01+0.16)/3) = sqrt(0.07), mae 0.7/3, max 0.4.
        let e = ErrorSummary::of(&[-0.2, 0.1, 0.4]).unwrap();
        assert!((e.bias - 0.1).abs() < 1e-12);
        assert!((e.sd.unwrap() - 0.3).abs() < 1e-12);
        assert!((e.rmse - 0.07f64.sqrt()).abs() < 1e-12);
        assert!((e.mae - 0.7 / 3.0).abs() < 1e-12);
        assert!((e.max_abs_error - 0.4).abs() < 1e-12);
    }

    #[test]
    fn median_of_odd_and_even_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn median_by_selection_equals_the_middle_of_the_sorted_values() {
        // Lengths 1..60 of values with many ties (0.1 °C steps), the
        // sorted definition computed here by hand.
        let mut state = 12_345u64;
        for n in 1..60 {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    35.0 + ((state >> 33) % 30) as f64 / 10.0
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let expected = if n % 2 == 1 {
                sorted[n / 2]
            } else {
                (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            };
            assert_eq!(median(&values), Some(expected), "{values:?}");
        }
    }
}
