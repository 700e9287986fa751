//! Allocations (SPEC §3, §4.1): a credit (payment or credit note) paying an installment for an amount.
//! Append-only: unallocating inserts a reversal row naming the allocation it cancels; an allocation is
//! active while no reversal names it. The open amounts of both sides are adjusted in the same
//! transaction by [`adjust_installments`] and [`adjust_payments`]; the CHECK constraints on
//! `amount_open` are the last guard against over-allocation.

use anyhow::Context;
use creance_core::allocation::OpenDebit;
use creance_core::{Currency, Date, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

/// The credit side of an allocation, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditId {
    Payment(i64),
    /// A credit note's installment.
    CreditNote(i64),
}

/// An allocation to write, by ids.
#[derive(Debug, Clone, Copy)]
pub struct AllocationRow {
    pub credit: CreditId,
    pub installment_id: i64,
    pub amount: Money,
    pub date: Date,
}

fn credit_values(c: CreditId) -> (Value, Value) {
    match c {
        CreditId::Payment(id) => (Value::Int(id), Value::NullInt),
        CreditId::CreditNote(id) => (Value::NullInt, Value::Int(id)),
    }
}

/// The payment and credit-note installment ids of a credit (one of them NULL).
fn credit_ids(c: CreditId) -> (Option<i64>, Option<i64>) {
    match c {
        CreditId::Payment(id) => (Some(id), None),
        CreditId::CreditNote(id) => (None, Some(id)),
    }
}

/// Inserts allocations by ids; returns their ids when `returning` (small sets), else nothing. The ids
/// come back in no promised order: callers use them as a set.
pub async fn insert(tx: &mut Tx, company_id: i64, rows: &[AllocationRow], returning: bool) -> anyhow::Result<Vec<i64>> {
    Ok(insert_in(tx, company_id, rows, returning).await?.into_iter().map(|(id, _)| id).collect())
}

/// Inserts allocations as [`insert`] and returns `(allocation id, installment id)` pairs, in no
/// promised order.
pub async fn insert_returning(tx: &mut Tx, company_id: i64, rows: &[AllocationRow]) -> anyhow::Result<Vec<(i64, i64)>> {
    insert_in(tx, company_id, rows, true).await
}

