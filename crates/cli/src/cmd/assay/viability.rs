//! `oncomark assay viability`: viability in % of the untreated control from
//! plater-style plate maps, one file per plate.

use std::path::{Path, PathBuf};

use anyhow::Context;
use oncomark_assay::compare::ComparisonSet;
use oncomark_assay::plate::{parse_plate_map, LayoutSpec, PlateMap, WellRole};
use oncomark_assay::viability::{viability, ViabilityOptions, ViabilityResult};
use serde::Serialize;

use super::common::{
    assay_failure, comparisons_text, conditions_csv, conditions_text, fx, notes_text, render_table,
    resolve_control, run_comparisons, CompareArgs,
};
use super::figures::{bar_figure, BarFigure, BarSpec, FigureArgs};
use crate::output::{emit, Failure, Outcome, OutputArgs};

/// Shown under `oncomark assay viability --help`.
pub const EXAMPLE: &str = "Examples (run in examples/assay):
  oncomark assay viability --plates xtt_exp1.csv,xtt_exp2.csv,xtt_exp3.csv
  oncomark assay viability --plates xtt_exp1.csv,xtt_exp2.csv,xtt_exp3.csv --blank-subtraction
      --control 'IgG 10' --adjust holm
  oncomark assay viability --plates p1.csv,p2.csv --layout layout.csv
      --pair 'Tz 10 + AIIB2 10 vs Tz 10' --test paired --format json
  oncomark assay viability --plates xtt_exp1.csv,xtt_exp2.csv,xtt_exp3.csv --control 'IgG 10'
      --plot viability.svg --error sem";

/// Arguments of `oncomark assay viability`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Plate-map files in plater format (grids headed `name,1,2,...,12`,
    /// rows A-H, separated by a blank line), one plate per file, comma
    /// separated or repeated. The file name is the plate id.
    #[arg(
        long,
        value_name = "F1.csv,F2.csv,...",
        value_delimiter = ',',
        required = true
    )]
    plates: Vec<PathBuf>,
    /// A plate-map file with the layout grids (treatment, cell line, role,
    /// ...) shared by every plate; the plate files then need only their
    /// readings. A grid may not be in both.
    #[arg(long, value_name = "PATH")]
    layout: Option<PathBuf>,
    /// Grid with the readings (absorbance, luminescence, ...).
    #[arg(long, value_name = "NAME", default_value = "absorbance")]
    reading: String,
    /// Grid with the treatment labels.
    #[arg(long, value_name = "NAME", default_value = "treatment")]
    treatment: String,
    /// Grid with a numeric dose (optional).
    #[arg(long, value_name = "NAME", default_value = "dose")]
    dose: String,
    /// Grid with the cell line (optional).
    #[arg(long, value_name = "NAME", default_value = "cell_line")]
    cell_line: String,
    /// Grid with the independent experiment (optional: the plate is the
    /// experiment when absent).
    #[arg(long, value_name = "NAME", default_value = "experiment")]
    experiment: String,
    /// Grid with the well roles blank, control, positive, sample (optional:
    /// inferred from the treatment, `medium`/`blank`/`empty` = blank,
    /// `untreated`/`control` = control).
    #[arg(long, value_name = "NAME", default_value = "role")]
    role: String,
    /// Subtract the plate's mean blank (medium-only wells) from treated and
    /// control means. Default: the seed paper's formula without it.
    #[arg(long)]
    blank_subtraction: bool,
    /// Control treatment the comparisons refer to (default: the treatment of
    /// the untreated-control wells, which is 100 % by construction; an
    /// isotype control such as 'IgG 10' has a variance of its own).
    #[arg(long, value_name = "LABEL")]
    control: Option<String>,
    #[command(flatten)]
    compare: CompareArgs,
    #[command(flatten)]
    figure: FigureArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// A plate file and the plate id it was given.
#[derive(Serialize)]
struct PlateFile {
    plate: String,
    path: String,
}

#[derive(Serialize)]
struct ViabilityOutput {
    files: Vec<PlateFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<String>,
    #[serde(flatten)]
    result: ViabilityResult,
    control: String,
    comparisons: Option<ComparisonSet>,
}

fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} {}", path.display()))
        .map_err(Failure::input)
}

/// Plate ids: the file names, or the paths as given when two files share a
/// name.
fn plate_ids(paths: &[PathBuf]) -> Vec<String> {
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
        })
        .collect();
    names
        .iter()
        .zip(paths)
        .map(|(n, p)| {
            if names.iter().filter(|m| *m == n).count() > 1 {
                p.display().to_string()
            } else {
                n.clone()
            }
        })
        .collect()
}

/// Add the layout grids to a plate.
fn merge_layout(mut plate: PlateMap, layout: &PlateMap) -> Result<PlateMap, Failure> {
    if plate.format != layout.format {
        return Err(Failure::input(anyhow::anyhow!(
            "plate `{}` has {} wells ({} columns) but the layout `{}` has {} wells ({} columns); a layout must describe plates of the same size",
            plate.plate,
            plate.format.wells(),
            plate.format.cols,
            layout.plate,
            layout.format.wells(),
            layout.format.cols
        )));
    }
    for (name, values) in layout.variables.iter().zip(&layout.values) {
        if plate.variables.contains(name) {
            return Err(Failure::input(anyhow::anyhow!(
                "grid `{name}` is in both the plate `{}` and the layout `{}`; keep it in one of them",
                plate.plate,
                layout.plate
            )));
        }
        plate.variables.push(name.clone());
        plate.values.push(values.clone());
    }
    Ok(plate)
}

