//! The company's letterhead settings (`GET/PUT /api/v1/settings/letterhead`, the logo by
//! `PUT …/logo`) and what every document prints from them: name and address (the company's),
//! contact lines, registration and VAT number, the bank account, the logo, the envelope window and
//! the signature block (a default one, and one per language when set).

use std::collections::BTreeMap;

use creance_core::{Currency, Language};
use creance_store::audit::{self, AuditEvent};
use creance_store::printing::{self, LOGO_BYTES_MAX};
use creance_store::{companies, settings, Tx};
use serde::{Deserialize, Serialize};

use crate::{Actor, App, AppError, SettingsFault};

/// The letterhead as the API and the CLI show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterheadSettings {
    /// As printed in the footer: `RCS Thonon 812 345 678`, `SIRET …`, `HRB 12345`.
    pub registration: String,
    /// The VAT number alone (`FR12812345678`).
    pub vat_number: String,
    pub phone: String,
    pub email: String,
    pub web: String,
    /// `left` (DIN 5008, Swiss and German envelopes) or `right` (French envelopes).
    pub envelope_window: String,
    /// The signature block, one line each (name, then title): the default, printed on letters in a
    /// language without a signature of its own (and, when empty, the company's name).
    pub signature_lines: Vec<String>,
    /// The signature block of letters in a language (`fr`, `en`, `de`), for the languages that
    /// have one.
    #[schema(example = json!({"de": ["Claire Dupraz", "Leiterin Forderungsmanagement"]}))]
    pub signatures: BTreeMap<String, Vec<String>>,
    /// The bank account printed (footer and where to pay); null: the account in the document's
    /// currency, else the first one.
    pub bank_account_id: Option<i64>,
    /// A letter prints each dunned document's own text under its row (seed 004).
    pub print_item_texts: bool,
    /// Whether a logo is set (`PUT /api/v1/settings/letterhead/logo`).
    pub has_logo: bool,
}

/// What `PUT /api/v1/settings/letterhead` writes (every field; an absent one is emptied).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterheadInput {
    #[serde(default)]
    pub registration: String,
    #[serde(default)]
    pub vat_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub web: String,
    /// `left` or `right` (the default).
    #[serde(default)]
    pub envelope_window: Option<String>,
    /// The default signature block (at most 4 lines of 200 characters).
    #[serde(default)]
    pub signature_lines: Vec<String>,
    /// A signature block per language letters are written in (`fr`, `en`, `de`; the same limits);
    /// a language absent or with no lines prints the default.
    #[serde(default)]
    #[schema(example = json!({"de": ["Claire Dupraz", "Leiterin Forderungsmanagement"]}))]
    pub signatures: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub bank_account_id: Option<i64>,
    /// Print each dunned document's own text under its row on letters (default false).
    #[serde(default)]
    pub print_item_texts: bool,
}

impl From<printing::Letterhead> for LetterheadSettings {
    fn from(h: printing::Letterhead) -> LetterheadSettings {
        let printing::Letterhead {
            registration,
            vat_number,
            phone,
            email,
            web,
            envelope_window,
            signature_lines,
            signatures,
            bank_account_id,
            print_item_texts,
            has_logo,
        } = h;
        LetterheadSettings {
            registration,
            vat_number,
            phone,
            email,
            web,
            envelope_window,
            signature_lines,
            signatures: signatures.into_iter().map(|(l, lines)| (l.code().to_string(), lines)).collect(),
            bank_account_id,
            print_item_texts,
            has_logo,
        }
    }
}

/// The longest text of one letterhead field, and the most signature lines.
const FIELD_CHARS_MAX: usize = 200;
const SIGNATURE_LINES_MAX: usize = 4;

fn checked_text(field: &str, value: &str) -> Result<String, AppError> {
    crate::payments::one_line_text(field, value, FIELD_CHARS_MAX)
}

