//! Backlog burn-down fans: one panel per workstream that starts with a
//! backlog, every strategy drawn as its median line with the P10-P90 band
//! across replications, and the deadline marked. Percentiles are taken per
//! workstream (summing per-workstream percentiles would not give a
//! percentile of the total, so no "all work" panel is drawn).

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::results::{FanPoint, RunData};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub const ID: &str = "backlog-burndown";
/// What the chart shows, for captions.
pub const DESCRIPTION: &str = "Items remaining in each workstream that starts with a backlog, week by week: median line and P10 to P90 band across replications.";
const PREFIX: &str = "backlog.";

#[derive(Clone, Debug)]
pub struct Stream {
    pub name: String,
    /// `fans[strategy]`, weekly.
    pub fans: Vec<Vec<FanPoint>>,
}

#[derive(Clone, Debug)]
pub struct Backlog {
    pub title: String,
    pub subtitle: String,
    pub strategies: Vec<String>,
    pub streams: Vec<Stream>,
    /// `same_as[s]`: an earlier strategy whose lines this one's match in
    /// every panel (drawn dashed on top, and the legend says so).
    pub same_as: Vec<Option<usize>>,
    pub deadline: Option<f64>,
    /// Last week shown.
    pub x_max: f64,
    pub note: String,
}

/// Last week in which any of `fans` is above zero (or 0 if none is).
pub fn last_active_week<'a>(fans: impl Iterator<Item = &'a [FanPoint]>) -> usize {
    fans.filter_map(|f| f.iter().rposition(|p| p.p90 > 0.0 || p.mean > 0.0))
        .max()
        .unwrap_or(0)
}

/// The weeks to show: until the work is done in (nearly) every replication,
/// and past the deadline, with a little room; never past the data.
pub fn x_limit(last_active: usize, deadline: Option<f64>, weeks: usize) -> f64 {
    let want = (last_active as f64 + 2.0).max(deadline.map_or(0.0, |d| d + 2.0));
    want.min(weeks.saturating_sub(1) as f64).max(1.0)
}

pub fn prepare(d: &RunData) -> Result<Backlog, Skip> {
    let n = d.strategies().len();
    let mut streams = Vec::new();
    for name in d.series_names(PREFIX) {
        let fans: Vec<Vec<FanPoint>> = (0..n)
            .map(|s| d.series(s, &name).map(<[FanPoint]>::to_vec).unwrap_or_default())
            .collect();
        // A burn-down needs work present at the start; arrival-only streams are queues.
        let starts_with_backlog = fans.iter().any(|f| f.first().is_some_and(|p| p.p50 > 0.0));
        if starts_with_backlog {
            streams.push(Stream {
                name: name[PREFIX.len()..].to_string(),
                fans,
            });
        }
    }
    if streams.is_empty() {
        return Err(Skip("no workstream starts with a backlog".into()));
    }
    let same_as = same_lines(&streams, n);
    let last = last_active_week(streams.iter().flat_map(|s| s.fans.iter().map(Vec::as_slice)));
    let deadline = d.info.deadline_weeks;
    Ok(Backlog {
        title: "Backlog burn-down by workstream".into(),
        subtitle: super::comparison::subtitle(d),
        strategies: d.strategies().to_vec(),
        x_max: x_limit(last, deadline, d.weeks()),
        streams,
        same_as,
        deadline,
        note: "Items remaining at the start of each week: line = median, band = P10 to P90 across replications. One panel per \
               workstream, because percentiles of separate workstreams do not add up to a percentile of the total."
            .into(),
    })
}

/// For each strategy, the first earlier one whose median line is the same
/// in every stream (within half an item, or 0.5 % of the stream's backlog):
/// drawn on top of each other, they would hide one another.
pub fn same_lines(streams: &[Stream], n: usize) -> Vec<Option<usize>> {
    let close = |a: usize, b: usize| {
        streams.iter().all(|st| {
            let (fa, fb) = (&st.fans[a], &st.fans[b]);
            let scale = fa.iter().chain(fb).map(|p| p.p50).fold(0.0f64, f64::max);
            let tol = (scale * 0.005).max(0.5);
            fa.len() == fb.len() && !fa.is_empty() && fa.iter().zip(fb).all(|(x, y)| (x.p50 - y.p50).abs() <= tol)
        })
    };
    (0..n).map(|s| (0..s).find(|&e| close(e, s))).collect()
}

