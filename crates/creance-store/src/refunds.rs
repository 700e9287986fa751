//! Refunds (SPEC §3, §4.3): money paid back to a customer, consuming the unallocated credit of
//! payments or credit notes through append-only refund allocations. `amount_open` is what the refund
//! still has "to allocate".

use creance_core::{Date, Money, RefundReason};

use crate::allocations::CreditId;
use crate::row;
use crate::{Sql, Tx, Value};

#[derive(Debug, Clone)]
pub struct NewRefund {
    pub number: String,
    pub customer_id: i64,
    pub date: Date,
    pub amount: Money,
    pub reason: RefundReason,
    pub method: String,
    pub piece_number: String,
    pub bank_account_id: Option<i64>,
    pub note: String,
}

pub async fn insert(tx: &mut Tx, company_id: i64, r: &NewRefund) -> anyhow::Result<i64> {
    let row = Sql::new(
        "INSERT INTO refunds (company_id, number, customer_id, date, currency, amount, amount_open, reason, method, \
         piece_number, bank_account_id, note, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        r.number.as_str().into(),
        r.customer_id.into(),
        r.date.to_string().into(),
        r.amount.currency().code().into(),
        r.amount.minor().into(),
        r.amount.minor().into(),
        r.reason.code().into(),
        r.method.as_str().into(),
        r.piece_number.as_str().into(),
        r.bank_account_id.into(),
        r.note.as_str().into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&row, "id")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub date: Date,
    pub amount: Money,
    /// What is not yet allocated to a payment or credit note ("to allocate").
    pub to_allocate: Money,
    /// overpayment, credit_note, duplicate_payment, cancelled_order or other.
    pub reason: String,
    pub method: String,
    pub piece_number: String,
    pub bank_account_id: Option<i64>,
    pub note: String,
    pub allocations: Vec<RefundAllocation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAllocation {
    pub id: i64,
    pub payment_id: Option<i64>,
    pub payment_number: Option<String>,
    pub credit_installment_id: Option<i64>,
    pub credit_document_number: Option<String>,
    pub amount: Money,
    pub date: Date,
    pub reverses_id: Option<i64>,
    pub reversed_by: Option<i64>,
}

const SELECT: &str =
    "SELECT r.id, r.number, r.customer_id, c.number AS customer_number, c.name AS customer_name, r.date, \
     r.currency, r.amount, r.amount_open, r.reason, r.method, r.piece_number, r.bank_account_id, r.note \
     FROM refunds r JOIN customers c ON c.id = r.customer_id";

fn from_row(r: &crate::AnyRow) -> anyhow::Result<Refund> {
    let currency = row::currency(r, "currency")?;
    Ok(Refund {
        id: row::int(r, "id")?,
        number: row::text(r, "number")?,
        customer_id: row::int(r, "customer_id")?,
        customer_number: row::text(r, "customer_number")?,
        customer_name: row::text(r, "customer_name")?,
        date: row::date(r, "date")?,
        amount: row::money(r, "amount", currency)?,
        to_allocate: row::money(r, "amount_open", currency)?,
        reason: row::text(r, "reason")?,
        method: row::text(r, "method")?,
        piece_number: row::text(r, "piece_number")?,
        bank_account_id: row::opt_int(r, "bank_account_id")?,
        note: row::text(r, "note")?,
        allocations: Vec::new(),
    })
}

pub async fn get(tx: &mut Tx, company_id: i64, id: i64, lock: bool) -> anyhow::Result<Option<Refund>> {
    let lock = if lock { crate::payments::lock_clause(tx, "r") } else { String::new() };
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE r.company_id = ").bind(company_id).push(" AND r.id = ").bind(id).push(&lock);
    let Some(mut refund) = sql.fetch_optional(tx).await?.as_ref().map(from_row).transpose()? else {
        return Ok(None);
    };
    let rows = Sql::new(
        "SELECT a.id, a.payment_id, p.number AS payment_number, a.credit_installment_id, d.number AS credit_document_number, \
         a.currency, a.amount, a.date, a.reverses_id, x.id AS reversed_by FROM refund_allocations a \
         LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments i ON i.id = a.credit_installment_id \
         LEFT JOIN documents d ON d.id = i.document_id LEFT JOIN refund_allocations x ON x.reverses_id = a.id \
         WHERE a.company_id = ",
    )
    .bind(company_id)
    .push(" AND a.refund_id = ")
    .bind(id)
    .push(" ORDER BY a.id")
    .fetch_all(tx)
    .await?;
    for r in &rows {
        let currency = row::currency(r, "currency")?;
        refund.allocations.push(RefundAllocation {
            id: row::int(r, "id")?,
            payment_id: row::opt_int(r, "payment_id")?,
            payment_number: row::opt_text(r, "payment_number")?,
            credit_installment_id: row::opt_int(r, "credit_installment_id")?,
            credit_document_number: row::opt_text(r, "credit_document_number")?,
            amount: row::money(r, "amount", currency)?,
            date: row::date(r, "date")?,
            reverses_id: row::opt_int(r, "reverses_id")?,
            reversed_by: row::opt_int(r, "reversed_by")?,
        });
    }
    Ok(Some(refund))
}

/// Refunds of the customer with this amount and piece number dated within `days` of `date`: the
/// likely duplicates of a refund about to be recorded (without their allocations).
pub async fn likely_duplicates(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    amount: Money,
    piece_number: &str,
    date: Date,
    days: i64,
) -> anyhow::Result<Vec<Refund>> {
    let mut sql = Sql::new(SELECT);
    sql.push(" WHERE r.company_id = ").bind(company_id);
    sql.push(" AND r.customer_id = ").bind(customer_id);
    sql.push(" AND r.piece_number = ").bind(piece_number);
    sql.push(" AND r.currency = ").bind(amount.currency().code());
    sql.push(" AND r.amount = ").bind(amount.minor());
    sql.push(" AND r.date >= ").bind(date.add_days(-days).to_string());
    sql.push(" AND r.date <= ").bind(date.add_days(days).to_string());
    sql.push(" ORDER BY r.date, r.id");
    sql.fetch_all(tx).await?.iter().map(from_row).collect()
}

#[derive(Debug, Clone, Default)]
pub struct RefundFilter {
    pub customer_id: Option<i64>,
    /// Only refunds still waiting to be allocated.
    pub to_allocate: bool,
    /// Only refunds allocated in full (nothing left "to allocate").
    pub allocated: bool,
    pub date_from: Option<Date>,
    pub date_to: Option<Date>,
}

pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &RefundFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Refund>, i64)> {
    let filter = where_clause(company_id, f);
    let (rows, total) = crate::sql::page(
        tx,
        "SELECT COUNT(*) AS n FROM refunds r",
        SELECT,
        &filter,
        " ORDER BY r.date DESC, r.id DESC",
        limit,
        offset,
    )
    .await?;
    Ok((rows.iter().map(from_row).collect::<anyhow::Result<_>>()?, total))
}

