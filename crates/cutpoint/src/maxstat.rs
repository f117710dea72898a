//! Maximally selected two-sample statistics over the cutpoints of a
//! continuous marker (Lausen & Schumacher 1992; R `maxstat.test`).

use serde::Serialize;

use crate::data::SortedSurvival;
use crate::scores::{gehan_scores, logrank_scores_maxstat, logrank_scores_na};
use crate::CutpointError;

/// Which two-sample statistic is computed at each candidate split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SplitStatistic {
    /// R `maxstat`'s standardized log-rank statistic: the sum of
    /// [`logrank_scores_maxstat`] over the low group, centred and scaled by
    /// its permutation (conditional) mean and variance. This is *not* the
    /// square root of the `survdiff` chi-square.
    #[default]
    #[serde(rename = "logrank")]
    LogRank,
    /// The same construction with Gehan (generalized Wilcoxon) scores.
    Gehan,
    /// The Cox score test for the dichotomized marker (= the `survdiff`
    /// log-rank test with its hypergeometric variance), reported as
    /// `|O − E| / sqrt(V)`. Its Lau92, Lau94 and exact-Gauss P values rest
    /// on the same Brownian-bridge limit, which holds for it only
    /// asymptotically; its permutation P value is exact.
    CoxScore,
}

impl SplitStatistic {
    /// Name used in messages and output.
    pub fn name(self) -> &'static str {
        match self {
            SplitStatistic::LogRank => "logrank",
            SplitStatistic::Gehan => "gehan",
            SplitStatistic::CoxScore => "cox_score",
        }
    }

    /// Whether the statistic is a linear rank statistic (a sum of fixed
    /// scores with permutation variance), which exact methods need.
    pub fn is_linear(self) -> bool {
        !matches!(self, SplitStatistic::CoxScore)
    }
}

/// Options of a cutpoint search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MaxstatOptions {
    /// The statistic at each split.
    pub statistic: SplitStatistic,
    /// Smallest proportion of patients in the low group (R `minprop`).
    pub min_prop: f64,
    /// Largest proportion of patients in the low group (R `maxprop`).
    pub max_prop: f64,
}

impl Default for MaxstatOptions {
    /// R's defaults: log-rank, `minprop = 0.1`, `maxprop = 0.9`.
    fn default() -> Self {
        Self {
            statistic: SplitStatistic::LogRank,
            min_prop: 0.1,
            max_prop: 0.9,
        }
    }
}

impl MaxstatOptions {
    fn check(&self) -> Result<(), CutpointError> {
        if !(self.min_prop >= 0.0 && self.min_prop <= self.max_prop && self.max_prop <= 1.0) {
            return Err(CutpointError::BadProportions {
                min_prop: self.min_prop,
                max_prop: self.max_prop,
                reason: "need 0 <= min_prop <= max_prop <= 1 (R's default is 0.1 and 0.9)",
            });
        }
        Ok(())
    }
}

/// One candidate split of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SplitPoint {
    /// Cutpoint: patients with marker `<= cut` form the low group.
    pub cut: f64,
    /// Patients in the low group.
    pub n_low: usize,
    /// Standardized statistic at this split (absolute value).
    pub statistic: f64,
}

/// A maximally selected statistic: the best cutpoint, its statistic and
/// the whole profile. P values are methods of this value (see
/// [`Maxstat::p_lau94`] and friends) so that the search runs once.
#[derive(Debug, Clone, Serialize)]
pub struct Maxstat {
    /// The statistic computed at each split.
    pub statistic_kind: SplitStatistic,
    /// Patients analysed (non-missing marker).
    pub n: usize,
    /// Patients dropped because their marker is missing (NaN).
    pub n_missing: usize,
    /// Events among the patients analysed.
    pub events: usize,
    /// Smallest low-group proportion searched.
    pub min_prop: f64,
    /// Largest low-group proportion searched.
    pub max_prop: f64,
    /// The first maximizing cutpoint; low = marker `<= cutpoint`.
    pub cutpoint: f64,
    /// The maximum of the standardized statistics.
    pub statistic: f64,
    /// Patients in the low group at the cutpoint.
    pub n_low: usize,
    /// Every candidate split searched, in increasing cutpoint order.
    pub splits: Vec<SplitPoint>,
    #[serde(skip)]
    pub(crate) inner: Inner,
}

