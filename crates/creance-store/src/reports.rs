//! SPEC §4.2 (as-of views by value date) and §4.10 (aging report, customer statement, DSO): what the
//! reports read, set-based.
//!
//! **As of a past date D** (what [`installments_as_of`], [`payments_as_of`] and [`refunds_as_of`]
//! reconstruct from today's open amounts, adding back what counted only after D):
//! - a document counts when it is dated on or before D; a payment when it is dated on or before D
//!   and active (a cancelled payment is a correction: it counts at no date); a refund when it is
//!   dated on or before D;
//! - an allocation counts from its *effective date*, the later of its value date (its credit's
//!   date, SPEC §4.2) and its target document's date: a payment dated before D and allocated after D
//!   counts as allocated at D; a payment made before its invoice existed stays unallocated credit
//!   until the invoice's date. A reversal carries the value date of the allocation it reverses, so
//!   an unallocated pair counts at no date (the history shows the corrected state, not what a screen
//!   showed that day);
//! - a refund allocation counts from the later of the refund's date and its credit's date.
//!
//! Both sides of every allocation use the same condition, so for every customer and currency the
//! open items less the unallocated credits plus the refunds to allocate, as of D, equal its
//! documents less its payments plus its refunds dated up to D, less what other customers' credits
//! paid of its items, plus what its credits paid of theirs (what a statement's lines add up to).
//! Dunning levels, blocks and names are today's.
//!
//! The fragments write the company id and the date as SQL literals: an integer and a [`Date`]
//! (always `YYYY-MM-DD`), never text from a user, so they paste into any statement.

use creance_core::aging::{AgingBasis, AgingBuckets};
use creance_core::{Currency, Date, DocumentKind, Money, MoneyTotal};

use crate::row;
use crate::sql::wide_sum;
use crate::{Sql, Tx, Value};

mod paged;

pub use paged::{aging_keys, aging_page, aging_totals, dso_keys, positive_balances, sales_totals_by_month};

/// `+amount` for an allocation, `−amount` for a reversal (of table alias `a`).
const SIGNED: &str = "CASE WHEN a.reverses_id IS NULL THEN a.amount ELSE -a.amount END";

/// The installments as they stood at `as_of`, as a derived table named `i` with the columns of
/// `installments` (and `document_date`): only documents dated on or before `as_of`, and
/// `amount_open` as it was (see the module doc).
pub fn installments_as_of(company_id: i64, as_of: Date) -> String {
    installments_as_of_customer(company_id, as_of, None)
}

