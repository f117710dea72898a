//! The study's tables, built from the results as recorded: each numeric
//! cell names the values of `results.json` it prints (see
//! [`cells`](super::cells)).

use oncomark_study::results::{
    CharacteristicsTable, Flow, IhcAnalysis, InteractionAnalysis, MultivariableAnalysis,
    ResponseAnalysis, StudyResults, SurvivalAnalysis, UnivariateAnalysis,
};
use oncomark_survival::cox::TermStatus;
use oncomark_survival::firth::ModelFit;

use super::cells::{cnt, ucnt, Cell, Fmt, DASH};
use super::figures::{contrast, level_label, pct_level};
use super::page::{HTable, Row};

/// The name of a test as a table prints it.
pub(crate) fn test_name(test: &str) -> String {
    match test {
        "fisher_exact" => "Fisher's exact".into(),
        "chi_square" => "Pearson's chi-square".into(),
        "wilcoxon_rank_sum" => "Wilcoxon rank-sum".into(),
        "kruskal_wallis" => "Kruskal-Wallis".into(),
        other => other.replace('_', " "),
    }
}

fn time_decimals(unit: &str) -> u8 {
    match unit {
        "days" => 0,
        _ => 1,
    }
}

/// `Time to progression` -> `time to progression` (not `HER2 ...`).
pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            let mut out: String = a.to_lowercase().collect();
            out.push(b);
            out.push_str(c.as_str());
            out
        }
        _ => s.to_string(),
    }
}

fn ci(level: f64) -> String {
    format!("{}% CI", pct_level(level))
}

/// Group heading cells: `0-2+` over `n = 53`.
fn group_heads(groups: &[String], ptr: impl Fn(usize) -> String, n: &[usize]) -> Vec<Cell> {
    groups
        .iter()
        .enumerate()
        .map(|(g, label)| {
            let mut c = Cell::one(Fmt::Int, ptr(g), n.get(g).copied().and_then(ucnt));
            c.prefix = format!("{label}\nn = ");
            c
        })
        .collect()
}

fn p_cell(ptr: String, p: Option<f64>) -> Cell {
    Cell::one(Fmt::P, ptr, p)
}

fn text(s: &str) -> Cell {
    Cell::text(s).class("txt")
}

// ------------------------------------------------------------------ flow

/// Patient flow: screened, excluded by stage and reason, analysed.
pub(crate) fn flow_table(flow: &Flow) -> HTable {
    let mut rows = vec![Row::new(
        "Patients in the table (screened)",
        vec![Cell::one(
            Fmt::Int,
            "/flow/screened".into(),
            ucnt(flow.screened),
        )],
    )];
    for (i, s) in flow.excluded.iter().enumerate() {
        rows.push(
            Row::new(
                format!("Excluded at the {} stage", s.stage),
                vec![Cell::one(
                    Fmt::Int,
                    format!("/flow/excluded/{i}/n"),
                    ucnt(s.n),
                )],
            )
            .head(),
        );
        for (j, r) in s.reasons.iter().enumerate() {
            rows.push(
                Row::new(
                    r.reason.clone(),
                    vec![Cell::one(
                        Fmt::Int,
                        format!("/flow/excluded/{i}/reasons/{j}/n"),
                        ucnt(r.n),
                    )],
                )
                .indent(),
            );
        }
    }
    rows.push(
        Row::new(
            "Analysed",
            vec![Cell::one(
                Fmt::Int,
                "/flow/analysed".into(),
                ucnt(flow.analysed),
            )],
        )
        .head(),
    );
    for (c, co) in flow.cohorts.iter().enumerate() {
        rows.push(
            Row::new(
                format!("Cohort {}", co.cohort),
                vec![Cell::one(
                    Fmt::Int,
                    format!("/flow/cohorts/{c}/n"),
                    ucnt(co.n),
                )],
            )
            .indent(),
        );
    }
    for (u, un) in flow.unmatched.iter().enumerate() {
        rows.push(Row::new(
            format!("Rows of the {} table without a patient (ignored)", un.table),
            vec![Cell::one(
                Fmt::Int,
                format!("/flow/unmatched/{u}/ids"),
                ucnt(un.ids.len()),
            )],
        ));
    }
    if !flow.date_adjustments.is_empty() {
        rows.push(Row::new(
            "Last contact moved past the recorded last follow-up",
            vec![Cell::one(
                Fmt::Int,
                "/flow/date_adjustments".into(),
                ucnt(flow.date_adjustments.len()),
            )],
        ));
    }
    HTable {
        name: "flow".into(),
        caption: "Patient flow. Each patient is excluded once, at the first stage that excludes \
                  them."
            .into(),
        head: vec![vec![Cell::text(""), Cell::text("Patients")]],
        rows,
        notes: Vec::new(),
    }
}

/// Patients and events per cohort and endpoint, overall and by group.
pub(crate) fn events_table(r: &StudyResults, flow: &Flow) -> HTable {
    let groups = &r.settings.marker.groups;
    let mut head = vec![
        Cell::text("Cohort and endpoint"),
        Cell::text("Patients"),
        Cell::text("Events"),
        Cell::text("Censored"),
    ];
    for g in groups {
        head.push(Cell::text(format!("Events, {g}")));
    }
    let mut rows = Vec::new();
    for (c, co) in flow.cohorts.iter().enumerate() {
        let mut cells = vec![Cell::one(
            Fmt::Int,
            format!("/flow/cohorts/{c}/n"),
            ucnt(co.n),
        )];
        cells.push(Cell::empty());
        cells.push(Cell::empty());
        for (g, _) in groups.iter().enumerate() {
            let k = co.groups.iter().position(|x| x.group == groups[g]);
            cells.push(match k {
                Some(k) => Cell::one(
                    Fmt::Int,
                    format!("/flow/cohorts/{c}/groups/{k}/n"),
                    ucnt(co.groups[k].n),
                )
                .prefix("n = "),
                None => Cell::empty(),
            });
        }
        rows.push(Row::new(co.cohort.clone(), cells).head());
        for (e, ep) in co.endpoints.iter().enumerate() {
            let base = format!("/flow/cohorts/{c}/endpoints/{e}");
            let mut cells = vec![
                Cell::one(Fmt::Int, format!("{base}/n"), ucnt(ep.n)),
                Cell::one(Fmt::Int, format!("{base}/events"), ucnt(ep.events)),
                Cell::one(Fmt::Int, format!("{base}/censored"), ucnt(ep.censored)),
            ];
            for (g, _) in groups.iter().enumerate() {
                cells.push(Cell::one(
                    Fmt::Int,
                    format!("{base}/events_by_group/{g}"),
                    ep.events_by_group.get(g).copied().and_then(ucnt),
                ));
            }
            let label = r
                .settings
                .endpoints
                .iter()
                .find(|x| x.name == ep.endpoint)
                .map_or_else(|| ep.endpoint.clone(), |x| x.label.clone());
            rows.push(Row::new(label, cells).indent());
        }
    }
    HTable {
        name: "events".into(),
        caption: "Patients and events by cohort, endpoint and marker group.".into(),
        head: vec![head],
        rows,
        notes: Vec::new(),
    }
}

