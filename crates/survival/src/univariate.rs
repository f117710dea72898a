//! Univariate screening: one Cox model per candidate factor, each on its
//! own complete cases.
//!
//! # Method
//!
//! For each factor (one source variable: a numeric column, or the dummy
//! columns of a categorical variable against its reference level) a Cox
//! model with that factor alone is fitted on the subjects with a value for
//! it (the caller drops the missing values per factor and passes their
//! count, so every factor reports the `n` and `events` it used). Reported:
//! per column the hazard ratio `exp(b)` with its Wald interval
//! `exp(b ± z se)` and Wald P; per factor the likelihood-ratio test
//! `2 (l(b) - l(0))` and the Wald test `b' V⁻¹ b`, both on `df` = number of
//! estimable columns (levels - 1 for a categorical factor), as R
//! `summary(coxph(Surv(time, event) ~ factor))` reports them.
//!
//! References: Therneau & Grambsch (2000) *Modeling Survival Data*, §3.4;
//! Collett (2015) *Modelling Survival Data in Medical Research*, 3rd ed.,
//! §3.5 (screening single variables before a multivariable model). A
//! univariate screen is a description, not a model: confounding and
//! multiplicity are left to the analyst.

use crate::cox::{ChiSquareTest, CoxData, CoxOptions, CoxProblem, CoxTerm, TermStatus};
use crate::SurvivalError;
use rayon::prelude::*;
use serde::Serialize;

/// The complete-case data of one factor.
#[derive(Debug, Clone)]
pub struct FactorData {
    /// Factor (source variable) name.
    pub name: String,
    /// Its subjects (those with a value) and its design columns: one for a
    /// numeric factor, `levels - 1` dummies for a categorical one, named
    /// as they should be reported (e.g. `tgradeII`).
    pub data: CoxData,
    /// Subjects dropped because the factor was missing (reported only).
    pub missing: usize,
}

/// The univariate model of one factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnivariateFactor {
    /// Factor name.
    pub factor: String,
    /// Subjects used.
    pub n: usize,
    /// Events among them.
    pub events: usize,
    /// Subjects dropped for a missing value.
    pub missing: usize,
    /// Degrees of freedom of the factor's tests (estimable columns).
    pub df: usize,
    /// Likelihood-ratio test of the factor.
    pub likelihood_ratio: ChiSquareTest,
    /// Wald test of the factor.
    pub wald: ChiSquareTest,
    /// Score (log-rank type) test of the factor.
    pub score: ChiSquareTest,
    /// One entry per design column.
    pub terms: Vec<CoxTerm>,
    /// Whether the fit converged.
    pub converged: bool,
    /// Warnings of the fit (constant column, infinite coefficient, ...).
    pub warnings: Vec<String>,
}

/// One row of the screening table (JSON `"univariate"` of
/// `oncomark cox --univariate`).
///
/// A factor of one column gives one row with its hazard ratio, Wald and
/// likelihood-ratio P. A factor of several columns gives a row for the
/// factor (no hazard ratio; `p_wald` and `p_lr` are its multi-df tests on
/// `df` = levels - 1) followed by one row per column (its hazard ratio and
/// Wald P, `p_lr` null, `df` 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnivariateRow {
    /// Column name (or factor name on a factor row).
    pub term: String,
    /// The factor the row belongs to.
    pub factor: String,
    /// Subjects used for the factor.
    pub n: usize,
    /// Events among them.
    pub events: usize,
    /// Hazard ratio.
    pub hr: Option<f64>,
    /// Lower confidence limit.
    pub hr_lower: Option<f64>,
    /// Upper confidence limit.
    pub hr_upper: Option<f64>,
    /// Wald P (of the column, or of the whole factor on a factor row).
    pub p_wald: Option<f64>,
    /// Likelihood-ratio P of the factor.
    pub p_lr: Option<f64>,
    /// Degrees of freedom of the P values.
    pub df: usize,
    /// Status of the column's estimate (`estimated` on factor rows).
    pub status: TermStatus,
}

