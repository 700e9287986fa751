//! The `Idempotency-Key` middleware on every POST that moves money (SPEC §5). Without the header the
//! request runs as usual. With it, the first answer (success or refusal) is stored; the same key with
//! the same method, path and body gets that answer again without running anything, and with another
//! request a 422. A server failure (5xx) gives the key back so that the client may retry.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use creance_app::idempotency::{request_hash, Claim};
use creance_app::App;

use crate::auth::Scope;
use crate::problem::Problem;

pub const HEADER: &str = "idempotency-key";

pub async fn layer(State(app): State<App>, request: Request, next: Next) -> Response {
    let Some(key) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let Ok(key) = key.to_str().map(str::to_string) else {
        return Problem::field(StatusCode::BAD_REQUEST, "Idempotency-Key", "must be visible ASCII").into_response();
    };
    let (mut parts, body) = request.into_parts();
    let scope = match Scope::from_request_parts(&mut parts, &app).await {
        Ok(s) => s,
        Err(p) => return p.into_response(),
    };
    let bytes = match to_bytes(body, crate::BODY_LIMIT_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            return Problem::field(StatusCode::BAD_REQUEST, "body", format!("cannot read the body: {e}"))
                .into_response()
        }
    };
    let hash = request_hash(parts.method.as_str(), parts.uri.path(), &bytes);
    match app.idempotency_claim(&scope.actor(), scope.company_id, &key, &hash).await {
        Err(e) => return Problem::from(e).into_response(),
        Ok(Claim::Replay { status, response }) => return replay(status, response),
        Ok(Claim::Run) => {}
    }
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let status = response.status();
    if status.is_server_error() {
        if let Err(e) = app.idempotency_release(&scope.actor(), scope.company_id, &key).await {
            tracing::error!("cannot release idempotency key: {e}");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!("cannot read a response to store it: {e}");
            let _ = app.idempotency_release(&scope.actor(), scope.company_id, &key).await;
            return Problem::internal().into_response();
        }
    };
    let text = String::from_utf8_lossy(&bytes).to_string();
    if let Err(e) = app.idempotency_complete(&scope.actor(), scope.company_id, &key, status.as_u16(), &text).await {
        tracing::error!("cannot store the answer of an idempotent request: {e:?}");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(status: u16, response: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() { "application/json" } else { "application/problem+json" };
    let mut r = (status, response).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    r
}
