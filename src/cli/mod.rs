//! The command line: argument parsing, dispatch to one file per subcommand,
//! and the mapping of errors to exit codes (2 usage/input, 1 runtime).

/// Standard output for everything podsim prints: a closed pipe
/// (`podsim validate *.toml | head -1`) ends the command quietly instead of
/// panicking, as `print!` would. Files are written whole before anything is
/// printed about them, so stopping there leaves nothing half-done.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::common::write_stdout(format_args!($($arg)*)) };
}

macro_rules! outln {
    () => { $crate::cli::common::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::common::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Standard error for messages: failures to write them are ignored (there
/// is nowhere left to report them), never a panic.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::common::write_stderr(format_args!("{}\n", format_args!($($arg)*))) };
}

mod backtest;
mod chart;
mod common;
mod explain;
mod fit;
mod history;
mod init;
mod merge;
mod optimise;
mod report;
mod run;
mod selfcheck;
mod sensitivity;
mod show;
mod sweep;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// An error that ends the command, with the exit code it deserves.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments or input files: exit code 2.
    Input(String),
    /// Something failed while running: exit code 1.
    Runtime(String),
    /// Stopped by Ctrl-C before writing anything: exit code 130.
    Interrupted,
}

/// Set by the Ctrl-C handler; long loops check it and stop cleanly.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl CliError {
    pub fn code(&self) -> i32 {
        match self {
            CliError::Input(_) => 2,
            CliError::Runtime(_) => 1,
            CliError::Interrupted => 130,
        }
    }
}

impl From<crate::scenario::ScenarioError> for CliError {
    fn from(e: crate::scenario::ScenarioError) -> Self {
        CliError::Input(e.to_string())
    }
}

impl From<crate::output::OutputError> for CliError {
    fn from(e: crate::output::OutputError) -> Self {
        match e {
            crate::output::OutputError::NotOurs { .. } => CliError::Input(e.to_string()),
            _ => CliError::Runtime(e.to_string()),
        }
    }
}

#[derive(Parser, Debug)]
#[command(name = "podsim", version, about = "Capacity planning for AI programmes: individual contributors vs managed pods, simulated and optimised", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate every strategy of a scenario and compare them.
    Run(run::RunArgs),
    /// Vary scenario fields over a grid (--vary), mark a Pareto frontier
    /// (--pareto), or find where two strategies break even (--find).
    Sweep(sweep::SweepArgs),
    /// Why strategies differ: split each headline difference into named
    /// mechanisms (coordination, questions, quality, …) by exact Shapley values.
    Explain(explain::ExplainArgs),
    /// Rank every numeric parameter by its effect on a metric (tornado data).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Plan staffing by role, channel and week at least cost (LP/MILP), explain it, and optionally verify it by simulation.
    Optimise(optimise::OptimiseArgs),
    /// Check scenario files and summarise what each describes.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the scenario with every default filled in and its source, as TOML.
    Show(show::ShowArgs),
    /// Re-render the charts of an output folder from its CSVs (no simulation).
    Chart(chart::ChartArgs),
    /// Write report.html and report.md (with charts) for an output folder.
    Report(report::ReportArgs),
    /// Combine shard folders (from `run --shard i/n`) into one run's files.
    Merge {
        /// Shard output folders, in any order.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder for the combined files.
        #[arg(long, default_value = "output/merged")]
        out: PathBuf,
        /// Write into an existing folder even if podsim did not create it.
        #[arg(long)]
        force: bool,
        /// Only the files, no chatter.
        #[arg(long, short)]
        quiet: bool,
        /// Do not draw charts for the merged run.
        #[arg(long)]
        no_charts: bool,
    },
    /// Check the simulator against closed forms and published results
    /// (the table in docs/VALIDATION.md).
    Selfcheck {
        /// Write the Markdown table here instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replications per statistical check.
        #[arg(long, default_value_t = 40)]
        reps: u64,
    },
    /// Fit effort, arrivals, questions, rework and tenure from a team's
    /// history (Jira CSV, Label Studio JSON, any CSV) into a scenario fragment.
    Fit(fit::FitArgs),
    /// Simulate a past period and compare it with what actually happened:
    /// weekly throughput inside the simulated P10-P90 band, finish dates.
    Backtest(backtest::BacktestArgs),
    /// Write a commented starter scenario.
    Init {
        /// Folder to write `scenario.toml` into (default: the current folder).
        dir: Option<PathBuf>,
        /// Overwrite an existing scenario.toml.
        #[arg(long)]
        force: bool,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    // Ctrl-C stops simulations between replications; results are only ever
    // written after a run completes, through temporary files, so an
    // interrupted run leaves earlier outputs untouched and no partial files.
    // A native solver's call (HiGHS, feature `highs`) cannot check the flag,
    // and nothing is written while it runs: exit at once then.
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        if crate::plan::solve::in_native_solve() {
            std::process::exit(130);
        }
    });
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Explain(args) => explain::explain(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Optimise(args) => optimise::optimise(args),
        Command::Show(args) => show::show(args),
        Command::Validate { files } => validate::validate(&files),
        Command::Init { dir, force } => init::init(dir, force),
        Command::Chart(args) => chart::chart(args),
        Command::Fit(args) => fit::fit(args),
        Command::Backtest(args) => backtest::backtest(args),
        Command::Report(args) => report::report(args),
        Command::Selfcheck { out, reps } => selfcheck::selfcheck(out, reps),
        Command::Merge {
            dirs,
            out,
            force,
            quiet,
            no_charts,
        } => merge::merge(&dirs, &out, force, quiet, no_charts),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            match &e {
                CliError::Input(m) | CliError::Runtime(m) => errln!("error: {m}"),
                CliError::Interrupted => errln!("interrupted: nothing was written (earlier outputs are untouched)"),
            }
            e.code()
        }
    }
}
