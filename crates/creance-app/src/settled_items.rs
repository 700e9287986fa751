//! The open-items history (issue 13 point 2, seed 001: a fully paid line passes to history): a
//! company's settled installments with the payments and credit notes that settled them, filtered
//! with the open-items filters that concern a paid item, one page at a time in one read snapshot.

use creance_core::{Currency, Date, DocumentKind, Money};
/// The open-items filter and sort, which the history reads too.
pub use creance_store::open_items::{OpenItemFilter, Sort};
use creance_store::settled_items;
pub use creance_store::settled_items::{SettledItem, Settlement};

use crate::exports::lists::Col;
use crate::exports::{Dialect, ListSpec, PdfHeader, Sink, CHUNK_ROWS};
use crate::queries::{Listed, Page};
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

/// One settled installment as its export row: what settled it in one text column
/// (`RG-2026-000151 2026-11-18 100.00; AV00000012 2026-06-17 10.00`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SettledRow {
    pub installment_id: i64,
    pub document_id: i64,
    pub kind: DocumentKind,
    pub document_number: String,
    pub document_date: Date,
    pub seq: i64,
    pub installment_count: i64,
    pub due_date: Date,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub payer_number: String,
    pub contract_number: Option<String>,
    pub currency: Currency,
    pub amount: Money,
    pub dunning_level: i64,
    /// The latest value date of what settled it.
    pub settled_on: Option<Date>,
    pub settled_by: String,
}

impl From<SettledItem> for SettledRow {
    fn from(i: SettledItem) -> SettledRow {
        let settled_by = i
            .settled_by
            .iter()
            .map(|s| {
                let what = s.payment_number.as_deref().or(s.credit_document_number.as_deref()).unwrap_or("");
                format!("{what} {} {}", s.value_date, s.amount.format_amount())
            })
            .collect::<Vec<_>>()
            .join("; ");
        SettledRow {
            settled_on: i.settled_by.iter().map(|s| s.value_date).max(),
            settled_by,
            installment_id: i.installment_id,
            document_id: i.document_id,
            kind: i.kind,
            document_number: i.document_number,
            document_date: i.document_date,
            seq: i.seq,
            installment_count: i.installment_count,
            due_date: i.due_date,
            customer_id: i.customer_id,
            customer_number: i.customer_number,
            customer_name: i.customer_name,
            payer_number: i.payer_number,
            contract_number: i.contract_number,
            currency: i.currency,
            amount: i.amount,
            dunning_level: i.dunning_level,
        }
    }
}

const fn col(name: &'static str) -> Col {
    Col { name, path: name }
}

/// The history's export: one row per settled installment.
pub static SETTLED_ITEMS: ListSpec = ListSpec {
    name: "open-items-history",
    titles: ["Échéancier · échéances réglées", "Open items · settled installments", "Offene Posten · beglichene Raten"],
    columns: &[
        col("installment_id"),
        col("document_id"),
        col("kind"),
        col("document_number"),
        col("document_date"),
        col("seq"),
        col("installment_count"),
        col("due_date"),
        col("customer_id"),
        col("customer_number"),
        col("customer_name"),
        col("payer_number"),
        col("contract_number"),
        col("currency"),
        col("amount"),
        col("dunning_level"),
        col("settled_on"),
        col("settled_by"),
    ],
    pdf_columns: &[
        "document_number",
        "document_date",
        "due_date",
        "customer_number",
        "customer_name",
        "amount",
        "settled_by",
    ],
    total: Some("amount"),
};

impl App {
    /// A page of the history as export rows; `total_count` counts one row past the page while
    /// another page follows (the history is not counted).
    async fn settled_rows(
        &self,
        company_id: i64,
        filter: &OpenItemFilter,
        sorts: &[Sort],
        page: Page,
    ) -> Result<Listed<SettledRow>, AppError> {
        let p = self.settled_items(company_id, filter, sorts, page).await?;
        let read = p.items.len() as i64;
        Ok(Listed {
            items: p.items.into_iter().map(SettledRow::from).collect(),
            total_count: p.offset + read + i64::from(p.more),
            limit: p.limit,
            offset: p.offset,
        })
    }

    /// The CSV of the whole history the filters select, in the order of `sorts`.
    pub async fn export_settled_items_csv(
        &self,
        company_id: i64,
        filter: &OpenItemFilter,
        sorts: &[Sort],
        dialect: Dialect,
        sink: &mut impl Sink,
    ) -> Result<i64, AppError> {
        let fetch = |p: Page| self.settled_rows(company_id, filter, sorts, p);
        self.export_csv_pages(&SETTLED_ITEMS, dialect, CHUNK_ROWS, fetch, sink).await
    }

    /// The PDF of the whole history the filters select (refused past `PDF_ROWS_MAX` rows).
    pub async fn export_settled_items_pdf(
        &self,
        company_id: i64,
        filter: &OpenItemFilter,
        sorts: &[Sort],
        header: PdfHeader,
    ) -> Result<Vec<u8>, AppError> {
        let fetch = |p: Page| self.settled_rows(company_id, filter, sorts, p);
        self.export_pdf_pages(company_id, &SETTLED_ITEMS, header, fetch).await
    }
}
