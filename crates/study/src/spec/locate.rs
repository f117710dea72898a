//! Positions in the spec text: byte offsets to `line:column`, key paths to
//! spans and spans back to key paths.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// 1-based line and column (in characters) of byte `offset` of `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    /// 1-based index into an array.
    Index(usize),
}

fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                out.push(Step::Key(rest[..b].to_string()));
            }
            rest = &rest[b..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(e) = stripped.find(']') else { break };
                if let Ok(i) = stripped[..e].parse() {
                    out.push(Step::Index(i));
                }
                rest = &stripped[e + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Step::Key(rest.to_string()));
        }
    }
    out
}

/// The span of the value at `path` (or of the deepest existing ancestor,
/// so a missing key is located at its table), `None` for the root.
pub(crate) fn span_of(root: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut best: Option<Range<usize>> = None;
    let mut table: Option<&DeTable<'_>> = Some(root);
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for step in steps(path) {
        let next = match (&step, table, array) {
            (Step::Key(k), Some(t), _) => t.get(k.as_str()),
            (Step::Index(i), _, Some(a)) => i.checked_sub(1).and_then(|i| a.get(i)),
            _ => None,
        };
        let Some(v) = next else { break };
        best = Some(v.span());
        table = None;
        array = None;
        match v.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    best
}

/// The span of the key itself at `path` (for an unknown or misplaced
/// key), falling back to [`span_of`].
pub(crate) fn key_span(root: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    if last.contains('[') {
        return span_of(root, path);
    }
    let table = match parent {
        None => Some(root),
        Some(p) => table_at(root, p),
    };
    table
        .and_then(|t| t.get_key_value(last).map(|(k, _)| k.span()))
        .or_else(|| span_of(root, path))
}

fn table_at<'a, 'i>(root: &'a DeTable<'i>, path: &str) -> Option<&'a DeTable<'i>> {
    let mut table: Option<&DeTable<'_>> = Some(root);
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for step in steps(path) {
        let next = match (&step, table, array) {
            (Step::Key(k), Some(t), _) => t.get(k.as_str()),
            (Step::Index(i), _, Some(a)) => i.checked_sub(1).and_then(|i| a.get(i)),
            _ => None,
        }?;
        table = None;
        array = None;
        match next.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => return None,
        }
    }
    table
}

/// The key path of the smallest value (or key) whose span contains
/// `span`, searching `value` at path `prefix` (TOML gives a table the span
/// of its header only, so every node is searched, not just the ancestors).
pub(crate) fn path_of(
    value: &toml::Spanned<DeValue<'_>>,
    prefix: &str,
    span: &Range<usize>,
) -> String {
    fn walk(
        v: &toml::Spanned<DeValue<'_>>,
        path: &str,
        span: &Range<usize>,
        best: &mut Option<(usize, String)>,
    ) {
        fn consider(
            r: Range<usize>,
            p: &str,
            span: &Range<usize>,
            best: &mut Option<(usize, String)>,
        ) {
            if r.start <= span.start && span.end <= r.end {
                let len = r.end - r.start;
                if best.as_ref().is_none_or(|(l, _)| len <= *l) {
                    *best = Some((len, p.to_string()));
                }
            }
        }
        consider(v.span(), path, span, best);
        match v.get_ref() {
            DeValue::Table(t) => {
                for (k, child) in t.iter() {
                    let p = if path.is_empty() {
                        k.get_ref().to_string()
                    } else {
                        format!("{path}.{}", k.get_ref())
                    };
                    consider(k.span(), &p, span, best);
                    walk(child, &p, span, best);
                }
            }
            DeValue::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(child, &format!("{path}[{}]", i + 1), span, best);
                }
            }
            _ => {}
        }
    }
    let mut best = None;
    walk(value, prefix, span, &mut best);
    best.map_or_else(|| prefix.to_string(), |(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let t = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        // "bé = " is 6 bytes, 5 characters: the string starts at column 6
        assert_eq!(line_col(t, t.find('"').unwrap()), (2, 6));
    }

    #[test]
    fn paths_split_keys_and_one_based_indices() {
        assert_eq!(
            steps("factors[2].column"),
            vec![
                Step::Key("factors".into()),
                Step::Index(2),
                Step::Key("column".into())
            ]
        );
    }

    #[test]
    fn spans_are_found_for_keys_values_and_array_entries() {
        let t = "[marker]\nbins = [0, 40, 10, 100]\n\n[[factors]]\ncolumn = \"a\"\n\n[[factors]]\ncolumn = \"b\"\n";
        let root = DeTable::parse(t).unwrap();
        let s = span_of(root.get_ref(), "marker.bins").unwrap();
        assert_eq!(&t[s], "[0, 40, 10, 100]");
        let s = span_of(root.get_ref(), "factors[2].column").unwrap();
        assert_eq!(&t[s.clone()], "\"b\"");
        let k = key_span(root.get_ref(), "factors[2].column").unwrap();
        assert_eq!(line_col(t, k.start), (8, 1));
        // back from a span to its path
        let v = toml::Spanned::new(root.span(), DeValue::Table(root.get_ref().clone()));
        assert_eq!(path_of(&v, "", &s), "factors[2].column");
    }
}
