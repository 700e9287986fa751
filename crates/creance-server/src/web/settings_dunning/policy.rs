//! One dunning policy with its levels, edited in one form (SPEC §4.6): name, currency, minimum,
//! payment days, rate table and interest minimum, the three switches, and per level its delay,
//! minimum, fee (none, fixed, or a percentage with its bounds), interest, indemnity and channel. The
//! form's field names are the policy's field paths (`levels[1].delay_days`), so the refusal of
//! `App::save_dunning_policy_doc` lands next to its input. `?levels=N` shows N levels (the added
//! ones blank; the texts of the levels taken away are dropped when it is saved).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::policy_json::{LevelDoc, PolicyDoc, PolicyView};
use creance_app::views::dunning::InterestTable;
use creance_app::App;
use creance_core::{AmountText, Currency, Language};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::policies::text_language;
use super::{admin, crumbs, error_for, field, field_error, form_refusal, input_id, notices, page_error, Problem};
use crate::web::i18n::{t, tf};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

/// The most levels the form shows.
const LEVELS_MAX: usize = 20;

/// The policy's own fields, as the API names them.
const POLICY_FIELDS: [&str; 9] = [
    "name",
    "currency",
    "min_amount",
    "payment_days",
    "interest_table_id",
    "interest_min",
    "list_not_due",
    "allow_skip",
    "repeat_last",
];

/// A level's fields, as the API names them after `levels[i].`.
const LEVEL_FIELDS: [&str; 10] = [
    "delay_days",
    "min_amount",
    "fee_kind",
    "fee_amount",
    "fee_percent",
    "fee_min",
    "fee_max",
    "interest",
    "indemnity",
    "channel",
];

#[derive(Deserialize, Default)]
pub struct PolicyQuery {
    levels: Option<usize>,
    done: Option<String>,
    again: Option<String>,
}

/// The policy `id` as shown, or a 404 page.
pub(super) async fn load(app: &App, user: &WebUser, id: i64) -> Result<PolicyView, WebError> {
    let lang = user.lang();
    app.dunning_policies(user.company_id()).await?.iter().find(|p| p.id == id).map(PolicyView::from).ok_or_else(|| {
        page_error(lang, creance_app::AppError::NotFound { entity: "dunning policy", key: id.to_string() })
    })
}

/// The stored policy as the form's fields (a switch is present when on).
fn typed_of(p: &PolicyView) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![
        ("name".into(), p.name.clone()),
        ("currency".into(), p.currency.code().to_string()),
        ("min_amount".into(), p.min_amount.clone()),
        ("payment_days".into(), p.payment_days.to_string()),
        ("interest_table_id".into(), p.interest_table_id.map(|i| i.to_string()).unwrap_or_default()),
        ("interest_min".into(), p.interest_min.clone()),
    ];
    for (name, on) in [("list_not_due", p.list_not_due), ("allow_skip", p.allow_skip), ("repeat_last", p.repeat_last)] {
        if on {
            v.push((name.into(), "true".into()));
        }
    }
    for (i, l) in p.levels.iter().enumerate() {
        let f = |name: &str| format!("levels[{i}].{name}");
        v.push((f("delay_days"), l.delay_days.to_string()));
        v.push((f("min_amount"), l.min_amount.clone()));
        v.push((f("fee_kind"), l.fee_kind.clone()));
        v.push((f("fee_amount"), l.fee_amount.clone()));
        v.push((f("fee_percent"), l.fee_percent.clone()));
        v.push((f("fee_min"), l.fee_min.clone()));
        v.push((f("fee_max"), l.fee_max.clone().unwrap_or_default()));
        v.push((f("channel"), l.channel.clone()));
        for (name, on) in [("interest", l.interest), ("indemnity", l.indemnity)] {
            if on {
                v.push((f(name), "true".into()));
            }
        }
    }
    v
}

/// How many levels a posted form holds.
fn levels_in(form: &[(String, String)]) -> usize {
    (0..LEVELS_MAX).take_while(|i| field(form, &format!("levels[{i}].delay_days")).is_some()).count()
}

/// `GET /parametres/relances/{id}` (`?levels=N`).
pub async fn policy(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<PolicyQuery>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let p = load(&app, &user, id).await?;
    let tables = app.interest_tables(user.company_id()).await?;
    let levels = q.levels.unwrap_or(p.levels.len()).clamp(1, LEVELS_MAX);
    let done = q.done.is_some().then_some(M::DonePolicy);
    let page = policy_page(&user, &p, &tables, &typed_of(&p), levels, (done, q.again.is_some()), None)?;
    Ok(html(page).into_response())
}

