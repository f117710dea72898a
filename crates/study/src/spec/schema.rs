//! The keys of every table of the spec, for reporting unknown keys with a
//! suggestion before serde sees them (serde stops at the first one).
//!
//! A test (`schema_matches_serde`) checks that each table here lists
//! exactly the fields serde expects, so the two cannot drift apart.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A node of the key schema.
#[derive(Debug)]
pub(crate) enum Node {
    /// A value (string, number, array of values, inline table checked by
    /// serde).
    Leaf,
    /// A table with these keys.
    Table(&'static [(&'static str, Node)]),
    /// An array of tables with these keys.
    Tables(&'static [(&'static str, Node)]),
}

use Node::{Leaf, Table, Tables};

const STUDY: &[(&str, Node)] = &[("name", Leaf), ("description", Leaf)];

const PATIENTS: &[(&str, Node)] = &[
    ("file", Leaf),
    ("id", Leaf),
    ("date_format", Leaf),
    ("sheet", Leaf),
    ("delimiter", Leaf),
    ("decimal_comma", Leaf),
];

const IHC: &[(&str, Node)] = &[
    ("file", Leaf),
    ("id", Leaf),
    ("sheet", Leaf),
    ("delimiter", Leaf),
    ("decimal_comma", Leaf),
];

const LESIONS: &[(&str, Node)] = &[
    ("file", Leaf),
    ("id", Leaf),
    ("date", Leaf),
    ("lesion", Leaf),
    ("longest_diameter", Leaf),
    ("perpendicular_diameter", Leaf),
    ("short_axis", Leaf),
    ("target", Leaf),
    ("lymph_node", Leaf),
    ("new_lesion", Leaf),
    ("date_format", Leaf),
    ("sheet", Leaf),
    ("delimiter", Leaf),
    ("decimal_comma", Leaf),
];

const DATA: &[(&str, Node)] = &[
    ("patients", Table(PATIENTS)),
    ("ihc", Table(IHC)),
    ("lesions", Table(LESIONS)),
];

const MARKER: &[(&str, Node)] = &[
    ("name", Leaf),
    ("type", Leaf),
    ("rule", Leaf),
    ("readers", Leaf),
    ("weak", Leaf),
    ("moderate", Leaf),
    ("strong", Leaf),
    ("intensity", Leaf),
    ("reader_names", Leaf),
    ("bins", Leaf),
    ("combine", Leaf),
    ("positive_from", Leaf),
    ("adjudicated", Leaf),
    ("adjudicated_scale", Leaf),
    ("consensus", Leaf),
    ("consensus_scale", Leaf),
    ("column", Leaf),
    ("cutoff", Leaf),
    ("positive", Leaf),
    ("max_score", Leaf),
    ("negative_label", Leaf),
    ("positive_label", Leaf),
];

const DATES: &[(&str, Node)] = &[
    ("start", Leaf),
    ("progression", Leaf),
    ("death", Leaf),
    ("last_follow_up", Leaf),
];

const GIVEN: &[(&str, Node)] = &[
    ("name", Leaf),
    ("label", Leaf),
    ("time", Leaf),
    ("event", Leaf),
    ("event_value", Leaf),
    ("time_unit", Leaf),
];

const ENDPOINTS: &[(&str, Node)] = &[
    ("unit", Leaf),
    ("primary", Leaf),
    ("derive", Leaf),
    ("dates", Table(DATES)),
    ("ttp_death_after_follow_up", Leaf),
    ("given", Tables(GIVEN)),
];

const RESPONSE: &[(&str, Node)] = &[
    ("source", Leaf),
    ("column", Leaf),
    ("criteria", Leaf),
    ("confirm", Leaf),
    ("confirm_min_days", Leaf),
    ("sd_min_days", Leaf),
    ("who_lesion_progression", Leaf),
    ("early_progression", Leaf),
    ("early_progression_endpoint", Leaf),
];

const COHORTS: &[(&str, Node)] = &[("column", Leaf), ("levels", Leaf)];

const TREATMENT: &[(&str, Node)] = &[
    ("column", Leaf),
    ("treated", Leaf),
    ("control", Leaf),
    ("name", Leaf),
];

const FACTORS: &[(&str, Node)] = &[
    ("column", Leaf),
    ("name", Leaf),
    ("label", Leaf),
    ("type", Leaf),
    ("cutoff", Leaf),
    ("reference", Leaf),
    ("models", Leaf),
];

const SELECTION: &[(&str, Node)] = &[
    ("method", Leaf),
    ("entry", Leaf),
    ("stay", Leaf),
    ("include", Leaf),
    ("candidates", Leaf),
    ("screen_p", Leaf),
];

const PLAN: &[(&str, Node)] = &[
    ("analyses", Leaf),
    ("landmarks", Leaf),
    ("conf_level", Leaf),
    ("ties", Leaf),
    ("conf_type", Leaf),
    ("zph_transform", Leaf),
];

const REPORT: &[(&str, Node)] = &[("show_ids", Leaf)];

/// The top level of the spec.
pub(crate) const ROOT: &[(&str, Node)] = &[
    ("study", Table(STUDY)),
    ("data", Table(DATA)),
    ("marker", Table(MARKER)),
    ("endpoints", Table(ENDPOINTS)),
    ("response", Table(RESPONSE)),
    ("cohorts", Table(COHORTS)),
    ("treatment", Table(TREATMENT)),
    ("factors", Tables(FACTORS)),
    ("selection", Table(SELECTION)),
    ("plan", Table(PLAN)),
    ("report", Table(REPORT)),
];

