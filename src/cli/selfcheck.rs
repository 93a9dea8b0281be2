//! `podsim selfcheck`: run the selfcheck suite (closed forms and a
//! published experiment) and print or write its table.

use super::common::{self, control};
use super::CliError;
use crate::runner::Cancelled;
use crate::selfcheck::{self, Effort};

/// The Brooks's-law example, compiled in so the check runs anywhere.
const BROOKS_EXAMPLE: &str = include_str!("../../scenarios/brooks-law.toml");

pub fn selfcheck(out: Option<std::path::PathBuf>, reps: u64) -> Result<(), CliError> {
    if reps < 2 {
        return Err(CliError::Input(format!("--reps: expected at least 2, got {reps}")));
    }
    let effort = Effort { reps };
    let rows =
        selfcheck::run_all(effort, BROOKS_EXAMPLE, control(&|| {})).map_err(|Cancelled| CliError::Interrupted)?;
    let md = selfcheck::markdown(&rows, effort);
    common::stop_if_interrupted()?;
    match out {
        Some(path) => {
            crate::output::write_atomic(&path, md.as_bytes())?;
            errln!("wrote {}", path.display());
        }
        None => out!("{md}"),
    }
    let failed = rows.iter().filter(|r| !r.pass).count();
    if failed > 0 {
        return Err(CliError::Runtime(format!("{failed} validation check(s) failed")));
    }
    Ok(())
}
