//! An administrator sets a company up from an empty database in the browser: the installation page
//! (the code `serve` printed), then the imports — a customers file imported, an invoices file with bad
//! rows refused row by row.

use creance_server::web::WebConfig;
use creance_store::testing::TestDb;

use super::Browser;

const CODE: &str = "5e7a0c31d2b94f68";

fn example(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name);
    path.canonicalize().unwrap().display().to_string()
}

#[tokio::test]
async fn an_admin_installs_creance_and_imports_customers_and_a_refused_invoices_file() {
    let config = WebConfig { secure_cookies: false, installation_code: Some(CODE.into()) };
    let Some(b) = Browser::start_with(TestDb::sqlite().await, config).await else { return };
    // Nobody can log in on an empty database: the login page leads to the installation.
    b.goto("/login").await;
    b.wait_for("#f-code").await;
    assert_eq!(b.path().await, "/installation");
    for (css, text) in [
        ("#f-code", CODE),
        ("#f-name", "Fromagerie des Aravis SAS"),
        ("#f-address", "2 route du Col\n74220 La Clusaz"),
        ("#f-admin_name", "Hélène Perrin"),
        ("#f-admin_email", "helene@aravis.example"),
        ("#f-admin_password", "a long admin password"),
        ("#f-admin_password_again", "a long admin passwort"),
    ] {
        let e = b.find(css).await;
        b.type_into(&e, text).await;
    }
    b.click(&b.find("main form button[type=submit]").await).await;
    // The two passwords differ: said next to the second, what was typed kept (not the passwords).
    let error = b.wait_for("#f-admin_password_again-error").await;
    assert_eq!(b.text(&error).await, "Les deux mots de passe diffèrent.");
    assert_eq!(b.attr(&b.find("#f-name").await, "value").await.as_deref(), Some("Fromagerie des Aravis SAS"));
    b.screenshot("ui_installation.png").await;
    for css in ["#f-admin_password", "#f-admin_password_again"] {
        let e = b.find(css).await;
        b.type_into(&e, "a long admin password").await;
    }
    b.click(&b.find("main form button[type=submit]").await).await;
    // Logged in as the administrator, on the imports, with the steps to follow.
    b.wait_for("#welcome-h").await;
    assert_eq!(b.path().await, "/import?bienvenue=1");
    assert!(b.text_of("header .user").await.contains("Hélène Perrin"));
    // A customers file: imported, said under its form.
    let file = b.find("#file-customers").await;
    b.type_into(&file, &example("customers.csv")).await;
    b.click(&b.find("form[data-entity=customers] button").await).await;
    let done = b.wait_for("#result-customers p.notice").await;
    assert_eq!(b.text(&done).await, "Clients : 6 créé(s), 0 mis à jour, 0 inchangé(s).");
    // An invoices file with bad rows: refused, every bad row listed with its line and column.
    let file = b.find("#file-invoices").await;
    b.type_into(&file, &example("invoices-with-errors.csv")).await;
    b.click(&b.find("form[data-entity=invoices] button").await).await;
    b.wait_for("#result-invoices table").await;
    assert!(b.text_of("#result-invoices p.field-error").await.contains("rien n'a été importé"));
    let rows = b.execute("return document.querySelectorAll('#result-invoices tbody tr').length", vec![]).await;
    assert!(rows.as_u64().unwrap_or(0) >= 3, "{rows}");
    b.execute("document.getElementById('result-invoices').scrollIntoView()", vec![]).await;
    b.screenshot("ui_import.png").await;
    // The customers are there.
    b.goto("/clients").await;
    b.wait_for("#customers").await;
    assert!(b.text_of("#customers").await.contains("Boulangerie Martin SARL"));
    b.finish().await;
}
