//! Payments received and their allocation (SPEC §4.1, §4.2): record, propose, allocate, unallocate,
//! cancel, and the batch allocation of every unallocated credit.
//!
//! Every change runs in one write transaction that locks what it reads before deciding (the credit
//! first, then the installments in id order; on SQLite `BEGIN IMMEDIATE` already serialises writers),
//! checks the plan with [`creance_core::allocation::check`] against the locked rows, and writes the
//! allocation rows, both sides' open amounts, the journal and the audit event together.

use std::collections::HashMap;

use creance_core::allocation::{self, AllocationError, AllocationLine, OpenDebit};
use creance_core::{AmountText, Currency, Date, Money};
use creance_store::allocations::{self, AllocationRow, CreditId, InstallmentState, Of};
use creance_store::audit::{self, AuditEvent};
use creance_store::journal::{self, Rows};
use creance_store::payments;
/// The payments list's filters: plain query parameters, passed through to the store as they are.
pub use creance_store::payments::PaymentFilter;
use creance_store::settings::{self, AccountCodes};
use creance_store::{customers, documents, Tx};
use serde::{Deserialize, Serialize};

use crate::payment_rejections::{AllocationRejection, PaymentRejection};
use crate::queries::{Listed, Page};
use crate::said::{CreditLabel, Fault, Thing};
use crate::views::money as view;
use crate::{Actor, App, AppError};

/// A payment to record, as the API and the CLI receive it (text fields are validated here, each error
/// naming its field).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPayment {
    /// The paying customer, by id…
    pub customer_id: Option<i64>,
    /// …or by number.
    pub customer_number: Option<String>,
    /// YYYY-MM-DD; today when absent.
    pub date: Option<String>,
    /// The amount in major units as text: `"100.50"`, `"1 234,50"` (or an exact JSON number: `100.5`).
    #[schema(value_type = crate::views::schema::AmountInputSchema)]
    pub amount: AmountText,
    /// ISO code; the customer's currency when absent.
    pub currency: Option<String>,
    /// A code of the company's payment methods (`cheque`, `transfer`, …).
    pub method: String,
    #[serde(default)]
    pub piece_number: String,
    #[serde(default)]
    pub customer_bank: String,
    /// The company bank account it is to be deposited to.
    pub deposit_bank_id: Option<i64>,
    /// When a cheque may be deposited (a post-dated cheque stays hidden from "to deposit" until then).
    pub deposit_date: Option<String>,
    #[serde(default)]
    pub order_ref: String,
    #[serde(default)]
    pub note: String,
    /// Record it even though it looks like a duplicate.
    #[serde(default)]
    pub confirm_duplicate: bool,
    /// What to allocate at once: nothing (the default; the answer carries the proposal), the proposal,
    /// or chosen lines.
    #[serde(default)]
    pub allocate: Option<AllocateRequest>,
}

/// How to allocate a credit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllocateRequest {
    /// The proposal of SPEC §4.2 (referenced invoices, exact amount, oldest due date).
    Proposal,
    /// Chosen installments and amounts.
    Lines(Vec<LineRequest>),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    pub installment_id: i64,
    /// Major units as text (or an exact JSON number); the installment's whole open amount when absent.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>)]
    pub amount: Option<AmountText>,
}

/// A line of a proposal, with what a person needs to judge it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProposedLine {
    pub installment_id: i64,
    pub document_id: i64,
    pub document_number: String,
    pub customer_id: i64,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount_open: Money,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
}

/// What a credit would pay, and what would stay unallocated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = AllocationProposal)]
pub struct Proposal {
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub unallocated: Money,
    pub lines: Vec<ProposedLine>,
    /// What would still be unallocated after these lines (kept as credit, or refunded).
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub remaining: Money,
}

/// A payment with its allocations (active and reversed) and, while something is unallocated, the
/// proposal for the rest.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PaymentDetail {
    pub payment: view::Payment,
    pub allocations: Vec<view::Allocation>,
    pub proposal: Option<Proposal>,
}

