//! The analysis plan of a checked spec, run end to end.
//!
//! [`run`] takes a [`CheckedSpec`] (only checked specs can run) and returns
//! [`StudyResults`]:
//!
//! 1. tables -> one typed record per patient ([`crate::ihc`] scores and
//!    marker groups by the spec's IHC rule: percent bins, H-score or
//!    Allred, [`crate::endpoints`] times from dates or given
//!    columns, [`crate::response`] best responses, factor values), with the
//!    exclusions of the patient flow (no cohort, no marker value, bad
//!    dates: each patient at the first stage that excludes them);
//! 2. per cohort: characteristics by marker group, response (Table 2),
//!    and per endpoint Kaplan-Meier / log-rank / landmarks / follow-up,
//!    univariate Cox of every candidate, selected and full multivariable
//!    Cox with the PH test;
//! 3. per endpoint, over all cohorts: the treatment-by-marker interaction;
//! 4. IHC scores and reader agreement.
//!
//! A statistic that cannot be computed on valid data (no events in a
//! group, a constant covariate) leaves `null` and a note in its entry;
//! the run goes on. Bad data (a value that cannot be what the spec says)
//! stops the run with [`PipelineError::Input`]; a study without any
//! analysable patient with [`PipelineError::NoPatients`].

mod describe;
mod ihc;
mod ihc_rules;
mod load;
mod models;
mod response;
mod survival;

use sha2::{Digest, Sha256};
use thiserror::Error;

use oncomark_survival::cox::{CoxOptions, Ties};
use oncomark_survival::km::{ConfType, KmOptions};
use oncomark_survival::zph::ZphTransform;

use crate::results::{
    AnalysesRun, CohortFlow, EndpointFlow, Flow, GroupCount, MarkerInfo, Provenance, Settings,
    Skipped, StudyInfo, StudyResults, TreatmentInfo, SCHEMA_VERSION,
};
use crate::spec::{
    Analysis, CheckedSpec, ConfTypeSpec, MarkerKind, ResponseSource, TiesSpec, ZphTransformSpec,
};

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// A value in the data cannot be what the spec says (exit status 2).
    #[error("{context}: {message}")]
    Input {
        /// Where (file, line, column) or what was being done.
        context: String,
        /// What is wrong.
        message: String,
    },
    /// No patient is left to analyse (exit status 1).
    #[error("no patient can be analysed: {0}")]
    NoPatients(String),
}

impl PipelineError {
    /// Whether the error is in the input (rather than an analysis that
    /// cannot be done).
    pub fn is_input(&self) -> bool {
        matches!(self, PipelineError::Input { .. })
    }
}

/// What the caller knows about the run.
#[derive(Debug, Clone, Default)]
pub struct RunMeta {
    /// The command line, for provenance.
    pub command_line: Vec<String>,
    /// Start time, UTC, RFC 3339 (see [`crate::results::utc_now_rfc3339`]).
    pub created_utc: String,
}

