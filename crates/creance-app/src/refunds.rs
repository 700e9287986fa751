//! Refunds (SPEC §4.3): money paid back to a customer, consuming unallocated credit of its payments or
//! credit notes. A refund may be recorded first and allocated later; until then it waits "to allocate".
//!
//! A refund is backed by what its credits have, read under lock (the credits are locked before their
//! amounts are read: PostgreSQL `FOR UPDATE`, SQLite `BEGIN IMMEDIATE`), so that concurrent refunds of
//! the same credit never take more than it has:
//! - a named credit with nothing left is refused (409 naming it), as is `auto` when the customer has
//!   no credit at all; nothing is ever recorded "to allocate" because its credits ran dry meanwhile;
//! - a refund recorded with an allocation must be covered in full (else 409 naming what the credits
//!   have); one recorded without waits "to allocate" and may later be allocated in parts;
//! - a likely duplicate (same customer, amount and piece number within the company's duplicate window)
//!   is refused like a payment's, unless `confirm_duplicate`.

use std::collections::HashMap;

use creance_core::{Date, Money, RefundReason};
use creance_store::allocations::{self, CreditId};
use creance_store::audit::{self, AuditEvent};
use creance_store::journal;
/// The refunds list's filters: plain query parameters, passed through to the store as they are.
pub use creance_store::refunds::RefundFilter;
use creance_store::refunds::{self, NewRefund};
use creance_store::{companies, customers, documents, payments, series, settings, Tx};
use serde::{Deserialize, Serialize};

use crate::payment_rejections::{Earlier, PaymentRejection};
use crate::payments::{find_customer, parse_amount, parse_date_field, plain_text};
use crate::queries::{Listed, Page};
use crate::refund_rejections::RefundRejection;
use crate::views::money::Refund;
use crate::{Actor, App, AppError, CreditLabel, Fault, Said, Thing};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRefund {
    pub customer_id: Option<i64>,
    pub customer_number: Option<String>,
    /// YYYY-MM-DD; today when absent.
    pub date: Option<String>,
    /// Major units as text (or an exact JSON number).
    #[schema(value_type = crate::views::schema::AmountInputSchema)]
    pub amount: creance_core::AmountText,
    /// The customer's currency when absent.
    pub currency: Option<String>,
    /// overpayment, credit_note, duplicate_payment, cancelled_order or other.
    pub reason: String,
    /// A code of the company's payment methods (usually `transfer` or `cheque`).
    pub method: String,
    #[serde(default)]
    pub piece_number: String,
    /// The company bank account the money leaves from.
    pub bank_account_id: Option<i64>,
    #[serde(default)]
    pub note: String,
    /// Record it even though it looks like a duplicate (same customer, amount and piece number within
    /// the company's duplicate window).
    #[serde(default)]
    pub confirm_duplicate: bool,
    /// What the refund consumes: the customer's credits oldest first (`"auto"`), chosen credits, or
    /// nothing yet (the refund then waits "to allocate"). When given, the credits must cover the whole
    /// amount.
    #[serde(default)]
    pub allocate: Option<RefundAllocate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundAllocate {
    Auto,
    Lines(Vec<RefundLine>),
}

/// So much of one payment or credit note.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundLine {
    pub payment_id: Option<i64>,
    /// A credit note, by document id.
    pub credit_note_id: Option<i64>,
    /// Major units as text (or an exact JSON number); as much as both sides allow when absent.
    #[schema(value_type = Option<crate::views::schema::AmountInputSchema>)]
    pub amount: Option<creance_core::AmountText>,
}

/// What the refund letter prints (rendered by the documents work).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RefundLetter {
    pub company_name: String,
    pub company_address: String,
    pub customer_number: String,
    pub customer_name: String,
    pub customer_address: String,
    pub customer_postal_code: String,
    pub customer_city: String,
    pub customer_country: String,
    pub language: String,
    pub refund: Refund,
    /// The reason in the customer's language.
    pub reason_label: String,
}

/// A credit with its customer and what it still has, read under lock.
struct CreditHeld {
    id: CreditId,
    customer_id: i64,
    open: Money,
    label: CreditLabel,
    date: Date,
}

