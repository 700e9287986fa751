//! The cash screens (issue 13 point 4): Remboursements (`refunds.rs`), Acomptes reçus non facturés
//! (`advances.rs`) and Remises en banque (`deposits.rs`), each through the use cases the API calls;
//! their texts in `messages.rs`.
//!
//! **Double submits.** Every form that moves money carries a one-time key (`once`, made when the
//! form is drawn). Its handler claims the key through the app's idempotency keys (the API's
//! `Idempotency-Key` table, under `web:USER:KEY`, with a hash of what was posted): the first
//! submit runs and stores where it led; a second submit of the same form (a double click, a reload
//! of the POST) runs nothing and is sent to that same place (303). A refused submit gives its key
//! back, so the corrected form can be sent again. Every success redirects (303), so a reload of
//! the page that follows never posts anything again.

mod advances;
mod deposits;
mod messages;
mod refunds;

use std::sync::atomic::{AtomicU64, Ordering};

use axum::response::{IntoResponse, Redirect, Response};
use creance_app::idempotency::{request_hash, Claim};
use creance_app::list_totals::ListTotal;
use creance_app::views::settings::PaymentMethod;
use creance_app::{App, AppError};
use creance_core::Language;
use maud::{html, Markup};

pub use advances::list as advances;
pub use deposits::{
    cancel as cancel_deposit, create as create_deposit, detail as deposit, list as deposits, pending as to_deposit,
    slip as deposit_slip, validate as validate_deposit,
};
pub use refunds::{
    allocate as allocate_refund, detail as refund, form as refund_form, letter as refund_letter, list as refunds,
    record as record_refund, unallocate as unallocate_refund,
};

use super::format::{count, total};
use super::i18n::{t, tf, Msg};
use super::{WebError, WebUser};

/// Rows per page of the cash lists.
pub const PAGE_SIZE: i64 = 100;

/// The name of the one-time key's hidden field.
const ONCE_FIELD: &str = "once";

static ONCE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The hidden field with a new one-time key for a form that moves money.
fn once_field(user: &WebUser) -> Markup {
    let n = ONCE_COUNTER.fetch_add(1, Ordering::Relaxed);
    let session: String = user.csrf().chars().take(8).collect();
    let key = format!("{session}-{}-{n}", user.at.unix_seconds());
    html! { input type="hidden" name=(ONCE_FIELD) value=(key); }
}

/// A claimed one-time key: `complete` it with where the success led, or `release` it on a refusal.
struct Once {
    key: Option<String>,
}

/// What claiming a form's one-time key says.
enum Claimed {
    /// First time: run the action.
    Run(Once),
    /// Submitted already: go where the first submit led.
    Again(Response),
}

