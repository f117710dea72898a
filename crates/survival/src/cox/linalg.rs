//! Generalised Cholesky factorisation of a symmetric non-negative definite
//! matrix, with R survival's rule for singular (collinear) columns.
//!
//! The factorisation is `A = L D Lᵀ` with `L` unit lower triangular and `D`
//! diagonal (R survival `cholesky2.c`). A pivot that is not finite or falls
//! below `toler * max(diag(A))` is declared singular: its `D` entry is set to
//! zero and its column of `L` is dropped. Solving then sets the matching
//! components of the solution to zero, and the inverse has zero rows and
//! columns there (a generalised inverse: the inverse of the non-singular
//! sub-matrix, embedded). This is how `coxph` gives a collinear column an NA
//! coefficient while still fitting the others.

/// An `L D Lᵀ` factorisation of a `p x p` symmetric matrix.
#[derive(Debug, Clone)]
pub(crate) struct Ldl {
    p: usize,
    /// Row-major `p x p`: `L` strictly below the diagonal, `D` on it.
    f: Vec<f64>,
    /// `true` where the pivot was declared singular.
    singular: Vec<bool>,
    /// `false` when a pivot was clearly negative (the matrix is not
    /// non-negative definite).
    nonneg: bool,
}

impl Ldl {
    /// Factor the symmetric matrix `a` (row-major, `p x p`; only the lower
    /// triangle is read) with tolerance `toler` relative to its largest
    /// diagonal element.
    pub(crate) fn new(a: &[f64], p: usize, toler: f64) -> Self {
        debug_assert_eq!(a.len(), p * p);
        let mut f = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..=i {
                f[i * p + j] = a[i * p + j];
            }
        }
        let mut eps = 0.0_f64;
        for i in 0..p {
            let d = f[i * p + i];
            if d > eps {
                eps = d;
            }
        }
        eps = if eps == 0.0 { toler } else { eps * toler };
        let mut singular = vec![false; p];
        let mut nonneg = true;
        for i in 0..p {
            let pivot = f[i * p + i];
            if !pivot.is_finite() || pivot < eps {
                if pivot < -8.0 * eps {
                    nonneg = false;
                }
                singular[i] = true;
                f[i * p + i] = 0.0;
                for j in (i + 1)..p {
                    f[j * p + i] = 0.0;
                }
            } else {
                for j in (i + 1)..p {
                    let t = f[j * p + i] / pivot;
                    f[j * p + i] = t;
                    f[j * p + j] -= t * t * pivot;
                    for k in (j + 1)..p {
                        f[k * p + j] -= t * f[k * p + i];
                    }
                }
            }
        }
        Ldl {
            p,
            f,
            singular,
            nonneg,
        }
    }

    /// Number of non-singular pivots.
    #[cfg(test)]
    pub(crate) fn rank(&self) -> usize {
        self.singular.iter().filter(|&&s| !s).count()
    }

    /// Which pivots were declared singular.
    pub(crate) fn singular(&self) -> &[bool] {
        &self.singular
    }

    /// `false` when the factored matrix had a clearly negative pivot.
    #[allow(dead_code)]
    pub(crate) fn is_nonneg(&self) -> bool {
        self.nonneg
    }

    /// Solve `A x = b` in place (components at singular pivots become 0).
    pub(crate) fn solve_in_place(&self, y: &mut [f64]) {
        let p = self.p;
        let f = &self.f;
        for i in 0..p {
            let mut t = y[i];
            for j in 0..i {
                t -= y[j] * f[i * p + j];
            }
            y[i] = t;
        }
        for i in (0..p).rev() {
            if f[i * p + i] == 0.0 {
                y[i] = 0.0;
            } else {
                let mut t = y[i] / f[i * p + i];
                for j in (i + 1)..p {
                    t -= y[j] * f[j * p + i];
                }
                y[i] = t;
            }
        }
    }

    /// Solve `A x = b`.
    pub(crate) fn solve(&self, b: &[f64]) -> Vec<f64> {
        let mut y = b.to_vec();
        self.solve_in_place(&mut y);
        y
    }

    /// The generalised inverse (row-major `p x p`, symmetric), zero in the
    /// rows and columns of singular pivots.
    pub(crate) fn inverse(&self) -> Vec<f64> {
        let p = self.p;
        let mut inv = vec![0.0; p * p];
        let mut e = vec![0.0; p];
        for c in 0..p {
            if self.singular[c] {
                continue;
            }
            e.iter_mut().for_each(|v| *v = 0.0);
            e[c] = 1.0;
            self.solve_in_place(&mut e);
            for r in 0..p {
                inv[r * p + c] = e[r];
            }
        }
        // symmetrise (the two triangles agree up to rounding)
        for i in 0..p {
            for j in 0..i {
                let m = 0.5 * (inv[i * p + j] + inv[j * p + i]);
                inv[i * p + j] = m;
                inv[j * p + i] = m;
            }
        }
        inv
    }

    /// The quadratic form `bᵀ A⁻ b` with the generalised inverse.
    pub(crate) fn quad_form(&self, b: &[f64]) -> f64 {
        let x = self.solve(b);
        b.iter().zip(&x).map(|(u, v)| u * v).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_spd_system() {
        // A = [[4, 2], [2, 3]], b = [2, 1] -> x = [0.5, 0]
        let a = [4.0, 2.0, 2.0, 3.0];
        let l = Ldl::new(&a, 2, 1e-12);
        assert_eq!(l.rank(), 2);
        let x = l.solve(&[2.0, 1.0]);
        assert!((x[0] - 0.5).abs() < 1e-15 && x[1].abs() < 1e-15);
        let inv = l.inverse();
        // inverse = 1/8 [[3, -2], [-2, 4]]
        let want = [0.375, -0.25, -0.25, 0.5];
        for (g, w) in inv.iter().zip(want) {
            assert!((g - w).abs() < 1e-15);
        }
    }

    #[test]
    fn singular_column_gets_zero() {
        // third column = 2 * first: rank 2, x[2] = 0, inverse zero there
        let a = [
            2.0, 1.0, 4.0, //
            1.0, 3.0, 2.0, //
            4.0, 2.0, 8.0,
        ];
        let l = Ldl::new(&a, 3, 1e-9);
        assert_eq!(l.rank(), 2);
        assert_eq!(l.singular(), &[false, false, true]);
        let x = l.solve(&[1.0, 1.0, 2.0]);
        assert_eq!(x[2], 0.0);
        // the first two solve the leading 2x2 system [[2,1],[1,3]] x = [1,1]
        assert!((x[0] - 0.4).abs() < 1e-14 && (x[1] - 0.2).abs() < 1e-14);
        let inv = l.inverse();
        assert_eq!(&inv[6..9], &[0.0, 0.0, 0.0]);
    }
}
