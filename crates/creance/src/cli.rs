//! Command-line interface (SPEC §5): the top-level arguments and the dispatch to one module per
//! command family. Every command that prints data takes `--json`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use creance_app::{Actor, App};

use crate::companies::CompanyCmd;
use crate::import::ImportWhat;
use crate::open_items::OpenItemsCmd;
use crate::tokens::TokenCmd;

#[derive(Parser, Debug)]
#[command(name = "creance", version, about = "Créance: accounts-receivable collections")]
pub struct Cli {
    /// Database: sqlite:PATH (default sqlite:creance.db) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "CREANCE_DB", default_value = "sqlite:creance.db")]
    pub db: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API (and, with --demo, fill an empty database with demo data first).
    Serve {
        #[arg(long, env = "CREANCE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Fill an empty database with demo data and print an admin token.
        #[arg(long)]
        demo: bool,
        /// Customers of the demo company.
        #[arg(long, default_value_t = 200)]
        customers: usize,
        /// Where the dunning e-mails of a company without an SMTP server are written (.eml files).
        #[arg(long, env = "CREANCE_OUTBOX", default_value = "outbox")]
        outbox: PathBuf,
        /// Seconds between two passes of the delivery worker that sends the queued e-mails (0: no worker).
        #[arg(long, default_value_t = 15)]
        delivery_interval: u64,
        /// Mark the web session cookie Secure: set it whenever the server is reached over TLS.
        #[arg(long, env = "CREANCE_SECURE_COOKIES", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false)]
        secure_cookies: bool,
    },
    /// Create a demo company: French and Swiss customers, twelve months of invoices and payments.
    Demo {
        #[arg(long, default_value_t = 200)]
        customers: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The demo's today (default: today). The same seed and date give the same data.
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Import customers, contracts or invoices from a CSV file (see docs/import.md).
    Import {
        what: ImportWhat,
        file: PathBuf,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// List open items with per-currency totals.
    OpenItems(OpenItemsCmd),
    /// Reports (SPEC §4.10): aging, a customer statement, days sales outstanding.
    Report {
        #[command(subcommand)]
        command: crate::reports::ReportCmd,
    },
    /// Customers: the list (a page, --json, or --format csv|pdf --output FILE).
    Customers {
        #[command(subcommand)]
        command: crate::ledger::CustomersCmd,
    },
    /// Contracts: the list (a page, --json, or --format csv|pdf --output FILE).
    Contracts {
        #[command(subcommand)]
        command: crate::ledger::ContractsCmd,
    },
    /// Documents: the list (a page, --json, or --format csv|pdf --output FILE), and a fee or interest
    /// invoice as PDF.
    Documents {
        #[command(subcommand)]
        command: crate::ledger::DocumentsCmd,
    },
    /// Manage the web UI's users (create, passwd, list, grant).
    User {
        #[command(subcommand)]
        command: crate::users::UserCmd,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCmd,
    },
    /// Verify the allocation invariants (SPEC §4.1) on the whole database; exit 1 on any violation.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Measure every step at scale (docs/performance.md): one JSON line per step. Writes into a new
    /// SQLite file in the temp folder, or into the empty database --db names.
    Bench(crate::bench::BenchArgs),
    /// Manage companies.
    Company {
        #[command(subcommand)]
        command: CompanyCmd,
    },
    /// Company settings: the letterhead its documents print, the SMTP server, the report settings.
    Settings {
        #[command(subcommand)]
        command: crate::documents::SettingsCmd,
    },
    #[command(flatten)]
    Money(crate::money::MoneyCommand),
    /// Small balances (SPEC §4.8): the extraction, re-bill, write-off, undo.
    SmallBalances {
        #[command(subcommand)]
        command: crate::small_balances::SmallBalancesCmd,
    },
    /// Rebill charges for the billing system: list, acknowledge, export.
    RebillCharges {
        #[command(subcommand)]
        command: crate::small_balances::RebillChargesCmd,
    },
    /// Dunning (SPEC §4.6, §4.7): proposals, letters, issuing, withdrawal, reminders, policies, interest.
    Dunning {
        #[command(subcommand)]
        command: crate::dunning::DunningCmd,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Bench(args) = cli.command {
        // The benchmark writes companies of its own: only into a database named with --db (which
        // it refuses unless empty), never into the default creance.db.
        let db = (cli.db != "sqlite:creance.db").then_some(cli.db);
        return crate::bench::run(args, db).await;
    }
    // The clock is read once, here, for the whole command.
    let now = creance_app::clock::now();
    let app = App::open(&cli.db, now).await?;
    let actor = Actor::new("cli", now);
    match cli.command {
        Command::Serve { listen, demo, customers, outbox, delivery_interval, secure_cookies } => {
            let worker = crate::serve::Worker { outbox, interval_seconds: delivery_interval };
            let web = creance_server::web::WebConfig { secure_cookies, installation_code: None };
            crate::serve::run(app, &listen, demo, customers, worker, web).await
        }
        Command::Demo { customers, seed, as_of, json } => crate::demo::run(&app, customers, seed, as_of, json).await,
        Command::Import { what, file, company, json } => {
            crate::import::run(&app, &actor, what, &file, company, json).await
        }
        Command::OpenItems(cmd) => crate::open_items::run(&app, cmd).await,
        Command::Report { command } => {
            crate::reports::run(&app, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Customers { command } => {
            crate::ledger::customers(&app, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Contracts { command } => {
            crate::ledger::contracts(&app, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Documents { command } => {
            crate::ledger::documents(&app, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Settings { command } => {
            crate::documents::settings(&app, &actor, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Money(cmd) => crate::money::run(&app, &actor, cmd).await,
        Command::Dunning { command } => crate::dunning::run(&app, &actor, command).await,
        Command::SmallBalances { command } => crate::small_balances::run(&app, &actor, command).await,
        Command::RebillCharges { command } => crate::small_balances::charges(&app, &actor, command).await,
        Command::Check { json } => crate::check::run(&app, json).await,
        Command::Bench { .. } => unreachable!("bench runs before the database is opened"),
        Command::User { command } => {
            crate::users::run(&app, &actor, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { command } => {
            crate::tokens::run(&app, &actor, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Company { command } => {
            crate::companies::run(&app, &actor, command).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
