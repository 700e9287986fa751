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
    pub(crate) other_company: i64,
    pub(crate) admin: String,
    pub(crate) clerk: String,
    pub(crate) reader: String,
}

pub(crate) async fn env(app: &App) -> Env {
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

pub(crate) async fn call_with(
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
