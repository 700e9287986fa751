//! What the Petits soldes and Rapports screens share: a filter field with its error next to it (the
//! API's field name, the refusal in the user's language), links that carry a view's parameters, the
//! pager, the export links, and a file answered as an attachment.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use creance_app::FieldError;
use creance_core::Language;
use maud::{html, Markup};

use crate::web::form::{form_field, FormField};
use crate::web::format::count;
use crate::web::i18n::{t, tf, Msg};
use crate::web::refusal;
use crate::web::session::encode;

pub use crate::web::form::Input;

/// A labelled input `name` holding `value`, with `hint` under it and, when `problem` names it, the
/// refusal next to it (`aria-invalid`, `aria-describedby`; the error's id is `NAME-error`).
pub fn field(
    lang: Language,
    name: &str,
    label: &str,
    value: &str,
    hint: Option<&str>,
    input: Input,
    problem: Option<&FieldError>,
) -> Markup {
    let error = problem.filter(|p| p.field == name).map(|e| refusal::field(lang, e));
    let id = format!("f-{}", name.replace('.', "-"));
    let error_id = format!("{}-error", name.replace('.', "-"));
    // A date is shown as the user reads dates (what was typed stays as typed when it is no date).
    let shown = match (input, creance_core::Date::parse(value)) {
        (Input::Date, Ok(d)) if !value.trim().is_empty() => crate::web::format::date(d, lang),
        _ => value.to_string(),
    };
    let placeholder = (input == Input::Date).then(|| t(lang, Msg::DateInputHint));
    form_field(&FormField {
        error_id: Some(&error_id),
        placeholder,
        ..FormField::new(&id, name, label, &shown).hint(hint).error(error.as_deref()).input(input)
    })
}

/// A field refused that no input of the form shows (an error above the list).
pub fn orphan_error(lang: Language, problem: Option<&FieldError>, shown: &[&str]) -> Markup {
    html! {
        @if let Some(fe) = problem.filter(|p| !shown.contains(&p.field.as_str())) {
            p.field-error #list-error role="alert" { (fe.field) " : " (refusal::field(lang, fe)) }
        }
    }
}

/// `path` with the non-empty `params`, percent-encoded.
pub fn link(path: &str, params: &[(&str, String)]) -> String {
    let mut href = path.to_string();
    for (n, v) in params.iter().filter(|(_, v)| !v.trim().is_empty()) {
        href.push(if href.contains('?') { '&' } else { '?' });
        href.push_str(n);
        href.push('=');
        href.push_str(&encode(v.trim()));
    }
    href
}

/// Previous / next pages of a list of `total_count` rows, `size` a page; `href(offset)` links one.
pub fn pager(
    lang: Language,
    offset: i64,
    shown: usize,
    total_count: i64,
    size: i64,
    href: impl Fn(i64) -> String,
) -> Markup {
    if shown == 0 {
        return html! {};
    }
    let last = offset + shown as i64;
    html! {
        nav.pager aria-label="pages" {
            @if offset > 0 { a rel="prev" href=(href((offset - size).max(0))) { "← " (t(lang, Msg::Previous)) } }
            span { (tf(lang, Msg::PageOf, &[&count(offset + 1, lang), &count(last, lang), &count(total_count, lang)])) }
            @if last < total_count { a rel="next" href=(href(last)) { (t(lang, Msg::Next)) " →" } }
        }
    }
}

/// The export links of a view: `href(format, dialect)` links one.
pub fn exports(label: &str, csv: &str, excel: &str, pdf: &str, href: impl Fn(&str, Option<&str>) -> String) -> Markup {
    html! {
        div.exports {
            span.label { (label) }
            a #export-csv href=(href("csv", None)) download { (csv) }
            a #export-csv-excel href=(href("csv", Some("excel"))) download { (excel) }
            a #export-pdf href=(href("pdf", None)) download { (pdf) }
        }
    }
}

/// A file as an attachment named `name`.
pub fn attachment(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let safe: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A refusal above a form or a list, in the user's language.
pub fn refusal_box(refused: &str, message: &str) -> Markup {
    html! {
        div.refusal #refusal role="alert" {
            strong { (refused) } " " (message)
        }
    }
}
