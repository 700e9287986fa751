//! CSRF protection: every request of the UI that may change something (any method but GET and HEAD)
//! carries the session's CSRF token, as the header `X-CSRF-Token` (htmx sends it from the
//! `hx-headers` of `<body>`) or as the form field `csrf` (plain forms, through [`hidden`]). A missing
//! or wrong token is a 403 before any handler runs: nothing is changed. The session cookie is
//! `SameSite=Lax` besides, so another site's form posts arrive without it.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::Method;
use maud::{html, Markup};

/// The header htmx sends the token in.
pub const HEADER: &str = "x-csrf-token";
/// The form field plain forms send it in.
pub const FIELD: &str = "csrf";

/// The hidden form field carrying the token.
pub fn hidden(token: &str) -> Markup {
    html! { input type="hidden" name=(FIELD) value=(token); }
}

/// Whether the method needs a token.
pub fn needs_token(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD)
}

/// Equal strings, compared in time independent of where they differ.
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The request back (its body read and put back) when it carries `token`; `None` when it does not.
/// A form body larger than `limit` bytes is refused like a missing token.
pub async fn check(request: Request, token: &str, limit: usize) -> Option<Request> {
    if let Some(v) = request.headers().get(HEADER) {
        return same(v.as_bytes(), token.as_bytes()).then_some(request);
    }
    let is_form = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return None;
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, limit).await.ok()?;
    // The token is hex: its field needs no percent-decoding to compare.
    let found = bytes
        .split(|b| *b == b'&')
        .filter_map(|pair| pair.strip_prefix(b"csrf="))
        .any(|value| same(value, token.as_bytes()));
    found.then(|| Request::from_parts(parts, Body::from(bytes)))
}
