//! A form's labelled field, written once for every page: the label, the control, a hint under it and
//! the refusal next to it, tied to the control by `aria-describedby` (the hint's id `ID-hint`, the
//! error's `ID-error` unless the page names it otherwise) and marked `aria-invalid`. [`labelled`]
//! wraps any control (a select, a text area); [`form_field`] writes a text input in it.

use maud::{html, Markup};

/// What an input holds: its `type`, its keyboard and whether the browser may fill it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Input {
    #[default]
    Text,
    /// Typed as the user reads dates (a text input; the caller gives the format as placeholder).
    Date,
    /// Digits: the numeric keyboard.
    Number,
    /// A decimal amount or rate: the decimal keyboard.
    Decimal,
    Email,
}

/// One text input with its label, hint and error.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormField<'a> {
    /// The control's id (`f-NAME`, or with a row's suffix where a page has one form per row).
    pub id: &'a str,
    /// The API's field name.
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    /// The refusal of this field, in the user's language.
    pub error: Option<&'a str>,
    /// The error paragraph's id; `None`: `ID-error`.
    pub error_id: Option<&'a str>,
    pub input: Input,
    pub required: bool,
    pub placeholder: Option<&'a str>,
}

impl<'a> FormField<'a> {
    /// A text input `name` with the control id `id`.
    pub fn new(id: &'a str, name: &'a str, label: &'a str, value: &'a str) -> FormField<'a> {
        FormField { id, name, label, value, ..FormField::default() }
    }

    pub fn hint(self, hint: Option<&'a str>) -> Self {
        FormField { hint, ..self }
    }

    pub fn error(self, error: Option<&'a str>) -> Self {
        FormField { error, ..self }
    }

    pub fn input(self, input: Input) -> Self {
        FormField { input, ..self }
    }

    pub fn required(self, required: bool) -> Self {
        FormField { required, ..self }
    }
}

/// The ids a control is described by: its hint's and its error's.
fn described(id: &str, hint: bool, error_id: Option<&str>) -> Option<String> {
    let hint_id = hint.then(|| format!("{id}-hint"));
    match (hint_id, error_id) {
        (Some(h), Some(e)) => Some(format!("{h} {e}")),
        (Some(h), None) => Some(h),
        (None, Some(e)) => Some(e.to_string()),
        (None, None) => None,
    }
}

/// `control` (whose id is `id`) with its label, hint and error; the control carries its own
/// `aria-describedby` (see [`describedby`]).
pub fn labelled(id: &str, label: &str, hint: Option<&str>, error: Option<&str>, control: Markup) -> Markup {
    labelled_as(id, &format!("{id}-error"), label, hint, error, control)
}

fn labelled_as(
    id: &str,
    error_id: &str,
    label: &str,
    hint: Option<&str>,
    error: Option<&str>,
    control: Markup,
) -> Markup {
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            (control)
            @if let Some(h) = hint { p.hint id=(format!("{id}-hint")) { (h) } }
            @if let Some(e) = error { p.field-error id=(error_id) role="alert" { (e) } }
        }
    }
}

/// The `aria-describedby` of control `id` inside [`labelled`]: its hint and, when refused, its error.
pub fn describedby(id: &str, hint: bool, error: bool) -> Option<String> {
    described(id, hint, error.then(|| format!("{id}-error")).as_deref())
}

/// A labelled text input (see [`FormField`]).
pub fn form_field(f: &FormField) -> Markup {
    let error_id = f.error_id.map_or_else(|| format!("{}-error", f.id), str::to_string);
    let describedby = described(f.id, f.hint.is_some(), f.error.map(|_| error_id.as_str()));
    let kind = if f.input == Input::Email { "email" } else { "text" };
    let inputmode = match f.input {
        Input::Number => Some("numeric"),
        Input::Decimal => Some("decimal"),
        _ => None,
    };
    let control = html! {
        input id=(f.id) type=(kind) name=(f.name) value=(f.value) required[f.required] autocomplete="off"
            placeholder=[f.placeholder] inputmode=[inputmode]
            aria-describedby=[describedby] aria-invalid=[f.error.map(|_| "true")];
    };
    labelled_as(f.id, &error_id, f.label, f.hint, f.error, control)
}
