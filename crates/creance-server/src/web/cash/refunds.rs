//! Remboursements: the "to allocate" list (the default) and the allocated list; the form that
//! records a refund (the seed's fields, `POST /refunds`'s use case), allocated now to the customer's
//! credits or left "to allocate", with the duplicate warning and the refusal of a refund its credits
//! do not cover shown beside it; a refund's page with its allocations (each reversible, as
//! `/refund-allocations/{id}/reverse`), the allocation window while it has something to allocate
//! (the amounts per credit, or `auto`, as `/refunds/{id}/allocations`) and its letter as PDF.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::payments::PaymentFilter;
use creance_app::queries::Page;
use creance_app::query_args::OpenItemArgs;
use creance_app::refunds::{RecordRefund, RefundAllocate, RefundFilter, RefundLine};
use creance_app::views::ledger::OpenItem;
use creance_app::views::money::{Payment, Refund};
use creance_app::views::settings::{BankAccount, PaymentMethod};
use creance_app::App;
use creance_core::{Language, RefundReason, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{
    error_for, field, field_error, method_label, not_found, notices, page_error, pager, pdf, totals_rows, Problem,
    PAGE_SIZE,
};
use crate::web::format::{amount, date};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

/// The most credits the allocation window lists (of each kind).
const CREDITS_MAX: i64 = 200;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    view: Option<String>,
    offset: Option<String>,
}

fn offset_of(text: &Option<String>) -> i64 {
    text.as_deref().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0).max(0)
}

/// A refund's reason in words.
fn reason_word(lang: Language, code: &str) -> &'static str {
    t(
        lang,
        match RefundReason::parse(code) {
            Some(RefundReason::Overpayment) => M::ReasonOverpayment,
            Some(RefundReason::CreditNote) => M::ReasonCreditNote,
            Some(RefundReason::DuplicatePayment) => M::ReasonDuplicatePayment,
            Some(RefundReason::CancelledOrder) => M::ReasonCancelledOrder,
            Some(RefundReason::Other) | None => M::ReasonOther,
        },
    )
}

/// `GET /remboursements` (`?view=allocated` for the allocated list).
pub async fn list(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let lang = user.lang();
    let allocated = q.view.as_deref() == Some("allocated");
    let filter = RefundFilter { to_allocate: !allocated, allocated, ..Default::default() };
    let p = Page::new(Some(PAGE_SIZE), Some(offset_of(&q.offset)))?;
    let company = user.company_id();
    let listed = app.refunds(company, &filter, p).await?;
    let totals = app.refund_totals(company, &filter).await?;
    let methods = app.payment_methods(company).await?;
    let view = if allocated { "allocated" } else { "to_allocate" };
    let body = html! {
        div.title-row {
            h1 { (t(lang, M::RefundsTitle)) }
            @if user.can_write() { a.button.primary #new-refund href="/remboursements/nouveau" { (t(lang, M::NewRefund)) } }
        }
        nav.subtabs aria-label=(t(lang, M::RefundsTitle)) {
            a href="/remboursements" aria-current=[(!allocated).then_some("page")] { (t(lang, M::RefundsToAllocate)) }
            a href="/remboursements?view=allocated" aria-current=[allocated.then_some("page")] { (t(lang, M::RefundsAllocated)) }
        }
        @if listed.items.is_empty() {
            p.empty { (t(lang, if allocated { M::NoRefundsAllocated } else { M::NoRefundsToAllocate })) }
        } @else {
            table.list #refunds {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                    th { (t(lang, M::Reason)) } th { (t(lang, Msg::Method)) } th { (t(lang, Msg::Piece)) }
                    th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, M::ToAllocate)) } th { (t(lang, Msg::Letter)) }
                } }
                tbody { @for r in &listed.items { tr {
                    td { a href=(format!("/remboursements/{}", r.id)) { (r.number) } }
                    td.num { (date(r.date, lang)) }
                    td { a href=(format!("/clients/{}", r.customer_id)) { (r.customer_number) } " · " (r.customer_name) }
                    td { (reason_word(lang, &r.reason)) } td { (method_label(&methods, &r.method)) } td { (r.piece_number) }
                    td.num { (amount(r.amount, lang)) } td.num { (amount(r.to_allocate, lang)) }
                    td { @if !r.to_allocate.is_positive() {
                        a href=(format!("/remboursements/{}/lettre.pdf", r.id)) { (t(lang, M::PdfLink)) }
                    } }
                } } }
                tfoot { (totals_rows(lang, &totals, super::REFUNDS, 6, true, 1)) }
            }
            (pager(lang, listed.offset, listed.items.len(), listed.total_count, |o| format!("/remboursements?view={view}&offset={o}")))
        }
    };
    Ok(html(page(&user, Tab::Refunds, t(lang, M::RefundsTitle), body)).into_response())
}

