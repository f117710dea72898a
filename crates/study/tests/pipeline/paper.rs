//! The seed paper's design on the simulated cohort (seed 2009): the
//! pipeline's numbers against direct calls of the rule and statistics
//! crates on the same tables, and against R (tests/fixtures/study,
//! R 4.2.2 Patched, survival 3.5-3).

use std::collections::HashMap;

use oncomark_stats::{cohen_kappa, fisher_2x2, icc, ContingencyTable, FisherOptions, KappaWeights};
use oncomark_study::endpoints::{derive_all, EndpointOptions, EndpointTable};
use oncomark_study::ihc::{score_cases, IhcOptions};
use oncomark_study::response::Response;
use oncomark_study::simulate::{Cohort, SimulatedStudy};
use oncomark_survival::cox::{fit, CoxData, CoxOptions};
use oncomark_survival::km::{kaplan_meier_groups, KmOptions};
use oncomark_survival::logrank::{logrank, LogrankOptions};
use oncomark_testkit::{assert_close, json_fixture, tol};

use super::common::{paper_dir, SEED};

const GROUPS: [&str; 2] = ["0-2+", "3+"];

fn positive(s: &SimulatedStudy) -> HashMap<String, bool> {
    let r = score_cases(&["1", "2"], &s.ihc_cases(), &IhcOptions::default()).unwrap();
    r.cases.iter().map(|c| (c.id.clone(), c.positive)).collect()
}

/// (time, event, group) of a cohort for an endpoint table.
fn data(
    s: &SimulatedStudy,
    t: &EndpointTable,
    cohort: Cohort,
    pos: &HashMap<String, bool>,
) -> (Vec<f64>, Vec<bool>, Vec<u32>) {
    let of: HashMap<&str, Cohort> = s
        .patients
        .iter()
        .map(|p| (p.patient.as_str(), p.cohort))
        .collect();
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for r in t.rows.iter().filter(|r| of[r.patient.as_str()] == cohort) {
        out.0.push(r.time);
        out.1.push(r.event);
        out.2.push(u32::from(pos[&r.patient]));
    }
    out
}

