//! Ready-made specs: the seed paper's design over the simulator's tables
//! (written by `oncomark simulate` and kept as `examples/study/paper/study.toml`)
//! and the GBSG2 trial with a continuous marker (`examples/study/gbsg2.toml`).
//! Both are complete, commented examples of the format.

/// The seed paper's study over the tables of
/// [`crate::simulate::simulate_paper_cohort`]`(seed)` written as
/// `patients.csv`, `ihc.csv` and `lesions.csv` next to the spec.
///
/// ```
/// let text = oncomark_study::spec::templates::paper_spec(2009);
/// assert!(text.contains("seed 2009"));
/// ```
pub fn paper_spec(seed: u64) -> String {
    PAPER.replace("{seed}", &seed.to_string())
}

/// The GBSG2 study over the table at `file` (relative to the spec).
///
/// ```
/// let text = oncomark_study::spec::templates::gbsg2_spec("../gbsg2.csv");
/// assert!(text.contains("file = \"../gbsg2.csv\""));
/// ```
pub fn gbsg2_spec(file: &str) -> String {
    GBSG2.replace("{file}", file)
}

const PAPER: &str = r##"# oncomark study spec: the design of the seed paper
#
#   Lesniak et al., "beta1-Integrin circumvents the antiproliferative effects
#   of trastuzumab in HER-2-positive breast cancer", Cancer Res 2009;69:8620
#
# run on a cohort simulated with that design (oncomark simulate --design paper
# --seed {seed}). Check it with `oncomark study check study.toml` and run it
# with `oncomark study run study.toml --out results/`.
#
# Paths are relative to the folder of this file. Keys marked "optional" may be
# left out; their default is given. Every key is described in
# docs/study-spec.md.

[study]
name = "beta1-integrin and trastuzumab (simulated cohort, seed {seed})"
description = "HER-2-positive metastatic breast cancer treated with trastuzumab-based chemotherapy (78) or chemotherapy alone (30); beta1-integrin membrane staining by IHC, two pathologists."

# ----------------------------------------------------------------- inputs
# One row per patient: id, cohort, dates, covariates, recorded response.
[data.patients]
file = "patients.csv"
id = "patient_id"
# date_format = "%Y-%m-%d"    # optional: chrono format of the date cells
# sheet = "Sheet1"            # optional: worksheet of an .xlsx file
# delimiter = ","             # optional: sniffed; "tab" for a tab
# decimal_comma = false       # optional: read 3,5 as 3.5

# The two pathologists' percents (0-100) of invasive tumour cells with
# complete membrane staining, one row per patient. Leave [data.ihc] out when
# the reader columns are in the patients table.
[data.ihc]
file = "ihc.csv"
id = "patient_id"             # optional: default the patients' id column

# Lesion measurements: one row per lesion and assessment date (a long table).
[data.lesions]
file = "lesions.csv"
id = "patient_id"
date = "date"
lesion = "lesion_id"
longest_diameter = "longest_diameter_mm"
perpendicular_diameter = "perpendicular_diameter_mm"   # optional (WHO needs it)
short_axis = "short_axis_mm"                           # optional (RECIST 1.1 nodes)
target = "target"                                      # 1/0, true/false, yes/no
lymph_node = "lymph_node"                              # optional
new_lesion = "new_lesion"                              # optional

# ----------------------------------------------------------------- marker
[marker]
name = "beta1-integrin"       # also the marker's term name in Cox models
type = "ihc"                  # "ihc" (percents from readers), "continuous"
                              # (a value and a cutoff) or "score" (recorded)
readers = ["reader_1_percent", "reader_2_percent"]
reader_names = ["pathologist 1", "pathologist 2"]      # optional
# Inclusive upper percent of each score: 0 % = 0, 1-10 % = 1+, 11-40 % = 2+,
# 41-100 % = 3+ (the paper's bins; the default).
bins = [0, 10, 40, 100]
combine = "mean_percent"      # "mean_percent" (default), "mean_score" or "consensus"
positive_from = 3             # 3+ vs 0-2+ (default 3)
adjudicated = "adjudicated_score"   # optional: the double-headed microscope score
adjudicated_scale = "score"   # "score" (default) or "percent"
# consensus = "consensus"     # optional: a consensus column
# negative_label = "0-2+"     # optional: default from the bins
# positive_label = "3+"

