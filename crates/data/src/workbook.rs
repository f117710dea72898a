//! Workbooks (XLSX, XLS, ODS) via calamine: one worksheet, the first row of
//! its used range as header.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Sheets};

use crate::error::DataError;
use crate::table::{cell_name, finish_columns, ColumnBuilder, Origin, Parsed, ReadOptions};

/// Read the sheet `opts.sheet` (default: the first) of the workbook in
/// `bytes`; `ext` (lowercase, no dot) selects the format.
///
/// Numeric cells are numbers; string cells are trimmed and read like text
/// cells (so `"NA"` is missing and `"12"` a number); booleans become
/// `true`/`false`; dates become Excel serial day numbers; error cells
/// (`#DIV/0!`, `#N/A`, ...) are an error naming the cell. Rows whose cells
/// are all empty are skipped.
pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    ext: &str,
    opts: &ReadOptions,
) -> Result<Parsed, DataError> {
    let wb_err = |message: String| DataError::Workbook {
        file: file.to_string(),
        message,
    };
    let cursor = Cursor::new(bytes);
    let mut wb: Sheets<Cursor<&[u8]>> = match ext {
        "xls" => Sheets::Xls(
            open_workbook_from_rs::<calamine::Xls<_>, _>(cursor)
                .map_err(|e| wb_err(e.to_string()))?,
        ),
        "xlsb" => Sheets::Xlsb(
            open_workbook_from_rs::<calamine::Xlsb<_>, _>(cursor)
                .map_err(|e| wb_err(e.to_string()))?,
        ),
        "ods" => Sheets::Ods(
            open_workbook_from_rs::<calamine::Ods<_>, _>(cursor)
                .map_err(|e| wb_err(e.to_string()))?,
        ),
        _ => Sheets::Xlsx(
            open_workbook_from_rs::<calamine::Xlsx<_>, _>(cursor)
                .map_err(|e| wb_err(e.to_string()))?,
        ),
    };
    let sheets = wb.sheet_names();
    let sheet = match &opts.sheet {
        Some(s) => {
            if !sheets.contains(s) {
                return Err(DataError::NoSuchSheet {
                    file: file.to_string(),
                    sheet: s.clone(),
                    sheets,
                });
            }
            s.clone()
        }
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| wb_err("the workbook has no worksheets".into()))?,
    };
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| wb_err(format!("sheet \"{sheet}\": {e}")))?;
    let empty_sheet = || DataError::EmptySheet {
        file: file.to_string(),
        sheet: sheet.clone(),
    };
    let (row0, col0) = range.start().ok_or_else(empty_sheet)?;
    let mut rows = range.rows();
    let header_cells = rows.next().ok_or_else(empty_sheet)?;
    let cell_error = |r: u32, c: usize, e: &calamine::CellErrorType| DataError::CellError {
        file: file.to_string(),
        cell: cell_name(&sheet, r, col0 + c as u32),
        value: e.to_string(),
    };
    let mut header = Vec::with_capacity(header_cells.len());
    for (c, cell) in header_cells.iter().enumerate() {
        match cell {
            Data::Error(e) => return Err(cell_error(row0 + 1, c, e)),
            other => header.push(other.to_string().trim().to_string()),
        }
    }
    if header.iter().all(String::is_empty) {
        return Err(empty_sheet());
    }
    let width = header.len();
    let capacity = range.height().saturating_sub(1);
    let mut builders: Vec<ColumnBuilder> = (0..width)
        .map(|_| ColumnBuilder::new(opts.decimal_comma, capacity))
        .collect();
    let mut sheet_rows = Vec::with_capacity(capacity);
    for (i, cells) in rows.enumerate() {
        let sheet_row = row0 + 2 + i as u32;
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        for (c, (b, cell)) in builders.iter_mut().zip(cells).enumerate() {
            match cell {
                Data::Empty => b.push_missing(),
                Data::Int(v) => b.push_number(*v as f64),
                Data::Float(v) => b.push_number(*v),
                Data::DateTime(d) => b.push_number(d.as_f64()),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => b.push_text(s),
                Data::Bool(v) => b.push_text(if *v { "true" } else { "false" }),
                Data::Error(e) => return Err(cell_error(sheet_row, c, e)),
            }
        }
        sheet_rows.push(sheet_row);
    }
    let n_rows = sheet_rows.len();
    let (names, columns, kept) = finish_columns(file, header, builders, |c| {
        format!("cell {}", cell_name(&sheet, row0 + 1, col0 + c as u32))
    })?;
    let cols = kept.into_iter().map(|c| col0 + c as u32).collect();
    Ok(Parsed {
        names,
        columns,
        n_rows,
        origin: Origin::Sheet {
            sheet,
            rows: sheet_rows,
            cols,
        },
    })
}
