//! The dunning letter (SPEC §4.6, seeds 002–004): one letter per payer and currency, in the payer's
//! language, with the table of dunned items, the credits, the items not yet due when the policy
//! lists them, the charges, the total due, the deadline and how to pay. Every figure comes computed
//! (`creance_core::dunning`): this module only lays them out.

use crate::frame::{self, BankDetails, Letterhead, PostalAddress, Window};
use crate::layout::{widths, Align, Column, Flow, Row, Style, Table};
use crate::locale::{amount, date_short, percent, Locale};
use crate::units::mm;
use crate::words::Words;
use creance_core::{Date, Decimal, Money};

/// One dunned installment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DunnedRow {
    pub document_number: String,
    pub document_date: Date,
    pub due_date: Date,
    pub amount_original: Money,
    pub amount_open: Money,
    pub days_overdue: i64,
    pub level: u32,
    /// The document's own text, printed under its row (seed 004).
    pub text: Option<String>,
}

/// A credit note or an unallocated payment of the payer, listed whatever its date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditRow {
    /// In words: "Avoir", "Règlement" (see [`crate::labels`]).
    pub kind: String,
    pub number: String,
    pub date: Date,
    /// What is still unallocated, as a positive amount.
    pub amount_open: Money,
}

/// An open installment not yet due, listed for information.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotDueRow {
    pub document_number: String,
    pub document_date: Date,
    pub due_date: Date,
    pub amount_original: Money,
    pub amount_open: Money,
}

/// Late interest for one rate period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterestLine {
    /// First day charged.
    pub from: Date,
    /// Last day charged.
    pub to: Date,
    /// Yearly rate in percent (`12.15`).
    pub rate_percent: Decimal,
    pub amount: Money,
}

/// The fixed recovery indemnity: `count` late invoices at `each`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indemnity {
    pub count: u32,
    pub each: Money,
    pub amount: Money,
}

/// A letter, as frozen when it is issued (or as a draft shows it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterDoc {
    pub locale: Locale,
    pub letterhead: Letterhead,
    pub window: Window,
    pub recipient: PostalAddress,
    pub customer_number: String,
    pub date: Date,
    /// Empty on a draft (numbers are given when it is issued).
    pub number: String,
    pub level: u32,
    /// The level's title; the language's default ("Premier rappel", "2. Mahnung") when `None`.
    pub level_title: Option<String>,
    pub subject: Option<String>,
    pub opening: String,
    pub items: Vec<DunnedRow>,
    pub credits: Vec<CreditRow>,
    /// `None` when the policy does not list them.
    pub not_due: Option<Vec<NotDueRow>>,
    pub total_overdue: Money,
    pub total_credits: Option<Money>,
    pub fee: Option<Money>,
    pub interest: Vec<InterestLine>,
    pub indemnity: Option<Indemnity>,
    pub total_due: Money,
    pub deadline: Date,
    /// Where to pay; the letterhead's bank when `None`.
    pub pay_to: Option<BankDetails>,
    /// The reference the payer quotes with the transfer.
    pub payment_reference: String,
    pub closing: String,
    /// Signature block: name, then title, one line each.
    pub signature: Vec<String>,
    /// A draft: marked "PROJET" / "DRAFT" / "ENTWURF" on every page.
    pub preview: bool,
}

fn item_table(doc: &LetterDoc, flow: &Flow, w: &Words) -> Table {
    let l = doc.locale;
    let cw = widths(flow.width(), &[24, 15, 15, 21, 21, 12, 9]);
    let titles = [w.col_document, w.col_date, w.col_due, w.col_original, w.col_open, w.col_days, w.col_level];
    let aligns = [Align::Left, Align::Left, Align::Left, Align::Right, Align::Right, Align::Right, Align::Right];
    let columns = (0..7).map(|i| Column { title: titles[i].to_string(), width: cw[i], align: aligns[i] }).collect();
    let rows: Vec<Row> = doc
        .items
        .iter()
        .map(|it| Row {
            cells: vec![
                it.document_number.clone(),
                date_short(it.document_date, l),
                date_short(it.due_date, l),
                amount(it.amount_original, l),
                amount(it.amount_open, l),
                it.days_overdue.to_string(),
                it.level.to_string(),
            ],
            bold: false,
            note: it.text.clone().filter(|t| !t.trim().is_empty()),
        })
        .collect();
    Table { columns, rows }
}

