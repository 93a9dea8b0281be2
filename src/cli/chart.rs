//! `podsim chart DIR`: re-render the charts of an output folder from its
//! CSVs, without re-simulating. Also the chart-writing step shared by `run`
//! and `report`.

use super::CliError;
use crate::charts::{self, Figure, Formats, RunData, Skipped, SweepData};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ChartArgs {
    /// Output folder written by `podsim run` (summary.csv, reps.csv, timeseries.csv,
    /// run.json), `podsim sweep` (sweep.csv, pareto.csv) or `podsim sensitivity` (sensitivity.csv).
    pub dir: PathBuf,
    /// Chart file formats to write into DIR/charts/.
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--chart-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    Png,
    Svg,
    Both,
}

impl From<ChartFormat> for Formats {
    fn from(f: ChartFormat) -> Formats {
        match f {
            ChartFormat::Png => Formats::Png,
            ChartFormat::Svg => Formats::Svg,
            ChartFormat::Both => Formats::Both,
        }
    }
}

impl From<charts::DataError> for CliError {
    fn from(e: charts::DataError) -> Self {
        if e.is_input() {
            CliError::Input(e.to_string())
        } else {
            CliError::Runtime(e.to_string())
        }
    }
}

impl From<charts::ChartError> for CliError {
    fn from(e: charts::ChartError) -> Self {
        CliError::Runtime(e.to_string())
    }
}

/// What a chart step wrote and left out.
pub struct Written {
    pub dir: PathBuf,
    pub figures: Vec<Figure>,
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

impl Written {
    /// A short account for the terminal.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "wrote {} chart(s) ({} file(s)) to {}",
            self.figures.len(),
            self.files.len(),
            self.dir.display()
        );
        for s in &self.skipped {
            out.push_str(&format!("\n  skipped {}: {}", s.id, s.reason));
        }
        out
    }
}

pub use crate::results::charts_dir;

/// Renders every chart of `data` into `out/charts/`.
pub fn write_charts(data: &RunData, out: &Path, formats: Formats) -> Result<Written, CliError> {
    let (figures, skipped) = charts::run_figures(data);
    let dir = charts_dir(out);
    let files = charts::write_figures(&dir, &figures, &skipped, formats)?;
    Ok(Written {
        dir,
        figures,
        files,
        skipped,
    })
}

/// Renders every chart of a sweep or sensitivity folder into `out/charts/`.
pub fn write_sweep_charts(data: &SweepData, out: &Path, formats: Formats) -> Result<Written, CliError> {
    let (figures, skipped) = charts::sweep_figures(data);
    let dir = charts_dir(out);
    let files = charts::write_figures(&dir, &figures, &skipped, formats)?;
    Ok(Written {
        dir,
        figures,
        files,
        skipped,
    })
}

/// Loads the folder written by `sweep` or `sensitivity` in `out` and draws
/// its charts (shared by those commands); returns the terminal account.
pub fn sweep_charts_of(out: &Path, formats: Formats) -> Result<String, CliError> {
    let data = SweepData::load(out)?;
    Ok(write_sweep_charts(&data, out, formats)?.describe())
}

pub fn chart(args: ChartArgs) -> Result<(), CliError> {
    let dir = &args.dir;
    let run_folder = crate::results::is_run_dir(dir);
    let w = if !run_folder && crate::results::is_sweep_dir(dir) {
        write_sweep_charts(&SweepData::load(dir)?, dir, args.chart_format.into())?
    } else {
        if dir.is_dir() && !run_folder {
            return Err(CliError::Input(format!(
                "{}: neither a run folder (run.json, summary.csv, reps.csv, timeseries.csv, written by `podsim run`) \
                 nor a sweep folder (sweep.csv, pareto.csv or sensitivity.csv, written by `podsim sweep` or `podsim sensitivity`)",
                dir.display()
            )));
        }
        write_charts(&RunData::load(dir)?, dir, args.chart_format.into())?
    };
    if !args.quiet {
        println!("{}", w.describe());
    }
    Ok(())
}
