//! Règlements (issue 13 point 3): the lists "à affecter" (the default), "affectés" and "avoirs à
//! affecter" (the open credit notes, each allocated from its own window, seed 001), paginated; the
//! payment form (`form.rs`) with its duplicate warning; a payment's page (`detail.rs`) with the
//! allocation window, the allocated installments and their unallocation, and the cancellation; the
//! batch allocation with its preview (`batch.rs`). Every page calls the use cases the API's
//! `routes/payments.rs` calls; every write needs the clerk role; the money-moving forms are sent once
//! (`web/once.rs`).
//!
//! Routes: `GET /reglements` (`?list=allocated|credit_notes`, `offset`), `GET|POST /reglements/nouveau`
//! (`?customer_id=&amount=` prefill), `GET /reglements/clients` (the customer field's suggestions),
//! `GET /reglements/{id}`, `POST /reglements/{id}/imputation`, `POST /reglements/{id}/desaffectation`,
//! `POST /reglements/{id}/annulation`, `POST /reglements/affectation-auto` (preview, then confirm);
//! `GET /reglements/avoirs/{document id}` with its `imputation` and `desaffectation`.

pub mod batch;
pub mod detail;
pub mod form;
mod messages;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use creance_app::payments::PaymentFilter;
use creance_app::queries::Page;
use creance_app::query_args::OpenItemArgs;
use creance_app::views::settings::PaymentMethod;
use creance_app::App;
use creance_core::{Language, Money, MoneyTotal};
use maud::{html, Markup};
use serde::Deserialize;

use super::format::{amount, count, date, total};
use super::i18n::{t, tf, words, Msg};
use super::layout::{page, Tab};
use super::{csrf, html, once, WebError, WebUser};
use messages::M;

/// Payments per page of a list.
const PAGE_SIZE: i64 = 50;

/// A payment method's label (its code when the company has no such method any more).
fn method_label(methods: &[PaymentMethod], code: &str) -> String {
    methods.iter().find(|m| m.code == code).map_or_else(|| code.to_string(), |m| m.label.clone())
}

