//! Why the payment and allocation use cases refuse (SPEC §4.1, §4.2): one enum per family, variants in
//! the order they are checked (the first that applies is given), each naming the thing, the value and
//! what would be accepted, each with its [`Code`]. The database's last guards (CHECK and UNIQUE
//! constraints, lost races) come through [`creance_store::error::DbRejection`] instead.

use creance_core::allocation::AllocationError;
use creance_core::Money;

use crate::{AppError, Code, CreditLabel};

/// Why recording, cancelling or moving a payment is refused, in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentRejection {
    /// The payment is cancelled: only an active payment is allocated or moved.
    Cancelled { number: String },
    /// Cancelling a payment that is cancelled already.
    AlreadyCancelled { number: String },
    /// Recording: same customer, amount and piece number as `earlier` within `window_days`; accepted
    /// with `confirm_duplicate`.
    LikelyDuplicate { earlier: Earlier, window_days: i64 },
    /// Cancelling or moving a payment with `used` allocated or refunded; accepted once unallocated.
    Allocated { number: String, used: Money, moving: bool },
    /// Cancelling a payment that is in a bank deposit.
    InDeposit { number: String },
    /// The row changed between the check and the write (`what`: "be cancelled", "change customer").
    Changed { number: String, what: &'static str },
}

/// The earlier payment a new one looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    pub id: i64,
    pub number: String,
    pub customer_number: String,
    pub date: creance_core::Date,
    pub amount: Money,
    pub piece_number: String,
}

impl PaymentRejection {
    pub fn code(&self) -> Code {
        match self {
            PaymentRejection::Cancelled { .. } | PaymentRejection::AlreadyCancelled { .. } => Code::PaymentCancelled,
            PaymentRejection::LikelyDuplicate { .. } => Code::LikelyDuplicate,
            PaymentRejection::Allocated { .. } | PaymentRejection::InDeposit { .. } => Code::PaymentInUse,
            PaymentRejection::Changed { .. } => Code::Conflict,
        }
    }
}

impl std::fmt::Display for PaymentRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentRejection::Cancelled { number } => write!(f, "payment {number} is cancelled"),
            PaymentRejection::AlreadyCancelled { number } => write!(f, "payment {number} is already cancelled"),
            PaymentRejection::LikelyDuplicate { earlier: d, window_days } => write!(
                f,
                "likely duplicate of payment {} (id {}) of {} on {}: same customer, amount {} and piece number {:?} \
                 within {window_days} days; send confirm_duplicate to record it anyway",
                d.number, d.id, d.customer_number, d.date, d.amount, d.piece_number
            ),
            PaymentRejection::Allocated { number, used, moving: false } => {
                write!(f, "payment {number} has {used} allocated or refunded; unallocate it first")
            }
            PaymentRejection::Allocated { number, used, moving: true } => write!(
                f,
                "payment {number} has {used} allocated or refunded; unallocate it first: its customer changes only \
                 while nothing of it is allocated"
            ),
            PaymentRejection::InDeposit { number } => write!(f, "payment {number} is in a bank deposit"),
            PaymentRejection::Changed { number, what } => write!(f, "payment {number} cannot {what} now"),
        }
    }
}

impl From<PaymentRejection> for AppError {
    fn from(r: PaymentRejection) -> AppError {
        AppError::rejected_said(r.code(), crate::Said::Payment(r))
    }
}

/// Why an allocation or its reversal is refused, in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationRejection {
    /// The credit has nothing it may allocate: `unallocated` left and no open installment it may pay.
    NothingToAllocate { credit: CreditLabel, unallocated: Money },
    /// The plan breaks a rule of [`creance_core::allocation::check`] (whose variants keep their own
    /// precedence). More than an installment has open, or than the credit has, is a conflict with the
    /// state (409: someone allocated meanwhile); anything else is a bad request naming `lines` (422).
    Rule(AllocationError),
    /// Reversing an allocation that is itself a reversal.
    IsReversal { allocation_id: i64 },
    /// Reversing an allocation that reversal `by` reversed already.
    AlreadyReversed { allocation_id: i64, by: i64 },
}

