//! Payments received (SPEC §3, §4.2). This is the storage side only: the rules (what may be allocated
//! to what) live in the core and are applied by the application crate, which writes allocations and
//! the open amounts of both sides in one transaction.
//!
//! `payments.amount_open` is what the payment still has unallocated; it is kept by the transaction that
//! allocates, unallocates or refunds, and recomputed from the allocation rows by `creance check`.

use creance_core::{Date, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx};

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub number: String,
    pub customer_id: i64,
    pub date: Date,
    pub amount: Money,
    /// What the same transaction leaves unallocated (the amount when nothing is allocated yet).
    pub amount_open: i64,
    pub method: String,
    pub piece_number: String,
    pub customer_bank: String,
    pub deposit_bank_id: Option<i64>,
    pub deposit_date: Option<Date>,
    pub order_ref: String,
    pub note: String,
}

const INSERT_COLUMNS: &str =
    "INSERT INTO payments (company_id, number, customer_id, date, currency, amount, amount_open, \
     method, piece_number, customer_bank, deposit_bank_id, deposit_date, order_ref, note, created_at) VALUES ";

fn push_payment(sql: &mut Sql, company_id: i64, p: &NewPayment, now: &str) {
    sql.bind_tuple([
        company_id.into(),
        p.number.as_str().into(),
        p.customer_id.into(),
        p.date.to_string().into(),
        p.amount.currency().code().into(),
        p.amount.minor().into(),
        p.amount_open.into(),
        p.method.as_str().into(),
        p.piece_number.as_str().into(),
        p.customer_bank.as_str().into(),
        p.deposit_bank_id.into(),
        p.deposit_date.map(|d| d.to_string()).into(),
        p.order_ref.as_str().into(),
        p.note.as_str().into(),
        now.into(),
    ]);
}

/// Inserts payments (numbered by the caller from the company's series).
pub async fn insert_bulk(tx: &mut Tx, company_id: i64, payments: &[NewPayment]) -> anyhow::Result<()> {
    insert_bulk_in(tx, company_id, payments, false).await.map(drop)
}

/// Inserts payments as [`insert_bulk`] and returns their `(id, number)` pairs (in no promised order).
pub async fn insert_bulk_returning(
    tx: &mut Tx,
    company_id: i64,
    payments: &[NewPayment],
) -> anyhow::Result<Vec<(i64, String)>> {
    insert_bulk_in(tx, company_id, payments, true).await
}

async fn insert_bulk_in(
    tx: &mut Tx,
    company_id: i64,
    payments: &[NewPayment],
    returning: bool,
) -> anyhow::Result<Vec<(i64, String)>> {
    let now = tx.at()?;
    let mut out = Vec::new();
    for chunk in payments.chunks(batch_rows(15)) {
        let mut sql = Sql::new(INSERT_COLUMNS);
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            push_payment(&mut sql, company_id, p, &now);
        }
        if returning {
            sql.push(" RETURNING id, number");
            for r in sql.fetch_all(tx).await? {
                out.push((row::int(&r, "id")?, row::text(&r, "number")?));
            }
        } else {
            sql.execute(tx).await?;
        }
    }
    Ok(out)
}

/// Inserts one payment and returns its id.
pub async fn insert(tx: &mut Tx, company_id: i64, p: &NewPayment) -> anyhow::Result<i64> {
    let now = tx.at()?;
    let mut sql = Sql::new(INSERT_COLUMNS);
    push_payment(&mut sql, company_id, p, &now);
    let r = sql.push(" RETURNING id").fetch_one(tx).await?;
    row::int(&r, "id")
}

/// A payment as lists and details show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub date: Date,
    pub amount: Money,
    /// What is not allocated yet (unallocated credit, "trop perçu").
    pub unallocated: Money,
    pub method: String,
    pub piece_number: String,
    pub customer_bank: String,
    pub deposit_bank_id: Option<i64>,
    pub deposit_date: Option<Date>,
    pub deposit_id: Option<i64>,
    pub order_ref: String,
    pub note: String,
    /// `active` or `cancelled`.
    pub status: creance_core::PaymentStatus,
    pub cancel_reason: String,
}

