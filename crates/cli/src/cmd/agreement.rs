//! `oncomark agreement`: agreement between two readers (Cohen's kappa,
//! weighted kappa, and intraclass correlations for numeric reads).

use oncomark_data::FrameBuilder;
use oncomark_stats::{cohen_kappa, icc, ContingencyTable, Icc, Kappa, KappaWeights};
use serde::Serialize;

use super::{codes, DataArgs};
use crate::output::{emit, fixed, num, Failure, Outcome, OutputArgs};

/// Shown under `oncomark agreement --help`.
pub const EXAMPLE: &str = "Example:
  oncomark agreement --data ihc.csv --rater-a score_reader1 --rater-b score_reader2 --weights linear
  oncomark agreement --data ihc.csv --rater-a pct_reader1 --rater-b pct_reader2 --icc";

/// Kappa weights.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum WeightsArg {
    /// Unweighted Cohen's kappa.
    None,
    /// Linear weights 1 - |i-j|/(k-1).
    Linear,
    /// Quadratic weights 1 - ((i-j)/(k-1))^2.
    Quadratic,
}

/// Arguments of `oncomark agreement`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Column with the first reader's scores.
    #[arg(long, value_name = "COL")]
    rater_a: String,
    /// Column with the second reader's scores.
    #[arg(long, value_name = "COL")]
    rater_b: String,
    /// Kappa weights (weighted kappa needs ordered levels: see --levels).
    #[arg(long, value_enum, default_value = "none")]
    weights: WeightsArg,
    /// The ordered score levels (comma separated), e.g. 0,1+,2+,3+.
    /// Default: every level either reader used, in sorted order.
    #[arg(long, value_name = "L1,L2,...", value_delimiter = ',')]
    levels: Vec<String>,
    /// Also compute intraclass correlations (Shrout-Fleiss) from numeric reads.
    #[arg(long)]
    icc: bool,
    /// Confidence level.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Serialize)]
struct AgreementOutput {
    #[serde(flatten)]
    kappa: Kappa,
    levels: Vec<String>,
    counts: Vec<Vec<u64>>,
    dropped_missing: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    icc: Option<Icc>,
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    let table = args.data.load()?;
    let mut fb = FrameBuilder::new(&table);
    let a = fb.label(&args.rater_a).map_err(Failure::input)?;
    let b = fb.label(&args.rater_b).map_err(Failure::input)?;
    let (na, nb) = if args.icc {
        (
            Some(fb.numeric(&args.rater_a).map_err(Failure::input)?),
            Some(fb.numeric(&args.rater_b).map_err(Failure::input)?),
        )
    } else {
        (None, None)
    };
    let frame = fb.build().map_err(Failure::input)?;
    super::check_conf_level(args.conf_level)?;
    let mut both: Vec<String> = frame.label(a).to_vec();
    both.extend(frame.label(b).iter().cloned());
    let (_, found) = codes(&both);
    let levels = if args.levels.is_empty() {
        found
    } else {
        for f in &found {
            if !args.levels.contains(f) {
                return Err(Failure::input(anyhow::anyhow!(
                    "--levels: a reader used {f:?}, which is not listed; levels in the data: {}",
                    found.join(", ")
                )));
            }
        }
        args.levels.clone()
    };
    let pos = |v: &String| levels.iter().position(|l| l == v).unwrap_or(0);
    let ra: Vec<usize> = frame.label(a).iter().map(pos).collect();
    let rb: Vec<usize> = frame.label(b).iter().map(pos).collect();
    let ct = ContingencyTable::from_codes(&ra, &rb, levels.len(), levels.len())
        .map_err(Failure::analysis)?;
    let weights = match args.weights {
        WeightsArg::None => KappaWeights::None,
        WeightsArg::Linear => KappaWeights::Linear,
        WeightsArg::Quadratic => KappaWeights::Quadratic,
    };
    let kappa = cohen_kappa(&ct, weights, args.conf_level).map_err(Failure::analysis)?;
    let icc = match (na, nb) {
        (Some(na), Some(nb)) => {
            let rows: Vec<[f64; 2]> = frame
                .numeric(na)
                .iter()
                .zip(frame.numeric(nb))
                .map(|(&x, &y)| [x, y])
                .collect();
            Some(icc(&rows, args.conf_level).map_err(Failure::analysis)?)
        }
        _ => None,
    };
    let out = AgreementOutput {
        kappa,
        levels,
        counts: ct.counts().to_vec(),
        dropped_missing: frame.dropped_missing(),
        icc,
    };
    emit(&args.output, &out, || text(&out), None)
}

fn text(o: &AgreementOutput) -> String {
    let k = &o.kappa;
    let mut s = format!(
        "Agreement of two readers on {} cases\n\n{:>10}",
        k.n, "A \\ B"
    );
    for l in &o.levels {
        s.push_str(&format!(" {l:>6}"));
    }
    s.push('\n');
    for (i, l) in o.levels.iter().enumerate() {
        s.push_str(&format!("{l:>10}"));
        for c in &o.counts[i] {
            s.push_str(&format!(" {c:>6}"));
        }
        s.push('\n');
    }
    let wname = match serde_json::to_value(k.weights) {
        Ok(serde_json::Value::String(w)) if w != "none" => format!("{w} weights"),
        _ => "unweighted".to_string(),
    };
    s.push_str(&format!(
        "\nObserved agreement {}%\nCohen's kappa ({wname}) = {} (SE {}; {:.0}% CI {} to {})\n",
        fixed(Some(100.0 * k.observed_agreement), 1),
        fixed(Some(k.kappa), 4),
        fixed(Some(k.se), 4),
        k.conf_level * 100.0,
        fixed(Some(k.lower), 4),
        fixed(Some(k.upper), 4)
    ));
    if let Some(icc) = &o.icc {
        s.push_str("\nIntraclass correlation (Shrout-Fleiss)\n");
        for e in &icc.estimates {
            let name = match serde_json::to_value(e) {
                Ok(v) => v["type"].as_str().unwrap_or("").to_string(),
                _ => String::new(),
            };
            s.push_str(&format!(
                "{:<8} {} ({} to {}), P = {}\n",
                name,
                fixed(Some(e.icc), 4),
                fixed(Some(e.lower), 4),
                fixed(Some(e.upper), 4),
                num(Some(e.p), 3)
            ));
        }
    }
    s
}
