//! Decoding stored values (TEXT dates, currency codes, minor units) into core types.

use anyhow::{anyhow, Context};
use creance_core::{Currency, Date, Money};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Where a row's values are read from, by column name: a database row, or one record of a packed
/// read ([`Packed`]). Every reader below takes either.
pub(crate) trait Fields {
    fn opt_i64(&self, col: &str) -> anyhow::Result<Option<i64>>;
    fn opt_string(&self, col: &str) -> anyhow::Result<Option<String>>;
}

impl Fields for AnyRow {
    fn opt_i64(&self, col: &str) -> anyhow::Result<Option<i64>> {
        self.try_get::<Option<i64>, _>(col).with_context(|| format!("column {col}"))
    }

    fn opt_string(&self, col: &str) -> anyhow::Result<Option<String>> {
        self.try_get::<Option<String>, _>(col).with_context(|| format!("column {col}"))
    }
}

/// How a packed read writes NULL (a control character no stored text contains, as the separators
/// of [`crate::sql::fetch_packed`]).
pub(crate) const PACKED_NULL: &str = "\u{2}";

/// One record of a packed read: its values as text, named by `names` in the same order.
pub(crate) struct Packed<'a> {
    pub names: &'a [&'a str],
    pub values: &'a [&'a str],
}

impl Packed<'_> {
    fn value(&self, col: &str) -> anyhow::Result<Option<&str>> {
        let i = self.names.iter().position(|n| *n == col).ok_or_else(|| anyhow!("no column {col}"))?;
        let v = *self.values.get(i).ok_or_else(|| anyhow!("a packed record without column {col}"))?;
        Ok((v != PACKED_NULL).then_some(v))
    }
}

impl Fields for Packed<'_> {
    fn opt_i64(&self, col: &str) -> anyhow::Result<Option<i64>> {
        self.value(col)?
            .map(|v| v.parse::<i64>().map_err(|e| anyhow!("column {col}: {v:?} is not an integer: {e}")))
            .transpose()
    }

    fn opt_string(&self, col: &str) -> anyhow::Result<Option<String>> {
        Ok(self.value(col)?.map(str::to_string))
    }
}

pub(crate) fn int(row: &impl Fields, col: &str) -> anyhow::Result<i64> {
    row.opt_i64(col)?.ok_or_else(|| anyhow!("column {col}: NULL where a value was expected"))
}

pub(crate) fn opt_int(row: &impl Fields, col: &str) -> anyhow::Result<Option<i64>> {
    row.opt_i64(col)
}

pub(crate) fn text(row: &impl Fields, col: &str) -> anyhow::Result<String> {
    row.opt_string(col)?.ok_or_else(|| anyhow!("column {col}: NULL where a value was expected"))
}

pub(crate) fn opt_text(row: &impl Fields, col: &str) -> anyhow::Result<Option<String>> {
    row.opt_string(col)
}

pub(crate) fn date(row: &impl Fields, col: &str) -> anyhow::Result<Date> {
    let s = text(row, col)?;
    Date::parse(&s).map_err(|e| anyhow!("stored date in column {col}: {e}"))
}

pub(crate) fn opt_date(row: &impl Fields, col: &str) -> anyhow::Result<Option<Date>> {
    match opt_text(row, col)? {
        None => Ok(None),
        Some(s) => Date::parse(&s).map(Some).map_err(|e| anyhow!("stored date in column {col}: {e}")),
    }
}

pub(crate) fn currency(row: &impl Fields, col: &str) -> anyhow::Result<Currency> {
    let s = text(row, col)?;
    Currency::parse(&s).map_err(|e| anyhow!("stored currency in column {col}: {e}"))
}

pub(crate) fn money(row: &impl Fields, col: &str, currency: Currency) -> anyhow::Result<Money> {
    Ok(Money::new(int(row, col)?, currency))
}

pub(crate) fn flag(row: &impl Fields, col: &str) -> anyhow::Result<bool> {
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
