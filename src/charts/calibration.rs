//! Charts of `podsim fit` and `podsim backtest`, drawn from their results
//! (never running anything): per workstream, the effort histogram with the
//! fitted density and a QQ plot; items created per week with the surge weeks
//! marked; and the backtest's actual weekly throughput against the
//! simulated P10-P90 band. Same house style and backends as the run charts.

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, parts as palette, INK, REFERENCE};
use super::{ChartError, Formats};
use crate::fit::{Arrivals, EffortFit};
use crate::metrics::format;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// A calibration chart, ready to draw.
#[derive(Clone, Debug)]
pub enum CalibrationChart {
    Effort { workstream: String, fit: EffortFit },
    Arrivals { workstream: String, arrivals: Arrivals },
    Backtest(Backtest),
}

/// One workstream's backtest weeks.
#[derive(Clone, Debug)]
pub struct BacktestStream {
    pub name: String,
    /// Per week: simulated P10, P50, P90 and the actual count.
    pub weeks: Vec<[f64; 4]>,
}

#[derive(Clone, Debug)]
pub struct Backtest {
    pub subtitle: String,
    pub streams: Vec<BacktestStream>,
    pub note: String,
}

impl CalibrationChart {
    /// File stem.
    pub fn id(&self) -> String {
        match self {
            CalibrationChart::Effort { workstream, .. } => format!("effort-{}", slug(workstream)),
            CalibrationChart::Arrivals { workstream, .. } => format!("arrivals-{}", slug(workstream)),
            CalibrationChart::Backtest(_) => "backtest".into(),
        }
    }

    pub fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Result<(), ChartError> {
        style::register_fonts();
        match self {
            CalibrationChart::Effort { workstream, fit } => draw_effort(workstream, fit, area),
            CalibrationChart::Arrivals { workstream, arrivals } => draw_arrivals(workstream, arrivals, area),
            CalibrationChart::Backtest(b) => draw_backtest(b, area),
        }
    }
}

/// A file-name-safe form of a workstream name.
pub fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "workstream".into()
    } else {
        s
    }
}

impl super::Drawable for CalibrationChart {
    fn stem(&self) -> String {
        self.id()
    }
    fn draw_on<DB: DrawingBackend>(&self, area: &Area<DB>) -> Result<(), ChartError> {
        self.draw(area)
    }
}

/// Writes each chart as PNG and/or SVG into `dir` through the charts'
/// shared writer (same size, raster backend and atomic files as the run
/// charts); returns the files.
pub fn write(dir: &Path, charts: &[CalibrationChart], formats: Formats) -> Result<Vec<PathBuf>, ChartError> {
    super::write_figures(dir, charts, &[], formats)
}

