//! Small balances through the API, like the billing system and a clerk (SPEC §4.8): the extraction, a
//! re-bill on the contract the clerk chooses, the pending charges as JSON and CSV, the
//! acknowledgement, and the undo refused after it.

use axum::http::StatusCode;
use serde_json::json;

use crate::api::*;

#[tokio::test]
async fn a_small_balance_is_rebilled_listed_pending_acknowledged_and_no_longer_undoable() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let contracts = r#"[{"number": "AB1", "customer": "C001", "start_date": "2024-01-01"}]"#;
        let (s, _, v) = call(
            &env.router,
            "POST",
            "/api/v1/imports/contracts",
            Some(&env.clerk),
            Some(("application/json", contracts.into())),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let pay = json!({"customer_number": "C001", "amount": "100.00", "method": "transfer", "date": "2026-03-01",
            "piece_number": "VIR F1", "allocate": "proposal"});
        let (s, v) = post(&env, "/api/v1/payments", pay).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (s, _, list) =
            call(&env.router, "GET", "/api/v1/small-balances?threshold=1.00", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let group = &list["groups"][0];
        assert_eq!(
            (group["customer_number"].as_str(), group["total"]["amount"].as_str()),
            (Some("C001"), Some("0.50"))
        );
        let installment = group["items"][0]["installment_id"].as_i64().unwrap();
        // F1 has no contract: the customer's active contract is proposed, to be chosen.
        let mut action = json!({"action": "rebill", "installment_ids": [installment]});
        let (s, preview) = post(&env, "/api/v1/small-balances/preview", action.clone()).await;
        assert_eq!(s, StatusCode::OK, "{preview}");
        assert_eq!(preview["ready"], false);
        assert_eq!(preview["proposed_contracts"][0]["number"], "AB1");
        let (s, refused) = post(&env, "/api/v1/small-balances/actions", action.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["errors"][0]["field"], "contract_id");
        action["contract_id"] = preview["proposed_contracts"][0]["id"].clone();
        let (s, done) = post(&env, "/api/v1/small-balances/actions", action).await;
        assert_eq!(s, StatusCode::CREATED, "{done}");
        let charge = done["charge"]["id"].as_i64().unwrap();
        // The billing system's side: pending charges, as JSON and CSV.
        let (s, _, pending) =
            call(&env.router, "GET", "/api/v1/rebill-charges?status=pending", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::OK, "{pending}");
        assert_eq!(pending["total_count"], 1);
        let c = &pending["items"][0];
        assert_eq!((c["contract_number"].as_str(), c["amount"]["amount"].as_str()), (Some("AB1"), Some("0.50")));
        assert_eq!(c["source_items"][0]["reference"], "F1");
        let (s, content_type, _) =
            call(&env.router, "GET", "/api/v1/rebill-charges?status=pending&format=csv", Some(&env.reader), None).await;
        assert_eq!((s, content_type.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
        let (s, content_type, _) =
            call(&env.router, "GET", "/api/v1/small-balances?format=pdf", Some(&env.reader), None).await;
        assert_eq!((s, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        let uri = format!("/api/v1/rebill-charges/{charge}/acknowledge");
        let (s, acked) = post(&env, &uri, json!({"invoice_number": "FAC-2026-0042"})).await;
        assert_eq!(s, StatusCode::OK, "{acked}");
        assert_eq!(
            (acked["status"].as_str(), acked["invoice_number"].as_str()),
            (Some("acknowledged"), Some("FAC-2026-0042"))
        );
        let (_, _, pending) =
            call(&env.router, "GET", "/api/v1/rebill-charges?status=pending", Some(&env.reader), None).await;
        assert_eq!(pending["total_count"], 0);
        let uri = format!("/api/v1/small-balances/actions/{}/undo", done["id"]);
        let (s, refused) = post(&env, &uri, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        assert_eq!(refused["code"], "action_not_undoable");
        let (s, _, bad) = call(&env.router, "GET", "/api/v1/rebill-charges?status=paid", Some(&env.reader), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "status");
    })
    .await;
}

#[tokio::test]
async fn one_pass_clears_the_small_balances_and_a_reader_may_not() {
    on_every_engine(|_app, env| async move {
        load(&env).await;
        let pay = json!({"customer_number": "C001", "amount": "100.00", "method": "transfer", "date": "2026-03-01",
            "piece_number": "VIR F1", "allocate": "proposal"});
        let (s, v) = post(&env, "/api/v1/payments", pay).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let body = json!({"threshold": "1.00"});
        let (s, _, refused) = call(
            &env.router,
            "POST",
            "/api/v1/small-balances/clear",
            Some(&env.reader),
            Some(("application/json", body.to_string())),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{refused}");
        // C001 has no contract: its 0.50 is written off (within the default maximum of 10.00).
        let (s, plan) = post(&env, "/api/v1/small-balances/clear", body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{plan}");
        assert_eq!((plan["confirmed"].as_bool(), plan["written_off"].as_i64()), (Some(false), Some(1)), "{plan}");
        assert_eq!(plan["lines"][0]["outcome"], "write_off");
        let (s, done) = post(&env, "/api/v1/small-balances/clear", json!({"threshold": "1.00", "confirm": true})).await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert!(done["lines"][0]["action_id"].as_i64().is_some(), "{done}");
        let (_, _, list) =
            call(&env.router, "GET", "/api/v1/small-balances?threshold=1.00", Some(&env.reader), None).await;
        assert_eq!(list["groups"].as_array().map(Vec::len), Some(0), "{list}");
        let (s, bad) = post(&env, "/api/v1/small-balances/clear", json!({"threshold": "abc"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "threshold");
    })
    .await;
}
