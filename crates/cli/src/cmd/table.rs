//! `oncomark table`: a contingency table with Fisher, chi-square and trend
//! tests.

use oncomark_data::FrameBuilder;
use oncomark_stats::{
    chi_square, fisher_exact, fisher_monte_carlo, g_test, odds_ratio, relative_risk,
    trend_test_table, ContingencyTable, FisherMonteCarlo, FisherOptions, Haldane, Percentages,
    RatioEstimate, StatsError, TableTests,
};
use serde::Serialize;

use super::{codes, csv_field, DataArgs};
use crate::output::{emit, fixed, num, pval, Failure, Outcome, OutputArgs};

/// Shown under `oncomark table --help`.
pub const EXAMPLE: &str = "Example:
  oncomark table --data examples/gbsg2.csv --row horTh --col menostat
  oncomark table --data examples/gbsg2.csv --row tgrade --col cens --test trend
  oncomark table --data study.csv --row b1_group --col response --row-levels 3+,0-2+ --col-levels yes,no";

/// Which tests to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TestArg {
    /// Fisher's exact test and chi-square (with Yates for 2x2) and G.
    Auto,
    /// Fisher's exact test only.
    Fisher,
    /// Pearson chi-square (and Yates for 2x2) and the G test.
    Chisq,
    /// Cochran-Armitage test for trend over the ordered rows (or columns).
    Trend,
    /// Everything that applies.
    All,
}

/// Arguments of `oncomark table`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Column whose values are the table's rows.
    #[arg(long, value_name = "COL")]
    row: String,
    /// Column whose values are the table's columns.
    #[arg(long, value_name = "COL")]
    col: String,
    /// Order of the row levels (comma separated; default sorted). Every
    /// level in the data must be listed.
    #[arg(long, value_name = "L1,L2,...", value_delimiter = ',')]
    row_levels: Vec<String>,
    /// Order of the column levels (comma separated; default sorted).
    #[arg(long, value_name = "L1,L2,...", value_delimiter = ',')]
    col_levels: Vec<String>,
    /// Tests to run.
    #[arg(long, value_enum, default_value = "auto")]
    test: TestArg,
    /// Also report the mid-P value of Fisher's test.
    #[arg(long)]
    mid_p: bool,
    /// Monte Carlo P value of Fisher's test from this many simulated tables
    /// (used automatically, with 100000, when a table is too large for the
    /// exact algorithm).
    #[arg(long, value_name = "B")]
    simulate: Option<u64>,
    /// Seed of the Monte Carlo simulation.
    #[arg(long, default_value_t = 2009)]
    seed: u64,
    /// Confidence level of the odds-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    #[command(flatten)]
    output: OutputArgs,
}

/// Effect sizes of a 2x2 table.
#[derive(Serialize)]
struct Effects {
    /// Wald (Woolf) odds ratio of the first row against the second, for the
    /// first column; Haldane's 0.5 added when a cell is 0.
    odds_ratio_wald: RatioEstimate,
    /// Relative risk of the first column, first row against second.
    relative_risk: RatioEstimate,
}

#[derive(Serialize)]
struct TableOutput {
    row: String,
    col: String,
    counts: Vec<Vec<u64>>,
    row_levels: Vec<String>,
    col_levels: Vec<String>,
    n: u64,
    dropped_missing: usize,
    expected: Vec<Vec<f64>>,
    percentages: Percentages,
    tests: TableTests,
    #[serde(skip_serializing_if = "Option::is_none")]
    fisher_monte_carlo: Option<FisherMonteCarlo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effects: Option<Effects>,
    warnings: Vec<String>,
}

