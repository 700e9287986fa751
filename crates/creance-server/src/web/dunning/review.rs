//! A proposal's review screen (seed 003's "préparation des relances", seed 004's editable proposal;
//! SPEC §4.6): the payers' dashboard on top — payer, balance due, highest level, cumulative days
//! late, the letter to come and whether it goes by e-mail or post —, the selected payer's items
//! below, and every edit of a draft as a button or a small form (no right click): remove or restore
//! a payer, remove or restore an item, raise or lower the level (a skip asks for the reason), mark as
//! issued without sending, edit the texts (`texts.rs`), recompute, delete (after a confirmation that
//! says how many letters, installments and payers go); the left-out payers with their reason in
//! their own list; and the issue, after a confirmation that says how many letters, e-mails and
//! prints it makes. The selected letter's facts and totals are `letter::summary`, as on its page.
//! Each edit is one use case (`App::remove_dunning_letter`, …) in one transaction.

use std::future::Future;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::{ChangeLevel, LetterDetail, Proposal};
use creance_app::queries::Page;
use creance_app::views::dunning::Policy;
use creance_app::{App, AppError};
use creance_core::dunning::{ItemKind, ItemStatus, LetterStatus, RunStatus};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{
    done_text, error_for, field, field_error, form_refusal, notices, page_error, pager, words, writer, Problem,
    PAGE_SIZE,
};
use crate::web::format::{amount, count, date, opt_date, total};
use crate::web::i18n::{t, tf, Msg};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

#[derive(Deserialize, Default, Clone)]
pub struct ReviewQuery {
    /// Which letters: `draft` (the default of a draft), `removed`, `left_out`, `issued`, `withdrawn`.
    status: Option<String>,
    offset: Option<String>,
    /// The selected letter (its items below the dashboard).
    letter: Option<String>,
    done: Option<String>,
    again: Option<String>,
    /// After the issue: how many letters were issued and queued.
    issued: Option<i64>,
    queued: Option<i64>,
}

/// What the page shows: the list, its page, the selected letter.
#[derive(Clone, Default)]
struct View {
    status: Option<LetterStatus>,
    offset: i64,
    letter: Option<i64>,
}

impl View {
    fn of(q: &ReviewQuery) -> View {
        View {
            status: q.status.as_deref().and_then(LetterStatus::parse),
            offset: q.offset.as_deref().and_then(|o| o.trim().parse::<i64>().ok()).unwrap_or(0).max(0),
            letter: q.letter.as_deref().and_then(|l| l.trim().parse::<i64>().ok()),
        }
    }

    /// The view a posted form came from (its hidden `view_status`, `view_offset`, `view_letter`).
    fn of_form(form: &[(String, String)]) -> View {
        let q = ReviewQuery {
            status: field(form, "view_status").map(str::to_string),
            offset: field(form, "view_offset").map(str::to_string),
            letter: field(form, "view_letter").map(str::to_string),
            ..Default::default()
        };
        View::of(&q)
    }

    fn hidden(&self, status: LetterStatus) -> Markup {
        html! {
            input type="hidden" name="view_status" value=(status.as_str());
            input type="hidden" name="view_offset" value=(self.offset);
            @if let Some(l) = self.letter { input type="hidden" name="view_letter" value=(l); }
        }
    }
}

/// Everything the review page shows.
struct Loaded {
    proposal: Proposal,
    /// The totals per currency of every letter of the list (not of the page).
    totals: Vec<creance_app::dunning_outlook::LetterTotal>,
    status: LetterStatus,
    selected: Option<LetterDetail>,
    policies: Vec<Policy>,
    view: View,
}

