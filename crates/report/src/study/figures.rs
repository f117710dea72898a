//! The study's figures, drawn from the results as recorded: Kaplan-Meier
//! curves with numbers at risk, forest plots of the Cox models and of the
//! treatment-by-marker analysis, waterfall plots of best response,
//! landmark rates and the patient-flow diagram.

use oncomark_study::response::Response as StudyResponse;
use oncomark_study::results::{
    Flow, InteractionAnalysis, MultivariableAnalysis, ResponseAnalysis, StudyResults,
    SurvivalAnalysis, UnivariateAnalysis,
};
use oncomark_survival::cox::{CoxTerm, TermStatus};
use oncomark_survival::landmark::Landmark;

use crate::axis::{self, Key, PxTick};
use crate::error::ReportError;
use crate::forest::{forest_plot, ForestOptions, ForestRow};
use crate::format::{format_p, p_label};
use crate::km::{km_plot, AtRiskRow, HazardRatioText, KmAnnotation, KmPlotOptions};
use crate::scale::LinearScale;
use crate::style::{group_colour, Style, GREY};
use crate::svg::{text_width, Anchor, Canvas, Stroke, Svg, TextStyle};
use crate::waterfall::{waterfall_plot, Response, WaterfallBar, WaterfallOptions};

use super::page::Fig;
use super::{slug, RenderOptions};

/// What a Kaplan-Meier figure printed in its numbers-at-risk table.
#[derive(Debug, Clone, PartialEq)]
pub struct KmFigureInfo {
    /// Figure name (`km_ENDPOINT_COHORT`).
    pub name: String,
    /// Cohort.
    pub cohort: String,
    /// Endpoint.
    pub endpoint: String,
    /// Tick times, in the results' time unit.
    pub ticks: Vec<f64>,
    /// The numbers at risk as printed, one row per group.
    pub at_risk: Vec<AtRiskRow>,
}

fn y_label(endpoint: &str, label: &str) -> String {
    match endpoint {
        "os" => "Survival probability".to_string(),
        "ttp" => "Probability free of progression".to_string(),
        "pfs" => "Progression-free survival probability".to_string(),
        _ => format!("{label}: probability"),
    }
}

/// A tick step that suits the unit and the follow-up.
fn x_step(unit: &str, t_max: f64) -> Option<f64> {
    match unit {
        "months" if t_max <= 36.0 => Some(6.0),
        "months" if t_max <= 120.0 => Some(12.0),
        "months" => Some(24.0),
        "years" if t_max <= 15.0 => Some(1.0),
        "weeks" if t_max <= 104.0 => Some(13.0),
        _ => None,
    }
}

/// The label of the marker contrast: `3+ vs 0-2+`.
pub(crate) fn contrast(groups: &[String]) -> Option<String> {
    match groups {
        [neg, pos] => Some(format!("{pos} vs {neg}")),
        _ => None,
    }
}

pub(crate) fn estimated(t: &CoxTerm) -> bool {
    t.status == TermStatus::Estimated && t.hr.is_some()
}

