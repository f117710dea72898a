//! `oncomark cox`: Cox proportional-hazards regression, with the model
//! building of the paper's Table 1: univariate screens, SAS-style stepwise
//! selection, Firth's penalty, PH diagnostics and treatment-by-marker
//! interaction.

use oncomark_data::{Frame, FrameBuilder, VarId};
use oncomark_survival::cox::{
    fit as cox_fit, CoxData, CoxFit, CoxOptions, CoxProblem, TermStatus, Ties,
};
use oncomark_survival::firth::{firth, fit_auto, FirthOptions, FitMethod, ModelFit};
use oncomark_survival::interaction::{treatment_interaction, Interaction, InteractionNames};
use oncomark_survival::select::{select, SelectMethod, SelectOptions, Selection, StepAction, Term};
use oncomark_survival::univariate::{univariate, univariate_rows, FactorData, UnivariateRow};
use oncomark_survival::zph::{cox_zph, Zph, ZphTransform};
use serde::Serialize;

use super::{codes, CodingArgs, DataArgs, SurvArgs};
use crate::output::{emit, fixed, num, pval, Failure, Outcome, OutputArgs};
use crate::plot::{cox_figure, PlotArgs};

/// Shown under `oncomark cox --help`.
pub const EXAMPLE: &str = "Examples:
  oncomark cox --data examples/gbsg2.csv --time time --event cens --covariates horTh,age,tgrade,pnodes,progrec
  oncomark cox --data examples/gbsg2.csv --time time --event cens --covariates horTh,pnodes --strata tgrade --ties breslow
  oncomark cox --data examples/gbsg2.csv --time time --event cens --covariates age,tsize,tgrade,pnodes,progrec --univariate
  oncomark cox --data examples/gbsg2.csv --time time --event cens --covariates age,tsize,tgrade,pnodes,progrec,estrec --select stepwise --entry 0.05 --stay 0.05 --zph
  oncomark cox --data examples/gbsg2.csv --time time --event cens --interaction horTh:tgrade
  oncomark cox --data examples/gbsg2.csv --time time --event cens --covariates horTh,age,tgrade,pnodes --plot forest.svg

Monotone likelihood (a covariate that separates events from censorings, common in
small cohorts) makes the ordinary estimate infinite. By default (--firth auto) such a
fit is redone with Firth's penalised likelihood, with a warning; --firth always fits
Firth's model, --firth never keeps the ordinary fit and flags the term as infinite.";

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

/// When to use Firth's penalised likelihood.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FirthArg {
    /// Only when monotone likelihood is detected (with a warning).
    Auto,
    /// Always (Heinze & Schemper 2001; Breslow ties; profile limits).
    Always,
    /// Never: an infinite estimate is flagged, not repaired.
    Never,
}

/// Variable selection method (SAS PHREG semantics).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SelectArg {
    /// Entries by the score test, each followed by removals by the Wald test.
    Stepwise,
    /// Entries only.
    Forward,
    /// Removals only, from the full model.
    Backward,
}

/// Time transform of the proportional-hazards test.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ZphArg {
    /// 1 - KM(t), R cox.zph's default.
    Km,
    /// Rank of the event times.
    Rank,
    /// The time itself.
    Identity,
    /// log(time).
    Log,
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
    #[arg(
        long,
        value_name = "COLS",
        value_delimiter = ',',
        required_unless_present = "interaction"
    )]
    covariates: Vec<String>,
    #[command(flatten)]
    coding: CodingArgs,
    /// Column defining strata (a separate baseline hazard per value).
    #[arg(long, value_name = "COL")]
    strata: Option<String>,
    /// Entry (start) time column for counting-process (start, stop] data:
    /// delayed entry or time-varying covariates; --time is the stop time.
    #[arg(long, value_name = "COL")]
    start: Option<String>,
    /// Tie handling.
    #[arg(long, value_enum, default_value = "efron")]
    ties: TiesArg,
    /// Confidence level of the hazard-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Firth's penalised likelihood: auto (when monotone likelihood is
    /// detected), always, or never.
    #[arg(long, value_enum, default_value = "auto")]
    firth: FirthArg,
    /// One model per covariate (per-covariate complete cases), instead of
    /// one joint model.
    #[arg(long, conflicts_with_all = ["select", "interaction"])]
    univariate: bool,
    /// Select covariates: entry by the score test at --entry, removal by
    /// the Wald test at --stay; a categorical covariate enters and leaves
    /// as a whole.
    #[arg(long, value_enum)]
    select: Option<SelectArg>,
    /// Significance level to enter (SAS SLENTRY).
    #[arg(long, default_value_t = 0.05, requires = "select")]
    entry: f64,
    /// Significance level to stay (SAS SLSTAY).
    #[arg(long, default_value_t = 0.05, requires = "select")]
    stay: f64,
    /// Covariates forced into every model of the selection.
    #[arg(long, value_name = "COLS", value_delimiter = ',', requires = "select")]
    include: Vec<String>,
    /// Test proportional hazards (scaled Schoenfeld residuals, as R
    /// cox.zph) with this time transform.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "km")]
    zph: Option<ZphArg>,
    /// Treatment-by-marker interaction `TREATMENT:MARKER`: is the marker
    /// predictive of the treatment effect? The treatment column has two
    /// levels; the treated level is the one that is not the reference (see
    /// --reference).
    #[arg(long, value_name = "TREATMENT:MARKER")]
    interaction: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    plot: PlotArgs,
}

