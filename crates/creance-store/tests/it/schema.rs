//! The migrated schema itself, on every engine: migration 0016 widens `documents.kind`'s CHECK on
//! SQLite by editing the stored table text (no rebuild); the edit must leave a sound database whose
//! CHECK takes every document kind of the code and still refuses any other.

use creance_core::DocumentKind;
use creance_store::testing::{TestDb, TEST_INSTANT};
use creance_store::{Engine, Sql};

use crate::books::{self, NOW};

#[tokio::test]
async fn the_documents_kind_check_takes_every_kind_of_the_code_and_refuses_any_other() {
    for t in TestDb::all().await {
        let mut tx = t.db.begin_write(TEST_INSTANT).await.unwrap();
        let company = books::company(&mut tx).await;
        let customer = books::customer(&mut tx, company, "C1").await;
        for (n, kind) in DocumentKind::ALL.iter().enumerate() {
            insert_document(&mut tx, company, customer, kind.code(), &format!("K{n}"))
                .await
                .unwrap_or_else(|e| panic!("{:?} refused kind {}: {e}", t.engine(), kind.code()));
        }
        let refused = insert_document(&mut tx, company, customer, "bogus", "X1").await;
        assert!(refused.is_err(), "{:?}: a document of kind 'bogus' was accepted", t.engine());
        tx.rollback().await.unwrap();
        if t.engine() == Engine::Sqlite {
            let mut tx = t.db.begin_write(TEST_INSTANT).await.unwrap();
            let r = Sql::new("PRAGMA integrity_check").fetch_one(&mut tx).await.unwrap();
            let verdict: String = creance_store::Row::try_get(&r, 0).unwrap();
            assert_eq!(verdict, "ok", "SQLite's integrity check after the migrations");
            tx.rollback().await.unwrap();
        }
        t.finish().await;
    }
}

/// A document of `kind` (its text as stored), straight in SQL.
async fn insert_document(
    tx: &mut creance_store::Tx,
    company: i64,
    customer: i64,
    kind: &str,
    number: &str,
) -> Result<u64, sqlx::Error> {
    let mut sql = Sql::new(
        "INSERT INTO documents (company_id, kind, number, customer_id, date, currency, total, created_at, \
         updated_at) VALUES ",
    );
    sql.bind_tuple([
        company.into(),
        kind.into(),
        number.into(),
        customer.into(),
        "2026-01-15".into(),
        "EUR".into(),
        100i64.into(),
        NOW.into(),
        NOW.into(),
    ]);
    sql.execute(tx).await
}
