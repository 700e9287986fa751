use super::*;
use creance_core::Currency::{CHF, EUR, JPY, TND, USD};

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

const FR_CH: Locale = Locale { language: Language::Fr, swiss: true };
const DE_CH: Locale = Locale { language: Language::De, swiss: true };

#[test]
fn amounts_per_locale() {
    let cases: &[(i64, Currency, Locale, &str)] = &[
        (123456, EUR, Locale::FR, "1\u{202f}234,56\u{a0}€"),
        (123456, EUR, Locale::DE, "1.234,56\u{a0}€"),
        (123456, EUR, Locale::EN, "€1,234.56"),
        (123456, EUR, Locale::IT, "1.234,56\u{a0}€"),
        (123456, CHF, FR_CH, "CHF\u{a0}1'234.56"),
        (123456, CHF, DE_CH, "CHF\u{a0}1'234.56"),
        (123456, EUR, FR_CH, "EUR\u{a0}1'234.56"),
        (123456, USD, Locale::FR, "1\u{202f}234,56\u{a0}USD"),
        (123456, USD, Locale::EN, "USD\u{a0}1,234.56"),
        (123456, CHF, Locale::DE, "1.234,56\u{a0}CHF"),
        (-123456, EUR, Locale::FR, "-1\u{202f}234,56\u{a0}€"),
        (-123456, EUR, Locale::EN, "-€1,234.56"),
        (-123456, EUR, Locale::DE, "-1.234,56\u{a0}€"),
        (-123456, CHF, FR_CH, "CHF\u{a0}-1'234.56"),
        (0, EUR, Locale::FR, "0,00\u{a0}€"),
        (5, EUR, Locale::EN, "€0.05"),
        (-5, EUR, Locale::FR, "-0,05\u{a0}€"),
        (100, EUR, Locale::DE, "1,00\u{a0}€"),
        (123456789012, EUR, Locale::FR, "1\u{202f}234\u{202f}567\u{202f}890,12\u{a0}€"),
        (123456789012, EUR, Locale::EN, "€1,234,567,890.12"),
        (1234567, JPY, Locale::FR, "1\u{202f}234\u{202f}567\u{a0}JPY"),
        (1234567, JPY, Locale::EN, "JPY\u{a0}1,234,567"),
        (-999, JPY, Locale::DE, "-999\u{a0}JPY"),
        (1234567, TND, Locale::FR, "1\u{202f}234,567\u{a0}TND"),
        (7, TND, Locale::EN, "TND\u{a0}0.007"),
        (i64::MIN, EUR, Locale::EN, "-€92,233,720,368,547,758.08"),
    ];
    for &(minor, currency, locale, want) in cases {
        assert_eq!(amount(Money::new(minor, currency), locale), want, "{minor} {currency} {locale:?}");
    }
}

#[test]
fn numbers_without_currency() {
    assert_eq!(number(123456, EUR, Locale::FR), "1\u{202f}234,56");
    assert_eq!(number(-123456, EUR, Locale::EN), "-1,234.56");
    assert_eq!(number(123456, CHF, DE_CH), "1'234.56");
    assert_eq!(number(12, JPY, Locale::DE), "12");
    assert_eq!(amount_minor(i128::from(i64::MAX) * 4, EUR, Locale::DE), "368.934.881.474.191.032,28\u{a0}€");
}

#[test]
fn dates_per_locale() {
    let cases: &[(Date, Locale, &str, &str)] = &[
        (d(2026, 12, 31), Locale::FR, "31 décembre 2026", "31/12/2026"),
        (d(2026, 12, 31), Locale::EN, "31 December 2026", "31/12/2026"),
        (d(2026, 12, 31), Locale::DE, "31. Dezember 2026", "31.12.2026"),
        (d(2026, 12, 31), Locale::IT, "31 dicembre 2026", "31/12/2026"),
        (d(2026, 12, 31), FR_CH, "31 décembre 2026", "31.12.2026"),
        (d(2026, 12, 31), DE_CH, "31. Dezember 2026", "31.12.2026"),
        (d(2027, 3, 1), Locale::FR, "1er mars 2027", "01/03/2027"),
        (d(2027, 3, 1), Locale::DE, "1. März 2027", "01.03.2027"),
        (d(2026, 8, 5), Locale::FR, "5 août 2026", "05/08/2026"),
        (d(2026, 2, 9), Locale::EN, "9 February 2026", "09/02/2026"),
    ];
    for &(date, locale, long, short) in cases {
        assert_eq!(date_long(date, locale), long, "{date} {locale:?}");
        assert_eq!(date_short(date, locale), short, "{date} {locale:?}");
    }
}

#[test]
fn every_month_has_a_name_in_every_language() {
    for lang in Language::ALL {
        let locale = Locale { language: *lang, swiss: false };
        let names: std::collections::BTreeSet<_> = (1..=12).map(|m| month_name(m, locale)).collect();
        assert_eq!(names.len(), 12, "{lang:?}");
    }
}

#[test]
fn rates_in_percent() {
    let cases: &[(&str, Locale, &str)] = &[
        ("12.15", Locale::FR, "12,15\u{a0}%"),
        ("12.15", Locale::EN, "12.15%"),
        ("12.15", Locale::DE, "12,15\u{a0}%"),
        ("5", FR_CH, "5\u{a0}%"),
        ("12.5", Locale::FR, "12,5\u{a0}%"),
        ("0.125", Locale::EN, "0.125%"),
        ("-0.5", Locale::EN, "-0.5%"),
        ("8", Locale::EN, "8%"),
    ];
    for &(rate, locale, want) in cases {
        assert_eq!(percent(&Decimal::parse(rate).unwrap(), locale), want, "{rate} {locale:?}");
    }
}

#[test]
fn switzerland_is_read_from_the_country_code() {
    assert!(Locale::new(Language::De, "CH").swiss);
    assert!(Locale::new(Language::Fr, " ch ").swiss);
    assert!(!Locale::new(Language::Fr, "FR").swiss);
    assert!(!Locale::new(Language::En, "").swiss);
}
