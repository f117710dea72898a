//! `oncomark ttest`: Student, Welch, paired and one-sample t-tests.

use std::collections::BTreeMap;

use oncomark_data::FrameBuilder;
use oncomark_stats::{
    t_test_one_sample, t_test_paired, t_test_two_sample, Alternative, TTest, TTestKind,
    TTestOptions,
};
use serde::Serialize;

use super::{codes, DataArgs};
use crate::output::{emit, num, pval, Failure, Outcome, OutputArgs};

/// Shown under `oncomark ttest --help`.
pub const EXAMPLE: &str = "Example:
  oncomark ttest --data viability.csv --value viability --group treatment
  oncomark ttest --data viability.csv --value viability --group treatment --welch
  oncomark ttest --data viability.csv --value viability --group treatment --paired --id experiment
  oncomark ttest --data viability.csv --value viability --mu 100";

/// Direction of the alternative hypothesis.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum AltArg {
    /// Two-sided (default).
    TwoSided,
    /// First group (or the mean) less than the second (or mu).
    Less,
    /// First group (or the mean) greater than the second (or mu).
    Greater,
}

/// Arguments of `oncomark ttest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Column with the measured values.
    #[arg(long, value_name = "COL")]
    value: String,
    /// Column with the two groups to compare (sorted order: the estimate is
    /// first minus second). Without it, a one-sample test against --mu.
    #[arg(long, value_name = "COL")]
    group: Option<String>,
    /// Welch's test (unequal variances) instead of Student's.
    #[arg(long, conflicts_with = "paired")]
    welch: bool,
    /// Paired test: the values of the two groups are matched by --id.
    #[arg(long, requires = "id", requires = "group")]
    paired: bool,
    /// Column matching paired values (e.g. the experiment).
    #[arg(long, value_name = "COL")]
    id: Option<String>,
    /// Null value of the mean (one-sample) or of the difference.
    #[arg(long, default_value_t = 0.0)]
    mu: f64,
    /// Alternative hypothesis.
    #[arg(long, value_enum, default_value = "two-sided")]
    alternative: AltArg,
    /// Confidence level of the interval.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Serialize)]
struct TTestOutput {
    #[serde(flatten)]
    test: TTest,
    dropped_missing: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let table = args.data.load()?;
    let mut fb = FrameBuilder::new(&table);
    let v = fb.numeric(&args.value).map_err(Failure::input)?;
    let g = match &args.group {
        Some(c) => Some(fb.label(c).map_err(Failure::input)?),
        None => None,
    };
    let id = match &args.id {
        Some(c) => Some(fb.label(c).map_err(Failure::input)?),
        None => None,
    };
    let frame = fb.build().map_err(Failure::input)?;
    super::check_conf_level(args.conf_level)?;
    let opts = TTestOptions {
        alternative: match args.alternative {
            AltArg::TwoSided => Alternative::TwoSided,
            AltArg::Less => Alternative::Less,
            AltArg::Greater => Alternative::Greater,
        },
        mu: args.mu,
        conf_level: args.conf_level,
    };
    let x = frame.numeric(v);
    let mut warnings = Vec::new();
    let test = match g {
        None => t_test_one_sample(x, &opts).map_err(Failure::analysis)?,
        Some(g) => {
            let (code, levels) = codes(frame.label(g));
            let gname = args.group.as_deref().unwrap_or_default();
            if levels.len() != 2 {
                return Err(Failure::input(anyhow::anyhow!(
                    "column {gname:?} has {} groups ({}); a t-test compares exactly two: filter the data, or use a one-way ANOVA",
                    levels.len(),
                    levels.join(", ")
                )));
            }
            if args.paired {
                let ids = frame.label(id.expect("clap requires --id with --paired"));
                let idname = args.id.as_deref().unwrap_or_default();
                let mut pairs: BTreeMap<&str, [Option<f64>; 2]> = BTreeMap::new();
                for i in 0..x.len() {
                    let slot = &mut pairs.entry(ids[i].as_str()).or_default()[code[i] as usize];
                    if slot.is_some() {
                        return Err(Failure::input(anyhow::anyhow!(
                            "paired test: {idname:?} = {:?} has more than one value in group {:?}; average technical replicates first, one value per {idname} and group",
                            ids[i],
                            levels[code[i] as usize]
                        )));
                    }
                    *slot = Some(x[i]);
                }
                let (mut a, mut b) = (Vec::new(), Vec::new());
                for (k, p) in &pairs {
                    match p {
                        [Some(u), Some(w)] => {
                            a.push(*u);
                            b.push(*w);
                        }
                        _ => warnings.push(format!(
                            "{idname} {k:?} has a value in only one group and is left out of the paired test"
                        )),
                    }
                }
                t_test_paired(&a, &b, &opts)
                    .map_err(Failure::analysis)?
                    .with_group_labels(levels.iter().cloned())
            } else {
                let a: Vec<f64> = (0..x.len())
                    .filter(|&i| code[i] == 0)
                    .map(|i| x[i])
                    .collect();
                let b: Vec<f64> = (0..x.len())
                    .filter(|&i| code[i] == 1)
                    .map(|i| x[i])
                    .collect();
                t_test_two_sample(&a, &b, !args.welch, &opts)
                    .map_err(Failure::analysis)?
                    .with_group_labels(levels.iter().cloned())
            }
        }
    };
    let out = TTestOutput {
        test,
        dropped_missing: frame.dropped_missing(),
        warnings,
    };
    emit(&args.output, &out, || text(&out), None)
}

fn text(o: &TTestOutput) -> String {
    let t = &o.test;
    let name = match t.test {
        TTestKind::Student => "Student's two-sample t-test (equal variances)",
        TTestKind::Welch => "Welch's two-sample t-test (unequal variances)",
        TTestKind::Paired => "Paired t-test",
        TTestKind::OneSample => "One-sample t-test",
    };
    let mut s = format!("{name}\n\n");
    s.push_str(&format!(
        "{:<16} {:>4} {:>12} {:>12}\n",
        "group", "n", "mean", "sd"
    ));
    for g in &t.groups {
        s.push_str(&format!(
            "{:<16} {:>4} {:>12} {:>12}\n",
            g.group.as_deref().unwrap_or("values"),
            g.n,
            num(Some(g.mean), 6),
            num(Some(g.sd), 6)
        ));
    }
    s.push_str(&format!(
        "\nt = {} on {} df, P = {}\nestimate {} ({:.0}% CI {} to {})\n",
        num(Some(t.statistic), 6),
        num(Some(t.df), 6),
        pval(t.p),
        num(Some(t.estimate), 6),
        t.conf_level * 100.0,
        num(Some(t.lower), 6),
        num(Some(t.upper), 6)
    ));
    for w in &o.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}
