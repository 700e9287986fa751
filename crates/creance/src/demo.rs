//! `creance demo`: a demo company with French and Swiss customers, twelve months of invoices and
//! payments, behind a progress bar; `serve --demo` and `bench` load it the same way.

use std::process::ExitCode;

use creance_app::demo::{DemoOptions, DemoStep, DemoSummary};
use creance_app::App;
use creance_core::Date;
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::{app_err, date_or_today};
use crate::print;

/// `creance demo`.
pub async fn run(
    app: &App,
    customers: usize,
    seed: u64,
    as_of: Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let as_of = date_or_today("--as-of", &as_of)?;
    let summary = run_demo(app, customers, seed, as_of, None).await?;
    if json {
        print::json(&summary)?;
    } else {
        println!(
            "demo company {}: {} customers, {} contracts, {} invoices, {} credit notes, {} installments, {} payments",
            summary.company_id,
            summary.customers,
            summary.contracts,
            summary.invoices,
            summary.credit_notes,
            summary.installments,
            summary.payments
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the demo with a progress bar on the standard error.
/// `installments_per_customer`: see [`DemoOptions`] (`None`: a year of invoices).
pub async fn run_demo(
    app: &App,
    customers: usize,
    seed: u64,
    as_of: Date,
    installments_per_customer: Option<usize>,
) -> anyhow::Result<DemoSummary> {
    let bar = ProgressBar::new(customers as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} customers ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("demo");
    let progress = |done: usize, _total: usize| bar.set_position(done as u64);
    // Test hook (crates/creance/tests/it/demo_kill.rs): stop for good after the named step, so that a
    // test can kill -9 the process at a chosen point of the demo.
    let pause_after = std::env::var("CREANCE_DEMO_PAUSE_AFTER").ok();
    let step = |step: DemoStep| {
        if pause_after.as_deref() == Some(step.code()) {
            eprintln!("demo paused after step {}", step.code());
            loop {
                std::thread::park();
            }
        }
    };
    let summary = app
        .demo_observed(
            &DemoOptions { customers, seed, as_of, at: creance_app::clock::now(), installments_per_customer },
            &progress,
            &step,
        )
        .await
        .map_err(app_err)?;
    bar.finish_and_clear();
    if !summary.removed_incomplete.is_empty() {
        eprintln!("Removed the incomplete demo company {:?} an interrupted demo had left.", summary.removed_incomplete);
    }
    Ok(summary)
}
