//! Payments received and their allocations (SPEC §3, §4.1). This is the storage side only: the rules
//! (what may be allocated to what) live in the core and are applied by the application crate, which
//! writes allocations and the installments' open amounts in one transaction.

use creance_core::{Date, Money};

use crate::{batch_rows, Sql, Tx, Value};

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

/// Inserts payments (numbered by the caller from the company's series).
pub async fn insert_bulk(tx: &mut Tx, company_id: i64, payments: &[NewPayment]) -> anyhow::Result<()> {
    let now = crate::clock::now_rfc3339();
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
        sql.execute(&mut **tx).await?;
    }
    Ok(())
}

/// An installment named by its document and position, for writing rows that refer to installments
/// without reading their ids back first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstallmentKey {
    pub document_id: i64,
    pub seq: i64,
}

/// The credit side of an allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credit {
    /// A payment, by its number.
    Payment(String),
    /// A credit note's installment.
    CreditNote(InstallmentKey),
}

/// An allocation of a credit to an installment. The caller has checked it against both sides
/// (SPEC §4.1) and lowers the installments' `amount_open` in the same transaction.
#[derive(Debug, Clone)]
pub struct NewAllocation {
    pub credit: Credit,
    pub target: InstallmentKey,
    pub amount: Money,
    pub date: Date,
}

/// Inserts allocations in multi-row statements that find the payment and the installments by key
/// (one join per statement, no id read back). Returns the number of rows written, which must equal
/// the number given: a key that matches nothing is an error.
pub async fn insert_allocations_bulk(tx: &mut Tx, company_id: i64, rows: &[NewAllocation]) -> anyhow::Result<()> {
    let now = crate::clock::now_rfc3339();
    for chunk in rows.chunks(batch_rows(8)) {
        let mut sql = Sql::new(
            "INSERT INTO allocations (company_id, payment_id, credit_installment_id, installment_id, currency, amount, date, created_at) \
             SELECT t.company_id, p.id, c.id, t.id, t.currency, v.column6, v.column7, ",
        );
        sql.bind(now.as_str()).push(" FROM (VALUES ");
        for (i, a) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            let (payment, credit_doc, credit_seq) = match &a.credit {
                Credit::Payment(number) => (Value::from(number.as_str()), Value::NullInt, Value::NullInt),
                Credit::CreditNote(k) => (Value::NullText, Value::Int(k.document_id), Value::Int(k.seq)),
            };
            sql.bind_tuple([
                payment,
                credit_doc,
                credit_seq,
                a.target.document_id.into(),
                a.target.seq.into(),
                a.amount.minor().into(),
                a.date.to_string().into(),
                a.amount.currency().code().into(),
            ]);
        }
        sql.push(") AS v JOIN installments t ON t.company_id = ").bind(company_id);
        sql.push(" AND t.document_id = v.column4 AND t.seq = v.column5 AND t.currency = v.column8");
        sql.push(" LEFT JOIN payments p ON p.company_id = ").bind(company_id);
        sql.push(" AND p.number = v.column1 AND p.currency = v.column8");
        sql.push(" LEFT JOIN installments c ON c.company_id = ").bind(company_id);
        sql.push(" AND c.document_id = v.column2 AND c.seq = v.column3 AND c.currency = v.column8");
        sql.push(" WHERE (p.id IS NULL) <> (c.id IS NULL)");
        let written = sql.execute(&mut **tx).await?;
        anyhow::ensure!(
            written == chunk.len() as u64,
            "{} of {} allocations found their payment or installments",
            written,
            chunk.len()
        );
    }
    Ok(())
}