async fn load(app: &App, user: &WebUser, run_id: i64, view: View) -> Result<Loaded, WebError> {
    let lang = user.lang();
    let company = user.company_id();
    // One read of the list asked for; a proposal already issued and opened without a list is read
    // again for its issued letters (the default there).
    let page_of = Page::new(Some(PAGE_SIZE), Some(view.offset))?;
    let asked = view.status.unwrap_or(LetterStatus::Draft);
    let mut proposal =
        app.dunning_proposal(company, run_id, Some(asked.as_str()), page_of).await.map_err(|e| page_error(lang, e))?;
    let mut status = asked;
    let issued = proposal.run.as_ref().is_some_and(|r| r.status == RunStatus::Issued);
    if view.status.is_none() && issued {
        status = LetterStatus::Issued;
        proposal = app.dunning_proposal(company, run_id, Some(status.as_str()), page_of).await?;
    }
    let chosen = view.letter.filter(|l| *l > 0).or_else(|| proposal.letters.items.first().map(|l| l.id));
    let selected = match chosen {
        Some(id) => match app.dunning_letter(company, id, user.at.date()).await {
            Ok(d) if d.letter.run_id == run_id => Some(d),
            Ok(_) | Err(AppError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let policies = app.dunning_policies(company).await?;
    let totals = app.dunning_letter_totals(company, run_id, status).await?;
    Ok(Loaded { proposal, totals, status, selected, policies, view })
}

/// `GET /relances/propositions/{id}`.
pub async fn review(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let l = load(&app, &user, id, View::of(&q)).await?;
    let done = match (q.done.as_deref(), q.issued, q.queued) {
        (Some("issued"), Some(n), Some(k)) => Some(tf(lang, M::DoneIssued, &[&count(n, lang), &count(k, lang)])),
        (Some("printed"), Some(n), _) => Some(tf(lang, M::DonePrinted, &[&count(n, lang)])),
        (d, _, _) => done_text(lang, d),
    };
    Ok(html(review_page(&user, &l, done, q.again.is_some(), None)?).into_response())
}

/// Where the review of `run_id` shows `letter` in the list of `status`, with a notice.
fn review_href(run_id: i64, status: LetterStatus, letter: Option<i64>, done: &str) -> String {
    let letter = letter.map(|l| format!("&letter={l}")).unwrap_or_default();
    format!("/relances/propositions/{run_id}?status={}{letter}&done={done}", status.as_str())
}

fn review_page(
    user: &WebUser,
    l: &Loaded,
    done: Option<String>,
    again: bool,
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let Some(run) = &l.proposal.run else {
        return Err(WebError::Internal(anyhow::anyhow!("a saved proposal without its run")));
    };
    let c = &l.proposal.counts;
    let draft_run = run.status == RunStatus::Draft;
    let write = user.can_write() && draft_run;
    let title = tf(lang, M::ProposalTitle, &[&run.id.to_string(), &date(run.as_of, lang)]);
    let (recompute_key, printed_key) = (once::hidden()?, once::hidden()?);
    let tabs: Vec<(LetterStatus, M, i64)> = if draft_run {
        vec![
            (LetterStatus::Draft, M::TabDraft, c.draft),
            (LetterStatus::Removed, M::TabRemoved, c.removed),
            (LetterStatus::LeftOut, M::TabLeftOut, c.left_out),
        ]
    } else {
        vec![
            (LetterStatus::Issued, M::TabIssued, c.issued),
            (LetterStatus::Withdrawn, M::TabWithdrawn, c.withdrawn),
            (LetterStatus::Removed, M::TabRemoved, c.removed),
            (LetterStatus::LeftOut, M::TabLeftOut, c.left_out),
        ]
    };
    let letters = &l.proposal.letters;
    let status = l.status;
    let href = |o: i64| format!("/relances/propositions/{}?status={}&offset={o}", run.id, status.as_str());
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › " (tf(lang, M::ProposalLink, &[&run.id.to_string()])) }
        div.page-head {
            h1 { (title) " · " span #run-status { (words::run_status(lang, run.status)) } }
            div.actions {
                // The letters to print, merged: an issued run's are read set-based from their frozen
                // content; a draft's would be rendered one by one, too slow for a large run.
                @if run.status == RunStatus::Issued {
                    a #print-pdf href=(format!("/relances/propositions/{}/impression.pdf", run.id)) { (t(lang, M::PrintPdf)) }
                    @if user.can_write() {
                        form.inline method="post" action=(format!("/relances/propositions/{}/impression", run.id)) onsubmit=(once::ONSUBMIT) {
                            (csrf::hidden(user.csrf())) (printed_key)
                            button #mark-printed type="submit" { (t(lang, M::MarkPrinted)) }
                        }
                    }
                }
                @if write {
                    form.inline method="post" action=(format!("/relances/propositions/{}/recalcul", run.id)) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (recompute_key)
                        button #recompute type="submit" { (t(lang, M::Recompute)) }
                    }
                    a.button.primary #issue href=(format!("/relances/propositions/{}/emission", run.id)) { (t(lang, M::Issue)) }
                    a.button.danger #delete-proposal href=(format!("/relances/propositions/{}/suppression", run.id)) { (t(lang, M::Delete)) }
                }
            }
        }
        p #counts { (tf(lang, M::Counts, &[&count(c.draft + c.issued, lang), &count(c.items, lang), &count(c.left_out, lang), &count(c.removed, lang)])) }
        (notices(lang, done, again))
        (form_refusal(lang, problem, "run", &[]))
        nav.subtabs aria-label=(t(lang, M::Title)) {
            @for (s, m, n) in &tabs {
                a href=(format!("/relances/propositions/{}?status={}", run.id, s.as_str())) aria-current=[(*s == status).then_some("page")]
                    id=(format!("tab-{}", s.as_str())) { (tf(lang, *m, &[&count(*n, lang)])) }
            }
        }
        @if letters.items.is_empty() {
            p.empty { (t(lang, M::NoLettersHere)) }
        } @else {
            (dashboard(user, l, run.id))
            (pager(lang, (letters.offset, PAGE_SIZE), letters.items.len(), letters.total_count, href))
        }
        @if let Some(d) = &l.selected {
            (letter_panel(user, l, d, write, problem)?)
        }
    };
    Ok(page(user, Tab::Dunning, &title, body))
}

/// The payers' dashboard (seed 003's upper part, seed 002's payer totals and cumulative days late).
fn dashboard(user: &WebUser, l: &Loaded, run_id: i64) -> Markup {
    let lang = user.lang();
    let status = l.status;
    let frozen = status.is_frozen();
    let reasons = matches!(status, LetterStatus::LeftOut | LetterStatus::Removed);
    let selected = l.selected.as_ref().map(|d| d.letter.id);
    html! {
        table.list #dashboard data-status=(status.as_str()) {
            thead { tr {
                th { (t(lang, Msg::Payer)) }
                @if frozen { th { (t(lang, M::LetterNumber)) } }
                th.num { (t(lang, M::Overdue)) } th.num { (t(lang, M::CreditsCol)) } th.num { (t(lang, M::TotalDue)) }
                th.num { (t(lang, Msg::Level)) } th.num { (t(lang, M::DaysLateTotal)) } th.num { (t(lang, M::DaysLateMax)) }
                th { (t(lang, M::SendBy)) }
                @if frozen { th { (t(lang, M::Delivery)) } }
                @if reasons { th { (t(lang, M::Reason)) } }
            } }
            tbody { @for x in &l.proposal.letters.items {
                @let is_selected = selected == Some(x.id);
                @let link = format!("/relances/propositions/{run_id}?status={}&offset={}&letter={}#letter", status.as_str(), l.view.offset, x.id);
                tr data-letter=(x.id) data-payer=(x.payer_number) class=[is_selected.then_some("selected")] {
                    td {
                        a href=(link) aria-label=(tf(lang, M::SelectPayer, &[&x.payer_name])) { (x.payer_number) } " · " (x.payer_name)
                        @if is_selected { " " span.visually-hidden { (t(lang, M::Selected)) } }
                    }
                    @if frozen { td { a href=(format!("/relances/lettres/{}", x.id)) { (x.number.as_deref().unwrap_or("")) } } }
                    td.num { (amount(x.overdue_total, lang)) }
                    td.num { (amount(x.credits_total, lang)) }
                    td.num { (amount(x.total_due, lang)) }
                    td.num { (x.level) }
                    td.num { (count(x.days_late_total, lang)) }
                    td.num { (count(x.days_late_max, lang)) }
                    td.send { @if x.send { (words::channel(lang, x.channel)) } @else { (t(lang, M::IssuedWithoutSending)) } }
                    @if frozen { td { (x.delivery_status.map(|s| words::delivery_status(lang, s)).unwrap_or("")) } }
                    @if reasons { td.reason { (words::reason(lang, &x.reason)) } }
                }
            } }
            tfoot #dashboard-totals { @for s in &l.totals {
                tr data-currency=(s.currency.code()) {
                    td colspan=(if frozen { 2 } else { 1 }) {
                        (t(lang, Msg::Total)) " " (s.currency.code()) " · " (tf(lang, M::LettersCount, &[&count(s.letters, lang)]))
                    }
                    td.num { (total(s.overdue, lang)) } td.num { (total(s.credits, lang)) } td.num { (total(s.total_due, lang)) }
                    td colspan=(4 + usize::from(frozen) + usize::from(reasons)) {}
                }
            } }
        }
    }
}

