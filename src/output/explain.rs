//! `podsim explain` in words and files: explain.csv, the terminal table and
//! the plain-words headline ("Of the 12.3 weeks pods save, 7.1 come from …").
//! The arithmetic is in `crate::explain`; this module only words and writes.

use crate::explain::{assumption, Attribution, Mechanism};
use crate::metrics::format::thousands;
use crate::model::Model;
use crate::output::{csv_field, num};
use crate::sim::M;
use std::fmt::Write as _;

/// How a metric's difference is read: label, unit and the sentence for a
/// negative (`less`) and positive (`more`) difference of `b - a`, with
/// `{x}` where the amount goes.
struct Reading {
    label: &'static str,
    money: bool,
    unit: &'static str,
    less: &'static str,
    more: &'static str,
}

fn reading(m: M) -> Reading {
    let r = |label, money, unit, less, more| Reading {
        label,
        money,
        unit,
        less,
        more,
    };
    match m {
        M::FinishWeek => r(
            "Finish week (mean)",
            false,
            " weeks",
            "finishes {x} earlier",
            "finishes {x} later",
        ),
        M::CostTotal => r("Total cost", true, "", "costs {x} less", "costs {x} more"),
        M::CostPerAccepted => r(
            "Cost per accepted item",
            true,
            "",
            "costs {x} less per accepted item",
            "costs {x} more per accepted item",
        ),
        M::DeepFocusPerSeniorWeek => r(
            "Deep-focus h / senior / week",
            false,
            " h",
            "leaves each senior {x} less deep focus per week",
            "leaves each senior {x} more deep focus per week",
        ),
        M::SeniorInterruptionsPerWeek => r(
            "Senior interruptions / week",
            false,
            "",
            "interrupts the seniors {x} fewer times per week",
            "interrupts the seniors {x} more times per week",
        ),
        M::EscapedPer1000 => r(
            "Escaped / 1,000 accepted items",
            false,
            "",
            "lets {x} fewer defects per 1,000 accepted items escape",
            "lets {x} more defects per 1,000 accepted items escape",
        ),
        M::DistinctPeople => r(
            "People with access (everyone who ever joined)",
            false,
            "",
            "gives {x} fewer people access",
            "gives {x} more people access",
        ),
        _ => r(m.name(), false, "", "is lower by {x}", "is higher by {x}"),
    }
}

fn amount(x: f64, r: &Reading) -> String {
    if r.money {
        let s = thousands(x.abs().round());
        format!("${s}")
    } else {
        format!("{:.1}{}", x.abs(), r.unit)
    }
}

fn signed(x: f64, r: &Reading) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let sign = if x < 0.0 { "−" } else { "+" };
    if r.money {
        format!("{sign}${}", thousands(x.abs().round()))
    } else {
        format!("{sign}{:.2}", x.abs())
    }
}

fn ci(s: &crate::stats::Summary, r: &Reading) -> String {
    if !s.ci_low.is_finite() {
        return String::new();
    }
    format!("[{}, {}]", signed(s.ci_low, r), signed(s.ci_high, r))
}

/// The parts that carry a difference, largest first: at most three, each at
/// least a tenth of the largest.
fn leading_parts(a: &Attribution) -> Vec<(Mechanism, f64)> {
    let mut parts: Vec<(Mechanism, f64)> = a.parts.iter().map(|(m, s)| (*m, s.mean)).collect();
    parts.retain(|(_, x)| x.is_finite() && *x != 0.0);
    parts.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()));
    let top = parts.first().map_or(0.0, |p| p.1.abs());
    parts.retain(|(_, x)| x.abs() >= 0.1 * top);
    parts.truncate(3);
    parts
}