/// What the refund form posts (the API's field names), every field as typed.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct RefundForm {
    customer_number: Option<String>,
    date: Option<String>,
    amount: Option<String>,
    reason: Option<String>,
    method: Option<String>,
    piece_number: Option<String>,
    bank_account_id: Option<String>,
    note: Option<String>,
    /// `auto` (now, to the customer's credits) or empty (later).
    allocate: Option<String>,
    confirm_duplicate: Option<String>,
}

impl RefundForm {
    /// The fields as posted (the first of each name).
    fn from_pairs(pairs: &[(String, String)]) -> RefundForm {
        let get = |name: &str| field(pairs, name).map(str::to_string);
        RefundForm {
            customer_number: get("customer_number"),
            date: get("date"),
            amount: get("amount"),
            reason: get("reason"),
            method: get("method"),
            piece_number: get("piece_number"),
            bank_account_id: get("bank_account_id"),
            note: get("note"),
            allocate: get("allocate"),
            confirm_duplicate: get("confirm_duplicate"),
        }
    }

    fn text(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }

    fn input(&self) -> Result<RecordRefund, creance_app::AppError> {
        let bank = creance_app::query_args::int("bank_account_id", &self.bank_account_id)?;
        Ok(RecordRefund {
            customer_number: self.customer_number.clone(),
            date: self.date.clone(),
            amount: Self::text(&self.amount).into(),
            reason: Self::text(&self.reason).to_string(),
            method: Self::text(&self.method).to_string(),
            piece_number: Self::text(&self.piece_number).to_string(),
            bank_account_id: bank,
            note: Self::text(&self.note).to_string(),
            confirm_duplicate: self.confirm_duplicate.is_some(),
            allocate: (self.allocate.as_deref() == Some("auto")).then_some(RefundAllocate::Auto),
            ..Default::default()
        })
    }
}

struct FormData {
    banks: Vec<BankAccount>,
    methods: Vec<PaymentMethod>,
}

async fn form_data(app: &App, user: &WebUser) -> Result<FormData, WebError> {
    let banks = app.bank_accounts(user.company_id()).await?;
    let methods = app.payment_methods(user.company_id()).await?.into_iter().filter(|m| m.active).collect();
    Ok(FormData { banks, methods })
}

#[derive(Deserialize, Default)]
pub struct FormQuery {
    customer_number: Option<String>,
}

/// `GET /remboursements/nouveau` (`?customer_number=` prefills the customer).
pub async fn form(State(app): State<App>, user: WebUser, Query(q): Query<FormQuery>) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let data = form_data(&app, &user).await?;
    let f = RefundForm {
        customer_number: q.customer_number,
        date: Some(date(user.at.date(), user.lang())),
        reason: Some("overpayment".into()),
        method: Some("transfer".into()),
        ..Default::default()
    };
    Ok(html(form_page(&user, &data, &f, None, &[])?).into_response())
}