# -------------------------------------------------------------- endpoints
[endpoints]
unit = "months"               # "days", "weeks", "months" (30.4375 days) or "years"
derive = ["ttp", "os"]        # from the dates below: any of "ttp", "pfs", "os"
primary = "ttp"               # optional: default the first endpoint
# A death without progression after the last follow-up censors TTP at the
# last follow-up (default) or at the death ("censor_at_death").
ttp_death_after_follow_up = "censor_at_last_follow_up"

[endpoints.dates]
start = "start_date"          # time 0: start of trastuzumab (or chemotherapy)
progression = "progression_date"
death = "death_date"
last_follow_up = "last_follow_up"

# Endpoints given as time and event columns instead (see gbsg2.toml):
# [[endpoints.given]]
# name = "rfs"
# label = "Recurrence-free survival"
# time = "time"
# event = "cens"
# event_value = "1"           # optional: default 1/0, true/false, yes/no
# time_unit = "days"          # optional: converted to endpoints.unit

# --------------------------------------------------------------- response
[response]
source = "lesions"            # "lesions" (measurements) or "recorded"
criteria = "recist-1.0"       # "who", "recist-1.0" or "recist-1.1" (default)
confirm = false               # require confirmation of CR/PR
# confirm_min_days = 28       # optional
# sd_min_days = 42            # optional: default 28 (WHO) or 42 (RECIST)
# who_lesion_progression = false
early_progression = 6         # the "progression < 6 months" row of Table 2
early_progression_endpoint = "ttp"
# With source = "recorded", give the best-response column of the patients
# table instead: column = "best_response".

# ------------------------------------------------ cohorts and treatment
[cohorts]
column = "cohort"
levels = ["trastuzumab", "chemotherapy"]   # optional: order; default sorted

# The treatment whose interaction with the marker is tested across cohorts:
# is the marker predictive of trastuzumab benefit or only prognostic?
[treatment]
column = "cohort"
treated = "trastuzumab"
control = "chemotherapy"      # optional: default every other value
name = "trastuzumab"          # optional: display name

# ------------------------------------------------------------- factors
# Candidate prognostic factors (the paper's Table 1) and characteristics.
# type: "numeric", "categorical" or "binary" (default: text columns are
# categorical, 0/1 columns binary, other numbers numeric); cutoff makes a
# numeric column binary (1 when value > cutoff); reference names the
# reference level of a categorical factor; models = false keeps a factor
# out of the Cox models (a patient characteristic only).
[[factors]]
column = "age"
label = "Age (years)"
models = false

[[factors]]
column = "tumour_size_cm"
name = "size>2cm"
label = "Tumour size > 2 cm"
cutoff = 2

[[factors]]
column = "positive_nodes"
name = "node+"
label = "Lymph node-positive"
cutoff = 0

[[factors]]
column = "er_positive"
name = "ER+"
label = "ER-positive"

[[factors]]
column = "pr_positive"
name = "PR+"
label = "PR-positive"

[[factors]]
column = "lvi_positive"
name = "LVI+"
label = "LVI-positive"

[[factors]]
column = "regimen"
label = "Chemotherapy regimen"
type = "categorical"
reference = "taxane"

# ------------------------------------------------------------ selection
# The paper: factors significant in univariate analysis entered a stepwise
# multivariate analysis (SAS 9.1). The full model with every candidate is
# reported as well.
[selection]
method = "stepwise"           # "stepwise", "forward", "backward" or "none"
entry = 0.05                  # SAS SLENTRY
stay = 0.05                   # SAS SLSTAY
candidates = "univariate"     # "all" (default) or "univariate" (P < screen_p)
screen_p = 0.05
include = []                  # terms forced into every model, e.g. ["beta1-integrin"]

