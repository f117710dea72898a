//! Treatment-by-marker interaction and treatment effects within marker
//! subgroups (predictive biomarker analysis).
//!
//! # Method
//!
//! With a binary treatment `T` and a marker with levels `0..L` (level 0 the
//! reference, `M_l` the dummy of level `l`), the interaction model is
//!
//! ```text
//! h(t) = h0(t) exp(b1 T + sum_l g_l M_l + sum_l b3_l T M_l)
//! ```
//!
//! * The interaction test compares it with the main-effects model
//!   (`b3 = 0`): likelihood ratio `2 (l_int - l_main)` and Wald
//!   `b3' V_33⁻¹ b3`, both on `L - 1` df.
//! * The treatment effect within level `l` is `exp(b1 + b3_l)` (level 0:
//!   `exp(b1)`), with standard error
//!   `sqrt(V_11 + V_33,ll + 2 V_13,l)` from the model's covariance, a Wald
//!   interval and P.
//! * Separate fits: the Cox model `~ T` within each level alone (the rows
//!   of a forest plot); unlike the interaction model they let the baseline
//!   hazard differ by level.
//!
//! References: Peto (1982) Br J Cancer 45:313 (subgroup analyses and
//! tests of interaction); Altman & Bland (2003) BMJ 326:219 (interaction
//! revisited); Sargent et al. (2005) J Clin Oncol 23:2020 (clinical trial
//! designs for predictive marker validation); Therneau & Grambsch (2000)
//! *Modeling Survival Data*, §3.4.

use crate::cox::linalg::Ldl;
use crate::cox::{ChiSquareTest, CoxData, CoxFit, CoxOptions, CoxTerm, TermStatus};
use crate::SurvivalError;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// Names used to label the model's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionNames {
    /// Treatment name (default `treatment`).
    pub treatment: String,
    /// Marker name (default `marker`).
    pub marker: String,
}

impl Default for InteractionNames {
    fn default() -> Self {
        InteractionNames {
            treatment: "treatment".into(),
            marker: "marker".into(),
        }
    }
}

/// The treatment effect within one marker level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubgroupEffect {
    /// Marker level.
    pub level: String,
    /// Subjects in the level.
    pub n: usize,
    /// Events in the level.
    pub events: usize,
    /// Log hazard ratio of treatment.
    pub coef: Option<f64>,
    /// Its standard error.
    pub se: Option<f64>,
    /// Hazard ratio of treated against untreated.
    pub hr: Option<f64>,
    /// Lower confidence limit.
    pub hr_lower: Option<f64>,
    /// Upper confidence limit.
    pub hr_upper: Option<f64>,
    /// Two-sided Wald P.
    pub p: Option<f64>,
    /// Likelihood-ratio P (separate fits only).
    pub p_lr: Option<f64>,
    /// Whether the estimate is usable.
    pub status: TermStatus,
    /// Why an estimate is missing or unreliable.
    pub warnings: Vec<String>,
}

/// Result of [`treatment_interaction`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interaction {
    /// Treatment name.
    pub treatment: String,
    /// Marker name.
    pub marker: String,
    /// Marker levels, reference first.
    pub levels: Vec<String>,
    /// Subjects.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// Likelihood-ratio test of the interaction (`L - 1` df).
    pub interaction_lr: ChiSquareTest,
    /// Wald test of the interaction.
    pub interaction_wald: ChiSquareTest,
    /// The interaction coefficients `b3_l` (ratio of hazard ratios).
    pub interaction_terms: Vec<CoxTerm>,
    /// Treatment effect per level from the interaction model.
    pub within: Vec<SubgroupEffect>,
    /// Treatment effect per level from separate fits.
    pub separate: Vec<SubgroupEffect>,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Warnings of the fits.
    pub warnings: Vec<String>,
    /// The interaction model (not serialised).
    #[serde(skip)]
    pub model: CoxFit,
    /// The main-effects model (not serialised).
    #[serde(skip)]
    pub main_effects: CoxFit,
}

fn z_quantile(conf: f64) -> f64 {
    Normal::new(0.0, 1.0)
        .map(|n| n.inverse_cdf(1.0 - (1.0 - conf) / 2.0))
        .unwrap_or(f64::NAN)
}

fn two_sided(z: f64) -> f64 {
    Normal::new(0.0, 1.0)
        .map(|n| (2.0 * n.sf(z.abs())).min(1.0))
        .unwrap_or(f64::NAN)
}

fn effect(level: &str, n: usize, events: usize, coef: f64, se: f64, zq: f64) -> SubgroupEffect {
    SubgroupEffect {
        level: level.to_string(),
        n,
        events,
        coef: Some(coef),
        se: Some(se),
        hr: Some(coef.exp()),
        hr_lower: Some((coef - zq * se).exp()),
        hr_upper: Some((coef + zq * se).exp()),
        p: Some(two_sided(coef / se)),
        p_lr: None,
        status: TermStatus::Estimated,
        warnings: Vec::new(),
    }
}

