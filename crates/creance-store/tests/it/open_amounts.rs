//! The open amounts the store keeps (SPEC §4.1), on every engine: `installments.amount_open` and
//! `payments.amount_open` follow the active allocations through allocations and reversals; `check`
//! finds a stored open amount that drifted from them; the schema refuses a second reversal and an
//! open amount below zero (the last guard against over-allocation).

use creance_core::{Currency, Date, Money};
use creance_store::allocations::{self, AllocationRow, CreditId};
use creance_store::testing::TestDb;
use creance_store::{Sql, Tx};

use crate::books::*;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// Allocates `minor` of a payment to an installment the way the application does: the allocation
/// row, then both open amounts lowered. Returns the allocation's id.
async fn allocate(tx: &mut Tx, company: i64, payment: i64, installment: i64, minor: i64) -> i64 {
    let row = AllocationRow {
        credit: CreditId::Payment(payment),
        installment_id: installment,
        amount: Money::new(minor, Currency::EUR),
        date: d("2026-02-20"),
    };
    let ids = allocations::insert(tx, company, &[row], true).await.expect("allocation");
    allocations::adjust_installments(tx, company, &[(installment, -minor)]).await.expect("installment");
    allocations::adjust_payments(tx, company, &[(payment, -minor)]).await.expect("payment");
    ids[0]
}

/// Reverses an allocation and gives both sides their amount back.
async fn unallocate(tx: &mut Tx, company: i64, allocation: i64) -> i64 {
    let a = allocations::get(tx, company, allocation).await.expect("read").expect("allocation");
    let reversal = allocations::reverse(tx, company, &a, d("2026-02-25")).await.expect("reversal");
    allocations::adjust_installments(tx, company, &[(a.installment_id, a.amount.minor())]).await.expect("installment");
    allocations::adjust_payments(tx, company, &[(a.payment_id.expect("a payment"), a.amount.minor())])
        .await
        .expect("payment");
    reversal
}

/// The installment's amount less what its active allocations (not reversals, not reversed) hold.
async fn open_from_allocations(tx: &mut Tx, installment: i64) -> i64 {
    int(
        tx,
        Sql::new(
            "SELECT CAST(i.amount - COALESCE((SELECT SUM(a.amount) FROM allocations a WHERE a.installment_id = i.id \
             AND a.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id)), 0) \
             AS BIGINT) FROM installments i WHERE i.id = ",
        )
        .bind(installment),
    )
    .await
}

#[tokio::test]
async fn an_installment_of_100_50_allocated_30_and_20_then_30_reversed_keeps_80_50_open() {
    for t in TestDb::all().await {
        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = company(&mut tx).await;
        let c = customer(&mut tx, company, "C1").await;
        let f = invoice(&mut tx, company, c, "F-1", 10050).await;
        let p = payment(&mut tx, company, c, "RG-1", 8000).await;
        let first = allocate(&mut tx, company, p, f, 3000).await;
        allocate(&mut tx, company, p, f, 2000).await;
        assert_eq!(amount_open(&mut tx, "installments", f).await, 5050);
        unallocate(&mut tx, company, first).await;
        assert_eq!(amount_open(&mut tx, "installments", f).await, 8050, "the reversal gives the 30.00 back");
        assert_eq!(amount_open(&mut tx, "installments", f).await, open_from_allocations(&mut tx, f).await);
        assert_eq!(amount_open(&mut tx, "payments", p).await, 6000, "the payment has 60.00 left");
        // Append-only: the allocation and its reversal are both still there.
        let rows = allocations::list(&mut tx, company, allocations::Of::Installment(f)).await.unwrap();
        assert_eq!(rows.len(), 3, "{rows:#?}");
        assert_eq!(rows.iter().filter(|a| a.is_active()).count(), 1);
        assert_eq!(ledger_violations(&mut tx).await, []);
        tx.commit().await.unwrap();
        t.finish().await;
    }
}

