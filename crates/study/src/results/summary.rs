//! A text summary of a study run, for the terminal. Patient ids appear
//! only when the spec sets `report.show_ids = true`.

use std::fmt::Write;

use super::tables::{num, p_is, ratio_ci};
use super::StudyResults;

/// The summary text (ends with a newline).
pub fn summary(r: &StudyResults) -> String {
    let mut s = String::new();
    let unit = &r.settings.time_unit;
    let g = &r.settings.marker.groups;
    let _ = writeln!(s, "Study: {}", r.study.name);
    let _ = writeln!(
        s,
        "Marker: {} ({})",
        r.settings.marker.name, r.settings.marker.rule
    );
    let _ = writeln!(s, "Groups: {} (reference) vs {}", g[0], g[1]);
    let _ = writeln!(s, "Times in {unit}; P values two-sided.");

    if let Some(f) = &r.flow {
        let excluded: usize = f.excluded.iter().map(|e| e.n).sum();
        let _ = writeln!(
            s,
            "\nPatient flow: {} screened, {} excluded, {} analysed",
            f.screened, excluded, f.analysed
        );
        for st in f.excluded.iter().filter(|e| e.n > 0) {
            for reason in &st.reasons {
                let _ = writeln!(
                    s,
                    "  excluded ({}): {} - {}",
                    st.stage, reason.n, reason.reason
                );
            }
            if r.settings.show_ids {
                let ids: Vec<&str> = st.patients.iter().map(|p| p.id.as_str()).collect();
                let _ = writeln!(s, "    ids: {}", ids.join(", "));
            }
        }
        for c in &f.cohorts {
            let groups: Vec<String> = c
                .groups
                .iter()
                .map(|x| format!("{} {}", x.group, x.n))
                .collect();
            let events: Vec<String> = c
                .endpoints
                .iter()
                .map(|e| format!("{} {} events", e.endpoint, e.events))
                .collect();
            let _ = writeln!(
                s,
                "  {}: {} ({}); {}",
                c.cohort,
                c.n,
                groups.join(", "),
                events.join(", ")
            );
        }
    }

    if let Some(i) = &r.ihc {
        if let Some(all) = i.score_counts.first() {
            let dist: Vec<String> = i
                .labels
                .iter()
                .zip(&all.counts)
                .map(|(l, c)| format!("{l}: {c}"))
                .collect();
            let _ = writeln!(s, "\nIHC scores (analysed patients): {}", dist.join(", "));
        }
        for p in &i.reader_pairs {
            let k = |x: &Option<oncomark_stats::Kappa>| {
                x.as_ref()
                    .map(|k| {
                        format!(
                            "{} ({}-{})",
                            num(Some(k.kappa), 3),
                            num(Some(k.lower), 3),
                            num(Some(k.upper), 3)
                        )
                    })
                    .unwrap_or_else(|| "NA".into())
            };
            let _ = writeln!(
                s,
                "  {} vs {}: {}/{} same score; kappa {}, linear-weighted kappa {}",
                p.reader_a,
                p.reader_b,
                p.agree,
                p.n,
                k(&p.kappa),
                k(&p.kappa_linear)
            );
        }
        if let Some(icc) = &i.icc {
            if let Some(e) = icc.estimates.iter().find(|e| e.icc_type == "ICC2") {
                let _ = writeln!(
                    s,
                    "  ICC(2,1) of the {}: {} ({}-{})",
                    super::icc_subject(i),
                    num(Some(e.icc), 3),
                    num(Some(e.lower), 3),
                    num(Some(e.upper), 3)
                );
            }
        }
        for sk in i.skipped_statistics.iter().flatten() {
            let _ = writeln!(s, "  {} skipped: {}", sk.statistic, sk.reason);
        }
        let _ = writeln!(
            s,
            "  {} discordant, {} straddling the cutoff ({} adjudicated, {} unresolved: average used)",
            i.n_discordant, i.n_straddling, i.n_adjudicated, i.n_unresolved
        );
        if r.settings.show_ids && !i.unresolved.is_empty() {
            let _ = writeln!(s, "    unresolved: {}", i.unresolved.join(", "));
        }
    }

    for resp in &r.response {
        let _ = writeln!(s, "\nResponse ({}), {} vs {}:", resp.cohort, g[0], g[1]);
        for row in &resp.rows {
            let f = |k: usize| {
                format!(
                    "{}/{}{}",
                    row.counts[k],
                    row.denominators[k],
                    row.percents[k]
                        .map(|p| format!(" ({}%)", num(Some(p), 2)))
                        .unwrap_or_default()
                )
            };
            let _ = writeln!(
                s,
                "  {}: {} vs {}; Fisher {}",
                row.label,
                f(0),
                f(1),
                p_is(row.test.as_ref().map(|t| t.p))
            );
        }
    }

    for sv in &r.survival {
        let med = |k: usize| {
            sv.km
                .as_ref()
                .and_then(|km| km.groups.iter().find(|f| f.group == sv.groups[k]))
                .map(|f| num(f.median, 3))
                .unwrap_or_else(|| "NA".into())
        };
        let _ = writeln!(
            s,
            "\n{} ({}): n = {}, {} events; median {} {} vs {} {} {unit}; log-rank {}; HR {}",
            sv.label,
            sv.cohort,
            sv.n,
            sv.events,
            med(0),
            g[0],
            med(1),
            g[1],
            p_is(sv.logrank.as_ref().map(|l| l.p)),
            sv.hazard_ratio
                .as_ref()
                .map(|h| ratio_ci(h.hr, h.hr_lower, h.hr_upper))
                .unwrap_or_else(|| "NA".into())
        );
        for lm in &sv.landmarks {
            let rates: Vec<String> = lm
                .rates
                .iter()
                .map(|x| {
                    format!(
                        "{} {}",
                        x.group,
                        x.survival
                            .map_or("NA".into(), |v| format!("{}%", num(Some(100.0 * v), 3)))
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "  at {} {unit}: {}",
                num(Some(lm.time), 4),
                rates.join(", ")
            );
        }
        if let Some(m) = sv.follow_up.as_ref().and_then(|f| f.median) {
            let _ = writeln!(
                s,
                "  median follow-up (reverse KM): {} {unit}",
                num(Some(m), 3)
            );
        }
    }

    for m in &r.multivariable {
        let _ = write!(
            s,
            "\nMultivariable ({}, {}), {}",
            m.cohort, m.endpoint, m.method
        );
        match (&m.selection, &m.model) {
            (Some(_), Some(m)) => {
                let f = &m.fit;
                let _ = writeln!(s, ": n = {}, {} events; selected:", f.n, f.events);
                for t in &f.terms {
                    let _ = writeln!(
                        s,
                        "  {}: HR {}, {}",
                        t.term,
                        ratio_ci(t.hr, t.hr_lower, t.hr_upper),
                        p_is(t.p)
                    );
                }
            }
            (Some(_), None) => {
                let _ = writeln!(s, ": no term selected");
            }
            _ => {
                let _ = writeln!(s);
            }
        }
        if let Some(z) = &m.zph {
            let _ = writeln!(s, "  PH test (global): {}", p_is(Some(z.global.p)));
        }
        for n in &m.notes {
            let _ = writeln!(s, "  note: {n}");
        }
    }

    for i in &r.interaction {
        let _ = writeln!(
            s,
            "\nInteraction {} x {} ({}):",
            i.treatment, r.settings.marker.name, i.endpoint
        );
        if let Some(res) = &i.result {
            let _ = writeln!(
                s,
                "  likelihood-ratio {} (Wald {})",
                p_is(Some(res.interaction_lr.p)),
                p_is(Some(res.interaction_wald.p))
            );
            for e in &res.within {
                let _ = writeln!(
                    s,
                    "  {} HR ({} vs {}) in {}: {}",
                    i.treatment,
                    i.treated,
                    i.control,
                    e.level,
                    ratio_ci(e.hr, e.hr_lower, e.hr_upper)
                );
            }
        }
        for a in &i.marker_by_arm {
            let _ = writeln!(
                s,
                "  marker HR within {}: {} (log-rank {})",
                a.arm,
                a.hazard_ratio
                    .as_ref()
                    .map(|h| ratio_ci(h.hr, h.hr_lower, h.hr_upper))
                    .unwrap_or_else(|| "NA".into()),
                p_is(a.logrank.as_ref().map(|l| l.p))
            );
        }
    }
    if !r.analyses.skipped.is_empty() {
        let _ = writeln!(s);
        for sk in &r.analyses.skipped {
            let _ = writeln!(s, "Skipped {}: {}", sk.analysis, sk.reason);
        }
    }
    for n in &r.notes {
        let _ = writeln!(s, "Note: {n}");
    }
    s
}
