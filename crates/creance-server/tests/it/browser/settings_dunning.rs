//! Paramètres › relances et intérêts in the browser (a French administrator, the demo): a policy
//! level's delay changed by keyboard and saved, read back on the page and in the app; a level's
//! opening text typed and the preview frame following it; an interest table created from a preset,
//! and a free one (a bad margin refused next to it first);
//! a clerk refused the settings pages and a write. With `CREANCE_SCREENSHOTS=1` they write
//! `docs/screenshots/ui_settings_policy.png`, `ui_settings_texts.png`, `ui_settings_interest.png`.

use creance_app::dunning::policy_json::PolicyView;
use creance_app::App;
use serde_json::Value;

use super::settings::{with_admin, ADMIN};
use super::{demo_db, Browser, ENTER};
use crate::web::PASSWORD;

async fn default_policy(app: &App, company: i64) -> PolicyView {
    app.dunning_policies(company).await.unwrap().iter().map(PolicyView::from).find(|p| p.is_default).unwrap()
}

#[tokio::test]
async fn edit_a_policy_level_as_admin() {
    // Boxed: the scenario's future is large, the test thread's stack is not.
    Box::pin(edit_a_policy_level_as_admin_scenario()).await;
}

async fn edit_a_policy_level_as_admin_scenario() {
    let (db, company) = with_admin().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in(ADMIN, PASSWORD).await;
    b.wait_for("main").await;
    Box::pin(change_a_delay(&b, company)).await;
    Box::pin(type_a_text(&b, company)).await;
    Box::pin(create_a_table(&b, company)).await;
    b.finish().await;
}

/// The policies, the default one opened, level 2's delay changed by keyboard and saved with Enter.
async fn change_a_delay(b: &Browser, company: i64) {
    let before = default_policy(&b.app, company).await;
    b.goto("/parametres/relances").await;
    b.wait_for("#policies").await;
    b.click(&b.find(&format!("#policy-{} td a", before.code)).await).await;
    let delay = b.wait_for("#f-levels-1-delay_days").await;
    b.click(&delay).await;
    // By keyboard: to the end of the field, the old delay erased, the new one typed, Enter saves.
    let old = before.levels[1].delay_days.to_string();
    b.type_into(&delay, &format!("{END}{}21{ENTER}", BACKSPACE.repeat(old.len()))).await;
    b.wait_for("#done").await;
    assert_eq!(b.text_of("#done").await, "La politique est enregistrée.");
    let shown = b.attr(&b.find("#f-levels-1-delay_days").await, "value").await;
    assert_eq!(shown.as_deref(), Some("21"));
    let after = default_policy(&b.app, company).await;
    assert_eq!(after.levels[1].delay_days, 21);
    assert_eq!(after.levels[0], before.levels[0]);
    b.execute("document.getElementById('level-1').scrollIntoView({block: 'end'})", vec![]).await;
    b.screenshot("ui_settings_policy.png").await;
}

/// The WebDriver key codes of End and Backspace.
const END: &str = "\u{E010}";
const BACKSPACE: &str = "\u{E003}";

/// Level 1's French opening text typed: the preview frame's address follows it.
async fn type_a_text(b: &Browser, company: i64) {
    let p = default_policy(&b.app, company).await;
    b.goto(&format!("/parametres/relances/{}/textes?level=1&language=fr", p.id)).await;
    let opening = b.wait_for("#f-opening").await;
    b.clear(&opening).await;
    b.type_into(&opening, "Sauf erreur de notre part, APERCU-42 reste impayé.").await;
    // The frame's address follows the typed text a moment after the last keystroke, and loads.
    b.wait_for("iframe#preview[src*='APERCU-42']").await;
    let loaded = "const f = document.getElementById('preview'); const d = f.contentDocument; \
                  return !!d && d.readyState === 'complete' && d.URL.includes('APERCU-42');";
    let started = std::time::Instant::now();
    while b.execute(loaded, vec![]).await != Value::Bool(true) {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the preview did not load");
        tokio::task::yield_now().await;
    }
    let src = b.attr(&b.find("#preview").await, "src").await.unwrap_or_default();
    let (status, content_type) = fetch_head(b, &src).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"), "{src}");
    b.screenshot("ui_settings_texts.png").await;
    let unchanged = default_policy(&b.app, company).await;
    assert_eq!(unchanged.texts, p.texts, "a preview saves nothing");
}

