//! `oncomark assay synergy`: drug-combination analysis from a long table
//! of (dose a, dose b, effect): Chou-Talalay combination indices and the
//! Bliss, HSA, Loewe and ZIP reference models.
//!
//! Each requested method that cannot be computed on the design (the
//! response-surface models need a full checkerboard, Chou-Talalay needs
//! both drugs alone) is listed in `unavailable` with the reason; the exit
//! status is 1 only when none of the requested methods could be computed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use oncomark_assay::synergy::{
    bliss, chou_talalay, hsa, loewe, zip, BootstrapOptions, BootstrapSummary, ChouTalalayOptions,
    CiPoint, DoseEffect, DoseMatrix, DrugFit, EffectScale, ExcludedPoint, FaCiRow, MixtureFit,
    SurfaceScores,
};
use oncomark_assay::AssayError;
use oncomark_data::FrameBuilder;
use serde::Serialize;

use super::common::{assay_failure, check_values, cv, cvo, fx, notes_text, render_table};
use super::figures::{
    fa_ci_figure, heatmap_figure, isobologram_figure, suffixed, target_of, write_all,
};
use crate::cmd::{csv_field, parse_numbers, DataArgs};
use crate::output::{emit, num, Failure, Outcome, OutputArgs};

/// Shown under `oncomark assay synergy --help`.
pub const EXAMPLE: &str = "Examples (run in examples/assay for the first):
  oncomark assay synergy --data synergy_checkerboard.csv --dose-a trastuzumab --dose-b aiib2
      --effect viability --scale viability --bootstrap 1000
  oncomark assay synergy --data chou1994.csv --dose-a paclitaxel --dose-b cisplatin --effect fa
      --method chou-talalay --format json
  oncomark assay synergy --data synergy_checkerboard.csv --dose-a trastuzumab --dose-b aiib2
      --effect viability --scale viability --plot combo.svg
      (writes combo_isobologram.svg, combo_faci.svg, combo_heatmap_bliss.svg, ...)";

/// Scale of the effect column.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ScaleArg {
    /// Fraction affected in [0, 1].
    Fa,
    /// Viability in % of the untreated control: fa = 1 - v / 100.
    Viability,
    /// Inhibition in %: fa = i / 100.
    Inhibition,
}

/// Analysis method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Chou-Talalay median-effect analysis: CI, DRI, Fa-CI table.
    ChouTalalay,
    /// Bliss independence.
    Bliss,
    /// Highest single agent.
    Hsa,
    /// Loewe additivity (log-logistic single-drug curves).
    Loewe,
    /// Zero interaction potency.
    Zip,
    /// All of the above.
    All,
}

/// Arguments of `oncomark assay synergy`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Column with the dose of drug a (0 when absent).
    #[arg(long, value_name = "COL")]
    dose_a: String,
    /// Column with the dose of drug b (0 when absent).
    #[arg(long, value_name = "COL")]
    dose_b: String,
    /// Column with the effect (replicate rows at a dose pair are averaged).
    #[arg(long, value_name = "COL")]
    effect: String,
    /// Scale of the effect column.
    #[arg(long, value_enum, default_value = "fa")]
    scale: ScaleArg,
    /// Methods (comma separated).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "all")]
    method: Vec<MethodArg>,
    /// Dose ratio a / b of the constant-ratio mixture for the Fa-CI table
    /// (default: the only ratio, or the one with the most dose levels).
    #[arg(long, value_name = "RATIO")]
    mixture_ratio: Option<f64>,
    /// Effect levels (fa) of the Fa-CI table.
    #[arg(long, value_name = "FA,...", default_value = "0.5,0.75,0.9,0.95")]
    fa_levels: String,
    /// Bootstrap percentile intervals for the CIs from this many resamples
    /// of the replicates (needs replicate rows at the dose pairs).
    #[arg(long, value_name = "N")]
    bootstrap: Option<usize>,
    /// Seed of the bootstrap generator.
    #[arg(long, default_value_t = 20090301)]
    seed: u64,
    /// Level of the bootstrap intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Also draw the figures, one file per kind named after PREFIX.svg (or
    /// .png in a build with the png feature): PREFIX_isobologram and
    /// PREFIX_faci (Chou-Talalay), `PREFIX_heatmap_<model>` for each
    /// response-surface model computed. Each is written atomically; on
    /// error none is left.
    #[arg(long, value_name = "PREFIX.svg")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

