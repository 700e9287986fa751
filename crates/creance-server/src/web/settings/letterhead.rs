//! `/parametres/entete`: the letterhead lines (`App::set_letterhead`, the API's
//! `PUT /api/v1/settings/letterhead` and its field names), the logo (`/logo`:
//! `App::set_letterhead_logo`, a JPEG of at most 512 KiB, as `PUT …/letterhead/logo` takes it) and
//! a preview of a letter with them (`/apercu.pdf`: the default policy's level-1 letter for a sample
//! payer, `App::dunning_level_preview_pdf`).
//!
//! The logo goes as the API takes it: the file's bytes as the body, `Content-Type: image/jpeg`.
//! The page's form sends it so with a few lines of script (`fetch`, with the session's CSRF token
//! in the `X-CSRF-Token` header the session layer checks: nothing of CSRF is weakened, and no
//! multipart parser is needed); the size limit is the use case's (422 on the field `logo`).
//! The signature blocks are the default one and one per language letters are written in (`fr`,
//! `en`, `de`: the API's `signatures.fr`…, a language left empty prints the default); the preview
//! is offered in each of those languages (`?language=`), for a sample payer speaking it.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::documents::letterhead::{LetterheadInput, LetterheadSettings, SIGNATURE_LANGUAGES};
use creance_app::dunning::policy_json::PolicyView;
use creance_app::{App, AppError};
use creance_core::{Language, Role};
use maud::{html, Markup, PreEscaped};

use super::super::form::{describedby, FormField};
use super::super::i18n::{t, tf};
use super::super::once::{self, Outcome};
use super::super::{csrf, html, WebError, WebUser};
use super::messages::M;
use super::money::{value, Done};
use super::{described, done_notice, field, owned, problem, problem_box, settings_page, text_field, Problem};

const FIELDS: [&str; 12] = [
    "registration",
    "vat_number",
    "phone",
    "email",
    "web",
    "envelope_window",
    "signature_lines",
    "signatures.fr",
    "signatures.en",
    "signatures.de",
    "bank_account_id",
    "print_item_texts",
];

/// `GET /parametres/entete`.
pub async fn show(State(app): State<App>, user: WebUser, Query(q): Query<Done>) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let done = q.done.as_deref().map(|d| t(user.lang(), if d == "logo" { M::LogoSaved } else { M::Saved }));
    let h = app.letterhead(user.company_id()).await?;
    let values = shown(&h);
    Ok(html(letterhead_page(&app, &user, &h, &values, None, done).await?).into_response())
}

/// The signature block of `language` as its text area shows it (empty: the default is printed).
fn signature_of(h: &LetterheadSettings, language: Language) -> String {
    h.signatures.get(language.code()).map(|lines| lines.join("\n")).unwrap_or_default()
}

/// The lines of a text area (blank ones dropped).
fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn shown(h: &LetterheadSettings) -> Vec<(String, String)> {
    owned([
        ("registration", h.registration.clone()),
        ("vat_number", h.vat_number.clone()),
        ("phone", h.phone.clone()),
        ("email", h.email.clone()),
        ("web", h.web.clone()),
        ("envelope_window", h.envelope_window.clone()),
        ("signature_lines", h.signature_lines.join("\n")),
        ("signatures.fr", signature_of(h, Language::Fr)),
        ("signatures.en", signature_of(h, Language::En)),
        ("signatures.de", signature_of(h, Language::De)),
        ("bank_account_id", h.bank_account_id.map(|i| i.to_string()).unwrap_or_default()),
        ("print_item_texts", if h.print_item_texts { "true".into() } else { String::new() }),
    ])
}

