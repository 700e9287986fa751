//! The audit trail (SPEC §3): who, when, what, before/after, for every change.

use crate::{batch_rows, Sql, Tx, Value};

/// One audit event, written in the same transaction as the change it describes.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub company_id: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

impl<'a> AuditEvent<'a> {
    pub fn new(
        company_id: i64,
        actor: &'a str,
        action: &'a str,
        entity: &'a str,
        entity_id: Option<i64>,
    ) -> AuditEvent<'a> {
        AuditEvent {
            company_id,
            actor,
            action,
            entity,
            entity_id,
            summary: String::new(),
            before_json: None,
            after_json: None,
        }
    }

    /// A one-line description for people reading the trail.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }

    /// The entity before and after the change, as JSON.
    pub fn change(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before_json = before;
        self.after_json = after;
        self
    }
}

const INSERT: &str =
    "INSERT INTO audit_events (company_id, at, actor, action, entity, entity_id, summary, before_json, after_json) VALUES ";

fn values(event: &AuditEvent<'_>, at: &str) -> [Value; 9] {
    [
        event.company_id.into(),
        at.into(),
        event.actor.into(),
        event.action.into(),
        event.entity.into(),
        event.entity_id.into(),
        event.summary.clone().into(),
        event.before_json.clone().into(),
        event.after_json.clone().into(),
    ]
}

pub async fn record(tx: &mut Tx, event: &AuditEvent<'_>) -> anyhow::Result<()> {
    Sql::new(INSERT).bind_tuple(values(event, &tx.at()?)).execute(tx).await?;
    Ok(())
}

/// Records events in multi-row statements (one per [`batch_rows`] events), in their order.
pub async fn record_many(tx: &mut Tx, events: &[AuditEvent<'_>]) -> anyhow::Result<()> {
    let at = tx.at()?;
    for chunk in events.chunks(batch_rows(9)) {
        let mut sql = Sql::new(INSERT);
        for (i, event) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple(values(event, &at));
        }
        sql.execute(tx).await?;
    }
    Ok(())
}

/// An audit event as read back (the before/after documents are not read: the trail pages show the
/// summary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
}

/// Which events of a company a trail reads. `action` is an action (`payment.record`) or, ending in
/// a dot, a family of them (`payment.`); instants are compared as the stored RFC 3339 texts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<(String, i64)>,
    /// From this instant (inclusive).
    pub from: Option<String>,
    /// Before this instant (exclusive).
    pub before: Option<String>,
}

/// The events `f` selects, newest first, a page at a time without counting them: `limit + 1` rows
/// are read to tell whether more follow (`audit_events_at` in order, or `audit_events_entity`).
pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &AuditFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<AuditRow>, bool)> {
    let mut sql =
        Sql::new("SELECT id, at, actor, action, entity, entity_id, summary FROM audit_events WHERE company_id = ");
    sql.bind(company_id);
    if let Some(a) = &f.actor {
        sql.push(" AND actor = ").bind(a.as_str());
    }
    match f.action.as_deref() {
        Some(family) if family.ends_with('.') => {
            // A prefix range rather than LIKE: no wildcard in the user's text to escape.
            sql.push(" AND action >= ").bind(family).push(" AND action < ").bind(format!("{family}\u{10ffff}"));
        }
        Some(action) => {
            sql.push(" AND action = ").bind(action);
        }
        None => {}
    }
    if let Some((entity, id)) = &f.entity {
        sql.push(" AND entity = ").bind(entity.as_str()).push(" AND entity_id = ").bind(*id);
    }
    if let Some(from) = &f.from {
        sql.push(" AND at >= ").bind(from.as_str());
    }
    if let Some(before) = &f.before {
        sql.push(" AND at < ").bind(before.as_str());
    }
    sql.push(" ORDER BY at DESC, id DESC LIMIT ").bind(limit + 1).push(" OFFSET ").bind(offset);
    let rows = sql.fetch_all(tx).await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(AuditRow {
                id: crate::row::int(r, "id")?,
                at: crate::row::text(r, "at")?,
                actor: crate::row::text(r, "actor")?,
                action: crate::row::text(r, "action")?,
                entity: crate::row::text(r, "entity")?,
                entity_id: crate::row::opt_int(r, "entity_id")?,
                summary: crate::row::text(r, "summary")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let more = out.len() as i64 > limit;
    out.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((out, more))
}

/// The most recent events [`actions`] looks at.
pub const ACTIONS_WINDOW: i64 = 10_000;

/// The actions among a company's [`ACTIONS_WINDOW`] latest events, for the trail's filter (a kind
/// seen only earlier is still filtered by its name; the bound keeps the read small on a long trail).
pub async fn actions(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<String>> {
    let rows = Sql::new("SELECT DISTINCT action FROM (SELECT action FROM audit_events WHERE company_id = ")
        .bind(company_id)
        .push(" ORDER BY at DESC, id DESC LIMIT ")
        .bind(ACTIONS_WINDOW)
        .push(") recent ORDER BY action")
        .fetch_all(tx)
        .await?;
    rows.iter().map(|r| crate::row::text(r, "action")).collect()
}
