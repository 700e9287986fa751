//! Scenario tests for refunds (SPEC §4.3; issue 9 points 6 and 7a): a refund is backed by credit that
//! is really there, concurrent refunds of one credit refund it once, a likely duplicate is flagged, and a
//! request naming two different customers is refused. On every engine, each ending with `creance check`.

use crate::common::*;
use creance_app::import::Entity;
use creance_app::payments::RecordPayment;
use creance_app::queries::Page;
use creance_app::refunds::{RecordRefund, RefundAllocate, RefundLine};
use creance_app::views::money::Payment;
use creance_app::{App, AppError, Code};
use creance_core::{Currency, Date, Money};
use creance_store::refunds::RefundFilter;

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

const TODAY: &str = "2026-06-30";

async fn assert_invariants(app: &App) {
    let violations = app.check().await.unwrap();
    assert!(violations.is_empty(), "invariants broken: {violations:#?}");
}

/// An unallocated payment (the customer has no invoice).
async fn credit(app: &App, company: i64, customer: &str, amount: &str, piece: &str) -> Payment {
    let input = RecordPayment {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        date: Some(TODAY.into()),
        method: "transfer".into(),
        piece_number: piece.into(),
        ..Default::default()
    };
    app.record_payment(&actor(), company, &input, d(TODAY)).await.expect("payment").payment
}

fn refund(customer: &str, amount: &str, piece: &str, allocate: Option<RefundAllocate>) -> RecordRefund {
    RecordRefund {
        customer_number: Some(customer.into()),
        amount: amount.into(),
        reason: "overpayment".into(),
        method: "transfer".into(),
        piece_number: piece.into(),
        date: Some(TODAY.into()),
        allocate,
        ..Default::default()
    }
}

fn from_payment(id: i64, amount: Option<&str>) -> RefundAllocate {
    RefundAllocate::Lines(vec![RefundLine {
        payment_id: Some(id),
        credit_note_id: None,
        amount: amount.map(Into::into),
    }])
}

