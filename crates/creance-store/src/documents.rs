//! Documents (invoices, credit notes, fee and interest invoices, opening balances) and their
//! installments (SPEC §3). A debit document has one or more installments; a credit note has exactly
//! one, which carries its open credit. Installment amounts always sum to the document total.

use std::collections::HashMap;

use creance_core::{Currency, Date, DocumentKind, Money};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

/// What an import gives for a document; customer and contract are named by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFields {
    pub kind: DocumentKind,
    pub number: String,
    pub customer_number: String,
    pub date: Date,
    pub currency: Currency,
    pub total: Money,
    pub contract_number: Option<String>,
    pub order_ref: String,
    pub text: String,
    /// The payment-term code the installments were computed from, if any.
    pub payment_term: String,
    pub installments: Vec<Due>,
}

/// One due date and amount of a document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub due_date: Date,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installment {
    pub id: i64,
    pub document_id: i64,
    pub seq: i64,
    pub due_date: Date,
    pub amount: Money,
    pub amount_open: Money,
    pub dunning_level: i64,
    pub dunning_date: Option<Date>,
    pub block_until: Option<Date>,
    pub block_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    pub kind: DocumentKind,
    pub number: String,
    pub customer_number: String,
    pub date: Date,
    pub currency: Currency,
    pub total: Money,
    pub amount_open: Money,
    pub contract_number: Option<String>,
    pub order_ref: String,
    pub text: String,
    pub payment_term: String,
    pub installments: Vec<Installment>,
    /// Whether any allocation (active or reversed) touches this document.
    pub has_allocations: bool,
}

impl Document {
    /// The importable view of a stored document, to compare with an incoming one.
    pub fn fields(&self) -> DocumentFields {
        DocumentFields {
            kind: self.kind,
            number: self.number.clone(),
            customer_number: self.customer_number.clone(),
            date: self.date,
            currency: self.currency,
            total: self.total,
            contract_number: self.contract_number.clone(),
            order_ref: self.order_ref.clone(),
            text: self.text.clone(),
            payment_term: self.payment_term.clone(),
            installments: self.installments.iter().map(|i| Due { due_date: i.due_date, amount: i.amount }).collect(),
        }
    }

    pub fn max_dunning_level(&self) -> i64 {
        self.installments.iter().map(|i| i.dunning_level).max().unwrap_or(0)
    }
}

/// A document to write, references resolved to ids.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    pub fields: &'a DocumentFields,
}

/// An installment row to write; `amount_open` is the amount less what the same transaction allocates.
#[derive(Debug, Clone)]
pub struct NewInstallment {
    pub document_id: i64,
    pub customer_id: i64,
    pub kind: DocumentKind,
    pub seq: i64,
    pub due: Due,
    pub amount_open: i64,
}

const DOC_SELECT: &str =
    "SELECT d.id, d.kind, d.number, d.customer_id, c.number AS customer_number, d.date, d.currency, \
     d.total, d.contract_id, k.number AS contract_number, d.order_ref, d.text, d.payment_term \
     FROM documents d JOIN customers c ON c.id = d.customer_id LEFT JOIN contracts k ON k.id = d.contract_id";
const INST_SELECT: &str = "SELECT i.id, i.document_id, i.seq, i.due_date, i.currency, i.amount, i.amount_open, \
     i.dunning_level, i.dunning_date, i.block_until, i.block_reason FROM installments i";

fn document_from_row(r: &crate::AnyRow) -> anyhow::Result<Document> {
    let kind_text = row::text(r, "kind")?;
    let currency = row::currency(r, "currency")?;
    Ok(Document {
        id: row::int(r, "id")?,
        customer_id: row::int(r, "customer_id")?,
        contract_id: row::opt_int(r, "contract_id")?,
        kind: DocumentKind::parse(&kind_text).ok_or_else(|| anyhow::anyhow!("stored kind {kind_text:?}"))?,
        number: row::text(r, "number")?,
        customer_number: row::text(r, "customer_number")?,
        date: row::date(r, "date")?,
        currency,
        total: row::money(r, "total", currency)?,
        amount_open: Money::zero(currency),
        contract_number: row::opt_text(r, "contract_number")?,
        order_ref: row::text(r, "order_ref")?,
        text: row::text(r, "text")?,
        payment_term: row::text(r, "payment_term")?,
        installments: Vec::new(),
        has_allocations: false,
    })
}

