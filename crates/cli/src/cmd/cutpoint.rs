//! `oncomark cutpoint`: the best cutpoint of a continuous marker for
//! survival, with P values corrected for the search, and its validation.

use oncomark_cutpoint::validate::{
    bootstrap, cross_validated_p, train_validate, BootstrapOptions, BootstrapResult,
    CrossValidated, Folds, Partition, SplitTest, ValidationOptions, ValidationResult,
};
use oncomark_cutpoint::{
    cutpoint, CutpointError, CutpointOptions, CutpointResult, MaxstatOptions, PMethod,
    SplitStatistic,
};
use oncomark_data::{FrameBuilder, Table};
use serde::Serialize;

use super::{codes, DataArgs, SurvArgs};
use crate::output::{emit, fixed, num, pval, Failure, Outcome, OutputArgs};

/// Shown under `oncomark cutpoint --help`: why the minimum P value is not a
/// P value, the P methods, and examples.
pub const EXAMPLE: &str = "\
Why the smallest P value over the cutpoints is NOT a valid P value:
  Trying every cutpoint and keeping the one with the smallest log-rank P
  answers a question nobody asked. Each cutpoint has a 5% chance of P < 0.05
  on a marker unrelated to survival; neighbouring cutpoints give correlated
  tests, but the best of dozens still falls below 0.05 in about 40% of such
  studies (Altman, Lausen, Sauerbrei & Schumacher 1994, J Natl Cancer Inst
  86:829). Searching 10%-90%, a minimum P of 0.05 corresponds to a corrected
  P of about 0.49, and a corrected P of 0.05 needs a minimum P near 0.002.
  So oncomark reports the maximally selected statistic with P values that
  account for the search (Lausen & Schumacher 1992), never the minimum P.
  The hazard ratio at the chosen cutpoint is biased away from 1 and the
  cutpoint itself is unstable: check it on patients it was not chosen on
  (--validate, --cv) and show its spread (--bootstrap).

P methods (--p-method, comma separated):
  lau94        improved Bonferroni over the splits searched (Lausen,
               Sauerbrei & Schumacher 1994); the default, sharp for P < 0.1
  lau92        asymptotic Brownian-bridge bound (Lausen & Schumacher 1992)
  exact        exact distribution of the maximum of the limiting Gaussian
               process over the splits searched (deterministic); close to
               the conditional (permutation) P from about 80 patients. This
               is NOT R maxstat's \"exactGauss\" Monte-Carlo integration nor
               its \"HL\" method: for R's HL use hl
  hl           R maxstat's Hothorn-Lausen method on integer scores (to
               reproduce R; up to about 350 patients; can be far above the
               exact P)
  permutation  conditional Monte Carlo, --permutations B (default 10000),
               --seed S; deterministic for a given seed
  altman       Altman et al. (1994) correction of the minimum P (symmetric
               --min-prop/--max-prop only)
  all          every method above (those that do not apply are skipped with
               a note)

Examples:
  oncomark cutpoint --data examples/gbsg2.csv --time time --event cens --marker progrec
  oncomark cutpoint --data examples/gbsg2.csv --time time --event cens --marker estrec \\
      --p-method lau94,exact,permutation --permutations 10000 --seed 7 --format json
  oncomark cutpoint --data examples/gbsg2.csv --time time --event cens --marker progrec \\
      --validate first-n=343 --cv 5 --bootstrap 1000";

/// A P-value method on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PMethodArg {
    /// Lausen, Sauerbrei & Schumacher 1994 (default).
    Lau94,
    /// Lausen & Schumacher 1992.
    Lau92,
    /// Exact distribution of the limiting Gaussian process.
    Exact,
    /// R maxstat's Hothorn-Lausen method.
    Hl,
    /// Conditional Monte Carlo.
    Permutation,
    /// Altman-corrected minimum P.
    Altman,
    /// Every method that applies.
    All,
}

/// The statistic computed at each split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatisticArg {
    /// R maxstat's standardized log-rank statistic (default).
    Logrank,
    /// The same with Gehan (generalized Wilcoxon) scores.
    Gehan,
    /// The Cox score (survdiff log-rank) test of the dichotomized marker.
    CoxScore,
}

