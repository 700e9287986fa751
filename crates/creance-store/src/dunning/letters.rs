//! Reading runs, letters and their items (SPEC §4.6).

use creance_core::dunning::{
    DeliveryStatus, ItemKind, ItemStatus, LetterChannel, LetterReason, LetterStatus, RunStatus,
};
use creance_core::{Currency, Date, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::words::*;

#[derive(Debug, Clone)]
pub struct Run {
    pub id: i64,
    /// `draft`, `issued` or `deleted`.
    pub status: RunStatus,
    pub as_of: Date,
    /// The criteria it was computed for, as JSON.
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
    let now = tx.at()?;
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
#[derive(Debug, Clone)]
pub struct Letter {
    pub id: i64,
    pub run_id: i64,
    pub payer_id: i64,
    pub payer_number: String,
    pub payer_name: String,
    pub currency: Currency,
    pub policy_id: i64,
    /// `draft`, `left_out`, `removed`, `issued` or `withdrawn`.
    pub status: LetterStatus,
    /// Why it is left out or removed (a code: `credits_cover`, `small_balance`, `below_minimum`, `nothing_to_dun`,
    /// `last_level_reached`, `amount_too_large`), or a clerk's reason for removing it, with
    /// `reason_text` saying it in words.
    pub reason: LetterReason,
    pub reason_text: String,
    pub level: i64,
    pub level_forced_by: Option<String>,
    pub level_reason: String,
    /// False when marked issued without sending.
    pub send: bool,
    pub channel: LetterChannel,
    pub language: String,
    /// The letter's own texts (a clerk's edit, or the issued letter's rendered texts); empty: the
    /// policy's texts for its level and language.
    pub subject: String,
    pub opening: String,
    pub closing: String,
    pub texts_edited_by: Option<String>,
    pub overdue_total: Money,
    pub not_due_total: Money,
    pub credits_total: Money,
    pub fee: Money,
    pub interest: Money,
    pub indemnity: Money,
    pub total_due: Money,
    /// What the computation noted (e.g. a fee not charged because the policy's amounts are in
    /// another currency).
    pub notes: String,
    pub number: Option<String>,
    pub letter_date: Option<Date>,
    pub payment_deadline: Option<Date>,
    pub fee_document_id: Option<i64>,
    pub interest_document_id: Option<i64>,
    pub issued_at: Option<String>,
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdraw_reason: String,
    /// Delivery status of the issued letter (`queued`, `sent`, `printed`, `failed`, `cancelled`,
    /// `not_sent`), if any.
    pub delivery_status: Option<DeliveryStatus>,
    /// The payer's comment (customer record), shown on the letter.
    pub payer_comment: String,
    /// The payer's country (customer record): with the letter's language, the locale its texts write
    /// amounts and dates in.
    pub payer_country: String,
    /// Sum over the installments it duns of their days overdue (at the as-of date, or the letter's
    /// date once issued); filled by the views (`fill_days_late`), 0 elsewhere.
    pub days_late_total: i64,
    /// The longest delay among them.
    pub days_late_max: i64,
}

/// A letter's columns: its name where it is read, and its SQL over the letter `l` and its payer `p`.
const LETTER_COLUMNS: &[(&str, &str)] = &[
    ("id", "l.id"),
    ("run_id", "l.run_id"),
    ("payer_id", "l.payer_id"),
    ("payer_number", "p.number"),
    ("payer_name", "p.name"),
    ("currency", "l.currency"),
    ("policy_id", "l.policy_id"),
    ("status", "l.status"),
    ("reason", "l.reason"),
    ("level", "l.level"),
    ("level_forced_by", "l.level_forced_by"),
    ("level_reason", "l.level_reason"),
    ("send", "l.send"),
    ("channel", "l.channel"),
    ("language", "l.language"),
    ("subject", "l.subject"),
    ("opening", "l.opening"),
    ("closing", "l.closing"),
    ("texts_edited_by", "l.texts_edited_by"),
    ("overdue_total", "l.overdue_total"),
    ("not_due_total", "l.not_due_total"),
    ("credits_total", "l.credits_total"),
    ("fee", "l.fee"),
    ("interest", "l.interest"),
    ("indemnity", "l.indemnity"),
    ("total_due", "l.total_due"),
    ("notes", "l.notes"),
    ("number", "l.number"),
    ("letter_date", "l.letter_date"),
    ("payment_deadline", "l.payment_deadline"),
    ("fee_document_id", "l.fee_document_id"),
    ("interest_document_id", "l.interest_document_id"),
    ("issued_at", "l.issued_at"),
    ("withdrawn_at", "l.withdrawn_at"),
    ("withdrawn_by", "l.withdrawn_by"),
    ("withdraw_reason", "l.withdraw_reason"),
    (
        "delivery_status",
        "(SELECT MAX(dv.status) FROM dunning_deliveries dv WHERE dv.company_id = l.company_id AND dv.letter_id = l.id)",
    ),
    ("payer_comment", "p.comment"),
    ("payer_country", "p.country"),
];

const LETTER_FROM: &str = " FROM dunning_letters l JOIN customers p ON p.id = l.payer_id";

/// Every letter column `AS` its name.
fn letter_columns() -> String {
    let columns: Vec<String> = LETTER_COLUMNS.iter().map(|(name, sql)| format!("{sql} AS {name}")).collect();
    columns.join(", ")
}

fn letter_from_row(r: &impl row::Fields) -> anyhow::Result<Letter> {
    let currency = row::currency(r, "currency")?;
    let m = |col: &str| row::money(r, col, currency);
    let status = word(r, "dunning_letters", "status", LetterStatus::parse)?;
    let reason = word(r, "dunning_letters", "reason", |s| LetterReason::parse(status, s))?;
    let overdue = m("overdue_total")?;
    let credits = m("credits_total")?;
    let reason_text = reason.text(overdue, credits);
    Ok(Letter {
        id: row::int(r, "id")?,
        run_id: row::int(r, "run_id")?,
        payer_id: row::int(r, "payer_id")?,
        payer_number: row::text(r, "payer_number")?,
        payer_name: row::text(r, "payer_name")?,
        currency,
        policy_id: row::int(r, "policy_id")?,
        status,
        reason,
        reason_text,
        level: row::int(r, "level")?,
        level_forced_by: row::opt_text(r, "level_forced_by")?,
        level_reason: row::text(r, "level_reason")?,
        send: row::flag(r, "send")?,
        channel: word(r, "dunning_letters", "channel", LetterChannel::parse)?,
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
        payer_country: row::text(r, "payer_country")?,
        days_late_total: 0,
        days_late_max: 0,
    })
}

/// Which letters to list.
#[derive(Debug, Clone, Default)]
pub struct LetterFilter {
    pub run_id: Option<i64>,
    pub status: Option<LetterStatus>,
    pub payer_id: Option<i64>,
    /// Letters naming this customer (as payer or on one of its items).
    pub customer_id: Option<i64>,
    /// Issued letters with at least one dunned installment still open.
    pub in_progress: bool,
    pub ids: Option<Vec<i64>>,
}

/// The condition (on letter `l`) of a letter in progress: issued, with a dunned installment still open.
pub(crate) const IN_PROGRESS: &str = " AND l.status = 'issued' AND EXISTS (SELECT 1 FROM dunning_items it \
     JOIN installments i ON i.id = it.installment_id WHERE it.company_id = l.company_id AND it.run_id = l.run_id \
     AND it.payer_id = l.payer_id AND it.currency = l.currency AND it.kind = 'due' \
     AND it.status = 'active' AND i.amount_open > 0)";

/// The `WHERE` of a list of letters (`l`, with its payer `p`), and its order.
fn letter_filter(company_id: i64, f: &LetterFilter) -> (Sql, &'static str) {
    let mut filter = Sql::new(" WHERE l.company_id = ");
    filter.bind(company_id);
    if let Some(r) = f.run_id {
        filter.push(" AND l.run_id = ").bind(r);
    }
    if let Some(s) = f.status {
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
        filter.push(IN_PROGRESS);
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
    (filter, order)
}

pub async fn letters(
    tx: &mut Tx,
    company_id: i64,
    f: &LetterFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Letter>, i64)> {
    let (filter, order) = letter_filter(company_id, f);
    let (rows, total) = crate::sql::page(
        tx,
        &format!("SELECT COUNT(*) AS n{LETTER_FROM}"),
        &format!("SELECT {}{LETTER_FROM}", letter_columns()),
        &filter,
        order,
        limit,
        offset,
    )
    .await?;
    Ok((rows.iter().map(letter_from_row).collect::<anyhow::Result<_>>()?, total))
}

/// Every letter the filter selects, in the order of [`letters`], read packed (a thousand letters
/// a row, [`crate::sql::fetch_packed`]): an issue reads its 70,000 letters of 39 columns in 0.5 s
/// where reading them a row each cost 2 s (sqlx converts every value of every row on its way from
/// SQLite's thread).
pub async fn all_letters(tx: &mut Tx, company_id: i64, f: &LetterFilter) -> anyhow::Result<Vec<Letter>> {
    let (filter, order) = letter_filter(company_id, f);
    let mut from = Sql::new(&format!(
        "FROM (SELECT {}, ROW_NUMBER() OVER ({}) AS seq{LETTER_FROM}",
        letter_columns(),
        order.trim()
    ));
    from.append(&filter).push(") x");
    let mut names: Vec<&str> = LETTER_COLUMNS.iter().map(|(name, _)| *name).collect();
    names.push("seq");
    let fields: Vec<String> =
        names.iter().map(|n| format!("COALESCE(CAST(x.{n} AS TEXT), '{}')", row::PACKED_NULL)).collect();
    let field_refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    let mut letters = Vec::new();
    crate::sql::fetch_packed_each(tx, &field_refs, &from, "x.seq", |values| {
        let r = row::Packed { names: &names, values };
        letters.push((row::int(&r, "seq")?, letter_from_row(&r)?));
        Ok(())
    })
    .await?;
    letters.sort_unstable_by_key(|(seq, _)| *seq);
    Ok(letters.into_iter().map(|(_, l)| l).collect())
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
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub kind: ItemKind,
    /// `active`, `removed` (by a clerk, or blocked since) or `settled` (paid since).
    pub status: ItemStatus,
    pub reason: String,
    pub installment_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub document_id: Option<i64>,
    pub customer_id: i64,
    /// The document or payment number.
    pub reference: String,
    pub doc_date: Date,
    pub due_date: Option<Date>,
    pub amount: Money,
    pub amount_open: Money,
    pub level_before: i64,
    pub date_before: Option<Date>,
    /// The level this letter gives it (`due` items).
    pub new_level: i64,
    pub interest_from: Option<Date>,
    /// Exclusive: interest is charged for the days before it.
    pub interest_to: Option<Date>,
    pub interest: Money,
    pub indemnity: Money,
}

const ITEM_SELECT: &str = "SELECT it.id, it.kind, it.status, it.reason, it.installment_id, it.payment_id, \
     it.document_id, it.customer_id, it.reference, it.doc_date, it.due_date, it.currency, it.amount, it.amount_open, \
     it.level_before, it.date_before, it.new_level, it.interest_from, it.interest_to, it.interest, it.indemnity, \
     it.run_id, it.payer_id FROM dunning_items it";

pub(super) fn item_from_row(r: &crate::AnyRow) -> anyhow::Result<Item> {
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

/// The items of many letters in one query per chunk, as `(letter id, item)`, each letter's in print
/// order (see [`items`]).
pub async fn items_of_letters(tx: &mut Tx, company_id: i64, letter_ids: &[i64]) -> anyhow::Result<Vec<(i64, Item)>> {
    let mut out = Vec::new();
    for chunk in letter_ids.chunks(batch_rows(1)) {
        // Driven by the letters (SQLite keeps a CROSS JOIN's order): with the statistics of before
        // the run, SQLite would otherwise scan every item of the company and probe the list.
        let mut sql = Sql::new(&ITEM_SELECT.replace(
            " FROM dunning_items it",
            ", l.id AS letter_id FROM dunning_letters l CROSS JOIN dunning_items it",
        ));
        sql.push(" WHERE l.company_id = it.company_id AND l.run_id = it.run_id AND l.payer_id = it.payer_id ");
        sql.push("AND l.currency = it.currency AND l.company_id = ").bind(company_id);
        sql.push(" AND l.id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" ORDER BY l.id, CASE it.kind WHEN 'due' THEN 0 WHEN 'overdue' THEN 1 WHEN 'not_due' THEN 2 ");
        sql.push("WHEN 'credit' THEN 3 WHEN 'payment' THEN 4 ELSE 5 END, it.due_date, it.reference, it.id");
        for r in sql.fetch_all(tx).await? {
            out.push((row::int(&r, "letter_id")?, item_from_row(&r)?));
        }
    }
    Ok(out)
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
#[derive(Debug, Clone, Default)]
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
        match word(r, "dunning_letters", "status", LetterStatus::parse)? {
            LetterStatus::Draft => c.draft = n,
            LetterStatus::LeftOut => c.left_out = n,
            LetterStatus::Removed => c.removed = n,
            LetterStatus::Issued => c.issued = n,
            LetterStatus::Withdrawn => c.withdrawn = n,
        }
    }
    // While a run is a draft, its dunned installments are exactly those it holds (`dunning_holds`); the
    // items of issued letters are counted only when the run has some (one probe per item).
    let issued = if c.issued > 0 {
        "CAST(COALESCE(SUM(CASE WHEN it.kind = 'due' AND it.status = 'active' AND EXISTS (SELECT 1 FROM \
         dunning_letters l WHERE l.company_id = it.company_id AND l.run_id = it.run_id AND l.payer_id = it.payer_id \
         AND l.currency = it.currency AND l.status = 'issued') THEN 1 ELSE 0 END), 0) AS BIGINT)"
    } else {
        "CAST(0 AS BIGINT)"
    };
    let r = Sql::new("SELECT CAST((SELECT COUNT(*) FROM dunning_holds h WHERE h.company_id = ")
        .bind(company_id)
        .push(" AND h.run_id = ")
        .bind(run_id)
        .push(&format!(
            ") AS BIGINT) AS items, CAST(COALESCE(SUM(CASE WHEN it.kind IN ('blocked', 'disabled', 'in_other_draft') \
             AND it.new_level > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS left_out, {issued} AS issued \
             FROM dunning_items it WHERE it.company_id = "
        ))
        .bind(company_id)
        .push(" AND it.run_id = ")
        .bind(run_id)
        .fetch_one(tx)
        .await?;
    c.items = row::int(&r, "items")? + row::int(&r, "issued")?;
    c.items_left_out = row::int(&r, "left_out")?;
    Ok(c)
}
