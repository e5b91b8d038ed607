//! Passing–Bablok regression (Passing & Bablok 1983, J Clin Chem Clin Biochem
//! 21:709–720) as published: a robust method-comparison line from the
//! pairwise slopes.
//!
//! For every pair i < j, `S_ij = (y_j − y_i)/(x_j − x_i)`. A pair with equal
//! `x` and equal `y` (0/0) is left out, and so is a slope of exactly −1. A
//! pair with equal `x` and different `y` is an infinite slope; the paper
//! gives it the sign of `y_j − y_i`, but the sign never moves the estimate —
//! a −∞ sorts to the bottom and also raises the shift K by one — so here
//! every such slope is +∞ and the result does not depend on the order of the
//! rows. With the N slopes sorted and K of them below −1, the slope is the
//! median shifted by K: `S₍(N+1)/2+K₎` for odd N, the mean of `S₍N/2+K₎` and
//! `S₍N/2+1+K₎` for even N (1-based). 95 % CI of the slope:
//! `C = z(.975)·sqrt(n(n−1)(2n+5)/18)`, `M1 = round((N − C)/2)`,
//! `M2 = N − M1 + 1`, interval `[S₍M1+K₎, S₍M2+K₎]` (indices clamped to 1…N
//! when n is too small for an exact interval). Intercept `median(y − b·x)`;
//! its CI uses the slope's ends: `[median(y − b_high·x), median(y − b_low·x)]`.
//!
//! Up to [`LISTED_MAX_POINTS`] points every slope is computed and sorted.
//! Beyond, when the points repeat — a sweep's readings on a display's
//! resolution are a few hundred distinct points however many rows — each
//! pair of distinct points gives its slope once, weighted by the pairs of
//! rows it stands for (up to [`WEIGHTED_MAX_DISTINCT_POINTS`] distinct
//! points): the same sorted slopes, exactly. Otherwise the order statistics
//! are selected from the implicit set of slopes in O(n log n) each
//! ([`SlopeSet`]), so a million distinct points take seconds.
//!
//! `None` when fewer than 3 pairs, no finite slope, more than half the slopes
//! below −1 (the method assumes positively related methods), or an estimate
//! or interval end that is infinite.

use std::collections::HashMap;

use super::deming::MethodFit;
use super::descriptive::median;
use super::distribution::normal_quantile;
use super::pairwise_slopes::SlopeSet;
use super::{Interval, CONFIDENCE};

/// Most points for which every slope is listed and sorted (2 million slopes,
/// 16 MB); above, order statistics are selected without listing them.
pub const LISTED_MAX_POINTS: usize = 2000;

/// Most distinct points whose slopes are listed once per pair of distinct
/// points, weighted (2 million pairs, 32 MB); with more, the slopes are
/// selected from the implicit set.
pub const WEIGHTED_MAX_DISTINCT_POINTS: usize = 2000;

/// Half-width of the band around −1 within which a slope counts as −1 and
/// is left out, as the method leaves out slopes of exactly −1. Readings
/// written to a fixed number of decimals give slopes of −1 in decimals
/// that floating point misses by ~1e-13 (36.0, 36.1 against 36.3, 36.2 is
/// −0.999999999999929); a slope that is not −1 in decimals differs from it
/// by at least the resolution over the span (0.001 over 1 000 °C: 1e-6),
/// so the band absorbs only rounding.
const MINUS_ONE_BAND: f64 = 1e-9;

/// Fits a Passing–Bablok line of reference `x` and device `y`.
pub fn passing_bablok(x: &[f64], y: &[f64]) -> Option<MethodFit> {
    fit(x, y, LISTED_MAX_POINTS, WEIGHTED_MAX_DISTINCT_POINTS)
}

