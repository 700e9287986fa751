//! What the web UI's Règlements screen reads beside the use cases of [`crate::payments`] (issue 13
//! point 3), each in one read snapshot and computing no rule of its own:
//! - [`App::allocation_window`]: a payment or a credit note with its allocations, the open amount now of every
//!   installment they target (an under-payment leaves it due), and the open debits it may pay — the
//!   very set the proposal is computed from (SPEC §4.2: the customer's own, then those of the
//!   customers it pays for) — with the proposal's amount on each proposed line;
//! - [`App::payments_page`]: a page of payments not counted (the fully allocated ones);
//! - [`App::earlier_duplicate`]: the earlier payment a refused recording looks like (the
//!   `likely_duplicate` refusal names it in words only);
//! - [`App::batch_credits`]: the payments and credit notes a batch allocation draws on, by id.

use std::collections::HashMap;

use creance_core::{Date, DocumentKind, Money};
use creance_store::allocations::{self, Of};
use creance_store::{customers, documents, payments, settings};

use crate::payments::{
    find_customer, parse_amount, proposal_from, read_credit, CreditRef, PaymentFilter, Proposal, RecordPayment,
};
use crate::views::money as view;
use crate::{App, AppError};

/// Open debits listed in the window at most (the proposal's lines always among them).
pub const WINDOW_DEBITS_MAX: usize = 500;

/// An open debit the payment may pay, with what the proposal puts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowDebit {
    pub installment_id: i64,
    pub document_id: i64,
    pub document_number: String,
    pub customer_id: i64,
    pub due_date: Date,
    pub amount_open: Money,
    /// The proposal's amount for it, if it is proposed.
    pub proposed: Option<Money>,
}

/// The credit an allocation window allocates, as its header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowCredit {
    /// What the use cases are called with (a payment by id, a credit note by document id).
    pub credit: CreditRef,
    pub number: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub date: Date,
    pub amount: Money,
    pub unallocated: Money,
    /// Whether it may still be allocated (a cancelled payment may not).
    pub active: bool,
}

/// A payment or a credit note as the allocation window shows it.
#[derive(Debug, Clone)]
pub struct AllocationWindow {
    pub credit: WindowCredit,
    /// The payment, when the credit is one (its details and its cancellation).
    pub payment: Option<view::Payment>,
    /// Its allocations, active and reversed, oldest first.
    pub allocations: Vec<view::Allocation>,
    /// The open amount now of each installment an active allocation targets.
    pub targets_open: HashMap<i64, Money>,
    /// While the credit is active with something unallocated: the proposal for the rest.
    pub proposal: Option<Proposal>,
    /// The open debits it may pay: proposed lines first, then by due date; at most
    /// [`WINDOW_DEBITS_MAX`].
    pub debits: Vec<WindowDebit>,
    /// How many open debits it may pay in all.
    pub debits_count: usize,
    /// Customer numbers by id, for the debits of customers it pays for.
    pub customer_numbers: HashMap<i64, String>,
}

/// A credit a batch allocation draws on: a payment (by id) or a credit note (by its installment id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCredit {
    pub number: String,
    pub customer_number: String,
    /// The payment's id, to link to it; `None` for a credit note.
    pub payment_id: Option<i64>,
}

