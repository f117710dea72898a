//! Cox models: univariate screening of every candidate (each on its own
//! complete cases), stepwise (or forward, backward) selection with SAS
//! PHREG's rules and the full model, both with the proportional-hazards
//! test, and the treatment-by-marker interaction (methods and references
//! in `oncomark_survival::univariate`, `select`, `zph` and `interaction`).

use oncomark_survival::cox::{CoxData, CoxOptions, CoxProblem, TermStatus};
use oncomark_survival::firth::{firth, FitMethod, ModelFit};
use oncomark_survival::interaction::{treatment_interaction, InteractionNames};
use oncomark_survival::select::{select, SelectMethod, SelectOptions, Term};
use oncomark_survival::univariate::{univariate, univariate_rows, FactorData};
use oncomark_survival::zph::{cox_zph, Zph, ZphTransform};

use super::load::{FactorDef, MarkerDef, Patient};
use super::survival::{firth_options, marker_hr, marker_logrank, surv_data};
use crate::results::{
    ArmEffect, FirthRefit, InteractionAnalysis, MultivariableAnalysis, ScreenedOut, TermLabel,
    UnivariateAnalysis,
};
use crate::spec::{Candidates, SelectionMethod, SelectionSpec};

/// A candidate term: its name, column names, labels and per-patient
/// design values.
struct Candidate {
    name: String,
    columns: Vec<String>,
    labels: Vec<String>,
    /// Per patient (in the order given), `None` when missing.
    values: Vec<Option<Vec<f64>>>,
}

fn candidates(marker: &MarkerDef, factors: &[FactorDef], patients: &[&Patient]) -> Vec<Candidate> {
    let mut out = vec![Candidate {
        name: marker.name.clone(),
        columns: vec![marker.name.clone()],
        labels: vec![format!(
            "{} {} vs {}",
            marker.name, marker.labels[1], marker.labels[0]
        )],
        values: patients
            .iter()
            .map(|p| Some(vec![f64::from(u8::from(p.positive))]))
            .collect(),
    }];
    for (k, f) in factors.iter().enumerate() {
        if !f.models {
            continue;
        }
        out.push(Candidate {
            name: f.name.clone(),
            columns: f.columns.clone(),
            labels: f.column_labels(),
            values: patients
                .iter()
                .map(|p| p.factors[k].as_ref().map(|v| f.design(v)))
                .collect(),
        });
    }
    out
}

fn labels_of(cands: &[&Candidate], factor_labels: &[(String, String)]) -> Vec<TermLabel> {
    let mut out = Vec::new();
    for c in cands {
        if c.columns.len() > 1 || c.columns.first() != Some(&c.name) {
            let label = factor_labels
                .iter()
                .find(|(n, _)| n == &c.name)
                .map_or_else(|| c.name.clone(), |(_, l)| l.clone());
            out.push(TermLabel {
                term: c.name.clone(),
                factor: c.name.clone(),
                label,
            });
        }
        for (t, l) in c.columns.iter().zip(&c.labels) {
            out.push(TermLabel {
                term: t.clone(),
                factor: c.name.clone(),
                label: l.clone(),
            });
        }
    }
    out
}

fn factor_labels(factors: &[FactorDef]) -> Vec<(String, String)> {
    factors
        .iter()
        .map(|f| (f.name.clone(), f.label.clone()))
        .collect()
}

