//! The actions on small balances: the preview (`POST /petits-soldes/actions/apercu`, the app's
//! `preview_small_balance_action`, nothing written) of a group of the extraction or of the items it
//! listed; the confirmation (`POST /petits-soldes/actions`, sent once) of exactly the items previewed,
//! through `small_balance_action` — one transaction; the action's page; and its undo
//! (`POST /petits-soldes/actions/{id}/annulation`, `undo_small_balance_action`). The fields are the
//! API's `ActionRequest`: `action` (`rebill`, `write_off`), `group.*` or `installment_ids` and
//! `payment_ids`, `contract_id` (the contract chosen when the items' own has ended), `reason`.
//! Every handler needs the clerk role, as the API's.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::small_balances::{ActionPreview, ActionRequest, ActionView, GroupRef, SmallBalanceQuery};
use creance_app::{query_args, App, AppError, FieldError};
use creance_core::{Money, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::{self, M};
use super::{kind_words, PATH};
use crate::web::format::{amount, date};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::reports::controls;
use crate::web::{csrf, html, refusal, WebError, WebUser};

/// The values of field `name`, in order.
fn all<'a>(pairs: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    pairs.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn one(pairs: &[(String, String)], name: &str) -> Option<String> {
    all(pairs, name).next().map(str::to_string)
}

/// The ids of a repeated field; a bad one names its place (`installment_ids[2]`).
fn ids(pairs: &[(String, String)], name: &str) -> Result<Vec<i64>, AppError> {
    let mut out = Vec::new();
    for (n, v) in all(pairs, name).enumerate() {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        out.push(
            v.parse::<i64>().map_err(|_| AppError::invalid(format!("{name}[{n}]"), format!("{v:?} is not an id")))?,
        );
    }
    Ok(out)
}

/// The form as the API's `ActionRequest`.
fn request(pairs: &[(String, String)]) -> Result<ActionRequest, AppError> {
    let group = if pairs.iter().any(|(k, _)| k.starts_with("group.")) {
        Some(GroupRef {
            customer_id: query_args::int("group.customer_id", &one(pairs, "group.customer_id"))?,
            customer_number: query_args::text(&one(pairs, "group.customer_number")),
            contract_id: query_args::int("group.contract_id", &one(pairs, "group.contract_id"))?,
            credits: query_args::flag("group.credits", &one(pairs, "group.credits"))?,
            currency: query_args::text(&one(pairs, "group.currency")),
            threshold: query_args::text(&one(pairs, "group.threshold")),
            older_than_days: query_args::int("group.older_than_days", &one(pairs, "group.older_than_days"))?,
        })
    } else {
        None
    };
    Ok(ActionRequest {
        action: one(pairs, "action").unwrap_or_default(),
        group,
        installment_ids: ids(pairs, "installment_ids")?,
        payment_ids: ids(pairs, "payment_ids")?,
        contract_id: query_args::int("contract_id", &one(pairs, "contract_id"))?,
        date: None,
        reason: one(pairs, "reason").unwrap_or_default(),
    })
}

/// The extraction a preview came from (its threshold and age), to find the customer's credits.
struct Origin {
    threshold: Option<String>,
    older_than_days: Option<String>,
}

impl Origin {
    fn of(pairs: &[(String, String)]) -> Origin {
        let pick = |a: &str, b: &str| query_args::text(&one(pairs, a)).or_else(|| query_args::text(&one(pairs, b)));
        Origin {
            threshold: pick("group.threshold", "threshold"),
            older_than_days: pick("group.older_than_days", "older_than_days"),
        }
    }

    fn hidden(&self) -> Markup {
        html! {
            @if let Some(v) = &self.threshold { input type="hidden" name="threshold" value=(v); }
            @if let Some(v) = &self.older_than_days { input type="hidden" name="older_than_days" value=(v); }
        }
    }
}

