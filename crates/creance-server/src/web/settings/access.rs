//! `/parametres/utilisateurs` (the users holding a role in this company: create one — its password
//! generated and shown once —, change a role, disable one) and `/parametres/jetons` (the API tokens: create one
//! with a role — shown once —, list, revoke), over `App::create_user` (Argon2id),
//! `App::grant_user_role`, `App::disable_user`, `App::create_token` (only its SHA-256 is kept) and `App::revoke_token`.
//!
//! A created password or token is shown on the page answering the form that made it (200,
//! `Cache-Control: no-store`), never again: these two forms are not under a form key, whose replay
//! is a redirect that could not carry the secret (a second submission makes a second token; a second
//! user with the same e-mail is refused). The role changes and the revocations are under one.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::users::NewUser;
use creance_app::{App, AppError};
use creance_core::{Language, Role};
use maud::{html, Markup};

use super::super::form::{FormField, Input};
use super::super::i18n::{t, tf};
use super::super::once::{self, Outcome};
use super::super::session::role_name;
use super::super::{csrf, html, WebError, WebUser};
use super::messages::M;
use super::money::{value, Done};
use super::{described, done_notice, field, problem, problem_box, settings_page, text_field, Problem};

const ROLES: [Role; 3] = [Role::ReadOnly, Role::Clerk, Role::Admin];

fn role_of(field_name: &str, text: &str) -> Result<Role, AppError> {
    Role::parse(text.trim())
        .ok_or_else(|| AppError::invalid(field_name, format!("{text:?} is not a role; use read_only, clerk or admin")))
}

fn role_select(lang: Language, id: &str, selected: &str, error: &Option<String>) -> Markup {
    html! {
        select id=(id) name="role" aria-describedby=[described(id, error)] {
            @for r in ROLES { option value=(r.code()) selected[selected == r.code()] { (role_name(lang, r)) } }
        }
    }
}

/// A page with a secret on it: not kept by the browser's cache.
fn secret_page(status: StatusCode, page: Markup) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], html(page)).into_response()
}

/// `GET /parametres/utilisateurs`.
pub async fn users(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done =
        q.done.as_deref().map(|d| t(user.lang(), if d == "disabled" { M::UserDisabled } else { M::RoleChanged }));
    Ok(html(users_page(&app, &user, &[], None, done, None).await?).into_response())
}

/// `POST /parametres/utilisateurs`: creates a user with a generated password, shown once.
pub async fn create_user(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let attempt = async {
        let role = role_of("role", value(&pairs, "role"))?;
        let language = match value(&pairs, "language") {
            "fr" => Language::Fr,
            "en" => Language::En,
            other => return Err(AppError::invalid("language", format!("{other:?}: choose fr or en"))),
        };
        let password = creance_app::users::random_password().map_err(AppError::Internal)?;
        let new = NewUser {
            email: value(&pairs, "email").to_string(),
            name: value(&pairs, "name").to_string(),
            language,
            company_id: user.company_id(),
            role,
            password: password.clone(),
        };
        let info = app.create_user(&user.actor(), &new).await?;
        Ok((info.email, password))
    };
    match attempt.await {
        Ok(created) => Ok(secret_page(StatusCode::OK, users_page(&app, &user, &[], None, None, Some(created)).await?)),
        Err(e) => {
            let (status, p) = problem(user.lang(), e)?;
            Ok((status, html(users_page(&app, &user, &pairs, Some(p), None, None).await?)).into_response())
        }
    }
}