/// What the P-value methods need after the search.
#[derive(Debug, Clone)]
pub(crate) struct Inner {
    /// The time-sorted data analysed.
    pub(crate) surv: SortedSurvival,
    /// Time-sorted position of the k-th smallest marker value.
    pub(crate) pos_by_marker: Vec<u32>,
    /// Scores in time order (linear statistics; for CoxScore the NA scores).
    pub(crate) scores_time: Vec<f64>,
    /// Scores in marker order (linear statistics).
    pub(crate) scores_marker: Vec<f64>,
    /// Low-group sizes of the candidate splits.
    pub(crate) sizes: Vec<usize>,
    /// Expectations of the low-group score sums (linear statistics).
    pub(crate) expect: Vec<f64>,
    /// Standard deviations of the low-group score sums (linear statistics).
    pub(crate) sd: Vec<f64>,
    /// The marker values in increasing order.
    pub(crate) marker_sorted: Vec<f64>,
}

/// Searches the cutpoints of `marker` for the split that maximizes the
/// standardized two-sample statistic, as R
/// `maxstat.test(Surv(time, event) ~ marker, smethod = "LogRank")`.
///
/// # Definition
/// Sort patients by the marker, `x_(1) ≤ … ≤ x_(n)`. A candidate split puts
/// the `m` patients with the smallest values in the low group; `m` ranges
/// over the sizes at which the marker value changes (ties are never
/// separated) with `max(1, ⌊n ε₁⌋) ≤ m ≤ ⌊n ε₂⌋`. For a linear statistic
/// with scores `a_i` (see [`crate::scores`]) the low-group sum
/// `S_m = Σ_{i ≤ m} a_(i)` has permutation mean and variance
///
/// ```text
/// E_m = m ā,   V_m = m (n − m) / (n (n − 1)) Σ (a_i − ā)²,
/// ```
///
/// and the standardized statistic is `T_m = |S_m − E_m| / sqrt(V_m)`. The
/// reported statistic is `M = max_m T_m` and the cutpoint is `x_(m*)` for
/// the *first* maximizing `m*` (R `maxstat`'s estimate). For
/// [`SplitStatistic::CoxScore`], `T_m` is `|O − E|/sqrt(V)` of the
/// `survdiff` log-rank test instead, computed for all splits in
/// O(n log n) with Fenwick trees.
///
/// Patients with a missing (NaN) marker are dropped and counted in
/// `n_missing`.
///
/// R differences: with `min_prop = 0` and `max_prop = 1`, R drops the
/// last split (the one leaving only the largest value high); we keep it.
///
/// References: Lausen B, Schumacher M (1992) "Maximally selected rank
/// statistics", Biometrics 48:73-85; Hothorn T, Lausen B (2003) "On the
/// exact distribution of maximally selected rank statistics", Comput Stat
/// Data Anal 43:121-137.
///
/// # Errors
/// Those of [`SortedSurvival::new`]; [`CutpointError::LengthMismatch`] if
/// `marker` is not parallel to `time`; [`CutpointError::NonFinite`] for an
/// infinite marker value; [`CutpointError::BadProportions`];
/// [`CutpointError::ConstantMarker`]; [`CutpointError::NoSplits`] when no
/// split lies in the allowed range; [`CutpointError::ZeroVariance`] when
/// all scores are equal.
///
/// # Example
/// ```
/// use oncomark_cutpoint::{maxstat, MaxstatOptions};
/// let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
/// let event = [true, true, true, false, true, true, false, true, true, false];
/// let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
/// let m = maxstat(&time, &event, &marker, &MaxstatOptions::default())?;
/// assert_eq!(m.splits.len(), 9); // sizes 1..=9
/// assert!(m.statistic >= m.splits.iter().map(|s| s.statistic).fold(0.0, f64::max) - 1e-15);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn maxstat(
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    opts: &MaxstatOptions,
) -> Result<Maxstat, CutpointError> {
    let s = SortedSurvival::new(time, event)?;
    if marker.len() != time.len() {
        return Err(CutpointError::LengthMismatch {
            what: "marker",
            got: marker.len(),
            expected: time.len(),
        });
    }
    maxstat_sorted(&s, marker, opts)
}

