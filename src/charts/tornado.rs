//! Tornado: from `sensitivity.csv`, one panel per strategy (or per paired
//! difference), parameters ranked by the size of their effect; each bar runs
//! from the result with the parameter low to the result with it high, split
//! at the base (the file as written), with 95 % CI whiskers at both ends.

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, parts, size, INK, MUTED, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::metrics::{describe, Described};
use crate::results::SweepData;
use crate::scenario::labels::param_label;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub const ID: &str = "sensitivity-tornado";
pub const DESCRIPTION: &str = "Which assumptions move the metric most: each bar spans the result with one parameter set low and high (the others as written), ranked by the size of the effect, with 95 % confidence-interval whiskers.";

/// Most panels drawn (strategies beyond are in sensitivity.csv).
const MAX_PANELS: usize = 3;
const LOW: RGBColor = parts::CYAN;
const HIGH: RGBColor = parts::INDIGO;

#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub low: (f64, f64, f64),
    pub high: (f64, f64, f64),
}

#[derive(Clone, Debug)]
pub struct Panel {
    pub name: String,
    /// Strategy colour index (None for a difference B - A).
    pub color: Option<usize>,
    pub base: f64,
    pub bars: Vec<Bar>,
}

#[derive(Clone, Debug)]
pub struct Tornado {
    pub title: String,
    pub subtitle: String,
    pub metric: String,
    pub x_desc: String,
    pub panels: Vec<Panel>,
    pub note: String,
}

pub fn prepare(d: &SweepData) -> Result<Tornado, Skip> {
    let rows = d
        .sensitivity
        .as_ref()
        .ok_or_else(|| Skip("no sensitivity.csv".into()))?;
    let metric = rows
        .first()
        .map(|r| r.metric.clone())
        .ok_or_else(|| Skip("sensitivity.csv is empty".into()))?;
    let groups = super::group(rows.iter().map(|r| (r.target.clone(), r)));
    let n_targets = groups.len();
    let shown = n_targets.min(MAX_PANELS);
    let per_panel = match shown {
        1 => 12,
        2 => 7,
        _ => 5,
    };
    let mut total_varied = 0;
    let mut panels = Vec::new();
    for (name, mut rs) in groups.into_iter().take(shown) {
        rs.sort_by_key(|r| r.rank);
        let varied: Vec<_> = rs
            .iter()
            .filter(|r| r.low.0.is_finite() && r.high.0.is_finite() && r.effect.is_finite() && r.effect != 0.0)
            .collect();
        total_varied = total_varied.max(varied.len());
        let base = rs
            .iter()
            .map(|r| r.base_mean)
            .find(|b| b.is_finite())
            .unwrap_or(f64::NAN);
        let bars = varied
            .iter()
            .take(per_panel)
            .map(|r| Bar {
                label: format!(
                    "{}{}: {} → {}",
                    param_label(&r.parameter, Some(&name)),
                    if r.declared { " *" } else { "" },
                    format::trim(r.low_value, 4),
                    format::trim(r.high_value, 4)
                ),
                low: r.low,
                high: r.high,
            })
            .collect();
        panels.push(Panel {
            color: d.strategy_index(&name).and_then(|_| d.color_index(&name)),
            name,
            base,
            bars,
        });
    }
    if panels.iter().all(|p| p.bars.is_empty() || !p.base.is_finite()) {
        return Err(Skip("no parameter changed the metric".into()));
    }
    let Described { label, unit, .. } = describe(&metric);
    let versus = panels.iter().any(|p| p.color.is_none());
    let delta = d
        .delta
        .map(|x| format!("{} %", format::trim(100.0 * x, 1)))
        .unwrap_or_else(|| "delta".into());
    let declared = rows.iter().any(|r| r.declared);
    let mut note = format!(
        "Each bar: the mean {} with one parameter set {} (light) and {} (dark), the others as written; \
         the dashed line is the base (the file as written). Whiskers: 95 % confidence intervals of those means. Ranked by the size of the \
         paired effect (high - low); labels give the parameter's low → high values.",
        label.to_lowercase(),
        if declared {
            format!("to the low end of its range in [uncertainty] (a 90 % interval; marked *), else {delta} lower,")
        } else {
            format!("{delta} lower")
        },
        if declared {
            format!("to its high end, else {delta} higher")
        } else {
            format!("{delta} higher than written")
        },
    );
    if shown > 1 {
        note.push_str(
            " Every panel has the same scale (one unit is equally long), so bar lengths compare across panels.",
        );
    }
    if total_varied > per_panel {
        note.push_str(&format!(
            " The {per_panel} largest effects are shown; sensitivity.csv ranks them all."
        ));
    }
    if n_targets > shown {
        note.push_str(&format!(" The first {shown} of {n_targets} strategies are shown."));
    }
    if versus {
        note.push_str(" Panels named B - A show the paired difference between two strategies.");
    }
    Ok(Tornado {
        title: format!("Which assumptions move {} most?", label.to_lowercase()),
        subtitle: d.subtitle(),
        x_desc: if unit.is_empty() {
            format!("{metric} (mean)")
        } else {
            format!("{label}, {unit} (mean)")
        },
        metric,
        panels,
        note,
    })
}

