//! SPEC §4.8: the extraction's groups one page at a time — the debits by customer, contract and
//! currency, the credits (credit notes' open credit and payments' remainders) by customer and
//! currency — and each side's count of groups and items and total per currency, in `GROUP BY`
//! aggregates over the same rows as [`super::small_debits`] and [`super::small_credits`], in the
//! same order, so that a screen reads its page's items only (100,000 customers: see
//! `docs/performance.md`).

use creance_core::{Currency, Money};

use super::{common_filter, Extract};
use crate::row;
use crate::{Sql, Tx};

/// One side of the extraction in one currency: its groups, its items and their open amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SideCount {
    pub currency: Currency,
    pub groups: i64,
    pub items: i64,
    pub open: Money,
}

/// The small debits as `SELECT i.customer_id, d.contract_id, i.currency, i.amount_open FROM … WHERE …`.
fn debits(company_id: i64, e: &Extract) -> Sql {
    let mut sql = Sql::new(
        "SELECT i.customer_id, d.contract_id, i.currency, i.amount_open FROM installments i \
         JOIN documents d ON d.id = i.document_id WHERE i.company_id = ",
    );
    sql.bind(company_id).push(" AND i.side = 1");
    common_filter(&mut sql, e, "i", "i.due_date");
    sql
}

/// The small credits (credit notes and payments) as `SELECT customer_id, currency, amount_open`.
fn credits(company_id: i64, e: &Extract) -> Sql {
    let mut sql = Sql::new(
        "SELECT i.customer_id, i.currency, i.amount_open FROM installments i \
         JOIN documents d ON d.id = i.document_id WHERE i.company_id = ",
    );
    sql.bind(company_id).push(" AND i.side = -1");
    common_filter(&mut sql, e, "i", "d.date");
    sql.push(" UNION ALL SELECT p.customer_id, p.currency, p.amount_open FROM payments p WHERE p.company_id = ");
    sql.bind(company_id).push(" AND p.status = 'active'");
    common_filter(&mut sql, e, "p", "p.date");
    sql
}

/// Per currency (code order): the groups of `grouped` (one row per group with `n` and `open`).
async fn counts(tx: &mut Tx, grouped: &Sql) -> anyhow::Result<Vec<SideCount>> {
    let mut sql = Sql::new(
        "SELECT x.currency, CAST(COUNT(*) AS BIGINT) AS groups_n, CAST(SUM(x.n) AS BIGINT) AS items_n, \
         CAST(SUM(x.open) AS BIGINT) AS open FROM (",
    );
    sql.append(grouped).push(") x GROUP BY x.currency ORDER BY x.currency");
    sql.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(SideCount {
                currency,
                groups: row::int(r, "groups_n")?,
                items: row::int(r, "items_n")?,
                open: row::money(r, "open", currency)?,
            })
        })
        .collect()
}

/// The debit side of the extraction per currency: groups (customer, contract, currency), items, open.
pub async fn debit_counts(tx: &mut Tx, company_id: i64, e: &Extract) -> anyhow::Result<Vec<SideCount>> {
    let mut grouped = Sql::new("SELECT u.currency, COUNT(*) AS n, SUM(u.amount_open) AS open FROM (");
    grouped.append(&debits(company_id, e)).push(") u GROUP BY u.customer_id, u.contract_id, u.currency");
    counts(tx, &grouped).await
}

/// The credit side of the extraction per currency: groups (customer, currency), items, open.
pub async fn credit_counts(tx: &mut Tx, company_id: i64, e: &Extract) -> anyhow::Result<Vec<SideCount>> {
    let mut grouped = Sql::new("SELECT u.currency, COUNT(*) AS n, SUM(u.amount_open) AS open FROM (");
    grouped.append(&credits(company_id, e)).push(") u GROUP BY u.customer_id, u.currency");
    counts(tx, &grouped).await
}

/// The debit groups `offset` to `offset + limit` (customer, contract, currency), in the order of
/// [`super::small_debits`]: customer number, contract number (none first), currency.
pub async fn debit_group_keys(
    tx: &mut Tx,
    company_id: i64,
    e: &Extract,
    limit: i64,
    offset: i64,
) -> anyhow::Result<Vec<(i64, Option<i64>, Currency)>> {
    let mut sql = Sql::new("SELECT u.customer_id, u.contract_id, u.currency FROM (");
    sql.append(&debits(company_id, e));
    sql.push(") u JOIN customers c ON c.id = u.customer_id LEFT JOIN contracts k ON k.id = u.contract_id ");
    sql.push("GROUP BY u.customer_id, u.contract_id, u.currency, c.number, k.number ");
    sql.push("ORDER BY c.number, COALESCE(k.number, ''), u.currency LIMIT ").bind(limit).push(" OFFSET ").bind(offset);
    sql.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok((row::int(r, "customer_id")?, row::opt_int(r, "contract_id")?, row::currency(r, "currency")?)))
        .collect()
}

/// The credit groups `offset` to `offset + limit` (customer, currency), in the order of
/// [`super::small_credits`]: customer number, currency.
pub async fn credit_group_keys(
    tx: &mut Tx,
    company_id: i64,
    e: &Extract,
    limit: i64,
    offset: i64,
) -> anyhow::Result<Vec<(i64, Currency)>> {
    let mut sql = Sql::new("SELECT u.customer_id, u.currency FROM (");
    sql.append(&credits(company_id, e));
    sql.push(") u JOIN customers c ON c.id = u.customer_id GROUP BY u.customer_id, u.currency, c.number ");
    sql.push("ORDER BY c.number, u.currency LIMIT ").bind(limit).push(" OFFSET ").bind(offset);
    sql.fetch_all(tx).await?.iter().map(|r| Ok((row::int(r, "customer_id")?, row::currency(r, "currency")?))).collect()
}
