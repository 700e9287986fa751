//! A company's money settings (SPEC §3): bank accounts, payment methods, account codes and the
//! switches of §4.5. Admin actions, each audited.

use creance_core::Currency;
use creance_store::audit::{self, AuditEvent};
use creance_store::settings::{self, NewBankAccount};
use serde::Deserialize;

use crate::views::settings::{AccountCodes, BankAccount, MoneySettings, PaymentMethod};
use crate::{Actor, App, AppError, Code, Fault, SettingsFault};

/// Why a settings change is refused because of what exists (bad fields are `AppError::Invalid`
/// naming the field), in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsRejection {
    /// `name`: the company has a bank account with this name; names are unique per company.
    BankAccountNameTaken { name: String },
}

impl std::fmt::Display for SettingsRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsRejection::BankAccountNameTaken { name } => {
                write!(f, "a bank account named {name:?} already exists")
            }
        }
    }
}

impl From<SettingsRejection> for AppError {
    fn from(r: SettingsRejection) -> AppError {
        let code = match r {
            SettingsRejection::BankAccountNameTaken { .. } => Code::Duplicate,
        };
        AppError::rejected_said(code, r)
    }
}

/// Refuses texts longer than their field takes (`creance_core::text_limits`), naming the field.
fn lengths(fields: &[(&str, &str)]) -> Result<(), AppError> {
    for (field, value) in fields {
        creance_core::text_limits::check_text_length(field, value)
            .map_err(|e| AppError::invalid_said(*field, Fault::TooLong(e)))?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBank {
    pub name: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub bic: String,
    /// The journal its entries go to; `BQ` when absent.
    pub journal_code: Option<String>,
    /// Its general-ledger account; the company's bank account code (512000) when absent.
    pub account_code: Option<String>,
    /// The company's base currency when absent.
    pub currency: Option<String>,
}

/// An IBAN is checked by its mod-97 checksum (ISO 13616) after removing spaces.
fn iban_ok(iban: &str) -> bool {
    let s: String = iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if s.len() < 15 || s.len() > 34 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let digits = if c.is_ascii_digit() { c.to_string() } else { (c as u32 - 'A' as u32 + 10).to_string() };
        for d in digits.chars() {
            rem = (rem * 10 + d.to_digit(10).unwrap_or(0)) % 97;
        }
    }
    rem == 1
}

impl App {
    pub async fn bank_accounts(&self, company_id: i64) -> Result<Vec<BankAccount>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(settings::bank_accounts(&mut tx, company_id).await?.into_iter().map(Into::into).collect())
    }

    pub async fn add_bank_account(&self, actor: &Actor, company_id: i64, b: &NewBank) -> Result<BankAccount, AppError> {
        self.write_bank_account(actor, company_id, None, b).await
    }

    /// Edits a bank account: its name, IBAN, BIC, journal and account, checked as when it was added
    /// (its currency stays: payments in that currency may already be deposited there; a `currency`
    /// given is ignored). 404 for an account of another company.
    pub async fn update_bank_account(
        &self,
        actor: &Actor,
        company_id: i64,
        id: i64,
        b: &NewBank,
    ) -> Result<BankAccount, AppError> {
        self.write_bank_account(actor, company_id, Some(id), b).await
    }

    async fn write_bank_account(
        &self,
        actor: &Actor,
        company_id: i64,
        id: Option<i64>,
        b: &NewBank,
    ) -> Result<BankAccount, AppError> {
        let name = b.name.trim();
        lengths(&[
            ("name", &b.name),
            ("iban", &b.iban),
            ("bic", &b.bic),
            ("journal_code", b.journal_code.as_deref().unwrap_or("")),
            ("account_code", b.account_code.as_deref().unwrap_or("")),
        ])?;
        if name.is_empty() {
            return Err(AppError::invalid_said("name", SettingsFault::BankNameMissing));
        }
        if !b.iban.trim().is_empty() && !iban_ok(&b.iban) {
            return Err(AppError::invalid_said("iban", SettingsFault::NotAnIban { text: b.iban.clone() }));
        }
        let mut tx = self.db.begin_write(actor.at()).await?;
        let company = creance_store::companies::get(&mut tx, company_id)
            .await?
            .ok_or(AppError::NotFound { entity: "company", key: company_id.to_string() })?;
        let existing = settings::bank_accounts(&mut tx, company_id).await?;
        let current = match id {
            Some(id) => Some(
                existing
                    .iter()
                    .find(|x| x.id == id)
                    .ok_or(AppError::NotFound { entity: "bank account", key: id.to_string() })?
                    .clone(),
            ),
            None => None,
        };
        let currency = match (&current, crate::query_args::currency("currency", &b.currency)?) {
            (Some(c), _) => c.currency,
            (None, Some(c)) => c,
            (None, None) => company.base_currency,
        };
        if existing.iter().any(|x| x.name == name && Some(x.id) != id) {
            return Err(SettingsRejection::BankAccountNameTaken { name: name.to_string() }.into());
        }
        let codes = settings::account_codes(&mut tx, company_id).await?;
        let new = NewBankAccount {
            name: name.to_string(),
            iban: b.iban.split_whitespace().collect::<String>().to_uppercase(),
            bic: b.bic.trim().to_uppercase(),
            journal_code: crate::query_args::text(&b.journal_code)
                .unwrap_or_else(|| settings::journals::BANK.to_string()),
            account_code: crate::query_args::text(&b.account_code).unwrap_or_else(|| codes.code("bank").to_string()),
            currency,
        };
        let (id, action, summary) = match current {
            None => {
                let id = settings::insert_bank_account(&mut tx, company_id, &new).await?;
                (id, "bank_account.create", format!("bank account {name:?} ({}) added", new.account_code))
            }
            Some(c) => {
                if !settings::update_bank_account(&mut tx, company_id, c.id, &new).await? {
                    return Err(AppError::NotFound { entity: "bank account", key: c.id.to_string() });
                }
                let summary = format!(
                    "bank account {:?} ({}, {}) now {name:?} ({}, {})",
                    c.name, c.journal_code, c.account_code, new.journal_code, new.account_code
                );
                (c.id, "bank_account.update", summary)
            }
        };
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), action, "bank_account", Some(id)).summary(summary),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(BankAccount {
            id,
            name: new.name,
            iban: new.iban,
            bic: new.bic,
            journal_code: new.journal_code,
            account_code: new.account_code,
            currency: Currency::parse(currency.code()).unwrap_or(currency),
        })
    }

    pub async fn payment_methods(&self, company_id: i64) -> Result<Vec<PaymentMethod>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(settings::payment_methods(&mut tx, company_id).await?.into_iter().map(Into::into).collect())
    }

    pub async fn set_payment_method(&self, actor: &Actor, company_id: i64, m: &PaymentMethod) -> Result<(), AppError> {
        let code = m.code.trim();
        lengths(&[("code", &m.code), ("label", &m.label)])?;
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(AppError::invalid_said("code", SettingsFault::MethodCodeChars { code: code.to_string() }));
        }
        let mut tx = self.db.begin_write(actor.at()).await?;
        let method = PaymentMethod { code: code.to_string(), ..m.clone() }.into();
        settings::upsert_payment_method(&mut tx, company_id, &method).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "payment_method.set", "payment_method", None)
                .summary(format!("payment method {code}: needs deposit {}, active {}", m.needs_deposit, m.active)),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    pub async fn account_codes(&self, company_id: i64) -> Result<AccountCodes, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(settings::account_codes(&mut tx, company_id).await?.into())
    }

    pub async fn set_account_code(
        &self,
        actor: &Actor,
        company_id: i64,
        role: &str,
        code: &str,
        label: &str,
    ) -> Result<(), AppError> {
        if !settings::DEFAULT_ACCOUNTS.iter().any(|d| d.0 == role) {
            let roles: Vec<&str> = settings::DEFAULT_ACCOUNTS.iter().map(|d| d.0).collect();
            return Err(AppError::invalid_said(
                "role",
                SettingsFault::NotAnAccountRole {
                    text: role.to_string(),
                    known: roles.iter().map(|r| r.to_string()).collect(),
                },
            ));
        }
        let code = code.trim();
        lengths(&[("code", code), ("label", label)])?;
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(AppError::invalid_said("code", SettingsFault::NotAnAccountNumber { code: code.to_string() }));
        }
        let mut tx = self.db.begin_write(actor.at()).await?;
        settings::set_account_code(&mut tx, company_id, role, code, label.trim()).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "account_code.set", "account_code", None)
                .summary(format!("account for {role} set to {code}")),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    pub async fn money_settings(&self, company_id: i64) -> Result<MoneySettings, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(settings::money_settings(&mut tx, company_id).await?.into())
    }

    pub async fn set_money_settings(&self, actor: &Actor, company_id: i64, s: &MoneySettings) -> Result<(), AppError> {
        if !(0..=366).contains(&s.duplicate_window_days) {
            return Err(AppError::invalid_said("duplicate_window_days", SettingsFault::DuplicateWindowOutOfRange));
        }
        if let Some(max) = s.document_amount_max {
            // The largest whole major amount under the global limit in every currency (JPY: no decimals).
            let ceiling = creance_core::MAX_INPUT_MINOR;
            if !(1..=ceiling).contains(&max) {
                return Err(AppError::invalid_said(
                    "document_amount_max",
                    SettingsFault::DocumentAmountMaxOutOfRange { max, ceiling },
                ));
            }
        }
        let mut tx = self.db.begin_write(actor.at()).await?;
        settings::set_money_settings(&mut tx, company_id, &(*s).into()).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "settings.money", "company", Some(company_id)).summary(
                format!(
                    "deposits to bank journal: {}, duplicate window: {} days, maximum per document: {}",
                    s.deposits_to_bank_journal,
                    s.duplicate_window_days,
                    s.document_amount_max.map_or_else(|| "none".to_string(), |m| m.to_string())
                ),
            ),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iban_checksum() {
        assert!(super::iban_ok("FR76 3000 6000 0112 3456 7890 189"));
        assert!(!super::iban_ok("FR76 3000 6000 0112 3456 7890 188"));
        assert!(!super::iban_ok("FR76"));
    }
}
