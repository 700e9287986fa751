//! The money commands (SPEC §4.2–4.5, §4.9): payments, allocation, refunds, advances, bank deposits,
//! the company's money settings and the journal export. Each calls one use case of `creance_app`;
//! `--json` prints what the API would answer. This module holds the top-level arguments and the
//! dispatch; each family of sub-commands has its own module, and `print` how they show for people.

mod allocations;
mod deposits;
mod journal;
mod payments;
mod print;
mod refunds;
mod settings;

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use creance_app::{Actor, App};

use crate::args::app_err;

#[derive(Subcommand, Debug)]
pub enum MoneyCommand {
    /// Payments received: record, list, show, propose, allocate, cancel.
    Payment {
        #[command(subcommand)]
        command: payments::PaymentCmd,
    },
    /// Allocate credit notes to invoices, like payments.
    CreditNote {
        #[command(subcommand)]
        command: allocations::CreditNoteCmd,
    },
    /// Unallocate: append the reversal of an allocation.
    Allocation {
        #[command(subcommand)]
        command: allocations::AllocationCmd,
    },
    /// Allocate every unallocated payment and credit note at once (a preview unless --confirm).
    AutoAllocate(allocations::AutoAllocateArgs),
    /// Refunds: record, list, show, allocate, letter.
    Refund {
        #[command(subcommand)]
        command: refunds::RefundCmd,
    },
    /// Advances: payments with an order reference waiting for their invoice.
    Advances {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: crate::export_args::ExportArgs,
    },
    /// Bank deposits of cheques: pending, create, validate, show, list.
    Deposit {
        #[command(subcommand)]
        command: deposits::DepositCmd,
    },
    /// The company's bank accounts.
    Bank {
        #[command(subcommand)]
        command: settings::BankCmd,
    },
    /// The company's payment methods.
    Method {
        #[command(subcommand)]
        command: settings::MethodCmd,
    },
    /// Account codes of the journal entries, and the money settings.
    Accounts {
        #[command(subcommand)]
        command: settings::AccountsCmd,
    },
    /// Exports.
    Export {
        #[command(subcommand)]
        command: journal::ExportCmd,
    },
}

pub async fn run(app: &App, actor: &Actor, cmd: MoneyCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        MoneyCommand::Payment { command } => payments::run(app, actor, command).await?,
        MoneyCommand::CreditNote { command } => allocations::credit_note(app, actor, command).await?,
        MoneyCommand::Allocation { command } => allocations::allocation(app, actor, command).await?,
        MoneyCommand::AutoAllocate(args) => allocations::auto_allocate(app, actor, args).await?,
        MoneyCommand::Refund { command } => refunds::run(app, actor, command).await?,
        MoneyCommand::Advances { company, customer, json, export } => {
            payments::advances(app, company, customer, json, export).await?
        }
        MoneyCommand::Deposit { command } => deposits::run(app, actor, command).await?,
        MoneyCommand::Bank { command } => settings::bank(app, actor, command).await?,
        MoneyCommand::Method { command } => settings::method(app, actor, command).await?,
        MoneyCommand::Accounts { command } => settings::accounts(app, actor, command).await?,
        MoneyCommand::Export { command } => journal::export(app, command).await?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A payment's id from its number.
async fn payment_id(app: &App, company: i64, number: &str) -> anyhow::Result<i64> {
    Ok(app.payment_by_number(company, number).await.map_err(app_err)?.payment.id)
}

/// `ID` or `ID=AMOUNT`.
fn split_line(flag: &str, text: &str) -> anyhow::Result<(String, Option<String>)> {
    let (key, amount) = match text.split_once('=') {
        Some((k, a)) => (k.trim(), Some(a.trim().to_string())),
        None => (text.trim(), None),
    };
    if key.is_empty() {
        bail!("{flag} {text:?}: give KEY or KEY=AMOUNT");
    }
    Ok((key.to_string(), amount))
}

#[cfg(test)]
mod tests {
    use super::split_line;

    #[test]
    fn a_line_is_a_key_with_an_optional_amount() {
        assert_eq!(split_line("--line", " 12 ").expect("a key"), ("12".to_string(), None));
        assert_eq!(split_line("--line", "12 = 3,50").expect("a line"), ("12".to_string(), Some("3,50".to_string())));
        assert_eq!(
            format!("{:#}", split_line("--line", "=5").expect_err("no key")),
            r#"--line "=5": give KEY or KEY=AMOUNT"#
        );
    }
}
