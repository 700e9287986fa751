//! The errors a use case answers. Domain rejections name the field, the value and what is accepted;
//! infrastructure failures carry context and are never shown as the user's fault.

use crate::import::ImportReport;

/// A rejected input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field (or query parameter) at fault.
    pub field: String,
    /// What is wrong with it and what is accepted.
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist in this company.
    #[error("{entity} {key} not found")]
    NotFound { entity: &'static str, key: String },
    /// An input field is invalid.
    #[error("{}: {}", .0.field, .0.reason)]
    Invalid(FieldError),
    /// An import had bad rows; nothing was imported.
    #[error("{}", .0.summary())]
    Import(Box<ImportReport>),
    /// The request conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// Anything else: a database or programming failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> AppError {
        AppError::Invalid(FieldError { field: field.into(), reason: reason.into() })
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}
