//! The open-items history (issue 13 point 2, seed 001: a fully paid line passes to history): a
//! company's settled installments with the payments and credit notes that settled them, filtered
//! with the open-items filters that concern a paid item, one page at a time in one read snapshot.

use creance_store::open_items::{OpenItemFilter, Sort};
use creance_store::settled_items;
pub use creance_store::settled_items::{SettledItem, Settlement};

use crate::queries::Page;
use crate::{App, AppError};

/// A page of the history: its rows and whether another page follows (the history is not counted:
/// it only grows, and a count would read all of it).
#[derive(Debug, Clone)]
pub struct SettledItems {
    pub items: Vec<SettledItem>,
    pub more: bool,
    pub limit: i64,
    pub offset: i64,
}

impl App {
    pub async fn settled_items(
        &self,
        company_id: i64,
        filter: &OpenItemFilter,
        sorts: &[Sort],
        page: Page,
    ) -> Result<SettledItems, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, more) = settled_items::list(&mut tx, company_id, filter, sorts, page.limit, page.offset).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(SettledItems { items, more, limit: page.limit, offset: page.offset })
    }
}
