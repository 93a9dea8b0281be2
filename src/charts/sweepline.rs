//! Sweep lines: each headline metric against the varied parameter, one
//! line per strategy with its 95 % confidence band. A two-parameter grid
//! draws one panel per value of the second parameter (one metric).

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, size};
use super::{ChartError, Skip};
use crate::metrics::describe;
use crate::metrics::format;
use crate::results::SweepData;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub const ID: &str = "sweep-lines";
pub const DESCRIPTION: &str = "Each headline metric against the varied parameter: lines are means across replications, bands their 95 % confidence intervals, one colour per strategy.";

const HEADLINE: [&str; 4] = [
    "cost_total",
    "finish_week",
    "deep_focus_h_per_senior_week",
    "escaped_per_1000",
];
/// Most panels (values of the second parameter) drawn.
const MAX_PANELS: usize = 6;

#[derive(Clone, Debug)]
pub struct Line {
    pub strategy: usize,
    /// Colour index (the strategy's place in the scenario: the same as in the run's charts).
    pub color: usize,
    /// (x, mean, ci_low, ci_high), by x.
    pub points: Vec<(f64, f64, f64, f64)>,
}

#[derive(Clone, Debug)]
pub struct Panel {
    pub title: String,
    pub metric: String,
    pub y_desc: String,
    pub lines: Vec<Line>,
    pub marks: Marks,
}

/// What a panel marks beside its lines (the optimiser's charts: a target,
/// and what each point is).
#[derive(Clone, Debug, Default)]
pub struct Marks {
    /// A dashed vertical reference line at x, with its label.
    pub x_line: Option<(f64, String)>,
    /// A label beside the point (x, y).
    pub point_labels: Vec<(f64, f64, String)>,
}

#[derive(Clone, Debug)]
pub struct SweepLines {
    pub title: String,
    pub subtitle: String,
    pub x_desc: String,
    pub strategies: Vec<String>,
    /// Colour index of each strategy (`SweepData::color_index`).
    pub colors: Vec<usize>,
    pub panels: Vec<Panel>,
    pub note: String,
}

fn y_desc(metric: &str) -> String {
    let unit = describe(metric).unit;
    if unit.is_empty() {
        "mean".into()
    } else {
        format!("{unit} (mean)")
    }
}

pub fn prepare(d: &SweepData) -> Result<SweepLines, Skip> {
    let t = d.sweep.as_ref().ok_or_else(|| Skip("no sweep.csv".into()))?;
    let np = t.params.len();
    if np == 0 {
        return Err(Skip("no parameter was varied".into()));
    }
    if np > 2 {
        return Err(Skip(format!(
            "{np} parameters were varied; the line chart draws one or two (sweep.csv has every point)"
        )));
    }
    let mut xs: Vec<f64> = t.rows.iter().map(|r| r.xs[0]).filter(|x| x.is_finite()).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    if xs.len() < 2 {
        return Err(Skip(format!(
            "{} takes a single value: nothing to draw a line through",
            t.params[0]
        )));
    }
    let present: Vec<&str> = HEADLINE
        .iter()
        .copied()
        .filter(|m| t.rows.iter().any(|r| r.metric == *m && r.mean.is_finite()))
        .collect();
    if present.is_empty() {
        return Err(Skip(
            "none of cost, finish week, deep focus or escaped defects was recorded".into(),
        ));
    }
    let lines_for = |metric: &str, second: Option<f64>| -> Vec<Line> {
        let rows = t.rows.iter().filter(|r| {
            r.metric == metric && second.is_none_or(|v| r.xs.get(1).is_some_and(|x| (x - v).abs() < 1e-12))
        });
        let mut lines: Vec<Line> = super::group(rows.map(|r| (r.strategy.clone(), r)))
            .into_iter()
            .filter_map(|(s, rs)| {
                let mut points: Vec<(f64, f64, f64, f64)> = rs
                    .iter()
                    .filter(|r| r.xs[0].is_finite() && r.mean.is_finite())
                    .map(|r| (r.xs[0], r.mean, r.ci_low, r.ci_high))
                    .collect();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                (!points.is_empty()).then(|| Line {
                    strategy: d.strategy_index(&s).unwrap_or(0),
                    color: d.color_index(&s).unwrap_or(0),
                    points,
                })
            })
            .collect();
        lines.sort_by_key(|l| l.strategy);
        lines
    };
    let param = &t.params[0];
    let mut note = String::from(
        "Lines: mean across replications at each value; bands: the 95 % confidence interval of the mean. Every value is simulated with the same seed and replications (common random numbers), so the lines move together and their differences are tighter than the bands suggest.",
    );
    let (title, panels) = if np == 1 {
        let panels = present
            .iter()
            .map(|m| Panel {
                title: describe(m).label,
                metric: m.to_string(),
                y_desc: y_desc(m),
                lines: lines_for(m, None),
                marks: Marks::default(),
            })
            .collect();
        (format!("How the results move with {param}"), panels)
    } else {
        let second = &t.params[1];
        let metric = present[0];
        let mut vs: Vec<f64> = t
            .rows
            .iter()
            .filter_map(|r| r.xs.get(1).copied())
            .filter(|x| x.is_finite())
            .collect();
        vs.sort_by(f64::total_cmp);
        vs.dedup();
        if vs.len() > MAX_PANELS {
            note.push_str(&format!(
                " The first {MAX_PANELS} of {} values of {second} are shown.",
                vs.len()
            ));
            vs.truncate(MAX_PANELS);
        }
        let label = describe(metric).label;
        let panels = vs
            .iter()
            .map(|&v| Panel {
                title: format!("{second} = {}", format::trim(v, 6)),
                metric: metric.to_string(),
                y_desc: y_desc(metric),
                lines: lines_for(metric, Some(v)),
                marks: Marks::default(),
            })
            .collect();
        note.push_str(&format!(
            " One panel per value of {second}; other metrics are in sweep.csv."
        ));
        (format!("{label} by {param} and {second}"), panels)
    };
    Ok(SweepLines {
        title,
        subtitle: d.subtitle(),
        x_desc: param.clone(),
        strategies: d.strategies.clone(),
        colors: d.strategies.iter().map(|s| d.color_index(s).unwrap_or(0)).collect(),
        panels,
        note,
    })
}

