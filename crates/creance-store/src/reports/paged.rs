//! SPEC §4.10: the aging report and the DSO one page at a time, and their totals per currency in
//! `GROUP BY currency` aggregates, so that a page costs its own rows and a few passes over the open
//! items, never one row per customer handed to the application (100,000 customers: see
//! `docs/performance.md`). The rows of a page are read by [`super::aging`] and
//! [`super::sales_by_month`] restricted to the page's customers, so that a page shows exactly what
//! the whole report shows at the same place; the totals are the same sums taken over every row.

use creance_core::{Currency, Date, DocumentKind, MoneyTotal};

use super::{aging, bucket_sums, credits_from, installments_from, outer_conditions, AgingFilter, AgingRow, Credits};
use crate::row;
use crate::sql::wide_sum;
use crate::{Sql, Tx};

/// The customer-number range of `f` as a condition on `column` (a customer id); empty without one.
fn range_condition(company_id: i64, f: &AgingFilter, column: &str) -> Sql {
    if f.customer_number_from.is_none() && f.customer_number_to.is_none() {
        return Sql::default();
    }
    let mut s = Sql::new(&format!(" AND {column} IN (SELECT c.id FROM customers c WHERE c.company_id = "));
    s.bind(company_id);
    if let Some(v) = &f.customer_number_from {
        s.push(" AND c.number >= ").bind(v.as_str());
    }
    if let Some(v) = &f.customer_number_to {
        s.push(" AND c.number <= ").bind(v.as_str());
    }
    s.push(")");
    s
}

/// `SELECT customer_id, currency` of every row of an aging (before the customer-number range): the
/// union of the customers and currencies with an open installment, payment or refund.
fn aging_key_union(company_id: i64, f: &AgingFilter) -> Sql {
    let mut sql = Sql::new("SELECT i.customer_id, i.currency");
    sql.append(&installments_from(company_id, f));
    for which in [Credits::Payments, Credits::Refunds] {
        sql.push(" UNION SELECT p.customer_id, p.currency").append(&credits_from(company_id, f, which));
    }
    sql
}