/// The credit side of an allocation request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditRef {
    Payment(i64),
    /// A credit note, by document id.
    CreditNote(i64),
}

/// A credit as read (and locked) before allocating.
pub(crate) struct CreditState {
    pub id: CreditId,
    pub customer_id: i64,
    pub payer_id: i64,
    pub unallocated: Money,
    pub reference: String,
    pub label: CreditLabel,
}

/// Maps a rule's refusal to the answer: a stale amount (someone allocated meanwhile) is a conflict,
/// anything else a bad request naming the lines ([`AllocationRejection::Rule`]).
fn refusal(e: AllocationError) -> AppError {
    AllocationRejection::Rule(e).into()
}

pub(crate) fn parse_amount(field: &str, text: &str, currency: Currency) -> Result<Money, AppError> {
    let m = Money::parse_input(text, currency).map_err(|e| AppError::invalid_said(field, e))?;
    if !m.is_positive() {
        return Err(AppError::invalid_said(field, Fault::NotPositive { text: text.to_string() }));
    }
    Ok(m)
}

/// Refuses control characters other than tabs and line breaks in a text field, and a text longer
/// than its field's maximum (`creance_core::text_limits`).
pub(crate) fn plain_text(field: &str, value: &str) -> Result<(), AppError> {
    creance_core::text_limits::check_text_length(field, value)
        .map_err(|e| AppError::invalid_said(field, Fault::TooLong(e)))?;
    if value.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(AppError::invalid_said(field, Fault::ControlCharacter));
    }
    Ok(())
}

/// A one-line setting (a host, a name, a letterhead line): trimmed, at most `max` characters, no
/// control character at all.
pub(crate) fn one_line_text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(AppError::invalid_said(field, Fault::AtMostChars { max }));
    }
    if v.chars().any(char::is_control) {
        return Err(AppError::invalid_said(field, Fault::ControlCharactersNotAllowed));
    }
    Ok(v.to_string())
}

pub(crate) fn parse_date_field(field: &str, text: &Option<String>) -> Result<Option<Date>, AppError> {
    crate::query_args::date(field, text)
}

/// Finds the customer by id or number. Both given must name the same customer: a request naming two
/// different ones is refused on `customer_number`, never settled by the id.
pub(crate) async fn find_customer(
    tx: &mut Tx,
    company_id: i64,
    id: Option<i64>,
    number: Option<&str>,
) -> Result<customers::Customer, AppError> {
    let found = match (id, number.map(str::trim).filter(|n| !n.is_empty())) {
        (Some(id), Some(n)) => match customers::get(tx, company_id, id).await? {
            Some(c) if c.fields.number != n => {
                return Err(AppError::invalid_said(
                    "customer_number",
                    Fault::CustomerMismatch { id, id_number: c.fields.number, number: n.to_string() },
                ))
            }
            other => other,
        },
        (Some(id), None) => customers::get(tx, company_id, id).await?,
        (None, Some(n)) => customers::by_numbers(tx, company_id, &[n.to_string()]).await?.into_iter().next(),
        (None, None) => return Err(AppError::invalid_said("customer_id", Fault::CustomerMissing)),
    };
    found.ok_or_else(|| {
        AppError::invalid_said(
            if id.is_some() { "customer_id" } else { "customer_number" },
            Fault::NoSuch {
                thing: Thing::Customer,
                key: id.map_or_else(|| number.unwrap_or("").to_string(), |i| i.to_string()),
            },
        )
    })
}

/// Reads and locks a credit.
pub(crate) async fn lock_credit(tx: &mut Tx, company_id: i64, credit: CreditRef) -> Result<CreditState, AppError> {
    read_credit(tx, company_id, credit, true).await
}

