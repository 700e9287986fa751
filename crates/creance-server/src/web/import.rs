//! Imports in the browser (`/import`): customers, contracts and invoices (and other documents) from the
//! CSV files billing exports, through `App::import`, the use case the CLI and the API call — every row
//! checked before anything is written, every bad row listed with its line, column and reason, nothing
//! imported then, and a second import of the same file changing nothing.
//!
//! A file goes as the API takes it: the page's script posts its bytes as the body (`text/csv`, the
//! CSRF token in `X-CSRF-Token`, at most 512 MiB) to `/import/{entity}` and shows the answer, an HTML
//! fragment, under the form. Without the script, or for a few rows copied from a spreadsheet, the
//! text can be pasted in the form's text area (`csv`, a form of at most 1 MiB); the answer is then the
//! page with the report. `/import/modeles/{entity}.csv` gives a model file (the repository's
//! `examples/`). `?bienvenue=1` (after the installation) shows the steps of a company's set-up.
//! Clerks and admins import (as the API's `imports` routes ask).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use creance_app::import::{read_csv, Entity, ImportReport};
use creance_app::{App, AppError};
use creance_core::{Language, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::i18n::{t, tf, Catalogue};
use super::layout::{self, Tab};
use super::{csrf, html, import_words, WebError, WebUser};

/// The entities in the order a company imports them (a contract names its customer, an invoice its
/// customer and contract).
const ENTITIES: [Entity; 3] = [Entity::Customers, Entity::Contracts, Entity::Documents];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum M {
    Title,
    Intro,
    Order,
    Welcome,
    WelcomeIntro,
    StepImport,
    StepLetterhead,
    StepBanks,
    StepSmtp,
    StepDunning,
    StepUsers,
    Customers,
    Contracts,
    Documents,
    CustomersAbout,
    ContractsAbout,
    DocumentsAbout,
    File,
    FileHint,
    Send,
    Model,
    Formats,
    PasteTitle,
    PasteHint,
    PasteLabel,
    Kind,
    PasteSend,
    Refused,
    Unreadable,
    Done,
    Nothing,
    Advances,
    Line,
    Item,
    Column,
    Reason,
    NotImportable,
    Sending,
    ReasonsEnglish,
}

impl Catalogue for M {
    fn pair(self) -> (&'static str, &'static str) {
        use M::*;
        match self {
            Title => ("Importer", "Import"),
            Intro => (
                "Les fichiers CSV de la facturation : séparateur ; , ou tabulation, UTF-8, virgule ou point décimal, colonnes en français ou en anglais. Chaque ligne est vérifiée avant que rien ne soit écrit : une seule ligne fausse, et rien n'est importé. Réimporter le même fichier ne change rien.",
                "The billing system's CSV files: ; , or tab separated, UTF-8, decimal comma or point, columns in French or English. Every row is checked before anything is written: one bad row, and nothing is imported. Importing the same file again changes nothing.",
            ),
            Order => (
                "Dans cet ordre : les clients, puis les contrats (qui nomment leur client), puis les factures (qui nomment leur client et leur contrat).",
                "In this order: customers, then contracts (which name their customer), then invoices (which name their customer and contract).",
            ),
            Welcome => ("Bienvenue : la société est créée", "Welcome: the company is created"),
            WelcomeIntro => ("Vous êtes connecté comme son administrateur. Pour la mettre en route :", "You are logged in as its administrator. To set it going:"),
            StepImport => ("importez les clients, les contrats et les factures ci-dessous ;", "import the customers, contracts and invoices below;"),
            StepLetterhead => ("l'en-tête des lettres et le logo", "the letterhead and logo"),
            StepBanks => ("les comptes bancaires (où payer, remises en banque)", "the bank accounts (where to pay, bank deposits)"),
            StepSmtp => ("le serveur d'e-mail (sans lui, les e-mails sont écrits dans le dossier d'envoi)", "the e-mail server (without it, e-mails are written to the outbox folder)"),
            StepDunning => ("les politiques de relance, leurs niveaux et leurs textes", "the dunning policies, their levels and texts"),
            StepUsers => ("les utilisateurs et leurs rôles", "the users and their roles"),
            Customers => ("Clients", "Customers"),
            Contracts => ("Contrats", "Contracts"),
            Documents => ("Factures et avoirs", "Invoices and credit notes"),
            CustomersAbout => (
                "Un client par ligne, par son numéro : un numéro connu met le client à jour.",
                "One customer per row, by number: a known number updates the customer.",
            ),
            ContractsAbout => ("Un contrat par ligne : numéro, client, statut, dates.", "One contract per row: number, customer, status, dates."),
            DocumentsAbout => (
                "Une échéance par ligne (ou une ligne par pièce avec sa condition de paiement) ; une pièce déjà imputée ou relancée ne change plus.",
                "One installment per row (or one row per document with its payment term); a document already allocated or dunned no longer changes.",
            ),
            File => ("Fichier CSV", "CSV file"),
            FileHint => ("512 Mio au plus.", "512 MiB at most."),
            Send => ("Importer le fichier", "Import the file"),
            Model => ("Fichier modèle", "Model file"),
            Formats => ("Les colonnes, une à une : docs/import.md", "Every column: docs/import.md"),
            PasteTitle => ("Ou coller des lignes", "Or paste rows"),
            PasteHint => (
                "Copiées d'un tableur, avec leur ligne d'en-tête (1 Mio au plus).",
                "Copied from a spreadsheet, with their header row (1 MiB at most).",
            ),
            PasteLabel => ("Lignes CSV", "CSV rows"),
            Kind => ("Ce sont des", "These are"),
            PasteSend => ("Importer ces lignes", "Import these rows"),
            Refused => (
                "{} : import refusé, {} ligne(s) fausse(s) sur {} ; rien n'a été importé. Corrigez-les et importez de nouveau le fichier entier.",
                "{}: import refused, {} bad row(s) of {}; nothing was imported. Correct them and import the whole file again.",
            ),
            Unreadable => ("{} : le fichier ne se lit pas ; rien n'a été importé.", "{}: the file cannot be read; nothing was imported."),
            Done => ("{} : {} créé(s), {} mis à jour, {} inchangé(s).", "{}: {} created, {} updated, {} unchanged."),
            Nothing => ("{} : les {} ligne(s) sont déjà importées ; rien n'a changé.", "{}: all {} row(s) are imported already; nothing changed."),
            Advances => ("{} acompte(s) imputé(s) aux nouvelles factures de même référence de commande.", "{} advance(s) allocated to the new invoices of the same order reference."),
            Line => ("Ligne", "Line"),
            Item => ("Élément", "Item"),
            Column => ("Colonne", "Column"),
            Reason => ("Motif", "Reason"),
            NotImportable => ("« {} » ne s'importe pas : clients, contrats ou factures.", "\"{}\" is not importable: customers, contracts or invoices."),
            Sending => ("Import en cours…", "Importing…"),
            ReasonsEnglish => ("Les motifs sont ceux du contrôle d'import, en anglais.", "The reasons are the import check's."),
        }
    }
}

fn entity_name(e: Entity) -> M {
    match e {
        Entity::Customers => M::Customers,
        Entity::Contracts => M::Contracts,
        Entity::Documents => M::Documents,
    }
}

fn entity_about(e: Entity) -> M {
    match e {
        Entity::Customers => M::CustomersAbout,
        Entity::Contracts => M::ContractsAbout,
        Entity::Documents => M::DocumentsAbout,
    }
}

/// The path word of an entity (the API's: `invoices` for documents).
fn path_word(e: Entity) -> &'static str {
    match e {
        Entity::Customers => "customers",
        Entity::Contracts => "contracts",
        Entity::Documents => "invoices",
    }
}

