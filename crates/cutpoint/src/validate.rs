//! Validating a cutpoint: a split into a training and a validation set, the
//! cross-validated log-rank test of Faraggi & Simon (1996), and bootstrap
//! intervals for the cutpoint and its hazard ratio.
//!
//! A cutpoint chosen by maximizing a statistic fits the noise of the data
//! it was chosen on: its P value is too small and its hazard ratio too far
//! from 1 (Altman et al. 1994). Each routine here keeps the choice and the
//! test apart.
//!
//! Rows whose marker is missing (NaN) are dropped first in every routine;
//! partitions and folds given by the caller refer to the input rows.

use rand::seq::SliceRandom;
use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::{split_summary, GroupSummary};
use crate::data::SortedSurvival;
use crate::maxstat::{search, MaxstatOptions};
use crate::permutation::stream;
use crate::pvalue::lausen94_unchecked;
use crate::twogroup::logrank2;
use crate::CutpointError;

/// How to split patients into a training and a validation set.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Partition {
    /// The first `n` rows train, the rest validate: the workflow of a study
    /// whose cutoff was fixed on a trial set of its first patients.
    FirstN(usize),
    /// A random fraction of the rows trains (X-tile's training/validation
    /// split, Camp et al. 2004), drawn from a seeded stream.
    Random {
        /// Fraction of rows in the training set, in (0, 1).
        training: f64,
        /// Seed of the draw.
        seed: u64,
    },
    /// `true` marks a training row.
    Given(Vec<bool>),
}

/// The training half of a validation: where the cutpoint came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingSummary {
    /// Patients.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// The cutpoint chosen (low = marker `<=` cutpoint).
    pub cutpoint: f64,
    /// The maximal standardized statistic.
    pub statistic: f64,
    /// Its Lau94 P value (corrected for the search).
    pub p_lau94: f64,
}

/// A fixed cutpoint tested on patients it was not chosen on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitTest {
    /// Patients.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// Low and high groups.
    pub groups: [GroupSummary; 2],
    /// Log-rank chi-square (1 df).
    pub chisq: f64,
    /// Its P value: no correction is needed, the cutpoint was fixed
    /// beforehand.
    pub p: f64,
    /// Cox hazard ratio of high vs low (`oncomark_survival::cox::fit`, Efron
    /// ties); `None` if the coefficient is infinite or the fit does not
    /// converge.
    pub hr: Option<f64>,
    /// Lower confidence limit.
    pub hr_lower: Option<f64>,
    /// Upper confidence limit.
    pub hr_upper: Option<f64>,
}

/// Result of [`train_validate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationResult {
    /// The search on the training set.
    pub training: TrainingSummary,
    /// The test of that cutpoint on the validation set.
    pub validation: SplitTest,
}

/// Options shared by the validation routines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidationOptions {
    /// The search run on each training set.
    pub search: MaxstatOptions,
    /// Confidence level of hazard ratio intervals.
    pub conf_level: f64,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        Self {
            search: MaxstatOptions::default(),
            conf_level: 0.95,
        }
    }
}

/// Complete cases: the rows with a usable marker.
fn complete_rows(
    time: &[f64],
    event: &[bool],
    marker: &[f64],
) -> Result<Vec<usize>, CutpointError> {
    if event.len() != time.len() {
        return Err(CutpointError::LengthMismatch {
            what: "event",
            got: event.len(),
            expected: time.len(),
        });
    }
    if marker.len() != time.len() {
        return Err(CutpointError::LengthMismatch {
            what: "marker",
            got: marker.len(),
            expected: time.len(),
        });
    }
    let mut rows = Vec::with_capacity(time.len());
    for (i, &x) in marker.iter().enumerate() {
        if x.is_nan() {
            continue;
        }
        if !x.is_finite() {
            return Err(CutpointError::NonFinite {
                what: "marker",
                index: i,
                value: x,
            });
        }
        rows.push(i);
    }
    Ok(rows)
}

