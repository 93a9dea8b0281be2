//! The report's "Why the strategies differ" section, from the files
//! `podsim explain` wrote beside the run (explain.csv, explain.json): the
//! plain-words headlines, a table of the parts, and the waterfall chart.
//! Only shown when explain ran on the same scenario file as the run.

use super::{heading, para, text, Block, Chart, Inline, Table};
use crate::explain::Mechanism;
use crate::metrics::describe;
use crate::results::ExplainData;

/// The metrics tabled, in order, when explain.csv has them.
const TABLED: [&str; 3] = ["finish_week", "cost_total", "deep_focus_h_per_senior_week"];

/// The section when `podsim explain` has not run beside this run: the
/// report's differences are totals, and the reader is told, with the exact
/// command, how to see which mechanisms and assumptions produce them.
pub fn not_yet(scenario_path: &str, seed: u64, folder: &str) -> Vec<Block> {
    vec![
        heading(2, "Why the strategies differ"),
        para(vec![
            text(
                "Not computed for this folder: the differences above are totals. To split each one into the mechanisms that \
                 produce it (coordination, questions and interruptions, the quality loop, people flow, pricing, …), each with the \
                 inputs behind it, run ",
            ),
            Inline::Code(format!("podsim explain {scenario_path} --seed {seed} --out {folder}")),
            text(" and then "),
            Inline::Code(format!("podsim report {folder}")),
            text(". Method: docs/EXPLAIN.md."),
        ]),
    ]
}

/// The section's blocks; `run_sha256` is the run's scenario hash, so that an
/// explanation of another version of the scenario is named, not shown.
pub fn section(e: &ExplainData, run_sha256: &str, chart: Option<Chart>) -> Vec<Block> {
    let mut b = vec![heading(2, "Why the strategies differ")];
    if e.scenario_sha256 != run_sha256 {
        b.push(para(vec![text(
            "explain.csv in this folder was computed for another version of the scenario file (its SHA-256 differs from run.json's), \
             so it is not shown: run `podsim explain` on the scenario again.",
        )]));
        return b;
    }
    b.push(para(vec![text(format!(
        "Each paired difference is split into the model's mechanisms by exact Shapley values, with common random numbers \
         ({} replications, seed {}): the parts and the base (the difference left with every mechanism switched off) sum to the \
         whole difference in every replication. Each part names the assumption behind it, so it can be checked against your own \
         data. Method: docs/EXPLAIN.md.",
        e.replications, e.seed
    ))]));
    b.push(Block::List(e.headlines.iter().map(|h| vec![text(h.clone())]).collect()));
    for (a, bn) in e.pairs() {
        let metrics: Vec<&str> = TABLED
            .iter()
            .copied()
            .filter(|m| !e.parts(&a, &bn, m).is_empty())
            .collect();
        if metrics.is_empty() {
            continue;
        }
        let mut header = vec![format!("\"{bn}\" − \"{a}\"")];
        header.extend(metrics.iter().map(|m| describe(m).label));
        let mut parts: Vec<String> = vec!["total".into(), "base".into()];
        parts.extend(Mechanism::ALL.iter().map(|m| m.name().to_string()));
        let rows: Vec<Vec<String>> = parts
            .iter()
            .filter_map(|p| {
                let cells: Vec<Option<f64>> = metrics
                    .iter()
                    .map(|m| e.parts(&a, &bn, m).iter().find(|r| &r.part == p).map(|r| r.mean))
                    .collect();
                if cells.iter().all(|c| c.is_none_or(|x| x == 0.0)) && p != "total" && p != "base" {
                    return None;
                }
                let label = match p.as_str() {
                    "total" => "total difference".to_string(),
                    "base" => "base (every mechanism off)".to_string(),
                    other => Mechanism::from_name(other).map_or(other.to_string(), |m| m.label().to_string()),
                };
                let mut row = vec![label];
                row.extend(
                    cells
                        .iter()
                        .zip(&metrics)
                        .map(|(c, m)| c.map_or(String::new(), |x| describe(m).format.signed(x, "−"))),
                );
                Some(row)
            })
            .collect();
        let numeric = std::iter::once(false).chain(metrics.iter().map(|_| true)).collect();
        b.push(Block::Table(Table { header, rows, numeric }));
    }
    if let Some(c) = chart {
        b.push(Block::Figure(c));
    }
    b
}
