//! A draft run's letters brought up to date: totals, levels and the left-out rules (one aggregate), the
//! overflow bound, and the dunned items' open amounts.

use creance_core::Date;

use crate::row;
use crate::{Sql, Tx, Value};

use super::proposal::*;

/// A letter's total due from its new totals `t` and its charges, before the floor at zero (the rule
/// of [`set_totals_due`](super::charges::set_totals_due)).
const TOTAL_DUE_OF_T: &str = "t.overdue - t.credits + dunning_letters.fee + dunning_letters.interest \
     + dunning_letters.indemnity";

/// Minimum overdue total per currency from the criteria (minor units).
pub type Minimums<'a> = &'a [(String, i64)];

/// Fills every draft letter's totals (its dunned items plus what it lists, as it is now) and level,
/// and applies the rules that leave a payer out: credits that cover the overdue total
/// (`credits_cover`), an overdue total under the minimum of the criteria, the policy or the level
/// (`below_minimum`), nothing left to dun (`nothing_to_dun`). A letter a clerk removed stays removed;
/// a level a clerk set stays set.
/// What a refresh of a run's letters needs.
pub struct Refresh<'a> {
    pub as_of: Date,
    pub documents_to: Option<Date>,
    pub minimums: Minimums<'a>,
    /// Policies that list items not yet due.
    pub listing_not_due: &'a [i64],
    /// A proposal just computed (its letters' levels, reasons and holds are already right).
    pub fresh: bool,
}

/// The open items of a letter's totals (`l`: the letter's alias, with `currency` and `policy_id`;
/// `i`: the installment): late and unblocked debits, not yet due ones when the policy lists them,
/// and credit notes, in the letter's currency.
pub(crate) fn counted(l: &str, r: &Refresh<'_>) -> Sql {
    let mut c = Sql::new(&format!("i.amount_open > 0 AND i.currency = {l}.currency AND NOT (i.side = 1 AND "));
    c.append(&blocked(r.as_of)).push(") AND (i.side = -1 OR i.due_date < ").bind(r.as_of.to_string());
    if !r.listing_not_due.is_empty() {
        c.push(&format!(" OR {l}.policy_id IN ")).bind_tuple(r.listing_not_due.iter().map(|p| Value::Int(*p)));
    }
    c.push(")");
    if let Some(d) = r.documents_to {
        c.push(" AND (i.side = -1 OR (SELECT d.date FROM documents d WHERE d.id = i.document_id) <= ");
        c.bind(d.to_string()).push(")");
    }
    c
}

/// The three totals over [`counted`] items `i`: `overdue`, `not_due` and the credit notes (the last
/// one without its alias).
pub(crate) fn sums(sql: &mut Sql, r: &Refresh<'_>) {
    if r.listing_not_due.is_empty() {
        // Only late debits and credits pass `counted`: two aggregates (the same one repeated is
        // computed once), which matters at a million rows.
        sql.push("CAST(COALESCE(SUM(CASE WHEN i.side = 1 THEN i.amount_open ELSE 0 END), 0) AS BIGINT) AS overdue, ");
        sql.push("0 AS not_due, CAST(COALESCE(SUM(i.amount_open) - SUM(CASE WHEN i.side = 1 THEN i.amount_open ");
        sql.push("ELSE 0 END), 0) AS BIGINT)");
        return;
    }
    let as_of = r.as_of.to_string();
    sql.push("CAST(COALESCE(SUM(CASE WHEN i.side = 1 AND i.due_date < ").bind(as_of.as_str());
    sql.push(" THEN i.amount_open ELSE 0 END), 0) AS BIGINT) AS overdue, ");
    sql.push("CAST(COALESCE(SUM(CASE WHEN i.side = 1 AND i.due_date >= ").bind(as_of.as_str());
    sql.push(" THEN i.amount_open ELSE 0 END), 0) AS BIGINT) AS not_due, ");
    sql.push("CAST(COALESCE(SUM(CASE WHEN i.side = -1 THEN i.amount_open ELSE 0 END), 0) AS BIGINT)");
}

