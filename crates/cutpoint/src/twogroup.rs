//! Kernels on time-sorted data for one covariate: the Cox model with Efron
//! ties and the two-group log-rank test. They share the time order with
//! every other marker of a screen, so each call is O(n) per pass.

use serde::Serialize;

use crate::data::SortedSurvival;
use crate::normal::{p_two_sided, pchisq1_upper, qnorm};

/// A Cox model with one covariate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CoxFit {
    /// Log hazard ratio per unit of the covariate.
    pub coef: f64,
    /// Its standard error (inverse observed information at the estimate).
    pub se: f64,
    /// Hazard ratio `exp(coef)`.
    pub hr: f64,
    /// Lower confidence limit of the hazard ratio (Wald).
    pub hr_lower: f64,
    /// Upper confidence limit of the hazard ratio (Wald).
    pub hr_upper: f64,
    /// Two-sided Wald P value.
    pub p: f64,
    /// Whether Newton-Raphson converged (false for a coefficient running
    /// off to infinity, e.g. no events in one group).
    pub converged: bool,
}

/// Cox model of `high` (0/1, time order) through `oncomark-survival`'s
/// `cox::fit` (R `coxph` defaults: Efron ties, Newton-Raphson to
/// `|1 − l_old/l_new| ≤ 1e-9`). Returns the fit when the coefficient is an
/// ordinary finite estimate of a converged fit, else `None` and the reason.
pub(crate) fn cox_survival_binary(
    s: &SortedSurvival,
    high: &[bool],
    conf_level: f64,
) -> (Option<CoxFit>, Option<String>) {
    use oncomark_survival::cox::{fit, CoxData, CoxOptions, TermStatus};
    let x: Vec<f64> = high.iter().map(|&h| f64::from(u8::from(h))).collect();
    let data = match CoxData::new(&s.time, &s.event, &[x], &["high"]) {
        Ok(d) => d,
        Err(e) => return (None, Some(e.to_string())),
    };
    let opts = CoxOptions {
        conf_level,
        concordance: false,
        ..CoxOptions::default()
    };
    let f = match fit(&data, &opts) {
        Ok(f) => f,
        Err(e) => return (None, Some(e.to_string())),
    };
    let t = &f.terms[0];
    let note = (!f.warnings.is_empty()).then(|| f.warnings.join("; "));
    match (t.status, t.coef, t.se, t.hr, t.hr_lower, t.hr_upper, t.p) {
        (TermStatus::Estimated, Some(coef), Some(se), Some(hr), Some(lo), Some(up), Some(p))
            if f.converged =>
        {
            let fit = CoxFit {
                coef,
                se,
                hr,
                hr_lower: lo,
                hr_upper: up,
                p,
                converged: true,
            };
            (Some(fit), note)
        }
        _ => (
            None,
            Some(note.unwrap_or_else(|| "the Cox model of high vs low did not converge".into())),
        ),
    }
}

/// Newton-Raphson for the Efron partial likelihood of one covariate given
/// in time order. Converges when the log-likelihood changes by less than
/// 1e-10 relative (R coxph stops at 1e-9) and the step is below 1e-6; at
/// most 30 iterations, halving a step that lowers the likelihood. Returns
/// `None` when the covariate is constant.
pub(crate) fn cox_efron(s: &SortedSurvival, x_time: &[f64], conf_level: f64) -> Option<CoxFit> {
    let n = s.n();
    let mean = x_time.iter().sum::<f64>() / n as f64;
    let xc: Vec<f64> = x_time.iter().map(|v| v - mean).collect();
    if xc.iter().all(|&v| v == xc[0]) {
        return None;
    }
    newton(
        |beta| efron_pass(s, beta, |k| (xc[k], (beta * xc[k]).exp())),
        conf_level,
    )
}