/// An amount as typed in a form field: no grouping, the language's decimal mark (`1234,50`, `1234.50`),
/// which `Money::parse_input` reads back exactly.
fn input_amount(m: creance_core::Money, lang: Language) -> String {
    let plain = m.format_amount();
    if super::i18n::ui_language(lang) == Language::Fr {
        plain.replace('.', ",")
    } else {
        plain
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    list: Option<String>,
    offset: Option<i64>,
    /// After a confirmed batch: its line and credit counts, for the notice.
    batch_lines: Option<usize>,
    batch_credits: Option<usize>,
    /// A repeated submission landed here (`web/once.rs`).
    again: Option<String>,
}

/// The three lists' tabs, `current` marked.
fn list_tabs(lang: Language, current: &str) -> Markup {
    let current_if = |name: &str| (name == current).then_some("page");
    html! {
        nav.subtabs aria-label=(t(lang, M::ListsLabel)) {
            a href="/reglements" aria-current=[current_if("to_allocate")] { (t(lang, M::ToAllocate)) }
            a href="/reglements?list=allocated" aria-current=[current_if("allocated")] { (t(lang, M::Allocated)) }
            a href="/reglements?list=credit_notes" aria-current=[current_if("credit_notes")] { (t(lang, M::CreditNotes)) }
        }
    }
}

/// A credit's amount as the credit notes list shows it: positive (the open items give credits negative).
fn credit(m: Money) -> Money {
    m.checked_neg().unwrap_or(m)
}

/// `GET /reglements?list=credit_notes`: the open credit notes, newest first, each leading to its
/// allocation window; the totals per currency of the whole list.
async fn credit_notes(app: &App, user: &WebUser, q: &ListQuery) -> Result<Response, WebError> {
    let lang = user.lang();
    let args = OpenItemArgs {
        side: Some("credit".into()),
        kind: Some("credit_note".into()),
        sort: Some("-document_date".into()),
        limit: Some(PAGE_SIZE.to_string()),
        offset: Some(q.offset.unwrap_or(0).max(0).to_string()),
        ..Default::default()
    };
    let (filter, sorts, p) = args.parse(user.at.date())?;
    let listed = app.open_items(user.company_id(), &filter, &sorts, p).await?;
    let link = |offset: i64| format!("/reglements?list=credit_notes&offset={offset}");
    let first = listed.offset + 1;
    let last = listed.offset + listed.items.len() as i64;
    let body = html! {
        div.page-head { h1 { (t(lang, M::Title)) } }
        (list_tabs(lang, "credit_notes"))
        @if listed.items.is_empty() {
            p.empty { (t(lang, M::NoneCreditNotes)) }
        } @else {
            table.list #credit-notes {
                thead { tr {
                    th { (t(lang, M::CreditNoteColumn)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                    th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::Unallocated)) }
                    @if user.can_write() { th { span.visually-hidden { (t(lang, M::AllocateLink)) } } }
                } }
                tbody {
                    @for n in &listed.items {
                        tr data-document=(n.document_id) {
                            td { a href=(format!("/reglements/avoirs/{}", n.document_id)) { (n.document_number) } }
                            td.num { (date(n.document_date, lang)) }
                            td { (n.customer_number) " · " (n.customer_name) }
                            td.num { (amount(credit(n.amount), lang)) }
                            td.num { (amount(credit(n.amount_open), lang)) }
                            @if user.can_write() {
                                td { a href=(format!("/reglements/avoirs/{}#allocation", n.document_id)) { (t(lang, M::AllocateLink)) } }
                            }
                        }
                    }
                }
                tfoot #credit-note-totals {
                    @for s in &listed.totals {
                        @let what = if s.items == 1 { M::OneCreditNote } else { M::ManyCreditNotes };
                        tr data-currency=(s.currency.code()) {
                            td colspan="3" { (t(lang, Msg::Total)) " " (s.currency.code()) " · " (tf(lang, what, &[&count(s.items, lang)])) }
                            td {} td.num { (total(MoneyTotal::new(-s.amount_open.minor(), s.currency), lang)) }
                            @if user.can_write() { td {} }
                        }
                    }
                }
            }
            nav.pager {
                @if listed.offset > 0 {
                    a rel="prev" href=(link((listed.offset - PAGE_SIZE).max(0))) { "← " (t(lang, Msg::Previous)) }
                }
                span { (tf(lang, Msg::PageOf, &[&count(first, lang), &count(last, lang), &count(listed.total_count, lang)])) }
                @if last < listed.total_count {
                    a rel="next" href=(link(last)) { (t(lang, Msg::Next)) " →" }
                }
            }
        }
    };
    Ok(html(page(user, Tab::Payments, t(lang, M::Title), body)).into_response())
}

