//! The reports (SPEC §4.10, issue 12): the aging report, a customer statement and DSO, as JSON, or
//! as CSV or PDF (`format=csv|pdf`, or `Accept: text/csv` / `application/pdf`, as the lists do;
//! `dialect=excel` for the Excel CSV); and the company's report settings (aging buckets and basis).
//! A bad parameter is a 400 naming it.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use creance_app::clock::today_utc;
use creance_app::exports::{Dialect, Format};
use creance_app::reports::{
    AgingArgs, AgingReport, DsoArgs, DsoReport, ReportSettingsInput, ReportSettingsView, Statement, StatementArgs,
};
use creance_app::App;
use creance_core::Role;

use crate::auth::Scope;
use crate::export::Export;
use crate::params::{bad_request, JsonBody, Params};
use crate::problem::Problem;

fn file(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", name.replace('"', ""))) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn csv(name: &str, bytes: Vec<u8>) -> Response {
    file("text/csv; charset=utf-8", &format!("{name}.csv"), bytes)
}

fn dialect(e: &Export) -> Dialect {
    e.dialect
}

/// The aging report as of a date (default today; a past date shows the ledger as it stood then):
/// open debits per bucket, unallocated credits, refunds to allocate and the balance, per customer
/// and currency, with one total per currency.
#[utoipa::path(get, path = "/api/v1/reports/aging", tag = "reports", security(("bearer" = [])), params(AgingArgs),
    responses((status = 200, body = AgingReport), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn aging(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<AgingArgs>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let r = app.aging_report(scope.company_id, &q, today_utc()).await.map_err(bad_request)?;
    match export.format {
        Format::Json => Ok(Json(r).into_response()),
        Format::Csv => Ok(csv("aging", r.csv(dialect(&export))?)),
        Format::Pdf => {
            let bytes = app.aging_pdf(scope.company_id, &r, export.pdf_header()).await?;
            Ok(file("application/pdf", "aging.pdf", bytes))
        }
    }
}

/// A customer's statement for a period (`customer`, `from`, `to`): per currency the opening
/// balance, every document, payment, allocation and refund with the running balance, the closing
/// balance and the aging at `to`. The PDF is in the customer's language.
#[utoipa::path(get, path = "/api/v1/reports/statement", tag = "reports", security(("bearer" = [])), params(StatementArgs),
    responses((status = 200, body = Statement), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn statement(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<StatementArgs>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let s = app.statement(scope.company_id, &q, today_utc()).await.map_err(bad_request)?;
    let name = format!("statement-{}-{}-{}", s.customer_number, s.from, s.to).replace(['/', '\\', ' '], "-");
    match export.format {
        Format::Json => Ok(Json(s).into_response()),
        Format::Csv => Ok(csv(&name, s.csv(dialect(&export))?)),
        Format::Pdf => {
            let pdf = app.statement_pdf(scope.company_id, &s, today_utc()).await?;
            Ok(file("application/pdf", &pdf.file_name, pdf.bytes))
        }
    }
}

/// Days sales outstanding over a period (`from`, `to`), per customer and for the company, per
/// currency: countback and simple methods, in days with one decimal.
#[utoipa::path(get, path = "/api/v1/reports/dso", tag = "reports", security(("bearer" = [])), params(DsoArgs),
    responses((status = 200, body = DsoReport), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn dso(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<DsoArgs>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let r = app.dso_report(scope.company_id, &q, today_utc()).await.map_err(bad_request)?;
    match export.format {
        Format::Json => Ok(Json(r).into_response()),
        Format::Csv => Ok(csv("dso", r.csv(dialect(&export))?)),
        Format::Pdf => {
            let bytes = app.dso_pdf(scope.company_id, &r, export.pdf_header()).await?;
            Ok(file("application/pdf", "dso.pdf", bytes))
        }
    }
}

/// The company's aging buckets and default basis.
#[utoipa::path(get, path = "/api/v1/settings/reports", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = ReportSettingsView)))]
pub async fn settings(State(app): State<App>, scope: Scope) -> Result<Json<ReportSettingsView>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.report_settings(scope.company_id).await?))
}

/// Sets the aging buckets (`"0,30,60,90"`: bounds from 0, strictly increasing) and the default
/// basis (`due_date` or `document_date`); an absent field keeps its value.
#[utoipa::path(put, path = "/api/v1/settings/reports", tag = "settings", security(("bearer" = [])), request_body = ReportSettingsInput,
    responses((status = 200, body = ReportSettingsView), (status = 422, body = Problem)))]
pub async fn set_settings(
    State(app): State<App>,
    scope: Scope,
    JsonBody(b): JsonBody<ReportSettingsInput>,
) -> Result<Json<ReportSettingsView>, Problem> {
    scope.require(Role::Admin)?;
    Ok(Json(app.set_report_settings(&scope.actor(), scope.company_id, &b).await?))
}