fn missing_effect(level: &str, n: usize, events: usize, why: String) -> SubgroupEffect {
    SubgroupEffect {
        level: level.to_string(),
        n,
        events,
        coef: None,
        se: None,
        hr: None,
        hr_lower: None,
        hr_upper: None,
        p: None,
        p_lr: None,
        status: TermStatus::NotEstimable,
        warnings: vec![why],
    }
}

/// Test a treatment-by-marker interaction and estimate the treatment
/// effect within each marker level (see the [module docs](self)).
///
/// `treatment[i]` is true for treated subjects; `marker[i]` indexes
/// `marker_labels` (level 0 is the reference). Rows with missing values
/// must be removed by the caller.
///
/// # Errors
/// [`SurvivalError::LengthMismatch`] for ragged input;
/// [`SurvivalError::GroupOutOfRange`] for a marker index without a label;
/// [`SurvivalError::OneGroup`] when fewer than two marker levels, or only
/// one treatment arm, are present; the errors of [`CoxData::new`] and
/// [`crate::cox::fit`]. A level whose separate fit is impossible (no
/// events, one arm only) is reported with `status = not_estimable` and a
/// warning instead.
///
/// # Example
/// ```
/// use oncomark_survival::cox::CoxOptions;
/// use oncomark_survival::interaction::{treatment_interaction, InteractionNames};
/// let time = [2.0, 4.0, 6.0, 8.0, 3.0, 5.0, 7.0, 9.0, 1.0, 2.5, 3.5, 4.5, 6.5, 8.5, 9.5, 10.0];
/// let event = [true; 16];
/// let treated = [true, true, false, false, true, false, true, false,
///                true, true, false, false, true, false, true, false];
/// let marker = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
/// let r = treatment_interaction(&time, &event, &treated, &marker, &["neg", "pos"],
///     &InteractionNames::default(), &CoxOptions::default())?;
/// assert_eq!(r.interaction_lr.df, 1);
/// // the level-0 effect from the interaction model is exp(b1)
/// assert_eq!(r.within[0].coef, r.model.terms[0].coef);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn treatment_interaction<S: AsRef<str>>(
    time: &[f64],
    event: &[bool],
    treatment: &[bool],
    marker: &[u32],
    marker_labels: &[S],
    names: &InteractionNames,
    opts: &CoxOptions,
) -> Result<Interaction, SurvivalError> {
    let n = time.len();
    for (what, len) in [
        ("event", event.len()),
        ("treatment", treatment.len()),
        ("marker", marker.len()),
    ] {
        if len != n {
            return Err(SurvivalError::LengthMismatch {
                what,
                got: len,
                expected: n,
            });
        }
    }
    let nl = marker_labels.len();
    if let Some((i, &m)) = marker.iter().enumerate().find(|(_, &m)| m as usize >= nl) {
        return Err(SurvivalError::GroupOutOfRange {
            index: i,
            value: m,
            n_groups: nl,
        });
    }
    let mut count = vec![0usize; nl];
    let mut ev = vec![0usize; nl];
    for (i, &m) in marker.iter().enumerate() {
        count[m as usize] += 1;
        ev[m as usize] += usize::from(event[i]);
    }
    let present = count.iter().filter(|&&c| c > 0).count();
    if present < 2 {
        return Err(SurvivalError::OneGroup { groups: present });
    }
    let arms =
        usize::from(treatment.iter().any(|&t| t)) + usize::from(treatment.iter().any(|&t| !t));
    if arms < 2 {
        return Err(SurvivalError::OneGroup { groups: arms });
    }
    let labels: Vec<String> = marker_labels
        .iter()
        .map(|s| s.as_ref().to_string())
        .collect();
    let trt: Vec<f64> = treatment.iter().map(|&t| f64::from(u8::from(t))).collect();
    let (tn, mn) = (&names.treatment, &names.marker);

    // design: T, M_1..M_{L-1}, T M_1..T M_{L-1}
    let mut cols = vec![trt.clone()];
    let mut cnames = vec![tn.clone()];
    for (l, lab) in labels.iter().enumerate().skip(1) {
        cols.push(
            marker
                .iter()
                .map(|&m| f64::from(u8::from(m as usize == l)))
                .collect(),
        );
        cnames.push(format!("{mn}{lab}"));
    }
    for (l, lab) in labels.iter().enumerate().skip(1) {
        cols.push(
            marker
                .iter()
                .zip(&trt)
                .map(|(&m, &t)| if m as usize == l { t } else { 0.0 })
                .collect(),
        );
        cnames.push(format!("{tn}:{mn}{lab}"));
    }
    let k = nl - 1;
    let full = CoxData::new(time, event, &cols, &cnames)?;
    let main = full.select_columns(&(0..=k).collect::<Vec<_>>())?;
    let model = crate::cox::fit(&full, opts)?;
    let main_fit = crate::cox::fit(&main, opts)?;
    let mut warnings: Vec<String> = model.warnings.clone();
    warnings.extend(main_fit.warnings.iter().cloned());

    // interaction tests over the estimable interaction columns
    let p = model.coefficients.len();
    let icols: Vec<usize> = (k + 1..p)
        .filter(|&j| model.terms[j].status != TermStatus::NotEstimable)
        .collect();
    let q = icols.len();
    let mut v = vec![0.0; q * q];
    let mut b = vec![0.0; q];
    for (a, &i) in icols.iter().enumerate() {
        b[a] = model.coefficients[i];
        for (c, &j) in icols.iter().enumerate() {
            v[a * q + c] = model.variance[i][j];
        }
    }
    let wald = if q > 0 {
        Ldl::new(&v, q, opts.toler_chol).quad_form(&b).max(0.0)
    } else {
        0.0
    };
    let lr = (2.0 * (model.loglik - main_fit.loglik)).max(0.0);

    // treatment effect within each level from the interaction model
    let zq = z_quantile(opts.conf_level);
    let b1_ok = model.terms[0].status != TermStatus::NotEstimable;
    let within: Vec<SubgroupEffect> = (0..nl)
        .map(|l| {
            let int_ok = l == 0 || model.terms[k + l].status != TermStatus::NotEstimable;
            if count[l] == 0 {
                return missing_effect(&labels[l], 0, 0, format!("level `{}` has no subjects", labels[l]));
            }
            if !(b1_ok && int_ok) {
                return missing_effect(
                    &labels[l],
                    count[l],
                    ev[l],
                    format!(
                        "the treatment effect within `{}` is not estimable from the interaction model (a coefficient is NA)",
                        labels[l]
                    ),
                );
            }
            let (coef, var) = if l == 0 {
                (model.coefficients[0], model.variance[0][0])
            } else {
                let j = k + l;
                (
                    model.coefficients[0] + model.coefficients[j],
                    model.variance[0][0] + model.variance[j][j] + 2.0 * model.variance[0][j],
                )
            };
            let mut e = effect(&labels[l], count[l], ev[l], coef, var.max(0.0).sqrt(), zq);
            if model.terms[0].status == TermStatus::Infinite
                || (l > 0 && model.terms[k + l].status == TermStatus::Infinite)
            {
                e.status = TermStatus::Infinite;
            }
            e
        })
        .collect();

    // separate fits per level
    let separate: Vec<SubgroupEffect> = (0..nl)
        .map(|l| {
            let rows: Vec<usize> = (0..n).filter(|&i| marker[i] as usize == l).collect();
            let lab = &labels[l];
            let t: Vec<f64> = rows.iter().map(|&i| time[i]).collect();
            let e: Vec<bool> = rows.iter().map(|&i| event[i]).collect();
            let x: Vec<f64> = rows.iter().map(|&i| trt[i]).collect();
            if rows.is_empty() {
                return missing_effect(lab, 0, 0, format!("level `{lab}` has no subjects"));
            }
            let ne = e.iter().filter(|&&v| v).count();
            if ne == 0 {
                return missing_effect(lab, rows.len(), 0, format!("level `{lab}` has no events"));
            }
            if x.iter().all(|&v| v == x[0]) {
                return missing_effect(
                    lab,
                    rows.len(),
                    ne,
                    format!("level `{lab}` has only one treatment arm"),
                );
            }
            let d = match CoxData::new(&t, &e, &[x], &[tn.as_str()]) {
                Ok(d) => d,
                Err(err) => return missing_effect(lab, rows.len(), ne, err.to_string()),
            };
            match crate::cox::fit(&d, opts) {
                Ok(f) => {
                    let term = &f.terms[0];
                    match (term.coef, term.se) {
                        (Some(c), Some(se)) => {
                            let mut eff = effect(lab, f.n, f.events, c, se, zq);
                            eff.p_lr = Some(f.tests.likelihood_ratio.p);
                            eff.status = term.status;
                            eff.warnings = f.warnings;
                            eff
                        }
                        _ => missing_effect(lab, f.n, f.events, f.warnings.join("; ")),
                    }
                }
                Err(err) => missing_effect(lab, rows.len(), ne, err.to_string()),
            }
        })
        .collect();

    Ok(Interaction {
        treatment: tn.clone(),
        marker: mn.clone(),
        levels: labels,
        n,
        events: model.events,
        interaction_lr: ChiSquareTest::new(lr, q),
        interaction_wald: ChiSquareTest::new(wald, q),
        interaction_terms: model.terms[k + 1..].to_vec(),
        within,
        separate,
        conf_level: opts.conf_level,
        warnings,
        model,
        main_effects: main_fit,
    })
}
