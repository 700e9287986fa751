//! A policy level's texts per language (SPEC §4.6: "users edit these texts themselves, with a
//! preview"): subject, opening and closing with their placeholders, saved in the policy through
//! `App::save_dunning_policy_doc` (an unknown placeholder is refused next to its field), and beside
//! the form the level's letter as a PDF preview for a sample payer in that language, from the texts
//! being typed (`App::dunning_level_texts_preview_pdf`: the iframe's address carries them, renewed a
//! moment after each keystroke, or by the refresh button).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::policy_json::{PolicyDoc, PolicyView};
use creance_app::dunning::Texts;
use creance_app::views::dunning::LevelText;
use creance_app::App;
use creance_core::dunning::{default_text, PLACEHOLDERS, TEXT_LANGUAGES};
use creance_core::Language;
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::policy::load;
use super::{admin, crumbs, error_for, field, field_error, form_refusal, input_id, notices, page_error, Problem};
use crate::web::i18n::{t, tf};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::session::encode;
use crate::web::{csrf, html, refusal, WebError, WebUser};

const FIELDS: [&str; 3] = ["subject", "opening", "closing"];

/// Renews the preview's address from the form's texts, a moment after the last keystroke (the
/// form's `oninput`; the refresh button calls it at once with `now`).
const REFRESH: &str =
    "var f=this.form||this;clearTimeout(f._p);f._p=setTimeout(function(){var q=new URLSearchParams();\
['level','language','subject','opening','closing'].forEach(function(n){q.set(n,f.elements[n].value)});\
var u=f.dataset.preview+'?'+q.toString();document.getElementById('preview').src=u;\
document.getElementById('preview-link').href=u},this.form?0:700)";

#[derive(Deserialize, Default)]
pub struct TextsQuery {
    level: Option<String>,
    language: Option<String>,
    done: Option<String>,
    again: Option<String>,
}

/// The level and language a page is about: a level of the policy (the first when absent) and one of
/// the letters' languages (fr, en, de; the user's when absent).
fn choice(
    lang: Language,
    p: &PolicyView,
    level: Option<&str>,
    language: Option<&str>,
) -> Result<(i64, String), WebError> {
    let level = match level.map(str::trim).filter(|v| !v.is_empty()) {
        None => 1,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|l| p.levels.iter().any(|x| x.level == *l))
            .ok_or_else(|| WebError::NotFound { lang, detail: tf(lang, M::NoSuchLevel, &[v, &p.code]) })?,
    };
    let language = language.map(str::trim).filter(|v| !v.is_empty()).unwrap_or(super::policies::text_language(lang));
    if !TEXT_LANGUAGES.contains(&language) {
        return Err(WebError::NotFound { lang, detail: tf(lang, M::NoSuchLanguage, &[language]) });
    }
    Ok((level, language.to_string()))
}

/// The texts of a level in a language as printed: the policy's, or the default ones.
pub(crate) fn stored_texts(p: &PolicyView, level: i64, language: &str) -> Texts {
    match p.texts.iter().find(|x| x.level == level && x.language == language) {
        Some(x) => Texts { subject: x.subject.clone(), opening: x.opening.clone(), closing: x.closing.clone() },
        None => {
            let (subject, opening, closing) = default_text(level, language);
            Texts { subject: subject.into(), opening: opening.into(), closing: closing.into() }
        }
    }
}

/// `GET /parametres/relances/{id}/textes?level=&language=`.
pub async fn texts(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<TextsQuery>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let p = load(&app, &user, id).await?;
    let (level, language) = choice(user.lang(), &p, q.level.as_deref(), q.language.as_deref())?;
    let typed = stored_texts(&p, level, &language);
    let done = q.done.is_some().then_some(M::DoneTexts);
    Ok(html(texts_page(&user, &p, (level, &language), &typed, (done, q.again.is_some()), None)?).into_response())
}

fn language_name(lang: Language, code: &str) -> &'static str {
    match code {
        "fr" => t(lang, M::French),
        "de" => t(lang, M::German),
        _ => t(lang, M::English),
    }
}

