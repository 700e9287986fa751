//! Paramètres, the company half, driven through HTTP (`Router::oneshot`) on every engine: a bank
//! account added and a payment method edited as the app reads them afterwards; a bad value refused
//! next to its field, nothing changed; the SMTP settings saved (the password never shown back) and
//! a test e-mail sent to an in-process SMTP server, its failure against a closed port said; a token
//! shown once and revoked (the API refusing it then); a user created logging in with the password
//! shown, its role changed, then disabled (logging in no more); the letterhead saved, a bad e-mail refused on its field, a logo uploaded as the API
//! takes it (with the CSRF header; without it refused), too large refused; a signature per language
//! printed on the preview in that language; the amount rules saved as the app reads them, a bad
//! number refused next to its field; a clerk refused every page and every POST (403).

use axum::http::StatusCode;
use creance_core::Role;

#[path = "../../../creance-app/tests/it/smtp_server.rs"]
#[allow(dead_code, clippy::duplicate_mod)] // browser/dunning.rs includes it too
mod smtp_server;

use crate::web::{csrf_of, login, on_every_engine_with_admin as on_every_engine, send, Answer, Web, ADMIN, PASSWORD};

/// GET `uri` as `cookie`, expecting 200; the page and its CSRF token.
pub(crate) async fn get_page(web: &Web, cookie: &str, uri: &str) -> (String, String) {
    let a = send(&web.router, "GET", uri, Some(cookie), &[], None).await;
    assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
    let csrf = csrf_of(&a.body);
    (a.body, csrf)
}

pub(crate) async fn post(web: &Web, cookie: &str, uri: &str, form: &str) -> Answer {
    send(&web.router, "POST", uri, Some(cookie), &[], Some(form)).await
}

