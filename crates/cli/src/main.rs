//! The `oncomark` command-line program: arguments, dispatch, error display
//! and exit status. It is the only place that prints or exits.
//!
//! Exit status: 0 success; 2 bad usage or bad input; 1 an analysis that
//! cannot be done on valid input (for example no events).

mod cmd;
mod output;
mod plot;

use clap::{Parser, Subcommand};

/// oncomark: clinical and translational biomarker statistics.
#[derive(Parser)]
#[command(name = "oncomark", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Kaplan-Meier survival curves with Greenwood CIs, medians and numbers at risk.
    #[command(after_help = cmd::km::EXAMPLE)]
    Km(cmd::km::Args),
    /// Log-rank (G-rho) test between groups, optionally stratified.
    #[command(after_help = cmd::logrank::EXAMPLE)]
    Logrank(cmd::logrank::Args),
    /// Cox proportional-hazards regression.
    #[command(after_help = cmd::cox::EXAMPLE)]
    Cox(cmd::cox::Args),
    /// Events, patients or power for a biomarker hazard ratio or an interaction.
    #[command(after_help = cmd::power::EXAMPLE)]
    Power(cmd::power::Args),
    /// Contingency table with Fisher's exact, chi-square and trend tests.
    #[command(after_help = cmd::table::EXAMPLE)]
    Table(cmd::table::Args),
    /// Student, Welch, paired or one-sample t-test.
    #[command(after_help = cmd::ttest::EXAMPLE)]
    Ttest(cmd::ttest::Args),
    /// Agreement between two readers: Cohen's kappa (weighted) and ICC.
    #[command(after_help = cmd::agreement::EXAMPLE)]
    Agreement(cmd::agreement::Args),
    /// Laboratory assays: viability, clonogenic survival, blot densitometry,
    /// dose-response curves and drug-combination synergy.
    #[command(after_help = cmd::assay::EXAMPLE)]
    Assay(cmd::assay::Args),
    /// Best cutpoint of a continuous marker for survival, with P values
    /// corrected for the search (never the minimum P) and its validation.
    #[command(after_help = cmd::cutpoint::EXAMPLE)]
    Cutpoint(cmd::cutpoint::Args),
    /// Screen many markers against survival: Cox per SD, median and
    /// quartile splits, corrected best cutpoints and FDR q values.
    #[command(after_help = cmd::screen::EXAMPLE)]
    Screen(cmd::screen::Args),
    /// A whole study from a TOML spec: `study check SPEC`, `study run SPEC --out DIR`.
    #[command(after_help = cmd::study::EXAMPLE)]
    Study(cmd::study::Args),
    /// Simulate the raw tables of a study design, with a ready-to-run spec.
    #[command(after_help = cmd::simulate::EXAMPLE)]
    Simulate(cmd::simulate::Args),
    /// Run the whole study pipeline on a simulated cohort and on GBSG2.
    #[command(after_help = cmd::demo::EXAMPLE)]
    Demo(cmd::demo::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Km(a) => cmd::km::run(a),
        Command::Logrank(a) => cmd::logrank::run(a),
        Command::Cox(a) => cmd::cox::run(a),
        Command::Power(a) => cmd::power::run(a),
        Command::Table(a) => cmd::table::run(a),
        Command::Ttest(a) => cmd::ttest::run(a),
        Command::Agreement(a) => cmd::agreement::run(a),
        Command::Assay(a) => cmd::assay::run(a),
        Command::Cutpoint(a) => cmd::cutpoint::run(a),
        Command::Screen(a) => cmd::screen::run(a),
        Command::Study(a) => cmd::study::run(a),
        Command::Simulate(a) => cmd::simulate::run(a),
        Command::Demo(a) => cmd::demo::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {}", e.error);
        for cause in e.error.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(e.code);
    }
}
