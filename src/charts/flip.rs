//! What would have to be true: from reps.csv and `uncertainty.json`, per
//! pair and metric, the paired difference B − A of every world against the
//! input that decides the winner most (rank 1 by PRCC), with zero (no
//! difference), the threshold where the winner flips and its 90 % interval
//! shaded (docs/UNCERTAINTY.md).

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, parts, size, INK, MUTED, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::describe;
use crate::metrics::format::{self, Format};
use crate::results::{RunData, INPUT_COLUMN_PREFIX};
use crate::sim::M;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub const ID: &str = "deciding-input";
pub const DESCRIPTION: &str = "What would have to be true for the other strategy to win: each dot is one plausible world, the paired difference B − A against the input that decides the winner most; the vertical line is the value where the winner flips and the band its 90 % interval.";

/// The metrics whose pairs are drawn, in order of preference.
const METRICS: [M; 2] = [M::CostTotal, M::FinishWeek];
/// Most panels drawn (drivers.csv has every pair).
const MAX_PANELS: usize = 4;
const DOT: RGBColor = parts::INDIGO;
const BAND: RGBColor = parts::SAND;

/// Where the winner flips, as drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flip {
    pub at: f64,
    /// The 90 % interval.
    pub low: f64,
    pub high: f64,
    /// Re-simulated by the break-even search (else the fit over the worlds).
    pub refined: bool,
}

#[derive(Clone, Debug)]
pub struct Panel {
    /// "pods − individual: total cost".
    pub title: String,
    pub metric: String,
    /// The deciding input's field path and its words.
    pub input: String,
    pub x_desc: String,
    pub y_desc: String,
    pub format: Format,
    /// (input value, difference B − A) per world.
    pub points: Vec<(f64, f64)>,
    pub flip: Option<Flip>,
    /// "\"pods\" is better above" / "below": the side where B wins.
    pub b_better: String,
}

#[derive(Clone, Debug)]
pub struct Deciding {
    pub title: String,
    pub subtitle: String,
    pub panels: Vec<Panel>,
    pub note: String,
}

pub fn prepare(d: &RunData) -> Result<Deciding, Skip> {
    let u = d
        .uncertainty
        .as_ref()
        .ok_or_else(|| Skip("no [uncertainty] in the scenario".into()))?;
    let names = d.strategies();
    if names.len() < 2 {
        return Err(Skip("one strategy: nothing to choose between".into()));
    }
    // Pairs with a threshold first (they answer the question), then the rest.
    let mut candidates: Vec<_> = METRICS
        .iter()
        .flat_map(|m| u.results.pairs.iter().filter(move |p| p.metric == m.name()))
        .filter_map(|p| p.drivers.first().map(|top| (p, top)))
        .collect();
    candidates.sort_by_key(|(_, top)| top.threshold.is_none());
    let mut panels = Vec::new();
    for (p, top) in candidates.into_iter().take(MAX_PANELS) {
        let (Some(ia), Some(ib)) = (
            d.info.strategies.iter().position(|s| *s == p.a),
            d.info.strategies.iter().position(|s| *s == p.b),
        ) else {
            continue;
        };
        let column = format!("{INPUT_COLUMN_PREFIX}{}", top.input);
        let (Some(x), Some(ya), Some(yb)) = (d.reps(ia, &column), d.reps(ia, &p.metric), d.reps(ib, &p.metric)) else {
            continue;
        };
        let ya: std::collections::HashMap<u64, f64> = ya.into_iter().collect();
        let yb: std::collections::HashMap<u64, f64> = yb.into_iter().collect();
        let points: Vec<(f64, f64)> = x
            .iter()
            .filter_map(|(rep, xv)| Some((*xv, yb.get(rep)? - ya.get(rep)?)))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        // A difference that is the same in every world (a tie) has nothing to show.
        if points.iter().all(|q| q.1 == points[0].1) {
            continue;
        }
        let info = describe(&p.metric);
        let flip = top.threshold.as_ref().map(|t| {
            let (at, low, high) = t.worded();
            Flip {
                at,
                low,
                high,
                refined: t.refined.is_some(),
            }
        });
        let side = top.threshold.as_ref().map_or("", |t| t.b_better_when.as_str());
        panels.push(Panel {
            title: format!("{} − {}: {}", p.b, p.a, info.label.to_lowercase()),
            metric: p.metric.clone(),
            input: top.input.clone(),
            x_desc: u.label(&top.input).to_string(),
            y_desc: if info.unit.is_empty() {
                "difference B − A".into()
            } else {
                format!("difference B − A, {}", info.unit)
            },
            format: info.format,
            points,
            flip,
            b_better: if side.is_empty() {
                String::new()
            } else {
                format!("\"{}\" better {side}", p.b)
            },
        });
    }
    if panels.is_empty() {
        return Err(Skip("no pair has an input that decides its difference".into()));
    }
    let flips: Vec<bool> = panels.iter().filter_map(|p| p.flip.map(|f| f.refined)).collect();
    let mut note = String::from(
        "Dots: one world each (its sampled value of the input, and the paired difference B − A in that world, the other inputs as sampled). \
         Dashed: no difference.",
    );
    let (refined, fitted) = (flips.iter().any(|r| *r), flips.iter().any(|r| !*r));
    if refined {
        note.push_str(
            " Solid line: the value where the winner flips, re-simulated by the break-even search with the other inputs at their central values; \
             band: its 90 % interval (docs/UNCERTAINTY.md).",
        );
    }
    if fitted {
        note.push_str(if refined {
            " Where not re-simulated (no sign change along the line, or a metric other than total cost and finish week), the line is where a linear fit \
             over the worlds crosses zero, the band its 90 % bootstrap interval."
        } else {
            " Solid line: where a linear fit over the worlds crosses zero, the other inputs at their means; band: its 90 % bootstrap interval."
        });
    }
    note.push_str(
        " A panel without a line: the difference does not change sign within the middle 90 % of the sampled values.",
    );
    Ok(Deciding {
        title: "What would have to be true for the other strategy to win?".into(),
        subtitle: format!(
            "{} · {} plausible worlds · the input that decides each pair most (PRCC)",
            d.info.scenario_name, u.results.worlds
        ),
        panels,
        note,
    })
}

