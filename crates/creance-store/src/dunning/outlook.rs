//! What issuing a draft proposal will make (SPEC §4.6), read in one aggregate before the clerk
//! confirms: its draft letters by channel, and those marked issued without sending; the totals per
//! currency of a proposal's letters of one status (the review's dashboard) and of the letters in
//! progress (the Relances tab), each one `GROUP BY` with split sums (`wide_sum`) that never overflow.

use creance_core::dunning::{LetterChannel, LetterStatus};
use creance_core::{Currency, MoneyTotal};

use crate::row;
use crate::sql::wide_sum;
use crate::{Sql, Tx};

use super::words::*;

/// The draft letters of a run by what their issue does with them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IssueOutlook {
    /// Draft letters: each gets a number when issued.
    pub letters: i64,
    /// Of those, queued for e-mail.
    pub emails: i64,
    /// Queued for print (channel `letter`, a payer without e-mail included: the proposal set it).
    pub prints: i64,
    /// Marked issued without sending.
    pub not_sent: i64,
}

/// One `GROUP BY` over the run's draft letters.
pub async fn issue_outlook(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<IssueOutlook> {
    let mut sql = Sql::new("SELECT l.channel, l.send, COUNT(*) AS n FROM dunning_letters l WHERE l.company_id = ");
    sql.bind(company_id).push(" AND l.run_id = ").bind(run_id);
    sql.push(" AND l.status = 'draft' GROUP BY l.channel, l.send");
    let mut out = IssueOutlook::default();
    for r in sql.fetch_all(tx).await? {
        let n = row::int(&r, "n")?;
        let channel = word(&r, "dunning_letters", "channel", LetterChannel::parse)?;
        out.letters += n;
        match (row::flag(&r, "send")?, channel) {
            (false, _) => out.not_sent += n,
            (true, LetterChannel::Email) => out.emails += n,
            (true, LetterChannel::Letter) => out.prints += n,
        }
    }
    Ok(out)
}

/// The letters of one currency of a run's list, and their sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTotal {
    pub currency: Currency,
    pub letters: i64,
    pub overdue: MoneyTotal,
    pub credits: MoneyTotal,
    pub total_due: MoneyTotal,
}

/// The totals per currency of run `run_id`'s letters with `status` (all of them, not one page).
pub async fn letter_totals(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    status: LetterStatus,
) -> anyhow::Result<Vec<LetterTotal>> {
    let mut only = Sql::new(" AND l.run_id = ");
    only.bind(run_id).push(" AND l.status = ").bind(status.as_str());
    totals_of(tx, company_id, &only).await
}

/// The totals per currency of the letters in progress (issued, a dunned installment still open: the
/// list `letters` gives with `in_progress`), every one of them.
pub async fn in_progress_totals(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<LetterTotal>> {
    totals_of(tx, company_id, &Sql::new(super::letters::IN_PROGRESS)).await
}

/// The totals per currency of the company's letters that `only` (conditions on `l`) keeps.
async fn totals_of(tx: &mut Tx, company_id: i64, only: &Sql) -> anyhow::Result<Vec<LetterTotal>> {
    let mut sql = Sql::new("SELECT l.currency, CAST(COUNT(*) AS BIGINT) AS n, ");
    sql.push(&wide_sum("l.overdue_total", "overdue")).push(", ");
    sql.push(&wide_sum("l.credits_total", "credits")).push(", ");
    sql.push(&wide_sum("l.total_due", "due"));
    sql.push(" FROM dunning_letters l WHERE l.company_id = ").bind(company_id);
    sql.append(only);
    sql.push(" GROUP BY l.currency ORDER BY l.currency");
    sql.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(LetterTotal {
                currency,
                letters: row::int(r, "n")?,
                overdue: row::money_total(r, "overdue", currency)?,
                credits: row::money_total(r, "credits", currency)?,
                total_due: row::money_total(r, "due", currency)?,
            })
        })
        .collect()
}
