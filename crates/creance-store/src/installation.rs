//! The first run (migration 0033): whether any user exists, and the one row that lets a single
//! installation commit.

use crate::row;
use crate::{Sql, Tx};

/// Whether the database has no user at all (the installation page is open only then).
pub async fn has_no_user(tx: &mut Tx) -> anyhow::Result<bool> {
    let r =
        Sql::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM (SELECT id FROM users LIMIT 1) u").fetch_one(tx).await?;
    Ok(row::int(&r, "n")? == 0)
}

/// Claims the installation for this transaction; `false` when it is claimed already (another
/// transaction committed it first: on PostgreSQL this one waited for it on the primary key, then
/// inserted nothing).
pub async fn claim(tx: &mut Tx) -> anyhow::Result<bool> {
    let at = tx.at()?;
    let r = Sql::new("INSERT INTO installation (id, at) VALUES ")
        .bind_tuple([1i64.into(), at.into()])
        .push(" ON CONFLICT (id) DO NOTHING RETURNING id")
        .fetch_optional(tx)
        .await?;
    Ok(r.is_some())
}

/// Records what the installation claimed by [`claim`] made.
pub async fn record(tx: &mut Tx, company_id: i64, user_id: i64) -> anyhow::Result<()> {
    Sql::new("UPDATE installation SET company_id = ")
        .bind(company_id)
        .push(", user_id = ")
        .bind(user_id)
        .push(" WHERE id = 1")
        .execute(tx)
        .await?;
    Ok(())
}
