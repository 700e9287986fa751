//! The e-mail delivery of issued letters (issue 11 point 6): a company's SMTP settings, the work of
//! the delivery worker (queued deliveries whose time has come, attempts left under way by a worker
//! that stopped), claiming a batch — the attempt is written and committed before any message is
//! handed over —, the outcome of each attempt, and a clerk's resend.

use creance_core::dunning::{AttemptOutcome, DeliveryStatus, DeliveryTransport, SmtpSecurity};

use super::words::*;
use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

/// A company's SMTP server and how its messages are signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: i64,
    pub security: SmtpSecurity,
    pub username: String,
    /// Kept as given (the login needs it back); never shown by the API.
    pub password: String,
    pub from_address: String,
    pub from_name: String,
    pub reply_to: String,
}

pub async fn smtp(tx: &mut Tx, company_id: i64) -> anyhow::Result<Option<SmtpSettings>> {
    let r = Sql::new(
        "SELECT host, port, security, username, password, from_address, from_name, reply_to FROM company_smtp \
         WHERE company_id = ",
    )
    .bind(company_id)
    .fetch_optional(tx)
    .await?;
    let Some(r) = r else { return Ok(None) };
    Ok(Some(SmtpSettings {
        host: row::text(&r, "host")?,
        port: row::int(&r, "port")?,
        security: word(&r, "company_smtp", "security", SmtpSecurity::parse)?,
        username: row::text(&r, "username")?,
        password: row::text(&r, "password")?,
        from_address: row::text(&r, "from_address")?,
        from_name: row::text(&r, "from_name")?,
        reply_to: row::text(&r, "reply_to")?,
    }))
}

pub async fn set_smtp(tx: &mut Tx, company_id: i64, s: &SmtpSettings) -> anyhow::Result<()> {
    let at = tx.at()?;
    let mut sql = Sql::new(
        "INSERT INTO company_smtp (company_id, host, port, security, username, password, from_address, from_name, \
         reply_to, updated_at) VALUES ",
    );
    sql.bind_tuple([
        company_id.into(),
        s.host.as_str().into(),
        s.port.into(),
        s.security.as_str().into(),
        s.username.as_str().into(),
        s.password.as_str().into(),
        s.from_address.as_str().into(),
        s.from_name.as_str().into(),
        s.reply_to.as_str().into(),
        at.into(),
    ]);
    sql.push(
        " ON CONFLICT (company_id) DO UPDATE SET host = excluded.host, port = excluded.port, \
         security = excluded.security, username = excluded.username, password = excluded.password, \
         from_address = excluded.from_address, from_name = excluded.from_name, reply_to = excluded.reply_to, \
         updated_at = excluded.updated_at",
    );
    sql.execute(tx).await?;
    Ok(())
}

/// Removes the SMTP settings (the company's messages go to the outbox again); false if none.
pub async fn clear_smtp(tx: &mut Tx, company_id: i64) -> anyhow::Result<bool> {
    let n = Sql::new("DELETE FROM company_smtp WHERE company_id = ").bind(company_id).execute(tx).await?;
    Ok(n > 0)
}

/// The companies with delivery work at `now`: an e-mail delivery queued whose time has come, or an
/// attempt under way since before `stale_before`.
pub async fn companies_with_work(tx: &mut Tx, now: &str, stale_before: &str) -> anyhow::Result<Vec<i64>> {
    let mut sql = Sql::new("SELECT DISTINCT company_id FROM dunning_deliveries WHERE channel = 'email' AND (");
    sql.push("(status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ").bind(now);
    sql.push(")) OR (status = 'sending' AND sending_since <= ").bind(stale_before);
    sql.push(")) ORDER BY company_id");
    sql.fetch_all(tx).await?.iter().map(|r| row::int(r, "company_id")).collect()
}

/// A delivery the worker is to attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: i64,
    pub letter_id: i64,
    /// The payer's dunning e-mail (else its e-mail) at issue.
    pub address: String,
}

/// A company's queued e-mail deliveries whose time has come, after `after_id` in id order,
/// optionally of one run.
pub async fn due(
    tx: &mut Tx,
    company_id: i64,
    run_id: Option<i64>,
    now: &str,
    after_id: i64,
    limit: i64,
) -> anyhow::Result<Vec<Due>> {
    let mut sql = Sql::new("SELECT dv.id, dv.letter_id, dv.address FROM dunning_deliveries dv ");
    if run_id.is_some() {
        sql.push("JOIN dunning_letters l ON l.id = dv.letter_id ");
    }
    sql.push("WHERE dv.status = 'queued' AND dv.channel = 'email' AND dv.company_id = ").bind(company_id);
    sql.push(" AND (dv.next_attempt_at IS NULL OR dv.next_attempt_at <= ")
        .bind(now)
        .push(") AND dv.id > ")
        .bind(after_id);
    if let Some(r) = run_id {
        sql.push(" AND l.run_id = ").bind(r);
    }
    sql.push(" ORDER BY dv.id LIMIT ").bind(limit);
    sql.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Due { id: row::int(r, "id")?, letter_id: row::int(r, "letter_id")?, address: row::text(r, "address")? })
        })
        .collect()
}

