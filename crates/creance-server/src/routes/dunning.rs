//! Dunning (SPEC §4.6, §4.7): proposals, their letters and edits, issuing, withdrawal, reminders made
//! outside, views, and the settings (policies, customer overrides, blocks, interest tables).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use creance_app::clock::today_utc;
use creance_app::dunning::policy_json::{InterestTableDoc, InterestTableView, PolicyDoc, PolicyView};
use creance_app::dunning::settings::{Block, CustomerComment, CustomerDunning};
use creance_app::dunning::LetterFilter;
use creance_app::dunning::{
    ChangeLevel, Criteria, ExternalRecorded, IssueReport, LetterDetail, Proposal, RecordExternal, Texts,
};
use creance_app::exports::lists;
use creance_app::queries::Listed;
use creance_app::views::dunning::{BeyondLastLevel, Delivery, HistoryEntry, Letter, RateRow, Run, ToGenerate};
use creance_app::App;
use creance_core::Role;
use serde::{Deserialize, Serialize};

use super::IdPath;
use crate::auth::Scope;
use crate::export::Export;
use crate::params::{self, JsonBody, Params};
use crate::problem::Problem;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub status: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// `json` (the default), `csv` or `pdf`: the whole filtered list (not one page) as a file; wins
    /// over the `Accept` header (`text/csv`, `application/pdf`).
    #[allow(dead_code)] // read by `crate::export::Export`
    pub format: Option<String>,
    /// For CSV: `standard` (`,` and `.`, the default) or `excel` (`;`, decimal comma and a BOM).
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// Proposals, newest first (deleted ones only when asked by status).
#[utoipa::path(get, path = "/api/v1/dunning/proposals", tag = "dunning", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Listed<Run>), (status = 400, body = Problem)))]
pub async fn proposals(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ListQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = params::text(&q.status);
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::RUNS, page, params::bad_request, move |page| {
            let (app, status) = (a.clone(), status.clone());
            async move { app.dunning_proposals(company_id, status.as_deref(), page).await }
        })
        .await
}

/// Computes a proposal for the criteria and saves it as a draft: one letter per payer and currency;
/// left-out payers are letters with status `left_out` and a reason. When no payer can be dunned,
/// nothing is saved: 200 with `run` null and the left-out list as `letters` (ids 0).
#[utoipa::path(post, path = "/api/v1/dunning/proposals", tag = "dunning", security(("bearer" = [])), request_body = Criteria,
    responses((status = 201, body = Proposal, description = "a draft was saved"),
        (status = 200, body = Proposal, description = "nothing to dun: no draft, the left-out list"),
        (status = 422, body = Problem)))]
pub async fn propose(
    State(app): State<App>,
    scope: Scope,
    JsonBody(c): JsonBody<Criteria>,
) -> Result<(StatusCode, Json<Proposal>), Problem> {
    scope.require(Role::Clerk)?;
    let p = app.propose_dunning(&scope.actor(), scope.company_id, &c, today_utc()).await?;
    let status = if p.run.is_some() { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(p)))
}

/// A proposal with its counts and a page of its letters (`status`: only letters with that status).
#[utoipa::path(get, path = "/api/v1/dunning/proposals/{id}", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path), ListQuery), responses((status = 200, body = Proposal), (status = 404, body = Problem)))]
pub async fn proposal(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    Params(q): Params<ListQuery>,
) -> Result<Json<Proposal>, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = params::text(&q.status);
    Ok(Json(
        app.dunning_proposal(scope.company_id, p.parse()?, status.as_deref(), params::page(&q.limit, &q.offset)?)
            .await
            .map_err(params::bad_request)?,
    ))
}

/// Deletes a draft proposal; its installments are free again.
#[utoipa::path(delete, path = "/api/v1/dunning/proposals/{id}", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Run), (status = 409, body = Problem)))]
pub async fn delete(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Run>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.delete_dunning_proposal(&scope.actor(), scope.company_id, p.parse()?).await?))
}

/// Recomputes a draft: what was paid or blocked since drops out; the clerk's edits stay.
#[utoipa::path(post, path = "/api/v1/dunning/proposals/{id}/recompute", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Proposal), (status = 409, body = Problem)))]
pub async fn recompute(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Proposal>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.recompute_dunning(&scope.actor(), scope.company_id, p.parse()?).await?))
}

