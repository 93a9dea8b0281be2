//! Finish-week distribution: per strategy, a histogram of the replications'
//! finish weeks with P50/P85/P95 marked, and all strategies' cumulative
//! distributions (the chance of having finished by each week) side by side,
//! with the deadline. Replications censored at the horizon are left out of
//! the histogram and keep the cumulative curve below 100 %.

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, size, INK, MUTED, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::results::RunData;
use crate::sim::M;
use crate::stats;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

pub const ID: &str = "finish-weeks";
/// What the chart shows, for captions.
pub const DESCRIPTION: &str = "How the finish week varies across replications: a histogram per strategy with P50, P85 and P95 marked, and the share of replications finished by each week, against the deadline.";

/// One strategy's finish weeks.
#[derive(Clone, Debug)]
pub struct StrategyFinish {
    /// Finish weeks of the replications that finished, sorted.
    pub finished: Vec<f64>,
    /// Replications with a finish-week value (finished or censored).
    pub total: usize,
    /// P50, P85, P95 over all replications (censored ones count at the horizon).
    pub quantiles: [f64; 3],
    /// Share of replications finished by the deadline, if there is one.
    pub on_time: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct FinishWeeks {
    pub title: String,
    pub subtitle: String,
    pub strategies: Vec<String>,
    pub finish: Vec<StrategyFinish>,
    pub deadline: Option<f64>,
    pub horizon: f64,
    pub note: String,
}

/// Width of the y tick-label area of the histograms.
const Y_AREA: i32 = 68;

pub const QUANTILES: [(f64, &str); 3] = [(0.5, "P50"), (0.85, "P85"), (0.95, "P95")];

pub fn prepare(d: &RunData) -> Result<FinishWeeks, Skip> {
    let horizon = d.horizon_weeks();
    let deadline = d.info.deadline_weeks;
    let mut finish = Vec::new();
    for s in 0..d.strategies().len() {
        let weeks = d.reps(s, M::FinishWeek.name()).unwrap_or_default();
        let censored = d.reps(s, M::Censored.name()).unwrap_or_default();
        let mut all: Vec<f64> = Vec::new();
        let mut finished: Vec<f64> = Vec::new();
        for (i, &(_, w)) in weeks.iter().enumerate() {
            if w.is_nan() {
                continue;
            }
            all.push(w);
            let cens = censored.get(i).map_or(w >= horizon - 1e-9, |&(_, c)| c > 0.5);
            if !cens {
                finished.push(w);
            }
        }
        all.sort_by(f64::total_cmp);
        finished.sort_by(f64::total_cmp);
        let quantiles = QUANTILES.map(|(q, _)| stats::quantile_sorted(&all, q));
        let on_time = deadline
            .filter(|_| !all.is_empty())
            .map(|dl| finished.iter().filter(|&&w| w <= dl + 1e-9).count() as f64 / all.len() as f64);
        finish.push(StrategyFinish {
            total: all.len(),
            finished,
            quantiles,
            on_time,
        });
    }
    if finish.iter().all(|f| f.total == 0) {
        return Err(Skip(
            "no finish week was recorded (the scenario has no backlog to finish)".into(),
        ));
    }
    let mut note = String::from(
        "Left: share of replications finishing in each week (bars; each strategy on its own week scale), with the P50, P85 and P95 of \
         the replications marked. Right: share of replications finished by each week, all strategies on one scale.",
    );
    let censored: usize = finish.iter().map(|f| f.total - f.finished.len()).sum();
    if censored > 0 {
        note.push_str(&format!(
            " Replications not finished by the horizon (week {}) are not in the histograms; they keep the curves below 100 %.",
            format::trim(horizon, 1)
        ));
    }
    Ok(FinishWeeks {
        title: "When does the work finish? Finish week across replications".into(),
        subtitle: super::comparison::subtitle(d),
        strategies: d.strategies().to_vec(),
        finish,
        deadline,
        horizon,
        note,
    })
}

impl FinishWeeks {
    /// The weeks shown: a little around the finished values, the deadline
    /// and, when some replications did not finish, the horizon.
    fn x_range(&self) -> (f64, f64) {
        let lo = self
            .finish
            .iter()
            .filter_map(|f| f.finished.first())
            .fold(f64::INFINITY, |a, &b| a.min(b));
        let mut hi = self
            .finish
            .iter()
            .filter_map(|f| f.finished.last())
            .fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        if self.finish.iter().any(|f| f.finished.len() < f.total) {
            hi = hi.max(self.horizon);
        }
        let mut lo = if lo.is_finite() { lo } else { 0.0 };
        if let Some(d) = self.deadline {
            lo = lo.min(d);
            hi = hi.max(d);
        }
        if !hi.is_finite() {
            hi = self.horizon;
        }
        ((lo - 1.0).floor().max(0.0), (hi + 1.0).ceil())
    }
}

/// A bin width for `n` replications over `span` weeks: about 3 sqrt(n) bins
/// across the axis (between 10 and 40), rounded to a readable width.
fn bin_width(span: f64, n: usize) -> f64 {
    let bins = (3.0 * (n as f64).sqrt()).clamp(10.0, 40.0);
    [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .find(|w| span / w <= bins)
        .unwrap_or(200.0)
}

/// Histogram of `xs` as (bin start, share of `total`).
fn histogram(xs: &[f64], total: usize, w: f64) -> Vec<(f64, f64)> {
    let mut bins: Vec<(f64, f64)> = Vec::new();
    for &x in xs {
        let start = (x / w).floor() * w;
        match bins.iter_mut().find(|(s, _)| (*s - start).abs() < w * 1e-6) {
            Some(b) => b.1 += 1.0,
            None => bins.push((start, 1.0)),
        }
    }
    for b in &mut bins {
        b.1 /= total.max(1) as f64;
    }
    bins
}

pub fn draw<DB: DrawingBackend>(c: &FinishWeeks, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let mut items: Vec<LegendItem> = c
        .strategies
        .iter()
        .zip(&c.finish)
        .enumerate()
        .map(|(i, (name, f))| {
            let label = match (c.deadline, f.on_time) {
                (Some(d), Some(p)) => format!("{name}: {:.0} % finish by week {}", 100.0 * p, format::trim(d, 1)),
                _ => name.clone(),
            };
            LegendItem::new(label, style::strategy_color(i), Mark::Box)
        })
        .collect();
    if let Some(d) = c.deadline {
        items.push(LegendItem::deadline(d));
    }
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let (w, _) = body.dim_in_pixel();
    let (left, right) = body.split_horizontally((w as f64 * 0.56) as i32);
    let left = left.margin(0, 0, 0, 14);
    let right = right.margin(0, 0, 14, 0);
    draw_histograms(c, &left)?;
    draw_cdf(c, &right, c.x_range())
}

/// The weeks a strategy's histogram shows: its own finished values with a
/// margin (the horizon too if some replications did not finish), and the
/// deadline when it is near. Each row zooms on its own data so a narrow
/// distribution keeps its shape; the cumulative panel compares on one axis.
fn row_range(f: &StrategyFinish, deadline: Option<f64>, horizon: f64) -> (f64, f64) {
    let (mut lo, mut hi) = match (f.finished.first(), f.finished.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => (horizon, horizon),
    };
    if f.finished.len() < f.total {
        hi = horizon;
    }
    let span = (hi - lo).max(1.0);
    if let Some(d) = deadline {
        if d >= lo - span && d <= hi + span {
            lo = lo.min(d);
            hi = hi.max(d);
        }
    }
    let pad = ((hi - lo) * 0.06).max(0.5);
    ((lo - pad).max(0.0), hi + pad)
}

fn draw_histograms<DB: DrawingBackend>(c: &FinishWeeks, area: &Area<DB>) -> Result<(), ChartError> {
    let n = c.strategies.len();
    // One axis title for the column of histograms, centred on it.
    let (desc_area, area) = area.split_horizontally(28);
    let (_, h) = desc_area.dim_in_pixel();
    let desc_style = style::text(size::AXIS, INK).transform(FontTransform::Rotate270);
    desc_area.draw_text(
        "% of replications",
        &style::anchored(desc_style, HPos::Center, VPos::Top),
        (0, h as i32 / 2),
    )?;
    let ranges: Vec<(f64, f64)> = c.finish.iter().map(|f| row_range(f, c.deadline, c.horizon)).collect();
    let hists: Vec<(f64, Vec<(f64, f64)>)> = c
        .finish
        .iter()
        .zip(&ranges)
        .map(|(f, (a, b))| {
            let bw = bin_width(b - a, f.total);
            (bw, histogram(&f.finished, f.total, bw))
        })
        .collect();
    // A shared percentage scale, so bar heights compare across rows.
    let top = hists
        .iter()
        .flat_map(|(_, h)| h.iter())
        .map(|b| b.1)
        .fold(0.0f64, f64::max);
    let y_max = layout::nice_max(top * 100.0 * 1.1);
    let (rows_area, desc_row) = area.split_vertically(area.dim_in_pixel().1 as i32 - 26);
    let (dw, _) = desc_row.dim_in_pixel();
    let desc = match c.deadline {
        Some(d) => format!(
            "finish week (each row on its own scale; deadline: week {})",
            format::trim(d, 1)
        ),
        None => "finish week (each row on its own scale)".to_string(),
    };
    desc_row.draw_text(
        &desc,
        &style::anchored(style::text(size::AXIS, INK), HPos::Center, VPos::Center),
        (Y_AREA + (dw as i32 - Y_AREA) / 2, 13),
    )?;
    let rows = rows_area.split_evenly((n, 1));
    for (i, (row, f)) in rows.iter().zip(&c.finish).enumerate() {
        let color = style::strategy_color(i);
        let (x0, x1) = ranges[i];
        let (bw, hist) = &hists[i];
        let q = f.quantiles;
        let qtext = QUANTILES
            .iter()
            .zip(q)
            .map(|((_, name), v)| {
                if v >= c.horizon - 1e-9 {
                    format!("{name} ≥ {}", format::trim(c.horizon, 1))
                } else {
                    format!("{name} {v:.1}")
                }
            })
            .collect::<Vec<_>>()
            .join(" · ");
        let head = (size::PANEL_TITLE * 1.5) as i32;
        let (title_area, plot_area) = row.split_vertically(head);
        let name_style = layout::panel_title_style();
        let (tw, th) = title_area.dim_in_pixel();
        let qstyle = style::text(size::TICK, INK);
        let qw = title_area.estimate_text_size(&qtext, &qstyle)?.0 as i32;
        let name = layout::fit(&title_area, &c.strategies[i], &name_style, tw as i32 - qw - Y_AREA - 40)?;
        let cy = th as i32 / 2;
        title_area.draw(&Rectangle::new(
            [(Y_AREA, cy - 8), (Y_AREA + 16, cy + 8)],
            color.filled(),
        ))?;
        title_area.draw_text(
            &name,
            &style::anchored(name_style.clone(), HPos::Left, VPos::Center),
            (Y_AREA + 24, cy),
        )?;
        // A deadline outside this row's scale is said in the title row, where
        // it cannot run into the P50/P85/P95 markers of the plot below.
        let off_scale = match c.deadline {
            Some(d) if d < x0 => Some("← deadline off scale".to_string()),
            Some(d) if d > x1 => Some("deadline off scale →".to_string()),
            _ => None,
        };
        if let Some(note) = off_scale.filter(|_| tw as i32 > qw + 200) {
            let nw = title_area.estimate_text_size(&name, &name_style)?.0 as i32;
            let note_style = style::text(size::VALUE, REFERENCE);
            let at = Y_AREA + 24 + nw + 18;
            let room = tw as i32 - qw - 24 - at;
            let note = layout::fit(&title_area, &note, &note_style, room.max(40))?;
            title_area.draw_text(&note, &style::anchored(note_style, HPos::Left, VPos::Center), (at, cy))?;
        }
        title_area.draw_text(
            &qtext,
            &style::anchored(qstyle, HPos::Right, VPos::Center),
            (tw as i32 - 8, cy),
        )?;

        let mut chart = ChartBuilder::on(&plot_area)
            .margin_right(8)
            .margin_bottom(8)
            .x_label_area_size(28)
            .y_label_area_size(Y_AREA)
            .build_cartesian_2d(x0..x1, 0.0..y_max)?;
        let x_fmt = |x: &f64| format::tick(*x);
        let y_fmt = |y: &f64| format!("{}%", format::tick(*y));
        layout::mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(8)
            .y_labels(4)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
        chart.draw_series(hist.iter().map(|&(start, share)| {
            Rectangle::new(
                [(start + bw * 0.06, 0.0), (start + bw * 0.94, share * 100.0)],
                color.mix(0.85).filled(),
            )
        }))?;
        if let Some(d) = c.deadline.filter(|d| *d >= x0 && *d <= x1) {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(d, 0.0), (d, y_max)],
                8,
                5,
                REFERENCE.stroke_width(2),
            )))?;
        }
        // P50 / P85 / P95: lines with labels staggered in height so close values stay readable.
        let label_style = style::text(size::VALUE, INK);
        for (k, (&v, (_, name))) in q.iter().zip(QUANTILES.iter()).enumerate() {
            if !v.is_finite() || v > x1 || v < x0 {
                continue;
            }
            let y_top = y_max * (0.9 - 0.22 * k as f64);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(v, 0.0), (v, y_top)],
                MUTED.stroke_width(2),
            )))?;
            let left = (v - x0) / (x1 - x0) > 0.85;
            layout::label_at(&chart, (v, y_top), name, &label_style, left)?;
        }
    }
    Ok(())
}