// ------------------------------------------------------- characteristics

fn dichotomous(levels: &[String]) -> Option<usize> {
    let l: Vec<String> = levels.iter().map(|s| s.to_ascii_lowercase()).collect();
    match l.as_slice() {
        [a, b]
            if (a == "0" && b == "1")
                || (a == "no" && b == "yes")
                || (a == "false" && b == "true") =>
        {
            Some(1)
        }
        _ => None,
    }
}

/// Patient characteristics by marker group (one cohort), the test named
/// on every row.
pub(crate) fn characteristics_table(
    r: &StudyResults,
    k: usize,
    t: &CharacteristicsTable,
) -> HTable {
    let base = format!("/characteristics/{k}");
    let mut head = vec![Cell::text("Characteristic")];
    head.extend(group_heads(&t.groups, |g| format!("{base}/n/{g}"), &t.n));
    head.push(Cell::text("P"));
    head.push(Cell::text("Test"));
    let ng = t.groups.len();
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        let rb = format!("{base}/rows/{i}");
        let (p, test) = match &row.test {
            Some(tr) => {
                let mut name = test_name(&tr.test);
                if let Some(n) = &tr.note {
                    notes.push(format!("{}: {} ({n}).", row.label, test_name(&tr.test)));
                    name.push('*');
                }
                (p_cell(format!("{rb}/test/p"), Some(tr.p)), text(&name))
            }
            None => (
                Cell::text(DASH),
                text(row.note.as_deref().unwrap_or("not tested")),
            ),
        };
        if row.kind == "continuous" {
            let mut cells = Vec::new();
            for g in 0..ng {
                let sb = format!("{rb}/summaries/{g}");
                let s = row.summaries.get(g);
                cells.push(Cell::num(
                    Fmt::MedIqr,
                    vec![
                        (format!("{sb}/median"), s.and_then(|s| s.median)),
                        (format!("{sb}/q1"), s.and_then(|s| s.q1)),
                        (format!("{sb}/q3"), s.and_then(|s| s.q3)),
                    ],
                ));
            }
            cells.push(p);
            cells.push(test);
            rows.push(Row::new(format!("{}, median (IQR)", row.label), cells).head());
            let mut cells = Vec::new();
            for g in 0..ng {
                let sb = format!("{rb}/summaries/{g}");
                let s = row.summaries.get(g);
                cells.push(Cell::num(
                    Fmt::Range,
                    vec![
                        (format!("{sb}/min"), s.and_then(|s| s.min)),
                        (format!("{sb}/max"), s.and_then(|s| s.max)),
                    ],
                ));
            }
            cells.push(Cell::empty());
            cells.push(Cell::empty());
            rows.push(Row::new("Range", cells).indent());
        } else {
            let level_names: Vec<String> = row.levels.iter().map(|l| l.level.clone()).collect();
            if let Some(j) = dichotomous(&level_names) {
                let mut cells = Vec::new();
                for g in 0..ng {
                    let lb = format!("{rb}/levels/{j}");
                    let l = &row.levels[j];
                    cells.push(Cell::num(
                        Fmt::NPct,
                        vec![
                            (
                                format!("{lb}/counts/{g}"),
                                l.counts.get(g).map(|&c| c as f64),
                            ),
                            (
                                format!("{lb}/percents/{g}"),
                                l.percents.get(g).copied().flatten(),
                            ),
                        ],
                    ));
                }
                cells.push(p);
                cells.push(test);
                rows.push(Row::new(format!("{}, n (%)", row.label), cells).head());
            } else {
                let mut cells = vec![Cell::empty(); ng];
                cells.push(p);
                cells.push(test);
                rows.push(Row::new(format!("{}, n (%)", row.label), cells).head());
                for (j, l) in row.levels.iter().enumerate() {
                    let lb = format!("{rb}/levels/{j}");
                    let mut cells = Vec::new();
                    for g in 0..ng {
                        cells.push(Cell::num(
                            Fmt::NPct,
                            vec![
                                (
                                    format!("{lb}/counts/{g}"),
                                    l.counts.get(g).map(|&c| c as f64),
                                ),
                                (
                                    format!("{lb}/percents/{g}"),
                                    l.percents.get(g).copied().flatten(),
                                ),
                            ],
                        ));
                    }
                    cells.push(Cell::empty());
                    cells.push(Cell::empty());
                    rows.push(Row::new(l.level.clone(), cells).indent());
                }
            }
        }
        if row.missing.iter().any(|&m| m > 0) {
            let mut cells: Vec<Cell> = (0..ng)
                .map(|g| {
                    Cell::one(
                        Fmt::Int,
                        format!("{rb}/missing/{g}"),
                        row.missing.get(g).copied().and_then(ucnt),
                    )
                })
                .collect();
            cells.push(Cell::empty());
            cells.push(Cell::empty());
            rows.push(Row::new("Missing", cells).indent());
        }
    }
    notes.insert(
        0,
        "n (%): patients and percent of the group's patients with a value. Categorical \
         variables: Fisher's exact test of the levels-by-group table; continuous: Wilcoxon \
         rank-sum test (Kruskal-Wallis with more groups). P values two-sided."
            .into(),
    );
    HTable {
        name: format!("characteristics-{}", super::slug(&t.cohort)),
        caption: format!(
            "Patient characteristics by {} group{}.",
            r.settings.marker.name,
            super::figures::cohort_words(r, &t.cohort)
        ),
        head: vec![head],
        rows,
        notes,
    }
}

// ------------------------------------------------------------------- IHC

/// IHC score distribution, all patients and per cohort.
pub(crate) fn ihc_scores_table(ihc: &IhcAnalysis) -> HTable {
    let mut head = vec![Cell::text("Score")];
    for (c, sc) in ihc.score_counts.iter().enumerate() {
        let label = if sc.cohort == "all" {
            "All".to_string()
        } else {
            sc.cohort.clone()
        };
        let mut cell = Cell::one(Fmt::Int, format!("/ihc/score_counts/{c}/n"), ucnt(sc.n));
        cell.prefix = format!("{label}\nn = ");
        head.push(cell);
    }
    let mut rows = Vec::new();
    for (s, label) in ihc.labels.iter().enumerate() {
        let cells = ihc
            .score_counts
            .iter()
            .enumerate()
            .map(|(c, sc)| {
                Cell::one(
                    Fmt::Int,
                    format!("/ihc/score_counts/{c}/counts/{s}"),
                    sc.counts.get(s).copied().and_then(ucnt),
                )
            })
            .collect();
        let mark = if s >= usize::from(ihc.positive_from) {
            " (positive)"
        } else {
            ""
        };
        rows.push(Row::new(format!("{label}{mark}"), cells));
    }
    HTable {
        name: "ihc-scores".into(),
        caption: "IHC scores of the analysed patients (final score after combining the \
                  readers and adjudication)."
            .into(),
        head: vec![head],
        rows,
        notes: Vec::new(),
    }
}

