//! Tests for SPEC §2 money: parsing, formatting, arithmetic, rounding, splits.

use super::*;
use proptest::prelude::*;

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

#[test]
fn parse_accepts_table() {
    use Currency::*;
    let cases: &[(&str, Currency, i64)] = &[
        ("1234.5", EUR, 123_450),
        ("1234,50", EUR, 123_450),
        ("-12.30", EUR, -1_230),
        ("+5", EUR, 500),
        ("0", EUR, 0),
        ("-0.5", EUR, -50),
        (",50", EUR, 50),
        ("1 234,56", EUR, 123_456),
        ("1\u{202F}234,56", EUR, 123_456),
        ("1\u{00A0}234\u{00A0}567,8", EUR, 123_456_780),
        ("1'234.55", CHF, 123_455),
        ("1.234,56", EUR, 123_456),
        ("1,234.56", USD, 123_456),
        ("1.234.567", EUR, 123_456_700),
        ("1,234,567", USD, 123_456_700),
        ("1.234.567,89", EUR, 123_456_789),
        ("  42  ", EUR, 4_200),
        ("- 3", EUR, -300),
        ("1234", JPY, 1_234),
        ("1.234.567", JPY, 1_234_567),
        ("12.345", TND, 12_345),
        ("12,3", TND, 12_300),
        ("92233720368547758.07", EUR, i64::MAX),
        ("-92233720368547758.08", EUR, i64::MIN),
    ];
    for &(text, cur, minor) in cases {
        assert_eq!(Money::parse(text, cur), Ok(Money::new(minor, cur)), "{text:?} in {cur}");
    }
}

#[test]
fn parse_rejects_table() {
    use Currency::*;
    let invalid: &[(&str, Currency)] = &[
        ("", EUR),
        ("-", EUR),
        ("abc", EUR),
        ("12.50 EUR", EUR),
        ("1 23", EUR),
        ("1234 567", EUR),
        ("1.23.4", EUR),
        ("1.234,56,7", EUR),
        ("1,2.3.4", EUR),
        ("--5", EUR),
        ("1e3", EUR),
        ("92233720368547758.08", EUR),
        ("12,3 4", EUR),
    ];
    for &(text, cur) in invalid {
        match Money::parse(text, cur) {
            Err(MoneyError::InvalidAmount { text: t, .. }) => assert_eq!(t, text),
            other => panic!("{text:?}: expected InvalidAmount, got {other:?}"),
        }
    }
    let too_precise: &[(&str, Currency)] =
        &[("1.005", EUR), ("1.000", EUR), ("1,5", JPY), ("1.2345", TND), ("0.001", CHF)];
    for &(text, cur) in too_precise {
        assert_eq!(
            Money::parse(text, cur),
            Err(MoneyError::TooManyDecimals { text: text.into(), currency: cur, exponent: cur.exponent() }),
            "{text:?}"
        );
    }
}

#[test]
fn display_and_format_amount() {
    let cases = [
        (Money::new(123_450, Currency::EUR), "1234.50 EUR", "1234.50"),
        (Money::new(-50, Currency::EUR), "-0.50 EUR", "-0.50"),
        (Money::new(1234, Currency::JPY), "1234 JPY", "1234"),
        (Money::new(12_345, Currency::TND), "12.345 TND", "12.345"),
        (Money::new(-5, Currency::TND), "-0.005 TND", "-0.005"),
        (Money::new(i64::MIN, Currency::EUR), "-92233720368547758.08 EUR", "-92233720368547758.08"),
        (Money::zero(Currency::CHF), "0.00 CHF", "0.00"),
    ];
    for (m, shown, amount) in cases {
        assert_eq!(m.to_string(), shown);
        assert_eq!(m.format_amount(), amount);
    }
}

#[test]
fn arithmetic_checks_currency_and_overflow() {
    assert_eq!(eur(150).checked_add(eur(50)), Ok(eur(200)));
    assert_eq!(eur(150).checked_sub(eur(200)), Ok(eur(-50)));
    assert_eq!(eur(150).checked_neg(), Ok(eur(-150)));
    let chf = Money::new(1, Currency::CHF);
    assert_eq!(
        eur(1).checked_add(chf),
        Err(MoneyError::CurrencyMismatch { left: Currency::EUR, right: Currency::CHF })
    );
    assert_eq!(
        eur(1).checked_sub(chf),
        Err(MoneyError::CurrencyMismatch { left: Currency::EUR, right: Currency::CHF })
    );
    assert_eq!(eur(i64::MAX).checked_add(eur(1)), Err(MoneyError::Overflow));
    assert_eq!(eur(i64::MIN).checked_sub(eur(1)), Err(MoneyError::Overflow));
    assert_eq!(eur(i64::MIN).checked_neg(), Err(MoneyError::Overflow));
    assert_eq!(Money::checked_sum(Currency::EUR, [eur(1), eur(2), eur(3)]), Ok(eur(6)));
    assert!(eur(1).is_positive() && eur(-1).is_negative() && eur(0).is_zero());
    assert!(MoneyError::CurrencyMismatch { left: Currency::EUR, right: Currency::CHF }.to_string().contains("CHF"));
}

