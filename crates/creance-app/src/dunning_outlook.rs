//! Reads the Relances screens need besides the dunning use cases (SPEC §4.6): what issuing a draft
//! proposal will make — letters, e-mails, prints, letters issued without sending — for the
//! confirmation the clerk reads before issuing; the totals per currency of a proposal's letters of
//! one status (its dashboard's footer) and of the letters in progress (the Relances tab's footer); and the deliveries of one letter (to resend a failed e-mail
//! from the letter's page). Each is one set-based query; nothing is written.

use creance_core::dunning::{LetterStatus, RunStatus};
use creance_store::dunning::history;
pub use creance_store::dunning::outlook::{IssueOutlook, LetterTotal};
use creance_store::dunning_runs as runs;

use crate::views::dunning::Delivery;
use crate::{App, AppError};

/// The most deliveries shown for one letter (a letter is queued once; a resend reuses its delivery).
const LETTER_DELIVERIES_MAX: i64 = 20;

impl App {
    /// What issuing draft proposal `run_id` will make now (its draft letters by channel). A proposal
    /// that is not a draft is not found here: there is nothing left to issue.
    pub async fn dunning_issue_outlook(&self, company_id: i64, run_id: i64) -> Result<IssueOutlook, AppError> {
        let mut tx = self.db.begin_read().await?;
        let run = runs::run(&mut tx, company_id, run_id, false)
            .await?
            .filter(|r| r.status == RunStatus::Draft)
            .ok_or(AppError::NotFound { entity: "draft dunning proposal", key: run_id.to_string() })?;
        Ok(creance_store::dunning::outlook::issue_outlook(&mut tx, company_id, run.id).await?)
    }

    /// The totals per currency of proposal `run_id`'s letters with `status` (every one of them).
    pub async fn dunning_letter_totals(
        &self,
        company_id: i64,
        run_id: i64,
        status: LetterStatus,
    ) -> Result<Vec<LetterTotal>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(creance_store::dunning::outlook::letter_totals(&mut tx, company_id, run_id, status).await?)
    }

    /// The totals per currency of the letters in progress (issued, a dunned installment still open),
    /// every one of them: the footer of the Relances tab's list.
    pub async fn dunning_in_progress_totals(&self, company_id: i64) -> Result<Vec<LetterTotal>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(creance_store::dunning::outlook::in_progress_totals(&mut tx, company_id).await?)
    }

    /// The deliveries of letter `letter_id`, oldest first.
    pub async fn dunning_letter_deliveries(&self, company_id: i64, letter_id: i64) -> Result<Vec<Delivery>, AppError> {
        let mut tx = self.db.begin_read().await?;
        runs::letter(&mut tx, company_id, letter_id)
            .await?
            .ok_or(AppError::NotFound { entity: "dunning letter", key: letter_id.to_string() })?;
        let rows = history::letter_deliveries(&mut tx, company_id, letter_id, LETTER_DELIVERIES_MAX).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
