//! The API driven through HTTP like a client, on every engine (issue: foundation, point 5).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use creance_app::{Actor, App};
use creance_core::{Currency, Language, Role};
use creance_store::companies::NewCompany;
use creance_store::testing::TestDb;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

pub(crate) struct Env {
    pub(crate) router: Router,
    pub(crate) company: i64,
    other_company: i64,
    pub(crate) admin: String,
    pub(crate) clerk: String,
    pub(crate) reader: String,
}

async fn env(app: &App) -> Env {
    let actor = Actor::new("test", creance_store::testing::TEST_INSTANT);
    let new = |name: &str| NewCompany {
        name: name.into(),
        country: "FR".into(),
        base_currency: Currency::EUR,
        language: Language::Fr,
        address: String::new(),
    };
    let company = app.create_company(&actor, &new("Alpha SARL")).await.unwrap();
    let other_company = app.create_company(&actor, &new("Beta SA")).await.unwrap();
    Env {
        router: creance_server::router(app.clone()),
        company,
        other_company,
        admin: app.create_token(&actor, company, Role::Admin, "").await.unwrap(),
        clerk: app.create_token(&actor, company, Role::Clerk, "").await.unwrap(),
        reader: app.create_token(&actor, company, Role::ReadOnly, "").await.unwrap(),
    }
}

pub(crate) async fn call(
    router: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<(&str, String)>,
) -> (StatusCode, String, Value) {
    call_with(router, method, uri, token, &[], body).await
}

async fn call_with(
    router: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<(&str, String)>,
) -> (StatusCode, String, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some((content_type, text)) => req.header(header::CONTENT_TYPE, content_type).body(Body::from(text)),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let response = router.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, content_type, value)
}

pub(crate) async fn on_every_engine<F, Fut>(scenario: F)
where
    F: Fn(App, Env) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let env = env(&app).await;
        scenario(app, env).await;
        test_db.finish().await;
    }
}

const CUSTOMERS_JSON: &str = r#"[
  {"number": "C001", "name": "Boulangerie Martin", "salesperson": "Claire"},
  {"number": "C002", "name": "Syndic Dubois"},
  {"number": "C003", "name": "Résidence Les Tilleuls", "payer": "C002"},
  {"number": "C004", "name": "Hôtel du Lac", "currency": "CHF", "country": "CH"}
]"#;

const INVOICES_JSON: &str = r#"[
  {"number": "F1", "customer": "C001", "date": "2026-01-01", "total": "100.50",
   "installments": [{"due_date": "2026-01-31", "amount": "100.50"}]},
  {"number": "F2", "customer": "C003", "date": "2026-01-10", "total": 300,
   "installments": [{"due_date": "2026-02-09", "amount": "150.00"}, {"due_date": "2026-12-31", "amount": "150.00"}]},
  {"number": "F3", "customer": "C004", "date": "2026-02-15", "total": "1000.00", "payment_term": "NET30"},
  {"kind": "credit_note", "number": "A1", "customer": "C001", "date": "2026-02-20", "total": "20.00"}
]"#;

pub(crate) async fn load(env: &Env) {
    let (s, _, v) = call(
        &env.router,
        "POST",
        "/api/v1/imports/customers",
        Some(&env.clerk),
        Some(("application/json", CUSTOMERS_JSON.into())),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _, v) = call(
        &env.router,
        "POST",
        "/api/v1/imports/invoices",
        Some(&env.clerk),
        Some(("application/json", INVOICES_JSON.into())),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["created"], 4);
}

#[tokio::test]
async fn every_route_but_health_needs_a_token() {
    on_every_engine(|_app, env| async move {
        let (s, _, v) = call(&env.router, "GET", "/api/health", None, None).await;
        assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("ok")));
        for uri in
            ["/api/v1/open-items", "/api/v1/customers", "/api/v1/companies", "/api/openapi.json", "/api/v1/documents/1"]
        {
            let (s, content_type, v) = call(&env.router, "GET", uri, None, None).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{uri}");
            assert_eq!(content_type, "application/problem+json");
            assert_eq!(v["status"], 401);
            let (s, _, _) = call(&env.router, "GET", uri, Some("crn_not-a-real-token"), None).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{uri} with a wrong token");
        }
    })
    .await;
}

