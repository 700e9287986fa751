//! `creance small-balances …` and `creance rebill-charges …` (SPEC §4.8): the extraction, the actions
//! (previewed with `--preview`, else done), the undo, and the billing system's side.

use std::process::ExitCode;

use clap::Subcommand;
use creance_app::clock::today_utc;
use creance_app::exports::lists;
use creance_app::queries::Page;
use creance_app::small_balances::{
    AcknowledgeCharge, ActionPreview, ActionRequest, ActionView, ChargeQuery, ClearOutcome, ClearReport, ClearRequest,
    GroupRef, RebillCharge, SmallBalanceQuery, SmallBalances,
};
use creance_app::{Actor, App};

use crate::args::{app_err, company_or_only};
use crate::export_args::ExportArgs;
use crate::print;

/// The charges `creance rebill-charges list` shows.
const CHARGES_LISTED_MAX: i64 = 1000;

#[derive(clap::Args, Debug, Clone)]
pub struct Extraction {
    /// At most this open amount, in the base currency (`1.00`); the company's threshold when absent.
    #[arg(long)]
    threshold: Option<String>,
    /// Items due (credits dated) more than this many days ago.
    #[arg(long)]
    older_than: Option<i64>,
    #[arg(long)]
    currency: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ActionArgs {
    #[arg(long)]
    company: Option<i64>,
    /// A group of the extraction: this customer's small debits (of --contract NUM or --contract-id,
    /// or without a contract), or with --credits its small credits.
    #[arg(long)]
    customer: Option<String>,
    /// The group's contract by its number …
    #[arg(long, conflicts_with = "contract_id")]
    contract: Option<String>,
    /// … or by its id.
    #[arg(long)]
    contract_id: Option<i64>,
    #[arg(long)]
    credits: bool,
    #[command(flatten)]
    extraction: Extraction,
    /// Or a selection: installment ids (repeatable) …
    #[arg(long = "installment")]
    installments: Vec<i64>,
    /// … and payment ids (repeatable).
    #[arg(long = "payment")]
    payments: Vec<i64>,
    /// A re-bill's contract when the items' own has ended (the preview proposes the active ones),
    /// by its number …
    #[arg(long, conflicts_with = "on_contract_id")]
    on_contract: Option<String>,
    /// … or by its id.
    #[arg(long)]
    on_contract_id: Option<i64>,
    #[arg(long)]
    date: Option<String>,
    #[arg(long, default_value = "")]
    reason: String,
    /// Show what it would do; write nothing.
    #[arg(long)]
    preview: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum SmallBalancesCmd {
    /// The small debits by customer and contract, and the small credits by customer.
    List {
        #[arg(long)]
        company: Option<i64>,
        #[command(flatten)]
        extraction: Extraction,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Re-bill a group or a selection on the contract's next invoice (clearing / receivable).
    Rebill(ActionArgs),
    /// Write a group or a selection off (loss or gain / receivable), up to the company's maximum.
    WriteOff(ActionArgs),
    /// Clear every small balance of the extraction in one pass: each group re-billed on its active
    /// contract (or the customer's only active one), written off when the customer has none (within
    /// the maximum), or left with the reason. Without --confirm, the plan only.
    Clear {
        #[arg(long)]
        company: Option<i64>,
        #[command(flatten)]
        extraction: Extraction,
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
        /// Do the actions (one transaction per group).
        #[arg(long)]
        confirm: bool,
        #[arg(long)]
        json: bool,
    },
    /// Undo an action (by id) while its rebill charge is pending.
    Undo {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// One action (by id).
    Show {
        id: i64,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Set the dunning threshold and the write-off maximum (amounts in the base currency).
    Settings {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        threshold: String,
        #[arg(long)]
        write_off_maximum: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RebillChargesCmd {
    /// The charges (pending ones with --status pending).
    List {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// The billing system put charge ID on its invoice NUMBER: final.
    Acknowledge {
        id: i64,
        #[arg(long)]
        invoice: String,
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The pending charges as CSV (to standard output, or --output FILE).
    Export {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long, default_value = "pending")]
        status: String,
        #[command(flatten)]
        export: ExportArgs,
    },
}

pub async fn run(app: &App, actor: &Actor, cmd: SmallBalancesCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        SmallBalancesCmd::List { company, extraction, customer, json, export } => {
            let c = company_or_only(app, company).await?;
            let q = SmallBalanceQuery {
                threshold: extraction.threshold.clone(),
                older_than_days: extraction.older_than,
                currency: extraction.currency.clone(),
                customer_number: customer.clone(),
                customer_id: None,
            };
            let today = today_utc();
            if let Some(format) = export.file_format()? {
                let filters = [
                    ("threshold", extraction.threshold),
                    ("older_than_days", extraction.older_than.map(|d| d.to_string())),
                    ("currency", extraction.currency),
                    ("customer", customer),
                ];
                let fetch = |page| {
                    let q = q.clone();
                    async move { app.small_balance_rows(c, &q, today, page).await }
                };
                export.listed(app, c, &lists::SMALL_BALANCES, format, &filters, fetch).await?;
                return Ok(ExitCode::SUCCESS);
            }
            let s = app.small_balances(c, &q, today).await.map_err(app_err)?;
            print::emit(json, &s, print_list)?;
        }
        SmallBalancesCmd::Rebill(a) => act(app, actor, "rebill", a).await?,
        SmallBalancesCmd::WriteOff(a) => act(app, actor, "write_off", a).await?,
        SmallBalancesCmd::Clear { company, extraction, customer, date, reason, confirm, json } => {
            let c = company_or_only(app, company).await?;
            let req = ClearRequest {
                threshold: extraction.threshold,
                older_than_days: extraction.older_than,
                currency: extraction.currency,
                customer_number: customer,
                confirm,
                date,
                reason,
            };
            let r = app.clear_small_balances(actor, c, &req, today_utc()).await.map_err(app_err)?;
            print::emit(json, &r, print_clear)?;
        }
        SmallBalancesCmd::Undo { id, company, json } => {
            let c = company_or_only(app, company).await?;
            let a = app.undo_small_balance_action(actor, c, id, today_utc()).await.map_err(app_err)?;
            print::emit(json, &a, print_action)?;
        }
        SmallBalancesCmd::Show { id, company, json } => {
            let c = company_or_only(app, company).await?;
            let a = app.small_balance_action_get(c, id).await.map_err(app_err)?;
            print::emit(json, &a, print_action)?;
        }
        SmallBalancesCmd::Settings { company, threshold, write_off_maximum, json } => {
            let c = company_or_only(app, company).await?;
            let s = app.set_small_balance_settings(actor, c, &threshold, &write_off_maximum).await.map_err(app_err)?;
            print::emit(json, &s, |s| {
                println!("threshold {}, write-off maximum {}", s.small_balance_threshold, s.write_off_maximum)
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn act(app: &App, actor: &Actor, action: &str, a: ActionArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    let contract_id = |number: Option<String>, id: Option<i64>| async move {
        match number {
            Some(n) => app.contract_by_number(c, &n).await.map(|k| Some(k.id)).map_err(app_err),
            None => Ok(id),
        }
    };
    let group_contract = contract_id(a.contract, a.contract_id).await?;
    let on_contract = contract_id(a.on_contract, a.on_contract_id).await?;
    let group = a.customer.map(|customer| GroupRef {
        customer_number: Some(customer),
        contract_id: group_contract,
        credits: a.credits,
        currency: a.extraction.currency.clone(),
        threshold: a.extraction.threshold.clone(),
        older_than_days: a.extraction.older_than,
        ..Default::default()
    });
    let req = ActionRequest {
        action: action.to_string(),
        group,
        installment_ids: a.installments,
        payment_ids: a.payments,
        contract_id: on_contract,
        date: a.date,
        reason: a.reason,
    };
    if a.preview {
        let p = app.preview_small_balance_action(c, &req, today_utc()).await.map_err(app_err)?;
        return print::emit(a.json, &p, print_preview);
    }
    let done = app.small_balance_action(actor, c, &req, today_utc()).await.map_err(app_err)?;
    print::emit(a.json, &done, print_action)
}

pub async fn charges(app: &App, actor: &Actor, cmd: RebillChargesCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        RebillChargesCmd::List { company, status, json, export } => {
            let c = company_or_only(app, company).await?;
            let q = ChargeQuery { status: status.clone(), ..Default::default() };
            if let Some(format) = export.file_format()? {
                export_charges(app, c, q, status, format, &export).await?;
                return Ok(ExitCode::SUCCESS);
            }
            let list =
                app.rebill_charges(c, &q, Page { limit: CHARGES_LISTED_MAX, offset: 0 }).await.map_err(app_err)?;
            print::emit(json, &list, |l| print_charges(&l.items))?;
        }
        RebillChargesCmd::Acknowledge { id, invoice, company, json } => {
            let c = company_or_only(app, company).await?;
            let input = AcknowledgeCharge { invoice_number: invoice };
            let r = app.acknowledge_rebill_charge(actor, c, id, &input).await.map_err(app_err)?;
            print::emit(json, &r, |r| print_charges(std::slice::from_ref(r)))?;
        }
        RebillChargesCmd::Export { company, status, export } => {
            let c = company_or_only(app, company).await?;
            let q = ChargeQuery { status: Some(status.clone()), ..Default::default() };
            let format = export.file_format()?.unwrap_or(creance_app::exports::Format::Csv);
            export_charges(app, c, q, Some(status), format, &export).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn export_charges(
    app: &App,
    c: i64,
    q: ChargeQuery,
    status: Option<String>,
    format: creance_app::exports::Format,
    export: &ExportArgs,
) -> anyhow::Result<()> {
    let filters = [("status", status)];
    let fetch = |page| {
        let q = q.clone();
        async move { app.rebill_charges(c, &q, page).await }
    };
    export.listed(app, c, &lists::REBILL_CHARGES, format, &filters, fetch).await
}

fn print_list(s: &SmallBalances) {
    println!("threshold {}, due or dated before {}", s.threshold, s.before);
    let mut rows = Vec::new();
    for (side, groups) in [("debit", &s.groups), ("credit", &s.credits)] {
        for g in groups.iter() {
            for i in &g.items {
                rows.push(vec![
                    side.to_string(),
                    g.customer_number.clone(),
                    print::opt(&g.contract_id),
                    print::opt(&g.contract_number),
                    match g.contract_active {
                        Some(true) => "active".to_string(),
                        Some(false) => "ended".to_string(),
                        None => String::new(),
                    },
                    i.installment_id
                        .map_or_else(|| format!("payment {}", print::opt(&i.payment_id)), |id| id.to_string()),
                    i.reference.clone(),
                    i.date.to_string(),
                    i.amount_open.to_string(),
                ]);
            }
        }
    }
    print::table(
        &["side", "customer", "contract id", "contract", "status", "installment", "reference", "date", "open"],
        &rows,
        &[8],
    );
    for t in &s.debit_totals {
        println!("small debits: {t}");
    }
    for t in &s.credit_totals {
        println!("small credits: {t}");
    }
    if s.truncated {
        println!("(truncated: narrow the selection)");
    }
}

fn print_preview(p: &ActionPreview) {
    println!(
        "{} for {}: {} item(s), debits {}, credits {}",
        p.action,
        p.customer_number,
        p.items.len(),
        p.debit_total,
        p.credit_total
    );
    if let Some(charge) = &p.charge {
        println!("charge: {charge}");
    }
    if let Some(c) = &p.contract {
        println!("on contract {} (id {})", c.number, c.id);
    }
    if let Some(c) = &p.ended_contract {
        println!("contract {} has ended", c.number);
    }
    for c in &p.proposed_contracts {
        println!("  choose --on-contract {} (id {})", c.number, c.id);
    }
    if p.write_off_offered {
        println!("no active contract: write it off instead (maximum {})", p.write_off_maximum);
    }
    if let Some(why) = &p.blocked_by {
        println!("not ready: {why}");
    }
}

fn print_action(a: &ActionView) {
    println!(
        "action {} ({}, {}) for {} on {}: debits {}, credits {}{}",
        a.id,
        a.kind,
        a.status,
        a.customer_number,
        a.date,
        a.debit_total,
        a.credit_total,
        a.contract_number.as_ref().map_or(String::new(), |c| format!(", contract {c}"))
    );
    for l in &a.items {
        println!("  {} {} {} (allocation {})", l.side, l.reference, l.amount, l.allocation_id);
    }
    if let Some(c) = &a.charge {
        print_charges(std::slice::from_ref(c));
    }
}

fn print_charges(charges: &[RebillCharge]) {
    let rows: Vec<Vec<String>> = charges
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                c.contract_number.clone(),
                c.customer_number.clone(),
                c.amount.to_string(),
                c.status.clone(),
                c.invoice_number.clone(),
                c.text.clone(),
            ]
        })
        .collect();
    print::table(&["id", "contract", "customer", "amount", "status", "invoice", "text"], &rows, &[3]);
}

fn print_clear(r: &ClearReport) {
    let rows: Vec<Vec<String>> = r
        .lines
        .iter()
        .map(|l| {
            vec![
                l.customer_number.clone(),
                if l.credits { "credits".to_string() } else { print::opt(&l.contract_number) },
                l.items.to_string(),
                l.total.to_string(),
                match l.outcome {
                    ClearOutcome::Rebill => format!("rebill on {}", print::opt(&l.on_contract_number)),
                    ClearOutcome::WriteOff => "write off".to_string(),
                    ClearOutcome::Left => format!("left: {}", l.reason.as_deref().unwrap_or("")),
                },
                print::opt(&l.action_id),
            ]
        })
        .collect();
    print::table(&["customer", "contract", "items", "total", "outcome", "action"], &rows, &[2, 3]);
    let verb = if r.confirmed { "done" } else { "planned (add --confirm to do it)" };
    println!("{} re-billed, {} written off, {} left: {verb}", r.rebilled, r.written_off, r.left);
    if r.truncated {
        println!("the extraction was truncated: run the pass again for the rest");
    }
}
