//! The web UI's one double-submit guard, for every form that moves money (Règlements, Remboursements,
//! Remises). Each rendering of such a form carries a new random one-time key ([`hidden`], the field
//! [`FIELD`]), and its POST goes through [`run`], over the app's idempotency store — the one behind
//! the API's `Idempotency-Key` — under `web:USER:KEY`, with a hash of the fields posted (the key and
//! the CSRF token aside):
//! - the first submission runs; a success is a redirect (303, so that a reload of the page that
//!   follows posts nothing), and where it led is stored;
//! - a second one with the same key and the same fields (a double click, a reload of the POST) runs
//!   nothing and is sent where the first went, with `again=1`: that page says, with [`notice`], that
//!   this second submission did nothing;
//! - while the first is still running, the second waits for it (5 s at most, then says so);
//! - a refusal (a field error, a likely duplicate, an error) gives the key back, so that the form shown
//!   again may be sent again, corrected.
//!
//! The form's submit buttons also disable themselves once it is sent ([`ONSUBMIT`]), sparing the
//! second request; the key is the protection. A POST without a key (a form not from our pages) simply
//! runs, as an API call without its `Idempotency-Key` does.

use std::future::Future;
use std::time::Duration;

use axum::response::{IntoResponse, Redirect, Response};
use creance_app::idempotency::{request_hash, Claim};
use creance_app::{App, AppError, Code};
use creance_core::Language;
use maud::{html, Markup};

use super::i18n::{t, Catalogue};
use super::{WebError, WebUser};

/// The form field of the key.
pub const FIELD: &str = "form_key";

/// How long a second submission waits for the first to finish, in steps of 100 ms.
const WAIT_STEPS: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum M {
    AlreadySubmitted,
    StillProcessing,
}

impl Catalogue for M {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            M::AlreadySubmitted => (
                "Ce formulaire a déjà été envoyé ; voici son résultat.",
                "This form was sent already; here is its result.",
            ),
            M::StillProcessing => (
                "Ce formulaire est encore en cours de traitement ; rechargez la page dans un instant.",
                "This form is still being processed; reload the page in a moment.",
            ),
        }
    }
}

/// A new key's hidden field, for a form about to be rendered (random: never guessable).
pub fn hidden() -> Result<Markup, WebError> {
    let key = creance_app::users::login_form_token().map_err(WebError::Internal)?;
    Ok(html! { input type="hidden" name=(FIELD) value=(key); })
}

/// The `onsubmit` of a money-moving form: its submit buttons are disabled once it is sent (after the
/// browser has read the form's fields, so the values — and the button's own — still go).
pub const ONSUBMIT: &str =
    "var f=this;setTimeout(function(){f.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=true})},0)";

/// The notice of a page reached by a repeated submission (`again=1`): it did nothing.
pub fn notice(lang: Language, again: bool) -> Markup {
    html! { @if again { p.notice #again role="status" { (t(lang, M::AlreadySubmitted)) } } }
}

/// What a submission led to.
pub enum Outcome {
    /// Done: go there (303). Stored, so that a repeat goes there too.
    Done(String),
    /// Refused: this page (a form with the error); the key is given back.
    Refused(Response),
}

/// The key among the fields of a form, as sent (random hex, as [`hidden`] makes them).
fn key_of(fields: &[(String, String)]) -> Option<&str> {
    fields
        .iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `location` with `again=1` in its query (before a `#fragment`).
fn again(location: &str) -> String {
    let (path, fragment) = location.split_once('#').map_or((location, None), |(p, f)| (p, Some(f)));
    let sep = if path.contains('?') { '&' } else { '?' };
    match fragment {
        Some(f) => format!("{path}{sep}again=1#{f}"),
        None => format!("{path}{sep}again=1"),
    }
}

/// Runs `work` once per form key (see the module doc): `path` and the posted `fields` make the
/// request's hash.
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
        return Ok(match work().await? {
            Outcome::Done(location) => Redirect::to(&location).into_response(),
            Outcome::Refused(page) => page,
        });
    };
    let key = format!("web:{}:{key}", user.session.user_id);
    let mut body = String::new();
    for (k, v) in fields.iter().filter(|(k, _)| k != FIELD && k != "csrf") {
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
            Ok(Claim::Replay { response, .. }) => return Ok(Redirect::to(&again(&response)).into_response()),
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
    let outcome = work().await;
    let stored = match &outcome {
        Ok(Outcome::Done(location)) => app.idempotency_complete(&actor, company, &key, 303, location).await,
        Ok(Outcome::Refused(_)) | Err(_) => app.idempotency_release(&actor, company, &key).await,
    };
    // The work is done (or refused) either way: a failure to store it is logged, not shown.
    if let Err(e) = stored {
        tracing::error!("cannot store the outcome of a web form under its key: {e:?}");
    }
    Ok(match outcome? {
        Outcome::Done(location) => Redirect::to(&location).into_response(),
        Outcome::Refused(page) => page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn again_goes_in_the_query_before_the_fragment() {
        assert_eq!(again("/remises/4?done=created"), "/remises/4?done=created&again=1");
        assert_eq!(again("/reglements/7?recorded=1#allocation"), "/reglements/7?recorded=1&again=1#allocation");
        assert_eq!(again("/reglements"), "/reglements?again=1");
    }

    #[test]
    fn only_a_hex_key_is_a_key() {
        let f = |v: &str| vec![(FIELD.to_string(), v.to_string())];
        assert_eq!(key_of(&f("0a1B")), Some("0a1B"));
        assert_eq!(key_of(&f("")), None);
        assert_eq!(key_of(&f("abc-1-2")), None);
        assert_eq!(key_of(&f(&"a".repeat(65))), None);
    }
}
