//! The web UI (issue 13): server-rendered pages in maud, a vendored htmx for partial updates, one
//! stylesheet. A page is built in three steps, and every new screen follows them: the [`WebUser`]
//! extractor (the session, its company, role and language, put there by the session layer, which
//! also checked the CSRF token of a write) → one `creance-app` use case, the same the API calls →
//! a maud template beside the handler, formatting through [`format`] (the PDFs' locale) and
//! [`i18n`]. A form's field names are the API's, so an `AppError` naming a field is shown next to it.
//! The UI computes no rule.
//!
//! Routes: `/` → the first built tab; `/login` (GET, POST), `/logout`, `/company` (switch),
//! `/language`; `/clients`, `/clients/{id}` and its two edits; `/reglements` (`?list=allocated`),
//! `/reglements/nouveau` (GET, POST), `/reglements/clients`, `/reglements/{id}` and its
//! `imputation`, `desaffectation`, `annulation`, `/reglements/affectation-auto`, `/reglements/avoirs/{id}`
//! (a credit note's window) with its `imputation` and `desaffectation`; `/remboursements`
//! (`?view=allocated`), `/remboursements/nouveau`, `/remboursements/{id}` with `/imputer` and
//! `/lettre.pdf`, `/remboursements/imputations/{id}/desimputer`; `/acomptes`; `/remises`
//! (`?show_future=true`; POST creates a deposit), `/remises/liste`, `/remises/{id}` with `/valider`,
//! `/annuler` and `/bordereau.pdf`; `/echeancier` (Échéancier), `/echeancier/documents/{id}` (its
//! detail panel), `/echeancier/export`; `/petits-soldes` (`?view=debits|credits|charges|actions`),
//! `/petits-soldes/export`, `/petits-soldes/actions/apercu` (preview), `/petits-soldes/actions`
//! (confirm), `/petits-soldes/actions/{id}` with `/annulation`; `/rapports` → `/rapports/balance-agee`,
//! `/rapports/releve`, `/rapports/dso` (each `?format=csv|pdf`); `/relances` and below (Relances:
//! proposals, letters, history; the list is in `dunning/mod.rs`); `/parametres/journal` (the audit
//! log, admin); `/parametres` and below (Paramètres, the company half: the list is in
//! `settings/mod.rs`); `/static/{hash}/{file}`.

mod assets;
mod audit;
mod cash;
pub mod csrf;
mod customers;
mod dunning;
pub mod form;
pub mod format;
pub mod i18n;
mod import;
mod import_words;
mod installation;
pub mod layout;
mod login;
mod once;
mod payments;
pub mod refusal;
mod reports;
mod schedule;
pub mod session;
mod settings;
mod settings_dunning;
mod small_balances;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use creance_app::{App, AppError};
use creance_core::Language;
use serde::Deserialize;

use i18n::{t, Msg};
pub use session::WebUser;

/// The address a request's connection came from (set by [`crate::serve_web`]; absent when the
/// router is called directly, as the tests do). Behind a reverse proxy it is the proxy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub std::net::IpAddr);

