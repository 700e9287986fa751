//! Rapports (issue 14 point 5, SPEC §4.10): the aging report as of a date (`aging.rs`,
//! `App::aging_report`), a customer statement for a period (`statement.rs`, `App::statement`) and
//! days sales outstanding (`dso.rs`, `App::dso_report`) — the use cases the API's
//! `routes/reports.rs` calls, their parameters a GET form with the API's names (a report is a URL,
//! a bad value is shown next to its field), and each exported as the API exports it: the same URL
//! with `format=csv` (`dialect=excel`) or `format=pdf` (the aging and the DSO in the company's
//! language, the statement as a document in the customer's). Reading only: every role sees them.
//! The lists are paginated on the page (50 rows), the totals per currency cover the whole report,
//! and the exports hold every row of it.
//!
//! Routes: `GET /rapports` (→ the aging report), `GET /rapports/balance-agee`,
//! `GET /rapports/releve`, `GET /rapports/dso`.

mod aging;
pub(super) mod controls;
mod dso;
mod messages;
mod statement;

use axum::response::{IntoResponse, Redirect, Response};
use creance_app::exports::{self, Dialect, Format};
use creance_app::reports::Bucket;
use creance_app::{query_args, AppError};
use creance_core::Language;
use maud::{html, Markup};

pub use aging::page as aging;
pub use dso::page as dso;
pub use statement::page as statement;

use super::i18n::{t, ui_language};
use messages::M;

/// Rows per page of a report.
const PAGE_SIZE: usize = 50;

/// `GET /rapports`: the first report.
pub async fn index() -> Response {
    Redirect::to("/rapports/balance-agee").into_response()
}

/// Which report a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Report {
    Aging,
    Statement,
    Dso,
}

/// The reports' sub-tabs.
fn subtabs(lang: Language, current: Report) -> Markup {
    let tab = |r: Report, href: &str, id: &str, label: M| {
        html! { a #(id) href=(href) aria-current=[(r == current).then_some("page")] { (t(lang, label)) } }
    };
    html! {
        nav.subtabs aria-label=(t(lang, M::ReportsLabel)) {
            (tab(Report::Aging, "/rapports/balance-agee", "report-aging", M::Aging))
            (tab(Report::Statement, "/rapports/releve", "report-statement", M::Statement))
            (tab(Report::Dso, "/rapports/dso", "report-dso", M::Dso))
        }
    }
}

/// The export asked for by `format` (and `dialect`): `None` for the page itself.
fn export_of(format: &Option<String>, dialect: &Option<String>) -> Result<Option<(Format, Dialect)>, AppError> {
    let Some(f) = query_args::text(format) else { return Ok(None) };
    let format = Format::parse(&f)?;
    if format == Format::Json {
        return Err(AppError::invalid("format", "\"json\": this page exports csv or pdf; the API answers JSON"));
    }
    let dialect = match query_args::text(dialect) {
        Some(d) => exports::parse_dialect(&d)?,
        None => Dialect::Standard,
    };
    Ok(Some((format, dialect)))
}

/// A number of days with one decimal in the user's words (`45,3` in French).
fn days_words(lang: Language, d: creance_core::dso::DsoDays) -> String {
    let s = d.to_string();
    if ui_language(lang) == Language::Fr {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The column title of each bucket.
fn bucket_titles(lang: Language, buckets: &[Bucket]) -> Vec<String> {
    buckets.iter().map(|b| messages::bucket_title(lang, b)).collect()
}
