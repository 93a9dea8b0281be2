//! Reading an output folder back: the files a shard wrote become the
//! [`Aggregate`] they came from, exactly (for `podsim merge`).

use super::run::DataError;
use super::{REPS, REPS_KEY_COLUMNS, RUN_JSON, SERIES_KEPT, SERIES_SUMS};
use crate::aggregate::{Aggregate, ExactSum, KEEP_SERIES};
use crate::output::RunInfo;
use crate::sim::Layout;
use std::path::Path;

fn read_err(path: &Path, line: Option<u64>, message: impl Into<String>) -> DataError {
    DataError::Malformed {
        path: path.display().to_string(),
        line,
        message: message.into(),
    }
}

/// Reads a folder's run.json.
pub fn read_info(dir: &Path) -> Result<RunInfo, DataError> {
    let path = dir.join(RUN_JSON);
    let text = std::fs::read_to_string(&path).map_err(|e| read_err(&path, None, format!("cannot read: {e}")))?;
    serde_json::from_str(&text)
        .map_err(|e| read_err(&path, Some(e.line() as u64), format!("not a podsim run.json: {e}")))
}

fn parse_num(path: &Path, line: u64, s: &str) -> Result<f64, DataError> {
    if s.is_empty() {
        return Ok(f64::NAN);
    }
    s.parse()
        .map_err(|_| read_err(path, Some(line), format!("expected a number, found {s:?}")))
}

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, DataError> {
    csv::Reader::from_path(path).map_err(|e| read_err(path, None, format!("cannot read: {e}")))
}

fn strategy_index(path: &Path, line: u64, strategies: &[String], name: &str) -> Result<usize, DataError> {
    strategies
        .iter()
        .position(|s| s == name)
        .ok_or_else(|| read_err(path, Some(line), format!("unknown strategy {name:?}")))
}

/// Reads a shard's folder back into the aggregate it was written from.
pub fn read_shard(dir: &Path) -> Result<(RunInfo, Aggregate), DataError> {
    let info = read_info(dir)?;
    if info.shard.is_none() {
        return Err(read_err(
            &dir.join(RUN_JSON),
            None,
            "this folder is not a shard (run with --shard i/n)",
        ));
    }
    let strategies = info.strategies.clone();
    let weeks = info.horizon_weeks.ceil() as usize;

    // reps.csv: the metric columns.
    let path = dir.join(REPS);
    let mut rdr = open(&path)?;
    let header = rdr
        .headers()
        .map_err(|e| read_err(&path, Some(1), e.to_string()))?
        .clone();
    if header.len() < 3 || header.iter().take(2).ne(REPS_KEY_COLUMNS) {
        return Err(read_err(
            &path,
            Some(1),
            format!("expected a header starting {}", REPS_KEY_COLUMNS.join(",")),
        ));
    }
    let is_input = |h: &str| h.starts_with(super::INPUT_COLUMN_PREFIX);
    let metric_names: Vec<String> = header
        .iter()
        .skip(2)
        .filter(|h| !is_input(h))
        .map(str::to_string)
        .collect();
    let inputs: Vec<String> = header
        .iter()
        .skip(2)
        .filter_map(|h| h.strip_prefix(super::INPUT_COLUMN_PREFIX).map(str::to_string))
        .collect();
    let n_metrics = metric_names.len();

    // series_sums.csv gives the series names in order.
    let sums_path = dir.join(SERIES_SUMS);
    let mut series_names: Vec<String> = Vec::new();
    let mut sums_rows = Vec::new();
    for (i, rec) in open(&sums_path)?.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| read_err(&sums_path, Some(line), e.to_string()))?;
        if rec.len() != 4 {
            return Err(read_err(&sums_path, Some(line), "expected 4 fields"));
        }
        let s = strategy_index(&sums_path, line, &strategies, &rec[0])?;
        if s == 0 && !series_names.iter().any(|n| n == &rec[1]) {
            series_names.push(rec[1].to_string());
        }
        let v: i128 = rec[3].parse().map_err(|_| {
            read_err(
                &sums_path,
                Some(line),
                format!("expected an integer, found {:?}", &rec[3]),
            )
        })?;
        sums_rows.push((s, rec[1].to_string(), rec[2].to_string(), v));
    }
    let layout = Layout::from_names(metric_names, series_names, weeks);
    let points = weeks + 1;
    let first = info.first_replication;
    let mut agg = Aggregate::new(layout, strategies.clone(), first).with_inputs(inputs);
    for (s, name, week, v) in sums_rows {
        let k = agg.layout.series_index(&name).unwrap_or(0);
        let w: usize = week.parse().unwrap_or(usize::MAX);
        if w >= points {
            return Err(read_err(&sums_path, None, format!("week {week} outside the horizon")));
        }
        agg.series_sum[s][k * points + w] = ExactSum(v);
    }

    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| read_err(&path, Some(line), e.to_string()))?;
        if rec.len() != header.len() {
            return Err(read_err(
                &path,
                Some(line),
                format!("expected {} fields, found {}", header.len(), rec.len()),
            ));
        }
        let s = strategy_index(&path, line, &strategies, &rec[0])?;
        let rep: u64 = rec[1]
            .parse()
            .map_err(|_| read_err(&path, Some(line), "expected a replication number"))?;
        if rep != first + agg.metrics[s][0].len() as u64 {
            return Err(read_err(&path, Some(line), format!("replication {rep} out of order")));
        }
        let mut world = Vec::new();
        for (m, field) in rec.iter().skip(2).enumerate() {
            let v = parse_num(&path, line, field)?;
            if m < n_metrics {
                agg.metrics[s][m].push(v);
            } else {
                world.push(v);
            }
        }
        // Every strategy of a replication has the same world: keep one.
        if s == 0 {
            agg.push_world(&world);
        }
    }
    let counts: Vec<usize> = agg.metrics.iter().map(|c| c[0].len()).collect();
    if counts.iter().any(|&c| c != counts[0]) {
        return Err(read_err(
            &path,
            None,
            "strategies have different numbers of replications",
        ));
    }
    agg.count = counts[0] as u64;
    if agg.count != info.replications {
        return Err(read_err(
            &path,
            None,
            format!(
                "run.json says {} replications, reps.csv has {}",
                info.replications, agg.count
            ),
        ));
    }

    // series_kept.csv: full series of the first KEEP_SERIES replications.
    let kept_path = dir.join(SERIES_KEPT);
    let n_series = agg.layout.series_names.len();
    for (i, rec) in open(&kept_path)?.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| read_err(&kept_path, Some(line), e.to_string()))?;
        if rec.len() != 3 + points {
            return Err(read_err(
                &kept_path,
                Some(line),
                format!("expected {} fields", 3 + points),
            ));
        }
        let s = strategy_index(&kept_path, line, &strategies, &rec[0])?;
        let rep: u64 = rec[1]
            .parse()
            .map_err(|_| read_err(&kept_path, Some(line), "expected a replication number"))?;
        if rep >= KEEP_SERIES {
            continue;
        }
        let k = agg
            .layout
            .series_index(&rec[2])
            .ok_or_else(|| read_err(&kept_path, Some(line), format!("unknown series {:?}", &rec[2])))?;
        if agg.kept[s].last().map(|(r, _)| *r) != Some(rep) {
            agg.kept[s].push((rep, vec![f64::NAN; n_series * points]));
        }
        let slot = &mut agg.kept[s].last_mut().expect("just pushed").1;
        for (w, field) in rec.iter().skip(3).enumerate() {
            slot[k * points + w] = parse_num(&kept_path, line, field)?;
        }
    }
    Ok((info, agg))
}
