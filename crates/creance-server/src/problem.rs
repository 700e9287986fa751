//! RFC 9457 problem details. A 4xx names the field at fault; a 5xx is opaque to the client and logged.
//! Every answer carries a stable machine `code` beside the human `detail`: the use case's
//! [`creance_app::Code`] for an [`AppError`], or the server's own (`unauthorized`, `forbidden`,
//! `request_timeout`, `body_too_large`, `invalid_field`, `not_found`, `internal`).

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
    /// A stable machine code, snake_case, that a client may match on (never renamed once released):
    /// `not_found`, `invalid_field`, `import_rejected`, `conflict`, `lost_race`, `over_allocation`,
    /// `held_by_other_draft`, `already_reversed`, `duplicate`, `nothing_to_allocate`,
    /// `amount_not_positive`, `currency_mismatch`, `duplicate_target`, `unknown_target`,
    /// `exceeds_unallocated`, `is_reversal`, `likely_duplicate`, `payment_cancelled`,
    /// `payment_in_use`, `idempotency_pending`, `idempotency_key_reused`, `token_revoked`,
    /// `refund_fully_allocated`, `refund_too_many_credits`, `refund_nothing_to_refund`,
    /// `refund_exceeds_credit`, `refund_exceeds_to_allocate`, `refund_not_covered`,
    /// `refund_not_allocated`, `deposit_payment_not_eligible`, `deposit_not_draft`,
    /// `dunning_run_not_draft`, `dunning_run_dated_after_today`, `dunning_letter_not_removable`,
    /// `dunning_letter_not_removed`, `dunning_item_not_active`, `dunning_item_not_removed`,
    /// `dunning_letter_not_issued`, `dunning_letter_dunned_again_since`, `interest_rate_missing`,
    /// `delivery_not_failed`, `payer_has_no_email`, `export_too_large`, `unauthorized`, `forbidden`, `body_too_large`, `request_timeout`, `internal`.
    #[schema(example = "over_allocation")]
    pub code: String,
    /// What went wrong, for a person.
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
    /// A problem of a kind (`not-found`, …); its code is the kind in snake_case.
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem::coded(status, kind, &kind.replace('-', "_"), detail)
    }

    /// A problem of a kind with a code of its own (the kind is the type URI's family, the code what
    /// exactly was refused).
    pub fn coded(status: StatusCode, kind: &str, code: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("https://creance.dev/problems/{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            code: code.to_string(),
            detail: detail.into(),
            errors: Vec::new(),
            rows: Vec::new(),
            report: None,
        }
    }

    pub fn field(status: StatusCode, field: &str, reason: impl Into<String>) -> Problem {
        Problem::field_error(
            status,
            FieldError {
                field: field.to_string(),
                reason: reason.into(),
                code: creance_app::Code::InvalidField,
                said: None,
            },
        )
    }

    /// A rejected field with its code (the problem's code is the field's).
    pub fn field_error(status: StatusCode, f: FieldError) -> Problem {
        let mut p = Problem::coded(status, "invalid-field", f.code.as_str(), format!("{}: {}", f.field, f.reason));
        p.errors.push(f);
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
        let code = e.code().as_str();
        match e {
            AppError::NotFound { .. } => Problem::coded(StatusCode::NOT_FOUND, "not-found", code, e.to_string()),
            AppError::Invalid(f) => Problem::field_error(StatusCode::UNPROCESSABLE_ENTITY, f),
            AppError::Import(report) => {
                let mut p = Problem::coded(StatusCode::UNPROCESSABLE_ENTITY, "import-refused", code, report.summary());
                p.rows = report.errors.clone();
                p.report = Some(*report);
                p
            }
            AppError::Rejected(r) => Problem::coded(StatusCode::CONFLICT, "conflict", code, r.detail),
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