/// Arguments of `oncomark cutpoint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    surv: SurvArgs,
    /// Column with the continuous marker. Missing cells drop the patient.
    #[arg(long, value_name = "COL")]
    marker: String,
    /// Smallest proportion of patients in the low group.
    #[arg(long, default_value_t = 0.1, value_name = "P")]
    min_prop: f64,
    /// Largest proportion of patients in the low group.
    #[arg(long, default_value_t = 0.9, value_name = "P")]
    max_prop: f64,
    /// P values corrected for the search (comma separated; see below).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "lau94",
        value_name = "METHODS"
    )]
    p_method: Vec<PMethodArg>,
    /// Statistic at each candidate split.
    #[arg(long, value_enum, default_value = "logrank")]
    statistic: StatisticArg,
    /// Permutations for the permutation P (given alone, it also asks for
    /// that P). Default 10000.
    #[arg(long, value_name = "B")]
    permutations: Option<usize>,
    /// Seed of every random draw (permutations, random validation split,
    /// cross-validation folds, bootstrap).
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
    /// Choose the cutpoint on a training set and test it on the rest:
    /// `first-n=N` (the first N data rows of the file train),
    /// `random=FRACTION` (a seeded random fraction trains), or `column=COL`
    /// (COL says train/validation, 1/0, true/false or yes/no; or
    /// `column=COL=VALUE`: rows equal to VALUE train).
    #[arg(long, value_name = "SPEC")]
    validate: Option<String>,
    /// Cross-validated log-rank test (Faraggi & Simon 1996) with K seeded
    /// random folds.
    #[arg(long, value_name = "K", conflicts_with = "folds")]
    cv: Option<usize>,
    /// Cross-validated log-rank test with the folds given by a column.
    #[arg(long, value_name = "COL")]
    folds: Option<String>,
    /// Bootstrap percentile intervals of the cutpoint and its hazard ratio
    /// from B resamples.
    #[arg(long, value_name = "B")]
    bootstrap: Option<usize>,
    /// Include the statistic at every candidate split (and, with --format
    /// csv, output that profile).
    #[arg(long)]
    profile: bool,
    /// Confidence level of hazard-ratio and bootstrap intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    #[command(flatten)]
    plot: crate::plot::PlotArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// How the training/validation split was made.
#[derive(Serialize)]
struct ValidationHow {
    /// `first_n`, `random` or `column`.
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_n: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fraction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<String>,
}

/// The training/validation split and its result.
#[derive(Serialize)]
struct ValidationOutput {
    #[serde(flatten)]
    how: ValidationHow,
    #[serde(flatten)]
    result: ValidationResult,
}

/// The cross-validated test, with how the folds were made.
#[derive(Serialize)]
struct CrossValidationOutput {
    /// `random` or `column`.
    folds: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<String>,
    #[serde(flatten)]
    result: CrossValidated,
}

#[derive(Serialize)]
struct CutpointOutput {
    #[serde(flatten)]
    result: CutpointResult,
    /// Rows dropped for a missing time, event, marker or validation column.
    dropped_missing: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    validation: Option<ValidationOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cross_validation: Option<CrossValidationOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bootstrap: Option<BootstrapResult>,
    notes: Vec<String>,
}

/// A validation request, parsed.
enum ValidateSpec {
    FirstN(usize),
    Random(f64),
    Column { col: String, value: Option<String> },
}

fn parse_validate(spec: &str) -> Result<ValidateSpec, Failure> {
    let bad = || {
        Failure::input(anyhow::anyhow!(
            "--validate {spec:?}: write first-n=N (the first N rows train), random=FRACTION \
             (e.g. random=0.5) or column=COL (or column=COL=VALUE)"
        ))
    };
    let (kind, rest) = spec.split_once('=').ok_or_else(bad)?;
    match kind.trim() {
        "first-n" | "first_n" => rest
            .trim()
            .parse::<usize>()
            .ok()
            .map(ValidateSpec::FirstN)
            .ok_or_else(bad),
        "random" => match rest.trim().parse::<f64>() {
            Ok(f) if f > 0.0 && f < 1.0 => Ok(ValidateSpec::Random(f)),
            _ => Err(Failure::input(anyhow::anyhow!(
                "--validate {spec:?}: the training fraction must lie strictly between 0 and 1, \
                 e.g. random=0.5"
            ))),
        },
        "column" => {
            let (col, value) = match rest.split_once('=') {
                Some((c, v)) => (c.trim(), Some(v.trim().to_string())),
                None => (rest.trim(), None),
            };
            if col.is_empty() {
                return Err(bad());
            }
            Ok(ValidateSpec::Column {
                col: col.to_string(),
                value,
            })
        }
        _ => Err(bad()),
    }
}