/// The installments of one customer (all when `None`) as they stood at `as_of`, as
/// [`installments_as_of`]: the allocations read are only those of its installments, so that a
/// statement or a one-customer report costs that customer's rows, not the company's.
pub fn installments_as_of_customer(company_id: i64, as_of: Date, customer_id: Option<i64>) -> String {
    let (mine, outer) = match customer_id {
        Some(c) => (
            format!(
                " IN (SELECT j.id FROM documents dd JOIN installments j ON j.document_id = dd.id \
                 WHERE dd.company_id = {company_id} AND dd.customer_id = {c})"
            ),
            format!(" AND i0.customer_id = {c}"),
        ),
        None => (String::new(), String::new()),
    };
    let only = |column: &str| if mine.is_empty() { String::new() } else { format!(" AND {column}{mine}") };
    let (t_only, c_only) = (only("a.installment_id"), only("a.credit_installment_id"));
    format!(
        "(SELECT i0.id, i0.company_id, i0.document_id, i0.customer_id, i0.currency, i0.side, i0.seq, \
         i0.due_date, i0.amount, i0.dunning_level, i0.dunning_date, i0.block_until, i0.block_reason, i0.interest_to, \
         d0.date AS document_date, \
         i0.amount_open + COALESCE(t.s, 0) + COALESCE(c.s, 0) + COALESCE(f.s, 0) AS amount_open \
         FROM installments i0 JOIN documents d0 ON d0.id = i0.document_id \
         LEFT JOIN (SELECT a.installment_id AS id, CAST(SUM({SIGNED}) AS BIGINT) AS s FROM allocations a \
            WHERE a.company_id = {company_id} AND a.value_date > '{as_of}'{t_only} GROUP BY a.installment_id) t ON t.id = i0.id \
         LEFT JOIN (SELECT a.credit_installment_id AS id, CAST(SUM({SIGNED}) AS BIGINT) AS s FROM allocations a \
            JOIN installments ti ON ti.id = a.installment_id JOIN documents td ON td.id = ti.document_id \
            WHERE a.company_id = {company_id} AND a.credit_installment_id IS NOT NULL{c_only} \
            AND (a.value_date > '{as_of}' OR td.date > '{as_of}') GROUP BY a.credit_installment_id) c ON c.id = i0.id \
         LEFT JOIN (SELECT a.credit_installment_id AS id, CAST(SUM({SIGNED}) AS BIGINT) AS s FROM refund_allocations a \
            JOIN refunds rf ON rf.id = a.refund_id \
            WHERE a.company_id = {company_id} AND a.credit_installment_id IS NOT NULL AND rf.date > '{as_of}'{c_only} \
            GROUP BY a.credit_installment_id) f ON f.id = i0.id \
         WHERE i0.company_id = {company_id} AND d0.date <= '{as_of}'{outer}) i"
    )
}

/// The active payments dated on or before `as_of`, as a derived table named `alias` (`id`,
/// `company_id`, `customer_id`, `currency`, `date`, `amount`, `status`, `amount_open` as it was).
pub fn payments_as_of(company_id: i64, as_of: Date, alias: &str) -> String {
    payments_as_of_customer(company_id, as_of, alias, None)
}