#[test]
fn round_div_table() {
    use Rounding::*;
    let cases = [
        (5, 2, HalfAwayFromZero, 3),
        (-5, 2, HalfAwayFromZero, -3),
        (5, 2, HalfEven, 2),
        (7, 2, HalfEven, 4),
        (-5, 2, HalfEven, -2),
        (-7, 2, HalfEven, -4),
        (5, 2, Down, 2),
        (-5, 2, Down, -2),
        (14, 10, HalfAwayFromZero, 1),
        (16, 10, HalfEven, 2),
        (-16, 10, Down, -1),
        (0, 3, HalfAwayFromZero, 0),
        (9, 1, HalfEven, 9),
        (i128::MAX, i128::MAX, HalfEven, 1),
        (i128::MIN, 2, HalfAwayFromZero, i128::MIN / 2),
    ];
    for (n, d, mode, want) in cases {
        assert_eq!(round_div(n, d, mode), want, "{n}/{d} {mode:?}");
    }
}

#[test]
#[should_panic(expected = "denominator must be positive")]
fn round_div_rejects_zero_denominator() {
    round_div(1, 0, Rounding::Down);
}

#[test]
fn percent_of_table() {
    let d = |s: &str| Decimal::parse(s).unwrap();
    assert_eq!(percent_of(eur(20_000), &d("7.5"), Rounding::HalfAwayFromZero), Ok(eur(1_500)));
    assert_eq!(percent_of(eur(1), &d("50"), Rounding::HalfAwayFromZero), Ok(eur(1)));
    assert_eq!(percent_of(eur(1), &d("50"), Rounding::HalfEven), Ok(eur(0)));
    assert_eq!(percent_of(eur(-1), &d("50"), Rounding::HalfAwayFromZero), Ok(eur(-1)));
    assert_eq!(percent_of(eur(999), &d("10"), Rounding::Down), Ok(eur(99)));
    assert_eq!(percent_of(eur(i64::MAX), &d("200"), Rounding::Down), Err(MoneyError::Overflow));
}

#[test]
fn split_table() {
    let s = |total: i64, w: &[u64]| {
        split_largest_remainder(eur(total), w).unwrap().iter().map(|m| m.minor()).collect::<Vec<_>>()
    };
    assert_eq!(s(10_000, &[1, 1, 1]), vec![3_334, 3_333, 3_333]);
    assert_eq!(s(-10_000, &[1, 1, 1]), vec![-3_334, -3_333, -3_333]);
    assert_eq!(s(2, &[1, 1, 1]), vec![1, 1, 0]);
    assert_eq!(s(100, &[0, 1, 0]), vec![0, 100, 0]);
    assert_eq!(s(10, &[1, 2]), vec![3, 7]);
    assert_eq!(s(i64::MIN, &[1, 1]), vec![i64::MIN / 2, i64::MIN / 2]);
    assert_eq!(s(i64::MAX, &[u64::MAX, u64::MAX]), vec![i64::MAX / 2 + 1, i64::MAX / 2]);
    assert_eq!(split_largest_remainder(eur(1), &[]), Err(MoneyError::EmptySplit));
    assert_eq!(split_largest_remainder(eur(1), &[0, 0]), Err(MoneyError::EmptySplit));
}

