//! Writers on the same rows are serialised (CONVENTIONS, "Over-allocation is guarded on three paths"),
//! on every engine: a second transaction that locks a payment and an installment another transaction
//! holds waits for it (PostgreSQL `SELECT … FOR UPDATE`; SQLite `BEGIN IMMEDIATE`, one writer at a
//! time), then reads the open amounts the first one committed, so it cannot allocate the same money
//! twice. Numbers taken from the gapless series by concurrent transactions never repeat and leave no
//! gap, a rolled-back one included. A write of rows read without a lock (the batch allocation) is
//! refused as a lost race once another transaction changed them.
//!
//! "Waits" is observed, not timed: the second transaction reports each stage on a channel, and the
//! test asserts it has not locked the rows while the first still holds them (checked again after
//! giving it a bounded chance to run). A broken lock shows as the second transaction reading the
//! stale open amount or getting the rows first; a slow machine cannot make the test fail.

use std::time::Duration;

use creance_store::testing::TestDb;
use creance_store::{allocations, payments, series, Db};
use tokio::sync::mpsc;

use crate::books::*;

/// What the second transaction saw: the payment's and the installment's open amounts, read under lock.
async fn second_writer(
    db: Db,
    company: i64,
    payment: i64,
    installment: i64,
    stage: mpsc::UnboundedSender<&'static str>,
) -> (i64, i64) {
    stage.send("started").unwrap();
    let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.expect("second transaction");
    let p = payments::get(&mut tx, company, payment, true).await.unwrap().expect("payment");
    let i = allocations::lock_installments(&mut tx, company, &[installment]).await.unwrap();
    stage.send("locked").unwrap();
    let seen = (p.unallocated.minor(), i[0].amount_open);
    tx.rollback().await.unwrap();
    seen
}

