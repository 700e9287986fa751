//! The refund letter (`GET /api/v1/refunds/{id}/letter.pdf`, SPEC §4.3): once the refund is
//! allocated (before, the use case refuses with `refund_not_allocated`), what it refunds, its
//! amount, reason and method in words, in the customer's language.

use creance_core::{DocumentKind, Language, RefundReason};
use creance_render::refund::{RefundLetterDoc, RefundedRow};
use creance_store::{customers, documents, payments, settings};

use super::letterhead::House;
use super::{postal, reader_locale, rendered, Pdf};
use crate::{App, AppError};

fn texts(language: Language) -> (&'static str, &'static str) {
    match language {
        Language::Fr => (
            "Madame, Monsieur,\nNous vous informons du remboursement ci-dessous en votre faveur.",
            "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.",
        ),
        Language::De => (
            "Sehr geehrte Damen und Herren,\nwir teilen Ihnen die folgende Rückerstattung zu Ihren Gunsten mit.",
            "Mit freundlichen Grüßen",
        ),
        _ => ("Dear Sir or Madam,\nWe are pleased to confirm the refund below in your favour.", "Yours faithfully,"),
    }
}

impl App {
    pub async fn refund_letter_pdf(&self, company_id: i64, id: i64) -> Result<Pdf, AppError> {
        let letter = self.refund_letter(company_id, id).await?;
        let r = &letter.refund;
        let mut tx = self.db.begin_read().await?;
        let house = House::load(&mut tx, company_id).await?;
        let customer = customers::get(&mut tx, company_id, r.customer_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("customer {}", r.customer_id))?;
        let methods = settings::payment_methods(&mut tx, company_id).await?;
        let locale = reader_locale(customer.fields.language, &customer.fields.country);
        let words = creance_render::words::Words::of(locale.language);
        let mut refunded = Vec::new();
        // What it refunds, dated by the payment or the credit note itself (a few rows: one read each).
        for a in r.allocations.iter().filter(|a| a.reverses_id.is_none() && a.reversed_by.is_none()) {
            let row = match (a.payment_id, a.credit_installment_id) {
                (Some(id), _) => RefundedRow {
                    kind: words.payment.to_string(),
                    number: a.payment_number.clone().unwrap_or_default(),
                    date: payments::get(&mut tx, company_id, id, false).await?.map_or(a.date, |p| p.date),
                    amount: a.amount,
                },
                (None, installment) => {
                    let mut date = a.date;
                    if let Some(i) = installment {
                        if let Some(i) = documents::get_installment(&mut tx, company_id, i).await? {
                            date = documents::get(&mut tx, company_id, i.document_id).await?.map_or(date, |d| d.date);
                        }
                    }
                    RefundedRow {
                        kind: creance_render::labels::document_kind(DocumentKind::CreditNote, locale.language)
                            .to_string(),
                        number: a.credit_document_number.clone().unwrap_or_default(),
                        date,
                        amount: a.amount,
                    }
                }
            };
            refunded.push(row);
        }
        drop(tx);
        let (opening, closing) = texts(locale.language);
        let doc = RefundLetterDoc {
            locale,
            letterhead: house.letterhead(r.amount.currency()),
            window: house.window,
            recipient: postal(&customer.fields, &house.company),
            customer_number: customer.fields.number.clone(),
            date: r.date,
            number: r.number.clone(),
            reason: RefundReason::parse(&r.reason).unwrap_or(RefundReason::Other),
            method_code: r.method.clone(),
            method_label: methods.iter().find(|m| m.code == r.method).map(|m| m.label.clone()),
            piece_number: r.piece_number.clone(),
            amount: r.amount,
            refunded,
            opening: opening.to_string(),
            closing: closing.to_string(),
            signature: house.signature_for(locale.language),
            preview: false,
        };
        let file_name = format!("refund-{}.pdf", r.number.replace(['/', '\\', ' '], "-"));
        Ok(Pdf { bytes: rendered(creance_render::refund::render(&doc))?, file_name })
    }
}
