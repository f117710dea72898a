//! Comparisons of conditions on biological replicates: Student, Welch,
//! paired (by experiment) and one-sample t tests, with multiplicity
//! adjustment, all from `oncomark-stats` (as R `t.test` and `p.adjust`).
//!
//! The input is one value per independent experiment and condition
//! ([`ExperimentValue`], from [`crate::viability`], [`crate::clonogenic`] or
//! [`crate::blot`]): technical replicates never enter a test.
//!
//! # The normalised-control pitfall
//!
//! A control that every experiment is normalised to (viability 100 %,
//! surviving fraction 1, fold change 1) has the same value in every
//! experiment: no variance of its own. A two-sample test against it treats
//! a fixed number as a sample. Student's test then borrows all its
//! variability from the treated group while counting the control's
//! experiments in its degrees of freedom, so its P value is too small;
//! Welch's test reduces to the one-sample test. When a group of a
//! comparison is constant, the row carries a warning that says so and the
//! appropriate test, the one-sample t test of the other group against the
//! constant, in `one_sample` (or test the unnormalised values paired by
//! experiment).

use oncomark_stats::{
    p_adjust, t_test_one_sample, t_test_paired, t_test_two_sample, PAdjustMethod, TTest,
    TTestOptions,
};
use serde::Serialize;

use crate::error::{check_conf_level, AssayError, Result};
use crate::replicates::{Condition, ExperimentValue};

/// Which test compares two conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CompareTest {
    /// Two-sample Student t test (pooled variance): the seed paper's test.
    #[default]
    Student,
    /// Two-sample Welch t test.
    Welch,
    /// Paired t test, experiments matched by their identifier.
    Paired,
}

/// What a condition is compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// Another condition (two-sample or paired test).
    Condition(Condition),
    /// A fixed value such as 100 % (one-sample test).
    Value(f64),
}

/// One requested comparison: `a` against `b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonSpec {
    /// The condition tested.
    pub a: Condition,
    /// What it is compared with.
    pub b: Reference,
}

impl ComparisonSpec {
    /// Every condition against the control of its own cell line: the
    /// condition whose treatment equals `control_treatment`
    /// (case-insensitive), in order of first appearance.
    ///
    /// ```
    /// use oncomark_assay::compare::{ComparisonSpec, Reference};
    /// use oncomark_assay::replicates::{Condition, ExperimentValue};
    /// let v = |t: &str, x: f64| ExperimentValue {
    ///     experiment: "e1".into(), condition: Condition::new("SKBR3", t, None), value: x };
    /// let specs = ComparisonSpec::all_against(&[v("untreated", 100.0), v("Tz", 60.0)], "untreated");
    /// assert_eq!(specs.len(), 1);
    /// assert_eq!(specs[0].a.treatment, "Tz");
    /// ```
    pub fn all_against(values: &[ExperimentValue], control_treatment: &str) -> Vec<ComparisonSpec> {
        let mut conds: Vec<Condition> = Vec::new();
        for v in values {
            if !conds.iter().any(|c| c.same(&v.condition)) {
                conds.push(v.condition.clone());
            }
        }
        let mut out = Vec::new();
        for c in &conds {
            if c.treatment.eq_ignore_ascii_case(control_treatment) {
                continue;
            }
            if let Some(ctrl) = conds.iter().find(|k| {
                k.cell_line == c.cell_line && k.treatment.eq_ignore_ascii_case(control_treatment)
            }) {
                out.push(ComparisonSpec {
                    a: c.clone(),
                    b: Reference::Condition(ctrl.clone()),
                });
            }
        }
        out
    }
}

/// Options of [`compare`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareOptions {
    /// Test of condition against condition (default Student).
    pub test: CompareTest,
    /// Multiplicity adjustment over the comparisons (default none).
    pub adjust: Option<PAdjustMethod>,
    /// Confidence level of the intervals (default 0.95).
    pub conf_level: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            test: CompareTest::Student,
            adjust: None,
            conf_level: 0.95,
        }
    }
}