/// `POST /parametres/utilisateurs/{id}/role`: gives the user another role in this company.
pub async fn set_role(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let path = format!("/parametres/utilisateurs/{id}/role");
    once::run(&app, &user, &path, &pairs, || async {
        let users = app.users(Some(user.company_id())).await?;
        let lang = user.lang();
        let Some(target) = users.iter().find(|u| u.id == id) else {
            return Err(WebError::NotFound { lang, detail: super::super::refusal::not_found(lang, "user", id) });
        };
        let result = match role_of("role", value(&pairs, "role")) {
            Ok(role) => app.grant_user_role(&user.actor(), &target.email, user.company_id(), role).await.map(|_| ()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => Ok(Outcome::Done("/parametres/utilisateurs?done=role".into())),
            Err(e) => {
                let (status, p) = problem(lang, e)?;
                let p = Problem { field: format!("{}:{}", id, p.field), text: p.text };
                Ok(Outcome::Refused(
                    (status, html(users_page(&app, &user, &[], Some(p), None, None).await?)).into_response(),
                ))
            }
        }
    })
    .await
}

/// `POST /parametres/utilisateurs/{id}/desactivation`: disables the user (it logs in no more).
pub async fn disable(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let path = format!("/parametres/utilisateurs/{id}/desactivation");
    once::run(&app, &user, &path, &pairs, || async {
        match app.disable_user(&user.actor(), user.session.user_id, user.company_id(), id).await {
            Ok(_) => Ok(Outcome::Done("/parametres/utilisateurs?done=disabled".into())),
            Err(e) => {
                let (status, mut p) = problem(user.lang(), e)?;
                p.field = String::new();
                Ok(Outcome::Refused(
                    (status, html(users_page(&app, &user, &[], Some(p), None, None).await?)).into_response(),
                ))
            }
        }
    })
    .await
}

const USER_FIELDS: [&str; 4] = ["email", "name", "language", "role"];

async fn users_page(
    app: &App,
    user: &WebUser,
    posted: &[(String, String)],
    p: Option<Problem>,
    done: Option<&str>,
    created: Option<(String, String)>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let company = user.company_id();
    let users = app.users(Some(company)).await?;
    let mut rows = Vec::with_capacity(users.len());
    for u in &users {
        let role = u.roles.iter().find(|r| r.company_id == company).map(|r| r.role);
        let id = format!("f-role-{}", u.id);
        let error = p.as_ref().and_then(|p| p.field.strip_prefix(&format!("{}:", u.id)).map(|_| p.text.clone()));
        let key = once::hidden()?;
        let disable_key = once::hidden()?;
        rows.push(html! {
            tr data-email=(u.email) {
                td { (u.name) } td { (u.email) }
                td {
                    form.inline method="post" action=(format!("/parametres/utilisateurs/{}/role", u.id)) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf()))
                        (key)
                        label.visually-hidden for=(id) { (tf(lang, M::RoleOf, &[&u.email])) }
                        (role_select(lang, &id, role.map_or("", Role::code), &error))
                        button type="submit" { (t(lang, M::ChangeRole)) }
                        @if let Some(e) = &error { p.field-error id=(format!("{id}-error")) role="alert" { (e) } }
                    }
                }
                td {
                    @if u.disabled_at.is_some() { (t(lang, M::Disabled)) }
                    @else {
                        (t(lang, M::Active))
                        @if u.id != user.session.user_id {
                            form.inline method="post" action=(format!("/parametres/utilisateurs/{}/desactivation", u.id)) onsubmit=(once::ONSUBMIT) {
                                (csrf::hidden(user.csrf()))
                                (disable_key)
                                button type="submit" aria-label=(tf(lang, M::DisableUser, &[&u.email])) { (t(lang, M::Disable)) }
                            }
                        }
                    }
                }
            }
        });
    }
    let new_p = p.clone().filter(|p| !p.field.contains(':') && !p.field.is_empty());
    let top_p = p.clone().filter(|p| p.field.is_empty());
    let input = |name: &'static str, label: M, input: Input| {
        text_field(FormField::new("", name, t(lang, label), value(posted, name)).input(input).required(true), &new_p)
    };
    let lang_error = Problem::on(&new_p, "language");
    let role_error = Problem::on(&new_p, "role");
    let posted_lang = value(posted, "language");
    let body = html! {
        (done_notice(done))
        @if let Some(p) = &top_p { div.refusal role="alert" { strong { (t(lang, M::Refused)) } " " (p.text) } }
        @if let Some((email, password)) = &created {
            div.secret #created role="status" {
                p { (tf(lang, M::UserCreated, &[email])) }
                p { code #new-password { (password) } }
                p.hint { (t(lang, M::ShownOnce)) }
            }
        }
        table.list #users {
            thead { tr { th { (t(lang, M::UserName)) } th { (t(lang, M::Email)) } th { (t(lang, M::RoleColumn)) } th { (t(lang, M::State)) } } }
            tbody { @for r in rows { (r) } }
        }
        section aria-labelledby="add-user-h" {
            h2 #add-user-h { (t(lang, M::AddUser)) }
            p.hint { (t(lang, M::AddUserHint)) }
            (problem_box(lang, &new_p, &USER_FIELDS))
            form.settings-form method="post" action="/parametres/utilisateurs" onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf()))
                div.form-grid {
                    (input("email", M::Email, Input::Email))
                    (input("name", M::UserName, Input::Text))
                    (field("f-language", t(lang, M::UserLanguage), None, lang_error.clone(), html! {
                        select #f-language name="language" aria-describedby=[described("f-language", &lang_error)] {
                            option value="fr" selected[posted_lang != "en"] { "Français" }
                            option value="en" selected[posted_lang == "en"] { "English" }
                        }
                    }))
                    (field("f-role", t(lang, M::RoleColumn), None, role_error.clone(),
                        role_select(lang, "f-role", if value(posted, "role").is_empty() { "clerk" } else { value(posted, "role") }, &role_error)))
                }
                div.form-actions { button.primary #add-user type="submit" { (t(lang, M::AddUser)) } }
            }
        }
    };
    Ok(settings_page(user, t(lang, M::UsersTitle), body))
}

