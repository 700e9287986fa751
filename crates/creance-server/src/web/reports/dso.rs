//! Days sales outstanding: `GET /rapports/dso` with the API's parameters (`from`, `to`, `customer`,
//! `currency`); per customer and currency the receivables at `to`, the period's sales and the two
//! DSO figures, one page of rows (`offset`) and the company's figures per currency;
//! `format=csv|pdf` exports the report as the API does. `from` defaults to 90 days up to `to`.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use creance_app::exports::{Format, PdfHeader};
use creance_app::queries::Page;
use creance_app::reports::{DsoArgs, DsoLine, DsoReport};
use creance_app::{query_args, App, AppError, FieldError};
use creance_core::{Date, Language};
use maud::{html, Markup};
use serde::Deserialize;

use super::controls::{self, Input};
use super::messages::M;
use super::{days_words, export_of, subtabs, Report, PAGE_SIZE};
use crate::web::format::{count, date, total};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page as frame, Tab};
use crate::web::{html, WebError, WebUser};

const PATH: &str = "/rapports/dso";
const FIELDS: [&str; 4] = ["from", "to", "customer", "currency"];
/// The default period, in days up to `to` (both ends included).
const DEFAULT_DAYS: i64 = 90;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DsoQuery {
    from: Option<String>,
    to: Option<String>,
    customer: Option<String>,
    currency: Option<String>,
    offset: Option<String>,
    format: Option<String>,
    dialect: Option<String>,
}

impl DsoQuery {
    fn value(&self, name: &str) -> String {
        let v = match name {
            "from" => &self.from,
            "to" => &self.to,
            "customer" => &self.customer,
            "currency" => &self.currency,
            _ => &None,
        };
        v.as_deref().unwrap_or("").trim().to_string()
    }

    /// The parameters, the period filled in with its defaults.
    fn resolved(&self, today: Date) -> Vec<(&'static str, String)> {
        let to = query_args::date("to", &self.to).ok().flatten().unwrap_or(today);
        FIELDS
            .iter()
            .map(|n| {
                let mut v = self.value(n);
                if v.is_empty() && *n == "to" {
                    v = to.to_string();
                }
                if v.is_empty() && *n == "from" {
                    v = to.add_days(1 - DEFAULT_DAYS).to_string();
                }
                (*n, v)
            })
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    fn args(&self, today: Date) -> DsoArgs {
        let p = self.resolved(today);
        let get = |n: &str| p.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
        DsoArgs {
            from: get("from"),
            to: get("to"),
            customer: get("customer"),
            currency: get("currency"),
            format: None,
            dialect: None,
        }
    }

    fn offset(&self) -> usize {
        self.offset.as_deref().and_then(|o| o.trim().parse::<usize>().ok()).unwrap_or(0)
    }
}

/// `GET /rapports/dso`.
pub async fn page(State(app): State<App>, user: WebUser, Query(q): Query<DsoQuery>) -> Result<Response, WebError> {
    let company = user.company_id();
    let today = user.at.date();
    let refused = |fe: FieldError| -> Result<Response, WebError> {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, html(screen(&user, &q, None, Some(&fe)))).into_response())
    };
    let export = match export_of(&q.format, &q.dialect) {
        Ok(e) => e,
        Err(AppError::Invalid(fe)) => return refused(fe),
        Err(e) => return Err(e.into()),
    };
    // The screen reads its page and the company's figures; an export every row.
    let found = match export {
        None => {
            let page = Page { limit: PAGE_SIZE as i64, offset: i64::try_from(q.offset()).unwrap_or(i64::MAX) };
            app.dso_report_page(company, &q.args(today), today, page).await.map(|p| (p.report, p.total_count))
        }
        Some(_) => app.dso_report(company, &q.args(today), today).await.map(|r| {
            let n = r.rows.len() as i64;
            (r, n)
        }),
    };
    let (r, total_count) = match found {
        Ok(r) => r,
        Err(AppError::Invalid(fe)) => return refused(fe),
        Err(e) => return Err(e.into()),
    };
    let name = format!("dso-{}-{}", r.from, r.to);
    match export {
        None => Ok(html(screen(&user, &q, Some((&r, total_count)), None)).into_response()),
        Some((Format::Pdf, _)) => {
            let filters = q.resolved(today).into_iter().map(|(n, v)| (n.to_string(), v)).collect();
            match app.dso_pdf(company, &r, PdfHeader { printed_on: today, filters }).await {
                Ok(bytes) => Ok(controls::attachment("application/pdf", &format!("{name}.pdf"), bytes)),
                Err(AppError::Invalid(fe)) => refused(fe),
                Err(e) => Err(e.into()),
            }
        }
        Some((_, dialect)) => {
            Ok(controls::attachment("text/csv; charset=utf-8", &format!("{name}.csv"), r.csv(dialect)?))
        }
    }
}

