//! Integration tests of the study pipeline: the spec check (every problem at
//! once, located), the seed paper's design on the simulated cohort checked
//! against direct calls of the statistics crates and against R, the patient
//! flow, and the GBSG2 study against R.

mod common;
mod docs;
mod flow;
mod gbsg2;
mod ihc_rules;
mod paper;
mod small;
mod spec_check;
