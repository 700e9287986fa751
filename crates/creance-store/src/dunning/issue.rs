//! Issuing a run and withdrawing a letter (SPEC §4.6): numbers and frozen texts, levels and dates of the
//! dunned installments, the delivery queue; and back.

use creance_core::Date;

use crate::row;
use crate::{batch_rows, Sql, Tx};

use super::letters::*;

/// What issuing writes on one letter.
#[derive(Debug, Clone)]
pub struct IssuedLetter {
    pub letter_id: i64,
    pub number: String,
    pub payment_deadline: Date,
    pub subject: String,
    pub opening: String,
    pub closing: String,
    pub fee_document_id: Option<i64>,
    pub interest_document_id: Option<i64>,
}

/// Freezes issued letters: number, date, deadline, rendered texts, charge documents, status, and the
/// version of the render template they are laid out with (reprints use the same).
pub async fn write_issued(
    tx: &mut Tx,
    company_id: i64,
    letter_date: Date,
    template_version: i64,
    letters: &[IssuedLetter],
) -> anyhow::Result<()> {
    let now = tx.at()?;
    for chunk in letters.chunks(batch_rows(8)) {
        let mut sql = Sql::new(
            "UPDATE dunning_letters SET status = 'issued', number = v.column2, payment_deadline = v.column3, ",
        );
        sql.push("subject = v.column4, opening = v.column5, closing = v.column6, fee_document_id = v.column7, ");
        sql.push("interest_document_id = v.column8, letter_date = ").bind(letter_date.to_string());
        sql.push(", issued_at = ").bind(now.as_str());
        sql.push(", template_version = ").bind(template_version).push(" FROM (VALUES ");
        for (i, l) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                l.letter_id.into(),
                l.number.as_str().into(),
                l.payment_deadline.to_string().into(),
                l.subject.as_str().into(),
                l.opening.as_str().into(),
                l.closing.as_str().into(),
                l.fee_document_id.into(),
                l.interest_document_id.into(),
            ]);
        }
        sql.push(") AS v WHERE dunning_letters.id = v.column1 AND dunning_letters.company_id = ").bind(company_id);
        sql.push(" AND dunning_letters.status = 'draft'");
        let n = sql.execute(tx).await?;
        anyhow::ensure!(n == chunk.len() as u64, "{n} of {} letters were still drafts", chunk.len());
    }
    Ok(())
}

