//! The spec check: every problem at once, each with its key path and
//! line:column, and a message saying how to fix it.

use oncomark_study::spec::{check_str, templates, Problem};

use super::common::{dir_with, paper_dir, SEED};

fn problems(spec: &str, files: &[(&str, &str)]) -> Vec<Problem> {
    let d = dir_with(spec, files);
    match d.check() {
        Ok(_) => panic!("the spec should not pass"),
        Err(e) => {
            // the display lists every problem with its place
            let text = e.to_string();
            for p in &e.problems {
                assert!(text.contains(&p.message), "{text}");
            }
            e.problems
        }
    }
}

fn find<'a>(ps: &'a [Problem], key: &str) -> &'a Problem {
    ps.iter()
        .find(|p| p.key == key)
        .unwrap_or_else(|| panic!("no problem at {key}: {ps:#?}"))
}

const PATIENTS: &str = "id,time,dead,marker,grade\n1,5,1,10,a\n2,8,0,30,b\n3,2,1,50,a\n";

fn small(marker: &str, extra: &str) -> String {
    format!(
        "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[marker]\n{marker}\n\n[endpoints]\n[[endpoints.given]]\nname = \"os\"\ntime = \"time\"\nevent = \"dead\"\n{extra}"
    )
}

#[test]
fn the_paper_example_checks() {
    let (_, d) = paper_dir(SEED);
    let c = d.check().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.tables.patients.n_rows(), 108);
    assert_eq!(c.inputs().len(), 3);
}

#[test]
fn a_minimal_continuous_study_checks() {
    let spec = small(
        "name = \"m\"\ntype = \"continuous\"\ncolumn = \"marker\"\ncutoff = 20",
        "",
    );
    let d = dir_with(&spec, &[("p.csv", PATIENTS)]);
    assert!(d.check().is_ok());
    let r = d.run().unwrap();
    assert_eq!(r.survival[0].n, 3);
}

#[test]
fn four_problems_are_reported_at_once_with_their_places() {
    // unknown key, missing file, missing column, bad bins
    let spec = "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[data.ihc]\nfile = \"nothere.csv\"\n\n[marker]\nname = \"m\"\ntype = \"ihc\"\nreaders = [\"r1\"]\nbins = [0, 40, 10, 100]\n\n[endpoints]\n[[endpoints.given]]\nname = \"os\"\ntime = \"tim\"\nevent = \"dead\"\nlabell = \"Overall survival\"\n";
    let ps = problems(spec, &[("p.csv", PATIENTS)]);
    assert_eq!(ps.len(), 4, "{ps:#?}");
    let p = find(&ps, "data.ihc.file");
    assert_eq!((p.line, p.column), (Some(6), Some(8)));
    assert!(p.message.contains("nothere.csv"), "{}", p.message);
    let p = find(&ps, "marker.bins");
    assert_eq!(p.line, Some(12));
    assert!(p.message.contains("strictly increasing"), "{}", p.message);
    let p = find(&ps, "endpoints.given[1].time");
    assert_eq!(p.line, Some(17));
    assert!(
        p.message.contains("column `tim` is not in") && p.message.contains("did you mean `time`?"),
        "{}",
        p.message
    );
    let p = find(&ps, "endpoints.given[1].labell");
    assert_eq!((p.line, p.column), (Some(19), Some(1)));
    assert!(p.message.contains("did you mean `label`?"), "{}", p.message);
}

#[test]
fn a_key_in_the_wrong_table_is_pointed_to_its_table() {
    let spec = small(
        "name = \"m\"\ntype = \"continuous\"\ncolumn = \"marker\"\ncutoff = 20",
        "",
    ) + "\n[study]\nshow_ids = true\n";
    let ps = problems(&spec, &[("p.csv", PATIENTS)]);
    let p = find(&ps, "study.show_ids");
    assert!(
        p.message.contains("`show_ids` is a key of [report]"),
        "{}",
        p.message
    );
}

#[test]
fn wrong_types_and_values_name_the_key() {
    let spec = small(
        "name = \"m\"\ntype = \"ihcc\"",
        "\n[plan]\nlandmarks = [6, -1]\nconf_level = \"high\"\n",
    );
    let ps = problems(&spec, &[("p.csv", PATIENTS)]);
    let p = find(&ps, "marker.type");
    assert!(
        p.message.contains("unknown variant `ihcc`") && p.message.contains("did you mean `ihc`?"),
        "{}",
        p.message
    );
    let p = find(&ps, "plan.conf_level");
    assert!(p.message.contains("invalid type"), "{}", p.message);
}

