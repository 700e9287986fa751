//! The history of the open-items list (seed 001: "a fully paid line passes to history"): the
//! settled installments of debit documents — open amount zero — with the active allocations that
//! settled them (the payment, or the credit note), newest due date first by default. A page is read
//! with `LIMIT n + 1` (whether a next page exists, without counting a history that only grows) and
//! its allocations in one second statement over the page's installments. Served by the partial index
//! `installments_settled` (migration 0024).

use creance_core::{Currency, Date, DocumentKind, Money};

use crate::open_items::{OpenItemFilter, Sort, SortKey};
use crate::row;
use crate::{Sql, Tx};

/// One settled installment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledItem {
    pub installment_id: i64,
    pub document_id: i64,
    pub kind: DocumentKind,
    pub document_number: String,
    pub document_date: Date,
    pub seq: i64,
    pub installment_count: i64,
    pub due_date: Date,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub payer_number: String,
    pub contract_number: Option<String>,
    pub currency: Currency,
    pub amount: Money,
    pub dunning_level: i64,
    /// The active allocations that settled it, oldest first.
    pub settled_by: Vec<Settlement>,
}

/// One active allocation to a settled installment: from a payment or from a credit note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub allocation_id: i64,
    pub amount: Money,
    /// The day it was allocated.
    pub date: Date,
    /// The day its money counts from (the payment's or the credit note's date).
    pub value_date: Date,
    pub payment_id: Option<i64>,
    pub payment_number: Option<String>,
    pub payment_method: Option<String>,
    pub piece_number: Option<String>,
    /// The credit note's number, when the credit is a credit note (or an internal credit).
    pub credit_document_number: Option<String>,
}

const COLUMNS: &str = "SELECT i.id, i.document_id, d.kind, d.number, d.date, i.seq, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM installments j WHERE j.document_id = i.document_id) AS installment_count, \
     i.due_date, i.customer_id, c.number AS customer_number, c.name AS customer_name, \
     COALESCE(p.number, c.number) AS payer_number, k.number AS contract_number, i.currency, i.amount, i.dunning_level \
     FROM installments i JOIN documents d ON d.id = i.document_id JOIN customers c ON c.id = i.customer_id \
     LEFT JOIN customers p ON p.id = c.payer_id LEFT JOIN contracts k ON k.id = d.contract_id";

/// The conditions of `f` that concern a settled item (open amounts, days overdue and the as-of
/// date do not: the item is paid).
fn where_clause(company_id: i64, f: &OpenItemFilter) -> Sql {
    let mut s = Sql::new(" WHERE i.company_id = ");
    s.bind(company_id).push(" AND i.amount_open = 0 AND i.side = 1 AND i.amount > 0");
    if let Some(v) = f.customer_id {
        s.push(" AND i.customer_id = ").bind(v);
    }
    if let Some(v) = &f.customer_number {
        // By the customer's id, so that one customer's history reads `installments_settled_customer`.
        s.push(" AND i.customer_id = (SELECT cn.id FROM customers cn WHERE cn.company_id = ")
            .bind(company_id)
            .push(" AND cn.number = ")
            .bind(v.as_str())
            .push(")");
    }
    let texts = [
        (&f.customer_number_from, " AND c.number >= "),
        (&f.customer_number_to, " AND c.number <= "),
        (&f.contract_number, " AND k.number = "),
        (&f.salesperson, " AND c.salesperson = "),
        (&f.payer_number, " AND COALESCE(p.number, c.number) = "),
    ];
    for (v, cond) in texts {
        if let Some(v) = v {
            s.push(cond).bind(v.as_str());
        }
    }
    if let Some(v) = f.payer_id {
        s.push(" AND COALESCE(c.payer_id, c.id) = ").bind(v);
    }
    if let Some(v) = f.currency {
        s.push(" AND i.currency = ").bind(v.code());
    }
    let dates = [
        (f.due_from, " AND i.due_date >= "),
        (f.due_to, " AND i.due_date <= "),
        (f.document_from, " AND d.date >= "),
        (f.document_to, " AND d.date <= "),
    ];
    for (v, cond) in dates {
        if let Some(v) = v {
            s.push(cond).bind(v.to_string());
        }
    }
    if let Some(v) = f.contract_id {
        s.push(" AND d.contract_id = ").bind(v);
    }
    if let Some(v) = f.kind {
        s.push(" AND d.kind = ").bind(v.code());
    }
    if let Some(v) = f.dunning_level {
        s.push(" AND i.dunning_level = ").bind(v);
    }
    s
}

