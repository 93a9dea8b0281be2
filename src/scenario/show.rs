//! `podsim show`: a scenario with every default filled in, as TOML.
//!
//! The text is driven by the schema table ([`schema::FIELDS`]) rather than
//! by the raw structs, so a field added to the table appears here without
//! further code: its path pattern says which table it lives in, and its
//! default and source say what to write when the file leaves it out. Values
//! the file sets are copied as written and marked `# set in the file`;
//! defaults carry their source as a comment. Tables the schema does not
//! describe (`[optimise]`) are copied as the file wrote them.

use super::schema::{self, Default, Field, Type};
use super::ScenarioError;
use std::fmt::Write as _;
use toml::{Table, Value};

/// The resolved scenario as TOML text. The file is validated first, so an
/// invalid file gives the same error `podsim validate` gives.
pub fn resolved_toml(text: &str, file: &str) -> Result<String, ScenarioError> {
    super::parse_str(text, file)?;
    let doc: Table = text.parse().map_err(|e: toml::de::Error| ScenarioError {
        file: file.to_string(),
        line: None,
        column: None,
        field: None,
        message: e.message().to_string(),
        source_line: None,
        more: Vec::new(),
    })?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {file}, resolved by `podsim show`: every field with its value; defaults\n\
         # name their source (docs/SCENARIO.md). Save and edit it like any scenario.\n"
    );
    let root = Scope {
        pattern: String::new(),
        header: String::new(),
        table: &doc,
        names: Vec::new(),
    };
    render(&mut out, &root, &[]);
    Ok(out)
}

/// One concrete table being written: its path pattern (`strategy.*.pods`),
/// its TOML header (`strategy.pods`), the file's table and the names bound
/// to each `*` on the way (`["freelancer"]` in `channels.freelancer`).
struct Scope<'a> {
    pattern: String,
    header: String,
    table: &'a Table,
    names: Vec<String>,
}

/// What a field path contributes below a table pattern.
#[derive(PartialEq)]
enum Child {
    /// A value of this table (`seed`, `effort_hours`).
    Leaf(&'static Field),
    /// A table of values by fixed names (`rates.*`), written inline.
    NamedLeaf(&'static Field),
    /// A sub-table (`seniors`, `strategy.*.pods`).
    Table(String),
    /// Named or listed elements (`workstream.*`, `surge[*]`).
    Elements(String),
}

fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}.{rest}")
    }
}

/// The children of table pattern `pattern`, in the order of the schema.
fn children(pattern: &str) -> Vec<(String, Child)> {
    let mut out: Vec<(String, Child)> = Vec::new();
    let start = if pattern.is_empty() {
        String::new()
    } else {
        format!("{pattern}.")
    };
    for f in schema::FIELDS {
        let Some(rest) = f.path.strip_prefix(start.as_str()) else {
            continue;
        };
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let (key, tail) = rest.split_at(end);
        let child = if tail.is_empty() {
            Child::Leaf(f)
        } else if tail == ".*" {
            Child::NamedLeaf(f)
        } else if tail.starts_with("[*].") {
            Child::Elements(format!("{start}{key}[*]"))
        } else if tail.starts_with(".*.") {
            Child::Elements(format!("{start}{key}.*"))
        } else {
            Child::Table(format!("{start}{key}"))
        };
        if !out.iter().any(|(k, c)| k == key && c == &child) {
            out.push((key.to_string(), child));
        }
    }
    out
}

