//! Demo data: a French company near Geneva with French and Swiss customers (SPEC §5 `demo`).
//!
//! Deterministic for a seed and an as-of date: the same pair always gives the same company. The bulk
//! data is written in one transaction, customers in chunks, each chunk's rows in multi-row statements;
//! the money situations and dunning then go through the use cases, each in its own transaction.
//! Atomic as a whole all the same: the company is created incomplete (hidden) and marked complete in
//! the last transaction, and a demo killed on the way is removed by the next one ([`DemoStep`]). Older invoices
//! are mostly paid (payments fully or partly allocated), recent ones open, some overdue; some
//! customers are paid for by another (a payer), some have contracts (a few ended), a few bill in CHF,
//! and some invoices have credit notes, allocated or left as credit.
//!
//! By job: [`names`] (the word lists people and places are drawn from), [`rng`] (the seeded random
//! numbers), [`generate`] (customers and documents, pure, on its own thread), [`write`] (each chunk
//! written set-based, its allocations checked by `creance_core::allocation::check` and written by
//! the store's allocation writes, as the use cases do; the old cheques deposited), [`scenarios`] (the
//! money situations and dunning made through the use cases), [`atomic`] (the steps and the removal
//! of an interrupted demo), [`csv`] (the generated data as CSV files in the import formats).

mod atomic;
mod csv;
mod generate;
mod names;
mod rng;
mod scenarios;
mod write;

use creance_core::{Currency, Date, Language, Timestamp};
use creance_store::audit::{self, AuditEvent};
use creance_store::companies::NewCompany;
use creance_store::journal::{self, Rows};
use creance_store::settings;

pub use atomic::DemoStep;
pub use csv::export_csv;
pub use rng::Rng;

use crate::{Actor, App, AppError};

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub customers: usize,
    pub seed: u64,
    /// The demo's "today": invoices cover the twelve months before it.
    pub as_of: Date,
    /// The instant its rows and audit events are stamped with (the edge reads it from the clock).
    pub at: Timestamp,
    /// `None`: a year of invoices per customer (about 10.7 installments each). `Some(k)`: exactly
    /// `k` installments per customer (invoices and credit notes), going as far back as they take
    /// (`creance bench --installments-per-customer`).
    pub installments_per_customer: Option<usize>,
}

/// What was generated.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    pub company_id: i64,
    pub customers: usize,
    pub contracts: usize,
    pub invoices: usize,
    pub credit_notes: usize,
    pub installments: usize,
    pub payments: usize,
    pub allocations: usize,
    /// Validated bank deposits of the cheques received before the last few days.
    pub deposits: usize,
    /// Dunning letters issued (to the first 300 customers' payers, 16 days before `as_of`).
    pub letters_issued: usize,
    /// Companies an interrupted demo had left incomplete, removed before this one started.
    pub removed_incomplete: Vec<i64>,
}

/// Customers generated and written per chunk.
const CHUNK: usize = 2_000;

