//! `podsim report DIR`: write report.html and report.md for an output folder.

use super::CliError;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Output folder written by `podsim run`.
    pub dir: PathBuf,
    /// Chart file formats to write into DIR/charts/.
    #[arg(long, value_enum, default_value_t = super::chart::ChartFormat::Both)]
    pub chart_format: super::chart::ChartFormat,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn report(args: ReportArgs) -> Result<(), CliError> {
    let _ = args;
    Err(CliError::Runtime("not yet".into()))
}
