//! docs/results-json.md documents every field results.json can hold, and
//! docs/study-spec.md every key of the spec: the field names of five runs
//! (the paper's design with exclusions, GBSG2, a study that needs Firth's
//! method, the H-score and the Allred rules) are looked up in the
//! documents.

use std::collections::BTreeSet;

use serde_json::Value;

use super::common::{dir_with, paper_dir, root, SEED};

fn keys(v: &Value, out: &mut BTreeSet<String>, spec: &mut BTreeSet<String>, in_spec: bool) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if in_spec {
                    spec.insert(k.clone());
                } else if k != "spec" {
                    out.insert(k.clone());
                }
                keys(x, out, spec, in_spec || k == "spec");
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keys(x, out, spec, in_spec)),
        _ => {}
    }
}

/// The words inside the code spans (`...`) of a markdown text.
fn code_words(doc: &str) -> BTreeSet<String> {
    doc.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .flat_map(|(_, span)| {
            span.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_field_is_documented() {
    let mut runs = Vec::new();
    let (_, d) = paper_dir(SEED);
    d.edit("ihc.csv", |t| {
        let kept: Vec<&str> = t.lines().filter(|l| !l.starts_with("T003,")).collect();
        format!("{}\nX999,10,12,\n", kept.join("\n"))
    });
    runs.push(d.run().unwrap());
    let c = oncomark_study::spec::check_file(&root().join("examples/study/gbsg2.toml")).unwrap();
    runs.push(oncomark_study::pipeline::run(&c, &Default::default()).unwrap());
    let firth = "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[marker]\nname = \"m\"\ntype = \"continuous\"\ncolumn = \"m\"\ncutoff = 20\n\n[endpoints]\n[[endpoints.given]]\nname = \"os\"\ntime = \"time\"\nevent = \"dead\"\n\n[[factors]]\ncolumn = \"x\"\n";
    let patients = "id,time,dead,m,x\na,5,1,10,1\nb,8,1,12,2\nc,2,1,15,1\nd,9,0,18,3\ne,6,0,30,2\nf,7,0,35,1\ng,4,0,40,4\n";
    runs.push(dir_with(firth, &[("p.csv", patients)]).run().unwrap());
    runs.push(super::ihc_rules::h_run());
    runs.push(super::ihc_rules::a_run());
    let mut out = BTreeSet::new();
    let mut spec = BTreeSet::new();
    for r in &runs {
        keys(
            &serde_json::to_value(r).unwrap(),
            &mut out,
            &mut spec,
            false,
        );
    }
    assert!(
        out.contains("loglik_unpenalized"),
        "the Firth fit must be among the runs"
    );
    for k in [
        "h_score_cases",
        "allred_cases",
        "skipped_statistics",
        "scoring",
    ] {
        assert!(out.contains(k), "the IHC rules must be among the runs: {k}");
    }
    let doc = code_words(&std::fs::read_to_string(root().join("docs/results-json.md")).unwrap());
    let missing: Vec<&String> = out.iter().filter(|k| !doc.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "fields missing from docs/results-json.md: {missing:?}"
    );
    let sdoc = code_words(&std::fs::read_to_string(root().join("docs/study-spec.md")).unwrap());
    let missing: Vec<&String> = spec.iter().filter(|k| !sdoc.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "spec keys missing from docs/study-spec.md: {missing:?}"
    );
}