#[tokio::test]
async fn another_companys_data_is_forbidden_and_roles_are_enforced() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let mine = format!("/api/v1/companies/{}/open-items", env.company);
        let theirs = format!("/api/v1/companies/{}/open-items", env.other_company);
        assert_eq!(call(&env.router, "GET", &mine, Some(&env.reader), None).await.0, StatusCode::OK);
        let (s, _, v) = call(&env.router, "GET", &theirs, Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        let (s, _, _) =
            call(&env.router, "GET", &format!("/api/v1/companies/{}", env.other_company), Some(&env.admin), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // A read-only token cannot import.
        let (s, _, v) = call(
            &env.router,
            "POST",
            "/api/v1/imports/customers",
            Some(&env.reader),
            Some(("application/json", "[]".into())),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        assert!(v["detail"].as_str().unwrap().contains("read_only"), "{v}");
        // A document of this company is not visible through the other company's path.
        let (_, _, list) = call(&env.router, "GET", "/api/v1/documents", Some(&env.reader), None).await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        assert_eq!(
            call(&env.router, "GET", &format!("/api/v1/documents/{id}"), Some(&env.reader), None).await.0,
            StatusCode::OK
        );
        let (s, _, _) = call(
            &env.router,
            "GET",
            &format!("/api/v1/companies/{}/documents/{id}", env.other_company),
            Some(&env.reader),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn overdue_open_items_come_with_totals_per_currency() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, _, v) = call(
            &env.router,
            "GET",
            "/api/v1/open-items?overdue=true&as_of=2026-03-31&sort=-days_overdue",
            Some(&env.reader),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let docs: Vec<&str> =
            v["items"].as_array().unwrap().iter().map(|i| i["document_number"].as_str().unwrap()).collect();
        assert_eq!(docs, ["F1", "F2", "F3"]);
        assert_eq!(v["items"][0]["days_overdue"], 59);
        assert_eq!(v["items"][0]["amount_open"], json!({"amount": "100.50", "currency": "EUR"}));
        let totals = v["totals"].as_array().unwrap();
        assert_eq!(totals.len(), 2);
        assert_eq!(totals[0]["currency"], "CHF");
        assert_eq!(totals[0]["amount_overdue"]["amount"], "1000.00");
        assert_eq!(totals[1]["currency"], "EUR");
        assert_eq!(totals[1]["amount_overdue"]["amount"], "250.50");

        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/open-items/by-document?as_of=2026-03-31", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["total_count"], 4);
    })
    .await;
}

#[tokio::test]
async fn bad_query_parameters_are_problems_naming_the_parameter() {
    on_every_engine(|_app, env| async move {
        for (query, field) in [
            ("as_of=2026-02-30", "as_of"),
            ("sort=colour", "sort"),
            ("limit=0", "limit"),
            ("colour=red", "colour"),
            ("currency=XYZ", "currency"),
        ] {
            let (s, content_type, v) =
                call(&env.router, "GET", &format!("/api/v1/open-items?{query}"), Some(&env.reader), None).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
            assert_eq!(content_type, "application/problem+json");
            assert_eq!(v["errors"][0]["field"], field, "{query}: {v}");
            assert_eq!(v["code"], "invalid_field", "{query}: {v}");
        }
        let (s, _, v) = call(&env.router, "GET", "/api/v1/customers/abc", Some(&env.reader), None).await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("id")));
        let (s, _, v) = call(&env.router, "GET", "/api/v1/customers/999999", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(v["code"], "not_found", "{v}");
    })
    .await;
}

#[tokio::test]
async fn a_refused_import_lists_every_bad_row_and_changes_nothing() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let csv = "number;customer;date;total;payment_term\nF10;C001;2026-01-05;120,00;NET30\nF11;C001;31/02/2026;50,00;NET30\nF12;C404;2026-01-07;10,00;NET30\n";
        let (s, _, v) = call(&env.router, "POST", "/api/v1/imports/invoices", Some(&env.clerk), Some(("text/csv", csv.into()))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let rows: Vec<(i64, &str)> = v["rows"].as_array().unwrap().iter().map(|r| (r["line"].as_i64().unwrap(), r["column"].as_str().unwrap())).collect();
        assert_eq!(rows, [(3, "date"), (4, "customer")]);
        assert_eq!(v["code"], "import_rejected", "{v}");
        let (_, _, list) = call(&env.router, "GET", "/api/v1/documents?number=F10", Some(&env.reader), None).await;
        assert_eq!(list["total_count"], 0, "F10 was valid but nothing is imported");
        // Same JSON again: nothing changes and the report says so.
        let (s, _, v) = call(&env.router, "POST", "/api/v1/imports/invoices", Some(&env.clerk), Some(("application/json", INVOICES_JSON.into()))).await;
        assert_eq!((s, v["created"].as_i64(), v["unchanged"].as_i64()), (StatusCode::OK, Some(0), Some(4)));
        let (s, _, v) = call(&env.router, "POST", "/api/v1/imports/invoices", Some(&env.clerk), Some(("application/json", "{not json".into()))).await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("body")));
    })
    .await;
}

#[tokio::test]
async fn resources_are_listed_and_fetched() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/customers?number_from=C002&number_to=C003", Some(&env.reader), None)
                .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["total_count"], 2);
        assert_eq!(v["items"][1]["payer_number"], "C002");
        let id = v["items"][0]["id"].as_i64().unwrap();
        let (s, _, c) = call(&env.router, "GET", &format!("/api/v1/customers/{id}"), Some(&env.reader), None).await;
        assert_eq!((s, c["number"].as_str()), (StatusCode::OK, Some("C002")));
        let (_, _, docs) =
            call(&env.router, "GET", "/api/v1/documents?kind=invoice&number=F2", Some(&env.reader), None).await;
        let f2 = &docs["items"][0];
        assert_eq!(f2["installments"].as_array().unwrap().len(), 2);
        assert_eq!(f2["total"], json!({"amount": "300.00", "currency": "EUR"}));
        let inst = f2["installments"][1]["id"].as_i64().unwrap();
        let (s, _, i) =
            call(&env.router, "GET", &format!("/api/v1/installments/{inst}"), Some(&env.reader), None).await;
        assert_eq!((s, i["seq"].as_i64()), (StatusCode::OK, Some(2)));
        let (s, _, companies) = call(&env.router, "GET", "/api/v1/companies", Some(&env.reader), None).await;
        assert_eq!((s, companies.as_array().unwrap().len()), (StatusCode::OK, 1));
        let (s, _, contracts) = call(&env.router, "GET", "/api/v1/contracts", Some(&env.reader), None).await;
        assert_eq!((s, contracts["total_count"].as_i64()), (StatusCode::OK, Some(0)));
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes() {
    let test_db = TestDb::sqlite().await;
    let app = App::new(test_db.db.clone());
    let env = env(&app).await;
    let (s, _, doc) = call(&env.router, "GET", "/api/openapi.json", Some(&env.reader), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/open-items",
        "/api/v1/open-items/by-document",
        "/api/v1/customers",
        "/api/v1/documents/{id}",
        "/api/v1/imports/{entity}",
        "/api/v1/payments",
        "/api/v1/payments/{id}/allocations",
        "/api/v1/allocations/{id}/reverse",
        "/api/v1/auto-allocations",
        "/api/v1/refunds",
        "/api/v1/deposits/pending",
        "/api/v1/journal",
        "/api/v1/dunning/proposals",
        "/api/v1/dunning/proposals/{id}/issue",
        "/api/v1/dunning/letters/{id}/withdraw",
        "/api/v1/dunning/external",
        "/api/v1/dunning/to-generate",
        "/api/v1/interest-tables/presets/{id}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "missing {path}");
    }
    let params: Vec<&str> = doc["paths"]["/api/v1/open-items"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "overdue",
        "customer_from",
        "customer_to",
        "currency",
        "due_from",
        "days_overdue_min",
        "contract",
        "salesperson",
        "sort",
        "limit",
    ] {
        assert!(params.contains(&p), "open-items lacks parameter {p}");
    }
    let idempotent: Vec<&str> = doc["paths"]["/api/v1/payments"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(idempotent, ["Idempotency-Key"], "recording a payment documents its Idempotency-Key");
    test_db.finish().await;
}

#[tokio::test]
async fn the_real_server_answers_on_a_port() {
    let test_db = TestDb::sqlite().await;
    let app = App::new(test_db.db.clone());
    let env = env(&app).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(creance_server::serve(app.clone(), listener));
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /api/v1/open-items?overdue=true HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        env.reader
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"totals\""), "{response}");
    server.abort();
    test_db.finish().await;
}

