//! Échéancier (issue 13 point 2, seed 001 "Clients dus"): the open items by invoice (the default:
//! one row per document with its open amount) or by due date (one row per installment), through the
//! API's use cases (`App::open_documents`, `App::open_items`); the filters are a GET form with the
//! API's parameter names (so a filtered view has a URL, and a bad value is shown next to the field
//! the `AppError` names); a sort on every column header (`sort=key` or `sort=-key`, `aria-sort`);
//! the totals per currency of everything the filters select; the installments of a document in the
//! detail panel at the bottom left (an htmx partial, `/echeancier/documents/{id}`, or the whole page
//! with `document=ID`); the export of exactly what is shown, CSV or PDF (`/echeancier/export`, the
//! API's exports: same filters, same sort, every matching row); the history switch (`history=1`,
//! the settled installments with what settled them, `App::settled_items`, exported the same way).
//! A row's "Pay" link opens the payment form of the Règlements screen, prefilled with the customer
//! and the open amount.

mod history;
mod messages;
mod view;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use creance_app::exports::{self, Format, OpenItemsQuery, OpenItemsView, PdfHeader, CHUNK_ROWS};
use creance_app::query_args::{self, OpenItemArgs};
use creance_app::views::ledger::Document;
use creance_app::{App, AppError, FieldError};
use serde::Deserialize;

use super::session::encode;
use super::{html, refusal, WebError, WebUser};
use crate::export::Export;

/// Rows per page of the list.
const PAGE_SIZE: i64 = 50;
/// The screen's path.
const PATH: &str = "/echeancier";

/// The filter parameters, in the order of the form (the API's names).
const FILTERS: [&str; 14] = [
    "customer",
    "customer_from",
    "customer_to",
    "payer",
    "currency",
    "document_from",
    "document_to",
    "due_from",
    "due_to",
    "days_overdue_min",
    "days_overdue_max",
    "dunning_level",
    "contract",
    "salesperson",
];

/// The page's parameters: the filters, and how the list is shown.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleQuery {
    /// `invoice` (the default) or `due_date`.
    mode: Option<String>,
    /// `1`: the settled items instead of the open ones.
    history: Option<String>,
    /// The document whose installments the panel shows.
    document: Option<String>,
    sort: Option<String>,
    offset: Option<String>,
    customer: Option<String>,
    customer_from: Option<String>,
    customer_to: Option<String>,
    payer: Option<String>,
    currency: Option<String>,
    document_from: Option<String>,
    document_to: Option<String>,
    due_from: Option<String>,
    due_to: Option<String>,
    days_overdue_min: Option<String>,
    days_overdue_max: Option<String>,
    dunning_level: Option<String>,
    contract: Option<String>,
    salesperson: Option<String>,
    /// Export only: `csv` or `pdf`, and the CSV dialect.
    format: Option<String>,
    dialect: Option<String>,
}

