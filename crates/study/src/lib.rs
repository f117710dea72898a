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
//!
//! Every function takes plain typed rows (dates as [`chrono::NaiveDate`])
//! and returns result structs that derive `serde::Serialize`; nothing here
//! reads or writes files.
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
pub mod response;
pub mod simulate;

mod error;

pub use error::{Result, StudyError};