/// Issues a draft in one transaction: numbers, frozen letters, new levels and dates, fee and interest
/// invoices booked, letters queued.
#[utoipa::path(post, path = "/api/v1/dunning/proposals/{id}/issue", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = IssueReport), (status = 409, body = Problem)))]
pub async fn issue(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<IssueReport>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.issue_dunning(&scope.actor(), scope.company_id, p.parse()?, today_utc()).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LetterQuery {
    /// draft, left_out, removed, issued or withdrawn.
    pub status: Option<String>,
    /// true: issued letters with a dunned installment still open ("in progress").
    pub in_progress: Option<String>,
    /// Letters naming this customer, as payer or on an item.
    pub customer_id: Option<String>,
    pub proposal_id: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// `json` (the default), `csv` or `pdf`: the whole filtered list (not one page) as a file; wins
    /// over the `Accept` header (`text/csv`, `application/pdf`).
    #[allow(dead_code)] // read by `crate::export::Export`
    pub format: Option<String>,
    /// For CSV: `standard` (`,` and `.`, the default) or `excel` (`;`, decimal comma and a BOM).
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// Letters across proposals.
#[utoipa::path(get, path = "/api/v1/dunning/letters", tag = "dunning", security(("bearer" = [])), params(LetterQuery),
    responses((status = 200, body = Listed<Letter>), (status = 400, body = Problem)))]
pub async fn letters(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<LetterQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = params::text(&q.status);
    let f = LetterFilter {
        in_progress: creance_app::query_args::flag("in_progress", &q.in_progress).map_err(params::bad_request)?,
        customer_id: params::int("customer_id", &q.customer_id)?,
        run_id: params::int("proposal_id", &q.proposal_id)?,
        ..Default::default()
    };
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::LETTERS, page, params::bad_request, move |page| {
            let (app, f, status) = (a.clone(), f.clone(), status.clone());
            async move { app.dunning_letters(company_id, status.as_deref(), &f, page).await }
        })
        .await
}

/// One letter (by id, or by number once issued) with its rows and texts as they print.
#[utoipa::path(get, path = "/api/v1/dunning/letters/{id}", tag = "dunning", security(("bearer" = [])),
    params(("id" = String, Path, description = "letter id or number")), responses((status = 200, body = LetterDetail), (status = 404, body = Problem)))]
pub async fn letter(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(match p.id.parse::<i64>() {
        Ok(id) => app.dunning_letter(scope.company_id, id, today_utc()).await?,
        Err(_) => app.dunning_letter_by_number(scope.company_id, &p.id, today_utc()).await?,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[serde(default)]
    pub reason: String,
}

/// Removes a payer's letter from the draft.
#[utoipa::path(post, path = "/api/v1/dunning/letters/{id}/remove", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Reason, responses((status = 200, body = LetterDetail), (status = 409, body = Problem)))]
pub async fn remove_letter(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(r): JsonBody<Reason>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.remove_dunning_letter(&scope.actor(), scope.company_id, p.parse()?, &r.reason).await?))
}

/// Puts a removed letter back into the draft.
#[utoipa::path(post, path = "/api/v1/dunning/letters/{id}/restore", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = LetterDetail), (status = 409, body = Problem)))]
pub async fn restore_letter(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.restore_dunning_letter(&scope.actor(), scope.company_id, p.parse()?).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemEdit {
    #[serde(default)]
    pub reason: String,
    /// true: put a removed item back.
    #[serde(default)]
    pub restore: bool,
}

/// Removes one installment from a draft letter (or puts it back).
#[utoipa::path(post, path = "/api/v1/dunning/items/{id}/remove", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ItemEdit, responses((status = 200, body = LetterDetail), (status = 409, body = Problem)))]
pub async fn remove_item(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(e): JsonBody<ItemEdit>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.remove_dunning_item(&scope.actor(), scope.company_id, p.parse()?, &e.reason, e.restore).await?))
}

/// Changes a draft letter's level; skipping one needs the policy's permission, `force` and a reason.
#[utoipa::path(post, path = "/api/v1/dunning/letters/{id}/level", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ChangeLevel, responses((status = 200, body = LetterDetail), (status = 422, body = Problem)))]
pub async fn level(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(c): JsonBody<ChangeLevel>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.change_dunning_level(&scope.actor(), scope.company_id, p.parse()?, &c).await?))
}

/// Sets one draft letter's own subject, opening and closing (placeholders allowed).
#[utoipa::path(put, path = "/api/v1/dunning/letters/{id}/texts", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Texts, responses((status = 200, body = LetterDetail), (status = 422, body = Problem)))]
pub async fn set_texts(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(t): JsonBody<Texts>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.edit_dunning_texts(&scope.actor(), scope.company_id, p.parse()?, Some(&t)).await?))
}