fn order(
    flag: &str,
    col: &str,
    found: Vec<String>,
    wanted: &[String],
) -> Result<Vec<String>, Failure> {
    if wanted.is_empty() {
        return Ok(found);
    }
    for f in &found {
        if !wanted.contains(f) {
            return Err(Failure::input(anyhow::anyhow!(
                "{flag}: column {col:?} has the value {f:?}, which is not listed; levels in the data: {}",
                found.join(", ")
            )));
        }
    }
    Ok(wanted.to_vec())
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let table = args.data.load()?;
    let mut fb = FrameBuilder::new(&table);
    let r = fb.label(&args.row).map_err(Failure::input)?;
    let c = fb.label(&args.col).map_err(Failure::input)?;
    let frame = fb.build().map_err(Failure::input)?;
    super::check_conf_level(args.conf_level)?;
    let (_, rl) = codes(frame.label(r));
    let (_, cl) = codes(frame.label(c));
    let row_levels = order("--row-levels", &args.row, rl, &args.row_levels)?;
    let col_levels = order("--col-levels", &args.col, cl, &args.col_levels)?;
    let idx = |levels: &[String], v: &str| levels.iter().position(|l| l == v).unwrap_or(0);
    let rows: Vec<usize> = frame.label(r).iter().map(|v| idx(&row_levels, v)).collect();
    let cols: Vec<usize> = frame.label(c).iter().map(|v| idx(&col_levels, v)).collect();
    let ct = ContingencyTable::from_codes(&rows, &cols, row_levels.len(), col_levels.len())
        .map_err(Failure::analysis)?;
    if row_levels.len() < 2 || col_levels.len() < 2 {
        return Err(Failure::analysis(anyhow::anyhow!(
            "the table is {}x{}: {} needs at least two levels in both columns ({:?} has {}, {:?} has {})",
            row_levels.len(),
            col_levels.len(),
            "a test of association",
            args.row,
            row_levels.len(),
            args.col,
            col_levels.len()
        )));
    }
    let mut warnings = Vec::new();
    let mut tests = TableTests::default();
    let want = |t: TestArg| args.test == t || args.test == TestArg::All;
    let mut monte_carlo = None;
    if want(TestArg::Fisher) || args.test == TestArg::Auto {
        let opts = FisherOptions {
            mid_p: args.mid_p,
            conf_level: args.conf_level,
            ..FisherOptions::default()
        };
        match fisher_exact(&ct, &opts) {
            Ok(f) => tests.fisher = Some(f),
            Err(e @ StatsError::FisherTooLarge { .. }) => {
                let b = args.simulate.unwrap_or(100_000);
                warnings.push(format!(
                    "{e}; Fisher's P is estimated from {b} simulated tables instead (seed {})",
                    args.seed
                ));
                if args.simulate.is_none() {
                    monte_carlo =
                        Some(fisher_monte_carlo(&ct, b, args.seed).map_err(Failure::analysis)?);
                }
            }
            Err(e) => return Err(Failure::analysis(e)),
        }
        if let Some(b) = args.simulate {
            monte_carlo = Some(fisher_monte_carlo(&ct, b, args.seed).map_err(Failure::analysis)?);
        }
    }
    if want(TestArg::Chisq) || args.test == TestArg::Auto {
        let x = chi_square(&ct, false).map_err(Failure::analysis)?;
        warnings.extend(x.warnings.iter().cloned());
        tests.chisq = Some(x);
        if ct.is_2x2() {
            tests.chisq_yates = Some(chi_square(&ct, true).map_err(Failure::analysis)?);
        }
        tests.g_test = Some(g_test(&ct).map_err(Failure::analysis)?);
    }
    if want(TestArg::Trend) {
        match trend_test_table(&ct, None) {
            Ok(t) => tests.trend = Some(t),
            Err(e) if args.test == TestArg::All => {
                warnings.push(format!("trend test not computed: {e}"))
            }
            Err(e) => return Err(Failure::analysis(e)),
        }
    }
    let effects = match ct.as_2x2() {
        Some(t2) => Some(Effects {
            odds_ratio_wald: odds_ratio(t2, args.conf_level, Haldane::IfZero)
                .map_err(Failure::analysis)?,
            relative_risk: relative_risk(t2, args.conf_level, Haldane::IfZero)
                .map_err(Failure::analysis)?,
        }),
        None => None,
    };
    let out = TableOutput {
        row: args.row.clone(),
        col: args.col.clone(),
        counts: ct.counts().to_vec(),
        row_levels,
        col_levels,
        n: ct.total(),
        dropped_missing: frame.dropped_missing(),
        expected: ct.expected(),
        percentages: ct.percentages(),
        tests,
        fisher_monte_carlo: monte_carlo,
        effects,
        warnings,
    };
    emit(&args.output, &out, || text(&out), Some(&|| csv(&out)))
}