pub async fn refresh_letters(tx: &mut Tx, company_id: i64, run_id: i64, r: &Refresh<'_>) -> anyhow::Result<()> {
    let Refresh { minimums, fresh, .. } = *r;
    let too_large = too_large(tx, company_id, run_id).await?;
    let not_too_large = |sql: &mut Sql, col: &str| {
        if !too_large.is_empty() {
            sql.push(&format!(" AND {col} NOT IN ")).bind_tuple(too_large.iter().map(|i| Value::Int(*i)));
        }
    };
    let counted = |l: &str| counted(l, r);
    let sums = |sql: &mut Sql| sums(sql, r);
    let members = |sql: &mut Sql| {
        sql.push("(SELECT dunning_letters.payer_id UNION ALL SELECT c.id FROM customers c ");
        sql.push("WHERE c.company_id = dunning_letters.company_id AND c.payer_id = dunning_letters.payer_id ");
        sql.push("AND c.dunning_enabled = 1)");
    };
    let mut totals = Sql::new("(SELECT ");
    sums(&mut totals);
    totals.push(
        " + COALESCE((SELECT SUM(py.amount_open) FROM payments py WHERE py.company_id = dunning_letters.company_id ",
    );
    totals.push("AND py.currency = dunning_letters.currency AND py.amount_open > 0 AND py.status = 'active' ");
    totals.push("AND py.customer_id IN ");
    members(&mut totals);
    totals.push("), 0) AS credits FROM installments i WHERE i.company_id = dunning_letters.company_id ");
    totals.push("AND i.customer_id IN ");
    members(&mut totals);
    totals.push(" AND ").append(&counted("dunning_letters")).push(")");
    if fresh {
        fresh_totals(tx, company_id, run_id, r, &too_large).await?;
    } else {
        // A draft brought up to date (at issue): most totals stay the same, and only the letters
        // whose totals change are written.
        let mut sql = Sql::new("UPDATE dunning_letters SET (overdue_total, not_due_total, credits_total) = ");
        sql.append(&totals);
        sql.push(" WHERE company_id = ").bind(company_id).push(" AND run_id = ").bind(run_id);
        sql.push(" AND status IN ('draft', 'left_out')");
        not_too_large(&mut sql, "id");
        sql.push(" AND (overdue_total, not_due_total, credits_total) <> ").append(&totals);
        sql.execute(tx).await?;
    }
    // Then less what another item of this run holds (left out, removed by a clerk): few rows, read
    // from the run's items rather than probed for every open item above.
    let mut sql = Sql::new(
        "UPDATE dunning_letters SET overdue_total = dunning_letters.overdue_total - t.overdue, \
         not_due_total = dunning_letters.not_due_total - t.not_due, \
         credits_total = dunning_letters.credits_total - t.credits FROM (SELECT x.payer_id, x.currency, ",
    );
    sums(&mut sql);
    sql.push(" AS credits FROM dunning_items x JOIN installments i ON i.id = x.installment_id JOIN dunning_letters l ");
    sql.push("ON l.company_id = x.company_id AND l.run_id = x.run_id AND l.payer_id = x.payer_id AND l.currency = x.currency ");
    sql.push("WHERE x.company_id = ").bind(company_id).push(" AND x.run_id = ").bind(run_id);
    sql.push(" AND NOT (x.kind = 'due' AND x.status = 'active') AND x.kind <> 'overdue' ");
    sql.push("AND l.status IN ('draft', 'left_out') ");
    sql.push("AND (i.customer_id = x.payer_id OR EXISTS (SELECT 1 FROM customers c WHERE c.id = i.customer_id ");
    sql.push("AND c.payer_id = x.payer_id AND c.dunning_enabled = 1)) AND ").append(&counted("l"));
    sql.push(" GROUP BY x.payer_id, x.currency) t WHERE dunning_letters.company_id = ").bind(company_id);
    sql.push(" AND dunning_letters.run_id = ").bind(run_id);
    sql.push(" AND dunning_letters.payer_id = t.payer_id AND dunning_letters.currency = t.currency");
    sql.push(" AND dunning_letters.status IN ('draft', 'left_out')");
    not_too_large(&mut sql, "dunning_letters.id");
    sql.execute(tx).await?;
    if !fresh {
        // After an edit: the highest level of what the letter still duns (unless a clerk set it).
        // Only the letters whose level changes are written (issue 9 point 20: on PostgreSQL a
        // rewritten row costs its index entries even when its values stay the same).
        let highest = "COALESCE((SELECT MAX(it.new_level) FROM dunning_items it \
             WHERE it.company_id = dunning_letters.company_id AND it.run_id = dunning_letters.run_id \
             AND it.payer_id = dunning_letters.payer_id AND it.currency = dunning_letters.currency \
             AND it.kind = 'due' AND it.status = 'active'), level)";
        let mut sql = Sql::new(&format!("UPDATE dunning_letters SET level = {highest} WHERE company_id = "));
        sql.bind(company_id).push(" AND run_id = ").bind(run_id);
        sql.push(&format!(" AND status IN ('draft', 'left_out') AND level_forced_by IS NULL AND level <> {highest}"));
        sql.execute(tx).await?;
    }
    // Back to draft, then the rules in order; the first that applies gives the reason (a fresh
    // proposal's letters were written with `nothing_to_dun` already).
    if !fresh {
        // A payer left out at its last level stays so (nothing of it was dunned in this run).
        let mut sql = Sql::new("UPDATE dunning_letters SET status = 'draft', reason = '' WHERE company_id = ");
        sql.bind(company_id).push(" AND run_id = ").bind(run_id).push(" AND status = 'left_out'");
        sql.push(" AND reason <> 'last_level_reached'");
        sql.execute(tx).await?;
        let mut sql = Sql::new("UPDATE dunning_letters SET status = 'left_out', reason = 'nothing_to_dun' ");
        sql.push("WHERE company_id = ");
        sql.bind(company_id).push(" AND run_id = ").bind(run_id).push(" AND status = 'draft' AND NOT EXISTS ");
        sql.push("(SELECT 1 FROM dunning_items it WHERE it.company_id = dunning_letters.company_id AND it.run_id = ");
        sql.push(
            "dunning_letters.run_id AND it.payer_id = dunning_letters.payer_id AND it.currency = dunning_letters.currency ",
        );
        sql.push("AND it.kind = 'due' AND it.status = 'active')");
        sql.execute(tx).await?;
    }
    if !too_large.is_empty() {
        let mut sql = Sql::new("UPDATE dunning_letters SET status = 'left_out', reason = 'amount_too_large', ");
        sql.push("overdue_total = 0, not_due_total = 0, credits_total = 0 WHERE company_id = ").bind(company_id);
        sql.push(" AND run_id = ").bind(run_id).push(" AND id IN ");
        sql.bind_tuple(too_large.iter().map(|i| Value::Int(*i)));
        sql.execute(tx).await?;
    }
    // A fresh draft left out loses the total due it was given with its totals.
    let cleared = if fresh { ", total_due = 0" } else { "" };
    let mut sql = Sql::new(&format!(
        "UPDATE dunning_letters SET status = 'left_out', reason = 'credits_cover'{cleared} WHERE company_id = "
    ));
    sql.bind(company_id).push(" AND run_id = ").bind(run_id);
    sql.push(" AND status = 'draft' AND credits_total > 0 AND credits_total >= overdue_total");
    sql.execute(tx).await?;
    // A balance due of at most the company's small-balance threshold (SPEC §4.8), in the letter's
    // currency at its exponent: never a letter for a few cents.
    let small = crate::small_balances::settings(tx, company_id).await?;
    if small.threshold > 0 {
        let mut sql = Sql::new(&format!(
            "UPDATE dunning_letters SET status = 'left_out', reason = 'small_balance'{cleared} WHERE company_id = "
        ));
        sql.bind(company_id).push(" AND run_id = ").bind(run_id);
        sql.push(" AND status = 'draft' AND overdue_total - credits_total <= ");
        sql.append(&crate::small_balances::limit_case(
            "dunning_letters.currency",
            small.threshold,
            small.base_currency,
        ));
        sql.execute(tx).await?;
    }
    let mut criteria_min = Sql::new(if minimums.is_empty() { "0" } else { "CASE dunning_letters.currency" });
    for (currency, min) in minimums {
        criteria_min.push(" WHEN ").bind(currency.as_str()).push(" THEN ").bind(*min);
    }
    if !minimums.is_empty() {
        criteria_min.push(" ELSE 0 END");
    }
    let mut sql = Sql::new(&format!(
        "UPDATE dunning_letters SET status = 'left_out', reason = 'below_minimum'{cleared} WHERE company_id = "
    ));
    sql.bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .push(" AND status = 'draft' AND (overdue_total - credits_total < ");
    sql.append(&criteria_min);
    sql.push(" OR EXISTS (SELECT 1 FROM dunning_policies pol JOIN dunning_levels lv ON lv.policy_id = pol.id ");
    sql.push("WHERE pol.id = dunning_letters.policy_id AND lv.level = dunning_letters.level ");
    sql.push("AND pol.currency = dunning_letters.currency ");
    sql.push("AND (dunning_letters.overdue_total - dunning_letters.credits_total < pol.min_amount ");
    sql.push("OR dunning_letters.overdue_total - dunning_letters.credits_total < lv.min_amount)))");
    sql.execute(tx).await?;
    // Items of letters that are not drafts hold no installment; the active dunned items of drafts do
    // (a fresh proposal's were written holding theirs), and no other item does. Each statement is
    // driven by the few rows that change (the letters left out; the items no longer active) and
    // reaches the holds by their key, so that no plan depends on how many holds the run just wrote
    // (a semi-join planned on a run with no holds yet rescans its subquery for each of 900,000).
    // On SQLite the run is a residual test (`+`): the holds are reached from the few installments
    // that change, by their key, not by scanning the run's holds (900,000 on a backlog: 0.65 s to
    // delete none). PostgreSQL hashes the few installments and needs the run's real estimate to do
    // so (with `+` it expects 22 holds and probes the subquery for each of the 900,000: 2.4 s).
    let plus = if tx.backend_name() == "SQLite" { "+" } else { "" };
    let mut sql = Sql::new(&format!("DELETE FROM dunning_holds WHERE {plus}company_id = "));
    sql.bind(company_id).push(&format!(" AND {plus}run_id = ")).bind(run_id);
    // The letters not drafts first (a CROSS JOIN keeps SQLite's order; it reads the run's 900,000
    // items first otherwise, and probes each one's letter).
    sql.push(" AND installment_id IN (SELECT it.installment_id FROM dunning_letters l CROSS JOIN dunning_items it ");
    sql.push("WHERE it.company_id = l.company_id AND it.run_id = l.run_id AND it.payer_id = l.payer_id ");
    sql.push("AND it.currency = l.currency AND l.company_id = ").bind(company_id);
    sql.push(" AND l.run_id = ").bind(run_id).push(" AND l.status <> 'draft' AND it.kind = 'due'");
    if !fresh {
        sql.push(" UNION ALL SELECT it.installment_id FROM dunning_items it WHERE it.company_id = ").bind(company_id);
        sql.push(" AND it.run_id = ").bind(run_id).push(" AND it.kind = 'due' AND it.status <> 'active'");
    }
    sql.push(")");
    sql.execute(tx).await?;
    if !fresh {
        let mut sql = Sql::new("INSERT INTO dunning_holds (installment_id, item_id, company_id, run_id) ");
        sql.push(
            "SELECT it.installment_id, it.id, it.company_id, it.run_id FROM dunning_letters l JOIN dunning_items it ",
        );
        sql.push("ON it.company_id = l.company_id AND it.run_id = l.run_id AND it.payer_id = l.payer_id ");
        sql.push("AND it.currency = l.currency WHERE l.company_id = ").bind(company_id);
        sql.push(" AND l.run_id = ").bind(run_id).push(" AND l.status = 'draft' AND it.kind = 'due' ");
        sql.push("AND it.status = 'active' AND NOT EXISTS (SELECT 1 FROM dunning_holds h ");
        sql.push("WHERE h.installment_id = it.installment_id AND h.item_id = it.id)");
        sql.execute(tx).await?;
    }
    set_channels(tx, company_id, run_id).await
}