/// The `WHERE` clause of the refunds `f` selects (over `refunds r`), shared by [`list`] and the
/// list's totals (`list_totals::refunds`).
pub(crate) fn where_clause(company_id: i64, f: &RefundFilter) -> Sql {
    let mut filter = Sql::new(" WHERE r.company_id = ");
    filter.bind(company_id);
    if let Some(v) = f.customer_id {
        filter.push(" AND r.customer_id = ").bind(v);
    }
    if f.to_allocate {
        filter.push(" AND r.amount_open > 0");
    }
    if f.allocated {
        filter.push(" AND r.amount_open = 0");
    }
    if let Some(v) = f.date_from {
        filter.push(" AND r.date >= ").bind(v.to_string());
    }
    if let Some(v) = f.date_to {
        filter.push(" AND r.date <= ").bind(v.to_string());
    }
    filter
}

/// Inserts refund allocations: so much of this credit consumed by the refund.
pub async fn insert_allocations(
    tx: &mut Tx,
    company_id: i64,
    refund_id: i64,
    rows: &[(CreditId, Money)],
    date: Date,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let now = tx.at()?;
    let mut sql = Sql::new(
        "INSERT INTO refund_allocations (company_id, refund_id, payment_id, credit_installment_id, currency, amount, date, created_at) VALUES ",
    );
    for (i, (credit, amount)) in rows.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        let (p, c) = match credit {
            CreditId::Payment(id) => (Value::Int(*id), Value::NullInt),
            CreditId::CreditNote(id) => (Value::NullInt, Value::Int(*id)),
        };
        sql.bind_tuple([
            company_id.into(),
            refund_id.into(),
            p,
            c,
            amount.currency().code().into(),
            amount.minor().into(),
            date.to_string().into(),
            now.as_str().into(),
        ]);
    }
    sql.execute(tx).await?;
    Ok(())
}

/// One refund allocation with its refund: `(refund_id, allocation)`.
pub async fn get_allocation(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<(i64, RefundAllocation)>> {
    let r = Sql::new(
        "SELECT a.refund_id, a.id, a.payment_id, p.number AS payment_number, a.credit_installment_id, \
         d.number AS credit_document_number, a.currency, a.amount, a.date, a.reverses_id, x.id AS reversed_by \
         FROM refund_allocations a LEFT JOIN payments p ON p.id = a.payment_id \
         LEFT JOIN installments i ON i.id = a.credit_installment_id LEFT JOIN documents d ON d.id = i.document_id \
         LEFT JOIN refund_allocations x ON x.reverses_id = a.id WHERE a.company_id = ",
    )
    .bind(company_id)
    .push(" AND a.id = ")
    .bind(id)
    .fetch_optional(tx)
    .await?;
    let Some(r) = r else { return Ok(None) };
    let currency = row::currency(&r, "currency")?;
    Ok(Some((
        row::int(&r, "refund_id")?,
        RefundAllocation {
            id: row::int(&r, "id")?,
            payment_id: row::opt_int(&r, "payment_id")?,
            payment_number: row::opt_text(&r, "payment_number")?,
            credit_installment_id: row::opt_int(&r, "credit_installment_id")?,
            credit_document_number: row::opt_text(&r, "credit_document_number")?,
            amount: row::money(&r, "amount", currency)?,
            date: row::date(&r, "date")?,
            reverses_id: row::opt_int(&r, "reverses_id")?,
            reversed_by: row::opt_int(&r, "reversed_by")?,
        },
    )))
}

/// Appends the reversal of a refund allocation (the unique index allows one); returns its id.
pub async fn reverse_allocation(
    tx: &mut Tx,
    company_id: i64,
    refund_id: i64,
    a: &RefundAllocation,
    date: Date,
) -> anyhow::Result<i64> {
    let r = Sql::new(
        "INSERT INTO refund_allocations (company_id, refund_id, payment_id, credit_installment_id, currency, amount, date, \
         reverses_id, created_at) VALUES ",
    )
    .bind_tuple([
        company_id.into(),
        refund_id.into(),
        a.payment_id.into(),
        a.credit_installment_id.into(),
        a.amount.currency().code().into(),
        a.amount.minor().into(),
        date.to_string().into(),
        a.id.into(),
        tx.at()?.into(),
    ])
    .push(" RETURNING id")
    .fetch_one(tx)
    .await?;
    row::int(&r, "id")
}
