//! The report's section on results over worlds (docs/UNCERTAINTY.md), and
//! the summary's lead when `[decision]` is given. Everything comes from
//! uncertainty.json (read with the run's files into `RunData`).

use super::{heading, para, strong, text, Block, Chart, Inline, Table};
use crate::charts::{evppi, flip, pbest};
use crate::metrics::format::{auto, Format};
use crate::output::uncertainty::{metric_words, threshold_sentence};
use crate::results::{RunData, UncertaintyData};
use crate::sim::M;

/// The summary's first paragraph when `[decision]` values are given.
pub fn lead(d: &RunData) -> Vec<Block> {
    let Some(u) = &d.uncertainty else { return Vec::new() };
    let v = &u.results.voi;
    if v.value != "decision value" {
        return Vec::new();
    }
    let Some(best) = v.strategies.iter().find(|s| s.strategy == v.best) else {
        return Vec::new();
    };
    vec![para(vec![
        text("Decision value over "),
        text(format!("{} plausible worlds: ", u.results.worlds)),
        strong(best.strategy.clone()),
        text(format!(
            " has the lowest expected net cost ({}; cost + lateness + escapes + access - senior focus, as valued in [decision]) and is best in {} of the worlds; expected regret {}. Knowing every uncertain input before deciding would be worth up to {}.",
            Format::Money.value(-best.mean),
            Format::Percent.value(best.p_best),
            Format::Money.value(best.expected_regret),
            Format::Money.value(v.evpi),
        )),
    ])]
}

fn table(header: &[&str], rows: Vec<Vec<String>>, numeric: &[bool]) -> Block {
    Block::Table(Table {
        header: header.iter().map(|s| s.to_string()).collect(),
        rows,
        numeric: numeric.to_vec(),
    })
}

/// The chart `id` among `charts` as a figure block (none when not drawn).
fn figure(charts: &[Chart], id: &str) -> Option<Block> {
    charts.iter().find(|c| c.id == id).map(|c| Block::Figure(c.clone()))
}

/// "Over what we don't know": inputs, P(better) beside the CI, what would
/// have to be true, decision value and value of information, each with its
/// chart (`charts::WORLD_CHART_IDS`, shown here rather than under Charts).
pub fn section(d: &RunData, charts: &[Chart]) -> Vec<Block> {
    let Some(u) = &d.uncertainty else { return Vec::new() };
    let r = &u.results;
    let mut b = vec![heading(2, "Over what we don't know")];
    b.push(para(vec![text(format!(
        "Each of the {} replications sampled one plausible world from the ranges declared in [uncertainty] (a Latin hypercube; docs/UNCERTAINTY.md), and every strategy faced the same world. Confidence intervals measure simulation noise; the share of worlds in which a strategy is better measures the spread over what we don't know.",
        r.worlds
    ))]));
    b.push(table(
        &["input", "field path", "distribution", "low", "high"],
        u.inputs
            .iter()
            .map(|i| {
                vec![
                    i.label.clone(),
                    i.path.clone(),
                    match i.mode {
                        Some(m) => format!("{} (mode {})", i.dist, auto(m)),
                        None => i.dist.clone(),
                    },
                    auto(i.low),
                    auto(i.high),
                ]
            })
            .collect(),
        &[false, false, false, true, true],
    ));
    let base = d.strategies().first().cloned().unwrap_or_default();
    b.push(heading(3, "How often each is better"));
    b.push(table(
        &[
            "strategy",
            "metric",
            "mean difference (95 % CI: simulation noise)",
            "90 % of worlds",
            "P(better)",
            &format!("P(\"{base}\" better)"),
        ],
        r.pairs
            .iter()
            .filter(|p| p.a == base)
            .map(|p| {
                let (metric, f) = metric_words(&p.metric);
                vec![
                    p.b.clone(),
                    metric,
                    format!(
                        "{} ({} to {})",
                        f.signed(p.mean_diff, "−"),
                        f.signed(p.ci_low, "−"),
                        f.signed(p.ci_high, "−")
                    ),
                    format!("{} to {}", f.signed(p.p5_diff, "−"), f.signed(p.p95_diff, "−")),
                    Format::Percent.value(p.p_b_better),
                    Format::Percent.value(p.p_a_better),
                ]
            })
            .collect(),
        &[false, false, true, true, true, true],
    ));
    b.extend(figure(charts, pbest::ID));
    b.push(heading(3, "What would have to be true"));
    b.push(para(vec![text(
        "Per pair, the inputs ranked by partial rank correlation (PRCC) of the paired difference with each input; for the leading inputs, the value where the winner flips, screened by a linear fit of the difference on the inputs with the others at their means (90 % bootstrap interval). On total cost and finish week, that value is then re-simulated: the break-even search bisects along the input with the other inputs at their central values, and the 90 % interval is the range of values at which the 90 % confidence interval of the mean difference contains zero (docs/UNCERTAINTY.md).",
    )]));
    let mut items: Vec<Vec<Inline>> = Vec::new();
    for p in r
        .pairs
        .iter()
        .filter(|p| p.metric == M::CostTotal.name() || p.metric == M::FinishWeek.name())
    {
        let Some(top) = p.drivers.first() else { continue };
        let sentence = threshold_sentence(p, top, u.label(&top.input)).unwrap_or_else(|| {
            let (metric, _) = metric_words(&p.metric);
            format!(
                "\"{}\" against \"{}\" on {metric}: decided most by {} (PRCC {:.2}); the fitted difference does not cross zero within its sampled range",
                p.b,
                p.a,
                u.label(&top.input),
                top.prcc
            )
        });
        items.push(vec![text(sentence)]);
    }
    if !items.is_empty() {
        b.push(Block::List(items));
    }
    b.extend(figure(charts, flip::ID));
    section_voi(&mut b, u);
    b.extend(figure(charts, evppi::ID));
    b
}

