//! Cutpoints of continuous markers for survival: maximally selected
//! statistics with P values corrected for the search, validation of a
//! chosen cutpoint, and many-marker screens with false-discovery control.
//! Checked against R `maxstat` 0.7-25 and `survival` 3.5-3.
//!
//! # What is here
//! * [`maxstat()`] / [`maxstat_sorted`]: the best split of a marker for
//!   survival, as R `maxstat.test(smethod = "LogRank")` (also Gehan
//!   scores and the Cox score test, see [`SplitStatistic`]). P values are
//!   methods of the result: [`Maxstat::p_lau92`], [`Maxstat::p_lau94`],
//!   [`Maxstat::p_exact_gauss`], [`Maxstat::p_hl`],
//!   [`Maxstat::p_permutation`], [`Maxstat::p_altman`].
//! * [`cutpoint`]: the analysis behind `oncomark cutpoint` (search, P
//!   values, groups, hazard ratio) in one serializable [`CutpointResult`].
//! * [`validate`]: training/validation splits (a trial set of the first
//!   patients, or X-tile's random split), the cross-validated log-rank test
//!   of Faraggi & Simon (1996), bootstrap intervals of the cutpoint and its
//!   hazard ratio.
//! * [`screen`]: thousands of markers against one survival outcome, one
//!   marker column per thread, with Benjamini-Hochberg q values.
//! * [`scores`], [`pvalue`], [`gauss`], [`hl`]: the building blocks.
//!
//! Inputs are plain slices (`time`, `event`, `marker`; NaN in a marker
//! means missing and drops the patient). Results derive
//! `serde::Serialize`; nothing here reads files or prints.
//!
//! # Why a raw minimum P value must never be reported
//! Choosing the cutpoint that gives the smallest log-rank P value, and then
//! reporting that P value, answers a question nobody asked. The search
//! tries dozens or hundreds of cutpoints; each has a 5% chance of a P value
//! below 0.05 on a marker that has no relation to survival at all, and
//! although neighbouring cutpoints give correlated tests, the best of them
//! falls below 0.05 far more often than one time in twenty. Altman,
//! Lausen, Sauerbrei & Schumacher (1994) showed that this "optimal
//! cutpoint" approach declares a useless marker significant at the nominal
//! 5% level in about 40% of studies (our own simulation with R maxstat, 2
//! 000 null data sets of 100 patients searched between the 10th and 90th
//! percentiles, gives 39.5%). The reported P value is not a P value: it
//! does not have the meaning its number suggests.
//!
//! Lausen & Schumacher (1992) gave the remedy: treat the *maximum* of the
//! standardized statistics as the test statistic and compute its null
//! distribution, which in large samples is that of the maximum of a
//! standardized Brownian bridge over the searched range. Measured against
//! that distribution, a best-cutpoint P value of 0.05 (searching 10%-90%)
//! corresponds to a corrected P value of about 0.49, and a corrected P of
//! 0.05 needs a raw minimum P of about 0.0023:
//!
//! ```
//! let corrected = oncomark_cutpoint::altman_corrected(0.05, 0.1)?;
//! assert!((corrected - 0.4916).abs() < 1e-4);
//! let needed = oncomark_cutpoint::altman_corrected(0.002257, 0.1)?;
//! assert!((needed - 0.05).abs() < 1e-4);
//! # Ok::<(), oncomark_cutpoint::CutpointError>(())
//! ```
//!
//! The same selection makes the hazard ratio at the chosen cutpoint too
//! far from 1 and the cutpoint itself unstable from sample to sample
//! (Altman et al. 1994). So this crate never returns the raw minimum P as a
//! result; report instead
//! * the maximally selected statistic with a corrected P value
//!   ([`Maxstat::p_lau94`] by default; [`Maxstat::p_exact_gauss`] or
//!   [`Maxstat::p_permutation`] for a sharper value), and
//! * a validation of the cutpoint on patients it was not chosen on
//!   ([`validate::train_validate`], [`validate::cross_validated_p`]),
//!   with bootstrap intervals ([`validate::bootstrap`]).
//!
//! The screen follows the same rule: its "best cutpoint" column carries
//! the Lau94 P value, and its q values are computed from corrected P
//! values.
//!
//! References: Altman DG, Lausen B, Sauerbrei W, Schumacher M (1994)
//! "Dangers of using 'optimal' cutpoints in the evaluation of prognostic
//! factors", J Natl Cancer Inst 86:829-835. Lausen B, Schumacher M (1992)
//! "Maximally selected rank statistics", Biometrics 48:73-85.
//!
//! # The P-value methods at a glance
//! | method | what it is | use |
//! | --- | --- | --- |
//! | `lau92` | Miller-Siegmund asymptotic bound (Lausen & Schumacher 1992) | quick, conservative |
//! | `lau94` | improved Bonferroni over the actual splits (Lausen et al. 1994) | default; sharp for P < 0.1 |
//! | `exact_gauss` | exact maximum of the limiting Gaussian process, deterministic recursion | any n, close to the conditional P from n ≈ 80 |
//! | `permutation` | conditional Monte Carlo, seeded and parallel | the conditional P to Monte-Carlo error |
//! | `hl` | R's Hothorn-Lausen method on integer scores | reproducing R; can be far above the exact P |
//! | `altman` | Altman's correction of the minimum P | equals `lau92` for this statistic |
//!
//! # Example
//! ```
//! use oncomark_cutpoint::{cutpoint, CutpointOptions, PMethod};
//! let time = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0, 6.0, 10.0];
//! let event = [true, true, true, false, true, true, false, true, true, false, true, false];
//! let marker = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 3.5, 6.5];
//! let opts = CutpointOptions {
//!     p_methods: vec![PMethod::Lau94, PMethod::Permutation { replicates: 999, seed: 1 }],
//!     ..Default::default()
//! };
//! let r = cutpoint(&time, &event, &marker, &opts)?.with_marker("m");
//! assert!(r.p_values.lau94.unwrap() <= 1.0);
//! println!("{}", serde_json::to_string(&r).unwrap());
//! # Ok::<(), oncomark_cutpoint::CutpointError>(())
//! ```

mod analysis;
pub mod data;
mod error;
pub mod gauss;
pub mod hl;
pub mod maxstat;
mod normal;
pub mod permutation;
pub mod pvalue;
pub mod scores;
pub mod screen;
mod twogroup;
pub mod validate;

pub use analysis::{cutpoint, CutpointOptions, CutpointResult, GroupSummary, PMethod, PValues};
pub use data::SortedSurvival;
pub use error::CutpointError;
pub use gauss::p_exact_gauss;
pub use hl::HlResult;
pub use maxstat::{maxstat, maxstat_sorted, Maxstat, MaxstatOptions, SplitPoint, SplitStatistic};
pub use permutation::PermutationP;
pub use pvalue::{
    altman_corrected, altman_corrected_approx, p_lausen92, p_lausen94, p_lausen94_props,
};
