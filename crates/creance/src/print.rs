//! Printing for people (aligned tables) and for scripts (`--json`), shared by every command family:
//! the table layout, the open-items lists, and the small formatting both the money and the dunning
//! commands use (amounts in minor units, yes/no, optional cells).

use creance_app::queries::OpenItems;
use creance_app::views::ledger::{CurrencyTotal, OpenDocument, OpenItem};
use creance_core::{Currency, Money};

pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints `value` as JSON for scripts, or through `human` for people.
pub fn emit<T: serde::Serialize>(json: bool, value: &T, human: impl FnOnce(&T)) -> anyhow::Result<()> {
    if json {
        self::json(value)
    } else {
        human(value);
        Ok(())
    }
}

/// Minor units in a currency given by its code (as the views answer them); the bare number when the
/// code is not a currency.
pub fn minor(amount: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Ok(c) => Money::new(amount, c).format_amount(),
        Err(_) => amount.to_string(),
    }
}

/// A table cell for a flag.
pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// A table cell for a value that may be missing (empty then).
pub fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

/// Prints an aligned table; columns whose index is in `right` are right-aligned (amounts).
pub fn table(headers: &[&str], rows: &[Vec<String>], right: &[usize]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                if right.contains(&i) {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn totals(totals: &[CurrencyTotal], shown: usize, count: i64) {
    println!();
    println!("{shown} of {count} row(s) shown.");
    for t in totals {
        println!(
            "Total {}: {} open item(s), open {}, overdue {}",
            t.currency.code(),
            t.items,
            t.amount_open.format_amount(),
            t.amount_overdue.format_amount()
        );
    }
}

pub fn open_items(list: &OpenItems<OpenItem>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|i| {
            vec![
                i.customer_number.clone(),
                i.customer_name.clone(),
                i.document_number.clone(),
                format!("{}/{}", i.seq, i.installment_count),
                i.due_date.to_string(),
                i.days_overdue.to_string(),
                i.amount.format_amount(),
                i.amount_open.format_amount(),
                i.currency.code().to_string(),
                i.dunning_level.to_string(),
            ]
        })
        .collect();
    table(
        &["customer", "name", "document", "inst.", "due", "days late", "amount", "open", "cur.", "level"],
        &rows,
        &[5, 6, 7, 9],
    );
    totals(&list.totals, list.items.len(), list.total_count);
}

pub fn open_documents(list: &OpenItems<OpenDocument>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|d| {
            vec![
                d.customer_number.clone(),
                d.customer_name.clone(),
                d.document_number.clone(),
                d.document_date.to_string(),
                d.due_date_first.to_string(),
                d.days_overdue.to_string(),
                d.total.format_amount(),
                d.amount_open.format_amount(),
                d.currency.code().to_string(),
                d.installments_open.to_string(),
            ]
        })
        .collect();
    table(
        &["customer", "name", "document", "date", "first due", "days late", "total", "open", "cur.", "open inst."],
        &rows,
        &[5, 6, 7, 9],
    );
    totals(&list.totals, list.items.len(), list.total_count);
}
