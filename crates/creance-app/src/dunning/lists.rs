//! Dunning views that take a proposal's criteria (SPEC §4.6): "to generate" (the letters a proposal
//! would make, computed and rolled back) and the installments beyond the last level.

use creance_core::{Date, Timestamp};
use creance_store::dunning_runs as runs;
pub use creance_store::dunning_runs::ToGenerateTotal;

use super::{compute_run, page_of, resolve, Criteria, Rules};
use crate::queries::{Listed, Page};
use crate::views::dunning::{BeyondLastLevel, ToGenerate};
use crate::{Actor, App, AppError};

impl App {
    /// Payers with installments eligible now, grouped by payer and currency: the draft letters a
    /// proposal with the same criteria would make, read without writing (the store applies the
    /// proposal's rules in the same SQL terms; a test holds the two together on the demo data).
    pub async fn dunning_to_generate(
        &self,
        company_id: i64,
        c: &Criteria,
        today: Date,
        page: Page,
    ) -> Result<Listed<ToGenerate>, AppError> {
        Ok(self.dunning_to_generate_with_totals(company_id, c, today, page).await?.0)
    }

    /// [`App::dunning_to_generate`] and its totals per currency over every row (the payers, the
    /// installments, their open amount), read in the same statement as the page.
    pub async fn dunning_to_generate_with_totals(
        &self,
        company_id: i64,
        c: &Criteria,
        today: Date,
        page: Page,
    ) -> Result<(Listed<ToGenerate>, Vec<ToGenerateTotal>), AppError> {
        let mut tx = self.db.begin_read().await?;
        let rules = Rules::load(&mut tx, company_id).await?;
        let r = resolve(c, &rules, today)?;
        let listing_not_due = rules.listing_not_due();
        let refresh = r.refresh(&listing_not_due, true);
        if let Some(l) = runs::to_generate(&mut tx, company_id, &r.selection, &refresh, page.limit, page.offset).await?
        {
            return Ok((page_of(l.items, l.total_count, page), l.totals));
        }
        drop(tx);
        // Totals that could overflow: the proposal itself, computed and rolled back, leaves the payers
        // concerned out (`amount_too_large`).
        self.with_retry(|| async {
            // Nothing of it stays: stamped at the start of the as-of day.
            let actor = Actor::new("to-generate", Timestamp::start_of(today));
            let mut tx = self.db.begin_write(actor.at()).await?;
            let run_id = compute_run(&mut tx, company_id, c, &r, &rules, &actor).await?;
            let l = runs::drafts_to_generate(&mut tx, company_id, run_id, page.limit, page.offset).await?;
            tx.rollback().await.map_err(anyhow::Error::from)?;
            Ok((page_of(l.items, l.total_count, page), l.totals))
        })
        .await
    }

    /// Installments beyond their policy's last level (which does not repeat), whose last level's delay
    /// has passed: the list for legal follow-up (SPEC §4.6), with the proposal's criteria.
    pub async fn dunning_beyond_last_level(
        &self,
        company_id: i64,
        c: &Criteria,
        today: Date,
        page: Page,
    ) -> Result<Listed<BeyondLastLevel>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let rules = Rules::load(&mut tx, company_id).await?;
        let r = resolve(c, &rules, today)?;
        let (items, total_count) =
            runs::beyond_last_level(&mut tx, company_id, r.as_of, &r.selection, page.limit, page.offset).await?;
        Ok(page_of(items, total_count, page))
    }
}
