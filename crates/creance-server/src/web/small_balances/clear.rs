//! "Tout solder" (`/petits-soldes/tout-solder`): every group of an extraction cleared in one pass, as
//! `POST /api/v1/small-balances/clear` does it (`App::clear_small_balances`): the plan first — each
//! group with what the pass would do (re-bill on its contract, on the customer's only other active
//! contract, write off within the company's maximum) or why it leaves it — then, confirmed (sent once,
//! `web/once.rs`), the actions, one transaction per group; the page then shows what is left.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::said::Said;
use creance_app::small_balances::{ClearOutcome, ClearReport, ClearRequest};
use creance_app::{query_args, App, AppError, FieldError};
use creance_core::{Language, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::super::format::{amount, count};
use super::super::i18n::{t, tf, ui_language, Catalogue};
use super::super::layout::{page, Tab};
use super::super::once::{self, Outcome};
use super::super::reports::controls::{self, Input};
use super::super::{csrf, html, refusal, WebError, WebUser};

const PATH: &str = "/petits-soldes/tout-solder";
/// The extraction's criteria (the API's names).
const CRITERIA: [&str; 4] = ["threshold", "older_than_days", "currency", "customer_number"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum M {
    Title,
    Intro,
    Back,
    Criteria,
    Threshold,
    ThresholdHint,
    OlderThan,
    Currency,
    Customer,
    Show,
    Plan,
    Done,
    Truncated,
    Nothing,
    CustomerCol,
    Contract,
    Side,
    Debits,
    Credits,
    Items,
    Total,
    Outcome,
    OnContract,
    Why,
    Rebill,
    WriteOff,
    Left,
    Confirm,
    Date,
    DateHint,
    Reason,
    ReasonHint,
    Go,
}

impl Catalogue for M {
    fn pair(self) -> (&'static str, &'static str) {
        use M::*;
        match self {
            Title => ("Tout solder", "Clear everything"),
            Intro => (
                "Chaque groupe de l'extraction reçoit l'action qu'un chargé de recouvrement choisirait : refacturé sur son contrat en cours (ou sur le seul autre contrat en cours du client), passé en perte dans la limite de la société, ou laissé avec sa raison. Rien n'est fait avant la confirmation ; chaque groupe est soldé dans sa propre transaction.",
                "Each group of the extraction gets the action a credit controller would pick: re-billed on its running contract (or the customer's only other running contract), written off within the company's maximum, or left with its reason. Nothing is done before the confirmation; each group is settled in a transaction of its own.",
            ),
            Back => ("← Petits soldes", "← Small balances"),
            Criteria => ("Extraction", "Extraction"),
            Threshold => ("Seuil", "Threshold"),
            ThresholdHint => ("Vide : celui de la société.", "Empty: the company's."),
            OlderThan => ("Échus depuis plus de (jours)", "Overdue for more than (days)"),
            Currency => ("Devise", "Currency"),
            Customer => ("Client", "Customer"),
            Show => ("Voir le plan", "Show the plan"),
            Plan => (
                "Plan : {} refacturation(s), {} passage(s) en perte, {} groupe(s) laissé(s).",
                "Plan: {} re-bill(s), {} write-off(s), {} group(s) left.",
            ),
            Done => (
                "Fait : {} refacturation(s), {} passage(s) en perte ; {} groupe(s) laissé(s). Voici ce qui reste.",
                "Done: {} re-bill(s), {} write-off(s); {} group(s) left. Here is what remains.",
            ),
            Truncated => (
                "L'extraction a plus de pièces qu'une passe n'en traite : relancez la passe pour le reste.",
                "The extraction has more items than one pass takes: run the pass again for the rest.",
            ),
            Nothing => ("Aucun petit solde pour ces critères.", "No small balance for these criteria."),
            CustomerCol => ("Client", "Customer"),
            Contract => ("Contrat", "Contract"),
            Side => ("Sens", "Side"),
            Debits => ("dû par le client", "owed by the customer"),
            Credits => ("dû au client", "owed to the customer"),
            Items => ("Pièces", "Items"),
            Total => ("Total", "Total"),
            Outcome => ("Action", "Action"),
            OnContract => ("Sur le contrat", "On contract"),
            Why => ("Raison", "Reason"),
            Rebill => ("refacturer", "re-bill"),
            WriteOff => ("passer en perte", "write off"),
            Left => ("laisser", "leave"),
            Confirm => ("Confirmer", "Confirm"),
            Date => ("Date des actions", "Actions' date"),
            DateHint => ("JJ/MM/AAAA ; vide : aujourd'hui.", "DD/MM/YYYY; empty: today."),
            Reason => ("Motif", "Reason"),
            ReasonHint => ("Repris dans chaque action et son écriture.", "Kept with each action and its entry."),
            Go => ("Solder {} groupe(s)", "Settle {} group(s)"),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClearQuery {
    threshold: Option<String>,
    older_than_days: Option<String>,
    currency: Option<String>,
    customer_number: Option<String>,
    /// After a confirmed pass: `rebilled-written_off-left`.
    done: Option<String>,
    again: Option<String>,
}

impl ClearQuery {
    fn value(&self, name: &str) -> &str {
        let v = match name {
            "threshold" => &self.threshold,
            "older_than_days" => &self.older_than_days,
            "currency" => &self.currency,
            "customer_number" => &self.customer_number,
            _ => &None,
        };
        v.as_deref().unwrap_or("").trim()
    }

    fn of(pairs: &[(String, String)]) -> ClearQuery {
        let get = |n: &str| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        ClearQuery {
            threshold: get("threshold"),
            older_than_days: get("older_than_days"),
            currency: get("currency"),
            customer_number: get("customer_number"),
            done: None,
            again: None,
        }
    }

    fn request(&self, confirm: bool, date: Option<String>, reason: String) -> Result<ClearRequest, AppError> {
        let text = |n: &str| Some(self.value(n).to_string()).filter(|v| !v.is_empty());
        Ok(ClearRequest {
            threshold: text("threshold"),
            older_than_days: query_args::int("older_than_days", &self.older_than_days)?,
            currency: text("currency"),
            customer_number: text("customer_number"),
            confirm,
            date,
            reason,
        })
    }

    fn href(&self, done: Option<&ClearReport>) -> String {
        let mut p: Vec<(&str, String)> =
            CRITERIA.iter().map(|n| (*n, self.value(n).to_string())).filter(|(_, v)| !v.is_empty()).collect();
        if let Some(r) = done {
            p.push(("done", format!("{}-{}-{}", r.rebilled, r.written_off, r.left)));
        }
        controls::link(PATH, &p)
    }
}

fn outcome_word(lang: Language, o: ClearOutcome) -> &'static str {
    t(
        lang,
        match o {
            ClearOutcome::Rebill => M::Rebill,
            ClearOutcome::WriteOff => M::WriteOff,
            ClearOutcome::Left => M::Left,
        },
    )
}

/// Why a group is left, in the user's language when the refusal behind it said it as data.
fn reason_text(lang: Language, english: &str, said: Option<&Said>) -> String {
    match said {
        Some(said) if ui_language(lang) == Language::Fr => refusal::fr(said),
        _ => english.to_string(),
    }
}

struct Screen<'a> {
    q: &'a ClearQuery,
    plan: Option<&'a ClearReport>,
    /// A refused criterion or confirmation field.
    problem: Option<&'a FieldError>,
    /// What was typed in the confirmation form.
    date: &'a str,
    reason: &'a str,
}

fn screen(user: &WebUser, s: &Screen<'_>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let q = s.q;
    let f = |name: &str, label: M, hint: Option<M>, input: Input| {
        controls::field(lang, name, t(lang, label), q.value(name), hint.map(|h| t(lang, h)), input, s.problem)
    };
    let done: Option<Vec<String>> = q.done.as_deref().map(|d| d.split('-').map(str::to_string).collect());
    let key = once::hidden()?;
    Ok(html! {
        p { a href="/petits-soldes" { (t(lang, M::Back)) } }
        h1 { (t(lang, M::Title)) }
        p.intro { (t(lang, M::Intro)) }
        (once::notice(lang, q.again.is_some()))
        @if let Some(d) = done.as_ref().filter(|d| d.len() == 3) {
            p.notice #cleared role="status" { (tf(lang, M::Done, &[&d[0], &d[1], &d[2]])) }
        }
        form.filters #clear-filters method="get" action=(PATH) aria-label=(t(lang, M::Criteria)) {
            div.filter-grid {
                (f("threshold", M::Threshold, Some(M::ThresholdHint), Input::Text))
                (f("older_than_days", M::OlderThan, None, Input::Number))
                (f("currency", M::Currency, None, Input::Text))
                (f("customer_number", M::Customer, None, Input::Text))
                div.filter-actions.in-grid { button.primary #show-plan type="submit" { (t(lang, M::Show)) } }
            }
        }
        (controls::orphan_error(lang, s.problem, &["threshold", "older_than_days", "currency", "customer_number", "date", "reason"]))
        @if let Some(plan) = s.plan {
            @if plan.lines.is_empty() { p.empty { (t(lang, M::Nothing)) } } @else {
                p #plan-summary { strong { (tf(lang, M::Plan, &[&count(plan.rebilled as i64, lang), &count(plan.written_off as i64, lang), &count(plan.left as i64, lang)])) } }
                @if plan.truncated { p.notice { (t(lang, M::Truncated)) } }
                table.list #clear-plan {
                    thead { tr {
                        th { (t(lang, M::CustomerCol)) } th { (t(lang, M::Contract)) } th { (t(lang, M::Side)) }
                        th.num { (t(lang, M::Items)) } th.num { (t(lang, M::Total)) } th { (t(lang, M::Outcome)) }
                        th { (t(lang, M::OnContract)) } th { (t(lang, M::Why)) }
                    } }
                    tbody { @for l in &plan.lines { tr.left[l.outcome == ClearOutcome::Left] {
                        td { (l.customer_number) } td { (l.contract_number.as_deref().unwrap_or("—")) }
                        td { (t(lang, if l.credits { M::Credits } else { M::Debits })) }
                        td.num { (l.items) } td.num { (amount(l.total, lang)) }
                        td { (outcome_word(lang, l.outcome)) }
                        td { (l.on_contract_number.as_deref().unwrap_or("")) }
                        td { @if let Some(r) = &l.reason { (reason_text(lang, r, l.reason_said.as_deref())) } }
                    } } }
                }
                @let actionable = plan.rebilled + plan.written_off;
                @if actionable > 0 && user.role() >= Role::Clerk {
                    form.settings-form #clear-confirm method="post" action=(PATH) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf()))
                        (key)
                        @for n in CRITERIA { @if !q.value(n).is_empty() { input type="hidden" name=(n) value=(q.value(n)); } }
                        h2 { (t(lang, M::Confirm)) }
                        div.filter-grid {
                            (controls::field(lang, "date", t(lang, M::Date), s.date, Some(t(lang, M::DateHint)), Input::Date, s.problem))
                            (controls::field(lang, "reason", t(lang, M::Reason), s.reason, Some(t(lang, M::ReasonHint)), Input::Text, s.problem))
                        }
                        button.primary #clear-go type="submit" { (tf(lang, M::Go, &[&count(actionable as i64, lang)])) }
                    }
                }
            }
        }
    })
}

/// `GET /petits-soldes/tout-solder`: the plan for the criteria (nothing written).
pub async fn show(State(app): State<App>, user: WebUser, Query(q): Query<ClearQuery>) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let planned = match q.request(false, None, String::new()) {
        Ok(req) => app.clear_small_balances(&user.actor(), user.company_id(), &req, user.at.date()).await,
        Err(e) => Err(e),
    };
    let (status, plan, problem) = match planned {
        Ok(p) => (StatusCode::OK, Some(p), None),
        Err(AppError::Invalid(fe)) => (StatusCode::UNPROCESSABLE_ENTITY, None, Some(fe)),
        Err(e) => return Err(e.into()),
    };
    let body = screen(&user, &Screen { q: &q, plan: plan.as_ref(), problem: problem.as_ref(), date: "", reason: "" })?;
    Ok((status, html(page(&user, Tab::SmallBalances, t(user.lang(), M::Title), body))).into_response())
}

/// `POST /petits-soldes/tout-solder`: the pass, confirmed (sent once); then what is left.
pub async fn confirm(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let q = ClearQuery::of(&pairs);
    let field = |n: &str| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let (date, reason) = (field("date"), field("reason"));
    once::run(&app, &user, PATH, &pairs, || async {
        let done = match q.request(true, Some(date.clone()).filter(|d| !d.is_empty()), reason.clone()) {
            Ok(req) => app.clear_small_balances(&user.actor(), user.company_id(), &req, user.at.date()).await,
            Err(e) => Err(e),
        };
        match done {
            Ok(report) => Ok(Outcome::Done(q.href(Some(&report)))),
            Err(AppError::Invalid(fe)) => {
                let replan = q.request(false, None, String::new())?;
                let plan =
                    app.clear_small_balances(&user.actor(), user.company_id(), &replan, user.at.date()).await.ok();
                let s = Screen { q: &q, plan: plan.as_ref(), problem: Some(&fe), date: &date, reason: &reason };
                let body = screen(&user, &s)?;
                let page = page(&user, Tab::SmallBalances, t(user.lang(), M::Title), body);
                Ok(Outcome::Refused((StatusCode::UNPROCESSABLE_ENTITY, html(page)).into_response()))
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}
