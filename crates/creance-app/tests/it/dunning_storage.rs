//! How a run's letters are stored and read back (issue 15): the packed read of every letter of a run
//! against the row-by-row one, and the links the database does not enforce on PostgreSQL (letters
//! without foreign keys, migration 0036) named by `creance check`.

use crate::common::*;
use crate::dunning::{as_of, assert_invariants, d, letter_of, propose, run_id, setup};
use creance_app::dunning::Texts;
use creance_store::dunning_runs::LetterFilter;

/// The issue and the letters' documents read every letter of a run packed (a thousand to a row);
/// what they read is exactly what the row-by-row list reads: each field, NULL or empty, texts with
/// line breaks, quotes and non-ASCII characters, in the same order, draft and issued.
#[tokio::test]
async fn a_run_s_letters_read_packed_are_the_letters_read_row_by_row() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let p = propose(&app, company, &as_of("2026-03-20")).await;
        let c001 = letter_of(&p, "C001").clone();
        let texts = Texts {
            subject: "Relance {level} – « {payer_name} »".into(),
            opening: "Bonjour,\n\nl'équipe \"comptabilité\" vous écrit ; 100 % | \\ %s".into(),
            closing: String::new(),
        };
        app.edit_dunning_texts(&actor(), company, c001.id, Some(&texts)).await.unwrap();
        let same = |tag: &'static str, f: LetterFilter| {
            let app = app.clone();
            async move {
                let mut tx = app.db.begin_read().await.unwrap();
                let (rows, total) =
                    creance_store::dunning_runs::letters(&mut tx, company, &f, i64::MAX, 0).await.unwrap();
                let packed = creance_store::dunning_runs::all_letters(&mut tx, company, &f).await.unwrap();
                assert!(total >= 2, "{tag}: {total} letters");
                assert_eq!(format!("{packed:#?}"), format!("{rows:#?}"), "{tag}");
            }
        };
        let run = Some(run_id(&p));
        same("draft run", LetterFilter { run_id: run, ..Default::default() }).await;
        app.issue_dunning(&actor(), company, run_id(&p), d("2026-03-20")).await.unwrap();
        same("issued run", LetterFilter { run_id: run, ..Default::default() }).await;
        same("every letter, newest first", LetterFilter::default()).await;
    })
    .await;
}

/// A letter keeps no foreign keys on PostgreSQL (migration 0036): `creance check` names a letter whose
/// policy (or run, payer, company) is missing or another company's.
#[tokio::test]
async fn a_letter_linked_to_another_company_s_policy_is_named_by_the_check() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let p = propose(&app, company, &as_of("2026-03-20")).await;
        let letter = letter_of(&p, "C001").id;
        assert_invariants(&app).await;
        let other = french_company(&app, "Autre SAS").await;
        let foreign_policy = app.dunning_policies(other).await.unwrap().remove(0).id;
        let mut tx = app.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        creance_store::Sql::new("UPDATE dunning_letters SET policy_id = ")
            .bind(foreign_policy)
            .push(" WHERE id = ")
            .bind(letter)
            .execute(&mut tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let violations = app.check().await.unwrap();
        let named: Vec<(&str, &str)> = violations.iter().map(|v| (v.rule, v.subject.as_str())).collect();
        assert_eq!(named, [("dunning_letter_refs", format!("dunning letter {letter}").as_str())]);
    })
    .await;
}