/// Fit one Cox model per factor (see the [module docs](self)); factors are
/// fitted in parallel.
///
/// # Errors
/// The option errors of [`CoxProblem::fit`] and the errors of
/// [`CoxProblem::new`], for the first factor that fails.
///
/// # Example
/// ```
/// use oncomark_survival::cox::{CoxData, CoxOptions};
/// use oncomark_survival::univariate::{univariate, univariate_rows, FactorData};
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
/// let event = [true, true, false, true, true, true, false, true];
/// let x = CoxData::new(&time, &event, &[vec![3.0, 2.5, 1.0, 2.0, 0.5, 1.0, 0.0, 0.2]], &["x"])?;
/// // a 3-level factor on the 6 subjects where it is known (levels a, b, c; a reference)
/// let g = CoxData::new(
///     &time[..6], &event[..6],
///     &[vec![1.0, 0.0, 1.0, 0.0, 0.0, 0.0], vec![0.0, 1.0, 0.0, 0.0, 1.0, 0.0]],
///     &["gb", "gc"],
/// )?;
/// let fs = [
///     FactorData { name: "x".into(), data: x, missing: 0 },
///     FactorData { name: "g".into(), data: g, missing: 2 },
/// ];
/// let res = univariate(&fs, &CoxOptions::default())?;
/// assert_eq!((res[1].n, res[1].df), (6, 2));
/// let rows = univariate_rows(&res);
/// assert_eq!(rows.len(), 1 + 3); // x; then g (factor row) and gb, gc
/// assert!(rows[1].hr.is_none() && rows[2].hr.is_some());
/// // the factor row carries the 2-df likelihood-ratio test
/// assert_eq!(rows[1].p_lr, Some(res[1].likelihood_ratio.p));
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn univariate(
    factors: &[FactorData],
    opts: &CoxOptions,
) -> Result<Vec<UnivariateFactor>, SurvivalError> {
    factors
        .par_iter()
        .map(|f| {
            let pr = CoxProblem::new(&f.data, opts.ties)?;
            let fit = pr.fit(opts)?;
            let df = fit.tests.likelihood_ratio.df;
            Ok(UnivariateFactor {
                factor: f.name.clone(),
                n: fit.n,
                events: fit.events,
                missing: f.missing,
                df,
                likelihood_ratio: fit.tests.likelihood_ratio,
                wald: fit.tests.wald,
                score: fit.tests.score,
                terms: fit.terms,
                converged: fit.converged,
                warnings: fit.warnings,
            })
        })
        .collect()
}

/// Flatten screening results into table rows (see [`UnivariateRow`]).
///
/// # Example
/// See [`univariate`].
pub fn univariate_rows(factors: &[UnivariateFactor]) -> Vec<UnivariateRow> {
    let mut rows = Vec::new();
    for f in factors {
        let single = f.terms.len() == 1;
        if !single {
            rows.push(UnivariateRow {
                term: f.factor.clone(),
                factor: f.factor.clone(),
                n: f.n,
                events: f.events,
                hr: None,
                hr_lower: None,
                hr_upper: None,
                p_wald: (f.df > 0).then_some(f.wald.p),
                p_lr: (f.df > 0).then_some(f.likelihood_ratio.p),
                df: f.df,
                status: TermStatus::Estimated,
            });
        }
        for t in &f.terms {
            rows.push(UnivariateRow {
                term: t.term.clone(),
                factor: f.factor.clone(),
                n: f.n,
                events: f.events,
                hr: t.hr,
                hr_lower: t.hr_lower,
                hr_upper: t.hr_upper,
                p_wald: t.p,
                p_lr: (single && f.df > 0).then_some(f.likelihood_ratio.p),
                df: 1,
                status: t.status,
            });
        }
    }
    rows
}
