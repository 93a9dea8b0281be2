//! `podsim init [DIR]`: write a commented starter scenario.

use super::CliError;
use std::path::PathBuf;

/// The starter scenario; a test checks it validates.
pub const STARTER: &str = include_str!("starter.toml");

pub fn init(dir: Option<PathBuf>, force: bool) -> Result<(), CliError> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Runtime(format!("{}: {e}", dir.display())))?;
    let path = dir.join("scenario.toml");
    if path.exists() && !force {
        return Err(CliError::Input(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )));
    }
    crate::output::write_atomic(&path, STARTER.as_bytes())?;
    outln!("wrote {}\nnext: podsim validate {0} && podsim run {0}", path.display());
    Ok(())
}
