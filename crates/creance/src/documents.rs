//! The documents from the command line (issue 11): a dunning letter, a level's preview, a run's
//! print PDF, a deposit slip and a refund letter written to `--output FILE`; and the letterhead
//! settings (`creance settings letterhead [--set …]`). Each calls one use case of `creance_app`,
//! the same as the API's PDF routes.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use creance_app::clock::today_utc;
use creance_app::documents::{LetterheadInput, Pdf, PrintOrder};
use creance_app::{Actor, App};

use crate::args::{app_err, company_or_only};

fn write(pdf: &Pdf, output: &Path) -> anyhow::Result<()> {
    std::fs::write(output, &pdf.bytes).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!("{}: {} bytes", output.display(), pdf.bytes.len());
    Ok(())
}

/// `creance dunning letter ID --output FILE`: the letter (by id or number) as PDF.
pub async fn letter(app: &App, company: Option<i64>, letter: &str, output: &Path) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let id = match letter.trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => app.dunning_letter_by_number(c, letter.trim(), today_utc()).await.map_err(app_err)?.letter.id,
    };
    write(&app.dunning_letter_pdf(c, id, today_utc()).await.map_err(app_err)?, output)
}

/// `creance dunning preview POLICY LEVEL [--payer NUMBER] --output FILE`.
pub async fn preview(
    app: &App,
    company: Option<i64>,
    policy: &str,
    level: i64,
    payer: Option<&str>,
    output: &Path,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let policy_id = match policy.trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            let policies = app.dunning_policies(c).await.map_err(app_err)?;
            let known: Vec<&str> = policies.iter().map(|p| p.code.as_str()).collect();
            policies
                .iter()
                .find(|p| p.code == policy.trim())
                .map(|p| p.id)
                .with_context(|| format!("no policy {policy:?}; the policies are {}", known.join(", ")))?
        }
    };
    let payer_id = match payer {
        None => None,
        Some(number) => Some(crate::args::customer_id(app, c, "--payer", number.trim()).await?),
    };
    write(&app.dunning_level_preview_pdf(c, policy_id, level, payer_id, today_utc()).await.map_err(app_err)?, output)
}

/// `creance dunning print RUN --output FILE [--order postal_code|salesperson] [--from-payer N] [--to-payer N]`.
pub async fn print_run(
    app: &App,
    company: Option<i64>,
    run: i64,
    order: &str,
    from_payer: Option<&str>,
    to_payer: Option<&str>,
    output: &Path,
) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    let order = PrintOrder::parse(order).map_err(app_err)?;
    write(&app.dunning_print_pdf(c, run, order, from_payer, to_payer, today_utc()).await.map_err(app_err)?, output)
}

/// `creance deposit slip ID --output FILE`.
pub async fn deposit_slip(app: &App, company: Option<i64>, id: i64, output: &Path) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    write(&app.deposit_slip_pdf(c, id).await.map_err(app_err)?, output)
}

/// `creance refund letter ID --output FILE`.
pub async fn refund_letter(app: &App, company: Option<i64>, id: i64, output: &Path) -> anyhow::Result<()> {
    let c = company_or_only(app, company).await?;
    write(&app.refund_letter_pdf(c, id).await.map_err(app_err)?, output)
}

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// What the company's documents print beyond its name and address; with --set, change it.
    Letterhead(LetterheadArgs),
    /// The SMTP server the dunning e-mails go through; with --set, change it.
    Smtp(crate::smtp::SmtpArgs),
    /// The aging buckets and basis of the reports; with --set, change them.
    Reports(crate::reports::ReportSettingsArgs),
}