async fn insert_in(
    tx: &mut Tx,
    company_id: i64,
    rows: &[AllocationRow],
    returning: bool,
) -> anyhow::Result<Vec<(i64, i64)>> {
    let now = tx.at()?;
    let mut ids = Vec::new();
    // What every row of a statement shares (company, currency, date, creation time) is bound once;
    // each row binds its credit, installment and amount.
    let mut groups: Vec<((&'static str, Date), Vec<&AllocationRow>)> = Vec::new();
    for r in rows {
        let key = (r.amount.currency().code(), r.date);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    for ((currency, date), group) in groups {
        for chunk in group.chunks(crate::sql::LITERAL_BATCH_ROWS) {
            // The value date is the credit's own date (SPEC §4.2), read here so that no caller can
            // give another: the payment's date, or the credit note's document date.
            let mut sql = Sql::new(
                "INSERT INTO allocations (company_id, payment_id, credit_installment_id, installment_id, currency, amount, date, value_date, created_at) \
                 SELECT ",
            );
            sql.bind(company_id).push(", CAST(v.column1 AS BIGINT), CAST(v.column2 AS BIGINT), v.column3, ");
            sql.bind(currency).push(", v.column4, ").bind(date.to_string());
            sql.push(
                ", COALESCE((SELECT p.date FROM payments p WHERE p.id = CAST(v.column1 AS BIGINT)), \
                      (SELECT d.date FROM installments ci JOIN documents d ON d.id = ci.document_id \
                      WHERE ci.id = CAST(v.column2 AS BIGINT))), ",
            );
            sql.bind(now.as_str());
            sql.push(" FROM (VALUES ");
            let values: Vec<[Option<i64>; 4]> = chunk
                .iter()
                .map(|a| {
                    let (p, c) = credit_ids(a.credit);
                    [p, c, Some(a.installment_id), Some(a.amount.minor())]
                })
                .collect();
            sql.int_values(&values);
            sql.push(") AS v");
            let context = || format!("company {company_id}: writing {} allocation(s)", chunk.len());
            if returning {
                sql.push(" RETURNING id, installment_id");
                for r in sql.fetch_all(tx).await.with_context(context)? {
                    ids.push((row::int(&r, "id")?, row::int(&r, "installment_id")?));
                }
            } else {
                sql.execute(tx).await.with_context(context)?;
            }
        }
    }
    Ok(ids)
}

/// An allocation as shown with its payment, credit note or installment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub id: i64,
    pub payment_id: Option<i64>,
    pub payment_number: Option<String>,
    /// The credit note's installment, when the credit is a credit note.
    pub credit_installment_id: Option<i64>,
    pub credit_document_number: Option<String>,
    pub installment_id: i64,
    pub document_id: i64,
    pub document_number: String,
    /// The customer of the installment paid.
    pub customer_id: i64,
    pub amount: Money,
    /// The day it was allocated (or unallocated).
    pub date: Date,
    /// The day its money counts from (SPEC §4.2): the payment's date or the credit note's date; a
    /// reversal has the value date of the allocation it reverses. Interest and as-of views use it.
    pub value_date: Date,
    /// Set on a reversal row: the allocation it cancels.
    pub reverses_id: Option<i64>,
    /// The reversal row that cancelled this allocation, if any.
    pub reversed_by: Option<i64>,
}

impl Allocation {
    pub fn is_active(&self) -> bool {
        self.reverses_id.is_none() && self.reversed_by.is_none()
    }
}

const SELECT: &str = "SELECT a.id, a.payment_id, p.number AS payment_number, a.credit_installment_id, \
     cd.number AS credit_document_number, a.installment_id, t.document_id, d.number AS document_number, \
     t.customer_id, a.currency, a.amount, a.date, a.value_date, a.reverses_id, r.id AS reversed_by \
     FROM allocations a JOIN installments t ON t.id = a.installment_id JOIN documents d ON d.id = t.document_id \
     LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
     LEFT JOIN documents cd ON cd.id = ci.document_id LEFT JOIN allocations r ON r.reverses_id = a.id";

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Allocation> {
    let currency = row::currency(r, "currency")?;
    Ok(Allocation {
        id: row::int(r, "id")?,
        payment_id: row::opt_int(r, "payment_id")?,
        payment_number: row::opt_text(r, "payment_number")?,
        credit_installment_id: row::opt_int(r, "credit_installment_id")?,
        credit_document_number: row::opt_text(r, "credit_document_number")?,
        installment_id: row::int(r, "installment_id")?,
        document_id: row::int(r, "document_id")?,
        document_number: row::text(r, "document_number")?,
        customer_id: row::int(r, "customer_id")?,
        amount: row::money(r, "amount", currency)?,
        date: row::date(r, "date")?,
        value_date: row::date(r, "value_date")?,
        reverses_id: row::opt_int(r, "reverses_id")?,
        reversed_by: row::opt_int(r, "reversed_by")?,
    })
}

/// Which allocations to list.
#[derive(Debug, Clone, Copy)]
pub enum Of {
    Payment(i64),
    /// Allocations to or from an installment (a credit note's installment is a credit).
    Installment(i64),
    Document(i64),
}

pub async fn list(tx: &mut Tx, company_id: i64, of: Of) -> anyhow::Result<Vec<Allocation>> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE a.company_id = ").bind(company_id);
    match of {
        Of::Payment(id) => sql.push(" AND a.payment_id = ").bind(id),
        Of::Installment(id) => {
            sql.push(" AND (a.installment_id = ").bind(id).push(" OR a.credit_installment_id = ").bind(id).push(")")
        }
        Of::Document(id) => sql
            .push(" AND (t.document_id = ")
            .bind(id)
            .push(" OR a.credit_installment_id IN (SELECT x.id FROM installments x WHERE x.document_id = ")
            .bind(id)
            .push("))"),
    };
    sql.push(" ORDER BY a.id");
    sql.fetch_all(tx).await?.iter().map(from_row).collect()
}

pub async fn get(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<Allocation>> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE a.company_id = ").bind(company_id).push(" AND a.id = ").bind(id);
    sql.fetch_optional(tx).await?.as_ref().map(from_row).transpose()
}

/// Appends the reversal of an active allocation, dated `date` with the value date of the allocation it
/// reverses; returns the reversal's id. The unique index on `reverses_id` makes a second reversal of
/// the same allocation fail.
pub async fn reverse(tx: &mut Tx, company_id: i64, a: &Allocation, date: Date) -> anyhow::Result<i64> {
    let (p, c) = match (a.payment_id, a.credit_installment_id) {
        (Some(p), _) => credit_values(CreditId::Payment(p)),
        (None, Some(c)) => credit_values(CreditId::CreditNote(c)),
        (None, None) => anyhow::bail!("company {company_id}: allocation {} has no credit", a.id),
    };
    let r = Sql::new(
        "INSERT INTO allocations (company_id, payment_id, credit_installment_id, installment_id, currency, amount, date, value_date, reverses_id, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        p,
        c,
        a.installment_id.into(),
        a.amount.currency().code().into(),
        a.amount.minor().into(),
        date.to_string().into(),
        a.value_date.to_string().into(),
        a.id.into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&r, "id")
}

/// Adds `delta` (minor units, negative to allocate) to the open amount of each table row by id, in
/// one statement per chunk. `table` is `installments`, `payments` or `refunds`.
async fn adjust(tx: &mut Tx, table: &str, company_id: i64, deltas: &[(i64, i64)]) -> anyhow::Result<()> {
    for chunk in deltas.chunks(crate::sql::LITERAL_BATCH_ROWS) {
        let mut sql =
            Sql::new(&format!("UPDATE {table} SET amount_open = {table}.amount_open + v.column2 FROM (VALUES "));
        let rows: Vec<[Option<i64>; 2]> = chunk.iter().map(|(id, delta)| [Some(*id), Some(*delta)]).collect();
        sql.int_values(&rows);
        sql.push(&format!(") AS v WHERE {table}.id = v.column1 AND {table}.company_id = ")).bind(company_id);
        let n = sql.execute(tx).await.with_context(|| {
            format!("company {company_id}: adjusting the open amounts of {} {table} rows", chunk.len())
        })?;
        anyhow::ensure!(
            n == chunk.len() as u64,
            "company {company_id}: {n} of {} {table} rows found to adjust (ids {:?}…)",
            chunk.len(),
            chunk.iter().take(5).map(|(id, _)| *id).collect::<Vec<_>>()
        );
    }
    Ok(())
}

/// A row the batch allocation read without locking it, and what it changes: `delta` is added to its
/// open amount only if the row still holds what was read (`seen_open`, and for a payment its customer
/// and `active`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenChange {
    pub id: i64,
    pub delta: i64,
    pub seen_open: i64,
    /// The payment's customer as read (ignored for an installment, whose customer never changes).
    pub seen_customer: i64,
}

