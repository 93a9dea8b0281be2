//! `podsim selfcheck`: run the validation suite (closed forms and a
//! published experiment) and print or write its table.

use super::CliError;
use crate::validation::{self, Effort};

/// The Brooks's-law example, compiled in so the check runs anywhere.
const BROOKS_EXAMPLE: &str = include_str!("../../scenarios/brooks-law.toml");

pub fn selfcheck(out: Option<std::path::PathBuf>, reps: u64) -> Result<(), CliError> {
    if reps < 2 {
        return Err(CliError::Input(format!("--reps: expected at least 2, got {reps}")));
    }
    let effort = Effort { reps };
    let rows = validation::run_all(effort, BROOKS_EXAMPLE);
    let md = validation::markdown(&rows, effort);
    match out {
        Some(path) => {
            crate::output::write_atomic(&path, md.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{md}"),
    }
    let failed = rows.iter().filter(|r| !r.pass).count();
    if failed > 0 {
        return Err(CliError::Runtime(format!("{failed} validation check(s) failed")));
    }
    Ok(())
}
