//! Two-segment ("hinge") least-squares fit: a line that may bend once, at a
//! knee `k`, and is continuous there:
//! `y = a + b₁·min(x − k, 0) + b₂·max(x − k, 0)`.
//!
//! The knee is searched over the distinct `x` values that leave at least
//! [`MIN_POINTS_PER_SEGMENT`] distinct `x` values on each side (the knee
//! itself counts for both); for each candidate the three coefficients are the
//! least-squares solution, and the candidate with the smallest residual sum of
//! squares wins. Used to find where a device stops following its target (a
//! clamp). `None` when no candidate exists or the normal equations are
//! singular.

use serde::{Deserialize, Serialize};

/// Fewest distinct reference values on each side of a knee, knee included:
/// a slope needs two points, and a third keeps one outlier from making it.
pub const MIN_POINTS_PER_SEGMENT: usize = 3;

/// A fitted hinge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hinge {
    /// Where the two segments meet (a reference value), °C.
    pub knee: f64,
    /// Fitted value at the knee, °C.
    pub value_at_knee: f64,
    /// Slope below the knee.
    pub slope_before: f64,
    /// Slope above the knee.
    pub slope_after: f64,
    /// Residual sum of squares.
    pub sse: f64,
}

impl Hinge {
    /// The hinge's value at `x`.
    pub fn value_at(&self, x: f64) -> f64 {
        self.value_at_knee
            + self.slope_before * (x - self.knee).min(0.0)
            + self.slope_after * (x - self.knee).max(0.0)
    }
}

/// Fits the best hinge to `x`, `y`.
pub fn hinge_fit(x: &[f64], y: &[f64]) -> Option<Hinge> {
    let mut distinct: Vec<f64> = x.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let first = MIN_POINTS_PER_SEGMENT - 1;
    let last = distinct.len().checked_sub(MIN_POINTS_PER_SEGMENT)?;
    (first..=last)
        .filter_map(|i| fit_at(x, y, distinct[i]))
        .min_by(|a, b| a.sse.total_cmp(&b.sse))
}

/// The least-squares hinge with its knee at `knee`.
fn fit_at(x: &[f64], y: &[f64], knee: f64) -> Option<Hinge> {
    // Normal equations of the basis (1, min(x−k,0), max(x−k,0)).
    let mut m = [[0.0f64; 3]; 3];
    let mut v = [0.0f64; 3];
    for (&xi, &yi) in x.iter().zip(y) {
        let basis = [1.0, (xi - knee).min(0.0), (xi - knee).max(0.0)];
        for r in 0..3 {
            v[r] += basis[r] * yi;
            for c in 0..3 {
                m[r][c] += basis[r] * basis[c];
            }
        }
    }
    let [a, b1, b2] = solve3(m, v)?;
    let sse = x
        .iter()
        .zip(y)
        .map(|(&xi, &yi)| (yi - a - b1 * (xi - knee).min(0.0) - b2 * (xi - knee).max(0.0)).powi(2))
        .sum();
    Some(Hinge {
        knee,
        value_at_knee: a,
        slope_before: b1,
        slope_after: b2,
        sse,
    })
}

/// Solves a 3×3 system by Cramer's rule; `None` when (nearly) singular.
pub fn solve3(m: [[f64; 3]; 3], v: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    let scale = m.iter().flatten().fold(0.0f64, |s, v| s.max(v.abs()));
    if d.abs() <= 1e-12 * scale.powi(3) {
        return None;
    }
    let mut solution = [0.0; 3];
    for (column, slot) in solution.iter_mut().enumerate() {
        let mut replaced = m;
        for row in 0..3 {
            replaced[row][column] = v[row];
        }
        *slot = det(&replaced) / d;
    }
    Some(solution)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_knee_of_a_clamp() {
        // y = x up to 37.0, then 37.0: knee 37, slopes 1 and 0, no residual.
        let x: Vec<f64> = (0..11).map(|i| 35.0 + 0.5 * i as f64).collect();
        let y: Vec<f64> = x.iter().map(|&v| v.min(37.0)).collect();
        let h = hinge_fit(&x, &y).unwrap();
        assert_eq!(h.knee, 37.0);
        assert!((h.slope_before - 1.0).abs() < 1e-9 && h.slope_after.abs() < 1e-9);
        assert!((h.value_at_knee - 37.0).abs() < 1e-9 && h.sse < 1e-18);
    }

    #[test]
    fn a_straight_line_has_equal_slopes() {
        let x = [35.0, 36.0, 37.0, 38.0, 39.0, 40.0];
        let y: Vec<f64> = x.iter().map(|v| 0.5 + 0.98 * v).collect();
        let h = hinge_fit(&x, &y).unwrap();
        assert!((h.slope_before - 0.98).abs() < 1e-9 && (h.slope_after - 0.98).abs() < 1e-9);
    }

    #[test]
    fn too_few_distinct_references_give_none() {
        assert!(hinge_fit(&[35.0, 36.0, 37.0, 38.0], &[35.0, 36.0, 37.0, 37.0]).is_none());
        assert!(hinge_fit(&[37.0; 6], &[37.0; 6]).is_none());
    }
}