/// One sentence per attribution: what the difference is and where it comes
/// from, each mechanism with the assumption behind it.
pub fn headline(a: &Attribution, names: &[String], model: &Model) -> String {
    let r = reading(a.metric);
    let (an, bn) = (&names[a.a], &names[a.b]);
    let total = a.total.mean;
    if !total.is_finite() {
        return format!(
            "{}: not defined in every replication for \"{bn}\" vs \"{an}\".",
            r.label
        );
    }
    let phrase = if total < 0.0 { r.less } else { r.more };
    let mut s = if a.total.ci_low <= 0.0 && a.total.ci_high >= 0.0 {
        // Not told apart by these replications: say so before any parts.
        format!(
            "\"{bn}\" and \"{an}\" cannot be told apart on {} (mean difference {}, 95 % CI {} to {})",
            r.label.to_lowercase(),
            signed(total, &r),
            signed(a.total.ci_low, &r),
            signed(a.total.ci_high, &r)
        )
    } else {
        format!("\"{bn}\" {} than \"{an}\"", phrase.replace("{x}", &amount(total, &r)))
    };
    let parts = leading_parts(a);
    if parts.is_empty() {
        s.push('.');
        return s;
    }
    s.push_str(": ");
    let words: Vec<String> = parts
        .iter()
        .map(|(m, x)| {
            let same = (x < &0.0) == (total < 0.0);
            format!(
                "{}{} from {} ({})",
                if same { "" } else { "against it, " },
                amount(*x, &r),
                m.label(),
                assumption(*m, model, [a.a, a.b])
            )
        })
        .collect();
    s.push_str(&words.join("; "));
    if a.base.mean.is_finite() && a.base.mean.abs() >= 0.1 * total.abs() {
        let _ = write!(
            s,
            "; with every mechanism off, {} remains {} (roster, rates, productivity)",
            amount(a.base.mean, &r),
            if (a.base.mean < 0.0) == (total < 0.0) {
                "in the same direction"
            } else {
                "against it"
            }
        );
    }
    s.push('.');
    s
}

/// The terminal table: per pair and metric, the total and every part with its CI.
pub fn render(atts: &[Attribution], names: &[String], model: &Model, reps: u64) -> String {
    let mut out = String::new();
    let mut last_pair = None;
    for a in atts {
        let r = reading(a.metric);
        if last_pair != Some((a.a, a.b)) {
            let _ = writeln!(
                out,
                "\n\"{}\" minus \"{}\" ({reps} paired replications, 95 % CI; parts sum to the total):",
                names[a.b], names[a.a]
            );
            last_pair = Some((a.a, a.b));
        }
        let _ = writeln!(out, "\n  {}", r.label);
        let row = |out: &mut String, label: &str, s: &crate::stats::Summary| {
            let _ = writeln!(out, "    {label:<46} {:>14}  {}", signed(s.mean, &r), ci(s, &r));
        };
        row(&mut out, "total difference", &a.total);
        for (m, s) in &a.parts {
            if s.mean != 0.0 || s.sd != 0.0 {
                row(&mut out, m.label(), s);
            }
        }
        row(&mut out, "base (every mechanism off)", &a.base);
        let _ = writeln!(out, "    → {}", headline(a, names, model));
    }
    if !atts.is_empty() {
        let _ = writeln!(
            out,
            "\nRows left out are exactly zero for that metric (the mechanism changes neither side)."
        );
    }
    out
}

/// explain.csv: one row per pair, metric and part (`total` and `base` included).
pub fn explain_csv(atts: &[Attribution], names: &[String]) -> String {
    let mut out = String::from("a,b,metric,part,mean,ci_low,ci_high,sd,n\n");
    for a in atts {
        let mut row = |part: &str, s: &crate::stats::Summary| {
            let _ = writeln!(
                out,
                "{},{},{},{part},{},{},{},{},{}",
                csv_field(&names[a.a]),
                csv_field(&names[a.b]),
                a.metric.name(),
                num(s.mean),
                num(s.ci_low),
                num(s.ci_high),
                num(s.sd),
                s.n
            );
        };
        row("total", &a.total);
        row("base", &a.base);
        for (m, s) in &a.parts {
            row(m.name(), s);
        }
    }
    out
}

/// `--format json`: every attribution with its parts and headline.
pub fn explain_json(atts: &[Attribution], names: &[String], model: &Model) -> serde_json::Value {
    let summary = |s: &crate::stats::Summary| serde_json::json!({ "mean": finite(s.mean), "ci_low": finite(s.ci_low), "ci_high": finite(s.ci_high) });
    serde_json::Value::Array(
        atts.iter()
            .map(|a| {
                serde_json::json!({
                    "a": names[a.a],
                    "b": names[a.b],
                    "metric": a.metric.name(),
                    "total": summary(&a.total),
                    "base": summary(&a.base),
                    "parts": a.parts.iter().map(|(m, s)| {
                        let mut v = summary(s);
                        v["mechanism"] = serde_json::Value::from(m.name());
                        v
                    }).collect::<Vec<_>>(),
                    "headline": headline(a, names, model),
                })
            })
            .collect(),
    )
}

/// JSON has no NaN: undefined values are null.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
