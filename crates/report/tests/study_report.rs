//! The study report (`oncomark_report::study`) on the two studies of
//! `oncomark demo`, run through the study crate's public pipeline:
//!
//! - the seed paper's design (Cancer Res 2009, beta1-integrin and
//!   trastuzumab) on the simulated cohort of seed 2009
//!   (`oncomark_study::simulate::simulate_paper_cohort`, the spec of
//!   `templates::paper_spec`);
//! - GBSG2 (examples/study/gbsg2.toml on examples/gbsg2.csv, R's
//!   TH.data::GBSG2).
//!
//! The expected values are the results themselves: the report must print
//! exactly what `results.json` holds (every table cell is traced to its
//! values by JSON pointer and re-formatted), and the numbers at risk must be
//! the recorded Kaplan-Meier fits at the ticks. The statistics behind the
//! results are checked against R in the study and survival crates.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use oncomark_report::format::{format_p, format_ratio_ci};
use oncomark_report::study::{
    format_cell, render, render_report, Fmt, RemarkStatus, RenderOptions, StudyReport,
};
use oncomark_study::pipeline::{run, RunMeta};
use oncomark_study::results::StudyResults;
use oncomark_study::simulate::simulate_paper_cohort;
use oncomark_study::spec::{check_file, templates};
use serde_json::Value;

use common::svgcheck;

/// The seed of `oncomark demo` and of the study crate's fixtures.
const SEED: u64 = 2009;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn meta() -> RunMeta {
    RunMeta {
        command_line: vec!["oncomark".into(), "demo".into()],
        created_utc: "2000-01-01T00:00:00Z".into(),
    }
}

fn paper() -> &'static StudyResults {
    static R: OnceLock<StudyResults> = OnceLock::new();
    R.get_or_init(|| {
        let s = simulate_paper_cohort(SEED);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("patients.csv"), s.patients_csv()).unwrap();
        std::fs::write(dir.path().join("ihc.csv"), s.ihc_csv()).unwrap();
        std::fs::write(dir.path().join("lesions.csv"), s.lesions_csv()).unwrap();
        std::fs::write(dir.path().join("study.toml"), templates::paper_spec(SEED)).unwrap();
        let c = check_file(&dir.path().join("study.toml")).unwrap_or_else(|e| panic!("{e}"));
        run(&c, &meta()).unwrap()
    })
}

fn gbsg2() -> &'static StudyResults {
    static R: OnceLock<StudyResults> = OnceLock::new();
    R.get_or_init(|| {
        let c =
            check_file(&root().join("examples/study/gbsg2.toml")).unwrap_or_else(|e| panic!("{e}"));
        run(&c, &meta()).unwrap()
    })
}

fn studies() -> [(&'static str, &'static StudyResults); 2] {
    [("paper", paper()), ("gbsg2", gbsg2())]
}

fn report(r: &StudyResults) -> StudyReport {
    render_report(r, &RenderOptions::default()).unwrap()
}

fn parse(html: &str) -> roxmltree::Document<'_> {
    let opt = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(html, opt)
        .unwrap_or_else(|e| panic!("index.html is not well-formed XML: {e}"))
}

/// All text under a node.
fn text_of(n: roxmltree::Node<'_, '_>) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// The value a pointer names: a number, `null` (missing) or an array
/// (its number of entries).
fn value_at(json: &Value, ptr: &str) -> Option<f64> {
    match json.pointer(ptr) {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::Null) => None,
        Some(Value::Array(a)) => Some(a.len() as f64),
        other => panic!("pointer {ptr} names {other:?}, not a number, null or list"),
    }
}

