//! Proposing (SPEC §4.6): compute a run and its letters, list proposals, recompute or delete a draft.

use creance_core::dunning::RunStatus;
use creance_core::Date;
use creance_store::audit::{self, AuditEvent};
use creance_store::dunning_runs::{self as runs, LetterFilter};
use creance_store::Tx;

use crate::queries::{Listed, Page};
use crate::{Actor, App, AppError, Fault};

use super::rejections::{DunningRejection, RunAction};
use super::*;

/// Writes a proposal's run, candidates and letters with their totals and left-out reasons (no
/// charges): what the proposal and the "to generate" view share. Returns the run's id.
pub(crate) async fn compute_run(
    tx: &mut Tx,
    company_id: i64,
    c: &Criteria,
    r: &Resolved,
    rules: &Rules,
    actor: &Actor,
) -> Result<i64, AppError> {
    let criteria = serde_json::to_string(c).map_err(anyhow::Error::from)?;
    let run_id = runs::create_run(tx, company_id, r.as_of, &criteria, actor.as_str()).await?;
    let n = runs::insert_candidates(tx, company_id, run_id, r.as_of, &r.selection).await?;
    if n > 0 {
        runs::insert_letters(tx, company_id, run_id, rules.default_policy_id).await?;
    }
    let beyond = runs::insert_beyond_letters(tx, company_id, run_id, r.as_of, &r.selection).await?;
    if n > 0 || beyond > 0 {
        // What follows joins the rows just written: PostgreSQL plans it on fresh statistics.
        creance_store::analyze_in(tx, &["dunning_items", "dunning_holds", "dunning_letters"]).await?;
        let listing_not_due = rules.listing_not_due();
        runs::refresh_letters(tx, company_id, run_id, &r.refresh(&listing_not_due, true)).await?;
    }
    Ok(run_id)
}