pub fn draw<DB: DrawingBackend>(c: &Tornado, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let items = vec![
        LegendItem::new("Parameter low", LOW, Mark::Box),
        LegendItem::new("Parameter high", HIGH, Mark::Box),
        LegendItem::new("Base (file as written)", REFERENCE, Mark::Dashed),
    ];
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let weights: Vec<usize> = c.panels.iter().map(|p| p.bars.len().max(1) + 3).collect();
    let total: usize = weights.iter().sum();
    let span = shared_span(&c.panels);
    let (_, h) = body.dim_in_pixel();
    let mut rest = body;
    for (i, p) in c.panels.iter().enumerate() {
        let a = if i + 1 == c.panels.len() {
            rest.clone()
        } else {
            let hh = (h as usize * weights[i] / total) as i32;
            let (top, bottom) = rest.split_vertically(hh);
            rest = bottom.margin(8, 0, 0, 0);
            top
        };
        draw_panel(c, p, &a, i + 1 == c.panels.len(), span)?;
    }
    Ok(())
}

/// The lowest and highest value a panel shows (base, bars and whiskers).
fn extent(p: &Panel) -> (f64, f64) {
    let mut lo = p.base;
    let mut hi = p.base;
    for b in &p.bars {
        for v in [b.low.0, b.low.1, b.low.2, b.high.0, b.high.1, b.high.2] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    (lo, hi)
}

/// The width of every panel's x-axis: the widest panel's extent, so that one
/// unit of the metric is equally long in every panel and bar lengths compare.
pub fn shared_span(panels: &[Panel]) -> f64 {
    panels
        .iter()
        .filter(|p| !p.bars.is_empty() && p.base.is_finite())
        .map(|p| {
            let (lo, hi) = extent(p);
            hi - lo
        })
        .fold(0.0f64, f64::max)
}

fn draw_panel<DB: DrawingBackend>(
    c: &Tornado,
    p: &Panel,
    area: &Area<DB>,
    last: bool,
    span: f64,
) -> Result<(), ChartError> {
    let color = p.color.map(style::strategy_color).unwrap_or(MUTED);
    let area = layout::strategy_caption(area, &p.name, color)?;
    if p.bars.is_empty() || !p.base.is_finite() {
        let (w, h) = area.dim_in_pixel();
        area.draw_text(
            "no parameter changed this strategy's result",
            &style::anchored(style::text(size::VALUE, MUTED), HPos::Center, VPos::Center),
            (w as i32 / 2, h as i32 / 3),
        )?;
        return Ok(());
    }
    let n = p.bars.len();
    // Every panel is `span` wide around its own values: the same scale.
    let (lo, hi) = extent(p);
    let mid = (lo + hi) / 2.0;
    let (lo, hi) = (mid - span.max(hi - lo) / 2.0, mid + span.max(hi - lo) / 2.0);
    let pad = ((hi - lo) * 0.06).max(hi.abs() * 0.01).max(1e-9);
    let (aw, _) = area.dim_in_pixel();
    let label_w = (aw as f64 * 0.42) as i32;
    let tick_style = style::text(size::TICK, INK);
    let labels: Vec<String> = p
        .bars
        .iter()
        .map(|b| layout::fit(&area, &b.label, &tick_style, label_w - 14))
        .collect::<Result<_, _>>()?;
    let x_fmt = |x: &f64| describe(&c.metric).format.tick(*x);
    let y_fmt = |_: &f64| String::new();
    // Categories run bottom-up; rank 1 goes on top.
    let mut chart = ChartBuilder::on(&area)
        .margin_right(16)
        .x_label_area_size(if last {
            (size::TICK * 1.5 + size::AXIS * 1.8) as u32
        } else {
            (size::TICK * 1.8) as u32
        })
        .y_label_area_size(label_w as u32)
        .build_cartesian_2d(lo - pad..hi + pad, layout::category_axis(n))?;
    layout::mesh(&mut chart)
        .disable_y_mesh()
        .x_labels(6)
        .y_labels(n)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(if last { c.x_desc.as_str() } else { "" })
        .draw()?;
    let base_px = area.get_base_pixel();
    let right = style::anchored(tick_style, HPos::Right, VPos::Center);
    for (i, l) in labels.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let (px, py) = chart.backend_coord(&(lo - pad, y));
        area.draw_text(l, &right, (px - base_px.0 - 10, py - base_px.1))?;
    }
    let half = if n <= 3 { 0.28 } else { 0.36 };
    let cap = half * 0.45;
    for (i, b) in p.bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        for (v, col) in [(b.low, LOW), (b.high, HIGH)] {
            if !v.0.is_finite() {
                continue;
            }
            chart.draw_series(std::iter::once(Rectangle::new(
                [(p.base.min(v.0), y - half), (p.base.max(v.0), y + half)],
                col.filled(),
            )))?;
        }
        for v in [b.low, b.high] {
            if v.1.is_finite() && v.2.is_finite() && v.2 > v.1 {
                let w = INK.stroke_width(2);
                chart.draw_series(std::iter::once(PathElement::new(vec![(v.1, y), (v.2, y)], w)))?;
                for x in [v.1, v.2] {
                    chart.draw_series(std::iter::once(PathElement::new(vec![(x, y - cap), (x, y + cap)], w)))?;
                }
            }
        }
    }
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(p.base, -0.5), (p.base, n as f64 - 0.5)],
        6,
        4,
        REFERENCE.stroke_width(2),
    )))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_share_one_scale() {
        let bar = |lo: f64, hi: f64| Bar {
            label: "x".into(),
            low: (lo, lo, lo),
            high: (hi, hi, hi),
        };
        let panels = vec![
            Panel {
                name: "a".into(),
                color: Some(0),
                base: 6.0,
                bars: vec![bar(1.0, 12.0)],
            },
            Panel {
                name: "b".into(),
                color: Some(1),
                base: 34.0,
                bars: vec![bar(33.0, 35.0)],
            },
        ];
        // The widest panel's span (11) is every panel's.
        assert_eq!(shared_span(&panels), 11.0);
    }
}
