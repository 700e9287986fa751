//! The customer statement (SPEC §4.10, "relevé de compte"): for a period, per currency, the opening
//! balance, every document, payment, allocation and refund with its debit or credit and the running
//! balance, the closing balance, and an aging block as of the period's end; in the customer's
//! language. Everything comes computed (balances, aging): this module only lays it out.

use crate::frame::{self, Letterhead, PostalAddress, Window};
use crate::layout::{widths, Align, Column, Flow, Row, Style, Table};
use crate::locale::{amount, date_short, total, Locale};
use crate::units::mm;
use creance_core::{Currency, Date, Language, Money, MoneyTotal};

/// One line of the statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementRow {
    pub date: Date,
    /// In words ("Facture", "Règlement", "Imputation").
    pub kind: String,
    pub number: String,
    pub reference: String,
    /// What the line adds to the balance (positive: a debit; negative: a credit; zero: an
    /// allocation between the customer's own items, shown with its amount for information).
    pub effect: Money,
    /// The line's own amount.
    pub amount: Money,
    pub balance: MoneyTotal,
}

/// The statement in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementSection {
    pub currency: Currency,
    pub opening: MoneyTotal,
    pub rows: Vec<StatementRow>,
    pub closing: MoneyTotal,
    /// (bucket title, open debits) as of the period's end.
    pub aging: Vec<(String, MoneyTotal)>,
    /// Unallocated credits as of the period's end.
    pub credits: MoneyTotal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementDoc {
    pub locale: Locale,
    pub letterhead: Letterhead,
    pub window: Window,
    pub recipient: PostalAddress,
    pub customer_number: String,
    pub from: Date,
    pub to: Date,
    /// The date printed (a parameter: the crate reads no clock).
    pub printed_on: Date,
    pub sections: Vec<StatementSection>,
}

struct W {
    title: &'static str,
    period: &'static str,
    date: &'static str,
    customer: &'static str,
    col_date: &'static str,
    col_kind: &'static str,
    col_number: &'static str,
    col_reference: &'static str,
    col_debit: &'static str,
    col_credit: &'static str,
    col_balance: &'static str,
    opening: &'static str,
    closing: &'static str,
    aging: &'static str,
    credits: &'static str,
    nothing: &'static str,
    currency: &'static str,
}

fn words(language: Language) -> W {
    match language {
        Language::Fr => W {
            title: "Relevé de compte",
            period: "Période",
            date: "Date",
            customer: "N° client",
            col_date: "Date",
            col_kind: "Opération",
            col_number: "Numéro",
            col_reference: "Référence",
            col_debit: "Débit",
            col_credit: "Crédit",
            col_balance: "Solde",
            opening: "Solde au début de la période",
            closing: "Solde à la fin de la période",
            aging: "Échéancier du solde au",
            credits: "Crédits non affectés",
            nothing: "Aucune opération sur la période.",
            currency: "Devise",
        },
        Language::De => W {
            title: "Kontoauszug",
            period: "Zeitraum",
            date: "Datum",
            customer: "Kunden-Nr.",
            col_date: "Datum",
            col_kind: "Vorgang",
            col_number: "Nummer",
            col_reference: "Referenz",
            col_debit: "Soll",
            col_credit: "Haben",
            col_balance: "Saldo",
            opening: "Saldo zu Beginn des Zeitraums",
            closing: "Saldo am Ende des Zeitraums",
            aging: "Fälligkeitsstruktur am",
            credits: "Nicht verrechnete Guthaben",
            nothing: "Keine Vorgänge im Zeitraum.",
            currency: "Währung",
        },
        _ => W {
            title: "Statement of account",
            period: "Period",
            date: "Date",
            customer: "Customer no.",
            col_date: "Date",
            col_kind: "Entry",
            col_number: "Number",
            col_reference: "Reference",
            col_debit: "Debit",
            col_credit: "Credit",
            col_balance: "Balance",
            opening: "Balance at the start of the period",
            closing: "Balance at the end of the period",
            aging: "Aging of the balance at",
            credits: "Unallocated credits",
            nothing: "No entries in the period.",
            currency: "Currency",
        },
    }
}

