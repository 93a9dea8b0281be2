//! `podsim report DIR`: write report.html (self-contained) and report.md
//! for an output folder, with its charts (the step itself is in `common`,
//! shared with `run --report`).

use super::common::{write_report, ChartFormat};
use super::CliError;
use crate::charts::RunData;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Output folder written by `podsim run`.
    pub dir: PathBuf,
    /// Chart file formats to write into DIR/charts/ (report.md links the PNGs when written).
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn report(args: ReportArgs) -> Result<(), CliError> {
    let data = RunData::load(&args.dir)?;
    let written = write_report(&data, &args.dir, args.chart_format)?;
    if !args.quiet {
        outln!("{}", written.join("\n"));
    }
    Ok(())
}