/// Complete-case data of `cands` over the patients with a time.
fn model_data(
    cands: &[&Candidate],
    time: &[Option<(f64, bool)>],
) -> Result<(CoxData, Vec<Term>, usize), String> {
    let rows: Vec<usize> = (0..time.len())
        .filter(|&i| time[i].is_some() && cands.iter().all(|c| c.values[i].is_some()))
        .collect();
    let with_time = time.iter().filter(|t| t.is_some()).count();
    let t: Vec<f64> = rows.iter().filter_map(|&i| time[i].map(|x| x.0)).collect();
    let e: Vec<bool> = rows.iter().filter_map(|&i| time[i].map(|x| x.1)).collect();
    let mut cols = Vec::new();
    let mut names = Vec::new();
    let mut terms = Vec::new();
    for c in cands {
        let start = cols.len();
        for (j, name) in c.columns.iter().enumerate() {
            cols.push(
                rows.iter()
                    .map(|&i| c.values[i].as_ref().map_or(f64::NAN, |v| v[j]))
                    .collect::<Vec<f64>>(),
            );
            names.push(name.clone());
        }
        terms.push(Term::new(c.name.clone(), (start..cols.len()).collect()));
    }
    let d = CoxData::new(&t, &e, &cols, &names).map_err(|e| e.to_string())?;
    Ok((d, terms, with_time - rows.len()))
}

/// Fit the model of `terms` (all columns of `data`) with its PH test; when
/// a coefficient is infinite (monotone likelihood), refit by Firth's
/// penalised likelihood (no PH test then).
fn fit_with_zph(
    data: &CoxData,
    terms: &[Term],
    cox: &CoxOptions,
    transform: ZphTransform,
) -> Result<(ModelFit, Result<Zph, String>), String> {
    let pr = CoxProblem::new(data, cox.ties).map_err(|e| e.to_string())?;
    let f = pr.fit(cox).map_err(|e| e.to_string())?;
    let infinite: Vec<String> = f
        .terms
        .iter()
        .filter(|t| t.status == TermStatus::Infinite)
        .map(|t| format!("`{}`", t.term))
        .collect();
    if !infinite.is_empty() {
        let mut m = firth(data, &firth_options(cox)).map_err(|e| e.to_string())?;
        m.fit.warnings.insert(
            0,
            format!(
                "monotone likelihood: the ordinary estimate of {} is infinite, so the model was refitted by Firth's penalised partial likelihood (Heinze & Schemper 2001; Breslow ties; profile-likelihood limits)",
                infinite.join(", ")
            ),
        );
        return Ok((
            m,
            Err("not computed for a Firth (penalised) fit".to_string()),
        ));
    }
    let z = cox_zph(&pr, &f, Some(terms), transform).map_err(|e| e.to_string());
    Ok((
        ModelFit {
            method: FitMethod::Cox,
            fit: f,
            firth: None,
        },
        z,
    ))
}

pub(crate) fn univariate_analysis(
    cohort: &str,
    endpoint: &str,
    k: usize,
    marker: &MarkerDef,
    factors: &[FactorDef],
    patients: &[&Patient],
    cox: &CoxOptions,
) -> UnivariateAnalysis {
    let cands = candidates(marker, factors, patients);
    let time: Vec<Option<(f64, bool)>> = patients.iter().map(|p| p.ends[k]).collect();
    let mut fits = Vec::new();
    let mut notes = Vec::new();
    let mut refits = Vec::new();
    for c in &cands {
        let res = model_data(&[c], &time).and_then(|(data, _, missing)| {
            let f = univariate(
                &[FactorData {
                    name: c.name.clone(),
                    data: data.clone(),
                    missing,
                }],
                cox,
            )
            .map_err(|e| e.to_string())?;
            Ok((f, data))
        });
        match res {
            Ok((mut f, data)) => {
                let infinite = f
                    .iter()
                    .any(|u| u.terms.iter().any(|t| t.status == TermStatus::Infinite));
                if infinite {
                    match firth(&data, &firth_options(cox)) {
                        Ok(m) => {
                            notes.push(format!(
                                "{}: the ordinary estimate is infinite (monotone likelihood); see `firth` for Firth's penalised fit",
                                c.name
                            ));
                            refits.push(FirthRefit {
                                factor: c.name.clone(),
                                model: m,
                            });
                        }
                        Err(e) => notes.push(format!("{}: Firth's fit failed: {e}", c.name)),
                    }
                }
                fits.append(&mut f);
            }
            Err(e) => notes.push(format!("{}: {e}", c.name)),
        }
    }
    let refs: Vec<&Candidate> = cands.iter().collect();
    UnivariateAnalysis {
        cohort: cohort.to_string(),
        endpoint: endpoint.to_string(),
        rows: univariate_rows(&fits),
        factors: fits,
        labels: labels_of(&refs, &factor_labels(factors)),
        firth: refits,
        notes,
    }
}

