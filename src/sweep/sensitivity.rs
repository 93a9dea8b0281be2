//! One-at-a-time sensitivity: each parameter is set low and high — the
//! range the file declares in `[uncertainty]` where it gives one (its 90 %
//! interval, docs/UNCERTAINTY.md), else x(1 - delta) and x(1 + delta),
//! clamped into its valid range (whole numbers rounded, and moved by at
//! least one) — the others kept at the file's values; the
//! effect on a metric is the paired difference high - low over the same
//! replications. Ranked by the size of the effect: the data of a tornado
//! chart.

use super::path::{Kind, Param};
use super::{Base, Results};
use crate::analysis::LEVEL;
use crate::model::Model;
use crate::stats::{self, Paired, Summary};

/// What the metric is read from: one strategy, or the paired difference
/// `b - a` of two strategies (which assumptions change the comparison).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Strategy(usize),
    Difference { a: usize, b: usize },
}

impl Target {
    pub fn label(&self, model: &Model) -> String {
        match *self {
            Target::Strategy(s) => model.strategies[s].name.clone(),
            Target::Difference { a, b } => format!("{} - {}", model.strategies[b].name, model.strategies[a].name),
        }
    }
    /// Strategies it needs simulated.
    pub fn strategies(&self) -> Vec<usize> {
        match *self {
            Target::Strategy(s) => vec![s],
            Target::Difference { a, b } => vec![a, b],
        }
    }
    /// The per-replication values at `point` (NaN where undefined).
    pub fn values(&self, results: &Results, point: usize, m: usize) -> Vec<f64> {
        match *self {
            Target::Strategy(s) => results.column(point, s, m).map(<[f64]>::to_vec).unwrap_or_default(),
            Target::Difference { a, b } => match (results.column(point, a, m), results.column(point, b, m)) {
                (Some(x), Some(y)) => x.iter().zip(y).map(|(x, y)| y - x).collect(),
                _ => Vec::new(),
            },
        }
    }
}

/// A range the file declares for a parameter (`[uncertainty]`): sensitivity
/// sets it to `low` and `high` instead of ±delta.
#[derive(Clone, Debug)]
pub struct Declared {
    pub param: Param,
    pub low: f64,
    pub high: f64,
}

impl Declared {
    /// Whether this range covers every location of `param`.
    pub fn covers(&self, param: &Param) -> bool {
        !param.locations.is_empty() && param.locations.iter().all(|l| self.param.locations.contains(l))
    }
}

/// One parameter's low and high settings, and where they were simulated.
#[derive(Clone, Debug)]
pub struct Case {
    pub param: Param,
    /// Its name in words ([`crate::scenario::labels`]).
    pub label: String,
    /// Low and high come from the range declared in `[uncertainty]`.
    pub declared: bool,
    pub base: f64,
    pub low: f64,
    pub high: f64,
    /// Points (indexes into [`Plan::models`]) of the low and high settings;
    /// None when the parameter was not varied (see `note`).
    pub points: Option<(usize, usize)>,
    /// Why the parameter was not varied, or what to know about its values.
    pub note: String,
}

/// The models to simulate: point 0 is the scenario as written.
#[derive(Clone, Debug)]
pub struct Plan {
    pub models: Vec<Model>,
    pub cases: Vec<Case>,
    pub delta: f64,
}

/// The low and high values of a parameter at `x`.
pub fn low_high(param: &Param, x: f64, delta: f64, horizon: f64) -> (f64, f64) {
    let leaf = &param.leaf;
    let a = leaf.clamp(tidy(x * (1.0 - delta)), horizon);
    let b = leaf.clamp(tidy(x * (1.0 + delta)), horizon);
    let (mut lo, mut hi) = (a.min(b), a.max(b));
    if leaf.kind == Kind::Int {
        // A relative change of a small count rounds back to it: move by one.
        if lo == x {
            lo = leaf.clamp(x - 1.0, horizon);
        }
        if hi == x {
            hi = leaf.clamp(x + 1.0, horizon);
        }
    }
    if leaf.lo_open && lo <= leaf.lo {
        lo = x;
    }
    (lo, hi)
}

