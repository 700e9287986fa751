//! The dunning history per payer and per installment (seed 002: "visualiser les dates des relances
//! de chaque niveau"; SPEC §4.6): every level and date, with the letter, its channel and its delivery
//! status, newest first, [`PAGE_SIZE`] a page without a count ("newer" / "older" links, as the audit
//! log; `App::dunning_history_page`); and the reminder made outside Créance with a past date (seed
//! 002's "…" button, `App::record_external_reminder`), so that the next level becomes possible.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::RecordExternal;
use creance_app::queries::Page;
use creance_app::{App, AppError};
use creance_core::dunning::ExternalChannel;
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{
    done_text, error_for, field, field_error, form_refusal, notices, opt, page_error, words, writer, Problem, PAGE_SIZE,
};
use crate::web::format::{count, date};
use crate::web::i18n::{t, tf, words as shared, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct HistoryQuery {
    customer_id: Option<String>,
    installment_id: Option<String>,
    /// The first row shown (a bad one is the first page).
    offset: Option<String>,
    done: Option<String>,
    again: Option<String>,
}

fn id_of(lang: creance_core::Language, name: &str, v: &Option<String>) -> Result<Option<i64>, WebError> {
    creance_app::query_args::int(name, v).map_err(|e| page_error(lang, e))
}

/// `GET /relances/historique?customer_id=` (as customer or payer) or `?installment_id=`.
pub async fn history(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let company = user.company_id();
    let customer = id_of(lang, "customer_id", &q.customer_id)?;
    let installment = id_of(lang, "installment_id", &q.installment_id)?;
    if customer.is_none() && installment.is_none() {
        return Err(WebError::App(AppError::invalid("customer_id", "give customer_id or installment_id")));
    }
    let offset = q.offset.as_deref().and_then(|o| o.trim().parse::<i64>().ok()).unwrap_or(0).max(0);
    let page_of = Page::new(Some(PAGE_SIZE), Some(offset))?;
    let listed =
        app.dunning_history_page(company, customer, installment, page_of).await.map_err(|e| page_error(lang, e))?;
    let entries = &listed.items;
    let scope = match (customer, installment) {
        (Some(c), _) => format!("customer_id={c}"),
        (None, Some(i)) => format!("installment_id={i}"),
        (None, None) => String::new(),
    };
    let link = |offset: i64| format!("/relances/historique?{scope}&offset={offset}");
    let title = match (customer, installment) {
        (Some(c), _) => {
            let c = app.customer(company, c).await.map_err(|e| page_error(lang, e))?;
            tf(lang, M::HistoryTitle, &[&c.fields.number, &c.fields.name])
        }
        (None, Some(i)) => {
            let doc = entries.first().map(|e| format!(" · {}", e.document_number)).unwrap_or_default();
            format!("{}{doc}", tf(lang, M::HistoryOfInstallment, &[&i.to_string()]))
        }
        (None, None) => String::new(),
    };
    let record_href = match (installment, customer) {
        (Some(i), _) => format!("/relances/relance-externe?installment_id={i}"),
        _ => "/relances/relance-externe".to_string(),
    };
    let write = user.can_write();
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › " (t(lang, M::History)) }
        div.page-head {
            h1 { (title) }
            @if write { div.actions { a.button #record-external href=(record_href) { (t(lang, M::RecordExternal)) } } }
        }
        (notices(lang, done_text(lang, q.done.as_deref()), q.again.is_some()))
        p.hint { (t(lang, M::HistoryIntro)) }
        @if entries.is_empty() && listed.offset == 0 { p.empty #no-history { (t(lang, M::NoHistory)) } } @else {
            table.list #history {
                thead { tr {
                    th.num { (t(lang, Msg::Date)) } th.num { (t(lang, Msg::Level)) } th { (t(lang, M::Installment)) }
                    th { (t(lang, M::Source)) } th { (t(lang, M::LetterNumber)) } th { (t(lang, M::Channel)) }
                    th { (t(lang, Msg::Status)) } th { (t(lang, M::Delivery)) } th { (t(lang, M::Note)) }
                    @if write { th { span.visually-hidden { (t(lang, M::RecordExternal)) } } }
                } }
                tbody { @for h in entries { tr data-installment=(h.installment_id) data-level=(h.level) {
                    td.num { (date(h.date, lang)) }
                    td.num { (h.level) }
                    td { a href=(format!("/relances/historique?installment_id={}", h.installment_id)) { (h.document_number) } }
                    td { (shared::history_source(lang, h.source)) }
                    td { @if let (Some(id), Some(n)) = (h.letter_id, &h.letter_number) { a href=(format!("/relances/lettres/{id}")) { (n) } } }
                    td { (shared::channel(lang, h.channel)) }
                    td { (shared::history_status(lang, h.status)) }
                    td { (h.delivery_status.map(|s| words::delivery_status(lang, s)).unwrap_or("")) }
                    td { (h.note) }
                    @if write { td {
                        a.more href=(format!("/relances/relance-externe?installment_id={}", h.installment_id))
                            title=(t(lang, M::RecordExternal)) aria-label=(format!("{} {}", t(lang, M::RecordExternal), h.document_number)) {
                            (t(lang, M::RecordExternalShort))
                        }
                    } }
                } } }
            }
            @if listed.offset > 0 || listed.more { nav.pager #history-pager {
                @if listed.offset > 0 { a rel="prev" href=(link((listed.offset - PAGE_SIZE).max(0))) { "← " (t(lang, M::Newer)) } }
                span { (tf(lang, Msg::PageFrom, &[&count(listed.offset + 1, lang), &count(listed.offset + entries.len() as i64, lang)])) }
                @if listed.more { a rel="next" href=(link(listed.offset + PAGE_SIZE)) { (t(lang, M::Older)) " →" } }
            } }
        }
    };
    Ok(html(page(&user, Tab::Dunning, &title, body)).into_response())
}

