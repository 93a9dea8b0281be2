//! Field paths: which number of a scenario file a sweep varies.
//!
//! Syntax (docs/SWEEPS.md): dot-separated keys as in the TOML file
//! (`overhead.coefficient`, `channels.freelancer.mean_tenure_weeks`);
//! workstreams and strategies are addressed by name
//! (`workstream.annotation.questions_per_item`,
//! `strategy."pods + bench".pods.pod_size`), by index (`strategy[1]...`), or
//! not at all, which means every entry the field applies to
//! (`strategy.pods.pod_size`: every strategy with structure = "pods"); lists
//! inside an entry take an index (`surge[0].factor`, `team[2].count`) or
//! `[*]`. A path is checked against a schema of the numeric fields of
//! docs/SCENARIO.md and resolved against the scenario's TOML document into
//! concrete locations, which [`set`] edits; the edited document is then
//! validated like a file.

use crate::scenario::schema::{Field, Type};
use crate::scenario::spans::Seg;
use crate::scenario::validate::FieldPath;
use std::fmt;
use toml::{Table, Value};

/// Whether a field holds a whole number or any number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Float,
}

/// A numeric field: its type and the range validation accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leaf {
    pub kind: Kind,
    pub lo: f64,
    pub hi: f64,
    /// The lower bound itself is invalid (the field must be positive).
    pub lo_open: bool,
    /// Also bounded above by the scenario's `horizon_weeks`.
    pub within_horizon: bool,
    /// An assumption `sensitivity` varies by default (not a run setting
    /// such as the horizon).
    pub assumption: bool,
}

impl Leaf {
    /// The sweep's view of a schema field.
    pub fn of(field: &Field) -> Leaf {
        Leaf {
            kind: if field.ty == Type::Whole {
                Kind::Int
            } else {
                Kind::Float
            },
            lo: field.lo,
            hi: field.hi,
            lo_open: field.lo_open,
            within_horizon: field.within_horizon,
            assumption: field.assumption,
        }
    }

    /// Clamps `x` into the valid range (`horizon` in weeks); whole numbers
    /// are rounded. An open lower bound keeps `x` strictly above it.
    pub fn clamp(&self, x: f64, horizon: f64) -> f64 {
        let hi = if self.within_horizon {
            self.hi.min(horizon)
        } else {
            self.hi
        };
        let mut v = x.min(hi).max(self.lo);
        if self.kind == Kind::Int {
            v = v.round().clamp(self.lo.ceil(), hi.floor());
        }
        v
    }
}

mod tree;
mod walk;

use tree::{dist_params, Node, TOP};
use walk::{
    as_number, default_at,
    ResolveError::{NotApplicable, Unknown},
    Walker,
};

/// One segment of a path as written.
#[derive(Clone, Debug, PartialEq)]
pub enum PathSeg {
    /// A bare key or name: `overhead`, `annotation`.
    Key(String),
    /// A quoted name: `"pods + bench"` (always a name or key, never a keyword).
    Quoted(String),
    /// `[2]`
    Index(usize),
    /// `[*]`: every entry.
    All,
}

/// A path that does not name a numeric field of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct PathError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for PathError {}

fn is_bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Splits a path into segments (syntax only).
pub fn parse(path: &str) -> Result<Vec<PathSeg>, String> {
    let chars: Vec<char> = path.trim().chars().collect();
    if chars.is_empty() {
        return Err("empty path".into());
    }
    let mut segs = Vec::new();
    let mut i = 0;
    let mut expect_key = true;
    while i < chars.len() {
        let c = chars[i];
        if expect_key {
            if c == '"' {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated quoted name".into()),
                        Some('"') => break,
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some(&e @ ('"' | '\\')) => s.push(e),
                                _ => return Err("in a quoted name, only \\\" and \\\\ are escapes".into()),
                            }
                            i += 1;
                        }
                        Some(&ch) => s.push(ch),
                    }
                    i += 1;
                }
                i += 1;
                segs.push(PathSeg::Quoted(s));
            } else if is_bare(c) {
                let start = i;
                while i < chars.len() && is_bare(chars[i]) {
                    i += 1;
                }
                segs.push(PathSeg::Key(chars[start..i].iter().collect()));
            } else {
                return Err(format!(
                    "expected a field name at character {}, found `{c}` (quote names with other characters: \"pods + bench\")",
                    i + 1
                ));
            }
            expect_key = false;
            continue;
        }
        match c {
            '.' => {
                expect_key = true;
                i += 1;
                if i == chars.len() {
                    return Err("the path ends with a dot".into());
                }
            }
            '[' => {
                let end = chars[i..]
                    .iter()
                    .position(|&x| x == ']')
                    .map(|p| p + i)
                    .ok_or("unclosed `[`")?;
                let inner: String = chars[i + 1..end].iter().collect();
                let inner = inner.trim();
                if inner == "*" {
                    segs.push(PathSeg::All);
                } else {
                    let n = inner
                        .parse::<usize>()
                        .map_err(|_| format!("expected an index such as [0] or [*], found [{inner}]"))?;
                    segs.push(PathSeg::Index(n));
                }
                i = end + 1;
            }
            _ => return Err(format!("expected `.` or `[` at character {}, found `{c}`", i + 1)),
        }
    }
    Ok(segs)
}

