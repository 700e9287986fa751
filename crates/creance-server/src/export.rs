//! Lists answered as CSV or PDF (issue 11): the format asked — `?format=csv|pdf|json`, which wins,
//! else `Accept: text/csv` or `application/pdf`, else JSON — and the CSV dialect (`?dialect=excel`),
//! the response headers, and the CSV's body streamed chunk by chunk from `creance_app::exports`
//! (memory bounded by a few chunks, however long the list).

use std::future::Future;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use creance_app::exports::{self, Dialect, Format, ListSpec, PdfHeader, Sink, CHUNK_ROWS};
use creance_app::queries::{Listed, Page};
use creance_app::{App, AppError, Code};
use http_body_util::channel::{Channel, Sender};
use serde::Serialize;

use crate::params::bad_request;
use crate::problem::Problem;

/// The chunks a CSV body holds before the export waits for the client to read.
const BODY_CHUNKS_BUFFERED: usize = 2;

/// Query parameters that say how to answer, not which rows: left out of a PDF's filters.
const NOT_FILTERS: [&str; 4] = ["format", "dialect", "limit", "offset"];

/// The answer a list request asks for, and the filters it gave (for a PDF's header).
#[derive(Debug, Clone)]
pub struct Export {
    pub format: Format,
    pub dialect: Dialect,
    pub filters: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for Export {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // A query that does not parse is refused by the route's own parameters, with their names.
        let pairs = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).map(|q| q.0).unwrap_or_default();
        let last = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let format = match last("format") {
            Some(v) => Format::parse(&v).map_err(bad_request)?,
            None => accepted(&parts.headers),
        };
        let dialect = match last("dialect") {
            Some(v) => exports::parse_dialect(&v).map_err(bad_request)?,
            None => Dialect::Standard,
        };
        let filters =
            pairs.into_iter().filter(|(k, v)| !NOT_FILTERS.contains(&k.as_str()) && !v.trim().is_empty()).collect();
        Ok(Export { format, dialect, filters })
    }
}

/// The format the `Accept` header asks for: the first of `text/csv` and `application/pdf` it
/// names, else JSON.
fn accepted(headers: &HeaderMap) -> Format {
    let accept = headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    for media in accept.split(',') {
        match media.split(';').next().unwrap_or("").trim().to_ascii_lowercase().as_str() {
            "text/csv" => return Format::Csv,
            "application/pdf" => return Format::Pdf,
            _ => {}
        }
    }
    Format::Json
}

/// The chunks of a CSV export, sent into the response body.
pub struct BodySink(Sender<Bytes, std::io::Error>);

impl Sink for BodySink {
    async fn send(&mut self, bytes: Vec<u8>) -> Result<(), AppError> {
        self.0
            .send_data(Bytes::from(bytes))
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("the client stopped reading the export")))
    }
}

/// A response body that `write` fills through the sink it is given (and hands back with its
/// result), a few chunks ahead of the client at most. An export that fails once the answer has
/// started aborts the body, so that the client sees a broken transfer, never a short file that
/// looks whole; the failure is logged with `what`.
pub fn streamed<F, Fut, T>(what: &'static str, write: F) -> Body
where
    F: FnOnce(BodySink) -> Fut + Send + 'static,
    Fut: Future<Output = (BodySink, Result<T, AppError>)> + Send + 'static,
{
    let (sender, body) = Channel::<Bytes, std::io::Error>::new(BODY_CHUNKS_BUFFERED);
    tokio::spawn(async move {
        let (sink, result) = write(BodySink(sender)).await;
        if let Err(e) = result {
            tracing::error!("export of {what} stopped: {e:#}");
            sink.0.abort(std::io::Error::other(e.to_string()));
        }
    });
    Body::new(body)
}

fn attachment(spec: &ListSpec, format: Format, content_type: &'static str, body: Body) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", exports::file_name(spec, format));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

impl Export {
    /// The PDF's header: today's date and the filters given.
    pub fn pdf_header(&self) -> PdfHeader {
        PdfHeader { printed_on: creance_app::clock::today_utc(), filters: self.filters.clone() }
    }

    /// A CSV answer whose body `write` fills through the sink it is given ([`streamed`]).
    pub fn csv<F, Fut>(&self, spec: &'static ListSpec, write: F) -> Response
    where
        F: FnOnce(BodySink) -> Fut + Send + 'static,
        Fut: Future<Output = (BodySink, Result<i64, AppError>)> + Send + 'static,
    {
        attachment(spec, Format::Csv, "text/csv; charset=utf-8", streamed(spec.name, write))
    }

    pub fn pdf(spec: &ListSpec, bytes: Vec<u8>) -> Response {
        attachment(spec, Format::Pdf, "application/pdf", Body::from(bytes))
    }

    /// A list read through `fetch` (the list use case for one page): the page asked as JSON, or the
    /// whole list as CSV or PDF. `errors` turns the use case's refusals into problems as the route
    /// always has (`bad_request` where its parameters are checked by the use case).
    pub async fn listed<T, F, Fut>(
        self,
        app: &App,
        company_id: i64,
        spec: &'static ListSpec,
        page: Page,
        errors: fn(AppError) -> Problem,
        mut fetch: F,
    ) -> Result<Response, Problem>
    where
        T: Serialize + Send + 'static,
        F: FnMut(Page) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Listed<T>, AppError>> + Send + 'static,
    {
        match self.format {
            Format::Json => Ok(Json(fetch(page).await.map_err(errors)?).into_response()),
            Format::Csv => {
                // A refusal (a bad filter) is answered as such before the CSV starts.
                fetch(Page { limit: 1, offset: 0 }).await.map_err(errors)?;
                let (app, dialect) = (app.clone(), self.dialect);
                Ok(self.csv(spec, move |mut sink| async move {
                    let r = app.export_csv_pages(spec, dialect, CHUNK_ROWS, fetch, &mut sink).await;
                    (sink, r)
                }))
            }
            Format::Pdf => {
                let bytes = app.export_pdf_pages(company_id, spec, self.pdf_header(), fetch).await.map_err(|e| {
                    if e.code() == Code::ExportTooLarge {
                        Problem::from(e)
                    } else {
                        errors(e)
                    }
                })?;
                Ok(Export::pdf(spec, bytes))
            }
        }
    }
}
