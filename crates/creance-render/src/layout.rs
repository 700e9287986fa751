//! A small layout layer over [`crate::pdf`]: text runs in a face and size, wrapping to a width,
//! right-aligned figures, tables whose header repeats on every page they cross, and page breaks.
//! The letterhead, footer, page numbers and draft mark are added by [`crate::frame`] once the number
//! of pages is known.
//!
//! Coordinates are hundredths of a point from the top-left corner ([`crate::units`]).

use crate::fonts::Face;
use crate::pdf::{Op, Page};
use crate::units::{mm, Cu, A4_WIDTH};

/// A face and a size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub face: Face,
    pub size: Cu,
}

impl Style {
    pub const BODY: Style = Style { face: Face::Regular, size: 900 };
    pub const BODY_BOLD: Style = Style { face: Face::Bold, size: 900 };
    pub const TABLE: Style = Style { face: Face::Regular, size: 800 };
    pub const TABLE_BOLD: Style = Style { face: Face::Bold, size: 800 };
    pub const SMALL: Style = Style { face: Face::Regular, size: 720 };
    pub const TITLE: Style = Style { face: Face::Bold, size: 1300 };

    pub fn width(self, text: &str) -> Cu {
        self.face.metrics().width(text, self.size)
    }

    /// The distance between two baselines.
    pub fn line_height(self) -> Cu {
        self.size * 130 / 100
    }
}

/// How a column's text sits in its cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// `text` cut into lines no wider than `width`: at spaces (U+0020 only, so that no-break spaces hold
/// an amount together), a word longer than the width at any character, and at every `\n`.
pub fn wrap(style: Style, text: &str, width: Cu) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if style.width(&candidate) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: cut it when it is wider than the line.
            for c in word.chars() {
                line.push(c);
                if style.width(&line) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// `text` shortened with `…` to fit `width` (a table cell that must stay on one line).
pub fn fit(style: Style, text: &str, width: Cu) -> String {
    if style.width(text) <= width {
        return text.to_string();
    }
    let mut out: String = text.to_string();
    while !out.is_empty() && style.width(&format!("{out}…")) > width {
        out.pop();
    }
    format!("{out}…")
}

/// One column of a [`Table`]: its title, width and alignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub title: String,
    pub width: Cu,
    pub align: Align,
}

/// One row: a text per column, optionally in bold (a total), optionally with a note under it that
/// spans the row (a document's own text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    pub bold: bool,
    pub note: Option<String>,
}

/// A table laid out by [`Flow::table`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

const CELL_PAD: Cu = 300;

/// Body text flowing down pages.
pub struct Flow {
    pub pages: Vec<Page>,
    /// The cursor: where the next line's top goes.
    pub y: Cu,
    pub left: Cu,
    pub right: Cu,
    /// Where the body starts on a page after the first.
    pub top: Cu,
    /// Where the body must end.
    pub bottom: Cu,
}

impl Flow {
    /// A flow whose first page's body starts at `first_top` and later pages' at `top`.
    pub fn new(first_top: Cu, top: Cu) -> Flow {
        Flow {
            pages: vec![Page::default()],
            y: first_top,
            left: mm(20),
            right: A4_WIDTH - mm(20),
            top,
            bottom: mm(268),
        }
    }

    pub fn width(&self) -> Cu {
        self.right - self.left
    }

