//! The cutpoint analysis of `oncomark cutpoint`: search, corrected P
//! values, the two groups and the hazard ratio, in one serializable result.

use serde::Serialize;

use crate::data::SortedSurvival;
use crate::gauss::exact_gauss_unchecked;
use crate::hl::{p_hl, HlResult, HL_WORK_BUDGET};
use crate::maxstat::{maxstat_sorted, Maxstat, MaxstatOptions, SplitPoint};
use crate::normal::p_two_sided;
use crate::permutation::{permutation_p, PermutationP};
use crate::pvalue::{altman_corrected, lausen94_unchecked};
use crate::twogroup::{cox_survival_binary, CoxFit};
use crate::{CutpointError, SplitStatistic};

impl Maxstat {
    /// Lausen & Schumacher (1992) P value of the maximal statistic (see
    /// [`crate::p_lausen92`]), with the searched proportions.
    ///
    /// # Errors
    /// [`CutpointError::BadProportions`] unless `0 < min_prop < max_prop < 1`.
    ///
    /// # Example
    /// ```
    /// # use oncomark_cutpoint::{maxstat, MaxstatOptions};
    /// # let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
    /// # let event = [true, true, true, false, true, true, false, true, true, false];
    /// # let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    /// let m = maxstat(&time, &event, &marker, &MaxstatOptions::default())?;
    /// let p = m.p_lau92()?;
    /// assert!((0.0..=1.0).contains(&p));
    /// # Ok::<(), oncomark_cutpoint::CutpointError>(())
    /// ```
    pub fn p_lau92(&self) -> Result<f64, CutpointError> {
        crate::p_lausen92(self.statistic, self.min_prop, self.max_prop)
    }

    /// Lausen, Sauerbrei & Schumacher (1994) improved Bonferroni P value over
    /// the splits actually searched (R `pmethod = "Lau94"`; see
    /// [`crate::p_lausen94`]).
    ///
    /// # Example
    /// ```
    /// # use oncomark_cutpoint::{maxstat, MaxstatOptions};
    /// # let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
    /// # let event = [true, true, true, false, true, true, false, true, true, false];
    /// # let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    /// let m = maxstat(&time, &event, &marker, &MaxstatOptions::default())?;
    /// assert!(m.p_lau94() >= m.p_exact_gauss() - 1e-6);
    /// # Ok::<(), oncomark_cutpoint::CutpointError>(())
    /// ```
    pub fn p_lau94(&self) -> f64 {
        lausen94_unchecked(self.statistic, self.n, &self.inner.sizes)
    }

    /// The exact-Gauss P value: the exact distribution of the maximum of the
    /// limiting Gaussian process over the searched splits (see
    /// [`crate::gauss`]). Works at any n; for n ≥ 80 it agreed with the
    /// conditional Monte-Carlo P of R within its Monte-Carlo error on GBSG2.
    ///
    /// # Example
    /// ```
    /// # use oncomark_cutpoint::{maxstat, MaxstatOptions};
    /// # let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
    /// # let event = [true, true, true, false, true, true, false, true, true, false];
    /// # let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    /// let m = maxstat(&time, &event, &marker, &MaxstatOptions::default())?;
    /// let p = m.p_exact_gauss();
    /// // never below the P value of the best split alone
    /// assert!(p >= m.p_min_raw());
    /// # Ok::<(), oncomark_cutpoint::CutpointError>(())
    /// ```
    pub fn p_exact_gauss(&self) -> f64 {
        exact_gauss_unchecked(self.statistic, self.n, &self.inner.sizes)
    }

