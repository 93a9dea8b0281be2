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

use crate::scenario::schema::{self, Field, Type};
use crate::scenario::spans::{closest, Seg};
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

/// Where the schema's fields may be used: conditions on the entry (strategy).
#[derive(Clone, Copy, Debug)]
enum Cond {
    /// `structure` equals this.
    Structure(&'static str),
    /// `interrupt_policy` equals this (default "immediate").
    Interrupt(&'static str),
    /// `scaling.policy` is one of these (default "static").
    Policy(&'static [&'static str]),
    /// A contract's `pricing` equals this (default "time_and_materials").
    Pricing(&'static str),
}

impl Cond {
    /// None when the condition holds for `entry`, else why not.
    fn unmet(&self, entry: Option<&Table>, field: &str) -> Option<String> {
        let get = |k: &str| entry.and_then(|t| t.get(k)).and_then(Value::as_str);
        match *self {
            Cond::Structure(want) => {
                let got = get("structure").unwrap_or("");
                (got != want).then(|| format!("its structure is \"{got}\"; `{field}` needs structure = \"{want}\""))
            }
            Cond::Interrupt(want) => {
                let got = get("interrupt_policy").unwrap_or("immediate");
                (got != want).then(|| {
                    format!("its interrupt_policy is \"{got}\"; `{field}` needs interrupt_policy = \"{want}\"")
                })
            }
            Cond::Pricing(want) => {
                let got = get("pricing").unwrap_or("time_and_materials");
                (got != want).then(|| format!("its pricing is \"{got}\"; `{field}` needs pricing = \"{want}\""))
            }
            Cond::Policy(want) => {
                let got = entry
                    .and_then(|t| t.get("scaling"))
                    .and_then(Value::as_table)
                    .and_then(|t| t.get("policy"))
                    .and_then(Value::as_str)
                    .unwrap_or("static");
                (!want.contains(&got)).then(|| {
                    format!(
                        "its scaling policy is \"{got}\"; `{field}` is used by policy {}",
                        want.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" or ")
                    )
                })
            }
        }
    }
}

/// The schema of a scenario file, as far as sweeps are concerned.
#[derive(Debug)]
enum Node {
    Leaf(&'static Field),
    /// A table with fixed fields.
    Table(&'static [(&'static str, Node)]),
    /// A table whose keys come from a fixed set (channels, roles).
    Map(&'static str, &'static [&'static str], &'static Node),
    /// A table whose keys are names the file chooses: `[contract.<name>]`,
    /// a per-item price by workstream. Only keys present in the file.
    Keyed(&'static str, &'static Node),
    /// An array of tables with unique `name`s: `[[workstream]]`, `[[strategy]]`.
    Named(&'static [(&'static str, Node)]),
    /// An array of tables addressed by index: `surge`, `after`, `team`, `plan`.
    List(&'static [(&'static str, Node)]),
    /// A distribution table, tagged by `dist`. The field is read by the
    /// test that checks this tree against the schema.
    #[cfg_attr(not(test), allow(dead_code))]
    Dist(&'static Field),
    /// A field used only when a condition on its entry holds.
    When(Cond, &'static Node),
    /// A string field: not swept.
    Text,
    /// A run setting that has a command-line option instead.
    Setting(&'static str),
}

use schema::*;

/// A leaf of the tree: the schema field at this place.
const fn f(field: &'static Field) -> Node {
    Node::Leaf(field)
}

// The shape of a scenario file: which tables nest where, and where a field
// applies. Types, ranges and defaults are the schema's (`scenario::schema`);
// a test checks that this tree and the schema name the same fields.
const TOP: &[(&str, Node)] = &[
    ("name", Node::Text),
    ("description", Node::Text),
    ("seed", Node::Setting("`seed` is a run setting: use --seed")),
    (
        "replications",
        Node::Setting("`replications` is a run setting: use --reps"),
    ),
    ("horizon_weeks", f(&HORIZON_WEEKS)),
    ("warmup_weeks", f(&WARMUP_WEEKS)),
    ("deadline_weeks", f(&DEADLINE_WEEKS)),
    ("start_date", Node::Text),
    ("workstream", Node::Named(WORKSTREAM)),
    ("seniors", Node::Table(SENIORS)),
    ("overhead", Node::Table(OVERHEAD)),
    ("quality", Node::Table(QUALITY)),
    ("channels", Node::Map("channel", &CHANNELS, &Node::Table(CHANNEL))),
    ("strategy", Node::Named(STRATEGY)),
    (
        "optimise",
        Node::Setting("`optimise` holds the optimiser's settings, not scenario parameters"),
    ),
    (
        "uncertainty",
        Node::Setting("`uncertainty` declares ranges of other fields; it is not a parameter itself"),
    ),
    (
        "decision",
        Node::Setting("`decision` holds what outcomes are worth, not model parameters"),
    ),
    ("contract", Node::Keyed("contract", &Node::Table(CONTRACT))),
];

const WORKSTREAM: &[(&str, Node)] = &[
    ("name", Node::Text),
    ("skill", Node::Text),
    ("backlog", f(&WS_BACKLOG)),
    ("arrivals_per_week", f(&WS_ARRIVALS)),
    ("surge", Node::List(SURGE)),
    (
        "arrivals_at_weeks",
        Node::Setting("`arrivals_at_weeks` is a schedule of arrival times, not one value to vary"),
    ),
    ("effort_hours", Node::Dist(&WS_EFFORT)),
    ("after", Node::List(GATE)),
    ("defect_rate", f(&WS_DEFECT_RATE)),
    ("questions_per_item", f(&WS_QUESTIONS)),
    ("interdependence", f(&WS_INTERDEPENDENCE)),
    ("deadline_weeks", f(&WS_DEADLINE)),
];
const SURGE: &[(&str, Node)] = &[
    ("from_week", f(&WS_SURGE_FROM)),
    ("to_week", f(&WS_SURGE_TO)),
    ("factor", f(&WS_SURGE_FACTOR)),
];
const GATE: &[(&str, Node)] = &[("stream", Node::Text), ("fraction", f(&WS_AFTER_FRACTION))];
const SENIORS: &[(&str, Node)] = &[
    ("count", f(&SENIORS_COUNT)),
    ("rate", f(&SENIORS_RATE)),
    ("resume_minutes", f(&SENIORS_RESUME)),
    ("focus_block_minutes", f(&SENIORS_FOCUS_BLOCK)),
    ("handling_minutes", Node::Dist(&SENIORS_HANDLING)),
];
const OVERHEAD: &[(&str, Node)] = &[
    ("coefficient", f(&OVERHEAD_COEFFICIENT)),
    ("cap", f(&OVERHEAD_CAP)),
    ("coordination_hours_per_report_week", f(&OVERHEAD_HUB_HOURS)),
];
const QUALITY: &[(&str, Node)] = &[
    ("detect_prob", f(&QUALITY_DETECT)),
    ("rework_fraction", f(&QUALITY_REWORK)),
    ("escape_delay_weeks", f(&QUALITY_ESCAPE_DELAY)),
    ("triage_hours", f(&QUALITY_TRIAGE)),
    ("cost_per_escaped_defect", f(&QUALITY_ESCAPE_COST)),
];
const CHANNEL: &[(&str, Node)] = &[
    ("rate", f(&CH_RATE)),
    ("rates", Node::Map("role", &RATE_ROLES, &f(&CH_RATES))),
    ("lead_days", f(&CH_LEAD_DAYS)),
    ("ramp_start", f(&CH_RAMP_START)),
    ("ramp_days", f(&CH_RAMP_DAYS)),
    ("mentor_fte", f(&CH_MENTOR_FTE)),
    ("attrition_per_year", f(&CH_ATTRITION)),
    ("mean_tenure_weeks", f(&CH_TENURE)),
    ("handover_loss", f(&CH_HANDOVER)),
    ("quality_factor", f(&CH_QUALITY)),
    ("productivity", f(&CH_PRODUCTIVITY)),
    ("hire_cost", f(&CH_HIRE_COST)),
    ("setup_weeks", f(&CH_SETUP_WEEKS)),
];
const STRATEGY: &[(&str, Node)] = &[
    ("name", Node::Text),
    ("structure", Node::Text),
    ("interrupt_policy", Node::Text),
    (
        "office_hours_every",
        Node::When(Cond::Interrupt("office_hours"), &f(&ST_OFFICE_HOURS)),
    ),
    ("review_fraction", f(&ST_REVIEW_FRACTION)),
    ("review_hours", f(&ST_REVIEW_HOURS)),
    ("ops_requests_per_contributor_week", f(&ST_OPS_RATE)),
    ("ops_request_hours", f(&ST_OPS_HOURS)),
    ("start", Node::Text),
    ("pods", Node::When(Cond::Structure("pods"), &Node::Table(PODS))),
    ("scaling", Node::Table(SCALING)),
    ("team", Node::List(TEAM)),
    ("plan", Node::List(PLAN)),
];
const PODS: &[(&str, Node)] = &[
    ("count", f(&PODS_COUNT)),
    ("pod_size", f(&PODS_SIZE)),
    ("max_size", f(&PODS_MAX_SIZE)),
    ("lead_resolves", f(&PODS_LEAD_RESOLVES)),
    ("escalation_every_hours", f(&PODS_ESCALATION)),
    ("governance_hours_per_week", f(&PODS_GOVERNANCE)),
    ("senior_sync_hours_per_week", f(&PODS_SENIOR_SYNC)),
    ("pod_margin", f(&PODS_MARGIN)),
    ("lead_channel", Node::Text),
];
const CONTROLLED: Cond = Cond::Policy(&["hiring", "elastic_bench"]);
const BENCH: Cond = Cond::Policy(&["elastic_bench"]);
const HIRING: Cond = Cond::Policy(&["hiring"]);
const SCALING: &[(&str, Node)] = &[
    ("policy", Node::Text),
    ("review_every_weeks", Node::When(CONTROLLED, &f(&SC_REVIEW_EVERY))),
    ("bench_max", Node::When(BENCH, &f(&SC_BENCH_MAX))),
    ("bench_premium", Node::When(BENCH, &f(&SC_BENCH_PREMIUM))),
    ("release_below", Node::When(BENCH, &f(&SC_RELEASE_BELOW))),
    ("cooldown_weeks", Node::When(BENCH, &f(&SC_COOLDOWN))),
    ("min_weeks", Node::When(BENCH, &f(&SC_MIN_WEEKS))),
    ("hire_channel", Node::Text),
    ("max_hires", Node::When(HIRING, &f(&SC_MAX_HIRES))),
    ("queue_target_weeks", Node::When(CONTROLLED, &f(&SC_QUEUE_WEEKS))),
    ("damping", Node::When(CONTROLLED, &f(&SC_DAMPING))),
];
const PER_ITEM: Cond = Cond::Pricing("per_item");
const FIXED: Cond = Cond::Pricing("fixed");
const HOURLY: Cond = Cond::Pricing("time_and_materials");
// `[contract.<name>]` (docs/CONTRACTS.md); each term where its pricing uses it.
const CONTRACT: &[(&str, Node)] = &[
    ("channel", Node::Text),
    ("pricing", Node::Text),
    ("internal_rates", Node::Map("role", &RATE_ROLES, &f(&CT_INTERNAL_RATES))),
    (
        "price_per_item",
        Node::When(PER_ITEM, &Node::Keyed("priced workstream", &f(&CT_PRICE_PER_ITEM))),
    ),
    ("clawback_per_escape", Node::When(PER_ITEM, &f(&CT_CLAWBACK))),
    ("fixed_price", Node::When(FIXED, &f(&CT_FIXED_PRICE))),
    ("scope", Node::Text),
    ("scope_items", Node::When(FIXED, &f(&CT_SCOPE_ITEMS))),
    ("milestones", Node::When(FIXED, &Node::List(MILESTONE))),
    ("credit_per_week_late", Node::When(FIXED, &f(&CT_CREDIT_LATE))),
    ("quality_max_escaped_per_1000", Node::When(FIXED, &f(&CT_QUALITY_MAX))),
    ("quality_credit", Node::When(FIXED, &f(&CT_QUALITY_CREDIT))),
    ("change_order_per_item", Node::When(FIXED, &f(&CT_CHANGE_ORDER))),
    ("min_commit_weeks", Node::When(HOURLY, &f(&CT_MIN_WEEKS))),
    ("min_commit_spend", f(&CT_MIN_SPEND)),
    ("notice_weeks", Node::When(HOURLY, &f(&CT_NOTICE))),
    ("onboarding_per_person", f(&CT_ONBOARD_PERSON)),
    ("onboarding_per_pod", f(&CT_ONBOARD_POD)),
];
const MILESTONE: &[(&str, Node)] = &[
    (
        "week",
        Node::Setting("a milestone's week is part of the contract's schedule, not a number to vary"),
    ),
    ("items", f(&CT_MILESTONE_ITEMS)),
    ("workstreams", Node::Text),
];
const TEAM: &[(&str, Node)] = &[
    ("role", Node::Text),
    ("channel", Node::Text),
    ("count", f(&ST_TEAM_COUNT)),
];
const PLAN: &[(&str, Node)] = &[
    ("week", f(&ST_PLAN_WEEK)),
    ("role", Node::Text),
    ("channel", Node::Text),
    ("count", f(&ST_PLAN_COUNT)),
];

const DIST_PARAM_NAMES: &[&str] = &["value", "mean", "cv", "min", "mode", "max"];

/// Parameters of each distribution (docs/SCENARIO.md).
fn dist_params(dist: &str) -> &'static [&'static str] {
    match dist {
        "fixed" => &["value"],
        "exponential" => &["mean"],
        "lognormal" | "gamma" => &["mean", "cv"],
        "triangular" => &["min", "mode", "max"],
        "uniform" => &["min", "max"],
        _ => &[],
    }
}

fn dist_leaf(param: &str) -> Leaf {
    let field = DIST_PARAMS
        .iter()
        .find(|p| p.path == param)
        .expect("distribution parameters are in the schema");
    Leaf::of(field)
}

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

/// The default of `field` at `loc` in the document `root`, where it is one
/// number: fixed defaults, a channel's, a channel's rate for a role (after
/// the file's `rate`), a strategy's by structure, and the pod count rule.
fn default_at(root: &Value, loc: &FieldPath, field: &Field) -> Option<f64> {
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

enum ResolveError {
    /// The path is wrong whatever the entry: unknown field, bad syntax.
    Unknown(String),
    /// The field exists but does not apply to this entry.
    NotApplicable(String),
}
use ResolveError::{NotApplicable, Unknown};

type Walk = Result<Leaf, ResolveError>;

fn numeric_fields(fields: &[(&'static str, Node)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|(_, n)| !matches!(n, Node::Text | Node::Setting(_)))
        .map(|(k, _)| *k)
        .collect()
}

fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

struct Walker {
    /// Locations found, with the schema field there (None for a
    /// distribution's parameter, which has no default of its own).
    out: Vec<(FieldPath, Option<&'static Field>)>,
}

impl Walker {
    fn walk<'a>(
        &mut self,
        segs: &[PathSeg],
        node: &'static Node,
        here: Option<&'a Value>,
        loc: &FieldPath,
        entry: Option<&'a Table>,
    ) -> Walk {
        let at = if loc.0.is_empty() {
            "the scenario".to_string()
        } else {
            format!("`{loc}`")
        };
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

    fn walk_fields<'a>(
        &mut self,
        segs: &[PathSeg],
        fields: &'static [(&'static str, Node)],
        here: Option<&'a Value>,
        loc: &FieldPath,
        entry: Option<&'a Table>,
    ) -> Walk {
        let at = if loc.0.is_empty() {
            "the scenario".to_string()
        } else {
            format!("`{loc}`")
        };
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
    fn each<'a>(
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

    fn walk_named<'a>(
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

/// "strategy[1] (\"pods\")" for messages.
fn describe_entry(loc: &FieldPath, i: usize, el: &Value) -> String {
    match el.get("name").and_then(Value::as_str) {
        Some(n) => format!("{} \"{n}\"", loc),
        None => loc.index(i).to_string(),
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
