//! Sending issued letters by e-mail (issue 11 point 6, SPEC §4.6): the delivery worker that
//! `creance serve` runs and `creance dunning send` runs once, a clerk's resend, and the SMTP
//! settings (`settings`).
//!
//! One pass, for each company with work: attempts left `sending` by a worker that stopped are
//! closed as `failed` with a message saying the letter may have been delivered (never sent again
//! silently); then the queued e-mail deliveries whose time has come are read in batches (the
//! letters set-based, see `documents::letter::frozen_letters`), rendered on every core (the PDF and
//! the MIME message), and handed over:
//! - to the company's SMTP server, one message at a time: the attempt is recorded and committed
//!   (`sending`) before the connection is opened, then its outcome;
//! - with no SMTP server set, to `.eml` files in the outbox folder (`<outbox>/<company id>/`),
//!   a batch at a time: claimed in one transaction, written (to a temporary name, then renamed),
//!   recorded in one transaction.
//!
//! A refusal (5xx) or an invalid address fails the delivery at once, with the server's answer; a
//! temporary failure (4xx, no connection) is retried with exponential backoff
//! (`creance_core::dunning::delivery`) and fails after the last attempt. A failed delivery waits
//! for a clerk to resend it (`resend_delivery`).

pub mod settings;
mod transport;
pub(crate) use transport::{smtp_error_text, smtp_transport};

use std::path::PathBuf;
use std::time::Duration;

use creance_core::dunning::delivery::{self as rules, AfterFailure};
use creance_core::dunning::{DeliveryStatus, DeliveryTransport};
use creance_core::Timestamp;
use creance_store::audit::{self, AuditEvent};
use creance_store::dunning::delivery::{self as store, Due, Finish, SmtpSettings};
use serde::Serialize;

pub use settings::{SmtpInput, SmtpView};

use crate::documents::letter::{frozen_letters, Context, FrozenLetter};
use crate::views::dunning::{Delivery, DeliveryAttempt};
use crate::{Actor, App, AppError};

/// What a pass of the delivery worker does.
#[derive(Debug, Clone)]
pub struct DeliveryOptions {
    /// Where the `.eml` files of companies without an SMTP server go.
    pub outbox: PathBuf,
    /// Only this company's deliveries (else every company's).
    pub company_id: Option<i64>,
    /// Only the letters of this proposal.
    pub run_id: Option<i64>,
    /// The most deliveries one pass attempts (the rest wait for the next pass).
    pub limit: usize,
    /// Deliveries read and rendered together.
    pub batch: usize,
    /// Threads that render (default: every core).
    pub threads: usize,
    /// Times the stages of the report (the edges give `clock::stopwatch`; by default nothing is
    /// timed: the use case reads no clock).
    pub stopwatch: fn() -> Duration,
}

fn untimed() -> Duration {
    Duration::ZERO
}

impl DeliveryOptions {
    pub fn new(outbox: impl Into<PathBuf>) -> DeliveryOptions {
        DeliveryOptions {
            outbox: outbox.into(),
            company_id: None,
            run_id: None,
            limit: 100_000,
            batch: 500,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            stopwatch: untimed,
        }
    }
}

/// What a pass did, and how long each stage took.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct DeliveryReport {
    pub sent: i64,
    /// Failed temporarily; queued again for later.
    pub retried: i64,
    /// Failed for good (refused, invalid address, last attempt): a clerk resends them.
    pub failed: i64,
    /// Found `sending` from a worker that stopped: failed, saying it may have been delivered.
    pub interrupted: i64,
    /// Microseconds reading the deliveries and their letters (0 without a stopwatch).
    pub read_micros: u64,
    /// Microseconds rendering the PDFs and the messages (on `threads` threads; overlapping the
    /// reading of the next batch and the writing of the previous one).
    pub render_micros: u64,
    /// Microseconds handing them over (SMTP or files) and recording the outcomes.
    pub write_micros: u64,
    /// The letters' PDFs, in bytes.
    pub pdf_bytes: i64,
    /// The messages, in bytes (the PDFs in base64 and the text).
    pub message_bytes: i64,
}

impl DeliveryReport {
    pub fn attempted(&self) -> i64 {
        self.sent + self.retried + self.failed
    }

    /// Adds another pass's counts and times to these.
    pub fn add(&mut self, r: &DeliveryReport) {
        self.sent += r.sent;
        self.retried += r.retried;
        self.failed += r.failed;
        self.interrupted += r.interrupted;
        self.read_micros += r.read_micros;
        self.render_micros += r.render_micros;
        self.write_micros += r.write_micros;
        self.pdf_bytes += r.pdf_bytes;
        self.message_bytes += r.message_bytes;
    }
}

