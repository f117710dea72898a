//! Reading files: delimiters, decimal commas, quoting, BOM, workbooks,
//! provenance.

use oncomark_data::{ColumnKind, ReadOptions, Table};

use crate::{csv, read_bytes, small_xlsx};

#[test]
fn comma_csv_kinds_and_texts() {
    let t = csv("id,time,grp,score\n1,5.0,A,+1e2\n2,7,B,\n3,1.5,A,NA\n");
    assert_eq!(t.names(), ["id", "time", "grp", "score"]);
    assert_eq!(t.n_rows(), 3);
    assert_eq!(t.column("id").unwrap().kind(), ColumnKind::Numeric);
    assert_eq!(t.column("grp").unwrap().kind(), ColumnKind::Text);
    let score = t.column("score").unwrap();
    assert_eq!(score.kind(), ColumnKind::Numeric);
    assert_eq!(
        score.numbers().collect::<Vec<_>>(),
        [Some(100.0), None, None]
    );
    assert_eq!(score.n_missing(), 2);
    // Text as written: "5.0" stays "5.0", "+1e2" stays "+1e2".
    let time = t.column("time").unwrap();
    assert_eq!(time.text(0), Some("5.0"));
    assert_eq!(score.text(0), Some("+1e2"));
    assert_eq!(score.text(2), None);
    assert_eq!(t.provenance().rows, 3);
    assert_eq!(t.provenance().columns, 4);
}

#[test]
fn semicolon_export_with_decimal_comma() {
    // As Excel writes "CSV (semicolon)" in a German or French locale.
    let text = "Zeit;Status;Gruppe;Wert\r\n12,5;1;a;-0,75\r\n3;0;b;1,5e2\r\n8,25;1;a;\r\n";
    let opts = ReadOptions {
        decimal_comma: true,
        ..Default::default()
    };
    let t = Table::from_csv_str("de.csv", text, &opts).unwrap();
    assert_eq!(t.names(), ["Zeit", "Status", "Gruppe", "Wert"]);
    let zeit = t.column("Zeit").unwrap();
    assert_eq!(zeit.kind(), ColumnKind::Numeric);
    assert_eq!(
        zeit.numbers().collect::<Vec<_>>(),
        [Some(12.5), Some(3.0), Some(8.25)]
    );
    assert_eq!(
        t.column("Wert").unwrap().numbers().collect::<Vec<_>>(),
        [Some(-0.75), Some(150.0), None]
    );
    assert_eq!(zeit.text(0), Some("12,5"));
    // Without the option the same file still splits on ';' but "12,5" is text.
    let t = Table::from_csv_str("de.csv", text, &ReadOptions::default()).unwrap();
    assert_eq!(t.names().len(), 4);
    assert_eq!(t.column("Zeit").unwrap().kind(), ColumnKind::Text);
}

#[test]
fn explicit_delimiter_overrides_sniffing() {
    let opts = ReadOptions {
        delimiter: Some(b';'),
        ..Default::default()
    };
    let t = Table::from_csv_str("x.csv", "a,b;c\n1,2;3\n", &opts).unwrap();
    assert_eq!(t.names(), ["a,b", "c"]);
}

