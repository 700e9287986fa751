//! SQLite's one writing connection, held by this process's writers in turn.
//!
//! SQLite has one writer at a time, so a writer's statements are the critical section every other
//! writer waits behind, and each statement is a round trip to the connection's own thread (sqlx runs
//! a SQLite connection on a thread of its own). The connection is kept here, outside sqlx's pool:
//! a pooled connection goes back to its pool through a spawned task that pings it first, and the next
//! writer's acquisition waits for both — three more hand-offs between threads per write transaction,
//! all inside the critical section (issue 15, docs/performance.md). Here the turn and the connection
//! are one mutex: the next writer has the connection the moment the previous one's `COMMIT` returns.
//!
//! The writers take turns in the order they asked (tokio's mutex is fair). Without this they would
//! all wait inside SQLite's busy handler, which polls with sleeps of up to 100 ms: under 8 concurrent
//! API writers, a p99 of 230 ms and a third of the throughput lost. Another process's writer is still
//! waited for by `busy_timeout`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection};
use tokio::sync::{Mutex, OwnedMappedMutexGuard};

/// The writing connection's page cache, KiB: a bulk write's dirty pages stay in it until the commit.
const CACHE_KIB: u32 = 65_536;

/// The writing connection, opened on first use and again after it broke.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    options: AnyConnectOptions,
    conn: Arc<Mutex<Option<AnyConnection>>>,
    /// A turn ended without its commit or rollback (an error returned early): its transaction is
    /// still open on the connection and is rolled back by whoever takes the next turn.
    left_open: Arc<AtomicBool>,
}

/// A writer's turn: the connection, in a transaction begun with `BEGIN IMMEDIATE` (a plain
/// statement: sqlx's own `begin` with a custom statement checks the connection's state afterwards,
/// one round trip more). Dropped without [`WriterTurn::commit`] or [`WriterTurn::rollback`], the
/// transaction is marked left open before the turn passes: the next writer rolls it back before its
/// `BEGIN`, and a task that queues for a turn of its own does so at once when no writer is waiting,
/// so that the write lock is not kept from another process.
pub(crate) struct WriterTurn {
    conn: OwnedMappedMutexGuard<Option<AnyConnection>, AnyConnection>,
    open: bool,
    writer: Writer,
}

impl Writer {
    pub(crate) async fn open(options: AnyConnectOptions) -> anyhow::Result<Writer> {
        let conn = connect(&options).await?;
        Ok(Writer { options, conn: Arc::new(Mutex::new(Some(conn))), left_open: Arc::new(AtomicBool::new(false)) })
    }

    /// Waits for this process's turn to write (at most 30 s, as long as `busy_timeout`), then
    /// `BEGIN IMMEDIATE`, which waits for another process's writer.
    pub(crate) async fn begin(&self) -> anyhow::Result<WriterTurn> {
        let mut conn = self.turn().await?;
        if let Err(e) = sqlx::Executor::execute(&mut *conn, "BEGIN IMMEDIATE").await {
            // A connection whose thread is gone is replaced at the next turn; any other failure
            // (the lock held by another process for 30 s) leaves it as it is.
            if matches!(e, sqlx::Error::WorkerCrashed | sqlx::Error::Io(_)) {
                drop(conn);
                if let Ok(mut slot) = self.conn.clone().try_lock_owned() {
                    *slot = None;
                }
            }
            return Err(anyhow::Error::from(e).context("cannot start a database transaction"));
        }
        Ok(WriterTurn { conn, open: true, writer: self.clone() })
    }

    /// The connection, this process's turn to write, with no transaction open on it.
    async fn turn(&self) -> anyhow::Result<OwnedMappedMutexGuard<Option<AnyConnection>, AnyConnection>> {
        let mut slot = tokio::time::timeout(Duration::from_secs(30), self.conn.clone().lock_owned())
            .await
            .context("database is locked: another writer held it for 30 s")?;
        if slot.is_none() {
            *slot = Some(connect(&self.options).await?);
        }
        let Ok(mut conn) = tokio::sync::OwnedMutexGuard::try_map(slot, Option::as_mut) else {
            anyhow::bail!("the SQLite writing connection could not be opened");
        };
        if self.left_open.swap(false, Ordering::AcqRel) {
            // Its failure means there was nothing left to roll back.
            let _ = sqlx::Executor::execute(&mut *conn, "ROLLBACK").await;
        }
        Ok(conn)
    }

    /// Closes the connection (it is opened again if a writer comes after).
    pub(crate) async fn close(&self) {
        if let Some(conn) = self.conn.lock().await.take() {
            let _ = conn.close().await;
        }
    }
}

impl WriterTurn {
    pub(crate) fn conn(&self) -> &AnyConnection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }

    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        sqlx::Executor::execute(&mut *self.conn, "COMMIT").await?;
        self.open = false;
        Ok(())
    }

    pub(crate) async fn rollback(mut self) -> Result<(), sqlx::Error> {
        sqlx::Executor::execute(&mut *self.conn, "ROLLBACK").await?;
        self.open = false;
        Ok(())
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        if self.open {
            self.writer.left_open.store(true, Ordering::Release);
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let writer = self.writer.clone();
                runtime.spawn(async move {
                    drop(writer.turn().await);
                });
            }
        }
    }
}

/// Opens the writing connection with the settings of every SQLite connection.
async fn connect(options: &AnyConnectOptions) -> anyhow::Result<AnyConnection> {
    let mut conn = options.connect().await.context("cannot open the SQLite database for writing")?;
    crate::sqlite_settings(&mut conn, CACHE_KIB).await?;
    Ok(conn)
}
