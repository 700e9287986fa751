//! Every list as CSV or PDF through HTTP (issue 11 points 3, 4 and 7), on every engine: the CSV is
//! the JSON list's rows, whole; the Excel dialect; formula neutralisation; the PDF's filters and
//! totals; bad `format`/`dialect` values; and the chunked reading with more rows than one chunk.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use creance_app::exports::{lists, Dialect, OpenItemsQuery, OpenItemsView, WriteSink};
use creance_app::queries::Page;
use creance_app::query_args::OpenItemArgs;
use creance_app::App;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::api::{call, load, on_every_engine, Env};

/// GET `uri` with `headers`: the status, the content type and disposition, and the body's bytes.
async fn get(env: &Env, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, String, String, Vec<u8>) {
    let mut req =
        Request::builder().method("GET").uri(uri).header(header::AUTHORIZATION, format!("Bearer {}", env.reader));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let response = env.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let text = |name| response.headers().get(name).map(|v: &header::HeaderValue| v.to_str().unwrap().to_string());
    let (status, content_type, disposition) = (
        response.status(),
        text(header::CONTENT_TYPE).unwrap_or_default(),
        text(header::CONTENT_DISPOSITION).unwrap_or_default(),
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, content_type, disposition, bytes)
}

/// The CSV's records, split on `sep` (the test data hold no quoted field but those asserted on).
fn records(csv: &str, sep: char) -> Vec<Vec<String>> {
    csv.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(sep).map(str::to_string).collect())
        .collect()
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The sum of `minor`-unit decimal strings (`"100.50"`) per currency, as decimal strings.
fn sum_by_currency(rows: &[(String, String)]) -> Vec<(String, String)> {
    let mut totals: std::collections::BTreeMap<String, i64> = Default::default();
    for (currency, amount) in rows {
        let cents: i64 = amount.replace(['.', ','], "").parse().unwrap();
        *totals.entry(currency.clone()).or_default() += cents;
    }
    totals.into_iter().map(|(c, t)| (c, format!("{}.{:02}", t / 100, (t % 100).abs()))).collect()
}

#[tokio::test]
async fn the_open_items_csv_is_every_row_of_the_json_list_with_its_amounts_and_totals() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let query = "as_of=2026-03-31&sort=-amount_open";
        let (s, _, json) =
            call(&env.router, "GET", &format!("/api/v1/open-items?{query}&limit=2"), Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{json}");
        let (s, _, all) =
            call(&env.router, "GET", &format!("/api/v1/open-items?{query}"), Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{all}");
        let (s, content_type, disposition, csv) =
            get(&env, &format!("/api/v1/open-items?{query}&limit=2&format=csv"), &[]).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(content_type, "text/csv; charset=utf-8");
        assert_eq!(disposition, "attachment; filename=\"open-items.csv\"");
        let csv = String::from_utf8(csv).unwrap();
        let rows = records(&csv, ',');
        let header = &rows[0];
        assert_eq!(header.iter().map(String::as_str).collect::<Vec<_>>(), lists::OPEN_ITEMS.header());
        // The whole list, not the page of 2: one row per installment, in the JSON list's order.
        let items = all["items"].as_array().unwrap();
        assert_eq!(json["total_count"], 5);
        assert_eq!(rows.len() - 1, 5, "{csv}");
        for (row, item) in rows[1..].iter().zip(items) {
            assert_eq!(row[column(header, "installment_id")], item["installment_id"].to_string());
            assert_eq!(row[column(header, "document_number")], item["document_number"].as_str().unwrap());
            assert_eq!(row[column(header, "due_date")], item["due_date"].as_str().unwrap());
            assert_eq!(row[column(header, "currency")], item["currency"].as_str().unwrap());
            assert_eq!(row[column(header, "amount")], item["amount"]["amount"].as_str().unwrap());
            assert_eq!(row[column(header, "amount_open")], item["amount_open"]["amount"].as_str().unwrap());
            assert_eq!(row[column(header, "days_overdue")], item["days_overdue"].to_string());
        }
        let open: Vec<(String, String)> = rows[1..]
            .iter()
            .map(|r| (r[column(header, "currency")].clone(), r[column(header, "amount_open")].clone()))
            .collect();
        let totals: Vec<(String, String)> = json["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (t["currency"].as_str().unwrap().to_string(), t["amount_open"]["amount"].as_str().unwrap().to_string())
            })
            .collect();
        assert_eq!(sum_by_currency(&open), totals);
        // `Accept: text/csv` asks the same; `?format=json` wins over it.
        let (_, _, _, accepted) = get(&env, &format!("/api/v1/open-items?{query}"), &[("accept", "text/csv")]).await;
        assert_eq!(String::from_utf8(accepted).unwrap(), csv);
        let (s, content_type, _, _) =
            get(&env, &format!("/api/v1/open-items?{query}&format=json"), &[("accept", "text/csv")]).await;
        assert_eq!((s, content_type.as_str()), (StatusCode::OK, "application/json"));
        // JSON stays the default.
        let (_, content_type, _, _) = get(&env, "/api/v1/open-items", &[]).await;
        assert_eq!(content_type, "application/json");
    })
    .await;
}

