//! Building blocks every figure shares: the page (title, subtitle), legends
//! drawn outside the data, footnotes, panel grids, mesh styling, label
//! fitting. Keeping legends out of the plotting area is what guarantees that
//! they never cover data.

use super::style::{self, size, AXIS_LINE, GRID, INK, MUTED};
use super::ChartError;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub type Area<DB> = DrawingArea<DB, Shift>;

/// Outer margin of every figure, in pixels.
const MARGIN: i32 = 16;

/// Paints the background, draws the title and subtitle, and returns the area
/// left for the figure's content.
pub fn page<DB: DrawingBackend>(area: &Area<DB>, title: &str, subtitle: &str) -> Result<Area<DB>, ChartError> {
    area.fill(&WHITE)?;
    let (w, _) = area.dim_in_pixel();
    let inner = area.margin(MARGIN, MARGIN, MARGIN + 4, MARGIN + 4);
    let title_style = style::bold(size::TITLE, INK);
    let title = fit(&inner, title, &title_style, w as i32 - 2 * MARGIN)?;
    inner.draw_text(&title, &style::anchored(title_style, HPos::Left, VPos::Top), (0, 0))?;
    let mut used = (size::TITLE * 1.35) as i32;
    if !subtitle.is_empty() {
        let sub_style = style::text(size::SUBTITLE, MUTED);
        let sub = fit(&inner, subtitle, &sub_style, w as i32 - 2 * MARGIN)?;
        inner.draw_text(&sub, &style::anchored(sub_style, HPos::Left, VPos::Top), (0, used))?;
        used += (size::SUBTITLE * 1.4) as i32;
    }
    Ok(inner.split_vertically(used + 6).1)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mark {
    /// A filled square (bars, stacked areas).
    Box,
    /// A thick line (series).
    Line,
    /// A dashed line (reference lines).
    Dashed,
}

#[derive(Clone, Debug)]
pub struct LegendItem {
    pub label: String,
    pub color: RGBColor,
    pub mark: Mark,
}

impl LegendItem {
    pub fn new(label: impl Into<String>, color: RGBColor, mark: Mark) -> LegendItem {
        LegendItem {
            label: label.into(),
            color,
            mark,
        }
    }

    /// The dashed deadline line's entry, worded the same in every chart.
    pub fn deadline(week: f64) -> LegendItem {
        LegendItem::new(
            format!("Deadline (week {})", crate::metrics::format::trim(week, 1)),
            style::REFERENCE,
            Mark::Dashed,
        )
    }
}

/// Draws legend entries in centred rows at the top of `area` (wrapping as
/// needed) and returns the area below them.
pub fn legend<DB: DrawingBackend>(area: &Area<DB>, items: &[LegendItem]) -> Result<Area<DB>, ChartError> {
    if items.is_empty() {
        return Ok(area.clone());
    }
    let (w, _) = area.dim_in_pixel();
    let w = w as i32;
    let st = style::text(size::LEGEND, INK);
    let swatch = 22;
    let gap = 8;
    let spacing = 28;
    let row_h = (size::LEGEND * 1.7) as i32;
    // Lay out rows greedily.
    let mut rows: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut row_w = 0;
    for (i, it) in items.iter().enumerate() {
        let label = fit(area, &it.label, &st, w - swatch - gap)?;
        let tw = area.estimate_text_size(&label, &st)?.0 as i32;
        let iw = swatch + gap + tw;
        let need = if row_w == 0 { iw } else { row_w + spacing + iw };
        if need > w && row_w > 0 {
            rows.push(Vec::new());
            row_w = iw;
        } else {
            row_w = need;
        }
        if let Some(r) = rows.last_mut() {
            r.push((i, iw));
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|(_, iw)| iw).sum::<i32>() + spacing * (row.len() as i32 - 1);
        let mut x = (w - total).max(0) / 2;
        let cy = r as i32 * row_h + row_h / 2;
        for &(i, iw) in row {
            let it = &items[i];
            match it.mark {
                Mark::Box => area.draw(&Rectangle::new([(x, cy - 8), (x + swatch, cy + 8)], it.color.filled()))?,
                Mark::Line => area.draw(&PathElement::new(
                    vec![(x, cy), (x + swatch, cy)],
                    it.color.stroke_width(4),
                ))?,
                Mark::Dashed => area.draw(&DashedPathElement::new(
                    vec![(x, cy), (x + swatch, cy)],
                    5,
                    3,
                    it.color.stroke_width(2),
                ))?,
            }
            let label = fit(area, &it.label, &st, w - swatch - gap)?;
            area.draw_text(
                &label,
                &style::anchored(st.clone(), HPos::Left, VPos::Center),
                (x + swatch + gap, cy),
            )?;
            x += iw + spacing;
        }
    }
    Ok(area.split_vertically(rows.len() as i32 * row_h + 12).1)
}

/// Draws `text` (word-wrapped) at the bottom of `area`; returns the area above it.
pub fn footnote<DB: DrawingBackend>(area: &Area<DB>, text: &str) -> Result<Area<DB>, ChartError> {
    if text.is_empty() {
        return Ok(area.clone());
    }
    let (w, h) = area.dim_in_pixel();
    let st = style::text(size::NOTE, MUTED);
    let lines = wrap(area, text, &st, w as i32)?;
    let line_h = (size::NOTE * 1.4) as i32;
    let block = lines.len() as i32 * line_h + 6;
    let (top, bottom) = area.split_vertically(h as i32 - block);
    for (i, l) in lines.iter().enumerate() {
        bottom.draw_text(
            l,
            &style::anchored(st.clone(), HPos::Left, VPos::Top),
            (0, 6 + i as i32 * line_h),
        )?;
    }
    Ok(top)
}

/// Splits `text` into lines no wider than `width` pixels.
pub fn wrap<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    st: &TextStyle,
    width: i32,
) -> Result<Vec<String>, ChartError> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if area.estimate_text_size(&candidate, st)?.0 as i32 > width && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    Ok(lines)
}

