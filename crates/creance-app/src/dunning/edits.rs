//! Edits of a draft letter (SPEC §4.6), one `Edit` applied in one transaction each, then the run's
//! totals and charges recomputed.

use creance_core::dunning::{ItemKind, ItemStatus, LetterStatus, RunStatus};
use creance_store::audit::{self, AuditEvent};
use creance_store::dunning_runs::{self as runs, Letter};
use creance_store::Tx;

use crate::payments::plain_text;
use crate::{Actor, App, AppError, DunningFault};

use super::rejections::{DunningRejection, RunAction};
use super::*;

/// A draft letter, read in a write transaction, with its run (which must be a draft).
pub(super) async fn draft_letter(tx: &mut Tx, company_id: i64, letter_id: i64) -> Result<Letter, AppError> {
    let l = runs::letter(tx, company_id, letter_id).await?.ok_or_else(|| not_found_letter(letter_id))?;
    let run = runs::run(tx, company_id, l.run_id, true).await?.ok_or_else(|| not_found_run(l.run_id))?;
    if run.status != RunStatus::Draft {
        return Err(
            DunningRejection::RunNotDraft { run_id: run.id, status: run.status, action: RunAction::Edit }.into()
        );
    }
    Ok(l)
}

impl App {
    /// Runs an edit of a draft letter in one transaction, then recomputes its run's totals and charges.
    async fn edit_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        edit: &Edit,
    ) -> Result<LetterDetail, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let l = draft_letter(&mut tx, company_id, letter_id).await?;
            let rules = Rules::load(&mut tx, company_id).await?;
            let summary = apply_edit(&mut tx, company_id, &l, &rules, actor, edit).await?;
            refresh_run(&mut tx, company_id, l.run_id, &rules).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), edit.action(), "dunning_letter", Some(letter_id))
                    .summary(format!("letter {} to {} ({}): {summary}", l.id, l.payer_number, l.currency)),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.dunning_letter(company_id, letter_id, actor.at().date()).await
    }

    /// Removes a payer's letter from a draft (its installments are free for another proposal).
    pub async fn remove_dunning_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        reason: &str,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", reason)?;
        let reason =
            if reason.trim().is_empty() { "removed by a clerk".to_string() } else { reason.trim().to_string() };
        self.edit_letter(actor, company_id, letter_id, &Edit::RemoveLetter(reason)).await
    }

    /// Puts a removed letter back into the draft.
    pub async fn restore_dunning_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
    ) -> Result<LetterDetail, AppError> {
        self.edit_letter(actor, company_id, letter_id, &Edit::RestoreLetter).await
    }

    /// Removes one installment from a draft letter (or puts it back with `restore`).
    pub async fn remove_dunning_item(
        &self,
        actor: &Actor,
        company_id: i64,
        item_id: i64,
        reason: &str,
        restore: bool,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", reason)?;
        let mut tx = self.db.begin_read().await?;
        let letter_id = runs::letter_of_item(&mut tx, company_id, item_id)
            .await?
            .ok_or(AppError::NotFound { entity: "dunning item", key: item_id.to_string() })?;
        drop(tx);
        let reason =
            if reason.trim().is_empty() { "removed by a clerk".to_string() } else { reason.trim().to_string() };
        self.edit_letter(actor, company_id, letter_id, &Edit::Item { item_id, reason, restore }).await
    }

    /// Changes a draft letter's level (SPEC §4.6). Down: each installment goes to the lower level but
    /// never below its current one. Up: skipping a level needs the policy's permission, `force` and a
    /// reason, all recorded with who did it.
    pub async fn change_dunning_level(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        change: &ChangeLevel,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", &change.reason)?;
        self.edit_letter(actor, company_id, letter_id, &Edit::Level(change.clone())).await
    }

    /// Edits one draft letter's texts (`None`: back to the policy's texts).
    pub async fn edit_dunning_texts(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        texts: Option<&Texts>,
    ) -> Result<LetterDetail, AppError> {
        if let Some(t) = texts {
            for (field, value) in [("subject", &t.subject), ("opening", &t.opening), ("closing", &t.closing)] {
                plain_text(field, value)?;
                creance_core::dunning::check_placeholders(value).map_err(bad_text(field))?;
            }
        }
        self.edit_letter(actor, company_id, letter_id, &Edit::Texts(texts.cloned())).await
    }

    /// Marks a draft letter to be issued without sending (`send` false), or to be sent again.
    pub async fn set_dunning_send(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        send: bool,
    ) -> Result<LetterDetail, AppError> {
        self.edit_letter(actor, company_id, letter_id, &Edit::Send(send)).await
    }
}

/// An edit of a draft letter.
pub(super) enum Edit {
    RemoveLetter(String),
    RestoreLetter,
    Item { item_id: i64, reason: String, restore: bool },
    Level(ChangeLevel),
    Texts(Option<Texts>),
    Send(bool),
}

impl Edit {
    fn action(&self) -> &'static str {
        match self {
            Edit::RemoveLetter(_) => "dunning.remove_letter",
            Edit::RestoreLetter => "dunning.restore_letter",
            Edit::Item { restore: false, .. } => "dunning.remove_item",
            Edit::Item { restore: true, .. } => "dunning.restore_item",
            Edit::Level(_) => "dunning.change_level",
            Edit::Texts(_) => "dunning.edit_texts",
            Edit::Send(_) => "dunning.mark_issued",
        }
    }
}

