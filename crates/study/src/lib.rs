//! The study layer of oncomark: the rules that turn a clinical study's raw
//! tables into analysable variables, and a simulator of such tables.
//!
//! * [`ihc`]: IHC percents -> per-reader and combined scores -> marker
//!   group, straddling and unresolved cases, the reader-by-reader table;
//!   H-score and Allred.
//! * [`response`]: lesion measurements (or recorded responses) -> time-point
//!   and best overall response by WHO, RECIST 1.0 or RECIST 1.1.
//! * [`endpoints`]: dates -> TTP, PFS and OS with censoring, exclusions and
//!   their reasons.
//! * [`simulate`]: a cohort with the seed paper's design (beta1-integrin and
//!   trastuzumab, Cancer Res 2009) as raw tables.
//! * [`spec`]: the study spec (TOML) and its check: every problem at once,
//!   located by key path and line:column; the input tables are read here.
//! * [`pipeline`]: a checked spec run end to end (patient flow,
//!   characteristics, IHC agreement, response, Kaplan-Meier, Cox models,
//!   treatment-by-marker interaction) over `oncomark-stats` and
//!   `oncomark-survival`.
//! * [`results`]: what a run produced, as one serialisable value
//!   (`results.json`), CSV tables and a text summary.
//!
//! The rule modules take plain typed rows (dates as [`chrono::NaiveDate`])
//! and return result structs that derive `serde::Serialize`; only
//! [`spec`] reads files (through `oncomark-data`), and nothing here writes
//! any: the caller (the CLI) writes the results.
//!
//! ```
//! use oncomark_study::endpoints::{derive_all, EndpointOptions};
//! use oncomark_study::ihc::{score_cases, IhcOptions};
//! use oncomark_study::simulate::simulate_paper_cohort;
//! let study = simulate_paper_cohort(7);
//! let ihc = score_cases(&["reader_1", "reader_2"], &study.ihc_cases(), &IhcOptions::default())?;
//! let ends = derive_all(&study.patient_dates(), &EndpointOptions::default())?;
//! assert_eq!(ihc.cases.len(), 108);
//! assert_eq!(ends.ttp.rows.len() + ends.ttp.excluded.len(), 108);
//! # Ok::<(), oncomark_study::StudyError>(())
//! ```

pub mod endpoints;
pub mod ihc;
pub mod pipeline;
pub mod response;
pub mod results;
pub mod simulate;
pub mod spec;

mod error;

pub use error::{Result, StudyError};
