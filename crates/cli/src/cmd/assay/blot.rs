//! `oncomark assay blot`: densitometry of immunoblots from a long table of
//! band intensities, one target protein at a time.

use oncomark_assay::blot::{densitometry, Band, BlotOptions, BlotResult};
use oncomark_assay::compare::ComparisonSet;
use oncomark_assay::replicates::{summarise, ExperimentValue};
use oncomark_data::FrameBuilder;
use serde::Serialize;

use super::common::{
    assay_failure, check_values, comparisons_text, cv, fx, notes_text, optional_column,
    render_table, resolve_control, run_comparisons, CompareArgs,
};
use super::figures::{bar_figure, BarFigure, BarSpec, FigureArgs};
use crate::cmd::{csv_field, DataArgs};
use crate::output::{emit, Failure, Outcome, OutputArgs};

/// Shown under `oncomark assay blot --help`.
pub const EXAMPLE: &str = "Examples (run in examples/assay):
  oncomark assay blot --data blot_densitometry.csv --control IgG
  oncomark assay blot --data blot_densitometry.csv --log2 --pair 'Tz + AIIB2 vs Tz' --format json
  oncomark assay blot --data blot_densitometry.csv --control IgG --plot blot.svg";

/// Arguments of `oncomark assay blot`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Column with the blot (one blot = one independent experiment).
    #[arg(long, value_name = "COL", default_value = "blot")]
    blot: String,
    /// Column with the lane label (default: `lane` if the table has it;
    /// otherwise lanes are numbered by row).
    #[arg(long, value_name = "COL")]
    lane: Option<String>,
    /// Column with the cell line (default: `cell_line` if the table has it).
    #[arg(long, value_name = "COL")]
    cell_line: Option<String>,
    /// Column with the treatment label.
    #[arg(long, value_name = "COL", default_value = "treatment")]
    treatment: String,
    /// Column naming the target protein (default: `target` if the table has
    /// it); each target is analysed separately.
    #[arg(long, value_name = "COL")]
    target: Option<String>,
    /// Column with the target band intensity (background subtracted).
    #[arg(long, value_name = "COL", default_value = "target_intensity")]
    target_intensity: String,
    /// Column naming the loading control (default: `loading_control` if the
    /// table has it); reported only.
    #[arg(long, value_name = "COL")]
    loading_control: Option<String>,
    /// Column with the loading-control band intensity.
    #[arg(long, value_name = "COL", default_value = "loading_intensity")]
    loading_intensity: String,
    /// Treatment of the control lanes, the reference of the fold changes
    /// (default: the first of control, untreated, vehicle, IgG found).
    #[arg(long, value_name = "LABEL")]
    control: Option<String>,
    /// Compare log2 fold changes instead of fold changes (a halving and a
    /// doubling then weigh the same).
    #[arg(long)]
    log2: bool,
    #[command(flatten)]
    compare: CompareArgs,
    #[command(flatten)]
    figure: FigureArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Serialize)]
struct TargetResult {
    target: Option<String>,
    loading_control: Option<String>,
    #[serde(flatten)]
    result: BlotResult,
    comparisons: Option<ComparisonSet>,
    /// The compared values (log2 with --log2), one per blot and condition.
    #[serde(skip)]
    values: Vec<ExperimentValue>,
}

#[derive(Serialize)]
struct BlotOutput {
    n: usize,
    dropped_missing: usize,
    log2: bool,
    targets: Vec<TargetResult>,
}

