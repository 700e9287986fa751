//! SPEC §2 (money) at the JSON boundary: an amount in a JSON body is a decimal string (`"1234.50"`), or
//! a JSON number only when that number is exact — read from its text, never through a float.
//!
//! [`AmountText`] keeps what the body wrote: a string as it is, a number as its exact digits (the
//! workspace enables serde_json's `arbitrary_precision`, so a number reaches a visitor as a one-entry
//! map holding its text). Judging the text is [`crate::Money::parse_input`]'s job, at the use case
//! that knows the currency and the field's name: an exponent (`1e2`) is refused, more decimals than the
//! currency (`10.10000000000000001` in EUR) are refused, and so is an amount above the input limit
//! (`1234567890123456.78`) — each error naming its field.

use std::fmt;

/// The key under which serde_json (`arbitrary_precision`) hands over a number's text.
pub const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// An amount as a body gave it, not yet judged. Serialized as a string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AmountText(String);

impl AmountText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for AmountText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for AmountText {
    fn from(s: &str) -> AmountText {
        AmountText(s.to_string())
    }
}

impl From<String> for AmountText {
    fn from(s: String) -> AmountText {
        AmountText(s)
    }
}

impl fmt::Display for AmountText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for AmountText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Reads a JSON number's exact text from serde_json's private one-entry map (`arbitrary_precision`).
pub fn number_text_from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<String, A::Error> {
    use serde::de::Error;
    match map.next_key::<String>()? {
        Some(k) if k == JSON_NUMBER_TOKEN => map.next_value::<String>(),
        _ => Err(A::Error::custom("expected a number or a string, not an object")),
    }
}

struct AmountVisitor;

impl<'de> serde::de::Visitor<'de> for AmountVisitor {
    type Value = AmountText;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount as a decimal string such as \"1234.50\" (or an exact JSON number)")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<AmountText, E> {
        Ok(AmountText(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<AmountText, E> {
        Ok(AmountText(v.to_string()))
    }
    /// A binary float is never read as an amount (a format or a caller that turned the number into a
    /// float has already lost its exact text): the answer asks for a decimal string.
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<AmountText, E> {
        Err(E::custom("an amount must be a decimal string or an exact JSON number, not a binary float"))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<AmountText, A::Error> {
        number_text_from_map(map).map(AmountText)
    }
}

impl<'de> serde::Deserialize<'de> for AmountText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, Money};

    fn read(json: &str) -> String {
        serde_json::from_str::<AmountText>(json).unwrap_or_else(|e| panic!("{json}: {e}")).0
    }

    #[test]
    fn strings_and_numbers_keep_their_exact_text() {
        assert_eq!(read(r#""1 234,50""#), "1 234,50");
        assert_eq!(read("1234567890123456.78"), "1234567890123456.78");
        assert_eq!(read("10.10000000000000001"), "10.10000000000000001");
        assert!(read("1e2").starts_with("1e"), "the exponent is kept (serde_json writes it 1e+2)");
        assert_eq!(read("-12"), "-12");
        assert!(serde_json::from_str::<AmountText>("true").is_err());
        assert!(serde_json::from_str::<AmountText>("{\"a\":1}").is_err());
        let v: serde_json::Value = serde_json::from_str("{\"x\": 10.10000000000000001}").unwrap();
        assert_eq!(serde_json::from_value::<AmountText>(v["x"].clone()).unwrap().0, "10.10000000000000001");
    }

    #[test]
    fn only_exact_numbers_within_the_limit_become_amounts() {
        let eur = |json: &str| Money::parse_input(&read(json), Currency::EUR);
        assert_eq!(eur("10.5"), Ok(Money::new(1050, Currency::EUR)));
        assert_eq!(eur("12"), Ok(Money::new(1200, Currency::EUR)));
        assert!(eur("1e2").is_err(), "exponents are refused");
        assert!(matches!(eur("10.10000000000000001"), Err(crate::MoneyError::TooManyDecimals { .. })));
        assert!(matches!(eur("1234567890123456.78"), Err(crate::MoneyError::AboveLimit { .. })));
    }
}
