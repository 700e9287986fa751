//! Small balances (SPEC §4.8): the extraction (one query for the small open debits, one for the small
//! credits, each a range of the open-items indexes), the company's settings, and the rows of an action
//! — the action, its internal documents (`documents.kind` `small_balance_transfer`,
//! `small_credit_transfer`, `write_off`, `write_off_credit`, each with one installment) and the link to
//! every item it closed (`small_balance_items`). The allocations themselves go through
//! `allocations::insert` and `adjust_*` like every other.

use creance_core::small_balances::{ActionKind, ActionStatus};
use creance_core::{Currency, Date, DocumentKind, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

mod groups;

pub use groups::{credit_counts, credit_group_keys, debit_counts, debit_group_keys, SideCount};

/// The company's small-balance settings, minor units of its base currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub base_currency: Currency,
    /// Dunning leaves out a payer whose balance due is at most this; the extraction's default.
    pub threshold: i64,
    /// The most one write-off closes on each side.
    pub write_off_maximum: i64,
}

pub async fn settings(tx: &mut Tx, company_id: i64) -> anyhow::Result<Settings> {
    let r = Sql::new("SELECT base_currency, small_balance_threshold, write_off_maximum FROM companies WHERE id = ")
        .bind(company_id)
        .fetch_one(tx)
        .await?;
    Ok(Settings {
        base_currency: row::currency(&r, "base_currency")?,
        threshold: row::int(&r, "small_balance_threshold")?,
        write_off_maximum: row::int(&r, "write_off_maximum")?,
    })
}

