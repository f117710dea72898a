//! Levenberg-Marquardt least squares for small dense problems.
//!
//! Minimises `S(p) = sum_i (y_i - f_i(p))^2` with Marquardt's scaled damping
//! (`(J'J + mu diag(J'J)) delta = J'r`) and the gain-ratio update of the
//! damping of Nielsen (1999), as described in Madsen, Nielsen and Tingleff,
//! "Methods for non-linear least squares problems" (2004), section 3.2.
//!
//! Convergence is declared with the relative-offset criterion of Bates and
//! Watts (1981), the one R's `nls` uses: the length of the residual vector's
//! projection on the tangent plane, relative to the residual length, must be
//! below `rel_offset_tol`. An exact fit (zero residuals) also converges.

use crate::linalg::{chol_solve, cholesky};

/// Options of the optimiser.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LmOptions {
    /// Maximum number of Jacobian evaluations.
    pub max_iter: usize,
    /// Relative-offset convergence tolerance.
    pub rel_offset_tol: f64,
}

impl Default for LmOptions {
    fn default() -> Self {
        LmOptions {
            max_iter: 500,
            rel_offset_tol: 1e-9,
        }
    }
}

/// Outcome of a run.
#[derive(Debug, Clone)]
pub(crate) struct LmResult {
    /// Parameters at the end.
    pub par: Vec<f64>,
    /// Residual sum of squares there.
    pub rss: f64,
    /// Iterations (accepted or rejected steps).
    pub iterations: usize,
    /// Whether the convergence criterion was met.
    pub converged: bool,
}

/// Model evaluation: given parameters, fill residuals `r_i = y_i - f_i` and,
/// when asked, the Jacobian of `f` (row-major `n x p`). Returns `false` when
/// the parameters are outside the model's domain.
pub(crate) trait LsqModel {
    /// Number of observations.
    fn n(&self) -> usize;
    /// Number of parameters.
    fn p(&self) -> usize;
    /// Evaluate residuals and, optionally, the Jacobian of the fitted values.
    fn eval(&self, par: &[f64], resid: &mut [f64], jac: Option<&mut [f64]>) -> bool;
}

/// Run Levenberg-Marquardt from `start`.
pub(crate) fn levenberg_marquardt<M: LsqModel>(
    model: &M,
    start: &[f64],
    opts: LmOptions,
) -> Option<LmResult> {
    let n = model.n();
    let p = model.p();
    let mut par = start.to_vec();
    let mut r = vec![0.0; n];
    let mut jac = vec![0.0; n * p];
    if !model.eval(&par, &mut r, Some(&mut jac)) {
        return None;
    }
    let mut rss: f64 = r.iter().map(|v| v * v).sum();
    if !rss.is_finite() {
        return None;
    }
    let (mut a, mut g) = normal_equations(&jac, &r, n, p);
    let mut mu = 1e-3;
    let mut nu = 2.0;
    let mut r_new = vec![0.0; n];
    let mut iterations = 0;
    let scale_y = r.iter().map(|v| v * v).sum::<f64>().max(1e-300);
    loop {
        if rss <= 1e-28 * scale_y || rel_offset(&a, &g, p, rss, n) <= opts.rel_offset_tol {
            return Some(LmResult {
                par,
                rss,
                iterations,
                converged: true,
            });
        }
        if iterations >= opts.max_iter {
            return Some(LmResult {
                par,
                rss,
                iterations,
                converged: false,
            });
        }
        iterations += 1;
        // damped normal equations with Marquardt scaling (floored diagonal)
        let mut m = a.clone();
        for i in 0..p {
            let d = a[i * p + i].max(1e-12 * max_diag_of(&a, p)).max(1e-300);
            m[i * p + i] += mu * d;
        }
        let step = match cholesky(&m, p) {
            Some(l) => chol_solve(&l, p, &g),
            None => {
                mu *= nu;
                nu *= 2.0;
                if mu > 1e30 {
                    return stalled(par, rss, iterations, &a, &g, p, n);
                }
                continue;
            }
        };
        let cand: Vec<f64> = par.iter().zip(&step).map(|(x, s)| x + s).collect();
        let ok = model.eval(&cand, &mut r_new, None);
        let rss_new: f64 = if ok {
            r_new.iter().map(|v| v * v).sum()
        } else {
            f64::INFINITY
        };
        // predicted reduction of the linear model: step' (mu D step + g)
        let mut pred = 0.0;
        for i in 0..p {
            let d = m[i * p + i] - a[i * p + i];
            pred += step[i] * (d * step[i] + g[i]);
        }
        let gain = if pred > 0.0 {
            (rss - rss_new) / pred
        } else {
            -1.0
        };
        if rss_new.is_finite() && gain > 0.0 {
            par = cand;
            if !model.eval(&par, &mut r, Some(&mut jac)) {
                return None;
            }
            rss = r.iter().map(|v| v * v).sum();
            let ne = normal_equations(&jac, &r, n, p);
            a = ne.0;
            g = ne.1;
            let t = 2.0 * gain - 1.0;
            mu *= (1.0 / 3.0f64).max(1.0 - t * t * t);
            nu = 2.0;
        } else {
            mu *= nu;
            nu *= 2.0;
            if mu > 1e30 {
                return stalled(par, rss, iterations, &a, &g, p, n);
            }
        }
    }
}