fn screen(user: &WebUser, q: &DsoQuery, r: Option<(&DsoReport, i64)>, problem: Option<&FieldError>) -> Markup {
    let lang = user.lang();
    let values = q.resolved(user.at.date());
    let value = |n: &str| values.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = |name: &str, label: M, hint: Option<M>, input: Input| {
        controls::field(lang, name, t(lang, label), &value(name), hint.map(|h| t(lang, h)), input, problem)
    };
    let body = html! {
        h1 { (t(lang, M::Title)) " · " (t(lang, M::Dso)) }
        (subtabs(lang, Report::Dso))
        p.intro { (t(lang, M::DsoIntro)) }
        form.filters #dso-filters method="get" action=(PATH) aria-label=(t(lang, M::Filters)) {
            div.filter-grid {
                (f("from", M::From, Some(M::DsoFromHint), Input::Date))
                (f("to", M::To, Some(M::ToHint), Input::Date))
                (f("customer", M::Customer, Some(M::CustomerHint), Input::Text))
                (f("currency", M::CurrencyField, None, Input::Text))
                div.filter-actions.in-grid { button.primary #apply type="submit" { (t(lang, M::Apply)) } }
            }
        }
        (controls::orphan_error(lang, problem, &FIELDS))
        @match r {
            None => { p.empty { (t(lang, M::NotShownForError)) } }
            Some((r, total_count)) => { (report(lang, q, &values, r, total_count)) }
        }
    };
    frame(user, Tab::Reports, t(lang, M::Dso), body)
}

fn countback(lang: Language, l: &DsoLine) -> Markup {
    html! {
        @if l.countback_beyond_period {
            span title=(t(lang, M::BeyondPeriod)) { "≥ " (days_words(lang, l.dso_countback)) }
        } @else {
            (days_words(lang, l.dso_countback))
        }
    }
}

/// The page of `r` (its rows are the page's, its totals the company's, `total_count` rows in all).
fn report(lang: Language, q: &DsoQuery, values: &[(&'static str, String)], r: &DsoReport, total_count: i64) -> Markup {
    let offset = q.offset();
    let rows: Vec<&DsoLine> = r.rows.iter().take(PAGE_SIZE).collect();
    let href = |extra: &[(&'static str, String)]| {
        let mut p = values.to_vec();
        p.extend_from_slice(extra);
        controls::link(PATH, &p)
    };
    let export = |format: &str, dialect: Option<&str>| {
        let mut extra = vec![("format", format.to_string())];
        if let Some(d) = dialect {
            extra.push(("dialect", d.to_string()));
        }
        href(&extra)
    };
    html! {
        div.schedule-bar {
            p #dso-summary {
                (tf(lang, M::DsoPeriod, &[&date(r.from, lang), &date(r.to, lang), &count(r.days, lang)])) " "
                (tf(lang, M::Customers, &[&count(total_count, lang)]))
            }
            (controls::exports(t(lang, M::Export), t(lang, M::ExportCsv), t(lang, M::ExportCsvExcel), t(lang, M::ExportPdf), export))
        }
        @if total_count == 0 {
            p.empty #dso-empty { (t(lang, M::NoDso)) }
        } @else {
            table.list.report #dso {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th { (t(lang, M::Name)) } th { (t(lang, M::CurrencyCol)) }
                    th.num { (t(lang, M::Receivables)) } th.num { (t(lang, M::Sales)) }
                    th.num { (t(lang, M::DsoSimple)) } th.num { (t(lang, M::DsoCountback)) }
                } }
                tbody { @for l in &rows { tr data-customer=(l.customer_number) data-currency=(l.currency.code()) {
                    td { (l.customer_number) } td.name { (l.customer_name) } td { (l.currency.code()) }
                    td.num { (total(l.receivables, lang)) } td.num { (total(l.sales, lang)) }
                    td.num { @if let Some(d) = l.dso_simple { (days_words(lang, d)) } @else { "—" } }
                    td.num { (countback(lang, l)) }
                } } }
                tfoot #dso-totals { @for l in &r.totals { tr data-currency=(l.currency.code()) {
                    td colspan="3" { (t(lang, M::Company)) " · " (t(lang, Msg::Total)) " " (l.currency.code()) }
                    td.num { (total(l.receivables, lang)) } td.num { (total(l.sales, lang)) }
                    td.num { @if let Some(d) = l.dso_simple { (days_words(lang, d)) } @else { "—" } }
                    td.num { (countback(lang, l)) }
                } } }
            }
            (controls::pager(lang, i64::try_from(offset).unwrap_or(i64::MAX), rows.len(), total_count, PAGE_SIZE as i64, |o| href(&[("offset", o.to_string())])))
        }
    }
}
