//! Issuing a proposal and withdrawing a letter (SPEC §4.6): numbers, frozen texts, fee and interest
//! invoices booked in the journal; withdrawing cancels them by credit notes.

use std::collections::HashMap;

use creance_core::dunning::charges::{self as core_charges};
use creance_core::dunning::{LetterStatus, RunStatus};
use creance_core::{Date, DocumentKind, Money};
use creance_store::audit::{self, AuditEvent};
use creance_store::documents::{self, DocumentFields, Due, NewDocument, NewInstallment};
use creance_store::dunning_runs::{self as runs, IssuedLetter, Letter, LetterFilter};
use creance_store::journal::{self, Rows};
use creance_store::{companies, series, settings, Tx};

use crate::payments::{plain_text, CreditRef};
use crate::{Actor, App, AppError, DunningFault};

use super::rejections::{DunningRejection, RunAction};
use super::*;

impl App {
    /// Issues a draft proposal in one transaction (SPEC §4.6): it is first brought up to date (what
    /// was paid since drops out), then each letter gets its number from the gapless series and its
    /// texts rendered and frozen, each dunned installment its new level and date, fees and interest
    /// become fee and interest invoices booked in the journal, and the letters are queued.
    pub async fn issue_dunning(
        &self,
        actor: &Actor,
        company_id: i64,
        run_id: i64,
        today: Date,
    ) -> Result<IssueReport, AppError> {
        let report = self
            .with_retry(|| async {
                let mut tx = self.db.begin_write(actor.at()).await?;
                let run = runs::run(&mut tx, company_id, run_id, true).await?.ok_or_else(|| not_found_run(run_id))?;
                if run.status != RunStatus::Draft {
                    let action = RunAction::Issue;
                    return Err(DunningRejection::RunNotDraft { run_id, status: run.status, action }.into());
                }
                if run.as_of > today {
                    return Err(DunningRejection::AsOfAfterToday { run_id, as_of: run.as_of, today }.into());
                }
                let rules = Rules::load(&mut tx, company_id).await?;
                let dropped = runs::refresh_items(&mut tx, company_id, run_id, run.as_of).await?;
                refresh_run(&mut tx, company_id, run_id, &rules).await?;
                let company = companies::get(&mut tx, company_id).await?.ok_or_else(|| anyhow::anyhow!("company"))?;
                let f = LetterFilter { run_id: Some(run_id), status: Some(LetterStatus::Draft), ..Default::default() };
                let letters = runs::all_letters(&mut tx, company_id, &f).await?;
                let numbers = series::take(&mut tx, company_id, "letter", today.year(), letters.len() as i64).await?;
                let charges = create_charge_documents(&mut tx, company_id, &letters, &rules, today).await?;
                let oldest: HashMap<i64, Date> =
                    runs::oldest_dunned_due_dates(&mut tx, company_id, run_id).await?.into_iter().collect();
                let mut issued = Vec::with_capacity(letters.len());
                for (l, number) in letters.iter().zip(&numbers) {
                    let policy = rules.policy(l.policy_id)?;
                    let deadline = core_charges::payment_deadline(today, policy.payment_days);
                    let mut numbered = l.clone();
                    numbered.number = Some(number.clone());
                    numbered.letter_date = Some(today);
                    numbered.payment_deadline = Some(deadline);
                    let oldest = oldest.get(&l.id).copied();
                    let texts = rendered(&company.name, &numbered, oldest, policy, today)?;
                    let (fee_doc, interest_doc) = charges.get(&l.id).copied().unwrap_or((None, None));
                    issued.push(IssuedLetter {
                        letter_id: l.id,
                        number: number.clone(),
                        payment_deadline: deadline,
                        subject: texts.subject,
                        opening: texts.opening,
                        closing: texts.closing,
                        fee_document_id: fee_doc,
                        interest_document_id: interest_doc,
                    });
                }
                runs::write_issued(&mut tx, company_id, today, creance_render::TEMPLATE_VERSION, &issued).await?;
                let beyond = rules.beyond_cutoffs(run.as_of);
                runs::insert_context(&mut tx, company_id, run_id, run.as_of, documents_to(&run), &beyond).await?;
                let updated = runs::apply_issue(&mut tx, company_id, run_id).await?;
                runs::release_run(&mut tx, company_id, run_id).await?;
                runs::set_run_status(&mut tx, company_id, run_id, RunStatus::Draft, RunStatus::Issued, actor.as_str()).await?;
                let fee_invoices = charges.values().filter(|c| c.0.is_some()).count() as i64;
                let interest_invoices = charges.values().filter(|c| c.1.is_some()).count() as i64;
                let queued = letters.iter().filter(|l| l.send).count() as i64;
                audit::record(
                    &mut tx,
                    &AuditEvent::new(company_id, actor.as_str(), "dunning.issue", "dunning_run", Some(run_id)).summary(format!(
                        "{} letter(s) issued ({}–{}), {updated} installment(s) updated, {fee_invoices} fee and {interest_invoices} interest invoice(s)",
                        letters.len(),
                        numbers.first().map(String::as_str).unwrap_or("-"),
                        numbers.last().map(String::as_str).unwrap_or("-"),
                    )),
                )
                .await?;
                let run = runs::run(&mut tx, company_id, run_id, false).await?.ok_or_else(|| not_found_run(run_id))?;
                tx.commit().await.map_err(anyhow::Error::from)?;
                Ok(IssueReport {
                    run: run.into(),
                    letters_issued: letters.len() as i64,
                    first_number: numbers.first().cloned(),
                    last_number: numbers.last().cloned(),
                    installments_updated: updated as i64,
                    dropped_since_proposal: dropped as i64,
                    fee_invoices,
                    interest_invoices,
                    queued,
                })
            })
            .await?;
        Ok(report)
    }

