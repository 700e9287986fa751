//! Late-interest rate tables (SPEC §4.7): each with its reference, day count, grace days, fixed
//! indemnity and dated rate periods; a table created from a preset (France B2B, Germany B2B,
//! Switzerland, EU directive) through `App::create_interest_preset`, and a rate period added to a
//! table — the next half-year's reference rate — through `App::add_interest_rates`.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::views::dunning::{InterestTable, RateRow};
use creance_app::{App, AppError};
use creance_core::interest::DayCount;
use creance_core::{Currency, Date, Money};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{admin, crumbs, error_for, field, field_error, form_refusal, notices, Problem};
use crate::web::format::{amount, count, date};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

const RATE_FIELDS: [&str; 3] = ["rates[0].from", "rates[0].reference_percent", "rates[0].margin_percent"];

#[derive(Deserialize, Default)]
pub struct InterestQuery {
    done: Option<String>,
    again: Option<String>,
}

/// The form a refusal is about: the preset's, or a table's rate form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RefusedForm {
    Preset,
    Rates(i64),
}

/// `GET /parametres/interets`.
pub async fn interest_tables(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<InterestQuery>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let tables = app.interest_tables(user.company_id()).await?;
    let done = match q.done.as_deref() {
        Some("preset") => Some(M::DonePreset),
        Some("rates") => Some(M::DoneRates),
        _ => None,
    };
    Ok(html(interest_page(&user, &tables, (done, q.again.is_some()), None, &[])?).into_response())
}

fn indemnity(t: &InterestTable, lang: creance_core::Language) -> String {
    match Currency::parse(&t.indemnity_currency) {
        Ok(c) => amount(Money::new(t.indemnity, c), lang),
        Err(_) => format!("{} {}", t.indemnity, t.indemnity_currency),
    }
}

fn interest_page(
    user: &WebUser,
    tables: &[InterestTable],
    (done, again): (Option<M>, bool),
    problem: Option<(RefusedForm, &Problem)>,
    typed: &[(String, String)],
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let title = t(lang, M::InterestTitle);
    let presets = creance_core::interest::presets();
    let preset_problem = problem.filter(|(f, _)| *f == RefusedForm::Preset).map(|(_, p)| p);
    let preset_error = error_for(preset_problem, "preset", "preset");
    let preset_key = once::hidden()?;
    let mut sections = Vec::with_capacity(tables.len());
    for x in tables {
        let key = once::hidden()?;
        let mine = problem.filter(|(f, _)| *f == RefusedForm::Rates(x.id)).map(|(_, p)| p);
        let value =
            |name: &str| if mine.is_some() { field(typed, name).unwrap_or("").to_string() } else { String::new() };
        let rate_input = |name: &str, label: &str, hint: Option<&str>| {
            let error = error_for(mine, "rates", name);
            let id = format!("t{}-{}", x.id, super::input_id(name));
            let error_id = format!("{id}-error");
            html! {
                div.field.invalid[error.is_some()] {
                    label for=(id) { (label) }
                    input id=(id) type="text" name=(name) value=(value(name)) autocomplete="off" placeholder=[hint]
                        inputmode=[hint.is_none().then_some("decimal")]
                        aria-describedby=(error_id) aria-invalid=[error.as_ref().map(|_| "true")];
                    (field_error(&error_id, &error))
                }
            }
        };
        sections.push(html! {
            section.interest-table #(format!("table-{}", x.code)) aria-labelledby=(format!("table-{}-h", x.code)) {
                h2 #(format!("table-{}-h", x.code)) { (x.name) " " code { (x.code) } }
                dl.two-col {
                    dt { (t(lang, M::Reference)) } dd { @if x.reference_name.is_empty() { "—" } @else { (x.reference_name) } }
                    dt { (t(lang, M::DayCount)) } dd { (t(lang, match x.day_count { DayCount::Actual360 => M::Actual360, _ => M::Actual365 })) }
                    dt { (t(lang, M::GraceDays)) } dd { (count(x.grace_days, lang)) }
                    dt { (t(lang, M::TableIndemnity)) } dd { (indemnity(x, lang)) }
                }
                table.list.rates {
                    caption.visually-hidden { (tf(lang, M::RatesOf, &[&x.name])) }
                    thead { tr {
                        th scope="col" { (t(lang, M::From)) }
                        th.num scope="col" { (t(lang, M::ReferencePercent)) }
                        th.num scope="col" { (t(lang, M::MarginPercent)) }
                    } }
                    tbody {
                        @for r in x.rates.iter().rev() {
                            tr { td { (date(r.from, lang)) } td.num { (r.reference_percent) } td.num { (r.margin_percent) } }
                        }
                    }
                }
                (form_refusal(lang, mine, "rates", &|f| RATE_FIELDS.contains(&f)))
                form.edit.rate-form method="post" action=(format!("/parametres/interets/{}/taux", x.id)) onsubmit=(once::ONSUBMIT) {
                    (csrf::hidden(user.csrf())) (key)
                    h3 { (t(lang, M::AddRate)) }
                    div.rate-grid {
                        (rate_input(RATE_FIELDS[0], t(lang, M::From), Some(t(lang, Msg::DateInputHint))))
                        (rate_input(RATE_FIELDS[1], t(lang, M::ReferencePercent), None))
                        (rate_input(RATE_FIELDS[2], t(lang, M::MarginPercent), None))
                        button type="submit" { (t(lang, M::AddRateButton)) }
                    }
                }
            }
        });
    }
    let body = html! {
        (crumbs(lang, &[("/parametres/relances", t(lang, M::PoliciesTitle).to_string()), ("", title.to_string())]))
        h1 { (title) }
        (notices(lang, done, again))
        p.intro { (t(lang, M::InterestIntro)) }
        (form_refusal(lang, preset_problem, "preset", &|f| f == "preset"))
        form.edit #preset-form method="post" action="/parametres/interets/modele" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf())) (preset_key)
            div.field.invalid[preset_error.is_some()] {
                label for="f-preset" { (t(lang, M::Preset)) }
                select #f-preset name="preset" aria-describedby="preset-error" {
                    @for p in presets.iter() { option value=(p.code) { (p.name) " (" (p.code) ")" } }
                }
                (field_error("preset-error", &preset_error))
            }
            button.primary #create-preset type="submit" { (t(lang, M::CreateFromPreset)) }
        }
        @if tables.is_empty() { p.empty #no-tables { (t(lang, M::NoTables)) } }
        @for s in &sections { (s) }
    };
    Ok(page(user, Tab::Settings, title, body))
}

