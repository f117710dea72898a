//! Integration tests of oncomark-assay: hand cases first, then reference
//! values from drc, the Chou-Talalay papers, SynergyFinder's definitions
//! (re-implemented in Python) and scipy / statsmodels.

mod blot;
mod clonogenic;
mod compare;
mod dose_response;
mod examples;
mod plate;
mod properties;
mod synergy;
mod viability;
