//! Output: result files (CSV, JSON) and the terminal comparison table.
//! Computing happens in `analysis`; this module only formats and writes.

pub mod files;
pub mod plan;
pub mod table;

use crate::analysis::Analysis;
use crate::model::Model;
use crate::runner::RunResults;
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
    pub threads: usize,
    pub wall_time_s: f64,
}

/// Formats a number for CSV: shortest round-trip form; empty for NaN.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// summary.csv: one row per (strategy, metric).
pub fn summary_csv(model: &Model, res: &RunResults, an: &Analysis) -> String {
    let mut out = String::from("strategy,metric,n,mean,sd,ci_low,ci_high,p10,p50,p85,p95,min,max\n");
    for (s, st) in model.strategies.iter().enumerate() {
        for (m, name) in res.layout.metric_names.iter().enumerate() {
            let x = &an.metrics[s][m];
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{}",
                csv_field(&st.name),
                csv_field(name),
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
            );
        }
    }
    out
}

/// reps.csv: one row per (strategy, replication), every metric as a column.
pub fn reps_csv(model: &Model, res: &RunResults) -> String {
    let mut out = String::from("strategy,replication");
    for name in &res.layout.metric_names {
        out.push(',');
        out.push_str(&csv_field(name));
    }
    out.push('\n');
    for (s, st) in model.strategies.iter().enumerate() {
        for (i, r) in res.reps[s].iter().enumerate() {
            let _ = write!(out, "{},{}", csv_field(&st.name), res.range.first + i as u64);
            for &v in &r.metrics {
                out.push(',');
                out.push_str(&num(v));
            }
            out.push('\n');
        }
    }
    out
}

/// timeseries.csv: weekly fans per strategy and series.
pub fn timeseries_csv(model: &Model, res: &RunResults, an: &Analysis) -> String {
    let mut out = String::from("week,strategy,series,mean,p10,p50,p90\n");
    for (s, st) in model.strategies.iter().enumerate() {
        for (k, name) in res.layout.series_names.iter().enumerate() {
            for (w, v) in an.series[s][k].iter().enumerate() {
                let _ = writeln!(out, "{w},{},{},{},{},{},{}", csv_field(&st.name), csv_field(name), num(v[0]), num(v[1]), num(v[2]), num(v[3]));
            }
        }
    }
    out
}

/// Writes summary.csv, reps.csv, timeseries.csv and run.json into `dir`.
pub fn write_run(dir: &Path, model: &Model, res: &RunResults, an: &Analysis, info: &RunInfo) -> Result<(), OutputError> {
    write_atomic(&dir.join("summary.csv"), summary_csv(model, res, an).as_bytes())?;
    write_atomic(&dir.join("reps.csv"), reps_csv(model, res).as_bytes())?;
    write_atomic(&dir.join("timeseries.csv"), timeseries_csv(model, res, an).as_bytes())?;
    let json = serde_json::to_string_pretty(info).expect("run info serialises");
    write_atomic(&dir.join("run.json"), format!("{json}\n").as_bytes())
}