#[derive(Serialize)]
struct CoxOutput {
    #[serde(flatten)]
    model: Option<ModelFit>,
    dropped_missing: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    strata: Option<String>,
    selection: Option<Selection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zph: Option<Zph>,
}

#[derive(Serialize)]
struct UnivariateOutput {
    univariate: Vec<UnivariateRow>,
    ties: Ties,
    conf_level: f64,
}

#[derive(Serialize)]
struct InteractionOutput {
    interaction: Interaction,
    dropped_missing: usize,
}

fn check_level(flag: &str, v: f64) -> Result<(), Failure> {
    if v > 0.0 && v < 1.0 {
        Ok(())
    } else {
        Err(Failure::input(anyhow::anyhow!(
            "{flag} {v}: give a level between 0 and 1, e.g. 0.05"
        )))
    }
}

/// The variables every model of this run shares.
struct Base {
    t: VarId,
    e: VarId,
    start: Option<VarId>,
    strata: Option<VarId>,
}

fn base(fb: &mut FrameBuilder<'_>, args: &Args) -> Result<Base, Failure> {
    let (ecol, evalue) = args.surv.event_spec();
    Ok(Base {
        t: fb.time(&args.surv.time).map_err(Failure::input)?,
        e: fb.event(ecol, evalue).map_err(Failure::input)?,
        start: match &args.start {
            Some(c) => Some(fb.time(c).map_err(Failure::input)?),
            None => None,
        },
        strata: match &args.strata {
            Some(c) => Some(fb.label(c).map_err(Failure::input)?),
            None => None,
        },
    })
}

