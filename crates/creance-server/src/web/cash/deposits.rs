//! Remises en banque (SPEC §4.5): the payments waiting to be deposited (the API's
//! `/deposits/pending`; a post-dated one only with "show future deposits"), ticked into a new draft
//! deposit to one bank (`POST /deposits`'s use case); the deposits list; a deposit's page with its
//! payments, its validation and its cancellation while a draft, and its slip as PDF.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::deposits::CreateDeposit;
use creance_app::queries::Page;
use creance_app::views::money::Payment;
use creance_app::views::settings::{BankAccount, PaymentMethod};
use creance_app::{App, AppError, Fault, Thing};
use creance_core::{DepositStatus, Language, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{
    error_for, field, field_error, method_label, notices, page_error, pager, pdf, totals_rows, Problem, PAGE_SIZE,
};
use crate::web::format::{amount, date, opt_date};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, refusal, WebError, WebUser};

fn status_word(lang: Language, s: DepositStatus) -> &'static str {
    t(
        lang,
        match s {
            DepositStatus::Draft => M::StatusDraft,
            DepositStatus::Validated => M::StatusValidated,
            DepositStatus::Cancelled => M::StatusCancelled,
        },
    )
}

fn offset_of(text: &Option<String>) -> i64 {
    text.as_deref().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0).max(0)
}

