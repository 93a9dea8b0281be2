//! Pareto scatter: from `pareto.csv`, every (point, strategy) pair placed
//! by the means of the two objectives; frontier pairs solid and joined by a
//! step line, dominated pairs faded.

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, size, INK, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::metrics::{describe, Described};
use crate::results::SweepData;
use plotters::prelude::*;

pub const ID: &str = "pareto-frontier";
pub const DESCRIPTION: &str = "Every (setting, strategy) pair placed by the means of the two objectives: the frontier (pairs no other pair beats on both) is solid and joined by a step line; dominated pairs are faded.";

#[derive(Clone, Debug)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub strategy: usize,
    /// Colour index (the strategy's place in the scenario: the same as in the run's charts).
    pub color: usize,
    pub frontier: bool,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct Pareto {
    pub title: String,
    pub subtitle: String,
    pub metrics: [String; 2],
    pub descs: [String; 2],
    /// Whether lower is better, per metric.
    pub lower: [bool; 2],
    pub strategies: Vec<String>,
    pub dots: Vec<Dot>,
    pub note: String,
}

pub fn prepare(d: &SweepData) -> Result<Pareto, Skip> {
    let t = d
        .pareto
        .as_ref()
        .ok_or_else(|| Skip("no pareto.csv (sweep without --pareto)".into()))?;
    let lower = [0, 1].map(|k| {
        d.objectives
            .iter()
            .find(|(m, _)| *m == t.metrics[k])
            .map(|(_, b)| b != "higher")
            .unwrap_or(true)
    });
    let dots: Vec<Dot> = t
        .rows
        .iter()
        .filter(|r| r.m[0].0.is_finite() && r.m[1].0.is_finite() && r.status != "undefined")
        .map(|r| Dot {
            x: r.m[0].0,
            y: r.m[1].0,
            strategy: d.strategy_index(&r.strategy).unwrap_or(0),
            color: d.color_index(&r.strategy).unwrap_or(0),
            frontier: r.status == "frontier",
            label: t
                .params
                .iter()
                .zip(&r.xs)
                .map(|(p, x)| format!("{}={}", p.rsplit('.').next().unwrap_or(p), format::trim(*x, 4)))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    if dots.is_empty() {
        return Err(Skip("no (point, strategy) pair has both metrics defined".into()));
    }
    let desc = |k: usize| {
        let Described { label, unit, .. } = describe(&t.metrics[k]);
        let better = if lower[k] {
            "lower is better"
        } else {
            "higher is better"
        };
        if unit.is_empty() {
            format!("{label} (mean; {better})")
        } else {
            format!("{label}, {unit} (mean; {better})")
        }
    };
    let undefined = t.rows.len() - dots.len();
    let mut note = String::from(
        "Each dot is one (setting, strategy) pair at the means of its replications; solid dots form the Pareto frontier (no other pair is at least as good on both metrics and better on one) and are labelled with their setting; faded dots are dominated. The frontier is computed on means: pairs whose confidence intervals overlap may swap places with more replications."
    );
    if undefined > 0 {
        note.push_str(&format!(" {undefined} pair(s) with an undefined metric are not drawn."));
    }
    let names = [0, 1].map(|k| describe(&t.metrics[k]).label.to_lowercase());
    Ok(Pareto {
        title: format!("Pareto frontier: {} against {}", names[1], names[0]),
        subtitle: d.subtitle(),
        metrics: t.metrics.clone(),
        descs: [desc(0), desc(1)],
        lower,
        strategies: d.strategies.clone(),
        dots,
        note,
    })
}

pub fn draw<DB: DrawingBackend>(c: &Pareto, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let mut items: Vec<LegendItem> = c
        .strategies
        .iter()
        .enumerate()
        .filter(|(i, _)| c.dots.iter().any(|d| d.strategy == *i))
        .map(|(i, s)| {
            let color = c.dots.iter().find(|d| d.strategy == i).map_or(i, |d| d.color);
            LegendItem::new(s, style::strategy_color(color), Mark::Box)
        })
        .collect();
    items.push(LegendItem::new("Frontier", REFERENCE, Mark::Line));
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let range = |f: &dyn Fn(&Dot) -> f64| {
        let (lo, hi) = c
            .dots
            .iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(1e-9);
        (lo - pad, hi + pad)
    };
    let (x0, x1) = range(&|d| d.x);
    let (y0, y1) = range(&|d| d.y);
    let xf = |x: &f64| describe(&c.metrics[0]).format.tick(*x);
    let yf = |y: &f64| describe(&c.metrics[1]).format.tick(*y);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(10)
        .margin_right(20)
        .x_label_area_size((size::TICK * 1.5 + size::AXIS * 1.8) as u32)
        .y_label_area_size(96)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    layout::mesh(&mut chart)
        .x_labels(8)
        .y_labels(7)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .x_desc(c.descs[0].as_str())
        .y_desc(c.descs[1].as_str())
        .draw()?;
    // Faded first, so frontier dots sit on top.
    chart.draw_series(
        c.dots
            .iter()
            .filter(|d| !d.frontier)
            .map(|d| Circle::new((d.x, d.y), 6, style::strategy_color(d.color).mix(0.3).filled())),
    )?;
    let mut front: Vec<&Dot> = c.dots.iter().filter(|d| d.frontier).collect();
    front.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    if front.len() > 1 {
        // The step runs through the corner both neighbours dominate.
        let mut path = vec![(front[0].x, front[0].y)];
        for w in front.windows(2) {
            let (a, b) = (w[0], w[1]);
            let worse = |u: f64, v: f64, lower: bool| if lower { u.max(v) } else { u.min(v) };
            let corner = (worse(a.x, b.x, c.lower[0]), worse(a.y, b.y, c.lower[1]));
            path.push(corner);
            path.push((b.x, b.y));
        }
        chart.draw_series(std::iter::once(PathElement::new(path, REFERENCE.stroke_width(2))))?;
    }
    chart.draw_series(front.iter().map(|d| {
        EmptyElement::at((d.x, d.y))
            + Circle::new((0, 0), 7, style::strategy_color(d.color).filled())
            + Circle::new((0, 0), 7, INK.stroke_width(1))
    }))?;
    let st = style::text(size::VALUE, INK);
    let mid = (x0 + x1) / 2.0;
    // Alternate above and beside, so neighbouring frontier labels do not collide.
    for (i, d) in front.iter().enumerate() {
        if d.label.is_empty() {
            continue;
        }
        if i % 2 == 0 {
            layout::label_above(&chart, (d.x, d.y), &d.label, &st)?;
        } else {
            layout::label_at(&chart, (d.x, d.y), &d.label, &st, d.x > mid)?;
        }
    }
    Ok(())
}
