//! The open-items list, by installment or by document; as JSON (one page), or the whole list as
//! CSV or PDF (`format`, `Accept`).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use creance_app::exports::{Format, OpenItemsQuery, OpenItemsView, CHUNK_ROWS};
use creance_app::queries::OpenItems;
use creance_app::query_args::OpenItemArgs;
use creance_app::views::ledger::{OpenDocument, OpenItem};
use creance_app::App;
use creance_core::Role;

use crate::auth::Scope;
use crate::export::Export;
use crate::params::{bad_request, Params};
use crate::problem::Problem;

/// Open installments and credits with per-currency totals of everything selected.
#[utoipa::path(get, path = "/api/v1/open-items", tag = "open items", security(("bearer" = [])), params(OpenItemArgs),
    responses((status = 200, body = OpenItems<OpenItem>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn by_installment(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<OpenItemArgs>,
    export: Export,
) -> Result<Response, Problem> {
    answer(app, scope, q, export, OpenItemsView::ByInstallment).await
}

/// Documents with open installments (one row per document), with per-currency totals.
#[utoipa::path(get, path = "/api/v1/open-items/by-document", tag = "open items", security(("bearer" = [])), params(OpenItemArgs),
    responses((status = 200, body = OpenItems<OpenDocument>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn by_document(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<OpenItemArgs>,
    export: Export,
) -> Result<Response, Problem> {
    answer(app, scope, q, export, OpenItemsView::ByDocument).await
}

async fn answer(
    app: App,
    scope: Scope,
    q: OpenItemArgs,
    export: Export,
    view: OpenItemsView,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let (filter, sorts, page) = q.parse(creance_app::clock::today_utc()).map_err(bad_request)?;
    let company_id = scope.company_id;
    match (export.format, view) {
        (Format::Json, OpenItemsView::ByInstallment) => {
            Ok(Json(app.open_items(company_id, &filter, &sorts, page).await?).into_response())
        }
        (Format::Json, OpenItemsView::ByDocument) => {
            Ok(Json(app.open_documents(company_id, &filter, &sorts, page).await?).into_response())
        }
        (Format::Csv, _) => {
            let dialect = export.dialect;
            Ok(export.csv(view.spec(), move |mut sink| async move {
                let r = {
                    let q = OpenItemsQuery { company_id, filter: &filter, sorts: &sorts, view };
                    app.export_open_items_csv(q, dialect, CHUNK_ROWS, &mut sink).await
                };
                (sink, r)
            }))
        }
        (Format::Pdf, _) => {
            let pdf = app
                .export_open_items_pdf(
                    OpenItemsQuery { company_id, filter: &filter, sorts: &sorts, view },
                    export.pdf_header(),
                )
                .await?;
            Ok(Export::pdf(view.spec(), pdf))
        }
    }
}
