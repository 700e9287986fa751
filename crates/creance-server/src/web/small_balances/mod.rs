//! Petits soldes (issue 14 point 4, seed 000, SPEC §4.8): the extraction — open items of at most a
//! threshold, due more than a number of days ago — as a GET form with the API's parameter names
//! (`threshold`, `older_than_days`, `currency`, `customer_number`), its debit groups by customer and
//! contract and its credit groups by customer (`App::small_balances`), paginated by group, with the
//! totals per currency of the whole extraction and its export (CSV, PDF: every item, as
//! `GET /small-balances?format=`); the pending rebill charges (`App::rebill_charges`) and the
//! actions (`App::small_balance_actions`), each with its undo while it can be undone. The actions
//! themselves (preview, confirm, undo) are in `actions.rs`. Every write needs the clerk role and is
//! sent once (`web/once.rs`).
//!
//! Routes: `GET /petits-soldes` (`?view=debits|credits|charges|actions`, the filters, `offset`),
//! `GET /petits-soldes/export` (`format=csv|pdf`, `dialect=excel`; `view=charges`: the pending
//! charges), `POST /petits-soldes/actions/apercu` (the preview), `POST /petits-soldes/actions` (the
//! confirmation), `GET /petits-soldes/actions/{id}`, `POST /petits-soldes/actions/{id}/annulation`,
//! `GET`/`POST /petits-soldes/tout-solder` (every group in one pass, `clear.rs`).

pub mod actions;
pub mod clear;
mod messages;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use creance_app::exports::{self, lists, Format, PdfHeader, CHUNK_ROWS};
use creance_app::queries::{Listed, Page};
use creance_app::small_balances::{
    ActionView, ChargeQuery, RebillCharge, SmallBalanceQuery, SmallBalancesPage, SmallGroup,
};
use creance_app::{query_args, App, AppError, FieldError};
use creance_core::{Date, Language, Money, MoneyTotal};
use maud::{html, Markup};
use serde::Deserialize;

use super::format::{amount, count, date, total};
use super::i18n::{t, tf, Msg};
use super::layout::{page, Tab};
use super::reports::controls::{self, Input};
use super::{csrf, html, once, WebError, WebUser};
use crate::export::Export;
use messages::M;

/// Groups per page of the extraction.
const GROUPS_PER_PAGE: usize = 25;
/// Rows per page of the charges and actions lists.
const PAGE_SIZE: i64 = 50;
/// The screen's path.
const PATH: &str = "/petits-soldes";
/// The extraction's parameters, in the order of the form (the API's names).
const FILTERS: [&str; 4] = ["threshold", "older_than_days", "currency", "customer_number"];

/// What the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Debits,
    Credits,
    Charges,
    Actions,
}

impl View {
    fn code(self) -> &'static str {
        match self {
            View::Debits => "debits",
            View::Credits => "credits",
            View::Charges => "charges",
            View::Actions => "actions",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    view: Option<String>,
    threshold: Option<String>,
    older_than_days: Option<String>,
    currency: Option<String>,
    customer_number: Option<String>,
    offset: Option<String>,
    /// Export only.
    format: Option<String>,
    dialect: Option<String>,
    /// A repeated submission landed here (`web/once.rs`).
    again: Option<String>,
}

impl ListQuery {
    fn view(&self) -> View {
        match self.view.as_deref().map(str::trim) {
            Some("credits") => View::Credits,
            Some("charges") => View::Charges,
            Some("actions") => View::Actions,
            _ => View::Debits,
        }
    }

