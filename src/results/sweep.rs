//! Reads the files `podsim sweep` and `podsim sensitivity` write
//! (`sweep.csv`, `pareto.csv`, `sensitivity.csv`, `breakeven.csv` and the
//! JSON record beside them) back into memory for the sweep charts. Empty
//! cells are NaN ("undefined"), as `output::sweep` writes them.

use super::run::DataError;
use super::{
    BREAKEVEN_CSV, BREAKEVEN_JSON, PARETO_CSV, SENSITIVITY_CSV, SENSITIVITY_JSON, SENSITIVITY_READ_COLUMNS, SWEEP_CSV,
    SWEEP_JSON,
};
use std::path::{Path, PathBuf};

const JSONS: [&str; 3] = [SWEEP_JSON, SENSITIVITY_JSON, BREAKEVEN_JSON];

/// One row of sweep.csv (only what the charts use).
#[derive(Clone, Debug)]
pub struct SweepRow {
    pub point: u64,
    /// Values of the varied paths, in column order.
    pub xs: Vec<f64>,
    pub strategy: String,
    pub metric: String,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Clone, Debug)]
pub struct SweepTable {
    /// The varied paths (column headers).
    pub params: Vec<String>,
    pub rows: Vec<SweepRow>,
}

/// One row of pareto.csv.
#[derive(Clone, Debug)]
pub struct ParetoRow {
    pub point: u64,
    pub xs: Vec<f64>,
    pub strategy: String,
    /// (mean, ci_low, ci_high) of the two metrics.
    pub m: [(f64, f64, f64); 2],
    pub status: String,
}

#[derive(Clone, Debug)]
pub struct ParetoTable {
    pub params: Vec<String>,
    pub metrics: [String; 2],
    pub rows: Vec<ParetoRow>,
}

/// One row of sensitivity.csv.
#[derive(Clone, Debug)]
pub struct SensRow {
    pub target: String,
    pub metric: String,
    pub rank: u64,
    pub parameter: String,
    pub base_value: f64,
    pub low_value: f64,
    pub high_value: f64,
    pub base_mean: f64,
    pub low: (f64, f64, f64),
    pub high: (f64, f64, f64),
    pub effect: f64,
    pub note: String,
    /// The parameter in words (empty in files written before it was).
    pub label: String,
    /// Low and high are the range declared in `[uncertainty]`.
    pub declared: bool,
}

/// One row of breakeven.csv.
#[derive(Clone, Debug)]
pub struct BreakevenRow {
    pub value: f64,
    pub purpose: String,
    pub diff: (f64, f64, f64),
}

/// Everything a sweep-like folder holds for charts.
#[derive(Clone, Debug, Default)]
pub struct SweepData {
    pub dir: PathBuf,
    pub scenario_name: String,
    pub replications: Option<u64>,
    pub seed: Option<u64>,
    /// Strategies in the order of the JSON record.
    pub strategies: Vec<String>,
    /// Every strategy of the scenario (`scenario_strategies`): colour order.
    pub palette: Vec<String>,
    /// Pareto objectives: (metric, "lower"/"higher").
    pub objectives: Vec<(String, String)>,
    /// Break-even: (path, metric, A, B).
    pub breakeven_info: Option<(String, String, String, String)>,
    /// Break-even: where the mean difference crosses 0.
    pub crossing: Option<f64>,
    pub delta: Option<f64>,
    pub sweep: Option<SweepTable>,
    pub pareto: Option<ParetoTable>,
    pub sensitivity: Option<Vec<SensRow>>,
    pub breakeven: Option<Vec<BreakevenRow>>,
}

pub(super) struct Csv {
    pub(super) path: String,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<(u64, Vec<String>)>,
}

impl Csv {
    pub(super) fn col(&self, name: &str) -> Result<usize, DataError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| DataError::Malformed {
                path: self.path.clone(),
                line: Some(1),
                message: format!("no `{name}` column"),
            })
    }
    pub(super) fn num(&self, line: u64, row: &[String], c: usize) -> Result<f64, DataError> {
        let s = row.get(c).map(|s| s.trim()).unwrap_or("");
        if s.is_empty() {
            return Ok(f64::NAN);
        }
        s.parse().map_err(|_| DataError::Malformed {
            path: self.path.clone(),
            line: Some(line),
            message: format!("`{}`: expected a number, got `{s}`", self.headers[c]),
        })
    }
    fn uint(&self, line: u64, row: &[String], c: usize) -> Result<u64, DataError> {
        let s = row.get(c).map(|s| s.trim()).unwrap_or("");
        s.parse().map_err(|_| DataError::Malformed {
            path: self.path.clone(),
            line: Some(line),
            message: format!("`{}`: expected a whole number, got `{s}`", self.headers[c]),
        })
    }
}