/// Claims queued deliveries for an attempt through `transport`: each still queued becomes
/// `sending`, counts one more attempt and gets an attempt row, started now. Returns the ids claimed
/// with their attempt count; a delivery another worker claimed first is not among them. The caller
/// commits before handing any message over.
pub async fn claim(
    tx: &mut Tx,
    company_id: i64,
    ids: &[i64],
    transport: DeliveryTransport,
) -> anyhow::Result<Vec<(i64, i64)>> {
    let now = tx.at()?;
    let mut claimed = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(batch_rows(1)) {
        let mut sql =
            Sql::new("UPDATE dunning_deliveries SET status = 'sending', attempts = attempts + 1, sending_since = ");
        sql.bind(now.as_str()).push(" WHERE company_id = ").bind(company_id);
        sql.push(" AND status = 'queued' AND id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" RETURNING id, attempts");
        let rows = sql.fetch_all(tx).await?;
        let mut got = rows
            .iter()
            .map(|r| Ok((row::int(r, "id")?, row::int(r, "attempts")?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        if got.is_empty() {
            continue;
        }
        got.sort_unstable();
        // One row per claimed delivery, numbered after its earlier attempts (across resends).
        let mut sql = Sql::new(
            "INSERT INTO dunning_delivery_attempts (company_id, delivery_id, attempt, transport, started_at) SELECT ",
        );
        sql.bind(company_id).push(", v.column1, (SELECT COUNT(*) FROM dunning_delivery_attempts a ");
        sql.push("WHERE a.delivery_id = v.column1) + 1, ").bind(transport.as_str()).push(", ").bind(now.as_str());
        sql.push(" FROM (VALUES ");
        for (i, (id, _)) in got.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([Value::Int(*id)]);
        }
        sql.push(") AS v");
        sql.execute(tx).await?;
        claimed.extend(got);
    }
    Ok(claimed)
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// Handed over: the server accepted it (its reply), or the file was written.
    Sent {
        message_id: String,
        sent_via: String,
        reply: String,
    },
    /// Queued again, not before `next_at`.
    Retry {
        next_at: String,
        error: String,
    },
    Failed {
        error: String,
    },
    /// The worker stopped during the attempt.
    Interrupted {
        error: String,
    },
}

impl Finish {
    fn outcome(&self) -> AttemptOutcome {
        match self {
            Finish::Sent { .. } => AttemptOutcome::Sent,
            Finish::Retry { .. } => AttemptOutcome::Retry,
            Finish::Failed { .. } => AttemptOutcome::Failed,
            Finish::Interrupted { .. } => AttemptOutcome::Interrupted,
        }
    }

    fn status(&self) -> DeliveryStatus {
        match self {
            Finish::Sent { .. } => DeliveryStatus::Sent,
            Finish::Retry { .. } => DeliveryStatus::Queued,
            Finish::Failed { .. } | Finish::Interrupted { .. } => DeliveryStatus::Failed,
        }
    }
}

/// Records how attempts ended, in two statements per chunk: the deliveries (only those still
/// `sending`) and their open attempt rows.
pub async fn finish(tx: &mut Tx, company_id: i64, results: &[(i64, Finish)]) -> anyhow::Result<()> {
    let now = tx.at()?;
    for chunk in results.chunks(batch_rows(7)) {
        let mut sql = Sql::new(
            "UPDATE dunning_deliveries SET status = v.column2, done_at = v.column3, next_attempt_at = v.column4, \
             last_error = v.column5, message_id = CASE WHEN v.column6 = '' THEN dunning_deliveries.message_id \
             ELSE v.column6 END, sent_via = CASE WHEN v.column7 = '' THEN dunning_deliveries.sent_via ELSE v.column7 END, \
             sending_since = NULL FROM (VALUES ",
        );
        for (i, (id, f)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            let (done, next, error, message_id, via) = match f {
                Finish::Sent { message_id, sent_via, .. } => {
                    (Some(now.clone()), None, String::new(), message_id.clone(), sent_via.clone())
                }
                Finish::Retry { next_at, error } => {
                    (None, Some(next_at.clone()), error.clone(), String::new(), String::new())
                }
                Finish::Failed { error } | Finish::Interrupted { error } => {
                    (Some(now.clone()), None, error.clone(), String::new(), String::new())
                }
            };
            sql.bind_tuple([
                (*id).into(),
                f.status().as_str().into(),
                done.into(),
                next.into(),
                error.into(),
                message_id.into(),
                via.into(),
            ]);
        }
        sql.push(") AS v WHERE dunning_deliveries.id = v.column1 AND dunning_deliveries.status = 'sending' ");
        sql.push("AND dunning_deliveries.company_id = ").bind(company_id);
        sql.execute(tx).await?;
        let mut sql = Sql::new("UPDATE dunning_delivery_attempts SET finished_at = ");
        sql.bind(now.as_str()).push(", outcome = v.column2, reply = v.column3 FROM (VALUES ");
        for (i, (id, f)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            let reply = match f {
                Finish::Sent { reply, .. } => reply.clone(),
                Finish::Retry { error, .. } | Finish::Failed { error } | Finish::Interrupted { error } => error.clone(),
            };
            sql.bind_tuple([(*id).into(), f.outcome().as_str().into(), reply.into()]);
        }
        sql.push(") AS v WHERE dunning_delivery_attempts.delivery_id = v.column1 ");
        sql.push("AND dunning_delivery_attempts.outcome IS NULL AND dunning_delivery_attempts.company_id = ");
        sql.bind(company_id);
        sql.execute(tx).await?;
    }
    Ok(())
}

/// A company's attempts under way since before `before`: their worker stopped. Ids and attempts.
pub async fn stale(tx: &mut Tx, company_id: i64, before: &str) -> anyhow::Result<Vec<(i64, i64)>> {
    let mut sql = Sql::new("SELECT id, attempts FROM dunning_deliveries WHERE status = 'sending' AND company_id = ");
    sql.bind(company_id).push(" AND sending_since <= ").bind(before).push(" ORDER BY id");
    sql.fetch_all(tx).await?.iter().map(|r| Ok((row::int(r, "id")?, row::int(r, "attempts")?))).collect()
}

/// A clerk sends a failed delivery again, to `address` (the payer's address now) or the same:
/// queued at once with a fresh count of attempts. Returns false when it is not failed.
pub async fn resend(tx: &mut Tx, company_id: i64, id: i64, address: Option<&str>) -> anyhow::Result<bool> {
    let mut sql = Sql::new(
        "UPDATE dunning_deliveries SET status = 'queued', attempts = 0, next_attempt_at = NULL, done_at = NULL",
    );
    if let Some(a) = address {
        sql.push(", address = ").bind(a);
    }
    sql.push(" WHERE company_id = ").bind(company_id).push(" AND id = ").bind(id);
    sql.push(" AND status = 'failed' AND channel = 'email'");
    Ok(sql.execute(tx).await? == 1)
}

/// One attempt of a delivery.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub attempt: i64,
    pub transport: DeliveryTransport,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// None while it is under way.
    pub outcome: Option<AttemptOutcome>,
    /// The server's reply (or the error), or where the file was written.
    pub reply: String,
}

pub async fn attempts(tx: &mut Tx, company_id: i64, delivery_id: i64) -> anyhow::Result<Vec<Attempt>> {
    let rows = Sql::new(
        "SELECT attempt, transport, started_at, finished_at, outcome, reply FROM dunning_delivery_attempts \
         WHERE company_id = ",
    )
    .bind(company_id)
    .push(" AND delivery_id = ")
    .bind(delivery_id)
    .push(" ORDER BY attempt")
    .fetch_all(tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Attempt {
                attempt: row::int(r, "attempt")?,
                transport: word(r, "dunning_delivery_attempts", "transport", DeliveryTransport::parse)?,
                started_at: row::text(r, "started_at")?,
                finished_at: row::opt_text(r, "finished_at")?,
                outcome: opt_word(r, "dunning_delivery_attempts", "outcome", AttemptOutcome::parse)?,
                reply: row::text(r, "reply")?,
            })
        })
        .collect()
}

/// The queued postal deliveries of `letter_ids` become `printed`; returns how many.
pub async fn mark_printed(tx: &mut Tx, company_id: i64, letter_ids: &[i64]) -> anyhow::Result<u64> {
    let now = tx.at()?;
    let mut n = 0;
    for chunk in letter_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new("UPDATE dunning_deliveries SET status = 'printed', done_at = ");
        sql.bind(now.as_str()).push(" WHERE company_id = ").bind(company_id);
        sql.push(" AND status = 'queued' AND channel = 'letter' AND letter_id IN ");
        sql.bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        n += sql.execute(tx).await?;
    }
    Ok(n)
}