#[derive(clap::Args, Debug)]
pub struct LetterheadArgs {
    #[arg(long)]
    company: Option<i64>,
    /// Change the letterhead: the fields given are set, the others kept.
    #[arg(long)]
    set: bool,
    #[arg(long)]
    registration: Option<String>,
    #[arg(long)]
    vat_number: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    web: Option<String>,
    /// left or right.
    #[arg(long)]
    envelope_window: Option<String>,
    /// A line of the default signature (repeat: name, then title).
    #[arg(long)]
    signature: Vec<String>,
    /// A line of the signature of letters in French (repeat; `--signature-fr ""` removes it: the
    /// default is printed).
    #[arg(long)]
    signature_fr: Vec<String>,
    /// A line of the signature of letters in English (repeat; `""` removes it).
    #[arg(long)]
    signature_en: Vec<String>,
    /// A line of the signature of letters in German (repeat; `""` removes it).
    #[arg(long)]
    signature_de: Vec<String>,
    /// The bank account printed (its id).
    #[arg(long)]
    bank_account: Option<i64>,
    /// Letters print each dunned document's own text under its row: true or false.
    #[arg(long)]
    item_texts: Option<String>,
    /// A JPEG logo (at most 512 KiB).
    #[arg(long)]
    logo: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

pub async fn settings(app: &App, actor: &Actor, cmd: SettingsCmd) -> anyhow::Result<()> {
    let a = match cmd {
        SettingsCmd::Letterhead(a) => a,
        SettingsCmd::Smtp(s) => return crate::smtp::run(app, actor, s).await,
        SettingsCmd::Reports(r) => return crate::reports::settings(app, actor, r).await,
    };
    let c = company_or_only(app, a.company).await?;
    if a.set {
        let now = app.letterhead(c).await.map_err(app_err)?;
        let mut signatures = now.signatures;
        for (code, lines) in [("fr", a.signature_fr), ("en", a.signature_en), ("de", a.signature_de)] {
            if !lines.is_empty() {
                signatures.insert(code.to_string(), lines);
            }
        }
        let input = LetterheadInput {
            registration: a.registration.unwrap_or(now.registration),
            vat_number: a.vat_number.unwrap_or(now.vat_number),
            phone: a.phone.unwrap_or(now.phone),
            email: a.email.unwrap_or(now.email),
            web: a.web.unwrap_or(now.web),
            envelope_window: Some(a.envelope_window.unwrap_or(now.envelope_window)),
            signature_lines: if a.signature.is_empty() { now.signature_lines } else { a.signature },
            signatures,
            bank_account_id: a.bank_account.or(now.bank_account_id),
            print_item_texts: match &a.item_texts {
                Some(v) => crate::args::true_false("--item-texts", v)?,
                None => now.print_item_texts,
            },
        };
        app.set_letterhead(actor, c, &input).await.map_err(app_err)?;
        if let Some(path) = &a.logo {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            app.set_letterhead_logo(actor, c, &bytes).await.map_err(app_err)?;
        }
    } else if a.logo.is_some() {
        anyhow::bail!("--logo changes the letterhead: give --set with it");
    }
    let h = app.letterhead(c).await.map_err(app_err)?;
    crate::print::emit(a.json, &h, |h| {
        let dash = |s: &str| if s.is_empty() { "-".to_string() } else { s.to_string() };
        println!("registration     {}", dash(&h.registration));
        println!("VAT number       {}", dash(&h.vat_number));
        println!("phone            {}", dash(&h.phone));
        println!("e-mail           {}", dash(&h.email));
        println!("web              {}", dash(&h.web));
        println!("envelope window  {}", h.envelope_window);
        println!("signature        {}", dash(&h.signature_lines.join(" / ")));
        for (code, lines) in &h.signatures {
            println!("signature ({code})   {}", lines.join(" / "));
        }
        let bank =
            h.bank_account_id.map_or_else(|| "the account in the document's currency".to_string(), |b| b.to_string());
        println!("bank account     {bank}");
        println!("item texts       {}", if h.print_item_texts { "printed under their rows" } else { "not printed" });
        println!("logo             {}", if h.has_logo { "set" } else { "none" });
    })
}