/// The selected letter: its totals, its edits, its items (seed 003's lower part).
fn letter_panel(
    user: &WebUser,
    l: &Loaded,
    d: &LetterDetail,
    write: bool,
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let x = &d.letter;
    let policy = l.policies.iter().find(|p| p.id == x.policy_id);
    let max_level = policy.and_then(|p| p.levels.iter().map(|l| l.level).max()).unwrap_or(x.level.max(1));
    let allow_skip = policy.is_some_and(|p| p.allow_skip);
    let draft = x.status == LetterStatus::Draft;
    let view = View { letter: Some(x.id), ..l.view.clone() };
    let (remove_key, level_key, send_key, restore_key) =
        (once::hidden()?, once::hidden()?, once::hidden()?, once::hidden()?);
    let level_error = error_for(problem, "level", &["level"]);
    let force_error = error_for(problem, "level", &["force", "reason"]);
    let remove_error = error_for(problem, "remove", &["reason"]);
    let base = format!("/relances/lettres/{}", x.id);
    Ok(html! {
        section.letter-panel #letter aria-labelledby="letter-h" tabindex="-1" {
            h2 #letter-h { (tf(lang, M::LetterFor, &[&format!("{} · {}", x.payer_number, x.payer_name), x.currency.code()])) }
            (super::letter::summary(lang, d, super::letter::Shown::Panel))
            div.actions {
                a #letter-pdf href=(format!("{base}/lettre.pdf")) { (t(lang, M::PreviewPdf)) }
                a #payer-history href=(format!("/relances/historique?customer_id={}", x.payer_id)) { (t(lang, M::PayerHistory)) }
                @if write && draft {
                    a #edit-texts href=(format!("{base}/textes")) { (t(lang, M::EditTexts)) }
                    form.inline method="post" action=(format!("{base}/envoi")) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (send_key) (view.hidden(l.status))
                        input type="hidden" name="send" value=(if x.send { "false" } else { "true" });
                        button #toggle-send type="submit" { (t(lang, if x.send { M::MarkIssued } else { M::MarkToSend })) }
                    }
                }
                @if write && x.status == LetterStatus::Removed {
                    form.inline method="post" action=(format!("{base}/retablissement")) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (restore_key) (view.hidden(l.status))
                        button.primary #restore-payer type="submit" { (t(lang, M::RestorePayer)) }
                    }
                }
            }
            (form_refusal(lang, problem, "send", &[]))
            (form_refusal(lang, problem, "restore", &[]))
            @if write && draft {
                div.card-grid {
                    form.edit #level-form method="post" action=(format!("{base}/niveau")) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (level_key) (view.hidden(l.status))
                        h3 { (t(lang, M::ChangeLevel)) }
                        (form_refusal(lang, problem, "level", &["level", "force", "reason"]))
                        div.field.invalid[level_error.is_some()] {
                            label for="field-level" { (t(lang, M::NewLevel)) }
                            select #field-level name="level" aria-describedby="level-error" aria-invalid=[level_error.as_ref().map(|_| "true")] {
                                @for n in 1..=max_level { option value=(n) selected[n == x.level] { (n) } }
                            }
                            (field_error("level-error", &level_error))
                        }
                        @if allow_skip {
                            label.choice { input #field-force type="checkbox" name="force" value="true"; " " (t(lang, M::ForceSkip)) }
                            div.field.invalid[force_error.is_some()] {
                                label for="field-level-reason" { (t(lang, M::SkipReason)) }
                                input #field-level-reason type="text" name="reason" aria-describedby="level-reason-hint force-error"
                                    aria-invalid=[force_error.as_ref().map(|_| "true")];
                                span.hint #level-reason-hint { (t(lang, M::SkipHint)) }
                                (field_error("force-error", &force_error))
                            }
                        } @else {
                            p.hint { (t(lang, M::NoSkip)) }
                            (field_error("force-error", &force_error))
                        }
                        button #change-level type="submit" { (t(lang, M::ChangeLevel)) }
                    }
                    form.edit #remove-form method="post" action=(format!("{base}/retrait")) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (remove_key) (view.hidden(l.status))
                        h3 { (t(lang, M::RemovePayer)) }
                        (form_refusal(lang, problem, "remove", &["reason"]))
                        div.field.invalid[remove_error.is_some()] {
                            label for="field-remove-reason" { (t(lang, M::RemoveReason)) }
                            input #field-remove-reason type="text" name="reason" aria-describedby="remove-reason-hint reason-error";
                            span.hint #remove-reason-hint { (t(lang, M::RemoveReasonHint)) }
                            (field_error("reason-error", &remove_error))
                        }
                        button.danger #remove-payer type="submit" { (t(lang, M::RemovePayer)) }
                    }
                }
            }
            (items_table(user, l, d, write && draft, problem)?)
        }
    })
}

