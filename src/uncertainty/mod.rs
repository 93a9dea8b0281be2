//! Uncertain inputs and decisions (MODEL.md §15, docs/UNCERTAINTY.md).
//!
//! `[uncertainty]` gives ranges to scenario fields, named by the same field
//! paths as `sweep --vary` ([`crate::sweep::path`]). Each replication of a
//! run samples one *world* (a Latin hypercube over the run's replications,
//! [`sample`]); the world is the scenario's TOML edited at those paths and
//! validated again, like a sweep point, and every strategy of that
//! replication runs on it with common random numbers ([`worlds`]).
//! [`analyse`] turns the worlds into answers: the probability that each
//! strategy is better, which inputs decide the winner and where it flips,
//! the value of information, and the decision value of `[decision]`.
//! No file I/O here: `cli::run` reads and writes, `output::uncertainty` words.

// Errors are the cold path and carry the context users need; their size is fine.
#![allow(clippy::result_large_err)]

pub mod analyse;
pub mod refine;
pub mod sample;
pub mod worlds;

use crate::scenario::raw::RawDecision;
use crate::scenario::spans::{self, FieldPath, Seg};
use crate::scenario::{schema, ScenarioError};
use crate::sweep::path::{self, Kind, Param};
use crate::sweep::Base;
pub use sample::Shape;
use toml::Value;

/// One uncertain input: a field path and its distribution.
#[derive(Clone, Debug)]
pub struct Input {
    pub param: Param,
    pub shape: Shape,
    /// What people read ("annotation questions per item").
    pub label: String,
    /// The schema's description of the field.
    pub doc: String,
}

impl Input {
    pub fn path(&self) -> &str {
        &self.param.path
    }

    /// The field's valid range for sampling (`horizon` bounds week fields).
    fn bounds(&self, horizon: f64) -> (f64, f64) {
        let l = &self.param.leaf;
        let hi = if l.within_horizon { l.hi.min(horizon) } else { l.hi };
        (l.lo, hi)
    }

    /// The value of this input at hypercube probability `u`: the shape's
    /// quantile inside the field's range; whole-number fields rounded; an
    /// open lower bound is never reached.
    pub fn value_at(&self, u: f64, horizon: f64) -> f64 {
        let (lo, hi) = self.bounds(horizon);
        let mut x = self.shape.quantile(u, lo, hi);
        if self.param.leaf.kind == Kind::Int {
            x = x.round().clamp(lo.ceil(), hi.floor());
            if self.param.leaf.lo_open && x <= lo {
                x = lo.floor() + 1.0;
            }
        } else if self.param.leaf.lo_open && x <= lo {
            x = lo + (self.shape.high() - lo) * 1e-9;
        }
        x
    }
}

/// What outcomes are worth (`[decision]`); absent ones count zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    pub cost_per_week_late: f64,
    pub cost_per_escaped_defect: f64,
    pub cost_per_person_with_access: f64,
    pub value_per_senior_focus_hour: f64,
}

/// One input as run.json records it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputRecord {
    pub path: String,
    pub label: String,
    pub doc: String,
    /// "normal", "lognormal", "triangular" or "uniform".
    pub dist: String,
    pub low: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<f64>,
    pub high: f64,
}

/// What run.json records of `[uncertainty]` and `[decision]`: enough for
/// `merge`, charts and reports to redo or read the analyses without the
/// scenario file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub inputs: Vec<InputRecord>,
    /// Degenerate ranges, applied as constants: (path, value).
    pub constants: Vec<(String, f64)>,
    pub basis: analyse::ValueBasis,
}

/// A scenario's `[uncertainty]` and `[decision]`, checked.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// Inputs with a spread, in file order: one column each in reps.csv.
    pub inputs: Vec<Input>,
    /// Degenerate ranges (low = high): constants, written into the base
    /// scenario as if the file said so.
    pub constants: Vec<(Param, f64)>,
    pub decision: Option<Decision>,
}

