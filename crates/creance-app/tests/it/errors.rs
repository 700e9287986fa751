//! Typed errors (issue 10 point 2), on every engine: the store maps the schema's named guards and lost
//! races to a `DbRejection` by constraint (never by the app reading messages), and each refusal of
//! the payment, allocation, token and settings families answers its stable `Code`.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest, RecordPayment};
use creance_app::settings::NewBank;
use creance_app::{App, AppError, Code};
use creance_core::{Date, Role};
use creance_store::error::{classify_sqlx, DbRejection};
use creance_store::Engine;

const TODAY: &str = "2026-06-30";

const INVOICES: &str = "\
kind;number;customer;date;currency;total;order_ref;due_date
invoice;F-100;C001;2026-01-15;EUR;100,50;;2026-02-14
invoice;F-101;C001;2026-02-15;EUR;200,00;;2026-03-17
";

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn payment(amount: &str, piece: &str) -> RecordPayment {
    RecordPayment {
        customer_number: Some("C001".into()),
        amount: amount.into(),
        date: Some("2026-03-01".into()),
        method: "transfer".into(),
        piece_number: piece.into(),
        ..Default::default()
    }
}

async fn setup(app: &App, company: i64) {
    import_ok(app, company, Entity::Customers, CUSTOMERS).await;
    import_ok(app, company, Entity::Documents, INVOICES).await;
}

async fn scalar(app: &App, sql: &str) -> i64 {
    let mut tx = app.db.begin_read().await.expect("read");
    sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *tx).await.expect(sql)
}

/// Runs one statement in a write transaction (rolled back) and classifies how it fails.
async fn refusal_of(app: &App, sql: &str) -> Option<DbRejection> {
    let mut tx = app.db.begin_write(creance_store::testing::TEST_INSTANT).await.expect("write");
    let err = sqlx::query(sql).execute(&mut *tx).await.expect_err(sql);
    tx.rollback().await.expect("rollback");
    classify_sqlx(&err)
}

