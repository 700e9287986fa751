//! The Relances screens through HTTP (`Router::oneshot`) on every engine, over the demo (letters
//! issued 16 days before its date, today's draft): the tab's three lists; the demo's draft deleted;
//! a proposal computed from the selection (a bad criterion refused next to its field); on its review
//! a payer removed and restored, an item removed and restored, a level skip refused then forced with
//! a reason, a letter marked issued without sending, its texts refused for an unknown placeholder
//! then saved and read back in its PDF; the issue confirmation's counts, the issue, a letter's page
//! and PDF, its withdrawal (a reason required); a reminder made outside refused then recorded and
//! listed in the history; the merged print PDF; a read-only user shown no write button and refused
//! every write (403). Each write is checked in the database.

use axum::http::StatusCode;
use creance_app::dunning::LetterFilter;
use creance_app::queries::Page;
use creance_app::App;
use creance_core::dunning::{ItemKind, ItemStatus, LetterStatus, RunStatus};
use creance_core::Language;
use creance_store::testing::TEST_INSTANT;

use crate::web::{csrf_of, hidden_of, on_every_engine, send, user};

fn page1() -> Page {
    Page::new(Some(500), Some(0)).unwrap()
}

/// The demo's date: its open items are late then, and a proposal as of it can be issued today.
fn as_of() -> String {
    TEST_INSTANT.date().to_string()
}

