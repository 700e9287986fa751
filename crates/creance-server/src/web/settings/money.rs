//! `/parametres/banques` (the bank accounts: list and add; `/parametres/banques/{id}` edits one), `/parametres/modes` (the payment
//! methods: label, deposited or not, active; a new one by its code) and `/parametres/comptes` (the
//! account code of each role of the journal entries), over `App::add_bank_account`,
//! `App::update_bank_account`,
//! `App::set_payment_method` and `App::set_account_code`.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::settings::NewBank;
use creance_app::views::settings::PaymentMethod;
use creance_app::App;
use creance_core::{Language, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::super::form::{form_field, FormField};
use super::super::i18n::t;
use super::super::once::{self, Outcome};
use super::super::{csrf, html, WebError, WebUser};
use super::messages::M;
use super::{done_notice, owned, problem, problem_box, settings_page, text_field, Problem};

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    pub done: Option<String>,
}

/// The value of `name` among the posted fields ("" when absent).
pub(crate) fn value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Some(text) unless blank.
fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

const BANK_FIELDS: [&str; 6] = ["name", "iban", "bic", "journal_code", "account_code", "currency"];

/// `GET /parametres/banques`.
pub async fn banks(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done = q.done.as_deref().map(|d| t(user.lang(), if d == "saved" { M::Saved } else { M::BankAdded }));
    Ok(html(banks_page(&app, &user, &[], None, done).await?).into_response())
}

/// `POST /parametres/banques`: adds an account (303 back to the list), or the form again with the
/// refusal next to its field.
pub async fn add_bank(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    once::run(&app, &user, "/parametres/banques", &pairs, || async {
        let b = NewBank {
            name: value(&pairs, "name").to_string(),
            iban: value(&pairs, "iban").to_string(),
            bic: value(&pairs, "bic").to_string(),
            journal_code: opt(value(&pairs, "journal_code")),
            account_code: opt(value(&pairs, "account_code")),
            currency: opt(value(&pairs, "currency")),
        };
        match app.add_bank_account(&user.actor(), user.company_id(), &b).await {
            Ok(_) => Ok(Outcome::Done("/parametres/banques?done=added".into())),
            Err(e) => {
                let (status, p) = problem(user.lang(), e)?;
                let page = banks_page(&app, &user, &pairs, Some(p), None).await?;
                Ok(Outcome::Refused((status, html(page)).into_response()))
            }
        }
    })
    .await
}

async fn banks_page(
    app: &App,
    user: &WebUser,
    posted: &[(String, String)],
    p: Option<Problem>,
    done: Option<&str>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let accounts = app.bank_accounts(user.company_id()).await?;
    let key = once::hidden()?;
    let body = html! {
        (done_notice(done))
        @if accounts.is_empty() {
            p.empty { (t(lang, M::NoBanks)) }
        } @else {
            table.list #banks {
                thead { tr {
                    th { (t(lang, M::BankName)) } th { "IBAN" } th { "BIC" }
                    th { (t(lang, M::Journal)) } th { (t(lang, M::Account)) } th { (t(lang, M::Currency)) } th {}
                } }
                tbody {
                    @for b in &accounts {
                        tr { td { (b.name) } td.mono { (b.iban) } td.mono { (b.bic) } td { (b.journal_code) }
                             td { (b.account_code) } td { (b.currency.code()) }
                             td { a href=(format!("/parametres/banques/{}", b.id)) aria-label=(format!("{} {}", t(lang, M::Edit), b.name)) { (t(lang, M::Edit)) } } }
                    }
                }
            }
        }
        section aria-labelledby="add-bank-h" {
            h2 #add-bank-h { (t(lang, M::AddBank)) }
            (problem_box(lang, &p, &BANK_FIELDS))
            form.settings-form method="post" action="/parametres/banques" onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf()))
                (key)
                div.form-grid {
                    (bank_inputs(lang, posted, &p))
                    (text_field(FormField::new("", "currency", t(lang, M::Currency), value(posted, "currency")).hint(Some(t(lang, M::CurrencyHint))), &p))
                }
                div.form-actions { button.primary #add-bank type="submit" { (t(lang, M::AddBank)) } }
            }
        }
    };
    Ok(settings_page(user, t(lang, M::BanksTitle), body))
}

