//! Reference data sets shared by the assay test binaries, each with its
//! source.

/// drc's `ryegrass` data (R package drc 3.0-1): `(conc, rootl)` pairs.
pub fn ryegrass() -> Vec<(f64, f64)> {
    let conc = [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.94, 0.94, 0.94, 1.88, 1.88, 1.88, 3.75, 3.75, 3.75, 7.5,
        7.5, 7.5, 15.0, 15.0, 15.0, 30.0, 30.0, 30.0,
    ];
    let rootl = [
        7.58,
        8.0,
        8.328571429,
        7.25,
        7.375,
        7.9625,
        8.355555556,
        6.914285714,
        7.75,
        6.871428571,
        6.45,
        5.922222222,
        1.925,
        2.885714286,
        4.233333333,
        1.1875,
        0.857142857,
        1.057142857,
        0.6875,
        0.525,
        0.825,
        0.25,
        0.22,
        0.44,
    ];
    conc.into_iter().zip(rootl).collect()
}

/// Chou, Motzer, Tong and Bosl (JNCI 86:1517, 1994): paclitaxel and
/// cisplatin alone and at the constant ratio 1 : 100.
pub fn chou_1994_csv() -> String {
    let mut s = String::from("paclitaxel,cisplatin,fa\n");
    for (d, fa) in [
        (0.002, 0.429),
        (0.004, 0.708),
        (0.005, 0.761),
        (0.01, 0.882),
        (0.02, 0.932),
    ] {
        s.push_str(&format!("{d},0,{fa}\n"));
    }
    for (d, fa) in [
        (0.05, 0.055),
        (0.1, 0.233),
        (0.2, 0.301),
        (0.5, 0.559),
        (1.0, 0.821),
        (2.0, 0.953),
    ] {
        s.push_str(&format!("0,{d},{fa}\n"));
    }
    for (a, b, fa) in [
        (0.001, 0.1, 0.45),
        (0.002, 0.2, 0.701),
        (0.005, 0.5, 0.910),
        (0.01, 1.0, 0.968),
    ] {
        s.push_str(&format!("{a},{b},{fa}\n"));
    }
    s
}
