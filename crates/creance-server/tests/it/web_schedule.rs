//! The Échéancier through HTTP (`Router::oneshot`) on every engine: the filters give the rows and
//! totals of the API's use case, the CSV export is the rows shown (text neutralised against
//! formulas), the PDF export's text (pdftotext), a bad filter is shown next to its field, the
//! detail panel, the history, and the company's scope.

use axum::http::StatusCode;
use creance_app::query_args::OpenItemArgs;
use creance_app::App;
use creance_core::Language;
use creance_server::web::format;

use crate::pdf::pdf_text;
use crate::web::{csrf_of, get_bytes, login, on_every_engine, send, PASSWORD};

/// The today of the pages (the request's clock): the lists age items at it.
fn today() -> creance_core::Date {
    creance_app::clock::now().date()
}

/// A customer number with open items in more than one installment, and one with any open item.
async fn a_customer_with_items(app: &App, company: i64) -> String {
    let (f, s, p) = OpenItemArgs { limit: Some("1000".into()), ..Default::default() }.parse(today()).unwrap();
    let all = app.open_items(company, &f, &s, p).await.unwrap();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for i in &all.items {
        match counts.iter_mut().find(|(n, _)| *n == i.customer_number) {
            Some(c) => c.1 += 1,
            None => counts.push((i.customer_number.clone(), 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts[0].0.clone()
}

#[tokio::test]
async fn filters_give_the_use_cases_rows_and_totals_in_both_modes() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let number = a_customer_with_items(&app, w.company).await;
        let args = OpenItemArgs { customer: Some(number.clone()), limit: Some("50".into()), ..Default::default() };
        let (f, s, p) = args.parse(today()).unwrap();
        let items = app.open_items(w.company, &f, &s, p).await.unwrap();
        let docs = app.open_documents(w.company, &f, &s, p).await.unwrap();
        assert!(!items.items.is_empty());
        // By due date: one row per installment, in the use case's order, and its totals.
        let page =
            send(&w.router, "GET", &format!("/echeancier?mode=due_date&customer={number}"), Some(&cookie), &[], None)
                .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let rows: Vec<&str> = page.body.split(r#"data-installment=""#).skip(1).collect();
        assert_eq!(rows.len(), items.items.len());
        for (row, item) in rows.iter().zip(&items.items) {
            assert!(row.starts_with(&format!("{}\"", item.installment_id)));
        }
        for sum in &items.totals {
            assert!(page.body.contains(&format::total(sum.amount_open, Language::En)), "total {sum:?}");
        }
        // The row's link to the payment form, with the customer and the open amount.
        let first = &items.items[0];
        let pay = format!(
            "/reglements/nouveau?customer_id={}&amp;amount={}",
            first.customer_id,
            first.amount_open.format_amount()
        );
        assert!(page.body.contains(&pay), "{pay}");
        // By invoice (the default): one row per document.
        let page = send(&w.router, "GET", &format!("/echeancier?customer={number}"), Some(&cookie), &[], None).await;
        let rows = page.body.matches(r#"<tr data-document=""#).count();
        assert_eq!(rows, docs.items.len());
        assert!(page.body.contains(&format!(r#"href="/echeancier?customer={number}""#)));
        assert!(page.body.contains(r#"aria-current="true">By invoice<"#), "{}", page.body);
        // Sorted by a column header: `aria-sort` names it, and the order is the use case's.
        let page = send(
            &w.router,
            "GET",
            &format!("/echeancier?mode=due_date&customer={number}&sort=-amount_open"),
            Some(&cookie),
            &[],
            None,
        )
        .await;
        assert_eq!(page.body.matches(r#"aria-sort="descending""#).count(), 1);
        assert!(page.body.contains("mode=due_date&amp;sort=amount_open\""), "the header sorts the other way next");
        let sorted = OpenItemArgs { sort: Some("-amount_open".into()), ..args.clone() };
        let (f2, s2, p2) = sorted.parse(today()).unwrap();
        let want: Vec<i64> =
            app.open_items(w.company, &f2, &s2, p2).await.unwrap().items.iter().map(|i| i.installment_id).collect();
        let got: Vec<i64> = page
            .body
            .split(r#"data-installment=""#)
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(got, want);
        // A currency the company has no item in: the list says why it is empty.
        let page = send(&w.router, "GET", "/echeancier?currency=JPY", Some(&cookie), &[], None).await;
        assert!(page.body.contains("No open item matches these filters."), "{}", page.body);
    })
    .await;
}

#[tokio::test]
async fn a_bad_filter_is_shown_next_to_its_field_with_the_apis_name() {
    on_every_engine(|_app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let page =
            send(&w.router, "GET", "/echeancier?due_from=2026-13-45&customer=C1", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains(r#"id="due_from-error""#), "{}", page.body);
        assert!(page.body.contains(r#"name="due_from" value="2026-13-45""#));
        assert!(page.body.contains(r#"aria-invalid="true""#));
        assert!(page.body.contains("The list is not shown"));
        let page = send(&w.router, "GET", "/echeancier?days_overdue_min=abc", Some(&cookie), &[], None).await;
        assert!(page.body.contains(r#"id="days_overdue_min-error""#) && page.body.contains("not a whole number"));
        let page =
            send(&w.router, "GET", "/echeancier/export?format=csv&currency=EURO", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains(r#"id="currency-error""#));
    })
    .await;
}

#[tokio::test]
async fn the_csv_export_is_the_rows_shown_with_formulas_neutralised_and_the_pdf_lists_them() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let number = a_customer_with_items(&app, w.company).await;
        sqlx::query(&format!("UPDATE customers SET name = '=HYPERLINK(\"x\")' WHERE number = '{number}'"))
            .execute(app.db.pool())
            .await
            .unwrap();
        let q = format!("mode=due_date&customer={number}&sort=-due_date");
        let page = send(&w.router, "GET", &format!("/echeancier?{q}"), Some(&cookie), &[], None).await;
        let shown: Vec<i64> = page
            .body
            .split(r#"data-installment=""#)
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(
            page.body.contains(&format!(
                r#"href="/echeancier/export?customer={number}&amp;mode=due_date&amp;sort=-due_date&amp;format=csv""#
            )),
            "{}",
            page.body
        );
        let (status, ct, csv) = get_bytes(&w.router, &cookie, &format!("/echeancier/export?{q}&format=csv")).await;
        assert_eq!((status, ct.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
        let csv = String::from_utf8(csv).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let id_col = header.iter().position(|h| *h == "installment_id").unwrap();
        let name_col = header.iter().position(|h| *h == "customer_name").unwrap();
        let rows: Vec<Vec<String>> = lines.map(split_csv).collect();
        let exported: Vec<i64> = rows.iter().map(|r| r[id_col].parse().unwrap()).collect();
        assert_eq!(exported, shown, "the CSV has the rows shown, in their order");
        assert!(rows.iter().all(|r| r[name_col] == "'=HYPERLINK(\"x\")"), "{csv}");
        // The PDF of the same view: its filters and every row's document.
        let (status, ct, pdf) = get_bytes(&w.router, &cookie, &format!("/echeancier/export?{q}&format=pdf")).await;
        assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains(&number), "{text}");
            let (f, s, p) =
                OpenItemArgs { customer: Some(number.clone()), ..Default::default() }.parse(today()).unwrap();
            for i in app.open_items(w.company, &f, &s, p).await.unwrap().items {
                assert!(text.contains(&i.document_number), "{} in {text}", i.document_number);
            }
        }
    })
    .await;
}

/// The fields of one CSV line (quotes undone).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[tokio::test]
async fn the_panel_shows_a_documents_installments_and_the_history_what_settled_them() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (f, s, p) = OpenItemArgs::default().parse(today()).unwrap();
        let doc = &app.open_documents(w.company, &f, &s, p).await.unwrap().items[0];
        let full = app.document(w.company, doc.document_id).await.unwrap();
        // The partial (htmx) and the whole page with the panel open.
        let part =
            send(&w.router, "GET", &format!("/echeancier/documents/{}", doc.document_id), Some(&cookie), &[], None)
                .await;
        assert_eq!(part.status, StatusCode::OK);
        assert!(part.body.starts_with("<section") && part.body.contains(r#"id="panel""#), "{}", part.body);
        assert_eq!(part.body.matches("<tr><td class=\"num\">").count(), full.installments.len());
        let page =
            send(&w.router, "GET", &format!("/echeancier?document={}", doc.document_id), Some(&cookie), &[], None)
                .await;
        assert!(page.body.contains(r#"id="installments""#) && page.body.contains(&full.number));
        // The history: settled installments with the payments that settled them.
        let settled = app.settled_items(w.company, &f, &s, p).await.unwrap();
        assert!(!settled.items.is_empty(), "the demo has settled installments");
        let page = send(&w.router, "GET", "/echeancier?history=1", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK);
        let first = &settled.items[0];
        assert!(first.settled_by.iter().map(|a| a.amount.minor()).sum::<i64>() == first.amount.minor());
        assert!(page.body.contains(&format!(r#"data-installment="{}""#, first.installment_id)));
        if let Some(p) = first.settled_by.iter().find_map(|a| a.payment_number.clone()) {
            assert!(page.body.contains(&format!("payment <strong>{p}</strong>")), "{}", page.body);
        }
        assert!(settled.items.iter().all(|i| i.due_date <= first.due_date), "newest due date first");
    })
    .await;
}

#[tokio::test]
async fn the_list_is_the_sessions_companys_and_a_reader_sees_no_pay_link() {
    on_every_engine(|app, w| async move {
        let (f, s, p) = OpenItemArgs::default().parse(today()).unwrap();
        let doc = app.open_documents(w.company, &f, &s, p).await.unwrap().items[0].document_id;
        let reader = login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
        let page = send(&w.router, "GET", "/echeancier", Some(&reader), &[], None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("data-document=") && !page.body.contains("/reglements/nouveau"));
        // The clerk in its second company (Beta SA, no items): nothing of the first company.
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let home = send(&w.router, "GET", "/echeancier", Some(&cookie), &[], None).await;
        let csrf = csrf_of(&home.body);
        let a = send(
            &w.router,
            "POST",
            "/company",
            Some(&cookie),
            &[],
            Some(&format!("csrf={csrf}&company_id={}", w.other)),
        )
        .await;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/echeancier"));
        let page = send(&w.router, "GET", "/echeancier", Some(&cookie), &[], None).await;
        assert!(page.body.contains("No open item: everything is paid.") && !page.body.contains("data-document="));
        let history = send(&w.router, "GET", "/echeancier?history=1", Some(&cookie), &[], None).await;
        assert!(!history.body.contains("data-installment="));
        let panel = send(&w.router, "GET", &format!("/echeancier/documents/{doc}"), Some(&cookie), &[], None).await;
        assert_eq!(panel.status, StatusCode::NOT_FOUND);
        let (_, _, csv) = get_bytes(&w.router, &cookie, "/echeancier/export?format=csv").await;
        assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1, "the header only");
    })
    .await;
}

#[tokio::test]
async fn the_payer_and_document_date_filters_select_what_they_name() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (f, s, p) = OpenItemArgs { limit: Some("1000".into()), ..Default::default() }.parse(today()).unwrap();
        let all = app.open_items(w.company, &f, &s, p).await.unwrap().items;
        let payer = all[0].payer_number.clone();
        let (from, to) = (all[0].document_date, all[0].document_date.add_days(40));
        let q = format!("mode=due_date&payer={payer}&document_from={from}&document_to={to}");
        let page = send(&w.router, "GET", &format!("/echeancier?{q}"), Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let mut want: Vec<&creance_app::views::ledger::OpenItem> = all
            .iter()
            .filter(|i| i.payer_number == payer && i.document_date >= from && i.document_date <= to)
            .collect();
        want.sort_by_key(|i| (i.due_date, i.installment_id));
        let got: Vec<i64> = page
            .body
            .split(r#"data-installment=""#)
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(!got.is_empty());
        assert_eq!(got, want.iter().map(|i| i.installment_id).collect::<Vec<_>>());
        // The history reads the same filters: every settled row is the payer's, in the date range.
        let (f, s, p) = OpenItemArgs {
            payer: Some(payer.clone()),
            document_from: Some(from.to_string()),
            document_to: Some(to.to_string()),
            ..Default::default()
        }
        .parse(today())
        .unwrap();
        let settled = app.settled_items(w.company, &f, &s, p).await.unwrap();
        assert!(settled
            .items
            .iter()
            .all(|i| i.payer_number == payer && i.document_date >= from && i.document_date <= to));
    })
    .await;
}

#[tokio::test]
async fn the_history_exports_the_settled_rows_shown_with_what_settled_them() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (f, s, p) = OpenItemArgs::default().parse(today()).unwrap();
        let number = app.settled_items(w.company, &f, &s, p).await.unwrap().items[0].customer_number.clone();
        let q = format!("history=1&customer={number}");
        let page = send(&w.router, "GET", &format!("/echeancier?{q}"), Some(&cookie), &[], None).await;
        let shown: Vec<i64> = page
            .body
            .split(r#"data-installment=""#)
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(!shown.is_empty() && shown.len() < 50, "one page holds the customer's history");
        assert!(page
            .body
            .contains(&format!(r#"href="/echeancier/export?customer={number}&amp;history=1&amp;format=pdf""#)));
        let (status, _, csv) = get_bytes(&w.router, &cookie, &format!("/echeancier/export?{q}&format=csv")).await;
        assert_eq!(status, StatusCode::OK);
        let csv = String::from_utf8(csv).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(header.last(), Some(&"settled_by"));
        let rows: Vec<Vec<String>> = lines.map(split_csv).collect();
        let exported: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
        assert_eq!(exported, shown);
        let (f, s, p) = OpenItemArgs { customer: Some(number.clone()), ..Default::default() }.parse(today()).unwrap();
        let settled = app.settled_items(w.company, &f, &s, p).await.unwrap();
        let first_payment = settled.items.iter().flat_map(|i| &i.settled_by).find_map(|a| a.payment_number.clone());
        if let Some(pn) = &first_payment {
            assert!(rows.iter().any(|r| r.last().unwrap().contains(pn.as_str())), "{csv}");
        }
        let (status, ct, pdf) = get_bytes(&w.router, &cookie, &format!("/echeancier/export?{q}&format=pdf")).await;
        assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
        if let (Some(text), Some(pn)) = (pdf_text(&pdf), first_payment) {
            assert!(text.contains("Réglé par") && text.contains(&pn), "{text}");
        }
    })
    .await;
}
