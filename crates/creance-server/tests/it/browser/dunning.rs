//! The Relances screens in the browser (a French clerk, the demo): a proposal run with criteria from
//! the selection screen, a payer removed, a level lowered, a letter's opening text edited and read in
//! its PDF preview, the proposal issued after its confirmation, an issued letter's PDF opened; a
//! failed e-mail resent from the letter's page and sent by the in-process SMTP server; a reminder
//! made outside recorded from the history's "…" button; a proposal deleted only after its
//! confirmation (cancelled once); a read-only user shown no write button and refused a write. With `CREANCE_SCREENSHOTS=1` they write `docs/screenshots/ui_dunning_*.png`.

use creance_app::delivery::{DeliveryOptions, SmtpInput};
use creance_app::dunning::LetterFilter;
use creance_app::queries::Page;
use creance_app::{Actor, App};
use creance_core::dunning::{DeliveryStatus, LetterChannel, LetterStatus, RunStatus};
use creance_store::testing::TEST_INSTANT;
use serde_json::Value;

use super::{demo_db, Browser};
use crate::web::PASSWORD;

#[allow(dead_code)] // the delivery tests' server, shared: this suite uses part of it
#[path = "../../../../creance-app/tests/it/smtp_server.rs"]
mod smtp_server;

fn actor() -> Actor {
    Actor::new("test", TEST_INSTANT)
}

fn page() -> Page {
    Page::new(Some(500), Some(0)).unwrap()
}

/// Deletes the demo's draft proposal, so that a new one finds its installments free.
async fn delete_demo_draft(app: &App, company: i64) {
    for r in app.dunning_proposals(company, Some("draft"), page()).await.unwrap().items {
        app.delete_dunning_proposal(&actor(), company, r.id).await.unwrap();
    }
}

/// Sets an input's or a select's value, as typing or choosing does (date inputs included).
async fn set(b: &Browser, css: &str, value: &str) {
    b.execute(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change'));",
        vec![Value::from(css), Value::from(value)],
    )
    .await;
}

/// GETs `path` from the page with the session's cookie: status, content type and the bytes.
async fn fetch(b: &Browser, path: &str) -> (i64, String, Vec<u8>) {
    let v = b
        .execute(
            "const x = new XMLHttpRequest(); x.open('GET', arguments[0], false); \
             x.overrideMimeType('text/plain; charset=x-user-defined'); x.send(); \
             return [x.status, x.getResponseHeader('content-type'), Array.from(x.responseText, c => c.charCodeAt(0) & 255)];",
            vec![Value::from(path)],
        )
        .await;
    let bytes = v[2].as_array().map(|a| a.iter().map(|n| n.as_u64().unwrap_or(0) as u8).collect()).unwrap_or_default();
    (v[0].as_i64().unwrap_or(0), v[1].as_str().unwrap_or("").to_string(), bytes)
}

/// The id at the end of the current path (`/relances/propositions/12?…` → 12).
async fn id_in_path(b: &Browser, prefix: &str) -> i64 {
    let path = b.path().await;
    path.trim_start_matches(prefix).split(['?', '#', '/']).next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn run_a_proposal_remove_a_payer_lower_a_level_edit_a_text_issue_and_open_a_letter() {
    // Boxed: the scenario's future is large, the test thread's stack is not.
    Box::pin(run_a_proposal_remove_a_payer_lower_a_level_edit_a_text_issue_and_open_a_letter_scenario()).await;
}

async fn run_a_proposal_remove_a_payer_lower_a_level_edit_a_text_issue_and_open_a_letter_scenario() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    // Each step is its own boxed future: one long scenario's poll frame outgrows the test thread's stack
    // in a debug build.
    let (run, letters) = Box::pin(select_and_compute(&b, company)).await;
    let gone = letters[0].id;
    Box::pin(remove_a_payer(&b, company, gone)).await;
    let high = letters
        .iter()
        .find(|l| l.level >= 2 && l.id != gone)
        .expect("a letter at level 2 (the demo's letters of 16 days ago)");
    Box::pin(lower_a_level(&b, company, run, high.id)).await;
    let edited = letters.iter().find(|l| l.id != gone).unwrap().id;
    Box::pin(edit_a_text(&b, run, edited)).await;
    Box::pin(issue_it(&b, company, run)).await;
    Box::pin(open_the_letter(&b, company, edited)).await;
    b.finish().await;
}

