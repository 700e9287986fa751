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