/// `POST /parametres/entete`: saves the lines (303 back), or the form again with the refusal.
pub async fn save(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    once::run(&app, &user, "/parametres/entete", &pairs, || async {
        let current = app.letterhead(user.company_id()).await?;
        let result = match value(&pairs, "bank_account_id").trim() {
            "" => Ok(None),
            v => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| AppError::invalid("bank_account_id", format!("{v:?} is not a bank account"))),
        };
        let result = match result {
            Ok(bank_account_id) => {
                let input = LetterheadInput {
                    registration: value(&pairs, "registration").to_string(),
                    vat_number: value(&pairs, "vat_number").to_string(),
                    phone: value(&pairs, "phone").to_string(),
                    email: value(&pairs, "email").to_string(),
                    web: value(&pairs, "web").to_string(),
                    envelope_window: Some(value(&pairs, "envelope_window").to_string()),
                    signature_lines: lines_of(value(&pairs, "signature_lines")),
                    signatures: SIGNATURE_LANGUAGES
                        .iter()
                        .map(|l| (l.code().to_string(), lines_of(value(&pairs, &format!("signatures.{}", l.code())))))
                        .collect(),
                    bank_account_id,
                    print_item_texts: value(&pairs, "print_item_texts") == "true",
                };
                app.set_letterhead(&user.actor(), user.company_id(), &input).await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => Ok(Outcome::Done("/parametres/entete?done=saved".into())),
            Err(e) => {
                let (status, p) = problem(user.lang(), e)?;
                let page = letterhead_page(&app, &user, &current, &pairs, Some(p), None).await?;
                Ok(Outcome::Refused((status, html(page)).into_response()))
            }
        }
    })
    .await
}

/// `POST /parametres/entete/logo`: the JPEG as the body (`image/jpeg`, the API's way). 204 when
/// set; a refusal is a 422 whose body is its text (the page's script shows it next to the field).
pub async fn set_logo(
    State(app): State<App>,
    user: WebUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let lang = user.lang();
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.trim().eq_ignore_ascii_case("image/jpeg") {
        let text = match lang {
            creance_core::Language::Fr => format!("« {content_type} » n'est pas accepté : choisissez un fichier JPEG"),
            _ => format!("{content_type:?} is not accepted; choose a JPEG file"),
        };
        return Ok((StatusCode::UNSUPPORTED_MEDIA_TYPE, text).into_response());
    }
    match app.set_letterhead_logo(&user.actor(), user.company_id(), &body).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(e) => {
            let (status, p) = problem(lang, e)?;
            Ok((status, p.text).into_response())
        }
    }
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct PreviewQuery {
    /// `fr`, `en` or `de`: the letter of a sample payer speaking it (its signature); absent: the
    /// company's language.
    language: Option<String>,
}

/// `GET /parametres/entete/apercu.pdf` (`?language=`): the default policy's level-1 letter for a
/// sample payer, with the policy's texts in that language.
pub async fn preview(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<PreviewQuery>,
) -> Result<Response, WebError> {
    user.require(Role::Admin)?;
    let lang = user.lang();
    let company = user.company_id();
    let policies = app.dunning_policies(company).await?;
    let Some(policy) = policies.iter().find(|p| p.is_default).or(policies.first()) else {
        return Err(WebError::NotFound { lang, detail: t(lang, M::NoPolicy).to_string() });
    };
    let today = user.at.date();
    let language = match q.language.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(code) => match SIGNATURE_LANGUAGES.iter().find(|l| l.code() == code) {
            Some(l) => Some(*l),
            None => {
                let e = AppError::invalid("language", format!("{code:?} is not one of fr, en, de"));
                return Err(WebError::App(e));
            }
        },
    };
    let pdf = match language {
        None => app.dunning_level_preview_pdf(company, policy.id, 1, None, today).await?,
        Some(l) => {
            let texts = crate::web::settings_dunning::stored_texts(&PolicyView::from(policy), 1, l.code());
            app.dunning_level_texts_preview_pdf(company, policy.id, 1, l, &texts, today).await?
        }
    };
    Ok(super::super::pdf(pdf))
}

/// The logo form's script: sends the file as the body, with the CSRF token in its header.
const LOGO_SCRIPT: &str = r#"
document.getElementById('logo-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var f = ev.target, file = f.querySelector('#f-logo').files[0], out = document.getElementById('f-logo-error');
  if (!file) { return; }
  var token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
  fetch('/parametres/entete/logo', {method: 'POST', body: file, credentials: 'same-origin',
         headers: {'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': token}})
    .then(function (r) {
      if (r.ok) { window.location = '/parametres/entete?done=logo'; return; }
      return r.text().then(function (text) { out.textContent = text; out.hidden = false; });
    });
});
"#;

/// A language's name in the user's language.
fn language_name(lang: Language, l: Language) -> &'static str {
    t(
        lang,
        match l {
            Language::Fr => M::LanguageFr,
            Language::De => M::LanguageDe,
            _ => M::LanguageEn,
        },
    )
}

