//! The errors a use case answers. Three kinds, never mixed (CONVENTIONS "Errors"):
//!
//! 1. A domain rejection names the field, the value and what is accepted: [`AppError::Invalid`] (the
//!    request is wrong: 422, or 400 for a query parameter), [`AppError::Rejected`] (the request
//!    conflicts with the current state: 409), [`AppError::NotFound`], [`AppError::Import`]. Each
//!    operation family has its rejection enum (`PaymentRejection`, `AllocationRejection`,
//!    `TokenRejection`, `SettingsRejection`, `CompanyRejection`), its variants documented in order of
//!    precedence, converted into these with their [`Code`].
//! 2. An infrastructure failure ([`AppError::Internal`]) carries context (which company, which ids)
//!    and is logged, never shown.
//! 3. A programmer error is an assertion.
//!
//! Every answer has a stable machine [`Code`] beside its human text; the API sends it as the
//! problem's `code`.

use crate::import::ImportReport;

/// The stable machine code of an error answer (the problem+json `code`). A code, once released, keeps
/// its meaning and its spelling; a new kind of refusal gets a new code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ErrorCode)]
pub enum Code {
    // --- generic ---
    /// The thing asked for does not exist in this company.
    NotFound,
    /// A field or parameter is invalid (the field is named in `errors`).
    InvalidField,
    /// An import had bad rows (listed in `rows`); nothing was imported.
    ImportRejected,
    /// The request conflicts with the current state (a refusal without a code of its own yet).
    Conflict,
    /// An internal failure; logged, nothing said.
    Internal,
    // --- database guards (creance_store::error::DbRejection) ---
    /// Another transaction changed the same rows, again and again; nothing was changed, try again.
    LostRace,
    /// The change would allocate more than is open (an installment's open amount, or the database
    /// guard on open amounts).
    OverAllocation,
    /// Another draft dunning proposal holds some of the installments.
    HeldByOtherDraft,
    /// The allocation was already reversed.
    AlreadyReversed,
    /// A number or name that must be unique in the company is taken.
    Duplicate,
    // --- allocations (creance_core::allocation::AllocationError and the use cases) ---
    /// The plan has no line, or the credit has nothing it may allocate.
    NothingToAllocate,
    /// A line's amount is zero or negative.
    AmountNotPositive,
    /// A line or target is not in the credit's currency.
    CurrencyMismatch,
    /// The same installment appears twice in the plan.
    DuplicateTarget,
    /// An installment is not an open debit the credit may pay.
    UnknownTarget,
    /// The lines together ask more than the credit has unallocated.
    ExceedsUnallocated,
    /// The allocation is itself a reversal.
    IsReversal,
    // --- payments ---
    /// The payment looks like one recorded already; send `confirm_duplicate` to record it anyway.
    LikelyDuplicate,
    /// The payment is cancelled.
    PaymentCancelled,
    /// The payment has something allocated, refunded or deposited, which the change needs it not to have.
    PaymentInUse,
    // --- idempotency keys ---
    /// A request with the same Idempotency-Key is still running; retry in a moment.
    IdempotencyPending,
    /// The Idempotency-Key was used for a different request.
    IdempotencyKeyReused,
    // --- tokens ---
    /// The token was already revoked.
    TokenRevoked,
}