/// The most unallocated payments an `auto` refund reads for one customer; past it the refund is
/// refused (naming the maximum) and must name its credits in `lines`.
pub const AUTO_PAYMENTS_MAX: i64 = 10_000;

/// The customer's credits, locked, in date order (payments in id order within a date, then credit
/// notes): its unallocated payments in one query, its open credit notes in another.
async fn customer_credits(tx: &mut Tx, company_id: i64, customer_id: i64) -> Result<Vec<CreditHeld>, AppError> {
    let pays = payments::unallocated_of_customer(tx, company_id, customer_id, AUTO_PAYMENTS_MAX + 1, true).await?;
    if pays.len() as i64 > AUTO_PAYMENTS_MAX {
        return Err(RefundRejection::TooManyCredits { max: AUTO_PAYMENTS_MAX }.into());
    }
    let mut out: Vec<CreditHeld> = pays
        .into_iter()
        .map(|p| CreditHeld {
            id: CreditId::Payment(p.id),
            customer_id: p.customer_id,
            open: p.unallocated,
            label: CreditLabel::Payment(p.number.clone()),
            date: p.date,
        })
        .collect();
    for i in allocations::open_credit_notes(tx, company_id, customer_id).await? {
        out.push(CreditHeld {
            id: CreditId::CreditNote(i.id),
            customer_id: i.customer_id,
            open: Money::new(i.amount_open, i.currency),
            label: CreditLabel::CreditNote(i.document_number.clone()),
            date: i.due_date,
        });
    }
    out.sort_by_key(|c| c.date);
    Ok(out)
}

/// The credits that a refund's explicit `lines` name, read (and locked) for all the lines at once:
/// the payments in one query, the credit notes and their first installments in two more (per
/// `batch_rows` ids); each line is then checked, in line order, by [`credit_of_line`].
struct LineCredits {
    payments: HashMap<i64, payments::Payment>,
    /// Credit note id → (its number and date, its first installment locked).
    credit_notes: HashMap<i64, (String, Date, Option<allocations::InstallmentState>)>,
}

async fn lock_line_credits(tx: &mut Tx, company_id: i64, lines: &[RefundLine]) -> Result<LineCredits, AppError> {
    let payment_ids: Vec<i64> =
        lines.iter().filter(|l| l.credit_note_id.is_none()).filter_map(|l| l.payment_id).collect();
    let note_ids: Vec<i64> = lines.iter().filter(|l| l.payment_id.is_none()).filter_map(|l| l.credit_note_id).collect();
    let payments: HashMap<i64, payments::Payment> =
        payments::get_many(tx, company_id, &payment_ids, true).await?.into_iter().map(|p| (p.id, p)).collect();
    let notes: Vec<documents::Document> = documents::by_ids(tx, company_id, &note_ids)
        .await?
        .into_iter()
        .filter(|d| d.kind == creance_core::DocumentKind::CreditNote)
        .collect();
    let firsts: Vec<i64> = notes.iter().filter_map(|d| d.installments.first().map(|i| i.id)).collect();
    let mut locked: HashMap<i64, allocations::InstallmentState> =
        allocations::lock_installments(tx, company_id, &firsts).await?.into_iter().map(|s| (s.id, s)).collect();
    let credit_notes = notes
        .into_iter()
        .map(|d| {
            let first = d.installments.first().and_then(|i| locked.remove(&i.id));
            (d.id, (d.number, d.date, first))
        })
        .collect();
    Ok(LineCredits { payments, credit_notes })
}

