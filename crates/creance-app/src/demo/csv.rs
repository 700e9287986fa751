//! The demo's generated data as CSV files in the import formats (docs/import.md), for
//! `creance bench --export-csv DIR`: other systems can be fed exactly the data Créance was measured
//! on. The generator is run again from the same seed, chunk by chunk (nothing is read back from the
//! database, and memory stays one chunk), so the files hold what the bulk load wrote: customers,
//! contracts, invoices and credit notes with their installments, and the payments with the
//! document each one pays (there is no CSV import of payments: `payments.csv` has the fields of
//! `POST /api/v1/payments`). What the demo then makes through the use cases (its money situations
//! and dunning) is not in them.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use creance_render::csv::{CsvWriter, Dialect};
use creance_render::list::Cell;

use super::{generate, DemoOptions, Rng, CHUNK};

/// Writes `customers.csv`, `contracts.csv`, `invoices.csv` and `payments.csv` to `dir` (created
/// if needed); returns the rows written.
pub fn export_csv(opts: &DemoOptions, dir: &Path) -> anyhow::Result<i64> {
    std::fs::create_dir_all(dir)?;
    let open = |name: &str| -> anyhow::Result<CsvWriter<BufWriter<File>>> {
        let file = File::create(dir.join(name))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", dir.join(name).display()))?;
        Ok(CsvWriter::new(BufWriter::new(file), Dialect::Standard))
    };
    let mut customers = open("customers.csv")?;
    customers.header(&[
        "number",
        "name",
        "address",
        "postal_code",
        "city",
        "country",
        "language",
        "currency",
        "email",
        "dunning_email",
        "payer",
        "salesperson",
        "bank",
        "comment",
        "dunning_enabled",
    ])?;
    let mut contracts = open("contracts.csv")?;
    contracts.header(&["number", "customer", "status", "start_date", "end_date"])?;
    let mut invoices = open("invoices.csv")?;
    invoices.header(&[
        "kind",
        "number",
        "customer",
        "date",
        "currency",
        "total",
        "contract",
        "order_ref",
        "text",
        "payment_term",
        "due_date",
        "installment_amount",
    ])?;
    let mut payments = open("payments.csv")?;
    payments.header(&["customer_number", "date", "amount", "method", "document", "installment"])?;
    let text = |s: &str| if s.is_empty() { Cell::Empty } else { Cell::text(s) };
    let mut rows = 0i64;
    let mut rng = Rng(opts.seed ^ 0x00C0_FFEE);
    let mut start = 0;
    while start < opts.customers {
        let end = (start + CHUNK).min(opts.customers);
        let chunk = generate::generate_chunk(opts, start..end, &mut rng)?;
        start = end;
        for plan in &chunk.plans {
            let f = &plan.fields;
            customers.row(&[
                text(&f.number),
                text(&f.name),
                text(&f.address),
                text(&f.postal_code),
                text(&f.city),
                text(&f.country),
                Cell::text(f.language.code()),
                Cell::text(f.currency.code()),
                text(&f.email),
                text(&f.dunning_email),
                f.payer_number.as_deref().map_or(Cell::Empty, Cell::text),
                text(&f.salesperson),
                text(&f.bank),
                text(&f.comment),
                Cell::text(if f.dunning_enabled { "yes" } else { "no" }),
            ])?;
            rows += 1;
            if let Some(c) = &plan.contract {
                contracts.row(&[
                    text(&c.number),
                    text(&c.customer_number),
                    Cell::text(c.status.code()),
                    Cell::Date(c.start_date),
                    c.end_date.map_or(Cell::Empty, Cell::Date),
                ])?;
                rows += 1;
            }
        }
        for doc in &chunk.docs {
            let d = &doc.fields;
            let one = d.installments.len() == 1;
            for (seq, due) in d.installments.iter().enumerate() {
                invoices.row(&[
                    Cell::text(d.kind.code()),
                    text(&d.number),
                    text(&d.customer_number),
                    Cell::Date(d.date),
                    Cell::text(d.currency.code()),
                    Cell::Money(d.total),
                    d.contract_number.as_deref().map_or(Cell::Empty, Cell::text),
                    text(&d.order_ref),
                    text(&d.text),
                    text(&d.payment_term),
                    if d.kind == creance_core::DocumentKind::CreditNote {
                        Cell::Empty
                    } else {
                        Cell::Date(due.due_date)
                    },
                    if one { Cell::Empty } else { Cell::Money(due.amount) },
                ])?;
                rows += 1;
                if let Some(Some((minor, date, method))) = doc.paid.get(seq) {
                    payments.row(&[
                        text(&d.customer_number),
                        Cell::Date(*date),
                        Cell::Money(creance_core::Money::new(*minor, d.currency)),
                        Cell::text(*method),
                        text(&d.number),
                        Cell::Integer(seq as i64 + 1),
                    ])?;
                    rows += 1;
                }
            }
        }
    }
    for w in [customers, contracts, invoices, payments] {
        w.into_inner()?;
    }
    Ok(rows)
}