/// The page again with a refusal (422 or 409).
async fn refused(
    app: &App,
    user: &WebUser,
    on: RefusedForm,
    problem: &Problem,
    typed: &[(String, String)],
) -> Result<Outcome, WebError> {
    let tables = app.interest_tables(user.company_id()).await?;
    let page = interest_page(user, &tables, (None, false), Some((on, problem)), typed)?;
    Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
}

/// `POST /parametres/interets/modele` (`preset`): a table from a preset, under the preset's code.
pub async fn from_preset(
    State(app): State<App>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    let preset = field(&form, "preset").unwrap_or("").trim().to_string();
    once::run(&app, &user, "/parametres/interets/modele", &form, || async {
        match app.create_interest_preset(&user.actor(), user.company_id(), &preset).await {
            Ok(_) => Ok(Outcome::Done("/parametres/interets?done=preset".into())),
            Err(e) => refused(&app, &user, RefusedForm::Preset, &Problem::of(lang, "preset", e)?, &form).await,
        }
    })
    .await
}

/// `POST /parametres/interets/{id}/taux` (`rates[0].from` in the user's date format,
/// `rates[0].reference_percent`, `rates[0].margin_percent`): a rate period added (or replaced, for
/// the same start date).
pub async fn add_rates(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    let text = |name: &str| field(&form, name).unwrap_or("").trim().to_string();
    let path = format!("/parametres/interets/{id}/taux");
    once::run(&app, &user, &path, &form, || async {
        let from = match Date::parse(&text(RATE_FIELDS[0])) {
            Ok(d) => d,
            Err(e) => {
                let problem = Problem::of(lang, "rates", AppError::invalid_said(RATE_FIELDS[0], e))?;
                return refused(&app, &user, RefusedForm::Rates(id), &problem, &form).await;
            }
        };
        let row = RateRow { from, reference_percent: text(RATE_FIELDS[1]), margin_percent: text(RATE_FIELDS[2]) };
        match app.add_interest_rates(&user.actor(), user.company_id(), id, &[row]).await {
            Ok(x) => Ok(Outcome::Done(format!("/parametres/interets?done=rates#table-{}", x.code))),
            Err(e @ AppError::NotFound { .. }) => Err(super::page_error(lang, e)),
            Err(e) => refused(&app, &user, RefusedForm::Rates(id), &Problem::of(lang, "rates", e)?, &form).await,
        }
    })
    .await
}
