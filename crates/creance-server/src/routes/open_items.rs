//! The open-items list, by installment or by document.

use axum::extract::State;
use axum::Json;
use creance_app::queries::OpenItems;
use creance_app::query_args::OpenItemArgs;
use creance_app::views::ledger::{OpenDocument, OpenItem};
use creance_app::App;
use creance_core::Role;

use crate::auth::Scope;
use crate::params::{bad_request, Params};
use crate::problem::Problem;

/// Open installments and credits with per-currency totals of everything selected.
#[utoipa::path(get, path = "/api/v1/open-items", tag = "open items", security(("bearer" = [])), params(OpenItemArgs),
    responses((status = 200, body = OpenItems<OpenItem>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn by_installment(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<OpenItemArgs>,
) -> Result<Json<OpenItems<OpenItem>>, Problem> {
    scope.require(Role::ReadOnly)?;
    let (filter, sorts, page) = q.parse(creance_app::clock::today_utc()).map_err(bad_request)?;
    Ok(Json(app.open_items(scope.company_id, &filter, &sorts, page).await?))
}

/// Documents with open installments (one row per document), with per-currency totals.
#[utoipa::path(get, path = "/api/v1/open-items/by-document", tag = "open items", security(("bearer" = [])), params(OpenItemArgs),
    responses((status = 200, body = OpenItems<OpenDocument>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn by_document(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<OpenItemArgs>,
) -> Result<Json<OpenItems<OpenDocument>>, Problem> {
    scope.require(Role::ReadOnly)?;
    let (filter, sorts, page) = q.parse(creance_app::clock::today_utc()).map_err(bad_request)?;
    Ok(Json(app.open_documents(scope.company_id, &filter, &sorts, page).await?))
}
