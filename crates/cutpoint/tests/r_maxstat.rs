//! oncomark-cutpoint against R: maxstat 0.7-25, survival 3.5-3, mvtnorm
//! 1.1-3 on R 4.2.2. Fixtures: tests/fixtures/cutpoint/maxstat.json (made by
//! cutpoint_reference.R next to it) and the `cutpoint` entries of
//! tests/fixtures/r-survival/*.json.

use oncomark_cutpoint::scores::gehan_scores;
use oncomark_cutpoint::{
    altman_corrected, altman_corrected_approx, cutpoint, maxstat, p_exact_gauss, p_lausen92,
    p_lausen94, p_lausen94_props, CutpointOptions, MaxstatOptions, PMethod, SortedSurvival,
    SplitStatistic,
};
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};
use serde_json::Value;

struct Data {
    time: Vec<f64>,
    event: Vec<bool>,
    marker: Vec<f64>,
}

fn load(file: &str, time: &str, event: &str, marker: &str, rows: Option<usize>) -> Data {
    let (h, r) = read_fixture_csv(file);
    let k = rows.unwrap_or(r.len());
    let col = |name: &str| -> Vec<Option<f64>> {
        fixture_column(&h, &r, name).into_iter().take(k).collect()
    };
    let (t, e, x) = (col(time), col(event), col(marker));
    // complete cases in time, event (R's model frame drops them)
    let keep: Vec<usize> = (0..k)
        .filter(|&i| t[i].is_some() && e[i].is_some())
        .collect();
    Data {
        time: keep.iter().map(|&i| t[i].unwrap_or(f64::NAN)).collect(),
        event: keep.iter().map(|&i| e[i] == Some(1.0)).collect(),
        marker: keep.iter().map(|&i| x[i].unwrap_or(f64::NAN)).collect(),
    }
}