/// `application/pdf`, inline under its file name (as the API serves it): every PDF a page opens.
pub fn pdf(p: creance_app::documents::Pdf) -> Response {
    use axum::http::{header, HeaderValue};
    let disposition = format!("inline; filename=\"{}\"", p.file_name.replace('"', ""));
    let mut response = ([(header::CONTENT_TYPE, "application/pdf")], p.bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A page as an HTML answer.
pub fn html(page: maud::Markup) -> axum::response::Html<String> {
    axum::response::Html(page.into_string())
}

/// Settings of the web UI that come from the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (set it when the server is reached over TLS, through a proxy).
    pub secure_cookies: bool,
    /// The code the installation page asks for (`serve` draws one and prints it when it starts on a
    /// database without any user); without one the page creates nothing.
    pub installation_code: Option<std::sync::Arc<str>>,
}

/// The pages. `config` goes to the handlers that set cookies.
pub fn router(app: &App, config: WebConfig) -> Router<App> {
    let pages = Router::new()
        .route("/", get(|| async { Redirect::to(layout::Tab::first()) }))
        .route("/logout", post(login::logout))
        .route("/company", post(switch_company))
        .route("/language", post(set_language))
        .route("/clients", get(customers::list))
        .route("/clients/{id}", get(customers::card))
        .route("/clients/{id}/comment", post(customers::save_comment))
        .route("/clients/{id}/dunning-email", post(customers::save_dunning_email))
        .route("/reglements", get(payments::list))
        .route("/reglements/nouveau", get(payments::form::new).post(payments::form::record))
        .route("/reglements/clients", get(payments::form::suggestions))
        .route("/reglements/affectation-auto", post(payments::batch::batch))
        .route("/reglements/avoirs/{id}", get(payments::detail::show_credit_note))
        .route("/reglements/avoirs/{id}/imputation", post(payments::detail::allocate_credit_note))
        .route("/reglements/avoirs/{id}/desaffectation", post(payments::detail::unallocate_credit_note))
        .route("/reglements/{id}", get(payments::detail::show))
        .route("/reglements/{id}/imputation", post(payments::detail::allocate))
        .route("/reglements/{id}/desaffectation", post(payments::detail::unallocate))
        .route("/reglements/{id}/annulation", post(payments::detail::cancel))
        .route("/remboursements", get(cash::refunds).post(cash::record_refund))
        .route("/remboursements/nouveau", get(cash::refund_form))
        .route("/remboursements/{id}", get(cash::refund))
        .route("/remboursements/{id}/imputer", post(cash::allocate_refund))
        .route("/remboursements/{id}/lettre.pdf", get(cash::refund_letter))
        .route("/remboursements/imputations/{id}/desimputer", post(cash::unallocate_refund))
        .route("/acomptes", get(cash::advances))
        .route("/remises", get(cash::to_deposit).post(cash::create_deposit))
        .route("/remises/liste", get(cash::deposits))
        .route("/remises/{id}", get(cash::deposit))
        .route("/remises/{id}/valider", post(cash::validate_deposit))
        .route("/remises/{id}/annuler", post(cash::cancel_deposit))
        .route("/remises/{id}/bordereau.pdf", get(cash::deposit_slip))
        .route("/echeancier", get(schedule::page))
        .route("/echeancier/documents/{id}", get(schedule::panel))
        .route("/echeancier/export", get(schedule::export))
        // Petits soldes and Rapports (issue 14)
        .route("/petits-soldes", get(small_balances::page_handler))
        .route("/petits-soldes/export", get(small_balances::export))
        .route("/petits-soldes/actions", post(small_balances::actions::confirm))
        .route("/petits-soldes/actions/apercu", post(small_balances::actions::preview))
        .route("/petits-soldes/actions/{id}", get(small_balances::actions::show))
        .route("/petits-soldes/actions/{id}/annulation", post(small_balances::actions::undo))
        .route("/petits-soldes/tout-solder", get(small_balances::clear::show).post(small_balances::clear::confirm))
        .route("/rapports", get(reports::index))
        .route("/rapports/balance-agee", get(reports::aging))
        .route("/rapports/releve", get(reports::statement))
        .route("/rapports/dso", get(reports::dso))
        // Imports (issue 14: a company set up without the CLI)
        .route("/import", get(import::page).post(import::pasted))
        .route(
            "/import/{entity}",
            post(import::file).layer(axum::extract::DefaultBodyLimit::max(crate::IMPORT_BODY_LIMIT_BYTES)),
        )
        .route("/import/modeles/{file}", get(import::model_file))
        // The audit log (issue 14 point 7)
        .route("/parametres/journal", get(audit::log))
        // Relances (issue 14)
        .route("/relances", get(dunning::overview))
        .route("/relances/a-generer", get(dunning::to_generate))
        .route("/relances/propositions", post(dunning::propose))
        .route("/relances/propositions/nouvelle", get(dunning::selection))
        .route("/relances/propositions/{id}", get(dunning::review))
        .route("/relances/propositions/{id}/recalcul", post(dunning::recompute))
        .route("/relances/propositions/{id}/suppression", get(dunning::delete_confirm).post(dunning::delete))
        .route("/relances/propositions/{id}/emission", get(dunning::issue_confirm).post(dunning::issue))
        .route("/relances/propositions/{id}/impression.pdf", get(dunning::print_pdf))
        .route("/relances/propositions/{id}/impression", post(dunning::mark_printed))
        .route("/relances/lettres/{id}", get(dunning::letter))
        .route("/relances/lettres/{id}/lettre.pdf", get(dunning::letter_pdf))
        .route("/relances/lettres/{id}/retrait", post(dunning::remove_letter))
        .route("/relances/lettres/{id}/retablissement", post(dunning::restore_letter))
        .route("/relances/lettres/{id}/niveau", post(dunning::change_level))
        .route("/relances/lettres/{id}/envoi", post(dunning::set_send))
        .route("/relances/lettres/{id}/annulation", post(dunning::withdraw))
        .route("/relances/lettres/{id}/textes", get(dunning::texts).post(dunning::save_texts))
        .route("/relances/lettres/{id}/textes/reinitialisation", post(dunning::reset_texts))
        .route("/relances/elements/{id}/retrait", post(dunning::remove_item))
        .route("/relances/envois/{id}/renvoi", post(dunning::resend))
        .route("/relances/historique", get(dunning::history))
        .route("/relances/relance-externe", get(dunning::external_form).post(dunning::record_external))
        // Paramètres: relances et intérêts (issue 14)
        .route("/parametres/relances", get(settings_dunning::policies).post(settings_dunning::create))
        .route("/parametres/relances/defaut", post(settings_dunning::set_default))
        .route("/parametres/relances/{id}", get(settings_dunning::policy).post(settings_dunning::save_policy))
        .route("/parametres/relances/{id}/textes", get(settings_dunning::texts).post(settings_dunning::save_texts))
        .route("/parametres/relances/{id}/apercu.pdf", get(settings_dunning::preview_pdf))
        .route("/parametres/interets", get(settings_dunning::interest_tables).post(settings_dunning::create_table))
        .route("/parametres/interets/modele", post(settings_dunning::from_preset))
        .route("/parametres/interets/{id}/taux", post(settings_dunning::add_rates))
        // Paramètres: société (issue 14)
        .route("/parametres", get(settings::index))
        .route("/parametres/banques", get(settings::money::banks).post(settings::money::add_bank))
        .route("/parametres/banques/{id}", get(settings::money::edit_bank).post(settings::money::save_bank))
        .route("/parametres/modes", get(settings::money::methods).post(settings::money::set_method))
        .route("/parametres/comptes", get(settings::money::accounts).post(settings::money::set_account))
        .route("/parametres/montants", get(settings::money_rules::show).post(settings::money_rules::save))
        .route("/parametres/smtp", get(settings::smtp::show).post(settings::smtp::save))
        .route("/parametres/smtp/essai", post(settings::smtp::test))
        .route("/parametres/smtp/suppression", post(settings::smtp::clear))
        .route("/parametres/utilisateurs", get(settings::access::users).post(settings::access::create_user))
        .route("/parametres/utilisateurs/{id}/role", post(settings::access::set_role))
        .route("/parametres/utilisateurs/{id}/desactivation", post(settings::access::disable))
        .route("/parametres/jetons", get(settings::access::tokens).post(settings::access::create_token))
        .route("/parametres/jetons/{id}/revocation", post(settings::access::revoke_token))
        .route("/parametres/entete", get(settings::letterhead::show).post(settings::letterhead::save))
        .route("/parametres/entete/logo", post(settings::letterhead::set_logo))
        .route("/parametres/entete/apercu.pdf", get(settings::letterhead::preview))
        .route_layer(axum::middleware::from_fn_with_state(app.clone(), session::require_session));
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/installation", get(installation::form).post(installation::submit))
        .route("/static/{hash}/{file}", get(assets::serve))
        .merge(pages)
        .layer(axum::Extension(config))
}

/// What a page handler answers instead of its page.
#[derive(Debug)]
pub enum WebError {
    /// 403: the role does not allow it (the detail says which is needed).
    Forbidden { lang: Language, detail: String },
    /// 403: a write without the session's CSRF token.
    Csrf { lang: Language },
    /// 404.
    NotFound { lang: Language, detail: String },
    /// 500, logged; the page says nothing more.
    Internal(anyhow::Error),
    /// A use case's refusal with no form to show it next to (a 4xx with its text).
    App(AppError),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        WebError::App(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, lang, title, detail) = match self {
            WebError::Forbidden { lang, detail } => (StatusCode::FORBIDDEN, lang, Msg::ForbiddenTitle, detail),
            WebError::Csrf { lang } => {
                (StatusCode::FORBIDDEN, lang, Msg::ForbiddenTitle, t(lang, Msg::CsrfRefused).to_string())
            }
            WebError::NotFound { lang, detail } => (StatusCode::NOT_FOUND, lang, Msg::NotFoundTitle, detail),
            WebError::Internal(e) => {
                tracing::error!("web page failed: {e:#}");
                let lang = session::page_language();
                (StatusCode::INTERNAL_SERVER_ERROR, lang, Msg::ErrorTitle, t(lang, Msg::InternalError).into())
            }
            WebError::App(AppError::Internal(e)) => return WebError::Internal(e).into_response(),
            WebError::App(e @ AppError::NotFound { .. }) => {
                let lang = session::page_language();
                (StatusCode::NOT_FOUND, lang, Msg::NotFoundTitle, refusal::text(lang, &e))
            }
            WebError::App(e) => {
                let lang = session::page_language();
                (StatusCode::UNPROCESSABLE_ENTITY, lang, Msg::ErrorTitle, refusal::text(lang, &e))
            }
        };
        (status, html(layout::error_page(lang, t(lang, title), &detail))).into_response()
    }
}

