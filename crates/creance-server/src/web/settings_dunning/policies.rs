//! The company's dunning policies (SPEC §4.6): each with its currency, levels and minimum, the
//! default one marked, another made the default through `App::set_default_dunning_policy`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::policy_json::PolicyView;
use creance_app::{App, AppError};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{admin, crumbs, error_for, field, field_error, form_refusal, notices, Problem};
use crate::web::format::count;
use crate::web::i18n::{t, tf};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    done: Option<String>,
    again: Option<String>,
}

/// `GET /parametres/relances`.
pub async fn policies(State(app): State<App>, user: WebUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    admin(&user)?;
    let list: Vec<PolicyView> = app.dunning_policies(user.company_id()).await?.iter().map(PolicyView::from).collect();
    let done = match q.done.as_deref() {
        Some("default") => Some(M::DoneDefault),
        _ => None,
    };
    Ok(html(list_page(&user, &list, (done, q.again.is_some()), &[], None)?).into_response())
}

fn list_page(
    user: &WebUser,
    list: &[PolicyView],
    (done, again): (Option<M>, bool),
    typed: &[(String, String)],
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let title = t(lang, M::PoliciesTitle);
    let mut rows = Vec::with_capacity(list.len());
    for p in list {
        let key = once::hidden()?;
        rows.push(html! {
            tr #(format!("policy-{}", p.code)) {
                td { a href=(format!("/parametres/relances/{}", p.id)) { code { (p.code) } } }
                td { (p.name) }
                td { (p.currency.code()) }
                td.num { (count(p.levels.len() as i64, lang)) }
                td.num { (crate::web::format::amount(parse_money(&p.min_amount, p), lang)) }
                td.num { (count(p.payment_days, lang)) }
                td {
                    @if p.is_default { strong.badge { (t(lang, M::IsDefault)) } }
                    @else {
                        form.inline method="post" action="/parametres/relances/defaut" onsubmit=(once::ONSUBMIT) {
                            (csrf::hidden(user.csrf())) (key)
                            input type="hidden" name="code" value=(p.code);
                            button.small type="submit" aria-label=(tf(lang, M::MakeDefaultOf, &[&p.code])) { (t(lang, M::MakeDefault)) }
                        }
                    }
                }
                td.action {
                    a href=(format!("/parametres/relances/{}", p.id)) { (t(lang, M::Edit)) } " · "
                    a href=(format!("/parametres/relances/{}/textes?level=1&language={}", p.id, text_language(lang))) { (t(lang, M::Texts)) }
                }
            }
        });
    }
    let body = html! {
        (crumbs(lang, &[("", title.to_string())]))
        h1 { (title) }
        (notices(lang, done, again))
        p.intro { (t(lang, M::PoliciesIntro)) }
        (form_refusal(lang, problem, "default", &|_| false))
        @if list.is_empty() { p.empty { (t(lang, M::NoPolicies)) } } @else {
            table.list #policies {
                thead { tr {
                    th scope="col" { (t(lang, M::Code)) } th scope="col" { (t(lang, M::Name)) }
                    th scope="col" { (t(lang, M::Currency)) } th.num scope="col" { (t(lang, M::LevelsCount)) }
                    th.num scope="col" { (t(lang, M::MinAmount)) } th.num scope="col" { (t(lang, M::PaymentDays)) }
                    th scope="col" { (t(lang, M::Default)) } th scope="col" { span.visually-hidden { (t(lang, M::Actions)) } }
                } }
                tbody { @for r in &rows { (r) } }
            }
        }
        (new_form(user, list, typed, problem)?)
        p { a #interest-link href="/parametres/interets" { (t(lang, M::InterestTitle)) " →" } }
    };
    Ok(page(user, Tab::Settings, title, body))
}

/// A stored amount (the view's decimal string) as money; zero if it could not be read back.
pub(super) fn parse_money(text: &str, p: &PolicyView) -> creance_core::Money {
    creance_core::Money::parse(text, p.currency).unwrap_or(creance_core::Money::zero(p.currency))
}