/// Checks every cell that names its source; returns how many there were.
fn check_sources(name: &str, html: &str, json: &Value) -> usize {
    let doc = parse(html);
    let mut checked = 0;
    for n in doc.descendants().filter(|n| n.has_attribute("data-src")) {
        let fmt_name = n.attribute("data-fmt").expect("data-fmt next to data-src");
        let fmt = Fmt::parse(fmt_name).unwrap_or_else(|| panic!("unknown format {fmt_name}"));
        let ptrs: Vec<&str> = n.attribute("data-src").unwrap().split(' ').collect();
        assert_eq!(ptrs.len(), fmt.arity(), "{name}: {ptrs:?} for {fmt_name}");
        let values: Vec<Option<f64>> = ptrs.iter().map(|p| value_at(json, p)).collect();
        let got = text_of(n);
        // serde_json writes an infinite number (the upper limit of an odds
        // ratio with an empty cell) as null: such a null may print as ∞
        let nulls: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_none()).collect();
        let matches = (0..1u32 << nulls.len()).any(|mask| {
            let mut v = values.clone();
            for (b, &i) in nulls.iter().enumerate() {
                if mask & (1 << b) != 0 {
                    v[i] = Some(f64::INFINITY);
                }
            }
            format_cell(fmt, &v) == got
        });
        assert!(
            matches,
            "{name}: cell {ptrs:?} ({fmt_name}) prints {got:?}, results.json gives {:?}",
            format_cell(fmt, &values)
        );
        checked += 1;
    }
    // no number in a table body escapes the check: every digit of a data
    // cell is inside an element that names its source
    for td in doc.descendants().filter(|n| n.has_tag_name("td")) {
        if td
            .ancestors()
            .any(|a| a.attribute("data-table") == Some("provenance"))
            || td
                .ancestors()
                .any(|a| a.attribute("data-table") == Some("remark"))
        {
            continue;
        }
        let unsourced: String = td
            .descendants()
            .filter(|d| d.is_text())
            .filter(|d| {
                !d.ancestors()
                    .take_while(|a| *a != td.parent().unwrap())
                    .any(|a| a.has_attribute("data-src"))
            })
            .filter_map(|d| d.text())
            .collect();
        assert!(
            !unsourced.chars().any(|c| c.is_ascii_digit()),
            "{name}: a table cell prints a number without its source: {:?}",
            text_of(td)
        );
    }
    checked
}

#[test]
fn every_table_number_is_the_value_of_results_json_it_names() {
    for (name, r) in studies() {
        let rep = report(r);
        let json = serde_json::to_value(r).unwrap();
        let n = check_sources(name, &rep.html, &json);
        // the paper's report has several hundred numbers in its tables
        let min = if name == "paper" { 600 } else { 150 };
        assert!(n >= min, "{name}: only {n} sourced cells");
    }
}

/// The cell whose sources are exactly `ptrs`.
fn cell<'a>(doc: &'a roxmltree::Document<'a>, ptrs: &[String]) -> String {
    let want = ptrs.join(" ");
    let n = doc
        .descendants()
        .find(|n| n.attribute("data-src") == Some(want.as_str()))
        .unwrap_or_else(|| panic!("no cell shows {want}"));
    text_of(n)
}

#[test]
fn table_2_and_table_1_rows_print_the_results_fields() {
    // independent of format_cell: built from the struct with the journal
    // formatters
    let r = paper();
    let rep = report(r);
    let doc = parse(&rep.html);
    let ra = &r.response[0];
    assert_eq!(ra.cohort, "trastuzumab");
    let orr = ra
        .rows
        .iter()
        .position(|x| x.row == "objective_response")
        .unwrap();
    let row = &ra.rows[orr];
    for g in 0..2 {
        let b = format!("/response/0/rows/{orr}");
        let got = cell(
            &doc,
            &[
                format!("{b}/counts/{g}"),
                format!("{b}/denominators/{g}"),
                format!("{b}/percents/{g}"),
            ],
        );
        let want = format!(
            "{}/{} ({:.0}%)",
            row.counts[g],
            row.denominators[g],
            row.percents[g].unwrap()
        );
        assert_eq!(got, want);
    }
    let t = row.test.as_ref().unwrap();
    assert_eq!(
        cell(&doc, &[format!("/response/0/rows/{orr}/test/p")]),
        format_p(t.p)
    );
    // the marker's univariate and multivariable hazard ratios (Table 1)
    let u = &r.univariate[0];
    let k = u
        .rows
        .iter()
        .position(|x| x.term == r.settings.marker.name)
        .unwrap();
    let ur = &u.rows[k];
    let b = format!("/univariate/0/rows/{k}");
    assert_eq!(
        cell(
            &doc,
            &[
                format!("{b}/hr"),
                format!("{b}/hr_lower"),
                format!("{b}/hr_upper")
            ]
        ),
        format_ratio_ci(ur.hr, ur.hr_lower, ur.hr_upper)
    );
    assert_eq!(
        cell(&doc, &[format!("{b}/p_wald")]),
        format_p(ur.p_wald.unwrap())
    );
    let m = r
        .multivariable
        .iter()
        .position(|m| m.cohort == u.cohort && m.endpoint == u.endpoint)
        .unwrap();
    let model = r.multivariable[m].model.as_ref().unwrap();
    let j = model
        .fit
        .terms
        .iter()
        .position(|t| t.term == r.settings.marker.name)
        .unwrap();
    let t = &model.fit.terms[j];
    let b = format!("/multivariable/{m}/model/terms/{j}");
    assert_eq!(
        cell(
            &doc,
            &[
                format!("{b}/hr"),
                format!("{b}/hr_lower"),
                format!("{b}/hr_upper")
            ]
        ),
        format_ratio_ci(t.hr, t.hr_lower, t.hr_upper)
    );
    // the median rows of Table 2: the Kaplan-Meier medians of the fits
    let s = r
        .survival
        .iter()
        .position(|s| s.cohort == "trastuzumab" && s.endpoint == "ttp")
        .unwrap();
    for (g, fit) in r.survival[s].km.as_ref().unwrap().groups.iter().enumerate() {
        let b = format!("/survival/{s}/km/groups/{g}");
        let got = cell(
            &doc,
            &[
                format!("{b}/median"),
                format!("{b}/median_lower"),
                format!("{b}/median_upper"),
            ],
        );
        assert!(
            got.starts_with(&format!("{:.1} (", fit.median.unwrap())),
            "{got} vs {:?}",
            fit.median
        );
    }
    // the merged table has the gtsummary layout: a spanning heading per
    // model over HR (95% CI) and P
    let table = doc
        .descendants()
        .find(|n| n.attribute("data-table") == Some("cox-ttp-trastuzumab"))
        .unwrap();
    let heads: Vec<String> = table
        .descendants()
        .filter(|n| n.has_tag_name("th") && n.attribute("colspan") == Some("2"))
        .map(text_of)
        .collect();
    assert_eq!(heads[0], "Univariable");
    assert!(heads[1].starts_with("Multivariable"), "{heads:?}");
}

