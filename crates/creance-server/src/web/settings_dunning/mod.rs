//! Paramètres › relances et intérêts (issue 14 point 6; SPEC §4.6, §4.7): the company's dunning
//! policies, the default one and a new one as a copy (`policies.rs`), a policy with its levels —
//! delays, minimums, fees, interest, indemnity, channel — edited in one form (`policy.rs`), a level's texts per language with
//! the PDF preview of what is being typed (`texts.rs`), and the late-interest rate tables: created
//! from a preset, a rate period added (`interest.rs`).
//!
//! Admin only: every handler, reads included, starts with `user.require(Role::Admin)`. Every page
//! calls the use cases the API's `routes/dunning.rs` and `routes/pdf.rs` call, with the API's field
//! names (a policy's field paths: `levels[1].delay_days` is the input of that name), every write
//! through the once guard (`web/once.rs`); a refusal is shown in the user's language through
//! `web/refusal.rs`, next to the field it names. The UI computes no rule.
//!
//! Routes: `GET /parametres/relances`, `POST /parametres/relances` (a copy: `code`, `name`, `from`),
//! `POST /parametres/relances/defaut` (`code`);
//! `GET|POST /parametres/relances/{id}`; `GET|POST /parametres/relances/{id}/textes`
//! (`?level=&language=`), `GET /parametres/relances/{id}/apercu.pdf` (`?level=&language=&subject=
//! &opening=&closing=`); `GET /parametres/interets`, `POST /parametres/interets` (a free table: the
//! API's fields, its first period `rates[0].…`), `POST /parametres/interets/modele` (`preset`),
//! `POST /parametres/interets/{id}/taux` (`rates[0].from`, `rates[0].reference_percent`,
//! `rates[0].margin_percent`).

mod interest;
mod messages;
mod policies;
mod policy;
mod texts;

use creance_app::AppError;
use creance_core::{Language, Role};
use maud::{html, Markup};

pub use interest::{add_rates, create_table, from_preset, interest_tables};
pub use policies::{create, policies, set_default};
pub use policy::{policy, save_policy};
pub(crate) use texts::stored_texts;
pub use texts::{preview_pdf, save_texts, texts};

use super::i18n::t;
use super::{refusal, WebError, WebUser};
use messages::M;

/// A refusal shown on a page: the field it names (`None`: the whole form) and its text.
#[derive(Debug, Clone)]
pub struct Problem {
    form: &'static str,
    field: Option<String>,
    text: String,
}

impl Problem {
    /// A refused use case's problem (a field's or the state's); any other error as it is.
    fn of(lang: Language, form: &'static str, e: AppError) -> Result<Problem, WebError> {
        match &e {
            AppError::Invalid(f) => Ok(Problem { form, field: Some(f.field.clone()), text: refusal::field(lang, f) }),
            AppError::Rejected(r) => Ok(Problem { form, field: None, text: refusal::rejection(lang, r) }),
            _ => Err(page_error(lang, e)),
        }
    }

    /// A field the page itself could not read (a delay that is not a whole number).
    fn field(form: &'static str, field: impl Into<String>, text: String) -> Problem {
        Problem { form, field: Some(field.into()), text }
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

/// The text of `problem` when it names `form`'s field `name`.
fn error_for(problem: Option<&Problem>, form: &str, name: &str) -> Option<String> {
    problem.filter(|p| p.form == form && p.field.as_deref() == Some(name)).map(|p| p.text.clone())
}

/// The refusal of `form` that names none of the fields the page shows, above the form.
fn form_refusal(lang: Language, problem: Option<&Problem>, form: &str, shown: &dyn Fn(&str) -> bool) -> Markup {
    let general =
        problem.filter(|p| p.form == form && p.field.as_deref().is_none_or(|f| !shown(f))).map(|p| p.text.clone());
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

/// An input's id for a field path (`levels[1].delay_days` → `f-levels-1-delay_days`).
fn input_id(name: &str) -> String {
    let mut id = String::from("f-");
    for c in name.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// The value of the first field `name` of a posted form.
fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The notice after a redirect (`?done=1`), and the double-submit note (`again=1`).
fn notices(lang: Language, done: Option<M>, again: bool) -> Markup {
    html! {
        @if let Some(m) = done { p.notice #done role="status" { (t(lang, m)) } }
        (super::once::notice(lang, again))
    }
}

pub(crate) use super::pdf;

/// A use case's error on a page without a form: a 404 page for what is not found, else as it is.
fn page_error(lang: Language, e: AppError) -> WebError {
    match e {
        AppError::NotFound { .. } => WebError::NotFound { lang, detail: refusal::text(lang, &e) },
        other => other.into(),
    }
}

/// The settings are the administrator's: every page and every write (a clerk is refused, 403).
fn admin(user: &WebUser) -> Result<(), WebError> {
    user.require(Role::Admin)
}

/// The breadcrumbs of the settings pages.
fn crumbs(lang: Language, here: &[(&str, String)]) -> Markup {
    html! {
        p.crumbs {
            a href="/parametres" { (t(lang, M::Settings)) }
            @for (href, label) in here {
                " › "
                @if href.is_empty() { (label) } @else { a href=(href) { (label) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_id_is_its_field_path_without_brackets() {
        assert_eq!(input_id("levels[1].delay_days"), "f-levels-1-delay_days");
        assert_eq!(input_id("min_amount"), "f-min_amount");
    }
}
