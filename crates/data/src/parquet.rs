//! Parquet files (feature `parquet`), through the `parquet` crate's row
//! API: one table column per top-level field.

use std::fmt::Write;
use std::fs::File;
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use crate::error::DataError;
use crate::table::{finish_columns, ColumnBuilder, Origin, Parsed};

/// Read every row of the Parquet file at `path`.
///
/// Nulls are missing; integers and doubles are numbers; floats are read
/// through their shortest decimal form (`0.1f32` is 0.1, not
/// 0.10000000149); strings are read like text cells (so `"NA"` is missing);
/// booleans become `true`/`false`; decimals, dates, timestamps and nested
/// values become their text.
pub(crate) fn read(file: &str, path: &Path) -> Result<Parsed, DataError> {
    let err = |e: &dyn std::fmt::Display| DataError::Parquet {
        file: file.to_string(),
        message: e.to_string(),
    };
    let handle = File::open(path).map_err(|source| DataError::Io {
        path: file.to_string(),
        source,
    })?;
    let reader = SerializedFileReader::new(handle).map_err(|e| err(&e))?;
    let meta = reader.metadata().file_metadata();
    let header: Vec<String> = meta
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().trim().to_string())
        .collect();
    let n_guess = usize::try_from(meta.num_rows()).unwrap_or(0).min(1 << 22);
    let mut builders: Vec<ColumnBuilder> = header
        .iter()
        .map(|_| ColumnBuilder::new(false, n_guess))
        .collect();
    let mut buf = String::new();
    let mut n_rows = 0usize;
    for row in reader.get_row_iter(None).map_err(|e| err(&e))? {
        let row = row.map_err(|e| err(&e))?;
        for (b, (_, field)) in builders.iter_mut().zip(row.get_column_iter()) {
            buf.clear();
            match field {
                Field::Null => b.push_missing(),
                Field::Double(v) => b.push_number(*v),
                Field::Str(s) => b.push_text(s),
                Field::Byte(v) => push_display(b, &mut buf, v),
                Field::Short(v) => push_display(b, &mut buf, v),
                Field::Int(v) => push_display(b, &mut buf, v),
                Field::Long(v) => push_display(b, &mut buf, v),
                Field::UByte(v) => push_display(b, &mut buf, v),
                Field::UShort(v) => push_display(b, &mut buf, v),
                Field::UInt(v) => push_display(b, &mut buf, v),
                Field::ULong(v) => push_display(b, &mut buf, v),
                Field::Float(v) => push_display(b, &mut buf, v),
                Field::Float16(v) => push_display(b, &mut buf, v),
                Field::Bool(v) => push_display(b, &mut buf, v),
                other => push_display(b, &mut buf, other),
            }
        }
        n_rows += 1;
    }
    let (names, columns, _) =
        finish_columns(file, header, builders, |i| format!("field {}", i + 1))?;
    Ok(Parsed {
        names,
        columns,
        n_rows,
        origin: Origin::Records,
    })
}

fn push_display(b: &mut ColumnBuilder, buf: &mut String, v: &dyn std::fmt::Display) {
    let _ = write!(buf, "{v}");
    b.push_text(buf);
}