/// Back to the policy's texts.
#[utoipa::path(delete, path = "/api/v1/dunning/letters/{id}/texts", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = LetterDetail), (status = 409, body = Problem)))]
pub async fn reset_texts(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.edit_dunning_texts(&scope.actor(), scope.company_id, p.parse()?, None).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Send {
    /// false: the letter is issued without being sent ("mark as issued").
    pub send: bool,
}

/// Marks a draft letter to be issued without sending, or to be sent.
#[utoipa::path(post, path = "/api/v1/dunning/letters/{id}/send", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Send, responses((status = 200, body = LetterDetail), (status = 409, body = Problem)))]
pub async fn send(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(s): JsonBody<Send>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.set_dunning_send(&scope.actor(), scope.company_id, p.parse()?, s.send).await?))
}

/// Withdraws an issued letter: levels and dates go back, fee and interest invoices are cancelled by
/// credit notes.
#[utoipa::path(post, path = "/api/v1/dunning/letters/{id}/withdraw", tag = "dunning", security(("bearer" = [])),
    params(("id" = String, Path, description = "letter id or number"), ("Idempotency-Key" = Option<String>, Header)), request_body = Reason,
    responses((status = 200, body = LetterDetail), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn withdraw(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(r): JsonBody<Reason>,
) -> Result<Json<LetterDetail>, Problem> {
    scope.require(Role::Clerk)?;
    let id = match p.id.parse::<i64>() {
        Ok(id) => id,
        Err(_) => app.dunning_letter_by_number(scope.company_id, &p.id, today_utc()).await?.letter.id,
    };
    Ok(Json(app.withdraw_dunning_letter(&scope.actor(), scope.company_id, id, &r.reason, today_utc()).await?))
}

/// Records a reminder made outside Créance, so that the next level becomes possible.
#[utoipa::path(post, path = "/api/v1/dunning/external", tag = "dunning", security(("bearer" = [])), request_body = RecordExternal,
    responses((status = 201, body = ExternalRecorded), (status = 422, body = Problem)))]