const SELECT: &str = "SELECT p.id, p.number, p.customer_id, c.number AS customer_number, c.name AS customer_name, p.date, \
     p.currency, p.amount, p.amount_open, p.method, p.piece_number, p.customer_bank, p.deposit_bank_id, p.deposit_date, \
     p.deposit_id, p.order_ref, p.note, p.status, p.cancel_reason";
const FROM: &str = " FROM payments p JOIN customers c ON c.id = p.customer_id";

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Payment> {
    let currency = row::currency(r, "currency")?;
    Ok(Payment {
        id: row::int(r, "id")?,
        number: row::text(r, "number")?,
        customer_id: row::int(r, "customer_id")?,
        customer_number: row::text(r, "customer_number")?,
        customer_name: row::text(r, "customer_name")?,
        date: row::date(r, "date")?,
        amount: row::money(r, "amount", currency)?,
        unallocated: row::money(r, "amount_open", currency)?,
        method: row::text(r, "method")?,
        piece_number: row::text(r, "piece_number")?,
        customer_bank: row::text(r, "customer_bank")?,
        deposit_bank_id: row::opt_int(r, "deposit_bank_id")?,
        deposit_date: row::opt_date(r, "deposit_date")?,
        deposit_id: row::opt_int(r, "deposit_id")?,
        order_ref: row::text(r, "order_ref")?,
        note: row::text(r, "note")?,
        status: crate::dunning::words::word(r, "payments", "status", creance_core::PaymentStatus::parse)?,
        cancel_reason: row::text(r, "cancel_reason")?,
    })
}

/// `FOR UPDATE` on PostgreSQL; nothing on SQLite, where `BEGIN IMMEDIATE` already holds the only
/// write lock.
pub fn lock_clause(tx: &mut Tx, of: &str) -> String {
    if (**tx).backend_name() == "SQLite" {
        String::new()
    } else {
        format!(" FOR UPDATE OF {of}")
    }
}

/// One payment of the company; `lock` holds its row until the transaction ends.
pub async fn get(tx: &mut Tx, company_id: i64, id: i64, lock: bool) -> anyhow::Result<Option<Payment>> {
    let lock = if lock { lock_clause(tx, "p") } else { String::new() };
    let mut sql = Sql::new(SELECT);
    sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id).push(" AND p.id = ").bind(id).push(&lock);
    sql.fetch_optional(tx).await?.as_ref().map(from_row).transpose()
}

/// The payments of the company with these ids, in id order (absent ids are left out); `lock` as in
/// [`get`]. One query per `batch_rows(1)` ids.
pub async fn get_many(tx: &mut Tx, company_id: i64, ids: &[i64], lock: bool) -> anyhow::Result<Vec<Payment>> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let lock = if lock { lock_clause(tx, "p") } else { String::new() };
    let mut out = Vec::with_capacity(sorted.len());
    for chunk in sorted.chunks(batch_rows(1)) {
        let mut sql = Sql::new(SELECT);
        sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id).push(" AND p.id IN ");
        sql.bind_tuple(chunk.iter().map(|id| crate::Value::Int(*id))).push(" ORDER BY p.id").push(&lock);
        for r in sql.fetch_all(tx).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}

/// The payments of the company with these numbers (absent numbers are left out), in number order.
/// One query per `batch_rows(1)` numbers.
pub async fn by_numbers(tx: &mut Tx, company_id: i64, numbers: &[String]) -> anyhow::Result<Vec<Payment>> {
    let mut out = Vec::with_capacity(numbers.len());
    for chunk in numbers.chunks(batch_rows(1)) {
        let mut sql = Sql::new(SELECT);
        sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id).push(" AND p.number IN ");
        sql.bind_tuple(chunk.iter().map(|n| crate::Value::from(n.as_str())));
        for r in sql.fetch_all(tx).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}

pub async fn by_number(tx: &mut Tx, company_id: i64, number: &str) -> anyhow::Result<Option<Payment>> {
    let mut sql = Sql::new(SELECT);
    sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id).push(" AND p.number = ").bind(number);
    sql.fetch_optional(tx).await?.as_ref().map(from_row).transpose()
}

