//! The errors a use case answers. Three kinds, never mixed (CONVENTIONS "Errors"):
//!
//! 1. A domain rejection names the field, the value and what is accepted: [`AppError::Invalid`] (the
//!    request is wrong: 422, or 400 for a query parameter), [`AppError::Rejected`] (the request
//!    conflicts with the current state: 409), [`AppError::NotFound`], [`AppError::Import`]. Each
//!    operation family has its rejection enum (`PaymentRejection`, `AllocationRejection`,
//!    `RefundRejection`, `DepositRejection`, `DunningRejection`, `ExternalReminderRejection`,
//!    `DunningSettingsRejection`, `TokenRejection`, `SettingsRejection`, `CompanyRejection`), its
//!    variants documented in order of precedence, converted into these with their [`Code`].
//! 2. An infrastructure failure ([`AppError::Internal`]) carries context (which company, which ids)
//!    and is logged, never shown.
//! 3. A programmer error is an assertion.
//!
//! Every answer has a stable machine [`Code`] beside its human text; the API sends it as the
//! problem's `code`.

use crate::import::ImportReport;
use crate::said::Said;

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
    /// The row changed between the check and the write (a payment or token changed meanwhile).
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
    // --- refunds ---
    /// The refund has nothing left to allocate.
    RefundFullyAllocated,
    /// The customer has more unallocated payments than an `auto` refund reads; name the credits in `lines`.
    RefundTooManyCredits,
    /// The credits (the customer's, for `auto`, or the one a line names) have nothing unallocated to refund.
    RefundNothingToRefund,
    /// A line asks more than its payment or credit note has unallocated.
    RefundExceedsCredit,
    /// The lines ask more than the refund has to allocate.
    RefundExceedsToAllocate,
    /// The credits do not cover the whole refund being recorded; record it without allocating to let it wait.
    RefundNotCovered,
    /// The refund letter is produced once the refund is allocated.
    RefundNotAllocated,
    // --- deposits ---
    /// A payment may not go in this deposit (cancelled, not deposited by its method, in a deposit already, another currency, post-dated).
    DepositPaymentNotEligible,
    /// Only a draft deposit is validated or cancelled.
    DepositNotDraft,
    // --- dunning ---
    /// Only a draft proposal is recomputed, deleted, issued or edited.
    DunningRunNotDraft,
    /// The proposal is as of a later date than today; it can be issued from that date.
    DunningRunDatedAfterToday,
    /// Only a draft or left-out letter is removed.
    DunningLetterNotRemovable,
    /// Only a removed letter is put back.
    DunningLetterNotRemoved,
    /// Only an active item of a letter is removed.
    DunningItemNotActive,
    /// Only a removed item of a letter is put back.
    DunningItemNotRemoved,
    /// Only an issued letter is withdrawn.
    DunningLetterNotIssued,
    /// The letter's installments were dunned again since; withdraw the later letter first.
    DunningLetterDunnedAgainSince,
    /// The interest table has no rate for a day interest runs on; add the rate for that period first.
    InterestRateMissing,
    // --- e-mail delivery ---
    /// Only a failed e-mail delivery is resent.
    DeliveryNotFailed,
    /// The payer has no e-mail address any more: print the letter instead.
    PayerHasNoEmail,
    // --- exports ---
    /// A PDF export would hold more rows than a PDF list holds (`exports::PDF_ROWS_MAX`); narrow the
    /// filters or ask for CSV, which has no limit.
    ExportTooLarge,
    // --- small balances ---
    /// A write-off above the company's `write_off_maximum` (on either side).
    AboveWriteOffMaximum,
    /// The customer has no active contract to re-bill on: write the items off instead.
    NoActiveContract,
    /// The selection cannot be acted on (items of two customers or currencies, nothing open, debits
    /// and credits that cancel out).
    SmallBalanceNotActionable,
    /// The action was undone already, or its rebill charge was acknowledged by the billing system.
    ActionNotUndoable,
    /// Only a pending rebill charge is acknowledged.
    ChargeNotPending,
    // --- the first run ---
    /// Créance is installed already (a user exists): the installation page creates nothing.
    AlreadyInstalled,
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
            Code::RefundFullyAllocated => "refund_fully_allocated",
            Code::RefundTooManyCredits => "refund_too_many_credits",
            Code::RefundNothingToRefund => "refund_nothing_to_refund",
            Code::RefundExceedsCredit => "refund_exceeds_credit",
            Code::RefundExceedsToAllocate => "refund_exceeds_to_allocate",
            Code::RefundNotCovered => "refund_not_covered",
            Code::RefundNotAllocated => "refund_not_allocated",
            Code::DepositPaymentNotEligible => "deposit_payment_not_eligible",
            Code::DepositNotDraft => "deposit_not_draft",
            Code::DunningRunNotDraft => "dunning_run_not_draft",
            Code::DunningRunDatedAfterToday => "dunning_run_dated_after_today",
            Code::DunningLetterNotRemovable => "dunning_letter_not_removable",
            Code::DunningLetterNotRemoved => "dunning_letter_not_removed",
            Code::DunningItemNotActive => "dunning_item_not_active",
            Code::DunningItemNotRemoved => "dunning_item_not_removed",
            Code::DunningLetterNotIssued => "dunning_letter_not_issued",
            Code::DunningLetterDunnedAgainSince => "dunning_letter_dunned_again_since",
            Code::InterestRateMissing => "interest_rate_missing",
            Code::DeliveryNotFailed => "delivery_not_failed",
            Code::PayerHasNoEmail => "payer_has_no_email",
            Code::ExportTooLarge => "export_too_large",
            Code::AboveWriteOffMaximum => "above_write_off_maximum",
            Code::NoActiveContract => "no_active_contract",
            Code::SmallBalanceNotActionable => "small_balance_not_actionable",
            Code::ActionNotUndoable => "action_not_undoable",
            Code::ChargeNotPending => "charge_not_pending",
            Code::AlreadyInstalled => "already_installed",
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
        Code::RefundFullyAllocated,
        Code::RefundTooManyCredits,
        Code::RefundNothingToRefund,
        Code::RefundExceedsCredit,
        Code::RefundExceedsToAllocate,
        Code::RefundNotCovered,
        Code::RefundNotAllocated,
        Code::DepositPaymentNotEligible,
        Code::DepositNotDraft,
        Code::DunningRunNotDraft,
        Code::DunningRunDatedAfterToday,
        Code::DunningLetterNotRemovable,
        Code::DunningLetterNotRemoved,
        Code::DunningItemNotActive,
        Code::DunningItemNotRemoved,
        Code::DunningLetterNotIssued,
        Code::DunningLetterDunnedAgainSince,
        Code::InterestRateMissing,
        Code::DeliveryNotFailed,
        Code::PayerHasNoEmail,
        Code::ExportTooLarge,
        Code::AboveWriteOffMaximum,
        Code::NoActiveContract,
        Code::SmallBalanceNotActionable,
        Code::ActionNotUndoable,
        Code::ChargeNotPending,
        Code::AlreadyInstalled,
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
    /// What `reason` says, as data, when the use case gave it (the web UI words it per language).
    #[serde(skip)]
    #[schema(ignore)]
    pub said: Option<Box<Said>>,
}

