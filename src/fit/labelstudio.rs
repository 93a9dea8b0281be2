//! Label Studio's JSON export (a list of tasks, each with its annotations),
//! streamed: serde_json reads one task at a time through a visitor and the
//! task's text (`data`, `result`) is skipped, never held. A counting reader
//! under the parser knows the line, so errors are located.
//!
//! Per task: `id` (the key), `created_at`, `comment_count`, and
//! `reviews_rejected`; per annotation: `lead_time` (seconds of work),
//! `created_at` (submitted), `completed_by` (a user id or an object with
//! `email` / `id`), `was_cancelled`, and `reviews` (`accepted: false` marks
//! rework). An annotated task's effort is its annotations' lead time
//! together; it is resolved when its last annotation was submitted.

use super::history::{check_cancel, History, Item, Location, Options, ReadError};
use super::time;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::rc::Rc;

/// Reader that counts lines of the bytes handed to the parser.
struct Counting<R> {
    inner: R,
    line: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let nl = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        self.line.set(self.line.get() + nl);
        Ok(n)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Annotation {
    lead_time: Option<f64>,
    created_at: Option<String>,
    completed_by: Option<serde_json::Value>,
    was_cancelled: bool,
    reviews: Option<Vec<Review>>,
    // `result` and the rest are skipped (serde ignores unknown fields).
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Review {
    accepted: Option<bool>,
}

/// One task's fields of interest.
#[derive(Default)]
struct Task {
    id: Option<String>,
    created_at: Option<String>,
    annotations: Vec<Annotation>,
    comment_count: Option<f64>,
    reviews_rejected: Option<f64>,
}

struct TaskSeed<'a> {
    line: &'a Rc<Cell<u64>>,
    start: &'a Cell<u64>,
}

impl<'de> DeserializeSeed<'de> for TaskSeed<'_> {
    type Value = Task;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Task, D::Error> {
        d.deserialize_map(TaskVisitor(self))
    }
}

struct TaskVisitor<'a>(TaskSeed<'a>);

impl<'de> Visitor<'de> for TaskVisitor<'_> {
    type Value = Task;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a task (an object with id, created_at and annotations)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Task, A::Error> {
        // The opening brace was just read: the task starts on this line.
        self.0.start.set(self.0.line.get() + 1);
        let mut t = Task::default();
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "id" => {
                    t.id = match map.next_value::<serde_json::Value>()? {
                        serde_json::Value::String(s) => Some(s),
                        serde_json::Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    }
                }
                "created_at" => t.created_at = map.next_value()?,
                "annotations" => t.annotations = map.next_value::<Option<Vec<Annotation>>>()?.unwrap_or_default(),
                "comment_count" => t.comment_count = map.next_value()?,
                "reviews_rejected" => t.reviews_rejected = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(t)
    }
}

