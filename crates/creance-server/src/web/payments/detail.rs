//! A payment's page, and a credit note's (seed 001: "vous devez affecter les règlements depuis cet
//! onglet (par exemple : un Avoir)"): the **allocation window** (open after recording, and from the
//! lists) — the app's proposal over the open debits the credit may pay, amounts editable per
//! installment; an amount below what is open leaves the rest due, what is not allocated stays as
//! credit —, the allocated installments with their open amount now and a "Désaffecter" button each
//! (the reversal use case), the credit's details and, for a payment, its cancellation with a reason.
//! A payment is at `/reglements/{id}`, a credit note at `/reglements/avoirs/{document id}`; the
//! same handlers serve both through [`base`].

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::payment_window::{AllocationWindow, WindowCredit};
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest};
use creance_app::views::settings::{BankAccount, PaymentMethod};
use creance_app::{App, AppError};
use creance_core::{AmountText, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::super::format::{amount, count, date, opt_date};
use super::super::i18n::{t, tf, words, Msg};
use super::super::layout::{page, Tab};
use super::super::once::{self, Outcome};
use super::super::{csrf, html, refusal, WebError, WebUser};
use super::messages::M;
use super::{input_amount, method_label, refusal_box};

/// Where a refusal on the page is shown.
#[derive(Debug, Default)]
struct Problems {
    /// The allocation: a refusal of the whole plan, and errors per installment.
    allocation: Option<String>,
    lines: HashMap<i64, String>,
    /// What was typed per installment, shown again.
    typed: HashMap<i64, String>,
    /// An unallocation's refusal.
    unallocation: Option<String>,
    /// The cancellation: the reason's error, a refusal, and the reason typed.
    reason: Option<String>,
    cancel: Option<String>,
    reason_typed: String,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    recorded: Option<String>,
    allocated: Option<String>,
    unallocated: Option<String>,
    cancelled: Option<String>,
    /// A repeated submission landed here (`web/once.rs`).
    again: Option<String>,
}

/// The page of a credit: `/reglements/{id}` for a payment, `/reglements/avoirs/{id}` for a credit note.
pub fn base(credit: CreditRef) -> String {
    match credit {
        CreditRef::Payment(id) => format!("/reglements/{id}"),
        CreditRef::CreditNote(id) => format!("/reglements/avoirs/{id}"),
    }
}

fn not_found(user: &WebUser, credit: CreditRef) -> WebError {
    let (entity, id) = match credit {
        CreditRef::Payment(id) => ("payment", id),
        CreditRef::CreditNote(id) => ("credit note", id),
    };
    WebError::NotFound { lang: user.lang(), detail: refusal::not_found(user.lang(), entity, id) }
}

async fn load(app: &App, user: &WebUser, credit: CreditRef) -> Result<AllocationWindow, WebError> {
    match app.allocation_window(user.company_id(), credit).await {
        Ok(w) => Ok(w),
        Err(AppError::NotFound { .. }) => Err(not_found(user, credit)),
        Err(e) => Err(e.into()),
    }
}

/// `GET /reglements/{id}`.
pub async fn show(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    show_credit(&app, &user, CreditRef::Payment(id), q).await
}

/// `GET /reglements/avoirs/{id}`: a credit note's allocation window.
pub async fn show_credit_note(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    show_credit(&app, &user, CreditRef::CreditNote(id), q).await
}

async fn show_credit(app: &App, user: &WebUser, credit: CreditRef, q: ShowQuery) -> Result<Response, WebError> {
    let w = load(app, user, credit).await?;
    let lang = user.lang();
    let notice = if q.recorded.is_some() {
        Some(tf(lang, M::Recorded, &[&w.credit.number]))
    } else if q.allocated.is_some() {
        Some(t(lang, M::AllocatedNotice).to_string())
    } else if q.unallocated.is_some() {
        Some(t(lang, M::UnallocatedNotice).to_string())
    } else if q.cancelled.is_some() {
        Some(t(lang, M::CancelledNotice).to_string())
    } else {
        None
    };
    let banks = app.bank_accounts(user.company_id()).await?;
    let methods = app.payment_methods(user.company_id()).await?;
    let focus = q.recorded.is_some();
    let notices = Notices { done: notice.as_deref(), again: q.again.is_some() };
    Ok(html(detail_page(user, &w, &banks, &methods, notices, &Problems::default(), focus)?).into_response())
}

async fn refused_page(
    app: &App,
    user: &WebUser,
    credit: CreditRef,
    problems: &Problems,
    status: StatusCode,
) -> Result<Outcome, WebError> {
    let w = load(app, user, credit).await?;
    let banks = app.bank_accounts(user.company_id()).await?;
    let methods = app.payment_methods(user.company_id()).await?;
    let page = detail_page(user, &w, &banks, &methods, Notices::default(), problems, false)?;
    Ok(Outcome::Refused((status, html(page)).into_response()))
}

fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    }
}

