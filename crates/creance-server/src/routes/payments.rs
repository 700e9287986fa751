//! Payments received, their allocation, credit-note allocation, unallocation and the batch allocation.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use creance_app::auto_allocate::BatchAllocation;
use creance_app::clock::today_utc;
use creance_app::exports::lists;
use creance_app::payment_customer::SetPaymentCustomer;
use creance_app::payments::PaymentFilter;
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest, PaymentDetail, Proposal, RecordPayment};
use creance_app::queries::Listed;
use creance_app::views::money::{Allocation, Payment};
use creance_app::App;
use creance_core::Role;
use serde::Deserialize;

use super::IdPath;
use crate::auth::Scope;
use crate::export::Export;
use crate::params::{self, JsonBody, Params};
use crate::problem::Problem;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PaymentQuery {
    pub customer_id: Option<String>,
    /// active or cancelled.
    pub status: Option<String>,
    /// true: only payments with something unallocated ("to allocate"); false: only fully allocated ones.
    pub unallocated: Option<String>,
    pub method: Option<String>,
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

/// Payments, newest first.
#[utoipa::path(get, path = "/api/v1/payments", tag = "payments", security(("bearer" = [])), params(PaymentQuery),
    responses((status = 200, body = Listed<Payment>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<PaymentQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let status = params::text(&q.status);
    if let Some(s) = &status {
        if creance_core::PaymentStatus::parse(s).is_none() {
            return Err(Problem::field(StatusCode::BAD_REQUEST, "status", format!("{s:?} is not active or cancelled")));
        }
    }
    let unallocated = match params::text(&q.unallocated).as_deref() {
        None => None,
        Some("true") | Some("1") => Some(true),
        Some("false") | Some("0") => Some(false),
        Some(other) => {
            return Err(Problem::field(
                StatusCode::BAD_REQUEST,
                "unallocated",
                format!("{other:?} is not true or false"),
            ))
        }
    };
    let filter = PaymentFilter {
        customer_id: params::int("customer_id", &q.customer_id)?,
        status,
        unallocated,
        method: params::text(&q.method),
        number: params::text(&q.number),
        date_from: params::date("date_from", &q.date_from)?,
        date_to: params::date("date_to", &q.date_to)?,
        ..Default::default()
    };
    let page = params::page(&q.limit, &q.offset)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::PAYMENTS, page, Problem::from, move |page| {
            let (app, filter) = (a.clone(), filter.clone());
            async move { app.payments(company_id, &filter, page).await }
        })
        .await
}

/// Records a payment. A likely duplicate (same customer, amount and piece number within the company's
/// window, 7 days by default) is a 409 naming the earlier payment unless `confirm_duplicate` is true.
/// `allocate`: absent (the answer carries the proposal), `"proposal"`, or `{"lines": [...]}`.
#[utoipa::path(post, path = "/api/v1/payments", tag = "payments", security(("bearer" = [])), request_body = RecordPayment,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first answer for the same request")),
    responses((status = 201, body = PaymentDetail), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(app): State<App>,
    scope: Scope,
    JsonBody(input): JsonBody<RecordPayment>,
) -> Result<(StatusCode, Json<PaymentDetail>), Problem> {
    scope.require(Role::Clerk)?;
    let detail = app.record_payment(&scope.actor(), scope.company_id, &input, today_utc()).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// One payment with its allocations and, while something is unallocated, the proposal for the rest.
#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PaymentDetail), (status = 404, body = Problem)))]
pub async fn get(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<PaymentDetail>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.payment(scope.company_id, p.parse()?).await?))
}

/// The allocation proposal for a payment (SPEC §4.2): referenced invoices, then an exact amount, then
/// oldest due date.
#[utoipa::path(get, path = "/api/v1/payments/{id}/proposal", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Proposal), (status = 404, body = Problem)))]
pub async fn proposal(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Proposal>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.proposal(scope.company_id, CreditRef::Payment(p.parse()?)).await?))
}

/// What to allocate: `{"proposal": true}` or `{"lines": [{"installment_id": 1, "amount": "50.00"}]}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocateBody {
    #[serde(default)]
    pub proposal: bool,
    pub lines: Option<Vec<LineRequest>>,
    /// The allocation date; today when absent.
    pub date: Option<String>,
}

impl AllocateBody {
    fn request(&self) -> Result<(AllocateRequest, creance_core::Date), Problem> {
        let date = creance_app::query_args::date("date", &self.date).map_err(Problem::from)?.unwrap_or_else(today_utc);
        let request = match (&self.lines, self.proposal) {
            (Some(lines), false) => AllocateRequest::Lines(lines.clone()),
            (None, true) => AllocateRequest::Proposal,
            _ => {
                return Err(Problem::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "lines",
                    "give either \"proposal\": true or \"lines\": [...]",
                ))
            }
        };
        Ok((request, date))
    }
}

