//! Imports of customers, contracts and documents from CSV or JSON (SPEC §5 "Files").
//!
//! Every import is validated whole before anything is written: a file with any bad row imports
//! nothing and the report names every bad row (line, column, reason). Valid files are written in one
//! transaction with one audit event. Re-importing the same file changes nothing and says so.
//!
//! CSV: `;`, `,` or tab detected from the header line, UTF-8 with or without BOM, decimal comma or
//! point, column names in English or French (see `docs/import.md`). JSON: an array of objects with the
//! same field names; a document may carry an `installments` array instead of one row per installment.

mod columns;
mod contracts;
mod customers;
mod documents;
mod faults;
mod reader;

pub use columns::Entity;
pub use faults::{ImportFault, Keyed, Required};
pub use reader::{read_csv, read_json, RawRow, RawTable, Source};

use creance_store::audit::{self, AuditEvent};
use serde::Serialize;

/// One bad row (or the file as a whole when `line` is 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// The line of the CSV file (the header is line 1) or the 1-based item of a JSON array.
    pub line: usize,
    /// The column at fault, when one is.
    pub column: Option<String>,
    /// What is wrong and what is accepted (the English of `said`).
    pub reason: String,
    /// What `reason` says, as data (the web page words it in its user's language).
    #[serde(skip)]
    #[schema(ignore)]
    pub said: Option<ImportFault>,
}

impl RowError {
    /// A bad row (`line` 0: the file as a whole), its reason the fault's English.
    pub fn new(line: usize, column: Option<String>, fault: ImportFault) -> RowError {
        RowError { line, column, reason: fault.to_string(), said: Some(fault) }
    }
}

/// What an import did, or why it did nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// `customers`, `contracts` or `documents`.
    pub entity: String,
    /// Data rows read.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Advances (payments with the same order reference) allocated to the new invoices.
    pub advances_allocated: usize,
    /// Every bad row; when any, nothing was imported.
    pub errors: Vec<RowError>,
    /// `line` for CSV files, `item` for JSON arrays.
    pub location: String,
}

/// The most errors one report lists; a file past that is surely the wrong file.
pub const ERRORS_MAX: usize = 1000;

impl ImportReport {
    pub(crate) fn new(entity: Entity, table: &RawTable) -> ImportReport {
        ImportReport {
            entity: entity.name().to_string(),
            rows: table.rows.len(),
            created: 0,
            updated: 0,
            unchanged: 0,
            advances_allocated: 0,
            errors: Vec::new(),
            location: table.source.location_word().to_string(),
        }
    }

    pub(crate) fn error(&mut self, line: usize, column: Option<&str>, fault: impl Into<ImportFault>) {
        if self.errors.len() < ERRORS_MAX {
            self.errors.push(RowError::new(line, column.map(str::to_string), fault.into()));
        }
    }

    pub fn changed_nothing(&self) -> bool {
        self.errors.is_empty() && self.created == 0 && self.updated == 0
    }

    /// One line saying what happened.
    pub fn summary(&self) -> String {
        if !self.errors.is_empty() && self.rows == 0 {
            // The file could not be read into rows (an open quote, an empty file).
            return format!("{} import refused: the file cannot be read; nothing was imported", self.entity);
        }
        if !self.errors.is_empty() {
            return format!(
                "{} import refused: {} bad row(s) of {}; nothing was imported",
                self.entity,
                self.errors.len(),
                self.rows
            );
        }
        if self.changed_nothing() {
            return format!("{} import: all {} row(s) already imported; nothing changed", self.entity, self.rows);
        }
        format!(
            "{} import: {} created, {} updated, {} unchanged",
            self.entity, self.created, self.updated, self.unchanged
        )
    }

    /// Every error as `line 7, column due_date: reason`.
    pub fn error_lines(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| match (&e.column, e.line) {
                (_, 0) => e.reason.clone(),
                (Some(c), l) => format!("{} {l}, column {c}: {}", self.location, e.reason),
                (None, l) => format!("{} {l}: {}", self.location, e.reason),
            })
            .collect()
    }
}

