//! Running the `creance` binary in tests.

use std::process::{Command, Output};

use creance_store::testing::TestDb;

pub fn creance(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_creance"))
        .args(args)
        .env("CREANCE_DB", db)
        .env("CREANCE_LOG", "warn")
        .output()
        .expect("run creance")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Each engine: a URL the binary can open, and the handle to drop it afterwards.
pub async fn databases() -> Vec<(String, TestDb)> {
    let mut out = Vec::new();
    for t in TestDb::all().await {
        out.push((t.db.url().to_string(), t));
    }
    out
}

/// The JSON a successful command printed.
pub fn json_of(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}