/// At-risk and event counts of the low (0) and high (1) groups at each
/// event time, latest first: `[r0, r1, d0, d1]`. Everything the two-group
/// log-rank test and the Cox model of a 0/1 covariate need.
pub(crate) fn dichotomy_table(s: &SortedSurvival, high: &[bool]) -> Vec<[f64; 4]> {
    let (mut r0, mut r1) = (0.0, 0.0);
    let mut out = Vec::new();
    for g in (0..s.n_groups()).rev() {
        let (a, b) = s.group(g);
        let (mut d0, mut d1) = (0.0, 0.0);
        for k in a..b {
            let h = high[k];
            if h {
                r1 += 1.0;
            } else {
                r0 += 1.0;
            }
            if s.event[k] {
                if h {
                    d1 += 1.0;
                } else {
                    d0 += 1.0;
                }
            }
        }
        if d0 + d1 > 0.0 {
            out.push([r0, r1, d0, d1]);
        }
    }
    out
}

/// [`dichotomy_table`] of `high = x > cut` (x in time order) into `out`,
/// without materializing `high`; returns the number of high patients.
pub(crate) fn dichotomy_table_cut(
    s: &SortedSurvival,
    x_time: &[f64],
    cut: f64,
    out: &mut Vec<[f64; 4]>,
) -> usize {
    out.clear();
    let (mut r0, mut r1) = (0.0, 0.0);
    for g in (0..s.n_groups()).rev() {
        let (a, b) = s.group(g);
        let (mut d0, mut d1) = (0.0, 0.0);
        for (&x, &ev) in x_time[a..b].iter().zip(&s.event[a..b]) {
            let h = f64::from(u8::from(x > cut));
            let e = f64::from(u8::from(ev));
            r1 += h;
            r0 += 1.0 - h;
            d1 += h * e;
            d0 += e - h * e;
        }
        if d0 + d1 > 0.0 {
            out.push([r0, r1, d0, d1]);
        }
    }
    r1 as usize
}

/// [`cox_efron`] for a 0/1 covariate (`high`, in time order).
#[cfg(test)]
pub(crate) fn cox_efron_binary(
    s: &SortedSurvival,
    high: &[bool],
    conf_level: f64,
) -> Option<CoxFit> {
    let nh = high.iter().filter(|&&h| h).count();
    if nh == 0 || nh == high.len() {
        return None;
    }
    cox_efron_table(&dichotomy_table(s, high), conf_level)
}

/// The Cox model of a 0/1 covariate from its [`dichotomy_table`]: with
/// `x ∈ {0, 1}`, `S0 = r0 + e^β r1`, `S1 = S2 = e^β r1`, so a Newton pass is
/// O(number of event times) with one division per tied event.
pub(crate) fn cox_efron_table(table: &[[f64; 4]], conf_level: f64) -> Option<CoxFit> {
    newton(
        |beta| {
            let e1 = beta.exp();
            let (mut ll, mut u, mut info) = (0.0, 0.0, 0.0);
            let mut prod = 1.0f64;
            for &[r0, r1, d0, d1] in table {
                ll += beta * d1;
                u += d1;
                let d = d0 + d1;
                let nd = d as usize;
                for l in 0..nd {
                    let f = l as f64 / d;
                    let a1 = e1 * (r1 - f * d1);
                    let a0 = r0 - f * d0 + a1;
                    let m = a1 / a0;
                    prod *= a0;
                    u -= m;
                    info += m * (1.0 - m);
                }
                if !(1e-250..=1e250).contains(&prod) {
                    ll -= prod.ln();
                    prod = 1.0;
                }
            }
            ll -= prod.ln();
            (ll, u, info)
        },
        conf_level,
    )
}