/// Which payments a list shows.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    pub customer_id: Option<i64>,
    /// `active` or `cancelled`.
    pub status: Option<String>,
    /// Only those with something unallocated ("to allocate"), or only fully allocated ones.
    pub unallocated: Option<bool>,
    /// Advances (SPEC §4.4): active, an order reference, something unallocated.
    pub advances: bool,
    /// "To deposit" (SPEC §4.5): active, a method that needs depositing, in no deposit yet, with a
    /// deposit date on or before `to_deposit_as_of` (or any date when it is `None`).
    pub to_deposit: bool,
    pub to_deposit_as_of: Option<Date>,
    pub deposit_id: Option<i64>,
    pub date_from: Option<Date>,
    pub date_to: Option<Date>,
    pub method: Option<String>,
    pub number: Option<String>,
}

pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &PaymentFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Payment>, i64)> {
    let filter = where_clause(company_id, f);
    let select = format!("{SELECT}{FROM}");
    let count = "SELECT COUNT(*) AS n FROM payments p";
    let (rows, total) =
        crate::sql::page(tx, count, &select, &filter, " ORDER BY p.date DESC, p.id DESC", limit, offset).await?;
    Ok((rows.iter().map(from_row).collect::<anyhow::Result<_>>()?, total))
}

/// One page of the payments `f` selects, newest first, without counting them (a list that grows
/// with the years, as the fully allocated payments): `limit + 1` rows are read to tell whether more
/// follow. Reads `payments_date` in order.
pub async fn list_page(
    tx: &mut Tx,
    company_id: i64,
    f: &PaymentFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Payment>, bool)> {
    let mut sql = Sql::new(&format!("{SELECT}{FROM}"));
    sql.append(&where_clause(company_id, f));
    sql.push(" ORDER BY p.date DESC, p.id DESC LIMIT ").bind(limit + 1).push(" OFFSET ").bind(offset);
    let mut rows = sql.fetch_all(tx).await?.iter().map(from_row).collect::<anyhow::Result<Vec<_>>>()?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((rows, more))
}

/// The `WHERE` clause of the payments `f` selects (over `payments p`), shared by [`list`] and the
/// list's totals (`list_totals::payments`).
pub(crate) fn where_clause(company_id: i64, f: &PaymentFilter) -> Sql {
    let mut filter = Sql::new(" WHERE p.company_id = ");
    filter.bind(company_id);
    if let Some(v) = f.customer_id {
        filter.push(" AND p.customer_id = ").bind(v);
    }
    if let Some(v) = &f.status {
        filter.push(" AND p.status = ").bind(v.as_str());
    }
    match f.unallocated {
        Some(true) => {
            filter.push(" AND p.amount_open > 0 AND p.status = 'active'");
        }
        Some(false) => {
            filter.push(" AND p.amount_open = 0");
        }
        None => {}
    }
    if f.advances {
        filter.push(" AND p.status = 'active' AND p.order_ref <> '' AND p.amount_open > 0");
    }
    if f.to_deposit {
        // The conditions of `payments_to_deposit` (migration 0029), word for word, so that SQLite
        // reads that index; the methods are an uncorrelated list, read once.
        filter.push(" AND p.status = 'active' AND p.deposit_id IS NULL AND p.method IN ");
        filter.append(&deposit_methods(company_id));
        if let Some(d) = f.to_deposit_as_of {
            filter.push(" AND COALESCE(p.deposit_date, p.date) <= ").bind(d.to_string());
        }
    }
    if let Some(v) = f.deposit_id {
        filter.push(" AND p.deposit_id = ").bind(v);
    }
    if let Some(v) = f.date_from {
        filter.push(" AND p.date >= ").bind(v.to_string());
    }
    if let Some(v) = f.date_to {
        filter.push(" AND p.date <= ").bind(v.to_string());
    }
    if let Some(v) = &f.method {
        filter.push(" AND p.method = ").bind(v.as_str());
    }
    if let Some(v) = &f.number {
        filter.push(" AND p.number = ").bind(v.as_str());
    }
    filter
}

