//! CSV histories, streamed row by row with the csv crate: Jira's export by
//! its column names, any other CSV through a column map
//! (`--map "Done at=resolved"`). A row's text is dropped once its few
//! numbers are taken, so a 2 GB export costs memory per item, not per byte.

use super::history::{check_cancel, History, Item, Location, Options, ReadError};
use super::time;
use std::io::Read;

/// What a column can mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Key,
    Workstream,
    Created,
    Resolved,
    /// Hands-on time in hours.
    EffortHours,
    /// Hands-on time in seconds (Jira's Time Spent).
    EffortSeconds,
    Assignee,
    /// A count of comments or questions.
    Comments,
    /// One comment per column (Jira repeats `Comment`): non-empty ones count.
    Comment,
    /// Reopened / rejected: a count, yes/no or true/false.
    Reworked,
    Status,
}

/// Field names for `--map COLUMN=FIELD`.
pub const FIELD_NAMES: &[(&str, Field)] = &[
    ("key", Field::Key),
    ("workstream", Field::Workstream),
    ("created", Field::Created),
    ("resolved", Field::Resolved),
    ("effort_hours", Field::EffortHours),
    ("effort_seconds", Field::EffortSeconds),
    ("assignee", Field::Assignee),
    ("comments", Field::Comments),
    ("comment", Field::Comment),
    ("reworked", Field::Reworked),
    ("status", Field::Status),
];

/// Jira's CSV export column names (matched without regard to case).
pub const JIRA_COLUMNS: &[(&str, Field)] = &[
    ("Issue key", Field::Key),
    ("Issue Type", Field::Workstream),
    ("Created", Field::Created),
    ("Resolved", Field::Resolved),
    ("Time Spent", Field::EffortSeconds),
    ("Assignee", Field::Assignee),
    ("Comment", Field::Comment),
    ("Comment count", Field::Comments),
    ("Reopen count", Field::Reworked),
    ("Custom field (Reopen count)", Field::Reworked),
    ("Reopened", Field::Reworked),
    ("Status", Field::Status),
];

/// Statuses that mean the item was given up, not done.
const ABANDONED: &[&str] = &["cancelled", "canceled", "won't do", "wont do", "rejected", "duplicate"];

/// Parses `--map COLUMN=FIELD`.
pub fn parse_map(s: &str) -> Result<(String, Field), String> {
    let (col, field) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("--map: expected COLUMN=FIELD, got \"{s}\""))?;
    let f = FIELD_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(field.trim()))
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let names: Vec<&str> = FIELD_NAMES.iter().map(|(n, _)| *n).collect();
            format!(
                "--map {s}: unknown field \"{}\"; fields are {}",
                field.trim(),
                names.join(", ")
            )
        })?;
    Ok((col.trim().to_string(), f))
}

/// Which column index holds which field.
struct Columns {
    of: Vec<(usize, Field)>,
}

impl Columns {
    fn first(&self, f: Field) -> Option<usize> {
        self.of.iter().find(|(_, g)| *g == f).map(|(i, _)| *i)
    }
    fn has(&self, f: Field) -> bool {
        self.first(f).is_some()
    }
}