#[tokio::test]
async fn the_excel_dialect_has_a_bom_semicolons_and_a_decimal_comma() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, _, _, csv) = get(&env, "/api/v1/open-items?as_of=2026-03-31&format=csv&dialect=excel", &[]).await;
        assert_eq!(s, StatusCode::OK);
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with("\u{feff}installment_id;document_id;kind;"), "{csv}");
        assert_eq!(csv.matches('\u{feff}').count(), 1);
        let rows = records(&csv, ';');
        let f1 = rows.iter().find(|r| r[column(&rows[0], "document_number")] == "F1").unwrap();
        assert_eq!(f1[column(&rows[0], "amount_open")], "100,50");
        assert_eq!(f1[column(&rows[0], "due_date")], "2026-01-31");
    })
    .await;
}

#[tokio::test]
async fn a_text_cell_starting_with_a_formula_sign_comes_out_neutralised() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let customers = json!([{"number": "C009", "name": "=HYPERLINK(\"http://x\")", "salesperson": "+33 1 23"}]);
        let invoices = json!([{"number": "@F9", "customer": "C009", "date": "2026-01-01", "total": "10.00",
                               "installments": [{"due_date": "2026-01-31", "amount": "10.00"}]}]);
        for (what, body) in [("customers", customers), ("invoices", invoices)] {
            let (s, _, v) = call(
                &env.router,
                "POST",
                &format!("/api/v1/imports/{what}"),
                Some(&env.clerk),
                Some(("application/json", body.to_string())),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
        let (_, _, _, csv) = get(&env, "/api/v1/open-items?customer=C009&format=csv", &[]).await;
        let csv = String::from_utf8(csv).unwrap();
        let line = csv.lines().nth(1).unwrap();
        assert!(line.contains(",'@F9,"), "{line}");
        assert!(line.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), "{line}");
        assert!(line.contains(",'+33 1 23,"), "{line}");
        assert!(line.contains(",10.00,10.00,"), "amounts stay numbers: {line}");
        let (_, _, _, customers) = get(&env, "/api/v1/customers?format=csv", &[]).await;
        assert!(String::from_utf8(customers).unwrap().contains(",\"'=HYPERLINK(\"\"http://x\"\")\","));
    })
    .await;
}

/// `pdftotext` of `pdf`, with no-break spaces as plain spaces; `None` (noted as skipped) without it.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let path = std::env::temp_dir().join(format!("creance_export_{}_{}.pdf", std::process::id(), pdf.len()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            creance_store::testing::note_skip("PDF text", "pdftotext (poppler-utils) is not installed");
            None
        }
        Err(e) => panic!("pdftotext: {e}"),
        Ok(out) => Some(String::from_utf8(out.stdout).unwrap().replace(['\u{a0}', '\u{202f}'], " ")),
    }
}

