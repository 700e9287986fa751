//! SPEC §2 (money): an amount is an integer count of its currency's minor unit, never a float.
//!
//! Invariants: amounts of different currencies never mix (every operation checks and fails with
//! [`MoneyError::CurrencyMismatch`]); all arithmetic is checked; rounding only happens in functions that
//! take a [`Rounding`] mode; a split uses the largest-remainder method and its parts sum to the total.
//! Parsing never rounds: more decimals than the currency allows is an error.

use crate::decimal::{pow10, Decimal};
use std::fmt;

pub use crate::currency::Currency;

/// Why a money operation or a money text was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// The two amounts are in different currencies.
    CurrencyMismatch { left: Currency, right: Currency },
    /// The result does not fit in an i64 count of minor units.
    Overflow,
    /// The currency code is not one Créance supports.
    UnknownCurrency { code: String },
    /// The text is not an amount.
    InvalidAmount { text: String, reason: &'static str },
    /// The text has more decimals than the currency's minor unit.
    TooManyDecimals { text: String, currency: Currency, exponent: u32 },
    /// A split was asked with no weights, or only zero weights.
    EmptySplit,
    /// An amount given by a user or a file is above the largest accepted ([`MAX_INPUT_MINOR`], or
    /// the company's lower maximum per document).
    AboveLimit { text: String, max: Money },
}

/// The largest amount, in minor units, that a user or a file may give (10^15: ten trillion euros).
/// Every input path checks it through [`Money::parse_input`] or [`Money::check_input`]; sums of such
/// amounts are computed in i128 ([`MoneyTotal`]) so that no sequence of valid inputs overflows.
pub const MAX_INPUT_MINOR: i64 = 1_000_000_000_000_000;

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::CurrencyMismatch { left, right } => {
                write!(f, "cannot combine an amount in {left} with an amount in {right}")
            }
            MoneyError::Overflow => f.write_str("amount is too large (arithmetic overflow)"),
            MoneyError::UnknownCurrency { code } => {
                write!(f, "{code:?} is not a known currency code (expected one of EUR, CHF, USD, GBP, JPY, TND, CAD, SEK, NOK, DKK, PLN, CZK, XOF, MAD)")
            }
            MoneyError::InvalidAmount { text, reason } => write!(f, "{text:?} is not a valid amount: {reason}"),
            MoneyError::TooManyDecimals { text, currency, exponent } => write!(
                f,
                "{text:?} has more decimals than {currency} allows (at most {exponent}); amounts are never rounded on input"
            ),
            MoneyError::EmptySplit => f.write_str("cannot split an amount over no parts (weights are empty or all zero)"),
            MoneyError::AboveLimit { text, max } => {
                write!(f, "{text:?} is above the largest amount accepted ({max}, in absolute value)")
            }
        }
    }
}

impl std::error::Error for MoneyError {}

/// How a division is rounded to an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// 0.5 → 1, -0.5 → -1 (the SPEC §2 default).
    HalfAwayFromZero,
    /// 0.5 → 0, 1.5 → 2 (banker's rounding).
    HalfEven,
    /// Truncate toward zero.
    Down,
}

/// `numerator / denominator` rounded with `mode`. Panics if `denominator <= 0` (a programmer error).
pub fn round_div(numerator: i128, denominator: i128, mode: Rounding) -> i128 {
    assert!(denominator > 0, "round_div: denominator must be positive, got {denominator}");
    let q = numerator / denominator;
    let r = (numerator % denominator).unsigned_abs();
    let d = denominator.unsigned_abs();
    let away = numerator.signum(); // direction of a round-up in magnitude
                                   // Compare r with d - r rather than 2r with d, which cannot overflow.
    let bump = match mode {
        Rounding::Down => false,
        Rounding::HalfAwayFromZero => r >= d - r,
        Rounding::HalfEven => r > d - r || (r == d - r && q % 2 != 0),
    };
    // A bump needs r > 0, hence denominator ≥ 2 and |q| ≤ |numerator| / 2: `q + away` cannot overflow.
    if bump && r != 0 {
        q + away
    } else {
        q
    }
}

