//! Output: result files (CSV, JSON) and the terminal comparison table.
//! Computing happens in `analysis`; this module only formats and writes.

pub mod calibration;
pub mod explain;
pub mod files;
pub mod plan;
pub mod sweep;
pub mod table;
pub mod uncertainty;

use crate::aggregate::{Aggregate, ExactSum};
use crate::analysis::Analysis;
use crate::results;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

pub use files::{prepare_dir, write_atomic, OutputError};

/// What identifies a run, recorded in run.json and in every report.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub struct RunInfo {
    pub podsim_version: String,
    pub scenario_name: String,
    pub scenario_path: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub replications: u64,
    pub first_replication: u64,
    pub strategies: Vec<String>,
    /// How this run was computed, not what it computed: the only part of
    /// run.json that differs between thread counts or machines.
    #[serde(default)]
    pub timing: Timing,
    /// Weeks of the horizon (the weekly series have one more point).
    pub horizon_weeks: f64,
    /// The deadline, for reports and charts.
    #[serde(default)]
    pub deadline_weeks: Option<f64>,
    /// `--precision` target, when the run stopped on it.
    #[serde(default)]
    pub precision: Option<PrecisionInfo>,
    /// Present when this folder holds one shard of a larger run.
    #[serde(default)]
    pub shard: Option<ShardInfo>,
    /// The uncertain inputs and decision values, with `[uncertainty]`
    /// (docs/UNCERTAINTY.md); absent otherwise, so run.json is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<crate::uncertainty::Record>,
}

/// The `"timing"` object of run.json (README: "Output files").
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Timing {
    pub threads: usize,
    pub wall_time_s: f64,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub struct PrecisionInfo {
    pub target: f64,
    pub reached: bool,
    pub max_replications: u64,
}

/// Which block of replications a shard ran.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub struct ShardInfo {
    /// 1-based shard index and the number of shards.
    pub index: u64,
    pub of: u64,
    /// Replications of the whole run.
    pub total_replications: u64,
}

/// Formats a number for CSV: shortest round-trip form; empty for NaN.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A summary's columns of summary.csv and sweep.csv, from `n` to `max`.
pub(crate) fn summary_fields(x: &crate::stats::Summary) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{},{},{}",
        x.n,
        num(x.mean),
        num(x.sd),
        num(x.ci_low),
        num(x.ci_high),
        num(x.p10),
        num(x.p50),
        num(x.p85),
        num(x.p95),
        num(x.min),
        num(x.max)
    )
}

/// summary.csv: one row per (strategy, metric).
pub fn summary_csv(agg: &Aggregate, an: &Analysis) -> String {
    let mut out = results::header_line(&results::SUMMARY_COLUMNS);
    for (s, st) in agg.strategies.iter().enumerate() {
        for (m, name) in agg.layout.metric_names.iter().enumerate() {
            let x = &an.metrics[s][m];
            let _ = writeln!(out, "{},{},{}", csv_field(st), csv_field(name), summary_fields(x));
        }
    }
    out
}

/// reps.csv: one row per (strategy, replication), every metric as a column.
/// Numbers are written in shortest round-trip form, so `podsim merge` reads
/// back exactly the values a single run holds. Streamed: it can be large.
pub fn write_reps_csv(agg: &Aggregate, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut line = results::REPS_KEY_COLUMNS.join(",");
    for name in &agg.layout.metric_names {
        line.push(',');
        line.push_str(&csv_field(name));
    }
    for name in &agg.inputs {
        line.push(',');
        line.push_str(&csv_field(&format!("{}{name}", results::INPUT_COLUMN_PREFIX)));
    }
    line.push('\n');
    out.write_all(line.as_bytes())?;
    for (s, st) in agg.strategies.iter().enumerate() {
        let st = csv_field(st);
        for i in 0..agg.count as usize {
            line.clear();
            let _ = write!(line, "{st},{}", agg.first_rep + i as u64);
            for col in agg.metrics[s].iter().chain(&agg.input_values) {
                line.push(',');
                line.push_str(&num(col[i]));
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

/// timeseries.csv: weekly fans per strategy and series.
pub fn timeseries_csv(agg: &Aggregate, an: &Analysis) -> String {
    let mut out = results::header_line(&results::TIMESERIES_COLUMNS);
    for (s, st) in agg.strategies.iter().enumerate() {
        for (k, name) in agg.layout.series_names.iter().enumerate() {
            for (w, v) in an.series[s][k].iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{w},{},{},{},{},{},{}",
                    csv_field(st),
                    csv_field(name),
                    num(v[0]),
                    num(v[1]),
                    num(v[2]),
                    num(v[3])
                );
            }
        }
    }
    out
}

/// series_sums.csv (shards): exact fixed-point sums of every weekly series.
pub fn series_sums_csv(agg: &Aggregate) -> String {
    let mut out = results::header_line(&results::SERIES_SUMS_COLUMNS);
    let points = agg.points();
    for (s, st) in agg.strategies.iter().enumerate() {
        for (k, name) in agg.layout.series_names.iter().enumerate() {
            for w in 0..points {
                let ExactSum(v) = agg.series_sum[s][k * points + w];
                let _ = writeln!(out, "{},{},{w},{v}", csv_field(st), csv_field(name));
            }
        }
    }
    out
}

/// series_kept.csv (shards): the weekly series of replications below KEEP_SERIES.
pub fn series_kept_csv(agg: &Aggregate) -> String {
    let points = agg.points();
    let mut out = results::SERIES_KEPT_KEY_COLUMNS.join(",");
    for w in 0..points {
        let _ = write!(out, ",w{w}");
    }
    out.push('\n');
    for (s, st) in agg.strategies.iter().enumerate() {
        for (rep, v) in &agg.kept[s] {
            for (k, name) in agg.layout.series_names.iter().enumerate() {
                let _ = write!(out, "{},{rep},{}", csv_field(st), csv_field(name));
                for x in &v[k * points..(k + 1) * points] {
                    out.push(',');
                    out.push_str(&num(*x));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Writes summary.csv, reps.csv, timeseries.csv and run.json into `dir`; a
/// shard also writes the exact partial state `podsim merge` needs.
pub fn write_run(dir: &Path, agg: &Aggregate, an: &Analysis, info: &RunInfo) -> Result<(), OutputError> {
    write_atomic(&dir.join(results::SUMMARY), summary_csv(agg, an).as_bytes())?;
    files::write_atomic_with(&dir.join(results::REPS), |w| write_reps_csv(agg, w))?;
    write_atomic(&dir.join(results::TIMESERIES), timeseries_csv(agg, an).as_bytes())?;
    if info.shard.is_some() {
        write_atomic(&dir.join(results::SERIES_SUMS), series_sums_csv(agg).as_bytes())?;
        write_atomic(&dir.join(results::SERIES_KEPT), series_kept_csv(agg).as_bytes())?;
    }
    let json = serde_json::to_string_pretty(info).expect("run info serialises");
    write_atomic(&dir.join(results::RUN_JSON), format!("{json}\n").as_bytes())
}