pub(crate) fn installment_from_row(r: &crate::AnyRow) -> anyhow::Result<Installment> {
    let currency = row::currency(r, "currency")?;
    Ok(Installment {
        id: row::int(r, "id")?,
        document_id: row::int(r, "document_id")?,
        seq: row::int(r, "seq")?,
        due_date: row::date(r, "due_date")?,
        amount: row::money(r, "amount", currency)?,
        amount_open: row::money(r, "amount_open", currency)?,
        dunning_level: row::int(r, "dunning_level")?,
        dunning_date: row::opt_date(r, "dunning_date")?,
        block_until: row::opt_date(r, "block_until")?,
        block_reason: row::text(r, "block_reason")?,
    })
}

/// Attaches installments, open amounts and the allocation flag to documents, in three set-based queries.
async fn complete(tx: &mut Tx, company_id: i64, docs: &mut [Document]) -> anyhow::Result<()> {
    let index: HashMap<i64, usize> = docs.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
    for chunk in ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(INST_SELECT);
        sql.push(" WHERE i.company_id = ").bind(company_id);
        sql.push(" AND i.document_id IN ").bind_tuple(chunk.iter().map(|id| Value::Int(*id)));
        sql.push(" ORDER BY i.document_id, i.seq");
        for r in sql.fetch_all(tx).await? {
            let inst = installment_from_row(&r)?;
            if let Some(&i) = index.get(&inst.document_id) {
                let doc = &mut docs[i];
                doc.amount_open = doc.amount_open.checked_add(inst.amount_open)?;
                doc.installments.push(inst);
            }
        }
        let mut sql = Sql::new("SELECT DISTINCT i.document_id FROM installments i WHERE i.company_id = ");
        sql.bind(company_id).push(" AND i.document_id IN ").bind_tuple(chunk.iter().map(|id| Value::Int(*id)));
        sql.push(
            " AND (EXISTS (SELECT 1 FROM allocations a WHERE a.company_id = i.company_id AND a.installment_id = i.id)",
        );
        sql.push(" OR EXISTS (SELECT 1 FROM allocations a WHERE a.company_id = i.company_id AND a.credit_installment_id = i.id))");
        for r in sql.fetch_all(tx).await? {
            if let Some(&i) = index.get(&row::int(&r, "document_id")?) {
                docs[i].has_allocations = true;
            }
        }
    }
    Ok(())
}

/// The documents with these numbers (any kind), complete with installments.
pub async fn by_numbers(tx: &mut Tx, company_id: i64, numbers: &[String]) -> anyhow::Result<Vec<Document>> {
    let mut docs = Vec::new();
    for chunk in numbers.chunks(batch_rows(1)) {
        let mut sql = Sql::new(DOC_SELECT);
        sql.push(" WHERE d.company_id = ").bind(company_id);
        sql.push(" AND d.number IN ").bind_tuple(chunk.iter().map(|n| Value::from(n.as_str())));
        for r in sql.fetch_all(tx).await? {
            docs.push(document_from_row(&r)?);
        }
    }
    complete(tx, company_id, &mut docs).await?;
    Ok(docs)
}

/// The documents with these ids (any kind; absent ids are left out), complete with installments.
pub async fn by_ids(tx: &mut Tx, company_id: i64, ids: &[i64]) -> anyhow::Result<Vec<Document>> {
    let mut docs = Vec::new();
    for chunk in ids.chunks(batch_rows(1)) {
        let mut sql = Sql::new(DOC_SELECT);
        sql.push(" WHERE d.company_id = ").bind(company_id);
        sql.push(" AND d.id IN ").bind_tuple(chunk.iter().map(|id| Value::Int(*id)));
        for r in sql.fetch_all(tx).await? {
            docs.push(document_from_row(&r)?);
        }
    }
    complete(tx, company_id, &mut docs).await?;
    Ok(docs)
}

pub async fn get(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<Document>> {
    let mut sql = Sql::new(DOC_SELECT);
    sql.push(" WHERE d.company_id = ").bind(company_id).push(" AND d.id = ").bind(id);
    let Some(r) = sql.fetch_optional(tx).await? else {
        return Ok(None);
    };
    let mut docs = vec![document_from_row(&r)?];
    complete(tx, company_id, &mut docs).await?;
    Ok(docs.pop())
}

/// Filters for the document list.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub customer_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub kind: Option<DocumentKind>,
    pub date_from: Option<Date>,
    pub date_to: Option<Date>,
    pub number: Option<String>,
}

