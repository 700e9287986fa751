//! Clients (issue 13 point 5): the customer list with its search (the API's `search` filter: part of
//! the number or the name), paginated; the customer card with its details, the comment and the
//! dunning e-mail (both editable by a clerk or an admin, seed 002), its open items, payments, open
//! credits, dunning history and blocks — each through the use case the API calls.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use creance_app::payments::PaymentFilter;
use creance_app::queries::{CustomerFilter, Page};
use creance_app::query_args::OpenItemArgs;
use creance_app::views::dunning::HistoryEntry;
use creance_app::views::ledger::{Customer, OpenItem};
use creance_app::views::money::Payment;
use creance_app::{App, AppError};
use creance_core::{Language, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::format::{amount, count, date, opt_date, total};
use super::i18n::{t, tf, words, Msg};
use super::layout::{page, Tab};
use super::{csrf, html, refusal, WebError, WebUser};

/// Customers per page of the list.
const PAGE_SIZE: i64 = 50;
/// Rows per section of the card (the API's lists give the rest).
const CARD_ROWS: i64 = 200;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    search: Option<String>,
    offset: Option<i64>,
}

/// `GET /clients`.
pub async fn list(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let lang = user.lang();
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let filter = CustomerFilter { search: search.clone(), ..Default::default() };
    let p = Page::new(Some(PAGE_SIZE), Some(q.offset.unwrap_or(0).max(0)))?;
    let listed = app.customers(user.company_id(), &filter, p).await?;
    let link = |offset: i64| {
        let mut href = format!("/clients?offset={offset}");
        if let Some(s) = &search {
            href.push_str("&search=");
            href.push_str(&super::session::encode(s));
        }
        href
    };
    let first = listed.offset + 1;
    let last = listed.offset + listed.items.len() as i64;
    let body = html! {
        h1 { (t(lang, Msg::CustomersTitle)) }
        form.search role="search" method="get" action="/clients" {
            label for="search" { (t(lang, Msg::Search)) }
            input #search type="search" name="search" value=(search.as_deref().unwrap_or(""))
                placeholder=(t(lang, Msg::SearchHint)) autofocus;
            button type="submit" { (t(lang, Msg::SearchButton)) }
            @if user.role() >= creance_core::Role::Clerk { a.button href="/import" { (t(lang, Msg::ImportLink)) } }
        }
        @if listed.items.is_empty() {
            p.empty {
                @match &search {
                    Some(s) => { (tf(lang, Msg::NoCustomerMatches, &[s])) }
                    None => { (t(lang, Msg::NoCustomers)) }
                }
            }
        } @else {
            table.list #customers {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th { (t(lang, Msg::Name)) } th { (t(lang, Msg::City)) }
                    th { (t(lang, Msg::Payer)) } th { (t(lang, Msg::Salesperson)) } th { (t(lang, Msg::Currency)) }
                } }
                tbody {
                    @for c in &listed.items {
                        tr {
                            td { a href=(format!("/clients/{}", c.id)) { (c.fields.number) } }
                            td { (c.fields.name) }
                            td { (c.fields.city) }
                            td { (c.fields.payer_number.as_deref().unwrap_or("")) }
                            td { (c.fields.salesperson) }
                            td { (c.fields.currency.code()) }
                        }
                    }
                }
                tfoot { tr { td colspan="6" { (tf(lang, Msg::CustomersCount, &[&count(listed.total_count, lang)])) } } }
            }
            nav.pager {
                @if listed.offset > 0 {
                    a rel="prev" href=(link((listed.offset - PAGE_SIZE).max(0))) { "← " (t(lang, Msg::Previous)) }
                }
                span { (tf(lang, Msg::PageOf, &[&count(first, lang), &count(last, lang), &count(listed.total_count, lang)])) }
                @if last < listed.total_count {
                    a rel="next" href=(link(last)) { (t(lang, Msg::Next)) " →" }
                }
            }
        }
    };
    Ok(html(page(&user, Tab::Customers, t(lang, Msg::CustomersTitle), body)).into_response())
}

#[derive(Deserialize, Default)]
pub struct CardQuery {
    saved: Option<String>,
}

/// What the card shows besides the customer.
struct CardData {
    customer: Customer,
    payer: Option<Customer>,
    items: Vec<OpenItem>,
    payments: Vec<Payment>,
    /// The company's payment methods (code → label), to show a payment's method by its label.
    methods: Vec<creance_app::views::settings::PaymentMethod>,
    history: Vec<HistoryEntry>,
    /// Who changed the customer, when (its audit trail).
    audit: Vec<creance_app::audit_trail::AuditEntry>,
}

