//! The web UI driven through HTTP (`Router::oneshot`) on every engine: sessions, CSRF, roles, the
//! language and company switches, the Clients screen; and the helpers every web test shares (the
//! engines, the test users, forms with their CSRF token and form key). The browser suite
//! (`browser/`) drives the same pages in Chromium.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use creance_app::users::NewUser;
use creance_app::{Actor, App};
use creance_core::{Currency, Language, Role};
use creance_store::companies::NewCompany;
use creance_store::testing::{TestDb, TEST_INSTANT};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub(crate) const PASSWORD: &str = "correct horse battery";

pub(crate) struct Web {
    pub(crate) router: Router,
    pub(crate) company: i64,
    pub(crate) other: i64,
    pub(crate) third: i64,
    pub(crate) customer: i64,
}

/// A demo company (20 customers), a second company and a third; users speaking `language`: `clerk@example.com` (clerk in
/// the first, read-only in the second), `reader@example.com` (read-only in the first).
pub(crate) async fn web_env(app: &App, language: Language) -> Web {
    let actor = Actor::new("test", TEST_INSTANT);
    let opts = creance_app::demo::DemoOptions {
        customers: 20,
        seed: 1,
        as_of: TEST_INSTANT.date(),
        at: TEST_INSTANT,
        installments_per_customer: None,
    };
    let summary = app.demo(&opts, &|_, _| {}).await.unwrap();
    let new = |name: &str| NewCompany {
        name: name.into(),
        country: "FR".into(),
        base_currency: Currency::EUR,
        language: Language::Fr,
        address: String::new(),
    };
    let other = app.create_company(&actor, &new("Beta SA")).await.unwrap();
    let third = app.create_company(&actor, &new("Gamma SAS")).await.unwrap();
    let user = |email: &str, role: Role| NewUser {
        email: email.into(),
        name: "Claire Martin".into(),
        language,
        company_id: summary.company_id,
        role,
        password: PASSWORD.into(),
    };
    app.create_user(&actor, &user("clerk@example.com", Role::Clerk)).await.unwrap();
    app.grant_user_role(&actor, "clerk@example.com", other, Role::ReadOnly).await.unwrap();
    app.create_user(&actor, &user("reader@example.com", Role::ReadOnly)).await.unwrap();
    let filter = creance_app::queries::CustomerFilter::default();
    let page = creance_app::queries::Page::new(Some(1), None).unwrap();
    let customer = app.customers(summary.company_id, &filter, page).await.unwrap().items[0].id;
    Web { router: creance_server::router(app.clone()), company: summary.company_id, other, third, customer }
}

#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// One request; `form` is sent urlencoded.
pub(crate) async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
    form: Option<&str>,
) -> Answer {
    let mut b = Request::builder().method(method).uri(uri).header(header::ACCEPT_LANGUAGE, "en");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("creance_session={c}"));
    }
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let body = match form {
        Some(f) => {
            b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(f.to_string())
        }
        None => Body::empty(),
    };
    let r = router.clone().oneshot(b.body(body).unwrap()).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// Logs in and returns the session cookie.
pub(crate) async fn login(router: &Router, email: &str, password: &str) -> Result<String, Answer> {
    // As a browser does: the login page first, for its form token and the cookie that matches it.
    let page = send(router, "GET", "/login", None, &[], None).await;
    let login_cookie = set_cookie(&page, "creance_login").expect("the login page sets its form cookie");
    let form = format!(
        "email={}&password={}&next=&csrf={}",
        email.replace('@', "%40"),
        password.replace(' ', "+"),
        csrf_of(&page.body)
    );
    let cookie_header = format!("creance_login={login_cookie}");
    let a = send(router, "POST", "/login", None, &[("cookie", cookie_header.as_str())], Some(&form)).await;
    let cookie = a
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("creance_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    match cookie {
        Some(c) if a.status == StatusCode::SEE_OTHER => Ok(c),
        _ => Err(a),
    }
}

/// The value a response sets for cookie `name`.
pub(crate) fn set_cookie(a: &Answer, name: &str) -> Option<String> {
    a.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")).and_then(|v| v.split(';').next()).map(str::to_string))
}

