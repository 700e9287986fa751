//! Allocation (SPEC §4.3): how to allocate a payment or a credit note (the proposal or chosen
//! installments), `creance credit-note …`, `creance allocation reverse` and `creance auto-allocate`.

use anyhow::{bail, Context};
use clap::Subcommand;
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest};
use creance_app::{Actor, App};

use super::print::{print_allocations, print_proposal};
use super::split_line;
use crate::args::{app_err, company_or_only, date_or_today, optional_customer};
use crate::print;

/// The lines of `creance auto-allocate` printed for people (the JSON has them all).
const AUTO_ALLOCATE_LINES_SHOWN_MAX: usize = 50;

#[derive(clap::Args, Debug)]
pub struct HowToAllocate {
    #[arg(long)]
    pub company: Option<i64>,
    /// Allocate the proposal.
    #[arg(long, conflicts_with = "line")]
    proposal: bool,
    /// INSTALLMENT_ID or INSTALLMENT_ID=AMOUNT (the whole open amount when no amount); repeatable.
    #[arg(long)]
    line: Vec<String>,
    /// The allocation date (default: today).
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl HowToAllocate {
    /// What the flags ask for: the proposal or the lines given.
    pub fn request(&self) -> anyhow::Result<AllocateRequest> {
        if self.proposal {
            return Ok(AllocateRequest::Proposal);
        }
        if self.line.is_empty() {
            bail!("say what to allocate: --proposal, or --line INSTALLMENT_ID[=AMOUNT] (repeatable)");
        }
        let mut lines = Vec::new();
        for l in &self.line {
            let (id, amount) = split_line("--line", l)?;
            let installment_id =
                id.parse().with_context(|| format!("--line {l:?}: {id:?} is not an installment id"))?;
            lines.push(LineRequest { installment_id, amount: amount.map(Into::into) });
        }
        Ok(AllocateRequest::Lines(lines))
    }
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

#[derive(clap::Args, Debug)]
pub struct AutoAllocateArgs {
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
}

pub async fn credit_note(app: &App, actor: &Actor, cmd: CreditNoteCmd) -> anyhow::Result<()> {
    match cmd {
        CreditNoteCmd::Propose { document_id, company, json } => {
            let c = company_or_only(app, company).await?;
            let p = app.proposal(c, CreditRef::CreditNote(document_id)).await.map_err(app_err)?;
            print::emit(json, &p, print_proposal)
        }
        CreditNoteCmd::Allocate { document_id, how } => {
            let c = company_or_only(app, how.company).await?;
            let request = how.request()?;
            let date = date_or_today("--date", &how.date)?;
            let made =
                app.allocate(actor, c, CreditRef::CreditNote(document_id), &request, date).await.map_err(app_err)?;
            if how.json {
                print::json(&made)
            } else {
                print_allocations(&made);
                Ok(())
            }
        }
    }
}

pub async fn allocation(app: &App, actor: &Actor, cmd: AllocationCmd) -> anyhow::Result<()> {
    let AllocationCmd::Reverse { id, company, date, json } = cmd;
    let c = company_or_only(app, company).await?;
    let date = date_or_today("--date", &date)?;
    let reversal = app.unallocate(actor, c, id, date).await.map_err(app_err)?;
    print::emit(json, &reversal, |reversal| {
        println!(
            "Allocation {id} reversed by {}: {} back open on {}.",
            reversal.id, reversal.amount, reversal.document_number
        );
    })
}

pub async fn auto_allocate(app: &App, actor: &Actor, a: AutoAllocateArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    let payer = optional_customer(app, c, "--customer", a.customer).await?;
    let date = date_or_today("--date", &a.date)?;
    let confirm = a.confirm;
    let r = app.auto_allocate(actor, c, payer, confirm, date).await.map_err(app_err)?;
    print::emit(a.json, &r, |r| {
        let rows: Vec<Vec<String>> = r
            .lines
            .iter()
            .take(AUTO_ALLOCATE_LINES_SHOWN_MAX)
            .map(|l| {
                vec![
                    format!("{} {}", l.credit_kind, l.credit_id),
                    l.document_number.clone(),
                    l.installment_id.to_string(),
                    l.amount.format_amount(),
                ]
            })
            .collect();
        print::table(&["credit", "document", "installment", "amount"], &rows, &[3]);
        println!(
            "\n{} allocation(s) from {} of {} unallocated credit(s){}.",
            r.line_count,
            r.credits_allocated,
            r.credits,
            if r.line_count > AUTO_ALLOCATE_LINES_SHOWN_MAX {
                format!(" (first {AUTO_ALLOCATE_LINES_SHOWN_MAX} shown)")
            } else {
                String::new()
            }
        );
        for t in &r.totals {
            println!("{}: {} allocated, {} left unallocated", t.currency, t.allocated, t.left_unallocated);
        }
        if confirm {
            println!("Done.");
        } else if r.line_count > 0 {
            println!("This is a preview: nothing was changed. Run again with --confirm to allocate.");
        }
    })
}
