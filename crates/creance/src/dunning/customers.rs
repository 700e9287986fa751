//! A customer's dunning settings (SPEC §4.6): its policy and whether it is dunned, its comment on
//! the letters, and the blocks that keep installments out of dunning.

use creance_app::dunning::settings::{Block, CustomerDunning};
use creance_app::{Actor, App};

use super::Common;
use crate::args::{app_err, customer_id, true_false};
use crate::print;

/// `policy` is `None` for the company's default.
pub async fn set_dunning(
    app: &App,
    actor: &Actor,
    number: &str,
    policy: Option<String>,
    enabled: &str,
    common: Common,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let enabled = true_false("--enabled", enabled)?;
    let id = customer_id(app, c, "customer", number).await?;
    let s = CustomerDunning { policy, enabled };
    app.set_customer_dunning(actor, c, id, &s).await.map_err(app_err)?;
    print::emit(json, &serde_json::json!({ "updated": 1 }), |_| {
        println!(
            "Customer {number}: dunning {}, policy {}.",
            if s.enabled { "enabled" } else { "disabled" },
            s.policy.as_deref().unwrap_or("(the company's default)")
        )
    })
}

pub async fn comment(app: &App, actor: &Actor, number: &str, comment: &str, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let id = customer_id(app, c, "customer", number).await?;
    app.set_customer_comment(actor, c, id, comment).await.map_err(app_err)?;
    print::emit(json, &serde_json::json!({ "updated": 1 }), |_| {
        println!("Customer {number}: comment {}.", if comment.trim().is_empty() { "cleared" } else { "saved" })
    })
}

pub async fn block(
    app: &App,
    actor: &Actor,
    installments: Vec<i64>,
    reason: String,
    until: Option<String>,
    note: String,
    common: Common,
) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let b = Block { installment_ids: installments, reason: Some(reason), until, note };
    let n = app.block_installments(actor, c, &b).await.map_err(app_err)?;
    print::emit(json, &serde_json::json!({ "updated": n }), |_| println!("{n} installment(s) blocked."))
}

pub async fn unblock(app: &App, actor: &Actor, installments: Vec<i64>, common: Common) -> anyhow::Result<()> {
    let (c, json) = common.resolve(app).await?;
    let b = Block { installment_ids: installments, reason: None, until: None, note: String::new() };
    let n = app.block_installments(actor, c, &b).await.map_err(app_err)?;
    print::emit(json, &serde_json::json!({ "updated": n }), |_| println!("{n} installment(s) unblocked."))
}
