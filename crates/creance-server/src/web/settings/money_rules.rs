//! `/parametres/montants`: the company's amount rules (`App::money_settings`,
//! `App::set_money_settings`, the API's `GET|PUT /api/v1/settings/money` and its field names):
//! whether validating a deposit books bank / cheques to deposit, the window in days within which a
//! payment of the same customer, amount and piece number is a likely duplicate, and the maximum
//! total of an imported document in whole units of its currency. The use case checks the ranges;
//! a refusal is shown next to its field.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::views::settings::MoneySettings;
use creance_app::{App, AppError};
use creance_core::Role;
use maud::{html, Markup};

use super::super::form::{FormField, Input};
use super::super::i18n::t;
use super::super::once::{self, Outcome};
use super::super::{csrf, html, WebError, WebUser};
use super::messages::M;
use super::money::{value, Done};
use super::{done_notice, owned, problem, problem_box, settings_page, text_field, Problem};

const FIELDS: [&str; 3] = ["deposits_to_bank_journal", "duplicate_window_days", "document_amount_max"];

/// The form's values as the settings hold them.
fn shown(s: &MoneySettings) -> Vec<(String, String)> {
    owned([
        ("deposits_to_bank_journal", if s.deposits_to_bank_journal { "true".to_string() } else { String::new() }),
        ("duplicate_window_days", s.duplicate_window_days.to_string()),
        ("document_amount_max", s.document_amount_max.map(|m| m.to_string()).unwrap_or_default()),
    ])
}

/// `GET /parametres/montants` (admin).
pub async fn show(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done = q.done.as_deref().map(|_| t(user.lang(), M::Saved));
    let s = app.money_settings(user.company_id()).await?;
    Ok(html(money_page(&user, &shown(&s), None, done)?).into_response())
}

/// The settings a posted form asks for; a number that is none is refused naming its field.
fn parsed(pairs: &[(String, String)]) -> Result<MoneySettings, AppError> {
    let int = |name: &str| creance_app::query_args::int(name, &Some(value(pairs, name).to_string()));
    Ok(MoneySettings {
        deposits_to_bank_journal: value(pairs, "deposits_to_bank_journal") == "true",
        duplicate_window_days: int("duplicate_window_days")?
            .ok_or_else(|| AppError::invalid("duplicate_window_days", "give a number of days, 0 to 366"))?,
        document_amount_max: int("document_amount_max")?,
    })
}

/// `POST /parametres/montants`: saves the rules (303 back, with a notice), or the form again with
/// the refusal next to its field (422).
pub async fn save(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    once::run(&app, &user, "/parametres/montants", &pairs, || async {
        let result = match parsed(&pairs) {
            Ok(s) => app.set_money_settings(&user.actor(), user.company_id(), &s).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => Ok(Outcome::Done("/parametres/montants?done=saved".into())),
            Err(e) => {
                let (status, p) = problem(user.lang(), e)?;
                Ok(Outcome::Refused((status, html(money_page(&user, &pairs, Some(p), None)?)).into_response()))
            }
        }
    })
    .await
}

fn money_page(
    user: &WebUser,
    values: &[(String, String)],
    p: Option<Problem>,
    done: Option<&str>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let number = |name: &'static str, label: M, hint: M| {
        let f = FormField::new("", name, t(lang, label), value(values, name)).hint(Some(t(lang, hint)));
        text_field(f.input(Input::Number), &p)
    };
    let deposits_error = Problem::on(&p, "deposits_to_bank_journal");
    let body = html! {
        (done_notice(done))
        p.intro { (t(lang, M::MoneyIntro)) }
        (problem_box(lang, &p, &FIELDS))
        form.settings-form #money-form method="post" action="/parametres/montants" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            div.field.check.invalid[deposits_error.is_some()] {
                input #f-deposits_to_bank_journal type="checkbox" name="deposits_to_bank_journal" value="true"
                    checked[value(values, "deposits_to_bank_journal") == "true"] aria-describedby="f-deposits_to_bank_journal-hint";
                label for="f-deposits_to_bank_journal" { (t(lang, M::DepositsToBank)) }
                p.hint #f-deposits_to_bank_journal-hint { (t(lang, M::DepositsToBankHint)) }
                @if let Some(e) = &deposits_error { p.field-error #f-deposits_to_bank_journal-error role="alert" { (e) } }
            }
            div.form-grid {
                (number("duplicate_window_days", M::DuplicateWindow, M::DuplicateWindowHint))
                (number("document_amount_max", M::DocumentMax, M::DocumentMaxHint))
            }
            div.form-actions { button.primary #save-money type="submit" { (t(lang, M::Save)) } }
        }
    };
    Ok(settings_page(user, t(lang, M::MoneyTitle), body))
}
