//! The log-rank family of tests, as R `survdiff`.
//!
//! # Definitions
//!
//! At each distinct event time `t` (after R's tie rule, see
//! [`crate::order`]) of a stratum, with `n` at risk (`n_g` in group `g`),
//! `d` events (`d_g` in group `g`) and weight `w = S(t-)^rho`, where `S(t-)`
//! is the left-continuous Kaplan-Meier estimate of the pooled stratum:
//!
//! ```text
//! O_g    += w d_g
//! E_g    += w d n_g / n
//! V_gh   += w^2 d (n - d) / (n (n - 1)) * n_g (δ_gh - n_h / n)      (n > 1)
//! ```
//!
//! summed over times and strata. `rho = 0` is the log-rank (Mantel-Haenszel)
//! test, `rho = 1` the Peto & Peto modification of the Gehan-Wilcoxon test
//! (Harrington & Fleming 1982, Biometrika 69:553-566, the G-rho family).
//!
//! The statistic is `chi^2 = (O - E)' V^- (O - E)` over the groups with
//! `E_g > 0`, where `V^-` is a generalized inverse (the first such group is
//! dropped and the rest solved by Cholesky, as R does), with
//! `df = (number of groups with E_g > 0) - 1`.
//!
//! The test for trend over ordered groups with scores `w` is
//! `(w'(O - E))^2 / (w' V w)` on 1 df (Collett 2015, *Modelling Survival
//! Data in Medical Research*, §2.6.3).

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::order::{
    f64_key, key_f64, merge_tied_times, sort_keys_with_payload, validate_groups,
    validate_time_event, SortedSurv,
};
use crate::SurvivalError;

/// Options of a log-rank test.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LogrankOptions {
    /// Exponent of the weight `S(t-)^rho` (R `survdiff(rho = )`): 0 gives the
    /// log-rank test (default), 1 the Peto-Peto-Wilcoxon test.
    pub rho: f64,
}

/// Observed and expected counts of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogrankGroup {
    /// Group label.
    pub group: String,
    /// Subjects.
    pub n: u32,
    /// Observed events (weighted when `rho != 0`), summed over strata.
    pub observed: f64,
    /// Expected events under the null (weighted when `rho != 0`).
    pub expected: f64,
}

/// Result of a k-sample log-rank (G-rho) test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logrank {
    /// Chi-square statistic.
    pub statistic: f64,
    /// Degrees of freedom: groups with a positive expected count, minus 1.
    pub df: usize,
    /// Upper-tail chi-square P value.
    pub p: f64,
    /// The weight exponent used.
    pub rho: f64,
    /// Number of strata summed over (1 when unstratified).
    pub n_strata: usize,
    /// One entry per non-empty group, in label order.
    pub groups: Vec<LogrankGroup>,
    /// Variance matrix of `O - E` (rows and columns as `groups`).
    pub variance: Vec<Vec<f64>>,
}

/// Result of the log-rank test for trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogrankTrend {
    /// `(w'(O - E))^2 / (w'Vw)`.
    pub statistic: f64,
    /// Always 1.
    pub df: usize,
    /// Upper-tail chi-square P value (two-sided in `z`).
    pub p: f64,
    /// Signed statistic `w'(O - E) / sqrt(w'Vw)`.
    pub z: f64,
    /// Scores used, one per group of the test.
    pub scores: Vec<f64>,
    /// The weight exponent of the underlying test.
    pub rho: f64,
}

/// Accumulated `O`, `E` and `V` over strata.
struct Acc {
    k: usize,
    obs: Vec<f64>,
    exp: Vec<f64>,
    var: Vec<f64>, // k x k, row major
}

impl Acc {
    fn new(k: usize) -> Self {
        Self {
            k,
            obs: vec![0.0; k],
            exp: vec![0.0; k],
            var: vec![0.0; k * k],
        }
    }
}

