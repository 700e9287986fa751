//! The typed rejections of refunds, deposits and dunning through HTTP (issue 10 point 2): each refusal
//! answers its status and its stable `code` beside the human `detail`, on every engine.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::api::{call, load, on_every_engine, post, Env};

/// The status and code of an answer, to compare at once.
fn coded(s: StatusCode, v: &Value) -> (StatusCode, Option<&str>) {
    (s, v["code"].as_str())
}

async fn bank_account(env: &Env) -> i64 {
    let body = json!({"name": "BNP", "iban": "FR7630006000011234567890189"});
    let (s, _, bank) = call(
        &env.router,
        "POST",
        "/api/v1/bank-accounts",
        Some(&env.admin),
        Some(("application/json", body.to_string())),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{bank}");
    bank["id"].as_i64().unwrap()
}

#[tokio::test]
async fn refunds_and_deposits_answer_their_own_codes() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        // C002 has no credit: an `auto` refund has nothing to refund.
        let refund = |amount: &str, piece: &str, allocate: Option<&str>| {
            let mut body = json!({"customer_number": "C002", "amount": amount, "reason": "overpayment",
                                  "method": "transfer", "piece_number": piece, "date": "2026-03-01"});
            if let Some(a) = allocate {
                body["allocate"] = json!(a);
            }
            body
        };
        let (s, v) = post(&env, "/api/v1/refunds", refund("5.00", "VIR 1", Some("auto"))).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("refund_nothing_to_refund")), "{v}");
        assert!(v["detail"].as_str().unwrap().contains("customer C002 has no unallocated payment"), "{v}");
        // Recorded without allocation it waits; its letter is refused until it is allocated, and the
        // same refund again is a likely duplicate.
        let (s, waiting) = post(&env, "/api/v1/refunds", refund("10.00", "VIR 2", None)).await;
        assert_eq!(s, StatusCode::CREATED, "{waiting}");
        let letter = format!("/api/v1/refunds/{}/letter", waiting["id"]);
        let (s, _, v) = call(&env.router, "GET", &letter, Some(&env.reader), None).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("refund_not_allocated")), "{v}");
        let (s, v) = post(&env, "/api/v1/refunds", refund("10.00", "VIR 2", None)).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("likely_duplicate")), "{v}");

        // A validated deposit is neither validated again nor cancelled; its payment is in it already.
        let cheque = json!({"customer_number": "C001", "amount": "10.00", "method": "cheque",
                            "piece_number": "CHQ 7", "date": "2026-03-01"});
        let (s, paid) = post(&env, "/api/v1/payments", cheque).await;
        assert_eq!(s, StatusCode::CREATED, "{paid}");
        let payment = paid["payment"]["id"].as_i64().unwrap();
        let bank = bank_account(&env).await;
        let slip = json!({"bank_account_id": bank, "payment_ids": [payment], "date": "2026-03-31"});
        let (s, deposit) = post(&env, "/api/v1/deposits", slip.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{deposit}");
        let id = deposit["deposit"]["id"].as_i64().unwrap();
        let (s, v) = post(&env, &format!("/api/v1/deposits/{id}/validate"), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        for then in ["validate", "cancel"] {
            let (s, v) = post(&env, &format!("/api/v1/deposits/{id}/{then}"), json!({})).await;
            assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("deposit_not_draft")), "{then}: {v}");
        }
        let (s, v) = post(&env, "/api/v1/deposits", slip).await;
        assert_eq!(coded(s, &v), (StatusCode::UNPROCESSABLE_ENTITY, Some("deposit_payment_not_eligible")), "{v}");
        assert_eq!(v["errors"][0]["field"], "payment_ids[0]", "{v}");
        assert_eq!(v["errors"][0]["code"], "deposit_payment_not_eligible", "{v}");
    })
    .await;
}

