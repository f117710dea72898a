//! The proportional-hazards test of R survival 3.x `cox.zph`, and scaled
//! Schoenfeld residuals.
//!
//! # Method
//!
//! For a fitted model with estimate `b`, each covariate `x_j` is given a
//! time-varying companion `g(t) x_j`, `g` a transform of time centred at
//! its mean over the events. The test of proportional hazards for a term
//! is the score test that the companions of its columns have coefficient 0,
//! at `(b, 0)`: with `U_2` the score of the companions and `I` the full
//! `2p x 2p` information of `(x, g(t) x)` at `(b, 0)`,
//!
//! ```text
//! chisq_term = u' I_kk⁻¹ u,   u = (0_p, U_2[term]),   k = (all p columns, the term's companions)
//! chisq_global = (0_p, U_2)' I⁻¹ (0_p, U_2)            (df = p)
//! U_2 = sum over events of g(t_i) (x_i - xbar(t_i))
//! ```
//!
//! with `xbar` and the information built as in the fit (Breslow or Efron
//! weights for tied events). The term test has `df` = its number of
//! columns. Transforms (R's names): `km` = `1 - S(t-)` with `S` the
//! Kaplan-Meier curve of all subjects (left-continuous), `rank` = the rank
//! of the time among all subjects (ties averaged), `identity` = `t`,
//! `log` = `log t`.
//!
//! Scaled Schoenfeld residuals (Grambsch & Therneau 1994): the Schoenfeld
//! residual of an event, `r_i = x_i - xbar(t_i)` (Efron: `xbar` averaged
//! over the `d` partial risk sets), is scaled by the average information
//! per event, `r*_i = V_s⁻¹ r_i + b` with `V_s = I_11 / d_s` (per stratum,
//! over the covariates that vary in it; R's `used` weights). For a term of
//! several columns the residual is that of its linear predictor,
//! `r_i' b_term`, scaled the same way, plus 1. Plotted against `g(t)`, a
//! smooth of `r*_j` estimates `b_j(t)`.
//!
//! References: Grambsch & Therneau (1994) Biometrika 81:515; Therneau &
//! Grambsch (2000) *Modeling Survival Data*, §6.2; R survival 3.5
//! `cox.zph` (the survival 3.0 score-test version, which replaced the
//! approximate test of survival 2.x) and its C routine `zph1.c`.

use crate::cox::linalg::Ldl;
use crate::cox::{ChiSquareTest, CoxFit, CoxProblem, TermStatus, Ties};
use crate::select::{check_terms, Term};
use crate::SurvivalError;
use serde::Serialize;

/// Transform of time for [`cox_zph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZphTransform {
    /// `1 - S(t-)`, the Kaplan-Meier curve of all subjects (R's default).
    #[default]
    Km,
    /// Rank of the time among all subjects.
    Rank,
    /// The time itself.
    Identity,
    /// `log t` (every time must be positive).
    Log,
}

/// The test of one term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZphTerm {
    /// Term name.
    pub term: String,
    /// Score chi-square.
    pub chisq: f64,
    /// Degrees of freedom (columns of the term).
    pub df: usize,
    /// Upper-tail P value.
    pub p: f64,
}

/// The global test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ZphGlobal {
    /// Score chi-square.
    pub chisq: f64,
    /// Degrees of freedom (estimable columns).
    pub df: usize,
    /// Upper-tail P value.
    pub p: f64,
}

/// Scaled Schoenfeld residuals, one row per event, sorted by stratum, then
/// time, then input row (R's `cox.zph(...)$y`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZphResiduals {
    /// Term names (the columns of `y`).
    pub terms: Vec<String>,
    /// Event time of each row.
    pub time: Vec<f64>,
    /// Transformed time `g(t)` (not centred) of each row.
    pub x: Vec<f64>,
    /// Stratum index of each row (0 without strata).
    pub stratum: Vec<usize>,
    /// Scaled residuals: `y[i][k]` for event `i`, term `k`; `None` for a
    /// term constant within the event's stratum.
    pub y: Vec<Vec<Option<f64>>>,
}

/// The proportional-hazards tests of a fitted model (JSON `"zph"` of
/// `oncomark cox --zph`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Zph {
    /// Transform of time.
    pub transform: ZphTransform,
    /// One test per term.
    pub terms: Vec<ZphTerm>,
    /// Global test.
    pub global: ZphGlobal,
    /// Scaled Schoenfeld residuals (not serialised: one row per event).
    #[serde(skip)]
    pub residuals: ZphResiduals,
}

