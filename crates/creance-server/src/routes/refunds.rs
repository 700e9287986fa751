//! Refunds (SPEC §4.3).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use creance_app::clock::today_utc;
use creance_app::exports::lists;
use creance_app::queries::Listed;
use creance_app::refunds::RefundFilter;
use creance_app::refunds::{RecordRefund, RefundAllocate, RefundLetter, RefundLine};
use creance_app::views::money::Refund;
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
pub struct RefundQuery {
    pub customer_id: Option<String>,
    /// true: only refunds waiting "to allocate".
    pub to_allocate: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
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

/// Refunds, newest first.
#[utoipa::path(get, path = "/api/v1/refunds", tag = "refunds", security(("bearer" = [])), params(RefundQuery),
    responses((status = 200, body = Listed<Refund>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<RefundQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let filter = RefundFilter {
        customer_id: params::int("customer_id", &q.customer_id)?,
        to_allocate: creance_app::query_args::flag("to_allocate", &q.to_allocate).map_err(params::bad_request)?,
        date_from: params::date("date_from", &q.date_from)?,
        date_to: params::date("date_to", &q.date_to)?,
        ..Default::default()
    };
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::REFUNDS, page, Problem::from, move |page| {
            let (app, filter) = (a.clone(), filter.clone());
            async move { app.refunds(company_id, &filter, page).await }
        })
        .await
}

/// Records a refund (booked receivable / bank). `allocate`: absent (it waits "to allocate"), `"auto"`
/// (the customer's credits oldest first) or `{"lines": [{"payment_id": 1, "amount": "20.00"}]}`.
#[utoipa::path(post, path = "/api/v1/refunds", tag = "refunds", security(("bearer" = [])), request_body = RecordRefund,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Refund), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(app): State<App>,
    scope: Scope,
    JsonBody(input): JsonBody<RecordRefund>,
) -> Result<(StatusCode, Json<Refund>), Problem> {
    scope.require(Role::Clerk)?;
    Ok((StatusCode::CREATED, Json(app.record_refund(&scope.actor(), scope.company_id, &input, today_utc()).await?)))
}

#[utoipa::path(get, path = "/api/v1/refunds/{id}", tag = "refunds", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Refund), (status = 404, body = Problem)))]
pub async fn get(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Refund>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.refund(scope.company_id, p.parse()?).await?))
}

/// `{"auto": true}` or `{"lines": [...]}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundAllocateBody {
    #[serde(default)]
    pub auto: bool,
    pub lines: Option<Vec<RefundLine>>,
    pub date: Option<String>,
}

/// Allocates a refund waiting "to allocate" to payments or credit notes with unallocated credit.
#[utoipa::path(post, path = "/api/v1/refunds/{id}/allocations", tag = "refunds", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = RefundAllocateBody,
    responses((status = 200, body = Refund), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn allocate(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<RefundAllocateBody>,
) -> Result<Json<Refund>, Problem> {
    scope.require(Role::Clerk)?;
    let request = match (body.auto, body.lines) {
        (true, None) => RefundAllocate::Auto,
        (false, Some(lines)) => RefundAllocate::Lines(lines),
        _ => {
            return Err(Problem::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "lines",
                "give either \"auto\": true or \"lines\": [...]",
            ))
        }
    };
    let date = creance_app::query_args::date("date", &body.date).map_err(Problem::from)?.unwrap_or_else(today_utc);
    Ok(Json(app.allocate_refund(&scope.actor(), scope.company_id, p.parse()?, &request, date).await?))
}

/// What the refund letter prints; 409 while the refund is not allocated.
#[utoipa::path(get, path = "/api/v1/refunds/{id}/letter", tag = "refunds", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = RefundLetter), (status = 409, body = Problem)))]
pub async fn letter(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<RefundLetter>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.refund_letter(scope.company_id, p.parse()?).await?))
}

/// Unallocates a refund allocation (appends its reversal): the refund waits "to allocate" again and the
/// payment or credit note gets its credit back.
#[utoipa::path(post, path = "/api/v1/refund-allocations/{id}/reverse", tag = "refunds", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = crate::routes::payments::DateBody,
    responses((status = 200, body = Refund), (status = 409, body = Problem), (status = 404, body = Problem)))]
pub async fn reverse(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<crate::routes::payments::DateBody>,
) -> Result<Json<Refund>, Problem> {
    scope.require(Role::Clerk)?;
    let date = creance_app::query_args::date("date", &body.date).map_err(Problem::from)?.unwrap_or_else(today_utc);
    Ok(Json(app.unallocate_refund(&scope.actor(), scope.company_id, p.parse()?, date).await?))
}
