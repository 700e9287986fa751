//! The reports through HTTP (issue 12 point 6), on every engine: the aging report, a statement
//! and DSO as JSON, CSV and PDF; the report settings; bad parameters named in a 400.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::api::{call, load, on_every_engine, Env};

async fn get(env: &Env, uri: &str, accept: Option<&str>) -> (StatusCode, String, String, Vec<u8>) {
    let mut req =
        Request::builder().method("GET").uri(uri).header(header::AUTHORIZATION, format!("Bearer {}", env.reader));
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    let response = env.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let text = |name| response.headers().get(name).map(|v: &header::HeaderValue| v.to_str().unwrap().to_string());
    let (status, content_type, disposition) = (
        response.status(),
        text(header::CONTENT_TYPE).unwrap_or_default(),
        text(header::CONTENT_DISPOSITION).unwrap_or_default(),
    );
    (status, content_type, disposition, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn the_reports_answer_json_csv_and_pdf() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/reports/aging?as_of=2026-03-31", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["past"], true);
        assert_eq!(v["buckets"][0], json!({"key": "current", "days_from": null, "days_to": 0}));
        // F1 (100.50, due 31 January: 59 days) and A1 (20.00 credit note) for C001.
        let c1 = v["rows"].as_array().unwrap().iter().find(|r| r["customer_number"] == "C001").unwrap();
        assert_eq!(c1["buckets"][2], json!({"amount": "100.50", "currency": "EUR"}));
        assert_eq!(c1["credits_unallocated"], json!({"amount": "20.00", "currency": "EUR"}));
        assert_eq!(c1["balance"], json!({"amount": "80.50", "currency": "EUR"}));
        assert_eq!(v["totals"].as_array().unwrap().len(), 2, "EUR and CHF: {v}");

        let (s, content_type, disposition, csv) =
            get(&env, "/api/v1/reports/aging?as_of=2026-03-31&format=csv", None).await;
        assert_eq!((s, content_type.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
        assert_eq!(disposition, "attachment; filename=\"aging.csv\"");
        let csv = String::from_utf8(csv).unwrap();
        assert!(
            csv.contains("C001,Boulangerie Martin,EUR,0.00,0.00,100.50,0.00,0.00,100.50,20.00,20.00,0.00,80.50"),
            "{csv}"
        );
        let (s, content_type, _, pdf) =
            get(&env, "/api/v1/reports/aging?as_of=2026-03-31", Some("application/pdf")).await;
        assert_eq!((s, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        assert!(pdf.starts_with(b"%PDF"));

        let uri = "/api/v1/reports/statement?customer=C001&from=2026-01-01&to=2026-03-31";
        let (s, _, v) = call(&env.router, "GET", uri, Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let eur = &v["currencies"][0];
        assert_eq!(eur["opening_balance"]["amount"], "0.00");
        assert_eq!(eur["closing_balance"]["amount"], "80.50");
        assert_eq!(eur["lines"].as_array().unwrap().len(), 2);
        let (s, content_type, _, pdf) = get(&env, &format!("{uri}&format=pdf"), None).await;
        assert_eq!((s, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        assert!(pdf.starts_with(b"%PDF"));
        let (s, _, disposition, _) = get(&env, uri, Some("text/csv")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(disposition, "attachment; filename=\"statement-C001-2026-01-01-2026-03-31.csv\"");

        let (s, _, v) =
            call(&env.router, "GET", "/api/v1/reports/dso?from=2026-01-01&to=2026-03-31", Some(&env.reader), None)
                .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["days"], 90);
        let (s, _, _, _) = get(&env, "/api/v1/reports/dso?from=2026-01-01&to=2026-03-31&format=csv", None).await;
        assert_eq!(s, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn report_settings_and_bad_parameters() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, _, v) = call(&env.router, "GET", "/api/v1/settings/reports", Some(&env.reader), None).await;
        assert_eq!((s, v), (StatusCode::OK, json!({"aging_buckets": "0,30,60,90", "aging_basis": "due_date"})));
        let body = json!({"aging_buckets": "0,10,20"}).to_string();
        let (s, _, v) = call(
            &env.router,
            "PUT",
            "/api/v1/settings/reports",
            Some(&env.clerk),
            Some(("application/json", body.clone())),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        let (s, _, v) =
            call(&env.router, "PUT", "/api/v1/settings/reports", Some(&env.admin), Some(("application/json", body)))
                .await;
        assert_eq!((s, v["aging_buckets"].as_str()), (StatusCode::OK, Some("0,10,20")));
        let body = json!({"aging_buckets": "0,20,10"}).to_string();
        let (s, _, v) =
            call(&env.router, "PUT", "/api/v1/settings/reports", Some(&env.admin), Some(("application/json", body)))
                .await;
        assert_eq!(
            (s, v["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("aging_buckets")),
            "{v}"
        );

        for (uri, field) in [
            ("/api/v1/reports/aging?buckets=1,2", "buckets"),
            ("/api/v1/reports/aging?as_of=2026-13-01", "as_of"),
            ("/api/v1/reports/aging?customer=C999", "customer"),
            ("/api/v1/reports/statement?customer=C001&from=2026-03-01&to=2026-02-01", "from"),
            ("/api/v1/reports/statement?from=2026-03-01", "customer"),
            ("/api/v1/reports/dso?to=2026-02-01", "from"),
            ("/api/v1/reports/aging?format=xls", "format"),
        ] {
            let (s, content_type, v) = call(&env.router, "GET", uri, Some(&env.reader), None).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
            assert_eq!(content_type, "application/problem+json");
            assert_eq!(v["errors"][0]["field"], field, "{uri}: {v}");
        }
    })
    .await;
}
