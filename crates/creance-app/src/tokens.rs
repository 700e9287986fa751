//! API tokens (SPEC §5): a random secret shown once; only its SHA-256 is stored. Tokens are listed
//! without their secret and revoked per company; a revoked token stops authenticating at the next
//! request (every request looks the token up).

use anyhow::Context;
use creance_core::Role;
use creance_store::audit::{self, AuditEvent};
use creance_store::tokens::{self, TokenGrant};
use sha2::{Digest, Sha256};

use crate::views::settings::TokenInfo;
use crate::{Actor, App, AppError, Code};

/// Why revoking a token is refused (an unknown token, or one of another company, is a 404 before
/// these), in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenRejection {
    /// The token was revoked `at` already; a token is revoked once.
    AlreadyRevoked { token_id: i64, at: String },
    /// The token changed between the check and the write.
    Changed { token_id: i64 },
}

impl std::fmt::Display for TokenRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenRejection::AlreadyRevoked { token_id, at } => {
                write!(f, "token {token_id} was already revoked at {at}")
            }
            TokenRejection::Changed { token_id } => write!(f, "token {token_id} cannot be revoked now"),
        }
    }
}

impl From<TokenRejection> for AppError {
    fn from(r: TokenRejection) -> AppError {
        let code = match r {
            TokenRejection::AlreadyRevoked { .. } => Code::TokenRevoked,
            TokenRejection::Changed { .. } => Code::Conflict,
        };
        AppError::rejected_said(code, r)
    }
}

/// The hex SHA-256 of a token, as stored.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_secret() -> anyhow::Result<String> {
    Ok(format!("crn_{}", random_hex::<32>()?))
}

/// `N` bytes from the system's randomness, in hex.
pub(crate) fn random_hex<const N: usize>() -> anyhow::Result<String> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl App {
    /// Creates a token for a company and returns the secret (the only time it is visible).
    pub async fn create_token(
        &self,
        actor: &Actor,
        company_id: i64,
        role: Role,
        label: &str,
    ) -> Result<String, AppError> {
        crate::payments::plain_text("label", label)?;
        let mut tx = self.db.begin_write(actor.at()).await?;
        if creance_store::companies::get_complete(&mut tx, company_id).await?.is_none() {
            return Err(AppError::NotFound { entity: "company", key: company_id.to_string() });
        }
        let secret = new_secret().with_context(|| format!("company {company_id}: creating a token"))?;
        let id = tokens::insert(&mut tx, company_id, role, label, &hash_token(&secret)).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "token.create", "api_token", Some(id))
                .summary(format!("token {id} created with role {}", role.code())),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(secret)
    }

    /// The company's tokens, live and revoked (no secret).
    pub async fn tokens(&self, company_id: i64) -> Result<Vec<TokenInfo>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(tokens::list(&mut tx, company_id).await?.into_iter().map(Into::into).collect())
    }

    /// Revokes a token of the company: 404 for a token of another company (or none), 409 when it is
    /// already revoked.
    pub async fn revoke_token(&self, actor: &Actor, company_id: i64, token_id: i64) -> Result<TokenInfo, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let not_found = || AppError::NotFound { entity: "token", key: token_id.to_string() };
        let t = tokens::get(&mut tx, company_id, token_id).await?.ok_or_else(not_found)?;
        if let Some(at) = &t.revoked_at {
            return Err(TokenRejection::AlreadyRevoked { token_id, at: at.clone() }.into());
        }
        if !tokens::revoke(&mut tx, company_id, token_id).await? {
            return Err(TokenRejection::Changed { token_id }.into());
        }
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "token.revoke", "api_token", Some(token_id))
                .summary(format!("token {token_id} ({}, {:?}) revoked", t.role, t.label)),
        )
        .await?;
        let out = tokens::get(&mut tx, company_id, token_id).await?.ok_or_else(not_found)?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(out.into())
    }

    /// The grant of a bearer token, or `None` when it is unknown or revoked.
    pub async fn authenticate(&self, token: &str) -> Result<Option<TokenGrant>, AppError> {
        if !token.starts_with("crn_") || token.len() > 200 {
            return Ok(None);
        }
        Ok(tokens::find_by_hash(&self.db, &hash_token(token)).await?)
    }
}
