//! The billing system's side of re-bills (SPEC §4.8): the pending charges to put on next invoices,
//! and their acknowledgement with the billing system's invoice number, after which the action that
//! made the charge can no longer be undone.

use creance_core::small_balances::ChargeStatus;
use creance_core::Money;
use creance_store::audit::{self, AuditEvent};
use creance_store::rebill_charges::{self, ChargeFilter};
use serde::{Deserialize, Serialize};

use super::LinkView;
use crate::queries::{Listed, Page};
use crate::{Actor, App, AppError, Code, Fault, SmallBalanceFault};

/// A charge for the billing system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RebillCharge {
    pub id: i64,
    pub action_id: i64,
    pub contract_id: i64,
    pub contract_number: String,
    pub customer_id: i64,
    pub customer_number: String,
    /// Positive: to bill; negative: to deduct.
    #[schema(value_type = crate::views::schema::MoneySchema)]
    pub amount: Money,
    pub text: String,
    /// `pending`, `acknowledged` or `cancelled`.
    pub status: String,
    /// The billing system's invoice that carries it, once acknowledged.
    pub invoice_number: String,
    pub acknowledged_at: Option<String>,
    pub created_at: String,
    /// The items its action closed.
    pub source_items: Vec<LinkView>,
    /// The source items' references, for the CSV (`FA-1, RG-2026-000004`).
    pub sources: String,
}

impl From<rebill_charges::Charge> for RebillCharge {
    fn from(c: rebill_charges::Charge) -> RebillCharge {
        let sources = c.items.iter().map(|l| l.reference.as_str()).collect::<Vec<_>>().join(", ");
        RebillCharge {
            id: c.id,
            action_id: c.action_id,
            contract_id: c.contract_id,
            contract_number: c.contract_number,
            customer_id: c.customer_id,
            customer_number: c.customer_number,
            amount: c.amount,
            text: c.text,
            status: c.status.code().to_string(),
            invoice_number: c.invoice_number,
            acknowledged_at: c.acknowledged_at,
            created_at: c.created_at,
            source_items: c.items.into_iter().map(LinkView::from).collect(),
            sources,
        }
    }
}

/// The charges list's filters, as plain text.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChargeQuery {
    /// `pending`, `acknowledged` or `cancelled`; every charge when absent.
    pub status: Option<String>,
    pub contract_id: Option<i64>,
    pub customer_id: Option<i64>,
}

/// The billing system's acknowledgement.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeCharge {
    /// The number of the billing system's invoice that carries the charge.
    pub invoice_number: String,
}

fn filter(q: &ChargeQuery) -> Result<ChargeFilter, AppError> {
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(ChargeStatus::parse(s).ok_or_else(|| {
            AppError::invalid_said(
                "status",
                Fault::NotEither { text: s.to_string(), words: &["pending", "acknowledged", "cancelled"] },
            )
        })?),
        None => None,
    };
    Ok(ChargeFilter { status, contract_id: q.contract_id, customer_id: q.customer_id })
}

impl App {
    /// Rebill charges in id order (the order the billing system takes them), with their source items.
    pub async fn rebill_charges(
        &self,
        company_id: i64,
        q: &ChargeQuery,
        page: Page,
    ) -> Result<Listed<RebillCharge>, AppError> {
        let f = filter(q)?;
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = rebill_charges::list(&mut tx, company_id, &f, page.limit, page.offset).await?;
        Ok(Listed {
            items: items.into_iter().map(Into::into).collect(),
            total_count,
            limit: page.limit,
            offset: page.offset,
        })
    }

    pub async fn rebill_charge(&self, company_id: i64, id: i64) -> Result<RebillCharge, AppError> {
        let mut tx = self.db.begin_read().await?;
        rebill_charges::get(&mut tx, company_id, id, false)
            .await?
            .map(Into::into)
            .ok_or(AppError::NotFound { entity: "rebill charge", key: id.to_string() })
    }

    /// Acknowledges a pending charge with the billing system's invoice number; final (its action can
    /// no longer be undone). A second acknowledgement is refused (409 `charge_not_pending`).
    pub async fn acknowledge_rebill_charge(
        &self,
        actor: &Actor,
        company_id: i64,
        id: i64,
        input: &AcknowledgeCharge,
    ) -> Result<RebillCharge, AppError> {
        let number = crate::payments::one_line_text("invoice_number", &input.invoice_number, 100)?;
        if number.is_empty() {
            return Err(AppError::invalid_said("invoice_number", SmallBalanceFault::InvoiceNumberMissing));
        }
        self.with_retry(|| async {
            let mut tx = self.db.begin_write(actor.at()).await?;
            let c = rebill_charges::get(&mut tx, company_id, id, true)
                .await?
                .ok_or(AppError::NotFound { entity: "rebill charge", key: id.to_string() })?;
            if c.status != ChargeStatus::Pending
                || !rebill_charges::acknowledge(&mut tx, company_id, id, &number, actor.as_str()).await?
            {
                return Err(AppError::rejected_said(
                    Code::ChargeNotPending,
                    SmallBalanceFault::ChargeNotPending { id, status: c.status },
                ));
            }
            audit::record(
                &mut tx,
                &AuditEvent::new(company_id, actor.as_str(), "rebill_charge.acknowledge", "rebill_charge", Some(id))
                    .summary(format!("rebill charge {id} of {} on invoice {number}", c.amount)),
            )
            .await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            Ok(())
        })
        .await?;
        self.rebill_charge(company_id, id).await
    }
}
