//! E-mail delivery of issued letters (issue 11 point 6), over a real SMTP conversation with a server
//! started inside the test, and to the outbox as `.eml` files; every message is read back with
//! mail-parser as a mail client would. On every engine.

use creance_app::delivery::{DeliveryOptions, SmtpInput};
use creance_app::import::Entity;
use creance_app::queries::Page;
use creance_app::{App, AppError, Code};
use creance_core::dunning::delivery::{MAX_ATTEMPTS, SENDING_LEASE_SECONDS};
use creance_core::dunning::{AttemptOutcome, DeliveryStatus, DeliveryTransport};
use creance_core::Timestamp;
use creance_store::testing::TEST_INSTANT;
use mail_parser::{MessageParser, MimeHeaders};

use crate::common::*;
use crate::dunning::{as_of, d, input_of, propose, run_id, INVOICES};
use crate::smtp_server::{Answer, SmtpServer};

const CUSTOMERS_WITH_EMAIL: &str = "\
number;name;currency;payer;email;dunning_email
C001;Boulangerie Martin;EUR;;martin@boulangerie.example;
C002;Syndic Dubois;EUR;;contact@dubois.example;relances@dubois.example
C003;Résidence Les Tilleuls;EUR;C002;;
C004;Hôtel du Lac;CHF;;;
";

fn page() -> Page {
    Page { limit: 1000, offset: 0 }
}

/// Two letters by e-mail issued on 10 March: C001's (F-100) to martin@…, and C002's (F-200 of
/// C003 and F-201) to its dunning address relances@dubois.example.
async fn two_letters_by_email(app: &App, company: i64) -> Vec<(i64, String)> {
    import_ok(app, company, Entity::Customers, CUSTOMERS_WITH_EMAIL).await;
    import_ok(app, company, Entity::Documents, INVOICES).await;
    let mut policy = app.dunning_policies(company).await.unwrap().remove(0);
    for level in &mut policy.levels {
        level.channel = "email".into();
    }
    app.save_dunning_policy(&actor(), company, &input_of(&policy)).await.unwrap();
    let p = propose(app, company, &as_of("2026-03-10")).await;
    app.issue_dunning(&actor(), company, run_id(&p), d("2026-03-10")).await.unwrap();
    let mut letters: Vec<(i64, String)> = p.letters.items.iter().map(|l| (l.id, l.payer_number.clone())).collect();
    letters.sort_by(|a, b| a.1.cmp(&b.1));
    letters
}

async fn use_smtp(app: &App, company: i64, server: &SmtpServer) {
    let input = SmtpInput {
        host: "127.0.0.1".into(),
        port: Some(i64::from(server.port)),
        security: Some("none".into()),
        from_address: "relances@test-sarl.example".into(),
        reply_to: "compta@test-sarl.example".into(),
        password: Some("s3cret".into()),
        username: String::new(),
        from_name: String::new(),
    };
    app.set_smtp_settings(&actor(), company, &input).await.expect("SMTP settings");
}

fn options(company: i64) -> DeliveryOptions {
    let mut o =
        DeliveryOptions::new(std::env::temp_dir().join(format!("creance-outbox-unused-{}", std::process::id())));
    o.company_id = Some(company);
    o
}

async fn deliveries(app: &App, company: i64) -> Vec<creance_app::views::dunning::Delivery> {
    app.dunning_deliveries(company, None, page()).await.unwrap().items
}

fn later(seconds: i64) -> Timestamp {
    TEST_INSTANT.seconds_later(seconds)
}

