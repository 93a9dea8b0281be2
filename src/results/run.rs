//! Reads an output folder written by `podsim run` (summary.csv, reps.csv,
//! timeseries.csv, run.json) back into memory, so charts and reports can be
//! re-rendered without re-simulating. Empty CSV cells are NaN ("does not
//! apply"), as `output` writes them.

use crate::output::RunInfo;
use crate::stats::Summary;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A problem with an output folder, naming the file (and line) at fault.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: no such folder")]
    MissingDir { path: String },
    #[error("{path}: not found; is this a folder written by `podsim run`? (it needs summary.csv, reps.csv, timeseries.csv and run.json)")]
    MissingFile { path: String },
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Malformed {
        path: String,
        line: Option<u64>,
        message: String,
    },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

impl DataError {
    /// Whether the user's input is at fault (as opposed to the system).
    pub fn is_input(&self) -> bool {
        !matches!(self, DataError::Io { .. })
    }
}

/// One week of a weekly fan across replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FanPoint {
    pub mean: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl FanPoint {
    const NAN: FanPoint = FanPoint {
        mean: f64::NAN,
        p10: f64::NAN,
        p50: f64::NAN,
        p90: f64::NAN,
    };
}

/// Everything one run wrote, indexed by strategy position (run.json order).
#[derive(Clone, Debug)]
pub struct RunData {
    pub dir: PathBuf,
    pub info: RunInfo,
    /// `summary[strategy][metric]`.
    summary: Vec<HashMap<String, Summary>>,
    /// Metric columns of reps.csv, in file order.
    rep_metrics: Vec<String>,
    /// `reps[strategy]` = (replication, values in `rep_metrics` order).
    reps: Vec<Vec<(u64, Vec<f64>)>>,
    /// `series[strategy][name][week]`.
    series: Vec<BTreeMap<String, Vec<FanPoint>>>,
    /// Series names in order of first appearance in timeseries.csv (scenario order).
    series_order: Vec<String>,
    /// uncertainty.json, for runs with `[uncertainty]`.
    pub uncertainty: Option<super::UncertaintyData>,
}

use super::{REPS, REPS_KEY_COLUMNS, RUN_JSON, SUMMARY, SUMMARY_COLUMNS, TIMESERIES, TIMESERIES_COLUMNS};

