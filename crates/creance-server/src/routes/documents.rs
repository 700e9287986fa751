//! Documents and installments.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use creance_app::exports::lists;
use creance_app::queries::DocumentFilter;
use creance_app::queries::Listed;
use creance_app::views::ledger::{Document, Installment};
use creance_app::App;
use creance_core::{DocumentKind, Role};
use serde::Deserialize;

use super::IdPath;
use crate::auth::Scope;
use crate::export::Export;
use crate::params::{self, Params};
use crate::problem::Problem;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    pub customer_id: Option<String>,
    pub contract_id: Option<String>,
    /// invoice, credit_note, fee_invoice, interest_invoice or opening_balance.
    pub kind: Option<String>,
    pub number: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// `json` (the default), `csv` or `pdf`: the whole filtered list (not one page) as a file; wins
    /// over the `Accept` header (`text/csv`, `application/pdf`).
    #[allow(dead_code)] // read by `crate::export::Export`
    pub format: Option<String>,
    /// For CSV: `standard` (`,` and `.`, the default) or `excel` (`;`, decimal comma and a BOM).
    #[allow(dead_code)]
    pub dialect: Option<String>,
}

/// Documents, newest first.
#[utoipa::path(get, path = "/api/v1/documents", tag = "documents", security(("bearer" = [])), params(DocumentQuery),
    responses((status = 200, body = Listed<Document>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<DocumentQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let kind = match params::text(&q.kind) {
        None => None,
        Some(k) => Some(DocumentKind::parse(&k).ok_or_else(|| {
            Problem::field(axum::http::StatusCode::BAD_REQUEST, "kind", format!("{k:?} is not a document kind"))
        })?),
    };
    let filter = DocumentFilter {
        customer_id: params::int("customer_id", &q.customer_id)?,
        contract_id: params::int("contract_id", &q.contract_id)?,
        kind,
        date_from: params::date("date_from", &q.date_from)?,
        date_to: params::date("date_to", &q.date_to)?,
        number: params::text(&q.number),
    };
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::DOCUMENTS, page, Problem::from, move |page| {
            let (app, filter) = (a.clone(), filter.clone());
            async move { app.documents(company_id, &filter, page).await }
        })
        .await
}

/// One document with its installments.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Document), (status = 404, body = Problem)))]
pub async fn get(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Document>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.document(scope.company_id, p.parse()?).await?))
}

/// One installment.
#[utoipa::path(get, path = "/api/v1/installments/{id}", tag = "documents", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Installment), (status = 404, body = Problem)))]
pub async fn get_installment(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<Installment>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.installment(scope.company_id, p.parse()?).await?))
}
