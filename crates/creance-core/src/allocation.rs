//! SPEC §4.1 and §4.2: the allocation rules, as plain functions.
//!
//! - [`check`] accepts or rejects one planned allocation set against both sides: the credit's
//!   unallocated amount and each target's open amount, same currency, positive amounts, each target
//!   once. The store re-checks under lock; `creance check` recomputes from the rows.
//! - [`propose`] orders the open debits a credit may pay the way a credit controller would allocate
//!   it: the credit's own customer's debits first (documents referenced in the payment's piece number
//!   or note, then an installment whose open amount matches the credit exactly, then the oldest due
//!   date), and only then those of the customers it pays for, in the same order; it never proposes
//!   more than the credit or than what a debit has open, and says what stays unallocated.

use crate::{Currency, Date, Money, MoneyError};

/// An open debit installment as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDebit {
    pub installment_id: i64,
    /// The customer the installment is issued to.
    pub customer_id: i64,
    pub document_number: String,
    pub due_date: Date,
    pub amount_open: Money,
}

/// One allocation line: so much to this installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocationLine {
    pub installment_id: i64,
    pub amount: Money,
}

/// Why a planned allocation is refused, in order of precedence (the first that applies is given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationError {
    /// The plan has no line.
    Empty,
    /// A line's amount is zero or negative.
    NotPositive {
        installment_id: i64,
        amount: Money,
    },
    /// A line is not in the credit's currency.
    CurrencyMismatch {
        installment_id: i64,
        credit: Currency,
        line: Currency,
    },
    /// The same installment appears twice.
    DuplicateTarget {
        installment_id: i64,
    },
    /// The installment is not among the open debits the credit may pay.
    UnknownTarget {
        installment_id: i64,
    },
    /// A line asks more than the installment has open.
    ExceedsTarget {
        installment_id: i64,
        amount: Money,
        open: Money,
    },
    /// The lines together ask more than the credit has unallocated.
    ExceedsCredit {
        total: Money,
        unallocated: Money,
    },
    Money(MoneyError),
}

