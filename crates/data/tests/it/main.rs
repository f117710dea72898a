//! Integration tests of oncomark-data: one binary, one module per topic.

#![allow(clippy::result_large_err)]

mod errors;
mod frame;
#[cfg(feature = "parquet")]
mod parquet;
mod read;
mod real_data;

use std::path::PathBuf;

use oncomark_data::{DataError, ReadOptions, Table};

/// Write `bytes` to `name` in a fresh temporary folder and read it.
pub fn read_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Table, DataError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    Table::read(&path, opts)
}

/// Read delimited text with default options.
pub fn csv(text: &str) -> Table {
    Table::from_csv_str("t.csv", text, &ReadOptions::default()).expect("valid table")
}

/// The workbook fixture of `tests/fixtures/data`.
pub fn small_xlsx() -> PathBuf {
    oncomark_testkit::fixture("data/small.xlsx")
}

/// The message of an error, asserting it contains every part.
#[track_caller]
pub fn assert_msg(err: &DataError, parts: &[&str]) {
    let msg = err.to_string();
    for p in parts {
        assert!(msg.contains(p), "message {msg:?} lacks {p:?}");
    }
}