    fn value(&self, name: &str) -> &str {
        let v = match name {
            "threshold" => &self.threshold,
            "older_than_days" => &self.older_than_days,
            "currency" => &self.currency,
            "customer_number" => &self.customer_number,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }

    fn filters(&self) -> Vec<(&'static str, String)> {
        FILTERS.iter().map(|n| (*n, self.value(n).trim().to_string())).filter(|(_, v)| !v.is_empty()).collect()
    }

    fn offset(&self) -> i64 {
        self.offset.as_deref().and_then(|o| o.trim().parse::<i64>().ok()).unwrap_or(0).max(0)
    }

    /// The API's extraction for these filters.
    fn extraction(&self) -> Result<SmallBalanceQuery, AppError> {
        Ok(SmallBalanceQuery {
            threshold: query_args::text(&self.threshold),
            older_than_days: query_args::int("older_than_days", &self.older_than_days)?,
            currency: query_args::text(&self.currency),
            customer_id: None,
            customer_number: query_args::text(&self.customer_number),
        })
    }

    /// This screen in `view` with the filters, at `offset`.
    fn href(&self, view: View, offset: Option<i64>) -> String {
        let mut p: Vec<(&str, String)> = vec![("view", view.code().to_string())];
        if matches!(view, View::Debits | View::Credits) {
            p.extend(self.filters());
        }
        if let Some(o) = offset.filter(|o| *o > 0) {
            p.push(("offset", o.to_string()));
        }
        controls::link(PATH, &p)
    }
}

/// What the screen lists.
enum Listing {
    /// One page of groups of the side shown, and the whole extraction's counts and totals.
    Extraction(SmallBalancesPage),
    Charges(Listed<RebillCharge>),
    Actions(Listed<ActionView>),
    /// A filter was refused: the form shows it next to its field, and no list.
    Refused(FieldError),
}

/// `GET /petits-soldes`.
pub async fn page_handler(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let company = user.company_id();
    let view = q.view();
    let listing = match view {
        View::Debits | View::Credits => {
            let found = match q.extraction() {
                Ok(e) => {
                    let page = Page { limit: GROUPS_PER_PAGE as i64, offset: q.offset() };
                    app.small_balances_page(company, &e, user.at.date(), view == View::Credits, page).await
                }
                Err(e) => Err(e),
            };
            match found {
                Ok(s) => Listing::Extraction(s),
                Err(AppError::Invalid(fe)) => Listing::Refused(fe),
                Err(e) => return Err(e.into()),
            }
        }
        View::Charges => {
            let cq = ChargeQuery { status: Some("pending".into()), ..Default::default() };
            Listing::Charges(app.rebill_charges(company, &cq, Page::new(Some(PAGE_SIZE), Some(q.offset()))?).await?)
        }
        View::Actions => Listing::Actions(
            app.small_balance_actions(company, None, Page::new(Some(PAGE_SIZE), Some(q.offset()))?).await?,
        ),
    };
    let status = if matches!(listing, Listing::Refused(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, html(screen(&user, &q, &listing)?)).into_response())
}

fn screen(user: &WebUser, q: &ListQuery, listing: &Listing) -> Result<Markup, WebError> {
    let lang = user.lang();
    let view = q.view();
    let tab = |v: View, label: M| {
        html! { a #(format!("view-{}", v.code())) href=(q.href(v, None)) aria-current=[(v == view).then_some("page")] { (t(lang, label)) } }
    };
    let body = html! {
        h1 { (t(lang, M::Title)) }
        p.intro { (t(lang, M::Intro)) }
        (once::notice(lang, q.again.is_some()))
        nav.subtabs aria-label=(t(lang, M::ViewsLabel)) {
            (tab(View::Debits, M::Debits)) (tab(View::Credits, M::Credits))
            (tab(View::Charges, M::Pending)) (tab(View::Actions, M::Actions))
        }
        @match listing {
            Listing::Refused(fe) => {
                (filter_form(lang, q, Some(fe)))
                (controls::orphan_error(lang, Some(fe), &FILTERS))
                p.empty { (t(lang, M::NotShownForError)) }
            }
            Listing::Extraction(s) => {
                (filter_form(lang, q, None))
                (extraction(user, q, s)?)
            }
            Listing::Charges(list) => { (charges(user, q, list)?) }
            Listing::Actions(list) => { (actions_list(user, q, list)?) }
        }
    };
    Ok(page(user, Tab::SmallBalances, t(lang, M::Title), body))
}

fn filter_form(lang: Language, q: &ListQuery, problem: Option<&FieldError>) -> Markup {
    let f = |name: &str, label: M, hint: Option<M>, input: Input| {
        controls::field(lang, name, t(lang, label), q.value(name), hint.map(|h| t(lang, h)), input, problem)
    };
    html! {
        form.filters #sb-filters method="get" action=(PATH) aria-label=(t(lang, M::Filters)) {
            input type="hidden" name="view" value=(q.view().code());
            div.filter-grid {
                (f("threshold", M::Threshold, Some(M::ThresholdHint), Input::Text))
                (f("older_than_days", M::OlderThan, Some(M::OlderThanHint), Input::Number))
                (f("currency", M::CurrencyField, None, Input::Text))
                (f("customer_number", M::CustomerField, Some(M::CustomerHint), Input::Text))
                div.filter-actions.in-grid {
                    button.primary #extract type="submit" { (t(lang, M::Apply)) }
                    a.button #clear-all href=(controls::link("/petits-soldes/tout-solder", &q.filters())) { (t(lang, M::ClearAll)) }
                    @if !q.filters().is_empty() {
                        a #reset href=(controls::link(PATH, &[("view", q.view().code().to_string())])) { (t(lang, M::Reset)) }
                    }
                }
            }
        }
    }
}

/// A contract's number and state, or "no contract".
fn contract_words(lang: Language, g: &SmallGroup) -> String {
    match (&g.contract_number, g.contract_active) {
        (Some(n), Some(true)) => format!("{n} ({})", t(lang, M::ContractActive)),
        (Some(n), _) => format!("{n} ({})", t(lang, M::ContractEnded)),
        (None, _) => t(lang, M::NoContract).to_string(),
    }
}

/// A document kind's words (`invoice` → Facture), or "payment".
fn kind_words(lang: Language, kind: &str) -> String {
    match creance_core::DocumentKind::parse(kind) {
        Some(k) => creance_render::labels::document_kind(k, super::i18n::ui_language(lang)).to_string(),
        None => t(lang, M::Payment).to_string(),
    }
}

fn totals_line(lang: Language, totals: &[Money]) -> String {
    if totals.is_empty() {
        return "—".into();
    }
    totals.iter().map(|m| amount(*m, lang)).collect::<Vec<_>>().join(" · ")
}

fn extraction(user: &WebUser, q: &ListQuery, s: &SmallBalancesPage) -> Result<Markup, WebError> {
    let lang = user.lang();
    let credits = q.view() == View::Credits;
    let offset = q.offset();
    let shown: Vec<&SmallGroup> = s.groups.iter().take(GROUPS_PER_PAGE).collect();
    let export = |format: &str, dialect: Option<&str>| {
        let mut p = q.filters();
        p.push(("format", format.to_string()));
        if let Some(d) = dialect {
            p.push(("dialect", d.to_string()));
        }
        controls::link(&format!("{PATH}/export"), &p)
    };
    let totals = if credits { &s.credit_totals } else { &s.debit_totals };
    Ok(html! {
        div.schedule-bar {
            p #sb-summary {
                (tf(lang, M::Summary, &[&amount(s.threshold, lang), &date(s.before, lang)])) " · "
                (tf(lang, M::GroupsCount, &[&count(s.group_count, lang), &count(s.item_count, lang)]))
                br;
                (t(lang, M::TotalDebits)) " : " span #sb-debit-totals { (totals_line(lang, &s.debit_totals)) } " · "
                (t(lang, M::TotalCredits)) " : " span #sb-credit-totals { (totals_line(lang, &s.credit_totals)) }
            }
            (controls::exports(t(lang, M::Export), t(lang, M::ExportCsv), t(lang, M::ExportCsvExcel), t(lang, M::ExportPdf), export))
        }
        @if s.truncated { p.refusal role="status" { (t(lang, M::Truncated)) } }
        @if s.group_count == 0 {
            p.empty #sb-empty { (t(lang, if credits { M::NoCredits } else { M::NoDebits })) }
        } @else {
            table.list.sb #sb-groups data-side=(if credits { "credit" } else { "debit" }) {
                thead { tr {
                    th { (t(lang, M::Customer)) } th { (t(lang, M::Contract)) } th { (t(lang, M::Reference)) }
                    th { (t(lang, M::Kind)) } th.num { (t(lang, M::Installment)) } th.num { (t(lang, M::DueOrDate)) }
                    th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::AmountOpen)) } th.num { (t(lang, Msg::Level)) }
                    th { (t(lang, M::GroupActions)) }
                } }
                @for g in &shown {
                    tbody.group data-customer=(g.customer_id) data-contract=[g.contract_id] {
                        tr.group-head {
                            td { strong { (g.customer_number) } " " span.name { (g.customer_name) } }
                            td { @if !credits { (contract_words(lang, g)) } }
                            td colspan="5" { (tf(lang, if g.items.len() == 1 { M::OneItem } else { M::ManyItems }, &[&count(g.items.len() as i64, lang)])) }
                            td.num.open { strong { (amount(g.total, lang)) } }
                            td {}
                            td.action { @if user.can_write() { (group_form(user, q, g, credits)) } }
                        }
                        @for i in &g.items {
                            tr.item data-installment=[i.installment_id] data-payment=[i.payment_id] {
                                td {} td {}
                                td { (i.reference) }
                                td { (kind_words(lang, &i.kind)) }
                                td.num { @if let Some(seq) = i.seq { (seq) } }
                                td.num { (date(i.date, lang)) }
                                td.num { (amount(i.amount, lang)) }
                                td.num.open { (amount(i.amount_open, lang)) }
                                td.num { (i.dunning_level) }
                                td {}
                            }
                        }
                    }
                }
                tfoot #sb-totals {
                    @for m in totals {
                        tr data-currency=(m.currency().code()) {
                            td colspan="7" { (t(lang, Msg::Total)) " " (m.currency().code()) }
                            td.num { (amount(*m, lang)) }
                            td {} td {}
                        }
                    }
                }
            }
            (controls::pager(lang, offset, shown.len(), s.group_count, GROUPS_PER_PAGE as i64, |o| q.href(q.view(), Some(o))))
        }
    })
}

