//! A company's money settings (SPEC §3, §4.5, §4.9): account codes for the journal, payment methods
//! and bank accounts. Every company starts with the defaults below (French chart of accounts).

use crate::row;
use crate::{Sql, Tx};

/// The roles an account code plays in journal entries, with the French chart's default.
pub const DEFAULT_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("receivable", "411000", "Clients"),
    ("cheques_to_deposit", "511200", "Chèques à encaisser"),
    ("bank", "512000", "Banque"),
    ("sales", "706000", "Prestations de services"),
    ("opening", "890000", "Bilan d'ouverture"),
    ("fee_income", "708800", "Frais de relance refacturés"),
    ("interest_income", "763000", "Intérêts de retard"),
    ("loss", "654000", "Pertes sur créances irrécouvrables"),
    ("gain", "758000", "Produits divers de gestion courante"),
    ("clearing", "467000", "Compte de passage"),
];

/// Payment methods every company starts with: (code, label, needs deposit).
pub const DEFAULT_METHODS: &[(&str, &str, bool)] = &[
    ("cheque", "Chèque", true),
    ("transfer", "Virement", false),
    ("card", "Carte bancaire", false),
    ("cash", "Espèces", false),
    ("direct_debit", "Prélèvement", false),
    ("lcr", "LCR / effet", false),
];

/// The journal codes used by the entries Créance books.
pub mod journals {
    /// Sales: documents imported from billing, fee and interest invoices.
    pub const SALES: &str = "VE";
    /// Bank: payments received, refunds, deposits.
    pub const BANK: &str = "BQ";
    /// Miscellaneous: transfers between customers' accounts (a payer paying for another customer).
    pub const MISC: &str = "OD";
}

/// Inserts whatever default is missing (an existing code or method is kept as the company set it).
pub async fn ensure_defaults(tx: &mut Tx, company_id: i64) -> anyhow::Result<()> {
    let mut sql = Sql::new("INSERT INTO account_codes (company_id, role, code, label) VALUES ");
    for (i, (role, code, label)) in DEFAULT_ACCOUNTS.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind_tuple([company_id.into(), (*role).into(), (*code).into(), (*label).into()]);
    }
    sql.push(" ON CONFLICT (company_id, role) DO NOTHING").execute(tx).await?;
    let mut sql = Sql::new("INSERT INTO payment_methods (company_id, code, label, needs_deposit) VALUES ");
    for (i, (code, label, deposit)) in DEFAULT_METHODS.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind_tuple([company_id.into(), (*code).into(), (*label).into(), i64::from(*deposit).into()]);
    }
    sql.push(" ON CONFLICT (company_id, code) DO NOTHING").execute(tx).await?;
    Ok(())
}

/// A company's account codes by role.
#[derive(Debug, Clone)]
pub struct AccountCodes {
    pub codes: Vec<AccountCode>,
}

#[derive(Debug, Clone)]
pub struct AccountCode {
    pub role: String,
    pub code: String,
    pub label: String,
}

impl AccountCodes {
    /// The code for `role`, or the French default when the company has none.
    pub fn code(&self, role: &str) -> &str {
        self.codes
            .iter()
            .find(|c| c.role == role)
            .map(|c| c.code.as_str())
            .or_else(|| DEFAULT_ACCOUNTS.iter().find(|d| d.0 == role).map(|d| d.1))
            .unwrap_or("471000")
    }

    /// The label of an account code, for the FEC's CompteLib.
    pub fn label_of(&self, code: &str) -> String {
        if let Some(c) = self.codes.iter().find(|c| c.code == code) {
            return c.label.clone();
        }
        DEFAULT_ACCOUNTS.iter().find(|d| d.1 == code).map(|d| d.2.to_string()).unwrap_or_default()
    }
}

