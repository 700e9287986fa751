//! Rebill charges (SPEC §4.8): what the billing system puts on a contract's next invoice, one per
//! re-bill action — positive to bill, negative to deduct — with the items its action closed. Pending
//! until the billing system acknowledges it with its invoice number (final), or cancelled when its
//! action is undone first.

use creance_core::small_balances::ChargeStatus;
use creance_core::{Currency, Money};

use crate::row;
use crate::small_balances::{links_of, Link};
use crate::{Sql, Tx};

#[derive(Debug, Clone)]
pub struct NewCharge<'a> {
    pub action_id: i64,
    pub contract_id: i64,
    pub customer_id: i64,
    /// Signed: negative is a deduction.
    pub amount: Money,
    pub text: &'a str,
}

pub async fn insert(tx: &mut Tx, company_id: i64, c: &NewCharge<'_>) -> anyhow::Result<i64> {
    let r = Sql::new(
        "INSERT INTO rebill_charges (company_id, action_id, contract_id, customer_id, currency, amount, text, status, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        c.action_id.into(),
        c.contract_id.into(),
        c.customer_id.into(),
        c.amount.currency().code().into(),
        c.amount.minor().into(),
        c.text.into(),
        ChargeStatus::Pending.code().into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&r, "id")
}

/// A charge as the billing system reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub id: i64,
    pub action_id: i64,
    pub contract_id: i64,
    pub contract_number: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub amount: Money,
    pub text: String,
    pub status: ChargeStatus,
    pub invoice_number: String,
    pub acknowledged_at: Option<String>,
    pub created_at: String,
    /// The items its action closed.
    pub items: Vec<Link>,
}

const SELECT: &str = "SELECT r.id, r.action_id, r.contract_id, k.number AS contract_number, r.customer_id, \
     c.number AS customer_number, r.currency, r.amount, r.text, r.status, r.invoice_number, r.acknowledged_at, \
     r.created_at FROM rebill_charges r JOIN contracts k ON k.id = r.contract_id JOIN customers c ON c.id = r.customer_id";

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Charge> {
    let currency: Currency = row::currency(r, "currency")?;
    let status = row::text(r, "status")?;
    Ok(Charge {
        id: row::int(r, "id")?,
        action_id: row::int(r, "action_id")?,
        contract_id: row::int(r, "contract_id")?,
        contract_number: row::text(r, "contract_number")?,
        customer_id: row::int(r, "customer_id")?,
        customer_number: row::text(r, "customer_number")?,
        amount: row::money(r, "amount", currency)?,
        text: row::text(r, "text")?,
        status: ChargeStatus::parse(&status).ok_or_else(|| anyhow::anyhow!("rebill_charges.status {status:?}"))?,
        invoice_number: row::text(r, "invoice_number")?,
        acknowledged_at: row::opt_text(r, "acknowledged_at")?,
        created_at: row::text(r, "created_at")?,
        items: Vec::new(),
    })
}

async fn complete(tx: &mut Tx, company_id: i64, charges: &mut [Charge]) -> anyhow::Result<()> {
    let ids: Vec<i64> = charges.iter().map(|c| c.action_id).collect();
    let mut links = links_of(tx, company_id, &ids).await?;
    for c in charges {
        c.items = links.remove(&c.action_id).unwrap_or_default();
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ChargeFilter {
    pub status: Option<ChargeStatus>,
    pub contract_id: Option<i64>,
    pub customer_id: Option<i64>,
}

/// A page of charges in id order (the order the billing system takes them), with their items.
pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &ChargeFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Charge>, i64)> {
    let mut filter = Sql::new(" WHERE r.company_id = ");
    filter.bind(company_id);
    if let Some(s) = f.status {
        filter.push(" AND r.status = ").bind(s.code());
    }
    if let Some(v) = f.contract_id {
        filter.push(" AND r.contract_id = ").bind(v);
    }
    if let Some(v) = f.customer_id {
        filter.push(" AND r.customer_id = ").bind(v);
    }
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM rebill_charges r",
        SELECT,
        &filter,
        " ORDER BY r.id",
        limit,
        offset,
    )
    .await?;
    let mut charges: Vec<Charge> = rows.iter().map(from_row).collect::<anyhow::Result<_>>()?;
    complete(tx, company_id, &mut charges).await?;
    Ok((charges, total))
}

/// One charge (locked on PostgreSQL when `lock`), by its id or its action's.
pub async fn get(tx: &mut Tx, company_id: i64, id: i64, lock: bool) -> anyhow::Result<Option<Charge>> {
    get_by(tx, company_id, "r.id", id, lock).await
}

pub async fn of_action(tx: &mut Tx, company_id: i64, action_id: i64, lock: bool) -> anyhow::Result<Option<Charge>> {
    get_by(tx, company_id, "r.action_id", action_id, lock).await
}

/// The charges of `action_ids` (at most one each), by action id: one query per chunk of ids, for a
/// list of actions.
pub async fn of_actions(
    tx: &mut Tx,
    company_id: i64,
    action_ids: &[i64],
) -> anyhow::Result<std::collections::HashMap<i64, Charge>> {
    let mut charges = Vec::new();
    for chunk in action_ids.chunks(crate::batch_rows(1)) {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE r.company_id = ").bind(company_id).push(" AND r.action_id IN ");
        sql.bind_tuple(chunk.iter().map(|i| crate::Value::Int(*i)));
        for r in sql.fetch_all(tx).await? {
            charges.push(from_row(&r)?);
        }
    }
    complete(tx, company_id, &mut charges).await?;
    Ok(charges.into_iter().map(|c| (c.action_id, c)).collect())
}

async fn get_by(tx: &mut Tx, company_id: i64, column: &str, id: i64, lock: bool) -> anyhow::Result<Option<Charge>> {
    let lock = if lock { crate::payments::lock_clause(tx, "r") } else { String::new() };
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE r.company_id = ").bind(company_id).push(&format!(" AND {column} = ")).bind(id).push(&lock);
    let Some(r) = sql.fetch_optional(tx).await? else { return Ok(None) };
    let mut c = [from_row(&r)?];
    complete(tx, company_id, &mut c).await?;
    let [c] = c;
    Ok(Some(c))
}

/// Pending → acknowledged with the billing system's invoice number; false when it was not pending.
pub async fn acknowledge(
    tx: &mut Tx,
    company_id: i64,
    id: i64,
    invoice_number: &str,
    by: &str,
) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE rebill_charges SET status = 'acknowledged', invoice_number = ")
        .bind(invoice_number)
        .push(", acknowledged_at = ")
        .bind(tx.at()?)
        .push(", acknowledged_by = ")
        .bind(by)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .push(" AND status = 'pending'")
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// Pending → cancelled (its action undone); false when it was not pending.
pub async fn cancel(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE rebill_charges SET status = 'cancelled' WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .push(" AND status = 'pending'")
        .execute(tx)
        .await?;
    Ok(n == 1)
}
