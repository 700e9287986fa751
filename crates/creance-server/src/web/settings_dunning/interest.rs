//! Late-interest rate tables (SPEC §4.7): each with its reference, day count, grace days, fixed
//! indemnity and dated rate periods; a table created from a preset (France B2B, Germany B2B,
//! Switzerland, EU directive) through `App::create_interest_preset`, or a free one with its first
//! rate period through `App::create_interest_table` (the API's `POST /api/v1/interest-tables` and
//! its field names), and a rate period added to a table — the next half-year's reference rate —
//! through `App::add_interest_rates` (one on an existing start date replaces it). No use case edits
//! or deletes a rate period otherwise, so the page offers neither.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::policy_json::InterestTableDoc;
use creance_app::views::dunning::{InterestTable, RateRow};
use creance_app::{App, AppError};
use creance_core::interest::DayCount;
use creance_core::{Currency, Date, Money};
use maud::{html, Markup};
use serde::Deserialize;

use crate::web::form::{form_field, FormField, Input};
use creance_core::Language;

use super::messages::M;
use super::{admin, crumbs, error_for, field, field_error, form_refusal, notices, Problem};
use crate::web::format::{amount, count, date};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

const RATE_FIELDS: [&str; 3] = ["rates[0].from", "rates[0].reference_percent", "rates[0].margin_percent"];

/// The fields of a free table's form (its first rate period's are [`RATE_FIELDS`]).
const TABLE_FIELDS: [&str; 7] =
    ["code", "name", "reference_name", "day_count", "grace_days", "indemnity", "indemnity_currency"];

#[derive(Deserialize, Default)]
pub struct InterestQuery {
    done: Option<String>,
    again: Option<String>,
}

/// The form a refusal is about: the preset's, the free table's, or a table's rate form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RefusedForm {
    Preset,
    Table,
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
        Some("table") => Some(M::DoneTable),
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
        let rate_input = |name: &str, label: &str| {
            let id = format!("t{}-{}", x.id, super::input_id(name));
            let typed = value(name);
            let f = FormField::new(&id, name, label, &typed).input(rate_kind(name));
            typed_input(lang, f, error_for(mine, "rates", name))
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
                        (rate_input(RATE_FIELDS[0], t(lang, M::From)))
                        (rate_input(RATE_FIELDS[1], t(lang, M::ReferencePercent)))
                        (rate_input(RATE_FIELDS[2], t(lang, M::MarginPercent)))
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
        @if tables.is_empty() { p.empty #no-tables { (t(lang, M::NoTables)) } } @else { p.hint #rates-kept { (t(lang, M::RatesKept)) } }
        @for s in &sections { (s) }
        (table_form(user, problem.filter(|(f, _)| *f == RefusedForm::Table).map(|(_, p)| p), typed)?)
    };
    Ok(page(user, Tab::Settings, title, body))
}

/// `f` with its refusal, and a date's format as its placeholder.
fn typed_input(lang: Language, f: FormField, error: Option<String>) -> Markup {
    let placeholder = (f.input == Input::Date).then(|| t(lang, Msg::DateInputHint));
    form_field(&FormField { placeholder, ..f.error(error.as_deref()) })
}

/// What a rate field holds: the start date, or a percentage.
fn rate_kind(name: &str) -> Input {
    if name == RATE_FIELDS[0] {
        Input::Date
    } else {
        Input::Decimal
    }
}

