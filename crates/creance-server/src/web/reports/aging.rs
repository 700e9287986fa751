//! The aging report ("balance âgée"): `GET /rapports/balance-agee` with the API's parameters
//! (`as_of`, `basis`, `buckets`, `customer`, `customer_from`, `customer_to`, `currency`), the rows
//! of one page (`offset`), the totals per currency of the whole report, each customer linking to
//! its statement up to the same date; `format=csv|pdf` exports the report as the API does.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use creance_app::exports::{Format, PdfHeader};
use creance_app::queries::Page;
use creance_app::reports::{AgingArgs, AgingLine, AgingReport, ReportSettingsView};
use creance_app::{query_args, App, AppError, FieldError};
use creance_core::Language;
use maud::{html, Markup};
use serde::Deserialize;

use super::controls::{self, Input};
use super::messages::M;
use super::{bucket_titles, export_of, subtabs, Report, PAGE_SIZE};
use crate::web::format::{count, date, total};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page as frame, Tab};
use crate::web::{html, WebError, WebUser};

const PATH: &str = "/rapports/balance-agee";
/// The parameters, in the order of the form (the API's names).
const FIELDS: [&str; 7] = ["as_of", "basis", "buckets", "customer", "customer_from", "customer_to", "currency"];

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgingQuery {
    as_of: Option<String>,
    basis: Option<String>,
    buckets: Option<String>,
    customer: Option<String>,
    customer_from: Option<String>,
    customer_to: Option<String>,
    currency: Option<String>,
    offset: Option<String>,
    format: Option<String>,
    dialect: Option<String>,
}

