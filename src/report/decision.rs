//! The report's opening: a short decision summary — who meets the deadline,
//! at what cost, and what the cheapest such strategy trades away (senior
//! deep focus, quality, access) — and a one-row-per-strategy table with the
//! P85 finish week and date. Backlog work and flow work (arrivals served)
//! are named apart, so a slower strategy that served more arrivals is not
//! read as dearer per item than it is (issue #14 item 4).

use super::strategies::quoted;
use super::{heading, on_time_share, para, strong, text, trim, Block, Table};
use crate::charts::RunData;
use crate::metrics::Format;
use crate::model::Model;
use crate::sim::M;

/// Share of replications by the deadline that counts as "meets it": the
/// P85 finish is on time.
pub const MEETS: f64 = 0.85;

/// What the summary needs of one strategy.
struct Row {
    name: String,
    on_time: Option<f64>,
    p85: Option<f64>,
    censored: bool,
    cost: Option<f64>,
    focus: Option<f64>,
    escaped: Option<f64>,
    access: Option<f64>,
    backlog: Option<f64>,
    flow: Option<f64>,
    per_backlog_item: Option<f64>,
}

fn mean(d: &RunData, s: usize, m: M) -> Option<f64> {
    d.summary(s, m.name())
        .filter(|x| x.n > 0 && x.mean.is_finite())
        .map(|x| x.mean)
}

fn rows(d: &RunData) -> Vec<Row> {
    d.strategies()
        .iter()
        .enumerate()
        .map(|(s, name)| Row {
            name: name.clone(),
            on_time: d.info.deadline_weeks.and_then(|dl| on_time_share(d, s, dl)),
            p85: d
                .summary(s, M::FinishWeek.name())
                .filter(|x| x.n > 0 && x.p85.is_finite())
                .map(|x| x.p85),
            censored: mean(d, s, M::Censored).is_some_and(|c| c > 0.15),
            cost: mean(d, s, M::CostTotal),
            focus: mean(d, s, M::DeepFocusPerSeniorWeek),
            escaped: mean(d, s, M::EscapedPer1000),
            access: mean(d, s, M::DistinctPeople),
            backlog: mean(d, s, M::AcceptedBacklog),
            flow: mean(d, s, M::AcceptedFlow),
            per_backlog_item: mean(d, s, M::CostPerBacklogItem),
        })
        .collect()
}

