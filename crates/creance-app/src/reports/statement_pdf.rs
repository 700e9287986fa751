//! The customer statement as PDF (SPEC §4.10): the [`super::Statement`] mapped to
//! `creance_render::statement` in the customer's language and country, with the company's
//! letterhead and the customer's postal address in the envelope window.

use creance_core::{Date, Language};
use creance_render::statement::{StatementDoc, StatementRow, StatementSection};
use creance_store::customers;

use super::{entry_words, Statement};
use crate::documents::letterhead::House;
use crate::documents::{postal, reader_locale, rendered, Pdf};
use crate::{App, AppError};

fn bucket_title(key: &str, language: Language) -> String {
    match key {
        "current" => match language {
            Language::Fr => "Non échu".to_string(),
            Language::De => "Nicht fällig".to_string(),
            _ => "Current".to_string(),
        },
        other => {
            let days = match language {
                Language::Fr => "j",
                Language::De => "T.",
                _ => "d",
            };
            match other.strip_prefix("over_") {
                Some(n) => format!("> {n} {days}"),
                None => format!("{} {days}", other.replace('_', "–")),
            }
        }
    }
}

impl App {
    /// The statement as PDF, printed on `printed_on`.
    pub async fn statement_pdf(&self, company_id: i64, s: &Statement, printed_on: Date) -> Result<Pdf, AppError> {
        let mut tx = self.db.begin_read().await?;
        let house = House::load(&mut tx, company_id).await?;
        let customer = customers::get(&mut tx, company_id, s.customer_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("customer {}", s.customer_id))?;
        drop(tx);
        let locale = reader_locale(customer.fields.language, &customer.fields.country);
        let sections = s
            .currencies
            .iter()
            .map(|c| StatementSection {
                currency: c.currency,
                opening: c.opening_balance,
                rows: c
                    .lines
                    .iter()
                    .map(|l| StatementRow {
                        date: l.date,
                        kind: entry_words(&l.entry, locale.language),
                        number: l.number.clone(),
                        reference: l.reference.clone(),
                        effect: l.effect,
                        amount: l.amount,
                        balance: l.balance,
                    })
                    .collect(),
                closing: c.closing_balance,
                aging: s
                    .buckets
                    .iter()
                    .zip(&c.aging.buckets)
                    .map(|(b, a)| (bucket_title(&b.key, locale.language), *a))
                    .collect(),
                credits: c.aging.credits_unallocated,
            })
            .collect();
        let currency = s.currencies.first().map_or(customer.fields.currency, |c| c.currency);
        let doc = StatementDoc {
            locale,
            letterhead: house.letterhead(currency),
            window: house.window,
            recipient: postal(&customer.fields, &house.company),
            customer_number: customer.fields.number.clone(),
            from: s.from,
            to: s.to,
            printed_on,
            sections,
        };
        let bytes = tokio::task::spawn_blocking(move || creance_render::statement::render(&doc))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("the statement's rendering stopped: {e}")))?;
        let file_name =
            format!("statement-{}-{}-{}.pdf", s.customer_number.replace(['/', '\\', ' '], "-"), s.from, s.to);
        Ok(Pdf { bytes: rendered(bytes)?, file_name })
    }
}