/// A group's action buttons: each opens the preview of its action on the group.
fn group_form(user: &WebUser, q: &ListQuery, g: &SmallGroup, credits: bool) -> Markup {
    let lang = user.lang();
    let who = format!("{} {}", g.customer_number, g.contract_number.as_deref().unwrap_or(""));
    let who = who.trim();
    let open = amount(g.total, lang);
    let (first, first_label, second, second_label) = if credits {
        (M::Deduct, M::DeductLabel, M::WriteOffCredit, M::WriteOffCreditLabel)
    } else {
        (M::Rebill, M::RebillLabel, M::WriteOff, M::WriteOffLabel)
    };
    html! {
        form.inline.group-actions method="post" action=(format!("{PATH}/actions/apercu")) {
            (csrf::hidden(user.csrf()))
            input type="hidden" name="group.customer_id" value=(g.customer_id);
            @if let Some(c) = g.contract_id { input type="hidden" name="group.contract_id" value=(c); }
            @if credits { input type="hidden" name="group.credits" value="true"; }
            input type="hidden" name="group.currency" value=(g.total.currency().code());
            @if let Some(v) = query_args::text(&q.threshold) { input type="hidden" name="group.threshold" value=(v); }
            @if let Some(v) = query_args::text(&q.older_than_days) { input type="hidden" name="group.older_than_days" value=(v); }
            button.small.rebill type="submit" name="action" value="rebill" aria-label=(tf(lang, first_label, &[who, &open])) { (t(lang, first)) }
            " "
            button.small.write-off type="submit" name="action" value="write_off" aria-label=(tf(lang, second_label, &[who, &open])) { (t(lang, second)) }
        }
    }
}

