//! A level's letter previewed before anything is issued (`GET /api/v1/dunning/policies/{id}/levels/
//! {level}/preview.pdf`, and the settings screen's live preview of texts being edited): for a payer
//! (its overdue open items, in the policy's currency) or for a sample payer with sample items. Moved
//! here from `letter.rs` when the settings screen needed the preview of unsaved texts (issue 14).

use std::collections::HashMap;

use creance_core::dunning as core_dunning;
use creance_core::{Date, Language, Money};
use creance_render::letter::{DunnedRow, LetterDoc};
use creance_store::{customers, open_items, printing};

use super::letter::Context;
use super::{postal, reader_locale, rendered, Pdf};
use crate::dunning::Texts;
use crate::payments::plain_text;
use crate::{App, AppError};

impl App {
    /// A level's letter as a marked preview, before anything is issued: for a payer (its overdue
    /// open items, in the policy's currency) or, without one, for a sample payer with sample items.
    pub async fn dunning_level_preview_pdf(
        &self,
        company_id: i64,
        policy_id: i64,
        level: i64,
        payer_id: Option<i64>,
        today: Date,
    ) -> Result<Pdf, AppError> {
        self.level_preview(company_id, policy_id, level, payer_id, None, today).await
    }

    /// A level's letter as a marked preview in `language` with texts not saved yet (the settings
    /// screen previews what is being typed), for a sample payer speaking `language`. A text with an
    /// unknown placeholder or a control character is refused naming `subject`, `opening` or `closing`.
    pub async fn dunning_level_texts_preview_pdf(
        &self,
        company_id: i64,
        policy_id: i64,
        level: i64,
        language: Language,
        texts: &Texts,
        today: Date,
    ) -> Result<Pdf, AppError> {
        for (name, v) in [("subject", &texts.subject), ("opening", &texts.opening), ("closing", &texts.closing)] {
            plain_text(name, v)?;
            core_dunning::check_placeholders(v).map_err(|e| AppError::invalid_said(name, e))?;
        }
        self.level_preview(company_id, policy_id, level, None, Some((language, texts)), today).await
    }

