//! Strategy comparison: one bar per strategy for each headline metric (total
//! cost, P85 finish week, deep-focus hours per senior, escaped defects), with
//! 95 % confidence-interval whiskers — except finish week, whose whisker is
//! the P50-P95 spread of replications (and the figure says so).

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, size, INK, MUTED, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::metrics::Format;
use crate::results::RunData;
use crate::sim::M;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub const ID: &str = "strategy-comparison";
/// What the chart shows, for captions.
pub const DESCRIPTION: &str = "The headline metrics side by side: bars are means with their 95 % confidence intervals, except finish week, where the bar is the P85 and the whisker the P50 to P95 spread of replications.";

/// One strategy's bar: its value and whisker (NaN where not applicable).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// The value is at the horizon: work not finished (finish week only).
    pub censored: bool,
}

#[derive(Clone, Debug)]
pub struct Panel {
    pub title: String,
    pub y_desc: String,
    pub format: Format,
    pub bars: Vec<Bar>,
    /// A horizontal reference line (the deadline on the finish-week panel).
    pub reference: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Comparison {
    pub title: String,
    pub subtitle: String,
    pub strategies: Vec<String>,
    pub panels: Vec<Panel>,
    pub deadline: Option<f64>,
    pub note: String,
}

/// Whether every bar of a panel is exactly zero (whiskers included).
fn is_all_zero(p: &Panel) -> bool {
    p.bars
        .iter()
        .all(|b| b.value == 0.0 && (b.high.is_nan() || b.high == 0.0) && (b.low.is_nan() || b.low == 0.0))
}

pub fn prepare(d: &RunData) -> Result<Comparison, Skip> {
    let n = d.strategies().len();
    let horizon = d.horizon_weeks();
    let mean_ci = |metric: M| -> Vec<Bar> {
        (0..n)
            .map(|s| match d.summary(s, metric.name()) {
                Some(x) if x.n > 0 => Bar {
                    value: x.mean,
                    low: x.ci_low,
                    high: x.ci_high,
                    censored: false,
                },
                _ => Bar {
                    value: f64::NAN,
                    low: f64::NAN,
                    high: f64::NAN,
                    censored: false,
                },
            })
            .collect()
    };
    let finish: Vec<Bar> = (0..n)
        .map(|s| match d.summary(s, M::FinishWeek.name()) {
            Some(x) if x.n > 0 => Bar {
                value: x.p85,
                low: x.p50,
                high: x.p95,
                censored: x.p85 >= horizon - 1e-9,
            },
            _ => Bar {
                value: f64::NAN,
                low: f64::NAN,
                high: f64::NAN,
                censored: false,
            },
        })
        .collect();
    // Titles and units from the metric catalogue; finish week is the P85.
    let mean_panel = |metric: M| {
        let info = metric.info();
        Panel {
            title: info.label.into(),
            y_desc: format!("{} (mean)", info.unit),
            format: info.format,
            bars: mean_ci(metric),
            reference: None,
        }
    };
    let finish_info = M::FinishWeek.info();
    let candidates = vec![
        mean_panel(M::CostTotal),
        Panel {
            title: format!("{}, P85", finish_info.label),
            y_desc: format!("{} (85 % finish by then)", finish_info.unit),
            format: finish_info.format,
            bars: finish,
            reference: d.info.deadline_weeks,
        },
        mean_panel(M::DeepFocusPerSeniorWeek),
        mean_panel(M::EscapedPer1000),
    ];
    // A metric that is zero in every strategy (no defects in an M/M/c
    // check) says nothing as a panel: it is left out, and the note says so.
    let zero: Vec<String> = candidates
        .iter()
        .filter(|p| is_all_zero(p))
        .map(|p| p.title.to_lowercase())
        .collect();
    let panels: Vec<Panel> = candidates
        .into_iter()
        .filter(|p| p.bars.iter().any(|b| b.value.is_finite()) && !is_all_zero(p))
        .collect();
    if panels.is_empty() {
        return Err(Skip(
            "none of cost, finish week, deep focus or escaped defects was recorded".into(),
        ));
    }
    let has_finish = panels.iter().any(|p| p.format == Format::Weeks);
    let mut note = String::from("Bars: mean across replications; whiskers: its 95 % confidence interval.");
    if !zero.is_empty() {
        note.push_str(&format!(
            " Not drawn: {} (zero in every strategy and replication).",
            zero.join(", ")
        ));
    }
    if has_finish {
        note.push_str(
            " Finish week is different: the bar is the P85 (85 % of replications finish by then) and the whisker spans P50 to P95 of the \
             replications — the spread of outcomes, not a confidence interval.",
        );
        if panels.iter().any(|p| p.bars.iter().any(|b| b.censored)) {
            note.push_str(&format!(
                " \"≥ {}\": work not finished by the horizon (week {}).",
                format::trim(horizon, 1),
                format::trim(horizon, 1)
            ));
        }
    }
    // Name what is shown: "cost, delivery, senior focus, quality" or fewer.
    let topics: Vec<&str> = panels
        .iter()
        .map(|p| match p.title.as_str() {
            "Total cost" => "cost",
            "Finish week, P85" => "delivery",
            "Deep-focus hours per senior" => "senior focus",
            _ => "quality",
        })
        .collect();
    let title = if n > 1 {
        format!("Strategies compared: {}", topics.join(", "))
    } else {
        format!("Headline results: {}", topics.join(", "))
    };
    Ok(Comparison {
        title,
        subtitle: subtitle(d),
        strategies: d.strategies().to_vec(),
        deadline: if has_finish { d.info.deadline_weeks } else { None },
        panels,
        note,
    })
}

/// "Scenario · 20 replications per strategy · seed 1", shared by every figure.
pub fn subtitle(d: &RunData) -> String {
    format!(
        "{} · {} replications per strategy · seed {}",
        d.info.scenario_name, d.info.replications, d.info.seed
    )
}

pub fn draw<DB: DrawingBackend>(c: &Comparison, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let mut items: Vec<LegendItem> = c
        .strategies
        .iter()
        .enumerate()
        .map(|(i, s)| LegendItem::new(s, style::strategy_color(i), Mark::Box))
        .collect();
    if let Some(dl) = c.deadline {
        items.push(LegendItem::deadline(dl));
    }
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let (rows, cols) = layout::grid(c.panels.len());
    for (p, a) in c.panels.iter().zip(layout::panels(&body, rows, cols, 24)) {
        draw_panel(p, &c.strategies, &a)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(p: &Panel, names: &[String], area: &Area<DB>) -> Result<(), ChartError> {
    let n = names.len();
    let top = p
        .bars
        .iter()
        .flat_map(|b| [b.value, b.high])
        .chain(p.reference)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    // Headroom for the value labels above the whiskers.
    let y_max = layout::nice_max(top * 1.12);
    // Strategy names under the bars: wrapped to two lines, then shortened.
    let tick_style = style::text(size::TICK, INK);
    let (aw, _) = area.dim_in_pixel();
    let slot = (aw as i32 - 92 - 8) / n.max(1) as i32;
    let labels: Vec<Vec<String>> = names
        .iter()
        .map(|s| layout::wrap_lines(area, s, &tick_style, slot - 10, 2))
        .collect::<Result<_, _>>()?;
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let line_h = (size::TICK * 1.3) as i32;
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, layout::panel_title_style())
        .margin_top(10)
        .margin_right(8)
        .x_label_area_size(14 + lines * line_h)
        .y_label_area_size(92)
        .build_cartesian_2d(layout::category_axis(n), 0.0..y_max)?;
    let x_fmt = |_: &f64| String::new();
    let y_fmt = |y: &f64| p.format.tick(*y);
    layout::mesh(&mut chart)
        .disable_x_mesh()
        .x_labels(n)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_desc(p.y_desc.as_str())
        .draw()?;
    let base = area.get_base_pixel();
    let centred = style::anchored(tick_style, HPos::Center, VPos::Top);
    for (i, ls) in labels.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64, 0.0));
        for (k, l) in ls.iter().enumerate() {
            area.draw_text(l, &centred, (px - base.0, py - base.1 + 8 + k as i32 * line_h))?;
        }
    }

    let half = if n == 1 { 0.2 } else { 0.32 };
    let cap = half * 0.35;
    let value_style = style::text(size::VALUE, INK);
    let mut labels_at = Vec::new();
    for (i, b) in p.bars.iter().enumerate() {
        let x = i as f64;
        if !b.value.is_finite() {
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, 0.0))
                    + Text::new(
                        "n/a",
                        (0, -6),
                        style::anchored(style::text(size::VALUE, MUTED), HPos::Center, VPos::Bottom),
                    ),
            ))?;
            continue;
        }
        let color = style::strategy_color(i);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - half, 0.0), (x + half, b.value)],
            color.filled(),
        )))?;
        let mut label_y = b.value;
        if b.low.is_finite() && b.high.is_finite() && b.high > b.low {
            let whisker = INK.stroke_width(2);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, b.low), (x, b.high)],
                whisker,
            )))?;
            for y in [b.low, b.high] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x - cap, y), (x + cap, y)],
                    whisker,
                )))?;
            }
            label_y = label_y.max(b.high);
        }
        labels_at.push((
            x,
            label_y,
            if b.censored {
                format!("≥ {}", p.format.compact(b.value))
            } else {
                p.format.compact(b.value)
            },
        ));
    }
    // The reference line goes over the bars but under the value labels.
    if let Some(r) = p.reference {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(-0.5, r), (n as f64 - 0.5, r)],
            8,
            5,
            REFERENCE.stroke_width(2),
        )))?;
    }
    for (x, y, label) in labels_at {
        layout::label_above(&chart, (x, y), &label, &value_style)?;
    }
    Ok(())
}
