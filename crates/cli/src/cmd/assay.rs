//! `oncomark assay`: the laboratory assays of a translational study, one
//! nested subcommand per assay (`viability`, `clonogenic`, `blot`,
//! `dose-response`, `synergy`) over the `oncomark-assay` crate.
//!
//! The statistics live in the assay crate; this module reads files (plate
//! maps as text, long tables through `oncomark-data`), checks columns and
//! values with messages naming the file, row and column, turns assay errors
//! into exit statuses (see [`common::assay_failure`]) and renders the
//! results as text, JSON or CSV. docs/cli-assay.md documents every flag and
//! JSON field.

mod blot;
mod clonogenic;
mod common;
mod dose_response;
mod figures;
mod lq_plot;
mod synergy;
mod viability;

use crate::output::Outcome;

/// Shown under `oncomark assay --help`.
pub const EXAMPLE: &str = "Examples (run in examples/assay):
  oncomark assay viability --plates xtt_exp1.csv,xtt_exp2.csv,xtt_exp3.csv --control 'IgG 10'
  oncomark assay clonogenic --data clonogenic.csv --control IgG
  oncomark assay blot --data blot_densitometry.csv --control IgG --log2
  oncomark assay dose-response --data ryegrass.csv --dose conc --response rootl --ed 10,50,90
  oncomark assay synergy --data synergy_checkerboard.csv --dose-a trastuzumab --dose-b aiib2
      --effect viability --scale viability";

/// Arguments of `oncomark assay`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

/// The assays.
#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Viability (XTT, MTT, ...) in % of the untreated control from
    /// plate-map files, one value per independent experiment, with
    /// comparisons.
    #[command(after_help = viability::EXAMPLE)]
    Viability(viability::Args),
    /// Clonogenic survival: plating efficiency, surviving fractions and the
    /// linear-quadratic model.
    #[command(after_help = clonogenic::EXAMPLE)]
    Clonogenic(clonogenic::Args),
    /// Immunoblot densitometry: target / loading ratios and fold changes
    /// per blot and across blots.
    #[command(after_help = blot::EXAMPLE)]
    Blot(blot::Args),
    /// Log-logistic dose-response curves (drc LL.4, LL.3, LL.3u, LL.2) and
    /// effective doses (ED/IC values).
    #[command(after_help = dose_response::EXAMPLE)]
    DoseResponse(dose_response::Args),
    /// Drug-combination synergy: Chou-Talalay combination indices and the
    /// Bliss, HSA, Loewe and ZIP reference models.
    #[command(after_help = synergy::EXAMPLE)]
    Synergy(synergy::Args),
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    match args.command {
        Sub::Viability(a) => viability::run(a),
        Sub::Clonogenic(a) => clonogenic::run(a),
        Sub::Blot(a) => blot::run(a),
        Sub::DoseResponse(a) => dose_response::run(a),
        Sub::Synergy(a) => synergy::run(a),
    }
}
