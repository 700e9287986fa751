//! `creance dunning record-external` (SPEC §4.6): a reminder made outside Créance (phone, visit, the
//! previous software) recorded as a level on installments.

use creance_app::clock::today_utc;
use creance_app::dunning::RecordExternal;
use creance_app::{Actor, App};

use super::print::print_external;
use super::Common;
use crate::args::{app_err, int};
use crate::print;

#[derive(clap::Args, Debug)]
pub struct RecordExternalArgs {
    /// One installment (by id).
    #[arg(long, required_unless_present = "document", conflicts_with = "document")]
    installment: Option<i64>,
    /// Every open installment of this invoice (by number).
    #[arg(long)]
    document: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    level: String,
    #[arg(long)]
    date: String,
    /// phone, email, letter, visit or other.
    #[arg(long)]
    channel: String,
    #[arg(long, default_value = "")]
    note: String,
    /// Record a level that skips one (the policy must allow skipping; give --reason).
    #[arg(long)]
    force: bool,
    /// Why the level is skipped.
    #[arg(long, default_value = "")]
    reason: String,
    #[command(flatten)]
    common: Common,
}

pub async fn record(app: &App, actor: &Actor, a: RecordExternalArgs) -> anyhow::Result<()> {
    let (c, json) = a.common.resolve(app).await?;
    let input = RecordExternal {
        installment_id: a.installment,
        document_number: a.document,
        level: int("level", &a.level)?,
        date: a.date,
        channel: a.channel,
        note: a.note,
        force: a.force,
        reason: a.reason,
    };
    let r = app.record_external_reminder(actor, c, &input, today_utc()).await.map_err(app_err)?;
    print::emit(json, &r, print_external)
}