/// POSTs JSON as the clerk.
pub(crate) async fn post(env: &Env, uri: &str, body: Value) -> (StatusCode, Value) {
    let (s, _, v) =
        call(&env.router, "POST", uri, Some(&env.clerk), Some(("application/json", body.to_string()))).await;
    (s, v)
}

#[tokio::test]
async fn a_money_post_replays_its_first_answer_for_the_same_idempotency_key() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let body = json!({"customer_number": "C001", "amount": "40.00", "method": "transfer", "date": "2026-03-01"});
        let send = |body: Value| {
            let router = env.router.clone();
            let clerk = env.clerk.clone();
            async move {
                call_with(
                    &router,
                    "POST",
                    "/api/v1/payments",
                    Some(&clerk),
                    &[("Idempotency-Key", "pay-2026-03-01-a")],
                    Some(("application/json", body.to_string())),
                )
                .await
            }
        };
        let (s1, _, first) = send(body.clone()).await;
        assert_eq!(s1, StatusCode::CREATED, "{first}");
        let (s2, _, second) = send(body.clone()).await;
        assert_eq!(s2, StatusCode::CREATED);
        assert_eq!(first, second, "the same answer, not a second payment");
        let (_, _, list) = call(&env.router, "GET", "/api/v1/payments", Some(&env.reader), None).await;
        assert_eq!(list["total_count"], 1);
        let mut other = body.clone();
        other["amount"] = json!("41.00");
        let (s3, ct, refused) = send(other).await;
        assert_eq!(s3, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(ct, "application/problem+json");
        assert_eq!(refused["errors"][0]["field"], "Idempotency-Key");
        assert_eq!(refused["code"], "idempotency_key_reused", "{refused}");
        // Without a key, the same body is a likely duplicate: a 409 naming the earlier payment.
        let (s4, v4) = post(&env, "/api/v1/payments", body).await;
        assert_eq!(s4, StatusCode::CONFLICT, "{v4}");
        assert!(v4["detail"].as_str().unwrap().contains(first["payment"]["number"].as_str().unwrap()), "{v4}");
        assert_eq!(v4["code"], "likely_duplicate", "{v4}");
    })
    .await;
}