/// The text of the field error of control `id`, if the page has one.
pub(crate) fn field_error(page: &str, id: &str) -> Option<String> {
    let marker = format!(r#"id="{id}-error""#);
    let at = page.find(&marker)?;
    let rest = &page[at..];
    let start = rest.find('>')? + 1;
    Some(rest[start..start + rest[start..].find('<')?].to_string())
}

#[tokio::test]
async fn a_bank_account_added_is_listed_and_read_by_the_app_and_a_bad_iban_is_refused_on_its_field() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (index, _) = get_page(&web, &cookie, "/parametres").await;
        for href in ["/parametres/banques", "/parametres/smtp", "/parametres/relances", "/parametres/interets", "/parametres/journal"] {
            assert!(index.contains(&format!(r#"href="{href}""#)), "the index links to {href}");
        }
        let before = app.bank_accounts(web.company).await.unwrap();
        let (_, csrf) = get_page(&web, &cookie, "/parametres/banques").await;
        let bad = format!("csrf={csrf}&name=Banque+Test&iban=FR76+3000+6000+0112+3456+7890+188&bic=&journal_code=&account_code=&currency=");
        let a = post(&web, &cookie, "/parametres/banques", &bad).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        let reason = field_error(&a.body, "f-iban").expect("the refusal is next to the IBAN");
        assert!(reason.contains("not a valid IBAN"), "{reason}");
        assert!(a.body.contains(r#"value="Banque Test""#), "the form keeps what was typed");
        assert_eq!(app.bank_accounts(web.company).await.unwrap(), before, "nothing changed");

        let good = format!("csrf={csrf}&name=Banque+Test&iban=FR76+3000+6000+0112+3456+7890+189&bic=agrifrpp&journal_code=BQ7&account_code=512700&currency=EUR");
        let a = post(&web, &cookie, "/parametres/banques", &good).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let after = app.bank_accounts(web.company).await.unwrap();
        assert_eq!(after.len(), before.len() + 1);
        let b = after.iter().find(|b| b.name == "Banque Test").expect("the new account");
        assert_eq!(
            (b.iban.as_str(), b.bic.as_str(), b.journal_code.as_str(), b.account_code.as_str(), b.currency.code()),
            ("FR7630006000011234567890189", "AGRIFRPP", "BQ7", "512700", "EUR")
        );
        let (list, _) = get_page(&web, &cookie, a.location()).await;
        assert!(list.contains("Bank account added.") && list.contains("FR7630006000011234567890189"));
        // The same name again: refused by the use case, said above the form.
        let a = post(&web, &cookie, "/parametres/banques", &good).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("already exists"), "{}", a.body);

        // Edited: a bad IBAN refused on its field, then the journal and account changed.
        let uri = format!("/parametres/banques/{}", b.id);
        let (edit, _) = get_page(&web, &cookie, &uri).await;
        assert!(edit.contains(r#"value="BQ7""#));
        let a = post(&web, &cookie, &uri, &good.replace("189&", "188&")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-iban").is_some(), "{}", a.body);
        let a = post(&web, &cookie, &uri, &good.replace("BQ7", "BQ8").replace("512700", "512800")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let edited = app.bank_accounts(web.company).await.unwrap().into_iter().find(|x| x.id == b.id).unwrap();
        assert_eq!((edited.journal_code.as_str(), edited.account_code.as_str()), ("BQ8", "512800"));
    })
    .await;
}

#[tokio::test]
async fn a_payment_method_edited_is_read_so_by_the_app_and_a_bad_code_is_refused_on_its_field() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (page, csrf) = get_page(&web, &cookie, "/parametres/modes").await;
        assert!(page.contains(r#"data-code="cheque""#));
        let a =
            post(&web, &cookie, "/parametres/modes", &format!("csrf={csrf}&code=cheque&label=Ch%C3%A8que+bancaire"))
                .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let m = app.payment_methods(web.company).await.unwrap();
        let cheque = m.iter().find(|m| m.code == "cheque").unwrap();
        assert_eq!((cheque.label.as_str(), cheque.needs_deposit, cheque.active), ("Chèque bancaire", false, false));

        let before = app.payment_methods(web.company).await.unwrap().len();
        let a =
            post(&web, &cookie, "/parametres/modes", &format!("csrf={csrf}&code=bad+code&label=X&active=true")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-code-new").expect("on the new method's code").contains("use letters"));
        assert_eq!(app.payment_methods(web.company).await.unwrap().len(), before, "nothing added");

        let (_, csrf) = get_page(&web, &cookie, "/parametres/comptes").await;
        let a =
            post(&web, &cookie, "/parametres/comptes", &format!("csrf={csrf}&role=bank&code=51+2&label=Banque")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-code-bank").is_some(), "{}", a.body);
        let a =
            post(&web, &cookie, "/parametres/comptes", &format!("csrf={csrf}&role=bank&code=512100&label=Banque+1"))
                .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let codes = app.account_codes(web.company).await.unwrap();
        assert_eq!(codes.codes.iter().find(|c| c.role == "bank").map(|c| c.code.as_str()), Some("512100"));
    })
    .await;
}

/// Every page and every POST of the company settings.
pub(crate) const PAGES: [&str; 10] = [
    "/parametres",
    "/parametres/banques",
    "/parametres/banques/1",
    "/parametres/modes",
    "/parametres/comptes",
    "/parametres/montants",
    "/parametres/smtp",
    "/parametres/utilisateurs",
    "/parametres/jetons",
    "/parametres/entete",
];

#[tokio::test]
async fn a_clerk_is_refused_every_settings_page_and_post() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, "clerk@example.com", PASSWORD).await.unwrap();
        let (_, csrf) = get_page(&web, &cookie, "/clients").await;
        let methods = app.payment_methods(web.company).await.unwrap();
        for uri in PAGES.iter().chain(["/parametres/entete/apercu.pdf"].iter()) {
            let a = send(&web.router, "GET", uri, Some(&cookie), &[], None).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "GET {uri}");
        }
        for uri in POSTS.iter() {
            let a = post(&web, &cookie, uri, &format!("csrf={csrf}&code=cheque&label=Nope&name=Nope&role=bank")).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "POST {uri}");
        }
        let after = app.payment_methods(web.company).await.unwrap();
        assert_eq!(
            after.iter().map(|m| &m.label).collect::<Vec<_>>(),
            methods.iter().map(|m| &m.label).collect::<Vec<_>>()
        );
    })
    .await;
}

/// Every POST of the company settings.
pub(crate) const POSTS: [&str; 15] = [
    "/parametres/banques",
    "/parametres/banques/1",
    "/parametres/modes",
    "/parametres/comptes",
    "/parametres/montants",
    "/parametres/smtp",
    "/parametres/smtp/essai",
    "/parametres/smtp/suppression",
    "/parametres/utilisateurs",
    "/parametres/utilisateurs/1/role",
    "/parametres/utilisateurs/1/desactivation",
    "/parametres/jetons",
    "/parametres/jetons/1/revocation",
    "/parametres/entete",
    "/parametres/entete/logo",
];

/// The SMTP form's fields for a server on 127.0.0.1:`port`, without TLS.
fn smtp_form(csrf: &str, port: u16, password: &str) -> String {
    format!(
        "csrf={csrf}&host=127.0.0.1&port={port}&security=none&username=&password={password}&from_address=relances%40alpes.example&from_name=&reply_to="
    )
}

#[tokio::test]
async fn the_smtp_test_email_reaches_the_server_and_its_failure_against_a_closed_port_is_said() {
    on_every_engine(|app, web| async move {
        let server = smtp_server::SmtpServer::start().await;
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (page, csrf) = get_page(&web, &cookie, "/parametres/smtp").await;
        assert!(!page.contains(r#"action="/parametres/smtp/essai""#), "no test before a server is set");
        let a = post(
            &web,
            &cookie,
            "/parametres/smtp",
            &smtp_form(&csrf, server.port, "s3cret-pass").replace("port=", "port=x"),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-port").is_some(), "{}", a.body);
        assert!(!app.smtp_settings(web.company).await.unwrap().configured, "nothing saved");
        let a = post(&web, &cookie, "/parametres/smtp", &smtp_form(&csrf, server.port, "s3cret-pass")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let view = app.smtp_settings(web.company).await.unwrap();
        assert!(view.configured && view.password_set && view.port == i64::from(server.port));
        let (page, _) = get_page(&web, &cookie, "/parametres/smtp").await;
        assert!(!page.contains("s3cret-pass"), "the password is never shown back");

        let a = post(&web, &cookie, "/parametres/smtp/essai", &format!("csrf={csrf}&to=not-an-address")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-to").is_some(), "{}", a.body);
        assert_eq!(server.received().len(), 0);
        let a = post(&web, &cookie, "/parametres/smtp/essai", &format!("csrf={csrf}&to=compta%40client.example")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("Test e-mail sent to compta@client.example"), "{}", a.body);
        let got = server.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].to, vec!["compta@client.example".to_string()]);
        assert!(String::from_utf8_lossy(&got[0].data).contains("test e-mail"));

        // A closed port: a listener bound, then dropped.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
        let a = post(&web, &cookie, "/parametres/smtp", &smtp_form(&csrf, closed, "")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(app.smtp_settings(web.company).await.unwrap().password_set, "an empty password field keeps it");
        let a = post(&web, &cookie, "/parametres/smtp/essai", &format!("csrf={csrf}&to=compta%40client.example")).await;
        assert_eq!(a.status, StatusCode::BAD_GATEWAY, "{}", a.body);
        assert!(
            a.body.contains("The test e-mail was not sent:") && a.body.contains(&format!("127.0.0.1:{closed}")),
            "{}",
            a.body
        );
        assert_eq!(server.received().len(), 1, "nothing more reached the first server");
    })
    .await;
}

/// The text of the element `<code id="ID">` in a page.
fn code_text(page: &str, id: &str) -> Option<String> {
    let marker = format!(r#"<code id="{id}">"#);
    let at = page.find(&marker)? + marker.len();
    Some(page[at..at + page[at..].find('<')?].to_string())
}

#[tokio::test]
async fn a_token_is_shown_once_then_revoked_and_the_api_refuses_it() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (_, csrf) = get_page(&web, &cookie, "/parametres/jetons").await;
        let a = post(&web, &cookie, "/parametres/jetons", &format!("csrf={csrf}&label=Import&role=boss")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-role").is_some(), "{}", a.body);
        assert!(app.tokens(web.company).await.unwrap().is_empty(), "nothing created");
        let a = post(&web, &cookie, "/parametres/jetons", &format!("csrf={csrf}&label=Import+script&role=read_only")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.headers.get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
        let secret = code_text(&a.body, "new-token").expect("the token is shown");
        assert!(secret.starts_with("crn_"));
        let (list, _) = get_page(&web, &cookie, "/parametres/jetons").await;
        assert!(list.contains("Import script") && !list.contains(&secret), "listed, never shown again");

        let bearer = format!("Bearer {secret}");
        let api = |b: String| {
            let router = web.router.clone();
            async move { send(&router, "GET", "/api/v1/bank-accounts", None, &[("authorization", b.as_str())], None).await }
        };
        assert_eq!(api(bearer.clone()).await.status, StatusCode::OK);
        let id = app.tokens(web.company).await.unwrap()[0].id;
        let a = post(&web, &cookie, &format!("/parametres/jetons/{id}/revocation"), &format!("csrf={csrf}")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(app.tokens(web.company).await.unwrap()[0].revoked_at.is_some());
        assert_eq!(api(bearer).await.status, StatusCode::UNAUTHORIZED, "a revoked token opens nothing");
        let a = post(&web, &cookie, &format!("/parametres/jetons/{id}/revocation"), &format!("csrf={csrf}")).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "revoked once: {}", a.body);
    })
    .await;
}

#[tokio::test]
async fn a_user_created_logs_in_with_the_password_shown_gets_another_role_and_once_disabled_logs_in_no_more() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (_, csrf) = get_page(&web, &cookie, "/parametres/utilisateurs").await;
        let form = |email: &str| format!("csrf={csrf}&email={email}&name=Bruno+Petit&language=fr&role=clerk");
        let a = post(&web, &cookie, "/parametres/utilisateurs", &form("clerk%40example.com")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-email").expect("on the e-mail").contains("exists already"));
        let a = post(&web, &cookie, "/parametres/utilisateurs", &form("bruno%40example.com")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let password = code_text(&a.body, "new-password").expect("the password is shown once");
        let (list, _) = get_page(&web, &cookie, "/parametres/utilisateurs").await;
        assert!(list.contains("bruno@example.com") && !list.contains(&password));
        let bruno = login(&web.router, "bruno@example.com", &password).await.expect("logs in with the password shown");
        let a = send(&web.router, "GET", "/parametres", Some(&bruno), &[], None).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "a clerk");

        let id = app
            .users(Some(web.company))
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == "bruno@example.com")
            .unwrap()
            .id;
        let a = post(&web, &cookie, &format!("/parametres/utilisateurs/{id}/role"), &format!("csrf={csrf}&role=chief"))
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, &format!("f-role-{id}")).is_some(), "{}", a.body);
        let a = post(&web, &cookie, &format!("/parametres/utilisateurs/{id}/role"), &format!("csrf={csrf}&role=admin"))
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let u = app.users(Some(web.company)).await.unwrap().into_iter().find(|u| u.id == id).unwrap();
        assert_eq!(u.roles.iter().find(|r| r.company_id == web.company).map(|r| r.role), Some(Role::Admin));
        let a = send(&web.router, "GET", "/parametres", Some(&bruno), &[], None).await;
        assert_eq!(a.status, StatusCode::OK, "an admin now");

        // Disabled: its session ends, it logs in no more; oneself is refused, and a user who also
        // works in a company the admin does not administer (the clerk, read-only in Beta SA).
        let a =
            post(&web, &cookie, &format!("/parametres/utilisateurs/{id}/desactivation"), &format!("csrf={csrf}")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(
            send(&web.router, "GET", "/parametres", Some(&bruno), &[], None).await.status,
            StatusCode::SEE_OTHER,
            "to the login"
        );
        assert!(login(&web.router, "bruno@example.com", &password).await.is_err(), "logs in no more");
        let users = app.users(Some(web.company)).await.unwrap();
        let me = users.iter().find(|u| u.email == ADMIN).unwrap().id;
        let clerk = users.iter().find(|u| u.email == "clerk@example.com").unwrap().id;
        for other in [me, clerk] {
            let a = post(
                &web,
                &cookie,
                &format!("/parametres/utilisateurs/{other}/desactivation"),
                &format!("csrf={csrf}"),
            )
            .await;
            assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        }
        assert!(app.users(Some(web.company)).await.unwrap().iter().filter(|u| u.disabled_at.is_some()).count() == 1);
    })
    .await;
}

#[tokio::test]
async fn the_letterhead_is_saved_and_the_logo_uploaded_with_the_csrf_header_only() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (_, csrf) = get_page(&web, &cookie, "/parametres/entete").await;
        let form = |email: &str| {
            format!("csrf={csrf}&registration=RCS+Thonon+812&vat_number=FR12812345678&phone=04+50&email={email}&web=&envelope_window=left&signature_lines=Claire+Dupraz%0D%0AComptable&bank_account_id=")
        };
        let before = app.letterhead(web.company).await.unwrap();
        let a = post(&web, &cookie, "/parametres/entete", &form("x%0Ay")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(field_error(&a.body, "f-email").is_some(), "{}", a.body);
        assert_eq!(app.letterhead(web.company).await.unwrap().registration, before.registration, "nothing changed");
        let a = post(&web, &cookie, "/parametres/entete", &form("compta%40alpes.example")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let h = app.letterhead(web.company).await.unwrap();
        assert_eq!(
            (h.registration.as_str(), h.envelope_window.as_str(), h.signature_lines.clone()),
            ("RCS Thonon 812", "left", vec!["Claire Dupraz".to_string(), "Comptable".to_string()])
        );

        let logo = include_bytes!("../../../creance-app/src/demo/logo.jpg").to_vec();
        let upload = |bytes: Vec<u8>, token: Option<String>| {
            let router = web.router.clone();
            let cookie = cookie.clone();
            async move {
                let mut b = axum::http::Request::builder()
                    .method("POST")
                    .uri("/parametres/entete/logo")
                    .header("cookie", format!("creance_session={cookie}"))
                    .header("content-type", "image/jpeg");
                if let Some(t) = token {
                    b = b.header("x-csrf-token", t);
                }
                let r = tower::ServiceExt::oneshot(router, b.body(axum::body::Body::from(bytes)).unwrap()).await.unwrap();
                let status = r.status();
                let body = http_body_util::BodyExt::collect(r.into_body()).await.unwrap().to_bytes();
                (status, String::from_utf8_lossy(&body).into_owned())
            }
        };
        assert_eq!(upload(logo.clone(), None).await.0, StatusCode::FORBIDDEN, "no CSRF token, no logo");
        let (status, text) = upload(vec![0u8; 600 * 1024], Some(csrf.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.contains("over the limit"), "{text}");
        let logo_sets = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events WHERE action = 'settings.letterhead_logo'")
                .fetch_one(app.db.pool())
                .await
                .unwrap()
        };
        assert_eq!(logo_sets().await, 0, "refused: no logo set");
        let (status, text) = upload(logo, Some(csrf.clone())).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
        assert!(app.letterhead(web.company).await.unwrap().has_logo);
        assert_eq!(logo_sets().await, 1);
        let a = send(&web.router, "GET", "/parametres/entete/apercu.pdf", Some(&cookie), &[], None).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.starts_with("%PDF"));
    })
    .await;
}

