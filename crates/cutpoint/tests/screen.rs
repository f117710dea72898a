//! The screen against R 4.2.2 (survival 3.5-3, maxstat 0.7-25, p.adjust):
//! tests/fixtures/cutpoint/screen.csv (200 patients x 50 markers, seeded;
//! m41-m45 integer-valued, m46-m50 with 15 missing values each) and
//! screen_reference.csv, both from cutpoint_reference.R.

use std::sync::atomic::{AtomicUsize, Ordering};

use oncomark_cutpoint::screen::{bh, screen, Columns, ScreenOptions, ScreenResult};
use oncomark_testkit::{assert_close, fixture_column, read_fixture_csv, tol};

fn data() -> (Vec<f64>, Vec<bool>, Vec<String>, Vec<Vec<f64>>) {
    let (h, r) = read_fixture_csv("cutpoint/screen.csv");
    let t = fixture_column(&h, &r, "time")
        .into_iter()
        .map(|v| v.unwrap())
        .collect();
    let e = fixture_column(&h, &r, "event")
        .into_iter()
        .map(|v| v.unwrap() == 1.0)
        .collect();
    let names: Vec<String> = h[2..].to_vec();
    let cols = names
        .iter()
        .map(|n| {
            fixture_column(&h, &r, n)
                .into_iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    (t, e, names, cols)
}

fn run() -> ScreenResult {
    let (t, e, names, cols) = data();
    screen(
        &t,
        &e,
        &Columns {
            names: &names,
            columns: &cols,
        },
        &ScreenOptions::default(),
        None,
    )
    .unwrap()
}

#[test]
fn every_column_matches_r() {
    let res = run();
    let rows = serde_json::to_value(&res.rows).unwrap();
    let (rh, rr) = read_fixture_csv("cutpoint/screen_reference.csv");
    assert_eq!(res.rows.len(), rr.len());
    // field, tolerance: coxph fits to 1e-9 in loglik (COX); survdiff and the
    // maxstat sums are closed forms
    let fields: [(&str, f64); 27] = [
        ("n", tol::EXACT),
        ("events", tol::EXACT),
        ("cox_hr_per_sd", tol::COX),
        ("cox_lower", tol::COX),
        ("cox_upper", tol::COX),
        ("cox_p", tol::COX),
        ("cox_q", tol::COX),
        ("median_cut", tol::EXACT),
        ("median_hr", tol::COX),
        ("median_lower", tol::COX),
        ("median_upper", tol::COX),
        ("median_p", tol::LOGRANK),
        ("q1_cut", tol::EXACT),
        ("q1_hr", tol::COX),
        ("q1_p", tol::LOGRANK),
        ("q3_cut", tol::EXACT),
        ("q3_hr", tol::COX),
        ("q3_p", tol::LOGRANK),
        ("best_cut", tol::EXACT),
        ("best_statistic", tol::MAXSTAT),
        ("best_n_low", tol::EXACT),
        ("best_hr", tol::COX),
        ("best_lower", tol::COX),
        ("best_upper", tol::COX),
        ("best_p_lau94", tol::MAXSTAT),
        ("best_q", tol::MAXSTAT),
        ("n", tol::EXACT),
    ];
    for (field, rel) in fields {
        let want = fixture_column(&rh, &rr, field);
        for (i, w) in want.iter().enumerate() {
            let got = rows[i][field]
                .as_f64()
                .unwrap_or_else(|| panic!("{field} missing for row {i}"));
            // R's pLausen94 exceeds 1 for weak markers; a probability is capped at 1
            let w = if field == "best_p_lau94" {
                w.unwrap().min(1.0)
            } else {
                w.unwrap()
            };
            let what = format!("{} {field}", res.rows[i].marker);
            if field.starts_with("best_p") || field == "best_q" {
                // R's pLausen94 has an absolute error of a few epsilon
                // (1 - (pnorm(b) - pnorm(-b))); BH multiplies it by up to
                // the number of markers
                let slack = tol::R_ONE_MINUS_ABS * want.len() as f64;
                assert!(
                    (got - w).abs() <= slack + rel * w.abs(),
                    "{what}: got {got:e}, want {w:e}"
                );
            } else {
                assert_close(&what, got, w, rel);
            }
        }
    }
    assert!(res.rows.iter().all(|r| r.note.is_none()));
    assert_eq!(res.rows[45].n, 185); // m46: 15 missing
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let (t, e, names, cols) = data();
    let go = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                screen(
                    &t,
                    &e,
                    &Columns {
                        names: &names,
                        columns: &cols,
                    },
                    &ScreenOptions::default(),
                    None,
                )
                .unwrap()
            })
    };
    let one = go(1);
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&go(3)).unwrap()
    );
}

#[test]
fn progress_counts_every_marker_and_bad_markers_get_notes() {
    let (t, e, mut names, mut cols) = data();
    names.push("constant".into());
    cols.push(vec![1.0; t.len()]);
    names.push("mostly_missing".into());
    let mut v = vec![f64::NAN; t.len()];
    v[0] = 1.0;
    v[1] = 2.0;
    cols.push(v);
    let calls = AtomicUsize::new(0);
    let last = AtomicUsize::new(0);
    let progress = |k: usize| {
        calls.fetch_add(1, Ordering::Relaxed);
        last.fetch_max(k, Ordering::Relaxed);
    };
    let res = screen(
        &t,
        &e,
        &Columns {
            names: &names,
            columns: &cols,
        },
        &ScreenOptions::default(),
        Some(&progress),
    )
    .unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), 52);
    assert_eq!(last.load(Ordering::Relaxed), 52);
    let c = &res.rows[50];
    assert!(c.note.as_deref().unwrap().contains("constant"));
    assert!(c.cox_p.is_none() && c.cox_q.is_none());
    let m = &res.rows[51];
    assert_eq!(m.n, 2);
    assert!(m.note.as_deref().unwrap().contains("only 2 patients"));
    // the q values of the 50 real markers are unchanged by the two empty rows
    let base = run();
    for (a, b) in base.rows.iter().zip(&res.rows) {
        assert_eq!(a.cox_q, b.cox_q);
        assert_eq!(a.best_q, b.best_q);
    }
}

#[test]
fn bh_matches_p_adjust() {
    // R 4.2.2: p.adjust(c(0.02, 0.001, NA, 0.04, 0.03, 0.5), "BH")
    //   = 0.05 0.005 NA 0.05 0.05 0.5
    let q = bh(&[
        Some(0.02),
        Some(0.001),
        None,
        Some(0.04),
        Some(0.03),
        Some(0.5),
    ]);
    let want = [
        Some(0.05),
        Some(0.005),
        None,
        Some(0.05),
        Some(0.05),
        Some(0.5),
    ];
    for (g, w) in q.iter().zip(want) {
        match (g, w) {
            (Some(g), Some(w)) => assert_close("BH", *g, w, tol::EXACT),
            (None, None) => {}
            _ => panic!("{q:?}"),
        }
    }
}

#[test]
fn a_column_of_the_wrong_length_is_an_error() {
    let (t, e, names, mut cols) = data();
    cols[3].pop();
    let err = screen(
        &t,
        &e,
        &Columns {
            names: &names,
            columns: &cols,
        },
        &ScreenOptions::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "length mismatch: `marker column` has 199 values but `time` has 200; pass one value per patient"
    );
}
