//! The documents as PDF (issue 11): a dunning letter, a level's preview, a run's letters to print,
//! a fee or interest invoice, a deposit slip, a refund letter; and the letterhead settings they
//! print. The mapping and the rendering are the app's (`creance_app::documents`); these handlers
//! only parse the request and set the headers.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use creance_app::clock::today_utc;
use creance_app::documents::{LetterheadInput, LetterheadSettings, Pdf, PrintOrder};
use creance_app::App;
use creance_core::Role;
use serde::Deserialize;

use crate::params::{self, JsonBody, Params};
use crate::problem::Problem;
use crate::Scope;

use super::IdPath;

/// A PDF document, as bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // a schema only: the answer is the bytes themselves
pub struct PdfFile(Vec<u8>);

/// A JPEG image, as bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // a schema only: the body is the bytes themselves
pub struct JpegFile(Vec<u8>);

/// `application/pdf`, offered inline under its file name.
fn pdf(p: Pdf) -> Response {
    let disposition = format!("inline; filename=\"{}\"", p.file_name.replace('"', ""));
    let mut response = ([(header::CONTENT_TYPE, "application/pdf")], p.bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A dunning letter (by id or number) as PDF: a draft as a marked preview ("PROJET", "DRAFT",
/// "ENTWURF"), an issued letter from its frozen content (a reprint gives the same bytes). The
/// `X-Template-Version` header says which layout an issued letter was first printed with.
#[utoipa::path(get, path = "/api/v1/dunning/letters/{id}/pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the letter's id or number")),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = PdfFile), (status = 404, body = Problem)))]
pub async fn letter(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let id = match p.id.parse::<i64>() {
        Ok(id) => id,
        Err(_) => app.dunning_letter_by_number(scope.company_id, &p.id, today_utc()).await?.letter.id,
    };
    let doc = app.dunning_letter_pdf(scope.company_id, id, today_utc()).await?;
    let mut response = pdf(doc);
    if let Some(v) = app.dunning_letter_template_version(scope.company_id, id).await? {
        if let Ok(v) = HeaderValue::from_str(&v.to_string()) {
            response.headers_mut().insert("x-template-version", v);
        }
    }
    Ok(response)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// The payer the preview is for (its overdue open items); absent: a sample payer.
    pub payer_id: Option<String>,
}

#[derive(Deserialize)]
pub struct LevelPath {
    pub id: String,
    pub level: String,
}

/// A level's letter as a marked preview, before anything is issued: for `payer_id`, or a sample payer.
#[utoipa::path(get, path = "/api/v1/dunning/policies/{id}/levels/{level}/preview.pdf", tag = "documents",
    security(("bearer" = [])), params(("id" = i64, Path), ("level" = i64, Path), PreviewQuery),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = PdfFile), (status = 404, body = Problem)))]
pub async fn level_preview(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<LevelPath>,
    Params(q): Params<PreviewQuery>,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let id = IdPath { id: p.id }.parse()?;
    let level = p
        .level
        .parse::<i64>()
        .map_err(|_| Problem::field(StatusCode::BAD_REQUEST, "level", format!("{:?} is not a level", p.level)))?;
    let payer_id = params::int("payer_id", &q.payer_id)?;
    Ok(pdf(app.dunning_level_preview_pdf(scope.company_id, id, level, payer_id, today_utc()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PrintQuery {
    /// `postal_code` (the default) or `salesperson` (then postal code).
    pub order: Option<String>,
    /// Only payers whose customer number is at least this.
    pub from_payer: Option<String>,
    /// Only payers whose customer number is at most this.
    pub to_payer: Option<String>,
}

/// One PDF of a run's letters that go by post (channel `letter`, or a payer without e-mail).
#[utoipa::path(get, path = "/api/v1/dunning/runs/{id}/print.pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path), PrintQuery),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = PdfFile), (status = 404, body = Problem)))]
pub async fn print_run(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    Params(q): Params<PrintQuery>,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let order = PrintOrder::parse(&params::text(&q.order).unwrap_or_default()).map_err(params::bad_request)?;
    let (from, to) = (params::text(&q.from_payer), params::text(&q.to_payer));
    let doc =
        app.dunning_print_pdf(scope.company_id, p.parse()?, order, from.as_deref(), to.as_deref(), today_utc()).await?;
    Ok(pdf(doc))
}

/// A fee or interest invoice created by a dunning run, as PDF; any other document is a 404
/// (Créance issues no sales invoices).
#[utoipa::path(get, path = "/api/v1/documents/{id}/pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = PdfFile), (status = 404, body = Problem)))]
pub async fn document(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(pdf(app.charge_invoice_pdf(scope.company_id, p.parse()?, today_utc()).await?))
}

/// A deposit slip as PDF (a draft deposit's is marked).
#[utoipa::path(get, path = "/api/v1/deposits/{id}/slip.pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = PdfFile), (status = 404, body = Problem)))]
pub async fn deposit_slip(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(pdf(app.deposit_slip_pdf(scope.company_id, p.parse()?).await?))
}

/// A refund letter as PDF; 409 `refund_not_allocated` while the refund is not allocated.
#[utoipa::path(get, path = "/api/v1/refunds/{id}/letter.pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = PdfFile), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn refund_letter(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(pdf(app.refund_letter_pdf(scope.company_id, p.parse()?).await?))
}

/// What the company's documents print beyond its name and address.
#[utoipa::path(get, path = "/api/v1/settings/letterhead", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = LetterheadSettings)))]
pub async fn letterhead(State(app): State<App>, scope: Scope) -> Result<Json<LetterheadSettings>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.letterhead(scope.company_id).await?))
}

/// Sets the letterhead (every field; an absent one is emptied): `signature_lines` is the default
/// signature, `signatures` the one of each language that has its own (`{"de": ["…", "…"]}`).
/// Admin only.
#[utoipa::path(put, path = "/api/v1/settings/letterhead", tag = "settings", security(("bearer" = [])),
    request_body = LetterheadInput, responses((status = 200, body = LetterheadSettings), (status = 422, body = Problem)))]
pub async fn set_letterhead(
    State(app): State<App>,
    scope: Scope,
    JsonBody(b): JsonBody<LetterheadInput>,
) -> Result<Json<LetterheadSettings>, Problem> {
    scope.require(Role::Admin)?;
    app.set_letterhead(&scope.actor(), scope.company_id, &b).await?;
    Ok(Json(app.letterhead(scope.company_id).await?))
}

/// Sets the logo: the body is the JPEG itself (`Content-Type: image/jpeg`, at most 512 KiB). Admin only.
#[utoipa::path(put, path = "/api/v1/settings/letterhead/logo", tag = "settings", security(("bearer" = [])),
    request_body(content = JpegFile, content_type = "image/jpeg"),
    responses((status = 200, body = LetterheadSettings), (status = 422, body = Problem)))]
pub async fn set_logo(
    State(app): State<App>,
    scope: Scope,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<LetterheadSettings>, Problem> {
    scope.require(Role::Admin)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.trim().eq_ignore_ascii_case("image/jpeg") {
        return Err(Problem::field(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type",
            format!("{content_type:?} is not accepted; send image/jpeg"),
        ));
    }
    app.set_letterhead_logo(&scope.actor(), scope.company_id, &body).await?;
    Ok(Json(app.letterhead(scope.company_id).await?))
}
