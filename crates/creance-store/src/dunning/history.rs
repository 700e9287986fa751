//! Reminders made outside Créance, an installment's dunning history, the delivery queue, and the
//! benchmark fixtures' levels.

use creance_core::dunning::{DeliveryStatus, ExternalChannel, HistorySource, HistoryStatus, LetterChannel};
use creance_core::{Date, DocumentKind};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::words::*;

/// What recording a reminder made outside needs to know of each installment, read for all of them in
/// one query: its document, its payer's policy override, and whether a draft proposal holds it.
#[derive(Debug, Clone)]
pub struct ExternalTarget {
    pub installment_id: i64,
    pub document_number: String,
    pub document_kind: DocumentKind,
    /// The payer's own policy (the customer's payer, or the customer); `None`: the company default.
    pub policy_id: Option<i64>,
    /// A draft proposal duns it.
    pub in_draft: bool,
}

/// [`ExternalTarget`] of each of `installment_ids` found in the company (in id order; at most the
/// installments given: the callers give one installment, or those of one invoice).
pub async fn external_targets(
    tx: &mut Tx,
    company_id: i64,
    installment_ids: &[i64],
) -> anyhow::Result<Vec<ExternalTarget>> {
    let mut out = Vec::with_capacity(installment_ids.len());
    for chunk in installment_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(
            "SELECT i.id, d.number, d.kind, p.dunning_policy_id, CASE WHEN EXISTS (SELECT 1 FROM dunning_holds h \
             WHERE h.installment_id = i.id AND h.company_id = i.company_id) THEN 1 ELSE 0 END \
             AS in_draft FROM installments i JOIN documents d ON d.id = i.document_id \
             JOIN customers c ON c.id = i.customer_id LEFT JOIN customers p ON p.company_id = c.company_id \
             AND p.id = COALESCE(c.payer_id, c.id) WHERE i.company_id = ",
        );
        sql.bind(company_id).push(" AND i.id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" ORDER BY i.id");
        for r in sql.fetch_all(tx).await? {
            out.push(ExternalTarget {
                installment_id: row::int(&r, "id")?,
                document_number: row::text(&r, "number")?,
                document_kind: word(&r, "documents", "kind", DocumentKind::parse)?,
                policy_id: row::opt_int(&r, "dunning_policy_id")?,
                in_draft: row::flag(&r, "in_draft")?,
            });
        }
    }
    Ok(out)
}

/// A reminder made outside, for one installment.
pub struct External<'a> {
    pub installment_id: i64,
    pub level: i64,
    pub date: Date,
    pub channel: ExternalChannel,
    pub note: &'a str,
    pub level_before: i64,
    pub date_before: Option<Date>,
    /// Why a level was skipped (forced by the clerk), or empty.
    pub skip_reason: &'a str,
}

/// Records reminders made outside and gives each installment its level and date: one multi-row
/// `INSERT` and one `UPDATE … FROM (VALUES …)` per chunk. Returns `(installment id, reminder id)`.
pub async fn record_externals(
    tx: &mut Tx,
    company_id: i64,
    reminders: &[External<'_>],
    actor: &str,
) -> anyhow::Result<Vec<(i64, i64)>> {
    let now = tx.at()?;
    let mut ids = Vec::with_capacity(reminders.len());
    for chunk in reminders.chunks(batch_rows(11)) {
        let mut sql = Sql::new(
            "INSERT INTO dunning_external (company_id, installment_id, level, date, channel, note, level_before, \
             date_before, created_by, created_at, skip_reason) VALUES ",
        );
        for (i, e) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                e.installment_id.into(),
                e.level.into(),
                e.date.to_string().into(),
                e.channel.as_str().into(),
                e.note.into(),
                e.level_before.into(),
                e.date_before.map(|d| d.to_string()).into(),
                actor.into(),
                now.as_str().into(),
                e.skip_reason.into(),
            ]);
        }
        for r in sql.push(" RETURNING installment_id, id").fetch_all(tx).await? {
            ids.push((row::int(&r, "installment_id")?, row::int(&r, "id")?));
        }
    }
    for chunk in reminders.chunks(batch_rows(3)) {
        let mut sql =
            Sql::new("UPDATE installments SET dunning_level = v.column2, dunning_date = v.column3 FROM (VALUES ");
        for (i, e) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([e.installment_id.into(), e.level.into(), e.date.to_string().into()]);
        }
        sql.push(") AS v WHERE installments.id = v.column1 AND installments.company_id = ").bind(company_id);
        sql.execute(tx).await?;
    }
    Ok(ids)
}

