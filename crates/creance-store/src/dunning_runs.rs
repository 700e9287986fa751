//! Dunning proposals (runs), letters and items (SPEC §4.6): the set-based SQL. A proposal is computed
//! in a handful of statements whatever its size: one pass over the open installments selects the
//! candidates, one `GROUP BY` makes the letters, one pass over the payers' open items lists what the
//! letters show for information, and one aggregate fills the totals and the reasons.

use creance_core::dunning::{DeliveryStatus, ExternalChannel, ItemKind, ItemStatus, LetterStatus, RunStatus};
use creance_core::{Currency, Date, DocumentKind, Money};
use serde::Serialize;

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

pub use crate::dunning_views::{
    beyond_last_level, drafts_to_generate, fill_days_late, to_generate, BeyondLastLevel, ToGenerate,
};

/// A stored word (a status, a kind) parsed into its type; an unknown word is an error naming the
/// table, the column and the value, never a silent default.
pub(crate) fn word<T>(
    r: &crate::AnyRow,
    table: &str,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<T> {
    let s = row::text(r, col)?;
    parse(&s).ok_or_else(|| anyhow::anyhow!("unknown value {s:?} in {table}.{col}"))
}

/// [`word`] for a column that may be NULL.
pub(crate) fn opt_word<T>(
    r: &crate::AnyRow,
    table: &str,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<Option<T>> {
    match row::opt_text(r, col)? {
        None => Ok(None),
        Some(s) => parse(&s).map(Some).ok_or_else(|| anyhow::anyhow!("unknown value {s:?} in {table}.{col}")),
    }
}

/// When an installment at `from_level` may go to `to_level`: its due date (from level 0) or its last
/// dunning date (from level ≥ 1) is on or before `cutoff` (the as-of date less the level's delay).
#[derive(Debug, Clone)]
pub struct Cutoff {
    pub policy_id: i64,
    pub from_level: i64,
    pub to_level: i64,
    pub cutoff: Date,
    /// `from_level` is the policy's last level, which does not repeat: the installment is left out
    /// (`last_level_reached`) and listed for legal follow-up, never dunned again.
    pub beyond: bool,
}

/// What a proposal selects (SPEC §4.6 criteria), resolved.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub default_policy_id: i64,
    pub cutoffs: Vec<Cutoff>,
    pub customer_from: Option<String>,
    pub customer_to: Option<String>,
    pub currency: Option<String>,
    pub documents_to: Option<Date>,
    pub policy_id: Option<i64>,
    pub salesperson: Option<String>,
    pub levels: Vec<i64>,
    /// Installments due on or before this date (the criteria's minimum days overdue).
    pub due_to: Option<Date>,
    /// Installments due on or after this date (the criteria's maximum days overdue).
    pub due_from: Option<Date>,
}

impl Selection {
    /// The same criteria with only the transitions to a next level (no `beyond` cut-off).
    pub fn without_beyond(&self) -> Selection {
        Selection { cutoffs: self.cutoffs.iter().filter(|c| !c.beyond).cloned().collect(), ..self.clone() }
    }

    /// The same criteria with only the `beyond` cut-offs (installments past a last level).
    pub fn only_beyond(&self) -> Selection {
        Selection { cutoffs: self.cutoffs.iter().filter(|c| c.beyond).cloned().collect(), ..self.clone() }
    }
}

/// Document kinds that are never dunned at a level of their own (SPEC §4.6): they are listed on later
/// letters and counted in the total due, but never in a percentage fee's base, and bear no interest.
pub const CHARGE_KINDS: &str = "('fee_invoice', 'interest_invoice')";

/// The FROM and WHERE of the candidates: open debit installments whose next level's date has come,
/// with their customer `c`, payer `p`, document `d` and cutoff row `v`.
///
/// The installments are read through `installments_dunning` (company, level, dunning date, due date;
/// open debits only): one index range per level, bounded by that level's loosest cut-off, so a run
/// reads only what may be due now, not every open item. The exact cut-off of each payer's policy is
/// then checked against `v`. SQLite keeps the order of a CROSS JOIN, so `v` and the document are
/// looked up per candidate.
pub(crate) fn candidates(company_id: i64, as_of: Date, s: &Selection, sqlite: bool, only_level: Option<i64>) -> Sql {
    let mut levels: Vec<(i64, Date)> = Vec::new();
    for c in s.cutoffs.iter().filter(|c| only_level.is_none_or(|l| l == c.from_level)) {
        match levels.iter_mut().find(|(l, _)| *l == c.from_level) {
            Some((_, bound)) => *bound = (*bound).max(c.cutoff),
            None => levels.push((c.from_level, c.cutoff)),
        }
    }
    levels.sort();
    let mut sql = Sql::new(" FROM (");
    if levels.is_empty() {
        sql.push("SELECT * FROM installments WHERE 1 = 0");
    }
    for (n, (level, bound)) in levels.iter().enumerate() {
        if n > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push("SELECT id, company_id, customer_id, document_id, currency, due_date, amount, amount_open, ");
        sql.push("dunning_level, dunning_date, block_reason, block_until, block_note, interest_to FROM installments ");
        if sqlite {
            // Its sampled statistics make SQLite prefer the due-date index, which reads every open item.
            sql.push("INDEXED BY installments_dunning ");
        }
        sql.push("WHERE company_id = ").bind(company_id).push(" AND amount_open > 0 AND side = 1 AND dunning_level = ");
        sql.bind(*level);
        if *level == 0 {
            sql.push(" AND dunning_date IS NULL AND due_date <= ").bind(bound.to_string());
        } else {
            sql.push(" AND dunning_date <= ").bind(bound.to_string());
        }
        sql.push(" AND due_date < ").bind(as_of.to_string());
    }
    sql.push(") i JOIN customers c ON c.id = i.customer_id ");
    sql.push("JOIN customers p ON p.id = COALESCE(c.payer_id, c.id) ");
    sql.push("CROSS JOIN (VALUES ");
    if s.cutoffs.is_empty() {
        sql.push("(0, -1, -1, '', 0)");
    }
    for (n, c) in s.cutoffs.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind_tuple([
            c.policy_id.into(),
            c.from_level.into(),
            c.to_level.into(),
            c.cutoff.to_string().into(),
            i64::from(c.beyond).into(),
        ]);
    }
    sql.push(") AS v CROSS JOIN documents d WHERE v.column1 = COALESCE(p.dunning_policy_id, ")
        .bind(s.default_policy_id);
    sql.push(") AND v.column2 = i.dunning_level AND d.id = i.document_id");
    sql.push(" AND ((v.column2 = 0 AND i.due_date <= v.column4) OR (v.column2 > 0 AND i.dunning_date <= v.column4))");
    sql.push(&format!(" AND d.kind NOT IN {CHARGE_KINDS}"));
    filters(&mut sql, s);
    sql
}

/// The criteria on the payer `p` and the document `d`.
fn filters(sql: &mut Sql, s: &Selection) {
    if let Some(from) = &s.customer_from {
        sql.push(" AND p.number >= ").bind(from.as_str());
    }
    if let Some(to) = &s.customer_to {
        sql.push(" AND p.number <= ").bind(to.as_str());
    }
    if let Some(c) = &s.currency {
        sql.push(" AND i.currency = ").bind(c.as_str());
    }
    if let Some(d) = s.documents_to {
        sql.push(" AND d.date <= ").bind(d.to_string());
    }
    if let Some(pid) = s.policy_id {
        sql.push(" AND COALESCE(p.dunning_policy_id, ").bind(s.default_policy_id).push(") = ").bind(pid);
    }
    if let Some(sp) = &s.salesperson {
        sql.push(" AND p.salesperson = ").bind(sp.as_str());
    }
    if let Some(d) = s.due_to {
        sql.push(" AND i.due_date <= ").bind(d.to_string());
    }
    if let Some(d) = s.due_from {
        sql.push(" AND i.due_date >= ").bind(d.to_string());
    }
}