/// Cox data from a frame, with strata and entry times.
fn cox_data(
    frame: &Frame,
    b: &Base,
    columns: &[Vec<f64>],
    names: &[String],
) -> Result<CoxData, Failure> {
    if !frame.event(b.e).iter().any(|&d| d) {
        return Err(Failure::analysis(anyhow::anyhow!(
            "no events among the {} complete rows: a Cox model needs at least one event",
            frame.n()
        )));
    }
    // The frame is validated: what the survival crate still refuses is an
    // analysis it cannot do (exit 1).
    let mut data = CoxData::new(frame.time(b.t), frame.event(b.e), columns, names)
        .map_err(Failure::analysis)?;
    if let Some(s) = b.strata {
        let (strata, _) = codes(frame.label(s));
        data = data.with_strata(&strata).map_err(Failure::analysis)?;
    }
    if let Some(st) = b.start {
        data = data.with_entry(frame.time(st)).map_err(Failure::analysis)?;
    }
    Ok(data)
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let plot = args.plot.target()?;
    if plot.is_some() && (args.univariate || args.interaction.is_some()) {
        return Err(Failure::input(anyhow::anyhow!(
            "--plot draws the forest plot of one fitted model; it is not available with --univariate or --interaction"
        )));
    }
    super::check_conf_level(args.conf_level)?;
    if args.select.is_some() {
        check_level("--entry", args.entry)?;
        check_level("--stay", args.stay)?;
    }
    let table = args.data.load()?;
    let coding = args.coding.coding()?;
    let opts = CoxOptions {
        ties: match args.ties {
            TiesArg::Efron => Ties::Efron,
            TiesArg::Breslow => Ties::Breslow,
            TiesArg::Exact => Ties::Exact,
        },
        conf_level: args.conf_level,
        ..CoxOptions::default()
    };
    if args.univariate {
        return run_univariate(&args, &table, &coding, &opts);
    }
    if let Some(spec) = &args.interaction {
        return run_interaction(&args, spec, &table, &coding, &opts);
    }
    let mut fb = FrameBuilder::new(&table);
    let b = base(&mut fb, &args)?;
    let cols: Vec<&str> = args.covariates.iter().map(String::as_str).collect();
    let x = fb.terms(&cols, &coding).map_err(Failure::input)?;
    let frame = fb.build().map_err(Failure::input)?;
    let design = frame.design(x);
    let data = cox_data(&frame, &b, &design.columns, &design.names)?;
    let terms: Vec<Term> = design
        .terms
        .iter()
        .map(|t| Term::new(t.name.clone(), t.columns.clone().collect()))
        .collect();
    let firth_opts = FirthOptions {
        conf_level: args.conf_level,
        ..FirthOptions::default()
    };
    let (model, selection, zph_data, zph_terms) = match args.select {
        Some(method) => {
            for inc in &args.include {
                if !args.covariates.contains(inc) {
                    return Err(Failure::input(anyhow::anyhow!(
                        "--include {inc:?} is not among --covariates ({})",
                        args.covariates.join(", ")
                    )));
                }
            }
            let s = select(
                &data,
                &terms,
                &SelectOptions {
                    method: match method {
                        SelectArg::Stepwise => SelectMethod::Stepwise,
                        SelectArg::Forward => SelectMethod::Forward,
                        SelectArg::Backward => SelectMethod::Backward,
                    },
                    entry: args.entry,
                    stay: args.stay,
                    include: args.include.clone(),
                    cox: opts.clone(),
                },
            )
            .map_err(Failure::analysis)?;
            // The final model's columns and terms, for the PH test.
            let mut keep = Vec::new();
            let mut kept_terms = Vec::new();
            for t in terms.iter().filter(|t| s.selected.contains(&t.name)) {
                let first = keep.len();
                keep.extend(t.columns.iter().copied());
                kept_terms.push(Term::new(t.name.clone(), (first..keep.len()).collect()));
            }
            let final_data = if keep.is_empty() {
                None
            } else {
                Some(data.select_columns(&keep).map_err(Failure::analysis)?)
            };
            let model = s.model.clone().map(|fit| ModelFit {
                method: FitMethod::Cox,
                fit,
                firth: None,
            });
            (model, Some(s), final_data, kept_terms)
        }
        None => {
            let m = match args.firth {
                FirthArg::Never => ModelFit {
                    method: FitMethod::Cox,
                    fit: cox_fit(&data, &opts).map_err(Failure::analysis)?,
                    firth: None,
                },
                FirthArg::Always => firth(&data, &firth_opts).map_err(Failure::analysis)?,
                FirthArg::Auto => fit_auto(&data, &opts, &firth_opts).map_err(Failure::analysis)?,
            };
            (Some(m), None, Some(data), terms)
        }
    };
    let zph = match (args.zph, &model, zph_data) {
        (Some(tr), Some(m), Some(d)) if m.method == FitMethod::Cox => {
            let pr = CoxProblem::new(&d, opts.ties).map_err(Failure::analysis)?;
            let f = pr.fit(&opts).map_err(Failure::analysis)?;
            let transform = match tr {
                ZphArg::Km => ZphTransform::Km,
                ZphArg::Rank => ZphTransform::Rank,
                ZphArg::Identity => ZphTransform::Identity,
                ZphArg::Log => ZphTransform::Log,
            };
            Some(cox_zph(&pr, &f, Some(&zph_terms), transform).map_err(Failure::analysis)?)
        }
        (Some(_), Some(_), _) => {
            return Err(Failure::analysis(anyhow::anyhow!(
                "--zph: the proportional-hazards test needs an ordinary Cox fit, and this model was fitted by Firth's penalised likelihood; rerun with --firth never to test the ordinary fit"
            )))
        }
        _ => None,
    };
    if let Some(target) = &plot {
        match &model {
            Some(m) => target.write(&cox_figure(&m.fit)?)?,
            None => {
                return Err(Failure::analysis(anyhow::anyhow!(
                    "--plot: the selection kept no term, so there is no hazard ratio to draw"
                )))
            }
        }
    }
    let out = CoxOutput {
        model,
        dropped_missing: frame.dropped_missing(),
        strata: args.strata.clone(),
        selection,
        zph,
    };
    emit(
        &args.output,
        &out,
        || text(&out),
        Some(&|| out.model.as_ref().map(|m| csv(&m.fit)).unwrap_or_default()),
    )
}

