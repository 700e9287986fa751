//! The imported ledger from the command line (SPEC §4.10, §5): `creance customers list`, `contracts
//! list` and `documents list` — one page printed, `--json`, or the whole filtered list as CSV or PDF
//! (`--format csv|pdf --output FILE [--excel]`, as the API's `?format=`) — and `documents pdf` (a fee
//! or interest invoice to `--output FILE`, as `GET /api/v1/documents/{id}/pdf`).

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use creance_app::clock::today_utc;
use creance_app::exports::lists;
use creance_app::queries::{CustomerFilter, DocumentFilter, Listed, Page};
use creance_app::views::ledger::{Contract, Customer, Document};
use creance_app::App;
use creance_core::{ContractStatus, Currency, DocumentKind};

use crate::args::{app_err, company_or_only, date, optional_customer, PageArgs};
use crate::export_args::ExportArgs;
use crate::print::{self, opt, table};

/// `--company` and `--json`.
#[derive(clap::Args, Debug)]
pub struct Common {
    #[arg(long)]
    company: Option<i64>,
    /// Print what the API would answer.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum CustomersCmd {
    /// Customers by number.
    List {
        /// Lowest customer number (inclusive).
        #[arg(long)]
        number_from: Option<String>,
        /// Highest customer number (inclusive).
        #[arg(long)]
        number_to: Option<String>,
        /// Part of the number or name, any case.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        salesperson: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        export: ExportArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum ContractsCmd {
    /// Contracts by number.
    List {
        /// Only this customer's (by number).
        #[arg(long)]
        customer: Option<String>,
        /// active or ended.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        export: ExportArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum DocumentsCmd {
    /// Documents, newest first.
    List {
        /// Only this customer's (by number).
        #[arg(long)]
        customer: Option<String>,
        /// Only this contract's (by id).
        #[arg(long)]
        contract: Option<i64>,
        /// invoice, credit_note, fee_invoice, interest_invoice or opening_balance.
        #[arg(long)]
        kind: Option<String>,
        /// This document number only.
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        date_from: Option<String>,
        #[arg(long)]
        date_to: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// A fee or interest invoice created by a dunning run (by number, else by id) as PDF.
    Pdf {
        document: String,
        #[arg(long)]
        output: PathBuf,
        #[arg(long)]
        company: Option<i64>,
    },
}

pub async fn customers(app: &App, cmd: CustomersCmd) -> anyhow::Result<()> {
    let CustomersCmd::List { number_from, number_to, search, salesperson, currency, page, common, export } = cmd;
    let c = company_or_only(app, common.company).await?;
    let filters = [
        ("number_from", number_from.clone()),
        ("number_to", number_to.clone()),
        ("search", search.clone()),
        ("salesperson", salesperson.clone()),
        ("currency", currency.clone()),
    ];
    let currency = match currency.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(Currency::parse(code).map_err(|e| anyhow::anyhow!("--currency: {e}"))?),
    };
    let filter = CustomerFilter { number_from, number_to, search, salesperson, currency };
    if let Some(format) = export.file_format()? {
        let fetch = |page| app.customers(c, &filter, page);
        return export.listed(app, c, &lists::CUSTOMERS, format, &filters, fetch).await;
    }
    let list = app.customers(c, &filter, page.page()?).await.map_err(app_err)?;
    print::emit(common.json, &list, print_customers)
}

pub async fn contracts(app: &App, cmd: ContractsCmd) -> anyhow::Result<()> {
    let ContractsCmd::List { customer, status, page, common, export } = cmd;
    let c = company_or_only(app, common.company).await?;
    let filters = [("customer", customer.clone()), ("status", status.clone())];
    let customer_id = optional_customer(app, c, "--customer", customer).await?;
    let status = match status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(ContractStatus::parse(s).with_context(|| format!("--status: {s:?} is not active or ended"))?),
    };
    if let Some(format) = export.file_format()? {
        let fetch = |page| app.contracts(c, customer_id, status, page);
        return export.listed(app, c, &lists::CONTRACTS, format, &filters, fetch).await;
    }
    let list = app.contracts(c, customer_id, status, page.page()?).await.map_err(app_err)?;
    print::emit(common.json, &list, print_contracts)
}

pub async fn documents(app: &App, cmd: DocumentsCmd) -> anyhow::Result<()> {
    let (customer, contract, kind, number, date_from, date_to, page, common, export) = match cmd {
        DocumentsCmd::Pdf { document, output, company } => return document_pdf(app, company, &document, &output).await,
        DocumentsCmd::List { customer, contract, kind, number, date_from, date_to, page, common, export } => {
            (customer, contract, kind, number, date_from, date_to, page, common, export)
        }
    };
    let c = company_or_only(app, common.company).await?;
    let filters = [
        ("customer", customer.clone()),
        ("contract", contract.map(|id| id.to_string())),
        ("kind", kind.clone()),
        ("number", number.clone()),
        ("date_from", date_from.clone()),
        ("date_to", date_to.clone()),
    ];
    let kind = match kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(DocumentKind::parse(k).with_context(|| {
            format!("--kind: {k:?} is not invoice, credit_note, fee_invoice, interest_invoice or opening_balance")
        })?),
    };
    let filter = DocumentFilter {
        customer_id: optional_customer(app, c, "--customer", customer).await?,
        contract_id: contract,
        kind,
        date_from: date_from.as_deref().map(|d| date("--date-from", d)).transpose()?,
        date_to: date_to.as_deref().map(|d| date("--date-to", d)).transpose()?,
        number: number.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
    };
    if let Some(format) = export.file_format()? {
        let fetch = |page| app.documents(c, &filter, page);
        return export.listed(app, c, &lists::DOCUMENTS, format, &filters, fetch).await;
    }
    let list = app.documents(c, &filter, page.page()?).await.map_err(app_err)?;
    print::emit(common.json, &list, print_documents)
}

