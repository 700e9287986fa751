//! The Relances tab (seed 001): above, the reminders to generate today (the letters a proposal with
//! no criterion would make, `App::dunning_to_generate`); below, the letters in progress with their
//! delivery status (issued letters with a dunned installment still open — a letter leaves once its
//! installments are settled); between them, the draft proposals being prepared. Each list is paged.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use creance_app::dunning::{Criteria, LetterFilter};
use creance_app::queries::Page;
use creance_app::App;
use creance_core::{Currency, Date, Money};
use maud::html;
use serde::Deserialize;

use super::messages::M;
use super::{done_text, notices, page_error, pager, words};

/// Rows per page of each of the tab's two lists (seed 001: two windows, one above the other).
const TAB_PAGE_SIZE: i64 = 20;
use crate::web::format::{amount, count, date, opt_date, total};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::{html, WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct OverviewQuery {
    /// The page of the "to generate" list.
    offset: Option<String>,
    /// The page of the "in progress" list.
    progress: Option<String>,
    done: Option<String>,
    again: Option<String>,
}

fn offset_of(text: &Option<String>) -> i64 {
    text.as_deref().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0).max(0)
}

/// `GET /relances`.
pub async fn overview(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let company = user.company_id();
    let today = user.at.date();
    let (offset, progress) = (offset_of(&q.offset), offset_of(&q.progress));
    let filter = LetterFilter { in_progress: true, ..Default::default() };
    let in_progress =
        app.dunning_letters(company, None, &filter, Page::new(Some(TAB_PAGE_SIZE), Some(progress))?).await?;
    let in_progress_totals = app.dunning_in_progress_totals(company).await?;
    let drafts = app.dunning_proposals(company, Some("draft"), Page::new(Some(20), Some(0))?).await?;
    let done = match q.done.as_deref() {
        Some("deleted") => done_text(lang, Some("deleted")),
        _ => None,
    };
    let body = html! {
        div.page-head {
            h1 { (t(lang, M::Title)) }
            @if user.can_write() {
                div.actions { a.button.primary #new-proposal href="/relances/propositions/nouvelle" { (t(lang, M::NewProposal)) } }
            }
        }
        (notices(lang, done, q.again.is_some()))
        section #to-generate-section aria-labelledby="to-generate-h" {
            h2 #to-generate-h { (t(lang, M::ToGenerateTitle)) }
            p.hint { (tf(lang, M::ToGenerateIntro, &[&date(today, lang)])) }
            // The list comes in a second request (htmx, on load): it is the proposal's rules over
            // every open installment, the slowest read of the tab; the page does not wait for it.
            div #to-generate-slot hx-get=(format!("/relances/a-generer?offset={offset}&progress={progress}")) hx-trigger="load" hx-swap="outerHTML" {
                p.hint { a href=(format!("/relances/a-generer?offset={offset}&progress={progress}")) { (t(lang, M::Loading)) } }
            }
        }
        section #in-progress-section aria-labelledby="in-progress-h" {
            h2 #in-progress-h { (t(lang, M::InProgressTitle)) }
            p.hint { (t(lang, M::InProgressIntro)) }
            @if in_progress.items.is_empty() {
                p.empty { (t(lang, M::NoneInProgress)) }
            } @else {
                table.list #in-progress {
                    thead { tr {
                        th { (t(lang, M::LetterNumber)) } th.num { (t(lang, M::LetterDate)) } th { (t(lang, Msg::Payer)) }
                        th.num { (t(lang, Msg::Level)) } th { (t(lang, M::SendBy)) } th.num { (t(lang, M::TotalDue)) }
                        th.num { (t(lang, M::Deadline)) } th { (t(lang, M::Delivery)) } th { (t(lang, M::Pdf)) }
                    } }
                    tbody { @for l in &in_progress.items {
                        @let number = l.number.clone().unwrap_or_default();
                        tr data-letter=(l.id) {
                            td { a href=(format!("/relances/lettres/{}", l.id)) { (number) } }
                            td.num { (opt_date(l.letter_date, lang)) }
                            td { a href=(format!("/relances/historique?customer_id={}", l.payer_id)) { (l.payer_number) } " · " (l.payer_name) }
                            td.num { (l.level) }
                            td { (words::channel(lang, l.channel)) }
                            td.num { (amount(l.total_due, lang)) }
                            td.num { (opt_date(l.payment_deadline, lang)) }
                            td.delivery { (l.delivery_status.map(|s| words::delivery_status(lang, s)).unwrap_or("")) }
                            td { a href=(format!("/relances/lettres/{}/lettre.pdf", l.id)) aria-label=(format!("{} {number}", t(lang, M::Pdf))) { (t(lang, M::Pdf)) } }
                        }
                    } }
                    // Every letter in progress, not this page's: the amounts dunned per currency.
                    tfoot #in-progress-totals { @for s in &in_progress_totals { tr data-currency=(s.currency.code()) {
                        td colspan="5" { (t(lang, Msg::Total)) " " (s.currency.code()) " · " (tf(lang, M::LettersCount, &[&count(s.letters, lang)])) }
                        td.num { (total(s.total_due, lang)) }
                        td colspan="3" {}
                    } } }
                }
                (pager(lang, (in_progress.offset, TAB_PAGE_SIZE), in_progress.items.len(), in_progress.total_count,
                    |o| format!("/relances?offset={offset}&progress={o}")))
            }
        }
        section #drafts-section aria-labelledby="drafts-h" {
            h2 #drafts-h { (t(lang, M::DraftsTitle)) }
            @if drafts.items.is_empty() {
                p.empty { (t(lang, M::NoDrafts)) }
            } @else {
                table.list #drafts {
                    thead { tr {
                        th { (t(lang, Msg::Number)) } th.num { (t(lang, M::AsOf)) } th { (t(lang, M::CreatedBy)) }
                        th.num { (t(lang, M::CreatedAt)) }
                    } }
                    tbody { @for r in &drafts.items { tr {
                        td { a href=(format!("/relances/propositions/{}", r.id)) { (tf(lang, M::ProposalLink, &[&r.id.to_string()])) } }
                        td.num { (date(r.as_of, lang)) }
                        td { (r.created_by) }
                        td.num { (r.created_at.get(..10).and_then(|d| Date::parse(d).ok()).map(|d| date(d, lang)).unwrap_or_else(|| r.created_at.clone())) }
                    } } }
                }
            }
        }
    };
    Ok(html(page(&user, Tab::Dunning, t(lang, M::Title), body)).into_response())
}

