//! `creance serve`: the API and the pages on a TCP address; with `--demo`, an empty database is
//! filled with the demo first and an admin token is printed.

use std::process::ExitCode;

use anyhow::Context;
use creance_app::clock::today_utc;
use creance_app::{Actor, App};
use creance_core::Role;

use crate::args::app_err;
use crate::demo::run_demo;

pub async fn run(app: App, listen: &str, demo: bool, customers: usize) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    if demo {
        let empty = app.has_no_company().await.map_err(app_err)?;
        let company_id = if empty {
            let summary = run_demo(&app, customers, 1, today_utc()).await?;
            eprintln!(
                "Demo data loaded: {} customers, {} invoices, {} payments.",
                summary.customers, summary.invoices, summary.payments
            );
            summary.company_id
        } else {
            let first = app.companies().await.map_err(app_err)?.first().map(|c| c.id);
            eprintln!("The database already has data; the demo was not loaded again.");
            first.context("the database has no company")?
        };
        let token = app
            .create_token(&Actor::new("serve --demo", creance_app::clock::now()), company_id, Role::Admin, "demo")
            .await
            .map_err(app_err)?;
        println!("Créance is serving http://{addr}");
        println!("Admin token for company {company_id}: {token}");
        println!("Try: curl -H \"Authorization: Bearer {token}\" 'http://{addr}/api/v1/open-items?overdue=true'");
    } else {
        println!("Créance is serving http://{addr}");
    }
    tracing::info!("listening on http://{addr} ({})", app.engine_name());
    creance_server::serve(app, listener).await?;
    Ok(ExitCode::SUCCESS)
}