fn form_page(
    user: &WebUser,
    d: &FormData,
    f: &RefundForm,
    problem: Option<&Problem>,
    duplicates: &[Refund],
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let v = RefundForm::text;
    let err = |fields: &[&str]| error_for(problem, fields);
    let general = problem.filter(|p| p.field.is_none()).map(|p| p.reason.clone());
    let input = |name: &str, label: &str, value: &str, kind: &str, hint: Option<M>, fields: &[&str]| {
        let e = err(fields);
        let id = format!("field-{name}");
        let described = format!("{name}-hint {name}-error");
        html! {
            div.field.invalid[e.is_some()] {
                label for=(id) { (label) }
                input #(id) type=(kind) name=(name) value=(value) aria-describedby=(described)
                    placeholder=[(name == "date").then(|| t(lang, Msg::DateInputHint))]
                    aria-invalid=[e.as_ref().map(|_| "true")];
                @if let Some(h) = hint { p.hint id=(format!("{name}-hint")) { (t(lang, h)) } }
                (field_error(&format!("{name}-error"), &e))
            }
        }
    };
    let select = |name: &str, label: &str, options: Markup, hint: Option<M>| {
        let e = err(&[name]);
        let id = format!("field-{name}");
        html! {
            div.field.invalid[e.is_some()] {
                label for=(id) { (label) }
                select #(id) name=(name) aria-describedby=(format!("{name}-hint {name}-error")) aria-invalid=[e.as_ref().map(|_| "true")] { (options) }
                @if let Some(h) = hint { p.hint id=(format!("{name}-hint")) { (t(lang, h)) } }
                (field_error(&format!("{name}-error"), &e))
            }
        }
    };
    let reason = v(&f.reason);
    let method = v(&f.method);
    let bank = v(&f.bank_account_id);
    let auto = f.allocate.as_deref() == Some("auto");
    let body = html! {
        p.crumbs { a href="/remboursements" { (t(lang, M::RefundsTitle)) } " › " (t(lang, M::NewRefund)) }
        h1 { (t(lang, M::RefundFormTitle)) }
        p.intro { (t(lang, M::RefundFormIntro)) }
        @if !duplicates.is_empty() {
            section.warning #duplicate role="alert" aria-labelledby="duplicate-h" {
                h2 #duplicate-h { (t(lang, M::DuplicateTitle)) }
                p { (t(lang, M::DuplicateIntro)) }
                (refund_table(lang, duplicates))
            }
        }
        @if let Some(g) = &general {
            @if duplicates.is_empty() { p.form-error #form-error role="alert" { (g) } }
        }
        form.cash #refund-form method="post" action="/remboursements" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            div.form-grid {
                (input("customer_number", t(lang, M::Customer), v(&f.customer_number), "text", Some(M::CustomerNumberHint), &["customer_number", "customer_id"]))
                (input("date", t(lang, Msg::Date), v(&f.date), "text", None, &["date"]))
                (input("amount", t(lang, Msg::Amount), v(&f.amount), "text", Some(M::AmountHint), &["amount", "currency"]))
                (select("reason", t(lang, M::Reason), html! {
                    @for r in RefundReason::ALL {
                        option value=(r.code()) selected[r.code() == reason] { (reason_word(lang, r.code())) }
                    }
                }, None))
                (select("method", t(lang, Msg::Method), html! {
                    @for m in &d.methods { option value=(m.code) selected[m.code == method] { (m.label) } }
                }, None))
                (input("piece_number", t(lang, Msg::Piece), v(&f.piece_number), "text", None, &["piece_number"]))
                (select("bank_account_id", t(lang, M::RefundBank), html! {
                    option value="" selected[bank.is_empty()] { (t(lang, M::NoBank)) }
                    @for b in &d.banks {
                        option value=(b.id) selected[b.id.to_string() == bank] { (b.name) " · " (b.currency.code()) }
                    }
                }, Some(M::RefundBankHint)))
                (input("note", t(lang, M::Note), v(&f.note), "text", None, &["note"]))
            }
            @let alloc_error = err(&["allocate", "lines"]).or_else(|| if duplicates.is_empty() { general.clone() } else { None });
            fieldset.field.invalid[alloc_error.is_some()] #allocate aria-describedby="allocate-hint allocate-error" {
                legend { (t(lang, M::AllocateNow)) }
                label.choice { input type="radio" name="allocate" value="auto" checked[auto]; " " (t(lang, M::AllocateAuto)) }
                label.choice { input type="radio" name="allocate" value="" checked[!auto]; " " (t(lang, M::AllocateLater)) }
                p.hint #allocate-hint { (t(lang, M::AllocateHint)) }
                (field_error("allocate-error", &alloc_error))
            }
            @if !duplicates.is_empty() {
                div.field {
                    label.choice { input #confirm_duplicate type="checkbox" name="confirm_duplicate" value="true"; " " (t(lang, M::ConfirmDuplicate)) }
                }
            }
            button.primary type="submit" { (t(lang, M::Record)) }
        }
    };
    Ok(page(user, Tab::Refunds, t(lang, M::RefundFormTitle), body))
}

fn refund_table(lang: Language, refunds: &[Refund]) -> Markup {
    html! {
        table.list {
            thead { tr {
                th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                th { (t(lang, Msg::Piece)) } th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, M::ToAllocate)) }
            } }
            tbody { @for r in refunds { tr {
                td { a href=(format!("/remboursements/{}", r.id)) { (r.number) } } td.num { (date(r.date, lang)) }
                td { (r.customer_number) " · " (r.customer_name) } td { (r.piece_number) }
                td.num { (amount(r.amount, lang)) } td.num { (amount(r.to_allocate, lang)) }
            } } }
        }
    }
}

