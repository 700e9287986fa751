//! SPEC §4.1 recomputed from the rows: every invariant is one set-based query that returns the rows
//! that break it. Used by `creance check` and by tests after every step of a workload.
//!
//! An allocation is *active* when it is not a reversal and no reversal names it.

use crate::row;
use crate::sql::{wide_sum, wide_sum_is_not_zero};
use crate::{Sql, Tx};

/// One broken invariant on one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub company_id: i64,
    /// Which rule: `installment_open_amount` (a credit note's open credit too), `payment_open_amount`,
    /// `refund_open_amount`, `allocation_mismatch`, `refund_allocation_mismatch`, `allocation_payer`,
    /// `journal_entry_unbalanced`, `journal_receivable`, `dunning_item_run`, `allocation_refs`,
    /// `dunning_letter_refs`, `dunning_item_refs`, `dunning_hold`.
    pub rule: &'static str,
    /// The row at fault, e.g. `installment 12`.
    pub subject: String,
    pub detail: String,
}

const ACTIVE: &str = "a.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id)";

/// Every violation in the database (all companies), at most `limit` per rule, the rules one after
/// the other in `tx`.
pub async fn violations(tx: &mut Tx, limit: i64) -> anyhow::Result<Vec<Violation>> {
    let mut out = Vec::new();
    for (rule, query) in rules() {
        out.extend(rule_violations(tx, rule, &query, limit).await?);
    }
    Ok(out)
}

