//! The fee and interest invoices a dunning run creates (SPEC §4.7, seed 004: "les factures
//! d'intérêts de retard peuvent être imprimées également"), as the payer receives them with the
//! letter. Amounts come computed; this module lays them out.

use crate::frame::{self, Letterhead, PostalAddress, Window};
use crate::layout::{widths, Align, Column, Flow, Row, Style, Table};
use crate::letter::colon;
use crate::locale::{amount, date_short, percent, Locale};
use crate::units::mm;
use crate::words::Words;
use creance_core::{Date, Decimal, Money};

/// Which charge the invoice bills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChargeKind {
    Fee,
    Interest,
}

/// Interest on one installment for one period, shown under an interest invoice's line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterestDetail {
    pub document_number: String,
    pub from: Date,
    pub to: Date,
    pub days: i64,
    pub base: Money,
    pub rate_percent: Decimal,
    pub amount: Money,
}

/// One billed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceLine {
    pub description: String,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeInvoiceDoc {
    pub locale: Locale,
    pub letterhead: Letterhead,
    pub window: Window,
    pub recipient: PostalAddress,
    pub customer_number: String,
    pub kind: ChargeKind,
    pub number: String,
    pub date: Date,
    pub due_date: Date,
    /// The letter that charged it.
    pub letter_number: String,
    pub lines: Vec<InvoiceLine>,
    /// For an interest invoice: how each line was reached.
    pub details: Vec<InterestDetail>,
    pub total: Money,
    pub preview: bool,
}

pub fn layout(doc: &ChargeInvoiceDoc) -> crate::pdf::Laid {
    let l = doc.locale;
    let w = Words::of(l.language);
    let mut flow = Flow::new(frame::FIRST_BODY_TOP, frame::PLAIN_BODY_TOP);
    frame::address_block(&mut flow, doc.window, &doc.recipient);
    let mut side = vec![
        (w.invoice_no.to_string(), doc.number.clone()),
        (w.date.to_string(), date_short(doc.date, l)),
        (w.due_date.to_string(), date_short(doc.due_date, l)),
    ];
    if !doc.customer_number.is_empty() {
        side.push((w.customer_no.to_string(), doc.customer_number.clone()));
    }
    frame::side_block(&mut flow, doc.window, &side);
    let title = match doc.kind {
        ChargeKind::Fee => w.fee_invoice,
        ChargeKind::Interest => w.interest_invoice,
    };
    flow.line(Style::TITLE, flow.left, title);
    if !doc.letter_number.is_empty() {
        flow.paragraph(Style::BODY, &w.related_letter(&doc.letter_number));
    }
    flow.space(mm(5));
    let cw = widths(flow.width(), &[130, 40]);
    let columns = vec![
        Column { title: w.description.into(), width: cw[0], align: Align::Left },
        Column { title: w.col_amount.into(), width: cw[1], align: Align::Right },
    ];
    let mut rows: Vec<Row> = doc
        .lines
        .iter()
        .map(|line| Row { cells: vec![line.description.clone(), amount(line.amount, l)], ..Row::default() })
        .collect();
    rows.push(Row { cells: vec![w.total.into(), amount(doc.total, l)], bold: true, note: None });
    flow.table(&Table { columns, rows });
    if !doc.details.is_empty() {
        flow.space(mm(6));
        let cw = widths(flow.width(), &[26, 40, 12, 28, 16, 28]);
        let titles = [w.col_document, w.period, w.days, w.base, w.rate, w.col_amount];
        let aligns = [Align::Left, Align::Left, Align::Right, Align::Right, Align::Right, Align::Right];
        let columns = (0..6).map(|i| Column { title: titles[i].to_string(), width: cw[i], align: aligns[i] }).collect();
        let rows = doc
            .details
            .iter()
            .map(|d| Row {
                cells: vec![
                    d.document_number.clone(),
                    format!("{} – {}", date_short(d.from, l), date_short(d.to, l)),
                    d.days.to_string(),
                    amount(d.base, l),
                    percent(&d.rate_percent, l),
                    amount(d.amount, l),
                ],
                ..Row::default()
            })
            .collect();
        flow.table(&Table { columns, rows });
    }
    if let Some(bank) = doc.letterhead.bank.as_ref() {
        flow.space(mm(6));
        flow.paragraph(Style::BODY, &format!("{}{}{}", w.by_transfer, colon(l), bank.bank_name));
        flow.paragraph_indented(Style::BODY, &format!("IBAN {}   BIC {}", bank.iban, bank.bic), mm(5));
        flow.paragraph(Style::BODY, &format!("{}{}{}", w.reference, colon(l), doc.number));
    }
    frame::finish(flow, &doc.letterhead, l, doc.preview)
}

pub fn render(doc: &ChargeInvoiceDoc) -> Result<Vec<u8>, crate::pdf::RenderError> {
    crate::pdf::write(&[layout(doc)])
}