/// Reads a credit, locking it when `lock` (a write transaction).
pub(crate) async fn read_credit(
    tx: &mut Tx,
    company_id: i64,
    credit: CreditRef,
    lock: bool,
) -> Result<CreditState, AppError> {
    match credit {
        CreditRef::Payment(id) => {
            let p = payments::get(tx, company_id, id, lock)
                .await?
                .ok_or(AppError::NotFound { entity: "payment", key: id.to_string() })?;
            if p.status != creance_core::PaymentStatus::Active {
                return Err(PaymentRejection::Cancelled { number: p.number }.into());
            }
            let c = customers::get(tx, company_id, p.customer_id).await?.ok_or_else(|| {
                anyhow::anyhow!("company {company_id}: customer {} of payment {} is missing", p.customer_id, p.number)
            })?;
            Ok(CreditState {
                id: CreditId::Payment(p.id),
                customer_id: p.customer_id,
                payer_id: c.payer_id.unwrap_or(c.id),
                unallocated: p.unallocated,
                reference: format!("{} {}", p.piece_number, p.note),
                label: CreditLabel::Payment(p.number.clone()),
            })
        }
        CreditRef::CreditNote(document_id) => {
            let doc = documents::get(tx, company_id, document_id)
                .await?
                .ok_or(AppError::NotFound { entity: "document", key: document_id.to_string() })?;
            if doc.kind != creance_core::DocumentKind::CreditNote {
                return Err(AppError::invalid_said("document_id", Fault::NotACreditNote { number: doc.number }));
            }
            let first = doc.installments.first().ok_or_else(|| {
                anyhow::anyhow!(
                    "company {company_id}: credit note {} (document {document_id}) has no installment",
                    doc.number
                )
            })?;
            let state = allocations::read_installments(tx, company_id, &[first.id], lock)
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "company {company_id}: installment {} of credit note {} vanished while it was read",
                        first.id,
                        doc.number
                    )
                })?;
            Ok(CreditState {
                id: CreditId::CreditNote(state.id),
                customer_id: state.customer_id,
                payer_id: state.payer_id,
                unallocated: Money::new(state.amount_open, state.currency),
                reference: format!("{} {}", doc.text, doc.order_ref),
                label: CreditLabel::CreditNote(doc.number.clone()),
            })
        }
    }
}

impl CreditState {
    /// Whether an installment of a customer with this payer may be paid by this credit (SPEC §4.1).
    pub(crate) fn may_pay(&self, t: &InstallmentState) -> bool {
        t.payer_id == self.customer_id || t.payer_id == self.payer_id
    }
}

pub(crate) fn proposal_from(credit: &CreditState, debits: &[InstallmentState]) -> Proposal {
    let open: Vec<OpenDebit> = debits.iter().map(InstallmentState::open_debit).collect();
    let p = allocation::propose(credit.unallocated, credit.customer_id, &credit.reference, &open);
    let by_id: HashMap<i64, &InstallmentState> = debits.iter().map(|d| (d.id, d)).collect();
    let lines = p
        .lines
        .iter()
        .filter_map(|l| {
            by_id.get(&l.installment_id).map(|d| ProposedLine {
                installment_id: d.id,
                document_id: d.document_id,
                document_number: d.document_number.clone(),
                customer_id: d.customer_id,
                due_date: d.due_date,
                amount_open: Money::new(d.amount_open, d.currency),
                amount: l.amount,
            })
        })
        .collect();
    Proposal { unallocated: credit.unallocated, lines, remaining: p.unallocated }
}

/// The proposal for a credit as it stands in this transaction.
pub(crate) async fn propose_in(tx: &mut Tx, company_id: i64, credit: &CreditState) -> Result<Proposal, AppError> {
    Ok(proposal_from(credit, &open_debits(tx, company_id, credit).await?))
}

/// The open debits a credit may pay, oldest due first (SPEC §4.1).
async fn open_debits(tx: &mut Tx, company_id: i64, credit: &CreditState) -> Result<Vec<InstallmentState>, AppError> {
    Ok(allocations::open_debits_for(tx, company_id, credit.customer_id, credit.payer_id, credit.unallocated.currency())
        .await?)
}

