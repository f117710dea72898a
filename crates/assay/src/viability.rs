//! Viability in % of the untreated control (XTT, MTT, resazurin, ...).
//!
//! For each plate and cell line, technical replicate wells of a condition
//! are averaged, then
//!
//! * without blank subtraction (the seed paper's formula, Huang et al.,
//!   Cancer Res 2009: "(experimental absorbance / untreated control
//!   absorbance) x 100"): `V = 100 mean(treated) / mean(control)`;
//! * with blank subtraction: `V = 100 (mean(treated) - mean(blank)) /
//!   (mean(control) - mean(blank))`, the blank being the mean of the
//!   plate's medium-only wells.
//!
//! The result records which formula was used. When an experiment spans
//! several plates, its plate values of a condition are averaged, so each
//! independent experiment gives one value per condition: the unit of
//! inference for the comparisons. The untreated control is 100 % in every
//! experiment by construction; it is listed with the other conditions so
//! that this is visible (see [`crate::compare`] for what it means for
//! tests).
//!
//! The Z'-factor of each plate and cell line compares the untreated control
//! wells (high signal) with the positive-control wells of that cell line,
//! or with the plate's blanks when there is no positive control.

use serde::Serialize;

use crate::error::{AssayError, Result};
use crate::plate::{mean_sd, z_prime, Well, WellRole, ZPrime};
use crate::replicates::{summarise, Condition, ConditionSummary, ExperimentValue};

/// Options of [`viability`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViabilityOptions {
    /// Subtract the plate's mean blank from treated and control means
    /// (default false: the seed paper's formula).
    pub blank_subtraction: bool,
}

/// Quality and reference levels of one plate and cell line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlateSummary {
    /// Plate identifier.
    pub plate: String,
    /// Experiment of the plate.
    pub experiment: String,
    /// Cell line.
    pub cell_line: String,
    /// Mean of the plate's blank wells, when there are any.
    pub blank_mean: Option<f64>,
    /// Number of blank wells with a reading.
    pub n_blank: usize,
    /// Mean of the untreated-control wells of this cell line.
    pub control_mean: f64,
    /// SD of those wells (NaN, JSON `null`, for a single well).
    pub control_sd: f64,
    /// Number of control wells with a reading.
    pub n_control: usize,
    /// Z'-factor, when computable.
    pub z_prime: Option<ZPrime>,
    /// Low-signal reference of the Z': `positive` or `blank` (or `none`).
    pub z_prime_low: &'static str,
}

/// Technical-replicate mean of one condition on one plate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlateCondition {
    /// Plate identifier.
    pub plate: String,
    /// Experiment.
    pub experiment: String,
    /// The condition.
    #[serde(flatten)]
    pub condition: Condition,
    /// Wells averaged (those with a reading).
    pub n_wells: usize,
    /// Mean reading.
    pub mean_reading: f64,
    /// SD of the readings (NaN, JSON `null`, for a single well).
    pub sd_reading: f64,
    /// Viability in % of the control.
    pub viability: f64,
}

/// A used well without a reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingWell {
    /// Plate identifier.
    pub plate: String,
    /// Well name.
    pub well: String,
}

/// Viability of every condition, per plate, per experiment and overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViabilityResult {
    /// Whether the blank was subtracted.
    pub blank_subtraction: bool,
    /// The formula used, in words.
    pub formula: &'static str,
    /// Plate-level reference levels and Z'.
    pub plates: Vec<PlateSummary>,
    /// Technical-replicate means per plate.
    pub wells: Vec<PlateCondition>,
    /// One value per experiment and condition (the biological replicates).
    pub experiments: Vec<ExperimentValue>,
    /// Mean, SD and SEM over experiments.
    pub conditions: Vec<ConditionSummary>,
    /// Used wells without a reading (left out).
    pub missing: Vec<MissingWell>,
    /// Cautions.
    pub notes: Vec<String>,
}

const FORMULA_PLAIN: &str = "100 * mean(treated) / mean(untreated control)";
const FORMULA_BLANK: &str =
    "100 * (mean(treated) - mean(blank)) / (mean(untreated control) - mean(blank))";