impl RunData {
    /// Loads an output folder.
    pub fn load(dir: &Path) -> Result<RunData, DataError> {
        if !dir.is_dir() {
            return Err(DataError::MissingDir {
                path: dir.display().to_string(),
            });
        }
        let read = |name: &str| -> Result<(String, String), DataError> {
            let p = dir.join(name);
            let path = p.display().to_string();
            match std::fs::read(&p) {
                Ok(bytes) => String::from_utf8(bytes)
                    .map(|s| (s, path.clone()))
                    .map_err(|_| DataError::Malformed {
                        path,
                        line: None,
                        message: "not UTF-8 text".into(),
                    }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(DataError::MissingFile { path }),
                Err(source) => Err(DataError::Io { path, source }),
            }
        };
        let (json, json_path) = read(RUN_JSON)?;
        let info: RunInfo = serde_json::from_str(&json).map_err(|e| DataError::Malformed {
            path: json_path,
            line: Some(e.line() as u64),
            message: format!("not a podsim run.json: {e}"),
        })?;
        let (summary, summary_path) = read(SUMMARY)?;
        let (reps, reps_path) = read(REPS)?;
        let (ts, ts_path) = read(TIMESERIES)?;
        let mut data = RunData::from_parts(
            dir,
            info,
            (&summary, &summary_path),
            (&reps, &reps_path),
            (&ts, &ts_path),
        )?;
        data.dir = dir.to_path_buf();
        data.uncertainty = super::read_uncertainty(dir)?;
        Ok(data)
    }

    /// Parses the four files' contents; each text comes with the path used in errors.
    pub fn from_parts(
        dir: &Path,
        info: RunInfo,
        summary: (&str, &str),
        reps: (&str, &str),
        ts: (&str, &str),
    ) -> Result<RunData, DataError> {
        if info.strategies.is_empty() {
            return Err(DataError::Malformed {
                path: dir.join(RUN_JSON).display().to_string(),
                line: None,
                message: "lists no strategies".into(),
            });
        }
        let n = info.strategies.len();
        let index: HashMap<&str, usize> = info
            .strategies
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();

        let mut summary_rows: Vec<HashMap<String, Summary>> = vec![HashMap::new(); n];
        let mut t = Table::parse(summary.0, summary.1)?;
        let cols = t.require(&SUMMARY_COLUMNS)?;
        while let Some(r) = t.next()? {
            let s = r.strategy(cols[0], &index)?;
            let f = |c: usize| r.num(cols[c]);
            let row = Summary {
                n: f(2)?.max(0.0) as usize,
                mean: f(3)?,
                sd: f(4)?,
                ci_low: f(5)?,
                ci_high: f(6)?,
                p10: f(7)?,
                p50: f(8)?,
                p85: f(9)?,
                p95: f(10)?,
                min: f(11)?,
                max: f(12)?,
            };
            summary_rows[s].insert(r.text(cols[1]).to_string(), row);
        }

        let mut t = Table::parse(reps.0, reps.1)?;
        let cols = t.require(&REPS_KEY_COLUMNS)?;
        let rep_metrics: Vec<String> = t
            .headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !cols.contains(i))
            .map(|(_, h)| h.clone())
            .collect();
        let metric_cols: Vec<usize> = (0..t.headers.len()).filter(|i| !cols.contains(i)).collect();
        let mut rep_rows: Vec<Vec<(u64, Vec<f64>)>> = vec![Vec::new(); n];
        while let Some(r) = t.next()? {
            let s = r.strategy(cols[0], &index)?;
            let rep = r.uint(cols[1])?;
            let values = metric_cols.iter().map(|&c| r.num(c)).collect::<Result<Vec<f64>, _>>()?;
            rep_rows[s].push((rep, values));
        }

        let mut t = Table::parse(ts.0, ts.1)?;
        let cols = t.require(&TIMESERIES_COLUMNS)?;
        let mut series: Vec<BTreeMap<String, Vec<FanPoint>>> = vec![BTreeMap::new(); n];
        let mut series_order: Vec<String> = Vec::new();
        while let Some(r) = t.next()? {
            let week = r.uint(cols[0])? as usize;
            if week > 1_000_000 {
                return Err(r.error(format!("week {week} is implausibly large")));
            }
            let s = r.strategy(cols[1], &index)?;
            let point = FanPoint {
                mean: r.num(cols[3])?,
                p10: r.num(cols[4])?,
                p50: r.num(cols[5])?,
                p90: r.num(cols[6])?,
            };
            let name = r.text(cols[2]);
            if !series[s].contains_key(name) && !series_order.iter().any(|n| n == name) {
                series_order.push(name.to_string());
            }
            let v = series[s].entry(name.to_string()).or_default();
            if v.len() <= week {
                v.resize(week + 1, FanPoint::NAN);
            }
            v[week] = point;
        }

        Ok(RunData {
            dir: dir.to_path_buf(),
            info,
            summary: summary_rows,
            rep_metrics,
            reps: rep_rows,
            series,
            series_order,
            uncertainty: None,
        })
    }

    pub fn strategies(&self) -> &[String] {
        &self.info.strategies
    }

    /// The across-replication summary of `metric` for strategy `s`.
    pub fn summary(&self, s: usize, metric: &str) -> Option<&Summary> {
        self.summary.get(s)?.get(metric)
    }

    /// Per-replication values of `metric` for strategy `s`, as (replication, value).
    pub fn reps(&self, s: usize, metric: &str) -> Option<Vec<(u64, f64)>> {
        let c = self.rep_metrics.iter().position(|m| m == metric)?;
        Some(self.reps.get(s)?.iter().map(|(r, v)| (*r, v[c])).collect())
    }

