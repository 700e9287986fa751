//! The session of a page: the [`require_session`] layer reads the `creance_session` cookie, loads
//! the session through `creance-app` (marking it seen), checks the CSRF token of a request that may
//! change something, and hands the handlers a [`WebUser`]. Without a live session a page is a 303 to
//! `/login?next=…`; an htmx request gets 401 with `HX-Redirect` (htmx then loads the login page).

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use creance_app::users::SESSION_COOKIE;
use creance_app::views::users::WebSession;
use creance_app::{Actor, App};
use creance_core::{Language, Role, Timestamp};

use super::i18n::{t, tf, Msg};
use super::{csrf, WebError};

/// The user of a page: its session (user, company, role, language, CSRF token) and the instant the
/// request came in (read from the clock once, at the edge).
#[derive(Debug, Clone)]
pub struct WebUser {
    pub session: WebSession,
    pub at: Timestamp,
}

impl WebUser {
    pub fn lang(&self) -> Language {
        self.session.language
    }

    pub fn role(&self) -> Role {
        self.session.role
    }

    pub fn company_id(&self) -> i64 {
        self.session.company_id
    }

    pub fn csrf(&self) -> &str {
        &self.session.csrf_token
    }

    /// Whether the user may change things (clerk or admin): pages show write buttons only then.
    pub fn can_write(&self) -> bool {
        self.session.role >= Role::Clerk
    }

    /// A 403 page unless the user's role is at least `needed` (every write handler calls it: a
    /// hidden button is no protection).
    pub fn require(&self, needed: Role) -> Result<(), WebError> {
        if self.session.role >= needed {
            return Ok(());
        }
        let lang = self.lang();
        Err(WebError::Forbidden {
            lang,
            detail: tf(lang, Msg::ForbiddenRole, &[role_name(lang, self.session.role), role_name(lang, needed)]),
        })
    }

    /// The actor of the audit trail: `user:ID`.
    pub fn actor(&self) -> Actor {
        Actor::new(format!("user:{}", self.session.user_id), self.at)
    }
}

/// A role's name in the UI's words.
pub fn role_name(lang: Language, role: Role) -> &'static str {
    t(
        lang,
        match role {
            Role::ReadOnly => Msg::RoleReadOnly,
            Role::Clerk => Msg::RoleClerk,
            Role::Admin => Msg::RoleAdmin,
        },
    )
}

impl FromRequestParts<App> for WebUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _app: &App) -> Result<Self, Self::Rejection> {
        // Put there by `require_session`; a route outside that layer asking for a user is a bug.
        parts.extensions.get::<WebUser>().cloned().ok_or_else(|| {
            WebError::Internal(anyhow::anyhow!("a web route without the session layer asked for a user"))
        })
    }
}

/// The value of a cookie in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Percent-encodes a path and query for the `next` parameter.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where a request without a session goes: the login page, then back here.
fn to_login(request: &Request) -> Response {
    let here = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let target = format!("/login?next={}", encode(here));
    if request.headers().contains_key("hx-request") {
        let mut r = StatusCode::UNAUTHORIZED.into_response();
        if let Ok(v) = HeaderValue::from_str(&target) {
            r.headers_mut().insert("hx-redirect", v);
        }
        return r;
    }
    Redirect::to(&target).into_response()
}

/// The layer in front of every page but the login page and the static files.
pub async fn require_session(State(app): State<App>, request: Request, next: Next) -> Response {
    let at = creance_app::clock::now();
    let session = match cookie(request.headers(), SESSION_COOKIE) {
        None => None,
        Some(c) => match app.web_session(&c, at).await {
            Ok(s) => s,
            Err(e) => return WebError::from(e).into_response(),
        },
    };
    let Some(session) = session else { return to_login(&request) };
    let mut request = request;
    if csrf::needs_token(request.method()) {
        match csrf::check(request, &session.csrf_token, crate::BODY_LIMIT_BYTES).await {
            Some(r) => request = r,
            None => return WebError::Csrf { lang: session.language }.into_response(),
        }
    }
    let lang = session.language;
    request.extensions_mut().insert(WebUser { session, at });
    PAGE_LANGUAGE.scope(lang, next.run(request)).await
}

tokio::task_local! {
    /// The language of the user whose page is being answered, for the error page a handler's
    /// refusal becomes ([`WebError`]'s answer has no user at hand).
    static PAGE_LANGUAGE: creance_core::Language;
}

/// The language of the page being answered (English outside a session: the login page).
pub fn page_language() -> creance_core::Language {
    PAGE_LANGUAGE.try_with(|l| *l).unwrap_or(creance_core::Language::En)
}