/// The Kaplan-Meier figure of one survival analysis.
pub(crate) fn km_figure(
    r: &StudyResults,
    sv: &SurvivalAnalysis,
    opts: &RenderOptions,
) -> Result<Option<(Fig, KmFigureInfo)>, ReportError> {
    let Some(km) = sv.km.as_ref().filter(|k| !k.groups.is_empty()) else {
        return Ok(None);
    };
    let t_max = km
        .groups
        .iter()
        .filter_map(|g| g.steps.last())
        .map(|s| s.time)
        .fold(0.0, f64::max);
    let mut ann = KmAnnotation {
        logrank_p: sv.logrank.as_ref().map(|l| l.p),
        ..KmAnnotation::default()
    };
    if let Some(hr) = sv.hazard_ratio.as_ref().filter(|t| estimated(t)) {
        ann.hr = hr.hr.map(|h| HazardRatioText {
            hr: h,
            lower: hr.hr_lower,
            upper: hr.hr_upper,
            conf_level: r.settings.conf_level,
            label: contrast(&sv.groups),
        });
        if sv.hazard_ratio_method.as_deref() == Some("firth") {
            ann.lines.push("HR by Firth's penalised likelihood".into());
        }
    }
    let ko = KmPlotOptions {
        style: opts.style.clone(),
        x_label: format!("Time ({})", sv.unit),
        y_label: y_label(&sv.endpoint, &sv.label),
        legend_title: Some(r.settings.marker.name.clone()),
        legend_n: true,
        x_step: x_step(&sv.unit, t_max),
        conf_bands: opts.conf_bands,
        median_lines: opts.median_lines,
        annotation: ann,
        ..KmPlotOptions::default()
    };
    let fig = km_plot(&km.groups, &ko)?;
    let name = format!("km_{}_{}", slug(&sv.endpoint), slug(&sv.cohort));
    let cohort = if r.settings.cohorts.len() > 1 {
        format!(" in the {} cohort", sv.cohort)
    } else {
        String::new()
    };
    let mut caption = format!(
        "{} by {} group{cohort} (Kaplan-Meier; n = {}, {} events). Ticks mark censored times; \
         the numbers at risk are those of the fitted curves at each tick.",
        sv.label, r.settings.marker.name, sv.n, sv.events
    );
    if opts.median_lines {
        caption.push_str(" Dashed lines: medians.");
    }
    if let Some(l) = &sv.logrank {
        caption.push_str(&format!(" Log-rank test {}.", p_label(l.p)));
    }
    if let (Some(hr), Some(c)) = (
        sv.hazard_ratio.as_ref().filter(|t| estimated(t)),
        contrast(&sv.groups),
    ) {
        let how = if sv.hazard_ratio_method.as_deref() == Some("firth") {
            "Cox model with Firth's penalty"
        } else {
            "Cox model"
        };
        caption.push_str(&format!(
            " Hazard ratio {c} from a {how} (Wald limits; P = {}).",
            hr.p.map_or("NA".into(), format_p)
        ));
    }
    let info = KmFigureInfo {
        name: name.clone(),
        cohort: sv.cohort.clone(),
        endpoint: sv.endpoint.clone(),
        ticks: fig.ticks.clone(),
        at_risk: fig.at_risk.clone(),
    };
    Ok(Some((
        Fig {
            name: name.clone(),
            caption,
            panels: vec![(name, fig.svg)],
        },
        info,
    )))
}

fn label_of(labels: &[oncomark_study::results::TermLabel], term: &str) -> String {
    labels
        .iter()
        .find(|l| l.term == term)
        .map_or_else(|| term.to_string(), |l| l.label.clone())
}

/// The label of a level column without its factor's prefix
/// (`Chemotherapy regimen: other vs taxane` -> `other vs taxane`).
pub(crate) fn level_label(full: &str, factor_label: &str) -> String {
    full.strip_prefix(factor_label)
        .and_then(|s| s.strip_prefix(": "))
        .unwrap_or(full)
        .to_string()
}

fn term_row(label: &str, t: &CoxTerm) -> ForestRow {
    let ok = estimated(t);
    ForestRow {
        label: label.to_string(),
        estimate: t.hr.filter(|_| ok),
        lower: t.hr_lower.filter(|_| ok),
        upper: t.hr_upper.filter(|_| ok),
        p: t.p.filter(|_| ok),
        ..ForestRow::default()
    }
}

fn forest_opts(opts: &RenderOptions) -> ForestOptions {
    ForestOptions {
        style: opts.style.clone(),
        ..ForestOptions::default()
    }
}

