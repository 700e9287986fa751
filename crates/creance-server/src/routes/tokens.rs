//! API tokens of the caller's company, for admins: listed without their secret, and revoked. A token
//! of another company is a 404; a revoked token is refused (401) from the next request on.

use axum::extract::{Path, State};
use axum::Json;
use creance_app::views::settings::TokenInfo;
use creance_app::App;
use creance_core::Role;

use super::IdPath;
use crate::auth::Scope;
use crate::problem::Problem;

/// The company's tokens, live and revoked: id, role, label, creation and revocation; never a secret.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenInfo>), (status = 403, body = Problem)))]
pub async fn list(State(app): State<App>, scope: Scope) -> Result<Json<Vec<TokenInfo>>, Problem> {
    scope.require(Role::Admin)?;
    Ok(Json(app.tokens(scope.company_id).await?))
}

/// Revokes a token of the company at once. Already revoked: 409; another company's or unknown: 404.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "tokens", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = TokenInfo), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn revoke(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<TokenInfo>, Problem> {
    scope.require(Role::Admin)?;
    Ok(Json(app.revoke_token(&scope.actor(), scope.company_id, p.parse()?).await?))
}
