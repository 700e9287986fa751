//! Acomptes reçus non facturés (SPEC §4.4): the payments received for an order with no invoice yet
//! (the API's `/advances`), with their totals per currency. The app allocates an advance to its
//! invoice when the invoice is imported, and it leaves this list by itself.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use creance_app::queries::Page;
use creance_app::App;
use maud::html;
use serde::Deserialize;

use super::messages::M;
use super::{method_label, pager, totals_rows, PAGE_SIZE};
use crate::web::format::{amount, date};
use crate::web::i18n::{t, Msg};
use crate::web::layout::{page, Tab};
use crate::web::{html, WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    offset: Option<String>,
}

/// `GET /acomptes`.
pub async fn list(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let lang = user.lang();
    let company = user.company_id();
    let offset = q.offset.as_deref().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0).max(0);
    let listed = app.advances(company, None, Page::new(Some(PAGE_SIZE), Some(offset))?).await?;
    let totals = app.advance_totals(company, None).await?;
    let methods = app.payment_methods(company).await?;
    let body = html! {
        h1 { (t(lang, M::AdvancesTitle)) }
        p.intro { (t(lang, M::AdvancesIntro)) }
        @if listed.items.is_empty() { p.empty { (t(lang, M::NoAdvances)) } } @else {
            table.list #advances {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                    th { (t(lang, M::OrderRef)) } th { (t(lang, Msg::Method)) } th { (t(lang, Msg::Piece)) }
                    th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::Unallocated)) }
                } }
                tbody { @for p in &listed.items { tr {
                    td { (p.number) } td.num { (date(p.date, lang)) }
                    td { a href=(format!("/clients/{}", p.customer_id)) { (p.customer_number) } " · " (p.customer_name) }
                    td { (p.order_ref) } td { (method_label(&methods, &p.method)) } td { (p.piece_number) }
                    td.num { (amount(p.amount, lang)) } td.num { (amount(p.unallocated, lang)) }
                } } }
                tfoot { (totals_rows(lang, &totals, super::PAYMENTS, 6, true, 0)) }
            }
            (pager(lang, listed.offset, listed.items.len(), listed.total_count, |o| format!("/acomptes?offset={o}")))
        }
    };
    Ok(html(page(&user, Tab::Advances, t(lang, M::AdvancesTitle), body)).into_response())
}
