//! Payments received and their allocations (SPEC §3, §4.1). This is the storage side only: the rules
//! (what may be allocated to what) live in the core and are applied by the application crate, which
//! writes allocations and the installments' open amounts in one transaction.

use creance_core::{Date, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx};

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub number: String,
    pub customer_id: i64,
    pub date: Date,
    pub amount: Money,
    pub method: String,
    pub piece_number: String,
    pub order_ref: String,
    pub note: String,
}

/// Inserts payments; returns `(id, number)`.
pub async fn insert_bulk(
    tx: &mut Tx,
    company_id: i64,
    payments: &[NewPayment],
) -> anyhow::Result<Vec<(i64, String)>> {
    let now = crate::audit::now_rfc3339();
    let mut out = Vec::with_capacity(payments.len());
    for chunk in payments.chunks(batch_rows(11)) {
        let mut sql = Sql::new(
            "INSERT INTO payments (company_id, number, customer_id, date, currency, amount, method, piece_number, order_ref, note, created_at) VALUES ",
        );
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                p.number.as_str().into(),
                p.customer_id.into(),
                p.date.to_string().into(),
                p.amount.currency().code().into(),
                p.amount.minor().into(),
                p.method.as_str().into(),
                p.piece_number.as_str().into(),
                p.order_ref.as_str().into(),
                p.note.as_str().into(),
                now.as_str().into(),
            ]);
        }
        sql.push(" RETURNING id, number");
        for r in sql.fetch_all(&mut **tx).await? {
            out.push((row::int(&r, "id")?, row::text(&r, "number")?));
        }
    }
    Ok(out)
}

/// An allocation of a payment to an installment. The caller has checked it against both sides
/// (SPEC §4.1) and lowers the installment's `amount_open` in the same transaction.
#[derive(Debug, Clone)]
pub struct NewAllocation {
    /// The payment allocated, or
    pub payment_id: Option<i64>,
    /// the credit note's installment allocated.
    pub credit_installment_id: Option<i64>,
    pub installment_id: i64,
    pub amount: Money,
    pub date: Date,
}

pub async fn insert_allocations_bulk(
    tx: &mut Tx,
    company_id: i64,
    rows: &[NewAllocation],
) -> anyhow::Result<()> {
    let now = crate::audit::now_rfc3339();
    for chunk in rows.chunks(batch_rows(8)) {
        let mut sql =
            Sql::new("INSERT INTO allocations (company_id, payment_id, credit_installment_id, installment_id, currency, amount, date, created_at) VALUES ");
        for (i, a) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                a.payment_id.into(),
                a.credit_installment_id.into(),
                a.installment_id.into(),
                a.amount.currency().code().into(),
                a.amount.minor().into(),
                a.date.to_string().into(),
                now.as_str().into(),
            ]);
        }
        sql.execute(&mut **tx).await?;
    }
    Ok(())
}