fn items_table(
    user: &WebUser,
    l: &Loaded,
    d: &LetterDetail,
    write: bool,
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let view = View { letter: Some(d.letter.id), ..l.view.clone() };
    let mut keys = Vec::with_capacity(d.items.len());
    for i in &d.items {
        let editable = write && i.kind == ItemKind::Due && i.status != ItemStatus::Settled;
        keys.push(if editable { Some(once::hidden()?) } else { None });
    }
    Ok(html! {
        h3 #items-h { (t(lang, M::Items)) }
        (form_refusal(lang, problem, "item", &[]))
        @if d.items.is_empty() { p.empty { (t(lang, M::NoItems)) } } @else {
            table.list #items aria-labelledby="items-h" {
                thead { tr {
                    th { (t(lang, Msg::Document)) } th { (t(lang, M::Kind)) } th.num { (t(lang, Msg::DocumentDate)) }
                    th.num { (t(lang, Msg::DueDate)) } th.num { (t(lang, Msg::Amount)) } th.num { (t(lang, Msg::AmountOpen)) }
                    th.num { (t(lang, M::LevelBefore)) } th.num { (t(lang, M::NewLevelCol)) } th { (t(lang, M::ItemStatus)) }
                    th { (t(lang, M::Reason)) }
                    @if write { th { (t(lang, M::ItemActions)) } }
                } }
                tbody { @for (i, key) in d.items.iter().zip(&keys) {
                    tr data-item=(i.id) data-kind=(i.kind.as_str()) data-status=(i.status.as_str()) {
                        td { (i.reference) }
                        td { (words::item_kind(lang, i.kind)) }
                        td.num { (date(i.doc_date, lang)) }
                        td.num { (opt_date(i.due_date, lang)) }
                        td.num { (amount(i.amount, lang)) }
                        td.num { (amount(i.amount_open, lang)) }
                        td.num { @if i.installment_id.is_some() { (i.level_before) @if let Some(dt) = i.date_before { " (" (date(dt, lang)) ")" } } }
                        td.num { @if i.kind == ItemKind::Due { (i.new_level) } }
                        td { (words::item_status(lang, i.status)) }
                        td.reason { (i.reason) }
                        @if write { td { @if let Some(key) = key {
                            @let restore = i.status == ItemStatus::Removed;
                            form.inline method="post" action=(format!("/relances/elements/{}/retrait", i.id)) onsubmit=(once::ONSUBMIT) {
                                (csrf::hidden(user.csrf())) (key) (view.hidden(l.status))
                                input type="hidden" name="restore" value=(restore);
                                button.item-action type="submit" aria-label=(format!("{} {}", t(lang, if restore { M::RestoreItem } else { M::RemoveItem }), i.reference)) {
                                    (t(lang, if restore { M::RestoreItem } else { M::RemoveItem }))
                                }
                            }
                        } } }
                    }
                } }
            }
        }
    })
}

