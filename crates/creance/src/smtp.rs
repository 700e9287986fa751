//! `creance settings smtp`: the company's SMTP server for the dunning e-mails. The password is read
//! from standard input (`--password-stdin`) or from `CREANCE_SMTP_PASSWORD`, never from the command
//! line (where `ps` shows it), and never printed.

use std::io::BufRead;

use anyhow::Context;
use creance_app::delivery::{SmtpInput, SmtpView};
use creance_app::{Actor, App};

use crate::args::{app_err, company_or_only};

#[derive(clap::Args, Debug)]
pub struct SmtpArgs {
    #[arg(long)]
    company: Option<i64>,
    /// Change the settings: the fields given are set, the others kept.
    #[arg(long, conflicts_with = "clear")]
    set: bool,
    /// Remove the SMTP server: messages are written to the outbox folder again.
    #[arg(long)]
    clear: bool,
    #[arg(long)]
    host: Option<String>,
    #[arg(long)]
    port: Option<i64>,
    /// starttls (default), tls or none.
    #[arg(long)]
    security: Option<String>,
    #[arg(long)]
    username: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// The sender's address.
    #[arg(long)]
    from: Option<String>,
    /// The sender's name (default: the company's name).
    #[arg(long)]
    from_name: Option<String>,
    /// Where answers go, if not the sender.
    #[arg(long)]
    reply_to: Option<String>,
    #[arg(long)]
    json: bool,
}

fn password(a: &SmtpArgs) -> anyhow::Result<Option<String>> {
    if a.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
        return Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()));
    }
    Ok(std::env::var("CREANCE_SMTP_PASSWORD").ok())
}

pub async fn run(app: &App, actor: &Actor, a: SmtpArgs) -> anyhow::Result<()> {
    let c = company_or_only(app, a.company).await?;
    if a.clear {
        app.clear_smtp_settings(actor, c).await.map_err(app_err)?;
    } else if a.set {
        let now = app.smtp_settings(c).await.map_err(app_err)?;
        let keep = |given: &Option<String>, stored: &str| given.clone().unwrap_or_else(|| stored.to_string());
        let input = SmtpInput {
            host: keep(&a.host, &now.host),
            port: a.port.or(Some(now.port).filter(|p| *p > 0 && a.security.is_none())),
            security: a.security.clone().or(Some(now.security.clone()).filter(|s| !s.is_empty())),
            username: keep(&a.username, &now.username),
            password: password(&a)?,
            from_address: keep(&a.from, &now.from_address),
            from_name: keep(&a.from_name, &now.from_name),
            reply_to: keep(&a.reply_to, &now.reply_to),
        };
        app.set_smtp_settings(actor, c, &input).await.map_err(app_err)?;
    } else if a.host.is_some() || a.from.is_some() || a.password_stdin {
        anyhow::bail!("give --set to change the SMTP settings");
    }
    let v = app.smtp_settings(c).await.map_err(app_err)?;
    crate::print::emit(a.json, &v, print_smtp)
}

fn print_smtp(v: &SmtpView) {
    if !v.configured {
        println!("No SMTP server: the dunning e-mails are written as .eml files to the outbox folder.");
        return;
    }
    let dash = |s: &str| if s.is_empty() { "-".to_string() } else { s.to_string() };
    println!("server    {}:{} ({})", v.host, v.port, v.security);
    println!("login     {}", dash(&v.username));
    println!("password  {}", if v.password_set { "set (not shown)" } else { "none" });
    println!("from      {} <{}>", v.from_name, v.from_address);
    println!("reply-to  {}", dash(&v.reply_to));
}
