//! Gapless numbering series (SPEC §2), on every engine.

use creance_core::{Currency, Language};
use creance_store::companies::{self, NewCompany};
use creance_store::series;
use creance_store::testing::TestDb;

#[tokio::test]
async fn numbers_are_consecutive_and_a_rolled_back_transaction_gives_its_numbers_back() {
    for t in TestDb::all().await {
        let db = &t.db;
        let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
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

        let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        assert_eq!(series::take(&mut tx, company, "letter", 2026, 1).await.unwrap(), ["LR-2026-00003"]);
        tx.rollback().await.unwrap();

        let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        // Ensuring again keeps the pattern and the counter; the rolled-back number is reused: no gap.
        series::ensure(&mut tx, company, "letter", "OTHER-{#}").await.unwrap();
        assert_eq!(series::take(&mut tx, company, "letter", 2026, 1).await.unwrap(), ["LR-2026-00003"]);
        assert!(series::take(&mut tx, company, "nope", 2027, 1).await.is_err());
        // A pattern without the year keeps one counter whatever the year.
        series::ensure(&mut tx, company, "plain", "P{####}").await.unwrap();
        assert_eq!(series::take(&mut tx, company, "plain", 2026, 1).await.unwrap(), ["P0001"]);
        assert_eq!(series::take(&mut tx, company, "plain", 2025, 1).await.unwrap(), ["P0002"]);
        tx.commit().await.unwrap();
        t.finish().await;
    }
}

#[tokio::test]
async fn a_series_holding_the_year_keeps_one_gapless_counter_per_year() {
    for t in TestDb::all().await {
        let db = &t.db;
        let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = companies::insert(
            &mut tx,
            &NewCompany {
                name: "Année SA".into(),
                country: "FR".into(),
                base_currency: Currency::EUR,
                language: Language::Fr,
                address: String::new(),
            },
        )
        .await
        .unwrap();
        series::ensure(&mut tx, company, "letter", "LR-{YYYY}-{######}").await.unwrap();
        assert_eq!(series::take(&mut tx, company, "letter", 2026, 1).await.unwrap(), ["LR-2026-000001"]);
        assert_eq!(series::take(&mut tx, company, "letter", 2025, 1).await.unwrap(), ["LR-2025-000001"]);
        assert_eq!(
            series::take(&mut tx, company, "letter", 2026, 2).await.unwrap(),
            ["LR-2026-000002", "LR-2026-000003"]
        );
        assert_eq!(series::take(&mut tx, company, "letter", 2025, 1).await.unwrap(), ["LR-2025-000002"]);
        // A series migrated from one shared counter (at 58 in 2026): the years up to 2026 go on from
        // it, so no number already given is given again; 2027 starts at 1.
        series::ensure(&mut tx, company, "old", "F-{YY}-{####}").await.unwrap();
        creance_store::Sql::new("UPDATE number_series SET next_value = 58, legacy_year = 2026 WHERE company_id = ")
            .bind(company)
            .push(" AND name = 'old'")
            .execute(&mut tx)
            .await
            .unwrap();
        assert_eq!(series::take(&mut tx, company, "old", 2026, 1).await.unwrap(), ["F-26-0058"]);
        assert_eq!(series::take(&mut tx, company, "old", 2025, 1).await.unwrap(), ["F-25-0058"]);
        assert_eq!(series::take(&mut tx, company, "old", 2026, 1).await.unwrap(), ["F-26-0059"]);
        assert_eq!(series::take(&mut tx, company, "old", 2027, 1).await.unwrap(), ["F-27-0001"]);
        tx.commit().await.unwrap();
        t.finish().await;
    }
}

#[tokio::test]
async fn an_existing_database_migrates_its_shared_counter_without_giving_a_number_twice() {
    for t in TestDb::all().await {
        let db = &t.db;
        let mut tx = db.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        let company = companies::insert(
            &mut tx,
            &NewCompany {
                name: "Ancienne SA".into(),
                country: "FR".into(),
                base_currency: Currency::EUR,
                language: Language::Fr,
                address: String::new(),
            },
        )
        .await
        .unwrap();
        series::ensure(&mut tx, company, "letter", "LR-{YYYY}-{######}").await.unwrap();
        series::ensure(&mut tx, company, "plain", "P{####}").await.unwrap();
        // The database as it was before migration 6: one counter for every year, at 58.
        for sql in [
            "UPDATE number_series SET next_value = 58",
            "DROP TABLE number_series_years",
            "ALTER TABLE number_series DROP COLUMN legacy_year",
            "ALTER TABLE dunning_external DROP COLUMN skip_reason",
            "DELETE FROM schema_migrations WHERE version = 6",
        ] {
            creance_store::Sql::new(sql).execute(&mut tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        let migrated = creance_store::Db::open(db.url(), creance_store::testing::TEST_INSTANT).await.expect("migrates");
        // Migration 6 takes the year from the database's CURRENT_DATE: this year, by the wall clock.
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
        let year = creance_core::Timestamp::from_unix_seconds(secs as i64).date().year();
        let mut tx = migrated.begin_write(creance_store::testing::TEST_INSTANT).await.unwrap();
        assert_eq!(
            series::take(&mut tx, company, "letter", year, 1).await.unwrap(),
            [format!("LR-{year}-000058")],
            "this year goes on"
        );
        assert_eq!(
            series::take(&mut tx, company, "letter", year - 1, 1).await.unwrap(),
            [format!("LR-{}-000058", year - 1)]
        );
        assert_eq!(
            series::take(&mut tx, company, "letter", year + 1, 1).await.unwrap(),
            [format!("LR-{}-000001", year + 1)]
        );
        assert_eq!(series::take(&mut tx, company, "plain", year + 1, 1).await.unwrap(), ["P0058"]);
        tx.commit().await.unwrap();
        migrated.close().await;
        t.finish().await;
    }
}
