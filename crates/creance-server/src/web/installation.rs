//! The first run (`/installation`): on a database without any user, the page that creates the first
//! company and its administrator (`App::install`), then logs the administrator in and leads to the
//! imports. Like the login page it needs no session; unlike it, it is open only while no user exists
//! (then `/login` leads here, and here leads to `/login` once a user exists) and only to whoever holds
//! the installation code `creance serve` printed when it started on that empty database: a server
//! reachable by others before its administrator is not claimed by the first visitor. The form's CSRF
//! token is a cookie's (`creance_install`, `SameSite=Strict`, path `/installation`), as the login's.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use creance_app::companies::NewCompany;
use creance_app::installation::Installation;
use creance_app::users::LoginOutcome;
use creance_app::{Actor, App, AppError};
use creance_core::{Currency, Language};
use maud::{html, Markup};
use serde::Deserialize;

use super::i18n::{t, Catalogue};
use super::login::{browser_language, form_cookie, session_cookie};
use super::session::cookie;
use super::{csrf, html, layout, refusal, WebConfig, WebError};

/// The cookie carrying the installation form's CSRF token.
const INSTALL_COOKIE: &str = "creance_install";

/// The languages a company writes its letters in.
const COMPANY_LANGUAGES: [Language; 4] = [Language::Fr, Language::En, Language::De, Language::It];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum M {
    Title,
    Intro,
    CodeLabel,
    CodeHint,
    CodeWrong,
    CompanySection,
    CompanyName,
    Address,
    AddressHint,
    Country,
    CountryHint,
    Currency,
    CompanyLanguage,
    CompanyLanguageHint,
    AdminSection,
    AdminName,
    AdminEmail,
    Password,
    PasswordHint,
    PasswordAgain,
    PasswordsDiffer,
    Install,
    FormExpired,
    FormRefused,
    NoCode,
    CountryWrong,
    CurrencyWrong,
}

impl Catalogue for M {
    fn pair(self) -> (&'static str, &'static str) {
        use M::*;
        match self {
            Title => ("Installation", "Installation"),
            Intro => (
                "Aucun utilisateur n'existe encore : créez la société et son administrateur. Vous pourrez ensuite importer les clients, contrats et factures, puis régler les banques, l'e-mail et les relances.",
                "No user exists yet: create the company and its administrator. You can then import customers, contracts and invoices, and set up the banks, e-mail and dunning.",
            ),
            CodeLabel => ("Code d'installation", "Installation code"),
            CodeHint => (
                "Affiché par « creance serve » au démarrage sur cette base vide.",
                "Printed by \"creance serve\" when it started on this empty database.",
            ),
            CodeWrong => (
                "Ce n'est pas le code affiché par « creance serve » au démarrage ; recopiez-le depuis la console du serveur.",
                "This is not the code \"creance serve\" printed when it started; copy it from the server's console.",
            ),
            CompanySection => ("La société", "The company"),
            CompanyName => ("Raison sociale", "Company name"),
            Address => ("Adresse", "Address"),
            AddressHint => ("Imprimée sur les lettres ; une ligne par ligne d'adresse.", "Printed on letters; one line per address line."),
            Country => ("Pays", "Country"),
            CountryHint => ("Code ISO à deux lettres (FR, BE, CH…).", "Two-letter ISO code (FR, BE, CH…)."),
            Currency => ("Devise de tenue", "Base currency"),
            CompanyLanguage => ("Langue des documents", "Documents' language"),
            CompanyLanguageHint => (
                "Celle des lettres des clients sans langue propre.",
                "That of the letters of customers without a language of their own.",
            ),
            AdminSection => ("L'administrateur", "The administrator"),
            AdminName => ("Nom", "Name"),
            AdminEmail => ("E-mail (identifiant)", "E-mail (login)"),
            Password => ("Mot de passe", "Password"),
            PasswordHint => ("10 caractères au moins.", "At least 10 characters."),
            PasswordAgain => ("Mot de passe, encore", "Password, again"),
            PasswordsDiffer => ("Les deux mots de passe diffèrent.", "The two passwords differ."),
            Install => ("Créer la société et l'administrateur", "Create the company and the administrator"),
            FormExpired => (
                "Ce formulaire a expiré ; il vient d'être renouvelé, envoyez-le de nouveau.",
                "This form has expired; it was renewed, send it again.",
            ),
            FormRefused => ("Rien n'a été créé ; à corriger :", "Nothing was created; to correct:"),
            CountryWrong => ("Écrivez le code ISO du pays en deux lettres (FR, BE, CH…).", "Write the country's two-letter ISO code (FR, BE, CH…)."),
            CurrencyWrong => ("Choisissez une devise de la liste.", "Choose a currency from the list."),
            NoCode => (
                "Ce serveur n'a pas de code d'installation : redémarrez « creance serve » sur cette base vide, il en affichera un.",
                "This server has no installation code: restart \"creance serve\" on this empty database, it will print one.",
            ),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct InstallQuery {
    code: Option<String>,
}

/// The form as posted (and shown again with its errors).
#[derive(Deserialize, Default, Clone)]
pub struct InstallForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    admin_name: String,
    #[serde(default)]
    admin_email: String,
    #[serde(default)]
    admin_password: String,
    #[serde(default)]
    admin_password_again: String,
    #[serde(default)]
    csrf: String,
}

/// One field's fault, shown next to it.
struct Fault {
    field: &'static str,
    text: String,
}

struct View<'a> {
    lang: Language,
    form: &'a InstallForm,
    faults: &'a [Fault],
    /// A fault of no field (the form expired, the state refused).
    general: Option<String>,
    csrf: &'a str,
}

fn fault_of<'a>(faults: &'a [Fault], field: &str) -> Option<&'a str> {
    faults.iter().find(|f| f.field == field).map(|f| f.text.as_str())
}

