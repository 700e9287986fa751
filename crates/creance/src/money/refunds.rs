//! `creance refund …` (SPEC §4.4): record, list, show, allocate and unallocate refunds, and what the
//! refund letter prints.

use anyhow::{bail, Context};
use clap::Subcommand;
use creance_app::clock::today_utc;
use creance_app::queries::Page;
use creance_app::refunds::RefundFilter;
use creance_app::refunds::{RecordRefund, RefundAllocate, RefundLine};
use creance_app::{Actor, App};

use super::print::{credit_label, print_refund};
use super::split_line;
use crate::args::{app_err, company_or_only, date_or_today};
use crate::export_args::ExportArgs;
use crate::print;
use creance_app::exports::lists;

/// The refunds `creance refund list` shows.
const REFUNDS_LISTED_MAX: i64 = 1000;

#[derive(Subcommand, Debug)]
pub enum RefundCmd {
    /// Record a refund; allocate it at once with --allocate auto or --from-payment/--from-credit-note.
    Record(RecordArgs),
    /// List refunds.
    List {
        #[arg(long)]
        company: Option<i64>,
        /// Only those waiting "to allocate".
        #[arg(long)]
        to_allocate: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
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
    Allocate(AllocateArgs),
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
    /// What the refund letter prints (once the refund is allocated); with --output, the letter as PDF.
    Letter {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        output: Option<std::path::PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct RecordArgs {
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
}

#[derive(clap::Args, Debug)]
pub struct AllocateArgs {
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
}

pub async fn run(app: &App, actor: &Actor, cmd: RefundCmd) -> anyhow::Result<()> {
    match cmd {
        RefundCmd::Record(args) => record(app, actor, args).await,
        RefundCmd::List { company, to_allocate, json, export } => list(app, company, to_allocate, json, export).await,
        RefundCmd::Show { id, company, json } => {
            let c = company_or_only(app, company).await?;
            let r = app.refund(c, id).await.map_err(app_err)?;
            print::emit(json, &r, print_refund)
        }
        RefundCmd::Allocate(args) => allocate(app, actor, args).await,
        RefundCmd::Unallocate { id, company, date, json } => {
            let c = company_or_only(app, company).await?;
            let date = date_or_today("--date", &date)?;
            let r = app.unallocate_refund(actor, c, id, date).await.map_err(app_err)?;
            print::emit(json, &r, print_refund)
        }
        RefundCmd::Letter { id, company, output: Some(output), .. } => {
            crate::documents::refund_letter(app, company, id, &output).await
        }
        RefundCmd::Letter { id, company, output: None, json } => letter(app, company, id, json).await,
    }
}

/// The allocation lines `--from-payment` and `--from-credit-note` name.
async fn refund_lines(
    app: &App,
    company: i64,
    payments: &[String],
    notes: &[String],
) -> anyhow::Result<Vec<RefundLine>> {
    let mut lines = Vec::new();
    let split: Vec<(String, Option<String>)> =
        payments.iter().map(|p| split_line("--from-payment", p)).collect::<anyhow::Result<_>>()?;
    // Every payment number resolved in one query.
    let numbers: Vec<String> = split.iter().map(|(number, _)| number.clone()).collect();
    let ids = app.payment_ids_by_number(company, &numbers).await.map_err(app_err)?;
    for ((_, amount), id) in split.into_iter().zip(ids) {
        lines.push(RefundLine { payment_id: Some(id), credit_note_id: None, amount: amount.map(Into::into) });
    }
    for n in notes {
        let (id, amount) = split_line("--from-credit-note", n)?;
        let id = id.parse().with_context(|| format!("--from-credit-note {n:?}: {id:?} is not a document id"))?;
        lines.push(RefundLine { payment_id: None, credit_note_id: Some(id), amount: amount.map(Into::into) });
    }
    Ok(lines)
}

async fn record(app: &App, actor: &Actor, a: RecordArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    let lines = refund_lines(app, c, &a.from_payment, &a.from_credit_note).await?;
    let allocate = match (a.allocate.as_deref(), lines.is_empty()) {
        (Some("auto"), true) => Some(RefundAllocate::Auto),
        (Some(other), true) => bail!("--allocate {other:?}: use auto"),
        (Some(_), false) => bail!("give --allocate auto or --from-payment/--from-credit-note, not both"),
        (None, false) => Some(RefundAllocate::Lines(lines)),
        (None, true) => None,
    };
    let input = RecordRefund {
        customer_number: Some(a.customer),
        date: a.date,
        amount: a.amount.into(),
        currency: a.currency,
        reason: a.reason,
        method: a.method,
        piece_number: a.piece,
        bank_account_id: a.bank,
        note: a.note,
        allocate,
        confirm_duplicate: a.confirm_duplicate,
        ..Default::default()
    };
    let r = app.record_refund(actor, c, &input, today_utc()).await.map_err(app_err)?;
    print::emit(a.json, &r, print_refund)
}

async fn list(
    app: &App,
    company: Option<i64>,
    to_allocate: bool,
    json: bool,
    export: ExportArgs,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let filter = RefundFilter { to_allocate, ..Default::default() };
    if let Some(format) = export.file_format()? {
        let filters = [("to_allocate", to_allocate.then(|| "true".to_string()))];
        let fetch = |page| {
            let filter = filter.clone();
            async move { app.refunds(c, &filter, page).await }
        };
        return export.listed(app, c, &lists::REFUNDS, format, &filters, fetch).await;
    }
    let list = app.refunds(c, &filter, Page { limit: REFUNDS_LISTED_MAX, offset: 0 }).await.map_err(app_err)?;
    print::emit(json, &list, |list| {
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
        print::table(&["id", "number", "date", "customer", "reason", "amount", "to allocate"], &rows, &[5, 6]);
    })
}

async fn allocate(app: &App, actor: &Actor, a: AllocateArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    let lines = refund_lines(app, c, &a.from_payment, &a.from_credit_note).await?;
    let request = match (a.auto, lines.is_empty()) {
        (true, true) => RefundAllocate::Auto,
        (false, false) => RefundAllocate::Lines(lines),
        _ => bail!("give either --auto or --from-payment/--from-credit-note"),
    };
    let date = date_or_today("--date", &a.date)?;
    let r = app.allocate_refund(actor, c, a.id, &request, date).await.map_err(app_err)?;
    print::emit(a.json, &r, print_refund)
}

async fn letter(app: &App, company: Option<i64>, id: i64, json: bool) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let l = app.refund_letter(c, id).await.map_err(app_err)?;
    print::emit(json, &l, |l| {
        println!("{}\n{}\n", l.company_name, l.company_address);
        println!(
            "{}\n{}\n{} {}\n{}\n",
            l.customer_name, l.customer_address, l.customer_postal_code, l.customer_city, l.customer_country
        );
        println!("Remboursement {} du {}", l.refund.number, l.refund.date);
        println!("Motif : {}", l.reason_label);
        println!("Montant remboursé : {} par {}", l.refund.amount, l.refund.method);
        for a in &l.refund.allocations {
            println!("  imputé sur {} : {}", credit_label(&a.payment_number, &a.credit_document_number), a.amount);
        }
    })
}
