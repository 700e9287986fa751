//! Bearer-token authentication and company scoping.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::header;
use axum::http::request::Parts;
use creance_app::App;
use creance_core::Role;

use crate::problem::Problem;

/// The authenticated caller: the company it acts on and its role there.
#[derive(Debug, Clone)]
pub struct Scope {
    pub company_id: i64,
    pub role: Role,
    pub token_id: i64,
    /// When the request came in: what it writes is stamped with this instant (the clock is read here,
    /// at the edge, once per request).
    pub at: creance_core::Timestamp,
}

impl Scope {
    /// Refuses with 403 unless the caller's role is at least `needed`.
    pub fn require(&self, needed: Role) -> Result<(), Problem> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "this token's role is {}; this action needs {} or higher",
                self.role.code(),
                needed.code()
            )))
        }
    }

    /// The actor recorded in the audit trail.
    pub fn actor(&self) -> creance_app::Actor {
        creance_app::Actor::new(format!("token:{}", self.token_id), self.at)
    }
}

impl FromRequestParts<App> for Scope {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(Problem::unauthorized("this route needs an Authorization: Bearer <token> header"));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| Problem::unauthorized("the Authorization header must be: Bearer <token>"))?;
        let grant = app
            .authenticate(token)
            .await
            .map_err(Problem::from)?
            .ok_or_else(|| Problem::unauthorized("unknown or revoked token"))?;
        let path_company = match RawPathParams::from_request_parts(parts, app).await {
            Ok(params) => params.iter().find(|(k, _)| *k == "company_id").map(|(_, v)| v.to_string()),
            Err(_) => None,
        };
        if let Some(text) = path_company {
            let id: i64 = text.parse().map_err(|_| {
                Problem::field(
                    axum::http::StatusCode::BAD_REQUEST,
                    "company_id",
                    format!("{text:?} is not a company id"),
                )
            })?;
            if id != grant.company_id {
                return Err(Problem::forbidden(format!(
                    "this token belongs to company {}, not {id}",
                    grant.company_id
                )));
            }
        }
        Ok(Scope {
            company_id: grant.company_id,
            role: grant.role,
            token_id: grant.token_id,
            at: creance_app::clock::now(),
        })
    }
}
