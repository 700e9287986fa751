//! Decoding stored values (TEXT dates, currency codes, minor units) into core types.

use anyhow::{anyhow, Context};
use creance_core::{Currency, Date, Money};
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) fn int(row: &AnyRow, col: &str) -> anyhow::Result<i64> {
    row.try_get::<i64, _>(col).with_context(|| format!("column {col}"))
}

pub(crate) fn opt_int(row: &AnyRow, col: &str) -> anyhow::Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(col).with_context(|| format!("column {col}"))
}

pub(crate) fn text(row: &AnyRow, col: &str) -> anyhow::Result<String> {
    row.try_get::<String, _>(col).with_context(|| format!("column {col}"))
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> anyhow::Result<Option<String>> {
    row.try_get::<Option<String>, _>(col).with_context(|| format!("column {col}"))
}

pub(crate) fn date(row: &AnyRow, col: &str) -> anyhow::Result<Date> {
    let s = text(row, col)?;
    Date::parse(&s).map_err(|e| anyhow!("stored date in column {col}: {e}"))
}

pub(crate) fn opt_date(row: &AnyRow, col: &str) -> anyhow::Result<Option<Date>> {
    match opt_text(row, col)? {
        None => Ok(None),
        Some(s) => Date::parse(&s).map(Some).map_err(|e| anyhow!("stored date in column {col}: {e}")),
    }
}

pub(crate) fn currency(row: &AnyRow, col: &str) -> anyhow::Result<Currency> {
    let s = text(row, col)?;
    Currency::parse(&s).map_err(|e| anyhow!("stored currency in column {col}: {e}"))
}

pub(crate) fn money(row: &AnyRow, col: &str, currency: Currency) -> anyhow::Result<Money> {
    Ok(Money::new(int(row, col)?, currency))
}

pub(crate) fn flag(row: &AnyRow, col: &str) -> anyhow::Result<bool> {
    Ok(int(row, col)? != 0)
}

/// A sum read as the `{alias}_hi` / `{alias}_lo` pair of [`crate::sql::wide_sum`], as an i128
/// (NULL sums, over no rows, are zero).
pub(crate) fn wide(row: &AnyRow, alias: &str) -> anyhow::Result<i128> {
    let hi = opt_int(row, &format!("{alias}_hi"))?.unwrap_or(0);
    let lo = opt_int(row, &format!("{alias}_lo"))?.unwrap_or(0);
    Ok(i128::from(hi) * i128::from(crate::sql::WIDE_SPLIT) + i128::from(lo))
}

/// A total read with [`wide`], in `currency`.
pub(crate) fn money_total(row: &AnyRow, alias: &str, currency: Currency) -> anyhow::Result<creance_core::MoneyTotal> {
    Ok(creance_core::MoneyTotal::new(wide(row, alias)?, currency))
}