/// An amount in a currency's minor unit (cents for EUR, yen for JPY, millimes for TND).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    pub fn is_positive(&self) -> bool {
        self.minor > 0
    }

    pub fn is_negative(&self) -> bool {
        self.minor < 0
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch { left: self.currency, right: other.currency })
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self.minor.checked_add(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self.minor.checked_sub(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        Ok(Money::new(self.minor.checked_neg().ok_or(MoneyError::Overflow)?, self.currency))
    }

    pub fn checked_abs(self) -> Result<Money, MoneyError> {
        Ok(Money::new(self.minor.checked_abs().ok_or(MoneyError::Overflow)?, self.currency))
    }

    /// Numeric comparison; an error when the currencies differ.
    pub fn checked_cmp(self, other: Money) -> Result<std::cmp::Ordering, MoneyError> {
        self.same_currency(other)?;
        Ok(self.minor.cmp(&other.minor))
    }

    /// The sum of `items`, all in `currency` (zero when empty).
    pub fn checked_sum<I: IntoIterator<Item = Money>>(currency: Currency, items: I) -> Result<Money, MoneyError> {
        items.into_iter().try_fold(Money::zero(currency), Money::checked_add)
    }

    /// The amount in major units with a point decimal and no grouping: `1234.50`, `-0.50`, `1234` (JPY).
    pub fn format_amount(&self) -> String {
        MoneyTotal::from(*self).format_amount()
    }

    /// Parses an amount written in major units. See the module tests for the accepted forms: a sign,
    /// a decimal point or comma, and thousands separators (space, U+00A0, U+202F, `'`, and `.`/`,` when
    /// unambiguous). If both `.` and `,` appear, the last one is the decimal separator; if only one of
    /// them appears once, it is the decimal separator (so `1.000` in EUR is rejected as having too many
    /// decimals rather than silently read as one thousand); if it appears several times it groups thousands.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let err = |reason: &'static str| MoneyError::InvalidAmount { text: text.to_string(), reason };
        let t = text.trim();
        let (negative, body) = if let Some(rest) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
            (true, rest.trim_start())
        } else if let Some(rest) = t.strip_prefix('+') {
            (false, rest.trim_start())
        } else {
            (false, t)
        };
        if body.is_empty() {
            return Err(err("no digits"));
        }
        let dots = body.matches('.').count();
        let commas = body.matches(',').count();
        let (decimal_sep, group_punct) = match (dots, commas) {
            (0, 0) => (None, None),
            (_, 0) => {
                if dots == 1 {
                    (Some('.'), None)
                } else {
                    (None, Some('.'))
                }
            }
            (0, _) => {
                if commas == 1 {
                    (Some(','), None)
                } else {
                    (None, Some(','))
                }
            }
            _ => {
                // Both present: the last one is the decimal separator. Both counts are > 0, so rfind succeeds.
                let last_dot = body.rfind('.').unwrap_or(0);
                let last_comma = body.rfind(',').unwrap_or(0);
                if last_dot > last_comma {
                    (Some('.'), Some(','))
                } else {
                    (Some(','), Some('.'))
                }
            }
        };
        let (int_part, frac_part) = match decimal_sep {
            Some(sep) => {
                let i = body.rfind(sep).unwrap_or(body.len()); // present: it was counted above
                (&body[..i], &body[i + sep.len_utf8()..])
            }
            None => (body, ""),
        };
        if decimal_sep.is_some_and(|sep| int_part.contains(sep)) {
            return Err(err("the decimal separator appears more than once"));
        }
        if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("only digits may follow the decimal separator"));
        }
        let is_group =
            |c: char| matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\'' | '\u{2019}') || Some(c) == group_punct;
        let mut groups = int_part.split(is_group);
        let first = groups.next().unwrap_or("");
        let mut int_digits = String::from(first);
        let mut grouped = false;
        for g in groups {
            grouped = true;
            if g.len() != 3 {
                return Err(err("thousands groups must have exactly 3 digits"));
            }
            int_digits.push_str(g);
        }
        if grouped && (first.is_empty() || first.len() > 3) {
            return Err(err("thousands groups must have exactly 3 digits"));
        }
        if !int_digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                "unexpected character (expected digits, a sign, a decimal separator and thousands separators)",
            ));
        }
        if int_digits.is_empty() && frac_part.is_empty() {
            return Err(err("no digits"));
        }
        let exponent = currency.exponent();
        if frac_part.len() > exponent as usize {
            return Err(MoneyError::TooManyDecimals { text: text.to_string(), currency, exponent });
        }
        let too_large = || err("amount is too large");
        // Accumulate in i128 so that i64::MIN (whose magnitude exceeds i64::MAX) parses.
        let mut minor: i128 = 0;
        for b in int_digits.bytes().chain(frac_part.bytes()) {
            minor = minor.checked_mul(10).and_then(|m| m.checked_add(i128::from(b - b'0'))).ok_or_else(too_large)?;
        }
        // frac_part.len() <= exponent, checked above
        for _ in frac_part.len()..exponent as usize {
            minor = minor.checked_mul(10).ok_or_else(too_large)?;
        }
        let signed = if negative { -minor } else { minor };
        Ok(Money::new(i64::try_from(signed).map_err(|_| too_large())?, currency))
    }
}

