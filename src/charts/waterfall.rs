//! Waterfall: from `explain.csv`, why two strategies differ. Each panel (a
//! pair and a metric) starts with the difference left when every mechanism
//! is off (the base), adds each mechanism's Shapley part as a floating bar,
//! and ends at the whole paired difference B − A; whiskers are the parts'
//! 95 % confidence intervals.

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, parts, size, INK, MUTED, REFERENCE};
use super::{ChartError, Skip};
use crate::explain::Mechanism;
use crate::metrics::describe;
use crate::results::ExplainData;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub const ID: &str = "explain-waterfall";
pub const DESCRIPTION: &str = "Why the strategies differ: each panel starts from the difference with every mechanism switched off (base), adds each mechanism's exact Shapley part, and ends at the whole paired difference B − A; whiskers are 95 % confidence intervals of the parts.";

/// The metrics drawn, in this order, when explain.csv has them.
const METRICS: [&str; 3] = ["finish_week", "cost_total", "deep_focus_h_per_senior_week"];
const MAX_PAIRS: usize = 2;
const RAISES: RGBColor = parts::ROSE;
const LOWERS: RGBColor = parts::TEAL;
const ENDS: RGBColor = parts::PALE_GREY;

#[derive(Clone, Debug, PartialEq)]
pub enum StepKind {
    Base,
    Part,
    Total,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub label: String,
    pub from: f64,
    pub to: f64,
    /// CI of the part (or of the base/total), as values of the running sum.
    pub ci: (f64, f64),
    pub kind: StepKind,
}

#[derive(Clone, Debug)]
pub struct Panel {
    pub title: String,
    pub metric: String,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug)]
pub struct Waterfall {
    pub title: String,
    pub subtitle: String,
    pub cols: usize,
    pub panels: Vec<Panel>,
    pub note: String,
}

/// Panel titles are narrow: a few words per metric.
fn short_label(metric: &str) -> String {
    match metric {
        "finish_week" => "finish week".into(),
        "cost_total" => "total cost".into(),
        "deep_focus_h_per_senior_week" => "deep focus h/senior/wk".into(),
        m => describe(m).label.to_lowercase(),
    }
}

fn mechanism_label(part: &str) -> String {
    Mechanism::from_name(part).map_or_else(|| part.to_string(), |m| m.label().to_string())
}

pub fn prepare(d: &ExplainData) -> Result<Waterfall, Skip> {
    let pairs = d.pairs();
    if pairs.is_empty() {
        return Err(Skip("explain.csv has no rows".into()));
    }
    let metrics: Vec<&str> = METRICS
        .iter()
        .copied()
        .filter(|m| d.rows.iter().any(|r| r.metric == *m))
        .collect();
    if metrics.is_empty() {
        return Err(Skip(
            "explain.csv has none of finish_week, cost_total, deep_focus_h_per_senior_week".into(),
        ));
    }
    let mut panels = Vec::new();
    for (a, b) in pairs.iter().take(MAX_PAIRS) {
        // One set of rows for every metric of the pair, so that the labels
        // of the first column read across the row.
        let mut shown: Vec<String> = Vec::new();
        for m in &metrics {
            for r in d.parts(a, b, m) {
                let effect = r.mean != 0.0 || r.ci_high > r.ci_low;
                if r.part != "base" && r.part != "total" && effect && !shown.contains(&r.part) {
                    shown.push(r.part.clone());
                }
            }
        }
        shown.sort_by_key(|p| Mechanism::ALL.iter().position(|m| m.name() == p).unwrap_or(usize::MAX));
        for m in &metrics {
            let rows = d.parts(a, b, m);
            let get = |p: &str| rows.iter().find(|r| r.part == p);
            let (Some(base), Some(total)) = (get("base"), get("total")) else {
                continue;
            };
            let mut steps = vec![Step {
                label: "base (all off)".into(),
                from: 0.0,
                to: base.mean,
                ci: (base.ci_low, base.ci_high),
                kind: StepKind::Base,
            }];
            let mut at = base.mean;
            for part in &shown {
                let (mean, lo, hi) = get(part).map_or((0.0, 0.0, 0.0), |r| (r.mean, r.ci_low, r.ci_high));
                steps.push(Step {
                    label: mechanism_label(part),
                    from: at,
                    to: at + mean,
                    ci: (at + lo, at + hi),
                    kind: StepKind::Part,
                });
                at += mean;
            }
            steps.push(Step {
                label: "total".into(),
                from: 0.0,
                to: total.mean,
                ci: (total.ci_low, total.ci_high),
                kind: StepKind::Total,
            });
            panels.push(Panel {
                title: format!("{b} − {a}: {}", short_label(m)),
                metric: m.to_string(),
                steps,
            });
        }
    }
    if panels.is_empty() {
        return Err(Skip("explain.csv has no base and total rows".into()));
    }
    let mut note = format!(
        "Parts are exact Shapley values over the mechanisms (docs/EXPLAIN.md), computed per replication with common random numbers \
         ({} replications, seed {}), so base + parts = total. A mechanism with no effect on either strategy is not drawn.",
        d.replications, d.seed
    );
    if pairs.len() > MAX_PAIRS {
        note.push_str(&format!(
            " The first {MAX_PAIRS} of {} pairs are drawn; explain.csv has them all.",
            pairs.len()
        ));
    }
    Ok(Waterfall {
        title: "Why the strategies differ".into(),
        subtitle: d.scenario_name.clone(),
        cols: metrics.len(),
        panels,
        note,
    })
}