/// The amount rules' form, urlencoded (`deposits` ticked or not).
fn money_form(csrf: &str, deposits: bool, window: &str, max: &str) -> String {
    let ticked = if deposits { "&deposits_to_bank_journal=true" } else { "" };
    format!("csrf={csrf}{ticked}&duplicate_window_days={window}&document_amount_max={max}")
}

#[tokio::test]
async fn the_amount_rules_are_saved_as_the_app_reads_them_and_a_bad_number_is_refused_next_to_its_field() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (index, _) = get_page(&web, &cookie, "/parametres").await;
        assert!(index.contains(r#"href="/parametres/montants""#), "listed on the index");
        let before = app.money_settings(web.company).await.unwrap();
        let (page, csrf) = get_page(&web, &cookie, "/parametres/montants").await;
        let shown = format!(r#"name="duplicate_window_days" value="{}""#, before.duplicate_window_days);
        assert!(page.contains(&shown), "the current window: {page}");
        for (field, window, max, said) in [
            ("duplicate_window_days", "400", "", "366"),
            ("duplicate_window_days", "a+week", "", "a week"),
            ("duplicate_window_days", "", "", "0 to 366"),
            ("document_amount_max", "7", "0", "out of range"),
            ("document_amount_max", "7", "1.5", "1.5"),
        ] {
            let a = post(&web, &cookie, "/parametres/montants", &money_form(&csrf, false, window, max)).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={window}/{max}: {}", a.body);
            let error = field_error(&a.body, &format!("f-{field}")).unwrap_or_else(|| panic!("{field}: {}", a.body));
            assert!(error.contains(said), "{field}: {error}");
        }
        let unchanged = app.money_settings(web.company).await.unwrap();
        assert_eq!(
            (unchanged.deposits_to_bank_journal, unchanged.duplicate_window_days, unchanged.document_amount_max),
            (before.deposits_to_bank_journal, before.duplicate_window_days, before.document_amount_max)
        );
        let a = post(&web, &cookie, "/parametres/montants", &money_form(&csrf, false, "7", "50000")).await;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/parametres/montants?done=saved"), "{}", a.body);
        let s = app.money_settings(web.company).await.unwrap();
        assert_eq!(
            (s.deposits_to_bank_journal, s.duplicate_window_days, s.document_amount_max),
            (false, 7, Some(50000))
        );
        let (page, _) = get_page(&web, &cookie, "/parametres/montants?done=saved").await;
        assert!(page.contains(r#"id="done""#) && page.contains(r#"name="document_amount_max" value="50000""#));
        assert!(!page.contains("checked"), "deposits are not booked: the box is unticked");
        let a = post(&web, &cookie, "/parametres/montants", &money_form(&csrf, true, "0", "")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let s = app.money_settings(web.company).await.unwrap();
        assert_eq!((s.deposits_to_bank_journal, s.duplicate_window_days, s.document_amount_max), (true, 0, None));
    })
    .await;
}

#[tokio::test]
async fn a_signature_per_language_is_saved_and_printed_on_the_preview_in_that_language() {
    on_every_engine(|app, web| async move {
        let cookie = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let (page, csrf) = get_page(&web, &cookie, "/parametres/entete").await;
        for l in ["fr", "en", "de"] {
            assert!(page.contains(&format!(r#"name="signatures.{l}""#)), "a signature for {l}");
        }
        let form = |de: &str| {
            format!("csrf={csrf}&registration=&vat_number=&phone=&email=&web=&envelope_window=right&signature_lines=Claire+Dupraz&signatures.fr=&signatures.en=&signatures.de={de}&bank_account_id=")
        };
        let before = app.letterhead(web.company).await.unwrap().signatures;
        let a = post(&web, &cookie, "/parametres/entete", &form("a%0Ab%0Ac%0Ad%0Ae")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        let error = field_error(&a.body, "f-signatures-de").unwrap_or_else(|| panic!("{}", a.body));
        assert!(error.contains("at most 4 lines"), "{error}");
        assert_eq!(app.letterhead(web.company).await.unwrap().signatures, before, "nothing saved");
        let a = post(&web, &cookie, "/parametres/entete", &form("Hans+M%C3%BCller%0D%0AGesch%C3%A4ftsf%C3%BChrer")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let h = app.letterhead(web.company).await.unwrap();
        assert_eq!(h.signatures.get("de"), Some(&vec!["Hans Müller".to_string(), "Geschäftsführer".to_string()]));
        assert_eq!(h.signatures.len(), 1, "a language left empty has none of its own: the default prints");
        let (page, _) = get_page(&web, &cookie, "/parametres/entete").await;
        assert!(page.contains("Hans Müller\nGeschäftsführer</textarea>"), "shown back");
        let preview = |language: &str| {
            let uri = format!("/parametres/entete/apercu.pdf?language={language}");
            let (router, cookie) = (web.router.clone(), cookie.clone());
            async move { crate::web::get_bytes(&router, &cookie, &uri).await }
        };
        let (status, content_type, de) = preview("de").await;
        assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/pdf"));
        let (_, _, fr) = preview("fr").await;
        if let (Some(de), Some(fr)) = (crate::web_reports::pdf_text(&de), crate::web_reports::pdf_text(&fr)) {
            assert!(de.contains("Hans Müller") && de.contains("Geschäftsführer"), "{de}");
            assert!(fr.contains("Claire Dupraz") && !fr.contains("Hans Müller"), "{fr}");
        }
        let (status, _, _) = preview("it").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "letters are written in fr, en or de");
    })
    .await;
}
