//! Reads what `podsim explain` writes (`explain.csv` and `explain.json`)
//! back into memory, for the waterfall chart and the report's "Why the
//! strategies differ" section.

use super::run::DataError;
use super::sweep::read_csv;
use super::{EXPLAIN_CSV, EXPLAIN_JSON};
use std::path::Path;

/// One row of explain.csv: a part of one metric's difference for one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplainRow {
    pub a: String,
    pub b: String,
    pub metric: String,
    /// `total`, `base`, or a mechanism's name.
    pub part: String,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// An explain folder's contents.
#[derive(Clone, Debug)]
pub struct ExplainData {
    pub rows: Vec<ExplainRow>,
    pub scenario_name: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub replications: u64,
    /// The plain-words sentences, one per (pair, metric), in file order.
    pub headlines: Vec<String>,
}

impl ExplainData {
    /// Loads `explain.csv` and `explain.json` from `dir`; `Ok(None)` when the
    /// folder has no explain.csv (explain was not run there).
    pub fn load(dir: &Path) -> Result<Option<ExplainData>, DataError> {
        let Some(csv) = read_csv(dir, EXPLAIN_CSV)? else {
            return Ok(None);
        };
        let cols: Vec<usize> = ["a", "b", "metric", "part", "mean", "ci_low", "ci_high"]
            .iter()
            .map(|c| csv.col(c))
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::with_capacity(csv.rows.len());
        for (line, r) in &csv.rows {
            let text = |i: usize| r.get(cols[i]).cloned().unwrap_or_default();
            rows.push(ExplainRow {
                a: text(0),
                b: text(1),
                metric: text(2),
                part: text(3),
                mean: csv.num(*line, r, cols[4])?,
                ci_low: csv.num(*line, r, cols[5])?,
                ci_high: csv.num(*line, r, cols[6])?,
            });
        }
        let p = dir.join(EXPLAIN_JSON);
        let path = p.display().to_string();
        let text = std::fs::read_to_string(&p).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => DataError::MissingFile { path: path.clone() },
            _ => DataError::Io {
                path: path.clone(),
                source,
            },
        })?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| DataError::Malformed {
            path: path.clone(),
            line: Some(e.line() as u64),
            message: e.to_string(),
        })?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
        let u = |k: &str| v.get(k).and_then(|x| x.as_u64()).unwrap_or(0);
        Ok(Some(ExplainData {
            rows,
            scenario_name: s("scenario_name"),
            scenario_sha256: s("scenario_sha256"),
            seed: u("seed"),
            replications: u("replications"),
            headlines: v
                .get("headlines")
                .and_then(|h| h.as_array())
                .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                .unwrap_or_default(),
        }))
    }

    /// The (a, b) pairs in file order.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for r in &self.rows {
            let p = (r.a.clone(), r.b.clone());
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The rows of one pair and metric, in file order.
    pub fn parts(&self, a: &str, b: &str, metric: &str) -> Vec<&ExplainRow> {
        self.rows
            .iter()
            .filter(|r| r.a == a && r.b == b && r.metric == metric)
            .collect()
    }
}