/// A signature block's lines, checked (at most [`SIGNATURE_LINES_MAX`], each a checked text), empty
/// lines dropped.
fn checked_signature(field: &str, lines: &[String]) -> Result<Vec<String>, AppError> {
    if lines.len() > SIGNATURE_LINES_MAX {
        return Err(AppError::invalid_said(field, SettingsFault::SignatureLines { max: SIGNATURE_LINES_MAX }));
    }
    let mut out = Vec::new();
    for line in lines {
        let line = checked_text(field, line)?;
        if !line.is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

/// The languages documents are written in, so those a signature can be set for (an Italian
/// reader's letter is written in English, see [`super::reader_locale`]).
pub const SIGNATURE_LANGUAGES: [Language; 3] = [Language::Fr, Language::En, Language::De];

/// The signatures per language, keyed by language code, checked; a language without lines is
/// left out (it prints the default).
fn checked_signatures(input: &BTreeMap<String, Vec<String>>) -> Result<Vec<(Language, Vec<String>)>, AppError> {
    let mut out = Vec::new();
    for (key, lines) in input {
        let code = key.trim().to_ascii_lowercase();
        let Some(language) = SIGNATURE_LANGUAGES.iter().copied().find(|l| l.code() == code) else {
            return Err(AppError::invalid_said(
                "signatures",
                SettingsFault::NotALetterLanguage { text: key.to_string() },
            ));
        };
        if out.iter().any(|(l, _)| *l == language) {
            return Err(AppError::invalid_said("signatures", SettingsFault::LanguageTwice { code: code.to_string() }));
        }
        let lines = checked_signature(&format!("signatures.{code}"), lines)?;
        if !lines.is_empty() {
            out.push((language, lines));
        }
    }
    out.sort_by_key(|(l, _)| SIGNATURE_LANGUAGES.iter().position(|a| a == l));
    Ok(out)
}

impl App {
    pub async fn letterhead(&self, company_id: i64) -> Result<LetterheadSettings, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(printing::get(&mut tx, company_id).await?.into())
    }

    pub async fn set_letterhead(
        &self,
        actor: &Actor,
        company_id: i64,
        input: &LetterheadInput,
    ) -> Result<(), AppError> {
        let window = input.envelope_window.as_deref().map(str::trim).unwrap_or("right").to_ascii_lowercase();
        if window != "left" && window != "right" {
            return Err(AppError::invalid_said(
                "envelope_window",
                crate::Fault::NotEither { text: window.to_string(), words: &["left", "right"] },
            ));
        }
        let signature_lines = checked_signature("signature_lines", &input.signature_lines)?;
        let signatures = checked_signatures(&input.signatures)?;
        let h = printing::Letterhead {
            registration: checked_text("registration", &input.registration)?,
            vat_number: checked_text("vat_number", &input.vat_number)?,
            phone: checked_text("phone", &input.phone)?,
            email: checked_text("email", &input.email)?,
            web: checked_text("web", &input.web)?,
            envelope_window: window,
            signature_lines,
            signatures,
            bank_account_id: input.bank_account_id,
            print_item_texts: input.print_item_texts,
            has_logo: false,
        };
        let mut tx = self.db.begin_write(actor.at()).await?;
        if let Some(id) = h.bank_account_id {
            let banks = settings::bank_accounts(&mut tx, company_id).await?;
            if !banks.iter().any(|b| b.id == id) {
                let known: Vec<String> = banks.iter().map(|b| b.id.to_string()).collect();
                return Err(AppError::invalid_said("bank_account_id", SettingsFault::NoBankAccountOf { id, known }));
            }
        }
        printing::set(&mut tx, company_id, &h).await?;
        let event = AuditEvent::new(company_id, actor.as_str(), "settings.letterhead", "company", Some(company_id))
            .summary(format!(
                "letterhead: window {}, bank account {:?}, signatures in {}",
                h.envelope_window,
                h.bank_account_id,
                if h.signatures.is_empty() {
                    "no language (the default)".to_string()
                } else {
                    h.signatures.iter().map(|(l, _)| l.code()).collect::<Vec<_>>().join(", ")
                }
            ));
        audit::record(&mut tx, &event).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// Sets the logo: a JPEG (grey or RGB) of at most 512 KiB.
    pub async fn set_letterhead_logo(&self, actor: &Actor, company_id: i64, jpeg: &[u8]) -> Result<(), AppError> {
        if jpeg.len() > LOGO_BYTES_MAX {
            return Err(AppError::invalid_said(
                "logo",
                SettingsFault::LogoTooLarge { bytes: jpeg.len(), max: LOGO_BYTES_MAX },
            ));
        }
        let Some(image) = creance_render::Jpeg::from_bytes(jpeg.to_vec()) else {
            return Err(AppError::invalid_said("logo", SettingsFault::LogoNotJpeg));
        };
        let mut tx = self.db.begin_write(actor.at()).await?;
        printing::set_logo(&mut tx, company_id, jpeg).await?;
        let event =
            AuditEvent::new(company_id, actor.as_str(), "settings.letterhead_logo", "company", Some(company_id))
                .summary(format!("logo: {} bytes, {}×{} px", jpeg.len(), image.width_px, image.height_px));
        audit::record(&mut tx, &event).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }
}

/// What every page of a company's documents prints, read once per document (or print run).
#[derive(Debug, Clone)]
pub(crate) struct House {
    pub(crate) company: companies::Company,
    head: creance_render::Letterhead,
    banks: Vec<settings::BankAccount>,
    chosen_bank: Option<i64>,
    pub(crate) window: creance_render::Window,
    /// The default signature: the letterhead's, else the company's name.
    signature: Vec<String>,
    /// The signatures of the languages that have one of their own.
    signatures: Vec<(Language, Vec<String>)>,
    /// Letters print each dunned document's own text under its row.
    pub(crate) print_item_texts: bool,
    /// The letterhead's e-mail (the sender of outbox messages when no SMTP server is set).
    pub(crate) email: String,
}

impl House {
    pub(crate) async fn load(tx: &mut Tx, company_id: i64) -> Result<House, AppError> {
        let company = companies::get(tx, company_id).await?.ok_or_else(|| anyhow::anyhow!("company {company_id}"))?;
        let stored = printing::get(tx, company_id).await?;
        let logo = match printing::logo(tx, company_id).await? {
            Some(bytes) => creance_render::Jpeg::from_bytes(bytes),
            None => None,
        };
        let banks = settings::bank_accounts(tx, company_id).await?;
        let contact_lines: Vec<String> =
            [&stored.phone, &stored.email, &stored.web].into_iter().filter(|s| !s.is_empty()).cloned().collect();
        let head = creance_render::Letterhead {
            name: company.name.clone(),
            address_lines: company
                .address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            contact_lines,
            registration: Some(stored.registration.clone()).filter(|s| !s.is_empty()),
            vat: Some(stored.vat_number.clone()).filter(|s| !s.is_empty()),
            bank: None,
            logo,
        };
        let window = match stored.envelope_window.as_str() {
            "left" => creance_render::Window::Left,
            _ => creance_render::Window::Right,
        };
        let signature =
            if stored.signature_lines.is_empty() { vec![company.name.clone()] } else { stored.signature_lines.clone() };
        Ok(House {
            company,
            head,
            banks,
            chosen_bank: stored.bank_account_id,
            window,
            signature,
            signatures: stored.signatures.clone(),
            print_item_texts: stored.print_item_texts,
            email: stored.email.clone(),
        })
    }

    /// The signature block of a document in `language`: its own when the company set one, else the
    /// default.
    pub(crate) fn signature_for(&self, language: Language) -> Vec<String> {
        self.signatures.iter().find(|(l, _)| *l == language).map_or_else(|| self.signature.clone(), |(_, s)| s.clone())
    }

    /// The bank account printed on a document in `currency`: the chosen one when it is in that
    /// currency, else the first account in that currency, else the chosen one, else the first.
    pub(crate) fn bank(&self, currency: Currency) -> Option<creance_render::BankDetails> {
        let chosen = self.chosen_bank.and_then(|id| self.banks.iter().find(|b| b.id == id));
        let b = chosen
            .filter(|b| b.currency == currency)
            .or_else(|| self.banks.iter().find(|b| b.currency == currency))
            .or(chosen)
            .or(self.banks.first())?;
        Some(creance_render::BankDetails { bank_name: b.name.clone(), iban: b.iban.clone(), bic: b.bic.clone() })
    }

    /// The letterhead of a document in `currency` (its footer prints that currency's account).
    pub(crate) fn letterhead(&self, currency: Currency) -> creance_render::Letterhead {
        creance_render::Letterhead { bank: self.bank(currency), ..self.head.clone() }
    }
}