/// [`payments_as_of`] of one customer (all when `None`), reading only its payments' allocations.
pub fn payments_as_of_customer(company_id: i64, as_of: Date, alias: &str, customer_id: Option<i64>) -> String {
    let (only, outer) = match customer_id {
        Some(c) => (
            format!(" AND a.payment_id IN (SELECT q.id FROM payments q WHERE q.company_id = {company_id} AND q.customer_id = {c})"),
            format!(" AND p0.customer_id = {c}"),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        "(SELECT p0.id, p0.company_id, p0.customer_id, p0.currency, p0.date, p0.amount, p0.status, \
         p0.amount_open + COALESCE(t.s, 0) + COALESCE(f.s, 0) AS amount_open FROM payments p0 \
         LEFT JOIN (SELECT a.payment_id AS id, CAST(SUM({SIGNED}) AS BIGINT) AS s FROM allocations a \
            JOIN installments ti ON ti.id = a.installment_id JOIN documents td ON td.id = ti.document_id \
            WHERE a.company_id = {company_id} AND a.payment_id IS NOT NULL{only} \
            AND (a.value_date > '{as_of}' OR td.date > '{as_of}') GROUP BY a.payment_id) t ON t.id = p0.id \
         LEFT JOIN (SELECT a.payment_id AS id, CAST(SUM({SIGNED}) AS BIGINT) AS s FROM refund_allocations a \
            JOIN refunds rf ON rf.id = a.refund_id \
            WHERE a.company_id = {company_id} AND a.payment_id IS NOT NULL AND rf.date > '{as_of}'{only} \
            GROUP BY a.payment_id) f ON f.id = p0.id \
         WHERE p0.company_id = {company_id} AND p0.status = 'active' AND p0.date <= '{as_of}'{outer}) {alias}"
    )
}

/// The refunds dated on or before `as_of`, as a derived table named `alias` (`id`, `company_id`,
/// `customer_id`, `currency`, `date`, `amount`, `amount_open`: what was still to allocate).
pub fn refunds_as_of(company_id: i64, as_of: Date, alias: &str) -> String {
    refunds_as_of_customer(company_id, as_of, alias, None)
}

/// [`refunds_as_of`] of one customer (all when `None`), reading only its refunds' allocations.
pub fn refunds_as_of_customer(company_id: i64, as_of: Date, alias: &str, customer_id: Option<i64>) -> String {
    let (only, outer) = match customer_id {
        Some(c) => (
            format!(" AND a.refund_id IN (SELECT q.id FROM refunds q WHERE q.company_id = {company_id} AND q.customer_id = {c})"),
            format!(" AND r0.customer_id = {c}"),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        "(SELECT r0.id, r0.company_id, r0.customer_id, r0.currency, r0.date, r0.amount, \
         r0.amount_open + COALESCE(t.s, 0) AS amount_open FROM refunds r0 \
         LEFT JOIN (SELECT a.refund_id AS id, CAST(SUM({SIGNED}) AS BIGINT) AS s FROM refund_allocations a \
            LEFT JOIN payments cp ON cp.id = a.payment_id \
            LEFT JOIN installments ci ON ci.id = a.credit_installment_id LEFT JOIN documents cd ON cd.id = ci.document_id \
            WHERE a.company_id = {company_id} AND COALESCE(cp.date, cd.date) > '{as_of}'{only} GROUP BY a.refund_id) t ON t.id = r0.id \
         WHERE r0.company_id = {company_id} AND r0.date <= '{as_of}'{outer}) {alias}"
    )
}

/// What an aging report covers.
#[derive(Debug, Clone)]
pub struct AgingFilter {
    pub as_of: Date,
    /// Reconstruct the state at `as_of` (a past date); else today's open amounts, aged at `as_of`.
    pub past: bool,
    pub basis: AgingBasis,
    pub buckets: AgingBuckets,
    pub customer_id: Option<i64>,
    /// Only these customers (one page of a report); all when `None`.
    pub customer_ids: Option<Vec<i64>>,
    pub currency: Option<Currency>,
    pub customer_number_from: Option<String>,
    pub customer_number_to: Option<String>,
}

/// One customer's aging in one currency. Amounts are positive; the balance is
/// Σ buckets − credit notes − payments unallocated + refunds to allocate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingRow {
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub currency: Currency,
    /// Open debits per bucket, as many as the filter's buckets.
    pub buckets: Vec<MoneyTotal>,
    /// Open credit notes (their unallocated credit).
    pub credit_notes: MoneyTotal,
    /// Payments' unallocated credit.
    pub payments_unallocated: MoneyTotal,
    /// Refunds paid out and not yet set against a credit.
    pub refunds_to_allocate: MoneyTotal,
}

fn customer_conditions(f: &AgingFilter, column: &str) -> Sql {
    let mut s = Sql::default();
    if let Some(v) = f.customer_id {
        s.push(&format!(" AND {column} = ")).bind(v);
    }
    if let Some(ids) = &f.customer_ids {
        s.push(&format!(" AND {column} IN "));
        if ids.is_empty() {
            s.push("(NULL)");
        } else {
            s.bind_tuple(ids.iter().map(|i| Value::Int(*i)));
        }
    }
    s
}

/// The open installments an aging reads: `FROM …` (alias `i`, and `d` its document when the basis
/// needs its date) and the conditions, without the customer-number range.
fn installments_from(company_id: i64, f: &AgingFilter) -> Sql {
    let mut sql = Sql::default();
    if f.past {
        sql.push(" FROM ").push(&installments_as_of_customer(company_id, f.as_of, f.customer_id));
    } else {
        sql.push(" FROM installments i");
        if f.basis == AgingBasis::DocumentDate {
            sql.push(" JOIN documents d ON d.id = i.document_id");
        }
    }
    sql.push(" WHERE i.company_id = ").bind(company_id).push(" AND i.amount_open > 0");
    sql.append(&customer_conditions(f, "i.customer_id"));
    if let Some(cur) = f.currency {
        sql.push(" AND i.currency = ").bind(cur.code());
    }
    sql
}

/// Which credits an aging adds beside the installments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Credits {
    /// Payments' unallocated credit.
    Payments,
    /// Refunds paid out and not yet set against a credit.
    Refunds,
}