#[test]
fn every_p_value_names_its_test() {
    // characteristics and response tables: a Test column on every row
    // that has a P value
    let r = paper();
    let html = report(r).html;
    let doc = parse(&html);
    let mut rows = 0;
    for t in doc.descendants().filter(|n| {
        n.attribute("data-table")
            .is_some_and(|x| x.starts_with("characteristics") || x.starts_with("response"))
    }) {
        for tr in t.descendants().filter(|n| n.has_tag_name("tr")) {
            let tds: Vec<_> = tr.children().filter(|c| c.has_tag_name("td")).collect();
            let has_p = tds.iter().any(|td| td.attribute("data-fmt") == Some("p"));
            if has_p {
                let test = text_of(*tds.last().unwrap());
                assert!(
                    test.contains("Fisher")
                        || test.contains("Wilcoxon")
                        || test.contains("chi-square")
                        || test.contains("Kruskal")
                        || test.contains("Log-rank"),
                    "row {:?} has a P but names no test ({test:?})",
                    text_of(tr)
                );
                rows += 1;
            }
        }
    }
    assert!(rows > 20, "{rows}");
}

#[test]
fn figures_are_clean_svg_and_the_page_declares_them() {
    for (name, r) in studies() {
        let rep = report(r);
        assert!(!rep.figures.is_empty());
        let mut stems = BTreeSet::new();
        for f in &rep.figures {
            svgcheck::assert_clean(f.svg.as_str());
            assert!(
                stems.insert(f.name.clone()),
                "{name}: duplicate figure {}",
                f.name
            );
            assert!(
                f.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'),
                "{}",
                f.name
            );
        }
        let doc = parse(&rep.html);
        let main = doc.descendants().find(|n| n.has_tag_name("main")).unwrap();
        let declared: usize = main.attribute("data-svg-panels").unwrap().parse().unwrap();
        let inline = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "svg")
            .filter(|n| n.ancestors().any(|a| a.has_attribute("data-figure")))
            .count();
        assert_eq!(
            (declared, inline),
            (rep.figures.len(), rep.figures.len()),
            "{name}"
        );
        // each endpoint and cohort has its Kaplan-Meier figure
        assert_eq!(rep.km.len(), r.survival.len(), "{name}");
    }
    let names: Vec<String> = report(paper())
        .figures
        .into_iter()
        .map(|f| f.name)
        .collect();
    for want in [
        "flow",
        "km_ttp_trastuzumab",
        "km_os_chemotherapy",
        "forest_univariate_ttp_trastuzumab",
        "forest_multivariable_ttp_trastuzumab",
        "forest_interaction_ttp",
        "waterfall_trastuzumab_0-2",
        "landmarks_ttp_trastuzumab",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "no figure {want} in {names:?}"
        );
    }
}