fn credit_table(doc: &LetterDoc, flow: &Flow, w: &Words) -> Table {
    let l = doc.locale;
    let cw = widths(flow.width(), &[30, 39, 30, 48]);
    let columns = vec![
        Column { title: w.col_kind.into(), width: cw[0], align: Align::Left },
        Column { title: w.col_document.into(), width: cw[1], align: Align::Left },
        Column { title: w.col_date.into(), width: cw[2], align: Align::Left },
        Column { title: w.col_amount.into(), width: cw[3], align: Align::Right },
    ];
    let rows: Vec<Row> = doc
        .credits
        .iter()
        .map(|c| Row {
            cells: vec![c.kind.clone(), c.number.clone(), date_short(c.date, l), amount(c.amount_open, l)],
            ..Row::default()
        })
        .collect();
    Table { columns, rows }
}

fn not_due_table(doc: &LetterDoc, rows: &[NotDueRow], flow: &Flow, w: &Words) -> Table {
    let l = doc.locale;
    let cw = widths(flow.width(), &[30, 21, 21, 30, 30]);
    let titles = [w.col_document, w.col_date, w.col_due, w.col_original, w.col_open];
    let aligns = [Align::Left, Align::Left, Align::Left, Align::Right, Align::Right];
    let columns = (0..5).map(|i| Column { title: titles[i].to_string(), width: cw[i], align: aligns[i] }).collect();
    let rows = rows
        .iter()
        .map(|r| Row {
            cells: vec![
                r.document_number.clone(),
                date_short(r.document_date, l),
                date_short(r.due_date, l),
                amount(r.amount_original, l),
                amount(r.amount_open, l),
            ],
            ..Row::default()
        })
        .collect();
    Table { columns, rows }
}