impl App {
    /// Computes a proposal (SPEC §4.6) and saves it as a draft. When no payer can be dunned, nothing is
    /// saved (no empty draft): the answer has no run and lists the left-out payers.
    pub async fn propose_dunning(
        &self,
        actor: &Actor,
        company_id: i64,
        c: &Criteria,
        today: Date,
    ) -> Result<Proposal, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let rules = Rules::load(&mut tx, company_id).await?;
            let r = resolve(c, &rules, today)?;
            let run_id = compute_run(&mut tx, company_id, c, &r, &rules, actor).await?;
            let counts = runs::run_counts(&mut tx, company_id, run_id).await?;
            if counts.draft > 0 {
                compute_charges(&mut tx, company_id, run_id, r.as_of, r.selection.documents_to, &rules, true).await?;
            }
            let f = LetterFilter { run_id: Some(run_id), ..Default::default() };
            let (mut items, total_count) = runs::letters(&mut tx, company_id, &f, 100, 0).await?;
            runs::fill_days_late(&mut tx, company_id, &mut items).await?;
            if counts.draft == 0 {
                // Nothing to dun: the left-out list is the answer, and nothing is written.
                tx.rollback().await.map_err(anyhow::Error::from)?;
                for l in &mut items {
                    (l.id, l.run_id) = (0, 0);
                }
                return Ok(Proposal {
                    run: None,
                    counts: counts.into(),
                    letters: page_of(items, total_count, Page { limit: 100, offset: 0 }),
                });
            }
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.propose", "dunning_run", Some(run_id)).summary(
                    format!(
                        "proposal as of {}: {} letter(s), {} left out, {} installment(s)",
                        r.as_of, counts.draft, counts.left_out, counts.items
                    ),
                ),
            )
            .await?;
            // The answer is read in the same transaction: the counts are already known.
            let run = runs::run(&mut tx, company_id, run_id, false).await?.ok_or_else(|| not_found_run(run_id))?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(Proposal {
                run: Some(run.into()),
                counts: counts.into(),
                letters: page_of(items, total_count, Page { limit: 100, offset: 0 }),
            })
        })
        .await
    }

    /// A proposal with one page of its letters (`status`: only letters with that status).
    pub async fn dunning_proposal(
        &self,
        company_id: i64,
        id: i64,
        status: Option<&str>,
        page: Page,
    ) -> Result<Proposal, AppError> {
        let status = status.map(check_letter_status).transpose()?;
        let mut tx = self.db.begin_read().await?;
        let run = runs::run(&mut tx, company_id, id, false).await?.ok_or_else(|| not_found_run(id))?;
        let counts = runs::run_counts(&mut tx, company_id, id).await?;
        let f = LetterFilter { run_id: Some(id), status, ..Default::default() };
        let (mut items, total_count) = runs::letters(&mut tx, company_id, &f, page.limit, page.offset).await?;
        runs::fill_days_late(&mut tx, company_id, &mut items).await?;
        Ok(Proposal { run: Some(run.into()), counts: counts.into(), letters: page_of(items, total_count, page) })
    }

    pub async fn dunning_proposals(
        &self,
        company_id: i64,
        status: Option<&str>,
        page: Page,
    ) -> Result<Listed<view::Run>, AppError> {
        let status = status
            .map(|s| {
                RunStatus::parse(s).ok_or_else(|| {
                    AppError::invalid_said(
                        "status",
                        Fault::NotEither { text: s.to_string(), words: &["draft", "issued", "deleted"] },
                    )
                })
            })
            .transpose()?;
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = runs::runs(&mut tx, company_id, status, page.limit, page.offset).await?;
        Ok(page_of(items, total_count, page))
    }

    /// Recomputes a draft: installments paid or blocked since drop out, amounts and credits are
    /// brought up to date, the left-out rules and charges applied again; the clerk's edits stay.
    pub async fn recompute_dunning(&self, actor: &Actor, company_id: i64, run_id: i64) -> Result<Proposal, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let run = runs::run(&mut tx, company_id, run_id, true).await?.ok_or_else(|| not_found_run(run_id))?;
            if run.status != RunStatus::Draft {
                return Err(
                    DunningRejection::RunNotDraft { run_id, status: run.status, action: RunAction::Recompute }.into()
                );
            }
            let rules = Rules::load(&mut tx, company_id).await?;
            let dropped = runs::refresh_items(&mut tx, company_id, run_id, run.as_of).await?;
            refresh_run(&mut tx, company_id, run_id, &rules).await?;
            runs::set_run_status(&mut tx, company_id, run_id, RunStatus::Draft, RunStatus::Draft, actor.as_str())
                .await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.recompute", "dunning_run", Some(run_id))
                    .summary(format!("{dropped} installment(s) paid or blocked since dropped out")),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.dunning_proposal(company_id, run_id, None, Page { limit: 100, offset: 0 }).await
    }

    /// Deletes a draft proposal: its installments are free again. Nothing was issued, nothing changes.
    pub async fn delete_dunning_proposal(
        &self,
        actor: &Actor,
        company_id: i64,
        run_id: i64,
    ) -> Result<view::Run, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let run = runs::run(&mut tx, company_id, run_id, true).await?.ok_or_else(|| not_found_run(run_id))?;
            if !runs::set_run_status(&mut tx, company_id, run_id, RunStatus::Draft, RunStatus::Deleted, actor.as_str())
                .await?
            {
                return Err(
                    DunningRejection::RunNotDraft { run_id, status: run.status, action: RunAction::Delete }.into()
                );
            }
            runs::release_run(&mut tx, company_id, run_id).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.delete", "dunning_run", Some(run_id))
                    .summary(format!("draft proposal as of {} deleted", run.as_of)),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        let mut tx = self.db.begin_read().await?;
        Ok(runs::run(&mut tx, company_id, run_id, false).await?.ok_or_else(|| not_found_run(run_id))?.into())
    }
}
