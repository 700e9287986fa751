//! The edges of the API: body and text limits, sort keys, exact JSON amounts, half-sent requests,
//! per-document maximums and the stable error codes.

use axum::http::StatusCode;
use creance_app::App;
use creance_store::testing::TestDb;
use serde_json::{json, Value};

use crate::api::*;

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
async fn a_body_that_is_not_a_json_object_is_a_422_naming_the_body_and_changes_nothing() {
    on_every_engine(|_app, env| async move {
        // serde reads a struct from an array of its fields too: `[null, null]` once set nothing and
        // answered 200 (found by the API fuzz suite on PUT /settings/reports).
        for body in ["[null, null]", "[\"0,15,45\", \"due_date\"]", "\"0,15\"", "42"] {
            let json = Some(("application/json", body.to_string()));
            let (s, _, v) = call(&env.router, "PUT", "/api/v1/settings/reports", Some(&env.admin), json).await;
            assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("body")), "{v}");
        }
        let (s, _, v) = call(&env.router, "GET", "/api/v1/settings/reports", Some(&env.admin), None).await;
        assert_eq!((s, v["aging_buckets"].as_str()), (StatusCode::OK, Some("0,30,60,90")), "{v}");
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
