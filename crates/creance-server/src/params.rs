//! Query parameters: read as strings (unknown names refused), then parsed by `creance_app::query_args`
//! so that a bad value is answered with a 400 naming the parameter.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use creance_app::{query_args, AppError};
use creance_core::{Currency, Date};
use serde::de::DeserializeOwned;

use crate::problem::Problem;

/// Query parameters deserialized into `T`, with a problem+json rejection.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Params(v)),
            Err(e) => {
                let text = e.body_text();
                let detail = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text).to_string();
                let field = detail.split('`').nth(1).unwrap_or("query").to_string();
                Err(Problem::field(StatusCode::BAD_REQUEST, &field, detail))
            }
        }
    }
}

/// A query parameter that does not parse is the client's error: 400.
pub fn bad_request(e: AppError) -> Problem {
    match e {
        AppError::Invalid(f) => Problem::field_error(StatusCode::BAD_REQUEST, f),
        other => Problem::from(other),
    }
}

pub fn date(field: &str, v: &Option<String>) -> Result<Option<Date>, Problem> {
    query_args::date(field, v).map_err(bad_request)
}

pub fn int(field: &str, v: &Option<String>) -> Result<Option<i64>, Problem> {
    query_args::int(field, v).map_err(bad_request)
}

pub fn currency(field: &str, v: &Option<String>) -> Result<Option<Currency>, Problem> {
    query_args::currency(field, v).map_err(bad_request)
}

pub fn text(v: &Option<String>) -> Option<String> {
    query_args::text(v)
}

/// `limit` and `offset`.
pub fn page(limit: &Option<String>, offset: &Option<String>) -> Result<creance_app::queries::Page, Problem> {
    creance_app::queries::Page::new(int("limit", limit)?, int("offset", offset)?).map_err(bad_request)
}

/// A JSON request body deserialized into `T`, with a problem+json rejection naming the field.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_string();
        if !content_type.starts_with("application/json") {
            return Err(Problem::field(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type",
                format!("{content_type:?} is not accepted; send application/json"),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| body_rejection(&e, crate::BODY_LIMIT_BYTES))?;
        let bytes =
            if bytes.iter().all(u8::is_ascii_whitespace) { axum::body::Bytes::from_static(b"{}") } else { bytes };
        // Every body is an object: serde would also read a struct from an array of its fields in
        // order (`[null, null]` as a body of optional fields), which the OpenAPI document does not allow.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(Problem::field(StatusCode::UNPROCESSABLE_ENTITY, "body", "the body must be a JSON object"));
        }
        serde_json::from_slice::<T>(&bytes).map(JsonBody).map_err(|e| {
            let detail = e.to_string();
            let field = detail.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("body").to_string();
            Problem::field(StatusCode::UNPROCESSABLE_ENTITY, &field, detail)
        })
    }
}

/// A body that could not be read: 413 naming the route's limit when it is too large, else 400.
pub fn body_rejection(e: &axum::extract::rejection::BytesRejection, limit: usize) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let mut p = Problem::field(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body",
            format!(
                "the body is larger than {limit} bytes ({} MiB), the most this route accepts",
                limit / (1024 * 1024)
            ),
        );
        p.kind = "https://creance.dev/problems/body-too-large".to_string();
        p.code = "body_too_large".to_string();
        return p;
    }
    Problem::field(StatusCode::BAD_REQUEST, "body", format!("cannot read the body: {e}"))
}
