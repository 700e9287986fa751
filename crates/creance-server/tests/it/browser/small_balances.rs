//! The Petits soldes screen in the browser: the extraction with its groups by customer and
//! contract; re-bill a small balance (preview, confirm, the pending charge in its list, undo); a
//! group on an ended contract re-billed on another contract chosen in the preview; a read-only user
//! sees no action button and its forged POST is refused with a 403.

use creance_app::queries::Page;
use creance_app::small_balances::ChargeQuery;
use serde_json::json;

use super::{demo_db, Browser, ENTER};
use crate::web::PASSWORD;
use crate::web_small_balances::{fixture, Fixture};

async fn customer_id(b: &Browser, number: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT id FROM customers WHERE number = '{number}'"))
        .fetch_one(b.app.db.pool())
        .await
        .unwrap()
}

/// Waits (up to 20 s) until the page's path and query contain `needle`.
async fn wait_path(b: &Browser, needle: &str) {
    let started = std::time::Instant::now();
    while !b.path().await.contains(needle) {
        assert!(started.elapsed().as_secs() < 20, "no {needle} in {}", b.path().await);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn pending(b: &Browser, company: i64) -> Vec<creance_app::small_balances::RebillCharge> {
    let q = ChargeQuery { status: Some("pending".into()), ..Default::default() };
    b.app.rebill_charges(company, &q, Page::new(Some(100), None).unwrap()).await.unwrap().items
}

#[tokio::test]
async fn rebill_a_small_balance_preview_confirm_see_the_pending_charge_and_undo_it() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let f = Box::pin(fixture(&b.app, company)).await;
    // Each step is boxed: one long async fn has a poll frame in a debug build large enough to
    // leave the server's handlers, on the same thread, too little stack.
    Box::pin(rebill(&b, company, &f)).await;
    Box::pin(pending_then_undo(&b, company, &f)).await;
    Box::pin(another_contract(&b, company, &f)).await;
    b.finish().await;
}

/// The extraction from its tab, a group re-billed: preview, then confirm.
async fn rebill(b: &Browser, company: i64, _f: &Fixture) {
    let sb1 = customer_id(b, "SB1").await;
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    // From the tab, by keyboard: the extraction's threshold typed, Enter.
    let tab = b.find("nav.tabs a[href='/petits-soldes']").await;
    b.click(&tab).await;
    b.wait_for("#sb-filters").await;
    let threshold = b.find("#f-threshold").await;
    b.clear(&threshold).await;
    b.type_into(&threshold, &format!("1,00{ENTER}")).await;
    // The page before had groups too (the company's threshold): wait for the new one.
    wait_path(b, "threshold=1%2C00").await;
    b.wait_for("#sb-groups").await;
    let group = format!("#sb-groups tbody.group[data-customer='{sb1}']");
    let head = b.text_of(&format!("{group} tr.group-head")).await;
    assert!(head.contains("SB1") && head.contains("AB-SB1 (actif)") && head.contains("0,50"), "{head}");
    b.screenshot("ui_small_balances.png").await;
    // Re-bill: the preview first, nothing written.
    let rebill = b.find(&format!("{group} button.rebill")).await;
    b.click(&rebill).await;
    b.wait_for("#sb-preview").await;
    assert!(b.text_of("#preview-charge").await.contains("0,50"));
    assert_eq!(b.text_of("#preview-contract").await, "AB-SB1");
    b.screenshot("ui_small_balances_preview.png").await;
    assert!(pending(b, company).await.is_empty(), "a preview writes nothing");
    let reason = b.find("#f-reason").await;
    b.type_into(&reason, "Reste de F-SB1").await;
    let confirm = b.find("#confirm").await;
    b.click(&confirm).await;
    b.wait_for("#done").await;
    assert_eq!(b.text_of("#charge-status").await, "en attente");
    b.screenshot("ui_small_balances_action.png").await;
    let charges = pending(b, company).await;
    assert_eq!(charges.len(), 1);
    assert_eq!((charges[0].contract_number.as_str(), charges[0].amount.minor()), ("AB-SB1", 50));
}

/// The pending charges, with the undo.
async fn pending_then_undo(b: &Browser, company: i64, f: &Fixture) {
    let charges = pending(b, company).await;
    b.goto("/petits-soldes?view=charges").await;
    b.wait_for("#sb-charges").await;
    let row = b.text_of(&format!("#sb-charges tr[data-charge='{}']", charges[0].id)).await;
    assert!(row.contains("AB-SB1") && row.contains("0,50") && row.contains("F-SB1"), "{row}");
    b.screenshot("ui_small_balances_charges.png").await;
    let undo = b.find(&format!("#sb-charges tr[data-charge='{}'] button.undo", charges[0].id)).await;
    b.click(&undo).await;
    b.wait_for("#done").await;
    assert_eq!(b.text_of("#action-status").await, "annulée");
    assert!(pending(b, company).await.is_empty());
    let open: i64 =
        sqlx::query_scalar(&format!("SELECT amount_open FROM installments WHERE id = {}", f.sb1_installment))
            .fetch_one(b.app.db.pool())
            .await
            .unwrap();
    assert_eq!(open, 50, "the item is open again");
}

/// SB2's contract has ended: another is chosen in the preview.
async fn another_contract(b: &Browser, company: i64, f: &Fixture) {
    let sb2 = customer_id(b, "SB2").await;
    b.goto("/petits-soldes?threshold=1,00&customer_number=SB2").await;
    let rebill = b.wait_for(&format!("#sb-groups tbody.group[data-customer='{sb2}'] button.rebill")).await;
    b.click(&rebill).await;
    b.wait_for("#contract-choice").await;
    assert!(b.text_of("#ended").await.contains("AB-SB2-OLD"));
    b.screenshot("ui_small_balances_contract.png").await;
    let choice = b.find(&format!("#contract-choice input[value='{}']", f.sb2_new_contract)).await;
    b.click(&choice).await;
    let recompute = b.find("#recompute").await;
    b.click(&recompute).await;
    b.wait_for("#preview-contract").await;
    assert_eq!(b.text_of("#preview-contract").await, "AB-SB2-NEW");
    let confirm = b.find("#confirm").await;
    b.click(&confirm).await;
    b.wait_for("#done").await;
    let charges = pending(b, company).await;
    assert_eq!(charges.iter().map(|c| c.contract_id).collect::<Vec<_>>(), vec![f.sb2_new_contract]);
}

#[tokio::test]
async fn a_read_only_user_sees_no_small_balance_action_and_its_forged_post_is_refused() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let f = Box::pin(fixture(&b.app, company)).await;
    b.log_in("reader@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    b.goto("/petits-soldes?threshold=1,00").await;
    b.wait_for("#sb-groups").await;
    assert!(b.try_find("form.group-actions").await.is_none());
    assert!(b.try_find("button.rebill").await.is_none());
    b.goto("/petits-soldes?view=actions").await;
    b.wait_for("nav.subtabs").await;
    assert!(b.try_find("button.undo").await.is_none());
    b.execute(
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/petits-soldes/actions';
         const add = (n, v) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); };
         add('csrf', document.querySelector('input[name=csrf]').value);
         add('action', 'write_off'); add('installment_ids', arguments[0]);
         document.body.appendChild(f); f.submit();",
        vec![json!(f.sb1_installment.to_string())],
    )
    .await;
    b.wait_for("main.error").await;
    assert_eq!(b.text_of("main.error h1").await, "Accès refusé");
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM small_balance_actions").fetch_one(b.app.db.pool()).await.unwrap();
    assert_eq!(n, 0);
    b.finish().await;
}

#[tokio::test]
async fn clear_every_small_balance_from_the_plan_in_one_confirmed_pass() {
    let (db, _company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("nav.tabs").await;
    b.goto("/petits-soldes?threshold=5.00").await;
    let link = b.wait_for("#clear-all").await;
    b.click(&link).await;
    // The plan, one row per group, and the confirmation with its count.
    b.wait_for("#clear-plan").await;
    assert_eq!(b.path().await, "/petits-soldes/tout-solder?threshold=5.00");
    let summary = b.text_of("#plan-summary").await;
    assert!(summary.starts_with("Plan :"), "{summary}");
    let go = b.find("#clear-go").await;
    let label = b.text(&go).await;
    assert!(label.starts_with("Solder "), "{label}");
    let reason = b.find("#f-reason").await;
    b.type_into(&reason, "Nettoyage de fin de mois").await;
    b.screenshot("ui_small_balances_clear.png").await;
    b.click(&go).await;
    // Done: what was done, and what is left (nothing to re-bill or write off any more).
    b.wait_for("#cleared").await;
    assert!(b.text_of("#cleared").await.starts_with("Fait :"));
    assert!(b.try_find("#clear-go").await.is_none(), "nothing actionable is left");
    b.finish().await;
}
