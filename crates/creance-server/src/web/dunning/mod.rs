//! Relances (issue 14 points 1–3; SPEC §4.6, seeds 001–004): the tab with the reminders to generate
//! above and the letters in progress below (`overview.rs`); a proposal's selection screen with every
//! criterion (`selection.rs`); its review screen — the payers' dashboard, the selected payer's items
//! and every edit of a draft, the left-out payers with their reason, and the issue with its
//! confirmation (`review.rs`); one letter's texts with the PDF preview (`texts.rs`); a letter's page
//! with its PDF, deliveries (resend a failed e-mail) and withdrawal (`letter.rs`); the dunning
//! history per payer and per installment, and the reminders made outside (`history.rs`).
//!
//! Every page calls the use cases the API's `routes/dunning.rs`, `routes/delivery.rs` and
//! `routes/pdf.rs` call, with the API's field names; every write needs the clerk role and goes
//! through the once guard (`web/once.rs`); a refusal is shown in the user's language through
//! `web/refusal.rs`, next to the field it names.
//!
//! Routes: `GET /relances`, `GET /relances/a-generer` (its upper list, loaded by htmx), `GET /relances/propositions/nouvelle`, `POST /relances/propositions`,
//! `GET /relances/propositions/{id}` (`?status=&offset=&letter=`), `POST …/{id}/recalcul`,
//! `GET|POST …/{id}/suppression` (a confirmation, then the deletion), `GET|POST …/{id}/emission`, `GET …/{id}/impression.pdf`, `POST …/{id}/impression` (marked printed);
//! `GET /relances/lettres/{id}`, `GET …/{id}/lettre.pdf`, `POST …/{id}/retrait`, `…/{id}/retablissement`,
//! `…/{id}/niveau`, `…/{id}/envoi`, `…/{id}/annulation`, `GET|POST …/{id}/textes`,
//! `POST …/{id}/textes/reinitialisation`; `POST /relances/elements/{id}/retrait`;
//! `POST /relances/envois/{id}/renvoi`; `GET /relances/historique` (`?customer_id=` or
//! `?installment_id=`); `GET|POST /relances/relance-externe`.

mod history;
mod letter;
mod messages;
mod overview;
mod review;
mod selection;
mod texts;
pub mod words;

use creance_app::AppError;
use creance_core::Language;
use maud::{html, Markup};

pub use history::{external_form, history, record_external};
pub use letter::{letter, letter_pdf, print_pdf, resend, withdraw};
pub use overview::{overview, to_generate};
pub use review::{
    change_level, delete, delete_confirm, issue, issue_confirm, mark_printed, recompute, remove_item, remove_letter,
    restore_letter, review, set_send,
};
pub use selection::{new as selection, propose};
pub use texts::{reset_texts, save_texts, texts};

use super::format::count;
use super::i18n::{t, tf, Msg};
use super::{refusal, WebError, WebUser};
use messages::M;

/// Rows per page of the Relances lists.
pub const PAGE_SIZE: i64 = 50;

/// A refusal to show on a page: the form it came from, the field it names (`None`: the whole form)
/// and its text in the user's language.
#[derive(Debug, Clone)]
pub struct Problem {
    form: &'static str,
    field: Option<String>,
    text: String,
}

impl Problem {
    /// The problem of a refused use case (a field's or the state's), or the error itself when no
    /// form can show it (not found, internal).
    fn of(lang: Language, form: &'static str, e: AppError) -> Result<Problem, WebError> {
        match &e {
            AppError::Invalid(f) => Ok(Problem { form, field: Some(f.field.clone()), text: refusal::field(lang, f) }),
            AppError::Rejected(r) => Ok(Problem { form, field: None, text: refusal::rejection(lang, r) }),
            _ => Err(page_error(lang, e)),
        }
    }

    /// 422 for a field, 409 for the state.
    fn status(&self) -> axum::http::StatusCode {
        if self.field.is_some() {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            axum::http::StatusCode::CONFLICT
        }
    }
}

/// The text of `problem` when it is about `form`'s field among `fields`.
fn error_for(problem: Option<&Problem>, form: &str, fields: &[&str]) -> Option<String> {
    problem
        .filter(|p| p.form == form && p.field.as_deref().is_some_and(|f| fields.contains(&f)))
        .map(|p| p.text.clone())
}

/// The refusal of `form` that names none of its `fields` (the state's, or a field it has not), shown
/// above the form.
fn form_refusal(lang: Language, problem: Option<&Problem>, form: &str, fields: &[&str]) -> Markup {
    let general = problem
        .filter(|p| p.form == form && p.field.as_deref().is_none_or(|f| !fields.contains(&f)))
        .map(|p| p.text.clone());
    html! {
        @if let Some(text) = general {
            p.form-error role="alert" id=(format!("{form}-error")) { strong { (t(lang, M::Refused)) } " " (text) }
        }
    }
}

/// A field's error paragraph (its id is the field's `aria-describedby`).
fn field_error(id: &str, error: &Option<String>) -> Markup {
    html! { @if let Some(e) = error { p.field-error id=(id) role="alert" { (e) } } }
}

/// The pager under a list: `href(offset)` links the neighbouring pages.
fn pager(
    lang: Language,
    (offset, size): (i64, i64),
    shown: usize,
    total_count: i64,
    href: impl Fn(i64) -> String,
) -> Markup {
    let first = offset + 1;
    let last = offset + shown as i64;
    html! {
        @if total_count > shown as i64 || offset > 0 {
            nav.pager {
                @if offset > 0 { a rel="prev" href=(href((offset - size).max(0))) { "← " (t(lang, Msg::Previous)) } }
                span { (tf(lang, Msg::PageOf, &[&count(first, lang), &count(last, lang), &count(total_count, lang)])) }
                @if last < total_count { a rel="next" href=(href(last)) { (t(lang, Msg::Next)) " →" } }
            }
        }
    }
}

/// The notice after a redirect (`?done=…`), and the double-submit note (`again=1`).
fn notices(lang: Language, done: Option<String>, again: bool) -> Markup {
    html! {
        @if let Some(m) = done { p.notice #done role="status" { (m) } }
        (super::once::notice(lang, again))
    }
}

/// The notice a `done` word of a redirect stands for.
fn done_text(lang: Language, done: Option<&str>) -> Option<String> {
    let m = match done? {
        "recomputed" => M::DoneRecomputed,
        "removed" => M::DoneRemoved,
        "restored" => M::DoneRestored,
        "level" => M::DoneLevel,
        "texts" => M::DoneTexts,
        "send" => M::DoneSend,
        "item" => M::DoneItem,
        "withdrawn" => M::DoneWithdrawn,
        "resent" => M::DoneResent,
        "recorded" => M::DoneRecorded,
        "deleted" => M::DoneDeleted,
        _ => return None,
    };
    Some(t(lang, m).to_string())
}

pub(crate) use super::pdf;

/// The value of the first field `name` of a posted form.
fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A form field as the app's optional text (absent or blank: none).
fn opt(form: &[(String, String)], name: &str) -> Option<String> {
    field(form, name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// A use case's error on a page without a form: a 404 page for what is not found, else as it is.
fn page_error(lang: Language, e: AppError) -> WebError {
    match e {
        AppError::NotFound { .. } => WebError::NotFound { lang, detail: refusal::text(lang, &e) },
        other => other.into(),
    }
}

/// A write's guard: the clerk role (a read-only user is refused with a 403 page).
fn writer(user: &WebUser) -> Result<(), WebError> {
    user.require(creance_core::Role::Clerk)
}