/// A charge's or an action's undo button (clerk, while it can be undone).
fn undo_form(user: &WebUser, action_id: i64) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    Ok(html! {
        form.inline method="post" action=(format!("{PATH}/actions/{action_id}/annulation")) onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            button.small.danger.undo type="submit" aria-label=(tf(lang, M::UndoLabel, &[&action_id.to_string()])) { (t(lang, M::Undo)) }
        }
    })
}

/// The date of a stored timestamp (`2026-11-22T10:15:00Z`), in the user's words.
fn stamp_date(lang: Language, stamp: &str) -> String {
    stamp.get(..10).and_then(|d| Date::parse(d).ok()).map_or_else(|| stamp.to_string(), |d| date(d, lang))
}

/// Totals per currency of `amounts` (the page's rows).
fn sums(amounts: impl Iterator<Item = Money>) -> Result<Vec<MoneyTotal>, WebError> {
    let mut out: Vec<MoneyTotal> = Vec::new();
    for m in amounts {
        let overflow = |e| WebError::Internal(anyhow::anyhow!("a page total overflows: {e}"));
        match out.iter_mut().find(|t| t.currency() == m.currency()) {
            Some(t) => *t = t.checked_add(m).map_err(overflow)?,
            None => out.push(MoneyTotal::zero(m.currency()).checked_add(m).map_err(overflow)?),
        }
    }
    out.sort_by_key(|t| t.currency().code());
    Ok(out)
}