/// `creance documents pdf NUMBER-or-ID --output FILE`: a number is looked up first (document numbers
/// may be digits), then an id.
async fn document_pdf(app: &App, company: Option<i64>, document: &str, output: &std::path::Path) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let key = document.trim();
    let filter = DocumentFilter { number: Some(key.to_string()), ..Default::default() };
    let found = app.documents(c, &filter, Page { limit: 1, offset: 0 }).await.map_err(app_err)?;
    let id = match (found.items.first(), key.parse::<i64>()) {
        (Some(d), _) => d.id,
        (None, Ok(id)) => id,
        (None, Err(_)) => anyhow::bail!("no document numbered {key:?} in company {c}"),
    };
    let pdf = app.charge_invoice_pdf(c, id, today_utc()).await.map_err(app_err)?;
    std::fs::write(output, &pdf.bytes).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!("{}: {} bytes", output.display(), pdf.bytes.len());
    Ok(())
}

fn print_customers(list: &Listed<Customer>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|c| {
            let f = &c.fields;
            vec![
                f.number.clone(),
                f.name.clone(),
                f.currency.code().to_string(),
                f.language.code().to_string(),
                f.country.clone(),
                opt(&f.payer_number),
                f.salesperson.clone(),
                print::yes_no(f.dunning_enabled),
            ]
        })
        .collect();
    table(&["number", "name", "cur", "lang", "country", "payer", "salesperson", "dunned"], &rows, &[]);
    println!("\n{} of {} customer(s) shown.", list.items.len(), list.total_count);
}

fn print_contracts(list: &Listed<Contract>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|c| {
            let f = &c.fields;
            vec![
                f.number.clone(),
                f.customer_number.clone(),
                f.status.code().to_string(),
                f.start_date.to_string(),
                opt(&f.end_date),
            ]
        })
        .collect();
    table(&["number", "customer", "status", "start", "end"], &rows, &[]);
    println!("\n{} of {} contract(s) shown.", list.items.len(), list.total_count);
}

fn print_documents(list: &Listed<Document>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|d| {
            vec![
                d.id.to_string(),
                d.number.clone(),
                d.kind.code().to_string(),
                d.customer_number.clone(),
                d.date.to_string(),
                d.total.format_amount(),
                d.amount_open.format_amount(),
                d.currency.code().to_string(),
            ]
        })
        .collect();
    table(&["id", "number", "kind", "customer", "date", "total", "open", "cur"], &rows, &[0, 5, 6]);
    println!("\n{} of {} document(s) shown.", list.items.len(), list.total_count);
}