/// Reads one CSV history into `h`: `preset` is Jira's column list, `map`
/// the user's (which wins).
pub fn read(
    input: impl Read,
    file: &str,
    preset: &[(&str, Field)],
    map: &[(String, Field)],
    opts: &Options<'_>,
    h: &mut History,
) -> Result<(), ReadError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let at = |line: u64, column: Option<&str>| Location {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
    };
    let headers = rdr
        .byte_headers()
        .map_err(|e| csv_error(file, e))?
        .iter()
        .map(|b| {
            String::from_utf8_lossy(b)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect::<Vec<_>>();
    let mut cols = Columns { of: Vec::new() };
    for (i, name) in headers.iter().enumerate() {
        let by_map = map.iter().find(|(c, _)| c.eq_ignore_ascii_case(name)).map(|(_, f)| *f);
        let by_preset = preset
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f);
        if let Some(f) = by_map.or(by_preset) {
            cols.of.push((i, f));
        }
    }
    for (c, _) in map {
        if !headers.iter().any(|h| h.eq_ignore_ascii_case(c)) {
            return Err(ReadError::At {
                at: at(1, None),
                message: format!(
                    "--map names a column \"{c}\" the header does not have; columns are: {}",
                    list(&headers)
                ),
            });
        }
    }
    let need = |f: Field, what: &str| -> Result<(), ReadError> {
        if cols.has(f) {
            Ok(())
        } else {
            Err(ReadError::At {
                at: at(1, None),
                message: format!(
                    "no column for {what} (the header has: {}); name one with --map COLUMN={}",
                    list(&headers),
                    FIELD_NAMES.iter().find(|(_, g)| *g == f).map_or("?", |(n, _)| n)
                ),
            })
        }
    };
    need(Field::Created, "the creation date")?;
    if !cols.has(Field::EffortHours) && !cols.has(Field::EffortSeconds) {
        need(Field::EffortHours, "hands-on time (effort)")?;
    }
    h.files
        .push((file.to_string(), if preset.is_empty() { "csv" } else { "jira-csv" }));
    let name_of = |i: usize| headers.get(i).map(String::as_str).unwrap_or("?");
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, e)),
        }
        let line = rec.position().map_or(0, |p| p.line());
        h.rows += 1;
        check_cancel(opts, h.rows)?;
        let cell = |i: usize| -> Result<&str, ReadError> {
            std::str::from_utf8(rec.get(i).unwrap_or(b""))
                .map(str::trim)
                .map_err(|_| ReadError::At {
                    at: at(line, Some(name_of(i))),
                    message: "not valid UTF-8 text".into(),
                })
        };
        let get = |f: Field| -> Result<Option<(usize, &str)>, ReadError> {
            match cols.first(f) {
                Some(i) => Ok(Some((i, cell(i)?)).filter(|(_, s)| !s.is_empty())),
                None => Ok(None),
            }
        };
        if rec.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            h.drop_row("blank row", at(line, None));
            continue;
        }
        if let Some((_, s)) = get(Field::Status)? {
            if ABANDONED.iter().any(|a| a.eq_ignore_ascii_case(s)) {
                h.drop_row(
                    "given up (status cancelled, won't do, rejected or duplicate)",
                    at(line, None),
                );
                continue;
            }
        }
        if let Some((i, key)) = get(Field::Key)? {
            if let Some(first) = h.see_key(key, &at(line, Some(name_of(i)))) {
                h.bad_row(
                    opts,
                    "duplicate key (the first row kept)",
                    format!("duplicate key \"{}\" (first at {first})", time::truncate(key, 40)),
                    at(line, Some(name_of(i))),
                )?;
                continue;
            }
        }
        let date = |f: Field, h: &mut History| -> Result<Result<Option<i64>, ()>, ReadError> {
            let Some((i, s)) = get(f)? else { return Ok(Ok(None)) };
            let loc = at(line, Some(name_of(i)));
            match time::parse(s, opts.zone) {
                Ok(p) => {
                    mixed_zones(h, opts, p.zoned, &loc)?;
                    Ok(Ok(Some(p.secs)))
                }
                Err(m) => {
                    h.bad_row(opts, "unreadable date", m, loc)?;
                    Ok(Err(()))
                }
            }
        };
        let Ok(created) = date(Field::Created, h)? else {
            continue;
        };
        let Ok(resolved) = date(Field::Resolved, h)? else {
            continue;
        };
        if created.is_none() {
            h.bad_row(
                opts,
                "no creation date",
                "the creation date is empty".into(),
                at(line, cols.first(Field::Created).map(name_of)),
            )?;
            continue;
        }
        if let (Some(c), Some(r)) = (created, resolved) {
            if r < c {
                h.bad_row(
                    opts,
                    "resolved before created",
                    format!("resolved {} before created {}", time::date_of(r), time::date_of(c)),
                    at(line, cols.first(Field::Resolved).map(name_of)),
                )?;
                continue;
            }
        }
        let effort = match (get(Field::EffortHours)?, get(Field::EffortSeconds)?) {
            (Some((i, s)), _) => Some((i, s, 1.0)),
            (None, Some((i, s))) => Some((i, s, 1.0 / 3600.0)),
            _ => None,
        };
        let mut effort_hours = None;
        if let Some((i, s, scale)) = effort {
            let loc = at(line, Some(name_of(i)));
            match number(s) {
                Some(x) if x > 0.0 && x.is_finite() => effort_hours = Some(x * scale),
                Some(x) if x.is_finite() => {
                    h.bad_row(
                        opts,
                        "zero or negative time spent",
                        format!("time spent is {s} (must be above zero)"),
                        loc,
                    )?;
                    continue;
                }
                _ => {
                    h.bad_row(
                        opts,
                        "unreadable time spent",
                        format!("cannot read \"{}\" as a number", time::truncate(s, 40)),
                        loc,
                    )?;
                    continue;
                }
            }
        }
        let mut comments = None;
        if let Some((i, s)) = get(Field::Comments)? {
            match number(s) {
                Some(x) if (0.0..1e6).contains(&x) => comments = Some(x as u32),
                _ => {
                    h.bad_row(
                        opts,
                        "unreadable comment count",
                        format!("cannot read \"{}\" as a count", time::truncate(s, 40)),
                        at(line, Some(name_of(i))),
                    )?;
                    continue;
                }
            }
        } else if cols.has(Field::Comment) {
            let mut n = 0;
            for &(i, f) in &cols.of {
                if f == Field::Comment && !cell(i)?.is_empty() {
                    n += 1;
                }
            }
            comments = Some(n);
        }
        let mut reworked = None;
        if let Some((i, s)) = get(Field::Reworked)? {
            match flag(s) {
                Some(b) => reworked = Some(b),
                None => {
                    h.bad_row(
                        opts,
                        "unreadable reopen field",
                        format!("cannot read \"{}\" as a count or yes/no", time::truncate(s, 40)),
                        at(line, Some(name_of(i))),
                    )?;
                    continue;
                }
            }
        } else if cols.has(Field::Reworked) {
            reworked = Some(false);
        }
        let ws = match (opts.workstream, get(Field::Workstream)?) {
            (Some(w), _) => w.to_string(),
            (None, Some((_, s))) => s.to_string(),
            (None, None) => "work".to_string(),
        };
        let item = Item {
            workstream: h.workstream_index(&ws),
            created,
            resolved,
            effort_hours,
            assignee: get(Field::Assignee)?
                .map(|(_, s)| s.to_string())
                .map(|s| h.person_index(&s)),
            comments,
            reworked,
        };
        h.items.push(item);
    }
    Ok(())
}

