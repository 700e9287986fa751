//! The open-items lists exported whole: read by keyset, `chunk` rows at a time, inside one read
//! transaction (so a million installments are one consistent list, each chunk as cheap as the
//! first), each chunk written to the sink before the next is read.

use creance_render::list::Cell;
use creance_store::open_items::{self, Cursor, OpenItemFilter, Sort, View};

use super::{cells, csv_chunk, lists, too_large, Dialect, PdfHeader, Sink, CHUNK_ROWS, PDF_ROWS_MAX};
use crate::queries::PAGE_LIMIT_MAX;
use crate::views::ledger;
use crate::{App, AppError};

/// One row per installment, or one per document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenItemsView {
    ByInstallment,
    ByDocument,
}

impl OpenItemsView {
    pub fn spec(self) -> &'static lists::ListSpec {
        match self {
            OpenItemsView::ByInstallment => &lists::OPEN_ITEMS,
            OpenItemsView::ByDocument => &lists::OPEN_DOCUMENTS,
        }
    }

    fn store_view(self) -> View {
        match self {
            OpenItemsView::ByInstallment => View::Installment,
            OpenItemsView::ByDocument => View::Invoice,
        }
    }
}

/// Which open items to export: a company's list as the filters and sorts select it, in one view.
#[derive(Clone, Copy, Debug)]
pub struct OpenItemsQuery<'a> {
    pub company_id: i64,
    pub filter: &'a OpenItemFilter,
    pub sorts: &'a [Sort],
    pub view: OpenItemsView,
}

/// Reads one chunk after `after` as cells for `paths`.
async fn chunk_cells(
    tx: &mut creance_store::Tx,
    q: OpenItemsQuery<'_>,
    after: Option<&Cursor>,
    limit: i64,
    paths: &[&str],
) -> Result<(Vec<Vec<Cell>>, Option<Cursor>), AppError> {
    let OpenItemsQuery { company_id, filter, sorts, view } = q;
    match view {
        OpenItemsView::ByInstallment => {
            let (items, next) = open_items::items_chunk(tx, company_id, filter, sorts, after, limit).await?;
            let rows = items
                .into_iter()
                .map(|i| cells::row(&ledger::OpenItem::from(i), paths))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((rows, next))
        }
        OpenItemsView::ByDocument => {
            let (docs, next) = open_items::documents_chunk(tx, company_id, filter, sorts, after, limit).await?;
            let rows = docs
                .into_iter()
                .map(|d| cells::row(&ledger::OpenDocument::from(d), paths))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((rows, next))
        }
    }
}

impl App {
    /// The CSV of the whole open-items list (every row the filter selects, in the order of `sorts`),
    /// read `chunk` rows at a time ([`super::CHUNK_ROWS`] in use; smaller in tests) and written to
    /// `sink` chunk by chunk. Returns the number of rows written.
    pub async fn export_open_items_csv(
        &self,
        q: OpenItemsQuery<'_>,
        dialect: Dialect,
        chunk: i64,
        sink: &mut impl Sink,
    ) -> Result<i64, AppError> {
        let spec = q.view.spec();
        let (header, paths) = (spec.header(), spec.csv_paths());
        let limit = chunk.clamp(1, PAGE_LIMIT_MAX);
        let mut tx = self.db.begin_read().await?;
        let mut after: Option<Cursor> = None;
        let mut written = 0i64;
        loop {
            let (rows, next) = chunk_cells(&mut tx, q, after.as_ref(), limit, &paths).await?;
            sink.send(csv_chunk(dialect, &header, written == 0, &rows)?).await?;
            written += rows.len() as i64;
            match next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(written)
    }

    /// The PDF of the whole open-items list with its totals per currency (those of the JSON
    /// answer); refused past [`PDF_ROWS_MAX`] rows.
    pub async fn export_open_items_pdf(&self, q: OpenItemsQuery<'_>, header: PdfHeader) -> Result<Vec<u8>, AppError> {
        let OpenItemsQuery { company_id, filter, view, .. } = q;
        let spec = view.spec();
        let paths = spec.pdf_paths();
        let mut tx = self.db.begin_read().await?;
        let count = open_items::count(&mut tx, company_id, filter, view.store_view()).await?;
        if count > PDF_ROWS_MAX {
            return Err(too_large(count));
        }
        let mut rows = Vec::new();
        let mut after: Option<Cursor> = None;
        loop {
            let (chunk, next) = chunk_cells(&mut tx, q, after.as_ref(), CHUNK_ROWS, &paths).await?;
            rows.extend(chunk);
            match next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        let totals = open_items::totals(&mut tx, company_id, filter).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        let totals = totals.into_iter().map(|t| t.amount_open).collect();
        self.render_list(company_id, spec, header, rows, totals).await
    }
}
