//! The audit trail on the pages (issue 14 point 7): who did what and when, from the events the use
//! cases record (`creance_app::audit_trail`). [`trail`] is the section a customer card and a dunning
//! letter show; [`log`] is the company's log an admin reads at `/parametres/journal`, filtered by
//! user, kind and dates, newest first, paged without a count.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use creance_app::audit_trail::{AuditArgs, AuditEntry};
use creance_app::queries::Page;
use creance_app::{App, AppError, FieldError};
use creance_core::{Date, Language, Role};
use maud::{html, Markup};

use super::format::{count, date};
use super::i18n::{t, tf, ui_language, Catalogue, Msg};
use super::layout::{page, Tab};
use super::{html, refusal, WebError, WebUser};

/// Events per page of the log.
const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum M {
    Title,
    Intro,
    Trail,
    NoEvent,
    When,
    Who,
    What,
    Summary,
    Subject,
    User,
    AnyUser,
    Kind,
    AnyKind,
    From,
    To,
    Apply,
    Previous,
    Next,
}

impl Catalogue for M {
    fn pair(self) -> (&'static str, &'static str) {
        use M::*;
        match self {
            Title => ("Journal des modifications", "Audit log"),
            Intro => (
                "Qui a fait quoi et quand dans cette société, du plus récent au plus ancien.",
                "Who did what and when in this company, newest first.",
            ),
            Trail => ("Historique des modifications", "Change history"),
            NoEvent => ("Aucune modification enregistrée.", "No change recorded."),
            When => ("Quand (UTC)", "When (UTC)"),
            Who => ("Qui", "Who"),
            What => ("Quoi", "What"),
            Summary => ("Détail", "Detail"),
            Subject => ("Objet", "Subject"),
            User => ("Utilisateur", "User"),
            AnyUser => ("— tous —", "— all —"),
            Kind => ("Type", "Kind"),
            AnyKind => ("— tous —", "— all —"),
            From => ("Du", "From"),
            To => ("Au", "To"),
            Apply => ("Afficher", "Show"),
            Previous => ("Précédents", "Newer"),
            Next => ("Suivants", "Older"),
        }
    }
}

/// An action in the user's words (its code when it has none yet).
fn action_words(lang: Language, action: &str) -> String {
    let pair = match action {
        "account_code.set" => ("compte comptable modifié", "account code set"),
        "allocation.batch" => ("affectation des règlements en série", "batch allocation"),
        "allocation.create" => ("imputation", "allocation"),
        "allocation.reverse" => ("désaffectation", "unallocation"),
        "bank_account.create" => ("compte bancaire ajouté", "bank account added"),
        "company.create" => ("société créée", "company created"),
        "customer.comment" => ("commentaire modifié", "comment changed"),
        "customer.dunning_email" => ("e-mail de relance modifié", "dunning e-mail changed"),
        "demo.complete" => ("données de démonstration complétées", "demo data completed"),
        "demo.fill" => ("données de démonstration", "demo data"),
        "deposit.cancel" => ("remise annulée", "deposit cancelled"),
        "deposit.create" => ("remise créée", "deposit created"),
        "deposit.validate" => ("remise validée", "deposit validated"),
        "dunning.block" => ("échéances bloquées pour la relance", "installments blocked from dunning"),
        "dunning.change_level" => ("niveau de relance changé", "dunning level changed"),
        "dunning.customer" => ("réglages de relance du client", "customer's dunning settings"),
        "dunning.default_policy" => ("règle de relance par défaut", "default dunning policy"),
        "dunning.delete" => ("proposition supprimée", "proposal deleted"),
        "dunning.delivery_resent" => ("e-mail renvoyé", "e-mail resent"),
        "dunning.edit_texts" => ("textes de la lettre modifiés", "letter texts edited"),
        "dunning.interest_rates" => ("taux d'intérêt ajoutés", "interest rates added"),
        "dunning.interest_table" => ("table d'intérêts", "interest table"),
        "dunning.issue" => ("relances émises", "reminders issued"),
        "dunning.mark_issued" => ("lettre émise sans envoi", "letter issued without sending"),
        "dunning.policy" => ("règle de relance enregistrée", "dunning policy saved"),
        "dunning.propose" => ("proposition de relance calculée", "dunning proposal computed"),
        "dunning.recompute" => ("proposition recalculée", "proposal recomputed"),
        "dunning.record_external" => ("relance externe enregistrée", "external reminder recorded"),
        "dunning.remove_item" => ("échéance retirée de la lettre", "item removed from the letter"),
        "dunning.remove_letter" => ("payeur retiré", "payer removed"),
        "dunning.restore_item" => ("échéance remise dans la lettre", "item put back"),
        "dunning.restore_letter" => ("payeur rétabli", "payer put back"),
        "dunning.withdraw" => ("lettre retirée", "letter withdrawn"),
        "payment.cancel" => ("règlement annulé", "payment cancelled"),
        "payment.record" => ("règlement enregistré", "payment recorded"),
        "payment.set_customer" => ("règlement changé de client", "payment moved to another customer"),
        "payment_method.set" => ("mode de règlement modifié", "payment method set"),
        "rebill_charge.acknowledge" => ("refacturation prise en compte", "rebill charge acknowledged"),
        "refund.allocate" => ("remboursement imputé", "refund allocated"),
        "refund.record" => ("remboursement enregistré", "refund recorded"),
        "refund.unallocate" => ("remboursement désimputé", "refund unallocated"),
        "settings.letterhead" => ("en-tête modifié", "letterhead changed"),
        "settings.letterhead_logo" => ("logo modifié", "logo changed"),
        "settings.money" => ("réglages des montants", "amount settings"),
        "settings.reports" => ("réglages des rapports", "report settings"),
        "settings.smtp" => ("réglages SMTP", "SMTP settings"),
        "settings.smtp_cleared" => ("réglages SMTP effacés", "SMTP settings cleared"),
        "small_balance.action" => ("action sur petit solde", "small-balance action"),
        "small_balance.undo" => ("action sur petit solde annulée", "small-balance action undone"),
        "token.create" => ("jeton d'API créé", "API token created"),
        "token.revoke" => ("jeton d'API révoqué", "API token revoked"),
        "user.create" => ("utilisateur créé", "user created"),
        "user.grant" => ("rôle attribué", "role granted"),
        "user.language" => ("langue changée", "language changed"),
        "user.login" => ("connexion", "log in"),
        "user.logout" => ("déconnexion", "log out"),
        "user.password" => ("mot de passe changé", "password changed"),
        other => return other.to_string(),
    };
    if ui_language(lang) == Language::Fr { pair.0 } else { pair.1 }.to_string()
}

