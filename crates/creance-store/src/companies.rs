//! Companies (tenants): every other row belongs to exactly one (SPEC §3, §6).

use creance_core::{Currency, Language};

use crate::row;
use crate::{Engine, Sql, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub base_currency: Currency,
    pub language: Language,
    pub address: String,
}

#[derive(Debug, Clone)]
pub struct NewCompany {
    pub name: String,
    pub country: String,
    pub base_currency: Currency,
    pub language: Language,
    pub address: String,
}

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Company> {
    Ok(Company {
        id: row::int(r, "id")?,
        name: row::text(r, "name")?,
        country: row::text(r, "country")?,
        base_currency: row::currency(r, "base_currency")?,
        language: Language::parse(&row::text(r, "language")?).unwrap_or(Language::Fr),
        address: row::text(r, "address")?,
    })
}

pub async fn insert(tx: &mut Tx, c: &NewCompany) -> anyhow::Result<i64> {
    let r = Sql::new("INSERT INTO companies (name, country, base_currency, language, address, created_at) VALUES ")
        .bind_tuple([
            c.name.clone().into(),
            c.country.clone().into(),
            c.base_currency.code().into(),
            c.language.code().into(),
            c.address.clone().into(),
            tx.at()?.into(),
        ])
        .push(" RETURNING id")
        .fetch_one(tx)
        .await?;
    row::int(&r, "id")
}

pub async fn get(tx: &mut Tx, id: i64) -> anyhow::Result<Option<Company>> {
    let r = Sql::new("SELECT id, name, country, base_currency, language, address FROM companies WHERE id = ")
        .bind(id)
        .fetch_optional(tx)
        .await?;
    r.as_ref().map(from_row).transpose()
}

/// A company as users and tokens see it: `None` for an incomplete demo company (see [`set_incomplete`]).
pub async fn get_complete(tx: &mut Tx, id: i64) -> anyhow::Result<Option<Company>> {
    let r = Sql::new(
        "SELECT id, name, country, base_currency, language, address FROM companies WHERE incomplete = 0 AND id = ",
    )
    .bind(id)
    .fetch_optional(tx)
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// The complete companies (an incomplete demo company is not listed).
pub async fn list(tx: &mut Tx) -> anyhow::Result<Vec<Company>> {
    let rows = Sql::new(
        "SELECT id, name, country, base_currency, language, address FROM companies WHERE incomplete = 0 ORDER BY id",
    )
    .fetch_all(tx)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Whether the database holds no complete company yet (`serve --demo` fills only an empty database).
pub async fn is_empty(tx: &mut Tx) -> anyhow::Result<bool> {
    let r = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM companies WHERE incomplete = 0").fetch_one(tx).await?;
    Ok(row::int(&r, "n")? == 0)
}

/// Marks a company incomplete (the demo, while it writes it in several transactions) or complete (its
/// last step). An incomplete company is not listed, its tokens do not authenticate, and
/// [`remove_incomplete`] deletes it.
pub async fn set_incomplete(tx: &mut Tx, id: i64, incomplete: bool) -> anyhow::Result<()> {
    Sql::new("UPDATE companies SET incomplete = ")
        .bind(i64::from(incomplete))
        .push(" WHERE id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Deletes every incomplete company (a demo killed before its last step) with all its rows, and
/// returns their ids. The tables are read from the catalog: every table with a `company_id` column,
/// children before parents (foreign keys as the catalog states them), so a table added by a later
/// migration is covered without a change here. Set-based: one statement per table.
pub async fn remove_incomplete(tx: &mut Tx, engine: Engine) -> anyhow::Result<Vec<i64>> {
    let ids: Vec<i64> = Sql::new("SELECT id FROM companies WHERE incomplete = 1 ORDER BY id")
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| row::int(r, "id"))
        .collect::<anyhow::Result<_>>()?;
    if ids.is_empty() {
        return Ok(ids);
    }
    let (tables_sql, edges_sql) = match engine {
        Engine::Sqlite => (
            "SELECT m.name AS t FROM sqlite_master m JOIN pragma_table_info(m.name) c ON c.name = 'company_id' \
             WHERE m.type = 'table'",
            "SELECT m.name AS child, f.\"table\" AS parent, f.\"from\" AS col FROM sqlite_master m \
             JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
        ),
        Engine::Postgres => (
            "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'company_id'",
            "SELECT CAST(ch.relname AS TEXT) AS child, CAST(pa.relname AS TEXT) AS parent, CAST(a.attname AS TEXT) AS col \
             FROM pg_constraint c JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = ch.relnamespace \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             WHERE c.contype = 'f' AND n.nspname = current_schema()",
        ),
    };
    let mut tables: Vec<String> =
        Sql::new(tables_sql).fetch_all(tx).await?.iter().map(|r| row::text(r, "t")).collect::<anyhow::Result<_>>()?;
    let mut edges = Vec::new();
    for r in Sql::new(edges_sql).fetch_all(tx).await? {
        edges.push((row::text(&r, "child")?, row::text(&r, "parent")?, row::text(&r, "col")?));
    }
    for name in tables.iter().chain(edges.iter().map(|e| &e.2)) {
        anyhow::ensure!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "unexpected name {name:?}");
    }
    // The company's own references (its default dunning policy) go first, then children before parents.
    for (_, _, col) in edges.iter().filter(|e| e.0 == "companies") {
        Sql::new(&format!("UPDATE companies SET {col} = NULL WHERE incomplete = 1")).execute(tx).await?;
    }
    tables.sort();
    tables.dedup();
    let mut order = Vec::new();
    while !tables.is_empty() {
        let referenced =
            |t: &String| edges.iter().any(|(c, p, _)| p == t && c != t && c != "companies" && tables.contains(c));
        let Some(i) = tables.iter().position(|t| !referenced(t)) else {
            anyhow::bail!("cannot order the deletion of {tables:?}: their foreign keys form a cycle");
        };
        order.push(tables.remove(i));
    }
    for t in order {
        Sql::new(&format!("DELETE FROM {t} WHERE company_id IN (SELECT id FROM companies WHERE incomplete = 1)"))
            .execute(tx)
            .await?;
    }
    Sql::new("DELETE FROM companies WHERE incomplete = 1").execute(tx).await?;
    Ok(ids)
}