#[tokio::test]
async fn dunning_refusals_answer_their_own_codes() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let (s, p) = post(&env, "/api/v1/dunning/proposals", json!({"as_of": "2026-03-20"})).await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let run = p["run"]["id"].as_i64().unwrap();
        let letter = p["letters"]["items"][0]["id"].as_i64().unwrap();
        // A letter that was never removed is not put back.
        let (s, v) = post(&env, &format!("/api/v1/dunning/letters/{letter}/restore"), json!({})).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("dunning_letter_not_removed")), "{v}");
        // Issued, the proposal is neither issued again nor edited.
        let (s, v) = post(&env, &format!("/api/v1/dunning/proposals/{run}/issue"), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = post(&env, &format!("/api/v1/dunning/proposals/{run}/issue"), json!({})).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("dunning_run_not_draft")), "{v}");
        assert!(v["detail"].as_str().unwrap().ends_with("only a draft is issued"), "{v}");
        let (s, v) = post(&env, &format!("/api/v1/dunning/letters/{letter}/remove"), json!({"reason": "x"})).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("dunning_run_not_draft")), "{v}");
        // A withdrawn letter is not withdrawn again.
        let withdraw = json!({"reason": "wrong address"});
        let (s, v) = post(&env, "/api/v1/dunning/letters/LR-2026-000001/withdraw", withdraw.clone()).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = post(&env, "/api/v1/dunning/letters/LR-2026-000001/withdraw", withdraw).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("dunning_letter_not_issued")), "{v}");
        // A proposal dated after today is kept as a draft but not issued; while it holds F1, no reminder
        // made outside is recorded on F1.
        let (s, later) = post(&env, "/api/v1/dunning/proposals", json!({"as_of": "2099-01-15"})).await;
        assert_eq!(s, StatusCode::CREATED, "{later}");
        let later = later["run"]["id"].as_i64().unwrap();
        let (s, v) = post(&env, &format!("/api/v1/dunning/proposals/{later}/issue"), json!({})).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("dunning_run_dated_after_today")), "{v}");
        let external = json!({"document_number": "F1", "level": 1, "date": "2026-03-25", "channel": "phone"});
        let (s, v) = post(&env, "/api/v1/dunning/external", external).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("held_by_other_draft")), "{v}");
        // Deleted once, the draft is not deleted again.
        let uri = format!("/api/v1/dunning/proposals/{later}");
        let (s, _, v) = call(&env.router, "DELETE", &uri, Some(&env.clerk), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, _, v) = call(&env.router, "DELETE", &uri, Some(&env.clerk), None).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("dunning_run_not_draft")), "{v}");
        // An interest table's code is unique in the company.
        let preset = "/api/v1/interest-tables/presets/fr_b2b";
        let (s, _, v) = call(&env.router, "POST", preset, Some(&env.admin), None).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, _, v) = call(&env.router, "POST", preset, Some(&env.admin), None).await;
        assert_eq!(coded(s, &v), (StatusCode::CONFLICT, Some("duplicate")), "{v}");
    })
    .await;
}

#[tokio::test]
async fn every_error_code_is_in_the_openapi_enum_and_the_readme() {
    on_every_engine(|_app, env| async move {
        let (_, _, doc) = call(&env.router, "GET", "/api/openapi.json", Some(&env.reader), None).await;
        let codes = doc["components"]["schemas"]["ErrorCode"]["enum"].as_array().cloned().unwrap_or_default();
        let listed: Vec<&str> = codes.iter().filter_map(Value::as_str).collect();
        for code in creance_app::Code::ALL {
            assert!(listed.contains(&code.as_str()), "{code} missing from the OpenAPI ErrorCode enum");
        }
        for code in ["refund_not_covered", "deposit_not_draft", "dunning_letter_dunned_again_since"] {
            assert!(listed.contains(&code), "{code}");
        }
        // And README "Errors" explains each.
        let readme = include_str!("../../../../README.md");
        let errors = readme.split("### Errors").nth(1).and_then(|s| s.split("\n## ").next()).unwrap_or_default();
        for code in creance_app::Code::ALL {
            assert!(errors.contains(&format!("`{code}`")), "{code} missing from README \"Errors\"");
        }
    })
    .await;
}