/// `POST /remboursements` (clerk or admin): records the refund, then its page (303); a refusal is
/// shown on the form again (422), a likely duplicate with the earlier refunds and the confirmation.
pub async fn record(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let f = RefundForm::from_pairs(&pairs);
    once::run(&app, &user, "/remboursements", &pairs, || async {
        let today = user.at.date();
        let result = match f.input() {
            Ok(input) => app.record_refund(&user.actor(), user.company_id(), &input, today).await,
            Err(e) => Err(e),
        };
        let e = match result {
            Ok(r) => return Ok(Outcome::Done(format!("/remboursements/{}?done=recorded", r.id))),
            Err(e) => e,
        };
        let duplicates = match &e {
            creance_app::AppError::Rejected(r) if r.code == creance_app::Code::LikelyDuplicate => match f.input() {
                Ok(input) => app.refund_duplicates(user.company_id(), &input, today).await?,
                Err(_) => Vec::new(),
            },
            _ => Vec::new(),
        };
        let problem = Problem::of(user.lang(), e)?;
        let data = form_data(&app, &user).await?;
        let status = if problem.field.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
        let page = form_page(&user, &data, &f, Some(&problem), &duplicates)?;
        Ok(Outcome::Refused((status, html(page)).into_response()))
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    done: Option<String>,
    again: Option<String>,
}

/// The customer's credits a refund may take: unallocated payments and open credit notes in its
/// currency.
struct Credits {
    payments: Vec<Payment>,
    notes: Vec<OpenItem>,
}

async fn credits_of(app: &App, user: &WebUser, r: &Refund) -> Result<Credits, WebError> {
    let company = user.company_id();
    let pf = PaymentFilter { customer_id: Some(r.customer_id), unallocated: Some(true), ..Default::default() };
    let payments = app.payments(company, &pf, Page::new(Some(CREDITS_MAX), None)?).await?.items;
    let args = OpenItemArgs {
        customer_id: Some(r.customer_id.to_string()),
        kind: Some("credit_note".into()),
        currency: Some(r.amount.currency().code().to_string()),
        sort: Some("due_date".into()),
        limit: Some(CREDITS_MAX.to_string()),
        ..Default::default()
    };
    let (filter, sorts, p) = args.parse(user.at.date())?;
    let notes = app.open_items(company, &filter, &sorts, p).await?.items;
    let payments = payments.into_iter().filter(|p| p.amount.currency() == r.amount.currency()).collect();
    Ok(Credits { payments, notes: notes.into_iter().filter(|n| n.amount_open.minor() < 0).collect() })
}

/// `GET /remboursements/{id}`.
pub async fn detail(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, WebError> {
    let r = app.refund(user.company_id(), id).await.map_err(|e| page_error(&user, e))?;
    let credits = credits_of(&app, &user, &r).await?;
    let done = match q.done.as_deref() {
        Some("recorded") => Some(M::RefundRecorded),
        Some("allocated") => Some(M::RefundAllocatedNotice),
        Some("unallocated") => Some(M::RefundUnallocated),
        _ => None,
    };
    let methods = app.payment_methods(user.company_id()).await?;
    let banks = app.bank_accounts(user.company_id()).await?;
    let page = detail_page(&user, &r, &credits, &methods, &banks, done, q.again.is_some(), None, &[])?;
    Ok(html(page).into_response())
}

#[allow(clippy::too_many_arguments)]
fn detail_page(
    user: &WebUser,
    r: &Refund,
    credits: &Credits,
    methods: &[PaymentMethod],
    banks: &[BankAccount],
    done: Option<M>,
    again: bool,
    problem: Option<&Problem>,
    typed: &[(String, String)],
) -> Result<Markup, WebError> {
    let lang = user.lang();
    // A key per form: the allocation window's, and each allocation's reversal.
    let key = once::hidden()?;
    let keys = r.allocations.iter().map(|_| once::hidden()).collect::<Result<Vec<_>, _>>()?;
    let title = tf(lang, M::RefundTitle, &[&r.number]);
    let bank = r.bank_account_id.and_then(|b| banks.iter().find(|x| x.id == b)).map(|b| b.name.clone());
    let general =
        problem.filter(|p| p.field.is_none() || p.field.as_deref() == Some("lines")).map(|p| p.reason.clone());
    // The line a field error names (`lines[n]…`) is the n-th credit with an amount typed.
    let typed_keys: Vec<&str> = typed.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, _)| k.as_str()).collect();
    let row_error = |key: &str| -> Option<String> {
        let p = problem?;
        let f = p.field.as_deref()?;
        let n: usize = f.strip_prefix("lines[")?.split(']').next()?.parse().ok()?;
        (typed_keys.get(n) == Some(&key)).then(|| p.reason.clone())
    };
    let typed_value = |key: &str| typed.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let body = html! {
        p.crumbs { a href="/remboursements" { (t(lang, M::RefundsTitle)) } " › " (r.number) }
        h1 { (title) }
        (notices(lang, done, again))
        section.details aria-labelledby="refund-h" {
            h2 #refund-h.visually-hidden { (title) }
            dl.two-col {
                dt { (t(lang, M::Customer)) } dd { a href=(format!("/clients/{}", r.customer_id)) { (r.customer_number) " · " (r.customer_name) } }
                dt { (t(lang, Msg::Date)) } dd { (date(r.date, lang)) }
                dt { (t(lang, M::Reason)) } dd { (reason_word(lang, &r.reason)) }
                dt { (t(lang, Msg::Method)) } dd { (method_label(methods, &r.method)) }
                dt { (t(lang, Msg::Piece)) } dd { (r.piece_number) }
                dt { (t(lang, M::RefundBank)) } dd { (bank.as_deref().unwrap_or("—")) }
                dt { (t(lang, Msg::Amount)) } dd #refund-amount { (amount(r.amount, lang)) }
                dt { (t(lang, M::ToAllocate)) } dd #refund-to-allocate { (amount(r.to_allocate, lang)) }
                @if !r.note.is_empty() { dt { (t(lang, M::Note)) } dd { (r.note) } }
            }
            p {
                @if r.to_allocate.is_positive() { span.hint { (t(lang, M::LetterOnceAllocated)) } }
                @else { a #refund-letter href=(format!("/remboursements/{}/lettre.pdf", r.id)) { (t(lang, M::RefundLetter)) } }
            }
        }
        @if r.to_allocate.is_positive() && user.can_write() {
            section #allocation aria-labelledby="allocation-h" {
                h2 #allocation-h { (t(lang, M::AllocationWindow)) }
                @if let Some(g) = &general { p.form-error #form-error role="alert" { (g) } }
                @if credits.payments.is_empty() && credits.notes.is_empty() {
                    p.empty { (t(lang, M::NoCreditsToRefund)) }
                } @else {
                    p.hint { (t(lang, M::AllocationIntro)) }
                    form.cash method="post" action=(format!("/remboursements/{}/imputer", r.id)) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf()))
                        (key)
                        table.list #credits {
                            thead { tr {
                                th { (t(lang, M::Credit)) } th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) }
                                th { (t(lang, Msg::Piece)) } th.num { (t(lang, M::Open)) } th.num { (t(lang, Msg::Amount)) }
                            } }
                            tbody {
                                @for p in &credits.payments {
                                    @let key = format!("payment_{}", p.id);
                                    (credit_row(lang, &key, M::CreditPayment, &p.number, p.date, &p.piece_number, p.unallocated, &typed_value(&key), row_error(&key)))
                                }
                                @for n in &credits.notes {
                                    @let key = format!("credit_note_{}", n.document_id);
                                    (credit_row(lang, &key, M::CreditNote, &n.document_number, n.document_date, "", n.amount_open.checked_neg().unwrap_or(n.amount_open), &typed_value(&key), row_error(&key)))
                                }
                            }
                        }
                        div.actions {
                            button.primary type="submit" { (t(lang, M::AllocateLines)) }
                            button type="submit" name="auto" value="true" { (t(lang, M::AllocateAutoButton)) }
                        }
                    }
                }
            }
        }
        section #allocations aria-labelledby="allocations-h" {
            h2 #allocations-h { (t(lang, M::Allocations)) }
            @if r.allocations.is_empty() { p.empty { (t(lang, M::NoAllocations)) } } @else {
                table.list {
                    thead { tr {
                        th { (t(lang, M::Credit)) } th.num { (t(lang, Msg::Date)) } th.num { (t(lang, Msg::Amount)) }
                        th { (t(lang, Msg::Status)) } th {}
                    } }
                    tbody { @for (a, key) in r.allocations.iter().zip(&keys) { tr {
                        td {
                            @if let Some(n) = &a.payment_number { (t(lang, M::CreditPayment)) " " (n) }
                            @if let Some(n) = &a.credit_document_number { (t(lang, M::CreditNote)) " " (n) }
                        }
                        td.num { (date(a.date, lang)) } td.num { (amount(a.amount, lang)) }
                        td {
                            @if let Some(of) = a.reverses_id { (tf(lang, M::Reversal, &[&of.to_string()])) }
                            @else if a.reversed_by.is_some() { (t(lang, M::ReversedBy)) }
                        }
                        td { @if user.can_write() && a.reverses_id.is_none() && a.reversed_by.is_none() {
                            form.inline method="post" action=(format!("/remboursements/imputations/{}/desimputer", a.id)) onsubmit=(once::ONSUBMIT) {
                                (csrf::hidden(user.csrf()))
                                (key)
                                button type="submit" { (t(lang, M::Unallocate)) }
                            }
                        } }
                    } } }
                }
            }
        }
    };
    Ok(page(user, Tab::Refunds, &title, body))
}

