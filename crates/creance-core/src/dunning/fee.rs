//! SPEC §4.6: a level's fee — none, a fixed amount, or a percentage of the overdue amount kept between
//! a minimum and a maximum. The fee base leaves out fee and interest invoices (the caller's query does);
//! this module only says what the rule gives on a base.

use crate::{Decimal, Money, MoneyError};

/// How a level's fee is stored and written (`none`, `fixed`, `percent`): the kind alone, without its
/// amounts. Parsed once where the row is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    None,
    Fixed,
    Percent,
}

impl FeeKind {
    pub const ALL: [FeeKind; 3] = [FeeKind::None, FeeKind::Fixed, FeeKind::Percent];

    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::None => "none",
            FeeKind::Fixed => "fixed",
            FeeKind::Percent => "percent",
        }
    }

    pub fn parse(s: &str) -> Option<FeeKind> {
        FeeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for FeeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level's fee rule with its amounts (SPEC §4.6): none, a fixed amount, or a percentage of the
/// overdue amount kept between a minimum and a maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeeRule {
    None,
    Fixed(Money),
    Percent { percent: Decimal, min: Money, max: Money },
}

/// The former name of [`FeeRule`].
pub type Fee = FeeRule;

impl FeeRule {
    pub fn kind(&self) -> FeeKind {
        match self {
            FeeRule::None => FeeKind::None,
            FeeRule::Fixed(_) => FeeKind::Fixed,
            FeeRule::Percent { .. } => FeeKind::Percent,
        }
    }

    /// The fee on `overdue` (in the overdue amount's currency; a fixed fee or bounds in another currency
    /// are an error), rounded half away from zero. A maximum below the minimum counts as the minimum.
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
            FeeRule::None => Ok(Money::zero(currency)),
            FeeRule::Fixed(m) => same(*m),
            FeeRule::Percent { percent, min, max } => {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn fees_fixed_and_percentage_between_min_and_max() {
        assert_eq!(FeeRule::None.on(eur(10_000)).unwrap(), eur(0));
        assert_eq!(FeeRule::Fixed(eur(1_500)).on(eur(10_000)).unwrap(), eur(1_500));
        let pct = FeeRule::Percent { percent: Decimal::parse("1.5").unwrap(), min: eur(500), max: eur(5_000) };
        assert_eq!(pct.on(eur(100_000)).unwrap(), eur(1_500), "1.5 % of 1000.00");
        assert_eq!(pct.on(eur(10_000)).unwrap(), eur(500), "at least the minimum");
        assert_eq!(pct.on(eur(1_000_000)).unwrap(), eur(5_000), "at most the maximum");
        assert_eq!(
            pct.on(eur(33_367)).unwrap(),
            eur(501),
            "1.5 % of 333.67 = 5.00505 → 5.01 (half away from zero, above the minimum)"
        );
        assert!(FeeRule::Fixed(Money::new(100, Currency::CHF)).on(eur(100)).is_err());
    }

    #[test]
    fn fee_kinds_read_back_what_they_write() {
        for k in FeeKind::ALL {
            assert_eq!(FeeKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
        }
        assert_eq!(FeeKind::parse("flat"), None);
    }

    proptest! {
        /// A percentage fee stays within its minimum and maximum (a maximum under the minimum is the
        /// minimum), whatever the base.
        #[test]
        fn a_fee_stays_within_its_minimum_and_maximum(
            base in 0i64..1_000_000_000_000,
            mantissa in 0i128..100_000,
            scale in 0u32..4,
            min in 0i64..1_000_000,
            max in 0i64..10_000_000,
        ) {
            let rule = FeeRule::Percent { percent: Decimal::new(mantissa, scale), min: eur(min), max: eur(max) };
            let fee = rule.on(eur(base)).unwrap().minor();
            prop_assert!(fee >= min);
            prop_assert!(fee <= max.max(min));
        }
    }
}
