//! The Rapports screen through HTTP (`Router::oneshot`) on every engine: the aging report (each
//! bucket total equal to the sum of its customers' lines and to the API's figure, as of today and
//! as of a past date), its CSV and PDF holding exactly the rows shown, a customer statement (its
//! closing balance the customer's aging balance, CSV and PDF), DSO (the company's figures and the
//! rows of the export), French words and amounts for a French user, bad parameters next to their
//! fields, and a read-only user reading every report.

use axum::http::StatusCode;
use creance_app::reports::{AgingArgs, AgingReport, DsoArgs, StatementArgs};
use creance_core::Language;

pub(crate) use crate::pdf::pdf_text;
pub(crate) use crate::web::get_bytes;
use crate::web::{login, on_every_engine_in as on_every_engine, send, PASSWORD};

/// An amount as a page shows it (`€1,234.56`, `-€3.00`, `1 234,56 €`) in minor units of a
/// two-decimal currency.
fn minor(text: &str) -> i64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let v: i64 = digits.parse().unwrap_or_else(|_| panic!("no amount in {text:?}"));
    if text.contains('-') || text.contains('−') {
        -v
    } else {
        v
    }
}

/// The text of every `<td …data-bucket="KEY"…>…</td>` in `html`.
fn cells(html: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(attr) {
        rest = &rest[at + attr.len()..];
        let start = rest.find('>').unwrap() + 1;
        let end = rest.find("</td>").unwrap();
        out.push(rest[start..end].to_string());
    }
    out
}

/// The part of `html` between `from` and the next `to`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from:?} in {html}"));
    let end = start + html[start..].find(to).unwrap();
    &html[start..end]
}

