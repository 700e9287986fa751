//! Recording a payment received (SPEC §4.2), with its allocation when asked, in one write
//! transaction; and its answer.
//!
//! On SQLite the writers take turns (one at a time: `Db::begin_write`), so the statements of a
//! recording are its critical section: every statement is a round trip to the connection's thread,
//! and the API's throughput is one over their sum (issue 15, docs/performance.md). A recording
//! reads what decides it (the customer; the settings and account codes in one statement; the likely
//! duplicates; the open debits), checks the plan, takes its number (one statement), then writes the
//! payment already reduced by what it allocates, the allocation rows, the installments' open
//! amounts, the journal in one statement and the audit event: 10 statements between `BEGIN` and
//! `COMMIT`, where there were 20. Its answer is built from what it wrote when that is the whole
//! answer (nothing left unallocated, or a proposal that took all it could), instead of being read
//! back in a transaction of its own (4 more round trips).

use std::collections::HashMap;

use creance_core::allocation::AllocationLine;
use creance_core::{Date, Money};
use creance_store::allocations::{CreditId, InstallmentState};
use creance_store::audit::{self, AuditEvent};
use creance_store::payments::{self, NewPayment};
use creance_store::{journal, series, settings};

use crate::payment_rejections::{Earlier, PaymentRejection};
use crate::payments::{
    check_lines, find_customer, lines_from_request, parse_amount, parse_date_field, plain_text, write_lines,
    AllocateRequest, CreditState, PaymentDetail, Proposal, RecordPayment, Requested,
};
use crate::said::{CreditLabel, Fault, Thing};
use crate::views::money as view;
use crate::{Actor, App, AppError};

/// What a recording committed: the payment's id, and its answer when the recording knows all of it.
struct Recorded {
    id: i64,
    answer: Option<PaymentDetail>,
}

impl App {
    /// Records a payment (SPEC §4.2). A likely duplicate is refused unless confirmed; the answer names it.
    pub async fn record_payment(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &RecordPayment,
        today: Date,
    ) -> Result<PaymentDetail, AppError> {
        let recorded = self.with_retry(|| self.record_payment_once(actor, company_id, input, today)).await?;
        match recorded.answer {
            Some(answer) => Ok(answer),
            None => self.payment(company_id, recorded.id).await,
        }
    }