fn model(e: Entity) -> &'static str {
    match e {
        Entity::Customers => include_str!("../../../../examples/customers.csv"),
        Entity::Contracts => include_str!("../../../../examples/contracts.csv"),
        Entity::Documents => include_str!("../../../../examples/invoices.csv"),
    }
}

fn parse_entity(lang: Language, word: &str) -> Result<Entity, WebError> {
    Entity::parse(word).ok_or_else(|| WebError::NotFound { lang, detail: tf(lang, M::NotImportable, &[word]) })
}

/// The lines at fault (a line may have several faults).
fn bad_lines(r: &ImportReport) -> usize {
    let mut lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
    lines.sort_unstable();
    lines.dedup();
    lines.len()
}

/// What an import did, or every row it refused, in the user's language.
fn report(lang: Language, r: &ImportReport, entity: Entity) -> Markup {
    let name = t(lang, entity_name(entity));
    let rows = r.rows.to_string();
    html! {
        section.import-report aria-live="polite" {
            @if !r.errors.is_empty() {
                p.field-error role="alert" {
                    @if r.rows == 0 { (tf(lang, M::Unreadable, &[name])) }
                    @else { (tf(lang, M::Refused, &[name, &bad_lines(r).to_string(), &rows])) }
                }
                table.list {
                    thead { tr {
                        th.num { (t(lang, if r.location == "item" { M::Item } else { M::Line })) }
                        th { (t(lang, M::Column)) }
                        th { (t(lang, M::Reason)) }
                    } }
                    tbody {
                        @for e in &r.errors {
                            tr {
                                td.num { @if e.line > 0 { (e.line) } }
                                td { @if let Some(c) = &e.column { code { (c) } } }
                                td { (import_words::reason(lang, e)) }
                            }
                        }
                    }
                }
                @if !import_words::all_worded(lang, &r.errors) { p.hint { (t(lang, M::ReasonsEnglish)) } }
            } @else if r.changed_nothing() {
                p.notice role="status" { (tf(lang, M::Nothing, &[name, &rows])) }
            } @else {
                p.notice role="status" {
                    (tf(lang, M::Done, &[name, &r.created.to_string(), &r.updated.to_string(), &r.unchanged.to_string()]))
                }
                @if r.advances_allocated > 0 {
                    p.notice { (tf(lang, M::Advances, &[&r.advances_allocated.to_string()])) }
                }
            }
        }
    }
}

