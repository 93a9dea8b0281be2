//! Files and terminal tables of `podsim sweep` and `podsim sensitivity`:
//! sweep.csv, pareto.csv, breakeven.csv, sensitivity.csv, their JSON
//! descriptions, and the text and JSON reports. Computing happens in
//! `sweep`; this module only formats.
//!
//! Columns the charts read (line with CI band, tornado, Pareto scatter):
//! - sweep.csv: `point`, one column per varied path (named by the path),
//!   `strategy`, `metric`, `n`, `mean`, `sd`, `ci_low`, `ci_high`, `p10`,
//!   `p50`, `p85`, `p95`, `min`, `max`, `pareto` (`frontier`, `dominated`,
//!   `undefined`, or empty without `--pareto`);
//! - pareto.csv: `point`, the path columns, `strategy`, then for each of the
//!   two metrics `<metric>_mean`, `<metric>_ci_low`, `<metric>_ci_high`,
//!   then `pareto`, `dominated_by_point`, `dominated_by_strategy`;
//! - sensitivity.csv: `strategy`, `metric`, `rank`, `parameter`,
//!   `base_value`, `low_value`, `high_value`, `base_mean`, `base_ci_low`,
//!   `base_ci_high`, `low_mean`, `low_ci_low`, `low_ci_high`, `high_mean`,
//!   `high_ci_low`, `high_ci_high`, `effect`, `effect_ci_low`,
//!   `effect_ci_high`, `n`, `note`, `label` (the parameter in words), `range`
//!   (`declared` when low and high are its `[uncertainty]` range, else `±20 %`);
//! - breakeven.csv: `value`, `purpose`, `a_mean`, `a_ci_low`, `a_ci_high`,
//!   `b_mean`, `b_ci_low`, `b_ci_high`, `diff_mean`, `diff_ci_low`,
//!   `diff_ci_high`, `n`.

use super::{csv_field, num, summary_fields};
use crate::metrics::format::auto_like as fmt_like;
use crate::stats::Summary;
use crate::sweep::breakeven::{Edge, Outcome};
use crate::sweep::pareto::{Mark, Objective};
use crate::sweep::sensitivity::{Plan, Row};
use crate::sweep::Results;
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// What identifies a sweep, sensitivity analysis or break-even search;
/// written as sweep.json, sensitivity.json or breakeven.json.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SweepInfo {
    pub podsim_version: String,
    /// "sweep", "sensitivity" or "breakeven".
    pub kind: String,
    pub scenario_name: String,
    pub scenario_path: String,
    pub scenario_sha256: String,
    pub seed: u64,
    /// Replications per strategy at every point (the same ones everywhere).
    pub replications: u64,
    /// The strategies simulated.
    pub strategies: Vec<String>,
    /// Every strategy of the scenario, in file order: charts colour a
    /// strategy by its place here, so it has the same colour as in the run's
    /// charts whichever strategies a sweep simulated.
    pub scenario_strategies: Vec<String>,
    pub threads: usize,
    pub wall_time_s: f64,
    /// The varied parameters (sweep: the axes; sensitivity: every parameter).
    pub parameters: Vec<ParamInfo>,
    /// Fields changed for the whole run (`--set`), with their one value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<ParamInfo>,
    /// Scenario variants simulated (points, or 1 + 2 per varied parameter).
    pub points: usize,
    /// Distinct (variant, strategy) simulations: a strategy a point leaves
    /// unchanged is simulated once.
    pub distinct_simulations: usize,
    /// The metrics of the report.
    pub metrics: Vec<String>,
    /// Pareto objectives, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pareto: Option<Vec<ObjectiveInfo>>,
    /// Sensitivity: the relative change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    /// Sensitivity: numeric defaults the file leaves out that were kept at
    /// their value (0 with `--with-defaults`, which varies them too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults_not_varied: Option<usize>,
    /// Break-even: the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakeven: Option<BreakevenInfo>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ParamInfo {
    pub path: String,
    /// Where it is in the file, one entry per place it is written.
    pub locations: Vec<String>,
    /// The values a sweep sets (empty for sensitivity).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ObjectiveInfo {
    pub metric: String,
    /// "lower" or "higher" is better.
    pub better: String,
}