/// SQL for "blocked at `as_of`" on installment `i`.
pub(crate) fn blocked(as_of: Date) -> Sql {
    let mut sql = Sql::new("(i.block_reason <> '' AND (i.block_until IS NULL OR i.block_until > ");
    sql.bind(as_of.to_string()).push("))");
    sql
}

pub(crate) const BLOCK_REASON: &str = "'blocked: ' || i.block_reason || CASE WHEN i.block_until IS NULL THEN '' \
     ELSE ' until ' || i.block_until END || CASE WHEN i.block_note = '' THEN '' ELSE ' (' || i.block_note || ')' END";

/// Why a late installment beyond its policy's last level is not dunned (`i`: the installment).
const LAST_LEVEL_REASON: &str = "'last level reached: level ' || CAST(i.dunning_level AS TEXT) || \
     ' is the last level of its policy (legal follow-up)'";

const ITEM_COLUMNS: &str = "INSERT INTO dunning_items (company_id, run_id, payer_id, currency, kind, reason, \
     installment_id, payment_id, document_id, customer_id, reference, doc_date, due_date, amount, amount_open, \
     level_before, date_before, new_level, interest_to_before, in_draft) ";

pub async fn create_run(tx: &mut Tx, company_id: i64, as_of: Date, criteria: &str, actor: &str) -> anyhow::Result<i64> {
    let mut sql =
        Sql::new("INSERT INTO dunning_runs (company_id, status, as_of, criteria, created_by, created_at) VALUES ");
    sql.bind_tuple([
        company_id.into(),
        "draft".into(),
        as_of.to_string().into(),
        criteria.into(),
        actor.into(),
        crate::clock::now_rfc3339().into(),
    ]);
    row::int(&sql.push(" RETURNING id").fetch_one(tx).await?, "id")
}

/// Writes the candidates of a run: `due` (dunned at the next level), or left out as `blocked`,
/// `disabled` (customer or payer not dunned) or `in_other_draft`. One statement per level read over
/// the open installments. Installments beyond a last level that does not repeat are not written: a
/// letter lists them live (see [`context`]) and [`insert_beyond_letters`] leaves their payers out.
pub async fn insert_candidates(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    as_of: Date,
    s: &Selection,
) -> anyhow::Result<u64> {
    let s = &s.without_beyond();
    let mut kind = Sql::new("CASE WHEN ");
    kind.append(&blocked(as_of));
    kind.push(" THEN 'blocked' WHEN c.dunning_enabled = 0 OR p.dunning_enabled = 0 THEN 'disabled' ");
    kind.push("WHEN EXISTS (SELECT 1 FROM dunning_items o WHERE o.installment_id = i.id AND o.in_draft = 1) ");
    kind.push("THEN 'in_other_draft' ELSE 'due' END");
    // One statement per level read (no compound subquery to materialize).
    let mut from_levels: Vec<i64> = s.cutoffs.iter().map(|c| c.from_level).collect();
    from_levels.sort_unstable();
    from_levels.dedup();
    let mut written = 0;
    for level in from_levels {
        let mut sql = Sql::new(ITEM_COLUMNS);
        sql.push("SELECT company_id, run_id, payer_id, currency, kind, CASE kind WHEN 'blocked' THEN block_text ");
        sql.push("WHEN 'disabled' THEN 'dunning is disabled for customer ' || disabled_number ");
        sql.push("WHEN 'in_other_draft' THEN 'already in another draft proposal' ELSE '' END, ");
        sql.push(
            "installment_id, CAST(NULL AS BIGINT), document_id, customer_id, reference, doc_date, due_date, amount, ",
        );
        sql.push("amount_open, level_before, date_before, new_level, interest_to_before, ");
        sql.push("CASE WHEN kind = 'due' THEN 1 ELSE CAST(NULL AS INTEGER) END FROM (SELECT i.company_id, ");
        sql.bind(run_id).push(" AS run_id, p.id AS payer_id, i.currency, ").append(&kind);
        sql.push(&format!(" AS kind, {BLOCK_REASON} AS block_text, CASE WHEN c.dunning_enabled = 0 THEN c.number ELSE p.number END AS disabled_number, "));
        sql.push("i.id AS installment_id, i.document_id, i.customer_id, d.number AS reference, d.date AS doc_date, ");
        sql.push(
            "i.due_date, i.amount, i.amount_open, i.dunning_level AS level_before, i.dunning_date AS date_before, ",
        );
        sql.push("v.column3 AS new_level, i.interest_to AS interest_to_before");
        let sqlite = tx.backend_name() == "SQLite";
        sql.append(&candidates(company_id, as_of, s, sqlite, Some(level)));
        if !s.levels.is_empty() {
            sql.push(" AND v.column3 IN ").bind_tuple(s.levels.iter().map(|l| Value::Int(*l)));
        }
        sql.push(") x");
        written += sql.execute(tx).await?;
    }
    Ok(written)
}

/// Leaves out (`last_level_reached`) every payer with an installment beyond its policy's last level
/// (which does not repeat) and nothing of its own in the run: one letter per payer and currency, with
/// no items (the letter lists those installments live). A payer whose letter was left out with
/// nothing to dun gets this reason instead. One statement, whatever the number of such installments.
pub async fn insert_beyond_letters(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    as_of: Date,
    s: &Selection,
) -> anyhow::Result<u64> {
    let beyond = s.only_beyond();
    if beyond.cutoffs.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new(
        "INSERT INTO dunning_letters (company_id, run_id, payer_id, currency, policy_id, status, reason, level, \
         channel, language, created_at) SELECT i.company_id, ",
    );
    sql.bind(run_id).push(", p.id, i.currency, COALESCE(p.dunning_policy_id, ").bind(s.default_policy_id);
    sql.push("), 'left_out', 'last_level_reached', MAX(v.column3), 'letter', p.language, ");
    sql.bind(crate::clock::now_rfc3339());
    let sqlite = tx.backend_name() == "SQLite";
    sql.append(&candidates(company_id, as_of, &beyond, sqlite, None));
    sql.push(" AND NOT ").append(&blocked(as_of)).push(" AND c.dunning_enabled = 1 AND p.dunning_enabled = 1");
    if !s.levels.is_empty() {
        sql.push(" AND v.column3 IN ").bind_tuple(s.levels.iter().map(|l| Value::Int(*l)));
    }
    sql.push(" GROUP BY i.company_id, p.id, i.currency, p.dunning_policy_id, p.language");
    sql.push(" ON CONFLICT (company_id, run_id, payer_id, currency) DO UPDATE SET reason = 'last_level_reached'");
    sql.push(" WHERE dunning_letters.status = 'left_out' AND dunning_letters.reason = 'nothing_to_dun'");
    Ok(sql.execute(tx).await?)
}

/// One letter per payer and currency of the run's candidates: a draft when something can be dunned,
/// else left out (`nothing_to_dun`). Channel and language come from the payer's policy and customer.
pub async fn insert_letters(tx: &mut Tx, company_id: i64, run_id: i64, default_policy_id: i64) -> anyhow::Result<()> {
    let mut sql = Sql::new(
        "INSERT INTO dunning_letters (company_id, run_id, payer_id, currency, policy_id, status, reason, level, \
         channel, language, created_at) SELECT it.company_id, it.run_id, it.payer_id, it.currency, COALESCE(p.dunning_policy_id, ",
    );
    sql.bind(default_policy_id);
    sql.push("), CASE WHEN SUM(CASE WHEN it.kind = 'due' THEN 1 ELSE 0 END) > 0 THEN 'draft' ELSE 'left_out' END, ");
    sql.push("CASE WHEN SUM(CASE WHEN it.kind = 'due' THEN 1 ELSE 0 END) > 0 THEN '' ");
    sql.push("ELSE 'nothing_to_dun' END, ");
    sql.push(
        "COALESCE(MAX(CASE WHEN it.kind = 'due' THEN it.new_level END), MAX(it.new_level)), 'letter', p.language, ",
    );
    sql.bind(crate::clock::now_rfc3339());
    sql.push(" FROM dunning_items it JOIN customers p ON p.id = it.payer_id WHERE it.company_id = ").bind(company_id);
    sql.push(" AND it.run_id = ").bind(run_id);
    sql.push(" GROUP BY it.company_id, it.run_id, it.payer_id, it.currency, p.dunning_policy_id, p.language");
    sql.execute(tx).await?;
    Ok(())
}

