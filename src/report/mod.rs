//! The proposal-ready report of a run (report.md and report.html).
//!
//! [`build`] turns an output folder's data (and, when available, the scenario
//! it came from) into a small document model — headings, paragraphs, lists,
//! tables, figures — and one writer per format renders it ([`markdown`],
//! [`html`]), so both files always say the same thing in the same order.
//! The report never runs the simulator and never draws: charts arrive as
//! SVG text and file names from `charts`.

pub mod assumptions;
pub mod contracts;
pub mod decision;
pub mod explain;
pub mod html;
pub mod markdown;
pub mod strategies;
pub mod uncertainty;

use crate::analysis::{self, Better, Stat};
use crate::charts::RunData;
use crate::model::{Channel, ChannelParams, Model};
use crate::sim::M;
use crate::stats::{self, Paired};
use std::collections::HashMap;

/// Inline text.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Code(String),
}

/// A table; `numeric[c]` right-aligns column c.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<bool>,
}

/// A chart as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// What the chart shows, in a sentence or two.
    pub caption: String,
    /// The SVG document, inlined in HTML.
    pub svg: String,
    /// Path of the image file relative to the report, linked from Markdown.
    pub file: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Para(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Table(Table),
    Figure(Chart),
}

/// A whole report.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    pub title: String,
    pub blocks: Vec<Block>,
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}
fn strong(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}
fn para(parts: Vec<Inline>) -> Block {
    Block::Para(parts)
}
fn heading(level: u8, s: impl Into<String>) -> Block {
    Block::Heading(level, s.into())
}

impl Doc {
    /// Inserts `blocks` before the first level-2 heading that starts with
    /// `before` (at the end when there is none): how sections computed
    /// elsewhere (`podsim explain`'s, an uncertainty section) join the report.
    pub fn insert_before(&mut self, before: &str, blocks: Vec<Block>) {
        let at = self
            .blocks
            .iter()
            .position(|b| matches!(b, Block::Heading(2, t) if t.starts_with(before)))
            .unwrap_or(self.blocks.len());
        self.blocks.splice(at..at, blocks);
    }
}

/// Where the scenario's parameters came from, for the assumptions section.
pub enum Scenario<'a> {
    /// The scenario file was found and its hash matches run.json.
    Loaded(&'a Model),
    /// Not available; the reason is shown in the report, and the report lists
    /// podsim's documented channel defaults (indexed by `Channel::index`),
    /// which the caller supplies so the report needs no validation internals.
    Unavailable {
        why: String,
        channel_defaults: Box<[ChannelParams; Channel::COUNT]>,
    },
}

/// A chart that was not drawn, with the reason.
pub struct Omitted {
    pub title: String,
    pub reason: String,
}

