//! The slope of one covariate with another held fixed: least squares of y
//! on [1, x, z], the coefficient of z with its standard error and 95 %
//! interval (t on n − 3 degrees of freedom). Computed from centred sums,
//! which keeps the precision of temperatures near 37 °C.

use super::distribution::t_critical;
use super::Interval;

/// The coefficient of `z` in the fit of `y` on `x` and `z`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartialSlope {
    /// Pairs fitted.
    pub n: usize,
    /// Change of y per unit of z, x held fixed.
    pub slope: f64,
    /// Its standard error.
    pub se: f64,
    /// Its 95 % confidence interval.
    pub ci: Interval,
}

/// The slope of `y` on `z` with `x` held fixed; `None` with fewer than
/// four points or when x and z are collinear (or either does not vary).
pub fn partial_slope(y: &[f64], x: &[f64], z: &[f64]) -> Option<PartialSlope> {
    let n = y.len();
    if n < 4 || x.len() != n || z.len() != n {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let (my, mx, mz) = (mean(y), mean(x), mean(z));
    let (mut sxx, mut szz, mut sxz, mut sxy, mut szy, mut syy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for i in 0..n {
        let (dy, dx, dz) = (y[i] - my, x[i] - mx, z[i] - mz);
        sxx += dx * dx;
        szz += dz * dz;
        sxz += dx * dz;
        sxy += dx * dy;
        szy += dz * dy;
        syy += dy * dy;
    }
    let determinant = sxx * szz - sxz * sxz;
    // Collinear (or a covariate without spread; NaN from non-finite input).
    let independent = determinant > 1e-12 * sxx * szz;
    if !independent {
        return None;
    }
    let beta_x = (szz * sxy - sxz * szy) / determinant;
    let beta_z = (sxx * szy - sxz * sxy) / determinant;
    let residual = (syy - beta_x * sxy - beta_z * szy).max(0.0);
    let df = (n - 3) as f64;
    let se = (residual / df * sxx / determinant).sqrt();
    let t = t_critical(df)?;
    Some(PartialSlope {
        n,
        slope: beta_z,
        se,
        ci: Interval::around(beta_z, t * se),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slope_matches_statsmodels() {
        // statsmodels 0.15 OLS of the error on [1, reference, ambient]:
        // 0.13841022161917693, CI 0.1166437 to 0.16017674, se 0.009439063.
        let reference = [
            35.0, 35.5, 36.0, 36.5, 37.0, 37.5, 38.0, 38.5, 39.0, 39.5, 40.0,
        ];
        let ambient = [
            21.0, 21.4, 22.1, 22.3, 23.0, 22.6, 21.8, 21.2, 20.9, 21.5, 22.4,
        ];
        let error = [
            0.05, 0.12, 0.20, 0.18, 0.31, 0.22, 0.10, 0.02, -0.05, 0.08, 0.16,
        ];
        let fit = partial_slope(&error, &reference, &ambient).unwrap();
        assert!((fit.slope - 0.138_410_221_619_176_93).abs() < 1e-12);
        assert!((fit.se - 0.009_439_063_401_159_905).abs() < 1e-12);
        assert!((fit.ci.low - 0.116_643_7).abs() < 1e-6);
        assert!((fit.ci.high - 0.160_176_74).abs() < 1e-6);
    }

    #[test]
    fn collinear_or_constant_covariates_give_none() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(partial_slope(&x, &x, &x.map(|v| 2.0 * v)), None);
        assert_eq!(partial_slope(&x, &x, &[22.0; 5]), None);
        assert_eq!(partial_slope(&x[..3], &x[..3], &[1.0, 3.0, 2.0]), None);
    }
}