/// Forest plot of the univariate Cox models of one cohort and endpoint.
pub(crate) fn forest_univariate(
    r: &StudyResults,
    u: &UnivariateAnalysis,
    label: &str,
    opts: &RenderOptions,
) -> Result<Option<Fig>, ReportError> {
    let mut rows = Vec::new();
    let mut i = 0;
    while i < u.rows.len() {
        let row = &u.rows[i];
        let flabel = label_of(&u.labels, &row.term);
        if row.df > 1 && row.term == row.factor && row.hr.is_none() {
            rows.push(ForestRow {
                n: u32::try_from(row.n).ok(),
                events: u32::try_from(row.events).ok(),
                ..ForestRow::header(&flabel)
            });
            i += 1;
            while i < u.rows.len() && u.rows[i].factor == row.factor {
                let c = &u.rows[i];
                let ok = c.status == TermStatus::Estimated;
                rows.push(ForestRow {
                    label: level_label(&label_of(&u.labels, &c.term), &flabel),
                    indent: 1,
                    estimate: c.hr.filter(|_| ok),
                    lower: c.hr_lower.filter(|_| ok),
                    upper: c.hr_upper.filter(|_| ok),
                    p: c.p_wald.filter(|_| ok),
                    ..ForestRow::default()
                });
                i += 1;
            }
            continue;
        }
        let ok = row.status == TermStatus::Estimated;
        rows.push(ForestRow {
            label: flabel,
            estimate: row.hr.filter(|_| ok),
            lower: row.hr_lower.filter(|_| ok),
            upper: row.hr_upper.filter(|_| ok),
            p: row.p_wald.filter(|_| ok),
            n: u32::try_from(row.n).ok(),
            events: u32::try_from(row.events).ok(),
            ..ForestRow::default()
        });
        i += 1;
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let fig = forest_plot(&rows, &forest_opts(opts))?;
    let name = format!(
        "forest_univariate_{}_{}",
        slug(&u.endpoint),
        slug(&u.cohort)
    );
    let caption = format!(
        "Univariate Cox models for {label}{}: hazard ratios with {}% Wald confidence limits (log \
         scale), one model per factor on the patients with a value; P: Wald test.",
        cohort_words(r, &u.cohort),
        pct_level(r.settings.conf_level)
    );
    Ok(Some(Fig {
        name: name.clone(),
        caption,
        panels: vec![(name, fig.svg)],
    }))
}

pub(crate) fn cohort_words(r: &StudyResults, cohort: &str) -> String {
    if r.settings.cohorts.len() > 1 {
        format!(", {cohort} cohort")
    } else {
        String::new()
    }
}

pub(crate) fn pct_level(level: f64) -> String {
    crate::format::trim_fixed_dec(level * 100.0, 1)
}

fn same_terms(a: &[CoxTerm], b: &[CoxTerm]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.term == y.term)
}