fn render(out: &mut String, scope: &Scope, ancestors: &[&Scope]) {
    let mut chain: Vec<&Scope> = ancestors.to_vec();
    chain.push(scope);
    let kids = children(&scope.pattern);
    for (key, child) in &kids {
        match child {
            Child::Leaf(f) => leaf(out, key, f, scope, &chain),
            Child::NamedLeaf(f) => named_leaf(out, key, f, scope),
            _ => {}
        }
    }
    // Values the schema does not describe come after the described ones,
    // before any sub-table header (TOML puts later keys in that sub-table).
    let described = |k: &str| kids.iter().any(|(key, _)| key == k);
    let mut undescribed_tables = Vec::new();
    for (k, v) in scope.table {
        if described(k) {
            continue;
        }
        if v.is_table() && scope.pattern.is_empty() {
            undescribed_tables.push((k, v));
        } else {
            let _ = writeln!(out, "{} = {v}  # set in the file", bare(k));
        }
    }
    for (key, child) in &kids {
        match child {
            Child::Table(pattern) => {
                if !applies(pattern, &chain) {
                    continue;
                }
                let empty = Table::new();
                let table = scope.table.get(key).and_then(Value::as_table).unwrap_or(&empty);
                let header = join(&scope.header, &bare(key));
                let _ = writeln!(out, "\n[{header}]");
                let sub = Scope {
                    pattern: pattern.clone(),
                    header,
                    table,
                    names: scope.names.clone(),
                };
                render(out, &sub, &chain);
            }
            Child::Elements(pattern) => elements(out, key, pattern, scope, &chain),
            _ => {}
        }
    }
    for (k, v) in undescribed_tables {
        if k == "decision" {
            if let Value::Table(t) = v {
                decision(out, t, &chain);
                continue;
            }
        }
        if k == "uncertainty" {
            let _ = writeln!(
                out,
                "\n# [uncertainty]: ranges of field paths, as set in the file; each is a\n\
                 # normal with 90 % between low and high unless it gives a mode\n\
                 # (triangular) or a dist (docs/SCENARIO.md, docs/UNCERTAINTY.md)."
            );
        }
        let mut wrapper = Table::new();
        wrapper.insert(k.clone(), v.clone());
        let _ = write!(out, "\n# [{k}] as set in the file\n{wrapper}");
    }
}

/// `[decision]` with every field of [`schema::DECISION_FIELDS`]: the file's
/// values marked, the others at their default (not counted).
fn decision(out: &mut String, table: &Table, chain: &[&Scope]) {
    let _ = writeln!(out, "\n[decision]");
    let scope = Scope {
        pattern: "decision".into(),
        header: "decision".into(),
        table,
        names: Vec::new(),
    };
    for f in schema::DECISION_FIELDS {
        let key = f.path.rsplit('.').next().unwrap_or(f.path);
        leaf(out, key, f, &scope, chain);
    }
    for (k, v) in table {
        if !schema::DECISION_FIELDS
            .iter()
            .any(|f| f.path.rsplit('.').next() == Some(k.as_str()))
        {
            let _ = writeln!(out, "{} = {v}  # set in the file", bare(k));
        }
    }
}

fn elements(out: &mut String, key: &str, pattern: &str, scope: &Scope, chain: &[&Scope]) {
    let header = join(&scope.header, &bare(key));
    match scope.table.get(key) {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let Some(table) = item.as_table() else { continue };
                let name = table
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_string);
                let _ = writeln!(out, "\n[[{header}]]");
                let mut names = scope.names.clone();
                names.push(name);
                let sub = Scope {
                    pattern: pattern.to_string(),
                    header: header.clone(),
                    table,
                    names,
                };
                render(out, &sub, chain);
            }
            if items.is_empty() {
                let _ = writeln!(out, "# {header}: none  # set in the file");
            }
        }
        Some(Value::Table(map)) => named_tables(out, &header, pattern, scope, chain, Some(map)),
        Some(other) => {
            let _ = writeln!(out, "{} = {other}  # set in the file", bare(key));
        }
        None if pattern.ends_with("[*]") => {
            let _ = writeln!(out, "\n# [[{header}]]: none (default)");
        }
        None => named_tables(out, &header, pattern, scope, chain, None),
    }
}