impl std::fmt::Display for AllocationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AllocationError::Empty => write!(f, "nothing to allocate: give at least one installment and amount"),
            AllocationError::NotPositive { installment_id, amount } => {
                write!(f, "installment {installment_id}: the amount {amount} must be greater than zero")
            }
            AllocationError::CurrencyMismatch { installment_id, credit, line } => {
                write!(f, "installment {installment_id}: {line} cannot be allocated from a {credit} credit")
            }
            AllocationError::DuplicateTarget { installment_id } => {
                write!(f, "installment {installment_id} appears more than once")
            }
            AllocationError::UnknownTarget { installment_id } => write!(
                f,
                "installment {installment_id} is not an open debit of this customer or of the customers it pays for"
            ),
            AllocationError::ExceedsTarget { installment_id, amount, open } => {
                write!(f, "installment {installment_id}: {amount} is more than its open amount {open}")
            }
            AllocationError::ExceedsCredit { total, unallocated } => {
                write!(f, "the lines total {total} but only {unallocated} is unallocated")
            }
            AllocationError::Money(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AllocationError {}

impl From<MoneyError> for AllocationError {
    fn from(e: MoneyError) -> Self {
        AllocationError::Money(e)
    }
}

/// Checks a plan against both sides. `unallocated` is what the credit (payment or credit note) still
/// has; `debits` are the open installments it may pay.
pub fn check(unallocated: Money, debits: &[OpenDebit], lines: &[AllocationLine]) -> Result<Money, AllocationError> {
    if lines.is_empty() {
        return Err(AllocationError::Empty);
    }
    let currency = unallocated.currency();
    for l in lines {
        if !l.amount.is_positive() {
            return Err(AllocationError::NotPositive { installment_id: l.installment_id, amount: l.amount });
        }
        if l.amount.currency() != currency {
            return Err(AllocationError::CurrencyMismatch {
                installment_id: l.installment_id,
                credit: currency,
                line: l.amount.currency(),
            });
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if lines[..i].iter().any(|p| p.installment_id == l.installment_id) {
            return Err(AllocationError::DuplicateTarget { installment_id: l.installment_id });
        }
    }
    for l in lines {
        let debit = debits
            .iter()
            .find(|d| d.installment_id == l.installment_id)
            .ok_or(AllocationError::UnknownTarget { installment_id: l.installment_id })?;
        if debit.amount_open.currency() != currency {
            return Err(AllocationError::CurrencyMismatch {
                installment_id: l.installment_id,
                credit: currency,
                line: debit.amount_open.currency(),
            });
        }
        if l.amount.minor() > debit.amount_open.minor() {
            return Err(AllocationError::ExceedsTarget {
                installment_id: l.installment_id,
                amount: l.amount,
                open: debit.amount_open,
            });
        }
    }
    let total = Money::checked_sum(currency, lines.iter().map(|l| l.amount))?;
    if total.minor() > unallocated.minor() {
        return Err(AllocationError::ExceedsCredit { total, unallocated });
    }
    Ok(total)
}

/// A proposed allocation of a credit and what would stay unallocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub lines: Vec<AllocationLine>,
    pub unallocated: Money,
}

/// Whether `reference` (piece number, note) names the document: its number appears as a whole word.
fn references(reference: &str, document_number: &str) -> bool {
    let number = document_number.trim();
    if number.is_empty() {
        return false;
    }
    let upper = reference.to_uppercase();
    let number = number.to_uppercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '/' || c == '_';
    upper.match_indices(&number).any(|(at, _)| {
        let before = upper[..at].chars().next_back();
        let after = upper[at + number.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// Proposes how to allocate `credit` of customer `customer_id` over `debits` (SPEC §4.2): the
/// customer's own debits first (referenced documents, then an exact amount, then oldest due), and only
/// then those of the customers it pays for, in the same order. Debits in another currency or with
/// nothing open are ignored.
pub fn propose(credit: Money, customer_id: i64, reference: &str, debits: &[OpenDebit]) -> Proposal {
    let currency = credit.currency();
    let mut candidates: Vec<&OpenDebit> =
        debits.iter().filter(|d| d.amount_open.currency() == currency && d.amount_open.is_positive()).collect();
    candidates.sort_by_key(|d| (d.due_date, d.installment_id));
    // One exact match per group (the oldest), among the debits not referenced.
    let exact = |own: bool| {
        candidates
            .iter()
            .filter(|d| (d.customer_id == customer_id) == own && !references(reference, &d.document_number))
            .find(|d| d.amount_open == credit)
            .map(|d| d.installment_id)
    };
    let (exact_own, exact_other) = (exact(true), exact(false));
    // Rank: own: 0 referenced, 1 exact amount, 2 the rest; others: 3 referenced, 4 exact amount, 5
    // the rest. Then oldest due date, then id (stable).
    let rank = |d: &OpenDebit| {
        let own = d.customer_id == customer_id;
        let within = if references(reference, &d.document_number) {
            0
        } else if Some(d.installment_id) == if own { exact_own } else { exact_other } {
            1
        } else {
            2
        };
        if own {
            within
        } else {
            3 + within
        }
    };
    // Cached: `rank` reads the reference text, too costly to run on every comparison.
    candidates.sort_by_cached_key(|d| (rank(d), d.due_date, d.installment_id));
    let mut left = credit.minor().max(0);
    let mut lines = Vec::new();
    for d in candidates {
        if left == 0 {
            break;
        }
        let take = left.min(d.amount_open.minor());
        lines.push(AllocationLine { installment_id: d.installment_id, amount: Money::new(take, currency) });
        left -= take;
    }
    Proposal { lines, unallocated: Money::new(left, currency) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    /// The credit's customer in these tests.
    const OWN: i64 = 1;

    fn debit(id: i64, number: &str, due: &str, open: i64) -> OpenDebit {
        debit_of(OWN, id, number, due, open)
    }

    fn debit_of(customer_id: i64, id: i64, number: &str, due: &str, open: i64) -> OpenDebit {
        OpenDebit {
            installment_id: id,
            customer_id,
            document_number: number.into(),
            due_date: Date::parse(due).unwrap(),
            amount_open: eur(open),
        }
    }

    fn ledger() -> Vec<OpenDebit> {
        vec![
            debit(1, "F-100", "2026-01-31", 10_050),
            debit(2, "F-101", "2026-02-28", 20_000),
            debit(3, "F-102", "2026-03-31", 5_000),
        ]
    }

    fn propose_own(credit: Money, reference: &str, debits: &[OpenDebit]) -> Proposal {
        propose(credit, OWN, reference, debits)
    }

    fn plan(p: &Proposal) -> Vec<(i64, i64)> {
        p.lines.iter().map(|l| (l.installment_id, l.amount.minor())).collect()
    }

    #[test]
    fn an_invoice_of_100_50_paid_100_00_keeps_0_50_open() {
        let p = propose_own(eur(10_000), "", &ledger()[..1]);
        assert_eq!(plan(&p), [(1, 10_000)]);
        assert_eq!(p.unallocated, eur(0));
    }

    #[test]
    fn oldest_due_date_first_and_the_rest_stays_unallocated() {
        let p = propose_own(eur(40_000), "", &ledger());
        assert_eq!(plan(&p), [(1, 10_050), (2, 20_000), (3, 5_000)]);
        assert_eq!(p.unallocated, eur(4_950));
    }

    #[test]
    fn a_referenced_invoice_comes_first_then_an_exact_amount() {
        let p = propose_own(eur(5_000), "virement facture f-102", &ledger());
        assert_eq!(plan(&p), [(3, 5_000)]);
        let p = propose_own(eur(20_000), "", &ledger());
        assert_eq!(plan(&p), [(2, 20_000)], "the exact match beats the oldest");
        let p = propose_own(eur(25_000), "F-101 F-102", &ledger());
        assert_eq!(plan(&p), [(2, 20_000), (3, 5_000)]);
        // F-10 is not F-100: references are whole words.
        let p = propose_own(eur(4_000), "F-10", &ledger());
        assert_eq!(plan(&p), [(1, 4_000)]);
    }

    #[test]
    fn a_customer_own_items_come_before_those_of_the_customers_it_pays_for() {
        // The credit's customer owes F-1 (due last); customer 2, paid for by the same payer, owes older
        // ones, one of them of exactly the credit's amount.
        let debits = vec![
            debit_of(2, 10, "F-20", "2026-01-31", 5_000),
            debit_of(2, 11, "F-21", "2026-02-28", 3_000),
            debit_of(OWN, 1, "F-1", "2026-03-31", 4_000),
            debit_of(OWN, 2, "F-2", "2026-04-30", 9_000),
        ];
        let p = propose_own(eur(3_000), "", &debits);
        assert_eq!(plan(&p), [(1, 3_000)], "its own oldest before another's exact amount");
        let p = propose_own(eur(9_000), "", &debits);
        assert_eq!(plan(&p), [(2, 9_000)], "its own exact amount first");
        let p = propose_own(eur(15_000), "", &debits);
        assert_eq!(plan(&p), [(1, 4_000), (2, 9_000), (10, 2_000)], "then the others, oldest first");
        let p = propose_own(eur(3_000), "", &debits[..2]);
        assert_eq!(plan(&p), [(11, 3_000)], "nothing of its own: another's exact amount, then the oldest");
        // A reference orders each group, but the customer's own items still come first.
        let p = propose_own(eur(6_000), "pour F-2", &debits);
        assert_eq!(plan(&p), [(2, 6_000)]);
        let p = propose_own(eur(15_000), "pour F-21", &debits);
        assert_eq!(plan(&p), [(1, 4_000), (2, 9_000), (11, 2_000)], "F-21 first among the others");
        // Seen from customer 2, its own come first.
        let p = propose(eur(6_000), 2, "", &debits);
        assert_eq!(plan(&p), [(10, 5_000), (11, 1_000)]);
    }

    #[test]
    fn check_rejects_in_order_of_precedence() {
        let d = ledger();
        let line = |id, minor| AllocationLine { installment_id: id, amount: eur(minor) };
        assert_eq!(check(eur(100), &d, &[]), Err(AllocationError::Empty));
        assert!(matches!(check(eur(100), &d, &[line(1, 0)]), Err(AllocationError::NotPositive { .. })));
        let chf = AllocationLine { installment_id: 1, amount: Money::new(10, Currency::CHF) };
        assert!(matches!(check(eur(100), &d, &[chf]), Err(AllocationError::CurrencyMismatch { .. })));
        assert_eq!(
            check(eur(100), &d, &[line(1, 10), line(1, 10)]),
            Err(AllocationError::DuplicateTarget { installment_id: 1 })
        );
        assert_eq!(check(eur(100), &d, &[line(9, 10)]), Err(AllocationError::UnknownTarget { installment_id: 9 }));
        assert!(matches!(check(eur(99_999), &d, &[line(3, 5_001)]), Err(AllocationError::ExceedsTarget { .. })));
        assert!(matches!(check(eur(100), &d, &[line(1, 60), line(2, 60)]), Err(AllocationError::ExceedsCredit { .. })));
        assert_eq!(check(eur(100), &d, &[line(1, 60), line(2, 40)]), Ok(eur(100)));
    }

    proptest! {
        #[test]
        fn a_proposal_always_passes_the_check_and_accounts_for_every_cent(
            credit in 1i64..1_000_000,
            opens in proptest::collection::vec(0i64..300_000, 0..12),
            reference_pick in 0usize..14,
        ) {
            let debits: Vec<OpenDebit> = opens
                .iter()
                .enumerate()
                .map(|(i, o)| debit(i as i64 + 1, &format!("F{}", i + 1), "2026-01-01", *o))
                .collect();
            let reference = format!("F{reference_pick}");
            let p = propose_own(eur(credit), &reference, &debits);
            let allocated: i64 = p.lines.iter().map(|l| l.amount.minor()).sum();
            prop_assert_eq!(allocated + p.unallocated.minor(), credit);
            prop_assert!(p.unallocated.minor() >= 0);
            if !p.lines.is_empty() {
                prop_assert_eq!(check(eur(credit), &debits, &p.lines), Ok(eur(allocated)));
            }
            // Unallocated credit remains only when every debit is fully proposed.
            if p.unallocated.is_positive() {
                prop_assert_eq!(allocated, opens.iter().sum::<i64>());
            }
        }
    }
}