pub fn draw<DB: DrawingBackend>(c: &SweepLines, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let items: Vec<LegendItem> = c
        .strategies
        .iter()
        .enumerate()
        .filter(|(i, _)| c.panels.iter().any(|p| p.lines.iter().any(|l| l.strategy == *i)))
        .map(|(i, s)| LegendItem::new(s, style::strategy_color(c.colors[i]), Mark::Line))
        .collect();
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let (rows, cols) = layout::grid(c.panels.len());
    for (p, a) in c.panels.iter().zip(layout::panels(&body, rows, cols, 24)) {
        draw_panel(p, &c.x_desc, &a)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(p: &Panel, x_desc: &str, area: &Area<DB>) -> Result<(), ChartError> {
    let all = p.lines.iter().flat_map(|l| l.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, m, lo, hi) in all {
        x0 = x0.min(x);
        x1 = x1.max(x);
        for y in [m, lo, hi].into_iter().filter(|y| y.is_finite()) {
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    if !x0.is_finite() || !y0.is_finite() {
        return Ok(());
    }
    if let Some((x, _)) = &p.marks.x_line {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
    }
    let xpad = ((x1 - x0) * 0.03).max(1e-9);
    let span = (y1 - y0).max(y1.abs() * 0.02).max(1e-9);
    let (y0, y1) = (y0 - span * 0.08, y1 + span * 0.08);
    let y0 = if y0 < 0.0
        && p.lines
            .iter()
            .all(|l| l.points.iter().all(|q| q.2 >= 0.0 || !q.2.is_finite()))
    {
        0.0
    } else {
        y0
    };
    let (aw, _) = area.dim_in_pixel();
    let tick = |x: &f64| format::trim(*x, 4);
    let ytick = |y: &f64| describe(&p.metric).format.tick(*y);
    let x_area = (size::TICK * 1.5 + size::AXIS * 1.8) as u32;
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, layout::panel_title_style())
        .margin_top(10)
        .margin_right(14)
        .x_label_area_size(x_area)
        .y_label_area_size(if aw > 500 { 92 } else { 84 })
        .build_cartesian_2d(x0 - xpad..x1 + xpad, y0..y1)?;
    layout::mesh(&mut chart)
        .disable_x_mesh()
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(&ytick)
        .x_desc(x_desc)
        .y_desc(p.y_desc.as_str())
        .draw()?;
    for l in &p.lines {
        let color = style::strategy_color(l.color);
        let band: Vec<(f64, f64)> = l
            .points
            .iter()
            .filter(|q| q.2.is_finite() && q.3.is_finite())
            .map(|q| (q.0, q.3))
            .chain(
                l.points
                    .iter()
                    .rev()
                    .filter(|q| q.2.is_finite() && q.3.is_finite())
                    .map(|q| (q.0, q.2)),
            )
            .collect();
        if band.len() >= 4 {
            chart.draw_series(std::iter::once(Polygon::new(band, color.mix(0.18).filled())))?;
        }
    }
    for l in &p.lines {
        let color = style::strategy_color(l.color);
        let pts: Vec<(f64, f64)> = l.points.iter().map(|q| (q.0, q.1)).collect();
        chart.draw_series(std::iter::once(PathElement::new(pts.clone(), color.stroke_width(3))))?;
        chart.draw_series(pts.iter().map(|&pt| Circle::new(pt, 4, color.filled())))?;
    }
    let label_style = style::text(size::VALUE, style::INK);
    if let Some((x, label)) = &p.marks.x_line {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(*x, y0), (*x, y1)],
            8,
            5,
            style::REFERENCE.stroke_width(2),
        )))?;
        let left = (x - x0) / (x1 - x0).max(1e-9) > 0.6;
        // Near the bottom: the points the loop ends on sit top right.
        layout::label_at(&chart, (*x, y0 + (y1 - y0) * 0.12), label, &label_style, left)?;
    }
    for (x, y, label) in &p.marks.point_labels {
        let left = (x - x0) / (x1 - x0).max(1e-9) > 0.8;
        layout::label_at(&chart, (*x, *y), label, &label_style, left)?;
    }
    Ok(())
}
