//! Output plumbing shared by every verb: the `--format`/`--out` flags, the
//! failure type that carries an exit status, and atomic file writing.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// How a result is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text (the default).
    Text,
    /// JSON, as documented in docs/cli-contract.md.
    Json,
    /// A CSV table, where one fits.
    Csv,
}

/// `--format` and `--out`, shared by every verb.
#[derive(Clone, Debug, clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to this file (atomically: a temporary file renamed
    /// into place) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// A failed run: the error to show and the exit status.
#[derive(Debug)]
pub struct Failure {
    /// Exit status: 2 bad usage or input, 1 an analysis impossible on valid input.
    pub code: i32,
    /// What went wrong.
    pub error: anyhow::Error,
}

impl Failure {
    /// Bad usage or bad input: exit status 2.
    pub fn input(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 2,
            error: error.into(),
        }
    }
    /// An analysis that cannot be done on valid input: exit status 1.
    pub fn analysis(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 1,
            error: error.into(),
        }
    }
}

/// Result of a verb.
pub type Outcome = Result<(), Failure>;

/// Render `value` in the chosen format and send it to `--out` or stdout.
///
/// `text` and `csv` are only called for their formats; a verb without a
/// CSV form passes `None` and `--format csv` becomes a usage error.
pub fn emit<T: serde::Serialize>(
    args: &OutputArgs,
    value: &T,
    text: impl FnOnce() -> String,
    csv: Option<&dyn Fn() -> String>,
) -> Outcome {
    let body = match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(value)
                .context("cannot serialise the result")
                .map_err(Failure::analysis)?;
            s.push('\n');
            s
        }
        Format::Text => text(),
        Format::Csv => match csv {
            Some(f) => f(),
            None => {
                return Err(Failure::input(anyhow::anyhow!(
                    "this verb has no CSV form; use --format json or text"
                )))
            }
        },
    };
    match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            // A closed pipe (e.g. `| head`) is not an error worth a message.
            let _ = lock.write_all(body.as_bytes());
            Ok(())
        }
        Some(path) => write_atomic(path, body.as_bytes()).map_err(Failure::input),
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder,
/// renamed into place, so a reader never sees a half-written file and a
/// failure leaves nothing behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).with_context(|| {
        format!(
            "cannot create a file in {}: does the folder exist and is it writable?",
            dir.display()
        )
    })?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    // On failure the error holds the temporary file: drop it (deleting the
    // file) before returning, or an exit would leave it behind.
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Format a number for text tables: up to `sig` significant digits, no
/// trailing zeros, `NA` for missing.
pub fn num(x: Option<f64>, sig: usize) -> String {
    match x {
        None => "NA".to_string(),
        Some(v) if !v.is_finite() => format!("{v}"),
        Some(0.0) => "0".to_string(),
        Some(v) => {
            let mag = v.abs().log10().floor() as i32;
            if !(-4..=9).contains(&mag) {
                format!("{:.*e}", sig.saturating_sub(1), v)
            } else {
                let decimals = (sig as i32 - 1 - mag).max(0) as usize;
                let s = format!("{v:.decimals$}");
                if s.contains('.') {
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    s
                }
            }
        }
    }
}

/// Format with a fixed number of decimals, `NA` for missing.
pub fn fixed(x: Option<f64>, decimals: usize) -> String {
    match x {
        None => "NA".to_string(),
        Some(v) => format!("{v:.decimals$}"),
    }
}

/// Format a P value as journals do: `<0.001` below 0.001, else 3 digits.
pub fn pval(p: f64) -> String {
    if p.is_nan() {
        "NA".into()
    } else if p < 0.001 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_formats_significant_digits() {
        assert_eq!(num(Some(0.978260869565217), 4), "0.9783");
        assert_eq!(num(Some(270.0), 4), "270");
        assert_eq!(num(Some(1.5e-10), 3), "1.50e-10");
        assert_eq!(num(None, 4), "NA");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_atomic(&p, b"{}").unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{}");
    }

    #[test]
    fn regression_failed_rename_leaves_no_temporary_file() {
        // The target is a non-empty folder: the rename fails, and the
        // temporary file must not survive the error.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("taken");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("x"), "x").unwrap();
        assert!(write_atomic(&target, b"data").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the folder may remain");
    }

    #[test]
    fn atomic_write_to_missing_folder_names_it() {
        let err = write_atomic(Path::new("/nonexistent-folder-xyz/out.json"), b"x").unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent-folder-xyz"));
    }
}