#[tokio::test]
async fn payments_are_recorded_allocated_unallocated_refunded_and_deposited_through_the_api() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, paid) = post(
            &env,
            "/api/v1/payments",
            json!({"customer_number": "C001", "amount": "500.00", "method": "cheque", "piece_number": "CHQ 991",
                   "date": "2026-03-01", "allocate": "proposal"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{paid}");
        let id = paid["payment"]["id"].as_i64().unwrap();
        assert!(!paid["allocations"].as_array().unwrap().is_empty());
        let allocation = paid["allocations"][0]["id"].as_i64().unwrap();
        let (s, rev) = post(&env, &format!("/api/v1/allocations/{allocation}/reverse"), json!({})).await;
        assert_eq!(s, StatusCode::CREATED, "{rev}");
        assert_eq!(rev["reverses_id"], allocation);
        let (s, _, proposal) = call(&env.router, "GET", &format!("/api/v1/payments/{id}/proposal"), Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!proposal["lines"].as_array().unwrap().is_empty(), "{proposal}");
        let (s, again) = post(&env, &format!("/api/v1/payments/{id}/allocations"), json!({"proposal": true})).await;
        assert_eq!(s, StatusCode::CREATED, "{again}");
        let (s, bad) = post(&env, &format!("/api/v1/payments/{id}/allocations"), json!({"lines": [{"installment_id": "x"}]})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");

        // The rest is refunded; the letter is ready once allocated.
        let (s, refund) = post(
            &env,
            "/api/v1/refunds",
            json!({"customer_number": "C001", "amount": "1.00", "reason": "overpayment", "method": "transfer", "allocate": "auto"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{refund}");
        let (s, _, letter) =
            call(&env.router, "GET", &format!("/api/v1/refunds/{}/letter", refund["id"]), Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{letter}");

        // Deposits: a clerk cannot add a bank account; an admin can.
        let (_, _, pending) = call(&env.router, "GET", "/api/v1/deposits/pending?as_of=2026-03-31", Some(&env.reader), None).await;
        assert_eq!(pending["total_count"], 1, "{pending}");
        let (s, _) = post(&env, "/api/v1/bank-accounts", json!({"name": "BNP"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, bank) = call(
            &env.router,
            "POST",
            "/api/v1/bank-accounts",
            Some(&env.admin),
            Some(("application/json", json!({"name": "BNP", "iban": "FR7630006000011234567890189"}).to_string())),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{bank}");
        let (s, slip) = post(&env, "/api/v1/deposits", json!({"bank_account_id": bank["id"], "payment_ids": [id], "date": "2026-03-31"})).await;
        assert_eq!(s, StatusCode::CREATED, "{slip}");
        let (s, valid) = post(&env, &format!("/api/v1/deposits/{}/validate", slip["deposit"]["id"]), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{valid}");
        assert_eq!(valid["deposit"]["status"], "validated");

        let req = Request::builder()
            .uri("/api/v1/journal?format=fec&from=2026-01-01&to=2026-12-31")
            .header(header::AUTHORIZATION, format!("Bearer {}", env.reader))
            .body(Body::empty())
            .unwrap();
        let response = env.router.clone().oneshot(req).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let text = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(text.starts_with("JournalCode\tJournalLib\tEcritureNum"), "{text}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_concurrent_allocation_requests_answer_201_or_409_never_500() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (_, paid) = post(
            &env,
            "/api/v1/payments",
            json!({"customer_number": "C001", "amount": "100.00", "method": "transfer"}),
        )
        .await;
        let id = paid["payment"]["id"].as_i64().unwrap();
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let router = env.router.clone();
            let clerk = env.clerk.clone();
            tasks.push(tokio::spawn(async move {
                call(
                    &router,
                    "POST",
                    &format!("/api/v1/payments/{id}/allocations"),
                    Some(&clerk),
                    Some(("application/json", json!({"proposal": true}).to_string())),
                )
                .await
            }));
        }
        let mut created = 0;
        for t in tasks {
            let (s, _, v) = t.await.unwrap();
            assert!(s == StatusCode::CREATED || s == StatusCode::CONFLICT, "{s}: {v}");
            if s == StatusCode::CONFLICT {
                // Late: nothing left to allocate; on PostgreSQL, a race lost five times or the guard.
                let code = v["code"].as_str().unwrap_or_default();
                assert!(
                    ["nothing_to_allocate", "over_allocation", "exceeds_unallocated", "lost_race"].contains(&code),
                    "{v}"
                );
            }
            if s == StatusCode::CREATED {
                created += 1;
            }
        }
        assert!(created >= 1);
        let (_, _, after) = call(&env.router, "GET", &format!("/api/v1/payments/{id}"), Some(&env.reader), None).await;
        assert_eq!(after["payment"]["unallocated"]["amount"], "0.00", "{after}");
    })
    .await;
}

#[tokio::test]
async fn dunning_is_proposed_edited_issued_and_withdrawn_through_the_api() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, v) = post(&env, "/api/v1/dunning/proposals", json!({"as_of": "2026-03-01", "bogus": 1})).await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("bogus")), "{v}");
        let (s, p) = post(&env, "/api/v1/dunning/proposals", json!({"as_of": "2026-03-20"})).await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let run = p["run"]["id"].as_i64().unwrap();
        let letters = p["letters"]["items"].as_array().unwrap();
        let payers: Vec<&str> = letters.iter().map(|l| l["payer_number"].as_str().unwrap()).collect();
        assert_eq!(payers, ["C001", "C002", "C004"], "one letter per payer and currency; C003 through C002");
        let c001 = &letters[0];
        assert_eq!(c001["credits_total"], json!({"amount": "20.00", "currency": "EUR"}));
        assert_eq!(c001["total_due"], json!({"amount": "80.50", "currency": "EUR"}));
        let letter = c001["id"].as_i64().unwrap();
        let (s, _, d) =
            call(&env.router, "GET", &format!("/api/v1/dunning/letters/{letter}"), Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK);
        let kinds: Vec<&str> = d["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["due", "credit"]);
        // Edits: a skip is refused by the default policy; texts with an unknown placeholder are refused.
        let (s, v) = post(
            &env,
            &format!("/api/v1/dunning/letters/{letter}/level"),
            json!({"level": 3, "force": true, "reason": "x"}),
        )
        .await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("level")), "{v}");
        let texts = json!({"subject": "Relance {level}", "opening": "Bonjour {payer_name},", "closing": "Merci."});
        let (s, _, v) = call(
            &env.router,
            "PUT",
            &format!("/api/v1/dunning/letters/{letter}/texts"),
            Some(&env.clerk),
            Some(("application/json", texts.to_string())),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["preview"]["opening"], "Bonjour Boulangerie Martin,");
        let bad = json!({"subject": "{montant}", "opening": "", "closing": ""});
        let (s, _, v) = call(
            &env.router,
            "PUT",
            &format!("/api/v1/dunning/letters/{letter}/texts"),
            Some(&env.clerk),
            Some(("application/json", bad.to_string())),
        )
        .await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("subject")), "{v}");
        let (s, v) = post(&env, &format!("/api/v1/dunning/letters/{letter}/send"), json!({"send": false})).await;
        assert_eq!((s, &v["letter"]["send"]), (StatusCode::OK, &json!(false)));
        // A reader cannot issue; a clerk issues once, and the same key replays the answer.
        let (s, _, _) =
            call(&env.router, "POST", &format!("/api/v1/dunning/proposals/{run}/issue"), Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let issue = |key: &'static str| {
            let router = env.router.clone();
            let clerk = env.clerk.clone();
            async move {
                call_with(
                    &router,
                    "POST",
                    &format!("/api/v1/dunning/proposals/{run}/issue"),
                    Some(&clerk),
                    &[("Idempotency-Key", key)],
                    None,
                )
                .await
            }
        };
        let (s, _, first) = issue("issue-1").await;
        assert_eq!(s, StatusCode::OK, "{first}");
        assert_eq!(
            (first["letters_issued"].as_i64(), first["first_number"].as_str()),
            (Some(3), Some("LR-2026-000001"))
        );
        let (s, _, again) = issue("issue-1").await;
        assert_eq!((s, &again), (StatusCode::OK, &first), "replayed");
        let (s, _, v) = issue("issue-2").await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        let (_, _, progress) =
            call(&env.router, "GET", "/api/v1/dunning/letters?in_progress=true", Some(&env.reader), None).await;
        assert_eq!(progress["total_count"], 3);
        let (_, _, queue) =
            call(&env.router, "GET", "/api/v1/dunning/deliveries?status=queued", Some(&env.reader), None).await;
        assert_eq!(queue["total_count"], 2, "the letter marked issued without sending is not queued");
        // Withdraw by number; record a reminder made by phone; the history shows both.
        let (s, v) =
            post(&env, "/api/v1/dunning/letters/LR-2026-000001/withdraw", json!({"reason": "wrong address"})).await;
        assert_eq!((s, v["letter"]["status"].as_str()), (StatusCode::OK, Some("withdrawn")), "{v}");
        let (s, v) = post(
            &env,
            "/api/v1/dunning/external",
            json!({"document_number": "F1", "level": 1, "date": "2026-03-25", "channel": "phone", "note": "promised"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let customer = c001["payer_id"].as_i64().unwrap();
        let (_, _, h) = call(
            &env.router,
            "GET",
            &format!("/api/v1/dunning/history?customer_id={customer}"),
            Some(&env.reader),
            None,
        )
        .await;
        let sources: Vec<(&str, &str)> = h
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["source"].as_str().unwrap(), e["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            sources,
            [("letter", "withdrawn"), ("external", "recorded")],
            "newest first: the letter is dated today"
        );
        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/dunning/to-generate?levels=one", Some(&env.reader), None).await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("levels")));
        // Settings: a preset rate table (admin only), a blocked installment.
        let (s, _, _) =
            call(&env.router, "POST", "/api/v1/interest-tables/presets/fr_b2b", Some(&env.clerk), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, t) =
            call(&env.router, "POST", "/api/v1/interest-tables/presets/fr_b2b", Some(&env.admin), None).await;
        assert_eq!((s, t["indemnity"].as_str()), (StatusCode::CREATED, Some("40.00")), "{t}");
        let (s, v) =
            post(&env, "/api/v1/installments/blocks", json!({"installment_ids": [999999], "reason": "dispute"})).await;
        assert_eq!(
            (s, v["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("installment_ids[0]")),
            "{v}"
        );
    })
    .await;
}

/// The id of the company's token with this role, as the admin list shows it.
fn token_id(list: &Value, role: &str) -> i64 {
    list.as_array().unwrap().iter().find(|t| t["role"] == role).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn tokens_are_listed_without_secrets_and_a_revoked_token_stops_at_once() {
    on_every_engine(|app, env| async move {
        let (s, _, list) = call(&env.router, "GET", "/api/v1/tokens", Some(&env.admin), None).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let roles: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["role"].as_str().unwrap()).collect();
        assert_eq!(roles, ["admin", "clerk", "read_only"]);
        let text = list.to_string();
        assert!(!text.contains(&env.reader) && !text.contains("hash"), "no secret listed: {text}");
        assert!(list[0]["created_at"].is_string() && list[0]["revoked_at"].is_null(), "{list}");
        // Admins only.
        for token in [&env.clerk, &env.reader] {
            let (s, _, _) = call(&env.router, "GET", "/api/v1/tokens", Some(token), None).await;
            assert_eq!(s, StatusCode::FORBIDDEN);
        }
        let reader = token_id(&list, "read_only");
        let (s, _, _) =
            call(&env.router, "POST", &format!("/api/v1/tokens/{reader}/revoke"), Some(&env.clerk), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Another company's token can be neither revoked nor listed from here.
        let other = app
            .create_token(
                &Actor::new("test", creance_store::testing::TEST_INSTANT),
                env.other_company,
                Role::ReadOnly,
                "",
            )
            .await
            .unwrap();
        let (_, _, mine) = call(&env.router, "GET", "/api/v1/tokens", Some(&env.admin), None).await;
        assert_eq!(mine.as_array().unwrap().len(), 3, "the other company's token is not listed");
        let other_id = app.tokens(env.other_company).await.unwrap()[0].id;
        let (s, _, v) =
            call(&env.router, "POST", &format!("/api/v1/tokens/{other_id}/revoke"), Some(&env.admin), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
        let (s, _, _) = call(&env.router, "GET", "/api/v1/customers", Some(&other), None).await;
        assert_eq!(s, StatusCode::OK, "the other company's token still works");
        let uri = format!("/api/v1/companies/{}/tokens", env.other_company);
        let (s, _, _) = call(&env.router, "GET", &uri, Some(&env.admin), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // The reader works, is revoked, and is refused from the next request on.
        let (s, _, _) = call(&env.router, "GET", "/api/v1/customers", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _, revoked) =
            call(&env.router, "POST", &format!("/api/v1/tokens/{reader}/revoke"), Some(&env.admin), None).await;
        assert_eq!(s, StatusCode::OK, "{revoked}");
        assert!(revoked["revoked_at"].is_string(), "{revoked}");
        let (s, _, _) = call(&env.router, "GET", "/api/v1/customers", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _, again) =
            call(&env.router, "POST", &format!("/api/v1/tokens/{reader}/revoke"), Some(&env.admin), None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{again}");
        let (_, _, list) = call(&env.router, "GET", "/api/v1/tokens", Some(&env.admin), None).await;
        assert!(list[2]["revoked_at"].is_string() && list[1]["revoked_at"].is_null(), "{list}");
    })
    .await;
}

#[tokio::test]
async fn the_batch_allocation_preview_needs_the_clerk_role_like_its_confirmation() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let body = || Some(("application/json", json!({}).to_string()));
        let (s, _, _) = call(&env.router, "POST", "/api/v1/auto-allocations", Some(&env.reader), body()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, preview) = call(&env.router, "POST", "/api/v1/auto-allocations", Some(&env.clerk), body()).await;
        assert_eq!(s, StatusCode::OK, "{preview}");
        assert_eq!(preview["confirmed"], false);
    })
    .await;
}

#[tokio::test]
async fn a_payment_changes_customer_through_the_api_while_nothing_of_it_is_allocated() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, paid) = post(
            &env,
            "/api/v1/payments",
            json!({"customer_number": "C001", "amount": "150.00", "method": "transfer", "date": "2026-03-01"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{paid}");
        let id = paid["payment"]["id"].as_i64().unwrap();
        let c001 = paid["payment"]["customer_id"].as_i64().unwrap();
        // Naming two different customers is a 422 on customer_number, on every request taking both.
        let (s, v) = post(
            &env,
            "/api/v1/payments",
            json!({"customer_id": c001, "customer_number": "C002", "amount": "1.00", "method": "transfer"}),
        )
        .await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("customer_number")));
        let (s, v) = post(
            &env,
            "/api/v1/refunds",
            json!({"customer_id": c001, "customer_number": "C002", "amount": "1.00", "reason": "other", "method": "transfer"}),
        )
        .await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("customer_number")));
        let uri = format!("/api/v1/payments/{id}/customer");
        let (s, v) = post(&env, &uri, json!({"customer_id": c001, "customer_number": "C003"})).await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("customer_number")));

        // A reader may not; a clerk moves it to C003, whose F2 is then proposed.
        let body = json!({"customer_number": "C003"}).to_string();
        let (s, _, _) = call(&env.router, "POST", &uri, Some(&env.reader), Some(("application/json", body))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, moved) = post(&env, &uri, json!({"customer_number": "C003"})).await;
        assert_eq!(s, StatusCode::OK, "{moved}");
        assert_eq!(moved["payment"]["customer_number"], "C003");
        assert_eq!(moved["proposal"]["lines"][0]["document_number"], "F2", "{moved}");
        // Allocated, it stays where it is.
        let (s, _) = post(&env, &format!("/api/v1/payments/{id}/allocations"), json!({"proposal": true})).await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, v) = post(&env, &uri, json!({"customer_number": "C001"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        assert!(v["detail"].as_str().unwrap().contains(paid["payment"]["number"].as_str().unwrap()), "{v}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_identical_concurrent_refunds_of_a_25_00_payment_answer_one_201_and_fifteen_409() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (_, paid) = post(
            &env,
            "/api/v1/payments",
            json!({"customer_number": "C002", "amount": "25.00", "method": "transfer", "piece_number": "VIR 25"}),
        )
        .await;
        let id = paid["payment"]["id"].as_i64().unwrap();
        let body = json!({"customer_number": "C002", "amount": "25.00", "reason": "overpayment", "method": "transfer",
                          "piece_number": "RB 1", "allocate": {"lines": [{"payment_id": id}]}})
        .to_string();
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (router, clerk, body) = (env.router.clone(), env.clerk.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                call(&router, "POST", "/api/v1/refunds", Some(&clerk), Some(("application/json", body))).await
            }));
        }
        let (mut created, mut conflicts) = (0, 0);
        for t in tasks {
            let (s, _, v) = t.await.unwrap();
            match s {
                StatusCode::CREATED => {
                    created += 1;
                    assert_eq!(v["to_allocate"]["amount"], "0.00", "{v}");
                }
                // The payment has nothing left, or (once the first is recorded) a likely duplicate.
                StatusCode::CONFLICT => conflicts += 1,
                _ => panic!("{s}: {v}"),
            }
        }
        assert_eq!((created, conflicts), (1, 15));
        let (_, _, after) = call(&env.router, "GET", &format!("/api/v1/payments/{id}"), Some(&env.reader), None).await;
        assert_eq!(after["payment"]["unallocated"]["amount"], "0.00", "{after}");
        let (_, _, list) = call(&env.router, "GET", "/api/v1/refunds", Some(&env.reader), None).await;
        assert_eq!(list["total_count"], 1, "{list}");
    })
    .await;
}