impl AgingQuery {
    fn value(&self, name: &str) -> &str {
        let v = match name {
            "as_of" => &self.as_of,
            "basis" => &self.basis,
            "buckets" => &self.buckets,
            "customer" => &self.customer,
            "customer_from" => &self.customer_from,
            "customer_to" => &self.customer_to,
            "currency" => &self.currency,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        FIELDS.iter().map(|n| (*n, self.value(n).trim().to_string())).filter(|(_, v)| !v.is_empty()).collect()
    }

    fn args(&self) -> AgingArgs {
        AgingArgs {
            as_of: query_args::text(&self.as_of),
            basis: query_args::text(&self.basis),
            buckets: query_args::text(&self.buckets),
            customer: query_args::text(&self.customer),
            customer_from: query_args::text(&self.customer_from),
            customer_to: query_args::text(&self.customer_to),
            currency: query_args::text(&self.currency),
            format: None,
            dialect: None,
        }
    }

    fn offset(&self) -> usize {
        self.offset.as_deref().and_then(|o| o.trim().parse::<usize>().ok()).unwrap_or(0)
    }

    fn href(&self, extra: &[(&'static str, String)]) -> String {
        let mut p = self.params();
        p.extend_from_slice(extra);
        controls::link(PATH, &p)
    }
}

/// `GET /rapports/balance-agee`.
pub async fn page(State(app): State<App>, user: WebUser, Query(q): Query<AgingQuery>) -> Result<Response, WebError> {
    let company = user.company_id();
    let today = user.at.date();
    let settings = app.report_settings(company).await?;
    let refused = |fe: FieldError| -> Result<Response, WebError> {
        let body = html(screen(&user, &q, &settings, None, Some(&fe)));
        Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
    };
    let export = match export_of(&q.format, &q.dialect) {
        Ok(e) => e,
        Err(AppError::Invalid(fe)) => return refused(fe),
        Err(e) => return Err(e.into()),
    };
    // The screen reads its page and the totals; an export every row.
    let found = match export {
        None => {
            let page = Page { limit: PAGE_SIZE as i64, offset: i64::try_from(q.offset()).unwrap_or(i64::MAX) };
            app.aging_report_page(company, &q.args(), today, page).await.map(|p| (p.report, p.total_count))
        }
        Some(_) => app.aging_report(company, &q.args(), today).await.map(|r| {
            let n = r.rows.len() as i64;
            (r, n)
        }),
    };
    let (r, total_count) = match found {
        Ok(r) => r,
        Err(AppError::Invalid(fe)) => return refused(fe),
        Err(e) => return Err(e.into()),
    };
    match export {
        None => Ok(html(screen(&user, &q, &settings, Some((&r, total_count)), None)).into_response()),
        Some((Format::Pdf, _)) => {
            let filters = q.params().into_iter().map(|(n, v)| (n.to_string(), v)).collect();
            match app.aging_pdf(company, &r, PdfHeader { printed_on: today, filters }).await {
                Ok(bytes) => Ok(controls::attachment("application/pdf", &format!("aging-{}.pdf", r.as_of), bytes)),
                Err(AppError::Invalid(fe)) => refused(fe),
                Err(e) => Err(e.into()),
            }
        }
        Some((_, dialect)) => {
            Ok(controls::attachment("text/csv; charset=utf-8", &format!("aging-{}.csv", r.as_of), r.csv(dialect)?))
        }
    }
}

fn screen(
    user: &WebUser,
    q: &AgingQuery,
    settings: &ReportSettingsView,
    r: Option<(&AgingReport, i64)>,
    problem: Option<&FieldError>,
) -> Markup {
    let lang = user.lang();
    let body = html! {
        h1 { (t(lang, M::Title)) " · " (t(lang, M::Aging)) }
        (subtabs(lang, Report::Aging))
        p.intro { (t(lang, M::AgingIntro)) }
        (form(lang, q, settings, r.map(|r| r.0), problem))
        (controls::orphan_error(lang, problem, &FIELDS))
        @match r {
            None => { p.empty { (t(lang, M::NotShownForError)) } }
            Some((r, total_count)) => { (report(user, q, r, total_count)) }
        }
    };
    frame(user, Tab::Reports, t(lang, M::Aging), body)
}

fn form(
    lang: Language,
    q: &AgingQuery,
    settings: &ReportSettingsView,
    r: Option<&AgingReport>,
    problem: Option<&FieldError>,
) -> Markup {
    let f = |name: &str, label: M, hint: Option<String>, input: Input, value: String| {
        controls::field(lang, name, t(lang, label), &value, hint.as_deref(), input, problem)
    };
    let typed = |name: &str| q.value(name).to_string();
    // The date the report is at, when none was typed.
    let as_of = if typed("as_of").trim().is_empty() {
        r.map(|r| r.as_of.to_string()).unwrap_or_default()
    } else {
        typed("as_of")
    };
    let basis =
        if typed("basis").trim().is_empty() { settings.aging_basis.clone() } else { typed("basis").trim().to_string() };
    let basis_error = problem.filter(|p| p.field == "basis");
    html! {
        form.filters #aging-filters method="get" action=(PATH) aria-label=(t(lang, M::Filters)) {
            div.filter-grid.aging-grid {
                (f("as_of", M::AsOf, Some(t(lang, M::AsOfHint).into()), Input::Date, as_of))
                div.field.invalid[basis_error.is_some()] {
                    label for="f-basis" { (t(lang, M::Basis)) }
                    select #f-basis name="basis" aria-invalid=[basis_error.map(|_| "true")] aria-describedby=[basis_error.map(|_| "basis-error")] {
                        option value="due_date" selected[basis == "due_date"] { (t(lang, M::BasisDueDate)) }
                        option value="document_date" selected[basis == "document_date"] { (t(lang, M::BasisDocumentDate)) }
                    }
                    @if let Some(e) = basis_error { p.field-error #basis-error role="alert" { (crate::web::refusal::field(lang, e)) } }
                }
                (f("buckets", M::Buckets, Some(tf(lang, M::BucketsHint, &[&settings.aging_buckets])), Input::Text, typed("buckets")))
                (f("customer", M::Customer, Some(t(lang, M::CustomerHint).into()), Input::Text, typed("customer")))
                div.pair {
                    (f("customer_from", M::CustomerFrom, None, Input::Text, typed("customer_from")))
                    (f("customer_to", M::CustomerTo, None, Input::Text, typed("customer_to")))
                }
                (f("currency", M::CurrencyField, None, Input::Text, typed("currency")))
                div.filter-actions.in-grid {
                    button.primary #apply type="submit" { (t(lang, M::Apply)) }
                    @if !q.params().is_empty() { a #reset href=(PATH) { (t(lang, M::Reset)) } }
                }
            }
        }
    }
}

/// The page of `r` (its rows are the page's, its totals the whole report's, `total_count` rows).
fn report(user: &WebUser, q: &AgingQuery, r: &AgingReport, total_count: i64) -> Markup {
    let lang = user.lang();
    let titles = bucket_titles(lang, &r.buckets);
    let offset = q.offset();
    let rows: Vec<&AgingLine> = r.rows.iter().take(PAGE_SIZE).collect();
    let export = |format: &str, dialect: Option<&str>| {
        let mut extra = vec![("format", format.to_string())];
        if let Some(d) = dialect {
            extra.push(("dialect", d.to_string()));
        }
        // The date the page shows, so that the file is the same report even tomorrow.
        if q.value("as_of").trim().is_empty() {
            extra.push(("as_of", r.as_of.to_string()));
        }
        q.href(&extra)
    };
    let statement = |l: &AgingLine| {
        controls::link(
            "/rapports/releve",
            &[
                ("customer", l.customer_number.clone()),
                ("to", r.as_of.to_string()),
                ("currency", l.currency.code().to_string()),
            ],
        )
    };
    html! {
        div.schedule-bar {
            p #aging-summary {
                @if r.past { (tf(lang, M::AgingPast, &[&date(r.as_of, lang)])) } @else { (tf(lang, M::AgingToday, &[&date(r.as_of, lang)])) }
                " " (tf(lang, M::Customers, &[&count(total_count, lang)]))
            }
            (controls::exports(t(lang, M::Export), t(lang, M::ExportCsv), t(lang, M::ExportCsvExcel), t(lang, M::ExportPdf), export))
        }
        @if total_count == 0 {
            p.empty #aging-empty { (t(lang, if q.params().iter().any(|(n, _)| *n != "as_of" && *n != "basis") { M::NoAgingFiltered } else { M::NoAging })) }
        } @else {
            table.list.report #aging data-as-of=(r.as_of.to_string()) {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th { (t(lang, M::Name)) } th { (t(lang, M::CurrencyCol)) }
                    @for (b, title) in r.buckets.iter().zip(&titles) { th.num data-bucket=(b.key) { (title) } }
                    th.num { (t(lang, M::DebitsOpen)) } th.num { (t(lang, M::CreditsUnallocated)) }
                    th.num { (t(lang, M::RefundsToAllocate)) } th.num { (t(lang, M::Balance)) }
                } }
                tbody { @for l in &rows {
                    tr data-customer=(l.customer_number) data-currency=(l.currency.code()) {
                        td { a href=(statement(l)) title=(tf(lang, M::StatementLink, &[&l.customer_number])) { (l.customer_number) } }
                        td.name { (l.customer_name) }
                        td { (l.currency.code()) }
                        @for (b, v) in r.buckets.iter().zip(&l.buckets) { td.num data-bucket=(b.key) { (total(*v, lang)) } }
                        td.num { (total(l.debits_open, lang)) }
                        td.num { (total(l.credits_unallocated, lang)) }
                        td.num { (total(l.refunds_to_allocate, lang)) }
                        td.num.open { (total(l.balance, lang)) }
                    }
                } }
                tfoot #aging-totals { @for l in &r.totals {
                    tr data-currency=(l.currency.code()) {
                        td colspan="3" { (t(lang, Msg::Total)) " " (l.currency.code()) }
                        @for (b, v) in r.buckets.iter().zip(&l.buckets) { td.num data-bucket=(b.key) { (total(*v, lang)) } }
                        td.num { (total(l.debits_open, lang)) }
                        td.num { (total(l.credits_unallocated, lang)) }
                        td.num { (total(l.refunds_to_allocate, lang)) }
                        td.num { (total(l.balance, lang)) }
                    }
                } }
            }
            (controls::pager(lang, i64::try_from(offset).unwrap_or(i64::MAX), rows.len(), total_count, PAGE_SIZE as i64, |o| q.href(&[("offset", o.to_string())])))
        }
    }
}