const FIELDS: [&str; 8] = ["installment_id", "document_number", "level", "date", "channel", "note", "force", "reason"];

#[derive(Deserialize, Default)]
pub struct ExternalQuery {
    installment_id: Option<String>,
    document_number: Option<String>,
}

/// `GET /relances/relance-externe` (`?installment_id=` or `?document_number=`; clerk or admin).
pub async fn external_form(user: WebUser, Query(q): Query<ExternalQuery>) -> Result<Response, WebError> {
    writer(&user)?;
    let mut typed = vec![("channel".to_string(), "phone".to_string())];
    if let Some(i) = q.installment_id.filter(|v| !v.trim().is_empty()) {
        typed.push(("installment_id".into(), i));
    }
    if let Some(d) = q.document_number.filter(|v| !v.trim().is_empty()) {
        typed.push(("document_number".into(), d));
    }
    Ok(html(external_page(&user, &typed, None)?).into_response())
}

fn external_page(user: &WebUser, typed: &[(String, String)], problem: Option<&Problem>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let get = |name: &str| field(typed, name).unwrap_or("").to_string();
    let installment = get("installment_id");
    let input = |name: &str, label: &str, hint: &str, kind: &str| {
        let error = error_for(problem, "external", &[name]);
        let id = format!("field-{name}");
        let error_id = format!("{name}-error");
        html! {
            div.field.invalid[error.is_some()] {
                label for=(id) { (label) }
                @if kind == "date" {
                    input id=(id) type="text" name=(name) value=(get(name)) autocomplete="off"
                        placeholder=(t(lang, Msg::DateInputHint)) aria-describedby=(format!("{name}-hint {error_id}"))
                        aria-invalid=[error.as_ref().map(|_| "true")];
                } @else {
                    input id=(id) type=(kind) name=(name) value=(get(name)) aria-describedby=(format!("{name}-hint {error_id}"))
                        aria-invalid=[error.as_ref().map(|_| "true")];
                }
                @if !hint.is_empty() { span.hint id=(format!("{name}-hint")) { (hint) } }
                (field_error(&error_id, &error))
            }
        }
    };
    let channel_error = error_for(problem, "external", &["channel"]);
    let force_error = error_for(problem, "external", &["force"]);
    let installment_error = error_for(problem, "external", &["installment_id"]);
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › "
            @if !installment.is_empty() { a href=(format!("/relances/historique?installment_id={installment}")) { (t(lang, M::History)) } " › " }
            (t(lang, M::ExternalTitle)) }
        h1 { (t(lang, M::ExternalTitle)) }
        p.intro { (t(lang, M::ExternalIntro)) }
        (form_refusal(lang, problem, "external", &FIELDS))
        form.edit #external-form method="post" action="/relances/relance-externe" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf())) (key)
            @if installment.is_empty() {
                (input("document_number", t(lang, M::DocumentNumber), t(lang, M::DocumentNumberHint), "text"))
            } @else {
                input type="hidden" name="installment_id" value=(installment);
                p #external-installment { (t(lang, M::Installment)) " n° " (installment) }
                (field_error("installment_id-error", &installment_error))
            }
            div.form-grid {
                (input("level", t(lang, Msg::Level), "", "number"))
                (input("date", t(lang, M::ExternalDate), t(lang, M::ExternalDateHint), "date"))
                div.field.invalid[channel_error.is_some()] {
                    label for="field-channel" { (t(lang, M::Channel)) }
                    select #field-channel name="channel" aria-describedby="channel-error" {
                        @for c in ExternalChannel::ALL {
                            option value=(c.as_str()) selected[get("channel") == c.as_str()] { (shared::channel(lang, *c)) }
                        }
                    }
                    (field_error("channel-error", &channel_error))
                }
            }
            (input("note", t(lang, M::Note), "", "text"))
            label.choice { input #field-force type="checkbox" name="force" value="true" checked[get("force") == "true"]; " " (t(lang, M::ExternalForce)) }
            (input("reason", t(lang, M::SkipReason), t(lang, M::SkipHint), "text"))
            (field_error("force-error", &force_error))
            button.primary #record type="submit" { (t(lang, M::Record)) }
        }
    };
    Ok(page(user, Tab::Dunning, t(lang, M::ExternalTitle), body))
}