/// A letter's channel is its level's (a payer without any e-mail address gets a letter). Letters are
/// written with `letter`; nothing to do unless some level sends e-mail.
async fn set_channels(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<()> {
    let r = Sql::new("SELECT COUNT(*) AS n FROM dunning_levels WHERE company_id = ")
        .bind(company_id)
        .push(" AND channel = 'email'")
        .fetch_one(tx)
        .await?;
    if row::int(&r, "n")? == 0 {
        return Ok(());
    }
    let mut sql = Sql::new("UPDATE dunning_letters SET channel = CASE WHEN lv.channel = 'email' AND ");
    sql.push("(p.dunning_email <> '' OR p.email <> '') THEN 'email' ELSE 'letter' END ");
    sql.push("FROM dunning_levels lv, customers p WHERE lv.policy_id = dunning_letters.policy_id ");
    sql.push(
        "AND lv.level = dunning_letters.level AND p.id = dunning_letters.payer_id AND dunning_letters.company_id = ",
    );
    sql.bind(company_id).push(" AND dunning_letters.run_id = ").bind(run_id);
    sql.push(" AND dunning_letters.status IN ('draft', 'left_out')");
    sql.execute(tx).await?;
    Ok(())
}

/// Which letters of a run the context is computed for.
#[derive(Debug, Clone, Copy)]
pub enum ContextOf {
    /// One letter (its rows, shown live while it is a draft).
    Letter(i64),
    /// The run's issued letters (frozen with them at issue).
    Issued,
}

/// What a letter lists besides the installments it duns, computed from the open items as they are:
/// the payer's and its customers' other late installments (`overdue`), blocked ones (`blocked`), those
/// not yet due when the policy lists them (`not_due`), open credit notes (`credit`) and unallocated
/// payments (`payment`) in the letter's currency, whatever their date; customers not dunned are left
/// out. A late installment beyond its policy's last level (`beyond`: the cut-offs past a last level
/// that does not repeat) keeps its level and says so. Rows have the item columns (`id` 0).
fn context(
    company_id: i64,
    run_id: i64,
    as_of: Date,
    documents_to: Option<Date>,
    of: ContextOf,
    beyond: &[Cutoff],
) -> Sql {
    let letters = |sql: &mut Sql| {
        sql.push("l.company_id = ").bind(company_id).push(" AND l.run_id = ").bind(run_id);
        match of {
            ContextOf::Letter(id) => sql.push(" AND l.id = ").bind(id),
            ContextOf::Issued => sql.push(" AND l.status = 'issued'"),
        };
    };
    // The customers each letter speaks for: the payer and every customer it pays for.
    let mut m =
        Sql::new("(SELECT l.payer_id, l.currency, l.policy_id, c.id AS customer_id, c.dunning_enabled AS enabled ");
    m.push("FROM dunning_letters l JOIN customers c ON c.company_id = l.company_id AND c.payer_id = l.payer_id ");
    m.push("AND c.id <> l.payer_id WHERE ");
    letters(&mut m);
    m.push(
        " UNION ALL SELECT l.payer_id, l.currency, l.policy_id, l.payer_id, p.dunning_enabled FROM dunning_letters l ",
    );
    m.push("JOIN customers p ON p.id = l.payer_id WHERE ");
    letters(&mut m);
    m.push(")");
    let mut sql = Sql::new("SELECT 0 AS id, i.company_id, ");
    sql.bind(run_id).push(" AS run_id, m.payer_id, i.currency, CASE WHEN ").append(&blocked(as_of));
    sql.push(" THEN 'blocked' WHEN i.side = -1 THEN 'credit' WHEN i.due_date < ").bind(as_of.to_string());
    sql.push(" THEN 'overdue' ELSE 'not_due' END AS kind, 'active' AS status, ");
    sql.push("CASE WHEN i.side = 1 AND ").append(&blocked(as_of));
    sql.push(&format!(
        " THEN {BLOCK_REASON} WHEN b.column1 IS NOT NULL THEN {LAST_LEVEL_REASON} ELSE '' END AS reason, "
    ));
    sql.push("d.number AS reference, d.date AS doc_date, ");
    sql.push("i.id AS installment_id, CAST(NULL AS BIGINT) AS payment_id, i.document_id, i.customer_id, i.due_date, ");
    sql.push("i.amount, i.amount_open, i.dunning_level AS level_before, i.dunning_date AS date_before, ");
    sql.push("CASE WHEN b.column1 IS NOT NULL THEN i.dunning_level ELSE 0 END AS new_level, ");
    sql.push(
        "CAST(NULL AS TEXT) AS interest_from, CAST(NULL AS TEXT) AS interest_to, 0 AS interest, 0 AS indemnity FROM ",
    );
    sql.append(&m);
    sql.push(" m JOIN installments i ON i.company_id = ").bind(company_id);
    sql.push(" AND i.customer_id = m.customer_id AND i.currency = m.currency AND i.amount_open > 0 ");
    sql.push("JOIN documents d ON d.id = i.document_id ");
    sql.push("JOIN dunning_policies pol ON pol.id = m.policy_id LEFT JOIN (VALUES ");
    if beyond.is_empty() {
        sql.push("(0, -1, '')");
    }
    for (n, c) in beyond.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind_tuple([c.policy_id.into(), c.from_level.into(), c.cutoff.to_string().into()]);
    }
    sql.push(") AS b ON b.column1 = m.policy_id AND b.column2 = i.dunning_level AND i.side = 1 ");
    sql.push("AND i.dunning_date <= b.column3 AND i.due_date < ").bind(as_of.to_string());
    sql.push(" AND NOT ").append(&blocked(as_of));
    sql.push(" WHERE m.enabled = 1 AND NOT EXISTS (SELECT 1 FROM ");
    sql.push("dunning_items x WHERE x.company_id = i.company_id AND x.installment_id = i.id AND x.run_id = ")
        .bind(run_id);
    sql.push(") AND (i.side = -1 OR i.due_date < ").bind(as_of.to_string()).push(" OR pol.list_not_due = 1)");
    if let Some(d) = documents_to {
        sql.push(" AND (i.side = -1 OR d.date <= ").bind(d.to_string()).push(")");
    }
    sql.push(" UNION ALL SELECT 0, py.company_id, ").bind(run_id);
    sql.push(", m.payer_id, py.currency, 'payment', 'active', '', py.number, py.date, CAST(NULL AS BIGINT), py.id, ");
    sql.push("CAST(NULL AS BIGINT), py.customer_id, CAST(NULL AS TEXT), py.amount, py.amount_open, 0, CAST(NULL AS TEXT), 0, ");
    sql.push("CAST(NULL AS TEXT), CAST(NULL AS TEXT), 0, 0 FROM ");
    sql.append(&m);
    sql.push(" m JOIN payments py ON py.company_id = ").bind(company_id);
    sql.push(" AND py.customer_id = m.customer_id AND py.currency = m.currency AND py.amount_open > 0 ");
    sql.push("AND py.status = 'active' WHERE m.enabled = 1");
    sql
}

/// A draft letter's listed rows as they are now (see [`context`]).
pub async fn context_items(
    tx: &mut Tx,
    company_id: i64,
    l: &Letter,
    as_of: Date,
    documents_to: Option<Date>,
    beyond: &[Cutoff],
) -> anyhow::Result<Vec<Item>> {
    let mut sql = Sql::new("SELECT * FROM (");
    sql.append(&context(company_id, l.run_id, as_of, documents_to, ContextOf::Letter(l.id), beyond));
    sql.push(") x ORDER BY CASE kind WHEN 'overdue' THEN 1 WHEN 'blocked' THEN 2 WHEN 'not_due' THEN 3 ");
    sql.push("WHEN 'credit' THEN 4 ELSE 5 END, due_date, reference");
    sql.fetch_all(tx).await?.iter().map(item_from_row).collect()
}

