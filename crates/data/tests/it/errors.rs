//! Every `DataError` variant, provoked and read as a person would.

use oncomark_data::{Coding, DataError, FrameBuilder, ReadOptions, Table};

use crate::{assert_msg, csv, read_bytes, small_xlsx};

fn sheet(name: &str) -> ReadOptions {
    ReadOptions {
        sheet: Some(name.into()),
        ..Default::default()
    }
}

#[test]
fn io_missing_file() {
    let e = Table::read(
        std::path::Path::new("/no/such/dir/lung.csv"),
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, DataError::Io { .. }));
    assert_msg(&e, &["cannot read /no/such/dir/lung.csv"]);
}

#[test]
fn unsupported_extension() {
    let e = read_bytes("lung.sav", b"x", &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::UnsupportedFormat { .. }));
    assert_msg(
        &e,
        &[
            "lung.sav",
            "unsupported file type \".sav\"",
            ".csv",
            ".xlsx",
        ],
    );
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_says_so() {
    let e = read_bytes("t.parquet", b"PAR1", &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::UnsupportedFormat { .. }));
    assert_msg(&e, &["compiled with the `parquet` feature"]);
}

#[test]
fn empty_file() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\n\r\n  \n"] {
        let e = read_bytes("empty.csv", bytes, &ReadOptions::default()).unwrap_err();
        assert!(matches!(e, DataError::EmptyFile { .. }), "{e}");
        assert_msg(&e, &["empty.csv", "the file is empty", "header row"]);
    }
}

#[test]
fn not_utf8_names_the_line() {
    // "Müller" in Latin-1 on line 3.
    let e = read_bytes(
        "latin1.csv",
        b"id,name\n1,Ann\n2,M\xfcller\n",
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, DataError::NotUtf8 { line: 3, .. }), "{e:?}");
    assert_msg(
        &e,
        &[
            "latin1.csv, line 3",
            "not UTF-8",
            "re-save the file as UTF-8",
        ],
    );
    // UTF-16 with its byte-order mark (Excel "Unicode text").
    let e = read_bytes("u16.txt", b"\xFF\xFEt\x00i\x00", &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::NotUtf8 { line: 1, .. }));
    // Invalid bytes in the header.
    let e = read_bytes("h.csv", b"a,\xe9\n1,2\n", &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::NotUtf8 { line: 1, .. }));
}

#[test]
fn empty_header_above_data() {
    let e =
        Table::from_csv_str("h.csv", "time,,status\n1,x,0\n", &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::EmptyHeader { .. }));
    assert_msg(&e, &["h.csv, line 1, field 2", "no name"]);
    let e = Table::read(&small_xlsx(), &sheet("noname")).unwrap_err();
    assert!(matches!(e, DataError::EmptyHeader { .. }));
    assert_msg(&e, &["cell noname!B1"]);
}

#[test]
fn duplicate_header() {
    let e = Table::from_csv_str("d.csv", "time,age,time\n1,2,3\n", &ReadOptions::default())
        .unwrap_err();
    assert!(matches!(
        e,
        DataError::DuplicateHeader {
            first: 1,
            second: 3,
            ..
        }
    ));
    assert_msg(&e, &["d.csv", "\"time\" twice", "fields 1 and 3", "unique"]);
    // Trimmed names collide too.
    let e = Table::from_csv_str("d.csv", "age , age\n1,2\n", &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::DuplicateHeader { .. }));
}

