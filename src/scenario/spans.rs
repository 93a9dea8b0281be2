//! Where in the file a field is, and friendlier wording of parser messages.

use std::fmt;
use toml::de::{DeTable, DeValue};

/// A path to a field: `workstream[2].effort_hours.mean`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldPath(pub Vec<Seg>);

#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Byte offset of the deepest existing element of `path` in `text`: the field
/// itself if present, else the table that should have held it.
pub fn locate(text: &str, path: &FieldPath) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    let mut best = None;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut value: Option<&DeValue> = None;
    for seg in &path.0 {
        match seg {
            Seg::Key(k) => {
                let t = match (table, value) {
                    (Some(t), _) => t,
                    (None, Some(v)) => v.as_table()?,
                    _ => return best,
                };
                let Some((key, v)) = t.iter().find(|(key, _)| key.get_ref().as_ref() == k.as_str()) else {
                    return best;
                };
                best = Some(key.span().start);
                value = Some(v.get_ref());
                table = None;
            }
            Seg::Index(i) => {
                let Some(arr) = value.and_then(|v| v.as_array()) else {
                    return best;
                };
                let Some(el) = arr.get(*i) else { return best };
                best = Some(el.span().start);
                value = Some(el.get_ref());
            }
        }
    }
    best
}

/// The path of the field whose key or value holds byte `offset` of `text`
/// (the deepest one), e.g. `workstream[0].effort_hours.dist` for an unknown
/// distribution name; `None` when the text does not parse.
pub fn path_at(text: &str, offset: usize) -> Option<FieldPath> {
    let root = DeTable::parse(text).ok()?;
    let mut path = FieldPath::root();
    in_table(root.get_ref(), offset, &mut path);
    Some(path)
}

fn holds(span: std::ops::Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

fn in_table(t: &DeTable, offset: usize, path: &mut FieldPath) -> bool {
    for (key, v) in t.iter() {
        let k = key.get_ref().as_ref().to_string();
        if holds(key.span(), offset) {
            path.0.push(Seg::Key(k));
            return true;
        }
        path.0.push(Seg::Key(k));
        // Header tables' spans may not cover their bodies: look inside anyway.
        if in_value(v.get_ref(), offset, path) || holds(v.span(), offset) {
            return true;
        }
        path.0.pop();
    }
    false
}

fn in_value(v: &DeValue, offset: usize, path: &mut FieldPath) -> bool {
    match v {
        DeValue::Table(t) => in_table(t, offset, path),
        DeValue::Array(a) => {
            for (i, el) in a.iter().enumerate() {
                path.0.push(Seg::Index(i));
                if in_value(el.get_ref(), offset, path) || holds(el.span(), offset) {
                    return true;
                }
                path.0.pop();
            }
            false
        }
        _ => false,
    }
}

/// Takes the field at `path` out of `doc`, so that a file can be checked
/// again for its next error. An entry of a list inside a table (an `after`
/// gate, a team entry) goes as a whole, since its fields are required; a
/// whole workstream or strategy never does (the ones after it would be
/// renumbered). Returns whether anything was removed.
pub fn remove(doc: &mut toml::Table, path: &FieldPath) -> bool {
    let segs = &path.0;
    // A key inside an entry of a nested list: remove the entry.
    let cut = match segs.as_slice() {
        [.., Seg::Index(_), Seg::Key(_)] if segs.len() >= 4 => segs.len() - 1,
        [_, Seg::Index(_)] | [Seg::Index(_)] | [] => return false,
        _ => segs.len(),
    };
    let (last, parents) = segs[..cut].split_last().expect("non-empty");
    let mut cur: Option<&mut toml::Value> = None;
    let mut table: Option<&mut toml::Table> = Some(doc);
    for seg in parents {
        let next = match (seg, table.take(), cur.take()) {
            (Seg::Key(k), Some(t), _) => t.get_mut(k),
            (Seg::Key(k), None, Some(toml::Value::Table(t))) => t.get_mut(k),
            (Seg::Index(i), None, Some(toml::Value::Array(a))) => a.get_mut(*i),
            _ => return false,
        };
        let Some(v) = next else { return false };
        cur = Some(v);
    }
    match (last, table, cur) {
        (Seg::Key(k), Some(t), _) => t.remove(k).is_some(),
        (Seg::Key(k), None, Some(toml::Value::Table(t))) => t.remove(k).is_some(),
        (Seg::Index(i), None, Some(toml::Value::Array(a))) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// 1-based line and column of a byte offset (column counted in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Rewrites serde's messages for people: adds "did you mean" to unknown
/// fields and variants.
pub fn explain_serde_message(msg: &str) -> String {
    let msg = msg.trim_end();
    for kind in ["unknown field", "unknown variant"] {
        if let Some(rest) = msg.strip_prefix(kind) {
            let names = backticked(rest);
            if let Some((bad, expected)) = names.split_first() {
                // "variant" is Rust's word; people choose one of a list of names.
                let word = if kind == "unknown variant" {
                    "unknown name"
                } else {
                    kind
                };
                let mut out = format!("{word} `{bad}`");
                if let Some(best) = closest(bad, expected.iter().map(String::as_str)) {
                    out.push_str(&format!(" (did you mean `{best}`?)"));
                }
                if !expected.is_empty() {
                    out.push_str(&format!("; expected one of: {}", expected.join(", ")));
                }
                return out;
            }
        }
    }
    for kind in ["invalid type: ", "invalid value: "] {
        if let Some((got, expected)) = msg.strip_prefix(kind).and_then(|rest| rest.rsplit_once(", expected ")) {
            let expected = plain_type(expected).unwrap_or(expected);
            return format!("expected {expected}, got {}", plain_value(got));
        }
    }
    msg.to_string()
}

/// serde's name of an expected Rust type, in the words of docs/SCENARIO.md.
fn plain_type(rust: &str) -> Option<&'static str> {
    Some(match rust.trim() {
        "f64" | "f32" | "a number" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number ≥ 0",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "a boolean" | "bool" => "true or false",
        "a string" | "string" | "a borrowed string" => "text in quotes",
        "a sequence" => "a list in [ ]",
        "a map" | "struct" => "a table",
        _ => return None,
    })
}

/// serde's description of the value found ("integer `-3`", "string \"120\"").
fn plain_value(got: &str) -> String {
    let got = got.trim();
    if let Some(text) = got.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for kind in ["integer ", "floating point ", "boolean "] {
        if let Some(v) = got.strip_prefix(kind) {
            return v.trim_matches('`').to_string();
        }
    }
    match got {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        other => other.to_string(),
    }
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, w)| w.to_string())
        .collect()
}