pub(crate) fn multivariable_analysis(
    cohort: &str,
    endpoint: &str,
    k: usize,
    marker: &MarkerDef,
    factors: &[FactorDef],
    patients: &[&Patient],
    sel: &SelectionSpec,
    uni: Option<&UnivariateAnalysis>,
    cox: &CoxOptions,
    transform: ZphTransform,
) -> MultivariableAnalysis {
    let all = candidates(marker, factors, patients);
    let time: Vec<Option<(f64, bool)>> = patients.iter().map(|p| p.ends[k]).collect();
    let mut notes = Vec::new();
    let mut screened_out = Vec::new();
    let mut chosen: Vec<&Candidate> = Vec::new();
    for c in &all {
        let keep = match sel.candidates {
            Candidates::All => true,
            Candidates::Univariate => {
                let p = uni.and_then(|u| {
                    u.factors
                        .iter()
                        .find(|f| f.factor == c.name)
                        .filter(|f| f.df > 0)
                        .map(|f| f.likelihood_ratio.p)
                });
                let keep = sel.include.contains(&c.name) || p.is_some_and(|p| p < sel.screen_p);
                if !keep {
                    screened_out.push(ScreenedOut {
                        factor: c.name.clone(),
                        p,
                    });
                }
                keep
            }
        };
        if keep {
            chosen.push(c);
        }
    }
    let method = match sel.method {
        SelectionMethod::Stepwise => "stepwise",
        SelectionMethod::Forward => "forward",
        SelectionMethod::Backward => "backward",
        SelectionMethod::None => "none",
    };
    let mut out = MultivariableAnalysis {
        cohort: cohort.to_string(),
        endpoint: endpoint.to_string(),
        method: method.to_string(),
        candidates_rule: match sel.candidates {
            Candidates::All => "all",
            Candidates::Univariate => "univariate",
        }
        .to_string(),
        candidates: chosen.iter().map(|c| c.name.clone()).collect(),
        screened_out,
        n: 0,
        events: 0,
        dropped_missing: 0,
        selection: None,
        model: None,
        zph: None,
        full_model: None,
        full_zph: None,
        labels: labels_of(&chosen, &factor_labels(factors)),
        notes: Vec::new(),
    };
    if chosen.is_empty() {
        notes.push(format!(
            "no candidate passed the univariate screen (P < {}); no multivariable model",
            sel.screen_p
        ));
        out.notes = notes;
        return out;
    }
    let (data, terms, dropped) = match model_data(&chosen, &time) {
        Ok(x) => x,
        Err(e) => {
            notes.push(format!("no model: {e}"));
            out.notes = notes;
            return out;
        }
    };
    out.n = data.n();
    out.events = data.events();
    out.dropped_missing = dropped;
    let sm = match sel.method {
        SelectionMethod::Stepwise => Some(SelectMethod::Stepwise),
        SelectionMethod::Forward => Some(SelectMethod::Forward),
        SelectionMethod::Backward => Some(SelectMethod::Backward),
        SelectionMethod::None => None,
    };
    if let Some(m) = sm {
        let opts = SelectOptions {
            method: m,
            entry: sel.entry,
            stay: sel.stay,
            include: sel
                .include
                .iter()
                .filter(|i| chosen.iter().any(|c| &c.name == *i))
                .cloned()
                .collect(),
            cox: CoxOptions {
                concordance: false,
                ..cox.clone()
            },
        };
        match select(&data, &terms, &opts) {
            Ok(s) => {
                let picked: Vec<&Candidate> = s
                    .selected
                    .iter()
                    .filter_map(|name| chosen.iter().copied().find(|c| &c.name == name))
                    .collect();
                if picked.is_empty() {
                    notes.push("no term met the entry level: the selected model is empty".into());
                } else {
                    match model_data(&picked, &time)
                        .and_then(|(d, t, _)| fit_with_zph(&d, &t, cox, transform))
                    {
                        Ok((f, z)) => {
                            out.model = Some(f);
                            match z {
                                Ok(z) => out.zph = Some(z),
                                Err(e) => notes.push(format!("PH test of the selected model: {e}")),
                            }
                        }
                        Err(e) => notes.push(format!("selected model: {e}")),
                    }
                }
                out.selection = Some(s);
            }
            Err(e) => notes.push(format!("selection: {e}")),
        }
    }
    match fit_with_zph(&data, &terms, cox, transform) {
        Ok((f, z)) => {
            out.full_model = Some(f);
            match z {
                Ok(z) => out.full_zph = Some(z),
                Err(e) => notes.push(format!("PH test of the full model: {e}")),
            }
        }
        Err(e) => notes.push(format!("full model: {e}")),
    }
    out.notes = notes;
    out
}