fn list(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    match q.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "18 h/week less deep focus per senior, 11 more escaped defects per 1,000 items and 2 fewer people with access".
fn trades(cheap: &Row, other: &Row) -> Vec<String> {
    let mut t = Vec::new();
    if let (Some(a), Some(b)) = (cheap.focus, other.focus) {
        let diff = b - a;
        if diff.abs() >= 0.5 {
            t.push(format!(
                "{} h/week {} deep focus per senior",
                Format::Hours.value(diff.abs()),
                if diff > 0.0 { "less" } else { "more" }
            ));
        }
    }
    if let (Some(a), Some(b)) = (cheap.escaped, other.escaped) {
        let diff = a - b;
        if diff.abs() >= 0.5 {
            t.push(format!(
                "{} {} escaped defects per 1,000 items",
                Format::Count.value(diff.abs()),
                if diff > 0.0 { "more" } else { "fewer" }
            ));
        }
    }
    if let (Some(a), Some(b)) = (cheap.access, other.access) {
        let diff = a - b;
        if diff.abs() >= 0.5 {
            t.push(format!(
                "{} {} people ever with access to the data",
                Format::Count.value(diff.abs()),
                if diff > 0.0 { "more" } else { "fewer" }
            ));
        }
    }
    t
}

fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// The decision summary blocks (heading included).
pub fn blocks(d: &RunData, model: Option<&Model>) -> Vec<Block> {
    let mut out = vec![heading(2, "Decision summary")];
    let rs = rows(d);
    let start = model.and_then(|m| m.start_date.clone());
    let date = |w: f64| start.as_deref().and_then(|s| crate::calendar::date_after_weeks(s, w));
    let cheapest = |set: &[&Row]| -> Option<usize> {
        set.iter()
            .enumerate()
            .filter(|(_, r)| r.cost.is_some())
            .min_by(|a, b| {
                a.1.cost
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&b.1.cost.unwrap_or(f64::INFINITY))
            })
            .map(|(i, _)| i)
    };
    let mut sentences = Vec::new();
    let mut against: Vec<String> = Vec::new();
    // The strategies the choice is among: those that meet the deadline, or
    // every strategy when none does (or there is no deadline).
    let mut pool: Vec<&Row> = rs.iter().collect();
    if let Some(dl) = d.info.deadline_weeks {
        let when = date(dl).map(|x| format!(" ({x})")).unwrap_or_default();
        let meets: Vec<&Row> = rs.iter().filter(|r| r.on_time.is_some_and(|p| p >= MEETS)).collect();
        if meets.is_empty() {
            let best = rs
                .iter()
                .filter(|r| r.on_time.is_some())
                .max_by(|a, b| a.on_time.unwrap_or(0.0).total_cmp(&b.on_time.unwrap_or(0.0)));
            let mut s = format!(
                "No strategy finishes by the deadline, week {}{when}, in at least {:.0} % of replications.",
                trim(dl),
                100.0 * MEETS
            );
            if let Some(b) = best.filter(|b| b.on_time.is_some_and(|p| p > 0.0)) {
                s.push_str(&format!(
                    " The most likely to is {} ({:.0} %).",
                    quoted(&b.name),
                    100.0 * b.on_time.unwrap_or(0.0)
                ));
            }
            sentences.push(s);
        } else {
            let names: Vec<&str> = meets.iter().map(|r| r.name.as_str()).collect();
            let verb = if names.len() == 1 { "finishes" } else { "finish" };
            sentences.push(format!(
                "{} {verb} by the deadline, week {}{when}, in at least {:.0} % of replications.",
                list(&names),
                trim(dl),
                100.0 * MEETS
            ));
            let late: Vec<&str> = rs
                .iter()
                .filter(|r| r.on_time.is_some_and(|p| p < MEETS))
                .map(|r| r.name.as_str())
                .collect();
            if !late.is_empty() {
                sentences.push(format!(
                    "{} {} it in more than {:.0} % of replications.",
                    list(&late),
                    if late.len() == 1 { "misses" } else { "miss" },
                    100.0 * (1.0 - MEETS)
                ));
            }
            pool = meets;
        }
    } else {
        sentences.push("The scenario sets no deadline.".into());
    }
    if let Some(i) = cheapest(&pool) {
        let c = pool[i];
        let among = if pool.len() == rs.len() {
            "of all the strategies"
        } else if pool.len() == 1 {
            "that meets it"
        } else {
            "of those that meet it"
        };
        let finish = if c.censored {
            ", often not finishing within the horizon".to_string()
        } else {
            c.p85
                .map(|w| format!(", P85 finish week {}", Format::Weeks.value(w)))
                .unwrap_or_default()
        };
        if rs.len() > 1 {
            sentences.push(format!(
                "The cheapest {among} is {} at {} (mean total cost{finish}).",
                quoted(&c.name),
                Format::Money.value(c.cost.unwrap_or(f64::NAN))
            ));
        }
        // What the cheapest choice gives up against each dearer strategy.
        for o in rs.iter().filter(|o| o.name != c.name) {
            let (Some(oc), Some(cc)) = (o.cost, c.cost) else {
                continue;
            };
            let t = trades(c, o);
            if t.is_empty() || oc <= cc {
                continue;
            }
            against.push(format!(
                "Against {}, which costs {} more, {} has {}.",
                quoted(&o.name),
                Format::Money.value(oc - cc),
                quoted(&c.name),
                join(&t)
            ));
        }
    }
    let flow_differs = {
        let f: Vec<f64> = rs.iter().filter_map(|r| r.flow).collect();
        f.iter().any(|&x| x > 0.0) && f.iter().any(|&x| (x - f[0]).abs() >= 1.0)
    };
    if flow_differs {
        sentences.push(
            "The strategies served different numbers of arrivals (flow work) besides the backlog: compare cost per backlog item \
             and the backlog and flow rows below, not cost per accepted item alone."
                .into(),
        );
    }
    let flow_note = flow_differs.then(|| sentences.pop()).flatten();
    for s in sentences {
        out.push(para(vec![text(s)]));
    }
    if !against.is_empty() {
        out.push(Block::List(against.into_iter().map(|a| vec![text(a)]).collect()));
    }
    if let Some(n) = flow_note {
        out.push(para(vec![text(n)]));
    }

    let mut header = vec!["Strategy".to_string()];
    if d.info.deadline_weeks.is_some() {
        header.push("By the deadline".into());
    }
    header.push("Finish week (P85)".into());
    if start.is_some() {
        header.push("Finish date (P85)".into());
    }
    header.extend(
        [
            "Total cost",
            "Deep focus h / senior / week",
            "Escaped / 1,000 items",
            "People ever with access",
        ]
        .map(String::from),
    );
    let show_flow = rs.iter().any(|r| r.flow.is_some_and(|f| f > 0.0));
    if show_flow {
        header.extend(
            [
                "Backlog items accepted",
                "Arrivals accepted (flow)",
                "Cost per backlog item",
            ]
            .map(String::from),
        );
    }
    let cell = |x: Option<f64>, f: Format| x.map_or("n/a".to_string(), |v| f.value(v));
    let table_rows = rs
        .iter()
        .map(|r| {
            let mut row = vec![quoted(&r.name)];
            if d.info.deadline_weeks.is_some() {
                row.push(r.on_time.map_or("n/a".into(), |p| format!("{:.0} %", 100.0 * p)));
            }
            if r.censored {
                row.push("after the horizon".into());
            } else {
                row.push(cell(r.p85, Format::Weeks));
            }
            if start.is_some() {
                row.push(if r.censored {
                    "after the horizon".into()
                } else {
                    r.p85.and_then(date).unwrap_or_else(|| "n/a".into())
                });
            }
            row.extend([
                cell(r.cost, Format::Money),
                cell(r.focus, Format::Hours),
                cell(r.escaped, Format::Count),
                cell(r.access, Format::Count),
            ]);
            if show_flow {
                row.extend([
                    cell(r.backlog, Format::Count),
                    cell(r.flow, Format::Count),
                    cell(r.per_backlog_item, Format::Money),
                ]);
            }
            row
        })
        .collect();
    let mut numeric = vec![false];
    numeric.extend(header.iter().skip(1).map(|_| true));
    out.push(Block::Table(Table {
        header,
        rows: table_rows,
        numeric,
    }));
    out.push(para(vec![
        strong("Reading it:"),
        text(format!(
            " means over the replications, except the P85 finish (85 % of replications finish by then){}. \
             The sections below give confidence intervals, paired differences, charts and every assumption.",
            if d.info.deadline_weeks.is_some() {
                "; \"By the deadline\" is the share of replications finished by the deadline"
            } else {
                ""
            }
        )),
    ]));
    out
}
