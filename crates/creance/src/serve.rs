//! `creance serve`: the API and the pages on a TCP address, and the delivery worker that sends the
//! queued dunning e-mails every few seconds; with `--demo`, an empty database is filled with the
//! demo first and an admin token and a demo login (a web user, admin of the demo company) are printed.

use std::process::ExitCode;

use anyhow::Context;
use creance_app::clock::today_utc;
use creance_app::{Actor, App};
use creance_core::Role;

use crate::args::app_err;
use crate::demo::run_demo;

/// The delivery worker's settings.
pub struct Worker {
    pub outbox: std::path::PathBuf,
    /// Seconds between passes; 0: no worker.
    pub interval_seconds: u64,
}

/// Runs a delivery pass every `interval` seconds, for ever (a failed pass is logged and the next
/// one tries again).
async fn deliver_forever(app: App, worker: Worker) {
    let opts = creance_app::delivery::DeliveryOptions::new(worker.outbox);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(worker.interval_seconds.max(1)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app.deliver(&opts, creance_app::clock::now()).await {
            Ok(r) if r.attempted() + r.interrupted > 0 => tracing::info!(
                sent = r.sent,
                retried = r.retried,
                failed = r.failed,
                interrupted = r.interrupted,
                "delivery pass"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!("delivery pass failed: {e:#}"),
        }
    }
}

pub async fn run(
    app: App,
    listen: &str,
    demo: bool,
    customers: usize,
    worker: Worker,
    mut web: creance_server::web::WebConfig,
) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    if demo {
        let empty = app.has_no_company().await.map_err(app_err)?;
        let company_id = if empty {
            let summary = run_demo(&app, customers, 1, today_utc(), None).await?;
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
        let actor = Actor::new("serve --demo", creance_app::clock::now());
        let token = app.create_token(&actor, company_id, Role::Admin, "demo").await.map_err(app_err)?;
        let password = app.ensure_demo_user(&actor, company_id).await.map_err(app_err)?;
        println!("Créance is serving http://{addr}");
        println!("Admin token for company {company_id}: {token}");
        println!("Try: curl -H \"Authorization: Bearer {token}\" 'http://{addr}/api/v1/open-items?overdue=true'");
        println!("Demo login: http://{addr}/login  e-mail {}  password {password}", creance_app::users::DEMO_EMAIL);
    } else if app.needs_installation().await.map_err(app_err)? {
        // No user yet: the installation page creates the first company and its administrator, for
        // whoever holds this code (it lives as long as this process).
        let code = creance_app::installation::new_code().context("drawing the installation code")?;
        println!("Créance is serving http://{addr}");
        println!("No user yet. Create the company and its administrator at:");
        println!("  http://{addr}/installation?code={code}");
        println!("(installation code {code}, valid while this server runs)");
        web.installation_code = Some(code.into());
    } else {
        println!("Créance is serving http://{addr}");
    }
    tracing::info!("listening on http://{addr} ({})", app.engine_name());
    if worker.interval_seconds > 0 {
        tracing::info!(
            "delivery worker: every {} s; companies without SMTP write to {}",
            worker.interval_seconds,
            worker.outbox.display()
        );
        tokio::spawn(deliver_forever(app.clone(), worker));
    }
    creance_server::serve_web(app, listener, creance_server::Timeouts::default(), web).await?;
    Ok(ExitCode::SUCCESS)
}