/// One page of documents, newest first, and the total count.
pub async fn list(
    tx: &mut Tx,
    company_id: i64,
    f: &DocumentFilter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<(Vec<Document>, i64)> {
    let mut filter = Sql::new(" WHERE d.company_id = ");
    filter.bind(company_id);
    if let Some(v) = f.customer_id {
        filter.push(" AND d.customer_id = ").bind(v);
    }
    if let Some(v) = f.contract_id {
        filter.push(" AND d.contract_id = ").bind(v);
    }
    if let Some(v) = f.kind {
        filter.push(" AND d.kind = ").bind(v.code());
    }
    if let Some(v) = f.date_from {
        filter.push(" AND d.date >= ").bind(v.to_string());
    }
    if let Some(v) = f.date_to {
        filter.push(" AND d.date <= ").bind(v.to_string());
    }
    if let Some(v) = &f.number {
        filter.push(" AND d.number = ").bind(v.as_str());
    }
    let count = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM documents d";
    let order = " ORDER BY d.date DESC, d.id DESC";
    let (rows, total) = crate::sql::page(tx, count, DOC_SELECT, &filter, order, limit, offset).await?;
    let mut docs = rows.iter().map(document_from_row).collect::<anyhow::Result<Vec<_>>>()?;
    complete(tx, company_id, &mut docs).await?;
    Ok((docs, total))
}

pub async fn get_installment(tx: &mut Tx, company_id: i64, id: i64) -> anyhow::Result<Option<Installment>> {
    let mut sql = Sql::new(INST_SELECT);
    sql.push(" WHERE i.company_id = ").bind(company_id).push(" AND i.id = ").bind(id);
    sql.fetch_optional(tx).await?.as_ref().map(installment_from_row).transpose()
}

/// Inserts documents in multi-row statements; returns `(id, kind, number)`.
pub async fn insert_bulk(
    tx: &mut Tx,
    company_id: i64,
    docs: &[NewDocument<'_>],
) -> anyhow::Result<Vec<(i64, DocumentKind, String)>> {
    let now = tx.at()?;
    let mut out = Vec::with_capacity(docs.len());
    for chunk in docs.chunks(batch_rows(14)) {
        let mut sql = Sql::new(
            "INSERT INTO documents (company_id, kind, number, customer_id, date, currency, total, contract_id, order_ref, \
             text, payment_term, created_at, updated_at) VALUES ",
        );
        for (i, d) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            let f = d.fields;
            sql.bind_tuple([
                company_id.into(),
                f.kind.code().into(),
                f.number.as_str().into(),
                d.customer_id.into(),
                f.date.to_string().into(),
                f.currency.code().into(),
                f.total.minor().into(),
                d.contract_id.into(),
                f.order_ref.as_str().into(),
                f.text.as_str().into(),
                f.payment_term.as_str().into(),
                now.as_str().into(),
                now.as_str().into(),
            ]);
        }
        sql.push(" RETURNING id, kind, number");
        for r in sql.fetch_all(tx).await? {
            let kind_text = row::text(&r, "kind")?;
            let kind = DocumentKind::parse(&kind_text).ok_or_else(|| anyhow::anyhow!("stored kind {kind_text:?}"))?;
            out.push((row::int(&r, "id")?, kind, row::text(&r, "number")?));
        }
    }
    Ok(out)
}

/// Inserts installments in multi-row statements.
pub async fn insert_installments_bulk(tx: &mut Tx, company_id: i64, rows: &[NewInstallment]) -> anyhow::Result<()> {
    insert_installments_in(tx, company_id, rows, false).await.map(drop)
}

/// An installment written by [`insert_installments_bulk_returning`]: its id by document and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstallmentWritten {
    pub id: i64,
    pub document_id: i64,
    pub seq: i64,
}

/// Inserts installments as [`insert_installments_bulk`] and returns their ids (in no promised order).
pub async fn insert_installments_bulk_returning(
    tx: &mut Tx,
    company_id: i64,
    rows: &[NewInstallment],
) -> anyhow::Result<Vec<InstallmentWritten>> {
    insert_installments_in(tx, company_id, rows, true).await
}