pub async fn external(
    State(app): State<App>,
    scope: Scope,
    JsonBody(e): JsonBody<RecordExternal>,
) -> Result<(StatusCode, Json<ExternalRecorded>), Problem> {
    scope.require(Role::Clerk)?;
    Ok((
        StatusCode::CREATED,
        Json(app.record_external_reminder(&scope.actor(), scope.company_id, &e, today_utc()).await?),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ToGenerateQuery {
    pub as_of: Option<String>,
    pub customer_from: Option<String>,
    pub customer_to: Option<String>,
    pub currency: Option<String>,
    pub documents_to: Option<String>,
    pub min_balance: Option<String>,
    pub policy: Option<String>,
    pub salesperson: Option<String>,
    /// Comma-separated levels, e.g. `2,3`.
    pub levels: Option<String>,
    /// Only installments overdue by at least this many days.
    pub days_overdue_min: Option<String>,
    /// Only installments overdue by at most this many days.
    pub days_overdue_max: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// `json` (the default), `csv` or `pdf`: the whole filtered list (not one page) as a file; wins
    /// over the `Accept` header (`text/csv`, `application/pdf`).
    #[allow(dead_code)] // read by `crate::export::Export`
    pub format: Option<String>,
    /// For CSV: `standard` (`,` and `.`, the default) or `excel` (`;`, decimal comma and a BOM).
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// The proposal's criteria from the query of a view.
fn criteria_of(q: ToGenerateQuery) -> Result<Criteria, Problem> {
    let levels = match params::text(&q.levels) {
        None => None,
        Some(t) => Some(
            t.split(',')
                .map(|l| {
                    l.trim().parse::<i64>().map_err(|_| {
                        Problem::field(
                            StatusCode::BAD_REQUEST,
                            "levels",
                            format!("{l:?} is not a level; give e.g. 1,2"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(Criteria {
        days_overdue_min: params::int("days_overdue_min", &q.days_overdue_min)?,
        days_overdue_max: params::int("days_overdue_max", &q.days_overdue_max)?,
        as_of: q.as_of,
        customer_from: q.customer_from,
        customer_to: q.customer_to,
        currency: q.currency,
        documents_to: q.documents_to,
        min_balance: q.min_balance.map(Into::into),
        policy: q.policy,
        salesperson: q.salesperson,
        levels,
    })
}

/// Payers with installments eligible now, grouped by payer and currency ("to generate"); nothing is
/// written.
#[utoipa::path(get, path = "/api/v1/dunning/to-generate", tag = "dunning", security(("bearer" = [])), params(ToGenerateQuery),
    responses((status = 200, body = Listed<ToGenerate>), (status = 400, body = Problem)))]
pub async fn to_generate(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ToGenerateQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let page = params::page(&q.limit, &q.offset)?;
    let c = criteria_of(q)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::TO_GENERATE, page, params::bad_request, move |page| {
            let (app, c) = (a.clone(), c.clone());
            async move { app.dunning_to_generate(company_id, &c, today_utc(), page).await }
        })
        .await
}

/// Installments beyond their policy's last level (which does not repeat) once its delay has passed:
/// the list for legal follow-up, with the criteria of a proposal.
#[utoipa::path(get, path = "/api/v1/dunning/beyond-last-level", tag = "dunning", security(("bearer" = [])), params(ToGenerateQuery),
    responses((status = 200, body = Listed<BeyondLastLevel>), (status = 400, body = Problem)))]
pub async fn beyond_last_level(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ToGenerateQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let page = params::page(&q.limit, &q.offset)?;
    let c = criteria_of(q)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::BEYOND_LAST_LEVEL, page, params::bad_request, move |page| {
            let (app, c) = (a.clone(), c.clone());
            async move { app.dunning_beyond_last_level(company_id, &c, today_utc(), page).await }
        })
        .await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    pub customer_id: Option<String>,
    pub installment_id: Option<String>,
}

/// Every level and date of a customer's (or one installment's) dunning, with letter, channel and status.
#[utoipa::path(get, path = "/api/v1/dunning/history", tag = "dunning", security(("bearer" = [])), params(HistoryQuery),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 400, body = Problem)))]
pub async fn history(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<HistoryQuery>,
) -> Result<Json<Vec<HistoryEntry>>, Problem> {
    scope.require(Role::ReadOnly)?;
    let customer = params::int("customer_id", &q.customer_id)?;
    let installment = params::int("installment_id", &q.installment_id)?;
    if customer.is_none() && installment.is_none() {
        return Err(Problem::field(StatusCode::BAD_REQUEST, "customer_id", "give customer_id or installment_id"));
    }
    Ok(Json(app.dunning_history(scope.company_id, customer, installment).await?))
}

/// The delivery queue of issued letters.
#[utoipa::path(get, path = "/api/v1/dunning/deliveries", tag = "dunning", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Listed<Delivery>), (status = 400, body = Problem)))]
pub async fn deliveries(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ListQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = params::text(&q.status);
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::DELIVERIES, page, params::bad_request, move |page| {
            let (app, status) = (a.clone(), status.clone());
            async move { app.dunning_deliveries(company_id, status.as_deref(), page).await }
        })
        .await
}

/// The company's dunning policies with their levels and texts; amounts as decimal strings in the
/// policy's currency.
#[utoipa::path(get, path = "/api/v1/dunning/policies", tag = "dunning settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<PolicyView>)))]
pub async fn policies(State(app): State<App>, scope: Scope) -> Result<Json<Vec<PolicyView>>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.dunning_policies(scope.company_id).await?.iter().map(PolicyView::from).collect()))
}

/// Creates or replaces (by code) a policy; amounts as decimal strings in the policy's currency.
#[utoipa::path(post, path = "/api/v1/dunning/policies", tag = "dunning settings", security(("bearer" = [])), request_body = PolicyDoc,
    responses((status = 200, body = PolicyView), (status = 422, body = Problem)))]
