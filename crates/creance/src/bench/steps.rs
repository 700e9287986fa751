//! The steps of `creance bench` and the datasets they run on. A dataset is loaded the first time a
//! step needs it, as a step of its own (`load`, `load-weekly`, …), each in a company of its own:
//!
//! - `load`: the demo's generator with K installments per customer ([`creance_app::demo`]);
//!   the open-items lists, small balances, aging and the FEC read it.
//! - `load-weekly`: N customers × K open invoices, their levels as a year of weekly runs left them
//!   ([`App::dunning_fixture`]); the weekly proposal and its issue.
//! - `load-backlog`: N × K open invoices never dunned ([`App::allocation_fixture`]).
//! - `load-allocation`: N/2 customers with 6 open invoices and 2 unallocated payments each; the
//!   batch allocation and the API load.
//! - `load-letters`: at most 30,000 customers × K invoices with e-mail addresses; the delivery.

use std::time::Instant;

use creance_app::fixtures::AllocationFixture;
use creance_app::journal::JournalFormat;
use creance_app::query_args::OpenItemArgs;
use creance_app::{Actor, App};
use creance_core::Date;
use serde_json::{json, Map, Value};

use super::memory::Watch;
use super::{BenchArgs, Step};

/// What a step reports besides its time and memory.
pub struct Outcome {
    pub rows: i64,
    pub detail: String,
    pub extra: Map<String, Value>,
}

impl Outcome {
    pub fn new(rows: i64, detail: impl Into<String>) -> Outcome {
        Outcome { rows, detail: detail.into(), extra: Map::new() }
    }

    pub fn with(mut self, name: &str, value: Value) -> Outcome {
        self.extra.insert(name.to_string(), value);
        self
    }
}

pub struct Bench<'a> {
    app: &'a App,
    args: &'a BenchArgs,
    as_of: Date,
    actor: Actor,
    engine: &'static str,
    demo: Option<i64>,
    weekly: Option<AllocationFixture>,
    weekly_run: Option<i64>,
    backlog: Option<AllocationFixture>,
    allocation: Option<AllocationFixture>,
    letters: Option<AllocationFixture>,
    /// Installments loaded so far, in every company (the check's rows).
    installments: i64,
}