pub fn draw<DB: DrawingBackend>(c: &Backlog, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let mut items: Vec<LegendItem> = c
        .strategies
        .iter()
        .enumerate()
        .map(|(i, s)| match c.same_as.get(i).copied().flatten() {
            Some(e) => LegendItem::new(
                format!("{s}: same as {} (dashed)", c.strategies[e]),
                style::strategy_color(i),
                Mark::Dashed,
            ),
            None => LegendItem::new(format!("{s} (median, P10–P90)"), style::strategy_color(i), Mark::Line),
        })
        .collect();
    if let Some(d) = c.deadline {
        items.push(LegendItem::deadline(d));
    }
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let (rows, cols) = layout::grid_wide(c.streams.len());
    for (s, a) in c.streams.iter().zip(layout::panels(&body, rows, cols, 24)) {
        draw_stream(c, s, &a)?;
    }
    Ok(())
}

fn draw_stream<DB: DrawingBackend>(c: &Backlog, s: &Stream, area: &Area<DB>) -> Result<(), ChartError> {
    let x_max = c.x_max;
    let shown = |f: &[FanPoint]| -> Vec<(f64, FanPoint)> {
        f.iter()
            .enumerate()
            .filter(|(w, p)| (*w as f64) <= x_max && p.p50.is_finite())
            .map(|(w, p)| (w as f64, *p))
            .collect()
    };
    let top = s
        .fans
        .iter()
        .flat_map(|f| shown(f))
        .map(|(_, p)| p.p90.max(p.mean))
        .fold(0.0f64, f64::max);
    let y_max = layout::nice_max(top * 1.05);
    let mut chart = ChartBuilder::on(area)
        .caption(format!("Workstream: {}", s.name), layout::panel_title_style())
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
        .y_desc("items remaining")
        .draw()?;
    for (i, f) in s.fans.iter().enumerate() {
        let pts = shown(f);
        if pts.is_empty() {
            continue;
        }
        let color = style::strategy_color(i);
        let mut band: Vec<(f64, f64)> = pts.iter().map(|(w, p)| (*w, p.p90)).collect();
        band.extend(pts.iter().rev().map(|(w, p)| (*w, p.p10)));
        let line: Vec<(f64, f64)> = pts.iter().map(|(w, p)| (*w, p.p50)).collect();
        if c.same_as.get(i).copied().flatten().is_some() {
            // Same as an earlier line: dashed on top, so both stay visible.
            chart.draw_series(std::iter::once(DashedPathElement::new(
                line,
                12,
                10,
                color.stroke_width(3),
            )))?;
            continue;
        }
        chart.draw_series(std::iter::once(Polygon::new(band, color.mix(0.18).filled())))?;
        chart.draw_series(LineSeries::new(line, color.stroke_width(3)))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_axis_stops_soon_after_the_work() {
        // Work done by week 17, deadline 20, 53 weekly points: show to week 22.
        assert_eq!(x_limit(17, Some(20.0), 53), 22.0);
        assert_eq!(x_limit(30, Some(20.0), 53), 32.0);
        assert_eq!(x_limit(60, None, 53), 52.0);
    }

    #[test]
    fn identical_lines_are_named_not_hidden() {
        let p = |x: f64| FanPoint {
            mean: x,
            p10: x,
            p50: x,
            p90: x,
        };
        let st = Stream {
            name: "a".into(),
            fans: vec![vec![p(10.0), p(5.0)], vec![p(10.0), p(5.2)], vec![p(10.0), p(8.0)]],
        };
        assert_eq!(same_lines(&[st], 3), vec![None, Some(0), None]);
    }

    #[test]
    fn one_panel_per_backlog_stream() {
        let d = super::super::tests::small_run();
        let b = prepare(&d).unwrap();
        assert_eq!(b.streams.len(), 1);
        assert_eq!(b.streams[0].name, "x");
    }
}