/// The language of a level's texts shown first: the user's (French or English).
pub(super) fn text_language(lang: creance_core::Language) -> &'static str {
    match crate::web::i18n::ui_language(lang) {
        creance_core::Language::Fr => "fr",
        _ => "en",
    }
}

/// `POST /parametres/relances/defaut` (`code`): the company's default policy.
pub async fn set_default(
    State(app): State<App>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    let code = field(&form, "code").unwrap_or("").trim().to_string();
    once::run(&app, &user, "/parametres/relances/defaut", &form, || async {
        match app.set_default_dunning_policy(&user.actor(), user.company_id(), &code).await {
            Ok(_) => Ok(Outcome::Done("/parametres/relances?done=default".into())),
            Err(e) => {
                let problem = Problem::of(lang, "default", e)?;
                let list: Vec<PolicyView> =
                    app.dunning_policies(user.company_id()).await?.iter().map(PolicyView::from).collect();
                let page = list_page(&user, &list, (None, false), &[], Some(&problem))?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

const NEW_FIELDS: [&str; 3] = ["code", "name", "from"];

/// The form of a new policy, a copy of one of the company's.
fn new_form(
    user: &WebUser,
    list: &[PolicyView],
    typed: &[(String, String)],
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let value = |name: &str| field(typed, name).unwrap_or("").to_string();
    let default_from = list.iter().find(|p| p.is_default).map(|p| p.id.to_string()).unwrap_or_default();
    let from = Some(value("from")).filter(|v| !v.is_empty()).unwrap_or(default_from);
    let input = |name: &str, label: M| {
        let error = error_for(problem, "new", name);
        let id = super::input_id(&format!("new.{name}"));
        let error_id = format!("{id}-error");
        html! {
            div.field.invalid[error.is_some()] {
                label for=(id) { (t(lang, label)) }
                input id=(id) type="text" name=(name) value=(value(name)) aria-describedby=(error_id)
                    aria-invalid=[error.as_ref().map(|_| "true")];
                (field_error(&error_id, &error))
            }
        }
    };
    let from_error = error_for(problem, "new", "from");
    Ok(html! {
        section #new-policy aria-labelledby="new-policy-h" {
            h2 #new-policy-h { (t(lang, M::NewPolicy)) }
            p.hint { (t(lang, M::NewPolicyHint)) }
            (form_refusal(lang, problem, "new", &|f| NEW_FIELDS.contains(&f)))
            form.edit.new-policy method="post" action="/parametres/relances" onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf())) (key)
                (input("code", M::Code))
                (input("name", M::Name))
                div.field.invalid[from_error.is_some()] {
                    label for="f-new-from" { (t(lang, M::CopyOf)) }
                    select #f-new-from name="from" aria-describedby="f-new-from-error" {
                        @for p in list { option value=(p.id) selected[p.id.to_string() == from] { (p.code) " · " (p.name) } }
                    }
                    (field_error("f-new-from-error", &from_error))
                }
                button.primary #create-policy type="submit" { (t(lang, M::CreatePolicy)) }
            }
        }
    })
}

/// `POST /parametres/relances` (`code`, `name`, `from`): a new policy, a copy of `from`, and its page
/// (303); or the list again with the refusal next to its field.
pub async fn create(
    State(app): State<App>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    let text = |name: &str| field(&form, name).unwrap_or("").trim().to_string();
    once::run(&app, &user, "/parametres/relances", &form, || async {
        let outcome = match text("from").parse::<i64>() {
            Ok(from) => {
                app.copy_dunning_policy(&user.actor(), user.company_id(), from, &text("code"), &text("name")).await
            }
            Err(_) => Err(AppError::invalid("from", format!("{:?}: choose a policy to copy", text("from")))),
        };
        match outcome {
            Ok(p) => Ok(Outcome::Done(format!("/parametres/relances/{}?done=1", p.id))),
            Err(e) => {
                let problem = Problem::of(lang, "new", e)?;
                let list: Vec<PolicyView> =
                    app.dunning_policies(user.company_id()).await?.iter().map(PolicyView::from).collect();
                let page = list_page(&user, &list, (None, false), &form, Some(&problem))?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}