/// The fields of a bank account's form (its currency aside: set when added, kept after).
fn bank_inputs(lang: Language, posted: &[(String, String)], p: &Option<Problem>) -> Markup {
    let input = |name: &'static str, label: M, hint: Option<M>| {
        let f = FormField::new("", name, t(lang, label), value(posted, name)).hint(hint.map(|h| t(lang, h)));
        text_field(f.required(name == "name"), p)
    };
    html! {
        (input("name", M::BankName, None))
        (input("iban", M::Iban, Some(M::IbanHint)))
        (input("bic", M::Bic, None))
        (input("journal_code", M::Journal, Some(M::JournalHint)))
        (input("account_code", M::Account, Some(M::AccountHint)))
    }
}

/// A field of a form among several on the page (its id carries the row's suffix); a code is required.
fn row_field(id: &str, name: &str, label: &str, value: &str, hint: Option<&str>, error: &Option<String>) -> Markup {
    form_field(&FormField::new(id, name, label, value).hint(hint).error(error.as_deref()).required(name == "code"))
}

fn bank_input(b: &NewBank) -> Vec<(String, String)> {
    owned([
        ("name", b.name.clone()),
        ("iban", b.iban.clone()),
        ("bic", b.bic.clone()),
        ("journal_code", b.journal_code.clone().unwrap_or_default()),
        ("account_code", b.account_code.clone().unwrap_or_default()),
    ])
}

/// `GET /parametres/banques/{id}`: the account's form.
pub async fn edit_bank(State(app): State<App>, user: WebUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let lang = user.lang();
    let accounts = app.bank_accounts(user.company_id()).await?;
    let Some(b) = accounts.into_iter().find(|b| b.id == id) else {
        return Err(WebError::NotFound { lang, detail: super::super::refusal::not_found(lang, "bank account", id) });
    };
    let values = bank_input(&NewBank {
        name: b.name.clone(),
        iban: b.iban.clone(),
        bic: b.bic.clone(),
        journal_code: Some(b.journal_code.clone()),
        account_code: Some(b.account_code.clone()),
        currency: None,
    });
    Ok(html(edit_bank_page(&user, &b, &values, None)?).into_response())
}

/// `POST /parametres/banques/{id}`: saves the account (303 to the list), or its form again.
pub async fn save_bank(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let path = format!("/parametres/banques/{id}");
    once::run(&app, &user, &path, &pairs, || async {
        let b = NewBank {
            name: value(&pairs, "name").to_string(),
            iban: value(&pairs, "iban").to_string(),
            bic: value(&pairs, "bic").to_string(),
            journal_code: opt(value(&pairs, "journal_code")),
            account_code: opt(value(&pairs, "account_code")),
            currency: None,
        };
        match app.update_bank_account(&user.actor(), user.company_id(), id, &b).await {
            Ok(_) => Ok(Outcome::Done("/parametres/banques?done=saved".into())),
            Err(e) => {
                let lang = user.lang();
                let (status, p) = problem(lang, e)?;
                let accounts = app.bank_accounts(user.company_id()).await?;
                let Some(current) = accounts.into_iter().find(|x| x.id == id) else {
                    return Err(WebError::NotFound { lang, detail: p.text });
                };
                let page = edit_bank_page(&user, &current, &pairs, Some(p))?;
                Ok(Outcome::Refused((status, html(page)).into_response()))
            }
        }
    })
    .await
}

