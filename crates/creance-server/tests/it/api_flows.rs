//! Money and dunning through the API, like a client: idempotent posts, payments recorded, allocated,
//! refunded and deposited, concurrent clients, dunning proposed, edited, issued and withdrawn, tokens.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use creance_app::Actor;
use creance_core::Role;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::api::*;

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