/// The Chou-Talalay part of the output.
#[derive(Serialize)]
struct ChouPart {
    drugs: Vec<DrugFit>,
    mixture: Option<MixtureFit>,
    points: Vec<CiPoint>,
    fa_ci: Vec<FaCiRow>,
    excluded: Vec<ExcludedPoint>,
    bootstrap: Option<BootstrapSummary>,
    notes: Vec<String>,
}

/// Scores of the reference models that were computed.
#[derive(Serialize, Default)]
struct ReferenceModels {
    #[serde(skip_serializing_if = "Option::is_none")]
    bliss: Option<SurfaceScores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hsa: Option<SurfaceScores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    loewe: Option<SurfaceScores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip: Option<SurfaceScores>,
}

/// A requested method that could not be computed.
#[derive(Serialize)]
struct Unavailable {
    method: &'static str,
    message: String,
}

#[derive(Serialize)]
struct SynergyOutput {
    drug_a: String,
    drug_b: String,
    effect: String,
    scale: EffectScale,
    methods: Vec<&'static str>,
    n: usize,
    dropped_missing: usize,
    #[serde(flatten)]
    chou_talalay: Option<ChouPart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference_models: Option<ReferenceModels>,
    unavailable: Vec<Unavailable>,
}

const ORDER: [(MethodArg, &str); 5] = [
    (MethodArg::ChouTalalay, "chou-talalay"),
    (MethodArg::Bliss, "bliss"),
    (MethodArg::Hsa, "hsa"),
    (MethodArg::Loewe, "loewe"),
    (MethodArg::Zip, "zip"),
];