/// The fit, listing every slope when there are at most `listed_max` points,
/// else every slope of distinct points, weighted, when there are at most
/// `weighted_max` distinct points.
fn fit(x: &[f64], y: &[f64], listed_max: usize, weighted_max: usize) -> Option<MethodFit> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let (x, y) = (&x[..n], &y[..n]);
    let slopes = if n <= listed_max {
        Slopes::listed(x, y)
    } else {
        Slopes::weighted(x, y, weighted_max).unwrap_or_else(|| Slopes::implicit(x, y))
    };
    let big_n = slopes.count();
    let k = slopes.below_minus_one;
    if big_n == 0 || 2 * k >= big_n {
        return None;
    }
    let order = |i: u64| slopes.order(i.clamp(1, big_n));
    let slope = if big_n % 2 == 1 {
        order(big_n.div_ceil(2) + k)
    } else {
        (order(big_n / 2 + k) + order(big_n / 2 + 1 + k)) / 2.0
    };
    let z = normal_quantile(1.0 - (1.0 - CONFIDENCE) / 2.0)?;
    let nf = n as f64;
    let c = z * (nf * (nf - 1.0) * (2.0 * nf + 5.0) / 18.0).sqrt();
    let m1 = ((big_n as f64 - c) / 2.0).round().max(1.0) as u64;
    let m2 = big_n + 1 - m1;
    let slope_ci = Interval {
        low: order(m1 + k),
        high: order(m2 + k),
    };
    if !(slope.is_finite() && slope_ci.low.is_finite() && slope_ci.high.is_finite()) {
        return None;
    }
    let intercept_at = |b: f64| {
        let residuals: Vec<f64> = x.iter().zip(y).map(|(x, y)| y - b * x).collect();
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

/// The slopes of the method: finite ones (sorted, or implicit), those
/// exactly −1 left out, and the infinite ones on top.
struct Slopes {
    finite: Finite,
    /// Finite slopes in all, including those exactly −1.
    finite_count: u64,
    /// Finite slopes exactly −1 (left out).
    minus_ones: u64,
    /// Finite slopes below −1 (K).
    below_minus_one: u64,
    /// Infinite slopes (equal `x`, different `y`).
    infinite: u64,
}

enum Finite {
    Listed(Vec<f64>),
    /// Distinct slopes, ascending, and how many slopes are at most each.
    Weighted {
        slopes: Vec<f64>,
        at_most: Vec<u64>,
    },
    Implicit(SlopeSet),
}

impl Slopes {
    /// Every slope computed and sorted.
    fn listed(x: &[f64], y: &[f64]) -> Self {
        let n = x.len();
        let (mut finite, mut infinite) = (Vec::with_capacity(n * (n - 1) / 2), 0u64);
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (x[j] - x[i], y[j] - y[i]);
                if dx != 0.0 {
                    finite.push(dy / dx);
                } else if dy != 0.0 {
                    infinite += 1;
                }
            }
        }
        finite.sort_unstable_by(f64::total_cmp);
        let below = finite.partition_point(|&s| s <= -1.0 - MINUS_ONE_BAND) as u64;
        let through = finite.partition_point(|&s| s <= -1.0 + MINUS_ONE_BAND) as u64;
        Slopes {
            finite_count: finite.len() as u64,
            minus_ones: through - below,
            below_minus_one: below,
            infinite,
            finite: Finite::Listed(finite),
        }
    }

    /// The slopes of the pairs of distinct points, each weighted by the
    /// pairs of rows it stands for; `None` beyond `max_distinct` distinct
    /// points. A slope `(y_q − y_p)/(x_q − x_p)` is the same number in
    /// either order of the two points (both differences change sign
    /// exactly), so these are the listed slopes, exactly.
    fn weighted(x: &[f64], y: &[f64], max_distinct: usize) -> Option<Self> {
        let mut rows_of: HashMap<(u64, u64), u64> = HashMap::new();
        for (xi, yi) in x.iter().zip(y) {
            *rows_of.entry((xi.to_bits(), yi.to_bits())).or_default() += 1;
            if rows_of.len() > max_distinct {
                return None;
            }
        }
        let points: Vec<(f64, f64, u64)> = rows_of
            .into_iter()
            .map(|((xi, yi), rows)| (f64::from_bits(xi), f64::from_bits(yi), rows))
            .collect();
        let (mut weighted, mut infinite) = (Vec::new(), 0u64);
        for (p, &(xp, yp, rows_p)) in points.iter().enumerate() {
            for &(xq, yq, rows_q) in &points[p + 1..] {
                let (dx, dy) = (xq - xp, yq - yp);
                if dx != 0.0 {
                    weighted.push((dy / dx, rows_p * rows_q));
                } else if dy != 0.0 {
                    infinite += rows_p * rows_q;
                }
            }
        }
        weighted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let (mut slopes, mut at_most) = (Vec::new(), Vec::new());
        let mut count = 0u64;
        for (slope, rows) in weighted {
            count += rows;
            if slopes
                .last()
                .is_some_and(|&last: &f64| last.total_cmp(&slope).is_eq())
            {
                *at_most.last_mut().expect("pushed with its slope") = count;
            } else {
                slopes.push(slope);
                at_most.push(count);
            }
        }
        let count_through = |limit: f64| {
            let index = slopes.partition_point(|&s| s <= limit);
            index.checked_sub(1).map_or(0, |last| at_most[last])
        };
        let below = count_through(-1.0 - MINUS_ONE_BAND);
        let through = count_through(-1.0 + MINUS_ONE_BAND);
        Some(Slopes {
            finite_count: count,
            minus_ones: through - below,
            below_minus_one: below,
            infinite,
            finite: Finite::Weighted { slopes, at_most },
        })
    }

    /// The slopes as an implicit set; only those near −1 are computed.
    fn implicit(x: &[f64], y: &[f64]) -> Self {
        let set = SlopeSet::new(x, y);
        let (lo, hi) = (-1.0 - MINUS_ONE_BAND, -1.0 + MINUS_ONE_BAND);
        let below_band = set.count_at_most(lo);
        // Readings to a fixed number of decimals give many slopes of −1
        // (a tenth of a per cent of 10¹² pairs): counted as they are found,
        // never held.
        let mut minus_ones = 0u64;
        set.visit_slopes_between(lo, hi, usize::MAX, |_| minus_ones += 1);
        Slopes {
            finite_count: set.finite(),
            minus_ones,
            below_minus_one: below_band,
            infinite: set.infinite(),
            finite: Finite::Implicit(set),
        }
    }

    /// N: the slopes the method uses.
    fn count(&self) -> u64 {
        self.finite_count - self.minus_ones + self.infinite
    }

    /// The `i`-th smallest used slope (1-based, 1 ≤ i ≤ N).
    fn order(&self, i: u64) -> f64 {
        let rank = if i <= self.below_minus_one {
            i
        } else if i <= self.finite_count - self.minus_ones {
            i + self.minus_ones
        } else {
            return f64::INFINITY;
        };
        match &self.finite {
            Finite::Listed(sorted) => sorted[rank as usize - 1],
            Finite::Weighted { slopes, at_most } => {
                slopes[at_most.partition_point(|&count| count < rank)]
            }
            Finite::Implicit(set) => set.select(rank).unwrap_or(f64::NAN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn a_slope_of_minus_one_in_decimals_is_left_out() {
        // x = 36.0, 36.1, 37.0; y = 36.3, 36.2, 37.5. The slopes: −1 in
        // decimals (−0.999999999999929 in floating point), left out; 1.2 and
        // 1.3/0.9 = 1.444…; K = 0, N = 2: b = (1.2 + 1.4444)/2 = 1.32222.
        // Kept, the float slope would make the median 1.2.
        let fit = passing_bablok(&[36.0, 36.1, 37.0], &[36.3, 36.2, 37.5]).unwrap();
        assert!(
            (fit.slope - (1.2 + 1.3 / 0.9) / 2.0).abs() < 1e-9,
            "{fit:?}"
        );
        let implicit = super::fit(&[36.0, 36.1, 37.0], &[36.3, 36.2, 37.5], 0, 0).unwrap();
        assert!((implicit.slope - fit.slope).abs() < 1e-12, "{implicit:?}");
        let weighted = super::fit(&[36.0, 36.1, 37.0], &[36.3, 36.2, 37.5], 0, 3).unwrap();
        assert_eq!(weighted, fit);
    }

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
    fn a_pair_with_equal_reference_is_an_infinite_slope_whatever_its_sign() {
        // x = 1, 1, 2, 3; y = 1, 2, 2, 4. Slopes: (1,1)-(1,2) infinite;
        // 1, 1.5, 0, 1, 2. Sorted with +∞: 0, 1, 1, 1.5, 2, +∞ (N = 6, K = 0):
        // b = (S3 + S4)/2 = 1.25. As −∞ it sorts first and K = 1:
        // (S4 + S5)/2 of −∞, 0, 1, 1, 1.5, 2 = 1.25 again. Leaving the pair
        // out (the old variant) would give S3 of five = 1.
        // (Four points are too few for a finite interval, so the order
        // statistics are checked directly.)
        let (x, y) = ([1.0, 1.0, 2.0, 3.0], [1.0, 2.0, 2.0, 4.0]);
        for slopes in [Slopes::listed(&x, &y), Slopes::implicit(&x, &y)] {
            assert_eq!((slopes.count(), slopes.below_minus_one), (6, 0));
            assert_eq!((slopes.order(3) + slopes.order(4)) / 2.0, 1.25);
            assert_eq!(slopes.order(6), f64::INFINITY);
        }
        assert!(
            passing_bablok(&x, &y).is_none(),
            "the interval is unbounded"
        );
    }

    #[test]
    fn an_exact_line_is_recovered_and_a_single_reference_has_no_line() {
        let x = [35.0, 35.0, 36.0, 36.0, 37.0, 37.0, 38.0];
        let y: Vec<f64> = x.iter().map(|v| 2.0 + 0.95 * v).collect();
        let fit = passing_bablok(&x, &y).unwrap();
        assert!((fit.slope - 0.95).abs() < 1e-12);
        assert!((fit.intercept - 2.0).abs() < 1e-10);
        assert!(passing_bablok(&[37.0; 4], &[36.0, 37.0, 38.0, 36.5]).is_none());
    }

    /// `n` references — a 21-step sweep 0.25 °C apart when `gridded`, else
    /// anywhere in 35.5–39.5 °C — and readings `36 + slope·(x − 37)` with
    /// ±0.4 °C of noise, shown to 0.1 °C.
    fn displayed_readings(seed: u64, n: usize, gridded: bool, slope: f64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x: Vec<f64> = (0..n)
            .map(|i| {
                if gridded {
                    35.0 + 0.25 * (i % 21) as f64
                } else {
                    rng.gen_range(35.5..39.5)
                }
            })
            .collect();
        let y = x
            .iter()
            .map(|v| ((36.0 + slope * (v - 37.0) + rng.gen_range(-0.4..0.4)) * 10.0).round() / 10.0)
            .collect();
        (x, y)
    }

    #[test]
    fn selected_order_statistics_equal_the_listed_ones() {
        // Gridded sweep readings (many equal references, many tied slopes)
        // and continuous clinical-like data, both ways.
        for seed in 0..3 {
            let (x, y) = displayed_readings(seed, 1200, seed == 0, 0.8);
            let listed = fit(&x, &y, usize::MAX, 0).unwrap();
            let selected = fit(&x, &y, 0, 0).unwrap();
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
            assert!(
                close(listed.slope, selected.slope),
                "{listed:?} {selected:?}"
            );
            assert!(close(listed.slope_ci.low, selected.slope_ci.low));
            assert!(close(listed.slope_ci.high, selected.slope_ci.high));
            assert!(close(listed.intercept, selected.intercept));
        }
    }

    #[test]
    fn slopes_of_distinct_points_weighted_equal_the_listed_ones_exactly() {
        // A sweep on a 0.1 °C display: 1 500 rows, a few hundred distinct
        // points, tied slopes, slopes of −1 in decimals and equal
        // references; and rows that all differ (no weighting helps).
        for seed in 0..4 {
            let slope = [0.8, -1.0, 0.2, 1.0][seed as usize];
            let (x, y) = displayed_readings(seed, 1500, seed != 3, slope);
            let listed = fit(&x, &y, usize::MAX, 0);
            let weighted = fit(&x, &y, 0, usize::MAX);
            assert_eq!(listed, weighted, "seed {seed}");
        }
        // Beyond the distinct points allowed, the implicit set is used.
        assert!(Slopes::weighted(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], 2).is_none());
    }
}