/// Result of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// Label of the condition tested.
    pub a: String,
    /// Label of the reference condition, or the fixed value as text.
    pub b: String,
    /// The test (`None` when it could not be done: see `error`).
    pub test: Option<TTest>,
    /// P value adjusted for multiplicity, when an adjustment was asked for.
    pub p_adjusted: Option<f64>,
    /// The one-sample test of the varying group against a constant
    /// reference group (the normalised-control pitfall), when it applies.
    pub one_sample: Option<TTest>,
    /// Experiments left out of a paired test because the other condition
    /// lacks them.
    pub unpaired_experiments: Vec<String>,
    /// Explanation of a problem with this comparison.
    pub warning: Option<String>,
    /// Why the test could not be done.
    pub error: Option<String>,
}

/// All comparisons of one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonSet {
    /// Test of condition against condition.
    pub test: CompareTest,
    /// Multiplicity adjustment (`null` for none).
    pub adjust: Option<PAdjustMethod>,
    /// Confidence level.
    pub conf_level: f64,
    /// One row per comparison, in request order.
    pub rows: Vec<ComparisonRow>,
}

fn values_of<'a>(values: &'a [ExperimentValue], c: &Condition) -> Vec<&'a ExperimentValue> {
    values.iter().filter(|v| v.condition.same(c)).collect()
}

