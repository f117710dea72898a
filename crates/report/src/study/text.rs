//! Words written from the results: the summary of the main findings, the
//! methods paragraph (every test, option and version the run recorded) and
//! the REMARK checklist filled from what the run did.

use std::collections::BTreeSet;

use oncomark_study::results::{StudyResults, SurvivalAnalysis, TestResult};

use crate::format::{format_ratio_ci, p_label};

use super::cells::{format_cell, Fmt};
use super::figures::{contrast, criteria_name, estimated, pct_level};
use super::tables::test_name;

fn median_text(sv: &SurvivalAnalysis, group: &str) -> String {
    let fit = sv
        .km
        .as_ref()
        .and_then(|k| k.groups.iter().find(|g| g.group == group));
    match fit {
        Some(f) => match f.median {
            Some(m) => format_cell(Fmt::Fixed(1), &[Some(m)]),
            None => "not reached".into(),
        },
        None => "not estimable".into(),
    }
}

/// The main findings in a few sentences, each number as the tables print
/// it.
pub(crate) fn summary(r: &StudyResults) -> Vec<String> {
    let mut out = Vec::new();
    let marker = &r.settings.marker.name;
    let groups = &r.settings.marker.groups;
    if let Some(flow) = &r.flow {
        let cohorts: Vec<String> = flow
            .cohorts
            .iter()
            .map(|c| {
                let g: Vec<String> = c
                    .groups
                    .iter()
                    .map(|g| format!("{} {}", g.group, g.n))
                    .collect();
                if flow.cohorts.len() > 1 {
                    format!("{} cohort {} ({})", c.cohort, c.n, g.join(", "))
                } else {
                    format!("{} by {marker}", g.join(", "))
                }
            })
            .collect();
        out.push(format!(
            "{} of {} patients were analysed: {}.",
            flow.analysed,
            flow.screened,
            cohorts.join("; ")
        ));
    }
    let primary = &r.settings.primary_endpoint;
    for sv in r.survival.iter().filter(|s| &s.endpoint == primary) {
        let [neg, pos] = groups.as_slice() else {
            continue;
        };
        let mut s = format!(
            "{}{}: median {} {} ({pos}) vs {} ({neg}) {}",
            sv.label,
            if r.settings.cohorts.len() > 1 {
                format!(", {} cohort", sv.cohort)
            } else {
                String::new()
            },
            if sv.endpoint == "os" {
                "survival"
            } else {
                "time"
            },
            median_text(sv, pos),
            median_text(sv, neg),
            sv.unit
        );
        if let Some(hr) = sv.hazard_ratio.as_ref().filter(|t| estimated(t)) {
            if let Some(h) = hr.hr {
                s.push_str(&format!(
                    "; {}",
                    crate::format::hr_label(
                        h,
                        hr.hr_lower,
                        hr.hr_upper,
                        r.settings.conf_level,
                        Some(&format!("{pos} vs {neg}"))
                    )
                ));
            }
        }
        if let Some(l) = &sv.logrank {
            s.push_str(&format!(", log-rank {}", p_label(l.p)));
        }
        s.push('.');
        out.push(s);
    }
    for ra in &r.response {
        if let Some(row) = ra.rows.iter().find(|x| x.row == "objective_response") {
            let parts: Vec<String> = ra
                .groups
                .iter()
                .enumerate()
                .map(|(g, label)| {
                    format!(
                        "{} in {label}",
                        format_cell(
                            Fmt::NOfPct,
                            &[
                                row.counts.get(g).map(|&c| c as f64),
                                row.denominators.get(g).map(|&c| c as f64),
                                row.percents.get(g).copied().flatten()
                            ]
                        )
                    )
                })
                .collect();
            let mut s = format!(
                "Objective response{}: {}",
                if r.settings.cohorts.len() > 1 {
                    format!(" ({} cohort)", ra.cohort)
                } else {
                    String::new()
                },
                parts.join(" vs ")
            );
            if let Some(t) = &row.test {
                s.push_str(&format!(" ({} test, {})", test_name(&t.test), p_label(t.p)));
            }
            s.push('.');
            out.push(s);
        }
    }
    for m in r.multivariable.iter().filter(|m| &m.endpoint == primary) {
        let Some(model) = &m.model else { continue };
        if let Some(t) = model.fit.terms.iter().find(|t| &t.term == marker) {
            if estimated(t) {
                out.push(format!(
                    "In the selected multivariable model for {}{}, {marker} ({}) had HR {} \
                     ({}).",
                    primary.to_uppercase(),
                    if r.settings.cohorts.len() > 1 {
                        format!(" ({} cohort)", m.cohort)
                    } else {
                        String::new()
                    },
                    contrast(groups).unwrap_or_default(),
                    format_ratio_ci(t.hr, t.hr_lower, t.hr_upper),
                    t.p.map_or("P not computed".into(), p_label)
                ));
            }
        } else {
            out.push(format!(
                "{marker} was not in the selected multivariable model for {}{}.",
                primary.to_uppercase(),
                if r.settings.cohorts.len() > 1 {
                    format!(" ({} cohort)", m.cohort)
                } else {
                    String::new()
                }
            ));
        }
    }
    for ia in r.interaction.iter().filter(|i| &i.endpoint == primary) {
        if let Some(res) = &ia.result {
            out.push(format!(
                "Treatment ({}) by {marker} interaction for {}: likelihood-ratio {}.",
                ia.treatment,
                primary.to_uppercase(),
                p_label(res.interaction_lr.p)
            ));
        }
    }
    out
}

