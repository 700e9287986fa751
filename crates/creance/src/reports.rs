//! `creance report aging|statement|dso` (SPEC §4.10) and `creance settings reports`: the reports of
//! `creance_app::reports`, printed as a table, as JSON (`--json`), or written as CSV or PDF
//! (`--format csv|pdf [--output FILE] [--excel]`), the same bytes as the API's `?format=`.

use clap::{Args, Subcommand};
use creance_app::clock::today_utc;
use creance_app::exports::Format;
use creance_app::reports::{AgingArgs, AgingReport, DsoArgs, DsoReport, ReportSettingsInput, Statement, StatementArgs};
use creance_app::{Actor, App};

use crate::args::{app_err, company_or_only};
use crate::export_args::ExportArgs;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The aging report: open debits per bucket, unallocated credits and the balance per customer
    /// and currency, with totals per currency; a past --as-of shows the ledger as it stood then.
    Aging {
        #[arg(long)]
        company: Option<i64>,
        /// The report's date (default: today).
        #[arg(long)]
        as_of: Option<String>,
        /// due_date or document_date (default: the company's setting).
        #[arg(long)]
        basis: Option<String>,
        /// Day bounds for this report, e.g. 0,30,60,90 (default: the company's setting).
        #[arg(long)]
        buckets: Option<String>,
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
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// A customer's statement for a period: opening balance, every document, payment, allocation
    /// and refund, closing balance and aging; the PDF in the customer's language.
    Statement {
        #[arg(long)]
        company: Option<i64>,
        /// The customer, by number.
        #[arg(long)]
        customer: String,
        #[arg(long)]
        from: String,
        /// Default: today.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Days sales outstanding over a period, per customer and for the company (countback and
    /// simple methods).
    Dso {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        from: String,
        /// Default: today; receivables are taken as of this date.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
}

#[derive(Args, Debug)]
pub struct ReportSettingsArgs {
    #[arg(long)]
    company: Option<i64>,
    /// Change the settings: the fields given are set, the others kept.
    #[arg(long)]
    set: bool,
    /// The aging buckets' day bounds, from 0, strictly increasing (0,30,60,90).
    #[arg(long, requires = "set")]
    buckets: Option<String>,
    /// The aging report's default basis: due_date or document_date.
    #[arg(long, requires = "set")]
    basis: Option<String>,
    #[arg(long)]
    json: bool,
}

fn aging_table(r: &AgingReport) {
    let mut headers = vec!["customer", "name", "currency"];
    headers.extend(r.buckets.iter().map(|b| b.key.as_str()));
    headers.extend(["credits", "refunds", "balance"]);
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .chain(&r.totals)
        .map(|l| {
            let mut cells = vec![
                if l.customer_number.is_empty() { "total".to_string() } else { l.customer_number.clone() },
                l.customer_name.clone(),
                l.currency.code().to_string(),
            ];
            cells.extend(l.buckets.iter().map(|b| b.format_amount()));
            cells.extend([l.credits_unallocated, l.refunds_to_allocate, l.balance].map(|t| t.format_amount()));
            cells
        })
        .collect();
    let right: Vec<usize> = (3..headers.len()).collect();
    println!("Aging as of {}{} by {}", r.as_of, if r.past { " (as it stood then)" } else { "" }, r.basis);
    print::table(&headers, &rows, &right);
}

fn statement_table(s: &Statement) {
    println!("Statement of {} {} from {} to {}", s.customer_number, s.customer_name, s.from, s.to);
    for c in &s.currencies {
        println!("{}: opening balance {}", c.currency, c.opening_balance.format_amount());
        let rows: Vec<Vec<String>> = c
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.date.to_string(),
                    l.entry.clone(),
                    l.number.clone(),
                    l.reference.clone(),
                    l.amount.format_amount(),
                    l.effect.format_amount(),
                    l.balance.format_amount(),
                ]
            })
            .collect();
        print::table(&["date", "entry", "number", "reference", "amount", "effect", "balance"], &rows, &[4, 5, 6]);
        println!("{}: closing balance {}", c.currency, c.closing_balance.format_amount());
    }
}

