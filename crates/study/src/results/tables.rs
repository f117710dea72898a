//! The result tables as CSV, one file per table, formatted as a paper
//! shows them (`n (%)`, `median (IQR)`, `HR (95% CI)`); the unrounded
//! numbers are in results.json.

use super::{StudyResults, TestResult};
use oncomark_survival::cox::CoxTerm;

/// One table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    /// File stem (`characteristics_trastuzumab`): letters, digits, `_`, `-`.
    pub name: String,
    /// What it is.
    pub title: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// CSV text (RFC 4180 quoting, `\n` line ends).
    pub fn to_csv(&self) -> String {
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| {
                    if c.contains([',', '"', '\n', '\r']) {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut s = line(&self.header);
        s.push('\n');
        for r in &self.rows {
            s.push_str(&line(r));
            s.push('\n');
        }
        s
    }
}

/// A file-name-safe form of `s`.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-').to_string();
    if t.is_empty() {
        "x".to_string()
    } else {
        t
    }
}

/// Up to `sig` significant digits, no trailing zeros; `NA` when missing.
pub(crate) fn num(x: Option<f64>, sig: usize) -> String {
    match x {
        None => "NA".to_string(),
        Some(v) if !v.is_finite() => format!("{v}"),
        Some(0.0) => "0".to_string(),
        Some(v) => {
            let mag = v.abs().log10().floor() as i32;
            if !(-5..=9).contains(&mag) {
                format!("{:.*e}", sig.saturating_sub(1), v)
            } else {
                let decimals = (sig as i32 - 1 - mag).max(0) as usize;
                let s = format!("{v:.decimals$}");
                if s.contains('.') {
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    s
                }
            }
        }
    }
}

/// A P value as journals print it: `<0.0001`, else two significant digits.
pub(crate) fn pval(p: Option<f64>) -> String {
    match p {
        None => "NA".into(),
        Some(p) if p.is_nan() => "NA".into(),
        Some(p) if p < 1e-4 => "<0.0001".into(),
        Some(p) => num(Some(p), 2),
    }
}

/// `P = 0.022` or `P < 0.0001`.
pub(crate) fn p_is(p: Option<f64>) -> String {
    let v = pval(p);
    if v.starts_with('<') {
        format!("P {v}")
    } else {
        format!("P = {v}")
    }
}

/// `1.63 (0.94-2.81)`.
pub(crate) fn ratio_ci(est: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    match est {
        None => "NA".into(),
        Some(_) => format!("{} ({}-{})", num(est, 3), num(lo, 3), num(hi, 3)),
    }
}

fn hr(t: &CoxTerm) -> String {
    ratio_ci(t.hr, t.hr_lower, t.hr_upper)
}

fn n_pct(n: u64, pct: Option<f64>) -> String {
    match pct {
        Some(p) => format!("{n} ({}%)", num(Some(p), 3)),
        None => format!("{n}"),
    }
}

fn test_name(t: &Option<TestResult>) -> String {
    t.as_ref().map(|t| t.test.clone()).unwrap_or_default()
}

fn test_p(t: &Option<TestResult>) -> String {
    t.as_ref()
        .map(|t| pval(Some(t.p)))
        .unwrap_or_else(|| "NA".into())
}

