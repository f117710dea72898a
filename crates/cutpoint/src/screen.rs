//! Many-marker survival screens: per marker, the Cox hazard ratio per
//! standard deviation, the hazard ratio and log-rank P at the median and
//! the quartiles, the best cutpoint within the quartile range with its
//! corrected (Lau94) P value, and Benjamini-Hochberg q values across
//! markers.
//!
//! # Cost
//! The times are sorted once and the log-rank scores computed once; each
//! marker then needs its values gathered into the time order, one sort of
//! its values, a few O(n) passes (Cox Newton iterations, log-rank tests,
//! the cumulative score sums over the splits). Markers run in parallel
//! (rayon); each worker holds one marker column and O(n) scratch, and the
//! output is the same whatever the thread count. A marker with missing
//! values uses the time-sorted subset of its patients (no new sort) and
//! recomputes the scores on it.
//!
//! # What KM-plotter-style "best cutpoint" means here
//! Searching every cutpoint between the lower and the upper quartile and
//! reporting the smallest log-rank P (Lánczky & Győrffy 2021, J Med
//! Internet Res 23:e27633) overstates significance. This screen reports
//! the same search as a maximally selected log-rank statistic
//! (`min_prop = 0.25`, `max_prop = 0.75` by default) with its Lau94 P value,
//! which accounts for the search; the raw minimum P is not reported.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::data::SortedSurvival;
use crate::maxstat::{candidate_sizes, first_max, linear_stats, moments};
use crate::pvalue::lausen94_unchecked;
use crate::scores::logrank_scores_maxstat;
use crate::twogroup::{cox_efron, cox_efron_table, dichotomy_table_cut, logrank_table};
use crate::validate::quantile7;
use crate::CutpointError;

/// A provider of marker columns, one at a time.
///
/// `fill(j, out)` writes the values of marker `j` for every patient, in the
/// row order of the `time` given to [`screen`]; NaN marks a missing value.
/// It is called once per marker, possibly from several threads at once, so
/// only one column per worker thread is alive at any time.
pub trait MarkerSource: Sync {
    /// Number of markers.
    fn n_markers(&self) -> usize;
    /// Name of marker `j`.
    fn name(&self, j: usize) -> String;
    /// Writes marker `j` into `out` (length: the number of patients).
    fn fill(&self, j: usize, out: &mut [f64]);
    /// Checks, before any work, that the source fits `n_patients`
    /// patients (the default accepts everything).
    ///
    /// # Errors
    /// Whatever the source finds wrong, e.g.
    /// [`CutpointError::LengthMismatch`] for a column of the wrong length.
    fn validate(&self, n_patients: usize) -> Result<(), CutpointError> {
        let _ = n_patients;
        Ok(())
    }
}

/// Markers held in memory as columns.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a, C: AsRef<[f64]> + Sync> {
    /// Marker names.
    pub names: &'a [String],
    /// One column per marker, each with one value per patient.
    pub columns: &'a [C],
}

impl<C: AsRef<[f64]> + Sync> MarkerSource for Columns<'_, C> {
    fn n_markers(&self) -> usize {
        self.columns.len()
    }
    fn name(&self, j: usize) -> String {
        self.names
            .get(j)
            .cloned()
            .unwrap_or_else(|| format!("marker{}", j + 1))
    }
    fn fill(&self, j: usize, out: &mut [f64]) {
        let c = self.columns[j].as_ref();
        // lengths are checked by `validate`; a short column reads as missing
        for (o, v) in out
            .iter_mut()
            .zip(c.iter().chain(std::iter::repeat(&f64::NAN)))
        {
            *o = *v;
        }
    }
    fn validate(&self, n_patients: usize) -> Result<(), CutpointError> {
        match self.columns.iter().find(|c| c.as_ref().len() != n_patients) {
            Some(c) => Err(CutpointError::LengthMismatch {
                what: "marker column",
                got: c.as_ref().len(),
                expected: n_patients,
            }),
            None => Ok(()),
        }
    }
}

