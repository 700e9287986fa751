//! The company's money settings (SPEC §4.9): `creance bank …`, `creance method …` and
//! `creance accounts …` (account codes by role, deposits, duplicates, the maximum per document).

use anyhow::Context;
use clap::Subcommand;
use creance_app::settings::NewBank;
use creance_app::views::settings::{MoneySettings, PaymentMethod};
use creance_app::{Actor, App};

use crate::args::{app_err, company_or_only, yes_no};
use crate::print;

#[derive(Subcommand, Debug)]
pub enum BankCmd {
    /// Add a bank account.
    Add {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        iban: String,
        #[arg(long, default_value = "")]
        bic: String,
        /// Journal code (default BQ).
        #[arg(long)]
        journal: Option<String>,
        /// General-ledger account (default: the company's bank account code).
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List bank accounts.
    List {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum MethodCmd {
    /// List payment methods.
    List {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Create or change a payment method.
    Set {
        code: String,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        label: String,
        /// yes: payments by this method wait in "to deposit".
        #[arg(long, default_value = "no")]
        needs_deposit: String,
        #[arg(long, default_value = "yes")]
        active: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountsCmd {
    /// List account codes by role, and the money settings.
    List {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Set the account code of a role (receivable, cheques_to_deposit, bank, sales, …).
    Set {
        role: String,
        code: String,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Change the money settings.
    Settings {
        #[arg(long)]
        company: Option<i64>,
        /// yes/no: validating a deposit books bank / cheques to deposit.
        #[arg(long)]
        deposits_to_bank_journal: Option<String>,
        /// Days within which a payment of the same customer, amount and piece number is a likely duplicate.
        #[arg(long)]
        duplicate_window_days: Option<i64>,
        /// Maximum per document, in whole units of its currency (`none` removes it).
        #[arg(long)]
        document_amount_max: Option<String>,
    },
}

pub async fn bank(app: &App, actor: &Actor, cmd: BankCmd) -> anyhow::Result<()> {
    match cmd {
        BankCmd::Add { company, name, iban, bic, journal, account, currency, json } => {
            let c = company_or_only(app, company).await?;
            let input = NewBank { name, iban, bic, journal_code: journal, account_code: account, currency };
            let b = app.add_bank_account(actor, c, &input).await.map_err(app_err)?;
            print::emit(json, &b, |b| {
                println!(
                    "Bank account {} added: {} ({}, journal {}, account {})",
                    b.id, b.name, b.iban, b.journal_code, b.account_code
                );
            })
        }
        BankCmd::List { company, json } => {
            let c = company_or_only(app, company).await?;
            let banks = app.bank_accounts(c).await.map_err(app_err)?;
            print::emit(json, &banks, |banks| {
                let rows: Vec<Vec<String>> = banks
                    .iter()
                    .map(|b| {
                        vec![
                            b.id.to_string(),
                            b.name.clone(),
                            b.iban.clone(),
                            b.journal_code.clone(),
                            b.account_code.clone(),
                            b.currency.code().to_string(),
                        ]
                    })
                    .collect();
                print::table(&["id", "name", "iban", "journal", "account", "cur"], &rows, &[]);
            })
        }
    }
}

pub async fn method(app: &App, actor: &Actor, cmd: MethodCmd) -> anyhow::Result<()> {
    match cmd {
        MethodCmd::List { company, json } => {
            let c = company_or_only(app, company).await?;
            let methods = app.payment_methods(c).await.map_err(app_err)?;
            print::emit(json, &methods, |methods| {
                let rows: Vec<Vec<String>> = methods
                    .iter()
                    .map(|m| {
                        vec![m.code.clone(), m.label.clone(), print::yes_no(m.needs_deposit), print::yes_no(m.active)]
                    })
                    .collect();
                print::table(&["code", "label", "needs deposit", "active"], &rows, &[]);
            })
        }
        MethodCmd::Set { code, company, label, needs_deposit, active } => {
            let c = company_or_only(app, company).await?;
            let m = PaymentMethod {
                code,
                label,
                needs_deposit: yes_no("--needs-deposit", &needs_deposit)?,
                active: yes_no("--active", &active)?,
            };
            app.set_payment_method(actor, c, &m).await.map_err(app_err)?;
            println!("Payment method {} saved.", m.code);
            Ok(())
        }
    }
}

pub async fn accounts(app: &App, actor: &Actor, cmd: AccountsCmd) -> anyhow::Result<()> {
    match cmd {
        AccountsCmd::List { company, json } => accounts_list(app, company, json).await,
        AccountsCmd::Set { role, code, company, label } => {
            let c = company_or_only(app, company).await?;
            app.set_account_code(actor, c, &role, &code, &label).await.map_err(app_err)?;
            println!("Account for {role} set to {code}.");
            Ok(())
        }
        AccountsCmd::Settings { company, deposits_to_bank_journal, duplicate_window_days, document_amount_max } => {
            let c = company_or_only(app, company).await?;
            let now = app.money_settings(c).await.map_err(app_err)?;
            let s = MoneySettings {
                deposits_to_bank_journal: match deposits_to_bank_journal {
                    Some(v) => yes_no("--deposits-to-bank-journal", &v)?,
                    None => now.deposits_to_bank_journal,
                },
                duplicate_window_days: duplicate_window_days.unwrap_or(now.duplicate_window_days),
                document_amount_max: match document_amount_max.as_deref().map(str::trim) {
                    None => now.document_amount_max,
                    Some("none") => None,
                    Some(v) => Some(
                        v.parse()
                            .with_context(|| format!("--document-amount-max {v:?}: give a whole number or none"))?,
                    ),
                },
            };
            app.set_money_settings(actor, c, &s).await.map_err(app_err)?;
            println!("Settings saved.");
            Ok(())
        }
    }
}

async fn accounts_list(app: &App, company: Option<i64>, json: bool) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let codes = app.account_codes(c).await.map_err(app_err)?;
    let settings = app.money_settings(c).await.map_err(app_err)?;
    if json {
        return print::json(&serde_json::json!({ "account_codes": codes.codes, "settings": settings }));
    }
    let rows: Vec<Vec<String>> =
        codes.codes.iter().map(|a| vec![a.role.clone(), a.code.clone(), a.label.clone()]).collect();
    print::table(&["role", "code", "label"], &rows, &[]);
    println!(
        "\nDeposits booked to the bank journal: {}; likely duplicates within {} days; maximum per document: {}.",
        print::yes_no(settings.deposits_to_bank_journal),
        settings.duplicate_window_days,
        settings.document_amount_max.map_or_else(|| "none".to_string(), |m| m.to_string())
    );
    Ok(())
}
