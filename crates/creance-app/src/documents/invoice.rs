//! The fee and interest invoices a dunning run creates at issue (seed 004), as the payer receives
//! them (`GET /api/v1/documents/{id}/pdf`). Créance issues no sales invoices: any other document
//! kind is not printed.

use creance_core::dunning::{ItemKind, ItemStatus};
use creance_core::{Date, Decimal, DocumentKind, Language};
use creance_render::invoice::{ChargeInvoiceDoc, ChargeKind, InterestDetail, InvoiceLine};
use creance_store::{customers, documents, printing};

use super::letterhead::House;
use super::{postal, reader_locale, rendered, Pdf};
use crate::{App, AppError};

fn fee_words(language: Language, level: i64) -> (String, &'static str) {
    match language {
        Language::Fr => {
            (format!("Frais de relance (niveau {level})"), "Indemnité forfaitaire pour frais de recouvrement")
        }
        Language::De => (format!("Mahngebühr ({level}. Mahnstufe)"), "Pauschale für Beitreibungskosten"),
        _ => (format!("Reminder fee (level {level})"), "Fixed recovery indemnity"),
    }
}

fn interest_words(language: Language) -> &'static str {
    match language {
        Language::Fr => "Intérêts de retard",
        Language::De => "Verzugszinsen",
        _ => "Late-payment interest",
    }
}

impl App {
    /// A fee or interest invoice created by a dunning run, as PDF.
    pub async fn charge_invoice_pdf(&self, company_id: i64, id: i64, today: Date) -> Result<Pdf, AppError> {
        let mut tx = self.db.begin_read().await?;
        let doc = documents::get(&mut tx, company_id, id)
            .await?
            .ok_or(AppError::NotFound { entity: "document", key: id.to_string() })?;
        let kind = match doc.kind {
            DocumentKind::FeeInvoice => ChargeKind::Fee,
            DocumentKind::InterestInvoice => ChargeKind::Interest,
            other => {
                return Err(AppError::NotFound {
                    entity: "fee or interest invoice",
                    key: format!(
                    "{id} ({} {} is a {}; Créance prints only the fee and interest invoices its dunning runs create)",
                    "document",
                    doc.number,
                    other.code()
                ),
                })
            }
        };
        let letter_id = printing::letter_of_charge(&mut tx, company_id, id).await?;
        let payer = customers::get(&mut tx, company_id, doc.customer_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("customer {}", doc.customer_id))?;
        let house = House::load(&mut tx, company_id).await?;
        let tables = creance_store::dunning::interest_tables(&mut tx, company_id).await?;
        let policies = creance_store::dunning::policies(&mut tx, company_id).await?;
        drop(tx);
        let detail = match letter_id {
            Some(l) => Some(self.dunning_letter(company_id, l, today).await?),
            None => None,
        };
        let locale = reader_locale(payer.fields.language, &payer.fields.country);
        let language = locale.language;
        let mut lines = Vec::new();
        let mut details = Vec::new();
        match (kind, &detail) {
            (ChargeKind::Fee, Some(d)) => {
                let (fee, indemnity) = fee_words(language, d.letter.level);
                if d.letter.fee.is_positive() {
                    lines.push(InvoiceLine { description: fee, amount: d.letter.fee });
                }
                if d.letter.indemnity.is_positive() {
                    lines.push(InvoiceLine { description: indemnity.to_string(), amount: d.letter.indemnity });
                }
            }
            (ChargeKind::Interest, Some(d)) => {
                lines.push(InvoiceLine { description: interest_words(language).to_string(), amount: doc.total });
                let policy = policies.iter().find(|p| p.id == d.letter.policy_id);
                let table = policy.and_then(|p| tables.iter().find(|t| Some(t.id) == p.interest_table_id));
                for it in d.items.iter().filter(|i| i.kind == ItemKind::Due && i.status == ItemStatus::Active) {
                    if !it.interest.is_positive() {
                        continue;
                    }
                    let (Some(from), Some(to)) = (it.interest_from, it.interest_to) else { continue };
                    let rate = table
                        .and_then(|t| t.rates.iter().filter(|r| r.from <= from).max_by_key(|r| r.from))
                        .and_then(|r| {
                            Decimal::parse(&r.reference_percent)
                                .ok()?
                                .checked_add(Decimal::parse(&r.margin_percent).ok()?)
                        })
                        .unwrap_or_else(|| Decimal::from_int(0));
                    details.push(InterestDetail {
                        document_number: it.reference.clone(),
                        from,
                        to: to.add_days(-1),
                        days: from.days_until(to),
                        base: it.amount_open,
                        rate_percent: rate,
                        amount: it.interest,
                    });
                }
            }
            _ => {}
        }
        if lines.is_empty() || lines.len() == 1 && lines[0].amount != doc.total {
            // The invoice's own text, when the letter does not say more (or says otherwise).
            lines = vec![InvoiceLine { description: doc.text.clone(), amount: doc.total }];
        }
        let due_date = doc.installments.iter().map(|i| i.due_date).max().unwrap_or(doc.date);
        let rdoc = ChargeInvoiceDoc {
            locale,
            letterhead: house.letterhead(doc.currency),
            window: house.window,
            recipient: postal(&payer.fields, &house.company),
            customer_number: payer.fields.number.clone(),
            kind,
            number: doc.number.clone(),
            date: doc.date,
            due_date,
            letter_number: detail.as_ref().and_then(|d| d.letter.number.clone()).unwrap_or_default(),
            lines,
            details,
            total: doc.total,
            preview: false,
        };
        let file_name = format!("invoice-{}.pdf", doc.number.replace(['/', '\\', ' '], "-"));
        Ok(Pdf { bytes: rendered(creance_render::invoice::render(&rdoc))?, file_name })
    }
}
