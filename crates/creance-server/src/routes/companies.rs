//! Companies: a token sees its own company only.

use axum::extract::{Path, State};
use axum::Json;
use creance_app::views::settings::Company;
use creance_app::App;
use creance_core::Role;

use crate::auth::Scope;
use crate::problem::Problem;

/// The companies this token may act on (its own).
#[utoipa::path(get, path = "/api/v1/companies", tag = "companies", security(("bearer" = [])),
    responses((status = 200, body = Vec<Company>), (status = 401, body = Problem)))]
pub async fn list(State(app): State<App>, scope: Scope) -> Result<Json<Vec<Company>>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(vec![app.company(scope.company_id).await?]))
}

/// One company; another company than the token's is a 403.
#[utoipa::path(get, path = "/api/v1/companies/{company_id}", tag = "companies", security(("bearer" = [])),
    params(("company_id" = i64, Path)),
    responses((status = 200, body = Company), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn get(
    State(app): State<App>,
    scope: Scope,
    Path(_company_id): Path<String>,
) -> Result<Json<Company>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.company(scope.company_id).await?))
}