/// Freezes the listed rows of the run's issued letters as items (at issue, before levels change).
pub async fn insert_context(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    as_of: Date,
    documents_to: Option<Date>,
    beyond: &[Cutoff],
) -> anyhow::Result<()> {
    let mut sql = Sql::new(
        "INSERT INTO dunning_items (company_id, run_id, payer_id, currency, kind, status, reason, installment_id, \
         payment_id, document_id, customer_id, reference, doc_date, due_date, amount, amount_open, level_before, \
         date_before, new_level) SELECT company_id, run_id, payer_id, currency, kind, status, reason, installment_id, \
         payment_id, document_id, customer_id, reference, doc_date, due_date, amount, amount_open, level_before, \
         date_before, new_level FROM (",
    );
    sql.append(&context(company_id, run_id, as_of, documents_to, ContextOf::Issued, beyond)).push(") x");
    sql.execute(tx).await?;
    Ok(())
}

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
    let mut sql = Sql::new("UPDATE dunning_letters SET (overdue_total, not_due_total, credits_total) = (SELECT ");
    sums(&mut sql);
    sql.push(
        " + COALESCE((SELECT SUM(py.amount_open) FROM payments py WHERE py.company_id = dunning_letters.company_id ",
    );
    sql.push("AND py.currency = dunning_letters.currency AND py.amount_open > 0 AND py.status = 'active' ");
    sql.push("AND py.customer_id IN ");
    members(&mut sql);
    sql.push("), 0) FROM installments i WHERE i.company_id = dunning_letters.company_id AND i.customer_id IN ");
    members(&mut sql);
    sql.push(" AND ").append(&counted("dunning_letters"));
    sql.push(") WHERE company_id = ").bind(company_id).push(" AND run_id = ").bind(run_id);
    sql.push(" AND status IN ('draft', 'left_out')");
    not_too_large(&mut sql, "id");
    sql.execute(tx).await?;
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
        let mut sql =
            Sql::new("UPDATE dunning_letters SET level = COALESCE((SELECT MAX(it.new_level) FROM dunning_items it ");
        sql.push("WHERE it.company_id = dunning_letters.company_id AND it.run_id = dunning_letters.run_id ");
        sql.push("AND it.payer_id = dunning_letters.payer_id AND it.currency = dunning_letters.currency ");
        sql.push("AND it.kind = 'due' AND it.status = 'active'), level) WHERE company_id = ").bind(company_id);
        sql.push(" AND run_id = ")
            .bind(run_id)
            .push(" AND status IN ('draft', 'left_out') AND level_forced_by IS NULL");
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
    let mut sql =
        Sql::new("UPDATE dunning_letters SET status = 'left_out', reason = 'credits_cover' WHERE company_id = ");
    sql.bind(company_id).push(" AND run_id = ").bind(run_id);
    sql.push(" AND status = 'draft' AND credits_total > 0 AND credits_total >= overdue_total");
    sql.execute(tx).await?;
    let mut criteria_min = Sql::new(if minimums.is_empty() { "0" } else { "CASE dunning_letters.currency" });
    for (currency, min) in minimums {
        criteria_min.push(" WHEN ").bind(currency.as_str()).push(" THEN ").bind(*min);
    }
    if !minimums.is_empty() {
        criteria_min.push(" ELSE 0 END");
    }
    let mut sql =
        Sql::new("UPDATE dunning_letters SET status = 'left_out', reason = 'below_minimum' WHERE company_id = ");
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
    // Items of letters that are not drafts hold no installment; those of drafts do (a fresh proposal's
    // dunned items were written holding theirs).
    let passes = if fresh { 1 } else { 2 };
    let passes_all = [
        ("<>", "1", "NULL", ""),
        ("=", "NULL", "1", " AND dunning_items.kind = 'due' AND dunning_items.status = 'active'"),
    ];
    for (status, from, to, also) in passes_all.into_iter().take(passes) {
        let mut sql =
            Sql::new(&format!("UPDATE dunning_items SET in_draft = {to} FROM dunning_letters l WHERE l.company_id = "));
        sql.bind(company_id).push(" AND l.run_id = ").bind(run_id).push(&format!(" AND l.status {status} 'draft'"));
        sql.push(" AND dunning_items.company_id = l.company_id AND dunning_items.run_id = l.run_id");
        sql.push(" AND dunning_items.payer_id = l.payer_id AND dunning_items.currency = l.currency");
        let held = if from == "1" { " AND dunning_items.in_draft = 1" } else { " AND dunning_items.in_draft IS NULL" };
        sql.push(held).push(also);
        sql.execute(tx).await?;
    }
    let mut sql = Sql::new("UPDATE dunning_items SET in_draft = NULL WHERE company_id = ");
    sql.bind(company_id).push(" AND run_id = ").bind(run_id).push(" AND in_draft = 1 AND status <> 'active'");
    sql.execute(tx).await?;
    set_channels(tx, company_id, run_id).await
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
/// (`settled`) or blocked since (`removed`, with the block's reason) drops out. Returns how many
/// dropped out.
pub async fn refresh_items(tx: &mut Tx, company_id: i64, run_id: i64, as_of: Date) -> anyhow::Result<u64> {
    let mut sql =
        Sql::new("UPDATE dunning_items SET amount_open = i.amount_open, status = CASE WHEN i.amount_open = 0 ");
    sql.push("THEN 'settled' WHEN ").append(&blocked(as_of)).push(" THEN 'removed' ELSE dunning_items.status END, ");
    sql.push("reason = CASE WHEN i.amount_open = 0 THEN 'paid since the proposal' WHEN ").append(&blocked(as_of));
    sql.push(&format!(" THEN {BLOCK_REASON} ELSE dunning_items.reason END "));
    sql.push("FROM installments i WHERE i.id = dunning_items.installment_id AND dunning_items.company_id = ");
    sql.bind(company_id).push(" AND dunning_items.run_id = ").bind(run_id);
    sql.push(" AND dunning_items.kind = 'due' AND dunning_items.status = 'active'");
    // Only the rows that change (issue 9 point 20): on PostgreSQL every row an UPDATE touches is
    // rewritten, with its index entries, even when its values stay the same.
    sql.push(" AND (i.amount_open <> dunning_items.amount_open OR i.amount_open = 0 OR ").append(&blocked(as_of));
    sql.push(")");
    sql.execute(tx).await?;
    let r = Sql::new("SELECT COUNT(*) AS n FROM dunning_items WHERE company_id = ")
        .bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .push(" AND kind = 'due' AND status IN ('settled', 'removed') AND in_draft = 1")
        .fetch_one(tx)
        .await?;
    Ok(row::int(&r, "n")? as u64)
}

// ---------------------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Run {
    pub id: i64,
    /// `draft`, `issued` or `deleted`.
    #[schema(value_type = String, example = "draft")]
    pub status: RunStatus,
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    /// The criteria it was computed for, as JSON.
    #[schema(value_type = Object)]
    pub criteria: serde_json::Value,
    pub created_by: String,
    pub created_at: String,
    pub recomputed_at: Option<String>,
    pub issued_by: Option<String>,
    pub issued_at: Option<String>,
}

pub async fn run(tx: &mut Tx, company_id: i64, id: i64, lock: bool) -> anyhow::Result<Option<Run>> {
    let mut sql = Sql::new(
        "SELECT id, status, as_of, criteria, created_by, created_at, recomputed_at, issued_by, issued_at \
         FROM dunning_runs WHERE company_id = ",
    );
    sql.bind(company_id).push(" AND id = ").bind(id);
    if lock && tx.backend_name() == "PostgreSQL" {
        sql.push(" FOR UPDATE");
    }
    sql.fetch_optional(tx).await?.map(|r| run_from_row(&r)).transpose()
}

