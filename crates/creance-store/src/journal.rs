//! The journal (SPEC §4.9): every money event books a balanced entry, written set-based from the rows
//! it books (one `INSERT … SELECT` per kind of event, whatever the number of rows). Entries are keyed by
//! `entry` (`D12` document 12, `P7` payment 7, `P7-X` its cancellation, `A9` the transfer of allocation
//! 9 between two customers' accounts, `R3` refund 3, `B2` deposit 2); they are numbered per journal
//! only when exported. Receivable lines carry the customer (its auxiliary account).

use creance_core::Date;

use crate::row;
use crate::settings::{journals, AccountCodes};
use crate::{Sql, Tx, Value};

/// Which rows of the booked table: these ids, or every id above one (bulk loads in one transaction).
#[derive(Debug, Clone, Copy)]
pub enum Rows<'a> {
    Ids(&'a [i64]),
    After(i64),
}

fn push_rows(sql: &mut Sql, column: &str, rows: Rows<'_>) {
    match rows {
        Rows::Ids(ids) => {
            sql.push(&format!(" AND {column} IN "));
            if ids.is_empty() {
                sql.push("(NULL)");
            } else {
                sql.bind_tuple(ids.iter().map(|id| Value::Int(*id)));
            }
        }
        Rows::After(id) => {
            sql.push(&format!(" AND {column} > ")).bind(id);
        }
    }
}

const INSERT: &str =
    "INSERT INTO journal_lines (company_id, entry, journal, date, source, source_id, piece_ref, label, \
     account, customer_id, currency, debit, credit, created_at) ";

/// Books documents: receivable (the customer) against sales, fee income, interest income or opening
/// balance; a credit note the other way round. `suffix` distinguishes a re-booking after a replacement.
pub async fn book_documents(
    tx: &mut Tx,
    company_id: i64,
    codes: &AccountCodes,
    rows: Rows<'_>,
    suffix: &str,
) -> anyhow::Result<()> {
    for chunk in chunks(rows) {
        let now = tx.at()?;
        let mut sql = Sql::new(INSERT);
        for (n, receivable) in [(0, true), (1, false)] {
            if n > 0 {
                sql.push(" UNION ALL ");
            }
            sql.push("SELECT d.company_id, 'D' || CAST(d.id AS TEXT) || ").bind(suffix);
            sql.push(", ").bind(journals::SALES).push(", d.date, 'document', d.id, d.number, ");
            sql.push("(CASE d.kind WHEN 'credit_note' THEN 'Avoir ' WHEN 'fee_invoice' THEN 'Frais ' WHEN 'interest_invoice' THEN 'Intérêts ' WHEN 'opening_balance' THEN 'Solde ' ELSE 'Facture ' END) || d.number, ");
            if receivable {
                sql.bind(codes.code("receivable")).push(", d.customer_id, ");
            } else {
                sql.push("CASE d.kind WHEN 'fee_invoice' THEN ").bind(codes.code("fee_income"));
                sql.push(" WHEN 'interest_invoice' THEN ").bind(codes.code("interest_income"));
                sql.push(" WHEN 'opening_balance' THEN ").bind(codes.code("opening"));
                sql.push(" ELSE ").bind(codes.code("sales")).push(" END, CAST(NULL AS BIGINT), ");
            }
            // The receivable line is a debit for a debit document; the counterpart is the other side.
            let debit_when = if receivable { "<>" } else { "=" };
            sql.push(&format!(
                "d.currency, CASE WHEN d.kind {debit_when} 'credit_note' THEN d.total ELSE 0 END, \
                 CASE WHEN d.kind {debit_when} 'credit_note' THEN 0 ELSE d.total END, "
            ));
            sql.bind(now.as_str()).push(" FROM documents d WHERE d.company_id = ").bind(company_id);
            sql.push(" AND d.total > 0");
            push_rows(&mut sql, "d.id", chunk);
        }
        sql.execute(tx).await?;
    }
    Ok(())
}