fn known(values: &[ExperimentValue]) -> String {
    let mut labels: Vec<String> = Vec::new();
    for v in values {
        let l = v.condition.label();
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    labels.join(", ")
}

fn constant(v: &[f64]) -> Option<f64> {
    (v.len() >= 2 && v.iter().all(|x| *x == v[0])).then(|| v[0])
}

/// Compare conditions on their per-experiment values.
///
/// Each row runs the chosen test (a [`Reference::Value`] always runs the
/// one-sample test); a test that cannot be done (too few experiments,
/// constant data) gives a row with `error` instead of failing the request.
/// P values of the rows with a test are adjusted together when
/// `opts.adjust` is set (R `p.adjust`).
///
/// # Errors
///
/// [`AssayError::UnknownCondition`] naming a condition absent from the
/// data; [`AssayError::BadConfLevel`].
///
/// # Example
///
/// The pitfall: treated viabilities 62.1, 55.4, 70.3 % against a control
/// normalised to 100 % in each of three experiments.
///
/// ```
/// use oncomark_assay::compare::*;
/// use oncomark_assay::replicates::{Condition, ExperimentValue};
/// let mut v = Vec::new();
/// for (e, x) in ["e1", "e2", "e3"].iter().zip([62.1, 55.4, 70.3]) {
///     v.push(ExperimentValue { experiment: e.to_string(), condition: Condition::new("", "Tz", None), value: x });
///     v.push(ExperimentValue { experiment: e.to_string(), condition: Condition::new("", "untreated", None), value: 100.0 });
/// }
/// let specs = ComparisonSpec::all_against(&v, "untreated");
/// let r = compare(&v, &specs, &CompareOptions::default()).unwrap();
/// let row = &r.rows[0];
/// assert!(row.warning.as_deref().unwrap().contains("no variance"));
/// // Student's test on 4 df gives a smaller P than the one-sample test on 2
/// assert!(row.test.as_ref().unwrap().p < row.one_sample.as_ref().unwrap().p);
/// ```
pub fn compare(
    values: &[ExperimentValue],
    specs: &[ComparisonSpec],
    opts: &CompareOptions,
) -> Result<ComparisonSet> {
    check_conf_level(opts.conf_level)?;
    let topts = TTestOptions {
        conf_level: opts.conf_level,
        ..TTestOptions::default()
    };
    let mut rows = Vec::with_capacity(specs.len());
    for spec in specs {
        let a_vals = values_of(values, &spec.a);
        if a_vals.is_empty() {
            return Err(AssayError::UnknownCondition {
                name: spec.a.label(),
                known: known(values),
            });
        }
        let a_label = spec.a.label();
        let xa: Vec<f64> = a_vals.iter().map(|v| v.value).collect();
        let mut row = ComparisonRow {
            a: a_label.clone(),
            b: String::new(),
            test: None,
            p_adjusted: None,
            one_sample: None,
            unpaired_experiments: Vec::new(),
            warning: None,
            error: None,
        };
        let result = match &spec.b {
            Reference::Value(mu) => {
                row.b = format!("{mu}");
                let o = TTestOptions { mu: *mu, ..topts };
                t_test_one_sample(&xa, &o).map(|t| t.with_group_labels([a_label.clone()]))
            }
            Reference::Condition(bc) => {
                let b_vals = values_of(values, bc);
                if b_vals.is_empty() {
                    return Err(AssayError::UnknownCondition {
                        name: bc.label(),
                        known: known(values),
                    });
                }
                let b_label = bc.label();
                row.b = b_label.clone();
                let xb: Vec<f64> = b_vals.iter().map(|v| v.value).collect();
                // the pitfall: a group without variance
                for (fixed, other, fixed_label, other_label) in [
                    (&xb, &xa, &b_label, &a_label),
                    (&xa, &xb, &a_label, &b_label),
                ] {
                    if let (Some(k), None) = (constant(fixed), constant(other)) {
                        row.warning = Some(pitfall_message(
                            fixed_label,
                            other_label,
                            k,
                            fixed.len(),
                            opts.test,
                        ));
                        let o = TTestOptions { mu: k, ..topts };
                        row.one_sample = t_test_one_sample(other, &o)
                            .ok()
                            .map(|t| t.with_group_labels([other_label.clone()]));
                        break;
                    }
                }
                match opts.test {
                    CompareTest::Student | CompareTest::Welch => {
                        t_test_two_sample(&xa, &xb, opts.test == CompareTest::Student, &topts)
                            .map(|t| t.with_group_labels([a_label.clone(), b_label.clone()]))
                    }
                    CompareTest::Paired => {
                        let mut pa = Vec::new();
                        let mut pb = Vec::new();
                        for v in &a_vals {
                            match b_vals.iter().find(|w| w.experiment == v.experiment) {
                                Some(w) => {
                                    pa.push(v.value);
                                    pb.push(w.value);
                                }
                                None => row.unpaired_experiments.push(v.experiment.clone()),
                            }
                        }
                        for w in &b_vals {
                            if !a_vals.iter().any(|v| v.experiment == w.experiment) {
                                row.unpaired_experiments.push(w.experiment.clone());
                            }
                        }
                        t_test_paired(&pa, &pb, &topts)
                            .map(|t| t.with_group_labels([a_label.clone(), b_label.clone()]))
                    }
                }
            }
        };
        match result {
            Ok(t) => row.test = Some(t),
            Err(e) => row.error = Some(e.to_string()),
        }
        rows.push(row);
    }
    if let Some(method) = opts.adjust {
        let idx: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].test.is_some())
            .collect();
        let p: Vec<f64> = idx
            .iter()
            .filter_map(|&i| rows[i].test.as_ref().map(|t| t.p))
            .collect();
        let adj = p_adjust(&p, method).map_err(|e| AssayError::Test {
            comparison: "multiplicity adjustment".into(),
            message: e.to_string(),
        })?;
        for (&i, q) in idx.iter().zip(adj) {
            rows[i].p_adjusted = Some(q);
        }
    }
    Ok(ComparisonSet {
        test: opts.test,
        adjust: opts.adjust,
        conf_level: opts.conf_level,
        rows,
    })
}

fn pitfall_message(fixed: &str, other: &str, k: f64, n: usize, test: CompareTest) -> String {
    let consequence = match test {
        CompareTest::Student => {
            "Student's test then takes all its variability from the other group while counting the constant group's experiments in its degrees of freedom, so its P value is too small"
        }
        CompareTest::Welch => {
            "Welch's test then reduces to a one-sample test of the other group"
        }
        CompareTest::Paired => {
            "the paired test then is the one-sample test of the other group"
        }
    };
    format!(
        "`{fixed}` is {k} in all {n} experiments (a control every experiment is normalised to has no variance of its own): a two-sample test treats this fixed number as a sample; {consequence}. Use the one-sample t test of `{other}` against {k} (given in `one_sample`), or test the unnormalised values paired by experiment"
    )
}
