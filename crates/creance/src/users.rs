//! `creance user …`: the web UI's users — create (with a role in one company), passwd, list, grant.
//! A password comes from standard input (`--password-stdin`, one line), else from
//! `CREANCE_USER_PASSWORD`, else (create only) is generated and printed once.

use std::io::BufRead;

use anyhow::Context;
use clap::Subcommand;
use creance_app::users::{random_password, NewUser};
use creance_app::{Actor, App};
use creance_core::{Language, Role};

use crate::args::app_err;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create a user with a role in one company.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// fr or en (the pages' language).
        #[arg(long, default_value = "fr")]
        language: String,
        #[arg(long)]
        company: i64,
        /// read-only, clerk or admin.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// Set a user's password (its sessions end).
    Passwd {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users (with --company, those holding a role there), never their passwords.
    List {
        #[arg(long)]
        company: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Give a user a role in a company (replacing the one it had there).
    Grant {
        #[arg(long)]
        email: String,
        #[arg(long)]
        company: i64,
        #[arg(long)]
        role: String,
    },
}

/// The password given by `--password-stdin` or `CREANCE_USER_PASSWORD`, if any.
fn given_password(stdin: bool) -> anyhow::Result<Option<String>> {
    if stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
        return Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()));
    }
    Ok(std::env::var("CREANCE_USER_PASSWORD").ok().filter(|p| !p.is_empty()))
}

fn role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text).with_context(|| format!("--role {text:?}: use read-only, clerk or admin"))
}

pub async fn run(app: &App, actor: &Actor, cmd: UserCmd) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Create { email, name, language, company, role: r, password_stdin, json } => {
            let language = match Language::parse(&language) {
                Some(l @ (Language::Fr | Language::En)) => l,
                _ => anyhow::bail!("--language {language:?}: use fr or en"),
            };
            let (password, generated) = match given_password(password_stdin)? {
                Some(p) => (p, false),
                None => (random_password()?, true),
            };
            let u = NewUser { email, name, language, company_id: company, role: role(&r)?, password: password.clone() };
            let user = app.create_user(actor, &u).await.map_err(app_err)?;
            print::emit(json, &user, |u| {
                println!(
                    "User {} ({}) created with role {} in company {company}.",
                    u.email,
                    u.id,
                    u.roles[0].role.code()
                );
            })?;
            if generated {
                eprintln!("Password (shown only this once): {password}");
            }
            Ok(())
        }
        UserCmd::Passwd { email, password_stdin } => {
            let password = given_password(password_stdin)?
                .context("give the new password with --password-stdin or CREANCE_USER_PASSWORD")?;
            let u = app.set_user_password(actor, &email, &password).await.map_err(app_err)?;
            println!("Password of {} changed; its sessions ended.", u.email);
            Ok(())
        }
        UserCmd::List { company, json } => {
            let users = app.users(company).await.map_err(app_err)?;
            print::emit(json, &users, |users| {
                if users.is_empty() {
                    println!("No user.");
                }
                for u in users {
                    let roles: Vec<String> =
                        u.roles.iter().map(|r| format!("{}:{}", r.company_id, r.role.code())).collect();
                    println!(
                        "{:>5}  {:<30}  {:<24}  {}  {}{}",
                        u.id,
                        u.email,
                        u.name,
                        u.language.code(),
                        roles.join(","),
                        if u.disabled_at.is_some() { "  disabled" } else { "" }
                    );
                }
            })
        }
        UserCmd::Grant { email, company, role: r } => {
            let r = role(&r)?;
            let u = app.grant_user_role(actor, &email, company, r).await.map_err(app_err)?;
            println!("{} now has the role {} in company {company}.", u.email, r.code());
            Ok(())
        }
    }
}
