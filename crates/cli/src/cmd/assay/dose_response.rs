//! `oncomark assay dose-response`: log-logistic curves (drc's LL.4, LL.3,
//! LL.3u, LL.2) and effective doses, one curve per group.
//!
//! A group whose curve cannot be fitted (flat response, too few doses, no
//! convergence) gets an entry with an `error` field and no parameters; the
//! other groups are still reported and the exit status is 0. When no group
//! can be fitted (in particular the only one, without `--group`) the exit
//! status is 1 with the reasons on stderr.

use oncomark_assay::dose_response::{
    fit_log_logistic, DoseResponseFit, DoseResponseOptions, EdType, LogLogisticModel,
};
use oncomark_assay::AssayError;
use oncomark_data::FrameBuilder;
use serde::Serialize;

use super::common::{assay_failure, check_values, cvo, render_table};
use super::figures::{dose_figure, DoseGroup, FigureArgs};
use crate::cmd::{codes, csv_field, parse_numbers, DataArgs};
use crate::output::{emit, num, pval, Failure, Outcome, OutputArgs};

/// Shown under `oncomark assay dose-response --help`.
pub const EXAMPLE: &str = "Examples:
  oncomark assay dose-response --data ryegrass.csv --dose conc --response rootl --ed 10,50,90
  oncomark assay dose-response --data viability.csv --dose conc --response viability
      --group cell_line --fixed-top 100 --ed 50 --ed-type absolute --format json
  oncomark assay dose-response --data ryegrass.csv --dose conc --response rootl --plot curve.svg";

/// Which asymptotes are estimated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelArg {
    /// Four parameters: slope b, lower limit c, upper limit d, ED50 e.
    Ll4,
    /// Lower limit fixed (--fixed-bottom, default 0).
    Ll3,
    /// Upper limit fixed (--fixed-top, e.g. 100 for % of control).
    Ll3u,
    /// Both limits fixed (--fixed-bottom, default 0, and --fixed-top).
    Ll2,
}

/// Relative or absolute ED levels.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum EdTypeArg {
    /// ED p: p % of the way from the response at dose 0 to the other limit.
    Relative,
    /// ED y: the dose where the curve equals the response y (e.g. IC50 as
    /// 50 % viability).
    Absolute,
}

/// Arguments of `oncomark assay dose-response`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Column with the dose (a number >= 0; dose 0 is the untreated control).
    #[arg(long, value_name = "COL")]
    dose: String,
    /// Column with the response.
    #[arg(long, value_name = "COL")]
    response: String,
    /// Column defining groups (one curve per value).
    #[arg(long, value_name = "COL")]
    group: Option<String>,
    /// Effective doses to report (comma separated): percentages of the
    /// effect (relative) or response values (absolute).
    #[arg(long, value_name = "LEVELS", default_value = "50")]
    ed: String,
    /// Whether the ED levels are relative (%) or absolute response values.
    #[arg(long, value_enum, default_value = "relative")]
    ed_type: EdTypeArg,
    /// Model (default: LL.4, or what --fixed-bottom/--fixed-top imply:
    /// ll3, ll3u or ll2).
    #[arg(long, value_enum)]
    model: Option<ModelArg>,
    /// Fix the lower limit c at this value.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    fixed_bottom: Option<f64>,
    /// Fix the upper limit d at this value.
    #[arg(long, value_name = "Y", allow_hyphen_values = true)]
    fixed_top: Option<f64>,
    /// Fit even when the curve does not beat a constant (F test P > 0.05);
    /// by default such data give an error instead of a meaningless ED50.
    #[arg(long)]
    force: bool,
    /// Confidence level of the ED intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    #[command(flatten)]
    figure: FigureArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// One group's curve, or why there is none.
#[derive(Serialize)]
struct FitEntry {
    group: String,
    #[serde(flatten)]
    fit: Option<DoseResponseFit>,
    /// Observations of a group that could not be fitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct DoseResponseOutput {
    dose: String,
    response: String,
    group: Option<String>,
    model: &'static str,
    ed_type: EdType,
    conf_level: f64,
    n: usize,
    dropped_missing: usize,
    fits: Vec<FitEntry>,
}

fn resolve_model(args: &Args) -> Result<LogLogisticModel, Failure> {
    let (b, t) = (args.fixed_bottom, args.fixed_top);
    let bad = |msg: &str| Err(Failure::input(anyhow::anyhow!("{msg}")));
    match args.model {
        None => Ok(LogLogisticModel {
            bottom: b,
            top: t,
        }),
        Some(ModelArg::Ll4) => {
            if b.is_some() || t.is_some() {
                return bad("--model ll4 estimates both limits, so --fixed-bottom/--fixed-top do not apply; use --model ll3 (bottom fixed), ll3u (top fixed) or ll2 (both), or leave --model out");
            }
            Ok(LogLogisticModel::ll4())
        }
        Some(ModelArg::Ll3) => {
            if t.is_some() {
                return bad("--model ll3 fixes the lower limit only; to fix the top use --model ll3u, to fix both --model ll2");
            }
            Ok(LogLogisticModel::ll3(b.unwrap_or(0.0)))
        }
        Some(ModelArg::Ll3u) => match (b, t) {
            (Some(_), _) => bad("--model ll3u fixes the upper limit only; to fix both use --model ll2"),
            (None, None) => bad("--model ll3u needs the fixed upper limit: give --fixed-top, e.g. 100 for viability in % of control"),
            (None, Some(t)) => Ok(LogLogisticModel::ll3u(t)),
        },
        Some(ModelArg::Ll2) => match t {
            None => bad("--model ll2 needs the fixed upper limit: give --fixed-top, e.g. 100 for viability in % of control (and --fixed-bottom, default 0)"),
            Some(t) => Ok(LogLogisticModel::ll2(b.unwrap_or(0.0), t)),
        },
    }
}