/// Lays the letter out (its pages numbered `1/n` on their own).
pub fn layout(doc: &LetterDoc) -> crate::pdf::Laid {
    let l = doc.locale;
    let w = Words::of(l.language);
    let mut flow = Flow::new(frame::FIRST_BODY_TOP, frame::PLAIN_BODY_TOP);
    frame::address_block(&mut flow, doc.window, &doc.recipient);
    let mut side = vec![(w.date.to_string(), date_short(doc.date, l))];
    if !doc.number.is_empty() {
        side.push((w.letter_no.to_string(), doc.number.clone()));
    }
    if !doc.customer_number.is_empty() {
        side.push((w.customer_no.to_string(), doc.customer_number.clone()));
    }
    frame::side_block(&mut flow, doc.window, &side);

    let title = doc.level_title.clone().unwrap_or_else(|| w.level_title(doc.level));
    flow.line(Style::TITLE, flow.left, &title);
    if let Some(subject) = doc.subject.as_deref().filter(|s| !s.trim().is_empty()) {
        flow.paragraph(Style::BODY_BOLD, subject);
    }
    flow.space(mm(3));
    flow.paragraph(Style::BODY, &doc.opening);
    flow.space(mm(3));

    flow.keep(Style::BODY.line_height() * 4);
    flow.line(Style::BODY_BOLD, flow.left, w.items_title);
    let table = item_table(doc, &flow, w);
    flow.table(&table);
    if !doc.credits.is_empty() {
        flow.space(mm(3));
        flow.keep(Style::BODY.line_height() * 4);
        flow.line(Style::BODY_BOLD, flow.left, w.credits_title);
        let table = credit_table(doc, &flow, w);
        flow.table(&table);
    }
    if let Some(rows) = doc.not_due.as_ref().filter(|r| !r.is_empty()) {
        flow.space(mm(3));
        flow.keep(Style::BODY.line_height() * 4);
        flow.line(Style::BODY_BOLD, flow.left, w.not_due_title);
        let table = not_due_table(doc, rows, &flow, w);
        flow.table(&table);
    }

    flow.space(mm(4));
    // The charges block stays on one page: overdue, credits, fee, interest lines, indemnity, total.
    let charge_lines = 2
        + usize::from(doc.total_credits.is_some())
        + usize::from(doc.fee.is_some())
        + doc.interest.len()
        + usize::from(doc.indemnity.is_some());
    flow.keep(Style::BODY.line_height() * crate::units::Cu::try_from(charge_lines).unwrap_or(8) + mm(2));
    flow.label_amount(Style::BODY, w.total_overdue, &amount(doc.total_overdue, l));
    if let Some(credits) = doc.total_credits {
        // Credits are given as what they are worth; they come off the total.
        let shown = credits.checked_neg().map_or_else(|_| amount(credits, l), |c| amount(c, l));
        flow.label_amount(Style::BODY, w.total_credits, &shown);
    }
    if let Some(fee) = doc.fee {
        flow.label_amount(Style::BODY, w.fee, &amount(fee, l));
    }
    for i in &doc.interest {
        let label = w.interest(&date_short(i.from, l), &date_short(i.to, l), &percent(&i.rate_percent, l));
        flow.label_amount(Style::BODY, &label, &amount(i.amount, l));
    }
    if let Some(ind) = &doc.indemnity {
        let label = w.indemnity_count(ind.count, &amount(ind.each, l));
        flow.label_amount(Style::BODY, &label, &amount(ind.amount, l));
    }
    flow.space(mm(1));
    flow.rule(60);
    flow.space(mm(1));
    flow.label_amount(Style::BODY_BOLD, w.total_due, &amount(doc.total_due, l));

    flow.space(mm(3));
    flow.paragraph(Style::BODY_BOLD, &w.deadline(&amount(doc.total_due, l), &date_short(doc.deadline, l)));
    if let Some(bank) = doc.pay_to.as_ref().or(doc.letterhead.bank.as_ref()) {
        flow.space(mm(2));
        flow.keep(Style::BODY.line_height() * 4);
        flow.paragraph(Style::BODY, &format!("{}{}{}", w.by_transfer, colon(l), bank.bank_name));
        flow.paragraph_indented(Style::BODY, &format!("IBAN {}   BIC {}", bank.iban, bank.bic), mm(5));
    }
    if !doc.payment_reference.is_empty() {
        flow.paragraph(Style::BODY, &format!("{}{}{}", w.reference, colon(l), doc.payment_reference));
    }
    flow.space(mm(3));
    // The closing and the signature stay together.
    let closing_lines = crate::layout::wrap(Style::BODY, &doc.closing, flow.width()).len() + doc.signature.len();
    flow.keep(Style::BODY.line_height() * crate::units::Cu::try_from(closing_lines).unwrap_or(1) + mm(5));
    flow.paragraph(Style::BODY, &doc.closing);
    flow.space(mm(5));
    for (i, line) in doc.signature.iter().enumerate() {
        let style = if i == 0 { Style::BODY_BOLD } else { Style::BODY };
        flow.line(style, mm(120), line);
    }
    frame::finish(flow, &doc.letterhead, l, doc.preview)
}

/// `" : "` in French (a no-break space before the colon), `": "` elsewhere.
pub fn colon(locale: Locale) -> String {
    match locale.language {
        creance_core::Language::Fr => "\u{a0}: ".to_string(),
        _ => ": ".to_string(),
    }
}

/// The letter as PDF bytes.
pub fn render(doc: &LetterDoc) -> Result<Vec<u8>, crate::pdf::RenderError> {
    crate::pdf::write(&[layout(doc)])
}

/// Many letters in one PDF (a print run), each numbering its own pages `1/n`.
pub fn merge(docs: &[LetterDoc]) -> Result<Vec<u8>, crate::pdf::RenderError> {
    let laid: Vec<_> = docs.iter().map(layout).collect();
    crate::pdf::write(&laid)
}
