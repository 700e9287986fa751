//! Règlements (issue 13 point 3): the lists "à affecter" (the default) and "affectés", paginated; the
//! payment form (`form.rs`) with its duplicate warning; a payment's page (`detail.rs`) with the
//! allocation window, the allocated installments and their unallocation, and the cancellation; the
//! batch allocation with its preview (`batch.rs`). Every page calls the use cases the API's
//! `routes/payments.rs` calls; every write needs the clerk role; the money-moving forms are sent once
//! (`web/once.rs`).
//!
//! Routes: `GET /reglements` (`?list=allocated`, `offset`), `GET|POST /reglements/nouveau`
//! (`?customer_id=&amount=` prefill), `GET /reglements/clients` (the customer field's suggestions),
//! `GET /reglements/{id}`, `POST /reglements/{id}/imputation`, `POST /reglements/{id}/desaffectation`,
//! `POST /reglements/{id}/annulation`, `POST /reglements/affectation-auto` (preview, then confirm).

pub mod batch;
pub mod detail;
pub mod form;
mod messages;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use creance_app::payments::PaymentFilter;
use creance_app::queries::Page;
use creance_app::views::settings::PaymentMethod;
use creance_app::App;
use creance_core::Language;
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

/// `GET /reglements`.
pub async fn list(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let lang = user.lang();
    let allocated = q.list.as_deref() == Some("allocated");
    let filter = PaymentFilter { unallocated: Some(!allocated), ..Default::default() };
    let p = Page::new(Some(PAGE_SIZE), Some(q.offset.unwrap_or(0).max(0)))?;
    let listed = app.payments(user.company_id(), &filter, p).await?;
    // The totals of the whole list (everything the filter selects), per currency.
    let sums = app.payment_totals(user.company_id(), &filter).await?;
    let methods = app.payment_methods(user.company_id()).await?;
    let list_param = if allocated { "allocated" } else { "to_allocate" };
    let link = |offset: i64| format!("/reglements?list={list_param}&offset={offset}");
    let first = listed.offset + 1;
    let last = listed.offset + listed.items.len() as i64;
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
        nav.subtabs aria-label=(t(lang, M::ListsLabel)) {
            a href="/reglements" aria-current=[(!allocated).then_some("page")] { (t(lang, M::ToAllocate)) }
            a href="/reglements?list=allocated" aria-current=[allocated.then_some("page")] { (t(lang, M::Allocated)) }
        }
        @if listed.items.is_empty() {
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
                    @for p in &listed.items {
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
                tfoot #payment-totals {
                    @for s in &sums {
                        @let what = if s.count == 1 { M::OnePayment } else { M::ManyPayments };
                        tr data-currency=(s.currency.code()) {
                            td colspan="6" { (t(lang, Msg::Total)) " " (s.currency.code()) " · " (tf(lang, what, &[&count(s.count, lang)])) }
                            td.num { (total(s.amount, lang)) } td.num { (total(s.open, lang)) }
                            @if !allocated && user.can_write() { td {} }
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
