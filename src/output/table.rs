//! The terminal report of a run: a comparison table a non-analyst can read,
//! paired differences against the first strategy, and, for the M/M/c
//! reduction, the closed-form check. Also its JSON twin (`--format json`).

use crate::aggregate::Aggregate;
use crate::analysis::{self, Analysis, MmcReduction};
use crate::metrics::Format;
use crate::model::Model;
use crate::sim::M;
use crate::stats;
use serde_json::json;
use std::fmt::Write as _;

/// The full text report of a run.
pub fn render(model: &Model, res: &Aggregate, an: &Analysis) -> String {
    let mut out = String::new();
    let names: Vec<&str> = model.strategies.iter().map(|s| s.name.as_str()).collect();
    let label_w = 32;
    let col_w = names.iter().map(|n| n.chars().count()).max().unwrap_or(10).max(14) + 2;
    let unfinished: Vec<f64> = (0..names.len()).map(|s| analysis::unfinished_share(res, s)).collect();
    if model.has_backlog() || model.strategies.len() > 1 {
        let _ = writeln!(
            out,
            "{} replications per strategy (means unless marked P50/P85)",
            res.count
        );
        let _ = write!(out, "{:label_w$}", "");
        for n in &names {
            let _ = write!(out, "{n:>col_w$}");
        }
        out.push('\n');
        let mut cost_marked = false;
        for h in analysis::headlines() {
            let vals: Vec<f64> = (0..names.len())
                .map(|s| h.stat.of(&an.metrics[s][h.metric as usize]))
                .collect();
            if vals.iter().all(|v| !v.is_finite()) {
                continue;
            }
            let _ = write!(out, "{:label_w$}", h.label());
            for (s, v) in vals.iter().enumerate() {
                let mut cell = h.format().value(*v);
                if h.metric == M::FinishWeek && is_censored_at(an, s, h.stat) {
                    cell = format!(">{}", Format::Weeks.value(model.horizon_weeks()));
                }
                if matches!(h.metric, M::CostTotal | M::CostPerAccepted) && unfinished[s] > 0.0 && v.is_finite() {
                    cell.push('*');
                    cost_marked = true;
                }
                let _ = write!(out, "{cell:>col_w$}");
            }
            out.push('\n');
            // The deadline share sits under the finish-week rows it explains.
            if h.metric == M::FinishWeek && h.stat == analysis::Stat::P85 {
                out.push_str(&deadline_row(model, res, names.len(), label_w, col_w));
            }
        }
        if let Some(start) = &model.start_date {
            let _ = write!(out, "{:label_w$}", "Finish date (P85)");
            for s in 0..names.len() {
                let p85 = an.metrics[s][M::FinishWeek as usize].p85;
                let cell = if is_censored_at(an, s, analysis::Stat::P85) {
                    "after horizon".to_string()
                } else {
                    crate::calendar::date_after_weeks(start, p85).unwrap_or_else(|| "n/a".into())
                };
                let _ = write!(out, "{cell:>col_w$}");
            }
            out.push('\n');
        }
        for (n, c) in names.iter().zip(&unfinished) {
            if *c > 0.0 {
                let _ = writeln!(
                    out,
                    "Note: {n} did not finish by the horizon (week {:.0}) in {} of replications; its finish weeks are lower bounds{}.",
                    model.horizon_weeks(),
                    Format::Percent.value(*c),
                    if cost_marked { " and its costs (marked *) pay for unfinished work" } else { "" }
                );
            }
        }
    }
    if names.len() > 1 {
        let worlds = !res.inputs.is_empty();
        let _ = writeln!(
            out,
            "\nCompared with \"{}\" (paired over the same {} replications; 95 % CI of the mean difference; {}):",
            names[0],
            res.count,
            if worlds {
                "P(better) and ties = share of worlds, each a replication with its own sampled inputs, where it is better or equal"
            } else {
                "wins and ties = share of replications where it is better or equal"
            }
        );
        let rows: Vec<Vec<ContrastRow>> = (1..names.len()).map(|s| contrast_rows(res, s, names[0])).collect();
        out.push_str(&render_contrasts(&names[1..], &rows, worlds));
    }
    if let Some(q) = analysis::mmc_reduction(model) {
        out.push_str(&render_mmc(q, an));
    }
    out
}

