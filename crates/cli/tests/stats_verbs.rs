//! `table`, `ttest` and `agreement` end to end, on the issue's published
//! vectors (values from R 4.2.2 `fisher.test`, `chisq.test`, `t.test` and
//! statsmodels 0.15 `cohens_kappa`, as pinned in tests/fixtures/stats).

use std::process::Command;

use oncomark_testkit::{assert_close, tol};
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_oncomark"))
        .args(args)
        .output()
        .expect("run oncomark");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (code, out, err) = run(&a);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("JSON")
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// A long table with `counts[i][j]` rows of (row level i, col level j).
fn long_table(rname: &str, cname: &str, rl: &[&str], cl: &[&str], counts: &[&[u32]]) -> String {
    let mut s = format!("{rname},{cname}\n");
    for (i, r) in rl.iter().enumerate() {
        for (j, c) in cl.iter().enumerate() {
            for _ in 0..counts[i][j] {
                s.push_str(&format!("{r},{c}\n"));
            }
        }
    }
    s
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

#[test]
fn table_reproduces_the_papers_table_2() {
    // Objective response 4 of 23 (score 3+) vs 25 of 55 (0-2+): R 4.2.2
    // fisher.test P 0.02230, OR 0.2568 (0.0562-0.9140); chisq.test 5.4685
    // (P 0.0194), Yates 4.3330 (P 0.0374). Printed to 4 digits in the issue.
    let dir = tempfile::tempdir().unwrap();
    let d = write(
        &dir,
        "t2.csv",
        &long_table(
            "b1_group",
            "response",
            &["3+", "0-2+"],
            &["yes", "no"],
            &[&[4, 19], &[25, 30]],
        ),
    );
    let v = json(&[
        "table",
        "--data",
        &d,
        "--row",
        "b1_group",
        "--col",
        "response",
        "--row-levels",
        "3+,0-2+",
        "--col-levels",
        "yes,no",
    ]);
    assert_eq!(v["counts"], serde_json::json!([[4, 19], [25, 30]]));
    let t = &v["tests"];
    let p4 = tol::printed_digits(4);
    assert_close("fisher p", f(&t["fisher"]["p"]), 0.02230, p4);
    assert_close("fisher or", f(&t["fisher"]["odds_ratio"]), 0.2568, p4);
    // 0.0562 is printed to 3 significant digits
    assert_close(
        "fisher lower",
        f(&t["fisher"]["lower"]),
        0.0562,
        tol::printed_digits(3),
    );
    assert_close("fisher upper", f(&t["fisher"]["upper"]), 0.9140, p4);
    assert_close(
        "chisq",
        f(&t["chisq"]["statistic"]),
        5.4685,
        tol::printed_digits(5),
    );
    assert_close(
        "yates",
        f(&t["chisq_yates"]["statistic"]),
        4.3330,
        tol::printed_digits(5),
    );
    assert_close(
        "yates p",
        f(&t["chisq_yates"]["p"]),
        0.03737,
        tol::printed_digits(3),
    );
}

#[test]
fn table_gbsg2_er_by_hormone_therapy() {
    // [[126, 63], [314, 183]]: Yates 0.580420 (P 0.446148), uncorrected
    // 0.724112 (P 0.394798), Fisher P 0.423219, OR 1.165346 (R 4.2.2).
    let dir = tempfile::tempdir().unwrap();
    let d = write(
        &dir,
        "g.csv",
        &long_table(
            "er",
            "horTh",
            &["neg", "pos"],
            &["no", "yes"],
            &[&[126, 63], &[314, 183]],
        ),
    );
    let v = json(&["table", "--data", &d, "--row", "er", "--col", "horTh"]);
    let t = &v["tests"];
    let p6 = tol::printed_digits(6);
    assert_close("yates", f(&t["chisq_yates"]["statistic"]), 0.580420, p6);
    assert_close("chisq p", f(&t["chisq"]["p"]), 0.394798, p6);
    assert_close("fisher p", f(&t["fisher"]["p"]), 0.423219, p6);
    assert_close("fisher or", f(&t["fisher"]["odds_ratio"]), 1.165346, p6);
}

#[test]
fn table_trend_on_ordered_rows() {
    let dir = tempfile::tempdir().unwrap();
    // R 4.2.2: prop.trend.test(c(15, 10, 5), c(20, 20, 20)) -> X-squared 10, df 1
    let d = write(
        &dir,
        "tr.csv",
        &long_table(
            "dose",
            "resp",
            &["1", "2", "3"],
            &["y", "n"],
            &[&[15, 5], &[10, 10], &[5, 15]],
        ),
    );
    let v = json(&[
        "table",
        "--data",
        &d,
        "--row",
        "dose",
        "--col",
        "resp",
        "--col-levels",
        "y,n",
        "--test",
        "trend",
    ]);
    assert_close(
        "trend",
        f(&v["tests"]["trend"]["statistic"]),
        10.0,
        tol::EXACT,
    );
    assert!(v["tests"]["fisher"].is_null());
}

#[test]
fn table_unlisted_level_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = write(&dir, "t.csv", "a,b\nx,1\ny,2\nz,1\n");
    let (code, _, err) = run(&[
        "table",
        "--data",
        &d,
        "--row",
        "a",
        "--col",
        "b",
        "--row-levels",
        "x,y",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("\"z\""), "{err}");
}

#[test]
fn ttest_student_welch_paired() {
    // a = 62.1, 55.4, 70.3 and b = 81.0, 88.2, 79.5 (issue 3): Student
    // t = -3.998626 (df 4, P 0.01614854); Welch df 3.349954 (P 0.02277451).
    let dir = tempfile::tempdir().unwrap();
    let d = write(
        &dir,
        "t.csv",
        "g,v,e\na,62.1,1\na,55.4,2\na,70.3,3\nb,81.0,1\nb,88.2,2\nb,79.5,3\n",
    );
    let v = json(&["ttest", "--data", &d, "--value", "v", "--group", "g"]);
    assert_eq!(v["test"], "student");
    assert_close("t", f(&v["statistic"]), -3.998626, tol::printed_digits(7));
    assert_close("p", f(&v["p"]), 0.01614854, tol::printed_digits(7));
    assert_close("estimate", f(&v["estimate"]), -20.3, tol::EXACT);
    assert_eq!(v["groups"][0]["group"], "a");
    let w = json(&[
        "ttest", "--data", &d, "--value", "v", "--group", "g", "--welch",
    ]);
    assert_close("welch df", f(&w["df"]), 3.349954, tol::printed_digits(7));
    assert_close("welch p", f(&w["p"]), 0.02277451, tol::printed_digits(7));
    // Paired by experiment: differences -18.9, -32.8, -9.2; R t.test(paired)
    // t = -2.964109094 on 2 df (R 4.2.2).
    let p = json(&[
        "ttest", "--data", &d, "--value", "v", "--group", "g", "--paired", "--id", "e",
    ]);
    assert_eq!(p["test"], "paired");
    assert_close(
        "paired t",
        f(&p["statistic"]),
        -2.964109094,
        tol::printed_digits(10),
    );
}

#[test]
fn ttest_refuses_three_groups_and_duplicate_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let d = write(
        &dir,
        "t.csv",
        "g,v,e\na,1,1\nb,2,1\nc,3,1\na,2,2\nb,3,2\nc,4,2\n",
    );
    let (code, _, err) = run(&["ttest", "--data", &d, "--value", "v", "--group", "g"]);
    assert_eq!(code, 2);
    assert!(err.contains("3 groups"), "{err}");
    let d2 = write(
        &dir,
        "p.csv",
        "g,v,e\na,1,1\na,1.5,1\nb,2,1\na,2,2\nb,3,2\n",
    );
    let (code, _, err) = run(&[
        "ttest", "--data", &d2, "--value", "v", "--group", "g", "--paired", "--id", "e",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("more than one value"), "{err}");
}

#[test]
fn agreement_reproduces_the_ihc_kappas() {
    // 4x4 IHC table of issue 3: kappa 0.6428571429 (SE 0.108761, CI
    // 0.429690-0.856024, statsmodels 0.15), linear 0.7769516729,
    // quadratic 0.8837209302.
    let dir = tempfile::tempdir().unwrap();
    let l = ["0", "1+", "2+", "3+"];
    let d = write(
        &dir,
        "k.csv",
        &long_table(
            "r1",
            "r2",
            &l,
            &l,
            &[&[6, 2, 0, 0], &[1, 5, 2, 0], &[0, 1, 6, 1], &[0, 0, 1, 5]],
        ),
    );
    let v = json(&[
        "agreement",
        "--data",
        &d,
        "--rater-a",
        "r1",
        "--rater-b",
        "r2",
    ]);
    assert_eq!(v["n"], 30);
    assert_close(
        "kappa",
        f(&v["kappa"]),
        0.6428571429,
        tol::printed_digits(10),
    );
    assert_close("se", f(&v["se"]), 0.108761, tol::printed_digits(6));
    assert_close("lower", f(&v["lower"]), 0.429690, tol::printed_digits(6));
    assert_close(
        "agreement",
        f(&v["observed_agreement"]),
        22.0 / 30.0,
        tol::EXACT,
    );
    let lin = json(&[
        "agreement",
        "--data",
        &d,
        "--rater-a",
        "r1",
        "--rater-b",
        "r2",
        "--weights",
        "linear",
    ]);
    assert_close(
        "linear",
        f(&lin["kappa"]),
        0.7769516729,
        tol::printed_digits(10),
    );
    let q = json(&[
        "agreement",
        "--data",
        &d,
        "--rater-a",
        "r1",
        "--rater-b",
        "r2",
        "--weights",
        "quadratic",
    ]);
    assert_close(
        "quadratic",
        f(&q["kappa"]),
        0.8837209302,
        tol::printed_digits(10),
    );
}

#[test]
fn agreement_icc_on_numeric_reads() {
    // Two readers' percents on 7 cases; R 4.2.2, psych 2.2.9
    // ICC(cbind(a, b), lmer = FALSE).
    let dir = tempfile::tempdir().unwrap();
    let d = write(
        &dir,
        "i.csv",
        "a,b\n10,15\n35,45\n55,50\n80,70\n5,5\n20,10\n60,65\n",
    );
    let v = json(&[
        "agreement",
        "--data",
        &d,
        "--rater-a",
        "a",
        "--rater-b",
        "b",
        "--icc",
    ]);
    let est = v["icc"]["estimates"].as_array().unwrap();
    let want = [
        0.9645250296,
        0.9644268775,
        0.9591194969,
        0.9819422151,
        0.9818913481,
        0.9791332263,
    ];
    assert_eq!(est.len(), want.len());
    for (e, w) in est.iter().zip(want) {
        assert_close("icc", f(&e["icc"]), w, tol::printed_digits(10));
    }
}

#[test]
fn table_too_large_for_exact_fisher_falls_back_to_monte_carlo() {
    // A 5x5 table of 300: R 4.2.2 fisher.test(simulate.p.value = TRUE,
    // B = 1e6) gives P = 0.0609 (Monte Carlo SE about 0.00024); ours uses
    // 1e5 tables (SE about 0.00076), so allow 4 combined SEs.
    let counts: [[u32; 5]; 5] = [
        [9, 12, 15, 17, 7],
        [6, 12, 15, 11, 14],
        [19, 8, 9, 9, 13],
        [10, 16, 9, 5, 18],
        [13, 14, 13, 11, 15],
    ];
    let l = ["a", "b", "c", "d", "e"];
    let rows: Vec<&[u32]> = counts.iter().map(|r| &r[..]).collect();
    let dir = tempfile::tempdir().unwrap();
    let d = write(&dir, "big.csv", &long_table("r", "c", &l, &l, &rows));
    let v = json(&["table", "--data", &d, "--row", "r", "--col", "c"]);
    assert!(v["tests"]["fisher"].is_null());
    let mc = &v["fisher_monte_carlo"];
    assert_eq!(mc["replicates"], 100_000);
    assert!(
        (f(&mc["p"]) - 0.0609089).abs() < 4.0 * (0.00076f64.powi(2) + 0.00024f64.powi(2)).sqrt()
    );
    assert!(v["warnings"][0].as_str().unwrap().contains("simulated"));
}