pub(super) fn read_csv(dir: &Path, name: &str) -> Result<Option<Csv>, DataError> {
    let p = dir.join(name);
    let path = p.display().to_string();
    let bytes = match std::fs::read(&p) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(DataError::Io { path, source }),
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes.as_slice());
    let err = |e: csv::Error, path: &str| DataError::Malformed {
        path: path.to_string(),
        line: e.position().map(|p| p.line()),
        message: e.to_string(),
    };
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| err(e, &path))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| err(e, &path))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        rows.push((line, rec.iter().map(String::from).collect()));
    }
    Ok(Some(Csv { path, headers, rows }))
}

/// The path columns: between `point` and `strategy`.
fn path_columns(c: &Csv) -> Result<Vec<usize>, DataError> {
    let p = c.col("point")?;
    let s = c.col("strategy")?;
    Ok((p + 1..s).collect())
}

impl SweepData {
    /// Loads a folder written by `podsim sweep` or `podsim sensitivity`.
    pub fn load(dir: &Path) -> Result<SweepData, DataError> {
        if !dir.is_dir() {
            return Err(DataError::MissingDir {
                path: dir.display().to_string(),
            });
        }
        let mut d = SweepData {
            dir: dir.to_path_buf(),
            ..SweepData::default()
        };
        for name in JSONS {
            let p = dir.join(name);
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| DataError::Malformed {
                path: p.display().to_string(),
                line: Some(e.line() as u64),
                message: format!("not a podsim {name}: {e}"),
            })?;
            d.scenario_name = v["scenario_name"].as_str().unwrap_or_default().to_string();
            d.replications = v["replications"].as_u64();
            d.seed = v["seed"].as_u64();
            d.delta = v["delta"].as_f64();
            d.strategies = v["strategies"]
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
                .unwrap_or_default();
            d.palette = v["scenario_strategies"]
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
                .unwrap_or_default();
            if let Some(objs) = v["pareto"].as_array() {
                d.objectives = objs
                    .iter()
                    .map(|o| {
                        (
                            o["metric"].as_str().unwrap_or_default().to_string(),
                            o["better"].as_str().unwrap_or("lower").to_string(),
                        )
                    })
                    .collect();
            }
            let be = &v["breakeven"];
            if be.is_object() {
                let s = |k: &str| be[k].as_str().unwrap_or_default().to_string();
                d.breakeven_info = Some((s("parameter"), s("metric"), s("a"), s("b")));
                d.crossing = be["crossing"].as_f64();
            }
            break;
        }
        if let Some(c) = read_csv(dir, SWEEP_CSV)? {
            let xs = path_columns(&c)?;
            let [pt, st, me, mean, lo, hi] =
                ["point", "strategy", "metric", "mean", "ci_low", "ci_high"].map(|n| c.col(n));
            let (pt, st, me, mean, lo, hi) = (pt?, st?, me?, mean?, lo?, hi?);
            let mut rows = Vec::new();
            for (line, r) in &c.rows {
                rows.push(SweepRow {
                    point: c.uint(*line, r, pt)?,
                    xs: xs.iter().map(|&x| c.num(*line, r, x)).collect::<Result<_, _>>()?,
                    strategy: r[st].clone(),
                    metric: r[me].clone(),
                    mean: c.num(*line, r, mean)?,
                    ci_low: c.num(*line, r, lo)?,
                    ci_high: c.num(*line, r, hi)?,
                });
            }
            d.note_strategies(rows.iter().map(|r| r.strategy.as_str()));
            d.sweep = Some(SweepTable {
                params: xs.iter().map(|&x| c.headers[x].clone()).collect(),
                rows,
            });
        }
        if let Some(c) = read_csv(dir, PARETO_CSV)? {
            let xs = path_columns(&c)?;
            let st = c.col("strategy")?;
            let pt = c.col("point")?;
            let status = c.col("pareto")?;
            // `<m>_mean` columns, in order.
            let means: Vec<usize> = (st + 1..status).filter(|&i| c.headers[i].ends_with("_mean")).collect();
            let [m1, m2] = means[..] else {
                return Err(DataError::Malformed {
                    path: c.path.clone(),
                    line: Some(1),
                    message: "expected two `<metric>_mean` columns".into(),
                });
            };
            let name = |i: usize| c.headers[i].trim_end_matches("_mean").to_string();
            let metrics = [name(m1), name(m2)];
            let cols: Vec<(usize, usize, usize)> = metrics
                .iter()
                .map(|m| {
                    Ok((
                        c.col(&format!("{m}_mean"))?,
                        c.col(&format!("{m}_ci_low"))?,
                        c.col(&format!("{m}_ci_high"))?,
                    ))
                })
                .collect::<Result<_, DataError>>()?;
            let mut rows = Vec::new();
            for (line, r) in &c.rows {
                let t = |k: usize| -> Result<(f64, f64, f64), DataError> {
                    Ok((
                        c.num(*line, r, cols[k].0)?,
                        c.num(*line, r, cols[k].1)?,
                        c.num(*line, r, cols[k].2)?,
                    ))
                };
                rows.push(ParetoRow {
                    point: c.uint(*line, r, pt)?,
                    xs: xs.iter().map(|&x| c.num(*line, r, x)).collect::<Result<_, _>>()?,
                    strategy: r[st].clone(),
                    m: [t(0)?, t(1)?],
                    status: r[status].clone(),
                });
            }
            d.note_strategies(rows.iter().map(|r| r.strategy.as_str()));
            d.pareto = Some(ParetoTable {
                params: xs.iter().map(|&x| c.headers[x].clone()).collect(),
                metrics,
                rows,
            });
        }
        if let Some(c) = read_csv(dir, SENSITIVITY_CSV)? {
            let names = SENSITIVITY_READ_COLUMNS;
            let ix: Vec<usize> = names.iter().map(|n| c.col(n)).collect::<Result<_, _>>()?;
            // Written since the declared ranges of [uncertainty]; older files lack them.
            let (label, range) = (c.col("label").ok(), c.col("range").ok());
            let mut rows = Vec::new();
            for (line, r) in &c.rows {
                let n = |k: usize| c.num(*line, r, ix[k]);
                rows.push(SensRow {
                    target: r[ix[0]].clone(),
                    metric: r[ix[1]].clone(),
                    rank: c.uint(*line, r, ix[2])?,
                    parameter: r[ix[3]].clone(),
                    base_value: n(4)?,
                    low_value: n(5)?,
                    high_value: n(6)?,
                    base_mean: n(7)?,
                    low: (n(8)?, n(9)?, n(10)?),
                    high: (n(11)?, n(12)?, n(13)?),
                    effect: n(14)?,
                    note: r.get(ix[15]).cloned().unwrap_or_default(),
                    label: label.and_then(|k| r.get(k).cloned()).unwrap_or_default(),
                    declared: range.and_then(|k| r.get(k)).is_some_and(|x| x == "declared"),
                });
            }
            d.sensitivity = Some(rows);
        }
        if let Some(c) = read_csv(dir, BREAKEVEN_CSV)? {
            let ix: Vec<usize> = ["value", "purpose", "diff_mean", "diff_ci_low", "diff_ci_high"]
                .iter()
                .map(|n| c.col(n))
                .collect::<Result<_, _>>()?;
            let mut rows = Vec::new();
            for (line, r) in &c.rows {
                let n = |k: usize| c.num(*line, r, ix[k]);
                rows.push(BreakevenRow {
                    value: n(0)?,
                    purpose: r[ix[1]].clone(),
                    diff: (n(2)?, n(3)?, n(4)?),
                });
            }
            d.breakeven = Some(rows);
        }
        if d.sweep.is_none() && d.pareto.is_none() && d.sensitivity.is_none() && d.breakeven.is_none() {
            return Err(DataError::MissingFile {
                path: dir.join(SWEEP_CSV).display().to_string(),
            });
        }
        Ok(d)
    }

    fn note_strategies<'a>(&mut self, names: impl Iterator<Item = &'a str>) {
        for n in names {
            if !self.strategies.iter().any(|s| s == n) {
                self.strategies.push(n.to_string());
            }
        }
    }

    /// The place of a strategy in this folder's list (JSON order, then order of appearance).
    pub fn strategy_index(&self, name: &str) -> Option<usize> {
        self.strategies.iter().position(|s| s == name)
    }

    /// The colour index of a strategy: its place among the scenario's
    /// strategies (as in the run's charts), so a strategy keeps its colour
    /// whichever subset a sweep simulated; folders written before the
    /// scenario's list was recorded fall back to their own order.
    pub fn color_index(&self, name: &str) -> Option<usize> {
        self.palette
            .iter()
            .position(|s| s == name)
            .or_else(|| self.strategy_index(name).map(|i| self.palette.len() + i))
    }

    /// "Scenario · 20 replications per point and strategy · seed 1".
    pub fn subtitle(&self) -> String {
        let mut parts = Vec::new();
        if !self.scenario_name.is_empty() {
            parts.push(self.scenario_name.clone());
        }
        if let Some(r) = self.replications {
            parts.push(format!(
                "{r} replications per point and strategy (the same at every point)"
            ));
        }
        if let Some(s) = self.seed {
            parts.push(format!("seed {s}"));
        }
        parts.join(" · ")
    }
}