/// The open payments or refunds an aging reads: `FROM …` (alias `p`) and the conditions, without
/// the customer-number range.
fn credits_from(company_id: i64, f: &AgingFilter, which: Credits) -> Sql {
    let source = match (f.past, which) {
        (true, Credits::Payments) => payments_as_of_customer(company_id, f.as_of, "p", f.customer_id),
        (true, Credits::Refunds) => refunds_as_of_customer(company_id, f.as_of, "p", f.customer_id),
        (false, Credits::Payments) => "payments p".to_string(),
        (false, Credits::Refunds) => "refunds p".to_string(),
    };
    let mut sql = Sql::new(" FROM ");
    sql.push(&source);
    sql.push(" WHERE p.company_id = ").bind(company_id).push(" AND p.amount_open > 0");
    if which == Credits::Payments {
        sql.push(" AND p.status = 'active'");
    }
    sql.append(&customer_conditions(f, "p.customer_id"));
    if let Some(cur) = f.currency {
        sql.push(" AND p.currency = ").bind(cur.code());
    }
    sql
}

/// The bucket sums of an aging over installments `i`: `b0` … `b{n-1}` (each a `CASE` on the date
/// compared with the bucket's cut-offs) then `cn` (the credit notes), each summed by `sum(expr, alias)`.
fn bucket_sums(f: &AgingFilter, sum: impl Fn(&str, &str) -> String) -> String {
    let n = f.buckets.len();
    let cutoffs = f.buckets.cutoffs(f.as_of);
    let date_col = match f.basis {
        AgingBasis::DueDate => "i.due_date",
        AgingBasis::DocumentDate if f.past => "i.document_date",
        AgingBasis::DocumentDate => "d.date",
    };
    let mut out = String::new();
    for k in 0..n {
        // Bucket k: on or after cut-off k (if any) and before cut-off k−1 (if any).
        let mut cond = String::from("i.side = 1");
        if k < n - 1 {
            cond.push_str(&format!(" AND {date_col} >= '{}'", cutoffs[k]));
        }
        if k > 0 {
            cond.push_str(&format!(" AND {date_col} < '{}'", cutoffs[k - 1]));
        }
        out.push_str(", ");
        out.push_str(&sum(&format!("CASE WHEN {cond} THEN i.amount_open ELSE 0 END"), &format!("b{k}")));
    }
    out.push_str(", ");
    out.push_str(&sum("CASE WHEN i.side = -1 THEN i.amount_open ELSE 0 END", "cn"));
    out
}

fn outer_conditions(f: &AgingFilter) -> Sql {
    let mut s = Sql::new(" WHERE 1 = 1");
    if let Some(v) = &f.customer_number_from {
        s.push(" AND c.number >= ").bind(v.as_str());
    }
    if let Some(v) = &f.customer_number_to {
        s.push(" AND c.number <= ").bind(v.as_str());
    }
    s
}

/// How [`aging`] sums the open amounts of a customer's bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sums {
    /// One `SUM` per column, read as text: exact on PostgreSQL (a `numeric`); on SQLite exact or an
    /// "integer overflow" error (SQLite's `SUM` never wraps), after which the report is read `Wide`.
    Plain,
    /// Two sums per column that cannot overflow ([`wide_sum`]): twice the work per installment.
    Wide,
}