fn dso_table(r: &DsoReport) {
    println!("DSO from {} to {} ({} days)", r.from, r.to, r.days);
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .chain(&r.totals)
        .map(|l| {
            vec![
                if l.customer_number.is_empty() { "company".to_string() } else { l.customer_number.clone() },
                l.currency.code().to_string(),
                l.receivables.format_amount(),
                l.sales.format_amount(),
                print::opt(&l.dso_simple),
                format!("{}{}", l.dso_countback, if l.countback_beyond_period { "+" } else { "" }),
            ]
        })
        .collect();
    print::table(&["customer", "currency", "receivables", "sales", "simple", "countback"], &rows, &[2, 3, 4, 5]);
}

/// Writes `csv` or renders the PDF as asked; `false` when no file format was asked.
async fn write_file(
    export: &ExportArgs,
    csv: impl FnOnce(creance_app::exports::Dialect) -> Result<Vec<u8>, creance_app::AppError>,
    pdf: impl std::future::Future<Output = Result<Vec<u8>, creance_app::AppError>>,
) -> anyhow::Result<bool> {
    match export.file_format()? {
        None => Ok(false),
        Some(Format::Csv) => {
            export.pdf(&csv(export.dialect()).map_err(app_err)?, None)?;
            Ok(true)
        }
        Some(_) => {
            export.pdf(&pdf.await.map_err(app_err)?, None)?;
            Ok(true)
        }
    }
}

pub async fn run(app: &App, cmd: ReportCmd) -> anyhow::Result<()> {
    let today = today_utc();
    // A refusal names the option at fault, as `creance open-items` does (`--from: …`).
    let flag = |e: creance_app::AppError| anyhow::anyhow!("--{e}");
    match cmd {
        ReportCmd::Aging {
            company,
            as_of,
            basis,
            buckets,
            customer,
            customer_from,
            customer_to,
            currency,
            json,
            export,
        } => {
            let c = company_or_only(app, company).await?;
            let args = AgingArgs {
                as_of,
                basis,
                buckets,
                customer,
                customer_from,
                customer_to,
                currency,
                ..Default::default()
            };
            let r = app.aging_report(c, &args, today).await.map_err(flag)?;
            let header = ExportArgs::header(&[
                ("as_of", Some(r.as_of.to_string())),
                ("basis", Some(r.basis.clone())),
                ("customer", args.customer.clone()),
                ("currency", args.currency.clone()),
            ]);
            if !write_file(&export, |d| r.csv(d), app.aging_pdf(c, &r, header)).await? {
                print::emit(json, &r, aging_table)?;
            }
        }
        ReportCmd::Statement { company, customer, from, to, currency, json, export } => {
            let c = company_or_only(app, company).await?;
            let args = StatementArgs { customer: Some(customer), from: Some(from), to, currency, ..Default::default() };
            let s = app.statement(c, &args, today).await.map_err(flag)?;
            let pdf = async { app.statement_pdf(c, &s, today).await.map(|p| p.bytes) };
            if !write_file(&export, |d| s.csv(d), pdf).await? {
                print::emit(json, &s, statement_table)?;
            }
        }
        ReportCmd::Dso { company, from, to, customer, currency, json, export } => {
            let c = company_or_only(app, company).await?;
            let args = DsoArgs { from: Some(from), to, customer, currency, ..Default::default() };
            let r = app.dso_report(c, &args, today).await.map_err(flag)?;
            let header = ExportArgs::header(&[("from", Some(r.from.to_string())), ("to", Some(r.to.to_string()))]);
            if !write_file(&export, |d| r.csv(d), app.dso_pdf(c, &r, header)).await? {
                print::emit(json, &r, dso_table)?;
            }
        }
    }
    Ok(())
}

/// `creance settings reports [--set --buckets B --basis B]`.
pub async fn settings(app: &App, actor: &Actor, a: ReportSettingsArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    let s = if a.set {
        let input = ReportSettingsInput { aging_buckets: a.buckets, aging_basis: a.basis };
        app.set_report_settings(actor, c, &input).await.map_err(|e| anyhow::anyhow!("--{e}"))?
    } else {
        app.report_settings(c).await.map_err(app_err)?
    };
    print::emit(a.json, &s, |s| println!("aging buckets: {}\naging basis: {}", s.aging_buckets, s.aging_basis))
}
