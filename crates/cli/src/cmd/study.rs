//! `oncomark study check SPEC` and `oncomark study run SPEC --out DIR`:
//! the study pipeline of `oncomark-study` (spec format in
//! docs/study-spec.md, results in docs/results-json.md).
//!
//! `run` writes DIR atomically: everything is built in a temporary sibling
//! folder that is renamed to DIR at the end, so DIR holds a complete result
//! or does not exist; any error removes the temporary folder. Inputs are
//! only read.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use oncomark_study::pipeline::{run as run_pipeline, PipelineError, RunMeta};
use oncomark_study::results::{summary, tables, utc_now_rfc3339, StudyResults};
use oncomark_study::spec::{check_file, CheckedSpec, SpecProblems};

use crate::output::{Failure, Outcome};

/// Shown under `oncomark study --help`.
pub const EXAMPLE: &str = "Examples:
  oncomark study check examples/study/paper/study.toml
  oncomark study run examples/study/paper/study.toml --out paper-results
  oncomark study run examples/study/gbsg2.toml --out gbsg2-results --force";

/// Arguments of `oncomark study`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Check a study spec (keys, values, files, columns, cells) and report
    /// every problem at once; nothing is written.
    Check(CheckArgs),
    /// Run the study: results.json, tables/*.csv and a summary on stdout.
    Run(RunArgs),
}

/// Arguments of `oncomark study check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The study spec (TOML).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
}

/// Arguments of `oncomark study run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The study spec (TOML).
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// Output folder (created; its parent must exist).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace DIR if it exists.
    #[arg(long)]
    force: bool,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    match args.command {
        Sub::Check(a) => check(a),
        Sub::Run(a) => run_study(a),
    }
}

/// Spec problems as a failure with exit status 2.
pub(crate) fn spec_failure(p: SpecProblems) -> Failure {
    Failure::input(anyhow!("{p}"))
}

/// A pipeline error as a failure: bad data exit 2, nothing to analyse 1.
pub(crate) fn pipeline_failure(e: PipelineError) -> Failure {
    if e.is_input() {
        Failure::input(e)
    } else {
        Failure::analysis(e)
    }
}

fn check(a: CheckArgs) -> Outcome {
    let c = check_file(&a.spec).map_err(spec_failure)?;
    println!("{}", describe_checked(&c));
    Ok(())
}

/// One paragraph on a checked spec.
pub(crate) fn describe_checked(c: &CheckedSpec) -> String {
    let mut s = format!("{}: the spec is valid", c.file);
    for i in c.inputs() {
        s.push_str(&format!(
            "\n  {}: {} ({} rows, {} columns, sha256 {})",
            i.role,
            i.path,
            i.rows,
            i.columns,
            &i.sha256[..12.min(i.sha256.len())]
        ));
    }
    s
}

/// The command line, for provenance.
pub(crate) fn command_line() -> Vec<String> {
    std::env::args().collect()
}

/// Write `results.json`, `tables/*.csv`, `index.html` and `figures/` of `r`
/// into `dir`; the number
/// of tables written.
pub(crate) fn write_results(dir: &Path, r: &StudyResults) -> Result<usize, Failure> {
    let mut json = serde_json::to_string_pretty(r)
        .context("cannot serialise the results")
        .map_err(Failure::analysis)?;
    json.push('\n');
    write(&dir.join("results.json"), json.as_bytes())?;
    let tdir = dir.join("tables");
    std::fs::create_dir(&tdir)
        .with_context(|| format!("cannot create {}", tdir.display()))
        .map_err(Failure::input)?;
    let ts = tables(r);
    for t in &ts {
        write(&tdir.join(format!("{}.csv", t.name)), t.to_csv().as_bytes())?;
    }
    // The report: index.html and figures/*.svg, rendered from the results
    // alone (the report crate computes nothing).
    let files =
        oncomark_report::study::render(r, &oncomark_report::study::RenderOptions::default())
            .context("cannot render the report")
            .map_err(Failure::analysis)?;
    for f in &files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))
                .map_err(Failure::input)?;
        }
        write(&path, &f.bytes)?;
    }
    Ok(ts.len())
}

/// Write a file inside a folder being built.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(Failure::input)
}

/// Build the folder `out` atomically: check that it can be written (its
/// parent exists; it does not exist unless `force`), let `fill` write into
/// a temporary sibling, then rename the sibling to `out` (replacing an
/// existing `out` when `force`). On any error the sibling is removed and
/// `out` is left as it was.
pub(crate) fn build_dir<T>(
    out: &Path,
    force: bool,
    fill: impl FnOnce(&Path) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .ok_or_else(|| Failure::input(anyhow!("--out {}: give a folder name", out.display())))?
        .to_string_lossy()
        .to_string();
    if !parent.is_dir() {
        return Err(Failure::input(anyhow!(
            "--out {}: the folder {} does not exist; create it first",
            out.display(),
            parent.display()
        )));
    }
    if out.exists() && !force {
        return Err(Failure::input(anyhow!(
            "--out {}: it already exists; choose another folder or add --force to replace it",
            out.display()
        )));
    }
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))
        .map_err(Failure::input)?;
    let value = fill(tmp.path())?;
    if out.exists() {
        if !force {
            return Err(Failure::input(anyhow!(
                "--out {}: it appeared while the results were computed; nothing was replaced",
                out.display()
            )));
        }
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a folder in {}", parent.display()))
            .map_err(Failure::input)?;
        let old_path = old.path().join("previous");
        std::fs::rename(out, &old_path)
            .with_context(|| format!("cannot move the existing {} aside", out.display()))
            .map_err(Failure::input)?;
        if let Err(e) = std::fs::rename(tmp.path(), out) {
            // put the previous folder back
            let _ = std::fs::rename(&old_path, out);
            return Err(Failure::input(anyhow::Error::new(e).context(format!(
                "cannot rename the results to {}",
                out.display()
            ))));
        }
        // `old` (with the previous folder) is removed when dropped
    } else {
        std::fs::rename(tmp.path(), out)
            .with_context(|| format!("cannot rename the results to {}", out.display()))
            .map_err(Failure::input)?;
    }
    // the temporary folder now is `out`: do not delete it
    let _ = tmp.keep();
    Ok(value)
}

fn run_study(a: RunArgs) -> Outcome {
    let created = utc_now_rfc3339();
    let checked = check_file(&a.spec).map_err(spec_failure)?;
    let meta = RunMeta {
        command_line: command_line(),
        created_utc: created,
    };
    // fail early on an existing output folder, before any work
    if a.out.exists() && !a.force {
        return Err(Failure::input(anyhow!(
            "--out {}: it already exists; choose another folder or add --force to replace it",
            a.out.display()
        )));
    }
    let results = run_pipeline(&checked, &meta).map_err(pipeline_failure)?;
    let n_tables = build_dir(&a.out, a.force, |dir| write_results(dir, &results))?;
    print!("{}", summary(&results));
    println!(
        "\nWrote {} (index.html, figures/, results.json and {n_tables} tables in {})",
        a.out.display(),
        a.out.join("tables").display()
    );
    Ok(())
}