/// Applies `changes` to `installments` or `payments` in one statement per chunk, each row only if it
/// is as it was read; if any row was changed meanwhile by another transaction (allocated, cancelled,
/// given another customer, replaced), nothing is applied and the error is a lost race
/// ([`crate::error::RowsChanged`]): the caller rolls back and plans again. On PostgreSQL (read
/// committed) the `UPDATE` re-reads a row another transaction has just committed, and locks every row
/// it changes until the end of the transaction: that is what makes reading without `FOR UPDATE` safe.
pub async fn adjust_if_unchanged(
    tx: &mut Tx,
    table: SeenTable,
    company_id: i64,
    changes: &[SeenChange],
) -> anyhow::Result<()> {
    let name = table.name();
    for chunk in changes.chunks(crate::sql::LITERAL_BATCH_ROWS) {
        let mut sql =
            Sql::new(&format!("UPDATE {name} SET amount_open = {name}.amount_open + v.column2 FROM (VALUES "));
        let rows: Vec<[Option<i64>; 4]> =
            chunk.iter().map(|c| [Some(c.id), Some(c.delta), Some(c.seen_open), Some(c.seen_customer)]).collect();
        sql.int_values(&rows);
        sql.push(&format!(
            ") AS v WHERE {name}.id = v.column1 AND {name}.amount_open = v.column3 AND {name}.company_id = "
        ))
        .bind(company_id);
        if table == SeenTable::Payments {
            sql.push(" AND payments.customer_id = v.column4 AND payments.status = 'active'");
        }
        let n = sql.execute(tx).await.with_context(|| {
            format!("company {company_id}: adjusting the open amounts of {} {name} rows", chunk.len())
        })?;
        if n != chunk.len() as u64 {
            return Err(crate::error::RowsChanged { table: name, expected: chunk.len() as u64, found: n }.into());
        }
    }
    Ok(())
}

