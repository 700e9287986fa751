//! `/parametres/smtp`: the company's SMTP server (`App::set_smtp_settings`, the API's
//! `PUT /api/v1/settings/smtp` and its field names), its removal (`/suppression`:
//! `App::clear_smtp_settings`, messages go to the outbox folder again) and a test e-mail to an
//! address typed there (`/essai`: `App::send_test_email`), whose result — the server's acceptance
//! or its answer — the page says. The stored password is never shown: its field is empty, and left
//! empty it keeps the stored one; the box "no password" removes it.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::delivery::{SmtpInput, SmtpView};
use creance_app::smtp_test_email::TestEmail;
use creance_app::App;
use creance_core::Role;
use maud::{html, Markup};

use super::super::i18n::{t, tf};
use super::super::once::{self, Outcome};
use super::super::{csrf, html, WebError, WebUser};
use super::messages::M;
use super::money::{value, Done};
use super::{described, done_notice, field, owned, problem, problem_box, settings_page, Problem};

const FIELDS: [&str; 8] = ["host", "port", "security", "username", "password", "from_address", "from_name", "reply_to"];

/// `GET /parametres/smtp`.
pub async fn show(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done = q.done.as_deref().map(|d| t(user.lang(), if d == "cleared" { M::SmtpCleared } else { M::Saved }));
    let view = app.smtp_settings(user.company_id()).await?;
    let values = shown(&view);
    Ok(html(smtp_page(&user, &view, &values, None, done, None, "")?).into_response())
}

/// The form's values from the stored settings (never the password).
fn shown(v: &SmtpView) -> Vec<(String, String)> {
    let port = if v.configured { v.port.to_string() } else { String::new() };
    owned([
        ("host", v.host.clone()),
        ("port", port),
        ("security", v.security.clone()),
        ("username", v.username.clone()),
        ("from_address", v.from_address.clone()),
        ("from_name", v.from_name.clone()),
        ("reply_to", v.reply_to.clone()),
    ])
}

/// `POST /parametres/smtp`: saves (303 back), or the form again with the refusal next to its field.
pub async fn save(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    once::run(&app, &user, "/parametres/smtp", &pairs, || async {
        let port = match value(&pairs, "port").trim() {
            "" => None,
            p => match p.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let e = creance_app::AppError::invalid("port", format!("{p:?} is not a port (1 to 65535)"));
                    return refused(&app, &user, &pairs, e).await;
                }
            },
        };
        let password = match (value(&pairs, "password"), value(&pairs, "no_password") == "true") {
            (_, true) => Some(String::new()),
            ("", false) => None,
            (p, false) => Some(p.to_string()),
        };
        let input = SmtpInput {
            host: value(&pairs, "host").to_string(),
            port,
            security: Some(value(&pairs, "security").to_string()),
            username: value(&pairs, "username").to_string(),
            password,
            from_address: value(&pairs, "from_address").to_string(),
            from_name: value(&pairs, "from_name").to_string(),
            reply_to: value(&pairs, "reply_to").to_string(),
        };
        match app.set_smtp_settings(&user.actor(), user.company_id(), &input).await {
            Ok(_) => Ok(Outcome::Done("/parametres/smtp?done=saved".into())),
            Err(e) => refused(&app, &user, &pairs, e).await,
        }
    })
    .await
}

async fn refused(
    app: &App,
    user: &WebUser,
    pairs: &[(String, String)],
    e: creance_app::AppError,
) -> Result<Outcome, WebError> {
    let (status, p) = problem(user.lang(), e)?;
    let view = app.smtp_settings(user.company_id()).await?;
    let page = smtp_page(user, &view, pairs, Some(p), None, None, "")?;
    Ok(Outcome::Refused((status, html(page)).into_response()))
}

/// `POST /parametres/smtp/suppression`: removes the settings.
pub async fn clear(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    once::run(&app, &user, "/parametres/smtp/suppression", &pairs, || async {
        app.clear_smtp_settings(&user.actor(), user.company_id()).await?;
        Ok(Outcome::Done("/parametres/smtp?done=cleared".into()))
    })
    .await
}

/// `POST /parametres/smtp/essai`: sends a test e-mail to `to` and says how it went (200 when the
/// server accepted it, 502 with the server's answer when not, 422 for a bad address). It changes
/// nothing, so it is not under a form key: sent twice, it sends twice.
pub async fn test(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let to = value(&pairs, "to");
    let view = app.smtp_settings(user.company_id()).await?;
    let values = shown(&view);
    let (status, outcome, p) = match app.send_test_email(user.company_id(), to).await {
        Ok(r) if r.sent => (StatusCode::OK, Some(r), None),
        Ok(r) => (StatusCode::BAD_GATEWAY, Some(r), None),
        Err(e) => {
            let (status, mut p) = problem(user.lang(), e)?;
            if p.field.is_empty() {
                p.field = "to".into();
            }
            (status, None, Some(p))
        }
    };
    let page = smtp_page(&user, &view, &values, p, None, outcome.as_ref(), to)?;
    Ok((status, html(page)).into_response())
}