impl Code {
    /// The code as sent (`not_found`, `over_allocation`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotFound => "not_found",
            Code::InvalidField => "invalid_field",
            Code::ImportRejected => "import_rejected",
            Code::Conflict => "conflict",
            Code::Internal => "internal",
            Code::LostRace => "lost_race",
            Code::OverAllocation => "over_allocation",
            Code::HeldByOtherDraft => "held_by_other_draft",
            Code::AlreadyReversed => "already_reversed",
            Code::Duplicate => "duplicate",
            Code::NothingToAllocate => "nothing_to_allocate",
            Code::AmountNotPositive => "amount_not_positive",
            Code::CurrencyMismatch => "currency_mismatch",
            Code::DuplicateTarget => "duplicate_target",
            Code::UnknownTarget => "unknown_target",
            Code::ExceedsUnallocated => "exceeds_unallocated",
            Code::IsReversal => "is_reversal",
            Code::LikelyDuplicate => "likely_duplicate",
            Code::PaymentCancelled => "payment_cancelled",
            Code::PaymentInUse => "payment_in_use",
            Code::IdempotencyPending => "idempotency_pending",
            Code::IdempotencyKeyReused => "idempotency_key_reused",
            Code::TokenRevoked => "token_revoked",
        }
    }

    /// Every code, for the documentation and the tests that keep it true.
    pub const ALL: &'static [Code] = &[
        Code::NotFound,
        Code::InvalidField,
        Code::ImportRejected,
        Code::Conflict,
        Code::Internal,
        Code::LostRace,
        Code::OverAllocation,
        Code::HeldByOtherDraft,
        Code::AlreadyReversed,
        Code::Duplicate,
        Code::NothingToAllocate,
        Code::AmountNotPositive,
        Code::CurrencyMismatch,
        Code::DuplicateTarget,
        Code::UnknownTarget,
        Code::ExceedsUnallocated,
        Code::IsReversal,
        Code::LikelyDuplicate,
        Code::PaymentCancelled,
        Code::PaymentInUse,
        Code::IdempotencyPending,
        Code::IdempotencyKeyReused,
        Code::TokenRevoked,
    ];
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field (or query parameter) at fault.
    pub field: String,
    /// What is wrong with it and what is accepted.
    pub reason: String,
    /// What kind of fault (`invalid_field` unless a rejection has a code of its own).
    pub code: Code,
}

/// A refusal because of the current state (409), with its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: Code,
    /// What is refused, naming the thing, the value and what would be accepted.
    pub detail: String,
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
    /// The request conflicts with the current state (code `conflict`; the families that have their
    /// rejection enum answer [`AppError::Rejected`] instead).
    #[error("{0}")]
    Conflict(String),
    /// The request conflicts with the current state, for the reason its code names.
    #[error("{}", .0.detail)]
    Rejected(Rejection),
    /// Anything else: a database or programming failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> AppError {
        AppError::invalid_as(Code::InvalidField, field, reason)
    }

    /// An invalid field with a code of its own.
    pub fn invalid_as(code: Code, field: impl Into<String>, reason: impl Into<String>) -> AppError {
        AppError::Invalid(FieldError { field: field.into(), reason: reason.into(), code })
    }

    /// A refusal because of the current state, with its code.
    pub fn rejected(code: Code, detail: impl Into<String>) -> AppError {
        AppError::Rejected(Rejection { code, detail: detail.into() })
    }

    /// The machine code of this answer.
    pub fn code(&self) -> Code {
        match self {
            AppError::NotFound { .. } => Code::NotFound,
            AppError::Invalid(f) => f.code,
            AppError::Import(_) => Code::ImportRejected,
            AppError::Conflict(_) => Code::Conflict,
            AppError::Rejected(r) => r.code,
            AppError::Internal(_) => Code::Internal,
        }
    }

    /// Whether this is a refusal (nothing changed, the user's request or the state at fault), not
    /// an internal failure.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, AppError::Internal(_))
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<creance_store::error::DbRejection> for AppError {
    fn from(r: creance_store::error::DbRejection) -> Self {
        use creance_store::error::DbRejection as D;
        let code = match r {
            D::LostRace => Code::LostRace,
            D::OverAllocation => Code::OverAllocation,
            D::HeldByOtherDraft => Code::HeldByOtherDraft,
            D::AlreadyReversed => Code::AlreadyReversed,
            D::Duplicate { .. } => Code::Duplicate,
        };
        AppError::rejected(code, r.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn every_code_is_listed_once_and_spelt_as_serde_spells_it() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(serde_json::to_value(code).ok(), Some(serde_json::Value::from(code.as_str())));
        }
    }
}
