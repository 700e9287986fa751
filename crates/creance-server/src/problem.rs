//! RFC 9457 problem details. A 4xx names the field at fault; a 5xx is opaque to the client and logged.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use creance_app::import::{ImportReport, RowError};
use creance_app::{AppError, FieldError};
use serde::Serialize;

/// An error answer (`application/problem+json`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The fields at fault, for a rejected request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The bad rows, for a refused import.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ImportReport>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("https://creance.dev/problems/{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            rows: Vec::new(),
            report: None,
        }
    }

    pub fn field(status: StatusCode, field: &str, reason: impl Into<String>) -> Problem {
        let reason = reason.into();
        let mut p = Problem::new(status, "invalid-field", format!("{field}: {reason}"));
        p.errors.push(FieldError { field: field.to_string(), reason });
        p
    }

    pub fn unauthorized(detail: &str) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn internal() -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "an internal error occurred; it has been logged")
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        match e {
            AppError::NotFound { .. } => Problem::new(StatusCode::NOT_FOUND, "not-found", e.to_string()),
            AppError::Invalid(f) => Problem::field(StatusCode::UNPROCESSABLE_ENTITY, &f.field, f.reason),
            AppError::Import(report) => {
                let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "import-refused", report.summary());
                p.rows = report.errors.clone();
                p.report = Some(*report);
                p
            }
            AppError::Conflict(detail) => Problem::new(StatusCode::CONFLICT, "conflict", detail),
            AppError::Internal(err) => {
                tracing::error!("internal error: {err:#}");
                Problem::internal()
            }
        }
    }
}

/// A panic inside a request: its transaction is dropped (rolled back), it is logged, and the client
/// gets an opaque 500.
pub fn from_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!("panic in a request: {message}");
    Problem::internal().into_response()
}
