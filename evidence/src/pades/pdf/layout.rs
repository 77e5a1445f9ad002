//! Page geometry (A4, margins, the label and value columns, grey levels) and [`Layout`],
//! which draws lines, headings and labelled rows top to bottom, starting new pages as needed.

use pdf_writer::{Content, Str};

use super::font::{Font, Line, height, lines, winansi};
use crate::pades::field_labels;

pub(super) const PAGE_W: f32 = 595.28;
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const LEFT: f32 = 56.0;
pub(super) const RIGHT: f32 = PAGE_W - 56.0;
const TOP: f32 = PAGE_H - 64.0;
pub(super) const BOTTOM: f32 = 84.0;
const LABEL_W: f32 = 170.0;
const VALUE_X: f32 = LEFT + LABEL_W + 12.0;
const VALUE_W: f32 = RIGHT - VALUE_X;
const ROW_GAP: f32 = 5.0;
/// Grey levels (0 = black).
pub(super) const INK: f32 = 0.0;
pub(super) const LABEL_INK: f32 = 0.2;
pub(super) const ENGLISH_INK: f32 = 0.45;

/// Pages of content being laid out top to bottom.
pub(super) struct Layout {
    pub pages: Vec<Content>,
    pub y: f32,
}

impl Layout {
    pub(super) fn new() -> Self {
        Layout {
            pages: vec![Content::new()],
            y: TOP,
        }
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` points fit above the bottom margin.
    pub(super) fn ensure(&mut self, h: f32) {
        if self.y - h < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    fn page(&mut self) -> &mut Content {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub(super) fn text_at(
        &mut self,
        x: f32,
        baseline: f32,
        font: Font,
        size: f32,
        gray: f32,
        text: &[u8],
    ) {
        if text.is_empty() {
            return;
        }
        let page = self.page();
        page.set_fill_gray(gray);
        page.begin_text();
        page.set_font(font.resource(), size);
        page.next_line(x, baseline);
        page.show(Str(text));
        page.end_text();
    }

    pub(super) fn rule(&mut self, x1: f32, x2: f32, y: f32, gray: f32, width: f32) {
        let page = self.page();
        page.set_stroke_gray(gray);
        page.set_line_width(width);
        page.move_to(x1, y);
        page.line_to(x2, y);
        page.stroke();
    }

    /// Draws `lines` at `x` from the top `y`; returns the y below them.
    pub(super) fn draw(&mut self, x: f32, mut y: f32, lines: &[Line]) -> f32 {
        for line in lines {
            let baseline = y - line.size;
            self.text_at(x, baseline, line.font, line.size, line.gray, &line.text);
            y -= line.leading;
        }
        y
    }

    /// A full-width paragraph.
    pub(super) fn paragraph(&mut self, lines: &[Line]) {
        for line in lines {
            self.ensure(line.leading);
            let y = self.y;
            self.y = self.draw(LEFT, y, std::slice::from_ref(line));
        }
    }

    /// A section heading: French in bold, English beside it in grey.
    pub(super) fn heading(&mut self, fr: &str, en: &str) {
        self.ensure(22.0 + 30.0);
        self.y -= 8.0;
        let fr_bytes = winansi(fr);
        let baseline = self.y - 11.5;
        self.text_at(LEFT, baseline, Font::Bold, 11.5, INK, &fr_bytes);
        let x = LEFT + Font::Bold.width(&fr_bytes, 11.5) + 8.0;
        self.text_at(x, baseline, Font::Regular, 9.0, ENGLISH_INK, &winansi(en));
        self.rule(LEFT, RIGHT, self.y - 15.5, 0.6, 0.5);
        self.y -= 22.0;
    }

    /// A labelled row: French label with the English label below, in the left column; the
    /// value in the right column. A row is kept on one page unless it is taller than a page,
    /// in which case its value flows onto the next pages.
    pub(super) fn row(&mut self, label_fr: &str, label_en: &str, value: &str, value_font: Font) {
        let mut left = lines(label_fr, Font::Regular, 8.5, LABEL_INK, LABEL_W);
        left.extend(lines(label_en, Font::Regular, 7.5, ENGLISH_INK, LABEL_W));
        let value_size = if value_font == Font::Mono { 8.5 } else { 10.0 };
        let right = lines(value, value_font, value_size, INK, VALUE_W);
        let (hl, hr) = (height(&left), height(&right));
        let h = hl.max(hr);
        if h <= TOP - BOTTOM {
            self.ensure(h);
        } else {
            self.ensure(hl);
        }
        let top = self.y;
        let start_page = self.pages.len();
        let below_left = self.draw(LEFT, top, &left);
        let mut y = top;
        for line in &right {
            if y - line.leading < BOTTOM {
                self.new_page();
                y = TOP;
            }
            y = self.draw(VALUE_X, y, std::slice::from_ref(line));
        }
        self.y = if self.pages.len() == start_page {
            y.min(below_left)
        } else {
            y
        } - ROW_GAP;
    }

    pub(super) fn known_row(&mut self, key: &str, value: &str) {
        let (fr, en) = field_labels(key).unwrap_or((key, key));
        self.row(fr, en, value, Font::Regular);
    }
}
