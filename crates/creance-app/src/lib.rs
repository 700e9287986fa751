//! Créance use cases. Each one loads what it needs, calls the core rules, writes in one transaction
//! and records an audit event in that same transaction. This is the only crate that opens write
//! transactions; it knows nothing of HTTP or the command line.

pub mod advances;
pub mod auto_allocate;
pub mod companies;
pub mod demo;
pub mod deposits;
pub mod dunning;
mod error;
pub mod fixtures;
pub mod idempotency;
pub mod import;
pub mod journal;
pub mod payment_customer;
pub mod payment_rejections;
pub mod payments;
pub mod queries;
pub mod query_args;
pub mod refunds;
pub mod settings;
pub mod tokens;
pub mod views;

pub use error::{AppError, Code, FieldError, Rejection};

use creance_store::Db;

/// The application: a database and nothing else (the clock and the user are parameters).
#[derive(Clone, Debug)]
pub struct App {
    pub db: Db,
}

impl App {
    pub fn new(db: Db) -> App {
        App { db }
    }
}

/// Who is acting, for the audit trail (`cli`, `token:12`, `demo`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