/// Adds one stratum. Preconditions: `time` ascending with ties merged (equal
/// values), `code[i] = group << 1 | event`, `group < acc.k`.
fn accumulate(time: &[f64], code: &[u32], rho: f64, acc: &mut Acc) {
    let k = acc.k;
    let mut risk = vec![0u32; k];
    for &c in code {
        risk[(c >> 1) as usize] += 1;
    }
    let mut d = vec![0u32; k];
    let mut r = vec![0u32; k];
    let mut touched: Vec<usize> = Vec::new();
    let mut n = time.len() as u64;
    let mut km = 1.0f64;
    let mut j = 0;
    while j < time.len() {
        let t = time[j];
        let mut deaths = 0u64;
        let mut e = j;
        while e < time.len() && time[e] == t {
            let c = code[e];
            let g = (c >> 1) as usize;
            if r[g] == 0 {
                touched.push(g);
            }
            r[g] += 1;
            d[g] += c & 1;
            deaths += (c & 1) as u64;
            e += 1;
        }
        if deaths > 0 {
            let wt = if rho == 0.0 { 1.0 } else { km.powf(rho) };
            let nf = n as f64;
            let df = deaths as f64;
            for &g in &touched {
                acc.obs[g] += wt * d[g] as f64;
            }
            for g in 0..k {
                if risk[g] > 0 {
                    acc.exp[g] += wt * df * risk[g] as f64 / nf;
                }
            }
            if n > 1 {
                let c = wt * wt * df * (nf - df) / (nf * (nf - 1.0));
                for a in 0..k {
                    if risk[a] == 0 {
                        continue;
                    }
                    let ca = c * risk[a] as f64;
                    acc.var[a * k + a] += ca;
                    for b in 0..k {
                        if risk[b] > 0 {
                            acc.var[a * k + b] -= ca * risk[b] as f64 / nf;
                        }
                    }
                }
            }
            km *= (nf - df) / nf;
        }
        for &g in &touched {
            risk[g] -= r[g];
            r[g] = 0;
            d[g] = 0;
        }
        touched.clear();
        n -= (e - j) as u64;
        j = e;
    }
}

/// `x' A^- x` for a symmetric positive semi-definite `A` (m x m, row major)
/// by a Cholesky decomposition that skips (zeroes) columns whose pivot is
/// below `eps^0.75` times the largest diagonal: a generalized inverse, as
/// R survival's `cholesky2`/`chsolve2`.
pub(crate) fn quad_ginv(a: &[f64], x: &[f64]) -> f64 {
    let m = x.len();
    let mut l = a.to_vec();
    let scale = (0..m).map(|i| a[i * m + i].abs()).fold(0.0, f64::max);
    let tol = f64::EPSILON.powf(0.75) * scale.max(f64::MIN_POSITIVE);
    let mut ok = vec![true; m];
    // LDL' in place: l[i][i] = D_i, l[i][j] (i > j) = L_ij
    for j in 0..m {
        let mut dj = l[j * m + j];
        for p in 0..j {
            if ok[p] {
                dj -= l[j * m + p] * l[j * m + p] * l[p * m + p];
            }
        }
        if dj <= tol {
            ok[j] = false;
            l[j * m + j] = 0.0;
            continue;
        }
        l[j * m + j] = dj;
        for i in j + 1..m {
            let mut v = l[i * m + j];
            for p in 0..j {
                if ok[p] {
                    v -= l[i * m + p] * l[j * m + p] * l[p * m + p];
                }
            }
            l[i * m + j] = v / dj;
        }
    }
    // x' A^- x = sum_j y_j^2 / D_j with L y = x (skipped columns dropped)
    let mut y = x.to_vec();
    let mut q = 0.0;
    for j in 0..m {
        if !ok[j] {
            y[j] = 0.0;
            continue;
        }
        let mut v = y[j];
        for p in 0..j {
            if ok[p] {
                v -= l[j * m + p] * y[p];
            }
        }
        y[j] = v;
        q += v * v / l[j * m + j];
    }
    q
}

/// Upper-tail chi-square probability.
pub(crate) fn chisq_sf(x: f64, df: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(c) => c.sf(x),
        Err(_) => f64::NAN,
    }
}