/// A table of tables by name (`[channels.employee]`): every fixed name, then
/// any other the file gives.
fn named_tables(out: &mut String, header: &str, pattern: &str, scope: &Scope, chain: &[&Scope], map: Option<&Table>) {
    let empty = Table::new();
    let mut keys: Vec<String> = fixed_names(pattern).iter().map(|s| s.to_string()).collect();
    for k in map.into_iter().flat_map(|m| m.keys()) {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    for name in keys {
        let table = map
            .and_then(|m| m.get(&name))
            .and_then(Value::as_table)
            .unwrap_or(&empty);
        let header = format!("{header}.{}", bare(&name));
        let _ = writeln!(out, "\n[{header}]");
        let mut names = scope.names.clone();
        names.push(name);
        let sub = Scope {
            pattern: pattern.to_string(),
            header,
            table,
            names,
        };
        render(out, &sub, chain);
    }
}

fn fixed_names(pattern: &str) -> &'static [&'static str] {
    schema::NAMED_KEYS
        .iter()
        .find(|(p, _)| *p == pattern)
        .map_or(&[], |(_, names)| names)
}

/// Whether a field or table applies, given the values of the tables around
/// it ([`schema::APPLIES_WHEN`]).
fn applies(path: &str, chain: &[&Scope]) -> bool {
    schema::APPLIES_WHEN
        .iter()
        .filter(|(prefix, _, _)| path == *prefix || path.starts_with(&format!("{prefix}.")))
        .all(|(_, condition, wanted)| value_of(condition, chain).as_deref() == Some(*wanted))
}

/// The text value of field `path` in the enclosing table whose pattern is
/// its parent: the file's value, else the schema's default.
fn value_of(path: &str, chain: &[&Scope]) -> Option<String> {
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let scope = chain.iter().rev().find(|s| s.pattern == parent)?;
    match scope.table.get(key) {
        Some(v) => v.as_str().map(str::to_string),
        None => match schema::find(path)?.default {
            Default::Text(t) => Some(t.to_string()),
            _ => None,
        },
    }
}

fn leaf(out: &mut String, key: &str, f: &Field, scope: &Scope, chain: &[&Scope]) {
    if let Some(v) = scope.table.get(key) {
        let _ = writeln!(out, "{} = {v}  # set in the file", bare(key));
        return;
    }
    if !applies(f.path, chain) {
        return;
    }
    let key = bare(key);
    if let Some(other) = either_or_partner(f.path) {
        let other_key = other.rsplit('.').next().unwrap_or(other);
        if scope.table.contains_key(other_key) {
            let _ = writeln!(out, "# {key}: not used, the file sets `{other_key}` instead");
            return;
        }
    }
    let source = source_words(f);
    match f.default {
        Default::Required => {}
        Default::Unset(meaning) => {
            let _ = writeln!(out, "# {key} = ...  # not set: {meaning}");
        }
        Default::Num(x) => {
            let _ = writeln!(out, "{key} = {}  # {source}", number(f, x));
        }
        // A boolean's default is written as the word (`false`), not as text.
        Default::Text(t) if f.ty == Type::Bool => {
            let _ = writeln!(out, "{key} = {t}  # {source}");
        }
        Default::Text(t) => {
            let _ = writeln!(out, "{key} = {}  # {source}", Value::from(t));
        }
        Default::Dist(d) => {
            let _ = writeln!(out, "{key} = {d}  # {source}");
        }
        Default::PerChannel(v) => match channel_index(scope).and_then(|i| v[i]) {
            Some(x) => {
                let _ = writeln!(out, "{key} = {}  # {source}", number(f, x));
            }
            None => {
                let other = either_or_partner(f.path).map_or("another field", |o| o.rsplit('.').next().unwrap_or(o));
                let _ = writeln!(out, "# {key}: not used, this channel's default is `{other}`");
            }
        },
        Default::ByStructure { individual, pods } => {
            let x = match scope.table.get("structure").and_then(Value::as_str) {
                Some("pods") => pods,
                _ => individual,
            };
            let _ = writeln!(out, "{key} = {}  # {source}", number(f, x));
        }
        Default::Rule(rule) => {
            let _ = writeln!(out, "# {key} = ...  # default: {rule} ({})", f.source);
        }
        Default::Rates => {}
        Default::Empty => {
            let _ = writeln!(out, "{key} = []  # {source}");
        }
    }
}