/// The tables [`adjust_if_unchanged`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeenTable {
    Installments,
    Payments,
}

impl SeenTable {
    fn name(self) -> &'static str {
        match self {
            SeenTable::Installments => "installments",
            SeenTable::Payments => "payments",
        }
    }
}

pub async fn adjust_installments(tx: &mut Tx, company_id: i64, deltas: &[(i64, i64)]) -> anyhow::Result<()> {
    adjust(tx, "installments", company_id, deltas).await
}

pub async fn adjust_payments(tx: &mut Tx, company_id: i64, deltas: &[(i64, i64)]) -> anyhow::Result<()> {
    adjust(tx, "payments", company_id, deltas).await
}

pub async fn adjust_refunds(tx: &mut Tx, company_id: i64, deltas: &[(i64, i64)]) -> anyhow::Result<()> {
    adjust(tx, "refunds", company_id, deltas).await
}

/// An installment as the allocation rules see it, read (and on PostgreSQL locked) before allocating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallmentState {
    pub id: i64,
    pub document_id: i64,
    pub document_number: String,
    pub customer_id: i64,
    /// The customer's payer, or the customer itself.
    pub payer_id: i64,
    /// 1 for a debit, −1 for a credit note's credit.
    pub side: i64,
    pub due_date: Date,
    pub currency: Currency,
    pub amount_open: i64,
}

impl InstallmentState {
    pub fn open_debit(&self) -> OpenDebit {
        OpenDebit {
            installment_id: self.id,
            customer_id: self.customer_id,
            document_number: self.document_number.clone(),
            due_date: self.due_date,
            amount_open: Money::new(self.amount_open, self.currency),
        }
    }
}

const STATE_SELECT: &str = "SELECT i.id, i.document_id, d.number AS document_number, i.customer_id, \
     COALESCE(c.payer_id, c.id) AS payer_id, i.side, i.due_date, i.currency, i.amount_open \
     FROM installments i JOIN documents d ON d.id = i.document_id JOIN customers c ON c.id = i.customer_id";

fn state_from_row(r: &crate::AnyRow) -> anyhow::Result<InstallmentState> {
    Ok(InstallmentState {
        id: row::int(r, "id")?,
        document_id: row::int(r, "document_id")?,
        document_number: row::text(r, "document_number")?,
        customer_id: row::int(r, "customer_id")?,
        payer_id: row::int(r, "payer_id")?,
        side: row::int(r, "side")?,
        due_date: row::date(r, "due_date")?,
        currency: row::currency(r, "currency")?,
        amount_open: row::int(r, "amount_open")?,
    })
}

/// Reads installments by id, in id order, locking them on PostgreSQL (a fixed order: two
/// transactions locking overlapping sets cannot deadlock on them).
pub async fn lock_installments(tx: &mut Tx, company_id: i64, ids: &[i64]) -> anyhow::Result<Vec<InstallmentState>> {
    read_installments(tx, company_id, ids, true).await
}

/// The installments `ids` among `read`, states this same write transaction has just read without a
/// lock (a proposal's open debits), in id order, as [`lock_installments`] would give them. On SQLite
/// they are taken as read: `BEGIN IMMEDIATE` has held the only write lock since the transaction
/// began, so nothing can have changed them, and reading them again would cost a round trip to the
/// connection's thread in the writers' critical section. On PostgreSQL they are read again and
/// locked.
pub async fn lock_read_installments(
    tx: &mut Tx,
    company_id: i64,
    ids: &[i64],
    read: Vec<InstallmentState>,
) -> anyhow::Result<Vec<InstallmentState>> {
    if (**tx).backend_name() != "SQLite" {
        return lock_installments(tx, company_id, ids).await;
    }
    let mut wanted = ids.to_vec();
    wanted.sort_unstable();
    let mut out: Vec<InstallmentState> = read.into_iter().filter(|s| wanted.binary_search(&s.id).is_ok()).collect();
    out.sort_unstable_by_key(|s| s.id);
    out.dedup_by_key(|s| s.id);
    Ok(out)
}