/// `text` wrapped into at most `max` lines of `width` pixels, the last one
/// shortened with an ellipsis if the text does not fit.
pub fn wrap_lines<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    st: &TextStyle,
    width: i32,
    max: usize,
) -> Result<Vec<String>, ChartError> {
    let mut lines = wrap(area, text, st, width)?;
    if lines.len() > max {
        let rest = lines.split_off(max - 1).join(" ");
        lines.push(rest);
    }
    lines.into_iter().map(|l| fit(area, &l, st, width)).collect()
}

/// `text`, shortened with an ellipsis if needed to fit `width` pixels.
pub fn fit<DB: DrawingBackend>(area: &Area<DB>, text: &str, st: &TextStyle, width: i32) -> Result<String, ChartError> {
    if area.estimate_text_size(text, st)?.0 as i32 <= width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let s: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if area.estimate_text_size(&s, st)?.0 as i32 <= width {
            return Ok(s);
        }
    }
    Ok("…".into())
}

/// Rows and columns for `n` panels on a landscape page.
pub fn grid(n: usize) -> (usize, usize) {
    match n {
        0 | 1 => (1, 1),
        2 => (1, 2),
        3 => (1, 3),
        4 => (2, 2),
        5 | 6 => (2, 3),
        _ => (n.div_ceil(4), 4),
    }
}

/// Rows and columns for `n` wide panels (time series): stacked first.
pub fn grid_wide(n: usize) -> (usize, usize) {
    match n {
        0 | 1 => (1, 1),
        2 => (2, 1),
        3 => (3, 1),
        4 => (2, 2),
        _ => (n.div_ceil(3), 3),
    }
}

/// Splits `area` into a `rows` x `cols` grid of panels with `gap` pixels between them.
pub fn panels<DB: DrawingBackend>(area: &Area<DB>, rows: usize, cols: usize, gap: i32) -> Vec<Area<DB>> {
    area.split_evenly((rows, cols))
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let (r, c) = (i / cols, i % cols);
            let top = if r > 0 { gap / 2 } else { 0 };
            let bottom = if r + 1 < rows { gap / 2 } else { 0 };
            let left = if c > 0 { gap / 2 } else { 0 };
            let right = if c + 1 < cols { gap / 2 } else { 0 };
            a.margin(top, bottom, left, right)
        })
        .collect()
}

/// The house mesh: light horizontal grid, readable tick labels and axis titles.
pub fn mesh<'a, 'b, X, Y, XT, YT, DB>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    let mut m = chart.configure_mesh();
    m.label_style(style::text(size::TICK, MUTED))
        .axis_desc_style(style::text(size::AXIS, INK))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS_LINE.stroke_width(1))
        .set_all_tick_mark_size(4);
    m
}

/// Draws a strategy's panel title (a colour swatch and the name in bold,
/// centred) at the top of `area`; returns the area below it.
pub fn strategy_caption<DB: DrawingBackend>(
    area: &Area<DB>,
    name: &str,
    color: RGBColor,
) -> Result<Area<DB>, ChartError> {
    let (w, _) = area.dim_in_pixel();
    let st = panel_title_style();
    let swatch = 16;
    let name = fit(area, name, &st, w as i32 - swatch - 40)?;
    let tw = area.estimate_text_size(&name, &st)?.0 as i32;
    let x = (w as i32 - tw - swatch - 8).max(0) / 2;
    let h = (size::PANEL_TITLE * 1.6) as i32;
    let cy = h / 2;
    area.draw(&Rectangle::new(
        [(x, cy - swatch / 2), (x + swatch, cy + swatch / 2)],
        color.filled(),
    ))?;
    area.draw_text(
        &name,
        &style::anchored(st, HPos::Left, VPos::Center),
        (x + swatch + 8, cy),
    )?;
    Ok(area.split_vertically(h).1)
}

