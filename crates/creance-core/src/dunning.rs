//! SPEC §4.6 (the rules of a dunning policy that need no storage): when an installment may go to its
//! next level, and what a level's fee is. The proposal, the letters and their storage build on these.

use crate::{Date, Decimal, Money, MoneyError};

/// A level's fee (SPEC §4.6): none, a fixed amount, or a percentage of the overdue amount kept between
/// a minimum and a maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fee {
    None,
    Fixed(Money),
    Percent { percent: Decimal, min: Money, max: Money },
}

impl Fee {
    /// The fee on `overdue` (in the overdue amount's currency; a fixed fee or bounds in another currency
    /// are an error), rounded half away from zero.
    pub fn on(&self, overdue: Money) -> Result<Money, MoneyError> {
        let currency = overdue.currency();
        let same = |m: Money| {
            if m.currency() == currency {
                Ok(m)
            } else {
                Err(MoneyError::CurrencyMismatch { left: currency, right: m.currency() })
            }
        };
        match self {
            Fee::None => Ok(Money::zero(currency)),
            Fee::Fixed(m) => same(*m),
            Fee::Percent { percent, min, max } => {
                let (min, max) = (same(*min)?, same(*max)?);
                let den = 100 * crate::decimal::pow10(percent.scale()).ok_or(MoneyError::Overflow)?;
                let num = i128::from(overdue.minor()).checked_mul(percent.mantissa()).ok_or(MoneyError::Overflow)?;
                let q = num / den;
                let r = num % den;
                let rounded = if 2 * r.abs() >= den { q + num.signum() } else { q };
                let minor = i64::try_from(rounded).map_err(|_| MoneyError::Overflow)?;
                Ok(Money::new(minor.max(min.minor()).min(max.minor().max(min.minor())), currency))
            }
        }
    }
}

/// One level of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// 1, 2, 3, …
    pub number: i64,
    /// Days after the due date (level 1) or after the previous level's date (the others).
    pub delay_days: i64,
    pub fee: Fee,
    /// Late interest is charged with this level.
    pub interest: bool,
    /// The fixed recovery indemnity (40 EUR in France and Germany) is charged with this level.
    pub indemnity: bool,
}

/// The default policy (SPEC §4.6, seed 001): the day after the due date, then 15 days after level 1,
/// then 15 days after level 2; no fee, no interest.
pub fn default_levels() -> Vec<Level> {
    [(1, 1), (2, 15), (3, 15)]
        .into_iter()
        .map(|(number, delay_days)| Level { number, delay_days, fee: Fee::None, interest: false, indemnity: false })
        .collect()
}

/// The level an installment may be dunned at on `as_of`, if any. Levels are never skipped: the next
/// level is `current + 1`, reached `delay_days` after the due date (level 1) or after the date of the
/// current level. `None` when the last level is reached or the delay has not passed.
pub fn next_level(
    levels: &[Level],
    current: i64,
    due_date: Date,
    last_dunned: Option<Date>,
    as_of: Date,
) -> Option<i64> {
    let next = levels.iter().find(|l| l.number == current + 1)?;
    let since = if current == 0 { due_date } else { last_dunned.unwrap_or(due_date) };
    (as_of >= since.add_days(next.delay_days)).then_some(next.number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }
    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn the_default_policy_duns_the_day_after_the_due_date_then_every_15_days() {
        let levels = default_levels();
        let due = d("2026-03-31");
        assert_eq!(next_level(&levels, 0, due, None, d("2026-03-31")), None, "not on the due date");
        assert_eq!(next_level(&levels, 0, due, None, d("2026-04-01")), Some(1));
        assert_eq!(next_level(&levels, 1, due, Some(d("2026-04-01")), d("2026-04-15")), None, "14 days after level 1");
        assert_eq!(next_level(&levels, 1, due, Some(d("2026-04-01")), d("2026-04-16")), Some(2));
        assert_eq!(next_level(&levels, 2, due, Some(d("2026-04-16")), d("2026-05-01")), Some(3));
        assert_eq!(
            next_level(&levels, 3, due, Some(d("2026-05-01")), d("2026-12-31")),
            None,
            "no level after the last"
        );
    }

    #[test]
    fn no_level_is_skipped_however_late() {
        let levels = default_levels();
        assert_eq!(next_level(&levels, 0, d("2025-01-31"), None, d("2026-11-23")), Some(1));
    }

    #[test]
    fn fees_fixed_and_percentage_between_min_and_max() {
        assert_eq!(Fee::None.on(eur(10_000)).unwrap(), eur(0));
        assert_eq!(Fee::Fixed(eur(1_500)).on(eur(10_000)).unwrap(), eur(1_500));
        let pct = Fee::Percent { percent: Decimal::parse("1.5").unwrap(), min: eur(500), max: eur(5_000) };
        assert_eq!(pct.on(eur(100_000)).unwrap(), eur(1_500), "1.5 % of 1000.00");
        assert_eq!(pct.on(eur(10_000)).unwrap(), eur(500), "at least the minimum");
        assert_eq!(pct.on(eur(1_000_000)).unwrap(), eur(5_000), "at most the maximum");
        assert_eq!(
            pct.on(eur(33_367)).unwrap(),
            eur(501),
            "1.5 % of 333.67 = 5.00505 → 5.01 (half away from zero, above the minimum)"
        );
        assert!(Fee::Fixed(Money::new(100, Currency::CHF)).on(eur(100)).is_err());
    }
}
