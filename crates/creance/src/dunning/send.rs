//! `creance dunning send [--run ID] [--outbox DIR]`: the delivery worker's pass, run until nothing
//! is due (what `creance serve` does every few seconds); `creance dunning delivery ID` (one delivery
//! with its attempts) and `creance dunning resend ID` (a failed one, again).

use std::path::PathBuf;

use creance_app::delivery::{DeliveryOptions, DeliveryReport};
use creance_app::{Actor, App};

use super::Common;
use crate::args::app_err;
use crate::print::{self, table};

/// Runs passes until one finds nothing to do (a retry waiting for its time is left for later).
pub async fn send(app: &App, run: Option<i64>, outbox: PathBuf, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let mut opts = DeliveryOptions::new(outbox);
    opts.company_id = Some(c);
    opts.stopwatch = creance_app::clock::stopwatch;
    opts.run_id = run;
    let mut total = DeliveryReport::default();
    loop {
        let r = app.deliver(&opts, creance_app::clock::now()).await.map_err(app_err)?;
        let idle = r.attempted() == 0 && r.interrupted == 0;
        total.add(&r);
        if idle || r.sent + r.failed == 0 {
            break;
        }
    }
    print::emit(json, &total, |t| {
        println!(
            "{} sent, {} to retry later, {} failed, {} interrupted (read {} s, render {} s, send {} s).",
            t.sent,
            t.retried,
            t.failed,
            t.interrupted,
            seconds(t.read_micros),
            seconds(t.render_micros),
            seconds(t.write_micros)
        );
        if t.sent + t.failed > 0 && t.failed > 0 {
            println!("See `creance dunning deliveries --status failed`; resend with `creance dunning resend ID`.");
        }
    })
}

/// Microseconds as seconds with two decimals.
fn seconds(micros: u64) -> String {
    format!("{}.{:02}", micros / 1_000_000, micros % 1_000_000 / 10_000)
}

pub async fn show(app: &App, id: i64, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let delivery = app.delivery(c, id).await.map_err(app_err)?;
    let attempts = app.delivery_attempts(c, id).await.map_err(app_err)?;
    if json {
        return print::json(&serde_json::json!({ "delivery": delivery, "attempts": attempts }));
    }
    println!(
        "Delivery {} of letter {} by {} to {}: {} after {} attempt(s){}",
        delivery.id,
        delivery.letter_number,
        delivery.channel,
        delivery.address,
        delivery.status,
        delivery.attempts,
        delivery.next_attempt_at.as_ref().map(|t| format!(", next attempt at {t}")).unwrap_or_default()
    );
    if !delivery.sent_via.is_empty() {
        println!("Sent via {} (Message-ID <{}>)", delivery.sent_via, delivery.message_id);
    }
    if !delivery.last_error.is_empty() {
        println!("Last error: {}", delivery.last_error);
    }
    let rows: Vec<Vec<String>> = attempts
        .iter()
        .map(|a| {
            vec![
                a.attempt.to_string(),
                a.transport.to_string(),
                a.started_at.clone(),
                a.finished_at.clone().unwrap_or_default(),
                a.outcome.map(|o| o.to_string()).unwrap_or_else(|| "under way".into()),
                a.reply.clone(),
            ]
        })
        .collect();
    println!();
    table(&["attempt", "via", "started", "finished", "outcome", "reply"], &rows, &[0]);
    Ok(())
}

pub async fn resend(app: &App, actor: &Actor, id: i64, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let d = app.resend_delivery(actor, c, id).await.map_err(app_err)?;
    print::emit(json, &d, |d| {
        println!(
            "Delivery {} of letter {} is queued again to {}; `creance dunning send` (or the server) sends it.",
            d.id, d.letter_number, d.address
        )
    })
}