/// Splits an id list so that one statement stays under the parameter bound.
fn chunks(rows: Rows<'_>) -> Vec<Rows<'_>> {
    match rows {
        Rows::Ids(ids) => ids.chunks(10_000).map(Rows::Ids).collect(),
        after => vec![after],
    }
}

/// Books the reversal of everything booked so far for one source row (a cancelled payment): see
/// [`reverse_sources`].
pub async fn reverse_source(
    tx: &mut Tx,
    company_id: i64,
    source: &str,
    source_id: i64,
    entry: &str,
    date: Date,
    label: &str,
) -> anyhow::Result<()> {
    reverse_sources(tx, company_id, source, &[Reversal { source_id, entry, date, label }]).await
}

/// The reversal of one source row: its entry, date and label.
#[derive(Debug, Clone, Copy)]
pub struct Reversal<'a> {
    pub source_id: i64,
    pub entry: &'a str,
    pub date: Date,
    pub label: &'a str,
}

/// At most this many reversals per statement (4 parameters each).
const REVERSALS_PER_STATEMENT: usize = 2_000;

/// Books the reversal of everything booked so far for each source row (documents replaced by an
/// import, a cancelled payment): one line per source row, account and customer that nets it to zero.
/// One `INSERT … SELECT` joined to a `VALUES` table of the reversals per 2,000 of them; each entry's
/// lines in account, customer and currency order.
pub async fn reverse_sources(
    tx: &mut Tx,
    company_id: i64,
    source: &str,
    reversals: &[Reversal<'_>],
) -> anyhow::Result<()> {
    for chunk in reversals.chunks(REVERSALS_PER_STATEMENT) {
        let mut sql = Sql::new(INSERT);
        sql.push("SELECT j.company_id, v.column2, MIN(j.journal), v.column3, j.source, j.source_id, ");
        sql.push("MIN(j.piece_ref), v.column4, j.account, j.customer_id, j.currency, ");
        sql.push(
            "CASE WHEN SUM(j.credit) > SUM(j.debit) THEN CAST(SUM(j.credit) - SUM(j.debit) AS BIGINT) ELSE 0 END, ",
        );
        sql.push(
            "CASE WHEN SUM(j.debit) > SUM(j.credit) THEN CAST(SUM(j.debit) - SUM(j.credit) AS BIGINT) ELSE 0 END, ",
        );
        sql.bind(tx.at()?).push(" FROM journal_lines j JOIN (VALUES ");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([r.source_id.into(), r.entry.into(), r.date.to_string().into(), r.label.into()]);
        }
        sql.push(") AS v ON v.column1 = j.source_id WHERE j.company_id = ").bind(company_id);
        sql.push(" AND j.source = ").bind(source);
        sql.push(
            " GROUP BY j.company_id, j.source, j.source_id, j.account, j.customer_id, j.currency, v.column2, \
             v.column3, v.column4 HAVING SUM(j.debit) <> SUM(j.credit) \
             ORDER BY j.source_id, j.account, j.customer_id, j.currency",
        );
        sql.execute(tx).await?;
    }
    Ok(())
}

/// How many lines a source row has booked (to name a re-booking's entry uniquely).
pub async fn count_lines(tx: &mut Tx, company_id: i64, source: &str, source_id: i64) -> anyhow::Result<i64> {
    Ok(count_lines_of(tx, company_id, source, &[source_id]).await?.get(&source_id).copied().unwrap_or(0))
}

/// [`count_lines`] of each of `source_ids` (absent: none): one `GROUP BY` per 10,000 ids.
pub async fn count_lines_of(
    tx: &mut Tx,
    company_id: i64,
    source: &str,
    source_ids: &[i64],
) -> anyhow::Result<std::collections::HashMap<i64, i64>> {
    let mut out = std::collections::HashMap::with_capacity(source_ids.len());
    for chunk in source_ids.chunks(10_000) {
        let mut sql = Sql::new("SELECT source_id, COUNT(*) AS n FROM journal_lines WHERE company_id = ");
        sql.bind(company_id).push(" AND source = ").bind(source).push(" AND source_id IN ");
        sql.bind_tuple(chunk.iter().map(|id| Value::Int(*id)));
        for r in sql.push(" GROUP BY source_id").fetch_all(tx).await? {
            out.insert(row::int(&r, "source_id")?, row::int(&r, "n")?);
        }
    }
    Ok(out)
}

/// Books payments received: the bank (the deposit bank's account, or the default) or, for a method that
/// needs depositing, cheques to deposit; against the customer's receivable.
pub async fn book_payments(tx: &mut Tx, company_id: i64, codes: &AccountCodes, rows: Rows<'_>) -> anyhow::Result<()> {
    let now = tx.at()?;
    for chunk in chunks(rows) {
        let mut sql = Sql::new(INSERT);
        push_payment_lines(&mut sql, company_id, codes, chunk, &now);
        sql.execute(tx).await?;
    }
    Ok(())
}