pub fn draw<DB: DrawingBackend>(c: &Deciding, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let items = vec![
        LegendItem::new("A world", DOT, Mark::Box),
        LegendItem::new("Winner flips", INK, Mark::Line),
        LegendItem::new("90 % interval", BAND, Mark::Box),
        LegendItem::new("No difference", REFERENCE, Mark::Dashed),
    ];
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let (rows, cols) = layout::grid(c.panels.len());
    for (p, a) in c.panels.iter().zip(layout::panels(&body, rows, cols, 28)) {
        draw_panel(p, &a)?;
    }
    Ok(())
}

/// The range of `xs` with a margin (a point range gets width).
fn padded(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| (l.min(x), h.max(x)));
    let pad = ((hi - lo) * 0.05).max(hi.abs().max(lo.abs()) * 0.01).max(1e-9);
    (lo - pad, hi + pad)
}

fn draw_panel<DB: DrawingBackend>(p: &Panel, area: &Area<DB>) -> Result<(), ChartError> {
    let area = layout::plain_caption(area, &p.title)?;
    let flip_xs = p
        .flip
        .iter()
        .flat_map(|f| [f.at, f.low, f.high])
        .filter(|x| x.is_finite());
    let (x0, x1) = padded(p.points.iter().map(|q| q.0).chain(flip_xs));
    let (y0, y1) = padded(p.points.iter().map(|q| q.1).chain([0.0]));
    let x_fmt = |x: &f64| format::tick(*x);
    let y_fmt = |y: &f64| p.format.tick(*y);
    let mut chart = ChartBuilder::on(&area)
        .margin_right(12)
        .x_label_area_size((size::TICK * 1.5 + size::AXIS * 1.8) as u32)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    layout::mesh(&mut chart)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(p.x_desc.as_str())
        .y_desc(p.y_desc.as_str())
        .draw()?;
    if let Some(f) = p.flip {
        if f.low.is_finite() && f.high.is_finite() && f.high > f.low {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(f.low.max(x0), y0), (f.high.min(x1), y1)],
                BAND.mix(0.55).filled(),
            )))?;
        }
    }
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(x0, 0.0), (x1, 0.0)],
        6,
        4,
        REFERENCE.stroke_width(2),
    )))?;
    chart.draw_series(
        p.points
            .iter()
            .map(|&(x, y)| Circle::new((x, y), 3, DOT.mix(0.45).filled())),
    )?;
    if let Some(f) = p.flip {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(f.at, y0), (f.at, y1)],
            INK.stroke_width(3),
        )))?;
        let label = format!("{} {}", format::auto_like(f.at, f.at), p.b_better);
        layout::label_at(
            &chart,
            (f.at, y1),
            &label,
            &style::text(size::VALUE, INK),
            f.at > (x0 + x1) / 2.0,
        )?;
    } else {
        let (w, h) = area.dim_in_pixel();
        area.draw_text(
            "no flip within the sampled range",
            &style::anchored(
                style::text(size::VALUE, MUTED),
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Top,
            ),
            (w as i32 / 2, h as i32 / 12),
        )?;
    }
    Ok(())
}
