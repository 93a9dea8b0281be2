//! The scenario fragment `podsim fit` writes, and merging one into a scenario.
//!
//! Format (agreed with the `[uncertainty]` work, issue #16): tables keyed by
//! the same field paths `sweep --vary` takes — `[workstream.NAME]` holds
//! that workstream's fitted fields in the scenario's own syntax, `[channels.X]`
//! the channel's — and `[uncertainty]` maps each fitted field's path to its
//! bootstrap 90 % interval, `"workstream.NAME.FIELD" = { low = .., high = .. }`.
//! Every value carries a comment: family, n, goodness of fit.

use super::{Estimate, FitReport};
use crate::metrics::format::significant;
use std::fmt::Write as _;
use toml::{Table, Value};

/// Workstream field names a workstream name must not look like in a path.
const WS_FIELDS: &[&str] = &[
    "name",
    "skill",
    "backlog",
    "arrivals_per_week",
    "surge",
    "effort_hours",
    "after",
    "defect_rate",
    "questions_per_item",
    "interdependence",
    "deadline_weeks",
];

/// A TOML key: bare when it can be, quoted otherwise.
fn key(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        name.to_string()
    } else {
        Value::String(name.to_string()).to_string()
    }
}

fn num(x: f64) -> String {
    let s = significant(x, 4);
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

/// An uncertainty entry, clamped into the field's range `[lo, hi]`; none
/// when the interval is empty.
fn entry(out: &mut Vec<(String, f64, f64)>, path: String, e: &Estimate, lo: f64, hi: f64) {
    let (a, b) = (e.lo.max(lo).min(hi), e.hi.max(lo).min(hi));
    if a.is_finite() && b.is_finite() && b > a {
        out.push((path, a, b));
    }
}

/// Renders the fragment. `source` names the files read.
pub fn render(r: &FitReport, source: &str, rows: u64, dropped: u64) -> String {
    let s = &r.settings;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Fitted by `podsim fit` from {source}: {rows} row(s) read, {dropped} left out (see the fit report)."
    );
    let _ = writeln!(
        t,
        "# Intervals: bootstrap, {} resamples, seed {}; 90 % (5th to 95th percentile). Goodness of fit: Kolmogorov-Smirnov, p-value by a {}-resample parametric bootstrap.",
        s.resamples, s.seed, s.gof_resamples
    );
    let _ = writeln!(
        t,
        "# Merge with `podsim backtest SCENARIO --fitted THIS_FILE`, or copy the values into the scenario's [[workstream]] entries."
    );
    let mut unc: Vec<(String, f64, f64)> = Vec::new();
    for w in &r.workstreams {
        let ws_path = format!("workstream.{}", crate::sweep::path::quote_name(&w.name, WS_FIELDS));
        let _ = writeln!(t, "\n[workstream.{}]", key(&w.name));
        let _ = writeln!(t, "# {} item(s), {} done with a time spent", w.items, w.done);
        match &w.effort {
            Ok(e) => {
                let b = e.best();
                let runner_up = e
                    .fits
                    .get(1)
                    .map(|o| {
                        format!(
                            ", AIC {} below {}",
                            significant(o.aic - b.aic, 3),
                            o.fitted.family().name()
                        )
                    })
                    .unwrap_or_default();
                let verdict = if e.fits_well() {
                    "fits".to_string()
                } else {
                    format!(
                        "NO FAMILY FITS WELL (p < {}): the best by AIC is written; see the QQ plot",
                        super::GOF_ALPHA
                    )
                };
                let _ = writeln!(
                    t,
                    "# effort: {} by AIC{runner_up}; n = {}; KS distance {}, p = {} ({verdict})",
                    b.fitted.family().name(),
                    e.data.len(),
                    significant(b.ks, 3),
                    significant(e.p_value, 2)
                );
                let params: Vec<String> = b
                    .fitted
                    .params()
                    .iter()
                    .map(|(n, v)| format!("{n} = {}", num(*v)))
                    .collect();
                let _ = writeln!(
                    t,
                    "effort_hours = {{ dist = \"{}\", {} }}",
                    b.fitted.family().name(),
                    params.join(", ")
                );
                for (name, est) in &e.intervals {
                    entry(
                        &mut unc,
                        format!("{ws_path}.effort_hours.{name}"),
                        est,
                        0.0,
                        f64::INFINITY,
                    );
                }
            }
            Err(why) => {
                let _ = writeln!(t, "# effort: not fitted: {why}");
            }
        }
        match &w.questions {
            Ok(q) => {
                let _ = writeln!(t, "# comments or questions per item: mean over {} item(s)", q.n);
                let _ = writeln!(t, "questions_per_item = {}", num(q.value.min(50.0)));
                entry(&mut unc, format!("{ws_path}.questions_per_item"), q, 0.0, 50.0);
            }
            Err(why) => {
                let _ = writeln!(t, "# questions_per_item: not estimated: {why}");
            }
        }
        match &w.rework {
            Ok(q) => {
                let _ = writeln!(
                    t,
                    "# share of {} done item(s) reopened, rejected or failing review (defects no one caught are not in the history: a lower bound)",
                    q.n
                );
                let _ = writeln!(t, "defect_rate = {}", num(q.value));
                entry(&mut unc, format!("{ws_path}.defect_rate"), q, 0.0, 1.0);
            }
            Err(why) => {
                let _ = writeln!(t, "# defect_rate: not estimated: {why}");
            }
        }
        match &w.arrivals {
            Ok(a) => {
                let _ = writeln!(
                    t,
                    "# items created per week over {} whole week(s){}; a history cannot tell a backlog from ongoing intake, so this is left for you to set:",
                    a.counts.len(),
                    if a.surges.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} surge week(s), see the arrivals chart)", a.surges.len())
                    }
                );
                let _ = writeln!(
                    t,
                    "# arrivals_per_week = {}   # 90 % interval {} to {}",
                    num(a.per_week.value),
                    num(a.per_week.lo),
                    num(a.per_week.hi)
                );
            }
            Err(why) => {
                let _ = writeln!(t, "# arrivals_per_week: not estimated: {why}");
            }
        }
    }
    match &r.tenure {
        Ok(ten) => {
            let left = ten.spells.iter().filter(|s| s.left).count();
            let _ = writeln!(t, "\n[channels.{}]", key(&s.channel));
            let _ = writeln!(
                t,
                "# tenure of {} assignee(s) from first to last activity, {left} left (no activity in the last {} weeks), the rest still there (right censored); exponential with censoring",
                ten.spells.len(),
                significant(s.censor_weeks, 3)
            );
            let _ = writeln!(t, "attrition_per_year = {}", num(ten.attrition.value.min(0.99)));
            entry(
                &mut unc,
                format!(
                    "channels.{}.attrition_per_year",
                    crate::sweep::path::quote_name(&s.channel, &[])
                ),
                &ten.attrition,
                0.0,
                0.99,
            );
        }
        Err(why) => {
            let _ = writeln!(t, "\n# attrition: not estimated: {why}");
        }
    }
    let _ = writeln!(t, "\n[uncertainty]");
    let _ = writeln!(t, "# bootstrap 90 % intervals of the values above, by field path");
    for (path, lo, hi) in unc {
        let _ = writeln!(
            t,
            "{} = {{ low = {}, high = {} }}",
            Value::String(path),
            num(lo),
            num(hi)
        );
    }
    t
}

