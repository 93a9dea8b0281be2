//! What the readers make of a history export: one compact [`Item`] per
//! ticket or task (a few numbers; descriptions and comments are never kept,
//! so memory grows with the number of items, not with the file's text), the
//! rows left out with their reason, and located errors for what cannot be read.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

/// Seconds since 1970-01-01 UTC.
pub type Secs = i64;

/// One work item of the history.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Index into [`History::workstreams`].
    pub workstream: u32,
    pub created: Option<Secs>,
    pub resolved: Option<Secs>,
    /// Hands-on hours (Jira's Time Spent, Label Studio's lead time).
    pub effort_hours: Option<f64>,
    /// Index into [`History::people`].
    pub assignee: Option<u32>,
    /// Comments or questions on the item, where the export has them.
    pub comments: Option<u32>,
    /// Reopened, rejected or failed review, where the export says.
    pub reworked: Option<bool>,
}

/// Where something in an input file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u64,
    /// The column's name (CSV) or the field (JSON), if known.
    pub column: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(c) = &self.column {
            write!(f, ": {c}")?;
        }
        Ok(())
    }
}

/// What cannot be read, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    At {
        at: Location,
        message: String,
    },
    /// Ctrl-C while reading.
    Interrupted,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::At { at, message } => write!(f, "{at}: {message}"),
            ReadError::Interrupted => write!(f, "interrupted while reading"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Why a row was left out (with `--drop-bad-rows`, or always for rows that
/// carry no item, such as cancelled annotations).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dropped {
    pub count: u64,
    /// The first few places, so the user can look.
    pub first: Vec<Location>,
}

/// How readers treat rows they cannot use.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// Leave unusable rows out (counted, with the reason) instead of stopping.
    pub drop_bad_rows: bool,
    /// Time zone of timestamps written without one.
    pub zone: Option<&'a jiff::tz::TimeZone>,
    /// Every item goes to this workstream (else the export's type column).
    pub workstream: Option<&'a str>,
    /// Checked every few thousand rows: Ctrl-C.
    pub cancel: &'a AtomicBool,
}

/// Everything read from one or more history files.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub workstreams: Vec<String>,
    pub people: Vec<String>,
    pub items: Vec<Item>,
    /// Rows read (data rows, tasks), including those dropped.
    pub rows: u64,
    /// Reason -> rows left out for it.
    pub dropped: BTreeMap<String, Dropped>,
    /// Files read, with their format.
    pub files: Vec<(String, &'static str)>,
    /// Item key (hashed) -> where it was first seen. Kept compact, as it
    /// holds one entry per row: the file and column are an index into
    /// `key_places`, and only the line is per key.
    keys: HashMap<u64, (u32, u64)>,
    /// The (file, column) pairs keys were seen in.
    key_places: Vec<(String, Option<String>)>,
    /// Whether a timestamp with / without a zone was seen, and where first.
    pub(crate) zoned_at: Option<Location>,
    pub(crate) unzoned_at: Option<Location>,
}

/// Locations kept per drop reason.
const KEEP_LOCATIONS: usize = 5;

impl History {
    pub fn workstream_index(&mut self, name: &str) -> u32 {
        intern(&mut self.workstreams, name)
    }
    pub fn person_index(&mut self, name: &str) -> u32 {
        intern(&mut self.people, name)
    }

    /// Counts a row left out for `reason`.
    pub fn drop_row(&mut self, reason: &str, at: Location) {
        let d = self.dropped.entry(reason.to_string()).or_default();
        d.count += 1;
        if d.first.len() < KEEP_LOCATIONS {
            d.first.push(at);
        }
    }

    /// Total rows left out.
    pub fn dropped_rows(&self) -> u64 {
        self.dropped.values().map(|d| d.count).sum()
    }

    /// Records `key`; returns where it was seen before, if it was.
    pub fn see_key(&mut self, key: &str, at: &Location) -> Option<Location> {
        use std::hash::{Hash, Hasher};
        // A fixed-key hasher: no per-run randomness; 64 bits make a false
        // duplicate among a few million keys vanishingly unlikely.
        let mut h = std::hash::DefaultHasher::new();
        key.trim().hash(&mut h);
        match self.keys.entry(h.finish()) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let (place, line) = *e.get();
                let (file, column) = self.key_places[place as usize].clone();
                Some(Location { file, line, column })
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                // Keys come file by file from one column: the last place is
                // nearly always the one.
                let last = self.key_places.len().checked_sub(1);
                let place = match last {
                    Some(i) if self.key_places[i].0 == at.file && self.key_places[i].1 == at.column => i,
                    _ => {
                        self.key_places.push((at.file.clone(), at.column.clone()));
                        self.key_places.len() - 1
                    }
                };
                e.insert((place as u32, at.line));
                None
            }
        }
    }

    /// A bad row: an error, or with `drop_bad_rows` a counted drop.
    pub fn bad_row(&mut self, opts: &Options<'_>, reason: &str, detail: String, at: Location) -> Result<(), ReadError> {
        if opts.drop_bad_rows {
            self.drop_row(reason, at);
            Ok(())
        } else {
            Err(ReadError::At {
                at,
                message: format!("{detail} (pass --drop-bad-rows to leave such rows out, counted)"),
            })
        }
    }

    /// Items of workstream `w`.
    /// The history as it stood in [from, to): items created from `to` on
    /// and items resolved before `from` are left out, and an item resolved
    /// from `to` on was still open (its resolution and time spent unknown
    /// then). Returns how many items were left out.
    pub fn window(&mut self, from: Option<Secs>, to: Option<Secs>) -> usize {
        let before = self.items.len();
        self.items.retain(|it| {
            let created_late = to.is_some_and(|t| it.created.is_some_and(|c| c >= t));
            let resolved_early = from.is_some_and(|f| it.resolved.is_some_and(|r| r < f));
            !created_late && !resolved_early
        });
        if let Some(t) = to {
            for it in &mut self.items {
                if it.resolved.is_some_and(|r| r >= t) {
                    it.resolved = None;
                    it.effort_hours = None;
                    it.reworked = None;
                }
            }
        }
        before - self.items.len()
    }

    pub fn of(&self, w: u32) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.workstream == w)
    }
}

fn intern(list: &mut Vec<String>, name: &str) -> u32 {
    let name = name.trim();
    match list.iter().position(|n| n == name) {
        Some(i) => i as u32,
        None => {
            list.push(name.to_string());
            (list.len() - 1) as u32
        }
    }
}

/// `Err(Interrupted)` when Ctrl-C was pressed (checked every `EVERY` rows).
pub fn check_cancel(opts: &Options<'_>, row: u64) -> Result<(), ReadError> {
    const EVERY: u64 = 4096;
    if row % EVERY == 0 && opts.cancel.load(Ordering::Relaxed) {
        return Err(ReadError::Interrupted);
    }
    Ok(())
}