/// The candidate nearest to `word` by edit distance, if it is plausibly a typo.
/// A shortened name counts too: `data_prep` suggests `data_preparation`.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    candidates
        .iter()
        .map(|c| (edit_distance(&word_l, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
        .or_else(|| {
            // A prefix of at least 4 characters of exactly one name.
            let mut prefixed = candidates
                .iter()
                .filter(|c| word_l.chars().count() >= 4 && c.to_lowercase().starts_with(&word_l));
            match (prefixed.next(), prefixed.next()) {
                (Some(c), None) => Some(*c),
                _ => None,
            }
        })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field_names() {
        let m = explain_serde_message("unknown field `defect_rat`, expected one of `name`, `defect_rate`");
        assert!(m.contains("did you mean `defect_rate`"), "{m}");
        let m = explain_serde_message("unknown field `zzz`, expected one of `name`, `defect_rate`");
        assert!(!m.contains("did you mean"), "{m}");
    }

    #[test]
    fn shortened_names_are_suggested() {
        assert_eq!(
            closest("data_prep", ["annotation", "data_preparation"]),
            Some("data_preparation")
        );
        assert_eq!(closest("dat", ["data_preparation"]), None);
    }

    #[test]
    fn paths_of_offsets_and_removal() {
        let text = "name = \"x\"\n[[workstream]]\nname = \"a\"\neffort_hours = { dist = \"log-normal\", mean = 1.0 }\n";
        let off = text.find("\"log-normal").unwrap();
        let p = path_at(text, off).unwrap();
        assert_eq!(p.to_string(), "workstream[0].effort_hours.dist");
        let mut doc: toml::Table = text.parse().unwrap();
        assert!(remove(&mut doc, &p));
        assert!(!remove(&mut doc, &FieldPath::root().key("workstream").index(0)));
    }

    #[test]
    fn locates_nested_fields() {
        let text = "name = \"x\"\n[[workstream]]\nname = \"a\"\n[[workstream]]\nname = \"b\"\ndefect_rate = 2.0\n";
        let p = FieldPath::root().key("workstream").index(1).key("defect_rate");
        let off = locate(text, &p).unwrap();
        assert_eq!(line_col(text, off), (6, 1));
    }
}
