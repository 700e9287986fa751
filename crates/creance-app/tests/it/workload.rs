//! A model-based property test: random sequences of imports, payments, allocations, unallocations,
//! refunds, cancellations, deposits (validated or cancelled) and batch allocations, on every engine; after each step every
//! invariant of SPEC §4.1 holds (`creance check`) and each customer's open balance equals what the
//! model says it owes. And a concurrency test: 16 tasks allocating the same payments and installments
//! at once never over-allocate, and a lost race is a conflict, never an internal error.

use std::collections::HashMap;

use crate::common::*;
use creance_app::demo::Rng;
use creance_app::import::Entity;
use creance_app::payments::{AllocateRequest, CreditRef, LineRequest, RecordPayment};
use creance_app::refunds::{RecordRefund, RefundAllocate};
use creance_app::{App, AppError};
use creance_core::Date;
use creance_store::{Row, Sql};

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
        Err(AppError::Conflict(_)) | Err(AppError::Rejected(_)) | Err(AppError::Invalid(_)) => None,
        Err(e) => panic!("{step}: unexpected error {e:?}"),
    }
}

async fn run(app: &App, company: i64, seed: u64, steps: usize) {
    import_ok(app, company, Entity::Customers, CUSTOMERS).await;
    let bank = app
        .add_bank_account(
            &actor(),
            company,
            &creance_app::settings::NewBank { name: "Banque".into(), ..Default::default() },
        )
        .await
        .unwrap();
    let customers = ["C001", "C002", "C003"];
    let mut owed: HashMap<String, i64> = HashMap::new();
    let mut rng = Rng(seed);
    let today = d("2026-06-30");
    for step in 0..steps {
        let op = rng.below(10);
        let who = rng.choose(&customers).unwrap_or("C001");
        let label = format!("seed {seed} step {step} op {op}");
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
                     AND NOT EXISTS (SELECT 1 FROM allocations r WHERE r.reverses_id = a.id) ORDER BY a.id",
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
            _ => {
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
        }
        let violations = app.check().await.unwrap();
        assert!(violations.is_empty(), "{label}: {violations:#?}");
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
}

#[tokio::test]
async fn random_workloads_keep_every_invariant_after_every_step() {
    for seed in [1u64, 2, 3] {
        on_every_engine(|app, company| async move { run(&app, company, seed, 60).await }).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clerks_allocating_the_same_payments_and_installments_never_over_allocate() {
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
                let request = if n % 2 == 0 {
                    AllocateRequest::Lines(vec![LineRequest { installment_id: f1, amount: Some("60.00".into()) }])
                } else {
                    AllocateRequest::Proposal
                };
                app.allocate(&actor(), company, CreditRef::Payment(payment), &request, today).await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(AppError::Conflict(msg)) => assert!(!msg.is_empty()),
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
