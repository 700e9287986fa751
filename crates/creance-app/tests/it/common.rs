//! Shared test setup: a fresh database per engine, a company, and CSV helpers.

use creance_app::import::{read_csv, Entity, ImportReport};
use creance_app::{Actor, App, AppError};
use creance_core::{Currency, Language};
use creance_store::companies::NewCompany;
use creance_store::testing::TestDb;

/// Runs `scenario` once per available engine, each time on a fresh database with one company.
pub async fn on_every_engine<F, Fut>(scenario: F)
where
    F: Fn(App, i64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for test_db in TestDb::all().await {
        let app = App::new(test_db.db.clone());
        let company = french_company(&app, "Test SARL").await;
        eprintln!("-- on {}", test_db.engine().name());
        scenario(app, company).await;
        test_db.finish().await;
    }
}

/// A company in France, in euros and in French, named `name`: the scenarios' own, and any other a
/// scenario needs beside it.
pub async fn french_company(app: &App, name: &str) -> i64 {
    let company = NewCompany {
        name: name.into(),
        country: "FR".into(),
        base_currency: Currency::EUR,
        language: Language::Fr,
        address: String::new(),
    };
    app.create_company(&actor(), &company).await.expect("company")
}

pub fn actor() -> Actor {
    Actor::new("test", creance_store::testing::TEST_INSTANT)
}

/// Imports CSV text, as `creance import` does.
pub async fn import(app: &App, company: i64, entity: Entity, csv: &str) -> Result<ImportReport, AppError> {
    let (table, errors) = read_csv(csv.as_bytes(), entity);
    app.import(&actor(), company, entity, &table, errors).await
}

pub async fn import_ok(app: &App, company: i64, entity: Entity, csv: &str) -> ImportReport {
    match import(app, company, entity, csv).await {
        Ok(r) => r,
        Err(AppError::Import(r)) => panic!("import refused: {:#?}", r.error_lines()),
        Err(e) => panic!("import failed: {e:#}"),
    }
}

pub async fn import_refused(app: &App, company: i64, entity: Entity, csv: &str) -> ImportReport {
    match import(app, company, entity, csv).await {
        Err(AppError::Import(r)) => *r,
        Ok(r) => panic!("import should have been refused, got {r:?}"),
        Err(e) => panic!("import failed otherwise: {e:#}"),
    }
}

pub const CUSTOMERS: &str = "\
number;name;currency;payer;salesperson
C001;Boulangerie Martin;EUR;;Claire
C002;Syndic Dubois;EUR;;Marc
C003;Résidence Les Tilleuls;EUR;C002;Marc
C004;Hôtel du Lac;CHF;;Sophie
";
