//! `--plot FILE` of `km`, `logrank` and `cox`: the figure is written
//! atomically, parses, prints the fit's own numbers at risk at its tick
//! times and the test results, and a bad file name is refused up front.
//! Data: GBSG2 (tests/fixtures/r-survival/gbsg2.csv, TH.data via R 4.2.2).

use std::path::Path;
use std::process::{Command, Output};

use oncomark_survival::km::{kaplan_meier_groups, KmOptions};
use oncomark_testkit::{fixture, read_fixture_csv};

fn oncomark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oncomark"))
        .args(args)
        .output()
        .expect("run oncomark")
}

fn gbsg2() -> String {
    fixture("r-survival/gbsg2.csv")
        .to_str()
        .expect("path")
        .to_string()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Reads a written SVG, checks it parses and holds no NaN or infinity.
fn read_svg(path: &Path) -> String {
    let svg = std::fs::read_to_string(path).expect("the figure was written");
    assert!(
        svg.starts_with("<svg"),
        "not an SVG: {}",
        &svg[..40.min(svg.len())]
    );
    for bad in ["NaN", "inf\"", "\"inf", "Infinity"] {
        assert!(!svg.contains(bad), "SVG contains {bad:?}");
    }
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in [
            "x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy",
        ] {
            if let Some(v) = n.attribute(a) {
                let x: f64 = v.parse().expect("numeric attribute");
                assert!(x.is_finite());
            }
        }
    }
    svg
}