fn section_voi(b: &mut Vec<Block>, u: &UncertaintyData) {
    let v = &u.results.voi;
    b.push(heading(3, "Decision value and value of information"));
    b.push(para(vec![text(if v.value == "decision value" {
        "Net cost per strategy as valued in [decision] (cost + lateness + escapes + access − senior focus), over the worlds."
    } else {
        "Net cost = total cost (no [decision] given), over the worlds."
    })]));
    b.push(table(
        &[
            "strategy",
            "expected net cost",
            "90 % of worlds",
            "P(best)",
            "expected regret",
        ],
        v.strategies
            .iter()
            .map(|s| {
                vec![
                    s.strategy.clone(),
                    Format::Money.value(-s.mean),
                    format!("{} to {}", Format::Money.value(-s.p95), Format::Money.value(-s.p5)),
                    Format::Percent.value(s.p_best),
                    Format::Money.value(s.expected_regret),
                ]
            })
            .collect(),
        &[false, true, true, true, true],
    ));
    let mut by: Vec<&(String, f64)> = v.evppi.iter().collect();
    by.sort_by(|a, b| b.1.total_cmp(&a.1));
    let lead = match by.first() {
        Some((p, x)) if *x > 0.0 => format!(
            "Knowing {} before deciding is worth up to {}; every input together (EVPI) {}.",
            u.label(p),
            Format::Money.value(*x),
            Format::Money.value(v.evpi)
        ),
        _ => {
            let best = v.strategies.iter().find(|s| s.strategy == v.best);
            let why = best.map_or(String::new(), |s| {
                format!(
                    " It is best in {} of the worlds (expected regret of choosing it {}); the regression of net value on each input \
                     (Strong & Oakley 2014, docs/UNCERTAINTY.md) finds no value within the declared ranges at which another strategy \
                     would be expected to do better, so knowing an input first would not change the choice and every EVPPI is 0. \
                     It would grow with wider ranges, or with strategies closer on net value.",
                    Format::Percent.value(s.p_best),
                    Format::Money.value(s.expected_regret)
                )
            });
            format!(
                "No declared input is worth measuring before deciding: \"{}\" is best whatever their values (EVPI {}).{why}",
                v.best,
                Format::Money.value(v.evpi)
            )
        }
    };
    b.push(para(vec![text(lead)]));
    b.push(table(
        &["input", "EVPPI (value of knowing it first)"],
        by.iter()
            .map(|(p, x)| vec![u.label(p).to_string(), Format::Money.value(*x)])
            .collect(),
        &[false, true],
    ));
}
