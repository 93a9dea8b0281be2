//! `podsim show SCENARIO [--out FILE] [--force]`: the scenario with every
//! default filled in, each with its source, as TOML a user can save and edit.

use super::CliError;
use crate::scenario;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Write the resolved scenario to this file instead of printing it.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn show(args: ShowArgs) -> Result<(), CliError> {
    let loaded = scenario::load(&args.scenario)?;
    let text = scenario::show::resolved_toml(&loaded.text, &loaded.path)?;
    match args.out {
        None => out!("{text}"),
        Some(path) => {
            if path.exists() && !args.force {
                return Err(CliError::Input(format!(
                    "{} already exists; pass --force to overwrite it",
                    path.display()
                )));
            }
            crate::output::write_atomic(&path, text.as_bytes())?;
            outln!("wrote {}", path.display());
        }
    }
    Ok(())
}