/// Texts of the elements inside groups of class `class`.
fn texts(svg: &str, class: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("SVG");
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .flat_map(|g| {
            g.descendants()
                .filter(|n| n.has_tag_name("text"))
                .map(|n| n.text().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The x-axis tick values (the numeric labels) of a Kaplan-Meier figure.
fn ticks(svg: &str) -> Vec<f64> {
    texts(svg, "x-axis")
        .iter()
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// The at-risk table: (group, counts) per row.
fn at_risk(svg: &str, n_ticks: usize) -> Vec<(String, Vec<u32>)> {
    let t = texts(svg, "at-risk");
    assert_eq!(t[0], "No. at risk");
    t[1..]
        .chunks(n_ticks + 1)
        .map(|c| {
            (
                c[0].clone(),
                c[1..].iter().map(|s| s.parse().expect("count")).collect(),
            )
        })
        .collect()
}

/// GBSG2 time, recurrence and hormone therapy (0 = no, 1 = yes).
fn gbsg2_columns() -> (Vec<f64>, Vec<bool>, Vec<u32>) {
    let (header, rows) = read_fixture_csv("r-survival/gbsg2.csv");
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (t, c, h) = (col("time"), col("cens"), col("horTh"));
    let cell = |r: &Vec<Option<String>>, j: usize| r[j].clone().expect("no missing values");
    (
        rows.iter()
            .map(|r| cell(r, t).parse().expect("time"))
            .collect(),
        rows.iter().map(|r| cell(r, c) == "1").collect(),
        rows.iter()
            .map(|r| u32::from(cell(r, h) == "yes"))
            .collect(),
    )
}

#[test]
fn km_plot_prints_the_fits_numbers_at_risk_and_the_tests() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("km.svg");
    let out = oncomark(&[
        "km",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--group",
        "horTh",
        "--plot",
        path.to_str().expect("path"),
    ]);
    ok(&out);
    // the verb's own output is still printed
    assert!(String::from_utf8_lossy(&out.stdout).contains("Kaplan-Meier estimate"));
    let svg = read_svg(&path);
    let ticks = ticks(&svg);
    assert_eq!(
        ticks,
        vec![0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0]
    );
    // the counts are the fit's n_at_risk at exactly the tick times
    let (time, event, group) = gbsg2_columns();
    let km = kaplan_meier_groups(&time, &event, &group, &["no", "yes"], &KmOptions::default())
        .expect("KM");
    let rows = at_risk(&svg, ticks.len());
    assert_eq!(rows.len(), 2);
    for (row, fit) in rows.iter().zip(&km.groups) {
        assert_eq!(row.0, fit.group);
        assert_eq!(row.1, fit.n_at_risk(&ticks));
    }
    assert_eq!(rows[0].1[0], 440);
    assert_eq!(rows[1].1[0], 246);
    // R 4.2.2, survival 3.5-3: survdiff P = 0.00342728 (r-survival/gbsg2.json);
    // coxph(Surv(time, cens) ~ horTh): HR 0.6949 (0.5438-0.8879)
    assert_eq!(
        texts(&svg, "annotation"),
        vec![
            "Log-rank P = 0.0034",
            "HR (yes vs no) 0.69 (95% CI 0.54–0.89)"
        ]
    );
    assert_eq!(
        texts(&svg, "legend"),
        vec!["horTh", "no (n = 440)", "yes (n = 246)"]
    );
    // nothing else in the folder: the temporary file was renamed
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
}

#[test]
fn km_plot_of_one_group_has_no_test_and_no_legend() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("KM.SVG");
    ok(&oncomark(&[
        "km",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--plot",
        path.to_str().expect("path"),
    ]));
    let svg = read_svg(&path);
    assert!(texts(&svg, "annotation").is_empty());
    assert!(texts(&svg, "legend").is_empty());
    let rows = at_risk(&svg, ticks(&svg).len());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1[0], 686);
}

#[test]
fn logrank_plot_draws_the_groups_with_the_verbs_own_test() {
    let dir = tempfile::tempdir().expect("tmp");
    let plain = dir.path().join("lr.svg");
    ok(&oncomark(&[
        "logrank",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--group",
        "horTh",
        "--plot",
        plain.to_str().expect("path"),
    ]));
    let svg = read_svg(&plain);
    let (time, event, group) = gbsg2_columns();
    let km = kaplan_meier_groups(&time, &event, &group, &["no", "yes"], &KmOptions::default())
        .expect("KM");
    let t = ticks(&svg);
    for (row, fit) in at_risk(&svg, t.len()).iter().zip(&km.groups) {
        assert_eq!(row.1, fit.n_at_risk(&t));
    }
    assert_eq!(texts(&svg, "annotation")[0], "Log-rank P = 0.0034");
    // a stratified Peto-Peto test is named as such
    let strat = dir.path().join("strat.svg");
    ok(&oncomark(&[
        "logrank",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--group",
        "horTh",
        "--strata",
        "tgrade",
        "--rho",
        "1",
        "--plot",
        strat.to_str().expect("path"),
    ]));
    let svg = read_svg(&strat);
    let ann = texts(&svg, "annotation");
    assert!(
        ann[0].starts_with("Stratified G-rho (rho = 1) P = "),
        "{ann:?}"
    );
    assert!(ann[1].starts_with("HR (yes vs no) "), "{ann:?}");
}

#[test]
fn cox_plot_is_a_forest_of_the_fitted_terms() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("forest.svg");
    let out = oncomark(&[
        "cox",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--covariates",
        "horTh,age,tgrade,pnodes",
        "--plot",
        path.to_str().expect("path"),
        "--format",
        "json",
    ]);
    ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let svg = read_svg(&path);
    let rows = texts(&svg, "forest-row");
    let terms = json["terms"].as_array().expect("terms");
    assert_eq!(terms.len(), 5);
    for t in terms {
        let name = t["term"].as_str().expect("term");
        let i = rows.iter().position(|r| r == name).expect(name);
        // the estimate column prints the fitted HR and limits
        let hr = t["hr"].as_f64().expect("hr");
        let est = &rows[i + 1];
        let printed: f64 = est.split(' ').next().expect("hr").parse().expect("number");
        assert!(
            (printed - hr).abs() <= 0.005 + 1e-12,
            "{name}: {est} vs {hr}"
        );
    }
    // R 4.2.2, survival 3.5-3, coxph(Surv(time, cens) ~ horTh + age +
    // tgrade + pnodes) on this file: horThyes HR 0.7146 (0.5551-0.9200),
    // Wald P 0.009129
    let i = rows.iter().position(|r| r == "horTh=yes").expect("horTh");
    assert_eq!(rows[i + 1], "0.71 (0.56–0.92)");
    assert_eq!(rows[i + 2], "0.0091");
}

#[test]
fn a_bad_plot_file_name_is_refused_before_any_work() {
    let dir = tempfile::tempdir().expect("tmp");
    for (verb, name) in [("km", "km.pdf"), ("logrank", "lr"), ("cox", "forest.jpg")] {
        let path = dir.path().join(name);
        let mut args = vec![
            verb,
            "--data",
            "/nonexistent/data.csv",
            "--time",
            "time",
            "--event",
            "cens",
        ];
        match verb {
            "logrank" => args.extend(["--group", "horTh"]),
            "cox" => args.extend(["--covariates", "age"]),
            _ => {}
        }
        args.extend(["--plot", path.to_str().expect("path")]);
        let out = oncomark(&args);
        assert_eq!(out.status.code(), Some(2), "{verb}");
        let err = String::from_utf8_lossy(&out.stderr);
        // refused for the file name, before reading the (missing) data
        assert!(err.contains("--plot") && err.contains(".svg"), "{err}");
        assert!(out.stdout.is_empty());
        assert!(!path.exists());
    }
}

#[cfg(not(feature = "png"))]
#[test]
fn png_without_the_feature_says_how_to_get_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("km.png");
    let out = oncomark(&[
        "km",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--plot",
        path.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--features png") && err.contains(".svg"),
        "{err}"
    );
    assert!(!path.exists());
}

#[cfg(feature = "png")]
#[test]
fn png_with_the_feature_is_a_png() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("km.png");
    let out = oncomark(&[
        "km",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--group",
        "horTh",
        "--plot",
        path.to_str().expect("path"),
    ]);
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("no fonts") {
        return; // a machine without fonts cannot draw text
    }
    ok(&out);
    let png = std::fs::read(&path).expect("written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn a_figure_that_cannot_be_written_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tmp");
    // the target is an existing folder: the rename fails
    let target = dir.path().join("busy.svg");
    std::fs::create_dir(&target).expect("mkdir");
    let out = oncomark(&[
        "km",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--plot",
        target.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("busy.svg"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("busy.svg")]);
    assert!(target.is_dir());
    // and a missing folder is named in the message
    let out = oncomark(&[
        "km",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--plot",
        "/nonexistent-folder-xyz/km.svg",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent-folder-xyz"));
}
