//! A small ledger written straight in SQL for the store tests: a company, one customer, invoices of
//! one installment and payments, all in EUR. Rows are inserted with plain `INSERT … RETURNING id`
//! so that these tests depend on the schema, not on the insert functions the application uses.

use creance_core::{Currency, Language};
use creance_store::check::{self, Violation};
use creance_store::companies::{self, NewCompany};
use creance_store::{Row, Sql, Tx};

pub const NOW: &str = "2026-03-01T00:00:00Z";

pub async fn company(tx: &mut Tx) -> i64 {
    companies::insert(
        tx,
        &NewCompany {
            name: "Grand Livre SARL".into(),
            country: "FR".into(),
            base_currency: Currency::EUR,
            language: Language::Fr,
            address: String::new(),
        },
    )
    .await
    .expect("company")
}

async fn id_of(tx: &mut Tx, sql: &mut Sql) -> i64 {
    sql.push(" RETURNING id");
    let r = sql.fetch_one(tx).await.unwrap_or_else(|e| panic!("{}: {e}", sql.text()));
    r.try_get::<i64, _>(0).expect("id")
}

pub async fn customer(tx: &mut Tx, company: i64, number: &str) -> i64 {
    let mut sql = Sql::new(
        "INSERT INTO customers (company_id, number, name, language, currency, created_at, updated_at) VALUES ",
    );
    sql.bind_tuple([
        company.into(),
        number.into(),
        format!("Client {number}").into(),
        "fr".into(),
        "EUR".into(),
        NOW.into(),
        NOW.into(),
    ]);
    id_of(tx, &mut sql).await
}

/// An invoice of one installment of `minor` cents, due on 2026-02-14; returns the installment's id.
pub async fn invoice(tx: &mut Tx, company: i64, customer: i64, number: &str, minor: i64) -> i64 {
    let mut sql = Sql::new(
        "INSERT INTO documents (company_id, kind, number, customer_id, date, currency, total, created_at, updated_at) \
         VALUES ",
    );
    sql.bind_tuple([
        company.into(),
        "invoice".into(),
        number.into(),
        customer.into(),
        "2026-01-15".into(),
        "EUR".into(),
        minor.into(),
        NOW.into(),
        NOW.into(),
    ]);
    let document = id_of(tx, &mut sql).await;
    let mut sql = Sql::new(
        "INSERT INTO installments (company_id, document_id, customer_id, currency, side, seq, due_date, amount, \
         amount_open) VALUES ",
    );
    sql.bind_tuple([
        company.into(),
        document.into(),
        customer.into(),
        "EUR".into(),
        1i64.into(),
        1i64.into(),
        "2026-02-14".into(),
        minor.into(),
        minor.into(),
    ]);
    id_of(tx, &mut sql).await
}

/// An active payment of `minor` cents, nothing allocated yet; returns its id.
pub async fn payment(tx: &mut Tx, company: i64, customer: i64, number: &str, minor: i64) -> i64 {
    let mut sql = Sql::new(
        "INSERT INTO payments (company_id, number, customer_id, date, currency, amount, amount_open, method, \
         created_at) VALUES ",
    );
    sql.bind_tuple([
        company.into(),
        number.into(),
        customer.into(),
        "2026-02-20".into(),
        "EUR".into(),
        minor.into(),
        minor.into(),
        "transfer".into(),
        NOW.into(),
    ]);
    id_of(tx, &mut sql).await
}

/// One integer a query returns.
pub async fn int(tx: &mut Tx, sql: &mut Sql) -> i64 {
    let r = sql.fetch_one(tx).await.unwrap_or_else(|e| panic!("{}: {e}", sql.text()));
    r.try_get::<i64, _>(0).expect("an integer")
}

/// The stored open amount of an installment or a payment (`table` is `installments` or `payments`).
pub async fn amount_open(tx: &mut Tx, table: &str, id: i64) -> i64 {
    int(tx, Sql::new(&format!("SELECT amount_open FROM {table} WHERE id = ")).bind(id)).await
}

/// `check`'s violations but the journal's: these ledgers are written without journal entries, so the
/// journal rules (`journal_*`) would name every customer.
pub async fn ledger_violations(tx: &mut Tx) -> Vec<Violation> {
    let mut v = check::violations(tx, 100).await.expect("check");
    v.retain(|v| !v.rule.starts_with("journal_"));
    v
}