impl<'a> Bench<'a> {
    pub fn new(app: &'a App, args: &'a BenchArgs, as_of: Date) -> Bench<'a> {
        let engine = app.db.engine().name();
        let actor = Actor::new("bench", creance_app::clock::now());
        Bench {
            app,
            args,
            as_of,
            actor,
            engine,
            demo: None,
            weekly: None,
            weekly_run: None,
            backlog: None,
            allocation: None,
            letters: None,
            installments: 0,
        }
    }

    pub async fn run(&mut self, selected: &[Step]) -> anyhow::Result<()> {
        let mut steps = selected.to_vec();
        steps.sort();
        steps.dedup();
        for step in steps {
            match step {
                Step::Load => {
                    self.demo().await?;
                }
                Step::OpenItems => self.open_items().await?,
                Step::SmallBalances => self.small_balances().await?,
                Step::Aging => self.aging().await?,
                Step::Fec => self.fec().await?,
                Step::ToGenerate => self.dunning_to_generate().await?,
                Step::ProposalWeekly => {
                    self.weekly_proposal().await?;
                }
                Step::Issue => self.issue().await?,
                Step::ProposalBacklog => self.backlog_proposal().await?,
                Step::Allocation => self.allocation().await?,
                Step::Api => self.api().await?,
                Step::Deliver => self.deliver().await?,
                Step::Check => self.check().await?,
            }
        }
        Ok(())
    }

    /// Times `work` with the process's peak memory and prints its line.
    async fn step<T>(
        &self,
        name: &str,
        work: impl std::future::Future<Output = anyhow::Result<(T, Outcome)>>,
    ) -> anyhow::Result<T> {
        let watch = Watch::start();
        let start = Instant::now();
        let (value, outcome) = work.await?;
        let seconds = start.elapsed().as_secs_f64();
        let peak = watch.stop();
        let mut line = Map::new();
        line.insert("step".into(), json!(name));
        line.insert("engine".into(), json!(self.engine));
        line.insert("rows".into(), json!(outcome.rows));
        line.insert("seconds".into(), json!((seconds * 1000.0).round() / 1000.0));
        line.insert("rows_per_second".into(), json!((outcome.rows as f64 / seconds.max(1e-9)).round()));
        line.insert("peak_rss_mib".into(), json!(peak.rss_mib));
        line.insert("peak_anon_mib".into(), json!(peak.anon_mib));
        line.insert("detail".into(), json!(outcome.detail));
        line.extend(outcome.extra);
        println!("{}", Value::Object(line));
        Ok(value)
    }

    fn k(&self) -> usize {
        self.args.installments_per_customer
    }

    async fn demo(&mut self) -> anyhow::Result<i64> {
        if let Some(id) = self.demo {
            return Ok(id);
        }
        let (customers, k, as_of) = (self.args.customers, self.k(), self.as_of);
        let app = self.app;
        let summary = self
            .step("load", async move {
                let s = crate::demo::run_demo(app, customers, 1, as_of, Some(k)).await?;
                let detail = format!(
                    "the demo's generator: {} customers, {} invoices, {} credit notes, {} installments, {} payments, {} allocations, {} letters",
                    s.customers, s.invoices, s.credit_notes, s.installments, s.payments, s.allocations, s.letters_issued
                );
                let rows = s.installments as i64;
                Ok((s, Outcome::new(rows, detail)))
            })
            .await?;
        self.demo = Some(summary.company_id);
        self.installments += summary.installments as i64;
        if let Some(dir) = self.args.export_csv.clone() {
            let opts = creance_app::demo::DemoOptions {
                customers,
                seed: 1,
                as_of,
                at: creance_app::clock::now(),
                installments_per_customer: Some(k),
            };
            self.step("export-csv", async move {
                let shown = dir.display().to_string();
                let rows = tokio::task::spawn_blocking(move || creance_app::demo::export_csv(&opts, &dir)).await??;
                Ok(((), Outcome::new(rows, format!("the generated dataset in the import formats, to {shown}"))))
            })
            .await?;
        }
        Ok(summary.company_id)
    }

    async fn open_items(&mut self) -> anyhow::Result<()> {
        let company = self.demo().await?;
        let queries: [(&str, &str, OpenItemArgs); 4] = [
            (
                "open-items-overdue",
                "overdue installments",
                OpenItemArgs { overdue: Some("true".into()), ..Default::default() },
            ),
            (
                "open-items-customer",
                "customer C000042",
                OpenItemArgs { customer: Some("C000042".into()), ..Default::default() },
            ),
            (
                "open-items-by-amount",
                "sorted by -amount_open",
                OpenItemArgs { sort: Some("-amount_open".into()), ..Default::default() },
            ),
            ("open-items-by-document", "by document", OpenItemArgs::default()),
        ];
        for (name, what, args) in queries {
            let (filter, sorts, page) = args.parse(self.as_of).map_err(anyhow::Error::from)?;
            let app = self.app;
            self.step(name, async move {
                let (shown, total) = if name == "open-items-by-document" {
                    let l = app.open_documents(company, &filter, &sorts, page).await.map_err(anyhow::Error::from)?;
                    (l.items.len(), l.total_count)
                } else {
                    let l = app.open_items(company, &filter, &sorts, page).await.map_err(anyhow::Error::from)?;
                    (l.items.len(), l.total_count)
                };
                let detail =
                    format!("first page ({shown} rows, with the count and the totals) of the open items {what}");
                Ok(((), Outcome::new(total, detail)))
            })
            .await?;
        }
        Ok(())
    }

    async fn small_balances(&mut self) -> anyhow::Result<()> {
        let company = self.demo().await?;
        let (app, as_of) = (self.app, self.as_of);
        self.step("small-balances", async move {
            let q = creance_app::small_balances::SmallBalanceQuery {
                threshold: Some("5.00".into()),
                older_than_days: Some(30),
                ..Default::default()
            };
            let s = app.small_balances(company, &q, as_of).await.map_err(anyhow::Error::from)?;
            let rows = s.groups.iter().chain(&s.credits).map(|g| g.items.len() as i64).sum();
            Ok(((), Outcome::new(rows, "the extraction, threshold 5.00, older than 30 days (items found)")))
        })
        .await
    }

    async fn aging(&mut self) -> anyhow::Result<()> {
        let company = self.demo().await?;
        for (name, days) in [("aging", 0), ("aging-past", -90)] {
            let (app, as_of) = (self.app, self.as_of);
            self.step(name, async move {
                let date = as_of.add_days(days);
                let args = creance_app::reports::AgingArgs { as_of: Some(date.to_string()), ..Default::default() };
                let report = app.aging_report(company, &args, as_of).await.map_err(anyhow::Error::from)?;
                anyhow::ensure!(!report.rows.is_empty(), "the aging report of the dataset is empty");
                let detail = format!("the aging report as of {date} (rows: its customer lines)");
                Ok(((), Outcome::new(report.rows.len() as i64, detail)))
            })
            .await?;
        }
        Ok(())
    }

    async fn fec(&mut self) -> anyhow::Result<()> {
        let company = self.demo().await?;
        let (app, as_of) = (self.app, self.as_of);
        self.step("fec", async move {
            let from = Date::from_ymd(2000, 1, 1).ok_or_else(|| anyhow::anyhow!("bad date"))?;
            let lines = app
                .export_journal(company, from, as_of, JournalFormat::Fec, &mut std::io::sink())
                .await
                .map_err(anyhow::Error::from)?;
            Ok((
                (),
                Outcome::new(lines as i64, format!("the FEC of the dataset's journal from {from} to {as_of}, lines")),
            ))
        })
        .await
    }

    async fn weekly(&mut self) -> anyhow::Result<AllocationFixture> {
        if let Some(f) = self.weekly {
            return Ok(f);
        }
        let (app, n, k, as_of) = (self.app, self.args.customers, self.k(), self.as_of);
        let f = self
            .step("load-weekly", async move {
                let f = app.dunning_fixture(n, k, as_of).await.map_err(anyhow::Error::from)?;
                let detail = format!("{n} customers × {k} open invoices, levels as a year of weekly runs left them");
                Ok((f, Outcome::new(f.open_installments as i64, detail)))
            })
            .await?;
        self.weekly = Some(f);
        self.installments += f.open_installments as i64;
        Ok(f)
    }

    fn criteria(&self) -> creance_app::dunning::Criteria {
        creance_app::dunning::Criteria { as_of: Some(self.as_of.to_string()), ..Default::default() }
    }

    async fn dunning_to_generate(&mut self) -> anyhow::Result<()> {
        let f = self.weekly().await?;
        let (app, as_of, criteria) = (self.app, self.as_of, self.criteria());
        self.step("to-generate", async move {
            let page = creance_app::queries::Page { limit: 100, offset: 0 };
            let view =
                app.dunning_to_generate(f.company_id, &criteria, as_of, page).await.map_err(anyhow::Error::from)?;
            let detail =
                format!("the \"to generate\" view over {} open installments (rows: payers)", f.open_installments);
            Ok(((), Outcome::new(view.total_count, detail)))
        })
        .await
    }

    /// The raw scan's seconds (`--scan-baseline`), printed as a step of its own.
    async fn scan(&self, f: AllocationFixture, name: &str) -> anyhow::Result<Option<f64>> {
        if !self.args.scan_baseline {
            return Ok(None);
        }
        let app = self.app;
        let start = Instant::now();
        self.step(name, async move {
            let (rows, _) = app.scan_installments(f.company_id).await.map_err(anyhow::Error::from)?;
            Ok(((), Outcome::new(rows, "a raw full scan of the company's installments (count and sums)")))
        })
        .await?;
        Ok(Some(start.elapsed().as_secs_f64()))
    }

    async fn propose(
        &self,
        f: AllocationFixture,
        name: &str,
        what: &str,
        scan: Option<f64>,
    ) -> anyhow::Result<Option<i64>> {
        let (app, as_of, criteria, actor) = (self.app, self.as_of, self.criteria(), &self.actor);
        let start = Instant::now();
        let (run, letters) = self
            .step(name, async move {
                let p = app.propose_dunning(actor, f.company_id, &criteria, as_of).await.map_err(anyhow::Error::from)?;
                let detail = format!(
                    "{what}: proposal over {} open installments of {} customers (rows: installments in the drafts; {} letters)",
                    f.open_installments, f.customers, p.counts.draft
                );
                let mut outcome = Outcome::new(p.counts.items, detail).with("letters", json!(p.counts.draft));
                if let Some(scan) = scan {
                    let ratio = start.elapsed().as_secs_f64() / scan.max(1e-9);
                    outcome = outcome.with("vs_scan", json!((ratio * 10.0).round() / 10.0));
                }
                Ok(((p.run_id(), p.counts.draft), outcome))
            })
            .await?;
        anyhow::ensure!(letters > 0 || f.open_installments == 0, "{name}: the proposal found nothing to dun");
        Ok(run)
    }

    async fn weekly_proposal(&mut self) -> anyhow::Result<Option<i64>> {
        if let Some(run) = self.weekly_run {
            return Ok(Some(run));
        }
        let f = self.weekly().await?;
        let scan = self.scan(f, "scan-weekly").await?;
        let run = self.propose(f, "proposal-weekly", "weekly run", scan).await?;
        self.weekly_run = run;
        Ok(run)
    }

    async fn issue(&mut self) -> anyhow::Result<()> {
        let f = self.weekly().await?;
        let run = self.weekly_proposal().await?.ok_or_else(|| anyhow::anyhow!("the weekly proposal found nothing"))?;
        let (app, as_of, actor) = (self.app, self.as_of, &self.actor);
        self.step("issue", async move {
            let r = app.issue_dunning(actor, f.company_id, run, as_of).await.map_err(anyhow::Error::from)?;
            let detail = "the weekly run issued: letters numbered, levels raised, deliveries queued (rows: letters)";
            Ok(((), Outcome::new(r.letters_issued, detail)))
        })
        .await
    }

    async fn backlog_proposal(&mut self) -> anyhow::Result<()> {
        let f = match self.backlog {
            Some(f) => f,
            None => {
                let (app, n, k, as_of) = (self.app, self.args.customers, self.k(), self.as_of);
                let f = self
                    .step("load-backlog", async move {
                        let f = app.allocation_fixture(n, k, 0, as_of).await.map_err(anyhow::Error::from)?;
                        Ok((
                            f,
                            Outcome::new(
                                f.open_installments as i64,
                                format!("{n} customers × {k} open invoices, never dunned"),
                            ),
                        ))
                    })
                    .await?;
                self.backlog = Some(f);
                self.installments += f.open_installments as i64;
                f
            }
        };
        let scan = self.scan(f, "scan-backlog").await?;
        self.propose(f, "proposal-backlog", "first run on a backlog", scan).await?;
        Ok(())
    }

    async fn allocation_data(&mut self) -> anyhow::Result<AllocationFixture> {
        if let Some(f) = self.allocation {
            return Ok(f);
        }
        let (app, n, as_of) = (self.app, (self.args.customers / 2).max(1), self.as_of);
        let f = self
            .step("load-allocation", async move {
                let f = app.allocation_fixture(n, 6, 2, as_of).await.map_err(anyhow::Error::from)?;
                let detail = format!("{n} customers × 6 open invoices and 2 unallocated payments");
                Ok((f, Outcome::new(f.open_installments as i64 + f.unallocated_payments as i64, detail)))
            })
            .await?;
        self.allocation = Some(f);
        self.installments += f.open_installments as i64;
        Ok(f)
    }

    async fn allocation(&mut self) -> anyhow::Result<()> {
        let f = self.allocation_data().await?;
        for (name, confirm) in [("allocation-preview", false), ("allocation", true)] {
            let (app, as_of, actor) = (self.app, self.as_of, &self.actor);
            self.step(name, async move {
                let r =
                    app.auto_allocate(actor, f.company_id, None, confirm, as_of).await.map_err(anyhow::Error::from)?;
                let detail = format!(
                    "batch auto-allocation {} of {} payments against {} open installments (rows: allocation lines)",
                    if confirm { "confirmed" } else { "preview" },
                    f.unallocated_payments,
                    f.open_installments
                );
                Ok(((), Outcome::new(r.line_count as i64, detail)))
            })
            .await?;
        }
        Ok(())
    }

    async fn api(&mut self) -> anyhow::Result<()> {
        let f = self.allocation_data().await?;
        let app = self.app;
        self.step("api", async move { super::api::load(app, f.company_id, f.customers).await }).await
    }

    async fn deliver(&mut self) -> anyhow::Result<()> {
        let f = match self.letters {
            Some(f) => f,
            None => {
                let (app, n, k, as_of) = (self.app, self.args.customers.min(30_000), self.k(), self.as_of);
                let f = self
                    .step("load-letters", async move {
                        let f = app.letters_fixture(n, k, as_of).await.map_err(anyhow::Error::from)?;
                        Ok((
                            f,
                            Outcome::new(
                                f.open_installments as i64,
                                format!("{n} customers × {k} open invoices, dunned by e-mail"),
                            ),
                        ))
                    })
                    .await?;
                self.letters = Some(f);
                self.installments += f.open_installments as i64;
                f
            }
        };
        let (app, as_of, actor) = (self.app, self.as_of, &self.actor);
        let run = self.propose(f, "proposal-letters", "letters", None).await?;
        let run = run.ok_or_else(|| anyhow::anyhow!("the letters proposal found nothing"))?;
        self.step("issue-letters", async move {
            let r = app.issue_dunning(actor, f.company_id, run, as_of).await.map_err(anyhow::Error::from)?;
            Ok(((), Outcome::new(r.letters_issued, "the letters' run issued (rows: letters)")))
        })
        .await?;
        self.step("deliver", async move {
            let outbox = std::env::temp_dir().join(format!("creance-bench-outbox-{}", std::process::id()));
            let mut opts = creance_app::delivery::DeliveryOptions::new(&outbox);
            opts.company_id = Some(f.company_id);
            opts.stopwatch = creance_app::clock::stopwatch;
            let r = app.deliver(&opts, creance_app::clock::now()).await.map_err(anyhow::Error::from)?;
            let _ = std::fs::remove_dir_all(&outbox);
            anyhow::ensure!(r.failed == 0 && r.retried == 0, "{} letters failed, {} to retry", r.failed, r.retried);
            let n = r.sent.max(1);
            let outcome = Outcome::new(
                r.sent,
                format!(
                    "letters read, rendered as PDF and e-mail on {} threads, written as .eml files to an outbox",
                    opts.threads
                ),
            )
            .with("read_seconds", json!(r.read_micros as f64 / 1e6))
            .with("render_seconds", json!(r.render_micros as f64 / 1e6))
            .with("write_seconds", json!(r.write_micros as f64 / 1e6))
            .with("pdf_bytes_per_letter", json!(r.pdf_bytes / n))
            .with("message_bytes_per_letter", json!(r.message_bytes / n));
            Ok(((), outcome))
        })
        .await
    }

    async fn check(&mut self) -> anyhow::Result<()> {
        let (app, rows) = (self.app, self.installments);
        self.step("check", async move {
            let violations = app.check().await.map_err(anyhow::Error::from)?;
            anyhow::ensure!(violations.is_empty(), "creance check found {} violation(s)", violations.len());
            Ok((
                (),
                Outcome::new(rows, "every allocation invariant over the whole database (rows: installments loaded)"),
            ))
        })
        .await
    }
}