    pub fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.top;
    }

    /// Starts a new page unless `height` still fits above the bottom.
    pub fn keep(&mut self, height: Cu) {
        if self.y + height > self.bottom && self.y > self.top {
            self.new_page();
        }
    }

    pub fn space(&mut self, height: Cu) {
        self.y += height;
    }

    /// Text at an absolute place of the current page (its baseline at `y`).
    pub fn put(&mut self, style: Style, x: Cu, y: Cu, text: &str) {
        if !text.is_empty() {
            let op = Op::Text { x, y, face: style.face, size: style.size, grey: 0, text: text.to_string() };
            self.page().ops.push(op);
        }
    }

    /// Text ending at `x_right` on the current page.
    pub fn put_right(&mut self, style: Style, x_right: Cu, y: Cu, text: &str) {
        let x = x_right - style.width(text);
        self.put(style, x, y, text);
    }

    /// A paragraph wrapped to the body's width, breaking pages between lines.
    pub fn paragraph(&mut self, style: Style, text: &str) {
        self.paragraph_indented(style, text, 0);
    }

    pub fn paragraph_indented(&mut self, style: Style, text: &str, indent: Cu) {
        for line in wrap(style, text, self.width() - indent) {
            self.line(style, self.left + indent, &line);
        }
    }

    /// One line at `x`, advancing the cursor (a new page first if it does not fit).
    pub fn line(&mut self, style: Style, x: Cu, text: &str) {
        let h = style.line_height();
        self.keep(h);
        let baseline = self.y + style.size;
        self.put(style, x, baseline, text);
        self.y += h;
    }

    /// A label on the left and a figure against the right margin, on one line (the label wraps
    /// within the space the figure leaves).
    pub fn label_amount(&mut self, style: Style, label: &str, amount: &str) {
        let room = self.width() - style.width(amount) - mm(6);
        let lines = wrap(style, label, room);
        let h = style.line_height();
        self.keep(h * Cu::try_from(lines.len()).unwrap_or(1));
        for (i, line) in lines.iter().enumerate() {
            let baseline = self.y + style.size;
            self.put(style, self.left, baseline, line);
            if i == 0 {
                self.put_right(style, self.right, baseline, amount);
            }
            self.y += h;
        }
    }

    /// A horizontal rule across the body.
    pub fn rule(&mut self, width: Cu) {
        let (left, right, y) = (self.left, self.right, self.y);
        self.page().ops.push(Op::Line { x0: left, y0: y, x1: right, y1: y, width });
    }

    /// The header's titles, each wrapped within its column.
    fn header_lines(table: &Table) -> Vec<Vec<String>> {
        table.columns.iter().map(|c| wrap(Style::TABLE_BOLD, &c.title, c.width - 2 * CELL_PAD)).collect()
    }

    fn header_height(table: &Table) -> Cu {
        let lines = Flow::header_lines(table).iter().map(Vec::len).max().unwrap_or(1);
        Style::TABLE_BOLD.line_height() * Cu::try_from(lines).unwrap_or(1) + 200
    }

    fn table_header(&mut self, table: &Table) {
        let style = Style::TABLE_BOLD;
        let h = Flow::header_height(table);
        let (left, y) = (self.left, self.y);
        let total: Cu = table.columns.iter().map(|c| c.width).sum();
        self.page().ops.push(Op::FillRect { x: left, y, w: total, h, grey: 90 });
        let lines = Flow::header_lines(table);
        let most = lines.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..most {
            // Titles of fewer lines sit on the bottom lines, next to the first row.
            let baseline = y + 100 + style.size + style.line_height() * Cu::try_from(k).unwrap_or(0);
            let texts: Vec<&str> =
                lines.iter().map(|l| if k + l.len() >= most { l[k + l.len() - most].as_str() } else { "" }).collect();
            self.cells(style, baseline, texts.into_iter(), &table.columns);
        }
        self.y += h;
    }

    fn cells<'a>(&mut self, style: Style, baseline: Cu, texts: impl Iterator<Item = &'a str>, columns: &[Column]) {
        let mut x = self.left;
        for (text, col) in texts.zip(columns) {
            let shown = fit(style, text, col.width - 2 * CELL_PAD);
            match col.align {
                Align::Left => self.put(style, x + CELL_PAD, baseline, &shown),
                Align::Right => self.put_right(style, x + col.width - CELL_PAD, baseline, &shown),
            }
            x += col.width;
        }
    }

    /// The table, its header on top of every page it crosses. A row and its note stay together.
    pub fn table(&mut self, table: &Table) {
        let header_h = Flow::header_height(table);
        let total: Cu = table.columns.iter().map(|c| c.width).sum();
        let note_style = Style::SMALL;
        let first_h = table.rows.first().map_or(0, |r| self.row_height(r, total));
        self.keep(header_h + first_h);
        self.table_header(table);
        for row in &table.rows {
            let h = self.row_height(row, total);
            if self.y + h > self.bottom {
                self.new_page();
                self.table_header(table);
            }
            let style = if row.bold { Style::TABLE_BOLD } else { Style::TABLE };
            let baseline = self.y + 100 + style.size;
            self.cells(style, baseline, row.cells.iter().map(String::as_str), &table.columns);
            self.y += style.line_height() + 100;
            if let Some(note) = &row.note {
                for line in wrap(note_style, note, total - 4 * CELL_PAD) {
                    let baseline = self.y + note_style.size;
                    self.put(note_style, self.left + 2 * CELL_PAD, baseline, &line);
                    self.y += note_style.line_height();
                }
            }
            let (left, y) = (self.left, self.y);
            self.page().ops.push(Op::Line { x0: left, y0: y, x1: left + total, y1: y, width: 30 });
        }
    }

    fn row_height(&self, row: &Row, total: Cu) -> Cu {
        let style = if row.bold { Style::TABLE_BOLD } else { Style::TABLE };
        let notes = row.note.as_ref().map_or(0, |n| wrap(Style::SMALL, n, total - 4 * CELL_PAD).len());
        style.line_height() + 100 + Style::SMALL.line_height() * Cu::try_from(notes).unwrap_or(0)
    }
}

/// Column widths for `weights` sharing `width` (the last column takes the rounding rest).
pub fn widths(width: Cu, weights: &[Cu]) -> Vec<Cu> {
    let sum: Cu = weights.iter().sum::<Cu>().max(1);
    let mut out: Vec<Cu> = weights.iter().map(|w| width * w / sum).collect();
    let used: Cu = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += width - used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_each_line_fits() {
        let text = "Nous vous prions de bien vouloir régler le solde de votre compte dans les meilleurs délais.";
        let width = mm(50);
        let lines = wrap(Style::BODY, text, width);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| Style::BODY.width(l) <= width));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn no_break_spaces_hold_together_and_long_words_are_cut() {
        let amount = "1\u{202f}234\u{202f}567,89\u{a0}€";
        let lines = wrap(Style::BODY, &format!("total {amount}"), Style::BODY.width(amount) + 10);
        assert_eq!(lines, vec!["total".to_string(), amount.to_string()]);
        let long = "x".repeat(200);
        let lines = wrap(Style::BODY, &long, mm(30));
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), long);
        assert_eq!(wrap(Style::BODY, "a\nb", mm(30)), vec!["a", "b"]);
    }

    #[test]
    fn a_long_table_repeats_its_header_on_each_page() {
        let mut flow = Flow::new(mm(100), mm(40));
        let columns = vec![
            Column { title: "Document".into(), width: mm(100), align: Align::Left },
            Column { title: "Amount".into(), width: mm(70), align: Align::Right },
        ];
        let rows = (0..120).map(|i| Row { cells: vec![format!("FA-{i}"), "1,00".into()], ..Row::default() }).collect();
        flow.table(&Table { columns, rows });
        assert!(flow.pages.len() >= 3);
        for page in &flow.pages {
            let headers = page.ops.iter().filter(|op| matches!(op, Op::Text { text, .. } if text == "Document"));
            assert_eq!(headers.count(), 1);
        }
    }

    #[test]
    fn widths_share_the_whole() {
        assert_eq!(widths(1000, &[1, 1, 1]), vec![333, 333, 334]);
    }
}