/// Runs an edit of a draft letter through the once guard: the review with the letter and a notice
/// (303), or the review again with the refusal next to the form (`form`) it came from.
#[allow(clippy::too_many_arguments)]
async fn edit<F, Fut>(
    app: &App,
    user: &WebUser,
    path: String,
    form: &[(String, String)],
    form_name: &'static str,
    done: &'static str,
    after: Option<LetterStatus>,
    work: F,
) -> Result<Response, WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<LetterDetail, AppError>>,
{
    writer(user)?;
    let lang = user.lang();
    let view = View::of_form(form);
    once::run(app, user, &path, form, || async {
        match work().await {
            Ok(d) => {
                let status = after.or(view.status).unwrap_or(LetterStatus::Draft);
                Ok(Outcome::Done(format!("{}#letter", review_href(d.letter.run_id, status, Some(d.letter.id), done))))
            }
            Err(e) => {
                let problem = Problem::of(lang, form_name, e)?;
                let run_id = match view.letter {
                    Some(id) => app.dunning_letter(user.company_id(), id, user.at.date()).await?.letter.run_id,
                    None => return Err(WebError::App(AppError::invalid("view_letter", problem.text.clone()))),
                };
                let loaded = load(app, user, run_id, view.clone()).await?;
                let page = review_page(user, &loaded, None, false, Some(&problem))?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

/// `POST /relances/lettres/{id}/retrait`: removes the payer's letter from the draft (`reason`).
pub async fn remove_letter(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let reason = field(&form, "reason").unwrap_or("").to_string();
    let path = format!("/relances/lettres/{id}/retrait");
    let actor = user.actor();
    edit(&app, &user, path, &form, "remove", "removed", Some(LetterStatus::Removed), || async {
        app.remove_dunning_letter(&actor, user.company_id(), id, &reason).await
    })
    .await
}

/// `POST /relances/lettres/{id}/retablissement`: puts a removed letter back.
pub async fn restore_letter(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let path = format!("/relances/lettres/{id}/retablissement");
    let actor = user.actor();
    edit(&app, &user, path, &form, "restore", "restored", Some(LetterStatus::Draft), || async {
        app.restore_dunning_letter(&actor, user.company_id(), id).await
    })
    .await
}

/// `POST /relances/elements/{id}/retrait`: removes one installment from its draft letter, or puts it
/// back (`restore=true`).
pub async fn remove_item(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let reason = field(&form, "reason").unwrap_or("").to_string();
    let restore = field(&form, "restore") == Some("true");
    let path = format!("/relances/elements/{id}/retrait");
    let actor = user.actor();
    edit(&app, &user, path, &form, "item", "item", None, || async {
        app.remove_dunning_item(&actor, user.company_id(), id, &reason, restore).await
    })
    .await
}

/// `POST /relances/lettres/{id}/niveau`: a draft letter's new `level`; a skip needs `force` and a
/// `reason` (the policy must allow it).
pub async fn change_level(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let level_text = field(&form, "level").unwrap_or("").trim().to_string();
    let change = level_text.parse::<i64>().map(|level| ChangeLevel {
        level,
        force: field(&form, "force") == Some("true"),
        reason: field(&form, "reason").unwrap_or("").to_string(),
    });
    let path = format!("/relances/lettres/{id}/niveau");
    edit(&app, &user, path, &form, "level", "level", None, || async {
        match change {
            Ok(c) => app.change_dunning_level(&user.actor(), user.company_id(), id, &c).await,
            Err(_) => Err(AppError::invalid("level", format!("{level_text:?} is not a level"))),
        }
    })
    .await
}

/// `POST /relances/lettres/{id}/envoi`: `send=false` marks the draft letter issued without sending,
/// `send=true` sends it again.
pub async fn set_send(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let send = field(&form, "send") != Some("false");
    let path = format!("/relances/lettres/{id}/envoi");
    let actor = user.actor();
    edit(&app, &user, path, &form, "send", "send", None, || async {
        app.set_dunning_send(&actor, user.company_id(), id, send).await
    })
    .await
}

/// A proposal-wide action's refusal: the review again with it above the dashboard.
async fn run_refused(app: &App, user: &WebUser, id: i64, e: AppError) -> Result<Outcome, WebError> {
    let problem = Problem::of(user.lang(), "run", e)?;
    let loaded = load(app, user, id, View::default()).await?;
    let page = review_page(user, &loaded, None, false, Some(&problem))?;
    Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
}

/// `POST /relances/propositions/{id}/recalcul`.
pub async fn recompute(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    once::run(&app, &user, &format!("/relances/propositions/{id}/recalcul"), &form, || async {
        match app.recompute_dunning(&user.actor(), user.company_id(), id).await {
            Ok(_) => Ok(Outcome::Done(format!("/relances/propositions/{id}?done=recomputed"))),
            Err(e) => run_refused(&app, &user, id, e).await,
        }
    })
    .await
}

/// `GET /relances/propositions/{id}/suppression` (clerk or admin): what deleting the draft removes
/// (its letters, installments, removed and left-out payers), to confirm or cancel.
pub async fn delete_confirm(State(app): State<App>, user: WebUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    writer(&user)?;
    Ok(html(delete_page(&app, &user, id, None).await?).into_response())
}

async fn delete_page(app: &App, user: &WebUser, id: i64, problem: Option<&Problem>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let one = Page::new(Some(1), Some(0))?;
    let p = app.dunning_proposal(user.company_id(), id, Some("draft"), one).await.map_err(|e| page_error(lang, e))?;
    let Some(run) = &p.run else {
        return Err(WebError::Internal(anyhow::anyhow!("a saved proposal without its run")));
    };
    let c = &p.counts;
    let key = once::hidden()?;
    let title = tf(lang, M::DeleteTitle, &[&id.to_string()]);
    let back = format!("/relances/propositions/{id}");
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › " a href=(back) { (tf(lang, M::ProposalLink, &[&id.to_string()])) } }
        h1 { (title) }
        (form_refusal(lang, problem, "delete", &[]))
        @if run.status != RunStatus::Draft {
            p.empty #not-deletable { (tf(lang, M::NotDeletable, &[words::run_status(lang, run.status)])) }
            p { a href=(back) { (t(lang, M::Cancel)) } }
        } @else {
            section.warning #delete-summary {
                p { strong { (tf(lang, M::DeleteSummary, &[&date(run.as_of, lang)])) } }
                ul {
                    li #delete-letters { (tf(lang, M::DeleteLetters, &[&count(c.draft, lang), &count(c.items, lang)])) }
                    li #delete-removed { (tf(lang, M::DeleteRemoved, &[&count(c.removed, lang)])) }
                    li #delete-left-out { (tf(lang, M::DeleteLeftOut, &[&count(c.left_out, lang)])) }
                }
                p.hint { (t(lang, M::DeleteWarning)) }
            }
            form.batch-confirm method="post" action=(format!("/relances/propositions/{id}/suppression")) onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf())) (key)
                button.danger #confirm-delete type="submit" { (t(lang, M::ConfirmDelete)) }
                " " a #cancel-delete href=(back) { (t(lang, M::Cancel)) }
            }
        }
    };
    Ok(page(user, Tab::Dunning, &title, body))
}

