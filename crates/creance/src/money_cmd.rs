//! The money commands (SPEC §4.2–4.5, §4.9): payments, allocation, refunds, advances, bank deposits,
//! the company's money settings and the journal export. Each calls one use case of `creance_app`;
//! `--json` prints what the API would answer.

use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use creance_app::deposits::CreateDeposit;
use creance_app::journal::JournalFormat;
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest, PaymentDetail, Proposal, RecordPayment};
use creance_app::queries::Page;
use creance_app::refunds::{RecordRefund, RefundAllocate, RefundLine};
use creance_app::settings::NewBank;
use creance_app::{Actor, App};
use creance_store::allocations::Allocation;
use creance_store::clock::today_utc;
use creance_store::payments::{Payment, PaymentFilter};
use creance_store::refunds::{Refund, RefundFilter};
use creance_store::settings::{MoneySettings, PaymentMethod};

use crate::output;

#[derive(Subcommand, Debug)]
pub enum MoneyCommand {
    /// Payments received: record, list, show, propose, allocate, cancel.
    Payment {
        #[command(subcommand)]
        command: PaymentCmd,
    },
    /// Allocate credit notes to invoices, like payments.
    CreditNote {
        #[command(subcommand)]
        command: CreditNoteCmd,
    },
    /// Unallocate: append the reversal of an allocation.
    Allocation {
        #[command(subcommand)]
        command: AllocationCmd,
    },
    /// Allocate every unallocated payment and credit note at once (a preview unless --confirm).
    AutoAllocate {
        #[arg(long)]
        company: Option<i64>,
        /// Only the credits of the customers this payer (a customer number) pays for.
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        confirm: bool,
        /// The allocations' date (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Refunds: record, list, show, allocate, letter.
    Refund {
        #[command(subcommand)]
        command: RefundCmd,
    },
    /// Advances: payments with an order reference waiting for their invoice.
    Advances {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Bank deposits of cheques: pending, create, validate, show, list.
    Deposit {
        #[command(subcommand)]
        command: DepositCmd,
    },
    /// The company's bank accounts.
    Bank {
        #[command(subcommand)]
        command: BankCmd,
    },
    /// The company's payment methods.
    Method {
        #[command(subcommand)]
        command: MethodCmd,
    },
    /// Account codes of the journal entries, and the money settings.
    Accounts {
        #[command(subcommand)]
        command: AccountsCmd,
    },
    /// Exports.
    Export {
        #[command(subcommand)]
        command: ExportCmd,
    },
}

#[derive(Subcommand, Debug)]
pub enum PaymentCmd {
    /// Record a payment; prints it, its allocations and the proposal for what is left.
    Record {
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
    },
    /// List payments, newest first.
    List {
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
        #[arg(long, default_value = "100")]
        limit: String,
        #[arg(long)]
        offset: Option<String>,
        #[arg(long)]
        json: bool,
    },
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
pub struct HowToAllocate {
    #[arg(long)]
    company: Option<i64>,
    /// Allocate the proposal.
    #[arg(long, conflicts_with = "line")]
    proposal: bool,
    /// INSTALLMENT_ID or INSTALLMENT_ID=AMOUNT (the whole open amount when no amount); repeatable.
    #[arg(long)]
    line: Vec<String>,
    /// The allocation date (default: today).
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum CreditNoteCmd {
    /// The allocation proposal for a credit note (by document id).
    Propose {
        document_id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Allocate a credit note (by document id).
    Allocate {
        document_id: i64,
        #[command(flatten)]
        how: HowToAllocate,
    },
}

#[derive(Subcommand, Debug)]
pub enum AllocationCmd {
    /// Reverse an allocation (by id); the amount goes back to both sides.
    Reverse {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RefundCmd {
    /// Record a refund; allocate it at once with --allocate auto or --from-payment/--from-credit-note.
    Record {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        customer: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        currency: Option<String>,
        /// overpayment, credit_note, duplicate_payment, cancelled_order or other.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        method: String,
        /// The bank account (id) the money leaves from.
        #[arg(long)]
        bank: Option<i64>,
        #[arg(long, default_value = "")]
        piece: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        date: Option<String>,
        /// auto: the customer's credits, those the reason names first, then the oldest.
        #[arg(long)]
        allocate: Option<String>,
        /// PAYMENT_NUMBER or PAYMENT_NUMBER=AMOUNT; repeatable.
        #[arg(long)]
        from_payment: Vec<String>,
        /// CREDIT_NOTE_DOCUMENT_ID or ID=AMOUNT; repeatable.
        #[arg(long)]
        from_credit_note: Vec<String>,
        /// Record it even though it looks like a duplicate (same customer, amount and piece number).
        #[arg(long)]
        confirm_duplicate: bool,
        #[arg(long)]
        json: bool,
    },
    /// List refunds.
    List {
        #[arg(long)]
        company: Option<i64>,
        /// Only those waiting "to allocate".
        #[arg(long)]
        to_allocate: bool,
        #[arg(long)]
        json: bool,
    },
    /// One refund (by id).
    Show {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Allocate a refund waiting "to allocate".
    Allocate {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        auto: bool,
        #[arg(long)]
        from_payment: Vec<String>,
        #[arg(long)]
        from_credit_note: Vec<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Unallocate a refund allocation (by id): the refund waits "to allocate" that amount again.
    Unallocate {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// What the refund letter prints (once the refund is allocated).
    Letter {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

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
    },
}

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

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// The journal lines dated from --from to --to, as CSV or as the French FEC.
    Journal {
        #[arg(long)]
        company: Option<i64>,
        /// csv or fec.
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Write to this file instead of the standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

fn date_or_today(flag: &str, v: &Option<String>) -> anyhow::Result<creance_core::Date> {
    match v {
        None => Ok(today_utc()),
        Some(s) => creance_core::Date::parse(s).map_err(|e| anyhow::anyhow!("{flag}: {e}")),
    }
}

fn yes_no(flag: &str, v: &str) -> anyhow::Result<bool> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "oui" => Ok(true),
        "no" | "n" | "false" | "0" | "non" => Ok(false),
        other => bail!("{flag}: {other:?} is not yes or no"),
    }
}

fn app_err(e: creance_app::AppError) -> anyhow::Error {
    anyhow::Error::from(e)
}

async fn customer_id(app: &App, company: i64, number: &str) -> anyhow::Result<i64> {
    let filter = creance_store::customers::CustomerFilter {
        number_from: Some(number.to_string()),
        number_to: Some(number.to_string()),
        ..Default::default()
    };
    let list = app.customers(company, &filter, Page { limit: 1, offset: 0 }).await.map_err(app_err)?;
    list.items.first().map(|c| c.id).with_context(|| format!("--customer: no customer {number} in company {company}"))
}

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

fn request_of(how: &HowToAllocate) -> anyhow::Result<AllocateRequest> {
    if how.proposal {
        return Ok(AllocateRequest::Proposal);
    }
    if how.line.is_empty() {
        bail!("say what to allocate: --proposal, or --line INSTALLMENT_ID[=AMOUNT] (repeatable)");
    }
    let mut lines = Vec::new();
    for l in &how.line {
        let (id, amount) = split_line("--line", l)?;
        let installment_id = id.parse().with_context(|| format!("--line {l:?}: {id:?} is not an installment id"))?;
        lines.push(LineRequest { installment_id, amount: amount.map(Into::into) });
    }
    Ok(AllocateRequest::Lines(lines))
}

async fn refund_lines(
    app: &App,
    company: i64,
    payments: &[String],
    notes: &[String],
) -> anyhow::Result<Vec<RefundLine>> {
    let mut lines = Vec::new();
    for p in payments {
        let (number, amount) = split_line("--from-payment", p)?;
        lines.push(RefundLine {
            payment_id: Some(payment_id(app, company, &number).await?),
            credit_note_id: None,
            amount: amount.map(Into::into),
        });
    }
    for n in notes {
        let (id, amount) = split_line("--from-credit-note", n)?;
        let id = id.parse().with_context(|| format!("--from-credit-note {n:?}: {id:?} is not a document id"))?;
        lines.push(RefundLine { payment_id: None, credit_note_id: Some(id), amount: amount.map(Into::into) });
    }
    Ok(lines)
}

fn print_payments(items: &[Payment]) {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|p| {
            vec![
                p.number.clone(),
                p.date.to_string(),
                p.customer_number.clone(),
                p.method.clone(),
                p.piece_number.clone(),
                p.amount.format_amount(),
                p.unallocated.format_amount(),
                p.amount.currency().code().to_string(),
                p.status.clone(),
            ]
        })
        .collect();
    output::table(
        &["number", "date", "customer", "method", "piece", "amount", "unallocated", "cur", "status"],
        &rows,
        &[5, 6],
    );
}

fn print_allocations(items: &[Allocation]) {
    if items.is_empty() {
        println!("No allocation.");
        return;
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|a| {
            let state = match (a.reverses_id, a.reversed_by) {
                (Some(r), _) => format!("reversal of {r}"),
                (None, Some(r)) => format!("reversed by {r}"),
                (None, None) => "active".to_string(),
            };
            vec![
                a.id.to_string(),
                a.date.to_string(),
                a.payment_number.clone().or_else(|| a.credit_document_number.clone()).unwrap_or_default(),
                a.document_number.clone(),
                a.installment_id.to_string(),
                a.amount.format_amount(),
                state,
            ]
        })
        .collect();
    output::table(&["allocation", "date", "credit", "document", "installment", "amount", "state"], &rows, &[5]);
}

fn print_proposal(p: &Proposal) {
    if p.lines.is_empty() {
        println!("No open installment to propose: {} stays unallocated.", p.unallocated);
        return;
    }
    println!("Proposal for {} unallocated:", p.unallocated);
    let rows: Vec<Vec<String>> = p
        .lines
        .iter()
        .map(|l| {
            vec![
                l.installment_id.to_string(),
                l.document_number.clone(),
                l.due_date.to_string(),
                l.amount_open.format_amount(),
                l.amount.format_amount(),
            ]
        })
        .collect();
    output::table(&["installment", "document", "due", "open", "allocate"], &rows, &[3, 4]);
    println!("Left unallocated afterwards: {}", p.remaining);
}

fn print_payment(d: &PaymentDetail) {
    let p = &d.payment;
    println!(
        "Payment {} of {} from {} {} on {} by {}{}{}",
        p.number,
        p.amount,
        p.customer_number,
        p.customer_name,
        p.date,
        p.method,
        if p.piece_number.is_empty() { String::new() } else { format!(" ({})", p.piece_number) },
        if p.status == "cancelled" { format!(" — cancelled: {}", p.cancel_reason) } else { String::new() }
    );
    println!("Unallocated: {}", p.unallocated);
    print_allocations(&d.allocations);
    if let Some(proposal) = &d.proposal {
        print_proposal(proposal);
    }
}

fn print_refund(r: &Refund) {
    println!(
        "Refund {} (id {}) of {} to {} {} on {} — {}, by {}; to allocate: {}",
        r.number, r.id, r.amount, r.customer_number, r.customer_name, r.date, r.reason, r.method, r.to_allocate
    );
    for a in &r.allocations {
        let credit = a.payment_number.clone().or_else(|| a.credit_document_number.clone()).unwrap_or_default();
        println!("  {} from {credit}: {}", a.id, a.amount);
    }
}

pub async fn run(app: &App, actor: &Actor, cmd: MoneyCommand) -> anyhow::Result<ExitCode> {
    use crate::cli::company_or_only as company;
    let page = |limit: &str, offset: &Option<String>| -> anyhow::Result<Page> {
        let limit = limit.parse().with_context(|| format!("--limit {limit:?} is not a number"))?;
        let offset = match offset {
            Some(o) => Some(o.parse().with_context(|| format!("--offset {o:?} is not a number"))?),
            None => None,
        };
        Page::new(Some(limit), offset).map_err(|e| anyhow::anyhow!("--{e}"))
    };
    match cmd {
        MoneyCommand::Payment { command } => match command {
            PaymentCmd::Record {
                company: c,
                customer,
                amount,
                currency,
                date,
                method,
                piece,
                customer_bank,
                deposit_bank,
                deposit_date,
                order_ref,
                note,
                confirm_duplicate,
                allocate,
                json,
            } => {
                let c = company(app, c).await?;
                let allocate = match allocate.as_str() {
                    "none" => None,
                    "proposal" => Some(AllocateRequest::Proposal),
                    other => bail!("--allocate {other:?}: use proposal or none"),
                };
                let input = RecordPayment {
                    customer_number: Some(customer),
                    date,
                    amount: amount.into(),
                    currency,
                    method,
                    piece_number: piece,
                    customer_bank,
                    deposit_bank_id: deposit_bank,
                    deposit_date,
                    order_ref,
                    note,
                    confirm_duplicate,
                    allocate,
                    ..Default::default()
                };
                let detail = app.record_payment(actor, c, &input, today_utc()).await.map_err(app_err)?;
                output::emit(json, &detail, |detail| {
                    print_payment(detail);
                })?;
            }
            PaymentCmd::List { company: c, customer, unallocated, status, from, to, limit, offset, json } => {
                let c = company(app, c).await?;
                let customer_id = match customer {
                    Some(n) => Some(customer_id(app, c, &n).await?),
                    None => None,
                };
                let filter = PaymentFilter {
                    customer_id,
                    status,
                    unallocated: unallocated.then_some(true),
                    date_from: from.as_ref().map(|f| date_or_today("--from", &Some(f.clone()))).transpose()?,
                    date_to: to.as_ref().map(|t| date_or_today("--to", &Some(t.clone()))).transpose()?,
                    ..Default::default()
                };
                let list = app.payments(c, &filter, page(&limit, &offset)?).await.map_err(app_err)?;
                output::emit(json, &list, |list| {
                    print_payments(&list.items);
                    println!("\n{} of {} payment(s) shown.", list.items.len(), list.total_count);
                })?;
            }
            PaymentCmd::Show { number, company: c, json } => {
                let c = company(app, c).await?;
                let detail = app.payment_by_number(c, &number).await.map_err(app_err)?;
                output::emit(json, &detail, |detail| {
                    print_payment(detail);
                })?;
            }
            PaymentCmd::Propose { number, company: c, json } => {
                let c = company(app, c).await?;
                let id = payment_id(app, c, &number).await?;
                let p = app.proposal(c, CreditRef::Payment(id)).await.map_err(app_err)?;
                output::emit(json, &p, |p| {
                    print_proposal(p);
                })?;
            }
            PaymentCmd::Allocate { number, how } => {
                let c = company(app, how.company).await?;
                let id = payment_id(app, c, &number).await?;
                let request = request_of(&how)?;
                let date = date_or_today("--date", &how.date)?;
                let made = app.allocate(actor, c, CreditRef::Payment(id), &request, date).await.map_err(app_err)?;
                if how.json {
                    output::json(&made)?;
                } else {
                    print_allocations(&made);
                    let after = app.payment(c, id).await.map_err(app_err)?;
                    println!("Payment {} now has {} unallocated.", after.payment.number, after.payment.unallocated);
                }
            }
            PaymentCmd::Cancel { number, company: c, reason, date, json } => {
                let c = company(app, c).await?;
                let id = payment_id(app, c, &number).await?;
                let date = date_or_today("--date", &date)?;
                let p = app.cancel_payment(actor, c, id, &reason, date).await.map_err(app_err)?;
                output::emit(json, &p, |p| {
                    println!("Payment {} of {} cancelled: {}", p.number, p.amount, p.cancel_reason);
                })?;
            }
            PaymentCmd::SetCustomer { number, company: c, customer, date, json } => {
                let c = company(app, c).await?;
                let id = payment_id(app, c, &number).await?;
                let input = creance_app::payment_customer::SetPaymentCustomer {
                    customer_number: Some(customer),
                    date,
                    ..Default::default()
                };
                let d = app.set_payment_customer(actor, c, id, &input, today_utc()).await.map_err(app_err)?;
                output::emit(json, &d, print_payment)?;
            }
        },
        MoneyCommand::CreditNote { command } => match command {
            CreditNoteCmd::Propose { document_id, company: c, json } => {
                let c = company(app, c).await?;
                let p = app.proposal(c, CreditRef::CreditNote(document_id)).await.map_err(app_err)?;
                output::emit(json, &p, |p| {
                    print_proposal(p);
                })?;
            }
            CreditNoteCmd::Allocate { document_id, how } => {
                let c = company(app, how.company).await?;
                let request = request_of(&how)?;
                let date = date_or_today("--date", &how.date)?;
                let made = app
                    .allocate(actor, c, CreditRef::CreditNote(document_id), &request, date)
                    .await
                    .map_err(app_err)?;
                if how.json {
                    output::json(&made)?;
                } else {
                    print_allocations(&made);
                }
            }
        },
        MoneyCommand::Allocation { command: AllocationCmd::Reverse { id, company: c, date, json } } => {
            let c = company(app, c).await?;
            let date = date_or_today("--date", &date)?;
            let reversal = app.unallocate(actor, c, id, date).await.map_err(app_err)?;
            output::emit(json, &reversal, |reversal| {
                println!(
                    "Allocation {id} reversed by {}: {} back open on {}.",
                    reversal.id, reversal.amount, reversal.document_number
                );
            })?;
        }
        MoneyCommand::AutoAllocate { company: c, customer, confirm, date, json } => {
            let c = company(app, c).await?;
            let payer = match customer {
                Some(n) => Some(customer_id(app, c, &n).await?),
                None => None,
            };
            let date = date_or_today("--date", &date)?;
            let r = app.auto_allocate(actor, c, payer, confirm, date).await.map_err(app_err)?;
            output::emit(json, &r, |r| {
                let rows: Vec<Vec<String>> = r
                    .lines
                    .iter()
                    .take(50)
                    .map(|l| {
                        vec![
                            format!("{} {}", l.credit_kind, l.credit_id),
                            l.document_number.clone(),
                            l.installment_id.to_string(),
                            l.amount.format_amount(),
                        ]
                    })
                    .collect();
                output::table(&["credit", "document", "installment", "amount"], &rows, &[3]);
                println!(
                    "\n{} allocation(s) from {} of {} unallocated credit(s){}.",
                    r.line_count,
                    r.credits_allocated,
                    r.credits,
                    if r.line_count > 50 { " (first 50 shown)" } else { "" }
                );
                for t in &r.totals {
                    println!("{}: {} allocated, {} left unallocated", t.currency, t.allocated, t.left_unallocated);
                }
                if confirm {
                    println!("Done.");
                } else if r.line_count > 0 {
                    println!("This is a preview: nothing was changed. Run again with --confirm to allocate.");
                }
            })?;
        }
        MoneyCommand::Refund { command } => match command {
            RefundCmd::Record {
                company: c,
                customer,
                amount,
                currency,
                reason,
                method,
                bank,
                piece,
                note,
                date,
                allocate,
                from_payment,
                from_credit_note,
                confirm_duplicate,
                json,
            } => {
                let c = company(app, c).await?;
                let lines = refund_lines(app, c, &from_payment, &from_credit_note).await?;
                let allocate = match (allocate.as_deref(), lines.is_empty()) {
                    (Some("auto"), true) => Some(RefundAllocate::Auto),
                    (Some(other), true) => bail!("--allocate {other:?}: use auto"),
                    (Some(_), false) => bail!("give --allocate auto or --from-payment/--from-credit-note, not both"),
                    (None, false) => Some(RefundAllocate::Lines(lines)),
                    (None, true) => None,
                };
                let input = RecordRefund {
                    customer_number: Some(customer),
                    date,
                    amount: amount.into(),
                    currency,
                    reason,
                    method,
                    piece_number: piece,
                    bank_account_id: bank,
                    note,
                    allocate,
                    confirm_duplicate,
                    ..Default::default()
                };
                let r = app.record_refund(actor, c, &input, today_utc()).await.map_err(app_err)?;
                output::emit(json, &r, |r| {
                    print_refund(r);
                })?;
            }
            RefundCmd::List { company: c, to_allocate, json } => {
                let c = company(app, c).await?;
                let filter = RefundFilter { to_allocate, ..Default::default() };
                let list = app.refunds(c, &filter, Page { limit: 1000, offset: 0 }).await.map_err(app_err)?;
                output::emit(json, &list, |list| {
                    let rows: Vec<Vec<String>> = list
                        .items
                        .iter()
                        .map(|r| {
                            vec![
                                r.id.to_string(),
                                r.number.clone(),
                                r.date.to_string(),
                                r.customer_number.clone(),
                                r.reason.clone(),
                                r.amount.format_amount(),
                                r.to_allocate.format_amount(),
                            ]
                        })
                        .collect();
                    output::table(
                        &["id", "number", "date", "customer", "reason", "amount", "to allocate"],
                        &rows,
                        &[5, 6],
                    );
                })?;
            }
            RefundCmd::Show { id, company: c, json } => {
                let c = company(app, c).await?;
                let r = app.refund(c, id).await.map_err(app_err)?;
                output::emit(json, &r, |r| {
                    print_refund(r);
                })?;
            }
            RefundCmd::Allocate { id, company: c, auto, from_payment, from_credit_note, date, json } => {
                let c = company(app, c).await?;
                let lines = refund_lines(app, c, &from_payment, &from_credit_note).await?;
                let request = match (auto, lines.is_empty()) {
                    (true, true) => RefundAllocate::Auto,
                    (false, false) => RefundAllocate::Lines(lines),
                    _ => bail!("give either --auto or --from-payment/--from-credit-note"),
                };
                let date = date_or_today("--date", &date)?;
                let r = app.allocate_refund(actor, c, id, &request, date).await.map_err(app_err)?;
                output::emit(json, &r, |r| {
                    print_refund(r);
                })?;
            }
            RefundCmd::Unallocate { id, company: c, date, json } => {
                let c = company(app, c).await?;
                let date = date_or_today("--date", &date)?;
                let r = app.unallocate_refund(actor, c, id, date).await.map_err(app_err)?;
                output::emit(json, &r, |r| print_refund(r))?;
            }
            RefundCmd::Letter { id, company: c, json } => {
                let c = company(app, c).await?;
                let l = app.refund_letter(c, id).await.map_err(app_err)?;
                output::emit(json, &l, |l| {
                    println!("{}\n{}\n", l.company_name, l.company_address);
                    println!(
                        "{}\n{}\n{} {}\n{}\n",
                        l.customer_name,
                        l.customer_address,
                        l.customer_postal_code,
                        l.customer_city,
                        l.customer_country
                    );
                    println!("Remboursement {} du {}", l.refund.number, l.refund.date);
                    println!("Motif : {}", l.reason_label);
                    println!("Montant remboursé : {} par {}", l.refund.amount, l.refund.method);
                    for a in &l.refund.allocations {
                        let credit =
                            a.payment_number.clone().or_else(|| a.credit_document_number.clone()).unwrap_or_default();
                        println!("  imputé sur {credit} : {}", a.amount);
                    }
                })?;
            }
        },
        MoneyCommand::Advances { company: c, customer, json } => {
            let c = company(app, c).await?;
            let customer = match customer {
                Some(n) => Some(customer_id(app, c, &n).await?),
                None => None,
            };
            let list = app.advances(c, customer, Page { limit: 1000, offset: 0 }).await.map_err(app_err)?;
            output::emit(json, &list, |list| {
                print_payments(&list.items);
                println!("\n{} advance(s) waiting for their invoice.", list.total_count);
            })?;
        }
        MoneyCommand::Deposit { command } => match command {
            DepositCmd::Pending { company: c, as_of, show_future, json } => {
                let c = company(app, c).await?;
                let as_of = date_or_today("--as-of", &as_of)?;
                let list =
                    app.to_deposit(c, as_of, show_future, Page { limit: 10_000, offset: 0 }).await.map_err(app_err)?;
                output::emit(json, &list, |list| {
                    print_payments(&list.items);
                    println!("\n{} payment(s) to deposit.", list.total_count);
                })?;
            }
            DepositCmd::Create { company: c, bank, date, payments, json } => {
                let c = company(app, c).await?;
                let mut ids = Vec::with_capacity(payments.len());
                for number in &payments {
                    ids.push(payment_id(app, c, number).await?);
                }
                let input = CreateDeposit { bank_account_id: bank, date, payment_ids: ids };
                let d = app.create_deposit(actor, c, &input, today_utc()).await.map_err(app_err)?;
                output::emit(json, &d, |d| {
                    print_deposit(d);
                })?;
            }
            DepositCmd::Validate { id, company: c, json } => {
                let c = company(app, c).await?;
                let d = app.validate_deposit(actor, c, id).await.map_err(app_err)?;
                output::emit(json, &d, |d| {
                    print_deposit(d);
                })?;
            }
            DepositCmd::Cancel { id, company: c, json } => {
                let c = company(app, c).await?;
                let d = app.cancel_deposit(actor, c, id).await.map_err(app_err)?;
                output::emit(json, &d, |d| {
                    println!("Deposit {} cancelled; its payments wait to be deposited again.", d.deposit.number)
                })?;
            }
            DepositCmd::Show { id, company: c, json } => {
                let c = company(app, c).await?;
                let d = app.deposit(c, id).await.map_err(app_err)?;
                output::emit(json, &d, |d| {
                    print_deposit(d);
                })?;
            }
            DepositCmd::List { company: c, status, json } => {
                let c = company(app, c).await?;
                let list =
                    app.deposits(c, status.as_deref(), Page { limit: 1000, offset: 0 }).await.map_err(app_err)?;
                output::emit(json, &list, |list| {
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
                                d.status.clone(),
                            ]
                        })
                        .collect();
                    output::table(
                        &["id", "number", "date", "bank", "payments", "total", "cur", "status"],
                        &rows,
                        &[4, 5],
                    );
                })?;
            }
        },
        MoneyCommand::Bank { command } => match command {
            BankCmd::Add { company: c, name, iban, bic, journal, account, currency, json } => {
                let c = company(app, c).await?;
                let input = NewBank { name, iban, bic, journal_code: journal, account_code: account, currency };
                let b = app.add_bank_account(actor, c, &input).await.map_err(app_err)?;
                output::emit(json, &b, |b| {
                    println!(
                        "Bank account {} added: {} ({}, journal {}, account {})",
                        b.id, b.name, b.iban, b.journal_code, b.account_code
                    );
                })?;
            }
            BankCmd::List { company: c, json } => {
                let c = company(app, c).await?;
                let banks = app.bank_accounts(c).await.map_err(app_err)?;
                output::emit(json, &banks, |banks| {
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
                    output::table(&["id", "name", "iban", "journal", "account", "cur"], &rows, &[]);
                })?;
            }
        },
        MoneyCommand::Method { command } => match command {
            MethodCmd::List { company: c, json } => {
                let c = company(app, c).await?;
                let methods = app.payment_methods(c).await.map_err(app_err)?;
                output::emit(json, &methods, |methods| {
                    let rows: Vec<Vec<String>> = methods
                        .iter()
                        .map(|m| {
                            let yn = |b: bool| if b { "yes" } else { "no" }.to_string();
                            vec![m.code.clone(), m.label.clone(), yn(m.needs_deposit), yn(m.active)]
                        })
                        .collect();
                    output::table(&["code", "label", "needs deposit", "active"], &rows, &[]);
                })?;
            }
            MethodCmd::Set { code, company: c, label, needs_deposit, active } => {
                let c = company(app, c).await?;
                let m = PaymentMethod {
                    code,
                    label,
                    needs_deposit: yes_no("--needs-deposit", &needs_deposit)?,
                    active: yes_no("--active", &active)?,
                };
                app.set_payment_method(actor, c, &m).await.map_err(app_err)?;
                println!("Payment method {} saved.", m.code);
            }
        },
        MoneyCommand::Accounts { command } => match command {
            AccountsCmd::List { company: c, json } => {
                let c = company(app, c).await?;
                let codes = app.account_codes(c).await.map_err(app_err)?;
                let settings = app.money_settings(c).await.map_err(app_err)?;
                if json {
                    output::json(&serde_json::json!({ "account_codes": codes.codes, "settings": settings }))?;
                } else {
                    let rows: Vec<Vec<String>> =
                        codes.codes.iter().map(|a| vec![a.role.clone(), a.code.clone(), a.label.clone()]).collect();
                    output::table(&["role", "code", "label"], &rows, &[]);
                    println!(
                        "\nDeposits booked to the bank journal: {}; likely duplicates within {} days; maximum per document: {}.",
                        if settings.deposits_to_bank_journal { "yes" } else { "no" },
                        settings.duplicate_window_days,
                        settings.document_amount_max.map_or_else(|| "none".to_string(), |m| m.to_string())
                    );
                }
            }
            AccountsCmd::Set { role, code, company: c, label } => {
                let c = company(app, c).await?;
                app.set_account_code(actor, c, &role, &code, &label).await.map_err(app_err)?;
                println!("Account for {role} set to {code}.");
            }
            AccountsCmd::Settings {
                company: c,
                deposits_to_bank_journal,
                duplicate_window_days,
                document_amount_max,
            } => {
                let c = company(app, c).await?;
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
            }
        },
        MoneyCommand::Export { command: ExportCmd::Journal { company: c, format, from, to, output } } => {
            let c = company(app, c).await?;
            let format =
                JournalFormat::parse(&format).with_context(|| format!("--format {format:?}: use csv or fec"))?;
            let from = creance_core::Date::parse(&from).map_err(|e| anyhow::anyhow!("--from: {e}"))?;
            let to = creance_core::Date::parse(&to).map_err(|e| anyhow::anyhow!("--to: {e}"))?;
            let lines = match &output {
                Some(path) => {
                    let file =
                        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
                    let mut out = std::io::BufWriter::new(file);
                    let n = app.export_journal(c, from, to, format, &mut out).await.map_err(app_err)?;
                    std::io::Write::flush(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
                    n
                }
                None => {
                    let mut out = std::io::stdout();
                    app.export_journal(c, from, to, format, &mut out).await.map_err(app_err)?
                }
            };
            if let Some(path) = output {
                eprintln!("{lines} journal line(s) written to {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_deposit(d: &creance_app::deposits::DepositDetail) {
    let s = &d.deposit;
    println!("{} — bordereau de remise {} du {}", d.company_name, s.number, s.date);
    println!("Banque : {} {}   Statut : {}", s.bank_name, s.bank_iban, s.status);
    let rows: Vec<Vec<String>> = d
        .payments
        .iter()
        .map(|p| {
            vec![
                p.number.clone(),
                p.customer_number.clone(),
                p.customer_name.clone(),
                p.piece_number.clone(),
                p.customer_bank.clone(),
                p.amount.format_amount(),
            ]
        })
        .collect();
    output::table(&["payment", "customer", "name", "cheque", "bank", "amount"], &rows, &[5]);
    println!("Total: {} ({} cheque(s))", s.total, s.payment_count);
}