#[tokio::test]
async fn the_open_items_pdf_shows_its_filters_every_row_and_the_totals_per_currency() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, content_type, disposition, pdf) =
            get(&env, "/api/v1/open-items?as_of=2026-03-31&overdue=true&limit=1", &[("accept", "application/pdf")])
                .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(content_type, "application/pdf");
        assert_eq!(disposition, "attachment; filename=\"open-items.pdf\"");
        assert!(pdf.starts_with(b"%PDF-"));
        let Some(text) = pdf_text(&pdf) else { return };
        assert!(text.contains("Échéancier des postes ouverts"), "{text}");
        assert!(text.contains("as_of : 2026-03-31"), "{text}");
        assert!(text.contains("overdue : true"), "{text}");
        assert!(!text.contains("limit"), "the page size is no filter: {text}");
        for number in ["F1", "F2", "F3"] {
            assert!(text.contains(number), "{number} in {text}");
        }
        // The totals of the JSON answer, per currency, in the company's locale (French).
        assert!(text.contains("CHF") && text.contains("1 000,00 CHF"), "{text}");
        assert!(text.contains("250,50 €"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn bad_format_or_dialect_values_are_a_400_naming_the_parameter() {
    on_every_engine(|_app, env| async move {
        for (uri, field) in [
            ("/api/v1/open-items?format=xlsx", "format"),
            ("/api/v1/open-items?format=csv&dialect=lotus", "dialect"),
            ("/api/v1/payments?format=doc", "format"),
            ("/api/v1/dunning/letters?dialect=x&format=csv", "dialect"),
        ] {
            let (s, _, v) = call(&env.router, "GET", uri, Some(&env.reader), None).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
            assert_eq!(v["errors"][0]["field"], field, "{uri}: {v}");
        }
    })
    .await;
}

#[tokio::test]
async fn every_list_route_answers_csv_with_its_header_and_pdf() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let routes: [(&str, &lists::ListSpec); 15] = [
            ("/api/v1/open-items", &lists::OPEN_ITEMS),
            ("/api/v1/open-items/by-document", &lists::OPEN_DOCUMENTS),
            ("/api/v1/payments", &lists::PAYMENTS),
            ("/api/v1/advances", &lists::ADVANCES),
            ("/api/v1/deposits/pending", &lists::PAYMENTS_TO_DEPOSIT),
            ("/api/v1/refunds", &lists::REFUNDS),
            ("/api/v1/deposits", &lists::DEPOSITS),
            ("/api/v1/dunning/letters", &lists::LETTERS),
            ("/api/v1/dunning/deliveries", &lists::DELIVERIES),
            ("/api/v1/dunning/proposals", &lists::RUNS),
            ("/api/v1/dunning/to-generate", &lists::TO_GENERATE),
            ("/api/v1/dunning/beyond-last-level", &lists::BEYOND_LAST_LEVEL),
            ("/api/v1/customers", &lists::CUSTOMERS),
            ("/api/v1/contracts", &lists::CONTRACTS),
            ("/api/v1/documents", &lists::DOCUMENTS),
        ];
        for (uri, spec) in routes {
            let (s, content_type, disposition, csv) = get(&env, &format!("{uri}?format=csv"), &[]).await;
            assert_eq!((s, content_type.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"), "{uri}");
            assert_eq!(disposition, format!("attachment; filename=\"{}.csv\"", spec.name));
            let csv = String::from_utf8(csv).unwrap();
            assert_eq!(csv.lines().next().unwrap(), spec.header().join(","), "{uri}");
            // As many rows as the JSON list counts.
            let (_, _, v) = call(&env.router, "GET", uri, Some(&env.reader), None).await;
            assert_eq!(csv.lines().count() as i64 - 1, v["total_count"].as_i64().unwrap(), "{uri}: {csv}");
            let (s, content_type, _, pdf) = get(&env, &format!("{uri}?format=pdf"), &[]).await;
            assert_eq!((s, content_type.as_str()), (StatusCode::OK, "application/pdf"), "{uri}");
            assert!(pdf.starts_with(b"%PDF-"), "{uri}");
        }
    })
    .await;
}

/// The CSV `app` writes for the open items with `chunk` rows per chunk.
async fn open_items_csv(app: &App, company: i64, sort: &str, view: OpenItemsView, chunk: i64) -> String {
    let args = OpenItemArgs { as_of: Some("2026-03-31".into()), sort: Some(sort.into()), ..Default::default() };
    let (filter, sorts, _) = args.parse(creance_core::Date::from_ymd(2026, 3, 31).unwrap()).unwrap();
    let mut sink = WriteSink(Vec::new());
    let q = OpenItemsQuery { company_id: company, filter: &filter, sorts: &sorts, view };
    app.export_open_items_csv(q, Dialect::Excel, chunk, &mut sink).await.unwrap();
    String::from_utf8(sink.0).unwrap()
}

#[tokio::test]
async fn an_export_read_in_chunks_smaller_than_the_list_writes_the_same_rows_in_the_same_order() {
    on_every_engine(|app, env| async move {
        load(&env).await;
        // Ties on every sort key but the id, descending keys, and a nullable one (contract_number).
        for sort in
            ["due_date", "-amount_open,customer_name", "currency,-due_date", "contract_number,-seq", "-days_overdue"]
        {
            for view in [OpenItemsView::ByInstallment, OpenItemsView::ByDocument] {
                let whole = open_items_csv(&app, env.company, sort, view, 10_000).await;
                for chunk in [1, 2, 3] {
                    assert_eq!(
                        open_items_csv(&app, env.company, sort, view, chunk).await,
                        whole,
                        "{sort} {view:?} by {chunk}"
                    );
                }
                assert_eq!(whole.matches('\u{feff}').count(), 1, "one BOM, before the header");
            }
        }
        // The JSON list's order is the export's.
        let csv =
            open_items_csv(&app, env.company, "-amount_open,customer_name", OpenItemsView::ByInstallment, 2).await;
        let (_, _, v) = call(
            &env.router,
            "GET",
            "/api/v1/open-items?as_of=2026-03-31&sort=-amount_open,customer_name",
            Some(&env.reader),
            None,
        )
        .await;
        let ids: Vec<String> = v["items"].as_array().unwrap().iter().map(|i| i["installment_id"].to_string()).collect();
        let exported: Vec<String> = records(&csv, ';')[1..].iter().map(|r| r[0].clone()).collect();
        assert_eq!(exported, ids);
        // A list read page by page (customers) in chunks of one row.
        let mut sink = WriteSink(Vec::new());
        let company = env.company;
        let fetch = |page: Page| {
            let app = app.clone();
            async move { app.customers(company, &Default::default(), page).await }
        };
        let n = app.export_csv_pages(&lists::CUSTOMERS, Dialect::Standard, 1, fetch, &mut sink).await.unwrap();
        assert_eq!(n, 4);
        let numbers: Vec<String> =
            records(&String::from_utf8(sink.0).unwrap(), ',')[1..].iter().map(|r| r[2].clone()).collect();
        assert_eq!(numbers, ["C001", "C002", "C003", "C004"]);
    })
    .await;
}
