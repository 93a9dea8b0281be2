//! Senior time breakdown: where a senior ML engineer's week goes under each
//! strategy — one horizontal bar per strategy, stacked by the MODEL.md §6
//! categories (mean hours per senior per week). Focus is split into deep
//! focus (unbroken blocks) and the rest, because deep focus is the figure
//! leadership asks about.

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, parts, size, INK};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::results::RunData;
use crate::sim::{Cat, M};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub const ID: &str = "senior-time";
/// What the chart shows, for captions.
pub const DESCRIPTION: &str = "Where a senior ML engineer's week goes under each strategy: deep focus, other focus, and the overheads (questions, recovery, reviews, triage, mentoring, syncs, ops support, coordination).";

/// A segment of the stacked bar: label, colour and source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Part {
    pub label: &'static str,
    pub color: RGBColor,
}

/// Segments in stacking order (left to right): deep focus, other focus, then §6's categories.
pub const PARTS: [Part; 10] = [
    Part {
        label: "deep focus",
        color: parts::GREEN,
    },
    Part {
        label: "other focus",
        color: parts::TEAL,
    },
    Part {
        label: "questions",
        color: parts::ROSE,
    },
    Part {
        label: "recovery",
        color: parts::WINE,
    },
    Part {
        label: "reviews",
        color: parts::SAND,
    },
    Part {
        label: "defect triage",
        color: parts::PURPLE,
    },
    Part {
        label: "mentoring",
        color: parts::CYAN,
    },
    Part {
        label: "syncs",
        color: parts::INDIGO,
    },
    Part {
        label: "ops support",
        color: parts::OLIVE,
    },
    Part {
        label: "coordination",
        color: parts::PALE_GREY,
    },
];

#[derive(Clone, Debug)]
pub struct SeniorTime {
    pub title: String,
    pub subtitle: String,
    pub strategies: Vec<String>,
    /// `hours[strategy][part]` (indexed like `PARTS`), NaN when not recorded.
    pub hours: Vec<[f64; 10]>,
    pub note: String,
}

/// The summary metric name of a senior time category.
pub fn metric(c: Cat) -> String {
    format!("senior_{}_h_per_senior_week", c.name())
}

pub fn prepare(d: &RunData) -> Result<SeniorTime, Skip> {
    let n = d.strategies().len();
    let mean = |s: usize, m: &str| d.summary(s, m).filter(|x| x.n > 0).map_or(f64::NAN, |x| x.mean);
    let mut hours = Vec::new();
    for s in 0..n {
        let cat = |c: Cat| mean(s, &metric(c));
        let focus = cat(Cat::Focus);
        // Deep focus is part of focus; clamp against rounding in the means.
        let deep = mean(s, M::DeepFocusPerSeniorWeek.name()).min(focus);
        let (deep, other) = if deep.is_finite() {
            (deep, (focus - deep).max(0.0))
        } else {
            (0.0, focus)
        };
        hours.push([
            deep,
            other,
            cat(Cat::Questions),
            cat(Cat::Recovery),
            cat(Cat::Review),
            cat(Cat::Triage),
            cat(Cat::Mentoring),
            cat(Cat::Sync),
            cat(Cat::OpsSupport),
            cat(Cat::Coordination),
        ]);
    }
    if hours.iter().all(|h| h[1..].iter().all(|v| !v.is_finite())) {
        return Err(Skip(
            "the scenario has no senior ML engineers (their time was not recorded)".into(),
        ));
    }
    Ok(SeniorTime {
        title: "Where a senior ML engineer's week goes".into(),
        subtitle: super::comparison::subtitle(d),
        strategies: d.strategies().to_vec(),
        hours,
        note: "Mean hours per senior per week across replications, split by activity (podsim MODEL.md §6). Deep focus: focus time in unbroken \
               blocks of at least the scenario's focus_block_minutes (default 120). Recovery: time to get back into work after an interruption."
            .into(),
    })
}

pub fn draw<DB: DrawingBackend>(c: &SeniorTime, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let used: Vec<usize> = (0..PARTS.len())
        .filter(|&k| c.hours.iter().any(|h| h[k].is_finite() && h[k] > 0.0))
        .collect();
    let items: Vec<LegendItem> = used
        .iter()
        .map(|&k| LegendItem::new(PARTS[k].label, PARTS[k].color, Mark::Box))
        .collect();
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;

    let n = c.strategies.len();
    let total = |h: &[f64; 10]| h.iter().filter(|v| v.is_finite()).sum::<f64>();
    let top = c.hours.iter().map(total).fold(0.0f64, f64::max);
    let x_max = layout::nice_max(top * 1.14);
    let tick_style = style::text(size::TICK, INK);
    let (w, _) = body.dim_in_pixel();
    let max_label = (w as i32 / 4).max(80);
    let names: Vec<String> = c
        .strategies
        .iter()
        .map(|s| layout::fit(&body, s, &tick_style, max_label))
        .collect::<Result<_, _>>()?;
    let label_w = names
        .iter()
        .map(|s| body.estimate_text_size(s, &tick_style).map(|(w, _)| w as i32))
        .collect::<Result<Vec<_>, _>>()?;
    let y_area = label_w.into_iter().max().unwrap_or(60) + 24;

    let mut chart = ChartBuilder::on(&body)
        .margin_top(8)
        .margin_right(16)
        .x_label_area_size(58)
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..x_max, layout::category_axis(n))?;
    let x_fmt = |x: &f64| format::tick(*x);
    // Strategy 0 on top: slot n-1-s.
    let y_fmt = |y: &f64| {
        let slot = y.round().max(0.0) as usize;
        n.checked_sub(slot + 1)
            .and_then(|s| names.get(s))
            .cloned()
            .unwrap_or_default()
    };
    layout::mesh(&mut chart)
        .disable_y_mesh()
        .x_labels(10)
        .y_labels(n)
        .y_label_style(tick_style)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc("hours per senior per week (mean across replications)")
        .draw()?;

    let px_per_hour = chart.plotting_area().dim_in_pixel().0 as f64 / x_max;
    let half = if n == 1 { 0.25 } else { 0.32 };
    for (s, h) in c.hours.iter().enumerate() {
        let y = (n - 1 - s) as f64;
        let mut x = 0.0;
        for (k, part) in PARTS.iter().enumerate() {
            let v = h[k];
            if !v.is_finite() || v <= 0.0 {
                continue;
            }
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, y - half), (x + v, y + half)],
                part.color.filled(),
            )))?;
            // A thin white gap separates neighbouring segments.
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + v, y - half), (x + v, y + half)],
                WHITE.stroke_width(1),
            )))?;
            let label = format!("{v:.1}");
            let lw = body.estimate_text_size(&label, &style::text(size::VALUE, INK))?.0 as f64;
            if v * px_per_hour > lw + 8.0 {
                let st = style::anchored(
                    style::text(size::VALUE, style::text_on(part.color)),
                    HPos::Center,
                    VPos::Center,
                );
                chart.draw_series(std::iter::once(Text::new(label, (x + v / 2.0, y), st)))?;
            }
            x += v;
        }
        if x > 0.0 {
            let st = style::anchored(style::bold(size::VALUE, INK), HPos::Left, VPos::Center);
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y)) + Text::new(format!("{x:.1} h"), (8, 0), st),
            ))?;
        } else {
            let st = style::anchored(style::text(size::VALUE, INK), HPos::Left, VPos::Center);
            chart.draw_series(std::iter::once(
                EmptyElement::at((0.0, y)) + Text::new("not recorded", (8, 0), st),
            ))?;
        }
    }
    Ok(())
}