/// A labelled input with its hint and its fault.
fn input(
    v: &View<'_>,
    name: &'static str,
    label: M,
    kind: &str,
    value: &str,
    hint: Option<M>,
    extra: Markup,
) -> Markup {
    let lang = v.lang;
    let fault = fault_of(v.faults, name);
    let id = format!("f-{name}");
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let error_id = fault.map(|_| format!("{id}-error"));
    let described: Vec<&str> = [hint_id.as_deref(), error_id.as_deref()].into_iter().flatten().collect();
    let value = if kind == "password" { "" } else { value };
    // The first field at fault takes the focus (the page scrolls to it).
    let first = fault.is_some() && v.faults.first().map(|f| f.field) == Some(name);
    html! {
        div.field.invalid[fault.is_some()].wide[kind == "textarea"] {
            label for=(id) { (t(lang, label)) }
            @if kind == "textarea" {
                textarea id=(id) name=(name) rows="3" autofocus[first] aria-invalid=[fault.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then(|| described.join(" "))] { (value) }
            } @else {
                input id=(id) type=(kind) name=(name) value=(value) autofocus[first] aria-invalid=[fault.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then(|| described.join(" "))] { (extra) }
            }
            @if let (Some(h), Some(hid)) = (hint, &hint_id) { p.hint id=(hid) { (t(lang, h)) } }
            @if let (Some(e), Some(eid)) = (fault, &error_id) { p.field-error id=(eid) role="alert" { (e) } }
        }
    }
}

fn select(
    v: &View<'_>,
    name: &'static str,
    label: M,
    options: &[(&str, &str)],
    selected: &str,
    hint: Option<M>,
) -> Markup {
    let lang = v.lang;
    let fault = fault_of(v.faults, name);
    let id = format!("f-{name}");
    html! {
        div.field.invalid[fault.is_some()] {
            label for=(id) { (t(lang, label)) }
            select id=(id) name=(name) {
                @for (code, text) in options { option value=(code) selected[*code == selected] { (text) } }
            }
            @if let Some(h) = hint { p.hint { (t(lang, h)) } }
            @if let Some(e) = fault { p.field-error role="alert" { (e) } }
        }
    }
}

/// The label of a field of the form (the faults' list links to them).
fn label_of(field: &str) -> M {
    match field {
        "code" => M::CodeLabel,
        "name" => M::CompanyName,
        "address" => M::Address,
        "country" => M::Country,
        "currency" => M::Currency,
        "admin_name" => M::AdminName,
        "admin_password" => M::Password,
        "admin_password_again" => M::PasswordAgain,
        _ => M::AdminEmail,
    }
}