/// Reader agreement: kappa, weighted kappa, case review counts.
pub(crate) fn ihc_agreement_table(ihc: &IhcAnalysis, conf_level: f64) -> HTable {
    let mut rows = Vec::new();
    for (k, pair) in ihc.reader_pairs.iter().enumerate() {
        let b = format!("/ihc/reader_pairs/{k}");
        rows.push(Row::new(format!("{} vs {}", pair.reader_a, pair.reader_b), vec![]).head());
        rows.push(
            Row::new(
                "Cases read by both",
                vec![Cell::one(Fmt::Int, format!("{b}/n"), ucnt(pair.n))],
            )
            .indent(),
        );
        rows.push(
            Row::new(
                "Cases with the same score",
                vec![Cell::one(Fmt::Int, format!("{b}/agree"), ucnt(pair.agree))],
            )
            .indent(),
        );
        for (key, label, kap) in [
            ("kappa", "Cohen's kappa (unweighted)", &pair.kappa),
            (
                "kappa_linear",
                "Cohen's kappa (linear weights)",
                &pair.kappa_linear,
            ),
        ] {
            let cells = match kap {
                Some(kp) => vec![
                    Cell::num(
                        Fmt::FixedCi(2),
                        vec![
                            (format!("{b}/{key}/kappa"), Some(kp.kappa)),
                            (format!("{b}/{key}/lower"), Some(kp.lower)),
                            (format!("{b}/{key}/upper"), Some(kp.upper)),
                        ],
                    ),
                    Cell::one(
                        Fmt::Fixed(2),
                        format!("{b}/{key}/kappa_max"),
                        Some(kp.kappa_max),
                    ),
                    p_cell(format!("{b}/{key}/p"), Some(kp.p)),
                ],
                None => vec![Cell::text(DASH), Cell::empty(), Cell::empty()],
            };
            rows.push(Row::new(label, cells).indent());
        }
    }
    let review = [
        (
            "Discordant cases (scores differ)",
            "/ihc/n_discordant",
            ihc.n_discordant,
        ),
        (
            "Straddling the positivity cutoff",
            "/ihc/n_straddling",
            ihc.n_straddling,
        ),
        ("Adjudicated", "/ihc/n_adjudicated", ihc.n_adjudicated),
        (
            "Straddling, not adjudicated",
            "/ihc/n_unresolved",
            ihc.n_unresolved,
        ),
    ];
    rows.push(Row::new("Case review", vec![]).head());
    for (label, ptr, n) in review {
        let mut c = Cell::one(Fmt::Int, ptr.to_string(), ucnt(n));
        if ptr == "/ihc/n_unresolved" && n > 0 {
            c = c.class("warn");
        }
        rows.push(Row::new(label, vec![c, Cell::empty(), Cell::empty()]).indent());
    }
    for r in &mut rows {
        r.cells.resize(3, Cell::empty());
    }
    HTable {
        name: "ihc-agreement".into(),
        caption: format!(
            "Agreement between the readers' IHC scores: Cohen's kappa with Wald {} (standard \
             errors of Fleiss, Cohen & Everitt 1969), the largest kappa the margins allow, and \
             the P value of the test of kappa = 0.",
            ci(conf_level)
        ),
        head: vec![vec![
            Cell::text(""),
            Cell::text(format!("Value ({})", ci(conf_level))),
            Cell::text("Maximum kappa"),
            Cell::text("P"),
        ]],
        rows,
        notes: vec!["Case review counts are numbers of cases.".into()],
    }
}

fn icc_form(t: &str) -> &'static str {
    match t {
        "ICC1" => "ICC(1,1): one-way random, single reader",
        "ICC2" => "ICC(2,1): two-way random, absolute agreement, single reader",
        "ICC3" => "ICC(3,1): two-way mixed, consistency, single reader",
        "ICC1k" => "ICC(1,k): one-way random, mean of the readers",
        "ICC2k" => "ICC(2,k): two-way random, absolute agreement, mean of the readers",
        "ICC3k" => "ICC(3,k): two-way mixed, consistency, mean of the readers",
        _ => "intraclass correlation",
    }
}

/// The six Shrout-Fleiss intraclass correlations of the readers' percents.
pub(crate) fn icc_table(ihc: &IhcAnalysis) -> Option<HTable> {
    let icc = ihc.icc.as_ref()?;
    let rows = icc
        .estimates
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let b = format!("/ihc/icc/estimates/{k}");
            Row::new(
                icc_form(e.icc_type),
                vec![
                    Cell::num(
                        Fmt::FixedCi(3),
                        vec![
                            (format!("{b}/icc"), Some(e.icc)),
                            (format!("{b}/lower"), Some(e.lower)),
                            (format!("{b}/upper"), Some(e.upper)),
                        ],
                    ),
                    Cell::one(Fmt::Fixed(1), format!("{b}/f"), Some(e.f)),
                    Cell::one(Fmt::Fixed(0), format!("{b}/df1"), Some(e.df1)),
                    Cell::one(Fmt::Fixed(0), format!("{b}/df2"), Some(e.df2)),
                    p_cell(format!("{b}/p"), Some(e.p)),
                ],
            )
        })
        .collect::<Vec<_>>();
    Some(HTable {
        name: "ihc-icc".into(),
        caption: format!(
            "Intraclass correlations of the readers' {} (Shrout & Fleiss 1979, as R \
             psych::ICC), over the cases every reader read, with {}.",
            match ihc.icc_of.as_deref() {
                Some("h_score") => "H-scores",
                Some("allred_total") => "Allred totals",
                _ => "percents",
            },
            ci(icc.conf_level)
        ),
        head: vec![vec![
            Cell::text("Form"),
            Cell::text(format!("ICC ({})", ci(icc.conf_level))),
            Cell::text("F"),
            Cell::text("df1"),
            Cell::text("df2"),
            Cell::text("P"),
        ]],
        rows,
        notes: Vec::new(),
    })
}

