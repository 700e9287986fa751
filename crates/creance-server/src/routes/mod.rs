//! The routes, one module per resource.

pub mod companies;
pub mod customers;
pub mod documents;
pub mod imports;
pub mod open_items;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use creance_app::App;

use crate::problem::Problem;

/// The routes of one company, mounted under `/api/v1` and `/api/v1/companies/{company_id}`.
pub fn v1() -> Router<App> {
    Router::new()
        .route("/customers", get(customers::list))
        .route("/customers/{id}", get(customers::get))
        .route("/contracts", get(customers::list_contracts))
        .route("/contracts/{id}", get(customers::get_contract))
        .route("/documents", get(documents::list))
        .route("/documents/{id}", get(documents::get))
        .route("/installments/{id}", get(documents::get_installment))
        .route("/open-items", get(open_items::by_installment))
        .route("/open-items/by-document", get(open_items::by_document))
        .route("/imports/{entity}", post(imports::import))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

/// Liveness: answers without authentication.
#[utoipa::path(get, path = "/api/health", tag = "system", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not-found", "no such route; the API is described at /api/openapi.json")
}

/// The `{id}` of a resource path (the `{company_id}` beside it, if any, is checked by [`crate::Scope`]).
#[derive(serde::Deserialize)]
pub struct IdPath {
    pub id: String,
}

impl IdPath {
    pub fn parse(&self) -> Result<i64, Problem> {
        self.id
            .parse()
            .map_err(|_| Problem::field(StatusCode::BAD_REQUEST, "id", format!("{:?} is not an id", self.id)))
    }
}