    /// Withdraws an issued letter (SPEC §4.6): its installments go back to their level and date
    /// before it, interest is chargeable again for the same days, the indemnity again for its
    /// invoices, and its fee and interest invoices are cancelled by credit notes. A letter whose
    /// installments were dunned again since is withdrawn after the later letter.
    pub async fn withdraw_dunning_letter(
        &self,
        actor: &Actor,
        company_id: i64,
        letter_id: i64,
        reason: &str,
        today: Date,
    ) -> Result<LetterDetail, AppError> {
        plain_text("reason", reason)?;
        if reason.trim().is_empty() {
            return Err(AppError::invalid_said("reason", DunningFault::WithdrawReasonMissing));
        }
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let l = runs::letter(&mut tx, company_id, letter_id).await?.ok_or_else(|| not_found_letter(letter_id))?;
            if l.status != LetterStatus::Issued {
                return Err(DunningRejection::LetterNotIssued {
                    letter: l.number.clone().unwrap_or_else(|| l.id.to_string()),
                    status: l.status,
                }
                .into());
            }
            let number = l.number.clone().unwrap_or_default();
            let later = runs::dunned_since(&mut tx, company_id, &l).await?;
            if !later.is_empty() {
                return Err(DunningRejection::DunnedAgainSince { number, later }.into());
            }
            let codes = settings::account_codes(&mut tx, company_id).await?;
            let mut cancelled = Vec::new();
            for doc_id in [l.fee_document_id, l.interest_document_id].into_iter().flatten() {
                cancelled.push(cancel_by_credit_note(&mut tx, company_id, &codes, doc_id, &number, today).await?);
            }
            runs::apply_withdraw(&mut tx, company_id, &l, actor.as_str(), reason.trim()).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "dunning.withdraw", "dunning_letter", Some(l.id)).summary(
                    format!(
                        "letter {number} withdrawn: {}{}",
                        reason.trim(),
                        if cancelled.is_empty() {
                            String::new()
                        } else {
                            format!("; credit note(s) {}", cancelled.join(", "))
                        }
                    ),
                ),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.dunning_letter(company_id, letter_id, today).await
    }
}

