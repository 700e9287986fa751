//! Gapless numbering series (SPEC §2), on every engine.

use creance_core::{Currency, Language};
use creance_store::companies::{self, NewCompany};
use creance_store::series;
use creance_store::testing::TestDb;

#[tokio::test]
async fn numbers_are_consecutive_and_a_rolled_back_transaction_gives_its_numbers_back() {
    for t in TestDb::all().await {
        let db = &t.db;
        let mut tx = db.begin_write().await.unwrap();
        let company = companies::insert(
            &mut tx,
            &NewCompany {
                name: "Série SA".into(),
                country: "CH".into(),
                base_currency: Currency::CHF,
                language: Language::Fr,
                address: String::new(),
            },
        )
        .await
        .unwrap();
        series::ensure(&mut tx, company, "letter", "LR-{YYYY}-{#####}").await.unwrap();
        assert_eq!(
            series::take(&mut tx, company, "letter", 2026, 2).await.unwrap(),
            ["LR-2026-00001", "LR-2026-00002"]
        );
        tx.commit().await.unwrap();

        let mut tx = db.begin_write().await.unwrap();
        assert_eq!(series::take(&mut tx, company, "letter", 2026, 1).await.unwrap(), ["LR-2026-00003"]);
        tx.rollback().await.unwrap();

        let mut tx = db.begin_write().await.unwrap();
        // Ensuring again keeps the counter; the rolled-back number is reused: no gap.
        series::ensure(&mut tx, company, "letter", "OTHER-{#}").await.unwrap();
        assert_eq!(series::take(&mut tx, company, "letter", 2027, 1).await.unwrap(), ["LR-2027-00003"]);
        assert!(series::take(&mut tx, company, "nope", 2027, 1).await.is_err());
        tx.commit().await.unwrap();
        t.finish().await;
    }
}
