//! The HTTP API of Créance (SPEC §5): axum routes under `/api/v1`, bearer-token authentication per
//! company with roles, RFC 9457 problem+json errors and the OpenAPI document at `/api/openapi.json`.
//! This is the only crate that knows HTTP; every route calls one use case of `creance-app`.
//!
//! Every route but `/api/health` needs a token. Routes exist twice: under `/api/v1/…`, acting on the
//! token's company, and under `/api/v1/companies/{company_id}/…`, where another company is a 403.

mod auth;
mod idempotency;
mod openapi;
mod params;
mod problem;
mod routes;

use std::net::SocketAddr;

use axum::routing::get;
use axum::Router;
use creance_app::App;
use tower_http::catch_panic::CatchPanicLayer;

pub use auth::Scope;
pub use openapi::ApiDoc;
pub use problem::Problem;

/// The largest request body accepted (imports of large files).
pub const BODY_LIMIT_BYTES: usize = 512 * 1024 * 1024;

/// The whole application router.
pub fn router(app: App) -> Router {
    let v1 = routes::v1(&app);
    Router::new()
        .route("/api/health", get(routes::health))
        .route("/api/openapi.json", get(openapi::serve))
        .route("/api/v1/companies", get(routes::companies::list))
        .route("/api/v1/companies/{company_id}", get(routes::companies::get))
        .nest("/api/v1/companies/{company_id}", v1.clone())
        .nest("/api/v1", v1)
        .fallback(routes::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(CatchPanicLayer::custom(problem::from_panic))
        .with_state(app)
}

/// Serves the API on `listener` until the process is stopped.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    let router = router(app);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
