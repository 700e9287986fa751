//! Reading the audit trail the use cases write (issue 14 point 7): a company's log filtered by user,
//! kind and dates, and the trail of one thing (a customer, a dunning letter). Actors are named: a
//! web user's `user:ID` by the user's name.

use std::collections::HashMap;

use creance_core::{Date, Timestamp};
use creance_store::audit::{self, AuditFilter};
use creance_store::users;

use crate::queries::{Page, Paged};
use crate::{App, AppError, Fault};

/// One event of the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// As recorded: `user:3`, `token:2`, `cli`, `serve --demo`…
    pub actor: String,
    /// The user's name for `user:ID`, when the user exists.
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
}

/// The log's filters as given (query parameters): `user_id`, `action` (an action, or a family ending
/// in a dot), the days `from` and `to` (inclusive, UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct AuditArgs {
    pub user_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The most events one thing's trail shows (newest first).
pub const TRAIL_MAX: i64 = 50;

impl AuditArgs {
    fn filter(&self) -> Result<AuditFilter, AppError> {
        let user = crate::query_args::int("user_id", &self.user_id)?;
        let from = crate::query_args::date("from", &self.from)?;
        let to = crate::query_args::date("to", &self.to)?;
        let action = crate::query_args::text(&self.action);
        if let Some(a) = &action {
            crate::payments::plain_text("action", a)?;
        }
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err(AppError::invalid_said("to", Fault::DateBefore { date: t, earliest: f }));
            }
        }
        let start = |d: Date| Timestamp::start_of(d).to_string();
        Ok(AuditFilter {
            actor: user.map(|id| format!("user:{id}")),
            action,
            entity: None,
            from: from.map(start),
            before: to.map(|d| start(d.add_days(1))),
        })
    }
}

impl App {
    /// A company's audit log, newest first, a page at a time (not counted: it grows with the years).
    pub async fn audit_log(
        &self,
        company_id: i64,
        args: &AuditArgs,
        page: Page,
    ) -> Result<Paged<AuditEntry>, AppError> {
        let filter = args.filter()?;
        let mut tx = self.db.begin_read().await?;
        let (rows, more) = audit::list(&mut tx, company_id, &filter, page.limit, page.offset).await?;
        let items = named(&mut tx, rows).await?;
        Ok(Paged { items, more, limit: page.limit, offset: page.offset })
    }

    /// The latest [`TRAIL_MAX`] events of one thing (`entity`: `customer`, `dunning_letter`…).
    pub async fn audit_of(&self, company_id: i64, entity: &str, id: i64) -> Result<Vec<AuditEntry>, AppError> {
        let filter = AuditFilter { entity: Some((entity.to_string(), id)), ..Default::default() };
        let mut tx = self.db.begin_read().await?;
        let (rows, _) = audit::list(&mut tx, company_id, &filter, TRAIL_MAX, 0).await?;
        named(&mut tx, rows).await
    }

    /// The kinds of event recorded lately in a company (the log's filter choices).
    pub async fn audit_actions(&self, company_id: i64) -> Result<Vec<String>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(audit::actions(&mut tx, company_id).await?)
    }
}

/// The rows with their actors named (one read of the users involved).
async fn named(tx: &mut creance_store::Tx, rows: Vec<audit::AuditRow>) -> Result<Vec<AuditEntry>, AppError> {
    let user_of = |actor: &str| actor.strip_prefix("user:").and_then(|id| id.parse::<i64>().ok());
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| user_of(&r.actor)).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = users::get_many(tx, &ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            actor_name: user_of(&r.actor).and_then(|id| names.get(&id).cloned()),
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            summary: r.summary,
        })
        .collect())
}