fn run_from_row(r: &crate::AnyRow) -> anyhow::Result<Run> {
    Ok(Run {
        id: row::int(r, "id")?,
        status: word(r, "dunning_runs", "status", RunStatus::parse)?,
        as_of: row::date(r, "as_of")?,
        criteria: serde_json::from_str(&row::text(r, "criteria")?).unwrap_or(serde_json::Value::Null),
        created_by: row::text(r, "created_by")?,
        created_at: row::text(r, "created_at")?,
        recomputed_at: row::opt_text(r, "recomputed_at")?,
        issued_by: row::opt_text(r, "issued_by")?,
        issued_at: row::opt_text(r, "issued_at")?,
    })
}

pub async fn runs(
    tx: &mut Tx,
    company_id: i64,
    status: Option<RunStatus>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Run>, i64)> {
    let mut filter = Sql::new(" WHERE company_id = ");
    filter.bind(company_id);
    if let Some(s) = status {
        filter.push(" AND status = ").bind(s.as_str());
    } else {
        filter.push(" AND status <> 'deleted'");
    }
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM dunning_runs",
        "SELECT id, status, as_of, criteria, created_by, created_at, recomputed_at, issued_by, issued_at FROM dunning_runs",
        &filter,
        " ORDER BY id DESC",
        limit,
        offset,
    )
    .await?;
    Ok((rows.iter().map(run_from_row).collect::<anyhow::Result<_>>()?, total))
}

pub async fn set_run_status(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    from: RunStatus,
    to: RunStatus,
    actor: &str,
) -> anyhow::Result<bool> {
    let now = crate::clock::now_rfc3339();
    let mut sql = Sql::new("UPDATE dunning_runs SET status = ");
    sql.bind(to.as_str());
    match to {
        RunStatus::Issued => sql.push(", issued_by = ").bind(actor).push(", issued_at = ").bind(now.as_str()),
        RunStatus::Draft | RunStatus::Deleted => sql.push(", recomputed_at = ").bind(now.as_str()),
    };
    sql.push(" WHERE company_id = ").bind(company_id).push(" AND id = ").bind(run_id);
    sql.push(" AND status = ").bind(from.as_str());
    Ok(sql.execute(tx).await? == 1)
}

/// A letter as listed (without its items).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Letter {
    pub id: i64,
    pub run_id: i64,
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    pub policy_id: i64,
    /// `draft`, `left_out`, `removed`, `issued` or `withdrawn`.
    #[schema(value_type = String, example = "draft")]
    pub status: LetterStatus,
    /// Why it is left out or removed (a code: `credits_cover`, `below_minimum`, `nothing_to_dun`,
    /// `last_level_reached`, `amount_too_large`, `removed`), with `reason_text` saying it in words.
    pub reason: String,
    pub reason_text: String,
    pub level: i64,
    pub level_forced_by: Option<String>,
    pub level_reason: String,
    /// False when marked issued without sending.
    pub send: bool,
    pub channel: String,
    pub language: String,
    /// The letter's own texts (a clerk's edit, or the issued letter's rendered texts); empty: the
    /// policy's texts for its level and language.
    pub subject: String,
    pub opening: String,
    pub closing: String,
    pub texts_edited_by: Option<String>,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub overdue_total: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub not_due_total: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub credits_total: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub fee: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub interest: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub indemnity: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub total_due: Money,
    /// What the computation noted (e.g. a fee not charged because the policy's amounts are in
    /// another currency).
    pub notes: String,
    pub number: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub letter_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub payment_deadline: Option<Date>,
    pub fee_document_id: Option<i64>,
    pub interest_document_id: Option<i64>,
    pub issued_at: Option<String>,
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdraw_reason: String,
    /// Delivery status of the issued letter (`queued`, `sent`, `printed`, `failed`, `cancelled`,
    /// `not_sent`), if any.
    #[schema(value_type = Option<String>)]
    pub delivery_status: Option<DeliveryStatus>,
    /// The payer's comment (customer record), shown on the letter.
    pub payer_comment: String,
    /// Sum over the installments it duns of their days overdue (at the as-of date, or the letter's
    /// date once issued); filled by the views (`fill_days_late`), 0 elsewhere.
    pub days_late_total: i64,
    /// The longest delay among them.
    pub days_late_max: i64,
}

const LETTER_SELECT: &str = "SELECT l.id, l.run_id, l.payer_id, p.number AS payer_number, p.name AS payer_name, \
     l.currency, l.policy_id, l.status, l.reason, l.level, l.level_forced_by, l.level_reason, l.send, l.channel, \
     l.language, l.subject, l.opening, l.closing, l.texts_edited_by, l.overdue_total, l.not_due_total, \
     l.credits_total, l.fee, l.interest, l.indemnity, l.total_due, l.notes, l.number, l.letter_date, \
     l.payment_deadline, l.fee_document_id, l.interest_document_id, l.issued_at, l.withdrawn_at, l.withdrawn_by, \
     l.withdraw_reason, (SELECT MAX(dv.status) FROM dunning_deliveries dv WHERE dv.company_id = l.company_id \
     AND dv.letter_id = l.id) AS delivery_status, p.comment AS payer_comment FROM dunning_letters l \
     JOIN customers p ON p.id = l.payer_id";

fn letter_from_row(r: &crate::AnyRow) -> anyhow::Result<Letter> {
    let currency = row::currency(r, "currency")?;
    let m = |col: &str| row::money(r, col, currency);
    let reason = row::text(r, "reason")?;
    let overdue = m("overdue_total")?;
    let credits = m("credits_total")?;
    let reason_text = creance_core::dunning::reason_text(&reason, overdue, credits);
    Ok(Letter {
        id: row::int(r, "id")?,
        run_id: row::int(r, "run_id")?,
        payer_id: row::int(r, "payer_id")?,
        payer_number: row::text(r, "payer_number")?,
        payer_name: row::text(r, "payer_name")?,
        currency,
        policy_id: row::int(r, "policy_id")?,
        status: word(r, "dunning_letters", "status", LetterStatus::parse)?,
        reason,
        reason_text,
        level: row::int(r, "level")?,
        level_forced_by: row::opt_text(r, "level_forced_by")?,
        level_reason: row::text(r, "level_reason")?,
        send: row::flag(r, "send")?,
        channel: row::text(r, "channel")?,
        language: row::text(r, "language")?,
        subject: row::text(r, "subject")?,
        opening: row::text(r, "opening")?,
        closing: row::text(r, "closing")?,
        texts_edited_by: row::opt_text(r, "texts_edited_by")?,
        overdue_total: overdue,
        not_due_total: m("not_due_total")?,
        credits_total: credits,
        fee: m("fee")?,
        interest: m("interest")?,
        indemnity: m("indemnity")?,
        total_due: m("total_due")?,
        notes: row::text(r, "notes")?,
        number: row::opt_text(r, "number")?,
        letter_date: row::opt_date(r, "letter_date")?,
        payment_deadline: row::opt_date(r, "payment_deadline")?,
        fee_document_id: row::opt_int(r, "fee_document_id")?,
        interest_document_id: row::opt_int(r, "interest_document_id")?,
        issued_at: row::opt_text(r, "issued_at")?,
        withdrawn_at: row::opt_text(r, "withdrawn_at")?,
        withdrawn_by: row::opt_text(r, "withdrawn_by")?,
        withdraw_reason: row::text(r, "withdraw_reason")?,
        delivery_status: opt_word(r, "dunning_deliveries", "delivery_status", DeliveryStatus::parse)?,
        payer_comment: row::text(r, "payer_comment")?,
        days_late_total: 0,
        days_late_max: 0,
    })
}

