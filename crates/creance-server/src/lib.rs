//! The HTTP API of Créance (SPEC §5): axum routes under `/api/v1`, bearer-token authentication per
//! company with roles, RFC 9457 problem+json errors and the OpenAPI document at `/api/openapi.json`.
//! This is the only crate that knows HTTP; every route calls one use case of `creance-app`.
//!
//! Every route but `/api/health` needs a token. Routes exist twice: under `/api/v1/…`, acting on the
//! token's company, and under `/api/v1/companies/{company_id}/…`, where another company is a 403.

// A `Problem` (the problem+json answer, 264 bytes) is the error of every handler and parser: it is
// built at most once per request, on the way out, so its size costs nothing worth a box.
#![allow(clippy::result_large_err)]

mod auth;
mod export;
mod idempotency;
mod openapi;
mod params;
mod problem;
mod routes;
pub mod web;

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use creance_app::App;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tower_http::catch_panic::CatchPanicLayer;

pub use auth::Scope;
pub use openapi::ApiDoc;
pub use problem::Problem;

/// The largest body of an ordinary request (every JSON body): 1 MiB. Larger: 413 naming the limit.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// The largest body of an import (`POST /api/v1/imports/{entity}`, CSV or JSON files): 512 MiB.
pub const IMPORT_BODY_LIMIT_BYTES: usize = 512 * 1024 * 1024;

/// The server's timeouts (README "Limits").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// A client must send a request's whole header within this time (also between two requests on
    /// a kept-alive connection), else the connection is closed: 10 s.
    pub header_read: Duration,
    /// A request, its body read and its answer computed, must be done within this time, else 408 and
    /// the connection is closed: 300 s, enough for the largest import.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts { header_read: Duration::from_secs(10), request: Duration::from_secs(300) }
    }
}

/// The whole application router, with the default request timeout.
pub fn router(app: App) -> Router {
    router_with(app, Timeouts::default().request)
}

/// The whole application router; a request not done within `request_timeout` is answered 408.
pub fn router_with(app: App, request_timeout: Duration) -> Router {
    router_web(app, request_timeout, web::WebConfig::default())
}

/// The whole application router with the web UI's settings (`serve --secure-cookies`).
pub fn router_web(app: App, request_timeout: Duration, web_config: web::WebConfig) -> Router {
    let v1 = routes::v1(&app);
    Router::new()
        .merge(web::router(&app, web_config))
        .route("/api/health", get(routes::health))
        .route("/api/openapi.json", get(openapi::serve))
        .route("/api/v1/companies", get(routes::companies::list))
        .route("/api/v1/companies/{company_id}", get(routes::companies::get))
        .nest("/api/v1/companies/{company_id}", v1.clone())
        .nest("/api/v1", v1)
        .fallback(routes::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn_with_state(request_timeout, request_timeout_layer))
        .layer(CatchPanicLayer::custom(problem::from_panic))
        .with_state(app)
}

/// Answers 408 (and closes the connection) when a request is not done within its time: a client
/// sending half a body is not waited for.
async fn request_timeout_layer(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let detail = format!(
                "the request was not done within the request timeout of {} s; send the whole body at once",
                limit.as_secs_f64()
            );
            let mut response = Problem::new(StatusCode::REQUEST_TIMEOUT, "request-timeout", detail).into_response();
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// Serves the API on `listener` with the default timeouts until the process is stopped.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_with(app, listener, Timeouts::default()).await
}

/// Serves the API on `listener` until the process is stopped (Ctrl-C), then lets open requests
/// finish. HTTP/1.1 through hyper directly, so that the header-read timeout applies: a client that
/// sends half a header is disconnected after `timeouts.header_read`.
pub async fn serve_with(app: App, listener: tokio::net::TcpListener, timeouts: Timeouts) -> anyhow::Result<()> {
    serve_web(app, listener, timeouts, web::WebConfig::default()).await
}

/// [`serve_with`] with the web UI's settings.
pub async fn serve_web(
    app: App,
    listener: tokio::net::TcpListener,
    timeouts: Timeouts,
    web_config: web::WebConfig,
) -> anyhow::Result<()> {
    let router = router_web(app, timeouts.request, web_config);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(timeouts.header_read);
    let graceful = GracefulShutdown::new();
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: log, give the system a moment, go on.
                        tracing::warn!("cannot accept a connection: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                // Each request knows the address it came from (the login throttle counts by it).
                let service = tower::ServiceExt::map_request(router.clone(), move |mut r: hyper::Request<hyper::body::Incoming>| {
                    r.extensions_mut().insert(web::Peer(peer.ip()));
                    r
                });
                let service = hyper_util::service::TowerToHyperService::new(service);
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!("connection closed: {e}");
                    }
                });
            }
            _ = &mut stop => break,
        }
    }
    graceful.shutdown().await;
    Ok(())
}