pub fn draw<DB: DrawingBackend>(c: &Waterfall, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let items = vec![
        LegendItem::new("raises B − A", RAISES, Mark::Box),
        LegendItem::new("lowers B − A", LOWERS, Mark::Box),
        LegendItem::new("base and total", ENDS, Mark::Box),
    ];
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let rows = c.panels.len().div_ceil(c.cols);
    let areas = layout::panels(&body, rows, c.cols, 24);
    for (i, (p, a)) in c.panels.iter().zip(areas.iter()).enumerate() {
        draw_panel(p, a, i % c.cols == 0)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(p: &Panel, area: &Area<DB>, first_col: bool) -> Result<(), ChartError> {
    let area = layout::strategy_caption(area, &p.title, MUTED)?;
    let n = p.steps.len();
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    for s in &p.steps {
        for v in [s.from, s.to, s.ci.0, s.ci.1] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let pad = ((hi - lo) * 0.06).max(1e-9);
    let (aw, _) = area.dim_in_pixel();
    let label_w = if first_col { (aw as f64 * 0.52) as i32 } else { 8 };
    let tick_style = style::text(size::TICK, INK);
    let format = describe(&p.metric).format;
    let x_fmt = |x: &f64| format.tick(*x);
    let y_fmt = |_: &f64| String::new();
    let mut chart = ChartBuilder::on(&area)
        .margin_right(12)
        .x_label_area_size((size::TICK * 1.8) as u32)
        .y_label_area_size(label_w as u32)
        .build_cartesian_2d(lo - pad..hi + pad, layout::category_axis(n))?;
    layout::mesh(&mut chart)
        .disable_y_mesh()
        .x_labels(4)
        .y_labels(n)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    let base_px = area.get_base_pixel();
    if first_col {
        let right = style::anchored(tick_style, HPos::Right, VPos::Center);
        for (i, s) in p.steps.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let (px, py) = chart.backend_coord(&(lo - pad, y));
            let label = layout::fit(&area, &s.label, &style::text(size::TICK, INK), label_w - 14)?;
            area.draw_text(&label, &right, (px - base_px.0 - 10, py - base_px.1))?;
        }
    }
    let half = 0.34;
    let cap = half * 0.45;
    for (i, s) in p.steps.iter().enumerate() {
        if !s.to.is_finite() {
            continue;
        }
        let y = (n - 1 - i) as f64;
        let color = match s.kind {
            StepKind::Part if s.to >= s.from => RAISES,
            StepKind::Part => LOWERS,
            _ => ENDS,
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(s.from.min(s.to), y - half), (s.from.max(s.to), y + half)],
            color.filled(),
        )))?;
        if s.ci.0.is_finite() && s.ci.1.is_finite() && s.ci.1 > s.ci.0 {
            let w = INK.stroke_width(2);
            chart.draw_series(std::iter::once(PathElement::new(vec![(s.ci.0, y), (s.ci.1, y)], w)))?;
            for x in [s.ci.0, s.ci.1] {
                chart.draw_series(std::iter::once(PathElement::new(vec![(x, y - cap), (x, y + cap)], w)))?;
            }
        }
    }
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
        6,
        4,
        REFERENCE.stroke_width(1),
    )))?;
    Ok(())
}