pub async fn set_settings(tx: &mut Tx, company_id: i64, threshold: i64, write_off_maximum: i64) -> anyhow::Result<()> {
    Sql::new("UPDATE companies SET small_balance_threshold = ")
        .bind(threshold)
        .push(", write_off_maximum = ")
        .bind(write_off_maximum)
        .push(" WHERE id = ")
        .bind(company_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// `CASE <currency column> WHEN … THEN <limit> … END`: a company limit in every currency.
pub fn limit_case(column: &str, base_minor: i64, base: Currency) -> Sql {
    let mut sql = Sql::new(&format!("CASE {column}"));
    for &c in Currency::ALL {
        let v = creance_core::small_balances::limit_in(base_minor, base, c);
        sql.push(" WHEN ").bind(c.code()).push(" THEN ").bind(v);
    }
    sql.push(" ELSE 0 END");
    sql
}

/// What the extraction selects.
#[derive(Debug, Clone)]
pub struct Extract {
    /// Minor units of the base currency (applied to each currency at its exponent).
    pub threshold: i64,
    pub base_currency: Currency,
    /// Items due (credits dated) before this day.
    pub before: Date,
    pub currency: Option<Currency>,
    pub customer_id: Option<i64>,
    /// Only these customers (one page of groups); all when `None`.
    pub customer_ids: Option<Vec<i64>>,
    /// At most this many rows of each side.
    pub limit: i64,
}

/// One small item: a debit installment, a credit note's open credit, or a payment's remainder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallItem {
    /// `installment` or `payment`.
    pub source: &'static str,
    pub id: i64,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    pub contract_active: Option<bool>,
    pub document_id: Option<i64>,
    /// The document's or the payment's number.
    pub reference: String,
    pub kind: String,
    pub seq: Option<i64>,
    /// The due date (a debit), the credit note's or the payment's date.
    pub date: Date,
    pub amount: Money,
    pub amount_open: Money,
    pub dunning_level: i64,
}

fn common_filter(sql: &mut Sql, e: &Extract, alias: &str, date_col: &str) {
    sql.push(&format!(" AND {alias}.amount_open > 0 AND {date_col} < ")).bind(e.before.to_string());
    if let Some(c) = e.currency {
        let limit = creance_core::small_balances::limit_in(e.threshold, e.base_currency, c);
        sql.push(&format!(" AND {alias}.currency = ")).bind(c.code());
        sql.push(&format!(" AND {alias}.amount_open <= ")).bind(limit);
    } else {
        let max = Currency::ALL
            .iter()
            .map(|c| creance_core::small_balances::limit_in(e.threshold, e.base_currency, *c))
            .max()
            .unwrap_or(0);
        sql.push(&format!(" AND {alias}.amount_open <= ")).bind(max);
        sql.push(&format!(" AND {alias}.amount_open <= "));
        sql.append(&limit_case(&format!("{alias}.currency"), e.threshold, e.base_currency));
    }
    if let Some(c) = e.customer_id {
        sql.push(&format!(" AND {alias}.customer_id = ")).bind(c);
    }
    if let Some(ids) = &e.customer_ids {
        sql.push(&format!(" AND {alias}.customer_id IN "));
        if ids.is_empty() {
            sql.push("(NULL)");
        } else {
            sql.bind_tuple(ids.iter().map(|i| Value::Int(*i)));
        }
    }
}

const ITEM_COLUMNS: &str = "c.number AS customer_number, c.name AS customer_name, d.contract_id, \
     k.number AS contract_number, k.status AS contract_status";

fn item_from_row(r: &crate::AnyRow, source: &'static str) -> anyhow::Result<SmallItem> {
    let currency = row::currency(r, "currency")?;
    Ok(SmallItem {
        source,
        id: row::int(r, "id")?,
        customer_id: row::int(r, "customer_id")?,
        customer_number: row::text(r, "customer_number")?,
        customer_name: row::text(r, "customer_name")?,
        contract_id: row::opt_int(r, "contract_id")?,
        contract_number: row::opt_text(r, "contract_number")?,
        contract_active: row::opt_text(r, "contract_status")?.map(|s| s == "active"),
        document_id: row::opt_int(r, "document_id")?,
        reference: row::text(r, "reference")?,
        kind: row::text(r, "kind")?,
        seq: row::opt_int(r, "seq")?,
        date: row::date(r, "date")?,
        amount: row::money(r, "amount", currency)?,
        amount_open: row::money(r, "amount_open", currency)?,
        dunning_level: row::int(r, "dunning_level")?,
    })
}

/// The small open debits, by customer number, contract number, currency, due date: one query over the
/// open-items index (`installments_open_due`: company, due date, currency, side, open amount),
/// joined to their documents, customers and contracts. At most `e.limit` rows.
pub async fn small_debits(tx: &mut Tx, company_id: i64, e: &Extract) -> anyhow::Result<Vec<SmallItem>> {
    let mut sql = Sql::new(&format!(
        "SELECT i.id, i.customer_id, {ITEM_COLUMNS}, i.document_id, d.number AS reference, d.kind, i.seq, \
         i.due_date AS date, i.currency, i.amount, i.amount_open, i.dunning_level \
         FROM installments i JOIN documents d ON d.id = i.document_id JOIN customers c ON c.id = i.customer_id \
         LEFT JOIN contracts k ON k.id = d.contract_id WHERE i.company_id = "
    ));
    sql.bind(company_id).push(" AND i.side = 1");
    common_filter(&mut sql, e, "i", "i.due_date");
    sql.push(" ORDER BY c.number, COALESCE(k.number, ''), i.currency, i.due_date, i.id LIMIT ").bind(e.limit);
    sql.fetch_all(tx).await?.iter().map(|r| item_from_row(r, "installment")).collect()
}

/// The small credits in the customers' favour: unallocated remainders of active payments and open
/// credit notes, by customer number, currency and date. At most `e.limit` rows of each.
pub async fn small_credits(tx: &mut Tx, company_id: i64, e: &Extract) -> anyhow::Result<Vec<SmallItem>> {
    let mut sql = Sql::new(&format!(
        "SELECT i.id, i.customer_id, {ITEM_COLUMNS}, i.document_id, d.number AS reference, d.kind, i.seq, \
         d.date AS date, i.currency, i.amount, i.amount_open, i.dunning_level \
         FROM installments i JOIN documents d ON d.id = i.document_id JOIN customers c ON c.id = i.customer_id \
         LEFT JOIN contracts k ON k.id = d.contract_id WHERE i.company_id = "
    ));
    sql.bind(company_id).push(" AND i.side = -1");
    common_filter(&mut sql, e, "i", "d.date");
    sql.push(" ORDER BY c.number, i.currency, d.date, i.id LIMIT ").bind(e.limit);
    let mut out: Vec<SmallItem> =
        sql.fetch_all(tx).await?.iter().map(|r| item_from_row(r, "installment")).collect::<anyhow::Result<_>>()?;
    let mut sql = Sql::new(
        "SELECT p.id, p.customer_id, c.number AS customer_number, c.name AS customer_name, \
         CAST(NULL AS BIGINT) AS contract_id, CAST(NULL AS TEXT) AS contract_number, CAST(NULL AS TEXT) AS contract_status, \
         CAST(NULL AS BIGINT) AS document_id, p.number AS reference, 'payment' AS kind, CAST(NULL AS BIGINT) AS seq, \
         p.date, p.currency, p.amount, p.amount_open, 0 AS dunning_level \
         FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.company_id = ",
    );
    sql.bind(company_id).push(" AND p.status = 'active'");
    common_filter(&mut sql, e, "p", "p.date");
    sql.push(" ORDER BY c.number, p.currency, p.date, p.id LIMIT ").bind(e.limit);
    for r in sql.fetch_all(tx).await? {
        out.push(item_from_row(&r, "payment")?);
    }
    out.sort_by(|a, b| {
        (&a.customer_number, a.amount_open.currency().code(), a.date).cmp(&(
            &b.customer_number,
            b.amount_open.currency().code(),
            b.date,
        ))
    });
    Ok(out)
}

/// The items an action names, read (and when `lock`, locked on PostgreSQL, installments in id order
/// after the payments) with their open amounts: `installment_ids` (debits or credit notes' credits)
/// and `payment_ids`.
pub async fn read_items(
    tx: &mut Tx,
    company_id: i64,
    installment_ids: &[i64],
    payment_ids: &[i64],
    lock: bool,
) -> anyhow::Result<Vec<SmallItem>> {
    let lock_of = |tx: &mut Tx, alias: &str| if lock { crate::payments::lock_clause(tx, alias) } else { String::new() };
    let mut out = Vec::new();
    let mut pays = payment_ids.to_vec();
    pays.sort_unstable();
    pays.dedup();
    let lock = lock_of(tx, "p");
    for chunk in pays.chunks(batch_rows(1)) {
        let mut sql = Sql::new(
            "SELECT p.id, p.customer_id, c.number AS customer_number, c.name AS customer_name, \
             CAST(NULL AS BIGINT) AS contract_id, CAST(NULL AS TEXT) AS contract_number, CAST(NULL AS TEXT) AS contract_status, \
             CAST(NULL AS BIGINT) AS document_id, p.number AS reference, \
             CASE WHEN p.status = 'active' THEN 'payment' ELSE 'cancelled_payment' END AS kind, CAST(NULL AS BIGINT) AS seq, \
             p.date, p.currency, p.amount, p.amount_open, 0 AS dunning_level \
             FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.company_id = ",
        );
        sql.bind(company_id).push(" AND p.id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" ORDER BY p.id").push(&lock);
        for r in sql.fetch_all(tx).await? {
            out.push(item_from_row(&r, "payment")?);
        }
    }
    let mut insts = installment_ids.to_vec();
    insts.sort_unstable();
    insts.dedup();
    let lock = lock_of(tx, "i");
    for chunk in insts.chunks(batch_rows(1)) {
        let mut sql = Sql::new(&format!(
            "SELECT i.id, i.customer_id, {ITEM_COLUMNS}, i.document_id, d.number AS reference, d.kind, i.seq, \
             CASE WHEN i.side = 1 THEN i.due_date ELSE d.date END AS date, i.currency, i.amount, i.amount_open, \
             i.dunning_level FROM installments i JOIN documents d ON d.id = i.document_id \
             JOIN customers c ON c.id = i.customer_id LEFT JOIN contracts k ON k.id = d.contract_id WHERE i.company_id = "
        ));
        sql.bind(company_id).push(" AND i.id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" ORDER BY i.id").push(&lock);
        for r in sql.fetch_all(tx).await? {
            out.push(item_from_row(&r, "installment")?);
        }
    }
    Ok(out)
}

/// An internal document to write, with its one installment (open for its whole total until the same
/// transaction allocates it).
#[derive(Debug, Clone)]
pub struct NewInternal<'a> {
    pub kind: DocumentKind,
    pub number: &'a str,
    pub customer_id: i64,
    pub date: Date,
    pub total: Money,
    pub contract_id: Option<i64>,
    pub text: &'a str,
    pub action_id: i64,
}

/// Writes an internal document and its installment; returns (document id, installment id).
pub async fn insert_internal(tx: &mut Tx, company_id: i64, d: &NewInternal<'_>) -> anyhow::Result<(i64, i64)> {
    anyhow::ensure!(d.kind.is_internal(), "{} is not an internal kind", d.kind.code());
    let now = tx.at()?;
    let r = Sql::new(
        "INSERT INTO documents (company_id, kind, number, customer_id, date, currency, total, contract_id, order_ref, \
         text, payment_term, small_balance_action_id, created_at, updated_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        d.kind.code().into(),
        d.number.into(),
        d.customer_id.into(),
        d.date.to_string().into(),
        d.total.currency().code().into(),
        d.total.minor().into(),
        d.contract_id.into(),
        "".into(),
        d.text.into(),
        "".into(),
        d.action_id.into(),
        now.as_str().into(),
        now.as_str().into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    let doc = row::int(&r, "id")?;
    let r = Sql::new(
        "INSERT INTO installments (company_id, document_id, customer_id, currency, side, seq, due_date, amount, amount_open) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        doc.into(),
        d.customer_id.into(),
        d.total.currency().code().into(),
        d.kind.sign().into(),
        1i64.into(),
        d.date.to_string().into(),
        d.total.minor().into(),
        d.total.minor().into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    Ok((doc, row::int(&r, "id")?))
}

/// An action to write.
#[derive(Debug, Clone)]
pub struct NewAction<'a> {
    pub kind: ActionKind,
    pub customer_id: i64,
    pub currency: Currency,
    pub date: Date,
    pub debit_total: i64,
    pub credit_total: i64,
    pub contract_id: Option<i64>,
    pub reason: &'a str,
    pub actor: &'a str,
}

pub async fn insert_action(tx: &mut Tx, company_id: i64, a: &NewAction<'_>) -> anyhow::Result<i64> {
    let r = Sql::new(
        "INSERT INTO small_balance_actions (company_id, kind, status, customer_id, currency, date, debit_total, \
         credit_total, contract_id, reason, actor, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        a.kind.code().into(),
        ActionStatus::Done.code().into(),
        a.customer_id.into(),
        a.currency.code().into(),
        a.date.to_string().into(),
        a.debit_total.into(),
        a.credit_total.into(),
        a.contract_id.into(),
        a.reason.into(),
        a.actor.into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&r, "id")
}

/// Records an action's internal documents (`undo`: the ones that neutralised them, and the action undone).
pub async fn set_documents(
    tx: &mut Tx,
    company_id: i64,
    action_id: i64,
    debit_document: Option<i64>,
    credit_document: Option<i64>,
) -> anyhow::Result<()> {
    Sql::new("UPDATE small_balance_actions SET debit_document_id = ")
        .bind(debit_document)
        .push(", credit_document_id = ")
        .bind(credit_document)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(action_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Marks a done action undone with the documents that neutralised its own; false when it was not done.
pub async fn set_undone(
    tx: &mut Tx,
    company_id: i64,
    action_id: i64,
    date: Date,
    by: &str,
    undo_debit_document: Option<i64>,
    undo_credit_document: Option<i64>,
) -> anyhow::Result<bool> {
    let n = Sql::new("UPDATE small_balance_actions SET status = 'undone', undone_date = ")
        .bind(date.to_string())
        .push(", undone_by = ")
        .bind(by)
        .push(", undone_at = ")
        .bind(tx.at()?)
        .push(", undo_debit_document_id = ")
        .bind(undo_debit_document)
        .push(", undo_credit_document_id = ")
        .bind(undo_credit_document)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(action_id)
        .push(" AND status = 'done'")
        .execute(tx)
        .await?;
    Ok(n == 1)
}

/// An item an action closed, by the allocation that closed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewLink {
    pub installment_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub amount: i64,
    pub allocation_id: i64,
}

pub async fn insert_links(tx: &mut Tx, company_id: i64, action_id: i64, links: &[NewLink]) -> anyhow::Result<()> {
    for chunk in links.chunks(batch_rows(6)) {
        let mut sql = Sql::new(
            "INSERT INTO small_balance_items (company_id, action_id, installment_id, payment_id, amount, allocation_id) VALUES ",
        );
        for (i, l) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                action_id.into(),
                l.installment_id.into(),
                l.payment_id.into(),
                l.amount.into(),
                l.allocation_id.into(),
            ]);
        }
        sql.execute(tx).await?;
    }
    Ok(())
}

/// An action as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: i64,
    pub kind: ActionKind,
    pub status: ActionStatus,
    pub customer_id: i64,
    pub customer_number: String,
    pub currency: Currency,
    pub date: Date,
    pub debit_total: Money,
    pub credit_total: Money,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    pub debit_document_id: Option<i64>,
    pub credit_document_id: Option<i64>,
    pub undo_debit_document_id: Option<i64>,
    pub undo_credit_document_id: Option<i64>,
    pub reason: String,
    pub actor: String,
    pub created_at: String,
    pub undone_date: Option<Date>,
    pub undone_by: Option<String>,
    pub items: Vec<Link>,
}