#[derive(Deserialize)]
struct CompanyForm {
    company_id: String,
}

/// Switches the session to another company of the user (403 for a company it has no role in).
async fn switch_company(
    State(app): State<App>,
    user: WebUser,
    Form(f): Form<CompanyForm>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let forbidden =
        || WebError::Forbidden { lang, detail: format!("company {:?}: you hold no role there", f.company_id) };
    let id: i64 = f.company_id.trim().parse().map_err(|_| forbidden())?;
    if !app.switch_company(&user.session, id, user.at).await? {
        return Err(forbidden());
    }
    Ok(Redirect::to(layout::Tab::first()).into_response())
}

#[derive(Deserialize)]
struct LanguageForm {
    language: String,
}

/// Sets the user's language (FR or EN) and shows the page it came from again.
async fn set_language(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    user: WebUser,
    Form(f): Form<LanguageForm>,
) -> Result<Response, WebError> {
    let language = match f.language.as_str() {
        "fr" => Language::Fr,
        "en" => Language::En,
        other => {
            return Err(WebError::App(AppError::invalid("language", format!("{other:?}: choose fr or en"))));
        }
    };
    app.set_user_language(&user.session, language, user.at).await?;
    // Back to the page the form was on, when it is one of ours.
    let back = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
        .and_then(|r| r.find('/').map(|i| r[i..].to_string()))
        .filter(|p| login::safe_next(p))
        .unwrap_or_else(|| layout::Tab::first().to_string());
    Ok(Redirect::to(&back).into_response())
}