/// `GET /parametres/jetons`.
pub async fn tokens(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done = q.done.as_deref().map(|_| t(user.lang(), M::TokenRevoked));
    Ok(html(tokens_page(&app, &user, &[], None, done, None).await?).into_response())
}

/// `POST /parametres/jetons`: creates a token, shown once on the page answering.
pub async fn create_token(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let result = match role_of("role", value(&pairs, "role")) {
        Ok(role) => app.create_token(&user.actor(), user.company_id(), role, value(&pairs, "label")).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(secret) => Ok(secret_page(StatusCode::OK, tokens_page(&app, &user, &[], None, None, Some(secret)).await?)),
        Err(e) => {
            let (status, p) = problem(user.lang(), e)?;
            Ok((status, html(tokens_page(&app, &user, &pairs, Some(p), None, None).await?)).into_response())
        }
    }
}

/// `POST /parametres/jetons/{id}/revocation`.
pub async fn revoke_token(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let path = format!("/parametres/jetons/{id}/revocation");
    once::run(&app, &user, &path, &pairs, || async {
        match app.revoke_token(&user.actor(), user.company_id(), id).await {
            Ok(_) => Ok(Outcome::Done("/parametres/jetons?done=revoked".into())),
            Err(e) => {
                let (status, p) = problem(user.lang(), e)?;
                Ok(Outcome::Refused(
                    (status, html(tokens_page(&app, &user, &[], Some(p), None, None).await?)).into_response(),
                ))
            }
        }
    })
    .await
}

async fn tokens_page(
    app: &App,
    user: &WebUser,
    posted: &[(String, String)],
    p: Option<Problem>,
    done: Option<&str>,
    created: Option<String>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let tokens = app.tokens(user.company_id()).await?;
    let mut rows = Vec::with_capacity(tokens.len());
    for tk in &tokens {
        let key = once::hidden()?;
        let role = Role::parse(&tk.role).map_or(tk.role.as_str(), |r| role_name(lang, r));
        rows.push(html! {
            tr data-token=(tk.id) {
                td.num { (tk.id) } td { (tk.label) } td { (role) } td { (tk.created_at) }
                td {
                    @if let Some(at) = &tk.revoked_at { (tf(lang, M::RevokedAt, &[at])) }
                    @else {
                        form.inline method="post" action=(format!("/parametres/jetons/{}/revocation", tk.id)) onsubmit=(once::ONSUBMIT) {
                            (csrf::hidden(user.csrf()))
                            (key)
                            button type="submit" aria-label=(tf(lang, M::RevokeToken, &[&tk.id.to_string()])) { (t(lang, M::Revoke)) }
                        }
                    }
                }
            }
        });
    }
    let role_error = Problem::on(&p, "role");
    let body = html! {
        (done_notice(done))
        @if let Some(secret) = &created {
            div.secret #created role="status" {
                p { (t(lang, M::TokenCreated)) }
                p { code #new-token { (secret) } }
                p.hint { (t(lang, M::ShownOnce)) }
            }
        }
        (problem_box(lang, &p, &["label", "role"]))
        @if tokens.is_empty() {
            p.empty { (t(lang, M::NoTokens)) }
        } @else {
            table.list #tokens {
                thead { tr { th.num { "N°" } th { (t(lang, M::Label)) } th { (t(lang, M::RoleColumn)) } th { (t(lang, M::CreatedAt)) } th { (t(lang, M::State)) } } }
                tbody { @for r in rows { (r) } }
            }
        }
        section aria-labelledby="add-token-h" {
            h2 #add-token-h { (t(lang, M::AddToken)) }
            form.settings-form method="post" action="/parametres/jetons" onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf()))
                div.form-grid {
                    (text_field(FormField::new("", "label", t(lang, M::Label), value(posted, "label")).hint(Some(t(lang, M::TokenLabelHint))), &p))
                    (field("f-role", t(lang, M::RoleColumn), None, role_error.clone(),
                        role_select(lang, "f-role", if value(posted, "role").is_empty() { "read_only" } else { value(posted, "role") }, &role_error)))
                }
                div.form-actions { button.primary #add-token type="submit" { (t(lang, M::AddToken)) } }
            }
        }
    };
    Ok(settings_page(user, t(lang, M::TokensTitle), body))
}
