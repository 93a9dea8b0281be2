//! The look shared by every chart: the embedded font, text sizes, the
//! palettes and number formats. Changing the house style happens here only.

use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, Color, FontStyle, RGBColor, TextStyle};
use std::sync::Once;

/// Default figure size in pixels: legible when pasted into a slide or a
/// document at full width.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 800;

/// The font family every chart uses; registered from the embedded DejaVu
/// Sans (no system fonts are looked up). SVG files name it as `sans-serif`,
/// so viewers substitute their own sans-serif face.
pub const FONT: &str = "sans-serif";

/// DejaVu Sans (licence: assets/fonts/LICENSE-DejaVu.txt).
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded fonts with plotters, once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in and checked by a unit test, so failure
        // here is a build defect, not a user error.
        if register_font(FONT, FontStyle::Normal, REGULAR_TTF).is_err()
            || register_font(FONT, FontStyle::Bold, BOLD_TTF).is_err()
        {
            panic!("the embedded DejaVu Sans font could not be loaded");
        }
    });
}

/// Plotters font sizes are about 1.24 x the em size in pixels (its SVG
/// backend writes `font-size = size / 1.24`); `px(15.0)` is a 15 px font.
pub fn px(em: f64) -> f64 {
    em * 1.24
}

/// Text sizes in pixels (em), chosen for a 1200 x 800 figure.
pub mod size {
    pub const TITLE: f64 = 24.0;
    pub const SUBTITLE: f64 = 15.0;
    pub const PANEL_TITLE: f64 = 17.0;
    pub const TICK: f64 = 15.0;
    pub const AXIS: f64 = 16.0;
    pub const LEGEND: f64 = 15.0;
    pub const VALUE: f64 = 14.0;
    pub const NOTE: f64 = 14.0;
}

pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub const AXIS_LINE: RGBColor = RGBColor(0x88, 0x88, 0x88);
pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// Reference lines (deadline): dark grey, dashed where drawn.
pub const REFERENCE: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// Strategy colours, by strategy order: the Okabe-Ito palette (safe for the
/// common colour-vision deficiencies), reordered so that the first colours
/// contrast well with each other and with white; yellow comes late.
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// The colour of the strategy at `index` (same in every chart).
pub fn strategy_color(index: usize) -> RGBColor {
    OKABE_ITO[index % OKABE_ITO.len()]
}

/// Colours for the parts of a stack (channels, senior time categories):
/// Paul Tol's "muted" scheme, also colour-blind safe and deliberately
/// different from the strategy colours, so that a stack segment is never
/// mistaken for a strategy.
pub mod parts {
    use plotters::style::RGBColor;
    pub const INDIGO: RGBColor = RGBColor(0x33, 0x22, 0x88);
    pub const CYAN: RGBColor = RGBColor(0x88, 0xCC, 0xEE);
    pub const TEAL: RGBColor = RGBColor(0x44, 0xAA, 0x99);
    pub const GREEN: RGBColor = RGBColor(0x11, 0x77, 0x33);
    pub const OLIVE: RGBColor = RGBColor(0x99, 0x99, 0x33);
    pub const SAND: RGBColor = RGBColor(0xDD, 0xCC, 0x77);
    pub const ROSE: RGBColor = RGBColor(0xCC, 0x66, 0x77);
    pub const WINE: RGBColor = RGBColor(0x88, 0x22, 0x55);
    pub const PURPLE: RGBColor = RGBColor(0xAA, 0x44, 0x99);
    pub const PALE_GREY: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
}

/// Black or white, whichever reads better on `bg`.
pub fn text_on(bg: RGBColor) -> RGBColor {
    let lum = 0.2126 * bg.0 as f64 + 0.7152 * bg.1 as f64 + 0.0722 * bg.2 as f64;
    if lum > 140.0 {
        INK
    } else {
        WHITE
    }
}

/// A regular text style of `em` pixels in `color`.
pub fn text(em: f64, color: RGBColor) -> TextStyle<'static> {
    let mut t = TextStyle::from((FONT, px(em)));
    t.color = color.to_backend_color();
    t
}

/// A bold text style.
pub fn bold(em: f64, color: RGBColor) -> TextStyle<'static> {
    let mut t = TextStyle::from((FONT, px(em), FontStyle::Bold));
    t.color = color.to_backend_color();
    t
}

/// `style` anchored at (`h`, `v`).
pub fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_register() {
        register_fonts();
        register_fonts(); // idempotent
        use plotters::style::IntoFont;
        let font = (FONT, 20.0).into_font();
        let (w, h) = font.box_size("Deadline").expect("font is registered");
        assert!(w > 40 && h > 10, "{w}x{h}");
    }

    #[test]
    fn text_colour_contrasts() {
        assert_eq!(text_on(parts::INDIGO), WHITE);
        assert_eq!(text_on(parts::SAND), INK);
    }
}