/// `g(t)` per sorted position of `pr`.
fn transform_times(pr: &CoxProblem, tr: ZphTransform) -> Result<Vec<f64>, SurvivalError> {
    let n = pr.n;
    match tr {
        ZphTransform::Identity => Ok(pr.time.clone()),
        ZphTransform::Log => pr
            .time
            .iter()
            .map(|&t| {
                if t > 0.0 {
                    Ok(t.ln())
                } else {
                    Err(SurvivalError::BadOption {
                        what: "transform",
                        value: t,
                        reason: "the log transform needs every time > 0; use km or rank",
                    })
                }
            })
            .collect(),
        ZphTransform::Rank | ZphTransform::Km => {
            // positions in ascending time (all strata together)
            let mut idx: Vec<usize> = (0..n).collect();
            idx.sort_by(|&a, &b| pr.time[a].total_cmp(&pr.time[b]));
            let event = event_flags(pr);
            let mut g = vec![0.0; n];
            // (start, stop] data: rows at risk at t are those with
            // stop >= t minus those with start >= t
            let mut starts: Vec<f64> = pr.entry.as_ref().map_or_else(Vec::new, |e| e.time.clone());
            starts.sort_by(f64::total_cmp);
            let mut a = 0;
            let mut surv = 1.0; // S(t-) for the current time
            while a < n {
                let mut b = a + 1;
                while b < n && pr.time[idx[b]] == pr.time[idx[a]] {
                    b += 1;
                }
                let v = if tr == ZphTransform::Rank {
                    // average of ranks a+1 ..= b
                    (a + 1 + b) as f64 / 2.0
                } else {
                    1.0 - surv
                };
                let d = idx[a..b].iter().filter(|&&i| event[i]).count();
                for &i in &idx[a..b] {
                    g[i] = v;
                }
                let t = pr.time[idx[a]];
                let late = starts.len() - starts.partition_point(|&s| s < t);
                surv *= 1.0 - d as f64 / (n - a - late) as f64;
                a = b;
            }
            Ok(g)
        }
    }
}

/// Event flag per sorted position.
fn event_flags(pr: &CoxProblem) -> Vec<bool> {
    let mut e = vec![false; pr.n];
    for g in &pr.groups {
        for v in &mut e[g.dead as usize..g.end as usize] {
            *v = true;
        }
    }
    e
}