fn smtp_page(
    user: &WebUser,
    view: &SmtpView,
    values: &[(String, String)],
    p: Option<Problem>,
    done: Option<&str>,
    test: Option<&TestEmail>,
    to: &str,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let (form_p, test_p) = match p {
        Some(p) if p.field == "to" => (None, Some(p)),
        other => (other, None),
    };
    let input = |name: &str, label: M, hint: Option<M>, kind: &str| {
        let id = format!("f-{name}");
        let error = Problem::on(&form_p, name);
        let v = if name == "password" { "" } else { value(values, name) };
        field(
            &id,
            t(lang, label),
            hint.map(|h| t(lang, h)),
            error.clone(),
            html! {
                input id=(id) type=(kind) name=(name) value=(v) autocomplete=(if name == "password" { "new-password" } else { "off" })
                    aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=[described(&id, &error)];
            },
        )
    };
    let security = value(values, "security");
    let security_error = Problem::on(&form_p, "security");
    let key = once::hidden()?;
    let clear_key = once::hidden()?;
    let test_error = Problem::on(&test_p, "to");
    let body = html! {
        (done_notice(done))
        // The test's result first: the page answering the test form says it where it is read.
        @if let Some(r) = test {
            @if r.sent {
                p.notice #test-result role="status" { (tf(lang, M::SmtpTestSent, &[to.trim(), &r.via, &r.reply])) }
            } @else {
                div.refusal #test-result role="alert" { strong { (t(lang, M::SmtpTestFailed)) } " " (r.via) " : " (r.reply) }
            }
        }
        p.hint #smtp-state {
            @if view.configured { (tf(lang, M::SmtpConfigured, &[&view.host, &view.port.to_string()])) }
            @else { (t(lang, M::SmtpNotConfigured)) }
        }
        (problem_box(lang, &form_p, &FIELDS))
        form.settings-form method="post" action="/parametres/smtp" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            div.form-grid {
                (input("host", M::SmtpHost, Some(M::SmtpHostHint), "text"))
                (input("port", M::SmtpPort, Some(M::SmtpPortHint), "text"))
                (field("f-security", t(lang, M::SmtpSecurity), None, security_error.clone(), html! {
                    select #f-security name="security" aria-describedby=[described("f-security", &security_error)] {
                        @for (word, label) in [("starttls", "STARTTLS"), ("tls", "TLS"), ("none", t(lang, M::SmtpNoSecurity))] {
                            option value=(word) selected[security == word] { (label) }
                        }
                    }
                }))
                (input("username", M::SmtpUsername, None, "text"))
                (input("password", M::SmtpPassword, Some(if view.password_set { M::SmtpPasswordKept } else { M::SmtpPasswordNone }), "password"))
                div.field.check {
                    input #f-no_password type="checkbox" name="no_password" value="true";
                    label for="f-no_password" { (t(lang, M::SmtpNoPassword)) }
                }
                (input("from_address", M::SmtpFrom, None, "email"))
                (input("from_name", M::SmtpFromName, Some(M::SmtpFromNameHint), "text"))
                (input("reply_to", M::SmtpReplyTo, None, "email"))
            }
            div.form-actions { button.primary #save-smtp type="submit" { (t(lang, M::Save)) } }
        }
        @if view.configured {
            section aria-labelledby="test-h" {
                h2 #test-h { (t(lang, M::SmtpTestTitle)) }
                @if let Some(p) = test_p.as_ref().filter(|p| p.field != "to") { div.refusal role="alert" { (p.text) } }
                form.settings-form method="post" action="/parametres/smtp/essai" {
                    (csrf::hidden(user.csrf()))
                    div.form-grid {
                        (field("f-to", t(lang, M::SmtpTestTo), None, test_error.clone(), html! {
                            input #f-to type="email" name="to" value=(to) required autocomplete="email"
                                aria-describedby=[described("f-to", &test_error)];
                        }))
                    }
                    div.form-actions { button #send-test type="submit" { (t(lang, M::SmtpTestSend)) } }
                }
            }
            section aria-labelledby="clear-h" {
                h2 #clear-h { (t(lang, M::SmtpClearTitle)) }
                p.hint { (t(lang, M::SmtpClearHint)) }
                form method="post" action="/parametres/smtp/suppression" onsubmit=(once::ONSUBMIT) {
                    (csrf::hidden(user.csrf()))
                    (clear_key)
                    button #clear-smtp type="submit" { (t(lang, M::SmtpClear)) }
                }
            }
        }
    };
    Ok(settings_page(user, t(lang, M::SmtpTitle), body))
}