#[allow(clippy::too_many_arguments)]
fn credit_row(
    lang: Language,
    key: &str,
    kind: M,
    number: &str,
    on: creance_core::Date,
    piece: &str,
    open: creance_core::Money,
    typed: &str,
    error: Option<String>,
) -> Markup {
    let id = format!("field-{key}");
    let err_id = format!("{key}-error");
    html! {
        tr class=[error.is_some().then_some("invalid")] {
            td { (t(lang, kind)) } td { label for=(id) { (number) } } td.num { (date(on, lang)) } td { (piece) }
            td.num { (amount(open, lang)) }
            td.num {
                input.amount #(id) type="text" name=(key) value=(typed) inputmode="decimal" size="10"
                    aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=(err_id);
                (field_error(&err_id, &error))
            }
        }
    }
}

/// `POST /remboursements/{id}/imputer` (clerk or admin): `auto`, or an amount per credit
/// (`payment_ID`, `credit_note_DOCUMENT`).
pub async fn allocate(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let typed: Vec<(String, String)> =
        form.iter().filter(|(k, _)| k.starts_with("payment_") || k.starts_with("credit_note_")).cloned().collect();
    let auto = field(&form, "auto").is_some();
    let path = format!("/remboursements/{id}/imputer");
    once::run(&app, &user, &path, &form, || async {
        let request = if auto {
            RefundAllocate::Auto
        } else {
            let lines = typed
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .filter_map(|(k, v)| {
                    let amount = Some(v.trim().into());
                    if let Some(p) = k.strip_prefix("payment_") {
                        Some(RefundLine { payment_id: p.parse().ok(), credit_note_id: None, amount })
                    } else {
                        let d = k.strip_prefix("credit_note_")?;
                        Some(RefundLine { payment_id: None, credit_note_id: d.parse().ok(), amount })
                    }
                })
                .collect();
            RefundAllocate::Lines(lines)
        };
        let e = match app.allocate_refund(&user.actor(), user.company_id(), id, &request, user.at.date()).await {
            Ok(_) => return Ok(Outcome::Done(format!("/remboursements/{id}?done=allocated"))),
            Err(e) => e,
        };
        if let creance_app::AppError::NotFound { .. } = e {
            return Err(not_found(&user, "refund", id));
        }
        let problem = Problem::of(user.lang(), e)?;
        let r = app.refund(user.company_id(), id).await?;
        let credits = credits_of(&app, &user, &r).await?;
        let methods = app.payment_methods(user.company_id()).await?;
        let banks = app.bank_accounts(user.company_id()).await?;
        let status = if problem.field.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
        let page = detail_page(&user, &r, &credits, &methods, &banks, None, false, Some(&problem), &typed)?;
        Ok(Outcome::Refused((status, html(page)).into_response()))
    })
    .await
}

/// `POST /remboursements/imputations/{id}/desimputer` (clerk or admin): appends the reversal.
pub async fn unallocate(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let path = format!("/remboursements/imputations/{id}/desimputer");
    once::run(&app, &user, &path, &form, || async {
        match app.unallocate_refund(&user.actor(), user.company_id(), id, user.at.date()).await {
            Ok(r) => Ok(Outcome::Done(format!("/remboursements/{}?done=unallocated", r.id))),
            Err(e) => Err(page_error(&user, e)),
        }
    })
    .await
}

/// `GET /remboursements/{id}/lettre.pdf`: the refund letter, as `/api/v1/refunds/{id}/letter.pdf`.
pub async fn letter(State(app): State<App>, user: WebUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    let doc = app.refund_letter_pdf(user.company_id(), id).await.map_err(|e| page_error(&user, e))?;
    Ok(pdf(doc))
}