fn draw_cdf<DB: DrawingBackend>(c: &FinishWeeks, area: &Area<DB>, (x0, x1): (f64, f64)) -> Result<(), ChartError> {
    let head = (size::PANEL_TITLE * 1.5) as i32;
    let (title_area, plot_area) = area.split_vertically(head);
    let (_, th) = title_area.dim_in_pixel();
    title_area.draw_text(
        "Share finished by each week",
        &style::anchored(layout::panel_title_style(), HPos::Left, VPos::Center),
        (96, th as i32 / 2),
    )?;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(10)
        .margin_right(44)
        .x_label_area_size(50)
        .y_label_area_size(96)
        .build_cartesian_2d(x0..x1, 0.0..100.0)?;
    let y_fmt = |y: &f64| format!("{}%", format::tick(*y));
    let x_fmt = |x: &f64| format::tick(*x);
    layout::mesh(&mut chart)
        .x_labels(10)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc("finish week")
        .y_desc("% of replications finished")
        .draw()?;
    // The 85 % line: where it crosses a curve is that strategy's P85.
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(x0, 85.0), (x1, 85.0)],
        3,
        4,
        MUTED.stroke_width(1),
    )))?;
    // Its label sits in the right margin, where no curve can cross it.
    let (px, py) = chart.backend_coord(&(x1, 85.0));
    let base = plot_area.get_base_pixel();
    plot_area.draw_text(
        "85 %",
        &style::anchored(style::text(size::VALUE, MUTED), HPos::Left, VPos::Center),
        (px - base.0 + 4, py - base.1),
    )?;
    if let Some(d) = c.deadline {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(d, 0.0), (d, 100.0)],
            8,
            5,
            REFERENCE.stroke_width(2),
        )))?;
    }
    for (i, f) in c.finish.iter().enumerate() {
        if f.total == 0 {
            continue;
        }
        let mut pts = vec![(x0, 0.0)];
        let mut y = 0.0;
        for &w in &f.finished {
            pts.push((w, y));
            y += 100.0 / f.total as f64;
            pts.push((w, y));
        }
        pts.push((x1, y));
        chart.draw_series(LineSeries::new(pts, style::strategy_color(i).stroke_width(3)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_the_span() {
        assert_eq!(bin_width(8.0, 20), 1.0);
        assert_eq!(bin_width(4.0, 20), 0.5);
        assert_eq!(bin_width(30.0, 100), 1.0);
        assert_eq!(bin_width(10.0, 1000), 0.25);
        let h = histogram(&[1.0, 1.2, 3.9], 4, 1.0);
        assert_eq!(h, vec![(1.0, 0.5), (3.0, 0.25)]);
    }

    #[test]
    fn censored_replications_stay_out_of_the_histogram() {
        let d = super::super::tests::small_run();
        let f = prepare(&d).unwrap();
        // Strategy a: replication 2 is censored at week 6 (the horizon).
        assert_eq!(f.finish[0].finished, vec![3.0, 4.0]);
        assert_eq!(f.finish[0].total, 3);
        // Deadline week 4: a finishes by then in 2 of 3 replications.
        assert!((f.finish[0].on_time.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!(f.note.contains("not finished by the horizon"));
    }
}