/// Active payments of the customer with this amount and piece number dated within `days` of `date`:
/// the likely duplicates of a payment about to be recorded.
pub async fn likely_duplicates(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    amount: Money,
    piece_number: &str,
    date: Date,
    days: i64,
) -> anyhow::Result<Vec<Payment>> {
    let mut sql = Sql::new(SELECT);
    sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id);
    sql.push(" AND p.customer_id = ").bind(customer_id);
    sql.push(" AND p.piece_number = ").bind(piece_number);
    sql.push(" AND p.currency = ").bind(amount.currency().code());
    sql.push(" AND p.amount = ").bind(amount.minor());
    sql.push(" AND p.status = 'active' AND p.date >= ").bind(date.add_days(-days).to_string());
    sql.push(" AND p.date <= ").bind(date.add_days(days).to_string());
    sql.push(" ORDER BY p.date, p.id");
    sql.fetch_all(tx).await?.iter().map(from_row).collect()
}

/// Marks an unallocated payment cancelled. Returns false when it was not active and fully unallocated.
pub async fn cancel(tx: &mut Tx, company_id: i64, id: i64, reason: &str) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE payments SET status = 'cancelled', cancel_reason = ")
        .bind(reason)
        .push(", cancelled_at = ")
        .bind(tx.at()?)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .push(" AND status = 'active' AND amount_open = amount AND deposit_id IS NULL")
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Moves an active, wholly unallocated payment to another customer. Returns false when it was not
/// active or not wholly unallocated (nothing changed).
pub async fn set_customer(tx: &mut Tx, company_id: i64, id: i64, customer_id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE payments SET customer_id = ")
        .bind(customer_id)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .push(" AND status = 'active' AND amount_open = amount")
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Books the move of a payment's receivable from one customer to another (SPEC §4.9): the old
/// customer's receivable debited, the new one's credited, for the payment's amount, in the
/// miscellaneous journal. Booked under the payment (`source` `payment`), as entry `P{id}-C{n}`, so
/// that cancelling the payment later reverses what it left on the new customer.
pub async fn book_customer_change(
    tx: &mut Tx,
    company_id: i64,
    codes: &crate::settings::AccountCodes,
    id: i64,
    from_customer: i64,
    to_customer: i64,
    date: Date,
) -> anyhow::Result<()> {
    let n = crate::journal::count_lines(tx, company_id, "payment", id).await?;
    let now = tx.at()?;
    let mut sql = Sql::new(
        "INSERT INTO journal_lines (company_id, entry, journal, date, source, source_id, piece_ref, label, \
         account, customer_id, currency, debit, credit, created_at) ",
    );
    for (customer, debit) in [(from_customer, true), (to_customer, false)] {
        if !debit {
            sql.push(" UNION ALL ");
        }
        sql.push("SELECT p.company_id, ").bind(format!("P{id}-C{n}")).push(", ");
        sql.bind(crate::settings::journals::MISC).push(", ").bind(date.to_string());
        sql.push(", 'payment', p.id, p.number, 'Changement de client ' || p.number, ");
        sql.bind(codes.code("receivable")).push(", ").bind(customer).push(", p.currency, ");
        sql.push(if debit { "p.amount, 0, " } else { "0, p.amount, " }).bind(now.as_str());
        sql.push(" FROM payments p WHERE p.company_id = ").bind(company_id).push(" AND p.id = ").bind(id);
    }
    let written = sql.execute(tx).await?;
    anyhow::ensure!(written == 2, "payment {id}: {written} journal lines written for the change of customer");
    Ok(())
}

/// Active payments with an order reference and something unallocated, for the given references.
pub async fn advances_for_orders(tx: &mut Tx, company_id: i64, order_refs: &[String]) -> anyhow::Result<Vec<Payment>> {
    let mut out = Vec::new();
    for chunk in order_refs.chunks(batch_rows(1)) {
        let mut sql = Sql::new(SELECT);
        sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id);
        sql.push(" AND p.status = 'active' AND p.amount_open > 0 AND p.order_ref IN ");
        sql.bind_tuple(chunk.iter().map(|r| r.as_str().into()));
        sql.push(" ORDER BY p.date, p.id");
        for r in sql.fetch_all(tx).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}

/// Whether a method exists for the company, and whether it needs depositing.
pub async fn method_needs_deposit(tx: &mut Tx, company_id: i64, code: &str) -> anyhow::Result<Option<bool>> {
    let r = Sql::new("SELECT needs_deposit FROM payment_methods WHERE company_id = ")
        .bind(company_id)
        .push(" AND code = ")
        .bind(code)
        .push(" AND active = 1")
        .fetch_optional(tx)
        .await?;
    r.as_ref().map(|r| row::flag(r, "needs_deposit")).transpose()
}

/// The company's methods that need depositing, as an uncorrelated subquery (`(SELECT code …)`).
fn deposit_methods(company_id: i64) -> Sql {
    let mut sql = Sql::new("(SELECT m.code FROM payment_methods m WHERE m.company_id = ");
    sql.bind(company_id).push(" AND m.needs_deposit = 1)");
    sql
}

/// Active cheque-like payments (a method that needs depositing) in no deposit, dated on or before
/// `until`, in date order: `(id, date, amount in minor units)`.
pub async fn cheques_to_deposit(
    tx: &mut Tx,
    company_id: i64,
    currency: creance_core::Currency,
    until: Date,
) -> anyhow::Result<Vec<(i64, Date, i64)>> {
    let rows = Sql::new("SELECT p.id, p.date, p.amount FROM payments p WHERE p.company_id = ")
        .bind(company_id)
        .push(" AND p.status = 'active' AND p.deposit_id IS NULL AND p.currency = ")
        .bind(currency.code())
        .push(" AND COALESCE(p.deposit_date, p.date) <= ")
        .bind(until.to_string())
        .push(" AND p.method IN ")
        .append(&deposit_methods(company_id))
        .push(" ORDER BY p.date, p.id")
        .fetch_all(tx)
        .await?;
    rows.iter().map(|r| Ok((row::int(r, "id")?, row::date(r, "date")?, row::int(r, "amount")?))).collect()
}

/// The active payments of a customer with something unallocated, in id order, at most `max` of them
/// (the caller asks one more than its maximum to know the list was cut); `lock` holds their rows
/// until the transaction ends (PostgreSQL `FOR UPDATE`). One query, whatever the number of payments.
pub async fn unallocated_of_customer(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    max: i64,
    lock: bool,
) -> anyhow::Result<Vec<Payment>> {
    let lock = if lock { lock_clause(tx, "p") } else { String::new() };
    let mut sql = Sql::new(SELECT);
    sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id);
    sql.push(" AND p.customer_id = ").bind(customer_id);
    sql.push(" AND p.status = 'active' AND p.amount_open > 0 ORDER BY p.id LIMIT ").bind(max);
    sql.push(&lock);
    sql.fetch_all(tx).await?.iter().map(from_row).collect()
}