/// Allocates `lines` from a locked credit: locks the targets, checks the plan against both sides,
/// writes allocations, open amounts and the journal transfers. Returns the allocation ids.
pub(crate) async fn allocate_in(
    tx: &mut Tx,
    company_id: i64,
    codes: &AccountCodes,
    credit: &CreditState,
    lines: &[AllocationLine],
    date: Date,
) -> Result<Vec<i64>, AppError> {
    let ids: Vec<i64> = lines.iter().map(|l| l.installment_id).collect();
    let targets = allocations::lock_installments(tx, company_id, &ids).await?;
    let allocation_ids = allocate_locked(tx, company_id, credit, lines, &targets, date).await?;
    journal::book_allocation_transfers(tx, company_id, codes, Rows::Ids(&allocation_ids)).await?;
    Ok(allocation_ids)
}

/// Allocates `lines` from a credit over targets this transaction has already locked ([`Requested`]):
/// checks the plan against both sides, writes allocations and both sides' open amounts (not the
/// journal). Returns the allocation ids.
async fn allocate_locked(
    tx: &mut Tx,
    company_id: i64,
    credit: &CreditState,
    lines: &[AllocationLine],
    targets: &[InstallmentState],
    date: Date,
) -> Result<Vec<i64>, AppError> {
    let total = check_lines(credit, lines, targets)?;
    let written = match credit.id {
        CreditId::Payment(p) => {
            let written = write_lines(tx, company_id, credit.id, lines, date, None).await?;
            allocations::adjust_payments(tx, company_id, &[(p, -total.minor())]).await?;
            written
        }
        CreditId::CreditNote(i) => {
            write_lines(tx, company_id, credit.id, lines, date, Some((i, -total.minor()))).await?
        }
    };
    Ok(written.into_iter().map(|(id, _)| id).collect())
}

/// Checks `lines` against both sides (the credit's unallocated amount, the locked targets); the
/// total they allocate.
pub(crate) fn check_lines(
    credit: &CreditState,
    lines: &[AllocationLine],
    targets: &[InstallmentState],
) -> Result<Money, AppError> {
    let debits: Vec<OpenDebit> = targets
        .iter()
        // A fully paid installment stays a known target: asking it for more is "more than its open
        // amount" (a conflict with whoever paid it), not an unknown installment.
        .filter(|t| t.side == 1 && credit.may_pay(t))
        .map(InstallmentState::open_debit)
        .collect();
    allocation::check(credit.unallocated, &debits, lines).map_err(refusal)
}

/// Writes checked lines of `credit`: the allocation rows and the open amounts of the installments
/// they pay, with `credit_note` (a credit note's installment and its delta) in the same statement; a
/// payment's own open amount is the caller's. Returns `(allocation id, installment id)` pairs.
pub(crate) async fn write_lines(
    tx: &mut Tx,
    company_id: i64,
    credit: CreditId,
    lines: &[AllocationLine],
    date: Date,
    credit_note: Option<(i64, i64)>,
) -> Result<Vec<(i64, i64)>, AppError> {
    let rows: Vec<AllocationRow> = lines
        .iter()
        .map(|l| AllocationRow { credit, installment_id: l.installment_id, amount: l.amount, date })
        .collect();
    let written = allocations::insert_returning(tx, company_id, &rows).await?;
    let mut deltas: Vec<(i64, i64)> = lines.iter().map(|l| (l.installment_id, -l.amount.minor())).collect();
    deltas.extend(credit_note);
    allocations::adjust_installments(tx, company_id, &deltas).await?;
    Ok(written)
}

/// The lines of an allocation request, with the states of their installments as this transaction
/// locked them (the targets [`allocate_locked`] checks the lines against).
pub(crate) struct Requested {
    pub lines: Vec<AllocationLine>,
    pub targets: Vec<InstallmentState>,
}