/// Reads installments by id, in id order; `lock` as [`lock_installments`].
pub async fn read_installments(
    tx: &mut Tx,
    company_id: i64,
    ids: &[i64],
    lock: bool,
) -> anyhow::Result<Vec<InstallmentState>> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let lock = if lock { crate::payments::lock_clause(tx, "i") } else { String::new() };
    let mut out = Vec::with_capacity(sorted.len());
    for chunk in sorted.chunks(batch_rows(1)) {
        let mut sql = Sql::new(STATE_SELECT);
        sql.push(" WHERE i.company_id = ").bind(company_id).push(" AND i.id IN ");
        sql.bind_tuple(chunk.iter().map(|id| Value::Int(*id)));
        sql.push(" ORDER BY i.id").push(&lock);
        let rows = sql.fetch_all(tx).await.with_context(|| {
            format!("company {company_id}: reading installments {:?}…", chunk.iter().take(5).collect::<Vec<_>>())
        })?;
        for r in rows {
            out.push(state_from_row(&r)?);
        }
    }
    Ok(out)
}

/// A customer's credit notes with open credit, locked on PostgreSQL in id order.
pub async fn open_credit_notes(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
) -> anyhow::Result<Vec<InstallmentState>> {
    let lock = crate::payments::lock_clause(tx, "i");
    let mut sql = Sql::new(STATE_SELECT);
    sql.push(" WHERE i.company_id = ").bind(company_id).push(" AND i.customer_id = ").bind(customer_id);
    sql.push(" AND i.side = -1 AND i.amount_open > 0 ORDER BY i.id").push(&lock);
    sql.fetch_all(tx).await?.iter().map(state_from_row).collect()
}

/// The installments of these documents, in id order.
pub async fn of_documents(tx: &mut Tx, company_id: i64, document_ids: &[i64]) -> anyhow::Result<Vec<InstallmentState>> {
    let mut out = Vec::new();
    for chunk in document_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(STATE_SELECT);
        sql.push(" WHERE i.company_id = ").bind(company_id).push(" AND i.document_id IN ");
        sql.bind_tuple(chunk.iter().map(|id| Value::Int(*id)));
        sql.push(" ORDER BY i.id");
        for r in sql.fetch_all(tx).await? {
            out.push(state_from_row(&r)?);
        }
    }
    Ok(out)
}

/// The open debits a credit of `customer_id` may pay (SPEC §4.1): those of the customers whose payer
/// is that customer or that customer's own payer, in `currency`, oldest due first.
pub async fn open_debits_for(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    payer_id: i64,
    currency: Currency,
) -> anyhow::Result<Vec<InstallmentState>> {
    let mut sql = Sql::new(STATE_SELECT);
    sql.push(" WHERE i.company_id = ").bind(company_id);
    sql.push(" AND i.side = 1 AND i.amount_open > 0 AND i.currency = ").bind(currency.code());
    // Two index lookups (by id, by payer) rather than one OR that would scan every customer.
    sql.push(" AND i.customer_id IN (SELECT x.id FROM customers x WHERE x.company_id = ").bind(company_id);
    sql.push(" AND x.payer_id IS NULL AND x.id IN (").bind(customer_id).push(", ").bind(payer_id);
    sql.push(") UNION ALL SELECT y.id FROM customers y WHERE y.company_id = ").bind(company_id);
    sql.push(" AND y.payer_id IN (").bind(customer_id).push(", ").bind(payer_id).push("))");
    sql.push(" ORDER BY i.due_date, i.id");
    sql.fetch_all(tx).await?.iter().map(state_from_row).collect()
}