/// Reader-by-reader score table of each pair.
pub(crate) fn reader_tables(ihc: &IhcAnalysis) -> Vec<HTable> {
    ihc.reader_pairs
        .iter()
        .enumerate()
        .map(|(k, pair)| {
            let mut head = vec![Cell::text(format!(
                "{} \\ {}",
                pair.reader_a, pair.reader_b
            ))];
            head.extend(pair.levels.iter().map(|l| Cell::text(l.clone())));
            let rows = pair
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let cells = (0..pair.levels.len())
                        .map(|j| {
                            Cell::one(
                                Fmt::Int,
                                format!("/ihc/reader_pairs/{k}/counts/{i}/{j}"),
                                pair.counts.get(i).and_then(|r| r.get(j)).map(|&c| c as f64),
                            )
                        })
                        .collect();
                    Row::new(l.clone(), cells)
                })
                .collect();
            HTable {
                name: format!("ihc-readers-{}", k + 1),
                caption: format!(
                    "Scores of {} (rows) against {} (columns).",
                    pair.reader_a, pair.reader_b
                ),
                head: vec![head],
                rows,
                notes: Vec::new(),
            }
        })
        .collect()
}

// -------------------------------------------------------------- response

/// Response by marker group (the seed paper's Table 2), with the medians
/// of every endpoint of the cohort and their log-rank P.
pub(crate) fn response_table(r: &StudyResults, k: usize, ra: &ResponseAnalysis) -> HTable {
    let base = format!("/response/{k}");
    let mut head = vec![Cell::text("")];
    head.extend(group_heads(&ra.groups, |g| format!("{base}/n/{g}"), &ra.n));
    head.push(Cell::text(format!(
        "OR or HR ({})",
        ci(r.settings.conf_level)
    )));
    head.push(Cell::text("P"));
    head.push(Cell::text("Test"));
    let ng = ra.groups.len();
    let mut rows = Vec::new();
    rows.push(Row::new("Response", vec![]).head());
    let mut notes = Vec::new();
    for (i, row) in ra.rows.iter().enumerate() {
        let rb = format!("{base}/rows/{i}");
        let mut cells: Vec<Cell> = (0..ng)
            .map(|g| {
                Cell::num(
                    Fmt::NOfPct,
                    vec![
                        (
                            format!("{rb}/counts/{g}"),
                            row.counts.get(g).map(|&c| c as f64),
                        ),
                        (
                            format!("{rb}/denominators/{g}"),
                            row.denominators.get(g).map(|&c| c as f64),
                        ),
                        (
                            format!("{rb}/percents/{g}"),
                            row.percents.get(g).copied().flatten(),
                        ),
                    ],
                )
            })
            .collect();
        match &row.test {
            Some(t) => {
                cells.push(Cell::num(
                    Fmt::RatioCi,
                    vec![
                        (format!("{rb}/test/odds_ratio"), t.odds_ratio),
                        (format!("{rb}/test/lower"), t.lower),
                        (format!("{rb}/test/upper"), t.upper),
                    ],
                ));
                cells.push(p_cell(format!("{rb}/test/p"), Some(t.p)));
                cells.push(text(&format!("{} (OR)", test_name(&t.test))));
                if let Some(n) = &t.note {
                    notes.push(format!("{}: {n}.", row.label));
                }
            }
            None => {
                cells.extend([Cell::empty(), Cell::text(DASH), text("not tested")]);
            }
        }
        let label = row.label.clone();
        let early = row.row == "early_progression" || row.row == "no_progression";
        if early && !rows.iter().any(|x: &Row| x.label == "Progression") {
            rows.push(Row::new("Progression", vec![]).head());
        }
        rows.push(Row::new(label, cells).indent());
    }
    if let Some(t) = &ra.overall_test {
        let mut cells = vec![Cell::empty(); ng];
        cells.push(Cell::empty());
        cells.push(p_cell(format!("{base}/overall_test/p"), Some(t.p)));
        cells.push(text(&format!("{} (all categories)", test_name(&t.test))));
        rows.push(Row::new("Best response, all categories", cells).indent());
    }
    // medians of the cohort's endpoints
    let mut any = false;
    for (s, sv) in r.survival.iter().enumerate() {
        if sv.cohort != ra.cohort {
            continue;
        }
        if !any {
            rows.push(Row::new("Time to event", vec![]).head());
            any = true;
        }
        rows.push(median_row(s, sv, &ra.groups));
    }
    notes.insert(
        0,
        format!(
            "n/N (%): patients with the outcome among the patients assessed (response rows) or \
             with a time (progression rows). OR: conditional maximum-likelihood odds ratio of \
             {} with exact limits (Fisher); HR: Cox hazard ratio with Wald limits; P two-sided.",
            contrast(&ra.groups).unwrap_or_else(|| "the groups".into())
        ),
    );
    HTable {
        name: format!("response-{}", super::slug(&ra.cohort)),
        caption: format!(
            "Response by {} group{} ({}).",
            r.settings.marker.name,
            super::figures::cohort_words(r, &ra.cohort),
            ra.criteria.as_deref().map_or_else(
                || "recorded best responses".into(),
                super::figures::criteria_name
            )
        ),
        head: vec![head],
        rows,
        notes,
    }
}

fn median_row(s: usize, sv: &SurvivalAnalysis, groups: &[String]) -> Row {
    let d = time_decimals(&sv.unit);
    let b = format!("/survival/{s}");
    let mut cells = Vec::new();
    for g in groups {
        let k = sv
            .km
            .as_ref()
            .and_then(|km| km.groups.iter().position(|x| &x.group == g));
        cells.push(match (k, &sv.km) {
            (Some(k), Some(km)) => {
                let fit = &km.groups[k];
                Cell::num(
                    Fmt::TimeCi(d),
                    vec![
                        (format!("{b}/km/groups/{k}/median"), fit.median),
                        (format!("{b}/km/groups/{k}/median_lower"), fit.median_lower),
                        (format!("{b}/km/groups/{k}/median_upper"), fit.median_upper),
                    ],
                )
            }
            _ => Cell::text(DASH),
        });
    }
    cells.push(match &sv.hazard_ratio {
        Some(t) => Cell::num(
            Fmt::RatioCi,
            vec![
                (
                    format!("{b}/hazard_ratio/hr"),
                    t.hr.filter(|_| t.status == TermStatus::Estimated),
                ),
                (
                    format!("{b}/hazard_ratio/hr_lower"),
                    t.hr_lower.filter(|_| t.status == TermStatus::Estimated),
                ),
                (
                    format!("{b}/hazard_ratio/hr_upper"),
                    t.hr_upper.filter(|_| t.status == TermStatus::Estimated),
                ),
            ],
        ),
        None => Cell::empty(),
    });
    match &sv.logrank {
        Some(l) => {
            cells.push(p_cell(format!("{b}/logrank/p"), Some(l.p)));
            cells.push(text("Log-rank (HR: Cox)"));
        }
        None => cells.extend([Cell::text(DASH), text("not tested")]),
    }
    Row::new(
        format!("Median {}, {}", lower_first(&sv.label), sv.unit),
        cells,
    )
    .indent()
}

