//! The Échéancier's templates: the display switches, the filter form, the two lists with their
//! sortable headers and per-currency totals, the pager, and the detail panel.

use creance_app::queries::OpenItems;
use creance_app::views::ledger::{CurrencyTotal, Document, OpenDocument, OpenItem};
use creance_app::FieldError;
use creance_core::{Language, Money};
use maud::{html, Markup};

use super::messages::{kind, M};
use super::{history, Listing, Mode, ScheduleQuery, FILTERS, PAGE_SIZE, PATH};
use crate::web::format::{amount, count, date, opt_date, total};
use crate::web::i18n::{t, tf, words, Msg};
use crate::web::layout::{self, Tab};
use crate::web::refusal;
use crate::web::session::encode;
use crate::web::WebUser;

/// The payment form of the Règlements screen, prefilled with a customer and an amount.
pub fn pay_href(customer_id: i64, open: Money) -> String {
    format!("/reglements/nouveau?customer_id={customer_id}&amount={}", encode(&open.format_amount()))
}

/// The whole page.
pub fn page(user: &WebUser, q: &ScheduleQuery, listing: &Listing, panel_doc: Option<&Document>) -> Markup {
    let lang = user.lang();
    let title = t(lang, if q.history() { M::HistoryTitle } else { M::Title });
    let problem = match listing {
        Listing::Refused(fe) => Some(fe),
        _ => None,
    };
    let body = html! {
        h1 { (title) }
        (switches(lang, q))
        (filter_form(lang, q, problem))
        @match listing {
            Listing::Refused(fe) => {
                @if !FILTERS.contains(&fe.field.as_str()) {
                    p.field-error #list-error role="alert" { (fe.field) " : " (refusal::field(lang, fe)) }
                }
                p.empty { (t(lang, M::NotShownForError)) }
            }
            Listing::Documents(list) => { (documents_table(user, q, list)) (pager(lang, q, list.offset, list.items.len(), list.total_count)) }
            Listing::Items(list) => { (items_table(user, q, list)) (pager(lang, q, list.offset, list.items.len(), list.total_count)) }
            Listing::History(list, methods) => { (history::table(user, q, list, methods)) }
        }
        div.schedule-bottom {
            (panel(user, q, panel_doc))
        }
    };
    layout::page(user, Tab::Schedule, title, body)
}

/// The display switches (by invoice / by due date, open / history) and the exports.
fn switches(lang: Language, q: &ScheduleQuery) -> Markup {
    let mode = q.mode();
    let history = q.history();
    let mode_link = |m: Mode| {
        let v = if m == Mode::ByDueDate { Some("due_date".to_string()) } else { None };
        q.href(&[("mode", v), ("offset", None), ("sort", None), ("document", None)])
    };
    let export = |format: &str, dialect: Option<&str>| {
        q.link(
            &format!("{PATH}/export"),
            &[
                ("format", Some(format.to_string())),
                ("dialect", dialect.map(str::to_string)),
                ("offset", None),
                ("document", None),
            ],
        )
    };
    html! {
        div.schedule-bar {
            @if !history { nav.segmented aria-label=(t(lang, M::Display)) {
                span.label { (t(lang, M::Display)) }
                a #mode-invoice href=(mode_link(Mode::ByInvoice)) aria-current=[(mode == Mode::ByInvoice).then_some("true")] { (t(lang, M::ByInvoice)) }
                a #mode-due-date href=(mode_link(Mode::ByDueDate)) aria-current=[(mode == Mode::ByDueDate).then_some("true")] { (t(lang, M::ByDueDate)) }
            } }
            nav.segmented aria-label=(t(lang, M::History)) {
                a #show-open href=(q.href(&[("history", None), ("offset", None), ("sort", None)]))
                    aria-current=[(!history).then_some("true")] { (t(lang, M::OpenList)) }
                a #show-history href=(q.href(&[("history", Some("1".into())), ("offset", None), ("sort", None)]))
                    aria-current=[history.then_some("true")] { (t(lang, M::History)) }
            }
            div.exports {
                span.label { (t(lang, M::Export)) }
                a #export-csv href=(export("csv", None)) download { (t(lang, M::ExportCsv)) }
                a #export-csv-excel href=(export("csv", Some("excel"))) download { (t(lang, M::ExportCsvExcel)) }
                a #export-pdf href=(export("pdf", None)) download { (t(lang, M::ExportPdf)) }
            }
        }
    }
}

