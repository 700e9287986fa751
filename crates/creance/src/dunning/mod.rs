//! The dunning commands (SPEC §4.6, §4.7): proposals, the draft letters and their edits, issuing,
//! withdrawal, reminders made outside, the views, and the dunning settings (policies, customers,
//! blocks, late-interest tables). Each calls one use case of `creance_app`; `--json` prints what the
//! API would answer. This module holds the arguments and the dispatch; each job has its own module,
//! and `print` how they show for people.

mod customers;
mod external;
mod interest;
mod letters;
mod policies;
mod print;
mod proposals;
mod send;
mod views;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use creance_app::{Actor, App};

use crate::args::{company_or_only, PageArgs};
use proposals::CriteriaArgs;

#[derive(Subcommand, Debug)]
pub enum DunningCmd {
    /// Compute a proposal (a draft of letters) for the criteria; nothing is sent until it is issued.
    Propose {
        #[command(flatten)]
        criteria: CriteriaArgs,
        #[command(flatten)]
        common: Common,
    },
    /// One proposal (by id) with its counts and a page of its letters.
    Show {
        id: i64,
        /// Only letters with this status: draft, left_out, removed, issued or withdrawn.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
    },
    /// List proposals, newest first (deleted ones only with --status deleted).
    List {
        /// draft, issued or deleted.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        export: crate::export_args::ExportArgs,
    },
    /// One letter (by id, or by number such as LR-2026-000001): its texts and its rows.
    Letter {
        letter: String,
        /// Write the letter as PDF to this file (a draft as a marked preview) instead of showing it.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// A level's letter as a marked PDF preview, for a payer (customer number) or a sample payer.
    Preview {
        /// The policy's id or code.
        policy: String,
        level: i64,
        #[arg(long)]
        payer: Option<String>,
        #[arg(long)]
        output: std::path::PathBuf,
        #[arg(long)]
        company: Option<i64>,
    },
    /// One PDF of a run's letters that go by post (channel letter, or a payer without e-mail).
    Print {
        run: i64,
        /// postal_code or salesperson (then postal code).
        #[arg(long, default_value = "postal_code")]
        order: String,
        /// Only payers whose customer number is at least this.
        #[arg(long)]
        from_payer: Option<String>,
        /// Only payers whose customer number is at most this.
        #[arg(long)]
        to_payer: Option<String>,
        #[arg(long)]
        output: std::path::PathBuf,
        /// Then mark these letters printed (their postal deliveries become `printed`).
        #[arg(long)]
        mark_printed: bool,
        #[arg(long)]
        company: Option<i64>,
    },
    /// Letters across proposals.
    Letters(letters::LettersArgs),
    /// Issue a draft proposal: number the letters, raise the levels, create fee and interest invoices.
    Issue {
        id: i64,
        /// The letters' date (default: today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Delete a draft proposal: its installments are free again.
    Delete {
        id: i64,
        #[command(flatten)]
        common: Common,
    },
    /// Bring a draft proposal up to date (payments and blocks since); the clerk's edits stay.
    Recompute {
        id: i64,
        #[command(flatten)]
        common: Common,
    },
    /// Remove a payer's letter from a draft.
    RemoveLetter {
        letter_id: i64,
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        common: Common,
    },
    /// Put a removed letter back into its draft.
    RestoreLetter {
        letter_id: i64,
        #[command(flatten)]
        common: Common,
    },
    /// Remove one row (by item id) from a draft letter, or put it back with --restore.
    RemoveItem {
        item_id: i64,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        restore: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Change a draft letter's level; skipping a level needs the policy's permission, --force and --reason.
    Level {
        letter_id: i64,
        #[arg(allow_hyphen_values = true)]
        level: String,
        #[arg(long)]
        force: bool,
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        common: Common,
    },
    /// Edit a draft letter's texts (what is not given stays), or --reset them to the policy's.
    Texts(letters::TextsArgs),
    /// Issue a draft letter without sending it (--undo: send it again).
    MarkIssued {
        letter_id: i64,
        #[arg(long)]
        undo: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Withdraw an issued letter (by id or number): levels go back, its fee and interest invoices are cancelled.
    Withdraw {
        letter: String,
        #[arg(long)]
        reason: String,
        /// The date of the cancelling credit notes (default: today).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Record a reminder made outside Créance (phone, visit, the previous software).
    RecordExternal(external::RecordExternalArgs),
    /// Payers with installments to dun now, by payer and currency: the letters a proposal with the
    /// same criteria would make (nothing is written).
    ToGenerate {
        #[command(flatten)]
        criteria: CriteriaArgs,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        export: crate::export_args::ExportArgs,
    },
    /// Installments beyond their policy's last level (which does not repeat): for legal follow-up.
    BeyondLastLevel {
        #[command(flatten)]
        criteria: CriteriaArgs,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        export: crate::export_args::ExportArgs,
    },
    /// Issued letters with a dunned installment still open.
    InProgress {
        /// Only letters naming this customer (by number).
        #[arg(long)]
        customer: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Every level and date of a customer's installments (by number) or of one installment (by id).
    History {
        #[arg(long, required_unless_present = "installment", conflicts_with = "installment")]
        customer: Option<String>,
        #[arg(long)]
        installment: Option<i64>,
        #[command(flatten)]
        common: Common,
    },
    /// Send the queued e-mail letters now (what `creance serve` does every few seconds): by the
    /// company's SMTP server, or as .eml files in the outbox folder when none is set.
    Send {
        /// Only the letters of this proposal.
        #[arg(long)]
        run: Option<i64>,
        /// Where the .eml files go when the company has no SMTP server (a folder per company).
        #[arg(long, env = "CREANCE_OUTBOX", default_value = "outbox")]
        outbox: std::path::PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// One delivery with its attempts (when, how it ended, what the server answered).
    Delivery {
        id: i64,
        #[command(flatten)]
        common: Common,
    },
    /// Send a failed e-mail delivery again, to the payer's e-mail address as it is now.
    Resend {
        id: i64,
        #[command(flatten)]
        common: Common,
    },
    /// The delivery queue of issued letters.
    Deliveries {
        /// queued, sending, sent, printed, failed, cancelled or not_sent.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        export: crate::export_args::ExportArgs,
    },
    /// Dunning policies: list, save (from a JSON file), choose the company default.
    Policy {
        #[command(subcommand)]
        command: policies::PolicyCmd,
    },
    /// A customer's (by number) policy and whether it is dunned.
    Customer {
        number: String,
        /// A policy code.
        #[arg(long, required_unless_present = "default_policy", conflicts_with = "default_policy")]
        policy: Option<String>,
        /// The company's default policy.
        #[arg(long)]
        default_policy: bool,
        /// true or false.
        #[arg(long)]
        enabled: String,
        #[command(flatten)]
        common: Common,
    },
    /// A customer's (by number) comment, shown on the letters it receives as payer ("" clears it).
    Comment {
        number: String,
        comment: String,
        #[command(flatten)]
        common: Common,
    },
    /// Keep installments (by id) out of dunning.
    Block {
        #[arg(required = true)]
        installments: Vec<i64>,
        /// dispute, promise, legal or other.
        #[arg(long)]
        reason: String,
        /// The first day they may be dunned again (default: until unblocked).
        #[arg(long)]
        until: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        common: Common,
    },
    /// Let blocked installments (by id) be dunned again.
    Unblock {
        #[arg(required = true)]
        installments: Vec<i64>,
        #[command(flatten)]
        common: Common,
    },
    /// Late-interest rate tables: list, preset, create (from a JSON file), add-rate.
    Interest {
        #[command(subcommand)]
        command: interest::InterestCmd,
    },
}

/// `--company` and `--json`, which every dunning command takes.
#[derive(clap::Args, Debug)]
pub struct Common {
    #[arg(long)]
    company: Option<i64>,
    /// Print what the API would answer.
    #[arg(long)]
    json: bool,
}

impl Common {
    /// The company (the one given, or the only one) and whether to print JSON.
    async fn resolve(&self, app: &App) -> anyhow::Result<(i64, bool)> {
        Ok((company_or_only(app, self.company).await?, self.json))
    }
}

pub async fn run(app: &App, actor: &Actor, cmd: DunningCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        DunningCmd::Propose { criteria, common } => proposals::propose(app, actor, criteria, common).await?,
        DunningCmd::Show { id, status, page, common } => proposals::show(app, id, status, page, common).await?,
        DunningCmd::List { status, page, common, export } => proposals::list(app, status, page, common, export).await?,
        DunningCmd::Letter { letter, output: Some(output), common } => {
            crate::documents::letter(app, common.company, &letter, &output).await?
        }
        DunningCmd::Letter { letter, output: None, common } => letters::show(app, &letter, common).await?,
        DunningCmd::Preview { policy, level, payer, output, company } => {
            crate::documents::preview(app, company, &policy, level, payer.as_deref(), &output).await?
        }
        DunningCmd::Print { run, order, from_payer, to_payer, output, mark_printed, company } => {
            let (from, to) = (from_payer.as_deref(), to_payer.as_deref());
            crate::documents::print_run(app, company, run, &order, from, to, &output).await?;
            if mark_printed {
                let c = company_or_only(app, company).await?;
                let n = app.mark_dunning_printed(actor, c, run, from, to).await.map_err(crate::args::app_err)?;
                eprintln!("{n} letter(s) marked printed.");
            }
        }
        DunningCmd::Letters(args) => letters::list(app, args).await?,
        DunningCmd::Issue { id, date, common } => proposals::issue(app, actor, id, date, common).await?,
        DunningCmd::Delete { id, common } => proposals::delete(app, actor, id, common).await?,
        DunningCmd::Recompute { id, common } => proposals::recompute(app, actor, id, common).await?,
        DunningCmd::RemoveLetter { letter_id, reason, common } => {
            letters::remove(app, actor, letter_id, &reason, common).await?
        }
        DunningCmd::RestoreLetter { letter_id, common } => letters::restore(app, actor, letter_id, common).await?,
        DunningCmd::RemoveItem { item_id, reason, restore, common } => {
            letters::remove_item(app, actor, item_id, &reason, restore, common).await?
        }
        DunningCmd::Level { letter_id, level, force, reason, common } => {
            letters::level(app, actor, letter_id, &level, force, reason, common).await?
        }
        DunningCmd::Texts(args) => letters::texts(app, actor, args).await?,
        DunningCmd::MarkIssued { letter_id, undo, common } => {
            letters::mark_issued(app, actor, letter_id, undo, common).await?
        }
        DunningCmd::Withdraw { letter, reason, date, common } => {
            letters::withdraw(app, actor, &letter, &reason, date, common).await?
        }
        DunningCmd::RecordExternal(args) => external::record(app, actor, args).await?,
        DunningCmd::ToGenerate { criteria, page, common, export } => {
            views::to_generate(app, criteria, page, common, export).await?
        }
        DunningCmd::BeyondLastLevel { criteria, page, common, export } => {
            views::beyond_last_level(app, criteria, page, common, export).await?
        }
        DunningCmd::InProgress { customer, page, common } => views::in_progress(app, customer, page, common).await?,
        DunningCmd::History { customer, installment, common } => {
            views::history(app, customer, installment, common).await?
        }
        DunningCmd::Send { run, outbox, common } => send::send(app, run, outbox, common).await?,
        DunningCmd::Delivery { id, common } => send::show(app, id, common).await?,
        DunningCmd::Resend { id, common } => send::resend(app, actor, id, common).await?,
        DunningCmd::Deliveries { status, page, common, export } => {
            views::deliveries(app, status, page, common, export).await?
        }
        DunningCmd::Policy { command } => policies::run(app, actor, command).await?,
        DunningCmd::Customer { number, policy, default_policy, enabled, common } => {
            let policy = if default_policy { None } else { policy };
            customers::set_dunning(app, actor, &number, policy, &enabled, common).await?
        }
        DunningCmd::Comment { number, comment, common } => {
            customers::comment(app, actor, &number, &comment, common).await?
        }
        DunningCmd::Block { installments, reason, until, note, common } => {
            customers::block(app, actor, installments, reason, until, note, common).await?
        }
        DunningCmd::Unblock { installments, common } => customers::unblock(app, actor, installments, common).await?,
        DunningCmd::Interest { command } => interest::run(app, actor, command).await?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A JSON body (the API's) read from a file given on the command line.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}: not a valid body", path.display()))
}
