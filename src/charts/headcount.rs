//! Headcount over time: one panel per strategy, mean headcount across
//! replications stacked by sourcing channel (employee, freelancer, pod,
//! bench), on a shared scale so panels compare at a glance.

use super::backlog::{last_active_week, x_limit};
use super::layout::{self, Area, LegendItem, Mark};
use super::style::{parts, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::model::Channel;
use crate::results::{FanPoint, RunData};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub const ID: &str = "headcount";
/// What the chart shows, for captions.
pub const DESCRIPTION: &str =
    "Mean headcount over time by sourcing channel (contributors and pod leads; seniors not included).";
const PREFIX: &str = "headcount.channel.";

/// The fixed colour of a channel (the same in every figure).
pub fn channel_color(c: Channel) -> RGBColor {
    match c {
        Channel::Employee => parts::INDIGO,
        Channel::Freelancer => parts::SAND,
        Channel::Pod => parts::TEAL,
        Channel::Bench => parts::ROSE,
    }
}

#[derive(Clone, Debug)]
pub struct Headcount {
    pub title: String,
    pub subtitle: String,
    pub strategies: Vec<String>,
    /// Channels drawn (those with anyone in any strategy), bottom of the stack first.
    pub channels: Vec<Channel>,
    /// `means[strategy][channel (as in `channels`)][week]`.
    pub means: Vec<Vec<Vec<f64>>>,
    pub deadline: Option<f64>,
    pub x_max: f64,
    pub note: String,
}

pub fn prepare(d: &RunData) -> Result<Headcount, Skip> {
    let n = d.strategies().len();
    let mut channels = Vec::new();
    let mut fans: Vec<Vec<&[FanPoint]>> = vec![Vec::new(); n];
    for c in Channel::ALL {
        let name = format!("{PREFIX}{}", c.name());
        let per: Vec<&[FanPoint]> = (0..n).map(|s| d.series(s, &name).unwrap_or(&[])).collect();
        if per.iter().any(|f| f.iter().any(|p| p.mean > 0.0)) {
            channels.push(c);
            for (s, f) in per.into_iter().enumerate() {
                fans[s].push(f);
            }
        }
    }
    if channels.is_empty() {
        return Err(Skip("no headcount by channel was recorded".into()));
    }
    let last = last_active_week(fans.iter().flatten().copied());
    let deadline = d.info.deadline_weeks;
    let means = fans
        .iter()
        .map(|per| {
            per.iter()
                .map(|f| {
                    f.iter()
                        .map(|p| if p.mean.is_finite() { p.mean } else { 0.0 })
                        .collect()
                })
                .collect()
        })
        .collect();
    Ok(Headcount {
        title: "Headcount over time by sourcing channel".into(),
        subtitle: super::comparison::subtitle(d),
        strategies: d.strategies().to_vec(),
        channels,
        means,
        deadline,
        x_max: x_limit(last, deadline, d.weeks()),
        note: "Mean headcount across replications at the start of each week, stacked by channel: contributors and pod leads; \
               the client's senior ML engineers are not included. Means can be fractional."
            .into(),
    })
}

pub fn draw<DB: DrawingBackend>(c: &Headcount, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let mut items: Vec<LegendItem> = c
        .channels
        .iter()
        .rev()
        .map(|&ch| LegendItem::new(ch.name(), channel_color(ch), Mark::Box))
        .collect();
    if let Some(d) = c.deadline.filter(|d| *d <= c.x_max) {
        items.push(LegendItem::deadline(d));
    }
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let top = c
        .means
        .iter()
        .flat_map(|per| {
            let weeks = per.iter().map(Vec::len).max().unwrap_or(0);
            (0..weeks).map(move |w| per.iter().map(|f| f.get(w).copied().unwrap_or(0.0)).sum::<f64>())
        })
        .fold(0.0f64, f64::max);
    let y_max = layout::nice_max(top * 1.05);
    let (rows, cols) = layout::grid_wide(c.strategies.len());
    for (s, a) in layout::panels(&body, rows, cols, 24)
        .iter()
        .enumerate()
        .take(c.strategies.len())
    {
        draw_strategy(c, s, a, y_max)?;
    }
    Ok(())
}

fn draw_strategy<DB: DrawingBackend>(c: &Headcount, s: usize, area: &Area<DB>, y_max: f64) -> Result<(), ChartError> {
    let x_max = c.x_max;
    // The fills are channels: a strategy swatch here would read as one more
    // channel, so the panel is named in words only.
    let title = if c.strategies.len() == 1 {
        c.strategies[s].clone()
    } else {
        format!("Strategy: {}", c.strategies[s])
    };
    let area = layout::plain_caption(area, &title)?;
    let mut chart = ChartBuilder::on(&area)
        .margin_top(10)
        .margin_right(12)
        .x_label_area_size(50)
        .y_label_area_size(96)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
    let x_fmt = |x: &f64| format::tick(*x);
    let y_fmt = |y: &f64| format::tick(*y);
    layout::mesh(&mut chart)
        .x_labels(12)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc("week")
        .y_desc("people (mean)")
        .draw()?;
    let per = &c.means[s];
    let weeks = per.iter().map(Vec::len).max().unwrap_or(0).min(x_max as usize + 1);
    let mut lower = vec![0.0; weeks];
    for (k, &ch) in c.channels.iter().enumerate() {
        let upper: Vec<f64> = (0..weeks)
            .map(|w| lower[w] + per[k].get(w).copied().unwrap_or(0.0))
            .collect();
        if upper.iter().zip(&lower).any(|(u, l)| u > l) {
            let mut poly: Vec<(f64, f64)> = (0..weeks).map(|w| (w as f64, upper[w])).collect();
            poly.extend((0..weeks).rev().map(|w| (w as f64, lower[w])));
            chart.draw_series(std::iter::once(Polygon::new(poly, channel_color(ch).filled())))?;
        }
        lower = upper;
    }
    if let Some(d) = c.deadline.filter(|d| *d <= x_max) {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(d, 0.0), (d, y_max)],
            8,
            5,
            REFERENCE.stroke_width(2),
        )))?;
    }
    Ok(())
}