fn credit_of_line(credits: &LineCredits, line: &RefundLine, n: usize) -> Result<CreditHeld, AppError> {
    match (line.payment_id, line.credit_note_id) {
        (Some(id), None) => {
            let p = credits.payments.get(&id).ok_or_else(|| {
                AppError::invalid_said(
                    format!("lines[{n}].payment_id"),
                    Fault::NoSuch { thing: Thing::Payment, key: id.to_string() },
                )
            })?;
            if p.status != creance_core::PaymentStatus::Active {
                return Err(AppError::invalid_said(
                    format!("lines[{n}].payment_id"),
                    Said::Payment(PaymentRejection::Cancelled { number: p.number.clone() }),
                ));
            }
            Ok(CreditHeld {
                id: CreditId::Payment(p.id),
                customer_id: p.customer_id,
                open: p.unallocated,
                label: CreditLabel::Payment(p.number.clone()),
                date: p.date,
            })
        }
        (None, Some(doc)) => {
            let field = format!("lines[{n}].credit_note_id");
            let (number, date, first) = credits.credit_notes.get(&doc).ok_or_else(|| {
                AppError::invalid_said(field.clone(), Fault::NoSuch { thing: Thing::CreditNote, key: doc.to_string() })
            })?;
            let s = first.as_ref().ok_or_else(|| anyhow::anyhow!("credit note {number} without installment"))?;
            Ok(CreditHeld {
                id: CreditId::CreditNote(s.id),
                customer_id: s.customer_id,
                open: Money::new(s.amount_open, s.currency),
                label: CreditLabel::CreditNote(number.clone()),
                date: *date,
            })
        }
        _ => Err(AppError::invalid_said(format!("lines[{n}]"), Fault::RefundLineOneCredit)),
    }
}

/// Allocates a locked refund to credits; every line checked against both sides, under the credits'
/// locks. `whole`: the credits must cover all the refund has to allocate (a refund being recorded).
async fn allocate_refund_in(
    tx: &mut Tx,
    company_id: i64,
    refund: &refunds::Refund,
    request: &RefundAllocate,
    date: Date,
    whole: bool,
) -> Result<Money, AppError> {
    let currency = refund.amount.currency();
    let mut left = refund.to_allocate.minor();
    let mut plan: Vec<(CreditId, Money)> = Vec::new();
    // What each planned credit is, for the messages.
    let mut labels: Vec<CreditLabel> = Vec::new();
    match request {
        RefundAllocate::Auto => {
            // The credits the reason names come first (a credit note for `credit_note`, payments
            // otherwise), then the oldest.
            let notes_first = refund.reason == RefundReason::CreditNote.code();
            let mut credits = customer_credits(tx, company_id, refund.customer_id).await?;
            credits.sort_by_key(|c| (matches!(c.id, CreditId::CreditNote(_)) != notes_first, c.date));
            for c in credits {
                if left == 0 {
                    break;
                }
                if c.open.currency() != currency || !c.open.is_positive() {
                    continue;
                }
                let take = c.open.minor().min(left);
                left -= take;
                plan.push((c.id, Money::new(take, currency)));
                labels.push(c.label);
            }
            if plan.is_empty() {
                return Err(
                    RefundRejection::NoCredit { customer_number: refund.customer_number.clone(), currency }.into()
                );
            }
        }
        RefundAllocate::Lines(lines) => {
            if lines.is_empty() {
                return Err(AppError::invalid_said("lines", Fault::RefundLinesMissing));
            }
            let credits = lock_line_credits(tx, company_id, lines).await?;
            for (n, line) in lines.iter().enumerate() {
                let c = credit_of_line(&credits, line, n)?;
                if c.customer_id != refund.customer_id {
                    return Err(AppError::invalid_said(
                        format!("lines[{n}]"),
                        Fault::RefundLineOtherCustomer { label: c.label, refund: refund.number.clone() },
                    ));
                }
                if plan.iter().any(|(id, _)| *id == c.id) {
                    return Err(AppError::invalid_said(
                        format!("lines[{n}]"),
                        Fault::RefundLineTwice { label: c.label },
                    ));
                }
                if c.open.currency() != currency {
                    return Err(AppError::invalid_said(
                        format!("lines[{n}]"),
                        Fault::RefundLineCurrency { label: c.label, line: c.open.currency(), refund: currency },
                    ));
                }
                if !c.open.is_positive() {
                    return Err(RefundRejection::CreditEmpty { credit: c.label, open: c.open }.into());
                }
                let amount = match &line.amount {
                    Some(t) => parse_amount(&format!("lines[{n}].amount"), t, currency)?,
                    None => Money::new(c.open.minor().min(left), currency),
                };
                if !amount.is_positive() {
                    return Err(RefundRejection::NothingLeftToAllocate {
                        credit: c.label,
                        number: refund.number.clone(),
                        to_allocate: refund.to_allocate,
                    }
                    .into());
                }
                if amount.minor() > c.open.minor() {
                    return Err(RefundRejection::ExceedsCredit { credit: c.label, amount, open: c.open }.into());
                }
                if amount.minor() > left {
                    return Err(RefundRejection::ExceedsToAllocate {
                        number: refund.number.clone(),
                        to_allocate: refund.to_allocate,
                    }
                    .into());
                }
                left -= amount.minor();
                plan.push((c.id, amount));
                labels.push(c.label);
            }
        }
    }
    if whole && left > 0 {
        let covered = refund.to_allocate.minor() - left;
        return Err(RefundRejection::NotCovered {
            customer_number: refund.customer_number.clone(),
            to_allocate: refund.to_allocate,
            covered: Money::new(covered, currency),
            taken: plan.iter().zip(labels).map(|((_, m), l)| (*m, l)).collect(),
        }
        .into());
    }
    refunds::insert_allocations(tx, company_id, refund.id, &plan, date).await?;
    let mut pay = Vec::new();
    let mut inst = Vec::new();
    for (id, m) in &plan {
        match id {
            CreditId::Payment(p) => pay.push((*p, -m.minor())),
            CreditId::CreditNote(i) => inst.push((*i, -m.minor())),
        }
    }
    if !pay.is_empty() {
        allocations::adjust_payments(tx, company_id, &pay).await?;
    }
    if !inst.is_empty() {
        allocations::adjust_installments(tx, company_id, &inst).await?;
    }
    let total = refund.to_allocate.minor() - left;
    allocations::adjust_refunds(tx, company_id, &[(refund.id, -total)]).await?;
    Ok(Money::new(total, currency))
}

