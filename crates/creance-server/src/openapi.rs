//! The OpenAPI document, generated from the route and type annotations.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::Scope;
use crate::problem::Problem;
use crate::routes;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Créance API",
        description = "Accounts-receivable collections. Every route but /api/health needs `Authorization: Bearer <token>` \
            (`creance token create`). Routes under /api/v1 act on the token's company; the same routes exist under \
            /api/v1/companies/{company_id}/…, where another company's id is a 403. Amounts are \
            {\"amount\": \"100.50\", \"currency\": \"EUR\"}: exact decimal strings with their currency. Errors are \
            RFC 9457 problem+json naming the field at fault."
    ),
    paths(
        routes::health,
        routes::companies::list,
        routes::companies::get,
        routes::customers::list,
        routes::customers::get,
        routes::customers::list_contracts,
        routes::customers::get_contract,
        routes::documents::list,
        routes::documents::get,
        routes::documents::get_installment,
        routes::open_items::by_installment,
        routes::open_items::by_document,
        routes::imports::import,
        routes::payments::list,
        routes::payments::record,
        routes::payments::get,
        routes::payments::proposal,
        routes::payments::allocate,
        routes::payments::cancel,
        routes::payments::credit_note_proposal,
        routes::payments::credit_note_allocations,
        routes::payments::credit_note_allocate,
        routes::payments::reverse,
        routes::payments::auto_allocate,
        routes::payments::advances,
        routes::refunds::list,
        routes::refunds::record,
        routes::refunds::get,
        routes::refunds::allocate,
        routes::refunds::letter,
        routes::refunds::reverse,
        routes::deposits::pending,
        routes::deposits::list,
        routes::deposits::create,
        routes::deposits::get,
        routes::deposits::validate,
        routes::deposits::cancel,
        routes::settings::banks,
        routes::settings::add_bank,
        routes::settings::methods,
        routes::settings::set_method,
        routes::settings::accounts,
        routes::settings::set_account,
        routes::settings::money,
        routes::settings::set_money,
        routes::settings::journal,
        routes::dunning::proposals,
        routes::dunning::propose,
        routes::dunning::proposal,
        routes::dunning::delete,
        routes::dunning::recompute,
        routes::dunning::issue,
        routes::dunning::letters,
        routes::dunning::letter,
        routes::dunning::remove_letter,
        routes::dunning::restore_letter,
        routes::dunning::level,
        routes::dunning::set_texts,
        routes::dunning::reset_texts,
        routes::dunning::send,
        routes::dunning::withdraw,
        routes::dunning::remove_item,
        routes::dunning::external,
        routes::dunning::to_generate,
        routes::dunning::beyond_last_level,
        routes::dunning::history,
        routes::dunning::deliveries,
        routes::dunning::policies,
        routes::dunning::save_policy,
        routes::dunning::default_policy,
        routes::dunning::customer,
        routes::dunning::customer_comment,
        routes::dunning::block,
        routes::dunning::interest_tables,
        routes::dunning::create_interest_table,
        routes::dunning::interest_preset,
        routes::dunning::add_rates,
    ),
    components(schemas(Problem, creance_store::openapi::MoneySchema, creance_store::openapi::DueSchema)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// `GET /api/openapi.json` (needs a token, like every route but health).
pub async fn serve(_scope: Scope) -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