/// The aging report: one aggregate over the open installments (`GROUP BY` customer and currency,
/// one `CASE` sum per bucket on the date compared with the bucket's cut-off), and one each over
/// the payments' and refunds' open amounts, in customer-number then currency order.
pub async fn aging(tx: &mut Tx, company_id: i64, f: &AgingFilter) -> anyhow::Result<Vec<AgingRow>> {
    let packed = match aging_installments(tx, company_id, f, Sums::Plain).await {
        Err(e) if tx.backend_name() == "SQLite" && format!("{e:#}").contains("integer overflow") => {
            // A customer's open amounts add up past an i64 (thousands of items at the input limit).
            aging_installments(tx, company_id, f, Sums::Wide).await?
        }
        other => other?,
    };
    let n = f.buckets.len();
    let mut rows = Vec::with_capacity(packed.len());
    let mut index = std::collections::HashMap::new();
    for (customer_id, currency, number, name, mut totals) in packed {
        let credit_notes = totals.pop().unwrap_or(MoneyTotal::zero(currency));
        anyhow::ensure!(totals.len() == n, "aging: {} bucket totals read, not {n}", totals.len());
        index.insert((customer_id, currency), rows.len());
        rows.push(AgingRow {
            customer_id,
            customer_number: number,
            customer_name: name,
            currency,
            buckets: totals,
            credit_notes,
            payments_unallocated: MoneyTotal::zero(currency),
            refunds_to_allocate: MoneyTotal::zero(currency),
        });
    }
    // Payments' unallocated credit, then refunds to allocate, merged into the rows.
    for which in [Credits::Payments, Credits::Refunds] {
        let mut sql = Sql::new(
            "SELECT c.number AS customer_number, c.name AS customer_name, x.* FROM (SELECT p.customer_id, p.currency, ",
        );
        sql.push(&wide_sum("p.amount_open", "open"));
        sql.append(&credits_from(company_id, f, which));
        sql.push(" GROUP BY p.customer_id, p.currency) x JOIN customers c ON c.id = x.customer_id");
        sql.append(&outer_conditions(f));
        for r in sql.fetch_all(tx).await? {
            let currency = row::currency(&r, "currency")?;
            let customer_id = row::int(&r, "customer_id")?;
            let open = row::money_total(&r, "open", currency)?;
            let at = match index.get(&(customer_id, currency)) {
                Some(&at) => at,
                None => {
                    index.insert((customer_id, currency), rows.len());
                    rows.push(AgingRow {
                        customer_id,
                        customer_number: row::text(&r, "customer_number")?,
                        customer_name: row::text(&r, "customer_name")?,
                        currency,
                        buckets: vec![MoneyTotal::zero(currency); n],
                        credit_notes: MoneyTotal::zero(currency),
                        payments_unallocated: MoneyTotal::zero(currency),
                        refunds_to_allocate: MoneyTotal::zero(currency),
                    });
                    rows.len() - 1
                }
            };
            if which == Credits::Payments {
                rows[at].payments_unallocated = open;
            } else {
                rows[at].refunds_to_allocate = open;
            }
        }
    }
    rows.sort_by(|a, b| {
        (a.customer_number.as_str(), a.currency.code()).cmp(&(b.customer_number.as_str(), b.currency.code()))
    });
    Ok(rows)
}

/// One customer and currency of the installments' aggregate: id, currency, number, name, and the
/// bucket totals followed by the credit notes' total.
type AgingTotals = (i64, Currency, String, String, Vec<MoneyTotal>);

