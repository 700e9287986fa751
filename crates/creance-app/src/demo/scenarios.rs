//! The situations a credit controller meets, made through the use cases themselves (each in its own
//! transaction): payments kept as credit or waiting for allocation, an advance, a refund waiting "to
//! allocate", and dunning (a policy with interest, a dispute, a phone reminder, letters issued 16 days
//! ago and today's proposal). The last step marks the company complete.

use creance_core::{Currency, Money};
use creance_store::audit::{self, AuditEvent};
use creance_store::open_items::OpenItemFilter;

use super::{DemoOptions, DemoStep, DemoSummary};
use crate::{Actor, App, AppError};

impl App {
    /// Dunning as a credit controller finds it: the France B2B interest table and a policy using it
    /// for a few customers, a disputed invoice, a reminder made by phone, letters issued 16 days ago to
    /// the first 300 customers' payers, and today's proposal for them left as a draft to edit.
    pub(super) async fn demo_dunning(
        &self,
        actor: &Actor,
        company_id: i64,
        opts: &DemoOptions,
        summary: &mut DemoSummary,
        step: &(dyn Fn(DemoStep) + Sync),
    ) -> Result<(), AppError> {
        use crate::views::dunning::{PolicyInput, PolicyLevel};
        let table = self.create_interest_preset(actor, company_id, "fr_b2b").await?;
        let level = |level: i64, delay_days: i64, fee: i64| PolicyLevel {
            interest: level > 1,
            indemnity: level > 1,
            channel: "email".into(),
            ..PolicyLevel::plain(level, delay_days).with_fixed_fee(fee)
        };
        let policy = PolicyInput {
            code: "fr_b2b".into(),
            name: "France B2B: interest and 40 EUR indemnity from level 2, 10 EUR fee at level 3".into(),
            currency: Currency::EUR,
            min_amount: 1_000,
            list_not_due: true,
            allow_skip: true,
            repeat_last: false,
            payment_days: 8,
            interest_table_id: Some(table.id),
            interest_min: 500,
            levels: vec![level(1, 1, 0), level(2, 15, 0), level(3, 15, 1_000)],
            texts: Vec::new(),
        };
        self.save_dunning_policy(actor, company_id, &policy).await?;
        let range = crate::dunning::Criteria { customer_to: Some("C000300".into()), ..Default::default() };
        let page = crate::queries::Page { limit: 300, offset: 0 };
        let filter = creance_store::customers::CustomerFilter {
            number_to: Some("C000300".into()),
            currency: Some(Currency::EUR),
            ..Default::default()
        };
        let customers = self.customers(company_id, &filter, page).await?;
        for c in customers.items.iter().filter(|c| c.payer_id.is_none()).step_by(5).take(20) {
            let s = crate::dunning::settings::CustomerDunning { policy: Some("fr_b2b".into()), enabled: true };
            self.set_customer_dunning(actor, company_id, c.id, &s).await?;
        }
        let mut filter = OpenItemFilter::new(opts.as_of);
        filter.overdue = true;
        filter.currency = Some(Currency::EUR);
        filter.customer_number_to = Some("C000300".into());
        let open = self.open_items(company_id, &filter, &[], crate::queries::Page { limit: 4, offset: 0 }).await?;
        if let Some(item) = open.items.first() {
            let block = crate::dunning::settings::Block {
                installment_ids: vec![item.installment_id],
                reason: Some("dispute".into()),
                until: None,
                note: "quantité livrée contestée".into(),
            };
            self.block_installments(actor, company_id, &block).await?;
        }
        if let Some(item) = open.items.get(1) {
            let days = item.due_date.days_until(opts.as_of);
            if days > 2 {
                let rec = crate::dunning::RecordExternal {
                    installment_id: Some(item.installment_id),
                    document_number: None,
                    level: 1,
                    date: item.due_date.add_days(days.min(20) / 2).to_string(),
                    channel: "phone".into(),
                    note: "appel au service comptable".into(),
                    force: false,
                    reason: String::new(),
                };
                self.record_external_reminder(actor, company_id, &rec, opts.as_of).await?;
            }
        }
        let earlier = opts.as_of.add_days(-16);
        let criteria = crate::dunning::Criteria { as_of: Some(earlier.to_string()), ..range.clone() };
        let p = self.propose_dunning(actor, company_id, &criteria, earlier).await?;
        if let Some(run_id) = p.run_id() {
            let issued = self.issue_dunning(actor, company_id, run_id, earlier).await?;
            summary.letters_issued = issued.letters_issued as usize;
        }
        step(DemoStep::LettersIssued);
        let criteria = crate::dunning::Criteria { as_of: Some(opts.as_of.to_string()), ..range };
        self.propose_dunning(actor, company_id, &criteria, opts.as_of).await?;
        // The last step: the company becomes visible, with the audit event of the whole demo.
        let mut tx = self.db.begin_write(actor.at()).await?;
        creance_store::companies::set_incomplete(&mut tx, company_id, false).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "demo.complete", "company", Some(company_id))
                .summary(format!("demo complete: {} letters issued", summary.letters_issued)),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// A few of the situations a credit controller meets, made through the use cases themselves: an
    /// over-payment kept as credit, a payment waiting for its allocation, an advance for an order not
    /// invoiced yet, a refund waiting "to allocate".
    pub(super) async fn demo_money_situations(
        &self,
        actor: &Actor,
        company_id: i64,
        opts: &DemoOptions,
        summary: &mut DemoSummary,
    ) -> Result<(), AppError> {
        use crate::payments::{AllocateRequest, RecordPayment};
        let page = crate::queries::Page { limit: 12, offset: 0 };
        let mut filter = OpenItemFilter::new(opts.as_of);
        filter.overdue = true;
        filter.currency = Some(Currency::EUR);
        let open = self.open_items(company_id, &filter, &[], page).await?;
        for (n, item) in open.items.iter().enumerate() {
            let (amount, allocate, order_ref) = match n % 4 {
                0 => (item.amount_open.minor() + 5_000, Some(AllocateRequest::Proposal), String::new()),
                1 => (item.amount_open.minor(), None, String::new()),
                2 => (25_000 + 1_000 * n as i64, None, format!("CMD-DEMO-{n:03}")),
                _ => continue,
            };
            let input = RecordPayment {
                customer_id: Some(item.customer_id),
                date: Some(opts.as_of.to_string()),
                amount: Money::new(amount, Currency::EUR).format_amount().into(),
                method: "transfer".into(),
                piece_number: format!("VIR {}", item.document_number),
                order_ref,
                confirm_duplicate: true,
                allocate,
                ..Default::default()
            };
            self.record_payment(actor, company_id, &input, opts.as_of).await?;
            summary.payments += 1;
        }
        if let Some(item) = open.items.first() {
            let refund = crate::refunds::RecordRefund {
                customer_id: Some(item.customer_id),
                date: Some(opts.as_of.to_string()),
                amount: "50.00".into(),
                reason: "overpayment".into(),
                method: "transfer".into(),
                ..Default::default()
            };
            self.record_refund(actor, company_id, &refund, opts.as_of).await?;
        }
        Ok(())
    }
}
