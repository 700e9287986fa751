//! Every list as CSV or PDF (SPEC §4.10 and §5 Files, issue 11): the columns of each list
//! ([`lists`]), its rows as cells ([`cells`]), and the reading of the whole filtered list — not one
//! page — in chunks, so that the server and the command line export the same bytes.
//!
//! - CSV streams: each chunk of rows is written to a [`Sink`] as soon as it is read, so memory stays
//!   bounded by one chunk whatever the list's length. The open-items lists (the long ones: a million
//!   installments) are read by keyset inside one read transaction (`creance_store::open_items::
//!   items_chunk`); the other lists page through their own list query, `CHUNK_ROWS` at a time.
//! - PDF holds at most [`PDF_ROWS_MAX`] rows (a longer list is refused with `export_too_large`: ask
//!   for CSV), with the filters in its header and the totals per currency at its end.
//!
//! Amounts are plain numbers in the CSV (`1234.56`, `1234,56` in the Excel dialect) with the
//! currency in a column of its own; dates are ISO; every text cell is neutralised against formulas
//! by `creance_render::csv`.

pub mod cells;
pub mod lists;
mod open_items;

use std::future::Future;

use creance_core::{Date, MoneyTotal};
use creance_render::csv::CsvWriter;
use creance_render::list::{Cell, ListColumn, ListDoc};
use creance_render::{Letterhead, Locale};
use serde::Serialize;

pub use creance_render::csv::Dialect;
pub use lists::ListSpec;
pub use open_items::{OpenItemsQuery, OpenItemsView};

use crate::queries::{Listed, Page, PAGE_LIMIT_MAX};
use crate::{App, AppError, Code};

/// The rows read (and written) at a time.
pub const CHUNK_ROWS: i64 = 10_000;
/// The most rows a PDF list holds; past it the export is refused with [`Code::ExportTooLarge`].
pub const PDF_ROWS_MAX: i64 = 50_000;

/// What a list answers in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Pdf,
}

impl Format {
    /// `json`, `csv` or `pdf` (the `format` parameter).
    pub fn parse(value: &str) -> Result<Format, AppError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "pdf" => Ok(Format::Pdf),
            _ => Err(AppError::invalid_said("format", crate::Fault::NotAnExportFormat { text: value.to_string() })),
        }
    }
}

/// `standard` or `excel` (the `dialect` parameter).
pub fn parse_dialect(value: &str) -> Result<Dialect, AppError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "standard" => Ok(Dialect::Standard),
        "excel" => Ok(Dialect::Excel),
        _ => Err(AppError::invalid_said(
            "dialect",
            crate::Fault::NotEither { text: value.to_string(), words: &["standard", "excel"] },
        )),
    }
}

/// Where a CSV export's bytes go, chunk by chunk (an HTTP response body, a file).
pub trait Sink: Send {
    fn send(&mut self, bytes: Vec<u8>) -> impl Future<Output = Result<(), AppError>> + Send;
}

/// A [`Sink`] over any writer (the command line's file or standard output).
pub struct WriteSink<W>(pub W);

impl<W: std::io::Write + Send> Sink for WriteSink<W> {
    async fn send(&mut self, bytes: Vec<u8>) -> Result<(), AppError> {
        self.0.write_all(&bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the export: {e}")))
    }
}

/// What a PDF list shows beside its rows.
#[derive(Clone, Debug)]
pub struct PdfHeader {
    /// The date printed on the list (the app reads no clock).
    pub printed_on: Date,
    /// (filter, value), one header line each, as the user gave them.
    pub filters: Vec<(String, String)>,
}

/// The CSV of a chunk of rows: the header line first when `header` is true. A writer per chunk
/// puts the Excel byte-order mark before its first line; only the first chunk keeps it.
fn csv_chunk(dialect: Dialect, columns: &[&str], header: bool, rows: &[Vec<Cell>]) -> Result<Vec<u8>, AppError> {
    let io = |e: std::io::Error| AppError::Internal(anyhow::anyhow!("cannot write a CSV line: {e}"));
    let mut w = CsvWriter::new(Vec::with_capacity(rows.len() * 160 + 256), dialect);
    if header {
        w.header(columns).map_err(io)?;
    }
    for r in rows {
        w.row(r).map_err(io)?;
    }
    let mut bytes = w.into_inner().map_err(io)?;
    let bom = "\u{feff}".as_bytes();
    if !header && bytes.starts_with(bom) {
        bytes.drain(..bom.len());
    }
    Ok(bytes)
}

/// Adds each row's `column` amount to its currency's total (totals are wide: no overflow).
fn add_totals(totals: &mut Vec<MoneyTotal>, spec: &ListSpec, row: &[Cell]) -> Result<(), AppError> {
    let Some(i) = spec.total.and_then(|t| spec.pdf_columns.iter().position(|c| *c == t)) else {
        return Ok(());
    };
    let Some(Cell::Money(m)) = row.get(i) else {
        return Ok(());
    };
    let overflow = |e| AppError::Internal(anyhow::anyhow!("a list total overflows: {e}"));
    match totals.iter_mut().find(|t| t.currency() == m.currency()) {
        Some(t) => *t = t.checked_add(*m).map_err(overflow)?,
        None => totals.push(MoneyTotal::from(*m)),
    }
    Ok(())
}

fn too_large(rows: i64) -> AppError {
    AppError::invalid_said_as(
        Code::ExportTooLarge,
        "format",
        crate::Fault::PdfTooLarge { rows, max: PDF_ROWS_MAX, report: false },
    )
}

impl App {
    /// The locale and letterhead of a company's lists.
    pub(crate) async fn list_frame(&self, company_id: i64) -> Result<(Locale, Letterhead), AppError> {
        let c = self.company(company_id).await?;
        let letterhead = Letterhead {
            name: c.name,
            address_lines: c.address.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect(),
            contact_lines: Vec::new(),
            registration: None,
            vat: None,
            bank: None,
            logo: None,
        };
        Ok((Locale::new(c.language, &c.country), letterhead))
    }