impl ObjectiveInfo {
    pub fn of(o: &Objective) -> Self {
        ObjectiveInfo {
            metric: o.metric.clone(),
            better: o.better.name().into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BreakevenInfo {
    pub parameter: String,
    pub metric: String,
    /// The difference is `b - a`.
    pub a: String,
    pub b: String,
    pub between: [f64; 2],
    pub tol: f64,
    /// Where the mean paired difference crosses 0, if it does in the range.
    pub crossing: Option<f64>,
    /// The final bracket of the sign change.
    pub bracket: Option<[f64; 2]>,
    /// Values where the difference's 95 % CI contains 0; an end is `null`
    /// when the interval runs past the range.
    pub ci_contains_zero: Option<[Option<f64>; 2]>,
    /// Sign of the mean difference `b - a` at the low and high ends.
    pub sign_at_ends: [i8; 2],
}

impl BreakevenInfo {
    pub fn new(parameter: &str, metric: &str, a: &str, b: &str, o: &Outcome) -> Self {
        let edge = |e: Edge| (!e.beyond_range).then_some(e.x);
        BreakevenInfo {
            parameter: parameter.into(),
            metric: metric.into(),
            a: a.into(),
            b: b.into(),
            between: [o.spec.lo, o.spec.hi],
            tol: o.spec.tol,
            crossing: o.crossing,
            bracket: o.bracket.map(|(x, y)| [x, y]),
            ci_contains_zero: o.ci_interval.map(|(l, r)| [edge(l), edge(r)]),
            sign_at_ends: [o.sign_at_lo, o.sign_at_hi],
        }
    }
}

/// A sweep's results as the writers see them.
pub struct SweepView<'a> {
    /// Column names of the varied parameters (their paths).
    pub params: &'a [String],
    /// `points[p]`: the parameter values of point p.
    pub points: &'a [Vec<f64>],
    /// Simulated strategies: (index in the scenario, name).
    pub strategies: &'a [(usize, String)],
    pub results: &'a Results,
    /// With `--pareto`: the objectives, their metric indexes, and a mark
    /// per cell in [`SweepView::cells`] order.
    pub pareto: Option<ParetoView<'a>>,
}

pub struct ParetoView<'a> {
    pub objectives: &'a [Objective],
    pub metrics: &'a [usize],
    pub marks: &'a [Mark],
}

impl SweepView<'_> {
    /// (point, position in `strategies`) of every cell, point-major.
    pub fn cells(&self) -> Vec<(usize, usize)> {
        (0..self.points.len())
            .flat_map(|p| (0..self.strategies.len()).map(move |k| (p, k)))
            .collect()
    }

    fn mark(&self, cell: usize) -> Option<Mark> {
        self.pareto.as_ref().map(|v| v.marks[cell])
    }

    fn point_columns(&self, p: usize, out: &mut String) {
        let _ = write!(out, "{p}");
        for v in &self.points[p] {
            let _ = write!(out, ",{}", num(*v));
        }
    }
}

fn header_with_params(first: &str, params: &[String], rest: &str) -> String {
    let mut h = first.to_string();
    for p in params {
        h.push(',');
        h.push_str(&csv_field(p));
    }
    h.push(',');
    h.push_str(rest);
    h.push('\n');
    h
}