// -------------------------------------------------------------- survival

/// Per endpoint: n, events, median, landmark rates, log-rank P and HR of
/// every cohort and group.
pub(crate) fn survival_table(r: &StudyResults, endpoint: &str) -> Option<HTable> {
    let entries: Vec<(usize, &SurvivalAnalysis)> = r
        .survival
        .iter()
        .enumerate()
        .filter(|(_, s)| s.endpoint == endpoint)
        .collect();
    let first = entries.first()?.1;
    let d = time_decimals(&first.unit);
    let landmarks: Vec<f64> = r.settings.landmarks.clone();
    let mut head = vec![
        Cell::text("Cohort and group"),
        Cell::text("Patients"),
        Cell::text("Events"),
        Cell::text(format!(
            "Median, {} ({})",
            first.unit,
            ci(r.settings.conf_level)
        )),
    ];
    for t in &landmarks {
        head.push(Cell::text(format!(
            "At {} {} ({})",
            crate::format::trim_fixed_dec(*t, 2),
            first.unit,
            ci(r.settings.conf_level)
        )));
    }
    head.push(Cell::text("Log-rank P"));
    head.push(Cell::text(format!(
        "HR {} ({})",
        contrast(&r.settings.marker.groups).unwrap_or_default(),
        ci(r.settings.conf_level)
    )));
    let ncols = head.len() - 1;
    let mut rows = Vec::new();
    for (s, sv) in entries {
        let b = format!("/survival/{s}");
        let mut cells = vec![
            Cell::one(Fmt::Int, format!("{b}/n"), ucnt(sv.n)),
            Cell::one(Fmt::Int, format!("{b}/events"), ucnt(sv.events)),
            match &sv.overall {
                Some(o) => Cell::num(
                    Fmt::TimeCi(d),
                    vec![
                        (format!("{b}/overall/median"), o.median),
                        (format!("{b}/overall/median_lower"), o.median_lower),
                        (format!("{b}/overall/median_upper"), o.median_upper),
                    ],
                ),
                None => Cell::empty(),
            },
        ];
        for t in &landmarks {
            let l = sv.landmarks.iter().position(|x| x.time == *t);
            cells.push(
                match l.and_then(|l| sv.landmarks[l].difference.as_ref().map(|d| (l, d))) {
                    Some((l, dif)) => {
                        Cell::one(Fmt::P, format!("{b}/landmarks/{l}/difference/p"), dif.p)
                            .prefix("difference P ")
                    }
                    None => Cell::empty(),
                },
            );
        }
        cells.push(match &sv.logrank {
            Some(l) => p_cell(format!("{b}/logrank/p"), Some(l.p)),
            None => Cell::text(DASH),
        });
        cells.push(match &sv.hazard_ratio {
            Some(t) => {
                let ok = t.status == TermStatus::Estimated;
                Cell::num(
                    Fmt::RatioCi,
                    vec![
                        (format!("{b}/hazard_ratio/hr"), t.hr.filter(|_| ok)),
                        (
                            format!("{b}/hazard_ratio/hr_lower"),
                            t.hr_lower.filter(|_| ok),
                        ),
                        (
                            format!("{b}/hazard_ratio/hr_upper"),
                            t.hr_upper.filter(|_| ok),
                        ),
                    ],
                )
            }
            None => Cell::text(DASH),
        });
        let label = if r.settings.cohorts.len() > 1 {
            format!("{} cohort, all", sv.cohort)
        } else {
            "All patients".to_string()
        };
        rows.push(Row::new(label, cells).head());
        if let Some(km) = &sv.km {
            for (g, fit) in km.groups.iter().enumerate() {
                let gb = format!("{b}/km/groups/{g}");
                let mut cells = vec![
                    Cell::one(Fmt::Int, format!("{gb}/n"), cnt(fit.n)),
                    Cell::one(Fmt::Int, format!("{gb}/events"), cnt(fit.events)),
                    Cell::num(
                        Fmt::TimeCi(d),
                        vec![
                            (format!("{gb}/median"), fit.median),
                            (format!("{gb}/median_lower"), fit.median_lower),
                            (format!("{gb}/median_upper"), fit.median_upper),
                        ],
                    ),
                ];
                for t in &landmarks {
                    let hit = sv.landmarks.iter().enumerate().find_map(|(l, lm)| {
                        (lm.time == *t).then_some(())?;
                        let j = lm.rates.iter().position(|x| x.group == fit.group)?;
                        Some((l, j, &lm.rates[j]))
                    });
                    cells.push(match hit {
                        Some((l, j, rate)) => {
                            let rb = format!("{b}/landmarks/{l}/rates/{j}");
                            Cell::num(
                                Fmt::ProbCi,
                                vec![
                                    (format!("{rb}/survival"), rate.survival),
                                    (format!("{rb}/lower"), rate.lower),
                                    (format!("{rb}/upper"), rate.upper),
                                ],
                            )
                        }
                        None => Cell::text(DASH),
                    });
                }
                cells.push(Cell::empty());
                cells.push(Cell::empty());
                rows.push(Row::new(fit.group.clone(), cells).indent());
            }
        }
        if let Some(fu) = &sv.follow_up {
            let mut cells = vec![Cell::empty(), Cell::empty()];
            cells.push(Cell::num(
                Fmt::TimeCi(d),
                vec![
                    (format!("{b}/follow_up/median"), fu.median),
                    (format!("{b}/follow_up/median_lower"), fu.median_lower),
                    (format!("{b}/follow_up/median_upper"), fu.median_upper),
                ],
            ));
            cells.resize(ncols, Cell::empty());
            rows.push(Row::new("Median follow-up", cells).indent());
        }
    }
    Some(HTable {
        name: format!("survival-{}", super::slug(endpoint)),
        caption: format!(
            "{}: Kaplan-Meier medians and event-free percentages at the landmark times by {} \
             group, log-rank test and Cox hazard ratio.",
            first.label, r.settings.marker.name
        ),
        head: vec![head],
        rows,
        notes: vec![format!(
            "Medians with Brookmeyer-Crowley limits; NR: not reached. Percentages with {} \
             pointwise limits ({} scale); difference P: Wald test of the difference between \
             the groups at that time. Median follow-up by the reverse Kaplan-Meier method \
             (censoring as the event).",
            ci(r.settings.conf_level),
            r.settings.conf_type
        )],
    })
}

// ------------------------------------------------------------------- Cox