/// Sorted survival data and time-ordered marker for a set of rows.
fn part(
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    rows: &[usize],
    name: &'static str,
) -> Result<(SortedSurvival, Vec<f64>), CutpointError> {
    let t: Vec<f64> = rows.iter().map(|&r| time[r]).collect();
    let e: Vec<bool> = rows.iter().map(|&r| event[r]).collect();
    let x: Vec<f64> = rows.iter().map(|&r| marker[r]).collect();
    let events = e.iter().filter(|&&v| v).count();
    if rows.len() < 4 || events == 0 {
        return Err(CutpointError::SplitTooSmall {
            part: name,
            n: rows.len(),
            events,
            min: 4,
        });
    }
    let s = SortedSurvival::new(&t, &e)?;
    let xt = s.gather(&x);
    Ok((s, xt))
}

/// Tests a fixed cutpoint on time-sorted data.
fn test_split(
    s: &SortedSurvival,
    x_time: &[f64],
    cut: f64,
    conf_level: f64,
) -> Result<SplitTest, CutpointError> {
    let (groups, fit, _) = split_summary(s, x_time, cut, conf_level);
    if groups[0].n == 0 {
        return Err(CutpointError::EmptyGroup {
            cutpoint: cut,
            group: "low",
        });
    }
    if groups[1].n == 0 {
        return Err(CutpointError::EmptyGroup {
            cutpoint: cut,
            group: "high",
        });
    }
    let high: Vec<bool> = x_time.iter().map(|&x| x > cut).collect();
    let lr = logrank2(s, &high);
    Ok(SplitTest {
        n: s.n(),
        events: s.events(),
        groups,
        chisq: lr.chisq,
        p: lr.p,
        hr: fit.map(|f| f.hr),
        hr_lower: fit.map(|f| f.hr_lower),
        hr_upper: fit.map(|f| f.hr_upper),
    })
}

/// Chooses the cutpoint on a training set and tests it on a validation set.
///
/// The training set is searched with [`crate::maxstat()`] (its Lau94 P is
/// reported); the cutpoint found is then fixed, and the validation set is
/// split at it (low = marker `<=` cutpoint) and compared with the
/// log-rank test and a Cox model. The validation P needs no correction.
///
/// References: Camp RL, Dolled-Filhart M, Rimm DL (2004) "X-tile: a new
/// bio-informatics tool for biomarker assessment and outcome-based
/// cut-point optimization", Clin Cancer Res 10:7252-7259; Altman DG et al.
/// (1994) J Natl Cancer Inst 86:829-835.
///
/// # Errors
/// Length and value errors as [`crate::maxstat()`];
/// [`CutpointError::BadOption`] for a bad partition;
/// [`CutpointError::SplitTooSmall`] if either part has fewer than 4
/// patients or no event; [`CutpointError::EmptyGroup`] if the cutpoint
/// leaves a validation group empty; the search errors on the training set.
///
/// # Example
/// ```
/// use oncomark_cutpoint::validate::{train_validate, Partition, ValidationOptions};
/// let time: Vec<f64> = (1..=40).map(|i| ((i * 37) % 41) as f64).collect();
/// let event: Vec<bool> = (0..40).map(|i| i % 3 != 0).collect();
/// let marker: Vec<f64> = (0..40).map(|i| ((i * 13) % 17) as f64).collect();
/// let r = train_validate(&time, &event, &marker, &Partition::FirstN(20), &ValidationOptions::default())?;
/// assert_eq!(r.training.n, 20);
/// assert_eq!(r.validation.n, 20);
/// assert!((0.0..=1.0).contains(&r.validation.p));
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn train_validate(
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    partition: &Partition,
    opts: &ValidationOptions,
) -> Result<ValidationResult, CutpointError> {
    check_conf(opts.conf_level)?;
    let rows = complete_rows(time, event, marker)?;
    let n = time.len();
    let is_train: Vec<bool> = match partition {
        Partition::FirstN(k) => {
            if *k == 0 || *k >= n {
                return Err(CutpointError::BadOption {
                    what: "first_n",
                    value: *k as f64,
                    reason: "the training set must be the first 1..n-1 rows",
                });
            }
            (0..n).map(|i| i < *k).collect()
        }
        Partition::Random { training, seed } => {
            if !(*training > 0.0 && *training < 1.0) {
                return Err(CutpointError::BadOption {
                    what: "training",
                    value: *training,
                    reason: "the training fraction lies strictly between 0 and 1",
                });
            }
            let k = (training * rows.len() as f64).round() as usize;
            let mut shuffled = rows.clone();
            shuffled.shuffle(&mut stream(*seed, 0));
            let mut v = vec![false; n];
            for &r in &shuffled[..k] {
                v[r] = true;
            }
            v
        }
        Partition::Given(v) => {
            if v.len() != n {
                return Err(CutpointError::LengthMismatch {
                    what: "partition",
                    got: v.len(),
                    expected: n,
                });
            }
            v.clone()
        }
    };
    let train: Vec<usize> = rows.iter().copied().filter(|&r| is_train[r]).collect();
    let valid: Vec<usize> = rows.iter().copied().filter(|&r| !is_train[r]).collect();
    let (st, xt) = part(time, event, marker, &train, "training")?;
    let (sv, xv) = part(time, event, marker, &valid, "validation")?;
    let m = search(&st, &xt, &opts.search)?;
    let training = TrainingSummary {
        n: m.n,
        events: m.events,
        cutpoint: m.cutpoint,
        statistic: m.statistic,
        p_lau94: lausen94_unchecked(m.statistic, m.n, &m.inner.sizes),
    };
    let validation = test_split(&sv, &xv, m.cutpoint, opts.conf_level)?;
    Ok(ValidationResult {
        training,
        validation,
    })
}

