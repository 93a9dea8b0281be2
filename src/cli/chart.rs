//! `podsim chart DIR`: re-render the charts of an output folder from its
//! CSVs, without re-simulating (the drawing step itself is in `common`,
//! shared with `run`, `merge`, `sweep` and `report`).

use super::common::{write_charts, write_optimise_charts, write_sweep_charts, ChartFormat};
use super::CliError;
use crate::charts::{RunData, SweepData};
use crate::results::OptimiseData;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ChartArgs {
    /// Output folder written by `podsim run` (summary.csv, reps.csv, timeseries.csv,
    /// run.json), `podsim sweep` (sweep.csv, pareto.csv), `podsim sensitivity` (sensitivity.csv),
    /// `podsim explain` (explain.csv) or `podsim optimise` (optimise.json, plan.csv).
    pub dir: PathBuf,
    /// Chart file formats to write into DIR/charts/.
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn chart(args: ChartArgs) -> Result<(), CliError> {
    let dir = &args.dir;
    let run_folder = crate::results::is_run_dir(dir);
    let explain_folder = dir.join(crate::results::EXPLAIN_CSV).is_file();
    // explain writes beside a run's files (or alone): its waterfall is redrawn too.
    if explain_folder {
        let said = super::common::explain_charts_of(dir, args.chart_format.into())?;
        if !args.quiet {
            outln!("{said}");
        }
        if !run_folder {
            return Ok(());
        }
    }
    let w = if !run_folder && crate::results::is_sweep_dir(dir) {
        write_sweep_charts(&SweepData::load(dir)?, dir, args.chart_format.into())?
    } else if !run_folder && crate::results::is_optimise_dir(dir) {
        write_optimise_charts(&OptimiseData::load(dir)?, dir, args.chart_format.into())?
    } else {
        if dir.is_dir() && !run_folder {
            return Err(CliError::Input(format!(
                "{}: neither a run folder (run.json, summary.csv, reps.csv, timeseries.csv, written by `podsim run`) \
                 nor a sweep folder (sweep.csv, pareto.csv or sensitivity.csv, written by `podsim sweep` or `podsim sensitivity`) \
                 nor an explain folder (explain.csv, written by `podsim explain`) \
                 nor an optimiser folder (optimise.json, written by `podsim optimise`)",
                dir.display()
            )));
        }
        write_charts(&RunData::load(dir)?, dir, args.chart_format.into())?
    };
    if !args.quiet {
        outln!("{}", w.describe());
    }
    Ok(())
}
