//! `creance dunning interest …` (SPEC §4.7): late-interest rate tables — list, create from a preset
//! or from a JSON file (the API's body), add a rate period.

use std::path::PathBuf;

use clap::Subcommand;
use creance_app::dunning::policy_json::{InterestTableDoc, InterestTableView};
use creance_app::views::dunning::{InterestTable, RateRow};
use creance_app::{Actor, App};

use super::print::print_tables;
use super::{read_json, Common};
use crate::args::{app_err, date};
use crate::print;

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

pub async fn run(app: &App, actor: &Actor, cmd: InterestCmd) -> anyhow::Result<()> {
    match cmd {
        InterestCmd::List { common } => {
            let (c, json) = common.resolve(app).await?;
            let tables = app.interest_tables(c).await.map_err(app_err)?;
            emit_tables(json, &tables)
        }
        InterestCmd::Preset { code, common } => {
            let (c, json) = common.resolve(app).await?;
            let t = app.create_interest_preset(actor, c, &code).await.map_err(app_err)?;
            emit_table(json, &t)
        }
        InterestCmd::Create { file, common } => {
            let (c, json) = common.resolve(app).await?;
            let doc: InterestTableDoc = read_json(&file)?;
            let t = app.create_interest_table(actor, c, &doc.to_input().map_err(app_err)?).await.map_err(app_err)?;
            emit_table(json, &t)
        }
        InterestCmd::AddRate { table_id, from, reference, margin, common } => {
            let (c, json) = common.resolve(app).await?;
            let from = date("--from", &from)?;
            let rows = [RateRow { from, reference_percent: reference, margin_percent: margin }];
            let t = app.add_interest_rates(actor, c, table_id, &rows).await.map_err(app_err)?;
            emit_table(json, &t)
        }
    }
}

/// Tables as the API shows them (`--json`: the indemnity as a decimal string), or as text.
fn emit_tables(json: bool, tables: &[InterestTable]) -> anyhow::Result<()> {
    let views: Vec<InterestTableView> = tables.iter().map(InterestTableView::from).collect();
    print::emit(json, &views, |_| print_tables(tables))
}

/// One table, as [`emit_tables`] shows a list.
fn emit_table(json: bool, table: &InterestTable) -> anyhow::Result<()> {
    print::emit(json, &InterestTableView::from(table), |_| print_tables(std::slice::from_ref(table)))
}