impl App {
    /// The allocation window of a payment or a credit note (one read snapshot).
    pub async fn allocation_window(&self, company_id: i64, of: CreditRef) -> Result<AllocationWindow, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (head, payment, listed) = match of {
            CreditRef::Payment(id) => {
                let p = payments::get(&mut tx, company_id, id, false)
                    .await?
                    .ok_or(AppError::NotFound { entity: "payment", key: id.to_string() })?;
                let head = WindowCredit {
                    credit: of,
                    number: p.number.clone(),
                    customer_id: p.customer_id,
                    customer_number: p.customer_number.clone(),
                    customer_name: p.customer_name.clone(),
                    date: p.date,
                    amount: p.amount,
                    unallocated: p.unallocated,
                    active: p.status == creance_core::PaymentStatus::Active,
                };
                (head, Some(view::Payment::from(p)), Of::Payment(id))
            }
            CreditRef::CreditNote(id) => {
                let doc = documents::get(&mut tx, company_id, id)
                    .await?
                    .filter(|d| d.kind == DocumentKind::CreditNote)
                    .ok_or(AppError::NotFound { entity: "credit note", key: id.to_string() })?;
                let customer = customers::get(&mut tx, company_id, doc.customer_id).await?;
                let head = WindowCredit {
                    credit: of,
                    number: doc.number.clone(),
                    customer_id: doc.customer_id,
                    customer_number: doc.customer_number.clone(),
                    customer_name: customer.map(|c| c.fields.name).unwrap_or_default(),
                    date: doc.date,
                    amount: doc.total,
                    unallocated: doc.amount_open,
                    active: true,
                };
                (head, None, Of::Document(id))
            }
        };
        let allocations: Vec<view::Allocation> =
            allocations::list(&mut tx, company_id, listed).await?.into_iter().map(Into::into).collect();
        let target_ids: Vec<i64> =
            allocations.iter().filter(|a| a.is_active()).map(|a| a.installment_id).collect::<Vec<_>>();
        let targets_open = allocations::read_installments(&mut tx, company_id, &target_ids, false)
            .await?
            .into_iter()
            .map(|s| (s.id, Money::new(s.amount_open, s.currency)))
            .collect();
        let mut debits = Vec::new();
        let mut debits_count = 0;
        let mut proposal = None;
        let mut customer_numbers = HashMap::new();
        if head.unallocated.is_positive() && head.active {
            let credit = read_credit(&mut tx, company_id, of, false).await?;
            let open = allocations::open_debits_for(
                &mut tx,
                company_id,
                credit.customer_id,
                credit.payer_id,
                credit.unallocated.currency(),
            )
            .await?;
            let p = proposal_from(&credit, &open);
            let proposed: HashMap<i64, Money> = p.lines.iter().map(|l| (l.installment_id, l.amount)).collect();
            debits_count = open.len();
            let mut all: Vec<WindowDebit> = open
                .into_iter()
                .map(|d| WindowDebit {
                    installment_id: d.id,
                    document_id: d.document_id,
                    document_number: d.document_number,
                    customer_id: d.customer_id,
                    due_date: d.due_date,
                    amount_open: Money::new(d.amount_open, d.currency),
                    proposed: proposed.get(&d.id).copied(),
                })
                .collect();
            // Stable: proposed lines first, each group keeping the due-date order of the query.
            all.sort_by_key(|d| d.proposed.is_none());
            all.truncate(WINDOW_DEBITS_MAX);
            let others: Vec<i64> = all.iter().map(|d| d.customer_id).filter(|c| *c != head.customer_id).collect();
            for c in customers::get_many(&mut tx, company_id, &others).await? {
                customer_numbers.insert(c.id, c.fields.number);
            }
            debits = all;
            proposal = Some(p);
        }
        Ok(AllocationWindow {
            credit: head,
            payment,
            allocations,
            targets_open,
            proposal,
            debits,
            debits_count,
            customer_numbers,
        })
    }

    /// One page of the payments `filter` selects, newest first, not counted (the fully allocated
    /// payments of the Règlements screen).
    pub async fn payments_page(
        &self,
        company_id: i64,
        filter: &PaymentFilter,
        page: crate::queries::Page,
    ) -> Result<crate::queries::Paged<view::Payment>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, more) = payments::list_page(&mut tx, company_id, filter, page.limit, page.offset).await?;
        let items = items.into_iter().map(Into::into).collect();
        Ok(crate::queries::Paged { items, more, limit: page.limit, offset: page.offset })
    }

    /// The earlier payment that `input` looks like (same customer, amount and piece number within the
    /// company's window, as [`App::record_payment`] reads it), if any; `None` also when the input is
    /// refused for another reason (the recording says which).
    pub async fn earlier_duplicate(
        &self,
        company_id: i64,
        input: &RecordPayment,
        today: Date,
    ) -> Result<Option<view::Payment>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let Ok(customer) =
            find_customer(&mut tx, company_id, input.customer_id, input.customer_number.as_deref()).await
        else {
            return Ok(None);
        };
        let currency = match crate::query_args::currency("currency", &input.currency) {
            Ok(Some(c)) => c,
            Ok(None) => customer.fields.currency,
            Err(_) => return Ok(None),
        };
        let Ok(amount) = parse_amount("amount", &input.amount, currency) else { return Ok(None) };
        let Ok(date) = crate::query_args::date("date", &input.date) else { return Ok(None) };
        let window = settings::money_settings(&mut tx, company_id).await?.duplicate_window_days;
        let found = payments::likely_duplicates(
            &mut tx,
            company_id,
            customer.id,
            amount,
            input.piece_number.trim(),
            date.unwrap_or(today),
            window,
        )
        .await?;
        Ok(found.into_iter().next().map(Into::into))
    }

    /// The credits of a batch allocation's lines (`credit_kind`, `credit_id` as in
    /// [`crate::auto_allocate::BatchLine`]), by kind and id; set-based.
    pub async fn batch_credits(
        &self,
        company_id: i64,
        lines: &[crate::auto_allocate::BatchLine],
    ) -> Result<HashMap<(&'static str, i64), BatchCredit>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let ids = |kind: &str| lines.iter().filter(|l| l.credit_kind == kind).map(|l| l.credit_id).collect::<Vec<_>>();
        let mut out = HashMap::new();
        for p in payments::get_many(&mut tx, company_id, &ids("payment"), false).await? {
            out.insert(
                ("payment", p.id),
                BatchCredit { number: p.number, customer_number: p.customer_number, payment_id: Some(p.id) },
            );
        }
        let notes = allocations::read_installments(&mut tx, company_id, &ids("credit_note"), false).await?;
        let note_customers: Vec<i64> = notes.iter().map(|n| n.customer_id).collect();
        let numbers: HashMap<i64, String> = customers::get_many(&mut tx, company_id, &note_customers)
            .await?
            .into_iter()
            .map(|c| (c.id, c.fields.number))
            .collect();
        for n in notes {
            let customer_number = numbers.get(&n.customer_id).cloned().unwrap_or_default();
            out.insert(
                ("credit_note", n.id),
                BatchCredit { number: n.document_number, customer_number, payment_id: None },
            );
        }
        Ok(out)
    }
}