pub(crate) fn interaction_analysis(
    endpoint: &str,
    k: usize,
    marker: &MarkerDef,
    treatment: (&str, &str, &str),
    patients: &[&Patient],
    cox: &CoxOptions,
) -> InteractionAnalysis {
    let (name, treated_label, control_label) = treatment;
    let with_arm: Vec<&Patient> = patients
        .iter()
        .copied()
        .filter(|p| p.treated.is_some() && p.ends[k].is_some())
        .collect();
    let (time, event, group) = surv_data(&with_arm, k);
    let treated: Vec<bool> = with_arm.iter().map(|p| p.treated == Some(true)).collect();
    let mut notes = Vec::new();
    let result = match treatment_interaction(
        &time,
        &event,
        &treated,
        &group,
        &marker.labels,
        &InteractionNames {
            treatment: name.to_string(),
            marker: marker.name.clone(),
        },
        cox,
    ) {
        Ok(r) => Some(r),
        Err(e) => {
            notes.push(format!("interaction model: {e}"));
            None
        }
    };
    let mut marker_by_arm = Vec::new();
    for (arm, label) in [(false, control_label), (true, treated_label)] {
        let idx: Vec<usize> = (0..time.len()).filter(|&i| treated[i] == arm).collect();
        let t: Vec<f64> = idx.iter().map(|&i| time[i]).collect();
        let e: Vec<bool> = idx.iter().map(|&i| event[i]).collect();
        let g: Vec<u32> = idx.iter().map(|&i| group[i]).collect();
        let mut a = ArmEffect {
            arm: label.to_string(),
            n: t.len(),
            events: e.iter().filter(|&&x| x).count(),
            hazard_ratio: None,
            logrank: None,
            notes: Vec::new(),
        };
        if t.is_empty() {
            a.notes.push("no patient in this arm".into());
        } else {
            match marker_hr(&t, &e, &g, &marker.name, cox) {
                Ok((h, method)) => {
                    if method == "firth" {
                        a.notes.push("the ordinary hazard ratio is infinite; Firth's penalised estimate is reported".into());
                    }
                    a.hazard_ratio = Some(h);
                }
                Err(err) => a.notes.push(format!("hazard ratio: {err}")),
            }
            match marker_logrank(&t, &e, &g, &marker.labels) {
                Ok(l) => a.logrank = Some(l),
                Err(err) => a.notes.push(format!("log-rank: {err}")),
            }
        }
        marker_by_arm.push(a);
    }
    InteractionAnalysis {
        endpoint: endpoint.to_string(),
        treatment: name.to_string(),
        treated: treated_label.to_string(),
        control: control_label.to_string(),
        n: time.len(),
        events: event.iter().filter(|&&e| e).count(),
        result,
        marker_by_arm,
        notes,
    }
}