fn max_diag_of(a: &[f64], p: usize) -> f64 {
    (0..p).map(|i| a[i * p + i]).fold(0.0, f64::max)
}

/// No step reduces the sum of squares any more: accept as converged when the
/// relative offset is small at the precision of double arithmetic.
fn stalled(
    par: Vec<f64>,
    rss: f64,
    iterations: usize,
    a: &[f64],
    g: &[f64],
    p: usize,
    n: usize,
) -> Option<LmResult> {
    let converged = rel_offset(a, g, p, rss, n) <= 1e-6;
    Some(LmResult {
        par,
        rss,
        iterations,
        converged,
    })
}

/// `J'J` and `J'r`.
fn normal_equations(jac: &[f64], r: &[f64], n: usize, p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = vec![0.0; p * p];
    let mut g = vec![0.0; p];
    for i in 0..n {
        let row = &jac[i * p..(i + 1) * p];
        for j in 0..p {
            g[j] += row[j] * r[i];
            for k in 0..=j {
                a[j * p + k] += row[j] * row[k];
            }
        }
    }
    for j in 0..p {
        for k in 0..j {
            a[k * p + j] = a[j * p + k];
        }
    }
    (a, g)
}

/// Bates-Watts relative offset: `sqrt(g' A^-1 g / p) / sqrt(rss / (n - p))`.
fn rel_offset(a: &[f64], g: &[f64], p: usize, rss: f64, n: usize) -> f64 {
    let Some(q) = crate::linalg::spd_inverse(a, p).map(|inv| {
        let mut q = 0.0;
        for i in 0..p {
            for j in 0..p {
                q += g[i] * inv[i * p + j] * g[j];
            }
        }
        q
    }) else {
        return f64::INFINITY;
    };
    let df = n.saturating_sub(p).max(1) as f64;
    if rss <= 0.0 {
        return 0.0;
    }
    ((q.max(0.0) / p as f64) / (rss / df)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y = a * exp(b x), the classic exponential fit.
    struct Exp {
        x: Vec<f64>,
        y: Vec<f64>,
    }
    impl LsqModel for Exp {
        fn n(&self) -> usize {
            self.x.len()
        }
        fn p(&self) -> usize {
            2
        }
        fn eval(&self, par: &[f64], resid: &mut [f64], jac: Option<&mut [f64]>) -> bool {
            let (a, b) = (par[0], par[1]);
            for i in 0..self.x.len() {
                resid[i] = self.y[i] - a * (b * self.x[i]).exp();
            }
            if let Some(j) = jac {
                for i in 0..self.x.len() {
                    let e = (b * self.x[i]).exp();
                    j[2 * i] = e;
                    j[2 * i + 1] = a * self.x[i] * e;
                }
            }
            true
        }
    }

    #[test]
    fn exact_exponential_is_recovered_from_a_poor_start() {
        let x: Vec<f64> = (0..8).map(|i| i as f64 * 0.5).collect();
        let y = x.iter().map(|v| 2.0 * (-0.7 * v).exp()).collect();
        let res = levenberg_marquardt(&Exp { x, y }, &[1.0, 0.5], LmOptions::default()).unwrap();
        assert!(res.converged);
        assert!((res.par[0] - 2.0).abs() < 1e-8, "{:?}", res.par);
        assert!((res.par[1] + 0.7).abs() < 1e-8);
    }
}