impl Spec {
    /// Whether runs sample worlds (some input has a spread).
    pub fn has_worlds(&self) -> bool {
        !self.inputs.is_empty()
    }

    /// The field paths of the sampled inputs, in order.
    pub fn paths(&self) -> Vec<String> {
        self.inputs.iter().map(|i| i.path().to_string()).collect()
    }

    /// The run.json record, with the model facts the decision value needs.
    pub fn record(&self, model: &crate::model::Model) -> Record {
        use crate::model::HOURS_PER_WEEK;
        let deadline_weeks = model.deadline_hours.map(|d| d / HOURS_PER_WEEK);
        Record {
            inputs: self
                .inputs
                .iter()
                .map(|i| InputRecord {
                    path: i.path().to_string(),
                    label: i.label.clone(),
                    doc: i.doc.clone(),
                    dist: i.shape.name().to_string(),
                    low: i.shape.low(),
                    mode: match i.shape {
                        Shape::Triangular { mode, .. } => Some(mode),
                        _ => None,
                    },
                    high: i.shape.high(),
                })
                .collect(),
            constants: self.constants.iter().map(|(p, x)| (p.path.clone(), *x)).collect(),
            basis: analyse::ValueBasis {
                decision: self.decision,
                deadline_weeks,
                seniors: model.seniors.count as f64,
                // Deep focus is valued over the deadline (the horizon without one).
                focus_weeks: deadline_weeks.unwrap_or(model.horizon_weeks()),
            },
        }
    }

    /// The world of replication `rep` of a run of `total` replications with
    /// `seed`: one value per input.
    pub fn world(&self, seed: u64, total: u64, rep: u64, horizon: f64) -> Vec<f64> {
        self.inputs
            .iter()
            .map(|i| i.value_at(sample::lhs_u(seed, total, sample::input_key(i.path()), rep), horizon))
            .collect()
    }
}

/// The base of a run and its spec: the scenario with degenerate ranges
/// written in (so such a run is the run of that file), and `[uncertainty]`.
pub fn load(loaded: &crate::scenario::LoadedScenario) -> Result<(Base, Spec), ScenarioError> {
    let base = Base::new(loaded)?;
    let spec = spec(&base)?;
    if spec.constants.is_empty() {
        return Ok((base, spec));
    }
    let settings: Vec<(&Param, f64)> = spec.constants.iter().map(|(p, x)| (p, *x)).collect();
    let base = base.with_settings(&settings)?;
    Ok((base, spec))
}

