//! Parquet (feature `parquet`): the fixtures written by pandas/pyarrow in
//! `tests/fixtures/data/make_parquet.py`.

use oncomark_data::{ColumnKind, DataError, FrameBuilder, ReadOptions, Table};
use oncomark_testkit::fixture;

use crate::{assert_msg, read_bytes};

#[test]
fn pandas_parquet_snappy_and_zstd() {
    for name in ["data/small.parquet", "data/small_zstd.parquet"] {
        let t = Table::read(&fixture(name), &ReadOptions::default()).unwrap();
        assert_eq!(t.names(), ["time", "status", "grp", "flag", "x32"]);
        assert_eq!(t.n_rows(), 4);
        let time = t.column("time").unwrap();
        assert_eq!(time.kind(), ColumnKind::Numeric);
        assert_eq!(
            time.numbers().collect::<Vec<_>>(),
            [Some(5.5), Some(8.0), None, Some(12.0)]
        );
        assert_eq!(t.column("status").unwrap().text(0), Some("1"));
        assert_eq!(t.column("grp").unwrap().text(2), None);
        assert_eq!(t.column("flag").unwrap().text(1), Some("false"));
        // float32 0.1 is read through its shortest decimal form.
        assert_eq!(t.column("x32").unwrap().number(0), Some(0.1));
        assert_eq!(t.place(2, 0), "record 3");
        let mut b = FrameBuilder::new(&t);
        let tm = b.time("time").unwrap();
        let ev = b.event("flag", None).unwrap();
        let f = b.build().unwrap();
        assert_eq!(f.time(tm), [5.5, 8.0, 12.0]);
        assert_eq!(f.event(ev), [true, false, false]);
        assert_eq!(f.dropped_missing(), 1);
    }
}

#[test]
fn parquet_error_for_a_file_that_is_not_parquet() {
    let e = read_bytes(
        "broken.parquet",
        b"PAR1 not really",
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, DataError::Parquet { .. }), "{e:?}");
    assert_msg(&e, &["broken.parquet: cannot read the Parquet file"]);
}
