//! Undoing a small-balance action (SPEC §4.8) while its rebill charge is pending: reversals of its
//! allocations, and opposite internal documents that neutralise its own.

use creance_core::small_balances::{ActionStatus, ChargeStatus};
use creance_core::Date;
use creance_store::allocations::{self, AllocationRow, CreditId};
use creance_store::audit::{self, AuditEvent};
use creance_store::small_balances as store;
use creance_store::{rebill_charges, settings};

use super::actions::{allocate_one, internal, kinds};
use super::ActionView;
use crate::{Actor, App, AppError, Code, SmallBalanceFault};

impl App {
    /// Undoes an action while its charge is pending (a write-off: while it is done): the reversals of
    /// its allocations reopen the items exactly as they were, and each internal document is
    /// neutralised by an opposite one allocated to it, booked the other way; the charge is cancelled.
    pub async fn undo_small_balance_action(
        &self,
        actor: &Actor,
        company_id: i64,
        id: i64,
        today: Date,
    ) -> Result<ActionView, AppError> {
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let not_found = || AppError::NotFound { entity: "small-balance action", key: id.to_string() };
            let a = store::get_action(&mut tx, company_id, id, true).await?.ok_or_else(not_found)?;
            let charge = rebill_charges::of_action(&mut tx, company_id, id, true).await?;
            if a.status != ActionStatus::Done {
                return Err(AppError::rejected_said(
                    Code::ActionNotUndoable,
                    SmallBalanceFault::UndoneAlready { action_id: id },
                ));
            }
            if let Some(c) = charge.as_ref().filter(|c| c.status != ChargeStatus::Pending) {
                return Err(AppError::rejected_said(
                    Code::ActionNotUndoable,
                    SmallBalanceFault::ChargeBilled {
                        charge_id: c.id,
                        action_id: id,
                        status: c.status,
                        invoice: c.invoice_number.clone(),
                    },
                ));
            }
            // Lock what the reversals touch: the payments, then the installments in id order.
            let pays: Vec<i64> = a.items.iter().filter_map(|l| l.payment_id).collect();
            for p in &pays {
                creance_store::payments::get(&mut tx, company_id, *p, true).await?;
            }
            let mut inst: Vec<i64> = a.items.iter().filter_map(|l| l.installment_id).collect();
            let docs: Vec<i64> = [a.debit_document_id, a.credit_document_id].into_iter().flatten().collect();
            let internal_docs = creance_store::documents::by_ids(&mut tx, company_id, &docs).await?;
            let first_inst = |doc: Option<i64>| -> Option<i64> {
                doc.and_then(|d| internal_docs.iter().find(|x| x.id == d))
                    .and_then(|x| x.installments.first().map(|i| i.id))
            };
            let (debit_transfer, credit_transfer) = (first_inst(a.debit_document_id), first_inst(a.credit_document_id));
            inst.extend(debit_transfer);
            inst.extend(credit_transfer);
            allocations::lock_installments(&mut tx, company_id, &inst).await?;
            let mut inst_deltas: Vec<(i64, i64)> = Vec::new();
            let mut pay_deltas: Vec<(i64, i64)> = Vec::new();
            for l in &a.items {
                let al = allocations::get(&mut tx, company_id, l.allocation_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("allocation {} of action {id} vanished", l.allocation_id))?;
                if !al.is_active() {
                    return Err(anyhow::anyhow!("allocation {} of action {id} is no longer active", al.id).into());
                }
                allocations::reverse(&mut tx, company_id, &al, today).await?;
                let back = al.amount.minor();
                inst_deltas.push((al.installment_id, back));
                match (al.payment_id, al.credit_installment_id) {
                    (Some(p), _) => pay_deltas.push((p, back)),
                    (None, Some(c)) => inst_deltas.push((c, back)),
                    (None, None) => {}
                }
            }
            let codes = settings::account_codes(&mut tx, company_id).await?;
            let ((debit_kind, debit_counter), (credit_kind, credit_counter)) = kinds(a.kind);
            let text = format!("Annulation de l'action {id}");
            let mut undo_docs = (None, None);
            if let Some(transfer) = debit_transfer {
                // The credit-side document that closed the debits is closed by a debit-side one.
                let (doc, opposite) = internal(
                    &mut tx,
                    company_id,
                    &codes,
                    credit_kind,
                    debit_counter,
                    a.customer_id,
                    today,
                    a.debit_total,
                    a.contract_id,
                    &text,
                    id,
                )
                .await?;
                undo_docs.0 = Some(doc);
                let row = AllocationRow {
                    credit: CreditId::CreditNote(transfer),
                    installment_id: opposite,
                    amount: a.debit_total,
                    date: today,
                };
                allocate_one(&mut tx, company_id, row).await?;
                inst_deltas.push((transfer, -a.debit_total.minor()));
                inst_deltas.push((opposite, -a.debit_total.minor()));
            }
            if let Some(transfer) = credit_transfer {
                let (doc, opposite) = internal(
                    &mut tx,
                    company_id,
                    &codes,
                    debit_kind,
                    credit_counter,
                    a.customer_id,
                    today,
                    a.credit_total,
                    a.contract_id,
                    &text,
                    id,
                )
                .await?;
                undo_docs.1 = Some(doc);
                let row = AllocationRow {
                    credit: CreditId::CreditNote(opposite),
                    installment_id: transfer,
                    amount: a.credit_total,
                    date: today,
                };
                allocate_one(&mut tx, company_id, row).await?;
                inst_deltas.push((transfer, -a.credit_total.minor()));
                inst_deltas.push((opposite, -a.credit_total.minor()));
            }
            // One delta per installment: an installment may appear twice (reopened, then closed).
            let mut merged: Vec<(i64, i64)> = Vec::new();
            for (i, d) in inst_deltas {
                match merged.iter_mut().find(|(j, _)| *j == i) {
                    Some((_, t)) => *t += d,
                    None => merged.push((i, d)),
                }
            }
            merged.retain(|(_, d)| *d != 0);
            if !merged.is_empty() {
                allocations::adjust_installments(&mut tx, company_id, &merged).await?;
            }
            if !pay_deltas.is_empty() {
                allocations::adjust_payments(&mut tx, company_id, &pay_deltas).await?;
            }
            if !store::set_undone(&mut tx, company_id, id, today, actor.as_str(), undo_docs.0, undo_docs.1).await? {
                return Err(AppError::rejected_said(
                    Code::ActionNotUndoable,
                    SmallBalanceFault::UndoneAlready { action_id: id },
                ));
            }
            if let Some(c) = &charge {
                if !rebill_charges::cancel(&mut tx, company_id, c.id).await? {
                    return Err(AppError::rejected_said(
                        Code::ActionNotUndoable,
                        SmallBalanceFault::ChargeNoLongerPending { charge_id: c.id },
                    ));
                }
            }
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "small_balance.undo", "small_balance_action", Some(id))
                    .summary(format!("action {id} undone: {} item(s) reopened", a.items.len())),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.small_balance_action_get(company_id, id).await
    }
}
