//! Every list as PDF (SPEC §4.10): a title, the filters that made it as header lines, columns with
//! their alignment, the rows, and the totals per currency. The same [`Cell`]s feed the CSV export
//! ([`crate::csv`]), so that both show the same list.

use crate::frame::{self, Letterhead};
use crate::layout::{widths, Align, Column, Flow, Row, Style, Table};
use crate::letter::colon;
use crate::locale::{amount, date_short, total, Locale};
use crate::units::{mm, Cu};
use crate::words::Words;
use creance_core::{Date, Money, MoneyTotal};

/// One value of a list. Amounts and dates stay typed until a format writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Money(Money),
    Date(Date),
    Integer(i64),
    Empty,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    /// The cell as the locale reads it (an amount with its currency).
    pub fn display(&self, locale: Locale) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Money(m) => amount(*m, locale),
            Cell::Date(d) => date_short(*d, locale),
            Cell::Integer(i) => i.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A column: its title, alignment and share of the page's width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListColumn {
    pub title: String,
    pub align: Align,
    /// Relative width (the columns share the body width in proportion).
    pub weight: Cu,
}

impl ListColumn {
    pub fn new(title: impl Into<String>, align: Align, weight: Cu) -> ListColumn {
        ListColumn { title: title.into(), align, weight }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListDoc {
    pub locale: Locale,
    pub letterhead: Letterhead,
    pub title: String,
    /// (filter, value), one header line each: "Devise : EUR", "Client : C000100 – C000199".
    pub filters: Vec<(String, String)>,
    /// The date the list is printed for (a parameter: the crate reads no clock).
    pub printed_on: Date,
    pub columns: Vec<ListColumn>,
    pub rows: Vec<Vec<Cell>>,
    /// One total per currency, computed by the caller.
    pub totals: Vec<MoneyTotal>,
    /// Why the list is empty, said when it is.
    pub empty_reason: Option<String>,
}

pub fn layout(doc: &ListDoc) -> crate::pdf::Laid {
    let l = doc.locale;
    let w = Words::of(l.language);
    let mut flow = Flow::new(frame::PLAIN_BODY_TOP, frame::PLAIN_BODY_TOP);
    flow.line(Style::TITLE, flow.left, &doc.title);
    flow.paragraph(Style::SMALL, &format!("{} {}", w.printed_on, date_short(doc.printed_on, l)));
    for (name, value) in &doc.filters {
        flow.paragraph(Style::BODY, &format!("{name}{}{value}", colon(l)));
    }
    flow.space(mm(4));
    let weights: Vec<Cu> = doc.columns.iter().map(|c| c.weight.max(1)).collect();
    let cw = widths(flow.width(), &weights);
    let columns =
        doc.columns.iter().zip(cw).map(|(c, width)| Column { title: c.title.clone(), width, align: c.align }).collect();
    let rows = doc
        .rows
        .iter()
        .map(|cells| Row { cells: cells.iter().map(|c| c.display(l)).collect(), ..Row::default() })
        .collect();
    flow.table(&Table { columns, rows });
    if doc.rows.is_empty() {
        flow.space(mm(2));
        let why = doc.empty_reason.as_deref().map_or(String::new(), |r| format!(" – {r}"));
        flow.paragraph(Style::BODY, &format!("{}{why}", w.empty_list));
    }
    flow.space(mm(4));
    flow.paragraph(Style::SMALL, &format!("{} {}", doc.rows.len(), w.rows));
    for t in &doc.totals {
        flow.label_amount(Style::BODY_BOLD, &w.total_in(t.currency().code()), &total(*t, l));
    }
    frame::finish(flow, &doc.letterhead, l, false)
}

pub fn render(doc: &ListDoc) -> Result<Vec<u8>, crate::pdf::RenderError> {
    crate::pdf::write(&[layout(doc)])
}
