//! The documents Créance prints (issue 11, SPEC §4.3, §4.5, §4.6): the use cases that load a
//! letter, an invoice, a deposit or a refund, map it to `creance_render`'s plain data and render it
//! to PDF bytes. The mapping lives here, not in the server: the server only sets headers.
//!
//! By document: `letterhead` (the company's settings and what every page prints), `letter`
//! (a dunning letter, a level's preview, a run's print PDF), `invoice` (the fee and interest
//! invoices a run creates), `slip` (a deposit slip), `refund_letter`.

mod invoice;
pub mod letter;
pub mod letterhead;
mod level_preview;
mod refund_letter;
mod slip;

pub use letter::PrintOrder;
pub use letterhead::{LetterheadInput, LetterheadSettings};

use creance_core::Language;
use creance_render::Locale;

/// A rendered PDF and the file name it is offered under.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub file_name: String,
}

/// The locale of a reader: their language (French, English or German; any other falls back to
/// English) in their country (Switzerland writes amounts and dates its own way).
pub fn reader_locale(language: Language, country: &str) -> Locale {
    let language = match language {
        Language::Fr | Language::En | Language::De => language,
        Language::It => Language::En,
    };
    Locale::new(language, country)
}

/// A letter's texts write their amounts and dates in the reader's locale (`503,16 €`,
/// `9 décembre 2026`; `CHF 1'234.50`, `9. Dezember 2026`): the placeholders `{total_due}`,
/// `{payment_deadline}`, … filled by the core through this.
pub struct ReaderFormat(pub Locale);

impl creance_core::dunning::FactFormat for ReaderFormat {
    fn amount(&self, money: creance_core::Money) -> String {
        creance_render::locale::amount(money, self.0)
    }
    fn date(&self, date: creance_core::Date) -> String {
        creance_render::locale::date_long(date, self.0)
    }
}

/// The format of a letter's texts for a payer who reads `language` (the letter's stored word; an
/// unknown one reads English) in `country`.
pub fn letter_format(language: &str, country: &str) -> ReaderFormat {
    ReaderFormat(reader_locale(Language::parse(language).unwrap_or(Language::En), country))
}

/// A render failure is ours, never the user's.
pub(crate) fn rendered(r: Result<Vec<u8>, creance_render::RenderError>) -> Result<Vec<u8>, crate::AppError> {
    r.map_err(|e| crate::AppError::Internal(anyhow::anyhow!("rendering a document failed: {e}")))
}

/// A customer's name and postal address, one line each, for the envelope window. The country line
/// is left out for a customer in the sender's own country, and otherwise written in capitals in the
/// sender's language, as the postal services ask.
pub(crate) fn postal(
    c: &creance_store::customers::CustomerFields,
    sender: &creance_store::companies::Company,
) -> creance_render::PostalAddress {
    let mut lines = vec![c.name.clone()];
    lines.extend(c.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
    let city = format!("{} {}", c.postal_code, c.city).trim().to_string();
    if !city.is_empty() {
        lines.push(city);
    }
    let country = c.country.trim();
    if !country.is_empty() && !country.eq_ignore_ascii_case(sender.country.trim()) {
        lines.push(country_name(country, sender.language));
    }
    creance_render::PostalAddress { lines }
}

/// A country's name in capitals in `language` (French, English, German), or its ISO code.
fn country_name(code: &str, language: Language) -> String {
    const NAMES: &[(&str, [&str; 3])] = &[
        ("FR", ["FRANCE", "FRANCE", "FRANKREICH"]),
        ("CH", ["SUISSE", "SWITZERLAND", "SCHWEIZ"]),
        ("DE", ["ALLEMAGNE", "GERMANY", "DEUTSCHLAND"]),
        ("AT", ["AUTRICHE", "AUSTRIA", "ÖSTERREICH"]),
        ("BE", ["BELGIQUE", "BELGIUM", "BELGIEN"]),
        ("LU", ["LUXEMBOURG", "LUXEMBOURG", "LUXEMBURG"]),
        ("IT", ["ITALIE", "ITALY", "ITALIEN"]),
        ("ES", ["ESPAGNE", "SPAIN", "SPANIEN"]),
        ("GB", ["ROYAUME-UNI", "UNITED KINGDOM", "VEREINIGTES KÖNIGREICH"]),
        ("NL", ["PAYS-BAS", "NETHERLANDS", "NIEDERLANDE"]),
    ];
    let upper = code.to_ascii_uppercase();
    let column = match language {
        Language::Fr => 0,
        Language::De => 2,
        Language::En | Language::It => 1,
    };
    NAMES.iter().find(|(c, _)| *c == upper).map_or(upper, |(_, names)| names[column].to_string())
}