#[test]
fn serde_shape() {
    let m = Money::new(123_450, Currency::EUR);
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(json, r#"{"amount":"1234.50","currency":"EUR"}"#);
    assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
    assert_eq!(
        serde_json::from_str::<Money>(r#"{"amount":"1","currency":"JPY"}"#).unwrap(),
        Money::new(1, Currency::JPY)
    );
    assert!(serde_json::from_str::<Money>(r#"{"amount":"1.001","currency":"EUR"}"#).is_err());
    assert!(serde_json::from_str::<Money>(r#"{"amount":"1","currency":"XYZ"}"#).is_err());
    assert_eq!(serde_json::to_string(&Currency::CHF).unwrap(), r#""CHF""#);
}

fn any_currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(Currency::ALL)
}

#[test]
fn input_limit_is_10_to_the_15_minor_units_and_a_company_maximum_is_lower() {
    assert_eq!(Money::parse_input("10000000000000.00", Currency::EUR), Ok(eur(MAX_INPUT_MINOR)));
    assert_eq!(Money::parse_input("-10000000000000.00", Currency::EUR), Ok(eur(-MAX_INPUT_MINOR)));
    let e = Money::parse_input("10000000000000.01", Currency::EUR).unwrap_err();
    assert_eq!(e, MoneyError::AboveLimit { text: "10000000000000.01".into(), max: eur(MAX_INPUT_MINOR) });
    assert!(e.to_string().contains("10000000000000.00 EUR"), "{e}");
    assert!(Money::parse_input("1000000000000001", Currency::JPY).is_err());
    assert_eq!(eur(100_000_000).check_input(Some(1_000_000)), Ok(eur(100_000_000)));
    assert!(eur(100_000_001).check_input(Some(1_000_000)).is_err());
    assert!(Money::new(1_000_001, Currency::JPY).check_input(Some(1_000_000)).is_err());
    // A company maximum above the global limit does not raise it.
    assert!(eur(MAX_INPUT_MINOR + 1).check_input(Some(i64::MAX)).is_err());
}

#[test]
fn totals_are_exact_beyond_i64_and_format_like_money() {
    let t = MoneyTotal::sum(Currency::EUR, std::iter::repeat_n(eur(MAX_INPUT_MINOR), 10_000)).unwrap();
    assert_eq!(t.minor(), 10_000 * i128::from(MAX_INPUT_MINOR));
    assert_eq!(t.format_amount(), "100000000000000000.00");
    assert_eq!(t.to_money(), Err(MoneyError::Overflow));
    let neg = MoneyTotal::new(-5, Currency::TND);
    assert_eq!(neg.to_string(), "-0.005 TND");
    assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"amount":"100000000000000000.00","currency":"EUR"}"#);
    assert!(t.checked_add(Money::new(1, Currency::CHF)).is_err());
}

proptest! {
    #[test]
    fn add_is_associative_and_sub_inverts(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000_000_000i64..1_000_000_000_000, c in -1_000_000_000_000i64..1_000_000_000_000, cur in any_currency()) {
        let (a, b, c) = (Money::new(a, cur), Money::new(b, cur), Money::new(c, cur));
        prop_assert_eq!(a.checked_add(b)?.checked_add(c)?, a.checked_add(b.checked_add(c)?)?);
        prop_assert_eq!(a.checked_add(b)?.checked_sub(b)?, a);
    }

    #[test]
    fn mixing_currencies_is_an_error(a in any::<i64>(), b in any::<i64>(), x in any_currency(), y in any_currency()) {
        prop_assume!(x != y);
        let e = MoneyError::CurrencyMismatch { left: x, right: y };
        prop_assert_eq!(Money::new(a, x).checked_add(Money::new(b, y)), Err(e.clone()));
        prop_assert_eq!(Money::new(a, x).checked_sub(Money::new(b, y)), Err(e));
    }

    #[test]
    fn split_sums_to_total(total in any::<i64>(), weights in prop::collection::vec(0u64..1_000_000, 1..12)) {
        prop_assume!(weights.iter().any(|&w| w > 0));
        let parts = split_largest_remainder(eur(total), &weights)?;
        prop_assert_eq!(parts.len(), weights.len());
        let sum: i128 = parts.iter().map(|m| i128::from(m.minor())).sum();
        prop_assert_eq!(sum, i128::from(total));
        let wsum: u64 = weights.iter().sum();
        for (p, &w) in parts.iter().zip(&weights) {
            // each part is within one minor unit of its exact share
            let exact_num = i128::from(total) * i128::from(w);
            let lo = exact_num.div_euclid(i128::from(wsum));
            let p = i128::from(p.minor());
            prop_assert!(p >= lo - 1 && p <= lo + 1, "part {} exact {}/{}", p, exact_num, wsum);
            if w == 0 { prop_assert_eq!(p, 0); }
            prop_assert!(p == 0 || (p > 0) == (total > 0));
        }
    }

    #[test]
    fn display_parse_round_trip(minor in any::<i64>(), cur in any_currency()) {
        let m = Money::new(minor, cur);
        prop_assert_eq!(Money::parse(&m.format_amount(), cur), Ok(m));
        let with_comma = m.format_amount().replace('.', ",");
        prop_assert_eq!(Money::parse(&with_comma, cur), Ok(m));
        let json = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
    }
}
