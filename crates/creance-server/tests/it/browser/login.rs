//! Logging in and out in the browser: the login page, a wrong password refused next to its field,
//! the language switch FR → EN, the logout ending the session, and a form whose CSRF field was
//! removed refused without a change.

use super::{demo_db, Browser};
use crate::web::PASSWORD;

#[tokio::test]
async fn log_in_switch_language_and_log_out() {
    let (db, _company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    // A page without a session leads to the login page, which comes back to it afterwards.
    b.goto("/clients?search=C").await;
    b.wait_for("#email").await;
    assert_eq!(b.path().await, "/login?next=/clients%3Fsearch%3DC");
    b.screenshot("ui_login.png").await;
    let e = b.find("#email").await;
    b.type_into(&e, "clerk@example.com").await;
    let p = b.find("#password").await;
    b.type_into(&p, "not the password").await;
    b.submit(&p).await;
    let error = b.wait_for("#password-error").await;
    assert_eq!(b.text(&error).await, "E-mail ou mot de passe incorrect.");
    // The message sits in the password field's block, which names it for assistive technology.
    assert_eq!(b.attr(&b.find("#password").await, "aria-describedby").await.as_deref(), Some("password-error"));
    let p = b.find("#password").await;
    b.type_into(&p, PASSWORD).await;
    b.submit(&p).await;
    b.wait_for("#customers").await;
    assert_eq!(b.path().await, "/clients?search=C");
    assert_eq!(b.text_of("label[for=search]").await, "Recherche");
    // FR → EN: the labels change, on the same page.
    let en = b.find("form.language button[value=en]").await;
    b.click(&en).await;
    b.wait_for("form.language button[value=en][aria-pressed=true]").await;
    assert_eq!(b.text_of("label[for=search]").await, "Search");
    assert_eq!(b.text_of("nav.tabs li:first-child").await, "Open items");
    assert_eq!(b.path().await, "/clients?search=C");
    // Logout: the login page says so, and the pages need a login again.
    let out = b.find("form.logout button").await;
    b.click(&out).await;
    b.wait_for("p.notice").await;
    b.goto("/clients").await;
    b.wait_for("#email").await;
    assert!(b.path().await.starts_with("/login"));
    b.finish().await;
}

#[tokio::test]
async fn a_form_whose_csrf_field_was_removed_is_refused_and_changes_nothing() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("#schedule").await;
    b.goto("/clients").await;
    let first = b.wait_for("#customers tbody tr:first-child a").await;
    b.click(&first).await;
    let comment = b.wait_for("#field-comment").await;
    let id: i64 = b.path().await.trim_start_matches("/clients/").parse().unwrap();
    let before = b.app.customer(company, id).await.unwrap().fields.comment;
    b.clear(&comment).await;
    b.type_into(&comment, "forged").await;
    b.execute("document.querySelector('#field-comment').form.querySelector('input[name=csrf]').remove()", vec![]).await;
    let save = b.find("form.edit button[value=comment]").await;
    b.click(&save).await;
    let detail = b.wait_for("p.error-detail").await;
    assert!(b.text(&detail).await.contains("jeton de sécurité"));
    assert_eq!(b.app.customer(company, id).await.unwrap().fields.comment, before);
    b.finish().await;
}