#[tokio::test]
async fn dunning_rules_of_issue_9_through_the_api() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        // Nothing late on 15 January: no draft is saved, 200 with no run and an empty left-out list.
        let (s, p) = post(&env, "/api/v1/dunning/proposals", json!({"as_of": "2026-01-15"})).await;
        assert_eq!((s, &p["run"], &p["letters"]["total_count"]), (StatusCode::OK, &Value::Null, &json!(0)), "{p}");
        let (_, _, runs) = call(&env.router, "GET", "/api/v1/dunning/proposals", Some(&env.reader), None).await;
        assert_eq!(runs["total_count"], 0);
        // The payer's comment, edited through the API, shows on its letter with its days late.
        let (_, _, v) =
            call(&env.router, "GET", "/api/v1/customers?number_from=C001&number_to=C001", Some(&env.reader), None)
                .await;
        let c001 = v["items"][0]["id"].as_i64().unwrap();
        let (s, _, v) = call(
            &env.router,
            "PUT",
            &format!("/api/v1/customers/{c001}/comment"),
            Some(&env.clerk),
            Some(("application/json", json!({"comment": "Payer on the 10th"}).to_string())),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // Days overdue: F1 (due 31 January) is 48 days late on 20 March; at least 40 days selects it alone.
        let (s, _, v) = call(
            &env.router,
            "GET",
            "/api/v1/dunning/to-generate?as_of=2026-03-20&days_overdue_min=40",
            Some(&env.reader),
            None,
        )
        .await;
        let payers: Vec<&str> = v["items"].as_array().unwrap().iter().map(|r| r["payer_number"].as_str().unwrap()).collect();
        assert_eq!((s, payers), (StatusCode::OK, vec!["C001"]), "F2 (due 9 February) is 39 days late: {v}");
        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/dunning/to-generate?days_overdue_min=many", Some(&env.reader), None)
                .await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("days_overdue_min")), "{v}");
        let (s, p) = post(&env, "/api/v1/dunning/proposals", json!({"as_of": "2026-03-20"})).await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let l = &p["letters"]["items"][0];
        assert_eq!(
            (l["payer_number"].as_str(), l["payer_comment"].as_str(), l["days_late_total"].as_i64(), l["days_late_max"].as_i64()),
            (Some("C001"), Some("Payer on the 10th"), Some(48), Some(48)),
            "{l}"
        );
        // An external reminder never skips a level; the legal follow-up list is empty for now.
        let (s, v) = post(
            &env,
            "/api/v1/dunning/external",
            json!({"document_number": "F3", "level": 2, "date": "2026-03-20", "channel": "phone", "force": true, "reason": "x"}),
        )
        .await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("level")), "{v}");
        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/dunning/beyond-last-level?as_of=2026-03-20", Some(&env.reader), None)
                .await;
        assert_eq!((s, &v["total_count"]), (StatusCode::OK, &json!(0)), "{v}");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------------
