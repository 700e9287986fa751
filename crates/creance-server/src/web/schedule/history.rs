//! The history of the Échéancier: settled installments, each with the payments and credit notes
//! that settled it (`App::settled_items`), newest due date first unless sorted otherwise, paged
//! without a count (previous / next).

use creance_app::settled_items::{SettledItems, Settlement};
use creance_app::views::settings::PaymentMethod;
use creance_core::Language;
use maud::{html, Markup};

use super::messages::{kind, M};
use super::view::th_sort;
use super::{ScheduleQuery, PAGE_SIZE};
use crate::web::format::{amount, count, date};
use crate::web::i18n::{t, tf, Msg};
use crate::web::WebUser;

fn settlement(lang: Language, s: &Settlement, methods: &[PaymentMethod]) -> Markup {
    let method =
        |code: &str| methods.iter().find(|m| m.code == code).map_or_else(|| code.to_string(), |m| m.label.clone());
    html! {
        li { span.what {
            @match (&s.payment_number, &s.credit_document_number) {
                (Some(p), _) => {
                    (t(lang, M::Payment)) " " strong { (p) } " · " (date(s.value_date, lang))
                    @if let Some(m) = s.payment_method.as_deref().filter(|m| !m.is_empty()) { " · " (method(m)) }
                    @if let Some(n) = s.piece_number.as_deref().filter(|n| !n.is_empty()) { " n° " (n) }
                }
                (None, Some(c)) => {
                    (t(lang, M::CreditNote)) " " strong { (c) } " · " (t(lang, M::ValueDate)) " " (date(s.value_date, lang))
                }
                (None, None) => { (date(s.value_date, lang)) }
            } }
            span.amount { (amount(s.amount, lang)) }
        }
    }
}

pub fn table(user: &WebUser, q: &ScheduleQuery, list: &SettledItems, methods: &[PaymentMethod]) -> Markup {
    let lang = user.lang();
    if list.items.is_empty() {
        return html! { p.empty #schedule-empty { (t(lang, M::EmptyHistory)) } };
    }
    let d = ("due_date", true);
    let s = |key: &str, label: &str, num: bool| th_sort(lang, q, key, label, num, d);
    let first = list.offset + 1;
    let last = list.offset + list.items.len() as i64;
    html! {
        table.list.schedule #schedule data-mode="history" {
            thead { tr {
                (s("document_number", t(lang, Msg::Document), false))
                (s("kind", t(lang, M::Kind), false))
                (s("document_date", t(lang, Msg::DocumentDate), true))
                (s("due_date", t(lang, Msg::DueDate), true))
                (s("customer_number", t(lang, M::Customer), false))
                (s("payer_number", t(lang, M::Payer), false))
                (s("dunning_level", t(lang, Msg::Level), true))
                (s("amount", t(lang, Msg::Amount), true))
                th { (t(lang, M::SettledBy)) }
            } }
            tbody {
                @for r in &list.items {
                    tr data-installment=(r.installment_id) {
                        td {
                            (super::view::document_link(q, r.document_id, &r.document_number))
                            @if r.installment_count > 1 { " (" (r.seq) "/" (r.installment_count) ")" }
                        }
                        td { (kind(lang, r.kind)) }
                        td.num { (date(r.document_date, lang)) }
                        td.num { (date(r.due_date, lang)) }
                        td.customer { span.number { (r.customer_number) } " " span.name title=(r.customer_name) { (r.customer_name) } }
                        td { (r.payer_number) }
                        td.num { (r.dunning_level) }
                        td.num { (amount(r.amount, lang)) }
                        td.settled { ul.settled-by { @for s in &r.settled_by { (settlement(lang, s, methods)) } } }
                    }
                }
            }
        }
        nav.pager aria-label="pages" {
            @if list.offset > 0 {
                a rel="prev" href=(q.href(&[("offset", Some((list.offset - PAGE_SIZE).max(0).to_string())), ("document", None)])) { "← " (t(lang, M::PreviousPage)) }
            }
            span { (tf(lang, M::PageFrom, &[&count(first, lang), &count(last, lang)])) }
            @if list.more {
                a rel="next" href=(q.href(&[("offset", Some(last.to_string())), ("document", None)])) { (t(lang, M::NextPage)) " →" }
            }
        }
    }
}
