//! The documents as PDF through the API (issue 11 points 3–5), on every engine: each PDF route
//! answers `application/pdf` whose text (poppler's `pdftotext`) holds the payer, the amounts as the
//! payer's locale writes them and every item; a reprint of an issued letter is byte-identical; a
//! draft shows the preview mark; another company's token gets a 404; the OpenAPI document
//! describes the PDF answers.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use creance_app::demo::DemoOptions;
use creance_app::{Actor, App};
use creance_core::{Currency, Date, Language, Role};
use creance_store::companies::NewCompany;
use creance_store::testing::TestDb;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::api::{call, load, on_every_engine, post};

/// An answer's status, content type, headers and bytes.
struct Answer {
    status: StatusCode,
    content_type: String,
    template_version: Option<String>,
    bytes: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    /// The PDF's text, after checking it is one; `None` when `pdftotext` is not installed.
    fn pdf_text(&self) -> Option<String> {
        assert_eq!(self.status, StatusCode::OK, "{}", String::from_utf8_lossy(&self.bytes));
        assert_eq!(self.content_type, "application/pdf");
        assert!(self.bytes.starts_with(b"%PDF-"), "not a PDF");
        pdf_text(&self.bytes)
    }
}

async fn send(router: &Router, method: &str, uri: &str, token: Option<&str>, body: Option<(&str, Vec<u8>)>) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some((content_type, bytes)) => req.header(header::CONTENT_TYPE, content_type).body(Body::from(bytes)),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let response = router.clone().oneshot(req).await.unwrap();
    let header_text = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (status, content_type) = (response.status(), header_text("content-type").unwrap_or_default());
    let template_version = header_text("x-template-version");
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer { status, content_type, template_version, bytes }
}

async fn get(router: &Router, uri: &str, token: &str) -> Answer {
    send(router, "GET", uri, Some(token), None).await
}

/// `pdftotext -layout` of `pdf` with every Unicode space as a plain one (poppler writes U+00A0 and
/// U+202F as U+0020 anyway); `None`, with the skip noted, when poppler is not installed.
pub(crate) fn pdf_text(pdf: &[u8]) -> Option<String> {
    use std::io::Write;
    let child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            creance_store::testing::note_skip("PDF text", "pdftotext (poppler-utils) is not installed");
            return None;
        }
        Err(e) => panic!("pdftotext: {e}"),
        Ok(c) => c,
    };
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8(out.stdout).unwrap().replace(['\u{a0}', '\u{202f}'], " "))
}

/// An amount as the payer's locale writes it (French, or Swiss), with plain spaces.
fn french(amount: &str, currency: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && *c != '-' && digits[i - 1] != '-' {
            grouped.push(' ');
        }
        grouped.push(*c);
    }
    match currency {
        "EUR" => format!("{grouped},{frac} €"),
        "CHF" => format!("CHF {}.{frac}", grouped.replace(' ', "'")),
        other => format!("{grouped},{frac} {other}"),
    }
}

const DRAFT_MARKS: [&str; 3] = ["PROJET", "DRAFT", "ENTWURF"];

async fn demo_company(app: &App) -> (i64, String, String, String, String) {
    let opts = DemoOptions {
        customers: 40,
        seed: 7,
        as_of: Date::parse("2026-11-22").unwrap(),
        at: creance_store::testing::TEST_INSTANT,
        installments_per_customer: None,
    };
    let s = app.demo(&opts, &|_, _| {}).await.expect("demo");
    let actor = Actor::new("test", creance_store::testing::TEST_INSTANT);
    let other = app
        .create_company(
            &actor,
            &NewCompany {
                name: "Other SA".into(),
                country: "FR".into(),
                base_currency: Currency::EUR,
                language: Language::Fr,
                address: String::new(),
            },
        )
        .await
        .unwrap();
    (
        s.company_id,
        app.create_token(&actor, s.company_id, Role::Clerk, "").await.unwrap(),
        app.create_token(&actor, s.company_id, Role::ReadOnly, "").await.unwrap(),
        app.create_token(&actor, other, Role::Admin, "").await.unwrap(),
        app.create_token(&actor, s.company_id, Role::Admin, "").await.unwrap(),
    )
}