/// The body rows of the aging table in `currency`.
fn rows_in<'a>(page: &'a str, currency: &str) -> Vec<&'a str> {
    let body = between(page, r#"<table class="list report" id="aging""#, "<tfoot");
    body.split("<tr data-customer=").skip(1).filter(|r| r.contains(&format!(r#"data-currency="{currency}""#))).collect()
}

fn total_row<'a>(page: &'a str, currency: &str) -> &'a str {
    let foot = between(page, r#"<tfoot id="aging-totals""#, "</tfoot>");
    between(foot, &format!(r#"<tr data-currency="{currency}""#), "</tr>")
}

/// Every bucket of `currency`: the page's total = Σ its customers' cells = the report's total.
fn check_buckets(page: &str, r: &AgingReport, currency: &str) {
    let t = r.totals.iter().find(|t| t.currency.code() == currency).unwrap();
    let foot = total_row(page, currency);
    for (k, b) in r.buckets.iter().enumerate() {
        let attr = format!(r#"data-bucket="{}""#, b.key);
        let sum: i64 = rows_in(page, currency).iter().flat_map(|row| cells(row, &attr)).map(|c| minor(&c)).sum();
        let shown = cells(foot, &attr);
        assert_eq!(shown.len(), 1, "{foot}");
        assert_eq!(minor(&shown[0]), sum, "bucket {} of {currency}: total shown = Σ its customers", b.key);
        assert_eq!(i128::from(sum), t.buckets[k].minor(), "bucket {} of {currency}: = the API's figure", b.key);
    }
}

#[tokio::test]
async fn each_aging_bucket_total_is_the_sum_of_its_customers_and_the_apis_figure_today_and_in_the_past() {
    on_every_engine(Language::En, |app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let today = creance_app::clock::today_utc();
        let page = send(&w.router, "GET", "/rapports", Some(&cookie), &[], None).await;
        assert_eq!((page.status, page.location()), (StatusCode::SEE_OTHER, "/rapports/balance-agee"));
        let page = send(&w.router, "GET", "/rapports/balance-agee", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", main_of(&page.body));
        assert!(page.body.contains(r#"aria-current="page">Reports"#));
        let r = app.aging_report(w.company, &AgingArgs::default(), today).await.unwrap();
        assert!(!r.rows.is_empty());
        assert_eq!(rows_in(&page.body, "EUR").len() + rows_in(&page.body, "CHF").len(), r.rows.len());
        for t in &r.totals {
            check_buckets(&page.body, &r, t.currency.code());
            let foot = total_row(&page.body, t.currency.code());
            assert!(foot.contains(&creance_render::locale::total(t.balance, creance_render::locale::Locale::EN)));
        }
        // As of a past date: the ledger as it stood then, figures from the same use case.
        let past = today.add_days(-120).to_string();
        let page =
            send(&w.router, "GET", &format!("/rapports/balance-agee?as_of={past}"), Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("The ledger as it stood on"), "{}", main_of(&page.body));
        let args = AgingArgs { as_of: Some(past.clone()), ..Default::default() };
        let then = app.aging_report(w.company, &args, today).await.unwrap();
        assert!(then.past);
        for t in &then.totals {
            check_buckets(&page.body, &then, t.currency.code());
        }
        // Other buckets for this report: the columns follow.
        let page = send(&w.router, "GET", "/rapports/balance-agee?buckets=0,15,45", Some(&cookie), &[], None).await;
        assert!(page.body.contains(r#"data-bucket="16_45""#) && page.body.contains(r#"data-bucket="over_45""#));
        // Each customer links to its statement up to the same date.
        assert!(page.body.contains(&format!("/rapports/releve?customer={}", r.rows[0].customer_number)));
    })
    .await;
}

#[tokio::test]
async fn the_aging_csv_and_pdf_hold_exactly_the_rows_shown() {
    on_every_engine(Language::En, |app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let today = creance_app::clock::today_utc();
        let page = send(&w.router, "GET", "/rapports/balance-agee?currency=EUR", Some(&cookie), &[], None).await;
        let shown: Vec<String> = rows_in(&page.body, "EUR")
            .iter()
            .map(|r| r.trim_start_matches('"').split('"').next().unwrap().to_string())
            .collect();
        assert!(!shown.is_empty());
        let r = app
            .aging_report(w.company, &AgingArgs { currency: Some("EUR".into()), ..Default::default() }, today)
            .await
            .unwrap();
        assert!(r.rows.len() <= 50, "one page shows the whole report here");
        let (status, content_type, csv) =
            get_bytes(&w.router, &cookie, &format!("/rapports/balance-agee?currency=EUR&as_of={today}&format=csv"))
                .await;
        assert_eq!((status, content_type.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
        let csv = String::from_utf8(csv).unwrap();
        let numbers: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
        // The customers' rows in the page's order, then the total row (no customer number).
        assert_eq!(numbers[..numbers.len() - 1], shown.iter().map(String::as_str).collect::<Vec<_>>()[..]);
        assert_eq!(numbers.last(), Some(&""));
        let (status, content_type, pdf) =
            get_bytes(&w.router, &cookie, &format!("/rapports/balance-agee?currency=EUR&as_of={today}&format=pdf"))
                .await;
        assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        if let Some(text) = pdf_text(&pdf) {
            for n in &shown {
                assert!(text.contains(n.as_str()), "{n} in the PDF");
            }
            let total = r.totals[0].balance;
            let words = creance_render::locale::total(total, creance_render::locale::Locale::FR);
            assert!(text.contains(words.replace(['\u{a0}', '\u{202f}'], " ").as_str()), "{words} in {text}");
        }
        // The export links of the page carry its parameters and the date it shows.
        assert!(
            page.body.contains(&format!("currency=EUR&amp;format=csv&amp;as_of={today}")),
            "{}",
            main_of(&page.body)
        );
    })
    .await;
}

#[tokio::test]
async fn a_statement_closes_on_the_customers_aging_balance_and_exports_as_csv_and_pdf() {
    on_every_engine(Language::En, |app, w| async move {
        let cookie = login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
        let today = creance_app::clock::today_utc();
        let page = send(&w.router, "GET", "/rapports/releve", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(r#"id="statement-choose""#), "{}", main_of(&page.body));
        let aging = app.aging_report(w.company, &AgingArgs::default(), today).await.unwrap();
        let line = aging.rows.iter().find(|l| l.currency.code() == "EUR").unwrap();
        let number = &line.customer_number;
        let uri = format!("/rapports/releve?customer={number}&to={today}&currency=EUR");
        let page = send(&w.router, "GET", &uri, Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", main_of(&page.body));
        let closing = between(&page.body, r#"id="closing-EUR">"#, "</td>").trim_start_matches(r#"id="closing-EUR">"#);
        assert_eq!(i128::from(minor(closing)), line.balance.minor(), "closing balance = the aging balance");
        let args = StatementArgs {
            customer: Some(number.clone()),
            from: Some(super_default_from(today)),
            to: Some(today.to_string()),
            currency: Some("EUR".into()),
            ..Default::default()
        };
        let s = app.statement(w.company, &args, today).await.unwrap();
        let lines = s.currencies[0].lines.len();
        assert_eq!(page.body.matches(r#"<tr class="line""#).count(), lines);
        let (status, _, csv) = get_bytes(&w.router, &cookie, &format!("{uri}&format=csv")).await;
        assert_eq!(status, StatusCode::OK);
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), lines + 3, "header, opening, the lines, closing: {csv}");
        assert!(csv.contains("opening_balance") && csv.contains("closing_balance"));
        let (status, content_type, pdf) = get_bytes(&w.router, &cookie, &format!("{uri}&format=pdf")).await;
        assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains(number.as_str()), "{text}");
        }
        // A customer that does not exist, a period backwards: next to their fields.
        for (uri, id) in [
            ("/rapports/releve?customer=NO-SUCH".to_string(), "customer-error"),
            (format!("/rapports/releve?customer={number}&from=2026-06-01&to=2026-01-01"), "from-error"),
            (format!("/rapports/releve?customer={number}&to=2026-02-31"), "to-error"),
        ] {
            let a = send(&w.router, "GET", &uri, Some(&cookie), &[], None).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
            assert!(a.body.contains(&format!(r#"id="{id}""#)), "{uri}: {}", a.body);
        }
    })
    .await;
}

/// The statement page's default `from`: the first day of the month eleven months before `to`'s.
fn super_default_from(to: creance_core::Date) -> String {
    let (mut y, mut m) = (to.year(), to.month() as i32 - 11);
    if m <= 0 {
        y -= 1;
        m += 12;
    }
    format!("{y:04}-{m:02}-01")
}

#[tokio::test]
async fn dso_shows_the_companys_figures_and_exports_every_row() {
    on_every_engine(Language::En, |app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let today = creance_app::clock::today_utc();
        let page = send(&w.router, "GET", "/rapports/dso", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", main_of(&page.body));
        let from = today.add_days(-89).to_string();
        let args = DsoArgs { from: Some(from.clone()), to: Some(today.to_string()), ..Default::default() };
        let r = app.dso_report(w.company, &args, today).await.unwrap();
        // The default period is shown as the user reads dates.
        let shown = creance_server::web::format::date(today.add_days(-89), Language::En);
        assert!(page.body.contains(&format!(r#"value="{shown}""#)), "the default period is shown");
        for t in &r.totals {
            let foot = between(&page.body, &format!(r#"<tr data-currency="{}""#, t.currency.code()), "</tr>");
            let receivables = creance_render::locale::total(t.receivables, creance_render::locale::Locale::EN);
            assert!(foot.contains(&receivables), "{foot}");
            assert!(foot.contains(&t.dso_countback.to_string()), "{foot}");
        }
        let rows = page.body.matches("<tr data-customer=").count();
        assert_eq!(rows, r.rows.len().min(50));
        let (status, _, csv) = get_bytes(&w.router, &cookie, "/rapports/dso?format=csv").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1 + r.rows.len() + r.totals.len());
        let (status, content_type, _) = get_bytes(&w.router, &cookie, "/rapports/dso?format=pdf").await;
        assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        for (uri, id) in [
            ("/rapports/dso?from=yesterday", "from-error"),
            ("/rapports/dso?from=2000-01-01", "to-error"),
            ("/rapports/dso?currency=XX", "currency-error"),
            ("/rapports/balance-agee?as_of=2026-13-01", "as_of-error"),
            ("/rapports/balance-agee?buckets=30,10", "buckets-error"),
            ("/rapports/balance-agee?basis=age", "basis-error"),
            ("/rapports/balance-agee?format=xls", "list-error"),
        ] {
            let a = send(&w.router, "GET", uri, Some(&cookie), &[], None).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
            assert!(a.body.contains(&format!(r#"id="{id}""#)), "{uri}: {}", a.body);
        }
    })
    .await;
}

#[tokio::test]
async fn a_french_reader_reads_every_report_in_french_with_french_amounts() {
    on_every_engine(Language::Fr, |app, w| async move {
        let cookie = login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
        let today = creance_app::clock::today_utc();
        let page = send(&w.router, "GET", "/rapports/balance-agee", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Balance âgée") && page.body.contains("Non échu") && page.body.contains("&gt; 90 j")
        );
        let r = app.aging_report(w.company, &AgingArgs::default(), today).await.unwrap();
        let fr = creance_render::locale::total(r.totals[0].balance, creance_render::locale::Locale::FR);
        assert!(page.body.contains(&fr), "{fr}");
        let page = send(&w.router, "GET", "/rapports/dso", Some(&cookie), &[], None).await;
        assert!(page.body.contains("DSO épuisement"), "{}", main_of(&page.body));
        let page = send(&w.router, "GET", "/petits-soldes", Some(&cookie), &[], None).await;
        assert!(page.body.contains("Dus par les clients"), "{}", main_of(&page.body));
    })
    .await;
}

/// A page from its `<main>` on, for failure messages.
pub(crate) fn main_of(page: &str) -> &str {
    &page[page.find("<main").unwrap_or(0)..]
}

#[tokio::test]
async fn one_customers_aging_at_a_past_date_is_its_line_of_the_whole_report_as_its_statement_shows() {
    // The statement and a one-customer report read only that customer's allocations: the figures
    // must be those of the whole report's line, at every date.
    on_every_engine(Language::En, |app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let today = creance_app::clock::today_utc();
        for days in [0, 45, 120, 240] {
            let as_of = today.add_days(-days).to_string();
            let all = AgingArgs { as_of: Some(as_of.clone()), ..Default::default() };
            let whole = app.aging_report(w.company, &all, today).await.unwrap();
            assert!(!whole.rows.is_empty());
            for line in &whole.rows {
                let one = AgingArgs { customer: Some(line.customer_number.clone()), ..all.clone() };
                let r = app.aging_report(w.company, &one, today).await.unwrap();
                let mine: Vec<_> = r.rows.iter().filter(|l| l.currency == line.currency).collect();
                assert_eq!(mine, vec![line], "{} at {as_of}", line.customer_number);
            }
        }
        // The statement page's closing balance at a past date is the whole report's balance then.
        let past = today.add_days(-120);
        let all = AgingArgs { as_of: Some(past.to_string()), currency: Some("EUR".into()), ..Default::default() };
        let whole = app.aging_report(w.company, &all, today).await.unwrap();
        let line = &whole.rows[0];
        let uri = format!("/rapports/releve?customer={}&to={past}&currency=EUR", line.customer_number);
        let page = send(&w.router, "GET", &uri, Some(&cookie), &[], None).await;
        let closing = between(&page.body, r#"id="closing-EUR">"#, "</td>").trim_start_matches(r#"id="closing-EUR">"#);
        assert_eq!(i128::from(minor(closing)), line.balance.minor());
    })
    .await;
}