/// "P(finish by week N)": the share of replications finished by the
/// deadline, which the finish-week percentiles alone do not answer.
fn deadline_row(model: &Model, res: &Aggregate, strategies: usize, label_w: usize, col_w: usize) -> String {
    let Some(deadline) = model.deadline_hours.map(|d| d / crate::model::HOURS_PER_WEEK) else {
        return String::new();
    };
    let shares: Vec<Option<f64>> = (0..strategies)
        .map(|s| analysis::on_time_share(res, s, deadline))
        .collect();
    if shares.iter().all(Option::is_none) {
        return String::new();
    }
    let mut out = format!(
        "{:label_w$}",
        format!("P(finish by week {})", crate::metrics::format::trim(deadline, 1))
    );
    for p in shares {
        let cell = p.map_or_else(|| "n/a".to_string(), |p| Format::Percent.value(p));
        let _ = write!(out, "{cell:>col_w$}");
    }
    out.push('\n');
    out
}

/// One paired row of the comparison against the first strategy.
struct ContrastRow {
    label: &'static str,
    diff: String,
    ci: String,
    /// Replaces difference and CI when they would mislead.
    instead: Option<String>,
    wins: f64,
    ties: f64,
}

fn contrast_rows(res: &Aggregate, s: usize, first: &str) -> Vec<ContrastRow> {
    let mut rows = Vec::new();
    for h in analysis::headlines() {
        if h.stat == analysis::Stat::P50 {
            continue;
        }
        let c = analysis::contrast(res, s, &h);
        let p = &c.paired;
        if p.diff.n == 0 || !p.diff.mean.is_finite() {
            continue;
        }
        let fmt = h.format();
        let ci = if p.diff.ci_low.is_finite() {
            format!(
                "({} to {})",
                fmt.signed(p.diff.ci_low, "-"),
                fmt.signed(p.diff.ci_high, "-")
            )
        } else {
            String::new()
        };
        let instead = match c.unfinished {
            Some((u0, us)) if c.difference_is_censored(h.metric) => Some(unfinished_words(first, u0, us)),
            _ => None,
        };
        let mut diff = fmt.signed(p.diff.mean, "-");
        if c.covers_unfinished_work(h.metric) {
            diff.push('*');
        }
        rows.push(ContrastRow {
            label: h.short_label(),
            diff,
            ci,
            instead,
            wins: c.wins,
            ties: c.ties,
        });
    }
    rows
}

/// The paired rows of every strategy, in columns aligned across all of them.
/// `worlds`: replications sample their inputs, so "wins" reads "P(better)".
fn render_contrasts(names: &[&str], rows: &[Vec<ContrastRow>], worlds: bool) -> String {
    let wins = if worlds { "P(better)" } else { "wins" };
    let all = || rows.iter().flatten();
    let numeric = || all().filter(|r| r.instead.is_none());
    let label_w = all().map(|r| r.label.chars().count()).max().unwrap_or(0) + 2;
    let diff_w = numeric().map(|r| r.diff.chars().count()).max().unwrap_or(0);
    let ci_w = numeric().map(|r| r.ci.chars().count()).max().unwrap_or(0);
    let middle_w = all()
        .filter_map(|r| r.instead.as_ref().map(|t| t.chars().count()))
        .fold(diff_w + 1 + ci_w, usize::max);
    let mut out = String::new();
    for (name, rows) in names.iter().zip(rows) {
        let _ = writeln!(out, "  {name}");
        for r in rows {
            let middle = match &r.instead {
                Some(t) => t.clone(),
                None => format!("{:>diff_w$} {}", r.diff, r.ci),
            };
            let _ = writeln!(
                out,
                "    {:<label_w$}{middle:<middle_w$}  {wins} {:>5}, ties {:>5}",
                r.label,
                Format::Percent.value(r.wins),
                Format::Percent.value(r.ties)
            );
        }
    }
    out
}