/// Writes a name as a path segment: bare when unambiguous, quoted otherwise.
pub fn quote_name(name: &str, fields: &[&str]) -> String {
    if !name.is_empty() && name.chars().all(is_bare) && !fields.contains(&name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A resolved path: a numeric field at one or more places of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The path as given (or generated), e.g. `strategy.pods.pod_size`.
    pub path: String,
    pub leaf: Leaf,
    /// Where it is, one location per entry it applies to.
    pub locations: Vec<FieldPath>,
    /// The file's value at each location (None where the default applies).
    pub base: Vec<Option<f64>>,
    /// The schema's default at each location, where it is a number (None
    /// for required fields, fields without a default and distribution
    /// parameters).
    pub defaults: Vec<Option<f64>>,
}

impl Param {
    /// The value in effect at each location: the file's, else the default.
    pub fn effective(&self) -> Vec<Option<f64>> {
        self.base.iter().zip(&self.defaults).map(|(b, d)| b.or(*d)).collect()
    }
}

/// Resolves `path` against the scenario document `doc`.
pub fn resolve(path: &str, doc: &Table) -> Result<Param, PathError> {
    let error = |message: String| PathError {
        path: path.trim().to_string(),
        message,
    };
    let segs = parse(path).map_err(error)?;
    let root = Value::Table(doc.clone());
    let mut w = Walker { out: Vec::new() };
    let leaf = match w.walk_fields(&segs, TOP, Some(&root), &FieldPath::root(), None) {
        Ok(l) => l,
        Err(Unknown(m) | NotApplicable(m)) => return Err(error(m)),
    };
    let base = w
        .out
        .iter()
        .map(|(loc, _)| get(&root, loc).and_then(as_number))
        .collect();
    let defaults = w
        .out
        .iter()
        .map(|(loc, field)| field.and_then(|f| default_at(&root, loc, f)))
        .collect();
    Ok(Param {
        path: path.trim().to_string(),
        leaf,
        locations: w.out.into_iter().map(|(loc, _)| loc).collect(),
        base,
        defaults,
    })
}

/// The value at `loc`, if present.
fn get<'v>(root: &'v Value, loc: &FieldPath) -> Option<&'v Value> {
    let mut v = root;
    for s in &loc.0 {
        v = match s {
            Seg::Key(k) => v.as_table()?.get(k.as_str())?,
            Seg::Index(i) => v.as_array()?.get(*i)?,
        };
    }
    Some(v)
}

/// Writes `x` at every location of `param` in `doc` (creating missing
/// tables). Whole-number fields take whole numbers only.
pub fn set(doc: &mut Table, param: &Param, x: f64) -> Result<(), String> {
    let v = match param.leaf.kind {
        Kind::Float => {
            if !x.is_finite() {
                return Err(format!("`{}` = {x}: expected a finite number", param.path));
            }
            Value::Float(x)
        }
        Kind::Int => {
            if x.fract() != 0.0 || x.abs() > 9.0e15 {
                return Err(format!("`{}` takes whole numbers; {x} is not one", param.path));
            }
            Value::Integer(x as i64)
        }
    };
    let mut root = Value::Table(std::mem::take(doc));
    let result = param
        .locations
        .iter()
        .try_for_each(|loc| set_at(&mut root, loc, v.clone()));
    if let Value::Table(t) = root {
        *doc = t;
    }
    result
}