impl App {
    /// Creates the demo company and fills it. `progress(done, total)` is called after each chunk.
    pub async fn demo(
        &self,
        opts: &DemoOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<DemoSummary, AppError> {
        self.demo_observed(opts, progress, &|_| {}).await
    }

    /// [`App::demo`], calling `step` after each [`DemoStep`]. Atomic as a whole: the company is created
    /// incomplete (hidden: not listed, its tokens refused, not counted by `serve --demo`) and marked
    /// complete in the last step's transaction; a demo left incomplete by a kill is removed first.
    pub async fn demo_observed(
        &self,
        opts: &DemoOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
        step: &(dyn Fn(DemoStep) + Sync),
    ) -> Result<DemoSummary, AppError> {
        if opts.customers == 0 || opts.customers > 10_000_000 {
            return Err(AppError::invalid_said(
                "customers",
                crate::Fault::LimitOutOfRange { limit: opts.customers as i64, max: 10_000_000 },
            ));
        }
        let actor = Actor::new("demo", opts.at);
        let removed_incomplete = self.remove_incomplete_demos(&actor).await?;
        let company_id = self
            .create_company_marked(
                &actor,
                &NewCompany {
                    name: "Alpes Léman Services SAS".into(),
                    country: "FR".into(),
                    base_currency: Currency::EUR,
                    language: Language::Fr,
                    address: "12 avenue de la Gare\n74100 Annemasse\nFrance".into(),
                },
                true,
            )
            .await?;
        step(DemoStep::CompanyCreated);
        let mut summary = DemoSummary { company_id, removed_incomplete, ..DemoSummary::default() };
        // Generating (pure, on its own thread) runs ahead of writing, two chunks at most.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<generate::Chunk>(2);
        let generator_opts = opts.clone();
        let generator = std::thread::spawn(move || {
            let mut rng = Rng(generator_opts.seed ^ 0x00C0_FFEE);
            let mut start = 0;
            while start < generator_opts.customers {
                let end = (start + CHUNK).min(generator_opts.customers);
                let chunk = generate::generate_chunk(&generator_opts, start..end, &mut rng);
                if sender.blocking_send(chunk).is_err() {
                    break; // the writer stopped on an error
                }
                start = end;
            }
        });
        let mut tx = self.db.begin_write(actor.at()).await?;
        let mut done = 0;
        while let Some(chunk) = receiver.recv().await {
            let chunk = chunk?;
            done += chunk.plans.len();
            write::write_chunk(&mut tx, company_id, chunk, &mut summary).await?;
            progress(done, opts.customers);
            step(DemoStep::ChunkWritten);
        }
        drop(receiver);
        if generator.join().is_err() {
            return Err(anyhow::anyhow!("the demo generator panicked").into());
        }
        // The journal of everything written, set-based: one statement per kind of entry.
        let codes = settings::account_codes(&mut tx, company_id).await?;
        journal::book_documents(&mut tx, company_id, &codes, Rows::After(0), "").await?;
        journal::book_payments(&mut tx, company_id, &codes, Rows::After(0)).await?;
        journal::book_allocation_transfers(&mut tx, company_id, &codes, Rows::After(0)).await?;
        summary.deposits = write::deposit_old_cheques(&mut tx, company_id, opts.as_of).await?;
        write_letterhead(&mut tx, company_id).await?;
        audit::record(
            &mut tx,
            &AuditEvent::new(company_id, actor.as_str(), "demo.fill", "company", Some(company_id)).summary(format!(
                "demo data: {} customers, {} invoices, {} credit notes, {} payments (seed {}, as of {})",
                summary.customers, summary.invoices, summary.credit_notes, summary.payments, opts.seed, opts.as_of
            )),
        )
        .await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        step(DemoStep::DataCommitted);
        self.db.analyze().await?;
        self.demo_money_situations(&actor, company_id, opts, &mut summary).await?;
        step(DemoStep::MoneySituations);
        self.demo_dunning(&actor, company_id, opts, &mut summary, step).await?;
        step(DemoStep::Complete);
        Ok(summary)
    }
}

/// The demo company's letterhead: registration, VAT number, contact lines, signature and logo, so
/// that its documents print complete.
async fn write_letterhead(tx: &mut creance_store::Tx, company_id: i64) -> Result<(), AppError> {
    let head = creance_store::printing::Letterhead {
        registration: "SAS au capital de 50 000 € · RCS Thonon-les-Bains 812 345 678".into(),
        vat_number: "FR12812345678".into(),
        phone: "Tél. +33 4 50 12 34 56".into(),
        email: "comptabilite@alpes-leman.example".into(),
        web: "www.alpes-leman.example".into(),
        envelope_window: "right".into(),
        signature_lines: vec!["Claire Dupraz".into(), "Responsable du recouvrement".into()],
        signatures: vec![
            (creance_core::Language::En, vec!["Claire Dupraz".into(), "Head of Credit Control".into()]),
            (creance_core::Language::De, vec!["Claire Dupraz".into(), "Leiterin Forderungsmanagement".into()]),
        ],
        bank_account_id: None,
        print_item_texts: true,
        has_logo: false,
    };
    creance_store::printing::set(tx, company_id, &head).await?;
    creance_store::printing::set_logo(tx, company_id, include_bytes!("logo.jpg")).await?;
    Ok(())
}