/// `GET /reglements`: the payments to allocate (counted, with the totals per currency of the whole
/// list: the open cash), or the fully allocated ones (`?list=allocated`: newest first, paged without a
/// count or totals, as the Échéancier's history — a list that grows with the years).
pub async fn list(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    if q.list.as_deref() == Some("credit_notes") {
        return credit_notes(&app, &user, &q).await;
    }
    let lang = user.lang();
    let allocated = q.list.as_deref() == Some("allocated");
    let filter = PaymentFilter { unallocated: Some(!allocated), ..Default::default() };
    let p = Page::new(Some(PAGE_SIZE), Some(q.offset.unwrap_or(0).max(0)))?;
    // (rows, offset, whether more follow, the count when counted, the totals when counted)
    let (items, offset, more, counted, sums) = if allocated {
        let page = app.payments_page(user.company_id(), &filter, p).await?;
        (page.items, page.offset, page.more, None, Vec::new())
    } else {
        let listed = app.payments(user.company_id(), &filter, p).await?;
        // The totals of the whole list (everything the filter selects), per currency.
        let sums = app.payment_totals(user.company_id(), &filter).await?;
        let more = listed.offset + (listed.items.len() as i64) < listed.total_count;
        (listed.items, listed.offset, more, Some(listed.total_count), sums)
    };
    let methods = app.payment_methods(user.company_id()).await?;
    let list_param = if allocated { "allocated" } else { "to_allocate" };
    let link = |offset: i64| format!("/reglements?list={list_param}&offset={offset}");
    let first = offset + 1;
    let last = offset + items.len() as i64;
    let body = html! {
        div.page-head {
            h1 { (t(lang, M::Title)) }
            @if user.can_write() {
                div.actions {
                    a.button href="/reglements/nouveau" { (t(lang, M::NewPayment)) }
                    form.inline method="post" action="/reglements/affectation-auto" {
                        (csrf::hidden(user.csrf()))
                        button.primary #batch type="submit" { (t(lang, M::AllocatePayments)) }
                    }
                }
            }
        }
        @if let (Some(lines), Some(credits)) = (q.batch_lines, q.batch_credits) {
            p.notice role="status" { (tf(lang, M::BatchDone, &[&count(lines as i64, lang), &count(credits as i64, lang)])) }
        }
        (once::notice(lang, q.again.is_some()))
        (list_tabs(lang, list_param))
        @if items.is_empty() {
            p.empty { (t(lang, if allocated { M::NoneAllocated } else { M::NoneToAllocate })) }
        } @else {
            table.list #payments {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                    th { (t(lang, Msg::Method)) } th { (t(lang, Msg::Piece)) } th { (t(lang, Msg::Status)) }
                    th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::Unallocated)) }
                    @if !allocated && user.can_write() { th { span.visually-hidden { (t(lang, M::AllocateLink)) } } }
                } }
                tbody {
                    @for p in &items {
                        tr {
                            td { a href=(format!("/reglements/{}", p.id)) { (p.number) } }
                            td.num { (date(p.date, lang)) }
                            td { (p.customer_number) " · " (p.customer_name) }
                            td { (method_label(&methods, &p.method)) }
                            td { (p.piece_number) }
                            td { (words::payment_status(lang, p.status)) }
                            td.num { (amount(p.amount, lang)) }
                            td.num { (amount(p.unallocated, lang)) }
                            @if !allocated && user.can_write() {
                                td { a href=(format!("/reglements/{}#allocation", p.id)) { (t(lang, M::AllocateLink)) } }
                            }
                        }
                    }
                }
                @if !allocated {
                    tfoot #payment-totals {
                        @for s in &sums {
                            @let what = if s.count == 1 { M::OnePayment } else { M::ManyPayments };
                            tr data-currency=(s.currency.code()) {
                                td colspan="6" { (t(lang, Msg::Total)) " " (s.currency.code()) " · " (tf(lang, what, &[&count(s.count, lang)])) }
                                td.num { (total(s.amount, lang)) } td.num { (total(s.open, lang)) }
                                @if user.can_write() { td {} }
                            }
                        }
                    }
                }
            }
            nav.pager {
                @if offset > 0 {
                    a rel="prev" href=(link((offset - PAGE_SIZE).max(0))) { "← " (t(lang, Msg::Previous)) }
                }
                @match counted {
                    Some(n) => span { (tf(lang, Msg::PageOf, &[&count(first, lang), &count(last, lang), &count(n, lang)])) },
                    None => span { (tf(lang, Msg::PageFrom, &[&count(first, lang), &count(last, lang)])) },
                }
                @if more {
                    a rel="next" href=(link(last)) { (t(lang, Msg::Next)) " →" }
                }
            }
        }
    };
    Ok(html(page(&user, Tab::Payments, t(lang, M::Title), body)).into_response())
}

/// A refusal shown above a form or a table, with the app's words.
fn refusal_box(lang: Language, message: &str) -> Markup {
    html! {
        div.refusal role="alert" {
            strong { (t(lang, M::Refused)) } " " (message)
        }
    }
}
