//! Paramètres, the company half (issue 14 point 6): the index of every settings page (these and the
//! dunning ones, `/parametres/relances…` and `/parametres/interets`, and the audit log
//! `/parametres/journal`, built beside), the bank
//! accounts, payment methods and account codes ([`money`]), the amount rules ([`money_rules`]), the SMTP server and its test e-mail
//! ([`smtp`]), the users and their roles and the API tokens ([`access`]), the letterhead and its
//! logo ([`letterhead`]). Every handler, reads included, is for admins (`Role::Admin`, 403 else);
//! every form posts through [`once::run`] to one use case, the API's; a refusal is shown next to the
//! field the use case names (the forms' fields are the API's). A secret (the SMTP password, a token,
//! a generated password) is never shown back; a new token or password is shown once, on the page
//! answering the form that made it.

pub mod access;
pub mod letterhead;
mod messages;
pub mod money;
pub mod money_rules;
pub mod smtp;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use creance_app::AppError;
use creance_core::{Language, Role};
use maud::{html, Markup};

use super::form::{form_field, FormField};
use super::i18n::t;
use super::layout::{page, Tab};
use super::{html, refusal, WebError, WebUser};
use messages::M;

/// A refusal as a form shows it: the field the use case named (empty: none) and its text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Problem {
    pub field: String,
    pub text: String,
}

impl Problem {
    /// The text for `name`, when the refusal names that field.
    pub fn on(this: &Option<Problem>, name: &str) -> Option<String> {
        this.as_ref().filter(|p| p.field == name).map(|p| p.text.clone())
    }
}

/// The status and the [`Problem`] of a refused form; an infrastructure failure stays an error.
pub(crate) fn problem(lang: Language, e: AppError) -> Result<(StatusCode, Problem), WebError> {
    match e {
        AppError::Invalid(f) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Problem { field: f.field.clone(), text: refusal::field(lang, &f) }))
        }
        AppError::Rejected(r) => {
            Ok((StatusCode::CONFLICT, Problem { field: String::new(), text: refusal::rejection(lang, &r) }))
        }
        AppError::NotFound { entity, key } => {
            Ok((StatusCode::NOT_FOUND, Problem { field: String::new(), text: refusal::not_found(lang, entity, key) }))
        }
        other => Err(other.into()),
    }
}

/// The refusal above a form: the one naming no field of it (`known`), or the general notice.
pub(crate) fn problem_box(lang: Language, p: &Option<Problem>, known: &[&str]) -> Markup {
    html! {
        @if let Some(p) = p {
            @if known.contains(&p.field.as_str()) {
                p.field-error role="alert" { (t(lang, M::FormRefused)) }
            } @else {
                div.refusal role="alert" {
                    strong { (t(lang, M::Refused)) } " "
                    @if !p.field.is_empty() { (p.field) " : " }
                    (p.text)
                }
            }
        }
    }
}

/// One field: its label, the control, a hint and its error (tied by `aria-describedby`). `id` is
/// the control's id (`f-NAME`, or with a row's suffix where a page has one form per row).
pub(crate) fn field(id: &str, label: &str, hint: Option<&str>, error: Option<String>, control: Markup) -> Markup {
    crate::web::form::labelled(id, label, hint, error.as_deref(), control)
}

/// A labelled text input (control id `f-NAME`) with the refusal of `p` when it names the field.
pub(crate) fn text_field(field: FormField, p: &Option<Problem>) -> Markup {
    let id = format!("f-{}", field.name);
    let error = Problem::on(p, field.name);
    form_field(&FormField { id: &id, ..field.error(error.as_deref()) })
}

/// The `aria-describedby` of a control with an error.
pub(crate) fn described(id: &str, error: &Option<String>) -> Option<String> {
    error.as_ref().map(|_| format!("{id}-error"))
}

/// A form's values as its page shows them, from `(field, value)` pairs.
pub(crate) fn owned<const N: usize>(pairs: [(&str, String); N]) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// A success notice (`?done=…`).
pub(crate) fn done_notice(text: Option<&str>) -> Markup {
    html! { @if let Some(text) = text { p.notice #done role="status" { (text) } } }
}

/// A settings page in the frame, with its breadcrumb back to the index.
pub(crate) fn settings_page(user: &WebUser, title: &str, body: Markup) -> Markup {
    let lang = user.lang();
    let content = html! {
        p.crumbs { a href="/parametres" { (t(lang, M::Title)) } " › " (title) }
        h1 { (title) }
        (body)
    };
    page(user, Tab::Settings, title, content)
}

/// The pages of the index: (path, title, what it holds).
const COMPANY_PAGES: [(&str, M, M); 10] = [
    ("/import", M::ImportTitle, M::ImportAbout),
    ("/parametres/banques", M::BanksTitle, M::BanksAbout),
    ("/parametres/modes", M::MethodsTitle, M::MethodsAbout),
    ("/parametres/comptes", M::AccountsTitle, M::AccountsAbout),
    ("/parametres/montants", M::MoneyTitle, M::MoneyAbout),
    ("/parametres/smtp", M::SmtpTitle, M::SmtpAbout),
    ("/parametres/utilisateurs", M::UsersTitle, M::UsersAbout),
    ("/parametres/jetons", M::TokensTitle, M::TokensAbout),
    ("/parametres/entete", M::LetterheadTitle, M::LetterheadAbout),
    ("/parametres/journal", M::AuditTitle, M::AuditAbout),
];

/// The dunning half's pages (another module builds them).
const DUNNING_PAGES: [(&str, M, M); 2] = [
    ("/parametres/relances", M::DunningTitle, M::DunningAbout),
    ("/parametres/interets", M::InterestTitle, M::InterestAbout),
];

/// `GET /parametres`: the index.
pub async fn index(user: WebUser) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let lang = user.lang();
    let list = |pages: &[(&str, M, M)]| {
        html! {
            ul.settings-index {
                @for (href, title, about) in pages {
                    li { a href=(href) { (t(lang, *title)) } p.hint { (t(lang, *about)) } }
                }
            }
        }
    };
    let body = html! {
        h1 { (t(lang, M::Title)) }
        div.settings-columns {
            section aria-labelledby="company-h" {
                h2 #company-h { (t(lang, M::CompanySection)) }
                (list(&COMPANY_PAGES))
            }
            section aria-labelledby="dunning-h" {
                h2 #dunning-h { (t(lang, M::DunningSection)) }
                (list(&DUNNING_PAGES))
            }
        }
    };
    Ok(html(page(&user, Tab::Settings, t(lang, M::Title), body)).into_response())
}
