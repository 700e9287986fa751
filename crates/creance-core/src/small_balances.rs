//! SPEC §4.8 small balances: which open items are small, how a clerk's action on them is planned,
//! and which contract a re-bill goes on.
//!
//! An action closes the *whole* open amount of each item it takes (a small debit, or a small credit in
//! the customer's favour: an unallocated payment remainder or an open credit note), all of one customer
//! and one currency. A re-bill moves them to the clearing account and leaves one rebill charge for the
//! billing system: the debits less the credits, positive to bill, negative to deduct. A write-off moves
//! them to loss (debits) or gain (credits), each side at most the company's `write_off_maximum`.
//!
//! The company's amounts (`small_balance_threshold`, `write_off_maximum`) are minor units of its base
//! currency; another currency uses the same figure at its own exponent ([`limit_in`]: 1.00 EUR is
//! 1 JPY and 1.000 TND), never an exchange rate (SPEC §8: no foreign exchange).
//!
//! Who re-checks: the store's CHECKs (`amount_open >= 0`) guard the allocations an action writes, and
//! `creance check` recomputes every open amount and the receivable balance from the rows.

use crate::{Currency, Money, MoneyError};

/// What an action does with the items (stored as its `code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// On the contract's next invoice, through the clearing account.
    Rebill,
    /// To loss (debits) or gain (credits).
    WriteOff,
}

impl ActionKind {
    pub const ALL: [ActionKind; 2] = [ActionKind::Rebill, ActionKind::WriteOff];

    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Rebill => "rebill",
            ActionKind::WriteOff => "write_off",
        }
    }

    pub fn parse(word: &str) -> Option<ActionKind> {
        let w = word.trim().to_ascii_lowercase().replace('-', "_");
        ActionKind::ALL.into_iter().find(|k| k.code() == w)
    }
}

/// Whether an action still holds (stored as its `code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Done,
    /// Undone: its items are open again exactly as before, by reversals.
    Undone,
}

impl ActionStatus {
    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Done => "done",
            ActionStatus::Undone => "undone",
        }
    }

    pub fn parse(word: &str) -> Option<ActionStatus> {
        [ActionStatus::Done, ActionStatus::Undone].into_iter().find(|s| s.code() == word)
    }
}

/// Where a rebill charge stands for the billing system (stored as its `code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    /// To put on the contract's next invoice; its action may still be undone.
    Pending,
    /// On an invoice of the billing system (its number recorded); final.
    Acknowledged,
    /// Its action was undone before the billing system took it.
    Cancelled,
}

impl ChargeStatus {
    pub const ALL: [ChargeStatus; 3] = [ChargeStatus::Pending, ChargeStatus::Acknowledged, ChargeStatus::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            ChargeStatus::Pending => "pending",
            ChargeStatus::Acknowledged => "acknowledged",
            ChargeStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(word: &str) -> Option<ChargeStatus> {
        let w = word.trim().to_ascii_lowercase();
        ChargeStatus::ALL.into_iter().find(|s| s.code() == w)
    }
}

/// A company amount given in minor units of `base`, as the same figure in `to`'s minor units, rounded
/// towards zero: 100 (1.00 EUR) is 1 in JPY and 1000 in TND; 150 JPY-base is 15000 in EUR… Saturates
/// at `i64::MAX`.
pub fn limit_in(base_minor: i64, base: Currency, to: Currency) -> i64 {
    let up = 10i128.pow(to.exponent());
    let down = 10i128.pow(base.exponent());
    let v = i128::from(base_minor) * up / down;
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// One item an action takes: its whole open amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What the messages call it (`invoice FA-1 #1`, `payment RG-2026-000001`).
    pub label: String,
    pub customer_id: i64,
    /// A debit (an open installment) or a credit (a payment remainder, a credit note's open credit).
    pub debit: bool,
    pub open: Money,
}

/// What an action will write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub currency: Currency,
    /// Σ of the debits closed.
    pub debit_total: Money,
    /// Σ of the credits closed.
    pub credit_total: Money,
    /// A re-bill's charge: the debits less the credits (negative: a deduction). Zero for a write-off.
    pub charge: Money,
}

/// Why an action is refused, in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionRejection {
    /// The selection holds no item.
    NoItems,
    /// Items of two customers (an action is per customer).
    MixedCustomers { first: String, other: String },
    /// Items in two currencies (an action is per currency).
    MixedCurrencies { first: Currency, other: Currency, label: String },
    /// An item has nothing open (closed meanwhile).
    NothingOpen { label: String },
    /// A write-off above the company's maximum (each side is bounded).
    AboveWriteOffMaximum { total: Money, maximum: Money },
    /// A re-bill whose debits and credits cancel out: allocate the credits to the debits instead.
    NetsToZero { total: Money },
    /// A sum overflowed.
    Overflow,
}

