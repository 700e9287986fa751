//! The batch allocation (SPEC §4.2): every unallocated credit of a company, or of the customers paid by
//! one payer, allocated by the proposal rule at once. A preview computes and shows; a confirmation
//! computes again and writes everything in one transaction, set-based (one read of the open items,
//! multi-row inserts and updates). The open items are read without locking them (on SQLite the write
//! transaction holds the database's write lock anyway); each row is written only if it is still as it
//! was read, and if another transaction changed one in between the whole batch is planned again
//! (`allocations::adjust_if_unchanged`, a lost race that `with_retry` retries).

use std::collections::HashMap;

use anyhow::Context;
use creance_core::allocation::{self, OpenDebit};
use creance_core::{Currency, Date, Money, MoneyTotal};
use creance_store::allocations::{self, AllocationRow, CreditId, InstallmentState, SeenChange, SeenTable};
use creance_store::audit::{self, AuditEvent};
use creance_store::journal::{self, Rows};
use creance_store::settings;
use serde::Serialize;

use crate::{Actor, App, AppError};

/// One allocation the batch makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BatchLine {
    /// `payment` or `credit_note`.
    pub credit_kind: &'static str,
    /// The payment id, or the credit note's installment id.
    pub credit_id: i64,
    pub installment_id: i64,
    pub document_number: String,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchTotal {
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub allocated: MoneyTotal,
    /// What stays unallocated afterwards (credit with no open installment to pay); never negative.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub left_unallocated: MoneyTotal,
}

/// What the batch does (preview) or did (confirmed).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchAllocation {
    pub confirmed: bool,
    /// Unallocated credits looked at.
    pub credits: usize,
    /// Credits that get at least one allocation.
    pub credits_allocated: usize,
    pub line_count: usize,
    pub totals: Vec<BatchTotal>,
    /// The lines, at most `LINES_SHOWN` (all are written on confirmation).
    pub lines: Vec<BatchLine>,
}

/// A batch writing more allocations than this refreshes the planner's statistics afterwards.
const ANALYZE_AFTER_LINES: usize = 10_000;

/// Lines listed in an answer; the counts and totals cover all of them.
pub const LINES_SHOWN: usize = 1000;

struct Credit {
    id: CreditId,
    customer_id: i64,
    payer_id: i64,
    date: Date,
    open: Money,
    reference: String,
}

/// Plans the batch: credits oldest first, each by the proposal rule over the open debits it may pay
/// (its customer's and those of the customers it pays for), the open amounts updated as it goes.
fn plan(credits: &mut [Credit], debits: &mut [InstallmentState]) -> Vec<(usize, AllocationRow)> {
    credits.sort_by_key(|c| (c.date, matches!(c.id, CreditId::CreditNote(_)), credit_key(c.id)));
    let mut by_payer: HashMap<(i64, Currency), Vec<usize>> = HashMap::new();
    for (i, d) in debits.iter().enumerate() {
        by_payer.entry((d.payer_id, d.currency)).or_default().push(i);
    }
    let mut out = Vec::new();
    for (ci, c) in credits.iter_mut().enumerate() {
        let currency = c.open.currency();
        let mut idx: Vec<usize> = by_payer.get(&(c.customer_id, currency)).cloned().unwrap_or_default();
        if c.payer_id != c.customer_id {
            idx.extend(by_payer.get(&(c.payer_id, currency)).into_iter().flatten().copied());
        }
        let open: Vec<OpenDebit> =
            idx.iter().map(|&i| &debits[i]).filter(|d| d.amount_open > 0).map(InstallmentState::open_debit).collect();
        if open.is_empty() {
            continue;
        }
        let p = allocation::propose(c.open, c.customer_id, &c.reference, &open);
        for line in p.lines {
            if let Some(&i) = idx.iter().find(|&&i| debits[i].id == line.installment_id) {
                debits[i].amount_open -= line.amount.minor();
                out.push((
                    ci,
                    AllocationRow {
                        credit: c.id,
                        installment_id: line.installment_id,
                        amount: line.amount,
                        date: c.date,
                    },
                ));
            }
        }
        c.open = p.unallocated;
    }
    out
}