/// The message of a failed fit, in the CLI's words where the library's
/// mention options by their Rust names.
fn fit_message(e: &AssayError) -> String {
    match e {
        AssayError::NoDoseEffect {
            model,
            f,
            df1,
            df2,
            p,
            alpha,
        } => format!(
            "{model}: no dose effect (F = {f:.4} on {df1} and {df2} df, P = {p:.4} > {alpha}); the data are flat or too noisy for a curve, so no ED/IC value is reported (--force fits anyway)"
        ),
        other => other.to_string(),
    }
}

/// Run the subcommand.
pub fn run(args: Args) -> Outcome {
    let plot = args.figure.plot.target()?;
    let model = resolve_model(&args)?;
    let levels = parse_numbers("--ed", &args.ed)?;
    if levels.is_empty() {
        return Err(Failure::input(anyhow::anyhow!(
            "--ed: give at least one level, e.g. --ed 50 or --ed 10,50,90"
        )));
    }
    let table = args.data.load()?;
    let mut fb = FrameBuilder::new(&table);
    let d = fb.numeric(&args.dose).map_err(Failure::input)?;
    let r = fb.numeric(&args.response).map_err(Failure::input)?;
    let g = match &args.group {
        Some(c) => Some(fb.label(c).map_err(Failure::input)?),
        None => None,
    };
    let frame = fb.build().map_err(Failure::input)?;
    check_values(
        &table,
        &frame,
        &args.dose,
        frame.numeric(d),
        |v| v >= 0.0,
        "a dose must be >= 0",
    )?;
    let ed_type = match args.ed_type {
        EdTypeArg::Relative => EdType::Relative,
        EdTypeArg::Absolute => EdType::Absolute,
    };
    let opts = DoseResponseOptions {
        model,
        ed_levels: levels,
        ed_type,
        conf_level: args.conf_level,
        no_effect_alpha: if args.force { None } else { Some(0.05) },
        ..DoseResponseOptions::default()
    };
    let (group, labels) = match g {
        Some(g) => codes(frame.label(g)),
        None => (vec![0; frame.n()], vec!["all".to_string()]),
    };
    let dose = frame.numeric(d);
    let resp = frame.numeric(r);
    let mut fits = Vec::new();
    // each group's observations, for the figure
    let mut data: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    for (k, label) in labels.iter().enumerate() {
        let idx: Vec<usize> = (0..frame.n()).filter(|&i| group[i] == k as u32).collect();
        let x: Vec<f64> = idx.iter().map(|&i| dose[i]).collect();
        let y: Vec<f64> = idx.iter().map(|&i| resp[i]).collect();
        data.push((x.clone(), y.clone()));
        match fit_log_logistic(&x, &y, &opts) {
            Ok(fit) => fits.push(FitEntry {
                group: label.clone(),
                fit: Some(fit),
                n: None,
                error: None,
            }),
            Err(e) => {
                let message = fit_message(&e);
                let f = assay_failure(e);
                if f.code == 2 {
                    // a bad option or level: the same for every group
                    return Err(Failure::input(anyhow::anyhow!("{message}")));
                }
                fits.push(FitEntry {
                    group: label.clone(),
                    fit: None,
                    n: Some(x.len()),
                    error: Some(message),
                });
            }
        }
    }
    if fits.iter().all(|f| f.fit.is_none()) {
        let why: Vec<String> = fits
            .iter()
            .map(|f| {
                if args.group.is_some() {
                    format!("group {}: {}", f.group, f.error.as_deref().unwrap_or(""))
                } else {
                    f.error.clone().unwrap_or_default()
                }
            })
            .collect();
        return Err(Failure::analysis(anyhow::anyhow!(
            "no dose-response curve could be fitted: {}",
            why.join("; ")
        )));
    }
    if let Some(target) = &plot {
        let groups: Vec<DoseGroup<'_>> = fits
            .iter()
            .zip(data)
            .map(|(e, (dose, response))| DoseGroup {
                label: if args.group.is_some() {
                    e.group.clone()
                } else {
                    String::new()
                },
                dose,
                response,
                fit: e.fit.as_ref(),
            })
            .collect();
        let svg = dose_figure(
            &groups,
            &args.dose,
            &args.response,
            args.conf_level,
            args.figure.error,
        )?;
        target.write(&svg)?;
    }
    let out = DoseResponseOutput {
        dose: args.dose.clone(),
        response: args.response.clone(),
        group: args.group.clone(),
        model: model.name(),
        ed_type,
        conf_level: args.conf_level,
        n: frame.n(),
        dropped_missing: frame.dropped_missing(),
        fits,
    };
    emit(&args.output, &out, || text(&out), Some(&|| csv(&out)))
}