/// Every table of `r`, in a fixed order.
pub fn tables(r: &StudyResults) -> Vec<CsvTable> {
    let mut out = Vec::new();
    let show_ids = r.settings.show_ids;
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    let cohort_suffix = |c: &str| {
        if r.settings.cohorts.len() > 1 || c != "all" {
            format!("_{}", slug(c))
        } else {
            String::new()
        }
    };

    if let Some(f) = &r.flow {
        let mut rows = vec![s(&["screened", "", "", &f.screened.to_string()])];
        for st in &f.excluded {
            for reason in &st.reasons {
                rows.push(vec![
                    "excluded".into(),
                    st.stage.clone(),
                    reason.reason.clone(),
                    reason.n.to_string(),
                ]);
            }
        }
        rows.push(s(&["analysed", "", "", &f.analysed.to_string()]));
        for c in &f.cohorts {
            rows.push(vec![
                "cohort".into(),
                c.cohort.clone(),
                "patients".into(),
                c.n.to_string(),
            ]);
            for g in &c.groups {
                rows.push(vec![
                    "cohort".into(),
                    c.cohort.clone(),
                    g.group.clone(),
                    g.n.to_string(),
                ]);
            }
            for e in &c.endpoints {
                rows.push(vec![
                    "cohort".into(),
                    c.cohort.clone(),
                    format!("{} events", e.endpoint),
                    e.events.to_string(),
                ]);
            }
            if let Some(a) = c.response_assessed {
                rows.push(vec![
                    "cohort".into(),
                    c.cohort.clone(),
                    "response assessed".into(),
                    a.to_string(),
                ]);
            }
        }
        out.push(CsvTable {
            name: "flow".into(),
            title: "Patient flow".into(),
            header: s(&["step", "stage_or_cohort", "item", "n"]),
            rows,
        });
    }

    for c in &r.characteristics {
        let mut rows = Vec::new();
        for v in &c.rows {
            let first = |rows: &mut Vec<Vec<String>>,
                         level: String,
                         a: String,
                         b: String,
                         all: String,
                         first: bool| {
                rows.push(vec![
                    if first {
                        v.label.clone()
                    } else {
                        String::new()
                    },
                    level,
                    a,
                    b,
                    all,
                    if first {
                        test_name(&v.test)
                    } else {
                        String::new()
                    },
                    if first {
                        test_p(&v.test)
                    } else {
                        String::new()
                    },
                ]);
            };
            if v.kind == "categorical" {
                let denom_all: u64 = v.levels.iter().map(|l| l.total).sum();
                for (i, l) in v.levels.iter().enumerate() {
                    first(
                        &mut rows,
                        l.level.clone(),
                        n_pct(l.counts[0], l.percents[0]),
                        n_pct(l.counts[1], l.percents[1]),
                        n_pct(
                            l.total,
                            (denom_all > 0).then(|| 100.0 * l.total as f64 / denom_all as f64),
                        ),
                        i == 0,
                    );
                }
            } else {
                let med = |k: usize| {
                    v.summaries
                        .get(k)
                        .map(|x| {
                            format!("{} ({}-{})", num(x.median, 3), num(x.q1, 3), num(x.q3, 3))
                        })
                        .unwrap_or_default()
                };
                first(
                    &mut rows,
                    "median (IQR)".into(),
                    med(0),
                    med(1),
                    med(2),
                    true,
                );
            }
            if v.missing.iter().any(|&m| m > 0) {
                first(
                    &mut rows,
                    "missing".into(),
                    v.missing[0].to_string(),
                    v.missing[1].to_string(),
                    (v.missing[0] + v.missing[1]).to_string(),
                    false,
                );
            }
        }
        out.push(CsvTable {
            name: format!("characteristics{}", cohort_suffix(&c.cohort)),
            title: format!("Patient characteristics by marker group ({})", c.cohort),
            header: vec![
                "variable".into(),
                "level".into(),
                format!("{} (n = {})", c.groups[0], c.n[0]),
                format!("{} (n = {})", c.groups[1], c.n[1]),
                format!("all (n = {})", c.n[0] + c.n[1]),
                "test".into(),
                "p".into(),
            ],
            rows,
        });
    }

    if let Some(i) = &r.ihc {
        let mut header = vec!["score".to_string()];
        header.extend(
            i.score_counts
                .iter()
                .map(|c| format!("{} (n = {})", c.cohort, c.n)),
        );
        let rows = i
            .labels
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let mut row = vec![l.clone()];
                row.extend(i.score_counts.iter().map(|c| {
                    n_pct(
                        c.counts[k] as u64,
                        (c.n > 0).then(|| 100.0 * c.counts[k] as f64 / c.n as f64),
                    )
                }));
                row
            })
            .collect();
        out.push(CsvTable {
            name: "ihc_scores".into(),
            title: "IHC score distribution of the analysed patients".into(),
            header,
            rows,
        });
        let mut rows = Vec::new();
        for p in &i.reader_pairs {
            let k = |x: &Option<oncomark_stats::Kappa>| match x {
                Some(k) => format!(
                    "{} ({}-{})",
                    num(Some(k.kappa), 3),
                    num(Some(k.lower), 3),
                    num(Some(k.upper), 3)
                ),
                None => "NA".into(),
            };
            rows.push(vec![
                p.reader_a.clone(),
                p.reader_b.clone(),
                p.n.to_string(),
                p.agree.to_string(),
                k(&p.kappa),
                k(&p.kappa_linear),
            ]);
        }
        out.push(CsvTable {
            name: "ihc_agreement".into(),
            title: "Reader agreement on the IHC scores (Cohen's kappa, 95% CI)".into(),
            header: s(&[
                "reader_a",
                "reader_b",
                "cases",
                "same_score",
                "kappa",
                "kappa_linear",
            ]),
            rows,
        });
        if let Some(icc) = &i.icc {
            out.push(CsvTable {
                name: "ihc_icc".into(),
                title: format!(
                    "Intraclass correlation of the readers' {} (Shrout & Fleiss)",
                    super::icc_subject(i)
                ),
                header: s(&["type", "icc", "lower", "upper", "p"]),
                rows: icc
                    .estimates
                    .iter()
                    .map(|e| {
                        vec![
                            e.icc_type.to_string(),
                            num(Some(e.icc), 4),
                            num(Some(e.lower), 4),
                            num(Some(e.upper), 4),
                            pval(Some(e.p)),
                        ]
                    })
                    .collect(),
            });
        }
        for (k, p) in i.reader_pairs.iter().enumerate() {
            let mut header = vec![format!("{} \\ {}", p.reader_a, p.reader_b)];
            header.extend(p.levels.iter().cloned());
            out.push(CsvTable {
                name: if i.reader_pairs.len() == 1 {
                    "ihc_readers".into()
                } else {
                    format!("ihc_readers_{}", k + 1)
                },
                title: format!(
                    "Scores of {} (rows) by {} (columns)",
                    p.reader_a, p.reader_b
                ),
                header,
                rows: p
                    .levels
                    .iter()
                    .zip(&p.counts)
                    .map(|(l, c)| {
                        let mut row = vec![l.clone()];
                        row.extend(c.iter().map(|v| v.to_string()));
                        row
                    })
                    .collect(),
            });
        }
    }

    for resp in &r.response {
        let mut rows: Vec<Vec<String>> = resp
            .rows
            .iter()
            .map(|x| {
                vec![
                    x.label.clone(),
                    n_pct(x.counts[0], x.percents[0]),
                    n_pct(x.counts[1], x.percents[1]),
                    x.test
                        .as_ref()
                        .map(|t| ratio_ci(t.odds_ratio, t.lower, t.upper))
                        .unwrap_or_else(|| "NA".into()),
                    test_p(&x.test),
                ]
            })
            .collect();
        for sv in r.survival.iter().filter(|sv| sv.cohort == resp.cohort) {
            let med = |g: usize| {
                sv.km
                    .as_ref()
                    .and_then(|k| k.groups.iter().find(|f| f.group == sv.groups[g]))
                    .map(|f| num(f.median, 3))
                    .unwrap_or_else(|| "NA".into())
            };
            rows.push(vec![
                format!("Median {} ({})", sv.label, sv.unit),
                med(0),
                med(1),
                sv.hazard_ratio
                    .as_ref()
                    .map(hr)
                    .unwrap_or_else(|| "NA".into()),
                pval(sv.logrank.as_ref().map(|l| l.p)),
            ]);
        }
        out.push(CsvTable {
            name: format!("response{}", cohort_suffix(&resp.cohort)),
            title: format!(
                "Response by marker group ({}); odds ratios are of the positive vs the negative group (Fisher's exact test); median rows give the log-rank P and the Cox HR",
                resp.cohort
            ),
            header: vec![
                "outcome".into(),
                format!("{} (n = {})", resp.groups[0], resp.n[0]),
                format!("{} (n = {})", resp.groups[1], resp.n[1]),
                "ratio (95% CI)".into(),
                "p".into(),
            ],
            rows,
        });
        let mut header = s(&["rank"]);
        if show_ids {
            header.push("id".into());
        }
        header.extend(s(&["group", "best_response", "best_percent_change"]));
        out.push(CsvTable {
            name: format!("waterfall{}", cohort_suffix(&resp.cohort)),
            title: format!("Best change in tumour size per patient ({})", resp.cohort),
            header,
            rows: resp
                .waterfall
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let mut row = vec![(i + 1).to_string()];
                    if show_ids {
                        row.push(w.id.clone());
                    }
                    row.push(w.group.clone());
                    row.push(w.best_response.abbreviation().into());
                    row.push(num(w.best_percent_change, 4));
                    row
                })
                .collect(),
        });
    }

    if !r.survival.is_empty() {
        let lms = &r.settings.landmarks;
        let mut header = s(&[
            "cohort",
            "endpoint",
            "group",
            "n",
            "events",
            "median",
            "median_95ci",
        ]);
        header.extend(lms.iter().map(|t| format!("S({})", num(Some(*t), 4))));
        header.extend(s(&["logrank_p", "hr_95ci"]));
        let mut rows = Vec::new();
        let mut curves = Vec::new();
        for sv in &r.survival {
            let Some(km) = &sv.km else { continue };
            for (gi, f) in km.groups.iter().enumerate() {
                let mut row = vec![
                    sv.cohort.clone(),
                    sv.endpoint.clone(),
                    f.group.clone(),
                    f.n.to_string(),
                    f.events.to_string(),
                    num(f.median, 4),
                    format!("{}-{}", num(f.median_lower, 4), num(f.median_upper, 4)),
                ];
                for t in lms {
                    row.push(
                        f.at.iter()
                            .find(|a| a.time == *t)
                            .map(|a| {
                                format!(
                                    "{} ({}-{})",
                                    num(Some(a.survival), 3),
                                    num(a.lower, 3),
                                    num(a.upper, 3)
                                )
                            })
                            .unwrap_or_else(|| "NA".into()),
                    );
                }
                row.push(if gi == 0 {
                    pval(sv.logrank.as_ref().map(|l| l.p))
                } else {
                    String::new()
                });
                row.push(if gi == 0 {
                    sv.hazard_ratio
                        .as_ref()
                        .map(hr)
                        .unwrap_or_else(|| "NA".into())
                } else {
                    String::new()
                });
                rows.push(row);
                for st in &f.steps {
                    curves.push(vec![
                        sv.cohort.clone(),
                        sv.endpoint.clone(),
                        f.group.clone(),
                        num(Some(st.time), 8),
                        st.n_risk.to_string(),
                        st.n_event.to_string(),
                        st.n_censor.to_string(),
                        num(Some(st.survival), 8),
                        num(st.lower, 8),
                        num(st.upper, 8),
                    ]);
                }
            }
        }
        out.push(CsvTable {
            name: "survival".into(),
            title: format!(
                "Kaplan-Meier medians and landmark rates by marker group (times in {}), log-rank P and Cox HR of the positive group",
                r.settings.time_unit
            ),
            header,
            rows,
        });
        out.push(CsvTable {
            name: "km_curves".into(),
            title: "Kaplan-Meier curves (one row per distinct time)".into(),
            header: s(&[
                "cohort", "endpoint", "group", "time", "n_risk", "n_event", "n_censor", "survival",
                "lower", "upper",
            ]),
            rows: curves,
        });
    }

    let label_of = |labels: &[super::TermLabel], term: &str| {
        labels
            .iter()
            .find(|l| l.term == term)
            .map(|l| l.label.clone())
            .unwrap_or_else(|| term.to_string())
    };
    for u in &r.univariate {
        out.push(CsvTable {
            name: format!(
                "univariate{}_{}",
                cohort_suffix(&u.cohort),
                slug(&u.endpoint)
            ),
            title: format!("Univariate Cox models ({}, {})", u.cohort, u.endpoint),
            header: s(&[
                "term", "label", "n", "events", "hr_95ci", "p_wald", "p_lr", "df",
            ]),
            rows: u
                .rows
                .iter()
                .map(|x| {
                    vec![
                        x.term.clone(),
                        label_of(&u.labels, &x.term),
                        x.n.to_string(),
                        x.events.to_string(),
                        ratio_ci(x.hr, x.hr_lower, x.hr_upper),
                        pval(x.p_wald),
                        pval(x.p_lr),
                        x.df.to_string(),
                    ]
                })
                .collect(),
        });
    }
    for m in &r.multivariable {
        let suffix = format!("{}_{}", cohort_suffix(&m.cohort), slug(&m.endpoint));
        let mut rows = Vec::new();
        for (which, fit) in [("selected", &m.model), ("full", &m.full_model)] {
            if let Some(mf) = fit {
                let f = &mf.fit;
                let method = match mf.method {
                    oncomark_survival::firth::FitMethod::Cox => "",
                    oncomark_survival::firth::FitMethod::Firth => " (Firth)",
                };
                for t in &f.terms {
                    rows.push(vec![
                        format!("{which}{method}"),
                        t.term.clone(),
                        label_of(&m.labels, &t.term),
                        f.n.to_string(),
                        f.events.to_string(),
                        hr(t),
                        pval(t.p),
                    ]);
                }
            }
        }
        out.push(CsvTable {
            name: format!("multivariable{suffix}"),
            title: format!(
                "Multivariable Cox models ({}, {}): {} selection (entry and stay levels in results.json) and the full model",
                m.cohort, m.endpoint, m.method
            ),
            header: s(&["model", "term", "label", "n", "events", "hr_95ci", "p"]),
            rows,
        });
        if let Some(sel) = &m.selection {
            out.push(CsvTable {
                name: format!("selection{suffix}"),
                title: format!("Selection steps ({}, {})", m.cohort, m.endpoint),
                header: s(&["step", "action", "term", "test", "statistic", "df", "p"]),
                rows: sel
                    .steps
                    .iter()
                    .map(|st| {
                        vec![
                            st.step.to_string(),
                            format!("{:?}", st.action).to_lowercase(),
                            st.term.clone(),
                            format!("{:?}", st.test).to_lowercase(),
                            num(Some(st.statistic), 5),
                            st.df.to_string(),
                            pval(Some(st.p)),
                        ]
                    })
                    .collect(),
            });
        }
        let mut zrows = Vec::new();
        for (which, z) in [("selected", &m.zph), ("full", &m.full_zph)] {
            if let Some(z) = z {
                for t in &z.terms {
                    zrows.push(vec![
                        which.into(),
                        t.term.clone(),
                        num(Some(t.chisq), 5),
                        t.df.to_string(),
                        pval(Some(t.p)),
                    ]);
                }
                zrows.push(vec![
                    which.into(),
                    "GLOBAL".into(),
                    num(Some(z.global.chisq), 5),
                    z.global.df.to_string(),
                    pval(Some(z.global.p)),
                ]);
            }
        }
        if !zrows.is_empty() {
            out.push(CsvTable {
                name: format!("zph{suffix}"),
                title: format!(
                    "Proportional-hazards tests (cox.zph) ({}, {})",
                    m.cohort, m.endpoint
                ),
                header: s(&["model", "term", "chisq", "df", "p"]),
                rows: zrows,
            });
        }
    }
    for i in &r.interaction {
        let mut rows = Vec::new();
        if let Some(res) = &i.result {
            rows.push(vec![
                "interaction".into(),
                format!("{} x {}", i.treatment, r.settings.marker.name),
                "".into(),
                "".into(),
                "NA".into(),
                pval(Some(res.interaction_lr.p)),
                pval(Some(res.interaction_wald.p)),
            ]);
            for (src, effects) in [("model", &res.within), ("separate", &res.separate)] {
                for e in effects {
                    rows.push(vec![
                        format!("treatment within marker group ({src})"),
                        e.level.clone(),
                        e.n.to_string(),
                        e.events.to_string(),
                        ratio_ci(e.hr, e.hr_lower, e.hr_upper),
                        pval(e.p_lr),
                        pval(e.p),
                    ]);
                }
            }
        }
        for a in &i.marker_by_arm {
            rows.push(vec![
                "marker within arm".into(),
                a.arm.clone(),
                a.n.to_string(),
                a.events.to_string(),
                a.hazard_ratio
                    .as_ref()
                    .map(hr)
                    .unwrap_or_else(|| "NA".into()),
                pval(a.logrank.as_ref().map(|l| l.p)),
                pval(a.hazard_ratio.as_ref().and_then(|h| h.p)),
            ]);
        }
        out.push(CsvTable {
            name: format!("interaction_{}", slug(&i.endpoint)),
            title: format!(
                "{} by {} interaction ({}): treatment HR ({} vs {}) within each marker group, marker HR within each arm; p_lr is the likelihood-ratio (interaction, separate fits) or log-rank (marker within arm) P",
                i.treatment, r.settings.marker.name, i.endpoint, i.treated, i.control
            ),
            header: s(&["row", "group_or_arm", "n", "events", "hr_95ci", "p_lr", "p_wald"]),
            rows,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_p_values_print_as_journals_do() {
        assert_eq!(num(Some(0.978260869565217), 4), "0.9783");
        assert_eq!(num(Some(8.2), 3), "8.2");
        assert_eq!(num(None, 3), "NA");
        assert_eq!(pval(Some(0.0222997)), "0.022");
        assert_eq!(pval(Some(0.0089)), "0.0089");
        assert_eq!(pval(Some(3e-7)), "<0.0001");
        assert_eq!(ratio_ci(Some(2.6), Some(1.47), Some(4.1)), "2.6 (1.47-4.1)");
        assert_eq!(slug("Trastuzumab-based (n=78)"), "trastuzumab-based-n-78");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let t = CsvTable {
            name: "t".into(),
            title: String::new(),
            header: vec!["a".into(), "b".into()],
            rows: vec![vec!["1, 2".into(), "say \"x\"".into()]],
        };
        assert_eq!(t.to_csv(), "a,b\n\"1, 2\",\"say \"\"x\"\"\"\n");
    }
}