/// A refusal because of the current state (409), with its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: Code,
    /// What is refused, naming the thing, the value and what would be accepted.
    pub detail: String,
    /// What `detail` says, as data, when the use case gave it.
    pub said: Option<Box<Said>>,
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
        AppError::Invalid(FieldError { field: field.into(), reason: reason.into(), code, said: None })
    }

    /// An invalid field, its reason given as data (its English text is `said`'s).
    pub fn invalid_said(field: impl Into<String>, said: impl Into<Said>) -> AppError {
        AppError::invalid_said_as(Code::InvalidField, field, said)
    }

    /// An invalid field with a code of its own, its reason given as data.
    pub fn invalid_said_as(code: Code, field: impl Into<String>, said: impl Into<Said>) -> AppError {
        let said = said.into();
        AppError::Invalid(FieldError {
            field: field.into(),
            reason: said.to_string(),
            code,
            said: Some(Box::new(said)),
        })
    }

    /// A refusal because of the current state, given as data.
    pub fn rejected_said(code: Code, said: impl Into<Said>) -> AppError {
        let said = said.into();
        AppError::Rejected(Rejection { code, detail: said.to_string(), said: Some(Box::new(said)) })
    }

    /// A refusal because of the current state, with its code.
    pub fn rejected(code: Code, detail: impl Into<String>) -> AppError {
        AppError::Rejected(Rejection { code, detail: detail.into(), said: None })
    }

    /// The machine code of this answer.
    pub fn code(&self) -> Code {
        match self {
            AppError::NotFound { .. } => Code::NotFound,
            AppError::Invalid(f) => f.code,
            AppError::Import(_) => Code::ImportRejected,
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
        AppError::rejected_said(code, Said::Db(r))
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
