//! A model-based property test: random sequences of imports, payments, allocations, unallocations,
//! refunds, cancellations, deposits (validated or cancelled), batch allocations, dunning (proposals
//! issued, left as drafts or deleted; letters withdrawn; reminders recorded outside) and small balances
//! (re-billed or written off, their charges acknowledged, actions undone), on every engine,
//! with a clock that moves forward; after each step every invariant of SPEC §4.1 holds (`creance
//! check`), each payer's open balance equals what the model says it owes, every installment's dunning
//! level and date equal the model's, and no installment is dunned by two draft letters. And a
//! concurrency test: 16 tasks allocating the same payments and installments at once never
//! over-allocate, and a lost race is a conflict, never an internal error.
//!
//! Seeds: each run draws fresh random seeds and prints them; a failure names its seed and
//! `CREANCE_SEED=<seed> cargo test -p creance-app --test it workload` replays exactly that run (on
//! every engine). `CREANCE_SEED` may also be given to run one chosen seed.

use std::collections::HashMap;

use crate::common::*;
use creance_app::dunning::{Criteria, RecordExternal};
use creance_app::import::Entity;
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest, RecordPayment};
use creance_app::refunds::{RecordRefund, RefundAllocate};
use creance_app::{App, AppError};
use creance_core::Date;
use creance_store::{Row, Sql};

/// SplitMix64: the simulation's own generator, so that a seed replays the same run whatever the
/// demo generator becomes.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// One of `items`, or `None` when there is none.
    fn choose<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len() as u64) as usize])
    }
}

/// The seeds of this run: `CREANCE_SEED` when set, else three fresh random ones (from the standard
/// library's randomly keyed hasher: no clock, no extra dependency).
fn seeds() -> Vec<u64> {
    if let Ok(s) = std::env::var("CREANCE_SEED") {
        let seed = s.trim().parse().unwrap_or_else(|_| panic!("CREANCE_SEED={s:?} is not an unsigned integer"));
        return vec![seed];
    }
    use std::hash::{BuildHasher, Hasher};
    (0..3u64)
        .map(|n| {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(n);
            h.finish()
        })
        .collect()
}

/// Prints how to replay a seed when the run panics (the test harness shows it with the failure).
struct ReplayHint(u64);

impl Drop for ReplayHint {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "workload failed with seed {0}; replay with: CREANCE_SEED={0} cargo test -p creance-app --test it workload",
                self.0
            );
        }
    }
}

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn amount(minor: u64) -> creance_core::AmountText {
    format!("{}.{:02}", minor / 100, minor % 100).into()
}

/// Ids returned by a query (for picking random rows to act on).
async fn ids(app: &App, sql: &str) -> Vec<i64> {
    let mut conn = app.db.pool().acquire().await.unwrap();
    Sql::new(sql).fetch_all(&mut conn).await.unwrap().iter().map(|r| r.try_get::<i64, _>(0).unwrap()).collect()
}

/// Per customer number: open debits − open credits − unallocated payments + refunds to allocate.
async fn balances(app: &App) -> HashMap<String, i64> {
    let mut conn = app.db.pool().acquire().await.unwrap();
    let rows = Sql::new(
        "SELECT c.number, CAST(SUM(x.v) AS BIGINT) AS v FROM ( \
         SELECT customer_id, side * amount_open AS v FROM installments \
         UNION ALL SELECT customer_id, -amount_open FROM payments WHERE status = 'active' \
         UNION ALL SELECT customer_id, amount_open FROM refunds) x JOIN customers c ON c.id = x.customer_id \
         GROUP BY c.number",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    rows.iter().map(|r| (r.try_get::<String, _>(0).unwrap(), r.try_get::<i64, _>(1).unwrap())).collect()
}

/// A refusal is fine (nothing changed); an internal error is a bug.
fn accept<T: std::fmt::Debug>(step: &str, r: Result<T, AppError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(AppError::Rejected(_)) | Err(AppError::Invalid(_)) => None,
        Err(e) => panic!("{step}: unexpected error {e:?}"),
    }
}

/// The model's view of dunning: each installment's level and date (absent = level 0, never dunned),
/// and what each issued letter changed, to put back when it is withdrawn.
#[derive(Default)]
struct DunningModel {
    levels: HashMap<i64, (i64, Option<String>)>,
    /// Issued, not withdrawn letters: letter id → (letter date, [(installment, new level, level and
    /// date before)]).
    issued: HashMap<i64, IssuedLetter>,
    /// What the run did, printed at its end: proposals saved, letters issued, letters withdrawn,
    /// reminders recorded, the highest level reached.
    counts: [i64; 5],
}

