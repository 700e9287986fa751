//! SPEC §2 (rates are exact decimals): an exact base-10 number for interest rates and percentages.
//!
//! Invariant: a `Decimal` is always normalized (no trailing zero in the mantissa when the scale is
//! positive), so the derived `PartialEq`/`Hash` are numeric (`1.50 == 1.5`); `Ord` is implemented by
//! aligning scales. No floats are involved anywhere.

use crate::money::MoneyError;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Largest scale accepted by [`Decimal::parse`] (digits after the decimal separator).
pub const DECIMAL_SCALE_MAX: u32 = 28;

/// An exact decimal `mantissa × 10^-scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// `10^exp` as an i128, `None` when it does not fit.
pub(crate) fn pow10(exp: u32) -> Option<i128> {
    10_i128.checked_pow(exp)
}

impl Decimal {
    pub const ZERO: Decimal = Decimal { mantissa: 0, scale: 0 };

    /// `mantissa × 10^-scale`, normalized.
    pub fn new(mantissa: i128, scale: u32) -> Decimal {
        let (mut m, mut s) = (mantissa, scale);
        if m == 0 {
            s = 0;
        }
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        Decimal { mantissa: m, scale: s }
    }

    pub fn from_int(value: i64) -> Decimal {
        Decimal::new(i128::from(value), 0)
    }

    /// The normalized mantissa (`12.5` → 125).
    pub fn mantissa(&self) -> i128 {
        self.mantissa
    }

    /// The normalized scale (`12.5` → 1).
    pub fn scale(&self) -> u32 {
        self.scale
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    pub fn is_negative(&self) -> bool {
        self.mantissa < 0
    }

    /// Parses `12.5`, `12,5`, `-0.25`, `+3`, `7.5 %` (a trailing `%` is ignored, the value is not divided).
    pub fn parse(text: &str) -> Result<Decimal, MoneyError> {
        let err = |reason: &'static str| MoneyError::InvalidAmount { text: text.to_string(), reason };
        let mut t = text.trim();
        if let Some(rest) = t.strip_suffix('%') {
            t = rest.trim_end();
        }
        let (negative, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        if body.is_empty() {
            return Err(err("no digits"));
        }
        let (int_part, frac_part) = match body.find(['.', ',']) {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(err("no digits"));
        }
        if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err("only digits, one decimal separator, a sign and a trailing % are accepted"));
        }
        let scale = u32::try_from(frac_part.len()).map_err(|_| err("too many decimals"))?;
        if scale > DECIMAL_SCALE_MAX {
            return Err(err("too many decimals (at most 28)"));
        }
        let mut m: i128 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            m = m
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or_else(|| err("number is too large"))?;
        }
        Ok(Decimal::new(if negative { -m } else { m }, scale))
    }

    /// Both mantissas at the larger scale, `None` on overflow.
    fn aligned(self, other: Decimal) -> Option<(i128, i128, u32)> {
        let s = self.scale.max(other.scale);
        let a = self.mantissa.checked_mul(pow10(s - self.scale)?)?;
        let b = other.mantissa.checked_mul(pow10(s - other.scale)?)?;
        Some((a, b, s))
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let (a, b, s) = self.aligned(other)?;
        Some(Decimal::new(a.checked_add(b)?, s))
    }

    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        let (a, b, s) = self.aligned(other)?;
        Some(Decimal::new(a.checked_sub(b)?, s))
    }

    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        Some(Decimal::new(self.mantissa.checked_mul(other.mantissa)?, self.scale.checked_add(other.scale)?))
    }

    /// The mantissa expressed at `scale` (which must be ≥ the own scale), `None` on overflow or when
    /// `scale` is smaller than the normalized scale (the value would lose digits).
    pub fn mantissa_at_scale(&self, scale: u32) -> Option<i128> {
        self.mantissa.checked_mul(pow10(scale.checked_sub(self.scale)?)?)
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        if let Some((a, b, _)) = self.aligned(*other) {
            return a.cmp(&b);
        }
        // Scaling one side up overflowed, so that side's magnitude exceeds i128::MAX ≥ |other side|:
        // the order is given by the sign of the side with the smaller scale (its mantissa is non-zero).
        if self.scale < other.scale {
            if self.mantissa > 0 {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        } else if other.mantissa > 0 {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int_part, frac_part) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int_part}.{frac_part}")
    }
}

impl FromStr for Decimal {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number written as a string, such as \"12.5\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from_int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal::new(i128::from(v), 0))
            }
            /// A JSON number under serde_json's `arbitrary_precision`: its exact text, parsed as text
            /// (an exponent is refused like any other character that is not a digit).
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Decimal, A::Error> {
                let text = crate::amount_text::number_text_from_map(map)?;
                Decimal::parse(&text).map_err(serde::de::Error::custom)
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_and_display_table() {
        let cases = [
            ("12.5", "12.5", 125, 1),
            ("12,50", "12.5", 125, 1),
            ("-0.25", "-0.25", -25, 2),
            ("+3", "3", 3, 0),
            ("7.5 %", "7.5", 75, 1),
            ("100.00", "100", 100, 0),
            ("0.000", "0", 0, 0),
            (".5", "0.5", 5, 1),
            (" 40% ", "40", 40, 0),
            ("-0.001", "-0.001", -1, 3),
        ];
        for (text, shown, m, s) in cases {
            let d = Decimal::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(d.to_string(), shown, "{text}");
            assert_eq!((d.mantissa(), d.scale()), (m, s), "{text}");
        }
    }

    #[test]
    fn parse_rejects() {
        for text in ["", "-", "%", "1.2.3", "1,2.3", "abc", "1e5", "1 000", "."] {
            assert!(Decimal::parse(text).is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn comparison_is_numeric() {
        let d = |s: &str| Decimal::parse(s).unwrap();
        assert_eq!(d("1.50"), d("1.5"));
        assert!(d("2") > d("1.5"));
        assert!(d("-2") < d("-1.5"));
        assert!(d("0.1") < d("0.11"));
        let huge = Decimal::new(i128::MAX, 0);
        let tiny = Decimal::new(1, 28);
        assert!(huge > tiny);
        assert_eq!(tiny.cmp(&huge), Ordering::Less);
        assert!(Decimal::new(-i128::MAX, 0) < tiny);
    }

    #[test]
    fn arithmetic() {
        let d = |s: &str| Decimal::parse(s).unwrap();
        assert_eq!(d("1.25").checked_add(d("0.75")), Some(d("2")));
        assert_eq!(d("1.25").checked_sub(d("2")), Some(d("-0.75")));
        assert_eq!(d("1.5").checked_mul(d("1.5")), Some(d("2.25")));
        assert_eq!(Decimal::new(i128::MAX, 0).checked_add(Decimal::from_int(1)), None);
        assert_eq!(d("12.5").mantissa_at_scale(3), Some(12500));
        assert_eq!(d("12.5").mantissa_at_scale(0), None);
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(m in -1_000_000_000_000i128..1_000_000_000_000, s in 0u32..12) {
            let d = Decimal::new(m, s);
            prop_assert_eq!(Decimal::parse(&d.to_string()), Ok(d));
        }

        #[test]
        fn order_matches_cross_multiplication(a in -100_000i128..100_000, sa in 0u32..6, b in -100_000i128..100_000, sb in 0u32..6) {
            let (x, y) = (Decimal::new(a, sa), Decimal::new(b, sb));
            let lhs = a * 10i128.pow(sb);
            let rhs = b * 10i128.pow(sa);
            prop_assert_eq!(x.cmp(&y), lhs.cmp(&rhs));
        }
    }
}