/// The proportional-hazards tests of R survival 3.x `cox.zph` and the
/// scaled Schoenfeld residuals (see the [module docs](self) for the
/// method and references).
///
/// `pr` is the problem the model was fitted on and `fit` its fit (its
/// coefficients are used; columns that are not estimable are left out,
/// as R does). `terms` groups the columns into terms (a categorical
/// variable's dummies get one test of several df); `None` gives one term
/// per column. The tie method is `pr`'s (Efron or Breslow).
///
/// # Errors
/// [`SurvivalError::BadCoefficients`] if `fit` does not belong to `pr`
/// (wrong number of coefficients); [`SurvivalError::BadCovariateNames`]
/// for bad terms or when no term has an estimable column;
/// [`SurvivalError::BadOption`] for the log transform with a time of 0, or
/// for `ties = exact` (R's `cox.zph` treats it as Breslow; we refuse).
///
/// # Example
/// ```
/// use oncomark_survival::cox::{CoxData, CoxOptions, CoxProblem, Ties};
/// use oncomark_survival::zph::{cox_zph, ZphTransform};
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
/// let event = [true, true, false, true, true, true, false, true];
/// let x = vec![1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0];
/// let d = CoxData::new(&time, &event, &[x], &["x"])?;
/// let pr = CoxProblem::new(&d, Ties::Efron)?;
/// let f = pr.fit(&CoxOptions::default())?;
/// let z = cox_zph(&pr, &f, None, ZphTransform::Identity)?;
/// // one term: the term test is the global test
/// assert!((z.terms[0].chisq - z.global.chisq).abs() < 1e-12);
/// assert_eq!(z.residuals.y.len(), 6); // one row per event
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn cox_zph(
    pr: &CoxProblem,
    fit: &CoxFit,
    terms: Option<&[Term]>,
    transform: ZphTransform,
) -> Result<Zph, SurvivalError> {
    let p_all = pr.p;
    if fit.coefficients.len() != p_all || fit.terms.len() != p_all {
        return Err(SurvivalError::BadCoefficients {
            reason: format!(
                "the fit has {} coefficients but the problem {p_all} columns",
                fit.coefficients.len()
            ),
        });
    }
    if pr.ties == Ties::Exact {
        return Err(SurvivalError::BadOption {
            what: "ties",
            value: f64::NAN,
            reason: "cox.zph is defined for Efron or Breslow ties; refit with one of them",
        });
    }
    let own;
    let terms = match terms {
        Some(t) => t,
        None => {
            own = (0..p_all)
                .map(|j| Term::new(pr.names[j].clone(), vec![j]))
                .collect::<Vec<_>>();
            &own
        }
    };
    check_terms(terms, p_all)?;
    // keep the estimable columns (R drops NA coefficients)
    let keep: Vec<usize> = (0..p_all)
        .filter(|&j| fit.terms[j].status != TermStatus::NotEstimable)
        .filter(|&j| terms.iter().any(|t| t.columns.contains(&j)))
        .collect();
    let p = keep.len();
    let tcols: Vec<(String, Vec<usize>)> = terms
        .iter()
        .filter_map(|t| {
            let c: Vec<usize> = t
                .columns
                .iter()
                .filter_map(|j| keep.iter().position(|k| k == j))
                .collect();
            (!c.is_empty()).then(|| (t.name.clone(), c))
        })
        .collect();
    if p == 0 {
        return Err(SurvivalError::BadCovariateNames {
            reason: "no term has an estimable coefficient to test".into(),
        });
    }
    let bs: Vec<f64> = keep
        .iter()
        .map(|&j| fit.coefficients[j] / pr.scale[j])
        .collect();
    let scale: Vec<f64> = keep.iter().map(|&j| pr.scale[j]).collect();
    let xs = |pos: usize, k: usize| pr.x[pos * p_all + keep[k]];

    let g_raw = transform_times(pr, transform)?;
    let event = event_flags(pr);
    let ne = pr.n_events;
    let gmean = (0..pr.n)
        .filter(|&i| event[i])
        .map(|i| g_raw[i])
        .sum::<f64>()
        / ne as f64;

    // risk scores (shifted by the largest linear predictor for range)
    let eta: Vec<f64> = (0..pr.n)
        .map(|i| (0..p).map(|k| xs(i, k) * bs[k]).sum())
        .collect();
    let emax = eta.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let risk: Vec<f64> = eta.iter().map(|&e| (e - emax).exp()).collect();

    let p2 = 2 * p;
    let mut u2 = vec![0.0; p];
    let mut imat = vec![0.0; p2 * p2];
    let efron = pr.ties == Ties::Efron;
    // residual rows in output order: strata ascending, time ascending,
    // input row ascending
    let mut rows: Vec<(usize, usize, Vec<f64>)> = Vec::with_capacity(ne); // (stratum, pos, r)
    let mut used = vec![vec![0usize; p]; pr.strata.len()];
    let mut a = vec![0.0; p];
    let mut a2 = vec![0.0; p];
    let mut c = vec![0.0; p * p];
    let mut c2 = vec![0.0; p * p];
    for (si, s) in pr.strata.iter().enumerate() {
        let (s0, s1) = (s.start as usize, s.end as usize);
        // (start, stop] data: next row to leave the risk set
        let mut kout = s0;
        let mut nrisk = 0usize;
        let nd: usize = (s0..s1).filter(|&i| event[i]).count();
        for k in 0..p {
            let v0 = xs(s0, k);
            if (s0..s1).any(|i| xs(i, k) != v0) {
                used[si][k] = nd;
            }
        }
        let mut denom = 0.0;
        a.iter_mut().for_each(|v| *v = 0.0);
        c.iter_mut().for_each(|v| *v = 0.0);
        let mut srows: Vec<(usize, usize, Vec<f64>)> = Vec::new();
        for g in &pr.groups[s.g_start as usize..s.g_end as usize] {
            let (g0, gd, g1) = (g.start as usize, g.dead as usize, g.end as usize);
            nrisk += g1 - g0;
            for i in g0..gd {
                let r = risk[i];
                denom += r;
                for j in 0..p {
                    let rx = r * xs(i, j);
                    a[j] += rx;
                    for k in 0..=j {
                        c[j * p + k] += rx * xs(i, k);
                    }
                }
            }
            let d = g1 - gd;
            if d == 0 {
                continue;
            }
            if let Some(plan) = &pr.entry {
                // leave the risk set: start at or after t (R zph2)
                let t = pr.time[gd];
                while kout < s1 && plan.time[kout] >= t {
                    let i = plan.pos[kout] as usize;
                    let r = risk[i];
                    denom -= r;
                    for j in 0..p {
                        let rx = r * xs(i, j);
                        a[j] -= rx;
                        for k in 0..=j {
                            c[j * p + k] -= rx * xs(i, k);
                        }
                    }
                    nrisk -= 1;
                    kout += 1;
                }
                // the events of this group are not yet in the sums
                if nrisk == d {
                    denom = 0.0;
                    a.iter_mut().for_each(|v| *v = 0.0);
                    c.iter_mut().for_each(|v| *v = 0.0);
                }
            }
            let gt = g_raw[gd] - gmean;
            let mut denom2 = 0.0;
            a2.iter_mut().for_each(|v| *v = 0.0);
            c2.iter_mut().for_each(|v| *v = 0.0);
            for i in gd..g1 {
                let r = risk[i];
                denom2 += r;
                for j in 0..p {
                    let xj = xs(i, j);
                    u2[j] += gt * xj;
                    a2[j] += r * xj;
                    for k in 0..=j {
                        c2[j * p + k] += r * xj * xs(i, k);
                    }
                }
            }
            let df = d as f64;
            let mut xbar = vec![0.0; p];
            let mut add_info = |w: f64, a: &[f64], c: &[f64], den: f64, imat: &mut [f64]| {
                for j in 0..p {
                    let mj = a[j] / den;
                    u2[j] -= w * gt * mj;
                    for k in 0..=j {
                        let t = w * (c[j * p + k] - mj * a[k]) / den;
                        imat[k * p2 + j] += t;
                        imat[k * p2 + j + p] += t * gt;
                        imat[(k + p) * p2 + j + p] += t * gt * gt;
                    }
                }
            };
            if !efron || d == 1 {
                denom += denom2;
                for j in 0..p {
                    a[j] += a2[j];
                    for k in 0..=j {
                        c[j * p + k] += c2[j * p + k];
                    }
                    xbar[j] = a[j] / denom;
                }
                add_info(df, &a, &c, denom, &mut imat);
            } else {
                for j in 0..p {
                    let mut m = 0.0;
                    for kk in 0..d {
                        let f = (kk + 1) as f64 / df;
                        m += (a[j] + a2[j] * f) / (denom + denom2 * f);
                    }
                    xbar[j] = m / df;
                }
                for _ in 0..d {
                    denom += denom2 / df;
                    for j in 0..p {
                        a[j] += a2[j] / df;
                        for k in 0..=j {
                            c[j * p + k] += c2[j * p + k] / df;
                        }
                    }
                    add_info(1.0, &a, &c, denom, &mut imat);
                }
            }
            // events of the group are in decreasing input row in `pr`;
            // the final reversal of the stratum makes them increasing (R
            // zph1), or decreasing for (start, stop] data (R zph2)
            let push = |i: usize, srows: &mut Vec<(usize, usize, Vec<f64>)>| {
                let r: Vec<f64> = (0..p).map(|j| (xs(i, j) - xbar[j]) / scale[j]).collect();
                srows.push((si, i, r));
            };
            if pr.entry.is_some() {
                (gd..g1).rev().for_each(|i| push(i, &mut srows));
            } else {
                (gd..g1).for_each(|i| push(i, &mut srows));
            }
        }
        srows.reverse();
        rows.extend(srows);
    }
    // fill the symmetric information (R zph1's final loops)
    for i in 0..p {
        for j in 0..i {
            imat[i * p2 + j] = imat[j * p2 + i];
            imat[i * p2 + j + p] = imat[j * p2 + i + p];
            imat[(i + p) * p2 + j + p] = imat[(j + p) * p2 + i + p];
        }
    }
    for i in 0..p {
        for j in 0..p {
            imat[(i + p) * p2 + j] = imat[j * p2 + i + p];
        }
    }

    // tests (internal scale: the quadratic forms are scale-free)
    let toler = crate::cox::CoxOptions::default().toler_chol;
    let quad = |idx: &[usize]| -> f64 {
        let k = idx.len();
        let mut m = vec![0.0; k * k];
        let mut u = vec![0.0; k];
        for (a, &i) in idx.iter().enumerate() {
            if i >= p {
                u[a] = u2[i - p];
            }
            for (b, &j) in idx.iter().enumerate() {
                m[a * k + b] = imat[i * p2 + j];
            }
        }
        Ldl::new(&m, k, toler).quad_form(&u).max(0.0)
    };
    let zterms: Vec<ZphTerm> = tcols
        .iter()
        .map(|(name, cols)| {
            let idx: Vec<usize> = (0..p).chain(cols.iter().map(|&j| j + p)).collect();
            let chisq = quad(&idx);
            let t = ChiSquareTest::new(chisq, cols.len());
            ZphTerm {
                term: name.clone(),
                chisq,
                df: cols.len(),
                p: t.p,
            }
        })
        .collect();
    let gchisq = quad(&(0..p2).collect::<Vec<_>>());
    let gt = ChiSquareTest::new(gchisq, p);

    // scaled residuals, on the covariates' own scale
    let nt = tcols.len();
    let beta: Vec<f64> = keep.iter().map(|&j| fit.coefficients[j]).collect();
    // term collapse matrix: p x nt
    let mut tm = vec![0.0; p * nt];
    for (t, (_, cols)) in tcols.iter().enumerate() {
        for &j in cols {
            tm[j * nt + t] = if cols.len() == 1 { 1.0 } else { beta[j] };
        }
    }
    // vmean = I11 / wtmat, on the original scale
    let mut wt = vec![0.0; p * p];
    for u in &used {
        for j in 0..p {
            for k in 0..p {
                wt[j * p + k] += u[j].min(u[k]) as f64;
            }
        }
    }
    let mut vm = vec![0.0; p * p];
    for j in 0..p {
        for k in 0..p {
            let w = if wt[j * p + k] == 0.0 {
                1.0
            } else {
                wt[j * p + k]
            };
            vm[j * p + k] = imat[j * p2 + k] / (scale[j] * scale[k] * w);
        }
    }
    // collapsed: vmean_t = tm' vm tm, used per term = used of its first column
    let mut vt = vec![0.0; nt * nt];
    for a in 0..nt {
        for b in 0..nt {
            let mut s = 0.0;
            for j in 0..p {
                for k in 0..p {
                    s += tm[j * nt + a] * vm[j * p + k] * tm[k * nt + b];
                }
            }
            vt[a * nt + b] = s;
        }
    }
    let used_t: Vec<Vec<usize>> = used
        .iter()
        .map(|u| tcols.iter().map(|(_, cols)| u[cols[0]]).collect())
        .collect();
    let offset: Vec<f64> = tcols
        .iter()
        .map(|(_, cols)| if cols.len() == 1 { beta[cols[0]] } else { 1.0 })
        .collect();
    let mut y = Vec::with_capacity(rows.len());
    let mut time = Vec::with_capacity(rows.len());
    let mut xg = Vec::with_capacity(rows.len());
    let mut stratum = Vec::with_capacity(rows.len());
    // per stratum, the solver of vmean over the terms used in it
    let solvers: Vec<(Vec<usize>, Ldl)> = used_t
        .iter()
        .map(|u| {
            let k: Vec<usize> = (0..nt).filter(|&t| u[t] > 0).collect();
            let m = k.len();
            let mut sub = vec![0.0; m * m];
            for (a, &i) in k.iter().enumerate() {
                for (b, &j) in k.iter().enumerate() {
                    sub[a * m + b] = vt[i * nt + j];
                }
            }
            let l = Ldl::new(&sub, m, toler);
            (k, l)
        })
        .collect();
    for (si, pos, r) in rows {
        let rt: Vec<f64> = (0..nt)
            .map(|t| (0..p).map(|j| r[j] * tm[j * nt + t]).sum())
            .collect();
        let (k, l) = &solvers[si];
        let rhs: Vec<f64> = k.iter().map(|&t| rt[t]).collect();
        let sol = l.solve(&rhs);
        let mut row = vec![None; nt];
        for (a, &t) in k.iter().enumerate() {
            row[t] = Some(sol[a] + offset[t]);
        }
        y.push(row);
        time.push(pr.time[pos]);
        xg.push(g_raw[pos]);
        stratum.push(si);
    }

    Ok(Zph {
        transform,
        terms: zterms,
        global: ZphGlobal {
            chisq: gchisq,
            df: p,
            p: gt.p,
        },
        residuals: ZphResiduals {
            terms: tcols.iter().map(|(n, _)| n.clone()).collect(),
            time,
            x: xg,
            stratum,
            y,
        },
    })
}