/// Resolved P methods, each with whether the user named it (a method that
/// came from `all` is skipped with a note when it does not apply).
fn p_methods(args: &Args) -> Vec<(PMethod, bool)> {
    let replicates = args.permutations.unwrap_or(10_000);
    let perm = PMethod::Permutation {
        replicates,
        seed: args.seed,
    };
    let mut out: Vec<(PMethod, bool)> = Vec::new();
    let mut add = |m: PMethod, explicit: bool| {
        if let Some(slot) = out.iter_mut().find(|(x, _)| *x == m) {
            slot.1 |= explicit;
        } else {
            out.push((m, explicit));
        }
    };
    for m in &args.p_method {
        match m {
            PMethodArg::Lau94 => add(PMethod::Lau94, true),
            PMethodArg::Lau92 => add(PMethod::Lau92, true),
            PMethodArg::Exact => add(PMethod::ExactGauss, true),
            PMethodArg::Hl => add(PMethod::HothornLausen, true),
            PMethodArg::Permutation => add(perm, true),
            PMethodArg::Altman => add(PMethod::Altman, true),
            PMethodArg::All => {
                for m in [
                    PMethod::Lau94,
                    PMethod::Lau92,
                    PMethod::ExactGauss,
                    PMethod::HothornLausen,
                    perm,
                    PMethod::Altman,
                ] {
                    add(m, false);
                }
            }
        }
    }
    if args.permutations.is_some() {
        add(perm, true);
    }
    out
}

/// Whether the searched proportions are `[e, 1 - e]`, as the Altman
/// correction needs.
fn symmetric(args: &Args) -> bool {
    (args.min_prop + args.max_prop - 1.0).abs() < 1e-12 && args.min_prop < 0.5
}

fn check_options(args: &Args) -> Result<(), Failure> {
    let p = |v: f64| (0.0..=1.0).contains(&v);
    if !(p(args.min_prop) && p(args.max_prop) && args.min_prop < args.max_prop) {
        return Err(Failure::input(anyhow::anyhow!(
            "--min-prop {} --max-prop {}: give proportions with 0 <= min < max <= 1 \
             (R maxstat's default is 0.1 and 0.9)",
            args.min_prop,
            args.max_prop
        )));
    }
    super::check_conf_level(args.conf_level)?;
    if args.permutations == Some(0) {
        return Err(Failure::input(anyhow::anyhow!(
            "--permutations 0: draw at least one permutation (10000 is usual)"
        )));
    }
    if args.bootstrap == Some(0) {
        return Err(Failure::input(anyhow::anyhow!(
            "--bootstrap 0: draw at least one resample (1000 is usual)"
        )));
    }
    if matches!(args.cv, Some(k) if k < 2) {
        return Err(Failure::input(anyhow::anyhow!(
            "--cv {}: cross-validation needs at least 2 folds (5 or 10 is usual)",
            args.cv.unwrap_or(0)
        )));
    }
    Ok(())
}