async fn letterhead_page(
    app: &App,
    user: &WebUser,
    h: &LetterheadSettings,
    values: &[(String, String)],
    p: Option<Problem>,
    done: Option<&str>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let banks = app.bank_accounts(user.company_id()).await?;
    let input =
        |name: &'static str, label: M| text_field(FormField::new("", name, t(lang, label), value(values, name)), &p);
    let signature = |name: &str, id: &str, label: &str, hint: &str| {
        let error = Problem::on(&p, name);
        field(
            id,
            label,
            Some(hint),
            error.clone(),
            html! {
                textarea id=(id) name=(name) rows="4" aria-describedby=[describedby(id, true, error.is_some())]
                    aria-invalid=[error.as_ref().map(|_| "true")] { (value(values, name)) }
            },
        )
    };
    let err = |name: &str| Problem::on(&p, name);
    let window = value(values, "envelope_window");
    let bank = value(values, "bank_account_id");
    let key = once::hidden()?;
    let body = html! {
        (done_notice(done))
        (problem_box(lang, &p, &FIELDS))
        form.settings-form method="post" action="/parametres/entete" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            div.form-grid {
                (input("registration", M::Registration))
                (input("vat_number", M::VatNumber))
                (input("phone", M::Phone))
                (input("email", M::LetterEmail))
                (input("web", M::Web))
                (field("f-envelope_window", t(lang, M::EnvelopeWindow), None, err("envelope_window"), html! {
                    select #f-envelope_window name="envelope_window" aria-describedby=[described("f-envelope_window", &err("envelope_window"))] {
                        option value="right" selected[window != "left"] { (t(lang, M::WindowRight)) }
                        option value="left" selected[window == "left"] { (t(lang, M::WindowLeft)) }
                    }
                }))
                (field("f-bank_account_id", t(lang, M::PrintedBank), Some(t(lang, M::PrintedBankHint)), err("bank_account_id"), html! {
                    select #f-bank_account_id name="bank_account_id" aria-describedby=[described("f-bank_account_id", &err("bank_account_id"))] {
                        option value="" { (t(lang, M::BankByCurrency)) }
                        @for b in &banks { option value=(b.id) selected[bank == b.id.to_string()] { (b.name) " (" (b.currency.code()) ")" } }
                    }
                }))
                (signature("signature_lines", "f-signature_lines", t(lang, M::Signature), t(lang, M::SignatureHint)))
                div.field.check {
                    input #f-print_item_texts type="checkbox" name="print_item_texts" value="true" checked[value(values, "print_item_texts") == "true"];
                    label for="f-print_item_texts" { (t(lang, M::PrintItemTexts)) }
                }
            }
            fieldset.signatures #signatures {
                legend { (t(lang, M::SignaturesPerLanguage)) }
                p.hint { (t(lang, M::SignaturesPerLanguageHint)) }
                div.form-grid {
                    @for l in SIGNATURE_LANGUAGES {
                        (signature(&format!("signatures.{}", l.code()), &format!("f-signatures-{}", l.code()),
                            &tf(lang, M::SignatureIn, &[language_name(lang, l)]), t(lang, M::SignatureInHint)))
                    }
                }
            }
            div.form-actions {
                button.primary #save-letterhead type="submit" { (t(lang, M::Save)) }
                a href="/parametres/entete/apercu.pdf" target="_blank" { (t(lang, M::Preview)) }
                span.previews { (t(lang, M::PreviewIn)) " "
                    @for (i, l) in SIGNATURE_LANGUAGES.iter().enumerate() {
                        @if i > 0 { " · " }
                        a #(format!("preview-{}", l.code())) href=(format!("/parametres/entete/apercu.pdf?language={}", l.code())) target="_blank" { (language_name(lang, *l)) }
                    }
                }
            }
        }
        section aria-labelledby="logo-h" {
            h2 #logo-h { (t(lang, M::Logo)) }
            p.hint #logo-state { (t(lang, if h.has_logo { M::HasLogo } else { M::NoLogo })) }
            form #logo-form.settings-form method="post" action="/parametres/entete/logo" enctype="multipart/form-data" {
                div.field {
                    label for="f-logo" { (t(lang, M::LogoFile)) }
                    input #f-logo type="file" name="logo" accept="image/jpeg" required aria-describedby="f-logo-hint f-logo-error";
                    p.hint #f-logo-hint { (t(lang, M::LogoHint)) }
                    p.field-error #f-logo-error role="alert" hidden {}
                }
                div.form-actions { button #send-logo type="submit" { (t(lang, M::SendLogo)) } }
            }
            script { (PreEscaped(LOGO_SCRIPT)) }
        }
    };
    Ok(settings_page(user, t(lang, M::LetterheadTitle), body))
}