/// [`maxstat`] on data already checked and sorted by time; `marker` is
/// indexed by input row (as the `time` given to [`SortedSurvival::new`]).
///
/// # Errors
/// As [`maxstat`].
///
/// # Example
/// ```
/// use oncomark_cutpoint::{maxstat_sorted, MaxstatOptions, SortedSurvival};
/// let s = SortedSurvival::new(&[5.0, 8.0, 3.0, 12.0, 2.0, 9.0], &[true; 6])?;
/// let m = maxstat_sorted(&s, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &MaxstatOptions::default())?;
/// assert_eq!(m.n, 6);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn maxstat_sorted(
    s: &SortedSurvival,
    marker: &[f64],
    opts: &MaxstatOptions,
) -> Result<Maxstat, CutpointError> {
    opts.check()?;
    if marker.len() < s.row_span() {
        return Err(CutpointError::LengthMismatch {
            what: "marker",
            got: marker.len(),
            expected: s.row_span(),
        });
    }
    let mut n_missing = 0;
    for &r in &s.order {
        let v = marker[r as usize];
        if v.is_nan() {
            n_missing += 1;
        } else if !v.is_finite() {
            return Err(CutpointError::NonFinite {
                what: "marker",
                index: r as usize,
                value: v,
            });
        }
    }
    let owned;
    let s = if n_missing > 0 {
        owned = s.subset(|r| !marker[r].is_nan())?;
        &owned
    } else {
        s
    };
    let x_time = s.gather(marker);
    let mut m = search(s, &x_time, opts)?;
    m.n_missing = n_missing;
    Ok(m)
}

/// The search on a checked, NaN-free sample; `x_time` is the marker in time
/// order.
pub(crate) fn search(
    s: &SortedSurvival,
    x_time: &[f64],
    opts: &MaxstatOptions,
) -> Result<Maxstat, CutpointError> {
    let scores_time = match opts.statistic {
        SplitStatistic::LogRank => logrank_scores_maxstat(s),
        SplitStatistic::Gehan => gehan_scores(s),
        SplitStatistic::CoxScore => logrank_scores_na(s),
    };
    search_with_scores(s, x_time, scores_time, opts)
}