/// The sub-tabs of the screen.
fn subtabs(lang: Language, deposits: bool) -> Markup {
    html! {
        nav.subtabs aria-label=(t(lang, M::DepositsTitle)) {
            a href="/remises" aria-current=[(!deposits).then_some("page")] { (t(lang, M::ToDeposit)) }
            a href="/remises/liste" aria-current=[deposits.then_some("page")] { (t(lang, M::DepositList)) }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct PendingQuery {
    show_future: Option<String>,
    offset: Option<String>,
}

/// What the to-deposit page shows besides the payments.
struct Pending {
    future: bool,
    offset: i64,
    listed: creance_app::queries::Listed<Payment>,
    totals: Vec<creance_app::list_totals::ListTotal>,
    banks: Vec<BankAccount>,
    methods: Vec<PaymentMethod>,
}

async fn load_pending(app: &App, user: &WebUser, future: bool, offset: i64) -> Result<Pending, WebError> {
    let company = user.company_id();
    let today = user.at.date();
    let listed = app.to_deposit(company, today, future, Page::new(Some(PAGE_SIZE), Some(offset))?).await?;
    let totals = app.to_deposit_totals(company, today, future).await?;
    let banks = app.bank_accounts(company).await?;
    let methods = app.payment_methods(company).await?;
    Ok(Pending { future, offset, listed, totals, banks, methods })
}

/// `GET /remises` (`?show_future=true`: the post-dated payments too).
pub async fn pending(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<PendingQuery>,
) -> Result<Response, WebError> {
    let future = q.show_future.as_deref() == Some("true");
    let p = load_pending(&app, &user, future, offset_of(&q.offset)).await?;
    Ok(html(pending_page(&user, &p, None, &Typed::default())?).into_response())
}

/// What the create form carried, to show it again after a refusal.
#[derive(Default)]
struct Typed {
    ids: Vec<i64>,
    bank: String,
    date: String,
}

fn pending_page(user: &WebUser, p: &Pending, problem: Option<&Problem>, typed: &Typed) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let write = user.can_write();
    // A refusal naming a payment not on this page is shown above the list.
    let on_page = |f: &str| {
        let n: Option<usize> =
            f.strip_prefix("payment_ids[").and_then(|r| r.split(']').next()).and_then(|n| n.parse().ok());
        let mut sorted = typed.ids.clone();
        sorted.sort_unstable();
        n.and_then(|n| sorted.get(n).copied()).is_some_and(|id| p.listed.items.iter().any(|x| x.id == id))
    };
    let general = problem
        .filter(|x| x.field.as_deref().is_none_or(|f| f.starts_with("payment_ids[") && !on_page(f)))
        .map(|x| x.reason.clone());
    // `payment_ids[n]` names the n-th id in ascending order (the order the app checks them in).
    let mut sorted = typed.ids.clone();
    sorted.sort_unstable();
    let row_error = |id: i64| -> Option<String> {
        let x = problem?;
        let f = x.field.as_deref()?;
        let n: usize = f.strip_prefix("payment_ids[")?.split(']').next()?.parse().ok()?;
        (sorted.get(n) == Some(&id)).then(|| x.reason.clone())
    };
    let ids_error = error_for(problem, &["payment_ids"]);
    let bank_error = error_for(problem, &["bank_account_id"]);
    let date_error = error_for(problem, &["date"]);
    let today = date(user.at.date(), lang);
    let day = if typed.date.is_empty() { today.as_str() } else { typed.date.as_str() };
    let future_href = if p.future { "&show_future=true" } else { "" };
    let cols = if write { 9 } else { 8 };
    let body = html! {
        h1 { (t(lang, M::DepositsTitle)) }
        (subtabs(lang, false))
        form.toggle method="get" action="/remises" {
            label.choice {
                input #show_future type="checkbox" name="show_future" value="true" checked[p.future];
                " " (t(lang, M::ShowFuture))
            }
            span.hint { " (" (t(lang, M::ShowFutureHint)) ")" }
            button type="submit" { (t(lang, M::Apply)) }
        }
        @if let Some(g) = &general { p.form-error #form-error role="alert" { (g) } }
        @if p.listed.items.is_empty() {
            p.empty { (t(lang, if p.future { M::NoPaymentsToDepositFuture } else { M::NoPaymentsToDeposit })) }
        } @else {
            form.cash #deposit-form method="post" action="/remises" onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf()))
                (key)
                @if p.future { input type="hidden" name="show_future" value="true"; }
                table.list #to-deposit aria-describedby="payment_ids-error" {
                    thead { tr {
                        @if write { th { (t(lang, M::Select)) } }
                        th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                        th { (t(lang, Msg::Method)) } th { (t(lang, Msg::Piece)) } th { (t(lang, M::CustomerBank)) }
                        th.num { (t(lang, M::DepositDate)) } th.num { (t(lang, Msg::Amount)) }
                    } }
                    tbody { @for x in &p.listed.items {
                        @let e = row_error(x.id);
                        tr class=[e.is_some().then_some("invalid")] {
                            @if write { td {
                                input type="checkbox" name="payment_ids" value=(x.id) id=(format!("pay-{}", x.id))
                                    checked[typed.ids.contains(&x.id)]
                                    aria-label=(tf(lang, M::SelectPayment, &[&x.number]));
                            } }
                            td { (x.number) @if let Some(e) = &e { p.field-error role="alert" { (e) } } }
                            td.num { (date(x.date, lang)) }
                            td { a href=(format!("/clients/{}", x.customer_id)) { (x.customer_number) } " · " (x.customer_name) }
                            td { (method_label(&p.methods, &x.method)) } td { (x.piece_number) } td { (x.customer_bank) }
                            td.num { (opt_date(x.deposit_date, lang)) } td.num { (amount(x.amount, lang)) }
                        }
                    } }
                    tfoot { (totals_rows(lang, &p.totals, super::PAYMENTS, cols - 1, false, 0)) }
                }
                (field_error("payment_ids-error", &ids_error))
                (pager(lang, p.offset, p.listed.items.len(), p.listed.total_count, |o| format!("/remises?offset={o}{future_href}")))
                @if write {
                    section.create #new-deposit aria-labelledby="new-deposit-h" {
                        h2 #new-deposit-h { (t(lang, M::NewDeposit)) }
                        p.hint { (t(lang, M::NewDepositHint)) }
                        div.form-grid {
                            div.field.invalid[bank_error.is_some()] {
                                label for="field-bank_account_id" { (t(lang, M::Bank)) }
                                select #field-bank_account_id name="bank_account_id" aria-describedby="bank_account_id-error"
                                    aria-invalid=[bank_error.as_ref().map(|_| "true")] {
                                    @for b in &p.banks {
                                        option value=(b.id) selected[b.id.to_string() == typed.bank] { (b.name) " · " (b.currency.code()) }
                                    }
                                }
                                (field_error("bank_account_id-error", &bank_error))
                            }
                            div.field.invalid[date_error.is_some()] {
                                label for="field-date" { (t(lang, M::DepositDay)) }
                                input #field-date type="text" name="date" value=(day) aria-describedby="date-error"
                                    autocomplete="off" placeholder=(t(lang, Msg::DateInputHint))
                                    aria-invalid=[date_error.as_ref().map(|_| "true")];
                                (field_error("date-error", &date_error))
                            }
                        }
                        button.primary #create-deposit type="submit" { (t(lang, M::CreateDeposit)) }
                    }
                }
            }
        }
    };
    Ok(page(user, Tab::Deposits, t(lang, M::DepositsTitle), body))
}