/// sweep.csv: one row per (point, strategy, metric).
pub fn write_sweep_csv(v: &SweepView, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(
        header_with_params(
            "point",
            v.params,
            "strategy,metric,n,mean,sd,ci_low,ci_high,p10,p50,p85,p95,min,max,pareto",
        )
        .as_bytes(),
    )?;
    let names = &v.results.layout.metric_names;
    let mut line = String::new();
    for (c, (p, k)) in v.cells().into_iter().enumerate() {
        let (s, name) = &v.strategies[k];
        let mark = v.mark(c).map(Mark::name).unwrap_or("");
        for (m, metric) in names.iter().enumerate() {
            line.clear();
            v.point_columns(p, &mut line);
            let _ = writeln!(
                line,
                ",{},{},{},{mark}",
                csv_field(name),
                csv_field(metric),
                summary_fields(&v.results.summary(p, *s, m))
            );
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

/// pareto.csv: one row per (point, strategy) with both metrics and the mark.
pub fn pareto_csv(v: &SweepView) -> String {
    let Some(pv) = &v.pareto else {
        return String::new();
    };
    let mut rest = String::from("strategy");
    for o in pv.objectives {
        for s in ["mean", "ci_low", "ci_high"] {
            let _ = write!(rest, ",{}", csv_field(&format!("{}_{s}", o.metric)));
        }
    }
    rest.push_str(",pareto,dominated_by_point,dominated_by_strategy");
    let mut out = header_with_params("point", v.params, &rest);
    let cells = v.cells();
    for (c, &(p, k)) in cells.iter().enumerate() {
        let (s, name) = &v.strategies[k];
        v.point_columns(p, &mut out);
        let _ = write!(out, ",{}", csv_field(name));
        for &m in pv.metrics {
            let x = v.results.summary(p, *s, m);
            let _ = write!(out, ",{},{},{}", num(x.mean), num(x.ci_low), num(x.ci_high));
        }
        let mark = pv.marks[c];
        let _ = write!(out, ",{}", mark.name());
        match mark {
            Mark::Dominated { by } => {
                let (bp, bk) = cells[by];
                let _ = writeln!(out, ",{bp},{}", csv_field(&v.strategies[bk].1));
            }
            _ => out.push_str(",,\n"),
        }
    }
    out
}

/// Mean ± half-width with the decimals `like` gets, so that a column of a
/// table has one precision throughout (its largest value's).
fn mean_ci_like(x: &Summary, like: f64) -> String {
    if x.ci_low.is_finite() {
        format!("{} ± {}", fmt_like(x.mean, like), fmt_like(x.half_width(), like))
    } else {
        fmt_like(x.mean, like)
    }
}

/// The largest magnitude among `xs` (finite ones), for [`fmt_like`].
fn scale(xs: impl IntoIterator<Item = f64>) -> f64 {
    xs.into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0, |a, x| a.max(x.abs()))
}

/// Left-aligned text columns padded to the widest cell.
fn render_columns(rows: &[Vec<String>], right_from: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let w = widths[c];
            if c > 0 {
                line.push_str("  ");
            }
            if c >= right_from {
                let _ = write!(line, "{cell:>w$}");
            } else {
                let _ = write!(line, "{cell:<w$}");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The sweep's terminal table: one row per (point, strategy), the chosen
/// metrics as mean ± 95 % CI half-width, and the Pareto mark.
pub fn render_sweep(v: &SweepView, metrics: &[usize], reps: u64) -> String {
    let names = &v.results.layout.metric_names;
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(v.params.iter().cloned());
    header.push("strategy".into());
    header.extend(metrics.iter().map(|&m| names[m].clone()));
    if v.pareto.is_some() {
        header.push("pareto".into());
    }
    let fixed = 2 + v.params.len();
    let mut rows = vec![header];
    // One precision per metric column.
    let likes: Vec<f64> = metrics
        .iter()
        .map(|&m| {
            scale(
                v.cells()
                    .into_iter()
                    .map(|(p, k)| v.results.summary(p, v.strategies[k].0, m).mean),
            )
        })
        .collect();
    for (c, (p, k)) in v.cells().into_iter().enumerate() {
        let (s, name) = &v.strategies[k];
        let mut row = vec![p.to_string()];
        row.extend(v.points[p].iter().map(|x| num(*x)));
        row.push(name.clone());
        row.extend(
            metrics
                .iter()
                .zip(&likes)
                .map(|(&m, &like)| mean_ci_like(&v.results.summary(p, *s, m), like)),
        );
        if let Some(mark) = v.mark(c) {
            row.push(match mark {
                Mark::Frontier => "*".into(),
                Mark::Dominated { .. } => "dominated".into(),
                Mark::Undefined => "n/a".into(),
            });
        }
        rows.push(row);
    }
    let mut out = format!(
        "Means ± 95 % CI half-width over {reps} replication(s) per point; the same replications (common random numbers) at every point.\n\n"
    );
    out.push_str(&render_columns(&rows, fixed));
    if let Some(pv) = &v.pareto {
        let dirs: Vec<String> = pv
            .objectives
            .iter()
            .map(|o| format!("{} {} is better", o.metric, o.better.name()))
            .collect();
        let front = pv.marks.iter().filter(|m| **m == Mark::Frontier).count();
        let _ = writeln!(
            out,
            "\nPareto frontier ({}; * = not dominated, on means): {front} of {} (point, strategy) pairs.",
            dirs.join(", "),
            pv.marks.len()
        );
    }
    out
}

/// The sweep as JSON: every metric's mean, CI and percentiles per cell.
pub fn sweep_json(v: &SweepView, info: &SweepInfo) -> Value {
    let names = &v.results.layout.metric_names;
    let cells: Vec<Value> = v
        .cells()
        .into_iter()
        .enumerate()
        .map(|(c, (p, k))| {
            let (s, name) = &v.strategies[k];
            let values: serde_json::Map<String, Value> = v
                .params
                .iter()
                .zip(&v.points[p])
                .map(|(n, x)| (n.clone(), json!(x)))
                .collect();
            let metrics: serde_json::Map<String, Value> = names
                .iter()
                .enumerate()
                .map(|(m, n)| (n.clone(), summary_json(&v.results.summary(p, *s, m))))
                .collect();
            let mut cell = json!({"point": p, "values": values, "strategy": name, "metrics": metrics});
            if let Some(mark) = v.mark(c) {
                cell["pareto"] = json!(mark.name());
            }
            cell
        })
        .collect();
    json!({"run": info, "cells": cells})
}

fn opt(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

fn summary_json(x: &Summary) -> Value {
    json!({"n": x.n, "mean": opt(x.mean), "ci_low": opt(x.ci_low), "ci_high": opt(x.ci_high),
           "p10": opt(x.p10), "p50": opt(x.p50), "p85": opt(x.p85), "p95": opt(x.p95)})
}

const UNCHANGED: &str = "does not change this strategy's simulations";

fn row_note(c: &crate::sweep::sensitivity::Case, r: &Row) -> String {
    match (c.note.is_empty(), r.unchanged) {
        (_, false) => c.note.clone(),
        (true, true) => UNCHANGED.into(),
        (false, true) => format!("{}; {UNCHANGED}", c.note),
    }
}

/// Where a case's low and high come from: "declared" (`[uncertainty]`) or "±20 %".
fn range_words(plan: &Plan, c: &crate::sweep::sensitivity::Case) -> String {
    if c.declared {
        "declared".into()
    } else {
        format!("±{} %", crate::metrics::format::trim(100.0 * plan.delta, 1))
    }
}

/// sensitivity.csv: one row per (strategy, parameter), ranked.
pub fn sensitivity_csv(plan: &Plan, rows: &[Row], labels: &[String], metric: &str) -> String {
    let mut out = String::from(
        "strategy,metric,rank,parameter,base_value,low_value,high_value,base_mean,base_ci_low,base_ci_high,low_mean,low_ci_low,low_ci_high,high_mean,high_ci_low,high_ci_high,effect,effect_ci_low,effect_ci_high,n,note,label,range\n",
    );
    for (r, label) in rows.iter().zip(labels) {
        let c = &plan.cases[r.case];
        let varied = c.points.is_some();
        let v = |x: f64| if varied { num(x) } else { String::new() };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(label),
            csv_field(metric),
            r.rank,
            csv_field(&c.param.path),
            num(c.base),
            v(c.low),
            v(c.high),
            num(r.at_base.mean),
            num(r.at_base.ci_low),
            num(r.at_base.ci_high),
            num(r.at_low.mean),
            num(r.at_low.ci_low),
            num(r.at_low.ci_high),
            num(r.at_high.mean),
            num(r.at_high.ci_low),
            num(r.at_high.ci_high),
            num(r.effect.diff.mean),
            num(r.effect.diff.ci_low),
            num(r.effect.diff.ci_high),
            r.effect.diff.n,
            csv_field(&row_note(c, r)),
            csv_field(&c.label),
            range_words(plan, c)
        );
    }
    out
}

/// `x` with its sign, at the decimals `like` gets.
fn signed_like(x: f64, like: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x < 0.0 {
        format!("-{}", fmt_like(-x, like))
    } else {
        format!("+{}", fmt_like(x, like))
    }
}

/// The tornado as text: per strategy, parameters ranked by effect.
/// `defaults_not_varied`: how many numeric defaults the file leaves out were
/// kept at their value, said at the end so a reader knows what the ranking
/// did not test.
pub fn render_sensitivity(
    plan: &Plan,
    rows: &[Row],
    labels: &[String],
    metric: &str,
    reps: u64,
    defaults_not_varied: usize,
) -> String {
    let declared = plan.cases.iter().any(|c| c.declared);
    let mut out = format!(
        "Sensitivity of {metric} (mean) to each parameter set {} low and high, one at a time; effect = at high - at low, paired over the same {reps} replication(s), 95 % CI.\n",
        if declared {
            format!(
                "to its range in [uncertainty] (a 90 % interval; marked *) or else {:.0} %",
                100.0 * plan.delta
            )
        } else {
            format!("{:.0} %", 100.0 * plan.delta)
        }
    );
    let mut i = 0;
    while i < rows.len() {
        let label = &labels[i];
        let group: Vec<usize> = (i..rows.len()).take_while(|&j| labels[j] == *label).collect();
        let base = &rows[i].at_base;
        let like = scale(
            group
                .iter()
                .flat_map(|&j| [rows[j].at_low.mean, rows[j].at_high.mean, rows[j].at_base.mean]),
        );
        let _ = writeln!(out, "\n{label} — {metric} as written: {}", mean_ci_like(base, like));
        let mut table = vec![vec![
            "rank".to_string(),
            "parameter".into(),
            "field".into(),
            "low".into(),
            "high".into(),
            "at low".into(),
            "at high".into(),
            "effect".into(),
            "95 % CI".into(),
        ]];
        let mut notes = Vec::new();
        let mut untouched = Vec::new();
        // One precision for the whole table: the metric's scale in this group.
        let like = scale(
            group
                .iter()
                .flat_map(|&j| [rows[j].at_low.mean, rows[j].at_high.mean, rows[j].at_base.mean]),
        );
        for &j in &group {
            let r = &rows[j];
            let c = &plan.cases[r.case];
            if r.unchanged {
                untouched.push(c.param.path.as_str());
                continue;
            }
            if c.points.is_none() {
                notes.push(format!("  {}: {}", c.param.path, c.note));
                continue;
            }
            let ci = if r.effect.diff.ci_low.is_finite() {
                format!(
                    "{} to {}",
                    signed_like(r.effect.diff.ci_low, like),
                    signed_like(r.effect.diff.ci_high, like)
                )
            } else {
                String::new()
            };
            table.push(vec![
                r.rank.to_string(),
                if c.declared {
                    format!("{} *", c.label)
                } else {
                    c.label.clone()
                },
                c.param.path.clone(),
                num(c.low),
                num(c.high),
                fmt_like(r.at_low.mean, like),
                fmt_like(r.at_high.mean, like),
                signed_like(r.effect.diff.mean, like),
                ci,
            ]);
            if !c.note.is_empty() {
                notes.push(format!("  {}: {}", c.param.path, c.note));
            }
        }
        out.push_str(&render_columns(&table, 2));
        if !untouched.is_empty() {
            let _ = writeln!(
                out,
                "Not touching it (effect exactly 0; in sensitivity.csv): {}",
                untouched.join(", ")
            );
        }
        if !notes.is_empty() {
            out.push_str("Notes:\n");
            for n in notes {
                out.push_str(&n);
                out.push('\n');
            }
        }
        i += group.len();
    }
    if defaults_not_varied > 0 {
        let _ = writeln!(
            out,
            "\n{defaults_not_varied} numeric default(s) the file leaves out (listed by `podsim show`) were kept at their values; \
             --with-defaults varies them too."
        );
    }
    out
}

/// The tornado as JSON.
pub fn sensitivity_json(plan: &Plan, rows: &[Row], labels: &[String], info: &SweepInfo) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .zip(labels)
        .map(|(r, label)| {
            let c = &plan.cases[r.case];
            let varied = c.points.is_some();
            json!({
                "strategy": label, "rank": r.rank, "parameter": c.param.path,
                "label": c.label, "range": range_words(plan, c),
                "base_value": c.base,
                "low_value": if varied { json!(c.low) } else { Value::Null },
                "high_value": if varied { json!(c.high) } else { Value::Null },
                "at_base": summary_json(&r.at_base), "at_low": summary_json(&r.at_low), "at_high": summary_json(&r.at_high),
                "effect": {"mean": opt(r.effect.diff.mean), "ci_low": opt(r.effect.diff.ci_low), "ci_high": opt(r.effect.diff.ci_high), "n": r.effect.diff.n},
                "note": row_note(c, r),
            })
        })
        .collect();
    json!({"run": info, "rows": rows})
}

/// breakeven.csv: every evaluation, by parameter value.
pub fn breakeven_csv(o: &Outcome) -> String {
    let mut out = String::from(
        "value,purpose,a_mean,a_ci_low,a_ci_high,b_mean,b_ci_low,b_ci_high,diff_mean,diff_ci_low,diff_ci_high,n\n",
    );
    for e in &o.evals {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            num(e.x),
            csv_field(e.purpose),
            num(e.a.mean),
            num(e.a.ci_low),
            num(e.a.ci_high),
            num(e.b.mean),
            num(e.b.ci_low),
            num(e.b.ci_high),
            num(e.diff.mean),
            num(e.diff.ci_low),
            num(e.diff.ci_high),
            e.diff.n
        );
    }
    out
}

/// The break-even report: the evaluations, then the answer in words.
pub fn render_breakeven(o: &Outcome, info: &BreakevenInfo, reps: u64) -> String {
    let (a, b, p, m) = (&info.a, &info.b, &info.parameter, &info.metric);
    let mut out = format!(
        "Break-even of {m} between \"{a}\" and \"{b}\" as {p} goes from {} to {}: difference = \"{b}\" - \"{a}\", paired over the same {reps} replication(s), 95 % CI.\n\n",
        num(o.spec.lo),
        num(o.spec.hi)
    );
    let mut rows = vec![vec![
        p.clone(),
        format!("\"{a}\""),
        format!("\"{b}\""),
        "difference".into(),
        "95 % CI".into(),
    ]];
    // One precision for every column: the larger of the two strategies' scale.
    let like = scale(o.evals.iter().flat_map(|e| [e.a.mean, e.b.mean]));
    for e in &o.evals {
        let ci = if e.diff.ci_low.is_finite() {
            format!(
                "{} to {}",
                signed_like(e.diff.ci_low, like),
                signed_like(e.diff.ci_high, like)
            )
        } else {
            String::new()
        };
        rows.push(vec![
            num(e.x),
            fmt_like(e.a.mean, like),
            fmt_like(e.b.mean, like),
            signed_like(e.diff.mean, like),
            ci,
        ]);
    }
    out.push_str(&render_columns(&rows, 1));
    out.push('\n');
    let lower = |s: i8| if s < 0 { b } else { a };
    match (o.crossing, o.bracket) {
        // The mean difference changes sign, but its CI contains 0 across the
        // whole range: no break-even value can be named.
        (Some(_), Some((l, r))) if o.ci_interval.is_some_and(|(a, b)| a.beyond_range && b.beyond_range) => {
            let _ = writeln!(
                out,
                "No break-even can be named: the mean difference changes sign between {} and {}, but the 95 % CI of the \
                 difference contains 0 everywhere from {} to {}, so with {reps} replication(s) the two cannot be told apart \
                 anywhere in the range. Use more replications (--reps) or a wider range (--between).",
                num(l),
                num(r),
                num(o.spec.lo),
                num(o.spec.hi)
            );
        }
        (Some(x), Some((l, r))) => {
            // As many decimals as the tolerance resolves, and one more.
            let places = (1.0 - o.spec.tol.log10().floor()).clamp(0.0, 17.0) as usize;
            let shown: f64 = format!("{x:.places$}").parse().unwrap_or(x);
            let _ = writeln!(
                out,
                "Break-even: {p} ≈ {} (the mean difference changes sign between {} and {}).",
                num(shown),
                num(l),
                num(r)
            );
            if o.sign_at_lo != 0 && o.sign_at_hi != 0 {
                let _ = writeln!(
                    out,
                    "Below it \"{}\" has the lower {m}; above it \"{}\" has.",
                    lower(o.sign_at_lo),
                    lower(o.sign_at_hi)
                );
            }
            match o.ci_interval {
                Some((l, r)) => {
                    let end = |e: Edge, word: &str| {
                        if e.beyond_range {
                            format!("{word} the range ({})", num(e.x))
                        } else {
                            num(e.x)
                        }
                    };
                    let _ = writeln!(
                        out,
                        "Uncertainty: the 95 % CI of the difference contains 0 for {p} from {} to {}; within that interval the two are not distinguishable with {reps} replication(s).",
                        end(l, "below"),
                        end(r, "beyond")
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "Uncertainty: no confidence interval with fewer than 2 replications (use --reps)."
                    );
                }
            }
        }
        _ => {
            let ends = &o.evals;
            let describe = |s: i8| match s {
                1 => format!("\"{b}\" is higher than \"{a}\""),
                -1 => format!("\"{b}\" is lower than \"{a}\""),
                _ => "the difference is undefined".to_string(),
            };
            if o.sign_at_lo == o.sign_at_hi && o.sign_at_lo != 0 {
                let _ = writeln!(
                    out,
                    "No crossing in the range: {} on {m} at both ends ({} = {} and {}). Widen --between, or check with --vary that the difference is monotone.",
                    describe(o.sign_at_lo),
                    p,
                    num(ends.first().map_or(o.spec.lo, |e| e.x)),
                    num(ends.last().map_or(o.spec.hi, |e| e.x))
                );
            } else {
                let _ = writeln!(
                    out,
                    "No crossing found: {m} is undefined at an end of the range (e.g. not applicable to this scenario)."
                );
            }
        }
    }
    out
}

/// The break-even search as JSON.
pub fn breakeven_json(o: &Outcome, info: &SweepInfo) -> Value {
    let evals: Vec<Value> = o
        .evals
        .iter()
        .map(|e| {
            json!({"value": e.x, "purpose": e.purpose, "a": summary_json(&e.a), "b": summary_json(&e.b), "difference": summary_json(&e.diff)})
        })
        .collect();
    json!({"run": info, "evaluations": evals})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align() {
        let t = render_columns(&[vec!["a".into(), "1".into()], vec!["long".into(), "100".into()]], 1);
        assert_eq!(t, "a       1\nlong  100\n");
    }
}
