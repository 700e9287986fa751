//! One letter's page (SPEC §4.6; seed 002's "historique des documents transmis"): its number, date,
//! level, totals and items as frozen at issue (a draft's as they are now), its PDF (a draft's as a
//! marked preview), its deliveries with their attempts' last error and the resend of a failed
//! e-mail (`App::resend_delivery`), its withdrawal with a reason (`App::withdraw_dunning_letter`);
//! and a run's merged PDF of the letters to print (`App::dunning_print_pdf`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::documents::PrintOrder;
use creance_app::dunning::LetterDetail;
use creance_app::views::dunning::Delivery;
use creance_app::App;
use creance_core::dunning::{DeliveryStatus, ItemKind, LetterChannel, LetterStatus};
use creance_core::Language;
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{done_text, error_for, field, field_error, form_refusal, notices, page_error, pdf, words, writer, Problem};
use crate::web::format::{amount, count, opt_date};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct LetterQuery {
    done: Option<String>,
    again: Option<String>,
}

/// `GET /relances/lettres/{id}`.
pub async fn letter(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let page = letter_page(&app, &user, id, done_text(lang, q.done.as_deref()), q.again.is_some(), None).await?;
    Ok(html(page).into_response())
}

async fn letter_page(
    app: &App,
    user: &WebUser,
    id: i64,
    done: Option<String>,
    again: bool,
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let company = user.company_id();
    let d = app.dunning_letter(company, id, user.at.date()).await.map_err(|e| page_error(lang, e))?;
    let deliveries = app.dunning_letter_deliveries(company, id).await?;
    let trail = app.audit_of(company, "dunning_letter", id).await?;
    let x = &d.letter;
    let withdraw_key = once::hidden()?;
    let title = match &x.number {
        Some(n) => tf(lang, M::LetterTitle, &[n]),
        None => tf(lang, M::DraftLetterTitle, &[&x.payer_name]),
    };
    let write = user.can_write();
    let withdraw_error = error_for(problem, "withdraw", &["reason"]);
    let base = format!("/relances/lettres/{}", x.id);
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › "
            a href=(format!("/relances/propositions/{}?status={}&letter={}#letter", x.run_id, x.status.as_str(), x.id)) { (tf(lang, M::BackToProposal, &[&x.run_id.to_string()])) }
            " › " (x.number.as_deref().unwrap_or(&x.payer_number)) }
        h1 { (title) }
        (notices(lang, done, again))
        (summary(lang, &d, Shown::Page))
        div.actions {
            a.button #letter-pdf href=(format!("{base}/lettre.pdf")) { (t(lang, M::Pdf)) }
            a #payer-history href=(format!("/relances/historique?customer_id={}", x.payer_id)) { (t(lang, M::PayerHistory)) }
        }
        (deliveries_section(user, &deliveries, problem)?)
        @if write && x.status == LetterStatus::Issued {
            form.edit #withdraw-form method="post" action=(format!("{base}/annulation")) onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf())) (withdraw_key)
                h2 { (t(lang, M::Withdraw)) }
                (form_refusal(lang, problem, "withdraw", &["reason"]))
                div.field.invalid[withdraw_error.is_some()] {
                    label for="field-reason" { (t(lang, M::WithdrawReason)) }
                    input #field-reason type="text" name="reason" required aria-describedby="reason-hint reason-error"
                        aria-invalid=[withdraw_error.as_ref().map(|_| "true")];
                    span.hint #reason-hint { (t(lang, M::WithdrawHint)) }
                    (field_error("reason-error", &withdraw_error))
                }
                button.danger #withdraw type="submit" { (t(lang, M::Withdraw)) }
            }
        }
        section aria-labelledby="items-h" {
            h2 #items-h { (t(lang, M::Items)) }
            table.list #items {
                thead { tr {
                    th { (t(lang, Msg::Document)) } th { (t(lang, M::Kind)) } th.num { (t(lang, Msg::DueDate)) }
                    th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::AmountOpen)) } th.num { (t(lang, M::NewLevelCol)) }
                    th { (t(lang, M::ItemStatus)) } th { (t(lang, M::History)) }
                } }
                tbody { @for i in &d.items { tr data-item=(i.id) {
                    td { (i.reference) } td { (words::item_kind(lang, i.kind)) } td.num { (opt_date(i.due_date, lang)) }
                    td.num { (amount(i.amount, lang)) } td.num { (amount(i.amount_open, lang)) }
                    td.num { @if i.kind == ItemKind::Due { (i.new_level) } }
                    td { (words::item_status(lang, i.status)) }
                    td { @if let Some(inst) = i.installment_id {
                        a href=(format!("/relances/historique?installment_id={inst}")) aria-label=(format!("{} {}", t(lang, M::History), i.reference)) { (t(lang, M::History)) }
                    } }
                } } }
            }
        }
        (crate::web::audit::trail(lang, &trail))
    };
    Ok(page(user, Tab::Dunning, &title, body))
}

