//! Read clinical and laboratory tables into typed columns with explicit
//! missing values, gather the variables of one analysis over its complete
//! rows, and build model matrices with dummy coding.
//!
//! This crate knows files and columns, not statistics. The flow is
//!
//! 1. [`Table::read`] (or [`Table::from_csv_str`]): CSV/TSV with the
//!    delimiter sniffed, decimal commas on request, XLSX/XLS/ODS through
//!    calamine; every cell is missing (empty, `NA`, `N/A`, `.`), a number,
//!    or text, and its text is kept as written. [`Table::provenance`] gives
//!    the SHA-256 of the bytes read.
//! 2. [`FrameBuilder`]: ask for a time, an event, labels, numbers or model
//!    terms by column name; each is checked when asked for, with messages
//!    naming file, row, line (or cell), column and value.
//! 3. [`FrameBuilder::build`]: drop the rows missing in any column asked for
//!    and hand back a [`Frame`] of plain vectors and [`Design`] matrices.
//!
//! ```
//! use oncomark_data::{Coding, FrameBuilder, ReadOptions, Table};
//! let t = Table::from_csv_str("lung.csv", "time,status,sex\n306,2,1\n455,2,1\n1010,1,2\n", &ReadOptions::default())?;
//! let mut b = FrameBuilder::new(&t);
//! let time = b.time("time")?;
//! let dead = b.event("status", Some("2"))?;
//! let sex = b.label("sex")?;
//! let f = b.build()?;
//! assert_eq!(f.event(dead), [true, true, false]);
//! assert_eq!(f.label(sex), ["1", "1", "2"]);
//! assert!((f.time(time)[2] - 1010.0).abs() < 1e-12);
//! # Ok::<(), oncomark_data::DataError>(())
//! ```

// Errors carry the file, row, place, column and value as written, so that a
// message can be read alone; they are built once, on the cold path.
#![allow(clippy::result_large_err)]

mod cell;
mod delimited;
mod error;
mod frame;
#[cfg(feature = "parquet")]
mod parquet;
mod table;
mod workbook;

pub use cell::{distinct_levels, sort_levels, suggest, MISSING_TOKENS};
pub use error::DataError;
pub use frame::{Coding, Design, Frame, FrameBuilder, Term, TermKind, VarId};
pub use table::{Column, ColumnKind, Provenance, ReadOptions, Table};
