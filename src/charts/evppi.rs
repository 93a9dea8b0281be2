//! Value of information: from `uncertainty.json`, one horizontal bar per
//! uncertain input, its EVPPI (what knowing it before deciding is worth),
//! largest first, with the EVPI of all inputs together as a dashed
//! reference line (docs/UNCERTAINTY.md).

use super::layout::{self, Area, LegendItem, Mark};
use super::style::{self, parts, size, INK, MUTED, REFERENCE};
use super::{ChartError, Skip};
use crate::metrics::format::Format;
use crate::results::RunData;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub const ID: &str = "value-of-information";
pub const DESCRIPTION: &str = "What to find out before deciding: per uncertain input, the expected value of learning it first (EVPPI), largest first; the dashed line is the value of learning every input (EVPI).";

const BAR: RGBColor = parts::TEAL;

#[derive(Clone, Debug)]
pub struct Voi {
    pub title: String,
    pub subtitle: String,
    /// (input label, EVPPI), largest first.
    pub bars: Vec<(String, f64)>,
    pub evpi: f64,
    pub note: String,
}

pub fn prepare(d: &RunData) -> Result<Voi, Skip> {
    let u = d
        .uncertainty
        .as_ref()
        .ok_or_else(|| Skip("no [uncertainty] in the scenario".into()))?;
    let v = &u.results.voi;
    if v.strategies.len() < 2 {
        return Err(Skip("one strategy: no decision to inform".into()));
    }
    let mut bars: Vec<(String, f64)> = v.evppi.iter().map(|(p, x)| (u.label(p).to_string(), *x)).collect();
    // Largest first; equal values keep the input order.
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    let basis = if v.value == "decision value" {
        "net cost as valued in [decision]"
    } else {
        "total cost (no [decision] given)"
    };
    let mut note = format!(
        "Bars: the expected value of perfect partial information (EVPPI) of each input on {basis}, estimated from the same worlds by \
         the regression method of Strong, Oakley & Brennan (2014); dashed: EVPI, the value of knowing every input. \
         The best choice on expected value is \"{}\".",
        v.best
    );
    if bars.iter().all(|(_, x)| *x <= 0.0) {
        note.push_str(" Every EVPPI is 0: no value of any input within its declared range would change the choice.");
    }
    Ok(Voi {
        title: "What is worth finding out before deciding?".into(),
        subtitle: format!(
            "{} · {} plausible worlds · seed {}",
            d.info.scenario_name, u.results.worlds, d.info.seed
        ),
        bars,
        evpi: v.evpi,
        note,
    })
}

pub fn draw<DB: DrawingBackend>(c: &Voi, area: &Area<DB>) -> Result<(), ChartError> {
    let body = layout::page(area, &c.title, &c.subtitle)?;
    let items = vec![
        LegendItem::new("EVPPI: knowing this input first", BAR, Mark::Box),
        LegendItem::new(
            format!("EVPI: knowing every input ({})", Format::Money.value(c.evpi)),
            REFERENCE,
            Mark::Dashed,
        ),
    ];
    let body = layout::legend(&body, &items)?;
    let area = layout::footnote(&body, &c.note)?;
    let n = c.bars.len().max(1);
    let top = c
        .bars
        .iter()
        .map(|b| b.1)
        .chain([c.evpi])
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    let x_max = layout::nice_max(top * 1.15);
    let (aw, _) = area.dim_in_pixel();
    let label_w = (aw as f64 * 0.36) as i32;
    let tick_style = style::text(size::TICK, INK);
    let labels: Vec<String> = c
        .bars
        .iter()
        .map(|(l, _)| layout::fit(&area, l, &tick_style, label_w - 14))
        .collect::<Result<_, _>>()?;
    let x_fmt = |x: &f64| Format::Money.tick(*x);
    let y_fmt = |_: &f64| String::new();
    let mut chart = ChartBuilder::on(&area)
        .margin_right(24)
        .margin_top(8)
        .x_label_area_size((size::TICK * 1.5 + size::AXIS * 1.8) as u32)
        .y_label_area_size(label_w as u32)
        .build_cartesian_2d(0.0..x_max, layout::category_axis(n))?;
    layout::mesh(&mut chart)
        .disable_y_mesh()
        .x_labels(6)
        .y_labels(n)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc("expected value of knowing it before deciding, $")
        .draw()?;
    let base_px = area.get_base_pixel();
    let right = style::anchored(tick_style, HPos::Right, VPos::Center);
    let value_style = style::anchored(style::text(size::VALUE, MUTED), HPos::Left, VPos::Center);
    // Rank 1 on top: categories run bottom-up.
    for (i, ((_, x), l)) in c.bars.iter().zip(&labels).enumerate() {
        let y = (n - 1 - i) as f64;
        let (px, py) = chart.backend_coord(&(0.0, y));
        area.draw_text(l, &right, (px - base_px.0 - 10, py - base_px.1))?;
        if x.is_finite() && *x > 0.0 {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.32), (*x, y + 0.32)],
                BAR.filled(),
            )))?;
        }
        let (vx, vy) = chart.backend_coord(&(x.max(0.0), y));
        area.draw_text(
            &Format::Money.value(*x),
            &value_style,
            (vx - base_px.0 + 6, vy - base_px.1),
        )?;
    }
    if c.evpi.is_finite() {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(c.evpi, -0.5), (c.evpi, n as f64 - 0.5)],
            6,
            4,
            REFERENCE.stroke_width(2),
        )))?;
    }
    Ok(())
}
