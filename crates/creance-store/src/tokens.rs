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
        .bind_tuple([
            company_id.into(),
            role.code().into(),
            label.into(),
            token_hash.into(),
            crate::clock::now_rfc3339().into(),
        ])
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