impl AllocationRejection {
    pub fn code(&self) -> Code {
        match self {
            AllocationRejection::NothingToAllocate { .. } => Code::NothingToAllocate,
            AllocationRejection::Rule(e) => match e {
                AllocationError::Empty => Code::NothingToAllocate,
                AllocationError::NotPositive { .. } => Code::AmountNotPositive,
                AllocationError::CurrencyMismatch { .. } => Code::CurrencyMismatch,
                AllocationError::DuplicateTarget { .. } => Code::DuplicateTarget,
                AllocationError::UnknownTarget { .. } => Code::UnknownTarget,
                AllocationError::ExceedsTarget { .. } => Code::OverAllocation,
                AllocationError::ExceedsCredit { .. } => Code::ExceedsUnallocated,
                AllocationError::Money(_) => Code::InvalidField,
            },
            AllocationRejection::IsReversal { .. } => Code::IsReversal,
            AllocationRejection::AlreadyReversed { .. } => Code::AlreadyReversed,
        }
    }
}

impl std::fmt::Display for AllocationRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AllocationRejection::NothingToAllocate { credit, unallocated } => write!(
                f,
                "{credit} has nothing to allocate: {unallocated} unallocated and no open installment it may pay"
            ),
            AllocationRejection::Rule(e) => write!(f, "{e}"),
            AllocationRejection::IsReversal { allocation_id } => {
                write!(f, "allocation {allocation_id} is itself a reversal")
            }
            AllocationRejection::AlreadyReversed { allocation_id, by } => {
                write!(f, "allocation {allocation_id} was already reversed by {by}")
            }
        }
    }
}

impl From<AllocationRejection> for AppError {
    fn from(r: AllocationRejection) -> AppError {
        let code = r.code();
        match &r {
            AllocationRejection::Rule(
                AllocationError::Empty
                | AllocationError::NotPositive { .. }
                | AllocationError::CurrencyMismatch { .. }
                | AllocationError::DuplicateTarget { .. }
                | AllocationError::UnknownTarget { .. }
                | AllocationError::Money(_),
            ) => AppError::invalid_said_as(code, "lines", crate::Said::Allocation(r)),
            _ => AppError::rejected_said(code, crate::Said::Allocation(r)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use creance_core::Currency;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn more_than_is_open_is_a_409_over_allocation_and_an_unknown_line_a_422_on_lines() {
        let over = AppError::from(AllocationRejection::Rule(AllocationError::ExceedsTarget {
            installment_id: 7,
            amount: eur(20_000),
            open: eur(10_000),
        }));
        assert!(matches!(&over, AppError::Rejected(r) if r.code == Code::OverAllocation), "{over:?}");
        assert_eq!(over.to_string(), "installment 7: 200.00 EUR is more than its open amount 100.00 EUR");
        let unknown = AppError::from(AllocationRejection::Rule(AllocationError::UnknownTarget { installment_id: 9 }));
        assert!(
            matches!(&unknown, AppError::Invalid(f) if f.field == "lines" && f.code == Code::UnknownTarget),
            "{unknown:?}"
        );
    }

    #[test]
    fn a_likely_duplicate_names_the_earlier_payment() {
        let r = PaymentRejection::LikelyDuplicate {
            earlier: Earlier {
                id: 3,
                number: "RG-2026-000003".into(),
                customer_number: "C001".into(),
                date: creance_core::Date::from_ymd(2026, 3, 1).expect("a date"),
                amount: eur(10_050),
                piece_number: "CHQ 1".into(),
            },
            window_days: 7,
        };
        assert_eq!(r.code(), Code::LikelyDuplicate);
        assert!(r.to_string().contains("RG-2026-000003 (id 3)"), "{r}");
    }
}
