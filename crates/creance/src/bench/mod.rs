//! `creance bench`: the one instrument for the figures of docs/performance.md (issue 15). It
//! generates a deterministic dataset (`--customers N --installments-per-customer K`) into a fresh
//! database (a temporary SQLite file, or the empty database `--db` names), then times each step and
//! prints one JSON line per step on the standard output as soon as the step ends: its name, the
//! engine, the rows it handled, the seconds, rows per second, and the process's peak memory during
//! the step (`peak_rss_mib`, the kernel's high-water mark, which counts the database pages SQLite
//! maps as well; `peak_anon_mib`, the heap only, sampled every 5 ms). Timings are read by people,
//! never asserted in tests: this machine is shared and noisy.
//!
//! By job: [`steps`] (the steps and the datasets they need, created on first use), [`api`] (the
//! API load over loopback), [`memory`] (peak memory per step). `--export-csv DIR` writes the
//! generated dataset in the import formats ([`creance_app::demo::export_csv`]).

mod api;
mod memory;
mod steps;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use creance_app::App;
use creance_core::Date;

/// `creance bench`'s arguments.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Customers of the dataset (and of each benchmark company).
    #[arg(long, default_value_t = 100_000)]
    pub customers: usize,
    /// Installments per customer (the issue's figure: 10, so 1,000,000 for 100,000 customers).
    #[arg(long, default_value_t = 10)]
    pub installments_per_customer: usize,
    /// Only these steps (comma-separated; the datasets they need are loaded first and timed too).
    #[arg(long, value_delimiter = ',', value_enum)]
    pub steps: Vec<Step>,
    /// Also time a raw full scan of the installments table before each proposal: the floor the
    /// proposal is compared with (`vs_scan` on the proposal's line).
    #[arg(long)]
    pub scan_baseline: bool,
    /// Write the generated dataset (the `load` step's company) to DIR in the import formats.
    #[arg(long, value_name = "DIR")]
    pub export_csv: Option<PathBuf>,
}

/// The steps, in the order they run.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The dataset: the demo's generator with K installments per customer (a mix of ages, payers,
    /// partial payments, credit notes, EUR and CHF), its money situations and a first dunning.
    Load,
    /// The open-items lists' first pages (overdue, one customer, by amount, by document).
    OpenItems,
    /// The small-balance extraction.
    SmallBalances,
    /// The aging report, today and 90 days ago.
    Aging,
    /// The FEC export of the dataset's journal.
    Fec,
    /// The "to generate" view of dunning over the weekly company.
    ToGenerate,
    /// The dunning proposal of a weekly run: N × K open installments, levels as a year of weekly runs left them.
    ProposalWeekly,
    /// Issuing the weekly run's letters (data only, before PDFs).
    Issue,
    /// The dunning proposal of a first run on a backlog: nothing ever dunned.
    ProposalBacklog,
    /// The batch auto-allocation (preview, then confirmed) of N payments against 3N open installments.
    Allocation,
    /// Recording and allocating payments through the HTTP API on 8 connections (p50/p99).
    Api,
    /// Rendering and delivering letters to an outbox (at most 30,000 customers).
    Deliver,
    /// `creance check` over the whole database.
    Check,
}

/// Runs the benchmark. `db`: the database given with `--db`, else `None` (a temporary SQLite file).
pub async fn run(args: BenchArgs, db: Option<String>) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.customers >= 1 && args.customers <= 10_000_000, "--customers: from 1 to 10,000,000");
    anyhow::ensure!((1..=120).contains(&args.installments_per_customer), "--installments-per-customer: from 1 to 120");
    let temp = std::env::temp_dir().join(format!("creance-bench-{}.db", std::process::id()));
    let url = db.unwrap_or_else(|| format!("sqlite:{}", temp.display()));
    let app = App::open(&url, creance_app::clock::now()).await?;
    if !app.companies().await.map_err(anyhow::Error::from)?.is_empty() {
        app.close().await;
        anyhow::bail!(
            "{url} already holds companies: the benchmark writes companies of its own; give it an empty database"
        );
    }
    let as_of = Date::from_ymd(2026, 11, 22).ok_or_else(|| anyhow::anyhow!("bad bench date"))?;
    let selected: Vec<Step> = if args.steps.is_empty() { Step::value_variants().to_vec() } else { args.steps.clone() };
    let mut bench = steps::Bench::new(&app, &args, as_of);
    let outcome = bench.run(&selected).await;
    app.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", temp.display()));
    }
    outcome?;
    Ok(ExitCode::SUCCESS)
}