async fn insert_installments_in(
    tx: &mut Tx,
    company_id: i64,
    rows: &[NewInstallment],
    returning: bool,
) -> anyhow::Result<Vec<InstallmentWritten>> {
    let mut out = Vec::new();
    for chunk in rows.chunks(batch_rows(9)) {
        let mut sql = Sql::new(
            "INSERT INTO installments (company_id, document_id, customer_id, currency, side, seq, due_date, amount, amount_open) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                r.document_id.into(),
                r.customer_id.into(),
                r.due.amount.currency().code().into(),
                r.kind.sign().into(),
                r.seq.into(),
                r.due.due_date.to_string().into(),
                r.due.amount.minor().into(),
                r.amount_open.into(),
            ]);
        }
        if returning {
            sql.push(" RETURNING id, document_id, seq");
            for r in sql.fetch_all(tx).await? {
                out.push(InstallmentWritten {
                    id: row::int(&r, "id")?,
                    document_id: row::int(&r, "document_id")?,
                    seq: row::int(&r, "seq")?,
                });
            }
        } else {
            sql.execute(tx).await?;
        }
    }
    Ok(out)
}

/// Rewrites documents that nothing has touched yet (no allocation, never dunned), `(id, document)`:
/// their headers are updated and their installments replaced, in one `UPDATE … FROM (VALUES …)` and
/// one `DELETE` per [`batch_rows`] documents, then multi-row inserts. The caller has checked that
/// they are untouched.
pub async fn replace_untouched_bulk(
    tx: &mut Tx,
    company_id: i64,
    docs: &[(i64, NewDocument<'_>)],
) -> anyhow::Result<()> {
    let now = tx.at()?;
    for chunk in docs.chunks(batch_rows(9)) {
        let mut sql = Sql::new(
            "UPDATE documents SET customer_id = v.column2, date = v.column3, currency = v.column4, total = v.column5, \
             contract_id = v.column6, order_ref = v.column7, text = v.column8, payment_term = v.column9, updated_at = ",
        );
        sql.bind(now.as_str()).push(" FROM (VALUES ");
        for (i, (id, d)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            let f = d.fields;
            sql.bind_tuple([
                (*id).into(),
                d.customer_id.into(),
                f.date.to_string().into(),
                f.currency.code().into(),
                f.total.minor().into(),
                d.contract_id.into(),
                f.order_ref.as_str().into(),
                f.text.as_str().into(),
                f.payment_term.as_str().into(),
            ]);
        }
        sql.push(") AS v WHERE documents.id = v.column1 AND documents.company_id = ").bind(company_id);
        let n = sql.execute(tx).await?;
        anyhow::ensure!(n == chunk.len() as u64, "{n} of {} documents found to replace", chunk.len());
        // No allocation may name an installment deleted here. On PostgreSQL allocations keep no
        // foreign keys (migration 0027): the installments are locked first (an allocation being
        // written holds them, and one that comes later waits, then finds them gone and fails), and
        // the allocations are read after the lock, so the count sees every committed one.
        let ids = || chunk.iter().map(|(id, _)| Value::Int(*id));
        let lock = crate::payments::lock_clause(tx, "installments");
        let mut locked = Sql::new("SELECT id FROM installments WHERE company_id = ");
        locked.bind(company_id).push(" AND document_id IN ").bind_tuple(ids()).push(&lock);
        locked.fetch_all(tx).await?;
        let mut named = Sql::new("SELECT COUNT(*) AS n FROM installments i WHERE i.company_id = ");
        named.bind(company_id).push(" AND i.document_id IN ").bind_tuple(ids());
        named.push(" AND (EXISTS (SELECT 1 FROM allocations a WHERE a.company_id = ").bind(company_id);
        named.push(" AND a.installment_id = i.id) OR EXISTS (SELECT 1 FROM allocations a WHERE a.company_id = ");
        named.bind(company_id).push(" AND a.credit_installment_id = i.id))");
        let n = row::int(&named.fetch_one(tx).await?, "n")?;
        anyhow::ensure!(n == 0, "company {company_id}: {n} installment(s) to replace have allocations");
        let mut del = Sql::new("DELETE FROM installments WHERE company_id = ");
        del.bind(company_id).push(" AND document_id IN ");
        del.bind_tuple(chunk.iter().map(|(id, _)| Value::Int(*id)));
        del.execute(tx).await?;
    }
    let rows: Vec<NewInstallment> = docs
        .iter()
        .flat_map(|(id, doc)| {
            let f = doc.fields;
            f.installments.iter().enumerate().map(move |(i, due)| NewInstallment {
                document_id: *id,
                customer_id: doc.customer_id,
                kind: f.kind,
                seq: i as i64 + 1,
                due: *due,
                amount_open: due.amount.minor(),
            })
        })
        .collect();
    insert_installments_bulk(tx, company_id, &rows).await
}