/// The report of an import, refused or done; an error that is not about the file goes up.
async fn run(app: &App, user: &WebUser, entity: Entity, body: &[u8]) -> Result<ImportReport, WebError> {
    let (table, errors) = read_csv(body, entity);
    match app.import(&user.actor(), user.company_id(), entity, &table, errors).await {
        Ok(r) => Ok(r),
        Err(AppError::Import(r)) => Ok(*r),
        Err(e) => Err(e.into()),
    }
}

fn welcome(lang: Language) -> Markup {
    html! {
        section.notice.welcome aria-labelledby="welcome-h" {
            h2 #welcome-h { (t(lang, M::Welcome)) }
            p { (t(lang, M::WelcomeIntro)) }
            ol {
                li { (t(lang, M::StepImport)) }
                li { a href="/parametres/entete" { (t(lang, M::StepLetterhead)) } }
                li { a href="/parametres/banques" { (t(lang, M::StepBanks)) } }
                li { a href="/parametres/smtp" { (t(lang, M::StepSmtp)) } }
                li { a href="/parametres/relances" { (t(lang, M::StepDunning)) } }
                li { a href="/parametres/utilisateurs" { (t(lang, M::StepUsers)) } }
            }
        }
    }
}

fn import_page(user: &WebUser, welcome_shown: bool, pasted: Option<(Entity, &str, Markup)>) -> Markup {
    let lang = user.lang();
    let (pasted_entity, pasted_text, pasted_report) = match pasted {
        Some((e, text, r)) => (Some(e), text, Some(r)),
        None => (None, "", None),
    };
    layout::page(
        user,
        Tab::Settings,
        t(lang, M::Title),
        html! {
            h1 { (t(lang, M::Title)) }
            @if welcome_shown { (welcome(lang)) }
            p { (t(lang, M::Intro)) }
            p { strong { (t(lang, M::Order)) } " " (t(lang, M::Formats)) }
            @for e in ENTITIES {
                @let w = path_word(e);
                section.import aria-labelledby={ "h-" (w) } {
                    h2 id={ "h-" (w) } { (t(lang, entity_name(e))) }
                    p.hint { (t(lang, entity_about(e))) " " a href={ "/import/modeles/" (w) ".csv" } download { (t(lang, M::Model)) } }
                    form.import-file.settings-form method="post" action={ "/import/" (w) } data-entity=(w) {
                        div.field {
                            label for={ "file-" (w) } { (t(lang, M::File)) }
                            input id={ "file-" (w) } type="file" name="file" accept=".csv,text/csv,text/plain" required
                                aria-describedby={ "file-" (w) "-hint" };
                            p.hint id={ "file-" (w) "-hint" } { (t(lang, M::FileHint)) }
                        }
                        button.primary type="submit" data-sending=(t(lang, M::Sending)) { (t(lang, M::Send)) }
                    }
                    div.import-result id={ "result-" (w) } {}
                }
            }
            section.import aria-labelledby="h-paste" {
                h2 #h-paste { (t(lang, M::PasteTitle)) }
                form.settings-form method="post" action="/import" {
                    (csrf::hidden(user.csrf()))
                    div.field {
                        label for="f-entity" { (t(lang, M::Kind)) }
                        select #f-entity name="entity" {
                            @for e in ENTITIES {
                                option value=(path_word(e)) selected[pasted_entity == Some(e)] { (t(lang, entity_name(e))) }
                            }
                        }
                    }
                    div.field {
                        label for="f-csv" { (t(lang, M::PasteLabel)) }
                        textarea #f-csv name="csv" rows="8" cols="100" aria-describedby="f-csv-hint" { (pasted_text) }
                        p.hint #f-csv-hint { (t(lang, M::PasteHint)) }
                    }
                    button.primary type="submit" { (t(lang, M::PasteSend)) }
                }
                @if let Some(r) = pasted_report { div.import-result #result-paste { (r) } }
            }
            script { (maud::PreEscaped(SCRIPT)) }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    bienvenue: Option<String>,
}

/// `GET /import`.
pub async fn page(user: WebUser, Query(q): Query<ImportQuery>) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    Ok(html(import_page(&user, q.bienvenue.is_some(), None)).into_response())
}

#[derive(Deserialize)]
pub struct PastedForm {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    csv: String,
}

/// `POST /import`: pasted rows; the page with the report under them.
pub async fn pasted(
    State(app): State<App>,
    user: WebUser,
    axum::Form(f): axum::Form<PastedForm>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let lang = user.lang();
    let entity = parse_entity(lang, &f.entity)?;
    let r = run(&app, &user, entity, f.csv.as_bytes()).await?;
    let status = if r.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = import_page(&user, false, Some((entity, &f.csv, report(lang, &r, entity))));
    Ok((status, html(page)).into_response())
}

#[derive(Deserialize)]
pub struct EntityPath {
    entity: String,
}

/// `POST /import/{entity}`: a file's bytes as the body (whatever its `Content-Type`: browsers name a
/// `.csv` file `text/csv`, `application/vnd.ms-excel` or nothing); the report as an HTML fragment,
/// 200 when imported, 422 when refused.
pub async fn file(
    State(app): State<App>,
    user: WebUser,
    Path(p): Path<EntityPath>,
    body: Bytes,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let lang = user.lang();
    let entity = parse_entity(lang, &p.entity)?;
    let r = run(&app, &user, entity, &body).await?;
    let status = if r.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(report(lang, &r, entity))).into_response())
}

