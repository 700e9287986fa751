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

/// Whether a pattern holds the year (`{YYYY}` or `{YY}`): such a series counts each year on its own.
pub fn holds_year(pattern: &str) -> bool {
    pattern.contains("{YYYY}") || pattern.contains("{YY}")
}

/// Takes `count` consecutive numbers from the series and renders them for `year`. A series whose
/// pattern holds the year has one gapless counter per year (`number_series_years`); the others one.
pub async fn take(tx: &mut Tx, company_id: i64, name: &str, year: i32, count: i64) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(count >= 0, "cannot take a negative count of numbers");
    let r = Sql::new("SELECT pattern, next_value, legacy_year FROM number_series WHERE company_id = ")
        .bind(company_id)
        .push(" AND name = ")
        .bind(name)
        .fetch_optional(tx)
        .await?;
    let Some(r) = r else {
        anyhow::bail!("numbering series {name:?} does not exist for company {company_id}");
    };
    let pattern = SeriesPattern::new(row::text(&r, "pattern")?);
    // UPDATE … RETURNING locks the counter row on both engines until the transaction ends.
    let next = if holds_year(pattern.as_str()) {
        // A year up to the one the series was migrated in starts from the counter all years shared.
        let legacy = row::opt_int(&r, "legacy_year")?;
        let start = if legacy.is_some_and(|y| i64::from(year) <= y) { row::int(&r, "next_value")? } else { 1 };
        Sql::new("INSERT INTO number_series_years (company_id, name, year, next_value) VALUES ")
            .bind_tuple([company_id.into(), name.into(), i64::from(year).into(), start.into()])
            .push(" ON CONFLICT (company_id, name, year) DO NOTHING")
            .execute(tx)
            .await?;
        let r = Sql::new("UPDATE number_series_years SET next_value = next_value + ")
            .bind(count)
            .push(" WHERE company_id = ")
            .bind(company_id)
            .push(" AND name = ")
            .bind(name)
            .push(" AND year = ")
            .bind(i64::from(year))
            .push(" RETURNING next_value")
            .fetch_one(tx)
            .await?;
        row::int(&r, "next_value")?
    } else {
        let r = Sql::new("UPDATE number_series SET next_value = next_value + ")
            .bind(count)
            .push(" WHERE company_id = ")
            .bind(company_id)
            .push(" AND name = ")
            .bind(name)
            .push(" RETURNING next_value")
            .fetch_one(tx)
            .await?;
        row::int(&r, "next_value")?
    };
    let first = next - count;
    (first..next).map(|n| pattern.render(year, n).map_err(|e| anyhow::anyhow!("series {name:?}: {e}"))).collect()
}