/// `GET /relances/a-generer` (`offset`, `progress`: the tab's pages): the upper list of the tab, the
/// letters a proposal with no criterion would make today (`App::dunning_to_generate`). htmx puts it in
/// the tab; without htmx (the link of the slot) it is the tab with this list in place.
pub async fn to_generate(
    State(app): State<App>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let today = user.at.date();
    let (offset, progress) = (offset_of(&q.offset), offset_of(&q.progress));
    let (to_generate, totals) = app
        .dunning_to_generate_with_totals(
            user.company_id(),
            &Criteria::default(),
            today,
            Page::new(Some(TAB_PAGE_SIZE), Some(offset))?,
        )
        .await
        .map_err(|e| page_error(lang, e))?;
    let list = html! {
        div #to-generate-slot {
                @if to_generate.items.is_empty() {
                    p.empty { (t(lang, M::NoneToGenerate)) }
                } @else {
                    table.list #to-generate {
                        thead { tr {
                            th { (t(lang, Msg::Payer)) } th { (t(lang, Msg::Currency)) } th.num { (t(lang, Msg::Level)) }
                            th.num { (t(lang, M::Installments)) } th.num { (t(lang, M::OldestDue)) }
                            th.num { (t(lang, M::DaysLateTotal)) } th.num { (t(lang, M::DaysLateMax)) }
                            th.num { (t(lang, M::Open)) }
                        } }
                        tbody { @for r in &to_generate.items {
                            @let open = Currency::parse(&r.currency).map(|c| amount(Money::new(r.amount_open, c), lang));
                            tr {
                                td { a href=(format!("/relances/historique?customer_id={}", r.payer_id)) { (r.payer_number) } " · " (r.payer_name) }
                                td { (r.currency) }
                                td.num { (r.level) }
                                td.num { (count(r.items, lang)) }
                                td.num { (Date::parse(&r.oldest_due_date).map(|d| date(d, lang)).unwrap_or_else(|_| r.oldest_due_date.clone())) }
                                td.num { (count(r.days_late_total, lang)) }
                                td.num { (count(r.days_late_max, lang)) }
                                td.num { (open.unwrap_or_else(|_| format!("{} {}", r.amount_open, r.currency))) }
                            }
                        } }
                        // Every payer to dun, not this page's: installments and open amount per currency.
                        tfoot #to-generate-totals { @for s in &totals { tr data-currency=(s.currency.code()) {
                            td colspan="3" { (t(lang, Msg::Total)) " " (s.currency.code()) " · " (tf(lang, M::LettersCount, &[&count(s.letters, lang)])) }
                            td.num { (count(s.items, lang)) }
                            td colspan="3" {}
                            td.num { (total(s.amount_open, lang)) }
                        } } }
                    }
                    (pager(lang, (to_generate.offset, TAB_PAGE_SIZE), to_generate.items.len(), to_generate.total_count,
                        |o| format!("/relances?offset={o}&progress={progress}")))
                }
        }
    };
    if headers.contains_key("hx-request") {
        return Ok(html(list).into_response());
    }
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › " (t(lang, M::ToGenerateTitle)) }
        h1 #to-generate-h { (t(lang, M::ToGenerateTitle)) }
        p.hint { (tf(lang, M::ToGenerateIntro, &[&date(today, lang)])) }
        (list)
    };
    Ok(html(page(&user, Tab::Dunning, t(lang, M::ToGenerateTitle), body)).into_response())
}
