//! A company set up from an empty database without the CLI (issue 14): the installation page creates
//! the first company and its administrator, then the imports load its customers, contracts and
//! invoices in the browser — on every engine.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use creance_app::App;
use creance_server::web::WebConfig;
use creance_store::testing::TestDb;
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::web::{count, csrf_of, enc, send, set_cookie, Answer};

const CODE: &str = "0123456789abcdef";
const ADMIN_PASSWORD: &str = "a long admin password";

fn router(app: &App, code: Option<&str>) -> Router {
    let config = WebConfig { secure_cookies: false, installation_code: code.map(Into::into) };
    creance_server::router_web(app.clone(), Duration::from_secs(60), config)
}

/// The installation form posted as a browser posts it: the page first (its token and cookie), then
/// the form with `fields` over the defaults.
async fn post_installation(router: &Router, fields: &[(&str, &str)]) -> Answer {
    let page = send(router, "GET", "/installation", None, &[], None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let cookie = format!("creance_install={}", set_cookie(&page, "creance_install").expect("the form's cookie"));
    let mut values: Vec<(&str, &str)> = vec![
        ("code", CODE),
        ("name", "Fromagerie des Aravis SAS"),
        ("address", "2 route du Col\n74220 La Clusaz"),
        ("country", "fr"),
        ("currency", "EUR"),
        ("language", "fr"),
        ("admin_name", "Hélène Perrin"),
        ("admin_email", "helene@aravis.example"),
        ("admin_password", ADMIN_PASSWORD),
        ("admin_password_again", ADMIN_PASSWORD),
    ];
    for (k, v) in fields {
        match values.iter_mut().find(|(name, _)| name == k) {
            Some(pair) => pair.1 = v,
            None => values.push((k, v)),
        }
    }
    let csrf = csrf_of(&page.body);
    values.push(("csrf", &csrf));
    let form: Vec<String> = values.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
    send(router, "POST", "/installation", None, &[("cookie", cookie.as_str())], Some(&form.join("&"))).await
}

/// A file posted as the import page's script posts it: its bytes as the body, the token in a header.
async fn post_file(router: &Router, session: &str, csrf: &str, entity: &str, bytes: &[u8]) -> Answer {
    let r = Request::builder()
        .method("POST")
        .uri(format!("/import/{entity}"))
        .header(header::ACCEPT_LANGUAGE, "fr")
        .header(header::COOKIE, format!("creance_session={session}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .header("x-csrf-token", csrf)
        .body(Body::from(bytes.to_vec()))
        .unwrap();
    let r = router.clone().oneshot(r).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn example(name: &str) -> Vec<u8> {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn an_admin_sets_up_a_company_from_an_empty_database_and_imports_its_customers_contracts_and_invoices() {
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let router = router(&app, Some(CODE));
        // Nobody can log in yet: the login page leads to the installation.
        let a = send(&router, "GET", "/login", None, &[], None).await;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/installation"));

        // A wrong code, a bad country and two different passwords: each said next to its field, nothing made.
        let a = post_installation(
            &router,
            &[("code", "ffffffffffffffff"), ("country", "France"), ("admin_password_again", "another password")],
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains(r#"id="f-code-error""#), "{}", a.body);
        assert!(a.body.contains(r#"id="f-country-error""#));
        assert!(a.body.contains(r#"id="f-admin_password_again-error""#));
        assert!(a.body.contains("Fromagerie des Aravis SAS"), "the form keeps what was typed");
        assert!(!a.body.contains(ADMIN_PASSWORD), "a password is never sent back");
        // The app's own checks: a password too short, named on the administrator's field.
        let a = post_installation(&router, &[("admin_password", "short"), ("admin_password_again", "short")]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains(r#"id="f-admin_password-error""#), "{}", a.body);
        // A form without its cookie's token (another site's) is refused.
        let page = send(&router, "GET", "/installation", None, &[], None).await;
        let forged = format!("code={CODE}&name=X&csrf={}", csrf_of(&page.body));
        let a = send(&router, "POST", "/installation", None, &[], Some(&forged)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM companies").await, 0);
        assert_eq!(count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await, 0);

        // The right form: the company, its administrator, logged in, on to the imports.
        let a = post_installation(&router, &[]).await;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/import?bienvenue=1"), "{}", a.body);
        let session = set_cookie(&a, "creance_session").expect("the administrator is logged in");
        let companies = app.companies().await.unwrap();
        assert_eq!(companies.len(), 1);
        assert_eq!((companies[0].name.as_str(), companies[0].country.as_str()), ("Fromagerie des Aravis SAS", "FR"));
        let users = app.users(Some(companies[0].id)).await.unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].email, "helene@aravis.example");
        assert!(app.dunning_policies(companies[0].id).await.unwrap().iter().any(|p| p.is_default), "a default policy");
        let page = send(&router, "GET", "/import?bienvenue=1", Some(&session), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(r#"id="welcome-h""#) && page.body.contains("/parametres/banques"));

        // Installed: the page is closed, a second installation makes nothing, the login page is back.
        let a = send(&router, "GET", "/installation", None, &[], None).await;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/login"));
        assert_eq!(send(&router, "GET", "/login", None, &[], None).await.status, StatusCode::OK);
        let refused = App::new(test_db.db.clone())
            .install(
                &creance_app::Actor::new("test", creance_store::testing::TEST_INSTANT),
                &creance_app::installation::Installation {
                    company: creance_app::companies::NewCompany {
                        name: "Intruder".into(),
                        country: "FR".into(),
                        base_currency: creance_core::Currency::EUR,
                        language: creance_core::Language::Fr,
                        address: String::new(),
                    },
                    admin_name: "X".into(),
                    admin_email: "x@example.com".into(),
                    admin_password: ADMIN_PASSWORD.into(),
                    admin_language: creance_core::Language::En,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(refused.code(), creance_app::Code::AlreadyInstalled);
        assert_eq!(count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM companies").await, 1);

        // The imports, in the order the page gives, as the page's script posts the files.
        let csrf = csrf_of(&page.body);
        let a = post_file(&router, &session, &csrf, "customers", &example("customers.csv")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("Clients : 6 créé(s), 0 mis à jour, 0 inchangé(s)."), "{}", a.body);
        let a = post_file(&router, &session, &csrf, "contracts", &example("contracts.csv")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let a = post_file(&router, &session, &csrf, "invoices", &example("invoices.csv")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("créé(s)"), "{}", a.body);
        let installments = "SELECT CAST(COUNT(*) AS BIGINT) FROM installments";
        let loaded = count(&app, installments).await;
        assert!(loaded >= 9, "{loaded} installments");
        // The same file again changes nothing, and says so.
        let a = post_file(&router, &session, &csrf, "customers", &example("customers.csv")).await;
        assert!(a.body.contains("les 6 ligne(s) sont déjà importées ; rien n'a changé"), "{}", a.body);
        // A file with bad rows: every one listed with its line and column, nothing imported.
        let a = post_file(&router, &session, &csrf, "invoices", &example("invoices-with-errors.csv")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("import refusé"), "{}", a.body);
        assert!(a.body.contains("<td class=\"num\">7</td><td><code>date</code></td>"), "line 7's date: {}", a.body);
        // Its reasons in French (the file names customers C001…C999, none of this company's).
        let row = |line: &str, column: &str, reason: &str| {
            format!("<td class=\"num\">{line}</td><td><code>{column}</code></td><td>{reason}</td>")
        };
        for (line, customer) in [("2", "C001"), ("7", "C003"), ("12", "C999")] {
            let reason = format!("le client {customer} n'existe pas : importez-le d'abord");
            assert!(a.body.contains(&row(line, "customer", &reason)), "line {line}'s customer: {}", a.body);
        }
        let bad_date = "« 31/02/2026 » n'est pas une date valide (ce jour n'existe pas dans ce mois) ; écrivez \
                        AAAA-MM-JJ ou JJ/MM/AAAA";
        assert!(a.body.contains(&row("7", "date", bad_date)), "line 7's date in French: {}", a.body);
        assert!(!a.body.contains("does not exist") && !a.body.contains("en anglais"), "{}", a.body);
        assert_eq!(count(&app, installments).await, loaded, "nothing of the refused file is imported");
        // Rows pasted in the text area (the page without its script): the page with the report.
        let pasted = "numero;nom;pays;langue;devise\nC000900;Chalet Mont-Blanc SARL;FR;fr;EUR\n";
        let form = format!("entity=customers&csv={}&csrf={}", enc(pasted), csrf);
        let a = send(&router, "POST", "/import", Some(&session), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("Clients : 1 créé(s), 0 mis à jour, 0 inchangé(s)."), "{}", a.body);
        // A payment term that is none, an amount that is none, a due date before its invoice: in French.
        let pasted = "numero;client;date;montant;conditions;echeance\n\
                      F9001;C000900;2026-01-05;10,00;NET3X;\n\
                      F9002;C000900;2026-01-05;12 €;NET30;\n\
                      F9003;C000900;2026-01-05;10,00;;2026-01-01\n";
        let form = format!("entity=invoices&csv={}&csrf={}", enc(pasted), csrf);
        let a = send(&router, "POST", "/import", Some(&session), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        let term = "<td class=\"num\">2</td><td><code>payment_term</code></td><td>« NET3X » n'est pas une condition \
                    de paiement valide : attendu un nombre de jours, trouvé « 3X » (exemples : NET30";
        assert!(a.body.contains(term), "{}", a.body);
        let amount = "<td class=\"num\">3</td><td><code>total</code></td><td>« 12 € » n'est pas un montant valide : \
                      caractère inattendu";
        assert!(a.body.contains(amount), "{}", a.body);
        let due = "l'échéance du 01/01/2026 précède la date de la pièce, le 05/01/2026";
        assert!(a.body.contains(&row("4", "due_date", due)), "{}", a.body);
        // A model file to start from.
        let a = send(&router, "GET", "/import/modeles/invoices.csv", Some(&session), &[], None).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.starts_with("kind;number;customer;date"), "{}", a.body);
        // An import without the session's token is refused and imports nothing.
        let a = post_file(&router, &session, "0", "customers", b"numero;nom\nC000901;Y\n").await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        test_db.finish().await;
    }
}

#[tokio::test]
async fn without_its_code_the_installation_page_creates_nothing_and_a_reader_cannot_import() {
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        // A server started without a code (not by `serve` on an empty database) creates nothing.
        let router = router(&app, None);
        let page = send(&router, "GET", "/installation", None, &[], None).await;
        assert!(page.body.contains("no installation code"), "{}", page.body);
        let a = post_installation(&router, &[]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        assert_eq!(count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await, 0);
        test_db.finish().await;
    }
    // Imports need a clerk: a read-only user is refused the page and the posts.
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let w = super::web::web_env(&app, creance_core::Language::En).await;
        let session = super::web::login(&w.router, "reader@example.com", super::web::PASSWORD).await.unwrap();
        assert_eq!(send(&w.router, "GET", "/import", Some(&session), &[], None).await.status, StatusCode::FORBIDDEN);
        let clerk = super::web::login(&w.router, "clerk@example.com", super::web::PASSWORD).await.unwrap();
        let page = send(&w.router, "GET", "/import", Some(&clerk), &[], None).await;
        assert_eq!(page.status, StatusCode::OK);
        let reader_page = send(&w.router, "GET", "/clients", Some(&session), &[], None).await;
        let a = post_file(&w.router, &session, &csrf_of(&reader_page.body), "customers", b"numero;nom\nC1;Y\n").await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        test_db.finish().await;
    }
}
