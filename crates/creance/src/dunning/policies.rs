//! `creance dunning policy …` (SPEC §4.6): list the policies with their levels, save one from a JSON
//! file (the API's body), choose the company's default.

use std::path::PathBuf;

use clap::Subcommand;
use creance_app::dunning::policy_json::{PolicyDoc, PolicyView};
use creance_app::{Actor, App};

use super::print::print_policies;
use super::{read_json, Common};
use crate::args::app_err;
use crate::print;

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

pub async fn run(app: &App, actor: &Actor, cmd: PolicyCmd) -> anyhow::Result<()> {
    match cmd {
        PolicyCmd::List { common } => {
            let (c, json) = common.resolve(app).await?;
            let policies = app.dunning_policies(c).await.map_err(app_err)?;
            if json {
                print::json(&policies.iter().map(PolicyView::from).collect::<Vec<_>>())
            } else {
                print_policies(&policies);
                Ok(())
            }
        }
        PolicyCmd::Save { file, common } => {
            let (c, json) = common.resolve(app).await?;
            let doc: PolicyDoc = read_json(&file)?;
            let input = doc.to_input().map_err(app_err)?;
            let p = app.save_dunning_policy(actor, c, &input).await.map_err(app_err)?;
            if json {
                print::json(&PolicyView::from(&p))
            } else {
                print_policies(std::slice::from_ref(&p));
                Ok(())
            }
        }
        PolicyCmd::Default { code, common } => {
            let (c, json) = common.resolve(app).await?;
            let p = PolicyView::from(&app.set_default_dunning_policy(actor, c, &code).await.map_err(app_err)?);
            print::emit(json, &p, |p| println!("Policy {} is the company's default.", p.code))
        }
    }
}