/// Whether a cell of a validation column marks a training row.
fn training_code(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "train" | "training" | "1" | "true" | "yes" => Some(true),
        "validation" | "validate" | "valid" | "test" | "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    check_options(&args)?;
    let plot = args.plot.target()?;
    let methods = p_methods(&args);
    let statistic = match args.statistic {
        StatisticArg::Logrank => SplitStatistic::LogRank,
        StatisticArg::Gehan => SplitStatistic::Gehan,
        StatisticArg::CoxScore => SplitStatistic::CoxScore,
    };
    let symmetric = symmetric(&args);
    for (m, explicit) in &methods {
        if !explicit {
            continue;
        }
        if *m == PMethod::Altman && !symmetric {
            return Err(Failure::input(anyhow::anyhow!(
                "--p-method altman needs symmetric proportions (--min-prop e --max-prop 1-e, \
                 e.g. 0.1 and 0.9); got {} and {}",
                args.min_prop,
                args.max_prop
            )));
        }
        if *m == PMethod::HothornLausen && statistic == SplitStatistic::CoxScore {
            return Err(Failure::input(anyhow::anyhow!(
                "--p-method hl needs a linear rank statistic (--statistic logrank or gehan); \
                 with cox-score use lau94, exact or permutation"
            )));
        }
    }
    let validate = args.validate.as_deref().map(parse_validate).transpose()?;

    let table = args.data.load()?;
    // The marker must exist and hold numbers; its missing cells become NaN
    // (dropped by the analysis and counted), so it is checked on its own.
    FrameBuilder::new(&table)
        .numeric(&args.marker)
        .map_err(Failure::input)?;
    let mut fb = FrameBuilder::new(&table);
    let (ecol, evalue) = args.surv.event_spec();
    let t = fb.time(&args.surv.time).map_err(Failure::input)?;
    let e = fb.event(ecol, evalue).map_err(Failure::input)?;
    let vcol = match &validate {
        Some(ValidateSpec::Column { col, .. }) => Some(fb.label(col).map_err(Failure::input)?),
        _ => None,
    };
    let fcol = match &args.folds {
        Some(col) => Some(fb.label(col).map_err(Failure::input)?),
        None => None,
    };
    let frame = fb.build().map_err(Failure::input)?;
    let mcol = table.column(&args.marker).map_err(Failure::input)?;
    let marker: Vec<f64> = frame
        .rows()
        .iter()
        .map(|&r| mcol.number(r).unwrap_or(f64::NAN))
        .collect();
    let present = marker.iter().filter(|v| !v.is_nan()).count();
    if present == 0 {
        return Err(Failure::analysis(anyhow::anyhow!(
            "{}: column \"{}\" has no value in any of the {} rows with a time and an event \
             (all its cells are empty or NA); there is no marker to cut",
            table.file(),
            args.marker,
            frame.n()
        )));
    }
    let time = frame.time(t);
    let event = frame.event(e);
    let search = MaxstatOptions {
        statistic,
        min_prop: args.min_prop,
        max_prop: args.max_prop,
    };
    let mut notes = Vec::new();
    let result = run_cutpoint(&args, time, event, &marker, search, methods, &mut notes)?;
    crate::plot::write_if(plot.as_ref(), || {
        cutpoint_figure(&args, time, event, &marker, &result)
    })?;

    let vopts = ValidationOptions {
        search,
        conf_level: args.conf_level,
    };
    let on_marker = |e: CutpointError| marker_failure(&args.marker, e);
    let validation = match validate {
        None => None,
        Some(spec) => {
            let (partition, how) = match spec {
                ValidateSpec::FirstN(k) => {
                    if k == 0 || k >= table.n_rows() {
                        return Err(Failure::input(anyhow::anyhow!(
                            "--validate first-n={k}: the training set must be the first 1 to {} \
                             of the {} data rows",
                            table.n_rows().saturating_sub(1),
                            table.n_rows()
                        )));
                    }
                    let given = frame.rows().iter().map(|&r| r < k).collect();
                    (
                        Partition::Given(given),
                        ValidationHow {
                            mode: "first_n",
                            first_n: Some(k),
                            fraction: None,
                            seed: None,
                            column: None,
                        },
                    )
                }
                ValidateSpec::Random(f) => (
                    Partition::Random {
                        training: f,
                        seed: args.seed,
                    },
                    ValidationHow {
                        mode: "random",
                        first_n: None,
                        fraction: Some(f),
                        seed: Some(args.seed),
                        column: None,
                    },
                ),
                ValidateSpec::Column { col, value } => {
                    let labels = frame.label(vcol.expect("validation column requested"));
                    let given = training_rows(&table, &col, value.as_deref(), labels)?;
                    (
                        Partition::Given(given),
                        ValidationHow {
                            mode: "column",
                            first_n: None,
                            fraction: None,
                            seed: None,
                            column: Some(col),
                        },
                    )
                }
            };
            let r = train_validate(time, event, &marker, &partition, &vopts).map_err(on_marker)?;
            Some(ValidationOutput { how, result: r })
        }
    };
    let cross_validation = match (args.cv, fcol) {
        (Some(k), _) => {
            let r = cross_validated_p(
                time,
                event,
                &marker,
                &Folds::Random { k, seed: args.seed },
                &vopts,
            )
            .map_err(on_marker)?;
            Some(CrossValidationOutput {
                folds: "random",
                seed: Some(args.seed),
                column: None,
                result: r,
            })
        }
        (None, Some(f)) => {
            let (fold, _) = codes(frame.label(f));
            let fold: Vec<usize> = fold.into_iter().map(|c| c as usize).collect();
            let r = cross_validated_p(time, event, &marker, &Folds::Given(fold), &vopts)
                .map_err(on_marker)?;
            Some(CrossValidationOutput {
                folds: "column",
                seed: None,
                column: args.folds.clone(),
                result: r,
            })
        }
        (None, None) => None,
    };
    let boot = match args.bootstrap {
        None => None,
        Some(b) => Some(
            bootstrap(
                time,
                event,
                &marker,
                &BootstrapOptions {
                    search,
                    replicates: b,
                    seed: args.seed,
                    conf_level: args.conf_level,
                },
            )
            .map_err(on_marker)?,
        ),
    };
    let out = CutpointOutput {
        dropped_missing: frame.dropped_missing() + result.n_missing,
        result,
        validation,
        cross_validation,
        bootstrap: boot,
        notes,
    };
    emit(&args.output, &out, || text(&out), Some(&|| csv(&out)))
}