/// `POST /reglements/{id}/imputation`: the lines typed in the window (`amount_INSTALLMENT`; an empty
/// or zero amount is no line), allocated by the use case of `POST /payments/{id}/allocations`.
pub async fn allocate(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    allocate_credit(&app, &user, CreditRef::Payment(id), &pairs).await
}

/// `POST /reglements/avoirs/{id}/imputation`: as [`allocate`], for a credit note (the use case of
/// `POST /credit-notes/{id}/allocations`).
pub async fn allocate_credit_note(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    allocate_credit(&app, &user, CreditRef::CreditNote(id), &pairs).await
}

async fn allocate_credit(
    app: &App,
    user: &WebUser,
    credit: CreditRef,
    pairs: &[(String, String)],
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let base = base(credit);
    let mut lines = Vec::new();
    let mut typed = HashMap::new();
    for (k, v) in pairs {
        let Some(installment) = k.strip_prefix("amount_").and_then(|i| i.parse::<i64>().ok()) else { continue };
        typed.insert(installment, v.clone());
        let text = v.trim();
        if text.chars().all(|c| matches!(c, '0' | ',' | '.' | ' ' | '\u{a0}' | '\u{202f}')) {
            continue;
        }
        lines.push(LineRequest { installment_id: installment, amount: Some(AmountText::from(text)) });
    }
    let path = format!("{base}/imputation");
    once::run(app, user, &path, pairs, || async {
        let ids: Vec<i64> = lines.iter().map(|l| l.installment_id).collect();
        let request = AllocateRequest::Lines(lines);
        let e = match app.allocate(&user.actor(), user.company_id(), credit, &request, user.at.date()).await {
            Ok(_) => return Ok(Outcome::Done(format!("{base}?allocated=1"))),
            Err(e) => e,
        };
        let status = status_of(&e);
        let mut problems = Problems { typed, ..Default::default() };
        match e {
            AppError::Invalid(fe) => {
                // `lines[N].amount`: the N-th line sent.
                let line = fe
                    .field
                    .strip_prefix("lines[")
                    .and_then(|r| r.split_once(']'))
                    .and_then(|(n, _)| n.parse::<usize>().ok())
                    .and_then(|n| ids.get(n).copied());
                let reason = refusal::field(user.lang(), &fe);
                match line {
                    Some(installment) => {
                        problems.lines.insert(installment, reason);
                    }
                    None => problems.allocation = Some(reason),
                }
            }
            AppError::Rejected(r) => problems.allocation = Some(refusal::rejection(user.lang(), &r)),
            AppError::NotFound { .. } => return Err(not_found(user, credit)),
            other => return Err(other.into()),
        }
        refused_page(app, user, credit, &problems, status).await
    })
    .await
}

/// `POST /reglements/{id}/desaffectation` (`allocation_id`): reverses one allocation (the use case
/// of `POST /allocations/{id}/reverse`).
pub async fn unallocate(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    unallocate_credit(&app, &user, CreditRef::Payment(id), &pairs).await
}

/// `POST /reglements/avoirs/{id}/desaffectation`: as [`unallocate`], for a credit note.
pub async fn unallocate_credit_note(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    unallocate_credit(&app, &user, CreditRef::CreditNote(id), &pairs).await
}

