//! Dunning views over the open items and the letters (SPEC §4.6, seed 002): the installments beyond
//! their policy's last level (legal follow-up) and each letter's days late.

use creance_core::{Currency, Date, Money, MoneyTotal};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::{letters::*, proposal::*, refresh::*};

/// One row of the "to generate" view: a payer a proposal would write a draft letter to.
#[derive(Debug, Clone)]
pub struct ToGenerate {
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    pub currency: String,
    /// Installments that would be dunned.
    pub items: i64,
    /// The letter's level (the highest of its items).
    pub level: i64,
    /// Minor units: the open amount of those installments.
    pub amount_open: i64,
    pub oldest_due_date: String,
    /// Sum of their days overdue at the as-of date, and the longest.
    pub days_late_total: i64,
    pub days_late_max: i64,
}

/// The totals per currency of the "to generate" view, over every row (not one page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToGenerateTotal {
    pub currency: Currency,
    /// Payers (letters) of the currency.
    pub letters: i64,
    /// Installments that would be dunned.
    pub items: i64,
    /// Their open amount.
    pub amount_open: MoneyTotal,
}

/// One page of the "to generate" view, how many rows it has in all, and its totals per currency.
#[derive(Debug, Clone)]
pub struct ToGenerateList {
    pub items: Vec<ToGenerate>,
    pub total_count: i64,
    pub totals: Vec<ToGenerateTotal>,
}