async fn load_card(app: &App, user: &WebUser, id: i64) -> Result<CardData, WebError> {
    let company = user.company_id();
    let customer = match app.customer(company, id).await {
        Ok(c) => c,
        Err(AppError::NotFound { .. }) => {
            return Err(WebError::NotFound {
                lang: user.lang(),
                detail: refusal::not_found(user.lang(), "customer", id),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let payer = match customer.payer_id {
        Some(p) => Some(app.customer(company, p).await?),
        None => None,
    };
    let args = OpenItemArgs {
        customer_id: Some(id.to_string()),
        sort: Some("due_date,document_number".into()),
        limit: Some(CARD_ROWS.to_string()),
        ..Default::default()
    };
    let (filter, sorts, p) = args.parse(user.at.date())?;
    let items = app.open_items(company, &filter, &sorts, p).await?.items;
    let pf = PaymentFilter { customer_id: Some(id), ..Default::default() };
    let payments = app.payments(company, &pf, Page::new(Some(CARD_ROWS), None)?).await?.items;
    let history = app.dunning_history(company, Some(id), None).await?;
    let methods = app.payment_methods(company).await?;
    let audit = app.audit_of(company, "customer", id).await?;
    Ok(CardData { customer, payer, items, payments, methods, history, audit })
}

/// `GET /clients/{id}`.
pub async fn card(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<CardQuery>,
) -> Result<Response, WebError> {
    let data = load_card(&app, &user, id).await?;
    let saved = q.saved.as_deref();
    Ok(html(card_page(&user, &data, saved, None)).into_response())
}

/// A refused edit: the field it names and what was typed.
struct FieldProblem<'a> {
    field: String,
    reason: String,
    value: &'a str,
}

fn card_page(user: &WebUser, d: &CardData, saved: Option<&str>, problem: Option<&FieldProblem<'_>>) -> Markup {
    let lang = user.lang();
    let c = &d.customer;
    let f = &c.fields;
    let title = format!("{} · {}", f.number, f.name);
    let debits: Vec<&OpenItem> = d.items.iter().filter(|i| i.amount_open.minor() > 0).collect();
    let credits: Vec<&OpenItem> = d.items.iter().filter(|i| i.amount_open.minor() < 0).collect();
    // Blocked at today: a reason, and no end date or one still to come (the rule the dunning applies).
    let today = user.at.date();
    let blocked: Vec<&OpenItem> = d
        .items
        .iter()
        .filter(|i| !i.block_reason.is_empty() && i.block_until.is_none_or(|until| until > today))
        .collect();
    let error_for = |field: &str| problem.filter(|p| p.field == field).map(|p| p.reason.clone());
    let value_for = |field: &str, stored: &str| {
        problem.filter(|p| p.field == field).map(|p| p.value.to_string()).unwrap_or_else(|| stored.to_string())
    };
    let body = html! {
        p.crumbs { a href="/clients" { (t(lang, Msg::CustomersTitle)) } " › " (f.number) }
        h1 { (title) }
        @if saved.is_some() { p.notice role="status" { (t(lang, Msg::Saved)) } }
        div.card-grid {
            section.details aria-labelledby="details-h" {
                h2 #details-h { (t(lang, Msg::Details)) }
                dl {
                    dt { (t(lang, Msg::Number)) } dd { (f.number) }
                    dt { (t(lang, Msg::Name)) } dd { (f.name) }
                    dt { (t(lang, Msg::Address)) }
                    dd { (f.address) br; (f.postal_code) " " (f.city) " " (f.country) }
                    dt { (t(lang, Msg::Payer)) }
                    dd {
                        @match &d.payer {
                            Some(p) => { a href=(format!("/clients/{}", p.id)) { (p.fields.number) " · " (p.fields.name) } }
                            None => { (t(lang, Msg::PaysForItself)) }
                        }
                    }
                    dt { (t(lang, Msg::CustomerLanguage)) } dd { (words::language(lang, f.language)) }
                    dt { (t(lang, Msg::Currency)) } dd { (f.currency.code()) }
                    dt { (t(lang, Msg::CustomerEmail)) } dd { (f.email) }
                    dt { (t(lang, Msg::Salesperson)) } dd { (f.salesperson) }
                    dt { (t(lang, Msg::Dunning)) }
                    dd { (t(lang, if f.dunning_enabled { Msg::DunningEnabled } else { Msg::DunningDisabled })) }
                }
            }
            section.edits aria-labelledby="edits-h" {
                h2 #edits-h.visually-hidden { (t(lang, Msg::Comment)) }
                (edit_form(user, c.id, "dunning-email", "dunning_email", Msg::DunningEmail, Msg::DunningEmailHint,
                    &value_for("dunning_email", &f.dunning_email), error_for("dunning_email"), false))
                (edit_form(user, c.id, "comment", "comment", Msg::Comment, Msg::CommentHint,
                    &value_for("comment", &f.comment), error_for("comment"), true))
            }
        }
        (items_section(lang, "open-items", Msg::OpenItems, Msg::NoOpenItems, &debits))
        (items_section(lang, "credits", Msg::Credits, Msg::NoCredits, &credits))
        (payments_section(lang, &d.payments, &d.methods))
        (history_section(lang, c.id, &d.history))
        (super::audit::trail(lang, &d.audit))
        section #blocks aria-labelledby="blocks-h" {
            h2 #blocks-h { (t(lang, Msg::Blocks)) }
            @if blocked.is_empty() { p.empty { (t(lang, Msg::NoBlocks)) } } @else {
                table.list { thead { tr {
                    th { (t(lang, Msg::Document)) } th { (t(lang, Msg::DueDate)) } th { (t(lang, Msg::BlockReason)) }
                    th { (t(lang, Msg::BlockedUntil)) }
                } }
                tbody { @for i in &blocked { tr {
                    td { (i.document_number) } td.num { (date(i.due_date, lang)) }
                    td { (words::block_reason(lang, &i.block_reason)) } td.num { (opt_date(i.block_until, lang)) }
                } } } }
            }
        }
    };
    page(user, Tab::Customers, &title, body)
}

#[allow(clippy::too_many_arguments)]
fn edit_form(
    user: &WebUser,
    id: i64,
    path: &str,
    field: &str,
    label: Msg,
    hint: Msg,
    value: &str,
    error: Option<String>,
    multiline: bool,
) -> Markup {
    let lang = user.lang();
    let input_id = format!("field-{field}");
    let hint_id = format!("{field}-hint");
    let error_id = format!("{field}-error");
    let described = if error.is_some() { format!("{hint_id} {error_id}") } else { hint_id.clone() };
    html! {
        form.edit method="post" action=(format!("/clients/{id}/{path}")) {
            (csrf::hidden(user.csrf()))
            div.field.invalid[error.is_some()] {
                label for=(input_id) { (t(lang, label)) }
                @if !user.can_write() {
                    p.readonly #(input_id) { (value) }
                } @else if multiline {
                    textarea #(input_id) name=(field) rows="4" aria-describedby=(described)
                        aria-invalid=[error.as_ref().map(|_| "true")] { (value) }
                } @else {
                    input #(input_id) type="text" name=(field) value=(value) aria-describedby=(described)
                        aria-invalid=[error.as_ref().map(|_| "true")];
                }
                p.hint #(hint_id) { (t(lang, hint)) }
                @if let Some(e) = &error { p.field-error #(error_id) role="alert" { (e) } }
            }
            @if user.can_write() {
                button type="submit" name="save" value=(field) { (t(lang, Msg::Save)) }
            }
        }
    }
}

fn items_section(lang: Language, id: &str, title: Msg, empty: Msg, items: &[&OpenItem]) -> Markup {
    // Totals per currency of what is shown.
    let mut currencies: Vec<creance_core::Currency> = Vec::new();
    for i in items {
        if !currencies.contains(&i.currency) {
            currencies.push(i.currency);
        }
    }
    let totals: Vec<creance_core::MoneyTotal> = currencies
        .iter()
        .filter_map(|c| {
            creance_core::MoneyTotal::sum(*c, items.iter().filter(|i| i.currency == *c).map(|i| i.amount_open)).ok()
        })
        .collect();
    let heading = format!("{id}-h");
    html! {
        section id=(id) aria-labelledby=(heading) {
            h2 id=(heading) { (t(lang, title)) }
            @if items.is_empty() { p.empty { (t(lang, empty)) } } @else {
                table.list {
                    thead { tr {
                        th { (t(lang, Msg::Document)) } th.num { (t(lang, Msg::DocumentDate)) } th.num { (t(lang, Msg::DueDate)) }
                        th.num { (t(lang, Msg::DaysOverdue)) } th.num { (t(lang, Msg::Level)) }
                        th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::AmountOpen)) }
                    } }
                    tbody { @for i in items { tr {
                        td { (i.document_number) @if i.installment_count > 1 { " (" (i.seq) "/" (i.installment_count) ")" } }
                        td.num { (date(i.document_date, lang)) } td.num { (date(i.due_date, lang)) }
                        td.num { (i.days_overdue) } td.num { (i.dunning_level) }
                        td.num { (amount(i.amount, lang)) } td.num { (amount(i.amount_open, lang)) }
                    } } }
                    tfoot { @for sum in &totals { tr {
                        td colspan="6" { (t(lang, Msg::Total)) } td.num { (total(*sum, lang)) }
                    } } }
                }
            }
        }
    }
}