pub async fn save_policy(
    State(app): State<App>,
    scope: Scope,
    JsonBody(p): JsonBody<PolicyDoc>,
) -> Result<Json<PolicyView>, Problem> {
    scope.require(Role::Admin)?;
    Ok(Json(app.save_dunning_policy_doc(&scope.actor(), scope.company_id, &p).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyCode {
    pub code: String,
}

/// Makes a policy the company default.
#[utoipa::path(put, path = "/api/v1/dunning/policies/default", tag = "dunning settings", security(("bearer" = [])), request_body = PolicyCode,
    responses((status = 200, body = PolicyView), (status = 422, body = Problem)))]
pub async fn default_policy(
    State(app): State<App>,
    scope: Scope,
    JsonBody(p): JsonBody<PolicyCode>,
) -> Result<Json<PolicyView>, Problem> {
    scope.require(Role::Admin)?;
    Ok(Json(PolicyView::from(&app.set_default_dunning_policy(&scope.actor(), scope.company_id, &p.code).await?)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Done {
    pub updated: u64,
}

/// A customer's policy override and dunning flag.
#[utoipa::path(put, path = "/api/v1/customers/{id}/dunning", tag = "dunning settings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CustomerDunning, responses((status = 200, body = Done), (status = 404, body = Problem)))]
pub async fn customer(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(c): JsonBody<CustomerDunning>,
) -> Result<Json<Done>, Problem> {
    scope.require(Role::Clerk)?;
    app.set_customer_dunning(&scope.actor(), scope.company_id, p.parse()?, &c).await?;
    Ok(Json(Done { updated: 1 }))
}

/// A customer's comment (shown on the dunning letters it receives as payer).
#[utoipa::path(put, path = "/api/v1/customers/{id}/comment", tag = "dunning settings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CustomerComment, responses((status = 200, body = Done), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn customer_comment(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(c): JsonBody<CustomerComment>,
) -> Result<Json<Done>, Problem> {
    scope.require(Role::Clerk)?;
    app.set_customer_comment(&scope.actor(), scope.company_id, p.parse()?, &c.comment).await?;
    Ok(Json(Done { updated: 1 }))
}

/// Blocks installments from dunning (dispute, promise, legal, other; optional end date), or unblocks
/// them with `reason` null.
#[utoipa::path(post, path = "/api/v1/installments/blocks", tag = "dunning settings", security(("bearer" = [])), request_body = Block,
    responses((status = 200, body = Done), (status = 422, body = Problem)))]
pub async fn block(State(app): State<App>, scope: Scope, JsonBody(b): JsonBody<Block>) -> Result<Json<Done>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(Done { updated: app.block_installments(&scope.actor(), scope.company_id, &b).await? }))
}

/// Late-interest rate tables.
#[utoipa::path(get, path = "/api/v1/interest-tables", tag = "dunning settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<InterestTableView>)))]
pub async fn interest_tables(State(app): State<App>, scope: Scope) -> Result<Json<Vec<InterestTableView>>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.interest_tables(scope.company_id).await?.iter().map(InterestTableView::from).collect()))
}

/// Creates a rate table (fixed, or reference rate + margin, by dated periods).
#[utoipa::path(post, path = "/api/v1/interest-tables", tag = "dunning settings", security(("bearer" = [])), request_body = InterestTableDoc,
    responses((status = 201, body = InterestTableView), (status = 422, body = Problem)))]
pub async fn create_interest_table(
    State(app): State<App>,
    scope: Scope,
    JsonBody(t): JsonBody<InterestTableDoc>,
) -> Result<(StatusCode, Json<InterestTableView>), Problem> {
    scope.require(Role::Admin)?;
    let t = app.create_interest_table(&scope.actor(), scope.company_id, &t.to_input()?).await?;
    Ok((StatusCode::CREATED, Json(InterestTableView::from(&t))))
}

/// Creates a table from a preset: `fr_b2b`, `de_b2b`, `ch`, `eu_directive`.
#[utoipa::path(post, path = "/api/v1/interest-tables/presets/{id}", tag = "dunning settings", security(("bearer" = [])),
    params(("id" = String, Path, description = "preset code")), responses((status = 201, body = InterestTableView), (status = 422, body = Problem)))]
pub async fn interest_preset(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<(StatusCode, Json<InterestTableView>), Problem> {
    scope.require(Role::Admin)?;
    let t = app.create_interest_preset(&scope.actor(), scope.company_id, &p.id).await?;
    Ok((StatusCode::CREATED, Json(InterestTableView::from(&t))))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rates {
    pub rates: Vec<RateRow>,
}

/// Adds rate periods to a table (the same start date replaces a period).
#[utoipa::path(post, path = "/api/v1/interest-tables/{id}/rates", tag = "dunning settings", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Rates, responses((status = 200, body = InterestTableView), (status = 422, body = Problem)))]
pub async fn add_rates(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(r): JsonBody<Rates>,
) -> Result<Json<InterestTableView>, Problem> {
    scope.require(Role::Admin)?;
    let t = app.add_interest_rates(&scope.actor(), scope.company_id, p.parse()?, &r.rates).await?;
    Ok(Json(InterestTableView::from(&t)))
}
