//! The demo is atomic (issue 9 point 17): written in several transactions, its company is created
//! incomplete (`companies.incomplete`: not listed, its tokens refused, not counted by `serve --demo`)
//! and marked complete by the last one; a demo killed on the way is removed by the next one.

use crate::{Actor, App, AppError};

/// The demo's steps, each ending with a commit (a kill between two of them leaves an incomplete
/// company, which the next demo removes). `ChunkWritten` is the one inside a transaction: a chunk of
/// customers written, not yet committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoStep {
    /// The company row, marked incomplete, with its series and default settings.
    CompanyCreated,
    /// A chunk of customers with their documents and payments, inside the data transaction.
    ChunkWritten,
    /// Customers, documents, payments, allocations, journal and deposits committed.
    DataCommitted,
    /// The payments waiting for allocation, the advance and the refund.
    MoneySituations,
    /// Dunning settings and the letters issued 16 days before as-of.
    LettersIssued,
    /// Today's proposal and the company marked complete: the demo is there.
    Complete,
}

impl DemoStep {
    pub const ALL: [DemoStep; 6] = [
        DemoStep::CompanyCreated,
        DemoStep::ChunkWritten,
        DemoStep::DataCommitted,
        DemoStep::MoneySituations,
        DemoStep::LettersIssued,
        DemoStep::Complete,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DemoStep::CompanyCreated => "company",
            DemoStep::ChunkWritten => "chunk",
            DemoStep::DataCommitted => "data",
            DemoStep::MoneySituations => "money",
            DemoStep::LettersIssued => "letters",
            DemoStep::Complete => "complete",
        }
    }
}

impl App {
    /// Removes the companies a demo left incomplete (killed before its last step) with all their
    /// rows, in one transaction; returns their ids. `demo` does it first.
    pub async fn remove_incomplete_demos(&self, actor: &Actor) -> Result<Vec<i64>, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let ids = creance_store::companies::remove_incomplete(&mut tx, self.db.engine()).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(ids)
    }
}