fn model_cells(model: Option<(&ModelFit, String)>, term: &str) -> [Cell; 2] {
    let Some((m, base)) = model else {
        return [Cell::empty(), Cell::empty()];
    };
    match m.fit.terms.iter().position(|t| t.term == term) {
        Some(j) => {
            let t = &m.fit.terms[j];
            let ok = t.status == TermStatus::Estimated;
            let b = format!("{base}/terms/{j}");
            [
                Cell::num(
                    Fmt::RatioCi,
                    vec![
                        (format!("{b}/hr"), t.hr.filter(|_| ok)),
                        (format!("{b}/hr_lower"), t.hr_lower.filter(|_| ok)),
                        (format!("{b}/hr_upper"), t.hr_upper.filter(|_| ok)),
                    ],
                ),
                p_cell(format!("{b}/p"), t.p.filter(|_| ok)),
            ]
        }
        None => [Cell::text(DASH), Cell::empty()],
    }
}

/// The univariate and multivariable Cox models side by side (the seed
/// paper's Table 1, laid out as gtsummary's merged tables).
pub(crate) fn cox_table(
    r: &StudyResults,
    ui: usize,
    u: &UnivariateAnalysis,
    mv: Option<(usize, &MultivariableAnalysis)>,
    label: &str,
) -> HTable {
    let ub = format!("/univariate/{ui}");
    let sel = mv.and_then(|(i, m)| {
        m.model
            .as_ref()
            .map(|x| (x, format!("/multivariable/{i}/model")))
    });
    let full = mv.and_then(|(i, m)| {
        m.full_model
            .as_ref()
            .map(|x| (x, format!("/multivariable/{i}/full_model")))
    });
    let method = mv.map_or("none", |(_, m)| m.method.as_str());
    let cl = ci(r.settings.conf_level);
    let mut head1 = vec![Cell::text("Characteristic"), Cell::text("N").rows(2)];
    head1.push(Cell::text("Univariable").span(2));
    if sel.is_some() {
        head1.push(Cell::text(format!("Multivariable, selected ({method})")).span(2));
    }
    if full.is_some() {
        head1.push(Cell::text("Multivariable, all candidates").span(2));
    }
    let mut head2 = Vec::new();
    let blocks = 1 + usize::from(sel.is_some()) + usize::from(full.is_some());
    for _ in 0..blocks {
        head2.push(Cell::text(format!("HR ({cl})")));
        head2.push(Cell::text("P"));
    }
    let label_of = |term: &str| {
        u.labels
            .iter()
            .find(|l| l.term == term)
            .map_or_else(|| term.to_string(), |l| l.label.clone())
    };
    let mut rows = Vec::new();
    let mut i = 0;
    while i < u.rows.len() {
        let row = &u.rows[i];
        let rb = format!("{ub}/rows/{i}");
        let flabel = label_of(&row.term);
        let factor_row = row.df > 1 && row.term == row.factor && row.hr.is_none();
        let mut cells = vec![Cell::one(Fmt::Int, format!("{rb}/n"), ucnt(row.n))];
        if factor_row {
            cells.push(Cell::empty());
            cells.push(p_cell(format!("{rb}/p_wald"), row.p_wald));
            for _ in 1..blocks {
                cells.push(Cell::empty());
                cells.push(Cell::empty());
            }
            rows.push(Row::new(flabel.clone(), cells).head());
            i += 1;
            while i < u.rows.len() && u.rows[i].factor == row.factor {
                let c = &u.rows[i];
                let cb = format!("{ub}/rows/{i}");
                let ok = c.status == TermStatus::Estimated;
                let mut cells = vec![
                    Cell::empty(),
                    Cell::num(
                        Fmt::RatioCi,
                        vec![
                            (format!("{cb}/hr"), c.hr.filter(|_| ok)),
                            (format!("{cb}/hr_lower"), c.hr_lower.filter(|_| ok)),
                            (format!("{cb}/hr_upper"), c.hr_upper.filter(|_| ok)),
                        ],
                    ),
                    p_cell(format!("{cb}/p_wald"), c.p_wald.filter(|_| ok)),
                ];
                if let Some(s) = &sel {
                    cells.extend(model_cells(Some((s.0, s.1.clone())), &c.term));
                }
                if let Some(f) = &full {
                    cells.extend(model_cells(Some((f.0, f.1.clone())), &c.term));
                }
                rows.push(Row::new(level_label(&label_of(&c.term), &flabel), cells).indent());
                i += 1;
            }
        } else {
            let ok = row.status == TermStatus::Estimated;
            cells.push(Cell::num(
                Fmt::RatioCi,
                vec![
                    (format!("{rb}/hr"), row.hr.filter(|_| ok)),
                    (format!("{rb}/hr_lower"), row.hr_lower.filter(|_| ok)),
                    (format!("{rb}/hr_upper"), row.hr_upper.filter(|_| ok)),
                ],
            ));
            cells.push(p_cell(format!("{rb}/p_wald"), row.p_wald.filter(|_| ok)));
            if let Some(s) = &sel {
                cells.extend(model_cells(Some((s.0, s.1.clone())), &row.term));
            }
            if let Some(f) = &full {
                cells.extend(model_cells(Some((f.0, f.1.clone())), &row.term));
            }
            rows.push(Row::new(flabel.clone(), cells).head());
            i += 1;
        }
        // a Firth refit of this factor
        if let Some(k) = u.firth.iter().position(|f| f.factor == row.factor) {
            let fm = &u.firth[k].model;
            for (j, t) in fm.fit.terms.iter().enumerate() {
                let tb = format!("{ub}/firth/{k}/model/terms/{j}");
                let mut cells = vec![
                    Cell::empty(),
                    Cell::num(
                        Fmt::RatioCi,
                        vec![
                            (format!("{tb}/hr"), t.hr),
                            (format!("{tb}/hr_lower"), t.hr_lower),
                            (format!("{tb}/hr_upper"), t.hr_upper),
                        ],
                    ),
                    p_cell(format!("{tb}/p"), t.p),
                ];
                for _ in 1..blocks {
                    cells.push(Cell::empty());
                    cells.push(Cell::empty());
                }
                rows.push(Row::new(format!("{} (Firth)", label_of(&t.term)), cells).indent());
            }
        }
    }
    // model summaries
    let mut summary: Vec<(String, Vec<Cell>)> = Vec::new();
    let mut pat = vec![Cell::empty(), Cell::empty(), Cell::empty()];
    let mut lr = vec![Cell::empty(), Cell::empty(), Cell::empty()];
    let mut conc = vec![Cell::empty(), Cell::empty(), Cell::empty()];
    for (m, base) in [&sel, &full].into_iter().flatten() {
        pat.push(Cell::num(
            Fmt::NEvents,
            vec![
                (format!("{base}/n"), ucnt(m.fit.n)),
                (format!("{base}/events"), ucnt(m.fit.events)),
            ],
        ));
        pat.push(Cell::empty());
        lr.push(Cell::one(
            Fmt::Fixed(2),
            format!("{base}/tests/likelihood_ratio/statistic"),
            Some(m.fit.tests.likelihood_ratio.statistic),
        ));
        lr.push(p_cell(
            format!("{base}/tests/likelihood_ratio/p"),
            Some(m.fit.tests.likelihood_ratio.p),
        ));
        conc.push(Cell::one(
            Fmt::Fixed(2),
            format!("{base}/concordance"),
            m.fit.concordance,
        ));
        conc.push(Cell::empty());
    }
    if blocks > 1 {
        summary.push(("Patients (events)".into(), pat));
        summary.push(("Likelihood-ratio test: chi-square, P".into(), lr));
        summary.push(("Concordance (Harrell's C)".into(), conc));
        rows.push(Row::new("Model", vec![Cell::empty(); 1 + 2 * blocks]).head());
        for (l, c) in summary {
            rows.push(Row::new(l, c).indent());
        }
    }
    let mut notes = vec![format!(
        "HR: hazard ratio with Wald {cl}; P: Wald test (for a factor of several levels, on its \
         own row, the Wald test of all its levels). Univariable: one Cox model per factor on \
         the patients with a value (N). Ties: {}. —: not in the model.",
        r.settings.ties
    )];
    if let Some((_, m)) = mv {
        if m.candidates_rule == "univariate" {
            notes.push(format!(
                "Candidates for selection: factors with a univariate likelihood-ratio P below \
                 {}; {} left out.",
                r.spec.selection.screen_p,
                m.screened_out.len()
            ));
        }
        if let Some(s) = &m.selection {
            notes.push(format!(
                "Selection: {} (entry by the score test at {}, removal by the Wald test at \
                 {}{}).",
                m.method,
                s.entry,
                s.stay,
                if s.include.is_empty() {
                    String::new()
                } else {
                    format!("; always in: {}", s.include.join(", "))
                }
            ));
        }
    }
    HTable {
        name: format!(
            "cox-{}-{}",
            super::slug(&u.endpoint),
            super::slug(&u.cohort)
        ),
        caption: format!(
            "Cox models for {label}{}: univariable and multivariable hazard ratios side by side.",
            super::figures::cohort_words(r, &u.cohort)
        ),
        head: vec![head1, head2],
        rows,
        notes,
    }
}