async fn aging_installments(
    tx: &mut Tx,
    company_id: i64,
    f: &AgingFilter,
    sums: Sums,
) -> anyhow::Result<Vec<AgingTotals>> {
    let n = f.buckets.len();
    let sum = |expr: &str, alias: &str| match sums {
        Sums::Plain => format!("SUM({expr}) AS {alias}"),
        Sums::Wide => wide_sum(expr, alias),
    };
    let mut sql = Sql::new(" FROM (SELECT i.customer_id, i.currency");
    sql.push(&bucket_sums(f, sum));
    sql.append(&installments_from(company_id, f));
    sql.push(" GROUP BY i.customer_id, i.currency) x JOIN customers c ON c.id = x.customer_id");
    sql.append(&outer_conditions(f));
    // One row per customer and currency, read packed: sqlx hands SQLite rows over one at a time,
    // which cost several times the aggregate itself on tens of thousands of customers.
    let mut fields = vec![
        "CAST(x.customer_id AS TEXT)".to_string(),
        "x.currency".to_string(),
        "c.number".to_string(),
        "c.name".to_string(),
    ];
    for alias in (0..n).map(|k| format!("b{k}")).chain(["cn".to_string()]) {
        match sums {
            Sums::Plain => fields.push(format!("CAST(x.{alias} AS TEXT)")),
            Sums::Wide => {
                fields.push(format!("CAST(x.{alias}_hi AS TEXT)"));
                fields.push(format!("CAST(x.{alias}_lo AS TEXT)"));
            }
        }
    }
    let field_refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    let packed = crate::sql::fetch_packed(tx, &field_refs, &sql, "x.customer_id").await?;
    let int = |t: &str| t.parse::<i128>().map_err(|_| anyhow::anyhow!("aging: {t:?} is not an integer"));
    let mut out = Vec::with_capacity(packed.len());
    for v in packed {
        let currency = Currency::parse(&v[1]).map_err(|e| anyhow::anyhow!("aging: stored currency {:?}: {e}", v[1]))?;
        let customer_id = i64::try_from(int(&v[0])?)?;
        let totals = match sums {
            Sums::Plain => v[4..].iter().map(|t| int(t).map(|m| MoneyTotal::new(m, currency))).collect(),
            Sums::Wide => v[4..]
                .chunks(2)
                .map(|p| Ok(MoneyTotal::new(int(&p[0])? * i128::from(crate::sql::WIDE_SPLIT) + int(&p[1])?, currency)))
                .collect::<anyhow::Result<Vec<_>>>(),
        }?;
        let mut v = v.into_iter().skip(2);
        let (number, name) = (v.next().unwrap_or_default(), v.next().unwrap_or_default());
        out.push((customer_id, currency, number, name, totals));
    }
    Ok(out)
}

/// What one line of a customer statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementEntry {
    Document(DocumentKind),
    Payment,
    Refund,
    /// A credit set against a debit (from its effective date, see the module doc).
    Allocation,
}

/// One line of a customer statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    pub date: Date,
    pub entry: StatementEntry,
    /// The document's, payment's, refund's or allocation's id.
    pub id: i64,
    /// The document, payment or refund number; for an allocation the credit's number.
    pub number: String,
    /// For an allocation, the number of the document it pays; for a payment its piece number;
    /// for a document its order reference.
    pub reference: String,
    /// The line's amount, positive.
    pub amount: Money,
    /// What the line does to the customer's balance: + a debit document or a refund, − a credit
    /// note or a payment; an allocation between two of the customer's own items changes nothing,
    /// one with another customer's credit or item moves the balance by its amount.
    pub effect: Money,
}