fn code_of<T: std::fmt::Debug>(r: &Result<T, AppError>) -> Code {
    match r {
        Err(e) => e.code(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

#[tokio::test]
async fn the_store_maps_each_named_guard_of_the_schema_to_its_rejection() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let mut input = payment("50.00", "VIR F-100");
        input.allocate = Some(AllocateRequest::Proposal);
        let paid = app.record_payment(&actor(), company, &input, d(TODAY)).await.expect("paid");
        app.unallocate(&actor(), company, paid.allocations[0].id, d(TODAY)).await.expect("reversed");

        // Open amounts below zero or above the total: the CHECKs behind every allocation.
        let over = Some(DbRejection::OverAllocation);
        assert_eq!(refusal_of(&app, "UPDATE installments SET amount_open = -1").await, over);
        assert_eq!(refusal_of(&app, "UPDATE installments SET amount_open = amount + 1").await, over);
        assert_eq!(refusal_of(&app, "UPDATE payments SET amount_open = -1").await, over);
        // A second reversal of the same allocation.
        let columns = "company_id, payment_id, credit_installment_id, installment_id, currency, amount, date, \
                       reverses_id, created_at, value_date";
        let again = format!(
            "INSERT INTO allocations ({columns}) SELECT {columns} FROM allocations WHERE reverses_id IS NOT NULL"
        );
        assert_eq!(refusal_of(&app, &again).await, Some(DbRejection::AlreadyReversed));
        // A payment number taken twice.
        let twice = "UPDATE payments SET number = 'RG-X'";
        app.record_payment(&actor(), company, &payment("20.00", "VIR 2"), d(TODAY)).await.expect("second");
        assert_eq!(refusal_of(&app, twice).await, Some(DbRejection::Duplicate { entity: "payment", field: "number" }));
        // Two drafts holding one installment.
        let installment = scalar(&app, "SELECT MIN(id) FROM installments").await;
        let customer = scalar(&app, "SELECT MIN(id) FROM customers").await;
        let mut tx = app.db.begin_write(creance_store::testing::TEST_INSTANT).await.expect("write");
        let run: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO dunning_runs (company_id, status, as_of, criteria, created_by, created_at) \
             VALUES ({company}, 'draft', '{TODAY}', '{{}}', 'test', '{TODAY}') RETURNING id"
        ))
        .fetch_one(&mut *tx)
        .await
        .expect("run");
        let item = format!(
            "INSERT INTO dunning_items (company_id, run_id, payer_id, currency, kind, installment_id, customer_id, \
             reference, doc_date, amount, amount_open) VALUES ({company}, {run}, {customer}, 'EUR', 'due', \
             {installment}, {customer}, 'F-100', '2026-01-15', 10050, 10050)"
        );
        let hold = format!(
            "INSERT INTO dunning_holds (installment_id, item_id, company_id, run_id) SELECT installment_id, MAX(id), \
             company_id, run_id FROM dunning_items WHERE run_id = {run} GROUP BY installment_id, company_id, run_id"
        );
        sqlx::query(&item).execute(&mut *tx).await.expect("first draft item");
        sqlx::query(&hold).execute(&mut *tx).await.expect("the first draft holds it");
        sqlx::query(&item).execute(&mut *tx).await.expect("second draft item");
        let err = sqlx::query(&hold).execute(&mut *tx).await.expect_err("a second draft holds it");
        tx.rollback().await.expect("rollback");
        assert_eq!(classify_sqlx(&err), Some(DbRejection::HeldByOtherDraft));
        // Any other constraint is no rejection: an internal failure.
        assert_eq!(refusal_of(&app, "UPDATE documents SET total = -1").await, None);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_deadlock_on_postgresql_is_a_lost_race() {
    on_every_engine(|app, company| async move {
        if app.db.engine() != Engine::Postgres {
            // SQLite serialises writers (BEGIN IMMEDIATE) and waits 30 s for the lock; its busy codes are
            // classified in creance_store::error's unit tests.
            return;
        }
        setup(&app, company).await;
        let a = app.record_payment(&actor(), company, &payment("1.00", "A"), d(TODAY)).await.expect("a").payment.id;
        let b = app.record_payment(&actor(), company, &payment("2.00", "B"), d(TODAY)).await.expect("b").payment.id;
        let touch = |id: i64| format!("UPDATE payments SET note = note WHERE id = {id}");
        let mut t1 = app.db.begin_write(creance_store::testing::TEST_INSTANT).await.expect("t1");
        let mut t2 = app.db.begin_write(creance_store::testing::TEST_INSTANT).await.expect("t2");
        sqlx::query(&touch(a)).execute(&mut *t1).await.expect("t1 holds a");
        sqlx::query(&touch(b)).execute(&mut *t2).await.expect("t2 holds b");
        // Each now asks for the other's row: PostgreSQL aborts one of them (40P01).
        let (sql1, sql2) = (touch(b), touch(a));
        let first = async move {
            let r = sqlx::query(&sql1).execute(&mut *t1).await;
            t1.rollback().await.expect("rollback t1");
            r
        };
        let second = async move {
            let r = sqlx::query(&sql2).execute(&mut *t2).await;
            t2.rollback().await.expect("rollback t2");
            r
        };
        let (r1, r2) = tokio::join!(first, second);
        let lost: Vec<_> = [r1, r2].into_iter().filter_map(Result::err).collect();
        assert_eq!(lost.len(), 1, "one of the two is the deadlock's victim: {lost:?}");
        assert_eq!(classify_sqlx(&lost[0]), Some(DbRejection::LostRace), "{:?}", lost[0]);
    })
    .await;
}

#[tokio::test]
async fn each_payment_and_allocation_refusal_answers_its_code() {
    on_every_engine(|app, company| async move {
        setup(&app, company).await;
        let a = actor();
        let today = d(TODAY);
        let p = app.record_payment(&a, company, &payment("500.00", "CHQ 1"), today).await.expect("payment");
        let id = p.payment.id;
        let installment = scalar(&app, "SELECT MIN(id) FROM installments").await;
        let line = |amount: &str| {
            AllocateRequest::Lines(vec![LineRequest { installment_id: installment, amount: Some(amount.into()) }])
        };

        // Not found, then a bad field.
        assert_eq!(code_of(&app.payment(company, id + 1000).await), Code::NotFound);
        let mut bad = payment("0", "X");
        bad.confirm_duplicate = true;
        match app.record_payment(&a, company, &bad, today).await {
            Err(AppError::Invalid(f)) => assert_eq!((f.field.as_str(), f.code), ("amount", Code::InvalidField)),
            other => panic!("expected an invalid amount, got {other:?}"),
        }
        // The same customer, amount and piece number within the window.
        assert_eq!(
            code_of(&app.record_payment(&a, company, &payment("500.00", "CHQ 1"), today).await),
            Code::LikelyDuplicate
        );

        // More than the installment has open (100.50): a 409 over-allocation.
        let over = app.allocate(&a, company, CreditRef::Payment(id), &line("200.00"), today).await;
        assert!(matches!(&over, Err(AppError::Rejected(r)) if r.code == Code::OverAllocation), "{over:?}");
        // An installment the payment may not pay: a 422 on `lines`.
        let stranger = AllocateRequest::Lines(vec![LineRequest {
            installment_id: installment + 1000,
            amount: Some("10.00".into()),
        }]);
        match app.allocate(&a, company, CreditRef::Payment(id), &stranger, today).await {
            Err(AppError::Invalid(f)) => assert_eq!((f.field.as_str(), f.code), ("lines", Code::UnknownTarget)),
            other => panic!("expected an unknown target, got {other:?}"),
        }

        // Allocated: it cannot be cancelled; reversed twice, or a reversal reversed: refused.
        let made = app.allocate(&a, company, CreditRef::Payment(id), &line("100.50"), today).await.expect("allocated");
        assert_eq!(code_of(&app.cancel_payment(&a, company, id, "erreur", today).await), Code::PaymentInUse);
        let reversal = app.unallocate(&a, company, made[0].id, today).await.expect("reversed");
        assert_eq!(code_of(&app.unallocate(&a, company, made[0].id, today).await), Code::AlreadyReversed);
        assert_eq!(code_of(&app.unallocate(&a, company, reversal.id, today).await), Code::IsReversal);

        // Cancelled: it neither allocates nor cancels again.
        app.cancel_payment(&a, company, id, "saisi deux fois", today).await.expect("cancelled");
        assert_eq!(code_of(&app.cancel_payment(&a, company, id, "encore", today).await), Code::PaymentCancelled);
        let proposal = AllocateRequest::Proposal;
        assert_eq!(
            code_of(&app.allocate(&a, company, CreditRef::Payment(id), &proposal, today).await),
            Code::PaymentCancelled
        );
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn token_settings_and_idempotency_refusals_answer_their_codes() {
    on_every_engine(|app, company| async move {
        let a = actor();
        app.create_token(&a, company, Role::Clerk, "caisse").await.expect("token");
        let token = app.tokens(company).await.expect("tokens")[0].id;
        app.revoke_token(&a, company, token).await.expect("revoked");
        assert_eq!(code_of(&app.revoke_token(&a, company, token).await), Code::TokenRevoked);
        assert_eq!(code_of(&app.revoke_token(&a, company, token + 1000).await), Code::NotFound);

        let bank = NewBank {
            name: "Banque Populaire".into(),
            iban: String::new(),
            bic: String::new(),
            journal_code: None,
            account_code: None,
            currency: None,
        };
        app.add_bank_account(&a, company, &bank).await.expect("bank");
        assert_eq!(code_of(&app.add_bank_account(&a, company, &bank).await), Code::Duplicate);

        app.idempotency_claim(&actor(), company, "key-1", "hash-1").await.expect("claimed");
        assert_eq!(
            code_of(&app.idempotency_claim(&actor(), company, "key-1", "hash-1").await),
            Code::IdempotencyPending
        );
        match app.idempotency_claim(&actor(), company, "key-1", "hash-2").await {
            Err(AppError::Invalid(f)) => assert_eq!(f.code, Code::IdempotencyKeyReused),
            other => panic!("expected a reused key, got {other:?}"),
        }
    })
    .await;
}

async fn assert_invariants(app: &App) {
    let violations = app.check().await.expect("check");
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

#[tokio::test]
async fn a_rate_table_without_the_rate_for_a_day_refuses_the_proposal_naming_the_table() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        // Due in 2019: interest runs on days before the preset's first rate (1 January 2020).
        let old =
            "kind;number;customer;date;currency;total;due_date\ninvoice;F-900;C001;2019-05-01;EUR;100,00;2019-05-31\n";
        import_ok(&app, company, Entity::Documents, old).await;
        crate::dunning::french_policy(&app, company, 0).await;
        let r = app.propose_dunning(&actor(), company, &crate::dunning::as_of("2020-03-31"), d("2020-03-31")).await;
        match r {
            Err(AppError::Rejected(j)) => {
                assert_eq!(j.code, Code::InterestRateMissing, "{j:?}");
                assert!(j.detail.starts_with("interest table fr_b2b: no interest rate is defined for 2019-"), "{j:?}");
            }
            other => panic!("expected interest_rate_missing, got {other:?}"),
        }
    })
    .await;
}