fn text(o: &DoseResponseOutput) -> String {
    let mut s = format!(
        "Log-logistic dose-response fit, {}: f(x) = c + (d - c) / (1 + exp(b (ln x - ln e)))\n",
        o.model
    );
    s.push_str(&format!(
        "Response `{}` against dose `{}`: {} observations{}. Standard errors from the full Hessian (as drc); {:.0}% delta-method ED intervals on the residual df.\n",
        o.response,
        o.dose,
        o.n,
        if o.dropped_missing > 0 {
            format!(" ({} rows dropped for missing values)", o.dropped_missing)
        } else {
            String::new()
        },
        o.conf_level * 100.0
    ));
    for e in &o.fits {
        s.push('\n');
        let Some(f) = &e.fit else {
            s.push_str(&format!(
                "!! Group {}: NOT FITTED ({} observations): {}\n",
                e.group,
                e.n.unwrap_or(0),
                e.error.as_deref().unwrap_or("")
            ));
            continue;
        };
        s.push_str(&format!(
            "Group {}: n = {}, residual SE {} on {} df; F test against no dose effect: F = {}, P = {}\n",
            e.group,
            f.n,
            num(Some(f.residual_se), 5),
            f.df,
            num(Some(f.no_effect.f), 5),
            pval(f.no_effect.p)
        ));
        let p = &f.parameters;
        let se = &f.se;
        let par = |name: &str, v: f64, se: Option<f64>| {
            vec![
                name.to_string(),
                num(Some(v), 6),
                se.map_or("(fixed)".into(), |x| num(Some(x), 5)),
            ]
        };
        let rows = vec![
            par("b (slope)", p.b, se.b),
            par("c (lower limit)", p.c, se.c),
            par("d (upper limit)", p.d, se.d),
            par("e (ED50)", p.e, se.e),
        ];
        s.push_str(&render_table(
            &["parameter", "estimate", "SE"],
            &[false, true, true],
            &rows,
        ));
        let rows: Vec<Vec<String>> = f
            .ed
            .iter()
            .map(|d| {
                vec![
                    match d.ed_type {
                        EdType::Relative => format!("ED{}", num(Some(d.level), 6)),
                        EdType::Absolute => format!("response {}", num(Some(d.level), 6)),
                    },
                    num(d.estimate, 6),
                    num(d.se, 5),
                    match (d.lower, d.upper) {
                        (Some(l), Some(u)) => format!("{} - {}", num(Some(l), 6), num(Some(u), 6)),
                        _ => "NA".into(),
                    },
                    d.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        s.push('\n');
        s.push_str(&render_table(
            &[
                "effective dose",
                "estimate",
                "SE",
                &format!("{:.0}% CI", o.conf_level * 100.0),
                "",
            ],
            &[false, true, true, true, false],
            &rows,
        ));
    }
    s
}

fn csv(o: &DoseResponseOutput) -> String {
    let levels: Vec<String> = o
        .fits
        .iter()
        .find_map(|e| e.fit.as_ref())
        .map(|f| {
            f.ed.iter()
                .map(|d| match d.ed_type {
                    EdType::Relative => format!("ed{}", d.level),
                    EdType::Absolute => format!("ed_at_{}", d.level),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut s = String::from("group,model,n,b,b_se,c,c_se,d,d_se,e,e_se,residual_se,df");
    for l in &levels {
        s.push_str(&format!(",{l},{l}_lower,{l}_upper"));
    }
    s.push_str(",error\n");
    for e in &o.fits {
        s.push_str(&csv_field(&e.group));
        match &e.fit {
            Some(f) => {
                let p = &f.parameters;
                s.push_str(&format!(
                    ",{},{},{},{},{},{},{},{},{},{},{},{}",
                    f.model,
                    f.n,
                    p.b,
                    cvo(f.se.b),
                    p.c,
                    cvo(f.se.c),
                    p.d,
                    cvo(f.se.d),
                    p.e,
                    cvo(f.se.e),
                    f.residual_se,
                    f.df
                ));
                for d in &f.ed {
                    s.push_str(&format!(
                        ",{},{},{}",
                        cvo(d.estimate),
                        cvo(d.lower),
                        cvo(d.upper)
                    ));
                }
                s.push_str(",\n");
            }
            None => {
                s.push_str(&format!(",{},{}", o.model, e.n.unwrap_or(0)));
                s.push_str(&",".repeat(10 + 3 * levels.len()));
                s.push_str(&format!(
                    ",{}\n",
                    csv_field(e.error.as_deref().unwrap_or(""))
                ));
            }
        }
    }
    s
}