/// How to assign patients to cross-validation folds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Folds {
    /// `k` balanced folds drawn from a seeded stream (`k = n` gives
    /// leave-one-out).
    Random {
        /// Number of folds, at least 2.
        k: usize,
        /// Seed of the draw.
        seed: u64,
    },
    /// The fold (0-based) of every input row.
    Given(Vec<usize>),
}

/// Result of [`cross_validated_p`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossValidated {
    /// Number of folds.
    pub k: usize,
    /// The cutpoint chosen without each fold, in fold order.
    pub cutpoints: Vec<f64>,
    /// The log-rank test and Cox model of the cross-validated groups.
    pub test: SplitTest,
}

/// The cross-validated log-rank test of an optimally chosen cutpoint
/// (Faraggi & Simon 1996).
///
/// For each fold, the cutpoint is searched on the other folds and the
/// patients of the fold are classified low or high by it. Every patient is
/// thus classified by a cutpoint chosen without them; the log-rank test of
/// these groups is a test whose size is not inflated by the search, so its
/// plain chi-square P value (1 df) can be reported. The hazard ratio of the
/// cross-validated groups is an honest (shrunken) estimate.
///
/// Reference: Faraggi D, Simon R (1996) "A simulation study of
/// cross-validation for selecting an optimal cutpoint in univariate
/// survival analysis", Stat Med 15:2203-2213.
///
/// # Errors
/// Length and value errors as [`crate::maxstat()`];
/// [`CutpointError::BadOption`] for fewer than 2 folds or a fold index out
/// of range; the search errors on any training set;
/// [`CutpointError::EmptyGroup`] when every patient ends in one group.
///
/// # Example
/// ```
/// use oncomark_cutpoint::validate::{cross_validated_p, Folds, ValidationOptions};
/// let time: Vec<f64> = (1..=60).map(|i| ((i * 37) % 61) as f64).collect();
/// let event: Vec<bool> = (0..60).map(|i| i % 3 != 0).collect();
/// let marker: Vec<f64> = (0..60).map(|i| ((i * 13) % 17) as f64).collect();
/// let cv = cross_validated_p(&time, &event, &marker, &Folds::Random { k: 5, seed: 7 }, &ValidationOptions::default())?;
/// assert_eq!(cv.cutpoints.len(), 5);
/// assert!((0.0..=1.0).contains(&cv.test.p));
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn cross_validated_p(
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    folds: &Folds,
    opts: &ValidationOptions,
) -> Result<CrossValidated, CutpointError> {
    check_conf(opts.conf_level)?;
    let rows = complete_rows(time, event, marker)?;
    let n = time.len();
    let (fold_of, k) = match folds {
        Folds::Random { k, seed } => {
            if *k < 2 || *k > rows.len() {
                return Err(CutpointError::BadOption {
                    what: "k",
                    value: *k as f64,
                    reason: "use between 2 folds and one fold per patient",
                });
            }
            let mut shuffled = rows.clone();
            shuffled.shuffle(&mut stream(*seed, 0));
            let mut f = vec![0usize; n];
            for (pos, &r) in shuffled.iter().enumerate() {
                f[r] = pos % k;
            }
            (f, *k)
        }
        Folds::Given(f) => {
            if f.len() != n {
                return Err(CutpointError::LengthMismatch {
                    what: "folds",
                    got: f.len(),
                    expected: n,
                });
            }
            let k = rows.iter().map(|&r| f[r]).max().unwrap_or(0) + 1;
            if k < 2 {
                return Err(CutpointError::BadOption {
                    what: "folds",
                    value: k as f64,
                    reason: "give at least two distinct folds",
                });
            }
            (f.clone(), k)
        }
    };
    let cutpoints: Vec<f64> = (0..k)
        .into_par_iter()
        .map(|fold| {
            let train: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&r| fold_of[r] != fold)
                .collect();
            let (st, xt) = part(time, event, marker, &train, "training")?;
            Ok(search(&st, &xt, &opts.search)?.cutpoint)
        })
        .collect::<Result<_, CutpointError>>()?;
    // classify each patient by its fold's cutpoint: encode as a 0/1 marker
    // and test it at cut 0.5
    let mut cls = vec![f64::NAN; n];
    for &r in &rows {
        cls[r] = if marker[r] > cutpoints[fold_of[r]] {
            1.0
        } else {
            0.0
        };
    }
    let (s, xt) = part(time, event, &cls, &rows, "validation")?;
    let test = test_split(&s, &xt, 0.5, opts.conf_level)?;
    Ok(CrossValidated { k, cutpoints, test })
}