/// Reads one Label Studio export into `h`.
pub fn read(input: impl Read, file: &str, opts: &Options<'_>, h: &mut History) -> Result<(), ReadError> {
    let line = Rc::new(Cell::new(0u64));
    let reader = Counting {
        inner: std::io::BufReader::new(input),
        line: Rc::clone(&line),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    h.files.push((file.to_string(), "label-studio-json"));
    let mut err: Option<ReadError> = None;
    let visitor = TasksVisitor {
        file,
        opts,
        h,
        line: &line,
        err: &mut err,
    };
    let r = de::Deserializer::deserialize_seq(&mut de, visitor).and_then(|()| de.end());
    if let Some(e) = err {
        return Err(e);
    }
    r.map_err(|e| json_error(file, &e))
}

fn json_error(file: &str, e: &serde_json::Error) -> ReadError {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; we say it as file:line.
    let plain = msg.rsplit_once(" at line ").map_or(msg.as_str(), |(m, _)| m);
    let plain = if e.is_eof() {
        // serde_json says "EOF while parsing a string"; a cut-off export is the usual cause.
        "the file ends in the middle (truncated?)".to_string()
    } else if plain.starts_with("invalid unicode code point") {
        // serde_json's words for bytes that are not UTF-8 inside a string.
        "not valid UTF-8 text (or an invalid \\u escape)".to_string()
    } else {
        plain
            .replace("invalid type: ", "")
            .replace("expected a sequence", "expected a list of tasks ([ ... ])")
    };
    ReadError::At {
        at: Location {
            file: file.to_string(),
            line: e.line().max(1) as u64,
            column: Some(format!("column {}", e.column())),
        },
        message: format!("not readable as a Label Studio export: {plain}"),
    }
}

struct TasksVisitor<'a, 'o> {
    file: &'a str,
    opts: &'a Options<'o>,
    h: &'a mut History,
    line: &'a Rc<Cell<u64>>,
    err: &'a mut Option<ReadError>,
}

impl<'de> Visitor<'de> for TasksVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of tasks")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let start = Cell::new(0u64);
        loop {
            let Some(task) = seq.next_element_seed(TaskSeed {
                line: self.line,
                start: &start,
            })?
            else {
                return Ok(());
            };
            let at = Location {
                file: self.file.to_string(),
                line: start.get(),
                column: None,
            };
            self.h.rows += 1;
            if let Err(e) = check_cancel(self.opts, self.h.rows).and_then(|()| take(task, at, self.opts, self.h)) {
                *self.err = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
    }
}

fn take(t: Task, at: Location, opts: &Options<'_>, h: &mut History) -> Result<(), ReadError> {
    let field = |name: &str| Location {
        column: Some(name.to_string()),
        ..at.clone()
    };
    if let Some(id) = &t.id {
        if let Some(first) = h.see_key(id, &field("id")) {
            return h.bad_row(
                opts,
                "duplicate key (the first row kept)",
                format!("duplicate task id {} (first at {first})", time::truncate(id, 40)),
                field("id"),
            );
        }
    }
    let stamp = |s: &Option<String>, name: &str, h: &mut History| -> Result<Result<Option<i64>, ()>, ReadError> {
        let Some(s) = s.as_deref().filter(|s| !s.trim().is_empty()) else {
            return Ok(Ok(None));
        };
        match time::parse(s, opts.zone) {
            Ok(p) => {
                if !p.zoned && opts.zone.is_none() {
                    h.unzoned_at.get_or_insert_with(|| field(name));
                } else {
                    h.zoned_at.get_or_insert_with(|| field(name));
                }
                Ok(Ok(Some(p.secs)))
            }
            Err(m) => {
                h.bad_row(opts, "unreadable date", m, field(name))?;
                Ok(Err(()))
            }
        }
    };
    let Ok(created) = stamp(&t.created_at, "created_at", h)? else {
        return Ok(());
    };
    let Some(created) = created else {
        return h.bad_row(
            opts,
            "no creation date",
            "the task has no created_at".into(),
            field("created_at"),
        );
    };
    let done: Vec<&Annotation> = t.annotations.iter().filter(|a| !a.was_cancelled).collect();
    let mut resolved: Option<i64> = None;
    let mut lead = 0.0;
    let mut any_lead = false;
    let mut rejected = t.reviews_rejected.map(|n| n > 0.0);
    for a in &done {
        let Ok(r) = stamp(&a.created_at, "annotations.created_at", h)? else {
            return Ok(());
        };
        resolved = match (resolved, r) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
        if let Some(l) = a.lead_time {
            if !(l > 0.0 && l.is_finite()) {
                return h.bad_row(
                    opts,
                    "zero or negative time spent",
                    format!("lead_time is {l} (must be above zero)"),
                    field("annotations.lead_time"),
                );
            }
            lead += l;
            any_lead = true;
        }
        if let Some(rs) = &a.reviews {
            let bad = rs.iter().any(|r| r.accepted == Some(false));
            rejected = Some(rejected.unwrap_or(false) || bad);
        }
    }
    if let Some(r) = resolved {
        if r < created {
            return h.bad_row(
                opts,
                "resolved before created",
                format!(
                    "annotated {} before the task was created {}",
                    time::date_of(r),
                    time::date_of(created)
                ),
                field("annotations.created_at"),
            );
        }
    }
    let person = done
        .first()
        .and_then(|a| a.completed_by.as_ref())
        .and_then(|v| match v {
            serde_json::Value::Number(n) => Some(format!("user {n}")),
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(o) => o
                .get("email")
                .and_then(|e| e.as_str().map(str::to_string))
                .or_else(|| o.get("id").map(|i| format!("user {i}"))),
            _ => None,
        });
    if zone_conflict(h, opts) {
        let (z, u) = (h.zoned_at.clone(), h.unzoned_at.clone());
        let (z, u) = (z.expect("set"), u.expect("set"));
        let later = if (z.line, &z.column) > (u.line, &u.column) {
            z.clone()
        } else {
            u.clone()
        };
        return Err(ReadError::At {
            at: later,
            message: format!(
                "timestamps with a time zone ({z}) and without one ({u}) are mixed; pass --tz ZONE (e.g. --tz Europe/Berlin or --tz UTC) to say which zone the ones without are in"
            ),
        });
    }
    let item = Item {
        workstream: h.workstream_index(opts.workstream.unwrap_or("annotation")),
        created: Some(created),
        resolved,
        effort_hours: any_lead.then_some(lead / 3600.0),
        assignee: person.map(|p| h.person_index(&p)),
        comments: t.comment_count.filter(|c| *c >= 0.0 && *c < 1e6).map(|c| c as u32),
        reworked: rejected,
    };
    h.items.push(item);
    Ok(())
}

fn zone_conflict(h: &History, opts: &Options<'_>) -> bool {
    opts.zone.is_none() && h.zoned_at.is_some() && h.unzoned_at.is_some()
}
