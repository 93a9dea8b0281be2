//! The command line: argument parsing, dispatch to one file per subcommand,
//! and the mapping of errors to exit codes (2 usage/input, 1 runtime).

mod init;
mod optimise;
mod run;
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
}

impl CliError {
    pub fn code(&self) -> i32 {
        match self {
            CliError::Input(_) => 2,
            CliError::Runtime(_) => 1,
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
    /// Plan staffing by role, channel and week at least cost (LP/MILP), explain it, and optionally verify it by simulation.
    Optimise(optimise::OptimiseArgs),
    /// Check scenario files and summarise what each describes.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
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
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Optimise(args) => optimise::optimise(args),
        Command::Validate { files } => validate::validate(&files),
        Command::Init { dir, force } => init::init(dir, force),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            let msg = match &e {
                CliError::Input(m) | CliError::Runtime(m) => m,
            };
            eprintln!("error: {msg}");
            e.code()
        }
    }
}