#[tokio::test]
async fn check_names_an_installment_whose_stored_open_amount_drifted_from_its_allocations() {
    for t in TestDb::all().await {
        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = company(&mut tx).await;
        let c = customer(&mut tx, company, "C1").await;
        let f = invoice(&mut tx, company, c, "F-1", 10050).await;
        let p = payment(&mut tx, company, c, "RG-1", 8000).await;
        allocate(&mut tx, company, p, f, 3000).await;
        // 10.00 lowered on the installment without an allocation (what a lost update would do).
        allocations::adjust_installments(&mut tx, company, &[(f, -1000)]).await.unwrap();
        let v = ledger_violations(&mut tx).await;
        let rules: Vec<(&str, &str)> = v.iter().map(|v| (v.rule, v.subject.as_str())).collect();
        assert_eq!(rules, [("installment_open_amount", format!("installment {f}").as_str())], "{v:#?}");
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}

#[tokio::test]
async fn the_schema_refuses_a_second_reversal_and_an_open_amount_below_zero() {
    for t in TestDb::all().await {
        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = company(&mut tx).await;
        let c = customer(&mut tx, company, "C1").await;
        let f = invoice(&mut tx, company, c, "F-1", 5000).await;
        let p = payment(&mut tx, company, c, "RG-1", 8000).await;
        let a = allocate(&mut tx, company, p, f, 5000).await;
        unallocate(&mut tx, company, a).await;
        tx.commit().await.unwrap();

        // A failed statement ends a PostgreSQL transaction: one transaction per refusal.
        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let again = allocations::get(&mut tx, company, a).await.unwrap().expect("allocation");
        assert!(
            allocations::reverse(&mut tx, company, &again, d("2026-02-26")).await.is_err(),
            "one reversal per allocation (unique index on reverses_id)"
        );
        tx.rollback().await.unwrap();

        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let err = allocations::adjust_installments(&mut tx, company, &[(f, -5001)]).await.unwrap_err();
        assert!(format!("{err:#}").to_lowercase().contains("check"), "a CHECK constraint refuses it: {err:#}");
        tx.rollback().await.unwrap();

        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        assert!(allocations::adjust_payments(&mut tx, company, &[(p, -8001)]).await.is_err());
        tx.rollback().await.unwrap();

        let mut tx = t.db.begin_read().await.unwrap();
        assert_eq!(amount_open(&mut tx, "installments", f).await, 5000, "nothing changed");
        assert_eq!(amount_open(&mut tx, "payments", p).await, 8000);
        assert_eq!(ledger_violations(&mut tx).await, []);
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}

#[tokio::test]
async fn adjusting_15_100_installments_takes_two_chunks_and_misses_none() {
    const N: i64 = 15_100; // a chunk holds 15,000 (id, delta) pairs under SQLite's parameter limit
    for t in TestDb::all().await {
        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = company(&mut tx).await;
        let c = customer(&mut tx, company, "C1").await;
        // N invoices of 10.00 + n cents, one installment each, written set-based.
        let numbers = format!("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {N}) ");
        Sql::new(&format!(
            "INSERT INTO documents (company_id, kind, number, customer_id, date, currency, total, created_at, \
             updated_at) {numbers}SELECT "
        ))
        .bind(company)
        .push(", 'invoice', 'F-' || CAST(x AS TEXT), ")
        .bind(c)
        .push(", '2026-01-15', 'EUR', 1000 + x, ")
        .bind(NOW)
        .push(", ")
        .bind(NOW)
        .push(" FROM n")
        .execute(&mut tx)
        .await
        .unwrap();
        Sql::new(
            "INSERT INTO installments (company_id, document_id, customer_id, currency, side, seq, due_date, amount, \
             amount_open) SELECT company_id, id, customer_id, currency, 1, 1, '2026-02-14', total, total \
             FROM documents WHERE company_id = ",
        )
        .bind(company)
        .execute(&mut tx)
        .await
        .unwrap();
        let mut installments = Vec::new();
        for r in Sql::new("SELECT id FROM installments WHERE company_id = ")
            .bind(company)
            .push(" ORDER BY id")
            .fetch_all(&mut tx)
            .await
            .unwrap()
        {
            installments.push(creance_store::Row::try_get::<i64, _>(&r, 0).unwrap());
        }
        assert_eq!(installments.len() as i64, N);
        let deltas: Vec<(i64, i64)> = installments.iter().map(|i| (*i, -1000)).collect();
        allocations::adjust_installments(&mut tx, company, &deltas).await.unwrap();
        let total = int(
            &mut tx,
            Sql::new("SELECT CAST(SUM(amount_open) AS BIGINT) FROM installments WHERE company_id = ").bind(company),
        )
        .await;
        assert_eq!(total, N * (N + 1) / 2, "each installment lowered by exactly 10.00");
        // An id that is not the company's is an error, not a silent skip.
        assert!(allocations::adjust_installments(&mut tx, company + 1, &deltas[..1]).await.is_err());
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}

/// Allocations keep no foreign keys on PostgreSQL (migration 0027, issue 9 point 20): `check` names an
/// allocation whose installment is gone (rule `allocation_refs`). SQLite keeps the keys and refuses
/// the deletion itself.
#[tokio::test]
async fn check_names_an_allocation_whose_installment_is_gone() {
    for t in TestDb::all().await {
        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = company(&mut tx).await;
        let c = customer(&mut tx, company, "C1").await;
        let f = invoice(&mut tx, company, c, "F-1", 10050).await;
        let p = payment(&mut tx, company, c, "RG-1", 8000).await;
        let a = allocate(&mut tx, company, p, f, 3000).await;
        assert_eq!(ledger_violations(&mut tx).await, []);
        let deleted = Sql::new("DELETE FROM installments WHERE id = ").bind(f).execute(&mut tx).await;
        match t.engine() {
            creance_store::Engine::Sqlite => assert!(deleted.is_err(), "SQLite's foreign key let it go"),
            creance_store::Engine::Postgres => {
                deleted.unwrap();
                let v = ledger_violations(&mut tx).await;
                let found: Vec<(&str, &str)> = v.iter().map(|v| (v.rule, v.subject.as_str())).collect();
                let subject = format!("allocation {a}");
                assert!(found.contains(&("allocation_refs", subject.as_str())), "{v:#?}");
            }
        }
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}

/// Replacing an untouched document deletes its installments: the store refuses when an allocation
/// names one of them (on PostgreSQL no foreign key would), and changes nothing.
#[tokio::test]
async fn replacing_a_document_refuses_installments_that_an_allocation_names() {
    use creance_store::documents::{self, DocumentFields, Due, NewDocument};
    for t in TestDb::all().await {
        let mut tx = t.db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = company(&mut tx).await;
        let c = customer(&mut tx, company, "C1").await;
        let f = invoice(&mut tx, company, c, "F-1", 10050).await;
        let p = payment(&mut tx, company, c, "RG-1", 8000).await;
        allocate(&mut tx, company, p, f, 3000).await;
        let document = int(&mut tx, Sql::new("SELECT document_id FROM installments WHERE id = ").bind(f)).await;
        let total = Money::new(20000, Currency::EUR);
        let fields = DocumentFields {
            kind: creance_core::DocumentKind::Invoice,
            number: "F-1".into(),
            customer_number: "C1".into(),
            date: d("2026-01-15"),
            currency: Currency::EUR,
            total,
            contract_number: None,
            order_ref: String::new(),
            text: String::new(),
            payment_term: String::new(),
            installments: vec![Due { due_date: d("2026-03-14"), amount: total }],
        };
        let doc = NewDocument { customer_id: c, contract_id: None, fields: &fields };
        let refused = documents::replace_untouched_bulk(&mut tx, company, &[(document, doc)]).await;
        let e = refused.expect_err("an allocated installment was replaced");
        assert!(e.to_string().contains("have allocations"), "{e:#}");
        tx.rollback().await.unwrap();
        t.finish().await;
    }
}