async fn refund_count(app: &App, company: i64, filter: &RefundFilter) -> i64 {
    app.refunds(company, filter, Page::new(None, None).unwrap()).await.unwrap().total_count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_concurrent_refunds_of_one_25_00_credit_refund_it_exactly_once() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        // Naming the payment (taking what it has unallocated), and by `auto`: each time one of the 16
        // refunds of 25.00 goes through, the 15 others are refused.
        let named = credit(&app, company, "C001", "25.00", "VIR A").await;
        let auto = credit(&app, company, "C002", "25.00", "VIR B").await;
        for (customer, how) in [("C001", from_payment(named.id, None)), ("C002", RefundAllocate::Auto)] {
            let mut tasks = Vec::new();
            for n in 0..16 {
                let (app, how) = (app.clone(), how.clone());
                // Distinct piece numbers: the duplicate flag is not what stops them.
                let input = refund(customer, "25.00", &format!("RB-{n}"), Some(how));
                tasks.push(tokio::spawn(async move { app.record_refund(&actor(), company, &input, d(TODAY)).await }));
            }
            let (mut ok, mut refused) = (0, 0);
            for t in tasks {
                match t.await.expect("task") {
                    Ok(r) => {
                        ok += 1;
                        assert_eq!(r.to_allocate, eur(0), "a recorded refund is fully backed");
                    }
                    Err(AppError::Rejected(r)) if r.code == Code::RefundNothingToRefund => {
                        let msg = r.detail;
                        refused += 1;
                        if customer == "C001" {
                            assert!(msg.contains(&named.number), "the message names the credit: {msg}");
                        } else {
                            assert!(msg.contains("C002"), "the message names the customer: {msg}");
                        }
                    }
                    Err(e) => panic!("a refund without credit must be a conflict, got {e:?}"),
                }
            }
            assert_eq!((ok, refused), (1, 15), "{customer}");
        }
        assert_eq!(refund_count(&app, company, &RefundFilter::default()).await, 2);
        assert_eq!(refund_count(&app, company, &RefundFilter { to_allocate: true, ..Default::default() }).await, 0);
        for p in [&named, &auto] {
            assert_eq!(app.payment(company, p.id).await.unwrap().payment.unallocated, eur(0));
        }
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_refund_its_credits_do_not_cover_is_refused_never_left_to_allocate() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let p = credit(&app, company, "C001", "25.00", "VIR A").await;
        // 30.00 against 25.00 of credit: refused, nothing recorded.
        for how in [RefundAllocate::Auto, from_payment(p.id, None)] {
            match app.record_refund(&actor(), company, &refund("C001", "30.00", "R1", Some(how)), d(TODAY)).await {
                Err(AppError::Rejected(r)) if r.code == Code::RefundNotCovered => {
                    assert!(r.detail.contains("cover only 25.00"), "{r:?}")
                }
                other => panic!("expected a conflict, got {other:?}"),
            }
        }
        // A named amount beyond what the credit has is refused too.
        let too_much = from_payment(p.id, Some("26.00"));
        let r = app.record_refund(&actor(), company, &refund("C001", "26.00", "R1", Some(too_much)), d(TODAY)).await;
        assert!(
            matches!(&r, Err(AppError::Rejected(j)) if j.code == Code::RefundExceedsCredit && j.detail.contains(&p.number)),
            "{r:?}"
        );
        assert_eq!(refund_count(&app, company, &RefundFilter::default()).await, 0, "nothing recorded");

        // A named amount takes that much; the payment keeps the rest.
        let ten = app
            .record_refund(
                &actor(),
                company,
                &refund("C001", "10.00", "R2", Some(from_payment(p.id, Some("10.00")))),
                d(TODAY),
            )
            .await
            .unwrap();
        assert_eq!(ten.to_allocate, eur(0));
        assert_eq!(app.payment(company, p.id).await.unwrap().payment.unallocated, eur(1_500));
        // Recorded without allocation it waits; allocated later it takes what there is (15.00 of 20.00)…
        let waiting =
            app.record_refund(&actor(), company, &refund("C001", "20.00", "R3", None), d(TODAY)).await.unwrap();
        assert_eq!(waiting.to_allocate, eur(2_000));
        let part = app.allocate_refund(&actor(), company, waiting.id, &RefundAllocate::Auto, d(TODAY)).await.unwrap();
        assert_eq!(part.to_allocate, eur(500));
        // …and a credit with nothing left is refused, naming it.
        let dry = app.allocate_refund(&actor(), company, waiting.id, &from_payment(p.id, None), d(TODAY)).await;
        assert!(
            matches!(&dry, Err(AppError::Rejected(j)) if j.code == Code::RefundNothingToRefund && j.detail.contains(&p.number)),
            "{dry:?}"
        );
        let none = app.allocate_refund(&actor(), company, waiting.id, &RefundAllocate::Auto, d(TODAY)).await;
        assert!(
            matches!(&none, Err(AppError::Rejected(j)) if j.code == Code::RefundNothingToRefund && j.detail.contains("C001")),
            "{none:?}"
        );
        assert_eq!(app.refund(company, waiting.id).await.unwrap().to_allocate, eur(500), "unchanged");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_likely_duplicate_refund_is_flagged_like_a_payment() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let first =
            app.record_refund(&actor(), company, &refund("C001", "40.00", "VIR 77", None), d(TODAY)).await.unwrap();
        // Same customer, amount and piece number within the window (7 days): refused, naming the first.
        let mut again = refund("C001", "40.00", "VIR 77", None);
        again.date = Some("2026-07-03".into());
        let dup = app.record_refund(&actor(), company, &again, d(TODAY)).await;
        assert!(
            matches!(&dup, Err(AppError::Rejected(j)) if j.code == Code::LikelyDuplicate && j.detail.contains(&first.number)),
            "{dup:?}"
        );
        // Confirmed, it is recorded; another piece number, another customer or outside the window is no
        // duplicate.
        again.confirm_duplicate = true;
        app.record_refund(&actor(), company, &again, d(TODAY)).await.unwrap();
        app.record_refund(&actor(), company, &refund("C001", "40.00", "VIR 78", None), d(TODAY)).await.unwrap();
        app.record_refund(&actor(), company, &refund("C002", "40.00", "VIR 77", None), d(TODAY)).await.unwrap();
        let mut later = refund("C001", "40.00", "VIR 77", None);
        later.date = Some("2026-07-08".into());
        let r = app.record_refund(&actor(), company, &later, d(TODAY)).await;
        assert!(
            matches!(&r, Err(AppError::Rejected(j)) if j.code == Code::LikelyDuplicate),
            "8 July is within 7 days of the confirmed 3 July: {r:?}"
        );
        later.date = Some("2026-07-11".into());
        app.record_refund(&actor(), company, &later, d(TODAY)).await.unwrap();
        assert_eq!(refund_count(&app, company, &RefundFilter::default()).await, 5);
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn a_request_naming_two_different_customers_is_refused() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let c1 = credit(&app, company, "C001", "10.00", "V1").await.customer_id;
        // customer_id says C001, customer_number says C002: a 422 on customer_number, nothing recorded.
        let mut pay = RecordPayment {
            customer_id: Some(c1),
            customer_number: Some("C002".into()),
            amount: "10.00".into(),
            method: "transfer".into(),
            piece_number: "V2".into(),
            ..Default::default()
        };
        let r = app.record_payment(&actor(), company, &pay, d(TODAY)).await;
        assert!(
            matches!(&r, Err(AppError::Invalid(f)) if f.field == "customer_number" && f.reason.contains("C001")),
            "{r:?}"
        );
        let mut back = refund("C002", "10.00", "R1", None);
        back.customer_id = Some(c1);
        let r = app.record_refund(&actor(), company, &back, d(TODAY)).await;
        assert!(matches!(&r, Err(AppError::Invalid(f)) if f.field == "customer_number"), "{r:?}");
        // Both naming the same customer is fine.
        pay.customer_number = Some("C001".into());
        assert_eq!(
            app.record_payment(&actor(), company, &pay, d(TODAY)).await.unwrap().payment.customer_number,
            "C001"
        );
        back.customer_number = Some("C001".into());
        assert_eq!(app.record_refund(&actor(), company, &back, d(TODAY)).await.unwrap().customer_number, "C001");
        assert_invariants(&app).await;
    })
    .await;
}