impl App {
    /// Records a refund and books it (receivable / bank); allocates it at once when asked, refusing it
    /// unless its credits cover it in full. A likely duplicate is refused unless confirmed.
    pub async fn record_refund(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &RecordRefund,
        today: Date,
    ) -> Result<Refund, AppError> {
        let id = self
            .with_retry(|| async {
                let mut tx = self.db.begin_write(actor.at()).await?;
                let customer =
                    find_customer(&mut tx, company_id, input.customer_id, input.customer_number.as_deref()).await?;
                let currency =
                    crate::query_args::currency("currency", &input.currency)?.unwrap_or(customer.fields.currency);
                let amount = parse_amount("amount", &input.amount, currency)?;
                for (field, value) in [("piece_number", &input.piece_number), ("note", &input.note)] {
                    crate::payments::plain_text(field, value)?;
                }
                let date = parse_date_field("date", &input.date)?.unwrap_or(today);
                let reason = RefundReason::parse(&input.reason).ok_or_else(|| {
                    AppError::invalid_said(
                        "reason",
                        Fault::NotARefundReason {
                            text: input.reason.clone(),
                            known: RefundReason::ALL.map(|r| r.code()).to_vec(),
                        },
                    )
                })?;
                let method = input.method.trim();
                if payments::method_needs_deposit(&mut tx, company_id, method).await?.is_none() {
                    return Err(AppError::invalid_said(
                        "method",
                        Fault::NotAMethod { method: method.to_string(), known: Vec::new() },
                    ));
                }
                if let Some(bank) = input.bank_account_id {
                    if !settings::bank_accounts(&mut tx, company_id).await?.iter().any(|b| b.id == bank) {
                        return Err(AppError::invalid_said(
                            "bank_account_id",
                            Fault::NoSuch { thing: Thing::BankAccount, key: bank.to_string() },
                        ));
                    }
                }
                for (field, value) in [("piece_number", &input.piece_number), ("note", &input.note)] {
                    plain_text(field, value)?;
                }
                let piece = input.piece_number.trim();
                if !input.confirm_duplicate {
                    let window = settings::money_settings(&mut tx, company_id).await?.duplicate_window_days;
                    let dups =
                        refunds::likely_duplicates(&mut tx, company_id, customer.id, amount, piece, date, window)
                            .await?;
                    if let Some(d) = dups.first() {
                        let earlier = Earlier {
                            id: d.id,
                            number: d.number.clone(),
                            customer_number: d.customer_number.clone(),
                            date: d.date,
                            amount: d.amount,
                            piece_number: d.piece_number.clone(),
                        };
                        return Err(RefundRejection::LikelyDuplicate { earlier, window_days: window }.into());
                    }
                }
                let number = series::take(&mut tx, company_id, "refund", date.year(), 1)
                    .await?
                    .pop()
                    .ok_or_else(|| anyhow::anyhow!("no refund number"))?;
                let id = refunds::insert(
                    &mut tx,
                    company_id,
                    &NewRefund {
                        number: number.clone(),
                        customer_id: customer.id,
                        date,
                        amount,
                        reason,
                        method: method.to_string(),
                        piece_number: piece.to_string(),
                        bank_account_id: input.bank_account_id,
                        note: input.note.trim().to_string(),
                    },
                )
                .await?;
                let codes = settings::account_codes(&mut tx, company_id).await?;
                journal::book_refund(&mut tx, company_id, &codes, id).await?;
                let mut summary =
                    format!("refund {number} of {amount} to {} ({})", customer.fields.number, reason.code());
                if let Some(request) = &input.allocate {
                    let refund = refunds::get(&mut tx, company_id, id, true)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("refund vanished"))?;
                    let done = allocate_refund_in(&mut tx, company_id, &refund, request, date, true).await?;
                    summary.push_str(&format!(", {done} allocated"));
                }
                audit::record(
                    &mut tx,
                    &AuditEvent::new(company_id, actor.as_str(), "refund.record", "refund", Some(id)).summary(summary),
                )
                .await?;
                tx.commit().await.map_err(anyhow::Error::from)?;
                Ok(id)
            })
            .await?;
        self.refund(company_id, id).await
    }

    /// Allocates a refund that waits "to allocate".
    pub async fn allocate_refund(
        &self,
        actor: &Actor,
        company_id: i64,
        id: i64,
        request: &RefundAllocate,
        date: Date,
    ) -> Result<Refund, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let refund = refunds::get(&mut tx, company_id, id, true)
                .await?
                .ok_or(AppError::NotFound { entity: "refund", key: id.to_string() })?;
            if !refund.to_allocate.is_positive() {
                return Err(RefundRejection::FullyAllocated { number: refund.number.clone() }.into());
            }
            let done = allocate_refund_in(&mut tx, company_id, &refund, request, date, false).await?;
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "refund.allocate", "refund", Some(id))
                    .summary(format!("refund {}: {done} allocated", refund.number)),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.refund(company_id, id).await
    }

    /// Unallocates a refund allocation: appends its reversal; the refund waits "to allocate" that
    /// amount again and the payment or credit note gets its credit back.
    pub async fn unallocate_refund(
        &self,
        actor: &Actor,
        company_id: i64,
        refund_allocation_id: i64,
        date: Date,
    ) -> Result<Refund, AppError> {
        let refund_id = self
            .with_retry(|| async {
                let mut tx = self.db.begin_write(actor.at()).await?;
                let not_found =
                    || AppError::NotFound { entity: "refund allocation", key: refund_allocation_id.to_string() };
                let (refund_id, _) =
                    refunds::get_allocation(&mut tx, company_id, refund_allocation_id).await?.ok_or_else(not_found)?;
                // Lock the refund, then the credit, then re-read under the locks.
                let refund = refunds::get(&mut tx, company_id, refund_id, true).await?.ok_or_else(not_found)?;
                let (_, a) =
                    refunds::get_allocation(&mut tx, company_id, refund_allocation_id).await?.ok_or_else(not_found)?;
                match (a.payment_id, a.credit_installment_id) {
                    (Some(p), _) => {
                        payments::get(&mut tx, company_id, p, true).await?;
                    }
                    (None, Some(i)) => {
                        allocations::lock_installments(&mut tx, company_id, &[i]).await?;
                    }
                    (None, None) => return Err(anyhow::anyhow!("refund allocation without credit").into()),
                }
                if a.reverses_id.is_some() {
                    return Err(RefundRejection::IsReversal { refund_allocation_id }.into());
                }
                if let Some(r) = a.reversed_by {
                    return Err(RefundRejection::AlreadyReversed { refund_allocation_id, by: r }.into());
                }
                let reversal = refunds::reverse_allocation(&mut tx, company_id, refund_id, &a, date).await?;
                let back = a.amount.minor();
                match (a.payment_id, a.credit_installment_id) {
                    (Some(p), _) => allocations::adjust_payments(&mut tx, company_id, &[(p, back)]).await?,
                    (_, Some(i)) => allocations::adjust_installments(&mut tx, company_id, &[(i, back)]).await?,
                    _ => {}
                }
                allocations::adjust_refunds(&mut tx, company_id, &[(refund_id, back)]).await?;
                audit::record(
                    &mut tx,
                    &AuditEvent::new(company_id, actor.as_str(), "refund.unallocate", "refund", Some(refund_id))
                        .summary(format!(
                            "refund {}: allocation {refund_allocation_id} of {} reversed by {reversal}",
                            refund.number, a.amount
                        )),
                )
                .await?;
                tx.commit().await.map_err(anyhow::Error::from)?;
                Ok(refund_id)
            })
            .await?;
        self.refund(company_id, refund_id).await
    }

    pub async fn refund(&self, company_id: i64, id: i64) -> Result<Refund, AppError> {
        let mut tx = self.db.begin_read().await?;
        refunds::get(&mut tx, company_id, id, false)
            .await?
            .map(Refund::from)
            .ok_or(AppError::NotFound { entity: "refund", key: id.to_string() })
    }

    pub async fn refunds(
        &self,
        company_id: i64,
        filter: &RefundFilter,
        page: Page,
    ) -> Result<Listed<Refund>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = refunds::list(&mut tx, company_id, filter, page.limit, page.offset).await?;
        let items = items.into_iter().map(Into::into).collect();
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }

    /// What the refund letter prints; refused while the refund is not allocated (SPEC §4.3).
    pub async fn refund_letter(&self, company_id: i64, id: i64) -> Result<RefundLetter, AppError> {
        let mut tx = self.db.begin_read().await?;
        let refund = refunds::get(&mut tx, company_id, id, false)
            .await?
            .ok_or(AppError::NotFound { entity: "refund", key: id.to_string() })?;
        if refund.to_allocate.is_positive() {
            return Err(RefundRejection::NotAllocated {
                number: refund.number.clone(),
                to_allocate: refund.to_allocate,
            }
            .into());
        }
        let company = companies::get(&mut tx, company_id).await?.ok_or_else(|| anyhow::anyhow!("company"))?;
        let c = customers::get(&mut tx, company_id, refund.customer_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("customer"))?;
        let reason = RefundReason::parse(&refund.reason).unwrap_or(RefundReason::Other);
        Ok(RefundLetter {
            company_name: company.name,
            company_address: company.address,
            customer_number: c.fields.number.clone(),
            customer_name: c.fields.name.clone(),
            customer_address: c.fields.address.clone(),
            customer_postal_code: c.fields.postal_code.clone(),
            customer_city: c.fields.city.clone(),
            customer_country: c.fields.country.clone(),
            language: c.fields.language.code().to_string(),
            reason_label: reason.label_fr().to_string(),
            refund: refund.into(),
        })
    }
}

impl App {
    /// The earlier refunds `input` looks like (same customer, amount and piece number within the
    /// company's duplicate window), as recording it would find them: what a form shows beside the
    /// `likely_duplicate` refusal. Empty when the input does not parse (recording names the field).
    pub async fn refund_duplicates(
        &self,
        company_id: i64,
        input: &RecordRefund,
        today: Date,
    ) -> Result<Vec<Refund>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let Ok(customer) =
            find_customer(&mut tx, company_id, input.customer_id, input.customer_number.as_deref()).await
        else {
            return Ok(Vec::new());
        };
        let Ok(currency) = crate::query_args::currency("currency", &input.currency) else { return Ok(Vec::new()) };
        let (Ok(amount), Ok(date)) = (
            parse_amount("amount", &input.amount, currency.unwrap_or(customer.fields.currency)),
            parse_date_field("date", &input.date),
        ) else {
            return Ok(Vec::new());
        };
        let window = settings::money_settings(&mut tx, company_id).await?.duplicate_window_days;
        let piece = input.piece_number.trim();
        let found =
            refunds::likely_duplicates(&mut tx, company_id, customer.id, amount, piece, date.unwrap_or(today), window)
                .await?;
        Ok(found.into_iter().map(Into::into).collect())
    }
}
