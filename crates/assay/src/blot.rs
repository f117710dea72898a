//! Western-blot densitometry: target / loading-control ratios and fold
//! changes against the control lane, per blot and then across blots.
//!
//! On each blot, every lane's band intensity of the target (e.g. pAkt) is
//! divided by that of its loading control (total Akt, beta-actin):
//! `ratio = target / loading`. The fold change of a lane is its ratio over
//! the mean ratio of the control lanes of the same cell line on the same
//! blot (the seed paper: "normalized to total Akt, ERK1/2 or beta-actin
//! ... displayed as fold change relative to control conditions"). Lanes of
//! one condition on one blot are averaged; each blot is then one
//! independent replicate, and conditions are summarised across blots on the
//! fold-change scale (mean, SD, SEM) and on the log2 scale (mean log2 fold
//! change and the geometric mean fold change, which treat a halving and a
//! doubling symmetrically).

use serde::Serialize;

use crate::error::{AssayError, Result};
use crate::plate::mean_sd;
use crate::replicates::{summarise, Condition, ConditionSummary, ExperimentValue};

/// One lane of one blot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// Blot (independent replicate) identifier.
    pub blot: String,
    /// Lane label.
    pub lane: String,
    /// Cell line.
    pub cell_line: String,
    /// Treatment label.
    pub treatment: String,
    /// Target band intensity (background-subtracted).
    pub target: f64,
    /// Loading-control band intensity.
    pub loading: f64,
}

/// Options of [`densitometry`].
#[derive(Debug, Clone, PartialEq)]
pub struct BlotOptions {
    /// Treatment label of the control lanes (case-insensitive; default
    /// `control`).
    pub control_treatment: String,
}

impl Default for BlotOptions {
    fn default() -> Self {
        BlotOptions {
            control_treatment: "control".into(),
        }
    }
}

/// One lane with its ratio and fold change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneValue {
    /// Blot.
    pub blot: String,
    /// Lane.
    pub lane: String,
    /// Cell line.
    pub cell_line: String,
    /// Treatment.
    pub treatment: String,
    /// `target / loading`.
    pub ratio: f64,
    /// Ratio over the blot's control ratio.
    pub fold_change: f64,
}

/// Summary of a condition across blots, with the log-scale summaries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlotConditionSummary {
    /// Mean, SD, SEM of the fold changes over blots.
    #[serde(flatten)]
    pub summary: ConditionSummary,
    /// Mean of log2 fold changes.
    pub mean_log2: f64,
    /// SD of log2 fold changes.
    pub sd_log2: f64,
    /// Geometric mean fold change, `2^mean_log2`.
    pub geometric_mean: f64,
}

/// Densitometry per lane, per blot and across blots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlotResult {
    /// Control treatment label.
    pub control_treatment: String,
    /// Every lane.
    pub lanes: Vec<LaneValue>,
    /// One fold change per blot and condition (`experiment` is the blot).
    pub blots: Vec<ExperimentValue>,
    /// Summaries across blots.
    pub conditions: Vec<BlotConditionSummary>,
    /// Cautions.
    pub notes: Vec<String>,
}