/// The filters: a GET form with the API's parameter names.
fn filter_form(lang: Language, q: &ScheduleQuery, problem: Option<&FieldError>) -> Markup {
    let f = |name: &str, label: M, hint: Option<M>| field(lang, q, problem, name, label, hint);
    html! {
        form.filters #filters method="get" action=(PATH) aria-label=(t(lang, M::Filters)) {
            @if q.mode() == Mode::ByDueDate { input type="hidden" name="mode" value="due_date"; }
            @if q.history() { input type="hidden" name="history" value="1"; }
            @if let Some(s) = q.sort() { input type="hidden" name="sort" value=(s); }
            div.filter-grid {
                (f("customer", M::Customer, Some(M::CustomerHint)))
                div.pair { (f("customer_from", M::CustomerFrom, None)) (f("customer_to", M::CustomerTo, None)) }
                (f("payer", M::Payer, Some(M::PayerHint)))
                (f("currency", M::Currency, None))
                div.pair { (f("document_from", M::DocumentFrom, Some(M::DateHint))) (f("document_to", M::DocumentTo, Some(M::DateHint))) }
                div.pair { (f("due_from", M::DueFrom, Some(M::DateHint))) (f("due_to", M::DueTo, Some(M::DateHint))) }
                div.pair { (f("days_overdue_min", M::DaysOverdueMin, None)) (f("days_overdue_max", M::DaysOverdueMax, None)) }
                (f("dunning_level", M::DunningLevel, None))
                (f("contract", M::Contract, None))
                (f("salesperson", M::Salesperson, None))
            }
            div.filter-actions {
                button.primary #apply type="submit" { (t(lang, M::Apply)) }
                @if q.any_filter() {
                    a #reset href=(q.href(&FILTERS.map(|n| (n, None)))) { (t(lang, M::Reset)) }
                }
            }
            @if q.history() { p.hint { (t(lang, M::HistoryFilters)) } }
        }
    }
}

fn field(
    lang: Language,
    q: &ScheduleQuery,
    problem: Option<&FieldError>,
    name: &str,
    label: M,
    hint: Option<M>,
) -> Markup {
    let error = problem.filter(|p| p.field == name);
    let id = format!("f-{name}");
    let error_id = format!("{name}-error");
    let numeric = matches!(name, "days_overdue_min" | "days_overdue_max" | "dunning_level");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (t(lang, label)) }
            input #(id) type="text" name=(name) value=(q.value(name)) placeholder=[hint.map(|h| t(lang, h))]
                aria-describedby=[error.map(|_| error_id.as_str())]
                inputmode=[numeric.then_some("numeric")] aria-invalid=[error.map(|_| "true")];
            @if let Some(e) = error { p.field-error #(error_id) role="alert" { (refusal::field(lang, e)) } }
        }
    }
}

/// A sortable column header: a link that sorts on `key` (ascending first, then descending), and
/// `aria-sort` on the column the list is sorted by. `default` is the key of the unsorted list.
pub fn th_sort(lang: Language, q: &ScheduleQuery, key: &str, label: &str, num: bool, default: (&str, bool)) -> Markup {
    let current = q.sort().unwrap_or("");
    let state = if current == key || (current.is_empty() && default == (key, false)) {
        Some("ascending")
    } else if current.strip_prefix('-') == Some(key) || (current.is_empty() && default == (key, true)) {
        Some("descending")
    } else {
        None
    };
    let next = if state == Some("ascending") { format!("-{key}") } else { key.to_string() };
    let arrow = match state {
        Some("ascending") => " ▲",
        Some("descending") => " ▼",
        _ => "",
    };
    html! {
        th.num[num] aria-sort=[state] {
            a.sort href=(q.href(&[("sort", Some(next)), ("offset", None)])) title=(tf(lang, M::SortBy, &[label])) {
                (label) span aria-hidden="true" { (arrow) }
            }
        }
    }
}

/// The link of a document: the panel, by htmx, or the whole page with the panel open.
pub(super) fn document_link(q: &ScheduleQuery, id: i64, text: &str) -> Markup {
    let page = q.href(&[("document", Some(id.to_string()))]);
    let partial = q.link(&format!("{PATH}/documents/{id}"), &[("document", None)]);
    html! {
        a.doc href=(page) hx-get=(partial) hx-target="#panel" hx-swap="outerHTML" hx-push-url=(page) { (text) }
    }
}