/// A company with one customer, an invoice F-1 and a payment RG-1 of 100.00 each, committed:
/// `(company, installment, payment)`.
async fn one_invoice_and_one_payment_of_100(db: &Db) -> (i64, i64, i64) {
    let mut setup = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
    let company = company(&mut setup).await;
    let c = customer(&mut setup, company, "C1").await;
    let f = invoice(&mut setup, company, c, "F-1", 10000).await;
    let p = payment(&mut setup, company, c, "RG-1", 10000).await;
    setup.commit().await.unwrap();
    (company, f, p)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_writer_waits_for_the_first_and_reads_what_it_committed() {
    for t in TestDb::all().await {
        let db = t.db.clone();
        let (company, f, p) = one_invoice_and_one_payment_of_100(&db).await;

        // The first writer locks the payment and the installment and allocates 60.00.
        let mut first = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let locked = payments::get(&mut first, company, p, true).await.unwrap().expect("payment");
        assert_eq!(locked.unallocated.minor(), 10000);
        allocations::lock_installments(&mut first, company, &[f]).await.unwrap();
        allocations::insert(
            &mut first,
            company,
            &[allocations::AllocationRow {
                credit: allocations::CreditId::Payment(p),
                installment_id: f,
                amount: creance_core::Money::new(6000, creance_core::Currency::EUR),
                date: creance_core::Date::parse("2026-02-20").unwrap(),
            }],
            false,
        )
        .await
        .unwrap();
        allocations::adjust_installments(&mut first, company, &[(f, -6000)]).await.unwrap();
        allocations::adjust_payments(&mut first, company, &[(p, -6000)]).await.unwrap();

        let (stage_tx, mut stages) = mpsc::unbounded_channel();
        let second = tokio::spawn(second_writer(db.clone(), company, p, f, stage_tx));
        assert_eq!(stages.recv().await, Some("started"));
        // A bounded chance to get ahead: it must not lock the rows while the first holds them.
        let early = tokio::time::timeout(Duration::from_millis(300), stages.recv()).await;
        assert!(early.is_err(), "on {}: the second writer locked rows the first holds: {early:?}", t.engine().name());
        first.commit().await.unwrap();
        assert_eq!(stages.recv().await, Some("locked"));
        let seen = second.await.expect("second writer");
        assert_eq!(seen, (4000, 4000), "on {}: it reads the committed open amounts, not 100.00", t.engine().name());

        let mut tx = db.begin_read().await.unwrap();
        assert_eq!(ledger_violations(&mut tx).await, []);
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}

/// The batch allocation reads its rows without a lock and writes each only if it is still as read.
async fn seen_write(db: &Db, company: i64, payment: i64, installment: i64, seen: i64) -> anyhow::Result<()> {
    use allocations::{SeenChange, SeenTable};
    let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await?;
    let customer = payments::get(&mut tx, company, payment, false).await?.expect("payment").customer_id;
    let pay = SeenChange { id: payment, delta: -seen, seen_open: seen, seen_customer: customer };
    allocations::adjust_if_unchanged(&mut tx, SeenTable::Payments, company, &[pay]).await?;
    let inst = SeenChange { id: installment, delta: -seen, seen_open: seen, seen_customer: 0 };
    allocations::adjust_if_unchanged(&mut tx, SeenTable::Installments, company, &[inst]).await?;
    tx.commit().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_of_rows_read_without_a_lock_is_refused_as_a_lost_race_once_another_changed_them() {
    for t in TestDb::all().await {
        let db = t.db.clone();
        let (company, f, p) = one_invoice_and_one_payment_of_100(&db).await;

        // Read 100.00 open on both; another writer allocates 60.00 and commits; the write of what
        // was read is refused and changes nothing.
        let mut other = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        allocations::adjust_payments(&mut other, company, &[(p, -6000)]).await.unwrap();
        allocations::adjust_installments(&mut other, company, &[(f, -6000)]).await.unwrap();
        if t.engine().name() == "PostgreSQL" {
            // On PostgreSQL the late writer waits for the row the other holds, then re-reads it.
            let late = tokio::spawn({
                let db = db.clone();
                async move { seen_write(&db, company, p, f, 10000).await }
            });
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(!late.is_finished(), "the late writer waits for the row the other holds");
            other.commit().await.unwrap();
            let err = late.await.expect("late writer").unwrap_err();
            assert_eq!(
                creance_store::error::classify(&err),
                Some(creance_store::error::DbRejection::LostRace),
                "{err:#}"
            );
        } else {
            other.commit().await.unwrap();
        }
        let err = seen_write(&db, company, p, f, 10000).await.unwrap_err();
        assert_eq!(creance_store::error::classify(&err), Some(creance_store::error::DbRejection::LostRace), "{err:#}");
        let mut tx = db.begin_read().await.unwrap();
        assert_eq!(amount_open(&mut tx, "payments", p).await, 4000, "on {}: nothing more changed", t.engine().name());
        assert_eq!(amount_open(&mut tx, "installments", f).await, 4000);
        tx.rollback().await.unwrap();
        // What is read now is written.
        seen_write(&db, company, p, f, 4000).await.unwrap();
        let mut tx = db.begin_read().await.unwrap();
        assert_eq!(amount_open(&mut tx, "payments", p).await, 0);
        assert_eq!(amount_open(&mut tx, "installments", f).await, 0);
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_concurrent_transactions_take_eight_consecutive_numbers_and_a_rollback_leaves_no_gap() {
    for t in TestDb::all().await {
        let db = t.db.clone();
        let mut setup = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = company(&mut setup).await;
        series::ensure(&mut setup, company, "letter", "LR-{YYYY}-{####}").await.unwrap();
        setup.commit().await.unwrap();
        let mut tasks = Vec::new();
        for n in 0..8 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.expect("transaction");
                let numbers = series::take(&mut tx, company, "letter", 2026, 1 + n % 2).await.expect("numbers");
                // Every third one changes its mind: its numbers go back to the series.
                if n % 3 == 2 {
                    tx.rollback().await.unwrap();
                    Vec::new()
                } else {
                    tx.commit().await.unwrap();
                    numbers
                }
            }));
        }
        let mut taken = Vec::new();
        for task in tasks {
            taken.extend(task.await.expect("task"));
        }
        taken.sort();
        // Kept: n = 0, 1, 3, 4, 6, 7 taking 1, 2, 2, 1, 1, 2 numbers.
        let expected: Vec<String> = (1..=9).map(|k| format!("LR-2026-{k:04}")).collect();
        assert_eq!(taken, expected, "on {}: consecutive, no repeat, no gap", t.engine().name());
        let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        assert_eq!(series::take(&mut tx, company, "letter", 2026, 1).await.unwrap(), ["LR-2026-0010"]);
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}

/// A write transaction dropped without its commit (an error returned early) is rolled back, and
/// frees the database at once: another connection (as another process would) writes without waiting
/// for this process's next writer, and this process's next writer finds nothing of it. On SQLite the
/// writing connection is held outside sqlx's pool (`writer.rs`), so this rollback is its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_dropped_without_its_commit_is_rolled_back_and_frees_the_database() {
    for t in TestDb::all().await {
        let db = t.db.clone();
        let (company, _, _) = one_invoice_and_one_payment_of_100(&db).await;
        {
            let mut dropped = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
            customer(&mut dropped, company, "C-DROPPED").await;
        }
        let other = Db::connect(db.url()).await.expect("a second connection");
        let mut tx =
            tokio::time::timeout(Duration::from_secs(20), other.begin_write(creance_store::testing::TEST_INSTANT))
                .await
                .expect("the dropped transaction still holds the write lock")
                .expect("the other connection writes");
        customer(&mut tx, company, "C-OTHER").await;
        tx.commit().await.unwrap();
        other.close().await;
        let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.expect("this process writes again");
        let numbers = ["C-DROPPED".to_string(), "C-OTHER".to_string(), "C1".to_string()];
        let mut found: Vec<String> = creance_store::customers::by_numbers(&mut tx, company, &numbers)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.fields.number)
            .collect();
        found.sort();
        assert_eq!(found, ["C-OTHER", "C1"], "{:?}: the dropped transaction's customer was rolled back", db.engine());
        tx.commit().await.unwrap();
    }
}
