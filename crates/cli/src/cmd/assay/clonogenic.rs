//! `oncomark assay clonogenic`: plating efficiency, surviving fractions and
//! the linear-quadratic model from a long table of dishes.

use oncomark_assay::clonogenic::{
    fit_lq, surviving_fractions, ClonogenicOptions, ClonogenicResult, ColonyCount, LqFit, LqMethod,
    PeMethod,
};
use oncomark_assay::compare::ComparisonSet;
use oncomark_data::FrameBuilder;
use serde::Serialize;

use super::common::{
    assay_failure, check_values, comparisons_text, conditions_csv, conditions_text, fx, notes_text,
    optional_column, render_table, resolve_control, run_comparisons, CompareArgs,
};
use super::figures::{bar_figure, BarFigure, BarSpec, ErrorArg, FigureArgs};
use super::lq_plot::{lq_figure, LqFigure, LqSeries};
use crate::cmd::DataArgs;
use crate::output::{emit, pval, Failure, Outcome, OutputArgs};

/// Shown under `oncomark assay clonogenic --help`.
pub const EXAMPLE: &str = "Examples (run in examples/assay):
  oncomark assay clonogenic --data clonogenic.csv --control IgG
  oncomark assay clonogenic --data clonogenic.csv --pair 'Tz + AIIB2 vs Tz' --format json
  oncomark assay clonogenic --data survival.csv --experiment Exp --cell-line cline --dose dose
      --cells-plated ncells --colonies ncolonies --lq ml --plot survival.svg";

/// Fitting method of the linear-quadratic model.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LqArg {
    /// Quasi-Poisson maximum likelihood (CFAssay method = "ml").
    Ml,
    /// Least squares on log colony fractions (CFAssay method = "ls").
    Ls,
}

/// Plating efficiencies in the linear-quadratic model.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum PeArg {
    /// One fitted plating efficiency per experiment (CFAssay PEmethod = "fit").
    Fit,
    /// Fixed at each experiment's pooled dose-0 value (PEmethod = "fix").
    Fix,
}

/// Arguments of `oncomark assay clonogenic`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Column with the independent experiment (biological replicate).
    #[arg(long, value_name = "COL", default_value = "experiment")]
    experiment: String,
    /// Column with the cell line (default: `cell_line` if the table has it).
    #[arg(long, value_name = "COL")]
    cell_line: Option<String>,
    /// Column with the treatment label (default: `treatment` if the table
    /// has it). Without one, a --dose column defines the conditions and the
    /// dose-0 dishes are the control.
    #[arg(long, value_name = "COL")]
    treatment: Option<String>,
    /// Column with a numeric dose (default: `dose` if the table has it);
    /// needed by --lq.
    #[arg(long, value_name = "COL")]
    dose: Option<String>,
    /// Column with the number of cells plated per dish.
    #[arg(long, value_name = "COL", default_value = "cells_plated")]
    cells_plated: String,
    /// Column with the number of colonies counted per dish.
    #[arg(long, value_name = "COL", default_value = "colonies")]
    colonies: String,
    /// Treatment of the control dishes that define the plating efficiency
    /// (default: the first of untreated, control, vehicle, IgG found).
    #[arg(long, value_name = "LABEL")]
    control: Option<String>,
    /// Fit the linear-quadratic model S(D) = exp(-(alpha D + beta D^2)) to
    /// each cell line (and treatment) by this method; needs a dose column.
    #[arg(long, value_enum, value_name = "METHOD")]
    lq: Option<LqArg>,
    /// Plating efficiencies in the LQ model.
    #[arg(long, value_enum, default_value = "fit")]
    pe: PeArg,
    #[command(flatten)]
    compare: CompareArgs,
    #[command(flatten)]
    figure: FigureArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// One LQ fit, or why it could not be made.