#[test]
fn settings_are_checked_for_consistency() {
    let spec = small(
        "name = \"m\"\ntype = \"continuous\"\ncolumn = \"marker\"\ncutoff = 20\nbins = [0, 10, 40, 100]",
        "\n[plan]\nlandmarks = [6, -1]\n\n[selection]\nentry = 1.5\ninclude = [\"grad\"]\n\n[[factors]]\ncolumn = \"grade\"\n",
    );
    let ps = problems(&spec, &[("p.csv", PATIENTS)]);
    assert!(find(&ps, "marker.bins")
        .message
        .contains("applies to type = \"ihc\" only"));
    assert!(find(&ps, "plan.landmarks[2]").message.contains("time > 0"));
    assert!(find(&ps, "selection.entry").message.contains("(0, 1]"));
    assert!(find(&ps, "selection.include[1]")
        .message
        .contains("did you mean `grade`?"));
}

#[test]
fn missing_required_keys_and_tables_are_named() {
    let ps = problems("[data.patients]\nid = \"id\"\n\n[marker]\nname = \"m\"\ntype = \"ihc\"\nreaders = [\"x\"]\n", &[]);
    let p = find(&ps, "data.patients.file");
    assert!(p.message.contains("missing key `file`"), "{}", p.message);
    assert!(find(&ps, "endpoints")
        .message
        .contains("missing [endpoints] table"));
}

#[test]
fn cells_are_checked_before_any_work() {
    let patients = "id,time,dead,marker,start\n1,5,1,10,2001-01-02\n2,8,maybe,x,2001-13-01\n";
    let spec = "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[marker]\nname = \"m\"\ntype = \"continuous\"\ncolumn = \"marker\"\ncutoff = 20\n\n[endpoints]\n[[endpoints.given]]\nname = \"os\"\ntime = \"time\"\nevent = \"dead\"\n";
    let ps = problems(spec, &[("p.csv", patients)]);
    assert!(find(&ps, "marker.column")
        .message
        .contains("line 3, column `marker`: \"x\" is not a number"));
    assert!(find(&ps, "endpoints.given[1].event")
        .message
        .contains("maybe"));
}

#[test]
fn syntax_errors_are_located() {
    let d = dir_with("[marker]\nname = \"m\ntype = 3\n", &[]);
    let e = d.check().unwrap_err();
    assert_eq!(e.problems[0].line, Some(2), "{e}");
    assert!(e.to_string().contains("TOML syntax"));
}

#[test]
fn paths_are_relative_to_the_spec_folder() {
    let (_, d) = paper_dir(SEED);
    let text = templates::paper_spec(SEED);
    // from another folder the relative paths do not resolve
    let e = check_str(&text, "study.toml", std::path::Path::new("/nonexistent")).unwrap_err();
    let p = e
        .problems
        .iter()
        .find(|p| p.key == "data.patients.file")
        .unwrap();
    assert!(
        p.message.contains("relative to its folder"),
        "{}",
        p.message
    );
    assert!(check_str(&text, "study.toml", d.path()).is_ok());
}

mod properties {
    use oncomark_study::spec::check_str;
    use proptest::prelude::*;

    const BASE: &str = "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[marker]\nname = \"m\"\ntype = \"continuous\"\ncolumn = \"m\"\ncutoff = 20\n";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any text gives a result, never a panic, and every problem has a
        /// message.
        #[test]
        fn arbitrary_text_never_panics(text in "[\\[\\]a-z_=\"0-9., \\n#{}]{0,200}") {
            if let Err(e) = check_str(&text, "s.toml", std::path::Path::new("/nonexistent")) {
                prop_assert!(!e.problems.is_empty());
                prop_assert!(e.problems.iter().all(|p| !p.message.is_empty()));
            }
        }

        /// An unknown key is reported at its own line, whatever it is.
        #[test]
        fn unknown_keys_are_located(key in "zz[a-z_]{1,12}", line in 0usize..4) {
            let mut lines: Vec<String> = BASE.lines().map(str::to_string).collect();
            // insert after one of the [marker] keys (lines 6..=9, 1-based)
            let at = 6 + line;
            lines.insert(at, format!("{key} = 1"));
            let text = lines.join("\n");
            let e = check_str(&text, "s.toml", std::path::Path::new("/nonexistent")).unwrap_err();
            let p = e.problems.iter().find(|p| p.key == format!("marker.{key}")).unwrap();
            prop_assert_eq!(p.line, Some(at + 1));
            prop_assert_eq!(p.column, Some(1));
        }
    }
}