/// The dunned installments of the run's issued letters take their new level and the letter's date,
/// and interest is charged up to the item's `interest_to`; invoices whose indemnity was charged
/// remember the letter. Then the queue gets one delivery per issued letter.
pub async fn apply_issue(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<u64> {
    let mut sql = Sql::new("UPDATE installments SET dunning_level = x.new_level, dunning_date = x.letter_date, ");
    sql.push("interest_to = COALESCE(x.interest_to, installments.interest_to) FROM (SELECT it.installment_id, ");
    sql.push("it.new_level, l.letter_date, it.interest_to FROM dunning_items it JOIN dunning_letters l ");
    sql.push("ON l.company_id = it.company_id AND l.run_id = it.run_id AND l.payer_id = it.payer_id AND l.currency = it.currency ");
    sql.push("WHERE it.company_id = ").bind(company_id).push(" AND it.run_id = ").bind(run_id);
    sql.push(" AND it.kind = 'due' AND it.status = 'active' AND l.status = 'issued') x ");
    sql.push("WHERE installments.id = x.installment_id AND installments.company_id = ").bind(company_id);
    let n = sql.execute(tx).await?;
    let mut sql = Sql::new("UPDATE documents SET indemnity_letter_id = x.letter_id FROM (SELECT it.document_id, ");
    sql.push("MIN(l.id) AS letter_id FROM dunning_items it JOIN dunning_letters l ON l.company_id = it.company_id ");
    sql.push(
        "AND l.run_id = it.run_id AND l.payer_id = it.payer_id AND l.currency = it.currency WHERE it.company_id = ",
    );
    sql.bind(company_id).push(" AND it.run_id = ").bind(run_id);
    sql.push(" AND it.indemnity > 0 AND it.status = 'active' AND l.status = 'issued' GROUP BY it.document_id) x ");
    sql.push(
        "WHERE documents.id = x.document_id AND documents.indemnity_letter_id IS NULL AND documents.company_id = ",
    );
    sql.bind(company_id);
    sql.execute(tx).await?;
    let mut sql = Sql::new(
        "INSERT INTO dunning_deliveries (company_id, letter_id, channel, address, status, queued_at) \
         SELECT l.company_id, l.id, l.channel, CASE WHEN l.channel = 'email' THEN CASE WHEN p.dunning_email <> '' \
         THEN p.dunning_email ELSE p.email END ELSE p.name || ', ' || p.address || ', ' || p.postal_code || ' ' || p.city END, \
         CASE WHEN l.send = 1 THEN 'queued' ELSE 'not_sent' END, ",
    );
    sql.bind(tx.at()?).push(" FROM dunning_letters l JOIN customers p ON p.id = l.payer_id ");
    sql.push("WHERE l.company_id = ").bind(company_id).push(" AND l.run_id = ").bind(run_id);
    sql.push(" AND l.status = 'issued'");
    sql.execute(tx).await?;
    Ok(n)
}

/// Installments of an issued letter that were dunned again (or recorded outside) since: a letter is
/// withdrawn newest first. Returns the document numbers at fault.
pub async fn dunned_since(tx: &mut Tx, company_id: i64, l: &Letter) -> anyhow::Result<Vec<String>> {
    let mut sql =
        Sql::new("SELECT it.reference FROM dunning_items it JOIN installments i ON i.id = it.installment_id ");
    sql.push("WHERE it.company_id = ").bind(company_id).push(" AND it.run_id = ").bind(l.run_id);
    sql.push(" AND it.payer_id = ").bind(l.payer_id).push(" AND it.currency = ").bind(l.currency.code());
    sql.push(
        " AND it.kind = 'due' AND it.status = 'active' AND (i.dunning_level <> it.new_level OR i.dunning_date IS NULL ",
    );
    sql.push("OR i.dunning_date <> ").bind(l.letter_date.map(|d| d.to_string()).unwrap_or_default());
    sql.push(") ORDER BY it.reference");
    sql.fetch_all(tx).await?.iter().map(|r| row::text(r, "reference")).collect()
}

/// Puts back the levels, dates and interest dates an issued letter changed, frees the invoices'
/// indemnity, marks it withdrawn and cancels its queued delivery.
pub async fn apply_withdraw(tx: &mut Tx, company_id: i64, l: &Letter, actor: &str, reason: &str) -> anyhow::Result<()> {
    let mut sql = Sql::new("UPDATE installments SET dunning_level = it.level_before, dunning_date = it.date_before, ");
    sql.push("interest_to = it.interest_to_before FROM dunning_items it WHERE it.installment_id = installments.id ");
    sql.push("AND it.company_id = ").bind(company_id).push(" AND it.run_id = ").bind(l.run_id);
    sql.push(" AND it.payer_id = ").bind(l.payer_id).push(" AND it.currency = ").bind(l.currency.code());
    sql.push(" AND it.kind = 'due' AND it.status = 'active' AND installments.company_id = ").bind(company_id);
    sql.execute(tx).await?;
    Sql::new("UPDATE documents SET indemnity_letter_id = NULL WHERE company_id = ")
        .bind(company_id)
        .push(" AND indemnity_letter_id = ")
        .bind(l.id)
        .execute(tx)
        .await?;
    let now = tx.at()?;
    let n = Sql::new("UPDATE dunning_letters SET status = 'withdrawn', withdrawn_at = ")
        .bind(now.as_str())
        .push(", withdrawn_by = ")
        .bind(actor)
        .push(", withdraw_reason = ")
        .bind(reason)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(l.id)
        .push(" AND status = 'issued'")
        .execute(tx)
        .await?;
    anyhow::ensure!(n == 1, "letter {} is no longer issued", l.id);
    Sql::new("UPDATE dunning_deliveries SET status = 'cancelled', done_at = ")
        .bind(now.as_str())
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND letter_id = ")
        .bind(l.id)
        .push(" AND status IN ('queued', 'failed')")
        .execute(tx)
        .await?;
    Ok(())
}

/// The oldest due date among each draft letter's dunned installments: `(letter id, date)`, one query
/// for the whole run.
pub async fn oldest_dunned_due_dates(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<Vec<(i64, Date)>> {
    let mut sql = Sql::new("SELECT l.id, MIN(it.due_date) AS oldest FROM dunning_letters l JOIN dunning_items it ");
    sql.push("ON it.company_id = l.company_id AND it.run_id = l.run_id AND it.payer_id = l.payer_id ");
    sql.push("AND it.currency = l.currency WHERE l.company_id = ")
        .bind(company_id)
        .push(" AND l.run_id = ")
        .bind(run_id);
    sql.push(" AND l.status = 'draft' AND it.kind = 'due' AND it.status = 'active' GROUP BY l.id");
    sql.fetch_all(tx).await?.iter().map(|r| Ok((row::int(r, "id")?, row::date(r, "oldest")?))).collect()
}
