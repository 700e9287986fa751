//! Totals per currency of the money lists the screens show (payments to deposit, advances, refunds,
//! deposits): of everything the list's filter selects, not of the page shown. One read query each
//! (`creance_store::list_totals`), with the same filters as the lists themselves.

use creance_core::Date;
use creance_store::list_totals;
pub use creance_store::list_totals::ListTotal;
use creance_store::payments::PaymentFilter;

use crate::refunds::RefundFilter;
use crate::{App, AppError};

impl App {
    /// The totals of `payments(company_id, filter, …)`.
    pub async fn payment_totals(&self, company_id: i64, filter: &PaymentFilter) -> Result<Vec<ListTotal>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(list_totals::payments(&mut tx, company_id, filter).await?)
    }

    /// The totals of `advances(company_id, customer_id, …)`.
    pub async fn advance_totals(&self, company_id: i64, customer_id: Option<i64>) -> Result<Vec<ListTotal>, AppError> {
        self.payment_totals(company_id, &PaymentFilter { advances: true, customer_id, ..Default::default() }).await
    }

    /// The totals of `to_deposit(company_id, as_of, show_future, …)`.
    pub async fn to_deposit_totals(
        &self,
        company_id: i64,
        as_of: Date,
        show_future: bool,
    ) -> Result<Vec<ListTotal>, AppError> {
        self.payment_totals(company_id, &crate::deposits::to_deposit_filter(as_of, show_future)).await
    }

    /// The totals of `refunds(company_id, filter, …)`.
    pub async fn refund_totals(&self, company_id: i64, filter: &RefundFilter) -> Result<Vec<ListTotal>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(list_totals::refunds(&mut tx, company_id, filter).await?)
    }

    /// The totals of `deposits(company_id, status, …)`.
    pub async fn deposit_totals(&self, company_id: i64, status: Option<&str>) -> Result<Vec<ListTotal>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(list_totals::deposits(&mut tx, company_id, status).await?)
    }
}
