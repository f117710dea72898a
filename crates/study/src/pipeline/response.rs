//! Response by marker group (the seed paper's Table 2) and the waterfall
//! data.
//!
//! Each row is a 2x2 table, positive group first, outcome yes/no, tested
//! with Fisher's exact test (R `fisher.test`; the odds ratio is the
//! conditional MLE of the odds of the outcome in the positive group over
//! the negative group). Percents of response rows are of the patients with
//! a best response; "progression before T" counts patients whose event of
//! the chosen endpoint came before T among patients with a time (a patient
//! censored before T counts as not progressing before T, as a crude
//! proportion does; the Kaplan-Meier landmark rates of the survival
//! analysis account for censoring).

use super::describe::{percent, table_test, two_by_two};
use super::load::Patient;
use crate::response::Response;
use crate::results::{LevelRow, ResponseAnalysis, ResponseRow, WaterfallEntry};

/// Settings of the response table.
pub(crate) struct ResponseSettings<'a> {
    pub source: &'a str,
    pub criteria: Option<String>,
    pub confirm: bool,
    /// Endpoint index, its name and the time of the early-progression row.
    pub early: Option<(usize, String, f64)>,
    pub unit: &'a str,
}

fn row(
    key: &str,
    label: String,
    yes: [u64; 2],
    denom: [u64; 2],
    notes: &mut Vec<String>,
) -> ResponseRow {
    let t = [[yes[1], denom[1] - yes[1]], [yes[0], denom[0] - yes[0]]];
    let test = match two_by_two(t) {
        Ok(t) => Some(t),
        Err(e) => {
            notes.push(format!("{label}: no test ({e})"));
            None
        }
    };
    ResponseRow {
        row: key.to_string(),
        label,
        counts: yes.to_vec(),
        denominators: denom.to_vec(),
        percents: (0..2).map(|g| percent(yes[g], denom[g])).collect(),
        test,
    }
}

pub(crate) fn response_analysis(
    cohort: &str,
    groups: &[String; 2],
    patients: &[&Patient],
    s: &ResponseSettings<'_>,
) -> ResponseAnalysis {
    let g = |p: &Patient| usize::from(p.positive);
    let mut n = [0u64; 2];
    let mut assessed = [0u64; 2];
    let mut cat = [[0u64; 2]; 5];
    for p in patients {
        n[g(p)] += 1;
        if let Some((r, _)) = p.response {
            assessed[g(p)] += 1;
            let i = Response::ALL.iter().position(|x| *x == r).unwrap_or(4);
            cat[i][g(p)] += 1;
        }
    }
    let mut notes = Vec::new();
    let best_response: Vec<LevelRow> = Response::ALL
        .iter()
        .zip(&cat)
        .map(|(r, c)| LevelRow {
            level: r.abbreviation().to_string(),
            counts: c.to_vec(),
            percents: (0..2).map(|i| percent(c[i], assessed[i])).collect(),
            total: c[0] + c[1],
        })
        .collect();
    let table: Vec<Vec<u64>> = cat.iter().map(|c| c.to_vec()).collect();
    let overall_test = match table_test(&table) {
        Ok(mut t) => {
            t.odds_ratio = None;
            t.lower = None;
            t.upper = None;
            Some(t)
        }
        Err(e) => {
            notes.push(format!("best response by group: {e}"));
            None
        }
    };
    let mut rows = Vec::new();
    let orr = [cat[0][0] + cat[1][0], cat[0][1] + cat[1][1]];
    rows.push(row(
        "objective_response",
        "Objective response (CR + PR)".into(),
        orr,
        assessed,
        &mut notes,
    ));
    for (i, r) in Response::ALL.iter().enumerate() {
        if *r == Response::Ne && cat[4] == [0, 0] {
            continue;
        }
        let label = match r {
            Response::Cr => "Complete response",
            Response::Pr => "Partial response",
            Response::Sd => "Stable disease",
            Response::Pd => "Progressive disease",
            Response::Ne => "Not evaluable",
        };
        rows.push(row(
            &r.abbreviation().to_ascii_lowercase(),
            format!("{label} ({})", r.abbreviation()),
            cat[i],
            assessed,
            &mut notes,
        ));
    }
    if let Some((k, name, t)) = &s.early {
        let mut early = [0u64; 2];
        let mut never = [0u64; 2];
        let mut with_time = [0u64; 2];
        for p in patients {
            if let Some((time, event)) = p.ends[*k] {
                with_time[g(p)] += 1;
                if event && time < *t {
                    early[g(p)] += 1;
                }
                if !event {
                    never[g(p)] += 1;
                }
            }
        }
        rows.push(row(
            "early_progression",
            format!("Progression < {t} {} ({name})", s.unit),
            early,
            with_time,
            &mut notes,
        ));
        rows.push(row(
            "no_progression",
            format!("No progression ({name} censored)"),
            never,
            with_time,
            &mut notes,
        ));
    }
    let mut waterfall: Vec<WaterfallEntry> = patients
        .iter()
        .filter_map(|p| {
            p.response.map(|(r, change)| WaterfallEntry {
                id: p.id.clone(),
                group: groups[g(p)].clone(),
                best_response: r,
                best_percent_change: change,
            })
        })
        .collect();
    waterfall.sort_by(
        |a, b| match (a.best_percent_change, b.best_percent_change) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        },
    );
    let not_assessed = n[0] + n[1] - assessed[0] - assessed[1];
    if not_assessed > 0 {
        notes.push(format!(
            "{not_assessed} patient(s) without a response assessment are left out of the response rows"
        ));
    }
    ResponseAnalysis {
        cohort: cohort.to_string(),
        source: s.source.to_string(),
        criteria: s.criteria.clone(),
        confirm: s.confirm,
        groups: groups.to_vec(),
        n: n.iter().map(|&x| x as usize).collect(),
        assessed: assessed.iter().map(|&x| x as usize).collect(),
        best_response,
        overall_test,
        rows,
        waterfall,
        notes,
    }
}
