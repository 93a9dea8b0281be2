//! A bitmap backend with properly spaced text.
//!
//! plotters 0.3.7 rasterises ab_glyph text by placing each glyph at the
//! truncated pen position and ignoring its left side bearing, which makes
//! letters visibly uneven ("free lancers"). This wrapper delegates every
//! drawing call to `BitMapBackend` except text, which it lays out itself:
//! glyphs at sub-pixel pen positions with kerning and bearings, from the
//! same embedded fonts. Layout sizes stay those plotters estimates, so the
//! PNG and SVG versions of a chart are laid out alike.

use super::style;
use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle};
use std::sync::OnceLock;

type Error = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

pub struct CrispBitMap<'a> {
    inner: BitMapBackend<'a>,
}

impl<'a> CrispBitMap<'a> {
    /// Draws into an RGB buffer of `size` pixels (3 bytes per pixel).
    pub fn with_buffer(buf: &'a mut [u8], size: (u32, u32)) -> Self {
        CrispBitMap {
            inner: BitMapBackend::with_buffer(buf, size),
        }
    }
}

fn font(bold: bool) -> Option<&'static FontRef<'static>> {
    static REGULAR: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| FontRef::try_from_slice(style::BOLD_TTF).ok())
            .as_ref()
    } else {
        REGULAR
            .get_or_init(|| FontRef::try_from_slice(style::REGULAR_TTF).ok())
            .as_ref()
    }
}

impl DrawingBackend for CrispBitMap<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.blit_bitmap(pos, (iw, ih), src)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        st: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let color = st.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let Some(font) = font(matches!(st.style(), FontStyle::Bold)) else {
            return self.inner.draw_text(text, st, pos);
        };
        // ab_glyph scales so that ascent - descent = `size` pixels; plotters'
        // layout box is `size / 1.24` high. Centre the cap height in that box.
        let size = st.size() as f32;
        let scaled = font.as_scaled(PxScale::from(size));
        let box_h = size / 1.24;
        let cap = font
            .outline_glyph(scaled.scaled_glyph('H'))
            .map_or(0.72 * box_h, |o| -o.px_bounds().min.y);
        let baseline = box_h / 2.0 + cap / 2.0;

        // Lay out the glyphs at sub-pixel positions.
        let mut caret = 0.0f32;
        let mut prev = None;
        let mut glyphs = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            glyphs.push(id.with_scale_and_position(scaled.scale(), point(caret, baseline)));
            caret += scaled.h_advance(id);
            prev = Some(id);
        }
        let width = caret.round() as i32;
        let height = box_h.round() as i32;
        let dx = match st.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match st.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = st.transform();
        let (w, h) = self.get_size();
        for g in glyphs {
            let Some(outline) = font.outline_glyph(g) else { continue };
            let b = outline.px_bounds();
            let mut result = Ok(());
            outline.draw(|gx, gy, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let (x, y) = trans.transform(b.min.x as i32 + gx as i32 + dx, b.min.y as i32 + gy as i32 + dy);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                    let c = BackendColor {
                        alpha: color.alpha * coverage.min(1.0) as f64,
                        rgb: color.rgb,
                    };
                    result = self.inner.draw_pixel((x, y), c);
                }
            });
            result?;
        }
        Ok(())
    }
}
