//! Dunning letters (SPEC §4.6): showing and listing letters, the clerk's edits of a draft (remove,
//! restore, rows, level, texts, issue without sending) and the withdrawal of an issued letter.

use anyhow::bail;
use creance_app::clock::today_utc;
use creance_app::dunning::LetterFilter;
use creance_app::dunning::{ChangeLevel, LetterDetail, Texts};
use creance_app::{Actor, App};

use super::print::{print_letter, print_letter_list};
use super::Common;
use crate::args::{app_err, date_or_today, int, optional_customer, PageArgs};
use crate::export_args::ExportArgs;
use crate::print;
use creance_app::exports::lists;

#[derive(clap::Args, Debug)]
pub struct LettersArgs {
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
    #[command(flatten)]
    export: ExportArgs,
}

#[derive(clap::Args, Debug)]
pub struct TextsArgs {
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
}

/// A letter by id (a whole number) or by number (LR-2026-000001).
async fn letter_detail(app: &App, company: i64, letter: &str) -> anyhow::Result<LetterDetail> {
    let letter = letter.trim();
    match letter.parse::<i64>() {
        Ok(id) => app.dunning_letter(company, id, today_utc()).await.map_err(app_err),
        Err(_) => app.dunning_letter_by_number(company, letter, today_utc()).await.map_err(app_err),
    }
}

pub async fn show(app: &App, letter: &str, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let d = letter_detail(app, c, letter).await?;
    print::emit(json, &d, print_letter)
}

pub async fn list(app: &App, a: LettersArgs) -> anyhow::Result<()> {
    let (c, json) = a.common.resolve(app).await?;
    let filter = LetterFilter {
        run_id: a.proposal,
        status: None,
        payer_id: optional_customer(app, c, "--payer", a.payer.clone()).await?,
        customer_id: optional_customer(app, c, "--customer", a.customer.clone()).await?,
        in_progress: a.in_progress,
        ids: None,
    };
    if let Some(format) = a.export.file_format()? {
        let proposal = a.proposal.map(|p| p.to_string());
        let in_progress = a.in_progress.then(|| "true".to_string());
        let filters = [
            ("status", a.status.clone()),
            ("customer", a.customer),
            ("payer", a.payer),
            ("proposal", proposal),
            ("in_progress", in_progress),
        ];
        let fetch = |page| {
            let filter = filter.clone();
            let status = a.status.clone();
            async move { app.dunning_letters(c, status.as_deref(), &filter, page).await }
        };
        return a.export.listed(app, c, &lists::LETTERS, format, &filters, fetch).await;
    }
    let list = app.dunning_letters(c, a.status.as_deref(), &filter, a.page.page()?).await.map_err(app_err)?;
    print::emit(json, &list, print_letter_list)
}

pub async fn remove(app: &App, actor: &Actor, letter_id: i64, reason: &str, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let d = app.remove_dunning_letter(actor, c, letter_id, reason).await.map_err(app_err)?;
    print::emit(json, &d, print_letter)
}

pub async fn restore(app: &App, actor: &Actor, letter_id: i64, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let d = app.restore_dunning_letter(actor, c, letter_id).await.map_err(app_err)?;
    print::emit(json, &d, print_letter)
}

pub async fn remove_item(
    app: &App,
    actor: &Actor,
    item_id: i64,
    reason: &str,
    restore: bool,
    common: Common,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let d = app.remove_dunning_item(actor, c, item_id, reason, restore).await.map_err(app_err)?;
    print::emit(json, &d, print_letter)
}

pub async fn level(
    app: &App,
    actor: &Actor,
    letter_id: i64,
    level: &str,
    force: bool,
    reason: String,
    common: Common,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let change = ChangeLevel { level: int("level", level)?, force, reason };
    let d = app.change_dunning_level(actor, c, letter_id, &change).await.map_err(app_err)?;
    print::emit(json, &d, print_letter)
}

pub async fn texts(app: &App, actor: &Actor, a: TextsArgs) -> anyhow::Result<()> {
    let (c, json) = a.common.resolve(app).await?;
    let texts = if a.reset {
        None
    } else {
        if a.subject.is_none() && a.opening.is_none() && a.closing.is_none() {
            bail!("say what to change: --subject, --opening, --closing, or --reset");
        }
        let now = app.dunning_letter_texts(c, a.letter_id).await.map_err(app_err)?;
        Some(Texts {
            subject: a.subject.unwrap_or(now.subject),
            opening: a.opening.unwrap_or(now.opening),
            closing: a.closing.unwrap_or(now.closing),
        })
    };
    let d = app.edit_dunning_texts(actor, c, a.letter_id, texts.as_ref()).await.map_err(app_err)?;
    print::emit(json, &d, print_letter)
}

pub async fn mark_issued(app: &App, actor: &Actor, letter_id: i64, undo: bool, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let d = app.set_dunning_send(actor, c, letter_id, undo).await.map_err(app_err)?;
    print::emit(json, &d, print_letter)
}

pub async fn withdraw(
    app: &App,
    actor: &Actor,
    letter: &str,
    reason: &str,
    date: Option<String>,
    common: Common,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let date = date_or_today("--date", &date)?;
    let id = letter_detail(app, c, letter).await?.letter.id;
    let d = app.withdraw_dunning_letter(actor, c, id, reason, date).await.map_err(app_err)?;
    print::emit(json, &d, print_letter)
}