/// `GET /import/modeles/{entity}.csv`: a model file.
pub async fn model_file(user: WebUser, Path(file): Path<String>) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let lang = user.lang();
    let word = file.strip_suffix(".csv").unwrap_or(&file);
    let entity = parse_entity(lang, word)?;
    let disposition = format!("attachment; filename=\"{}.csv\"", path_word(entity));
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        model(entity),
    )
        .into_response())
}

/// The file forms' script: each posts its file as the body with the CSRF token in its header and
/// puts the answer (the server's HTML) under the form.
const SCRIPT: &str = r#"
document.querySelectorAll('form.import-file').forEach(function (f) {
  f.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var file = f.querySelector('input[type=file]').files[0];
    var out = document.getElementById('result-' + f.dataset.entity), button = f.querySelector('button');
    if (!file) { return; }
    var token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
    var label = button.textContent;
    button.disabled = true; button.textContent = button.dataset.sending;
    fetch(f.action, {method: 'POST', body: file, credentials: 'same-origin',
                     headers: {'Content-Type': 'text/csv', 'X-CSRF-Token': token}})
      .then(function (r) {
        if (r.status === 200 || r.status === 422) { return r.text().then(function (text) { out.innerHTML = text; }); }
        out.textContent = r.status + ' ' + r.statusText;
      })
      .finally(function () { button.disabled = false; button.textContent = label; });
  });
});
"#;