#[tokio::test]
async fn explicit_lines_are_read_together_and_refused_at_the_first_bad_line_in_line_order() {
    on_every_engine(|app, company| async move {
        import_ok(&app, company, Entity::Customers, CUSTOMERS).await;
        let a = credit(&app, company, "C001", "10.00", "VIR A").await;
        let b = credit(&app, company, "C001", "5.00", "VIR B").await;
        let other = credit(&app, company, "C002", "7.00", "VIR X").await;
        let pay = |id: Option<i64>| RefundLine { payment_id: id, credit_note_id: None, amount: None };
        let note = |id: i64| RefundLine { payment_id: None, credit_note_id: Some(id), amount: None };
        let neither = RefundLine { payment_id: None, credit_note_id: None, amount: None };
        let cases: Vec<(Vec<RefundLine>, &str, &str)> = vec![
            (
                vec![pay(Some(a.id)), pay(Some(999_999)), pay(Some(other.id))],
                "lines[1].payment_id",
                "no payment 999999",
            ),
            (vec![pay(Some(a.id)), pay(Some(other.id)), pay(Some(999_999))], "lines[1]", "belongs to another customer"),
            (vec![pay(Some(a.id)), pay(Some(a.id))], "lines[1]", "appears twice"),
            (vec![pay(Some(a.id)), neither.clone()], "lines[1]", "give exactly one"),
            (vec![note(999_999), pay(Some(999_998))], "lines[0].credit_note_id", "no credit note 999999"),
        ];
        for (n, (lines, field, says)) in cases.into_iter().enumerate() {
            let input = refund("C001", "15.00", &format!("RB {n}"), Some(RefundAllocate::Lines(lines)));
            match app.record_refund(&actor(), company, &input, d(TODAY)).await {
                Err(AppError::Invalid(f)) => {
                    assert_eq!(f.field, field, "case {n}: {f:?}");
                    assert!(f.reason.contains(says), "case {n}: {f:?}");
                }
                other => panic!("case {n}: {other:?}"),
            }
        }
        let input =
            refund("C001", "15.00", "RB ok", Some(RefundAllocate::Lines(vec![pay(Some(b.id)), pay(Some(a.id))])));
        let done = app.record_refund(&actor(), company, &input, d(TODAY)).await.expect("refund");
        assert_eq!(done.to_allocate, eur(0));
        assert_invariants(&app).await;
    })
    .await;
}