fn language_name(l: Language) -> &'static str {
    match l {
        Language::Fr => "Français",
        Language::En => "English",
        Language::De => "Deutsch",
        Language::It => "Italiano",
    }
}

fn page(v: &View<'_>) -> Markup {
    let lang = v.lang;
    let f = v.form;
    let currencies: Vec<(&str, &str)> = Currency::ALL.iter().map(|c| (c.code(), c.code())).collect();
    let languages: Vec<(&str, &str)> = COMPANY_LANGUAGES.iter().map(|l| (l.code(), language_name(*l))).collect();
    let currency = if f.currency.is_empty() { "EUR" } else { f.currency.as_str() };
    let company_language = if f.language.is_empty() { lang.code() } else { f.language.as_str() };
    let country = if f.country.is_empty() { "FR" } else { f.country.as_str() };
    layout::document(
        lang,
        t(lang, M::Title),
        None,
        html! {
            main #main.installation tabindex="-1" {
                h1 { (t(lang, M::Title)) }
                p { (t(lang, M::Intro)) }
                @if let Some(g) = &v.general { p.field-error role="alert" { (g) } }
                @if !v.faults.is_empty() && v.general.is_none() {
                    div.problem role="alert" {
                        p.field-error { (t(lang, M::FormRefused)) }
                        ul { @for f in v.faults { li { a href={ "#f-" (f.field) } { (t(lang, label_of(f.field))) } } } }
                    }
                }
                form method="post" action="/installation" novalidate {
                    (csrf::hidden(v.csrf))
                    (input(v, "code", M::CodeLabel, "text", &f.code, Some(M::CodeHint), html! {}))
                    fieldset.grid {
                        legend { (t(lang, M::CompanySection)) }
                        (input(v, "name", M::CompanyName, "text", &f.name, None, html! {}))
                        (input(v, "address", M::Address, "textarea", &f.address, Some(M::AddressHint), html! {}))
                        (input(v, "country", M::Country, "text", country, Some(M::CountryHint), html! {}))
                        (select(v, "currency", M::Currency, &currencies, currency, None))
                        (select(v, "language", M::CompanyLanguage, &languages, company_language, Some(M::CompanyLanguageHint)))
                    }
                    fieldset.grid {
                        legend { (t(lang, M::AdminSection)) }
                        (input(v, "admin_name", M::AdminName, "text", &f.admin_name, None, html! {}))
                        (input(v, "admin_email", M::AdminEmail, "email", &f.admin_email, None, html! {}))
                        (input(v, "admin_password", M::Password, "password", "", Some(M::PasswordHint), html! {}))
                        (input(v, "admin_password_again", M::PasswordAgain, "password", "", None, html! {}))
                    }
                    button.primary type="submit" { (t(lang, M::Install)) }
                }
            }
        },
    )
}

/// The page with a new form token, and the cookie carrying it.
fn respond(status: StatusCode, view: View<'_>, config: &WebConfig) -> Result<Response, WebError> {
    let token = creance_app::users::login_form_token().map_err(WebError::Internal)?;
    let page = page(&View { csrf: &token, ..view });
    let mut r = (status, [(header::CACHE_CONTROL, "no-store")], html(page)).into_response();
    r.headers_mut().insert(header::SET_COOKIE, form_cookie(INSTALL_COOKIE, "/installation", &token, config)?);
    Ok(r)
}

/// `GET /installation` (`?code=` prefills the code, as `serve` prints the address).
pub async fn form(
    State(app): State<App>,
    Extension(config): Extension<WebConfig>,
    headers: HeaderMap,
    Query(q): Query<InstallQuery>,
) -> Result<Response, WebError> {
    if !app.needs_installation().await? {
        return Ok(Redirect::to("/login").into_response());
    }
    let lang = browser_language(&headers);
    let form = InstallForm { code: q.code.unwrap_or_default(), ..InstallForm::default() };
    let general = config.installation_code.is_none().then(|| t(lang, M::NoCode).to_string());
    respond(StatusCode::OK, View { lang, form: &form, faults: &[], general, csrf: "" }, &config)
}