struct IssuedLetter {
    date: String,
    installments: Vec<(i64, i64, (i64, Option<String>))>,
}

impl DunningModel {
    fn level(&self, installment: i64) -> (i64, Option<String>) {
        self.levels.get(&installment).cloned().unwrap_or((0, None))
    }
}

/// The last level of the default policy (SPEC §4.6, seed 001: three levels, no skipping).
const LAST_LEVEL: i64 = 3;

/// Issues a draft run and checks each dunned installment against the model: it was at the level and
/// date the model knows, it goes exactly one level up, it takes the issue date, and it is in no other
/// draft letter. Then the model takes the new levels.
async fn issue(app: &App, company: i64, run: i64, today: Date, model: &mut DunningModel, label: &str) {
    if accept(label, app.issue_dunning(&actor(), company, run, today).await).is_none() {
        return;
    }
    let mut conn = app.db.pool().acquire().await.unwrap();
    let rows = Sql::new(
        "SELECT l.id, it.installment_id, it.level_before, it.date_before, it.new_level, l.letter_date, \
         l.fee_document_id, l.interest_document_id FROM dunning_items it JOIN dunning_letters l \
         ON l.company_id = it.company_id AND l.run_id = it.run_id AND l.payer_id = it.payer_id \
         AND l.currency = it.currency WHERE it.run_id = ",
    )
    .bind(run)
    .push(" AND it.kind = 'due' AND it.status = 'active' AND l.status = 'issued' ORDER BY it.id")
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for r in &rows {
        let letter: i64 = r.try_get(0).unwrap();
        let installment: i64 = r.try_get(1).unwrap();
        let before = (r.try_get::<i64, _>(2).unwrap(), r.try_get::<Option<String>, _>(3).unwrap());
        let new_level: i64 = r.try_get(4).unwrap();
        let date: Option<String> = r.try_get(5).unwrap();
        assert_eq!(
            before,
            model.level(installment),
            "{label}: installment {installment} was dunned from a stale level"
        );
        assert_eq!(new_level, before.0 + 1, "{label}: installment {installment} skipped a level");
        assert!(new_level <= LAST_LEVEL, "{label}: installment {installment} went beyond the last level");
        assert_eq!(date.as_deref(), Some(today.to_string().as_str()), "{label}: letter {letter}'s date");
        let charges: (Option<i64>, Option<i64>) = (r.try_get(6).unwrap(), r.try_get(7).unwrap());
        assert_eq!(charges, (None, None), "{label}: the default policy charges nothing");
        model.levels.insert(installment, (new_level, date.clone()));
        model.counts[4] = model.counts[4].max(new_level);
        if !model.issued.contains_key(&letter) {
            model.counts[1] += 1;
        }
        model
            .issued
            .entry(letter)
            .or_insert_with(|| IssuedLetter { date: today.to_string(), installments: Vec::new() })
            .installments
            .push((installment, new_level, before));
    }
    // An issued letter's installments are dunned by no other draft letter (a left-out letter of a
    // draft may still list them).
    let held = Sql::new(
        "SELECT o.installment_id FROM dunning_items o JOIN dunning_runs r ON r.id = o.run_id \
         JOIN dunning_letters ol ON ol.company_id = o.company_id AND ol.run_id = o.run_id \
         AND ol.payer_id = o.payer_id AND ol.currency = o.currency \
         WHERE r.status = 'draft' AND ol.status = 'draft' AND o.kind = 'due' AND o.status = 'active' \
         AND o.installment_id IN \
         (SELECT it.installment_id FROM dunning_items it JOIN dunning_letters l ON l.company_id = it.company_id \
         AND l.run_id = it.run_id AND l.payer_id = it.payer_id AND l.currency = it.currency WHERE it.run_id = ",
    )
    .bind(run)
    .push(" AND it.kind = 'due' AND it.status = 'active' AND l.status = 'issued')")
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(held.is_empty(), "{label}: installments of issued run {run} are in another draft: {}", held.len());
    drop(conn);
}