/// What an event is about, in the user's words (its code when it has none).
fn entity_words(lang: Language, entity: &str) -> String {
    let pair = match entity {
        "allocation" => ("imputation", "allocation"),
        "api_token" => ("jeton d'API", "API token"),
        "company" => ("société", "company"),
        "customer" => ("client", "customer"),
        "deposit" => ("remise", "deposit"),
        "dunning_delivery" => ("envoi de relance", "dunning e-mail"),
        "dunning_letter" => ("lettre de relance", "dunning letter"),
        "dunning_policy" => ("règle de relance", "dunning policy"),
        "dunning_run" => ("proposition de relance", "dunning proposal"),
        "installment" => ("échéance", "installment"),
        "interest_table" => ("table d'intérêts", "interest table"),
        "payment" => ("règlement", "payment"),
        "payment_method" => ("mode de règlement", "payment method"),
        "rebill_charge" => ("refacturation", "rebill charge"),
        "refund" => ("remboursement", "refund"),
        "small_balance_action" => ("action sur petit solde", "small-balance action"),
        "user" => ("utilisateur", "user"),
        other => return other.to_string(),
    };
    if ui_language(lang) == Language::Fr { pair.0 } else { pair.1 }.to_string()
}

/// An instant as the user reads it: the day in the user's format and the time, UTC.
fn when(lang: Language, at: &str) -> String {
    match (at.get(..10).map(Date::parse), at.get(11..16)) {
        (Some(Ok(d)), Some(time)) => format!("{} {time}", date(d, lang)),
        _ => at.to_string(),
    }
}

/// Who did it: the user's name, else the actor as recorded (`cli`, `token:2`).
fn who(e: &AuditEntry) -> String {
    e.actor_name.clone().unwrap_or_else(|| e.actor.clone())
}

fn rows(lang: Language, entries: &[AuditEntry], with_entity: bool) -> Markup {
    html! {
        table.list.audit {
            thead { tr {
                th.num { (t(lang, M::When)) } th { (t(lang, M::Who)) } th { (t(lang, M::What)) }
                @if with_entity { th { (t(lang, M::Subject)) } }
                th { (t(lang, M::Summary)) }
            } }
            tbody {
                @for e in entries {
                    tr data-event=(e.id) {
                        td.num { (when(lang, &e.at)) }
                        td { (who(e)) }
                        td { (action_words(lang, &e.action)) }
                        @if with_entity {
                            td { (entity_words(lang, &e.entity)) @if let Some(id) = e.entity_id { " " (id) } }
                        }
                        td.summary { (e.summary) }
                    }
                }
            }
        }
    }
}

