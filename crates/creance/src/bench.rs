//! `creance bench`: the figures the issues name, measured on a fresh database (not in tests: this
//! machine is shared and noisy, so timings are read by people, not asserted).

use std::process::ExitCode;
use std::time::Instant;

use creance_app::journal::JournalFormat;
use creance_app::query_args::OpenItemArgs;
use creance_app::App;
use creance_core::Date;

use crate::print;

#[derive(serde::Serialize)]
struct Measure {
    what: String,
    seconds: f64,
    rows: i64,
}

/// Which part of the benchmark runs (at most one flag is set; none: everything).
#[derive(Debug, Clone, Copy, Default)]
pub struct Only {
    pub money_only: bool,
    pub dunning_only: bool,
    pub letters_only: bool,
    pub reports_only: bool,
}

pub async fn run(customers: usize, bench_db: Option<String>, only: Only, json: bool) -> anyhow::Result<ExitCode> {
    let Only { money_only, dunning_only, letters_only, reports_only } = only;
    let temp = std::env::temp_dir().join(format!("creance-bench-{}.db", std::process::id()));
    let url = bench_db.unwrap_or_else(|| format!("sqlite:{}", temp.display()));
    let app = App::open(&url, creance_app::clock::now()).await?;
    let as_of = Date::from_ymd(2026, 11, 22).ok_or_else(|| anyhow::anyhow!("bad bench date"))?;
    let mut measures = Vec::new();

    if letters_only {
        letters(&app, customers.min(30_000), as_of, &mut measures).await?;
        return finish(app, &temp, &measures, json).await;
    }
    if !money_only && !dunning_only {
        demo_and_queries(&app, customers, as_of, &mut measures).await?;
    }
    if reports_only {
        reports_at_scale(&app, customers, as_of, &mut measures).await?;
        return finish(app, &temp, &measures, json).await;
    }
    if !money_only {
        dunning(&app, customers, as_of, &mut measures).await?;
    }
    if dunning_only {
        return finish(app, &temp, &measures, json).await;
    }
    letters(&app, customers.min(30_000), as_of, &mut measures).await?;
    // Batch allocation: customers/2 customers with 6 open invoices and 2 unallocated payments each
    // (300,000 installments and 100,000 payments for --customers 100000), in a company of its own.
    let fixture = app.allocation_fixture((customers / 2).max(1), 6, 2, as_of).await.map_err(anyhow::Error::from)?;
    let actor = creance_app::Actor::new("bench", creance_app::clock::now());
    let start = Instant::now();
    let preview =
        app.auto_allocate(&actor, fixture.company_id, None, false, as_of).await.map_err(anyhow::Error::from)?;
    measures.push(Measure {
        what: format!(
            "auto-allocate preview ({} payments, {} open installments)",
            fixture.unallocated_payments, fixture.open_installments
        ),
        seconds: start.elapsed().as_secs_f64(),
        rows: preview.line_count as i64,
    });
    let start = Instant::now();
    let done = app.auto_allocate(&actor, fixture.company_id, None, true, as_of).await.map_err(anyhow::Error::from)?;
    measures.push(Measure {
        what: "auto-allocate confirmed (same data)".to_string(),
        seconds: start.elapsed().as_secs_f64(),
        rows: done.line_count as i64,
    });
    let (seconds, requests) = api_throughput(&app, fixture.company_id, fixture.customers).await?;
    measures.push(Measure {
        what: format!(
            "API: record and allocate {requests} payments over 8 keep-alive connections ({:.0} per second)",
            requests as f64 / seconds
        ),
        seconds,
        rows: requests as i64,
    });
    // The journal export of the year (invoices, payments, the batch allocation's transfers, the API's
    // payments), in both formats.
    for (format, code) in [(JournalFormat::Fec, "fec"), (JournalFormat::Csv, "csv")] {
        let start = Instant::now();
        let lines = app
            .export_journal(fixture.company_id, as_of.add_days(-400), as_of, format, &mut std::io::sink())
            .await
            .map_err(anyhow::Error::from)?;
        measures.push(Measure {
            what: format!("export journal --format {code} (the batch allocation's company, a year)"),
            seconds: start.elapsed().as_secs_f64(),
            rows: lines as i64,
        });
    }
    let start = Instant::now();
    let violations = app.check().await.map_err(anyhow::Error::from)?;
    anyhow::ensure!(violations.is_empty(), "creance check found {} violation(s) after the benchmark", violations.len());
    measures.push(Measure {
        what: "check (whole database)".to_string(),
        seconds: start.elapsed().as_secs_f64(),
        rows: 0,
    });
    finish(app, &temp, &measures, json).await
}

