//! The dunning commands (SPEC §4.6, §4.7): proposals, the draft letters and their edits, issuing,
//! withdrawal, reminders made outside, the views, and the dunning settings (policies, customers,
//! blocks, late-interest tables). Each calls one use case of `creance_app`; `--json` prints what the
//! API would answer.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use creance_app::dunning::{
    ChangeLevel, Criteria, ExternalRecorded, IssueReport, LetterDetail, Proposal, RecordExternal, Texts,
};
use creance_app::dunning_settings::{Block, CustomerDunning};
use creance_app::policy_json::{InterestTableDoc, InterestTableView, PolicyDoc, PolicyView};
use creance_app::queries::{Listed, Page};
use creance_app::{Actor, App, AppError};
use creance_core::dunning::{ItemKind, LetterStatus};
use creance_core::{Currency, Date, Money};
use creance_store::clock::today_utc;
use creance_store::dunning::{InterestTable, Policy, RateRow};
use creance_store::dunning_runs::{BeyondLastLevel, Delivery, HistoryEntry, Letter, LetterFilter, Run, ToGenerate};

use crate::output;

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
    },
    /// One letter (by id, or by number such as LR-2026-000001): its texts and its rows.
    Letter {
        letter: String,
        #[command(flatten)]
        common: Common,
    },
    /// Letters across proposals.
    Letters {
        /// draft, left_out, removed, issued or withdrawn.
        #[arg(long)]
        status: Option<String>,
        /// Letters naming this customer (by number), as payer or on one of their rows.
        #[arg(long)]
        customer: Option<String>,
        /// Letters to this payer (by customer number).
        #[arg(long)]
        payer: Option<String>,
        /// Letters of this proposal (by id).
        #[arg(long)]
        proposal: Option<i64>,
        /// Issued letters with a dunned installment still open.
        #[arg(long)]
        in_progress: bool,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
    },
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
    Texts {
        letter_id: i64,
        #[arg(long, conflicts_with = "reset")]
        subject: Option<String>,
        #[arg(long, conflicts_with = "reset")]
        opening: Option<String>,
        #[arg(long, conflicts_with = "reset")]
        closing: Option<String>,
        #[arg(long)]
        reset: bool,
        #[command(flatten)]
        common: Common,
    },
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
    RecordExternal {
        /// One installment (by id).
        #[arg(long, required_unless_present = "document", conflicts_with = "document")]
        installment: Option<i64>,
        /// Every open installment of this invoice (by number).
        #[arg(long)]
        document: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        level: String,
        #[arg(long)]
        date: String,
        /// phone, email, letter, visit or other.
        #[arg(long)]
        channel: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Record a level that skips one (the policy must allow skipping; give --reason).
        #[arg(long)]
        force: bool,
        /// Why the level is skipped.
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        common: Common,
    },
    /// Payers with installments to dun now, by payer and currency: the letters a proposal with the
    /// same criteria would make (nothing is written).
    ToGenerate {
        #[command(flatten)]
        criteria: CriteriaArgs,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Installments beyond their policy's last level (which does not repeat): for legal follow-up.
    BeyondLastLevel {
        #[command(flatten)]
        criteria: CriteriaArgs,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
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
    /// The delivery queue of issued letters.
    Deliveries {
        /// queued, sent, printed, failed, cancelled or not_sent.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Dunning policies: list, save (from a JSON file), choose the company default.
    Policy {
        #[command(subcommand)]
        command: PolicyCmd,
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
        command: InterestCmd,
    },
}

#[derive(Subcommand, Debug)]
pub enum PolicyCmd {
    /// List the policies with their levels.
    List {
        #[command(flatten)]
        common: Common,
    },
    /// Create or replace (by code) a policy from a JSON file (the API's policy body).
    Save {
        #[arg(long)]
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Make a policy (by code) the company's default.
    Default {
        code: String,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand, Debug)]
pub enum InterestCmd {
    /// List the rate tables with their periods.
    List {
        #[command(flatten)]
        common: Common,
    },
    /// Create a table from a preset: fr_b2b, de_b2b, ch or eu_directive.
    Preset {
        code: String,
        #[command(flatten)]
        common: Common,
    },
    /// Create a table from a JSON file (the API's interest table body).
    Create {
        #[arg(long)]
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Add (or replace, for the same start date) a rate period of a table (by id).
    AddRate {
        table_id: i64,
        #[arg(long)]
        from: String,
        /// The reference rate in percent (0 for a fixed rate).
        #[arg(long, allow_hyphen_values = true)]
        reference: String,
        /// The margin in percentage points.
        #[arg(long, allow_hyphen_values = true)]
        margin: String,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(clap::Args, Debug)]
pub struct Common {
    #[arg(long)]
    company: Option<i64>,
    /// Print what the API would answer.
    #[arg(long)]
    json: bool,
}

/// The criteria of a proposal (SPEC §4.6).
#[derive(clap::Args, Debug)]
pub struct CriteriaArgs {
    /// The proposal's date (default: today).
    #[arg(long)]
    as_of: Option<String>,
    /// Payers whose customer number is at least this.
    #[arg(long)]
    customer_from: Option<String>,
    #[arg(long)]
    customer_to: Option<String>,
    #[arg(long)]
    currency: Option<String>,
    /// Only documents dated on or before this date.
    #[arg(long)]
    documents_to: Option<String>,
    /// Payers whose overdue total is lower are left out (in major units, e.g. 50.00).
    #[arg(long)]
    min_balance: Option<String>,
    /// Only payers under this policy (by code).
    #[arg(long)]
    policy: Option<String>,
    #[arg(long)]
    salesperson: Option<String>,
    /// Only letters at this level; repeatable.
    #[arg(long = "level")]
    levels: Vec<String>,
    /// Only installments overdue by at least this many days.
    #[arg(long)]
    days_overdue_min: Option<String>,
    /// Only installments overdue by at most this many days.
    #[arg(long)]
    days_overdue_max: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct PageArgs {
    #[arg(long, default_value = "100")]
    limit: String,
    #[arg(long)]
    offset: Option<String>,
}

fn app_err(e: AppError) -> anyhow::Error {
    anyhow::Error::from(e)
}

fn date_or_today(flag: &str, v: &Option<String>) -> anyhow::Result<Date> {
    match v {
        None => Ok(today_utc()),
        Some(s) => Date::parse(s).map_err(|e| anyhow::anyhow!("{flag}: {e}")),
    }
}

/// A whole number the app names `field` when it is not one.
fn int(field: &str, text: &str) -> anyhow::Result<i64> {
    text.trim().parse().map_err(|_| app_err(AppError::invalid(field, format!("{text:?} is not a whole number"))))
}

fn true_false(flag: &str, v: &str) -> anyhow::Result<bool> {
    match v.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "oui" => Ok(true),
        "false" | "no" | "n" | "0" | "non" => Ok(false),
        other => bail!("{flag}: {other:?} is not true or false"),
    }
}

impl Common {
    /// The company (the one given, or the only one) and whether to print JSON.
    async fn resolve(&self, app: &App) -> anyhow::Result<(i64, bool)> {
        Ok((crate::cli::company_or_only(app, self.company).await?, self.json))
    }
}

impl PageArgs {
    fn page(&self) -> anyhow::Result<Page> {
        let limit = self.limit.parse().with_context(|| format!("--limit {:?} is not a number", self.limit))?;
        let offset = match &self.offset {
            Some(o) => Some(o.parse().with_context(|| format!("--offset {o:?} is not a number"))?),
            None => None,
        };
        Page::new(Some(limit), offset).map_err(|e| anyhow::anyhow!("--{e}"))
    }
}

impl CriteriaArgs {
    fn criteria(self) -> anyhow::Result<Criteria> {
        let levels = self.levels.iter().map(|l| int("levels", l)).collect::<anyhow::Result<Vec<i64>>>()?;
        let days = |field: &str, v: &Option<String>| v.as_deref().map(|t| int(field, t)).transpose();
        Ok(Criteria {
            days_overdue_min: days("days_overdue_min", &self.days_overdue_min)?,
            days_overdue_max: days("days_overdue_max", &self.days_overdue_max)?,
            as_of: self.as_of,
            customer_from: self.customer_from,
            customer_to: self.customer_to,
            currency: self.currency,
            documents_to: self.documents_to,
            min_balance: self.min_balance.map(Into::into),
            policy: self.policy,
            salesperson: self.salesperson,
            levels: if levels.is_empty() { None } else { Some(levels) },
        })
    }
}

async fn customer_id(app: &App, company: i64, flag: &str, number: &str) -> anyhow::Result<i64> {
    let filter = creance_store::customers::CustomerFilter {
        number_from: Some(number.to_string()),
        number_to: Some(number.to_string()),
        ..Default::default()
    };
    let list = app.customers(company, &filter, Page { limit: 1, offset: 0 }).await.map_err(app_err)?;
    list.items.first().map(|c| c.id).with_context(|| format!("{flag}: no customer {number} in company {company}"))
}

async fn optional_customer(app: &App, company: i64, flag: &str, number: Option<String>) -> anyhow::Result<Option<i64>> {
    match number {
        Some(n) => Ok(Some(customer_id(app, company, flag, &n).await?)),
        None => Ok(None),
    }
}

/// A letter by id (a whole number) or by number (LR-2026-000001).
async fn letter_detail(app: &App, company: i64, letter: &str) -> anyhow::Result<LetterDetail> {
    let letter = letter.trim();
    match letter.parse::<i64>() {
        Ok(id) => app.dunning_letter(company, id, today_utc()).await.map_err(app_err),
        Err(_) => app.dunning_letter_by_number(company, letter, today_utc()).await.map_err(app_err),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}: not a valid body", path.display()))
}

pub async fn run(app: &App, actor: &Actor, cmd: DunningCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        DunningCmd::Propose { criteria, common } => {
            let (c, json) = common.resolve(app).await?;
            let criteria = criteria.criteria()?;
            let p = app.propose_dunning(actor, c, &criteria, today_utc()).await.map_err(app_err)?;
            output::emit(json, &p, print_proposal)?;
        }
        DunningCmd::Show { id, status, page, common } => {
            let (c, json) = common.resolve(app).await?;
            let p = app.dunning_proposal(c, id, status.as_deref(), page.page()?).await.map_err(app_err)?;
            output::emit(json, &p, print_proposal)?;
        }
        DunningCmd::List { status, page, common } => {
            let (c, json) = common.resolve(app).await?;
            let list = app.dunning_proposals(c, status.as_deref(), page.page()?).await.map_err(app_err)?;
            output::emit(json, &list, print_runs)?;
        }
        DunningCmd::Letter { letter, common } => {
            let (c, json) = common.resolve(app).await?;
            let d = letter_detail(app, c, &letter).await?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::Letters { status, customer, payer, proposal, in_progress, page, common } => {
            let (c, json) = common.resolve(app).await?;
            let filter = LetterFilter {
                run_id: proposal,
                status,
                payer_id: optional_customer(app, c, "--payer", payer).await?,
                customer_id: optional_customer(app, c, "--customer", customer).await?,
                in_progress,
                ids: None,
            };
            let list = app.dunning_letters(c, &filter, page.page()?).await.map_err(app_err)?;
            output::emit(json, &list, print_letter_list)?;
        }
        DunningCmd::Issue { id, date, common } => {
            let (c, json) = common.resolve(app).await?;
            let date = date_or_today("--date", &date)?;
            let r = app.issue_dunning(actor, c, id, date).await.map_err(app_err)?;
            output::emit(json, &r, print_issue)?;
        }
        DunningCmd::Delete { id, common } => {
            let (c, json) = common.resolve(app).await?;
            let r = app.delete_dunning_proposal(actor, c, id).await.map_err(app_err)?;
            output::emit(json, &r, |r| {
                println!("Proposal {} as of {} deleted; its installments are free again.", r.id, r.as_of)
            })?;
        }
        DunningCmd::Recompute { id, common } => {
            let (c, json) = common.resolve(app).await?;
            let p = app.recompute_dunning(actor, c, id).await.map_err(app_err)?;
            output::emit(json, &p, print_proposal)?;
        }
        DunningCmd::RemoveLetter { letter_id, reason, common } => {
            let (c, json) = common.resolve(app).await?;
            let d = app.remove_dunning_letter(actor, c, letter_id, &reason).await.map_err(app_err)?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::RestoreLetter { letter_id, common } => {
            let (c, json) = common.resolve(app).await?;
            let d = app.restore_dunning_letter(actor, c, letter_id).await.map_err(app_err)?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::RemoveItem { item_id, reason, restore, common } => {
            let (c, json) = common.resolve(app).await?;
            let d = app.remove_dunning_item(actor, c, item_id, &reason, restore).await.map_err(app_err)?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::Level { letter_id, level, force, reason, common } => {
            let (c, json) = common.resolve(app).await?;
            let change = ChangeLevel { level: int("level", &level)?, force, reason };
            let d = app.change_dunning_level(actor, c, letter_id, &change).await.map_err(app_err)?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::Texts { letter_id, subject, opening, closing, reset, common } => {
            let (c, json) = common.resolve(app).await?;
            let texts = if reset {
                None
            } else {
                if subject.is_none() && opening.is_none() && closing.is_none() {
                    bail!("say what to change: --subject, --opening, --closing, or --reset");
                }
                let now = current_texts(app, c, letter_id).await?;
                Some(Texts {
                    subject: subject.unwrap_or(now.subject),
                    opening: opening.unwrap_or(now.opening),
                    closing: closing.unwrap_or(now.closing),
                })
            };
            let d = app.edit_dunning_texts(actor, c, letter_id, texts.as_ref()).await.map_err(app_err)?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::MarkIssued { letter_id, undo, common } => {
            let (c, json) = common.resolve(app).await?;
            let d = app.set_dunning_send(actor, c, letter_id, undo).await.map_err(app_err)?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::Withdraw { letter, reason, date, common } => {
            let (c, json) = common.resolve(app).await?;
            let date = date_or_today("--date", &date)?;
            let id = letter_detail(app, c, &letter).await?.letter.id;
            let d = app.withdraw_dunning_letter(actor, c, id, &reason, date).await.map_err(app_err)?;
            output::emit(json, &d, print_letter)?;
        }
        DunningCmd::RecordExternal { installment, document, level, date, channel, note, force, reason, common } => {
            let (c, json) = common.resolve(app).await?;
            let input = RecordExternal {
                installment_id: installment,
                document_number: document,
                level: int("level", &level)?,
                date,
                channel,
                note,
                force,
                reason,
            };
            let r = app.record_external_reminder(actor, c, &input, today_utc()).await.map_err(app_err)?;
            output::emit(json, &r, print_external)?;
        }
        DunningCmd::ToGenerate { criteria, page, common } => {
            let (c, json) = common.resolve(app).await?;
            let criteria = criteria.criteria()?;
            let list = app.dunning_to_generate(c, &criteria, today_utc(), page.page()?).await.map_err(app_err)?;
            output::emit(json, &list, print_to_generate)?;
        }
        DunningCmd::BeyondLastLevel { criteria, page, common } => {
            let (c, json) = common.resolve(app).await?;
            let criteria = criteria.criteria()?;
            let list = app.dunning_beyond_last_level(c, &criteria, today_utc(), page.page()?).await.map_err(app_err)?;
            output::emit(json, &list, print_beyond)?;
        }
        DunningCmd::InProgress { customer, page, common } => {
            let (c, json) = common.resolve(app).await?;
            let filter = LetterFilter {
                customer_id: optional_customer(app, c, "--customer", customer).await?,
                in_progress: true,
                ..Default::default()
            };
            let list = app.dunning_letters(c, &filter, page.page()?).await.map_err(app_err)?;
            output::emit(json, &list, print_letter_list)?;
        }
        DunningCmd::History { customer, installment, common } => {
            let (c, json) = common.resolve(app).await?;
            let customer = optional_customer(app, c, "--customer", customer).await?;
            let h = app.dunning_history(c, customer, installment).await.map_err(app_err)?;
            output::emit(json, &h, |h| print_history(h))?;
        }
        DunningCmd::Deliveries { status, page, common } => {
            let (c, json) = common.resolve(app).await?;
            let list = app.dunning_deliveries(c, status.as_deref(), page.page()?).await.map_err(app_err)?;
            output::emit(json, &list, print_deliveries)?;
        }
        DunningCmd::Policy { command } => match command {
            PolicyCmd::List { common } => {
                let (c, json) = common.resolve(app).await?;
                let policies = app.dunning_policies(c).await.map_err(app_err)?;
                if json {
                    output::json(&policies.iter().map(PolicyView::from).collect::<Vec<_>>())?;
                } else {
                    print_policies(&policies);
                }
            }
            PolicyCmd::Save { file, common } => {
                let (c, json) = common.resolve(app).await?;
                let doc: PolicyDoc = read_json(&file)?;
                let input = doc.to_input().map_err(app_err)?;
                let p = app.save_dunning_policy(actor, c, &input).await.map_err(app_err)?;
                if json {
                    output::json(&PolicyView::from(&p))?;
                } else {
                    print_policies(std::slice::from_ref(&p));
                }
            }
            PolicyCmd::Default { code, common } => {
                let (c, json) = common.resolve(app).await?;
                let p = PolicyView::from(&app.set_default_dunning_policy(actor, c, &code).await.map_err(app_err)?);
                output::emit(json, &p, |p| println!("Policy {} is the company's default.", p.code))?;
            }
        },
        DunningCmd::Customer { number, policy, default_policy, enabled, common } => {
            let (c, json) = common.resolve(app).await?;
            let enabled = true_false("--enabled", &enabled)?;
            let id = customer_id(app, c, "customer", &number).await?;
            let policy = if default_policy { None } else { policy };
            let s = CustomerDunning { policy, enabled };
            app.set_customer_dunning(actor, c, id, &s).await.map_err(app_err)?;
            output::emit(json, &serde_json::json!({ "updated": 1 }), |_| {
                println!(
                    "Customer {number}: dunning {}, policy {}.",
                    if s.enabled { "enabled" } else { "disabled" },
                    s.policy.as_deref().unwrap_or("(the company's default)")
                )
            })?;
        }
        DunningCmd::Comment { number, comment, common } => {
            let (c, json) = common.resolve(app).await?;
            let id = customer_id(app, c, "customer", &number).await?;
            app.set_customer_comment(actor, c, id, &comment).await.map_err(app_err)?;
            output::emit(json, &serde_json::json!({ "updated": 1 }), |_| {
                println!("Customer {number}: comment {}.", if comment.trim().is_empty() { "cleared" } else { "saved" })
            })?;
        }
        DunningCmd::Block { installments, reason, until, note, common } => {
            let (c, json) = common.resolve(app).await?;
            let b = Block { installment_ids: installments, reason: Some(reason), until, note };
            let n = app.block_installments(actor, c, &b).await.map_err(app_err)?;
            output::emit(json, &serde_json::json!({ "updated": n }), |_| println!("{n} installment(s) blocked."))?;
        }
        DunningCmd::Unblock { installments, common } => {
            let (c, json) = common.resolve(app).await?;
            let b = Block { installment_ids: installments, reason: None, until: None, note: String::new() };
            let n = app.block_installments(actor, c, &b).await.map_err(app_err)?;
            output::emit(json, &serde_json::json!({ "updated": n }), |_| println!("{n} installment(s) unblocked."))?;
        }
        DunningCmd::Interest { command } => match command {
            InterestCmd::List { common } => {
                let (c, json) = common.resolve(app).await?;
                let tables = app.interest_tables(c).await.map_err(app_err)?;
                emit_tables(json, &tables)?;
            }
            InterestCmd::Preset { code, common } => {
                let (c, json) = common.resolve(app).await?;
                let t = app.create_interest_preset(actor, c, &code).await.map_err(app_err)?;
                emit_table(json, &t)?;
            }
            InterestCmd::Create { file, common } => {
                let (c, json) = common.resolve(app).await?;
                let doc: InterestTableDoc = read_json(&file)?;
                let t =
                    app.create_interest_table(actor, c, &doc.to_input().map_err(app_err)?).await.map_err(app_err)?;
                emit_table(json, &t)?;
            }
            InterestCmd::AddRate { table_id, from, reference, margin, common } => {
                let (c, json) = common.resolve(app).await?;
                let from = Date::parse(&from).map_err(|e| anyhow::anyhow!("--from: {e}"))?;
                let rows = [RateRow { from, reference_percent: reference, margin_percent: margin }];
                let t = app.add_interest_rates(actor, c, table_id, &rows).await.map_err(app_err)?;
                emit_table(json, &t)?;
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// A draft letter's texts as they are stored: the clerk's edit, or its policy's for its level and
/// language (with the placeholders, not the preview).
async fn current_texts(app: &App, company: i64, letter_id: i64) -> anyhow::Result<Texts> {
    let l = app.dunning_letter(company, letter_id, today_utc()).await.map_err(app_err)?.letter;
    if l.texts_edited_by.is_some() {
        return Ok(Texts { subject: l.subject, opening: l.opening, closing: l.closing });
    }
    let policies = app.dunning_policies(company).await.map_err(app_err)?;
    let text = policies.iter().find(|p| p.id == l.policy_id).and_then(|p| p.text(l.level, &l.language));
    Ok(match text {
        Some(t) => Texts { subject: t.subject.clone(), opening: t.opening.clone(), closing: t.closing.clone() },
        None => Texts { subject: String::new(), opening: String::new(), closing: String::new() },
    })
}

/// Minor units in a currency given by its code (as the views answer them).
fn minor(amount: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Ok(c) => Money::new(amount, c).format_amount(),
        Err(_) => amount.to_string(),
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

fn print_letters(letters: &[Letter]) {
    let rows: Vec<Vec<String>> = letters
        .iter()
        .map(|l| {
            vec![
                l.id.to_string(),
                l.number.clone().unwrap_or_else(|| "-".into()),
                l.payer_number.clone(),
                l.payer_name.clone(),
                l.currency.code().to_string(),
                l.level.to_string(),
                l.status.to_string(),
                l.overdue_total.format_amount(),
                l.credits_total.format_amount(),
                l.fee.format_amount(),
                l.interest.format_amount(),
                l.indemnity.format_amount(),
                l.total_due.format_amount(),
                format!("{}/{}", l.days_late_total, l.days_late_max),
                if l.status == LetterStatus::Withdrawn { l.withdraw_reason.clone() } else { l.reason_text.clone() },
            ]
        })
        .collect();
    output::table(
        &[
            "letter",
            "number",
            "payer",
            "name",
            "cur",
            "level",
            "status",
            "overdue",
            "credits",
            "fee",
            "interest",
            "indemnity",
            "total due",
            "days late (sum/max)",
            "reason",
        ],
        &rows,
        &[5, 7, 8, 9, 10, 11, 12, 13],
    );
}

fn print_letter_list(list: &Listed<Letter>) {
    print_letters(&list.items);
    println!("\n{} of {} letter(s) shown.", list.items.len(), list.total_count);
}

fn print_proposal(p: &Proposal) {
    let n = &p.counts;
    match &p.run {
        Some(r) => {
            println!("Proposal {} as of {} ({}), by {} at {}", r.id, r.as_of, r.status, r.created_by, r.created_at)
        }
        None => println!("Nothing to dun: no draft was saved. The payers left out:"),
    }
    println!(
        "Letters: {} draft, {} left out, {} removed, {} issued, {} withdrawn; {} installment(s) dunned, {} left out",
        n.draft, n.left_out, n.removed, n.issued, n.withdrawn, n.items, n.items_left_out
    );
    if p.letters.items.is_empty() {
        println!("No letter.");
        return;
    }
    println!();
    print_letters(&p.letters.items);
    println!("\n{} of {} letter(s) shown.", p.letters.items.len(), p.letters.total_count);
}

fn print_runs(list: &Listed<Run>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.as_of.to_string(),
                r.status.to_string(),
                r.created_by.clone(),
                r.created_at.clone(),
                opt(&r.issued_at),
            ]
        })
        .collect();
    output::table(&["proposal", "as of", "status", "by", "created", "issued"], &rows, &[]);
    println!("\n{} of {} proposal(s) shown.", list.items.len(), list.total_count);
}

fn print_letter(d: &LetterDetail) {
    let l = &d.letter;
    println!(
        "Letter {} (id {}, proposal {}): {} {}, {}, level {}, {}",
        l.number.as_deref().unwrap_or("(draft)"),
        l.id,
        l.run_id,
        l.payer_number,
        l.payer_name,
        l.currency.code(),
        l.level,
        l.status
    );
    if !l.reason_text.is_empty() {
        println!("  {}", l.reason_text);
    }
    if !l.payer_comment.is_empty() {
        println!("  Comment: {}", l.payer_comment);
    }
    println!("Days late: {} in all, {} at most", l.days_late_total, l.days_late_max);
    if l.status == LetterStatus::Withdrawn {
        println!("  withdrawn by {} at {}: {}", opt(&l.withdrawn_by), opt(&l.withdrawn_at), l.withdraw_reason);
    }
    println!(
        "Overdue {}, not due {}, credits {}; fee {}, interest {}, indemnity {}; total due {}",
        l.overdue_total.format_amount(),
        l.not_due_total.format_amount(),
        l.credits_total.format_amount(),
        l.fee.format_amount(),
        l.interest.format_amount(),
        l.indemnity.format_amount(),
        l.total_due
    );
    println!(
        "By {} ({}), {}{}{}",
        l.channel,
        l.language,
        if l.send { "to be sent" } else { "issued without sending" },
        l.letter_date.map(|d| format!(", dated {d}")).unwrap_or_default(),
        l.payment_deadline.map(|d| format!(", to pay by {d}")).unwrap_or_default()
    );
    if let Some(who) = &l.level_forced_by {
        println!(
            "Level set by {who}{}",
            if l.level_reason.is_empty() { String::new() } else { format!(": {}", l.level_reason) }
        );
    }
    if let Some(who) = &l.texts_edited_by {
        println!("Texts edited by {who}");
    }
    if let Some(s) = &l.delivery_status {
        println!("Delivery: {s}");
    }
    if !l.notes.is_empty() {
        println!("Notes: {}", l.notes);
    }
    println!("\nSubject: {}\n\n{}\n", d.preview.subject, d.preview.opening);
    let rows: Vec<Vec<String>> = d
        .items
        .iter()
        .map(|i| {
            let level = if i.kind == ItemKind::Due {
                format!("{} → {}", i.level_before, i.new_level)
            } else {
                i.level_before.to_string()
            };
            let status = if i.reason.is_empty() { i.status.to_string() } else { format!("{}: {}", i.status, i.reason) };
            vec![
                i.id.to_string(),
                i.kind.to_string(),
                i.reference.clone(),
                i.doc_date.to_string(),
                opt(&i.due_date),
                i.amount_open.format_amount(),
                level,
                i.interest.format_amount(),
                i.indemnity.format_amount(),
                status,
            ]
        })
        .collect();
    output::table(
        &["item", "kind", "reference", "date", "due", "open", "level", "interest", "indemnity", "status"],
        &rows,
        &[5, 7, 8],
    );
    println!("\n{}", d.preview.closing);
}

fn print_issue(r: &IssueReport) {
    let numbers = match (&r.first_number, &r.last_number) {
        (Some(f), Some(l)) if f != l => format!(" ({f} to {l})"),
        (Some(f), _) => format!(" ({f})"),
        _ => String::new(),
    };
    println!("Proposal {} issued: {} letter(s){numbers}.", r.run.id, r.letters_issued);
    println!(
        "{} installment(s) updated, {} dropped since the proposal (paid or blocked); {} fee and {} interest invoice(s); {} queued for sending.",
        r.installments_updated, r.dropped_since_proposal, r.fee_invoices, r.interest_invoices, r.queued
    );
}

fn print_external(r: &ExternalRecorded) {
    let ids: Vec<String> = r.installments.iter().map(i64::to_string).collect();
    println!("Level {} on {} recorded for installment(s) {}.", r.level, r.date, ids.join(", "));
}

fn print_to_generate(list: &Listed<ToGenerate>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|t| {
            vec![
                t.payer_number.clone(),
                t.payer_name.clone(),
                t.currency.clone(),
                t.level.to_string(),
                t.items.to_string(),
                minor(t.amount_open, &t.currency),
                t.oldest_due_date.clone(),
                format!("{}/{}", t.days_late_total, t.days_late_max),
            ]
        })
        .collect();
    output::table(
        &["payer", "name", "cur", "level", "installments", "open", "oldest due", "days late (sum/max)"],
        &rows,
        &[3, 4, 5, 7],
    );
    println!("\n{} of {} payer(s) shown.", list.items.len(), list.total_count);
}

fn print_beyond(list: &Listed<BeyondLastLevel>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|b| {
            vec![
                b.payer_number.clone(),
                b.payer_name.clone(),
                b.customer_number.clone(),
                b.document_number.clone(),
                b.due_date.to_string(),
                b.amount_open.format_amount(),
                b.amount_open.currency().code().to_string(),
                b.level.to_string(),
                opt(&b.dunning_date),
                b.note.clone(),
            ]
        })
        .collect();
    output::table(
        &["payer", "name", "customer", "document", "due", "open", "cur", "level", "since", "note"],
        &rows,
        &[5, 7],
    );
    println!("\n{} of {} installment(s) beyond the last level shown.", list.items.len(), list.total_count);
}

fn print_history(h: &[HistoryEntry]) {
    if h.is_empty() {
        println!("No reminder.");
        return;
    }
    let rows: Vec<Vec<String>> = h
        .iter()
        .map(|e| {
            vec![
                e.date.to_string(),
                e.level.to_string(),
                e.document_number.clone(),
                e.installment_id.to_string(),
                e.source.clone(),
                opt(&e.letter_number),
                e.channel.clone(),
                e.status.clone(),
                opt(&e.delivery_status),
                e.note.clone(),
            ]
        })
        .collect();
    output::table(
        &["date", "level", "document", "installment", "source", "letter", "channel", "status", "delivery", "note"],
        &rows,
        &[1],
    );
}

fn print_deliveries(list: &Listed<Delivery>) {
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|d: &Delivery| {
            vec![
                d.id.to_string(),
                d.letter_number.clone(),
                d.channel.clone(),
                d.address.clone(),
                d.status.to_string(),
                d.attempts.to_string(),
                d.queued_at.clone(),
                opt(&d.done_at),
                d.last_error.clone(),
            ]
        })
        .collect();
    output::table(
        &["delivery", "letter", "channel", "address", "status", "attempts", "queued", "done", "error"],
        &rows,
        &[5],
    );
    println!("\n{} of {} delivery(ies) shown.", list.items.len(), list.total_count);
}

fn print_policies(policies: &[Policy]) {
    for p in policies {
        println!(
            "Policy {} (id {}){}: {} — {}, minimum {}, {} day(s) to pay{}{}{}",
            p.code,
            p.id,
            if p.is_default { ", the default" } else { "" },
            p.name,
            p.currency.code(),
            Money::new(p.min_amount, p.currency).format_amount(),
            p.payment_days,
            if p.allow_skip { ", levels may be skipped" } else { "" },
            if p.repeat_last { ", the last level repeats" } else { "" },
            p.interest_table_id.map(|t| format!(", interest table {t}")).unwrap_or_default()
        );
        let rows: Vec<Vec<String>> = p
            .levels
            .iter()
            .map(|l| {
                let fee = match l.fee_kind.as_str() {
                    "fixed" => Money::new(l.fee_amount, p.currency).format_amount(),
                    "percent" => format!("{}%", l.fee_percent),
                    _ => "-".into(),
                };
                let yn = |b: bool| if b { "yes" } else { "no" }.to_string();
                vec![
                    l.level.to_string(),
                    l.delay_days.to_string(),
                    Money::new(l.min_amount, p.currency).format_amount(),
                    fee,
                    yn(l.interest),
                    yn(l.indemnity),
                    l.channel.clone(),
                ]
            })
            .collect();
        output::table(&["level", "delay", "minimum", "fee", "interest", "indemnity", "channel"], &rows, &[1, 2, 3]);
        println!();
    }
}

/// Tables as the API shows them (`--json`: the indemnity as a decimal string), or as text.
fn emit_tables(json: bool, tables: &[InterestTable]) -> anyhow::Result<()> {
    let views: Vec<InterestTableView> = tables.iter().map(InterestTableView::from).collect();
    output::emit(json, &views, |_| print_tables(tables))
}

/// One table, as [`emit_tables`] shows a list.
fn emit_table(json: bool, table: &InterestTable) -> anyhow::Result<()> {
    output::emit(json, &InterestTableView::from(table), |_| print_tables(std::slice::from_ref(table)))
}

fn print_tables(tables: &[InterestTable]) {
    for t in tables {
        println!(
            "Interest table {} (id {}): {} — {}, grace {} day(s), indemnity {}",
            t.code,
            t.id,
            t.name,
            t.day_count,
            t.grace_days,
            minor(t.indemnity, &t.indemnity_currency) + " " + &t.indemnity_currency
        );
        let rows: Vec<Vec<String>> = t
            .rates
            .iter()
            .map(|r| vec![r.from.to_string(), r.reference_percent.clone(), r.margin_percent.clone()])
            .collect();
        output::table(&["from", "reference %", "margin %"], &rows, &[1, 2]);
        println!();
    }
}