async fn drafts(app: &App, company: i64) -> Vec<i64> {
    app.dunning_proposals(company, Some("draft"), page1()).await.unwrap().items.iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn a_proposal_is_selected_reviewed_edited_issued_and_its_letter_withdrawn() {
    on_every_engine(|app, w| async move {
        let c = user(&w, "clerk@example.com").await;
        // The tab: the letters issued 16 days before the demo's date are in progress, its draft listed.
        let tab = c.get("/relances").await;
        assert_eq!(tab.status, StatusCode::OK, "{}", tab.body);
        assert!(tab.body.contains(r#"id="in-progress""#), "{}", tab.body);
        assert!(tab.body.contains("Reminders to generate"));
        // The upper list comes in its own request (htmx on load, or the slot's link without it).
        assert!(tab.body.contains(r#"hx-get="/relances/a-generer?offset=0&amp;progress=0""#), "{}", tab.body);
        let criteria = creance_app::dunning::Criteria::default();
        let today = creance_app::clock::today_utc();
        let expected =
            app.dunning_to_generate(w.company, &criteria, today, Page::new(Some(20), Some(0)).unwrap()).await.unwrap();
        assert!(!expected.items.is_empty(), "the demo has reminders to generate");
        let fragment =
            send(c.router, "GET", "/relances/a-generer", Some(&c.cookie), &[("hx-request", "true")], None).await;
        assert_eq!(fragment.status, StatusCode::OK);
        assert!(fragment.body.starts_with(r#"<div id="to-generate-slot">"#), "a fragment: {}", fragment.body);
        for r in &expected.items {
            assert!(fragment.body.contains(&r.payer_number), "{} is to generate", r.payer_number);
        }
        let full = c.get("/relances/a-generer").await;
        assert!(full.body.contains("<html") && full.body.contains(r#"id="to-generate""#), "{}", full.body);
        let demo_drafts = drafts(&app, w.company).await;
        assert_eq!(demo_drafts.len(), 1);
        assert!(tab.body.contains(&format!("/relances/propositions/{}", demo_drafts[0])));
        let f = LetterFilter { in_progress: true, ..Default::default() };
        let in_progress = app.dunning_letters(w.company, None, &f, page1()).await.unwrap();
        assert!(in_progress.total_count > 0);
        let first = in_progress.items[0].number.clone().unwrap();
        assert!(tab.body.contains(&first), "{first} is listed in progress");

        // The demo's draft deleted: the review's button leads to a confirmation that says what goes,
        // deletes nothing by itself and leads back; the confirmation deletes it (its installments
        // are free again), and says so when opened again.
        let review = format!("/relances/propositions/{}", demo_drafts[0]);
        let deletion = format!("{review}/suppression");
        assert!(c.get(&review).await.body.contains(&format!(r#"id="delete-proposal" href="{deletion}""#)));
        let counts = app.dunning_proposal(w.company, demo_drafts[0], Some("draft"), page1()).await.unwrap().counts;
        assert!(counts.draft > 0 && counts.items >= counts.draft, "{counts:?}");
        let confirm = c.get(&deletion).await;
        assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
        let n = |v: i64| creance_server::web::format::count(v, Language::En);
        for said in [
            format!("{} letters to issue, for {} installments", n(counts.draft), n(counts.items)),
            format!("{} payers removed", n(counts.removed)),
            format!("{} payers left out", n(counts.left_out)),
            format!(r#"id="cancel-delete" href="{review}""#),
        ] {
            assert!(confirm.body.contains(&said), "{said}: {}", confirm.body);
        }
        assert_eq!(drafts(&app, w.company).await, demo_drafts, "the confirmation page deletes nothing");
        let a = c.post_from(&deletion, &deletion, &[]).await;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/relances?done=deleted"));
        assert!(drafts(&app, w.company).await.is_empty());
        let gone = c.get(&deletion).await;
        assert!(gone.body.contains(r#"id="not-deletable""#) && !gone.body.contains("confirm-delete"), "{}", gone.body);

        // The selection: a bad criterion is refused next to its field, nothing saved.
        let new = "/relances/propositions/nouvelle";
        for (field, value) in [("min_balance", "abc"), ("days_overdue_min", "many"), ("currency", "EURO")] {
            let a = c.post_from(new, "/relances/propositions", &[("as_of", &as_of()), (field, value)]).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", a.body);
            assert!(a.body.contains(&format!(r#"id="{field}-error""#)), "{field}: {}", a.body);
            assert!(a.body.contains(&format!(r#"value="{value}""#)), "what was typed is shown again");
        }
        assert!(drafts(&app, w.company).await.is_empty());
        let a = c.post_from(new, "/relances/propositions", &[("as_of", &as_of()), ("currency", "EUR")]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let run: i64 = a.location().trim_start_matches("/relances/propositions/").parse().unwrap();
        assert_eq!(drafts(&app, w.company).await, [run]);
        let review = format!("/relances/propositions/{run}");
        let page = c.get(&review).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(r#"id="dashboard""#) && page.body.contains(r#"id="items""#), "{}", page.body);
        let letters = app.dunning_proposal(w.company, run, Some("draft"), page1()).await.unwrap().letters.items;
        assert!(letters.len() >= 2, "the demo gives several payers");
        for l in &letters {
            assert!(page.body.contains(&l.payer_number), "{} is on the dashboard", l.payer_number);
        }
        // The footer: the totals per currency of every letter of the list, as the letters add up.
        let totals = app.dunning_letter_totals(w.company, run, LetterStatus::Draft).await.unwrap();
        assert!(!totals.is_empty());
        for t in &totals {
            let mine: Vec<_> = letters.iter().filter(|l| l.currency == t.currency).collect();
            let due: i128 = mine.iter().map(|l| i128::from(l.total_due.minor())).sum();
            assert_eq!((t.letters, t.total_due.minor()), (mine.len() as i64, due), "{}", t.currency.code());
            let row = format!("Total {} · {} letters", t.currency.code(), mine.len());
            assert!(page.body.contains(&row), "{row} in {}", page.body);
        }

        // Remove a payer, then restore it.
        let l = &letters[0];
        let at = format!("{review}?letter={}", l.id);
        let a = c
            .post_from(
                &at,
                &format!("/relances/lettres/{}/retrait", l.id),
                &[("reason", "en litige"), ("view_letter", &l.id.to_string())],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(a.location().contains("status=removed"), "{}", a.location());
        let d = app.dunning_letter(w.company, l.id, TEST_INSTANT.date()).await.unwrap();
        assert_eq!(d.letter.status, LetterStatus::Removed);
        let removed = c.get(&format!("{review}?status=removed&letter={}", l.id)).await;
        assert!(
            removed.body.contains("en litige") && removed.body.contains(r#"id="restore-payer""#),
            "{}",
            removed.body
        );
        let a = c
            .post_from(
                &format!("{review}?status=removed&letter={}", l.id),
                &format!("/relances/lettres/{}/retablissement", l.id),
                &[],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(
            app.dunning_letter(w.company, l.id, TEST_INSTANT.date()).await.unwrap().letter.status,
            LetterStatus::Draft
        );

        // Remove an item, then restore it.
        let item = d.items.iter().find(|i| i.kind == ItemKind::Due).unwrap();
        let a = c
            .post_from(
                &at,
                &format!("/relances/elements/{}/retrait", item.id),
                &[("restore", "false"), ("view_letter", &l.id.to_string())],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let status_of =
            |d: &creance_app::dunning::LetterDetail| d.items.iter().find(|i| i.id == item.id).map(|i| i.status);
        assert_eq!(
            status_of(&app.dunning_letter(w.company, l.id, TEST_INSTANT.date()).await.unwrap()),
            Some(ItemStatus::Removed)
        );
        let a = c
            .post_from(
                &at,
                &format!("/relances/elements/{}/retrait", item.id),
                &[("restore", "true"), ("view_letter", &l.id.to_string())],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(
            status_of(&app.dunning_letter(w.company, l.id, TEST_INSTANT.date()).await.unwrap()),
            Some(ItemStatus::Active)
        );

        // A skip is refused next to the level form; lowering a level is not.
        let policies = app.dunning_policies(w.company).await.unwrap();
        let level1 = letters.iter().find(|x| x.level == 1).expect("a letter at level 1");
        let at1 = format!("{review}?letter={}", level1.id);
        let a = c
            .post_from(
                &at1,
                &format!("/relances/lettres/{}/niveau", level1.id),
                &[("level", "3"), ("view_letter", &level1.id.to_string())],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains(r#"id="level-error""#) || a.body.contains(r#"id="force-error""#), "{}", a.body);
        let skips = policies.iter().find(|p| p.id == level1.policy_id).unwrap().allow_skip;
        if skips {
            let a = c
                .post_from(
                    &at1,
                    &format!("/relances/lettres/{}/niveau", level1.id),
                    &[
                        ("level", "3"),
                        ("force", "true"),
                        ("reason", "accord du directeur"),
                        ("view_letter", &level1.id.to_string()),
                    ],
                )
                .await;
            assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
            let x = app.dunning_letter(w.company, level1.id, TEST_INSTANT.date()).await.unwrap().letter;
            assert_eq!((x.level, x.level_reason.as_str()), (3, "accord du directeur"));
        }
        let a = c
            .post_from(
                &at1,
                &format!("/relances/lettres/{}/niveau", level1.id),
                &[("level", "1"), ("view_letter", &level1.id.to_string())],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(app.dunning_letter(w.company, level1.id, TEST_INSTANT.date()).await.unwrap().letter.level, 1);

        // Marked issued without sending.
        let quiet = &letters[1];
        let a = c.post_from(&review, &format!("/relances/lettres/{}/envoi", quiet.id), &[("send", "false")]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(!app.dunning_letter(w.company, quiet.id, TEST_INSTANT.date()).await.unwrap().letter.send);

        // Texts: an unknown placeholder is refused next to its field; saved texts are in the PDF.
        let texts = format!("/relances/lettres/{}/textes", l.id);
        let a = c
            .post_from(&texts, &texts, &[("subject", "Relance"), ("opening", "Bonjour {nobody}"), ("closing", "Merci")])
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains(r#"id="opening-error""#), "{}", a.body);
        let opening = "Nous revenons vers vous au sujet du dossier WEBTEST-42.";
        let a = c
            .post_from(
                &texts,
                &texts,
                &[("subject", "Rappel {payer_number}"), ("opening", opening), ("closing", "Merci")],
            )
            .await;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, format!("{texts}?done=texts").as_str()),
            "{}",
            a.body
        );
        let page = c.get(&format!("{texts}?done=texts")).await;
        assert!(page.body.contains(opening) && page.body.contains(r#"id="preview""#), "{}", page.body);
        let (status, ct, bytes) = c.bytes(&format!("/relances/lettres/{}/lettre.pdf", l.id)).await;
        assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
        if let Some(text) = crate::pdf::pdf_text(&bytes) {
            assert!(text.contains("WEBTEST-42"), "{text}");
        }

        // The issue: the confirmation says how many letters, e-mails and prints.
        let outlook = app.dunning_issue_outlook(w.company, run).await.unwrap();
        assert_eq!(outlook.letters, outlook.emails + outlook.prints + outlook.not_sent);
        assert!(outlook.not_sent >= 1);
        let confirm = c.get(&format!("{review}/emission")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(
            confirm.body.contains(&format!("Issuing will make {} numbered letters", outlook.letters)),
            "{}",
            confirm.body
        );
        assert!(confirm.body.contains(&format!("{} sent by e-mail", outlook.emails)), "{}", confirm.body);
        assert!(confirm.body.contains(&format!("{} to print and post", outlook.prints)), "{}", confirm.body);
        // Sent twice with the same form (a double click): issued once, the second lands on the same page.
        let body = format!("csrf={}&form_key={}", csrf_of(&confirm.body), hidden_of(&confirm.body, "form_key"));
        let a = send(c.router, "POST", &format!("{review}/emission"), Some(&c.cookie), &[], Some(&body)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(a.location().contains("done=issued"), "{}", a.location());
        let again = send(c.router, "POST", &format!("{review}/emission"), Some(&c.cookie), &[], Some(&body)).await;
        assert_eq!(
            (again.status, again.location()),
            (StatusCode::SEE_OTHER, format!("{}&again=1", a.location()).as_str())
        );
        let after = app.dunning_proposal(w.company, run, Some("issued"), page1()).await.unwrap();
        assert_eq!(after.run.as_ref().unwrap().status, RunStatus::Issued);
        assert_eq!(after.letters.total_count, outlook.letters);
        let page = c.get(a.location()).await;
        assert!(page.body.contains(&format!("Proposal issued: {} letters numbered", outlook.letters)), "{}", page.body);
        assert!(!page.body.contains(r#"id="recompute""#), "an issued proposal has no edit");
        let (status, ct, _) = c.bytes(&format!("{review}/impression.pdf")).await;
        assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
        // Once printed and posted, the letters to print are marked printed (their queued deliveries).
        let queued_posts = app.dunning_deliveries(w.company, Some("queued"), page1()).await.unwrap().items;
        let to_print =
            queued_posts.iter().filter(|d| d.channel == creance_core::dunning::LetterChannel::Letter).count();
        let a = c.post_from(a.location(), &format!("{review}/impression"), &[]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let printed = app.dunning_deliveries(w.company, Some("printed"), page1()).await.unwrap().items;
        assert!(!printed.is_empty() && printed.len() <= to_print, "{} printed of {to_print}", printed.len());
        let page = c.get(a.location()).await;
        assert!(page.body.contains(&format!("{} letters marked as printed.", printed.len())), "{}", page.body);

        // The letter's page, its PDF, its withdrawal with a reason.
        let issued = app.dunning_letter(w.company, l.id, TEST_INSTANT.date()).await.unwrap().letter;
        let number = issued.number.clone().unwrap();
        let lp = format!("/relances/lettres/{}", l.id);
        let page = c.get(&lp).await;
        assert!(page.body.contains(&number) && page.body.contains(r#"id="withdraw-form""#), "{}", page.body);
        let (status, _, bytes) = c.bytes(&format!("{lp}/lettre.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        if let Some(text) = crate::pdf::pdf_text(&bytes) {
            assert!(text.contains(&number) && text.contains("WEBTEST-42"), "{text}");
        }
        let a = c.post_from(&lp, &format!("{lp}/annulation"), &[("reason", "  ")]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains(r#"id="reason-error""#), "{}", a.body);
        let a = c.post_from(&lp, &format!("{lp}/annulation"), &[("reason", "payé à la caisse")]).await;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, format!("{lp}?done=withdrawn").as_str()),
            "{}",
            a.body
        );
        assert_eq!(
            app.dunning_letter(w.company, l.id, TEST_INSTANT.date()).await.unwrap().letter.status,
            LetterStatus::Withdrawn
        );
        let history = c.get(&format!("/relances/historique?customer_id={}", issued.payer_id)).await;
        assert_eq!(history.status, StatusCode::OK);
        assert!(history.body.contains(&number), "{}", history.body);
    })
    .await;
}

#[tokio::test]
async fn a_reminder_made_outside_is_refused_next_to_its_field_then_recorded_in_the_history() {
    on_every_engine(|app, w| async move {
        let c = user(&w, "clerk@example.com").await;
        // An open installment no letter and no draft holds: the demo's draft is deleted first.
        for run in drafts(&app, w.company).await {
            app.delete_dunning_proposal(&creance_app::Actor::new("test", TEST_INSTANT), w.company, run).await.unwrap();
        }
        let mut f = creance_store::open_items::OpenItemFilter::new(TEST_INSTANT.date());
        f.overdue = true;
        f.side = Some(creance_store::open_items::Side::Debit);
        let open = app.open_items(w.company, &f, &[], page1()).await.unwrap();
        let item = open
            .items
            .iter()
            .find(|i| {
                i.dunning_level == 0
                    && i.block_reason.is_empty()
                    && i.days_overdue > 3
                    && i.kind == creance_core::DocumentKind::Invoice
            })
            .expect("an overdue installment never dunned");
        let form = format!("/relances/relance-externe?installment_id={}", item.installment_id);
        let id = item.installment_id.to_string();
        let past = item.due_date.add_days(3).to_string();
        let future = TEST_INSTANT.date().add_days(400).to_string();
        for (pairs, error) in [
            (vec![("level", "2"), ("date", past.as_str()), ("channel", "phone")], "level-error"),
            (vec![("level", "1"), ("date", future.as_str()), ("channel", "phone")], "date-error"),
            (vec![("level", "1"), ("date", past.as_str()), ("channel", "pigeon")], "channel-error"),
            (vec![("level", "one"), ("date", past.as_str()), ("channel", "phone")], "level-error"),
        ] {
            let mut all = vec![("installment_id", id.as_str())];
            all.extend(pairs);
            let a = c.post_from(&form, "/relances/relance-externe", &all).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{error}: {}", a.body);
            assert!(a.body.contains(&format!(r#"id="{error}""#)), "{error}: {}", a.body);
        }
        let a = c
            .post_from(
                &form,
                "/relances/relance-externe",
                &[
                    ("installment_id", &id),
                    ("level", "1"),
                    ("date", &past),
                    ("channel", "phone"),
                    ("note", "appel WEBTEST"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("/relances/historique?installment_id={id}&done=recorded"));
        let page = c.get(a.location()).await;
        assert!(
            page.body.contains("appel WEBTEST") && page.body.contains("External reminder recorded."),
            "{}",
            page.body
        );
        let h = app.dunning_history(w.company, None, Some(item.installment_id)).await.unwrap();
        assert_eq!(h.iter().map(|e| (e.level, e.date.to_string())).collect::<Vec<_>>(), [(1, past.clone())]);
    })
    .await;
}

#[tokio::test]
async fn a_read_only_user_sees_no_write_button_and_is_refused_every_write() {
    on_every_engine(|app, w| async move {
        let r = user(&w, "reader@example.com").await;
        let run = drafts(&app, w.company).await[0];
        let letter = app.dunning_proposal(w.company, run, Some("draft"), page1()).await.unwrap().letters.items[0].id;
        for page in
            ["/relances".to_string(), format!("/relances/propositions/{run}"), format!("/relances/lettres/{letter}")]
        {
            let a = r.get(&page).await;
            assert_eq!(a.status, StatusCode::OK, "{page}: {}", a.body);
            for marker in
                ["form_key", "new-proposal", "remove-payer", "change-level", "confirm-issue", "record-external"]
            {
                assert!(!a.body.contains(marker), "{page} shows {marker} to a read-only user");
            }
        }
        for page in [
            "/relances/propositions/nouvelle".to_string(),
            format!("/relances/propositions/{run}/emission"),
            format!("/relances/propositions/{run}/suppression"),
            "/relances/relance-externe".into(),
        ] {
            assert_eq!(r.get(&page).await.status, StatusCode::FORBIDDEN, "{page}");
        }
        let tab = r.get("/relances").await;
        let csrf = csrf_of(&tab.body);
        for path in [
            "/relances/propositions".to_string(),
            format!("/relances/propositions/{run}/emission"),
            format!("/relances/propositions/{run}/suppression"),
            format!("/relances/lettres/{letter}/retrait"),
            format!("/relances/lettres/{letter}/niveau"),
            format!("/relances/lettres/{letter}/textes"),
            "/relances/relance-externe".into(),
        ] {
            let a = send(r.router, "POST", &path, Some(&r.cookie), &[], Some(&format!("csrf={csrf}&level=1"))).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}: {}", a.body);
        }
        assert_eq!(drafts(&app, w.company).await, [run], "nothing was deleted or issued");
        let l = app.dunning_letter(w.company, letter, TEST_INSTANT.date()).await.unwrap().letter;
        assert_eq!(l.status, LetterStatus::Draft);
        // A clerk's POST without the CSRF token changes nothing either.
        let c = user(&w, "clerk@example.com").await;
        let a = send(
            c.router,
            "POST",
            &format!("/relances/propositions/{run}/suppression"),
            Some(&c.cookie),
            &[],
            Some("x=1"),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(drafts(&app, w.company).await, [run]);
    })
    .await;
}

/// The history's rows of a page (`<tr data-installment=…>`).
fn history_rows(page: &str) -> usize {
    page.matches("<tr data-installment=").count()
}

#[tokio::test]
async fn a_long_history_is_paged_newest_first_fifty_a_page_with_newer_and_older_links() {
    on_every_engine(|app, w| async move {
        let c = user(&w, "clerk@example.com").await;
        let i = crate::web::count(&app, &format!("SELECT MIN(id) FROM installments WHERE company_id = {}", w.company))
            .await;
        // 55 reminders made outside on one installment, a day apart (set-up data, written as the
        // app writes them); with what the demo holds of it, more than a page.
        let rows: Vec<String> = (0..55)
            .map(|k| {
                let day = creance_core::Date::parse("2020-01-01").unwrap().add_days(k);
                format!(
                    "({}, {i}, 1, '{day}', 'phone', 'call-{k:03}', 0, NULL, 'test', '2020-01-01T00:00:00Z', '')",
                    w.company
                )
            })
            .collect();
        let insert = format!(
            "INSERT INTO dunning_external (company_id, installment_id, level, date, channel, note, level_before, \
             date_before, created_by, created_at, skip_reason) VALUES {}",
            rows.join(", ")
        );
        sqlx::query(&insert).execute(app.db.pool()).await.unwrap();
        let all = app.dunning_history(w.company, None, Some(i)).await.unwrap();
        assert!(all.len() >= 55 && all.len() < 100, "{}", all.len());
        let first = c.get(&format!("/relances/historique?installment_id={i}")).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert_eq!(history_rows(&first.body), 50);
        let newest = creance_server::web::format::date(all[0].date, Language::En);
        let first_row = &first.body[first.body.find("<tr data-installment=").unwrap()..];
        assert!(first_row[..first_row.find("</tr>").unwrap()].contains(&newest), "newest first: {newest}");
        let older = format!("/relances/historique?installment_id={i}&offset=50");
        assert!(
            first.body.contains(&format!(r#"rel="next" href="{}""#, older.replace('&', "&amp;"))),
            "{}",
            first.body
        );
        assert!(!first.body.contains(r#"rel="prev""#));
        assert!(!first.body.contains("<td>call-000</td>"), "the oldest is not on the first page");
        let second = c.get(&older).await;
        assert_eq!(history_rows(&second.body), all.len() - 50, "the rest, none twice");
        assert!(second.body.contains("<td>call-000</td>"));
        assert!(second.body.contains(r#"rel="prev" href="/relances/historique?installment_id="#), "{}", second.body);
        assert!(!second.body.contains(r#"rel="next""#), "no more after the last page");
        // The two pages hold every reminder once, in the order of the whole history.
        let notes = |page: &str| {
            page.match_indices("<td>call-").map(|(at, _)| page[at + 4..at + 12].to_string()).collect::<Vec<_>>()
        };
        let shown: Vec<String> = notes(&first.body).into_iter().chain(notes(&second.body)).collect();
        let expected: Vec<String> =
            all.iter().filter(|e| e.note.starts_with("call-")).map(|e| e.note.clone()).collect();
        assert_eq!(shown, expected);
        assert_eq!(expected.first().map(String::as_str), Some("call-054"));
    })
    .await;
}