/// One random dunning operation (SPEC §4.6): propose (then issue, keep or delete the draft), issue a
/// waiting draft, withdraw an issued letter, or record a reminder made outside.
async fn dunning_step(app: &App, company: i64, rng: &mut Rng, today: Date, model: &mut DunningModel, label: &str) {
    match rng.below(5) {
        0 | 1 => {
            let mut c = Criteria { as_of: Some(today.to_string()), ..Default::default() };
            if rng.below(3) == 0 {
                let payer = ["C001", "C002"][rng.below(2) as usize];
                (c.customer_from, c.customer_to) = (Some(payer.into()), Some(payer.into()));
            }
            let Some(p) = accept(label, app.propose_dunning(&actor(), company, &c, today).await) else { return };
            let Some(run) = p.run_id() else { return };
            model.counts[0] += 1;
            match rng.below(5) {
                0 | 1 => issue(app, company, run, today, model, label).await,
                2 => {
                    app.delete_dunning_proposal(&actor(), company, run)
                        .await
                        .unwrap_or_else(|e| panic!("{label}: {e:?}"));
                }
                _ => {} // Left as a draft: later proposals see its installments as in another draft.
            }
        }
        2 => {
            let drafts = ids(app, "SELECT id FROM dunning_runs WHERE status = 'draft' ORDER BY id").await;
            if let Some(run) = rng.choose(&drafts) {
                issue(app, company, run, today, model, label).await;
            }
        }
        3 => {
            let mut letters: Vec<i64> = model.issued.keys().copied().collect();
            letters.sort();
            let Some(letter) = rng.choose(&letters) else { return };
            // A letter is withdrawn newest first: only while its installments are still at the level
            // and date it gave them.
            let memo = &model.issued[&letter];
            let withdrawable =
                memo.installments.iter().all(|(i, level, _)| model.level(*i) == (*level, Some(memo.date.clone())));
            // A draft that lists these installments stays: issued later, it drops them (their level
            // is no longer the one it was computed from) instead of dunning them from a stale level.
            match app.withdraw_dunning_letter(&actor(), company, letter, "erreur d'envoi", today).await {
                Ok(_) => {
                    assert!(withdrawable, "{label}: letter {letter} was withdrawn after a later reminder");
                    model.counts[2] += 1;
                    let memo = model.issued.remove(&letter).unwrap();
                    for (i, _, before) in memo.installments.into_iter().rev() {
                        model.levels.insert(i, before);
                    }
                }
                Err(AppError::Rejected(r)) => {
                    assert!(!withdrawable, "{label}: letter {letter} should have been withdrawn: {}", r.detail)
                }
                Err(e) => panic!("{label}: unexpected error {e:?}"),
            }
        }
        _ => {
            let mut conn = app.db.pool().acquire().await.unwrap();
            let open = Sql::new("SELECT id, due_date FROM installments WHERE side = 1 AND amount_open > 0 ORDER BY id")
                .fetch_all(&mut conn)
                .await
                .unwrap();
            drop(conn);
            let open: Vec<(i64, Date)> = open
                .iter()
                .map(|r| (r.try_get(0).unwrap(), Date::parse(&r.try_get::<String, _>(1).unwrap()).expect("due date")))
                .collect();
            let Some((installment, due)) = rng.choose(&open) else { return };
            let (current, _) = model.level(installment);
            let level = match rng.below(6) {
                0 => current,
                1 => current + 2,
                _ => current + 1,
            };
            // Mostly a date after the due date and not after today; sometimes one that is refused.
            let late = due.days_until(today);
            let date =
                if late > 0 && rng.below(5) != 0 { due.add_days(1 + rng.below(late as u64) as i64) } else { due };
            let channel = ["email", "letter", "phone", "visit", "other"][rng.below(5) as usize];
            let input = RecordExternal {
                installment_id: Some(installment),
                document_number: None,
                level,
                date: date.to_string(),
                channel: channel.into(),
                note: "relance".into(),
                force: false,
                reason: String::new(),
            };
            if accept(label, app.record_external_reminder(&actor(), company, &input, today).await).is_some() {
                assert!(
                    (current.max(1)..=current + 1).contains(&level)
                        && level <= LAST_LEVEL
                        && date > due
                        && date <= today,
                    "{label}: reminder at level {level} on {date} accepted for installment {installment} at level \
                     {current}, due {due}"
                );
                model.levels.insert(installment, (level, Some(date.to_string())));
                model.counts[3] += 1;
                model.counts[4] = model.counts[4].max(level);
            }
        }
    }
}