/// One item an action closed, with what names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub installment_id: Option<i64>,
    pub payment_id: Option<i64>,
    /// The document's (with its installment's position) or the payment's number.
    pub reference: String,
    pub seq: Option<i64>,
    /// 1: a debit closed; −1: a credit closed.
    pub side: i64,
    pub amount: Money,
    pub allocation_id: i64,
}

const ACTION_SELECT: &str = "SELECT a.id, a.kind, a.status, a.customer_id, c.number AS customer_number, a.currency, \
     a.date, a.debit_total, a.credit_total, a.contract_id, k.number AS contract_number, a.debit_document_id, \
     a.credit_document_id, a.undo_debit_document_id, a.undo_credit_document_id, a.reason, a.actor, a.created_at, \
     a.undone_date, a.undone_by FROM small_balance_actions a JOIN customers c ON c.id = a.customer_id \
     LEFT JOIN contracts k ON k.id = a.contract_id";

fn action_from_row(r: &crate::AnyRow) -> anyhow::Result<Action> {
    let currency = row::currency(r, "currency")?;
    let kind = row::text(r, "kind")?;
    let status = row::text(r, "status")?;
    Ok(Action {
        id: row::int(r, "id")?,
        kind: ActionKind::parse(&kind).ok_or_else(|| anyhow::anyhow!("small_balance_actions.kind {kind:?}"))?,
        status: ActionStatus::parse(&status)
            .ok_or_else(|| anyhow::anyhow!("small_balance_actions.status {status:?}"))?,
        customer_id: row::int(r, "customer_id")?,
        customer_number: row::text(r, "customer_number")?,
        currency,
        date: row::date(r, "date")?,
        debit_total: row::money(r, "debit_total", currency)?,
        credit_total: row::money(r, "credit_total", currency)?,
        contract_id: row::opt_int(r, "contract_id")?,
        contract_number: row::opt_text(r, "contract_number")?,
        debit_document_id: row::opt_int(r, "debit_document_id")?,
        credit_document_id: row::opt_int(r, "credit_document_id")?,
        undo_debit_document_id: row::opt_int(r, "undo_debit_document_id")?,
        undo_credit_document_id: row::opt_int(r, "undo_credit_document_id")?,
        reason: row::text(r, "reason")?,
        actor: row::text(r, "actor")?,
        created_at: row::text(r, "created_at")?,
        undone_date: row::opt_date(r, "undone_date")?,
        undone_by: row::opt_text(r, "undone_by")?,
        items: Vec::new(),
    })
}