/// Turns requested lines into checked-shape lines (amounts parsed in the credit's currency; a line
/// without amount takes the installment's whole open amount, up to what the credit has left).
pub(crate) async fn lines_from_request(
    tx: &mut Tx,
    company_id: i64,
    credit: &CreditState,
    request: &AllocateRequest,
) -> Result<Requested, AppError> {
    match request {
        AllocateRequest::Proposal => {
            let debits = open_debits(tx, company_id, credit).await?;
            let p = proposal_from(credit, &debits);
            let lines: Vec<AllocationLine> =
                p.lines.iter().map(|l| AllocationLine { installment_id: l.installment_id, amount: l.amount }).collect();
            let ids: Vec<i64> = lines.iter().map(|l| l.installment_id).collect();
            let targets = allocations::lock_read_installments(tx, company_id, &ids, debits).await?;
            Ok(Requested { lines, targets })
        }
        AllocateRequest::Lines(lines) => {
            let currency = credit.unallocated.currency();
            let ids: Vec<i64> = lines.iter().map(|l| l.installment_id).collect();
            let states = allocations::lock_installments(tx, company_id, &ids).await?;
            let mut left = credit.unallocated.minor();
            let mut out = Vec::with_capacity(lines.len());
            for (n, l) in lines.iter().enumerate() {
                let amount = match &l.amount {
                    Some(text) => parse_amount(&format!("lines[{n}].amount"), text, currency)?,
                    None => {
                        let open = states.iter().find(|s| s.id == l.installment_id).map_or(0, |s| s.amount_open);
                        Money::new(open.min(left).max(0), currency)
                    }
                };
                left -= amount.minor();
                out.push(AllocationLine { installment_id: l.installment_id, amount });
            }
            Ok(Requested { lines: out, targets: states })
        }
    }
}

