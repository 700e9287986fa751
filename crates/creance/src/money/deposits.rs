//! `creance deposit …` (SPEC §4.5): the payments waiting to be deposited, and bank deposits of
//! cheques from draft to validated.

use clap::Subcommand;
use creance_app::clock::today_utc;
use creance_app::deposits::CreateDeposit;
use creance_app::queries::Page;
use creance_app::{Actor, App};

use super::print::{print_deposit, print_payments};
use crate::args::{app_err, company_or_only, date_or_today};
use crate::export_args::ExportArgs;
use crate::print;
use creance_app::exports::lists;

/// The payments `creance deposit pending` shows.
const PENDING_LISTED_MAX: i64 = 10_000;
/// The deposits `creance deposit list` shows.
const DEPOSITS_LISTED_MAX: i64 = 1000;

#[derive(Subcommand, Debug)]
pub enum DepositCmd {
    /// Payments waiting to be deposited (post-dated ones hidden unless --show-future).
    Pending {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        show_future: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Create a draft deposit of payments (by number) to a bank account (by id).
    Create {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        bank: i64,
        #[arg(long)]
        date: Option<String>,
        #[arg(required = true)]
        payments: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// The deposit slip as PDF (a draft deposit's is marked).
    Slip {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Validate a draft deposit (books bank / cheques to deposit).
    Validate {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Cancel a draft deposit created by mistake: its payments wait to be deposited again.
    Cancel {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// A deposit as its slip prints it.
    Show {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// List deposits.
    List {
        #[arg(long)]
        company: Option<i64>,
        /// draft or validated.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
}

pub async fn run(app: &App, actor: &Actor, cmd: DepositCmd) -> anyhow::Result<()> {
    match cmd {
        DepositCmd::Pending { company, as_of, show_future, json, export } => {
            pending(app, company, &as_of, show_future, json, export).await
        }
        DepositCmd::Create { company, bank, date, payments, json } => {
            create(app, actor, company, bank, date, &payments, json).await
        }
        DepositCmd::Slip { id, company, output } => crate::documents::deposit_slip(app, company, id, &output).await,
        DepositCmd::Validate { id, company, json } => {
            let c = company_or_only(app, company).await?;
            let d = app.validate_deposit(actor, c, id).await.map_err(app_err)?;
            print::emit(json, &d, print_deposit)
        }
        DepositCmd::Cancel { id, company, json } => {
            let c = company_or_only(app, company).await?;
            let d = app.cancel_deposit(actor, c, id).await.map_err(app_err)?;
            print::emit(json, &d, |d| {
                println!("Deposit {} cancelled; its payments wait to be deposited again.", d.deposit.number)
            })
        }
        DepositCmd::Show { id, company, json } => {
            let c = company_or_only(app, company).await?;
            let d = app.deposit(c, id).await.map_err(app_err)?;
            print::emit(json, &d, print_deposit)
        }
        DepositCmd::List { company, status, json, export } => list(app, company, status.as_deref(), json, export).await,
    }
}

async fn pending(
    app: &App,
    company: Option<i64>,
    as_of: &Option<String>,
    show_future: bool,
    json: bool,
    export: ExportArgs,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let as_of = date_or_today("--as-of", as_of)?;
    if let Some(format) = export.file_format()? {
        let filters = [("as_of", Some(as_of.to_string())), ("show_future", show_future.then(|| "true".to_string()))];
        let fetch = |page| app.to_deposit(c, as_of, show_future, page);
        return export.listed(app, c, &lists::PAYMENTS_TO_DEPOSIT, format, &filters, fetch).await;
    }
    let page = Page { limit: PENDING_LISTED_MAX, offset: 0 };
    let list = app.to_deposit(c, as_of, show_future, page).await.map_err(app_err)?;
    print::emit(json, &list, |list| {
        print_payments(&list.items);
        println!("\n{} payment(s) to deposit.", list.total_count);
    })
}

async fn create(
    app: &App,
    actor: &Actor,
    company: Option<i64>,
    bank: i64,
    date: Option<String>,
    payments: &[String],
    json: bool,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let ids = app.payment_ids_by_number(c, payments).await.map_err(app_err)?;
    let input = CreateDeposit { bank_account_id: bank, date, payment_ids: ids };
    let d = app.create_deposit(actor, c, &input, today_utc()).await.map_err(app_err)?;
    print::emit(json, &d, print_deposit)
}

async fn list(
    app: &App,
    company: Option<i64>,
    status: Option<&str>,
    json: bool,
    export: ExportArgs,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    if let Some(format) = export.file_format()? {
        let filters = [("status", status.map(str::to_string))];
        let fetch = |page| app.deposits(c, status, page);
        return export.listed(app, c, &lists::DEPOSITS, format, &filters, fetch).await;
    }
    let list = app.deposits(c, status, Page { limit: DEPOSITS_LISTED_MAX, offset: 0 }).await.map_err(app_err)?;
    print::emit(json, &list, |list| {
        let rows: Vec<Vec<String>> = list
            .items
            .iter()
            .map(|d| {
                vec![
                    d.id.to_string(),
                    d.number.clone(),
                    d.date.to_string(),
                    d.bank_name.clone(),
                    d.payment_count.to_string(),
                    d.total.format_amount(),
                    d.total.currency().code().to_string(),
                    d.status.to_string(),
                ]
            })
            .collect();
        print::table(&["id", "number", "date", "bank", "payments", "total", "cur", "status"], &rows, &[4, 5]);
    })
}