/// `POST /relances/propositions/{id}/suppression`: deletes the draft; back to the tab, or the
/// confirmation again with the refusal (a proposal issued meanwhile).
pub async fn delete(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    let lang = user.lang();
    once::run(&app, &user, &format!("/relances/propositions/{id}/suppression"), &form, || async {
        match app.delete_dunning_proposal(&user.actor(), user.company_id(), id).await {
            Ok(_) => Ok(Outcome::Done("/relances?done=deleted".into())),
            Err(e) => {
                let problem = Problem::of(lang, "delete", e)?;
                let page = delete_page(&app, &user, id, Some(&problem)).await?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

/// `GET /relances/propositions/{id}/emission` (clerk or admin): what issuing will make, to confirm.
pub async fn issue_confirm(State(app): State<App>, user: WebUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    writer(&user)?;
    Ok(html(confirm_page(&app, &user, id, None).await?).into_response())
}

async fn confirm_page(app: &App, user: &WebUser, id: i64, problem: Option<&Problem>) -> Result<Markup, WebError> {
    let lang = user.lang();
    let o = app.dunning_issue_outlook(user.company_id(), id).await.map_err(|e| page_error(lang, e))?;
    let key = once::hidden()?;
    let title = tf(lang, M::IssueTitle, &[&id.to_string()]);
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › "
            a href=(format!("/relances/propositions/{id}")) { (tf(lang, M::ProposalLink, &[&id.to_string()])) } }
        h1 { (title) }
        (form_refusal(lang, problem, "issue", &[]))
        @if o.letters == 0 {
            p.empty #nothing-to-issue { (t(lang, M::NothingToIssue)) }
        } @else {
            section.warning #issue-summary {
                p { strong { (tf(lang, M::IssueSummary, &[&count(o.letters, lang)])) } }
                ul {
                    li #issue-emails { (tf(lang, M::IssueEmails, &[&count(o.emails, lang)])) }
                    li #issue-prints { (tf(lang, M::IssuePrints, &[&count(o.prints, lang)])) }
                    @if o.not_sent > 0 { li #issue-not-sent { (tf(lang, M::IssueNotSent, &[&count(o.not_sent, lang)])) } }
                }
                p.hint { (t(lang, M::IssueWarning)) }
            }
            form.batch-confirm method="post" action=(format!("/relances/propositions/{id}/emission")) onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf())) (key)
                button.primary #confirm-issue type="submit" { (t(lang, M::ConfirmIssue)) }
                " " a href=(format!("/relances/propositions/{id}")) { (t(lang, M::Cancel)) }
            }
        }
    };
    Ok(page(user, Tab::Dunning, &title, body))
}

