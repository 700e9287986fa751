//! What every page of a company's document carries: the letterhead (name, address, logo) on top,
//! the footer (registration, VAT number, bank details) and the page number `2/3` at the bottom, and
//! on a draft the watermark. Also the recipient's address block, placed for a windowed envelope.

use crate::layout::{Flow, Style};
use crate::locale::Locale;
use crate::pdf::{Jpeg, Laid, Op};
use crate::units::{mm, Cu, A4_WIDTH};
use crate::words::Words;

/// A company's bank account as printed on its documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BankDetails {
    pub bank_name: String,
    pub iban: String,
    pub bic: String,
}

/// The company's letterhead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Letterhead {
    pub name: String,
    pub address_lines: Vec<String>,
    /// Telephone, e-mail, web site: one line each, under the address.
    pub contact_lines: Vec<String>,
    /// The registration as it must be printed (`RCS Lyon 812 345 678`, `SIRET …`, `HRB 12345`).
    pub registration: Option<String>,
    /// The VAT number alone (`FR12812345678`); the words before it come from the language.
    pub vat: Option<String>,
    pub bank: Option<BankDetails>,
    /// A JPEG drawn at the top right, within 45 × 22 mm.
    pub logo: Option<Jpeg>,
}

/// Which window of a C5 or DL envelope the recipient's address shows through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Window {
    /// DIN 5008 / Swiss and German envelopes: 20 mm from the left edge.
    Left,
    /// French envelopes (La Poste): 110 mm from the left edge.
    #[default]
    Right,
}

impl Window {
    /// Left edge of the address block.
    pub fn x(self) -> Cu {
        match self {
            Window::Left => mm(25),
            Window::Right => mm(112),
        }
    }

    /// Left edge of the block (date, numbers) beside the address, on the other side.
    pub fn other_x(self) -> Cu {
        match self {
            Window::Left => mm(125),
            Window::Right => mm(20),
        }
    }
}

/// Top of the window's first line (a DL or C5 window's top is 45–50 mm from the top of the folded
/// A4 sheet; the first line sits 5 mm inside it).
pub const WINDOW_TOP: Cu = mm(52);
/// Where the body of a first page starts, under the address window.
pub const FIRST_BODY_TOP: Cu = mm(93);
/// Where the body of a first page starts when there is no address (a slip, a list).
pub const PLAIN_BODY_TOP: Cu = mm(45);

/// The recipient's name and postal address, one line each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostalAddress {
    pub lines: Vec<String>,
}

/// Draws the address lines in the envelope window of the first page.
pub fn address_block(flow: &mut Flow, window: Window, address: &PostalAddress) {
    let mut y = WINDOW_TOP;
    for (i, line) in address.lines.iter().take(7).enumerate() {
        let style = if i == 0 { Style::BODY_BOLD } else { Style::BODY };
        let shown = crate::layout::fit(style, line, mm(85));
        flow.put(style, window.x(), y, &shown);
        y += style.line_height();
    }
}

/// Label/value lines (date, numbers) beside the address window.
pub fn side_block(flow: &mut Flow, window: Window, lines: &[(String, String)]) {
    let mut y = WINDOW_TOP;
    let x = window.other_x();
    for (label, value) in lines {
        flow.put(Style::SMALL, x, y, label);
        flow.put(Style::BODY_BOLD, x + mm(28), y, value);
        y += Style::BODY.line_height();
    }
}