/// One row per document, or one per installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    ByInvoice,
    ByDueDate,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ScheduleQuery {
    /// A filter's value as typed (empty when absent).
    fn value(&self, name: &str) -> &str {
        let v = match name {
            "customer" => &self.customer,
            "customer_from" => &self.customer_from,
            "customer_to" => &self.customer_to,
            "payer" => &self.payer,
            "currency" => &self.currency,
            "document_from" => &self.document_from,
            "document_to" => &self.document_to,
            "due_from" => &self.due_from,
            "due_to" => &self.due_to,
            "days_overdue_min" => &self.days_overdue_min,
            "days_overdue_max" => &self.days_overdue_max,
            "dunning_level" => &self.dunning_level,
            "contract" => &self.contract,
            "salesperson" => &self.salesperson,
            "sort" => &self.sort,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }

    /// The filters given (non-empty), as (name, value).
    fn filters_given(&self) -> Vec<(&'static str, String)> {
        FILTERS.iter().filter_map(|n| given(&Some(self.value(n).to_string())).map(|v| (*n, v.to_string()))).collect()
    }

    fn any_filter(&self) -> bool {
        !self.filters_given().is_empty()
    }

    pub fn mode(&self) -> Mode {
        match given(&self.mode) {
            Some("due_date") => Mode::ByDueDate,
            _ => Mode::ByInvoice,
        }
    }

    pub fn history(&self) -> bool {
        matches!(given(&self.history), Some("1" | "true" | "yes"))
    }

    fn sort(&self) -> Option<&str> {
        given(&self.sort)
    }

    /// The API's parameters for this page.
    fn args(&self) -> OpenItemArgs {
        let v = |name: &str| given(&Some(self.value(name).to_string())).map(str::to_string);
        OpenItemArgs {
            customer: v("customer"),
            customer_from: v("customer_from"),
            customer_to: v("customer_to"),
            payer: v("payer"),
            currency: v("currency"),
            document_from: v("document_from"),
            document_to: v("document_to"),
            due_from: v("due_from"),
            due_to: v("due_to"),
            days_overdue_min: v("days_overdue_min"),
            days_overdue_max: v("days_overdue_max"),
            dunning_level: v("dunning_level"),
            contract: v("contract"),
            salesperson: v("salesperson"),
            sort: v("sort"),
            limit: Some(PAGE_SIZE.to_string()),
            offset: given(&self.offset).map(str::to_string),
            ..OpenItemArgs::default()
        }
    }

    /// Every parameter of this view (filters, mode, history, sort, offset, document), as (name, value).
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = self.filters_given();
        if self.mode() == Mode::ByDueDate {
            p.push(("mode", "due_date".into()));
        }
        if self.history() {
            p.push(("history", "1".into()));
        }
        for (name, v) in [("sort", &self.sort), ("offset", &self.offset), ("document", &self.document)] {
            if let Some(v) = given(v) {
                p.push((name, v.to_string()));
            }
        }
        p
    }

    /// A link to `path` with this view's parameters, `changes` applied (a `None` removes one).
    fn link(&self, path: &str, changes: &[(&'static str, Option<String>)]) -> String {
        let mut p = self.params();
        for (name, v) in changes {
            p.retain(|(n, _)| n != name);
            if let Some(v) = v {
                p.push((name, v.clone()));
            }
        }
        let mut href = path.to_string();
        for (i, (n, v)) in p.iter().enumerate() {
            href.push(if i == 0 { '?' } else { '&' });
            href.push_str(n);
            href.push('=');
            href.push_str(&encode(v));
        }
        href
    }

    /// This page with `changes` applied.
    fn href(&self, changes: &[(&'static str, Option<String>)]) -> String {
        self.link(PATH, changes)
    }
}

/// What the page lists.
pub enum Listing {
    Documents(creance_app::queries::OpenItems<creance_app::views::ledger::OpenDocument>),
    Items(creance_app::queries::OpenItems<creance_app::views::ledger::OpenItem>),
    /// The settled items, and the company's payment methods (to name a payment's method).
    History(creance_app::settled_items::SettledItems, Vec<creance_app::views::settings::PaymentMethod>),
    /// A filter was refused: the form shows it next to its field, and no list.
    Refused(FieldError),
}

/// The document of the panel, if one is asked for (404 for one of another company).
async fn panel_document(app: &App, user: &WebUser, q: &ScheduleQuery) -> Result<Option<Document>, WebError> {
    let Some(id) = query_args::int("document", &q.document)? else { return Ok(None) };
    load_document(app, user, id).await.map(Some)
}

async fn load_document(app: &App, user: &WebUser, id: i64) -> Result<Document, WebError> {
    match app.document(user.company_id(), id).await {
        Ok(d) => Ok(d),
        Err(AppError::NotFound { .. }) => {
            Err(WebError::NotFound { lang: user.lang(), detail: refusal::not_found(user.lang(), "document", id) })
        }
        Err(e) => Err(e.into()),
    }
}

/// The page with a refused filter next to its field (422).
fn refused(user: &WebUser, q: &ScheduleQuery, fe: FieldError) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, html(view::page(user, q, &Listing::Refused(fe), None))).into_response()
}

/// `GET /echeancier`.
pub async fn page(State(app): State<App>, user: WebUser, Query(q): Query<ScheduleQuery>) -> Result<Response, WebError> {
    let company = user.company_id();
    let (filter, sorts, page) = match q.args().parse(user.at.date()) {
        Ok(parsed) => parsed,
        Err(AppError::Invalid(fe)) => return Ok(refused(&user, &q, fe)),
        Err(e) => return Err(e.into()),
    };
    let panel = match panel_document(&app, &user, &q).await {
        Ok(p) => p,
        Err(WebError::App(AppError::Invalid(fe))) => return Ok(refused(&user, &q, fe)),
        Err(e) => return Err(e),
    };
    let listing = if q.history() {
        let items = app.settled_items(company, &filter, &sorts, page).await?;
        Listing::History(items, app.payment_methods(company).await?)
    } else {
        match q.mode() {
            Mode::ByInvoice => Listing::Documents(app.open_documents(company, &filter, &sorts, page).await?),
            Mode::ByDueDate => Listing::Items(app.open_items(company, &filter, &sorts, page).await?),
        }
    };
    Ok(html(view::page(&user, &q, &listing, panel.as_ref())).into_response())
}

/// `GET /echeancier/documents/{id}`: the detail panel alone (htmx swaps it in).
pub async fn panel(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<ScheduleQuery>,
) -> Result<Response, WebError> {
    let doc = load_document(&app, &user, id).await?;
    Ok(html(view::panel(&user, &q, Some(&doc))).into_response())
}

/// `GET /echeancier/export?format=csv|pdf&…`: the whole list as the page shows it (its filters, its
/// sort, its mode), every matching row, through the API's exports.
pub async fn export(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<ScheduleQuery>,
) -> Result<Response, WebError> {
    let parsed = (|| {
        let format = Format::parse(given(&q.format).unwrap_or("csv"))?;
        let dialect = match given(&q.dialect) {
            Some(d) => exports::parse_dialect(d)?,
            None => exports::Dialect::Standard,
        };
        let (filter, sorts, _) = q.args().parse(user.at.date())?;
        Ok::<_, AppError>((format, dialect, filter, sorts))
    })();
    let (format, dialect, filter, sorts) = match parsed {
        Ok(p) => p,
        Err(AppError::Invalid(fe)) => return Ok(refused(&user, &q, fe)),
        Err(e) => return Err(e.into()),
    };
    let view = match q.mode() {
        Mode::ByInvoice => OpenItemsView::ByDocument,
        Mode::ByDueDate => OpenItemsView::ByInstallment,
    };
    let company_id = user.company_id();
    let mut filters: Vec<(String, String)> = q.filters_given().into_iter().map(|(n, v)| (n.to_string(), v)).collect();
    if let Some(s) = q.sort() {
        filters.push(("sort".into(), s.to_string()));
    }
    if q.history() {
        return export_history(app, &user, &q, format, dialect, filter, sorts, filters).await;
    }
    match format {
        Format::Pdf => {
            let header = PdfHeader { printed_on: user.at.date(), filters };
            let query = OpenItemsQuery { company_id, filter: &filter, sorts: &sorts, view };
            match app.export_open_items_pdf(query, header).await {
                Ok(pdf) => Ok(Export::pdf(view.spec(), pdf)),
                Err(AppError::Invalid(fe)) => Ok(refused(&user, &q, fe)),
                Err(e) => Err(e.into()),
            }
        }
        Format::Csv | Format::Json => {
            let export = Export { format: Format::Csv, dialect, filters };
            Ok(export.csv(view.spec(), move |mut sink| async move {
                let r = {
                    let q = OpenItemsQuery { company_id, filter: &filter, sorts: &sorts, view };
                    app.export_open_items_csv(q, dialect, CHUNK_ROWS, &mut sink).await
                };
                (sink, r)
            }))
        }
    }
}

/// The history's export (`history=1`): the settled installments the filters select, in its order.
#[allow(clippy::too_many_arguments)]
async fn export_history(
    app: App,
    user: &WebUser,
    q: &ScheduleQuery,
    format: Format,
    dialect: exports::Dialect,
    filter: creance_app::settled_items::OpenItemFilter,
    sorts: Vec<creance_app::settled_items::Sort>,
    filters: Vec<(String, String)>,
) -> Result<Response, WebError> {
    let spec = &creance_app::settled_items::SETTLED_ITEMS;
    let company_id = user.company_id();
    match format {
        Format::Pdf => {
            let header = PdfHeader { printed_on: user.at.date(), filters };
            match app.export_settled_items_pdf(company_id, &filter, &sorts, header).await {
                Ok(pdf) => Ok(Export::pdf(spec, pdf)),
                Err(AppError::Invalid(fe)) => Ok(refused(user, q, fe)),
                Err(e) => Err(e.into()),
            }
        }
        Format::Csv | Format::Json => {
            let export = Export { format: Format::Csv, dialect, filters };
            Ok(export.csv(spec, move |mut sink| async move {
                let r = app.export_settled_items_csv(company_id, &filter, &sorts, dialect, &mut sink).await;
                (sink, r)
            }))
        }
    }
}
