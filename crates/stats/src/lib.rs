//! Hypothesis tests for contingency tables, means and ranks, multiplicity
//! adjustment and agreement, checked against R `stats` 4.2.2, `psych`
//! 2.2.9 and Python statsmodels 0.15.
//!
//! - Contingency tables ([`ContingencyTable`]): Fisher's exact test
//!   ([`fisher_exact`], [`fisher_2x2`]), Pearson's chi-square with and
//!   without Yates' correction ([`chi_square`]), the G test ([`g_test`]),
//!   the Cochran-Armitage trend test ([`trend_test`],
//!   [`trend_test_table`]), McNemar/Bowker ([`mcnemar`]), odds ratio and
//!   relative risk with Wald intervals ([`odds_ratio`], [`relative_risk`]),
//!   percentages ([`ContingencyTable::percentages`]).
//! - Means and ranks: t-tests ([`t_test_one_sample`], [`t_test_paired`],
//!   [`t_test_two_sample`]), Wilcoxon tests ([`wilcoxon_rank_sum`],
//!   [`wilcoxon_signed_rank`], [`wilcoxon_signed_rank_paired`]),
//!   Kruskal-Wallis ([`kruskal_wallis`]), one-way ANOVA
//!   ([`one_way_anova`]).
//! - Multiplicity: [`p_adjust`].
//! - Agreement: Cohen's (weighted) kappa ([`cohen_kappa`]) and the
//!   Shrout-Fleiss intraclass correlations ([`icc`]).
//!
//! All functions take plain typed input (slices, a checked
//! [`ContingencyTable`]) and return result structs that derive
//! `serde::Serialize`, with the field names of the CLI contract
//! (`docs/cli-contract.md`: `oncomark table`, `ttest`, `agreement`) where
//! it shows them. They know nothing of files, columns or printing; labels
//! are the caller's business.
//!
//! Distribution tails are computed directly (upper tails with statrs' `sf`
//! or the incomplete beta function of the upper tail, never `1 - cdf`), so
//! small P values keep their relative accuracy.

mod anova;
mod chisq;
mod common;
mod effect;
mod error;
mod fisher;
mod icc;
mod kappa;
mod padjust;
mod rank;
mod table;
mod ttest;

use serde::Serialize;

pub use anova::{one_way_anova, OneWayAnova};
pub use chisq::{
    chi_square, g_test, mcnemar, trend_test, trend_test_table, ChiSquareTest, McNemarTest,
    TrendTest,
};
pub use common::Alternative;
pub use effect::{odds_ratio, relative_risk, Haldane, RatioEstimate};
pub use error::{Result, StatsError};
pub use fisher::{
    fisher_2x2, fisher_exact, fisher_monte_carlo, FisherMonteCarlo, FisherOptions, FisherTest,
    DEFAULT_WORK_LIMIT,
};
pub use icc::{icc, Icc, IccEstimate};
pub use kappa::{cohen_kappa, Kappa, KappaWeights};
pub use padjust::{p_adjust, PAdjustMethod};
pub use rank::{
    kruskal_wallis, wilcoxon_rank_sum, wilcoxon_signed_rank, wilcoxon_signed_rank_paired,
    KruskalWallis, RankTestOptions, WilcoxonKind, WilcoxonTest, EXACT_BELOW,
};
pub use table::{ContingencyTable, Percentages};
pub use ttest::{
    t_test_one_sample, t_test_paired, t_test_two_sample, GroupSummary, TTest, TTestKind,
    TTestOptions,
};

/// The `tests` object of `oncomark table`: each test that was run, under
/// the contract's name (absent tests are not serialized).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TableTests {
    /// Fisher's exact test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fisher: Option<FisherTest>,
    /// Pearson's chi-square without correction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chisq: Option<ChiSquareTest>,
    /// Pearson's chi-square with Yates' correction (2x2 tables only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chisq_yates: Option<ChiSquareTest>,
    /// The likelihood-ratio G test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g_test: Option<ChiSquareTest>,
    /// The Cochran-Armitage trend test (Kx2 or 2xK tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<TrendTest>,
}

impl TableTests {
    /// Run the chosen tests with default options: `fisher` (as
    /// [`fisher_exact`]), `chisq` (Pearson's chi-square, plus the Yates
    /// version for a 2x2 table, and the G test), `trend` (with default
    /// scores).
    ///
    /// # Errors
    /// The first error of a chosen test.
    ///
    /// ```
    /// use oncomark_stats::{ContingencyTable, TableTests};
    /// let t = ContingencyTable::two_by_two([[4, 19], [25, 30]]).unwrap();
    /// let r = TableTests::compute(&t, true, true, false).unwrap();
    /// assert!(r.fisher.is_some() && r.chisq_yates.is_some() && r.trend.is_none());
    /// ```
    pub fn compute(
        table: &ContingencyTable,
        fisher: bool,
        chisq: bool,
        trend: bool,
    ) -> Result<Self> {
        let mut out = Self::default();
        if fisher {
            out.fisher = Some(fisher_exact(table, &FisherOptions::default())?);
        }
        if chisq {
            out.chisq = Some(chi_square(table, false)?);
            if table.is_2x2() {
                out.chisq_yates = Some(chi_square(table, true)?);
            }
            out.g_test = Some(g_test(table)?);
        }
        if trend {
            out.trend = Some(trend_test_table(table, None)?);
        }
        Ok(out)
    }
}
