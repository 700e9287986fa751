//! A French user reads the refusals of the settings and dunning use cases in French, next to the
//! field, with French dates (driven through HTTP on every engine): a user with a bad e-mail on
//! `/parametres/utilisateurs`, an external reminder dated in the future on `/relances/relance-externe`.

use axum::http::StatusCode;
use creance_app::users::NewUser;
use creance_app::{Actor, App};
use creance_core::{Language, Role};
use creance_store::testing::{TestDb, TEST_INSTANT};

use crate::web::{csrf_of, login, send, web_env, Answer, Web, PASSWORD};

const ADMIN: &str = "admin.fr@example.com";

/// The test companies (their users French), with a French admin of the first.
async fn french_env(app: &App) -> Web {
    let web = web_env(app, Language::Fr).await;
    let u = NewUser {
        email: ADMIN.into(),
        name: "Anne Admin".into(),
        language: Language::Fr,
        company_id: web.company,
        role: Role::Admin,
        password: PASSWORD.into(),
    };
    app.create_user(&Actor::new("test", TEST_INSTANT), &u).await.unwrap();
    web
}

async fn on_every_engine<F, Fut>(scenario: F)
where
    F: Fn(App, Web) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let web = french_env(&app).await;
        scenario(app, web).await;
        test_db.finish().await;
    }
}

fn enc(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The value of the first hidden field `name` of a page, if it has one.
fn hidden_of(page: &str, name: &str) -> Option<String> {
    let needle = format!(r#"name="{name}" value=""#);
    let rest = &page[page.find(&needle)? + needle.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The text of the field error of control `id`, if the page has one.
fn field_error(page: &str, id: &str) -> Option<String> {
    let rest = &page[page.find(&format!(r#"id="{id}""#))?..];
    let start = rest.find('>')? + 1;
    Some(rest[start..start + rest[start..].find('<')?].to_string())
}

/// Posts `pairs` as `cookie` with the CSRF token (and the one-time key, when the form has one) of
/// the page `from`.
async fn post_from(web: &Web, cookie: &str, from: &str, uri: &str, pairs: &[(&str, &str)]) -> Answer {
    let page = send(&web.router, "GET", from, Some(cookie), &[], None).await;
    assert_eq!(page.status, StatusCode::OK, "{from}: {}", page.body);
    let csrf = csrf_of(&page.body);
    let once = hidden_of(&page.body, "form_key");
    let mut all = vec![("csrf", csrf.as_str())];
    if let Some(once) = &once {
        all.push(("form_key", once.as_str()));
    }
    all.extend_from_slice(pairs);
    let body = all.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
    send(&web.router, "POST", uri, Some(cookie), &[], Some(&body)).await
}

#[tokio::test]
async fn a_french_user_reads_a_settings_and_a_dunning_refusal_in_french_next_to_the_field() {
    on_every_engine(|app, web| async move {
        // Paramètres › Utilisateurs: an e-mail that is not one.
        let admin = login(&web.router, ADMIN, PASSWORD).await.unwrap();
        let users = "/parametres/utilisateurs";
        let form = [("email", "jean.dupont"), ("name", "Jean Dupont"), ("language", "fr"), ("role", "clerk")];
        let a = post_from(&web, &admin, users, users, &form).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        let said = field_error(&a.body, "f-email-error").expect("the refusal is next to the e-mail");
        assert_eq!(said, "« jean.dupont » n'est pas une adresse e-mail", "{}", a.body);
        assert!(!a.body.contains("is not an e-mail address"), "no English on the page");

        // Relances › relance externe: a reminder dated in the future, its date in French.
        let clerk = login(&web.router, "clerk@example.com", PASSWORD).await.unwrap();
        let mut f = creance_store::open_items::OpenItemFilter::new(TEST_INSTANT.date());
        f.overdue = true;
        f.side = Some(creance_store::open_items::Side::Debit);
        let page = creance_app::queries::Page::new(Some(500), Some(0)).unwrap();
        let open = app.open_items(web.company, &f, &[], page).await.unwrap();
        let item =
            open.items.iter().find(|i| i.kind == creance_core::DocumentKind::Invoice).expect("an overdue invoice");
        let id = item.installment_id.to_string();
        let future = TEST_INSTANT.date().add_days(400);
        let from = format!("/relances/relance-externe?installment_id={id}");
        let date = future.to_string();
        let pairs = [("installment_id", id.as_str()), ("level", "1"), ("date", date.as_str()), ("channel", "phone")];
        let before = app.dunning_history(web.company, None, Some(item.installment_id)).await.unwrap().len();
        let a = post_from(&web, &clerk, &from, "/relances/relance-externe", &pairs).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        let said = field_error(&a.body, "date-error").expect("the refusal is next to the date");
        let fr_date = format!("{:02}/{:02}/{}", future.day(), future.month(), future.year());
        assert!(said.starts_with(&format!("le {fr_date} est dans le futur")), "{said}");
        assert!(!a.body.contains("is in the future"), "no English on the page");
        let after = app.dunning_history(web.company, None, Some(item.installment_id)).await.unwrap().len();
        assert_eq!(after, before, "nothing recorded");
    })
    .await;
}
