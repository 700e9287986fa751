//! SPEC §4.1 recomputed from the rows: every invariant is one set-based query that returns the rows
//! that break it. Used by `creance check` and by tests after every step of a workload.
//!
//! An allocation is *active* when it is not a reversal and no reversal names it.

use serde::Serialize;

use crate::row;
use crate::{Sql, Tx};

/// One broken invariant on one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub company_id: i64,
    /// Which rule: `installment_open_amount` (a credit note's open credit too), `payment_over_allocated`,
    /// `allocation_mismatch`, `allocation_payer`.
    pub rule: &'static str,
    /// The row at fault, e.g. `installment 12`.
    pub subject: String,
    pub detail: String,
}

const ACTIVE: &str = "a.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id)";

/// Every violation in the database (all companies), at most `limit` per rule.
pub async fn violations(tx: &mut Tx, limit: i64) -> anyhow::Result<Vec<Violation>> {
    // Active allocations summed per installment, on each side, in one pass each.
    let per = |column: &str| {
        format!(
            "(SELECT a.{column} AS id, SUM(a.amount) AS s FROM allocations a \
             WHERE a.{column} IS NOT NULL AND {ACTIVE} GROUP BY a.{column})"
        )
    };
    let rules: Vec<(&'static str, String)> = vec![
        (
            "installment_open_amount",
            format!(
                "SELECT i.company_id, i.id, CAST(i.amount AS BIGINT) AS a, CAST(i.amount_open AS BIGINT) AS b, \
                 CAST(COALESCE(t.s, 0) + COALESCE(c.s, 0) AS BIGINT) AS c FROM installments i \
                 LEFT JOIN {} t ON t.id = i.id LEFT JOIN {} c ON c.id = i.id \
                 WHERE i.amount - i.amount_open <> COALESCE(t.s, 0) + COALESCE(c.s, 0)",
                per("installment_id"),
                per("credit_installment_id")
            ),
        ),
        (
            "payment_over_allocated",
            format!(
                "SELECT p.company_id, p.id, CAST(p.amount AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, \
                 CAST(t.s AS BIGINT) AS c FROM payments p JOIN {} t ON t.id = p.id WHERE t.s > p.amount",
                per("payment_id")
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
                 OR COALESCE(ci.side, -1) <> -1)"
            ),
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
    ];
    let mut out = Vec::new();
    for (rule, query) in rules {
        let mut sql = Sql::new(&query);
        sql.push(" ORDER BY 1, 2 LIMIT ").bind(limit);
        for r in sql.fetch_all(&mut **tx).await? {
            let id = row::int(&r, "id")?;
            let (a, b, c) = (row::int(&r, "a")?, row::int(&r, "b")?, row::int(&r, "c")?);
            let (subject, detail) = match rule {
                "installment_open_amount" => (
                    format!("installment {id}"),
                    format!("amount {a} − open {b} = {} (minor units) but its active allocations total {c}", a - b),
                ),
                "payment_over_allocated" => {
                    (format!("payment {id}"), format!("amount {a} but {c} allocated (minor units)"))
                }
                "allocation_mismatch" => (
                    format!("allocation {id}"),
                    "its amount, side, company or currency does not match its credit and its installment".to_string(),
                ),
                _ => (
                    format!("allocation {id}"),
                    "the installment's payer is neither the credit's customer nor that customer's payer".to_string(),
                ),
            };
            out.push(Violation { company_id: row::int(&r, "company_id")?, rule, subject, detail });
        }
    }
    Ok(out)
}
