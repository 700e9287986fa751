//! `creance token …`: API tokens of a company — create (the secret is printed once, only its hash is
//! stored), list, revoke.

use anyhow::Context;
use clap::Subcommand;
use creance_app::{Actor, App};
use creance_core::Role;

use crate::args::app_err;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create a token; it is printed once, only its hash is stored.
    Create {
        #[arg(long)]
        company: i64,
        /// read-only, clerk or admin.
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        label: String,
        #[arg(long)]
        json: bool,
    },
    /// List a company's tokens (id, role, label, created, revoked); never their secrets.
    List {
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token of the company (by id): it stops authenticating at once.
    Revoke {
        id: i64,
        #[arg(long)]
        company: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, actor: &Actor, cmd: TokenCmd) -> anyhow::Result<()> {
    match cmd {
        TokenCmd::Create { company, role, label, json } => {
            let role = Role::parse(&role).with_context(|| format!("--role {role:?}: use read-only, clerk or admin"))?;
            let token = app.create_token(actor, company, role, &label).await.map_err(app_err)?;
            if json {
                print::json(&serde_json::json!({ "company_id": company, "role": role.code(), "token": token }))?;
            } else {
                println!("{token}");
                eprintln!("Token for company {company} with role {}. It is shown only this once.", role.code());
            }
            Ok(())
        }
        TokenCmd::List { company, json } => {
            let list = app.tokens(company).await.map_err(app_err)?;
            print::emit(json, &list, |list| {
                if list.is_empty() {
                    println!("Company {company} has no token.");
                }
                for t in list {
                    println!(
                        "{:>6}  {:<9}  {:<20}  created {}  {}",
                        t.id,
                        t.role,
                        t.label,
                        t.created_at,
                        t.revoked_at.as_deref().map_or_else(|| "live".to_string(), |at| format!("revoked {at}"))
                    );
                }
            })
        }
        TokenCmd::Revoke { id, company, json } => {
            let t = app.revoke_token(actor, company, id).await.map_err(app_err)?;
            print::emit(json, &t, |t| println!("Token {} ({}, {:?}) revoked.", t.id, t.role, t.label))
        }
    }
}