impl std::fmt::Display for ActionRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionRejection::NoItems => f.write_str("the selection holds no open item"),
            ActionRejection::MixedCustomers { first, other } => {
                write!(f, "{other} belongs to another customer than {first}: one action is for one customer")
            }
            ActionRejection::MixedCurrencies { first, other, label } => {
                write!(f, "{label} is in {other}, the others in {first}: one action is for one currency")
            }
            ActionRejection::NothingOpen { label } => write!(f, "{label} has nothing open"),
            ActionRejection::AboveWriteOffMaximum { total, maximum } => {
                write!(f, "a write-off of {total} is above the company's write_off_maximum of {maximum}")
            }
            ActionRejection::NetsToZero { total } => {
                write!(f, "the debits and the credits both come to {total}: allocate the credits to the debits instead")
            }
            ActionRejection::Overflow => f.write_str("the items add up to more than an amount can hold"),
        }
    }
}

impl From<MoneyError> for ActionRejection {
    fn from(_: MoneyError) -> Self {
        ActionRejection::Overflow
    }
}

/// Plans an action on `items` (checked in the order of [`ActionRejection`]). `write_off_maximum` is
/// already in the items' currency (see [`limit_in`]).
pub fn plan(kind: ActionKind, items: &[Item], write_off_maximum: i64) -> Result<Plan, ActionRejection> {
    let first = items.first().ok_or(ActionRejection::NoItems)?;
    let currency = first.open.currency();
    for it in items {
        if it.customer_id != first.customer_id {
            return Err(ActionRejection::MixedCustomers { first: first.label.clone(), other: it.label.clone() });
        }
    }
    for it in items {
        if it.open.currency() != currency {
            return Err(ActionRejection::MixedCurrencies {
                first: currency,
                other: it.open.currency(),
                label: it.label.clone(),
            });
        }
    }
    if let Some(it) = items.iter().find(|i| !i.open.is_positive()) {
        return Err(ActionRejection::NothingOpen { label: it.label.clone() });
    }
    let debit_total = Money::checked_sum(currency, items.iter().filter(|i| i.debit).map(|i| i.open))?;
    let credit_total = Money::checked_sum(currency, items.iter().filter(|i| !i.debit).map(|i| i.open))?;
    let charge = match kind {
        ActionKind::WriteOff => {
            let maximum = Money::new(write_off_maximum, currency);
            for total in [debit_total, credit_total] {
                if total.minor() > write_off_maximum {
                    return Err(ActionRejection::AboveWriteOffMaximum { total, maximum });
                }
            }
            Money::zero(currency)
        }
        ActionKind::Rebill => {
            let net = debit_total.checked_sub(credit_total)?;
            if net.is_zero() {
                return Err(ActionRejection::NetsToZero { total: debit_total });
            }
            net
        }
    };
    Ok(Plan { currency, debit_total, credit_total, charge })
}

/// A contract as the choice of a re-bill's contract sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRef {
    pub id: i64,
    pub number: String,
    pub active: bool,
}

/// Which contract a re-bill goes on, or why the clerk must choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractChoice {
    /// This contract (the items' own when active, else the one the clerk chose).
    On(ContractRef),
    /// The items' contract has ended (or they have none): one of these active contracts of the
    /// customer is to be chosen.
    Choose { ended: Option<ContractRef>, active: Vec<ContractRef> },
    /// The customer has no active contract: a write-off is what is left.
    NoneActive { ended: Option<ContractRef> },
    /// The contract asked for is not an active contract of the customer.
    NotActive { id: i64 },
}

