//! Storage for Créance (SPEC §6): one set of migrations and queries that serves SQLite (the embedded
//! default) and PostgreSQL (production).
//!
//! How the two engines are served by one code path:
//! - sqlx's `Any` driver, runtime-checked queries, `$1`-style placeholders (both engines accept them);
//! - money as `BIGINT` minor units, dates as `TEXT` `YYYY-MM-DD`, flags as `INTEGER` 0/1, so that every
//!   value decodes to `i64` or `String` on both engines;
//! - aggregates are `CAST(... AS BIGINT)` (PostgreSQL's `SUM(bigint)` is `numeric`);
//! - the only per-engine text is the primary key type, substituted by [`migrate`].
//!
//! This crate knows SQL and nothing about HTTP; it opens no transaction on its own except in
//! [`migrate`]; the application crate opens them with [`Db::begin_write`] / [`Db::begin_read`].

pub mod allocations;
pub mod audit;
pub mod check;
pub mod companies;
pub mod contracts;
pub mod customers;
pub mod deposits;
pub mod documents;
pub mod dunning;
pub mod dunning_runs;
pub mod dunning_views;
pub mod error;
pub mod idempotency;
pub mod installation;
pub mod journal;
pub mod list_totals;
mod migrate;
pub mod open_items;
pub mod payments;
pub mod printing;
pub mod rebill_charges;
pub mod refunds;
pub mod reports;
mod row;
pub mod series;
pub mod settings;
pub mod settled_items;
pub mod small_balances;
mod sql;
pub mod testing;
pub mod tokens;
pub mod users;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use creance_core::Timestamp;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions};

pub use sql::{Sql, Value};
pub use sqlx::any::AnyRow;
pub use sqlx::Row;

/// A database transaction on either engine, with the instant its writes are stamped with (creation,
/// status and audit timestamps). The instant comes from whoever opened it ([`Db::begin_write`]): the store
/// never reads the clock. It derefs to the connection, so queries run on `&mut Tx` as on a connection.
pub struct Tx {
    conn: TxConn,
    at: Option<Timestamp>,
}

enum TxConn {
    /// A pooled connection's transaction: reads on both engines, writes on PostgreSQL.
    Pooled(sqlx::Transaction<'static, sqlx::Any>),
    /// SQLite's writing connection, this process's turn to write ([`writer`]).
    Writer(writer::WriterTurn),
}

impl Tx {
    /// The instant this transaction's writes are stamped with, as RFC 3339. A read transaction has none:
    /// writing in one is a programmer error, reported as an error rather than a wrong stamp.
    pub fn at(&self) -> anyhow::Result<String> {
        match self.at {
            Some(at) => Ok(at.to_string()),
            None => anyhow::bail!("a write was attempted in a read-only transaction"),
        }
    }