fn list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        2 => format!("{} and {}", items[0], items[1]),
        _ => format!(
            "{} and {}",
            items[..items.len() - 1].join(", "),
            items[items.len() - 1]
        ),
    }
}

fn conf_type_words(t: &str) -> &'static str {
    match t {
        "log-log" => "the log(−log) scale",
        "log" => "the log scale",
        "plain" => "the linear scale",
        _ => "the recorded scale",
    }
}

fn ties_words(t: &str) -> &'static str {
    match t {
        "efron" => "Efron's approximation for tied event times",
        "breslow" => "Breslow's approximation for tied event times",
        "exact" => "the exact partial likelihood for tied event times",
        _ => "the recorded handling of ties",
    }
}

fn all_tests(r: &StudyResults) -> Vec<(&'static str, &TestResult)> {
    let mut v = Vec::new();
    for t in &r.characteristics {
        for row in &t.rows {
            if let Some(x) = &row.test {
                v.push(("characteristics", x));
            }
        }
    }
    for ra in &r.response {
        for row in &ra.rows {
            if let Some(x) = &row.test {
                v.push(("response", x));
            }
        }
        if let Some(x) = &ra.overall_test {
            v.push(("response", x));
        }
    }
    v
}

/// The statistical methods as run, in one paragraph per topic.
pub(crate) fn methods(r: &StudyResults) -> Vec<String> {
    let s = &r.settings;
    let spec = &r.spec;
    let mut out = Vec::new();
    let level = pct_level(s.conf_level);
    let ran: BTreeSet<&str> = r.analyses.run.iter().map(|x| x.as_str()).collect();

    // software and marker
    let mut p = format!(
        "All analyses were run with oncomark {} (results schema {}) from the study \
         specification {} (SHA-256 {}). ",
        r.oncomark_version,
        r.schema_version,
        r.provenance
            .spec_file
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(""),
        &r.provenance.spec_sha256.get(..12).unwrap_or("")
    );
    p.push_str(&format!(
        "The marker, {}, was {} marker: {}. Patients were grouped as {}.",
        s.marker.name,
        match s.marker.kind.as_str() {
            "ihc" => "an immunohistochemistry (IHC)",
            "continuous" => "a continuous",
            "score" => "a recorded-score",
            other => other,
        },
        s.marker.rule,
        list(&s.marker.groups)
    ));
    if let Some(sc) = &s.marker.scoring {
        p.push_str(&format!(
            " Scoring rule {}: {}; positive when {}.",
            sc.rule, sc.reference, sc.positive
        ));
    }
    if s.marker.kind == "continuous" {
        p.push_str(
            " The cutoff was fixed in the specification, not chosen on these data, so no \
             correction for cutpoint selection was needed.",
        );
    }
    out.push(p);

    // IHC agreement
    if let Some(ihc) = &r.ihc {
        let mut p = format!(
            "Scores of {} readers ({}) were combined by {}",
            ihc.readers.len(),
            list(&ihc.readers),
            match format!("{:?}", ihc.combine).as_str() {
                "MeanPercent" => "averaging the readers' percents, then binning",
                "MeanScore" => "averaging the readers' scores (half rounded up)",
                "Consensus" => "the consensus reading",
                _ => "the recorded rule",
            }
        );
        p.push_str(&format!(
            ". Of {} cases, {} had discordant scores and {} straddled the positivity cutoff \
             (adjudicated: {}; unresolved, decided by the combined value: {}).",
            ihc.n_cases, ihc.n_discordant, ihc.n_straddling, ihc.n_adjudicated, ihc.n_unresolved
        ));
        let weights: BTreeSet<String> = ihc
            .reader_pairs
            .iter()
            .flat_map(|pr| [&pr.kappa, &pr.kappa_linear])
            .flatten()
            .map(|k| format!("{:?}", k.weights).to_lowercase())
            .collect();
        if !weights.is_empty() {
            // unweighted first, then the weighted forms
            let mut forms: Vec<String> = Vec::new();
            if weights.contains("none") {
                forms.push("unweighted".into());
            }
            forms.extend(
                weights
                    .iter()
                    .filter(|w| w.as_str() != "none")
                    .map(|w| format!("{w}-weighted")),
            );
            p.push_str(&format!(
                " Agreement was measured by Cohen's kappa ({}; Wald {level}% confidence \
                 limits with the standard errors of Fleiss, Cohen & Everitt 1969, and the test \
                 of kappa = 0 with the null standard error)",
                list(&forms)
            ));
        }
        if let Some(icc) = &ihc.icc {
            let types: Vec<String> = icc
                .estimates
                .iter()
                .map(|e| e.icc_type.to_string())
                .collect();
            p.push_str(if weights.is_empty() {
                " Agreement was measured"
            } else {
                " and"
            });
            p.push_str(&format!(
                " by the Shrout-Fleiss intraclass correlations of the {} ({}; ICC2 is the \
                 two-way random-effects, absolute-agreement form) over {} cases read by all {} \
                 readers",
                match ihc.icc_of.as_deref() {
                    Some("h_score") => "H-scores",
                    Some("allred_total") => "Allred totals",
                    _ => "percents",
                },
                list(&types),
                icc.n_subjects,
                icc.n_raters
            ));
        }
        p.push('.');
        out.push(p);
    }

    // response and endpoints
    let mut p = String::new();
    if let Some(ra) = r.response.first() {
        if ra.source == "lesions" {
            let crit = ra.criteria.as_deref().unwrap_or("recist-1.1");
            p.push_str(&format!(
                "Best overall response was derived from the lesion measurements by {}{}",
                criteria_name(crit),
                match crit {
                    "who" => " (Miller et al. 1981; bidimensional products)",
                    "recist-1.0" => " (Therasse et al. 2000; sums of longest diameters)",
                    "recist-1.1" => " (Eisenhauer et al. 2009)",
                    _ => "",
                }
            ));
            if let Some(rs) = &spec.response {
                p.push_str(if rs.confirm {
                    ", with confirmation of complete and partial responses"
                } else {
                    ", without confirmation of responses"
                });
                if let Some(d) = rs.confirm_min_days.filter(|_| rs.confirm) {
                    p.push_str(&format!(" at least {d} days apart"));
                }
                if let Some(d) = rs.sd_min_days {
                    p.push_str(&format!("; stable disease needed at least {d} days"));
                }
            }
            p.push_str(". ");
        } else {
            p.push_str("Best overall responses were taken as recorded. ");
        }
        p.push_str("Objective response was a complete or partial response. ");
        if let Some(rs) = &spec.response {
            if let (Some(t), Some(e)) = (rs.early_progression, &rs.early_progression_endpoint) {
                p.push_str(&format!(
                    "Early progression was an event of {} before {} {}. ",
                    e.to_uppercase(),
                    crate::format::trim_fixed_dec(t, 2),
                    s.time_unit
                ));
            }
        }
    }
    let eps: Vec<String> = s
        .endpoints
        .iter()
        .map(|e| {
            format!(
                "{} ({}, {})",
                e.label,
                e.name.to_uppercase(),
                if e.source == "dates" {
                    "derived from dates"
                } else {
                    "given as time and event columns"
                }
            )
        })
        .collect();
    p.push_str(&format!(
        "Endpoints were {}; the primary endpoint was {}. Times are in {}{}.",
        list(&eps),
        s.primary_endpoint.to_uppercase(),
        s.time_unit,
        if s.time_unit == "months" {
            " of 30.4375 days"
        } else if s.time_unit == "years" {
            " of 365.25 days"
        } else {
            ""
        }
    ));
    if let Some(d) = &spec.endpoints.dates {
        p.push_str(&format!(" Time zero was the date in column {}.", d.start));
        if s.endpoints.iter().any(|e| e.name == "ttp") {
            p.push_str(
                match format!("{:?}", spec.endpoints.ttp_death_after_follow_up).as_str() {
                    "CensorAtDeath" => {
                        " For TTP, a death without progression censored the time at the death."
                    }
                    _ => {
                        " For TTP, a death without progression censored the time; a death recorded \
                      after the last follow-up censored it at the last follow-up."
                    }
                },
            );
        }
    }
    out.push(p);

    // survival
    if ran.contains("survival") {
        let mut p = format!(
            "Survival curves were estimated by the Kaplan-Meier method with {level}% pointwise \
             confidence limits on {} and Brookmeyer-Crowley limits for the medians; groups were \
             compared by the log-rank test",
            conf_type_words(&s.conf_type)
        );
        if !s.landmarks.is_empty() {
            let lm: Vec<String> = s
                .landmarks
                .iter()
                .map(|t| crate::format::trim_fixed_dec(*t, 2))
                .collect();
            p.push_str(&format!(
                ", and the event-free rates at {} {} by a Wald test of their difference",
                list(&lm),
                s.time_unit
            ));
        }
        p.push_str(
            ". Median follow-up was estimated by the reverse Kaplan-Meier method (censoring as \
             the event).",
        );
        out.push(p);
    }

    // Cox
    if ran.contains("univariate") || ran.contains("multivariable") || ran.contains("survival") {
        let mut p = format!(
            "Hazard ratios came from Cox proportional-hazards models with {} and Wald \
             {level}% confidence limits (Newton-Raphson with the convergence rules of R \
             survival::coxph)",
            ties_words(&s.ties)
        );
        let firth_uni = r.univariate.iter().any(|u| !u.firth.is_empty());
        let firth_hr = r
            .survival
            .iter()
            .any(|sv| sv.hazard_ratio_method.as_deref() == Some("firth"));
        let firth_mv = r.multivariable.iter().any(|m| {
            [&m.model, &m.full_model]
                .iter()
                .any(|x| x.as_ref().is_some_and(|f| f.firth.is_some()))
        });
        if firth_uni || firth_hr || firth_mv {
            p.push_str(
                "; where the likelihood was monotone (an infinite estimate, e.g. a group \
                 without events) the model was refitted by Firth's penalised likelihood \
                 with profile-likelihood limits and penalised likelihood-ratio P values",
            );
        }
        p.push_str(". ");
        if ran.contains("univariate") {
            p.push_str(
                "Each candidate factor was tested in its own univariate model on the patients \
                 with a value for it; categorical factors were dummy-coded against their \
                 reference level and tested on all their levels together. ",
            );
        }
        let sel = &spec.selection;
        let methods_used: BTreeSet<&str> =
            r.multivariable.iter().map(|m| m.method.as_str()).collect();
        if ran.contains("multivariable") && !methods_used.is_empty() {
            let rules: BTreeSet<String> = r
                .multivariable
                .iter()
                .map(|m| m.candidates_rule.clone())
                .collect();
            if rules.contains("univariate") {
                p.push_str(&format!(
                    "Factors with a univariate likelihood-ratio P below {} were candidates for \
                     the multivariable model",
                    sel.screen_p
                ));
            } else {
                p.push_str("Every factor was a candidate for the multivariable model");
            }
            let levels: BTreeSet<String> = r
                .multivariable
                .iter()
                .filter_map(|m| m.selection.as_ref())
                .map(|x| format!("{} to enter and {} to stay", x.entry, x.stay))
                .collect();
            if methods_used.iter().any(|m| *m != "none") {
                p.push_str(&format!(
                    "; {} selection followed the rules of SAS PHREG (entry by the score test, \
                     removal by the Wald test; significance levels {})",
                    list(
                        &methods_used
                            .iter()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>()
                    ),
                    list(&levels.into_iter().collect::<Vec<_>>())
                ));
                if !sel.include.is_empty() {
                    p.push_str(&format!(
                        ", with {} kept in every model",
                        list(&sel.include)
                    ));
                }
            }
            p.push_str(
                ". The model with every candidate is reported beside the selected one; patients \
                 missing any candidate were left out of both (complete cases).",
            );
            let transforms: BTreeSet<String> = r
                .multivariable
                .iter()
                .flat_map(|m| [&m.zph, &m.full_zph])
                .flatten()
                .map(|z| format!("{:?}", z.transform).to_lowercase())
                .collect();
            if !transforms.is_empty() {
                p.push_str(&format!(
                    " Proportional hazards were checked by the Grambsch-Therneau score test \
                     of the scaled Schoenfeld residuals (R cox.zph; {} time transform).",
                    list(&transforms.into_iter().collect::<Vec<_>>())
                ));
            }
        }
        out.push(p);
    }

    // contingency tests actually used
    let tests = all_tests(r);
    if !tests.is_empty() {
        let mut by: Vec<String> = Vec::new();
        for (area, words) in [
            (
                "characteristics",
                "patient characteristics against the marker group",
            ),
            ("response", "response rates between the marker groups"),
        ] {
            let names: BTreeSet<String> = tests
                .iter()
                .filter(|(a, _)| *a == area)
                .map(|(_, t)| test_name(&t.test))
                .collect();
            if names.is_empty() {
                continue;
            }
            let n = tests.iter().filter(|(a, _)| *a == area).count();
            by.push(format!(
                "{} test{} for {words} ({n} test{})",
                list(&names.into_iter().collect::<Vec<_>>()),
                "",
                if n == 1 { "" } else { "s" }
            ));
        }
        let mut p = format!("Associations were tested with {}.", list(&by));
        let notes: BTreeSet<String> = tests
            .iter()
            .filter_map(|(_, t)| {
                t.note
                    .as_ref()
                    .map(|n| format!("{}: {n}", test_name(&t.test)))
            })
            .collect();
        if !notes.is_empty() {
            p.push_str(&format!(
                " Where noted: {}.",
                notes.into_iter().collect::<Vec<_>>().join("; ")
            ));
        }
        if tests.iter().any(|(_, t)| t.odds_ratio.is_some()) {
            p.push_str(
                " Odds ratios of 2x2 tables are conditional maximum-likelihood estimates with \
                 exact limits.",
            );
        }
        if tests.iter().any(|(_, t)| t.test == "chi_square") {
            p.push_str(
                " Pearson's chi-square test replaced Fisher's exact test where the table was \
                 beyond the exact algorithm's work limit.",
            );
        }
        out.push(p);
    }

    // interaction
    if !r.interaction.is_empty() {
        if let Some(t) = &s.treatment {
            out.push(format!(
                "Whether {} predicts the effect of {} ({} = {} vs {}) was tested by the \
                 likelihood-ratio test of the treatment-by-marker product term in a Cox model \
                 with treatment, marker and their product over all patients with a known arm; \
                 the treatment effect within each marker group and the marker effect within \
                 each arm are shown as well.",
                s.marker.name,
                t.name,
                t.column,
                t.treated,
                t.control.as_deref().unwrap_or("every other value")
            ));
        }
    }
    out.push(format!(
        "All P values are two-sided; confidence intervals are {level}%. No correction for \
         multiple testing was applied. The figures and tables of this report were drawn from \
         results.json without recomputing any statistic."
    ));
    out
}