/// Every line of `customer_id`'s statement dated from `from` to `to` (inclusive), unsorted:
/// documents, active payments, refunds and active allocations whose effective date is in the
/// period and that touch the customer on either side (an allocation later reversed is left out
/// with its reversal: they cancel at the same value date).
pub async fn statement_lines(
    tx: &mut Tx,
    company_id: i64,
    customer_id: i64,
    from: Date,
    to: Date,
) -> anyhow::Result<Vec<StatementLine>> {
    let (f, t) = (from.to_string(), to.to_string());
    let mut out = Vec::new();
    let mut sql = Sql::new(
        "SELECT d.id, d.kind, d.number, d.date, d.currency, d.total, d.order_ref, \
         (SELECT CAST(MIN(j.side) AS BIGINT) FROM installments j WHERE j.document_id = d.id) AS side \
         FROM documents d WHERE d.company_id = ",
    );
    sql.bind(company_id).push(" AND d.customer_id = ").bind(customer_id);
    sql.push(" AND d.date >= ").bind(f.as_str()).push(" AND d.date <= ").bind(t.as_str());
    for r in sql.fetch_all(tx).await? {
        let currency = row::currency(&r, "currency")?;
        let kind_text = row::text(&r, "kind")?;
        let kind = DocumentKind::parse(&kind_text).ok_or_else(|| anyhow::anyhow!("stored kind {kind_text:?}"))?;
        let side = row::opt_int(&r, "side")?.unwrap_or(kind.sign());
        let amount = row::money(&r, "total", currency)?;
        out.push(StatementLine {
            date: row::date(&r, "date")?,
            entry: StatementEntry::Document(kind),
            id: row::int(&r, "id")?,
            number: row::text(&r, "number")?,
            reference: row::text(&r, "order_ref")?,
            amount,
            effect: Money::new(amount.minor() * side.signum(), currency),
        });
    }
    for (table, entry, sign, reference) in [
        ("payments", StatementEntry::Payment, -1, "piece_number"),
        ("refunds", StatementEntry::Refund, 1, "piece_number"),
    ] {
        let mut sql = Sql::new(&format!(
            "SELECT id, number, date, currency, amount, {reference} AS reference FROM {table} WHERE company_id = "
        ));
        sql.bind(company_id).push(" AND customer_id = ").bind(customer_id);
        sql.push(" AND date >= ").bind(f.as_str()).push(" AND date <= ").bind(t.as_str());
        if table == "payments" {
            sql.push(" AND status = 'active'");
        }
        for r in sql.fetch_all(tx).await? {
            let currency = row::currency(&r, "currency")?;
            let amount = row::money(&r, "amount", currency)?;
            out.push(StatementLine {
                date: row::date(&r, "date")?,
                entry,
                id: row::int(&r, "id")?,
                number: row::text(&r, "number")?,
                reference: row::text(&r, "reference")?,
                amount,
                effect: Money::new(amount.minor() * sign, currency),
            });
        }
    }
    // Allocations reached from the customer's documents (as target or as credit note) and payments.
    let mut sql = Sql::new(
        "SELECT a.id, a.currency, a.amount, a.value_date, td.date AS target_date, td.number AS target_number, \
         ti.customer_id AS target_customer, COALESCE(p.customer_id, ci.customer_id) AS source_customer, \
         COALESCE(p.number, cd.number) AS source_number \
         FROM allocations a JOIN installments ti ON ti.id = a.installment_id JOIN documents td ON td.id = ti.document_id \
         LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
         LEFT JOIN documents cd ON cd.id = ci.document_id \
         WHERE a.company_id = ",
    );
    sql.bind(company_id).push(
        " AND a.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id) \
         AND a.id IN (SELECT x.id FROM allocations x JOIN installments xi ON xi.id = x.installment_id \
         JOIN documents xd ON xd.id = xi.document_id WHERE xd.company_id = ",
    );
    sql.bind(company_id).push(" AND xd.customer_id = ").bind(customer_id);
    sql.push(
        " UNION SELECT x.id FROM allocations x JOIN installments xi ON xi.id = x.credit_installment_id \
         JOIN documents xd ON xd.id = xi.document_id WHERE xd.company_id = ",
    );
    sql.bind(company_id).push(" AND xd.customer_id = ").bind(customer_id);
    sql.push(" UNION SELECT x.id FROM allocations x JOIN payments xp ON xp.id = x.payment_id WHERE xp.company_id = ");
    sql.bind(company_id).push(" AND xp.customer_id = ").bind(customer_id).push(")");
    for r in sql.fetch_all(tx).await? {
        let value_date = row::date(&r, "value_date")?;
        let target_date = row::date(&r, "target_date")?;
        let date = value_date.max(target_date);
        if date < from || date > to {
            continue;
        }
        let currency = row::currency(&r, "currency")?;
        let amount = row::money(&r, "amount", currency)?;
        let (target, source) = (row::int(&r, "target_customer")?, row::int(&r, "source_customer")?);
        let effect = match (target == customer_id, source == customer_id) {
            (true, false) => -amount.minor(),
            (false, true) => amount.minor(),
            _ => 0,
        };
        out.push(StatementLine {
            date,
            entry: StatementEntry::Allocation,
            id: row::int(&r, "id")?,
            number: row::opt_text(&r, "source_number")?.unwrap_or_default(),
            reference: row::text(&r, "target_number")?,
            amount,
            effect: Money::new(effect, currency),
        });
    }
    Ok(out)
}