pub async fn account_codes(tx: &mut Tx, company_id: i64) -> anyhow::Result<AccountCodes> {
    let rows = Sql::new("SELECT role, code, label FROM account_codes WHERE company_id = ")
        .bind(company_id)
        .push(" ORDER BY role")
        .fetch_all(tx)
        .await?;
    let codes = rows
        .iter()
        .map(|r| {
            Ok(AccountCode { role: row::text(r, "role")?, code: row::text(r, "code")?, label: row::text(r, "label")? })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(AccountCodes { codes })
}

/// What recording a payment reads of the company's settings, in one statement (one round trip in
/// the writers' critical section).
#[derive(Debug, Clone)]
pub struct Recording {
    /// Whether the method is an active one of the company's (`None`: it is not), and whether it needs
    /// depositing.
    pub method_needs_deposit: Option<bool>,
    /// [`MoneySettings::duplicate_window_days`].
    pub duplicate_window_days: i64,
    /// [`account_codes`].
    pub codes: AccountCodes,
}

pub async fn recording(tx: &mut Tx, company_id: i64, method: &str) -> anyhow::Result<Recording> {
    // The company's row first (k = 0), then its account codes (k = 1) in role order, all as text.
    let mut sql = Sql::new("SELECT 0 AS k, CAST(c.duplicate_window_days AS TEXT) AS a, ");
    sql.push("CAST((SELECT m.needs_deposit FROM payment_methods m WHERE m.company_id = c.id AND m.code = ")
        .bind(method);
    sql.push(" AND m.active = 1) AS TEXT) AS b, '' AS l FROM companies c WHERE c.id = ").bind(company_id);
    sql.push(" UNION ALL SELECT 1, role, code, label FROM account_codes WHERE company_id = ").bind(company_id);
    sql.push(" ORDER BY 1, 2");
    let rows = sql.fetch_all(tx).await?;
    let Some((company, codes)) = rows.split_first() else {
        anyhow::bail!("company {company_id} does not exist");
    };
    anyhow::ensure!(row::int(company, "k")? == 0, "company {company_id} does not exist");
    let int = |text: &str| text.parse::<i64>().map_err(|e| anyhow::anyhow!("company {company_id}: {text:?}: {e}"));
    let codes = codes
        .iter()
        .map(|r| Ok(AccountCode { role: row::text(r, "a")?, code: row::text(r, "b")?, label: row::text(r, "l")? }))
        .collect::<anyhow::Result<_>>()?;
    Ok(Recording {
        method_needs_deposit: row::opt_text(company, "b")?.map(|n| int(&n).map(|n| n != 0)).transpose()?,
        duplicate_window_days: int(&row::text(company, "a")?)?,
        codes: AccountCodes { codes },
    })
}

pub async fn set_account_code(tx: &mut Tx, company_id: i64, role: &str, code: &str, label: &str) -> anyhow::Result<()> {
    Sql::new("INSERT INTO account_codes (company_id, role, code, label) VALUES ")
        .bind_tuple([company_id.into(), role.into(), code.into(), label.into()])
        .push(" ON CONFLICT (company_id, role) DO UPDATE SET code = excluded.code, label = excluded.label")
        .execute(tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMethod {
    pub code: String,
    pub label: String,
    /// Payments by this method wait in "to deposit" until a bank deposit takes them (cheques).
    pub needs_deposit: bool,
    pub active: bool,
}

pub async fn payment_methods(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<PaymentMethod>> {
    let rows = Sql::new("SELECT code, label, needs_deposit, active FROM payment_methods WHERE company_id = ")
        .bind(company_id)
        .push(" ORDER BY code")
        .fetch_all(tx)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(PaymentMethod {
                code: row::text(r, "code")?,
                label: row::text(r, "label")?,
                needs_deposit: row::flag(r, "needs_deposit")?,
                active: row::flag(r, "active")?,
            })
        })
        .collect()
}

pub async fn upsert_payment_method(tx: &mut Tx, company_id: i64, m: &PaymentMethod) -> anyhow::Result<()> {
    Sql::new("INSERT INTO payment_methods (company_id, code, label, needs_deposit, active) VALUES ")
        .bind_tuple([
            company_id.into(),
            m.code.as_str().into(),
            m.label.as_str().into(),
            i64::from(m.needs_deposit).into(),
            i64::from(m.active).into(),
        ])
        .push(
            " ON CONFLICT (company_id, code) DO UPDATE SET label = excluded.label, \
             needs_deposit = excluded.needs_deposit, active = excluded.active",
        )
        .execute(tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccount {
    pub id: i64,
    pub name: String,
    pub iban: String,
    pub bic: String,
    /// The journal its entries go to (e.g. `BQ1`).
    pub journal_code: String,
    /// Its general-ledger account (e.g. `512100`).
    pub account_code: String,
    pub currency: creance_core::Currency,
}

#[derive(Debug, Clone)]
pub struct NewBankAccount {
    pub name: String,
    pub iban: String,
    pub bic: String,
    pub journal_code: String,
    pub account_code: String,
    pub currency: creance_core::Currency,
}

pub async fn insert_bank_account(tx: &mut Tx, company_id: i64, b: &NewBankAccount) -> anyhow::Result<i64> {
    let r = Sql::new(
        "INSERT INTO bank_accounts (company_id, name, iban, bic, journal_code, account_code, currency, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        b.name.as_str().into(),
        b.iban.as_str().into(),
        b.bic.as_str().into(),
        b.journal_code.as_str().into(),
        b.account_code.as_str().into(),
        b.currency.code().into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&r, "id")
}

/// Rewrites a bank account's name, IBAN, BIC, journal and account (its currency stays); false when
/// the company has no such account.
pub async fn update_bank_account(tx: &mut Tx, company_id: i64, id: i64, b: &NewBankAccount) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE bank_accounts SET name = ")
        .bind(b.name.as_str())
        .push(", iban = ")
        .bind(b.iban.as_str())
        .push(", bic = ")
        .bind(b.bic.as_str())
        .push(", journal_code = ")
        .bind(b.journal_code.as_str())
        .push(", account_code = ")
        .bind(b.account_code.as_str())
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(n == 1)
}

pub async fn bank_accounts(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<BankAccount>> {
    let rows = Sql::new(
        "SELECT id, name, iban, bic, journal_code, account_code, currency FROM bank_accounts WHERE company_id = ",
    )
    .bind(company_id)
    .push(" ORDER BY id")
    .fetch_all(tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(BankAccount {
                id: row::int(r, "id")?,
                name: row::text(r, "name")?,
                iban: row::text(r, "iban")?,
                bic: row::text(r, "bic")?,
                journal_code: row::text(r, "journal_code")?,
                account_code: row::text(r, "account_code")?,
                currency: row::currency(r, "currency")?,
            })
        })
        .collect()
}

/// Settings read by the payment rules.
#[derive(Debug, Clone, Copy)]
pub struct MoneySettings {
    /// Validating a deposit books bank / cheques-to-deposit (SPEC §4.5).
    pub deposits_to_bank_journal: bool,
    /// A payment of the same customer, amount and piece number within this many days is a likely duplicate.
    pub duplicate_window_days: i64,
    /// The company's maximum per document (total of an invoice or credit note), in whole major units
    /// of the document's currency; absent: only the global limit of 10^15 minor units applies.
    pub document_amount_max: Option<i64>,
}

pub async fn money_settings(tx: &mut Tx, company_id: i64) -> anyhow::Result<MoneySettings> {
    let r = Sql::new(
        "SELECT deposits_to_bank_journal, duplicate_window_days, document_amount_max FROM companies WHERE id = ",
    )
    .bind(company_id)
    .fetch_one(tx)
    .await?;
    Ok(MoneySettings {
        deposits_to_bank_journal: row::flag(&r, "deposits_to_bank_journal")?,
        duplicate_window_days: row::int(&r, "duplicate_window_days")?,
        document_amount_max: row::opt_int(&r, "document_amount_max")?,
    })
}

pub async fn set_money_settings(tx: &mut Tx, company_id: i64, s: &MoneySettings) -> anyhow::Result<()> {
    Sql::new("UPDATE companies SET deposits_to_bank_journal = ")
        .bind(i64::from(s.deposits_to_bank_journal))
        .push(", duplicate_window_days = ")
        .bind(s.duplicate_window_days)
        .push(", document_amount_max = ")
        .bind(s.document_amount_max)
        .push(" WHERE id = ")
        .bind(company_id)
        .execute(tx)
        .await?;
    Ok(())
}
