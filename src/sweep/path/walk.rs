//! Resolving a path against a scenario document: walking the shape tree
//! (`tree`) and the TOML together, with defaults for fields the file leaves
//! out and did-you-mean suggestions for names it does not have.

use super::tree::{dist_leaf, dist_params, Node, DIST_PARAM_NAMES};
use super::{get, seg_text, Leaf, PathSeg};
use crate::scenario::schema::{self, Field};
use crate::scenario::spans::{closest, Seg};
use crate::scenario::validate::FieldPath;
use toml::{Table, Value};

/// The default of `field` at `loc` in the document `root`, where it is one
/// number: fixed defaults, a channel's, a channel's rate for a role (after
/// the file's `rate`), a strategy's by structure, and the pod count rule.
pub(super) fn default_at(root: &Value, loc: &FieldPath, field: &Field) -> Option<f64> {
    use schema::Default as D;
    let key = |i: usize| match loc.0.get(i) {
        Some(Seg::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    let channel = || key(1).and_then(|c| schema::CHANNELS.iter().position(|x| *x == c));
    // The entry (strategy or workstream) a location is in.
    let entry = || get(root, &FieldPath(loc.0[..2.min(loc.0.len())].to_vec()));
    match field.default {
        D::Num(x) => Some(x),
        D::PerChannel(v) => {
            let c = channel()?;
            match (v[c], field.path) {
                (Some(x), _) => Some(x),
                // The same attrition stated the other way round, so that
                // attrition and tenure both have a value for every channel.
                (None, "channels.*.attrition_per_year") => {
                    let t = schema::CH_TENURE.channel_default(c)?;
                    Some(1.0 - (-52.0 / t).exp())
                }
                (None, "channels.*.mean_tenure_weeks") => {
                    let a = schema::CH_ATTRITION.channel_default(c)?;
                    (a > 0.0).then(|| 52.0 / -(1.0 - a).ln())
                }
                _ => None,
            }
        }
        D::Rates => {
            let c = channel()?;
            let role = schema::RATE_ROLES.iter().position(|r| Some(*r) == key(3))?;
            let set_rate = get(root, &FieldPath::root().key("channels").key(key(1)?).key("rate")).and_then(as_number);
            Some(set_rate.unwrap_or(schema::CHANNEL_RATES[c][role]))
        }
        D::ByStructure { individual, pods } => match entry()?.get("structure").and_then(Value::as_str)? {
            "individual" => Some(individual),
            "pods" => Some(pods),
            _ => None,
        },
        D::Rule(_) if field.path == "strategy.*.pods.count" => {
            let e = entry()?;
            let people: f64 = e
                .get("team")
                .and_then(Value::as_array)?
                .iter()
                .filter_map(|t| t.get("count").and_then(as_number))
                .sum();
            let size = e
                .get("pods")
                .and_then(|p| p.get("pod_size"))
                .and_then(as_number)
                .unwrap_or(schema::PODS_SIZE.default_num());
            Some((people / size).ceil())
        }
        _ => None,
    }
}

pub(super) enum ResolveError {
    /// The path is wrong whatever the entry: unknown field, bad syntax.
    Unknown(String),
    /// The field exists but does not apply to this entry.
    NotApplicable(String),
}
use ResolveError::{NotApplicable, Unknown};

type Walk = Result<Leaf, ResolveError>;

pub(super) fn numeric_fields(fields: &[(&'static str, Node)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|(_, n)| !matches!(n, Node::Text | Node::Setting(_)))
        .map(|(k, _)| *k)
        .collect()
}

pub(super) fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

pub(super) fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

pub(super) struct Walker {
    /// Locations found, with the schema field there (None for a
    /// distribution's parameter, which has no default of its own).
    pub(super) out: Vec<(FieldPath, Option<&'static Field>)>,
}

impl Walker {
    pub(super) fn walk<'a>(
        &mut self,
        segs: &[PathSeg],
        node: &'static Node,
        here: Option<&'a Value>,
        loc: &FieldPath,
        entry: Option<&'a Table>,
    ) -> Walk {
        let at = place(loc);
        match node {
            Node::Leaf(l) => {
                if let Some(s) = segs.first() {
                    return Err(Unknown(format!(
                        "{at} is a number; it has nothing below it (found `{}`)",
                        seg_text(s)
                    )));
                }
                if let Some(v) = here {
                    if as_number(v).is_none() {
                        return Err(Unknown(format!("{at} is not a number in the file")));
                    }
                }
                self.out.push((loc.clone(), Some(*l)));
                Ok(Leaf::of(l))
            }
            Node::Text => Err(Unknown(format!(
                "{at} is not a numeric field; sweeps vary numbers (write one scenario per choice of text)"
            ))),
            Node::Setting(msg) => Err(Unknown((*msg).to_string())),
            Node::When(cond, inner) => {
                let field = loc.to_string();
                let field = field.rsplit('.').next().unwrap_or(&field).to_string();
                match cond.unmet(entry, &field) {
                    Some(why) => Err(NotApplicable(why)),
                    None => self.walk(segs, inner, here, loc, entry),
                }
            }
            Node::Table(fields) => self.walk_fields(segs, fields, here, loc, entry),
            Node::Map(what, keys, child) => {
                let key = match segs.first() {
                    Some(PathSeg::Key(k) | PathSeg::Quoted(k)) => k,
                    _ => return Err(Unknown(format!("{at} needs a {what}: one of {}", keys.join(", ")))),
                };
                if !keys.contains(&key.as_str()) {
                    return Err(Unknown(format!(
                        "unknown {what} `{key}` in {at}{}; expected one of: {}",
                        suggest(key, keys.iter().copied()),
                        keys.join(", ")
                    )));
                }
                let child_here = here.and_then(Value::as_table).and_then(|t| t.get(key.as_str()));
                self.walk(&segs[1..], child, child_here, &loc.key(key), entry)
            }
            Node::Dist(_) => {
                let param = match segs.first() {
                    Some(PathSeg::Key(k) | PathSeg::Quoted(k)) => k,
                    _ => {
                        return Err(Unknown(format!(
                            "{at} is a distribution; name a parameter: {}",
                            DIST_PARAM_NAMES.join(", ")
                        )))
                    }
                };
                if !DIST_PARAM_NAMES.contains(&param.as_str()) {
                    return Err(Unknown(format!(
                        "unknown distribution parameter `{param}` in {at}{}; expected one of: {}",
                        suggest(param, DIST_PARAM_NAMES.iter().copied()),
                        DIST_PARAM_NAMES.join(", ")
                    )));
                }
                if let Some(s) = segs.get(1) {
                    return Err(Unknown(format!(
                        "`{loc}.{param}` is a number; it has nothing below it (found `{}`)",
                        seg_text(s)
                    )));
                }
                let Some(t) = here.and_then(Value::as_table) else {
                    return Err(NotApplicable(format!(
                        "{at} is not set in the scenario file (its default applies); write it out to vary its parameters"
                    )));
                };
                let dist = t.get("dist").and_then(Value::as_str).unwrap_or("");
                let params = dist_params(dist);
                if !params.contains(&param.as_str()) {
                    return Err(NotApplicable(format!(
                        "{at} is {dist}, whose parameters are {}",
                        params.join(", ")
                    )));
                }
                if let Some(v) = t.get(param.as_str()) {
                    if as_number(v).is_none() {
                        return Err(Unknown(format!("`{loc}.{param}` is not a number in the file")));
                    }
                }
                self.out.push((loc.key(param), None));
                Ok(dist_leaf(param))
            }
            Node::List(fields) => {
                let elements = here.and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                match segs.first() {
                    Some(PathSeg::Index(i)) => {
                        let Some(el) = elements.get(*i) else {
                            return Err(NotApplicable(format!(
                                "{at} has {} element(s), so no [{i}]",
                                elements.len()
                            )));
                        };
                        self.walk_fields(&segs[1..], fields, Some(el), &loc.index(*i), entry)
                    }
                    Some(PathSeg::All) => {
                        let els: Vec<(usize, &'a Value)> = elements.iter().enumerate().collect();
                        self.each(&segs[1..], fields, &els, loc, |_| entry, &format!("element of {at}"))
                    }
                    _ => Err(Unknown(format!(
                        "{at} is a list: write `{loc}[0]` for its first element or `{loc}[*]` for all"
                    ))),
                }
            }
            Node::Named(fields) => self.walk_named(segs, fields, here, loc),
            Node::Keyed(what, child) => {
                let table = here.and_then(Value::as_table);
                let names: Vec<&str> = table
                    .map(|t| t.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let listed = || {
                    if names.is_empty() {
                        "the file has none".to_string()
                    } else {
                        format!("the file has: {}", names.join(", "))
                    }
                };
                let key = match segs.first() {
                    Some(PathSeg::Key(k) | PathSeg::Quoted(k)) => k,
                    _ => return Err(Unknown(format!("{at} needs a {what} name ({})", listed()))),
                };
                let Some(child_here) = table.and_then(|t| t.get(key.as_str())) else {
                    return Err(Unknown(format!(
                        "no {what} `{key}` in {at}{}; {}",
                        suggest(key, names.iter().copied()),
                        listed()
                    )));
                };
                // A named table is the entry its fields' conditions read.
                let entry = match child {
                    Node::Table(_) => child_here.as_table(),
                    _ => entry,
                };
                self.walk(&segs[1..], child, Some(child_here), &loc.key(key), entry)
            }
        }
    }

    pub(super) fn walk_fields<'a>(
        &mut self,
        segs: &[PathSeg],
        fields: &'static [(&'static str, Node)],
        here: Option<&'a Value>,
        loc: &FieldPath,
        entry: Option<&'a Table>,
    ) -> Walk {
        let at = place(loc);
        let Some(first) = segs.first() else {
            return Err(Unknown(format!(
                "{at} is a table; name one of its numeric fields: {}",
                numeric_fields(fields).join(", ")
            )));
        };
        let key = match first {
            PathSeg::Key(k) | PathSeg::Quoted(k) => k,
            _ => return Err(Unknown(format!("{at} is not a list; it takes no index"))),
        };
        let Some((_, child)) = fields.iter().find(|(n, _)| n == key) else {
            let names = numeric_fields(fields);
            return Err(Unknown(format!(
                "unknown field `{key}` in {at}{}; numeric fields here: {}",
                suggest(key, names.iter().copied()),
                names.join(", ")
            )));
        };
        let child_here = here.and_then(Value::as_table).and_then(|t| t.get(key.as_str()));
        self.walk(&segs[1..], child, child_here, &loc.key(key), entry)
    }

    /// Resolves `segs` in each of `els` (index, element); entries the field
    /// does not apply to are skipped, but at least one must take it.
    pub(super) fn each<'a>(
        &mut self,
        segs: &[PathSeg],
        fields: &'static [(&'static str, Node)],
        els: &[(usize, &'a Value)],
        loc: &FieldPath,
        entry_of: impl Fn(&'a Value) -> Option<&'a Table>,
        what: &str,
    ) -> Walk {
        let mut leaf = None;
        let mut reasons = Vec::new();
        for &(i, el) in els {
            match self.walk_fields(segs, fields, Some(el), &loc.index(i), entry_of(el)) {
                Ok(l) => leaf = Some(l),
                Err(Unknown(m)) => return Err(Unknown(m)),
                Err(NotApplicable(m)) => reasons.push(format!("{}: {m}", describe_entry(loc, i, el))),
            }
        }
        leaf.ok_or_else(|| {
            NotApplicable(format!(
                "it applies to no {what}{}{}",
                if reasons.is_empty() { "" } else { " (" },
                if reasons.is_empty() {
                    String::new()
                } else {
                    reasons.join("; ") + ")"
                }
            ))
        })
    }

    pub(super) fn walk_named<'a>(
        &mut self,
        segs: &[PathSeg],
        fields: &'static [(&'static str, Node)],
        here: Option<&'a Value>,
        loc: &FieldPath,
    ) -> Walk {
        let what = loc.to_string();
        let entries: Vec<&'a Value> = here
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let names: Vec<&'a str> = entries
            .iter()
            .map(|e| e.get("name").and_then(Value::as_str).unwrap_or(""))
            .collect();
        let all: Vec<(usize, &'a Value)> = entries.iter().copied().enumerate().collect();
        let one = |w: &mut Self, i: usize, rest: &[PathSeg]| {
            w.walk_fields(rest, fields, Some(entries[i]), &loc.index(i), entries[i].as_table())
        };
        let listed = || names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        match segs.first() {
            None => Err(Unknown(format!(
                "`{what}` needs a name (`{what}.NAME.field`), an index (`{what}[0].field`) or, for every {what}, a field (`{what}.field`)"
            ))),
            Some(PathSeg::Index(i)) => {
                if *i >= entries.len() {
                    return Err(Unknown(format!(
                        "there are {} {what} entries, so no [{i}] (indexes start at 0)",
                        entries.len()
                    )));
                }
                one(self, *i, &segs[1..]).map_err(|e| match e {
                    NotApplicable(m) => NotApplicable(format!("{}: {m}", describe_entry(loc, *i, entries[*i]))),
                    u => u,
                })
            }
            Some(PathSeg::All) => self.each(&segs[1..], fields, &all, loc, Value::as_table, &what),
            Some(PathSeg::Quoted(n)) => match names.iter().position(|x| x == n) {
                Some(i) => one(self, i, &segs[1..]).map_err(|e| match e {
                    NotApplicable(m) => NotApplicable(format!("{what} \"{n}\": {m}")),
                    u => u,
                }),
                None => Err(Unknown(format!(
                    "no {what} is named \"{n}\"{}; the {what} entries are {}",
                    suggest(n, names.iter().copied()),
                    listed()
                ))),
            },
            Some(PathSeg::Key(w)) => {
                let by_name = names.iter().position(|x| x == w);
                let is_field = fields.iter().any(|(f, _)| f == w);
                let as_name = |s: &mut Self| -> Walk {
                    let i = by_name.expect("checked");
                    one(s, i, &segs[1..]).map_err(|e| match e {
                        NotApplicable(m) => NotApplicable(format!("{what} \"{w}\": {m}")),
                        u => u,
                    })
                };
                match (by_name, is_field) {
                    (Some(_), false) => as_name(self),
                    (None, true) => self.each(segs, fields, &all, loc, Value::as_table, &what),
                    (None, false) => {
                        let fields_here = numeric_fields(fields);
                        let candidates = names.iter().copied().chain(fields_here.iter().copied());
                        Err(Unknown(format!(
                            "`{w}` is neither the name of a {what} nor a {what} field{}; the {what} entries are {}; numeric fields: {}",
                            suggest(w, candidates),
                            listed(),
                            fields_here.join(", ")
                        )))
                    }
                    (Some(_), true) => {
                        // The word is both an entry's name and a field: take
                        // the reading under which the rest of the path resolves.
                        let saved = self.out.len();
                        let by_name_result = as_name(self);
                        let name_out: Vec<_> = self.out.drain(saved..).collect();
                        let by_field_result = self.each(segs, fields, &all, loc, Value::as_table, &what);
                        match (by_name_result, by_field_result) {
                            (Ok(_), Ok(_)) => {
                                self.out.truncate(saved);
                                Err(Unknown(format!(
                                    "ambiguous: `{w}` is both a {what} name and a field; write `{what}.\"{w}\"...` for the {what} named \"{w}\", or `{what}[*].{w}...` for every {what}"
                                )))
                            }
                            (Ok(l), Err(_)) => {
                                self.out.truncate(saved);
                                self.out.extend(name_out);
                                Ok(l)
                            }
                            (Err(_), Ok(l)) => Ok(l),
                            (Err(Unknown(a) | NotApplicable(a)), Err(Unknown(b) | NotApplicable(b))) => {
                                Err(Unknown(format!(
                                    "read as the {what} named \"{w}\": {a}; read as a field of every {what}: {b}"
                                )))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a path stands, for messages: "the scenario" at the top, else the path.
fn place(loc: &FieldPath) -> String {
    if loc.0.is_empty() {
        "the scenario".to_string()
    } else {
        format!("`{loc}`")
    }
}

/// "strategy[1] (\"pods\")" for messages.
pub(super) fn describe_entry(loc: &FieldPath, i: usize, el: &Value) -> String {
    match el.get("name").and_then(Value::as_str) {
        Some(n) => format!("{} \"{n}\"", loc),
        None => loc.index(i).to_string(),
    }
}
