//! The e-mail delivery of issued letters (issue 11 point 6): one delivery with its attempts, a
//! clerk's resend of a failed one, and the company's SMTP settings (the password is written, never
//! shown). The list is `GET /api/v1/dunning/deliveries` (routes::dunning); the sending itself is
//! the delivery worker of `creance serve`.

use axum::extract::{Path, State};
use axum::Json;
use creance_app::delivery::{SmtpInput, SmtpView};
use creance_app::views::dunning::{Delivery, DeliveryAttempt};
use creance_app::App;
use creance_core::Role;

use crate::params::JsonBody;
use crate::problem::Problem;
use crate::Scope;

use super::IdPath;

/// One delivery of the queue: its status, attempts, last error and where it went.
#[utoipa::path(get, path = "/api/v1/dunning/deliveries/{id}", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Delivery), (status = 404, body = Problem)))]
pub async fn get(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Delivery>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.delivery(scope.company_id, p.parse()?).await?))
}

/// A delivery's attempts, oldest first: when, through what, how it ended and what the server said.
#[utoipa::path(get, path = "/api/v1/dunning/deliveries/{id}/attempts", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<DeliveryAttempt>), (status = 404, body = Problem)))]
pub async fn attempts(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
) -> Result<Json<Vec<DeliveryAttempt>>, Problem> {
    scope.require(Role::ReadOnly)?;
    Ok(Json(app.delivery_attempts(scope.company_id, p.parse()?).await?))
}

/// Sends a failed e-mail delivery again, to the payer's e-mail address as it is now; the delivery
/// worker sends it on its next pass. 409 `delivery_not_failed`, or `payer_has_no_email` (print it).
#[utoipa::path(post, path = "/api/v1/dunning/deliveries/{id}/resend", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Delivery), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn resend(State(app): State<App>, scope: Scope, Path(p): Path<IdPath>) -> Result<Json<Delivery>, Problem> {
    scope.require(Role::Clerk)?;
    Ok(Json(app.resend_delivery(&scope.actor(), scope.company_id, p.parse()?).await?))
}

/// The company's SMTP server (`configured: false`: messages are written to the outbox folder).
/// The password is never shown, only whether one is set.
#[utoipa::path(get, path = "/api/v1/settings/smtp", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = SmtpView)))]
pub async fn smtp(State(app): State<App>, scope: Scope) -> Result<Json<SmtpView>, Problem> {
    scope.require(Role::Admin)?;
    Ok(Json(app.smtp_settings(scope.company_id).await?))
}

/// Sets the SMTP server; an absent `password` keeps the stored one. Admin only.
#[utoipa::path(put, path = "/api/v1/settings/smtp", tag = "settings", security(("bearer" = [])),
    request_body = SmtpInput, responses((status = 200, body = SmtpView), (status = 422, body = Problem)))]
pub async fn set_smtp(
    State(app): State<App>,
    scope: Scope,
    JsonBody(b): JsonBody<SmtpInput>,
) -> Result<Json<SmtpView>, Problem> {
    scope.require(Role::Admin)?;
    Ok(Json(app.set_smtp_settings(&scope.actor(), scope.company_id, &b).await?))
}

/// Removes the SMTP server: messages go to the outbox folder again. Admin only.
#[utoipa::path(delete, path = "/api/v1/settings/smtp", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = SmtpView)))]
pub async fn clear_smtp(State(app): State<App>, scope: Scope) -> Result<Json<SmtpView>, Problem> {
    scope.require(Role::Admin)?;
    app.clear_smtp_settings(&scope.actor(), scope.company_id).await?;
    Ok(Json(app.smtp_settings(scope.company_id).await?))
}