fn pay_link(lang: Language, customer_id: i64, open: Money, document: &str) -> Markup {
    html! {
        a.pay href=(pay_href(customer_id, open)) aria-label=(tf(lang, M::PayLabel, &[&amount(open, lang), document])) {
            (t(lang, M::Pay))
        }
    }
}

fn empty(lang: Language, q: &ScheduleQuery) -> Markup {
    html! { p.empty #schedule-empty { (t(lang, if q.any_filter() { M::EmptyFiltered } else { M::Empty })) } }
}

/// The totals rows: one per currency, of everything the filters select.
fn totals_rows(lang: Language, totals: &[CurrencyTotal], before: usize) -> Markup {
    html! {
        @for sum in totals {
            tr.total {
                td colspan=(before) {
                    (t(lang, Msg::Total)) " " (sum.currency.code()) " · "
                    (count(sum.items, lang)) " " (t(lang, M::TotalsItems).to_lowercase()) " · "
                    (t(lang, M::TotalsOverdue)) " " (total(sum.amount_overdue, lang))
                }
                td.num { (total(sum.amount_open, lang)) }
                td {}
            }
        }
    }
}

fn customer_cell(number: &str, name: &str) -> Markup {
    html! { td.customer { span.number { (number) } " " span.name title=(name) { (name) } } }
}

fn documents_table(user: &WebUser, q: &ScheduleQuery, list: &OpenItems<OpenDocument>) -> Markup {
    let lang = user.lang();
    if list.items.is_empty() {
        return empty(lang, q);
    }
    let d = ("due_date", false);
    let s = |key: &str, label: &str, num: bool| th_sort(lang, q, key, label, num, d);
    html! {
        table.list.schedule #schedule data-mode="invoice" {
            thead { tr {
                (s("document_number", t(lang, Msg::Document), false))
                (s("kind", t(lang, M::Kind), false))
                (s("document_date", t(lang, Msg::DocumentDate), true))
                (s("due_date", t(lang, Msg::DueDate), true))
                (s("days_overdue", t(lang, M::DaysLate), true))
                (s("customer_number", t(lang, M::Customer), false))
                (s("payer_number", t(lang, M::Payer), false))
                (s("dunning_level", t(lang, Msg::Level), true))
                th.num { (t(lang, M::Installments)) }
                (s("amount", t(lang, Msg::Amount), true))
                (s("amount_open", t(lang, Msg::AmountOpen), true))
                th { span.visually-hidden { (t(lang, M::Pay)) } }
            } }
            tbody {
                @for r in &list.items {
                    tr data-document=(r.document_id) data-href=[(user.can_write() && r.amount_open.is_positive()).then(|| pay_href(r.customer_id, r.amount_open))] {
                        td { (document_link(q, r.document_id, &r.document_number)) }
                        td { (kind(lang, r.kind)) }
                        td.num { (date(r.document_date, lang)) }
                        td.num { (date(r.due_date_first, lang)) }
                        td.num { (r.days_overdue) }
                        (customer_cell(&r.customer_number, &r.customer_name))
                        td { (r.payer_number) }
                        td.num { (r.dunning_level_max) }
                        td.num { (r.installments_open) }
                        td.num { (amount(r.total, lang)) }
                        td.num.open { (amount(r.amount_open, lang)) }
                        td.action {
                            @if user.can_write() && r.amount_open.is_positive() {
                                (pay_link(lang, r.customer_id, r.amount_open, &r.document_number))
                            }
                        }
                    }
                }
            }
            tfoot { (totals_rows(lang, &list.totals, 10)) }
        }
    }
}