/// A form field's markup: a text input, a whole number, a switch or a choice.
enum Kind<'a> {
    Text,
    Amount,
    Days,
    Switch,
    Choice(Vec<(String, &'a str)>),
}

fn input(typed: &[(String, String)], problem: Option<&Problem>, name: &str, label: &str, kind: Kind) -> Markup {
    let error = error_for(problem, "policy", name);
    let id = input_id(name);
    let error_id = format!("{id}-error");
    let value = field(typed, name).unwrap_or("");
    let invalid = error.as_ref().map(|_| "true");
    let mode = match kind {
        Kind::Days => Some("numeric"),
        Kind::Amount => Some("decimal"),
        _ => None,
    };
    let switch = matches!(kind, Kind::Switch);
    html! {
        div.field.invalid[error.is_some()] .switch[switch] {
            @match kind {
                Kind::Switch => {
                    input id=(id) type="checkbox" name=(name) value="true" checked[!value.is_empty()]
                        aria-describedby=(error_id) aria-invalid=[invalid];
                    label for=(id) { (label) }
                }
                Kind::Choice(options) => {
                    label for=(id) { (label) }
                    select id=(id) name=(name) aria-describedby=(error_id) aria-invalid=[invalid] {
                        @for (v, text) in &options { option value=(v) selected[v == value] { (text) } }
                    }
                }
                Kind::Text | Kind::Amount | Kind::Days => {
                    label for=(id) { (label) }
                    input id=(id) type="text" name=(name) value=(value) aria-describedby=(error_id) aria-invalid=[invalid]
                        inputmode=[mode] .num[mode.is_some()];
                }
            }
            (field_error(&error_id, &error))
        }
    }
}

fn policy_page(
    user: &WebUser,
    p: &PolicyView,
    tables: &[InterestTable],
    typed: &[(String, String)],
    levels: usize,
    (done, again): (Option<M>, bool),
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let title = tf(lang, M::PolicyTitle, &[&p.code]);
    let i = |name: &str, label: M, kind: Kind| input(typed, problem, name, t(lang, label), kind);
    let mut table_options = vec![(String::new(), t(lang, M::NoInterestTable))];
    for x in tables {
        table_options.push((x.id.to_string(), x.name.as_str()));
    }
    let fee_kinds = || {
        vec![
            ("none".to_string(), t(lang, M::FeeNone)),
            ("fixed".to_string(), t(lang, M::FeeFixed)),
            ("percent".to_string(), t(lang, M::FeePercentKind)),
        ]
    };
    let channels =
        || vec![("letter".to_string(), t(lang, M::ChannelLetter)), ("email".to_string(), t(lang, M::ChannelEmail))];
    let shown = |f: &str| {
        POLICY_FIELDS.contains(&f)
            || f.strip_prefix("levels[")
                .and_then(|r| r.split_once("]."))
                .is_some_and(|(n, name)| n.parse::<usize>().is_ok_and(|n| n < levels) && LEVEL_FIELDS.contains(&name))
    };
    let base = format!("/parametres/relances/{}", p.id);
    let body = html! {
        (crumbs(lang, &[("/parametres/relances", t(lang, M::PoliciesTitle).to_string()), ("", p.code.clone())]))
        h1 { (title) @if p.is_default { " " strong.badge { (t(lang, M::IsDefault)) } } }
        (notices(lang, done, again))
        p.intro { (t(lang, M::PolicyIntro)) }
        (form_refusal(lang, problem, "policy", &shown))
        form.edit #policy-form method="post" action=(base) onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf())) (key)
            fieldset.policy-grid {
                legend { (t(lang, M::PolicySettings)) }
                (i("name", M::Name, Kind::Text))
                (i("currency", M::Currency, Kind::Text))
                (i("min_amount", M::PolicyMinAmount, Kind::Amount))
                (i("payment_days", M::PaymentDays, Kind::Days))
                (i("interest_table_id", M::InterestTable, Kind::Choice(table_options)))
                (i("interest_min", M::InterestMin, Kind::Amount))
                (i("list_not_due", M::ListNotDue, Kind::Switch))
                (i("allow_skip", M::AllowSkip, Kind::Switch))
                (i("repeat_last", M::RepeatLast, Kind::Switch))
            }
            div.levels-grid {
                @for n in 0..levels {
                    @let f = |name: &str| format!("levels[{n}].{name}");
                    fieldset.level #(format!("level-{}", n + 1)) {
                        legend { (tf(lang, M::LevelN, &[&(n + 1).to_string()])) }
                        (i(&f("delay_days"), if n == 0 { M::DelayFirst } else { M::DelayNext }, Kind::Days))
                        (i(&f("min_amount"), M::LevelMinAmount, Kind::Amount))
                        (i(&f("fee_kind"), M::FeeKind, Kind::Choice(fee_kinds())))
                        (i(&f("fee_amount"), M::FeeAmount, Kind::Amount))
                        (i(&f("fee_percent"), M::FeePercent, Kind::Amount))
                        (i(&f("fee_min"), M::FeeMin, Kind::Amount))
                        (i(&f("fee_max"), M::FeeMax, Kind::Amount))
                        (i(&f("channel"), M::Channel, Kind::Choice(channels())))
                        (i(&f("interest"), M::Interest, Kind::Switch))
                        (i(&f("indemnity"), M::Indemnity, Kind::Switch))
                        @if n < p.levels.len() {
                            p.texts-link { a href=(format!("{base}/textes?level={}&language={}", n + 1, text_language(lang))) { (t(lang, M::LevelTexts)) } }
                        }
                    }
                }
            }
            p.hint #amounts-hint { (tf(lang, M::AmountsHint, &[p.currency.code()])) }
            div.actions {
                button.primary #save-policy type="submit" { (t(lang, M::SavePolicy)) }
                a #add-level href=(format!("{base}?levels={}", levels + 1)) { (t(lang, M::AddLevel)) }
                @if levels > 1 { a #remove-level href=(format!("{base}?levels={}", levels - 1)) { (t(lang, M::RemoveLevel)) } }
            }
        }
    };
    Ok(page(user, Tab::Settings, &title, body))
}