/// Applies an edit to a draft letter; returns what the audit event says.
pub(super) async fn apply_edit(
    tx: &mut Tx,
    company_id: i64,
    l: &Letter,
    rules: &Rules,
    actor: &Actor,
    edit: &Edit,
) -> Result<String, AppError> {
    match edit {
        Edit::RemoveLetter(reason) => {
            if !runs::set_letter_status(
                tx,
                company_id,
                l.id,
                &[LetterStatus::Draft, LetterStatus::LeftOut],
                LetterStatus::Removed,
                reason,
            )
            .await?
            {
                return Err(DunningRejection::LetterNotRemovable { letter_id: l.id, status: l.status }.into());
            }
            Ok(format!("removed: {reason}"))
        }
        Edit::RestoreLetter => {
            if !runs::set_letter_status(tx, company_id, l.id, &[LetterStatus::Removed], LetterStatus::Draft, "").await?
            {
                return Err(DunningRejection::LetterNotRemoved { letter_id: l.id, status: l.status }.into());
            }
            let taken = runs::items_taken_elsewhere(tx, company_id, l).await?;
            if !taken.is_empty() {
                return Err(DunningRejection::LetterItemsInOtherDraft { references: taken }.into());
            }
            Ok("put back".into())
        }
        Edit::Item { item_id, reason, restore } => {
            let (_, _, _, it) =
                runs::item(tx, company_id, *item_id).await?.ok_or_else(|| anyhow::anyhow!("item vanished"))?;
            if it.kind != ItemKind::Due {
                return Err(AppError::invalid_said(
                    "item_id",
                    DunningFault::ItemForInformation { item_id: *item_id, kind: it.kind },
                ));
            }
            let (from, to) = if *restore {
                (ItemStatus::Removed, ItemStatus::Active)
            } else {
                (ItemStatus::Active, ItemStatus::Removed)
            };
            if it.status != from {
                return Err(DunningRejection::ItemNotInStatus {
                    item_id: *item_id,
                    reference: it.reference,
                    status: it.status,
                    expected: from,
                }
                .into());
            }
            if *restore
                && runs::item_in_other_draft(tx, company_id, it.installment_id.unwrap_or_default(), *item_id).await?
            {
                return Err(DunningRejection::ItemInOtherDraft { reference: it.reference }.into());
            }
            runs::set_item_status(tx, company_id, *item_id, to, if *restore { "" } else { reason }).await?;
            Ok(if *restore {
                format!("{} put back", it.reference)
            } else {
                format!("{} removed: {reason}", it.reference)
            })
        }
        Edit::Level(change) => {
            let policy = rules.policy(l.policy_id)?;
            if change.level < 1 || change.level > policy.max_level() {
                return Err(AppError::invalid_said(
                    "level",
                    DunningFault::NotAPolicyLevel {
                        level: change.level,
                        policy: policy.code.clone(),
                        max: policy.max_level(),
                    },
                ));
            }
            let items = runs::items(tx, company_id, l).await?;
            let mut values = Vec::new();
            let mut skips = Vec::new();
            for it in items.iter().filter(|i| i.kind == ItemKind::Due) {
                let next = it.level_before + 1;
                let new = if change.level <= next { change.level.max(it.level_before).max(1) } else { change.level };
                if new > next {
                    skips.push((it.reference.clone(), it.level_before, new));
                }
                values.push((it.id, new));
            }
            let reason = change.reason.trim();
            if !skips.is_empty() {
                if !policy.allow_skip {
                    return Err(AppError::invalid_said(
                        "level",
                        DunningFault::LetterSkipNotAllowed {
                            level: change.level,
                            skips: skips.clone(),
                            policy: policy.code.clone(),
                        },
                    ));
                }
                if !change.force || reason.is_empty() {
                    return Err(AppError::invalid_said(
                        "force",
                        DunningFault::LetterSkipNotConfirmed { level: change.level, skips: skips.clone() },
                    ));
                }
            }
            runs::set_level(tx, company_id, l.id, change.level, actor.as_str(), reason, &values).await?;
            let skipped = if skips.is_empty() {
                String::new()
            } else {
                format!(
                    ", skipping for {}",
                    skips
                        .iter()
                        .map(|(r, from, to)| format!("{r} (level {from} to {to})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let why = if reason.is_empty() { String::new() } else { format!(": {reason}") };
            Ok(format!("level {} to {}{skipped}{why}", l.level, change.level))
        }
        Edit::Texts(Some(t)) => {
            runs::set_texts(tx, company_id, l.id, &t.subject, &t.opening, &t.closing, Some(actor.as_str())).await?;
            Ok("texts edited".into())
        }
        Edit::Texts(None) => {
            runs::set_texts(tx, company_id, l.id, "", "", "", None).await?;
            Ok("texts back to the policy's".into())
        }
        Edit::Send(send) => {
            runs::set_send(tx, company_id, l.id, *send).await?;
            Ok(if *send { "to be sent".into() } else { "to be issued without sending".into() })
        }
    }
}