/// `POST /relances/propositions/{id}/emission`: issues the draft (one transaction); the issued
/// proposal's letters with the notice (303), or the confirmation again with the refusal.
pub async fn issue(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    let lang = user.lang();
    once::run(&app, &user, &format!("/relances/propositions/{id}/emission"), &form, || async {
        match app.issue_dunning(&user.actor(), user.company_id(), id, user.at.date()).await {
            Ok(r) => Ok(Outcome::Done(format!(
                "/relances/propositions/{id}?status=issued&done=issued&issued={}&queued={}",
                r.letters_issued, r.queued
            ))),
            Err(e) => {
                let problem = Problem::of(lang, "issue", e)?;
                let page = confirm_page(&app, &user, id, Some(&problem)).await?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

/// `POST /relances/propositions/{id}/impression`: the issued run's letters to print (those of its
/// print PDF) are marked printed, once printed and posted (`App::mark_dunning_printed`).
pub async fn mark_printed(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    writer(&user)?;
    once::run(&app, &user, &format!("/relances/propositions/{id}/impression"), &form, || async {
        match app.mark_dunning_printed(&user.actor(), user.company_id(), id, None, None).await {
            Ok(n) => Ok(Outcome::Done(format!("/relances/propositions/{id}?status=issued&done=printed&issued={n}"))),
            Err(e) => run_refused(&app, &user, id, e).await,
        }
    })
    .await
}