/// The tab, then the selection with criteria: the draft's id and letters.
async fn select_and_compute(b: &Browser, company: i64) -> (i64, Vec<creance_app::views::dunning::Letter>) {
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    // The tab: the demo's letters of 16 days ago in progress below, what to generate above.
    b.goto("/relances").await;
    b.wait_for("#in-progress").await;
    b.wait_for("#to-generate").await;
    assert_eq!(b.text_of("#to-generate-h").await, "Relances à générer");
    b.screenshot("ui_dunning_tab.png").await;
    delete_demo_draft(&b.app, company).await;
    b.click(&b.find("#new-proposal").await).await;
    b.wait_for("#selection").await;
    set(b, "#field-as_of", &TEST_INSTANT.date().to_string()).await;
    b.type_into(&b.find("#field-currency").await, "EUR").await;
    b.type_into(&b.find("#field-min_balance").await, "1,00").await;
    b.type_into(&b.find("#field-days_overdue_min").await, "1").await;
    b.screenshot("ui_dunning_selection.png").await;
    b.click(&b.find("#compute").await).await;
    b.wait_for("#dashboard").await;
    let run = id_in_path(b, "/relances/propositions/").await;
    let p = b.app.dunning_proposal(company, run, Some("draft"), page()).await.unwrap();
    let criteria = &p.run.as_ref().unwrap().criteria;
    assert_eq!((criteria["currency"].as_str(), criteria["days_overdue_min"].as_i64()), (Some("EUR"), Some(1)));
    assert!(p.letters.items.len() >= 3, "several payers to dun");
    b.screenshot("ui_dunning_review.png").await;
    b.execute("document.getElementById('letter').scrollIntoView()", vec![]).await;
    b.screenshot("ui_dunning_review_items.png").await;
    (run, p.letters.items)
}

/// Removes a payer: its row's link selects it, the form is below.
async fn remove_a_payer(b: &Browser, company: i64, gone: i64) {
    b.click(&b.find(&format!("#dashboard tr[data-letter='{gone}'] a")).await).await;
    b.wait_for(&format!("#dashboard tr.selected[data-letter='{gone}']")).await;
    b.type_into(&b.find("#field-remove-reason").await, "litige en cours").await;
    b.click(&b.find("#remove-payer").await).await;
    b.wait_for("#done").await;
    assert_eq!(b.text_of("#done").await, "Payeur retiré de la proposition.");
    assert!(b.path().await.contains("status=removed"));
    let d = b.app.dunning_letter(company, gone, TEST_INSTANT.date()).await.unwrap();
    assert_eq!(d.letter.status, LetterStatus::Removed);
}

/// Lowers a letter at level 2 to level 1.
async fn lower_a_level(b: &Browser, company: i64, run: i64, high: i64) {
    b.goto(&format!("/relances/propositions/{run}?letter={high}")).await;
    b.wait_for("#level-form").await;
    set(b, "#field-level", "1").await;
    b.click(&b.find("#change-level").await).await;
    b.wait_for("#done").await;
    assert!(b.text_of("#letter-level").await.starts_with("1 "), "the letter is at level 1 now");
    assert_eq!(b.app.dunning_letter(company, high, TEST_INSTANT.date()).await.unwrap().letter.level, 1);
}

/// Edits a letter's opening text and reads it in the PDF preview.
async fn edit_a_text(b: &Browser, run: i64, edited: i64) {
    b.goto(&format!("/relances/propositions/{run}?letter={edited}")).await;
    b.click(&b.wait_for("#edit-texts").await).await;
    let opening = b.wait_for("#field-opening").await;
    b.clear(&opening).await;
    b.type_into(&opening, "Sauf erreur de notre part, le dossier NAVIGATEUR-77 reste impayé.").await;
    b.click(&b.find("#save-texts").await).await;
    b.wait_for("#done").await;
    assert_eq!(b.text_of("#done").await, "Textes de la lettre enregistrés.");
    b.screenshot("ui_dunning_texts.png").await;
    let src = b.attr(&b.find("#preview").await, "src").await.unwrap();
    let (status, content_type, bytes) = fetch(b, &src).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    if let Some(text) = crate::pdf::pdf_text(&bytes) {
        assert!(text.contains("NAVIGATEUR-77"), "the preview shows the new text: {text}");
    }
}

/// Issues the proposal after the confirmation that counts letters, e-mails and prints.
async fn issue_it(b: &Browser, company: i64, run: i64) {
    let outlook = b.app.dunning_issue_outlook(company, run).await.unwrap();
    b.goto(&format!("/relances/propositions/{run}")).await;
    b.click(&b.wait_for("#issue").await).await;
    b.wait_for("#issue-summary").await;
    b.screenshot("ui_dunning_issue.png").await;
    let summary = b.text_of("#issue-summary").await;
    assert!(summary.contains(&format!("L’émission va créer {} lettres numérotées", outlook.letters)), "{summary}");
    assert!(summary.contains(&format!("{} envoyées par e-mail", outlook.emails)), "{summary}");
    assert!(summary.contains(&format!("{} à imprimer et poster", outlook.prints)), "{summary}");
    b.click(&b.find("#confirm-issue").await).await;
    b.wait_for("#done").await;
    assert!(b.text_of("#done").await.starts_with("Proposition émise"));
    let after = b.app.dunning_proposal(company, run, None, page()).await.unwrap();
    assert_eq!(after.run.unwrap().status, RunStatus::Issued);
}