/// The training flags of a validation column, per analysed row.
fn training_rows(
    table: &Table,
    col: &str,
    value: Option<&str>,
    labels: &[String],
) -> Result<Vec<bool>, Failure> {
    let levels = || {
        oncomark_data::distinct_levels(labels.iter().map(String::as_str))
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match value {
        Some(v) => {
            if !labels.iter().any(|l| l == v) {
                return Err(Failure::input(anyhow::anyhow!(
                    "{}: column \"{col}\" never holds \"{v}\" (the value named as training) \
                     among the rows analysed; its values: {}",
                    table.file(),
                    levels()
                )));
            }
            Ok(labels.iter().map(|l| l == v).collect())
        }
        None => labels
            .iter()
            .map(|l| {
                training_code(l).ok_or_else(|| {
                    Failure::input(anyhow::anyhow!(
                        "{}: column \"{col}\" holds \"{l}\", which is neither a training code \
                         (train, training, 1, true, yes) nor a validation code (validation, \
                         test, 0, false, no); name the training value with \
                         --validate column={col}=VALUE. Its values: {}",
                        table.file(),
                        levels()
                    ))
                })
            })
            .collect(),
    }
}

/// A crate error on valid input: exit 1, naming the marker.
fn marker_failure(marker: &str, e: CutpointError) -> Failure {
    Failure::analysis(anyhow::anyhow!("marker \"{marker}\": {e}"))
}

/// The cutpoint analysis; methods that came from `all` and do not apply
/// are dropped with a note.
fn run_cutpoint(
    args: &Args,
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    search: MaxstatOptions,
    mut methods: Vec<(PMethod, bool)>,
    notes: &mut Vec<String>,
) -> Result<CutpointResult, Failure> {
    let symmetric = symmetric(args);
    methods.retain(|(m, explicit)| {
        if *explicit {
            return true;
        }
        match m {
            PMethod::Altman if !symmetric => {
                notes
                    .push("altman P skipped: it needs symmetric --min-prop/--max-prop".to_string());
                false
            }
            PMethod::HothornLausen if !search.statistic.is_linear() => {
                notes.push(
                    "hl P skipped: it needs a linear rank statistic (logrank or gehan)".to_string(),
                );
                false
            }
            _ => true,
        }
    });
    loop {
        let opts = CutpointOptions {
            search,
            p_methods: methods.iter().map(|m| m.0).collect(),
            conf_level: args.conf_level,
            include_profile: args.profile,
        };
        match cutpoint(time, event, marker, &opts) {
            Ok(r) => return Ok(r.with_marker(args.marker.clone())),
            Err(CutpointError::TooLargeForExact { n, work, budget }) => {
                let why = format!(
                    "the Hothorn-Lausen P (hl) for n = {n} needs about {work:.1e} operations \
                     (budget {budget:.1e}, about 350 patients); use --p-method exact or \
                     permutation for samples this large"
                );
                let hl = methods
                    .iter()
                    .position(|(m, explicit)| *m == PMethod::HothornLausen && !explicit);
                match hl {
                    Some(i) => {
                        methods.remove(i);
                        notes.push(format!("hl P skipped: {why}"));
                    }
                    None => {
                        return Err(Failure::analysis(anyhow::anyhow!(
                            "marker \"{}\": {why}",
                            args.marker
                        )))
                    }
                }
            }
            Err(e @ CutpointError::BadProportions { .. }) => {
                return Err(Failure::input(anyhow::anyhow!(
                    "marker \"{}\": {e}",
                    args.marker
                )))
            }
            Err(e) => return Err(marker_failure(&args.marker, e)),
        }
    }
}

fn stat_name(k: SplitStatistic) -> &'static str {
    match k {
        SplitStatistic::LogRank => "log-rank",
        SplitStatistic::Gehan => "Gehan (generalized Wilcoxon)",
        SplitStatistic::CoxScore => "Cox score (survdiff log-rank)",
        _ => "",
    }
}