/// Draws a panel title centred at the top of `area` with no colour swatch
/// (for panels whose colours mean something else, such as channels) and
/// returns the area below it.
pub fn plain_caption<DB: DrawingBackend>(area: &Area<DB>, title: &str) -> Result<Area<DB>, ChartError> {
    let (w, _) = area.dim_in_pixel();
    let st = panel_title_style();
    let title = fit(area, title, &st, w as i32 - 40)?;
    let h = (size::PANEL_TITLE * 1.6) as i32;
    area.draw_text(
        &title,
        &style::anchored(st, HPos::Center, VPos::Center),
        (w as i32 / 2, h / 2),
    )?;
    Ok(area.split_vertically(h).1)
}

/// Draws `text` centred just above the data point `at`, on a white backing
/// box, so that reference lines behind it never strike through it.
pub fn label_above<X, Y, DB>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    at: (X::ValueType, Y::ValueType),
    text: &str,
    st: &TextStyle<'static>,
) -> Result<(), ChartError>
where
    X: Ranged,
    Y: Ranged,
    DB: DrawingBackend,
{
    let area = chart.plotting_area();
    let (w, h) = area.estimate_text_size(text, st)?;
    let (w, h) = (w as i32, h as i32);
    let label = EmptyElement::at(at)
        + Rectangle::new([(-w / 2 - 3, -h - 9), (w / 2 + 3, -4)], WHITE.filled())
        + Text::new(
            text.to_string(),
            (0, -6),
            st.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
        );
    area.draw(&label)?;
    Ok(())
}

/// Draws `text` beside the data point `at` (to its right, or to its left
/// when `left`), top-aligned, on a white backing box.
pub fn label_at<X, Y, DB>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    at: (X::ValueType, Y::ValueType),
    text: &str,
    st: &TextStyle<'static>,
    left: bool,
) -> Result<(), ChartError>
where
    X: Ranged,
    Y: Ranged,
    DB: DrawingBackend,
{
    let area = chart.plotting_area();
    let (w, h) = area.estimate_text_size(text, st)?;
    let (w, h) = (w as i32, h as i32);
    let x = if left { -w - 6 } else { 6 };
    let label = EmptyElement::at(at)
        + Rectangle::new([(x - 2, -1), (x + w + 2, h + 3)], WHITE.mix(0.85).filled())
        + Text::new(
            text.to_string(),
            (x, 0),
            st.clone().pos(Pos::new(HPos::Left, VPos::Top)),
        );
    area.draw(&label)?;
    Ok(())
}

/// A panel title drawn above a chart's plotting area, left-aligned.
pub fn panel_title_style() -> TextStyle<'static> {
    style::bold(size::PANEL_TITLE, INK)
}

/// Categorical axis: `n` slots centred on 0, 1, ..., n-1, with ticks and
/// labels at the centres only (continuous inside, so bars can have widths).
#[derive(Clone, Copy, Debug)]
pub struct Categories(pub usize);

impl Ranged for Categories {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;
    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let r = self.range();
        let t = (v - r.start) / (r.end - r.start);
        limit.0 + (t * (limit.1 - limit.0) as f64).round() as i32
    }
    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        (0..self.0).map(|i| i as f64).collect()
    }
    fn range(&self) -> std::ops::Range<f64> {
        -0.5..self.0.max(1) as f64 - 0.5
    }
}

pub fn category_axis(n: usize) -> Categories {
    Categories(n)
}

/// A "nice" upper bound for an axis that must show `max` (1, 2, 2.5, 5 x 10^k steps).
pub fn nice_max(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * mag >= max * 0.999_999 {
            return m * mag;
        }
    }
    10.0 * mag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_maxima() {
        assert_eq!(nice_max(17.3), 20.0);
        assert_eq!(nice_max(691_000.0), 800_000.0);
        assert_eq!(nice_max(40.0), 40.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(1.05), 1.2);
    }

    #[test]
    fn grids_hold_every_panel() {
        for n in 1..20 {
            let (r, c) = grid(n);
            assert!(r * c >= n);
            let (r, c) = grid_wide(n);
            assert!(r * c >= n);
        }
    }
}
