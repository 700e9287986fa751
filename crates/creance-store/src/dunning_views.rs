//! Dunning views over the open items and the letters (SPEC §4.6, seed 002): the installments beyond
//! their policy's last level (legal follow-up) and each letter's days late.

use creance_core::{Date, Money};
use serde::Serialize;

use crate::dunning_runs::{blocked, candidates, Letter, Selection, BLOCK_REASON};
use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

/// An installment beyond its policy's last level (which does not repeat), for legal follow-up.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BeyondLastLevel {
    pub installment_id: i64,
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    pub customer_number: String,
    pub document_number: String,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub amount_open: Money,
    /// The last level, reached on `dunning_date`.
    pub level: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub dunning_date: Option<Date>,
    /// Why it is not followed up now (blocked, with the block's reason), or empty.
    pub note: String,
}

/// Installments at the last level of a policy that does not repeat it, whose last level's delay has
/// passed at `as_of` (the cut-offs given are those `beyond`), with the same criteria as a proposal.
pub async fn beyond_last_level(
    tx: &mut Tx,
    company_id: i64,
    as_of: Date,
    s: &Selection,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<BeyondLastLevel>, i64)> {
    let beyond = Selection { cutoffs: s.cutoffs.iter().filter(|c| c.beyond).cloned().collect(), ..s.clone() };
    let sqlite = tx.backend_name() == "SQLite";
    let from = candidates(company_id, as_of, &beyond, sqlite, None);
    let mut count = Sql::new("SELECT COUNT(*) AS n");
    count.append(&from);
    let total = row::int(&count.fetch_one(tx).await?, "n")?;
    let mut sql = Sql::new(
        "SELECT i.id AS installment_id, p.id AS payer_id, p.number AS payer_number, p.name AS payer_name, \
         c.number AS customer_number, d.number AS document_number, i.currency, i.due_date, i.amount_open, \
         i.dunning_level, i.dunning_date, CASE WHEN ",
    );
    sql.append(&blocked(as_of)).push(&format!(" THEN {BLOCK_REASON} ELSE '' END AS note"));
    sql.append(&from).push(" ORDER BY p.number, i.currency, i.due_date, d.number LIMIT ").bind(limit);
    sql.push(" OFFSET ").bind(offset);
    let rows = sql.fetch_all(tx).await?;
    let items = rows
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(BeyondLastLevel {
                installment_id: row::int(r, "installment_id")?,
                payer_id: row::int(r, "payer_id")?,
                payer_number: row::text(r, "payer_number")?,
                payer_name: row::text(r, "payer_name")?,
                customer_number: row::text(r, "customer_number")?,
                document_number: row::text(r, "document_number")?,
                due_date: row::date(r, "due_date")?,
                amount_open: row::money(r, "amount_open", currency)?,
                level: row::int(r, "dunning_level")?,
                dunning_date: row::opt_date(r, "dunning_date")?,
                note: row::text(r, "note")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((items, total))
}

/// Fills each letter's `days_late_total` and `days_late_max` from the installments it duns, counted
/// at the letter's date (issued) or its run's as-of date (draft). One query for the page.
pub async fn fill_days_late(tx: &mut Tx, company_id: i64, letters: &mut [Letter]) -> anyhow::Result<()> {
    let ids: Vec<i64> = letters.iter().map(|l| l.id).collect();
    let days = days_late(tx, company_id, &ids).await?;
    for l in letters {
        if let Some((total, max)) = days.get(&l.id) {
            l.days_late_total = *total;
            l.days_late_max = *max;
        }
    }
    Ok(())
}

/// Per letter id: (sum, max) of the days overdue of the installments it duns, at the letter's date
/// (issued) or its run's as-of date.
pub async fn days_late(
    tx: &mut Tx,
    company_id: i64,
    letter_ids: &[i64],
) -> anyhow::Result<std::collections::HashMap<i64, (i64, i64)>> {
    let mut days: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for chunk in letter_ids.chunks(batch_rows(1)) {
        let mut sql =
            Sql::new("SELECT l.id, it.due_date, COALESCE(l.letter_date, r.as_of) AS at FROM dunning_letters l ");
        sql.push("JOIN dunning_runs r ON r.id = l.run_id JOIN dunning_items it ON it.company_id = l.company_id ");
        sql.push("AND it.run_id = l.run_id AND it.payer_id = l.payer_id AND it.currency = l.currency ");
        sql.push("WHERE l.company_id = ").bind(company_id).push(" AND l.id IN ");
        sql.bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" AND it.kind = 'due' AND it.status = 'active'");
        for r in sql.fetch_all(tx).await? {
            let late = row::date(&r, "due_date")?.days_until(row::date(&r, "at")?).max(0);
            let e = days.entry(row::int(&r, "id")?).or_default();
            e.0 = e.0.saturating_add(late);
            e.1 = e.1.max(late);
        }
    }
    Ok(days)
}