/// A fresh proposal's letters (totals still zero) get their totals and their total due in one
/// set-based statement: the members of every letter (its payer and the customers it pays for that
/// are dunned), joined once to their counted installments and to their unallocated payments, summed
/// per letter. A letter with nothing counted keeps its zeros. The charges computed next set the
/// total due again where they change it; a letter left out later clears it. Issue 9 point 20: the
/// same totals as one correlated subquery per letter cost PostgreSQL 31 µs a letter (3.7 s for
/// 100,000), the join about a third of it.
async fn fresh_totals(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    r: &Refresh<'_>,
    too_large: &[i64],
) -> anyhow::Result<()> {
    let members = || {
        let mut m = Sql::new("(SELECT l.id AS letter_id, l.currency, l.policy_id, l.payer_id AS customer_id ");
        m.push("FROM dunning_letters l WHERE l.company_id = ").bind(company_id).push(" AND l.run_id = ").bind(run_id);
        m.push(" AND l.status IN ('draft', 'left_out')");
        if !too_large.is_empty() {
            m.push(" AND l.id NOT IN ").bind_tuple(too_large.iter().map(|i| Value::Int(*i)));
        }
        m.push(" UNION ALL SELECT l.id, l.currency, l.policy_id, c.id FROM dunning_letters l JOIN customers c ");
        m.push("ON c.company_id = l.company_id AND c.payer_id = l.payer_id AND c.id <> l.payer_id ");
        m.push("AND c.dunning_enabled = 1 WHERE l.company_id = ").bind(company_id);
        m.push(" AND l.run_id = ").bind(run_id).push(" AND l.status IN ('draft', 'left_out')");
        if !too_large.is_empty() {
            m.push(" AND l.id NOT IN ").bind_tuple(too_large.iter().map(|i| Value::Int(*i)));
        }
        m.push(")");
        m
    };
    let mut sql = Sql::new(
        "UPDATE dunning_letters SET overdue_total = t.overdue, not_due_total = t.not_due, credits_total = t.credits, ",
    );
    sql.push(&format!(
        "total_due = CASE WHEN dunning_letters.status <> 'draft' THEN dunning_letters.total_due \
         WHEN {TOTAL_DUE_OF_T} > 0 THEN {TOTAL_DUE_OF_T} ELSE 0 END "
    ));
    sql.push("FROM (SELECT u.letter_id, CAST(SUM(u.overdue) AS BIGINT) AS overdue, ");
    sql.push("CAST(SUM(u.not_due) AS BIGINT) AS not_due, CAST(SUM(u.credits) AS BIGINT) AS credits FROM (");
    sql.push("SELECT m.letter_id, ");
    sums(&mut sql, r);
    sql.push(" AS credits FROM ").append(&members()).push(" m JOIN installments i ON i.company_id = ");
    sql.bind(company_id).push(" AND i.customer_id = m.customer_id AND ").append(&counted("m", r));
    sql.push(" GROUP BY m.letter_id UNION ALL SELECT m.letter_id, 0, 0, CAST(SUM(py.amount_open) AS BIGINT) FROM ");
    sql.append(&members()).push(" m JOIN payments py ON py.company_id = ").bind(company_id);
    sql.push(" AND py.customer_id = m.customer_id AND py.currency = m.currency AND py.amount_open > 0 ");
    sql.push("AND py.status = 'active' GROUP BY m.letter_id) u GROUP BY u.letter_id) t ");
    sql.push("WHERE dunning_letters.id = t.letter_id");
    sql.execute(tx).await?;
    Ok(())
}