/// The links of these actions, by action id.
pub async fn links_of(
    tx: &mut Tx,
    company_id: i64,
    action_ids: &[i64],
) -> anyhow::Result<std::collections::HashMap<i64, Vec<Link>>> {
    let mut out: std::collections::HashMap<i64, Vec<Link>> = std::collections::HashMap::new();
    for chunk in action_ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(
            "SELECT x.action_id, x.installment_id, x.payment_id, COALESCE(d.number, p.number) AS reference, i.seq, \
             COALESCE(i.side, -1) AS side, COALESCE(i.currency, p.currency) AS currency, x.amount, x.allocation_id \
             FROM small_balance_items x LEFT JOIN installments i ON i.id = x.installment_id \
             LEFT JOIN documents d ON d.id = i.document_id LEFT JOIN payments p ON p.id = x.payment_id \
             WHERE x.company_id = ",
        );
        sql.bind(company_id).push(" AND x.action_id IN ").bind_tuple(chunk.iter().map(|i| Value::Int(*i)));
        sql.push(" ORDER BY x.action_id, x.id");
        for r in sql.fetch_all(tx).await? {
            let currency = row::currency(&r, "currency")?;
            out.entry(row::int(&r, "action_id")?).or_default().push(Link {
                installment_id: row::opt_int(&r, "installment_id")?,
                payment_id: row::opt_int(&r, "payment_id")?,
                reference: row::text(&r, "reference")?,
                seq: row::opt_int(&r, "seq")?,
                side: row::int(&r, "side")?,
                amount: row::money(&r, "amount", currency)?,
                allocation_id: row::int(&r, "allocation_id")?,
            });
        }
    }
    Ok(out)
}