fn text(o: &TableOutput) -> String {
    let w = o
        .row_levels
        .iter()
        .map(|l| l.len())
        .chain([o.row.len() + o.col.len() + 3])
        .max()
        .unwrap_or(8)
        .max(8);
    let mut s = format!("{:<w$}", format!("{} \\ {}", o.row, o.col));
    for c in &o.col_levels {
        s.push_str(&format!(" {:>14}", c));
    }
    s.push_str(&format!(" {:>8}\n", "total"));
    let n = o.n as f64;
    for (i, r) in o.row_levels.iter().enumerate() {
        s.push_str(&format!("{r:<w$}"));
        let rt: u64 = o.counts[i].iter().sum();
        for &k in &o.counts[i] {
            let pct = if rt > 0 {
                100.0 * k as f64 / rt as f64
            } else {
                0.0
            };
            s.push_str(&format!(" {:>14}", format!("{k} ({pct:.1}%)")));
        }
        s.push_str(&format!(" {rt:>8}\n"));
    }
    s.push_str(&format!("{:<w$}", "total"));
    for j in 0..o.col_levels.len() {
        let ct: u64 = o.counts.iter().map(|r| r[j]).sum();
        s.push_str(&format!(
            " {:>14}",
            format!("{ct} ({:.1}%)", 100.0 * ct as f64 / n)
        ));
    }
    s.push_str(&format!(" {:>8}\n", o.n));
    s.push_str("(row percentages)\n\n");
    let t = &o.tests;
    if let Some(f) = &t.fisher {
        s.push_str(&format!("Fisher's exact test: P = {}", pval(f.p)));
        if let (Some(or), Some(lo), Some(hi)) = (f.odds_ratio, f.lower, f.upper) {
            s.push_str(&format!(
                "; conditional MLE odds ratio {} ({} - {})",
                fixed(Some(or), 4),
                fixed(Some(lo), 4),
                fixed(Some(hi), 4)
            ));
        }
        if let Some(m) = f.mid_p {
            s.push_str(&format!("; mid-P = {}", pval(m)));
        }
        s.push('\n');
    }
    if let Some(m) = &o.fisher_monte_carlo {
        s.push_str(&format!(
            "Fisher's test, Monte Carlo P = {} (SE {}, {} simulated tables, seed {})\n",
            pval(m.p),
            num(Some(m.se), 2),
            m.replicates,
            m.seed
        ));
    }
    if let Some(x) = &t.chisq {
        s.push_str(&format!(
            "Pearson chi-square = {} on {} df, P = {}\n",
            num(Some(x.statistic), 6),
            x.df,
            pval(x.p)
        ));
    }
    if let Some(x) = &t.chisq_yates {
        s.push_str(&format!(
            "  with Yates' continuity correction = {}, P = {}\n",
            num(Some(x.statistic), 6),
            pval(x.p)
        ));
    }
    if let Some(x) = &t.g_test {
        s.push_str(&format!(
            "Likelihood-ratio G = {} on {} df, P = {}\n",
            num(Some(x.statistic), 6),
            x.df,
            pval(x.p)
        ));
    }
    if let Some(x) = &t.trend {
        s.push_str(&format!(
            "Cochran-Armitage test for trend: chi-square = {} on 1 df, P = {}\n",
            num(Some(x.statistic), 6),
            pval(x.p)
        ));
    }
    for w in &o.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

fn csv(o: &TableOutput) -> String {
    let mut s = csv_field(&o.row);
    for c in &o.col_levels {
        s.push(',');
        s.push_str(&csv_field(c));
    }
    s.push('\n');
    for (i, r) in o.row_levels.iter().enumerate() {
        s.push_str(&csv_field(r));
        for k in &o.counts[i] {
            s.push_str(&format!(",{k}"));
        }
        s.push('\n');
    }
    s
}