/// Reads `[uncertainty]` and `[decision]` of a scenario. Every path is
/// resolved like a sweep path (with "did you mean"); every bound must be a
/// valid value of its field (an error names the path and the bound, located
/// at its line); degenerate ranges become constants.
pub fn spec(base: &Base) -> Result<Spec, ScenarioError> {
    let mut out = Spec::default();
    let here = FieldPath::root().key("uncertainty");
    let error = |at: &FieldPath, field: String, message: String| {
        let (line, column) = spans::locate(&base.text, at)
            .map(|off| spans::line_col(&base.text, off))
            .unzip();
        ScenarioError {
            file: base.file.clone(),
            source_line: line.and_then(|l| base.text.lines().nth(l - 1).map(str::to_string)),
            line,
            column,
            field: Some(field),
            message,
            more: Vec::new(),
        }
    };
    if let Some(Value::Table(t)) = base.doc.get("decision") {
        let raw: RawDecision = Value::Table(t.clone()).try_into().map_err(|e: toml::de::Error| {
            error(
                &FieldPath::root().key("decision"),
                "decision".into(),
                spans::explain_serde_message(e.message()),
            )
        })?;
        let mut d = Decision::default();
        for (name, v, slot) in [
            ("cost_per_week_late", raw.cost_per_week_late, &mut d.cost_per_week_late),
            (
                "cost_per_escaped_defect",
                raw.cost_per_escaped_defect,
                &mut d.cost_per_escaped_defect,
            ),
            (
                "cost_per_person_with_access",
                raw.cost_per_person_with_access,
                &mut d.cost_per_person_with_access,
            ),
            (
                "value_per_senior_focus_hour",
                raw.value_per_senior_focus_hour,
                &mut d.value_per_senior_focus_hour,
            ),
        ] {
            let x = v.unwrap_or(0.0);
            if !(x.is_finite() && x >= 0.0) {
                let at = FieldPath::root().key("decision").key(name);
                return Err(error(
                    &at,
                    at.to_string(),
                    format!("expected an amount of money of 0 or more, got {x}"),
                ));
            }
            *slot = x;
        }
        out.decision = Some(d);
    }
    let Some(table) = base.doc.get("uncertainty") else {
        return Ok(out);
    };
    let Some(table) = table.as_table() else {
        return Err(error(
            &here,
            "uncertainty".into(),
            "expected a table of field paths, e.g. \"overhead.coefficient\" = { low = 0.0, high = 0.001 }".into(),
        ));
    };
    let horizon = base.horizon_weeks();
    for (key, v) in table {
        let at = here.key(key);
        let named = format!("uncertainty.\"{key}\"");
        let param = path::resolve(key, &base.doc).map_err(|e| error(&at, named.clone(), e.message))?;
        let shape = shape_of(v).map_err(|m| error(&at, named.clone(), m))?;
        let field = field_of(&param);
        // Bounds must be valid values of the field: never clamped silently.
        let bounds: Vec<(&str, f64)> = match shape {
            Shape::Triangular { low, mode, high } => vec![("low", low), ("mode", mode), ("high", high)],
            s => vec![("low", s.low()), ("high", s.high())],
        };
        for (name, x) in &bounds {
            let leaf = &param.leaf;
            let hi = if leaf.within_horizon {
                leaf.hi.min(horizon)
            } else {
                leaf.hi
            };
            let ok = x.is_finite() && *x <= hi && (*x > leaf.lo || (*x == leaf.lo && !leaf.lo_open));
            if !ok {
                let expected = field
                    .map(|f| f.expected())
                    .unwrap_or_else(|| format!("a number between {} and {hi}", leaf.lo));
                let hz = if leaf.within_horizon && *x > hi && *x <= leaf.hi {
                    format!(" no later than the horizon ({horizon} weeks)")
                } else {
                    String::new()
                };
                return Err(error(
                    &at.key(name),
                    named.clone(),
                    format!("{name} = {x} is outside the field's valid range: expected {expected}{hz}"),
                ));
            }
        }
        if let Shape::Lognormal { low, .. } = shape {
            if low <= 0.0 {
                return Err(error(
                    &at,
                    named.clone(),
                    format!("a lognormal range needs low above 0, got {low}"),
                ));
            }
        }
        if shape.low() == shape.high() {
            // A degenerate range is the constant itself (documented).
            let x = shape.low();
            if param.leaf.kind == Kind::Int && x.fract() != 0.0 {
                return Err(error(&at, named, format!("takes whole numbers; {x} is not one")));
            }
            out.constants.push((param, x));
            continue;
        }
        let (label, doc) = describe(&param, field);
        out.inputs.push(Input {
            param,
            shape,
            label,
            doc,
        });
    }
    Ok(out)
}

