//! Late-interest rate tables (SPEC §4.7) and their rate periods.

use creance_core::interest::DayCount;
use creance_core::{Currency, Date, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::words::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRow {
    pub from: Date,
    /// Reference rate in percent (0 for a fixed rate).
    pub reference_percent: String,
    /// Margin in percentage points (the whole rate for a fixed rate).
    pub margin_percent: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterestTable {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub reference_name: String,
    /// `actual_365` or `actual_360`.
    pub day_count: DayCount,
    pub grace_days: i64,
    /// Per late invoice; zero for none. Read from `indemnity` (minor units) and `indemnity_currency`;
    /// a zero amount in a currency that is not one of ours reads as zero EUR (a table without an
    /// indemnity), a non-zero one is an error.
    pub indemnity: Money,
    pub rates: Vec<RateRow>,
}

/// A new rate table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterestTableInput {
    pub code: String,
    pub name: String,
    pub reference_name: String,
    pub day_count: DayCount,
    pub grace_days: i64,
    /// Per late invoice; zero for none.
    pub indemnity: Money,
    pub rates: Vec<RateRow>,
}

pub async fn insert_interest_table(tx: &mut Tx, company_id: i64, t: &InterestTableInput) -> anyhow::Result<i64> {
    let mut sql = Sql::new(
        "INSERT INTO interest_tables (company_id, code, name, reference_name, day_count, grace_days, indemnity, \
         indemnity_currency, created_at) VALUES ",
    );
    sql.bind_tuple([
        company_id.into(),
        t.code.as_str().into(),
        t.name.as_str().into(),
        t.reference_name.as_str().into(),
        t.day_count.as_str().into(),
        t.grace_days.into(),
        t.indemnity.minor().into(),
        t.indemnity.currency().code().into(),
        tx.at()?.into(),
    ]);
    let id = row::int(&sql.push(" RETURNING id").fetch_one(tx).await?, "id")?;
    upsert_rates(tx, company_id, id, &t.rates).await?;
    Ok(id)
}

/// Adds rate periods (a period starting on a date already present replaces it; of two given for the
/// same date, the later). One `DELETE` of the dates given, scoped by company and table, then one
/// multi-row `INSERT` (each in chunks under the bound-parameter limit, one chunk in practice).
pub async fn upsert_rates(tx: &mut Tx, company_id: i64, table_id: i64, rates: &[RateRow]) -> anyhow::Result<()> {
    let mut by_date: std::collections::BTreeMap<Date, &RateRow> = std::collections::BTreeMap::new();
    for r in rates {
        by_date.insert(r.from, r);
    }
    let rows: Vec<&RateRow> = by_date.into_values().collect();
    for chunk in rows.chunks(batch_rows(1)) {
        let mut sql = Sql::new("DELETE FROM interest_rates WHERE company_id = ");
        sql.bind(company_id).push(" AND table_id = ").bind(table_id).push(" AND from_date IN ");
        sql.bind_tuple(chunk.iter().map(|r| Value::from(r.from.to_string())));
        sql.execute(tx).await?;
    }
    for chunk in rows.chunks(batch_rows(5)) {
        let mut sql = Sql::new(
            "INSERT INTO interest_rates (company_id, table_id, from_date, reference_percent, margin_percent) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                table_id.into(),
                r.from.to_string().into(),
                r.reference_percent.as_str().into(),
                r.margin_percent.as_str().into(),
            ]);
        }
        sql.execute(tx).await?;
    }
    Ok(())
}

/// A table's stored indemnity: `minor` units of `currency`; a zero amount in an unknown currency is
/// zero EUR (no indemnity), a non-zero one an error naming the table.
fn indemnity(table: &str, minor: i64, currency: &str) -> anyhow::Result<Money> {
    match Currency::parse(currency) {
        Ok(c) => Ok(Money::new(minor, c)),
        Err(_) if minor == 0 => Ok(Money::zero(Currency::EUR)),
        Err(e) => Err(anyhow::anyhow!("interest table {table}: indemnity currency: {e}")),
    }
}

pub async fn interest_tables(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<InterestTable>> {
    let rows = Sql::new(
        "SELECT id, code, name, reference_name, day_count, grace_days, indemnity, indemnity_currency \
         FROM interest_tables WHERE company_id = ",
    )
    .bind(company_id)
    .push(" ORDER BY code")
    .fetch_all(tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let code = row::text(r, "code")?;
        let indemnity = indemnity(&code, row::int(r, "indemnity")?, &row::text(r, "indemnity_currency")?)?;
        out.push(InterestTable {
            id: row::int(r, "id")?,
            code,
            name: row::text(r, "name")?,
            reference_name: row::text(r, "reference_name")?,
            day_count: word(r, "interest_tables", "day_count", DayCount::parse)?,
            grace_days: row::int(r, "grace_days")?,
            indemnity,
            rates: Vec::new(),
        });
    }
    let rates = Sql::new(
        "SELECT table_id, from_date, reference_percent, margin_percent FROM interest_rates WHERE company_id = ",
    )
    .bind(company_id)
    .push(" ORDER BY table_id, from_date")
    .fetch_all(tx)
    .await?;
    for r in &rates {
        let tid = row::int(r, "table_id")?;
        if let Some(t) = out.iter_mut().find(|t| t.id == tid) {
            t.rates.push(RateRow {
                from: row::date(r, "from_date")?,
                reference_percent: row::text(r, "reference_percent")?,
                margin_percent: row::text(r, "margin_percent")?,
            });
        }
    }
    Ok(out)
}