#[test]
fn numbers_at_risk_are_the_fits_at_the_ticks() {
    for (name, r) in studies() {
        let rep = report(r);
        for info in &rep.km {
            let sv = r
                .survival
                .iter()
                .find(|s| s.cohort == info.cohort && s.endpoint == info.endpoint)
                .unwrap();
            let fits = &sv.km.as_ref().unwrap().groups;
            assert_eq!(info.at_risk.len(), fits.len());
            assert_eq!(info.ticks[0], 0.0);
            for (row, fit) in info.at_risk.iter().zip(fits) {
                assert_eq!(row.group, fit.group);
                assert_eq!(
                    row.counts,
                    fit.n_at_risk(&info.ticks),
                    "{name} {}",
                    info.name
                );
                // every patient is at risk at time 0
                assert_eq!(row.counts[0], fit.n, "{name} {}", info.name);
            }
            // and the figure prints those counts, row by row
            let fig = rep.figures.iter().find(|f| f.name == info.name).unwrap();
            let doc = svgcheck::parse(fig.svg.as_str());
            let printed: Vec<u32> = svgcheck::in_class(&doc, "at-risk", "text")
                .into_iter()
                .filter_map(|t| t.text().and_then(|s| s.parse().ok()))
                .collect();
            let want: Vec<u32> = info.at_risk.iter().flat_map(|r| r.counts.clone()).collect();
            assert_eq!(printed, want, "{name} {}", info.name);
        }
    }
}

#[test]
fn the_page_requests_nothing_and_runs_nothing() {
    for (name, r) in studies() {
        let html = report(r).html;
        let stripped = html.replace("http://www.w3.org/2000/svg", "");
        for bad in [
            "http:",
            "https:",
            "//",
            "<script",
            "<link",
            "<img",
            "<iframe",
            "url(",
            "@import",
            " src=",
            "href=\"http",
        ] {
            let hits = stripped.matches(bad).count();
            // "//" may appear in text only as part of nothing we write
            assert_eq!(hits, 0, "{name}: the page contains {bad:?}");
        }
        assert!(html.contains("Content-Security-Policy"));
        assert!(html.contains("default-src 'none'"));
        // internal links only
        let doc = parse(&html);
        for a in doc.descendants().filter(|n| n.has_tag_name("a")) {
            assert!(a.attribute("href").unwrap().starts_with('#'));
        }
    }
}

