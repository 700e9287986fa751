//! `creance company …`: create and list companies.

use anyhow::Context;
use clap::Subcommand;
use creance_app::companies::NewCompany;
use creance_app::{Actor, App};
use creance_core::{Currency, Language};

use crate::args::app_err;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum CompanyCmd {
    /// Create a company.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "FR")]
        country: String,
        #[arg(long, default_value = "EUR")]
        currency: String,
        #[arg(long, default_value = "fr")]
        language: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long)]
        json: bool,
    },
    /// List companies.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, actor: &Actor, cmd: CompanyCmd) -> anyhow::Result<()> {
    match cmd {
        CompanyCmd::Create { name, country, currency, language, address, json } => {
            let company = NewCompany {
                name,
                country: country.to_uppercase(),
                base_currency: Currency::parse(&currency).map_err(|e| anyhow::anyhow!("--currency: {e}"))?,
                language: Language::parse(&language)
                    .with_context(|| format!("--language {language:?}: use fr, en, de or it"))?,
                address,
            };
            let id = app.create_company(actor, &company).await.map_err(app_err)?;
            if json {
                print::json(&serde_json::json!({ "id": id }))
            } else {
                println!("company {id} created");
                Ok(())
            }
        }
        CompanyCmd::List { json } => {
            let companies = app.companies().await.map_err(app_err)?;
            if json {
                return print::json(&companies);
            }
            let rows: Vec<Vec<String>> = companies
                .iter()
                .map(|c| vec![c.id.to_string(), c.name.clone(), c.country.clone(), c.base_currency.code().into()])
                .collect();
            print::table(&["id", "name", "country", "currency"], &rows, &[]);
            Ok(())
        }
    }
}