#[derive(Serialize)]
struct LqEntry {
    cell_line: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    treatment: Option<String>,
    #[serde(flatten)]
    fit: Option<LqFit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct ClonogenicOutput {
    n: usize,
    dropped_missing: usize,
    #[serde(flatten)]
    result: ClonogenicResult,
    comparisons: Option<ComparisonSet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lq: Option<Vec<LqEntry>>,
}

/// Run the subcommand.
pub fn run(args: Args) -> Outcome {
    let plot = args.figure.plot.target()?;
    let table = args.data.load()?;
    let line_col = optional_column(&table, &args.cell_line, "cell_line");
    let treat_col = optional_column(&table, &args.treatment, "treatment");
    let dose_col = optional_column(&table, &args.dose, "dose");
    if treat_col.is_none() && dose_col.is_none() {
        return Err(Failure::input(anyhow::anyhow!(
            "{}: no treatment or dose column; name one with --treatment COL or --dose COL (columns: {})",
            table.file(),
            table.names().join(", ")
        )));
    }
    if args.lq.is_some() && dose_col.is_none() {
        return Err(Failure::input(anyhow::anyhow!(
            "--lq fits survival against dose: name the dose column with --dose COL (columns: {})",
            table.names().join(", ")
        )));
    }
    let mut fb = FrameBuilder::new(&table);
    let exp = fb.label(&args.experiment).map_err(Failure::input)?;
    let line = match &line_col {
        Some(c) => Some(fb.label(c).map_err(Failure::input)?),
        None => None,
    };
    let treat = match &treat_col {
        Some(c) => Some(fb.label(c).map_err(Failure::input)?),
        None => None,
    };
    let dose = match &dose_col {
        Some(c) => Some(fb.numeric(c).map_err(Failure::input)?),
        None => None,
    };
    let cells = fb.numeric(&args.cells_plated).map_err(Failure::input)?;
    let cols = fb.numeric(&args.colonies).map_err(Failure::input)?;
    let frame = fb.build().map_err(Failure::input)?;
    check_values(
        &table,
        &frame,
        &args.cells_plated,
        frame.numeric(cells),
        |v| v > 0.0,
        "the number of cells plated must be positive",
    )?;
    check_values(
        &table,
        &frame,
        &args.colonies,
        frame.numeric(cols),
        |v| v >= 0.0,
        "a colony count must be >= 0",
    )?;
    if let (Some(d), Some(c)) = (dose, &dose_col) {
        check_values(
            &table,
            &frame,
            c,
            frame.numeric(d),
            |v| v >= 0.0,
            "a dose must be >= 0",
        )?;
    }
    let n = frame.n();
    let rows: Vec<ColonyCount> = (0..n)
        .map(|i| {
            let d = dose.map(|d| frame.numeric(d)[i]);
            let treatment = match treat {
                Some(t) => frame.label(t)[i].clone(),
                // no treatment column: the dose-0 dishes are the control
                None => {
                    if d == Some(0.0) {
                        "untreated".to_string()
                    } else {
                        "dose".to_string()
                    }
                }
            };
            ColonyCount {
                experiment: frame.label(exp)[i].clone(),
                cell_line: line.map_or(String::new(), |l| frame.label(l)[i].clone()),
                treatment,
                dose: d,
                cells_plated: frame.numeric(cells)[i],
                colonies: frame.numeric(cols)[i],
            }
        })
        .collect();
    let treatments: Vec<String> = rows.iter().map(|r| r.treatment.clone()).collect();
    let control = resolve_control(
        &treatments,
        args.control.as_deref(),
        &["untreated", "control", "vehicle", "IgG"],
    )?;
    let result = surviving_fractions(
        &rows,
        &ClonogenicOptions {
            control_treatment: control.clone(),
        },
    )
    .map_err(assay_failure)?;
    let comparisons = run_comparisons(&result.experiments, &control, &args.compare)?;
    // the dishes of each LQ curve, for the figure
    let mut curve_rows: Vec<Vec<ColonyCount>> = Vec::new();
    let lq = match args.lq {
        None => None,
        Some(m) => {
            let method = match m {
                LqArg::Ml => LqMethod::Ml,
                LqArg::Ls => LqMethod::Ls,
            };
            let pe = match args.pe {
                PeArg::Fit => PeMethod::Fit,
                PeArg::Fix => PeMethod::Fix,
            };
            // one survival curve per cell line, and per treatment when the
            // table has a treatment column
            let mut series: Vec<(String, Option<String>)> = Vec::new();
            for r in &rows {
                let key = (r.cell_line.clone(), treat.map(|_| r.treatment.clone()));
                if !series.contains(&key) {
                    series.push(key);
                }
            }
            let mut entries = Vec::new();
            for (cl, tr) in series {
                let of: Vec<ColonyCount> = rows
                    .iter()
                    .filter(|r| r.cell_line == cl && tr.as_ref().is_none_or(|t| &r.treatment == t))
                    .cloned()
                    .collect();
                let res = fit_lq(&of, method, pe);
                curve_rows.push(of);
                match res {
                    Ok(fit) => entries.push(LqEntry {
                        cell_line: cl,
                        treatment: tr,
                        fit: Some(fit),
                        error: None,
                    }),
                    Err(e) => {
                        let f = assay_failure(e);
                        if f.code == 2 {
                            return Err(f);
                        }
                        entries.push(LqEntry {
                            cell_line: cl,
                            treatment: tr,
                            fit: None,
                            error: Some(f.error.to_string()),
                        })
                    }
                }
            }
            if entries.iter().all(|e| e.fit.is_none()) {
                let why: Vec<String> = entries
                    .iter()
                    .map(|e| format!("{}: {}", series_name(e), e.error.as_deref().unwrap_or("")))
                    .collect();
                return Err(Failure::analysis(anyhow::anyhow!(
                    "no linear-quadratic model could be fitted: {}",
                    why.join("; ")
                )));
            }
            Some(entries)
        }
    };
    if let Some(target) = &plot {
        let svg = match &lq {
            Some(entries) => {
                let x_label = dose_col.clone().unwrap_or_default();
                lq_svg(entries, &curve_rows, &x_label, args.figure.error)?
            }
            None => bar_figure(
                result
                    .conditions
                    .iter()
                    .map(|c| BarSpec::of(c, &c.condition.cell_line, "", args.figure.error))
                    .collect(),
                &BarFigure {
                    y_label: "Surviving fraction".into(),
                    reference: 1.0,
                    error: args.figure.error,
                    title: None,
                    comparisons: comparisons.iter().map(|c| (String::new(), c)).collect(),
                },
            )?,
        };
        target.write(&svg)?;
    }
    let out = ClonogenicOutput {
        n,
        dropped_missing: frame.dropped_missing(),
        result,
        comparisons,
        lq,
    };
    emit(
        &args.output,
        &out,
        || text(&out),
        Some(&|| conditions_csv(&out.result.conditions, &[])),
    )
}

/// The survival-curve figure of the fitted LQ curves: each curve's dishes
/// normalised to its own dose-0 dishes per experiment by
/// `surviving_fractions` (a curve without dose-0 dishes in every experiment
/// is drawn without points).
fn lq_svg(
    entries: &[LqEntry],
    rows: &[Vec<ColonyCount>],
    x_label: &str,
    error: ErrorArg,
) -> Result<oncomark_report::Svg, Failure> {
    const DOSE0: &str = "dose 0";
    let mut series = Vec::new();
    let mut method = String::new();
    for (e, of) in entries.iter().zip(rows) {
        let Some(fit) = &e.fit else { continue };
        method = format!(
            "{}, PE {}",
            match fit.method {
                LqMethod::Ml => "quasi-Poisson ML",
                LqMethod::Ls => "least squares",
            },
            match fit.pe_method {
                PeMethod::Fit => "fitted",
                PeMethod::Fix => "fixed",
            }
        );
        // the curve's own dose-0 dishes are its control
        let relabelled: Vec<ColonyCount> = of
            .iter()
            .map(|r| ColonyCount {
                treatment: if r.dose == Some(0.0) {
                    DOSE0.to_string()
                } else {
                    "dose".to_string()
                },
                ..r.clone()
            })
            .collect();
        let (points, means) = match surviving_fractions(
            &relabelled,
            &ClonogenicOptions {
                control_treatment: DOSE0.to_string(),
            },
        ) {
            Ok(sf) => (
                sf.experiments
                    .iter()
                    .filter_map(|v| Some((v.condition.dose?, v.value)))
                    .collect(),
                sf.conditions
                    .iter()
                    .filter_map(|c| Some((c.condition.dose?, c.mean, error.of(c))))
                    .collect(),
            ),
            Err(_) => (Vec::new(), Vec::new()),
        };
        series.push(LqSeries {
            label: series_name(e),
            alpha: fit.alpha.estimate,
            beta: fit.beta.estimate,
            points,
            means,
        });
    }
    lq_figure(
        &series,
        &LqFigure {
            x_label: x_label.to_string(),
            error,
            method,
        },
    )
}

fn series_name(e: &LqEntry) -> String {
    let mut s = if e.cell_line.is_empty() {
        "all dishes".to_string()
    } else {
        e.cell_line.clone()
    };
    if let Some(t) = &e.treatment {
        s.push_str(&format!(", {t}"));
    }
    s
}

fn text(o: &ClonogenicOutput) -> String {
    let r = &o.result;
    let mut s = format!(
        "Clonogenic survival: {} dishes{}; control treatment `{}`\n",
        o.n,
        if o.dropped_missing > 0 {
            format!(" ({} rows dropped for missing values)", o.dropped_missing)
        } else {
            String::new()
        },
        r.control_treatment
    );
    s.push_str("Dishes of a condition are pooled within an experiment: PE = colonies / cells plated of the control dishes, SF = (colonies / cells plated) / PE.\n\n");
    s.push_str("Plating efficiency\n");
    let rows: Vec<Vec<String>> = r
        .plating_efficiency
        .iter()
        .map(|p| {
            vec![
                p.experiment.clone(),
                p.cell_line.clone(),
                p.n_dishes.to_string(),
                format!("{} / {}", p.colonies, p.cells_plated),
                format!("{}%", fx(100.0 * p.pe, 1)),
            ]
        })
        .collect();
    s.push_str(&render_table(
        &[
            "experiment",
            "cell line",
            "dishes",
            "colonies / cells",
            "PE",
        ],
        &[false, false, true, true, true],
        &rows,
    ));
    s.push_str("\nSurviving fraction, mean ± SD over experiments\n");
    s.push_str(&conditions_text(&r.conditions, 3));
    if let Some(c) = &o.comparisons {
        s.push('\n');
        s.push_str(&comparisons_text(c, "surviving fraction", 3));
    }
    if let Some(lq) = &o.lq {
        s.push_str("\nLinear-quadratic model S(D) = exp(-(alpha D + beta D^2))\n");
        let rows: Vec<Vec<String>> = lq
            .iter()
            .filter_map(|e| {
                let f = e.fit.as_ref()?;
                Some(vec![
                    series_name(e),
                    format!("{:?} / PE {:?}", f.method, f.pe_method).to_lowercase(),
                    f.n.to_string(),
                    format!("{} (SE {})", fx(f.alpha.estimate, 4), fx(f.alpha.se, 4)),
                    pval(f.alpha.p),
                    format!("{} (SE {})", fx(f.beta.estimate, 5), fx(f.beta.se, 5)),
                    pval(f.beta.p),
                    f.df.to_string(),
                    fx(f.dispersion, 3),
                ])
            })
            .collect();
        s.push_str(&render_table(
            &[
                "curve",
                "method",
                "dishes",
                "alpha",
                "P alpha",
                "beta",
                "P beta",
                "df",
                "dispersion",
            ],
            &[false, false, true, true, true, true, true, true, true],
            &rows,
        ));
        for e in lq {
            if let Some(f) = &e.fit {
                for n in &f.notes {
                    s.push_str(&format!("!! {}: {n}\n", series_name(e)));
                }
            }
            if let Some(err) = &e.error {
                s.push_str(&format!("!! {}: not fitted: {err}\n", series_name(e)));
            }
        }
    }
    if !r.notes.is_empty() {
        s.push('\n');
        s.push_str(&notes_text(&r.notes));
    }
    s
}
