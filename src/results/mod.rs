//! The results layout: the names of every file podsim writes into an output
//! folder, their column layouts, and the one reader of those files. Writers
//! (`output`, the subcommands) take names and headers from here; `merge`,
//! charts and reports read through [`RunData`], [`SweepData`] and
//! [`read_shard`], whose errors name the file and line at fault.
//!
//! Charts and reports never run the simulator: they read these files.

mod explain;
mod optimise;
mod run;
mod shard;
mod sweep;
mod uncertainty;

pub use explain::{ExplainData, ExplainRow};
pub use optimise::OptimiseData;
pub use run::{DataError, FanPoint, RunData};
pub use shard::{read_info, read_shard};
pub use sweep::{BreakevenRow, ParetoRow, ParetoTable, SensRow, SweepData, SweepRow, SweepTable};
pub use uncertainty::{read_uncertainty, UncertaintyData};

#[cfg(test)]
pub(crate) use run::tests as run_fixtures;

use std::path::Path;

/// Marks a folder as a podsim output folder (so it may be overwritten).
pub const MARKER: &str = ".podsim-output";

/// `podsim run`: one row per (strategy, metric).
pub const SUMMARY: &str = "summary.csv";
/// `podsim run`: one row per (strategy, replication), every metric a column.
pub const REPS: &str = "reps.csv";
/// `podsim run`: weekly fans per strategy and series.
pub const TIMESERIES: &str = "timeseries.csv";
/// `podsim run`: what identifies the run (`output::RunInfo`).
pub const RUN_JSON: &str = "run.json";
/// Shards only: exact fixed-point sums of every weekly series.
pub const SERIES_SUMS: &str = "series_sums.csv";
/// Shards only: full weekly series of the first replications.
pub const SERIES_KEPT: &str = "series_kept.csv";
/// `podsim sweep`.
pub const SWEEP_CSV: &str = "sweep.csv";
pub const SWEEP_JSON: &str = "sweep.json";
pub const PARETO_CSV: &str = "pareto.csv";
/// `podsim sweep --breakeven`.
pub const BREAKEVEN_CSV: &str = "breakeven.csv";
pub const BREAKEVEN_JSON: &str = "breakeven.json";
/// `podsim sensitivity`.
pub const SENSITIVITY_CSV: &str = "sensitivity.csv";
pub const SENSITIVITY_JSON: &str = "sensitivity.json";
/// `podsim optimise`.
pub const PLAN_CSV: &str = "plan.csv";
pub const FRONTIER_CSV: &str = "frontier.csv";
pub const OPTIMISE_JSON: &str = "optimise.json";
/// `podsim optimise --target-probability`: one row per plan the chance loop solved.
pub const CERTAINTY_CSV: &str = "certainty.csv";
/// `podsim explain`: one row per pair, metric and part (docs/EXPLAIN.md).
pub const EXPLAIN_CSV: &str = "explain.csv";
/// `podsim explain`: the run record (seed, scenario hash, pairs, headlines).
pub const EXPLAIN_JSON: &str = "explain.json";
/// explain.csv's columns.
pub const EXPLAIN_COLUMNS: [&str; 9] = ["a", "b", "metric", "part", "mean", "ci_low", "ci_high", "sd", "n"];
/// The folder of charts inside an output folder.
pub const CHARTS_DIR: &str = "charts";