/// One event of an installment's dunning history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub installment_id: i64,
    pub document_number: String,
    pub level: i64,
    pub date: Date,
    /// `letter` (issued by Créance) or `external`.
    pub source: HistorySource,
    pub letter_id: Option<i64>,
    pub letter_number: Option<String>,
    /// `email`, `letter`, `phone`, … (a letter's channel is `email` or `letter`).
    pub channel: ExternalChannel,
    /// `issued`, `withdrawn`, or `recorded` (external).
    pub status: HistoryStatus,
    /// Delivery status of the letter, if queued.
    pub delivery_status: Option<DeliveryStatus>,
    pub note: String,
}

/// Every level and date of the installments of a customer (as customer or payer) or of one installment.
pub async fn history(
    tx: &mut Tx,
    company_id: i64,
    customer_id: Option<i64>,
    installment_id: Option<i64>,
) -> anyhow::Result<Vec<HistoryEntry>> {
    let sql = history_sql(company_id, customer_id, installment_id);
    sql.fetch_all(tx).await?.iter().map(history_entry).collect()
}

/// [`history`] a page at a time, newest first, without counting it (the history of a large payer
/// grows with the years): `limit + 1` rows are read to tell whether more follow.
pub async fn history_page(
    tx: &mut Tx,
    company_id: i64,
    customer_id: Option<i64>,
    installment_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<HistoryEntry>, bool)> {
    let mut sql = history_sql(company_id, customer_id, installment_id);
    sql.push(" LIMIT ").bind(limit + 1).push(" OFFSET ").bind(offset);
    let mut out = sql.fetch_all(tx).await?.iter().map(history_entry).collect::<anyhow::Result<Vec<_>>>()?;
    let more = out.len() as i64 > limit;
    out.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((out, more))
}

/// The history's query, newest first: by date, then level, then installment, then source and row
/// (the letter's item, the external reminder), so that every row has one place and pages do not
/// overlap.
fn history_sql(company_id: i64, customer_id: Option<i64>, installment_id: Option<i64>) -> Sql {
    let scope = |sql: &mut Sql, col_installment: &str, col_customer: &str| {
        if let Some(i) = installment_id {
            sql.push(&format!(" AND {col_installment} = ")).bind(i);
        }
        if let Some(c) = customer_id {
            sql.push(&format!(" AND {col_customer} = ")).bind(c);
        }
    };
    let mut sql = Sql::new(
        "SELECT it.installment_id, it.reference AS document_number, it.new_level AS level, l.letter_date AS date, \
         'letter' AS source, l.id AS letter_id, l.number AS letter_number, l.channel, l.status, \
         (SELECT MAX(dv.status) FROM dunning_deliveries dv WHERE dv.company_id = l.company_id AND dv.letter_id = l.id) \
         AS delivery_status, l.withdraw_reason AS note, it.id AS row_id FROM dunning_items it JOIN dunning_letters l ON \
         l.company_id = it.company_id AND l.run_id = it.run_id AND l.payer_id = it.payer_id AND l.currency = it.currency \
         WHERE it.company_id = ",
    );
    sql.bind(company_id).push(" AND it.kind = 'due' AND it.status = 'active' AND l.status IN ('issued', 'withdrawn')");
    scope(&mut sql, "it.installment_id", "it.customer_id");
    sql.push(
        " UNION ALL SELECT e.installment_id, d.number, e.level, e.date, 'external', CAST(NULL AS BIGINT), \
         CAST(NULL AS TEXT), e.channel, 'recorded', CAST(NULL AS TEXT), e.note || CASE WHEN e.skip_reason = '' \
         THEN '' ELSE ' (level skipped: ' || e.skip_reason || ')' END, e.id FROM dunning_external e \
         JOIN installments i ON i.id = e.installment_id JOIN documents d ON d.id = i.document_id WHERE e.company_id = ",
    );
    sql.bind(company_id);
    scope(&mut sql, "e.installment_id", "i.customer_id");
    sql.push(" ORDER BY 4 DESC, 3 DESC, 1, 5, 12");
    sql
}

