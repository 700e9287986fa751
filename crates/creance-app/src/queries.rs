//! Read use cases: lists and details, each read in one snapshot. Page sizes are bounded here so that
//! no caller can ask for an unbounded result.

use creance_core::ContractStatus;
use creance_store::contracts;
use creance_store::customers;
/// The customers and documents lists' filters: plain query parameters, passed through to the store.
pub use creance_store::customers::CustomerFilter;
use creance_store::documents;
pub use creance_store::documents::DocumentFilter;
use creance_store::open_items::{self, OpenItemFilter, Sort};

use crate::views::ledger::{Contract, CurrencyTotal, Customer, Document, Installment, OpenDocument, OpenItem};
use crate::{App, AppError};

/// The largest page any list returns.
pub const PAGE_LIMIT_MAX: i64 = 10_000;

/// A page request: `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Result<Page, AppError> {
        let limit = limit.unwrap_or(100);
        if !(1..=PAGE_LIMIT_MAX).contains(&limit) {
            return Err(AppError::invalid_said("limit", crate::Fault::LimitOutOfRange { limit, max: PAGE_LIMIT_MAX }));
        }
        let offset = offset.unwrap_or(0);
        if offset < 0 {
            return Err(AppError::invalid_said("offset", crate::Fault::OffsetNegative { offset }));
        }
        Ok(Page { limit, offset })
    }
}

/// A page of rows with the count of all that match.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total_count: i64,
    pub limit: i64,
    pub offset: i64,
}

/// One page of a list that is not counted (it grows with the years): the rows, and whether more
/// follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub more: bool,
    pub limit: i64,
    pub offset: i64,
}

/// The open-items list: the page, the count and the per-currency totals of everything selected.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OpenItems<T> {
    pub items: Vec<T>,
    pub total_count: i64,
    pub limit: i64,
    pub offset: i64,
    #[schema(value_type = String, format = Date)]
    pub as_of: creance_core::Date,
    pub totals: Vec<CurrencyTotal>,
}