/// The sender of a company's messages.
#[derive(Debug, Clone)]
struct Sender {
    from_name: String,
    from_address: String,
    reply_to: Option<String>,
    domain: String,
}

impl Sender {
    /// The SMTP settings' sender, else the letterhead's e-mail, else a placeholder for the outbox.
    fn of(smtp: Option<&SmtpSettings>, ctx: &Context) -> Sender {
        let company = &ctx.house.company.name;
        let (from_name, from_address, reply_to) = match smtp {
            Some(s) => (
                if s.from_name.is_empty() { company.clone() } else { s.from_name.clone() },
                s.from_address.clone(),
                Some(s.reply_to.clone()).filter(|r| !r.is_empty()),
            ),
            None => {
                let email = ctx.house.email.trim().to_string();
                let from =
                    if email.parse::<lettre::Address>().is_ok() { email } else { "dunning@localhost".to_string() };
                (company.clone(), from, None)
            }
        };
        let domain = from_address.rsplit_once('@').map_or("localhost", |(_, d)| d).to_string();
        Sender { from_name, from_address, reply_to, domain }
    }
}

/// A message ready to hand over, or why it cannot be built.
struct Rendered {
    delivery_id: i64,
    message: Result<transport::Message, String>,
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// A file name's safe form of a letter number.
fn safe(number: &str) -> String {
    number.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}

/// Renders each letter's PDF and message, on `threads` threads.
fn render_all(jobs: Vec<(Due, FrozenLetter)>, sender: &Sender, now: Timestamp, threads: usize) -> Vec<Rendered> {
    let per = jobs.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(per)
            .map(|chunk| {
                scope.spawn(move || chunk.iter().map(|(due, f)| render_one(due, f, sender, now)).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

fn render_one(due: &Due, f: &FrozenLetter, sender: &Sender, now: Timestamp) -> Rendered {
    let message = (|| {
        let pdf = creance_render::letter::render(&f.doc).map_err(|e| format!("rendering the letter failed: {e}"))?;
        let subject = f
            .doc
            .subject
            .clone()
            .unwrap_or_else(|| creance_render::words::Words::of(f.doc.locale.language).level_title(f.doc.level));
        let body = creance_render::mail::letter_body(&f.doc);
        let message_id = format!("{}.{}@{}", safe(&f.doc.number), due.id, sender.domain);
        let mail = creance_render::mail::Mail {
            from_name: &sender.from_name,
            from_address: &sender.from_address,
            reply_to: sender.reply_to.as_deref(),
            to: &due.address,
            subject: &subject,
            body: &body,
            attachment_name: &f.file_name,
            pdf: &pdf,
            message_id: &message_id,
            date: now,
        };
        let m = creance_render::mail::message(&mail).map_err(|e| format!("the message cannot be built: {e}"))?;
        Ok(transport::Message {
            bytes: m.bytes,
            envelope: m.envelope,
            message_id,
            file_stem: format!("{}-{}", safe(&f.doc.number), due.id),
            pdf_bytes: pdf.len(),
        })
    })();
    Rendered { delivery_id: due.id, message }
}

impl App {
    /// One pass of the delivery worker at `now` (see the module's documentation).
    pub async fn deliver(&self, opts: &DeliveryOptions, now: Timestamp) -> Result<DeliveryReport, AppError> {
        let mut report = DeliveryReport::default();
        let stale_before = now.seconds_later(-rules::SENDING_LEASE_SECONDS).to_string();
        let companies = match opts.company_id {
            Some(c) => vec![c],
            None => {
                let mut tx = self.db.begin_read().await?;
                store::companies_with_work(&mut tx, &now.to_string(), &stale_before).await?
            }
        };
        for company_id in companies {
            self.close_interrupted(company_id, &stale_before, now, &mut report).await?;
            self.deliver_company(company_id, opts, now, &mut report).await?;
        }
        Ok(report)
    }

    /// Attempts left under way by a worker that stopped become `failed`, saying the message may
    /// have been delivered.
    async fn close_interrupted(
        &self,
        company_id: i64,
        stale_before: &str,
        now: Timestamp,
        report: &mut DeliveryReport,
    ) -> Result<(), AppError> {
        let mut tx = self.db.begin_write(now).await?;
        let stale = store::stale(&mut tx, company_id, stale_before).await?;
        if stale.is_empty() {
            return Ok(());
        }
        let results: Vec<(i64, Finish)> = stale
            .iter()
            .map(|(id, attempts)| {
                let error = format!(
                    "the delivery worker stopped during attempt {attempts}: the message may or may not have \
                     reached the server; check with the payer before resending"
                );
                (*id, Finish::Interrupted { error })
            })
            .collect();
        store::finish(&mut tx, company_id, &results).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        report.interrupted += results.len() as i64;
        Ok(())
    }

    async fn deliver_company(
        &self,
        company_id: i64,
        opts: &DeliveryOptions,
        now: Timestamp,
        report: &mut DeliveryReport,
    ) -> Result<(), AppError> {
        let mut tx = self.db.begin_read().await?;
        let smtp = store::smtp(&mut tx, company_id).await?;
        let ctx = Context::load(&mut tx, company_id).await?;
        drop(tx);
        let sender = Sender::of(smtp.as_ref(), &ctx);
        let mut outlet = match &smtp {
            Some(s) => transport::Outlet::smtp(s, &sender.domain),
            None => transport::Outlet::outbox(opts.outbox.join(company_id.to_string())),
        };
        // Three stages over batches, overlapped: batch N is read while batch N−1 renders, and
        // batch N−1 is handed over while batch N renders (rendering takes every core).
        let mut done = 0usize;
        let mut after_id = 0i64;
        let mut exhausted = false;
        let mut rendering: Option<tokio::task::JoinHandle<(Vec<Rendered>, u64)>> = None;
        loop {
            let next = if exhausted || done >= opts.limit {
                None
            } else {
                let started = (opts.stopwatch)();
                let take = opts.batch.min(opts.limit - done).max(1);
                let batch = self.read_batch(company_id, &ctx, opts.run_id, now, after_id, take).await?;
                report.read_micros += micros((opts.stopwatch)() - started);
                match batch {
                    None => {
                        exhausted = true;
                        None
                    }
                    Some((last_id, count, jobs, unrenderable)) => {
                        after_id = last_id;
                        done += count;
                        Some((jobs, unrenderable))
                    }
                }
            };
            let finished = match rendering.take() {
                Some(h) => Some(h.await.map_err(|e| anyhow::anyhow!("rendering stopped: {e}"))?),
                None => None,
            };
            if let Some((jobs, unrenderable)) = next {
                let (sender, threads, stopwatch) = (sender.clone(), opts.threads, opts.stopwatch);
                rendering = Some(tokio::task::spawn_blocking(move || {
                    let started = stopwatch();
                    let mut rendered = render_all(jobs, &sender, now, threads);
                    rendered.extend(unrenderable);
                    (rendered, micros(stopwatch() - started))
                }));
            }
            match finished {
                Some((rendered, spent)) => {
                    report.render_micros += spent;
                    let started = (opts.stopwatch)();
                    self.hand_over(company_id, &mut outlet, rendered, now, report).await?;
                    report.write_micros += micros((opts.stopwatch)() - started);
                }
                None if rendering.is_none() => break,
                None => {}
            }
        }
        Ok(())
    }

    /// The next batch of due deliveries after `after_id`, with their letters ready to render (and
    /// those whose letter is not issued, to fail): `(last id, count, jobs, unrenderable)`, or None.
    #[allow(clippy::type_complexity)]
    async fn read_batch(
        &self,
        company_id: i64,
        ctx: &Context,
        run_id: Option<i64>,
        now: Timestamp,
        after_id: i64,
        take: usize,
    ) -> Result<Option<(i64, usize, Vec<(Due, FrozenLetter)>, Vec<Rendered>)>, AppError> {
        let mut tx = self.db.begin_read().await?;
        let due = store::due(&mut tx, company_id, run_id, &now.to_string(), after_id, take as i64).await?;
        let Some(last) = due.last().map(|d| d.id) else { return Ok(None) };
        let ids: Vec<i64> = due.iter().map(|d| d.letter_id).collect();
        let letters = frozen_letters(&mut tx, company_id, ctx, &ids).await?;
        drop(tx);
        let count = due.len();
        let mut by_id: std::collections::HashMap<i64, FrozenLetter> =
            letters.into_iter().map(|f| (f.letter.id, f)).collect();
        let mut jobs = Vec::with_capacity(count);
        let mut unrenderable = Vec::new();
        for d in due {
            match by_id.remove(&d.letter_id) {
                Some(f) => jobs.push((d, f)),
                None => unrenderable.push(Rendered {
                    delivery_id: d.id,
                    message: Err(format!("letter {} is not an issued letter", d.letter_id)),
                }),
            }
        }
        Ok(Some((last, count, jobs, unrenderable)))
    }

    /// Claims, hands over and records: the outbox a batch at a time, SMTP a message at a time.
    async fn hand_over(
        &self,
        company_id: i64,
        outlet: &mut transport::Outlet,
        rendered: Vec<Rendered>,
        now: Timestamp,
        report: &mut DeliveryReport,
    ) -> Result<(), AppError> {
        let kind = outlet.kind();
        let groups: Vec<Vec<Rendered>> = match kind {
            DeliveryTransport::Outbox => vec![rendered],
            DeliveryTransport::Smtp => rendered.into_iter().map(|r| vec![r]).collect(),
        };
        for group in groups {
            let ids: Vec<i64> = group.iter().map(|r| r.delivery_id).collect();
            let mut tx = self.db.begin_write(now).await?;
            let claimed: std::collections::HashMap<i64, i64> =
                store::claim(&mut tx, company_id, &ids, kind).await?.into_iter().collect();
            tx.commit().await.map_err(anyhow::Error::from)?;
            // Another worker took those not claimed.
            let group: Vec<(i64, Rendered)> =
                group.into_iter().filter_map(|r| claimed.get(&r.delivery_id).map(|a| (*a, r))).collect();
            let outcomes = outlet.send_all(group).await;
            let mut results = Vec::with_capacity(outcomes.len());
            for (delivery_id, attempts, outcome) in outcomes {
                let finish = match outcome {
                    Err(reason) => {
                        report.failed += 1;
                        Finish::Failed { error: reason }
                    }
                    Ok((sizes, Ok(sent))) => {
                        report.pdf_bytes += sizes.pdf as i64;
                        report.message_bytes += sizes.message as i64;
                        report.sent += 1;
                        Finish::Sent { message_id: sent.message_id, sent_via: sent.via, reply: sent.reply }
                    }
                    Ok((_, Err(failure))) => match rules::after_failure(attempts, failure.permanent, now) {
                        AfterFailure::Retry { at } => {
                            report.retried += 1;
                            Finish::Retry { next_at: at.to_string(), error: failure.reply }
                        }
                        AfterFailure::Fail => {
                            report.failed += 1;
                            Finish::Failed { error: failure.reply }
                        }
                    },
                };
                results.push((delivery_id, finish));
            }
            let mut tx = self.db.begin_write(now).await?;
            store::finish(&mut tx, company_id, &results).await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
        }
        Ok(())
    }

    /// A clerk sends a failed e-mail delivery again, to the payer's e-mail address as it is now
    /// (the usual fix after a bounce is to correct it).
    pub async fn resend_delivery(&self, actor: &Actor, company_id: i64, id: i64) -> Result<Delivery, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let delivery = self.delivery_in(&mut tx, company_id, id).await?;
        if delivery.status != DeliveryStatus::Failed || delivery.channel != creance_core::dunning::LetterChannel::Email
        {
            return Err(AppError::rejected_said(
                crate::Code::DeliveryNotFailed,
                crate::DunningFault::DeliveryNotFailed {
                    id,
                    letter: delivery.letter_number.clone(),
                    status: delivery.status,
                    channel: delivery.channel,
                },
            ));
        }
        let letter = creance_store::dunning_runs::letter(&mut tx, company_id, delivery.letter_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("letter {}", delivery.letter_id))?;
        let payer = creance_store::customers::get(&mut tx, company_id, letter.payer_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("payer {}", letter.payer_id))?;
        let Some(address) = rules::dunning_address(&payer.fields.dunning_email, &payer.fields.email) else {
            return Err(AppError::rejected_said(
                crate::Code::PayerHasNoEmail,
                crate::DunningFault::PayerHasNoEmail {
                    payer: payer.fields.number.clone(),
                    letter: delivery.letter_number.clone(),
                },
            ));
        };
        let address = address.to_string();
        store::resend(&mut tx, company_id, id, Some(&address)).await?;
        let event =
            AuditEvent::new(company_id, actor.as_str(), "dunning.delivery_resent", "dunning_delivery", Some(id))
                .summary(format!(
                    "letter {} queued again to {address} (failed: {})",
                    delivery.letter_number, delivery.last_error
                ));
        audit::record(&mut tx, &event).await?;
        let after = self.delivery_in(&mut tx, company_id, id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(after)
    }

    /// A delivery's attempts, oldest first.
    pub async fn delivery_attempts(&self, company_id: i64, id: i64) -> Result<Vec<DeliveryAttempt>, AppError> {
        let mut tx = self.db.begin_read().await?;
        self.delivery_in(&mut tx, company_id, id).await?;
        Ok(store::attempts(&mut tx, company_id, id).await?.into_iter().map(Into::into).collect())
    }

    /// One delivery.
    pub async fn delivery(&self, company_id: i64, id: i64) -> Result<Delivery, AppError> {
        let mut tx = self.db.begin_read().await?;
        self.delivery_in(&mut tx, company_id, id).await
    }

    async fn delivery_in(&self, tx: &mut creance_store::Tx, company_id: i64, id: i64) -> Result<Delivery, AppError> {
        creance_store::dunning::history::delivery(tx, company_id, id)
            .await?
            .map(Into::into)
            .ok_or(AppError::NotFound { entity: "dunning delivery", key: id.to_string() })
    }
}