/// Where a letter's [`summary`] is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shown {
    /// Its own page: the payer, the dates and the delivery too.
    Page,
    /// The review's panel below the dashboard (the payer is its heading): the number links the page.
    Panel,
}

/// A letter's facts and totals, the same on its page and in the review's panel.
pub(super) fn summary(lang: Language, d: &LetterDetail, shown: Shown) -> Markup {
    let x = &d.letter;
    let page = shown == Shown::Page;
    html! {
        div.card-grid {
            dl #letter-facts {
                @if page { dt { (t(lang, Msg::Payer)) } dd { a href=(format!("/clients/{}", x.payer_id)) { (x.payer_number) } " · " (x.payer_name) } }
                dt { (t(lang, M::LetterStatus)) } dd #letter-status { (words::letter_status(lang, x.status)) }
                @if let Some(n) = &x.number {
                    dt { (t(lang, M::LetterNumber)) }
                    dd #letter-number { @if page { (n) } @else { a href=(format!("/relances/lettres/{}", x.id)) { (n) } } }
                }
                @if page { dt { (t(lang, M::LetterDate)) } dd { (opt_date(x.letter_date, lang)) } }
                dt { (t(lang, Msg::Level)) } dd #letter-level { (x.level)
                    @if let Some(by) = &x.level_forced_by {
                        " (" (tf(lang, M::ForcedBy, &[by])) @if !x.level_reason.is_empty() { " : " (x.level_reason) } ")"
                    } }
                dt { (t(lang, M::SendBy)) } dd #letter-send { @if x.send { (words::channel(lang, x.channel)) } @else { (t(lang, M::IssuedWithoutSending)) } }
                @if page {
                    dt { (t(lang, M::Delivery)) } dd #letter-delivery { (x.delivery_status.map(|s| words::delivery_status(lang, s)).unwrap_or("")) }
                    dt { (t(lang, M::Deadline)) } dd { (opt_date(x.payment_deadline, lang)) }
                }
                dt { (t(lang, M::Subject)) } dd #letter-subject { (d.preview.subject) }
                dt { (t(lang, M::DaysLateTotal)) } dd { (count(x.days_late_total, lang)) }
                dt { (t(lang, M::DaysLateMax)) } dd { (count(x.days_late_max, lang)) }
                @if !x.payer_comment.is_empty() { dt { (t(lang, M::PayerComment)) } dd { (x.payer_comment) } }
                @if x.status == LetterStatus::Withdrawn {
                    dt { (t(lang, M::LetterStatus)) } dd #withdrawn {
                        (tf(lang, M::Withdrawn, &[x.withdrawn_at.as_deref().unwrap_or(""), x.withdrawn_by.as_deref().unwrap_or(""), &x.withdraw_reason]))
                    }
                }
            }
            dl #letter-totals {
                dt { (t(lang, M::Overdue)) } dd { (amount(x.overdue_total, lang)) }
                dt { (t(lang, M::CreditsCol)) } dd { (amount(x.credits_total, lang)) }
                @if !x.fee.is_zero() { dt { (t(lang, M::Fee)) } dd { (amount(x.fee, lang)) } }
                @if !x.interest.is_zero() { dt { (t(lang, M::Interest)) } dd { (amount(x.interest, lang)) } }
                @if !x.indemnity.is_zero() { dt { (t(lang, M::Indemnity)) } dd { (amount(x.indemnity, lang)) } }
                dt { (t(lang, M::TotalDue)) } dd #letter-total-due { (amount(x.total_due, lang)) }
            }
        }
    }
}

