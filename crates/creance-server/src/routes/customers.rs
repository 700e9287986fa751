//! Customers and contracts.

use axum::extract::{Path, State};
use axum::Json;
use creance_app::queries::Page;
use creance_app::App;
use creance_core::{ContractStatus, Role};
use creance_store::contracts::Contract;
use creance_store::customers::{Customer, CustomerFilter};
use serde::Deserialize;

use super::IdPath;
use crate::auth::Scope;
use crate::params::{self, Params};
use crate::problem::Problem;

/// A page of customers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CustomerPage {
    pub items: Vec<Customer>,
    pub total_count: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Lowest customer number (inclusive).
    pub number_from: Option<String>,
    /// Highest customer number (inclusive).
    pub number_to: Option<String>,
    /// Part of the number or name, any case.
    pub search: Option<String>,
    pub salesperson: Option<String>,
    pub currency: Option<String>,
    /// Page size, 1 to 10000 (default 100).
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// Customers by number.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", security(("bearer" = [])), params(CustomerQuery),
    responses((status = 200, body = CustomerPage), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<CustomerQuery>,
) -> Result<Json<CustomerPage>, Problem> {
    scope.require(Role::ReadOnly)?;
    let filter = CustomerFilter {
        number_from: params::text(&q.number_from),
        number_to: params::text(&q.number_to),
        search: params::text(&q.search),
        salesperson: params::text(&q.salesperson),
        currency: params::currency("currency", &q.currency)?,
    };
    let page = Page::new(
        params::int("limit", &q.limit)?,
        params::int("offset", &q.offset)?,
    )
    .map_err(params::bad_request)?;
    let l = app.customers(scope.company_id, &filter, page).await?;
    Ok(Json(CustomerPage {
        items: l.items,
        total_count: l.total_count,
        limit: l.limit,
        offset: l.offset,
    }))
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Customer), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<Customer>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.customer(scope.company_id, p.parse()?).await?))
}

/// A page of contracts.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ContractPage {
    pub items: Vec<Contract>,
    pub total_count: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    pub customer_id: Option<String>,
    /// `active` or `ended`.
    pub status: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// Contracts by number.
#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts", security(("bearer" = [])), params(ContractQuery),
    responses((status = 200, body = ContractPage), (status = 400, body = Problem)))]
pub async fn list_contracts(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ContractQuery>,
) -> Result<Json<ContractPage>, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = match params::text(&q.status) {
        None => None,
        Some(s) => Some(ContractStatus::parse(&s).ok_or_else(|| {
            Problem::field(
                axum::http::StatusCode::BAD_REQUEST,
                "status",
                format!("{s:?} is not active or ended"),
            )
        })?),
    };
    let page = Page::new(
        params::int("limit", &q.limit)?,
        params::int("offset", &q.offset)?,
    )
    .map_err(params::bad_request)?;
    let l = app
        .contracts(
            scope.company_id,
            params::int("customer_id", &q.customer_id)?,
            status,
            page,
        )
        .await?;
    Ok(Json(ContractPage {
        items: l.items,
        total_count: l.total_count,
        limit: l.limit,
        offset: l.offset,
    }))
}

/// One contract.
#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Contract), (status = 404, body = Problem)))]
pub async fn get_contract(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<Contract>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.contract(scope.company_id, p.parse()?).await?))
}