impl App {
    /// Runs a money-moving use case, retrying it (up to 5 times) when the store classifies its failure
    /// as a lost race ([`creance_store::error::DbRejection::is_lost_race`]: PostgreSQL serialization failure or deadlock,
    /// SQLite busy, another draft proposal committed first); a race that keeps being lost, or a
    /// constraint guard tripping (over-allocation, …), is a 409 with its code, never a 500.
    pub(crate) async fn with_retry<T, F, Fut>(&self, mut f: F) -> Result<T, AppError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match f().await {
                Err(AppError::Internal(e)) => match creance_store::error::classify(&e) {
                    Some(r) if r.is_lost_race() && attempt < 5 => continue,
                    Some(r) => return Err(r.into()),
                    None => return Err(AppError::Internal(e)),
                },
                other => return other,
            }
        }
    }

    /// A payment with its allocations and, while something is unallocated, the proposal for the rest.
    pub async fn payment(&self, company_id: i64, id: i64) -> Result<PaymentDetail, AppError> {
        let mut tx = self.db.begin_read().await?;
        let payment = payments::get(&mut tx, company_id, id, false)
            .await?
            .ok_or(AppError::NotFound { entity: "payment", key: id.to_string() })?;
        let allocations = allocations::list(&mut tx, company_id, Of::Payment(id)).await?;
        let proposal = if payment.unallocated.is_positive() && payment.status == creance_core::PaymentStatus::Active {
            let c = customers::get(&mut tx, company_id, payment.customer_id).await?;
            let credit = CreditState {
                id: CreditId::Payment(id),
                customer_id: payment.customer_id,
                payer_id: c.and_then(|c| c.payer_id).unwrap_or(payment.customer_id),
                unallocated: payment.unallocated,
                reference: format!("{} {}", payment.piece_number, payment.note),
                label: CreditLabel::Payment(payment.number.clone()),
            };
            Some(propose_in(&mut tx, company_id, &credit).await?)
        } else {
            None
        };
        Ok(PaymentDetail {
            payment: payment.into(),
            allocations: allocations.into_iter().map(Into::into).collect(),
            proposal,
        })
    }

    pub async fn payment_by_number(&self, company_id: i64, number: &str) -> Result<PaymentDetail, AppError> {
        let mut tx = self.db.begin_read().await?;
        let p = payments::by_number(&mut tx, company_id, number)
            .await?
            .ok_or(AppError::NotFound { entity: "payment", key: number.to_string() })?;
        drop(tx);
        self.payment(company_id, p.id).await
    }

    pub async fn payments(
        &self,
        company_id: i64,
        filter: &PaymentFilter,
        page: Page,
    ) -> Result<Listed<view::Payment>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = payments::list(&mut tx, company_id, filter, page.limit, page.offset).await?;
        let items = items.into_iter().map(Into::into).collect();
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }

    /// The proposal for a payment or a credit note, without changing anything.
    pub async fn proposal(&self, company_id: i64, credit: CreditRef) -> Result<Proposal, AppError> {
        let mut tx = self.db.begin_read().await?;
        let c = read_credit(&mut tx, company_id, credit, false).await?;
        propose_in(&mut tx, company_id, &c).await
    }

    /// Allocates a payment or a credit note: the proposal, or chosen lines. Returns the new allocations.
    pub async fn allocate(
        &self,
        actor: &Actor,
        company_id: i64,
        credit: CreditRef,
        request: &AllocateRequest,
        date: Date,
    ) -> Result<Vec<view::Allocation>, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let c = lock_credit(&mut tx, company_id, credit).await?;
            let Requested { lines, targets } = lines_from_request(&mut tx, company_id, &c, request).await?;
            if lines.is_empty() {
                return Err(AllocationRejection::NothingToAllocate {
                    credit: c.label.clone(),
                    unallocated: c.unallocated,
                }
                .into());
            }
            let codes = settings::account_codes(&mut tx, company_id).await?;
            let ids = allocate_locked(&mut tx, company_id, &c, &lines, &targets, date).await?;
            journal::book_allocation_transfers(&mut tx, company_id, &codes, Rows::Ids(&ids)).await?;
            let total = Money::checked_sum(c.unallocated.currency(), lines.iter().map(|l| l.amount))
                .map_err(|e| AppError::invalid_said("lines", e))?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "allocation.create", "allocation", ids.first().copied())
                    .summary(format!("{} allocated {total} to {} installment(s)", c.label, ids.len())),
            )
            .await?;
            let mut out = Vec::with_capacity(ids.len());
            for id in &ids {
                out.extend(allocations::get(&mut tx, company_id, *id).await?.map(view::Allocation::from));
            }
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(out)
        })
        .await
    }

    /// Unallocates: appends the reversal of an active allocation and gives the amount back to both sides.
    pub async fn unallocate(
        &self,
        actor: &Actor,
        company_id: i64,
        allocation_id: i64,
        date: Date,
    ) -> Result<view::Allocation, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let a = allocations::get(&mut tx, company_id, allocation_id)
                .await?
                .ok_or(AppError::NotFound { entity: "allocation", key: allocation_id.to_string() })?;
            // Lock the credit, then the installment, in the same order as allocating does.
            let credit = match (a.payment_id, a.credit_installment_id) {
                (Some(p), _) => {
                    payments::get(&mut tx, company_id, p, true).await?;
                    CreditId::Payment(p)
                }
                (None, Some(i)) => CreditId::CreditNote(i),
                (None, None) => {
                    return Err(anyhow::anyhow!("company {company_id}: allocation {allocation_id} has no credit").into())
                }
            };
            let mut lock_ids = vec![a.installment_id];
            if let CreditId::CreditNote(i) = credit {
                lock_ids.push(i);
            }
            allocations::lock_installments(&mut tx, company_id, &lock_ids).await?;
            // Re-read under the locks: a concurrent unallocation may have won.
            let a = allocations::get(&mut tx, company_id, allocation_id)
                .await?
                .ok_or(AppError::NotFound { entity: "allocation", key: allocation_id.to_string() })?;
            if a.reverses_id.is_some() {
                return Err(AllocationRejection::IsReversal { allocation_id }.into());
            }
            if let Some(by) = a.reversed_by {
                return Err(AllocationRejection::AlreadyReversed { allocation_id, by }.into());
            }
            if creance_store::small_balances::allocation_is_internal(&mut tx, company_id, allocation_id).await? {
                return Err(AppError::rejected_said(
                    crate::Code::ActionNotUndoable,
                    Fault::SmallBalanceAllocation { allocation_id },
                ));
            }
            let reversal = allocations::reverse(&mut tx, company_id, &a, date).await?;
            let back = a.amount.minor();
            let mut deltas = vec![(a.installment_id, back)];
            match credit {
                CreditId::Payment(p) => allocations::adjust_payments(&mut tx, company_id, &[(p, back)]).await?,
                CreditId::CreditNote(i) => deltas.push((i, back)),
            }
            allocations::adjust_installments(&mut tx, company_id, &deltas).await?;
            let codes = settings::account_codes(&mut tx, company_id).await?;
            journal::book_allocation_transfers(&mut tx, company_id, &codes, Rows::Ids(&[reversal])).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "allocation.reverse", "allocation", Some(allocation_id))
                    .summary(format!(
                        "allocation {allocation_id} of {} to {} reversed by {reversal}",
                        a.amount, a.document_number
                    )),
            )
            .await?;
            let out = allocations::get(&mut tx, company_id, reversal).await?.ok_or_else(|| {
                anyhow::anyhow!("company {company_id}: reversal {reversal} of allocation {allocation_id} vanished")
            })?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(out.into())
        })
        .await
    }

    /// Cancels a payment recorded wrongly (SPEC §4.2): only while nothing of it is allocated, refunded
    /// or deposited. Its journal entry is reversed.
    pub async fn cancel_payment(
        &self,
        actor: &Actor,
        company_id: i64,
        id: i64,
        reason: &str,
        date: Date,
    ) -> Result<view::Payment, AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::invalid_said("reason", Fault::CancelReasonMissing));
        }
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let p = payments::get(&mut tx, company_id, id, true)
                .await?
                .ok_or(AppError::NotFound { entity: "payment", key: id.to_string() })?;
            if p.status != creance_core::PaymentStatus::Active {
                return Err(PaymentRejection::AlreadyCancelled { number: p.number }.into());
            }
            if p.unallocated != p.amount {
                let used = p.amount.checked_sub(p.unallocated).unwrap_or(p.amount);
                return Err(PaymentRejection::Allocated { number: p.number, used, moving: false }.into());
            }
            if p.deposit_id.is_some() {
                return Err(PaymentRejection::InDeposit { number: p.number }.into());
            }
            if !payments::cancel(&mut tx, company_id, id, reason).await? {
                return Err(PaymentRejection::Changed { number: p.number, what: "be cancelled" }.into());
            }
            journal::reverse_source(
                &mut tx,
                company_id,
                "payment",
                id,
                &format!("P{id}-X"),
                date,
                &format!("Annulation règlement {}", p.number),
            )
            .await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "payment.cancel", "payment", Some(id))
                    .summary(format!("payment {} of {} cancelled: {reason}", p.number, p.amount)),
            )
            .await?;
            let out = payments::get(&mut tx, company_id, id, false)
                .await?
                .ok_or_else(|| anyhow::anyhow!("company {company_id}: payment {id} vanished after its cancellation"))?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(out.into())
        })
        .await
    }

    /// A credit note's allocations.
    pub async fn credit_note_allocations(
        &self,
        company_id: i64,
        document_id: i64,
    ) -> Result<Vec<view::Allocation>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(allocations::list(&mut tx, company_id, Of::Document(document_id))
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