/// What a letter's totals may add up to, in units of 10^9 minor units (4·10^18 minor units), leaving
/// room below the BIGINT limit for the charges and every difference computed from them.
const TOTAL_MAX_GIGA: i64 = 4_000_000_000;

/// Whether some letter's totals could add up beyond [`TOTAL_MAX_GIGA`] in this company: one bound
/// for the whole company (the sum of `amount_open / 10^9` plus the row count bounds every total from
/// above, and no term overflows).
pub(crate) async fn may_overflow(tx: &mut Tx, company_id: i64) -> anyhow::Result<bool> {
    let bound = |table: &str| {
        let mut sql = Sql::new(&format!(
            "SELECT CAST(COALESCE(SUM(amount_open / 1000000000), 0) + COUNT(*) AS BIGINT) AS g FROM {table} WHERE company_id = "
        ));
        sql.bind(company_id).push(" AND amount_open > 0");
        sql
    };
    let installments = row::int(&bound("installments").fetch_one(tx).await?, "g")?;
    let payments = row::int(&bound("payments").fetch_one(tx).await?, "g")?;
    Ok(installments.saturating_add(payments) > TOTAL_MAX_GIGA)
}

/// The letters (draft or left out) of a run whose open items could add up beyond [`TOTAL_MAX_GIGA`]
/// (SPEC §2: no valid input may make a sum overflow). First one bound for the whole company — the sum
/// of `amount_open / 10^9` plus the row count bounds every total from above, and no term overflows;
/// only when that bound is passed is each letter bounded the same way.
async fn too_large(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<Vec<i64>> {
    if !may_overflow(tx, company_id).await? {
        return Ok(Vec::new());
    }
    let members = "(SELECT l.payer_id UNION ALL SELECT c.id FROM customers c WHERE c.company_id = l.company_id \
         AND c.payer_id = l.payer_id AND c.dunning_enabled = 1)";
    let mut sql = Sql::new("SELECT l.id FROM dunning_letters l WHERE l.company_id = ");
    sql.bind(company_id).push(" AND l.run_id = ").bind(run_id);
    sql.push(&format!(
        " AND l.status IN ('draft', 'left_out') AND COALESCE((SELECT SUM(i.amount_open / 1000000000) + COUNT(*) \
         FROM installments i WHERE i.company_id = l.company_id AND i.currency = l.currency AND i.amount_open > 0 \
         AND i.customer_id IN {members}), 0) + COALESCE((SELECT SUM(py.amount_open / 1000000000) + COUNT(*) \
         FROM payments py WHERE py.company_id = l.company_id AND py.currency = l.currency AND py.amount_open > 0 \
         AND py.customer_id IN {members}), 0) > {TOTAL_MAX_GIGA}"
    ));
    sql.fetch_all(tx).await?.iter().map(|r| row::int(r, "id")).collect()
}

/// Brings a draft run's `due` items up to date: open amounts as they are now; an item paid since
/// (`settled`), blocked since (`removed`, with the block's reason) or dunned or withdrawn elsewhere since
/// (`removed`: its level or date is no longer the proposal's) drops out. Returns how many
/// dropped out.
pub async fn refresh_items(tx: &mut Tx, company_id: i64, run_id: i64, as_of: Date) -> anyhow::Result<u64> {
    // Dunned (or withdrawn) elsewhere since the proposal: the item's level is no longer the one it
    // would go on from, so it drops out rather than skip a level or dun the same level twice.
    let moved = "(i.dunning_level <> dunning_items.level_before \
         OR COALESCE(i.dunning_date, '') <> COALESCE(dunning_items.date_before, ''))";
    let mut sql =
        Sql::new("UPDATE dunning_items SET amount_open = i.amount_open, status = CASE WHEN i.amount_open = 0 ");
    sql.push("THEN 'settled' WHEN ").append(&blocked(as_of));
    sql.push(&format!(" OR {moved} THEN 'removed' ELSE dunning_items.status END, "));
    sql.push("reason = CASE WHEN i.amount_open = 0 THEN 'paid since the proposal' WHEN ").append(&blocked(as_of));
    sql.push(&format!(
        " THEN {BLOCK_REASON} WHEN {moved} THEN 'dunned or withdrawn since the proposal: now at level ' "
    ));
    sql.push("|| CAST(i.dunning_level AS TEXT) ELSE dunning_items.reason END ");
    sql.push("FROM installments i WHERE i.id = dunning_items.installment_id AND dunning_items.company_id = ");
    sql.bind(company_id).push(" AND dunning_items.run_id = ").bind(run_id);
    sql.push(" AND dunning_items.kind = 'due' AND dunning_items.status = 'active'");
    // Only the rows that change (issue 9 point 20): on PostgreSQL every row an UPDATE touches is
    // rewritten, with its index entries, even when its values stay the same.
    sql.push(" AND (i.amount_open <> dunning_items.amount_open OR i.amount_open = 0 OR ").append(&blocked(as_of));
    sql.push(&format!(" OR {moved})"));
    sql.execute(tx).await?;
    let r = Sql::new("SELECT COUNT(*) AS n FROM dunning_items it JOIN dunning_holds h ON h.item_id = it.id ")
        .push("AND h.installment_id = it.installment_id WHERE it.company_id = ")
        .bind(company_id)
        .push(" AND it.run_id = ")
        .bind(run_id)
        .push(" AND it.kind = 'due' AND it.status IN ('settled', 'removed')")
        .fetch_one(tx)
        .await?;
    Ok(row::int(&r, "n")? as u64)
}