/// Rounds to 12 significant digits, so 0.9 x 0.8 is written 0.72.
fn tidy(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// Builds the low and high models of every parameter: its `declared` range
/// where one covers it, else ±delta. A parameter whose locations hold
/// different values, or no value and no default, is an error; one whose low
/// or high setting fails validation is kept with a note.
pub fn plan(base: &Base, params: Vec<Param>, delta: f64, declared: &[Declared]) -> Result<Plan, String> {
    if !(delta > 0.0 && delta < 1.0) {
        return Err(format!(
            "--delta: expected a fraction between 0 and 1, e.g. 0.2; got {delta}"
        ));
    }
    let horizon = base.horizon_weeks();
    let mut models = vec![base.model.clone()];
    let mut cases = Vec::new();
    for param in params {
        // Fields left at their defaults vary around the default.
        let values = param.effective();
        let range = declared.iter().find(|d| d.covers(&param));
        // A declared field with no single value (e.g. a channel's `rate`, whose
        // defaults differ by role) needs none: the base run keeps what the file
        // and the defaults say, the low and high runs set the declared bounds.
        // Its middle stands in as the base value in the table.
        let no_single_value = values.iter().any(Option::is_none) && range.is_some();
        let x = match values.first().copied().flatten() {
            _ if no_single_value => {
                let d = range.expect("checked above");
                (d.low + d.high) / 2.0
            }
            Some(x) if values.iter().all(|b| *b == Some(x)) => x,
            Some(_) => {
                return Err(format!(
                    "`{}` has different values in the file at {}; name one entry (e.g. `strategy.NAME...`)",
                    param.path,
                    param
                        .locations
                        .iter()
                        .map(|l| format!("`{l}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
            None => {
                return Err(format!(
                    "`{}` has no single default value to vary around (write its value in the file)",
                    param.path
                ))
            }
        };
        let (low, high) = match range {
            // Declared bounds are valid values of the field (checked when
            // `[uncertainty]` is read); whole-number fields take whole values.
            Some(d) if param.leaf.kind == Kind::Int => (d.low.round(), d.high.round()),
            Some(d) => (d.low, d.high),
            None => low_high(&param, x, delta, horizon),
        };
        let mut case = Case {
            label: crate::scenario::labels::param_label(&param.path, None),
            declared: range.is_some(),
            param,
            base: x,
            low,
            high,
            points: None,
            note: String::new(),
        };
        if no_single_value {
            case.note = "base: the values of the file and its defaults (they differ by entry); \
                         low and high: the declared range"
                .into();
        }
        if !case.declared && x == 0.0 && case.param.leaf.kind == Kind::Float {
            case.note = "not varied: its value is 0, which a relative change leaves at 0".into();
        } else if low == x && high == x {
            case.note = "not varied: it is at the edge of its valid range".into();
        } else {
            // One line: where validation failed and why.
            let variant = |v: f64| {
                base.variant(&[(&case.param, v)]).map_err(|e| match &e.field {
                    Some(f) => format!("`{f}`: {}", e.message),
                    None => e.message.clone(),
                })
            };
            match (variant(low), variant(high)) {
                (Ok(l), Ok(h)) => {
                    models.push(l);
                    models.push(h);
                    case.points = Some((models.len() - 2, models.len() - 1));
                    if low == x || high == x {
                        case.note = "one-sided: the other side is at the edge of its valid range".into();
                    }
                }
                // One side invalid: keep the other, against the file's value.
                (Ok(l), Err(e)) => {
                    case.note = format!("one-sided: high {high} is invalid: {e}");
                    case.high = x;
                    models.push(l);
                    case.points = Some((models.len() - 1, 0));
                }
                (Err(e), Ok(h)) => {
                    case.note = format!("one-sided: low {low} is invalid: {e}");
                    case.low = x;
                    models.push(h);
                    case.points = Some((0, models.len() - 1));
                }
                (Err(e), Err(_)) => case.note = format!("not varied: {e}"),
            }
        }
        cases.push(case);
    }
    Ok(Plan { models, cases, delta })
}

/// One row of the tornado: a parameter's effect on the metric for a target.
#[derive(Clone, Debug)]
pub struct Row {
    pub target: Target,
    /// 1 = largest effect.
    pub rank: usize,
    pub case: usize,
    pub at_base: Summary,
    pub at_low: Summary,
    pub at_high: Summary,
    /// Paired difference (value at high) - (value at low).
    pub effect: Paired,
    /// Neither setting changes the target's strategies (their simulations
    /// are the scenario's own): the effect is exactly 0 by construction.
    pub unchanged: bool,
}

/// The ranked rows for each target: by the absolute mean effect, largest
/// first; then parameters that leave the target's strategies unchanged;
/// parameters not varied, or whose effect is undefined, last.
pub fn analyse(plan: &Plan, results: &Results, targets: &[Target], metric: usize) -> Vec<Row> {
    let empty = || stats::paired(&[], &[], LEVEL);
    let mut out = Vec::new();
    for &target in targets {
        let at = |p: usize| target.values(results, p, metric);
        let base_values = at(0);
        let at_base = Summary::of(&base_values, LEVEL);
        let mut rows: Vec<Row> = plan
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (at_low, at_high, effect) = match c.points {
                    Some((l, h)) => {
                        let (lv, hv) = (at(l), at(h));
                        (
                            Summary::of(&lv, LEVEL),
                            Summary::of(&hv, LEVEL),
                            stats::paired(&lv, &hv, LEVEL),
                        )
                    }
                    None => (Summary::of(&[], LEVEL), Summary::of(&[], LEVEL), empty()),
                };
                let unchanged = c.points.is_some_and(|(l, h)| {
                    target
                        .strategies()
                        .iter()
                        .all(|&s| results.shares_job((0, s), (l, s)) && results.shares_job((0, s), (h, s)))
                });
                Row {
                    target,
                    rank: 0,
                    case: i,
                    at_base: at_base.clone(),
                    at_low,
                    at_high,
                    effect,
                    unchanged,
                }
            })
            .collect();
        // By size; then parameters that do not touch the target; then those
        // not varied. Stable: ties keep the parameters' order in the file.
        rows.sort_by(|a, b| {
            let key = |r: &Row| {
                let e = r.effect.diff.mean;
                if r.unchanged {
                    (1, 0.0)
                } else if e.is_finite() {
                    (0, -e.abs())
                } else {
                    (2, 0.0)
                }
            };
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
        });
        for (i, r) in rows.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        out.extend(rows);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::path;

    fn param(text: &str, p: &str) -> Param {
        path::resolve(p, &text.parse().unwrap()).unwrap()
    }

    #[test]
    fn low_and_high_are_clamped_and_rounded() {
        let doc = r#"
[overhead]
coefficient = 0.9
[seniors]
count = 1
[[workstream]]
name = "a"
defect_rate = 0.9
"#;
        let c = param(doc, "overhead.coefficient");
        assert_eq!(low_high(&c, 0.9, 0.2, 50.0), (0.72, 1.0));
        let d = param(doc, "workstream.a.defect_rate");
        assert_eq!(low_high(&d, 0.9, 0.2, 50.0), (0.72, 1.0));
        let n = param(doc, "seniors.count");
        assert_eq!(low_high(&n, 1.0, 0.2, 50.0), (0.0, 2.0), "counts move by at least one");
        assert_eq!(low_high(&n, 10.0, 0.2, 50.0), (8.0, 12.0));
        assert_eq!(low_high(&n, 10.0, 0.26, 50.0), (7.0, 13.0), "rounded");
    }
}