fn run_univariate(
    args: &Args,
    table: &oncomark_data::Table,
    coding: &oncomark_data::Coding,
    opts: &CoxOptions,
) -> Outcome {
    let mut factors = Vec::new();
    for col in &args.covariates {
        let mut fb = FrameBuilder::new(table);
        let b = base(&mut fb, args)?;
        let x = fb
            .terms(&[col.as_str()], &coding.restricted_to(&[col.as_str()]))
            .map_err(Failure::input)?;
        let frame = fb.build().map_err(Failure::input)?;
        let design = frame.design(x);
        let data = cox_data(&frame, &b, &design.columns, &design.names)?;
        factors.push(FactorData {
            name: col.clone(),
            data,
            missing: frame.dropped_missing(),
        });
    }
    let res = univariate(&factors, opts).map_err(Failure::analysis)?;
    let out = UnivariateOutput {
        univariate: univariate_rows(&res),
        ties: opts.ties,
        conf_level: opts.conf_level,
    };
    emit(
        &args.output,
        &out,
        || univariate_text(&out),
        Some(&|| univariate_csv(&out)),
    )
}

fn run_interaction(
    args: &Args,
    spec: &str,
    table: &oncomark_data::Table,
    coding: &oncomark_data::Coding,
    opts: &CoxOptions,
) -> Outcome {
    let (tcol, mcol) = spec
        .split_once(':')
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .ok_or_else(|| {
            Failure::input(anyhow::anyhow!(
                "--interaction {spec:?}: write it as TREATMENT:MARKER, e.g. --interaction horTh:tgrade"
            ))
        })?;
    let mut fb = FrameBuilder::new(table);
    let b = base(&mut fb, args)?;
    let tv = fb.label(tcol).map_err(Failure::input)?;
    let mv = fb.label(mcol).map_err(Failure::input)?;
    let frame = fb.build().map_err(Failure::input)?;
    let (_, tlevels) = codes(frame.label(tv));
    if tlevels.len() != 2 {
        return Err(Failure::input(anyhow::anyhow!(
            "--interaction: the treatment column {tcol:?} must have two levels, it has {} ({})",
            tlevels.len(),
            tlevels.join(", ")
        )));
    }
    let reference = match coding.reference.iter().find(|(c, _)| c == tcol) {
        Some((_, l)) if tlevels.contains(l) => l.clone(),
        Some((_, l)) => {
            return Err(Failure::input(anyhow::anyhow!(
                "--reference {tcol}={l}: {tcol:?} has the levels {}",
                tlevels.join(", ")
            )))
        }
        None => tlevels[0].clone(),
    };
    let treated: Vec<bool> = frame.label(tv).iter().map(|l| *l != reference).collect();
    let (marker, mlevels) = codes(frame.label(mv));
    let treated_level = tlevels
        .iter()
        .find(|l| **l != reference)
        .cloned()
        .unwrap_or_default();
    let names = InteractionNames {
        treatment: format!("{tcol}={treated_level}"),
        marker: mcol.to_string(),
    };
    let res = treatment_interaction(
        frame.time(b.t),
        frame.event(b.e),
        &treated,
        &marker,
        &mlevels,
        &names,
        opts,
    )
    .map_err(Failure::analysis)?;
    let out = InteractionOutput {
        interaction: res,
        dropped_missing: frame.dropped_missing(),
    };
    emit(&args.output, &out, || interaction_text(&out), None)
}

fn status_flag(s: TermStatus) -> &'static str {
    match s {
        TermStatus::Estimated => "",
        TermStatus::Infinite => "  (infinite?)",
        TermStatus::NotEstimable => "  (not estimable)",
    }
}