/// Every installment's dunning level and date equal the model's, and no installment is dunned by two
/// draft letters.
async fn assert_dunning(app: &App, model: &DunningModel, label: &str) {
    let mut conn = app.db.pool().acquire().await.unwrap();
    let rows = Sql::new("SELECT id, dunning_level, dunning_date FROM installments ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    for r in &rows {
        let id: i64 = r.try_get(0).unwrap();
        let stored = (r.try_get::<i64, _>(1).unwrap(), r.try_get::<Option<String>, _>(2).unwrap());
        assert_eq!(stored, model.level(id), "{label}: installment {id}'s dunning level and date differ from the model");
    }
    let twice = Sql::new(
        "SELECT it.installment_id FROM dunning_items it JOIN dunning_runs r ON r.id = it.run_id \
         JOIN dunning_letters l ON l.company_id = it.company_id AND l.run_id = it.run_id \
         AND l.payer_id = it.payer_id AND l.currency = it.currency \
         WHERE r.status = 'draft' AND l.status = 'draft' AND it.kind = 'due' AND it.status = 'active' \
         GROUP BY it.installment_id HAVING COUNT(*) > 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(twice.is_empty(), "{label}: {} installment(s) dunned by two draft letters", twice.len());
}

async fn run(app: &App, company: i64, seed: u64, steps: usize) {
    let _hint = ReplayHint(seed);
    import_ok(app, company, Entity::Customers, CUSTOMERS).await;
    let bank = app
        .add_bank_account(
            &actor(),
            company,
            &creance_app::settings::NewBank { name: "Banque".into(), ..Default::default() },
        )
        .await
        .unwrap();
    // C001 and C002 have an active contract to re-bill small balances on; C003 has none.
    import_ok(
        app,
        company,
        Entity::Contracts,
        "number;customer;status;start_date\nAB1;C001;active;2024-01-01\nAB2;C002;active;2024-01-01\n",
    )
    .await;
    let customers = ["C001", "C002", "C003"];
    let mut owed: HashMap<String, i64> = HashMap::new();
    let mut dunning = DunningModel::default();
    let mut rng = Rng(seed);
    // The clock only moves forward, on dunning steps, so that levels 2 and 3 come due.
    let mut today = d("2026-06-30");
    for step in 0..steps {
        let op = rng.below(18);
        if (10..16).contains(&op) {
            today = today.add_days(rng.below(12) as i64);
        }
        let who = rng.choose(&customers).unwrap_or("C001");
        let label = format!("seed {seed} step {step} op {op} today {today}");
        match op {
            0 | 1 => {
                // An invoice (sometimes for an order an advance is waiting for) or a credit note.
                let minor = 100 + rng.below(50_000);
                let credit = rng.below(5) == 0;
                let order = if rng.below(3) == 0 { format!("CMD-{}", rng.below(4)) } else { String::new() };
                let kind = if credit { "credit_note" } else { "invoice" };
                let csv = format!(
                    "kind;number;customer;date;currency;total;order_ref;payment_term\n{kind};D{seed}-{step};{who};2026-0{}-1{};EUR;{};{order};{}\n",
                    1 + rng.below(5),
                    rng.below(9),
                    amount(minor).replace('.', ","),
                    if credit { "NET0" } else { "30/60" }
                );
                import_ok(app, company, Entity::Documents, &csv).await;
                *owed.entry(who.into()).or_default() += if credit { -(minor as i64) } else { minor as i64 };
            }
            2 | 3 => {
                let minor = 100 + rng.below(40_000);
                let input = RecordPayment {
                    customer_number: Some(who.into()),
                    amount: amount(minor),
                    date: Some(format!("2026-0{}-2{}", 1 + rng.below(5), rng.below(9))),
                    method: if rng.below(2) == 0 { "cheque".into() } else { "transfer".into() },
                    piece_number: format!("P{}", rng.below(1000)),
                    order_ref: if rng.below(4) == 0 { format!("CMD-{}", rng.below(4)) } else { String::new() },
                    confirm_duplicate: true,
                    allocate: if rng.below(2) == 0 { Some(AllocateRequest::Proposal) } else { None },
                    ..Default::default()
                };
                if accept(&label, app.record_payment(&actor(), company, &input, today).await).is_some() {
                    *owed.entry(who.into()).or_default() -= minor as i64;
                }
            }
            4 => {
                let open =
                    ids(app, "SELECT id FROM payments WHERE amount_open > 0 AND status = 'active' ORDER BY id").await;
                if let Some(p) = rng.choose(&open) {
                    let request = if rng.below(2) == 0 {
                        AllocateRequest::Proposal
                    } else {
                        let targets =
                            ids(app, "SELECT id FROM installments WHERE side = 1 AND amount_open > 0 ORDER BY id")
                                .await;
                        let t = rng.choose(&targets).unwrap_or(0);
                        AllocateRequest::Lines(vec![LineRequest {
                            installment_id: t,
                            amount: Some(amount(1 + rng.below(20_000))),
                        }])
                    };
                    accept(&label, app.allocate(&actor(), company, CreditRef::Payment(p), &request, today).await);
                }
            }
            5 => {
                let notes =
                    ids(app, "SELECT document_id FROM installments WHERE side = -1 AND amount_open > 0 ORDER BY id")
                        .await;
                if let Some(n) = rng.choose(&notes) {
                    accept(
                        &label,
                        app.allocate(&actor(), company, CreditRef::CreditNote(n), &AllocateRequest::Proposal, today)
                            .await,
                    );
                }
            }
            6 => {
                let active = ids(
                    app,
                    "SELECT a.id FROM allocations a WHERE a.reverses_id IS NULL \
                     AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id) \
                     AND NOT EXISTS (SELECT 1 FROM installments i JOIN documents d ON d.id = i.document_id \
                     WHERE i.id IN (a.installment_id, a.credit_installment_id) AND d.small_balance_action_id IS NOT NULL) \
                     ORDER BY a.id",
                )
                .await;
                if let Some(a) = rng.choose(&active) {
                    app.unallocate(&actor(), company, a, today).await.unwrap_or_else(|e| panic!("{label}: {e:?}"));
                }
            }
            7 => {
                let minor = 100 + rng.below(20_000);
                let input = RecordRefund {
                    customer_number: Some(who.into()),
                    amount: amount(minor),
                    reason: if rng.below(2) == 0 { "overpayment".into() } else { "credit_note".into() },
                    method: "transfer".into(),
                    allocate: if rng.below(2) == 0 { Some(RefundAllocate::Auto) } else { None },
                    ..Default::default()
                };
                if accept(&label, app.record_refund(&actor(), company, &input, today).await).is_some() {
                    *owed.entry(who.into()).or_default() += minor as i64;
                }
                let active = ids(
                    app,
                    "SELECT a.id FROM refund_allocations a WHERE a.reverses_id IS NULL \
                     AND NOT EXISTS (SELECT 1 FROM refund_allocations r WHERE r.reverses_id = a.id) ORDER BY a.id",
                )
                .await;
                if let Some(a) = rng.choose(&active).filter(|_| rng.below(3) == 0) {
                    app.unallocate_refund(&actor(), company, a, today)
                        .await
                        .unwrap_or_else(|e| panic!("{label}: {e:?}"));
                }
                let waiting = ids(app, "SELECT id FROM refunds WHERE amount_open > 0 ORDER BY id").await;
                if let Some(r) = rng.choose(&waiting) {
                    accept(&label, app.allocate_refund(&actor(), company, r, &RefundAllocate::Auto, today).await);
                }
            }
            8 => {
                let loose = ids(
                    app,
                    "SELECT id FROM payments WHERE status = 'active' AND amount_open = amount AND deposit_id IS NULL ORDER BY id",
                )
                .await;
                if let Some(p) = rng.choose(&loose) {
                    let detail = app.payment(company, p).await.unwrap();
                    app.cancel_payment(&actor(), company, p, "erreur de saisie", today)
                        .await
                        .unwrap_or_else(|e| panic!("{label}: {e:?}"));
                    *owed.entry(detail.payment.customer_number.clone()).or_default() += detail.payment.amount.minor();
                }
            }
            9 => {
                if rng.below(2) == 0 {
                    let pending = app
                        .to_deposit(company, today, false, creance_app::queries::Page::new(None, None).unwrap())
                        .await
                        .unwrap();
                    let take: Vec<i64> = pending.items.iter().take(1 + rng.below(3) as usize).map(|p| p.id).collect();
                    if !take.is_empty() {
                        let input = creance_app::deposits::CreateDeposit {
                            bank_account_id: bank.id,
                            date: None,
                            payment_ids: take,
                        };
                        let slip = app
                            .create_deposit(&actor(), company, &input, today)
                            .await
                            .unwrap_or_else(|e| panic!("{label}: {e:?}"));
                        if rng.below(3) == 0 {
                            app.cancel_deposit(&actor(), company, slip.deposit.id).await.unwrap();
                        } else {
                            app.validate_deposit(&actor(), company, slip.deposit.id).await.unwrap();
                        }
                    }
                } else {
                    app.auto_allocate(&actor(), company, None, rng.below(2) == 0, today).await.unwrap();
                }
            }
            16 | 17 => small_balance_step(app, company, &mut rng, today, who, &mut owed, &label).await,
            _ => {
                dunning_step(app, company, &mut rng, today, &mut dunning, &label).await;
            }
        }
        let violations = app.check().await.unwrap();
        assert!(violations.is_empty(), "{label}: {violations:#?}");
        assert_dunning(app, &dunning, &label).await;
        // C002 pays for C003: an allocation between them moves balance from one to the other, so the
        // model is compared per payer (each customer's own balance is checked against the journal).
        let stored = balances(app).await;
        let group = |m: &HashMap<String, i64>, c: &str| -> i64 {
            let own = m.get(c).copied().unwrap_or(0);
            if c == "C002" {
                own + m.get("C003").copied().unwrap_or(0)
            } else {
                own
            }
        };
        for c in ["C001", "C002"] {
            assert_eq!(group(&stored, c), group(&owed, c), "{label}: payer {c}'s open balance differs from the model");
        }
    }
    let actions = ids(app, "SELECT id FROM small_balance_actions ORDER BY id").await.len();
    let undone = ids(app, "SELECT id FROM small_balance_actions WHERE status = 'undone' ORDER BY id").await.len();
    let acknowledged = ids(app, "SELECT id FROM rebill_charges WHERE status = 'acknowledged' ORDER BY id").await.len();
    eprintln!("seed {seed}: {actions} small-balance action(s), {undone} undone, {acknowledged} charge(s) acknowledged");
    let [proposals, issued, withdrawn, reminders, level] = dunning.counts;
    eprintln!(
        "seed {seed}: {proposals} proposal(s), {issued} letter(s) issued, {withdrawn} withdrawn, {reminders} \
         reminder(s) recorded outside, highest level {level}, clock at {today}"
    );
}

/// A small-balance step (SPEC §4.8): an action on a random group of `who` (re-bill, on its contract
/// or none; write-off, within the maximum or not), an undo of a random action, or the acknowledgement of
/// a random pending charge. The model owes less the debits closed plus the credits closed; an undo
/// gives them back.
async fn small_balance_step(
    app: &App,
    company: i64,
    rng: &mut Rng,
    today: Date,
    who: &str,
    owed: &mut HashMap<String, i64>,
    label: &str,
) {
    use creance_app::small_balances::{AcknowledgeCharge, ActionRequest, GroupRef};
    let moved = |a: &creance_app::small_balances::ActionView| a.debit_total.minor() - a.credit_total.minor();
    match rng.below(5) {
        0 => {
            let done = ids(app, "SELECT id FROM small_balance_actions WHERE status = 'done' ORDER BY id").await;
            if let Some(id) = rng.choose(&done) {
                if let Some(a) = accept(label, app.undo_small_balance_action(&actor(), company, id, today).await) {
                    *owed.entry(a.customer_number.clone()).or_default() += moved(&a);
                }
            }
        }
        1 => {
            let pending = ids(app, "SELECT id FROM rebill_charges WHERE status = 'pending' ORDER BY id").await;
            if let Some(id) = rng.choose(&pending) {
                let ack = AcknowledgeCharge { invoice_number: format!("FAC-{}", rng.below(1000)) };
                app.acknowledge_rebill_charge(&actor(), company, id, &ack)
                    .await
                    .unwrap_or_else(|e| panic!("{label}: {e:?}"));
            }
        }
        _ => {
            // Mostly something small first (an invoice due at once, or an unallocated payment), which the
            // action's group then holds.
            let credits = rng.below(3) == 0;
            if rng.below(4) != 0 {
                let minor = 1 + rng.below(2_000);
                if credits {
                    let input = RecordPayment {
                        customer_number: Some(who.into()),
                        amount: amount(minor),
                        date: Some("2026-01-05".into()),
                        method: "transfer".into(),
                        confirm_duplicate: true,
                        ..Default::default()
                    };
                    app.record_payment(&actor(), company, &input, today)
                        .await
                        .unwrap_or_else(|e| panic!("{label}: {e:?}"));
                    *owed.entry(who.into()).or_default() -= minor as i64;
                } else {
                    let csv = format!(
                        "kind;number;customer;date;currency;total;payment_term\ninvoice;S{}-{};{who};2026-01-0{};EUR;{};NET0\n",
                        label.replace(' ', "-"),
                        rng.below(1_000),
                        1 + rng.below(9),
                        amount(minor).replace('.', ",")
                    );
                    import_ok(app, company, Entity::Documents, &csv).await;
                    *owed.entry(who.into()).or_default() += minor as i64;
                }
            }
            let contracts = ids(
                app,
                &format!(
                    "SELECT k.id FROM contracts k JOIN customers c ON c.id = k.customer_id WHERE c.number = '{who}' \
                     ORDER BY k.id"
                ),
            )
            .await;
            let req = ActionRequest {
                action: if rng.below(2) == 0 { "rebill" } else { "write_off" }.into(),
                group: Some(GroupRef {
                    customer_number: Some(who.into()),
                    credits,
                    threshold: Some(["1,00", "5,00", "20,00", "150,00"][rng.below(4) as usize].into()),
                    ..Default::default()
                }),
                contract_id: contracts.first().copied().filter(|_| rng.below(4) != 0),
                ..Default::default()
            };
            if let Some(a) = accept(label, app.small_balance_action(&actor(), company, &req, today).await) {
                *owed.entry(who.into()).or_default() -= moved(&a);
            }
        }
    }
}

#[tokio::test]
async fn random_workloads_keep_every_invariant_after_every_step() {
    for seed in seeds() {
        eprintln!("workload seed {seed} (CREANCE_SEED={seed} replays it)");
        on_every_engine(|app, company| async move { run(&app, company, seed, 100).await }).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clerks_allocating_the_same_payments_and_installments_one_by_one_or_in_batch_never_over_allocate() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        import_ok(
            &app,
            company,
            Entity::Documents,
            "kind;number;customer;date;currency;total;due_date\n\
             invoice;F-1;C001;2026-01-10;EUR;200,00;2026-02-09\n\
             invoice;F-2;C001;2026-01-11;EUR;80,00;2026-02-10\n",
        )
        .await;
        let today = d("2026-06-30");
        let mut payments = Vec::new();
        for n in 0..4 {
            let input = RecordPayment {
                customer_number: Some("C001".into()),
                amount: "100.00".into(),
                method: "transfer".into(),
                piece_number: format!("V{n}"),
                ..Default::default()
            };
            payments.push(app.record_payment(&actor(), company, &input, today).await.unwrap().payment.id);
        }
        let f1 = ids(
            &app,
            "SELECT i.id FROM installments i JOIN documents d ON d.id = i.document_id WHERE d.number = 'F-1'",
        )
        .await[0];
        let mut tasks = Vec::new();
        for n in 0..16 {
            let app = app.clone();
            let payment = payments[n % 4];
            tasks.push(tokio::spawn(async move {
                // Every fifth clerk runs the batch allocation, which reads without locking.
                if n % 5 == 4 {
                    return app.auto_allocate(&actor(), company, None, true, today).await.map(|_| ());
                }
                let request = if n % 2 == 0 {
                    AllocateRequest::Lines(vec![LineRequest { installment_id: f1, amount: Some("60.00".into()) }])
                } else {
                    AllocateRequest::Proposal
                };
                app.allocate(&actor(), company, CreditRef::Payment(payment), &request, today).await.map(|_| ())
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(()) => ok += 1,
                Err(AppError::Rejected(r)) => assert!(!r.detail.is_empty()),
                Err(e) => panic!("a lost race must be a conflict, got {e:?}"),
            }
        }
        assert!(ok > 0, "some allocations went through");
        let violations = app.check().await.unwrap();
        assert!(violations.is_empty(), "{violations:#?}");
        let allocated =
            ids(&app, "SELECT CAST(COALESCE(SUM(amount - amount_open), 0) AS BIGINT) FROM installments WHERE side = 1")
                .await[0];
        assert!(allocated <= 28_000, "never more than the invoices: {allocated}");
        let paid = ids(&app, "SELECT CAST(SUM(amount - amount_open) AS BIGINT) FROM payments").await[0];
        assert_eq!(paid, allocated, "both sides agree");
    })
    .await;
}