/// Builds the report of the run in `d`.
pub fn build(d: &RunData, scenario: &Scenario, charts: &[Chart], omitted: &[Omitted]) -> Doc {
    let info = &d.info;
    let names = d.strategies();
    let mut b = Vec::new();
    b.push(para(vec![text(format!(
        "Simulated with podsim {}: {} replications of each of {} strateg{}, seed {}. Every number below comes from the result files next to this report (summary.csv, reps.csv, timeseries.csv).",
        info.podsim_version,
        info.replications,
        names.len(),
        if names.len() == 1 { "y" } else { "ies" },
        info.seed
    ))]));

    let model = match scenario {
        Scenario::Loaded(m) => Some(*m),
        Scenario::Unavailable { .. } => None,
    };
    // The decision summary opens the report; with a [decision] table its
    // decision value over the plausible worlds leads it (issue #16).
    let mut opening = decision::blocks(d, model).into_iter();
    b.extend(opening.next());
    b.extend(uncertainty::lead(d));
    b.extend(opening);
    if let Some(m) = model {
        b.extend(strategies::blocks(m));
    }

    b.push(heading(2, "Differences in detail"));
    b.extend(summary(d));

    b.push(heading(2, "Results by strategy"));
    b.push(para(vec![text(
        "Mean across replications with its 95 % confidence interval, or the stated percentile of the replications.",
    )]));
    b.push(Block::Table(results_table(d, model)));
    b.extend(contracts::blocks(d, model));

    if names.len() > 1 {
        b.push(heading(2, "Paired comparison"));
        let better_in = if d.uncertainty.is_some() {
            "\"P(better) over worlds\" is the share of replications, each a world with its own sampled inputs, in which the strategy did better: the spread over what we don't know, beside the 95 % CI of the mean difference (simulation noise and worlds together)."
        } else {
            "\"Better in\" is the share of replications in which the strategy did better."
        };
        b.push(para(vec![text(format!(
            "Each strategy against {}, replication by replication: both faced exactly the same work in a replication (common random numbers), so the difference is measured pairwise. {better_in}",
            strategies::quoted(&names[0])
        ))]));
        b.push(Block::Table(paired_table(d)));
    }

    b.extend(uncertainty::section(d, charts));

    b.push(heading(2, "Charts"));
    // The charts over worlds are shown in their section above.
    for c in charts
        .iter()
        .filter(|c| !crate::charts::WORLD_CHART_IDS.contains(&c.id.as_str()))
    {
        b.push(heading(3, c.title.clone()));
        b.push(Block::Figure(c.clone()));
    }
    if !omitted.is_empty() {
        b.push(para(vec![text(
            "Not drawn, because the data does not apply to this scenario:",
        )]));
        b.push(Block::List(
            omitted
                .iter()
                .map(|o| vec![strong(o.title.clone()), text(format!(": {}.", o.reason))])
                .collect(),
        ));
    }

    b.push(heading(2, "Scenario and assumptions"));
    b.push(heading(3, "Run"));
    b.push(Block::Table(run_table(d)));
    b.extend(assumptions::blocks(scenario));

    b.push(heading(2, "Method"));
    b.push(Block::List(method(d)));
    b.push(heading(2, "Caveats"));
    b.push(Block::List(caveats(d)));

    Doc {
        title: format!("{} — podsim report", info.scenario_name),
        blocks: b,
    }
}

/// Values of `metric` paired by replication: (baseline, other) for replications in both.
fn paired_values(d: &RunData, s: usize, metric: &str) -> (Vec<f64>, Vec<f64>) {
    let base: HashMap<u64, f64> = d.reps(0, metric).unwrap_or_default().into_iter().collect();
    let mut a = Vec::new();
    let mut o = Vec::new();
    for (rep, v) in d.reps(s, metric).unwrap_or_default() {
        if let Some(&x) = base.get(&rep) {
            a.push(x);
            o.push(v);
        }
    }
    (a, o)
}

/// Paired difference (strategy `s` minus strategy 0) of `metric`.
pub fn paired(d: &RunData, s: usize, metric: &str) -> Paired {
    let (a, o) = paired_values(d, s, metric);
    stats::paired(&a, &o, analysis::LEVEL)
}

/// How a headline difference is put into words.
struct Phrase {
    metric: M,
    /// "finish {x} weeks {earlier|later}"
    verb_good: &'static str,
    verb_bad: &'static str,
    what: &'static str,
}

fn phrases() -> Vec<Phrase> {
    vec![
        Phrase {
            metric: M::FinishWeek,
            verb_good: "finishes {} weeks earlier",
            verb_bad: "finishes {} weeks later",
            what: "finish week",
        },
        Phrase {
            metric: M::DeepFocusPerSeniorWeek,
            verb_good: "frees {} h/week per senior for deep focus",
            verb_bad: "takes {} h/week of deep focus from each senior",
            what: "deep focus",
        },
        Phrase {
            metric: M::CostTotal,
            verb_good: "costs {} less",
            verb_bad: "costs {} more",
            what: "total cost",
        },
        Phrase {
            metric: M::EscapedPer1000,
            verb_good: "lets {} fewer defects per 1,000 items escape",
            verb_bad: "lets {} more defects per 1,000 items escape",
            what: "escaped defects",
        },
    ]
}

