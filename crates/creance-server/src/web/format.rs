//! Amounts and dates on the pages, through `creance_render::locale`: a page and a PDF write the same
//! amount the same way (`1 234,56 €` in French, `€1,234.56` in English).

use creance_core::{Date, Language, Money, MoneyTotal};
use creance_render::locale::{self, Locale};

use super::i18n::ui_language;

/// The locale of a user's pages.
pub fn locale_of(lang: Language) -> Locale {
    match ui_language(lang) {
        Language::Fr => Locale::FR,
        _ => Locale::EN,
    }
}

/// An amount with its currency.
pub fn amount(m: Money, lang: Language) -> String {
    locale::amount(m, locale_of(lang))
}

/// A total (wider than one amount) with its currency.
pub fn total(t: MoneyTotal, lang: Language) -> String {
    locale::total(t, locale_of(lang))
}

/// A date as `31/12/2026`.
pub fn date(d: Date, lang: Language) -> String {
    locale::date_short(d, locale_of(lang))
}

/// An optional date; empty when absent.
pub fn opt_date(d: Option<Date>, lang: Language) -> String {
    d.map(|d| date(d, lang)).unwrap_or_default()
}

/// A count with the locale's digit groups (`12 345`, `12,345`).
pub fn count(n: i64, lang: Language) -> String {
    locale::number(i128::from(n), creance_core::Currency::JPY, locale_of(lang))
}