fn history_entry(r: &crate::AnyRow) -> anyhow::Result<HistoryEntry> {
    Ok(HistoryEntry {
        installment_id: row::int(r, "installment_id")?,
        document_number: row::text(r, "document_number")?,
        level: row::int(r, "level")?,
        date: row::date(r, "date")?,
        source: word(r, "dunning_letters, dunning_external", "source", HistorySource::parse)?,
        letter_id: row::opt_int(r, "letter_id")?,
        letter_number: row::opt_text(r, "letter_number")?,
        channel: word(r, "dunning_letters, dunning_external", "channel", ExternalChannel::parse)?,
        status: word(r, "dunning_letters, dunning_external", "status", HistoryStatus::parse)?,
        delivery_status: opt_word(r, "dunning_deliveries", "delivery_status", DeliveryStatus::parse)?,
        note: row::text(r, "note")?,
    })
}

/// One entry of the delivery queue.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub letter_id: i64,
    pub letter_number: String,
    pub channel: LetterChannel,
    pub address: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub last_error: String,
    pub queued_at: String,
    pub done_at: Option<String>,
    /// When a queued delivery is tried again after a failed attempt.
    pub next_attempt_at: Option<String>,
    /// Where it went: `smtp host:port (250 …)` or `outbox /path/file.eml`.
    pub sent_via: String,
    pub message_id: String,
}

pub async fn deliveries(
    tx: &mut Tx,
    company_id: i64,
    status: Option<DeliveryStatus>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Delivery>, i64)> {
    deliveries_where(tx, company_id, status, None, None, limit, offset).await
}

/// One delivery.
pub async fn delivery(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<Delivery>> {
    Ok(deliveries_where(tx, company_id, None, Some(id), None, 1, 0).await?.0.pop())
}

/// The deliveries of one letter, oldest first (a letter is queued once; at most `limit` are read).
pub async fn letter_deliveries(
    tx: &mut Tx,
    company_id: i64,
    letter_id: i64,
    limit: i64,
) -> anyhow::Result<Vec<Delivery>> {
    Ok(deliveries_where(tx, company_id, None, None, Some(letter_id), limit, 0).await?.0)
}

async fn deliveries_where(
    tx: &mut Tx,
    company_id: i64,
    status: Option<DeliveryStatus>,
    id: Option<i64>,
    letter_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Delivery>, i64)> {
    let mut filter = Sql::new(" WHERE dv.company_id = ");
    filter.bind(company_id);
    if let Some(s) = status {
        filter.push(" AND dv.status = ").bind(s.as_str());
    }
    if let Some(id) = id {
        filter.push(" AND dv.id = ").bind(id);
    }
    if let Some(letter_id) = letter_id {
        filter.push(" AND dv.letter_id = ").bind(letter_id);
    }
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM dunning_deliveries dv",
        "SELECT dv.id, dv.letter_id, l.number AS letter_number, dv.channel, dv.address, dv.status, dv.attempts, \
         dv.last_error, dv.queued_at, dv.done_at, dv.next_attempt_at, dv.sent_via, dv.message_id \
         FROM dunning_deliveries dv JOIN dunning_letters l ON l.id = dv.letter_id",
        &filter,
        " ORDER BY dv.id",
        limit,
        offset,
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Delivery {
                id: row::int(r, "id")?,
                letter_id: row::int(r, "letter_id")?,
                letter_number: row::opt_text(r, "letter_number")?.unwrap_or_default(),
                channel: word(r, "dunning_deliveries", "channel", LetterChannel::parse)?,
                address: row::text(r, "address")?,
                status: word(r, "dunning_deliveries", "status", DeliveryStatus::parse)?,
                attempts: row::int(r, "attempts")?,
                last_error: row::text(r, "last_error")?,
                queued_at: row::text(r, "queued_at")?,
                done_at: row::opt_text(r, "done_at")?,
                next_attempt_at: row::opt_text(r, "next_attempt_at")?,
                sent_via: row::text(r, "sent_via")?,
                message_id: row::text(r, "message_id")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .map(|d| (d, total))
}

/// Benchmark fixtures only: the open debits due on `due` take `level` and its `date`.
pub async fn set_levels_by_due_date(
    tx: &mut Tx,
    company_id: i64,
    due: Date,
    level: i64,
    date: Date,
) -> anyhow::Result<u64> {
    let n = Sql::new("UPDATE installments SET dunning_level = ")
        .bind(level)
        .push(", dunning_date = ")
        .bind(date.to_string())
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND due_date = ")
        .bind(due.to_string())
        .push(" AND side = 1 AND amount_open > 0")
        .execute(tx)
        .await?;
    Ok(n)
}
