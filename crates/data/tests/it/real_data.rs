//! The reference data sets of `tests/fixtures/r-survival` (written by R),
//! read with this crate and checked against R's own counts.

use oncomark_data::{Coding, FrameBuilder, ReadOptions, Table};
use oncomark_testkit::fixture;

#[test]
fn lung_missing_counts_and_complete_cases() {
    let t = Table::read(&fixture("r-survival/lung.csv"), &ReadOptions::default()).unwrap();
    // R 4.2.2, survival 3.5-3: nrow(lung) = 228; colSums(is.na(lung)):
    // ph.ecog 1, ph.karno 1, wt.loss 14.
    assert_eq!(t.n_rows(), 228);
    let miss = |c: &str| t.column(c).unwrap().n_missing();
    assert_eq!(
        (
            miss("ph.ecog"),
            miss("ph.karno"),
            miss("wt.loss"),
            miss("time")
        ),
        (1, 1, 14, 0)
    );
    let mut b = FrameBuilder::new(&t);
    let time = b.time("time").unwrap();
    let dead = b.event("dead", None).unwrap();
    b.terms(
        &["age", "sex", "ph.ecog", "ph.karno", "wt.loss"],
        &Coding::default(),
    )
    .unwrap();
    let f = b.build().unwrap();
    // R: sum(complete.cases(lung[, c("time","status","age","sex","ph.ecog","ph.karno","wt.loss")])) = 213.
    assert_eq!((f.n(), f.dropped_missing()), (213, 15));
    assert_eq!(f.time(time).len(), 213);
    // All 228 rows: sum(lung$status == 2) = 165 deaths.
    let mut b = FrameBuilder::new(&t);
    let dead_all = b.event("dead", None).unwrap();
    let f_all = b.build().unwrap();
    assert_eq!(f_all.event(dead_all).iter().filter(|&&d| d).count(), 165);
    let _ = dead;
}

#[test]
fn gbsg2_dummy_columns_match_r_model_matrix() {
    let t = Table::read(&fixture("r-survival/gbsg2.csv"), &ReadOptions::default()).unwrap();
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["tgrade", "horTh"], &Coding::default()).unwrap();
    let f = b.build().unwrap();
    let d = f.design(x);
    // R 4.2.2, TH.data GBSG2 with tgrade/horTh as character:
    // colnames(model.matrix(~ tgrade + horTh)) = tgradeII tgradeIII horThyes,
    // colSums = 444 161 246 over 686 rows.
    assert_eq!(d.names, ["tgrade=II", "tgrade=III", "horTh=yes"]);
    let sums: Vec<f64> = d.columns.iter().map(|c| c.iter().sum()).collect();
    assert_eq!(sums, [444.0, 161.0, 246.0]);
    assert_eq!(f.n(), 686);
}

#[test]
fn veteran_celltype_reference_as_r_character_factor() {
    let t = Table::read(&fixture("r-survival/veteran.csv"), &ReadOptions::default()).unwrap();
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["celltype"], &Coding::default()).unwrap();
    let f = b.build().unwrap();
    let d = f.design(x);
    // R 4.2.2, survival 3.5-3 veteran with as.character(celltype):
    // model.matrix columns celltypelarge, celltypesmallcell, celltypesquamous
    // with sums 27, 48, 35 (reference adeno).
    assert_eq!(
        d.names,
        ["celltype=large", "celltype=smallcell", "celltype=squamous"]
    );
    let sums: Vec<f64> = d.columns.iter().map(|c| c.iter().sum()).collect();
    assert_eq!(sums, [27.0, 48.0, 35.0]);
}

/// Release-mode speed check on 1e6 rows x 7 numeric columns (about 25 MB);
/// run with `cargo test --release -p oncomark-data -- --ignored`.
#[test]
#[ignore]
fn reads_a_million_rows_quickly() {
    use std::fmt::Write;
    let mut text = String::from("time,status,age,sex,ph.ecog,ph.karno,wt.loss\n");
    for i in 0..1_000_000u64 {
        let _ = writeln!(
            text,
            "{}.{:02},{},{},{},{},{}.5,{}",
            (i * 7919) % 3000,
            i % 100,
            i % 2,
            40 + i % 40,
            1 + i % 2,
            i % 4,
            50 + i % 50,
            if i % 10 == 0 {
                String::new()
            } else {
                format!("{}", i % 30)
            }
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    std::fs::write(&path, &text).unwrap();
    let start = std::time::Instant::now();
    let t = Table::read(&path, &ReadOptions::default()).unwrap();
    let elapsed = start.elapsed();
    eprintln!("read {} MB in {elapsed:?}", text.len() / 1_000_000);
    assert_eq!(t.n_rows(), 1_000_000);
    assert_eq!(t.column("wt.loss").unwrap().n_missing(), 100_000);
    assert!(elapsed.as_secs_f64() < 1.0, "{elapsed:?}");
}