/// Turns accumulated sums into the test result.
fn finish<S: AsRef<str>>(
    acc: Acc,
    n_g: &[u32],
    labels: &[S],
    rho: f64,
    n_strata: usize,
) -> Result<Logrank, SurvivalError> {
    let k = acc.k;
    let present: Vec<usize> = (0..k).filter(|&g| n_g[g] > 0).collect();
    if present.len() < 2 {
        return Err(SurvivalError::OneGroup {
            groups: present.len(),
        });
    }
    if acc.obs.iter().all(|&o| o == 0.0) && acc.exp.iter().all(|&e| e == 0.0) {
        return Err(SurvivalError::NoEvents);
    }
    let used: Vec<usize> = present
        .iter()
        .copied()
        .filter(|&g| acc.exp[g] > 0.0)
        .collect();
    if used.len() < 2 {
        return Err(SurvivalError::NoComparison { groups: used.len() });
    }
    let m = used.len() - 1;
    let u: Vec<f64> = used[1..].iter().map(|&g| acc.obs[g] - acc.exp[g]).collect();
    let mut v = vec![0.0; m * m];
    for (a, &ga) in used[1..].iter().enumerate() {
        for (b, &gb) in used[1..].iter().enumerate() {
            v[a * m + b] = acc.var[ga * k + gb];
        }
    }
    let statistic = quad_ginv(&v, &u);
    let df = m;
    Ok(Logrank {
        statistic,
        df,
        p: chisq_sf(statistic, df as f64),
        rho,
        n_strata,
        groups: present
            .iter()
            .map(|&g| LogrankGroup {
                group: labels[g].as_ref().to_string(),
                n: n_g[g],
                observed: acc.obs[g],
                expected: acc.exp[g],
            })
            .collect(),
        variance: present
            .iter()
            .map(|&a| present.iter().map(|&b| acc.var[a * k + b]).collect())
            .collect(),
    })
}

fn check_opts(opts: &LogrankOptions) -> Result<(), SurvivalError> {
    if !opts.rho.is_finite() {
        return Err(SurvivalError::BadOption {
            what: "rho",
            value: opts.rho,
            reason: "the weight exponent must be finite (0: log-rank, 1: Peto-Peto)",
        });
    }
    Ok(())
}

/// Log-rank (G-rho) test of data sorted once ([`SortedSurv`]); `labels[g]`
/// names group `g`.
///
/// # Errors
///
/// [`SurvivalError::LengthMismatch`] (labels), [`SurvivalError::BadOption`]
/// (non-finite rho), [`SurvivalError::OneGroup`] (fewer than two non-empty
/// groups), [`SurvivalError::NoEvents`], [`SurvivalError::NoComparison`].
///
/// # Example
///
/// ```
/// use oncomark_survival::logrank::{logrank_sorted, LogrankOptions};
/// use oncomark_survival::order::SortedSurv;
/// let s = SortedSurv::new(&[1.0, 2.0, 3.0, 4.0], &[true; 4], &[0, 0, 1, 1], 2)?;
/// let r = logrank_sorted(&s, &["a", "b"], &LogrankOptions::default())?;
/// assert_eq!(r.df, 1);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn logrank_sorted<S: AsRef<str>>(
    sorted: &SortedSurv,
    labels: &[S],
    opts: &LogrankOptions,
) -> Result<Logrank, SurvivalError> {
    check_opts(opts)?;
    let k = sorted.n_groups;
    if labels.len() != k {
        return Err(SurvivalError::LengthMismatch {
            what: "labels",
            got: labels.len(),
            expected: k,
        });
    }
    let mut acc = Acc::new(k);
    accumulate(&sorted.time, &sorted.code, opts.rho, &mut acc);
    finish(acc, &sorted.n_per_group, labels, opts.rho, 1)
}