/// The rules, each as its name and the statement that returns the rows breaking it. They are
/// independent: each may run in a transaction of its own, at the same time as the others.
pub fn rules() -> Vec<(&'static str, String)> {
    // Active allocations summed per row, in one pass each.
    let per = |table: &str, column: &str| {
        format!(
            "(SELECT a.{column} AS id, SUM(a.amount) AS s FROM {table} a \
             WHERE a.{column} IS NOT NULL AND a.reverses_id IS NULL \
             AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.reverses_id = a.id) GROUP BY a.{column})"
        )
    };
    let rules: Vec<(&'static str, String)> = vec![
        (
            "installment_open_amount",
            format!(
                "SELECT i.company_id, i.id, CAST(i.amount AS BIGINT) AS a, CAST(i.amount_open AS BIGINT) AS b, \
                 CAST(COALESCE(t.s, 0) + COALESCE(c.s, 0) + COALESCE(f.s, 0) AS BIGINT) AS c FROM installments i \
                 LEFT JOIN {} t ON t.id = i.id LEFT JOIN {} c ON c.id = i.id LEFT JOIN {} f ON f.id = i.id \
                 WHERE i.amount - i.amount_open <> COALESCE(t.s, 0) + COALESCE(c.s, 0) + COALESCE(f.s, 0)",
                per("allocations", "installment_id"),
                per("allocations", "credit_installment_id"),
                per("refund_allocations", "credit_installment_id")
            ),
        ),
        (
            "payment_open_amount",
            format!(
                "SELECT p.company_id, p.id, CAST(p.amount AS BIGINT) AS a, CAST(p.amount_open AS BIGINT) AS b, \
                 CAST(COALESCE(t.s, 0) + COALESCE(f.s, 0) AS BIGINT) AS c FROM payments p \
                 LEFT JOIN {} t ON t.id = p.id LEFT JOIN {} f ON f.id = p.id \
                 WHERE p.amount - p.amount_open <> COALESCE(t.s, 0) + COALESCE(f.s, 0) \
                 OR (p.status = 'cancelled' AND p.amount_open <> p.amount)",
                per("allocations", "payment_id"),
                per("refund_allocations", "payment_id")
            ),
        ),
        (
            "refund_open_amount",
            format!(
                "SELECT r.company_id, r.id, CAST(r.amount AS BIGINT) AS a, CAST(r.amount_open AS BIGINT) AS b, \
                 CAST(COALESCE(f.s, 0) AS BIGINT) AS c FROM refunds r LEFT JOIN {} f ON f.id = r.id \
                 WHERE r.amount - r.amount_open <> COALESCE(f.s, 0)",
                per("refund_allocations", "refund_id")
            ),
        ),
        (
            "allocation_mismatch",
            format!(
                "SELECT a.company_id, a.id, CAST(a.amount AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
                 FROM allocations a JOIN installments t ON t.id = a.installment_id \
                 LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
                 WHERE {ACTIVE} AND (a.amount <= 0 OR t.side <> 1 OR t.company_id <> a.company_id OR t.currency <> a.currency \
                 OR COALESCE(p.company_id, ci.company_id) <> a.company_id OR COALESCE(p.currency, ci.currency) <> a.currency \
                 OR COALESCE(ci.side, -1) <> -1 OR p.status = 'cancelled')"
            ),
        ),
        (
            "refund_allocation_mismatch",
            format!(
                "SELECT a.company_id, a.id, CAST(a.amount AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
                 FROM refund_allocations a JOIN refunds f ON f.id = a.refund_id \
                 LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
                 WHERE {ACTIVE} AND (a.amount <= 0 OR f.company_id <> a.company_id OR f.currency <> a.currency \
                 OR COALESCE(p.company_id, ci.company_id) <> a.company_id OR COALESCE(p.currency, ci.currency) <> a.currency \
                 OR COALESCE(ci.side, -1) <> -1 OR COALESCE(p.customer_id, ci.customer_id) <> f.customer_id)"
            )
            .replace("FROM allocations r", "FROM refund_allocations r"),
        ),
        (
            "allocation_payer",
            format!(
                "SELECT a.company_id, a.id, CAST(a.amount AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
                 FROM allocations a JOIN installments t ON t.id = a.installment_id JOIN customers tc ON tc.id = t.customer_id \
                 LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
                 JOIN customers sc ON sc.id = COALESCE(p.customer_id, ci.customer_id) \
                 WHERE {ACTIVE} AND COALESCE(tc.payer_id, tc.id) <> sc.id AND COALESCE(tc.payer_id, tc.id) <> COALESCE(sc.payer_id, sc.id)"
            ),
        ),
        (
            // Grouped by the integer source id first: sorting 3 million lines on it is three times
            // faster than on the entry text alone (the entry still decides the group).
            "journal_entry_unbalanced",
            // Sums are split in two (`wide_sum`) so that no total of valid amounts overflows.
            format!(
                "SELECT company_id, MIN(id) AS id, {}, {}, \
                 CAST(0 AS BIGINT) AS c, MIN(entry) AS entry, MIN(currency) AS currency FROM journal_lines \
                 GROUP BY source_id, company_id, source, entry, currency HAVING {}",
                wide_sum("debit", "a"),
                wide_sum("credit", "b"),
                wide_sum_is_not_zero("debit - credit")
            ),
        ),
        (
            "journal_receivable",
            // Journal receivable (lines carrying a customer) against open items less unallocated
            // credits plus refunds still to allocate, per customer and currency.
            // A customer's totals are sums of many amounts: split in two, compared without forming them.
            format!(
                "SELECT company_id, customer_id AS id, {}, {}, \
                 CAST(0 AS BIGINT) AS c, MIN(currency) AS currency FROM ( \
                 SELECT company_id, customer_id, currency, debit - credit AS j, 0 AS o FROM journal_lines WHERE customer_id IS NOT NULL \
                 UNION ALL SELECT company_id, customer_id, currency, 0, side * amount_open FROM installments WHERE amount_open > 0 \
                 UNION ALL SELECT company_id, customer_id, currency, 0, -amount_open FROM payments WHERE amount_open > 0 AND status = 'active' \
                 UNION ALL SELECT company_id, customer_id, currency, 0, amount_open FROM refunds WHERE amount_open > 0 \
                 ) x GROUP BY company_id, customer_id, currency HAVING {}",
                wide_sum("j", "a"),
                wide_sum("o", "b"),
                wide_sum_is_not_zero("j - o")
            ),
        ),
        (
            "dunning_item_run",
            // No foreign key from an item to its run and company (migrations 0015 on PostgreSQL,
            // 0035 on SQLite).
            "SELECT it.company_id, it.id, CAST(0 AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
             FROM dunning_items it LEFT JOIN dunning_runs r ON r.id = it.run_id \
             WHERE r.id IS NULL OR r.company_id <> it.company_id"
                .to_string(),
        ),
        (
            "dunning_hold",
            // Exactly the active dunned items of the draft letters of draft runs hold their installment
            // (migration 0021).
            "SELECT h.company_id, h.installment_id AS id, CAST(1 AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, \
             CAST(0 AS BIGINT) AS c FROM dunning_holds h LEFT JOIN dunning_items it ON it.id = h.item_id \
             AND it.installment_id = h.installment_id AND it.company_id = h.company_id AND it.run_id = h.run_id \
             AND it.kind = 'due' AND it.status = 'active' LEFT JOIN dunning_letters l ON l.company_id = it.company_id \
             AND l.run_id = it.run_id AND l.payer_id = it.payer_id AND l.currency = it.currency AND l.status = 'draft' \
             LEFT JOIN dunning_runs r ON r.id = l.run_id AND r.status = 'draft' WHERE r.id IS NULL \
             UNION ALL SELECT it.company_id, it.installment_id, CAST(2 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT) \
             FROM dunning_items it JOIN dunning_letters l ON l.company_id = it.company_id AND l.run_id = it.run_id \
             AND l.payer_id = it.payer_id AND l.currency = it.currency AND l.status = 'draft' \
             JOIN dunning_runs r ON r.id = l.run_id AND r.status = 'draft' \
             WHERE it.kind = 'due' AND it.status = 'active' AND NOT EXISTS (SELECT 1 FROM dunning_holds h \
             WHERE h.item_id = it.id AND h.installment_id = it.installment_id)"
                .to_string(),
        ),
        (
            "allocation_refs",
            // An allocation keeps no foreign keys on PostgreSQL (migration 0027): its installment, and
            // its payment or credit note's installment, must exist in its company — for every row,
            // reversals and reversed ones included.
            "SELECT a.company_id, a.id, CAST(0 AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
             FROM allocations a LEFT JOIN installments t ON t.id = a.installment_id \
             LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN installments ci ON ci.id = a.credit_installment_id \
             LEFT JOIN companies co ON co.id = a.company_id \
             WHERE co.id IS NULL OR t.id IS NULL OR t.company_id <> a.company_id \
             OR (a.payment_id IS NOT NULL AND (p.id IS NULL OR p.company_id <> a.company_id)) \
             OR (a.credit_installment_id IS NOT NULL AND (ci.id IS NULL OR ci.company_id <> a.company_id))"
                .to_string(),
        ),
        (
            "dunning_letter_refs",
            // PostgreSQL keeps no foreign key from a letter to its company, run, payer and policy
            // (migration 0036): each must exist, in the letter's company.
            "SELECT l.company_id, l.id, CAST(0 AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
             FROM dunning_letters l LEFT JOIN companies co ON co.id = l.company_id \
             LEFT JOIN dunning_runs r ON r.id = l.run_id LEFT JOIN customers p ON p.id = l.payer_id \
             LEFT JOIN dunning_policies pol ON pol.id = l.policy_id \
             WHERE co.id IS NULL OR r.id IS NULL OR r.company_id <> l.company_id OR p.id IS NULL \
             OR p.company_id <> l.company_id OR pol.id IS NULL OR pol.company_id <> l.company_id"
                .to_string(),
        ),
        (
            "dunning_item_refs",
            // Nor to its installment and payment (migrations 0020, 0035): each must exist in its company.
            "SELECT it.company_id, it.id, CAST(0 AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
             FROM dunning_items it LEFT JOIN installments i ON i.id = it.installment_id \
             LEFT JOIN payments p ON p.id = it.payment_id \
             WHERE (it.installment_id IS NOT NULL AND (i.id IS NULL OR i.company_id <> it.company_id)) \
             OR (it.payment_id IS NOT NULL AND (p.id IS NULL OR p.company_id <> it.company_id))"
                .to_string(),
        ),
    ];
    rules
}

