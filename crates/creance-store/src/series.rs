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
    if let Some(numbers) = take_of_year(tx, company_id, name, year, count).await? {
        return Ok(numbers);
    }
    let r = Sql::new("SELECT pattern FROM number_series WHERE company_id = ")
        .bind(company_id)
        .push(" AND name = ")
        .bind(name)
        .fetch_optional(tx)
        .await?;
    let Some(r) = r else {
        anyhow::bail!("numbering series {name:?} does not exist for company {company_id}");
    };
    let pattern = SeriesPattern::new(row::text(&r, "pattern")?);
    anyhow::ensure!(!holds_year(pattern.as_str()), "series {name:?}: its year's counter was not advanced");
    // UPDATE … RETURNING locks the counter row on both engines until the transaction ends.
    let r = Sql::new("UPDATE number_series SET next_value = next_value + ")
        .bind(count)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND name = ")
        .bind(name)
        .push(" RETURNING next_value")
        .fetch_one(tx)
        .await?;
    render(&pattern, name, year, row::int(&r, "next_value")?, count)
}

/// [`take`] for a series whose pattern holds the year, in one statement (a recording's numbering is
/// one round trip): an upsert of the year's counter, created at the series' shared counter for a
/// year up to the one the series was migrated in (`legacy_year`), else at 1, and advanced by
/// `count`; the counter row stays locked until the transaction ends. `None` when the series does
/// not exist or its pattern does not hold the year (`replace` is case-sensitive on both engines, as
/// [`holds_year`] is).
async fn take_of_year(
    tx: &mut Tx,
    company_id: i64,
    name: &str,
    year: i32,
    count: i64,
) -> anyhow::Result<Option<Vec<String>>> {
    let year_value = i64::from(year);
    let mut sql =
        Sql::new("INSERT INTO number_series_years (company_id, name, year, next_value) SELECT s.company_id, s.name, ");
    sql.bind(year_value).push(", CASE WHEN s.legacy_year IS NOT NULL AND s.legacy_year >= ").bind(year_value);
    sql.push(" THEN s.next_value ELSE 1 END + ").bind(count);
    sql.push(" FROM number_series s WHERE s.company_id = ").bind(company_id).push(" AND s.name = ").bind(name);
    sql.push(" AND (replace(s.pattern, '{YYYY}', '') <> s.pattern OR replace(s.pattern, '{YY}', '') <> s.pattern)");
    sql.push(" ON CONFLICT (company_id, name, year) DO UPDATE SET next_value = number_series_years.next_value + ");
    sql.bind(count).push(" RETURNING next_value, (SELECT p.pattern FROM number_series p WHERE p.company_id = ");
    sql.bind(company_id).push(" AND p.name = ").bind(name).push(") AS pattern");
    let Some(r) = sql.fetch_optional(tx).await? else {
        return Ok(None);
    };
    let pattern = SeriesPattern::new(row::text(&r, "pattern")?);
    render(&pattern, name, year, row::int(&r, "next_value")?, count).map(Some)
}

/// The `count` numbers before `next`, rendered for `year`.
fn render(pattern: &SeriesPattern, name: &str, year: i32, next: i64, count: i64) -> anyhow::Result<Vec<String>> {
    let first = next - count;
    (first..next).map(|n| pattern.render(year, n).map_err(|e| anyhow::anyhow!("series {name:?}: {e}"))).collect()
}