#[test]
fn tsv_file_by_extension() {
    let t = read_bytes(
        "data.tsv",
        b"time\tgroup label\tx\n1\thigh dose\t0.5\n2\tlow, early\t\n",
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(t.names(), ["time", "group label", "x"]);
    assert_eq!(t.column("group label").unwrap().text(1), Some("low, early"));
    assert_eq!(t.column("x").unwrap().number(1), None);
}

#[test]
fn txt_pipe_and_no_extension() {
    let t = read_bytes("export.txt", b"a|b\n1|2\n", &ReadOptions::default()).unwrap();
    assert_eq!(t.names(), ["a", "b"]);
    let t = read_bytes("stdin", b"a;b\n1;2\n", &ReadOptions::default()).unwrap();
    assert_eq!(t.names(), ["a", "b"]);
}

#[test]
fn utf8_bom_is_dropped_from_the_first_name() {
    let t = read_bytes(
        "bom.csv",
        "\u{feff}time,status\n1,0\n".as_bytes(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(t.names(), ["time", "status"]);
    assert!(t.column("time").is_ok());
}

#[test]
fn quoted_values_with_delimiters_quotes_and_newlines() {
    let text = "id,note,x\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\nand go\",3\n3,\"  7 \",4\n";
    let t = csv(text);
    let note = t.column("note").unwrap();
    assert_eq!(note.text(0), Some("a, b"));
    assert_eq!(note.text(1), Some("say \"hi\"\nand go"));
    // A quoted number is a number; surrounding spaces are trimmed.
    assert_eq!(note.text(2), Some("7"));
    // Row 3 starts on line 5 because row 2 spans two lines.
    assert_eq!(t.place(2, 0), "line 5");
}

#[test]
fn spaces_blank_lines_and_trailing_delimiter() {
    // Blank lines are skipped (line numbers still count them); a trailing
    // delimiter on every line makes a nameless, blank column that is dropped.
    let t = csv(" a , b ,\n 1 , x ,\n\n 2 ,y,\n");
    assert_eq!(t.names(), ["a", "b"]);
    assert_eq!(t.n_rows(), 2);
    assert_eq!(t.column("a").unwrap().number(0), Some(1.0));
    assert_eq!(t.column("b").unwrap().text(0), Some("x"));
    assert_eq!(t.place(1, 0), "line 4");
}

#[test]
fn missing_tokens_and_nan_is_not_missing() {
    let t = csv("x,y\n,a\nNA,b\nN/A,c\n.,d\nNaN,e\n1,f\n");
    let x = t.column("x").unwrap();
    assert_eq!(x.n_missing(), 4);
    // NaN is kept as a (non-finite) number: the column is numeric, and a
    // FrameBuilder rejects the cell when the column is used.
    assert_eq!(x.kind(), ColumnKind::Numeric);
    assert!(x.number(4).is_some_and(f64::is_nan));
    assert_eq!(x.text(4), Some("NaN"));
}

#[test]
fn header_only_table_has_no_rows() {
    let t = csv("a,b\n");
    assert_eq!(t.n_rows(), 0);
    assert_eq!(t.names(), ["a", "b"]);
}

#[test]
fn provenance_hash_of_the_file_bytes() {
    // `printf 'time,status\n1,0\n' | sha256sum` (GNU coreutils 9.1).
    let t = read_bytes("p.csv", b"time,status\n1,0\n", &ReadOptions::default()).unwrap();
    let p = t.provenance();
    assert_eq!(
        p.sha256,
        "92fc62f6092f02e180dd0b7a037d9f10ea0f8d4ad6c7031f5495aa317c0cb37b"
    );
    assert!(p.path.ends_with("p.csv"));
    let json = serde_json::to_string(p).unwrap();
    assert!(json.contains("\"rows\":1") && json.contains("\"columns\":2"));
    assert!(!json.contains("sheet"));
}

#[test]
fn xlsx_first_sheet_values() {
    let t = Table::read(&small_xlsx(), &ReadOptions::default()).unwrap();
    assert_eq!(t.provenance().sheet.as_deref(), Some("patients"));
    assert_eq!(t.names(), ["id", "time", "status", "grp", "marker", "note"]);
    assert_eq!(t.n_rows(), 4);
    let time = t.column("time").unwrap();
    assert_eq!(time.kind(), ColumnKind::Numeric);
    // 12.0 written as a float reads back as "12"; " 12 " stored as text is a number.
    assert_eq!(
        time.numbers().collect::<Vec<_>>(),
        [Some(5.5), Some(8.0), Some(12.0), Some(12.0)]
    );
    assert_eq!(time.text(2), Some("12"));
    assert_eq!(t.column("id").unwrap().text(0), Some("1"));
    let status = t.column("status").unwrap();
    assert_eq!(
        status.texts().collect::<Vec<_>>(),
        [Some("1"), Some("0"), Some("true"), Some("false")]
    );
    let marker = t.column("marker").unwrap();
    assert_eq!(
        marker.numbers().collect::<Vec<_>>(),
        [Some(0.25), None, None, Some(0.001)]
    );
    assert_eq!(marker.n_missing(), 2);
    let note = t.column("note").unwrap();
    assert_eq!(
        note.texts().collect::<Vec<_>>(),
        [Some("first"), Some("padded"), Some("x"), None]
    );
    assert_eq!(t.place(3, 1), "cell patients!B5");
}

#[test]
fn xlsx_named_sheet_with_offset_and_empty_row() {
    let opts = ReadOptions {
        sheet: Some("offset data".into()),
        ..Default::default()
    };
    let t = Table::read(&small_xlsx(), &opts).unwrap();
    assert_eq!(t.names(), ["time", "status"]);
    assert_eq!(t.n_rows(), 2);
    assert_eq!(t.column("status").unwrap().text(1), Some("no"));
    // The second data row is sheet row 6 (row 5 is empty), column C.
    assert_eq!(t.place(1, 0), "cell 'offset data'!C6");
}