/// Options of [`screen`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenOptions {
    /// Smallest low-group proportion of the best-cutpoint search.
    pub min_prop: f64,
    /// Largest low-group proportion of the best-cutpoint search.
    pub max_prop: f64,
    /// Confidence level of hazard-ratio intervals.
    pub conf_level: f64,
    /// Markers with fewer patients than this (after dropping missing
    /// values) get an empty row with a note.
    pub min_patients: usize,
}

impl Default for ScreenOptions {
    /// The quartile range (0.25 to 0.75, as KM-plotter), 95% intervals, at
    /// least 10 patients.
    fn default() -> Self {
        Self {
            min_prop: 0.25,
            max_prop: 0.75,
            conf_level: 0.95,
            min_patients: 10,
        }
    }
}

/// One marker of a screen; every statistic is `None` when it cannot be
/// computed (the `note` says why). Flat, for a CSV or JSON table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenRow {
    /// Marker name.
    pub marker: String,
    /// Patients with a value.
    pub n: usize,
    /// Events among them.
    pub events: usize,
    /// Cox hazard ratio per standard deviation (sample SD) of the marker.
    pub cox_hr_per_sd: Option<f64>,
    /// Lower confidence limit.
    pub cox_lower: Option<f64>,
    /// Upper confidence limit.
    pub cox_upper: Option<f64>,
    /// Wald P value of the continuous marker.
    pub cox_p: Option<f64>,
    /// Benjamini-Hochberg q value of `cox_p` across markers.
    pub cox_q: Option<f64>,
    /// Median (R type 7); high = marker `>` cut.
    pub median_cut: Option<f64>,
    /// Hazard ratio high vs low at the median.
    pub median_hr: Option<f64>,
    /// Lower confidence limit.
    pub median_lower: Option<f64>,
    /// Upper confidence limit.
    pub median_upper: Option<f64>,
    /// Log-rank P at the median.
    pub median_p: Option<f64>,
    /// Lower quartile.
    pub q1_cut: Option<f64>,
    /// Hazard ratio at the lower quartile.
    pub q1_hr: Option<f64>,
    /// Log-rank P at the lower quartile.
    pub q1_p: Option<f64>,
    /// Upper quartile.
    pub q3_cut: Option<f64>,
    /// Hazard ratio at the upper quartile.
    pub q3_hr: Option<f64>,
    /// Log-rank P at the upper quartile.
    pub q3_p: Option<f64>,
    /// Best cutpoint within the search range (maximally selected log-rank).
    pub best_cut: Option<f64>,
    /// Its standardized statistic.
    pub best_statistic: Option<f64>,
    /// Patients in its low group.
    pub best_n_low: Option<usize>,
    /// Hazard ratio high vs low at the best cutpoint (biased away from 1).
    pub best_hr: Option<f64>,
    /// Lower confidence limit (not corrected for the search).
    pub best_lower: Option<f64>,
    /// Upper confidence limit (not corrected for the search).
    pub best_upper: Option<f64>,
    /// Lau94 P value of the best cutpoint, corrected for the search.
    pub best_p_lau94: Option<f64>,
    /// Benjamini-Hochberg q value of `best_p_lau94` across markers.
    pub best_q: Option<f64>,
    /// Why some statistics are missing, if they are.
    pub note: Option<String>,
}

/// The screen: one row per marker, in the provider's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenResult {
    /// Patients in the survival data.
    pub n_patients: usize,
    /// Events in the survival data.
    pub events: usize,
    /// Markers screened.
    pub n_markers: usize,
    /// Smallest low-group proportion of the best-cutpoint search.
    pub min_prop: f64,
    /// Largest low-group proportion.
    pub max_prop: f64,
    /// One row per marker.
    pub rows: Vec<ScreenRow>,
}