/// k-sample log-rank (G-rho) test: `group[i] < labels.len()` is the group of
/// subject `i` (formulas in the [module docs](self); R `survdiff(Surv(time,
/// event) ~ group, rho = rho)`).
///
/// # Errors
///
/// Input errors ([`SurvivalError::Empty`], [`SurvivalError::LengthMismatch`],
/// [`SurvivalError::NonFinite`], [`SurvivalError::NegativeTime`],
/// [`SurvivalError::GroupOutOfRange`]) and those of [`logrank_sorted`].
///
/// # Example
///
/// ```
/// use oncomark_survival::logrank::{logrank, LogrankOptions};
/// // Two groups, one death each at distinct times, all at risk: by hand,
/// // t=1: n=4 (2,2), d=1 -> E_a += 1/2, V += 1*3/(4*3)*2*(1-2/4) = 1/4
/// // t=2: n=3 (1,2) d=1 (group a) -> E_a += 1/3, V += 1*2/(3*2)*1*(1-1/3) = 2/9
/// let r = logrank(&[1.0, 2.0, 5.0, 6.0], &[true, true, false, false], &[0, 0, 1, 1],
///                 &["a", "b"], &LogrankOptions::default())?;
/// let o_e = 2.0 - (0.5 + 1.0 / 3.0);
/// let v = 0.25 + 2.0 / 9.0;
/// assert!((r.statistic - o_e * o_e / v).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn logrank<S: AsRef<str>>(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    labels: &[S],
    opts: &LogrankOptions,
) -> Result<Logrank, SurvivalError> {
    check_opts(opts)?;
    let sorted = SortedSurv::new(time, event, group, labels.len())?;
    logrank_sorted(&sorted, labels, opts)
}

/// Stratified log-rank (G-rho) test: `O`, `E` and `V` are computed within
/// each stratum (`strata[i]`, any `u32` codes) and summed before the
/// statistic is formed (R `survdiff(Surv(time, event) ~ group +
/// strata(s))`). The weights `S(t-)^rho` use the Kaplan-Meier curve of each
/// stratum. The tie rule applies to all times together, as R's.
///
/// # Errors
///
/// As [`logrank`], and [`SurvivalError::LengthMismatch`] for `strata`.
///
/// # Example
///
/// ```
/// use oncomark_survival::logrank::{logrank, logrank_stratified, LogrankOptions};
/// let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let e = [true; 6];
/// let g = [0, 1, 0, 1, 1, 0];
/// let one = logrank(&t, &e, &g, &["a", "b"], &LogrankOptions::default())?;
/// let same = logrank_stratified(&t, &e, &g, &["a", "b"], &[7; 6], &LogrankOptions::default())?;
/// assert!((one.statistic - same.statistic).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn logrank_stratified<S: AsRef<str>>(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    labels: &[S],
    strata: &[u32],
    opts: &LogrankOptions,
) -> Result<Logrank, SurvivalError> {
    check_opts(opts)?;
    validate_time_event(time, event)?;
    let k = labels.len();
    validate_groups(group, time.len(), k)?;
    if strata.len() != time.len() {
        return Err(SurvivalError::LengthMismatch {
            what: "strata",
            got: strata.len(),
            expected: time.len(),
        });
    }
    let n = time.len();
    // dense stratum codes
    let mut levels: Vec<u32> = strata.to_vec();
    levels.sort_unstable();
    levels.dedup();
    let s_of = |i: usize| levels.partition_point(|&l| l < strata[i]);
    // one global sort, tie rule over all times
    let mut keys: Vec<u64> = time.iter().map(|&x| f64_key(x)).collect();
    let mut idx: Vec<u32> = (0..n as u32).collect();
    sort_keys_with_payload(&mut keys, &mut idx);
    let mut t: Vec<f64> = keys.iter().map(|&x| key_f64(x)).collect();
    drop(keys);
    merge_tied_times(&mut t);
    // stable counting sort of sorted rows by stratum
    let ns = levels.len();
    let sid: Vec<usize> = idx.iter().map(|&i| s_of(i as usize)).collect();
    let mut start = vec![0usize; ns + 1];
    for &s in &sid {
        start[s + 1] += 1;
    }
    for s in 0..ns {
        start[s + 1] += start[s];
    }
    let mut pos = start.clone();
    let mut ts = vec![0.0; n];
    let mut cs = vec![0u32; n];
    for (j, &i) in idx.iter().enumerate() {
        let s = sid[j];
        let p = pos[s];
        ts[p] = t[j];
        cs[p] = (group[i as usize] << 1) | event[i as usize] as u32;
        pos[s] = p + 1;
    }
    let mut n_g = vec![0u32; k];
    for &g in group {
        n_g[g as usize] += 1;
    }
    let mut acc = Acc::new(k);
    for s in 0..ns {
        let r = start[s]..start[s + 1];
        accumulate(&ts[r.clone()], &cs[r], opts.rho, &mut acc);
    }
    finish(acc, &n_g, labels, opts.rho, ns)
}