fn draw_effort<DB: DrawingBackend>(ws: &str, f: &EffortFit, area: &Area<DB>) -> Result<(), ChartError> {
    let best = f.best();
    let verdict = if f.fits_well() {
        format!("fits (KS p = {})", format::significant(f.p_value, 2))
    } else {
        format!("no family fits well (KS p = {})", format::significant(f.p_value, 2))
    };
    let body = layout::page(
        area,
        &format!(
            "Effort of {ws}: {} items and the fitted {}",
            f.data.len(),
            best.fitted.family().name()
        ),
        &format!("{}; {verdict}", crate::fit::describe(&best.fitted)),
    )?;
    let body = layout::legend(
        &body,
        &[
            LegendItem::new("history (share of items per hour)", palette::CYAN, Mark::Box),
            LegendItem::new(
                format!("fitted {}", best.fitted.family().name()),
                palette::WINE,
                Mark::Line,
            ),
            LegendItem::new("equal quantiles", REFERENCE, Mark::Dashed),
        ],
    )?;
    let body = layout::footnote(
        &body,
        "Left: histogram of hands-on hours (density) with the fitted density. Right: QQ plot, the data's quantiles against the fit's; points on the dashed line mean the family fits.",
    )?;
    let panels = layout::panels(&body, 1, 2, 24);
    // Histogram up to the 99th percentile, so one outlier does not squash it.
    let n = f.data.len();
    let top = crate::stats::quantile_sorted(&f.data, 0.99).max(f.data[0] + 1e-9);
    let bins = ((2.0 * (n as f64).cbrt()) as usize).clamp(8, 60);
    let width = top / bins as f64;
    let mut counts = vec![0usize; bins];
    for &x in &f.data {
        if x <= top {
            counts[((x / width) as usize).min(bins - 1)] += 1;
        }
    }
    let dens: Vec<f64> = counts.iter().map(|&c| c as f64 / (n as f64 * width)).collect();
    let curve: Vec<(f64, f64)> = (1..=200)
        .map(|i| {
            let x = top * i as f64 / 200.0;
            (x, best.fitted.pdf(x))
        })
        .filter(|p| p.1.is_finite())
        .collect();
    let y_max = layout::nice_max(
        dens.iter()
            .chain(curve.iter().map(|p| &p.1))
            .fold(0.0f64, |a, &b| a.max(b))
            * 1.05,
    );
    let fmt = |x: &f64| format::tick(*x);
    let mut chart = ChartBuilder::on(&panels[0])
        .margin_top(10)
        .margin_right(12)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..top, 0.0..y_max.max(1e-9))?;
    layout::mesh(&mut chart)
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&fmt)
        .y_label_formatter(&|y: &f64| format::trim(*y, 3))
        .x_desc("hours")
        .y_desc("density")
        .draw()?;
    chart.draw_series(dens.iter().enumerate().map(|(i, &d)| {
        Rectangle::new(
            [(i as f64 * width, 0.0), ((i + 1) as f64 * width, d)],
            palette::CYAN.filled(),
        )
    }))?;
    chart.draw_series(LineSeries::new(curve, palette::WINE.stroke_width(3)))?;
    // QQ: the i-th order statistic against the fit's (i - 0.5)/n quantile.
    let step = (n / 400).max(1);
    let pts: Vec<(f64, f64)> = (0..n)
        .step_by(step)
        .map(|i| (best.fitted.quantile((i as f64 + 0.5) / n as f64), f.data[i]))
        .filter(|p| p.0.is_finite())
        .collect();
    let hi = pts.iter().fold(0.0f64, |a, p| a.max(p.0).max(p.1)) * 1.05;
    let mut qq = ChartBuilder::on(&panels[1])
        .margin_top(10)
        .margin_right(12)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..hi.max(1e-9), 0.0..hi.max(1e-9))?;
    layout::mesh(&mut qq)
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .x_desc("fitted quantile (hours)")
        .y_desc("history quantile (hours)")
        .draw()?;
    qq.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
        vec![(0.0, 0.0), (hi, hi)],
        8,
        5,
        REFERENCE.stroke_width(2),
    )))?;
    qq.draw_series(pts.iter().map(|&p| Circle::new(p, 3, palette::INDIGO.filled())))?;
    Ok(())
}

fn draw_arrivals<DB: DrawingBackend>(ws: &str, a: &Arrivals, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(
        area,
        &format!("Items created per week: {ws}"),
        &format!(
            "mean {} per week over {} weeks (90 % interval {} to {}); {} surge week(s)",
            format::significant(a.per_week.value, 3),
            a.counts.len(),
            format::significant(a.per_week.lo, 3),
            format::significant(a.per_week.hi, 3),
            a.surges.len()
        ),
    )?;
    let body = layout::legend(
        &body,
        &[
            LegendItem::new("items created", palette::CYAN, Mark::Box),
            LegendItem::new("surge week (Poisson chance below 0.1 %)", palette::ROSE, Mark::Box),
            LegendItem::new("mean", REFERENCE, Mark::Dashed),
        ],
    )?;
    let body = layout::footnote(
        &body,
        &format!(
            "Week 0 starts {}. A surge is a week whose count a steady Poisson flow at the mean would reach less than once in a thousand weeks.",
            crate::fit::time::date_of(a.week0)
        ),
    )?;
    let n = a.counts.len();
    let y_max = layout::nice_max(a.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(10)
        .margin_right(12)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..n as f64, 0.0..y_max)?;
    let fmt = |x: &f64| format::tick(*x);
    layout::mesh(&mut chart)
        .x_labels(12)
        .y_labels(6)
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .x_desc("week")
        .y_desc("items created")
        .draw()?;
    chart.draw_series(a.counts.iter().enumerate().map(|(w, &c)| {
        let color = if a.surges.contains(&w) {
            palette::ROSE
        } else {
            palette::CYAN
        };
        Rectangle::new([(w as f64 + 0.1, 0.0), (w as f64 + 0.9, c as f64)], color.filled())
    }))?;
    chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
        vec![(0.0, a.per_week.value), (n as f64, a.per_week.value)],
        8,
        5,
        REFERENCE.stroke_width(2),
    )))?;
    Ok(())
}