/// The contract of a re-bill: the one `chosen` (an active contract of the customer), else the items'
/// `own` contract when it is active, else a choice among the customer's `active` contracts — even a
/// single one is proposed, not taken silently — or none at all.
pub fn choose_contract(own: Option<ContractRef>, chosen: Option<i64>, active: &[ContractRef]) -> ContractChoice {
    if let Some(id) = chosen {
        return match active.iter().find(|c| c.id == id) {
            Some(c) => ContractChoice::On(c.clone()),
            None => ContractChoice::NotActive { id },
        };
    }
    match own {
        Some(c) if c.active => ContractChoice::On(c),
        ended if active.is_empty() => ContractChoice::NoneActive { ended },
        ended => ContractChoice::Choose { ended, active: active.to_vec() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(m: i64) -> Money {
        Money::new(m, Currency::EUR)
    }

    fn item(label: &str, debit: bool, open: Money) -> Item {
        Item { label: label.into(), customer_id: 1, debit, open }
    }

    #[test]
    fn a_company_amount_is_the_same_figure_in_every_currency() {
        assert_eq!(limit_in(100, Currency::EUR, Currency::EUR), 100);
        assert_eq!(limit_in(100, Currency::EUR, Currency::JPY), 1);
        assert_eq!(limit_in(150, Currency::EUR, Currency::JPY), 1);
        assert_eq!(limit_in(100, Currency::EUR, Currency::TND), 1000);
        assert_eq!(limit_in(5, Currency::JPY, Currency::EUR), 500);
        assert_eq!(limit_in(i64::MAX, Currency::JPY, Currency::TND), i64::MAX);
    }

    #[test]
    fn a_rebill_charges_the_debits_less_the_credits() {
        let p = plan(ActionKind::Rebill, &[item("FA-1", true, eur(50)), item("FA-2", true, eur(30))], 0).unwrap();
        assert_eq!((p.debit_total, p.credit_total, p.charge), (eur(80), eur(0), eur(80)));
        let p = plan(ActionKind::Rebill, &[item("RG-1", false, eur(40))], 0).unwrap();
        assert_eq!(p.charge, eur(-40));
        let p = plan(ActionKind::Rebill, &[item("FA-1", true, eur(50)), item("RG-1", false, eur(20))], 0).unwrap();
        assert_eq!(p.charge, eur(30));
        assert_eq!(
            plan(ActionKind::Rebill, &[item("FA-1", true, eur(50)), item("RG-1", false, eur(50))], 0),
            Err(ActionRejection::NetsToZero { total: eur(50) })
        );
    }

    #[test]
    fn a_write_off_is_bounded_by_the_maximum_on_each_side() {
        let p = plan(ActionKind::WriteOff, &[item("FA-1", true, eur(1000))], 1000).unwrap();
        assert_eq!((p.debit_total, p.charge), (eur(1000), eur(0)));
        let e = plan(ActionKind::WriteOff, &[item("FA-1", true, eur(1001))], 1000).unwrap_err();
        assert_eq!(e, ActionRejection::AboveWriteOffMaximum { total: eur(1001), maximum: eur(1000) });
        assert!(e.to_string().contains("write_off_maximum"), "{e}");
        assert!(plan(ActionKind::WriteOff, &[item("RG-1", false, eur(1001))], 1000).is_err());
    }

    #[test]
    fn the_rejections_come_in_their_order() {
        assert_eq!(plan(ActionKind::Rebill, &[], 0), Err(ActionRejection::NoItems));
        let other = Item { customer_id: 2, ..item("FA-9", true, Money::new(5, Currency::CHF)) };
        assert!(matches!(
            plan(ActionKind::Rebill, &[item("FA-1", true, eur(0)), other], 0),
            Err(ActionRejection::MixedCustomers { .. })
        ));
        assert!(matches!(
            plan(
                ActionKind::Rebill,
                &[item("FA-1", true, eur(0)), item("FA-2", true, Money::new(5, Currency::CHF))],
                0
            ),
            Err(ActionRejection::MixedCurrencies { .. })
        ));
        assert_eq!(
            plan(ActionKind::Rebill, &[item("FA-1", true, eur(0))], 0),
            Err(ActionRejection::NothingOpen { label: "FA-1".into() })
        );
    }

    #[test]
    fn the_contract_of_a_rebill() {
        let c = |id: i64, active: bool| ContractRef { id, number: format!("K{id}"), active };
        assert_eq!(choose_contract(Some(c(1, true)), None, &[c(1, true)]), ContractChoice::On(c(1, true)));
        assert_eq!(
            choose_contract(Some(c(1, false)), None, &[c(2, true), c(3, true)]),
            ContractChoice::Choose { ended: Some(c(1, false)), active: vec![c(2, true), c(3, true)] }
        );
        assert_eq!(
            choose_contract(Some(c(1, false)), Some(3), &[c(2, true), c(3, true)]),
            ContractChoice::On(c(3, true))
        );
        assert_eq!(choose_contract(Some(c(1, false)), Some(1), &[c(2, true)]), ContractChoice::NotActive { id: 1 });
        assert_eq!(choose_contract(None, None, &[]), ContractChoice::NoneActive { ended: None });
        assert_eq!(
            choose_contract(None, None, &[c(2, true)]),
            ContractChoice::Choose { ended: None, active: vec![c(2, true)] }
        );
    }
}