    /// The instant this transaction's writes are stamped with.
    pub fn instant(&self) -> Option<Timestamp> {
        self.at
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.conn {
            TxConn::Pooled(t) => t.commit().await,
            TxConn::Writer(w) => w.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.conn {
            TxConn::Pooled(t) => t.rollback().await,
            TxConn::Writer(w) => w.rollback().await,
        }
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        match &self.conn {
            TxConn::Pooled(t) => t,
            TxConn::Writer(w) => w.conn(),
        }
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match &mut self.conn {
            TxConn::Pooled(t) => t,
            TxConn::Writer(w) => w.conn_mut(),
        }
    }
}

/// The engine behind a [`Db`]; only the migrator and transaction start differ between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// Set on every SQLite connection: WAL (readers never block the writer), a 30 s wait for the write
/// lock instead of an immediate "database is locked", foreign keys enforced; a page cache of 16 MiB
/// per reading connection and 64 MiB for the writing one ([`writer`]), and the file memory-mapped
/// ([`sqlite_mmap_mib`]).
/// `synchronous = NORMAL` in WAL mode: a commit is durable against a crash of the process, not
/// against a power loss or an OS crash, which can lose the last commits before the next checkpoint
/// (never corrupt the file); one fsync per checkpoint instead of one per commit. Sorts and temporary
/// tables larger than the cache spill to temporary files (`temp_store = FILE`), so that a statement
/// over millions of rows holds a bounded amount of memory (with `MEMORY` the FEC's sort of 3.4
/// million lines held a gigabyte).
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 30000",
    "PRAGMA temp_store = FILE",
];

/// MiB of the database file each SQLite connection maps into memory: `CREANCE_SQLITE_MMAP_MIB`, else
/// 256. Mapped pages are read without a copy, and they are the kernel's page cache, shared and
/// reclaimable, but the kernel counts them in the process's resident set, once per connection that
/// touched them: with 8 GiB mapped (the setting before issue 15) the benchmark's resident set reached
/// 3.8 GB at a million installments, for no measurable gain over 256 MiB (docs/performance.md).
fn sqlite_mmap_mib() -> u64 {
    std::env::var("CREANCE_SQLITE_MMAP_MIB").ok().and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(256)
}

/// A pool of at most `max` SQLite connections, each with [`SQLITE_PRAGMAS`] and a page cache of
/// `cache_kib` KiB.
async fn sqlite_pool(options: AnyConnectOptions, max: u32, cache_kib: u32) -> anyhow::Result<AnyPool> {
    let pool = AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        // A connection to a local file does not go stale; the ping sqlx sends before handing out a
        // connection would be one more round trip to the connection's thread per transaction (three
        // per API request, issue 15).
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| Box::pin(async move { sqlite_settings(conn, cache_kib).await }))
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// Applies [`SQLITE_PRAGMAS`], a page cache of `cache_kib` KiB and the memory map to a connection.
pub(crate) async fn sqlite_settings(conn: &mut sqlx::AnyConnection, cache_kib: u32) -> Result<(), sqlx::Error> {
    for pragma in SQLITE_PRAGMAS {
        sqlx::Executor::execute(&mut *conn, *pragma).await?;
    }
    sqlx::Executor::execute(&mut *conn, format!("PRAGMA cache_size = -{cache_kib}").as_str()).await?;
    let mmap = sqlite_mmap_mib().saturating_mul(1 << 20);
    sqlx::Executor::execute(&mut *conn, format!("PRAGMA mmap_size = {mmap}").as_str()).await?;
    Ok(())
}

/// A connection pool with its engine.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// SQLite: the one connection write transactions run on, in turns ([`Db::begin_write`]).
    writer: Option<writer::Writer>,
    engine: Engine,
    url: String,
}

/// Normalises what a user types for `--db`: `sqlite:PATH`, a bare file path, or `postgres://…`.
pub fn normalize_url(url: &str) -> anyhow::Result<(Engine, String)> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Engine::Postgres, url.to_string()));
    }
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    if path.is_empty() {
        anyhow::bail!("--db: empty SQLite path; give sqlite:PATH or postgres://USER@HOST/DB");
    }
    if path.contains("://") {
        anyhow::bail!("--db: {url:?} is neither sqlite:PATH nor postgres://…");
    }
    let (path, _) = path.split_once('?').unwrap_or((path, ""));
    Ok((Engine::Sqlite, format!("sqlite://{path}?mode=rwc")))
}

