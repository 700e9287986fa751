//! Paramètres (the company half) in the browser: a French admin adds a bank account by keyboard
//! (Tab from the page's top to the form, the fields typed, Enter), sends a test e-mail that fails
//! against a closed port and reads why, creates an API token and reads it once, sets the amount
//! rules (a window out of range refused next to it) and a German signature; a clerk is refused
//! the settings. With `CREANCE_SCREENSHOTS=1` they write `docs/screenshots/ui_settings*.png`.

use creance_app::delivery::SmtpInput;
use creance_app::users::NewUser;
use creance_app::{Actor, App};
use creance_core::{Language, Role};
use creance_store::testing::TEST_INSTANT;

use super::{demo_db, Browser, ENTER, TAB};
use crate::web::PASSWORD;

pub(super) use crate::web::ADMIN;

/// The demo database with a French admin of the demo company (the Paramètres suites').
pub(super) async fn with_admin() -> (creance_store::testing::TestDb, i64) {
    let (db, company) = demo_db().await;
    let app = App::new(db.db.clone());
    let u = NewUser {
        email: ADMIN.into(),
        name: "Alice Admin".into(),
        language: Language::Fr,
        company_id: company,
        role: Role::Admin,
        password: PASSWORD.into(),
    };
    app.create_user(&Actor::new("test", TEST_INSTANT), &u).await.unwrap();
    (db, company)
}

/// Presses Tab from the top of the page until the element `id` has the focus.
async fn tab_to(b: &Browser, id: &str) {
    b.execute("document.activeElement.blur(); window.scrollTo(0, 0)", vec![]).await;
    for _ in 0..60 {
        let active = b.active().await;
        b.type_into(&active, TAB).await;
        if b.attr(&b.active().await, "id").await.as_deref() == Some(id) {
            return;
        }
    }
    panic!("Tab never reached #{id}");
}

#[tokio::test]
async fn an_admin_adds_a_bank_account_by_keyboard_tests_smtp_and_creates_a_token() {
    Box::pin(admin_scenario()).await;
}

async fn admin_scenario() {
    let (db, company) = with_admin().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in(ADMIN, PASSWORD).await;
    b.wait_for("#schedule").await;
    Box::pin(index_and_bank(&b, company)).await;
    Box::pin(smtp_test(&b, company)).await;
    Box::pin(token_and_users(&b, company)).await;
    Box::pin(money_rules(&b, company)).await;
    Box::pin(signatures(&b, company)).await;
    b.finish().await;
}

async fn index_and_bank(b: &Browser, company: i64) {
    b.goto("/parametres").await;
    b.wait_for("ul.settings-index").await;
    b.screenshot("ui_settings.png").await;
    let link = b.find("a[href='/parametres/banques']").await;
    b.click(&link).await;
    b.wait_for("#f-name").await;
    tab_to(b, "f-name").await;
    // Each field typed, Tab to the next: name, IBAN, BIC, journal, account, currency; Enter sends.
    for text in ["Banque Alpine", "FR76 3000 6000 0112 3456 7890 189", "AGRIFRPP", "BQ3", "512300", "EUR"] {
        let e = b.active().await;
        b.type_into(&e, text).await;
        b.type_into(&e, TAB).await;
    }
    let currency = b.find("#f-currency").await;
    b.type_into(&currency, ENTER).await;
    b.wait_for("#done").await;
    let banks = b.app.bank_accounts(company).await.unwrap();
    let bank = banks.iter().find(|x| x.name == "Banque Alpine").expect("added by keyboard");
    assert_eq!(
        (bank.iban.as_str(), bank.journal_code.as_str(), bank.account_code.as_str()),
        ("FR7630006000011234567890189", "BQ3", "512300")
    );
    assert!(b.text_of("#banks").await.contains("Banque Alpine"));
}

