//! SPEC §4.6–§4.7: what a letter charges — the level's fee on the fee base, late interest per dunned
//! installment over the rate table's periods, the fixed recovery indemnity once per invoice — and the
//! letter's totals and payment deadline. Pure: the caller loads the items, their allocation history
//! and the rate table, and writes what this returns.
//!
//! Interest and the indemnity are charged on invoices and opening balances only, never on fee or
//! interest invoices. Interest on an installment runs `[start, end)` from the day after its due date
//! plus the table's grace days (or from where it was last charged to) to the day after the as-of date,
//! so two letters never charge the same day ([`crate::interest`]).

use std::collections::HashSet;

use crate::interest::{self, DayCount, InterestError, RatePeriod};
use crate::{Currency, Date, DocumentKind, Money, MoneyError};

use super::FeeRule;

/// A late-interest rate table (SPEC §4.7), as the computation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateTable {
    /// Named in errors (a missing rate).
    pub code: String,
    pub day_count: DayCount,
    /// Days after the due date before interest runs.
    pub grace_days: i64,
    /// The fixed indemnity per late invoice; zero for none.
    pub indemnity: Money,
    /// Sorted by date; each applies until the next (reference rate plus margin, added).
    pub rates: Vec<RatePeriod>,
}

/// What a letter's level charges and under which policy amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeTerms<'a> {
    /// The policy's currency: its fee and interest minimum are in it, and apply only to letters in it.
    pub policy_currency: Currency,
    pub fee: &'a FeeRule,
    pub interest: bool,
    pub indemnity: bool,
    /// Late interest below this, per letter, is not charged (policy currency).
    pub interest_min: Money,
    pub table: Option<&'a RateTable>,
}

/// An installment a letter duns, with what its charges need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DunnedItem {
    pub item_id: i64,
    pub document_id: i64,
    pub document_kind: DocumentKind,
    /// Its invoice already carried the indemnity on an earlier letter.
    pub indemnity_charged: bool,
    pub due_date: Date,
    /// The installment's amount (its open amount at the due date).
    pub amount: Money,
    /// Interest was charged up to this day (exclusive) by an earlier letter.
    pub interest_to_before: Option<Date>,
    /// Changes of the open amount from a date on (an allocation lowers it, its reversal raises it
    /// back), sorted by date.
    pub open_changes: Vec<(Date, Money)>,
}

/// What a letter charges on one item. `interest_to` is set when interest ran (even to zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCharges {
    pub item_id: i64,
    pub interest_from: Option<Date>,
    /// Exclusive.
    pub interest_to: Option<Date>,
    pub interest: Money,
    pub indemnity: Money,
}

/// What a letter charges: its lines (items with interest or an indemnity), their totals, the fee,
/// and notes on what was not charged and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterCharges {
    pub fee: Money,
    /// Σ of the items' interest.
    pub interest: Money,
    /// Σ of the items' indemnities.
    pub indemnity: Money,
    pub items: Vec<ItemCharges>,
    pub notes: Vec<String>,
}

impl LetterCharges {
    /// Fee + interest + indemnity.
    pub fn total(&self) -> Result<Money, MoneyError> {
        self.fee.checked_add(self.interest)?.checked_add(self.indemnity)
    }
}

/// Why charges cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeError {
    /// An amount overflows or mixes currencies (absurd inputs).
    Money(MoneyError),
    /// The rate table has no rate for a day interest runs on.
    Interest { table: String, error: InterestError },
}

impl std::fmt::Display for ChargeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChargeError::Money(e) => write!(f, "{e}"),
            ChargeError::Interest { table, error } => {
                write!(f, "interest table {table}: {error}; add the rate for that period first")
            }
        }
    }
}

impl std::error::Error for ChargeError {}

impl From<MoneyError> for ChargeError {
    fn from(e: MoneyError) -> ChargeError {
        ChargeError::Money(e)
    }
}