/// The trail of one thing (a customer card's, a letter's section).
pub fn trail(lang: Language, entries: &[AuditEntry]) -> Markup {
    html! {
        section #audit-trail aria-labelledby="audit-trail-h" {
            h2 #audit-trail-h { (t(lang, M::Trail)) }
            @if entries.is_empty() { p.empty { (t(lang, M::NoEvent)) } } @else { (rows(lang, entries, false)) }
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct LogQuery {
    #[serde(flatten)]
    args: AuditArgs,
    /// A text (a flattened query's values are all texts); a bad one is the first page.
    offset: Option<String>,
}

/// `GET /parametres/journal` (admin).
pub async fn log(State(app): State<App>, user: WebUser, Query(q): Query<LogQuery>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let lang = user.lang();
    let company = user.company_id();
    let offset = q.offset.as_deref().and_then(|o| o.trim().parse::<i64>().ok()).unwrap_or(0).max(0);
    let page_of = Page::new(Some(PAGE_SIZE), Some(offset))?;
    let (listed, problem) = match app.audit_log(company, &q.args, page_of).await {
        Ok(l) => (Some(l), None),
        Err(AppError::Invalid(fe)) => (None, Some(fe)),
        Err(e) => return Err(e.into()),
    };
    let users = app.users(Some(company)).await?;
    let actions = app.audit_actions(company).await?;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let link = |offset: i64| {
        let mut href = format!("/parametres/journal?offset={offset}");
        for (k, v) in
            [("user_id", &q.args.user_id), ("action", &q.args.action), ("from", &q.args.from), ("to", &q.args.to)]
        {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                href.push_str(&format!("&{k}={}", super::session::encode(v)));
            }
        }
        href
    };
    let error = |name: &str| problem.as_ref().filter(|p| p.field == name);
    let body = html! {
        h1 { (t(lang, M::Title)) }
        p.intro { (t(lang, M::Intro)) }
        form.filters #audit-filters method="get" action="/parametres/journal" {
            div.filter-grid {
                div.field {
                    label for="f-user_id" { (t(lang, M::User)) }
                    select #f-user_id name="user_id" {
                        option value="" { (t(lang, M::AnyUser)) }
                        @for u in &users {
                            option value=(u.id) selected[q.args.user_id.as_deref() == Some(u.id.to_string().as_str())] { (u.name) " · " (u.email) }
                        }
                    }
                }
                div.field {
                    label for="f-action" { (t(lang, M::Kind)) }
                    select #f-action name="action" {
                        option value="" { (t(lang, M::AnyKind)) }
                        @for a in &actions {
                            option value=(a) selected[q.args.action.as_deref() == Some(a.as_str())] { (action_words(lang, a)) }
                        }
                    }
                }
                (date_field(lang, "from", t(lang, M::From), &value(&q.args.from), error("from")))
                (date_field(lang, "to", t(lang, M::To), &value(&q.args.to), error("to")))
                div.filter-actions.in-grid { button.primary #apply type="submit" { (t(lang, M::Apply)) } }
            }
        }
        @if let Some(fe) = problem.as_ref().filter(|p| !["from", "to"].contains(&p.field.as_str())) {
            p.field-error role="alert" { (fe.field) " : " (refusal::field(lang, fe)) }
        }
        @if let Some(l) = &listed {
            @if l.items.is_empty() {
                p.empty #no-event { (t(lang, M::NoEvent)) }
            } @else {
                (rows(lang, &l.items, true))
                nav.pager {
                    @if l.offset > 0 { a rel="prev" href=(link((l.offset - PAGE_SIZE).max(0))) { "← " (t(lang, M::Previous)) } }
                    span { (tf(lang, Msg::PageFrom, &[&count(l.offset + 1, lang), &count(l.offset + l.items.len() as i64, lang)])) }
                    @if l.more { a rel="next" href=(link(l.offset + PAGE_SIZE)) { (t(lang, M::Next)) " →" } }
                }
            }
        }
    };
    Ok(html(page(&user, Tab::Settings, t(lang, M::Title), body)).into_response())
}

fn date_field(lang: Language, name: &str, label: &str, value: &str, error: Option<&FieldError>) -> Markup {
    let id = format!("f-{name}");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            input #(id) type="text" name=(name) value=(value) autocomplete="off"
                placeholder=(t(lang, Msg::DateInputHint)) aria-invalid=[error.map(|_| "true")];
            @if let Some(e) = error { p.field-error role="alert" { (refusal::field(lang, e)) } }
        }
    }
}