/// Run the subcommand.
pub fn run(args: Args) -> Outcome {
    if let Some(p) = &args.plot {
        // the extension rules of --plot, checked before any analysis
        target_of(p.clone())?;
    }
    let methods: Vec<(MethodArg, &'static str)> = ORDER
        .iter()
        .copied()
        .filter(|(m, _)| args.method.contains(m) || args.method.contains(&MethodArg::All))
        .collect();
    let fa_levels = parse_numbers("--fa-levels", &args.fa_levels)?;
    let table = args.data.load()?;
    let mut fb = FrameBuilder::new(&table);
    let a = fb.numeric(&args.dose_a).map_err(Failure::input)?;
    let b = fb.numeric(&args.dose_b).map_err(Failure::input)?;
    let e = fb.numeric(&args.effect).map_err(Failure::input)?;
    let frame = fb.build().map_err(Failure::input)?;
    for (col, v) in [(&args.dose_a, a), (&args.dose_b, b)] {
        check_values(
            &table,
            &frame,
            col,
            frame.numeric(v),
            |x| x >= 0.0,
            "a dose must be >= 0",
        )?;
    }
    let scale = match args.scale {
        ScaleArg::Fa => EffectScale::Fa,
        ScaleArg::Viability => EffectScale::Viability,
        ScaleArg::Inhibition => EffectScale::Inhibition,
    };
    let obs: Vec<DoseEffect> = (0..frame.n())
        .map(|i| DoseEffect {
            dose_a: frame.numeric(a)[i],
            dose_b: frame.numeric(b)[i],
            effect: frame.numeric(e)[i],
        })
        .collect();
    let mut unavailable = Vec::new();
    let mut chou = None;
    // the mixture's CI over a fine grid of effect levels (Fa-CI curve)
    let mut fa_ci_curve: Vec<(f64, f64)> = Vec::new();
    if methods.iter().any(|(m, _)| *m == MethodArg::ChouTalalay) {
        let opts = ChouTalalayOptions {
            scale,
            mixture_ratio: args.mixture_ratio,
            fa_levels,
            bootstrap: args.bootstrap.map(|n_boot| BootstrapOptions {
                n_boot,
                seed: args.seed,
                conf_level: args.conf_level,
            }),
        };
        match chou_talalay(&obs, &opts) {
            Ok(r) => {
                if args.plot.is_some() && r.mixture.is_some() {
                    let grid = ChouTalalayOptions {
                        fa_levels: (2..=98).map(|k| f64::from(k) / 100.0).collect(),
                        bootstrap: None,
                        ..opts.clone()
                    };
                    if let Ok(g) = chou_talalay(&obs, &grid) {
                        fa_ci_curve = g.fa_ci.iter().map(|row| (row.fa, row.ci)).collect();
                    }
                }
                chou = Some(ChouPart {
                    drugs: r.drugs,
                    mixture: r.mixture,
                    points: r.points,
                    fa_ci: r.fa_ci,
                    excluded: r.excluded,
                    bootstrap: r.bootstrap,
                    notes: r.notes,
                })
            }
            Err(err) => {
                let f = assay_failure(err);
                if f.code == 2 {
                    return Err(f);
                }
                unavailable.push(Unavailable {
                    method: "chou-talalay",
                    message: f.error.to_string(),
                });
            }
        }
    }
    let surface: Vec<(MethodArg, &'static str)> = methods
        .iter()
        .copied()
        .filter(|(m, _)| *m != MethodArg::ChouTalalay)
        .collect();
    let mut reference = None;
    if !surface.is_empty() {
        match DoseMatrix::from_observations(&obs, scale) {
            Ok(m) => {
                let mut r = ReferenceModels::default();
                for (method, name) in &surface {
                    let res = match method {
                        MethodArg::Bliss => Ok(bliss(&m)),
                        MethodArg::Hsa => Ok(hsa(&m)),
                        MethodArg::Loewe => loewe(&m),
                        _ => zip(&m),
                    };
                    match res {
                        Ok(s) => match method {
                            MethodArg::Bliss => r.bliss = Some(s),
                            MethodArg::Hsa => r.hsa = Some(s),
                            MethodArg::Loewe => r.loewe = Some(s),
                            _ => r.zip = Some(s),
                        },
                        Err(err) => unavailable.push(Unavailable {
                            method: name,
                            message: err.to_string(),
                        }),
                    }
                }
                reference = Some(r);
            }
            Err(err) => {
                for (_, name) in &surface {
                    unavailable.push(Unavailable {
                        method: name,
                        message: format!(
                            "the response-surface models need a full checkerboard (every dose of a with every dose of b, 0 included): {}",
                            matrix_message(&err)
                        ),
                    });
                }
            }
        }
    }
    if unavailable.len() == methods.len() {
        let why: Vec<String> = unavailable
            .iter()
            .map(|u| format!("{}: {}", u.method, u.message))
            .collect();
        return Err(Failure::analysis(anyhow::anyhow!(
            "no synergy analysis could be done: {}",
            why.join("; ")
        )));
    }
    if let Some(prefix) = &args.plot {
        let mut figures = Vec::new();
        let mut add = |suffix: &str, svg: oncomark_report::Svg| -> Result<(), Failure> {
            let path = suffixed(prefix, suffix);
            figures.push((path.clone(), target_of(path)?, svg));
            Ok(())
        };
        if let Some(c) = &chou {
            let iso = isobologram_figure(
                &c.points,
                &c.fa_ci,
                c.mixture.as_ref(),
                &args.dose_a,
                &args.dose_b,
            )?;
            if let Some(svg) = iso {
                add("isobologram", svg)?;
            }
            if let Some(svg) = fa_ci_figure(&c.points, &c.fa_ci, c.mixture.as_ref(), &fa_ci_curve)?
            {
                add("faci", svg)?;
            }
        }
        if let Some(r) = &reference {
            for s in [&r.bliss, &r.hsa, &r.loewe, &r.zip].into_iter().flatten() {
                let svg = heatmap_figure(s, &args.dose_a, &args.dose_b)?;
                add(&format!("heatmap_{}", s.model), svg)?;
            }
        }
        if figures.is_empty() {
            return Err(Failure::analysis(anyhow::anyhow!(
                "--plot: nothing to draw: no combination index could be placed on an isobologram or Fa-CI plot and no response-surface model was computed"
            )));
        }
        write_all(&figures)?;
    }
    let out = SynergyOutput {
        drug_a: args.dose_a.clone(),
        drug_b: args.dose_b.clone(),
        effect: args.effect.clone(),
        scale,
        methods: methods.iter().map(|(_, n)| *n).collect(),
        n: frame.n(),
        dropped_missing: frame.dropped_missing(),
        chou_talalay: chou,
        reference_models: reference,
        unavailable,
    };
    emit(&args.output, &out, || text(&out), Some(&|| csv(&out)))
}

/// Why the dose matrix could not be formed, in the CLI's words.
fn matrix_message(e: &AssayError) -> String {
    match e {
        AssayError::MissingVariable { name, found, .. } => {
            format!("no response at {name} ({found} have one)")
        }
        other => other.to_string(),
    }
}

fn scale_text(s: EffectScale) -> &'static str {
    match s {
        EffectScale::Fa => "fraction affected",
        EffectScale::Viability => "viability in % (fa = 1 - v/100)",
        EffectScale::Inhibition => "inhibition in % (fa = i/100)",
    }
}

fn ci_with_interval(ci: f64, lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => format!("{} ({} - {})", fx(ci, 3), fx(l, 3), fx(h, 3)),
        _ => fx(ci, 3),
    }
}