/// The charges of one letter in `currency` dated `as_of`: the fee on `fee_base` (the overdue total
/// less the fee and interest invoices it counts), interest and the indemnity on `items` (in the order
/// given; an invoice's indemnity goes on its first item).
pub fn letter_charges(
    currency: Currency,
    fee_base: Money,
    terms: &ChargeTerms<'_>,
    items: &[DunnedItem],
    as_of: Date,
) -> Result<LetterCharges, ChargeError> {
    let zero = Money::zero(currency);
    let mut notes: Vec<String> = Vec::new();
    let mut fee = zero;
    if *terms.fee != FeeRule::None {
        if terms.policy_currency == currency {
            fee = terms.fee.on(fee_base)?;
        } else {
            notes.push(format!("no fee: the policy's amounts are in {}", terms.policy_currency));
        }
    }
    if (terms.interest || terms.indemnity) && terms.table.is_none() {
        notes.push("no interest or indemnity: the policy has no interest rate table".into());
    }
    let mut lines: Vec<ItemCharges> = Vec::new();
    if let Some(t) = terms.table {
        let mut indemnified: HashSet<i64> = HashSet::new();
        for it in items {
            let mut c = ItemCharges {
                item_id: it.item_id,
                interest_from: None,
                interest_to: None,
                interest: zero,
                indemnity: zero,
            };
            let chargeable = matches!(it.document_kind, DocumentKind::Invoice | DocumentKind::OpeningBalance);
            if terms.interest && chargeable {
                let start = it.due_date.add_days(1 + t.grace_days).max(it.interest_to_before.unwrap_or(Date::MIN));
                let end = as_of.add_days(1);
                if start < end {
                    c.interest = item_interest(t, it, start, end)?;
                    c.interest_from = Some(start);
                    c.interest_to = Some(end);
                }
            }
            if terms.indemnity
                && chargeable
                && t.indemnity.is_positive()
                && !it.indemnity_charged
                && !indemnified.contains(&it.document_id)
            {
                if t.indemnity.currency() == currency {
                    c.indemnity = t.indemnity;
                    indemnified.insert(it.document_id);
                } else if !notes.iter().any(|n| n.starts_with("no indemnity")) {
                    notes.push(format!("no indemnity: it is in {}, the letter in {currency}", t.indemnity.currency()));
                }
            }
            lines.push(c);
        }
    }
    let interest = Money::checked_sum(currency, lines.iter().map(|c| c.interest))?;
    if interest.is_positive() && terms.policy_currency == currency && interest.minor() < terms.interest_min.minor() {
        notes.push(format!("interest of {interest} not charged: under the minimum of {}", terms.interest_min));
        for c in &mut lines {
            c.interest = zero;
            c.interest_from = None;
            c.interest_to = None;
        }
    }
    lines.retain(|c| c.interest_to.is_some() || c.indemnity.is_positive());
    Ok(LetterCharges {
        fee,
        interest: Money::checked_sum(currency, lines.iter().map(|c| c.interest))?,
        indemnity: Money::checked_sum(currency, lines.iter().map(|c| c.indemnity))?,
        items: lines,
        notes,
    })
}

/// Interest on one installment for `[start, end)`: its amount from the due date, changed by each
/// allocation (or reversal) from its date, at the table's rates.
fn item_interest(t: &RateTable, it: &DunnedItem, start: Date, end: Date) -> Result<Money, ChargeError> {
    let mut balances = vec![(it.due_date.min(start), it.amount)];
    let mut open = it.amount;
    for (date, delta) in &it.open_changes {
        open = open.checked_add(*delta)?;
        match balances.last_mut() {
            Some(last) if last.0 >= *date => last.1 = open,
            _ => balances.push((*date, open)),
        }
    }
    let lines = interest::compute(&balances, &t.rates, start, end, t.day_count)
        .map_err(|error| ChargeError::Interest { table: t.code.clone(), error })?;
    Ok(Money::checked_sum(it.amount.currency(), lines.iter().map(|l| l.amount))?)
}

/// What the payer owes with the letter: overdue less credits plus charges, never below zero.
pub fn total_due(overdue: Money, credits: Money, charges: Money) -> Result<Money, MoneyError> {
    let due = overdue.checked_sub(credits)?.checked_add(charges)?;
    Ok(if due.is_positive() { due } else { Money::zero(due.currency()) })
}

/// The date by which to pay: the letter's date plus the policy's payment days.
pub fn payment_deadline(letter_date: Date, payment_days: i64) -> Date {
    letter_date.add_days(payment_days)
}

#[cfg(test)]
#[path = "charges_tests.rs"]
mod tests;
