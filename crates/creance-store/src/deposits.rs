//! Bank deposits (SPEC §4.5): cheques handed to one bank account in one batch. A deposit is created as
//! a draft holding its payments and validated once; validation books the journal entry.

use creance_core::{Date, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
    pub id: i64,
    pub number: String,
    pub bank_account_id: i64,
    pub bank_name: String,
    pub bank_iban: String,
    pub date: Date,
    pub total: Money,
    pub payment_count: i64,
    /// `draft`, `validated` or `cancelled` (a draft given up: its payments wait to be deposited again;
    /// the number stays used, the series has no gap).
    pub status: creance_core::DepositStatus,
}

const SELECT: &str = "SELECT s.id, s.number, s.bank_account_id, b.name AS bank_name, b.iban AS bank_iban, s.date, \
     s.currency, s.total, s.payment_count, s.status FROM deposits s JOIN bank_accounts b ON b.id = s.bank_account_id";

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Deposit> {
    let currency = row::currency(r, "currency")?;
    Ok(Deposit {
        id: row::int(r, "id")?,
        number: row::text(r, "number")?,
        bank_account_id: row::int(r, "bank_account_id")?,
        bank_name: row::text(r, "bank_name")?,
        bank_iban: row::text(r, "bank_iban")?,
        date: row::date(r, "date")?,
        total: row::money(r, "total", currency)?,
        payment_count: row::int(r, "payment_count")?,
        status: crate::dunning::words::word(r, "deposits", "status", creance_core::DepositStatus::parse)?,
    })
}

/// Inserts a draft deposit and attaches the payments to it. The caller has checked the payments.
pub async fn insert(
    tx: &mut Tx,
    company_id: i64,
    number: &str,
    bank_account_id: i64,
    date: Date,
    total: Money,
    payment_ids: &[i64],
) -> anyhow::Result<i64> {
    let r = Sql::new(
        "INSERT INTO deposits (company_id, number, bank_account_id, date, currency, total, payment_count, status, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        number.into(),
        bank_account_id.into(),
        date.to_string().into(),
        total.currency().code().into(),
        total.minor().into(),
        (payment_ids.len() as i64).into(),
        "draft".into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    let id = row::int(&r, "id")?;
    // Driven from the list of ids (a join on VALUES), whatever statistics the planner has.
    for chunk in payment_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new("UPDATE payments SET deposit_id = ");
        sql.bind(id).push(" FROM (VALUES ");
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([Value::Int(*p)]);
        }
        sql.push(") AS v WHERE payments.id = v.column1 AND payments.company_id = ").bind(company_id);
        sql.push(" AND payments.deposit_id IS NULL");
        let n = sql.execute(tx).await?;
        anyhow::ensure!(n == chunk.len() as u64, "{n} of {} payments attached to the deposit", chunk.len());
    }
    Ok(id)
}

pub async fn get(tx: &mut Tx, company_id: i64, id: i64, lock: bool) -> anyhow::Result<Option<Deposit>> {
    let lock = if lock { crate::payments::lock_clause(tx, "s") } else { String::new() };
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE s.company_id = ").bind(company_id).push(" AND s.id = ").bind(id).push(&lock);
    sql.fetch_optional(tx).await?.as_ref().map(from_row).transpose()
}

pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Deposit>, i64)> {
    let filter = where_clause(company_id, status);
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM deposits s",
        SELECT,
        &filter,
        " ORDER BY s.date DESC, s.id DESC",
        limit,
        offset,
    )
    .await?;
    Ok((rows.iter().map(from_row).collect::<anyhow::Result<_>>()?, total))
}

/// The `WHERE` clause of the deposits with `status` (any when `None`), over `deposits s`; shared by
/// [`list`] and the list's totals (`list_totals::deposits`).
pub(crate) fn where_clause(company_id: i64, status: Option<&str>) -> Sql {
    let mut filter = Sql::new(" WHERE s.company_id = ");
    filter.bind(company_id);
    if let Some(s) = status {
        filter.push(" AND s.status = ").bind(s);
    }
    filter
}

/// Marks a draft deposit validated; false when it was not a draft.
pub async fn validate(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE deposits SET status = 'validated', validated_at = ")
        .bind(tx.at()?)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .push(" AND status = 'draft'")
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Cancels a draft deposit: its payments are released to be deposited again. False when it was not a
/// draft.
pub async fn cancel_draft(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE deposits SET status = 'cancelled' WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .push(" AND status = 'draft'")
        .execute(tx)
        .await?;
    if n != 1 {
        return Ok(false);
    }
    Sql::new("UPDATE payments SET deposit_id = NULL WHERE company_id = ")
        .bind(company_id)
        .push(" AND deposit_id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(true)
}
