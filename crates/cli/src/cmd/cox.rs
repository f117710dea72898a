//! `oncomark cox`: Cox proportional-hazards regression.

use oncomark_data::FrameBuilder;
use oncomark_survival::cox::{fit, CoxData, CoxFit, CoxOptions, TermStatus, Ties};
use serde::Serialize;

use super::{codes, CodingArgs, DataArgs, SurvArgs};
use crate::output::{emit, fixed, num, pval, Failure, Outcome, OutputArgs};

/// Shown under `oncomark cox --help`.
pub const EXAMPLE: &str = "Example:
  oncomark cox --data examples/gbsg2.csv --time time --event cens --covariates horTh,age,tgrade,pnodes,progrec
  oncomark cox --data examples/gbsg2.csv --time time --event cens --covariates horTh,pnodes --strata tgrade --ties breslow --format json";

/// Tie handling.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum TiesArg {
    /// Efron's approximation (default, as R coxph).
    Efron,
    /// Breslow's approximation (SAS PHREG's default).
    Breslow,
    /// The exact discrete likelihood (R ties = "exact"); small tie sets only.
    Exact,
}

/// Arguments of `oncomark cox`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    surv: SurvArgs,
    /// Covariates (comma separated). Text columns, and those named in
    /// --categorical, are dummy coded as `column=level`.
    #[arg(long, value_name = "COLS", value_delimiter = ',', required = true)]
    covariates: Vec<String>,
    #[command(flatten)]
    coding: CodingArgs,
    /// Column defining strata (a separate baseline hazard per value).
    #[arg(long, value_name = "COL")]
    strata: Option<String>,
    /// Tie handling.
    #[arg(long, value_enum, default_value = "efron")]
    ties: TiesArg,
    /// Confidence level of the hazard-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Serialize)]
struct CoxOutput {
    #[serde(flatten)]
    fit: CoxFit,
    dropped_missing: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    strata: Option<String>,
    selection: Option<()>,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let table = args.data.load()?;
    let coding = args.coding.coding()?;
    let mut fb = FrameBuilder::new(&table);
    let (ecol, evalue) = args.surv.event_spec();
    let t = fb.time(&args.surv.time).map_err(Failure::input)?;
    let e = fb.event(ecol, evalue).map_err(Failure::input)?;
    let cols: Vec<&str> = args.covariates.iter().map(String::as_str).collect();
    let x = fb.terms(&cols, &coding).map_err(Failure::input)?;
    let s = match &args.strata {
        Some(c) => Some(fb.label(c).map_err(Failure::input)?),
        None => None,
    };
    let frame = fb.build().map_err(Failure::input)?;
    if !(args.conf_level > 0.0 && args.conf_level < 1.0) {
        return Err(Failure::input(anyhow::anyhow!(
            "--conf-level {}: give a level between 0 and 1, e.g. 0.95",
            args.conf_level
        )));
    }
    let design = frame.design(x);
    if !frame.event(e).iter().any(|&d| d) {
        return Err(Failure::analysis(anyhow::anyhow!(
            "no events among the {} complete rows (column {:?}): a Cox model needs at least one event",
            frame.n(),
            ecol
        )));
    }
    // The frame is validated: what the survival crate still refuses is an
    // analysis it cannot do (exit 1).
    let mut data = CoxData::new(
        frame.time(t),
        frame.event(e),
        &design.columns,
        &design.names,
    )
    .map_err(Failure::analysis)?;
    if let Some(s) = s {
        let (strata, _) = codes(frame.label(s));
        data = data.with_strata(&strata).map_err(Failure::analysis)?;
    }
    let opts = CoxOptions {
        ties: match args.ties {
            TiesArg::Efron => Ties::Efron,
            TiesArg::Breslow => Ties::Breslow,
            TiesArg::Exact => Ties::Exact,
        },
        conf_level: args.conf_level,
        ..CoxOptions::default()
    };
    let fit = fit(&data, &opts).map_err(Failure::analysis)?;
    let out = CoxOutput {
        fit,
        dropped_missing: frame.dropped_missing(),
        strata: args.strata.clone(),
        selection: None,
    };
    emit(&args.output, &out, || text(&out), Some(&|| csv(&out.fit)))
}

fn text(o: &CoxOutput) -> String {
    let f = &o.fit;
    let mut s = format!(
        "Cox regression ({} ties{}): n = {}, events = {}{}\n\n",
        match f.ties {
            Ties::Efron => "Efron",
            Ties::Breslow => "Breslow",
            Ties::Exact => "exact",
        },
        o.strata
            .as_ref()
            .map(|c| format!(", stratified by {c}"))
            .unwrap_or_default(),
        f.n,
        f.events,
        if o.dropped_missing > 0 {
            format!(" ({} rows dropped for missing values)", o.dropped_missing)
        } else {
            String::new()
        }
    );
    s.push_str(&format!(
        "{:<24} {:>10} {:>9} {:>8} {:>20} {:>10}\n",
        "term",
        "coef",
        "se",
        "HR",
        format!("{:.0}% CI", f.conf_level * 100.0),
        "P"
    ));
    for t in &f.terms {
        let flag = match t.status {
            TermStatus::Estimated => "",
            TermStatus::Infinite => "  (infinite?)",
            TermStatus::NotEstimable => "  (not estimable)",
        };
        s.push_str(&format!(
            "{:<24} {:>10} {:>9} {:>8} {:>20} {:>10}{flag}\n",
            t.term,
            num(t.coef, 5),
            num(t.se, 4),
            fixed(t.hr, 3),
            format!("{} - {}", fixed(t.hr_lower, 3), fixed(t.hr_upper, 3)),
            t.p.map_or("NA".into(), pval),
        ));
    }
    let tt = &f.tests;
    s.push_str(&format!(
        "\nLikelihood ratio test = {} on {} df, P = {}\nWald test             = {} on {} df, P = {}\nScore (log-rank) test = {} on {} df, P = {}\nConcordance = {}\n",
        num(Some(tt.likelihood_ratio.statistic), 5),
        tt.likelihood_ratio.df,
        pval(tt.likelihood_ratio.p),
        num(Some(tt.wald.statistic), 5),
        tt.wald.df,
        pval(tt.wald.p),
        num(Some(tt.score.statistic), 5),
        tt.score.df,
        pval(tt.score.p),
        num(f.concordance, 4),
    ));
    if !f.converged {
        s.push_str(&format!(
            "\nThe fit did not converge in {} iterations.\n",
            f.iterations
        ));
    }
    for w in &f.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

fn csv(f: &CoxFit) -> String {
    let mut s = String::from("term,coef,se,hr,hr_lower,hr_upper,z,p,status\n");
    let v = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
    for t in &f.terms {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            super::csv_field(&t.term),
            v(t.coef),
            v(t.se),
            v(t.hr),
            v(t.hr_lower),
            v(t.hr_upper),
            v(t.z),
            v(t.p),
            match t.status {
                TermStatus::Estimated => "estimated",
                TermStatus::Infinite => "infinite",
                TermStatus::NotEstimable => "not_estimable",
            }
        ));
    }
    s
}
