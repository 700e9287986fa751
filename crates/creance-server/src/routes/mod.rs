//! The routes, one module per resource.

pub mod companies;
pub mod customers;
pub mod delivery;
pub mod deposits;
pub mod documents;
pub mod dunning;
pub mod imports;
pub mod open_items;
pub mod payments;
pub mod pdf;
pub mod refunds;
pub mod reports;
pub mod settings;
pub mod small_balances;
pub mod tokens;

use axum::http::StatusCode;
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::{Json, Router};
use creance_app::App;

use crate::problem::Problem;

/// The routes of one company, mounted under `/api/v1` and `/api/v1/companies/{company_id}`.
pub fn v1(app: &App) -> Router<App> {
    Router::new()
        .route("/customers", get(customers::list))
        .route("/customers/{id}", get(customers::get))
        .route("/contracts", get(customers::list_contracts))
        .route("/contracts/{id}", get(customers::get_contract))
        .route("/documents", get(documents::list))
        .route("/documents/{id}", get(documents::get))
        .route("/installments/{id}", get(documents::get_installment))
        .route("/open-items", get(open_items::by_installment))
        .route("/open-items/by-document", get(open_items::by_document))
        .route("/reports/aging", get(reports::aging))
        .route("/reports/statement", get(reports::statement))
        .route("/reports/dso", get(reports::dso))
        .route("/settings/reports", get(reports::settings).put(reports::set_settings))
        .route(
            "/imports/{entity}",
            post(imports::import).layer(axum::extract::DefaultBodyLimit::max(crate::IMPORT_BODY_LIMIT_BYTES)),
        )
        .route("/payments/{id}", get(payments::get))
        .route("/payments/{id}/proposal", get(payments::proposal))
        .route("/credit-notes/{id}/proposal", get(payments::credit_note_proposal))
        .route("/advances", get(payments::advances))
        .route("/refunds/{id}", get(refunds::get))
        .route("/refunds/{id}/letter", get(refunds::letter))
        .route("/deposits/pending", get(deposits::pending))
        .route("/deposits/{id}", get(deposits::get))
        .route("/bank-accounts", get(settings::banks).post(settings::add_bank))
        .route("/payment-methods", get(settings::methods))
        .route("/payment-methods/{code}", put(settings::set_method))
        .route("/account-codes", get(settings::accounts))
        .route("/account-codes/{role}", put(settings::set_account))
        .route("/settings/money", get(settings::money).put(settings::set_money))
        .route("/journal", get(settings::journal))
        .route("/payments", get(payments::list).merge(money(app, post(payments::record))))
        .route("/payments/{id}/allocations", money(app, post(payments::allocate)))
        .route("/payments/{id}/cancel", money(app, post(payments::cancel)))
        .route("/payments/{id}/customer", money(app, post(payments::set_customer)))
        .route(
            "/credit-notes/{id}/allocations",
            get(payments::credit_note_allocations).merge(money(app, post(payments::credit_note_allocate))),
        )
        .route("/allocations/{id}/reverse", money(app, post(payments::reverse)))
        .route("/auto-allocations", money(app, post(payments::auto_allocate)))
        .route("/refunds", get(refunds::list).merge(money(app, post(refunds::record))))
        .route("/refunds/{id}/allocations", money(app, post(refunds::allocate)))
        .route("/refund-allocations/{id}/reverse", money(app, post(refunds::reverse)))
        .route("/deposits", get(deposits::list).merge(money(app, post(deposits::create))))
        .route("/deposits/{id}/validate", money(app, post(deposits::validate)))
        .route("/deposits/{id}/cancel", money(app, post(deposits::cancel)))
        .route("/dunning/proposals", get(dunning::proposals).post(dunning::propose))
        .route("/dunning/proposals/{id}", get(dunning::proposal).merge(delete(dunning::delete)))
        .route("/dunning/proposals/{id}/recompute", post(dunning::recompute))
        .route("/dunning/proposals/{id}/issue", money(app, post(dunning::issue)))
        .route("/dunning/letters", get(dunning::letters))
        .route("/dunning/letters/{id}", get(dunning::letter))
        .route("/dunning/letters/{id}/remove", post(dunning::remove_letter))
        .route("/dunning/letters/{id}/restore", post(dunning::restore_letter))
        .route("/dunning/letters/{id}/level", post(dunning::level))
        .route("/dunning/letters/{id}/texts", put(dunning::set_texts).delete(dunning::reset_texts))
        .route("/dunning/letters/{id}/send", post(dunning::send))
        .route("/dunning/letters/{id}/withdraw", money(app, post(dunning::withdraw)))
        .route("/dunning/items/{id}/remove", post(dunning::remove_item))
        .route("/dunning/external", post(dunning::external))
        .route("/dunning/to-generate", get(dunning::to_generate))
        .route("/dunning/beyond-last-level", get(dunning::beyond_last_level))
        .route("/dunning/history", get(dunning::history))
        .route("/dunning/deliveries", get(dunning::deliveries))
        .route("/dunning/deliveries/{id}", get(delivery::get))
        .route("/dunning/deliveries/{id}/attempts", get(delivery::attempts))
        .route("/dunning/deliveries/{id}/resend", post(delivery::resend))
        .route("/settings/smtp", get(delivery::smtp).put(delivery::set_smtp).delete(delivery::clear_smtp))
        .route("/dunning/policies", get(dunning::policies).post(dunning::save_policy))
        .route("/dunning/policies/default", put(dunning::default_policy))
        .route("/customers/{id}/dunning", put(dunning::customer))
        .route("/customers/{id}/comment", put(dunning::customer_comment))
        .route("/installments/blocks", post(dunning::block))
        .route("/interest-tables", get(dunning::interest_tables).post(dunning::create_interest_table))
        .route("/interest-tables/presets/{id}", post(dunning::interest_preset))
        .route("/interest-tables/{id}/rates", post(dunning::add_rates))
        .route("/dunning/letters/{id}/pdf", get(pdf::letter))
        .route("/dunning/policies/{id}/levels/{level}/preview.pdf", get(pdf::level_preview))
        .route("/dunning/runs/{id}/print.pdf", get(pdf::print_run))
        .route("/dunning/runs/{id}/printed", post(delivery::printed))
        .route("/documents/{id}/pdf", get(pdf::document))
        .route("/deposits/{id}/slip.pdf", get(pdf::deposit_slip))
        .route("/refunds/{id}/letter.pdf", get(pdf::refund_letter))
        .route("/settings/letterhead", get(pdf::letterhead).put(pdf::set_letterhead))
        .route("/settings/letterhead/logo", put(pdf::set_logo))
        .route("/small-balances", get(small_balances::list))
        .route("/small-balances/preview", post(small_balances::preview))
        .route("/small-balances/clear", money(app, post(small_balances::clear)))
        .route("/small-balances/actions", get(small_balances::actions).merge(money(app, post(small_balances::act))))
        .route("/small-balances/actions/{id}", get(small_balances::action))
        .route("/small-balances/actions/{id}/undo", money(app, post(small_balances::undo)))
        .route("/rebill-charges", get(small_balances::charges))
        .route("/rebill-charges/{id}", get(small_balances::charge))
        .route("/rebill-charges/{id}/acknowledge", post(small_balances::acknowledge))
        .route("/settings/small-balances", get(small_balances::settings).put(small_balances::set_settings))
        .route("/tokens", get(tokens::list))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
}

/// A POST that moves money: it takes an `Idempotency-Key`.
fn money(app: &App, route: MethodRouter<App>) -> MethodRouter<App> {
    route.route_layer(axum::middleware::from_fn_with_state(app.clone(), crate::idempotency::layer))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

/// Liveness: answers without authentication.
#[utoipa::path(get, path = "/api/health", tag = "system", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not-found", "no such route; the API is described at /api/openapi.json")
}

/// The `{id}` of a resource path (the `{company_id}` beside it, if any, is checked by [`crate::Scope`]).
#[derive(serde::Deserialize)]
pub struct IdPath {
    pub id: String,
}

impl IdPath {
    pub fn parse(&self) -> Result<i64, Problem> {
        self.id
            .parse()
            .map_err(|_| Problem::field(StatusCode::BAD_REQUEST, "id", format!("{:?} is not an id", self.id)))
    }
}
