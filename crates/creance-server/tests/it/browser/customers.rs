//! The Clients screen in the browser: the keyboard reaches the search field and Enter submits it,
//! a card opens, its comment is edited and saved (with an audit event); a read-only user sees no
//! Save button; the company switch.

use super::{demo_db, Browser, TAB};
use crate::web::PASSWORD;

#[tokio::test]
async fn search_with_the_keyboard_open_a_card_and_edit_its_comment() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("#schedule").await;
    b.goto("/clients").await;
    b.wait_for("#customers").await;
    b.screenshot("ui_customers.png").await;
    let second = b.text_of("#customers tbody tr:nth-child(2) td:first-child").await;
    // From the top of the page, Tab reaches the search field (through the skip link, the company
    // switch, the language buttons, logout and the tabs), and Enter submits it.
    b.execute("document.activeElement.blur(); window.scrollTo(0, 0)", vec![]).await;
    let mut reached = false;
    for _ in 0..40 {
        let active = b.active().await;
        b.type_into(&active, TAB).await;
        if b.attr(&b.active().await, "id").await.as_deref() == Some("search") {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the search field");
    // The focus is visible: the focused element draws an outline.
    let outline = b
        .execute(
            "const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth",
            vec![],
        )
        .await;
    assert_eq!(outline.as_str(), Some("solid 3px"), "the focus ring of the search field");
    let search = b.active().await;
    b.type_into(&search, &second).await;
    b.type_into(&search, super::ENTER).await;
    b.wait_for("#customers tbody tr:only-child").await;
    assert_eq!(b.text_of("#customers tbody td:first-child").await, second);
    let link = b.find("#customers tbody td:first-child a").await;
    b.click(&link).await;
    let comment = b.wait_for("#field-comment").await;
    let id: i64 = b.path().await.trim_start_matches("/clients/").parse().unwrap();
    b.clear(&comment).await;
    b.type_into(&comment, "Préfère être appelé le matin").await;
    let save = b.find("form.edit button[value=comment]").await;
    b.click(&save).await;
    b.wait_for("p.notice").await;
    assert_eq!(b.text_of("#field-comment").await, "Préfère être appelé le matin");
    assert_eq!(b.app.customer(company, id).await.unwrap().fields.comment, "Préfère être appelé le matin");
    let audit: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'customer.comment' AND actor LIKE 'user:%'",
    )
    .fetch_one(b.app.db.pool())
    .await
    .unwrap();
    assert_eq!(audit, 1);
    // The card's change history names who changed the comment.
    let trail = b.text_of("#audit-trail tbody tr:first-child").await;
    assert!(trail.contains("Claire Martin") && trail.contains("commentaire modifié"), "{trail}");
    // Amounts in the user's locale, right-aligned.
    let align = b
        .execute(
            "return getComputedStyle(document.querySelector('#payments td.num, #open-items td.num')).textAlign",
            vec![],
        )
        .await;
    assert_eq!(align.as_str(), Some("right"));
    b.screenshot("ui_customer_card.png").await;
    b.finish().await;
}

#[tokio::test]
async fn a_read_only_user_sees_no_save_button_and_the_clerk_switches_company() {
    let (db, _company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("reader@example.com", PASSWORD).await;
    b.wait_for("#schedule").await;
    b.goto("/clients").await;
    let first = b.wait_for("#customers tbody tr:first-child a").await;
    b.click(&first).await;
    b.wait_for("#field-comment").await;
    assert!(b.try_find("form.edit button").await.is_none());
    assert!(b.try_find("textarea").await.is_none());
    let out = b.find("form.logout button").await;
    b.click(&out).await;
    b.wait_for("p.notice").await;
    // The clerk holds roles in two companies: the top bar offers the switch.
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("#schedule").await;
    b.goto("/clients").await;
    b.wait_for("#customers").await;
    b.execute("const s = document.querySelector('#company_id'); s.selectedIndex = 1;", vec![]).await;
    let switch = b.find("form.company button").await;
    b.click(&switch).await;
    b.wait_for("#schedule-empty").await;
    b.goto("/clients").await;
    b.wait_for("p.empty").await;
    assert_eq!(b.text_of("p.empty").await, "Aucun client : importez-en d’abord.");
    b.finish().await;
}

#[tokio::test]
async fn an_admin_reads_the_audit_log_filtered_by_kind() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let setup = creance_app::Actor::new("test", creance_app::clock::now());
    b.app.grant_user_role(&setup, "clerk@example.com", company, creance_core::Role::Admin).await.unwrap();
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("#schedule").await;
    b.goto("/parametres/journal").await;
    b.wait_for("table.audit").await;
    assert!(b.text_of("table.audit tbody").await.contains("connexion"), "the login is in the log");
    b.execute("document.querySelector('#f-action').value = 'user.login'", vec![]).await;
    let apply = b.find("#apply").await;
    b.click(&apply).await;
    b.wait_for("table.audit").await;
    assert!(b.path().await.contains("action=user.login"), "{}", b.path().await);
    let kinds = b.execute(
        "return Array.from(document.querySelectorAll('table.audit tbody td:nth-child(3)')).map(td => td.textContent)",
        vec![],
    )
    .await;
    let kinds: Vec<&str> = kinds.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(!kinds.is_empty() && kinds.iter().all(|k| *k == "connexion"), "{kinds:?}");
    b.screenshot("ui_audit_log.png").await;
    b.finish().await;
}
