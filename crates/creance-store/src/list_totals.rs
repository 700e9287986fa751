//! Totals per currency of the money lists (payments — to allocate, advances, to deposit —, refunds,
//! deposits): one `GROUP BY currency` over the list's own `WHERE` clause, so that a list's totals are
//! those of everything its filter selects, not of the page shown. Sums are split sums (`wide_sum`):
//! they never overflow.

use creance_core::{Currency, MoneyTotal};

use crate::deposits;
use crate::payments::{self, PaymentFilter};
use crate::refunds::{self, RefundFilter};
use crate::row;
use crate::sql::wide_sum;
use crate::{Sql, Tx};

/// The rows of one currency of a list, and their sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTotal {
    pub currency: Currency,
    pub count: i64,
    /// Σ amounts (a deposit's total).
    pub amount: MoneyTotal,
    /// Σ what is still open: unallocated (payments), to allocate (refunds); zero for deposits.
    pub open: MoneyTotal,
}

async fn grouped(
    tx: &mut Tx,
    table: &str,
    alias: &str,
    amount: &str,
    open: Option<&str>,
    filter: &Sql,
) -> anyhow::Result<Vec<ListTotal>> {
    let mut sql = Sql::new(&format!("SELECT {alias}.currency, CAST(COUNT(*) AS BIGINT) AS n, "));
    sql.push(&wide_sum(&format!("{alias}.{amount}"), "amount"));
    if let Some(open) = open {
        sql.push(", ").push(&wide_sum(&format!("{alias}.{open}"), "open"));
    }
    sql.push(&format!(" FROM {table} {alias}"));
    sql.append(filter).push(&format!(" GROUP BY {alias}.currency ORDER BY {alias}.currency"));
    sql.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(ListTotal {
                currency,
                count: row::int(r, "n")?,
                amount: row::money_total(r, "amount", currency)?,
                open: if open.is_some() { row::money_total(r, "open", currency)? } else { MoneyTotal::zero(currency) },
            })
        })
        .collect()
}

/// The totals of the payments `f` selects (`payments::list`).
pub async fn payments(tx: &mut Tx, company_id: i64, f: &PaymentFilter) -> anyhow::Result<Vec<ListTotal>> {
    grouped(tx, "payments", "p", "amount", Some("amount_open"), &payments::where_clause(company_id, f)).await
}

/// The totals of the refunds `f` selects (`refunds::list`).
pub async fn refunds(tx: &mut Tx, company_id: i64, f: &RefundFilter) -> anyhow::Result<Vec<ListTotal>> {
    grouped(tx, "refunds", "r", "amount", Some("amount_open"), &refunds::where_clause(company_id, f)).await
}

/// The totals of the deposits with `status` (`deposits::list`).
pub async fn deposits(tx: &mut Tx, company_id: i64, status: Option<&str>) -> anyhow::Result<Vec<ListTotal>> {
    grouped(tx, "deposits", "s", "total", None, &deposits::where_clause(company_id, status)).await
}