/// Closes and removes the temporary database, then prints the measures.
async fn finish(app: App, temp: &std::path::Path, measures: &[Measure], json: bool) -> anyhow::Result<ExitCode> {
    app.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", temp.display()));
    }
    if json {
        print::json(&measures)?;
    } else {
        let rows: Vec<Vec<String>> =
            measures.iter().map(|m| vec![m.what.clone(), format!("{:.2}", m.seconds), m.rows.to_string()]).collect();
        print::table(&["measure", "seconds", "rows"], &rows, &[1, 2]);
    }
    Ok(ExitCode::SUCCESS)
}

/// Dunning (issue 4's figure: a proposal over 1,000,000 open installments of 100,000 customers), in
/// two companies of their own with 10 open invoices per customer: the weekly run (levels as a year of
/// weekly runs left them; the run finds the week's new work), then a first run on a backlog (nothing
/// was ever dunned: every overdue installment is due for level 1 at once).
async fn dunning(app: &App, customers: usize, as_of: Date, measures: &mut Vec<Measure>) -> anyhow::Result<()> {
    let weekly = app.dunning_fixture(customers.max(1), as_of).await.map_err(anyhow::Error::from)?;
    dunning_run(app, &weekly, "weekly run", as_of, measures).await?;
    let backlog = app.allocation_fixture(customers.max(1), 10, 0, as_of).await.map_err(anyhow::Error::from)?;
    dunning_run(app, &backlog, "first run on a backlog", as_of, measures).await
}

/// Times the "to generate" view, a proposal and its issue on one fixture company.
async fn dunning_run(
    app: &App,
    fixture: &creance_app::fixtures::AllocationFixture,
    what: &str,
    as_of: Date,
    measures: &mut Vec<Measure>,
) -> anyhow::Result<()> {
    let actor = creance_app::Actor::new("bench", creance_app::clock::now());
    let criteria = creance_app::dunning::Criteria { as_of: Some(as_of.to_string()), ..Default::default() };
    let page = creance_app::queries::Page { limit: 100, offset: 0 };
    let start = Instant::now();
    let view =
        app.dunning_to_generate(fixture.company_id, &criteria, as_of, page).await.map_err(anyhow::Error::from)?;
    measures.push(Measure {
        what: format!("dunning {what}: to-generate over {} open installments (payers)", fixture.open_installments),
        seconds: start.elapsed().as_secs_f64(),
        rows: view.total_count,
    });
    let start = Instant::now();
    let p = app.propose_dunning(&actor, fixture.company_id, &criteria, as_of).await.map_err(anyhow::Error::from)?;
    measures.push(Measure {
        what: format!(
            "dunning {what}: proposal over {} open installments of {} customers (installments dunned)",
            fixture.open_installments, fixture.customers
        ),
        seconds: start.elapsed().as_secs_f64(),
        rows: p.counts.items,
    });
    let start = Instant::now();
    let run_id = p.run_id().ok_or_else(|| anyhow::anyhow!("the proposal found nothing to dun"))?;
    let r = app.issue_dunning(&actor, fixture.company_id, run_id, as_of).await.map_err(anyhow::Error::from)?;
    measures.push(Measure {
        what: format!("dunning {what}: issue (letters)"),
        seconds: start.elapsed().as_secs_f64(),
        rows: r.letters_issued,
    });
    Ok(())
}