fn payments_section(
    lang: Language,
    payments: &[Payment],
    methods: &[creance_app::views::settings::PaymentMethod],
) -> Markup {
    let method = |code: &str| -> String {
        methods.iter().find(|m| m.code == code).map_or_else(|| code.to_string(), |m| m.label.clone())
    };
    html! {
        section #payments aria-labelledby="payments-h" {
            h2 #payments-h { (t(lang, Msg::Payments)) }
            @if payments.is_empty() { p.empty { (t(lang, Msg::NoPayments)) } } @else {
                table.list {
                    thead { tr {
                        th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, Msg::Method)) }
                        th { (t(lang, Msg::Piece)) } th { (t(lang, Msg::Status)) }
                        th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::Unallocated)) }
                    } }
                    tbody { @for p in payments { tr {
                        td { (p.number) } td.num { (date(p.date, lang)) } td { (method(&p.method)) } td { (p.piece_number) }
                        td { (words::payment_status(lang, p.status)) }
                        td.num { (amount(p.amount, lang)) } td.num { (amount(p.unallocated, lang)) }
                    } } }
                }
            }
        }
    }
}

fn history_section(lang: Language, customer_id: i64, history: &[HistoryEntry]) -> Markup {
    html! {
        section #history aria-labelledby="history-h" {
            h2 #history-h { (t(lang, Msg::DunningHistory)) }
            p { a href={ "/relances/historique?customer_id=" (customer_id) } { (t(lang, Msg::FullHistory)) } }
            @if history.is_empty() { p.empty { (t(lang, Msg::NoHistory)) } } @else {
                table.list {
                    thead { tr {
                        th.num { (t(lang, Msg::Date)) } th { (t(lang, Msg::Document)) } th.num { (t(lang, Msg::Level)) }
                        th { (t(lang, Msg::Source)) } th { (t(lang, Msg::Letter)) } th { (t(lang, Msg::Channel)) }
                        th { (t(lang, Msg::Status)) }
                    } }
                    tbody { @for h in history { tr {
                        td.num { (date(h.date, lang)) } td { (h.document_number) } td.num { (h.level) }
                        td { (words::history_source(lang, h.source)) } td {
                            @match (h.letter_id, &h.letter_number) {
                                (Some(id), Some(n)) => a href={ "/relances/lettres/" (id) } { (n) },
                                (_, n) => (n.as_deref().unwrap_or("")),
                            }
                        }
                        td { (words::channel(lang, h.channel)) } td { (words::history_status(lang, h.status)) }
                    } } }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    comment: String,
}

#[derive(Deserialize)]
pub struct DunningEmailForm {
    dunning_email: String,
}

/// After an edit: back to the card (303), or the card again with the refusal next to its field (422).
async fn after_edit(
    app: &App,
    user: &WebUser,
    id: i64,
    result: Result<(), AppError>,
    value: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/clients/{id}?saved=1")).into_response()),
        Err(AppError::Invalid(fe)) => {
            let data = load_card(app, user, id).await?;
            let problem = FieldProblem { reason: refusal::field(user.lang(), &fe), field: fe.field, value };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(card_page(user, &data, None, Some(&problem)))).into_response())
        }
        Err(AppError::NotFound { .. }) => {
            Err(WebError::NotFound { lang: user.lang(), detail: refusal::not_found(user.lang(), "customer", id) })
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /clients/{id}/comment` (clerk or admin).
pub async fn save_comment(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let r = app.set_customer_comment(&user.actor(), user.company_id(), id, &f.comment).await;
    after_edit(&app, &user, id, r, &f.comment).await
}

/// `POST /clients/{id}/dunning-email` (clerk or admin).
pub async fn save_dunning_email(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(f): Form<DunningEmailForm>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let r = app.set_customer_dunning_email(&user.actor(), user.company_id(), id, &f.dunning_email).await;
    after_edit(&app, &user, id, r, &f.dunning_email).await
}
