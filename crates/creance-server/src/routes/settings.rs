//! A company's money settings: bank accounts, payment methods, account codes, switches; and the
//! journal export.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use creance_app::journal::JournalFormat;
use creance_app::settings::NewBank;
use creance_app::views::settings::{AccountCodes, BankAccount, MoneySettings, PaymentMethod};
use creance_app::App;
use creance_core::Role;
use serde::Deserialize;

use crate::auth::Scope;
use crate::params::{self, JsonBody, Params};
use crate::problem::Problem;

#[utoipa::path(get, path = "/api/v1/bank-accounts", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<BankAccount>)))]
pub async fn banks(State(app): State<App>, scope: Scope) -> Result<Json<Vec<BankAccount>>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.bank_accounts(scope.company_id).await?))
}

/// Adds a bank account (admin). The IBAN is checked.
#[utoipa::path(post, path = "/api/v1/bank-accounts", tag = "settings", security(("bearer" = [])), request_body = NewBank,
    responses((status = 201, body = BankAccount), (status = 422, body = Problem), (status = 409, body = Problem)))]
pub async fn add_bank(
    State(app): State<App>,
    scope: Scope,
    JsonBody(b): JsonBody<NewBank>,
) -> Result<(StatusCode, Json<BankAccount>), Problem> {
    scope.require(Role::Admin)?;
    Ok((StatusCode::CREATED, Json(app.add_bank_account(&scope.actor(), scope.company_id, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/payment-methods", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<PaymentMethod>)))]
pub async fn methods(State(app): State<App>, scope: Scope) -> Result<Json<Vec<PaymentMethod>>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.payment_methods(scope.company_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MethodBody {
    pub label: String,
    #[serde(default)]
    pub needs_deposit: bool,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
pub struct CodePath {
    pub code: String,
}

/// Creates or changes a payment method (admin).
#[utoipa::path(put, path = "/api/v1/payment-methods/{code}", tag = "settings", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = MethodBody,
    responses((status = 200, body = Vec<PaymentMethod>), (status = 422, body = Problem)))]
pub async fn set_method(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<CodePath>,
    JsonBody(b): JsonBody<MethodBody>,
) -> Result<Json<Vec<PaymentMethod>>, Problem> {
    scope.require(Role::Admin)?;
    let m = PaymentMethod { code: p.code, label: b.label, needs_deposit: b.needs_deposit, active: b.active };
    app.set_payment_method(&scope.actor(), scope.company_id, &m).await?;
    Ok(Json(app.payment_methods(scope.company_id).await?))
}

#[utoipa::path(get, path = "/api/v1/account-codes", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = AccountCodes)))]
pub async fn accounts(State(app): State<App>, scope: Scope) -> Result<Json<AccountCodes>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.account_codes(scope.company_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountBody {
    pub code: String,
    #[serde(default)]
    pub label: String,
}

#[derive(Deserialize)]
pub struct RolePath {
    pub role: String,
}

/// Sets the account code of a role (receivable, cheques_to_deposit, bank, sales, …) (admin).
#[utoipa::path(put, path = "/api/v1/account-codes/{role}", tag = "settings", security(("bearer" = [])),
    params(("role" = String, Path)), request_body = AccountBody,
    responses((status = 200, body = AccountCodes), (status = 422, body = Problem)))]
pub async fn set_account(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<RolePath>,
    JsonBody(b): JsonBody<AccountBody>,
) -> Result<Json<AccountCodes>, Problem> {
    scope.require(Role::Admin)?;
    app.set_account_code(&scope.actor(), scope.company_id, &p.role, &b.code, &b.label).await?;
    Ok(Json(app.account_codes(scope.company_id).await?))
}

#[utoipa::path(get, path = "/api/v1/settings/money", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = MoneySettings)))]
pub async fn money(State(app): State<App>, scope: Scope) -> Result<Json<MoneySettings>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.money_settings(scope.company_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyBody {
    pub deposits_to_bank_journal: bool,
    pub duplicate_window_days: i64,
    /// Maximum per document in whole major units of its currency; absent or null: none (only the
    /// global limit of 10^15 minor units).
    #[serde(default)]
    pub document_amount_max: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/settings/money", tag = "settings", security(("bearer" = [])), request_body = MoneyBody,
    responses((status = 200, body = MoneySettings), (status = 422, body = Problem)))]
pub async fn set_money(
    State(app): State<App>,
    scope: Scope,
    JsonBody(b): JsonBody<MoneyBody>,
) -> Result<Json<MoneySettings>, Problem> {
    scope.require(Role::Admin)?;
    let s = MoneySettings {
        deposits_to_bank_journal: b.deposits_to_bank_journal,
        duplicate_window_days: b.duplicate_window_days,
        document_amount_max: b.document_amount_max,
    };
    app.set_money_settings(&scope.actor(), scope.company_id, &s).await?;
    Ok(Json(app.money_settings(scope.company_id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// csv (the default) or fec.
    pub format: Option<String>,
    pub from: String,
    pub to: String,
}

/// The journal lines dated from `from` to `to`, as CSV or as the French FEC (18 tab-separated columns).
#[utoipa::path(get, path = "/api/v1/journal", tag = "settings", security(("bearer" = [])), params(JournalQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = Problem)))]
pub async fn journal(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<JournalQuery>,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let format_text = params::text(&q.format).unwrap_or_else(|| "csv".to_string());
    let format = JournalFormat::parse(&format_text).ok_or_else(|| {
        Problem::field(StatusCode::BAD_REQUEST, "format", format!("{format_text:?} is not csv or fec"))
    })?;
    let from = params::date("from", &Some(q.from))?
        .ok_or_else(|| Problem::field(StatusCode::BAD_REQUEST, "from", "required"))?;
    let to =
        params::date("to", &Some(q.to))?.ok_or_else(|| Problem::field(StatusCode::BAD_REQUEST, "to", "required"))?;
    if from > to {
        return Err(Problem::field(StatusCode::BAD_REQUEST, "from", format!("{from} is after to {to}")));
    }
    let content_type = match format {
        JournalFormat::Csv => "text/csv; charset=utf-8",
        JournalFormat::Fec => "text/tab-separated-values; charset=utf-8",
    };
    // Streamed: 3.4 million lines are written to the socket as the client reads them.
    let company = scope.company_id;
    let body = crate::export::streamed("the journal", move |mut sink| async move {
        let r = app.export_journal_to(company, from, to, format, &mut sink).await;
        (sink, r)
    });
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}