/// Claims the form's key (none: the form runs unprotected, as an API call without its header does).
/// `what` identifies the request (path and the fields that matter), hashed with it.
async fn claim(app: &App, user: &WebUser, once: Option<&str>, what: &str) -> Result<Claimed, WebError> {
    let Some(form_key) = once.map(str::trim).filter(|k| !k.is_empty()) else {
        return Ok(Claimed::Run(Once { key: None }));
    };
    let key = format!("web:{}:{form_key}", user.session.user_id);
    let hash = request_hash("POST", what, b"");
    // A double click sends the second submit while the first still runs, and the browser shows the
    // second's answer: it waits (a few seconds at most) for the first to finish and goes where it led.
    let mut waits = 0;
    loop {
        match app.idempotency_claim(&user.actor(), user.company_id(), &key, &hash).await {
            Ok(Claim::Run) => return Ok(Claimed::Run(Once { key: Some(key) })),
            Ok(Claim::Replay { response, .. }) => {
                let sep = if response.contains('?') { '&' } else { '?' };
                return Ok(Claimed::Again(Redirect::to(&format!("{response}{sep}again=1")).into_response()));
            }
            Err(AppError::Rejected(r)) if r.code == creance_app::Code::IdempotencyPending && waits < PENDING_WAITS => {
                waits += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// How many times (100 ms apart) a second submit waits for the first to finish.
const PENDING_WAITS: u32 = 50;

impl Once {
    /// Stores where the success leads and sends the browser there (303).
    async fn complete(self, app: &App, user: &WebUser, location: &str) -> Response {
        if let Some(key) = &self.key {
            if let Err(e) = app.idempotency_complete(&user.actor(), user.company_id(), key, 303, location).await {
                tracing::error!("cannot store the result of a web form: {e:?}");
            }
        }
        Redirect::to(location).into_response()
    }

    /// Gives the key back after a refusal (the corrected form may be sent again).
    async fn release(self, app: &App, user: &WebUser) {
        if let Some(key) = &self.key {
            if let Err(e) = app.idempotency_release(&user.actor(), user.company_id(), key).await {
                tracing::error!("cannot release the key of a web form: {e:?}");
            }
        }
    }
}

/// A refusal to show on a form: the field it names (`None`: the whole form) and its text.
#[derive(Debug, Clone)]
struct Problem {
    field: Option<String>,
    reason: String,
}

impl Problem {
    /// The problem of a refused use case, or the error itself when no form can show it.
    fn of(e: AppError) -> Result<Problem, WebError> {
        match e {
            AppError::Invalid(f) => Ok(Problem { field: Some(f.field), reason: f.reason }),
            AppError::Rejected(r) => Ok(Problem { field: None, reason: r.detail }),
            other => Err(other.into()),
        }
    }
}

/// The reason of `problem` when it names one of `fields`.
fn error_for(problem: Option<&Problem>, fields: &[&str]) -> Option<String> {
    problem.filter(|p| p.field.as_deref().is_some_and(|f| fields.contains(&f))).map(|p| p.reason.clone())
}

/// A field's error paragraph.
fn field_error(id: &str, error: &Option<String>) -> Markup {
    html! { @if let Some(e) = error { p.field-error id=(id) role="alert" { (e) } } }
}

/// A method's label (the company's list), or its code.
fn method_label(methods: &[PaymentMethod], code: &str) -> String {
    methods.iter().find(|m| m.code == code).map_or_else(|| code.to_string(), |m| m.label.clone())
}

/// What a list counts, in the singular and the plural.
type Unit = (messages::M, messages::M);
const PAYMENTS: Unit = (messages::M::OnePayment, messages::M::ManyPayments);
const REFUNDS: Unit = (messages::M::OneRefund, messages::M::ManyRefunds);
const DEPOSITS: Unit = (messages::M::OneDeposit, messages::M::ManyDeposits);

/// The footer rows of a list: per currency, the count of `unit` in the first `label_cols` columns,
/// then the amount and (when `open`) the open amount, then `after` empty cells.
fn totals_rows(
    lang: Language,
    totals: &[ListTotal],
    unit: Unit,
    label_cols: usize,
    open: bool,
    after: usize,
) -> Markup {
    html! {
        @for s in totals {
            @let what = if s.count == 1 { unit.0 } else { unit.1 };
            tr {
                td colspan=(label_cols) { (t(lang, Msg::Total)) " " (s.currency.code()) " · " (tf(lang, what, &[&count(s.count, lang)])) }
                td.num { (total(s.amount, lang)) }
                @if open { td.num { (total(s.open, lang)) } }
                @for _ in 0..after { td {} }
            }
        }
    }
}

/// The pager under a list: `href(offset)` links the neighbouring pages.
fn pager(lang: Language, offset: i64, shown: usize, total_count: i64, href: impl Fn(i64) -> String) -> Markup {
    let first = offset + 1;
    let last = offset + shown as i64;
    html! {
        nav.pager {
            @if offset > 0 { a rel="prev" href=(href((offset - PAGE_SIZE).max(0))) { "← " (t(lang, Msg::Previous)) } }
            span { (tf(lang, Msg::PageOf, &[&count(first, lang), &count(last, lang), &count(total_count, lang)])) }
            @if last < total_count { a rel="next" href=(href(last)) { (t(lang, Msg::Next)) " →" } }
        }
    }
}

/// A notice after a redirect (`?done=…`), and the double-submit note (`again=1`).
fn notices(lang: Language, done: Option<messages::M>, again: bool) -> Markup {
    html! {
        @if let Some(m) = done { p.notice role="status" { (t(lang, m)) } }
        @if again { p.notice role="status" { (t(lang, messages::M::AlreadySubmitted)) } }
    }
}

/// `application/pdf`, inline under its file name (as the API serves it).
fn pdf(p: creance_app::documents::Pdf) -> Response {
    use axum::http::{header, HeaderValue};
    let disposition = format!("inline; filename=\"{}\"", p.file_name.replace('"', ""));
    let mut response = ([(header::CONTENT_TYPE, "application/pdf")], p.bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The value of the first field `name` of a posted form.
fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A 404 page for `what` (e.g. `refund 12`).
fn not_found(user: &WebUser, what: String) -> WebError {
    WebError::NotFound { lang: user.lang(), detail: what }
}

/// A use case's error on a page without a form: a 404 for what is not found, else as it is.
fn page_error(user: &WebUser, e: AppError) -> WebError {
    match e {
        AppError::NotFound { entity, key } => not_found(user, format!("{entity} {key}")),
        other => other.into(),
    }
}