/// Run the subcommand.
pub fn run(args: Args) -> Outcome {
    let plot = args.figure.plot.target()?;
    let table = args.data.load()?;
    let lane_col = optional_column(&table, &args.lane, "lane");
    let line_col = optional_column(&table, &args.cell_line, "cell_line");
    let target_col = optional_column(&table, &args.target, "target");
    let loading_col = optional_column(&table, &args.loading_control, "loading_control");
    let mut fb = FrameBuilder::new(&table);
    let blot = fb.label(&args.blot).map_err(Failure::input)?;
    let treat = fb.label(&args.treatment).map_err(Failure::input)?;
    let mut opt_label = |c: &Option<String>| match c {
        Some(c) => fb.label(c).map(Some).map_err(Failure::input),
        None => Ok(None),
    };
    let lane = opt_label(&lane_col)?;
    let line = opt_label(&line_col)?;
    let target = opt_label(&target_col)?;
    let loading_name = opt_label(&loading_col)?;
    let ti = fb.numeric(&args.target_intensity).map_err(Failure::input)?;
    let li = fb
        .numeric(&args.loading_intensity)
        .map_err(Failure::input)?;
    let frame = fb.build().map_err(Failure::input)?;
    check_values(
        &table,
        &frame,
        &args.target_intensity,
        frame.numeric(ti),
        |v| v >= 0.0,
        "a band intensity must be >= 0",
    )?;
    check_values(
        &table,
        &frame,
        &args.loading_intensity,
        frame.numeric(li),
        |v| v > 0.0,
        "a loading-control intensity must be positive",
    )?;
    let n = frame.n();
    let treatments: Vec<String> = frame.label(treat).to_vec();
    let control = resolve_control(
        &treatments,
        args.control.as_deref(),
        &["control", "untreated", "vehicle", "IgG"],
    )?;
    let mut targets: Vec<Option<String>> = Vec::new();
    for i in 0..n {
        let t = target.map(|t| frame.label(t)[i].clone());
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    let mut out = Vec::new();
    for t in targets {
        let idx: Vec<usize> = (0..n)
            .filter(|&i| target.map(|v| &frame.label(v)[i]) == t.as_ref())
            .collect();
        let bands: Vec<Band> = idx
            .iter()
            .map(|&i| Band {
                blot: frame.label(blot)[i].clone(),
                lane: lane.map_or_else(
                    || (frame.rows()[i] + 1).to_string(),
                    |l| frame.label(l)[i].clone(),
                ),
                cell_line: line.map_or(String::new(), |l| frame.label(l)[i].clone()),
                treatment: frame.label(treat)[i].clone(),
                target: frame.numeric(ti)[i],
                loading: frame.numeric(li)[i],
            })
            .collect();
        let result = densitometry(
            &bands,
            &BlotOptions {
                control_treatment: control.clone(),
            },
        )
        .map_err(|e| {
            let f = assay_failure(e);
            match &t {
                Some(name) => Failure {
                    code: f.code,
                    error: f.error.context(format!("target {name}")),
                },
                None => f,
            }
        })?;
        let mut values = result.blots.clone();
        if args.log2 {
            for v in &mut values {
                v.value = v.value.log2();
            }
        }
        let comparisons = run_comparisons(&values, &control, &args.compare)?;
        let mut loading: Vec<String> = Vec::new();
        if let Some(l) = loading_name {
            for &i in &idx {
                let name = &frame.label(l)[i];
                if !loading.contains(name) {
                    loading.push(name.clone());
                }
            }
        }
        out.push(TargetResult {
            target: t,
            loading_control: (!loading.is_empty()).then(|| loading.join(", ")),
            result,
            comparisons,
            values,
        });
    }
    if let Some(fig_target) = &plot {
        // a bar's group names what varies: the target, the cell line
        let several = out.len() > 1;
        let mut lines: Vec<&str> = Vec::new();
        for t in &out {
            for c in &t.result.conditions {
                if !lines.contains(&c.summary.condition.cell_line.as_str()) {
                    lines.push(&c.summary.condition.cell_line);
                }
            }
        }
        let show_line = lines.len() > 1;
        let mut bars = Vec::new();
        let mut comparisons = Vec::new();
        for t in &out {
            let name = t.target.clone().unwrap_or_default();
            let prefix = format!("{name}\u{1f}");
            // the values compared: fold changes, or their log2 with --log2
            for c in summarise(&t.values) {
                let group: Vec<&str> = [
                    if several { name.as_str() } else { "" },
                    if show_line {
                        c.condition.cell_line.as_str()
                    } else {
                        ""
                    },
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
                bars.push(BarSpec::of(
                    &c,
                    &group.join(", "),
                    &prefix,
                    args.figure.error,
                ));
            }
            if let Some(c) = &t.comparisons {
                comparisons.push((prefix, c));
            }
        }
        let title = match out.as_slice() {
            [t] => t.target.as_ref().map(|name| match &t.loading_control {
                Some(l) => format!("{name} / {l}"),
                None => name.clone(),
            }),
            _ => None,
        };
        let svg = bar_figure(
            bars,
            &BarFigure {
                y_label: if args.log2 {
                    format!("log\u{2082}(fold change vs {control})")
                } else {
                    format!("Fold change vs {control}")
                },
                reference: if args.log2 { 0.0 } else { 1.0 },
                error: args.figure.error,
                title,
                comparisons,
            },
        )?;
        fig_target.write(&svg)?;
    }
    let o = BlotOutput {
        n,
        dropped_missing: frame.dropped_missing(),
        log2: args.log2,
        targets: out,
    };
    emit(&args.output, &o, || text(&o), Some(&|| csv(&o)))
}

fn text(o: &BlotOutput) -> String {
    let mut s = format!(
        "Immunoblot densitometry: {} lanes{}\n",
        o.n,
        if o.dropped_missing > 0 {
            format!(" ({} rows dropped for missing values)", o.dropped_missing)
        } else {
            String::new()
        }
    );
    s.push_str("Ratio = target / loading control per lane; fold change = ratio / mean ratio of the control lanes of the same blot; lanes of a condition averaged per blot; each blot is one independent replicate.\n");
    for t in &o.targets {
        let r = &t.result;
        let blots: Vec<&str> = {
            let mut v: Vec<&str> = Vec::new();
            for b in &r.blots {
                if !v.contains(&b.experiment.as_str()) {
                    v.push(&b.experiment);
                }
            }
            v
        };
        s.push_str(&format!(
            "\n{}{}: fold change over `{}`, {} blot(s)\n",
            t.target.as_deref().unwrap_or("target"),
            t.loading_control
                .as_ref()
                .map_or(String::new(), |l| format!(" / {l}")),
            r.control_treatment,
            blots.len()
        ));
        let has_line = r
            .conditions
            .iter()
            .any(|c| !c.summary.condition.cell_line.is_empty());
        let rows: Vec<Vec<String>> = r
            .conditions
            .iter()
            .map(|c| {
                let m = &c.summary;
                let mut row = Vec::new();
                if has_line {
                    row.push(m.condition.cell_line.clone());
                }
                row.extend([
                    m.condition.treatment.clone(),
                    m.n_experiments.to_string(),
                    if m.sd.is_finite() {
                        format!("{} ± {}", fx(m.mean, 2), fx(m.sd, 2))
                    } else {
                        fx(m.mean, 2)
                    },
                    fx(m.sem, 2),
                    fx(c.geometric_mean, 2),
                    m.values
                        .iter()
                        .map(|v| fx(*v, 2))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]);
                row
            })
            .collect();
        let mut headers = Vec::new();
        let mut right = Vec::new();
        if has_line {
            headers.push("cell line");
            right.push(false);
        }
        headers.extend([
            "treatment",
            "n",
            "mean ± SD",
            "SEM",
            "geometric mean",
            "per blot",
        ]);
        right.extend([false, true, true, true, true, false]);
        s.push_str(&render_table(&headers, &right, &rows));
        if let Some(c) = &t.comparisons {
            s.push('\n');
            s.push_str(&comparisons_text(
                c,
                if o.log2 {
                    "log2 fold change"
                } else {
                    "fold change"
                },
                3,
            ));
        }
        if !r.notes.is_empty() {
            s.push_str(&notes_text(&r.notes));
        }
    }
    s
}

fn csv(o: &BlotOutput) -> String {
    let mut s = String::from(
        "target,cell_line,treatment,n_blots,mean,sd,sem,mean_log2,sd_log2,geometric_mean\n",
    );
    for t in &o.targets {
        for c in &t.result.conditions {
            let m = &c.summary;
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{}\n",
                csv_field(t.target.as_deref().unwrap_or("")),
                csv_field(&m.condition.cell_line),
                csv_field(&m.condition.treatment),
                m.n_experiments,
                cv(m.mean),
                cv(m.sd),
                cv(m.sem),
                cv(c.mean_log2),
                cv(c.sd_log2),
                cv(c.geometric_mean)
            ));
        }
    }
    s
}