async fn smtp_test(b: &Browser, company: i64) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let input = SmtpInput {
        host: "127.0.0.1".into(),
        port: Some(i64::from(closed)),
        security: Some("none".into()),
        from_address: "relances@alpes.example".into(),
        password: Some("s3cret-pass".into()),
        ..Default::default()
    };
    b.app.set_smtp_settings(&Actor::new("test", TEST_INSTANT), company, &input).await.unwrap();
    b.goto("/parametres/smtp").await;
    let to = b.wait_for("#f-to").await;
    b.type_into(&to, "compta@client.example").await;
    b.type_into(&to, ENTER).await;
    b.wait_for("#test-result").await;
    let said = b.text_of("#test-result").await;
    assert!(said.contains("n'est pas parti") && said.contains(&format!("127.0.0.1:{closed}")), "{said}");
    assert_eq!(b.attr(&b.find("#f-password").await, "value").await.as_deref(), Some(""), "never shown back");
    b.screenshot("ui_settings_smtp.png").await;
}

async fn token_and_users(b: &Browser, company: i64) {
    b.goto("/parametres/jetons").await;
    let label = b.wait_for("#f-label").await;
    b.type_into(&label, "Script d'import").await;
    b.type_into(&label, ENTER).await;
    let shown = b.wait_for("#new-token").await;
    let secret = b.text(&shown).await;
    assert!(secret.starts_with("crn_"), "{secret}");
    assert_eq!(b.app.tokens(company).await.unwrap().len(), 1);
    b.screenshot("ui_settings_tokens.png").await;
    b.goto("/parametres/utilisateurs").await;
    b.wait_for("#users").await;
    assert!(b.text_of("#users").await.contains("clerk@example.com"));
    b.screenshot("ui_settings_users.png").await;
}

#[tokio::test]
async fn a_clerk_is_refused_the_settings() {
    let (db, _company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("#schedule").await;
    b.goto("/parametres/banques").await;
    b.wait_for("main.error").await;
    assert!(b.try_find("#f-name").await.is_none(), "no form for a clerk");
    let (status,) = {
        let v = b
            .execute(
                "const x = new XMLHttpRequest(); x.open('GET', '/parametres', false); x.send(); return x.status;",
                vec![],
            )
            .await;
        (v.as_i64().unwrap_or(0),)
    };
    assert_eq!(status, 403);
    b.finish().await;
}

/// The amount rules from the index: a window out of range refused next to it, then saved.
async fn money_rules(b: &Browser, company: i64) {
    b.goto("/parametres").await;
    b.click(&b.wait_for("a[href='/parametres/montants']").await).await;
    let window = b.wait_for("#f-duplicate_window_days").await;
    b.clear(&window).await;
    b.type_into(&window, "400").await;
    b.type_into(&window, ENTER).await;
    let error = b.wait_for("#f-duplicate_window_days-error").await;
    assert!(b.text(&error).await.contains("366"), "{}", b.text(&error).await);
    let window = b.find("#f-duplicate_window_days").await;
    b.clear(&window).await;
    b.type_into(&window, "10").await;
    b.type_into(&b.find("#f-document_amount_max").await, "250000").await;
    b.click(&b.find("#save-money").await).await;
    b.wait_for("#done").await;
    let s = b.app.money_settings(company).await.unwrap();
    assert_eq!((s.duplicate_window_days, s.document_amount_max), (10, Some(250000)));
    b.screenshot("ui_settings_money.png").await;
}

/// A German signature typed on the letterhead page (in place of the demo's), offered on the German preview.
async fn signatures(b: &Browser, company: i64) {
    b.goto("/parametres/entete").await;
    let de = b.wait_for("#f-signatures-de").await;
    b.clear(&de).await;
    b.type_into(&de, "Hans Müller\nGeschäftsführer").await;
    b.click(&b.find("#save-letterhead").await).await;
    b.wait_for("#done").await;
    let h = b.app.letterhead(company).await.unwrap();
    assert_eq!(h.signatures.get("de"), Some(&vec!["Hans Müller".to_string(), "Geschäftsführer".to_string()]));
    assert_eq!(
        b.attr(&b.find("#preview-de").await, "href").await.as_deref(),
        Some("/parametres/entete/apercu.pdf?language=de")
    );
    b.execute("document.querySelector('#signatures').scrollIntoView()", vec![]).await;
    b.screenshot("ui_settings_letterhead.png").await;
}