/// The selection steps (and the candidates screened out).
pub(crate) fn selection_table(
    mi: usize,
    m: &MultivariableAnalysis,
    label_of: &dyn Fn(&str) -> String,
    title: &str,
) -> Option<HTable> {
    let s = m.selection.as_ref()?;
    let b = format!("/multivariable/{mi}");
    let mut rows = Vec::new();
    for (k, so) in m.screened_out.iter().enumerate() {
        rows.push(Row::new(
            label_of(&so.factor),
            vec![
                text("screened out"),
                text("univariate likelihood ratio"),
                Cell::empty(),
                Cell::empty(),
                p_cell(format!("{b}/screened_out/{k}/p"), so.p),
            ],
        ));
    }
    for (k, st) in s.steps.iter().enumerate() {
        let sb = format!("{b}/selection/steps/{k}");
        let action = match st.action {
            oncomark_survival::select::StepAction::Enter => "entered",
            oncomark_survival::select::StepAction::Remove => "removed",
        };
        let test = match st.test {
            oncomark_survival::select::StepTest::Score => "score",
            _ => "Wald",
        };
        rows.push(Row::new(
            label_of(&st.term),
            vec![
                Cell::one(Fmt::Int, format!("{sb}/step"), ucnt(st.step))
                    .prefix("step ")
                    .class(""),
                text(&format!("{action} ({test} test)")),
                Cell::one(Fmt::Fixed(2), format!("{sb}/statistic"), Some(st.statistic)),
                Cell::one(Fmt::Int, format!("{sb}/df"), ucnt(st.df)),
                p_cell(format!("{sb}/p"), Some(st.p)),
            ],
        ));
    }
    let stop = match s.stop_reason {
        oncomark_survival::select::StopReason::NoEntry => "no other candidate met the entry level",
        oncomark_survival::select::StopReason::AllStay => "every term met the stay level",
        oncomark_survival::select::StopReason::AllEntered => "every candidate entered",
        oncomark_survival::select::StopReason::Cycle => {
            "the next step would have returned to a model already visited"
        }
    };
    Some(HTable {
        name: format!(
            "selection-{}-{}",
            super::slug(&m.endpoint),
            super::slug(&m.cohort)
        ),
        caption: format!("Variable selection for {title}."),
        head: vec![vec![
            Cell::text("Term"),
            Cell::text("Step"),
            Cell::text("Action"),
            Cell::text("Chi-square"),
            Cell::text("df"),
            Cell::text("P"),
        ]],
        rows,
        notes: vec![format!(
            "{} selection (SAS PHREG rules): entry when the score test P is below {}, removal \
             when the Wald P is above {}. Stopped because {stop}.",
            m.method, s.entry, s.stay
        )],
    })
}

/// Proportional-hazards tests of the selected and full models; the terms
/// with P < 0.05 are returned as warnings.
pub(crate) fn zph_table(
    mi: usize,
    m: &MultivariableAnalysis,
    label_of: &dyn Fn(&str) -> String,
    title: &str,
) -> Option<(HTable, Vec<String>)> {
    let b = format!("/multivariable/{mi}");
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for (key, name, z) in [
        ("zph", "Selected model", &m.zph),
        ("full_zph", "Model of every candidate", &m.full_zph),
    ] {
        let Some(z) = z else { continue };
        rows.push(Row::new(name, vec![Cell::empty(), Cell::empty(), Cell::empty()]).head());
        for (k, t) in z.terms.iter().enumerate() {
            let tb = format!("{b}/{key}/terms/{k}");
            let mut pc = p_cell(format!("{tb}/p"), Some(t.p));
            if t.p < 0.05 {
                pc = pc.class("warn");
                warnings.push(format!(
                    "{title}, {}: the proportional-hazards test of {} gives {} (chi-square {:.2}, \
                     {} df): its hazard ratio varies with time, so the single HR is an average \
                     over follow-up.",
                    name.to_lowercase(),
                    label_of(&t.term),
                    crate::format::p_label(t.p),
                    t.chisq,
                    t.df
                ));
            }
            rows.push(
                Row::new(
                    label_of(&t.term),
                    vec![
                        Cell::one(Fmt::Fixed(2), format!("{tb}/chisq"), Some(t.chisq)),
                        Cell::one(Fmt::Int, format!("{tb}/df"), ucnt(t.df)),
                        pc,
                    ],
                )
                .indent(),
            );
        }
        let mut pc = p_cell(format!("{b}/{key}/global/p"), Some(z.global.p));
        if z.global.p < 0.05 {
            pc = pc.class("warn");
            warnings.push(format!(
                "{title}, {}: the global proportional-hazards test gives {}.",
                name.to_lowercase(),
                crate::format::p_label(z.global.p)
            ));
        }
        rows.push(
            Row::new(
                "Global",
                vec![
                    Cell::one(
                        Fmt::Fixed(2),
                        format!("{b}/{key}/global/chisq"),
                        Some(z.global.chisq),
                    ),
                    Cell::one(Fmt::Int, format!("{b}/{key}/global/df"), ucnt(z.global.df)),
                    pc,
                ],
            )
            .indent(),
        );
    }
    if rows.is_empty() {
        return None;
    }
    let transform = m
        .zph
        .as_ref()
        .or(m.full_zph.as_ref())
        .map(|z| format!("{:?}", z.transform).to_lowercase())
        .unwrap_or_default();
    Some((
        HTable {
            name: format!(
                "zph-{}-{}",
                super::slug(&m.endpoint),
                super::slug(&m.cohort)
            ),
            caption: format!(
                "Proportional-hazards tests for {title} (Grambsch & Therneau score test of the \
                 scaled Schoenfeld residuals, as R cox.zph; time transform: {transform})."
            ),
            head: vec![vec![
                Cell::text("Term"),
                Cell::text("Chi-square"),
                Cell::text("df"),
                Cell::text("P"),
            ]],
            rows,
            notes: vec!["P < 0.05 (in colour) suggests non-proportional hazards.".into()],
        },
        warnings,
    ))
}