/// As [`search`] with the scores already computed (the screen shares them).
pub(crate) fn search_with_scores(
    s: &SortedSurvival,
    x_time: &[f64],
    scores_time: Vec<f64>,
    opts: &MaxstatOptions,
) -> Result<Maxstat, CutpointError> {
    let n = s.n();
    let mut pos_by_marker: Vec<u32> = (0..n as u32).collect();
    pos_by_marker.sort_by(|&a, &b| x_time[a as usize].total_cmp(&x_time[b as usize]));
    let marker_sorted: Vec<f64> = pos_by_marker.iter().map(|&p| x_time[p as usize]).collect();
    let sizes = candidate_sizes(&marker_sorted, opts.min_prop, opts.max_prop)?;

    let scores_marker: Vec<f64> = pos_by_marker
        .iter()
        .map(|&p| scores_time[p as usize])
        .collect();
    let (stats, expect, sd) = match opts.statistic {
        SplitStatistic::LogRank | SplitStatistic::Gehan => {
            let (e, v) = moments(&scores_marker, &sizes)?;
            let stats = linear_stats(&scores_marker, &sizes, &e, &v);
            (stats, e, v)
        }
        SplitStatistic::CoxScore => {
            let k = CoxScoreKernel::new(s, &scores_time);
            (k.stats(&pos_by_marker, &sizes), Vec::new(), Vec::new())
        }
    };
    let (best, statistic) = first_max(&stats);
    let splits: Vec<SplitPoint> = sizes
        .iter()
        .zip(&stats)
        .map(|(&m, &t)| SplitPoint {
            cut: marker_sorted[m - 1],
            n_low: m,
            statistic: t,
        })
        .collect();
    Ok(Maxstat {
        statistic_kind: opts.statistic,
        n,
        n_missing: 0,
        events: s.events(),
        min_prop: opts.min_prop,
        max_prop: opts.max_prop,
        cutpoint: splits[best].cut,
        statistic,
        n_low: splits[best].n_low,
        splits,
        inner: Inner {
            surv: s.clone(),
            pos_by_marker,
            scores_time,
            scores_marker,
            sizes,
            expect,
            sd,
            marker_sorted,
        },
    })
}

/// Index and value of the first maximum (NaN never wins).
pub(crate) fn first_max(v: &[f64]) -> (usize, f64) {
    let mut best = 0;
    let mut val = f64::NEG_INFINITY;
    for (i, &t) in v.iter().enumerate() {
        if t > val {
            val = t;
            best = i;
        }
    }
    (best, val)
}

/// Low-group sizes of the candidate splits of a sorted marker, as R
/// `maxstat` counts them: the sizes at which the value changes, within
/// `[max(1, ⌊n ε₁⌋), ⌊n ε₂⌋]`.
pub(crate) fn candidate_sizes(
    sorted: &[f64],
    min_prop: f64,
    max_prop: f64,
) -> Result<Vec<usize>, CutpointError> {
    let n = sorted.len();
    if n < 2 {
        return Err(CutpointError::TooFew { n, min: 2 });
    }
    if sorted[0] == sorted[n - 1] {
        return Err(CutpointError::ConstantMarker {
            value: sorted[0],
            n,
        });
    }
    let lo = ((n as f64 * min_prop).floor() as usize).max(1);
    let hi = ((n as f64 * max_prop).floor() as usize).min(n - 1);
    let sizes: Vec<usize> = (1..n)
        .filter(|&k| sorted[k] != sorted[k - 1] && k >= lo && k <= hi)
        .collect();
    if sizes.is_empty() {
        let distinct = 1 + (1..n).filter(|&k| sorted[k] != sorted[k - 1]).count();
        return Err(CutpointError::NoSplits {
            lo,
            hi,
            n,
            distinct,
        });
    }
    Ok(sizes)
}

/// Permutation means and standard deviations of the low-group sums.
pub(crate) fn moments(
    scores: &[f64],
    sizes: &[usize],
) -> Result<(Vec<f64>, Vec<f64>), CutpointError> {
    let n = scores.len();
    let nf = n as f64;
    let mean = scores.iter().sum::<f64>() / nf;
    let ss: f64 = scores.iter().map(|a| (a - mean) * (a - mean)).sum();
    if ss.is_nan() || ss <= 0.0 {
        return Err(CutpointError::ZeroVariance { n });
    }
    let e = sizes.iter().map(|&m| m as f64 * mean).collect();
    let sd = sizes
        .iter()
        .map(|&m| {
            let m = m as f64;
            (m * (nf - m) / (nf * (nf - 1.0)) * ss).sqrt()
        })
        .collect();
    Ok((e, sd))
}

