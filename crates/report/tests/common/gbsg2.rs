//! GBSG2 (TH.data, 686 patients; fixture tests/fixtures/r-survival/gbsg2.csv,
//! exported by R 4.2.2 with TH.data): the KM, log-rank and Cox fits the
//! example figures show, made with oncomark-survival.

#![allow(dead_code)]

use oncomark_survival::cox::{fit, CoxData, CoxFit, CoxOptions};
use oncomark_survival::km::{kaplan_meier_groups, KmOptions, KmResult};
use oncomark_survival::logrank::{logrank, Logrank, LogrankOptions};

/// The columns of GBSG2 the figures use.
pub struct Gbsg2 {
    /// Recurrence-free survival time, days.
    pub time: Vec<f64>,
    /// Recurrence or death.
    pub event: Vec<bool>,
    /// Hormone therapy: 0 = no, 1 = yes.
    pub hormone: Vec<u32>,
    /// Covariate columns of the full Cox model (R's dummy coding).
    pub covariates: Vec<Vec<f64>>,
    /// Their names, as R's coxph names them.
    pub names: Vec<&'static str>,
}

/// Reads the fixture.
pub fn load() -> Gbsg2 {
    let (header, rows) = oncomark_testkit::read_fixture_csv("r-survival/gbsg2.csv");
    let col = |name: &str| -> Vec<String> {
        let j = header.iter().position(|h| h == name).expect("column");
        rows.iter()
            .map(|r| r[j].clone().expect("no missing values in GBSG2"))
            .collect()
    };
    let num = |name: &str| -> Vec<f64> {
        col(name)
            .iter()
            .map(|s| s.parse().expect("number"))
            .collect()
    };
    let time = num("time");
    let event: Vec<bool> = num("cens").iter().map(|&c| c == 1.0).collect();
    let horth = col("horTh");
    let hormone: Vec<u32> = horth.iter().map(|s| u32::from(s == "yes")).collect();
    let dummy = |name: &str, level: &str| -> Vec<f64> {
        col(name)
            .iter()
            .map(|s| f64::from(u8::from(s == level)))
            .collect()
    };
    let covariates = vec![
        hormone.iter().map(|&h| f64::from(h)).collect(),
        num("age"),
        dummy("menostat", "Pre"),
        num("tsize"),
        dummy("tgrade", "II"),
        dummy("tgrade", "III"),
        num("pnodes"),
        num("progrec"),
        num("estrec"),
    ];
    let names = vec![
        "horThyes",
        "age",
        "menostatPre",
        "tsize",
        "tgradeII",
        "tgradeIII",
        "pnodes",
        "progrec",
        "estrec",
    ];
    Gbsg2 {
        time,
        event,
        hormone,
        covariates,
        names,
    }
}

impl Gbsg2 {
    /// Kaplan-Meier by hormone therapy (log-log limits, R's survfit with
    /// conf.type = "log-log").
    pub fn km(&self) -> KmResult {
        kaplan_meier_groups(
            &self.time,
            &self.event,
            &self.hormone,
            &["No", "Yes"],
            &KmOptions::default(),
        )
        .expect("KM of GBSG2")
    }

    /// Log-rank test by hormone therapy.
    pub fn logrank(&self) -> Logrank {
        logrank(
            &self.time,
            &self.event,
            &self.hormone,
            &["No", "Yes"],
            &LogrankOptions::default(),
        )
        .expect("log-rank of GBSG2")
    }

    /// Univariate Cox model of hormone therapy (Efron).
    pub fn cox_hormone(&self) -> CoxFit {
        let d = CoxData::new(
            &self.time,
            &self.event,
            &self.covariates[..1],
            &self.names[..1],
        )
        .expect("data");
        fit(&d, &CoxOptions::default()).expect("Cox of GBSG2")
    }

    /// The full model of the R fixture (Efron).
    pub fn cox_full(&self) -> CoxFit {
        let d = CoxData::new(&self.time, &self.event, &self.covariates, &self.names).expect("data");
        fit(&d, &CoxOptions::default()).expect("Cox of GBSG2")
    }
}
