//! What `fit` and `backtest` share: the history files and how to read them
//! (format, column map, time zone, bad rows). The only place that opens
//! history files; the readers in `fit` take any `Read`.

use super::common::bytes_bar;
use super::CliError;
use crate::fit::csvread::{self, Field};
use crate::fit::history::{History, Options, ReadError};
use clap::{Args, ValueEnum};
use indicatif::ProgressBar;
use std::io::Read;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// Jira's CSV export (Issue key, Issue Type, Created, Resolved, Assignee, Time Spent, Comment…).
    JiraCsv,
    /// Label Studio's JSON export (tasks with annotations).
    LabelStudioJson,
    /// Any CSV, its columns named with --map.
    Csv,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Export format of the history files.
    #[arg(long, value_enum)]
    pub format: HistoryFormat,
    /// Column map for CSV files, COLUMN=FIELD (fields: key, workstream,
    /// created, resolved, effort_hours, effort_seconds, assignee, comments,
    /// comment, reworked, status). Repeatable; overrides Jira's names.
    #[arg(long = "map", value_name = "COLUMN=FIELD", value_parser = csvread::parse_map)]
    pub map: Vec<(String, Field)>,
    /// Put every item into this workstream (default: Jira's Issue Type, a
    /// mapped `workstream` column, or "annotation" for Label Studio).
    #[arg(long)]
    pub workstream: Option<String>,
    /// Time zone of timestamps written without one: an IANA name
    /// (Europe/Berlin), UTC, or an offset (+02:00). Needed when a file mixes
    /// timestamps with and without zones.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Leave rows that cannot be used out (counted and reported with their
    /// reason and first lines) instead of stopping at the first.
    #[arg(long)]
    pub drop_bad_rows: bool,
}

/// Hands the bytes read to a progress bar.
struct Ticking<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: Read> Read for Ticking<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// Reads every history file into one history, with a progress bar over
/// their bytes (unless `quiet`); Ctrl-C stops it with `Interrupted`.
pub fn read(files: &[PathBuf], a: &HistoryArgs, quiet: bool) -> Result<History, CliError> {
    let zone =
        a.tz.as_deref()
            .map(crate::fit::time::zone)
            .transpose()
            .map_err(|e| CliError::Input(format!("--tz: {e}")))?;
    if !a.map.is_empty() && a.format == HistoryFormat::LabelStudioJson {
        return Err(CliError::Input(
            "--map applies to CSV files, not to --format label-studio-json".into(),
        ));
    }
    let opts = Options {
        drop_bad_rows: a.drop_bad_rows,
        zone: zone.as_ref(),
        workstream: a.workstream.as_deref(),
        cancel: &super::INTERRUPTED,
    };
    let mut opened = Vec::with_capacity(files.len());
    for f in files {
        let name = f.display().to_string();
        let file = std::fs::File::open(f).map_err(|e| CliError::Input(format!("{name}: cannot open: {e}")))?;
        // The size only scales the bar; a file that cannot say counts as empty.
        let size = file.metadata().map_or(0, |m| m.len());
        opened.push((name, file, size));
    }
    let bar = bytes_bar(opened.iter().map(|(_, _, size)| size).sum(), quiet);
    let mut h = History::default();
    for (name, file, _) in opened {
        let file = Ticking {
            inner: file,
            bar: bar.clone(),
        };
        let r = match a.format {
            HistoryFormat::JiraCsv => csvread::read(file, &name, csvread::JIRA_COLUMNS, &a.map, &opts, &mut h),
            HistoryFormat::Csv => csvread::read(file, &name, &[], &a.map, &opts, &mut h),
            HistoryFormat::LabelStudioJson => crate::fit::labelstudio::read(file, &name, &opts, &mut h),
        };
        r.map_err(|e| match e {
            ReadError::Interrupted => CliError::Interrupted,
            e => CliError::Input(e.to_string()),
        })?;
    }
    bar.finish_and_clear();
    if h.items.is_empty() {
        return Err(CliError::Input(format!(
            "{}: no usable items ({} row(s) read, {} left out)",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            h.rows,
            h.dropped_rows()
        )));
    }
    Ok(h)
}
