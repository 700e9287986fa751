//! "Tout solder" in the browser's pages (seed 000): the plan of every small-balance group, then the
//! pass confirmed once — on every engine.

use axum::http::StatusCode;
use creance_app::small_balances::ClearRequest;
use creance_core::Language;

use super::web::{csrf_of, hidden_of, login, on_every_engine_in, send, PASSWORD};

/// The pass's plan at 5.00, as the API gives it (nothing written).
async fn plan_of(app: &creance_app::App, company: i64) -> creance_app::small_balances::ClearReport {
    let req = ClearRequest { threshold: Some("5.00".into()), ..Default::default() };
    let at = creance_store::testing::TEST_INSTANT;
    app.clear_small_balances(&creance_app::Actor::new("test", at), company, &req, at.date()).await.unwrap()
}

#[tokio::test]
async fn a_clerk_sees_the_plan_of_every_small_balance_and_clears_them_in_one_confirmed_pass() {
    on_every_engine_in(Language::Fr, |app, w| async move {
        let clerk = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let reader = login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
        let uri = "/petits-soldes/tout-solder?threshold=5.00";
        assert_eq!(send(&w.router, "GET", uri, Some(&reader), &[], None).await.status, StatusCode::FORBIDDEN);
        // The plan is the API's (nothing written).
        let plan = plan_of(&app, w.company).await;
        let actionable = plan.rebilled + plan.written_off;
        assert!(actionable > 0, "the demo has small balances to clear: {plan:?}");
        let page = send(&w.router, "GET", uri, Some(&clerk), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let summary = format!(
            "Plan : {} refacturation(s), {} passage(s) en perte, {} groupe(s) laissé(s).",
            plan.rebilled, plan.written_off, plan.left
        );
        assert!(page.body.contains(&summary), "{summary} in {}", page.body);
        assert_eq!(page.body.matches("<tr").count() - 1, plan.lines.len(), "one row per group");
        assert!(page.body.contains(&format!("Solder {actionable} groupe(s)")));
        // A bad date is refused next to its field, nothing done.
        let key = hidden_of(&page.body, "form_key");
        let csrf = csrf_of(&page.body);
        let bad = format!("csrf={csrf}&form_key={key}&threshold=5.00&date=31%2F02%2F2026&reason=nettoyage");
        let a = send(&w.router, "POST", "/petits-soldes/tout-solder", Some(&clerk), &[], Some(&bad)).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains(r#"id="date-error""#), "{}", a.body);
        let again = plan_of(&app, w.company).await;
        assert_eq!(again.rebilled + again.written_off, actionable, "the refused pass did nothing");
        // Confirmed: done once, then what is left.
        let form = format!("csrf={csrf}&form_key={key}&threshold=5.00&date=&reason=nettoyage");
        let a = send(&w.router, "POST", "/petits-soldes/tout-solder", Some(&clerk), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let expected = format!(
            "/petits-soldes/tout-solder?threshold=5.00&done={}-{}-{}",
            plan.rebilled, plan.written_off, plan.left
        );
        assert_eq!(a.location(), expected);
        let done = send(&w.router, "GET", a.location(), Some(&clerk), &[], None).await;
        assert!(done.body.contains(r#"id="cleared""#), "{}", done.body);
        let after = plan_of(&app, w.company).await;
        assert_eq!(after.rebilled + after.written_off, 0, "every actionable group is cleared: {after:?}");
        // The same form sent again does nothing more.
        let a = send(&w.router, "POST", "/petits-soldes/tout-solder", Some(&clerk), &[], Some(&form)).await;
        assert!(a.location().ends_with("again=1"), "{}", a.location());
    })
    .await;
}