impl Logrank {
    /// Test for trend over the groups of this test, in their order, with
    /// `scores` (default `1, 2, ..., k`): `(w'(O - E))^2 / (w'Vw)` on 1 df
    /// (see the [module docs](self)). Stratified and weighted tests give
    /// the stratified and weighted trend tests.
    ///
    /// # Errors
    ///
    /// [`SurvivalError::LengthMismatch`] when `scores` does not have one
    /// value per group; [`SurvivalError::BadScores`] when a score is not
    /// finite or `w'Vw` is 0 (constant scores).
    ///
    /// # Example
    ///
    /// ```
    /// use oncomark_survival::logrank::{logrank, LogrankOptions};
    /// let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    /// let r = logrank(&t, &[true; 6], &[0, 0, 1, 1, 2, 2], &["lo", "mid", "hi"], &LogrankOptions::default())?;
    /// let tr = r.trend(None)?;
    /// assert!(tr.z < 0.0); // later groups die later: fewer deaths than expected
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn trend(&self, scores: Option<&[f64]>) -> Result<LogrankTrend, SurvivalError> {
        let m = self.groups.len();
        let w: Vec<f64> = match scores {
            Some(s) => {
                if s.len() != m {
                    return Err(SurvivalError::LengthMismatch {
                        what: "scores",
                        got: s.len(),
                        expected: m,
                    });
                }
                if let Some(i) = s.iter().position(|x| !x.is_finite()) {
                    return Err(SurvivalError::BadScores {
                        reason: format!("score {} = {} is not finite", i, s[i]),
                    });
                }
                s.to_vec()
            }
            None => (1..=m).map(|i| i as f64).collect(),
        };
        let num: f64 = self
            .groups
            .iter()
            .zip(&w)
            .map(|(g, &wi)| wi * (g.observed - g.expected))
            .sum();
        let mut den = 0.0;
        for a in 0..m {
            for b in 0..m {
                den += w[a] * self.variance[a][b] * w[b];
            }
        }
        let scale: f64 = w.iter().map(|x| x * x).sum::<f64>()
            * self
                .variance
                .iter()
                .enumerate()
                .map(|(i, r)| r[i].abs())
                .fold(0.0, f64::max);
        if den.is_nan() || den <= 1e-12 * scale {
            return Err(SurvivalError::BadScores {
                reason: "w'Vw is 0: the scores are constant over the groups compared".into(),
            });
        }
        let statistic = num * num / den;
        Ok(LogrankTrend {
            statistic,
            df: 1,
            p: chisq_sf(statistic, 1.0),
            z: num / den.sqrt(),
            scores: w,
            rho: self.rho,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ginv_quadratic_form() {
        // A = [[2, 1], [1, 2]], x = [1, 1]: A^-1 x = [1/3, 1/3], x'A^-1x = 2/3
        assert!((quad_ginv(&[2.0, 1.0, 1.0, 2.0], &[1.0, 1.0]) - 2.0 / 3.0).abs() < 1e-14);
        // singular A = [[1, 1], [1, 1]], x in its range: x = [1, 1] -> 1
        assert!((quad_ginv(&[1.0, 1.0, 1.0, 1.0], &[1.0, 1.0]) - 1.0).abs() < 1e-14);
    }
}