/// Options of [`bootstrap`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapOptions {
    /// The search run on each resample.
    pub search: MaxstatOptions,
    /// Number of resamples.
    pub replicates: usize,
    /// Seed of the resampling streams.
    pub seed: u64,
    /// Level of the percentile intervals.
    pub conf_level: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        Self {
            search: MaxstatOptions::default(),
            replicates: 1000,
            seed: 1,
            conf_level: 0.95,
        }
    }
}

/// Result of [`bootstrap`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapResult {
    /// Resamples drawn.
    pub replicates: usize,
    /// Resamples where a cutpoint and a hazard ratio could be computed.
    pub succeeded: usize,
    /// Seed of the resampling streams.
    pub seed: u64,
    /// Level of the intervals.
    pub conf_level: f64,
    /// Cutpoint on the original data.
    pub cutpoint: f64,
    /// Percentile interval of the cutpoint location.
    pub cutpoint_lower: f64,
    /// Upper limit.
    pub cutpoint_upper: f64,
    /// Median of the bootstrap cutpoints.
    pub cutpoint_median: f64,
    /// Hazard ratio (high vs low) at the original cutpoint.
    pub hr: Option<f64>,
    /// Percentile interval of the hazard ratio of the re-optimized cutpoint.
    pub hr_lower: f64,
    /// Upper limit.
    pub hr_upper: f64,
}