/// Patient identifiers the results hold (those with a letter: row numbers
/// cannot be told from other numbers).
fn ids(r: &StudyResults) -> Vec<String> {
    let mut v: Vec<String> = r
        .response
        .iter()
        .flat_map(|ra| ra.waterfall.iter().map(|w| w.id.clone()))
        .chain(r.ihc.iter().flat_map(|i| {
            i.discordant
                .iter()
                .chain(&i.straddling)
                .chain(&i.unresolved)
                .chain(&i.adjudicated)
                .cloned()
                .collect::<Vec<_>>()
        }))
        .filter(|id| id.chars().any(|c| c.is_ascii_alphabetic()))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn contains_word(hay: &str, w: &str) -> bool {
    hay.match_indices(w).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + w.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

#[test]
fn patient_ids_are_absent_unless_the_spec_asks_for_them() {
    let r = paper();
    assert!(!r.settings.show_ids);
    let ids = ids(r);
    assert!(ids.len() > 50, "{}", ids.len());
    let files = render(r, &RenderOptions::default()).unwrap();
    for f in &files {
        let text = String::from_utf8(f.bytes.clone()).unwrap();
        for id in &ids {
            assert!(
                !contains_word(&text, id),
                "{} shows patient id {id}",
                f.path
            );
        }
    }
    // a note naming a patient is redacted
    let mut with_note = r.clone();
    with_note
        .notes
        .push(format!("patient {} has a row in no table", ids[0]));
    let html = report(&with_note).html;
    assert!(!contains_word(&html, &ids[0]));
    assert!(html.contains("patient [id] has a row in no table"));
    // with show_ids the waterfall names its patients and the note is kept
    let mut shown = with_note.clone();
    shown.settings.show_ids = true;
    let rep = report(&shown);
    assert!(contains_word(&rep.html, &ids[0]));
    let wf = rep
        .figures
        .iter()
        .find(|f| f.name.starts_with("waterfall_"))
        .unwrap();
    let in_wf = ids
        .iter()
        .filter(|id| contains_word(wf.svg.as_str(), id))
        .count();
    assert!(in_wf > 10, "{in_wf}");
}

/// The HTML of the section with `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[test]
fn warnings_sit_next_to_their_results() {
    // the simulated paper cohort keeps one straddling case unadjudicated,
    // as the paper did ("for all but one, the discrepancy was resolved")
    let r = paper();
    assert_eq!(r.ihc.as_ref().unwrap().n_unresolved, 1);
    let rep = report(r);
    let ihc = section(&rep.html, "ihc");
    assert!(ihc.contains("class=\"warnings\""));
    assert!(ihc.contains("were not adjudicated"));
    // few expected events in the chemotherapy cohort's 3+ group (4 patients)
    let surv = section(&rep.html, "survival");
    assert!(surv.contains("events expected in group 3+"));
    assert!(rep
        .html
        .contains(&format!("{} warnings in this report", rep.warnings.len())));

    // a proportional-hazards violation and a model that did not converge
    let mut bad = r.clone();
    let m = bad
        .multivariable
        .iter_mut()
        .find(|m| m.zph.is_some())
        .unwrap();
    m.zph.as_mut().unwrap().terms[0].p = 0.012;
    let term = m.zph.as_ref().unwrap().terms[0].term.clone();
    bad.univariate[0].factors[1].converged = false;
    let factor = bad.univariate[0].factors[1].factor.clone();
    let rep = report(&bad);
    let cox = section(&rep.html, "cox");
    assert!(
        cox.contains("proportional-hazards test of") && cox.contains("P = 0.012"),
        "no PH warning for {term}"
    );
    assert!(cox.contains(&format!(
        "the univariate model of {} did not converge",
        oncomark_report::svg::escape(&factor)
    )));
    assert!(!section(&rep.html, "summary").contains("did not converge"));
}

#[test]
fn methods_are_written_from_what_the_run_recorded() {
    let r = paper();
    let methods = section(&report(r).html, "methods").to_string();
    for want in [
        "oncomark 0.1.0",
        "Efron",
        "log(−log) scale",
        "0.05 to enter and 0.05 to stay",
        "score test",
        "RECIST 1.0",
        "without confirmation",
        "Fisher&#39;s exact",
        "Wilcoxon rank-sum",
        "normal approximation with continuity correction",
        "months of 30.4375 days",
        "unweighted and linear-weighted",
        "ICC1, ICC2, ICC3, ICC1k, ICC2k and ICC3k",
        "cox.zph; km time transform",
        "likelihood-ratio test of the treatment-by-marker product",
    ] {
        assert!(methods.contains(want), "methods lack {want:?}:\n{methods}");
    }
    // other settings, other words
    let mut other = r.clone();
    other.settings.ties = "breslow".into();
    other.settings.conf_type = "plain".into();
    other.settings.conf_level = 0.9;
    let m2 = section(&report(&other).html, "methods").to_string();
    assert!(m2.contains("Breslow") && !m2.contains("Efron"));
    assert!(m2.contains("linear scale") && m2.contains("90%"));
    // GBSG2: no IHC, no response, a continuous marker with a fixed cutoff
    let g = section(&report(gbsg2()).html, "methods").to_string();
    assert!(!g.contains("kappa") && !g.contains("RECIST"));
    assert!(g.contains("cutoff was fixed in the specification"));
}

#[test]
fn the_remark_checklist_has_its_20_items_filled_from_the_run() {
    for (name, r) in studies() {
        let rep = report(r);
        let numbers: Vec<u8> = rep.remark.iter().map(|i| i.number).collect();
        assert_eq!(numbers, (1..=20).collect::<Vec<u8>>(), "{name}");
        let doc = parse(&rep.html);
        let table = doc
            .descendants()
            .find(|n| n.attribute("data-table") == Some("remark"))
            .unwrap();
        assert_eq!(
            table.descendants().filter(|n| n.has_tag_name("tr")).count(),
            21
        );
        let item = |k: u8| rep.remark[usize::from(k) - 1].status;
        assert_eq!(item(4), RemarkStatus::NotReported, "{name}");
        assert_eq!(item(12), RemarkStatus::Reported, "{name}");
        assert_eq!(item(19), RemarkStatus::Authors, "{name}");
    }
    // the assay item follows what was run: reader agreement for the paper
    let item5 = |r: &StudyResults| report(r).remark[4].status;
    assert_eq!(item5(paper()), RemarkStatus::Partly);
    assert_eq!(item5(gbsg2()), RemarkStatus::NotReported);
    // no multivariable model, no item 16
    let mut none = paper().clone();
    none.multivariable.clear();
    assert_eq!(report(&none).remark[15].status, RemarkStatus::NotReported);
}

#[test]
fn provenance_shows_hashes_command_line_and_version() {
    let r = paper();
    let html = report(r).html;
    let prov = section(&html, "provenance");
    assert!(prov.contains(&r.provenance.spec_sha256));
    for f in &r.provenance.inputs {
        assert!(prov.contains(&f.sha256), "{}", f.path);
    }
    assert!(prov.contains("oncomark demo"));
    assert!(prov.contains("2000-01-01T00:00:00Z"));
    assert!(prov.contains("<details>"));
}

#[test]
fn render_returns_the_page_and_one_file_per_figure() {
    let r = gbsg2();
    let files = render(r, &RenderOptions::default()).unwrap();
    assert_eq!(files[0].path, "index.html");
    let rep = report(r);
    assert_eq!(files.len(), 1 + rep.figures.len());
    for (f, fig) in files[1..].iter().zip(&rep.figures) {
        assert_eq!(f.path, format!("figures/{}.svg", fig.name));
        assert_eq!(f.bytes, fig.svg.as_str().as_bytes());
    }
    // the same results give the same bytes
    assert_eq!(files, render(r, &RenderOptions::default()).unwrap());
}

#[cfg(not(feature = "png"))]
#[test]
fn png_without_the_feature_is_a_clear_error() {
    let opts = RenderOptions {
        png: true,
        ..RenderOptions::default()
    };
    let err = render(gbsg2(), &opts).unwrap_err().to_string();
    assert!(err.contains("`png` feature"), "{err}");
}

#[cfg(feature = "png")]
#[test]
fn png_files_come_with_the_feature() {
    let opts = RenderOptions {
        png: true,
        ..RenderOptions::default()
    };
    let files = render(gbsg2(), &opts).unwrap();
    let pngs: Vec<_> = files.iter().filter(|f| f.path.ends_with(".png")).collect();
    let svgs = files.iter().filter(|f| f.path.ends_with(".svg")).count();
    assert_eq!(pngs.len(), svgs);
    assert!(pngs.iter().all(|f| f.bytes.starts_with(b"\x89PNG")));
}

#[test]
fn a_number_no_figure_can_draw_is_an_error_not_a_nan() {
    let mut bad = gbsg2().clone();
    bad.survival[0].landmarks[0].rates[0].survival = Some(f64::NAN);
    let err = render(&bad, &RenderOptions::default()).unwrap_err();
    assert!(err.to_string().contains("not finite"), "{err}");
}

/// Writes both reports under `ONCOMARK_REPORT_DIR` (for
/// scripts/browser-check.sh and for looking at them).
#[test]
fn writes_the_reports_when_asked() {
    let Some(dir) = std::env::var_os("ONCOMARK_REPORT_DIR") else {
        return;
    };
    for (name, r) in studies() {
        for f in render(r, &RenderOptions::default()).unwrap() {
            let p = PathBuf::from(&dir).join(name).join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f.bytes).unwrap();
        }
    }
}

#[test]
fn the_flow_diagram_shows_each_exclusion_stage_with_its_reasons() {
    use oncomark_study::results::{ExcludedPatient, ReasonCount};
    let mut r = paper().clone();
    let flow = r.flow.as_mut().unwrap();
    let stage = flow
        .excluded
        .iter_mut()
        .find(|s| s.stage == "dates")
        .unwrap();
    stage.n = 3;
    stage.reasons = vec![
        ReasonCount {
            reason: "progression before the start".into(),
            n: 2,
        },
        ReasonCount {
            reason: "no start date".into(),
            n: 1,
        },
    ];
    stage.patients = vec![ExcludedPatient {
        id: "T901".into(),
        reason: "progression 2001-01-01 before the start 2001-02-01".into(),
    }];
    flow.screened += 3;
    let rep = report(&r);
    let fig = rep.figures.iter().find(|f| f.name == "flow").unwrap();
    svgcheck::assert_clean(fig.svg.as_str());
    let svg = fig.svg.as_str();
    for want in [
        "Patients in the table: 111",
        "Excluded: 3",
        "at the dates stage: 3",
        "progression before the start (2)",
        "no start date (1)",
        "Analysed: 108",
    ] {
        assert!(svg.contains(want), "flow diagram lacks {want:?}");
    }
    assert!(!contains_word(&rep.html, "T901"));
    if let Some(dir) = std::env::var_os("ONCOMARK_REPORT_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(PathBuf::from(dir).join("flow_excluded.svg"), svg).unwrap();
    }
}