    /// Renders a list (on a blocking thread: a long list takes a while).
    async fn render_list(
        &self,
        company_id: i64,
        spec: &'static ListSpec,
        header: PdfHeader,
        rows: Vec<Vec<Cell>>,
        totals: Vec<MoneyTotal>,
    ) -> Result<Vec<u8>, AppError> {
        let (locale, letterhead) = self.list_frame(company_id).await?;
        let doc = ListDoc {
            locale,
            letterhead,
            title: spec.title(locale.language).to_string(),
            filters: header.filters,
            printed_on: header.printed_on,
            columns: spec
                .pdf_columns
                .iter()
                .map(|c| ListColumn::new(lists::column_title(c, locale.language), lists::align(c), lists::weight(c)))
                .collect(),
            rows,
            totals,
            empty_reason: None,
        };
        tokio::task::spawn_blocking(move || creance_render::list::render(&doc))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("the PDF list's rendering stopped: {e}")))?
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot render the PDF list: {e}")))
    }

    /// The CSV of a whole list read page by page through `fetch` (a list use case), `chunk` rows at
    /// a time, written to `sink` chunk by chunk. Returns the number of rows written.
    pub async fn export_csv_pages<T, F, Fut>(
        &self,
        spec: &ListSpec,
        dialect: Dialect,
        chunk: i64,
        mut fetch: F,
        sink: &mut impl Sink,
    ) -> Result<i64, AppError>
    where
        T: Serialize,
        F: FnMut(Page) -> Fut + Send,
        Fut: Future<Output = Result<Listed<T>, AppError>> + Send,
    {
        let limit = chunk.clamp(1, PAGE_LIMIT_MAX);
        let (header, paths) = (spec.header(), spec.csv_paths());
        let mut offset = 0;
        loop {
            let page = fetch(Page { limit, offset }).await?;
            let rows = page.items.iter().map(|i| cells::row(i, &paths)).collect::<Result<Vec<_>, _>>()?;
            sink.send(csv_chunk(dialect, &header, offset == 0, &rows)?).await?;
            let read = rows.len() as i64;
            offset += read;
            if read < limit || offset >= page.total_count {
                return Ok(offset);
            }
        }
    }

    /// The PDF of a whole list read page by page through `fetch`, refused past [`PDF_ROWS_MAX`] rows.
    pub async fn export_pdf_pages<T, F, Fut>(
        &self,
        company_id: i64,
        spec: &'static ListSpec,
        header: PdfHeader,
        mut fetch: F,
    ) -> Result<Vec<u8>, AppError>
    where
        T: Serialize,
        F: FnMut(Page) -> Fut + Send,
        Fut: Future<Output = Result<Listed<T>, AppError>> + Send,
    {
        let paths = spec.pdf_paths();
        let mut rows = Vec::new();
        let mut totals = Vec::new();
        let mut offset = 0;
        loop {
            let page = fetch(Page { limit: CHUNK_ROWS, offset }).await?;
            if page.total_count > PDF_ROWS_MAX {
                return Err(too_large(page.total_count));
            }
            let read = page.items.len() as i64;
            for item in &page.items {
                let row = cells::row(item, &paths)?;
                add_totals(&mut totals, spec, &row)?;
                rows.push(row);
            }
            offset += read;
            if read < CHUNK_ROWS || offset >= page.total_count {
                break;
            }
        }
        totals.sort_by_key(|t: &MoneyTotal| t.currency().code().to_string());
        self.render_list(company_id, spec, header, rows, totals).await
    }
}

/// The file name of a list's export: `open-items.csv`.
pub fn file_name(spec: &ListSpec, format: Format) -> String {
    let ext = match format {
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Pdf => "pdf",
    };
    format!("{}.{ext}", spec.name)
}
