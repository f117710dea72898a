//! `oncomark demo [--out DIR]`: the whole study pipeline on two cohorts,
//! with nothing to download:
//!
//! * `DIR/paper/`: the seed paper's design on a cohort simulated on the fly
//!   (seed 2009; IHC reads of two pathologists, lesion measurements, TTP and
//!   OS from dates, trastuzumab vs chemotherapy alone);
//! * `DIR/gbsg2/`: the GBSG2 trial (686 patients, bundled in the binary
//!   from examples/gbsg2.csv) with the progesterone receptor as a
//!   continuous marker cut at 20 fmol/l and hormone therapy as the
//!   treatment.
//!
//! Each holds `input/` (the tables and the spec, so that
//! `oncomark study run DIR/paper/input/study.toml --out ...` reruns it),
//! `results.json` and `tables/`. DIR is written atomically.

use std::path::{Path, PathBuf};

use oncomark_study::pipeline::{run as run_pipeline, RunMeta};
use oncomark_study::results::{summary, utc_now_rfc3339, StudyResults};
use oncomark_study::simulate::simulate_paper_cohort;
use oncomark_study::spec::check_str;
use oncomark_study::spec::templates::{gbsg2_spec, paper_spec};

use super::study::{build_dir, command_line, pipeline_failure, spec_failure, write, write_results};
use crate::output::{Failure, Outcome};

/// The GBSG2 table (R TH.data::GBSG2, see examples/README.md).
const GBSG2_CSV: &str = include_str!("../../../../examples/gbsg2.csv");

/// The seed of the simulated paper cohort.
pub const DEMO_SEED: u64 = 2009;

/// Shown under `oncomark demo --help`.
pub const EXAMPLE: &str = "Example:
  oncomark demo                      # writes ./oncomark-demo/{paper,gbsg2}
  oncomark demo --out /tmp/demo --force";

/// Arguments of `oncomark demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder (created; its parent must exist).
    #[arg(long, value_name = "DIR", default_value = "oncomark-demo")]
    out: PathBuf,
    /// Replace DIR if it exists.
    #[arg(long)]
    force: bool,
}

/// Write the inputs of one study into `dir/input`, check its spec and run it
/// into `dir`.
fn one_study(
    dir: &Path,
    label: &str,
    spec: &str,
    inputs: &[(&str, &str)],
    meta: &RunMeta,
) -> Result<(StudyResults, usize), Failure> {
    let input = dir.join("input");
    std::fs::create_dir_all(&input)
        .map_err(|e| Failure::input(anyhow::anyhow!("cannot create {}: {e}", input.display())))?;
    for (name, text) in inputs {
        write(&input.join(name), text.as_bytes())?;
    }
    write(&input.join("study.toml"), spec.as_bytes())?;
    let checked =
        check_str(spec, &format!("{label}/input/study.toml"), &input).map_err(spec_failure)?;
    let r = run_pipeline(&checked, meta).map_err(pipeline_failure)?;
    let n = write_results(dir, &r)?;
    Ok((r, n))
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let meta = RunMeta {
        command_line: command_line(),
        created_utc: utc_now_rfc3339(),
    };
    let sim = simulate_paper_cohort(DEMO_SEED);
    let (paper, gbsg2) = build_dir(&args.out, args.force, |dir| {
        let paper = one_study(
            &dir.join("paper"),
            "paper",
            &paper_spec(DEMO_SEED),
            &[
                ("patients.csv", &sim.patients_csv()),
                ("ihc.csv", &sim.ihc_csv()),
                ("lesions.csv", &sim.lesions_csv()),
            ],
            &meta,
        )?;
        let gbsg2 = one_study(
            &dir.join("gbsg2"),
            "gbsg2",
            &gbsg2_spec("gbsg2.csv"),
            &[("gbsg2.csv", GBSG2_CSV)],
            &meta,
        )?;
        Ok((paper, gbsg2))
    })?;
    for (name, (r, n)) in [("paper", &paper), ("gbsg2", &gbsg2)] {
        println!("==== {name}: {}\n", r.study.name);
        print!("{}", summary(r));
        println!(
            "\nWrote {} (index.html, figures/, input/, results.json, {n} tables in tables/)\n",
            args.out.join(name).display()
        );
    }
    println!(
        "Demo written to {}: paper/ (simulated cohort, seed {DEMO_SEED}) and gbsg2/ (GBSG2 trial).",
        args.out.display()
    );
    Ok(())
}
