//! Command-line interface (SPEC §5). Every command that prints data takes `--json`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use creance_app::demo::DemoOptions;
use creance_app::import::{read_csv, Entity};
use creance_app::query_args::OpenItemArgs;
use creance_app::{Actor, App, AppError};
use creance_core::{Currency, Date, Language, Role};
use creance_store::companies::NewCompany;
use creance_store::Db;
use indicatif::{ProgressBar, ProgressStyle};

use crate::output;

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
    /// Measure: fill a fresh database with the demo and time it and the open-items queries.
    /// Uses a new SQLite file in the temp folder unless --bench-db names an empty database.
    Bench {
        #[arg(long, default_value_t = 100_000)]
        customers: usize,
        /// An empty database to use instead of a temporary SQLite file.
        #[arg(long)]
        bench_db: Option<String>,
        /// Only the money measures (batch allocation, API throughput), without the demo.
        #[arg(long)]
        money_only: bool,
        /// Only the dunning measures (proposal over 10 open installments per customer).
        #[arg(long)]
        dunning_only: bool,
        #[arg(long)]
        json: bool,
    },
    /// Manage companies.
    Company {
        #[command(subcommand)]
        command: CompanyCmd,
    },
    #[command(flatten)]
    Money(crate::money_cmd::MoneyCommand),
    /// Dunning (SPEC §4.6, §4.7): proposals, letters, issuing, withdrawal, reminders, policies, interest.
    Dunning {
        #[command(subcommand)]
        command: crate::dunning_cmd::DunningCmd,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ImportWhat {
    Customers,
    Contracts,
    Invoices,
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create a token; it is printed once, only its hash is stored.
    Create {
        #[arg(long)]
        company: i64,
        /// read-only, clerk or admin.
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        label: String,
        #[arg(long)]
        json: bool,
    },
    /// List a company's tokens (id, role, label, created, revoked); never their secrets.
    List {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token of the company (by id): it stops authenticating at once.
    Revoke {
        id: i64,
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CompanyCmd {
    /// Create a company.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "FR")]
        country: String,
        #[arg(long, default_value = "EUR")]
        currency: String,
        #[arg(long, default_value = "fr")]
        language: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long)]
        json: bool,
    },
    /// List companies.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct OpenItemsCmd {
    #[arg(long)]
    company: Option<i64>,
    /// One row per document instead of one per installment.
    #[arg(long)]
    by_document: bool,
    /// Count days overdue at this date (default: today).
    #[arg(long)]
    as_of: Option<String>,
    /// One customer, by number.
    #[arg(long)]
    customer: Option<String>,
    #[arg(long)]
    customer_from: Option<String>,
    #[arg(long)]
    customer_to: Option<String>,
    #[arg(long)]
    currency: Option<String>,
    #[arg(long)]
    due_from: Option<String>,
    #[arg(long)]
    due_to: Option<String>,
    /// Debits past their due date only.
    #[arg(long)]
    overdue: bool,
    #[arg(long)]
    days_overdue_min: Option<String>,
    #[arg(long)]
    days_overdue_max: Option<String>,
    /// A contract, by number.
    #[arg(long)]
    contract: Option<String>,
    #[arg(long)]
    salesperson: Option<String>,
    /// debit or credit.
    #[arg(long)]
    side: Option<String>,
    #[arg(long)]
    kind: Option<String>,
    /// Columns, comma-separated, `-` for descending (e.g. -days_overdue,customer_number).
    #[arg(long, allow_hyphen_values = true)]
    sort: Option<String>,
    #[arg(long, default_value = "100")]
    limit: String,
    #[arg(long)]
    offset: Option<String>,
    #[arg(long)]
    json: bool,
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Bench { customers, bench_db, money_only, dunning_only, json } = cli.command {
        if bench_db.is_none() && cli.db != "sqlite:creance.db" {
            eprintln!("note: bench does not use --db/CREANCE_DB; it runs on --bench-db URL (an empty database), else on a temporary SQLite file");
        }
        return crate::bench::run(customers, bench_db, money_only, dunning_only, json).await;
    }
    let db = Db::open(&cli.db).await?;
    let app = App::new(db);
    let actor = Actor("cli".into());
    match cli.command {
        Command::Serve { listen, demo, customers } => serve(app, &listen, demo, customers).await,
        Command::Demo { customers, seed, as_of, json } => {
            let as_of = parse_date_arg("--as-of", as_of)?;
            let summary = run_demo(&app, customers, seed, as_of).await?;
            if json {
                output::json(&summary)?;
            } else {
                println!(
                    "demo company {}: {} customers, {} contracts, {} invoices, {} credit notes, {} installments, {} payments",
                    summary.company_id,
                    summary.customers,
                    summary.contracts,
                    summary.invoices,
                    summary.credit_notes,
                    summary.installments,
                    summary.payments
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { what, file, company, json } => {
            let company = company_or_only(&app, company).await?;
            let entity = match what {
                ImportWhat::Customers => Entity::Customers,
                ImportWhat::Contracts => Entity::Contracts,
                ImportWhat::Invoices => Entity::Documents,
            };
            let spinner = spinner(&format!("importing {}", file.display()));
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let (table, errors) = read_csv(&bytes, entity);
            let result = app.import(&actor, company, entity, &table, errors).await;
            spinner.finish_and_clear();
            match result {
                Ok(report) => {
                    if json {
                        output::json(&report)?;
                    } else {
                        println!("{}", report.summary());
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::Import(report)) => {
                    if json {
                        output::json(&report)?;
                    } else {
                        eprintln!("{}: {}", file.display(), report.summary());
                        for line in report.error_lines() {
                            eprintln!("  {line}");
                        }
                    }
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::OpenItems(cmd) => open_items(&app, cmd).await,
        Command::Money(cmd) => crate::money_cmd::run(&app, &actor, cmd).await,
        Command::Dunning { command } => crate::dunning_cmd::run(&app, &actor, command).await,
        Command::Check { json } => {
            let violations = app.check().await.map_err(anyhow::Error::from)?;
            if json {
                output::json(&violations)?;
            } else if violations.is_empty() {
                println!("check: every allocation invariant holds");
            } else {
                for v in &violations {
                    println!("company {}: {} {}: {}", v.company_id, v.rule, v.subject, v.detail);
                }
                println!("check: {} violation(s)", violations.len());
            }
            Ok(if violations.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Bench { .. } => unreachable!("bench runs before the database is opened"),
        Command::Token { command: TokenCmd::Create { company, role, label, json } } => {
            let role = Role::parse(&role).with_context(|| format!("--role {role:?}: use read-only, clerk or admin"))?;
            let token = app.create_token(&actor, company, role, &label).await.map_err(anyhow::Error::from)?;
            if json {
                output::json(&serde_json::json!({ "company_id": company, "role": role.code(), "token": token }))?;
            } else {
                println!("{token}");
                eprintln!("Token for company {company} with role {}. It is shown only this once.", role.code());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { command: TokenCmd::List { company, json } } => {
            let list = app.tokens(company).await.map_err(anyhow::Error::from)?;
            output::emit(json, &list, |list| {
                if list.is_empty() {
                    println!("Company {company} has no token.");
                }
                for t in list {
                    println!(
                        "{:>6}  {:<9}  {:<20}  created {}  {}",
                        t.id,
                        t.role,
                        t.label,
                        t.created_at,
                        t.revoked_at.as_deref().map_or_else(|| "live".to_string(), |at| format!("revoked {at}"))
                    );
                }
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { command: TokenCmd::Revoke { id, company, json } } => {
            let t = app.revoke_token(&actor, company, id).await.map_err(anyhow::Error::from)?;
            output::emit(json, &t, |t| println!("Token {} ({}, {:?}) revoked.", t.id, t.role, t.label))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Company { command: CompanyCmd::Create { name, country, currency, language, address, json } } => {
            let company = NewCompany {
                name,
                country: country.to_uppercase(),
                base_currency: Currency::parse(&currency).map_err(|e| anyhow::anyhow!("--currency: {e}"))?,
                language: Language::parse(&language)
                    .with_context(|| format!("--language {language:?}: use fr, en, de or it"))?,
                address,
            };
            let id = app.create_company(&actor, &company).await.map_err(anyhow::Error::from)?;
            if json {
                output::json(&serde_json::json!({ "id": id }))?;
            } else {
                println!("company {id} created");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Company { command: CompanyCmd::List { json } } => {
            let companies = app.companies().await.map_err(anyhow::Error::from)?;
            if json {
                output::json(&companies)?;
            } else {
                let rows: Vec<Vec<String>> = companies
                    .iter()
                    .map(|c| vec![c.id.to_string(), c.name.clone(), c.country.clone(), c.base_currency.code().into()])
                    .collect();
                output::table(&["id", "name", "country", "currency"], &rows, &[]);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_date_arg(flag: &str, v: Option<String>) -> anyhow::Result<Date> {
    match v {
        None => Ok(creance_store::clock::today_utc()),
        Some(s) => Date::parse(&s).map_err(|e| anyhow::anyhow!("{flag}: {e}")),
    }
}

fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

pub(crate) async fn run_demo(
    app: &App,
    customers: usize,
    seed: u64,
    as_of: Date,
) -> anyhow::Result<creance_app::demo::DemoSummary> {
    let bar = ProgressBar::new(customers as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} customers ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("demo");
    let progress = |done: usize, _total: usize| bar.set_position(done as u64);
    // Test hook (crates/creance/tests/cli.rs): stop for good after the named step, so that a test can
    // kill -9 the process at a chosen point of the demo.
    let pause_after = std::env::var("CREANCE_DEMO_PAUSE_AFTER").ok();
    let step = |step: creance_app::demo::DemoStep| {
        if pause_after.as_deref() == Some(step.code()) {
            eprintln!("demo paused after step {}", step.code());
            loop {
                std::thread::park();
            }
        }
    };
    let summary = app
        .demo_observed(&DemoOptions { customers, seed, as_of }, &progress, &step)
        .await
        .map_err(anyhow::Error::from)?;
    bar.finish_and_clear();
    if !summary.removed_incomplete.is_empty() {
        eprintln!("Removed the incomplete demo company {:?} an interrupted demo had left.", summary.removed_incomplete);
    }
    Ok(summary)
}

/// The company to act on: the one given, or the only one there is.
pub(crate) async fn company_or_only(app: &App, company: Option<i64>) -> anyhow::Result<i64> {
    if let Some(id) = company {
        return Ok(id);
    }
    let companies = app.companies().await.map_err(anyhow::Error::from)?;
    match companies.as_slice() {
        [only] => Ok(only.id),
        [] => bail!("the database has no company; run `creance demo` or `creance company create --name …`"),
        _ => bail!("the database has {} companies; say which with --company ID", companies.len()),
    }
}

async fn serve(app: App, listen: &str, demo: bool, customers: usize) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    if demo {
        let mut tx = app.db.begin_read().await?;
        let empty = creance_store::companies::is_empty(&mut tx).await?;
        drop(tx);
        let company_id = if empty {
            let summary = run_demo(&app, customers, 1, creance_store::clock::today_utc()).await?;
            eprintln!(
                "Demo data loaded: {} customers, {} invoices, {} payments.",
                summary.customers, summary.invoices, summary.payments
            );
            summary.company_id
        } else {
            let first = app.companies().await.map_err(anyhow::Error::from)?.first().map(|c| c.id);
            eprintln!("The database already has data; the demo was not loaded again.");
            first.context("the database has no company")?
        };
        let token = app
            .create_token(&Actor("serve --demo".into()), company_id, Role::Admin, "demo")
            .await
            .map_err(anyhow::Error::from)?;
        println!("Créance is serving http://{addr}");
        println!("Admin token for company {company_id}: {token}");
        println!("Try: curl -H \"Authorization: Bearer {token}\" 'http://{addr}/api/v1/open-items?overdue=true'");
    } else {
        println!("Créance is serving http://{addr}");
    }
    tracing::info!("listening on http://{addr} ({})", app.db.engine().name());
    creance_server::serve(app, listener).await?;
    Ok(ExitCode::SUCCESS)
}

async fn open_items(app: &App, cmd: OpenItemsCmd) -> anyhow::Result<ExitCode> {
    let company = company_or_only(app, cmd.company).await?;
    let args = OpenItemArgs {
        as_of: cmd.as_of,
        customer: cmd.customer,
        customer_from: cmd.customer_from,
        customer_to: cmd.customer_to,
        currency: cmd.currency,
        due_from: cmd.due_from,
        due_to: cmd.due_to,
        overdue: cmd.overdue.then(|| "true".to_string()),
        days_overdue_min: cmd.days_overdue_min,
        days_overdue_max: cmd.days_overdue_max,
        contract: cmd.contract,
        salesperson: cmd.salesperson,
        side: cmd.side,
        kind: cmd.kind,
        sort: cmd.sort,
        limit: Some(cmd.limit),
        offset: cmd.offset,
        ..OpenItemArgs::default()
    };
    let (filter, sorts, page) = args.parse(creance_store::clock::today_utc()).map_err(|e| anyhow::anyhow!("--{e}"))?;
    if cmd.by_document {
        let list = app.open_documents(company, &filter, &sorts, page).await.map_err(anyhow::Error::from)?;
        if cmd.json {
            output::json(&list)?;
        } else {
            output::open_documents(&list);
        }
    } else {
        let list = app.open_items(company, &filter, &sorts, page).await.map_err(anyhow::Error::from)?;
        if cmd.json {
            output::json(&list)?;
        } else {
            output::open_items(&list);
        }
    }
    Ok(ExitCode::SUCCESS)
}