fn text(o: &SynergyOutput) -> String {
    let mut s = format!(
        "Drug combination: a = `{}`, b = `{}`; effect `{}` as {}; {} observations{}\n",
        o.drug_a,
        o.drug_b,
        o.effect,
        scale_text(o.scale),
        o.n,
        if o.dropped_missing > 0 {
            format!(" ({} rows dropped for missing values)", o.dropped_missing)
        } else {
            String::new()
        }
    );
    if let Some(c) = &o.chou_talalay {
        s.push_str("\nChou-Talalay median-effect analysis: fa/fu = (D/Dm)^m (Chou and Talalay 1984; Chou 2006)\n");
        let mut rows: Vec<Vec<String>> = c
            .drugs
            .iter()
            .map(|d| {
                vec![
                    format!(
                        "{} ({})",
                        d.drug,
                        if d.drug == "a" { &o.drug_a } else { &o.drug_b }
                    ),
                    num(Some(d.m), 5),
                    num(Some(d.dm), 5),
                    fx(d.r, 4),
                    d.n.to_string(),
                ]
            })
            .collect();
        if let Some(m) = &c.mixture {
            rows.push(vec![
                format!("mixture a:b = {} ({})", num(Some(m.ratio), 5), m.chosen),
                num(Some(m.m), 5),
                num(Some(m.dm), 5),
                fx(m.r, 4),
                m.n.to_string(),
            ]);
        }
        s.push_str(&render_table(
            &["fit", "m", "Dm", "r", "dose levels"],
            &[false, true, true, true, true],
            &rows,
        ));
        if !c.points.is_empty() {
            s.push_str("\nCombination index at the observed combinations (CI < 1 synergism, 1 additive, > 1 antagonism; mutually exclusive drugs)\n");
            let boot = c.bootstrap.is_some();
            let rows: Vec<Vec<String>> = c
                .points
                .iter()
                .map(|p| {
                    vec![
                        num(Some(p.dose_a), 6),
                        num(Some(p.dose_b), 6),
                        fx(p.fa, 3),
                        p.n.to_string(),
                        ci_with_interval(p.ci, p.ci_lower, p.ci_upper),
                        fx(p.dri_a, 3),
                        fx(p.dri_b, 3),
                        format!("{} ({})", p.grade, p.symbol),
                    ]
                })
                .collect();
            let ci_head = if boot {
                format!(
                    "CI ({:.0}% bootstrap)",
                    c.bootstrap.as_ref().map_or(95.0, |b| b.conf_level * 100.0)
                )
            } else {
                "CI".to_string()
            };
            s.push_str(&render_table(
                &[
                    "dose a",
                    "dose b",
                    "fa",
                    "n",
                    &ci_head,
                    "DRI a",
                    "DRI b",
                    "Chou's grade",
                ],
                &[true, true, true, true, true, true, true, false],
                &rows,
            ));
        }
        if let Some(m) = &c.mixture {
            s.push_str(&format!(
                "\nFa-CI table of the constant-ratio mixture a:b = {}\n",
                num(Some(m.ratio), 5)
            ));
            let rows: Vec<Vec<String>> = c
                .fa_ci
                .iter()
                .map(|r| {
                    vec![
                        fx(r.fa, 2),
                        num(Some(r.dose_a), 5),
                        num(Some(r.dose_b), 5),
                        ci_with_interval(r.ci, r.ci_lower, r.ci_upper),
                        fx(r.ci_nonexclusive, 3),
                        fx(r.dri_a, 3),
                        fx(r.dri_b, 3),
                        format!("{} ({})", r.grade, r.symbol),
                    ]
                })
                .collect();
            s.push_str(&render_table(
                &[
                    "fa",
                    "dose a",
                    "dose b",
                    "CI",
                    "CI non-excl.",
                    "DRI a",
                    "DRI b",
                    "Chou's grade",
                ],
                &[true, true, true, true, true, true, true, false],
                &rows,
            ));
        }
        for x in &c.excluded {
            s.push_str(&format!(
                "!! excluded: dose a {}, dose b {}, fa {}: {}\n",
                num(Some(x.dose_a), 6),
                num(Some(x.dose_b), 6),
                fx(x.fa, 3),
                x.reason
            ));
        }
        s.push_str(&notes_text(&c.notes));
    }
    if let Some(r) = &o.reference_models {
        let models: Vec<&SurfaceScores> = [&r.bliss, &r.hsa, &r.loewe, &r.zip]
            .into_iter()
            .flatten()
            .collect();
        if !models.is_empty() {
            s.push_str("\nResponse-surface reference models (SynergyFinder definitions): synergy = observed - expected % inhibition, averaged over the combinations; > 0 synergy, < 0 antagonism\n");
            let rows: Vec<Vec<String>> = models
                .iter()
                .map(|m| {
                    let (lo, hi) = m
                        .cells
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), c| {
                            (l.min(c.synergy), h.max(c.synergy))
                        });
                    vec![
                        m.model.to_string(),
                        fx(m.score, 2),
                        format!("{} to {}", fx(lo, 2), fx(hi, 2)),
                        m.cells.len().to_string(),
                    ]
                })
                .collect();
            s.push_str(&render_table(
                &["model", "score", "range over cells", "cells"],
                &[false, true, true, true],
                &rows,
            ));
            for m in &models {
                for n in &m.notes {
                    s.push_str(&format!("!! {}: {n}\n", m.model));
                }
            }
        }
    }
    if !o.unavailable.is_empty() {
        s.push('\n');
        // methods failing for the same reason share one line
        let mut seen: Vec<&str> = Vec::new();
        for u in &o.unavailable {
            if seen.contains(&u.message.as_str()) {
                continue;
            }
            seen.push(&u.message);
            let names: Vec<&str> = o
                .unavailable
                .iter()
                .filter(|v| v.message == u.message)
                .map(|v| v.method)
                .collect();
            s.push_str(&format!(
                "!! {} not computed: {}\n",
                names.join(", "),
                u.message
            ));
        }
    }
    s
}