fn sha256_hex(text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Run every analysis of the plan; see the [module docs](self).
///
/// # Errors
/// [`PipelineError::Input`] for a value the spec's rules cannot use (a
/// percent outside 0-100, a lesion measured before its baseline, ...),
/// [`PipelineError::NoPatients`] when every patient is excluded.
pub fn run(checked: &CheckedSpec, meta: &RunMeta) -> Result<StudyResults, PipelineError> {
    let spec = &checked.spec;
    let l = load::load(checked)?;
    if l.patients.is_empty() {
        let why: Vec<String> = l
            .stages
            .iter()
            .filter(|s| s.n > 0)
            .map(|s| {
                let r: Vec<String> = s
                    .reasons
                    .iter()
                    .map(|r| format!("{} ({})", r.reason, r.n))
                    .collect();
                format!("{} at the {} stage: {}", s.n, s.stage, r.join(", "))
            })
            .collect();
        return Err(PipelineError::NoPatients(format!(
            "all {} patients were excluded: {}",
            l.screened,
            why.join("; ")
        )));
    }
    let plan = &spec.plan;
    let wanted: Vec<Analysis> = plan
        .analyses
        .clone()
        .unwrap_or_else(|| Analysis::ALL.to_vec());
    let mut run_list = Vec::new();
    let mut skipped = Vec::new();
    let mut want = |a: Analysis, why_not: Option<&str>| -> bool {
        if !wanted.contains(&a) {
            skipped.push(Skipped {
                analysis: a.name().into(),
                reason: "not in plan.analyses".into(),
            });
            return false;
        }
        if let Some(w) = why_not {
            skipped.push(Skipped {
                analysis: a.name().into(),
                reason: w.into(),
            });
            return false;
        }
        run_list.push(a.name().to_string());
        true
    };
    let do_flow = want(Analysis::Flow, None);
    let do_chars = want(
        Analysis::Characteristics,
        spec.factors
            .is_empty()
            .then_some("no [[factors]] in the spec"),
    );
    let do_ihc = want(
        Analysis::Ihc,
        (spec.marker.kind != MarkerKind::Ihc).then_some("the marker is not scored by IHC"),
    );
    let do_resp = want(
        Analysis::Response,
        spec.response
            .is_none()
            .then_some("no [response] in the spec"),
    );
    let do_surv = want(Analysis::Survival, None);
    let do_uni = want(Analysis::Univariate, None);
    let do_multi = want(Analysis::Multivariable, None);
    let do_inter = want(
        Analysis::Interaction,
        spec.treatment
            .is_none()
            .then_some("no [treatment] in the spec"),
    );

    let conf_type = match plan.conf_type {
        ConfTypeSpec::LogLog => ConfType::LogLog,
        ConfTypeSpec::Log => ConfType::Log,
        ConfTypeSpec::Plain => ConfType::Plain,
    };
    let ties = match plan.ties {
        TiesSpec::Efron => Ties::Efron,
        TiesSpec::Breslow => Ties::Breslow,
        TiesSpec::Exact => Ties::Exact,
    };
    let cox = CoxOptions {
        ties,
        conf_level: plan.conf_level,
        ..CoxOptions::default()
    };
    let so = survival::SurvOptions {
        km: KmOptions {
            conf_type,
            conf_level: plan.conf_level,
            ..KmOptions::default()
        },
        cox: cox.clone(),
        landmarks: plan.landmarks.clone(),
    };
    let transform = match plan.zph_transform {
        ZphTransformSpec::Km => ZphTransform::Km,
        ZphTransformSpec::Rank => ZphTransform::Rank,
        ZphTransformSpec::Identity => ZphTransform::Identity,
        ZphTransformSpec::Log => ZphTransform::Log,
    };
    let unit = spec.endpoints.unit.name();
    let groups = &l.marker.labels;

    let mut characteristics = Vec::new();
    let mut response = Vec::new();
    let mut surv = Vec::new();
    let mut uni = Vec::new();
    let mut multi = Vec::new();
    let mut cohort_flow = Vec::new();
    for (ci, cohort) in l.cohorts.iter().enumerate() {
        let pts: Vec<&load::Patient> = l.patients.iter().filter(|p| p.cohort == ci).collect();
        let npos = pts.iter().filter(|p| p.positive).count();
        cohort_flow.push(CohortFlow {
            cohort: cohort.clone(),
            n: pts.len(),
            groups: vec![
                GroupCount {
                    group: groups[0].clone(),
                    n: pts.len() - npos,
                },
                GroupCount {
                    group: groups[1].clone(),
                    n: npos,
                },
            ],
            endpoints: l
                .endpoints
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    let with: Vec<(bool, bool)> = pts
                        .iter()
                        .filter_map(|p| p.ends[k].map(|(_, ev)| (ev, p.positive)))
                        .collect();
                    let events = with.iter().filter(|x| x.0).count();
                    EndpointFlow {
                        endpoint: e.name.clone(),
                        n: with.len(),
                        events,
                        censored: with.len() - events,
                        missing: pts.len() - with.len(),
                        events_by_group: vec![
                            with.iter().filter(|x| x.0 && !x.1).count(),
                            with.iter().filter(|x| x.0 && x.1).count(),
                        ],
                    }
                })
                .collect(),
            response_assessed: spec
                .response
                .as_ref()
                .map(|_| pts.iter().filter(|p| p.response.is_some()).count()),
        });
        if pts.is_empty() {
            continue;
        }
        if do_chars {
            characteristics.push(describe::characteristics(cohort, groups, &pts, &l.factors));
        }
        if do_resp {
            if let Some(rs) = &spec.response {
                let ep_name = rs.early_progression_endpoint.clone().or_else(|| {
                    if l.endpoints.iter().any(|e| e.name == "ttp") {
                        Some("ttp".to_string())
                    } else {
                        l.endpoints.get(l.primary).map(|e| e.name.clone())
                    }
                });
                let t = rs
                    .early_progression
                    .or_else(|| plan.landmarks.first().copied());
                let early = match (ep_name, t) {
                    (Some(name), Some(t)) => l
                        .endpoints
                        .iter()
                        .position(|e| e.name == name)
                        .map(|k| (k, name, t)),
                    _ => None,
                };
                let settings = response::ResponseSettings {
                    source: match rs.source {
                        ResponseSource::Lesions => "lesions",
                        ResponseSource::Recorded => "recorded",
                    },
                    criteria: (rs.source == ResponseSource::Lesions)
                        .then(|| rs.criteria.name().to_string()),
                    confirm: rs.confirm,
                    early,
                    unit,
                };
                response.push(response::response_analysis(cohort, groups, &pts, &settings));
            }
        }
        for (k, e) in l.endpoints.iter().enumerate() {
            if do_surv {
                surv.push(survival::survival_analysis(
                    cohort,
                    e,
                    k,
                    unit,
                    groups,
                    &l.marker.name,
                    &pts,
                    &so,
                ));
            }
            let u = (do_uni || do_multi).then(|| {
                models::univariate_analysis(cohort, &e.name, k, &l.marker, &l.factors, &pts, &cox)
            });
            if do_multi {
                multi.push(models::multivariable_analysis(
                    cohort,
                    &e.name,
                    k,
                    &l.marker,
                    &l.factors,
                    &pts,
                    &spec.selection,
                    u.as_ref(),
                    &cox,
                    transform,
                ));
            }
            if let (true, Some(u)) = (do_uni, u) {
                uni.push(u);
            }
        }
    }

    let mut interaction = Vec::new();
    if do_inter {
        if let Some(t) = &spec.treatment {
            let name = t.name.clone().unwrap_or_else(|| t.treated.clone());
            let treated = format!("{} = {}", t.column, t.treated);
            let control = match &t.control {
                Some(c) => format!("{} = {c}", t.column),
                None => format!("{} != {}", t.column, t.treated),
            };
            let all: Vec<&load::Patient> = l.patients.iter().collect();
            for (k, e) in l.endpoints.iter().enumerate() {
                interaction.push(models::interaction_analysis(
                    &e.name,
                    k,
                    &l.marker,
                    (&name, &treated, &control),
                    &all,
                    &cox,
                ));
            }
        }
    }

    let ihc = match (&l.ihc, do_ihc) {
        (Some(load::IhcScored::Bins(r)), true) => Some(ihc::ihc_analysis(
            r,
            &l.patients,
            &l.cohorts,
            plan.conf_level,
        )),
        (Some(load::IhcScored::Rule(r)), true) => Some(ihc::rule_analysis(
            r,
            &l.patients,
            &l.cohorts,
            plan.conf_level,
        )),
        _ => None,
    };

    let flow = do_flow.then(|| Flow {
        screened: l.screened,
        excluded: l.stages.clone(),
        analysed: l.patients.len(),
        cohorts: cohort_flow,
        unmatched: l.unmatched.clone(),
        date_adjustments: l.adjustments.clone(),
    });
    let mut notes = l.notes.clone();
    for u in &l.unmatched {
        notes.push(format!(
            "{} row id(s) of the {} table match no patient and were ignored",
            u.ids.len(),
            u.table
        ));
    }

    let kind = match spec.marker.kind {
        MarkerKind::Ihc => "ihc",
        MarkerKind::Continuous => "continuous",
        MarkerKind::Score => "score",
    };
    Ok(StudyResults {
        schema_version: SCHEMA_VERSION,
        oncomark_version: env!("CARGO_PKG_VERSION").to_string(),
        provenance: Provenance {
            spec_file: checked.file.clone(),
            spec_sha256: sha256_hex(&checked.text),
            spec_text: checked.text.clone(),
            inputs: checked.inputs(),
            command_line: meta.command_line.clone(),
            created_utc: meta.created_utc.clone(),
        },
        study: StudyInfo {
            name: spec
                .study
                .name
                .clone()
                .unwrap_or_else(|| checked.file.clone()),
            description: spec.study.description.clone(),
        },
        spec: spec.clone(),
        settings: Settings {
            time_unit: unit.to_string(),
            conf_level: plan.conf_level,
            conf_type: conf_type.name().to_string(),
            ties: format!("{ties:?}").to_lowercase(),
            landmarks: plan.landmarks.clone(),
            marker: MarkerInfo {
                name: l.marker.name.clone(),
                kind: kind.to_string(),
                rule: l.marker.rule.clone(),
                groups: groups.to_vec(),
                scoring: l.marker.scoring.clone(),
            },
            cohorts: l.cohorts.clone(),
            endpoints: l.endpoints.clone(),
            primary_endpoint: l
                .endpoints
                .get(l.primary)
                .map(|e| e.name.clone())
                .unwrap_or_default(),
            treatment: spec.treatment.as_ref().map(|t| TreatmentInfo {
                name: t.name.clone().unwrap_or_else(|| t.treated.clone()),
                column: t.column.clone(),
                treated: t.treated.clone(),
                control: t.control.clone(),
            }),
            show_ids: spec.report.show_ids,
        },
        analyses: AnalysesRun {
            run: run_list,
            skipped,
        },
        flow,
        ihc,
        characteristics,
        response,
        survival: surv,
        univariate: uni,
        multivariable: multi,
        interaction,
        notes,
    })
}
