//! SPEC §2 (money): the currencies Créance knows and their ISO 4217 minor-unit exponents.
//!
//! Invariant: `Currency::exponent()` is the single source of truth for how many minor units a major unit
//! has; nothing else in the code base hard-codes "2 decimals".

use crate::money::MoneyError;
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency. Serialized as its three-letter code (`"EUR"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Currency {
    EUR,
    CHF,
    USD,
    GBP,
    JPY,
    TND,
    CAD,
    SEK,
    NOK,
    DKK,
    PLN,
    CZK,
    XOF,
    MAD,
}

impl Currency {
    /// Every supported currency, in declaration order.
    pub const ALL: &'static [Currency] = &[
        Currency::EUR,
        Currency::CHF,
        Currency::USD,
        Currency::GBP,
        Currency::JPY,
        Currency::TND,
        Currency::CAD,
        Currency::SEK,
        Currency::NOK,
        Currency::DKK,
        Currency::PLN,
        Currency::CZK,
        Currency::XOF,
        Currency::MAD,
    ];

    /// The ISO 4217 three-letter code, upper case.
    pub fn code(self) -> &'static str {
        match self {
            Currency::EUR => "EUR",
            Currency::CHF => "CHF",
            Currency::USD => "USD",
            Currency::GBP => "GBP",
            Currency::JPY => "JPY",
            Currency::TND => "TND",
            Currency::CAD => "CAD",
            Currency::SEK => "SEK",
            Currency::NOK => "NOK",
            Currency::DKK => "DKK",
            Currency::PLN => "PLN",
            Currency::CZK => "CZK",
            Currency::XOF => "XOF",
            Currency::MAD => "MAD",
        }
    }

    /// Number of decimal digits of the minor unit (ISO 4217): JPY 0, XOF 0, TND 3, all others 2.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::JPY | Currency::XOF => 0,
            Currency::TND => 3,
            _ => 2,
        }
    }

    /// `10^exponent`: how many minor units make one major unit.
    pub fn minor_per_major(self) -> i64 {
        10_i64.pow(self.exponent()) // exponent ≤ 3: cannot overflow
    }

    /// Parses a code, ignoring case and surrounding white space (`" eur "` → EUR).
    pub fn parse(s: &str) -> Result<Currency, MoneyError> {
        let t = s.trim();
        Currency::ALL
            .iter()
            .copied()
            .find(|c| c.code().eq_ignore_ascii_case(t))
            .ok_or_else(|| MoneyError::UnknownCurrency { code: s.to_string() })
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_exponents() {
        for &c in Currency::ALL {
            assert_eq!(Currency::parse(c.code()), Ok(c));
            assert_eq!(Currency::parse(&format!(" {} ", c.code().to_lowercase())), Ok(c));
            assert_eq!(c.to_string(), c.code());
            assert_eq!(c.code().parse::<Currency>(), Ok(c));
        }
        let cases =
            [(Currency::EUR, 2), (Currency::CHF, 2), (Currency::JPY, 0), (Currency::TND, 3), (Currency::XOF, 0)];
        for (c, e) in cases {
            assert_eq!(c.exponent(), e, "{c}");
        }
        assert_eq!(Currency::TND.minor_per_major(), 1000);
    }

    #[test]
    fn unknown_code_is_named() {
        let e = Currency::parse("XYZ").unwrap_err();
        assert_eq!(e, MoneyError::UnknownCurrency { code: "XYZ".into() });
        assert!(e.to_string().contains("XYZ"));
    }
}