    async fn level_preview(
        &self,
        company_id: i64,
        policy_id: i64,
        level: i64,
        payer_id: Option<i64>,
        edited: Option<(Language, &Texts)>,
        today: Date,
    ) -> Result<Pdf, AppError> {
        let mut tx = self.db.begin_read().await?;
        let ctx = Context::load(&mut tx, company_id).await?;
        let policy = ctx.policy(policy_id)?.clone();
        let Some(policy_level) = policy.level(level) else {
            return Err(AppError::NotFound {
                entity: "dunning level",
                key: format!("{level} of policy {}", policy.code),
            });
        };
        let currency = policy.currency;
        let (payer, rows) = match payer_id {
            Some(id) => {
                let c = customers::get(&mut tx, company_id, id)
                    .await?
                    .ok_or(AppError::NotFound { entity: "customer", key: id.to_string() })?;
                let mut f = open_items::OpenItemFilter::new(today);
                f.payer_id = Some(id);
                f.overdue = true;
                f.side = Some(open_items::Side::Debit);
                f.currency = Some(currency);
                let (items, _) = open_items::list(&mut tx, company_id, &f, &[], 500, 0).await?;
                let texts: HashMap<i64, String> = if ctx.house.print_item_texts {
                    let ids: Vec<i64> = items.iter().map(|i| i.document_id).collect();
                    printing::document_texts(&mut tx, company_id, &ids).await?.into_iter().collect()
                } else {
                    HashMap::new()
                };
                let rows = items
                    .into_iter()
                    .map(|i| DunnedRow {
                        document_number: i.document_number,
                        document_date: i.document_date,
                        due_date: i.due_date,
                        amount_original: i.amount,
                        amount_open: i.amount_open,
                        days_overdue: i.days_overdue,
                        level: u32::try_from(level).unwrap_or(0),
                        text: texts.get(&i.document_id).cloned(),
                    })
                    .collect();
                (c.fields, rows)
            }
            None => {
                let language = edited.map_or(ctx.house.company.language, |(l, _)| l);
                sample(&ctx.house.company, language, currency, level, today)
            }
        };
        drop(tx);
        let mut overdue = Money::zero(currency);
        for r in &rows {
            overdue = overdue.checked_add(r.amount_open).map_err(anyhow::Error::from)?;
        }
        // The level's fee on these items, as the core computes it (fixed, or a percentage within its
        // bounds); a fee in another currency than the preview's is not shown.
        let fee = match &policy_level.fee {
            core_dunning::FeeRule::None => None,
            rule => match rule.on(overdue) {
                Ok(f) if f.is_positive() && f.currency() == currency => Some(f),
                _ => None,
            },
        };
        let total_due = match fee {
            Some(f) => overdue.checked_add(f).map_err(anyhow::Error::from)?,
            None => overdue,
        };
        let deadline = core_dunning::payment_deadline(today, policy.payment_days);
        let language = payer.language;
        let stored = match edited {
            Some((_, t)) => Some(core_dunning::LetterTexts {
                subject: t.subject.clone(),
                opening: t.opening.clone(),
                closing: t.closing.clone(),
            }),
            None => policy.text(level, language.code()).map(|t| core_dunning::LetterTexts {
                subject: t.subject.clone(),
                opening: t.opening.clone(),
                closing: t.closing.clone(),
            }),
        };
        let texts = match stored {
            Some(t) => t,
            None => {
                let (subject, opening, closing) = core_dunning::default_text(level, language.code());
                core_dunning::LetterTexts { subject: subject.into(), opening: opening.into(), closing: closing.into() }
            }
        };
        let oldest = rows.iter().map(|r| r.due_date).min();
        let facts = core_dunning::LetterFacts {
            company_name: &ctx.house.company.name,
            payer_name: &payer.name,
            payer_number: &payer.number,
            letter_number: None,
            letter_date: today,
            level,
            overdue_total: overdue,
            credits_total: Money::zero(currency),
            charges_total: fee.unwrap_or(Money::zero(currency)),
            total_due,
            payment_deadline: Some(deadline),
            oldest_due: oldest,
        };
        let format = super::ReaderFormat(reader_locale(language, &payer.country));
        let texts = texts.render_in(&facts, &format).map_err(|e| AppError::invalid_said(e.field, e.error))?;
        let doc = LetterDoc {
            locale: reader_locale(language, &payer.country),
            letterhead: ctx.house.letterhead(currency),
            window: ctx.house.window,
            recipient: postal(&payer, &ctx.house.company),
            customer_number: payer.number.clone(),
            date: today,
            number: String::new(),
            level: u32::try_from(level).unwrap_or(0),
            level_title: None,
            subject: Some(texts.subject).filter(|s| !s.trim().is_empty()),
            opening: texts.opening,
            items: rows,
            credits: Vec::new(),
            not_due: if policy.list_not_due { Some(Vec::new()) } else { None },
            total_overdue: overdue,
            total_credits: None,
            fee,
            interest: Vec::new(),
            indemnity: None,
            total_due,
            deadline,
            pay_to: None,
            payment_reference: payer.number.clone(),
            closing: texts.closing,
            signature: ctx.house.signature_for(language),
            preview: true,
        };
        let file_name = format!("preview-{}-level-{level}.pdf", policy.code.replace(['/', '\\', ' '], "-"));
        Ok(Pdf { bytes: rendered(creance_render::letter::render(&doc))?, file_name })
    }
}

/// A sample payer with three sample items, for a level's preview without a payer.
fn sample(
    company: &creance_store::companies::Company,
    language: Language,
    currency: creance_core::Currency,
    level: i64,
    today: Date,
) -> (customers::CustomerFields, Vec<DunnedRow>) {
    let payer = customers::CustomerFields {
        number: "C-SAMPLE".into(),
        name: match language {
            Language::De => "Muster GmbH".into(),
            Language::Fr => "Exemple SARL".into(),
            _ => "Sample Ltd".into(),
        },
        address: "1 rue de l'Exemple".into(),
        postal_code: "74100".into(),
        city: "Annemasse".into(),
        country: company.country.clone(),
        language,
        currency,
        email: String::new(),
        dunning_email: String::new(),
        payer_number: None,
        salesperson: String::new(),
        bank: String::new(),
        comment: String::new(),
        dunning_enabled: true,
    };
    #[allow(clippy::inconsistent_digit_grouping)] // minor units: 120_00 is 120.00
    let rows = [(120_00, 60), (1_234_56, 45), (89_90, 32)]
        .into_iter()
        .enumerate()
        .map(|(i, (minor, days))| {
            let due = today.add_days(-days);
            DunnedRow {
                document_number: format!("F-SAMPLE-{}", i + 1),
                document_date: due.add_days(-30),
                due_date: due,
                amount_original: Money::new(minor, currency),
                amount_open: Money::new(minor, currency),
                days_overdue: days,
                level: u32::try_from(level).unwrap_or(0),
                text: None,
            }
        })
        .collect();
    (payer, rows)
}