fn set_at(root: &mut Value, loc: &FieldPath, v: Value) -> Result<(), String> {
    let internal = || format!("internal: cannot write `{loc}` into the scenario document");
    let mut cur = root;
    for (i, s) in loc.0.iter().enumerate() {
        let last = i + 1 == loc.0.len();
        cur = match s {
            Seg::Key(k) => {
                let t = cur.as_table_mut().ok_or_else(internal)?;
                if last {
                    t.insert(k.clone(), v);
                    return Ok(());
                }
                t.entry(k.clone()).or_insert_with(|| Value::Table(Table::new()))
            }
            Seg::Index(n) => cur.as_array_mut().and_then(|a| a.get_mut(*n)).ok_or_else(internal)?,
        };
    }
    Err(internal())
}

/// Every numeric field set in the file that applies (run settings left out
/// unless `settings`), as single-location parameters named by path.
pub fn enumerate(doc: &Table, settings: bool) -> Vec<Param> {
    let root = Value::Table(doc.clone());
    let mut paths = Vec::new();
    collect(TOP, &root, String::new(), &mut paths);
    paths
        .into_iter()
        .filter_map(|p| resolve(&p, doc).ok())
        .filter(|p| settings || p.leaf.assumption)
        .filter(|p| p.base.iter().all(Option::is_some))
        .collect()
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn collect(fields: &'static [(&'static str, Node)], here: &Value, prefix: String, out: &mut Vec<String>) {
    let Some(t) = here.as_table() else { return };
    for (key, node) in fields {
        if let Some(v) = t.get(*key) {
            collect_node(node, v, join(&prefix, key), out);
        }
    }
}

fn collect_node(node: &'static Node, v: &Value, path: String, out: &mut Vec<String>) {
    match node {
        Node::Leaf(_) => {
            if as_number(v).is_some() {
                out.push(path);
            }
        }
        Node::Table(fields) => collect(fields, v, path, out),
        Node::When(_, inner) => collect_node(inner, v, path, out),
        Node::Map(_, keys, child) => {
            if let Some(t) = v.as_table() {
                for (k, cv) in t {
                    if keys.contains(&k.as_str()) {
                        collect_node(child, cv, join(&path, k), out);
                    }
                }
            }
        }
        Node::Keyed(_, child) => {
            if let Some(t) = v.as_table() {
                for (k, cv) in t {
                    collect_node(child, cv, join(&path, &quote_name(k, &[])), out);
                }
            }
        }
        Node::Dist(_) => {
            if let Some(t) = v.as_table() {
                let dist = t.get("dist").and_then(Value::as_str).unwrap_or("");
                for p in dist_params(dist) {
                    if t.get(*p).and_then(as_number).is_some() {
                        out.push(join(&path, p));
                    }
                }
            }
        }
        Node::List(fields) => {
            if let Some(a) = v.as_array() {
                for (i, el) in a.iter().enumerate() {
                    collect(fields, el, format!("{path}[{i}]"), out);
                }
            }
        }
        Node::Named(fields) => {
            if let Some(a) = v.as_array() {
                let field_names: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
                for el in a {
                    let name = el.get("name").and_then(Value::as_str).unwrap_or("");
                    collect(fields, el, join(&path, &quote_name(name, &field_names)), out);
                }
            }
        }
        Node::Text | Node::Setting(_) => {}
    }
}

