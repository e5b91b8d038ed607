//! Centred sums of a paired sample — size, means, and the sums of squares
//! and cross-products about the means — which every straight-line fit
//! (OLS, Deming) starts from; and their downdate without one pair, which
//! makes a jackknife O(n).

/// Centred sums of a paired sample: its size, means and sums of squares and
/// cross-products about the means.
#[derive(Debug, Clone, Copy)]
pub struct CentredSums {
    /// Number of pairs.
    pub n: f64,
    /// Mean of x.
    pub mean_x: f64,
    /// Mean of y.
    pub mean_y: f64,
    /// Σ(x − x̄)².
    pub sxx: f64,
    /// Σ(y − ȳ)².
    pub syy: f64,
    /// Σ(x − x̄)(y − ȳ).
    pub sxy: f64,
}

impl CentredSums {
    /// The sums of the pairs `(x_i, y_i)` (two passes: means, then sums).
    pub fn of(x: &[f64], y: &[f64]) -> CentredSums {
        let n = x.len() as f64;
        let mean_x = x.iter().sum::<f64>() / n;
        let mean_y = y.iter().sum::<f64>() / n;
        let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
        for (xi, yi) in x.iter().zip(y) {
            let (dx, dy) = (xi - mean_x, yi - mean_y);
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        CentredSums {
            n,
            mean_x,
            mean_y,
            sxx,
            syy,
            sxy,
        }
    }

    /// The sums of the same sample without the pair `(x, y)`, in O(1): with
    /// `d = x − x̄`, `e = y − ȳ`, the remaining n − 1 points have mean
    /// `x̄ − d/(n−1)` and `s_xx − n/(n−1)·d²` (and likewise for `s_yy`, `s_xy`),
    /// the downdate of Welford's running sums (Chan, Golub & LeVeque 1983),
    /// which keeps the centring and so the precision of the two-pass sums.
    pub fn without(&self, x: f64, y: f64) -> CentredSums {
        let (d, e) = (x - self.mean_x, y - self.mean_y);
        let rest = self.n - 1.0;
        let weight = self.n / rest;
        CentredSums {
            n: rest,
            mean_x: self.mean_x - d / rest,
            mean_y: self.mean_y - e / rest,
            sxx: self.sxx - weight * d * d,
            syy: self.syy - weight * e * e,
            sxy: self.sxy - weight * d * e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downdated_sums_equal_the_sums_of_the_remaining_points() {
        // Readings near 37 °C with a spread of hundredths: the case where sums
        // of raw squares would lose the digits that matter.
        let x: Vec<f64> = (0..50)
            .map(|i| 37.0 + 0.001 * (i * 7 % 13) as f64)
            .collect();
        let y: Vec<f64> = (0..50)
            .map(|i| 36.9 + 0.002 * (i * 5 % 11) as f64)
            .collect();
        let all = CentredSums::of(&x, &y);
        for i in [0, 17, 49] {
            let (mut xs, mut ys) = (x.clone(), y.clone());
            xs.remove(i);
            ys.remove(i);
            let direct = CentredSums::of(&xs, &ys);
            let downdated = all.without(x[i], y[i]);
            assert!((downdated.mean_x - direct.mean_x).abs() < 1e-12);
            assert!((downdated.mean_y - direct.mean_y).abs() < 1e-12);
            assert!((downdated.sxx - direct.sxx).abs() < 1e-12 * direct.sxx.max(1.0));
            assert!((downdated.syy - direct.syy).abs() < 1e-12 * direct.syy.max(1.0));
            assert!((downdated.sxy - direct.sxy).abs() < 1e-12 * direct.sxy.abs().max(1.0));
        }
    }
}