/// An action with the items it closed; locked on PostgreSQL when `lock`.
pub async fn get_action(tx: &mut Tx, company_id: i64, id: i64, lock: bool) -> anyhow::Result<Option<Action>> {
    let lock = if lock { crate::payments::lock_clause(tx, "a") } else { String::new() };
    let mut sql = Sql::new(ACTION_SELECT);
    sql.push(" WHERE a.company_id = ").bind(company_id).push(" AND a.id = ").bind(id).push(&lock);
    let Some(r) = sql.fetch_optional(tx).await? else { return Ok(None) };
    let mut a = action_from_row(&r)?;
    a.items = links_of(tx, company_id, &[id]).await?.remove(&id).unwrap_or_default();
    Ok(Some(a))
}

/// A customer's actions (or all), newest first; at most `limit`.
pub async fn list_actions(
    tx: &mut Tx,
    company_id: i64,
    customer_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Action>, i64)> {
    let mut filter = Sql::new(" WHERE a.company_id = ");
    filter.bind(company_id);
    if let Some(c) = customer_id {
        filter.push(" AND a.customer_id = ").bind(c);
    }
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM small_balance_actions a",
        ACTION_SELECT,
        &filter,
        " ORDER BY a.id DESC",
        limit,
        offset,
    )
    .await?;
    let mut actions: Vec<Action> = rows.iter().map(action_from_row).collect::<anyhow::Result<_>>()?;
    let ids: Vec<i64> = actions.iter().map(|a| a.id).collect();
    let mut links = links_of(tx, company_id, &ids).await?;
    for a in &mut actions {
        a.items = links.remove(&a.id).unwrap_or_default();
    }
    Ok((actions, total))
}