#[test]
fn ragged_row_names_line_and_counts() {
    let e = Table::from_csv_str(
        "r.csv",
        "a,b,c\n1,2,3\n4,5\n6,7,8\n",
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            DataError::RaggedRow {
                line: 3,
                expected: 3,
                found: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert_msg(
        &e,
        &["r.csv, line 3: 2 fields, but the header has 3", "comma"],
    );
    // An unquoted decimal comma in a comma file: one field too many.
    let text = "a,b\n1,2\n1,2\n1,2\n3,5,6\n";
    let e = Table::from_csv_str("r.csv", text, &ReadOptions::default()).unwrap_err();
    assert_msg(&e, &["line 5: 3 fields, but the header has 2"]);
}

#[test]
fn workbook_that_is_not_one() {
    let e = read_bytes(
        "broken.xlsx",
        b"this is not a zip file",
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, DataError::Workbook { .. }));
    assert_msg(&e, &["broken.xlsx: cannot read the workbook"]);
}

#[test]
fn no_such_sheet_lists_sheets() {
    let e = Table::read(&small_xlsx(), &sheet("Patients")).unwrap_err();
    assert!(matches!(e, DataError::NoSuchSheet { .. }));
    assert_msg(
        &e,
        &[
            "no sheet named \"Patients\"",
            "\"patients\", \"offset data\", \"errors\"",
        ],
    );
}

#[test]
fn empty_sheet() {
    let e = Table::read(&small_xlsx(), &sheet("empty")).unwrap_err();
    assert!(matches!(e, DataError::EmptySheet { .. }));
    assert_msg(&e, &["sheet \"empty\" is empty"]);
}

#[test]
fn cell_error_names_the_cell() {
    let e = Table::read(&small_xlsx(), &sheet("errors")).unwrap_err();
    assert!(matches!(e, DataError::CellError { .. }));
    assert_msg(&e, &["cell errors!B3", "#DIV/0!", "fix the formula"]);
}

#[test]
fn unknown_column_suggests_nearest() {
    let t = csv("time,status,age\n1,0,50\n");
    let e = t.column("tme").unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.csv: no column \"tme\"; did you mean \"time\"? Columns: time, status, age"
    );
    let e = t.column("weight").unwrap_err();
    assert!(matches!(
        e,
        DataError::UnknownColumn {
            suggestion: None,
            ..
        }
    ));
    assert_eq!(
        e.to_string(),
        "t.csv: no column \"weight\". Columns: time, status, age"
    );
    let e = FrameBuilder::new(&t).time("Time").unwrap_err();
    assert_msg(&e, &["did you mean \"time\""]);
}

#[test]
fn not_a_number_names_row_line_column_value() {
    let t = csv("time,status\n1,0\n2,1\nabc,1\n");
    let e = FrameBuilder::new(&t).time("time").unwrap_err();
    assert!(matches!(e, DataError::NotNumber { row: 3, .. }));
    assert_eq!(
        e.to_string(),
        "t.csv, row 3 (line 4), column \"time\": \"abc\" is not a number; time must be a non-negative number"
    );
    let e = FrameBuilder::new(&t).numeric("time").unwrap_err();
    assert_msg(
        &e,
        &[
            "\"abc\" is not a number",
            "column \"time\" must hold numbers",
        ],
    );
}

#[test]
fn not_finite_is_not_missing() {
    for v in ["NaN", "inf", "-Infinity", "1e999"] {
        let t = csv(&format!("x,time\n1,1\n{v},2\n"));
        let e = FrameBuilder::new(&t).numeric("x").unwrap_err();
        assert!(matches!(e, DataError::NotFinite { row: 2, .. }), "{e:?}");
        assert_msg(
            &e,
            &[
                "row 2 (line 3), column \"x\"",
                &format!("\"{v}\" is not a finite number"),
                "write NA",
            ],
        );
        let e = FrameBuilder::new(&t)
            .terms(&["x"], &Coding::default())
            .unwrap_err();
        assert!(matches!(e, DataError::NotFinite { .. }));
    }
    let t = csv("time\n1\ninf\n");
    assert!(matches!(
        FrameBuilder::new(&t).time("time"),
        Err(DataError::NotFinite { .. })
    ));
}

#[test]
fn negative_time() {
    let t = csv("time,status\n1,0\n-2.5,1\n");
    let e = FrameBuilder::new(&t).time("time").unwrap_err();
    assert!(matches!(e, DataError::NegativeTime { row: 2, .. }));
    assert_msg(
        &e,
        &["row 2 (line 3)", "\"-2.5\" is negative", "non-negative"],
    );
}

#[test]
fn bad_event_suggests_naming_the_value() {
    // R's lung codes status 1 = censored, 2 = dead.
    let t = csv("time,status\n306,2\n455,2\n1010,1\n");
    let e = FrameBuilder::new(&t).event("status", None).unwrap_err();
    assert!(matches!(e, DataError::BadEvent { row: 1, .. }));
    assert_msg(
        &e,
        &[
            "row 1 (line 2), column \"status\"",
            "\"2\" is not an event code",
            "--event status=2",
        ],
    );
    let t = csv("time,status\n1,dead\n");
    let e = FrameBuilder::new(&t).event("status", None).unwrap_err();
    assert_msg(&e, &["--event status=dead"]);
}