    /// R's `pmethod = "HL"` (Hothorn & Lausen 2003) on integer-mapped
    /// scores; see [`crate::hl`] for the method and why it can be far above
    /// the exact conditional P value. The returned statistic and cutpoint
    /// are those of the integer scores, as R reports them.
    ///
    /// # Errors
    /// [`CutpointError::MethodNotApplicable`] for
    /// [`SplitStatistic::CoxScore`] (not a linear rank statistic);
    /// [`CutpointError::TooLargeForExact`] when the shift algorithm would
    /// exceed [`HL_WORK_BUDGET`] (about n = 350 for log-rank scores).
    ///
    /// # Example
    /// ```
    /// # use oncomark_cutpoint::{maxstat, MaxstatOptions};
    /// # let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
    /// # let event = [true, true, true, false, true, true, false, true, true, false];
    /// # let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    /// let m = maxstat(&time, &event, &marker, &MaxstatOptions::default())?;
    /// let hl = m.p_hl()?;
    /// assert!((0.0..=1.0).contains(&hl.p));
    /// # Ok::<(), oncomark_cutpoint::CutpointError>(())
    /// ```
    pub fn p_hl(&self) -> Result<HlResult, CutpointError> {
        if !self.statistic_kind.is_linear() {
            return Err(CutpointError::MethodNotApplicable {
                method: "hl",
                statistic: self.statistic_kind.name(),
                reason: "it needs a linear rank statistic; use lau94, exact_gauss or permutation",
            });
        }
        p_hl(
            &self.inner.scores_marker,
            &self.inner.sizes,
            &self.inner.marker_sorted,
            HL_WORK_BUDGET,
        )
    }

    /// The conditional Monte-Carlo P value from `replicates` random
    /// permutations of the scores over the marker order (R `condMC`),
    /// `(1 + #{M* ≥ M}) / (1 + B)`. Parallel (rayon) and deterministic for a
    /// given `seed` whatever the number of threads.
    ///
    /// # Errors
    /// [`CutpointError::BadOption`] if `replicates` is 0.
    ///
    /// # Example
    /// ```
    /// # use oncomark_cutpoint::{maxstat, MaxstatOptions};
    /// # let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
    /// # let event = [true, true, true, false, true, true, false, true, true, false];
    /// # let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    /// let m = maxstat(&time, &event, &marker, &MaxstatOptions::default())?;
    /// let a = m.p_permutation(999, 42)?;
    /// let b = m.p_permutation(999, 42)?;
    /// assert_eq!(a, b);
    /// assert!(a.p > 0.0 && a.p <= 1.0);
    /// # Ok::<(), oncomark_cutpoint::CutpointError>(())
    /// ```
    pub fn p_permutation(
        &self,
        replicates: usize,
        seed: u64,
    ) -> Result<PermutationP, CutpointError> {
        if replicates == 0 {
            return Err(CutpointError::BadOption {
                what: "replicates",
                value: 0.0,
                reason: "draw at least one permutation (10 000 is usual)",
            });
        }
        Ok(permutation_p(
            &self.inner,
            self.statistic_kind,
            self.statistic,
            replicates,
            seed,
        ))
    }

    /// The uncorrected two-sided normal P value `2 Φ(−M)` of the best
    /// split. Never report it as the P value of the marker: see the crate
    /// documentation. It is the input of [`Maxstat::p_altman`].
    pub fn p_min_raw(&self) -> f64 {
        p_two_sided(self.statistic)
    }

    /// Altman et al. (1994) correction of the minimum P value (see
    /// [`crate::altman_corrected`]), for symmetric proportions
    /// `[ε, 1 − ε]`. For this standardized statistic it coincides with
    /// [`Maxstat::p_lau92`] except for the clamp at `P_min`.
    ///
    /// # Errors
    /// [`CutpointError::BadProportions`] unless `min_prop = 1 − max_prop`
    /// with `0 < min_prop < 0.5`.
    pub fn p_altman(&self) -> Result<f64, CutpointError> {
        let eps = self.min_prop;
        if !((eps + self.max_prop - 1.0).abs() < 1e-12 && eps > 0.0 && eps < 0.5) {
            return Err(CutpointError::BadProportions {
                min_prop: self.min_prop,
                max_prop: self.max_prop,
                reason: "the Altman correction needs symmetric proportions [eps, 1 - eps]",
            });
        }
        altman_corrected(self.p_min_raw(), eps)
    }
}

/// A P-value method for the maximally selected statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PMethod {
    /// Lausen & Schumacher 1992 ([`Maxstat::p_lau92`]).
    Lau92,
    /// Lausen, Sauerbrei & Schumacher 1994 ([`Maxstat::p_lau94`]).
    Lau94,
    /// Exact distribution of the Gaussian limit ([`Maxstat::p_exact_gauss`]).
    ExactGauss,
    /// R's Hothorn-Lausen method ([`Maxstat::p_hl`]).
    HothornLausen,
    /// Conditional Monte Carlo ([`Maxstat::p_permutation`]).
    Permutation {
        /// Number of permutations.
        replicates: usize,
        /// Seed of the random streams.
        seed: u64,
    },
    /// Altman-corrected minimum P ([`Maxstat::p_altman`]).
    Altman,
}