/// Which letters to list.
#[derive(Debug, Clone, Default)]
pub struct LetterFilter {
    pub run_id: Option<i64>,
    pub status: Option<String>,
    pub payer_id: Option<i64>,
    /// Letters naming this customer (as payer or on one of its items).
    pub customer_id: Option<i64>,
    /// Issued letters with at least one dunned installment still open.
    pub in_progress: bool,
    pub ids: Option<Vec<i64>>,
}

pub async fn letters(
    tx: &mut Tx,
    company_id: i64,
    f: &LetterFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Letter>, i64)> {
    let mut filter = Sql::new(" WHERE l.company_id = ");
    filter.bind(company_id);
    if let Some(r) = f.run_id {
        filter.push(" AND l.run_id = ").bind(r);
    }
    if let Some(s) = &f.status {
        filter.push(" AND l.status = ").bind(s.as_str());
    }
    if let Some(p) = f.payer_id {
        filter.push(" AND l.payer_id = ").bind(p);
    }
    if let Some(c) = f.customer_id {
        filter.push(" AND (l.payer_id = ").bind(c);
        filter.push(
            " OR EXISTS (SELECT 1 FROM dunning_items it WHERE it.company_id = l.company_id AND it.run_id = l.run_id ",
        );
        filter
            .push("AND it.payer_id = l.payer_id AND it.currency = l.currency AND it.customer_id = ")
            .bind(c)
            .push("))");
    }
    if f.in_progress {
        filter.push(" AND l.status = 'issued' AND EXISTS (SELECT 1 FROM dunning_items it JOIN installments i ");
        filter.push("ON i.id = it.installment_id WHERE it.company_id = l.company_id AND it.run_id = l.run_id ");
        filter.push("AND it.payer_id = l.payer_id AND it.currency = l.currency AND it.kind = 'due' ");
        filter.push("AND it.status = 'active' AND i.amount_open > 0)");
    }
    if let Some(ids) = &f.ids {
        filter.push(" AND l.id IN ");
        if ids.is_empty() {
            filter.push("(NULL)");
        } else {
            filter.bind_tuple(ids.iter().map(|i| Value::Int(*i)));
        }
    }
    let order = if f.run_id.is_some() { " ORDER BY p.number, l.currency" } else { " ORDER BY l.id DESC" };
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM dunning_letters l JOIN customers p ON p.id = l.payer_id",
        LETTER_SELECT,
        &filter,
        order,
        limit,
        offset,
    )
    .await?;
    Ok((rows.iter().map(letter_from_row).collect::<anyhow::Result<_>>()?, total))
}

pub async fn letter(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<Letter>> {
    let f = LetterFilter { ids: Some(vec![id]), ..Default::default() };
    Ok(letters(tx, company_id, &f, 1, 0).await?.0.pop())
}

pub async fn letter_by_number(tx: &mut Tx, company_id: i64, number: &str) -> anyhow::Result<Option<i64>> {
    let r = Sql::new("SELECT id FROM dunning_letters WHERE company_id = ")
        .bind(company_id)
        .push(" AND number = ")
        .bind(number)
        .fetch_optional(tx)
        .await?;
    r.map(|r| row::int(&r, "id")).transpose()
}

/// One row of a letter.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: i64,
    #[schema(value_type = String, example = "due")]
    pub kind: ItemKind,
    /// `active`, `removed` (by a clerk, or blocked since) or `settled` (paid since).
    #[schema(value_type = String, example = "active")]
    pub status: ItemStatus,
    pub reason: String,
    pub installment_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub document_id: Option<i64>,
    pub customer_id: i64,
    /// The document or payment number.
    pub reference: String,
    #[schema(value_type = String, format = Date)]
    pub doc_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub amount: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub amount_open: Money,
    pub level_before: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_before: Option<Date>,
    /// The level this letter gives it (`due` items).
    pub new_level: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub interest_from: Option<Date>,
    /// Exclusive: interest is charged for the days before it.
    #[schema(value_type = Option<String>, format = Date)]
    pub interest_to: Option<Date>,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub interest: Money,
    #[schema(value_type = crate::openapi::MoneySchema)]
    pub indemnity: Money,
}

const ITEM_SELECT: &str = "SELECT it.id, it.kind, it.status, it.reason, it.installment_id, it.payment_id, \
     it.document_id, it.customer_id, it.reference, it.doc_date, it.due_date, it.currency, it.amount, it.amount_open, \
     it.level_before, it.date_before, it.new_level, it.interest_from, it.interest_to, it.interest, it.indemnity, \
     it.run_id, it.payer_id FROM dunning_items it";

fn item_from_row(r: &crate::AnyRow) -> anyhow::Result<Item> {
    let currency = row::currency(r, "currency")?;
    Ok(Item {
        id: row::int(r, "id")?,
        kind: word(r, "dunning_items", "kind", ItemKind::parse)?,
        status: word(r, "dunning_items", "status", ItemStatus::parse)?,
        reason: row::text(r, "reason")?,
        installment_id: row::opt_int(r, "installment_id")?,
        payment_id: row::opt_int(r, "payment_id")?,
        document_id: row::opt_int(r, "document_id")?,
        customer_id: row::int(r, "customer_id")?,
        reference: row::text(r, "reference")?,
        doc_date: row::date(r, "doc_date")?,
        due_date: row::opt_date(r, "due_date")?,
        amount: row::money(r, "amount", currency)?,
        amount_open: row::money(r, "amount_open", currency)?,
        level_before: row::int(r, "level_before")?,
        date_before: row::opt_date(r, "date_before")?,
        new_level: row::int(r, "new_level")?,
        interest_from: row::opt_date(r, "interest_from")?,
        interest_to: row::opt_date(r, "interest_to")?,
        interest: row::money(r, "interest", currency)?,
        indemnity: row::money(r, "indemnity", currency)?,
    })
}

/// The items of one letter, in print order (dunned, late, not due, credits; by due date).
pub async fn items(tx: &mut Tx, company_id: i64, l: &Letter) -> anyhow::Result<Vec<Item>> {
    let mut sql = Sql::new(ITEM_SELECT);
    sql.push(" WHERE it.company_id = ").bind(company_id).push(" AND it.run_id = ").bind(l.run_id);
    sql.push(" AND it.payer_id = ").bind(l.payer_id).push(" AND it.currency = ").bind(l.currency.code());
    sql.push(" ORDER BY CASE it.kind WHEN 'due' THEN 0 WHEN 'overdue' THEN 1 WHEN 'not_due' THEN 2 ");
    sql.push("WHEN 'credit' THEN 3 WHEN 'payment' THEN 4 ELSE 5 END, it.due_date, it.reference, it.id");
    sql.fetch_all(tx).await?.iter().map(item_from_row).collect()
}

pub async fn item(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<(i64, i64, String, Item)>> {
    let mut sql = Sql::new(ITEM_SELECT);
    sql.push(" WHERE it.company_id = ").bind(company_id).push(" AND it.id = ").bind(id);
    match sql.fetch_optional(tx).await? {
        None => Ok(None),
        Some(r) => Ok(Some((
            row::int(&r, "run_id")?,
            row::int(&r, "payer_id")?,
            row::text(&r, "currency")?,
            item_from_row(&r)?,
        ))),
    }
}

/// Counts of a run's letters by status and of its dunned items.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct RunCounts {
    pub draft: i64,
    pub left_out: i64,
    pub removed: i64,
    pub issued: i64,
    pub withdrawn: i64,
    /// `due` items that are active on draft or issued letters.
    pub items: i64,
    /// Installments left out (blocked, not dunned, in another draft), whatever their letter.
    pub items_left_out: i64,
}

