//! Kaplan-Meier curves, the log-rank test, landmark rates, median
//! follow-up and the univariate hazard ratio of the marker, for one cohort
//! and endpoint (methods and references in `oncomark_survival::km`,
//! `logrank`, `landmark` and `cox`).

use oncomark_survival::cox::{CoxData, CoxOptions, CoxTerm};
use oncomark_survival::firth::{fit_auto, FirthOptions, FitMethod};
use oncomark_survival::km::{kaplan_meier, kaplan_meier_groups, median_followup, KmOptions};
use oncomark_survival::landmark::landmark_rates;
use oncomark_survival::logrank::{logrank, Logrank, LogrankOptions};

use super::load::Patient;
use crate::results::{EndpointInfo, SurvivalAnalysis};

/// Options shared by the survival analyses.
#[derive(Debug, Clone)]
pub(crate) struct SurvOptions {
    pub km: KmOptions,
    pub cox: CoxOptions,
    pub landmarks: Vec<f64>,
}

/// Times, events and groups (0 negative, 1 positive) of the patients with
/// a time for endpoint `k`.
pub(crate) fn surv_data(patients: &[&Patient], k: usize) -> (Vec<f64>, Vec<bool>, Vec<u32>) {
    let mut t = Vec::new();
    let mut e = Vec::new();
    let mut g = Vec::new();
    for p in patients {
        if let Some((time, event)) = p.ends[k] {
            t.push(time);
            e.push(event);
            g.push(u32::from(p.positive));
        }
    }
    (t, e, g)
}

/// Firth options matching the Cox options' confidence level.
pub(crate) fn firth_options(cox: &CoxOptions) -> FirthOptions {
    FirthOptions {
        conf_level: cox.conf_level,
        ..FirthOptions::default()
    }
}

/// The Cox hazard ratio of the marker (positive vs negative), refitted by
/// Firth's penalised likelihood when the ordinary estimate is infinite;
/// with the method used (`cox` or `firth`).
pub(crate) fn marker_hr(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    name: &str,
    cox: &CoxOptions,
) -> Result<(CoxTerm, &'static str), String> {
    let x: Vec<f64> = group.iter().map(|&g| f64::from(g)).collect();
    let d = CoxData::new(time, event, &[x], &[name]).map_err(|e| e.to_string())?;
    let f = fit_auto(&d, cox, &firth_options(cox)).map_err(|e| e.to_string())?;
    let method = match f.method {
        FitMethod::Cox => "cox",
        FitMethod::Firth => "firth",
    };
    let term = f
        .fit
        .terms
        .into_iter()
        .next()
        .ok_or_else(|| "no term".to_string())?;
    Ok((term, method))
}

/// The log-rank test of the marker groups.
pub(crate) fn marker_logrank(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    groups: &[String; 2],
) -> Result<Logrank, String> {
    logrank(time, event, group, groups, &LogrankOptions::default()).map_err(|e| e.to_string())
}

pub(crate) fn survival_analysis(
    cohort: &str,
    endpoint: &EndpointInfo,
    k: usize,
    unit: &str,
    groups: &[String; 2],
    marker: &str,
    patients: &[&Patient],
    o: &SurvOptions,
) -> SurvivalAnalysis {
    let (time, event, group) = surv_data(patients, k);
    let mut notes = Vec::new();
    let mut out = SurvivalAnalysis {
        cohort: cohort.to_string(),
        endpoint: endpoint.name.clone(),
        label: endpoint.label.clone(),
        unit: unit.to_string(),
        n: time.len(),
        events: event.iter().filter(|&&e| e).count(),
        groups: groups.to_vec(),
        km: None,
        overall: None,
        logrank: None,
        hazard_ratio: None,
        hazard_ratio_method: None,
        landmarks: Vec::new(),
        follow_up: None,
        notes: Vec::new(),
    };
    if time.is_empty() {
        out.notes
            .push("no patient with a time for this endpoint".to_string());
        return out;
    }
    let km_opts = KmOptions {
        times: o.landmarks.clone(),
        ..o.km.clone()
    };
    match kaplan_meier_groups(&time, &event, &group, groups, &km_opts) {
        Ok(r) => out.km = Some(r),
        Err(e) => notes.push(format!("Kaplan-Meier by group: {e}")),
    }
    match kaplan_meier(&time, &event, &km_opts) {
        Ok(r) => out.overall = Some(r),
        Err(e) => notes.push(format!("Kaplan-Meier of the cohort: {e}")),
    }
    match marker_logrank(&time, &event, &group, groups) {
        Ok(r) => out.logrank = Some(r),
        Err(e) => notes.push(format!("log-rank: {e}")),
    }
    match marker_hr(&time, &event, &group, marker, &o.cox) {
        Ok((t, method)) => {
            if method == "firth" {
                notes.push("the ordinary hazard ratio is infinite (monotone likelihood); Firth's penalised estimate with profile-likelihood limits is reported".into());
            }
            out.hazard_ratio = Some(t);
            out.hazard_ratio_method = Some(method.to_string());
        }
        Err(e) => notes.push(format!("hazard ratio: {e}")),
    }
    for &t in &o.landmarks {
        match landmark_rates(&time, &event, &group, groups, t, &o.km) {
            Ok(l) => out.landmarks.push(l),
            Err(e) => notes.push(format!("landmark {t}: {e}")),
        }
    }
    match median_followup(&time, &event, &o.km) {
        Ok(f) => out.follow_up = Some(f),
        Err(e) => notes.push(format!("follow-up: {e}")),
    }
    out.notes = notes;
    out
}
