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
use serde::Deserialize;

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

/// Which payers' letters of a run were printed.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Printed {
    /// Only payers whose customer number is at least this (as for the print PDF).
    #[serde(default)]
    pub from_payer: Option<String>,
    /// Only payers whose customer number is at most this.
    #[serde(default)]
    pub to_payer: Option<String>,
}

/// How many letters were marked printed.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PrintedCount {
    pub printed: u64,
}

/// Marks the letters to print of an issued run (those of its print PDF, in the same payer range)
/// as printed: their queued postal deliveries become `printed`. Clerk.
#[utoipa::path(post, path = "/api/v1/dunning/runs/{id}/printed", tag = "dunning", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Printed,
    responses((status = 200, body = PrintedCount), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn printed(
    State(app): State<App>,
    scope: Scope,
    Path(p): Path<IdPath>,
    JsonBody(b): JsonBody<Printed>,
) -> Result<Json<PrintedCount>, Problem> {
    scope.require(Role::Clerk)?;
    let (from, to) = (b.from_payer.as_deref(), b.to_payer.as_deref());
    let printed = app.mark_dunning_printed(&scope.actor(), scope.company_id, p.parse()?, from, to).await?;
    Ok(Json(PrintedCount { printed }))
}
