//! Bank deposits (SPEC §4.5).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use creance_app::clock::today_utc;
use creance_app::deposits::{CreateDeposit, DepositDetail};
use creance_app::queries::Listed;
use creance_app::views::money::{Deposit, Payment};
use creance_app::App;
use creance_core::Role;
use serde::Deserialize;

use super::IdPath;
use crate::auth::Scope;
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
}

/// Payments waiting to be deposited (methods that need depositing, in no deposit yet).
#[utoipa::path(get, path = "/api/v1/deposits/pending", tag = "deposits", security(("bearer" = [])), params(PendingQuery),
    responses((status = 200, body = Listed<Payment>), (status = 400, body = Problem)))]
pub async fn pending(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<PendingQuery>,
) -> Result<Json<Listed<Payment>>, Problem> {
    scope.require(Role::ReadOnly)?;
    let as_of = params::date("as_of", &q.as_of)?.unwrap_or_else(today_utc);
    let future = creance_app::query_args::flag("show_future", &q.show_future).map_err(params::bad_request)?;
    Ok(Json(app.to_deposit(scope.company_id, as_of, future, params::page(&q.limit, &q.offset)?).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DepositQuery {
    /// draft or validated.
    pub status: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/deposits", tag = "deposits", security(("bearer" = [])), params(DepositQuery),
    responses((status = 200, body = Listed<Deposit>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<DepositQuery>,
) -> Result<Json<Listed<Deposit>>, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = params::text(&q.status);
    Ok(Json(
        app.deposits(scope.company_id, status.as_deref(), params::page(&q.limit, &q.offset)?)
            .await
            .map_err(params::bad_request)?,
    ))
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
