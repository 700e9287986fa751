//! A proposal's selection screen (seed 003's "sélection des relances à effectuer", seed 002's
//! filters; SPEC §4.6): as-of date, customer number range, currency, documents dated up to, minimum
//! balance, days overdue, levels, policy, salesperson — the API's `Criteria`, field for field. Its
//! POST computes and saves the draft (`App::propose_dunning`) and opens its review; when nothing can
//! be dunned nothing is saved, and the screen lists the payers left out with their reason.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::{Criteria, Proposal};
use creance_app::views::dunning::Policy;
use creance_app::{App, AppError};
use maud::{html, Markup};

use super::messages::M;
use super::{error_for, field_error, form_refusal, opt, words, writer, Problem};
use crate::web::format::amount;
use crate::web::i18n::{t, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

/// The fields of the selection form, in the API's names.
const FIELDS: [&str; 11] = [
    "as_of",
    "customer_from",
    "customer_to",
    "currency",
    "documents_to",
    "min_balance",
    "days_overdue_min",
    "days_overdue_max",
    "levels",
    "policy",
    "salesperson",
];

/// What the form carried, to show it again.
#[derive(Default)]
struct Typed {
    values: Vec<(String, String)>,
}

impl Typed {
    fn get(&self, name: &str) -> &str {
        self.values.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    fn has_level(&self, level: i64) -> bool {
        let l = level.to_string();
        self.values.iter().any(|(k, v)| k == "levels" && v.trim() == l)
    }
}

/// `GET /relances/propositions/nouvelle` (clerk or admin).
pub async fn new(State(app): State<App>, user: WebUser) -> Result<Response, WebError> {
    writer(&user)?;
    let policies = app.dunning_policies(user.company_id()).await?;
    let typed = Typed { values: vec![("as_of".into(), user.at.date().to_string())] };
    Ok(html(selection_page(&user, &policies, &typed, None, None)?).into_response())
}

/// The criteria a posted form gives (the app checks each; a number that is not one is refused here,
/// naming its field).
fn criteria_of(form: &[(String, String)]) -> Result<Criteria, AppError> {
    let int = |name: &str| creance_app::query_args::int(name, &opt(form, name));
    let mut levels = Vec::new();
    for (_, v) in form.iter().filter(|(k, _)| k == "levels") {
        let l = v.trim().parse::<i64>().map_err(|_| AppError::invalid("levels", format!("{v:?} is not a level")))?;
        levels.push(l);
    }
    Ok(Criteria {
        as_of: opt(form, "as_of"),
        customer_from: opt(form, "customer_from"),
        customer_to: opt(form, "customer_to"),
        currency: opt(form, "currency").map(|c| c.to_uppercase()),
        documents_to: opt(form, "documents_to"),
        min_balance: opt(form, "min_balance").map(Into::into),
        policy: opt(form, "policy"),
        salesperson: opt(form, "salesperson"),
        levels: if levels.is_empty() { None } else { Some(levels) },
        days_overdue_min: int("days_overdue_min")?,
        days_overdue_max: int("days_overdue_max")?,
    })
}

/// `POST /relances/propositions` (clerk or admin): the draft's review (303), or the form again with
/// the refusal next to its field (422), or the left-out payers when nothing can be dunned.
pub async fn propose(
    State(app): State<App>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    let lang = user.lang();
    once::run(&app, &user, "/relances/propositions", &form, || async {
        let typed = Typed { values: form.iter().filter(|(k, _)| FIELDS.contains(&k.as_str())).cloned().collect() };
        let policies = app.dunning_policies(user.company_id()).await?;
        let result = match criteria_of(&form) {
            Ok(c) => app.propose_dunning(&user.actor(), user.company_id(), &c, user.at.date()).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(p) => match p.run_id() {
                Some(id) => Ok(Outcome::Done(format!("/relances/propositions/{id}"))),
                None => {
                    let page = selection_page(&user, &policies, &typed, None, Some(&p))?;
                    Ok(Outcome::Refused(html(page).into_response()))
                }
            },
            Err(e) => {
                let problem = Problem::of(lang, "selection", e)?;
                let page = selection_page(&user, &policies, &typed, Some(&problem), None)?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

/// One labelled input of the selection form.
fn input(name: &str, label: &str, hint: &str, kind: &str, typed: &Typed, problem: Option<&Problem>) -> Markup {
    let error = error_for(problem, "selection", &[name]);
    let id = format!("field-{name}");
    let error_id = format!("{name}-error");
    // A date is a text field in the user's format (the hint says which), as every date of the UI.
    let (kind, autocomplete) = if kind == "date" { ("text", Some("off")) } else { (kind, None) };
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            input id=(id) type=(kind) name=(name) value=(typed.get(name)) aria-describedby=(format!("{name}-hint {error_id}"))
                autocomplete=[autocomplete] aria-invalid=[error.as_ref().map(|_| "true")];
            @if !hint.is_empty() { span.hint id=(format!("{name}-hint")) { (hint) } }
            (field_error(&error_id, &error))
        }
    }
}

fn selection_page(
    user: &WebUser,
    policies: &[Policy],
    typed: &Typed,
    problem: Option<&Problem>,
    nothing: Option<&Proposal>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let max_level = policies.iter().flat_map(|p| p.levels.iter().map(|l| l.level)).max().unwrap_or(3);
    let levels_error = error_for(problem, "selection", &["levels"]);
    let policy_error = error_for(problem, "selection", &["policy"]);
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › " (t(lang, M::NewProposal)) }
        h1 { (t(lang, M::SelectionTitle)) }
        p.intro { (t(lang, M::SelectionIntro)) }
        @if let Some(p) = nothing {
            section.warning #nothing-to-dun aria-labelledby="left-out-h" {
                p role="status" { (t(lang, M::NothingToDun)) }
                h2 #left-out-h { (t(lang, M::LeftOutTitle)) }
                table.list #left-out {
                    thead { tr {
                        th { (t(lang, Msg::Payer)) } th.num { (t(lang, M::Overdue)) } th.num { (t(lang, M::CreditsCol)) }
                        th { (t(lang, M::Reason)) }
                    } }
                    tbody { @for l in &p.letters.items { tr {
                        td { (l.payer_number) " · " (l.payer_name) }
                        td.num { (amount(l.overdue_total, lang)) } td.num { (amount(l.credits_total, lang)) }
                        td { (words::reason(lang, &l.reason)) }
                    } } }
                }
            }
        }
        (form_refusal(lang, problem, "selection", &FIELDS))
        form.filters #selection method="post" action="/relances/propositions" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            div.form-grid {
                (input("as_of", t(lang, M::AsOf), t(lang, M::AsOfHint), "date", typed, problem))
                (input("documents_to", t(lang, M::DocumentsTo), t(lang, M::DocumentsToHint), "date", typed, problem))
                (input("customer_from", t(lang, M::CustomerFrom), t(lang, M::CustomerRangeHint), "text", typed, problem))
                (input("customer_to", t(lang, M::CustomerTo), "", "text", typed, problem))
                (input("currency", t(lang, Msg::Currency), t(lang, M::CurrencyHint), "text", typed, problem))
                (input("min_balance", t(lang, M::MinBalance), t(lang, M::MinBalanceHint), "text", typed, problem))
                (input("days_overdue_min", t(lang, M::DaysOverdueMin), t(lang, M::DaysOverdueHint), "number", typed, problem))
                (input("days_overdue_max", t(lang, M::DaysOverdueMax), "", "number", typed, problem))
                div.field.invalid[policy_error.is_some()] {
                    label for="field-policy" { (t(lang, M::Policy)) }
                    select #field-policy name="policy" aria-describedby="policy-error" {
                        option value="" { (t(lang, M::AnyPolicy)) }
                        @for p in policies {
                            option value=(p.code) selected[typed.get("policy") == p.code] { (p.name) " (" (p.code) ")" }
                        }
                    }
                    (field_error("policy-error", &policy_error))
                }
                (input("salesperson", t(lang, Msg::Salesperson), t(lang, M::SalespersonHint), "text", typed, problem))
                fieldset.field.invalid[levels_error.is_some()] aria-describedby="levels-hint levels-error" {
                    legend { (t(lang, M::Levels)) }
                    @for l in 1..=max_level {
                        label.choice {
                            input type="checkbox" name="levels" value=(l) id=(format!("field-levels-{l}")) checked[typed.has_level(l)];
                            " " (l)
                        }
                    }
                    span.hint #levels-hint { (t(lang, M::LevelsHint)) }
                    (field_error("levels-error", &levels_error))
                }
            }
            div.form-actions { button.primary #compute type="submit" { (t(lang, M::Compute)) } }
        }
    };
    Ok(page(user, Tab::Dunning, t(lang, M::SelectionTitle), body))
}
