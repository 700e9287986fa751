//! What issuing a draft proposal will make (SPEC §4.6), read in one aggregate before the clerk
//! confirms: its draft letters by channel, and those marked issued without sending.

use creance_core::dunning::LetterChannel;

use crate::row;
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