fn text(o: &CutpointOutput) -> String {
    let r = &o.result;
    let m = r.marker.as_deref().unwrap_or("marker");
    let mut s = format!(
        "Best cutpoint of {m} for survival: {} patients, {} events{}\n",
        r.n,
        r.events,
        if o.dropped_missing > 0 {
            format!(" ({} rows dropped for missing values)", o.dropped_missing)
        } else {
            String::new()
        }
    );
    s.push_str(&format!(
        "Maximally selected {} statistic over {} candidate cutpoints ({}% to {}% of patients in the low group)\n\n",
        stat_name(r.statistic_kind),
        r.n_splits,
        num(Some(r.min_prop * 100.0), 4),
        num(Some(r.max_prop * 100.0), 4),
    ));
    s.push_str(&format!(
        "  cutpoint   {}   (low: {m} <= {})\n  statistic  {}\n\n",
        num(Some(r.cutpoint), 6),
        num(Some(r.cutpoint), 6),
        num(Some(r.statistic), 6)
    ));
    s.push_str(&format!("  {:<6} {:>6} {:>7}\n", "group", "n", "events"));
    for g in &r.groups {
        s.push_str(&format!("  {:<6} {:>6} {:>7}\n", g.group, g.n, g.events));
    }
    s.push_str(&format!(
        "  HR high vs low {} ({:.0}% CI {} - {}), biased away from 1 by the search\n",
        fixed(r.hr, 4),
        r.conf_level * 100.0,
        fixed(r.hr_lower, 4),
        fixed(r.hr_upper, 4)
    ));
    if let Some(note) = &r.hr_note {
        s.push_str(&format!("  note: {note}\n"));
    }
    s.push_str("\nP values corrected for the search over cutpoints (report one of these):\n");
    let p = &r.p_values;
    let line = |s: &mut String, name: &str, v: Option<f64>, extra: String| {
        if let Some(v) = v {
            s.push_str(&format!("  {name:<44} {:>10}{extra}\n", pval(v)));
        }
    };
    line(
        &mut s,
        "Lau94 (Lausen, Sauerbrei & Schumacher 1994)",
        p.lau94,
        String::new(),
    );
    line(
        &mut s,
        "Lau92 (Lausen & Schumacher 1992)",
        p.lau92,
        String::new(),
    );
    line(&mut s, "exact Gaussian limit", p.exact_gauss, String::new());
    line(
        &mut s,
        "HL (Hothorn & Lausen, as R maxstat)",
        p.hl,
        r.hl.map(|h| {
            format!(
                "  (integer scores: statistic {}, cutpoint {})",
                num(Some(h.statistic), 5),
                num(Some(h.cutpoint), 6)
            )
        })
        .unwrap_or_default(),
    );
    line(
        &mut s,
        "permutation (conditional Monte Carlo)",
        p.permutation,
        r.permutation
            .map(|q| {
                format!(
                    "  ({} permutations, seed {}, Monte-Carlo SE {}{})",
                    q.replicates,
                    q.seed,
                    num(Some(q.mc_se), 2),
                    if q.exceed == 0 {
                        "; no permutation reached the statistic, so P <= 1/(B+1)"
                    } else {
                        ""
                    }
                )
            })
            .unwrap_or_default(),
    );
    line(
        &mut s,
        "Altman-corrected minimum P (Altman 1994)",
        p.altman,
        String::new(),
    );
    s.push_str(&format!(
        "\nWARNING: the smallest P value over the {} cutpoints tried (the \"minimum P\") is\n\
         NOT a valid P value and is not reported: trying that many cutpoints, a marker\n\
         unrelated to survival reaches P < 0.05 in about 40% of studies (Altman et al.\n\
         1994). Report a corrected P value above, and check the cutpoint on patients it\n\
         was not chosen on (--validate, --cv). Details: oncomark cutpoint --help.\n",
        r.n_splits
    ));
    for n in &o.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    if let Some(v) = &o.validation {
        let h = &v.how;
        let how = match h.mode {
            "first_n" => format!("the first {} data rows", h.first_n.unwrap_or(0)),
            "random" => format!(
                "a random {}% of patients (seed {})",
                num(h.fraction.map(|f| f * 100.0), 4),
                h.seed.unwrap_or(0)
            ),
            _ => format!(
                "the rows marked for training in column \"{}\"",
                h.column.as_deref().unwrap_or("")
            ),
        };
        let tr = &v.result.training;
        s.push_str(&format!(
            "\nValidation: cutpoint chosen on {how}, tested on the others\n  training:   {} patients, {} events; cutpoint {}, statistic {}, Lau94 P {}\n",
            tr.n,
            tr.events,
            num(Some(tr.cutpoint), 6),
            num(Some(tr.statistic), 5),
            pval(tr.p_lau94)
        ));
        split_test_text(&mut s, "validation", &v.result.validation, r.conf_level);
        s.push_str("  (the validation P needs no correction: the cutpoint was fixed beforehand)\n");
    }
    if let Some(cv) = &o.cross_validation {
        let how = match cv.folds {
            "random" => format!(
                "{} random folds, seed {}",
                cv.result.k,
                cv.seed.unwrap_or(0)
            ),
            _ => format!(
                "{} folds from column \"{}\"",
                cv.result.k,
                cv.column.as_deref().unwrap_or("")
            ),
        };
        s.push_str(&format!(
            "\nCross-validated log-rank test (Faraggi & Simon 1996; {how})\n  cutpoints chosen without each fold: {}\n",
            cv.result
                .cutpoints
                .iter()
                .map(|c| num(Some(*c), 6))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        split_test_text(&mut s, "all patients", &cv.result.test, r.conf_level);
    }
    if let Some(b) = &o.bootstrap {
        s.push_str(&format!(
            "\nBootstrap ({} resamples, {} usable, seed {})\n  cutpoint {}: {:.0}% percentile interval {} - {} (median {})\n  HR of the re-optimized cutpoint: {:.0}% interval {} - {}\n",
            b.replicates,
            b.succeeded,
            b.seed,
            num(Some(b.cutpoint), 6),
            b.conf_level * 100.0,
            num(Some(b.cutpoint_lower), 6),
            num(Some(b.cutpoint_upper), 6),
            num(Some(b.cutpoint_median), 6),
            b.conf_level * 100.0,
            fixed(Some(b.hr_lower), 4),
            fixed(Some(b.hr_upper), 4),
        ));
    }
    if !r.profile.is_empty() {
        s.push_str(&format!(
            "\nProfile\n  {:>12} {:>6} {:>10}\n",
            "cutpoint", "n_low", "statistic"
        ));
        for sp in &r.profile {
            s.push_str(&format!(
                "  {:>12} {:>6} {:>10}\n",
                num(Some(sp.cut), 6),
                sp.n_low,
                num(Some(sp.statistic), 5)
            ));
        }
    }
    s
}

fn split_test_text(s: &mut String, what: &str, t: &SplitTest, level: f64) {
    s.push_str(&format!(
        "  {what}: {} patients, {} events; low {} ({} events), high {} ({} events)\n    log-rank chi-square {}, P {}; HR high vs low {} ({:.0}% CI {} - {})\n",
        t.n,
        t.events,
        t.groups[0].n,
        t.groups[0].events,
        t.groups[1].n,
        t.groups[1].events,
        num(Some(t.chisq), 5),
        pval(t.p),
        fixed(t.hr, 4),
        level * 100.0,
        fixed(t.hr_lower, 4),
        fixed(t.hr_upper, 4)
    ));
}

fn csv(o: &CutpointOutput) -> String {
    let r = &o.result;
    let v = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
    if !r.profile.is_empty() {
        let mut s = String::from("cut,n_low,statistic\n");
        for sp in &r.profile {
            s.push_str(&format!("{},{},{}\n", sp.cut, sp.n_low, sp.statistic));
        }
        return s;
    }
    let p = &r.p_values;
    format!(
        "marker,n,events,cutpoint,statistic,p_lau94,p_lau92,p_exact_gauss,p_hl,p_permutation,p_altman,n_low,events_low,n_high,events_high,hr,hr_lower,hr_upper\n{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
        super::csv_field(r.marker.as_deref().unwrap_or("")),
        r.n,
        r.events,
        r.cutpoint,
        r.statistic,
        v(p.lau94),
        v(p.lau92),
        v(p.exact_gauss),
        v(p.hl),
        v(p.permutation),
        v(p.altman),
        r.groups[0].n,
        r.groups[0].events,
        r.groups[1].n,
        r.groups[1].events,
        v(r.hr),
        v(r.hr_lower),
        v(r.hr_upper),
    )
}

/// Kaplan-Meier curves of the low (marker <= cutpoint) and high groups,
/// annotated with the corrected P value of the search (never the raw
/// minimum P) and the hazard ratio of high against low.
fn cutpoint_figure(
    args: &Args,
    time: &[f64],
    event: &[bool],
    marker: &[f64],
    r: &CutpointResult,
) -> Result<oncomark_report::Svg, Failure> {
    let keep: Vec<usize> = (0..marker.len()).filter(|&i| !marker[i].is_nan()).collect();
    let t: Vec<f64> = keep.iter().map(|&i| time[i]).collect();
    let e: Vec<bool> = keep.iter().map(|&i| event[i]).collect();
    let g: Vec<u32> = keep
        .iter()
        .map(|&i| u32::from(marker[i] > r.cutpoint))
        .collect();
    let c = num(Some(r.cutpoint), 6);
    let labels = vec![
        format!("{} <= {c}", args.marker),
        format!("{} > {c}", args.marker),
    ];
    let fits = oncomark_survival::km::kaplan_meier_groups(
        &t,
        &e,
        &g,
        &labels,
        &oncomark_survival::km::KmOptions::default(),
    )
    .map_err(Failure::analysis)?;
    let p = &r.p_values;
    let (name, pv) = [
        ("Lau94-corrected", p.lau94),
        ("Exact (Gaussian) corrected", p.exact_gauss),
        ("Permutation", p.permutation),
        ("Lau92-corrected", p.lau92),
        ("HL-corrected", p.hl),
        ("Altman-corrected", p.altman),
    ]
    .into_iter()
    .find_map(|(n, v)| v.map(|v| (n, v)))
    .ok_or_else(|| {
        Failure::analysis(anyhow::anyhow!(
            "no corrected P value to print on the figure"
        ))
    })?;
    crate::plot::km_figure(
        &crate::plot::KmPlotData {
            fits: &fits.groups,
            time: &t,
            event: &e,
            group: &g,
            labels: &labels,
            strata: None,
            time_label: &args.surv.time,
            group_label: Some(&args.marker),
            conf_level: args.conf_level,
        },
        crate::plot::KmTest::Given {
            name: name.to_string(),
            p: pv,
        },
    )
}