/// The posted form as the API's policy document; a field the page cannot read (a delay that is
/// not a whole number, a currency code that is none) is its own problem.
fn doc_of(lang: Language, stored: &PolicyView, form: &[(String, String)]) -> Result<PolicyDoc, Problem> {
    let text = |name: &str| field(form, name).unwrap_or("").trim().to_string();
    let amount = |name: &str| Some(text(name)).filter(|v| !v.is_empty()).map(AmountText::from);
    let on = |name: &str| field(form, name).is_some();
    let whole = |name: &str| -> Result<i64, Problem> {
        let v = text(name);
        v.parse::<i64>().map_err(|_| Problem::field("policy", name, tf(lang, M::NotWholeNumber, &[&v])))
    };
    let currency = Currency::parse(&text("currency"))
        .map_err(|_| Problem::field("policy", "currency", tf(lang, M::NotACurrency, &[&text("currency")])))?;
    let count = levels_in(form);
    let mut levels = Vec::with_capacity(count);
    for n in 0..count {
        let f = |name: &str| format!("levels[{n}].{name}");
        levels.push(LevelDoc {
            level: n as i64 + 1,
            delay_days: whole(&f("delay_days"))?,
            min_amount: amount(&f("min_amount")),
            fee_kind: Some(text(&f("fee_kind"))).filter(|v| !v.is_empty()),
            fee_amount: amount(&f("fee_amount")),
            fee_percent: Some(text(&f("fee_percent"))).filter(|v| !v.is_empty()),
            fee_min: amount(&f("fee_min")),
            fee_max: amount(&f("fee_max")),
            interest: on(&f("interest")),
            indemnity: on(&f("indemnity")),
            channel: Some(text(&f("channel"))).filter(|v| !v.is_empty()),
        });
    }
    let table = text("interest_table_id");
    Ok(PolicyDoc {
        code: stored.code.clone(),
        name: text("name"),
        currency,
        min_amount: amount("min_amount"),
        list_not_due: on("list_not_due"),
        allow_skip: on("allow_skip"),
        repeat_last: on("repeat_last"),
        payment_days: Some(whole("payment_days")?),
        interest_table_id: if table.is_empty() { None } else { Some(whole("interest_table_id")?) },
        interest_min: amount("interest_min"),
        levels,
        // The texts stay; those of a level taken away go with it.
        texts: stored.texts.iter().filter(|x| x.level >= 1 && x.level <= count as i64).cloned().collect(),
    })
}

/// `POST /parametres/relances/{id}`: saves the policy (303 to its page), or shows the form again
/// with the refusal next to its field (422) and nothing saved.
pub async fn save_policy(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    let stored = load(&app, &user, id).await?;
    let path = format!("/parametres/relances/{id}");
    once::run(&app, &user, &path, &form, || async {
        let saved = match doc_of(lang, &stored, &form) {
            Ok(doc) => match app.save_dunning_policy_doc(&user.actor(), user.company_id(), &doc).await {
                Ok(_) => return Ok(Outcome::Done(format!("{path}?done=1"))),
                Err(e) => Problem::of(lang, "policy", e)?,
            },
            Err(problem) => problem,
        };
        let tables = app.interest_tables(user.company_id()).await?;
        let levels = levels_in(&form).max(1);
        let page = policy_page(&user, &stored, &tables, &form, levels, (None, false), Some(&saved))?;
        Ok(Outcome::Refused((saved.status(), html(page)).into_response()))
    })
    .await
}
