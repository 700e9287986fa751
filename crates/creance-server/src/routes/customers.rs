//! Customers and contracts.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use creance_app::exports::lists;
use creance_app::queries::CustomerFilter;
use creance_app::queries::Listed;
use creance_app::views::ledger::{Contract, Customer};
use creance_app::App;
use creance_core::{ContractStatus, Role};
use serde::Deserialize;

use super::IdPath;
use crate::auth::Scope;
use crate::export::Export;
use crate::params::{self, Params};
use crate::problem::Problem;

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
    /// `json` (the default), `csv` or `pdf`: the whole filtered list (not one page) as a file; wins
    /// over the `Accept` header (`text/csv`, `application/pdf`).
    #[allow(dead_code)] // read by `crate::export::Export`
    pub format: Option<String>,
    /// For CSV: `standard` (`,` and `.`, the default) or `excel` (`;`, decimal comma and a BOM).
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// Customers by number.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", security(("bearer" = [])), params(CustomerQuery),
    responses((status = 200, body = Listed<Customer>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<CustomerQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let filter = CustomerFilter {
        number_from: params::text(&q.number_from),
        number_to: params::text(&q.number_to),
        search: params::text(&q.search),
        salesperson: params::text(&q.salesperson),
        currency: params::currency("currency", &q.currency)?,
    };
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::CUSTOMERS, page, Problem::from, move |page| {
            let (app, filter) = (a.clone(), filter.clone());
            async move { app.customers(company_id, &filter, page).await }
        })
        .await
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Customer), (status = 404, body = Problem)))]
pub async fn get(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Customer>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.customer(scope.company_id, p.parse()?).await?))
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
    /// `json` (the default), `csv` or `pdf`: the whole filtered list (not one page) as a file; wins
    /// over the `Accept` header (`text/csv`, `application/pdf`).
    #[allow(dead_code)] // read by `crate::export::Export`
    pub format: Option<String>,
    /// For CSV: `standard` (`,` and `.`, the default) or `excel` (`;`, decimal comma and a BOM).
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// Contracts by number.
#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts", security(("bearer" = [])), params(ContractQuery),
    responses((status = 200, body = Listed<Contract>), (status = 400, body = Problem)))]
pub async fn list_contracts(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<ContractQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = match params::text(&q.status) {
        None => None,
        Some(s) => Some(ContractStatus::parse(&s).ok_or_else(|| {
            Problem::field(axum::http::StatusCode::BAD_REQUEST, "status", format!("{s:?} is not active or ended"))
        })?),
    };
    let page = params::page(&q.limit, &q.offset)?;
    let customer_id = params::int("customer_id", &q.customer_id)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::CONTRACTS, page, Problem::from, move |page| {
            let app = a.clone();
            async move { app.contracts(company_id, customer_id, status, page).await }
        })
        .await
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
