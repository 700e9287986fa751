//! Idempotency keys for POSTs that move money (SPEC §5): the first answer is kept under the client's
//! key; the same key with the same request gets that answer again, with another request a refusal.

use creance_store::idempotency::{self, Stored};

use crate::{Actor, App, AppError, Code};

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time: run it, then [`App::idempotency_complete`] (or release on a server failure).
    Run,
    /// Already answered: give this answer again.
    Replay { status: u16, response: String },
}

/// The hex SHA-256 of what identifies a request: method, path and body.
pub fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(body);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    pub async fn idempotency_claim(
        &self,
        actor: &Actor,
        company_id: i64,
        key: &str,
        hash: &str,
    ) -> Result<Claim, AppError> {
        let key = key.trim();
        if key.is_empty() || key.len() > 255 {
            return Err(AppError::invalid_said("Idempotency-Key", crate::Fault::IdempotencyKeyLength));
        }
        let mut tx = self.db.begin_write(actor.at()).await?;
        let stored = idempotency::claim(&mut tx, company_id, key, hash).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        match stored {
            None => Ok(Claim::Run),
            Some(Stored::Done { request_hash, status, response }) if request_hash == hash => {
                Ok(Claim::Replay { status, response })
            }
            Some(Stored::Pending { request_hash }) if request_hash == hash => Err(AppError::rejected_said(
                Code::IdempotencyPending,
                crate::Fault::IdempotencyPending { key: key.to_string() },
            )),
            Some(_) => Err(AppError::invalid_said_as(
                Code::IdempotencyKeyReused,
                "Idempotency-Key",
                crate::Fault::IdempotencyKeyReused { key: key.to_string() },
            )),
        }
    }

    pub async fn idempotency_complete(
        &self,
        actor: &Actor,
        company_id: i64,
        key: &str,
        status: u16,
        response: &str,
    ) -> Result<(), AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        idempotency::complete(&mut tx, company_id, key.trim(), status, response).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    pub async fn idempotency_release(&self, actor: &Actor, company_id: i64, key: &str) -> Result<(), AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        idempotency::release(&mut tx, company_id, key.trim()).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }
}