/// Opens an issued letter's page from the dashboard, and its PDF.
async fn open_the_letter(b: &Browser, company: i64, edited: i64) {
    b.click(&b.find(&format!("#dashboard tr[data-letter='{edited}'] td:nth-child(2) a")).await).await;
    b.wait_for("#letter-number").await;
    let number = b.app.dunning_letter(company, edited, TEST_INSTANT.date()).await.unwrap().letter.number.unwrap();
    assert_eq!(b.text_of("#letter-number").await, number);
    b.screenshot("ui_dunning_letter.png").await;
    let href = b.attr(&b.find("#letter-pdf").await, "href").await.unwrap();
    let (status, content_type, bytes) = fetch(b, &href).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    if let Some(text) = crate::pdf::pdf_text(&bytes) {
        assert!(text.contains(&number) && text.contains("NAVIGATEUR-77"), "{text}");
    }
}

#[tokio::test]
async fn a_failed_email_is_resent_from_its_letter_and_sent() {
    // Boxed: the scenario's future is large, the test thread's stack is not.
    Box::pin(a_failed_email_is_resent_from_its_letter_and_sent_scenario()).await;
}

async fn a_failed_email_is_resent_from_its_letter_and_sent_scenario() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let server = smtp_server::SmtpServer::start().await;
    let input = SmtpInput {
        host: "127.0.0.1".into(),
        port: Some(i64::from(server.port)),
        security: Some("none".into()),
        from_address: "relances@demo.example".into(),
        reply_to: String::new(),
        password: None,
        username: String::new(),
        from_name: String::new(),
    };
    b.app.set_smtp_settings(&actor(), company, &input).await.unwrap();
    let mut options =
        DeliveryOptions::new(std::env::temp_dir().join(format!("creance-web-outbox-{}", std::process::id())));
    options.company_id = Some(company);
    // The SMTP server refuses the demo's queued e-mails: they fail.
    server.answer(smtp_server::Answer::Refuse("mailbox unavailable".into()));
    let report = b.app.deliver(&options, TEST_INSTANT).await.unwrap();
    assert!(report.failed > 0, "{report:?}");
    let failed = b.app.dunning_deliveries(company, Some("failed"), page()).await.unwrap().items;
    let dv = failed.iter().find(|d| d.channel == LetterChannel::Email).expect("a failed e-mail");
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto(&format!("/relances/lettres/{}", dv.letter_id)).await;
    let row = format!("#deliveries tr[data-delivery='{}']", dv.id);
    b.wait_for(&row).await;
    assert!(b.text_of(&row).await.contains("mailbox unavailable"));
    b.click(&b.find(&format!("{row} button.resend")).await).await;
    b.wait_for("#done").await;
    assert_eq!(b.text_of("#done").await, "E-mail remis en file d’envoi.");
    assert_eq!(b.app.delivery(company, dv.id).await.unwrap().status, DeliveryStatus::Queued);
    // The worker's next pass sends it.
    server.answer(smtp_server::Answer::Accept);
    let report = b.app.deliver(&options, TEST_INSTANT.seconds_later(60)).await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    assert_eq!(server.received().len(), 1);
    b.goto(&format!("/relances/lettres/{}", dv.letter_id)).await;
    b.wait_for(&row).await;
    assert!(b.text_of(&format!("{row} td.delivery")).await.contains("envoyée"));
    assert!(b.try_find(&format!("{row} button.resend")).await.is_none(), "a sent e-mail is not resent");
    b.finish().await;
}

#[tokio::test]
async fn record_a_reminder_made_outside_from_the_history_more_button() {
    // Boxed: the scenario's future is large, the test thread's stack is not.
    Box::pin(record_a_reminder_made_outside_from_the_history_more_button_scenario()).await;
}