#[test]
fn event_value_not_found_lists_values() {
    let t = csv("time,vital\n1,Dead\n2,Alive\n3,\n");
    let e = FrameBuilder::new(&t)
        .event("vital", Some("dead"))
        .unwrap_err();
    assert!(matches!(e, DataError::EventValueNotFound { .. }));
    assert_msg(
        &e,
        &[
            "never holds \"dead\"",
            "did you mean \"Dead\"",
            "values in the column: Alive, Dead",
        ],
    );
}

#[test]
fn unknown_reference_level_lists_levels() {
    let t = csv("grade,x\nII,1\nI,2\nIII,3\n");
    let coding = Coding {
        reference: vec![("grade".into(), "IV".into())],
        ..Default::default()
    };
    let e = FrameBuilder::new(&t)
        .terms(&["grade"], &coding)
        .unwrap_err();
    assert!(matches!(e, DataError::UnknownLevel { .. }));
    assert_msg(
        &e,
        &[
            "column \"grade\" has no level \"IV\"",
            "\"I\", \"II\", \"III\"",
        ],
    );
}

#[test]
fn reference_level_only_in_dropped_rows() {
    let t = csv("grade,x\nII,1\nI,\nIII,3\n");
    let coding = Coding {
        reference: vec![("grade".into(), "I".into())],
        ..Default::default()
    };
    let mut b = FrameBuilder::new(&t);
    b.terms(&["grade", "x"], &coding).unwrap();
    let e = b.build().unwrap_err();
    assert!(matches!(e, DataError::LevelDropped { .. }));
    assert_msg(
        &e,
        &[
            "\"I\" of column \"grade\"",
            "only in rows dropped",
            "\"II\", \"III\"",
        ],
    );
}

#[test]
fn reference_for_a_column_not_in_terms() {
    let t = csv("grade,x\nII,1\n");
    let coding = Coding {
        reference: vec![("stage".into(), "1".into())],
        ..Default::default()
    };
    let e = FrameBuilder::new(&t)
        .terms(&["grade", "x"], &coding)
        .unwrap_err();
    assert!(matches!(e, DataError::ReferenceNotInTerms { .. }));
    assert_msg(
        &e,
        &[
            "column \"stage\"",
            "not among the model terms (\"grade\", \"x\")",
        ],
    );
}

#[test]
fn reference_for_a_numeric_term() {
    let t = csv("stage,x\n1,1\n2,2\n");
    let coding = Coding {
        reference: vec![("stage".into(), "2".into())],
        ..Default::default()
    };
    let e = FrameBuilder::new(&t)
        .terms(&["stage"], &coding)
        .unwrap_err();
    assert!(matches!(e, DataError::ReferenceOnNumeric { .. }));
    assert_msg(&e, &["column \"stage\"", "list it as categorical"]);
}

#[test]
fn repeated_term() {
    let t = csv("age,x\n1,1\n");
    let e = FrameBuilder::new(&t)
        .terms(&["age", "x", "age"], &Coding::default())
        .unwrap_err();
    assert!(matches!(e, DataError::RepeatedTerm { .. }));
    assert_msg(&e, &["\"age\" is listed twice"]);
}

#[test]
fn no_rows() {
    let t = csv("time,status\n");
    let mut b = FrameBuilder::new(&t);
    b.time("time").unwrap();
    let e = b.build().unwrap_err();
    assert!(matches!(e, DataError::NoRows { .. }));
    assert_msg(&e, &["t.csv: the table has a header but no data rows"]);
}

#[test]
fn all_rows_dropped_names_columns_and_counts() {
    let t = csv("time,status,karno,age\n1,1,,50\n2,0,,\n3,1,80,\n");
    let mut b = FrameBuilder::new(&t);
    b.time("time").unwrap();
    b.event("status", None).unwrap();
    b.terms(&["karno", "age"], &Coding::default()).unwrap();
    let e = b.build().unwrap_err();
    match &e {
        DataError::AllRowsDropped {
            n_rows, missing, ..
        } => {
            assert_eq!(*n_rows, 3);
            assert_eq!(missing, &[("karno".to_string(), 2), ("age".to_string(), 2)]);
        }
        other => panic!("{other:?}"),
    }
    assert_msg(&e, &["all 3 rows were dropped", "\"karno\": 2, \"age\": 2"]);
}