fn newton(pass: impl Fn(f64) -> (f64, f64, f64), conf_level: f64) -> Option<CoxFit> {
    let mut beta = 0.0;
    let (mut ll, mut u, mut info) = pass(beta);
    let mut converged = false;
    for _ in 0..30 {
        if info.is_nan() || info <= 0.0 {
            break;
        }
        let mut step = u / info;
        let mut nb = beta + step;
        let (mut nll, mut nu, mut ninfo) = pass(nb);
        let mut halvings = 0;
        while (nll.is_nan() || nll < ll - 1e-12 * ll.abs()) && halvings < 30 {
            step /= 2.0;
            nb = beta + step;
            (nll, nu, ninfo) = pass(nb);
            halvings += 1;
        }
        let done = (nll - ll).abs() <= 1e-10 * nll.abs().max(1e-300)
            && step.abs() < 1e-6 * (1.0 + nb.abs());
        beta = nb;
        (ll, u, info) = (nll, nu, ninfo);
        if done {
            converged = true;
            break;
        }
    }
    if info.is_nan() || info <= 0.0 || !beta.is_finite() {
        return None;
    }
    let se = 1.0 / info.sqrt();
    let z = qnorm(0.5 + conf_level / 2.0);
    Some(CoxFit {
        coef: beta,
        se,
        hr: beta.exp(),
        hr_lower: (beta - z * se).exp(),
        hr_upper: (beta + z * se).exp(),
        p: p_two_sided(beta / se),
        converged: converged && beta.abs() < 25.0,
    })
}

/// Log partial likelihood (Efron), score and information at the β implied
/// `beta`, with `ex(k) = (x_k, exp(β x_k))`, over time-sorted data.
#[inline]
fn efron_pass(s: &SortedSurvival, beta: f64, ex: impl Fn(usize) -> (f64, f64)) -> (f64, f64, f64) {
    let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
    let (mut ll, mut u, mut info) = (0.0, 0.0, 0.0);
    // Σ log a0 as the log of running products (one log per ~100 events)
    let mut prod = 1.0f64;
    for g in (0..s.n_groups()).rev() {
        let (a, b) = s.group(g);
        let (mut d0, mut d1, mut d2, mut xs) = (0.0, 0.0, 0.0, 0.0);
        let mut d = 0usize;
        for k in a..b {
            let (xk, e) = ex(k);
            s0 += e;
            s1 += xk * e;
            s2 += xk * xk * e;
            if s.event[k] {
                d += 1;
                d0 += e;
                d1 += xk * e;
                d2 += xk * xk * e;
                xs += xk;
            }
        }
        if d == 0 {
            continue;
        }
        ll += beta * xs;
        u += xs;
        if d == 1 {
            let m = s1 / s0;
            prod *= s0;
            u -= m;
            info += s2 / s0 - m * m;
            if !(1e-250..=1e250).contains(&prod) {
                ll -= prod.ln();
                prod = 1.0;
            }
            continue;
        }
        let df = d as f64;
        for l in 0..d {
            let f = l as f64 / df;
            let a0 = s0 - f * d0;
            let a1 = s1 - f * d1;
            let a2 = s2 - f * d2;
            let m = a1 / a0;
            prod *= a0;
            u -= m;
            info += a2 / a0 - m * m;
            if !(1e-250..=1e250).contains(&prod) {
                ll -= prod.ln();
                prod = 1.0;
            }
        }
    }
    ll -= prod.ln();
    (ll, u, info)
}

/// The two-group log-rank test (R `survdiff`, rho = 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LogRank2 {
    /// Observed events in the high group.
    pub observed_high: f64,
    /// Expected events in the high group.
    pub expected_high: f64,
    /// Hypergeometric variance of `observed_high − expected_high`.
    pub variance: f64,
    /// Chi-square statistic on 1 degree of freedom.
    pub chisq: f64,
    /// Its upper-tail P value.
    pub p: f64,
}

/// Log-rank test of `high` (in time order) against the rest.
pub(crate) fn logrank2(s: &SortedSurvival, high_time: &[bool]) -> LogRank2 {
    logrank_table(&dichotomy_table(s, high_time))
}