/// `POST /remises` (clerk or admin): a draft deposit of the ticked payments to one bank, then its
/// page (303); a refusal shows the list again with it next to its field or payment (422).
pub async fn create(
    State(app): State<App>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let future = field(&form, "show_future") == Some("true");
    let ids_text: Vec<&str> = form.iter().filter(|(k, _)| k == "payment_ids").map(|(_, v)| v.as_str()).collect();
    let bank = field(&form, "bank_account_id").unwrap_or("").to_string();
    let day = field(&form, "date").unwrap_or("").to_string();
    once::run(&app, &user, "/remises", &form, || async {
        let mut ids = Vec::new();
        let mut parsed: Result<(), AppError> = Ok(());
        for (n, v) in ids_text.iter().enumerate() {
            match v.trim().parse::<i64>() {
                Ok(id) => ids.push(id),
                Err(_) => {
                    parsed = Err(AppError::invalid_said(
                        format!("payment_ids[{n}]"),
                        Fault::NoSuch { thing: Thing::Payment, key: v.to_string() },
                    ));
                    break;
                }
            }
        }
        let result = match (parsed, creance_app::query_args::int("bank_account_id", &Some(bank.clone()))) {
            (Err(e), _) | (_, Err(e)) => Err(e),
            (Ok(()), Ok(None)) => Err(AppError::invalid_said("bank_account_id", Fault::BankAccountMissing)),
            (Ok(()), Ok(Some(bank_account_id))) => {
                let input = CreateDeposit { bank_account_id, date: Some(day.clone()), payment_ids: ids.clone() };
                app.create_deposit(&user.actor(), user.company_id(), &input, user.at.date()).await
            }
        };
        let e = match result {
            Ok(d) => return Ok(Outcome::Done(format!("/remises/{}?done=created", d.deposit.id))),
            Err(e) => e,
        };
        let problem = Problem::of(user.lang(), e)?;
        let p = load_pending(&app, &user, future, 0).await?;
        let typed = Typed { ids, bank: bank.clone(), date: day.clone() };
        let status = if problem.field.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
        Ok(Outcome::Refused((status, html(pending_page(&user, &p, Some(&problem), &typed)?)).into_response()))
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    offset: Option<String>,
}

/// `GET /remises/liste`: the deposits, newest first.
pub async fn list(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let lang = user.lang();
    let company = user.company_id();
    let listed = app.deposits(company, None, Page::new(Some(PAGE_SIZE), Some(offset_of(&q.offset)))?).await?;
    let totals = app.deposit_totals(company, None).await?;
    let body = html! {
        h1 { (t(lang, M::DepositsTitle)) }
        (subtabs(lang, true))
        @if listed.items.is_empty() { p.empty { (t(lang, M::NoDeposits)) } } @else {
            table.list #deposits {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Bank)) }
                    th { (t(lang, Msg::Status)) } th.num { (t(lang, M::PaymentCount)) } th.num { (t(lang, Msg::Amount)) }
                    th { (t(lang, M::DepositSlip)) }
                } }
                tbody { @for d in &listed.items { tr {
                    td { a href=(format!("/remises/{}", d.id)) { (d.number) } } td.num { (date(d.date, lang)) }
                    td { (d.bank_name) } td { (status_word(lang, d.status)) } td.num { (d.payment_count) }
                    td.num { (amount(d.total, lang)) }
                    td { a href=(format!("/remises/{}/bordereau.pdf", d.id)) { (t(lang, M::PdfLink)) } }
                } } }
                tfoot { (totals_rows(lang, &totals, super::DEPOSITS, 5, false, 1)) }
            }
            (pager(lang, listed.offset, listed.items.len(), listed.total_count, |o| format!("/remises/liste?offset={o}")))
        }
    };
    Ok(html(page(&user, Tab::Deposits, t(lang, M::DepositsTitle), body)).into_response())
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    done: Option<String>,
    again: Option<String>,
}

