//! Shared helpers: write a study's tables and spec into a fresh folder,
//! check and run it.

use std::path::{Path, PathBuf};

use oncomark_study::pipeline::{run, PipelineError, RunMeta};
use oncomark_study::results::StudyResults;
use oncomark_study::simulate::{simulate_paper_cohort, SimulatedStudy};
use oncomark_study::spec::{check_file, templates, SpecProblems};

/// The seed of the committed fixtures and of `oncomark demo`.
pub const SEED: u64 = 2009;

/// A folder holding a study's files (removed when dropped).
pub struct StudyDir {
    pub dir: tempfile::TempDir,
}

impl StudyDir {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn spec(&self) -> PathBuf {
        self.path().join("study.toml")
    }

    /// Replace the text of file `name` with `f(text)`.
    pub fn edit(&self, name: &str, f: impl FnOnce(String) -> String) {
        let p = self.path().join(name);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, f(t)).unwrap();
    }

    pub fn check(&self) -> Result<oncomark_study::spec::CheckedSpec, SpecProblems> {
        check_file(&self.spec())
    }

    pub fn run(&self) -> Result<StudyResults, PipelineError> {
        let c = self.check().unwrap_or_else(|e| panic!("{e}"));
        run(
            &c,
            &RunMeta {
                command_line: vec!["test".into()],
                created_utc: "2000-01-01T00:00:00Z".into(),
            },
        )
    }
}

/// The simulated paper cohort of `seed` with the paper's spec.
pub fn paper_dir(seed: u64) -> (SimulatedStudy, StudyDir) {
    let s = simulate_paper_cohort(seed);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("patients.csv"), s.patients_csv()).unwrap();
    std::fs::write(dir.path().join("ihc.csv"), s.ihc_csv()).unwrap();
    std::fs::write(dir.path().join("lesions.csv"), s.lesions_csv()).unwrap();
    std::fs::write(dir.path().join("study.toml"), templates::paper_spec(seed)).unwrap();
    (s, StudyDir { dir })
}

/// A folder with `spec` as study.toml and the given files.
pub fn dir_with(spec: &str, files: &[(&str, &str)]) -> StudyDir {
    let dir = tempfile::tempdir().unwrap();
    for (n, t) in files {
        std::fs::write(dir.path().join(n), t).unwrap();
    }
    std::fs::write(dir.path().join("study.toml"), spec).unwrap();
    StudyDir { dir }
}

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}