/// A timestamp with a zone after one without (or the reverse) is ambiguous
/// unless `--tz` says what the zone-less ones mean.
fn mixed_zones(h: &mut History, opts: &Options<'_>, zoned: bool, at: &Location) -> Result<(), ReadError> {
    if opts.zone.is_some() {
        return Ok(());
    }
    let (mine, other) = if zoned {
        (&mut h.zoned_at, &h.unzoned_at)
    } else {
        (&mut h.unzoned_at, &h.zoned_at)
    };
    if mine.is_none() {
        *mine = Some(at.clone());
    }
    if let Some(o) = other {
        return Err(ReadError::At {
            at: at.clone(),
            message: format!(
                "{} (the one at {o} {}); pass --tz ZONE (e.g. --tz Europe/Berlin or --tz UTC) to say which zone the timestamps without one are in",
                if zoned { "this timestamp has a time zone" } else { "this timestamp has no time zone" },
                if zoned { "has none" } else { "has one" }
            ),
        });
    }
    Ok(())
}

/// A number, with Jira's thousands separators tolerated ("1,800").
fn number(s: &str) -> Option<f64> {
    let t = s.trim();
    t.parse::<f64>().ok().or_else(|| t.replace(',', "").parse().ok())
}

/// A count (reopened when > 0) or yes/no.
fn flag(s: &str) -> Option<bool> {
    let t = s.trim().to_ascii_lowercase();
    match t.as_str() {
        "yes" | "y" | "true" | "reopened" | "rejected" => Some(true),
        "no" | "n" | "false" | "" => Some(false),
        _ => number(&t).filter(|x| *x >= 0.0).map(|x| x > 0.0),
    }
}

fn list(headers: &[String]) -> String {
    let shown: Vec<&str> = headers.iter().take(20).map(String::as_str).collect();
    let more = headers.len().saturating_sub(20);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn csv_error(file: &str, e: csv::Error) -> ReadError {
    let line = e.position().map_or(1, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".into(),
        _ => format!("not readable as CSV ({e})"),
    };
    ReadError::At {
        at: Location {
            file: file.to_string(),
            line,
            column: None,
        },
        message,
    }
}