/// Books one payment just recorded ([`book_payments`]) and the transfers of its allocations
/// ([`book_allocation_transfers`]) in one statement: a recording's journal is one round trip.
pub async fn book_payment_with_transfers(
    tx: &mut Tx,
    company_id: i64,
    codes: &AccountCodes,
    payment_id: i64,
    allocation_ids: &[i64],
) -> anyhow::Result<()> {
    let now = tx.at()?;
    let mut sql = Sql::new(INSERT);
    push_payment_lines(&mut sql, company_id, codes, Rows::Ids(&[payment_id]), &now);
    if !allocation_ids.is_empty() {
        anyhow::ensure!(allocation_ids.len() <= 10_000, "{} allocations in one recording", allocation_ids.len());
        sql.push(" UNION ALL ");
        push_transfer_lines(&mut sql, company_id, codes, Rows::Ids(allocation_ids), &now);
    }
    sql.execute(tx).await?;
    Ok(())
}

/// The bank-or-cheques line and the receivable line of each payment, as two `SELECT`s joined by
/// `UNION ALL`.
fn push_payment_lines(sql: &mut Sql, company_id: i64, codes: &AccountCodes, rows: Rows<'_>, now: &str) {
    for receivable in [false, true] {
        if receivable {
            sql.push(" UNION ALL ");
        }
        sql.push("SELECT p.company_id, 'P' || CAST(p.id AS TEXT), COALESCE(b.journal_code, ").bind(journals::BANK);
        sql.push("), p.date, 'payment', p.id, p.number, 'Règlement ' || p.number || ' ' || p.method, ");
        if receivable {
            sql.bind(codes.code("receivable")).push(", p.customer_id, p.currency, 0, p.amount, ");
        } else {
            sql.push("CASE WHEN m.needs_deposit = 1 THEN ").bind(codes.code("cheques_to_deposit"));
            sql.push(" ELSE COALESCE(b.account_code, ").bind(codes.code("bank"));
            sql.push(") END, CAST(NULL AS BIGINT), p.currency, p.amount, 0, ");
        }
        sql.bind(now);
        sql.push(
            " FROM payments p LEFT JOIN payment_methods m ON m.company_id = p.company_id AND m.code = p.method \
             LEFT JOIN bank_accounts b ON b.id = p.deposit_bank_id WHERE p.company_id = ",
        )
        .bind(company_id);
        push_rows(sql, "p.id", rows);
    }
}

/// Books the transfer between two customers' receivables that an allocation implies when the payer
/// pays another customer's installment (and its reversal, for a reversal row). Same-customer
/// allocations book nothing: the allocation is lettering, not a movement.
pub async fn book_allocation_transfers(
    tx: &mut Tx,
    company_id: i64,
    codes: &AccountCodes,
    rows: Rows<'_>,
) -> anyhow::Result<()> {
    let now = tx.at()?;
    for chunk in chunks(rows) {
        let mut sql = Sql::new(INSERT);
        push_transfer_lines(&mut sql, company_id, codes, chunk, &now);
        sql.execute(tx).await?;
    }
    Ok(())
}

/// The two lines of each allocation's transfer (none for a same-customer allocation), as two
/// `SELECT`s joined by `UNION ALL`.
fn push_transfer_lines(sql: &mut Sql, company_id: i64, codes: &AccountCodes, rows: Rows<'_>, now: &str) {
    for (n, credit_side) in [(0, true), (1, false)] {
        if n > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push("SELECT a.company_id, 'A' || CAST(a.id AS TEXT), ").bind(journals::MISC);
        sql.push(", a.date, 'allocation', a.id, COALESCE(p.number, cd.number), ");
        sql.push("CASE WHEN a.reverses_id IS NULL THEN 'Imputation ' ELSE 'Désaffectation ' END || d.number, ");
        sql.bind(codes.code("receivable"));
        // The credit's customer is debited (its credit is used), the installment's customer credited.
        if credit_side {
            sql.push(", COALESCE(p.customer_id, ci.customer_id), a.currency, ");
            sql.push("CASE WHEN a.reverses_id IS NULL THEN a.amount ELSE 0 END, CASE WHEN a.reverses_id IS NULL THEN 0 ELSE a.amount END, ");
        } else {
            sql.push(", t.customer_id, a.currency, ");
            sql.push("CASE WHEN a.reverses_id IS NULL THEN 0 ELSE a.amount END, CASE WHEN a.reverses_id IS NULL THEN a.amount ELSE 0 END, ");
        }
        sql.bind(now);
        sql.push(
            " FROM allocations a JOIN installments t ON t.id = a.installment_id JOIN documents d ON d.id = t.document_id \
             LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
             LEFT JOIN documents cd ON cd.id = ci.document_id WHERE a.company_id = ",
        )
        .bind(company_id);
        sql.push(" AND COALESCE(p.customer_id, ci.customer_id) <> t.customer_id");
        push_rows(sql, "a.id", rows);
    }
}