fn edit_bank_page(
    user: &WebUser,
    b: &creance_app::views::settings::BankAccount,
    posted: &[(String, String)],
    p: Option<Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let body = html! {
        (problem_box(lang, &p, &BANK_FIELDS))
        form.settings-form method="post" action=(format!("/parametres/banques/{}", b.id)) onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            div.form-grid {
                (bank_inputs(lang, posted, &p))
                div.field { span.label { (t(lang, M::Currency)) } span { (b.currency.code()) } p.hint { (t(lang, M::CurrencyKept)) } }
            }
            div.form-actions {
                button.primary #save-bank type="submit" { (t(lang, M::Save)) }
                a href="/parametres/banques" { (t(lang, M::BanksTitle)) }
            }
        }
    };
    let title = format!("{} · {}", t(lang, M::BanksTitle), b.name);
    Ok(settings_page(user, &title, body))
}

/// `GET /parametres/modes`.
pub async fn methods(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done = q.done.as_deref().map(|_| t(user.lang(), M::Saved));
    Ok(html(methods_page(&app, &user, None, done).await?).into_response())
}

/// `POST /parametres/modes`: sets a method (its code names it; a new code adds one).
pub async fn set_method(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    once::run(&app, &user, "/parametres/modes", &pairs, || async {
        let m = PaymentMethod {
            code: value(&pairs, "code").to_string(),
            label: value(&pairs, "label").to_string(),
            needs_deposit: value(&pairs, "needs_deposit") == "true",
            active: value(&pairs, "active") == "true",
        };
        match app.set_payment_method(&user.actor(), user.company_id(), &m).await {
            Ok(()) => {
                Ok(Outcome::Done(format!("/parametres/modes?done={}", super::super::session::encode(m.code.trim()))))
            }
            Err(e) => {
                let (status, p) = problem(user.lang(), e)?;
                let page = methods_page(&app, &user, Some((m, p)), None).await?;
                Ok(Outcome::Refused((status, html(page)).into_response()))
            }
        }
    })
    .await
}

/// One method's form; `new` is the empty form with a code field. `refused` is the method posted and
/// its refusal when this row's form was the one refused.
fn method_form(user: &WebUser, m: &PaymentMethod, new: bool, p: &Option<Problem>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let row = if new { "new".to_string() } else { m.code.clone() };
    let id = |name: &str| format!("f-{name}-{row}");
    let key = once::hidden()?;
    let err = |name: &str| Problem::on(p, name);
    Ok(html! {
        form.method-row method="post" action="/parametres/modes" data-code=(row) onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            @if new {
                (row_field(&id("code"), "code", t(lang, M::Code), &m.code, Some(t(lang, M::CodeHint)), &err("code")))
            } @else {
                input type="hidden" name="code" value=(m.code);
                div.field { span.label { (t(lang, M::Code)) } span.mono { (m.code) } }
            }
            (row_field(&id("label"), "label", t(lang, M::Label), &m.label, None, &err("label")))
            div.field.check {
                input id=(id("needs_deposit")) type="checkbox" name="needs_deposit" value="true" checked[m.needs_deposit];
                label for=(id("needs_deposit")) { (t(lang, M::NeedsDeposit)) }
            }
            div.field.check {
                input id=(id("active")) type="checkbox" name="active" value="true" checked[m.active];
                label for=(id("active")) { (t(lang, M::Active)) }
            }
            button type="submit" { (t(lang, if new { M::AddMethod } else { M::Save })) }
        }
    })
}