# ----------------------------------------------------------------- plan
[plan]
# analyses = ["flow", "characteristics", "ihc", "response", "survival",
#             "univariate", "multivariable", "interaction"]   # default: all
landmarks = [6, 12]           # in endpoints.unit
conf_level = 0.95
ties = "efron"                # "efron" (default, as R), "breslow" (SAS) or "exact"
conf_type = "log-log"         # KM limits: "log-log" (default, SAS), "log" (R), "plain"
zph_transform = "km"          # PH test time scale: "km", "rank", "identity", "log"

[report]
show_ids = false              # patient ids only in results.json (default)
"##;

const GBSG2: &str = r##"# oncomark study spec: the German Breast Cancer Study Group 2 trial
#
#   Schumacher et al., "Randomized 2 x 2 trial evaluating hormonal treatment
#   and the duration of chemotherapy in node-positive breast cancer
#   patients", J Clin Oncol 1994;12:2086-2093 (686 patients with complete
#   data, as R's TH.data::GBSG2).
#
# A continuous marker with a cutoff: the progesterone receptor (progrec,
# fmol/l), positive at >= 20 fmol/l. The cutoff is fixed in advance here, a
# conventional receptor-positivity threshold, not chosen on these data (a
# data-driven cutpoint needs maximally selected statistics with a corrected
# P, oncomark cutpoint). There are no IHC reads and no lesion
# measurements: the spec simply has no [data.ihc], [data.lesions] or
# [response]. Hormone therapy (tamoxifen, horTh) is the treatment whose
# interaction with the receptor status is tested.

[study]
name = "GBSG2: progesterone receptor and hormone therapy"
description = "686 women with node-positive breast cancer; recurrence-free survival by progesterone-receptor status (progrec >= 20 fmol/l), hormone therapy yes/no."

[data.patients]
file = "{file}"
# id = "patient_id"           # GBSG2 has no id column: patients are numbered
                              # by their row (1 = the first data row)

[marker]
name = "PgR"
type = "continuous"
column = "progrec"
cutoff = 20
positive = "at_or_above"      # "above" (>, default), "at_or_above" (>=), "below", "at_or_below"
negative_label = "PgR < 20"
positive_label = "PgR >= 20"

[endpoints]
unit = "months"
primary = "rfs"

[[endpoints.given]]
name = "rfs"
label = "Recurrence-free survival"
time = "time"
event = "cens"
event_value = "1"
time_unit = "days"

[treatment]
column = "horTh"
treated = "yes"
control = "no"
name = "hormone therapy"

[[factors]]
column = "age"
label = "Age (years)"

[[factors]]
column = "menostat"
label = "Menopausal status"
reference = "Pre"

[[factors]]
column = "tsize"
label = "Tumour size (mm)"

[[factors]]
column = "tgrade"
label = "Tumour grade"
reference = "I"

[[factors]]
column = "pnodes"
label = "Positive nodes"

[[factors]]
column = "estrec"
label = "Oestrogen receptor (fmol/l)"

[selection]
method = "stepwise"
entry = 0.05
stay = 0.05
candidates = "all"

[plan]
landmarks = [12, 24, 60]
conf_level = 0.95
ties = "efron"
conf_type = "log-log"
"##;

/// A small valid-looking spec used by unit tests of the key schema.
#[cfg(test)]
pub(crate) const MINIMAL_FOR_TESTS: &str = r#"[study]
name = "t"

[data.patients]
file = "p.csv"
id = "id"

[data.ihc]
id = "id"

[data.lesions]
file = "l.csv"
id = "id"
date = "d"
lesion = "l"
longest_diameter = "ld"
target = "t"

[marker]
name = "m"
type = "ihc"
readers = ["r"]

[endpoints]
derive = ["ttp"]

[endpoints.dates]
start = "s"
progression = "p"
last_follow_up = "l"

[response]
source = "lesions"

[cohorts]
column = "c"

[treatment]
column = "c"
treated = "a"

[selection]
method = "stepwise"

[plan]
landmarks = [6]

[report]
show_ids = false
"#;