/// Merges a fragment's fields into a scenario document: `[workstream.NAME]`
/// into the `[[workstream]]` entry of that name, other tables key by key.
/// `[uncertainty]` is left out (the scenario format does not have it yet).
pub fn merge(scenario: &mut Table, fragment: &Table) -> Result<(), String> {
    for (k, v) in fragment {
        match k.as_str() {
            "uncertainty" => {}
            "workstream" => {
                let Some(by_name) = v.as_table() else {
                    return Err("the fragment's `workstream` is not a table of workstreams by name".into());
                };
                let Some(list) = scenario.get_mut("workstream").and_then(Value::as_array_mut) else {
                    return Err("the scenario has no [[workstream]] entries".into());
                };
                for (name, fields) in by_name {
                    let Some(entry) = list
                        .iter_mut()
                        .filter_map(Value::as_table_mut)
                        .find(|t| t.get("name").and_then(Value::as_str) == Some(name.as_str()))
                    else {
                        return Err(format!(
                            "the scenario has no workstream named \"{name}\" (fit with --workstream NAME to name it)"
                        ));
                    };
                    let Some(fields) = fields.as_table() else {
                        return Err(format!("the fragment's workstream \"{name}\" is not a table"));
                    };
                    for (f, x) in fields {
                        entry.insert(f.clone(), x.clone());
                    }
                }
            }
            _ => deep_merge(scenario, k, v),
        }
    }
    Ok(())
}

fn deep_merge(into: &mut Table, k: &str, v: &Value) {
    match (into.get_mut(k), v) {
        (Some(Value::Table(a)), Value::Table(b)) => {
            for (k2, v2) in b {
                deep_merge(a, k2, v2);
            }
        }
        _ => {
            into.insert(k.to_string(), v.clone());
        }
    }
}

/// Merges fragment text into scenario text and validates the result
/// (errors name the fragment or the scenario).
pub fn merge_text(scenario: &str, scenario_file: &str, fragment: &str, fragment_file: &str) -> Result<String, String> {
    let mut doc: Table = scenario.parse().map_err(|e| format!("{scenario_file}: {e}"))?;
    let frag: Table = fragment.parse().map_err(|e| format!("{fragment_file}: {e}"))?;
    merge(&mut doc, &frag).map_err(|e| format!("{fragment_file}: {e}"))?;
    let text = toml::to_string(&doc).map_err(|e| format!("cannot write the merged scenario: {e}"))?;
    crate::scenario::parse_str(&text, &format!("{scenario_file} with {fragment_file}")).map_err(|e| e.to_string())?;
    Ok(text)
}