#[tokio::test]
async fn an_issued_letter_goes_by_email_with_its_pdf_attached() {
    on_every_engine(|app, company| async move {
        let server = SmtpServer::start().await;
        let letters = two_letters_by_email(&app, company).await;
        use_smtp(&app, company, &server).await;
        let queued = deliveries(&app, company).await;
        assert_eq!(queued.iter().map(|d| d.status).collect::<Vec<_>>(), [DeliveryStatus::Queued; 2]);

        let report = app.deliver(&options(company), TEST_INSTANT).await.unwrap();
        assert_eq!((report.sent, report.retried, report.failed), (2, 0, 0));
        assert!(report.pdf_bytes > 10_000 && report.message_bytes > report.pdf_bytes, "{report:?}");

        let received = server.received();
        assert_eq!(received.len(), 2);
        for (letter_id, payer) in &letters {
            let detail = app.dunning_letter(company, *letter_id, d("2026-03-10")).await.unwrap();
            let number = detail.letter.number.clone().unwrap();
            let address = if payer == "C001" { "martin@boulangerie.example" } else { "relances@dubois.example" };
            let got = received.iter().find(|r| r.to == [address]).unwrap_or_else(|| panic!("nothing to {address}"));
            assert_eq!(got.from, "relances@test-sarl.example");
            let m = MessageParser::default().parse(&got.data).expect("a parseable message");
            assert_eq!(m.subject(), Some(detail.letter.subject.as_str()));
            assert!(detail.letter.subject.contains(&number) || !detail.letter.subject.is_empty());
            let from = m.from().and_then(|a| a.first()).expect("From");
            assert_eq!(from.address(), Some("relances@test-sarl.example"));
            assert_eq!(from.name(), Some("Test SARL"));
            assert_eq!(
                m.reply_to().and_then(|a| a.first()).and_then(|a| a.address()),
                Some("compta@test-sarl.example")
            );
            assert_eq!(m.to().and_then(|a| a.first()).and_then(|a| a.address()), Some(address));
            let body = m.body_text(0).expect("a text part").replace("\r\n", "\n");
            assert!(body.contains(detail.letter.opening.trim()), "body: {body:?} opening {:?}", detail.letter.opening);
            assert!(body.contains("Nous vous remercions de régler la somme de"), "body: {body}");
            assert!(body.contains(&format!("Référence à indiquer\u{a0}: {number}")), "body: {body}");
            // The attachment is the letter's PDF, byte for byte what a reprint gives.
            let pdf = app.dunning_letter_pdf(company, *letter_id, d("2026-12-31")).await.unwrap();
            let attachments: Vec<_> = m.attachments().collect();
            assert_eq!(attachments.len(), 1);
            assert_eq!(attachments[0].attachment_name(), Some(pdf.file_name.as_str()));
            assert_eq!(attachments[0].content_type().map(|c| c.ctype()), Some("application"));
            assert!(attachments[0].contents() == pdf.bytes.as_slice(), "the attachment differs from the letter's PDF");
        }
        for dv in deliveries(&app, company).await {
            assert_eq!(dv.status, DeliveryStatus::Sent);
            assert_eq!(dv.attempts, 1);
            assert_eq!(dv.sent_via, format!("smtp 127.0.0.1:{}", server.port));
            assert!(dv.message_id.ends_with("@test-sarl.example"), "{}", dv.message_id);
            assert_eq!(dv.done_at.as_deref(), Some(TEST_INSTANT.to_string().as_str()));
            let attempts = app.delivery_attempts(company, dv.id).await.unwrap();
            assert_eq!(attempts.len(), 1);
            assert_eq!(attempts[0].outcome, Some(AttemptOutcome::Sent));
            assert_eq!(attempts[0].transport, DeliveryTransport::Smtp);
            assert!(attempts[0].reply.starts_with("250 2.0.0 Ok: queued as TEST"), "{}", attempts[0].reply);
        }
        // Each letter shows its delivery's status.
        let detail = app.dunning_letter(company, letters[0].0, d("2026-03-10")).await.unwrap();
        assert_eq!(detail.letter.delivery_status, Some(DeliveryStatus::Sent));
        // A second pass has nothing to do: nothing is sent twice.
        let again = app.deliver(&options(company), later(3600)).await.unwrap();
        assert_eq!(again.attempted(), 0);
        assert_eq!(server.data_count(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_refused_message_fails_the_letter_with_the_reply_and_a_resend_sends_it() {
    on_every_engine(|app, company| async move {
        let server = SmtpServer::start().await;
        two_letters_by_email(&app, company).await;
        use_smtp(&app, company, &server).await;
        server.answer(Answer::Refuse("Message rejected as spam".into()));
        let report = app.deliver(&options(company), TEST_INSTANT).await.unwrap();
        assert_eq!((report.sent, report.retried, report.failed), (0, 0, 2));
        let failed = deliveries(&app, company).await;
        for dv in &failed {
            assert_eq!(dv.status, DeliveryStatus::Failed);
            assert!(
                dv.last_error.contains("554") && dv.last_error.contains("Message rejected as spam"),
                "{}",
                dv.last_error
            );
        }
        // A refusal is final: later passes leave it for a clerk.
        server.answer(Answer::Accept);
        assert_eq!(app.deliver(&options(company), later(86_400)).await.unwrap().attempted(), 0);
        assert!(server.received().is_empty());
        // The clerk resends one; the next pass sends it.
        let resent = app.resend_delivery(&actor(), company, failed[0].id).await.unwrap();
        assert_eq!((resent.status, resent.attempts), (DeliveryStatus::Queued, 0));
        let report = app.deliver(&options(company), later(86_460)).await.unwrap();
        assert_eq!((report.sent, report.failed), (1, 0));
        assert_eq!(server.received().len(), 1);
        let attempts = app.delivery_attempts(company, failed[0].id).await.unwrap();
        assert_eq!(
            attempts.iter().map(|a| (a.attempt, a.outcome)).collect::<Vec<_>>(),
            [(1, Some(AttemptOutcome::Failed)), (2, Some(AttemptOutcome::Sent))]
        );
        // Only a failed delivery is resent.
        let err = app.resend_delivery(&actor(), company, failed[0].id).await.unwrap_err();
        assert!(matches!(&err, AppError::Rejected(r) if r.code == Code::DeliveryNotFailed), "{err:?}");
        assert!(matches!(app.resend_delivery(&actor(), company, 999_999).await, Err(AppError::NotFound { .. })));
    })
    .await;
}

#[tokio::test]
async fn a_temporary_failure_is_retried_with_backoff_then_fails_after_the_last_attempt() {
    on_every_engine(|app, company| async move {
        let server = SmtpServer::start().await;
        two_letters_by_email(&app, company).await;
        use_smtp(&app, company, &server).await;
        server.answer(Answer::Later("Greylisted, try again later".into()));
        let report = app.deliver(&options(company), TEST_INSTANT).await.unwrap();
        assert_eq!((report.sent, report.retried, report.failed), (0, 2, 0));
        let dv = deliveries(&app, company).await.remove(0);
        assert_eq!(dv.status, DeliveryStatus::Queued);
        assert!(dv.last_error.contains("451") && dv.last_error.contains("Greylisted"), "{}", dv.last_error);
        assert_eq!(dv.next_attempt_at.as_deref(), Some(later(60).to_string().as_str()));
        // Not before its time.
        assert_eq!(app.deliver(&options(company), later(30)).await.unwrap().attempted(), 0);
        // Then 2, 4, 8, 16 minutes after each failure, until the last attempt fails it.
        let mut at = 60;
        for attempt in 2..=MAX_ATTEMPTS {
            let r = app.deliver(&options(company), later(at)).await.unwrap();
            if attempt < MAX_ATTEMPTS {
                assert_eq!(r.retried, 2, "attempt {attempt}");
                at += 60 << (attempt - 1);
            } else {
                assert_eq!(r.failed, 2, "attempt {attempt}");
            }
        }
        let dv = deliveries(&app, company).await.remove(0);
        assert_eq!((dv.status, dv.attempts), (DeliveryStatus::Failed, MAX_ATTEMPTS));
        // A greylisting server accepts the next try: the clerk resends.
        server.answer(Answer::Accept);
        app.resend_delivery(&actor(), company, dv.id).await.unwrap();
        assert_eq!(app.deliver(&options(company), later(at + 1)).await.unwrap().sent, 1);
    })
    .await;
}

#[tokio::test]
async fn a_worker_that_stopped_mid_send_never_sends_the_letter_again_silently() {
    on_every_engine(|app, company| async move {
        let server = SmtpServer::start().await;
        two_letters_by_email(&app, company).await;
        use_smtp(&app, company, &server).await;
        // A worker claimed the first delivery (the attempt is recorded), then died before the outcome.
        let first = deliveries(&app, company).await.remove(0);
        let mut tx = app.db.begin_write(TEST_INSTANT).await.unwrap();
        let claimed = creance_store::dunning::delivery::claim(&mut tx, company, &[first.id], DeliveryTransport::Smtp)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(claimed, [(first.id, 1)]);
        // While it may still be sending, another pass leaves it alone and sends only the other.
        let r = app.deliver(&options(company), later(60)).await.unwrap();
        assert_eq!((r.sent, r.interrupted), (1, 0));
        assert_eq!(app.delivery(company, first.id).await.unwrap().status, DeliveryStatus::Sending);
        // After the lease, it is failed, saying it may have been delivered; nothing is sent again.
        let r = app.deliver(&options(company), later(SENDING_LEASE_SECONDS)).await.unwrap();
        assert_eq!((r.sent, r.interrupted), (0, 1));
        let dv = app.delivery(company, first.id).await.unwrap();
        assert_eq!(dv.status, DeliveryStatus::Failed);
        assert!(dv.last_error.contains("may or may not have reached the server"), "{}", dv.last_error);
        assert_eq!(server.data_count(), 1);
        let attempts = app.delivery_attempts(company, first.id).await.unwrap();
        assert_eq!(attempts.iter().map(|a| a.outcome).collect::<Vec<_>>(), [Some(AttemptOutcome::Interrupted)]);
        // The clerk decides: resent, it goes.
        app.resend_delivery(&actor(), company, first.id).await.unwrap();
        assert_eq!(app.deliver(&options(company), later(SENDING_LEASE_SECONDS + 1)).await.unwrap().sent, 1);
        assert_eq!(server.received().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn without_smtp_the_messages_are_written_to_the_outbox_as_eml_files() {
    on_every_engine(|app, company| async move {
        let letters = two_letters_by_email(&app, company).await;
        let outbox =
            std::env::temp_dir().join(format!("creance-outbox-{}-{company}-{}", std::process::id(), app.engine_name()));
        let _ = std::fs::remove_dir_all(&outbox);
        let mut opts = options(company);
        opts.outbox = outbox.clone();
        let report = app.deliver(&opts, TEST_INSTANT).await.unwrap();
        assert_eq!(report.sent, 2);
        let dir = outbox.join(company.to_string());
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert_eq!(files.len(), 2, "{files:?}");
        for dv in deliveries(&app, company).await {
            assert_eq!(dv.status, DeliveryStatus::Sent);
            let path = dv.sent_via.strip_prefix("outbox ").expect("outbox path");
            assert!(files.iter().any(|f| f.display().to_string() == path), "{path}");
            let bytes = std::fs::read(path).unwrap();
            let m = MessageParser::default().parse(&bytes).expect("a parseable .eml");
            let letter_id = dv.letter_id;
            let pdf = app.dunning_letter_pdf(company, letter_id, d("2026-12-31")).await.unwrap();
            assert!(m.attachments().next().expect("attachment").contents() == pdf.bytes.as_slice());
            assert_eq!(m.to().and_then(|a| a.first()).and_then(|a| a.address()), Some(dv.address.as_str()));
            assert!(m.subject().is_some_and(|s| !s.is_empty()));
        }
        assert!(letters.len() == 2);
        let _ = std::fs::remove_dir_all(&outbox);
    })
    .await;
}

#[tokio::test]
async fn smtp_settings_are_checked_and_never_show_the_password() {
    on_every_engine(|app, company| async move {
        assert!(!app.smtp_settings(company).await.unwrap().configured);
        let good = SmtpInput {
            host: "smtp.example.com".into(),
            port: None,
            security: None,
            username: "relances".into(),
            password: Some("s3cret".into()),
            from_address: "relances@test-sarl.example".into(),
            from_name: String::new(),
            reply_to: String::new(),
        };
        let v = app.set_smtp_settings(&actor(), company, &good).await.unwrap();
        assert_eq!((v.port, v.security.as_str(), v.password_set), (587, "starttls", true));
        assert_eq!(v.from_name, "Test SARL");
        let shown = serde_json::to_string(&app.smtp_settings(company).await.unwrap()).unwrap();
        assert!(!shown.contains("s3cret"), "{shown}");
        // Without a password in the input, the stored one is kept.
        let v = app.set_smtp_settings(&actor(), company, &SmtpInput { password: None, ..good.clone() }).await.unwrap();
        assert!(v.password_set);
        for (field, bad) in [
            ("host", SmtpInput { host: " ".into(), ..good.clone() }),
            ("host", SmtpInput { host: "smtp://x".into(), ..good.clone() }),
            ("port", SmtpInput { port: Some(70_000), ..good.clone() }),
            ("security", SmtpInput { security: Some("ssl3".into()), ..good.clone() }),
            ("from_address", SmtpInput { from_address: "relances".into(), ..good.clone() }),
            ("reply_to", SmtpInput { reply_to: "a@b@c".into(), ..good.clone() }),
            ("password", SmtpInput { password: Some("x\ny".into()), ..good.clone() }),
        ] {
            match app.set_smtp_settings(&actor(), company, &bad).await {
                Err(AppError::Invalid(f)) => assert_eq!(f.field, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        app.clear_smtp_settings(&actor(), company).await.unwrap();
        assert!(!app.smtp_settings(company).await.unwrap().configured);
    })
    .await;
}

#[tokio::test]
async fn letters_by_post_are_not_emailed_and_are_marked_printed_once_printed() {
    on_every_engine(|app, company| async move {
        crate::dunning::setup(&app, company).await;
        let p = propose(&app, company, &as_of("2026-03-10")).await;
        app.issue_dunning(&actor(), company, run_id(&p), d("2026-03-10")).await.unwrap();
        // The default policy's letters go by post: the delivery worker leaves them alone.
        let report = app.deliver(&options(company), TEST_INSTANT).await.unwrap();
        assert_eq!(report.attempted(), 0);
        let print = app
            .dunning_print_pdf(
                company,
                run_id(&p),
                creance_app::documents::PrintOrder::PostalCode,
                None,
                None,
                d("2026-03-10"),
            )
            .await
            .unwrap();
        assert!(print.bytes.starts_with(b"%PDF"));
        // Once printed and posted, the clerk says so, for a range of payers or all.
        let n = app.mark_dunning_printed(&actor(), company, run_id(&p), Some("C002"), None).await.unwrap();
        assert_eq!(n, 1);
        let n = app.mark_dunning_printed(&actor(), company, run_id(&p), None, None).await.unwrap();
        assert_eq!(n, 1, "C001's only: C002's is printed already");
        let all = deliveries(&app, company).await;
        assert!(all.iter().all(|d| d.status == DeliveryStatus::Printed && d.done_at.is_some()), "{all:?}");
        let detail = app.dunning_letter(company, p.letters.items[0].id, d("2026-03-10")).await.unwrap();
        assert_eq!(detail.letter.delivery_status, Some(DeliveryStatus::Printed));
        // A draft proposal's letters are not printed for real.
        let draft = propose(&app, company, &as_of("2026-04-10")).await;
        let err = app.mark_dunning_printed(&actor(), company, run_id(&draft), None, None).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(f) if f.field == "id"), "{err:?}");
    })
    .await;
}