impl App {
    pub async fn open_items(
        &self,
        company_id: i64,
        filter: &OpenItemFilter,
        sorts: &[Sort],
        page: Page,
    ) -> Result<OpenItems<OpenItem>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) =
            open_items::list(&mut tx, company_id, filter, sorts, page.limit, page.offset).await?;
        let totals = open_items::totals(&mut tx, company_id, filter).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        let items = items.into_iter().map(Into::into).collect();
        let totals = totals.into_iter().map(Into::into).collect();
        Ok(OpenItems { items, total_count, limit: page.limit, offset: page.offset, as_of: filter.as_of, totals })
    }

    pub async fn open_documents(
        &self,
        company_id: i64,
        filter: &OpenItemFilter,
        sorts: &[Sort],
        page: Page,
    ) -> Result<OpenItems<OpenDocument>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) =
            open_items::list_by_document(&mut tx, company_id, filter, sorts, page.limit, page.offset).await?;
        let totals = open_items::totals(&mut tx, company_id, filter).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        let items = items.into_iter().map(Into::into).collect();
        let totals = totals.into_iter().map(Into::into).collect();
        Ok(OpenItems { items, total_count, limit: page.limit, offset: page.offset, as_of: filter.as_of, totals })
    }

    pub async fn customers(
        &self,
        company_id: i64,
        filter: &CustomerFilter,
        page: Page,
    ) -> Result<Listed<Customer>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = customers::list(&mut tx, company_id, filter, page.limit, page.offset).await?;
        let items = items.into_iter().map(Into::into).collect();
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }

    pub async fn customer(&self, company_id: i64, id: i64) -> Result<Customer, AppError> {
        let mut tx = self.db.begin_read().await?;
        customers::get(&mut tx, company_id, id)
            .await?
            .map(Into::into)
            .ok_or(AppError::NotFound { entity: "customer", key: id.to_string() })
    }

    pub async fn contracts(
        &self,
        company_id: i64,
        customer_id: Option<i64>,
        status: Option<ContractStatus>,
        page: Page,
    ) -> Result<Listed<Contract>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) =
            contracts::list(&mut tx, company_id, customer_id, status, page.limit, page.offset).await?;
        let items = items.into_iter().map(Into::into).collect();
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }

    pub async fn contract(&self, company_id: i64, id: i64) -> Result<Contract, AppError> {
        let mut tx = self.db.begin_read().await?;
        contracts::get(&mut tx, company_id, id)
            .await?
            .map(Into::into)
            .ok_or(AppError::NotFound { entity: "contract", key: id.to_string() })
    }

    /// A contract by its number (unique in a company).
    pub async fn contract_by_number(&self, company_id: i64, number: &str) -> Result<Contract, AppError> {
        let mut tx = self.db.begin_read().await?;
        contracts::by_numbers(&mut tx, company_id, &[number.to_string()])
            .await?
            .into_iter()
            .next()
            .map(Into::into)
            .ok_or(AppError::NotFound { entity: "contract", key: number.to_string() })
    }

    pub async fn documents(
        &self,
        company_id: i64,
        filter: &DocumentFilter,
        page: Page,
    ) -> Result<Listed<Document>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let (items, total_count) = documents::list(&mut tx, company_id, filter, page.limit, page.offset).await?;
        let items = items.into_iter().map(Into::into).collect();
        Ok(Listed { items, total_count, limit: page.limit, offset: page.offset })
    }

    pub async fn document(&self, company_id: i64, id: i64) -> Result<Document, AppError> {
        let mut tx = self.db.begin_read().await?;
        documents::get(&mut tx, company_id, id)
            .await?
            .map(Into::into)
            .ok_or(AppError::NotFound { entity: "document", key: id.to_string() })
    }

    pub async fn installment(&self, company_id: i64, id: i64) -> Result<Installment, AppError> {
        let mut tx = self.db.begin_read().await?;
        documents::get_installment(&mut tx, company_id, id)
            .await?
            .map(Into::into)
            .ok_or(AppError::NotFound { entity: "installment", key: id.to_string() })
    }
}

/// The most violations `check` lists per rule.
pub const VIOLATIONS_MAX_PER_RULE: i64 = 1_000;

impl App {
    /// SPEC §4.1 recomputed from the rows of every company (`creance check`).
    /// The rules run side by side, each in a read transaction of its own (they are independent:
    /// each one's rows are consistent within its snapshot), so that the cores share them (14–16 s
    /// → 10 s for the 100,000-customer demo on 2 cores); the violations are listed in the rules'
    /// order.
    pub async fn check(&self) -> Result<Vec<crate::views::money::Violation>, AppError> {
        // As many at once as there are cores (at most 4): more only adds memory (each connection's
        // cache and mapped file) for no more speed.
        let width = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
        let turns = std::sync::Arc::new(tokio::sync::Semaphore::new(width));
        let mut rules = tokio::task::JoinSet::new();
        for (i, (rule, query)) in creance_store::check::rules().into_iter().enumerate() {
            let (db, turns) = (self.db.clone(), turns.clone());
            rules.spawn(async move {
                let _turn = turns.acquire_owned().await?;
                let mut tx = db.begin_read().await?;
                let v = creance_store::check::rule_violations(&mut tx, rule, &query, VIOLATIONS_MAX_PER_RULE).await?;
                tx.commit().await?;
                anyhow::Ok((i, v))
            });
        }
        let mut found = Vec::new();
        while let Some(done) = rules.join_next().await {
            found.push(done.map_err(|e| anyhow::anyhow!("a check rule stopped: {e}"))??);
        }
        found.sort_by_key(|(i, _)| *i);
        Ok(found.into_iter().flat_map(|(_, v)| v).map(Into::into).collect())
    }
}
