//! `creance payment …` (SPEC §4.2): record, list, show, propose, allocate, cancel and move payments;
//! and `creance advances`, the payments waiting for their invoice.

use anyhow::bail;
use clap::Subcommand;
use creance_app::clock::today_utc;
use creance_app::payment_customer::SetPaymentCustomer;
use creance_app::payments::PaymentFilter;
use creance_app::payments::{AllocateRequest, CreditRef, RecordPayment};
use creance_app::queries::Page;
use creance_app::{Actor, App};

use super::allocations::HowToAllocate;
use super::payment_id;
use super::print::{print_allocations, print_payment, print_payments, print_proposal};
use crate::args::{app_err, company_or_only, date, date_or_today, optional_customer, PageArgs};
use crate::export_args::ExportArgs;
use crate::print;
use creance_app::exports::lists;

#[derive(Subcommand, Debug)]
pub enum PaymentCmd {
    /// Record a payment; prints it, its allocations and the proposal for what is left.
    Record(RecordArgs),
    /// List payments, newest first.
    List(ListArgs),
    /// One payment (by number) with its allocations and the proposal for what is left.
    Show {
        number: String,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The allocation proposal for a payment (by number).
    Propose {
        number: String,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Allocate a payment (by number): the proposal, or chosen installments.
    Allocate {
        number: String,
        #[command(flatten)]
        how: HowToAllocate,
    },
    /// Cancel an unallocated payment (by number).
    Cancel {
        number: String,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move a payment (by number) with nothing allocated or refunded to another customer; its
    /// receivable follows in the journal.
    SetCustomer {
        number: String,
        #[arg(long)]
        company: Option<i64>,
        /// The customer number it belongs to.
        #[arg(long)]
        customer: String,
        /// The date of the journal transfer (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct RecordArgs {
    #[arg(long)]
    company: Option<i64>,
    /// The paying customer's number.
    #[arg(long)]
    customer: String,
    /// In major units: 100.50, "1 234,50".
    #[arg(long)]
    amount: String,
    /// Default: the customer's currency.
    #[arg(long)]
    currency: Option<String>,
    /// Default: today.
    #[arg(long)]
    date: Option<String>,
    /// A payment method code (creance method list).
    #[arg(long)]
    method: String,
    /// Cheque number, transfer reference.
    #[arg(long, default_value = "")]
    piece: String,
    #[arg(long, default_value = "")]
    customer_bank: String,
    /// The bank account (id) it is to be deposited to.
    #[arg(long)]
    deposit_bank: Option<i64>,
    /// A post-dated cheque: not to deposit before this date.
    #[arg(long)]
    deposit_date: Option<String>,
    #[arg(long, default_value = "")]
    order_ref: String,
    #[arg(long, default_value = "")]
    note: String,
    /// Record it even though it looks like a duplicate.
    #[arg(long)]
    confirm_duplicate: bool,
    /// proposal: allocate the proposal at once; none (default): only show it.
    #[arg(long, default_value = "none")]
    allocate: String,
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    company: Option<i64>,
    #[arg(long)]
    customer: Option<String>,
    /// Only payments with something unallocated.
    #[arg(long)]
    unallocated: bool,
    /// active or cancelled.
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    #[command(flatten)]
    page: PageArgs,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    export: ExportArgs,
}

pub async fn run(app: &App, actor: &Actor, cmd: PaymentCmd) -> anyhow::Result<()> {
    match cmd {
        PaymentCmd::Record(args) => record(app, actor, args).await,
        PaymentCmd::List(args) => list(app, args).await,
        PaymentCmd::Show { number, company, json } => show(app, company, &number, json).await,
        PaymentCmd::Propose { number, company, json } => propose(app, company, &number, json).await,
        PaymentCmd::Allocate { number, how } => allocate(app, actor, &number, how).await,
        PaymentCmd::Cancel { number, company, reason, date, json } => {
            cancel(app, actor, company, &number, &reason, &date, json).await
        }
        PaymentCmd::SetCustomer { number, company, customer, date, json } => {
            set_customer(app, actor, company, &number, customer, date, json).await
        }
    }
}

async fn record(app: &App, actor: &Actor, a: RecordArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    let allocate = match a.allocate.as_str() {
        "none" => None,
        "proposal" => Some(AllocateRequest::Proposal),
        other => bail!("--allocate {other:?}: use proposal or none"),
    };
    let input = RecordPayment {
        customer_number: Some(a.customer),
        date: a.date,
        amount: a.amount.into(),
        currency: a.currency,
        method: a.method,
        piece_number: a.piece,
        customer_bank: a.customer_bank,
        deposit_bank_id: a.deposit_bank,
        deposit_date: a.deposit_date,
        order_ref: a.order_ref,
        note: a.note,
        confirm_duplicate: a.confirm_duplicate,
        allocate,
        ..Default::default()
    };
    let detail = app.record_payment(actor, c, &input, today_utc()).await.map_err(app_err)?;
    print::emit(a.json, &detail, print_payment)
}

async fn list(app: &App, a: ListArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    let filter = PaymentFilter {
        customer_id: optional_customer(app, c, "--customer", a.customer.clone()).await?,
        status: a.status,
        unallocated: a.unallocated.then_some(true),
        date_from: a.from.as_deref().map(|f| date("--from", f)).transpose()?,
        date_to: a.to.as_deref().map(|t| date("--to", t)).transpose()?,
        ..Default::default()
    };
    if let Some(format) = a.export.file_format()? {
        let filters = [("customer", a.customer), ("from", a.from), ("to", a.to)];
        let fetch = |page| {
            let filter = filter.clone();
            async move { app.payments(c, &filter, page).await }
        };
        return a.export.listed(app, c, &lists::PAYMENTS, format, &filters, fetch).await;
    }
    let list = app.payments(c, &filter, a.page.page()?).await.map_err(app_err)?;
    print::emit(a.json, &list, |list| {
        print_payments(&list.items);
        println!("\n{} of {} payment(s) shown.", list.items.len(), list.total_count);
    })
}

async fn show(app: &App, company: Option<i64>, number: &str, json: bool) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let detail = app.payment_by_number(c, number).await.map_err(app_err)?;
    print::emit(json, &detail, print_payment)
}

async fn propose(app: &App, company: Option<i64>, number: &str, json: bool) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let id = payment_id(app, c, number).await?;
    let p = app.proposal(c, CreditRef::Payment(id)).await.map_err(app_err)?;
    print::emit(json, &p, print_proposal)
}

async fn allocate(app: &App, actor: &Actor, number: &str, how: HowToAllocate) -> anyhow::Result<()> {
    let c = company_or_only(app, how.company).await?;
    let id = payment_id(app, c, number).await?;
    let request = how.request()?;
    let date = date_or_today("--date", &how.date)?;
    let made = app.allocate(actor, c, CreditRef::Payment(id), &request, date).await.map_err(app_err)?;
    if how.json {
        print::json(&made)?;
    } else {
        print_allocations(&made);
        let after = app.payment(c, id).await.map_err(app_err)?;
        println!("Payment {} now has {} unallocated.", after.payment.number, after.payment.unallocated);
    }
    Ok(())
}

async fn cancel(
    app: &App,
    actor: &Actor,
    company: Option<i64>,
    number: &str,
    reason: &str,
    date: &Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let id = payment_id(app, c, number).await?;
    let date = date_or_today("--date", date)?;
    let p = app.cancel_payment(actor, c, id, reason, date).await.map_err(app_err)?;
    print::emit(json, &p, |p| {
        println!("Payment {} of {} cancelled: {}", p.number, p.amount, p.cancel_reason);
    })
}

async fn set_customer(
    app: &App,
    actor: &Actor,
    company: Option<i64>,
    number: &str,
    customer: String,
    date: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let id = payment_id(app, c, number).await?;
    let input = SetPaymentCustomer { customer_number: Some(customer), date, ..Default::default() };
    let d = app.set_payment_customer(actor, c, id, &input, today_utc()).await.map_err(app_err)?;
    print::emit(json, &d, print_payment)
}

/// `creance advances`: payments with an order reference waiting for their invoice (at most 1,000).
pub async fn advances(
    app: &App,
    company: Option<i64>,
    customer_number: Option<String>,
    json: bool,
    export: ExportArgs,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let customer = optional_customer(app, c, "--customer", customer_number.clone()).await?;
    if let Some(format) = export.file_format()? {
        let filters = [("customer", customer_number)];
        let fetch = |page| app.advances(c, customer, page);
        return export.listed(app, c, &lists::ADVANCES, format, &filters, fetch).await;
    }
    let list = app.advances(c, customer, Page { limit: 1000, offset: 0 }).await.map_err(app_err)?;
    print::emit(json, &list, |list| {
        print_payments(&list.items);
        println!("\n{} advance(s) waiting for their invoice.", list.total_count);
    })
}