/// Creates the fee invoice (fee + indemnity) and the interest invoice of each letter that charges
/// something, books them, and returns `letter id → (fee document, interest document)`.
pub(super) async fn create_charge_documents(
    tx: &mut Tx,
    company_id: i64,
    letters: &[Letter],
    rules: &Rules,
    date: Date,
) -> Result<HashMap<i64, (Option<i64>, Option<i64>)>, AppError> {
    struct Charge<'a> {
        letter: &'a Letter,
        kind: DocumentKind,
        total: Money,
        text: String,
        due: Date,
    }
    let mut charges = Vec::new();
    for l in letters {
        let due = date.add_days(rules.policy(l.policy_id)?.payment_days);
        let fee = l.fee.checked_add(l.indemnity).map_err(anyhow::Error::from)?;
        if fee.is_positive() {
            let mut parts = Vec::new();
            if l.fee.is_positive() {
                parts.push(format!("frais de relance niveau {} : {}", l.level, l.fee));
            }
            if l.indemnity.is_positive() {
                parts.push(format!("indemnité forfaitaire pour frais de recouvrement : {}", l.indemnity));
            }
            charges.push(Charge { letter: l, kind: DocumentKind::FeeInvoice, total: fee, text: parts.join("; "), due });
        }
        if l.interest.is_positive() {
            charges.push(Charge {
                letter: l,
                kind: DocumentKind::InterestInvoice,
                total: l.interest,
                text: format!("intérêts de retard : {}", l.interest),
                due,
            });
        }
    }
    let mut out: HashMap<i64, (Option<i64>, Option<i64>)> = HashMap::new();
    if charges.is_empty() {
        return Ok(out);
    }
    let fee_count = charges.iter().filter(|c| c.kind == DocumentKind::FeeInvoice).count() as i64;
    let mut fee_numbers = series::take(tx, company_id, "fee_invoice", date.year(), fee_count).await?.into_iter();
    let mut interest_numbers =
        series::take(tx, company_id, "interest_invoice", date.year(), charges.len() as i64 - fee_count)
            .await?
            .into_iter();
    let mut fields = Vec::with_capacity(charges.len());
    for c in &charges {
        let number = if c.kind == DocumentKind::FeeInvoice { fee_numbers.next() } else { interest_numbers.next() }
            .ok_or_else(|| anyhow::anyhow!("numbering"))?;
        fields.push(DocumentFields {
            kind: c.kind,
            number,
            customer_number: c.letter.payer_number.clone(),
            date,
            currency: c.total.currency(),
            total: c.total,
            contract_number: None,
            order_ref: String::new(),
            text: c.text.clone(),
            payment_term: String::new(),
            installments: vec![Due { due_date: c.due, amount: c.total }],
        });
    }
    let docs: Vec<NewDocument<'_>> = charges
        .iter()
        .zip(&fields)
        .map(|(c, f)| NewDocument { customer_id: c.letter.payer_id, contract_id: None, fields: f })
        .collect();
    let ids = documents::insert_bulk(tx, company_id, &docs).await?;
    let installments: Vec<NewInstallment> = ids
        .iter()
        .zip(&charges)
        .map(|((id, kind, _), c)| NewInstallment {
            document_id: *id,
            customer_id: c.letter.payer_id,
            kind: *kind,
            seq: 1,
            due: Due { due_date: c.due, amount: c.total },
            amount_open: c.total.minor(),
        })
        .collect();
    documents::insert_installments_bulk(tx, company_id, &installments).await?;
    let doc_ids: Vec<i64> = ids.iter().map(|(id, _, _)| *id).collect();
    let codes = settings::account_codes(tx, company_id).await?;
    journal::book_documents(tx, company_id, &codes, Rows::Ids(&doc_ids), "").await?;
    for ((id, kind, _), c) in ids.iter().zip(&charges) {
        let e = out.entry(c.letter.id).or_default();
        if *kind == DocumentKind::FeeInvoice {
            e.0 = Some(*id);
        } else {
            e.1 = Some(*id);
        }
    }
    Ok(out)
}

/// Cancels a fee or interest invoice by a credit note of its total, booked, and allocated to what the
/// invoice still has open (what was already paid stays as the customer's credit). Returns its number.
pub(super) async fn cancel_by_credit_note(
    tx: &mut Tx,
    company_id: i64,
    codes: &settings::AccountCodes,
    document_id: i64,
    letter_number: &str,
    date: Date,
) -> Result<String, AppError> {
    let doc = documents::get(tx, company_id, document_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("charge document {document_id}"))?;
    let number = series::take(tx, company_id, "credit_note", date.year(), 1)
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("numbering"))?;
    let fields = DocumentFields {
        kind: DocumentKind::CreditNote,
        number: number.clone(),
        customer_number: doc.customer_number.clone(),
        date,
        currency: doc.currency,
        total: doc.total,
        contract_number: None,
        order_ref: String::new(),
        text: format!("annulation de {} (relance {letter_number} retirée)", doc.number),
        payment_term: String::new(),
        installments: vec![Due { due_date: date, amount: doc.total }],
    };
    let ids = documents::insert_bulk(
        tx,
        company_id,
        &[NewDocument { customer_id: doc.customer_id, contract_id: None, fields: &fields }],
    )
    .await?;
    let (credit_id, _, _) = ids.first().cloned().ok_or_else(|| anyhow::anyhow!("credit note not written"))?;
    documents::insert_installments_bulk(
        tx,
        company_id,
        &[NewInstallment {
            document_id: credit_id,
            customer_id: doc.customer_id,
            kind: DocumentKind::CreditNote,
            seq: 1,
            due: Due { due_date: date, amount: doc.total },
            amount_open: doc.total.minor(),
        }],
    )
    .await?;
    journal::book_documents(tx, company_id, codes, Rows::Ids(&[credit_id]), "").await?;
    let open = doc.amount_open;
    if let (true, Some(target)) = (open.is_positive(), doc.installments.first()) {
        let credit = crate::payments::lock_credit(tx, company_id, CreditRef::CreditNote(credit_id)).await?;
        let lines =
            [creance_core::allocation::AllocationLine { installment_id: target.id, amount: target.amount_open }];
        crate::payments::allocate_in(tx, company_id, codes, &credit, &lines, date).await?;
    }
    Ok(number)
}
