//! Web UI users and sessions (issue 13 point 1), on every engine: the e-mail is unique whatever its
//! case, the password has a minimum length and is kept only as an Argon2id PHC string, five failed
//! logins throttle the sixth, a session ends at 12 h, after 2 h idle, at logout and when the password
//! changes.

use creance_app::users::{LoginOutcome, NewUser, THROTTLE_SOURCE_FAILURES};
use creance_app::{App, AppError};
use creance_core::{Language, Role, Timestamp};
use creance_store::testing::TEST_INSTANT;

use crate::common::{actor, french_company, on_every_engine};

const PASSWORD: &str = "correct horse battery";

fn new_user(company: i64, email: &str) -> NewUser {
    NewUser {
        email: email.into(),
        name: "Claire Martin".into(),
        language: Language::Fr,
        company_id: company,
        role: Role::Clerk,
        password: PASSWORD.into(),
    }
}

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(app.db.pool()).await.unwrap()
}

fn field_of(e: AppError) -> String {
    match e {
        AppError::Invalid(f) => f.field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn later(minutes: i64) -> Timestamp {
    TEST_INSTANT.seconds_later(minutes * 60)
}

async fn cookie_of(app: &App, email: &str, at: Timestamp) -> String {
    match app.login(email, PASSWORD, "test", at).await.unwrap() {
        LoginOutcome::LoggedIn { cookie, .. } => cookie,
        other => panic!("login refused: {other:?}"),
    }
}

#[tokio::test]
async fn a_duplicate_email_in_another_case_is_refused_naming_email() {
    on_every_engine(|app, company| async move {
        let u = app.create_user(&actor(), &new_user(company, "Claire.Martin@Example.com")).await.unwrap();
        assert_eq!(u.email, "claire.martin@example.com");
        let e = app.create_user(&actor(), &new_user(company, "claire.martin@EXAMPLE.com")).await.unwrap_err();
        assert_eq!(field_of(e), "email");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_events WHERE action = 'user.create'").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_short_password_is_refused_naming_password_and_the_hash_is_argon2id() {
    on_every_engine(|app, company| async move {
        let mut u = new_user(company, "a@example.com");
        u.password = "nine char".into();
        assert_eq!(field_of(app.create_user(&actor(), &u).await.unwrap_err()), "password");
        u.password = "x".repeat(1025);
        assert_eq!(field_of(app.create_user(&actor(), &u).await.unwrap_err()), "password");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 0);
        app.create_user(&actor(), &new_user(company, "a@example.com")).await.unwrap();
        let hash: String =
            sqlx::query_scalar("SELECT password_hash FROM users").fetch_one(app.db.pool()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(!hash.contains(PASSWORD));
        assert!(creance_app::users::verify_password(PASSWORD, &hash));
        assert!(!creance_app::users::verify_password("correct horse batterY", &hash));
    })
    .await;
}

#[tokio::test]
async fn five_failures_throttle_the_sixth_attempt_for_fifteen_minutes_and_a_success_resets() {
    on_every_engine(|app, company| async move {
        app.create_user(&actor(), &new_user(company, "b@example.com")).await.unwrap();
        // An unknown e-mail and a wrong password get the same answer.
        assert_eq!(app.login("nobody@example.com", PASSWORD, "", later(0)).await.unwrap(), LoginOutcome::Refused);
        for k in 0..5 {
            assert_eq!(
                app.login("b@example.com", "wrong password", "", later(k)).await.unwrap(),
                LoginOutcome::Refused
            );
        }
        // The sixth, even with the right password, is throttled until the first failure is 15 min old.
        assert_eq!(
            app.login("B@example.com", PASSWORD, "", later(5)).await.unwrap(),
            LoginOutcome::Throttled { until: later(15) }
        );
        // Past that, the right password works, and the count starts again.
        cookie_of(&app, "b@example.com", later(15)).await;
        assert_eq!(app.login("b@example.com", "wrong password", "", later(16)).await.unwrap(), LoginOutcome::Refused);
        cookie_of(&app, "b@example.com", later(17)).await;
    })
    .await;
}

#[tokio::test]
async fn thirty_failures_from_one_address_over_many_e_mails_throttle_that_address_only() {
    on_every_engine(|app, company| async move {
        app.create_user(&actor(), &new_user(company, "d@example.com")).await.unwrap();
        let guesser = "203.0.113.9";
        // Four tries on each of many e-mails: never five for one e-mail, thirty from one address.
        for k in 0..THROTTLE_SOURCE_FAILURES {
            let email = format!("guess{}@example.com", k / 4);
            assert_eq!(app.login(&email, "wrong password", guesser, later(0)).await.unwrap(), LoginOutcome::Refused);
        }
        // That address is throttled, even for a real user with the right password…
        assert_eq!(
            app.login("d@example.com", PASSWORD, guesser, later(1)).await.unwrap(),
            LoginOutcome::Throttled { until: later(15) }
        );
        // …another address is not, and the user logs in from there.
        assert!(matches!(
            app.login("d@example.com", PASSWORD, "198.51.100.7", later(1)).await.unwrap(),
            LoginOutcome::LoggedIn { .. }
        ));
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_after_two_idle_hours_twelve_hours_logout_and_a_new_password() {
    on_every_engine(|app, company| async move {
        app.create_user(&actor(), &new_user(company, "c@example.com")).await.unwrap();
        let cookie = cookie_of(&app, "c@example.com", later(0)).await;
        let s = app.web_session(&cookie, later(100)).await.unwrap().expect("live");
        assert_eq!((s.company_id, s.role, s.email.as_str()), (company, Role::Clerk, "c@example.com"));
        assert_eq!(s.csrf_token.len(), 64);
        // Seen at 100 min: alive at 219, not at 221 (two hours idle).
        assert!(app.web_session(&cookie, later(219)).await.unwrap().is_some());
        assert!(app.web_session(&cookie, later(339)).await.unwrap().is_none());
        // Kept busy, it still ends 12 h after the login.
        let cookie = cookie_of(&app, "c@example.com", later(0)).await;
        for m in (60..=660).step_by(60) {
            assert!(app.web_session(&cookie, later(m)).await.unwrap().is_some(), "at {m} min");
        }
        assert!(app.web_session(&cookie, later(721)).await.unwrap().is_none());
        // Logout deletes the session.
        let cookie = cookie_of(&app, "c@example.com", later(0)).await;
        let s = app.web_session(&cookie, later(1)).await.unwrap().unwrap();
        app.logout(&s, later(2)).await.unwrap();
        assert!(app.web_session(&cookie, later(3)).await.unwrap().is_none());
        // A new password ends every session of the user.
        let cookie = cookie_of(&app, "c@example.com", later(0)).await;
        app.set_user_password(&actor(), "c@example.com", "another long password").await.unwrap();
        assert!(app.web_session(&cookie, later(1)).await.unwrap().is_none());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_events WHERE action = 'user.password'").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_user_switches_only_to_a_company_it_holds_a_role_in() {
    on_every_engine(|app, company| async move {
        let other = french_company(&app, "Autre SA").await;
        let third = french_company(&app, "Tierce SAS").await;
        app.create_user(&actor(), &new_user(company, "d@example.com")).await.unwrap();
        app.grant_user_role(&actor(), "d@example.com", other, Role::ReadOnly).await.unwrap();
        let cookie = cookie_of(&app, "d@example.com", later(0)).await;
        let s = app.web_session(&cookie, later(1)).await.unwrap().unwrap();
        assert_eq!(s.companies.len(), 2);
        assert!(!app.switch_company(&s, third, later(2)).await.unwrap());
        assert!(app.switch_company(&s, other, later(2)).await.unwrap());
        let s = app.web_session(&cookie, later(3)).await.unwrap().unwrap();
        assert_eq!((s.company_id, s.role), (other, Role::ReadOnly));
        let listed = app.users(Some(other)).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].roles.len(), 2);
    })
    .await;
}
