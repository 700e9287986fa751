//! Why the bank deposit use cases refuse (SPEC §4.5): a payment a deposit may not take (422 on
//! `payment_ids[n]`), and validating or cancelling a deposit that is no longer a draft (409). Variants
//! in the order they are checked, each with its [`Code`].

use creance_core::{Currency, Date};

use crate::{AppError, Code};

/// Why a deposit is refused, in order of precedence (creating: `PaymentNotEligible`, for the first
/// payment in id order that is; validating: `AlreadyValidated`; cancelling: `NotDraft`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepositRejection {
    /// Creating: payment `number`, at `field` (`payment_ids[n]`), may not be deposited, for `why`.
    PaymentNotEligible { field: String, number: String, why: NotEligible },
    /// Validating a deposit that is not a draft (validated already).
    AlreadyValidated { number: String },
    /// Cancelling a deposit that is `status`, not a draft: only a draft is cancelled.
    NotDraft { number: String, status: creance_core::DepositStatus },
}

/// Why a payment may not go in a deposit, in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotEligible {
    /// The payment is cancelled.
    Cancelled,
    /// Its method (`method`) is not one that is deposited.
    NotDeposited { method: String },
    /// It is in deposit `deposit_id` already.
    InDeposit { deposit_id: i64 },
    /// It is in `payment`, the bank account in `bank`.
    Currency { payment: Currency, bank: Currency },
    /// It is post-dated: not before `deposit_date`.
    PostDated { deposit_date: Date },
}

impl DepositRejection {
    pub fn code(&self) -> Code {
        match self {
            DepositRejection::PaymentNotEligible { .. } => Code::DepositPaymentNotEligible,
            DepositRejection::AlreadyValidated { .. } | DepositRejection::NotDraft { .. } => Code::DepositNotDraft,
        }
    }
}

impl std::fmt::Display for NotEligible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotEligible::Cancelled => write!(f, "is cancelled"),
            NotEligible::NotDeposited { method } => write!(f, "was paid by {method}, which is not deposited"),
            NotEligible::InDeposit { deposit_id } => write!(f, "is already in deposit {deposit_id}"),
            NotEligible::Currency { payment, bank } => write!(f, "is in {payment}, the bank account in {bank}"),
            NotEligible::PostDated { deposit_date } => write!(f, "may not be deposited before {deposit_date}"),
        }
    }
}

impl std::fmt::Display for DepositRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DepositRejection::PaymentNotEligible { number, why, .. } => write!(f, "payment {number} {why}"),
            DepositRejection::AlreadyValidated { number } => write!(f, "deposit {number} is already validated"),
            DepositRejection::NotDraft { number, status } => write!(f, "deposit {number} is {status}, not a draft"),
        }
    }
}

impl From<DepositRejection> for AppError {
    fn from(r: DepositRejection) -> AppError {
        let code = r.code();
        match &r {
            DepositRejection::PaymentNotEligible { field, .. } => {
                let field = field.clone();
                AppError::invalid_said_as(code, field, crate::Said::Deposit(r))
            }
            _ => AppError::rejected_said(code, crate::Said::Deposit(r)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_in_a_deposit_already_is_a_422_on_its_field_and_a_validated_deposit_a_409() {
        let e = AppError::from(DepositRejection::PaymentNotEligible {
            field: "payment_ids[1]".into(),
            number: "RG-2026-000002".into(),
            why: NotEligible::InDeposit { deposit_id: 4 },
        });
        assert!(
            matches!(&e, AppError::Invalid(f) if f.field == "payment_ids[1]" && f.code == Code::DepositPaymentNotEligible),
            "{e:?}"
        );
        assert_eq!(e.to_string(), "payment_ids[1]: payment RG-2026-000002 is already in deposit 4");
        let v = AppError::from(DepositRejection::AlreadyValidated { number: "RB-2026-000001".into() });
        assert!(matches!(&v, AppError::Rejected(r) if r.code == Code::DepositNotDraft), "{v:?}");
    }
}
