//! Survival scores: one number per patient whose sum over a group is a
//! two-sample statistic.
//!
//! A maximally selected rank statistic (Lausen & Schumacher 1992) sums the
//! scores of the patients whose marker lies at or below a cutpoint. Three
//! score sets are offered; all are computed in time order in O(n) once the
//! times are sorted, and all are oriented so that an early death gives a
//! large score (a positive statistic means a worse prognosis in the low
//! group).

use crate::data::SortedSurvival;

/// Log-rank scores exactly as R `maxstat` (through `exactRankTests::cscores`,
/// `type = "LogRank"`) computes them.
///
/// With patients sorted by time and `r_i` the number of patients whose time
/// is at most `t_i` (the *largest* rank within a tie),
///
/// ```text
/// a_i = δ_i − Σ_{j : t_j ≤ t_i} δ_j / (n − r_j + 1).
/// ```
///
/// Without ties this is the event indicator minus the Nelson-Aalen
/// cumulative hazard. With `d` tied events among `R` patients at risk, each
/// of them contributes `1/(R − d + 1)` rather than Nelson-Aalen's `1/R`:
/// that is maxstat's tie handling (Hothorn & Lausen 2003, section 2), and it
/// is what makes our statistics equal R's on data with tied times.
///
/// Returned in time order (the order of `s`).
///
/// # Example
/// ```
/// use oncomark_cutpoint::{scores::logrank_scores_maxstat, SortedSurvival};
/// // times 1, 2, 2, 3 with events at 1 and at both 2s
/// let s = SortedSurvival::new(&[1.0, 2.0, 2.0, 3.0], &[true, true, true, false])?;
/// let a = logrank_scores_maxstat(&s);
/// // H(1) = 1/4; H(2) = 1/4 + 2/(4 - 3 + 1) = 1.25
/// let want = [0.75, -0.25, -0.25, -1.25];
/// for (x, y) in a.iter().zip(want) { assert!((x - y).abs() < 1e-12); }
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn logrank_scores_maxstat(s: &SortedSurvival) -> Vec<f64> {
    let n = s.n();
    let mut out = vec![0.0; n];
    let mut h = 0.0;
    for g in 0..s.n_groups() {
        let (a, b) = s.group(g);
        let d = s.event[a..b].iter().filter(|&&e| e).count();
        // r = b (1-based largest rank of the group); n - r + 1 = n - b + 1
        h += d as f64 / (n - b + 1) as f64;
        for k in a..b {
            out[k] = f64::from(u8::from(s.event[k])) - h;
        }
    }
    out
}

/// Log-rank scores with Nelson-Aalen tie handling: the scores whose group
/// sum is the observed-minus-expected count of R `survdiff` (and the Cox
/// score for a binary covariate with Breslow ties),
///
/// ```text
/// u_i = δ_i − Σ_{event times t ≤ t_i} d_t / R_t.
/// ```
///
/// Returned in time order. Reference: Peto & Peto (1972); Klein &
/// Moeschberger (2003), section 7.3.
///
/// # Example
/// ```
/// use oncomark_cutpoint::{scores::logrank_scores_na, SortedSurvival};
/// let s = SortedSurvival::new(&[1.0, 2.0, 2.0, 3.0], &[true, true, true, false])?;
/// let u = logrank_scores_na(&s);
/// // H(1) = 1/4; H(2) = 1/4 + 2/3
/// let h2 = 0.25 + 2.0 / 3.0;
/// let want = [0.75, 1.0 - h2, 1.0 - h2, -h2];
/// for (x, y) in u.iter().zip(want) { assert!((x - y).abs() < 1e-12); }
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn logrank_scores_na(s: &SortedSurvival) -> Vec<f64> {
    let n = s.n();
    let mut out = vec![0.0; n];
    let mut h = 0.0;
    for g in 0..s.n_groups() {
        let (a, b) = s.group(g);
        let d = s.event[a..b].iter().filter(|&&e| e).count();
        h += d as f64 / (n - a) as f64;
        for k in a..b {
            out[k] = f64::from(u8::from(s.event[k])) - h;
        }
    }
    out
}

/// Gehan (generalized Wilcoxon) scores: for each patient, the number of
/// patients known to outlive them minus the number known to die before
/// them,
///
/// ```text
/// g_i = Σ_j [ 1(i dies before j is known) − 1(j dies before i is known) ],
/// ```
///
/// where "i dies before j is known" means `δ_i = 1` and either `t_i < t_j`,
/// or `t_i = t_j` with `j` censored (a censoring tied with a death is taken
/// to happen after it). Scores sum to zero. Reference: Gehan (1965),
/// Biometrika 52:203-223; Mantel (1967).
///
/// Returned in time order.
///
/// # Example
/// ```
/// use oncomark_cutpoint::{scores::gehan_scores, SortedSurvival};
/// let s = SortedSurvival::new(&[1.0, 2.0, 2.0, 3.0], &[true, true, false, true])?;
/// // patient at 1 dies before all 3 others; the death at 2 precedes the
/// // censoring at 2 and the death at 3; the censoring at 2 follows 2 deaths.
/// assert_eq!(gehan_scores(&s), vec![3.0, 1.0, -2.0, -2.0]);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn gehan_scores(s: &SortedSurvival) -> Vec<f64> {
    let n = s.n();
    let mut out = vec![0.0; n];
    let mut events_before = 0usize;
    for g in 0..s.n_groups() {
        let (a, b) = s.group(g);
        let d = s.event[a..b].iter().filter(|&&e| e).count();
        let c = (b - a) - d;
        let later = n - b;
        for k in a..b {
            out[k] = if s.event[k] {
                (later + c) as f64 - events_before as f64
            } else {
                -((events_before + d) as f64)
            };
        }
        events_before += d;
    }
    out
}