#[test]
fn survival_numbers_are_those_of_direct_calls() {
    let (s, dir) = paper_dir(SEED);
    let r = dir.run().unwrap();
    let pos = positive(&s);
    let ends = derive_all(&s.patient_dates(), &EndpointOptions::default()).unwrap();
    let mut checked = 0;
    for (cohort, cname) in [
        (Cohort::Trastuzumab, "trastuzumab"),
        (Cohort::Chemotherapy, "chemotherapy"),
    ] {
        for (table, ename) in [(&ends.ttp, "ttp"), (&ends.os, "os")] {
            let (t, e, g) = data(&s, table, cohort, &pos);
            let sv = r
                .survival
                .iter()
                .find(|x| x.cohort == cname && x.endpoint == ename)
                .unwrap();
            assert_eq!(sv.n, t.len());
            let km = kaplan_meier_groups(&t, &e, &g, &GROUPS, &KmOptions::default()).unwrap();
            let got = sv.km.as_ref().unwrap();
            for (a, b) in got.groups.iter().zip(&km.groups) {
                assert_eq!(
                    (a.group.as_str(), a.n, a.events),
                    (b.group.as_str(), b.n, b.events)
                );
                for (x, y) in [
                    (a.median, b.median),
                    (a.median_lower, b.median_lower),
                    (a.median_upper, b.median_upper),
                ] {
                    match (x, y) {
                        (Some(x), Some(y)) => assert_close("KM median", x, y, tol::EXACT),
                        (x, y) => assert_eq!(x, y, "{cname} {ename} median limits"),
                    }
                }
            }
            let lr = logrank(&t, &e, &g, &GROUPS, &LogrankOptions::default()).unwrap();
            let got = sv.logrank.as_ref().unwrap();
            assert_close(
                "log-rank statistic",
                got.statistic,
                lr.statistic,
                tol::EXACT,
            );
            assert_close("log-rank P", got.p, lr.p, tol::EXACT);
            let x: Vec<f64> = g.iter().map(|&v| f64::from(v)).collect();
            let cox = fit(
                &CoxData::new(&t, &e, &[x], &["beta1-integrin"]).unwrap(),
                &CoxOptions::default(),
            )
            .unwrap();
            let want = cox.terms[0].coef.unwrap();
            assert_close(
                "HR of the survival entry",
                sv.hazard_ratio.as_ref().unwrap().coef.unwrap(),
                want,
                tol::EXACT,
            );
            let uni = r
                .univariate
                .iter()
                .find(|u| u.cohort == cname && u.endpoint == ename)
                .unwrap();
            assert_eq!(uni.factors[0].factor, "beta1-integrin");
            assert_close(
                "univariate marker coefficient",
                uni.factors[0].terms[0].coef.unwrap(),
                want,
                tol::EXACT,
            );
            assert_close(
                "univariate marker SE",
                uni.factors[0].terms[0].se.unwrap(),
                cox.terms[0].se.unwrap(),
                tol::EXACT,
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

#[test]
fn survival_numbers_match_r() {
    // tests/fixtures/study/reference.json: R 4.2.2 Patched, survival 3.5-3,
    // an independent derivation of groups and endpoints from the tables
    let want = json_fixture("study/reference.json");
    let (_, dir) = paper_dir(SEED);
    let r = dir.run().unwrap();
    for ep in ["ttp", "os"] {
        let sv = r
            .survival
            .iter()
            .find(|x| x.cohort == "trastuzumab" && x.endpoint == ep)
            .unwrap();
        let km = sv.km.as_ref().unwrap();
        for (k, key) in ["negative", "positive"].iter().enumerate() {
            let w = &want["km"][ep][key];
            assert_eq!(km.groups[k].n as u64, w["n"].as_u64().unwrap());
            assert_eq!(km.groups[k].events as u64, w["events"].as_u64().unwrap());
            assert_close(
                &format!("{ep} {key} median"),
                km.groups[k].median.unwrap(),
                w["median"].as_f64().unwrap(),
                tol::KM,
            );
        }
    }
    let uni = r
        .univariate
        .iter()
        .find(|u| u.cohort == "trastuzumab" && u.endpoint == "ttp")
        .unwrap();
    let t = &uni.factors[0].terms[0];
    let w = &want["cox_ttp_marker"];
    assert_close(
        "coef",
        t.coef.unwrap(),
        w["coef"].as_f64().unwrap(),
        tol::COX,
    );
    assert_close("se", t.se.unwrap(), w["se"].as_f64().unwrap(), tol::COX);
}

#[test]
fn response_table_matches_fisher_on_the_recorded_responses() {
    // Under RECIST 1.0 without confirmation the simulated lesion series give
    // exactly the recorded best response (a documented invariant of the
    // simulator), so Table 2 can be rebuilt from the patient table alone.
    let (s, dir) = paper_dir(SEED);
    let r = dir.run().unwrap();
    let pos = positive(&s);
    let ends = derive_all(&s.patient_dates(), &EndpointOptions::default()).unwrap();
    let ttp: HashMap<&str, (f64, bool)> = ends
        .ttp
        .rows
        .iter()
        .map(|x| (x.patient.as_str(), (x.time, x.event)))
        .collect();
    for (cohort, cname) in [
        (Cohort::Trastuzumab, "trastuzumab"),
        (Cohort::Chemotherapy, "chemotherapy"),
    ] {
        let resp = r.response.iter().find(|x| x.cohort == cname).unwrap();
        let pts: Vec<_> = s.patients.iter().filter(|p| p.cohort == cohort).collect();
        // per patient: lesion-derived best response = recorded
        let derived: HashMap<&str, Response> = resp
            .waterfall
            .iter()
            .map(|w| (w.id.as_str(), w.best_response))
            .collect();
        assert_eq!(derived.len(), pts.len());
        for p in &pts {
            assert_eq!(
                derived[p.patient.as_str()],
                p.best_response,
                "{}",
                p.patient
            );
        }
        // objective response: 2x2 positive first, yes/no
        let count =
            |positive: bool, f: &dyn Fn(&&&oncomark_study::simulate::PatientRow) -> bool| {
                pts.iter()
                    .filter(|p| pos[&p.patient] == positive)
                    .filter(f)
                    .count() as u64
            };
        let n = [count(false, &|_| true), count(true, &|_| true)];
        let yes = [
            count(false, &|p| p.best_response.is_objective()),
            count(true, &|p| p.best_response.is_objective()),
        ];
        let row = resp
            .rows
            .iter()
            .find(|x| x.row == "objective_response")
            .unwrap();
        assert_eq!(row.counts, yes.to_vec());
        assert_eq!(row.denominators, n.to_vec());
        let f = fisher_2x2(
            [[yes[1], n[1] - yes[1]], [yes[0], n[0] - yes[0]]],
            &FisherOptions::default(),
        )
        .unwrap();
        let got = row.test.as_ref().unwrap();
        assert_close("ORR Fisher P", got.p, f.p, tol::FISHER_P);
        assert_close(
            "ORR odds ratio",
            got.odds_ratio.unwrap(),
            f.odds_ratio.unwrap(),
            tol::FISHER_ROOT,
        );
        // progression before 6 months (TTP event before 6 months)
        let early = |positive: bool| {
            pts.iter()
                .filter(|p| pos[&p.patient] == positive)
                .filter(|p| matches!(ttp.get(p.patient.as_str()), Some(&(t, true)) if t < 6.0))
                .count() as u64
        };
        let row = resp
            .rows
            .iter()
            .find(|x| x.row == "early_progression")
            .unwrap();
        assert_eq!(row.counts, vec![early(false), early(true)]);
        let e = [early(false), early(true)];
        let f = fisher_2x2(
            [[e[1], n[1] - e[1]], [e[0], n[0] - e[0]]],
            &FisherOptions::default(),
        )
        .unwrap();
        assert_close(
            "early progression P",
            row.test.as_ref().unwrap().p,
            f.p,
            tol::FISHER_P,
        );
    }
}

#[test]
fn ihc_agreement_matches_direct_calls() {
    let (s, dir) = paper_dir(SEED);
    let r = dir.run().unwrap();
    let ihc = r.ihc.as_ref().unwrap();
    let scored = score_cases(&["1", "2"], &s.ihc_cases(), &IhcOptions::default()).unwrap();
    let t = &scored.reader_table;
    let a: Vec<usize> = t.scores[0].iter().map(|&v| usize::from(v)).collect();
    let b: Vec<usize> = t.scores[1].iter().map(|&v| usize::from(v)).collect();
    let ct = ContingencyTable::from_codes(&a, &b, 4, 4).unwrap();
    let pair = &ihc.reader_pairs[0];
    assert_eq!(pair.counts, ct.counts().to_vec());
    let k = cohen_kappa(&ct, KappaWeights::None, 0.95).unwrap();
    let kl = cohen_kappa(&ct, KappaWeights::Linear, 0.95).unwrap();
    assert_close(
        "kappa",
        pair.kappa.as_ref().unwrap().kappa,
        k.kappa,
        tol::EXACT,
    );
    assert_close(
        "linear kappa",
        pair.kappa_linear.as_ref().unwrap().kappa,
        kl.kappa,
        tol::EXACT,
    );
    let rows: Vec<Vec<f64>> = (0..t.cases.len())
        .map(|i| vec![t.percents[0][i], t.percents[1][i]])
        .collect();
    let want = icc(&rows, 0.95).unwrap();
    assert_close(
        "ICC2",
        ihc.icc.as_ref().unwrap().estimates[1].icc,
        want.estimates[1].icc,
        tol::EXACT,
    );
    assert_eq!(ihc.straddling, scored.straddling);
    assert_eq!(ihc.unresolved, scored.unresolved);
    assert_eq!(ihc.n_discordant, scored.discordant.len());
    // every analysed patient has a score; the distribution adds up
    let all = &ihc.score_counts[0];
    assert_eq!(all.counts.iter().sum::<usize>(), 108);
    assert_eq!(all.counts, scored.score_counts);
}

#[test]
fn multivariable_and_interaction_are_complete() {
    let (_, dir) = paper_dir(SEED);
    let r = dir.run().unwrap();
    assert_eq!(r.multivariable.len(), 4);
    let m = r
        .multivariable
        .iter()
        .find(|m| m.cohort == "trastuzumab" && m.endpoint == "ttp")
        .unwrap();
    // the paper's rule: candidates significant in univariate analysis
    assert_eq!(m.candidates_rule, "univariate");
    assert!(m.candidates.contains(&"beta1-integrin".to_string()));
    let sel = m.selection.as_ref().unwrap();
    let model = m.model.as_ref().unwrap();
    let names: Vec<&str> = model.fit.terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(names.len(), sel.selected.len());
    assert!(m.zph.is_some() && m.full_model.is_some());
    // interaction of trastuzumab (cohort) with the marker, both endpoints
    assert_eq!(r.interaction.len(), 2);
    let i = &r.interaction[0];
    let res = i.result.as_ref().unwrap();
    assert_eq!(res.interaction_lr.df, 1);
    assert_eq!(res.within.len(), 2);
    assert_eq!(i.marker_by_arm.len(), 2);
    assert_eq!(i.n, 108);
    // the marker HR within the trastuzumab arm is the cohort's univariate HR
    let uni = r
        .univariate
        .iter()
        .find(|u| u.cohort == "trastuzumab" && u.endpoint == "ttp")
        .unwrap();
    assert_close(
        "marker HR within trastuzumab",
        i.marker_by_arm[1]
            .hazard_ratio
            .as_ref()
            .unwrap()
            .coef
            .unwrap(),
        uni.factors[0].terms[0].coef.unwrap(),
        tol::EXACT,
    );
}

#[test]
fn results_are_deterministic_and_carry_provenance() {
    use sha2::{Digest, Sha256};
    let (_, dir) = paper_dir(SEED);
    let a = serde_json::to_string(&dir.run().unwrap()).unwrap();
    let b = serde_json::to_string(&dir.run().unwrap()).unwrap();
    assert_eq!(a, b);
    let r = dir.run().unwrap();
    assert_eq!(r.schema_version, oncomark_study::results::SCHEMA_VERSION);
    let roles: Vec<&str> = r
        .provenance
        .inputs
        .iter()
        .map(|i| i.role.as_str())
        .collect();
    assert_eq!(roles, ["patients", "ihc", "lesions"]);
    for i in &r.provenance.inputs {
        let bytes = std::fs::read(dir.path().join(&i.path)).unwrap();
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(i.sha256, hex, "{}", i.path);
    }
    assert_eq!(
        r.provenance.spec_text,
        std::fs::read_to_string(dir.spec()).unwrap()
    );
    assert_eq!(r.provenance.created_utc, "2000-01-01T00:00:00Z");
    // patient ids appear in the summary only with report.show_ids
    let text = oncomark_study::results::summary(&r);
    assert!(!text.contains("T0"), "{text}");
}

#[test]
fn plan_analyses_restricts_the_run() {
    let (_, dir) = paper_dir(SEED);
    dir.edit("study.toml", |t| {
        t.replace(
            "# analyses = [\"flow\", \"characteristics\", \"ihc\", \"response\", \"survival\",\n#             \"univariate\", \"multivariable\", \"interaction\"]   # default: all",
            "analyses = [\"survival\", \"ihc\"]",
        )
    });
    let r = dir.run().unwrap();
    assert_eq!(r.analyses.run, ["ihc", "survival"]);
    assert!(r.flow.is_none() && r.characteristics.is_empty() && r.response.is_empty());
    assert!(r.univariate.is_empty() && r.multivariable.is_empty() && r.interaction.is_empty());
    assert_eq!(r.survival.len(), 4);
    assert!(r.ihc.is_some());
    assert_eq!(r.analyses.skipped.len(), 6);
}