/// The two-group log-rank test from a [`dichotomy_table`].
pub(crate) fn logrank_table(table: &[[f64; 4]]) -> LogRank2 {
    let (mut o, mut e, mut v) = (0.0, 0.0, 0.0);
    for &[r0, r1, d0, d1] in table {
        let r = r0 + r1;
        let d = d0 + d1;
        o += d1;
        let p1 = r1 / r;
        e += d * p1;
        if r > 1.0 {
            v += d * (r - d) / (r - 1.0) * p1 * (1.0 - p1);
        }
    }
    let chisq = if v > 0.0 { (o - e) * (o - e) / v } else { 0.0 };
    LogRank2 {
        observed_high: o,
        expected_high: e,
        variance: v,
        chisq,
        p: pchisq1_upper(chisq),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, fixture_column, read_fixture_csv, tol};

    /// The presorted kernel used by the screen agrees with
    /// `oncomark_survival::cox::fit` (itself checked against R coxph) on
    /// GBSG2, for continuous markers and for many dichotomies (tied times).
    #[test]
    fn kernel_agrees_with_the_survival_crate() {
        use oncomark_survival::cox::{fit, CoxData, CoxOptions};
        let (h, r) = read_fixture_csv("r-survival/gbsg2.csv");
        let col = |n: &str| -> Vec<f64> {
            fixture_column(&h, &r, n)
                .into_iter()
                .map(|v| v.unwrap())
                .collect()
        };
        let t = col("time");
        let e: Vec<bool> = col("cens").into_iter().map(|v| v == 1.0).collect();
        let s = SortedSurvival::new(&t, &e).unwrap();
        let opts = CoxOptions {
            concordance: false,
            ..CoxOptions::default()
        };
        for m in ["age", "tsize", "pnodes", "progrec", "estrec"] {
            let x = col(m);
            let ours = cox_efron(&s, &s.gather(&x), 0.95).unwrap();
            let theirs = fit(
                &CoxData::new(&t, &e, std::slice::from_ref(&x), &[m]).unwrap(),
                &opts,
            )
            .unwrap();
            let th = &theirs.terms[0];
            assert_close(m, ours.coef, th.coef.unwrap(), tol::COX);
            assert_close(m, ours.se, th.se.unwrap(), tol::COX);
            assert_close(m, ours.p, th.p.unwrap(), tol::COX);
            for q in [0.2, 0.4, 0.5, 0.7, 0.9] {
                let mut sorted = x.clone();
                sorted.sort_by(f64::total_cmp);
                let cut = sorted[(q * (sorted.len() - 1) as f64) as usize];
                let high: Vec<bool> = s.gather(&x).iter().map(|&v| v > cut).collect();
                let a = cox_efron_binary(&s, &high, 0.95).unwrap();
                let (b, _) = cox_survival_binary(&s, &high, 0.95);
                let b = b.unwrap();
                assert_close(m, a.hr, b.hr, tol::COX);
                assert_close(m, a.hr_lower, b.hr_lower, tol::COX);
                assert_close(m, a.p, b.p, tol::COX);
            }
        }
    }

    #[test]
    fn logrank2_by_hand() {
        // times 1, 2, 2, 3 (events, the last censored); high = {1, 2a}.
        // t=1: R=4, R1=2, d=1, d1=1: E1 = 1/2, V = 1*3/3 * 1/2 * 1/2 = 1/4
        // t=2: R=3, R1=1, d=2, d1=1: E1 = 2/3, V = 2*1/2 * 1/3 * 2/3 = 2/9
        // O1 = 2, E1 = 7/6, V = 17/36: chisq = (5/6)^2 / (17/36) = 25/17
        let s = SortedSurvival::new(&[1.0, 2.0, 2.0, 3.0], &[true, true, true, false]).unwrap();
        let lr = logrank2(&s, &[true, true, false, false]);
        assert_close("O", lr.observed_high, 2.0, tol::EXACT);
        assert_close("E", lr.expected_high, 7.0 / 6.0, tol::EXACT);
        assert_close("V", lr.variance, 17.0 / 36.0, tol::EXACT);
        assert_close("chisq", lr.chisq, 25.0 / 17.0, tol::EXACT);
    }
}
