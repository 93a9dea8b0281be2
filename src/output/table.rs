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
    if model.has_backlog() || model.strategies.len() > 1 {
        let _ = write!(out, "{:label_w$}", "");
        for n in &names {
            let _ = write!(out, "{n:>col_w$}");
        }
        out.push('\n');
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
                let _ = write!(out, "{cell:>col_w$}");
            }
            out.push('\n');
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
        for (s, n) in names.iter().enumerate() {
            let c = an.metrics[s][M::Censored as usize].mean;
            if c > 0.0 {
                let _ = writeln!(
                    out,
                    "Note: {n} did not finish by the horizon (week {:.0}) in {:.0} % of replications.",
                    model.horizon_weeks(),
                    100.0 * c
                );
            }
        }
    }
    if names.len() > 1 {
        let _ = writeln!(out, "\nCompared with \"{}\" (paired over the same work; 95 % CI; wins = share of replications where it is better):", names[0]);
        for (s, n) in names.iter().enumerate().skip(1) {
            let _ = writeln!(out, "  {n}");
            for h in analysis::headlines() {
                if h.stat == analysis::Stat::P50 {
                    continue;
                }
                let p = analysis::compare(res, s, h.metric as usize);
                if p.diff.n == 0 || !p.diff.mean.is_finite() {
                    continue;
                }
                let label = h.short_label();
                let wins = h.wins(&p);
                let ci = if p.diff.ci_low.is_finite() {
                    format!(
                        "({} to {})",
                        h.format().signed(p.diff.ci_low, "-"),
                        h.format().signed(p.diff.ci_high, "-")
                    )
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "    {label:<30}{:>12} {ci:<28} wins {:>3.0} %",
                    h.format().signed(p.diff.mean, "-"),
                    100.0 * wins
                );
            }
        }
    }
    if let Some(q) = analysis::mmc_reduction(model) {
        out.push_str(&render_mmc(q, an));
    }
    out
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