/// One row per combination (both doses positive) with every computed
/// score.
fn csv(o: &SynergyOutput) -> String {
    #[derive(Default)]
    struct Row {
        dose_a: f64,
        dose_b: f64,
        point: Option<usize>,
        surface: [Option<f64>; 4],
    }
    let mut rows: BTreeMap<(u64, u64), Row> = BTreeMap::new();
    let key = |a: f64, b: f64| (a.to_bits(), b.to_bits());
    if let Some(c) = &o.chou_talalay {
        for (k, p) in c.points.iter().enumerate() {
            let r = rows.entry(key(p.dose_a, p.dose_b)).or_default();
            r.dose_a = p.dose_a;
            r.dose_b = p.dose_b;
            r.point = Some(k);
        }
    }
    if let Some(m) = &o.reference_models {
        for (j, s) in [&m.bliss, &m.hsa, &m.loewe, &m.zip].into_iter().enumerate() {
            for c in s.iter().flat_map(|s| &s.cells) {
                let r = rows.entry(key(c.dose_a, c.dose_b)).or_default();
                r.dose_a = c.dose_a;
                r.dose_b = c.dose_b;
                r.surface[j] = Some(c.synergy);
            }
        }
    }
    let mut s = String::from(
        "dose_a,dose_b,fa,n,ci,ci_lower,ci_upper,ci_nonexclusive,dri_a,dri_b,grade,bliss,hsa,loewe,zip\n",
    );
    // the keys are bit patterns of non-negative doses, so they sort by dose
    for r in rows.values() {
        s.push_str(&format!("{},{}", r.dose_a, r.dose_b));
        match r
            .point
            .and_then(|k| o.chou_talalay.as_ref().map(|c| &c.points[k]))
        {
            Some(p) => s.push_str(&format!(
                ",{},{},{},{},{},{},{},{},{}",
                cv(p.fa),
                p.n,
                cv(p.ci),
                cvo(p.ci_lower),
                cvo(p.ci_upper),
                cv(p.ci_nonexclusive),
                cv(p.dri_a),
                cv(p.dri_b),
                csv_field(p.grade)
            )),
            None => s.push_str(",,,,,,,,,"),
        }
        for v in r.surface {
            s.push_str(&format!(",{}", cvo(v)));
        }
        s.push('\n');
    }
    s
}
