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

/// A render failure is ours, never the user's.
fn rendered(r: Result<Vec<u8>, creance_render::RenderError>) -> Result<Vec<u8>, crate::AppError> {
    r.map_err(|e| crate::AppError::Internal(anyhow::anyhow!("rendering a document failed: {e}")))
}

/// A customer's name and postal address, one line each, for the envelope window.
fn postal(c: &creance_store::customers::CustomerFields) -> creance_render::PostalAddress {
    let mut lines = vec![c.name.clone()];
    lines.extend(c.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
    let city = format!("{} {}", c.postal_code, c.city).trim().to_string();
    if !city.is_empty() {
        lines.push(city);
    }
    if !c.country.trim().is_empty() {
        lines.push(country_name(&c.country));
    }
    creance_render::PostalAddress { lines }
}

/// The country line of an address, in capitals as the postal services ask.
fn country_name(code: &str) -> String {
    match code.trim().to_ascii_uppercase().as_str() {
        "FR" => "FRANCE".into(),
        "CH" => "SUISSE".into(),
        "DE" => "DEUTSCHLAND".into(),
        "BE" => "BELGIQUE".into(),
        "LU" => "LUXEMBOURG".into(),
        "IT" => "ITALIA".into(),
        "AT" => "ÖSTERREICH".into(),
        "GB" => "UNITED KINGDOM".into(),
        other => other.to_string(),
    }
}