/// Viability in % of the untreated control. See the [module
/// documentation](self).
///
/// # Errors
///
/// [`AssayError::Empty`] (no wells), [`AssayError::NonFinite`],
/// [`AssayError::NoControl`] (a plate and cell line with samples but no
/// control reading), [`AssayError::NoBlank`] (blank subtraction on a plate
/// without blanks), [`AssayError::ControlNotAboveBlank`].
///
/// # Example
///
/// The XTT hand case of the assay issue: blanks 0.112/0.108/0.115, controls
/// 1.254/1.301/1.276, treated 0.802/0.765/0.811.
///
/// ```
/// use oncomark_assay::plate::{Well, WellRole};
/// use oncomark_assay::viability::{viability, ViabilityOptions};
/// let mut wells = Vec::new();
/// let mut add = |role, t: &str, v: f64| wells.push(Well {
///     plate: "p1".into(), well: String::new(), experiment: "e1".into(),
///     cell_line: "JIMT-1".into(), treatment: t.into(), dose: None, role, value: Some(v) });
/// for v in [0.112, 0.108, 0.115] { add(WellRole::Blank, "blank", v) }
/// for v in [1.254, 1.301, 1.276] { add(WellRole::Control, "untreated", v) }
/// for v in [0.802, 0.765, 0.811] { add(WellRole::Sample, "Tz", v) }
/// let plain = viability(&wells, &ViabilityOptions { blank_subtraction: false }).unwrap();
/// let tz = plain.conditions.iter().find(|c| c.condition.treatment == "Tz").unwrap();
/// assert!((tz.mean - 62.07257).abs() < 1e-5);
/// let sub = viability(&wells, &ViabilityOptions { blank_subtraction: true }).unwrap();
/// let tz = sub.conditions.iter().find(|c| c.condition.treatment == "Tz").unwrap();
/// assert!((tz.mean - 58.43822).abs() < 1e-5);
/// ```
pub fn viability(wells: &[Well], opts: &ViabilityOptions) -> Result<ViabilityResult> {
    if wells.is_empty() {
        return Err(AssayError::Empty { what: "wells" });
    }
    for (index, w) in wells.iter().enumerate() {
        if let Some(v) = w.value {
            if !v.is_finite() {
                return Err(AssayError::NonFinite {
                    what: "reading",
                    index,
                    value: v,
                });
            }
        }
    }
    let missing: Vec<MissingWell> = wells
        .iter()
        .filter(|w| w.value.is_none())
        .map(|w| MissingWell {
            plate: w.plate.clone(),
            well: w.well.clone(),
        })
        .collect();
    let mut notes = Vec::new();
    if !missing.is_empty() {
        notes.push(format!(
            "{} used well(s) have no reading and were left out",
            missing.len()
        ));
    }
    let mut plates: Vec<String> = Vec::new();
    for w in wells {
        if !plates.contains(&w.plate) {
            plates.push(w.plate.clone());
        }
    }
    let mut plate_summaries = Vec::new();
    let mut per_plate: Vec<PlateCondition> = Vec::new();
    for plate in &plates {
        let on_plate: Vec<&Well> = wells
            .iter()
            .filter(|w| &w.plate == plate && w.value.is_some())
            .collect();
        let blanks: Vec<f64> = on_plate
            .iter()
            .filter(|w| w.role == WellRole::Blank)
            .filter_map(|w| w.value)
            .collect();
        let blank_mean = (!blanks.is_empty()).then(|| mean_sd(&blanks).0);
        if opts.blank_subtraction && blank_mean.is_none() {
            return Err(AssayError::NoBlank {
                plate: plate.clone(),
            });
        }
        let blank = if opts.blank_subtraction {
            blank_mean.unwrap_or(0.0)
        } else {
            0.0
        };
        let mut lines: Vec<String> = Vec::new();
        for w in &on_plate {
            if w.role != WellRole::Blank && !lines.contains(&w.cell_line) {
                lines.push(w.cell_line.clone());
            }
        }
        for line in &lines {
            let of_line: Vec<&&Well> = on_plate
                .iter()
                .filter(|w| w.role != WellRole::Blank && &w.cell_line == line)
                .collect();
            let controls: Vec<f64> = of_line
                .iter()
                .filter(|w| w.role == WellRole::Control)
                .filter_map(|w| w.value)
                .collect();
            if controls.is_empty() {
                return Err(AssayError::NoControl {
                    plate: plate.clone(),
                    cell_line: line.clone(),
                });
            }
            let (cmean, csd) = mean_sd(&controls);
            if (cmean - blank).is_nan() || cmean - blank <= 0.0 {
                return Err(AssayError::ControlNotAboveBlank {
                    plate: plate.clone(),
                    cell_line: line.clone(),
                    control: cmean,
                    blank,
                });
            }
            let experiment = of_line[0].experiment.clone();
            if of_line.iter().any(|w| w.experiment != experiment) {
                notes.push(format!(
                    "plate `{plate}`, cell line `{line}`: wells name more than one experiment; each condition is attributed to the experiment of its wells"
                ));
            }
            let positives: Vec<f64> = of_line
                .iter()
                .filter(|w| w.role == WellRole::Positive)
                .filter_map(|w| w.value)
                .collect();
            let (zp, low) = if positives.len() >= 2 {
                (z_prime(&controls, &positives).ok(), "positive")
            } else if blanks.len() >= 2 {
                (z_prime(&controls, &blanks).ok(), "blank")
            } else {
                (None, "none")
            };
            plate_summaries.push(PlateSummary {
                plate: plate.clone(),
                experiment: experiment.clone(),
                cell_line: line.clone(),
                blank_mean,
                n_blank: blanks.len(),
                control_mean: cmean,
                control_sd: csd,
                n_control: controls.len(),
                z_prime: zp,
                z_prime_low: low,
            });
            // conditions on this plate and line, in order of appearance
            let mut conds: Vec<(Condition, String, Vec<f64>)> = Vec::new();
            for w in &of_line {
                let c = Condition::new(&w.cell_line, &w.treatment, w.dose);
                match conds
                    .iter_mut()
                    .find(|(k, e, _)| k.same(&c) && e == &w.experiment)
                {
                    Some((_, _, v)) => v.push(w.value.unwrap_or(f64::NAN)),
                    None => {
                        conds.push((c, w.experiment.clone(), vec![w.value.unwrap_or(f64::NAN)]))
                    }
                }
            }
            for (condition, exp, vals) in conds {
                let (m, sd) = mean_sd(&vals);
                per_plate.push(PlateCondition {
                    plate: plate.clone(),
                    experiment: exp,
                    condition,
                    n_wells: vals.len(),
                    mean_reading: m,
                    sd_reading: sd,
                    viability: 100.0 * (m - blank) / (cmean - blank),
                });
            }
        }
    }
    // one value per experiment and condition: mean over plates
    let mut experiments: Vec<(ExperimentValue, usize)> = Vec::new();
    for pc in &per_plate {
        match experiments
            .iter_mut()
            .find(|(e, _)| e.experiment == pc.experiment && e.condition.same(&pc.condition))
        {
            Some((e, k)) => {
                e.value += pc.viability;
                *k += 1;
            }
            None => experiments.push((
                ExperimentValue {
                    experiment: pc.experiment.clone(),
                    condition: pc.condition.clone(),
                    value: pc.viability,
                },
                1,
            )),
        }
    }
    let experiments: Vec<ExperimentValue> = experiments
        .into_iter()
        .map(|(mut e, k)| {
            e.value /= k as f64;
            e
        })
        .collect();
    let conditions = summarise(&experiments);
    if conditions.iter().any(|c| c.n_experiments < 2) {
        notes.push(
            "some conditions come from a single experiment: they have no SD or SEM and cannot be tested"
                .into(),
        );
    }
    Ok(ViabilityResult {
        blank_subtraction: opts.blank_subtraction,
        formula: if opts.blank_subtraction {
            FORMULA_BLANK
        } else {
            FORMULA_PLAIN
        },
        plates: plate_summaries,
        wells: per_plate,
        experiments,
        conditions,
        missing,
        notes,
    })
}