/// Screens every marker of `markers` against survival (see the [module
/// documentation](self)).
///
/// Per marker: a Cox model of the standardized marker (Efron ties; hazard
/// ratio per sample SD, Wald interval and P, as R
/// `coxph(Surv(t, e) ~ scale(x))`); at the median and each quartile (R
/// `quantile(type = 7)`), the `survdiff` log-rank P and the Cox hazard
/// ratio of high (`x > cut`) vs low; the maximally selected log-rank
/// statistic over splits with low-group proportion in
/// `[min_prop, max_prop]`, its cutpoint, Lau94 P and hazard ratio. Across
/// markers, Benjamini-Hochberg q values of the Cox P and of the Lau94 P
/// (markers without a P value are left out of the count, as R
/// `p.adjust`).
///
/// `progress`, if given, is called with the number of markers finished so
/// far, from worker threads, after each marker.
///
/// # Errors
/// Those of [`SortedSurvival::new`] for the survival data; those of
/// [`MarkerSource::validate`] (for [`Columns`], a column whose length is
/// not the number of patients);
/// [`CutpointError::BadProportions`] / [`CutpointError::BadOption`] for bad
/// options. A marker that cannot be analysed (constant, too few values,
/// no split in range) gives a row with a note, not an error.
///
/// # Example
/// ```
/// use oncomark_cutpoint::screen::{screen, Columns, ScreenOptions};
/// let time: Vec<f64> = (1..=60).map(|i| ((i * 37) % 61) as f64).collect();
/// let event: Vec<bool> = (0..60).map(|i| i % 3 != 0).collect();
/// let names = vec!["a".to_string(), "b".to_string()];
/// let cols = vec![
///     (0..60).map(|i| ((i * 13) % 17) as f64).collect::<Vec<f64>>(),
///     (0..60).map(|i| time[i] + ((i * 7) % 5) as f64).collect::<Vec<f64>>(),
/// ];
/// let r = screen(&time, &event, &Columns { names: &names, columns: &cols }, &ScreenOptions::default(), None)?;
/// assert_eq!(r.rows.len(), 2);
/// assert!(r.rows[1].cox_hr_per_sd.unwrap() < 1.0); // longer time, higher marker
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn screen(
    time: &[f64],
    event: &[bool],
    markers: &dyn MarkerSource,
    opts: &ScreenOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<ScreenResult, CutpointError> {
    if !(opts.min_prop >= 0.0 && opts.min_prop <= opts.max_prop && opts.max_prop <= 1.0) {
        return Err(CutpointError::BadProportions {
            min_prop: opts.min_prop,
            max_prop: opts.max_prop,
            reason: "need 0 <= min_prop <= max_prop <= 1 (the quartile range is 0.25 and 0.75)",
        });
    }
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(CutpointError::BadOption {
            what: "conf_level",
            value: opts.conf_level,
            reason: "a confidence level lies strictly between 0 and 1, e.g. 0.95",
        });
    }
    let s = SortedSurvival::new(time, event)?;
    markers.validate(time.len())?;
    let scores = logrank_scores_maxstat(&s);
    let done = AtomicUsize::new(0);
    let n = time.len();
    let mut rows: Vec<ScreenRow> = (0..markers.n_markers())
        .into_par_iter()
        .map_init(
            || Scratch::new(n),
            |sc, j| {
                markers.fill(j, &mut sc.col);
                let row = screen_one(&s, &scores, sc, markers.name(j), opts);
                let k = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(f) = progress {
                    f(k);
                }
                row
            },
        )
        .collect();
    let cox_q = bh(&rows.iter().map(|r| r.cox_p).collect::<Vec<_>>());
    let best_q = bh(&rows.iter().map(|r| r.best_p_lau94).collect::<Vec<_>>());
    for ((r, c), b) in rows.iter_mut().zip(cox_q).zip(best_q) {
        r.cox_q = c;
        r.best_q = b;
    }
    Ok(ScreenResult {
        n_patients: n,
        events: s.events(),
        n_markers: markers.n_markers(),
        min_prop: opts.min_prop,
        max_prop: opts.max_prop,
        rows,
    })
}

fn empty_row(marker: String, n: usize, events: usize, note: String) -> ScreenRow {
    ScreenRow {
        marker,
        n,
        events,
        cox_hr_per_sd: None,
        cox_lower: None,
        cox_upper: None,
        cox_p: None,
        cox_q: None,
        median_cut: None,
        median_hr: None,
        median_lower: None,
        median_upper: None,
        median_p: None,
        q1_cut: None,
        q1_hr: None,
        q1_p: None,
        q3_cut: None,
        q3_hr: None,
        q3_p: None,
        best_cut: None,
        best_statistic: None,
        best_n_low: None,
        best_hr: None,
        best_lower: None,
        best_upper: None,
        best_p_lau94: None,
        best_q: None,
        note: Some(note),
    }
}