/// Letters (issue 11's figure): `letters` customers (30,000 by default: `--customers` up to 30,000)
/// with 10 open invoices each (9 overdue), a proposal
/// and its issue, then the delivery worker's pass that reads the letters, renders each PDF and its
/// e-mail, and writes them as .eml files to an outbox (no SMTP server: the files are the measure),
/// with the bytes per letter and the process's peak memory over the step.
async fn letters(app: &App, letters: usize, as_of: Date, measures: &mut Vec<Measure>) -> anyhow::Result<()> {
    let fixture = app.letters_fixture(letters.max(1), 10, as_of).await.map_err(anyhow::Error::from)?;
    reset_peak_memory();
    let actor = creance_app::Actor::new("bench", creance_app::clock::now());
    let criteria = creance_app::dunning::Criteria { as_of: Some(as_of.to_string()), ..Default::default() };
    let start = Instant::now();
    let p = app.propose_dunning(&actor, fixture.company_id, &criteria, as_of).await.map_err(anyhow::Error::from)?;
    let run_id = p.run_id().ok_or_else(|| anyhow::anyhow!("the proposal found nothing to dun"))?;
    measures.push(Measure {
        what: format!("letters: proposal over {} open installments (letters)", fixture.open_installments),
        seconds: start.elapsed().as_secs_f64(),
        rows: p.counts.draft,
    });
    let start = Instant::now();
    let issued = app.issue_dunning(&actor, fixture.company_id, run_id, as_of).await.map_err(anyhow::Error::from)?;
    let issue_seconds = start.elapsed().as_secs_f64();
    measures.push(Measure {
        what: "letters: issue (numbered, levels raised, queued)".into(),
        seconds: issue_seconds,
        rows: issued.letters_issued,
    });
    let issue_peak = peak_memory_kib();
    reset_peak_memory();
    let outbox = std::env::temp_dir().join(format!("creance-bench-outbox-{}", std::process::id()));
    let mut opts = creance_app::delivery::DeliveryOptions::new(&outbox);
    opts.company_id = Some(fixture.company_id);
    opts.stopwatch = creance_app::clock::stopwatch;
    let start = Instant::now();
    let r = app.deliver(&opts, creance_app::clock::now()).await.map_err(anyhow::Error::from)?;
    let deliver_seconds = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&outbox);
    anyhow::ensure!(r.sent == issued.letters_issued, "{} of {} letters sent", r.sent, issued.letters_issued);
    let n = r.sent.max(1);
    for (stage, seconds) in [
        ("read the deliveries and their letters (set-based)", r.read_micros),
        (&*format!("render the PDFs and messages on {} threads", opts.threads), r.render_micros),
        ("write the .eml files and the statuses", r.write_micros),
    ] {
        let seconds = seconds as f64 / 1e6;
        measures.push(Measure { what: format!("letters: deliver, {stage}"), seconds, rows: r.sent });
    }
    measures.push(Measure {
        what: format!(
            "letters: deliver to the outbox, all stages ({:.0} letters/s; {} B PDF and {} B message per letter; peak memory {} MiB)",
            r.sent as f64 / deliver_seconds,
            r.pdf_bytes / n,
            r.message_bytes / n,
            mib(peak_memory_kib())
        ),
        seconds: deliver_seconds,
        rows: r.sent,
    });
    measures.push(Measure {
        what: format!(
            "letters: issue and deliver, end to end ({:.0} letters/s; peak memory of the proposal and issue {} MiB)",
            r.sent as f64 / (issue_seconds + deliver_seconds),
            mib(issue_peak)
        ),
        seconds: issue_seconds + deliver_seconds,
        rows: r.sent,
    });
    Ok(())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".to_string(), |k| (k / 1024).to_string())
}

/// Resets the process's peak resident memory (Linux: `clear_refs` 5), so that the peak read after a
/// step is the step's.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory since the last reset, in KiB (Linux `VmHWM`).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The demo, then the open-items queries on it.
async fn demo_and_queries(app: &App, customers: usize, as_of: Date, measures: &mut Vec<Measure>) -> anyhow::Result<()> {
    let start = Instant::now();
    let summary = crate::demo::run_demo(app, customers, 1, as_of).await?;
    measures.push(Measure {
        what: format!("demo --customers {customers}"),
        seconds: start.elapsed().as_secs_f64(),
        rows: summary.installments as i64,
    });
    let queries: [(&str, OpenItemArgs); 4] = [
        ("open-items --overdue (first 100)", OpenItemArgs { overdue: Some("true".into()), ..Default::default() }),
        ("open-items --customer C000042", OpenItemArgs { customer: Some("C000042".into()), ..Default::default() }),
        ("open-items sorted by -amount_open", OpenItemArgs { sort: Some("-amount_open".into()), ..Default::default() }),
        ("open-items --by-document", OpenItemArgs::default()),
    ];
    for (i, (what, args)) in queries.into_iter().enumerate() {
        let (filter, sorts, page) = args.parse(as_of).map_err(anyhow::Error::from)?;
        let start = Instant::now();
        let rows = if i == 3 {
            app.open_documents(summary.company_id, &filter, &sorts, page)
                .await
                .map_err(anyhow::Error::from)?
                .total_count
        } else {
            app.open_items(summary.company_id, &filter, &sorts, page).await.map_err(anyhow::Error::from)?.total_count
        };
        measures.push(Measure { what: what.to_string(), seconds: start.elapsed().as_secs_f64(), rows });
    }
    // Small balances (issue 12): the whole extraction, one query per side over the open-items index.
    let q = creance_app::small_balances::SmallBalanceQuery {
        threshold: Some("5.00".into()),
        older_than_days: Some(30),
        ..Default::default()
    };
    let start = Instant::now();
    let s = app.small_balances(summary.company_id, &q, as_of).await.map_err(anyhow::Error::from)?;
    let rows = s.groups.iter().chain(&s.credits).map(|g| g.items.len() as i64).sum();
    measures.push(Measure {
        what: format!(
            "small-balances list --threshold 5.00 --older-than 30 (of {} installments)",
            summary.installments
        ),
        seconds: start.elapsed().as_secs_f64(),
        rows,
    });
    // The aging report (SPEC §4.10): one aggregate over every open installment, grouped by customer
    // and currency (rows: the demo's installments it reads); then as of 90 days ago, rebuilt from
    // the allocations' value dates.
    for (what, date) in [("report aging", as_of), ("report aging --as-of (90 days before)", as_of.add_days(-90))] {
        let args = creance_app::reports::AgingArgs { as_of: Some(date.to_string()), ..Default::default() };
        let start = Instant::now();
        let report = app.aging_report(summary.company_id, &args, as_of).await.map_err(anyhow::Error::from)?;
        let seconds = start.elapsed().as_secs_f64();
        anyhow::ensure!(!report.rows.is_empty(), "the aging report of the demo is empty");
        measures.push(Measure { what: what.to_string(), seconds, rows: summary.installments as i64 });
    }
    Ok(())
}

