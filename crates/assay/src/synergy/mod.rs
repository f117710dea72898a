//! Drug-combination analysis: Chou-Talalay combination indices and the
//! response-surface reference models (Bliss, HSA, Loewe, ZIP) of
//! SynergyFinder.
//!
//! The two families answer different questions and need different designs:
//! Chou-Talalay needs dose series of each drug alone and, for its Fa-CI
//! table, a constant-ratio series of the mixture; the response-surface
//! models need a full checkerboard (every dose of a with every dose of b,
//! zeros included).

pub mod chou_talalay;
pub mod surface;

pub use chou_talalay::{
    chou_grade, chou_talalay, median_effect, BootstrapOptions, BootstrapSummary,
    ChouTalalayOptions, ChouTalalayResult, CiPoint, DoseEffect, DrugFit, EffectScale,
    ExcludedPoint, FaCiRow, MedianEffect, MixtureFit,
};
pub use surface::{bliss, hsa, loewe, zip, DoseMatrix, SurfaceCell, SurfaceScores};

use serde::Serialize;

/// A response-surface reference model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SurfaceModel {
    /// Bliss independence.
    Bliss,
    /// Highest single agent.
    Hsa,
    /// Loewe additivity.
    Loewe,
    /// Zero interaction potency.
    Zip,
}

impl SurfaceModel {
    /// All four models.
    pub const ALL: [SurfaceModel; 4] = [
        SurfaceModel::Bliss,
        SurfaceModel::Hsa,
        SurfaceModel::Loewe,
        SurfaceModel::Zip,
    ];
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            SurfaceModel::Bliss => "bliss",
            SurfaceModel::Hsa => "hsa",
            SurfaceModel::Loewe => "loewe",
            SurfaceModel::Zip => "zip",
        }
    }
}

/// A model that could not be computed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnavailableModel {
    /// Model name.
    pub model: &'static str,
    /// The error message.
    pub message: String,
}

/// Scores of the requested reference models (`None` when not requested or
/// not computable; the reason is then in `unavailable`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ReferenceModels {
    /// Bliss scores.
    pub bliss: Option<SurfaceScores>,
    /// HSA scores.
    pub hsa: Option<SurfaceScores>,
    /// Loewe scores.
    pub loewe: Option<SurfaceScores>,
    /// ZIP delta scores.
    pub zip: Option<SurfaceScores>,
    /// Models requested but not computable.
    pub unavailable: Vec<UnavailableModel>,
}

/// Compute the requested reference models on one dose matrix; a model that
/// fails (Loewe and ZIP need single-drug curve fits) is listed in
/// `unavailable` without stopping the others.
///
/// ```
/// use oncomark_assay::synergy::{reference_models, DoseMatrix, SurfaceModel};
/// let m = DoseMatrix { dose_a: vec![0.0, 1.0], dose_b: vec![0.0, 1.0],
///                      response: vec![vec![0.0, 40.0], vec![30.0, 70.0]] };
/// let r = reference_models(&m, &[SurfaceModel::Bliss, SurfaceModel::Zip]);
/// assert!((r.bliss.unwrap().score - 12.0).abs() < 1e-12);
/// assert_eq!(r.unavailable[0].model, "zip"); // one dose per drug: no curve
/// ```
pub fn reference_models(m: &DoseMatrix, models: &[SurfaceModel]) -> ReferenceModels {
    let mut out = ReferenceModels::default();
    for &model in models {
        let res = match model {
            SurfaceModel::Bliss => Ok(bliss(m)),
            SurfaceModel::Hsa => Ok(hsa(m)),
            SurfaceModel::Loewe => loewe(m),
            SurfaceModel::Zip => zip(m),
        };
        match res {
            Ok(s) => match model {
                SurfaceModel::Bliss => out.bliss = Some(s),
                SurfaceModel::Hsa => out.hsa = Some(s),
                SurfaceModel::Loewe => out.loewe = Some(s),
                SurfaceModel::Zip => out.zip = Some(s),
            },
            Err(e) => out.unavailable.push(UnavailableModel {
                model: model.name(),
                message: e.to_string(),
            }),
        }
    }
    out
}