/// Sales of one customer in one currency in one calendar month (`YYYY-MM`) of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSales {
    pub customer_id: i64,
    pub currency: Currency,
    pub month: String,
    pub sales: MoneyTotal,
}

/// The sales of the period per customer, currency and month: the totals of the debit documents
/// (whatever their kind, but opening balances, which are no sale) dated from `from` to `to`, of
/// `customers` only when given.
pub async fn sales_by_month(
    tx: &mut Tx,
    company_id: i64,
    from: Date,
    to: Date,
    customers: Option<&[i64]>,
) -> anyhow::Result<Vec<MonthSales>> {
    let mut sql = Sql::new("SELECT d.customer_id, d.currency, SUBSTR(d.date, 1, 7) AS month, ");
    sql.push(&wide_sum("d.total", "sales"));
    sql.push(" FROM documents d JOIN installments j ON j.document_id = d.id AND j.seq = 1 AND j.side = 1 WHERE d.company_id = ");
    sql.bind(company_id).push(" AND d.date >= ").bind(from.to_string()).push(" AND d.date <= ").bind(to.to_string());
    sql.push(" AND d.kind <> ").bind(DocumentKind::OpeningBalance.code());
    if let Some(ids) = customers {
        sql.push(" AND d.customer_id IN ");
        if ids.is_empty() {
            sql.push("(NULL)");
        } else {
            sql.bind_tuple(ids.iter().map(|i| Value::Int(*i)));
        }
    }
    sql.push(" GROUP BY d.customer_id, d.currency, SUBSTR(d.date, 1, 7)");
    sql.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let currency = row::currency(r, "currency")?;
            Ok(MonthSales {
                customer_id: row::int(r, "customer_id")?,
                currency,
                month: row::text(r, "month")?,
                sales: row::money_total(r, "sales", currency)?,
            })
        })
        .collect()
}

/// A company's report settings (migration 0018).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSettings {
    pub aging_buckets: AgingBuckets,
    /// The default basis of the aging report.
    pub aging_basis: AgingBasis,
}

pub async fn report_settings(tx: &mut Tx, company_id: i64) -> anyhow::Result<ReportSettings> {
    let r =
        Sql::new("SELECT aging_buckets, aging_basis FROM companies WHERE id = ").bind(company_id).fetch_one(tx).await?;
    let buckets = row::text(&r, "aging_buckets")?;
    let basis = row::text(&r, "aging_basis")?;
    Ok(ReportSettings {
        aging_buckets: AgingBuckets::parse(&buckets)
            .map_err(|e| anyhow::anyhow!("stored companies.aging_buckets {buckets:?}: {e}"))?,
        aging_basis: AgingBasis::parse(&basis)
            .ok_or_else(|| anyhow::anyhow!("stored companies.aging_basis {basis:?}"))?,
    })
}

pub async fn set_report_settings(tx: &mut Tx, company_id: i64, s: &ReportSettings) -> anyhow::Result<()> {
    Sql::new("UPDATE companies SET aging_buckets = ")
        .bind(s.aging_buckets.code())
        .push(", aging_basis = ")
        .bind(s.aging_basis.code())
        .push(" WHERE id = ")
        .bind(company_id)
        .execute(tx)
        .await?;
    Ok(())
}