pub async fn run_counts(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<RunCounts> {
    let rows = Sql::new("SELECT status, COUNT(*) AS n FROM dunning_letters WHERE company_id = ")
        .bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .push(" GROUP BY status")
        .fetch_all(tx)
        .await?;
    let mut c = RunCounts::default();
    for r in &rows {
        let n = row::int(r, "n")?;
        match row::text(r, "status")?.as_str() {
            "draft" => c.draft = n,
            "left_out" => c.left_out = n,
            "removed" => c.removed = n,
            "issued" => c.issued = n,
            _ => c.withdrawn = n,
        }
    }
    // While a run is a draft, its dunned installments are exactly those it holds (`in_draft`).
    let r = Sql::new(
        "SELECT CAST(COALESCE(SUM(CASE WHEN it.in_draft = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS items, \
         CAST(COALESCE(SUM(CASE WHEN it.kind IN ('blocked', 'disabled', 'in_other_draft') AND it.new_level > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         AS left_out, CAST(COALESCE(SUM(CASE WHEN it.kind = 'due' AND it.status = 'active' AND EXISTS (SELECT 1 FROM \
         dunning_letters l WHERE l.company_id = it.company_id AND l.run_id = it.run_id AND l.payer_id = it.payer_id \
         AND l.currency = it.currency AND l.status = 'issued') THEN 1 ELSE 0 END), 0) AS BIGINT) AS issued \
         FROM dunning_items it WHERE it.company_id = ",
    )
    .bind(company_id)
    .push(" AND it.run_id = ")
    .bind(run_id)
    .fetch_one(tx)
    .await?;
    c.items = row::int(&r, "items")? + row::int(&r, "issued")?;
    c.items_left_out = row::int(&r, "left_out")?;
    Ok(c)
}

// ---------------------------------------------------------------------------------------------------
// Edits of a draft

/// Sets a draft letter's status (`removed` by a clerk, or back to `draft`); false when it is not in a
/// state that allows it.
pub async fn set_letter_status(
    tx: &mut Tx,
    company_id: i64,
    letter_id: i64,
    from: &[LetterStatus],
    to: LetterStatus,
    reason: &str,
) -> anyhow::Result<bool> {
    let mut sql = Sql::new("UPDATE dunning_letters SET status = ");
    sql.bind(to.as_str()).push(", reason = ").bind(reason).push(" WHERE company_id = ").bind(company_id);
    sql.push(" AND id = ").bind(letter_id);
    sql.push(" AND status IN ").bind_tuple(from.iter().map(|s| Value::from(s.as_str())));
    Ok(sql.execute(tx).await? == 1)
}

pub async fn set_item_status(
    tx: &mut Tx,
    company_id: i64,
    item_id: i64,
    status: ItemStatus,
    reason: &str,
) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_items SET status = ")
        .bind(status.as_str())
        .push(", reason = ")
        .bind(reason)
        .push(", in_draft = CASE WHEN kind = 'due' AND ")
        .bind(status.as_str())
        .push(" = 'active' THEN 1 ELSE NULL END WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(item_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Sets the level of a draft letter and of its dunned items (`(item id, new level)`).
pub async fn set_level(
    tx: &mut Tx,
    company_id: i64,
    letter_id: i64,
    level: i64,
    forced_by: &str,
    reason: &str,
    items: &[(i64, i64)],
) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_letters SET level = ")
        .bind(level)
        .push(", level_forced_by = ")
        .bind(forced_by)
        .push(", level_reason = ")
        .bind(reason)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(letter_id)
        .execute(tx)
        .await?;
    set_item_values(tx, company_id, "new_level", items).await
}

/// Sets one integer column of items by id, in one statement per chunk.
async fn set_item_values(tx: &mut Tx, company_id: i64, column: &str, values: &[(i64, i64)]) -> anyhow::Result<()> {
    for chunk in values.chunks(batch_rows(2)) {
        let mut sql = Sql::new(&format!("UPDATE dunning_items SET {column} = v.column2 FROM (VALUES "));
        for (i, (id, v)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([(*id).into(), (*v).into()]);
        }
        sql.push(") AS v WHERE dunning_items.id = v.column1 AND dunning_items.company_id = ").bind(company_id);
        sql.execute(tx).await?;
    }
    Ok(())
}

pub async fn set_texts(
    tx: &mut Tx,
    company_id: i64,
    letter_id: i64,
    subject: &str,
    opening: &str,
    closing: &str,
    by: Option<&str>,
) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_letters SET subject = ")
        .bind(subject)
        .push(", opening = ")
        .bind(opening)
        .push(", closing = ")
        .bind(closing)
        .push(", texts_edited_by = ")
        .bind(by.map(str::to_string))
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(letter_id)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn set_send(tx: &mut Tx, company_id: i64, letter_id: i64, send: bool) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_letters SET send = ")
        .bind(i64::from(send))
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(letter_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Releases every installment a run holds (deleting or issuing it).
pub async fn release_run(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_items SET in_draft = NULL WHERE company_id = ")
        .bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .push(" AND in_draft = 1")
        .execute(tx)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Charges (fees, interest, indemnity)

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

/// Writes charges: every item and letter of the run is reset, then the given ones set; the letters'
/// `total_due` is recomputed for all.
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
            "UPDATE dunning_letters SET fee = v.column2, interest = v.column3, indemnity = v.column4, notes = v.column5 \
             FROM (VALUES ",
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

/// Every draft letter's total due: overdue less credits plus charges, never below zero.
pub async fn set_totals_due(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<()> {
    Sql::new(
        "UPDATE dunning_letters SET total_due = CASE WHEN overdue_total - credits_total + fee + interest + indemnity > 0 \
         THEN overdue_total - credits_total + fee + interest + indemnity ELSE 0 END WHERE company_id = ",
    )
    .bind(company_id)
    .push(" AND run_id = ")
    .bind(run_id)
    .push(" AND status IN ('draft', 'left_out', 'removed')")
    .execute(tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Issuing and withdrawing

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

/// Freezes issued letters: number, date, deadline, rendered texts, charge documents, status.
pub async fn write_issued(
    tx: &mut Tx,
    company_id: i64,
    letter_date: Date,
    letters: &[IssuedLetter],
) -> anyhow::Result<()> {
    let now = crate::clock::now_rfc3339();
    for chunk in letters.chunks(batch_rows(8)) {
        let mut sql = Sql::new(
            "UPDATE dunning_letters SET status = 'issued', number = v.column2, payment_deadline = v.column3, ",
        );
        sql.push("subject = v.column4, opening = v.column5, closing = v.column6, fee_document_id = v.column7, ");
        sql.push("interest_document_id = v.column8, letter_date = ").bind(letter_date.to_string());
        sql.push(", issued_at = ").bind(now.as_str()).push(" FROM (VALUES ");
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
    sql.bind(crate::clock::now_rfc3339()).push(" FROM dunning_letters l JOIN customers p ON p.id = l.payer_id ");
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
    let now = crate::clock::now_rfc3339();
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

// ---------------------------------------------------------------------------------------------------
// Reminders made outside, history, deliveries

pub struct External<'a> {
    pub installment_id: i64,
    pub level: i64,
    pub date: Date,
    pub channel: ExternalChannel,
    pub note: &'a str,
    pub level_before: i64,
    pub date_before: Option<Date>,
    /// Why a level was skipped (forced by the clerk), or empty.
    pub skip_reason: &'a str,
}

pub async fn record_external(tx: &mut Tx, company_id: i64, e: &External<'_>, actor: &str) -> anyhow::Result<i64> {
    let mut sql = Sql::new(
        "INSERT INTO dunning_external (company_id, installment_id, level, date, channel, note, level_before, date_before, \
         created_by, created_at, skip_reason) VALUES ",
    );
    sql.bind_tuple([
        company_id.into(),
        e.installment_id.into(),
        e.level.into(),
        e.date.to_string().into(),
        e.channel.as_str().into(),
        e.note.into(),
        e.level_before.into(),
        e.date_before.map(|d| d.to_string()).into(),
        actor.into(),
        crate::clock::now_rfc3339().into(),
        e.skip_reason.into(),
    ]);
    let id = row::int(&sql.push(" RETURNING id").fetch_one(tx).await?, "id")?;
    Sql::new("UPDATE installments SET dunning_level = ")
        .bind(e.level)
        .push(", dunning_date = ")
        .bind(e.date.to_string())
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(e.installment_id)
        .execute(tx)
        .await?;
    Ok(id)
}

/// One event of an installment's dunning history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub installment_id: i64,
    pub document_number: String,
    pub level: i64,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// `letter` (issued by Créance) or `external`.
    pub source: String,
    pub letter_id: Option<i64>,
    pub letter_number: Option<String>,
    /// `email`, `letter`, `phone`, …
    pub channel: String,
    /// `issued`, `withdrawn`, or `recorded` (external).
    pub status: String,
    /// Delivery status of the letter, if queued.
    pub delivery_status: Option<String>,
    pub note: String,
}

/// Every level and date of the installments of a customer (as customer or payer) or of one installment.
pub async fn history(
    tx: &mut Tx,
    company_id: i64,
    customer_id: Option<i64>,
    installment_id: Option<i64>,
) -> anyhow::Result<Vec<HistoryEntry>> {
    let scope = |sql: &mut Sql, col_installment: &str, col_customer: &str| {
        if let Some(i) = installment_id {
            sql.push(&format!(" AND {col_installment} = ")).bind(i);
        }
        if let Some(c) = customer_id {
            sql.push(&format!(" AND {col_customer} = ")).bind(c);
        }
    };
    let mut sql = Sql::new(
        "SELECT it.installment_id, it.reference AS document_number, it.new_level AS level, l.letter_date AS date, \
         'letter' AS source, l.id AS letter_id, l.number AS letter_number, l.channel, l.status, \
         (SELECT MAX(dv.status) FROM dunning_deliveries dv WHERE dv.company_id = l.company_id AND dv.letter_id = l.id) \
         AS delivery_status, l.withdraw_reason AS note FROM dunning_items it JOIN dunning_letters l ON \
         l.company_id = it.company_id AND l.run_id = it.run_id AND l.payer_id = it.payer_id AND l.currency = it.currency \
         WHERE it.company_id = ",
    );
    sql.bind(company_id).push(" AND it.kind = 'due' AND it.status = 'active' AND l.status IN ('issued', 'withdrawn')");
    scope(&mut sql, "it.installment_id", "it.customer_id");
    sql.push(
        " UNION ALL SELECT e.installment_id, d.number, e.level, e.date, 'external', CAST(NULL AS BIGINT), \
         CAST(NULL AS TEXT), e.channel, 'recorded', CAST(NULL AS TEXT), e.note || CASE WHEN e.skip_reason = '' \
         THEN '' ELSE ' (level skipped: ' || e.skip_reason || ')' END FROM dunning_external e \
         JOIN installments i ON i.id = e.installment_id JOIN documents d ON d.id = i.document_id WHERE e.company_id = ",
    );
    sql.bind(company_id);
    scope(&mut sql, "e.installment_id", "i.customer_id");
    sql.push(" ORDER BY 4 DESC, 3 DESC, 1");
    let rows = sql.fetch_all(tx).await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryEntry {
                installment_id: row::int(r, "installment_id")?,
                document_number: row::text(r, "document_number")?,
                level: row::int(r, "level")?,
                date: row::date(r, "date")?,
                source: row::text(r, "source")?,
                letter_id: row::opt_int(r, "letter_id")?,
                letter_number: row::opt_text(r, "letter_number")?,
                channel: row::text(r, "channel")?,
                status: row::text(r, "status")?,
                delivery_status: row::opt_text(r, "delivery_status")?,
                note: row::text(r, "note")?,
            })
        })
        .collect()
}

/// One entry of the delivery queue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub letter_id: i64,
    pub letter_number: String,
    pub channel: String,
    pub address: String,
    #[schema(value_type = String, example = "queued")]
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub last_error: String,
    pub queued_at: String,
    pub done_at: Option<String>,
}

pub async fn deliveries(
    tx: &mut Tx,
    company_id: i64,
    status: Option<DeliveryStatus>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Delivery>, i64)> {
    let mut filter = Sql::new(" WHERE dv.company_id = ");
    filter.bind(company_id);
    if let Some(s) = status {
        filter.push(" AND dv.status = ").bind(s.as_str());
    }
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM dunning_deliveries dv",
        "SELECT dv.id, dv.letter_id, l.number AS letter_number, dv.channel, dv.address, dv.status, dv.attempts, \
         dv.last_error, dv.queued_at, dv.done_at FROM dunning_deliveries dv JOIN dunning_letters l ON l.id = dv.letter_id",
        &filter,
        " ORDER BY dv.id",
        limit,
        offset,
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Delivery {
                id: row::int(r, "id")?,
                letter_id: row::int(r, "letter_id")?,
                letter_number: row::opt_text(r, "letter_number")?.unwrap_or_default(),
                channel: row::text(r, "channel")?,
                address: row::text(r, "address")?,
                status: word(r, "dunning_deliveries", "status", DeliveryStatus::parse)?,
                attempts: row::int(r, "attempts")?,
                last_error: row::text(r, "last_error")?,
                queued_at: row::text(r, "queued_at")?,
                done_at: row::opt_text(r, "done_at")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .map(|d| (d, total))
}

/// Whether an installment is dunned by a draft item other than `except_item`.
pub async fn item_in_other_draft(
    tx: &mut Tx,
    company_id: i64,
    installment_id: i64,
    except_item: i64,
) -> anyhow::Result<bool> {
    let r = Sql::new("SELECT COUNT(*) AS n FROM dunning_items WHERE company_id = ")
        .bind(company_id)
        .push(" AND installment_id = ")
        .bind(installment_id)
        .push(" AND in_draft = 1 AND id <> ")
        .bind(except_item)
        .fetch_one(tx)
        .await?;
    Ok(row::int(&r, "n")? > 0)
}

/// The documents of a letter's active dunned items that another draft holds now.
pub async fn items_taken_elsewhere(tx: &mut Tx, company_id: i64, l: &Letter) -> anyhow::Result<Vec<String>> {
    let mut sql = Sql::new("SELECT it.reference FROM dunning_items it WHERE it.company_id = ");
    sql.bind(company_id).push(" AND it.run_id = ").bind(l.run_id).push(" AND it.payer_id = ").bind(l.payer_id);
    sql.push(" AND it.currency = ").bind(l.currency.code()).push(" AND it.kind = 'due' AND it.status = 'active' ");
    sql.push(
        "AND EXISTS (SELECT 1 FROM dunning_items o WHERE o.installment_id = it.installment_id AND o.in_draft = 1 ",
    );
    sql.push("AND o.id <> it.id)");
    sql.fetch_all(tx).await?.iter().map(|r| row::text(r, "reference")).collect()
}

/// The letter an item belongs to.
pub async fn letter_of_item(tx: &mut Tx, company_id: i64, item_id: i64) -> anyhow::Result<Option<i64>> {
    let r = Sql::new(
        "SELECT l.id FROM dunning_items it JOIN dunning_letters l ON l.company_id = it.company_id AND l.run_id = it.run_id \
         AND l.payer_id = it.payer_id AND l.currency = it.currency WHERE it.company_id = ",
    )
    .bind(company_id)
    .push(" AND it.id = ")
    .bind(item_id)
    .fetch_optional(tx)
    .await?;
    r.map(|r| row::int(&r, "id")).transpose()
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

/// Benchmark fixtures only: the open debits due on `due` take `level` and its `date`.
pub async fn set_levels_by_due_date(
    tx: &mut Tx,
    company_id: i64,
    due: Date,
    level: i64,
    date: Date,
) -> anyhow::Result<u64> {
    let n = Sql::new("UPDATE installments SET dunning_level = ")
        .bind(level)
        .push(", dunning_date = ")
        .bind(date.to_string())
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND due_date = ")
        .bind(due.to_string())
        .push(" AND side = 1 AND amount_open > 0")
        .execute(tx)
        .await?;
    Ok(n)
}