/// Every open installment of the company (or of the customers paid by one payer), both sides: the
/// input of the batch allocation. One query, no lock (see [`adjust_if_unchanged`]).
pub async fn open_installments(
    tx: &mut Tx,
    company_id: i64,
    payer_id: Option<i64>,
) -> anyhow::Result<Vec<InstallmentState>> {
    let mut filter = Sql::new(" WHERE i.company_id = ");
    filter.bind(company_id).push(" AND i.amount_open > 0");
    if let Some(p) = payer_id {
        filter.push(" AND COALESCE(c.payer_id, c.id) = ").bind(p);
    }
    let mut from = Sql::new(
        "FROM installments i JOIN documents d ON d.id = i.document_id JOIN customers c ON c.id = i.customer_id",
    );
    from.append(&filter);
    let fields = [
        "CAST(i.id AS TEXT)",
        "CAST(i.document_id AS TEXT)",
        "d.number",
        "CAST(i.customer_id AS TEXT)",
        "CAST(COALESCE(c.payer_id, c.id) AS TEXT)",
        "CAST(i.side AS TEXT)",
        "i.due_date",
        "i.currency",
        "CAST(i.amount_open AS TEXT)",
    ];
    let int = |s: &str| s.parse::<i64>().map_err(|e| anyhow::anyhow!("packed integer {s:?}: {e}"));
    let mut out = Vec::new();
    crate::sql::fetch_packed_each(tx, &fields, &from, "i.id", |v| {
        out.push(InstallmentState {
            id: int(v[0])?,
            document_id: int(v[1])?,
            document_number: v[2].to_string(),
            customer_id: int(v[3])?,
            payer_id: int(v[4])?,
            side: int(v[5])?,
            due_date: Date::parse(v[6]).map_err(|e| anyhow::anyhow!("packed date: {e}"))?,
            currency: Currency::parse(v[7]).map_err(|e| anyhow::anyhow!("packed currency: {e}"))?,
            amount_open: int(v[8])?,
        });
        Ok(())
    })
    .await?;
    Ok(out)
}

/// An unallocated payment as the batch allocation sees it.
#[derive(Debug, Clone)]
pub struct OpenPayment {
    pub id: i64,
    pub customer_id: i64,
    pub payer_id: i64,
    pub date: Date,
    pub amount_open: Money,
    /// Piece number and note, where an invoice number may be quoted.
    pub reference: String,
}

/// Active payments with something unallocated (of the customers paid by one payer). One query, no
/// lock (see [`adjust_if_unchanged`]).
pub async fn open_payments(tx: &mut Tx, company_id: i64, payer_id: Option<i64>) -> anyhow::Result<Vec<OpenPayment>> {
    let mut filter = Sql::new(" WHERE p.company_id = ");
    filter.bind(company_id).push(" AND p.amount_open > 0 AND p.status = 'active'");
    if let Some(p) = payer_id {
        filter.push(" AND COALESCE(c.payer_id, c.id) = ").bind(p);
    }
    let from = "FROM payments p JOIN customers c ON c.id = p.customer_id";
    let mut packed_from = Sql::new(from);
    packed_from.append(&filter);
    let fields = [
        "CAST(p.id AS TEXT)",
        "CAST(p.customer_id AS TEXT)",
        "CAST(COALESCE(c.payer_id, c.id) AS TEXT)",
        "p.date",
        "p.currency",
        "CAST(p.amount_open AS TEXT)",
        "p.piece_number || ' ' || p.note",
    ];
    let int = |s: &str| s.parse::<i64>().map_err(|e| anyhow::anyhow!("packed integer {s:?}: {e}"));
    let mut out = Vec::new();
    crate::sql::fetch_packed_each(tx, &fields, &packed_from, "p.id", |v| {
        let currency = Currency::parse(v[4]).map_err(|e| anyhow::anyhow!("packed currency: {e}"))?;
        out.push(OpenPayment {
            id: int(v[0])?,
            customer_id: int(v[1])?,
            payer_id: int(v[2])?,
            date: Date::parse(v[3]).map_err(|e| anyhow::anyhow!("packed date: {e}"))?,
            amount_open: Money::new(int(v[5])?, currency),
            reference: v[6].to_string(),
        });
        Ok(())
    })
    .await?;
    Ok(out)
}
