//! The charges of draft letters (SPEC §4.6–§4.7): what the computation reads (letters that charge, their
//! dunned items, the allocation history) and writes (fees, interest and indemnities, totals due).

use creance_core::{Currency, Date, DocumentKind, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::{proposal::*, words::*};

/// A dunned item of a letter whose level charges interest or the indemnity, with what interest needs.
#[derive(Debug, Clone)]
pub struct ChargeItem {
    pub item_id: i64,
    pub letter_id: i64,
    pub installment_id: i64,
    pub document_id: i64,
    pub document_kind: DocumentKind,
    pub indemnity_charged: bool,
    pub due_date: Date,
    pub amount: Money,
    pub interest_to_before: Option<Date>,
}

/// The draft letters of a run whose level charges something: `(letter id, policy id, level, currency,
/// fee base)`. The fee base is the overdue total less the fee and interest invoices it counts (they
/// are never in the base of a percentage fee).
pub async fn charging_letters(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    as_of: Date,
    documents_to: Option<Date>,
) -> anyhow::Result<Vec<(i64, i64, i64, Currency, i64)>> {
    let mut sql = Sql::new(
        "SELECT l.id, l.policy_id, l.level, l.currency, CAST(l.overdue_total - COALESCE((SELECT SUM(i.amount_open) \
         FROM installments i JOIN documents d ON d.id = i.document_id WHERE i.company_id = l.company_id \
         AND i.currency = l.currency AND i.side = 1 AND i.amount_open > 0 AND i.due_date < ",
    );
    sql.bind(as_of.to_string()).push(&format!(" AND d.kind IN {CHARGE_KINDS} AND NOT "));
    sql.append(&blocked(as_of));
    if let Some(d) = documents_to {
        sql.push(" AND d.date <= ").bind(d.to_string());
    }
    sql.push(" AND (i.customer_id = l.payer_id OR EXISTS (SELECT 1 FROM customers c WHERE c.id = i.customer_id ");
    sql.push("AND c.payer_id = l.payer_id AND c.dunning_enabled = 1)) AND NOT EXISTS (SELECT 1 FROM dunning_items x ");
    sql.push("WHERE x.company_id = l.company_id AND x.run_id = l.run_id AND x.installment_id = i.id ");
    sql.push("AND x.kind <> 'overdue' AND NOT (x.kind = 'due' AND x.status = 'active'))), 0) AS BIGINT) AS base ");
    sql.push("FROM dunning_letters l JOIN dunning_levels lv ON lv.policy_id = l.policy_id AND lv.level = l.level ");
    sql.push("WHERE l.company_id = ").bind(company_id).push(" AND l.run_id = ").bind(run_id);
    sql.push(" AND l.status = 'draft' AND (lv.fee_kind <> 'none' OR lv.interest = 1 OR lv.indemnity = 1)");
    let rows = sql.fetch_all(tx).await?;
    rows.iter()
        .map(|r| {
            Ok((
                row::int(r, "id")?,
                row::int(r, "policy_id")?,
                row::int(r, "level")?,
                row::currency(r, "currency")?,
                row::int(r, "base")?,
            ))
        })
        .collect()
}

/// The dunned items of these letters.
pub async fn charge_items(tx: &mut Tx, company_id: i64, letter_ids: &[i64]) -> anyhow::Result<Vec<ChargeItem>> {
    let mut out = Vec::new();
    for chunk in letter_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(
            "SELECT it.id, l.id AS letter_id, it.installment_id, it.document_id, d.kind, d.indemnity_letter_id, \
             it.due_date, it.currency, it.amount, it.interest_to_before FROM dunning_letters l JOIN dunning_items it \
             ON it.company_id = l.company_id AND it.run_id = l.run_id AND it.payer_id = l.payer_id \
             AND it.currency = l.currency JOIN documents d ON d.id = it.document_id WHERE l.company_id = ",
        );
        sql.bind(company_id).push(" AND l.id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" AND it.kind = 'due' AND it.status = 'active' ORDER BY it.due_date, it.id");
        for r in sql.fetch_all(tx).await? {
            out.push(ChargeItem {
                item_id: row::int(&r, "id")?,
                letter_id: row::int(&r, "letter_id")?,
                installment_id: row::int(&r, "installment_id")?,
                document_id: row::int(&r, "document_id")?,
                document_kind: word(&r, "documents", "kind", DocumentKind::parse)?,
                indemnity_charged: row::opt_int(&r, "indemnity_letter_id")?.is_some(),
                due_date: row::date(&r, "due_date")?,
                amount: row::money(&r, "amount", row::currency(&r, "currency")?)?,
                interest_to_before: row::opt_date(&r, "interest_to_before")?,
            });
        }
    }
    Ok(out)
}

/// The allocation history of installments: `(installment id, value date, change of the open amount)`;
/// an allocation lowers it from its value date (SPEC §4.2), its reversal raises it back on the same.
pub async fn open_changes(
    tx: &mut Tx,
    company_id: i64,
    installment_ids: &[i64],
) -> anyhow::Result<Vec<(i64, Date, i64)>> {
    let mut out = Vec::new();
    for chunk in installment_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(
            "SELECT installment_id, value_date AS date, CASE WHEN reverses_id IS NULL THEN -amount ELSE amount END AS delta \
             FROM allocations WHERE company_id = ",
        );
        sql.bind(company_id).push(" AND installment_id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" ORDER BY installment_id, value_date, id");
        for r in sql.fetch_all(tx).await? {
            out.push((row::int(&r, "installment_id")?, row::date(&r, "date")?, row::int(&r, "delta")?));
        }
    }
    Ok(out)
}

/// What the charges computation decided for one item.
#[derive(Debug, Clone)]
pub struct ItemCharge {
    pub item_id: i64,
    pub interest_from: Option<Date>,
    pub interest_to: Option<Date>,
    pub interest: i64,
    pub indemnity: i64,
}

/// What the charges computation decided for one letter.
#[derive(Debug, Clone)]
pub struct LetterCharge {
    pub letter_id: i64,
    pub fee: i64,
    pub interest: i64,
    pub indemnity: i64,
    pub notes: String,
}

/// Writes charges: every item and letter of the run is reset, then the given ones set (with their
/// total due); the letters' `total_due` is then brought up to date for all.
pub async fn write_charges(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    items: &[ItemCharge],
    letters: &[LetterCharge],
) -> anyhow::Result<()> {
    reset_charges(tx, company_id, run_id).await?;
    set_charges(tx, company_id, items, letters).await?;
    set_totals_due(tx, company_id, run_id).await
}

/// Clears every draft charge of a run (before they are computed again).
async fn reset_charges(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_items SET interest = 0, indemnity = 0, interest_from = NULL, interest_to = NULL WHERE company_id = ")
        .bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .push(" AND (interest <> 0 OR indemnity <> 0 OR interest_to IS NOT NULL)")
        .execute(tx)
        .await?;
    Sql::new("UPDATE dunning_letters SET fee = 0, interest = 0, indemnity = 0, notes = '' WHERE company_id = ")
        .bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .push(" AND status IN ('draft', 'left_out', 'removed') AND (fee <> 0 OR interest <> 0 OR indemnity <> 0 OR notes <> '')")
        .execute(tx)
        .await?;
    Ok(())
}

async fn set_charges(
    tx: &mut Tx,
    company_id: i64,
    items: &[ItemCharge],
    letters: &[LetterCharge],
) -> anyhow::Result<()> {
    for chunk in items.chunks(batch_rows(5)) {
        let mut sql = Sql::new(
            "UPDATE dunning_items SET interest_from = v.column2, interest_to = v.column3, interest = v.column4, \
             indemnity = v.column5 FROM (VALUES ",
        );
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                c.item_id.into(),
                c.interest_from.map(|d| d.to_string()).into(),
                c.interest_to.map(|d| d.to_string()).into(),
                c.interest.into(),
                c.indemnity.into(),
            ]);
        }
        sql.push(") AS v WHERE dunning_items.id = v.column1 AND dunning_items.company_id = ").bind(company_id);
        sql.execute(tx).await?;
    }
    for chunk in letters.chunks(batch_rows(5)) {
        let mut sql = Sql::new(
            "UPDATE dunning_letters SET fee = v.column2, interest = v.column3, indemnity = v.column4, notes = v.column5, \
             total_due = CASE WHEN overdue_total - credits_total + v.column2 + v.column3 + v.column4 > 0 \
             THEN overdue_total - credits_total + v.column2 + v.column3 + v.column4 ELSE 0 END FROM (VALUES ",
        );
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                c.letter_id.into(),
                c.fee.into(),
                c.interest.into(),
                c.indemnity.into(),
                c.notes.as_str().into(),
            ]);
        }
        sql.push(") AS v WHERE dunning_letters.id = v.column1 AND dunning_letters.company_id = ").bind(company_id);
        sql.execute(tx).await?;
    }
    Ok(())
}

/// Every draft letter's total due: overdue less credits plus charges, never below zero. Only the
/// letters whose total due changes are written (at issue, most stay the same).
pub async fn set_totals_due(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<()> {
    let total_due = "CASE WHEN overdue_total - credits_total + fee + interest + indemnity > 0 \
         THEN overdue_total - credits_total + fee + interest + indemnity ELSE 0 END";
    Sql::new(&format!("UPDATE dunning_letters SET total_due = {total_due} WHERE company_id = "))
        .bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .push(&format!(" AND status IN ('draft', 'left_out', 'removed') AND total_due <> {total_due}"))
        .execute(tx)
        .await?;
    Ok(())
}