/// A refund paid: receivable (the customer) against the bank.
pub async fn book_refund(tx: &mut Tx, company_id: i64, codes: &AccountCodes, refund_id: i64) -> anyhow::Result<()> {
    let mut sql = Sql::new(INSERT);
    for receivable in [true, false] {
        if !receivable {
            sql.push(" UNION ALL ");
        }
        sql.push("SELECT r.company_id, 'R' || CAST(r.id AS TEXT), COALESCE(b.journal_code, ").bind(journals::BANK);
        sql.push("), r.date, 'refund', r.id, r.number, 'Remboursement ' || r.number, ");
        if receivable {
            sql.bind(codes.code("receivable")).push(", r.customer_id, r.currency, r.amount, 0, ");
        } else {
            sql.push("COALESCE(b.account_code, ")
                .bind(codes.code("bank"))
                .push("), CAST(NULL AS BIGINT), r.currency, 0, r.amount, ");
        }
        sql.bind(tx.at()?);
        sql.push(" FROM refunds r LEFT JOIN bank_accounts b ON b.id = r.bank_account_id WHERE r.company_id = ");
        sql.bind(company_id).push(" AND r.id = ").bind(refund_id);
    }
    sql.execute(tx).await?;
    Ok(())
}

/// A deposit validated: the bank account against cheques to deposit, one line per payment on the
/// cheques side (so each cheque is traceable) and one total on the bank side.
pub async fn book_deposit(tx: &mut Tx, company_id: i64, codes: &AccountCodes, deposit_id: i64) -> anyhow::Result<()> {
    let now = tx.at()?;
    let mut sql = Sql::new(INSERT);
    sql.push("SELECT s.company_id, 'B' || CAST(s.id AS TEXT), b.journal_code, s.date, 'deposit', s.id, s.number, ");
    sql.push("'Remise ' || s.number, b.account_code, CAST(NULL AS BIGINT), s.currency, s.total, 0, ")
        .bind(now.as_str());
    sql.push(" FROM deposits s JOIN bank_accounts b ON b.id = s.bank_account_id WHERE s.company_id = ")
        .bind(company_id);
    sql.push(" AND s.id = ").bind(deposit_id);
    sql.push(" UNION ALL SELECT s.company_id, 'B' || CAST(s.id AS TEXT), b.journal_code, s.date, 'deposit', s.id, s.number, ");
    sql.push("'Remise ' || s.number || ' ' || p.number, ").bind(codes.code("cheques_to_deposit"));
    sql.push(", CAST(NULL AS BIGINT), s.currency, 0, p.amount, ").bind(now.as_str());
    // Driven from the payments' deposit index (the planner may have no statistics yet in a bulk load).
    sql.push(
        " FROM payments p JOIN deposits s ON s.id = p.deposit_id JOIN bank_accounts b ON b.id = s.bank_account_id \
         WHERE p.company_id = ",
    )
    .bind(company_id);
    sql.push(" AND p.deposit_id = ").bind(deposit_id);
    sql.execute(tx).await?;
    Ok(())
}

/// One journal line for exports.
#[derive(Debug, Clone)]
pub struct Line {
    pub id: i64,
    pub entry: String,
    pub journal: String,
    pub date: Date,
    pub source: String,
    pub source_id: i64,
    pub piece_ref: String,
    pub label: String,
    pub account: String,
    pub customer_id: Option<i64>,
    pub customer_number: Option<String>,
    pub customer_name: Option<String>,
    pub currency: String,
    pub debit: i64,
    pub credit: i64,
    /// The date the entry was written (FEC ValidDate).
    pub created_at: String,
}

