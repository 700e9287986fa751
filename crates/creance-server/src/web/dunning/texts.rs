//! One draft letter's own texts (seed 004: "ajouter ou modifier les commentaires d'ouverture et de
//! clôture"; SPEC §4.6): subject, opening and closing with their placeholders, saved by
//! `App::edit_dunning_texts` (an unknown placeholder is refused next to its field), back to the
//! policy's texts, and beside the form the letter's PDF preview as it will be issued.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::dunning::{LetterDetail, Texts};
use creance_app::App;
use creance_core::dunning::{LetterStatus, PLACEHOLDERS};
use maud::{html, Markup};
use serde::Deserialize;

use super::messages::M;
use super::{done_text, error_for, field, field_error, form_refusal, notices, page_error, writer, Problem};
use crate::web::i18n::{t, tf};
use crate::web::layout::{page, Tab};
use crate::web::once::{self, Outcome};
use crate::web::{csrf, html, WebError, WebUser};

const FIELDS: [&str; 3] = ["subject", "opening", "closing"];

#[derive(Deserialize, Default)]
pub struct TextsQuery {
    done: Option<String>,
    again: Option<String>,
}

/// `GET /relances/lettres/{id}/textes`.
pub async fn texts(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<TextsQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let d = app.dunning_letter(user.company_id(), id, user.at.date()).await.map_err(|e| page_error(lang, e))?;
    let stored = app.dunning_letter_texts(user.company_id(), id).await?;
    let done = done_text(lang, q.done.as_deref());
    Ok(html(texts_page(&user, &d, &stored, done, q.again.is_some(), None)?).into_response())
}

fn texts_page(
    user: &WebUser,
    d: &LetterDetail,
    typed: &Texts,
    done: Option<String>,
    again: bool,
    problem: Option<&Problem>,
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let x = &d.letter;
    let (save_key, reset_key) = (once::hidden()?, once::hidden()?);
    let title = tf(lang, M::TextsTitle, &[&format!("{} · {}", x.payer_number, x.payer_name)]);
    let write = user.can_write() && x.status == LetterStatus::Draft;
    let base = format!("/relances/lettres/{}", x.id);
    let area = |name: &str, label: &str, value: &str, rows: u32| {
        let error = error_for(problem, "texts", &[name]);
        let id = format!("field-{name}");
        let error_id = format!("{name}-error");
        html! {
            div.field.invalid[error.is_some()] {
                label for=(id) { (label) }
                @if rows == 1 {
                    input id=(id) type="text" name=(name) value=(value) readonly[!write] aria-describedby=(error_id)
                        aria-invalid=[error.as_ref().map(|_| "true")];
                } @else {
                    textarea id=(id) name=(name) rows=(rows) readonly[!write] aria-describedby=(error_id)
                        aria-invalid=[error.as_ref().map(|_| "true")] { (value) }
                }
                (field_error(&error_id, &error))
            }
        }
    };
    let body = html! {
        p.crumbs { a href="/relances" { (t(lang, M::Title)) } " › "
            a href=(format!("/relances/propositions/{}?letter={}#letter", x.run_id, x.id)) { (tf(lang, M::ProposalLink, &[&x.run_id.to_string()])) } }
        h1 { (title) }
        (notices(lang, done, again))
        p.intro { (t(lang, M::TextsIntro)) }
        @if let Some(by) = &x.texts_edited_by { p.hint #edited-by { (tf(lang, M::EditedBy, &[by])) } }
        div.texts-layout {
            div {
                (form_refusal(lang, problem, "texts", &FIELDS))
                form.edit #texts-form method="post" action=(format!("{base}/textes")) onsubmit=(once::ONSUBMIT) {
                    (csrf::hidden(user.csrf())) (save_key)
                    (area("subject", t(lang, M::Subject), &typed.subject, 1))
                    (area("opening", t(lang, M::Opening), &typed.opening, 6))
                    (area("closing", t(lang, M::Closing), &typed.closing, 6))
                    p.hint #placeholders { (t(lang, M::Placeholders)) " "
                        @for (i, (name, _)) in PLACEHOLDERS.iter().enumerate() { @if i > 0 { ", " } code { "{" (name) "}" } } }
                    @if write { button.primary #save-texts type="submit" { (t(lang, M::SaveTexts)) } }
                }
                @if write && x.texts_edited_by.is_some() {
                    form.inline method="post" action=(format!("{base}/textes/reinitialisation")) onsubmit=(once::ONSUBMIT) {
                        (csrf::hidden(user.csrf())) (reset_key)
                        button #reset-texts type="submit" { (t(lang, M::ResetTexts)) }
                    }
                }
            }
            section.preview aria-labelledby="preview-h" {
                h2 #preview-h { (t(lang, M::PreviewTitle)) " · " a #preview-link href=(format!("{base}/lettre.pdf")) { (t(lang, M::PreviewPdf)) } }
                iframe #preview src=(format!("{base}/lettre.pdf")) title=(t(lang, M::PreviewFrame)) {}
            }
        }
    };
    Ok(page(user, Tab::Dunning, &title, body))
}

/// Saves (`Some`) or resets (`None`) the texts: the texts page again with its preview (303), or the
/// form with the refusal next to its field.
async fn save(
    app: &App,
    user: &WebUser,
    id: i64,
    form: &[(String, String)],
    path: String,
    texts: Option<Texts>,
) -> Result<Response, WebError> {
    writer(user)?;
    let lang = user.lang();
    once::run(app, user, &path, form, || async {
        match app.edit_dunning_texts(&user.actor(), user.company_id(), id, texts.as_ref()).await {
            Ok(_) => Ok(Outcome::Done(format!("/relances/lettres/{id}/textes?done=texts"))),
            Err(e) => {
                let problem = Problem::of(lang, "texts", e)?;
                let d = app.dunning_letter(user.company_id(), id, user.at.date()).await?;
                let typed = match texts {
                    Some(t) => t.clone(),
                    None => app.dunning_letter_texts(user.company_id(), id).await?,
                };
                let page = texts_page(user, &d, &typed, None, false, Some(&problem))?;
                Ok(Outcome::Refused((problem.status(), html(page)).into_response()))
            }
        }
    })
    .await
}

/// `POST /relances/lettres/{id}/textes` (`subject`, `opening`, `closing`).
pub async fn save_texts(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let text = |name: &str| field(&form, name).unwrap_or("").replace("\r\n", "\n");
    let texts = Texts { subject: text("subject"), opening: text("opening"), closing: text("closing") };
    save(&app, &user, id, &form, format!("/relances/lettres/{id}/textes"), Some(texts)).await
}

/// `POST /relances/lettres/{id}/textes/reinitialisation`: back to the policy's texts.
pub async fn reset_texts(
    State(app): State<App>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save(&app, &user, id, &form, format!("/relances/lettres/{id}/textes/reinitialisation"), None).await
}