/// A payment with whether its method needs depositing (false for a method that is unknown or no
/// longer active), as a deposit checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentForDeposit {
    pub payment: Payment,
    pub needs_deposit: bool,
}

/// The payments of `ids` that exist in the company (in id order), each with whether its method
/// needs depositing; `lock` holds their rows until the transaction ends. One query per
/// [`batch_rows`] ids, driven from the list of ids.
pub async fn for_deposit(
    tx: &mut Tx,
    company_id: i64,
    ids: &[i64],
    lock: bool,
) -> anyhow::Result<Vec<PaymentForDeposit>> {
    let lock = if lock { lock_clause(tx, "p") } else { String::new() };
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(SELECT);
        sql.push(
            ", CAST(COALESCE((SELECT MAX(m.needs_deposit) FROM payment_methods m WHERE m.company_id = p.company_id \
             AND m.code = p.method AND m.active = 1), 0) AS BIGINT) AS needs_deposit",
        );
        sql.push(FROM).push(" WHERE p.company_id = ").bind(company_id);
        sql.push(" AND p.id IN ").bind_tuple(chunk.iter().map(|id| crate::Value::Int(*id)));
        sql.push(" ORDER BY p.id").push(&lock);
        for r in sql.fetch_all(tx).await? {
            out.push(PaymentForDeposit { payment: from_row(&r)?, needs_deposit: row::flag(&r, "needs_deposit")? });
        }
    }
    Ok(out)
}