impl Money {
    /// [`Money::parse`] for an amount a user or a file gives: also refuses an absolute value above
    /// [`MAX_INPUT_MINOR`].
    pub fn parse_input(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        Money::parse(text, currency).and_then(|m| m.check_input(None).map_err(|e| e.with_text(text)))
    }

    /// Refuses an amount whose absolute value is above [`MAX_INPUT_MINOR`] or above
    /// `document_max_major` (a company's lower maximum per document, in whole major units of the
    /// amount's currency: `1000000` is 1,000,000.00 EUR or 1,000,000 JPY), whichever is lower.
    pub fn check_input(self, document_max_major: Option<i64>) -> Result<Money, MoneyError> {
        let company_max =
            document_max_major.map(|m| m.max(0).checked_mul(self.currency.minor_per_major()).unwrap_or(i64::MAX));
        let max = company_max.map_or(MAX_INPUT_MINOR, |m| m.min(MAX_INPUT_MINOR));
        if self.minor.unsigned_abs() > max.unsigned_abs() {
            return Err(MoneyError::AboveLimit { text: self.format_amount(), max: Money::new(max, self.currency) });
        }
        Ok(self)
    }
}

impl MoneyError {
    /// The same error naming `text` as the user wrote it.
    fn with_text(self, text: &str) -> MoneyError {
        match self {
            MoneyError::AboveLimit { max, .. } => MoneyError::AboveLimit { text: text.to_string(), max },
            other => other,
        }
    }
}

/// A total of many amounts in one currency, in i128 minor units: shown and compared, never stored.
/// `i128` holds the sum of more than 10^20 amounts of [`MAX_INPUT_MINOR`], so totals of lists and
/// ledgers never overflow; [`MoneyTotal::to_money`] converts back when a total must become an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MoneyTotal {
    minor: i128,
    currency: Currency,
}

impl MoneyTotal {
    pub fn new(minor: i128, currency: Currency) -> MoneyTotal {
        MoneyTotal { minor, currency }
    }

    pub fn zero(currency: Currency) -> MoneyTotal {
        MoneyTotal { minor: 0, currency }
    }

    pub fn minor(&self) -> i128 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// Adds an amount of the same currency.
    pub fn checked_add(self, m: Money) -> Result<MoneyTotal, MoneyError> {
        if m.currency != self.currency {
            return Err(MoneyError::CurrencyMismatch { left: self.currency, right: m.currency });
        }
        let minor = self.minor.checked_add(i128::from(m.minor)).ok_or(MoneyError::Overflow)?;
        Ok(MoneyTotal { minor, currency: self.currency })
    }

    /// Adds another total of the same currency.
    pub fn checked_add_total(self, t: MoneyTotal) -> Result<MoneyTotal, MoneyError> {
        if t.currency != self.currency {
            return Err(MoneyError::CurrencyMismatch { left: self.currency, right: t.currency });
        }
        let minor = self.minor.checked_add(t.minor).ok_or(MoneyError::Overflow)?;
        Ok(MoneyTotal { minor, currency: self.currency })
    }

    /// The sum of `items`, all in `currency` (zero when empty).
    pub fn sum<I: IntoIterator<Item = Money>>(currency: Currency, items: I) -> Result<MoneyTotal, MoneyError> {
        items.into_iter().try_fold(MoneyTotal::zero(currency), MoneyTotal::checked_add)
    }

