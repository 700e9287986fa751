//! The company's dunning policies (SPEC §4.6): each with its currency, levels and minimum, the
//! default one marked, another made the default through `App::set_default_dunning_policy`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::policy_json::PolicyView;
use creance_app::App;
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{admin, crumbs, field, form_refusal, notices, Problem};
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
    let done = q.done.is_some().then_some(M::DoneDefault);
    Ok(html(list_page(&user, &list, done, q.again.is_some(), None)?).into_response())
}

fn list_page(
    user: &WebUser,
    list: &[PolicyView],
    done: Option<M>,
    again: bool,
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
                let page = list_page(&user, &list, None, false, Some(&problem))?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}
