//! `oncomark power`: events, sample size and power for a biomarker hazard
//! ratio (Schoenfeld) or a treatment-by-marker interaction (Peterson &
//! George).

use oncomark_survival::power::{
    interaction_events, interaction_power, schoenfeld_events, schoenfeld_power,
    schoenfeld_sample_size,
};
use serde::Serialize;

use crate::output::{emit, num, Failure, Outcome, OutputArgs};

/// Shown under `oncomark power --help`.
pub const EXAMPLE: &str = "Examples:
  oncomark power --hr 2.0 --allocation 0.3 --power 0.8            # events to detect HR 2 with 30% marker-positive
  oncomark power --hr 2.0 --allocation 0.3 --power 0.8 --event-prob 0.7   # and patients
  oncomark power --hr 2.0 --allocation 0.3 --events 60              # power with 60 events (the paper: 78 patients)
  oncomark power --interaction-hr 0.5 --p-treatment 0.5 --p-marker 0.3 --power 0.8";

/// Arguments of `oncomark power`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Hazard ratio between marker groups to detect.
    #[arg(
        long,
        conflicts_with = "interaction_hr",
        required_unless_present = "interaction_hr"
    )]
    hr: Option<f64>,
    /// Share of patients in the first (e.g. marker-positive) group.
    #[arg(long, default_value_t = 0.5)]
    allocation: f64,
    /// Ratio of hazard ratios (treatment HR in marker-positive over
    /// marker-negative) to detect.
    #[arg(long)]
    interaction_hr: Option<f64>,
    /// Share of treated patients (interaction).
    #[arg(long, default_value_t = 0.5)]
    p_treatment: f64,
    /// Share of marker-positive patients (interaction).
    #[arg(long, default_value_t = 0.5)]
    p_marker: f64,
    /// Two-sided significance level.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// Power wanted (gives the events needed).
    #[arg(long, conflicts_with = "events")]
    power: Option<f64>,
    /// Number of events (gives the power).
    #[arg(long)]
    events: Option<f64>,
    /// Probability that a patient has an event during the study (gives the
    /// number of patients).
    #[arg(long)]
    event_prob: Option<f64>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Serialize)]
struct PowerOutput {
    method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hr: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interaction_hr: Option<f64>,
    alpha: f64,
    power: f64,
    events: f64,
    events_needed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sample_size: Option<oncomark_survival::power::SampleSize>,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    if args.power.is_none() && args.events.is_none() {
        return Err(Failure::input(anyhow::anyhow!(
            "give --power (to get the events needed) or --events (to get the power)"
        )));
    }
    let out = match (args.hr, args.interaction_hr) {
        (Some(hr), _) => match (args.power, args.events) {
            (Some(pw), _) => {
                let d = schoenfeld_events(hr, args.allocation, args.alpha, pw)
                    .map_err(Failure::input)?;
                let ss = match args.event_prob {
                    Some(pe) => Some(
                        schoenfeld_sample_size(hr, args.allocation, args.alpha, pw, pe)
                            .map_err(Failure::input)?,
                    ),
                    None => None,
                };
                PowerOutput {
                    method: "schoenfeld",
                    hr: Some(hr),
                    interaction_hr: None,
                    alpha: args.alpha,
                    power: pw,
                    events: d,
                    events_needed: Some(d.ceil() as u64),
                    sample_size: ss,
                }
            }
            (None, Some(d)) => PowerOutput {
                method: "schoenfeld",
                hr: Some(hr),
                interaction_hr: None,
                alpha: args.alpha,
                power: schoenfeld_power(hr, args.allocation, args.alpha, d)
                    .map_err(Failure::input)?,
                events: d,
                events_needed: None,
                sample_size: None,
            },
            _ => unreachable!("checked above"),
        },
        (None, Some(ih)) => {
            let (power, events, needed) = match (args.power, args.events) {
                (Some(pw), _) => {
                    let d = interaction_events(ih, args.p_treatment, args.p_marker, args.alpha, pw)
                        .map_err(Failure::input)?;
                    (pw, d, Some(d.ceil() as u64))
                }
                (None, Some(d)) => (
                    interaction_power(ih, args.p_treatment, args.p_marker, args.alpha, d)
                        .map_err(Failure::input)?,
                    d,
                    None,
                ),
                _ => unreachable!("checked above"),
            };
            PowerOutput {
                method: "peterson-george interaction",
                hr: None,
                interaction_hr: Some(ih),
                alpha: args.alpha,
                power,
                events,
                events_needed: needed,
                sample_size: None,
            }
        }
        (None, None) => unreachable!("clap requires --hr or --interaction-hr"),
    };
    emit(&args.output, &out, || text(&out), None)
}

fn text(o: &PowerOutput) -> String {
    let what = match (o.hr, o.interaction_hr) {
        (Some(h), _) => format!("hazard ratio {h}"),
        (_, Some(h)) => format!("interaction (ratio of hazard ratios) {h}"),
        _ => String::new(),
    };
    let mut s = format!(
        "Two-sided test of the {what} at alpha = {} ({})\n",
        o.alpha, o.method
    );
    match o.events_needed {
        Some(d) => s.push_str(&format!(
            "Events needed for power {}: {d} ({} exactly)\n",
            o.power,
            num(Some(o.events), 6)
        )),
        None => s.push_str(&format!(
            "Power with {} events: {}\n",
            o.events,
            num(Some(o.power), 4)
        )),
    }
    if let Some(ss) = &o.sample_size {
        s.push_str(&format!(
            "Patients needed with event probability {}: {} ({} + {})\n",
            ss.event_probability, ss.n_total, ss.n_group1, ss.n_group2
        ));
    }
    s
}