fn text(o: &CoxOutput) -> String {
    let mut s = String::new();
    if let Some(sel) = &o.selection {
        s.push_str(&format!(
            "Variable selection ({:?}, entry P < {}, stay P < {}), n = {}, events = {}\n",
            sel.method, sel.entry, sel.stay, sel.n, sel.events
        ));
        for st in &sel.steps {
            s.push_str(&format!(
                "  step {:>2}: {:<7} {:<20} {:?} chi-square = {} on {} df, P = {}\n",
                st.step,
                match st.action {
                    StepAction::Enter => "enter",
                    StepAction::Remove => "remove",
                },
                st.term,
                st.test,
                num(Some(st.statistic), 5),
                st.df,
                pval(st.p)
            ));
        }
        s.push_str(&format!("  stopped: {:?}\n\n", sel.stop_reason));
        for w in &sel.warnings {
            s.push_str(&format!("warning: {w}\n"));
        }
    }
    let Some(m) = &o.model else {
        s.push_str("No covariate was selected: the final model is the null model.\n");
        return s;
    };
    let f = &m.fit;
    s.push_str(&format!(
        "Cox regression ({}{} ties{}): n = {}, events = {}{}\n\n",
        if m.method == FitMethod::Firth {
            "Firth's penalised likelihood, "
        } else {
            ""
        },
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
    ));
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
        s.push_str(&format!(
            "{:<24} {:>10} {:>9} {:>8} {:>20} {:>10}{}\n",
            t.term,
            num(t.coef, 5),
            num(t.se, 4),
            fixed(t.hr, 3),
            format!("{} - {}", fixed(t.hr_lower, 3), fixed(t.hr_upper, 3)),
            t.p.map_or("NA".into(), pval),
            status_flag(t.status)
        ));
    }
    if m.method == FitMethod::Firth {
        s.push_str("(P: penalised likelihood-ratio test; limits: profile penalised likelihood)\n");
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
    if let Some(z) = &o.zph {
        s.push_str(&format!(
            "\nProportional hazards (scaled Schoenfeld residuals, {:?} transform)\n",
            z.transform
        ));
        for t in &z.terms {
            s.push_str(&format!(
                "  {:<22} chi-square = {} on {} df, P = {}\n",
                t.term,
                num(Some(t.chisq), 4),
                t.df,
                pval(t.p)
            ));
        }
        s.push_str(&format!(
            "  {:<22} chi-square = {} on {} df, P = {}\n",
            "GLOBAL",
            num(Some(z.global.chisq), 4),
            z.global.df,
            pval(z.global.p)
        ));
    }
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

fn univariate_text(o: &UnivariateOutput) -> String {
    let mut s = format!(
        "Univariate Cox models ({:?} ties), one per covariate\n\n{:<24} {:>5} {:>6} {:>8} {:>20} {:>10} {:>10}\n",
        o.ties,
        "term",
        "n",
        "events",
        "HR",
        format!("{:.0}% CI", o.conf_level * 100.0),
        "P (Wald)",
        "P (LR)"
    );
    for r in &o.univariate {
        s.push_str(&format!(
            "{:<24} {:>5} {:>6} {:>8} {:>20} {:>10} {:>10}{}\n",
            r.term,
            r.n,
            r.events,
            fixed(r.hr, 3),
            if r.hr.is_some() {
                format!("{} - {}", fixed(r.hr_lower, 3), fixed(r.hr_upper, 3))
            } else {
                format!("({} df test)", r.df)
            },
            r.p_wald.map_or("".into(), pval),
            r.p_lr.map_or("".into(), pval),
            status_flag(r.status)
        ));
    }
    s
}

fn univariate_csv(o: &UnivariateOutput) -> String {
    let mut s = String::from("term,factor,n,events,hr,hr_lower,hr_upper,p_wald,p_lr,df\n");
    let v = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
    for r in &o.univariate {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            super::csv_field(&r.term),
            super::csv_field(&r.factor),
            r.n,
            r.events,
            v(r.hr),
            v(r.hr_lower),
            v(r.hr_upper),
            v(r.p_wald),
            v(r.p_lr),
            r.df
        ));
    }
    s
}

fn interaction_text(o: &InteractionOutput) -> String {
    let i = &o.interaction;
    let mut s = format!(
        "Treatment-by-marker interaction: {} x {} (n = {}, events = {})\n\n",
        i.treatment, i.marker, i.n, i.events
    );
    s.push_str(&format!(
        "Interaction: likelihood ratio chi-square = {} on {} df, P = {}; Wald = {}, P = {}\n\n",
        num(Some(i.interaction_lr.statistic), 5),
        i.interaction_lr.df,
        pval(i.interaction_lr.p),
        num(Some(i.interaction_wald.statistic), 5),
        pval(i.interaction_wald.p)
    ));
    s.push_str(&format!(
        "HR of {} within each {} level\n{:<16} {:>5} {:>6} {:>28} {:>28}\n",
        i.treatment, i.marker, "level", "n", "events", "from the interaction model", "separate fit"
    ));
    for (w, sep) in i.within.iter().zip(&i.separate) {
        let fmt = |e: &oncomark_survival::interaction::SubgroupEffect| {
            format!(
                "{} ({} - {})",
                fixed(e.hr, 3),
                fixed(e.hr_lower, 3),
                fixed(e.hr_upper, 3)
            )
        };
        s.push_str(&format!(
            "{:<16} {:>5} {:>6} {:>28} {:>28}\n",
            w.level,
            w.n,
            w.events,
            fmt(w),
            fmt(sep)
        ));
    }
    for w in &i.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}