/// The rows breaking one rule of [`rules`], at most `limit`.
pub async fn rule_violations(
    tx: &mut Tx,
    rule: &'static str,
    query: &str,
    limit: i64,
) -> anyhow::Result<Vec<Violation>> {
    if (**tx).backend_name() != "SQLite" {
        // Every rule aggregates whole tables: hash joins are right. A nested loop chosen on stale
        // statistics (just after a bulk load) would turn a seconds-long check into hours.
        Sql::new("SET LOCAL enable_nestloop = off").execute(tx).await?;
    }
    let mut out = Vec::new();
    {
        let mut sql = Sql::new(query);
        sql.push(" ORDER BY 1, 2 LIMIT ").bind(limit);
        for r in sql.fetch_all(tx).await? {
            let id = row::int(&r, "id")?;
            // Per-row rules give `a` and `b` as plain integers, the journal rules as wide sums.
            let wide_or_int = |alias: &str| match row::int(&r, alias) {
                Ok(v) => Ok(i128::from(v)),
                Err(_) => row::wide(&r, alias),
            };
            let (a, b, c) = (wide_or_int("a")?, wide_or_int("b")?, i128::from(row::int(&r, "c")?));
            let (subject, detail) = match rule {
                "installment_open_amount" => (
                    format!("installment {id}"),
                    format!("amount {a} − open {b} = {} (minor units) but its active allocations total {c}", a - b),
                ),
                "payment_open_amount" => (
                    format!("payment {id}"),
                    format!(
                        "amount {a} − unallocated {b} = {} (minor units) but its active allocations and refunds total {c} \
                         (a cancelled payment must have nothing allocated)",
                        a - b
                    ),
                ),
                "refund_open_amount" => (
                    format!("refund {id}"),
                    format!("amount {a} − to allocate {b} = {} (minor units) but its active allocations total {c}", a - b),
                ),
                "allocation_mismatch" | "refund_allocation_mismatch" => (
                    format!("{} {id}", if rule == "allocation_mismatch" { "allocation" } else { "refund allocation" }),
                    "its amount, side, company, currency or customer does not match its credit and its target".to_string(),
                ),
                "allocation_payer" => (
                    format!("allocation {id}"),
                    "the installment's payer is neither the credit's customer nor that customer's payer".to_string(),
                ),
                "dunning_item_run" => (
                    format!("dunning item {id}"),
                    "its proposal does not exist, or belongs to another company".to_string(),
                ),
                "dunning_hold" => (
                    format!("installment {id}"),
                    if row::int(&r, "a")? == 1 {
                        "held by a dunning item that is not an active dunned item of a draft proposal".to_string()
                    } else {
                        "an active dunned item of a draft proposal does not hold it".to_string()
                    },
                ),
                "allocation_refs" => (
                    format!("allocation {id}"),
                    "its installment, payment or credit note does not exist, or belongs to another company".to_string(),
                ),
                "dunning_letter_refs" => (
                    format!("dunning letter {id}"),
                    "its company, proposal, payer or policy does not exist, or belongs to another company".to_string(),
                ),
                "dunning_item_refs" => (
                    format!("dunning item {id}"),
                    "its installment or payment does not exist, or belongs to another company".to_string(),
                ),
                "journal_entry_unbalanced" => (
                    format!("journal entry {}", row::text(&r, "entry")?),
                    format!("debits {a} ≠ credits {b} ({}, minor units)", row::text(&r, "currency")?),
                ),
                _ => (
                    format!("customer {id}"),
                    format!(
                        "journal receivable {a} ≠ open items less unallocated credits {b} ({}, minor units)",
                        row::text(&r, "currency")?
                    ),
                ),
            };
            out.push(Violation { company_id: row::int(&r, "company_id")?, rule, subject, detail });
        }
    }
    Ok(out)
}