/// Per-thread buffers: one marker column and O(n) scratch, reused.
struct Scratch {
    /// The marker in input row order.
    col: Vec<f64>,
    x: Vec<f64>,
    keys: Vec<(u64, u32)>,
    pos: Vec<u32>,
    xs: Vec<f64>,
    z: Vec<f64>,
    y: Vec<f64>,
    table: Vec<[f64; 4]>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            col: vec![0.0; n],
            x: Vec::with_capacity(n),
            keys: Vec::with_capacity(n),
            pos: Vec::with_capacity(n),
            xs: Vec::with_capacity(n),
            z: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            table: Vec::with_capacity(n),
        }
    }
}

/// Order-preserving map of a finite `f64` to `u64`.
#[inline]
fn sort_key(x: f64) -> u64 {
    let b = (x + 0.0).to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// One marker; `sc.col` holds it in input row order.
fn screen_one(
    s_all: &SortedSurvival,
    scores_all: &[f64],
    sc: &mut Scratch,
    name: String,
    opts: &ScreenOptions,
) -> ScreenRow {
    let col = &sc.col;
    let mut missing = 0usize;
    for &r in &s_all.order {
        let v = col[r as usize];
        if v.is_nan() {
            missing += 1;
        } else if !v.is_finite() {
            return empty_row(
                name,
                s_all.n(),
                s_all.events(),
                format!("value {v} in row {r} is not finite"),
            );
        }
    }
    let owned;
    let (s, scores): (&SortedSurvival, std::borrow::Cow<[f64]>) = if missing > 0 {
        owned = s_all.subset_unchecked(|r| !col[r].is_nan());
        let sc = logrank_scores_maxstat(&owned);
        (&owned, std::borrow::Cow::Owned(sc))
    } else {
        (s_all, std::borrow::Cow::Borrowed(scores_all))
    };
    let n = s.n();
    if n < opts.min_patients.max(2) {
        return empty_row(
            name,
            n,
            s.events(),
            format!(
                "only {n} patients with a value (minimum {})",
                opts.min_patients
            ),
        );
    }
    if s.events() == 0 {
        return empty_row(
            name,
            n,
            0,
            "no events among the patients with a value".into(),
        );
    }
    let Scratch {
        x,
        keys,
        pos,
        xs,
        z,
        y,
        table,
        ..
    } = sc;
    x.clear();
    x.extend(s.order.iter().map(|&r| col[r as usize]));
    let x = &*x;
    keys.clear();
    keys.extend(x.iter().enumerate().map(|(k, &v)| (sort_key(v), k as u32)));
    keys.sort_unstable();
    pos.clear();
    pos.extend(keys.iter().map(|k| k.1));
    xs.clear();
    xs.extend(pos.iter().map(|&p| x[p as usize]));
    let (pos, xs) = (&*pos, &*xs);
    if xs[0] == xs[n - 1] {
        return empty_row(
            name,
            n,
            s.events(),
            format!("constant marker (value {})", xs[0]),
        );
    }
    let mut row = empty_row(name, n, s.events(), String::new());
    row.note = None;
    let mut notes: Vec<String> = Vec::new();

    // Cox per SD
    let mean = x.iter().sum::<f64>() / n as f64;
    let sd = (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64).sqrt();
    z.clear();
    z.extend(x.iter().map(|v| v / sd));
    match cox_efron(s, z, opts.conf_level).filter(|f| f.converged) {
        Some(f) => {
            row.cox_hr_per_sd = Some(f.hr);
            row.cox_lower = Some(f.hr_lower);
            row.cox_upper = Some(f.hr_upper);
            row.cox_p = Some(f.p);
        }
        None => notes.push("Cox model of the continuous marker did not converge".into()),
    }

    // fixed cuts
    let at = |cut: f64, table: &mut Vec<[f64; 4]>| {
        let nh = dichotomy_table_cut(s, x, cut, table);
        if nh == 0 || nh == n {
            return None;
        }
        let lr = logrank_table(table);
        let fit = cox_efron_table(table, opts.conf_level).filter(|f| f.converged);
        Some((lr.p, fit))
    };
    let q1 = quantile7(xs, 0.25);
    let med = quantile7(xs, 0.5);
    let q3 = quantile7(xs, 0.75);
    row.median_cut = Some(med);
    row.q1_cut = Some(q1);
    row.q3_cut = Some(q3);
    match at(med, table) {
        Some((p, fit)) => {
            row.median_p = Some(p);
            row.median_hr = fit.map(|f| f.hr);
            row.median_lower = fit.map(|f| f.hr_lower);
            row.median_upper = fit.map(|f| f.hr_upper);
        }
        None => notes.push("the median leaves a group empty".into()),
    }
    if let Some((p, fit)) = at(q1, table) {
        row.q1_p = Some(p);
        row.q1_hr = fit.map(|f| f.hr);
    }
    if let Some((p, fit)) = at(q3, table) {
        row.q3_p = Some(p);
        row.q3_hr = fit.map(|f| f.hr);
    }

    // best cutpoint within the range, with Lau94
    match candidate_sizes(xs, opts.min_prop, opts.max_prop) {
        Ok(sizes) => {
            y.clear();
            y.extend(pos.iter().map(|&p| scores[p as usize]));
            match moments(y, &sizes) {
                Ok((e, v)) => {
                    let stats = linear_stats(y, &sizes, &e, &v);
                    let (best, stat) = first_max(&stats);
                    let m = sizes[best];
                    let cut = xs[m - 1];
                    row.best_cut = Some(cut);
                    row.best_statistic = Some(stat);
                    row.best_n_low = Some(m);
                    row.best_p_lau94 = Some(lausen94_unchecked(stat, n, &sizes));
                    if let Some((_, Some(f))) = at(cut, table) {
                        row.best_hr = Some(f.hr);
                        row.best_lower = Some(f.hr_lower);
                        row.best_upper = Some(f.hr_upper);
                    }
                }
                Err(e) => notes.push(e.to_string()),
            }
        }
        Err(e) => notes.push(e.to_string()),
    }
    if !notes.is_empty() {
        row.note = Some(notes.join("; "));
    }
    row
}

/// Benjamini-Hochberg adjusted P values (R `p.adjust(method = "BH")`);
/// `None` entries are skipped and do not count.
///
/// `q_(i) = min_{j ≥ i} min(1, m p_(j) / j)` over the `m` present P values
/// sorted increasingly. Reference: Benjamini Y, Hochberg Y (1995) J R Stat
/// Soc B 57:289-300.
///
/// # Example
/// ```
/// use oncomark_cutpoint::screen::bh;
/// let q = bh(&[Some(0.01), None, Some(0.04), Some(0.03)]);
/// // R: p.adjust(c(0.01, 0.04, 0.03), "BH") = 0.03 0.04 0.04
/// let want = [Some(0.03), None, Some(0.04), Some(0.04)];
/// for (a, b) in q.iter().zip(want) {
///     assert_eq!(a.is_some(), b.is_some());
///     if let (Some(a), Some(b)) = (a, b) { assert!((a - b).abs() < 1e-15); }
/// }
/// ```
pub fn bh(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_some()).collect();
    idx.sort_by(|&a, &b| {
        p[b].unwrap_or(0.0)
            .total_cmp(&p[a].unwrap_or(0.0))
            .then(b.cmp(&a))
    });
    let m = idx.len() as f64;
    let mut out = vec![None; p.len()];
    let mut running = f64::INFINITY;
    for (rank_from_top, &i) in idx.iter().enumerate() {
        let rank = m - rank_from_top as f64; // 1-based rank in increasing order
        let v = (m / rank * p[i].unwrap_or(1.0)).min(1.0);
        running = running.min(v);
        out[i] = Some(running);
    }
    out
}
