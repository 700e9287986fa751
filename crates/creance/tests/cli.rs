//! The `creance` command as a user runs it, on a fresh SQLite file (and on PostgreSQL when configured).

use std::process::{Command, Output};

use creance_store::testing::TestDb;

fn creance(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_creance"))
        .args(args)
        .env("CREANCE_DB", db)
        .env("CREANCE_LOG", "warn")
        .output()
        .expect("run creance")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Each engine: a URL the binary can open, and the handle to drop it afterwards.
async fn databases() -> Vec<(String, TestDb)> {
    let mut out = Vec::new();
    for t in TestDb::all().await {
        out.push((t.db.url().to_string(), t));
    }
    out
}

#[tokio::test]
async fn importing_the_examples_then_listing_open_items() {
    for (url, t) in databases().await {
        let o = creance(&url, &["company", "create", "--name", "Exemple SARL"]);
        assert!(o.status.success(), "{}", stderr(&o));
        for (what, file, created) in [
            ("customers", "customers.csv", "6 created"),
            ("contracts", "contracts.csv", "4 created"),
            ("invoices", "invoices.csv", "7 created"),
        ] {
            let o = creance(&url, &["import", what, &example(file)]);
            assert!(o.status.success(), "{what}: {}", stderr(&o));
            assert!(stdout(&o).contains(created), "{what}: {}", stdout(&o));
            let again = creance(&url, &["import", what, &example(file)]);
            assert!(stdout(&again).contains("nothing changed"), "{what} again: {}", stdout(&again));
        }
        let bad = creance(&url, &["import", "invoices", &example("invoices-with-errors.csv")]);
        assert_eq!(bad.status.code(), Some(1));
        let err = stderr(&bad);
        assert!(err.contains("line 7, column date"), "{err}");
        assert!(err.contains("line 12, column customer"), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");

        let o = creance(&url, &["open-items", "--overdue", "--as-of", "2026-06-30", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let first = &v["items"][0];
        assert_eq!(first["document_number"], "F2026-0001");
        assert_eq!(first["days_overdue"], 136);
        let currencies: Vec<&str> =
            v["totals"].as_array().unwrap().iter().map(|t| t["currency"].as_str().unwrap()).collect();
        assert_eq!(currencies, ["CHF", "EUR"]);

        let table = creance(&url, &["open-items", "--customer", "C000002", "--as-of", "2026-06-30"]);
        let text = stdout(&table);
        assert!(text.contains("F2026-0002") && text.contains("Total EUR: 3 open item(s), open 1200.00"), "{text}");
        let o = creance(&url, &["open-items", "--sort", "colour"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("sort"), "{}", stderr(&o));
        t.finish().await;
    }
}

#[tokio::test]
async fn demo_then_token_then_json() {
    for (url, t) in databases().await {
        let o = creance(&url, &["demo", "--customers", "120", "--seed", "5", "--as-of", "2026-11-22", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(summary["customers"], 120);
        let company = summary["company_id"].as_i64().unwrap().to_string();
        let o = creance(&url, &["token", "create", "--company", &company, "--role", "clerk"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let token = stdout(&o).trim().to_string();
        assert!(token.starts_with("crn_") && token.len() > 40, "{token}");
        let o = creance(&url, &["token", "create", "--company", &company, "--role", "boss"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("read-only, clerk or admin"));
        let o = creance(&url, &["company", "list", "--json"]);
        let companies: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(companies[0]["name"], "Alpes Léman Services SAS");
        t.finish().await;
    }
}

#[test]
fn bench_measures_the_demo_and_the_open_items_queries() {
    let o = creance("sqlite:unused.db", &["bench", "--customers", "40", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let what: Vec<&str> = v.as_array().unwrap().iter().map(|m| m["what"].as_str().unwrap()).collect();
    assert_eq!(what[0], "demo --customers 40");
    assert_eq!(what.len(), 9, "{what:?}");
    assert!(what[5].starts_with("auto-allocate preview (40 payments, 120 open installments)"), "{what:?}");
    assert!(what[7].starts_with("API: record and allocate 2000 payments"), "{what:?}");
    assert!(v[0]["rows"].as_i64().unwrap() > 100);
}

#[tokio::test]
async fn check_passes_on_the_demo() {
    for (url, t) in databases().await {
        assert!(creance(&url, &["demo", "--customers", "60", "--as-of", "2026-11-22"]).status.success());
        let o = creance(&url, &["check"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("every allocation invariant holds"));
        t.finish().await;
    }
}
