//! Why the refund use cases refuse (SPEC §4.3): recording, allocating and unallocating a refund, and
//! its letter. Variants in the order they are checked (the first that applies is given), each naming
//! the refund or credit, the amounts and what would be accepted, each with its [`Code`]; all answer
//! 409 (the request conflicts with what the credits and the refund have now). A malformed line (an
//! unknown credit, another customer's, twice, another currency) is a 422 on `lines[n]` instead.

use creance_core::Money;

use crate::payment_rejections::Earlier;
use crate::{AppError, Code, CreditLabel};

/// Why a refund is refused, in order of precedence.
///
/// Recording: `LikelyDuplicate`, then the allocation's. Allocating a refund that waits:
/// `FullyAllocated`, then the allocation's. The allocation's: `TooManyCredits`, `NoCredit` (`auto`);
/// `CreditEmpty`, `NothingLeftToAllocate`, `ExceedsCredit`, `ExceedsToAllocate` (per line, in line
/// order); `NotCovered` (recording only). Unallocating: `IsReversal`, `AlreadyReversed`. The letter:
/// `NotAllocated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundRejection {
    /// Recording: same customer, amount and piece number as `earlier` within `window_days`; accepted
    /// with `confirm_duplicate`.
    LikelyDuplicate { earlier: Earlier, window_days: i64 },
    /// Allocating a refund that has nothing left to allocate.
    FullyAllocated { number: String },
    /// `auto`: the customer has more than `max` unallocated payments, the most an `auto` refund reads;
    /// accepted with the credits named in `lines`.
    TooManyCredits { max: i64 },
    /// `auto`: the customer has no unallocated payment or credit note in `currency`.
    NoCredit { customer_number: String, currency: creance_core::Currency },
    /// A line names a credit (`credit`: "payment RG-…", "credit note AV-…") with nothing unallocated
    /// (`open`, zero or less).
    CreditEmpty { credit: CreditLabel, open: Money },
    /// A line comes after the earlier lines took all the refund has to allocate (`to_allocate`).
    NothingLeftToAllocate { credit: CreditLabel, number: String, to_allocate: Money },
    /// A line asks `amount`, more than its credit has unallocated (`open`).
    ExceedsCredit { credit: CreditLabel, amount: Money, open: Money },
    /// The lines together ask more than the refund has to allocate (`to_allocate`).
    ExceedsToAllocate { number: String, to_allocate: Money },
    /// Recording with an allocation: the credits cover only `covered` of `to_allocate` (`taken`: each
    /// credit with what it gives); accepted with credits covering the whole amount, or without
    /// allocating (the refund then waits "to allocate").
    NotCovered { customer_number: String, to_allocate: Money, covered: Money, taken: Vec<(Money, CreditLabel)> },
    /// Unallocating a refund allocation that is itself a reversal.
    IsReversal { refund_allocation_id: i64 },
    /// Unallocating a refund allocation that reversal `by` reversed already.
    AlreadyReversed { refund_allocation_id: i64, by: i64 },
    /// The letter of a refund that still has `to_allocate`; produced once it is allocated.
    NotAllocated { number: String, to_allocate: Money },
}

impl RefundRejection {
    pub fn code(&self) -> Code {
        match self {
            RefundRejection::LikelyDuplicate { .. } => Code::LikelyDuplicate,
            RefundRejection::FullyAllocated { .. } => Code::RefundFullyAllocated,
            RefundRejection::TooManyCredits { .. } => Code::RefundTooManyCredits,
            RefundRejection::NoCredit { .. } | RefundRejection::CreditEmpty { .. } => Code::RefundNothingToRefund,
            RefundRejection::NothingLeftToAllocate { .. } | RefundRejection::ExceedsToAllocate { .. } => {
                Code::RefundExceedsToAllocate
            }
            RefundRejection::ExceedsCredit { .. } => Code::RefundExceedsCredit,
            RefundRejection::NotCovered { .. } => Code::RefundNotCovered,
            RefundRejection::IsReversal { .. } => Code::IsReversal,
            RefundRejection::AlreadyReversed { .. } => Code::AlreadyReversed,
            RefundRejection::NotAllocated { .. } => Code::RefundNotAllocated,
        }
    }
}

impl std::fmt::Display for RefundRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefundRejection::LikelyDuplicate { earlier: d, window_days } => write!(
                f,
                "likely duplicate of refund {} (id {}) of {} on {}: same customer, amount {} and piece number {:?} \
                 within {window_days} days; send confirm_duplicate to record it anyway",
                d.number, d.id, d.customer_number, d.date, d.amount, d.piece_number
            ),
            RefundRejection::FullyAllocated { number } => write!(f, "refund {number} is already fully allocated"),
            RefundRejection::TooManyCredits { max } => write!(
                f,
                "the customer has more than {max} unallocated payments, the most an \"auto\" refund reads; name the \
                 credits to refund in \"lines\""
            ),
            RefundRejection::NoCredit { customer_number, currency } => {
                write!(
                    f,
                    "customer {customer_number} has no unallocated payment or credit note in {currency} to refund"
                )
            }
            RefundRejection::CreditEmpty { credit, open } => {
                write!(f, "{credit} has no unallocated credit left to refund (it has {open})")
            }
            RefundRejection::NothingLeftToAllocate { credit, number, to_allocate } => {
                write!(f, "{credit}: refund {number} has nothing left to allocate ({to_allocate} to allocate)")
            }
            RefundRejection::ExceedsCredit { credit, amount, open } => {
                write!(f, "{credit}: {amount} is more than its unallocated credit {open}")
            }
            RefundRejection::ExceedsToAllocate { number, to_allocate } => {
                write!(f, "the lines ask more than refund {number} has to allocate ({to_allocate})")
            }
            RefundRejection::NotCovered { customer_number, to_allocate, covered, taken } => write!(
                f,
                "refund of {to_allocate} to {customer_number}: its credits cover only {covered} ({}); allocate \
                 credits covering the whole amount, or record it without allocating to let it wait \"to allocate\"",
                taken.iter().map(|(m, l)| format!("{m} from {l}")).collect::<Vec<_>>().join(", ")
            ),
            RefundRejection::IsReversal { refund_allocation_id } => {
                write!(f, "refund allocation {refund_allocation_id} is itself a reversal")
            }
            RefundRejection::AlreadyReversed { refund_allocation_id, by } => {
                write!(f, "refund allocation {refund_allocation_id} was already reversed by {by}")
            }
            RefundRejection::NotAllocated { number, to_allocate } => write!(
                f,
                "refund {number} still has {to_allocate} to allocate; the letter is produced once it is allocated"
            ),
        }
    }
}

impl From<RefundRejection> for AppError {
    fn from(r: RefundRejection) -> AppError {
        AppError::rejected_said(r.code(), crate::Said::Refund(r))
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
    fn a_refund_its_credits_do_not_cover_names_what_each_gives() {
        let r = RefundRejection::NotCovered {
            customer_number: "C001".into(),
            to_allocate: eur(5_000),
            covered: eur(2_500),
            taken: vec![(eur(2_500), CreditLabel::Payment("RG-2026-000001".into()))],
        };
        let e = AppError::from(r);
        assert!(matches!(&e, AppError::Rejected(r) if r.code == Code::RefundNotCovered), "{e:?}");
        assert!(e.to_string().contains("cover only 25.00 EUR (25.00 EUR from payment RG-2026-000001)"), "{e}");
    }
}
