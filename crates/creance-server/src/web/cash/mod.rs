//! The cash screens (issue 13 point 4): Remboursements (`refunds.rs`), Acomptes reçus non facturés
//! (`advances.rs`) and Remises en banque (`deposits.rs`), each through the use cases the API calls;
//! their texts in `messages.rs`.
//!
//! Every form that moves money is sent once, through the web UI's one guard (`web/once.rs`).

mod advances;
mod deposits;
mod messages;
mod refunds;

use creance_app::list_totals::ListTotal;
use creance_app::views::settings::PaymentMethod;
use creance_app::AppError;
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
use super::{refusal, WebError, WebUser};

/// Rows per page of the cash lists.
pub const PAGE_SIZE: i64 = 100;

/// A refusal to show on a form: the field it names (`None`: the whole form) and its text.
#[derive(Debug, Clone)]
struct Problem {
    field: Option<String>,
    reason: String,
}

impl Problem {
    /// The problem of a refused use case, in `lang`, or the error itself when no form can show it.
    fn of(lang: Language, e: AppError) -> Result<Problem, WebError> {
        match e {
            AppError::Invalid(f) => Ok(Problem { reason: refusal::field(lang, &f), field: Some(f.field) }),
            AppError::Rejected(r) => Ok(Problem { field: None, reason: refusal::rejection(lang, &r) }),
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
        (super::once::notice(lang, again))
    }
}

use super::pdf;

/// The value of the first field `name` of a posted form.
fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A 404 page for `what` (e.g. `refund 12`).
fn not_found(user: &WebUser, entity: &str, key: impl std::fmt::Display) -> WebError {
    WebError::NotFound { lang: user.lang(), detail: refusal::not_found(user.lang(), entity, key) }
}

/// A use case's error on a page without a form: a 404 for what is not found, else as it is.
fn page_error(user: &WebUser, e: AppError) -> WebError {
    match e {
        AppError::NotFound { entity, key } => not_found(user, entity, key),
        other => other.into(),
    }
}