/// The "to generate" view (SPEC §4.6): one row per payer and currency that a proposal with the same
/// selection would write a draft letter to, read without writing anything. It applies the
/// proposal's rules in the same SQL terms: the candidates the proposal would dun (not blocked, not
/// disabled, not held by another draft), the letter's totals over the same open items less what
/// another draft holds, then credits that cover the total and the minimums (criteria, policy, level)
/// leave the payer out. `None` when some letter's totals could overflow (the caller then computes the
/// proposal and rolls it back, which leaves such payers out with `amount_too_large`).
pub async fn to_generate(
    tx: &mut Tx,
    company_id: i64,
    s: &Selection,
    r: &Refresh<'_>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<Option<ToGenerateList>> {
    if may_overflow(tx, company_id).await? {
        return Ok(None);
    }
    let sqlite = tx.backend_name() == "SQLite";
    let as_of = r.as_of.to_string();
    let s = &s.without_beyond();
    // The candidates, each held by another draft or not.
    let mut sql = Sql::new("WITH g0 AS (SELECT p.id AS payer_id, i.currency, COALESCE(p.dunning_policy_id, ");
    sql.bind(s.default_policy_id).push(") AS policy_id, v.column3 AS new_level, i.due_date, i.amount_open, ");
    // One uncorrelated set, read once (hashed), rather than a probe per candidate for each aggregate
    // that reads `held` (issue 9 point 20).
    sql.push("CASE WHEN i.id IN (SELECT h.installment_id FROM dunning_holds h WHERE h.company_id = ").bind(company_id);
    sql.push(") ");
    sql.push("THEN 1 ELSE 0 END AS held, ");
    if sqlite {
        sql.push("CAST(julianday(").bind(as_of.as_str()).push(") - julianday(i.due_date) AS INTEGER) AS late");
    } else {
        sql.push("(CAST(").bind(as_of.as_str()).push(" AS DATE) - CAST(i.due_date AS DATE)) AS late");
    }
    sql.append(&candidates(company_id, r.as_of, s, sqlite, None));
    sql.push(" AND NOT ").append(&blocked(r.as_of)).push(" AND c.dunning_enabled = 1 AND p.dunning_enabled = 1");
    if !s.levels.is_empty() {
        sql.push(" AND v.column3 IN ").bind_tuple(s.levels.iter().map(|l| Value::Int(*l)));
    }
    // Per payer and currency: what the draft would dun, and what another draft holds.
    sql.push("), g AS (SELECT payer_id, currency, policy_id, CAST(SUM(1 - held) AS BIGINT) AS items, ");
    sql.push("MAX(CASE WHEN held = 0 THEN new_level END) AS level, ");
    sql.push("CAST(SUM(CASE WHEN held = 0 THEN amount_open ELSE 0 END) AS BIGINT) AS amount_open, ");
    sql.push("MIN(CASE WHEN held = 0 THEN due_date END) AS oldest_due_date, ");
    sql.push("CAST(SUM(CASE WHEN held = 1 THEN amount_open ELSE 0 END) AS BIGINT) AS held_open, ");
    sql.push("CAST(SUM(CASE WHEN held = 0 THEN late ELSE 0 END) AS BIGINT) AS days_late_total ");
    sql.push("FROM g0 GROUP BY payer_id, currency, policy_id HAVING SUM(1 - held) > 0), ");
    // The customers each letter speaks for: the payer and every customer it pays for that is dunned.
    sql.push("m AS (SELECT payer_id, currency, policy_id, payer_id AS customer_id FROM g UNION ALL ");
    sql.push("SELECT g.payer_id, g.currency, g.policy_id, c.id FROM g JOIN customers c ON c.company_id = ");
    sql.bind(company_id).push(" AND c.payer_id = g.payer_id AND c.id <> g.payer_id AND c.dunning_enabled = 1), ");
    sql.push("t AS (SELECT m.payer_id, m.currency, ");
    sums(&mut sql, r);
    sql.push(" AS credits FROM m JOIN installments i ON i.company_id = ").bind(company_id);
    sql.push(" AND i.customer_id = m.customer_id AND ").append(&counted("m", r));
    sql.push(" GROUP BY m.payer_id, m.currency), ");
    sql.push("py AS (SELECT m.payer_id, m.currency, CAST(SUM(py.amount_open) AS BIGINT) AS open FROM m ");
    sql.push("JOIN payments py ON py.company_id = ").bind(company_id);
    sql.push(" AND py.customer_id = m.customer_id AND py.currency = m.currency AND py.amount_open > 0 ");
    sql.push("AND py.status = 'active' GROUP BY m.payer_id, m.currency), ");
    sql.push("f AS (SELECT g.*, COALESCE(t.overdue, 0) - g.held_open AS overdue, ");
    sql.push("COALESCE(t.credits, 0) + COALESCE(py.open, 0) AS credits FROM g ");
    sql.push("LEFT JOIN t ON t.payer_id = g.payer_id AND t.currency = g.currency ");
    sql.push("LEFT JOIN py ON py.payer_id = g.payer_id AND py.currency = g.currency) ");
    // The rules that leave a payer out, as the proposal applies them.
    sql.push(", sel AS (SELECT f.payer_id, p.number AS payer_number, p.name AS payer_name, f.currency, f.items, ");
    sql.push("f.level, f.amount_open, f.oldest_due_date, f.days_late_total ");
    sql.push("FROM f JOIN customers p ON p.id = f.payer_id WHERE NOT (f.credits > 0 AND f.credits >= f.overdue) ");
    sql.push("AND f.overdue - f.credits >= ");
    if r.minimums.is_empty() {
        sql.push("0");
    } else {
        sql.push("CASE f.currency");
        for (currency, min) in r.minimums {
            sql.push(" WHEN ").bind(currency.as_str()).push(" THEN ").bind(*min);
        }
        sql.push(" ELSE 0 END");
    }
    // A small balance (SPEC §4.8), as `refresh.rs` leaves it out.
    let small = crate::small_balances::settings(tx, company_id).await?;
    if small.threshold > 0 {
        sql.push(" AND f.overdue - f.credits > ");
        sql.append(&crate::small_balances::limit_case("f.currency", small.threshold, small.base_currency));
    }
    sql.push(" AND NOT EXISTS (SELECT 1 FROM dunning_policies pol JOIN dunning_levels lv ON lv.policy_id = pol.id ");
    sql.push("WHERE pol.id = f.policy_id AND lv.level = f.level AND pol.currency = f.currency ");
    sql.push("AND (f.overdue - f.credits < pol.min_amount OR f.overdue - f.credits < lv.min_amount)) ");
    // The page (part 0) and, in the same statement over the same rows, the totals per currency
    // (part 1: their letters, installments and open amount; no sum overflows, `may_overflow` said).
    sql.push(") SELECT * FROM (SELECT 0 AS part, payer_id, payer_number, payer_name, currency, items, level, ");
    sql.push("amount_open, oldest_due_date, days_late_total, CAST(1 AS BIGINT) AS letters FROM sel ");
    sql.push("ORDER BY payer_number, currency LIMIT ").bind(limit).push(" OFFSET ").bind(offset);
    sql.push(") pg UNION ALL SELECT 1, 0, '', '', currency, CAST(SUM(items) AS BIGINT), 0, ");
    sql.push("CAST(SUM(amount_open) AS BIGINT), MIN(oldest_due_date), CAST(SUM(days_late_total) AS BIGINT), ");
    sql.push("CAST(COUNT(*) AS BIGINT) FROM sel GROUP BY currency ORDER BY 1, 3, 5");
    let all = sql.fetch_all(tx).await?;
    let (totals, rows): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| row::int(r, "part").unwrap_or(0) == 1);
    let totals = totals
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(ToGenerateTotal {
                currency,
                letters: row::int(r, "letters")?,
                items: row::int(r, "items")?,
                amount_open: MoneyTotal::new(i128::from(row::int(r, "amount_open")?), currency),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let total = totals.iter().map(|t| t.letters).sum();
    let items = rows
        .iter()
        .map(|row| {
            let oldest = row::date(row, "oldest_due_date")?;
            Ok(ToGenerate {
                payer_id: row::int(row, "payer_id")?,
                payer_number: row::text(row, "payer_number")?,
                payer_name: row::text(row, "payer_name")?,
                currency: row::text(row, "currency")?,
                items: row::int(row, "items")?,
                level: row::int(row, "level")?,
                amount_open: row::int(row, "amount_open")?,
                oldest_due_date: oldest.to_string(),
                days_late_total: row::int(row, "days_late_total")?,
                days_late_max: oldest.days_until(r.as_of).max(0),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(ToGenerateList { items, total_count: total, totals }))
}

/// The draft letters of a computed run as rows of the "to generate" view, one per payer and currency
/// (for a company whose totals could overflow: the view is then that proposal, rolled back).
pub async fn drafts_to_generate(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    limit: i64,
    offset: i64,
) -> anyhow::Result<ToGenerateList> {
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM dunning_letters WHERE company_id = ");
    count.bind(company_id).push(" AND run_id = ").bind(run_id).push(" AND status = 'draft'");
    let total = row::int(&count.fetch_one(tx).await?, "n")?;
    let mut sql = Sql::new(
        "SELECT l.id, p.id AS payer_id, p.number AS payer_number, p.name AS payer_name, l.currency, COUNT(*) AS items, \
         l.level, CAST(SUM(it.amount_open) AS BIGINT) AS amount_open, MIN(it.due_date) AS oldest_due_date \
         FROM dunning_letters l JOIN customers p ON p.id = l.payer_id JOIN dunning_items it \
         ON it.company_id = l.company_id AND it.run_id = l.run_id AND it.payer_id = l.payer_id \
         AND it.currency = l.currency WHERE l.company_id = ",
    );
    sql.bind(company_id).push(" AND l.run_id = ").bind(run_id);
    sql.push(" AND l.status = 'draft' AND it.kind = 'due' AND it.status = 'active' ");
    sql.push("GROUP BY l.id, p.id, p.number, p.name, l.currency, l.level ORDER BY p.number, l.currency LIMIT ");
    sql.bind(limit).push(" OFFSET ").bind(offset);
    let rows = sql.fetch_all(tx).await?;
    let ids = rows.iter().map(|r| row::int(r, "id")).collect::<anyhow::Result<Vec<_>>>()?;
    let days = days_late(tx, company_id, &ids).await?;
    let mut sums = Sql::new("SELECT l.currency, CAST(COUNT(DISTINCT l.id) AS BIGINT) AS letters, ");
    sums.push("CAST(COUNT(*) AS BIGINT) AS items, ").push(&crate::sql::wide_sum("it.amount_open", "open"));
    sums.push(
        " FROM dunning_letters l JOIN dunning_items it ON it.company_id = l.company_id AND it.run_id = l.run_id ",
    );
    sums.push("AND it.payer_id = l.payer_id AND it.currency = l.currency WHERE l.company_id = ").bind(company_id);
    sums.push(" AND l.run_id = ").bind(run_id);
    sums.push(
        " AND l.status = 'draft' AND it.kind = 'due' AND it.status = 'active' GROUP BY l.currency ORDER BY l.currency",
    );
    let totals = sums
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(ToGenerateTotal {
                currency,
                letters: row::int(r, "letters")?,
                items: row::int(r, "items")?,
                amount_open: row::money_total(r, "open", currency)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let items = rows
        .iter()
        .map(|r| {
            let (days_late_total, days_late_max) = days.get(&row::int(r, "id")?).copied().unwrap_or_default();
            Ok(ToGenerate {
                days_late_total,
                days_late_max,
                payer_id: row::int(r, "payer_id")?,
                payer_number: row::text(r, "payer_number")?,
                payer_name: row::text(r, "payer_name")?,
                currency: row::text(r, "currency")?,
                items: row::int(r, "items")?,
                level: row::int(r, "level")?,
                amount_open: row::int(r, "amount_open")?,
                oldest_due_date: row::text(r, "oldest_due_date")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(ToGenerateList { items, total_count: total, totals })
}

/// An installment beyond its policy's last level (which does not repeat), for legal follow-up.
#[derive(Debug, Clone)]
pub struct BeyondLastLevel {
    pub installment_id: i64,
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    pub customer_number: String,
    pub document_number: String,
    pub due_date: Date,
    pub amount_open: Money,
    /// The last level, reached on `dunning_date`.
    pub level: i64,
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
    let beyond = s.only_beyond();
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
        // The page's letters first, then each one's items by `dunning_items_run` (SQLite keeps the
        // order of a CROSS JOIN: on statistics taken before a proposal wrote its items it would
        // otherwise read every item of the run).
        let mut sql =
            Sql::new("SELECT l.id, it.due_date, COALESCE(l.letter_date, (SELECT r.as_of FROM dunning_runs r ");
        sql.push("WHERE r.id = l.run_id)) AS at FROM dunning_letters l CROSS JOIN dunning_items it ");
        sql.push("WHERE it.company_id = l.company_id AND it.run_id = l.run_id AND it.payer_id = l.payer_id ");
        sql.push("AND it.currency = l.currency AND l.company_id = ").bind(company_id).push(" AND l.id IN ");
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
