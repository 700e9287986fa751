//! Small balances and rebill charges (SPEC §4.8): the extraction, the actions (preview, confirm,
//! undo), and the billing system's side (pending charges, acknowledgement, CSV).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use creance_app::clock::today_utc;
use creance_app::exports::{lists, Format};
use creance_app::queries::Listed;
use creance_app::small_balances::{
    AcknowledgeCharge, ActionPreview, ActionRequest, ActionView, ChargeQuery, ClearReport, ClearRequest, RebillCharge,
    SmallBalanceQuery, SmallBalanceSettings, SmallBalances,
};
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
pub struct SmallBalanceParams {
    /// At most this open amount (`"1.00"`, in the base currency; the same figure in another currency at
    /// its exponent). The company's `small_balance_threshold` when absent.
    pub threshold: Option<String>,
    /// Items due (credits dated) more than this many days ago; 0 when absent.
    pub older_than_days: Option<String>,
    pub currency: Option<String>,
    pub customer_id: Option<String>,
    pub customer_number: Option<String>,
    /// `json` (the default: groups with totals), `csv` or `pdf` (every item on its own row).
    #[allow(dead_code)] // read by `crate::export::Export`
    pub format: Option<String>,
    /// For CSV: `standard` or `excel`.
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// The small balances: open debits of at most the threshold, grouped by customer and contract, and the
/// small credits in the customers' favour (payment remainders, open credit notes), grouped by customer.
#[utoipa::path(get, path = "/api/v1/small-balances", tag = "small-balances", security(("bearer" = [])),
    params(SmallBalanceParams), responses((status = 200, body = SmallBalances), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<SmallBalanceParams>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let query = SmallBalanceQuery {
        threshold: params::text(&q.threshold),
        older_than_days: params::int("older_than_days", &q.older_than_days)?,
        currency: params::text(&q.currency),
        customer_id: params::int("customer_id", &q.customer_id)?,
        customer_number: params::text(&q.customer_number),
    };
    let company_id = scope.company_id;
    let today = today_utc();
    if export.format == Format::Json {
        let s = app.small_balances(company_id, &query, today).await.map_err(params::bad_request)?;
        return Ok(Json(s).into_response());
    }
    let a = app.clone();
    let page = creance_app::queries::Page { limit: 1, offset: 0 };
    export
        .listed(&app, company_id, &lists::SMALL_BALANCES, page, params::bad_request, move |page| {
            let (app, query) = (a.clone(), query.clone());
            async move { app.small_balance_rows(company_id, &query, today, page).await }
        })
        .await
}

/// What an action would do: items, totals, the charge, the contract (or the active contracts to
/// choose from), and whether a write-off is offered. Writes nothing.
#[utoipa::path(post, path = "/api/v1/small-balances/preview", tag = "small-balances", security(("bearer" = [])),
    request_body = ActionRequest, responses((status = 200, body = ActionPreview), (status = 422, body = Problem)))]
pub async fn preview(
    State(app): State<App>,
    scope: Scope,
    JsonBody(req): JsonBody<ActionRequest>,
) -> Result<Json<ActionPreview>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.preview_small_balance_action(scope.company_id, &req, today_utc()).await?))
}

/// Re-bills (clearing / receivable, and a rebill charge for the contract's next invoice) or writes off
/// (loss or gain / receivable) a group or a selection, in one transaction.
#[utoipa::path(post, path = "/api/v1/small-balances/actions", tag = "small-balances", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)), request_body = ActionRequest,
    responses((status = 201, body = ActionView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn act(
    State(app): State<App>,
    scope: Scope,
    JsonBody(req): JsonBody<ActionRequest>,
) -> Result<(StatusCode, Json<ActionView>), Problem> {
    scope.require(Role::Clerk)?;
    let done = app.small_balance_action(&scope.actor(), scope.company_id, &req, today_utc()).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// Clears every small balance of the extraction in one pass: each group re-billed on its active
/// contract (or the customer's only active one), written off when the customer has no active contract
/// (within the maximum), or left with the reason (several contracts to choose from, over the
/// maximum). Without `confirm`: the plan, nothing written; with it, one transaction per group.
#[utoipa::path(post, path = "/api/v1/small-balances/clear", tag = "small-balances", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)), request_body = ClearRequest,
    responses((status = 200, body = ClearReport), (status = 422, body = Problem)))]
pub async fn clear(
    State(app): State<App>,
    scope: Scope,
    JsonBody(req): JsonBody<ClearRequest>,
) -> Result<Json<ClearReport>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.clear_small_balances(&scope.actor(), scope.company_id, &req, today_utc()).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionParams {
    pub customer_id: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// The actions, newest first.
#[utoipa::path(get, path = "/api/v1/small-balances/actions", tag = "small-balances", security(("bearer" = [])),
    params(ActionParams), responses((status = 200, body = Listed<ActionView>), (status = 400, body = Problem)))]
