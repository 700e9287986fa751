//! The screens read one page and aggregated totals (docs/performance.md, "Pages at 100,000
//! customers"); these tests hold them to the whole reports on a seeded demo, on every engine: the
//! pages of the aging, the DSO and the small balances, put end to end, are the whole report's rows,
//! and every page's totals per currency are the sums of the whole report's lines, to the cent. And
//! the Relances tab's two lists show their totals per currency, those of every row.

use creance_app::dunning::{Criteria, LetterFilter};
use creance_app::queries::Page;
use creance_app::reports::{AgingArgs, DsoArgs};
use creance_app::small_balances::SmallBalanceQuery;
use creance_app::App;
use creance_core::{Currency, Language, MoneyTotal};
use creance_render::locale::{self, Locale};
use creance_store::testing::{TestDb, TEST_INSTANT};

use crate::web::{login, send, web_env, PASSWORD};

/// A demo of 300 customers (several currencies, payments, credit notes) as of the test instant.
async fn demo(app: &App) -> i64 {
    let opts = creance_app::demo::DemoOptions {
        customers: 300,
        seed: 7,
        as_of: TEST_INSTANT.date(),
        at: TEST_INSTANT,
        installments_per_customer: None,
    };
    app.demo(&opts, &|_, _| {}).await.unwrap().company_id
}

/// Aging parameters from `(name, value)` pairs.
fn aging(pairs: &[(&str, &str)]) -> AgingArgs {
    let mut a = AgingArgs::default();
    for (name, value) in pairs {
        let v = Some(value.to_string());
        match *name {
            "as_of" => a.as_of = v,
            "basis" => a.basis = v,
            "buckets" => a.buckets = v,
            "customer_from" => a.customer_from = v,
            "customer_to" => a.customer_to = v,
            "currency" => a.currency = v,
            _ => panic!("no aging parameter {name}"),
        }
    }
    a
}

fn page(limit: i64, offset: i64) -> Page {
    Page { limit, offset }
}

#[tokio::test]
async fn the_pages_of_the_aging_and_the_dso_are_the_whole_reports_rows_and_totals() {
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let company = demo(&app).await;
        let today = TEST_INSTANT.date();
        let agings = [
            aging(&[]),
            aging(&[("as_of", "2026-10-15")]),
            aging(&[("basis", "document_date"), ("buckets", "0,15,45")]),
            aging(&[("customer_from", "C000050"), ("customer_to", "C000150")]),
            aging(&[("currency", "EUR"), ("as_of", "2026-09-30"), ("basis", "document_date")]),
        ];
        for args in &agings {
            let whole = app.aging_report(company, args, today).await.unwrap();
            assert!(whole.rows.len() > 20, "{args:?}: the demo has rows ({})", whole.rows.len());
            let mut rows = Vec::new();
            for offset in (0..whole.rows.len() as i64 + 37).step_by(37) {
                let p = app.aging_report_page(company, args, today, page(37, offset)).await.unwrap();
                assert_eq!(p.total_count, whole.rows.len() as i64, "{args:?}");
                // The totals in SQL are the sums of every line of the whole report.
                assert_eq!(p.report.totals, whole.totals, "{args:?} at {offset}");
                assert_eq!(
                    (p.report.as_of, p.report.past, &p.report.buckets),
                    (whole.as_of, whole.past, &whole.buckets)
                );
                rows.extend(p.report.rows);
            }
            assert_eq!(rows, whole.rows, "{args:?}: the pages end to end are the report");
        }
        let dsos =
            [("2026-08-25", None, None), ("2026-01-01", Some("2026-10-31"), None), ("2026-06-01", None, Some("EUR"))];
        for (from, to, currency) in dsos {
            let args = DsoArgs {
                from: Some(from.into()),
                to: to.map(String::from),
                currency: currency.map(String::from),
                ..Default::default()
            };
            let whole = app.dso_report(company, &args, today).await.unwrap();
            assert!(whole.rows.len() > 20 && !whole.totals.is_empty(), "{args:?}");
            let mut rows = Vec::new();
            for offset in (0..whole.rows.len() as i64 + 50).step_by(50) {
                let p = app.dso_report_page(company, &args, today, page(50, offset)).await.unwrap();
                assert_eq!(p.total_count, whole.rows.len() as i64, "{args:?}");
                assert_eq!(p.report.totals, whole.totals, "{args:?} at {offset}: the company's figures");
                rows.extend(p.report.rows);
            }
            assert_eq!(rows, whole.rows, "{args:?}");
        }
        // The company's receivables are the sum of the customers' (each a positive balance).
        let args = DsoArgs { from: Some("2026-08-25".into()), ..Default::default() };
        let whole = app.dso_report(company, &args, today).await.unwrap();
        for t in &whole.totals {
            let sum: i128 = whole.rows.iter().filter(|r| r.currency == t.currency).map(|r| r.receivables.minor()).sum();
            assert_eq!(t.receivables, MoneyTotal::new(sum, t.currency));
        }
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_pages_of_the_small_balances_are_the_whole_extractions_groups_and_totals() {
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let company = demo(&app).await;
        let today = TEST_INSTANT.date();
        for threshold in ["50.00", "500.00"] {
            let q = SmallBalanceQuery { threshold: Some(threshold.into()), ..Default::default() };
            let whole = app.small_balances(company, &q, today).await.unwrap();
            assert!(!whole.groups.is_empty() && !whole.credits.is_empty(), "{threshold}: groups on both sides");
            for credits in [false, true] {
                let groups = if credits { &whole.credits } else { &whole.groups };
                let mut read = Vec::new();
                for offset in (0..groups.len() as i64 + 7).step_by(7) {
                    let p = app.small_balances_page(company, &q, today, credits, page(7, offset)).await.unwrap();
                    assert_eq!(p.group_count, groups.len() as i64);
                    assert_eq!(p.item_count, groups.iter().map(|g| g.items.len() as i64).sum::<i64>());
                    assert_eq!((&p.debit_totals, &p.credit_totals), (&whole.debit_totals, &whole.credit_totals));
                    assert_eq!((p.threshold, p.before, p.truncated), (whole.threshold, whole.before, whole.truncated));
                    read.extend(p.groups);
                }
                assert_eq!(&read, groups, "{threshold}, credits {credits}: the pages end to end");
            }
        }
        test_db.finish().await;
    }
}