/// The customer's small credits in the preview's currency that the re-bill does not take yet
/// (installment ids of credit notes, payment ids, their total), for "deduct the credits too".
async fn credits_to_deduct(
    app: &App,
    user: &WebUser,
    p: &ActionPreview,
    origin: &Origin,
) -> Result<Option<(Vec<i64>, Vec<i64>, Money)>, WebError> {
    if p.action != "rebill" || p.credit_total.is_positive() || !p.debit_total.is_positive() {
        return Ok(None);
    }
    let q = SmallBalanceQuery {
        threshold: origin.threshold.clone(),
        older_than_days: query_args::int("older_than_days", &origin.older_than_days).ok().flatten(),
        currency: Some(p.debit_total.currency().code().to_string()),
        customer_id: Some(p.customer_id),
        customer_number: None,
    };
    let s = match app.small_balances(user.company_id(), &q, user.at.date()).await {
        Ok(s) => s,
        Err(AppError::Invalid(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(g) = s.credits.into_iter().next() else { return Ok(None) };
    let inst = g.items.iter().filter_map(|i| i.installment_id).collect();
    let pay = g.items.iter().filter_map(|i| i.payment_id).collect();
    Ok(Some((inst, pay, g.total)))
}

/// `POST /petits-soldes/actions/apercu`: what the action would do; nothing is written.
pub async fn preview(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let origin = Origin::of(&pairs);
    show_preview(&app, &user, &pairs, &origin, None).await
}

/// The preview of the posted request, with `problem` (a refused confirmation) shown on it.
async fn show_preview(
    app: &App,
    user: &WebUser,
    pairs: &[(String, String)],
    origin: &Origin,
    problem: Option<(StatusCode, AppError)>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let previewed = match request(pairs) {
        Ok(req) => app.preview_small_balance_action(user.company_id(), &req, user.at.date()).await.map(|p| (req, p)),
        Err(e) => Err(e),
    };
    match previewed {
        Ok((req, p)) => {
            let credits = credits_to_deduct(app, user, &p, origin).await?;
            let status = problem.as_ref().map_or(StatusCode::OK, |(s, _)| *s);
            let page = preview_page(user, &req, &p, origin, credits, problem.as_ref().map(|(_, e)| e))?;
            Ok((status, html(page)).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Rejected(_))) => {
            // Nothing to preview (the items were paid meanwhile, above the maximum…): say why.
            let status =
                if matches!(e, AppError::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
            let body = html! {
                p.crumbs { a href=(PATH) { (t(lang, M::Title)) } }
                h1 { (t(lang, M::Title)) }
                (controls::refusal_box(t(lang, M::Refused), &refusal::text(lang, &e)))
                p { a #back href=(PATH) { (t(lang, M::Back)) } }
            };
            Ok((status, html(page(user, Tab::SmallBalances, t(lang, M::Title), body))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn hidden_items(p: &ActionPreview) -> Markup {
    html! {
        @for i in &p.items {
            @if let Some(id) = i.installment_id { input type="hidden" name="installment_ids" value=(id); }
            @if let Some(id) = i.payment_id { input type="hidden" name="payment_ids" value=(id); }
        }
    }
}

fn preview_page(
    user: &WebUser,
    req: &ActionRequest,
    p: &ActionPreview,
    origin: &Origin,
    credits: Option<(Vec<i64>, Vec<i64>, Money)>,
    problem: Option<&AppError>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let write_off = p.action == "write_off";
    let deduction = p.charge.is_some_and(|c| c.is_negative());
    let title = t(
        lang,
        if write_off {
            M::PreviewWriteOff
        } else if deduction {
            M::PreviewDeduct
        } else {
            M::PreviewRebill
        },
    );
    let contract_error: Option<&FieldError> = match problem {
        Some(AppError::Invalid(fe)) if fe.field == "contract_id" => Some(fe),
        _ => None,
    };
    let other_problem = problem.filter(|_| contract_error.is_none()).map(|e| refusal::text(lang, e));
    // The chosen contract is not an active one of the customer: the app says so in the preview.
    let not_active = !write_off && !p.ready && req.contract_id.is_some() && p.proposed_contracts.is_empty();
    let choose = !write_off && !p.proposed_contracts.is_empty();
    let confirmable = p.ready || choose;
    let key = once::hidden()?;
    let body = html! {
        p.crumbs { a href=(PATH) { (t(lang, M::Title)) } " › " (title) }
        h1 { (title) }
        p.intro { (t(lang, M::PreviewIntro)) }
        @if let Some(m) = &other_problem { (controls::refusal_box(t(lang, M::Refused), m)) }
        section #sb-preview aria-labelledby="preview-h" {
            h2 #preview-h { (p.customer_number) }
            dl.two-col {
                dt { (t(lang, M::DebitTotal)) } dd #preview-debits { (amount(p.debit_total, lang)) }
                dt { (t(lang, M::CreditTotal)) } dd #preview-credits { (amount(p.credit_total, lang)) }
                @if let Some(c) = p.charge {
                    dt { (t(lang, if c.is_negative() { M::DeductionAmount } else { M::ChargeAmount })) }
                    dd #preview-charge { strong { (amount(if c.is_negative() { Money::new(-c.minor(), c.currency()) } else { c }, lang)) } }
                }
                @if let Some(c) = &p.contract {
                    dt { (t(lang, M::OnContract)) } dd #preview-contract { (c.number) }
                }
                @if write_off {
                    dt { (t(lang, M::WriteOffMaximum)) } dd { (amount(p.write_off_maximum, lang)) }
                }
            }
            @if let Some(c) = &p.ended_contract { p.hint #ended { (tf(lang, M::EndedContract, &[&c.number])) } }
            @if p.write_off_offered { p.refusal #no-active-contract role="status" { (t(lang, M::NoActiveContract)) } }
            @if not_active { p.field-error #contract_id-error role="alert" { (t(lang, M::NotActive)) } }
            table.list #preview-items {
                thead { tr {
                    th { (t(lang, M::Side)) } th { (t(lang, M::Reference)) } th { (t(lang, M::Kind)) }
                    th.num { (t(lang, M::Installment)) } th.num { (t(lang, M::DueOrDate)) } th { (t(lang, M::Contract)) }
                    th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::AmountOpen)) }
                } }
                tbody { @for i in &p.items { tr {
                    td { (t(lang, if i.side == "credit" { M::SideCredit } else { M::SideDebit })) }
                    td { (i.reference) } td { (kind_words(lang, &i.kind)) }
                    td.num { @if let Some(s) = i.seq { (s) } } td.num { (date(i.date, lang)) }
                    td { (i.contract_number.as_deref().unwrap_or("")) }
                    td.num { (amount(i.amount, lang)) } td.num.open { (amount(i.amount_open, lang)) }
                } } }
            }
            @if confirmable {
                form.sb-confirm #confirm-form method="post" action=(format!("{PATH}/actions")) onsubmit=(once::ONSUBMIT) {
                    (csrf::hidden(user.csrf()))
                    (key)
                    input type="hidden" name="action" value=(p.action);
                    (hidden_items(p))
                    (origin.hidden())
                    @if choose {
                        fieldset.field.invalid[contract_error.is_some()] #contract-choice aria-describedby=[contract_error.map(|_| "contract_id-error")] {
                            legend { (t(lang, M::ChooseContract)) }
                            p.hint { (t(lang, M::ChooseContractHint)) }
                            @for (n, c) in p.proposed_contracts.iter().enumerate() {
                                label.choice {
                                    input type="radio" name="contract_id" value=(c.id) checked[req.contract_id == Some(c.id) || (req.contract_id.is_none() && n == 0 && p.proposed_contracts.len() == 1)];
                                    " " (c.number)
                                }
                            }
                            @if let Some(fe) = contract_error { p.field-error #contract_id-error role="alert" { (refusal::field(lang, fe)) } }
                        }
                    } @else if let Some(c) = &p.contract {
                        @if req.contract_id.is_some() { input type="hidden" name="contract_id" value=(c.id); }
                    }
                    div.field {
                        label for="f-reason" { (t(lang, M::Reason)) }
                        input #f-reason type="text" name="reason" value=(req.reason) aria-describedby="f-reason-hint";
                        p.hint #f-reason-hint { (t(lang, M::ReasonHint)) }
                    }
                    div.form-actions {
                        button.primary #confirm type="submit" { (t(lang, if write_off { M::ConfirmWriteOff } else { M::Confirm })) }
                        @if choose {
                            button #recompute type="submit" formaction=(format!("{PATH}/actions/apercu")) { (t(lang, M::Recompute)) }
                        }
                        a #back href=(PATH) { (t(lang, M::Back)) }
                    }
                }
            } @else {
                p { a #back href=(PATH) { (t(lang, M::Back)) } }
            }
            @if let Some((inst, pay, sum)) = &credits {
                form.inline #include-credits method="post" action=(format!("{PATH}/actions/apercu")) {
                    (csrf::hidden(user.csrf()))
                    input type="hidden" name="action" value="rebill";
                    (hidden_items(p))
                    @for id in inst { input type="hidden" name="installment_ids" value=(id); }
                    @for id in pay { input type="hidden" name="payment_ids" value=(id); }
                    @if let Some(c) = req.contract_id { input type="hidden" name="contract_id" value=(c); }
                    (origin.hidden())
                    p.hint { (tf(lang, M::IncludeCreditsHint, &[&amount(*sum, lang)])) }
                    button #deduct-credits type="submit" { (t(lang, M::IncludeCredits)) }
                }
            }
            @if p.write_off_offered {
                form.inline #write-off-instead method="post" action=(format!("{PATH}/actions/apercu")) {
                    (csrf::hidden(user.csrf()))
                    input type="hidden" name="action" value="write_off";
                    (hidden_items(p))
                    (origin.hidden())
                    button #write-off type="submit" { (t(lang, M::WriteOffInstead)) }
                }
            }
        }
    };
    Ok(page(user, Tab::SmallBalances, title, body))
}

/// `POST /petits-soldes/actions`: does the action previewed (sent once), then its page; a refusal
/// shows the preview again with it.
pub async fn confirm(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let path = format!("{PATH}/actions");
    once::run(&app, &user, &path, &pairs, || async {
        let done = match request(&pairs) {
            Ok(req) => app.small_balance_action(&user.actor(), user.company_id(), &req, user.at.date()).await,
            Err(e) => Err(e),
        };
        match done {
            Ok(a) => Ok(Outcome::Done(format!("{PATH}/actions/{}?done=1", a.id))),
            Err(e @ (AppError::Invalid(_) | AppError::Rejected(_))) => {
                let status = if matches!(e, AppError::Invalid(_)) {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::CONFLICT
                };
                let origin = Origin::of(&pairs);
                Ok(Outcome::Refused(show_preview(&app, &user, &pairs, &origin, Some((status, e))).await?))
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct ActionQuery {
    done: Option<String>,
    again: Option<String>,
}

async fn load(app: &App, user: &WebUser, id: i64) -> Result<ActionView, WebError> {
    match app.small_balance_action_get(user.company_id(), id).await {
        Ok(a) => Ok(a),
        Err(AppError::NotFound { .. }) => Err(WebError::NotFound { lang: user.lang(), detail: format!("action {id}") }),
        Err(e) => Err(e.into()),
    }
}

/// `GET /petits-soldes/actions/{id}`.
pub async fn show(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<ActionQuery>,
) -> Result<Response, WebError> {
    let a = load(&app, &user, id).await?;
    let done = match q.done.as_deref() {
        Some("1") => Some(M::DoneNotice),
        Some("undone") => Some(M::UndoneNotice),
        _ => None,
    };
    Ok(html(action_page(&user, &a, done, q.again.is_some(), None)?).into_response())
}

fn action_page(
    user: &WebUser,
    a: &ActionView,
    done: Option<M>,
    again: bool,
    problem: Option<&str>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let title = tf(lang, M::ActionTitle, &[&a.id.to_string()]);
    let key = once::hidden()?;
    let body = html! {
        p.crumbs { a href=(PATH) { (t(lang, M::Title)) } " › " a href=(format!("{PATH}?view=actions")) { (t(lang, M::Actions)) } " › " (title) }
        h1 { (title) }
        @if let Some(m) = done { p.notice #done role="status" { (t(lang, m)) } }
        (once::notice(lang, again))
        @if let Some(m) = problem { (controls::refusal_box(t(lang, M::Refused), m)) }
        section #sb-action data-status=(a.status) {
            dl.two-col {
                dt { (t(lang, M::Kind)) } dd #action-kind { (messages::kind(lang, &a.kind)) }
                dt { (t(lang, M::Status)) } dd #action-status { (messages::status(lang, &a.status)) }
                dt { (t(lang, M::Customer)) } dd { (a.customer_number) }
                dt { (t(lang, M::ActionDate)) } dd { (date(a.date, lang)) }
                dt { (t(lang, M::DebitTotal)) } dd #action-debits { (amount(a.debit_total, lang)) }
                dt { (t(lang, M::CreditTotal)) } dd #action-credits { (amount(a.credit_total, lang)) }
                dt { (t(lang, M::Contract)) } dd { (a.contract_number.as_deref().unwrap_or("—")) }
                dt { (t(lang, M::By)) } dd { (a.actor) }
                @if !a.reason.is_empty() { dt { (t(lang, M::Reason)) } dd { (a.reason) } }
                @if let Some(d) = a.undone_date { dt { (t(lang, M::UndoneOn)) } dd { (date(d, lang)) } }
            }
        }
        section #sb-charge aria-labelledby="charge-h" {
            h2 #charge-h { (t(lang, M::ChargeTitle)) }
            @match &a.charge {
                None => { p.empty { (t(lang, M::NoCharge)) } }
                Some(c) => {
                    dl.two-col {
                        dt { (t(lang, Msg::Number)) } dd { (c.id) }
                        dt { (t(lang, M::Status)) } dd #charge-status data-status=(c.status) { (messages::charge_status(lang, &c.status)) }
                        dt { (t(lang, M::Contract)) } dd { (c.contract_number) }
                        dt { (t(lang, Msg::Amount)) } dd #charge-amount { (amount(c.amount, lang)) }
                        dt { (t(lang, M::Text)) } dd { (c.text) }
                        @if !c.invoice_number.is_empty() { dt { (t(lang, M::InvoiceNumber)) } dd { (c.invoice_number) } }
                    }
                }
            }
        }
        section #sb-items aria-labelledby="items-h" {
            h2 #items-h { (t(lang, M::ClosedItems)) }
            table.list {
                thead { tr { th { (t(lang, M::Side)) } th { (t(lang, M::Reference)) } th.num { (t(lang, M::Installment)) } th.num { (t(lang, Msg::Amount)) } } }
                tbody { @for l in &a.items { tr {
                    td { (t(lang, if l.side == "credit" { M::SideCredit } else { M::SideDebit })) }
                    td { (l.reference) } td.num { @if let Some(s) = l.seq { (s) } } td.num { (amount(l.amount, lang)) }
                } } }
            }
        }
        @if user.can_write() {
            section #sb-undo aria-labelledby="undo-h" {
                h2 #undo-h { (t(lang, M::UndoTitle)) }
                @if a.undoable {
                    p.hint { (t(lang, M::UndoHint)) }
                    form method="post" action=(format!("{PATH}/actions/{}/annulation", a.id)) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf()))
                        (key)
                        button.danger #undo type="submit" { (t(lang, M::UndoTitle)) }
                    }
                } @else {
                    p.empty { (t(lang, M::NotUndoable)) }
                }
            }
        }
        p { a #back href=(PATH) { (t(lang, M::Back)) } }
    };
    Ok(page(user, Tab::SmallBalances, &title, body))
}

/// `POST /petits-soldes/actions/{id}/annulation`: undoes the action while its charge is pending
/// (sent once); a refusal is shown on the action's page (409).
pub async fn undo(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let path = format!("{PATH}/actions/{id}/annulation");
    once::run(&app, &user, &path, &pairs, || async {
        match app.undo_small_balance_action(&user.actor(), user.company_id(), id, user.at.date()).await {
            Ok(a) => Ok(Outcome::Done(format!("{PATH}/actions/{}?done=undone", a.id))),
            Err(AppError::NotFound { .. }) => {
                Err(WebError::NotFound { lang: user.lang(), detail: format!("action {id}") })
            }
            Err(e @ (AppError::Invalid(_) | AppError::Rejected(_))) => {
                let a = load(&app, &user, id).await?;
                let text = refusal::text(user.lang(), &e);
                let page = action_page(&user, &a, None, false, Some(&text))?;
                Ok(Outcome::Refused((StatusCode::CONFLICT, html(page)).into_response()))
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}