/// Run the subcommand.
pub fn run(args: Args) -> Outcome {
    let plot = args.figure.plot.target()?;
    let layout = match &args.layout {
        Some(p) => {
            let id = p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
            let text = read_text(p, "layout file")?;
            Some(parse_plate_map(&id, &text).map_err(assay_failure)?)
        }
        None => None,
    };
    let spec = LayoutSpec {
        reading: args.reading.clone(),
        treatment: args.treatment.clone(),
        dose: args.dose.clone(),
        cell_line: args.cell_line.clone(),
        experiment: args.experiment.clone(),
        role: args.role.clone(),
        ..LayoutSpec::default()
    };
    let ids = plate_ids(&args.plates);
    let mut wells = Vec::new();
    let mut files = Vec::new();
    for (path, id) in args.plates.iter().zip(&ids) {
        let text = read_text(path, "plate-map file")?;
        let mut plate = parse_plate_map(id, &text).map_err(assay_failure)?;
        if let Some(l) = &layout {
            plate = merge_layout(plate, l)?;
        }
        let w = plate.wells(&spec).map_err(|e| {
            let f = assay_failure(e);
            Failure {
                code: f.code,
                error: f
                    .error
                    .context(format!("plate-map file {}", path.display())),
            }
        })?;
        if w.is_empty() {
            return Err(Failure::input(anyhow::anyhow!(
                "plate-map file {}: no used well (every cell of every grid is empty)",
                path.display()
            )));
        }
        wells.extend(w);
        files.push(PlateFile {
            plate: id.clone(),
            path: path.display().to_string(),
        });
    }
    let result = viability(
        &wells,
        &ViabilityOptions {
            blank_subtraction: args.blank_subtraction,
        },
    )
    .map_err(assay_failure)?;
    let role_control: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for w in wells.iter().filter(|w| w.role == WellRole::Control) {
            if !v.contains(&w.treatment.as_str()) {
                v.push(&w.treatment);
            }
        }
        v
    };
    let treatments: Vec<String> = result
        .conditions
        .iter()
        .map(|c| c.condition.treatment.clone())
        .collect();
    let control = resolve_control(&treatments, args.control.as_deref(), &role_control)?;
    let comparisons = run_comparisons(&result.experiments, &control, &args.compare)?;
    if let Some(target) = &plot {
        let bars = result
            .conditions
            .iter()
            .map(|c| BarSpec::of(c, &c.condition.cell_line, "", args.figure.error))
            .collect();
        let svg = bar_figure(
            bars,
            &BarFigure {
                y_label: "Viability (% of untreated control)".into(),
                reference: 100.0,
                error: args.figure.error,
                title: None,
                comparisons: comparisons.iter().map(|c| (String::new(), c)).collect(),
            },
        )?;
        target.write(&svg)?;
    }
    let out = ViabilityOutput {
        files,
        layout: args.layout.as_ref().map(|p| p.display().to_string()),
        result,
        control,
        comparisons,
    };
    emit(
        &args.output,
        &out,
        || text(&out),
        Some(&|| conditions_csv(&out.result.conditions, &[])),
    )
}

fn text(o: &ViabilityOutput) -> String {
    let r = &o.result;
    let mut experiments: Vec<&str> = Vec::new();
    for e in &r.experiments {
        if !experiments.contains(&e.experiment.as_str()) {
            experiments.push(&e.experiment);
        }
    }
    let mut s = format!(
        "Viability in % of the untreated control: {} plate(s), {} independent experiment(s) ({})\n",
        o.files.len(),
        experiments.len(),
        experiments.join(", ")
    );
    s.push_str(&format!("Formula: {}\n", r.formula));
    s.push_str("Technical replicate wells are averaged per plate; each experiment gives one value per condition, the unit of inference.\n\n");
    s.push_str(
        "Plate quality (Z' of the untreated control against the positive control or the blank)\n",
    );
    let rows: Vec<Vec<String>> = r
        .plates
        .iter()
        .map(|p| {
            vec![
                p.plate.clone(),
                p.experiment.clone(),
                p.cell_line.clone(),
                p.blank_mean.map_or("NA".into(), |b| fx(b, 3)),
                format!(
                    "{} ± {} ({})",
                    fx(p.control_mean, 3),
                    fx(p.control_sd, 3),
                    p.n_control
                ),
                p.z_prime.as_ref().map_or("NA".into(), |z| {
                    format!("{} vs {}", fx(z.z_prime, 2), p.z_prime_low)
                }),
                p.z_prime
                    .as_ref()
                    .map_or(String::new(), |z| z.quality.to_string()),
            ]
        })
        .collect();
    s.push_str(&render_table(
        &[
            "plate",
            "experiment",
            "cell line",
            "blank",
            "control ± SD (wells)",
            "Z'",
            "quality",
        ],
        &[false, false, false, true, true, true, false],
        &rows,
    ));
    let bad: Vec<String> = r
        .plates
        .iter()
        .filter(|p| p.z_prime.as_ref().is_some_and(|z| z.z_prime < 0.5))
        .map(|p| format!("{} ({})", p.plate, p.cell_line))
        .collect();
    if !bad.is_empty() {
        s.push_str(&format!(
            "!! Z' below 0.5 (a marginal assay window): {}\n",
            bad.join(", ")
        ));
    }
    s.push_str("\nViability (%), mean ± SD over experiments\n");
    s.push_str(&conditions_text(&r.conditions, 1));
    if let Some(c) = &o.comparisons {
        s.push('\n');
        s.push_str(&comparisons_text(c, "viability (%)", 1));
    }
    if !r.notes.is_empty() {
        s.push('\n');
        s.push_str(&notes_text(&r.notes));
    }
    s
}