/// Parses one distribution: `{ low, high }`, `{ low, mode, high }` or a
/// tagged `{ dist = "...", ... }`.
fn shape_of(v: &Value) -> Result<Shape, String> {
    let t = v
        .as_table()
        .ok_or("expected a range such as { low = 0.5, high = 2.0 } (a 90 % interval)")?;
    let num = |k: &str| -> Result<Option<f64>, String> {
        match t.get(k) {
            None => Ok(None),
            Some(Value::Integer(i)) => Ok(Some(*i as f64)),
            Some(Value::Float(f)) => Ok(Some(*f)),
            Some(_) => Err(format!("`{k}` must be a number")),
        }
    };
    let tag = match t.get("dist") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err("`dist` must be one of \"normal\", \"lognormal\", \"triangular\", \"uniform\"".into()),
    };
    let allowed: &[&str] = match tag {
        None => &["low", "mode", "high"],
        Some("triangular") => &["dist", "low", "mode", "high"],
        Some("normal" | "lognormal" | "uniform") => &["dist", "low", "high"],
        Some(other) => {
            let hint = spans::closest(other, ["normal", "lognormal", "triangular", "uniform"])
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown distribution \"{other}\"{hint}; expected \"normal\", \"lognormal\", \"triangular\" or \"uniform\""
            ));
        }
    };
    for k in t.keys() {
        if !allowed.contains(&k.as_str()) {
            let hint = spans::closest(k, allowed.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(format!("unknown key `{k}`{hint}; expected {}", allowed.join(", ")));
        }
    }
    let (low, high) = match (num("low")?, num("high")?) {
        (Some(l), Some(h)) => (l, h),
        _ => return Err("a range needs `low` and `high`".into()),
    };
    if low > high {
        return Err(format!("low ({low}) is above high ({high})"));
    }
    let mode = num("mode")?;
    if let Some(m) = mode {
        if !(low..=high).contains(&m) {
            return Err(format!("mode ({m}) must lie between low ({low}) and high ({high})"));
        }
    }
    Ok(match (tag, mode) {
        (None, None) | (Some("normal"), _) => Shape::Normal { low, high },
        (None, Some(mode)) => Shape::Triangular { low, mode, high },
        (Some("triangular"), Some(mode)) => Shape::Triangular { low, mode, high },
        (Some("triangular"), None) => return Err("a triangular range needs `mode`".into()),
        (Some("lognormal"), _) => Shape::Lognormal { low, high },
        _ => Shape::Uniform { low, high },
    })
}

/// The schema field a resolved path names (entries and map keys as `*`).
pub fn field_of(param: &Param) -> Option<&'static schema::Field> {
    let loc = param.locations.first()?;
    let segs: Vec<String> = loc
        .0
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(_) => "*".into(),
        })
        .collect();
    let joined = |segs: &[String]| {
        let mut out = String::new();
        for (i, s) in segs.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(s);
        }
        out
    };
    if let Some(f) = schema::find(&joined(&segs)) {
        return Some(f);
    }
    // Map keys (channels, roles): try each inner key as `*`.
    for i in 1..segs.len().saturating_sub(1) {
        let mut s = segs.clone();
        s[i] = "*".into();
        if let Some(f) = schema::find(&joined(&s)) {
            return Some(f);
        }
        for j in i + 1..segs.len().saturating_sub(1) {
            let mut s2 = s.clone();
            s2[j] = "*".into();
            if let Some(f) = schema::find(&joined(&s2)) {
                return Some(f);
            }
        }
    }
    None
}

/// A parameter's name as people read it (the words of
/// [`crate::scenario::labels`], the one home of field names), and the
/// schema's description: "annotation: questions per item" for
/// `workstream.annotation.questions_per_item`.
pub fn describe(param: &Param, field: Option<&schema::Field>) -> (String, String) {
    (
        crate::scenario::labels::param_label(&param.path, None),
        field.map(|f| f.doc.to_string()).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's `[decision]` table (docs, `podsim show`) and the fields
    /// read here are the same four.
    #[test]
    fn the_schema_lists_exactly_the_decision_fields() {
        let mut t = toml::Table::new();
        for f in schema::DECISION_FIELDS {
            let key = f.path.strip_prefix("decision.").unwrap();
            t.insert(key.into(), Value::Float(1.0));
        }
        let raw: RawDecision = Value::Table(t).try_into().unwrap();
        assert_eq!(
            raw,
            RawDecision {
                cost_per_week_late: Some(1.0),
                cost_per_escaped_defect: Some(1.0),
                cost_per_person_with_access: Some(1.0),
                value_per_senior_focus_hour: Some(1.0),
            }
        );
    }
}
