//! P(best) over worlds: from `uncertainty.json`, one panel per headline
//! metric (and one for the net value), one bar per strategy: the share of
//! the plausible worlds in which that strategy is best (docs/UNCERTAINTY.md).

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, size, INK};
use super::{ChartError, Skip};
use crate::metrics::describe;
use crate::metrics::format::Format;
use crate::results::RunData;
use crate::sim::M;
use plotters::prelude::*;

pub const ID: &str = "p-best";
pub const DESCRIPTION: &str = "How often each strategy is best over the plausible worlds sampled from [uncertainty]: per metric and on net value, the share of worlds (one per replication) in which the strategy is best, ties shared.";

/// The metrics drawn besides net value, in this order (as the comparison chart).
const METRICS: [M; 4] = [
    M::CostTotal,
    M::FinishWeek,
    M::DeepFocusPerSeniorWeek,
    M::EscapedPer1000,
];

#[derive(Clone, Debug)]
pub struct Panel {
    pub title: String,
    /// Share of worlds in which each strategy is best (strategy order).
    pub shares: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct PBest {
    pub title: String,
    pub subtitle: String,
    pub strategies: Vec<String>,
    pub panels: Vec<Panel>,
    pub note: String,
}

pub fn prepare(d: &RunData) -> Result<PBest, Skip> {
    let u = d
        .uncertainty
        .as_ref()
        .ok_or_else(|| Skip("no [uncertainty] in the scenario".into()))?;
    let r = &u.results;
    let names = d.strategies();
    if names.len() < 2 {
        return Err(Skip("one strategy: nothing to choose between".into()));
    }
    let mut panels = Vec::new();
    let v = &r.voi;
    // Net value first: it is what a decision is made on.
    let shares: Vec<f64> = names
        .iter()
        .map(|s| {
            v.strategies
                .iter()
                .find(|x| &x.strategy == s)
                .map_or(f64::NAN, |x| x.p_best)
        })
        .collect();
    panels.push(Panel {
        title: if v.value == "decision value" {
            "Net cost ([decision])".into()
        } else {
            "Net cost (= total cost)".into()
        },
        shares,
    });
    for m in METRICS {
        let Some((_, shares)) = r.p_best.iter().find(|(name, _)| name == m.name()) else {
            continue;
        };
        if shares.len() != names.len() {
            continue;
        }
        // A metric every strategy ties on in every world decides nothing.
        let tied = shares.iter().all(|s| (s - shares[0]).abs() < 1e-12);
        if tied {
            continue;
        }
        panels.push(Panel {
            title: describe(m.name()).label,
            shares: shares.clone(),
        });
    }
    Ok(PBest {
        title: "How often is each strategy best over what we don't know?".into(),
        subtitle: format!(
            "{} · {} plausible worlds (one per replication) · seed {}",
            d.info.scenario_name, r.worlds, d.info.seed
        ),
        strategies: names.to_vec(),
        panels,
        note: "Bars: the share of worlds in which the strategy is best on that metric (lowest cost, earliest finish, most deep focus, \
               fewest escapes), ties shared; the shares of a panel add up to 100 %. Each world samples every input of [uncertainty] once \
               and every strategy faces it, so the spread is over what we don't know, not simulation noise alone. \
               Metrics on which every strategy ties are left out; uncertainty.json lists every headline metric."
            .into(),
    })
}

pub fn draw<DB: DrawingBackend>(c: &PBest, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let items: Vec<LegendItem> = c
        .strategies
        .iter()
        .enumerate()
        .map(|(i, s)| LegendItem::new(s, style::strategy_color(i), Mark::Box))
        .collect();
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let (rows, cols) = layout::grid(c.panels.len());
    for (p, a) in c.panels.iter().zip(layout::panels(&body, rows, cols, 24)) {
        draw_panel(p, &a)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(p: &Panel, area: &Area<DB>) -> Result<(), ChartError> {
    let n = p.shares.len();
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, layout::panel_title_style())
        .margin_top(10)
        .margin_right(8)
        .x_label_area_size(12)
        .y_label_area_size(92)
        .build_cartesian_2d(layout::category_axis(n), 0.0..1.1)?;
    let x_fmt = |_: &f64| String::new();
    let y_fmt = |y: &f64| {
        if *y <= 1.0 + 1e-9 {
            Format::Percent.value(*y)
        } else {
            String::new()
        }
    };
    layout::mesh(&mut chart)
        .disable_x_mesh()
        .x_labels(n)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_desc("share of worlds best")
        .draw()?;
    let half = if n == 1 { 0.2 } else { 0.32 };
    let value_style = style::text(size::VALUE, INK);
    for (i, &s) in p.shares.iter().enumerate() {
        if !s.is_finite() {
            continue;
        }
        let x = i as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - half, 0.0), (x + half, s)],
            style::strategy_color(i).filled(),
        )))?;
        layout::label_above(&chart, (x, s), &Format::Percent.value(s), &value_style)?;
    }
    Ok(())
}
