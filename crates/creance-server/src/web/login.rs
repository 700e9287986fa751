//! The login page, the login itself and the logout. The page is the only one without a session. A
//! refused login (unknown e-mail or wrong password, the same answer) shows its message next to the
//! password field; a throttled one says until when. The cookie is `HttpOnly; SameSite=Lax; Path=/`,
//! `Secure` with `serve --secure-cookies`.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use creance_app::users::{LoginOutcome, LOGIN_COOKIE, SESSION_ABSOLUTE_SECONDS, SESSION_COOKIE};
use creance_app::App;
use creance_core::Language;
use maud::{html, Markup};
use serde::Deserialize;

use super::i18n::{t, tf, Msg};
use super::layout::{self, Tab};
use super::session::cookie;
use super::{html, WebConfig, WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    bye: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
    /// The login form's CSRF token, equal to the `creance_login` cookie.
    #[serde(default)]
    csrf: String,
}

/// Whether `next` is a path of this site (not `//host`, not a URL): no open redirect.
pub fn safe_next(next: &str) -> bool {
    next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.chars().any(char::is_control)
}

/// The page's language: the browser's first choice when it is French, else English.
pub(super) fn browser_language(headers: &HeaderMap) -> Language {
    let first = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .unwrap_or("");
    if first.trim().to_ascii_lowercase().starts_with("fr") {
        Language::Fr
    } else {
        Language::En
    }
}

struct LoginView<'a> {
    lang: Language,
    /// The form's CSRF token (also set as the `creance_login` cookie).
    csrf: &'a str,
    email: &'a str,
    next: &'a str,
    error: Option<String>,
    notice: Option<&'static str>,
}

fn login_page(v: &LoginView<'_>) -> Markup {
    let lang = v.lang;
    layout::document(
        lang,
        t(lang, Msg::LoginTitle),
        None,
        html! {
            main #main.login tabindex="-1" {
                h1 { (t(lang, Msg::AppName)) }
                @if let Some(n) = v.notice { p.notice role="status" { (n) } }
                form method="post" action="/login" novalidate {
                    input type="hidden" name="next" value=(v.next);
                    (super::csrf::hidden(v.csrf))
                    div.field {
                        label for="email" { (t(lang, Msg::Email)) }
                        input #email type="email" name="email" value=(v.email) autocomplete="username" required autofocus;
                    }
                    div.field.invalid[v.error.is_some()] {
                        label for="password" { (t(lang, Msg::Password)) }
                        input #password type="password" name="password" autocomplete="current-password" required
                            aria-invalid=[v.error.as_ref().map(|_| "true")]
                            aria-describedby=[v.error.as_ref().map(|_| "password-error")];
                        @if let Some(e) = &v.error {
                            p #password-error.field-error role="alert" { (e) }
                        }
                    }
                    button.primary type="submit" { (t(lang, Msg::LogIn)) }
                }
            }
        },
    )
}

/// The login page with a new form token, and the cookie that carries it (`SameSite=Strict`, only
/// sent to `/login`, for two hours).
fn login_response(status: StatusCode, view: LoginView<'_>, config: &WebConfig) -> Result<Response, WebError> {
    let token = creance_app::users::login_form_token().map_err(WebError::Internal)?;
    let page = login_page(&LoginView { csrf: &token, ..view });
    let mut r = (status, html(page)).into_response();
    r.headers_mut().insert(header::SET_COOKIE, form_cookie(LOGIN_COOKIE, "/login", &token, config)?);
    Ok(r)
}

/// The `Set-Cookie` value of a page's own form token (a page without a session: the login, the
/// installation): `HttpOnly; SameSite=Strict`, sent back only to `path`, for two hours.
pub(super) fn form_cookie(name: &str, path: &str, token: &str, config: &WebConfig) -> Result<HeaderValue, WebError> {
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    let value = format!("{name}={token}; HttpOnly; SameSite=Strict; Path={path}; Max-Age=7200{secure}");
    HeaderValue::from_str(&value).map_err(|e| WebError::Internal(e.into()))
}

/// `GET /login` (on a database without any user, `/installation`).
pub async fn form(
    State(app): State<App>,
    Extension(config): Extension<WebConfig>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    if app.needs_installation().await? {
        // A database without any user: nobody can log in yet; the installation page creates the first.
        return Ok(Redirect::to("/installation").into_response());
    }
    let lang = browser_language(&headers);
    let next = q.next.filter(|n| safe_next(n)).unwrap_or_default();
    let notice = q.bye.map(|_| t(lang, Msg::LoggedOut));
    let view = LoginView { lang, csrf: "", email: "", next: &next, error: None, notice };
    login_response(StatusCode::OK, view, &config)
}

/// `POST /login`.
pub async fn submit(
    State(app): State<App>,
    Extension(config): Extension<WebConfig>,
    peer: Option<Extension<super::Peer>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let at = creance_app::clock::now();
    let source = peer.map(|Extension(super::Peer(ip))| ip.to_string()).unwrap_or_default();
    let next = if safe_next(&f.next) { f.next.clone() } else { String::new() };
    let lang = browser_language(&headers);
    // The form's token must be the cookie's: a form posted from another site has neither.
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !super::csrf::same(f.csrf.as_bytes(), expected.as_bytes()) {
        let error = Some(t(lang, Msg::LoginFormExpired).to_string());
        let view = LoginView { lang, csrf: "", email: f.email.trim(), next: &next, error, notice: None };
        return login_response(StatusCode::FORBIDDEN, view, &config);
    }
    let outcome = app.login(&f.email, &f.password, &source, at).await?;
    let (status, error) = match outcome {
        LoginOutcome::LoggedIn { cookie, session } => {
            let target = if next.is_empty() { Tab::first().to_string() } else { next };
            let mut r = Redirect::to(&target).into_response();
            r.headers_mut().insert(header::SET_COOKIE, session_cookie(&cookie, &config)?);
            tracing::debug!(user = session.user_id, "logged in");
            return Ok(r);
        }
        LoginOutcome::Refused => (StatusCode::UNAUTHORIZED, t(lang, Msg::LoginRefused).to_string()),
        LoginOutcome::Throttled { until } => {
            let when = until.to_string().replace('T', " ").replace('Z', "");
            (StatusCode::TOO_MANY_REQUESTS, tf(lang, Msg::LoginThrottled, &[&when]))
        }
    };
    let view = LoginView { lang, csrf: "", email: f.email.trim(), next: &next, error: Some(error), notice: None };
    login_response(status, view, &config)
}

/// The `Set-Cookie` value of a session just opened.
pub(super) fn session_cookie(cookie: &str, config: &WebConfig) -> Result<HeaderValue, WebError> {
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={cookie}; HttpOnly; SameSite=Lax; Path=/; Max-Age={SESSION_ABSOLUTE_SECONDS}{secure}"
    );
    HeaderValue::from_str(&value).map_err(|e| WebError::Internal(e.into()))
}

/// `POST /logout`: the session row is deleted, the cookie cleared.
pub async fn logout(
    State(app): State<App>,
    Extension(config): Extension<WebConfig>,
    headers: HeaderMap,
    user: WebUser,
) -> Result<Response, WebError> {
    app.logout(&user.session, user.at).await?;
    let mut r = Redirect::to("/login?bye=1").into_response();
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    if cookie(&headers, SESSION_COOKIE).is_some() {
        let value = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}");
        let value = HeaderValue::from_str(&value).map_err(|e| WebError::Internal(e.into()))?;
        r.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(r)
}
