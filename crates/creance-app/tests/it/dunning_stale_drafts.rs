//! A draft keeps each installment's level as it was at the proposal (`level_before`, `date_before`).
//! When that level changed before the draft is issued — another run dunned the installment, or the
//! letter before was withdrawn — issuing the draft drops the installment out (`removed`, "dunned or
//! withdrawn since the proposal") instead of dunning it from a stale level (SPEC §4.6: "level L needs
//! level L − 1", one letter per level). The workload simulation found both cases:
//! - a letter withdrawn while a later draft lists its installments (F-100 would go 0 → 2);
//! - a left-out letter of a draft, which holds nothing, revived at issue after another run dunned its
//!   installments (F-100 would be dunned at level 1 twice, the same day).

use crate::common::*;
use creance_app::dunning::Criteria;
use creance_app::import::Entity;
use creance_app::{App, AppError};
use creance_core::Date;
use creance_store::{Row, Sql};

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// F-100's dunning level and date, read from the row.
async fn level_of_f100(app: &App) -> (i64, Option<String>) {
    let mut conn = app.db.pool().acquire().await.unwrap();
    let r = Sql::new(
        "SELECT i.dunning_level, i.dunning_date FROM installments i JOIN documents d ON d.id = i.document_id \
         WHERE d.number = 'F-100'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    (r.try_get(0).unwrap(), r.try_get(1).unwrap())
}

async fn propose(app: &App, company: i64, date: &str) -> i64 {
    let c = Criteria { as_of: Some(date.into()), ..Default::default() };
    let p = app.propose_dunning(&actor(), company, &c, d(date)).await.expect("proposal");
    p.run_id().unwrap_or_else(|| panic!("nothing to dun on {date}"))
}

/// The letter of a run, by SQL (one payer here).
async fn letter_of_run(app: &App, run: i64) -> i64 {
    let mut conn = app.db.pool().acquire().await.unwrap();
    let r = Sql::new("SELECT id FROM dunning_letters WHERE status = 'issued' AND run_id = ")
        .bind(run)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    r.try_get(0).unwrap()
}

#[tokio::test]
async fn a_draft_issued_after_the_letter_before_it_was_withdrawn_does_not_skip_a_level() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total;due_date\ninvoice;F-100;C001;2026-01-15;EUR;100,50;2026-02-14\n",
        )
        .await;
        // Level 1 on 15 February.
        let first = propose(&app, company, "2026-02-15").await;
        app.issue_dunning(&actor(), company, first, d("2026-02-15")).await.unwrap();
        assert_eq!(level_of_f100(&app).await, (1, Some("2026-02-15".into())));
        // On 2 March a draft proposes level 2 and is kept; then the level-1 letter is withdrawn.
        let second = propose(&app, company, "2026-03-02").await;
        let letter = letter_of_run(&app, first).await;
        let withdrawn = app.withdraw_dunning_letter(&actor(), company, letter, "wrong address", d("2026-03-02")).await;
        if matches!(withdrawn, Err(AppError::Rejected(_))) {
            return; // Fixed by refusing the withdrawal while a draft holds F-100.
        }
        withdrawn.expect("withdrawn");
        assert_eq!(level_of_f100(&app).await, (0, None), "the withdrawal puts level 0 back");
        // Issuing the draft now must not put F-100 at level 2: it was never at level 1 (withdrawn).
        match app.issue_dunning(&actor(), company, second, d("2026-03-02")).await {
            Err(AppError::Rejected(_)) => {} // Fixed by refusing a stale draft.
            Err(e) => panic!("{e:?}"),
            Ok(_) => {
                let (level, _) = level_of_f100(&app).await;
                assert!(level <= 1, "F-100 went from level 0 to level {level}: a skipped level");
            }
        }
        let violations = app.check().await.unwrap();
        assert!(violations.is_empty(), "{violations:#?}");
    })
    .await;
}

/// One integer a query returns.
async fn int(app: &App, sql: &str) -> i64 {
    let mut conn = app.db.pool().acquire().await.unwrap();
    Sql::new(sql).fetch_one(&mut conn).await.unwrap().try_get(0).unwrap()
}

#[tokio::test]
async fn a_left_out_letter_revived_at_issue_does_not_dun_again_what_another_run_dunned_since() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total;due_date\n\
             invoice;F-100;C001;2026-01-15;EUR;100,50;2026-02-14\n\
             invoice;F-101;C001;2026-02-10;EUR;200,00;2026-03-12\n\
             credit_note;AV-1;C001;2026-02-01;EUR;120,00;2026-02-01\n\
             invoice;F-201;C002;2026-01-30;EUR;50,00;2026-02-14\n",
        )
        .await;
        // 15 February: the credit note covers F-100, so C001's letter is left out of the draft, which
        // duns C002's F-201.
        let c = Criteria { as_of: Some("2026-02-15".into()), ..Default::default() };
        let first = app.propose_dunning(&actor(), company, &c, d("2026-02-15")).await.expect("proposal");
        assert_eq!((first.counts.draft, first.counts.left_out), (1, 1), "{:#?}", first.letters.items);
        let first = first.run_id().expect("a draft for C002");
        // The credit note goes to F-101 instead; a second proposal duns F-100 at level 1 and is issued.
        let note = int(&app, "SELECT id FROM documents WHERE number = 'AV-1'").await;
        let f101 = int(
            &app,
            "SELECT i.id FROM installments i JOIN documents d ON d.id = i.document_id WHERE d.number = 'F-101'",
        )
        .await;
        let lines = creance_app::payments::AllocateRequest::Lines(vec![creance_app::payments::LineRequest {
            installment_id: f101,
            amount: None,
        }]);
        app.allocate(&actor(), company, creance_app::payments::CreditRef::CreditNote(note), &lines, d("2026-02-16"))
            .await
            .expect("credit note allocated");
        let c = Criteria {
            customer_from: Some("C001".into()),
            customer_to: Some("C001".into()),
            as_of: Some("2026-02-16".into()),
            ..Default::default()
        };
        let second = app.propose_dunning(&actor(), company, &c, d("2026-02-16")).await.expect("proposal");
        let second = second.run_id().expect("C001 is dunned now");
        app.issue_dunning(&actor(), company, second, d("2026-02-16")).await.unwrap();
        assert_eq!(level_of_f100(&app).await, (1, Some("2026-02-16".into())));
        // Issuing the first draft (for C002) must not dun F-100 at level 1 a second time.
        let _ = app.issue_dunning(&actor(), company, first, d("2026-02-16")).await;
        let letters = int(
            &app,
            "SELECT COUNT(*) FROM dunning_items it JOIN dunning_letters l ON l.run_id = it.run_id \
             AND l.payer_id = it.payer_id AND l.currency = it.currency JOIN documents d ON d.id = it.document_id \
             WHERE d.number = 'F-100' AND it.kind = 'due' AND it.status = 'active' AND l.status = 'issued'",
        )
        .await;
        assert_eq!(letters, 1, "F-100 was dunned at level 1 by {letters} issued letters");
    })
    .await;
}
