//! Delimited text (CSV, TSV, semicolon exports): sniffing, header checks,
//! columnar parsing.

use csv::{ReaderBuilder, StringRecord};

use crate::error::DataError;
use crate::table::{finish_columns, ColumnBuilder, Origin, Parsed, ReadOptions};

/// Candidate delimiters, in order of preference on ties.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
/// How many records the sniffer looks at.
const SNIFF_RECORDS: usize = 50;
/// How many bytes the sniffer looks at.
const SNIFF_BYTES: usize = 64 * 1024;

/// Read delimited text from `bytes`. `prefer_tab` puts tab first among
/// equally good delimiters (`.tsv`).
pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    prefer_tab: bool,
) -> Result<Parsed, DataError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // UTF-16 byte-order mark: Excel's "Unicode text".
        return Err(DataError::NotUtf8 {
            file: file.to_string(),
            line: 1,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError::EmptyFile {
            file: file.to_string(),
        });
    }
    let delimiter = match opts.delimiter {
        Some(d) => d,
        None => sniff(bytes, prefer_tab, opts.decimal_comma),
    };
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = StringRecord::new();
    let read_err = |e: csv::Error| -> DataError {
        match e.kind() {
            csv::ErrorKind::Utf8 { pos, .. } => DataError::NotUtf8 {
                file: file.to_string(),
                line: pos.as_ref().map_or(0, |p| start_line(bytes, p)),
            },
            _ => DataError::Io {
                path: file.to_string(),
                source: std::io::Error::other(e),
            },
        }
    };
    if !reader.read_record(&mut record).map_err(read_err)? {
        return Err(DataError::EmptyFile {
            file: file.to_string(),
        });
    }
    let header_line = record.position().map_or(1, |p| start_line(bytes, p));
    let header: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
    let width = header.len();
    let guess = row_guess(bytes);
    let mut builders: Vec<ColumnBuilder> = (0..width)
        .map(|_| ColumnBuilder::new(opts.decimal_comma, guess))
        .collect();
    let mut lines: Vec<u64> = Vec::with_capacity(guess);
    while reader.read_record(&mut record).map_err(read_err)? {
        let line = record.position().map_or(0, |p| start_line(bytes, p));
        if record.len() != width {
            return Err(DataError::RaggedRow {
                file: file.to_string(),
                line,
                expected: width,
                found: record.len(),
                delimiter: delimiter_name(delimiter),
            });
        }
        for (b, field) in builders.iter_mut().zip(record.iter()) {
            b.push_text(field);
        }
        lines.push(line);
    }
    let n_rows = lines.len();
    let (names, columns, _) = finish_columns(file, header, builders, |i| {
        format!("line {header_line}, field {}", i + 1)
    })?;
    Ok(Parsed {
        names,
        columns,
        n_rows,
        origin: Origin::Text { lines },
    })
}

/// A guess of the number of lines, from their mean length in the first
/// 64 KiB, used only to reserve capacity (capped at 4 million).
fn row_guess(bytes: &[u8]) -> usize {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let lines = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    let mean = (sample.len() / lines).max(1);
    (bytes.len() / mean + 1).min(1 << 22)
}

/// The line where a record starts. The reader's position points to the
/// end of the previous record, before any blank lines it skipped; count
/// those here.
fn start_line(bytes: &[u8], pos: &csv::Position) -> u64 {
    let from = usize::try_from(pos.byte())
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let skipped = bytes[from..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    pos.line() + skipped as u64
}

/// The delimiter in words, for messages.
fn delimiter_name(d: u8) -> String {
    match d {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        b' ' => "space".into(),
        other => format!("\"{}\"", other as char),
    }
}

/// Pick the delimiter that splits the first lines into the same number of
/// fields (more than one), preferring more fields, then the order
/// comma, semicolon, tab, pipe (tab first for `.tsv`; semicolon before
/// comma with a decimal comma). When none is consistent, the one with the
/// most lines matching its header wins, so that the ragged-row error names
/// the offending line; a one-column file gets the preferred delimiter.
pub(crate) fn sniff(bytes: &[u8], prefer_tab: bool, decimal_comma: bool) -> u8 {
    let mut order = CANDIDATES.to_vec();
    if decimal_comma {
        order.swap(0, 1);
    }
    if prefer_tab {
        order.retain(|&d| d != b'\t');
        order.insert(0, b'\t');
    }
    let truncated = bytes.len() > SNIFF_BYTES;
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    // (consistent, rows matching the header, header fields), best first.
    let mut best: Option<((bool, usize, usize), u8)> = None;
    for &d in &order {
        let mut reader = ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let mut counts = Vec::new();
        for rec in reader.byte_records().take(SNIFF_RECORDS + 1) {
            match rec {
                Ok(r) => counts.push(r.len()),
                Err(_) => break,
            }
        }
        if truncated && counts.len() > SNIFF_RECORDS.min(2) {
            counts.pop(); // the last record may be cut off by the sample
        }
        let Some(&header) = counts.first() else {
            continue;
        };
        if header <= 1 {
            continue;
        }
        let matching = counts.iter().filter(|&&c| c == header).count();
        let key = (matching == counts.len(), matching, header);
        let better = match best {
            None => true,
            Some((k, _)) => {
                (key.0, if key.0 { key.2 } else { key.1 }) > (k.0, if k.0 { k.2 } else { k.1 })
            }
        };
        if better {
            best = Some((key, d));
        }
    }
    best.map_or(order[0], |(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_exports() {
        assert_eq!(sniff(b"a,b,c\n1,2,3\n", false, false), b',');
        assert_eq!(sniff(b"a;b\n1,5;2,5\n3;4\n", false, true), b';');
        assert_eq!(sniff(b"a;b\n1,5;2,5\n3;4\n", false, false), b';');
        assert_eq!(sniff(b"a\tb\n1\t2\n", false, false), b'\t');
        assert_eq!(sniff(b"a|b\n1|2\n", false, false), b'|');
        // Quoted commas do not count.
        assert_eq!(sniff(b"id;note\n1;\"a,b,c\"\n2;x\n", false, false), b';');
        // One column: the preferred delimiter.
        assert_eq!(sniff(b"a\n1\n2\n", false, false), b',');
        assert_eq!(sniff(b"a\n1\n2\n", true, false), b'\t');
        // Ragged under every delimiter: most consistent wins.
        assert_eq!(sniff(b"a,b\n1,2\n3,4\n5\n", false, false), b',');
    }
}
