//! The `oncomark` command-line program: arguments, dispatch, error display
//! and exit status. It is the only place that prints or exits.
//!
//! Exit status: 0 success; 2 bad usage or bad input; 1 an analysis that
//! cannot be done on valid input (for example no events).

mod cmd;
mod output;

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
    };
    if let Err(e) = result {
        eprintln!("error: {}", e.error);
        for cause in e.error.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(e.code);
    }
}
