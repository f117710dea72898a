//! Newton-Raphson maximisation of the partial likelihood (R `coxfit6`).

use super::linalg::Ldl;
use super::problem::{CoxEval, CoxProblem};
use super::CoxOptions;

/// The outcome of the iterations, on the internal (centred, scaled) scale.
pub(crate) struct Newton {
    pub(crate) beta: Vec<f64>,
    pub(crate) loglik_init: f64,
    /// Score test at the initial values, `U0' I0^- U0`.
    pub(crate) score_test: f64,
    /// Evaluation at `beta`.
    pub(crate) eval: CoxEval,
    /// Factorisation of the information at `beta`.
    pub(crate) chol: Ldl,
    pub(crate) iterations: usize,
    pub(crate) converged: bool,
}

fn all_finite(e: &CoxEval) -> bool {
    e.loglik.is_finite()
        && e.score.iter().all(|v| v.is_finite())
        && e.information.iter().all(|v| v.is_finite())
}

/// Newton-Raphson from `init` (internal scale) with R's rules:
///
/// * converged when `|1 - l_best / l_new| <= eps` (R `coxph.control`) or
///   the log-likelihood did not change at all;
/// * a step that lowers the log-likelihood (or overflows) is pulled back
///   towards the last good point, more each time
///   (`new = (new + h * old) / (h + 1)`, h = 1, 2, ...);
/// * singular directions of the information (R `cholesky2` tolerance
///   `toler_chol`) are not moved;
/// * out of iterations: the last point that improved the log-likelihood.
///
/// Returns `None` when the log-likelihood at `init` is not finite.
pub(crate) fn newton(pr: &CoxProblem, init: Vec<f64>, opts: &CoxOptions) -> Option<Newton> {
    let p = pr.p;
    let mut beta = init;
    let e0 = pr.eval_scaled(&beta);
    if !all_finite(&e0) {
        return None;
    }
    let loglik_init = e0.loglik;
    let chol0 = Ldl::new(&e0.information, p, opts.toler_chol);
    let step = chol0.solve(&e0.score);
    let score_test: f64 = e0.score.iter().zip(&step).map(|(u, s)| u * s).sum();
    if opts.max_iter == 0 {
        return Some(Newton {
            beta,
            loglik_init,
            score_test,
            eval: e0,
            chol: chol0,
            iterations: 0,
            converged: true,
        });
    }
    let mut best = loglik_init;
    let mut newbeta: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
    let mut halving = 0usize;
    for iter in 1..=opts.max_iter {
        let e = pr.eval_scaled(&newbeta);
        let chol = Ldl::new(&e.information, p, opts.toler_chol);
        let finite = all_finite(&e);
        // (an unchanged log-likelihood also counts: R's ratio is 0/0 when
        // it is exactly 0, e.g. when every event is alone in its risk set)
        if finite && ((1.0 - best / e.loglik).abs() <= opts.eps || e.loglik == best) {
            return Some(Newton {
                beta: newbeta,
                loglik_init,
                score_test,
                eval: e,
                chol,
                iterations: iter,
                converged: true,
            });
        }
        if !finite || e.loglik < best {
            halving += 1;
            let h = halving as f64;
            for (nb, b) in newbeta.iter_mut().zip(&beta) {
                *nb = (*nb + h * b) / (h + 1.0);
            }
        } else {
            halving = 0;
            best = e.loglik;
            let step = chol.solve(&e.score);
            beta.clone_from(&newbeta);
            for (nb, s) in newbeta.iter_mut().zip(&step) {
                *nb += s;
            }
        }
    }
    let e = pr.eval_scaled(&beta);
    let chol = Ldl::new(&e.information, p, opts.toler_chol);
    Some(Newton {
        beta,
        loglik_init,
        score_test,
        eval: e,
        chol,
        iterations: opts.max_iter,
        converged: false,
    })
}