impl Db {
    /// Connects and applies the embedded migrations; `at` stamps what they write (read at the edge).
    pub async fn open(url: &str, at: Timestamp) -> anyhow::Result<Db> {
        let db = Db::connect(url).await?;
        migrate::run(&db, at).await?;
        Ok(db)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let (engine, url) = normalize_url(url)?;
        let mut options = AnyConnectOptions::from_str(&url)
            .with_context(|| format!("invalid database URL {url}"))?
            .disable_statement_logging();
        // `CREANCE_SLOW_SQL_MS=N`: statements slower than N ms are logged (target `sqlx::query`, warn).
        if let Some(ms) = std::env::var("CREANCE_SLOW_SQL_MS").ok().and_then(|v| v.trim().parse::<u64>().ok()) {
            options =
                sqlx::ConnectOptions::log_slow_statements(options, log::LevelFilter::Warn, Duration::from_millis(ms));
        }
        let (pool, writer) = match engine {
            Engine::Sqlite => {
                // Writers take turns on one connection of their own: its page cache stays warm, where
                // a commit from another connection would make every connection drop its own.
                let writer = writer::Writer::open(options.clone())
                    .await
                    .with_context(|| format!("cannot open the SQLite database {url}"))?;
                (sqlite_pool(options, 8, 16_384).await, Some(writer))
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // JIT compiling pays off for long analytic queries, not for our bulk
                            // statements over a million rows, where it adds its compile time to each
                            // (issue 9 point 20: about a tenth of a dunning proposal).
                            sqlx::Executor::execute(&mut *conn, "SET jit = off").await?;
                            // A proposal groups and joins hundreds of thousands of rows in one
                            // statement: with the default 4 MB each hash spills to disk. 64 MB per
                            // sort or hash, per connection (16 at most), unless the server says more.
                            sqlx::Executor::execute(
                                &mut *conn,
                                "SELECT set_config('work_mem', '64MB', false) FROM pg_settings \
                                 WHERE name = 'work_mem' AND CAST(setting AS BIGINT) < 65536",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await
                    .map_err(anyhow::Error::from);
                (pool, None)
            }
        };
        let pool = pool.with_context(|| format!("cannot open the {} database {url}", engine.name()))?;
        Ok(Db { pool, writer, engine, url })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing on lock upgrade.
    /// `at` is the instant its rows and audit events are stamped with (read at the edge).
    pub async fn begin_write(&self, at: Timestamp) -> anyhow::Result<Tx> {
        let conn = match &self.writer {
            Some(writer) => TxConn::Writer(writer.begin().await?),
            None => TxConn::Pooled(self.pool.begin().await.context("cannot start a database transaction")?),
        };
        Ok(Tx { conn, at: Some(at) })
    }

    /// Starts a read-only snapshot (lists with their totals read in one snapshot).
    pub async fn begin_read(&self) -> anyhow::Result<Tx> {
        let tx = match self.engine {
            Engine::Sqlite => self.pool.begin().await,
            Engine::Postgres => self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await,
        };
        Ok(Tx { conn: TxConn::Pooled(tx.context("cannot start a database transaction")?), at: None })
    }

    /// Refreshes the planner's statistics after a bulk load. SQLite has none until it is asked, and
    /// without them it may drive a customer-filtered list from the installments instead of the customer.
    pub async fn analyze(&self) -> anyhow::Result<()> {
        // SQLite: sample at most 1,000 rows per index, enough for the planner and fast on millions.
        let sql = match self.engine {
            Engine::Sqlite => "PRAGMA analysis_limit = 1000; ANALYZE",
            Engine::Postgres => "ANALYZE",
        };
        sqlx::raw_sql(sql).execute(&self.pool).await.context("ANALYZE failed")?;
        Ok(())
    }

    /// Refreshes the statistics of one table (after a bulk write to it).
    pub async fn analyze_table(&self, table: &str) -> anyhow::Result<()> {
        anyhow::ensure!(table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "bad table name {table:?}");
        let sql = match self.engine {
            Engine::Sqlite => format!("PRAGMA analysis_limit = 1000; ANALYZE {table}"),
            Engine::Postgres => format!("ANALYZE {table}"),
        };
        sqlx::raw_sql(&sql).execute(&self.pool).await.context("ANALYZE failed")?;
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }
}

/// Refreshes, inside `tx`, the statistics of tables a step has just bulk-written, so that the step's
/// next statements are planned on the rows there are (PostgreSQL plans a join of two tables analyzed
/// while empty as if they still were: a nested loop over a million rows). ANALYZE inside a transaction
/// sees that transaction's own rows. SQLite plans these statements on its indexes alone: nothing to do
/// there.
pub async fn analyze_in(tx: &mut Tx, tables: &[&'static str]) -> anyhow::Result<()> {
    if tx.backend_name() != "PostgreSQL" || tables.is_empty() {
        return Ok(());
    }
    for table in tables {
        anyhow::ensure!(table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "bad table name {table:?}");
    }
    let sql = Sql::new(&format!("ANALYZE {}", tables.join(", ")));
    sql.execute(tx).await.context("ANALYZE failed")?;
    Ok(())
}

/// Rows per multi-row INSERT: keeps every statement under SQLite's 32,766 bound parameters.
pub(crate) fn batch_rows(columns: usize) -> usize {
    (30_000 / columns.max(1)).max(1)
}