pub fn layout(doc: &StatementDoc) -> crate::pdf::Laid {
    let l = doc.locale;
    let w = words(l.language);
    let mut flow = Flow::new(frame::FIRST_BODY_TOP, frame::PLAIN_BODY_TOP);
    frame::address_block(&mut flow, doc.window, &doc.recipient);
    let side = [
        (w.date.to_string(), date_short(doc.printed_on, l)),
        (w.customer.to_string(), doc.customer_number.clone()),
        (w.period.to_string(), format!("{} – {}", date_short(doc.from, l), date_short(doc.to, l))),
    ];
    frame::side_block(&mut flow, doc.window, &side);
    flow.line(Style::TITLE, flow.left, w.title);
    flow.space(mm(3));
    for (n, s) in doc.sections.iter().enumerate() {
        if n > 0 {
            flow.space(mm(6));
        }
        if doc.sections.len() > 1 {
            flow.line(Style::BODY_BOLD, flow.left, &format!("{} {}", w.currency, s.currency.code()));
        }
        flow.label_amount(Style::BODY_BOLD, w.opening, &total(s.opening, l));
        flow.space(mm(2));
        let cw = widths(flow.width(), &[16, 20, 20, 20, 18, 18, 20]);
        let titles = [w.col_date, w.col_kind, w.col_number, w.col_reference, w.col_debit, w.col_credit, w.col_balance];
        let columns = titles
            .iter()
            .zip(&cw)
            .enumerate()
            .map(|(i, (t, width))| Column {
                title: (*t).to_string(),
                width: *width,
                align: if i >= 4 { Align::Right } else { Align::Left },
            })
            .collect();
        let rows: Vec<Row> = s
            .rows
            .iter()
            .map(|r| {
                let (debit, credit) = match r.effect.minor() {
                    m if m > 0 => (amount(r.effect, l), String::new()),
                    m if m < 0 => (String::new(), amount(Money::new(-m, r.effect.currency()), l)),
                    // Between the customer's own items: its amount in brackets, for information.
                    _ => (String::new(), format!("({})", amount(r.amount, l))),
                };
                Row {
                    cells: vec![
                        date_short(r.date, l),
                        r.kind.clone(),
                        r.number.clone(),
                        r.reference.clone(),
                        debit,
                        credit,
                        total(r.balance, l),
                    ],
                    ..Row::default()
                }
            })
            .collect();
        if rows.is_empty() {
            flow.paragraph(Style::BODY, w.nothing);
        } else {
            flow.table(&Table { columns, rows });
        }
        flow.space(mm(2));
        flow.label_amount(Style::BODY_BOLD, w.closing, &total(s.closing, l));
        flow.space(mm(4));
        flow.line(Style::BODY_BOLD, flow.left, &format!("{} {}", w.aging, date_short(doc.to, l)));
        let n = s.aging.len() + 1;
        let aw = widths(flow.width(), &vec![10; n]);
        let mut columns: Vec<Column> = s
            .aging
            .iter()
            .zip(&aw)
            .map(|((t, _), width)| Column { title: t.clone(), width: *width, align: Align::Right })
            .collect();
        columns.push(Column { title: w.credits.to_string(), width: aw[n - 1], align: Align::Right });
        let mut cells: Vec<String> = s.aging.iter().map(|(_, a)| total(*a, l)).collect();
        cells.push(total(s.credits, l));
        flow.table(&Table { columns, rows: vec![Row { cells, ..Row::default() }] });
    }
    frame::finish(flow, &doc.letterhead, l, false)
}

pub fn render(doc: &StatementDoc) -> Result<Vec<u8>, crate::pdf::RenderError> {
    crate::pdf::write(&[layout(doc)])
}