fn texts_page(
    user: &WebUser,
    p: &PolicyView,
    (level, language): (i64, &str),
    typed: &Texts,
    (done, again): (Option<M>, bool),
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    let base = format!("/parametres/relances/{}", p.id);
    let title = tf(lang, M::TextsTitle, &[&p.code, &level.to_string(), language_name(lang, language)]);
    let preview = format!(
        "{base}/apercu.pdf?level={level}&language={language}&subject={}&opening={}&closing={}",
        encode(&typed.subject),
        encode(&typed.opening),
        encode(&typed.closing)
    );
    let area = |name: &str, label: M, value: &str, rows: u32| {
        let error = error_for(problem, "texts", name);
        let id = input_id(name);
        let error_id = format!("{id}-error");
        let invalid = error.as_ref().map(|_| "true");
        html! {
            div.field.invalid[error.is_some()] {
                label for=(id) { (t(lang, label)) }
                @if rows == 1 {
                    input id=(id) type="text" name=(name) value=(value) aria-describedby=(error_id) aria-invalid=[invalid];
                } @else {
                    textarea id=(id) name=(name) rows=(rows) aria-describedby=(error_id) aria-invalid=[invalid] { (value) }
                }
                (field_error(&error_id, &error))
            }
        }
    };
    let body = html! {
        (crumbs(lang, &[
            ("/parametres/relances", t(lang, M::PoliciesTitle).to_string()),
            (&base, p.code.clone()),
            ("", t(lang, M::Texts).to_string()),
        ]))
        h1 { (title) }
        (notices(lang, done, again))
        nav.choices aria-label=(t(lang, M::ChooseLevel)) {
            span { (t(lang, M::Level)) " " }
            @for l in &p.levels {
                @if l.level == level { strong aria-current="page" { (l.level) } }
                @else { a href=(format!("{base}/textes?level={}&language={language}", l.level)) { (l.level) } }
                " "
            }
            span.sep { " · " (t(lang, M::LanguageWord)) " " }
            @for code in TEXT_LANGUAGES {
                @if *code == language { strong aria-current="page" { (language_name(lang, code)) } }
                @else { a href=(format!("{base}/textes?level={level}&language={code}")) { (language_name(lang, code)) } }
                " "
            }
        }
        div.texts-layout {
            div {
                (form_refusal(lang, problem, "texts", &|f| FIELDS.contains(&f)))
                form.edit #texts-form method="post" action=(format!("{base}/textes")) onsubmit=(once::ONSUBMIT)
                    oninput=(REFRESH) data-preview=(format!("{base}/apercu.pdf")) {
                    (csrf::hidden(user.csrf())) (key)
                    input type="hidden" name="level" value=(level);
                    input type="hidden" name="language" value=(language);
                    (area("subject", M::Subject, &typed.subject, 1))
                    (area("opening", M::Opening, &typed.opening, 6))
                    (area("closing", M::Closing, &typed.closing, 6))
                    p.hint #placeholders { (t(lang, M::Placeholders)) " "
                        @for (i, (name, _)) in PLACEHOLDERS.iter().enumerate() { @if i > 0 { ", " } code { "{" (name) "}" } } }
                    div.actions {
                        button.primary #save-texts type="submit" { (t(lang, M::SaveTexts)) }
                        button #refresh-preview type="button" onclick=(REFRESH) { (t(lang, M::RefreshPreview)) }
                    }
                }
            }
            section.preview aria-labelledby="preview-h" {
                h2 #preview-h { (t(lang, M::PreviewTitle)) " · " a #preview-link href=(preview) target="_blank" { (t(lang, M::PreviewPdf)) } }
                p.hint { (t(lang, M::PreviewHint)) }
                iframe #preview src=(preview) title=(t(lang, M::PreviewFrame)) {}
            }
        }
    };
    Ok(page(user, Tab::Settings, &title, body))
}

/// The texts typed in a form or a query (line breaks as `\n`).
fn typed_of(form: &[(String, String)]) -> Texts {
    let text = |name: &str| field(form, name).unwrap_or("").replace("\r\n", "\n");
    Texts { subject: text("subject"), opening: text("opening"), closing: text("closing") }
}

/// The policy as the API writes it, with the level's texts in `language` replaced by `typed`; the
/// index of those texts in the document (its refusals name `texts[i].subject`).
fn doc_with(p: &PolicyView, level: i64, language: &str, typed: &Texts) -> (PolicyDoc, usize) {
    let mut doc = PolicyDoc::from(p);
    doc.texts.retain(|x| !(x.level == level && x.language == language));
    doc.texts.push(LevelText {
        level,
        language: language.to_string(),
        subject: typed.subject.clone(),
        opening: typed.opening.clone(),
        closing: typed.closing.clone(),
    });
    let at = doc.texts.len() - 1;
    (doc, at)
}

/// `POST /parametres/relances/{id}/textes` (`level`, `language`, `subject`, `opening`, `closing`):
/// the texts page again (303), or the form with the refusal next to its field and nothing saved.
pub async fn save_texts(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    let p = load(&app, &user, id).await?;
    let (level, language) = choice(lang, &p, field(&form, "level"), field(&form, "language"))?;
    let typed = typed_of(&form);
    let path = format!("/parametres/relances/{id}/textes");
    once::run(&app, &user, &path, &form, || async {
        let (doc, at) = doc_with(&p, level, &language, &typed);
        match app.save_dunning_policy_doc(&user.actor(), user.company_id(), &doc).await {
            Ok(_) => Ok(Outcome::Done(format!("{path}?level={level}&language={language}&done=1"))),
            Err(e) => {
                let mut problem = Problem::of(lang, "texts", e)?;
                // `texts[at].opening` is the form's `opening`.
                let own = format!("texts[{at}].");
                problem.field = problem.field.map(|f| f.strip_prefix(&own).map(str::to_string).unwrap_or(f));
                let page = texts_page(&user, &p, (level, &language), &typed, (None, false), Some(&problem))?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

/// `GET /parametres/relances/{id}/apercu.pdf?level=&language=&subject=&opening=&closing=`: the
/// level's letter for a sample payer in that language with those texts (not saved); a refused text
/// is a page saying why, in the frame.
pub async fn preview_pdf(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    admin(&user)?;
    let lang = user.lang();
    let p = load(&app, &user, id).await?;
    let (level, language) = choice(lang, &p, field(&q, "level"), field(&q, "language"))?;
    let typed = typed_of(&q);
    let reader = Language::parse(&language).unwrap_or(Language::En);
    let today = user.at.date();
    match app.dunning_level_texts_preview_pdf(user.company_id(), id, level, reader, &typed, today).await {
        Ok(pdf) => Ok(super::pdf(pdf)),
        Err(e @ creance_app::AppError::Invalid(_)) => {
            let text = refusal::text(lang, &e);
            let body = html! { main #main { p.form-error role="alert" #preview-error { strong { (t(lang, M::Refused)) } " " (text) } } };
            let page = crate::web::layout::document(lang, t(lang, M::PreviewTitle), None, body);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(page)).into_response())
        }
        Err(e) => Err(page_error(lang, e)),
    }
}
