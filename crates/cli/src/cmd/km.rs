//! `oncomark km`: Kaplan-Meier curves.

use oncomark_data::FrameBuilder;
use oncomark_survival::km::{kaplan_meier_groups, median_followup, ConfType, KmOptions, KmResult};
use serde::Serialize;

use super::{codes, parse_numbers, DataArgs, SurvArgs};
use crate::output::{emit, num, Failure, Outcome, OutputArgs};
use crate::plot::{km_figure, write_if, KmPlotData, KmTest, PlotArgs};

/// Shown under `oncomark km --help`.
pub const EXAMPLE: &str = "Example:
  oncomark km --data examples/gbsg2.csv --time time --event cens --group horTh --times 365,730,1825
  oncomark km --data lung.csv --time time --event status=2 --conf-type log --format json
  oncomark km --data examples/gbsg2.csv --time time --event cens --group horTh --plot km.svg";

/// Transform for the pointwise confidence limits.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ConfTypeArg {
    /// On log(-log S), as SAS LIFETEST (default).
    #[value(name = "log-log")]
    LogLog,
    /// On log S, as R survfit's default.
    Log,
    /// S ± z se.
    Plain,
}

/// Arguments of `oncomark km`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    surv: SurvArgs,
    /// Column defining the groups (one curve per value).
    #[arg(long, value_name = "COL")]
    group: Option<String>,
    /// Transform for the pointwise confidence limits.
    #[arg(long, value_enum, default_value = "log-log")]
    conf_type: ConfTypeArg,
    /// Confidence level.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Report the estimate at these times (comma separated).
    #[arg(long, value_name = "T1,T2,...")]
    times: Option<String>,
    /// Add the restricted mean survival time up to TAU.
    #[arg(long, value_name = "TAU")]
    rmst: Option<f64>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    plot: PlotArgs,
}

#[derive(Serialize)]
struct KmOutput {
    #[serde(flatten)]
    result: KmResult,
    n: usize,
    dropped_missing: usize,
    /// Median follow-up of all patients by reverse Kaplan-Meier.
    follow_up: oncomark_survival::km::FollowUp,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let plot = args.plot.target()?;
    let table = args.data.load()?;
    let mut fb = FrameBuilder::new(&table);
    let (ecol, evalue) = args.surv.event_spec();
    let t = fb.time(&args.surv.time).map_err(Failure::input)?;
    let e = fb.event(ecol, evalue).map_err(Failure::input)?;
    let g = match &args.group {
        Some(col) => Some(fb.label(col).map_err(Failure::input)?),
        None => None,
    };
    let frame = fb.build().map_err(Failure::input)?;
    let times = match &args.times {
        Some(s) => parse_numbers("--times", s)?,
        None => Vec::new(),
    };
    super::check_conf_level(args.conf_level)?;
    let opts = KmOptions {
        conf_type: match args.conf_type {
            ConfTypeArg::LogLog => ConfType::LogLog,
            ConfTypeArg::Log => ConfType::Log,
            ConfTypeArg::Plain => ConfType::Plain,
        },
        conf_level: args.conf_level,
        times,
        rmst_tau: args.rmst,
        ..KmOptions::default()
    };
    let (group, labels) = match g {
        Some(g) => codes(frame.label(g)),
        None => (vec![0; frame.n()], vec!["all".to_string()]),
    };
    let time = frame.time(t);
    let event = frame.event(e);
    let result =
        kaplan_meier_groups(time, event, &group, &labels, &opts).map_err(Failure::analysis)?;
    let follow_up = median_followup(time, event, &opts).map_err(Failure::analysis)?;
    write_if(plot.as_ref(), || {
        km_figure(
            &KmPlotData {
                fits: &result.groups,
                time,
                event,
                group: &group,
                labels: &labels,
                strata: None,
                time_label: &args.surv.time,
                group_label: args.group.as_deref(),
                conf_level: args.conf_level,
            },
            KmTest::LogRank,
        )
    })?;
    let out = KmOutput {
        result,
        n: frame.n(),
        dropped_missing: frame.dropped_missing(),
        follow_up,
    };
    emit(
        &args.output,
        &out,
        || text(&out),
        Some(&|| csv(&out.result)),
    )
}

fn text(o: &KmOutput) -> String {
    let r = &o.result;
    let mut s = format!(
        "Kaplan-Meier estimate ({} patients{}; {:.0}% CI, {} transform)\n\n",
        o.n,
        if o.dropped_missing > 0 {
            format!(", {} dropped for missing values", o.dropped_missing)
        } else {
            String::new()
        },
        r.conf_level * 100.0,
        r.conf_type.name()
    );
    s.push_str(&format!(
        "{:<16} {:>6} {:>7} {:>10} {:>22}\n",
        "group", "n", "events", "median", "95% CI"
    ));
    for g in &r.groups {
        s.push_str(&format!(
            "{:<16} {:>6} {:>7} {:>10} {:>22}\n",
            g.group,
            g.n,
            g.events,
            num(g.median, 5),
            format!("{} - {}", num(g.median_lower, 5), num(g.median_upper, 5))
        ));
    }
    for g in &r.groups {
        if let Some(rm) = &g.rmst {
            s.push_str(&format!(
                "RMST to {} in {}: {} (SE {})\n",
                num(Some(rm.tau), 6),
                g.group,
                num(Some(rm.estimate), 6),
                num(Some(rm.se), 4)
            ));
        }
    }
    if r.groups.iter().any(|g| !g.at.is_empty()) {
        s.push_str(&format!(
            "\n{:<16} {:>10} {:>8} {:>10} {:>22}\n",
            "group", "time", "at risk", "survival", "CI"
        ));
        for g in &r.groups {
            for a in &g.at {
                s.push_str(&format!(
                    "{:<16} {:>10} {:>8} {:>10} {:>22}\n",
                    g.group,
                    num(Some(a.time), 6),
                    a.n_risk,
                    num(Some(a.survival), 4),
                    format!("{} - {}", num(a.lower, 4), num(a.upper, 4))
                ));
            }
        }
    }
    s.push_str(&format!(
        "\nMedian follow-up (reverse Kaplan-Meier): {} ({} - {})\n",
        num(o.follow_up.median, 5),
        num(o.follow_up.median_lower, 5),
        num(o.follow_up.median_upper, 5)
    ));
    s
}

fn csv(r: &KmResult) -> String {
    let mut s = String::from("group,time,n_risk,n_event,n_censor,survival,std_err,lower,upper\n");
    let f = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
    for g in &r.groups {
        for st in &g.steps {
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{}\n",
                super::csv_field(&g.group),
                st.time,
                st.n_risk,
                st.n_event,
                st.n_censor,
                st.survival,
                f(st.std_err),
                f(st.lower),
                f(st.upper)
            ));
        }
    }
    s
}
