//! Bank deposits (SPEC §4.5).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use creance_app::clock::today_utc;
use creance_app::deposits::{CreateDeposit, DepositDetail};
use creance_app::exports::lists;
use creance_app::queries::Listed;
use creance_app::views::money::{Deposit, Payment};
use creance_app::App;
use creance_core::Role;
use serde::Deserialize;

use super::IdPath;
use crate::auth::Scope;
use crate::export::Export;
use crate::params::{self, JsonBody, Params};
use crate::problem::Problem;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PendingQuery {
    /// Today when absent.
    pub as_of: Option<String>,
    /// true: also the post-dated cheques whose deposit date is after `as_of`.
    pub show_future: Option<String>,
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

/// Payments waiting to be deposited (methods that need depositing, in no deposit yet).
#[utoipa::path(get, path = "/api/v1/deposits/pending", tag = "deposits", security(("bearer" = [])), params(PendingQuery),
    responses((status = 200, body = Listed<Payment>), (status = 400, body = Problem)))]
pub async fn pending(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<PendingQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let as_of = params::date("as_of", &q.as_of)?.unwrap_or_else(today_utc);
    let future = creance_app::query_args::flag("show_future", &q.show_future).map_err(params::bad_request)?;
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::PAYMENTS_TO_DEPOSIT, page, Problem::from, move |page| {
            let app = a.clone();
            async move { app.to_deposit(company_id, as_of, future, page).await }
        })
        .await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DepositQuery {
    /// draft or validated.
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

#[utoipa::path(get, path = "/api/v1/deposits", tag = "deposits", security(("bearer" = [])), params(DepositQuery),
    responses((status = 200, body = Listed<Deposit>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<DepositQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = params::text(&q.status);
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::DEPOSITS, page, params::bad_request, move |page| {
            let (app, status) = (a.clone(), status.clone());
            async move { app.deposits(company_id, status.as_deref(), page).await }
        })
        .await
}

/// Creates a draft deposit of payments to one bank account.
#[utoipa::path(post, path = "/api/v1/deposits", tag = "deposits", security(("bearer" = [])), request_body = CreateDeposit,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = DepositDetail), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    scope: Scope,
    JsonBody(input): JsonBody<CreateDeposit>,
) -> Result<(StatusCode, Json<DepositDetail>), Problem> {
    scope.require(Role::Clerk)?;
    Ok((StatusCode::CREATED, Json(app.create_deposit(&scope.actor(), scope.company_id, &input, today_utc()).await?)))
}

/// A deposit with its payments: what the deposit slip prints.
#[utoipa::path(get, path = "/api/v1/deposits/{id}", tag = "deposits", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = DepositDetail), (status = 404, body = Problem)))]
pub async fn get(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<DepositDetail>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.deposit(scope.company_id, p.parse()?).await?))
}

/// Validates a draft deposit (books bank / cheques to deposit when the company setting is on).
#[utoipa::path(post, path = "/api/v1/deposits/{id}/validate", tag = "deposits", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = DepositDetail), (status = 409, body = Problem)))]
pub async fn validate(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<DepositDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.validate_deposit(&scope.actor(), scope.company_id, p.parse()?).await?))
}

/// Cancels a draft deposit created by mistake: its payments wait to be deposited again (the number stays
/// used). A validated deposit is a 409.
#[utoipa::path(post, path = "/api/v1/deposits/{id}/cancel", tag = "deposits", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = DepositDetail), (status = 409, body = Problem)))]
pub async fn cancel(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<DepositDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.cancel_deposit(&scope.actor(), scope.company_id, p.parse()?).await?))
}