// Issue 9 (helper A): limits on bodies, texts, sort keys and time; exact JSON amounts.

#[tokio::test]
async fn a_body_above_its_route_limit_is_a_413_naming_the_limit_while_imports_take_larger_files() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        // 1 MiB and one byte of JSON on an ordinary route.
        let note = "x".repeat(creance_server::BODY_LIMIT_BYTES);
        let body = json!({"customer_number": "C001", "amount": "1.00", "method": "transfer", "note": note}).to_string();
        let (s, ct, v) =
            call(&env.router, "POST", "/api/v1/payments", Some(&env.clerk), Some(("application/json", body))).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
        assert_eq!(ct, "application/problem+json");
        assert_eq!(v["errors"][0]["field"], "body");
        assert!(v["detail"].as_str().unwrap().contains("1048576 bytes"), "{v}");
        // An import of 1.5 MiB is read (here: blank lines only, which says the file is empty).
        let csv = "\n".repeat(1024 * 1024 * 3 / 2);
        let (s, _, v) =
            call(&env.router, "POST", "/api/v1/imports/customers", Some(&env.clerk), Some(("text/csv", csv))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["rows"][0]["reason"].as_str().unwrap().contains("empty"), "{v}");
    })
    .await;
}

#[tokio::test]
async fn a_text_longer_than_its_field_takes_is_a_422_naming_the_field_and_the_maximum() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let body = json!({"customer_number": "C001", "amount": "1.00", "method": "transfer", "note": "n".repeat(2001)});
        let (s, v) = post(&env, "/api/v1/payments", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["errors"][0]["field"], "note");
        assert!(v["errors"][0]["reason"].as_str().unwrap().contains("at most 2000"), "{v}");
        let body =
            json!({"customer_number": "C001", "amount": "1.00", "method": "transfer", "piece_number": "p".repeat(101)});
        let (s, v) = post(&env, "/api/v1/payments", body).await;
        assert_eq!(
            (s, v["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("piece_number")),
            "{v}"
        );
        let csv = format!("number;name\nC9;{}\n", "N".repeat(201));
        let (s, _, v) =
            call(&env.router, "POST", "/api/v1/imports/customers", Some(&env.clerk), Some(("text/csv", csv))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!((v["rows"][0]["line"].as_i64(), v["rows"][0]["column"].as_str()), (Some(2), Some("name")), "{v}");
        assert!(v["rows"][0]["reason"].as_str().unwrap().contains("at most 200"), "{v}");
    })
    .await;
}

