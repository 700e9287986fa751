//! Reminders made outside Créance (SPEC §4.6), an installment's or customer's dunning history, and
//! the delivery queue.

use creance_core::dunning::{DeliveryStatus, ExternalChannel};
use std::collections::HashMap;

use creance_core::Date;
use creance_store::audit::{self, AuditEvent};
use creance_store::customers;
use creance_store::documents;
use creance_store::dunning_runs as runs;

use crate::payments::plain_text;
use crate::queries::{Listed, Page, Paged};
use crate::{Actor, App, AppError, DunningFault, Fault, Thing};

use super::rejections::ExternalReminderRejection;
use super::*;

impl App {
    /// Records a reminder made outside Créance (SPEC §4.6): the installment takes that level and date,
    /// so the next level becomes possible. The level may not go down (withdraw a letter for that),
    /// nor beyond the policy's last level; the date may not be in the future nor before the due date.
    pub async fn record_external_reminder(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &RecordExternal,
        today: Date,
    ) -> Result<ExternalRecorded, AppError> {
        let date = crate::query_args::date("date", &Some(input.date.clone()))?
            .ok_or_else(|| AppError::invalid_said("date", DunningFault::DateRequired))?;
        if date > today {
            return Err(AppError::invalid_said("date", DunningFault::DateInFuture { date }));
        }
        let channel = ExternalChannel::parse(&input.channel).ok_or_else(|| {
            AppError::invalid_said(
                "channel",
                Fault::NotOneOf { text: input.channel.clone(), known: ExternalChannel::words() },
            )
        })?;
        plain_text("note", &input.note)?;
        plain_text("reason", &input.reason)?;
        if input.level < 1 {
            return Err(AppError::invalid_said("level", DunningFault::LevelBelowOne { level: input.level }));
        }
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let rules = Rules::load(&mut tx, company_id).await?;
            let targets: Vec<documents::Installment> = match (input.installment_id, &input.document_number) {
                (Some(id), None) => {
                    vec![documents::get_installment(&mut tx, company_id, id).await?.ok_or_else(|| {
                        AppError::invalid_said(
                            "installment_id",
                            Fault::NoSuch { thing: Thing::Installment, key: id.to_string() },
                        )
                    })?]
                }
                (None, Some(number)) => {
                    let docs = documents::by_numbers(&mut tx, company_id, std::slice::from_ref(number)).await?;
                    let doc = docs.into_iter().find(|d| d.kind.is_debit()).ok_or_else(|| {
                        AppError::invalid_said("document_number", DunningFault::NoInvoice { number: number.clone() })
                    })?;
                    let open: Vec<_> = doc.installments.into_iter().filter(|i| i.amount_open.is_positive()).collect();
                    if open.is_empty() {
                        return Err(AppError::invalid_said(
                            "document_number",
                            DunningFault::NothingOpen { number: number.clone() },
                        ));
                    }
                    open
                }
                _ => return Err(AppError::invalid_said("installment_id", DunningFault::InstallmentOrDocument)),
            };
            // What the rules need of every installment, in one query; then every check before any write.
            let installment_ids: Vec<i64> = targets.iter().map(|i| i.id).collect();
            let found: HashMap<i64, runs::ExternalTarget> =
                runs::external_targets(&mut tx, company_id, &installment_ids)
                    .await?
                    .into_iter()
                    .map(|t| (t.installment_id, t))
                    .collect();
            let note = input.note.trim();
            let mut reminders = Vec::with_capacity(targets.len());
            let mut summaries = Vec::with_capacity(targets.len());
            for inst in &targets {
                let doc = found.get(&inst.id).ok_or_else(|| anyhow::anyhow!("installment {} vanished", inst.id))?;
                let number = &doc.document_number;
                if !doc.document_kind.is_debit() {
                    return Err(AppError::invalid_said(
                        "installment_id",
                        DunningFault::IsACreditNote { number: number.clone() },
                    ));
                }
                let policy = rules.policy(doc.policy_id.unwrap_or(rules.default_policy_id))?;
                if input.level > policy.max_level() {
                    return Err(AppError::invalid_said(
                        "level",
                        DunningFault::PolicyLevels { policy: policy.code.clone(), levels: policy.max_level() },
                    ));
                }
                if input.level < inst.dunning_level {
                    return Err(AppError::invalid_said(
                        "level",
                        DunningFault::LevelNeverDown { number: number.clone(), level: inst.dunning_level },
                    ));
                }
                // The same rule as a proposal: level L needs level L − 1, unless the policy allows
                // skipping and the clerk forces it with a reason.
                let skip_reason = input.reason.trim();
                if input.level > inst.dunning_level + 1 {
                    let (level, number, at) = (input.level, number.clone(), inst.dunning_level);
                    if !policy.allow_skip {
                        return Err(AppError::invalid_said(
                            "level",
                            DunningFault::SkipNotAllowed { level, number, at, policy: policy.code.clone() },
                        ));
                    }
                    if !input.force || skip_reason.is_empty() {
                        return Err(AppError::invalid_said(
                            "force",
                            DunningFault::SkipNotConfirmed { level, number, at },
                        ));
                    }
                }
                let skip_reason = if input.level > inst.dunning_level + 1 { skip_reason } else { "" };
                if date <= inst.due_date {
                    return Err(AppError::invalid_said(
                        "date",
                        DunningFault::DateNotAfterDue { date, number: number.clone(), due: inst.due_date },
                    ));
                }
                if doc.in_draft {
                    return Err(ExternalReminderRejection::InDraftProposal { number: number.clone() }.into());
                }
                summaries.push(format!(
                    "{number} level {} on {date} by {} (was level {}){}{}",
                    input.level,
                    input.channel,
                    inst.dunning_level,
                    if skip_reason.is_empty() { String::new() } else { format!(", skipping forced: {skip_reason}") },
                    if note.is_empty() { String::new() } else { format!(": {note}") }
                ));
                reminders.push(runs::External {
                    installment_id: inst.id,
                    level: input.level,
                    date,
                    channel,
                    note,
                    level_before: inst.dunning_level,
                    date_before: inst.dunning_date,
                    skip_reason,
                });
            }
            let written: HashMap<i64, i64> =
                runs::record_externals(&mut tx, company_id, &reminders, actor.as_str()).await?.into_iter().collect();
            let ids = installment_ids
                .iter()
                .map(|i| written.get(i).copied().ok_or_else(|| anyhow::anyhow!("reminder for {i} not written")))
                .collect::<Result<Vec<i64>, _>>()?;
            // One event for the use case: on the installment, or on the invoice whose installments these are.
            let (entity, entity_id) = match targets.as_slice() {
                [one] => ("installment", one.id),
                more => ("document", more.first().map_or(0, |i| i.document_id)),
            };
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.record_external", entity, Some(entity_id))
                    .summary(summaries.join("; ")),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(ExternalRecorded { ids, installments: targets.iter().map(|i| i.id).collect(), level: input.level, date })
        })
        .await
    }

    /// Dunning history of a customer (as customer or payer) or of one installment: every level and
    /// date, with the letter, channel and status.
    pub async fn dunning_history(
        &self,
        company_id: i64,
        customer_id: Option<i64>,
        installment_id: Option<i64>,
    ) -> Result<Vec<view::HistoryEntry>, AppError> {
        let mut tx = self.db.begin_read().await?;
        history_scope_exists(&mut tx, company_id, customer_id, installment_id).await?;
        let history = runs::history(&mut tx, company_id, customer_id, installment_id).await?;
        Ok(history.into_iter().map(Into::into).collect())
    }

    /// [`App::dunning_history`] a page at a time, newest first, not counted (`more`: later pages
    /// follow), for the history page of a payer with years of reminders.
    pub async fn dunning_history_page(
        &self,
        company_id: i64,
        customer_id: Option<i64>,
        installment_id: Option<i64>,
        page: Page,
    ) -> Result<Paged<view::HistoryEntry>, AppError> {
        let mut tx = self.db.begin_read().await?;
        history_scope_exists(&mut tx, company_id, customer_id, installment_id).await?;
        let (rows, more) =
            runs::history_page(&mut tx, company_id, customer_id, installment_id, page.limit, page.offset).await?;
        Ok(Paged { items: rows.into_iter().map(Into::into).collect(), more, limit: page.limit, offset: page.offset })
    }

    pub async fn dunning_deliveries(
        &self,
        company_id: i64,
        status: Option<&str>,
        page: Page,
    ) -> Result<Listed<view::Delivery>, AppError> {
        let status = status
            .map(|s| {
                DeliveryStatus::parse(s).ok_or_else(|| {
                    AppError::invalid_said(
                        "status",
                        Fault::NotOneOf { text: s.to_string(), known: DeliveryStatus::words() },
                    )
                })
            })
            .transpose()?;
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = runs::deliveries(&mut tx, company_id, status, page.limit, page.offset).await?;
        Ok(page_of(items, total_count, page))
    }
}

/// The customer and the installment a history is asked for, found in the company (404 else).
async fn history_scope_exists(
    tx: &mut creance_store::Tx,
    company_id: i64,
    customer_id: Option<i64>,
    installment_id: Option<i64>,
) -> Result<(), AppError> {
    if let Some(c) = customer_id {
        customers::get(tx, company_id, c)
            .await?
            .ok_or(AppError::NotFound { entity: "customer", key: c.to_string() })?;
    }
    if let Some(i) = installment_id {
        documents::get_installment(tx, company_id, i)
            .await?
            .ok_or(AppError::NotFound { entity: "installment", key: i.to_string() })?;
    }
    Ok(())
}
