//! Créance use cases. Each one loads what it needs, calls the core rules, writes in one transaction
//! and records an audit event in that same transaction. This is the only crate that opens write
//! transactions; it knows nothing of HTTP or the command line.

pub mod advances;
pub mod audit_trail;
pub mod auto_allocate;
pub mod clock;
pub mod companies;
pub mod customer_contact;
pub mod delivery;
pub mod demo;
pub mod deposit_rejections;
pub mod deposits;
pub mod documents;
pub mod dunning;
pub mod dunning_outlook;
pub mod dunning_policy_copy;
mod error;
pub mod exports;
pub mod fixtures;
pub mod idempotency;
pub mod import;
pub mod installation;
pub mod journal;
pub mod list_totals;
pub mod payment_customer;
mod payment_recording;
pub mod payment_rejections;
pub mod payment_window;
pub mod payments;
pub mod queries;
pub mod query_args;
pub mod refund_rejections;
pub mod refunds;
pub mod reports;
pub mod said;
pub mod settings;
pub mod settled_items;
pub mod small_balances;
pub mod smtp_test_email;
pub mod tokens;
pub mod user_disable;
pub mod users;
pub mod views;

pub use error::{AppError, Code, FieldError, Rejection};
pub use said::{CreditLabel, DunningFault, Fault, Said, SettingsFault, SmallBalanceFault, Thing};

use creance_core::Timestamp;
use creance_store::Db;

/// The application: a database and nothing else (the clock and the user are parameters: an [`Actor`]
/// says who acts and when).
#[derive(Clone, Debug)]
pub struct App {
    pub db: Db,
}

impl App {
    pub fn new(db: Db) -> App {
        App { db }
    }

    /// Connects to `url` (`sqlite:PATH`, a file path, or `postgres://…`) and applies the migrations,
    /// stamping what they write with `at`.
    pub async fn open(url: &str, at: Timestamp) -> anyhow::Result<App> {
        Ok(App::new(Db::open(url, at).await?))
    }

    /// The engine's name, for logs (`SQLite`, `PostgreSQL`).
    pub fn engine_name(&self) -> &'static str {
        self.db.engine().name()
    }

    /// Whether the database holds no company yet (`serve --demo` fills an empty one).
    pub async fn has_no_company(&self) -> Result<bool, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(creance_store::companies::is_empty(&mut tx).await?)
    }

    /// Closes the connection pool (the benchmark removes its database file afterwards).
    pub async fn close(&self) {
        self.db.close().await;
    }
}

/// Who is acting, for the audit trail (`cli`, `token:12`, `demo`, …), and when: the instant the edge
/// read from the clock when the command or request came in. Every row and audit event the use case
/// writes is stamped with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    name: String,
    at: Timestamp,
}

impl Actor {
    pub fn new(name: impl Into<String>, at: Timestamp) -> Actor {
        Actor { name: name.into(), at }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The instant the actor acts at.
    pub fn at(&self) -> Timestamp {
        self.at
    }
}
