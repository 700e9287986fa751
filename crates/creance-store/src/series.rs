//! Gapless numbering series per company (SPEC §2). The counter row is read and advanced inside the
//! caller's transaction, so a rolled-back transaction gives its numbers back and no number is skipped.

use creance_core::SeriesPattern;

use crate::row;
use crate::{Sql, Tx};

/// Ensures the series exists with `pattern` (an existing series keeps its pattern and counter).
pub async fn ensure(tx: &mut Tx, company_id: i64, name: &str, pattern: &str) -> anyhow::Result<()> {
    Sql::new("INSERT INTO number_series (company_id, name, pattern, next_value) VALUES ")
        .bind_tuple([company_id.into(), name.into(), pattern.into(), 1i64.into()])
        .push(" ON CONFLICT (company_id, name) DO NOTHING")
        .execute(tx)
        .await?;
    Ok(())
}

/// Takes `count` consecutive numbers from the series and renders them for `year`.
pub async fn take(tx: &mut Tx, company_id: i64, name: &str, year: i32, count: i64) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(count >= 0, "cannot take a negative count of numbers");
    // UPDATE … RETURNING locks the counter row on both engines until the transaction ends.
    let r = Sql::new("UPDATE number_series SET next_value = next_value + ")
        .bind(count)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND name = ")
        .bind(name)
        .push(" RETURNING next_value, pattern")
        .fetch_optional(tx)
        .await?;
    let Some(r) = r else {
        anyhow::bail!("numbering series {name:?} does not exist for company {company_id}");
    };
    let next = row::int(&r, "next_value")?;
    let pattern = SeriesPattern::new(row::text(&r, "pattern")?);
    let first = next - count;
    (first..next).map(|n| pattern.render(year, n).map_err(|e| anyhow::anyhow!("series {name:?}: {e}"))).collect()
}