/// The field of the form an app refusal names (the company's or the administrator's).
fn form_field(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "country" => "country",
        "address" => "address",
        "admin_name" => "admin_name",
        "admin_password" | "password" => "admin_password",
        _ => "admin_email",
    }
}

/// `POST /installation`: creates the company and its administrator, logs them in, and leads to the
/// imports (`/import?bienvenue=1`).
pub async fn submit(
    State(app): State<App>,
    Extension(config): Extension<WebConfig>,
    peer: Option<Extension<super::Peer>>,
    headers: HeaderMap,
    Form(f): Form<InstallForm>,
) -> Result<Response, WebError> {
    if !app.needs_installation().await? {
        return Ok(Redirect::to("/login").into_response());
    }
    let lang = browser_language(&headers);
    let expected = cookie(&headers, INSTALL_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf::same(f.csrf.as_bytes(), expected.as_bytes()) {
        let general = Some(t(lang, M::FormExpired).to_string());
        return respond(StatusCode::FORBIDDEN, View { lang, form: &f, faults: &[], general, csrf: "" }, &config);
    }
    let Some(code) = config.installation_code.as_deref() else {
        let general = Some(t(lang, M::NoCode).to_string());
        return respond(StatusCode::FORBIDDEN, View { lang, form: &f, faults: &[], general, csrf: "" }, &config);
    };
    let mut faults = Vec::new();
    if !csrf::same(f.code.trim().as_bytes(), code.as_bytes()) {
        faults.push(Fault { field: "code", text: t(lang, M::CodeWrong).to_string() });
    }
    let country = f.country.trim().to_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        faults.push(Fault { field: "country", text: t(lang, M::CountryWrong).to_string() });
    }
    let currency = Currency::parse(f.currency.trim());
    if currency.is_err() {
        faults.push(Fault { field: "currency", text: t(lang, M::CurrencyWrong).to_string() });
    }
    let company_language = Language::parse(f.language.trim()).filter(|l| COMPANY_LANGUAGES.contains(l));
    if f.admin_password != f.admin_password_again {
        faults.push(Fault { field: "admin_password_again", text: t(lang, M::PasswordsDiffer).to_string() });
    }
    let (Ok(currency), true) = (currency, faults.is_empty()) else {
        return respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            View { lang, form: &f, faults: &faults, general: None, csrf: "" },
            &config,
        );
    };
    let company_language = company_language.unwrap_or(lang);
    let installation = Installation {
        company: NewCompany {
            name: f.name.trim().to_string(),
            country,
            base_currency: currency,
            language: company_language,
            address: f.address.trim().to_string(),
        },
        admin_name: f.admin_name.clone(),
        admin_email: f.admin_email.clone(),
        admin_password: f.admin_password.clone(),
        // The documents' language when the pages speak it (the user switches it at any time).
        admin_language: if matches!(company_language, Language::Fr | Language::En) { company_language } else { lang },
    };
    let at = creance_app::clock::now();
    let actor = Actor::new("installation", at);
    match app.install(&actor, &installation).await {
        Ok(_) => {}
        Err(AppError::Invalid(e)) => {
            let faults = [Fault { field: form_field(&e.field), text: refusal::field(lang, &e) }];
            return respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                View { lang, form: &f, faults: &faults, general: None, csrf: "" },
                &config,
            );
        }
        Err(e @ AppError::Rejected(_)) => {
            let general = Some(refusal::text(lang, &e));
            return respond(StatusCode::CONFLICT, View { lang, form: &f, faults: &[], general, csrf: "" }, &config);
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(email = %installation.admin_email.trim(), "installed: the first company and its administrator");
    let source = peer.map(|Extension(super::Peer(ip))| ip.to_string()).unwrap_or_default();
    let LoginOutcome::LoggedIn { cookie, .. } = app.login(&f.admin_email, &f.admin_password, &source, at).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let mut r = Redirect::to("/import?bienvenue=1").into_response();
    r.headers_mut().insert(header::SET_COOKIE, session_cookie(&cookie, &config)?);
    Ok(r)
}