/// The CSRF token a page's forms carry.
pub(crate) fn csrf_of(page: &str) -> String {
    let at = page.find(r#"name="csrf" value=""#).expect("a csrf field");
    let rest = &page[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A number a query of the tests reads straight from the database.
pub(crate) async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(app.db.pool()).await.unwrap()
}

/// Runs `scenario` once per engine (SQLite, and PostgreSQL when configured), a fresh database each
/// with [`web_env`]'s companies and users speaking English.
pub(crate) async fn on_every_engine<F, Fut>(scenario: F)
where
    F: Fn(App, Web) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    on_every_engine_in(Language::En, scenario).await
}

/// [`on_every_engine`] with the users speaking `language`.
pub(crate) async fn on_every_engine_in<F, Fut>(language: Language, scenario: F)
where
    F: Fn(App, Web) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let web = web_env(&app, language).await;
        scenario(app, web).await;
        test_db.finish().await;
    }
}

/// [`on_every_engine`] with [`ADMIN`] too (see [`admin_env`]).
pub(crate) async fn on_every_engine_with_admin<F, Fut>(scenario: F)
where
    F: Fn(App, Web) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let web = admin_env(&app).await;
        scenario(app, web).await;
        test_db.finish().await;
    }
}

/// The administrator of the first test company ([`admin_env`]).
pub(crate) const ADMIN: &str = "admin@example.com";

/// [`web_env`] in English, with [`ADMIN`] (Alice Admin) admin of the first company.
pub(crate) async fn admin_env(app: &App) -> Web {
    let web = web_env(app, Language::En).await;
    add_admin(app, &web).await;
    web
}

/// Makes [`ADMIN`] (Alice Admin) admin of the first company; its user id.
pub(crate) async fn add_admin(app: &App, web: &Web) -> i64 {
    let u = NewUser {
        email: ADMIN.into(),
        name: "Alice Admin".into(),
        language: Language::En,
        company_id: web.company,
        role: Role::Admin,
        password: PASSWORD.into(),
    };
    app.create_user(&Actor::new("test", TEST_INSTANT), &u).await.unwrap().id
}

/// Percent-encodes a form value (or name).
pub(crate) fn enc(v: &str) -> String {
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

/// A form's body, urlencoded.
pub(crate) fn form<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k.as_ref()), enc(v.as_ref()))).collect::<Vec<_>>().join("&")
}

/// The value of the first hidden field `name` of a page.
pub(crate) fn hidden_of(page: &str, name: &str) -> String {
    let needle = format!(r#"name="{name}" value=""#);
    let at = page.find(&needle).unwrap_or_else(|| panic!("no {name} field in {page}"));
    let rest = &page[at + needle.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A GET with the session cookie: status, content type and the body's bytes.
pub(crate) async fn get_bytes(router: &Router, cookie: &str, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::builder()
        .uri(uri)
        .header(header::COOKIE, format!("creance_session={cookie}"))
        .body(Body::empty())
        .unwrap();
    let r = router.clone().oneshot(request).await.unwrap();
    let status = r.status();
    let content_type = r.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, content_type, r.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// A logged-in user of the router.
pub(crate) struct User<'a> {
    pub(crate) router: &'a Router,
    pub(crate) cookie: String,
}

impl User<'_> {
    pub(crate) async fn get(&self, uri: &str) -> Answer {
        send(self.router, "GET", uri, Some(&self.cookie), &[], None).await
    }

    /// GETs bytes (a PDF, a CSV): status, content type, body.
    pub(crate) async fn bytes(&self, uri: &str) -> (StatusCode, String, Vec<u8>) {
        get_bytes(self.router, &self.cookie, uri).await
    }

    /// Posts `pairs` as they are (the caller gives the CSRF token and form key it means to).
    pub(crate) async fn post(&self, uri: &str, pairs: &[(String, String)]) -> Answer {
        send(self.router, "POST", uri, Some(&self.cookie), &[], Some(&form(pairs))).await
    }

    /// Posts `pairs` with the CSRF token and the one-time key of the form on the page `from`.
    pub(crate) async fn post_from(&self, from: &str, uri: &str, pairs: &[(&str, &str)]) -> Answer {
        let owned: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.post_pairs_from(from, uri, &owned).await
    }

    /// [`User::post_from`] with the pairs owned (a form built field by field).
    pub(crate) async fn post_pairs_from(&self, from: &str, uri: &str, pairs: &[(String, String)]) -> Answer {
        let page = self.get(from).await;
        assert_eq!(page.status, StatusCode::OK, "{from}: {}", page.body);
        let mut all =
            vec![("csrf".to_string(), csrf_of(&page.body)), ("form_key".into(), hidden_of(&page.body, "form_key"))];
        all.extend_from_slice(pairs);
        send(self.router, "POST", uri, Some(&self.cookie), &[], Some(&form(&all))).await
    }
}

/// `email` logged in with the tests' password.
pub(crate) async fn user<'a>(w: &'a Web, email: &str) -> User<'a> {
    User { router: &w.router, cookie: login(&w.router, email, PASSWORD).await.unwrap() }
}