/// Columns of summary.csv.
pub const SUMMARY_COLUMNS: [&str; 13] = [
    "strategy", "metric", "n", "mean", "sd", "ci_low", "ci_high", "p10", "p50", "p85", "p95", "min", "max",
];
/// The leading columns of reps.csv; one column per metric follows.
pub const REPS_KEY_COLUMNS: [&str; 2] = ["strategy", "replication"];
/// reps.csv with `[uncertainty]`: after the metrics, one column per
/// uncertain input, named this prefix and the input's field path
/// (`input:overhead.coefficient`): the value of the replication's world.
pub const INPUT_COLUMN_PREFIX: &str = "input:";
/// `podsim run` with `[uncertainty]`: results over worlds (docs/UNCERTAINTY.md).
pub const UNCERTAINTY_JSON: &str = "uncertainty.json";
/// `podsim run` with `[uncertainty]`: one row per (pair, metric, input):
/// PRCC rank, the fit's threshold and its interval, and the threshold
/// refined by the break-even search with its 90 % interval (where refined).
pub const DRIVERS_CSV: &str = "drivers.csv";
/// drivers.csv's columns.
pub const DRIVERS_COLUMNS: [&str; 13] = [
    "a",
    "b",
    "metric",
    "input",
    "rank",
    "prcc",
    "threshold",
    "threshold_low",
    "threshold_high",
    "b_better_when",
    "refined",
    "refined_low",
    "refined_high",
];
/// Columns of timeseries.csv.
pub const TIMESERIES_COLUMNS: [&str; 7] = ["week", "strategy", "series", "mean", "p10", "p50", "p90"];
/// Columns of series_sums.csv.
pub const SERIES_SUMS_COLUMNS: [&str; 4] = ["strategy", "series", "week", "sum_fixed_2pow32"];
/// The leading columns of series_kept.csv; `w0`, `w1`, ... follow.
pub const SERIES_KEPT_KEY_COLUMNS: [&str; 3] = ["strategy", "replication", "series"];
/// The sensitivity.csv columns the charts read, in the order they are used
/// (the writer, `output::sweep::sensitivity_csv`, adds CIs of the effect and n).
pub const SENSITIVITY_READ_COLUMNS: [&str; 16] = [
    "strategy",
    "metric",
    "rank",
    "parameter",
    "base_value",
    "low_value",
    "high_value",
    "base_mean",
    "low_mean",
    "low_ci_low",
    "low_ci_high",
    "high_mean",
    "high_ci_low",
    "high_ci_high",
    "effect",
    "note",
];

/// A header line: the columns joined by commas, with a newline.
pub fn header_line(columns: &[&str]) -> String {
    let mut s = columns.join(",");
    s.push('\n');
    s
}

/// Whether `dir` holds a run's record (run.json).
pub fn is_run_dir(dir: &Path) -> bool {
    dir.join(RUN_JSON).is_file()
}

/// Whether `dir` holds an optimiser's record (optimise.json).
pub fn is_optimise_dir(dir: &Path) -> bool {
    dir.join(OPTIMISE_JSON).is_file()
}

/// Whether `dir` holds any of the sweep-like CSVs.
pub fn is_sweep_dir(dir: &Path) -> bool {
    [SWEEP_CSV, PARETO_CSV, SENSITIVITY_CSV, BREAKEVEN_CSV]
        .iter()
        .any(|f| dir.join(f).is_file())
}

/// The charts folder of an output folder.
pub fn charts_dir(out: &Path) -> std::path::PathBuf {
    out.join(CHARTS_DIR)
}

/// The one place chart files are removed: deletes `<id>.png` and `<id>.svg`
/// in `dir` for each id (charts that no longer apply), so a folder never
/// shows an outdated chart. Missing files are fine.
pub fn remove_chart_files<'a>(
    dir: &Path,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), crate::output::OutputError> {
    for id in ids {
        for ext in ["png", "svg"] {
            let p = dir.join(format!("{id}.{ext}"));
            match std::fs::remove_file(&p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(crate::output::OutputError::Io {
                        path: p.display().to_string(),
                        source: e,
                    })
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_chart_files_keeps_others_and_tolerates_missing_ones() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.png"), b"x").unwrap();
        std::fs::write(d.path().join("b.svg"), b"x").unwrap();
        remove_chart_files(d.path(), ["a", "c"]).unwrap();
        assert!(!d.path().join("a.png").exists());
        assert!(d.path().join("b.svg").exists());
    }
}
