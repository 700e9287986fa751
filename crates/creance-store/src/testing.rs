//! Fresh databases for tests, on every engine available (CONVENTIONS: every store and API test runs
//! on both engines).
//!
//! - SQLite always, in a new file under the system temp folder.
//! - PostgreSQL when `CREANCE_TEST_POSTGRES` holds a server URL: each call creates its own database
//!   and [`TestDb::finish`] drops it. Without it the PostgreSQL half is skipped and said so: on
//!   stderr, and as a line appended to the file named by `CREANCE_TEST_SKIPS` (the test script
//!   prints that file at the end). With `CREANCE_TEST_REQUIRE_POSTGRES=1` (CI) a missing server is
//!   a failure, not a skip.

use std::sync::atomic::{AtomicU64, Ordering};

use creance_core::Timestamp;

use crate::{Db, Engine};

/// The instant test databases are migrated at and test actors act at: tests never depend on the clock.
pub const TEST_INSTANT: Timestamp = Timestamp::from_unix_seconds(1_795_342_500); // 2026-11-22T10:15:00Z

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A database made for one test.
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("creance_test_{}_{}_{}", std::process::id(), n, nanos)
}

/// Records that a suite was skipped, where the test script will find it.
pub fn note_skip(suite: &str, why: &str) {
    eprintln!("SKIPPED {suite}: {why}");
    if let Ok(path) = std::env::var("CREANCE_TEST_SKIPS") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            // One write per line: with O_APPEND it lands whole even when test binaries run at once.
            let _ = f.write_all(format!("{suite}: {why}\n").as_bytes());
        }
    }
}

/// The PostgreSQL server URL for tests, or `None` (after noting the skip). Panics when CI requires it.
pub fn postgres_url() -> Option<String> {
    match std::env::var("CREANCE_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            if std::env::var("CREANCE_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("CREANCE_TEST_REQUIRE_POSTGRES=1 but CREANCE_TEST_POSTGRES is not set");
            }
            note_skip("PostgreSQL", "CREANCE_TEST_POSTGRES is not set; storage and API tests ran on SQLite only");
            None
        }
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let db = match Db::open(&format!("sqlite:{}", path.display()), TEST_INSTANT).await {
            Ok(db) => db,
            Err(e) => panic!("cannot open a test SQLite database: {e:#}"),
        };
        TestDb { db, cleanup: Cleanup::File(path) }
    }

    pub async fn postgres(server_url: &str) -> TestDb {
        let admin = match Db::connect(server_url).await {
            Ok(db) => db,
            Err(e) => panic!("CREANCE_TEST_POSTGRES={server_url}: cannot connect: {e:#}"),
        };
        let name = unique_name();
        if let Err(e) = sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await {
            panic!("cannot create test database {name}: {e}");
        }
        admin.close().await;
        let url = with_database(server_url, &name);
        let db = match Db::open(&url, TEST_INSTANT).await {
            Ok(db) => db,
            Err(e) => panic!("cannot open test database {url}: {e:#}"),
        };
        TestDb { db, cleanup: Cleanup::Database { admin_url: server_url.to_string(), name } }
    }

    /// One fresh database per available engine: SQLite, then PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut out = vec![TestDb::sqlite().await];
        if let Some(url) = postgres_url() {
            out.push(TestDb::postgres(&url).await);
        }
        out
    }

    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    /// Closes and removes the database.
    pub async fn finish(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(admin) = Db::connect(&admin_url).await {
                    let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(admin.pool())
                        .await;
                    admin.close().await;
                }
            }
        }
    }
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = server_url.split_once('?').map_or((server_url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}
