//! `oncomark logrank`: log-rank (G-rho) test between groups.

use oncomark_data::FrameBuilder;
use oncomark_survival::logrank::{
    logrank, logrank_stratified, Logrank, LogrankOptions, LogrankTrend,
};
use serde::Serialize;

use super::{codes, parse_numbers, DataArgs, SurvArgs};
use crate::output::{emit, num, pval, Failure, Outcome, OutputArgs};
use crate::plot::{km_figure, write_if, KmPlotData, KmTest, PlotArgs};
use oncomark_survival::km::{kaplan_meier_groups, KmOptions};

/// Shown under `oncomark logrank --help`.
pub const EXAMPLE: &str = "Example:
  oncomark logrank --data examples/gbsg2.csv --time time --event cens --group horTh
  oncomark logrank --data examples/gbsg2.csv --time time --event cens --group tgrade --trend
  oncomark logrank --data lung.csv --time time --event status=2 --group sex --strata ph.ecog --rho 1
  oncomark logrank --data examples/gbsg2.csv --time time --event cens --group horTh --plot km.svg";

/// Arguments of `oncomark logrank`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    surv: SurvArgs,
    /// Column defining the groups to compare.
    #[arg(long, value_name = "COL")]
    group: String,
    /// Column defining strata: the test is computed within each and summed.
    #[arg(long, value_name = "COL")]
    strata: Option<String>,
    /// Weight exponent of the G-rho family: 0 log-rank, 1 Peto-Peto.
    #[arg(long, default_value_t = 0.0)]
    rho: f64,
    /// Also test for trend over the ordered groups (scores 1..k in sorted
    /// group order unless --scores gives them).
    #[arg(long)]
    trend: bool,
    /// Scores for the trend test, one per group in sorted order.
    #[arg(long, value_name = "S1,S2,...", requires = "trend")]
    scores: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    plot: PlotArgs,
}

#[derive(Serialize)]
struct LogrankOutput {
    #[serde(flatten)]
    test: Logrank,
    n: usize,
    dropped_missing: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    trend: Option<LogrankTrend>,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let plot = args.plot.target()?;
    let table = args.data.load()?;
    let mut fb = FrameBuilder::new(&table);
    let (ecol, evalue) = args.surv.event_spec();
    let t = fb.time(&args.surv.time).map_err(Failure::input)?;
    let e = fb.event(ecol, evalue).map_err(Failure::input)?;
    let g = fb.label(&args.group).map_err(Failure::input)?;
    let s = match &args.strata {
        Some(c) => Some(fb.label(c).map_err(Failure::input)?),
        None => None,
    };
    let frame = fb.build().map_err(Failure::input)?;
    if !args.rho.is_finite() || args.rho < 0.0 {
        return Err(Failure::input(anyhow::anyhow!(
            "--rho {}: the weight exponent must be a number >= 0 (0 log-rank, 1 Peto-Peto)",
            args.rho
        )));
    }
    let (group, labels) = codes(frame.label(g));
    if labels.len() < 2 {
        return Err(Failure::analysis(anyhow::anyhow!(
            "column {:?} has only one group ({:?}) among the {} complete rows: there is nothing to compare",
            args.group,
            labels.first().map(String::as_str).unwrap_or(""),
            frame.n()
        )));
    }
    let opts = LogrankOptions { rho: args.rho };
    let strata = s.map(|s| codes(frame.label(s)).0);
    let test = match &strata {
        Some(strata) => logrank_stratified(
            frame.time(t),
            frame.event(e),
            &group,
            &labels,
            strata,
            &opts,
        ),
        None => logrank(frame.time(t), frame.event(e), &group, &labels, &opts),
    }
    .map_err(Failure::analysis)?;
    write_if(plot.as_ref(), || {
        // the curves of the compared groups, pooled over strata
        let km = kaplan_meier_groups(
            frame.time(t),
            frame.event(e),
            &group,
            &labels,
            &KmOptions::default(),
        )
        .map_err(Failure::analysis)?;
        let name = match (strata.is_some(), args.rho == 0.0) {
            (false, true) => "Log-rank".to_string(),
            (true, true) => "Stratified log-rank".to_string(),
            (false, false) => format!("G-rho (rho = {})", args.rho),
            (true, false) => format!("Stratified G-rho (rho = {})", args.rho),
        };
        km_figure(
            &KmPlotData {
                fits: &km.groups,
                time: frame.time(t),
                event: frame.event(e),
                group: &group,
                labels: &labels,
                strata: strata.as_deref(),
                time_label: &args.surv.time,
                group_label: Some(&args.group),
                conf_level: 0.95,
            },
            KmTest::Given { name, p: test.p },
        )
    })?;
    let trend = if args.trend {
        let scores = match &args.scores {
            Some(sc) => Some(parse_numbers("--scores", sc)?),
            None => None,
        };
        Some(test.trend(scores.as_deref()).map_err(Failure::input)?)
    } else {
        None
    };
    let out = LogrankOutput {
        test,
        n: frame.n(),
        dropped_missing: frame.dropped_missing(),
        trend,
    };
    emit(&args.output, &out, || text(&out), Some(&|| csv(&out.test)))
}

fn text(o: &LogrankOutput) -> String {
    let t = &o.test;
    let name = if t.rho == 0.0 {
        "Log-rank test".to_string()
    } else {
        format!("G-rho test (rho = {})", t.rho)
    };
    let mut s = format!(
        "{name}{} on {} patients{}\n\n",
        if t.n_strata > 1 {
            format!(", stratified ({} strata)", t.n_strata)
        } else {
            String::new()
        },
        o.n,
        if o.dropped_missing > 0 {
            format!(" ({} dropped for missing values)", o.dropped_missing)
        } else {
            String::new()
        }
    );
    s.push_str(&format!(
        "{:<16} {:>6} {:>10} {:>10}\n",
        "group", "n", "observed", "expected"
    ));
    for g in &t.groups {
        s.push_str(&format!(
            "{:<16} {:>6} {:>10} {:>10}\n",
            g.group,
            g.n,
            num(Some(g.observed), 6),
            num(Some(g.expected), 6)
        ));
    }
    s.push_str(&format!(
        "\nChi-square = {} on {} df, P = {}\n",
        num(Some(t.statistic), 6),
        t.df,
        pval(t.p)
    ));
    if let Some(tr) = &o.trend {
        s.push_str(&format!(
            "Test for trend: chi-square = {} on 1 df (z = {}), P = {}\n",
            num(Some(tr.statistic), 6),
            num(Some(tr.z), 4),
            pval(tr.p)
        ));
    }
    s
}

fn csv(t: &Logrank) -> String {
    let mut s = String::from("group,n,observed,expected\n");
    for g in &t.groups {
        s.push_str(&format!(
            "{},{},{},{}\n",
            super::csv_field(&g.group),
            g.n,
            g.observed,
            g.expected
        ));
    }
    s
}
