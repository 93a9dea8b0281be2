//! "Who pays when it runs late" (docs/CONTRACTS.md): for runs whose
//! strategies work under `[contract.*]` terms, the client's cost and the
//! providers' margin at the median and in a bad case, side by side, so the
//! reader sees how much of the spread each pricing moves to the vendor.

use super::{heading, para, strategies::quoted, text, Block, Table};
use crate::charts::RunData;
use crate::metrics::{Format, CONTRACT_METRICS};
use crate::model::{Channel, Model};
use crate::sim::M;

/// The pricing of a strategy's providers in words ("per item (pod)").
fn pricing_words(m: &Model, s: usize) -> String {
    let st = &m.strategies[s];
    let words: Vec<String> = Channel::ALL
        .iter()
        .filter_map(|&c| {
            st.contract(m, c)
                .map(|k| format!("{} ({})", k.pricing.label(), c.name()))
        })
        .collect();
    if words.is_empty() {
        "time and materials".into()
    } else {
        words.join(", ")
    }
}

/// The section, or nothing when the run has no contract metrics.
pub fn blocks(d: &RunData, model: Option<&Model>) -> Vec<Block> {
    let names = d.strategies();
    let margin = CONTRACT_METRICS[2].name;
    let credits = CONTRACT_METRICS[3].name;
    if !(0..names.len()).any(|s| d.summary(s, margin).is_some_and(|x| x.n > 0)) {
        return Vec::new();
    }
    let money = |x: f64| Format::Money.value(x);
    let header = [
        "Strategy",
        "Pricing",
        "Client cost (P50)",
        "Client extra in a bad run (P85 − P50)",
        "Provider margin (P50)",
        "Provider margin lost in a bad run (P50 − P10)",
        "Credits to the client (mean)",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    for (s, name) in names.iter().enumerate() {
        let (Some(c), Some(g)) = (
            d.summary(s, M::CostTotal.name()).filter(|x| x.n > 0),
            d.summary(s, margin).filter(|x| x.n > 0),
        ) else {
            continue;
        };
        let pricing = model
            .filter(|m| m.strategies.len() == names.len())
            .map_or_else(|| "—".into(), |m| pricing_words(m, s));
        rows.push(vec![
            quoted(name),
            pricing,
            money(c.p50),
            money(c.p85 - c.p50),
            money(g.p50),
            money(g.p50 - g.p10),
            d.summary(s, credits).map_or("n/a".into(), |x| money(x.mean)),
        ]);
    }
    vec![
        heading(2, "Who pays when it runs late"),
        para(vec![text(
            "The same work under each strategy's commercial terms. The client's extra in a bad run (P85 − P50 of its total cost) is the risk it keeps; the provider's margin lost in a bad run (P50 − P10 of its margin) is the risk it carries. Under time and materials the client pays for every late hour; per item and fixed prices move that to the provider, less what credits and minimum terms move back. Providers' cost is their people's hours at internal rates (docs/CONTRACTS.md).",
        )]),
        Block::Table(Table {
            header,
            rows,
            numeric: vec![false, false, true, true, true, true, true],
        }),
    ]
}
