//! A money-moving form is submitted once: each rendering of the form carries a new one-time key
//! (`form_key`), and its POST goes through the app's idempotency store — the one behind the API's
//! `Idempotency-Key` — under `web:USER:KEY`. The first submission runs; a second one with the same key
//! and the same fields (a double click, a reload of the POST) runs nothing and is sent where the first
//! went (303); while the first is still running, the second waits for it a little. A refusal (a field
//! error, a likely duplicate) gives the key back, so the form shown again may be sent again. The
//! form's submit buttons also disable themselves once it is sent ([`ONSUBMIT`]), sparing the second
//! request; the key is the protection.

use std::future::Future;
use std::time::Duration;

use axum::response::{IntoResponse, Redirect, Response};
use creance_app::idempotency::{request_hash, Claim};
use creance_app::{App, AppError, Code};
use maud::{html, Markup};

use super::super::i18n::t;
use super::super::{WebError, WebUser};
use super::messages::M;

/// The form field of the key.
pub const FIELD: &str = "form_key";

/// How long a second submission waits for the first to finish, in steps of 100 ms.
const WAIT_STEPS: u32 = 50;

/// A new key's hidden field, for a form about to be rendered.
pub fn hidden() -> Result<Markup, WebError> {
    let key = creance_app::users::login_form_token().map_err(WebError::Internal)?;
    Ok(html! { input type="hidden" name=(FIELD) value=(key); })
}

/// What a submission led to.
pub enum Outcome {
    /// Done: go there (303). Stored, so that a repeat goes there too.
    Done(String),
    /// Refused: this page (a form with the error); the key is given back.
    Refused(Response),
}

/// The fields of a form, as sent, with the key among them.
pub fn key_of(fields: &[(String, String)]) -> Option<&str> {
    fields
        .iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Runs `work` once per form key (see the module doc). Without a key (a form not from our pages)
/// it simply runs.
pub async fn run<F, Fut>(
    app: &App,
    user: &WebUser,
    path: &str,
    fields: &[(String, String)],
    work: F,
) -> Result<Response, WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Outcome, WebError>>,
{
    let Some(key) = key_of(fields) else {
        return finish(work().await?);
    };
    let key = format!("web:{}:{key}", user.session.user_id);
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(k);
        body.push('=');
        body.push_str(v);
        body.push('\n');
    }
    let hash = request_hash("POST", path, body.as_bytes());
    let actor = user.actor();
    let company = user.company_id();
    let mut step = 0;
    loop {
        match app.idempotency_claim(&actor, company, &key, &hash).await {
            Ok(Claim::Run) => break,
            Ok(Claim::Replay { response, .. }) => return Ok(Redirect::to(&response).into_response()),
            Err(e) if e.code() == Code::IdempotencyPending && step < WAIT_STEPS => {
                step += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) if e.code() == Code::IdempotencyPending => {
                return Err(WebError::App(AppError::rejected(
                    Code::IdempotencyPending,
                    t(user.lang(), M::StillProcessing),
                )));
            }
            Err(e) => return Err(e.into()),
        }
    }
    match work().await {
        Ok(Outcome::Done(location)) => {
            app.idempotency_complete(&actor, company, &key, 303, &location).await?;
            Ok(Redirect::to(&location).into_response())
        }
        Ok(Outcome::Refused(page)) => {
            app.idempotency_release(&actor, company, &key).await?;
            Ok(page)
        }
        Err(e) => {
            app.idempotency_release(&actor, company, &key).await?;
            Err(e)
        }
    }
}

fn finish(outcome: Outcome) -> Result<Response, WebError> {
    Ok(match outcome {
        Outcome::Done(location) => Redirect::to(&location).into_response(),
        Outcome::Refused(page) => page,
    })
}

/// The `onsubmit` of a money-moving form: its submit buttons are disabled once it is sent (after the
/// browser has read the form's fields, so the values still go).
pub const ONSUBMIT: &str =
    "var f=this;setTimeout(function(){f.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=true})},0)";