/// Fold changes of target / loading ratios. See the [module
/// documentation](self).
///
/// # Errors
///
/// [`AssayError::Empty`], [`AssayError::NonPositiveIntensity`] (a loading
/// intensity `<= 0`, a negative target, or a control ratio of 0),
/// [`AssayError::NoControlLane`] (a blot and cell line without control).
///
/// # Example
///
/// ```
/// use oncomark_assay::blot::{densitometry, Band, BlotOptions};
/// let band = |lane: &str, t: &str, target: f64, loading: f64| Band {
///     blot: "b1".into(), lane: lane.into(), cell_line: "JIMT-1".into(),
///     treatment: t.into(), target, loading };
/// let bands = [band("1", "control", 1000.0, 2000.0), band("2", "Tz", 300.0, 2000.0)];
/// let r = densitometry(&bands, &BlotOptions::default()).unwrap();
/// assert!((r.lanes[1].fold_change - 0.3).abs() < 1e-12);
/// ```
pub fn densitometry(bands: &[Band], opts: &BlotOptions) -> Result<BlotResult> {
    if bands.is_empty() {
        return Err(AssayError::Empty { what: "bands" });
    }
    for b in bands {
        if !(b.loading.is_finite() && b.loading > 0.0) {
            return Err(AssayError::NonPositiveIntensity {
                blot: b.blot.clone(),
                lane: b.lane.clone(),
                what: "the loading-control intensity",
                value: b.loading,
            });
        }
        if !(b.target.is_finite() && b.target >= 0.0) {
            return Err(AssayError::NonPositiveIntensity {
                blot: b.blot.clone(),
                lane: b.lane.clone(),
                what: "the target intensity",
                value: b.target,
            });
        }
    }
    let is_control = |b: &Band| b.treatment.eq_ignore_ascii_case(&opts.control_treatment);
    let mut lanes = Vec::with_capacity(bands.len());
    for b in bands {
        let ctrl: Vec<f64> = bands
            .iter()
            .filter(|c| c.blot == b.blot && c.cell_line == b.cell_line && is_control(c))
            .map(|c| c.target / c.loading)
            .collect();
        if ctrl.is_empty() {
            return Err(AssayError::NoControlLane {
                blot: if b.cell_line.is_empty() {
                    b.blot.clone()
                } else {
                    format!("{} ({})", b.blot, b.cell_line)
                },
                control: opts.control_treatment.clone(),
            });
        }
        let cmean = mean_sd(&ctrl).0;
        if cmean <= 0.0 {
            return Err(AssayError::NonPositiveIntensity {
                blot: b.blot.clone(),
                lane: "control".into(),
                what: "the mean control ratio",
                value: cmean,
            });
        }
        let ratio = b.target / b.loading;
        lanes.push(LaneValue {
            blot: b.blot.clone(),
            lane: b.lane.clone(),
            cell_line: b.cell_line.clone(),
            treatment: b.treatment.clone(),
            ratio,
            fold_change: ratio / cmean,
        });
    }
    // average lanes of one condition within a blot
    let mut blots: Vec<(ExperimentValue, usize)> = Vec::new();
    for l in &lanes {
        let c = Condition::new(&l.cell_line, &l.treatment, None);
        match blots
            .iter_mut()
            .find(|(e, _)| e.experiment == l.blot && e.condition.same(&c))
        {
            Some((e, k)) => {
                e.value += l.fold_change;
                *k += 1;
            }
            None => blots.push((
                ExperimentValue {
                    experiment: l.blot.clone(),
                    condition: c,
                    value: l.fold_change,
                },
                1,
            )),
        }
    }
    let blots: Vec<ExperimentValue> = blots
        .into_iter()
        .map(|(mut e, k)| {
            e.value /= k as f64;
            e
        })
        .collect();
    let mut notes = Vec::new();
    let conditions = summarise(&blots)
        .into_iter()
        .map(|s| {
            let logs: Vec<f64> = s.values.iter().map(|v| v.log2()).collect();
            let (ml, sl) = if logs.iter().all(|v| v.is_finite()) {
                mean_sd(&logs)
            } else {
                notes.push(format!(
                    "{}: a fold change of 0 has no logarithm; log2 summaries are undefined",
                    s.condition.label()
                ));
                (f64::NAN, f64::NAN)
            };
            BlotConditionSummary {
                summary: s,
                mean_log2: ml,
                sd_log2: sl,
                geometric_mean: ml.exp2(),
            }
        })
        .collect();
    Ok(BlotResult {
        control_treatment: opts.control_treatment.clone(),
        lanes,
        blots,
        conditions,
        notes,
    })
}