/// Whether an allocation pays or is paid by an internal document: such an allocation is undone only
/// with its action, never on its own.
pub async fn allocation_is_internal(tx: &mut Tx, company_id: i64, allocation_id: i64) -> anyhow::Result<bool> {
    let r = Sql::new(
        "SELECT COUNT(*) AS n FROM allocations a JOIN installments i ON i.id = a.installment_id OR i.id = a.credit_installment_id \
         JOIN documents d ON d.id = i.document_id WHERE a.company_id = ",
    )
    .bind(company_id)
    .push(" AND a.id = ")
    .bind(allocation_id)
    .push(" AND d.small_balance_action_id IS NOT NULL")
    .fetch_one(tx)
    .await?;
    Ok(row::int(&r, "n")? > 0)
}

/// Writes one allocation of a small-balance action and returns its id. Unlike `allocations::insert`
/// (whose value date is the credit's own date), its value date is `date`, the action's day (or the
/// undo's): an action moves the items that day, whatever the dates of the credits it closes, so an
/// as-of view before it sees them open.
pub async fn allocate_at(
    tx: &mut Tx,
    company_id: i64,
    credit: crate::allocations::CreditId,
    installment_id: i64,
    amount: Money,
    date: Date,
) -> anyhow::Result<i64> {
    let (p, c) = match credit {
        crate::allocations::CreditId::Payment(id) => (Value::Int(id), Value::NullInt),
        crate::allocations::CreditId::CreditNote(id) => (Value::NullInt, Value::Int(id)),
    };
    let r = Sql::new(
        "INSERT INTO allocations (company_id, payment_id, credit_installment_id, installment_id, currency, amount, date, value_date, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        p,
        c,
        installment_id.into(),
        amount.currency().code().into(),
        amount.minor().into(),
        date.to_string().into(),
        date.to_string().into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&r, "id")
}