async fn record_a_reminder_made_outside_from_the_history_more_button_scenario() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    delete_demo_draft(&b.app, company).await;
    // A payer dunned 16 days before the demo's date: its installments are at level 1.
    let f = LetterFilter { in_progress: true, ..Default::default() };
    let letter = b.app.dunning_letters(company, None, &f, page()).await.unwrap().items.remove(0);
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto(&format!("/relances/historique?customer_id={}", letter.payer_id)).await;
    b.wait_for("#history").await;
    let more = b.find("#history a.more").await;
    let installment: i64 = b.attr(&more, "href").await.unwrap().rsplit('=').next().unwrap().parse().unwrap();
    let before = b.app.dunning_history(company, None, Some(installment)).await.unwrap();
    let level = before.iter().map(|h| h.level).max().unwrap_or(0) + 1;
    b.click(&more).await;
    b.wait_for("#external-form").await;
    b.type_into(&b.find("#field-level").await, &level.to_string()).await;
    let date = letter.letter_date.unwrap().add_days(2);
    set(&b, "#field-date", &date.to_string()).await;
    set(&b, "#field-channel", "phone").await;
    b.type_into(&b.find("#field-note").await, "relance téléphonique").await;
    b.click(&b.find("#record").await).await;
    b.wait_for("#done").await;
    assert_eq!(b.text_of("#done").await, "Relance externe enregistrée.");
    assert!(b.text_of("#history").await.contains("relance téléphonique"));
    let after = b.app.dunning_history(company, None, Some(installment)).await.unwrap();
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.iter().any(|h| h.level == level && h.date == date));
    b.screenshot("ui_dunning_history.png").await;
    b.finish().await;
}

#[tokio::test]
async fn a_read_only_user_sees_no_write_button_and_a_write_is_refused() {
    // Boxed: the scenario's future is large, the test thread's stack is not.
    Box::pin(a_read_only_user_sees_no_write_button_and_a_write_is_refused_scenario()).await;
}

async fn a_read_only_user_sees_no_write_button_and_a_write_is_refused_scenario() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let run = b.app.dunning_proposals(company, Some("draft"), page()).await.unwrap().items[0].id;
    b.log_in("reader@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto("/relances").await;
    b.wait_for("#in-progress").await;
    assert!(b.try_find("#new-proposal").await.is_none());
    b.goto(&format!("/relances/propositions/{run}")).await;
    b.wait_for("#dashboard").await;
    for css in [
        "#recompute",
        "#issue",
        "#delete-proposal",
        "#remove-payer",
        "#level-form",
        "#edit-texts",
        "button.item-action",
    ] {
        assert!(b.try_find(css).await.is_none(), "{css} shown to a read-only user");
    }
    // A write sent anyway (with the session's CSRF token) is refused, and nothing changes.
    let status = b
        .execute(
            "const x = new XMLHttpRequest(); x.open('POST', arguments[0], false); \
             x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded'); \
             x.send('csrf=' + document.querySelector('input[name=csrf]').value); return x.status;",
            vec![Value::from(format!("/relances/propositions/{run}/suppression"))],
        )
        .await;
    assert_eq!(status.as_i64(), Some(403));
    let p = b.app.dunning_proposal(company, run, None, page()).await.unwrap();
    assert_eq!(p.run.unwrap().status, RunStatus::Draft);
    b.finish().await;
}

#[tokio::test]
async fn a_proposal_is_deleted_only_after_its_confirmation() {
    Box::pin(a_proposal_is_deleted_only_after_its_confirmation_scenario()).await;
}

async fn a_proposal_is_deleted_only_after_its_confirmation_scenario() {
    let (db, company) = demo_db().await;
    let Some(b) = Browser::start(db).await else { return };
    let run = b.app.dunning_proposals(company, Some("draft"), page()).await.unwrap().items[0].id;
    let letters = b.app.dunning_proposal(company, run, Some("draft"), page()).await.unwrap().counts.draft;
    b.log_in("clerk@example.com", PASSWORD).await;
    b.wait_for("main").await;
    b.goto(&format!("/relances/propositions/{run}")).await;
    b.click(&b.wait_for("#delete-proposal").await).await;
    b.wait_for("#delete-summary").await;
    assert!(
        b.text_of("#delete-letters").await.starts_with(&format!("{letters} lettres")),
        "{}",
        b.text_of("#delete-letters").await
    );
    b.screenshot("ui_dunning_delete.png").await;
    // Cancel: back to the proposal, still a draft.
    b.click(&b.find("#cancel-delete").await).await;
    b.wait_for("#dashboard").await;
    let p = b.app.dunning_proposal(company, run, None, page()).await.unwrap();
    assert_eq!(p.run.unwrap().status, RunStatus::Draft);
    // Confirmed: the tab says so, the proposal is deleted.
    b.click(&b.find("#delete-proposal").await).await;
    b.click(&b.wait_for("#confirm-delete").await).await;
    b.wait_for("#done").await;
    assert!(b.path().await.starts_with("/relances?done=deleted"), "{}", b.path().await);
    let p = b.app.dunning_proposal(company, run, None, page()).await.unwrap();
    assert_eq!(p.run.unwrap().status, RunStatus::Deleted);
    b.finish().await;
}