/// Options of [`cutpoint`].
#[derive(Debug, Clone, PartialEq)]
pub struct CutpointOptions {
    /// The search.
    pub search: MaxstatOptions,
    /// The P values to compute.
    pub p_methods: Vec<PMethod>,
    /// Confidence level of the hazard ratio interval.
    pub conf_level: f64,
    /// Whether to keep the statistic at every split in the result.
    pub include_profile: bool,
}

impl Default for CutpointOptions {
    /// Log-rank, proportions 0.1 to 0.9, the Lau94 P value, 95% interval.
    fn default() -> Self {
        Self {
            search: MaxstatOptions::default(),
            p_methods: vec![PMethod::Lau94],
            conf_level: 0.95,
            include_profile: false,
        }
    }
}

/// P values of the maximal statistic; absent methods are omitted.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PValues {
    /// Lausen & Schumacher 1992.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lau92: Option<f64>,
    /// Lausen, Sauerbrei & Schumacher 1994.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lau94: Option<f64>,
    /// Exact Gaussian-limit P.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_gauss: Option<f64>,
    /// Hothorn & Lausen (R `HL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hl: Option<f64>,
    /// Conditional Monte Carlo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permutation: Option<f64>,
    /// Altman-corrected minimum P.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altman: Option<f64>,
}

/// Size and events of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// `"low"` (marker `<=` cutpoint) or `"high"`.
    pub group: &'static str,
    /// Patients.
    pub n: usize,
    /// Events.
    pub events: usize,
}

/// The result of `oncomark cutpoint` (field names of the CLI contract).
#[derive(Debug, Clone, Serialize)]
pub struct CutpointResult {
    /// Marker name, set by the caller with [`CutpointResult::with_marker`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// Patients analysed.
    pub n: usize,
    /// Patients dropped for a missing marker.
    pub n_missing: usize,
    /// Events among the patients analysed.
    pub events: usize,
    /// The cutpoint: `low` = marker `<=` cutpoint.
    pub cutpoint: f64,
    /// The maximally selected standardized statistic.
    pub statistic: f64,
    /// Which statistic.
    pub statistic_kind: SplitStatistic,
    /// Smallest low-group proportion searched.
    pub min_prop: f64,
    /// Largest low-group proportion searched.
    pub max_prop: f64,
    /// Number of candidate splits searched.
    pub n_splits: usize,
    /// Corrected P values.
    pub p_values: PValues,
    /// The low and the high group.
    pub groups: [GroupSummary; 2],
    /// Cox hazard ratio of high against low (Efron ties); `None` when the
    /// fit does not converge (e.g. no events in a group).
    pub hr: Option<f64>,
    /// Lower confidence limit of `hr`.
    pub hr_lower: Option<f64>,
    /// Upper confidence limit of `hr`.
    pub hr_upper: Option<f64>,
    /// Confidence level of the interval.
    pub conf_level: f64,
    /// Why `hr` is missing, or a warning of the Cox fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hr_note: Option<String>,
    /// Details of the Hothorn-Lausen P (statistic on integer scores).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hl: Option<HlResult>,
    /// Details of the permutation P.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permutation: Option<PermutationP>,
    /// The statistic at every split, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<SplitPoint>,
}

impl CutpointResult {
    /// Sets the marker name shown in the output.
    pub fn with_marker(mut self, name: impl Into<String>) -> Self {
        self.marker = Some(name.into());
        self
    }
}