async fn methods_page(
    app: &App,
    user: &WebUser,
    refused: Option<(PaymentMethod, Problem)>,
    done: Option<&str>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let methods = app.payment_methods(user.company_id()).await?;
    let refused_code = refused.as_ref().map(|(m, _)| m.code.trim().to_string());
    let is_new = refused_code.as_ref().is_some_and(|c| !methods.iter().any(|m| &m.code == c));
    let p_of = |existing: bool, code: &str| -> Option<Problem> {
        match &refused {
            Some((m, p)) if (existing && !is_new && m.code.trim() == code) || (!existing && is_new) => Some(p.clone()),
            _ => None,
        }
    };
    let blank = PaymentMethod { code: String::new(), label: String::new(), needs_deposit: false, active: true };
    let new_values = match &refused {
        Some((m, _)) if is_new => m.clone(),
        _ => blank,
    };
    let mut rows = Vec::with_capacity(methods.len());
    for m in &methods {
        let p = p_of(true, &m.code);
        let shown = match (&p, &refused) {
            (Some(_), Some((posted, _))) => PaymentMethod { code: m.code.clone(), ..posted.clone() },
            _ => m.clone(),
        };
        rows.push(html! {
            @if let Some(p) = &p { div.refusal role="alert" { strong { (t(lang, M::Refused)) } " " (p.text) } }
            (method_form(user, &shown, false, &None)?)
        });
    }
    let new_p = p_of(false, "");
    let body = html! {
        (done_notice(done))
        p.hint { (t(lang, M::MethodsIntro)) }
        div.methods { @for r in rows { (r) } }
        section aria-labelledby="add-method-h" {
            h2 #add-method-h { (t(lang, M::AddMethod)) }
            (problem_box(lang, &new_p, &["code", "label"]))
            (method_form(user, &new_values, true, &new_p)?)
        }
    };
    Ok(settings_page(user, t(lang, M::MethodsTitle), body))
}

/// `GET /parametres/comptes`.
pub async fn accounts(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done = q.done.as_deref().map(|_| t(user.lang(), M::Saved));
    Ok(html(accounts_page(&app, &user, None, done).await?).into_response())
}

/// `POST /parametres/comptes`: sets the account code of one role.
pub async fn set_account(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    once::run(&app, &user, "/parametres/comptes", &pairs, || async {
        let (role, code, label) = (value(&pairs, "role"), value(&pairs, "code"), value(&pairs, "label"));
        match app.set_account_code(&user.actor(), user.company_id(), role, code, label).await {
            Ok(()) => Ok(Outcome::Done("/parametres/comptes?done=saved".into())),
            Err(e) => {
                let (status, p) = problem(user.lang(), e)?;
                let refused = (role.to_string(), code.to_string(), label.to_string(), p);
                let page = accounts_page(&app, &user, Some(refused), None).await?;
                Ok(Outcome::Refused((status, html(page)).into_response()))
            }
        }
    })
    .await
}

async fn accounts_page(
    app: &App,
    user: &WebUser,
    refused: Option<(String, String, String, Problem)>,
    done: Option<&str>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let codes = app.account_codes(user.company_id()).await?;
    let mut rows = Vec::with_capacity(codes.codes.len());
    for c in &codes.codes {
        let mine = refused.as_ref().filter(|r| r.0 == c.role);
        let p = mine.map(|r| r.3.clone());
        let (code, label) = mine.map_or((c.code.as_str(), c.label.as_str()), |r| (r.1.as_str(), r.2.as_str()));
        let id = |name: &str| format!("f-{name}-{}", c.role);
        let key = once::hidden()?;
        let err = |name: &str| Problem::on(&p, name);
        rows.push(html! {
            @if let Some(p) = p.as_ref().filter(|p| p.field != "code" && p.field != "label") {
                div.refusal role="alert" { strong { (t(lang, M::Refused)) } " " (p.text) }
            }
            form.account-row method="post" action="/parametres/comptes" data-role=(c.role) onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf()))
                (key)
                input type="hidden" name="role" value=(c.role);
                div.field { span.label { (t(lang, M::AccountRole)) } span.mono { (c.role) } }
                (row_field(&id("code"), "code", t(lang, M::Account), code, None, &err("code")))
                (row_field(&id("label"), "label", t(lang, M::Label), label, None, &err("label")))
                button type="submit" { (t(lang, M::Save)) }
            }
        });
    }
    let body = html! {
        (done_notice(done))
        p.hint { (t(lang, M::AccountsIntro)) }
        div.accounts { @for r in rows { (r) } }
    };
    Ok(settings_page(user, t(lang, M::AccountsTitle), body))
}