/// The free table's form: what `POST /api/v1/interest-tables` takes, with its first rate period.
fn table_form(user: &WebUser, problem: Option<&Problem>, typed: &[(String, String)]) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let value = |name: &str| match (problem, field(typed, name)) {
        (Some(_), Some(v)) => v.to_string(),
        _ => match name {
            "grace_days" => "0".to_string(),
            "indemnity_currency" => "EUR".to_string(),
            _ => String::new(),
        },
    };
    let input = |name: &str, label: &str, input: Input, hint: Option<&str>| {
        let id = super::input_id(&format!("new.{name}"));
        let typed = value(name);
        let f = FormField::new(&id, name, label, &typed).input(input).hint(hint);
        typed_input(lang, f, error_for(problem, "table", name))
    };
    let day_count_error = error_for(problem, "table", "day_count");
    let shown = |f: &str| TABLE_FIELDS.contains(&f) || RATE_FIELDS.contains(&f);
    Ok(html! {
        section #new-table aria-labelledby="new-table-h" {
            h2 #new-table-h { (t(lang, M::NewTable)) }
            p.hint { (t(lang, M::NewTableIntro)) }
            (form_refusal(lang, problem, "table", &shown))
            form.edit #table-form method="post" action="/parametres/interets" onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf())) (key)
                div.form-grid {
                    (input("code", t(lang, M::Code), Input::Text, None))
                    (input("name", t(lang, M::Name), Input::Text, None))
                    (input("reference_name", t(lang, M::ReferenceName), Input::Text, Some(t(lang, M::ReferenceNameHint))))
                    div.field.invalid[day_count_error.is_some()] {
                        label for="f-new-day_count" { (t(lang, M::DayCount)) }
                        select #f-new-day_count name="day_count" aria-describedby="f-new-day_count-error" {
                            option value="actual_365" selected[value("day_count") != "actual_360"] { (t(lang, M::Actual365)) }
                            option value="actual_360" selected[value("day_count") == "actual_360"] { (t(lang, M::Actual360)) }
                        }
                        (field_error("f-new-day_count-error", &day_count_error))
                    }
                    (input("grace_days", t(lang, M::GraceDays), Input::Number, None))
                    (input("indemnity", t(lang, M::TableIndemnity), Input::Decimal, None))
                    (input("indemnity_currency", t(lang, M::IndemnityCurrency), Input::Text, None))
                }
                h3 { (t(lang, M::FirstRate)) }
                div.rate-grid {
                    (input(RATE_FIELDS[0], t(lang, M::From), Input::Date, None))
                    (input(RATE_FIELDS[1], t(lang, M::ReferencePercent), Input::Decimal, None))
                    (input(RATE_FIELDS[2], t(lang, M::MarginPercent), Input::Decimal, None))
                }
                button.primary #create-table type="submit" { (t(lang, M::CreateTable)) }
            }
        }
    })
}

/// The table a posted free-table form asks for, as the API reads it; a field the page cannot read
/// (a date, a whole number) is refused naming it.
fn table_doc(form: &[(String, String)]) -> Result<InterestTableDoc, AppError> {
    let text = |name: &str| field(form, name).unwrap_or("").trim().to_string();
    let from = Date::parse(&text(RATE_FIELDS[0])).map_err(|e| AppError::invalid_said(RATE_FIELDS[0], e))?;
    let grace_days = creance_app::query_args::int("grace_days", &Some(text("grace_days")))?.unwrap_or(0);
    let indemnity = Some(text("indemnity")).filter(|s| !s.is_empty());
    Ok(InterestTableDoc {
        code: text("code"),
        name: text("name"),
        reference_name: text("reference_name"),
        day_count: Some(text("day_count")).filter(|s| !s.is_empty()),
        grace_days,
        indemnity: indemnity.as_deref().map(Into::into),
        indemnity_currency: Some(text("indemnity_currency")).filter(|s| !s.is_empty()),
        rates: vec![RateRow { from, reference_percent: text(RATE_FIELDS[1]), margin_percent: text(RATE_FIELDS[2]) }],
    })
}

/// `POST /parametres/interets`: a free table with its first rate period (303 to the list), or the
/// page again with the refusal next to its field.
pub async fn create_table(
    State(app): State<App>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    once::run(&app, &user, "/parametres/interets", &form, || async {
        let created = match table_doc(&form).and_then(|doc| doc.to_input()) {
            Ok(input) => app.create_interest_table(&user.actor(), user.company_id(), &input).await,
            Err(e) => Err(e),
        };
        match created {
            Ok(x) => Ok(Outcome::Done(format!("/parametres/interets?done=table#table-{}", x.code))),
            Err(e) => refused(&app, &user, RefusedForm::Table, &Problem::of(lang, "table", e)?, &form).await,
        }
    })
    .await
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