/// Words for a finish-week comparison in which some replications never
/// finished: their "finish week" is only the horizon.
fn unfinished_words(first: &str, u0: f64, us: f64) -> String {
    let pct = |x: f64| Format::Percent.value(x);
    match (us > 0.0, u0 > 0.0) {
        (true, true) => format!(
            "did not finish in {} of replications (\"{first}\": {})",
            pct(us),
            pct(u0)
        ),
        (true, false) => format!("did not finish in {} of replications", pct(us)),
        _ => format!("\"{first}\" did not finish in {} of replications", pct(u0)),
    }
}

fn is_censored_at(an: &Analysis, s: usize, stat: analysis::Stat) -> bool {
    let c = an.metrics[s][M::Censored as usize].mean;
    let q = match stat {
        analysis::Stat::P50 => 0.5,
        analysis::Stat::P85 => 0.85,
        analysis::Stat::Mean => 0.0,
    };
    c > 0.0 && (1.0 - c < q + 1e-12 || stat == analysis::Stat::Mean)
}

fn render_mmc(q: MmcReduction, an: &Analysis) -> String {
    let wq = &an.metrics[0][M::QueueWaitMean as usize];
    let pw = &an.metrics[0][M::PWait as usize];
    let lq = &an.metrics[0][M::QueueLenMean as usize];
    let wq_exact = stats::erlang_c_wq(q.lambda, q.mu, q.c);
    let pw_exact = stats::erlang_c(q.lambda, q.mu, q.c);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "M/M/c check (lambda = {}/h, mu = {}/h, c = {}; simulated mean with 95 % CI vs Erlang C):",
        q.lambda, q.mu, q.c
    );
    let row = |out: &mut String, label: &str, s: &stats::Summary, exact: f64| {
        let inside = exact >= s.ci_low && exact <= s.ci_high;
        let _ = writeln!(
            out,
            "  {label:<26}{:>9.4}  ({:.4} to {:.4})   closed form {:>7.4}  {}",
            s.mean,
            s.ci_low,
            s.ci_high,
            exact,
            if inside { "inside CI" } else { "OUTSIDE CI" }
        );
    };
    row(&mut out, "Mean wait in queue (h)", wq, wq_exact);
    row(&mut out, "P(wait)", pw, pw_exact);
    row(&mut out, "Mean queue length", lq, q.lambda * wq_exact);
    out
}

/// The same report as JSON, for scripts.
pub fn render_json(model: &Model, res: &Aggregate, an: &Analysis, info: &crate::output::RunInfo) -> serde_json::Value {
    let opt = |x: f64| {
        if x.is_finite() {
            json!(x)
        } else {
            serde_json::Value::Null
        }
    };
    let strategies: Vec<_> = model
        .strategies
        .iter()
        .enumerate()
        .map(|(s, st)| {
            let metrics: serde_json::Map<String, serde_json::Value> = res
                .layout
                .metric_names
                .iter()
                .enumerate()
                .map(|(m, name)| {
                    let x = &an.metrics[s][m];
                    (
                        name.clone(),
                        json!({"mean": opt(x.mean), "ci_low": opt(x.ci_low), "ci_high": opt(x.ci_high), "p50": opt(x.p50), "p85": opt(x.p85), "n": x.n}),
                    )
                })
                .collect();
            let comparison: serde_json::Map<String, serde_json::Value> = if s == 0 {
                Default::default()
            } else {
                analysis::headlines()
                    .iter()
                    .filter(|h| h.stat != analysis::Stat::P50)
                    .map(|h| {
                        let p = analysis::compare(res, s, h.metric as usize);
                        (
                            h.metric.name().to_string(),
                            json!({"diff_mean": opt(p.diff.mean), "ci_low": opt(p.diff.ci_low), "ci_high": opt(p.diff.ci_high), "share_lower": p.share_lower, "share_higher": p.share_higher}),
                        )
                    })
                    .collect()
            };
            json!({"name": st.name, "metrics": metrics, "vs_first": comparison})
        })
        .collect();
    let mut v = json!({"run": info, "strategies": strategies});
    if let Some(q) = analysis::mmc_reduction(model) {
        v["mmc_check"] = json!({
            "lambda": q.lambda, "mu": q.mu, "c": q.c,
            "erlang_c_wq": stats::erlang_c_wq(q.lambda, q.mu, q.c),
            "erlang_c_p_wait": stats::erlang_c(q.lambda, q.mu, q.c),
        });
    }
    v
}
