//! Advances (SPEC §4.4): a payment with an order reference and nothing to pay yet. When an invoice
//! with that order reference arrives, the advance is allocated to it in the import's transaction and
//! leaves the list of advances.

use creance_core::allocation::{self, OpenDebit};
use creance_core::Date;
use creance_store::allocations::{self, InstallmentState};
use creance_store::payments::{self, PaymentFilter};
use creance_store::settings::AccountCodes;
use creance_store::Tx;

use crate::payments::{allocate_in, lock_credit, CreditRef};
use crate::queries::{Listed, Page};
use crate::views::money::Payment;
use crate::{App, AppError};

/// Allocates the advances whose order reference matches new invoices `(document id, order ref,
/// document date)`; returns the number of allocations made. An allocation is dated when both sides
/// exist: the later of the payment's and the invoice's dates.
pub(crate) async fn allocate_to_new_documents(
    tx: &mut Tx,
    company_id: i64,
    codes: &AccountCodes,
    docs: &[(i64, String, Date)],
) -> Result<usize, AppError> {
    let mut refs: Vec<String> = docs.iter().map(|(_, r, _)| r.clone()).collect();
    refs.sort();
    refs.dedup();
    let advances = payments::advances_for_orders(tx, company_id, &refs).await?;
    if advances.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = docs.iter().map(|(id, _, _)| *id).collect();
    let mut states: Vec<(InstallmentState, String, Date)> = allocations::of_documents(tx, company_id, &ids)
        .await?
        .into_iter()
        .filter_map(|s| {
            let (_, order, date) = docs.iter().find(|(id, _, _)| *id == s.document_id)?;
            Some((s, order.clone(), *date))
        })
        .collect();
    let mut made = 0;
    for advance in advances {
        let credit = lock_credit(tx, company_id, CreditRef::Payment(advance.id)).await?;
        let candidates: Vec<OpenDebit> = states
            .iter()
            .filter(|(s, order, _)| {
                *order == advance.order_ref
                    && s.side == 1
                    && s.amount_open > 0
                    && s.currency == advance.amount.currency()
                    && (s.payer_id == credit.customer_id || s.payer_id == credit.payer_id)
            })
            .map(|(s, _, _)| s.open_debit())
            .collect();
        let p = allocation::propose(credit.unallocated, credit.customer_id, "", &candidates);
        if p.lines.is_empty() {
            continue;
        }
        let invoice_date = p
            .lines
            .iter()
            .filter_map(|l| states.iter().find(|(s, _, _)| s.id == l.installment_id).map(|(_, _, d)| *d))
            .max()
            .unwrap_or(advance.date);
        allocate_in(tx, company_id, codes, &credit, &p.lines, advance.date.max(invoice_date)).await?;
        for line in &p.lines {
            if let Some((s, _, _)) = states.iter_mut().find(|(s, _, _)| s.id == line.installment_id) {
                s.amount_open -= line.amount.minor();
            }
        }
        made += p.lines.len();
    }
    Ok(made)
}

impl App {
    /// Advances: active payments with an order reference and something unallocated.
    pub async fn advances(
        &self,
        company_id: i64,
        customer_id: Option<i64>,
        page: Page,
    ) -> Result<Listed<Payment>, AppError> {
        let filter = PaymentFilter { advances: true, customer_id, ..Default::default() };
        self.payments(company_id, &filter, page).await
    }
}