/// "finishes 4.4 weeks earlier (95 % CI 4.0–4.8)" or "no clear difference in total cost (+$4,184; 95 % CI −$12,267 to +$20,636)".
fn describe(p: &Phrase, diff: &Paired) -> Option<String> {
    let m = &diff.diff;
    if m.n == 0 || !m.mean.is_finite() {
        return None;
    }
    let ci_ok = m.ci_low.is_finite() && m.ci_high.is_finite();
    let clear = ci_ok && (m.ci_low > 0.0 || m.ci_high < 0.0);
    if !clear && ci_ok {
        return Some(format!(
            "shows no clear difference in {} ({}; 95 % CI {} to {})",
            p.what,
            p.metric.info().format.signed(m.mean, "−"),
            p.metric.info().format.signed(m.ci_low, "−"),
            p.metric.info().format.signed(m.ci_high, "−")
        ));
    }
    if m.mean == 0.0 {
        return Some(format!("shows no difference in {}", p.what));
    }
    // The phrases are all of metrics with a direction; the mean is not 0 here.
    let good = (p.metric.info().better == Some(Better::Higher)) == (m.mean > 0.0);
    let verb = if good { p.verb_good } else { p.verb_bad };
    let mut s = verb.replace("{}", &p.metric.info().format.value(m.mean.abs()));
    if ci_ok {
        let (lo, hi) = (m.ci_low.abs().min(m.ci_high.abs()), m.ci_low.abs().max(m.ci_high.abs()));
        s.push_str(&format!(
            " (95 % CI {}–{})",
            p.metric.info().format.value(lo),
            p.metric.info().format.value(hi)
        ));
    }
    Some(s)
}

/// Share of replications finished by the deadline (censored ones never are).
pub fn on_time_share(d: &RunData, s: usize, deadline: f64) -> Option<f64> {
    let weeks = d.reps(s, M::FinishWeek.name())?;
    let censored: HashMap<u64, f64> = d.reps(s, M::Censored.name()).unwrap_or_default().into_iter().collect();
    let valid: Vec<(u64, f64)> = weeks.into_iter().filter(|(_, w)| !w.is_nan()).collect();
    if valid.is_empty() {
        return None;
    }
    let ok = valid
        .iter()
        .filter(|(r, w)| *w <= deadline + 1e-9 && censored.get(r).is_none_or(|c| *c < 0.5))
        .count();
    Some(ok as f64 / valid.len() as f64)
}

