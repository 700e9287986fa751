//! `--format csv|pdf --output FILE [--excel]` of the list commands: the whole filtered list (not one
//! page) written as the API's `?format=` writes it (`creance_app::exports`); CSV streams chunk by
//! chunk to the file, so a million installments never sit in memory.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use creance_app::clock::today_utc;
use creance_app::exports::{Dialect, Format, ListSpec, PdfHeader, WriteSink, CHUNK_ROWS};
use creance_app::queries::{Listed, Page};
use creance_app::{App, AppError};
use serde::Serialize;

use crate::args::app_err;

#[derive(Args, Debug, Clone, Default)]
pub struct ExportArgs {
    /// Write the whole filtered list as `csv` or `pdf` (to --output, or standard output) instead of
    /// printing one page.
    #[arg(long)]
    pub format: Option<String>,
    /// The file to write the export to.
    #[arg(long, requires = "format")]
    pub output: Option<PathBuf>,
    /// CSV for a French Excel: `;` between fields, decimal comma and a byte-order mark.
    #[arg(long, requires = "format")]
    pub excel: bool,
}

/// A file (buffered) or standard output.
type Out = Box<dyn Write + Send>;

impl ExportArgs {
    /// The format asked, when it is a file (`None`: print as usual; `--format json` is the `--json` page).
    pub fn file_format(&self) -> anyhow::Result<Option<Format>> {
        match self.format.as_deref() {
            None => Ok(None),
            Some(f) => match Format::parse(f).map_err(|e| anyhow::anyhow!("--{e}"))? {
                Format::Json => bail!("--format json: use --json, which prints one page as JSON"),
                other => Ok(Some(other)),
            },
        }
    }

    pub fn dialect(&self) -> Dialect {
        if self.excel {
            Dialect::Excel
        } else {
            Dialect::Standard
        }
    }

    fn out(&self) -> anyhow::Result<Out> {
        Ok(match &self.output {
            Some(path) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
            )),
            None => Box::new(std::io::stdout()),
        })
    }

    /// Writes a CSV through `write`, which is given the sink, then flushes the file.
    pub async fn csv<F, Fut>(&self, write: F) -> anyhow::Result<i64>
    where
        F: FnOnce(WriteSink<Out>) -> Fut,
        Fut: Future<Output = (WriteSink<Out>, Result<i64, AppError>)>,
    {
        let (mut sink, rows) = write(WriteSink(self.out()?)).await;
        let rows = rows.map_err(app_err)?;
        sink.0.flush().context("cannot write the export")?;
        self.done(rows);
        Ok(rows)
    }

    pub fn pdf(&self, bytes: &[u8], rows: Option<i64>) -> anyhow::Result<()> {
        let mut out = self.out()?;
        out.write_all(bytes).and_then(|()| out.flush()).context("cannot write the export")?;
        if let Some(n) = rows {
            self.done(n);
        }
        Ok(())
    }

    fn done(&self, rows: i64) {
        if let Some(path) = &self.output {
            eprintln!("{rows} row(s) written to {}.", path.display());
        }
    }

    /// The PDF's header: today and the filters given (as `--name value`).
    pub fn header(filters: &[(&str, Option<String>)]) -> PdfHeader {
        PdfHeader {
            printed_on: today_utc(),
            filters: filters.iter().filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v))).collect(),
        }
    }

    /// Exports a list read page by page through `fetch` (its use case) in the format asked.
    pub async fn listed<T, F, Fut>(
        &self,
        app: &App,
        company_id: i64,
        spec: &'static ListSpec,
        format: Format,
        filters: &[(&str, Option<String>)],
        fetch: F,
    ) -> anyhow::Result<()>
    where
        T: Serialize,
        F: FnMut(Page) -> Fut + Send,
        Fut: Future<Output = Result<Listed<T>, AppError>> + Send,
    {
        match format {
            Format::Csv => {
                let dialect = self.dialect();
                self.csv(|mut sink| async move {
                    let r = app.export_csv_pages(spec, dialect, CHUNK_ROWS, fetch, &mut sink).await;
                    (sink, r)
                })
                .await?;
                Ok(())
            }
            _ => {
                let bytes = app.export_pdf_pages(company_id, spec, ExportArgs::header(filters), fetch).await;
                self.pdf(&bytes.map_err(app_err)?, None)
            }
        }
    }
}
