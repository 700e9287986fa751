//! The customer statement ("relevé de compte"): `GET /rapports/releve` with the API's parameters
//! (`customer`, `from`, `to`, `currency`); per currency the opening balance, every line of the
//! period with its debit or credit and the running balance, the closing balance and the aging at
//! `to`; `format=csv|pdf` exports it as the API does (the PDF in the customer's language). Without
//! a customer the page asks for one; `from` defaults to the first day of the month eleven months
//! before `to`'s (twelve calendar months), and is sent to the app as given.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use creance_app::exports::Format;
use creance_app::reports::{Statement, StatementArgs, StatementCurrency};
use creance_app::{query_args, App, AppError, FieldError};
use creance_core::{Date, DocumentKind, Language, Money};
use maud::{html, Markup};
use serde::Deserialize;

use super::controls::{self, Input};
use super::messages::M;
use super::{bucket_titles, export_of, subtabs, Report};
use crate::web::format::{amount, date, total};
use crate::web::i18n::{t, tf, ui_language, Msg};
use crate::web::layout::{page as frame, Tab};
use crate::web::{html, WebError, WebUser};

const PATH: &str = "/rapports/releve";
const FIELDS: [&str; 4] = ["customer", "from", "to", "currency"];

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatementQuery {
    customer: Option<String>,
    from: Option<String>,
    to: Option<String>,
    currency: Option<String>,
    format: Option<String>,
    dialect: Option<String>,
}

/// Twelve calendar months up to `to`: the first day of the month eleven months before its month.
fn default_from(to: Date) -> Date {
    let (mut y, mut m) = (to.year(), to.month() as i32 - 11);
    if m <= 0 {
        y -= 1;
        m += 12;
    }
    Date::from_ymd(y, m as u32, 1).unwrap_or(to)
}

impl StatementQuery {
    fn value(&self, name: &str) -> String {
        let v = match name {
            "customer" => &self.customer,
            "from" => &self.from,
            "to" => &self.to,
            "currency" => &self.currency,
            _ => &None,
        };
        v.as_deref().unwrap_or("").trim().to_string()
    }