// ------------------------------------------------------------ interaction

/// Treatment effect within marker groups, the interaction test, and the
/// marker effect within arms.
pub(crate) fn interaction_table(
    r: &StudyResults,
    k: usize,
    ia: &InteractionAnalysis,
    label: &str,
) -> HTable {
    let b = format!("/interaction/{k}");
    let cl = ci(r.settings.conf_level);
    let marker = &r.settings.marker.name;
    let mut rows = Vec::new();
    let row = |label: String, cells: Vec<Cell>| Row::new(label, cells).indent();
    if let Some(res) = &ia.result {
        for (key, title, test) in [
            ("within", "from the interaction model", "Wald"),
            ("separate", "from separate Cox models", "LR"),
        ] {
            let list = if key == "within" {
                &res.within
            } else {
                &res.separate
            };
            rows.push(
                Row::new(
                    format!("{} effect within {marker} group, {title}", ia.treatment),
                    vec![],
                )
                .head(),
            );
            for (j, w) in list.iter().enumerate() {
                let wb = format!("{b}/result/{key}/{j}");
                let ok = w.status == TermStatus::Estimated;
                let (p, pp) = if key == "within" {
                    (w.p, format!("{wb}/p"))
                } else {
                    (w.p_lr, format!("{wb}/p_lr"))
                };
                rows.push(row(
                    format!("{marker} {}", w.level),
                    vec![
                        Cell::one(Fmt::Int, format!("{wb}/n"), ucnt(w.n)),
                        Cell::one(Fmt::Int, format!("{wb}/events"), ucnt(w.events)),
                        Cell::num(
                            Fmt::RatioCi,
                            vec![
                                (format!("{wb}/hr"), w.hr.filter(|_| ok)),
                                (format!("{wb}/hr_lower"), w.hr_lower.filter(|_| ok)),
                                (format!("{wb}/hr_upper"), w.hr_upper.filter(|_| ok)),
                            ],
                        ),
                        p_cell(pp, p.filter(|_| ok)),
                        text(test),
                    ],
                ));
            }
        }
        rows.push(Row::new("Treatment-by-marker interaction", vec![]).head());
        for (key, test) in [("interaction_lr", "LR"), ("interaction_wald", "Wald")] {
            let t = if key == "interaction_lr" {
                &res.interaction_lr
            } else {
                &res.interaction_wald
            };
            rows.push(row(
                format!("{} × {marker}", ia.treatment),
                vec![
                    Cell::one(Fmt::Int, format!("{b}/result/n"), ucnt(res.n)),
                    Cell::one(Fmt::Int, format!("{b}/result/events"), ucnt(res.events)),
                    Cell::empty(),
                    p_cell(format!("{b}/result/{key}/p"), Some(t.p)),
                    text(test),
                ],
            ));
        }
    }
    if !ia.marker_by_arm.is_empty() {
        rows.push(
            Row::new(
                format!(
                    "{marker} {} within arm",
                    contrast(&r.settings.marker.groups).unwrap_or_default()
                ),
                vec![],
            )
            .head(),
        );
        for (j, a) in ia.marker_by_arm.iter().enumerate() {
            let ab = format!("{b}/marker_by_arm/{j}");
            let (hr, p) = match &a.hazard_ratio {
                Some(t) => {
                    let ok = t.status == TermStatus::Estimated;
                    (
                        Cell::num(
                            Fmt::RatioCi,
                            vec![
                                (format!("{ab}/hazard_ratio/hr"), t.hr.filter(|_| ok)),
                                (
                                    format!("{ab}/hazard_ratio/hr_lower"),
                                    t.hr_lower.filter(|_| ok),
                                ),
                                (
                                    format!("{ab}/hazard_ratio/hr_upper"),
                                    t.hr_upper.filter(|_| ok),
                                ),
                            ],
                        ),
                        p_cell(format!("{ab}/hazard_ratio/p"), t.p.filter(|_| ok)),
                    )
                }
                None => (Cell::text(DASH), Cell::empty()),
            };
            rows.push(row(
                a.arm.clone(),
                vec![
                    Cell::one(Fmt::Int, format!("{ab}/n"), ucnt(a.n)),
                    Cell::one(Fmt::Int, format!("{ab}/events"), ucnt(a.events)),
                    hr,
                    p,
                    text("Wald"),
                ],
            ));
            if let Some(l) = &a.logrank {
                rows.push(row(
                    format!("{}: log-rank", a.arm),
                    vec![
                        Cell::empty(),
                        Cell::empty(),
                        Cell::empty(),
                        p_cell(format!("{ab}/logrank/p"), Some(l.p)),
                        text("log-rank"),
                    ],
                ));
            }
        }
    }
    HTable {
        name: format!("interaction-{}", super::slug(&ia.endpoint)),
        caption: format!(
            "{label}: is {marker} predictive of the {} effect (treatment-by-marker \
             interaction), and prognostic within each arm?",
            ia.treatment
        ),
        head: vec![vec![
            Cell::text("Subgroup"),
            Cell::text("Patients"),
            Cell::text("Events"),
            Cell::text(format!("HR ({cl})")),
            Cell::text("P"),
            Cell::text("Test"),
        ]],
        rows,
        notes: vec![format!(
            "Treatment effect: {} vs {}. Interaction model: h(t) = h0(t) exp(b1 T + g M + b3 \
             T×M) over both arms; a small interaction P means the treatment effect differs \
             between the marker groups. LR: likelihood-ratio test.",
            ia.treated, ia.control
        )],
    }
}