/// `rates = { ... }`: the file's entries, and the defaults of the others.
fn named_leaf(out: &mut String, key: &str, f: &Field, scope: &Scope) {
    let set = scope.table.get(key).and_then(Value::as_table);
    let names = fixed_names(f.path);
    let mut entries = Vec::new();
    let mut all_set = true;
    for name in names {
        match set.and_then(|t| t.get(*name)) {
            Some(v) => entries.push(format!("{name} = {v}")),
            None => {
                all_set = false;
                if let Some(x) = named_default(f, scope, name) {
                    entries.push(format!("{name} = {}", number(f, x)));
                }
            }
        }
    }
    for (k, v) in set.into_iter().flatten() {
        if !names.contains(&k.as_str()) {
            entries.push(format!("{} = {v}", bare(k)));
        }
    }
    let comment = match (set.is_some(), all_set) {
        (_, true) => "set in the file".to_string(),
        (true, false) => format!("set in the file, the others {}", source_words(f)),
        (false, false) => source_words(f),
    };
    let _ = writeln!(out, "{} = {{ {} }}  # {comment}", bare(key), entries.join(", "));
}

fn named_default(f: &Field, scope: &Scope, name: &str) -> Option<f64> {
    match f.default {
        // A channel's `rate` is the default of each of its per-role rates.
        Default::Rates => match scope.table.get("rate") {
            Some(v) => v.as_float().or_else(|| v.as_integer().map(|i| i as f64)),
            None => {
                let role = schema::RATE_ROLES.iter().position(|r| *r == name)?;
                Some(schema::CHANNEL_RATES[channel_index(scope)?][role])
            }
        },
        Default::Num(x) => Some(x),
        _ => None,
    }
}

fn channel_index(scope: &Scope) -> Option<usize> {
    let name = scope.names.first()?;
    schema::CHANNELS.iter().position(|c| c == name)
}

fn either_or_partner(path: &str) -> Option<&'static str> {
    schema::EITHER_OR.iter().find_map(|&(a, b)| {
        if a == path {
            Some(b)
        } else if b == path {
            Some(a)
        } else {
            None
        }
    })
}

fn source_words(f: &Field) -> String {
    if f.source.is_empty() {
        "default".into()
    } else {
        format!("default: {}", f.source)
    }
}

/// A number as TOML of the field's type: whole fields as integers, the
/// rest as floats (which read back as the same `f64`).
fn number(f: &Field, x: f64) -> String {
    if f.ty == Type::Whole {
        format!("{}", x as i64)
    } else {
        Value::Float(x).to_string()
    }
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
fn bare(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_string()
    } else {
        Value::from(key).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = r#"
name = "t"
horizon_weeks = 20
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 5
effort_hours = { dist = "fixed", value = 2.0 }
[seniors]
count = 1
[channels.freelancer]
attrition_per_year = 0.4
rate = 50
[[strategy]]
name = "p"
structure = "pods"
team = [{ role = "domain_expert", channel = "pod", count = 3 }]
[[strategy]]
name = "i"
structure = "individual"
team = [{ role = "domain_expert", channel = "employee", count = 3 }]
"#;

    #[test]
    fn defaults_are_filled_with_sources_and_the_result_validates_the_same() {
        let shown = resolved_toml(SCENARIO, "t.toml").unwrap();
        assert!(shown.contains("attrition_per_year = 0.4  # set in the file"), "{shown}");
        assert!(shown.contains("# mean_tenure_weeks: not used, the file sets `attrition_per_year` instead"));
        assert!(shown.contains("seed = 42  # default: a fixed choice"), "{shown}");
        assert!(shown.contains("rates = { ml_engineer = 50.0,"), "{shown}");
        assert_eq!(
            shown.matches("\n[strategy.pods]").count(),
            1,
            "pods only for the pods strategy"
        );
        assert!(!shown.contains("office_hours_every ="), "only with office hours");
        let a = crate::scenario::parse_str(SCENARIO, "t.toml").unwrap();
        let b = crate::scenario::parse_str(&shown, "shown.toml").unwrap();
        assert_eq!(a, b);
    }
}