    async fn record_payment_once(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &RecordPayment,
        today: Date,
    ) -> Result<Recorded, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let customer = find_customer(&mut tx, company_id, input.customer_id, input.customer_number.as_deref()).await?;
        let currency = match crate::query_args::currency("currency", &input.currency)? {
            Some(c) => c,
            None => customer.fields.currency,
        };
        let amount = parse_amount("amount", &input.amount, currency)?;
        let date = parse_date_field("date", &input.date)?.unwrap_or(today);
        let deposit_date = parse_date_field("deposit_date", &input.deposit_date)?;
        let method = input.method.trim();
        let recording = settings::recording(&mut tx, company_id, method).await?;
        let Some(needs_deposit) = recording.method_needs_deposit else {
            let known: Vec<String> =
                settings::payment_methods(&mut tx, company_id).await?.into_iter().map(|m| m.code).collect();
            return Err(AppError::invalid_said("method", Fault::NotAMethod { method: method.to_string(), known }));
        };
        if let Some(bank) = input.deposit_bank_id {
            if !settings::bank_accounts(&mut tx, company_id).await?.iter().any(|b| b.id == bank) {
                return Err(AppError::invalid_said(
                    "deposit_bank_id",
                    Fault::NoSuch { thing: Thing::BankAccount, key: bank.to_string() },
                ));
            }
        }
        if deposit_date.is_some() && !needs_deposit {
            return Err(AppError::invalid_said("deposit_date", Fault::NotDeposited { method: method.to_string() }));
        }
        for (field, value) in [
            ("piece_number", &input.piece_number),
            ("customer_bank", &input.customer_bank),
            ("order_ref", &input.order_ref),
            ("note", &input.note),
        ] {
            plain_text(field, value)?;
        }
        let piece = input.piece_number.trim();
        if !input.confirm_duplicate {
            let window = recording.duplicate_window_days;
            let dups =
                payments::likely_duplicates(&mut tx, company_id, customer.id, amount, piece, date, window).await?;
            if let Some(d) = dups.into_iter().next() {
                let earlier = Earlier {
                    id: d.id,
                    number: d.number,
                    customer_number: d.customer_number,
                    date: d.date,
                    amount: d.amount,
                    piece_number: d.piece_number,
                };
                return Err(PaymentRejection::LikelyDuplicate { earlier, window_days: window }.into());
            }
        }
        let note = input.note.trim();
        let codes = recording.codes;
        // The allocation is planned and checked before the payment is written: the payment is written
        // with what stays unallocated, so that its open amount needs no second write.
        let credit = CreditState {
            // Not written yet: its lines are written below with the payment's id.
            id: CreditId::Payment(0),
            customer_id: customer.id,
            payer_id: customer.payer_id.unwrap_or(customer.id),
            unallocated: amount,
            reference: format!("{piece} {note}"),
            label: CreditLabel::PaymentBeingRecorded,
        };
        let (lines, targets) = match &input.allocate {
            Some(request) => {
                let Requested { lines, targets } = lines_from_request(&mut tx, company_id, &credit, request).await?;
                (lines, targets)
            }
            None => (Vec::new(), Vec::new()),
        };
        let total = if lines.is_empty() { Money::zero(currency) } else { check_lines(&credit, &lines, &targets)? };
        let unallocated = amount.checked_sub(total).map_err(|e| AppError::invalid_said("amount", e))?;
        // Its number from the gapless series: the counter row stays locked until the commit, and
        // concurrent recordings wait on it from here.
        let number = series::take(&mut tx, company_id, "payment", date.year(), 1).await?.pop().ok_or_else(|| {
            anyhow::anyhow!("company {company_id}: the payment series gave no number for {}", date.year())
        })?;
        let new = NewPayment {
            number: number.clone(),
            customer_id: customer.id,
            date,
            amount,
            amount_open: unallocated.minor(),
            method: method.to_string(),
            piece_number: piece.to_string(),
            customer_bank: input.customer_bank.trim().to_string(),
            deposit_bank_id: input.deposit_bank_id,
            deposit_date,
            order_ref: input.order_ref.trim().to_string(),
            note: note.to_string(),
        };
        let id = payments::insert(&mut tx, company_id, &new).await?;
        let mut written = if lines.is_empty() {
            Vec::new()
        } else {
            write_lines(&mut tx, company_id, CreditId::Payment(id), &lines, date, None).await?
        };
        written.sort_unstable();
        let allocation_ids: Vec<i64> = written.iter().map(|(a, _)| *a).collect();
        journal::book_payment_with_transfers(&mut tx, company_id, &codes, id, &allocation_ids).await?;
        let mut summary = format!("payment {number} of {amount} recorded for {}", customer.fields.number);
        if !written.is_empty() {
            summary.push_str(&format!(", {} allocation(s)", written.len()));
        }
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "payment.record", "payment", Some(id)).summary(summary),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        // A proposal that leaves something unallocated paid every open debit it could: the proposal
        // for the rest is empty. After chosen lines, the rest has a proposal of its own: read back.
        let whole = !unallocated.is_positive() || matches!(input.allocate, Some(AllocateRequest::Proposal));
        let answer = if whole {
            let payment = payments::Payment {
                id,
                number: number.clone(),
                customer_id: customer.id,
                customer_number: customer.fields.number.clone(),
                customer_name: customer.fields.name.clone(),
                date,
                amount,
                unallocated,
                method: new.method,
                piece_number: new.piece_number,
                customer_bank: new.customer_bank,
                deposit_bank_id: new.deposit_bank_id,
                deposit_date: new.deposit_date,
                deposit_id: None,
                order_ref: new.order_ref,
                note: new.note,
                status: creance_core::PaymentStatus::Active,
                cancel_reason: String::new(),
            };
            let allocations = written_allocations(id, &number, date, &written, &lines, &targets)?;
            let proposal =
                unallocated.is_positive().then(|| Proposal { unallocated, lines: Vec::new(), remaining: unallocated });
            Some(PaymentDetail { payment: payment.into(), allocations, proposal })
        } else {
            None
        };
        Ok(Recorded { id, answer })
    }
}

/// The allocations a recording wrote, as [`App::payment`] shows them (in id order).
fn written_allocations(
    payment_id: i64,
    number: &str,
    date: Date,
    written: &[(i64, i64)],
    lines: &[AllocationLine],
    targets: &[InstallmentState],
) -> Result<Vec<view::Allocation>, AppError> {
    let lines: HashMap<i64, &AllocationLine> = lines.iter().map(|l| (l.installment_id, l)).collect();
    let targets: HashMap<i64, &InstallmentState> = targets.iter().map(|t| (t.id, t)).collect();
    written
        .iter()
        .map(|&(id, installment_id)| {
            let (line, target) = (lines.get(&installment_id), targets.get(&installment_id));
            let (Some(line), Some(target)) = (line, target) else {
                return Err(
                    anyhow::anyhow!("allocation {id}: installment {installment_id} is not among its lines").into()
                );
            };
            Ok(view::Allocation {
                id,
                payment_id: Some(payment_id),
                payment_number: Some(number.to_string()),
                credit_installment_id: None,
                credit_document_number: None,
                installment_id,
                document_id: target.document_id,
                document_number: target.document_number.clone(),
                customer_id: target.customer_id,
                amount: line.amount,
                date,
                value_date: date,
                reverses_id: None,
                reversed_by: None,
            })
        })
        .collect()
}