#[tokio::test]
async fn two_thousand_sort_keys_are_a_400_naming_sort_not_a_500() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let keys = vec!["due_date"; 2000].join(",");
        let (s, _, v) =
            call(&env.router, "GET", &format!("/api/v1/open-items?sort={keys}"), Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(v["errors"][0]["field"], "sort");
        assert!(v["errors"][0]["reason"].as_str().unwrap().contains("at most 8"), "{v}");
        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/open-items?sort=due_date,-due_date", Some(&env.reader), None).await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("sort")), "{v}");
        let (s, _, v) = call(
            &env.router,
            "GET",
            "/api/v1/open-items?sort=customer_number,-amount_open,due_date",
            Some(&env.reader),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    })
    .await;
}

#[tokio::test]
async fn a_payment_amount_as_an_exact_json_number_is_accepted_and_an_inexact_one_refused() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let body = |amount: &str| {
            serde_json::from_str::<Value>(&format!(
                r#"{{"customer_number":"C001","amount":{amount},"method":"transfer","date":"2026-03-01"}}"#
            ))
            .unwrap()
        };
        let (s, v) = post(&env, "/api/v1/payments", body("40.5")).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["payment"]["amount"]["amount"], "40.50");
        for amount in ["10.10000000000000001", "1e2", "1234567890123456.78"] {
            let (s, v) = post(&env, "/api/v1/payments", body(amount)).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{amount}: {v}");
            assert_eq!(v["errors"][0]["field"], "amount", "{amount}: {v}");
        }
    })
    .await;
}

/// Reads from `stream` until the server closes it, failing if that takes longer than `bound`.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, bound: std::time::Duration) -> String {
    use tokio::io::AsyncReadExt;
    let mut out = Vec::new();
    match tokio::time::timeout(bound, stream.read_to_end(&mut out)).await {
        Ok(Ok(_)) | Ok(Err(_)) => String::from_utf8_lossy(&out).into_owned(),
        Err(_) => panic!("the server kept a half-sent request open longer than {bound:?}"),
    }
}