async fn unallocate_credit(
    app: &App,
    user: &WebUser,
    credit: CreditRef,
    pairs: &[(String, String)],
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let allocation = pairs.iter().find(|(k, _)| k == "allocation_id").map(|(_, v)| v.trim().to_string());
    let base = base(credit);
    let path = format!("{base}/desaffectation");
    once::run(app, user, &path, pairs, || async {
        // The allocation must be one of this credit's (the page shows no other).
        let w = load(app, user, credit).await?;
        let Some(allocation_id) = allocation.as_deref().and_then(|a| a.parse::<i64>().ok()) else {
            return Err(WebError::NotFound {
                lang: user.lang(),
                detail: refusal::not_found(user.lang(), "allocation", ""),
            });
        };
        if !w.allocations.iter().any(|a| a.id == allocation_id) {
            return Err(WebError::NotFound {
                lang: user.lang(),
                detail: refusal::not_found(user.lang(), "allocation", allocation_id),
            });
        }
        match app.unallocate(&user.actor(), user.company_id(), allocation_id, user.at.date()).await {
            Ok(_) => Ok(Outcome::Done(format!("{base}?unallocated=1"))),
            Err(e @ (AppError::Rejected(_) | AppError::Invalid(_))) => {
                let status = status_of(&e);
                let problems = Problems { unallocation: Some(refusal::text(user.lang(), &e)), ..Default::default() };
                refused_page(app, user, credit, &problems, status).await
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// `POST /reglements/{id}/annulation` (`reason`): cancels the payment with a reason.
pub async fn cancel(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let reason = pairs.iter().find(|(k, _)| k == "reason").map(|(_, v)| v.clone()).unwrap_or_default();
    let path = format!("/reglements/{id}/annulation");
    once::run(&app, &user, &path, &pairs, || async {
        match app.cancel_payment(&user.actor(), user.company_id(), id, &reason, user.at.date()).await {
            Ok(_) => Ok(Outcome::Done(format!("/reglements/{id}?cancelled=1"))),
            Err(AppError::NotFound { .. }) => {
                Err(WebError::NotFound { lang: user.lang(), detail: refusal::not_found(user.lang(), "payment", id) })
            }
            Err(e @ (AppError::Rejected(_) | AppError::Invalid(_))) => {
                let status = status_of(&e);
                let mut problems = Problems { reason_typed: reason.clone(), ..Default::default() };
                match e {
                    AppError::Invalid(fe) if fe.field == "reason" => {
                        problems.reason = Some(refusal::field(user.lang(), &fe))
                    }
                    other => problems.cancel = Some(refusal::text(user.lang(), &other)),
                }
                refused_page(&app, &user, CreditRef::Payment(id), &problems, status).await
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// The notices above a payment's page: what was just done, and a repeated submission.
#[derive(Default, Clone, Copy)]
struct Notices<'a> {
    done: Option<&'a str>,
    again: bool,
}

fn detail_page(
    user: &WebUser,
    w: &AllocationWindow,
    banks: &[BankAccount],
    methods: &[PaymentMethod],
    notices: Notices<'_>,
    problems: &Problems,
    focus_window: bool,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let c = &w.credit;
    let title = match c.credit {
        CreditRef::Payment(_) => tf(lang, M::PaymentTitle, &[&c.number]),
        CreditRef::CreditNote(_) => tf(lang, M::CreditNoteTitle, &[&c.number]),
    };
    let body = html! {
        p.crumbs { a href="/reglements" { (t(lang, M::Title)) } " › " (c.number) }
        h1 { (title) }
        @if let Some(n) = notices.done { p.notice role="status" { (n) } }
        (once::notice(lang, notices.again))
        @if let Some(proposal) = &w.proposal {
            (window(user, w, proposal, problems, focus_window)?)
        }
        (allocations(user, w, problems)?)
        @match &w.payment {
            Some(p) => (payment_details(user, p, banks, methods, problems)?),
            None => (credit_note_details(user, c)),
        }
    };
    Ok(page(user, Tab::Payments, &title, body))
}

/// A credit note's details, beside its window.
fn credit_note_details(user: &WebUser, c: &WindowCredit) -> Markup {
    let lang = user.lang();
    let CreditRef::CreditNote(document_id) = c.credit else { return html! {} };
    html! {
        div.card-grid {
            section #payment-details aria-labelledby="payment-details-h" {
                h2 #payment-details-h { (t(lang, Msg::Details)) }
                dl {
                    dt { (t(lang, M::Customer)) }
                    dd { a href=(format!("/clients/{}", c.customer_id)) { (c.customer_number) " · " (c.customer_name) } }
                    dt { (t(lang, Msg::Document)) }
                    dd { a href=(format!("/echeancier?document={document_id}")) { (c.number) } }
                    dt { (t(lang, Msg::Date)) } dd { (date(c.date, lang)) }
                    dt { (t(lang, Msg::Amount)) } dd { (amount(c.amount, lang)) }
                    dt { (t(lang, Msg::Unallocated)) } dd #unallocated { (amount(c.unallocated, lang)) }
                }
            }
        }
    }
}

/// A payment's details and, while it is active, its cancellation.
fn payment_details(
    user: &WebUser,
    p: &creance_app::views::money::Payment,
    banks: &[BankAccount],
    methods: &[PaymentMethod],
    problems: &Problems,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let cancel_key = once::hidden()?;
    let active = p.status == creance_core::PaymentStatus::Active;
    let bank = p.deposit_bank_id.and_then(|id| banks.iter().find(|b| b.id == id)).map(|b| b.name.clone());
    Ok(html! {
        div.card-grid {
            section #payment-details aria-labelledby="payment-details-h" {
                h2 #payment-details-h { (t(lang, Msg::Details)) }
                dl {
                    dt { (t(lang, M::Customer)) }
                    dd { a href=(format!("/clients/{}", p.customer_id)) { (p.customer_number) " · " (p.customer_name) } }
                    dt { (t(lang, Msg::Date)) } dd { (date(p.date, lang)) }
                    dt { (t(lang, Msg::Amount)) } dd { (amount(p.amount, lang)) }
                    dt { (t(lang, Msg::Unallocated)) } dd #unallocated { (amount(p.unallocated, lang)) }
                    dt { (t(lang, M::MethodField)) } dd { (method_label(methods, &p.method)) }
                    dt { (t(lang, Msg::Piece)) } dd { (p.piece_number) }
                    dt { (t(lang, M::CustomerBank)) } dd { (p.customer_bank) }
                    dt { (t(lang, M::DepositBank)) } dd { (bank.as_deref().unwrap_or("—")) }
                    dt { (t(lang, M::DepositDate)) } dd { (opt_date(p.deposit_date, lang)) }
                    dt { (t(lang, Msg::Status)) }
                    dd #status {
                        (words::payment_status(lang, p.status))
                        @if !active && !p.cancel_reason.is_empty() { " — " (tf(lang, M::CancelledBecause, &[&p.cancel_reason])) }
                    }
                }
            }
            @if active && user.can_write() {
                section #cancel aria-labelledby="cancel-h" {
                    h2 #cancel-h { (t(lang, M::CancelTitle)) }
                    @if let Some(r) = &problems.cancel { (refusal_box(lang, r)) }
                    form method="post" action=(format!("/reglements/{}/annulation", p.id)) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf()))
                        (cancel_key)
                        div.field.invalid[problems.reason.is_some()] {
                            label for="f-reason" { (t(lang, M::Reason)) }
                            input #f-reason type="text" name="reason" value=(problems.reason_typed) required
                                aria-describedby="reason-hint";
                            p.hint #reason-hint { (t(lang, M::CancelHint)) }
                            @if let Some(e) = &problems.reason { p.field-error role="alert" { (e) } }
                        }
                        button.danger #cancel-payment type="submit" { (t(lang, M::CancelButton)) }
                    }
                }
            }
        }
    })
}

/// The allocation window: one row per open debit the payment may pay, the proposal's amounts in the
/// inputs.
fn window(
    user: &WebUser,
    w: &AllocationWindow,
    proposal: &creance_app::payments::Proposal,
    problems: &Problems,
    focus: bool,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let p = &w.credit;
    let title = match p.credit {
        CreditRef::Payment(_) => M::WindowTitle,
        CreditRef::CreditNote(_) => M::WindowTitleCreditNote,
    };
    let others = w.debits.iter().any(|d| d.customer_id != p.customer_id);
    let writable = user.can_write();
    let key = once::hidden()?;
    let mut first = focus;
    Ok(html! {
        section.window #allocation role="region" aria-labelledby="allocation-h" {
            h2 #allocation-h { (t(lang, title)) " · " (p.number) " · " (p.customer_number) " " (p.customer_name) }
            @if w.debits.is_empty() {
                p.empty #no-debit { (tf(lang, M::NoOpenDebit, &[&amount(p.unallocated, lang)])) }
            } @else {
                p { (tf(lang, M::WindowIntro, &[&amount(proposal.unallocated, lang)])) }
                @if let Some(r) = &problems.allocation { (refusal_box(lang, r)) }
                form method="post" action=(format!("{}/imputation", base(p.credit))) onsubmit=(once::ONSUBMIT) {
                    (csrf::hidden(user.csrf()))
                    (key)
                    table.list #window-lines {
                        thead { tr {
                            th { (t(lang, Msg::Document)) }
                            @if others { th { (t(lang, M::Customer)) } }
                            th.num { (t(lang, Msg::DueDate)) } th.num { (t(lang, Msg::AmountOpen)) }
                            th.num { (t(lang, M::ToAllocateColumn)) }
                        } }
                        tbody {
                            @for d in &w.debits {
                                @let value = problems.typed.get(&d.installment_id).cloned()
                                    .unwrap_or_else(|| d.proposed.map(|m| input_amount(m, lang)).unwrap_or_default());
                                @let error = problems.lines.get(&d.installment_id);
                                @let autofocus = std::mem::take(&mut first);
                                tr data-installment=(d.installment_id) .proposed[d.proposed.is_some()] {
                                    td { (d.document_number) }
                                    @if others {
                                        td { @if d.customer_id != p.customer_id { (w.customer_numbers.get(&d.customer_id).map(String::as_str).unwrap_or("")) } }
                                    }
                                    td.num { (date(d.due_date, lang)) }
                                    td.num { (amount(d.amount_open, lang)) }
                                    td.num.field.invalid[error.is_some()] {
                                        @if writable {
                                            input.amount type="text" inputmode="decimal" name=(format!("amount_{}", d.installment_id))
                                                id=(format!("amount-{}", d.installment_id)) value=(value) size="12"
                                                aria-label=(tf(lang, M::AmountFor, &[&d.document_number]))
                                                aria-invalid=[error.map(|_| "true")] autofocus[autofocus];
                                        } @else {
                                            (value)
                                        }
                                        @if let Some(e) = error { p.field-error role="alert" { (e) } }
                                    }
                                }
                            }
                        }
                    }
                    @if w.debits_count > w.debits.len() {
                        p.hint { (tf(lang, M::MoreDebits, &[&count((w.debits_count - w.debits.len()) as i64, lang)])) }
                    }
                    @if proposal.remaining.is_positive() {
                        p #remaining-credit { (tf(lang, M::RemainingCredit, &[&amount(proposal.remaining, lang)])) }
                    }
                    @if writable {
                        div.form-actions { button.primary #allocate type="submit" { (t(lang, M::AllocateButton)) } }
                    }
                }
            }
        }
    })
}

/// The allocated installments ("détail des échéances imputées"), each with its open amount now and,
/// while active, its "Désaffecter" button.
fn allocations(user: &WebUser, w: &AllocationWindow, problems: &Problems) -> Result<Markup, WebError> {
    let lang = user.lang();
    // A key per reversal form.
    let keys = w.allocations.iter().map(|_| once::hidden()).collect::<Result<Vec<_>, _>>()?;
    Ok(html! {
        section #allocations aria-labelledby="allocations-h" {
            h2 #allocations-h { (t(lang, M::AllocationsTitle)) }
            @if let Some(r) = &problems.unallocation { (refusal_box(lang, r)) }
            @if w.credit.unallocated.is_zero() && w.credit.active {
                p.notice #fully-allocated { (t(lang, M::FullyAllocated)) }
            }
            @if w.allocations.is_empty() {
                p.empty { (t(lang, M::NoAllocations)) }
            } @else {
                table.list #allocated-lines {
                    thead { tr {
                        th { (t(lang, Msg::Document)) } th.num { (t(lang, M::AllocatedOn)) } th { (t(lang, Msg::Status)) }
                        th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::AmountOpen)) }
                        th { span.visually-hidden { (t(lang, M::Unallocate)) } }
                    } }
                    tbody {
                        @for (a, key) in w.allocations.iter().zip(&keys) {
                            @let state = if a.reverses_id.is_some() { M::Reversal } else if a.reversed_by.is_some() { M::Reversed } else { M::Active };
                            tr data-allocation=(a.id) .reversed[!a.is_active()] {
                                td { (a.document_number) }
                                td.num { (date(a.date, lang)) }
                                td { (t(lang, state)) }
                                td.num { (amount(a.amount, lang)) }
                                td.num { @if let Some(open) = w.targets_open.get(&a.installment_id).filter(|_| a.is_active()) { (amount(*open, lang)) } }
                                td {
                                    @if a.is_active() && user.can_write() {
                                        form.inline method="post" action=(format!("{}/desaffectation", base(w.credit.credit))) onsubmit=(once::ONSUBMIT) {
                                            (csrf::hidden(user.csrf()))
                                            (key)
                                            input type="hidden" name="allocation_id" value=(a.id);
                                            button.unallocate type="submit" { (t(lang, M::Unallocate)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}