fn summary(d: &RunData) -> Vec<Block> {
    let names = d.strategies();
    let mut out = Vec::new();
    if names.len() > 1 {
        let mut items = Vec::new();
        for (s, name) in names.iter().enumerate().skip(1) {
            let parts: Vec<String> = phrases()
                .iter()
                .filter_map(|p| describe(p, &paired(d, s, p.metric.name())))
                .collect();
            if parts.is_empty() {
                continue;
            }
            items.push(vec![
                text(format!("Compared with {}, ", strategies::quoted(&names[0]))),
                strong(strategies::quoted(name)),
                text(format!(" {}.", join_and(&parts))),
            ]);
        }
        if !items.is_empty() {
            out.push(para(vec![text(format!(
                "Differences are paired over the same {} replications; \"95 % CI\" is the 95 % confidence interval of the mean difference.",
                d.info.replications
            ))]));
            out.push(Block::List(items));
        }
    }
    if let Some(deadline) = d.info.deadline_weeks {
        let shares: Vec<String> = names
            .iter()
            .enumerate()
            .filter_map(|(s, n)| {
                on_time_share(d, s, deadline).map(|p| format!("{} in {:.0} %", strategies::quoted(n), 100.0 * p))
            })
            .collect();
        if !shares.is_empty() {
            out.push(para(vec![
                strong(format!("Deadline (week {}).", trim(deadline))),
                text(format!(
                    " Share of replications finished by then: {}.",
                    shares.join(", ")
                )),
            ]));
        }
    }
    for (s, n) in names.iter().enumerate() {
        if let Some(c) = d.summary(s, M::Censored.name()).filter(|c| c.n > 0 && c.mean > 0.0) {
            out.push(para(vec![text(format!(
                "Note: {} did not finish by the horizon (week {}) in {:.0} % of replications; its finish-week figures are lower bounds.",
                strategies::quoted(n),
                trim(d.horizon_weeks()),
                100.0 * c.mean
            ))]));
        }
    }
    if out.is_empty() {
        out.push(para(vec![text(
            "One strategy was simulated, so there is no comparison; its results are below.",
        )]));
    }
    out
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join("; ")),
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn results_table(d: &RunData, model: Option<&Model>) -> Table {
    let names = d.strategies();
    let mut header = vec!["Metric".to_string()];
    header.extend(names.iter().map(|n| strategies::quoted(n)));
    let mut rows = Vec::new();
    let mean_cell = |x: &stats::Summary, unit: crate::metrics::Format| {
        if x.ci_low.is_finite() && x.ci_high > x.ci_low {
            format!(
                "{} ({}–{})",
                unit.value(x.mean),
                unit.value(x.ci_low),
                unit.value(x.ci_high)
            )
        } else {
            unit.value(x.mean)
        }
    };
    for h in analysis::headlines() {
        let unit = h.format();
        let cells: Vec<String> = (0..names.len())
            .map(|s| match d.summary(s, h.metric.name()).filter(|x| x.n > 0) {
                None => "n/a".into(),
                Some(x) => match h.stat {
                    Stat::Mean => mean_cell(x, unit),
                    stat => unit.value(stat.of(x)),
                },
            })
            .collect();
        if cells.iter().all(|c| c == "n/a") {
            continue;
        }
        let label = match h.stat {
            Stat::Mean => format!("{} (mean, 95 % CI)", h.label()),
            _ => h.label(),
        };
        let mut row = vec![label];
        row.extend(cells);
        rows.push(row);
        // The P85 finish as a calendar date, under its week.
        if h.metric == M::FinishWeek && h.stat == Stat::P85 {
            if let Some(start) = model.and_then(|m| m.start_date.as_deref()) {
                let mut row = vec!["Finish date (P85)".to_string()];
                row.extend((0..names.len()).map(|s| {
                    let censored = d
                        .summary(s, M::Censored.name())
                        .is_some_and(|c| c.n > 0 && c.mean > 0.15);
                    match d.summary(s, h.metric.name()).filter(|x| x.n > 0) {
                        _ if censored => "after the horizon".to_string(),
                        Some(x) => crate::calendar::date_after_weeks(start, x.p85).unwrap_or_else(|| "n/a".into()),
                        None => "n/a".into(),
                    }
                }));
                rows.push(row);
            }
        }
    }
    // Backlog and flow work apart (issue #14 item 4): a strategy that served
    // more arrivals is not dearer per item for that alone.
    let flow = (0..names.len()).any(|s| {
        d.summary(s, M::AcceptedFlow.name())
            .is_some_and(|x| x.n > 0 && x.mean > 0.0)
    });
    if flow {
        for m in [M::AcceptedBacklog, M::AcceptedFlow, M::CostPerBacklogItem] {
            let info = m.info();
            let cells: Vec<String> = (0..names.len())
                .map(|s| {
                    d.summary(s, m.name())
                        .filter(|x| x.n > 0)
                        .map_or("n/a".into(), |x| mean_cell(x, info.format))
                })
                .collect();
            if cells.iter().all(|c| c == "n/a") {
                continue;
            }
            let mut row = vec![format!("{} (mean, 95 % CI)", info.short)];
            row.extend(cells);
            rows.push(row);
        }
    }
    let mut numeric = vec![false];
    numeric.extend(names.iter().map(|_| true));
    Table { header, rows, numeric }
}

fn paired_table(d: &RunData) -> Table {
    let names = d.strategies();
    let wins = if d.uncertainty.is_some() {
        "P(better) over worlds"
    } else {
        "Better in"
    };
    let header = ["Strategy", "Metric", "Difference (mean)", "95 % CI", wins]
        .map(String::from)
        .to_vec();
    let mut rows = Vec::new();
    for (s, name) in names.iter().enumerate().skip(1) {
        for h in analysis::headlines() {
            if h.stat == Stat::P50 {
                continue;
            }
            let p = paired(d, s, h.metric.name());
            if p.diff.n == 0 || !p.diff.mean.is_finite() {
                continue;
            }
            let unit = h.format();
            let label = h.short_label();
            let wins = h.wins(&p);
            let ci = if p.diff.ci_low.is_finite() {
                format!(
                    "{} to {}",
                    unit.signed(p.diff.ci_low, "−"),
                    unit.signed(p.diff.ci_high, "−")
                )
            } else {
                "n/a".into()
            };
            rows.push(vec![
                strategies::quoted(name),
                label.to_string(),
                unit.signed(p.diff.mean, "−"),
                ci,
                format!("{:.0} %", 100.0 * wins),
            ]);
        }
    }
    Table {
        header,
        rows,
        numeric: vec![false, false, true, true, true],
    }
}

