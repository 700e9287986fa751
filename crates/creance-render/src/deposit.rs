//! The deposit slip (SPEC §4.5): the cheques handed to one bank account in one batch, each with its
//! drawer, bank and number, and their count and total.

use crate::frame::{self, Letterhead};
use crate::layout::{widths, Align, Column, Flow, Row, Style, Table};
use crate::locale::{amount, date_short, Locale};
use crate::units::mm;
use crate::words::Words;
use creance_core::{Date, Money};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cheque {
    pub drawer: String,
    pub bank: String,
    pub number: String,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepositSlipDoc {
    pub locale: Locale,
    pub letterhead: Letterhead,
    pub bank_name: String,
    /// The account's name and IBAN as printed.
    pub account_name: String,
    pub iban: String,
    pub date: Date,
    pub number: String,
    pub cheques: Vec<Cheque>,
    pub total: Money,
    pub preview: bool,
}

pub fn layout(doc: &DepositSlipDoc) -> crate::pdf::Laid {
    let l = doc.locale;
    let w = Words::of(l.language);
    let mut flow = Flow::new(frame::PLAIN_BODY_TOP, frame::PLAIN_BODY_TOP);
    flow.line(Style::TITLE, flow.left, w.deposit_title);
    flow.space(mm(3));
    let pairs = [
        (w.deposit_no, doc.number.clone()),
        (w.date, date_short(doc.date, l)),
        (w.bank, doc.bank_name.clone()),
        (w.account, format!("{}  {}", doc.account_name, doc.iban).trim().to_string()),
    ];
    for (label, value) in pairs {
        let y = flow.y + Style::BODY.size;
        let left = flow.left;
        flow.put(Style::BODY, left, y, label);
        flow.put(Style::BODY_BOLD, left + mm(32), y, &value);
        flow.space(Style::BODY.line_height());
    }
    flow.space(mm(5));
    let cw = widths(flow.width(), &[10, 52, 42, 30, 36]);
    let titles = ["#", w.drawer, w.drawer_bank, w.cheque_no, w.col_amount];
    let aligns = [Align::Right, Align::Left, Align::Left, Align::Left, Align::Right];
    let columns = (0..5).map(|i| Column { title: titles[i].to_string(), width: cw[i], align: aligns[i] }).collect();
    let mut rows: Vec<Row> = doc
        .cheques
        .iter()
        .enumerate()
        .map(|(i, c)| Row {
            cells: vec![(i + 1).to_string(), c.drawer.clone(), c.bank.clone(), c.number.clone(), amount(c.amount, l)],
            ..Row::default()
        })
        .collect();
    rows.push(Row {
        cells: vec![
            String::new(),
            format!("{}{}{}", w.cheque_count, crate::letter::colon(l), doc.cheques.len()),
            String::new(),
            w.total.into(),
            amount(doc.total, l),
        ],
        bold: true,
        note: None,
    });
    flow.table(&Table { columns, rows });
    flow.space(mm(12));
    flow.keep(mm(30));
    let (x, y) = (mm(120), flow.y);
    flow.put(Style::BODY, x, y, w.signature);
    flow.page().ops.push(crate::pdf::Op::StrokeRect { x, y: y + mm(3), w: mm(70), h: mm(25), width: 40 });
    frame::finish(flow, &doc.letterhead, l, doc.preview)
}

pub fn render(doc: &DepositSlipDoc) -> Result<Vec<u8>, crate::pdf::RenderError> {
    crate::pdf::write(&[layout(doc)])
}
