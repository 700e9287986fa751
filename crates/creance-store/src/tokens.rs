//! API tokens (SPEC §5): per company, with a role; only the SHA-256 of a token is stored.

use creance_core::Role;

use crate::row;
use crate::{Sql, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub token_id: i64,
    pub company_id: i64,
    pub role: Role,
    pub label: String,
}

pub async fn insert(tx: &mut Tx, company_id: i64, role: Role, label: &str, token_hash: &str) -> anyhow::Result<i64> {
    let r = Sql::new("INSERT INTO api_tokens (company_id, role, label, token_hash, created_at) VALUES ")
        .bind_tuple([company_id.into(), role.code().into(), label.into(), token_hash.into(), tx.at()?.into()])
        .push(" RETURNING id")
        .fetch_one(tx)
        .await?;
    row::int(&r, "id")
}

/// The grant of a live token, found by its hash.
pub async fn find_by_hash(db: &crate::Db, token_hash: &str) -> anyhow::Result<Option<TokenGrant>> {
    // A token of an incomplete demo company (companies.incomplete) does not authenticate yet.
    let r = Sql::new(
        "SELECT id, company_id, role, label FROM api_tokens WHERE revoked_at IS NULL \
         AND company_id IN (SELECT id FROM companies WHERE incomplete = 0) AND token_hash = ",
    )
    .bind(token_hash)
    .fetch_optional(&mut *db.pool().acquire().await?)
    .await?;
    let Some(r) = r else { return Ok(None) };
    let role_text = row::text(&r, "role")?;
    let role = Role::parse(&role_text).ok_or_else(|| anyhow::anyhow!("stored role {role_text:?} is unknown"))?;
    Ok(Some(TokenGrant {
        token_id: row::int(&r, "id")?,
        company_id: row::int(&r, "company_id")?,
        role,
        label: row::text(&r, "label")?,
    }))
}

/// A token as listed: never its secret nor its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    /// read_only, clerk or admin.
    pub role: String,
    pub label: String,
    /// When it was created (UTC, RFC 3339).
    pub created_at: String,
    /// When it was revoked; a revoked token no longer authenticates.
    pub revoked_at: Option<String>,
}

const INFO_SELECT: &str = "SELECT id, role, label, created_at, revoked_at FROM api_tokens WHERE company_id = ";

fn info_from_row(r: &crate::AnyRow) -> anyhow::Result<TokenInfo> {
    Ok(TokenInfo {
        id: row::int(r, "id")?,
        role: row::text(r, "role")?,
        label: row::text(r, "label")?,
        created_at: row::text(r, "created_at")?,
        revoked_at: row::opt_text(r, "revoked_at")?,
    })
}

/// The company's tokens, live and revoked, oldest first.
pub async fn list(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<TokenInfo>> {
    let mut sql = Sql::new(INFO_SELECT);
    sql.bind(company_id).push(" ORDER BY id");
    sql.fetch_all(tx).await?.iter().map(info_from_row).collect()
}

/// One token of the company (`None` when it is another company's or does not exist).
pub async fn get(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<TokenInfo>> {
    let mut sql = Sql::new(INFO_SELECT);
    sql.bind(company_id).push(" AND id = ").bind(id);
    sql.fetch_optional(tx).await?.as_ref().map(info_from_row).transpose()
}

/// Revokes a live token of the company; false when it is not one (unknown, another company's, or
/// already revoked).
pub async fn revoke(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE api_tokens SET revoked_at = ")
        .bind(tx.at()?)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .push(" AND revoked_at IS NULL")
        .execute(tx)
        .await?;
    Ok(n == 1)
}
