//! Reading letters: one letter with its rows and rendered texts, by id or number; letters across proposals.

use creance_core::dunning::ItemKind;
use creance_core::Date;
use creance_store::companies;
use creance_store::dunning_runs as runs;
/// The letters list's filters: plain query parameters, passed through to the store as they are.
pub use creance_store::dunning_runs::LetterFilter;

use crate::queries::{Listed, Page};
use crate::{App, AppError};

use super::*;

impl App {
    /// One letter with its rows and its texts as they will print.
    pub async fn dunning_letter(&self, company_id: i64, id: i64, today: Date) -> Result<LetterDetail, AppError> {
        let mut tx = self.db.begin_read().await?;
        let mut letter = runs::letter(&mut tx, company_id, id).await?.ok_or_else(|| not_found_letter(id))?;
        runs::fill_days_late(&mut tx, company_id, std::slice::from_mut(&mut letter)).await?;
        let mut items = runs::items(&mut tx, company_id, &letter).await?;
        let rules = Rules::load(&mut tx, company_id).await?;
        let company = companies::get(&mut tx, company_id).await?.ok_or_else(|| anyhow::anyhow!("company"))?;
        let run =
            runs::run(&mut tx, company_id, letter.run_id, false).await?.ok_or_else(|| not_found_run(letter.run_id))?;
        if !letter.status.is_frozen() {
            // Until issued, what a letter lists besides its dunned installments is read as it is now.
            let listed = runs::context_items(
                &mut tx,
                company_id,
                &letter,
                run.as_of,
                documents_to(&run),
                &rules.beyond_cutoffs(run.as_of),
            )
            .await?;
            let at = items.iter().position(|i| i.kind != ItemKind::Due).unwrap_or(items.len());
            items.splice(at..at, listed);
        }
        let oldest = oldest_dunned(&items);
        let preview = rendered(&company.name, &letter, oldest, rules.policy(letter.policy_id)?, today.max(run.as_of))?;
        Ok(LetterDetail { letter: letter.into(), items: items.into_iter().map(Into::into).collect(), preview })
    }

    pub async fn dunning_letter_by_number(
        &self,
        company_id: i64,
        number: &str,
        today: Date,
    ) -> Result<LetterDetail, AppError> {
        let mut tx = self.db.begin_read().await?;
        let id = runs::letter_by_number(&mut tx, company_id, number)
            .await?
            .ok_or(AppError::NotFound { entity: "dunning letter", key: number.to_string() })?;
        drop(tx);
        self.dunning_letter(company_id, id, today).await
    }

    /// A draft letter's texts as they are stored: the clerk's edit, or its policy's for its level and
    /// language (with the placeholders, not the preview).
    pub async fn dunning_letter_texts(&self, company_id: i64, id: i64) -> Result<Texts, AppError> {
        let mut tx = self.db.begin_read().await?;
        let l = runs::letter(&mut tx, company_id, id).await?.ok_or_else(|| not_found_letter(id))?;
        if l.texts_edited_by.is_some() {
            return Ok(Texts { subject: l.subject, opening: l.opening, closing: l.closing });
        }
        let policies = policies_store::policies(&mut tx, company_id).await?;
        let text = policies.iter().find(|p| p.id == l.policy_id).and_then(|p| p.text(l.level, &l.language));
        Ok(match text {
            Some(t) => Texts { subject: t.subject.clone(), opening: t.opening.clone(), closing: t.closing.clone() },
            None => Texts { subject: String::new(), opening: String::new(), closing: String::new() },
        })
    }

    /// Letters across proposals: by status, payer or customer, or "in progress" (issued, with a
    /// dunned installment still open). `status` (a letter status word) replaces the filter's.
    pub async fn dunning_letters(
        &self,
        company_id: i64,
        status: Option<&str>,
        filter: &LetterFilter,
        page: Page,
    ) -> Result<Listed<view::Letter>, AppError> {
        let filter = LetterFilter { status: status.map(check_letter_status).transpose()?, ..filter.clone() };
        let mut tx = self.db.begin_read().await?;
        let (mut items, total_count) = runs::letters(&mut tx, company_id, &filter, page.limit, page.offset).await?;
        runs::fill_days_late(&mut tx, company_id, &mut items).await?;
        Ok(page_of(items, total_count, page))
    }
}