/// The own texts of the documents a letter duns (`GET /api/v1/documents/{id}` of each).
async fn detail_texts(router: &Router, token: &str, letter: i64) -> Vec<String> {
    let detail = get(router, &format!("/api/v1/dunning/letters/{letter}"), token).await.json();
    let mut out = Vec::new();
    for item in detail["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "due") {
        let doc = get(router, &format!("/api/v1/documents/{}", item["document_id"]), token).await.json();
        let text = doc["text"].as_str().unwrap_or_default().to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

#[tokio::test]
async fn the_demo_prints_its_letters_invoices_slips_and_print_run_through_the_api() {
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let (_company, clerk, reader, other, admin) = demo_company(&app).await;
        let router = creance_server::router(app.clone());

        // The demo's letterhead is complete.
        let head = get(&router, "/api/v1/settings/letterhead", &reader).await.json();
        assert_eq!((head["vat_number"].as_str(), head["has_logo"].as_bool()), (Some("FR12812345678"), Some(true)));

        // An issued letter: the payer, its number, every dunned item, the total due in the payer's
        // locale; the same bytes at every reprint, with the template version it was issued with.
        let issued = get(&router, "/api/v1/dunning/letters?status=issued&limit=5", &reader).await.json();
        let letter = &issued["items"][0];
        let id = letter["id"].as_i64().unwrap();
        let detail = get(&router, &format!("/api/v1/dunning/letters/{id}"), &reader).await.json();
        let first = get(&router, &format!("/api/v1/dunning/letters/{id}/pdf"), &reader).await;
        if let Some(text) = first.pdf_text() {
            assert!(text.contains(letter["payer_name"].as_str().unwrap()), "{text}");
            assert!(text.contains(letter["number"].as_str().unwrap()), "{text}");
            assert!(text.contains("FR12812345678") && text.contains("RCS Thonon-les-Bains"), "{text}");
            let total = &letter["total_due"];
            let shown = french(total["amount"].as_str().unwrap(), total["currency"].as_str().unwrap());
            assert!(text.contains(&shown), "{shown} in {text}");
            for item in detail["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "due") {
                assert!(text.contains(item["reference"].as_str().unwrap()), "{item} in {text}");
            }
            assert!(!DRAFT_MARKS.iter().any(|m| text.contains(m)), "an issued letter is not marked: {text}");
        }
        let again = get(&router, &format!("/api/v1/dunning/letters/{id}/pdf"), &reader).await;
        assert!(first.bytes == again.bytes, "a reprint gives the same bytes");
        assert_eq!(first.template_version.as_deref(), Some("1"));
        let by_number =
            get(&router, &format!("/api/v1/dunning/letters/{}/pdf", letter["number"].as_str().unwrap()), &reader).await;
        assert!(by_number.bytes == first.bytes, "by number as by id");

        // Another company's token does not see it; no token is a 401.
        let foreign = get(&router, &format!("/api/v1/dunning/letters/{id}/pdf"), &other).await;
        assert_eq!((foreign.status, foreign.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
        let anonymous = send(&router, "GET", &format!("/api/v1/dunning/letters/{id}/pdf"), None, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

        // A draft letter is marked as a preview on every page.
        let drafts = get(&router, "/api/v1/dunning/letters?status=draft&limit=100", &reader).await.json();
        let draft = &drafts["items"][0];
        let run = draft["run_id"].as_i64().unwrap();
        let answer = get(&router, &format!("/api/v1/dunning/letters/{}/pdf", draft["id"]), &reader).await;
        if let Some(text) = answer.pdf_text() {
            assert!(DRAFT_MARKS.iter().any(|m| text.contains(m)), "{text}");
            assert!(text.contains(draft["payer_name"].as_str().unwrap()), "{text}");
        }
        assert_eq!(answer.template_version, None, "a draft has no template version yet");

        // The draft run's letters to print, then the same run issued: its fee and interest invoices.
        let print = get(&router, &format!("/api/v1/dunning/runs/{run}/print.pdf?order=salesperson"), &reader).await;
        let by_post: Vec<&Value> =
            drafts["items"].as_array().unwrap().iter().filter(|l| l["channel"] == "letter").collect();
        if let Some(text) = print.pdf_text() {
            for l in &by_post {
                assert!(text.contains(l["payer_name"].as_str().unwrap()), "{l} in the print run");
            }
        }
        let bad = get(&router, &format!("/api/v1/dunning/runs/{run}/print.pdf?order=height"), &reader).await;
        assert_eq!((bad.status, bad.json()["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("order")));
        let issue = send(&router, "POST", &format!("/api/v1/dunning/proposals/{run}/issue"), Some(&clerk), None).await;
        assert_eq!(issue.status, StatusCode::OK, "{}", issue.json());
        let mut charged = 0;
        for kind in ["fee_invoice", "interest_invoice"] {
            let docs = get(&router, &format!("/api/v1/documents?kind={kind}&limit=3"), &reader).await.json();
            for d in docs["items"].as_array().unwrap() {
                charged += 1;
                if let Some(text) =
                    get(&router, &format!("/api/v1/documents/{}/pdf", d["id"]), &reader).await.pdf_text()
                {
                    assert!(text.contains(d["number"].as_str().unwrap()), "{text}");
                    let total = &d["total"];
                    let shown = french(total["amount"].as_str().unwrap(), total["currency"].as_str().unwrap());
                    assert!(text.contains(&shown), "{shown} in {text}");
                }
            }
        }
        assert!(charged > 0, "the demo's second run charges interest or fees: {}", issue.json());
        // A letter lists its own fee and interest invoices as its charges, not among the items not yet due.
        let letters =
            get(&router, &format!("/api/v1/dunning/letters?proposal_id={run}&limit=100"), &reader).await.json();
        let charged_letter = letters["items"].as_array().unwrap().iter().find(|l| !l["interest_document_id"].is_null());
        let charged_letter = charged_letter.expect("a letter of the second run charges interest");
        let invoice = get(&router, &format!("/api/v1/documents/{}", charged_letter["interest_document_id"]), &reader)
            .await
            .json();
        let uri = format!("/api/v1/dunning/letters/{}/pdf", charged_letter["id"]);
        if let Some(text) = get(&router, &uri, &reader).await.pdf_text() {
            assert!(!text.contains(invoice["number"].as_str().unwrap()), "{text}");
        }
        let invoices = get(&router, "/api/v1/documents?kind=invoice&limit=1", &reader).await.json();
        let sales = get(&router, &format!("/api/v1/documents/{}/pdf", invoices["items"][0]["id"]), &reader).await;
        assert_eq!((sales.status, sales.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));

        // A deposit slip: every cheque's number and the total.
        let deposits = get(&router, "/api/v1/deposits?status=validated&limit=1", &reader).await.json();
        let deposit = &deposits["items"][0];
        let detail = get(&router, &format!("/api/v1/deposits/{}", deposit["id"]), &reader).await.json();
        if let Some(text) =
            get(&router, &format!("/api/v1/deposits/{}/slip.pdf", deposit["id"]), &reader).await.pdf_text()
        {
            assert!(text.contains(deposit["number"].as_str().unwrap()), "{text}");
            for p in detail["payments"].as_array().unwrap() {
                assert!(text.contains(p["piece_number"].as_str().unwrap()), "{p} in {text}");
            }
            let total = &deposit["total"];
            assert!(text.contains(&french(total["amount"].as_str().unwrap(), total["currency"].as_str().unwrap())));
        }

        // A level's preview, for a sample payer and for a chosen one.
        let policies = get(&router, "/api/v1/dunning/policies", &reader).await.json();
        let policy = policies[0]["id"].as_i64().or_else(|| policies["items"][0]["id"].as_i64()).unwrap();
        let sample = get(&router, &format!("/api/v1/dunning/policies/{policy}/levels/1/preview.pdf"), &reader).await;
        if let Some(text) = sample.pdf_text() {
            assert!(text.contains("F-SAMPLE-1") && DRAFT_MARKS.iter().any(|m| text.contains(m)), "{text}");
        }
        let uri = format!("/api/v1/dunning/policies/{policy}/levels/2/preview.pdf?payer_id={}", letter["payer_id"]);
        if let Some(text) = get(&router, &uri, &reader).await.pdf_text() {
            assert!(text.contains(letter["payer_name"].as_str().unwrap()), "{text}");
        }
        let missing = get(&router, &format!("/api/v1/dunning/policies/{policy}/levels/99/preview.pdf"), &reader).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        // The demo prints each dunned document's own text under its row (seed 004); off, it does not.
        let texts: Vec<String> = detail_texts(&router, &reader, id).await;
        assert!(!texts.is_empty(), "the demo's invoices have texts");
        if let Some(text) = get(&router, &format!("/api/v1/dunning/letters/{id}/pdf"), &reader).await.pdf_text() {
            assert!(texts.iter().all(|t| text.contains(t.as_str())), "{texts:?} in {text}");
        }
        let body = json!({"print_item_texts": false, "vat_number": "FR12812345678"}).to_string();
        let put = send(
            &router,
            "PUT",
            "/api/v1/settings/letterhead",
            Some(&admin),
            Some(("application/json", body.into_bytes())),
        )
        .await;
        assert_eq!((put.status, put.json()["print_item_texts"].as_bool()), (StatusCode::OK, Some(false)));
        if let Some(text) = get(&router, &format!("/api/v1/dunning/letters/{id}/pdf"), &reader).await.pdf_text() {
            assert!(!texts.iter().any(|t| text.contains(t.as_str())), "{text}");
        }
        test_db.finish().await;
    }
}

#[tokio::test]
async fn the_letterhead_is_set_by_an_admin_and_a_refund_letter_waits_for_its_allocation() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let body = json!({"registration": "RCS Lyon 812 345 678", "vat_number": "FR12812345678",
                          "phone": "+33 4 00 00 00 00", "envelope_window": "left",
                          "signature_lines": ["Anne Exemple", "Comptabilité clients"],
                          "signatures": {"de": ["Anne Exemple", "Debitorenbuchhaltung"]}});
        let put = |token: &str| {
            let router = env.router.clone();
            let (token, body) = (token.to_string(), body.to_string());
            async move {
                call(&router, "PUT", "/api/v1/settings/letterhead", Some(&token), Some(("application/json", body)))
                    .await
            }
        };
        assert_eq!(put(&env.clerk).await.0, StatusCode::FORBIDDEN, "admin only");
        let (s, _, v) = put(&env.admin).await;
        assert_eq!((s, v["envelope_window"].as_str()), (StatusCode::OK, Some("left")), "{v}");
        assert_eq!(v["signatures"], json!({"de": ["Anne Exemple", "Debitorenbuchhaltung"]}), "{v}");
        let (_, _, shown) = call(&env.router, "GET", "/api/v1/settings/letterhead", Some(&env.clerk), None).await;
        assert_eq!(shown["signatures"]["de"][1], "Debitorenbuchhaltung", "{shown}");
        assert_eq!(shown["signature_lines"][0], "Anne Exemple", "{shown}");
        let (s, _, v) = call(
            &env.router,
            "PUT",
            "/api/v1/settings/letterhead",
            Some(&env.admin),
            Some(("application/json", json!({"signatures": {"nl": ["Anne"]}}).to_string())),
        )
        .await;
        assert_eq!(
            (s, v["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("signatures")),
            "{v}"
        );
        let (s, _, v) = call(
            &env.router,
            "PUT",
            "/api/v1/settings/letterhead",
            Some(&env.admin),
            Some(("application/json", json!({"envelope_window": "middle"}).to_string())),
        )
        .await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("envelope_window")));
        // The logo: a JPEG only, sent as image/jpeg.
        let logo = include_bytes!("../../../creance-app/src/demo/logo.jpg").to_vec();
        let a = send(
            &env.router,
            "PUT",
            "/api/v1/settings/letterhead/logo",
            Some(&env.admin),
            Some(("image/png", logo.clone())),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let a = send(
            &env.router,
            "PUT",
            "/api/v1/settings/letterhead/logo",
            Some(&env.admin),
            Some(("image/jpeg", b"GIF89a".to_vec())),
        )
        .await;
        assert_eq!(
            (a.status, a.json()["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("logo"))
        );
        let a =
            send(&env.router, "PUT", "/api/v1/settings/letterhead/logo", Some(&env.admin), Some(("image/jpeg", logo)))
                .await;
        assert_eq!((a.status, a.json()["has_logo"].as_bool()), (StatusCode::OK, Some(true)), "{}", a.json());

        // A Swiss payer's letter: CHF 1'000.00, with the letterhead set above.
        let (s, p) = post(&env, "/api/v1/dunning/proposals", json!({"as_of": "2026-03-20"})).await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let c004 =
            p["letters"]["items"].as_array().unwrap().iter().find(|l| l["payer_number"] == "C004").unwrap().clone();
        let answer = get(&env.router, &format!("/api/v1/dunning/letters/{}/pdf", c004["id"]), &env.reader).await;
        if let Some(text) = answer.pdf_text() {
            assert!(text.contains("Hôtel du Lac") && text.contains("F3") && text.contains("CHF 1'000.00"), "{text}");
            assert!(text.contains("RCS Lyon 812 345 678") && text.contains("Anne Exemple"), "{text}");
        }

        // A refund letter: 409 with its code until the refund is allocated, then the letter.
        let (s, refund) = post(
            &env,
            "/api/v1/refunds",
            json!({"customer_number": "C001", "amount": "20.00", "reason": "credit_note", "method": "transfer",
                   "piece_number": "VIR 77", "date": "2026-03-01"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{refund}");
        let uri = format!("/api/v1/refunds/{}/letter.pdf", refund["id"]);
        let early = get(&env.router, &uri, &env.reader).await;
        assert_eq!((early.status, early.json()["code"].as_str()), (StatusCode::CONFLICT, Some("refund_not_allocated")));
        let (s, v) = post(&env, &format!("/api/v1/refunds/{}/allocations", refund["id"]), json!({"auto": true})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if let Some(text) = get(&env.router, &uri, &env.reader).await.pdf_text() {
            assert!(text.contains("Boulangerie Martin") && text.contains("20,00 €") && text.contains("A1"), "{text}");
            assert!(text.contains("Virement") && text.contains("VIR 77"), "the method in words: {text}");
            assert!(text.contains("20/02/2026"), "the credit note's own date: {text}");
        }
    })
    .await;
}

#[test]
fn the_openapi_document_describes_the_pdf_answers() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(creance_server::ApiDoc::openapi()).unwrap();
    for path in [
        "/api/v1/dunning/letters/{id}/pdf",
        "/api/v1/dunning/policies/{id}/levels/{level}/preview.pdf",
        "/api/v1/dunning/runs/{id}/print.pdf",
        "/api/v1/documents/{id}/pdf",
        "/api/v1/deposits/{id}/slip.pdf",
        "/api/v1/refunds/{id}/letter.pdf",
    ] {
        let ok = &doc["paths"][path]["get"]["responses"]["200"]["content"];
        assert!(ok.get("application/pdf").is_some(), "{path}: {ok}");
    }
    let pdf = &doc["components"]["schemas"]["PdfFile"];
    assert_eq!((pdf["type"].as_str(), pdf["format"].as_str()), (Some("string"), Some("binary")), "{pdf}");
    let logo = &doc["paths"]["/api/v1/settings/letterhead/logo"]["put"]["requestBody"]["content"];
    assert!(logo.get("image/jpeg").is_some(), "{logo}");
}
