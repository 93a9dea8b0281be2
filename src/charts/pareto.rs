//! Pareto scatter: from `pareto.csv`, every (point, strategy) pair placed
//! by the means of the two objectives; frontier pairs solid and joined by a
//! step line, dominated pairs faded.

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, size, INK, MUTED, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format;
use crate::metrics::{describe, Described};
use crate::results::SweepData;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub const ID: &str = "pareto-frontier";
pub const DESCRIPTION: &str = "Every (setting, strategy) pair placed by the means of the two objectives: the frontier (pairs no other pair beats on both) is solid and joined by a step line; dominated pairs are faded.";

#[derive(Clone, Debug)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub strategy: usize,
    /// Colour index (the strategy's place in the scenario: the same as in the run's charts).
    pub color: usize,
    pub frontier: bool,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct Pareto {
    pub title: String,
    pub subtitle: String,
    pub metrics: [String; 2],
    pub descs: [String; 2],
    /// Whether lower is better, per metric.
    pub lower: [bool; 2],
    pub strategies: Vec<String>,
    pub dots: Vec<Dot>,
    pub note: String,
}

pub fn prepare(d: &SweepData) -> Result<Pareto, Skip> {
    let t = d
        .pareto
        .as_ref()
        .ok_or_else(|| Skip("no pareto.csv (sweep without --pareto)".into()))?;
    let lower = [0, 1].map(|k| {
        d.objectives
            .iter()
            .find(|(m, _)| *m == t.metrics[k])
            .map(|(_, b)| b != "higher")
            .unwrap_or(true)
    });
    let dots: Vec<Dot> = t
        .rows
        .iter()
        .filter(|r| r.m[0].0.is_finite() && r.m[1].0.is_finite() && r.status != "undefined")
        .map(|r| Dot {
            x: r.m[0].0,
            y: r.m[1].0,
            strategy: d.strategy_index(&r.strategy).unwrap_or(0),
            color: d.color_index(&r.strategy).unwrap_or(0),
            frontier: r.status == "frontier",
            label: t
                .params
                .iter()
                .zip(&r.xs)
                .map(|(p, x)| format!("{}={}", p.rsplit('.').next().unwrap_or(p), format::trim(*x, 4)))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    if dots.is_empty() {
        return Err(Skip("no (point, strategy) pair has both metrics defined".into()));
    }
    let desc = |k: usize| {
        let Described { label, unit, .. } = describe(&t.metrics[k]);
        let better = if lower[k] {
            "lower is better"
        } else {
            "higher is better"
        };
        // "Finish week, week" says the unit twice: the label names it already.
        if unit.is_empty() || label.to_lowercase().contains(&unit.to_lowercase()) {
            format!("{label} (mean; {better})")
        } else {
            format!("{label}, {unit} (mean; {better})")
        }
    };
    let undefined = t.rows.len() - dots.len();
    let mut note = String::from(
        "Each dot is one (setting, strategy) pair at the means of its replications; solid dots form the Pareto frontier (no other pair is at least as good on both metrics and better on one) and are labelled with their setting; faded dots are dominated. The frontier is computed on means: pairs whose confidence intervals overlap may swap places with more replications."
    );
    if undefined > 0 {
        note.push_str(&format!(" {undefined} pair(s) with an undefined metric are not drawn."));
    }
    let names = [0, 1].map(|k| describe(&t.metrics[k]).label.to_lowercase());
    Ok(Pareto {
        title: format!("Pareto frontier: {} against {}", names[1], names[0]),
        subtitle: d.subtitle(),
        metrics: t.metrics.clone(),
        descs: [desc(0), desc(1)],
        lower,
        strategies: d.strategies.clone(),
        dots,
        note,
    })
}

/// The axis range for `values`, padded. One or two outliers far from the
/// rest (beyond a gap of more than half the whole span) are left outside,
/// so they do not squeeze every other point into a corner; the chart draws
/// them at the edge with their values.
pub fn axis_range(values: &[f64]) -> (f64, f64) {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return (0.0, 1.0);
    }
    let (mut lo, mut hi) = (v[0], v[v.len() - 1]);
    let span = hi - lo;
    let most = (v.len() / 5).max(1);
    if v.len() >= 4 && span > 0.0 {
        // The widest gap between neighbours, and which side of it is small.
        let (k, gap) = v
            .windows(2)
            .enumerate()
            .map(|(k, w)| (k, w[1] - w[0]))
            .fold((0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
        if gap > 0.5 * span {
            let below = k + 1;
            let above = v.len() - below;
            if above <= most {
                hi = v[k];
            } else if below <= most {
                lo = v[k + 1];
            }
        }
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(1e-9);
    (lo - pad, hi + pad)
}

pub fn draw<DB: DrawingBackend>(c: &Pareto, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let mut items: Vec<LegendItem> = c
        .strategies
        .iter()
        .enumerate()
        .filter(|(i, _)| c.dots.iter().any(|d| d.strategy == *i))
        .map(|(i, s)| {
            let color = c.dots.iter().find(|d| d.strategy == i).map_or(i, |d| d.color);
            LegendItem::new(s, style::strategy_color(color), Mark::Box)
        })
        .collect();
    items.push(LegendItem::new("Frontier", REFERENCE, Mark::Line));
    let body = layout::legend(&body, &items)?;
    let body = layout::footnote(&body, &c.note)?;
    let xs: Vec<f64> = c.dots.iter().map(|d| d.x).collect();
    let ys: Vec<f64> = c.dots.iter().map(|d| d.y).collect();
    let (x0, x1) = axis_range(&xs);
    let (y0, y1) = axis_range(&ys);
    let xf = |x: &f64| describe(&c.metrics[0]).format.tick(*x);
    let yf = |y: &f64| describe(&c.metrics[1]).format.tick(*y);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(10)
        .margin_right(20)
        .x_label_area_size((size::TICK * 1.5 + size::AXIS * 1.8) as u32)
        .y_label_area_size(96)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    layout::mesh(&mut chart)
        .x_labels(8)
        .y_labels(7)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .x_desc(c.descs[0].as_str())
        .y_desc(c.descs[1].as_str())
        .draw()?;
    // A dot beyond an axis (an outlier the axis leaves out so the others are
    // not squeezed into a corner) is drawn at the edge, marked with its value.
    let clamp = |d: &Dot| (d.x.clamp(x0, x1), d.y.clamp(y0, y1));
    let outside = |d: &Dot| d.x < x0 || d.x > x1 || d.y < y0 || d.y > y1;
    // Faded first, so frontier dots sit on top.
    chart.draw_series(
        c.dots
            .iter()
            .filter(|d| !d.frontier)
            .map(|d| Circle::new(clamp(d), 6, style::strategy_color(d.color).mix(0.3).filled())),
    )?;
    let mut front: Vec<&Dot> = c.dots.iter().filter(|d| d.frontier).collect();
    front.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    if front.len() > 1 {
        // The step runs through the corner both neighbours dominate.
        let mut path = vec![clamp(front[0])];
        for w in front.windows(2) {
            let (a, b) = (w[0], w[1]);
            let worse = |u: f64, v: f64, lower: bool| if lower { u.max(v) } else { u.min(v) };
            let corner = (worse(a.x, b.x, c.lower[0]), worse(a.y, b.y, c.lower[1]));
            path.push((corner.0.clamp(x0, x1), corner.1.clamp(y0, y1)));
            path.push(clamp(b));
        }
        chart.draw_series(std::iter::once(PathElement::new(path, REFERENCE.stroke_width(2))))?;
    }
    chart.draw_series(front.iter().map(|d| {
        EmptyElement::at(clamp(d))
            + Circle::new((0, 0), 7, style::strategy_color(d.color).filled())
            + Circle::new((0, 0), 7, INK.stroke_width(1))
    }))?;
    let st = style::text(size::VALUE, INK);
    let muted = style::text(size::VALUE, MUTED);
    // Labels beside their dots, never on one: each takes the first of
    // above, below, right and left that overlaps no dot and no label.
    let area = chart.plotting_area();
    let base = area.get_base_pixel();
    let (aw, ah) = area.dim_in_pixel();
    let px = |d: &Dot| {
        let (x, y) = chart.backend_coord(&clamp(d));
        (x - base.0, y - base.1)
    };
    let dots_px: Vec<(i32, i32)> = c.dots.iter().map(px).collect();
    let mut taken: Vec<[i32; 4]> = Vec::new();
    let mut labels: Vec<(&Dot, String, bool)> = front.iter().map(|d| (*d, d.label.clone(), false)).collect();
    for d in c.dots.iter().filter(|d| outside(d)) {
        let value = format!(
            "{}, {}",
            describe(&c.metrics[0]).format.value(d.x),
            describe(&c.metrics[1]).format.value(d.y)
        );
        let text = if d.frontier && !d.label.is_empty() {
            format!("{} ({value}, off scale)", d.label)
        } else {
            format!("{value} (off scale)")
        };
        labels.retain(|(o, _, _)| !std::ptr::eq(*o, d));
        labels.push((d, text, true));
    }
    for (d, text, off) in labels {
        if text.is_empty() {
            continue;
        }
        let (w, h) = area.estimate_text_size(&text, &st)?;
        let (w, h) = (w as i32, h as i32);
        let (cx, cy) = px(d);
        let gap = 11;
        let candidates = [
            (cx - w / 2, cy - gap - h),
            (cx - w / 2, cy + gap),
            (cx + gap, cy - h / 2),
            (cx - gap - w, cy - h / 2),
        ];
        let fits = |&(x, y): &(i32, i32)| {
            let r = [x - 2, y - 1, x + w + 2, y + h + 1];
            r[0] >= 0
                && r[1] >= 0
                && r[2] <= aw as i32
                && r[3] <= ah as i32
                && !dots_px
                    .iter()
                    .any(|&(dx, dy)| dx + 8 > r[0] && dx - 8 < r[2] && dy + 8 > r[1] && dy - 8 < r[3])
                && !taken
                    .iter()
                    .any(|t| t[0] < r[2] && r[0] < t[2] && t[1] < r[3] && r[1] < t[3])
        };
        let (x, y) = candidates.iter().copied().find(fits).unwrap_or(candidates[0]);
        taken.push([x - 2, y - 1, x + w + 2, y + h + 1]);
        // Offsets from the dot, in pixels.
        let (ox, oy) = (x - cx, y - cy);
        let label = EmptyElement::at(clamp(d))
            + Rectangle::new(
                [(ox - 2, oy - 1), (ox + w + 2, oy + h + 1)],
                style::WHITE.mix(0.85).filled(),
            )
            + Text::new(
                text,
                (ox, oy),
                (if off { muted.clone() } else { st.clone() }).pos(Pos::new(HPos::Left, VPos::Top)),
            );
        area.draw(&label)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_outlier_does_not_squeeze_the_axis() {
        let (lo, hi) = axis_range(&[26.0, 26.5, 27.0, 27.5, 28.0, 61.0]);
        assert!(hi < 30.0 && lo > 25.0, "{lo}..{hi}");
        // No outlier: everything is on the axis.
        let (lo, hi) = axis_range(&[1.0, 2.0, 3.0, 4.0]);
        assert!(lo < 1.0 && hi > 4.0);
    }

    #[test]
    fn a_strategy_keeps_its_colour_whichever_strategies_a_sweep_ran() {
        // A sweep of "pods" alone colours it as the run does (second in the scenario).
        let d = SweepData {
            strategies: vec!["pods".into()],
            palette: vec!["individual".into(), "pods".into()],
            ..SweepData::default()
        };
        assert_eq!(d.strategy_index("pods"), Some(0));
        assert_eq!(d.color_index("pods"), Some(1));
        // Folders written before the palette was recorded keep their own order.
        let old = SweepData {
            strategies: vec!["pods".into()],
            ..SweepData::default()
        };
        assert_eq!(old.color_index("pods"), Some(0));
    }

    #[test]
    fn the_unit_is_not_said_twice() {
        let d = SweepData {
            strategies: vec!["a".into()],
            pareto: Some(crate::results::ParetoTable {
                params: vec!["x".into()],
                metrics: ["cost_total".into(), "finish_week".into()],
                rows: vec![crate::results::ParetoRow {
                    point: 0,
                    xs: vec![1.0],
                    strategy: "a".into(),
                    m: [(1.0, 1.0, 1.0), (2.0, 2.0, 2.0)],
                    status: "frontier".into(),
                }],
            }),
            ..SweepData::default()
        };
        let p = prepare(&d).unwrap();
        assert!(
            !p.descs[1].contains("week, week") && p.descs[1].starts_with("Finish week"),
            "{}",
            p.descs[1]
        );
    }
}