/// Forest plot of the multivariable models of one cohort and endpoint.
pub(crate) fn forest_multivariable(
    r: &StudyResults,
    m: &MultivariableAnalysis,
    label: &str,
    opts: &RenderOptions,
) -> Result<Option<Fig>, ReportError> {
    let mut rows = Vec::new();
    let method = m.method.as_str();
    let full_same = match (&m.model, &m.full_model) {
        (Some(a), Some(b)) => same_terms(&a.fit.terms, &b.fit.terms),
        _ => false,
    };
    if let Some(model) = &m.model {
        let head = if full_same {
            format!("Selected model ({method}; also the model of every candidate)")
        } else {
            format!("Selected model ({method})")
        };
        rows.push(ForestRow {
            n: u32::try_from(model.fit.n).ok(),
            events: u32::try_from(model.fit.events).ok(),
            ..ForestRow::header(&head)
        });
        for t in &model.fit.terms {
            rows.push(ForestRow {
                indent: 1,
                ..term_row(&label_of(&m.labels, &t.term), t)
            });
        }
    }
    if let Some(full) = m.full_model.as_ref().filter(|_| !full_same) {
        rows.push(ForestRow {
            n: u32::try_from(full.fit.n).ok(),
            events: u32::try_from(full.fit.events).ok(),
            ..ForestRow::header("Model of every candidate")
        });
        for t in &full.fit.terms {
            rows.push(ForestRow {
                indent: 1,
                ..term_row(&label_of(&m.labels, &t.term), t)
            });
        }
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let fig = forest_plot(&rows, &forest_opts(opts))?;
    let name = format!(
        "forest_multivariable_{}_{}",
        slug(&m.endpoint),
        slug(&m.cohort)
    );
    let firth = [&m.model, &m.full_model]
        .iter()
        .any(|x| x.as_ref().is_some_and(|f| f.firth.is_some()));
    let caption = format!(
        "Multivariable Cox models for {label}{}: hazard ratios with {}% confidence limits{}; \
         P: Wald test{}.",
        cohort_words(r, &m.cohort),
        pct_level(r.settings.conf_level),
        if firth {
            " (a Firth refit gives profile-likelihood limits)"
        } else {
            ""
        },
        if firth {
            " (penalised likelihood-ratio test for a Firth refit)"
        } else {
            ""
        }
    );
    Ok(Some(Fig {
        name: name.clone(),
        caption,
        panels: vec![(name, fig.svg)],
    }))
}

/// Forest plot of the treatment effect within marker groups and of the
/// marker within arms.
pub(crate) fn forest_interaction(
    r: &StudyResults,
    ia: &InteractionAnalysis,
    label: &str,
    opts: &RenderOptions,
) -> Result<Option<Fig>, ReportError> {
    let mut rows = Vec::new();
    if let Some(res) = &ia.result {
        rows.push(ForestRow::header(&format!(
            "{} effect within {} group",
            ia.treatment, r.settings.marker.name
        )));
        for w in &res.within {
            let ok = w.status == TermStatus::Estimated;
            rows.push(ForestRow {
                label: format!("{} {}", r.settings.marker.name, w.level),
                indent: 1,
                estimate: w.hr.filter(|_| ok),
                lower: w.hr_lower.filter(|_| ok),
                upper: w.hr_upper.filter(|_| ok),
                p: w.p.filter(|_| ok),
                n: u32::try_from(w.n).ok(),
                events: u32::try_from(w.events).ok(),
                ..ForestRow::default()
            });
        }
    }
    if !ia.marker_by_arm.is_empty() {
        let c = contrast(&r.settings.marker.groups).unwrap_or_default();
        rows.push(ForestRow::header(&format!(
            "{} {c} within arm",
            r.settings.marker.name
        )));
        for a in &ia.marker_by_arm {
            let base = match &a.hazard_ratio {
                Some(t) => term_row(&a.arm, t),
                None => ForestRow {
                    label: a.arm.clone(),
                    ..ForestRow::default()
                },
            };
            rows.push(ForestRow {
                indent: 1,
                n: u32::try_from(a.n).ok(),
                events: u32::try_from(a.events).ok(),
                ..base
            });
        }
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let fig = forest_plot(&rows, &forest_opts(opts))?;
    let name = format!("forest_interaction_{}", slug(&ia.endpoint));
    let mut caption = format!(
        "{label}: {} effect within each {} group (from the Cox model with treatment, marker and \
         their product) and the marker's hazard ratio within each arm (separate Cox models).",
        ia.treatment, r.settings.marker.name
    );
    if let Some(res) = &ia.result {
        caption.push_str(&format!(
            " Treatment-by-marker interaction: likelihood-ratio test {}.",
            p_label(res.interaction_lr.p)
        ));
    }
    Ok(Some(Fig {
        name: name.clone(),
        caption,
        panels: vec![(name, fig.svg)],
    }))
}

fn response_of(r: StudyResponse) -> Response {
    match r {
        StudyResponse::Cr => Response::CR,
        StudyResponse::Pr => Response::PR,
        StudyResponse::Sd => Response::SD,
        StudyResponse::Pd => Response::PD,
        StudyResponse::Ne => Response::NE,
    }
}

/// Waterfall plots of one cohort, one panel per marker group.
pub(crate) fn waterfall(
    r: &StudyResults,
    ra: &ResponseAnalysis,
    opts: &RenderOptions,
) -> Result<Option<Fig>, ReportError> {
    if ra.waterfall.iter().all(|w| w.best_percent_change.is_none()) {
        return Ok(None);
    }
    let show_ids = r.settings.show_ids;
    let mut panels = Vec::new();
    let mut not_shown = 0;
    for (g, group) in ra.groups.iter().enumerate() {
        let bars: Vec<WaterfallBar> = ra
            .waterfall
            .iter()
            .filter(|w| &w.group == group)
            .enumerate()
            .map(|(k, w)| WaterfallBar {
                id: if show_ids {
                    w.id.clone()
                } else {
                    format!("{}", k + 1)
                },
                change: w.best_percent_change,
                response: response_of(w.best_response),
            })
            .collect();
        if bars.iter().all(|b| b.change.is_none()) {
            not_shown += bars.len();
            continue;
        }
        let assessed = ra.assessed.get(g).copied().unwrap_or(bars.len());
        let mut style = opts.style.clone();
        let drawn = bars.iter().filter(|b| b.change.is_some()).count() as f64;
        style.width = (150.0 + 14.0 * drawn).clamp(300.0, (style.width * 0.75).max(300.0));
        let wo = WaterfallOptions {
            style,
            title: Some(format!(
                "{} {group} (n = {assessed})",
                r.settings.marker.name
            )),
            show_ids,
            cap: Some(100.0),
            ..WaterfallOptions::default()
        };
        let fig = waterfall_plot(&bars, &wo)?;
        not_shown += fig.not_shown.len();
        panels.push((
            format!("waterfall_{}_{}", slug(&ra.cohort), slug(group)),
            fig.svg,
        ));
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let criteria = ra.criteria.as_deref().unwrap_or("recorded responses");
    let mut caption = format!(
        "Best percent change of the sum of target lesions from baseline{} by {} group, \
         coloured by best overall response ({}); dashed lines at +20% and −30%; bars above \
         +100% are cut and labelled.",
        cohort_words(r, &ra.cohort),
        r.settings.marker.name,
        criteria_name(criteria)
    );
    if not_shown > 0 {
        caption.push_str(&format!(
            " {not_shown} patient(s) without a post-baseline measurement are not drawn."
        ));
    }
    Ok(Some(Fig {
        name: format!("waterfall_{}", slug(&ra.cohort)),
        caption,
        panels,
    }))
}

pub(crate) fn criteria_name(c: &str) -> String {
    match c {
        "who" => "WHO criteria".into(),
        "recist-1.0" => "RECIST 1.0".into(),
        "recist-1.1" => "RECIST 1.1".into(),
        other => other.to_string(),
    }
}

/// Landmark rates by group as bars with their confidence limits.
pub(crate) fn landmark_figure(
    r: &StudyResults,
    sv: &SurvivalAnalysis,
    opts: &RenderOptions,
) -> Result<Option<Fig>, ReportError> {
    let lms: Vec<&Landmark> = sv
        .landmarks
        .iter()
        .filter(|l| l.rates.iter().any(|x| x.survival.is_some()))
        .collect();
    if lms.is_empty() {
        return Ok(None);
    }
    let svg = landmark_svg(&lms, &sv.groups, &sv.unit, &opts.style)?;
    let name = format!("landmarks_{}_{}", slug(&sv.endpoint), slug(&sv.cohort));
    let caption = format!(
        "{} at the landmark times by {} group{}: Kaplan-Meier estimates with {}% pointwise \
         confidence limits ({} scale); P: Wald test of the difference between the groups \
         at that time.",
        sv.label,
        r.settings.marker.name,
        cohort_words(r, &sv.cohort),
        pct_level(r.settings.conf_level),
        r.settings.conf_type
    );
    Ok(Some(Fig {
        name: name.clone(),
        caption,
        panels: vec![(name, svg)],
    }))
}

fn check_prob(what: &'static str, ctx: &str, v: f64) -> Result<f64, ReportError> {
    if !v.is_finite() {
        return Err(ReportError::NonFinite {
            what,
            context: ctx.to_string(),
            value: v,
        });
    }
    if !(0.0..=1.0).contains(&v) {
        return Err(ReportError::OutOfRange {
            what,
            context: ctx.to_string(),
            value: v,
            reason: "a probability lies in [0, 1]",
        });
    }
    Ok(v)
}

fn landmark_svg(
    lms: &[&Landmark],
    groups: &[String],
    unit: &str,
    st: &Style,
) -> Result<Svg, ReportError> {
    st.validate()?;
    let f = st.font_size;
    let pad = 0.5 * f;
    let y_labels: Vec<String> = (0..=5).map(|k| format!("{}", k * 20)).collect();
    let left = pad + axis::y_axis_width(st, &y_labels, true);
    let width = (st.width * 0.75).max(360.0);
    let right = pad;
    let plot_w = width - left - right;
    let plot_h = (plot_w * 0.55).clamp(10.0 * f, 22.0 * f);
    let entries: Vec<(Key, String)> = groups
        .iter()
        .enumerate()
        .map(|(g, l)| (Key::Square(group_colour(g).to_string()), l.clone()))
        .collect();
    let top = pad + 1.6 * f;
    let plot_y = top + 1.2 * f;
    let axis_h = axis::x_axis_height(st, true);
    let p_row = plot_y + plot_h + axis_h + 1.1 * f;
    let height = p_row + pad + 0.4 * f;
    let mut c = Canvas::new(width, height);
    axis::legend_row(&mut c, st, left, top, &entries);
    let sy = LinearScale {
        d0: 0.0,
        d1: 1.0,
        r0: plot_y + plot_h,
        r1: plot_y,
    };
    let y_ticks: Vec<PxTick> = (0..=5)
        .map(|k| PxTick {
            px: sy.map(k as f64 / 5.0),
            label: y_labels[k].clone(),
        })
        .collect();
    axis::y_axis(
        &mut c,
        st,
        left,
        plot_y,
        plot_y + plot_h,
        &y_ticks,
        Some("Event-free (%)"),
        pad + 0.75 * f,
    );
    let slot = plot_w / lms.len() as f64;
    let ng = groups.len().max(1) as f64;
    let bar_w = (slot * 0.7 / ng).min(3.5 * f);
    let mut x_ticks = Vec::new();
    c.group_start("landmark-bars");
    for (k, lm) in lms.iter().enumerate() {
        let cx = left + slot * (k as f64 + 0.5);
        x_ticks.push(PxTick {
            px: cx,
            label: format!("{} {unit}", crate::format::trim_fixed_dec(lm.time, 2)),
        });
        for (g, group) in groups.iter().enumerate() {
            let Some(rate) = lm.rates.iter().find(|x| &x.group == group) else {
                continue;
            };
            let Some(s) = rate.survival else { continue };
            let ctx = format!("landmark {} group {group}", lm.time);
            let s = check_prob("survival", &ctx, s)?;
            let x = cx - bar_w * ng / 2.0 + bar_w * g as f64;
            let y = sy.map(s);
            c.rect(
                x + 0.08 * bar_w,
                y,
                bar_w * 0.84,
                sy.map(0.0) - y,
                Some(group_colour(g)),
                None,
            );
            let stroke = Stroke::solid("#000000", 1.2);
            if let (Some(lo), Some(hi)) = (rate.lower, rate.upper) {
                let lo = sy.map(check_prob("lower", &ctx, lo)?);
                let hi = sy.map(check_prob("upper", &ctx, hi)?);
                let mx = x + bar_w / 2.0;
                c.line(mx, lo, mx, hi, &stroke);
                c.line(mx - 0.2 * bar_w, lo, mx + 0.2 * bar_w, lo, &stroke);
                c.line(mx - 0.2 * bar_w, hi, mx + 0.2 * bar_w, hi, &stroke);
            }
        }
        let p_text = lm
            .difference
            .as_ref()
            .and_then(|d| d.p)
            .map_or_else(|| "P not computed".to_string(), p_label);
        c.text(
            cx,
            p_row,
            &p_text,
            &TextStyle::new(f * 0.9).anchor(Anchor::Middle).fill(GREY),
        );
    }
    c.group_end();
    axis::x_axis(
        &mut c,
        st,
        plot_y + plot_h,
        left,
        left + plot_w,
        &x_ticks,
        Some("Landmark time"),
    );
    Ok(c.finish(Some("Landmark event-free rates by group")))
}

/// The patient-flow diagram: screened, excluded by stage with reasons,
/// analysed, and per cohort the groups and events.
pub(crate) fn flow_figure(
    r: &StudyResults,
    flow: &Flow,
    opts: &RenderOptions,
) -> Result<Fig, ReportError> {
    let st = &opts.style;
    st.validate()?;
    let f = st.font_size;
    let line_h = 1.3 * f;
    let pad_box = 0.6 * f;
    let box_size = |lines: &[(String, bool)]| {
        let w = lines
            .iter()
            .map(|(l, bold)| text_width(l, f) * if *bold { 1.1 } else { 1.0 })
            .fold(0.0, f64::max);
        (
            w + 2.0 * pad_box,
            lines.len() as f64 * line_h + 2.0 * pad_box - 0.3 * f,
        )
    };
    let draw_box = |c: &mut Canvas, x: f64, y: f64, w: f64, lines: &[(String, bool)]| {
        let h = lines.len() as f64 * line_h + 2.0 * pad_box - 0.3 * f;
        c.rect(
            x,
            y,
            w,
            h,
            Some("#ffffff"),
            Some(&Stroke::solid("#000000", 1.2)),
        );
        for (k, (l, bold)) in lines.iter().enumerate() {
            let mut ts = TextStyle::new(f);
            if *bold {
                ts = ts.bold();
            }
            c.text(
                x + pad_box,
                y + pad_box + 0.75 * f + k as f64 * line_h,
                l,
                &ts,
            );
        }
        h
    };
    let ep_label = |name: &str| {
        r.settings
            .endpoints
            .iter()
            .find(|e| e.name == name)
            .map_or_else(|| name.to_uppercase(), |e| e.name.to_uppercase())
    };
    // boxes
    let screened = vec![(format!("Patients in the table: {}", flow.screened), true)];
    let mut excluded = vec![(
        format!(
            "Excluded: {}",
            flow.excluded.iter().map(|s| s.n).sum::<usize>()
        ),
        true,
    )];
    for s in &flow.excluded {
        if s.n == 0 {
            continue;
        }
        excluded.push((format!("at the {} stage: {}", s.stage, s.n), false));
        for reason in &s.reasons {
            excluded.push((format!("· {} ({})", reason.reason, reason.n), false));
        }
    }
    let analysed = vec![(format!("Analysed: {}", flow.analysed), true)];
    let cohorts: Vec<Vec<(String, bool)>> = flow
        .cohorts
        .iter()
        .map(|c| {
            let mut v = vec![(format!("{}: {}", c.cohort, c.n), true)];
            let g: Vec<String> = c
                .groups
                .iter()
                .map(|g| format!("{} {}", g.group, g.n))
                .collect();
            v.push((g.join(", "), false));
            for e in &c.endpoints {
                v.push((
                    format!(
                        "{}: {} events, {} censored",
                        ep_label(&e.endpoint),
                        e.events,
                        e.censored
                    ),
                    false,
                ));
                if e.missing > 0 {
                    v.push((format!("  {} without a time", e.missing), false));
                }
            }
            if let Some(a) = c.response_assessed {
                v.push((format!("response assessed: {a}"), false));
            }
            v
        })
        .collect();
    let gap = 1.4 * f;
    let (sw, sh) = box_size(&screened);
    let (ew, eh) = box_size(&excluded);
    let (aw, ah) = box_size(&analysed);
    let csizes: Vec<(f64, f64)> = cohorts.iter().map(|c| box_size(c)).collect();
    let cohorts_w: f64 =
        csizes.iter().map(|s| s.0).sum::<f64>() + gap * (csizes.len().max(1) - 1) as f64;
    let main_w = sw.max(aw);
    let any_excluded = excluded.len() > 1;
    let top_w = main_w + if any_excluded { 2.0 * gap + ew } else { 0.0 };
    let width = (top_w.max(cohorts_w) + 2.0 * f).max(300.0);
    let cx = if any_excluded {
        f + main_w / 2.0
    } else {
        width / 2.0
    };
    // layout, top down
    let y_s = f;
    let y_s_bottom = y_s + sh;
    let y_a = y_s_bottom
        + if any_excluded {
            eh.max(2.0 * gap) + 2.0 * gap
        } else {
            2.0 * gap
        };
    let a_bottom = y_a + ah;
    let y_c = a_bottom + 2.0 * gap;
    let ch = csizes.iter().map(|s| s.1).fold(0.0, f64::max);
    let height = if cohorts.is_empty() {
        a_bottom + f
    } else {
        y_c + ch + f
    };
    let mut c = Canvas::new(width, height);
    let arrow = Stroke::solid("#000000", 1.2);
    let down = |c: &mut Canvas, x: f64, y0: f64, y1: f64| {
        c.line(x, y0, x, y1, &arrow);
        c.line(x - 0.3 * f, y1 - 0.4 * f, x, y1, &arrow);
        c.line(x + 0.3 * f, y1 - 0.4 * f, x, y1, &arrow);
    };
    c.group_start("flow");
    draw_box(&mut c, cx - sw / 2.0, y_s, sw, &screened);
    if any_excluded {
        let ey = y_s_bottom + gap;
        let ex = cx + main_w / 2.0 + 2.0 * gap;
        draw_box(&mut c, ex, ey, ew, &excluded);
        let my = ey + 0.9 * f;
        c.line(cx, my, ex, my, &arrow);
        c.line(ex - 0.4 * f, my - 0.3 * f, ex, my, &arrow);
        c.line(ex - 0.4 * f, my + 0.3 * f, ex, my, &arrow);
    }
    down(&mut c, cx, y_s_bottom, y_a);
    draw_box(&mut c, cx - aw / 2.0, y_a, aw, &analysed);
    let x0 = (width - cohorts_w) / 2.0;
    if !cohorts.is_empty() {
        let mid = a_bottom + gap;
        c.line(cx, a_bottom, cx, mid, &arrow);
        let centres: Vec<f64> = csizes
            .iter()
            .scan(x0, |acc, s| {
                let centre = *acc + s.0 / 2.0;
                *acc += s.0 + gap;
                Some(centre)
            })
            .collect();
        let lo = centres.iter().copied().fold(cx, f64::min);
        let hi = centres.iter().copied().fold(cx, f64::max);
        c.line(lo, mid, hi, mid, &arrow);
        for &m in &centres {
            down(&mut c, m, mid, y_c);
        }
    }
    let mut x = x0;
    for (k, lines) in cohorts.iter().enumerate() {
        draw_box(&mut c, x, y_c, csizes[k].0, lines);
        x += csizes[k].0 + gap;
    }
    c.group_end();
    let svg = c.finish(Some("Patient flow"));
    Ok(Fig {
        name: "flow".into(),
        caption: "Patient flow: patients in the table, excluded at each stage (each patient \
                  once, at the first stage that excludes them) with the reasons, analysed, and \
                  per cohort the marker groups and the events of each endpoint."
            .into(),
        panels: vec![("flow".into(), svg)],
    })
}