fn case_data(c: &Value) -> Data {
    let name = c["name"].as_str().unwrap();
    let marker = c["marker"].as_str().unwrap();
    match name {
        "lung_age" => load("r-survival/lung.csv", "time", "dead", marker, None),
        "gbsg2_rows1_80_progrec" => load("r-survival/gbsg2.csv", "time", "cens", marker, Some(80)),
        "gbsg2_rows1_150_estrec" => load("r-survival/gbsg2.csv", "time", "cens", marker, Some(150)),
        _ => load("r-survival/gbsg2.csv", "time", "cens", marker, None),
    }
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn fv(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

/// R's `1 - (pnorm(b) - pnorm(-b))` is exact only to a few units of the
/// double epsilon; ours uses erfc.
fn assert_close_r_tail(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= tol::R_ONE_MINUS_ABS + tol::MAXSTAT * want.abs(),
        "{what}: got {got:e}, want {want:e}"
    );
}

fn opts(c: &Value, statistic: SplitStatistic) -> MaxstatOptions {
    MaxstatOptions {
        statistic,
        min_prop: f(&c["minprop"]),
        max_prop: f(&c["maxprop"]),
    }
}

#[test]
fn logrank_statistic_profile_and_cutpoint_match_maxstat() {
    let d = json_fixture("cutpoint/maxstat.json");
    for c in d["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let data = case_data(c);
        let m = maxstat(
            &data.time,
            &data.event,
            &data.marker,
            &opts(c, SplitStatistic::LogRank),
        )
        .unwrap();
        assert_eq!(m.n, c["n"].as_u64().unwrap() as usize, "{name}: n");
        assert_eq!(
            m.events,
            c["events"].as_u64().unwrap() as usize,
            "{name}: events"
        );
        assert_close(
            &format!("{name}: statistic"),
            m.statistic,
            f(&c["statistic"]),
            tol::MAXSTAT,
        );
        assert_eq!(m.cutpoint, f(&c["cutpoint"]), "{name}: cutpoint");
        assert_eq!(
            m.n_low,
            c["n_low"].as_u64().unwrap() as usize,
            "{name}: n_low"
        );
        let sizes: Vec<usize> = c["sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let got_sizes: Vec<usize> = m.splits.iter().map(|s| s.n_low).collect();
        assert_eq!(got_sizes, sizes, "{name}: candidate splits");
        let cuts: Vec<f64> = m.splits.iter().map(|s| s.cut).collect();
        assert_eq!(cuts, fv(&c["cuts"]), "{name}: cuts");
        for (k, (s, want)) in m.splits.iter().zip(fv(&c["stats"])).enumerate() {
            assert_close(
                &format!("{name}: statistic at split {k}"),
                s.statistic,
                want,
                tol::MAXSTAT,
            );
        }
        assert_close(
            &format!("{name}: Lau92"),
            m.p_lau92().unwrap(),
            f(&c["p_lau92"]),
            tol::MAXSTAT,
        );
        assert_close_r_tail(
            &format!("{name}: Lau94"),
            m.p_lau94(),
            f(&c["p_lau94"]).min(1.0),
        );
    }
}

#[test]
fn issue_reference_values() {
    // Values quoted in the issue, from R 4.2.2 / maxstat 0.7-25 on TH.data GBSG2.
    let g = load("r-survival/gbsg2.csv", "time", "cens", "progrec", None);
    let m = maxstat(&g.time, &g.event, &g.marker, &MaxstatOptions::default()).unwrap();
    assert_close(
        "progrec statistic",
        m.statistic,
        6.7716609597,
        tol::printed_digits(11),
    );
    assert_eq!(m.cutpoint, 21.0);
    assert_eq!(m.n_low, 281);
    assert_eq!(m.splits.len(), 182);
    assert_close(
        "progrec Lau92",
        m.p_lau92().unwrap(),
        1.307033964e-9,
        tol::printed_digits(10),
    );
    // R's 1 - (pnorm(b) - pnorm(-b)) is off by ~7e-16 here (8.6e-8 relative)
    assert_close_r_tail("progrec Lau94", m.p_lau94(), 8.290044462e-10);
    let first = [4.28437700, 4.02955403, 4.85782089, 4.75233597, 4.82816422];
    for (k, want) in first.into_iter().enumerate() {
        assert_close(
            "progrec first splits",
            m.splits[k].statistic,
            want,
            tol::printed_digits(9),
        );
    }
    let g = load("r-survival/gbsg2.csv", "time", "cens", "estrec", None);
    let m = maxstat(&g.time, &g.event, &g.marker, &MaxstatOptions::default()).unwrap();
    assert_close(
        "estrec statistic",
        m.statistic,
        4.8689077708,
        tol::printed_digits(11),
    );
    assert_eq!(m.cutpoint, 8.0);
    assert_close(
        "estrec Lau92",
        m.p_lau92().unwrap(),
        6.05130381e-5,
        tol::printed_digits(9),
    );
    assert_close(
        "estrec Lau94",
        m.p_lau94(),
        5.555047631e-5,
        tol::printed_digits(10),
    );
    let g = load("r-survival/gbsg2.csv", "time", "cens", "progrec", Some(80));
    let m = maxstat(&g.time, &g.event, &g.marker, &MaxstatOptions::default()).unwrap();
    assert_close(
        "rows 1-80 statistic",
        m.statistic,
        2.6974461623,
        tol::printed_digits(11),
    );
    assert_eq!(m.cutpoint, 19.0);
    let hl = m.p_hl().unwrap();
    assert_close(
        "rows 1-80 HL statistic",
        hl.statistic,
        2.6918975866,
        tol::printed_digits(11),
    );
    assert_close(
        "rows 1-80 HL P",
        hl.p,
        0.2247081858,
        tol::printed_digits(10),
    );
    assert_close(
        "pLausen92(3)",
        p_lausen92(3.0, 0.1, 0.9).unwrap(),
        0.0578438846,
        tol::printed_digits(9),
    );
}

#[test]
fn r_survival_fixture_cutpoints() {
    // tests/fixtures/r-survival/<set>.json `cutpoint`: R 4.2.2, maxstat 0.7-25, Lau94.
    for (set, file) in [
        ("lung", "r-survival/lung.csv"),
        ("veteran", "r-survival/veteran.csv"),
        ("ovarian", "r-survival/ovarian.csv"),
        ("gbsg2", "r-survival/gbsg2.csv"),
    ] {
        let j = json_fixture(&format!("r-survival/{set}.json"));
        let c = &j["cutpoint"];
        let data = load(
            file,
            j["time"].as_str().unwrap(),
            j["event"].as_str().unwrap(),
            c["marker"].as_str().unwrap(),
            None,
        );
        let r = cutpoint(
            &data.time,
            &data.event,
            &data.marker,
            &CutpointOptions::default(),
        )
        .unwrap();
        assert_close(
            &format!("{set}: statistic"),
            r.statistic,
            f(&c["statistic"]),
            tol::MAXSTAT,
        );
        assert_close(
            &format!("{set}: cutpoint"),
            r.cutpoint,
            f(&c["cutpoint"]),
            tol::MAXSTAT,
        );
        assert_close_r_tail(
            &format!("{set}: Lau94"),
            r.p_values.lau94.unwrap(),
            f(&c["p_lau94"]),
        );
    }
}

#[test]
fn hazard_ratio_and_groups_match_coxph() {
    let d = json_fixture("cutpoint/maxstat.json");
    for c in d["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let data = case_data(c);
        let o = CutpointOptions {
            search: opts(c, SplitStatistic::LogRank),
            ..Default::default()
        };
        let r = cutpoint(&data.time, &data.event, &data.marker, &o).unwrap();
        assert_eq!(
            r.groups[0].n,
            c["n_low"].as_u64().unwrap() as usize,
            "{name}"
        );
        assert_eq!(
            r.groups[0].events,
            c["events_low"].as_u64().unwrap() as usize,
            "{name}"
        );
        assert_eq!(r.groups[0].n + r.groups[1].n, r.n);
        assert_close(
            &format!("{name}: hr"),
            r.hr.unwrap(),
            f(&c["hr"]["hr"]),
            tol::COX,
        );
        assert_close(
            &format!("{name}: hr_lower"),
            r.hr_lower.unwrap(),
            f(&c["hr"]["lower"]),
            tol::COX,
        );
        assert_close(
            &format!("{name}: hr_upper"),
            r.hr_upper.unwrap(),
            f(&c["hr"]["upper"]),
            tol::COX,
        );
    }
}

#[test]
fn cox_score_profile_is_the_survdiff_statistic() {
    // sqrt(survdiff(Surv ~ I(x > cut))$chisq) at every cut, R survival 3.5-3
    let d = json_fixture("cutpoint/maxstat.json");
    for c in d["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let data = case_data(c);
        let m = maxstat(
            &data.time,
            &data.event,
            &data.marker,
            &opts(c, SplitStatistic::CoxScore),
        )
        .unwrap();
        for (k, (s, want)) in m.splits.iter().zip(fv(&c["survdiff_stats"])).enumerate() {
            assert_close(
                &format!("{name}: survdiff at split {k}"),
                s.statistic,
                want,
                tol::LOGRANK,
            );
        }
    }
}

#[test]
fn gehan_scores_and_statistics_match_brute_force_in_r() {
    // R: Gehan scores by brute force, then maxstat.test(smethod = "Data")
    let d = json_fixture("cutpoint/maxstat.json");
    for c in d["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let data = case_data(c);
        let keep: Vec<usize> = (0..data.marker.len())
            .filter(|&i| !data.marker[i].is_nan())
            .collect();
        let t: Vec<f64> = keep.iter().map(|&i| data.time[i]).collect();
        let e: Vec<bool> = keep.iter().map(|&i| data.event[i]).collect();
        let s = SortedSurvival::new(&t, &e).unwrap();
        let g = gehan_scores(&s);
        let mut by_row = vec![0.0; t.len()];
        for (k, r) in s.sorted_rows().into_iter().enumerate() {
            by_row[r] = g[k];
        }
        for (k, want) in fv(&c["gehan"]["scores_first"]).into_iter().enumerate() {
            assert_eq!(by_row[k], want, "{name}: Gehan score of row {k}");
        }
        let m = maxstat(
            &data.time,
            &data.event,
            &data.marker,
            &opts(c, SplitStatistic::Gehan),
        )
        .unwrap();
        assert_close(
            &format!("{name}: Gehan statistic"),
            m.statistic,
            f(&c["gehan"]["statistic"]),
            tol::MAXSTAT,
        );
        assert_eq!(
            m.cutpoint,
            f(&c["gehan"]["cutpoint"]),
            "{name}: Gehan cutpoint"
        );
        for (k, (sp, want)) in m.splits.iter().zip(fv(&c["gehan"]["stats"])).enumerate() {
            assert_close(
                &format!("{name}: Gehan at split {k}"),
                sp.statistic,
                want,
                tol::MAXSTAT,
            );
        }
    }
}

#[test]
fn hothorn_lausen_matches_r_hl() {
    // R pmethod = "HL"; R returns NaN above n = 170 (gamma overflow): lung_age
    let d = json_fixture("cutpoint/maxstat.json");
    let mut checked = 0;
    for c in d["cases"].as_array().unwrap() {
        let Some(hl) = c.get("hl") else { continue };
        let name = c["name"].as_str().unwrap();
        let data = case_data(c);
        let m = maxstat(
            &data.time,
            &data.event,
            &data.marker,
            &opts(c, SplitStatistic::LogRank),
        )
        .unwrap();
        let got = m.p_hl().unwrap();
        assert_close(
            &format!("{name}: HL statistic"),
            got.statistic,
            f(&hl["statistic"]),
            tol::MAXSTAT,
        );
        assert_eq!(got.cutpoint, f(&hl["cutpoint"]), "{name}: HL cutpoint");
        match hl["p"].as_f64() {
            Some(p) => {
                assert_close(&format!("{name}: HL P"), got.p, p, tol::MAXSTAT);
                checked += 1;
            }
            None => assert!(
                (0.0..=1.0).contains(&got.p),
                "{name}: we give a P where R gives NaN"
            ),
        }
    }
    assert_eq!(checked, 2);
}

#[test]
fn exact_gauss_matches_mvtnorm_within_its_error() {
    // R mvtnorm::pmvnorm (GenzBretz, abseps 1e-6) over the searched splits;
    // R's 1 - p is meaningless below its absolute error, so only P > 1e-3.
    let d = json_fixture("cutpoint/maxstat.json");
    let mut checked = 0;
    for c in d["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let n = c["n"].as_u64().unwrap() as usize;
        let sizes: Vec<usize> = c["sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        for e in c["exact_gauss"].as_array().unwrap() {
            let (b, want, err) = (f(&e["b"]), f(&e["p"]), f(&e["error"]));
            if want < 1e-3 {
                continue;
            }
            let got = p_exact_gauss(b, n, &sizes).unwrap();
            assert!(
                (got - want).abs() <= tol::MC_SIGMAS * err,
                "{name} b = {b}: got {got}, mvtnorm {want} ± {err}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10);
}

#[test]
fn permutation_agrees_with_r_condmc() {
    // R condMC with B = 10^6 (seed 20240601); ours B = 10^5, seed 1.
    let d = json_fixture("cutpoint/maxstat.json");
    for c in d["cases"].as_array().unwrap() {
        let Some(mc) = c.get("cond_mc") else { continue };
        let name = c["name"].as_str().unwrap();
        let data = case_data(c);
        let m = maxstat(
            &data.time,
            &data.event,
            &data.marker,
            &opts(c, SplitStatistic::LogRank),
        )
        .unwrap();
        let ours = m.p_permutation(100_000, 1).unwrap();
        let (want, b) = (f(&mc["p"]), f(&mc["B"]));
        let se = (ours.mc_se.powi(2) + want * (1.0 - want) / b).sqrt();
        assert!(
            (ours.p - want).abs() <= tol::MC_SIGMAS * se,
            "{name}: permutation {} vs R condMC {want} (se {se:.2e})",
            ours.p
        );
        // the Gaussian limit is close to the conditional distribution here
        let g = m.p_exact_gauss();
        assert!(
            (g - want).abs() / want < 0.02,
            "{name}: exact-Gauss {g} vs condMC {want}"
        );
    }
}

#[test]
fn p_value_functions_at_reference_points() {
    let d = json_fixture("cutpoint/maxstat.json");
    let pts = &d["points"];
    for p in pts["lausen92"].as_array().unwrap() {
        let got = p_lausen92(f(&p["b"]), f(&p["minprop"]), f(&p["maxprop"])).unwrap();
        assert_close("pLausen92", got, f(&p["p"]).min(1.0), tol::MAXSTAT);
    }
    for p in pts["lausen94"].as_array().unwrap() {
        let b = f(&p["b"]);
        let n = p["n"].as_u64().unwrap() as usize;
        let got = match p.get("sizes") {
            Some(s) => {
                let s: Vec<usize> = s
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap() as usize)
                    .collect();
                p_lausen94(b, n, &s).unwrap()
            }
            None => p_lausen94_props(b, n, f(&p["minprop"]), f(&p["maxprop"])).unwrap(),
        };
        let want = f(&p["p"]);
        if want > 1.0 {
            // R: pLausen94(1.2, 20) = 1.46; a probability is at most 1
            assert_eq!(got, 1.0);
        } else if want < 0.0 {
            // R: pLausen94(12, 30, m = c(5, 10, 20)) = -8.3e-32: the cubic
            // term overwhelms the linear one; we floor each term at 0, so the
            // bound is never below the single-split P
            let single = 2.0 * 0.5 * statrs::function::erf::erfc(b / std::f64::consts::SQRT_2);
            assert!(got >= single && got > 0.0, "got {got}");
        } else {
            assert_close_r_tail("pLausen94", got, want);
        }
    }
    for p in pts["altman"].as_array().unwrap() {
        let (pm, eps) = (f(&p["p_min"]), f(&p["eps"]));
        assert_close(
            "Altman general",
            altman_corrected(pm, eps).unwrap(),
            f(&p["general"]),
            tol::MAXSTAT,
        );
        assert_close(
            "Altman 10%",
            altman_corrected_approx(pm, 0.10).unwrap(),
            f(&p["approx10"]),
            tol::EXACT,
        );
        assert_close(
            "Altman 5%",
            altman_corrected_approx(pm, 0.05).unwrap(),
            f(&p["approx5"]),
            tol::EXACT,
        );
    }
}

#[test]
fn every_p_method_lies_in_the_unit_interval() {
    let d = json_fixture("cutpoint/maxstat.json");
    for c in d["cases"].as_array().unwrap() {
        let data = case_data(c);
        let o = CutpointOptions {
            search: opts(c, SplitStatistic::LogRank),
            p_methods: vec![
                PMethod::Lau92,
                PMethod::Lau94,
                PMethod::ExactGauss,
                PMethod::Permutation {
                    replicates: 2000,
                    seed: 3,
                },
            ],
            ..Default::default()
        };
        let r = cutpoint(&data.time, &data.event, &data.marker, &o).unwrap();
        let p = r.p_values;
        for v in [p.lau92, p.lau94, p.exact_gauss, p.permutation] {
            let v = v.unwrap();
            assert!((0.0..=1.0).contains(&v), "{}: {v}", c["name"]);
        }
    }
}
