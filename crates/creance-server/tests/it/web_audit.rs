//! The audit trail on the pages (issue 14 point 7), through HTTP on every engine: a customer card
//! and a dunning letter show who changed them and when, by the user's name; an admin reads the
//! company's log filtered by user, kind and dates (a period ending before it starts is refused next
//! to its field); a clerk is refused the log.

use axum::http::StatusCode;
use creance_app::dunning::LetterFilter;
use creance_app::queries::Page;
use creance_app::Actor;
use creance_core::Language;
use creance_store::testing::TEST_INSTANT;

use crate::web::{add_admin, csrf_of, enc, login, on_every_engine, send, PASSWORD};

/// The log's table (the filter's choices name every kind too).
fn table(page: &str) -> &str {
    page.find(r#"<table class="list audit">"#).map_or("", |at| &page[at..])
}

#[tokio::test]
async fn who_changed_a_customer_and_a_letter_is_on_their_pages_and_in_the_admins_filtered_log() {
    on_every_engine(|app, w| async move {
        let admin_id = add_admin(&app, &w).await;
        let cookie = login(&w.router, "admin@example.com", PASSWORD).await.unwrap();
        // The comment of a customer, changed on its card: the card's trail says who and what.
        let card = send(&w.router, "GET", &format!("/clients/{}", w.customer), Some(&cookie), &[], None).await;
        let csrf = csrf_of(&card.body);
        let form = format!("csrf={csrf}&comment=Calls+back+on+Mondays");
        let a =
            send(&w.router, "POST", &format!("/clients/{}/comment", w.customer), Some(&cookie), &[], Some(&form)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let card = send(&w.router, "GET", &format!("/clients/{}", w.customer), Some(&cookie), &[], None).await;
        let trail = &card.body[card.body.find(r#"id="audit-trail""#).expect("the card's trail")..];
        let row = &trail[trail.find("<tr data-event=").expect("an event")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("Alice Admin") && row.contains("comment changed"), "{row}");
        // A draft letter's payer removed by the admin: the letter's page says so.
        let f = LetterFilter { status: None, ..Default::default() };
        let letters =
            app.dunning_letters(w.company, Some("draft"), &f, Page::new(Some(1), None).unwrap()).await.unwrap();
        let letter = letters.items.first().expect("the demo's draft has letters").id;
        let by_admin = Actor::new(format!("user:{admin_id}"), TEST_INSTANT);
        app.remove_dunning_letter(&by_admin, w.company, letter, "paid by phone").await.unwrap();
        let page = send(&w.router, "GET", &format!("/relances/lettres/{letter}"), Some(&cookie), &[], None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let trail = &page.body[page.body.find(r#"id="audit-trail""#).expect("the letter's trail")..];
        assert!(trail.contains("Alice Admin") && trail.contains("payer removed"), "{trail}");
        // The log: every event, then filtered.
        let log = send(&w.router, "GET", "/parametres/journal", Some(&cookie), &[], None).await;
        assert_eq!(log.status, StatusCode::OK, "{}", log.body);
        assert!(
            table(&log.body).contains("comment changed") && table(&log.body).contains("payer removed"),
            "{}",
            log.body
        );
        let only =
            send(&w.router, "GET", "/parametres/journal?action=customer.comment", Some(&cookie), &[], None).await;
        assert!(
            table(&only.body).contains("comment changed") && !table(&only.body).contains("payer removed"),
            "{}",
            only.body
        );
        let family = send(&w.router, "GET", "/parametres/journal?action=dunning.", Some(&cookie), &[], None).await;
        assert!(
            !table(&family.body).contains("comment changed") && table(&family.body).contains("payer removed"),
            "{}",
            family.body
        );
        let by_user = format!("/parametres/journal?user_id={admin_id}");
        let mine = send(&w.router, "GET", &by_user, Some(&cookie), &[], None).await;
        let rows = mine.body.matches("<tr data-event=").count();
        assert!(rows >= 3, "login, comment, letter: {}", mine.body);
        assert_eq!(mine.body.matches("Alice Admin</td>").count(), rows, "only the admin's events");
        // Dates: the day of the events (the user's format is read), a later day, a period backwards.
        let day = creance_server::web::format::date(TEST_INSTANT.date(), Language::En);
        let today = creance_app::clock::today_utc();
        let later = creance_server::web::format::date(today.add_days(2), Language::En);
        let from_later =
            send(&w.router, "GET", &format!("/parametres/journal?from={}", enc(&later)), Some(&cookie), &[], None)
                .await;
        assert!(from_later.body.contains(r#"id="no-event""#), "{}", from_later.body);
        let backwards = format!("/parametres/journal?from={}&to={}", enc(&later), enc(&day));
        let refused = send(&w.router, "GET", &backwards, Some(&cookie), &[], None).await;
        assert!(refused.body.contains("is before"), "the end before the start, next to it: {}", refused.body);
        // The Paramètres tab is an admin's; a clerk is not shown it, and is refused the log.
        assert!(log.body.contains(r#"<a href="/parametres""#), "the admin's tab");
        let clerk = login(&w.router, "clerk@example.com", PASSWORD).await.unwrap();
        let card = send(&w.router, "GET", "/clients", Some(&clerk), &[], None).await;
        assert!(!card.body.contains(r#"href="/parametres""#), "no Paramètres tab for a clerk: {}", card.body);
        let a = send(&w.router, "GET", "/parametres/journal", Some(&clerk), &[], None).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    })
    .await;
}