/// The keys of a table.
pub(crate) type Fields = &'static [(&'static str, Node)];

/// Every table of the schema: (path as TOML writes its header, is an
/// array of tables, its keys).
pub(crate) fn tables() -> Vec<(String, bool, Fields)> {
    fn walk(prefix: &str, fields: Fields, array: bool, out: &mut Vec<(String, bool, Fields)>) {
        out.push((prefix.to_string(), array, fields));
        for (k, n) in fields {
            let p = if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            };
            match n {
                Leaf => {}
                Table(f) => walk(&p, f, false, out),
                Tables(f) => walk(&p, f, true, out),
            }
        }
    }
    let mut out = Vec::new();
    walk("", ROOT, false, &mut out);
    out
}

fn header(path: &str, array: bool) -> String {
    match (path.is_empty(), array) {
        (true, _) => "the top level".to_string(),
        (false, true) => format!("[[{path}]]"),
        (false, false) => format!("[{path}]"),
    }
}

/// An unknown key: its path, the span of the key and the message.
pub(crate) struct Unknown {
    pub path: String,
    pub span: Range<usize>,
    pub message: String,
}

/// Find the unknown keys of `root` (recursively), remove them, and return
/// them with a suggestion each.
pub(crate) fn strip_unknown(root: &mut DeTable<'_>) -> Vec<Unknown> {
    let mut out = Vec::new();
    walk_table(root, "", "", ROOT, false, &mut out);
    out.sort_by_key(|u| u.span.start);
    out
}

fn walk_table(
    t: &mut DeTable<'_>,
    shown: &str,
    schema_path: &str,
    fields: &'static [(&'static str, Node)],
    array: bool,
    out: &mut Vec<Unknown>,
) {
    let names: Vec<String> = fields.iter().map(|(k, _)| k.to_string()).collect();
    let mut unknown = Vec::new();
    for (k, _) in t.iter() {
        let key = k.get_ref().as_ref();
        if !fields.iter().any(|(f, _)| *f == key) {
            unknown.push((key.to_string(), k.span()));
        }
    }
    for (key, span) in unknown {
        t.remove(key.as_str());
        let path = join(shown, &key);
        out.push(Unknown {
            message: unknown_message(&key, schema_path, array, &names),
            path,
            span,
        });
    }
    for (k, v) in t.iter_mut() {
        let key = k.get_ref().as_ref().to_string();
        let Some((_, node)) = fields.iter().find(|(f, _)| *f == key) else {
            continue;
        };
        let sp = join(schema_path, &key);
        let shown_k = join(shown, &key);
        match (node, v.get_mut()) {
            (Table(f), DeValue::Table(inner)) => walk_table(inner, &shown_k, &sp, f, false, out),
            (Tables(f), DeValue::Array(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if let DeValue::Table(inner) = item.get_mut() {
                        let shown_i = format!("{shown_k}[{}]", i + 1);
                        walk_table(inner, &shown_i, &sp, f, true, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn unknown_message(key: &str, schema_path: &str, array: bool, names: &[String]) -> String {
    let here = header(schema_path, array);
    if let Some(s) = oncomark_data::suggest(key, names) {
        return format!("unknown key `{key}` in {here}; did you mean `{s}`?");
    }
    let elsewhere: Vec<String> = tables()
        .into_iter()
        .filter(|(p, _, f)| p != schema_path && f.iter().any(|(k, _)| *k == key))
        .map(|(p, a, _)| header(&p, a))
        .collect();
    if !elsewhere.is_empty() {
        return format!(
            "unknown key `{key}` in {here}; `{key}` is a key of {}",
            elsewhere.join(" and ")
        );
    }
    format!(
        "unknown key `{key}` in {here}; its keys are: {}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For every table of the schema, serde (deny_unknown_fields) must
    /// expect exactly the keys listed here: put an unknown key in a
    /// minimal valid spec and read serde's list of expected fields.
    #[test]
    fn schema_matches_serde() {
        let base = crate::spec::templates::MINIMAL_FOR_TESTS;
        for (path, array, fields) in tables() {
            let doc = if path.is_empty() {
                format!("zz_unknown = 1\n{base}")
            } else if array {
                format!("{base}\n[[{path}]]\nzz_unknown = 1\n")
            } else if base.contains(&format!("[{path}]\n")) {
                base.replace(
                    &format!("[{path}]\n"),
                    &format!("[{path}]\nzz_unknown = 1\n"),
                )
            } else {
                format!("{base}\n[{path}]\nzz_unknown = 1\n")
            };
            let err = toml::from_str::<crate::spec::Spec>(&doc)
                .expect_err(&format!("{path}: an unknown key must be refused"))
                .to_string();
            assert!(err.contains("unknown field `zz_unknown`"), "{path}: {err}");
            let expected = err
                .split("expected ")
                .nth(1)
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            let mut serde_keys: Vec<String> = expected
                .split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, s)| s.to_string())
                .collect();
            let mut ours: Vec<String> = fields.iter().map(|(k, _)| k.to_string()).collect();
            serde_keys.sort();
            ours.sort();
            assert_eq!(ours, serde_keys, "keys of table `{path}`");
        }
    }
}