    /// Values of `metric` for strategy `s`, NaN ("does not apply") dropped.
    pub fn values(&self, s: usize, metric: &str) -> Vec<f64> {
        self.reps(s, metric)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, v)| v)
            .filter(|v| !v.is_nan())
            .collect()
    }

    /// The weekly fan of `name` for strategy `s`.
    pub fn series(&self, s: usize, name: &str) -> Option<&[FanPoint]> {
        self.series.get(s)?.get(name).map(Vec::as_slice)
    }

    /// Names of the series starting with `prefix`, in the order timeseries.csv
    /// first lists them (the scenario's order of workstreams, roles, channels).
    pub fn series_names(&self, prefix: &str) -> Vec<String> {
        self.series_order
            .iter()
            .filter(|n| n.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// Number of weekly points (week 0 ..= last) of the longest series.
    pub fn weeks(&self) -> usize {
        self.series
            .iter()
            .flat_map(|m| m.values().map(Vec::len))
            .max()
            .unwrap_or(0)
    }

    /// The simulated horizon in weeks.
    pub fn horizon_weeks(&self) -> f64 {
        self.info.horizon_weeks
    }
}

/// A CSV file with a header row; errors name the file and line.
struct Table<'a> {
    path: &'a str,
    headers: Vec<String>,
    reader: csv::Reader<&'a [u8]>,
}

struct Row<'a> {
    path: &'a str,
    line: u64,
    rec: csv::StringRecord,
}

impl<'a> Table<'a> {
    fn parse(text: &'a str, path: &'a str) -> Result<Table<'a>, DataError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        if headers.iter().all(|h| h.is_empty()) {
            return Err(DataError::Malformed {
                path: path.into(),
                line: Some(1),
                message: "empty file (expected a header row)".into(),
            });
        }
        Ok(Table { path, headers, reader })
    }

    /// Column positions of `names`, or an error naming the first missing one.
    fn require(&self, names: &[&str]) -> Result<Vec<usize>, DataError> {
        names
            .iter()
            .map(|n| {
                self.headers
                    .iter()
                    .position(|h| h == n)
                    .ok_or_else(|| DataError::Malformed {
                        path: self.path.into(),
                        line: Some(1),
                        message: format!("missing column `{n}` in the header"),
                    })
            })
            .collect()
    }

    fn next(&mut self) -> Result<Option<Row<'a>>, DataError> {
        let mut rec = csv::StringRecord::new();
        match self.reader.read_record(&mut rec) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                Ok(Some(Row {
                    path: self.path,
                    line,
                    rec,
                }))
            }
            Err(e) => Err(csv_error(self.path, e)),
        }
    }
}

impl Row<'_> {
    fn error(&self, message: String) -> DataError {
        DataError::Malformed {
            path: self.path.into(),
            line: Some(self.line),
            message,
        }
    }
    fn text(&self, c: usize) -> &str {
        self.rec.get(c).unwrap_or("")
    }
    fn num(&self, c: usize) -> Result<f64, DataError> {
        let t = self.text(c).trim();
        if t.is_empty() {
            return Ok(f64::NAN);
        }
        t.parse::<f64>()
            .map_err(|_| self.error(format!("expected a number in column {}, found {t:?}", c + 1)))
    }
    fn uint(&self, c: usize) -> Result<u64, DataError> {
        let t = self.text(c).trim();
        t.parse::<u64>()
            .map_err(|_| self.error(format!("expected a whole number in column {}, found {t:?}", c + 1)))
    }
    fn strategy(&self, c: usize, index: &HashMap<&str, usize>) -> Result<usize, DataError> {
        let name = self.text(c);
        index
            .get(name)
            .copied()
            .ok_or_else(|| self.error(format!("strategy {name:?} is not listed in run.json")))
    }
}

