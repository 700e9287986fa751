//! The one place where layout units become the `f32` numbers that pdf-writer takes.
//!
//! Layout works in integer hundredths of a point ([`Cu`], 1/7200 inch) measured from the top-left
//! corner of the page, downwards; PDF measures in points from the bottom-left corner, upwards. Every
//! conversion happens here, so that no float appears anywhere else in the crate (the tidy test allows
//! this file only). A hundredth of a point is far finer than any printer, and `i32` holds ±21 km.

use pdf_writer::{Content, Name, Rect, Str};

/// A length in hundredths of a point.
pub type Cu = i32;

/// A4 portrait, in hundredths of a point (210 × 297 mm).
pub const A4_WIDTH: Cu = 59528;
pub const A4_HEIGHT: Cu = 84189;

/// Millimetres to hundredths of a point (1 mm = 72/25.4 pt), rounded to the nearest.
pub const fn mm(millimetres: i32) -> Cu {
    (millimetres * 720_000 + 1270) / 2540
}

fn pt(v: Cu) -> f32 {
    v as f32 / 100.0
}

/// The page's box for `/MediaBox`.
pub fn page_rect(width: Cu, height: Cu) -> Rect {
    Rect::new(0.0, 0.0, pt(width), pt(height))
}

/// A glyph width in thousandths of the text size, as `/W` arrays take it.
pub fn glyph_width(thousandths: i32) -> f32 {
    thousandths as f32
}

/// A font metric in thousandths of the em, as the font descriptor takes it.
pub fn font_metric(thousandths: i32) -> f32 {
    thousandths as f32
}

/// The font's bounding box in thousandths of the em.
pub fn font_bbox(x0: i32, y0: i32, x1: i32, y1: i32) -> Rect {
    Rect::new(x0 as f32, y0 as f32, x1 as f32, y1 as f32)
}

/// A grey level in percent (0 black, 100 white).
fn grey(percent: u8) -> f32 {
    f32::from(percent.min(100)) / 100.0
}

/// A content stream addressed in top-down hundredths of a point.
pub struct Canvas {
    content: Content,
    height: Cu,
}

impl Canvas {
    pub fn new(height: Cu) -> Canvas {
        Canvas { content: Content::new(), height }
    }

    pub fn finish(self) -> Vec<u8> {
        self.content.finish().into_vec()
    }

    /// Shows `encoded` (two-byte codes of the font `font`) with its baseline at `(x, y)` from the top.
    pub fn text(&mut self, font: Name, size: Cu, x: Cu, y: Cu, grey_percent: u8, encoded: &[u8]) {
        let c = &mut self.content;
        c.begin_text();
        if grey_percent > 0 {
            c.set_fill_gray(grey(grey_percent));
        }
        c.set_font(font, pt(size));
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, pt(x), pt(self.height - y)]);
        c.show(Str(encoded));
        if grey_percent > 0 {
            c.set_fill_gray(0.0);
        }
        c.end_text();
    }

    /// Shows `encoded` turned 45° counter-clockwise around its start `(x, y)`, in light grey: the
    /// draft watermark.
    pub fn text_diagonal(&mut self, font: Name, size: Cu, x: Cu, y: Cu, grey_percent: u8, encoded: &[u8]) {
        const C: f32 = std::f32::consts::FRAC_1_SQRT_2;
        let c = &mut self.content;
        c.begin_text();
        c.set_fill_gray(grey(grey_percent));
        c.set_font(font, pt(size));
        c.set_text_matrix([C, C, -C, C, pt(x), pt(self.height - y)]);
        c.show(Str(encoded));
        c.set_fill_gray(0.0);
        c.end_text();
    }

    /// A straight line of `width` from `(x0, y0)` to `(x1, y1)`.
    pub fn line(&mut self, x0: Cu, y0: Cu, x1: Cu, y1: Cu, width: Cu) {
        let c = &mut self.content;
        c.set_line_width(pt(width));
        c.move_to(pt(x0), pt(self.height - y0));
        c.line_to(pt(x1), pt(self.height - y1));
        c.stroke();
    }

    /// A rectangle whose top-left corner is `(x, y)`, filled in grey.
    pub fn fill_rect(&mut self, x: Cu, y: Cu, w: Cu, h: Cu, grey_percent: u8) {
        let c = &mut self.content;
        c.set_fill_gray(grey(grey_percent));
        c.rect(pt(x), pt(self.height - y - h), pt(w), pt(h));
        c.fill_nonzero();
        c.set_fill_gray(0.0);
    }

    /// A rectangle outline whose top-left corner is `(x, y)`.
    pub fn stroke_rect(&mut self, x: Cu, y: Cu, w: Cu, h: Cu, width: Cu) {
        let c = &mut self.content;
        c.set_line_width(pt(width));
        c.rect(pt(x), pt(self.height - y - h), pt(w), pt(h));
        c.stroke();
    }

    /// Draws the image XObject `name` in the box whose top-left corner is `(x, y)`.
    pub fn image(&mut self, name: Name, x: Cu, y: Cu, w: Cu, h: Cu) {
        let c = &mut self.content;
        c.save_state();
        c.transform([pt(w), 0.0, 0.0, pt(h), pt(x), pt(self.height - y - h)]);
        c.x_object(name);
        c.restore_state();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millimetres_round_to_hundredths_of_a_point() {
        assert_eq!(mm(0), 0);
        assert_eq!(mm(210), 59528);
        assert_eq!(mm(297), 84189);
        assert_eq!(mm(254), 72000);
    }
}