/// The SQL of a sort key in the history (an open amount sorts as the amount; days overdue as the
/// due date, reversed).
fn sort_expr(key: SortKey) -> (&'static str, bool) {
    match key {
        SortKey::DueDate => ("i.due_date", false),
        SortKey::DaysOverdue => ("i.due_date", true),
        SortKey::DocumentDate => ("d.date", false),
        SortKey::DocumentNumber => ("d.number", false),
        SortKey::Kind => ("d.kind", false),
        SortKey::CustomerNumber => ("c.number", false),
        SortKey::CustomerName => ("c.name", false),
        SortKey::PayerNumber => ("COALESCE(p.number, c.number)", false),
        SortKey::Currency => ("i.currency", false),
        SortKey::Amount | SortKey::AmountOpen => ("i.amount", false),
        SortKey::DunningLevel => ("i.dunning_level", false),
        SortKey::ContractNumber => ("k.number", false),
        SortKey::Salesperson => ("c.salesperson", false),
        SortKey::Seq => ("i.seq", false),
    }
}

fn order_by(sorts: &[Sort]) -> String {
    if sorts.is_empty() {
        return " ORDER BY i.due_date DESC, i.id DESC".into();
    }
    let mut parts: Vec<String> = sorts
        .iter()
        .map(|s| {
            let (expr, inverted) = sort_expr(s.key);
            format!("{expr} {}", if s.descending != inverted { "DESC" } else { "ASC" })
        })
        .collect();
    parts.push("i.id ASC".into());
    format!(" ORDER BY {}", parts.join(", "))
}

fn kind(r: &crate::AnyRow) -> anyhow::Result<DocumentKind> {
    let t = row::text(r, "kind")?;
    DocumentKind::parse(&t).ok_or_else(|| anyhow::anyhow!("stored kind {t:?}"))
}

/// One page of settled installments (each with what settled it) and whether more follow.
pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &OpenItemFilter,
    sorts: &[Sort],
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<SettledItem>, bool)> {
    let mut sql = Sql::new(COLUMNS);
    sql.append(&where_clause(company_id, f)).push(&order_by(sorts));
    sql.push(" LIMIT ").bind(limit + 1).push(" OFFSET ").bind(offset);
    let rows = sql.fetch_all(&mut *tx).await?;
    let more = rows.len() as i64 > limit;
    let mut items = rows
        .iter()
        .take(limit as usize)
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(SettledItem {
                installment_id: row::int(r, "id")?,
                document_id: row::int(r, "document_id")?,
                kind: kind(r)?,
                document_number: row::text(r, "number")?,
                document_date: row::date(r, "date")?,
                seq: row::int(r, "seq")?,
                installment_count: row::int(r, "installment_count")?,
                due_date: row::date(r, "due_date")?,
                customer_id: row::int(r, "customer_id")?,
                customer_number: row::text(r, "customer_number")?,
                customer_name: row::text(r, "customer_name")?,
                payer_number: row::text(r, "payer_number")?,
                contract_number: row::opt_text(r, "contract_number")?,
                currency,
                amount: row::money(r, "amount", currency)?,
                dunning_level: row::int(r, "dunning_level")?,
                settled_by: Vec::new(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if items.is_empty() {
        return Ok((items, more));
    }
    // The page's active allocations (neither a reversal nor reversed), in one statement.
    let mut sql = Sql::new(
        "SELECT a.id, a.installment_id, a.currency, a.amount, a.date, a.value_date, a.payment_id, \
         p.number AS payment_number, p.method, p.piece_number, cd.number AS credit_document_number \
         FROM allocations a LEFT JOIN payments p ON p.id = a.payment_id \
         LEFT JOIN installments ci ON ci.id = a.credit_installment_id LEFT JOIN documents cd ON cd.id = ci.document_id \
         WHERE a.company_id = ",
    );
    sql.bind(company_id).push(" AND a.installment_id IN ");
    sql.int_tuple(items.iter().map(|i| Some(i.installment_id)));
    sql.push(" AND a.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id)");
    sql.push(" ORDER BY a.installment_id, a.value_date, a.id");
    for r in sql.fetch_all(&mut *tx).await? {
        let installment = row::int(&r, "installment_id")?;
        let currency = row::currency(&r, "currency")?;
        let s = Settlement {
            allocation_id: row::int(&r, "id")?,
            amount: row::money(&r, "amount", currency)?,
            date: row::date(&r, "date")?,
            value_date: row::date(&r, "value_date")?,
            payment_id: row::opt_int(&r, "payment_id")?,
            payment_number: row::opt_text(&r, "payment_number")?,
            payment_method: row::opt_text(&r, "method")?,
            piece_number: row::opt_text(&r, "piece_number")?,
            credit_document_number: row::opt_text(&r, "credit_document_number")?,
        };
        if let Some(item) = items.iter_mut().find(|i| i.installment_id == installment) {
            item.settled_by.push(s);
        }
    }
    Ok((items, more))
}