fn charges(user: &WebUser, q: &ListQuery, list: &Listed<RebillCharge>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let totals = sums(list.items.iter().map(|c| c.amount))?;
    let whole = list.total_count as usize == list.items.len();
    let export = |format: &str, dialect: Option<&str>| {
        let mut p = vec![("view", "charges".to_string()), ("format", format.to_string())];
        if let Some(d) = dialect {
            p.push(("dialect", d.to_string()));
        }
        controls::link(&format!("{PATH}/export"), &p)
    };
    let mut rows = Vec::with_capacity(list.items.len());
    for c in &list.items {
        let undo = if user.can_write() { Some(undo_form(user, c.action_id)?) } else { None };
        rows.push((c, undo));
    }
    Ok(html! {
        div.schedule-bar {
            p.intro { (t(lang, M::PendingIntro)) }
            (controls::exports(t(lang, M::ExportCharges), t(lang, M::ExportCsv), t(lang, M::ExportCsvExcel), t(lang, M::ExportPdf), export))
        }
        @if list.items.is_empty() {
            p.empty #sb-empty { (t(lang, M::NoPending)) }
        } @else {
            table.list #sb-charges {
                thead { tr {
                    th.num { (t(lang, Msg::Number)) } th.num { (t(lang, M::Created)) } th { (t(lang, M::Customer)) }
                    th { (t(lang, M::Contract)) } th { (t(lang, M::Text)) } th.num { (t(lang, Msg::Amount)) }
                    th { (t(lang, M::Action)) } th { span.visually-hidden { (t(lang, M::Undo)) } }
                } }
                tbody { @for (c, undo) in &rows { tr data-charge=(c.id) data-action=(c.action_id) {
                    td.num { (c.id) }
                    td.num { (stamp_date(lang, &c.created_at)) }
                    td { (c.customer_number) }
                    td { (c.contract_number) }
                    td.text { (c.text) }
                    td.num.open { (amount(c.amount, lang)) }
                    td { a href=(format!("{PATH}/actions/{}", c.action_id)) { (tf(lang, M::ActionShort, &[&c.action_id.to_string()])) } }
                    td.action { @if let Some(u) = undo { (u) } }
                } } }
                tfoot { @for s in &totals { tr {
                    td colspan="5" { (if whole { t(lang, Msg::Total) } else { t(lang, M::PageTotal) }) " " (s.currency().code()) }
                    td.num { (total(*s, lang)) } td {} td {}
                } } }
            }
            (controls::pager(lang, list.offset, list.items.len(), list.total_count, PAGE_SIZE, |o| q.href(View::Charges, Some(o))))
        }
    })
}

fn actions_list(user: &WebUser, q: &ListQuery, list: &Listed<ActionView>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let mut rows = Vec::with_capacity(list.items.len());
    for a in &list.items {
        let undo = if user.can_write() && a.undoable { Some(undo_form(user, a.id)?) } else { None };
        rows.push((a, undo));
    }
    Ok(html! {
        @if list.items.is_empty() {
            p.empty #sb-empty { (t(lang, M::NoActions)) }
        } @else {
            table.list #sb-actions {
                thead { tr {
                    th.num { (t(lang, M::Action)) } th.num { (t(lang, M::ActionDate)) } th { (t(lang, M::Kind)) }
                    th { (t(lang, M::Status)) } th { (t(lang, M::Customer)) } th { (t(lang, M::Contract)) }
                    th.num { (t(lang, M::DebitTotal)) } th.num { (t(lang, M::CreditTotal)) } th { (t(lang, M::ChargeStatus)) }
                    th { span.visually-hidden { (t(lang, M::Undo)) } }
                } }
                tbody { @for (a, undo) in &rows { tr data-action=(a.id) {
                    td.num { a href=(format!("{PATH}/actions/{}", a.id)) { (a.id) } }
                    td.num { (date(a.date, lang)) }
                    td { (messages::kind(lang, &a.kind)) }
                    td { (messages::status(lang, &a.status)) }
                    td { (a.customer_number) }
                    td { (a.contract_number.as_deref().unwrap_or("")) }
                    td.num { (amount(a.debit_total, lang)) }
                    td.num { (amount(a.credit_total, lang)) }
                    td { @if let Some(c) = &a.charge { (messages::charge_status(lang, &c.status)) " " (amount(c.amount, lang)) } }
                    td.action { @if let Some(u) = undo { (u) } }
                } } }
            }
            (controls::pager(lang, list.offset, list.items.len(), list.total_count, PAGE_SIZE, |o| q.href(View::Actions, Some(o))))
        }
    })
}