    /// The total as an amount, or [`MoneyError::Overflow`] when it does not fit in an i64.
    pub fn to_money(self) -> Result<Money, MoneyError> {
        Ok(Money::new(i64::try_from(self.minor).map_err(|_| MoneyError::Overflow)?, self.currency))
    }

    /// Major units with a point decimal, like [`Money::format_amount`]: `20000000000000000.00`.
    pub fn format_amount(&self) -> String {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            return format!("{sign}{abs}");
        }
        let unit = 10_u128.pow(exp);
        format!("{sign}{}.{:0width$}", abs / unit, abs % unit, width = exp as usize)
    }
}

impl From<Money> for MoneyTotal {
    fn from(m: Money) -> MoneyTotal {
        MoneyTotal { minor: i128::from(m.minor), currency: m.currency }
    }
}

impl fmt::Display for MoneyTotal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.format_amount(), self.currency)
    }
}

impl serde::Serialize for MoneyTotal {
    /// `{"amount":"20000000000000000.00","currency":"EUR"}`, the same shape as [`Money`].
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Money", 2)?;
        s.serialize_field("amount", &self.format_amount())?;
        s.serialize_field("currency", &self.currency)?;
        s.end()
    }
}

impl fmt::Display for Money {
    /// `1234.50 EUR`, `1234 JPY`, `12.345 TND`: plain, for logs and messages (locale formatting is render's).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.format_amount(), self.currency)
    }
}

/// Splits `total` in proportion to `weights` by the largest-remainder method: every part gets the
/// truncated exact share, then the minor units left over go one each to the parts with the largest
/// remainders (ties to the earlier part). Works the same (mirrored) for negative totals. The parts sum
/// exactly to `total`; a zero weight always gets zero.
pub fn split_largest_remainder(total: Money, weights: &[u64]) -> Result<Vec<Money>, MoneyError> {
    let weight_sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if weight_sum == 0 {
        return Err(MoneyError::EmptySplit);
    }
    let magnitude = u128::from(total.minor.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        // magnitude ≤ 2^63 and w < 2^64, so the product is < 2^127 and fits in u128.
        let exact = magnitude * u128::from(w);
        parts.push(exact / weight_sum);
        remainders.push((exact % weight_sum, i));
    }
    let given: u128 = parts.iter().sum();
    let leftover = magnitude - given; // < weights.len(), since each truncation loses less than one unit
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(usize::try_from(leftover).unwrap_or(usize::MAX)) {
        parts[i] += 1;
    }
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        // p ≤ magnitude ≤ |i64::MIN|; negate in i128 so i64::MIN totals work.
        let signed = if total.minor < 0 { -(p as i128) } else { p as i128 };
        out.push(Money::new(i64::try_from(signed).map_err(|_| MoneyError::Overflow)?, total.currency));
    }
    let sum: i128 = out.iter().map(|m| i128::from(m.minor)).sum();
    assert_eq!(sum, i128::from(total.minor), "split_largest_remainder: parts must sum to the total");
    Ok(out)
}

/// `amount × rate / 100`, rounded to the minor unit with `mode` (e.g. 7.5 % of 200.00 EUR = 15.00 EUR).
pub fn percent_of(amount: Money, rate: &Decimal, mode: Rounding) -> Result<Money, MoneyError> {
    let numerator = i128::from(amount.minor).checked_mul(rate.mantissa()).ok_or(MoneyError::Overflow)?;
    let denominator = pow10(rate.scale()).and_then(|p| p.checked_mul(100)).ok_or(MoneyError::Overflow)?;
    let minor = round_div(numerator, denominator, mode);
    Ok(Money::new(i64::try_from(minor).map_err(|_| MoneyError::Overflow)?, amount.currency))
}

impl serde::Serialize for Money {
    /// `{"amount":"1234.50","currency":"EUR"}`: the amount as a string so no JSON client reads it as a float.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Money", 2)?;
        s.serialize_field("amount", &self.format_amount())?;
        s.serialize_field("currency", &self.currency)?;
        s.end()
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Repr {
            amount: String,
            currency: Currency,
        }
        let r = Repr::deserialize(deserializer)?;
        Money::parse(&r.amount, r.currency).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[path = "money_tests.rs"]
mod tests;