/// The total amount of a tfoot row of `currency` in `html` (the row's last amount cell).
fn footer_row(html: &str, table: &str, currency: Currency) -> String {
    let at = html.find(&format!(r#"<tfoot id="{table}">"#)).unwrap_or_else(|| panic!("no {table} in {html}"));
    let foot = &html[at..html[at..].find("</tfoot>").map(|e| at + e).unwrap()];
    let row = format!(r#"<tr data-currency="{}">"#, currency.code());
    let r = foot.find(&row).unwrap_or_else(|| panic!("no {currency} row in {foot}"));
    foot[r..foot[r..].find("</tr>").map(|e| r + e).unwrap()].to_string()
}

#[tokio::test]
async fn the_relances_lists_show_their_totals_per_currency_over_every_row() {
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let w = web_env(&app, Language::En).await;
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let today = creance_app::clock::today_utc();
        // To generate: Σ of every row's open amount per currency (the page shows 20 of them).
        let all = app.dunning_to_generate(w.company, &Criteria::default(), today, page(500, 0)).await.unwrap();
        assert!(!all.items.is_empty(), "the demo has reminders to generate");
        let fragment =
            send(&w.router, "GET", "/relances/a-generer", Some(&cookie), &[("hx-request", "true")], None).await;
        let mut currencies: Vec<&str> = all.items.iter().map(|r| r.currency.as_str()).collect();
        currencies.sort_unstable();
        currencies.dedup();
        for code in currencies {
            let c = Currency::parse(code).unwrap();
            let rows: Vec<_> = all.items.iter().filter(|r| r.currency == code).collect();
            let open: i128 = rows.iter().map(|r| i128::from(r.amount_open)).sum();
            let items: i64 = rows.iter().map(|r| r.items).sum();
            let row = footer_row(&fragment.body, "to-generate-totals", c);
            assert!(row.contains(&locale::total(MoneyTotal::new(open, c), Locale::EN)), "{open} {code}: {row}");
            assert!(row.contains(&format!("{} letters", rows.len())) && row.contains(&format!(">{items}<")), "{row}");
        }
        // In progress: Σ of every letter's total due per currency.
        let f = LetterFilter { in_progress: true, ..Default::default() };
        let letters = app.dunning_letters(w.company, None, &f, page(500, 0)).await.unwrap();
        assert!(!letters.items.is_empty(), "the demo has letters in progress");
        let tab = send(&w.router, "GET", "/relances", Some(&cookie), &[], None).await;
        let mut currencies: Vec<Currency> = letters.items.iter().map(|l| l.total_due.currency()).collect();
        currencies.sort_by_key(|c| c.code());
        currencies.dedup();
        for c in currencies {
            let of: Vec<_> = letters.items.iter().filter(|l| l.total_due.currency() == c).collect();
            let due: i128 = of.iter().map(|l| i128::from(l.total_due.minor())).sum();
            let row = footer_row(&tab.body, "in-progress-totals", c);
            assert!(row.contains(&locale::total(MoneyTotal::new(due, c), Locale::EN)), "{due} {c}: {row}");
            assert!(row.contains(&format!("{} letters", of.len())), "{row}");
        }
        test_db.finish().await;
    }
}