/// Bootstrap percentile intervals of the cutpoint location and of the
/// hazard ratio of high vs low at the optimized cutpoint.
///
/// Each resample draws n patients with replacement (replicate `r` from its
/// own seeded stream, so results do not depend on the thread count), runs
/// the whole search again and fits the Cox model at the cutpoint it finds.
/// The intervals are the `(1 ± level)/2` quantiles (R type 7) of the
/// successful resamples. Because the search is repeated, the hazard-ratio
/// interval reflects the selection; it is still centred on an optimistic
/// estimate, so it does not replace validation.
///
/// Reference: Efron B, Tibshirani R (1993) An Introduction to the
/// Bootstrap, ch. 13 (percentile intervals); Hollander N, Sauerbrei W,
/// Schumacher M (2004) Stat Med 23:1701-1713 (bootstrap of optimal
/// cutpoints).
///
/// # Errors
/// Those of [`crate::maxstat()`] on the original data;
/// [`CutpointError::BadOption`] for zero replicates, a bad level, or when
/// fewer than half of the resamples succeed.
///
/// # Example
/// ```
/// use oncomark_cutpoint::validate::{bootstrap, BootstrapOptions};
/// let time: Vec<f64> = (1..=60).map(|i| ((i * 37) % 61) as f64).collect();
/// let event: Vec<bool> = (0..60).map(|i| i % 3 != 0).collect();
/// let marker: Vec<f64> = (0..60).map(|i| ((i * 13) % 17) as f64).collect();
/// let opts = BootstrapOptions { replicates: 200, ..Default::default() };
/// let b = bootstrap(&time, &event, &marker, &opts)?;
/// assert!(b.cutpoint_lower <= b.cutpoint_median && b.cutpoint_median <= b.cutpoint_upper);
/// assert_eq!(b, bootstrap(&time, &event, &marker, &opts)?); // seeded
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn bootstrap(
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    opts: &BootstrapOptions,
) -> Result<BootstrapResult, CutpointError> {
    check_conf(opts.conf_level)?;
    if opts.replicates == 0 {
        return Err(CutpointError::BadOption {
            what: "replicates",
            value: 0.0,
            reason: "draw at least one resample (1000 is usual)",
        });
    }
    let rows = complete_rows(time, event, marker)?;
    let (s0, x0) = part(time, event, marker, &rows, "training")?;
    let m0 = search(&s0, &x0, &opts.search)?;
    let (_, fit0, _) = split_summary(&s0, &x0, m0.cutpoint, opts.conf_level);
    let draws: Vec<Option<(f64, f64)>> = (0..opts.replicates as u64)
        .into_par_iter()
        .map(|r| {
            use rand::Rng;
            let mut rng = stream(opts.seed, r);
            let idx: Vec<usize> = (0..rows.len())
                .map(|_| rows[rng.gen_range(0..rows.len())])
                .collect();
            let (s, x) = part(time, event, marker, &idx, "training").ok()?;
            let m = search(&s, &x, &opts.search).ok()?;
            let (_, fit, _) = split_summary(&s, &x, m.cutpoint, opts.conf_level);
            let fit = fit?;
            Some((m.cutpoint, fit.hr))
        })
        .collect();
    let ok: Vec<(f64, f64)> = draws.into_iter().flatten().collect();
    if ok.len() * 2 < opts.replicates {
        return Err(CutpointError::BadOption {
            what: "replicates",
            value: ok.len() as f64,
            reason: "fewer than half of the resamples gave a cutpoint and a hazard ratio; the data are too small or too sparse to bootstrap",
        });
    }
    let mut cuts: Vec<f64> = ok.iter().map(|v| v.0).collect();
    let mut hrs: Vec<f64> = ok.iter().map(|v| v.1).collect();
    cuts.sort_by(f64::total_cmp);
    hrs.sort_by(f64::total_cmp);
    let a = (1.0 - opts.conf_level) / 2.0;
    Ok(BootstrapResult {
        replicates: opts.replicates,
        succeeded: ok.len(),
        seed: opts.seed,
        conf_level: opts.conf_level,
        cutpoint: m0.cutpoint,
        cutpoint_lower: quantile7(&cuts, a),
        cutpoint_upper: quantile7(&cuts, 1.0 - a),
        cutpoint_median: quantile7(&cuts, 0.5),
        hr: fit0.map(|f| f.hr),
        hr_lower: quantile7(&hrs, a),
        hr_upper: quantile7(&hrs, 1.0 - a),
    })
}

fn check_conf(level: f64) -> Result<(), CutpointError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(CutpointError::BadOption {
            what: "conf_level",
            value: level,
            reason: "a confidence level lies strictly between 0 and 1, e.g. 0.95",
        });
    }
    Ok(())
}

/// R's type-7 quantile of sorted, non-empty data.
pub(crate) fn quantile7(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