/// The reports over `customers` × 10 open installments (1,000,000 for 100,000 customers; every
/// installment of the demo is not open): the aging report and the small-balance extraction, each
/// reading every open item of a company of its own.
async fn reports_at_scale(app: &App, customers: usize, as_of: Date, measures: &mut Vec<Measure>) -> anyhow::Result<()> {
    let fixture = app.allocation_fixture(customers.max(1), 10, 0, as_of).await.map_err(anyhow::Error::from)?;
    let args = creance_app::reports::AgingArgs { as_of: Some(as_of.to_string()), ..Default::default() };
    let start = Instant::now();
    let report = app.aging_report(fixture.company_id, &args, as_of).await.map_err(anyhow::Error::from)?;
    let seconds = start.elapsed().as_secs_f64();
    anyhow::ensure!(!report.rows.is_empty(), "the aging report of the fixture is empty");
    measures.push(Measure {
        what: format!("report aging over {} open installments (customers)", fixture.open_installments),
        seconds,
        rows: report.rows.len() as i64,
    });
    let q = creance_app::small_balances::SmallBalanceQuery {
        threshold: Some("5.00".into()),
        older_than_days: Some(30),
        ..Default::default()
    };
    let start = Instant::now();
    let s = app.small_balances(fixture.company_id, &q, as_of).await.map_err(anyhow::Error::from)?;
    measures.push(Measure {
        what: format!(
            "small-balances list --threshold 5.00 --older-than 30 over {} open installments (items)",
            fixture.open_installments
        ),
        seconds: start.elapsed().as_secs_f64(),
        rows: s.groups.iter().chain(&s.credits).map(|g| g.items.len() as i64).sum(),
    });
    Ok(())
}

/// Sustained record-and-allocate throughput through the real HTTP server: 8 clients on keep-alive
/// connections each POST payments with `"allocate": "proposal"`; returns (seconds, requests).
async fn api_throughput(app: &App, company_id: i64, customers: usize) -> anyhow::Result<(f64, usize)> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    const CLIENTS: usize = 8;
    const PER_CLIENT: usize = 250;
    let actor = creance_app::Actor::new("bench", creance_app::clock::now());
    let token =
        app.create_token(&actor, company_id, creance_core::Role::Clerk, "bench").await.map_err(anyhow::Error::from)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(creance_server::serve(app.clone(), listener));
    let start = Instant::now();
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let token = token.clone();
        clients.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await?;
            let mut stream = BufReader::new(stream);
            for n in 0..PER_CLIENT {
                let customer = 1 + (c * PER_CLIENT + n) * 7 % customers.max(1);
                let body = format!(
                    r#"{{"customer_number": "B{customer:07}", "amount": "10.00", "method": "transfer", "piece_number": "bench {c}-{n}", "allocate": "proposal"}}"#
                );
                let request = format!(
                    "POST /api/v1/payments HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                     Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                stream.get_mut().write_all(request.as_bytes()).await?;
                let mut status = String::new();
                stream.read_line(&mut status).await?;
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    stream.read_line(&mut line).await?;
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse()?;
                        }
                    }
                }
                let mut body = vec![0u8; length];
                stream.read_exact(&mut body).await?;
                anyhow::ensure!(
                    status.starts_with("HTTP/1.1 201"),
                    "{} answered: {}",
                    status.trim(),
                    String::from_utf8_lossy(&body)
                );
            }
            anyhow::Ok(())
        }));
    }
    for c in clients {
        c.await??;
    }
    let seconds = start.elapsed().as_secs_f64();
    server.abort();
    Ok((seconds, CLIENTS * PER_CLIENT))
}
