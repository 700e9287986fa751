//! Changing the customer of a payment (SPEC §4.2, seed 001: "le règlement sera alors affecté au client
//! sélectionné"): a payment recorded for the wrong customer is moved to the right one while nothing of
//! it is allocated or refunded. Its receivable follows in the journal (a transfer from the old
//! customer's account to the new one's), so that every customer's journal balance still equals its
//! open items, and one audit event keeps the before and after. A payment in a bank deposit may move:
//! the deposit concerns the bank side, not the customer.

use creance_core::Date;
use creance_store::audit::{self, AuditEvent};
use creance_store::{payments, settings};
use serde::Deserialize;

use crate::payment_rejections::PaymentRejection;
use crate::payments::{find_customer, parse_date_field, PaymentDetail};
use crate::{Actor, App, AppError, Fault};

/// The customer a payment is to go to, by id or number (both must then agree).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPaymentCustomer {
    pub customer_id: Option<i64>,
    pub customer_number: Option<String>,
    /// The date of the transfer entry in the journal (YYYY-MM-DD); today when absent.
    pub date: Option<String>,
}

impl App {
    /// Moves an active payment with nothing allocated or refunded to another customer; refused (409)
    /// while any of it is allocated or refunded, or once it is cancelled.
    pub async fn set_payment_customer(
        &self,
        actor: &Actor,
        company_id: i64,
        payment_id: i64,
        input: &SetPaymentCustomer,
        today: Date,
    ) -> Result<PaymentDetail, AppError> {
        let date = parse_date_field("date", &input.date)?.unwrap_or(today);
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let p = payments::get(&mut tx, company_id, payment_id, true)
                .await?
                .ok_or(AppError::NotFound { entity: "payment", key: payment_id.to_string() })?;
            if p.status != creance_core::PaymentStatus::Active {
                return Err(PaymentRejection::Cancelled { number: p.number }.into());
            }
            if p.unallocated != p.amount {
                let used = p.amount.checked_sub(p.unallocated).unwrap_or(p.amount);
                return Err(PaymentRejection::Allocated { number: p.number, used, moving: true }.into());
            }
            let customer =
                find_customer(&mut tx, company_id, input.customer_id, input.customer_number.as_deref()).await?;
            if customer.id == p.customer_id {
                return Err(AppError::invalid_said(
                    if input.customer_number.is_some() { "customer_number" } else { "customer_id" },
                    Fault::AlreadyTheCustomer { payment: p.number, customer: customer.fields.number },
                ));
            }
            if !payments::set_customer(&mut tx, company_id, p.id, customer.id).await? {
                return Err(PaymentRejection::Changed { number: p.number, what: "change customer" }.into());
            }
            let codes = settings::account_codes(&mut tx, company_id).await?;
            payments::book_customer_change(&mut tx, company_id, &codes, p.id, p.customer_id, customer.id, date).await?;
            let side = |id: i64, number: &str| serde_json::json!({ "customer_id": id, "customer_number": number });
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "payment.set_customer", "payment", Some(p.id))
                    .summary(format!(
                        "payment {} of {} moved from customer {} to {}",
                        p.number, p.amount, p.customer_number, customer.fields.number
                    ))
                    .change(
                        Some(side(p.customer_id, &p.customer_number).to_string()),
                        Some(side(customer.id, &customer.fields.number).to_string()),
                    ),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.payment(company_id, payment_id).await
    }
}