const LINE_FIELDS: [&str; 16] = [
    "CAST(l.id AS TEXT)",
    "l.entry",
    "l.journal",
    "l.date",
    "l.source",
    "CAST(l.source_id AS TEXT)",
    "l.piece_ref",
    "l.label",
    "l.account",
    "COALESCE(CAST(l.customer_id AS TEXT), '')",
    "COALESCE(c.number, '')",
    "COALESCE(c.name, '')",
    "l.currency",
    "CAST(l.debit AS TEXT)",
    "CAST(l.credit AS TEXT)",
    "l.created_at",
];

/// The journal lines of a period: `FROM … WHERE …`.
fn period(company_id: i64, from: Date, to: Date) -> Sql {
    let mut filter =
        Sql::new("FROM journal_lines l LEFT JOIN customers c ON c.id = l.customer_id WHERE l.company_id = ");
    filter.bind(company_id).push(" AND l.date >= ").bind(from.to_string());
    filter.push(" AND l.date <= ").bind(to.to_string());
    filter
}

/// A line from its [`LINE_FIELDS`] values.
fn line_of(mut v: Vec<String>) -> anyhow::Result<Line> {
    let int = |s: &str| s.parse::<i64>().map_err(|e| anyhow::anyhow!("packed integer {s:?}: {e}"));
    let some = |s: &mut String| if s.is_empty() { None } else { Some(std::mem::take(s)) };
    Ok(Line {
        id: int(&v[0])?,
        entry: std::mem::take(&mut v[1]),
        journal: std::mem::take(&mut v[2]),
        date: Date::parse(&v[3]).map_err(|e| anyhow::anyhow!("packed date: {e}"))?,
        source: std::mem::take(&mut v[4]),
        source_id: int(&v[5])?,
        piece_ref: std::mem::take(&mut v[6]),
        label: std::mem::take(&mut v[7]),
        account: std::mem::take(&mut v[8]),
        customer_id: if v[9].is_empty() { None } else { Some(int(&v[9])?) },
        customer_number: some(&mut v[10]),
        customer_name: some(&mut v[11]),
        currency: std::mem::take(&mut v[12]),
        debit: int(&v[13])?,
        credit: int(&v[14])?,
        created_at: std::mem::take(&mut v[15]),
    })
}

/// The lines dated in `[from, to]`, by journal, date, entry and id (every line in memory: for tests
/// and small periods; an export reads them with [`for_each_line`]).
pub async fn lines(tx: &mut Tx, company_id: i64, from: Date, to: Date) -> anyhow::Result<Vec<Line>> {
    let packed = crate::sql::fetch_packed(tx, &LINE_FIELDS, &period(company_id, from, to), "l.id").await?;
    let mut out = packed.into_iter().map(line_of).collect::<anyhow::Result<Vec<Line>>>()?;
    out.sort_unstable_by(|a, b| (&a.journal, a.date, &a.entry, a.id).cmp(&(&b.journal, b.date, &b.entry, b.id)));
    Ok(out)
}

/// The order of index `journal_lines_export` (migration 0034): every chunk of a [`LineCursor`] is a
/// range of it.
const EXPORT_ORDER: [crate::sql::KeyColumn; 4] = [
    crate::sql::KeyColumn { sql: "l.journal", field: 2, integer: false },
    crate::sql::KeyColumn { sql: "l.date", field: 3, integer: false },
    crate::sql::KeyColumn { sql: "l.entry", field: 1, integer: false },
    crate::sql::KeyColumn { sql: "l.id", field: 0, integer: true },
];

/// The lines dated in `[from, to]`, by journal, date, entry and id, a chunk at a time (an export:
/// memory holds one chunk however long the period).
pub struct LineCursor(crate::sql::PackedCursor);

impl LineCursor {
    pub fn new(company_id: i64, from: Date, to: Date) -> LineCursor {
        LineCursor(crate::sql::PackedCursor::new(&LINE_FIELDS, period(company_id, from, to), &EXPORT_ORDER))
    }

