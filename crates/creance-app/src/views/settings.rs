//! Views of the settings rows (see `views`): companies, API tokens and a company's money settings
//! (account codes, payment methods, bank accounts, switches). Payment methods and the money switches
//! are also inputs: they convert back to the store's rows.

use creance_core::{Currency, Language};
use creance_store::{companies, settings, tokens};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub country: String,
    #[schema(value_type = String, example = "EUR")]
    pub base_currency: Currency,
    #[schema(value_type = String, example = "fr")]
    pub language: Language,
    pub address: String,
}

impl From<companies::Company> for Company {
    fn from(c: companies::Company) -> Company {
        let companies::Company { id, name, country, base_currency, language, address } = c;
        Company { id, name, country, base_currency, language, address }
    }
}

/// A token as listed: never its secret nor its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    /// read_only, clerk or admin.
    pub role: String,
    pub label: String,
    /// When it was created (UTC, RFC 3339).
    pub created_at: String,
    /// When it was revoked; a revoked token no longer authenticates.
    pub revoked_at: Option<String>,
}

impl From<tokens::TokenInfo> for TokenInfo {
    fn from(t: tokens::TokenInfo) -> TokenInfo {
        let tokens::TokenInfo { id, role, label, created_at, revoked_at } = t;
        TokenInfo { id, role, label, created_at, revoked_at }
    }
}

/// A company's account codes by role.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountCodes {
    pub codes: Vec<AccountCode>,
}

impl From<settings::AccountCodes> for AccountCodes {
    fn from(a: settings::AccountCodes) -> AccountCodes {
        let settings::AccountCodes { codes } = a;
        AccountCodes { codes: codes.into_iter().map(Into::into).collect() }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountCode {
    pub role: String,
    pub code: String,
    pub label: String,
}

impl From<settings::AccountCode> for AccountCode {
    fn from(a: settings::AccountCode) -> AccountCode {
        let settings::AccountCode { role, code, label } = a;
        AccountCode { role, code, label }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PaymentMethod {
    pub code: String,
    pub label: String,
    /// Payments by this method wait in "to deposit" until a bank deposit takes them (cheques).
    pub needs_deposit: bool,
    pub active: bool,
}

impl From<settings::PaymentMethod> for PaymentMethod {
    fn from(m: settings::PaymentMethod) -> PaymentMethod {
        let settings::PaymentMethod { code, label, needs_deposit, active } = m;
        PaymentMethod { code, label, needs_deposit, active }
    }
}

impl From<PaymentMethod> for settings::PaymentMethod {
    fn from(m: PaymentMethod) -> settings::PaymentMethod {
        let PaymentMethod { code, label, needs_deposit, active } = m;
        settings::PaymentMethod { code, label, needs_deposit, active }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BankAccount {
    pub id: i64,
    pub name: String,
    pub iban: String,
    pub bic: String,
    /// The journal its entries go to (e.g. `BQ1`).
    pub journal_code: String,
    /// Its general-ledger account (e.g. `512100`).
    pub account_code: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
}

impl From<settings::BankAccount> for BankAccount {
    fn from(b: settings::BankAccount) -> BankAccount {
        let settings::BankAccount { id, name, iban, bic, journal_code, account_code, currency } = b;
        BankAccount { id, name, iban, bic, journal_code, account_code, currency }
    }
}

/// Settings read by the payment rules.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct MoneySettings {
    /// Validating a deposit books bank / cheques-to-deposit (SPEC §4.5).
    pub deposits_to_bank_journal: bool,
    /// A payment of the same customer, amount and piece number within this many days is a likely duplicate.
    pub duplicate_window_days: i64,
    /// The company's maximum per document (total of an invoice or credit note), in whole major units
    /// of the document's currency; absent: only the global limit of 10^15 minor units applies.
    pub document_amount_max: Option<i64>,
}

impl From<settings::MoneySettings> for MoneySettings {
    fn from(s: settings::MoneySettings) -> MoneySettings {
        let settings::MoneySettings { deposits_to_bank_journal, duplicate_window_days, document_amount_max } = s;
        MoneySettings { deposits_to_bank_journal, duplicate_window_days, document_amount_max }
    }
}

impl From<MoneySettings> for settings::MoneySettings {
    fn from(s: MoneySettings) -> settings::MoneySettings {
        let MoneySettings { deposits_to_bank_journal, duplicate_window_days, document_amount_max } = s;
        settings::MoneySettings { deposits_to_bank_journal, duplicate_window_days, document_amount_max }
    }
}