/// The laid-out document: the flow's pages with the letterhead, footer and page number `n/total` on
/// each, and the draft watermark when `draft`.
pub fn finish(flow: Flow, head: &Letterhead, locale: Locale, draft: bool) -> Laid {
    let words = Words::of(locale.language);
    let total = flow.pages.len();
    let mut images = Vec::new();
    if let Some(logo) = &head.logo {
        images.push(logo.clone());
    }
    let mut pages = flow.pages;
    for (i, page) in pages.iter_mut().enumerate() {
        let mut ops = Vec::with_capacity(page.ops.len() + 16);
        if draft {
            let size = 9600;
            ops.push(Op::Diagonal {
                x: mm(45),
                y: mm(235),
                face: crate::fonts::Face::Bold,
                size,
                grey: 88,
                text: words.draft.to_string(),
            });
            // And a banner on top, which text extraction reads whatever the angle handling.
            let style = Style::BODY_BOLD;
            let w = style.width(words.draft) + mm(8);
            let x = (A4_WIDTH - w) / 2;
            ops.push(Op::StrokeRect { x, y: mm(5), w, h: mm(6), width: 60 });
            ops.push(Op::Text {
                x: x + mm(4),
                y: mm(5) + mm(4),
                face: style.face,
                size: style.size,
                grey: 0,
                text: words.draft.to_string(),
            });
        }
        letterhead(&mut ops, head);
        footer(&mut ops, head, words, &format!("{}/{total}", i + 1));
        ops.append(&mut page.ops);
        page.ops = ops;
    }
    Laid { pages, images }
}

fn text(ops: &mut Vec<Op>, style: Style, x: Cu, y: Cu, grey: u8, text: &str) {
    if !text.is_empty() {
        ops.push(Op::Text { x, y, face: style.face, size: style.size, grey, text: text.to_string() });
    }
}

fn letterhead(ops: &mut Vec<Op>, head: &Letterhead) {
    let x = mm(20);
    let mut y = mm(18);
    let name = Style { face: crate::fonts::Face::Bold, size: 1250 };
    text(ops, name, x, y, 0, &head.name);
    y += name.line_height();
    for line in head.address_lines.iter().chain(&head.contact_lines) {
        text(ops, Style::SMALL, x, y, 25, line);
        y += Style::SMALL.line_height();
    }
    if let Some(logo) = &head.logo {
        let (bw, bh) = (mm(45), mm(22));
        let (pw, ph) = (i64::from(logo.width_px.max(1)), i64::from(logo.height_px.max(1)));
        // Fit the box, keeping the image's proportions.
        let (w, h) = if i64::from(bw) * ph <= i64::from(bh) * pw {
            (bw, Cu::try_from(i64::from(bw) * ph / pw).unwrap_or(bh))
        } else {
            (Cu::try_from(i64::from(bh) * pw / ph).unwrap_or(bw), bh)
        };
        ops.push(Op::Image { image: 0, x: A4_WIDTH - mm(20) - w, y: mm(12), w, h });
    }
}

fn footer(ops: &mut Vec<Op>, head: &Letterhead, words: &Words, page_number: &str) {
    let y = mm(276);
    let (left, right) = (mm(20), A4_WIDTH - mm(20));
    ops.push(Op::Line { x0: left, y0: y, x1: right, y1: y, width: 40 });
    let mut legal = vec![head.name.clone()];
    legal.extend(head.registration.iter().cloned());
    legal.extend(head.vat.iter().map(|v| format!("{} {v}", words.vat_no)));
    let style = Style::SMALL;
    let line1 = legal.join(" · ");
    text(ops, style, left, y + mm(4), 35, &crate::layout::fit(style, &line1, right - left - mm(15)));
    if let Some(bank) = &head.bank {
        let parts: Vec<String> = [
            bank.bank_name.clone(),
            format!("IBAN {}", bank.iban).trim().to_string(),
            format!("BIC {}", bank.bic).trim().to_string(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty() && p != "IBAN" && p != "BIC")
        .collect();
        let line2 = parts.join(" · ");
        let shown = crate::layout::fit(style, &line2, right - left - mm(15));
        text(ops, style, left, y + mm(4) + style.line_height(), 35, &shown);
    }
    let w = Style::SMALL.width(page_number);
    text(ops, Style::SMALL, right - w, y + mm(4), 0, page_number);
}