fn seg_text(s: &PathSeg) -> String {
    match s {
        PathSeg::Key(k) => k.clone(),
        PathSeg::Quoted(k) => format!("\"{k}\""),
        PathSeg::Index(i) => format!("[{i}]"),
        PathSeg::All => "[*]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::schema;

    const DOC: &str = r#"
name = "t"
horizon_weeks = 30
[[workstream]]
name = "annotation"
skill = "domain_expert"
backlog = 100
effort_hours = { dist = "lognormal", mean = 4.0, cv = 0.5 }
surge = [{ from_week = 2, to_week = 4, factor = 3.0 }]
[[workstream]]
name = "prep"
skill = "data_quality"
backlog = 10
effort_hours = { dist = "fixed", value = 2.0 }
questions_per_item = 0.2
[seniors]
count = 2
[channels.freelancer]
rate = 60.0
[[strategy]]
name = "individual"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 3 }, { role = "data_quality", channel = "employee", count = 1 }]
[[strategy]]
name = "pods"
structure = "pods"
pods = { count = 1, pod_size = 4 }
scaling = { policy = "elastic_bench", bench_max = 3 }
team = [{ role = "domain_expert", channel = "pod", count = 3 }, { role = "data_quality", channel = "pod", count = 1 }]
[[strategy]]
name = "pods + bench"
structure = "pods"
team = [{ role = "domain_expert", channel = "pod", count = 3 }, { role = "data_quality", channel = "pod", count = 1 }]
"#;

    fn doc() -> Table {
        DOC.parse().unwrap()
    }
    fn locs(p: &str) -> Vec<String> {
        resolve(p, &doc())
            .unwrap_or_else(|e| panic!("{e}"))
            .locations
            .iter()
            .map(ToString::to_string)
            .collect()
    }
    fn error(p: &str) -> String {
        resolve(p, &doc()).expect_err(p).to_string()
    }

    /// Every pattern the tree reaches, with its schema field.
    fn tree_patterns(fields: &'static [(&'static str, Node)], prefix: &str, out: &mut Vec<(String, &'static Field)>) {
        for (key, node) in fields {
            tree_node(node, &join(prefix, key), out);
        }
    }
    fn tree_node(node: &'static Node, path: &str, out: &mut Vec<(String, &'static Field)>) {
        match node {
            Node::Leaf(f) | Node::Dist(f) => out.push((path.to_string(), f)),
            Node::Table(fields) => tree_patterns(fields, path, out),
            Node::Named(fields) => tree_patterns(fields, &join(path, "*"), out),
            Node::List(fields) => tree_patterns(fields, &format!("{path}[*]"), out),
            Node::Map(_, _, child) | Node::Keyed(_, child) => tree_node(child, &join(path, "*"), out),
            Node::When(_, inner) => tree_node(inner, path, out),
            Node::Text | Node::Setting(_) => {}
        }
    }

    #[test]
    fn the_tree_and_the_schema_name_the_same_fields() {
        let mut found = Vec::new();
        tree_patterns(TOP, "", &mut found);
        for (pattern, field) in &found {
            assert_eq!(pattern, field.path, "the tree puts `{}` at `{pattern}`", field.path);
        }
        for f in schema::FIELDS {
            let swept = matches!(f.ty, Type::Number | Type::Whole | Type::Dist) && f.assumption
                || matches!(f.path, "horizon_weeks" | "warmup_weeks");
            assert_eq!(
                swept,
                found.iter().any(|(p, _)| p == f.path),
                "`{}`: numeric fields are in the tree, others are not",
                f.path
            );
        }
    }

    #[test]
    fn defaulted_fields_resolve_with_their_defaults() {
        let d = doc();
        let p = resolve("channels.freelancer.attrition_per_year", &d).unwrap();
        assert_eq!(p.base, vec![None]);
        let a = p.defaults[0].unwrap();
        assert_eq!(a, 0.4);
        // Tenure is attrition stated the other way round.
        let t = resolve("channels.freelancer.mean_tenure_weeks", &d).unwrap().defaults[0].unwrap();
        assert!((t - 52.0 / -(0.6f64).ln()).abs() < 1e-12, "{t}");
        assert_eq!(
            resolve("channels.employee.attrition_per_year", &d).unwrap().defaults,
            vec![Some(0.132)]
        );
        assert_eq!(resolve("overhead.cap", &d).unwrap().effective(), vec![Some(0.8)]);
        // The file's `rate` is the default of each role's rate.
        assert_eq!(
            resolve("channels.freelancer.rates.ops", &d).unwrap().defaults,
            vec![Some(60.0)]
        );
        assert_eq!(
            resolve("channels.pod.rates.ops", &d).unwrap().defaults,
            vec![Some(45.0)]
        );
        assert_eq!(
            resolve("strategy.review_fraction", &d).unwrap().defaults,
            vec![Some(0.2), Some(0.3), Some(0.3)]
        );
        // ceil(4 contributors / pod_size 6) for the strategy without a pods table.
        assert_eq!(resolve("strategy[2].pods.count", &d).unwrap().defaults, vec![Some(1.0)]);
    }

    #[test]
    fn parses_keys_names_and_indexes() {
        use PathSeg::*;
        assert_eq!(
            parse(r#"strategy."pods + bench".pods.pod_size"#).unwrap(),
            vec![
                Key("strategy".into()),
                Quoted("pods + bench".into()),
                Key("pods".into()),
                Key("pod_size".into())
            ]
        );
        assert_eq!(
            parse("strategy[1].team[*].count").unwrap(),
            vec![
                Key("strategy".into()),
                Index(1),
                Key("team".into()),
                All,
                Key("count".into())
            ]
        );
        assert_eq!(parse(r#""a \"b\"""#).unwrap(), vec![Quoted("a \"b\"".into())]);
        for bad in ["", "a.", "a..b", "a[x]", "a[1", "\"open", "a b", "a.+b"] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn resolves_top_level_tables_and_channels() {
        assert_eq!(locs("overhead.coefficient"), ["overhead.coefficient"]);
        assert_eq!(locs("seniors.count"), ["seniors.count"]);
        assert_eq!(
            locs("channels.freelancer.mean_tenure_weeks"),
            ["channels.freelancer.mean_tenure_weeks"]
        );
        assert_eq!(locs("channels.pod.rates.pod_lead"), ["channels.pod.rates.pod_lead"]);
        let p = resolve("seniors.count", &doc()).unwrap();
        assert_eq!(p.leaf.kind, Kind::Int);
        assert_eq!(p.base, vec![Some(2.0)]);
        assert_eq!(resolve("overhead.cap", &doc()).unwrap().base, vec![None]);
    }

    #[test]
    fn names_indexes_and_all_entries() {
        assert_eq!(
            locs("workstream.annotation.questions_per_item"),
            ["workstream[0].questions_per_item"]
        );
        assert_eq!(
            locs("workstream.questions_per_item"),
            ["workstream[0].questions_per_item", "workstream[1].questions_per_item"]
        );
        assert_eq!(locs("strategy[1].pods.pod_size"), ["strategy[1].pods.pod_size"]);
        assert_eq!(
            locs(r#"strategy."pods + bench".pods.pod_size"#),
            ["strategy[2].pods.pod_size"]
        );
        // "pods" is a strategy's name and a field: the path decides.
        assert_eq!(
            locs("strategy.pods.pod_size"),
            ["strategy[1].pods.pod_size", "strategy[2].pods.pod_size"]
        );
        assert_eq!(locs("strategy.pods.pods.pod_size"), ["strategy[1].pods.pod_size"]);
        assert_eq!(
            locs("strategy[*].pods.count"),
            ["strategy[1].pods.count", "strategy[2].pods.count"]
        );
        assert_eq!(
            locs("strategy.team[0].count"),
            [
                "strategy[0].team[0].count",
                "strategy[1].team[0].count",
                "strategy[2].team[0].count"
            ]
        );
        assert_eq!(
            locs("workstream.annotation.surge[0].factor"),
            ["workstream[0].surge[0].factor"]
        );
        assert_eq!(locs("strategy.scaling.bench_max"), ["strategy[1].scaling.bench_max"]);
    }

    #[test]
    fn distributions_by_their_parameters() {
        assert_eq!(
            locs("workstream.effort_hours.mean"),
            ["workstream[0].effort_hours.mean"]
        );
        assert_eq!(
            locs("workstream.prep.effort_hours.value"),
            ["workstream[1].effort_hours.value"]
        );
        assert!(error("workstream.prep.effort_hours.mean").contains("fixed, whose parameters are value"));
        assert!(error("seniors.handling_minutes.mean").contains("not set in the scenario file"));
        assert!(error("workstream.annotation.effort_hours.meen").contains("did you mean `mean`"));
    }

    #[test]
    fn unknown_paths_suggest_names() {
        assert!(
            error("overhead.coeficient").contains("did you mean `coefficient`"),
            "{}",
            error("overhead.coeficient")
        );
        assert!(error("strategy.pods.pod_sise").contains("did you mean `pod_size`"));
        assert!(error("workstream.anotation.backlog").contains("did you mean `annotation`"));
        assert!(error("strategy.\"pods+bench\".pods.count").contains("did you mean `pods + bench`"));
        assert!(error("channels.freelance.rate").contains("did you mean `freelancer`"));
        assert!(error("overheads.cap").contains("did you mean `overhead`"));
        assert!(error("seed").contains("--seed"));
        assert!(error("name").contains("not a numeric field"));
        assert!(error("strategy[7].review_fraction").contains("no [7]"));
        assert!(error("workstream.annotation.surge.factor").contains("surge[0]"));
        assert!(error("overhead").contains("coefficient, cap"));
    }

    #[test]
    fn fields_that_do_not_apply_are_errors_for_named_entries() {
        let e = error("strategy.individual.pods.pod_size");
        assert!(e.contains("structure = \"pods\""), "{e}");
        let e = error("strategy.individual.office_hours_every");
        assert!(e.contains("office_hours"), "{e}");
        let e = error("strategy.individual.scaling.bench_max");
        assert!(e.contains("elastic_bench"), "{e}");
        let e = error("workstream.prep.surge[0].factor");
        assert!(e.contains("no [0]"), "{e}");
        let e = error("strategy.office_hours_every");
        assert!(e.contains("applies to no strategy"), "{e}");
    }

    #[test]
    fn a_name_that_is_also_a_field_is_read_by_the_rest_of_the_path() {
        // A strategy named like a field, with a path valid both ways.
        let text = DOC.replace("name = \"pods + bench\"", "name = \"review_hours\"");
        let d: Table = text.parse().unwrap();
        assert!(resolve("strategy.review_hours.review_hours", &d).is_ok());
        let e = resolve("strategy.review_hours", &d).map(|p| p.locations.len());
        assert_eq!(e, Ok(3), "a bare field applies to every strategy");
    }

    #[test]
    fn set_writes_every_location_and_creates_tables() {
        let mut d = doc();
        let p = resolve("strategy.pods.pod_size", &d).unwrap();
        set(&mut d, &p, 3.0).unwrap();
        assert_eq!(d["strategy"][1]["pods"]["pod_size"].as_integer(), Some(3));
        assert_eq!(d["strategy"][2]["pods"]["pod_size"].as_integer(), Some(3));
        assert!(set(&mut d, &p, 2.5).unwrap_err().contains("whole numbers"));
        let c = resolve("overhead.coefficient", &d).unwrap();
        set(&mut d, &c, 0.001).unwrap();
        assert_eq!(d["overhead"]["coefficient"].as_float(), Some(0.001));
        let r = resolve("channels.bench.rates.ops", &d).unwrap();
        set(&mut d, &r, 50.0).unwrap();
        assert_eq!(d["channels"]["bench"]["rates"]["ops"].as_float(), Some(50.0));
    }

    #[test]
    fn enumerates_numbers_present_in_the_file() {
        let ps: Vec<String> = enumerate(&doc(), false).into_iter().map(|p| p.path).collect();
        for want in [
            "workstream.annotation.backlog",
            "workstream.annotation.effort_hours.mean",
            "workstream.annotation.surge[0].factor",
            "workstream.prep.effort_hours.value",
            "seniors.count",
            "channels.freelancer.rate",
            "strategy.\"pods\".pods.pod_size",
            "strategy.\"pods\".scaling.bench_max",
            "strategy.\"pods + bench\".team[1].count",
        ] {
            assert!(ps.contains(&want.to_string()), "missing {want} in {ps:?}");
        }
        assert!(!ps.contains(&"horizon_weeks".to_string()), "run settings are left out");
        assert!(enumerate(&doc(), true).iter().any(|p| p.path == "horizon_weeks"));
        for p in enumerate(&doc(), true) {
            assert_eq!(p.locations.len(), 1, "{}", p.path);
            assert!(p.base[0].is_some());
        }
    }

    #[test]
    fn clamps_into_valid_ranges() {
        let p = resolve("workstream.annotation.defect_rate", &doc()).unwrap();
        assert_eq!(p.leaf.clamp(1.2, 30.0), 1.0);
        let c = resolve("seniors.count", &doc()).unwrap();
        assert_eq!(c.leaf.clamp(2.4, 30.0), 2.0);
        assert_eq!(c.leaf.clamp(-1.0, 30.0), 0.0);
        let d = resolve("workstream.annotation.deadline_weeks", &doc()).unwrap();
        assert_eq!(d.leaf.clamp(45.0, 30.0), 30.0);
    }
}
