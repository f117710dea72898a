//! Biological replicates: one value per independent experiment and
//! condition, and their summaries.
//!
//! Technical replicates (wells, dishes, lanes) are averaged or pooled within
//! an experiment before anything reaches this module, so that the
//! independent experiment is the unit of inference (Lazic, "The problem of
//! pseudoreplication in neuroscientific studies", BMC Neurosci 11:5, 2010).

use serde::Serialize;

use crate::plate::mean_sd;

/// A condition: cell line, treatment and (optional) dose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// Cell line (may be empty).
    pub cell_line: String,
    /// Treatment label.
    pub treatment: String,
    /// Dose, when the design has one.
    pub dose: Option<f64>,
}

impl Condition {
    /// A condition from its parts.
    pub fn new(cell_line: &str, treatment: &str, dose: Option<f64>) -> Condition {
        Condition {
            cell_line: cell_line.to_string(),
            treatment: treatment.to_string(),
            dose,
        }
    }

    /// Readable label: `cell line: treatment dose` (parts left out when
    /// empty), e.g. `JIMT-1: Tz 10`.
    ///
    /// ```
    /// use oncomark_assay::replicates::Condition;
    /// assert_eq!(Condition::new("JIMT-1", "Tz", Some(10.0)).label(), "JIMT-1: Tz 10");
    /// assert_eq!(Condition::new("", "untreated", None).label(), "untreated");
    /// ```
    pub fn label(&self) -> String {
        let mut s = String::new();
        if !self.cell_line.is_empty() {
            s.push_str(&self.cell_line);
            s.push_str(": ");
        }
        s.push_str(&self.treatment);
        if let Some(d) = self.dose {
            s.push(' ');
            s.push_str(&format!("{d}"));
        }
        s
    }

    /// Same condition (doses compared exactly).
    pub fn same(&self, other: &Condition) -> bool {
        self.cell_line == other.cell_line
            && self.treatment == other.treatment
            && match (self.dose, other.dose) {
                (None, None) => true,
                (Some(a), Some(b)) => a == b,
                _ => false,
            }
    }
}

/// One value of one condition in one independent experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentValue {
    /// Experiment (biological replicate) identifier.
    pub experiment: String,
    /// The condition.
    #[serde(flatten)]
    pub condition: Condition,
    /// The value (viability %, surviving fraction, fold change, ...).
    pub value: f64,
}

/// Summary of one condition over independent experiments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionSummary {
    /// The condition.
    #[serde(flatten)]
    pub condition: Condition,
    /// Number of experiments.
    pub n_experiments: usize,
    /// Mean over experiments.
    pub mean: f64,
    /// Standard deviation over experiments (`n - 1`); NaN (JSON `null`)
    /// for a single experiment.
    pub sd: f64,
    /// Standard error of the mean, `sd / sqrt(n)` (NaN for one experiment).
    pub sem: f64,
    /// The per-experiment values, in experiment order.
    pub values: Vec<f64>,
    /// The experiments, in the same order.
    pub experiments: Vec<String>,
}

/// Summarise per-experiment values by condition, conditions in order of
/// first appearance.
///
/// ```
/// use oncomark_assay::replicates::{summarise, Condition, ExperimentValue};
/// let c = Condition::new("SKBR3", "Tz", Some(10.0));
/// let v: Vec<ExperimentValue> = [60.0, 65.0, 70.0].iter().enumerate()
///     .map(|(i, &x)| ExperimentValue { experiment: format!("e{i}"), condition: c.clone(), value: x })
///     .collect();
/// let s = summarise(&v);
/// assert_eq!(s[0].mean, 65.0);
/// assert!((s[0].sd - 5.0).abs() < 1e-12);
/// ```
pub fn summarise(values: &[ExperimentValue]) -> Vec<ConditionSummary> {
    let mut groups: Vec<(Condition, Vec<f64>, Vec<String>)> = Vec::new();
    for v in values {
        match groups.iter_mut().find(|g| g.0.same(&v.condition)) {
            Some(g) => {
                g.1.push(v.value);
                g.2.push(v.experiment.clone());
            }
            None => groups.push((
                v.condition.clone(),
                vec![v.value],
                vec![v.experiment.clone()],
            )),
        }
    }
    groups
        .into_iter()
        .map(|(condition, values, experiments)| {
            let (mean, sd) = mean_sd(&values);
            let n = values.len();
            ConditionSummary {
                condition,
                n_experiments: n,
                mean,
                sd,
                sem: sd / (n as f64).sqrt(),
                values,
                experiments,
            }
        })
        .collect()
}