/// `|S_m − E_m| / sd_m` for each size, from scores in marker order.
pub(crate) fn linear_stats(scores: &[f64], sizes: &[usize], e: &[f64], sd: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(sizes.len());
    let mut acc = 0.0;
    let mut k = 0;
    for (j, &m) in sizes.iter().enumerate() {
        while k < m {
            acc += scores[k];
            k += 1;
        }
        out.push(((acc - e[j]) / sd[j]).abs());
    }
    out
}

/// The `survdiff` log-rank statistic for every split, by adding patients
/// to the low group one at a time.
///
/// With event-time groups `t`, `w_t = d_t (R_t − d_t)/(R_t − 1)`, and
/// `r_t` the low-group patients at risk, `V = Σ_t w_t (r_t/R_t)(1 − r_t/R_t)`.
/// Adding a patient whose time lies in group `g` raises `r_t` by one for
/// `t ≤ g`, so `ΔV = A(g) − B(g) − 2 Σ_{j ∈ low} B(min(g, g_j))` with the
/// cumulative sums `A(g) = Σ_{t≤g} w_t/R_t`, `B(g) = Σ_{t≤g} w_t/R_t²`; the
/// last sum is two Fenwick-tree queries.
pub(crate) struct CoxScoreKernel<'a> {
    s: &'a SortedSurvival,
    u: &'a [f64],
    ca: Vec<f64>,
    cb: Vec<f64>,
}

impl<'a> CoxScoreKernel<'a> {
    pub(crate) fn new(s: &'a SortedSurvival, u: &'a [f64]) -> Self {
        let n = s.n();
        let ng = s.n_groups();
        let mut ca = Vec::with_capacity(ng);
        let mut cb = Vec::with_capacity(ng);
        let (mut a_acc, mut b_acc) = (0.0, 0.0);
        for g in 0..ng {
            let (a, b) = s.group(g);
            let d = s.event[a..b].iter().filter(|&&e| e).count() as f64;
            let r = (n - a) as f64;
            let w = if r > 1.0 {
                d * (r - d) / (r - 1.0)
            } else {
                0.0
            };
            a_acc += w / r;
            b_acc += w / (r * r);
            ca.push(a_acc);
            cb.push(b_acc);
        }
        Self { s, u, ca, cb }
    }

    /// Statistics at each size, adding patients in the order `pos` (time
    /// positions).
    pub(crate) fn stats(&self, pos: &[u32], sizes: &[usize]) -> Vec<f64> {
        let ng = self.s.n_groups();
        let mut f_cb = Fenwick::new(ng);
        let mut f_cnt = Fenwick::new(ng);
        let (mut oe, mut v) = (0.0, 0.0);
        let mut out = Vec::with_capacity(sizes.len());
        let mut k = 0usize;
        for &m in sizes {
            while k < m {
                let p = pos[k] as usize;
                let g = self.s.group_of[p] as usize;
                let below = f_cb.prefix(g);
                let above = k as f64 - f_cnt.prefix(g);
                v += self.ca[g] - self.cb[g] - 2.0 * (below + self.cb[g] * above);
                f_cb.add(g, self.cb[g]);
                f_cnt.add(g, 1.0);
                oe += self.u[p];
                k += 1;
            }
            out.push(if v > 0.0 { oe.abs() / v.sqrt() } else { 0.0 });
        }
        out
    }
}

/// A Fenwick (binary indexed) tree of sums.
struct Fenwick {
    t: Vec<f64>,
}

impl Fenwick {
    fn new(n: usize) -> Self {
        Self {
            t: vec![0.0; n + 1],
        }
    }
    fn add(&mut self, i: usize, v: f64) {
        let mut i = i + 1;
        while i < self.t.len() {
            self.t[i] += v;
            i += i & i.wrapping_neg();
        }
    }
    /// Sum of entries `0..=i`.
    fn prefix(&self, i: usize) -> f64 {
        let mut i = i + 1;
        let mut s = 0.0;
        while i > 0 {
            s += self.t[i];
            i -= i & i.wrapping_neg();
        }
        s
    }
}
