//! Survival analysis checked against R `survival` 3.5: Kaplan-Meier curves
//! ([`km`]), restricted mean survival time ([`rmst`](mod@rmst)), the log-rank family
//! of tests ([`logrank`](mod@logrank)) and Cox proportional-hazards regression ([`cox`]).
//!
//! All functions take plain slices (`time: &[f64]`, `event: &[bool]`, group
//! indices) and return result structs that derive `serde::Serialize`. They
//! know nothing about files, columns or printing. Times that differ by less
//! than R's `aeqSurv` tolerance are treated as tied (see [`order`]).
//!
//! ```
//! use oncomark_survival::{kaplan_meier_groups, logrank, KmOptions, LogrankOptions};
//! let time = [5.0, 8.0, 12.0, 3.0, 4.0, 9.0];
//! let event = [true, false, true, true, true, true];
//! let group = [0, 0, 0, 1, 1, 1];
//! let km = kaplan_meier_groups(&time, &event, &group, &["a", "b"], &KmOptions::default())?;
//! assert_eq!(km.groups[1].median, Some(4.0));
//! let lr = logrank(&time, &event, &group, &["a", "b"], &LogrankOptions::default())?;
//! assert_eq!(lr.df, 1);
//! # Ok::<(), oncomark_survival::SurvivalError>(())
//! ```

pub mod cox;
pub mod firth;
pub mod interaction;
pub mod km;
pub mod landmark;
pub mod logrank;
pub mod order;
pub mod power;
pub mod rmst;
pub mod select;
pub mod univariate;
pub mod zph;

mod error;

pub use error::SurvivalError;
pub use km::{
    kaplan_meier, kaplan_meier_groups, kaplan_meier_sorted, median_followup, reverse_kaplan_meier,
    ConfType, FollowUp, KmAt, KmFit, KmOptions, KmResult, KmStep,
};
pub use logrank::{
    logrank, logrank_sorted, logrank_stratified, Logrank, LogrankGroup, LogrankOptions,
    LogrankTrend,
};
pub use order::{tied_time_groups, time_order, SortedSurv, TiedTimes};
pub use rmst::{rmst, rmst_difference, Rmst, RmstDiff};
