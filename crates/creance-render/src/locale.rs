//! Amounts, dates and rates as a reader of one language and country writes them. Pure functions,
//! shared by the PDFs and (later) the web pages.
//!
//! | locale | amount | long date | short date |
//! | --- | --- | --- | --- |
//! | French (France, Belgium, …) | `1 234,56 €` (U+202F groups, U+00A0 before the sign) | `31 décembre 2026` | `31/12/2026` |
//! | German (Germany, Austria, …) | `1.234,56 €` | `31. Dezember 2026` | `31.12.2026` |
//! | English | `€1,234.56` | `31 December 2026` | `31/12/2026` |
//! | Italian | `1.234,56 €` | `31 dicembre 2026` | `31/12/2026` |
//! | any language in Switzerland | `CHF 1'234.56` | the language's | `31.12.2026` |
//!
//! The euro is written `€`; every other currency by its ISO code, where the euro sign would go
//! (`1 234,56 USD`, `USD 1,234.56`, `CHF 1'234.56`). A negative amount takes a `-` before its digits.
//! The number of decimals is the currency's ISO 4217 exponent (JPY 0, TND 3).

use creance_core::{Currency, Date, Decimal, Language, Money};

/// U+00A0, between an amount and its currency sign or code.
pub const NBSP: char = '\u{a0}';
/// U+202F, the French digit-group separator.
pub const NNBSP: char = '\u{202f}';

/// A language and the country whose conventions it follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Locale {
    pub language: Language,
    /// In Switzerland amounts are `CHF 1'234.56` and dates `31.12.2026` whatever the language.
    pub swiss: bool,
}

impl Locale {
    pub const FR: Locale = Locale { language: Language::Fr, swiss: false };
    pub const EN: Locale = Locale { language: Language::En, swiss: false };
    pub const DE: Locale = Locale { language: Language::De, swiss: false };
    pub const IT: Locale = Locale { language: Language::It, swiss: false };

    /// The locale of `language` in the country whose ISO 3166 code is `country` (`"CH"`, `"fr"`).
    pub fn new(language: Language, country: &str) -> Locale {
        Locale { language, swiss: country.trim().eq_ignore_ascii_case("ch") }
    }

    /// (group separator, decimal separator).
    fn separators(self) -> (char, char) {
        if self.swiss {
            return ('\'', '.');
        }
        match self.language {
            Language::Fr => (NNBSP, ','),
            Language::De | Language::It => ('.', ','),
            Language::En => (',', '.'),
        }
    }
}

/// `digits` (ASCII) with `group` every three from the right.
fn grouped(digits: &str, group: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    // The first group holds one to three digits; every later group three.
    let mut i = match digits.len() % 3 {
        0 => 3,
        r => r,
    }
    .min(digits.len());
    out.push_str(&digits[..i]);
    while i < digits.len() {
        out.push(group);
        out.push_str(&digits[i..i + 3]);
        i += 3;
    }
    out
}

/// The absolute value of `minor` units with `exponent` decimals, grouped: `123456, 2` → `1 234,56`.
fn magnitude(minor: i128, exponent: u32, (group, decimal): (char, char)) -> String {
    let digits = minor.unsigned_abs().to_string();
    let exponent = exponent as usize;
    let padded = if digits.len() <= exponent { format!("{digits:0>width$}", width = exponent + 1) } else { digits };
    let (int, frac) = padded.split_at(padded.len() - exponent);
    let mut out = grouped(int, group);
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// An amount of `minor` units of `currency`, without the currency: `1 234,56`, `1,234.56`.
pub fn number(minor: i128, currency: Currency, locale: Locale) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}", magnitude(minor, currency.exponent(), locale.separators()))
}

/// An amount with its currency: `1 234,56 €`, `€1,234.56`, `CHF 1'234.56`, `-1.234,56 €`.
pub fn amount(money: Money, locale: Locale) -> String {
    amount_minor(i128::from(money.minor()), money.currency(), locale)
}

/// [`amount`] for a total held in wider units (`creance_core::MoneyTotal`).
pub fn amount_minor(minor: i128, currency: Currency, locale: Locale) -> String {
    let digits = magnitude(minor, currency.exponent(), locale.separators());
    let sign = if minor < 0 { "-" } else { "" };
    let euro = currency == Currency::EUR;
    if locale.swiss {
        return format!("{}{NBSP}{sign}{digits}", currency.code());
    }
    match locale.language {
        Language::En if euro => format!("{sign}€{digits}"),
        Language::En => format!("{sign}{}{NBSP}{digits}", currency.code()),
        _ if euro => format!("{sign}{digits}{NBSP}€"),
        _ => format!("{sign}{digits}{NBSP}{}", currency.code()),
    }
}

/// The amount of a total, for a list's totals per currency.
pub fn total(total: creance_core::MoneyTotal, locale: Locale) -> String {
    amount_minor(total.minor(), total.currency(), locale)
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// The month's name in the locale's language (`month` 1–12).
pub fn month_name(month: u32, locale: Locale) -> &'static str {
    let months = match locale.language {
        Language::Fr => &MONTHS_FR,
        Language::En => &MONTHS_EN,
        Language::De => &MONTHS_DE,
        Language::It => &MONTHS_IT,
    };
    months[(month.clamp(1, 12) - 1) as usize]
}

/// A date in words: `31 décembre 2026`, `31 December 2026`, `31. Dezember 2026`; `1er` in French.
pub fn date_long(date: Date, locale: Locale) -> String {
    let (y, m, d) = date.ymd();
    let month = month_name(m, locale);
    match locale.language {
        Language::Fr if d == 1 => format!("1er {month} {y}"),
        Language::De => format!("{d}. {month} {y}"),
        _ => format!("{d} {month} {y}"),
    }
}

/// A date in figures: `31/12/2026`, or `31.12.2026` in German and in Switzerland.
pub fn date_short(date: Date, locale: Locale) -> String {
    let (y, m, d) = date.ymd();
    if locale.swiss || locale.language == Language::De {
        format!("{d:02}.{m:02}.{y}")
    } else {
        format!("{d:02}/{m:02}/{y}")
    }
}

/// A rate in percent with the locale's decimal separator and no trailing zeros beyond two decimals:
/// `12,15 %` (U+00A0 before `%` in French and German), `12.15%` in English.
pub fn percent(rate: &Decimal, locale: Locale) -> String {
    let scale = rate.scale().max(2);
    let mantissa = rate.mantissa_at_scale(scale).unwrap_or(rate.mantissa());
    // Rates stay under a thousand percent, so the integer part never takes a group separator.
    let mut digits = magnitude(mantissa, scale, locale.separators());
    // Trailing zeros go: 5,00 → 5; 12,50 → 12,5.
    if digits.contains(locale.separators().1) {
        while digits.ends_with('0') {
            digits.pop();
        }
        if digits.ends_with(locale.separators().1) {
            digits.pop();
        }
    }
    let sign = if rate.is_negative() { "-" } else { "" };
    match locale.language {
        Language::En => format!("{sign}{digits}%"),
        _ => format!("{sign}{digits}{NBSP}%"),
    }
}

#[cfg(test)]
#[path = "locale_tests.rs"]
mod tests;