/// How far the run covered a REMARK item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemarkStatus {
    /// The report shows it.
    Reported,
    /// The report shows part of it; the rest is for the authors.
    Partly,
    /// The run did not record it.
    NotReported,
    /// An item of the paper's discussion: the authors' to write.
    Authors,
}

impl RemarkStatus {
    /// Short word shown in the checklist.
    pub fn word(self) -> &'static str {
        match self {
            RemarkStatus::Reported => "reported",
            RemarkStatus::Partly => "partly",
            RemarkStatus::NotReported => "not reported",
            RemarkStatus::Authors => "authors",
        }
    }

    pub(crate) fn class(self) -> &'static str {
        match self {
            RemarkStatus::Reported => "yes",
            RemarkStatus::Partly => "partly",
            RemarkStatus::NotReported => "no",
            RemarkStatus::Authors => "author",
        }
    }
}

/// One item of the REMARK checklist (McShane et al., J Natl Cancer Inst
/// 2005;97:1180-4), filled from the run.
#[derive(Debug, Clone, PartialEq)]
pub struct RemarkItem {
    /// Item number, 1 to 20.
    pub number: u8,
    /// The item, in short.
    pub item: &'static str,
    /// How far this report covers it.
    pub status: RemarkStatus,
    /// What the report shows, or what is missing.
    pub detail: String,
    /// Anchor of the section that shows it.
    pub anchor: Option<&'static str>,
}