/// GETs `path` from the page: its status and content type.
async fn fetch_head(b: &Browser, path: &str) -> (i64, String) {
    let v = b
        .execute(
            "const x = new XMLHttpRequest(); x.open('GET', arguments[0], false); x.send(); \
             return [x.status, x.getResponseHeader('content-type')];",
            vec![Value::from(path)],
        )
        .await;
    (v[0].as_i64().unwrap_or(0), v[1].as_str().unwrap_or("").to_string())
}

/// An interest table created from a preset, and a free one.
async fn create_a_table(b: &Browser, company: i64) {
    let existing: Vec<String> = b.app.interest_tables(company).await.unwrap().into_iter().map(|t| t.code).collect();
    let preset =
        ["ch", "de_b2b", "eu_directive", "fr_b2b"].into_iter().find(|c| !existing.iter().any(|e| e == c)).unwrap();
    b.goto("/parametres/interets").await;
    b.wait_for("#preset-form").await;
    b.execute(
        "const e = document.querySelector('#f-preset'); e.value = arguments[0]; e.dispatchEvent(new Event('change'));",
        vec![Value::from(preset)],
    )
    .await;
    b.click(&b.find("#create-preset").await).await;
    b.wait_for("#done").await;
    b.wait_for(&format!("#table-{preset}")).await;
    assert!(b.app.interest_tables(company).await.unwrap().iter().any(|t| t.code == preset));
    // A free table: its fields typed, a bad margin refused next to it, then corrected.
    for (css, text) in [
        ("#f-new-code", "fixe-8"),
        ("#f-new-name", "Taux fixe 8 %"),
        ("#f-new-rates-0-from", "01/01/2026"),
        ("#f-new-rates-0-reference_percent", "0"),
        ("#f-new-rates-0-margin_percent", "huit"),
    ] {
        b.type_into(&b.find(css).await, text).await;
    }
    b.click(&b.find("#create-table").await).await;
    b.wait_for("#f-new-rates-0-margin_percent-error").await;
    let margin = b.find("#f-new-rates-0-margin_percent").await;
    b.clear(&margin).await;
    b.type_into(&margin, "8").await;
    b.click(&b.find("#create-table").await).await;
    b.wait_for("#table-fixe-8").await;
    let t = b.app.interest_tables(company).await.unwrap().into_iter().find(|t| t.code == "fixe-8").expect("created");
    assert_eq!(t.rates.iter().map(|r| r.margin_percent.as_str()).collect::<Vec<_>>(), ["8"]);
    b.goto("/parametres/interets").await;
    b.wait_for("#table-form").await;
    b.screenshot("ui_settings_interest.png").await;
}

#[tokio::test]
async fn be_refused_the_settings_as_a_clerk() {
    Box::pin(be_refused_the_settings_as_a_clerk_scenario()).await;
}

async fn be_refused_the_settings_as_a_clerk_scenario() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    let p = default_policy(&b.app, company).await;
    b.goto(&format!("/parametres/relances/{}", p.id)).await;
    b.wait_for("main.error").await;
    assert!(b.try_find("#policy-form").await.is_none(), "no form for a clerk");
    let title = b.text_of("main.error h1").await;
    assert!(title.to_lowercase().contains("refus"), "{title}");
    // A write sent anyway, with the session's CSRF token, is refused and changes nothing.
    b.goto("/relances").await;
    b.wait_for("main").await;
    let status = b
        .execute(
            "const t = document.querySelector('input[name=csrf]').value; const x = new XMLHttpRequest(); \
             x.open('POST', arguments[0], false); x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded'); \
             x.send('csrf=' + encodeURIComponent(t) + '&code=' + encodeURIComponent(arguments[1])); return x.status;",
            vec![Value::from("/parametres/relances/defaut"), Value::from(p.code.clone())],
        )
        .await;
    assert_eq!(status.as_i64(), Some(403));
    assert_eq!(default_policy(&b.app, company).await, p);
    b.finish().await;
}
