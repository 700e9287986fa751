//! The refund letter (SPEC §4.3): once a refund is allocated, what it refunds (payments, credit
//! notes), its amount, its reason and how it is paid, in words.

use crate::frame::{self, Letterhead, PostalAddress, Window};
use crate::layout::{widths, Align, Column, Flow, Row, Style, Table};
use crate::letter::colon;
use crate::locale::{amount, date_short, Locale};
use crate::units::mm;
use crate::words::Words;
use creance_core::{Date, Money, RefundReason};

/// A payment or credit note whose unallocated credit the refund consumes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundedRow {
    /// In words ("Règlement", "Avoir").
    pub kind: String,
    pub number: String,
    pub date: Date,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundLetterDoc {
    pub locale: Locale,
    pub letterhead: Letterhead,
    pub window: Window,
    pub recipient: PostalAddress,
    pub customer_number: String,
    pub date: Date,
    pub number: String,
    pub reason: RefundReason,
    /// The method's code; its words come from [`crate::labels::payment_method_or`].
    pub method_code: String,
    /// The company's own label for a method it added.
    pub method_label: Option<String>,
    /// The cheque number or transfer reference.
    pub piece_number: String,
    pub amount: Money,
    pub refunded: Vec<RefundedRow>,
    pub opening: String,
    pub closing: String,
    pub signature: Vec<String>,
    pub preview: bool,
}

pub fn layout(doc: &RefundLetterDoc) -> crate::pdf::Laid {
    let l = doc.locale;
    let w = Words::of(l.language);
    let mut flow = Flow::new(frame::FIRST_BODY_TOP, frame::PLAIN_BODY_TOP);
    frame::address_block(&mut flow, doc.window, &doc.recipient);
    let mut side = vec![(w.date.to_string(), date_short(doc.date, l)), (w.refund_no.to_string(), doc.number.clone())];
    if !doc.customer_number.is_empty() {
        side.push((w.customer_no.to_string(), doc.customer_number.clone()));
    }
    frame::side_block(&mut flow, doc.window, &side);
    flow.line(Style::TITLE, flow.left, w.refund_title);
    flow.space(mm(3));
    flow.paragraph(Style::BODY, &doc.opening);
    flow.space(mm(4));
    let method = crate::labels::payment_method_or(&doc.method_code, doc.method_label.as_deref(), l.language);
    let mut method_text = method.to_string();
    if !doc.piece_number.is_empty() {
        method_text = format!("{method_text} ({})", doc.piece_number);
    }
    let facts = [
        (w.amount_refunded, amount(doc.amount, l)),
        (w.reason, crate::labels::refund_reason(doc.reason, l.language).to_string()),
        (w.method, method_text),
    ];
    for (label, value) in facts {
        let y = flow.y + Style::BODY.size;
        let left = flow.left;
        flow.put(Style::BODY, left, y, &format!("{label}{}", colon(l).trim_end()));
        flow.put(Style::BODY_BOLD, left + mm(45), y, &value);
        flow.space(Style::BODY.line_height());
    }
    flow.space(mm(4));
    flow.line(Style::BODY_BOLD, flow.left, w.refunded);
    let cw = widths(flow.width(), &[30, 50, 40, 50]);
    let columns = vec![
        Column { title: w.col_kind.into(), width: cw[0], align: Align::Left },
        Column { title: w.col_document.into(), width: cw[1], align: Align::Left },
        Column { title: w.col_date.into(), width: cw[2], align: Align::Left },
        Column { title: w.col_amount.into(), width: cw[3], align: Align::Right },
    ];
    let mut rows: Vec<Row> = doc
        .refunded
        .iter()
        .map(|r| Row {
            cells: vec![r.kind.clone(), r.number.clone(), date_short(r.date, l), amount(r.amount, l)],
            ..Row::default()
        })
        .collect();
    rows.push(Row {
        cells: vec![w.total.into(), String::new(), String::new(), amount(doc.amount, l)],
        bold: true,
        note: None,
    });
    flow.table(&Table { columns, rows });
    flow.space(mm(6));
    flow.paragraph(Style::BODY, &doc.closing);
    flow.space(mm(8));
    for (i, line) in doc.signature.iter().enumerate() {
        let style = if i == 0 { Style::BODY_BOLD } else { Style::BODY };
        flow.line(style, mm(120), line);
    }
    frame::finish(flow, &doc.letterhead, l, doc.preview)
}

pub fn render(doc: &RefundLetterDoc) -> Result<Vec<u8>, crate::pdf::RenderError> {
    crate::pdf::write(&[layout(doc)])
}
