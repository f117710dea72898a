//! Small dense linear algebra for the fits of this crate (a handful of
//! parameters): Cholesky factorisation, solves and inverses of symmetric
//! positive-definite matrices stored row-major in `Vec<f64>`.

/// Cholesky factor `L` (row-major, lower triangle) of the symmetric `n x n`
/// matrix `a`, or `None` when `a` is not numerically positive definite.
pub(crate) fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    debug_assert_eq!(a.len(), n * n);
    let mut l = vec![0.0; n * n];
    // scale of the diagonal, to judge "numerically zero" pivots
    let scale = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max);
    if !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    for j in 0..n {
        let mut s = a[j * n + j];
        for k in 0..j {
            s -= l[j * n + k] * l[j * n + k];
        }
        if s.is_nan() || s <= scale * 1e-14 {
            return None;
        }
        let d = s.sqrt();
        l[j * n + j] = d;
        for i in (j + 1)..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = s / d;
        }
    }
    Some(l)
}

/// Solve `L L' x = b` given the Cholesky factor `l`.
pub(crate) fn chol_solve(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..n {
        let mut s = y[i];
        for k in 0..i {
            s -= l[i * n + k] * y[k];
        }
        y[i] = s / l[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in (i + 1)..n {
            s -= l[k * n + i] * y[k];
        }
        y[i] = s / l[i * n + i];
    }
    y
}

/// Inverse of a symmetric positive-definite matrix, or `None`.
///
/// The matrix is first scaled to unit diagonal (Jacobi preconditioning) so
/// that parameters on very different scales do not spoil the factorisation.
pub(crate) fn spd_inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut d = vec![0.0; n];
    for i in 0..n {
        let v = a[i * n + i];
        if !(v.is_finite() && v > 0.0) {
            return None;
        }
        d[i] = v.sqrt();
    }
    let scaled: Vec<f64> = (0..n * n).map(|k| a[k] / (d[k / n] * d[k % n])).collect();
    let l = cholesky(&scaled, n)?;
    let mut inv = vec![0.0; n * n];
    let mut e = vec![0.0; n];
    for j in 0..n {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        let col = chol_solve(&l, n, &e);
        for i in 0..n {
            inv[i * n + j] = col[i] / (d[i] * d[j]);
        }
    }
    Some(inv)
}

/// Ordinary least squares `y ~ X` (row-major `X`, `n x p`): coefficients and
/// `(X'X)^-1`, or `None` when `X` is rank deficient.
pub(crate) fn ols(x: &[f64], n: usize, p: usize, y: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut xtx = vec![0.0; p * p];
    let mut xty = vec![0.0; p];
    for i in 0..n {
        let row = &x[i * p..(i + 1) * p];
        for a in 0..p {
            xty[a] += row[a] * y[i];
            for b in 0..p {
                xtx[a * p + b] += row[a] * row[b];
            }
        }
    }
    let inv = spd_inverse(&xtx, p)?;
    let beta = (0..p)
        .map(|a| (0..p).map(|b| inv[a * p + b] * xty[b]).sum())
        .collect();
    Some((beta, inv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_2x2() {
        // [[4, 2], [2, 3]]^-1 = [[3, -2], [-2, 4]] / 8
        let inv = spd_inverse(&[4.0, 2.0, 2.0, 3.0], 2).unwrap();
        let want = [0.375, -0.25, -0.25, 0.5];
        for (g, w) in inv.iter().zip(want) {
            assert!((g - w).abs() < 1e-14);
        }
    }

    #[test]
    fn singular_matrix_is_rejected() {
        assert!(spd_inverse(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
        assert!(spd_inverse(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }

    #[test]
    fn ols_recovers_a_line() {
        // y = 1 + 2x exactly
        let x = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0];
        let (b, _) = ols(&x, 3, 2, &[1.0, 3.0, 5.0]).unwrap();
        assert!((b[0] - 1.0).abs() < 1e-12 && (b[1] - 2.0).abs() < 1e-12);
    }
}