/// `GET /petits-soldes/export?format=csv|pdf&…`: the extraction as the page shows it (its filters),
/// every item on its own row, debits then credits, as `GET /small-balances?format=` answers it; with
/// `view=charges`, the pending rebill charges as `GET /rebill-charges?status=pending&format=`.
pub async fn export(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let parsed = (|| {
        let format = Format::parse(query_args::text(&q.format).as_deref().unwrap_or("csv"))?;
        let dialect = match query_args::text(&q.dialect) {
            Some(d) => exports::parse_dialect(&d)?,
            None => exports::Dialect::Standard,
        };
        Ok::<_, AppError>((format, dialect, q.extraction()?))
    })();
    let (format, dialect, extraction) = match parsed {
        Ok(p) => p,
        Err(AppError::Invalid(fe)) => {
            let listing = Listing::Refused(fe);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(screen(&user, &q, &listing)?)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let company_id = user.company_id();
    let today = user.at.date();
    let charges_view = q.view() == View::Charges;
    let filters: Vec<(String, String)> = if charges_view {
        vec![("status".into(), "pending".into())]
    } else {
        q.filters().into_iter().map(|(n, v)| (n.to_string(), v)).collect()
    };
    // A refusal (a bad filter) is shown on the page before any file starts.
    if !charges_view {
        if let Err(e) = app.small_balance_rows(company_id, &extraction, today, Page { limit: 1, offset: 0 }).await {
            return match e {
                AppError::Invalid(fe) => {
                    let listing = Listing::Refused(fe);
                    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(screen(&user, &q, &listing)?)).into_response())
                }
                e => Err(e.into()),
            };
        }
    }
    let spec = if charges_view { &lists::REBILL_CHARGES } else { &lists::SMALL_BALANCES };
    let a = app.clone();
    match format {
        Format::Pdf => {
            let header = PdfHeader { printed_on: today, filters };
            let bytes = if charges_view {
                let fetch = move |page: Page| {
                    let a = a.clone();
                    async move {
                        let cq = ChargeQuery { status: Some("pending".into()), ..Default::default() };
                        a.rebill_charges(company_id, &cq, page).await
                    }
                };
                app.export_pdf_pages(company_id, spec, header, fetch).await
            } else {
                let fetch = move |page: Page| {
                    let (a, e) = (a.clone(), extraction.clone());
                    async move { a.small_balance_rows(company_id, &e, today, page).await }
                };
                app.export_pdf_pages(company_id, spec, header, fetch).await
            };
            match bytes {
                Ok(b) => Ok(Export::pdf(spec, b)),
                Err(AppError::Invalid(fe)) => {
                    let listing = Listing::Refused(fe);
                    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(screen(&user, &q, &listing)?)).into_response())
                }
                Err(e) => Err(e.into()),
            }
        }
        Format::Csv | Format::Json => {
            let export = Export { format: Format::Csv, dialect, filters };
            Ok(export.csv(spec, move |mut sink| async move {
                let r = if charges_view {
                    let fetch = move |page: Page| {
                        let a = a.clone();
                        async move {
                            let cq = ChargeQuery { status: Some("pending".into()), ..Default::default() };
                            a.rebill_charges(company_id, &cq, page).await
                        }
                    };
                    app.export_csv_pages(spec, dialect, CHUNK_ROWS, fetch, &mut sink).await
                } else {
                    let fetch = move |page: Page| {
                        let (a, e) = (a.clone(), extraction.clone());
                        async move { a.small_balance_rows(company_id, &e, today, page).await }
                    };
                    app.export_csv_pages(spec, dialect, CHUNK_ROWS, fetch, &mut sink).await
                };
                (sink, r)
            }))
        }
    }
}