#[tokio::test]
async fn a_login_form_posted_without_its_token_is_refused_and_opens_no_session() {
    // Login CSRF: another site's form (no `creance_login` cookie, or a token that is not the cookie's)
    // must not log the browser into an account.
    on_every_engine(|_app, w| async move {
        let form = format!("email=clerk%40example.com&password={}&next=", PASSWORD.replace(' ', "+"));
        let a = send(&w.router, "POST", "/login", None, &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        assert!(set_cookie(&a, "creance_session").is_none(), "no session without the form's token");
        assert!(a.body.contains("This form has expired"), "{}", a.body);
        let page = send(&w.router, "GET", "/login", None, &[], None).await;
        let token = csrf_of(&page.body);
        let other = format!("creance_login={}", "0".repeat(32));
        let a = send(
            &w.router,
            "POST",
            "/login",
            None,
            &[("cookie", other.as_str())],
            Some(&format!("{form}&csrf={token}")),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "a token that is not the cookie's");
        assert!(set_cookie(&a, "creance_session").is_none());
        // The page and its cookie together log in.
        login(&w.router, "clerk@example.com", PASSWORD).await.expect("a login through the page");
    })
    .await;
}

#[tokio::test]
async fn a_page_without_a_session_redirects_to_the_login_and_htmx_gets_hx_redirect() {
    on_every_engine(|_app, w| async move {
        let a = send(&w.router, "GET", "/clients?search=K", None, &[], None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(a.location(), "/login?next=/clients%3Fsearch%3DK");
        let a = send(&w.router, "GET", "/clients", None, &[("hx-request", "true")], None).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert_eq!(a.headers.get("hx-redirect").unwrap(), "/login?next=/clients");
        let a = send(&w.router, "GET", "/clients", Some(&"0".repeat(64)), &[], None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        // The login page itself and `/` need no session; `/` leads to the first built tab.
        assert_eq!(send(&w.router, "GET", "/login", None, &[], None).await.status, StatusCode::OK);
        let root = send(&w.router, "GET", "/", None, &[], None).await;
        assert_eq!(root.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_next_to_the_field_and_the_sixth_attempt_is_throttled() {
    on_every_engine(|_app, w| async move {
        for _ in 0..5 {
            let a = login(&w.router, "clerk@example.com", "wrong password").await.unwrap_err();
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
            assert!(a.body.contains(r#"id="password-error""#) && a.body.contains("Wrong e-mail or password."));
        }
        let a = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap_err();
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(a.body.contains("Too many failed attempts"), "{}", a.body);
        // Another user is not throttled.
        login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn after_logout_the_session_cookie_no_longer_works() {
    on_every_engine(|_app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let page = send(&w.router, "GET", "/clients", Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = csrf_of(&page.body);
        let out = send(&w.router, "POST", "/logout", Some(&cookie), &[], Some(&format!("csrf={csrf}"))).await;
        assert_eq!((out.status, out.location()), (StatusCode::SEE_OTHER, "/login?bye=1"));
        assert!(out.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
        let again = send(&w.router, "GET", "/clients", Some(&cookie), &[], None).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn a_form_posted_without_the_csrf_token_is_refused_and_changes_nothing() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let uri = format!("/clients/{}/comment", w.customer);
        let card = send(&w.router, "GET", &format!("/clients/{}", w.customer), Some(&cookie), &[], None).await;
        let csrf = csrf_of(&card.body);
        let before = app.customer(w.company, w.customer).await.unwrap().fields.comment;
        for form in ["comment=forged".to_string(), format!("csrf={}&comment=forged", "0".repeat(64))] {
            let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&form)).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{form}");
            assert!(a.body.contains("security token"));
        }
        let wrong_header = [("x-csrf-token", "abc")];
        let a = send(&w.router, "POST", &uri, Some(&cookie), &wrong_header, Some("comment=forged")).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(app.customer(w.company, w.customer).await.unwrap().fields.comment, before);
        let audit = "SELECT COUNT(*) FROM audit_events WHERE action = 'customer.comment'";
        assert_eq!(count(&app, audit).await, 0);
        // With the token (as the form field, or as htmx's header), it is saved with an audit event.
        let ok =
            send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&format!("csrf={csrf}&comment=Rappeler+lundi")))
                .await;
        assert_eq!(
            (ok.status, ok.location()),
            (StatusCode::SEE_OTHER, format!("/clients/{}?saved=1", w.customer).as_str())
        );
        assert_eq!(app.customer(w.company, w.customer).await.unwrap().fields.comment, "Rappeler lundi");
        let header = [("x-csrf-token", csrf.as_str())];
        let ok = send(&w.router, "POST", &uri, Some(&cookie), &header, Some("comment=Par+htmx")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(count(&app, audit).await, 2);
    })
    .await;
}

#[tokio::test]
async fn a_read_only_user_sees_no_edit_button_and_a_forged_post_is_403() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "reader@example.com", PASSWORD).await.unwrap();
        let card = send(&w.router, "GET", &format!("/clients/{}", w.customer), Some(&cookie), &[], None).await;
        assert_eq!(card.status, StatusCode::OK);
        assert!(!card.body.contains(r#"type="submit" name="save""#));
        assert!(!card.body.contains("<textarea"));
        let csrf = csrf_of(&card.body);
        let uri = format!("/clients/{}/dunning-email", w.customer);
        let a = send(&w.router, "POST", &uri, Some(&cookie), &[], Some(&format!("csrf={csrf}&dunning_email=x%40y.fr")))
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert!(a.body.contains("read-only"), "{}", a.body);
        assert_ne!(app.customer(w.company, w.customer).await.unwrap().fields.dunning_email, "x@y.fr");
    })
    .await;
}

#[tokio::test]
async fn a_bad_dunning_email_is_shown_next_to_its_field_and_a_good_one_is_saved() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let card = send(&w.router, "GET", &format!("/clients/{}", w.customer), Some(&cookie), &[], None).await;
        let csrf = csrf_of(&card.body);
        let uri = format!("/clients/{}/dunning-email", w.customer);
        let a = send(
            &w.router,
            "POST",
            &uri,
            Some(&cookie),
            &[],
            Some(&format!("csrf={csrf}&dunning_email=not+an+address")),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains(r#"id="dunning_email-error""#), "{}", a.body);
        assert!(a.body.contains("is not an e-mail address"));
        assert!(a.body.contains(r#"value="not an address""#), "the typed value is kept");
        let a = send(
            &w.router,
            "POST",
            &uri,
            Some(&cookie),
            &[],
            Some(&format!("csrf={csrf}&dunning_email=compta%40client.fr")),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(app.customer(w.company, w.customer).await.unwrap().fields.dunning_email, "compta@client.fr");
        let audit = "SELECT COUNT(*) FROM audit_events WHERE action = 'customer.dunning_email'";
        assert_eq!(count(&app, audit).await, 1);
    })
    .await;
}

#[tokio::test]
async fn switching_language_changes_the_labels_and_switching_company_the_data() {
    on_every_engine(|_app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let page = send(&w.router, "GET", "/clients", Some(&cookie), &[], None).await;
        assert!(page.body.contains(">Search<") && page.body.contains(">Open items<"));
        let csrf = csrf_of(&page.body);
        let referer = [("referer", "http://127.0.0.1/clients?search=K")];
        let a =
            send(&w.router, "POST", "/language", Some(&cookie), &referer, Some(&format!("csrf={csrf}&language=fr")))
                .await;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/clients?search=K"));
        let page = send(&w.router, "GET", "/clients", Some(&cookie), &[], None).await;
        assert!(page.body.contains(">Recherche<") && page.body.contains(">Échéancier<"), "{}", page.body);
        assert!(page.body.contains(r#"<html lang="fr">"#));
        // The company switch: to a company of the user's, then to one it has no role in.
        let form = |id: i64| format!("csrf={csrf}&company_id={id}");
        let a = send(&w.router, "POST", "/company", Some(&cookie), &[], Some(&form(w.other))).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let page = send(&w.router, "GET", "/clients", Some(&cookie), &[], None).await;
        assert!(page.body.contains(r#"selected>Beta SA</option>"#), "{}", page.body);
        assert!(page.body.contains("Aucun client"), "Beta SA has no customer");
        let a = send(&w.router, "POST", "/company", Some(&cookie), &[], Some(&form(w.third))).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        // A card of the first company is not found from the second.
        let card = send(&w.router, "GET", &format!("/clients/{}", w.customer), Some(&cookie), &[], None).await;
        assert_eq!(card.status, StatusCode::NOT_FOUND);
        let _ = w.company;
    })
    .await;
}

#[tokio::test]
async fn the_customer_list_searches_by_number_and_the_card_shows_its_sections() {
    on_every_engine(|app, w| async move {
        let cookie = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let c = app.customer(w.company, w.customer).await.unwrap();
        let all = send(&w.router, "GET", "/clients", Some(&cookie), &[], None).await;
        assert!(all.body.contains("20 customers"), "{}", all.body);
        let found =
            send(&w.router, "GET", &format!("/clients?search={}", c.fields.number), Some(&cookie), &[], None).await;
        assert!(found.body.contains(&format!(r#"href="/clients/{}""#, c.id)));
        assert!(found.body.contains("1 customers") || found.body.contains("customers"));
        let none = send(&w.router, "GET", "/clients?search=zzzz-nothing", Some(&cookie), &[], None).await;
        assert!(none.body.contains("No customer matches “zzzz-nothing”."), "{}", none.body);
        let card = send(&w.router, "GET", &format!("/clients/{}", c.id), Some(&cookie), &[], None).await;
        assert_eq!(card.status, StatusCode::OK);
        // Codes are shown as words in the page's language: the letters' language by its name.
        let name = match c.fields.language {
            creance_core::Language::Fr => "French",
            creance_core::Language::En => "English",
            creance_core::Language::De => "German",
            creance_core::Language::It => "Italian",
        };
        assert!(card.body.contains(&format!("<dd>{name}</dd>")), "the language's name on the card");
        // A payment's method by the company's label, never its code.
        let methods = app.payment_methods(w.company).await.unwrap();
        let pf = creance_app::payments::PaymentFilter { customer_id: Some(c.id), ..Default::default() };
        let paid = app.payments(w.company, &pf, creance_app::queries::Page::new(Some(1), None).unwrap()).await.unwrap();
        let p = paid.items.first().expect("the demo customer has payments");
        let m = methods.iter().find(|m| m.code == p.method).expect("the payment's method");
        assert!(m.label != m.code && card.body.contains(&format!("<td>{}</td>", m.label)), "{:?} on the card", m.label);
        for id in ["open-items", "credits", "payments", "history", "blocks", "field-comment", "field-dunning_email"] {
            assert!(card.body.contains(&format!(r#"id="{id}""#)), "{id} missing");
        }
        // A block without an end date is listed with its reason.
        let args = creance_app::query_args::OpenItemArgs {
            customer_id: Some(c.id.to_string()),
            side: Some("debit".into()),
            ..Default::default()
        };
        let (filter, sorts, page) = args.parse(TEST_INSTANT.date()).unwrap();
        let item = app.open_items(w.company, &filter, &sorts, page).await.unwrap().items.remove(0);
        let block = creance_app::dunning::settings::Block {
            installment_ids: vec![item.installment_id],
            reason: Some("dispute".into()),
            until: None,
            note: String::new(),
        };
        app.block_installments(&Actor::new("test", TEST_INSTANT), w.company, &block).await.unwrap();
        let card = send(&w.router, "GET", &format!("/clients/{}", c.id), Some(&cookie), &[], None).await;
        let blocks = card.body.split(r#"id="blocks""#).nth(1).expect("the blocks section");
        assert!(blocks.contains(&item.document_number) && blocks.contains("<td>dispute</td>"), "{blocks}");
        let css = card.body.split("href=\"/static/").nth(1).unwrap().split('"').next().unwrap().to_string();
        let a = send(&w.router, "GET", &format!("/static/{css}"), None, &[], None).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().contains("immutable"));
        assert_eq!(send(&w.router, "GET", "/static/0/app.css", None, &[], None).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