fn run_table(d: &RunData) -> Table {
    let i = &d.info;
    let mut rows = vec![
        vec!["Scenario".into(), i.scenario_name.clone()],
        vec!["Scenario file".into(), i.scenario_path.clone()],
        vec!["Scenario SHA-256".into(), i.scenario_sha256.clone()],
        vec!["Seed".into(), i.seed.to_string()],
        vec!["Replications per strategy".into(), i.replications.to_string()],
        vec![
            "Strategies".into(),
            i.strategies
                .iter()
                .map(|n| strategies::quoted(n))
                .collect::<Vec<_>>()
                .join(", "),
        ],
    ];
    if let Some(dl) = i.deadline_weeks {
        rows.push(vec!["Deadline".into(), format!("week {}", trim(dl))]);
    }
    rows.push(vec!["Horizon".into(), format!("week {}", trim(d.horizon_weeks()))]);
    rows.push(vec!["podsim version".into(), i.podsim_version.clone()]);
    Table {
        header: vec!["Item".into(), "Value".into()],
        rows,
        numeric: vec![false, false],
    }
}

fn method(d: &RunData) -> Vec<Vec<Inline>> {
    vec![
        vec![text(
            "podsim is a discrete-event simulation of the programme: work items, contributors, pod leads and the client's senior ML engineers, \
             in working hours (1 week = 40 h). Interruptions, questions, reviews, defects, attrition, hiring and bench scaling follow the \
             rules and defaults of podsim's MODEL.md; the assumptions table above lists the main values.",
        )],
        vec![text(format!(
            "Each strategy was simulated {} times (replications). In a given replication every strategy faces exactly the same work \
             (common random numbers), so strategies are compared replication by replication (paired differences).",
            d.info.replications
        ))],
        vec![text(
            "Means come with a 95 % confidence interval (Student t) that reflects simulation noise. Percentiles (P50, P85, P95) describe the \
             spread of outcomes across replications, e.g. P85 finish week = 85 % of replications finish by then.",
        )],
        vec![text(format!(
            "Work not finished by the horizon (week {}) is censored: counted at the horizon, so affected finish-week figures are lower bounds.",
            trim(d.horizon_weeks())
        ))],
        vec![
            text("Reproduce: "),
            Inline::Code(format!("podsim run {} --seed {} --reps {}", d.info.scenario_path, d.info.seed, d.info.replications)),
            text(" gives identical numbers for any thread count."),
        ],
    ]
}

fn caveats(d: &RunData) -> Vec<Vec<Inline>> {
    let mut c = vec![
        vec![text(
            "The model is a simplification: it captures queueing, coordination overhead, interruptions and quality loops, not team morale, \
             learning across projects or organisational politics.",
        )],
        vec![text(
            "Many defaults are estimates or industry survey figures (marked in the assumptions table); rates in example scenarios are \
             illustrative. Results are only as good as the scenario's inputs: change a doubtful input and re-run to see how much it matters.",
        )],
        vec![text(if d.uncertainty.is_some() {
            "Inputs declared in [uncertainty] vary over the worlds and their spread is in the results; every other input is taken as written, and a narrow interval does not make those assumptions right."
        } else {
            "Confidence intervals cover simulation noise only, not uncertainty in the inputs: a narrow interval does not make an assumption right."
        })],
    ];
    if d.info.replications < 50 {
        c.push(vec![text(format!(
            "Only {} replications per strategy: percentiles in the tails (P95) are rough; use more replications (--reps) for decisions.",
            d.info.replications
        ))]);
    }
    c
}

#[cfg(test)]
mod tests;
