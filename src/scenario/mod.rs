//! Scenario files: TOML text -> validated [`Model`].
//!
//! Two stages, so every error can point at the file: serde parses into the raw
//! structs of [`raw`] (syntax, types, unknown fields), then [`validate`] checks
//! ranges and cross-references and applies the documented defaults. Errors of
//! either stage carry a field path; [`locate`] turns it into a line and column.

// Errors are the cold path and carry the context users need; their size is fine.
#![allow(clippy::result_large_err)]

mod contracts;
pub mod labels;
mod optimise;
pub mod raw;
pub mod schema;
pub mod show;
pub mod spans;
mod strategies;
pub mod validate;
mod workstreams;

use crate::model::Model;
use sha2::{Digest, Sha256};
use spans::FieldPath;
use std::fmt;
use std::path::Path;

/// A scenario problem the user can fix, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub file: String,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted field path, e.g. `workstream[2].defect_rate`, when known.
    pub field: Option<String>,
    pub message: String,
    /// The offending source line, for display.
    pub source_line: Option<String>,
    /// Further errors found in the same file (up to [`MAX_ERRORS`] in all),
    /// so that one run of `validate` shows what to fix, not only the first.
    pub more: Vec<ScenarioError>,
}

/// Most errors reported for one file.
pub const MAX_ERRORS: usize = 20;

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let (Some(src), Some(l), Some(c)) = (&self.source_line, self.line, self.column) {
            let gutter = l.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{l} | {src}\n{:gutter$} | {:>col$}",
                "",
                "",
                "^",
                col = c
            )?;
        }
        for e in &self.more {
            write!(f, "\nerror: {e}")?;
        }
        if !self.more.is_empty() {
            write!(f, "\n{} errors in {}", self.more.len() + 1, self.file)?;
            if self.more.len() + 1 >= MAX_ERRORS {
                write!(f, " (the first {MAX_ERRORS} are shown)")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// A scenario loaded from disk: the model plus what identifies its source.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub model: Model,
    pub path: String,
    /// SHA-256 of the file's bytes, recorded in every output.
    pub hash: String,
    /// The file's text, kept for reports and field-path tools.
    pub text: String,
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ScenarioError {
        file: display.clone(),
        line: None,
        column: None,
        field: None,
        message: format!("cannot read the scenario file: {e}"),
        source_line: None,
        more: Vec::new(),
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|e| ScenarioError {
        file: display.clone(),
        line: None,
        column: None,
        field: None,
        message: format!("the scenario file is not valid UTF-8 text ({e})"),
        source_line: None,
        more: Vec::new(),
    })?;
    let model = parse_str(&text, &display)?;
    Ok(LoadedScenario {
        model,
        path: display,
        hash: hash_bytes(&bytes),
        text,
    })
}

/// Hex SHA-256 of a scenario's bytes.
pub fn hash_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses and validates scenario text; `file` names it in errors. When the
/// file has several errors, the first carries the others in `more`.
pub fn parse_str(text: &str, file: &str) -> Result<Model, ScenarioError> {
    match parse_once(text, file) {
        Ok(m) => Ok(m),
        Err((first, path)) => Err(more_errors(first, path, text, file)),
    }
}

/// One parse and validation: the first error, with its field path when known.
fn parse_once(text: &str, file: &str) -> Result<Model, (ScenarioError, Option<FieldPath>)> {
    let raw = parse_raw_at(text, file)?;
    validate::validate(&raw).map_err(|e| {
        let path = e.path.clone();
        (located(e, text, file), Some(path))
    })
}

/// Finds the errors after the first: the offending field is taken out of the
/// document (so its default applies) and the rest checked again, up to
/// [`MAX_ERRORS`]. It stops where taking a field out could only produce
/// errors of its own making (a required field, a whole workstream or
/// strategy) or makes no progress. Each error is placed by its field path
/// in the file as written.
fn more_errors(mut first: ScenarioError, path: Option<FieldPath>, text: &str, file: &str) -> ScenarioError {
    let Ok(mut doc) = text.parse::<toml::Table>() else {
        return first; // a syntax error: nothing after it can be read
    };
    let mut seen: Vec<FieldPath> = Vec::new();
    let mut next = path;
    while let Some(p) = next.take() {
        if first.more.len() + 1 >= MAX_ERRORS || seen.contains(&p) || !spans::remove(&mut doc, &p) {
            break;
        }
        seen.push(p);
        let Ok(edited) = toml::to_string(&doc) else { break };
        let Err((e, path)) = parse_once(&edited, file) else {
            break;
        };
        let Some(path) = path else { break };
        if e.message.starts_with("missing field") || e.message.contains("is required") {
            break;
        }
        // Placed in the original text, where the user will look.
        let (line, column) = spans::locate(text, &path).map(|off| spans::line_col(text, off)).unzip();
        first.more.push(ScenarioError {
            file: file.to_string(),
            source_line: line.and_then(|l| text.lines().nth(l - 1).map(str::to_string)),
            line,
            column,
            field: Some(path.to_string()),
            message: e.message,
            more: Vec::new(),
        });
        next = Some(path);
    }
    first
}

/// Validates an edited scenario document (a sweep point: the file's TOML
/// with some values replaced) exactly as a file is validated. Errors are
/// located in `text`, the original file, since the edit keeps its structure;
/// `context` (e.g. "at sweep point `overhead.cap = 0.99`") is appended to
/// the message.
pub fn parse_table(doc: &toml::Table, text: &str, file: &str, context: &str) -> Result<Model, ScenarioError> {
    let with_context = |m: String| {
        if context.is_empty() {
            m
        } else {
            format!("{m} ({context})")
        }
    };
    let raw: raw::RawScenario = toml::Value::Table(doc.clone()).try_into().map_err(|e| ScenarioError {
        file: file.to_string(),
        line: None,
        column: None,
        field: None,
        message: with_context(spans::explain_serde_message(e.message())),
        source_line: None,
        more: Vec::new(),
    })?;
    validate::validate(&raw).map_err(|e| {
        let mut located = located(e, text, file);
        located.message = with_context(located.message);
        located
    })
}

/// A validation error placed at its field's line and column in `text`.
fn located(e: validate::ValidationError, text: &str, file: &str) -> ScenarioError {
    let (line, column) = spans::locate(text, &e.path)
        .map(|off| spans::line_col(text, off))
        .unzip();
    ScenarioError {
        file: file.to_string(),
        source_line: line.and_then(|l| text.lines().nth(l - 1).map(str::to_string)),
        line,
        column,
        field: Some(e.path.to_string()),
        message: e.message,
        more: Vec::new(),
    }
}

/// Parses TOML into the raw scenario (syntax, types and unknown fields only).
pub fn parse_raw(text: &str, file: &str) -> Result<raw::RawScenario, ScenarioError> {
    parse_raw_at(text, file).map_err(|(e, _)| e)
}

/// [`parse_raw`], with the field path of the error when it is in a field.
fn parse_raw_at(text: &str, file: &str) -> Result<raw::RawScenario, (ScenarioError, Option<FieldPath>)> {
    toml::from_str::<raw::RawScenario>(text).map_err(|e| {
        let (line, column) = e.span().map(|s| spans::line_col(text, s.start)).unzip();
        // The field the error is in, named like validation errors name theirs.
        let path = e
            .span()
            .and_then(|s| spans::path_at(text, s.start))
            .filter(|p| !p.0.is_empty());
        let err = ScenarioError {
            file: file.to_string(),
            source_line: line.and_then(|l| text.lines().nth(l - 1).map(str::to_string)),
            line,
            column,
            field: path.as_ref().map(ToString::to_string),
            message: spans::explain_serde_message(e.message()),
            more: Vec::new(),
        };
        (err, path)
    })
}