/// `GET /remises/{id}`.
pub async fn detail(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, WebError> {
    let d = app.deposit(user.company_id(), id).await.map_err(|e| page_error(&user, e))?;
    let done = match q.done.as_deref() {
        Some("created") => Some(M::DepositCreated),
        Some("validated") => Some(M::DepositValidated),
        Some("cancelled") => Some(M::DepositCancelled),
        _ => None,
    };
    let methods = app.payment_methods(user.company_id()).await?;
    Ok(html(detail_page(&user, &d, &methods, done, q.again.is_some(), None)?).into_response())
}

fn detail_page(
    user: &WebUser,
    d: &creance_app::deposits::DepositDetail,
    methods: &[PaymentMethod],
    done: Option<M>,
    again: bool,
    problem: Option<&str>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let (validate_key, cancel_key) = (once::hidden()?, once::hidden()?);
    let s = &d.deposit;
    let title = tf(lang, M::DepositTitle, &[&s.number]);
    let body = html! {
        p.crumbs { a href="/remises/liste" { (t(lang, M::DepositList)) } " › " (s.number) }
        h1 { (title) }
        (notices(lang, done, again))
        @if let Some(e) = problem { p.form-error #form-error role="alert" { (e) } }
        section.details aria-labelledby="deposit-h" {
            h2 #deposit-h.visually-hidden { (title) }
            dl.two-col {
                dt { (t(lang, M::Bank)) } dd { (s.bank_name) }
                dt { (t(lang, M::Iban)) } dd { (s.bank_iban) }
                dt { (t(lang, M::DepositDay)) } dd { (date(s.date, lang)) }
                dt { (t(lang, Msg::Status)) } dd #deposit-status { (status_word(lang, s.status)) }
                dt { (t(lang, M::PaymentCount)) } dd { (s.payment_count) }
                dt { (t(lang, Msg::Total)) } dd #deposit-total { (amount(s.total, lang)) }
            }
            div.actions {
                a #deposit-slip href=(format!("/remises/{}/bordereau.pdf", s.id)) { (t(lang, M::DepositSlip)) }
                @if user.can_write() && s.status == DepositStatus::Draft {
                    form.inline method="post" action=(format!("/remises/{}/valider", s.id)) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (validate_key)
                        button.primary #validate-deposit type="submit" { (t(lang, M::Validate)) }
                    }
                    form.inline method="post" action=(format!("/remises/{}/annuler", s.id)) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (cancel_key)
                        button #cancel-deposit type="submit" { (t(lang, M::CancelDeposit)) }
                    }
                }
            }
        }
        section #deposit-payments aria-labelledby="deposit-payments-h" {
            h2 #deposit-payments-h { (t(lang, M::Payments)) }
            table.list {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                    th { (t(lang, Msg::Method)) } th { (t(lang, Msg::Piece)) } th { (t(lang, M::CustomerBank)) }
                    th.num { (t(lang, Msg::Amount)) }
                } }
                tbody { @for x in &d.payments { tr {
                    td { (x.number) } td.num { (date(x.date, lang)) } td { (x.customer_number) " · " (x.customer_name) }
                    td { (method_label(methods, &x.method)) } td { (x.piece_number) } td { (x.customer_bank) }
                    td.num { (amount(x.amount, lang)) }
                } } }
                tfoot { tr { td colspan="6" { (t(lang, Msg::Total)) } td.num { (amount(s.total, lang)) } } }
            }
        }
    };
    Ok(page(user, Tab::Deposits, &title, body))
}

/// Validates or cancels a draft deposit: its page again, with the notice (303), or with the refusal.
async fn act(
    app: &App,
    user: &WebUser,
    id: i64,
    validate: bool,
    form: &[(String, String)],
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let path = format!("/remises/{id}/{}", if validate { "valider" } else { "annuler" });
    once::run(app, user, &path, form, || async {
        let company = user.company_id();
        let result = if validate {
            app.validate_deposit(&user.actor(), company, id).await
        } else {
            app.cancel_deposit(&user.actor(), company, id).await
        };
        match result {
            Ok(_) => {
                let done = if validate { "validated" } else { "cancelled" };
                Ok(Outcome::Done(format!("/remises/{id}?done={done}")))
            }
            Err(e @ AppError::Rejected(_)) => {
                let d = app.deposit(company, id).await?;
                let methods = app.payment_methods(company).await?;
                let page = detail_page(user, &d, &methods, None, false, Some(&refusal::text(user.lang(), &e)))?;
                Ok(Outcome::Refused((StatusCode::CONFLICT, html(page)).into_response()))
            }
            Err(e) => Err(page_error(user, e)),
        }
    })
    .await
}

/// `POST /remises/{id}/valider` (clerk or admin).
pub async fn validate(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    act(&app, &user, id, true, &form).await
}

/// `POST /remises/{id}/annuler` (clerk or admin).
pub async fn cancel(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    act(&app, &user, id, false, &form).await
}

/// `GET /remises/{id}/bordereau.pdf`: the slip, as `/api/v1/deposits/{id}/slip.pdf`.
pub async fn slip(State(app): State<App>, user: WebUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    let doc = app.deposit_slip_pdf(user.company_id(), id).await.map_err(|e| page_error(&user, e))?;
    Ok(pdf(doc))
}
