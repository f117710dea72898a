//! `oncomark simulate --design paper --seed N --out DIR`: the raw tables of
//! a simulated cohort with the seed paper's design (see
//! `oncomark_study::simulate`) and a ready-to-run study spec pointing at
//! them. DIR is written atomically.

use std::path::PathBuf;

use oncomark_study::simulate::simulate_paper_cohort;
use oncomark_study::spec::templates::paper_spec;

use super::study::{build_dir, write};
use crate::output::Outcome;

/// Shown under `oncomark simulate --help`.
pub const EXAMPLE: &str = "Example:
  oncomark simulate --design paper --seed 2009 --out sim2009
  oncomark study run sim2009/study.toml --out sim2009-results";

/// Study designs that can be simulated.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Design {
    /// The seed paper: 78 trastuzumab-treated and 30 chemotherapy-only
    /// HER-2-positive metastatic breast cancer patients, two IHC readers,
    /// lesion measurements.
    Paper,
}

/// Arguments of `oncomark simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The design.
    #[arg(long, value_enum, default_value = "paper")]
    design: Design,
    /// Random seed (the same seed gives the same tables).
    #[arg(long, default_value_t = 2009)]
    seed: u64,
    /// Output folder (created; its parent must exist).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write truth.csv, the latent values behind the tables.
    #[arg(long)]
    truth: bool,
    /// Replace DIR if it exists.
    #[arg(long)]
    force: bool,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let Design::Paper = args.design;
    let s = simulate_paper_cohort(args.seed);
    let mut files = vec!["patients.csv", "ihc.csv", "lesions.csv", "study.toml"];
    build_dir(&args.out, args.force, |dir| {
        write(&dir.join("patients.csv"), s.patients_csv().as_bytes())?;
        write(&dir.join("ihc.csv"), s.ihc_csv().as_bytes())?;
        write(&dir.join("lesions.csv"), s.lesions_csv().as_bytes())?;
        if args.truth {
            write(&dir.join("truth.csv"), s.truth_csv().as_bytes())?;
        }
        write(&dir.join("study.toml"), paper_spec(args.seed).as_bytes())
    })?;
    if args.truth {
        files.push("truth.csv");
    }
    println!(
        "Simulated the paper's design (seed {}): {} patients, {} lesion measurements.\nWrote {} ({}).\nRun it with: oncomark study run {} --out RESULTS",
        args.seed,
        s.patients.len(),
        s.lesions.len(),
        args.out.display(),
        files.join(", "),
        args.out.join("study.toml").display()
    );
    Ok(())
}