/// One page of the keys `union` selects (joined to their customers as `c`, filtered by `outer`),
/// in `order`, and how many there are in all.
async fn page_of_keys(
    tx: &mut Tx,
    union: &Sql,
    outer: &Sql,
    order: &str,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<(i64, Currency)>, i64)> {
    let mut sql = Sql::new("SELECT k.customer_id, k.currency, COUNT(*) OVER () AS total FROM (");
    sql.append(union).push(") k JOIN customers c ON c.id = k.customer_id");
    sql.append(outer).push(order).push(" LIMIT ").bind(limit).push(" OFFSET ").bind(offset);
    let rows = sql.fetch_all(tx).await?;
    let mut total = match rows.first() {
        Some(r) => row::int(r, "total")?,
        None => 0,
    };
    if rows.is_empty() && offset > 0 {
        // Past the last page: the count alone.
        let mut count = Sql::new("SELECT COUNT(*) AS n FROM (");
        count.append(union).push(") k JOIN customers c ON c.id = k.customer_id");
        count.append(outer);
        total = row::int(&count.fetch_one(tx).await?, "n")?;
    }
    let keys = rows
        .iter()
        .map(|r| Ok((row::int(r, "customer_id")?, row::currency(r, "currency")?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((keys, total))
}

/// The (customer, currency) of the aging rows `offset` to `offset + limit` (customer-number then
/// currency-code order, as [`aging`] sorts them), and the number of rows of the whole report.
pub async fn aging_keys(
    tx: &mut Tx,
    company_id: i64,
    f: &AgingFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<(i64, Currency)>, i64)> {
    let union = aging_key_union(company_id, f);
    page_of_keys(tx, &union, &outer_conditions(f), " ORDER BY c.number, k.currency", limit, offset).await
}

/// The aging rows `offset` to `offset + limit`, exactly as [`aging`] has them at those places, and
/// the number of rows of the whole report.
pub async fn aging_page(
    tx: &mut Tx,
    company_id: i64,
    f: &AgingFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<AgingRow>, i64)> {
    let (keys, total) = aging_keys(tx, company_id, f, limit, offset).await?;
    let mut rows = rows_of(tx, company_id, f, &keys).await?;
    rows.retain(|r| keys.contains(&(r.customer_id, r.currency)));
    Ok((rows, total))
}

/// The aging rows of the customers of `keys` (every currency of theirs).
async fn rows_of(
    tx: &mut Tx,
    company_id: i64,
    f: &AgingFilter,
    keys: &[(i64, Currency)],
) -> anyhow::Result<Vec<AgingRow>> {
    let mut ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let g = AgingFilter { customer_ids: Some(ids), ..f.clone() };
    aging(tx, company_id, &g).await
}

/// The totals per currency of the aging `f` selects, as rows with no customer (id 0, number and
/// name empty), in currency-code order: Σ of each bucket, of the credit notes, of the payments'
/// unallocated credit and of the refunds to allocate over every row of the report. Split sums
/// ([`wide_sum`]): no total overflows.
pub async fn aging_totals(tx: &mut Tx, company_id: i64, f: &AgingFilter) -> anyhow::Result<Vec<AgingRow>> {
    let n = f.buckets.len();
    let mut sql = Sql::new("SELECT i.currency");
    sql.push(&bucket_sums(f, wide_sum));
    sql.append(&installments_from(company_id, f));
    sql.append(&range_condition(company_id, f, "i.customer_id"));
    sql.push(" GROUP BY i.currency");
    let mut totals: std::collections::BTreeMap<&'static str, AgingRow> = std::collections::BTreeMap::new();
    let zero = |currency: Currency| AgingRow {
        customer_id: 0,
        customer_number: String::new(),
        customer_name: String::new(),
        currency,
        buckets: vec![MoneyTotal::zero(currency); n],
        credit_notes: MoneyTotal::zero(currency),
        payments_unallocated: MoneyTotal::zero(currency),
        refunds_to_allocate: MoneyTotal::zero(currency),
    };
    for r in sql.fetch_all(tx).await? {
        let currency = row::currency(&r, "currency")?;
        let t = totals.entry(currency.code()).or_insert_with(|| zero(currency));
        for k in 0..n {
            t.buckets[k] = row::money_total(&r, &format!("b{k}"), currency)?;
        }
        t.credit_notes = row::money_total(&r, "cn", currency)?;
    }
    for which in [Credits::Payments, Credits::Refunds] {
        let mut sql = Sql::new("SELECT p.currency, ");
        sql.push(&wide_sum("p.amount_open", "open"));
        sql.append(&credits_from(company_id, f, which));
        sql.append(&range_condition(company_id, f, "p.customer_id"));
        sql.push(" GROUP BY p.currency");
        for r in sql.fetch_all(tx).await? {
            let currency = row::currency(&r, "currency")?;
            let open = row::money_total(&r, "open", currency)?;
            let t = totals.entry(currency.code()).or_insert_with(|| zero(currency));
            match which {
                Credits::Payments => t.payments_unallocated = open,
                Credits::Refunds => t.refunds_to_allocate = open,
            }
        }
    }
    Ok(totals.into_values().collect())
}

/// `CASE column WHEN 'EUR' THEN 0 …`: a currency's place in [`Currency`]'s order (the DSO's rows).
fn currency_rank(column: &str) -> String {
    let mut s = format!("CASE {column}");
    for (k, c) in Currency::ALL.iter().enumerate() {
        s.push_str(&format!(" WHEN '{}' THEN {k}", c.code()));
    }
    s.push_str(" END");
    s
}

/// The sales documents of a DSO period (debit documents but opening balances, dated from `from` to
/// `to`), as `FROM documents d … WHERE …`, of one customer and one currency when given.
fn sales_from(company_id: i64, from: Date, to: Date, customer_id: Option<i64>, currency: Option<Currency>) -> Sql {
    let mut sql = Sql::new(
        " FROM documents d JOIN installments j ON j.document_id = d.id AND j.seq = 1 AND j.side = 1 WHERE d.company_id = ",
    );
    sql.bind(company_id).push(" AND d.date >= ").bind(from.to_string()).push(" AND d.date <= ").bind(to.to_string());
    sql.push(" AND d.kind <> ").bind(DocumentKind::OpeningBalance.code());
    if let Some(c) = customer_id {
        sql.push(" AND d.customer_id = ").bind(c);
    }
    if let Some(c) = currency {
        sql.push(" AND d.currency = ").bind(c.code());
    }
    sql
}

/// The (customer, currency) of the DSO rows `offset` to `offset + limit` — every key of the aging
/// `f` (the receivables at the period's end) and every customer and currency with sales from `from`
/// to `to` — in customer-number then [`Currency`] order, and how many rows there are in all.
pub async fn dso_keys(
    tx: &mut Tx,
    company_id: i64,
    f: &AgingFilter,
    from: Date,
    to: Date,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<(i64, Currency)>, i64)> {
    let mut union = aging_key_union(company_id, f);
    union.push(" UNION SELECT d.customer_id, d.currency");
    union.append(&sales_from(company_id, from, to, f.customer_id, f.currency));
    let order = format!(" ORDER BY c.number, {}", currency_rank("k.currency"));
    page_of_keys(tx, &union, &Sql::default(), &order, limit, offset).await
}

/// Σ per currency of the positive balances of the aging `f` selects (each customer's open debits
/// less its unallocated credits plus its refunds to allocate, counted when above zero), in one
/// aggregate. `None` on SQLite when one customer's balance overflows an i64 (SQLite's `SUM` fails
/// rather than wrap): the caller then reads the rows.
pub async fn positive_balances(
    tx: &mut Tx,
    company_id: i64,
    f: &AgingFilter,
) -> anyhow::Result<Option<Vec<MoneyTotal>>> {
    let mut sql = Sql::new(
        "SELECT x.currency, CAST(SUM(CASE WHEN x.b > 0 THEN x.b ELSE 0 END) AS TEXT) AS positive FROM \
         (SELECT u.customer_id, u.currency, SUM(u.v) AS b FROM (SELECT i.customer_id, i.currency, \
         CASE WHEN i.side = 1 THEN i.amount_open ELSE -i.amount_open END AS v",
    );
    sql.append(&installments_from(company_id, f));
    for (which, sign) in [(Credits::Payments, "-"), (Credits::Refunds, "")] {
        sql.push(&format!(" UNION ALL SELECT p.customer_id, p.currency, {sign}p.amount_open AS v"));
        sql.append(&credits_from(company_id, f, which));
    }
    sql.push(") u GROUP BY u.customer_id, u.currency) x GROUP BY x.currency");
    let rows = match sql.fetch_all(tx).await {
        Err(e) if tx.backend_name() == "SQLite" && e.to_string().contains("integer overflow") => return Ok(None),
        other => other?,
    };
    let mut out = rows
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            let t = row::text(r, "positive")?;
            let v = t.parse::<i128>().map_err(|_| anyhow::anyhow!("positive balances: {t:?} is not an integer"))?;
            Ok(MoneyTotal::new(v, currency))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    out.sort_by_key(|t| t.currency().code());
    Ok(Some(out))
}

/// The sales of a DSO period per currency and month (`YYYY-MM`), every customer's (or one's):
/// [`super::MonthSales`] with customer id 0.
pub async fn sales_totals_by_month(
    tx: &mut Tx,
    company_id: i64,
    from: Date,
    to: Date,
    customer_id: Option<i64>,
    currency: Option<Currency>,
) -> anyhow::Result<Vec<super::MonthSales>> {
    let mut sql = Sql::new("SELECT d.currency, SUBSTR(d.date, 1, 7) AS month, ");
    sql.push(&wide_sum("d.total", "sales"));
    sql.append(&sales_from(company_id, from, to, customer_id, currency));
    sql.push(" GROUP BY d.currency, SUBSTR(d.date, 1, 7)");
    sql.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(super::MonthSales {
                customer_id: 0,
                currency,
                month: row::text(r, "month")?,
                sales: row::money_total(r, "sales", currency)?,
            })
        })
        .collect()
}