    /// The parameters, `from` and `to` filled in with their defaults (the period the page shows).
    fn resolved(&self, today: Date) -> Vec<(&'static str, String)> {
        let to_typed = query_args::date("to", &self.to).ok().flatten();
        let mut p: Vec<(&'static str, String)> = Vec::new();
        for n in FIELDS {
            let mut v = self.value(n);
            if v.is_empty() && n == "to" {
                v = today.to_string();
            }
            if v.is_empty() && n == "from" {
                v = default_from(to_typed.unwrap_or(today)).to_string();
            }
            if !v.is_empty() {
                p.push((n, v));
            }
        }
        p
    }

    fn args(&self, today: Date) -> StatementArgs {
        let p = self.resolved(today);
        let get = |n: &str| p.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
        StatementArgs {
            customer: get("customer"),
            from: get("from"),
            to: get("to"),
            currency: get("currency"),
            format: None,
            dialect: None,
        }
    }
}

/// `GET /rapports/releve`.
pub async fn page(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<StatementQuery>,
) -> Result<Response, WebError> {
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
    if q.value("customer").is_empty() && export.is_none() {
        return Ok(html(screen(&user, &q, None, None)).into_response());
    }
    let s = match app.statement(company, &q.args(today), today).await {
        Ok(s) => s,
        Err(AppError::Invalid(fe)) => return refused(fe),
        Err(e) => return Err(e.into()),
    };
    match export {
        None => Ok(html(screen(&user, &q, Some(&s), None)).into_response()),
        Some((Format::Pdf, _)) => {
            let pdf = app.statement_pdf(company, &s, today).await?;
            Ok(controls::attachment("application/pdf", &pdf.file_name, pdf.bytes))
        }
        Some((_, dialect)) => {
            let name = format!("statement-{}-{}-{}.csv", s.customer_number, s.from, s.to);
            Ok(controls::attachment("text/csv; charset=utf-8", &name, s.csv(dialect)?))
        }
    }
}

fn screen(user: &WebUser, q: &StatementQuery, s: Option<&Statement>, problem: Option<&FieldError>) -> Markup {
    let lang = user.lang();
    let today = user.at.date();
    let values = q.resolved(today);
    let value = |n: &str| values.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = |name: &str, label: M, hint: Option<M>, input: Input| {
        controls::field(lang, name, t(lang, label), &value(name), hint.map(|h| t(lang, h)), input, problem)
    };
    let export = |format: &str, dialect: Option<&str>| {
        let mut p = values.clone();
        p.push(("format", format.to_string()));
        if let Some(d) = dialect {
            p.push(("dialect", d.to_string()));
        }
        controls::link(PATH, &p)
    };
    let body = html! {
        h1 { (t(lang, M::Title)) " · " (t(lang, M::Statement)) }
        (subtabs(lang, Report::Statement))
        p.intro { (t(lang, M::StatementIntro)) }
        form.filters #statement-filters method="get" action=(PATH) aria-label=(t(lang, M::Filters)) {
            div.filter-grid {
                (f("customer", M::Customer, None, Input::Text))
                (f("from", M::From, Some(M::FromHint), Input::Date))
                (f("to", M::To, Some(M::ToHint), Input::Date))
                (f("currency", M::CurrencyField, None, Input::Text))
                div.filter-actions.in-grid { button.primary #apply type="submit" { (t(lang, M::Apply)) } }
            }
        }
        (controls::orphan_error(lang, problem, &FIELDS))
        @match (s, problem) {
            (_, Some(_)) => { p.empty { (t(lang, M::NotShownForError)) } }
            (None, None) => { p.empty #statement-choose { (t(lang, M::StatementChoose)) } }
            (Some(s), None) => {
                div.schedule-bar {
                    p #statement-of {
                        strong { (tf(lang, M::StatementOf, &[&s.customer_number, &s.customer_name])) } " · "
                        (tf(lang, M::Period, &[&date(s.from, lang), &date(s.to, lang)]))
                    }
                    (controls::exports(t(lang, M::Export), t(lang, M::ExportCsv), t(lang, M::ExportCsvExcel), t(lang, M::ExportPdf), export))
                }
                @for c in &s.currencies { (currency_section(lang, s, c)) }
            }
        }
    };
    frame(user, Tab::Reports, t(lang, M::Statement), body)
}

/// A line's entry in words: a document kind, a payment, a refund or an allocation.
fn entry_words(lang: Language, entry: &str) -> String {
    match DocumentKind::parse(entry) {
        Some(k) => creance_render::labels::document_kind(k, ui_language(lang)).to_string(),
        None => t(
            lang,
            match entry {
                "payment" => M::EntryPayment,
                "refund" => M::EntryRefund,
                _ => M::EntryAllocation,
            },
        )
        .to_string(),
    }
}

fn currency_section(lang: Language, s: &Statement, c: &StatementCurrency) -> Markup {
    let code = c.currency.code();
    let titles = bucket_titles(lang, &s.buckets);
    html! {
        section.statement data-currency=(code) aria-labelledby=(format!("statement-{code}")) {
            h2 #(format!("statement-{code}")) { (code) }
            table.list.report.statement-lines {
                thead { tr {
                    th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Operation)) } th { (t(lang, Msg::Number)) }
                    th { (t(lang, M::Reference)) } th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, M::Debit)) }
                    th.num { (t(lang, M::Credit)) } th.num { (t(lang, M::Balance)) }
                } }
                tbody {
                    tr.edge.opening {
                        td colspan="7" { (tf(lang, M::OpeningBalance, &[&date(s.from.add_days(-1), lang)])) }
                        td.num.balance { (total(c.opening_balance, lang)) }
                    }
                    @if c.lines.is_empty() {
                        tr { td colspan="8" { span.empty { (t(lang, M::NoLines)) } } }
                    }
                    @for l in &c.lines {
                        @let (debit, credit) = if l.effect.is_negative() {
                            (None, Some(Money::new(-l.effect.minor(), l.effect.currency())))
                        } else if l.effect.is_positive() {
                            (Some(l.effect), None)
                        } else {
                            (None, None)
                        };
                        tr.line data-entry=(l.entry) {
                            td.num { (date(l.date, lang)) }
                            td { (entry_words(lang, &l.entry)) }
                            td { (l.number) }
                            td { (l.reference) }
                            td.num { @if debit.is_none() && credit.is_none() { "(" (amount(l.amount, lang)) ")" } @else { (amount(l.amount, lang)) } }
                            td.num { @if let Some(d) = debit { (amount(d, lang)) } }
                            td.num { @if let Some(c) = credit { (amount(c, lang)) } }
                            td.num.balance { (total(l.balance, lang)) }
                        }
                    }
                }
                tfoot { tr.edge.closing {
                    td colspan="7" { (tf(lang, M::ClosingBalance, &[&date(s.to, lang)])) }
                    td.num.balance #(format!("closing-{code}")) { (total(c.closing_balance, lang)) }
                } }
            }
            h3 { (tf(lang, M::AgingAt, &[&date(s.to, lang)])) }
            table.list.report.statement-aging {
                thead { tr {
                    @for title in &titles { th.num { (title) } }
                    th.num { (t(lang, M::DebitsOpen)) } th.num { (t(lang, M::CreditsUnallocated)) } th.num { (t(lang, M::Balance)) }
                } }
                tbody { tr {
                    @for v in &c.aging.buckets { td.num { (total(*v, lang)) } }
                    td.num { (total(c.aging.debits_open, lang)) }
                    td.num { (total(c.aging.credits_unallocated, lang)) }
                    td.num { (total(c.aging.balance, lang)) }
                } }
            }
        }
    }
}