/// `POST /relances/relance-externe`: records the reminder; the installment's history (303), or the
/// form again with the refusal next to its field.
pub async fn record_external(
    State(app): State<App>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    let lang = user.lang();
    once::run(&app, &user, "/relances/relance-externe", &form, || async {
        let typed: Vec<(String, String)> = form.iter().filter(|(k, _)| FIELDS.contains(&k.as_str())).cloned().collect();
        let parsed = (|| -> Result<RecordExternal, AppError> {
            let level = creance_app::query_args::int("level", &opt(&form, "level"))?
                .ok_or_else(|| AppError::invalid("level", "a level is required"))?;
            Ok(RecordExternal {
                installment_id: creance_app::query_args::int("installment_id", &opt(&form, "installment_id"))?,
                document_number: opt(&form, "document_number"),
                level,
                date: field(&form, "date").unwrap_or("").trim().to_string(),
                channel: field(&form, "channel").unwrap_or("").to_string(),
                note: field(&form, "note").unwrap_or("").to_string(),
                force: field(&form, "force") == Some("true"),
                reason: field(&form, "reason").unwrap_or("").to_string(),
            })
        })();
        let result = match parsed {
            Ok(input) => app.record_external_reminder(&user.actor(), user.company_id(), &input, user.at.date()).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(r) => match r.installments.first() {
                Some(i) => Ok(Outcome::Done(format!("/relances/historique?installment_id={i}&done=recorded"))),
                None => Ok(Outcome::Done("/relances?done=recorded".into())),
            },
            Err(e) => {
                let problem = Problem::of(lang, "external", e)?;
                let page = external_page(&user, &typed, Some(&problem))?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}