    /// The next chunk of lines, `None` after the last.
    pub async fn next(&mut self, tx: &mut Tx) -> anyhow::Result<Option<Vec<Line>>> {
        match self.0.next(tx).await? {
            Some(rows) => Ok(Some(rows.into_iter().map(line_of).collect::<anyhow::Result<Vec<Line>>>()?)),
            None => Ok(None),
        }
    }
}

/// The edges of lettering: each active allocation joins its credit (payment or credit note) to the
/// document it pays; each active refund allocation joins the refund to the credit it consumed.
/// `(node, node, date)` with nodes `("document"|"payment"|"refund"|"allocation", id)`.
pub async fn lettering_edges(
    tx: &mut Tx,
    company_id: i64,
) -> anyhow::Result<Vec<((&'static str, i64), (&'static str, i64), Date, i64)>> {
    let mut from = Sql::new(
        "FROM (SELECT a.id AS aid, CASE WHEN a.payment_id IS NULL THEN 'document' ELSE 'payment' END AS ks, \
         COALESCE(a.payment_id, ci.document_id) AS s, t.document_id AS d, a.date FROM allocations a \
         JOIN installments t ON t.id = a.installment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
         WHERE a.company_id = ",
    );
    from.bind(company_id)
        .push(" AND a.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id)")
        .push(
            " UNION ALL SELECT 0, CASE WHEN a.payment_id IS NULL THEN 'document' ELSE 'payment' END, \
             COALESCE(a.payment_id, ci.document_id), -a.refund_id, a.date FROM refund_allocations a \
             LEFT JOIN installments ci ON ci.id = a.credit_installment_id WHERE a.company_id = ",
        )
        .bind(company_id)
        .push(
            " AND a.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM refund_allocations r WHERE r.reverses_id = a.id)",
        )
        .push(") x");
    let fields = ["CAST(x.aid AS TEXT)", "x.ks", "CAST(x.s AS TEXT)", "CAST(x.d AS TEXT)", "x.date"];
    let int = |s: &str| s.parse::<i64>().map_err(|e| anyhow::anyhow!("packed integer {s:?}: {e}"));
    let mut edges = Vec::new();
    crate::sql::fetch_packed_each(tx, &fields, &from, "x.s", |v| {
        let d = int(v[3])?;
        let to = if d < 0 { ("refund", -d) } else { ("document", d) };
        let date = Date::parse(v[4]).map_err(|e| anyhow::anyhow!("packed date: {e}"))?;
        let kind = if v[1] == "payment" { "payment" } else { "document" };
        edges.push(((kind, int(v[2])?), to, date, int(v[0])?));
        Ok(())
    })
    .await?;
    Ok(edges)
}

/// Books an internal document of a small-balance action (SPEC §4.8, §4.9): the customer's receivable
/// against `counter` (the clearing, loss or gain account) — a credit of the receivable for a credit-side
/// document (it closes debits), a debit for a debit-side one (closed by credits). Entry `D<id>`, in
/// the miscellaneous journal.
pub async fn book_internal_document(
    tx: &mut Tx,
    company_id: i64,
    codes: &AccountCodes,
    document_id: i64,
    counter: &str,
    label: &str,
) -> anyhow::Result<()> {
    let now = tx.at()?;
    let mut sql = Sql::new(INSERT);
    for (n, receivable) in [(0, true), (1, false)] {
        if n > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push("SELECT d.company_id, 'D' || CAST(d.id AS TEXT), ").bind(journals::MISC);
        sql.push(", d.date, 'document', d.id, d.number, ").bind(label).push(", ");
        if receivable {
            sql.bind(codes.code("receivable")).push(", d.customer_id, ");
        } else {
            sql.bind(codes.code(counter)).push(", CAST(NULL AS BIGINT), ");
        }
        // The receivable is debited by a debit-side document (side 1), credited by a credit-side one.
        let debit_side = if receivable { "1" } else { "-1" };
        sql.push(&format!(
            "d.currency, CASE WHEN i.side = {debit_side} THEN d.total ELSE 0 END, \
             CASE WHEN i.side = {debit_side} THEN 0 ELSE d.total END, "
        ));
        sql.bind(now.as_str()).push(" FROM documents d JOIN installments i ON i.document_id = d.id AND i.seq = 1 ");
        sql.push("WHERE d.company_id = ").bind(company_id).push(" AND d.id = ").bind(document_id);
    }
    sql.execute(tx).await?;
    Ok(())
}
