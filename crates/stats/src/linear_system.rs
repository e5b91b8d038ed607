//! Small linear systems: the normal equations of least-squares fits with a
//! handful of coefficients.

/// Solves `m·β = v` for a small square `m` by Gaussian elimination with
/// partial pivoting; `None` when `m` is (nearly) singular — a pivot below
/// 1e-12 of the largest entry — or the sizes disagree.
pub fn solve(mut m: Vec<Vec<f64>>, mut v: Vec<f64>) -> Option<Vec<f64>> {
    let n = v.len();
    if m.len() != n || m.iter().any(|row| row.len() != n) {
        return None;
    }
    let scale = m.iter().flatten().fold(0.0f64, |s, a| s.max(a.abs()));
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    for column in 0..n {
        let pivot =
            (column..n).max_by(|&a, &b| m[a][column].abs().total_cmp(&m[b][column].abs()))?;
        if m[pivot][column].abs() <= 1e-12 * scale {
            return None;
        }
        m.swap(column, pivot);
        v.swap(column, pivot);
        let (upper, lower) = m.split_at_mut(column + 1);
        let pivot_row = &upper[column];
        for (offset, row) in lower.iter_mut().enumerate() {
            let factor = row[column] / pivot_row[column];
            for (entry, above) in row.iter_mut().zip(pivot_row).skip(column) {
                *entry -= factor * above;
            }
            v[column + 1 + offset] -= factor * v[column];
        }
    }
    let mut beta = vec![0.0; n];
    for row in (0..n).rev() {
        let known: f64 = (row + 1..n).map(|k| m[row][k] * beta[k]).sum();
        beta[row] = (v[row] - known) / m[row][row];
    }
    Some(beta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_hand_worked_system() {
        // 2a + b = 4, a + 3b + c = 10, b + 2c = 8: a = 1, b = 2, c = 3
        // (substitution by hand: a = (4 − b)/2, c = (8 − b)/2, so 6 + 2b = 10).
        let m = vec![
            vec![2.0, 1.0, 0.0],
            vec![1.0, 3.0, 1.0],
            vec![0.0, 1.0, 2.0],
        ];
        let beta = solve(m, vec![4.0, 10.0, 8.0]).unwrap();
        for (got, want) in beta.iter().zip([1.0, 2.0, 3.0]) {
            assert!((got - want).abs() < 1e-12, "{beta:?}");
        }
        // A zero first pivot needs the row swap: b = 1, a = 2.
        let swapped = solve(vec![vec![0.0, 1.0], vec![1.0, 0.0]], vec![1.0, 2.0]).unwrap();
        assert_eq!(swapped, vec![2.0, 1.0]);
        // Singular and ill-sized systems have no solution.
        assert!(solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 2.0]).is_none());
        assert!(solve(vec![vec![1.0]], vec![1.0, 2.0]).is_none());
    }
}
