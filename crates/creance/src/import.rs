//! `creance import`: customers, contracts or invoices from a CSV file (docs/import.md). A file with
//! bad rows imports nothing; its report goes to the standard error and the exit code is 1.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use creance_app::import::{read_csv, Entity};
use creance_app::{Actor, App, AppError};
use indicatif::ProgressBar;

use crate::args::company_or_only;
use crate::print;

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ImportWhat {
    Customers,
    Contracts,
    Invoices,
}

pub async fn run(
    app: &App,
    actor: &Actor,
    what: ImportWhat,
    file: &Path,
    company: Option<i64>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let company = company_or_only(app, company).await?;
    let entity = match what {
        ImportWhat::Customers => Entity::Customers,
        ImportWhat::Contracts => Entity::Contracts,
        ImportWhat::Invoices => Entity::Documents,
    };
    let spinner = spinner(&format!("importing {}", file.display()));
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (table, errors) = read_csv(&bytes, entity);
    let result = app.import(actor, company, entity, &table, errors).await;
    spinner.finish_and_clear();
    match result {
        Ok(report) => {
            if json {
                print::json(&report)?;
            } else {
                println!("{}", report.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::Import(report)) => {
            if json {
                print::json(&report)?;
            } else {
                eprintln!("{}: {}", file.display(), report.summary());
                for line in report.error_lines() {
                    eprintln!("  {line}");
                }
            }
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
