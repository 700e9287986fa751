//! Imports through the API: the same validation as the CLI, as JSON or CSV bodies.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use creance_app::import::{read_csv, read_json, Entity, ImportReport};
use creance_app::App;
use creance_core::Role;

use crate::auth::Scope;
use crate::problem::Problem;

#[derive(serde::Deserialize)]
pub struct EntityPath {
    pub entity: String,
}

/// Imports customers, contracts or documents (`invoices`). The body is a JSON array of objects
/// (`Content-Type: application/json`) or a CSV file (`text/csv`). Any bad row: 422 listing every bad
/// row, nothing imported. Re-sending the same data changes nothing and says so.
#[utoipa::path(post, path = "/api/v1/imports/{entity}", tag = "imports", security(("bearer" = [])),
    params(("entity" = String, Path, description = "customers, contracts or invoices")),
    request_body(content = Vec<Object>, description = "JSON array of rows, or a CSV file as text/csv", content_type = "application/json"),
    responses((status = 200, body = ImportReport), (status = 422, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem, description = "the body is larger than 512 MiB")))]
pub async fn import(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<EntityPath>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ImportReport>, Problem> {
    scope.require(Role::Clerk)?;
    let body = body.map_err(|e| crate::params::body_rejection(&e, crate::IMPORT_BODY_LIMIT_BYTES))?;
    let entity = Entity::parse(&p.entity).ok_or_else(|| {
        Problem::field(
            StatusCode::NOT_FOUND,
            "entity",
            format!("{:?} is not importable; use customers, contracts or invoices", p.entity),
        )
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/json");
    let (table, errors) = if content_type.starts_with("text/csv") || content_type.starts_with("text/plain") {
        read_csv(&body, entity)
    } else if content_type.starts_with("application/json") {
        let value: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| Problem::field(StatusCode::BAD_REQUEST, "body", format!("not valid JSON: {e}")))?;
        read_json(&value, entity)
    } else {
        return Err(Problem::field(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type",
            format!("{content_type:?} is not accepted; send application/json or text/csv"),
        ));
    };
    Ok(Json(app.import(&scope.actor(), scope.company_id, entity, &table, errors).await?))
}