fn items_table(user: &WebUser, q: &ScheduleQuery, list: &OpenItems<OpenItem>) -> Markup {
    let lang = user.lang();
    if list.items.is_empty() {
        return empty(lang, q);
    }
    let d = ("due_date", false);
    let s = |key: &str, label: &str, num: bool| th_sort(lang, q, key, label, num, d);
    html! {
        table.list.schedule #schedule data-mode="due_date" {
            thead { tr {
                (s("document_number", t(lang, Msg::Document), false))
                (s("kind", t(lang, M::Kind), false))
                (s("document_date", t(lang, Msg::DocumentDate), true))
                (s("due_date", t(lang, Msg::DueDate), true))
                (s("days_overdue", t(lang, M::DaysLate), true))
                (s("customer_number", t(lang, M::Customer), false))
                (s("payer_number", t(lang, M::Payer), false))
                (s("dunning_level", t(lang, Msg::Level), true))
                (s("seq", t(lang, M::Installment), true))
                (s("amount", t(lang, Msg::Amount), true))
                (s("amount_open", t(lang, Msg::AmountOpen), true))
                th { span.visually-hidden { (t(lang, M::Pay)) } }
            } }
            tbody {
                @for r in &list.items {
                    tr data-installment=(r.installment_id) data-href=[(user.can_write() && r.amount_open.is_positive()).then(|| pay_href(r.customer_id, r.amount_open))] {
                        td { (document_link(q, r.document_id, &r.document_number)) }
                        td { (kind(lang, r.kind)) }
                        td.num { (date(r.document_date, lang)) }
                        td.num { (date(r.due_date, lang)) }
                        td.num { (r.days_overdue) }
                        (customer_cell(&r.customer_number, &r.customer_name))
                        td { (r.payer_number) }
                        td.num { (r.dunning_level) }
                        td.num { (r.seq) "/" (r.installment_count) }
                        td.num { (amount(r.amount, lang)) }
                        td.num.open { (amount(r.amount_open, lang)) }
                        td.action {
                            @if user.can_write() && r.amount_open.is_positive() {
                                (pay_link(lang, r.customer_id, r.amount_open, &r.document_number))
                            }
                        }
                    }
                }
            }
            tfoot { (totals_rows(lang, &list.totals, 10)) }
        }
    }
}

/// Previous / next pages of a counted list.
fn pager(lang: Language, q: &ScheduleQuery, offset: i64, shown: usize, total_count: i64) -> Markup {
    if shown == 0 {
        return html! {};
    }
    let last = offset + shown as i64;
    html! {
        nav.pager aria-label="pages" {
            @if offset > 0 {
                a rel="prev" href=(q.href(&[("offset", Some((offset - PAGE_SIZE).max(0).to_string())), ("document", None)])) { "← " (t(lang, Msg::Previous)) }
            }
            span { (tf(lang, Msg::PageOf, &[&count(offset + 1, lang), &count(last, lang), &count(total_count, lang)])) }
            @if last < total_count {
                a rel="next" href=(q.href(&[("offset", Some(last.to_string())), ("document", None)])) { (t(lang, Msg::Next)) " →" }
            }
        }
    }
}

/// The detail panel: the installments of one document, or a hint to choose one.
pub fn panel(user: &WebUser, q: &ScheduleQuery, doc: Option<&Document>) -> Markup {
    let lang = user.lang();
    html! {
        section #panel.panel aria-labelledby="panel-h" aria-live="polite" {
            h2 #panel-h { (t(lang, M::PanelTitle)) }
            @match doc {
                None => { p.empty { (t(lang, M::PanelHint)) } }
                Some(d) => {
                    p.panel-of {
                        strong { (tf(lang, M::PanelOf, &[&d.number, kind(lang, d.kind)])) }
                        " · " (d.customer_number) " · " (date(d.date, lang)) " · "
                        (t(lang, Msg::Amount)) " " (amount(d.total, lang)) " · "
                        (t(lang, Msg::AmountOpen)) " " (amount(d.amount_open, lang))
                        " " a.close href=(q.href(&[("document", None)])) { (t(lang, M::Close)) }
                    }
                    table.list #installments {
                        thead { tr {
                            th.num { (t(lang, M::Installment)) } th.num { (t(lang, Msg::DueDate)) }
                            th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::AmountOpen)) }
                            th.num { (t(lang, Msg::Level)) } th { (t(lang, M::Blocked)) }
                            th { span.visually-hidden { (t(lang, M::Pay)) } }
                        } }
                        tbody { @for i in &d.installments { tr {
                            td.num { (i.seq) "/" (d.installments.len()) }
                            td.num { (date(i.due_date, lang)) }
                            td.num { (amount(i.amount, lang)) }
                            td.num.open { (amount(i.amount_open, lang)) }
                            td.num { (i.dunning_level) }
                            td {
                                @if !i.block_reason.is_empty() {
                                    (words::block_reason(lang, &i.block_reason))
                                    @if let Some(u) = i.block_until { " → " (opt_date(Some(u), lang)) }
                                }
                            }
                            td.action {
                                @if user.can_write() && i.amount_open.is_positive() && d.kind.is_debit() {
                                    (pay_link(lang, d.customer_id, i.amount_open, &d.number))
                                }
                            }
                        } } }
                    }
                }
            }
        }
    }
}
