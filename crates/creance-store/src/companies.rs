//! Companies (tenants): every other row belongs to exactly one (SPEC §3, §6).

use creance_core::{Currency, Language};
use serde::Serialize;

use crate::row;
use crate::{Sql, Tx};

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub country: String,
    #[schema(value_type = String, example = "EUR")]
    pub base_currency: Currency,
    #[schema(value_type = String, example = "fr")]
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
            crate::clock::now_rfc3339().into(),
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

pub async fn list(tx: &mut Tx) -> anyhow::Result<Vec<Company>> {
    let rows = Sql::new("SELECT id, name, country, base_currency, language, address FROM companies ORDER BY id")
        .fetch_all(tx)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Whether the database holds no company yet (`serve --demo` fills only an empty database).
pub async fn is_empty(tx: &mut Tx) -> anyhow::Result<bool> {
    let r = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM companies").fetch_one(tx).await?;
    Ok(row::int(&r, "n")? == 0)
}