/// Searches the best cutpoint of `marker` for survival and reports it with
/// corrected P values, the two groups and the Cox hazard ratio of high vs
/// low: the analysis behind `oncomark cutpoint`.
///
/// The search is [`crate::maxstat()`]; each requested [`PMethod`] adds one
/// entry to `p_values`. The hazard ratio is from a Cox model with Efron
/// ties (R `coxph` default) on the dichotomized marker, with a Wald
/// interval. The hazard ratio of an optimally selected cutpoint is biased
/// away from 1 (Altman et al. 1994); report it with the corrected P and
/// validate it (see [`crate::validate`]).
///
/// # Errors
/// Those of [`crate::maxstat()`]; those of the P methods requested;
/// [`CutpointError::BadOption`] for a confidence level outside (0, 1).
///
/// # Example
/// ```
/// use oncomark_cutpoint::{cutpoint, CutpointOptions};
/// let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
/// let event = [true, true, true, false, true, true, false, true, true, false];
/// let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
/// let r = cutpoint(&time, &event, &marker, &CutpointOptions::default())?.with_marker("m");
/// assert_eq!(r.groups[0].n + r.groups[1].n, 10);
/// let p = r.p_values.lau94.unwrap();
/// assert!((0.0..=1.0).contains(&p));
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn cutpoint(
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    opts: &CutpointOptions,
) -> Result<CutpointResult, CutpointError> {
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(CutpointError::BadOption {
            what: "conf_level",
            value: opts.conf_level,
            reason: "a confidence level lies strictly between 0 and 1, e.g. 0.95",
        });
    }
    let s = SortedSurvival::new(time, event)?;
    if marker.len() != time.len() {
        return Err(CutpointError::LengthMismatch {
            what: "marker",
            got: marker.len(),
            expected: time.len(),
        });
    }
    let m = maxstat_sorted(&s, marker, &opts.search)?;
    let mut p = PValues::default();
    let mut hl = None;
    let mut perm = None;
    for method in &opts.p_methods {
        match *method {
            PMethod::Lau92 => p.lau92 = Some(m.p_lau92()?),
            PMethod::Lau94 => p.lau94 = Some(m.p_lau94()),
            PMethod::ExactGauss => p.exact_gauss = Some(m.p_exact_gauss()),
            PMethod::HothornLausen => {
                let r = m.p_hl()?;
                p.hl = Some(r.p);
                hl = Some(r);
            }
            PMethod::Permutation { replicates, seed } => {
                let r = m.p_permutation(replicates, seed)?;
                p.permutation = Some(r.p);
                perm = Some(r);
            }
            PMethod::Altman => p.altman = Some(m.p_altman()?),
        }
    }
    let analysed = &m.inner.surv;
    let x_time = analysed.gather(marker);
    let (groups, fit, hr_note) = split_summary(analysed, &x_time, m.cutpoint, opts.conf_level);
    Ok(CutpointResult {
        marker: None,
        n: m.n,
        n_missing: m.n_missing,
        events: m.events,
        cutpoint: m.cutpoint,
        statistic: m.statistic,
        statistic_kind: m.statistic_kind,
        min_prop: m.min_prop,
        max_prop: m.max_prop,
        n_splits: m.splits.len(),
        p_values: p,
        groups,
        hr: fit.map(|f| f.hr),
        hr_lower: fit.map(|f| f.hr_lower),
        hr_upper: fit.map(|f| f.hr_upper),
        conf_level: opts.conf_level,
        hr_note,
        hl,
        permutation: perm,
        profile: if opts.include_profile {
            m.splits.clone()
        } else {
            Vec::new()
        },
    })
}

/// Groups and Cox fit of high (`x > cut`) vs low, on time-ordered data;
/// the fit is `None` (with the reason) unless it gives a finite estimate.
pub(crate) fn split_summary(
    s: &SortedSurvival,
    x_time: &[f64],
    cut: f64,
    conf_level: f64,
) -> ([GroupSummary; 2], Option<CoxFit>, Option<String>) {
    let mut nl = 0;
    let mut el = 0;
    let mut high = Vec::with_capacity(x_time.len());
    for (k, &x) in x_time.iter().enumerate() {
        let h = x > cut;
        high.push(h);
        if !h {
            nl += 1;
            el += usize::from(s.event[k]);
        }
    }
    let groups = [
        GroupSummary {
            group: "low",
            n: nl,
            events: el,
        },
        GroupSummary {
            group: "high",
            n: s.n() - nl,
            events: s.events() - el,
        },
    ];
    let (fit, note) = cox_survival_binary(s, &high, conf_level);
    (groups, fit, note)
}