fn draw_backtest<DB: DrawingBackend>(b: &Backtest, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(
        area,
        "Backtest: actual weekly throughput against the simulated P10-P90 band",
        &b.subtitle,
    )?;
    let body = layout::legend(
        &body,
        &[
            LegendItem::new("simulated P10-P90", palette::CYAN, Mark::Box),
            LegendItem::new("simulated median", palette::INDIGO, Mark::Line),
            LegendItem::new("actual, inside the band", INK, Mark::Box),
            LegendItem::new("actual, outside", palette::ROSE, Mark::Box),
        ],
    )?;
    let body = layout::footnote(&body, &b.note)?;
    let (rows, cols) = layout::grid_wide(b.streams.len().max(1));
    for (s, a) in b.streams.iter().zip(layout::panels(&body, rows, cols, 24)) {
        let n = s.weeks.len().max(1);
        let y_max = layout::nice_max(s.weeks.iter().map(|w| w[2].max(w[3])).fold(1.0f64, f64::max) * 1.1);
        let mut chart = ChartBuilder::on(&a)
            .caption(format!("Workstream: {}", s.name), layout::panel_title_style())
            .margin_top(10)
            .margin_right(12)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..n as f64, 0.0..y_max)?;
        let fmt = |x: &f64| format::tick(*x);
        layout::mesh(&mut chart)
            .x_labels(12)
            .y_labels(6)
            .x_label_formatter(&fmt)
            .y_label_formatter(&fmt)
            .x_desc("week of the backtest")
            .y_desc("items finished")
            .draw()?;
        let mut band: Vec<(f64, f64)> = s
            .weeks
            .iter()
            .enumerate()
            .map(|(i, w)| (i as f64 + 0.5, w[2]))
            .collect();
        band.extend(s.weeks.iter().enumerate().rev().map(|(i, w)| (i as f64 + 0.5, w[0])));
        chart.draw_series(std::iter::once(Polygon::new(band, palette::CYAN.mix(0.5).filled())))?;
        chart.draw_series(LineSeries::new(
            s.weeks.iter().enumerate().map(|(i, w)| (i as f64 + 0.5, w[1])),
            palette::INDIGO.stroke_width(3),
        ))?;
        chart.draw_series(s.weeks.iter().enumerate().map(|(i, w)| {
            let inside = w[3] >= w[0] && w[3] <= w[2];
            let c = if inside { INK } else { palette::ROSE };
            Circle::new((i as f64 + 0.5, w[3]), 5, c.filled())
        }))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_render() {
        let xs: Vec<f64> = (1..200).map(|i| (i as f64 / 40.0).exp()).collect();
        let fit = crate::fit::fit_effort(
            &xs,
            &crate::fit::Settings {
                resamples: 20,
                gof_resamples: 9,
                ..Default::default()
            },
            1,
        )
        .unwrap();
        let c = CalibrationChart::Effort {
            workstream: "a b".into(),
            fit,
        };
        assert_eq!(c.id(), "effort-a-b");
        let size = (style::WIDTH, style::HEIGHT);
        assert!(crate::charts::render_svg(&c, size).unwrap().contains("Effort of a b"));
        assert!(crate::charts::render_png(&c, size).unwrap().starts_with(b"\x89PNG"));
        let b = CalibrationChart::Backtest(Backtest {
            subtitle: "x".into(),
            streams: vec![BacktestStream {
                name: "w".into(),
                weeks: vec![[1.0, 2.0, 3.0, 2.5], [1.0, 2.0, 3.0, 5.0]],
            }],
            note: "n".into(),
        });
        assert!(crate::charts::render_svg(&b, size).unwrap().starts_with("<svg"));
    }
}