/// Allocates a payment: the proposal or chosen lines. A line asking more than is open now is a 409.
#[utoipa::path(post, path = "/api/v1/payments/{id}/allocations", tag = "payments", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = AllocateBody,
    responses((status = 201, body = Vec<Allocation>), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn allocate(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<AllocateBody>,
) -> Result<(StatusCode, Json<Vec<Allocation>>), Problem> {
    scope.require(Role::Clerk)?;
    let (request, date) = body.request()?;
    let out = app.allocate(&scope.actor(), scope.company_id, CreditRef::Payment(p.parse()?), &request, date).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    pub reason: String,
    /// The date of the reversing journal entry; today when absent.
    pub date: Option<String>,
}

/// Cancels a payment recorded wrongly; only while nothing of it is allocated, refunded or deposited.
#[utoipa::path(post, path = "/api/v1/payments/{id}/cancel", tag = "payments", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = CancelBody,
    responses((status = 200, body = Payment), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<CancelBody>,
) -> Result<Json<Payment>, Problem> {
    scope.require(Role::Clerk)?;
    let date = creance_app::query_args::date("date", &body.date).map_err(Problem::from)?.unwrap_or_else(today_utc);
    Ok(Json(app.cancel_payment(&scope.actor(), scope.company_id, p.parse()?, &body.reason, date).await?))
}

/// Moves a payment to another customer (`customer_id` or `customer_number`) while nothing of it is
/// allocated or refunded (409 otherwise, or once cancelled); its receivable follows in the journal.
#[utoipa::path(post, path = "/api/v1/payments/{id}/customer", tag = "payments", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = SetPaymentCustomer,
    responses((status = 200, body = PaymentDetail), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn set_customer(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<SetPaymentCustomer>,
) -> Result<Json<PaymentDetail>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.set_payment_customer(&scope.actor(), scope.company_id, p.parse()?, &body, today_utc()).await?))
}

/// The allocation proposal for a credit note (by document id).
#[utoipa::path(get, path = "/api/v1/credit-notes/{id}/proposal", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Proposal), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn credit_note_proposal(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<Proposal>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.proposal(scope.company_id, CreditRef::CreditNote(p.parse()?)).await?))
}

/// A credit note's allocations (active and reversed).
#[utoipa::path(get, path = "/api/v1/credit-notes/{id}/allocations", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Allocation>)))]
pub async fn credit_note_allocations(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<Vec<Allocation>>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.credit_note_allocations(scope.company_id, p.parse()?).await?))
}

/// Allocates a credit note to invoices, like a payment.
#[utoipa::path(post, path = "/api/v1/credit-notes/{id}/allocations", tag = "payments", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = AllocateBody,
    responses((status = 201, body = Vec<Allocation>), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn credit_note_allocate(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<AllocateBody>,
) -> Result<(StatusCode, Json<Vec<Allocation>>), Problem> {
    scope.require(Role::Clerk)?;
    let (request, date) = body.request()?;
    let out = app.allocate(&scope.actor(), scope.company_id, CreditRef::CreditNote(p.parse()?), &request, date).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateBody {
    /// Today when absent.
    pub date: Option<String>,
}

/// Unallocates: appends the reversal of an allocation (nothing is edited or deleted) and returns it.
#[utoipa::path(post, path = "/api/v1/allocations/{id}/reverse", tag = "payments", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = DateBody,
    responses((status = 201, body = Allocation), (status = 409, body = Problem), (status = 404, body = Problem)))]
pub async fn reverse(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(body): JsonBody<DateBody>,
) -> Result<(StatusCode, Json<Allocation>), Problem> {
    scope.require(Role::Clerk)?;
    let date = creance_app::query_args::date("date", &body.date).map_err(Problem::from)?.unwrap_or_else(today_utc);
    Ok((StatusCode::CREATED, Json(app.unallocate(&scope.actor(), scope.company_id, p.parse()?, date).await?)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchBody {
    /// Only the credits of the customers this payer pays for; the whole company when absent.
    pub payer_id: Option<i64>,
    /// false (the default): preview only. true: allocate.
    #[serde(default)]
    pub confirm: bool,
    /// The allocations' date; today when absent.
    pub date: Option<String>,
}

/// The batch allocation of every unallocated credit: a preview, then `"confirm": true`; both need the
/// clerk role.
#[utoipa::path(post, path = "/api/v1/auto-allocations", tag = "payments", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)), request_body = BatchBody,
    responses((status = 200, body = BatchAllocation), (status = 409, body = Problem)))]
pub async fn auto_allocate(
    State(app): State<App>,
    scope: Scope,
    JsonBody(body): JsonBody<BatchBody>,
) -> Result<Json<BatchAllocation>, Problem> {
    // The preview locks nothing but computes the whole company's batch: a clerk's action, like its
    // confirmation.
    scope.require(Role::Clerk)?;
    let date = creance_app::query_args::date("date", &body.date).map_err(Problem::from)?.unwrap_or_else(today_utc);
    Ok(Json(app.auto_allocate(&scope.actor(), scope.company_id, body.payer_id, body.confirm, date).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AdvanceQuery {
    pub customer_id: Option<String>,
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

/// Advances (SPEC §4.4): payments with an order reference and nothing to pay yet.
#[utoipa::path(get, path = "/api/v1/advances", tag = "payments", security(("bearer" = [])), params(AdvanceQuery),
    responses((status = 200, body = Listed<Payment>)))]
pub async fn advances(
    State(app): State<App>,
    scope: Scope,
    Params(q): Params<AdvanceQuery>,
    export: Export,
) -> Result<Response, Problem> {
    scope.require(Role::ReadOnly)?;
    let page = params::page(&q.limit, &q.offset)?;
    let customer_id = params::int("customer_id", &q.customer_id)?;
    let (a, company_id) = (app.clone(), scope.company_id);
    export
        .listed(&app, company_id, &lists::ADVANCES, page, Problem::from, move |page| {
            let app = a.clone();
            async move { app.advances(company_id, customer_id, page).await }
        })
        .await
}