fn deliveries_section(user: &WebUser, deliveries: &[Delivery], problem: Option<&Problem>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let mut keys = Vec::with_capacity(deliveries.len());
    for dv in deliveries {
        let resendable = dv.status == DeliveryStatus::Failed && dv.channel == LetterChannel::Email;
        keys.push(if user.can_write() && resendable { Some(once::hidden()?) } else { None });
    }
    Ok(html! {
        section #deliveries-section aria-labelledby="deliveries-h" {
            h2 #deliveries-h { (t(lang, M::DeliveriesTitle)) }
            (form_refusal(lang, problem, "resend", &[]))
            @if deliveries.is_empty() { p.empty { (t(lang, M::NoDeliveries)) } } @else {
                table.list #deliveries {
                    thead { tr {
                        th { (t(lang, M::SendBy)) } th { (t(lang, M::Address)) } th { (t(lang, Msg::Status)) }
                        th.num { (t(lang, M::Attempts)) } th { (t(lang, M::LastError)) } th { (t(lang, M::ItemActions)) }
                    } }
                    tbody { @for (dv, key) in deliveries.iter().zip(&keys) {
                        tr data-delivery=(dv.id) data-status=(dv.status.as_str()) {
                            td { (words::channel(lang, dv.channel)) } td { (dv.address) }
                            td.delivery { (words::delivery_status(lang, dv.status)) }
                            td.num { (dv.attempts) } td { (dv.last_error) }
                            td { @if let Some(key) = key {
                                form.inline method="post" action=(format!("/relances/envois/{}/renvoi", dv.id)) onsubmit=(once::ONSUBMIT) {
                                    (csrf::hidden(user.csrf())) (key)
                                    input type="hidden" name="letter_id" value=(dv.letter_id);
                                    button.primary.resend type="submit" { (t(lang, M::Resend)) }
                                }
                            } }
                        }
                    } }
                }
            }
        }
    })
}

/// `GET /relances/lettres/{id}/lettre.pdf`: as `/api/v1/dunning/letters/{id}/pdf`.
pub async fn letter_pdf(State(app): State<App>, user: WebUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    let doc =
        app.dunning_letter_pdf(user.company_id(), id, user.at.date()).await.map_err(|e| page_error(user.lang(), e))?;
    Ok(pdf(doc))
}

/// `GET /relances/propositions/{id}/impression.pdf`: the run's letters to print, merged (as
/// `/api/v1/dunning/runs/{id}/print.pdf`, in postal-code order).
pub async fn print_pdf(State(app): State<App>, user: WebUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    let doc = app
        .dunning_print_pdf(user.company_id(), id, PrintOrder::PostalCode, None, None, user.at.date())
        .await
        .map_err(|e| page_error(user.lang(), e))?;
    Ok(pdf(doc))
}

/// `POST /relances/lettres/{id}/annulation` (`reason`): withdraws the issued letter.
pub async fn withdraw(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    let lang = user.lang();
    let reason = field(&form, "reason").unwrap_or("").to_string();
    once::run(&app, &user, &format!("/relances/lettres/{id}/annulation"), &form, || async {
        match app.withdraw_dunning_letter(&user.actor(), user.company_id(), id, &reason, user.at.date()).await {
            Ok(_) => Ok(Outcome::Done(format!("/relances/lettres/{id}?done=withdrawn"))),
            Err(e) => {
                let problem = Problem::of(lang, "withdraw", e)?;
                let page = letter_page(&app, &user, id, None, false, Some(&problem)).await?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

/// `POST /relances/envois/{id}/renvoi`: queues a failed e-mail delivery again, to the payer's
/// address as it is now; back to its letter.
pub async fn resend(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    let lang = user.lang();
    once::run(&app, &user, &format!("/relances/envois/{id}/renvoi"), &form, || async {
        match app.resend_delivery(&user.actor(), user.company_id(), id).await {
            Ok(dv) => Ok(Outcome::Done(format!("/relances/lettres/{}?done=resent", dv.letter_id))),
            Err(e) => {
                let problem = Problem::of(lang, "resend", e)?;
                let letter_id = app.delivery(user.company_id(), id).await?.letter_id;
                let page = letter_page(&app, &user, letter_id, None, false, Some(&problem)).await?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}