/// The REMARK checklist, filled from what the run did.
pub(crate) fn remark(r: &StudyResults) -> Vec<RemarkItem> {
    use RemarkStatus::*;
    let s = &r.settings;
    let ran: BTreeSet<&str> = r.analyses.run.iter().map(|x| x.as_str()).collect();
    let mut v = Vec::new();
    let mut add = |number: u8,
                   item: &'static str,
                   status: RemarkStatus,
                   detail: String,
                   anchor: Option<&'static str>| {
        v.push(RemarkItem {
            number,
            item,
            status,
            detail,
            anchor,
        })
    };
    add(
        1,
        "Marker examined, study objectives, prespecified hypotheses",
        Partly,
        format!(
            "Marker {} and primary endpoint {} are in the specification; the objectives and \
             hypotheses are not recorded by the run.",
            s.marker.name,
            s.primary_endpoint.to_uppercase()
        ),
        Some("summary"),
    );
    add(
        2,
        "Patients: characteristics, source, inclusion and exclusion criteria",
        if r.flow.is_some() && !r.characteristics.is_empty() {
            Partly
        } else {
            NotReported
        },
        "Characteristics by marker group and exclusions with reasons are reported; the source \
         of the patients and the inclusion criteria are for the authors to state."
            .into(),
        Some("characteristics"),
    );
    add(
        3,
        "Treatments received and how they were chosen",
        if s.treatment.is_some() || s.cohorts.len() > 1 {
            Partly
        } else {
            NotReported
        },
        match &s.treatment {
            Some(t) => format!(
                "Arms from column {} ({} vs {}); how treatment was chosen is not recorded.",
                t.column,
                t.treated,
                t.control.as_deref().unwrap_or("other values")
            ),
            None => "No treatment was specified.".into(),
        },
        Some("interaction"),
    );
    add(
        4,
        "Biological material, controls, preservation and storage",
        NotReported,
        "Not recorded by the run: describe the specimens in the paper.".into(),
        None,
    );
    add(
        5,
        "Assay method, protocol, reagents, quality control, reproducibility, scoring, blinding",
        if r.ihc.is_some() { Partly } else { NotReported },
        if r.ihc.is_some() {
            "Scoring rule, reader combination, adjudication and reader agreement (kappa, ICC) \
             are reported; reagents, protocol and blinding are not recorded."
                .into()
        } else {
            format!(
                "Marker rule: {}; assay details are not recorded.",
                s.marker.rule
            )
        },
        Some("ihc"),
    );
    let has_fu = r.survival.iter().any(|sv| sv.follow_up.is_some());
    add(
        6,
        "Case selection, time period, end of follow-up, median follow-up",
        if has_fu { Partly } else { NotReported },
        "Median follow-up (reverse Kaplan-Meier) is reported; prospective or retrospective \
         selection and the accrual period are not recorded."
            .into(),
        Some("survival"),
    );
    add(
        7,
        "Definitions of all clinical endpoints",
        Reported,
        "Endpoint derivation (time zero, events, censoring, unit) is stated in the methods.".into(),
        Some("methods"),
    );
    add(
        8,
        "All candidate variables",
        if r.univariate.is_empty() {
            Partly
        } else {
            Reported
        },
        format!(
            "{} factor(s) in the specification, {} of them candidates for the Cox models; each \
             candidate has a univariate model.",
            r.spec.factors.len(),
            r.spec.factors.iter().filter(|f| f.models).count()
        ),
        Some("cox"),
    );
    add(
        9,
        "Rationale for the sample size",
        NotReported,
        "Not recorded by the run (oncomark power gives Schoenfeld's events for a target \
         hazard ratio)."
            .into(),
        None,
    );
    add(
        10,
        "Statistical methods: selection, model checks, missing data",
        Reported,
        "Every test, the selection rules, the proportional-hazards checks and the \
         complete-case handling are in the methods, as run."
            .into(),
        Some("methods"),
    );
    add(
        11,
        "Handling of marker values; cutpoint determination",
        Reported,
        format!(
            "{} (fixed in the specification, not chosen on the data).",
            s.marker.rule
        ),
        Some("methods"),
    );
    add(
        12,
        "Patient flow with numbers and events, overall and per subgroup",
        if r.flow.is_some() {
            Reported
        } else {
            NotReported
        },
        "Flow diagram and the patients and events by cohort, endpoint and group.".into(),
        Some("flow"),
    );
    add(
        13,
        "Distribution of demographic and prognostic variables and of the marker, with missing values",
        if r.characteristics.is_empty() { NotReported } else { Reported },
        "Characteristics by marker group with missing counts; the marker distribution is in \
         the group sizes (and the IHC score table)."
            .into(),
        Some("characteristics"),
    );
    add(
        14,
        "Relation of the marker to standard prognostic variables",
        if r.characteristics
            .iter()
            .any(|t| t.rows.iter().any(|x| x.test.is_some()))
        {
            Reported
        } else {
            NotReported
        },
        "Each characteristic is tested against the marker group, the test named.".into(),
        Some("characteristics"),
    );
    add(
        15,
        "Univariate relation of marker and outcome (HR, survival, Kaplan-Meier plot)",
        if ran.contains("survival") {
            Reported
        } else {
            NotReported
        },
        "Kaplan-Meier plots with numbers at risk, medians, landmark rates, log-rank tests and \
         univariate hazard ratios of every factor."
            .into(),
        Some("survival"),
    );
    let has_sel = r.multivariable.iter().any(|m| m.model.is_some());
    add(
        16,
        "Multivariable effects with confidence intervals for the final model",
        if has_sel { Reported } else { NotReported },
        "Hazard ratios with confidence limits of every term of the selected model.".into(),
        Some("cox"),
    );
    let has_full = r.multivariable.iter().any(|m| m.full_model.is_some());
    add(
        17,
        "Effects from a model with the marker and standard variables regardless of significance",
        if has_full { Reported } else { NotReported },
        "The model with every candidate is shown beside the selected one.".into(),
        Some("cox"),
    );
    let has_zph = r
        .multivariable
        .iter()
        .any(|m| m.zph.is_some() || m.full_zph.is_some());
    add(
        18,
        "Further investigations: assumptions, sensitivity analyses, validation",
        if has_zph { Partly } else { NotReported },
        "Proportional-hazards tests are reported; no sensitivity analysis or internal \
         validation (e.g. bootstrap) was run."
            .into(),
        Some("cox"),
    );
    add(
        19,
        "Interpretation in the context of the hypotheses and other studies; limitations",
        Authors,
        "For the authors' discussion.".into(),
        None,
    );
    add(
        20,
        "Implications for future research and clinical value",
        Authors,
        "For the authors' discussion.".into(),
        None,
    );
    v
}