#[tokio::test]
async fn a_half_sent_request_is_disconnected_within_the_timeouts() {
    let test_db = TestDb::sqlite().await;
    let app = App::new(test_db.db.clone());
    let env = env(&app).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let timeouts = creance_server::Timeouts {
        header_read: std::time::Duration::from_millis(500),
        request: std::time::Duration::from_millis(500),
    };
    let server = tokio::spawn(creance_server::serve_with(app.clone(), listener, timeouts));
    use tokio::io::AsyncWriteExt;
    let bound = std::time::Duration::from_secs(5);

    // Nothing at all: the connection is closed after the header-read timeout.
    let started = std::time::Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let answer = read_until_closed(&mut stream, bound).await;
    assert!(!answer.contains("200 OK"), "{answer}");
    assert!(started.elapsed() >= timeouts.header_read, "closed after {:?}", started.elapsed());

    // Half a header: the connection is closed after the header-read timeout.
    let started = std::time::Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(format!("GET /api/health HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, bound).await;
    assert!(!answer.contains("200 OK"), "{answer}");
    assert!(started.elapsed() >= timeouts.header_read, "closed after {:?}", started.elapsed());

    // The whole header but half the body: 408 problem+json, then the connection is closed.
    let started = std::time::Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/payments HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"amount\":",
        env.clerk
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, bound).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request timeout"), "{answer}");
    assert!(started.elapsed() >= timeouts.request, "answered after {:?}", started.elapsed());

    // A whole request is still answered.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET /api/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, bound).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    server.abort();
    test_db.finish().await;
}

#[tokio::test]
async fn a_company_maximum_per_document_is_set_through_the_api_and_refuses_a_larger_invoice() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let put = json!({"deposits_to_bank_journal": false, "duplicate_window_days": 7, "document_amount_max": 1000});
        let (s, _, v) = call(
            &env.router,
            "PUT",
            "/api/v1/settings/money",
            Some(&env.admin),
            Some(("application/json", put.to_string())),
        )
        .await;
        assert_eq!((s, v["document_amount_max"].as_i64()), (StatusCode::OK, Some(1000)), "{v}");
        let csv = "number;customer;date;total;due_date\nF-BIG;C001;2026-01-15;1000.01;2026-02-14\n";
        let (s, _, v) =
            call(&env.router, "POST", "/api/v1/imports/invoices", Some(&env.clerk), Some(("text/csv", csv.into())))
                .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!((v["rows"][0]["line"].as_i64(), v["rows"][0]["column"].as_str()), (Some(2), Some("total")), "{v}");
        assert!(v["rows"][0]["reason"].as_str().unwrap().contains("1000.00 EUR"), "{v}");
        let put = json!({"deposits_to_bank_journal": false, "duplicate_window_days": 7, "document_amount_max": 0});
        let (s, _, v) = call(
            &env.router,
            "PUT",
            "/api/v1/settings/money",
            Some(&env.admin),
            Some(("application/json", put.to_string())),
        )
        .await;
        assert_eq!(
            (s, v["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("document_amount_max"))
        );
    })
    .await;
}

#[tokio::test]
async fn every_error_answer_carries_a_stable_code_beside_its_detail() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        // 404: a payment that does not exist.
        let (s, ct, v) = call(&env.router, "GET", "/api/v1/payments/999999", Some(&env.reader), None).await;
        assert_eq!(
            (s, ct.as_str(), v["code"].as_str()),
            (StatusCode::NOT_FOUND, "application/problem+json", Some("not_found")),
            "{v}"
        );
        // 422 naming the field: an amount of zero.
        let (s, v) =
            post(&env, "/api/v1/payments", json!({"customer_number": "C001", "amount": "0", "method": "transfer"}))
                .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(
            (v["code"].as_str(), v["errors"][0]["field"].as_str()),
            (Some("invalid_field"), Some("amount")),
            "{v}"
        );
        assert_eq!(v["errors"][0]["code"], "invalid_field", "{v}");
        // 422 on `lines` with the allocation rule's own code: an installment the payment may not pay.
        let (s, paid) = post(
            &env,
            "/api/v1/payments",
            json!({"customer_number": "C001", "amount": "500.00", "method": "transfer", "date": "2026-03-01"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{paid}");
        let id = paid["payment"]["id"].as_i64().unwrap();
        let (_, _, docs) =
            call(&env.router, "GET", "/api/v1/documents?kind=invoice&number=F1", Some(&env.reader), None).await;
        let f1 = docs["items"][0]["installments"][0]["id"].as_i64().unwrap();
        let (_, _, docs) =
            call(&env.router, "GET", "/api/v1/documents?kind=invoice&number=F2", Some(&env.reader), None).await;
        let f2 = docs["items"][0]["installments"][0]["id"].as_i64().unwrap();
        let lines =
            |installment: i64, amount: &str| json!({"lines": [{"installment_id": installment, "amount": amount}]});
        let (s, v) = post(&env, &format!("/api/v1/payments/{id}/allocations"), lines(f2, "10.00")).await;
        assert_eq!(
            (s, v["code"].as_str(), v["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_target"), Some("lines")),
            "{v}"
        );
        // 409 over-allocation: 200.00 against the 100.50 F1 has open.
        let (s, v) = post(&env, &format!("/api/v1/payments/{id}/allocations"), lines(f1, "200.00")).await;
        assert_eq!((s, v["code"].as_str()), (StatusCode::CONFLICT, Some("over_allocation")), "{v}");
        assert!(v["detail"].as_str().unwrap().contains("100.50"), "{v}");
        // 409 already reversed: the same allocation reversed twice.
        let (s, made) = post(&env, &format!("/api/v1/payments/{id}/allocations"), lines(f1, "100.50")).await;
        assert_eq!(s, StatusCode::CREATED, "{made}");
        let allocation = made[0]["id"].as_i64().unwrap();
        let (s, _) = post(&env, &format!("/api/v1/allocations/{allocation}/reverse"), json!({})).await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, v) = post(&env, &format!("/api/v1/allocations/{allocation}/reverse"), json!({})).await;
        assert_eq!((s, v["code"].as_str()), (StatusCode::CONFLICT, Some("already_reversed")), "{v}");
        // The server's own answers have codes too.
        let (s, _, v) = call(&env.router, "GET", "/api/v1/payments", None, None).await;
        assert_eq!((s, v["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")), "{v}");
        // The OpenAPI document says so.
        let (_, _, doc) = call(&env.router, "GET", "/api/openapi.json", Some(&env.reader), None).await;
        let problem = &doc["components"]["schemas"]["Problem"];
        assert!(problem["properties"]["code"].is_object(), "{problem}");
        assert!(problem["required"].as_array().unwrap().contains(&json!("code")), "{problem}");
        let codes = &doc["components"]["schemas"]["ErrorCode"]["enum"];
        assert!(codes.as_array().is_some_and(|c| c.contains(&json!("over_allocation"))), "{codes}");
    })
    .await;
}