fn csv_error(path: &str, e: csv::Error) -> DataError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields, found {len}")
        }
        _ => e.to_string(),
    };
    DataError::Malformed {
        path: path.into(),
        line,
        message,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn info(strategies: &[&str]) -> RunInfo {
        RunInfo {
            podsim_version: "0.1.0".into(),
            scenario_name: "Test".into(),
            scenario_path: "test.toml".into(),
            scenario_sha256: "abc".into(),
            seed: 1,
            replications: 3,
            first_replication: 0,
            strategies: strategies.iter().map(|s| s.to_string()).collect(),
            timing: crate::output::Timing {
                threads: 1,
                wall_time_s: 0.1,
            },
            deadline_weeks: Some(4.0),
            horizon_weeks: 6.0,
            precision: None,
            shard: None,
            uncertainty: None,
        }
    }

    pub const SUMMARY_CSV: &str = "strategy,metric,n,mean,sd,ci_low,ci_high,p10,p50,p85,p95,min,max\n\
        a,finish_week,3,4,1,2,6,3,4,5,5.5,3,6\n\
        a,cost_total,3,1000,10,990,1010,990,1000,1010,1020,990,1020\n\
        b,finish_week,3,3,1,1,5,2,3,4,4.5,2,5\n\
        b,cost_total,3,900,10,890,910,890,900,910,920,890,920\n\
        b,deep_focus_h_per_senior_week,0,,,,,,,,,,\n";
    pub const REPS_CSV: &str = "strategy,replication,finish_week,censored,cost_total\n\
        a,0,3,0,990\na,1,4,0,1000\na,2,6,1,1020\nb,0,2,0,890\nb,1,3,0,900\nb,2,5,0,920\n";
    pub const TS_CSV: &str = "week,strategy,series,mean,p10,p50,p90\n\
        0,a,backlog.x,10,10,10,10\n1,a,backlog.x,5,4,5,6\n2,a,backlog.x,0,0,0,0\n\
        0,b,backlog.x,10,10,10,10\n1,b,backlog.x,4,3,4,5\n2,b,backlog.x,0,0,0,0\n";

    fn parse(summary: &str, reps: &str, ts: &str) -> Result<RunData, DataError> {
        RunData::from_parts(
            Path::new("out"),
            info(&["a", "b"]),
            (summary, "out/summary.csv"),
            (reps, "out/reps.csv"),
            (ts, "out/timeseries.csv"),
        )
    }

    #[test]
    fn parses_the_three_tables() {
        let d = parse(SUMMARY_CSV, REPS_CSV, TS_CSV).unwrap();
        assert_eq!(d.summary(1, "cost_total").unwrap().mean, 900.0);
        assert!(d.summary(1, "deep_focus_h_per_senior_week").unwrap().mean.is_nan());
        assert_eq!(d.reps(0, "finish_week").unwrap(), vec![(0, 3.0), (1, 4.0), (2, 6.0)]);
        assert_eq!(d.values(1, "cost_total"), vec![890.0, 900.0, 920.0]);
        assert_eq!(d.series(1, "backlog.x").unwrap()[1].p50, 4.0);
        assert_eq!(d.series_names("backlog."), vec!["backlog.x".to_string()]);
        assert_eq!(d.weeks(), 3);
        assert!(d.reps(0, "nope").is_none());
    }

    #[test]
    fn errors_name_file_and_line() {
        let bad = REPS_CSV.replace("b,1,3,0,900", "b,1,three,0,900");
        let e = parse(SUMMARY_CSV, &bad, TS_CSV).unwrap_err().to_string();
        assert!(e.starts_with("out/reps.csv:6:"), "{e}");
        assert!(e.contains("\"three\""), "{e}");

        let short = TS_CSV.replace("1,b,backlog.x,4,3,4,5", "1,b,backlog.x,4");
        let e = parse(SUMMARY_CSV, REPS_CSV, &short).unwrap_err().to_string();
        assert!(e.starts_with("out/timeseries.csv:6:"), "{e}");

        let unknown = SUMMARY_CSV.replace("b,cost_total", "c,cost_total");
        let e = parse(&unknown, REPS_CSV, TS_CSV).unwrap_err().to_string();
        assert!(e.contains("\"c\" is not listed in run.json"), "{e}");

        let e = parse("strategy,metric\n", REPS_CSV, TS_CSV).unwrap_err().to_string();
        assert!(e.contains("missing column `n`"), "{e}");
    }

    #[test]
    fn missing_folder_and_files_are_input_errors() {
        let d = tempfile::tempdir().unwrap();
        let e = RunData::load(&d.path().join("nope")).unwrap_err();
        assert!(matches!(e, DataError::MissingDir { .. }) && e.is_input());
        let e = RunData::load(d.path()).unwrap_err();
        assert!(matches!(e, DataError::MissingFile { .. }) && e.to_string().contains("run.json"));
    }

    #[test]
    fn old_run_json_without_new_fields_loads() {
        let json = r#"{"podsim_version":"0.1.0","scenario_name":"x","scenario_path":"x.toml","scenario_sha256":"0","seed":1,
            "replications":2,"first_replication":0,"strategies":["a"],"threads":1,"wall_time_s":0.5,"horizon_weeks":52}"#;
        let info: RunInfo = serde_json::from_str(json).unwrap();
        assert_eq!(info.deadline_weeks, None);
    }
}