/// Parses a date as users write them.
pub(crate) fn parse_date(text: &str) -> Result<creance_core::Date, ImportFault> {
    creance_core::Date::parse(text).map_err(ImportFault::Date)
}

/// Parses a yes/no flag in English or French.
pub(crate) fn parse_flag(text: &str) -> Result<bool, ImportFault> {
    match text.trim().to_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "oui" | "o" | "vrai" | "x" => Ok(true),
        "0" | "no" | "n" | "false" | "non" | "faux" => Ok(false),
        other => Err(ImportFault::NotAFlag { text: other.to_string() }),
    }
}

impl ImportReport {
    /// A report refusing the whole input for the errors found while reading it.
    pub fn refused(entity: Entity, table: &RawTable, errors: Vec<RowError>) -> ImportReport {
        let mut report = ImportReport::new(entity, table);
        report.errors = errors;
        report.errors.truncate(ERRORS_MAX);
        report
    }
}

impl crate::App {
    /// Imports rows read from a file or a request. `read_errors` are the errors found while reading;
    /// any of them refuses the whole import.
    pub async fn import(
        &self,
        actor: &crate::Actor,
        company_id: i64,
        entity: Entity,
        table: &RawTable,
        read_errors: Vec<RowError>,
    ) -> Result<ImportReport, crate::AppError> {
        if !read_errors.is_empty() {
            return Err(crate::AppError::Import(Box::new(ImportReport::refused(entity, table, read_errors))));
        }
        let report = match entity {
            Entity::Customers => self.import_customers(actor, company_id, table).await?,
            Entity::Contracts => self.import_contracts(actor, company_id, table).await?,
            Entity::Documents => self.import_documents(actor, company_id, table).await?,
        };
        if report.created > ANALYZE_AFTER_ROWS {
            self.db.analyze().await?;
        }
        Ok(report)
    }
}

/// Records the import's audit event (when it changed anything) and commits its transaction.
pub(crate) async fn commit(
    mut tx: creance_store::Tx,
    company_id: i64,
    actor: &crate::Actor,
    report: ImportReport,
) -> Result<ImportReport, crate::AppError> {
    if !report.changed_nothing() {
        let action = format!("import.{}", report.entity);
        let event =
            AuditEvent::new(company_id, actor.as_str(), &action, &report.entity, None).summary(report.summary());
        audit::record(&mut tx, &event).await?;
    }
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(report)
}

/// Imports creating more rows than this refresh the planner's statistics afterwards.
const ANALYZE_AFTER_ROWS: usize = 10_000;

/// The existing rows an import changes, each with its values before and after, recorded as one
/// `{entity}.update` audit event per row in multi-row statements ([`audit::record_many`]).
pub(crate) struct Changes<'a> {
    actor: &'a crate::Actor,
    company_id: i64,
    entity: &'static str,
    action: String,
    rows: Vec<(i64, Option<String>, Option<String>)>,
}

impl<'a> Changes<'a> {
    pub(crate) fn new(actor: &'a crate::Actor, company_id: i64, entity: &'static str) -> Changes<'a> {
        Changes { actor, company_id, entity, action: format!("{entity}.update"), rows: Vec::new() }
    }

    /// One changed row, `before` and `after` kept as JSON (of their views: the store rows carry no serde).
    pub(crate) fn push<T: Serialize + ?Sized>(&mut self, id: i64, before: &T, after: &T) {
        self.rows.push((id, serde_json::to_string(before).ok(), serde_json::to_string(after).ok()));
    }

    pub(crate) async fn record(self, tx: &mut creance_store::Tx) -> Result<(), crate::AppError> {
        let events: Vec<AuditEvent<'_>> = self
            .rows
            .into_iter()
            .map(|(id, before, after)| {
                AuditEvent::new(self.company_id, self.actor.as_str(), &self.action, self.entity, Some(id))
                    .summary(format!("{} {id} updated by import", self.entity))
                    .change(before, after)
            })
            .collect();
        audit::record_many(tx, &events).await?;
        Ok(())
    }
}