fn credit_key(id: CreditId) -> i64 {
    match id {
        CreditId::Payment(i) | CreditId::CreditNote(i) => i,
    }
}

impl App {
    /// Allocates every unallocated credit (of the customers paid by `payer_id`, or of the whole
    /// company). `confirm = false` only previews. Allocations are dated `date`.
    pub async fn auto_allocate(
        &self,
        actor: &Actor,
        company_id: i64,
        payer_id: Option<i64>,
        confirm: bool,
        date: Date,
    ) -> Result<BatchAllocation, AppError> {
        self.with_retry(|| self.auto_allocate_once(actor, company_id, payer_id, confirm, date)).await
    }

    async fn auto_allocate_once(
        &self,
        actor: &Actor,
        company_id: i64,
        payer_id: Option<i64>,
        confirm: bool,
        date: Date,
    ) -> Result<BatchAllocation, AppError> {
        let mut tx = if confirm { self.db.begin_write(actor.at()).await? } else { self.db.begin_read().await? };
        let scope = || match payer_id {
            Some(p) => format!("company {company_id}, payer {p}"),
            None => format!("company {company_id}"),
        };
        let payments = allocations::open_payments(&mut tx, company_id, payer_id)
            .await
            .with_context(|| format!("{}: reading the unallocated payments", scope()))?;
        let open = allocations::open_installments(&mut tx, company_id, payer_id)
            .await
            .with_context(|| format!("{}: reading the open installments", scope()))?;
        // What each row held when read: it is written only if it still does.
        let seen_installments: HashMap<i64, i64> =
            if confirm { open.iter().map(|i| (i.id, i.amount_open)).collect() } else { HashMap::new() };
        let seen_payments: HashMap<i64, (i64, i64)> = if confirm {
            payments.iter().map(|p| (p.id, (p.amount_open.minor(), p.customer_id))).collect()
        } else {
            HashMap::new()
        };
        let (mut debits, notes): (Vec<InstallmentState>, Vec<InstallmentState>) =
            open.into_iter().partition(|i| i.side == 1);
        // Read in no particular order: sorted here so that the plan is the same every time.
        debits.sort_unstable_by_key(|d| d.id);
        let mut credits: Vec<Credit> = payments
            .into_iter()
            .map(|p| Credit {
                id: CreditId::Payment(p.id),
                customer_id: p.customer_id,
                payer_id: p.payer_id,
                date: p.date,
                open: p.amount_open,
                reference: p.reference,
            })
            .chain(notes.into_iter().map(|n| Credit {
                id: CreditId::CreditNote(n.id),
                customer_id: n.customer_id,
                payer_id: n.payer_id,
                date: n.due_date,
                open: Money::new(n.amount_open, n.currency),
                reference: String::new(),
            }))
            .collect();
        let before: Vec<(CreditId, Money)> = credits.iter().map(|c| (c.id, c.open)).collect();
        let lines = plan(&mut credits, &mut debits);
        let names: HashMap<i64, &str> = debits.iter().map(|d| (d.id, d.document_number.as_str())).collect();

        // Totals in i128 (`MoneyTotal`): thousands of credits at the input limit never wrap.
        let mut totals: HashMap<Currency, (i128, i128)> = HashMap::new();
        for (_, row) in &lines {
            totals.entry(row.amount.currency()).or_default().0 += i128::from(row.amount.minor());
        }
        for c in &credits {
            totals.entry(c.open.currency()).or_default().1 += i128::from(c.open.minor());
        }
        let mut totals: Vec<BatchTotal> = totals
            .into_iter()
            .map(|(currency, (a, l))| BatchTotal {
                currency,
                allocated: MoneyTotal::new(a, currency),
                left_unallocated: MoneyTotal::new(l, currency),
            })
            .collect();
        totals.sort_by_key(|t| t.currency.code());
        let mut allocated_credits: Vec<usize> = lines.iter().map(|(ci, _)| *ci).collect();
        allocated_credits.dedup();
        let shown = lines
            .iter()
            .take(LINES_SHOWN)
            .map(|(_, r)| BatchLine {
                credit_kind: match r.credit {
                    CreditId::Payment(_) => "payment",
                    CreditId::CreditNote(_) => "credit_note",
                },
                credit_id: credit_key(r.credit),
                installment_id: r.installment_id,
                document_number: names.get(&r.installment_id).map(|s| s.to_string()).unwrap_or_default(),
                amount: r.amount,
            })
            .collect();
        let result = BatchAllocation {
            confirmed: confirm,
            credits: before.len(),
            credits_allocated: allocated_credits.len(),
            line_count: lines.len(),
            totals,
            lines: shown,
        };
        if !confirm || lines.is_empty() {
            return Ok(result);
        }

        // Only an allocation between two customers (a payer paying for another) books a transfer and
        // needs its id back; the others are written without reading anything back.
        let customer_of: HashMap<i64, i64> = debits.iter().map(|d| (d.id, d.customer_id)).collect();
        let (mut cross, mut own) = (Vec::new(), Vec::new());
        for (ci, r) in &lines {
            let row = AllocationRow { date, ..*r };
            if customer_of.get(&r.installment_id) == Some(&credits[*ci].customer_id) {
                own.push(row);
            } else {
                cross.push(row);
            }
        }
        let mut inst: HashMap<i64, i64> = HashMap::new();
        let mut pays: HashMap<i64, i64> = HashMap::new();
        for r in own.iter().chain(&cross) {
            *inst.entry(r.installment_id).or_default() -= r.amount.minor();
            match r.credit {
                CreditId::Payment(p) => *pays.entry(p).or_default() -= r.amount.minor(),
                CreditId::CreditNote(i) => *inst.entry(i).or_default() -= r.amount.minor(),
            }
        }
        // Payments before installments, as every single allocation locks them; each in id order.
        let changes = |deltas: HashMap<i64, i64>, seen: &dyn Fn(i64) -> Option<(i64, i64)>| {
            let mut out = deltas
                .into_iter()
                .map(|(id, delta)| {
                    let (seen_open, seen_customer) =
                        seen(id).with_context(|| format!("row {id} was allocated but not read"))?;
                    Ok(SeenChange { id, delta, seen_open, seen_customer })
                })
                .collect::<anyhow::Result<Vec<SeenChange>>>()?;
            out.sort_unstable_by_key(|c| c.id);
            Ok::<_, anyhow::Error>(out)
        };
        let pays = changes(pays, &|id| seen_payments.get(&id).copied())?;
        let inst = changes(inst, &|id| seen_installments.get(&id).map(|o| (*o, 0)))?;
        allocations::adjust_if_unchanged(&mut tx, SeenTable::Payments, company_id, &pays).await?;
        allocations::adjust_if_unchanged(&mut tx, SeenTable::Installments, company_id, &inst).await?;
        allocations::insert(&mut tx, company_id, &own, false).await?;
        let ids = allocations::insert(&mut tx, company_id, &cross, true).await?;
        let codes = settings::account_codes(&mut tx, company_id).await?;
        if !ids.is_empty() {
            journal::book_allocation_transfers(&mut tx, company_id, &codes, Rows::Ids(&ids)).await?;
        }
        let scope = payer_id.map_or_else(|| "the company".to_string(), |p| format!("payer {p}"));
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "allocation.batch", "allocation", None).summary(format!(
                "batch allocation for {scope}: {} allocation(s) from {} credit(s)",
                result.line_count, result.credits_allocated
            )),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        if result.line_count > ANALYZE_AFTER_LINES {
            // Many new allocations: refresh the planner's statistics, as after a large import.
            self.db.analyze_table("allocations").await?;
        }
        Ok(result)
    }
}
