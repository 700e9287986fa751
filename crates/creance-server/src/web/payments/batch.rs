//! The "Affecter les règlements" batch: `POST /reglements/affectation-auto` without `confirm` shows
//! the preview (the app's batch allocation computed, nothing written: counts, totals per currency,
//! the lines); with `confirm=1` (from the preview, sent once) it allocates — computed again under
//! the write lock, as `POST /auto-allocations` does — and goes back to the list with its counts.
//! Both need the clerk role, as in the API.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::auto_allocate::{BatchAllocation, LINES_SHOWN};
use creance_app::payment_window::BatchCredit;
use creance_app::App;
use creance_core::Role;
use maud::html;

use super::super::format::{amount, count, total};
use super::super::i18n::{t, tf, Msg};
use super::super::layout::{page, Tab};
use super::super::once::{self, Outcome};
use super::super::{csrf, html, WebError, WebUser};
use super::messages::M;

/// `POST /reglements/affectation-auto`.
pub async fn batch(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let confirm = pairs.iter().any(|(k, v)| k == "confirm" && v == "1");
    let today = user.at.date();
    if confirm {
        return once::run(&app, &user, "/reglements/affectation-auto", &pairs, || async {
            let done = app.auto_allocate(&user.actor(), user.company_id(), None, true, today).await?;
            Ok(Outcome::Done(format!(
                "/reglements?batch_lines={}&batch_credits={}",
                done.line_count, done.credits_allocated
            )))
        })
        .await;
    }
    let preview = app.auto_allocate(&user.actor(), user.company_id(), None, false, today).await?;
    let credits = app.batch_credits(user.company_id(), &preview.lines).await?;
    Ok(html(preview_page(&user, &preview, &credits)?).into_response())
}

fn preview_page(
    user: &WebUser,
    b: &BatchAllocation,
    credits: &std::collections::HashMap<(&'static str, i64), BatchCredit>,
) -> Result<maud::Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let body = html! {
        p.crumbs { a href="/reglements" { (t(lang, M::Title)) } " › " (t(lang, M::BatchTitle)) }
        h1 { (t(lang, M::BatchTitle)) }
        p { (t(lang, M::BatchIntro)) }
        section #batch-preview aria-labelledby="batch-h" {
            h2 #batch-h.visually-hidden { (t(lang, M::BatchTitle)) }
            p #batch-summary {
                (tf(lang, M::BatchSummary, &[&count(b.credits as i64, lang), &count(b.credits_allocated as i64, lang),
                    &count(b.line_count as i64, lang)]))
            }
            @if b.line_count == 0 {
                p.empty #batch-nothing { (t(lang, M::BatchNothing)) }
            } @else {
                table.list #batch-totals {
                    thead { tr {
                        th { (t(lang, Msg::Currency)) } th.num { (t(lang, M::Allocated)) } th.num { (t(lang, M::LeftUnallocated)) }
                    } }
                    tbody { @for tot in &b.totals { tr {
                        td { (tot.currency.code()) } td.num { (total(tot.allocated, lang)) } td.num { (total(tot.left_unallocated, lang)) }
                    } } }
                }
                form.batch-confirm method="post" action="/reglements/affectation-auto" onsubmit=(once::ONSUBMIT) {
                    (csrf::hidden(user.csrf()))
                    (key)
                    input type="hidden" name="confirm" value="1";
                    div.form-actions {
                        button.primary #batch-confirm type="submit" { (t(lang, M::BatchConfirm)) }
                        a href="/reglements" { (t(lang, M::Back)) }
                    }
                }
                @if b.line_count > b.lines.len() {
                    p.hint { (tf(lang, M::BatchMoreLines, &[&count(LINES_SHOWN as i64, lang)])) }
                }
                table.list #batch-lines {
                    thead { tr {
                        th { (t(lang, M::Credit)) } th { (t(lang, M::Customer)) } th { (t(lang, Msg::Document)) }
                        th.num { (t(lang, Msg::Amount)) }
                    } }
                    tbody { @for l in &b.lines {
                        @let c = credits.get(&(l.credit_kind, l.credit_id));
                        tr {
                            td {
                                @match c {
                                    Some(BatchCredit { number, payment_id: Some(id), .. }) => {
                                        a href=(format!("/reglements/{id}")) { (number) }
                                    }
                                    Some(BatchCredit { number, payment_id: None, .. }) => { (tf(lang, M::CreditNote, &[number])) }
                                    None => { (l.credit_kind) " " (l.credit_id) }
                                }
                            }
                            td { (c.map(|c| c.customer_number.as_str()).unwrap_or("")) }
                            td { (l.document_number) }
                            td.num { (amount(l.amount, lang)) }
                        }
                    } }
                }
            }
        }
    };
    Ok(page(user, Tab::Payments, t(lang, M::BatchTitle), body))
}
