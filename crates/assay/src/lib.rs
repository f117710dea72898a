//! oncomark-assay: the laboratory assays of a translational oncology study.
//!
//! | module | what | checked against |
//! |---|---|---|
//! | [`plate`] | plater-style plate-map grids and long well tables, well roles, Z'-factor | hand cases |
//! | [`viability`] | % of untreated control, with or without blank subtraction | hand cases (XTT) |
//! | [`clonogenic`] | plating efficiency, surviving fraction, linear-quadratic model | statsmodels on CFAssay's example data |
//! | [`blot`] | target / loading ratios and fold changes per blot and across blots | hand cases |
//! | [`replicates`] | one value per independent experiment, summaries | hand cases |
//! | [`compare`] | t tests on biological replicates, multiplicity | R `t.test` values |
//! | [`dose_response`] | log-logistic curves (drc LL.4/LL.3/LL.3u/LL.2), ED values | drc's ryegrass output, scipy |
//! | [`synergy`] | Chou-Talalay CI, DRI, Fa-CI table, isobolograms; Bliss, HSA, Loewe, ZIP | Chou et al. 1994, SynergyFinder's definitions |
//!
//! Like every statistics crate of oncomark, this one takes plain typed input
//! (slices, small structs, and the *text* of a plate-map file) and returns
//! result structs that derive `serde::Serialize`; it never touches the file
//! system and never prints. The unit of inference is the independent
//! experiment: technical replicates (wells, dishes, lanes) are averaged or
//! pooled first.
//!
//! ```
//! use oncomark_assay::plate::{parse_plate_map, LayoutSpec};
//! use oncomark_assay::viability::{viability, ViabilityOptions};
//! let text = "\
//! absorbance,1,2,3
//! A,0.112,1.254,0.802
//! B,0.108,1.301,0.765
//!
//! treatment,1,2,3
//! A,blank,untreated,Tz 10
//! B,blank,untreated,Tz 10
//! ";
//! let wells = parse_plate_map("exp1.csv", text).unwrap().wells(&LayoutSpec::default()).unwrap();
//! let r = viability(&wells, &ViabilityOptions { blank_subtraction: true }).unwrap();
//! let tz = r.conditions.iter().find(|c| c.condition.treatment == "Tz 10").unwrap();
//! // 100 * (0.7835 - 0.110) / (1.2775 - 0.110)
//! assert!((tz.mean - 57.687_366).abs() < 1e-5);
//! ```

pub mod blot;
pub mod clonogenic;
pub mod compare;
pub mod dose_response;
pub mod error;
mod linalg;
mod lm;
pub mod plate;
pub mod replicates;
mod rng;
pub mod synergy;
pub mod viability;

pub use error::{AssayError, Result};