pub async fn actions(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ActionParams>,
) -> Result<Json<Listed<ActionView>>, Problem> {
    scope.require(Role::ReadOnly)?;
    let customer = params::int("customer_id", &q.customer_id)?;
    let page = params::page(&q.limit, &q.offset)?;
    Ok(Json(app.small_balance_actions(scope.company_id, customer, page).await?))
}

#[utoipa::path(get, path = "/api/v1/small-balances/actions/{id}", tag = "small-balances", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = ActionView), (status = 404, body = Problem)))]
pub async fn action(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<ActionView>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.small_balance_action_get(scope.company_id, p.parse()?).await?))
}

/// Undoes an action while its rebill charge is pending: the items are open again exactly as before
/// (reversals, never deletes); 409 once the billing system acknowledged the charge.
#[utoipa::path(post, path = "/api/v1/small-balances/actions/{id}/undo", tag = "small-balances", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = ActionView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn undo(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<ActionView>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.undo_small_balance_action(&scope.actor(), scope.company_id, p.parse()?, today_utc()).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChargeParams {
    /// `pending`, `acknowledged` or `cancelled`; all when absent.
    pub status: Option<String>,
    pub contract_id: Option<String>,
    pub customer_id: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// `json` (the default), `csv` or `pdf`: the whole filtered list as a file.
    #[allow(dead_code)]
    pub format: Option<String>,
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// What to put on next invoices: contract, amount (negative: a deduction), currency, source items, text.
#[utoipa::path(get, path = "/api/v1/rebill-charges", tag = "small-balances", security(("bearer" = [])),
    params(ChargeParams), responses((status = 200, body = Listed<RebillCharge>), (status = 400, body = Problem)))]
pub async fn charges(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ChargeParams>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let query = ChargeQuery {
        status: params::text(&q.status),
        contract_id: params::int("contract_id", &q.contract_id)?,
        customer_id: params::int("customer_id", &q.customer_id)?,
    };
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::REBILL_CHARGES, page, params::bad_request, move |page| {
            let (app, query) = (a.clone(), query.clone());
            async move { app.rebill_charges(company_id, &query, page).await }
        })
        .await
}

#[utoipa::path(get, path = "/api/v1/rebill-charges/{id}", tag = "small-balances", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = RebillCharge), (status = 404, body = Problem)))]
pub async fn charge(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<RebillCharge>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.rebill_charge(scope.company_id, p.parse()?).await?))
}

/// The billing system put the charge on its invoice `invoice_number`: final, the action can no longer
/// be undone; 409 when the charge is not pending.
#[utoipa::path(post, path = "/api/v1/rebill-charges/{id}/acknowledge", tag = "small-balances", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AcknowledgeCharge,
    responses((status = 200, body = RebillCharge), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn acknowledge(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<AcknowledgeCharge>,
) -> Result<Json<RebillCharge>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.acknowledge_rebill_charge(&scope.actor(), scope.company_id, p.parse()?, &body).await?))
}

#[utoipa::path(get, path = "/api/v1/settings/small-balances", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = SmallBalanceSettings)))]
pub async fn settings(State(app): State<App>, scope: Scope) -> Result<Json<SmallBalanceSettings>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.small_balance_settings(scope.company_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmallBalanceSettingsBody {
    /// Dunning leaves out a payer whose balance due is at most this (`"1.00"`, base currency); 0: never.
    pub small_balance_threshold: String,
    /// The most one write-off closes on each side (`"10.00"`, base currency).
    pub write_off_maximum: String,
}

#[utoipa::path(put, path = "/api/v1/settings/small-balances", tag = "settings", security(("bearer" = [])),
    request_body = SmallBalanceSettingsBody,
    responses((status = 200, body = SmallBalanceSettings), (status = 422, body = Problem)))]
pub async fn set_settings(
    State(app): State<App>,
    scope: Scope,
    JsonBody(b): JsonBody<SmallBalanceSettingsBody>,
) -> Result<Json<SmallBalanceSettings>, Problem> {
    scope.require(Role::Admin)?;
    let s = app
        .set_small_balance_settings(&scope.actor(), scope.company_id, &b.small_balance_threshold, &b.write_off_maximum)
        .await?;
    Ok(Json(s))
}
