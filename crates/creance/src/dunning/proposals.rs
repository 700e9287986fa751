//! Dunning proposals (SPEC §4.6): the criteria, and proposing, showing, listing, issuing, deleting
//! and recomputing a proposal.

use creance_app::clock::today_utc;
use creance_app::dunning::Criteria;
use creance_app::{Actor, App};

use super::print::{print_issue, print_proposal, print_runs};
use super::Common;
use crate::args::{app_err, date_or_today, int, PageArgs};
use crate::print;

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

impl CriteriaArgs {
    /// The criteria given, as an export's PDF header shows them (`--name value`).
    pub fn filters(&self) -> Vec<(&'static str, Option<String>)> {
        let levels = if self.levels.is_empty() { None } else { Some(self.levels.join(", ")) };
        vec![
            ("as_of", self.as_of.clone()),
            ("customer_from", self.customer_from.clone()),
            ("customer_to", self.customer_to.clone()),
            ("currency", self.currency.clone()),
            ("documents_to", self.documents_to.clone()),
            ("min_balance", self.min_balance.clone()),
            ("policy", self.policy.clone()),
            ("salesperson", self.salesperson.clone()),
            ("level", levels),
            ("days_overdue_min", self.days_overdue_min.clone()),
            ("days_overdue_max", self.days_overdue_max.clone()),
        ]
    }

    pub fn criteria(self) -> anyhow::Result<Criteria> {
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

pub async fn propose(app: &App, actor: &Actor, criteria: CriteriaArgs, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let criteria = criteria.criteria()?;
    let p = app.propose_dunning(actor, c, &criteria, today_utc()).await.map_err(app_err)?;
    print::emit(json, &p, print_proposal)
}

pub async fn show(app: &App, id: i64, status: Option<String>, page: PageArgs, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let p = app.dunning_proposal(c, id, status.as_deref(), page.page()?).await.map_err(app_err)?;
    print::emit(json, &p, print_proposal)
}

pub async fn list(
    app: &App,
    status: Option<String>,
    page: PageArgs,
    common: Common,
    export: crate::export_args::ExportArgs,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    if let Some(format) = export.file_format()? {
        let filters = [("status", status.clone())];
        let fetch = |page| app.dunning_proposals(c, status.as_deref(), page);
        return export.listed(app, c, &creance_app::exports::lists::RUNS, format, &filters, fetch).await;
    }
    let list = app.dunning_proposals(c, status.as_deref(), page.page()?).await.map_err(app_err)?;
    print::emit(json, &list, print_runs)
}

pub async fn issue(app: &App, actor: &Actor, id: i64, date: Option<String>, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let date = date_or_today("--date", &date)?;
    let r = app.issue_dunning(actor, c, id, date).await.map_err(app_err)?;
    print::emit(json, &r, print_issue)
}

pub async fn delete(app: &App, actor: &Actor, id: i64, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let r = app.delete_dunning_proposal(actor, c, id).await.map_err(app_err)?;
    print::emit(json, &r, |r| println!("Proposal {} as of {} deleted; its installments are free again.", r.id, r.as_of))
}

pub async fn recompute(app: &App, actor: &Actor, id: i64, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let p = app.recompute_dunning(actor, c, id).await.map_err(app_err)?;
    print::emit(json, &p, print_proposal)
}
