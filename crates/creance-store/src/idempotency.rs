//! Idempotency keys (SPEC §5): the first answer to a money-moving POST, kept by the client's key so
//! that a retried request gets the same answer instead of moving the money twice.

use crate::row;
use crate::{Sql, Tx};

/// What is stored under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// The request is being processed by another call.
    Pending {
        request_hash: String,
    },
    Done {
        request_hash: String,
        status: u16,
        response: String,
    },
}

/// Claims `key` for a request; returns what was stored before, if the key was already taken.
pub async fn claim(tx: &mut Tx, company_id: i64, key: &str, request_hash: &str) -> anyhow::Result<Option<Stored>> {
    let inserted = Sql::new("INSERT INTO idempotency_keys (company_id, key, request_hash, status, created_at) VALUES ")
        .bind_tuple([company_id.into(), key.into(), request_hash.into(), 0i64.into(), tx.at()?.into()])
        .push(" ON CONFLICT (company_id, key) DO NOTHING")
        .execute(tx)
        .await?;
    if inserted == 1 {
        return Ok(None);
    }
    // A claim left pending for ten minutes belongs to a process that died: the key is taken over.
    let stale = tx.instant().map(|t| t.minutes_earlier(10).to_string()).unwrap_or_default();
    let taken = Sql::new("UPDATE idempotency_keys SET request_hash = ")
        .bind(request_hash)
        .push(", created_at = ")
        .bind(tx.at()?)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND key = ")
        .bind(key)
        .push(" AND status = 0 AND created_at < ")
        .bind(stale)
        .execute(tx)
        .await?;
    if taken == 1 {
        return Ok(None);
    }
    let r = Sql::new("SELECT request_hash, status, response FROM idempotency_keys WHERE company_id = ")
        .bind(company_id)
        .push(" AND key = ")
        .bind(key)
        .fetch_one(tx)
        .await?;
    let request_hash = row::text(&r, "request_hash")?;
    let status = row::int(&r, "status")?;
    Ok(Some(match row::opt_text(&r, "response")? {
        Some(response) if status > 0 => Stored::Done { request_hash, status: status as u16, response },
        _ => Stored::Pending { request_hash },
    }))
}

/// Stores the answer given under a claimed key.
pub async fn complete(tx: &mut Tx, company_id: i64, key: &str, status: u16, response: &str) -> anyhow::Result<()> {
    Sql::new("UPDATE idempotency_keys SET status = ")
        .bind(i64::from(status))
        .push(", response = ")
        .bind(response)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND key = ")
        .bind(key)
        .execute(tx)
        .await?;
    Ok(())
}

/// Gives a claimed key back (the request failed on the server's side and may be retried).
pub async fn release(tx: &mut Tx, company_id: i64, key: &str) -> anyhow::Result<()> {
    Sql::new("DELETE FROM idempotency_keys WHERE company_id = ")
        .bind(company_id)
        .push(" AND key = ")
        .bind(key)
        .push(" AND status = 0")
        .execute(tx)
        .await?;
    Ok(())
}
